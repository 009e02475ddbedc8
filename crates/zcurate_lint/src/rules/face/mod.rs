//! `FACE`: the subject's face in each image (needs face detection in the scan).

pub(crate) mod blurry_face;
pub(crate) mod face_cut_off;
pub(crate) mod face_too_small;
pub(crate) mod multiple_faces;
pub(crate) mod no_face;
