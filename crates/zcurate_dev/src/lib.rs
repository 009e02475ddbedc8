//! What the developer tools share with the tests: the broad face set of the README tour and
//! of the lint scenario test, built from the pinned real photos.

pub mod broad_set;
