//! `ID`: same person in every image (opt-in: `--identity`).

pub(crate) mod identity_outlier;
