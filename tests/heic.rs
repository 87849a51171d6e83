//! HEIC photos from iPhones: converted to JPEG by heif-convert (or ImageMagick), upright exactly
//! once, cached, and refused with a clear message when no converter is installed. The fixtures are
//! made here with heif-enc (libheif-examples), from phone photos with a red top-left and a blue
//! bottom-right, and rewritten into the form iPhones write: a grid of tiles, with an HDR gain map
//! beside it (tests/fixtures/make_heic_grid.py).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The libheif programs the fixtures and the conversion need: missing, the test fails and says
/// what to install (`.ci/run` installs them), rather than passing without having looked.
fn need(programs: &[&str]) {
    for p in programs {
        assert!(
            Command::new(p).arg("--help").output().is_ok(),
            "{p} is needed by the tests (apt-get install libheif-examples)"
        );
    }
}

/// An HEIC photo, visually red top-left and blue bottom-right, whose EXIF block still says
/// `exif_orientation`: the decoded pixels are upright (as libheif gives them after applying the
/// file's own rotation), so a tag other than 1 must not be applied on top.
fn heic_photo(path: &Path, exif_orientation: u8) {
    let jpeg = path.with_extension("src.jpg");
    phone_photo(&jpeg, 1, 400, 300);
    let mut bytes = std::fs::read(&jpeg).unwrap();
    // phone_photo's EXIF block: SOI, APP1 marker and length, "Exif\0\0", then the TIFF header
    // and one IFD entry whose value's low byte sits 19 bytes into the TIFF data.
    assert_eq!(bytes[31], 1, "phone_photo's EXIF layout changed");
    bytes[31] = exif_orientation;
    std::fs::write(&jpeg, bytes).unwrap();
    let o = Command::new("heif-enc").args(["-q", "90"]).arg(&jpeg).arg("-o").arg(path).output().expect("heif-enc");
    assert!(o.status.success(), "heif-enc: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_file(&jpeg).unwrap();
}

/// The HEIC heif-enc wrote, with an `irot` property (`quarter_turns` × 90° anticlockwise) added to
/// its primary image, as an iPhone stores a photo taken sideways. heif-enc cannot set one itself.
/// Handles the simple layout heif-enc writes: ftyp, meta, then mdat with absolute offsets.
fn add_irot(heic: &[u8], quarter_turns: u8) -> Vec<u8> {
    fn children(d: &[u8], start: usize, end: usize) -> Vec<(usize, usize, [u8; 4])> {
        let mut out = Vec::new();
        let mut i = start;
        while i < end {
            let size = u32::from_be_bytes(d[i..i + 4].try_into().unwrap()) as usize;
            out.push((i, size, d[i + 4..i + 8].try_into().unwrap()));
            i += size;
        }
        out
    }
    let find = |v: &[(usize, usize, [u8; 4])], t: &[u8; 4]| *v.iter().find(|b| &b.2 == t).expect("box");
    let mut d = heic.to_vec();
    let (meta, meta_size, _) = find(&children(&d, 0, d.len()), b"meta");
    let inner = children(&d, meta + 12, meta + meta_size);
    let (iprp, iprp_size, _) = find(&inner, b"iprp");
    let (iloc, _, _) = find(&inner, b"iloc");
    let primary = u16::from_be_bytes(d[find(&inner, b"pitm").0 + 12..][..2].try_into().unwrap());
    let props = children(&d, iprp + 8, iprp + iprp_size);
    let (ipco, ipco_size, _) = find(&props, b"ipco");
    let (ipma, _, _) = find(&props, b"ipma");
    let index = children(&d, ipco + 8, ipco + ipco_size).len() as u8 + 1;
    assert!(d[ipma + 8] == 0 && d[ipma + 11] & 1 == 0 && index < 128, "ipma layout heif-enc did not use to write");
    // The primary item's association list gains the new property (essential).
    let entries = u32::from_be_bytes(d[ipma + 12..ipma + 16].try_into().unwrap());
    let mut j = ipma + 16;
    let mut insert = None;
    for _ in 0..entries {
        let item = u16::from_be_bytes(d[j..j + 2].try_into().unwrap());
        let count = d[j + 2] as usize;
        if item == primary {
            insert = Some((j + 2, j + 3 + count));
        }
        j += 3 + count;
    }
    let (count_at, assoc_at) = insert.expect("the primary item has properties");
    d[count_at] += 1;
    d.insert(assoc_at, 0x80 | index);
    let irot = [0, 0, 0, 9, b'i', b'r', b'o', b't', quarter_turns & 3];
    let ipco_end = ipco + ipco_size;
    d.splice(ipco_end..ipco_end, irot);
    let grow = (irot.len() + 1) as u32;
    let add = |d: &mut Vec<u8>, at: usize, n: u32| {
        let v = u32::from_be_bytes(d[at..at + 4].try_into().unwrap()) + n;
        d[at..at + 4].copy_from_slice(&v.to_be_bytes());
    };
    add(&mut d, meta, grow);
    add(&mut d, iprp, grow);
    add(&mut d, ipco, irot.len() as u32);
    add(&mut d, ipma + irot.len(), 1);
    // The image data moved by as much: iloc (version 0, before iprp, so not moved) points at it.
    assert!(iloc < iprp && d[iloc + 8] == 0, "iloc layout heif-enc did not use to write");
    let (offset_size, length_size, base_size) =
        ((d[iloc + 12] >> 4) as usize, (d[iloc + 12] & 15) as usize, (d[iloc + 13] >> 4) as usize);
    let items = u16::from_be_bytes(d[iloc + 14..iloc + 16].try_into().unwrap());
    let mut o = iloc + 16;
    let shift = |d: &mut Vec<u8>, at: usize, size: usize| {
        if size == 4 {
            add(d, at, grow);
        } else {
            assert_eq!(size, 0, "iloc field size");
        }
    };
    for _ in 0..items {
        o += 4; // item ID, data reference index
        let base = d[o..o + base_size].iter().any(|&b| b != 0);
        shift(&mut d, o, if base { base_size } else { 0 });
        o += base_size;
        let extents = u16::from_be_bytes(d[o..o + 2].try_into().unwrap());
        o += 2;
        for _ in 0..extents {
            shift(&mut d, o, if base { 0 } else { offset_size });
            o += offset_size + length_size;
        }
    }
    d
}

fn case(name: &str, file: &str, exif_orientation: u8) -> PathBuf {
    let dir = scratch(name);
    heic_photo(&dir.join(file), exif_orientation);
    let d = serde_json::json!({
        "title": "照片测试",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "活动照片", "files": [file] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    dir
}

/// `dossier build` with `env` set, and DOSSIER_HEIF_CONVERT and DOSSIER_MAGICK removed unless `env`
/// sets them.
fn build(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.arg("build")
        .args(args)
        .current_dir(dir)
        .env("DOSSIER_LANG", "en")
        .env_remove("DOSSIER_HEIF_CONVERT")
        .env_remove("DOSSIER_MAGICK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run dossier")
}

/// The photo's page (the one after the part's heading), rendered: red top-left, blue bottom-right,
/// 4:3 landscape.
fn assert_upright(out: &Path) {
    let b = Binder::open(out);
    let page = b.labels().iter().position(|l| l == "1").unwrap() + 2; // 1-based
    assert_photo_upright(out, page, "the HEIC photo");
}

fn cached(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = dir.join(".dossier-cache/heic").read_dir() else { return Vec::new() };
    rd.flatten().map(|e| e.path()).collect()
}

#[test]
fn heic_photos_are_converted_upright_and_cached() {
    need(&["heif-enc", "heif-convert"]);
    for exif in [1, 6, 8, 3] {
        let dir = case(&format!("heic-{exif}"), "IMG_0001.HEIC", exif);
        let o = build(&dir, &["-o", "binder.pdf"], &[]);
        assert!(o.status.success(), "EXIF {exif}: {}", stderr(&o));
        assert_upright(&dir.join("binder.pdf"));
        let files = cached(&dir);
        assert_eq!(files.len(), 1, "EXIF {exif}: {files:?}");
        assert!(files[0].extension().is_some_and(|e| e == "jpg"), "{files:?}");
        // The binder holds the converted JPEG, with no orientation left in it.
        let jpeg = std::fs::read(&files[0]).unwrap();
        assert!(!jpeg.windows(6).any(|w| w == b"Exif\0\0"), "EXIF {exif}: the JPEG kept its EXIF block");
        assert!(Binder::open(&dir.join("binder.pdf")).images().iter().any(|(d, f)| f == "DCTDecode" && *d == jpeg));

        // A second build takes the JPEG from the cache: no converter needed.
        std::fs::remove_file(dir.join("binder.pdf")).unwrap();
        let missing = dir.join("no-such-heif-convert");
        let o = build(&dir, &["-o", "binder.pdf"], &[("DOSSIER_HEIF_CONVERT", missing.as_os_str())]);
        assert!(o.status.success(), "EXIF {exif}, from the cache: {}", stderr(&o));
        assert_upright(&dir.join("binder.pdf"));
    }
}

#[test]
fn a_heic_photo_taken_sideways_stands_upright_once() {
    need(&["heif-enc", "heif-convert"]);
    // As an iPhone stores it: the pixels as the sensor saw them, an irot turning them a quarter
    // clockwise, and the EXIF tag saying the same (6), which must not turn them a second time.
    let dir = case("heic-sideways", "IMG_0006.HEIC", 1);
    let jpeg = dir.join("sideways.jpg");
    phone_photo(&jpeg, 6, 400, 300);
    let heic = dir.join("plain.heic");
    let o = Command::new("heif-enc").args(["-q", "90"]).arg(&jpeg).arg("-o").arg(&heic).output().expect("heif-enc");
    assert!(o.status.success(), "heif-enc: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(dir.join("IMG_0006.HEIC"), add_irot(&std::fs::read(&heic).unwrap(), 3)).unwrap();
    for build_args in [&["-o", "binder.pdf"][..], &["--photo-dpi", "50", "-o", "binder.pdf"]] {
        let o = build(&dir, build_args, &[]);
        assert!(o.status.success(), "{build_args:?}: {}", stderr(&o));
        assert_upright(&dir.join("binder.pdf"));
    }
}

/// A folder for PATH holding ImageMagick (as Debian installs it) under its Windows name, `magick`,
/// and no heif-convert.
fn path_with_only_magick(dir: &Path) -> PathBuf {
    let magick = ["/usr/bin/magick", "/usr/bin/convert-im6.q16", "/usr/bin/convert"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("ImageMagick is needed by the tests (apt-get install imagemagick)");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(magick, bin.join("magick")).unwrap();
    bin
}

#[test]
fn without_heif_convert_imagemagick_converts_them_upright() {
    need(&["heif-enc"]);
    let dir = case("heic-magick", "IMG_0004.HEIC", 6);
    let bin = path_with_only_magick(&dir);
    let jpeg = dir.join("sideways.jpg");
    phone_photo(&jpeg, 6, 400, 300);
    let plain = dir.join("plain.heic");
    let o = Command::new("heif-enc").args(["-q", "90"]).arg(&jpeg).arg("-o").arg(&plain).output().expect("heif-enc");
    assert!(o.status.success(), "heif-enc: {}", String::from_utf8_lossy(&o.stderr));
    let rotated = add_irot(&std::fs::read(&plain).unwrap(), 3);
    for (name, data) in [("EXIF 6", None), ("irot and EXIF 6", Some(rotated))] {
        if let Some(d) = &data {
            std::fs::write(dir.join("IMG_0004.HEIC"), d).unwrap();
        }
        let _ = std::fs::remove_dir_all(dir.join(".dossier-cache"));
        let o = build(&dir, &["-o", "binder.pdf"], &[("PATH", bin.as_os_str())]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_upright(&dir.join("binder.pdf"));
        let files = cached(&dir);
        assert_eq!(files.len(), 1, "{name}: {files:?}");
        let jpeg = std::fs::read(&files[0]).unwrap();
        assert!(!jpeg.windows(6).any(|w| w == b"Exif\0\0"), "{name}: the JPEG kept its EXIF block");
    }
}

/// tests/fixtures/make_heic_grid.py: the photo as a grid of 256×256 tiles, as iPhones store it.
fn grid_photo(path: &Path, quarter_turns: u8) {
    let o = Command::new("python3")
        .arg(repo().join("tests/fixtures/make_heic_grid.py"))
        .arg(path)
        .arg(quarter_turns.to_string())
        .output()
        .expect("python3 makes the fixture (pip install pikepdf, which brings Pillow)");
    assert!(o.status.success(), "make_heic_grid.py: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_tiled_heic_comes_out_whole_and_upright_from_either_converter() {
    need(&["heif-enc", "heif-convert"]);
    let dir = case("heic-grid", "IMG_0005.HEIC", 1);
    let bin = path_with_only_magick(&dir);
    for turns in [0, 3] {
        grid_photo(&dir.join("IMG_0005.HEIC"), turns);
        let with_magick = [("PATH", bin.as_os_str())];
        for (converter, env) in [("heif-convert", &[][..]), ("ImageMagick", &with_magick[..])] {
            let _ = std::fs::remove_dir_all(dir.join(".dossier-cache"));
            let o = build(&dir, &["-o", "binder.pdf"], env);
            assert!(o.status.success(), "{converter}, irot {turns}: {}", stderr(&o));
            // The whole picture (the grid), not a tile: 4:3, red top-left, blue bottom-right.
            assert_upright(&dir.join("binder.pdf"));
            let jpeg = std::fs::read(&cached(&dir)[0]).unwrap();
            let info = dossier::sources::image::jpeg_info(&jpeg).unwrap();
            assert_eq!((info.width, info.height), (400, 300), "{converter}, irot {turns}");
        }
    }
}

#[test]
fn heic_photos_work_with_photo_dpi_and_the_word_binder() {
    need(&["heif-enc", "heif-convert"]);
    let dir = case("heic-dpi", "IMG_0002.heic", 6);
    let o = build(&dir, &["--photo-dpi", "50", "-o", "binder.pdf"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_upright(&dir.join("binder.pdf"));
    let b = Binder::open(&dir.join("binder.pdf"));
    let widths: Vec<i64> = b
        .doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).is_ok_and(|n| n == b"DCTDecode"))
        .map(|s| s.dict.get(b"Width").and_then(|w| w.as_i64()).unwrap_or(0))
        .collect();
    assert_eq!(widths.len(), 1);
    assert!((290..=320).contains(&widths[0]), "width {widths:?}, want about 307 (400 px downsampled)");

    let o = build(&dir, &["--format", "docx", "-o", "binder.docx"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let jpeg = std::fs::read(&cached(&dir)[0]).unwrap();
    let media = docx_media(&dir.join("binder.docx"));
    assert!(media.iter().any(|(_, d)| *d == jpeg), "the Word binder does not hold the converted photo");
}

#[test]
fn without_a_converter_the_build_says_how_to_convert() {
    need(&["heif-enc"]);
    let dir = case("heic-none", "IMG_0003.HEIC", 1);
    let sentinel = b"the binder from before".to_vec();
    std::fs::write(dir.join("binder.pdf"), &sentinel).unwrap();
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let missing = dir.join("no-such-heif-convert");
    let settings: [Vec<(&str, &std::ffi::OsStr)>; 2] = [
        vec![("DOSSIER_HEIF_CONVERT", missing.as_os_str()), ("PATH", empty.as_os_str())],
        vec![("PATH", empty.as_os_str())],
    ];
    for env in settings {
        let o = build(&dir, &["-o", "binder.pdf"], &env);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        for want in ["IMG_0003.HEIC", "HEIC", "heif-convert", "apt-get install libheif-examples", "export it as JPEG"] {
            assert!(err.contains(want), "no {want:?} in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(std::fs::read(dir.join("binder.pdf")).unwrap(), sentinel, "the binder from before was touched");
        assert!(cached(&dir).is_empty());
    }
    // In Chinese too.
    let o = build(
        &dir,
        &["-o", "binder.pdf"],
        &[("DOSSIER_LANG", "zh".as_ref()), ("DOSSIER_HEIF_CONVERT", missing.as_os_str())],
    );
    let err = stderr(&o);
    assert!(err.contains("HEIC") && err.contains("libheif-examples") && err.contains("兼容性最佳"), "{err}");
}

#[test]
fn a_damaged_heic_names_the_file() {
    need(&["heif-enc", "heif-convert"]);
    let dir = case("heic-damaged", "IMG_0004.HEIC", 1);
    let path = dir.join("IMG_0004.HEIC");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let o = build(&dir, &["-o", "binder.pdf"], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("IMG_0004.HEIC") && err.contains("could not be converted to JPEG"), "{err}");
    assert!(!dir.join("binder.pdf").exists());
}

/// A phone photo whose EXIF says when it was taken (DateTimeOriginal) and where (GPS), as a
/// phone writes them: IFD0 pointing to the Exif and GPS IFDs, big-endian.
fn photo_with_date_and_place(path: &Path, date: &str, lat: [u32; 3], lon: [u32; 3]) {
    phone_photo(path, 1, 400, 300);
    let plain = std::fs::read(path).unwrap();
    // phone_photo's own EXIF segment is replaced: SOI, APP1 (marker, length, body).
    let old_len = u16::from_be_bytes([plain[4], plain[5]]) as usize;
    let rest = &plain[4 + old_len..];
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&kind.to_be_bytes());
        t.extend_from_slice(&count.to_be_bytes());
        t.extend_from_slice(&value);
    };
    let long = |n: u32| n.to_be_bytes();
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: the Exif IFD at 38, the GPS IFD at 76.
    t.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut t, 0x8769, 4, 1, long(38));
    entry(&mut t, 0x8825, 4, 1, long(76));
    t.extend_from_slice(&[0; 4]);
    // Exif IFD at 38: DateTimeOriginal, its 20 bytes at 56.
    t.extend_from_slice(&1u16.to_be_bytes());
    entry(&mut t, 0x9003, 2, 20, long(56));
    t.extend_from_slice(&[0; 4]);
    t.extend_from_slice(date.as_bytes());
    t.push(0);
    // GPS IFD at 76: N, latitude at 130, E, longitude at 154.
    t.extend_from_slice(&4u16.to_be_bytes());
    entry(&mut t, 1, 2, 2, *b"N\0\0\0");
    entry(&mut t, 2, 5, 3, long(130));
    entry(&mut t, 3, 2, 2, *b"E\0\0\0");
    entry(&mut t, 4, 5, 3, long(154));
    t.extend_from_slice(&[0; 4]);
    for v in lat.iter().chain(&lon) {
        t.extend_from_slice(&v.to_be_bytes());
        t.extend_from_slice(&1u32.to_be_bytes());
    }
    assert_eq!(t.len(), 178, "EXIF layout");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&t);
    let mut out = b"\xFF\xD8\xFF\xE1".to_vec();
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(rest);
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_converted_heic_keeps_its_date_and_place_in_the_manifest() {
    need(&["heif-enc", "heif-convert"]);
    let dir = scratch("heic-exif");
    let jpeg = dir.join("src.jpg");
    photo_with_date_and_place(&jpeg, "2021:04:12 10:35:22", [22, 32, 35], [114, 3, 29]);
    let o = Command::new("heif-enc").args(["-q", "90"]).arg(&jpeg).arg("-o").arg(dir.join("IMG_0001.HEIC")).output();
    assert!(o.expect("heif-enc").status.success());
    std::fs::rename(&jpeg, dir.join("IMG_0002.jpg")).unwrap();
    let d = serde_json::json!({
        "title": "照片测试", "output": "b.pdf",
        "parts": [{ "title": "第一部分", "evidence": [
            { "title": "苹果照片", "files": ["IMG_0001.HEIC"] },
            { "title": "安卓照片", "files": ["IMG_0002.jpg"] },
        ] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = build(&dir, &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The binder's JPEG has no EXIF; the manifest says what the phone wrote.
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("b.manifest.json")).unwrap()).unwrap();
    let lat = 22.0 + 32.0 / 60.0 + 35.0 / 3600.0;
    let lon = 114.0 + 3.0 / 60.0 + 29.0 / 3600.0;
    for file in ["IMG_0001.HEIC", "IMG_0002.jpg"] {
        let row = rows.as_array().unwrap().iter().find(|r| r["file"] == file).expect("the photo's row");
        assert_eq!(row["taken"], "2021-04-12 10:35:22", "{file}: {row}");
        assert_eq!(row["gps"], format!("{lat:.6},{lon:.6}"), "{file}: {row}");
    }
    let csv = std::fs::read_to_string(dir.join("b.manifest.csv")).unwrap();
    assert!(csv.contains(&format!("IMG_0001.HEIC,1,2021-04-12 10:35:22,\"{lat:.6},{lon:.6}\"")), "{csv}");
    // Pages that are no photos say nothing of the kind.
    assert!(rows[0]["taken"].is_null() && rows[0]["gps"].is_null());
}
