//! What the developer tools share with the tests: the broad face set of the lint scenario
//! test, the messy folder of the README tour and the `zcurate select` tests, and the
//! stand-in sample run of the `zcurate evaluate` tests and benchmark, built from the pinned
//! real photos.

pub mod broad_set;
pub mod messy_set;
pub mod sample_run;
