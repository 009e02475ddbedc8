//! `DUP`: exact and near-duplicate images.

pub(crate) mod exact_duplicate;
pub(crate) mod near_duplicate;
