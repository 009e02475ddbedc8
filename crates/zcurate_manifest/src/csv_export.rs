use std::io::Write;

use crate::{Manifest, ManifestError};

/// Column names of the per-image CSV table, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "path",
    "bytes",
    "sha256",
    "format",
    "width",
    "height",
    "exif_orientation",
    "colour",
    "bits_per_channel",
    "animated",
    "alpha_present",
    "alpha_used",
    "phash",
    "sharpness",
    "brightness",
    "contrast",
    "clipped_dark",
    "clipped_bright",
    "luma_p05",
    "luma_p99",
    "entropy",
    "colourfulness",
    "chromatic_share",
    "grey",
    "repeats",
    "faces",
    "main_face_box",
    "angle",
    "framing",
    "framing_confidence",
    "caption_path",
    "caption",
    "error",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Writes one row per image: the flat facts of the manifest, for spreadsheets and pandas.
pub fn write_csv<W: Write>(manifest: &Manifest, out: W) -> Result<(), ManifestError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for r in &manifest.images {
        let main = r
            .face_summary
            .and_then(|s| s.main)
            .and_then(|i| r.faces.as_ref()?.get(i));
        let row = [
            r.path.clone(),
            r.bytes.to_string(),
            r.sha256.clone().unwrap_or_default(),
            r.format.clone().unwrap_or_default(),
            opt(r.width),
            opt(r.height),
            opt(r.exif_orientation),
            r.colour.as_ref().map(kebab).unwrap_or_default(),
            opt(r.bits_per_channel),
            r.animated.to_string(),
            r.alpha_present.to_string(),
            r.alpha_used.to_string(),
            r.phash.clone().unwrap_or_default(),
            opt(r.sharpness),
            opt(r.brightness),
            opt(r.contrast),
            opt(r.clipped_dark),
            opt(r.clipped_bright),
            opt(r.luma_p05),
            opt(r.luma_p99),
            opt(r.entropy),
            opt(r.colourfulness),
            opt(r.chromatic_share),
            opt(r.grey),
            opt(r.repeats),
            opt(r.faces.as_ref().map(Vec::len)),
            main.map(|f| {
                let [x, y, w, h] = f.bbox;
                format!("{x:.0} {y:.0} {w:.0} {h:.0}")
            })
            .unwrap_or_default(),
            main.and_then(|f| f.angle.as_ref())
                .map(kebab)
                .unwrap_or_default(),
            r.framing
                .as_ref()
                .map(|f| f.class.as_str().to_owned())
                .unwrap_or_default(),
            opt(r.framing.as_ref().map(|f| f.confidence)),
            r.caption_path.clone().unwrap_or_default(),
            r.caption.clone().unwrap_or_default(),
            r.error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default(),
        ];
        w.write_record(&row)?;
    }
    w.flush().map_err(|e| ManifestError::Csv(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalysisSettings, ImageRecord, ScanSettings};

    #[test]
    fn one_row_per_image_with_quoting() {
        let mut m = Manifest::new(
            "d",
            ScanSettings {
                recursive: false,
                caption_ext: "txt".into(),
                analysis_version: 1,
                analysis: AnalysisSettings {
                    clip_dark_max: 0.01,
                    clip_bright_min: 0.99,
                    grey_chroma_tolerance: 0.05,
                    grey_max_chromatic_share: 0.02,
                },
                faces: None,
            },
        );
        m.images.push(ImageRecord {
            path: "a b.jpg".into(),
            bytes: 10,
            width: Some(4),
            caption: Some("zq, a \"quoted\", caption\nwith newline".into()),
            ..Default::default()
        });
        let mut out = Vec::new();
        write_csv(&m, &mut out).unwrap();
        let mut rd = csv::Reader::from_reader(out.as_slice());
        assert_eq!(rd.headers().unwrap().len(), CSV_COLUMNS.len());
        let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][0], "a b.jpg");
        assert_eq!(&rows[0][4], "4");
        assert_eq!(
            &rows[0][CSV_COLUMNS.iter().position(|c| *c == "caption").unwrap()],
            "zq, a \"quoted\", caption\nwith newline"
        );
    }
}
