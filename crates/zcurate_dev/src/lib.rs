//! What the developer tools share with the tests: the broad face set of the lint scenario
//! test and the messy folder of the README tour and the `zcurate select` tests, built from the
//! pinned real photos.

pub mod broad_set;
pub mod messy_set;
