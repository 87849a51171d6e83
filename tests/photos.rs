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
        // 1-based: the page after the heading, then one a photo.
        assert_photo_upright(out, first + k + 1, &format!("orientation {o}"));
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
