//! The contact sheet (`--preview`): every source as a thumbnail, in source order, with its
//! crop boxes and face boxes drawn on it.
//!
//! Colours: green, a crop that reaches the requested framing; orange, one that does not
//! (shrunk or not reachable); yellow, the face each crop is built on; grey, other faces; a red
//! cross, a source that gave no crop.

use image::{Rgb, RgbImage};

/// One source on the sheet.
#[derive(Debug, Clone)]
pub struct SheetItem {
    /// The source, small (its longest side at most the cell size).
    pub thumb: RgbImage,
    /// Thumbnail pixels per source pixel.
    pub scale: f64,
    /// Crop corners in source pixels, and whether the crop reaches the requested framing.
    pub crops: Vec<([[f64; 2]; 4], bool)>,
    /// Face boxes `[x, y, w, h]` in source pixels, and whether a crop was built on each.
    pub faces: Vec<([f32; 4], bool)>,
    /// No crop came from this source.
    pub skipped: bool,
}

const GAP: u32 = 8;
const BACKGROUND: Rgb<u8> = Rgb([40, 40, 40]);
const GREEN: Rgb<u8> = Rgb([40, 220, 60]);
const ORANGE: Rgb<u8> = Rgb([255, 150, 0]);
const YELLOW: Rgb<u8> = Rgb([255, 230, 0]);
const GREY: Rgb<u8> = Rgb([150, 150, 150]);
const RED: Rgb<u8> = Rgb([230, 30, 30]);

/// Draws the sheet: cells of `cell` pixels, up to 8 to a row.
pub fn draw_sheet(items: &[SheetItem], cell: u32) -> RgbImage {
    let n = items.len().max(1) as u32;
    let mut cols = n.isqrt();
    if cols * cols < n {
        cols += 1;
    }
    let cols = cols.clamp(1, 8);
    let rows = n.div_ceil(cols);
    let mut sheet = RgbImage::from_pixel(
        cols * (cell + GAP) + GAP,
        rows * (cell + GAP) + GAP,
        BACKGROUND,
    );
    for (k, item) in items.iter().enumerate() {
        let k = k as u32;
        let (tw, th) = item.thumb.dimensions();
        let ox = GAP + (k % cols) * (cell + GAP) + (cell.saturating_sub(tw)) / 2;
        let oy = GAP + (k / cols) * (cell + GAP) + (cell.saturating_sub(th)) / 2;
        image::imageops::replace(&mut sheet, &item.thumb, i64::from(ox), i64::from(oy));
        let to = |p: [f64; 2]| {
            [
                f64::from(ox) + p[0] * item.scale,
                f64::from(oy) + p[1] * item.scale,
            ]
        };
        for (face, used) in &item.faces {
            let [x, y, w, h] = face.map(f64::from);
            let quad = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]].map(to);
            polygon(&mut sheet, &quad, if *used { YELLOW } else { GREY });
        }
        for (corners, reached) in &item.crops {
            let quad = corners.map(to);
            polygon(&mut sheet, &quad, if *reached { GREEN } else { ORANGE });
        }
        if item.skipped {
            let (x0, y0) = (f64::from(ox), f64::from(oy));
            let (x1, y1) = (x0 + f64::from(tw), y0 + f64::from(th));
            line(&mut sheet, [x0, y0], [x1, y1], RED);
            line(&mut sheet, [x0, y1], [x1, y0], RED);
        }
    }
    sheet
}

fn polygon(img: &mut RgbImage, quad: &[[f64; 2]; 4], colour: Rgb<u8>) {
    for i in 0..4 {
        line(img, quad[i], quad[(i + 1) % 4], colour);
    }
}

/// A 2-pixel line, clipped to the image.
fn line(img: &mut RgbImage, a: [f64; 2], b: [f64; 2], colour: Rgb<u8>) {
    let steps = (b[0] - a[0]).abs().max((b[1] - a[1]).abs()).ceil().max(1.0) as u32;
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    for s in 0..=steps {
        let t = f64::from(s) / f64::from(steps);
        let x = (a[0] + (b[0] - a[0]) * t).round() as i64;
        let y = (a[1] + (b[1] - a[1]) * t).round() as i64;
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let (px, py) = (x + dx - 1, y + dy - 1);
            if (0..w).contains(&px) && (0..h).contains(&py) {
                img.put_pixel(px as u32, py as u32, colour);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(skipped: bool) -> SheetItem {
        SheetItem {
            thumb: RgbImage::from_pixel(100, 50, Rgb([200, 200, 200])),
            scale: 0.1,
            crops: vec![(
                [
                    [100.0, 100.0],
                    [500.0, 100.0],
                    [500.0, 400.0],
                    [100.0, 400.0],
                ],
                !skipped,
            )],
            faces: vec![([200.0, 150.0, 100.0, 100.0], true)],
            skipped,
        }
    }

    #[test]
    fn draws_boxes_in_their_colours() {
        let sheet = draw_sheet(&[item(false), item(true)], 100);
        assert_eq!(sheet.dimensions(), (2 * 108 + 8, 108 + 8));
        // First cell: the thumbnail sits at (8, 33); the crop's top edge at y = 33 + 10.
        assert_eq!(*sheet.get_pixel(8 + 30, 33 + 10), GREEN);
        assert_eq!(*sheet.get_pixel(8 + 25, 33 + 15), YELLOW);
        // Second cell: orange crop and a red cross through the middle.
        let ox = 8 + 108;
        assert_eq!(*sheet.get_pixel(ox + 30, 33 + 10), ORANGE);
        assert_eq!(*sheet.get_pixel(ox + 50, 33 + 25), RED);
        assert_eq!(*sheet.get_pixel(2, 2), BACKGROUND);
    }

    #[test]
    fn many_items_wrap_into_rows_of_at_most_eight() {
        let items: Vec<SheetItem> = (0..20).map(|_| item(false)).collect();
        let sheet = draw_sheet(&items, 50);
        let cols = (sheet.width() - GAP) / (50 + GAP);
        let rows = (sheet.height() - GAP) / (50 + GAP);
        assert!(cols <= 8 && cols * rows >= 20, "{cols}x{rows}");
    }
}
