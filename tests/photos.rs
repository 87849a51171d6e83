//! Phone photos: upright whatever their EXIF orientation, whole, aspect kept, and embedded as the
//! very JPEG bytes the camera wrote. Checked by rendering the binder's pages, as a reviewer sees them.

mod common;
use common::*;
use std::path::Path;

/// Each photo page, rendered: the photo whole, 4:3, red at its visual top-left, blue bottom-right.
fn assert_upright(out: &Path, orientations: &[u8]) {
    let b = Binder::open(out);
    let labels = b.labels();
    let first = labels.iter().position(|l| l == "1").unwrap() + 1; // the part's heading page
    for (k, &o) in orientations.iter().enumerate() {
        let page = first + k; // 0-based index of the photo's page
        let (w, h, px) = render_page(out, page + 1, 30);
        let at = |x: usize, y: usize| &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
        // The photo: the bounding box of non-white pixels above the page-number band.
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        for y in 0..h * 85 / 100 {
            for x in 0..w {
                if at(x, y).iter().any(|&c| c < 240) {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
        }
        assert!(x1 > x0 && y1 > y0, "orientation {o}: no photo on page {}", page + 1);
        let aspect = (x1 - x0 + 1) as f32 / (y1 - y0 + 1) as f32;
        assert!((aspect - 4.0 / 3.0).abs() < 0.08, "orientation {o}: aspect {aspect}");
        let red = at(x0 + 2, y0 + 2);
        let blue = at(x1 - 2, y1 - 2);
        assert!(red[0] > 180 && red[2] < 90, "orientation {o}: top-left is {red:?}, not red");
        assert!(blue[2] > 180 && blue[0] < 90, "orientation {o}: bottom-right is {blue:?}, not blue");
    }
}

const ALL: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn photos_stand_upright_and_keep_their_bytes() {
    let dir = photo_case("photos", &ALL);
    let out = dir.join("binder.pdf");
    let o = dossier(&["build", "-o", "binder.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let images = Binder::open(&out).images();
    for &o in &ALL {
        let bytes = std::fs::read(dir.join(format!("IMG_{o} 现场.jpg"))).unwrap();
        assert!(
            images.iter().any(|(data, f)| f == "DCTDecode" && *data == bytes),
            "orientation {o}: JPEG bytes not kept"
        );
    }
    assert_upright(&out, &ALL);
}

#[test]
fn photos_downsampled_on_request_stay_upright() {
    let dir = photo_case("photos-dpi", &ALL);
    let out = dir.join("binder.pdf");
    // 400 px printed 156 mm wide is 65 dpi: 50 dpi asks for about 307 px.
    let o = dossier(&["build", "--photo-dpi", "50", "-o", "binder.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = Binder::open(&out);
    let widths: Vec<i64> = b
        .doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).is_ok_and(|n| n == b"DCTDecode"))
        .map(|s| {
            s.dict
                .get(b"Width")
                .and_then(|w| w.as_i64())
                .unwrap_or(0)
                .max(s.dict.get(b"Height").and_then(|h| h.as_i64()).unwrap_or(0))
        })
        .collect();
    assert_eq!(widths.len(), ALL.len());
    assert!(widths.iter().all(|&w| (290..=320).contains(&w)), "long sides {widths:?}, want about 307");
    assert_upright(&out, &ALL);
    // A second build takes the photos from the cache.
    assert!(dir.join(".dossier-cache/photos").read_dir().unwrap().count() >= ALL.len());
}
