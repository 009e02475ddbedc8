//! Analysis of one image file: read, hash, decode once, measure.

use std::borrow::Cow;
use std::path::Path;
use std::time::UNIX_EPOCH;

use image::RgbImage;
use zcurate_image::{DecodeError, Decoded, Format};
use zcurate_manifest::{ErrorKind, FacePhash, ImageRecord, RecordError};

use crate::discover::FoundImage;
use crate::faces::FaceStep;
use crate::scan::ScanConfig;

/// Size and modification time (ns since the epoch), the cheap first test of "unchanged".
pub fn stat(path: &Path) -> std::io::Result<(u64, Option<i64>)> {
    let meta = std::fs::metadata(path)?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok());
    Ok((meta.len(), mtime))
}

#[allow(clippy::unnecessary_wraps)] // every caller stores it in `ImageRecord::error`
fn error(kind: ErrorKind, message: impl Into<String>) -> Option<RecordError> {
    Some(RecordError {
        kind,
        message: message.into(),
    })
}

/// A record for a file that could not be read at all.
pub(crate) fn unreadable(found: &FoundImage, err: &std::io::Error) -> ImageRecord {
    let message = unreadable_reason(&found.abs, err);
    ImageRecord {
        path: found.rel.clone(),
        repeats: found.repeats,
        error: error(ErrorKind::Io, message),
        ..ImageRecord::default()
    }
}

/// Why `path` could not be read, for people: a dangling link names its target.
pub fn unreadable_reason(path: &Path, err: &std::io::Error) -> String {
    match std::fs::read_link(path) {
        Ok(target) if crate::discover::is_dangling_link(path) => format!(
            "dangling symbolic link: it points to `{}`, which does not exist",
            target.display()
        ),
        _ => format!("cannot read file: {err}"),
    }
}

/// Fills `rec` from the file's bytes. `rec` already holds the content hash. Returns whether
/// the main face was given an identity embedding.
pub(crate) fn analyse_bytes(
    rec: &mut ImageRecord,
    found: &FoundImage,
    bytes: &[u8],
    config: &ScanConfig,
    faces: Option<&FaceStep>,
) -> bool {
    let ext = found
        .abs
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let decoded = match zcurate_image::decode_bytes(bytes, &config.limits) {
        Ok(d) => d,
        Err(e) => {
            rec.error = decode_error(&e, &ext);
            return false;
        }
    };
    let working = fill_decoded(rec, &decoded, &ext, config);
    let Some(step) = faces else {
        return false;
    };
    match step.analyse(&decoded.image, Some(&working)) {
        Ok(out) => {
            rec.face_phash = out
                .summary
                .main
                .and_then(|i| out.faces.get(i))
                .and_then(|f| face_phash(&decoded.image, f.bbox));
            rec.faces = Some(out.faces);
            rec.face_summary = Some(out.summary);
            rec.framing = Some(out.framing);
            let embedded = out.identity.is_some();
            rec.identity = out.identity;
            embedded
        }
        Err(e) => {
            rec.error = error(ErrorKind::Faces, e.to_string());
            false
        }
    }
}

/// Gives a reused record the identity embedding `step` asks for: decodes the file (`bytes`
/// when the caller read it already) and embeds the recorded main face. A failure is
/// recorded as a face error, which is never reused, so the next run tries again. Returns
/// whether it embedded.
pub(crate) fn embed_reused(
    rec: &mut ImageRecord,
    found: &FoundImage,
    bytes: Option<&[u8]>,
    config: &ScanConfig,
    step: &FaceStep,
) -> bool {
    let read;
    let bytes = match bytes {
        Some(b) => b,
        None => match std::fs::read(&found.abs) {
            Ok(b) => {
                read = b;
                &read
            }
            Err(e) => {
                rec.error = error(ErrorKind::Io, format!("cannot read file: {e}"));
                return false;
            }
        },
    };
    let result = zcurate_image::decode_bytes(bytes, &config.limits)
        .map_err(|e| format!("cannot decode the file again to embed its face: {e}"))
        .and_then(|d| {
            step.embed_record(&d.image, rec)
                .map_err(|e| format!("cannot embed the main face: {e}"))
        });
    match result {
        Ok(identity) => {
            let embedded = identity.is_some();
            rec.identity = identity;
            embedded
        }
        Err(message) => {
            rec.error = error(ErrorKind::Faces, message);
            false
        }
    }
}

