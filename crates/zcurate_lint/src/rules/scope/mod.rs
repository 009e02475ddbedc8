//! `SET`: the dataset as a whole, against the profile's scope.

pub(crate) mod dataset_size_out_of_range;
pub(crate) mod framing_mix_off_target;
pub(crate) mod low_angle_variety;
pub(crate) mod repeated_composition;
