//! What the developer tools share with the tests: the broad face set of the README tour and
//! of the lint scenario test, and the stand-in sample run of the `zcurate evaluate` tests and
//! benchmark, built from the pinned real photos.

pub mod broad_set;
pub mod sample_run;