/// The main face's [`FacePhash`], from the image the scan decoded.
fn face_phash(image: &image::DynamicImage, bbox: [f32; 4]) -> Option<FacePhash> {
    let [x, y, w, h] = bbox.map(|v| v.max(0.0).round() as u32);
    let pair = zcurate_image::region_phash(image, x, y, w, h)?;
    Some(FacePhash {
        phash: zcurate_image::phash_hex(pair.hash),
        mirror: zcurate_image::phash_hex(pair.mirror),
    })
}

fn decode_error(e: &DecodeError, ext: &str) -> Option<RecordError> {
    let kind = match e {
        DecodeError::Empty => ErrorKind::Empty,
        DecodeError::Unsupported { .. } => ErrorKind::Unsupported,
        DecodeError::Limits { .. } => ErrorKind::Limits,
        _ => ErrorKind::Corrupt,
    };
    // Decoder messages can end in a newline; a record's message is one line.
    let text = e.to_string().trim_end().to_owned();
    let message = if kind == ErrorKind::Unsupported && !ext.is_empty() {
        format!("named .{ext} but {text}")
    } else {
        text
    };
    error(kind, message)
}

/// Fills the decoded image's facts and returns the analysis's working copy for the face stage.
fn fill_decoded<'a>(
    rec: &mut ImageRecord,
    d: &'a Decoded,
    ext: &str,
    config: &ScanConfig,
) -> Cow<'a, RgbImage> {
    rec.format = Some(d.format.name().to_ascii_lowercase());
    rec.extension_mismatch = Format::from_extension(ext).is_some_and(|f| f != d.format);
    rec.width = Some(d.image.width());
    rec.height = Some(d.image.height());
    rec.exif_orientation = d.exif_orientation;
    rec.colour = Some(d.colour.kind);
    rec.bits_per_channel = Some(d.colour.bits_per_channel);
    rec.animated = d.animated;
    let (a, working) = zcurate_image::analyse_keep_working(&d.image, &config.analysis);
    rec.alpha_present = a.alpha_present;
    rec.alpha_used = a.alpha_used;
    rec.phash = Some(zcurate_image::phash_hex(a.phash));
    rec.phash_mirror = Some(zcurate_image::phash_hex(a.phash_mirror));
    rec.sharpness = Some(round(a.sharpness, 2));
    rec.brightness = Some(round(a.brightness, 4));
    rec.contrast = Some(round(a.contrast, 4));
    rec.clipped_dark = Some(round(a.clipped_dark, 4));
    rec.clipped_bright = Some(round(a.clipped_bright, 4));
    rec.luma_p05 = Some(round(a.luma_p05, 4));
    rec.luma_p99 = Some(round(a.luma_p99, 4));
    rec.entropy = Some(round(a.entropy, 4));
    rec.colourfulness = Some(round(a.colourfulness, 4));
    rec.chromatic_share = Some(round(a.chromatic_share, 4));
    rec.grey = Some(a.grey);
    working
}

/// Rounds measures so manifests diff cleanly and snapshots are stable across platforms.
fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

/// Reads the caption sidecar into the record; a non-UTF-8 caption is recorded as an error.
pub(crate) fn read_caption(rec: &mut ImageRecord, found: &FoundImage) {
    rec.caption = None;
    rec.caption_path = None;
    if rec
        .error
        .as_ref()
        .is_some_and(|e| e.kind == ErrorKind::Caption)
    {
        rec.error = None;
    }
    let Some((rel, abs)) = &found.caption else {
        return;
    };
    rec.caption_path = Some(rel.clone());
    match std::fs::read(abs) {
        Ok(bytes) => {
            // A UTF-8 BOM is common from Windows editors and is not part of the caption.
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            match std::str::from_utf8(bytes) {
                Ok(text) => rec.caption = Some(text.to_owned()),
                Err(e) => {
                    if rec.error.is_none() {
                        rec.error = error(
                            ErrorKind::Caption,
                            format!("caption {rel} is not valid UTF-8 ({e})"),
                        );
                    }
                }
            }
        }
        Err(e) => {
            if rec.error.is_none() {
                rec.error = error(
                    ErrorKind::Caption,
                    format!("cannot read caption {rel}: {e}"),
                );
            }
        }
    }
}
