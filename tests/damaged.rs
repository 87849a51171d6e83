//! A source PDF whose compressed data is damaged (flipped bytes, a stream cut short) goes into the
//! binder mended: the page keeps its place, the build names the file and the page, the manifest
//! marks it, and the binder passes `qpdf --check`. `--strict` stops instead.

mod common;
use common::*;
use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Whether deflate data decodes without an error (the checksum aside, as readers ignore it).
fn decodes(z: &[u8]) -> bool {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&z[2..]).read_to_end(&mut out).is_ok()
}

/// `z` with one byte flipped, the first flip from its start that breaks the data: what a bad USB
/// stick does to a scan.
fn flipped(z: &[u8]) -> Vec<u8> {
    for at in 3..z.len() - 8 {
        let mut bad = z.to_vec();
        bad[at] ^= 0xA5;
        if !decodes(&bad) {
            return bad;
        }
    }
    panic!("no flip broke the data");
}

/// Pixels that compress with Huffman codes (not stored blocks), so a flipped byte shows.
fn pixels(w: usize, h: usize) -> Vec<u8> {
    let mut seed = 12345u32;
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
            let noise = (seed >> 24) as u8 & 0x0f;
            out.extend_from_slice(&[(x as u8).wrapping_add(noise), (y as u8) ^ noise, noise.wrapping_mul(9)]);
        }
    }
    out
}

fn flate(dict: Dictionary, data: Vec<u8>) -> Object {
    let mut d = dict;
    d.set("Filter", "FlateDecode");
    Object::Stream(Stream::new(d, data).with_compression(false))
}

fn text_ops(label: &str, lines: usize) -> Vec<u8> {
    (0..lines)
        .map(|i| format!("BT /F1 11 Tf 40 {} Td ({label} line {i}) Tj ET\n", 800 - i * 14))
        .collect::<String>()
        .into_bytes()
}

/// Six pages: one intact, then a content stream cut short, one whose data is broken from its
/// first byte, a form XObject cut short, a large Flate image (read from the file as it is
/// copied) and a small one (held in memory) with flipped bytes.
fn damaged_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let mut kids = Vec::new();
    let mut page = |doc: &mut Document, content: Object, xobjects: Dictionary| {
        let c = doc.add_object(content);
        let res = dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects };
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => c, "Resources" => res,
        });
        kids.push(p.into());
    };
    page(&mut doc, flate(Dictionary::new(), zlib(&text_ops("PAGE ONE INTACT", 3))), Dictionary::new());

    let two = zlib(&text_ops("PAGE TWO START", 50));
    page(&mut doc, flate(Dictionary::new(), two[..two.len() / 2].to_vec()), Dictionary::new());

    let mut three = zlib(&text_ops("PAGE THREE", 20));
    three[0] ^= 0xFF;
    page(&mut doc, flate(Dictionary::new(), three), Dictionary::new());

    let form = zlib(&text_ops("FORM TEXT", 50));
    let form = doc.add_object(flate(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } } },
        form[..form.len() / 2].to_vec(),
    ));
    page(&mut doc, flate(Dictionary::new(), zlib(b"q /Fm1 Do Q\n")), dictionary! { "Fm1" => form });

    for (label, side) in [("BIG", 400usize), ("SMALL", 60)] {
        let z = zlib(&pixels(side, side));
        if label == "BIG" {
            assert!(z.len() > 64 << 10, "the large image must be read from the file ({} bytes)", z.len());
        } else {
            assert!(z.len() < 64 << 10);
        }
        let image = doc.add_object(flate(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => side as i64, "Height" => side as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8 },
            flipped(&z),
        ));
        let ops = format!("BT /F1 11 Tf 40 800 Td (IMAGE {label}) Tj ET q 400 0 0 400 90 200 cm /Im1 Do Q\n");
        page(&mut doc, flate(Dictionary::new(), zlib(ops.as_bytes())), dictionary! { "Im1" => image });
    }
    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn case(name: &str, strict_in_dossier: bool) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("scan.pdf"), damaged_pdf()).unwrap();
    let mut d = serde_json::json!({
        "title": "损坏的扫描件",
        "parts": [{ "title": "第一部分", "evidence": [ { "title": "会议纪要", "files": ["scan.pdf"] } ] }]
    });
    if strict_in_dossier {
        d["strict"] = true.into();
    }
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    dir
}

fn qpdf_clean(pdf: &Path) {
    let o = std::process::Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf is installed");
    assert!(
        o.status.success(),
        "qpdf --check: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn damaged_pages_are_kept_mended_named_and_marked() {
    let dir = case("damaged-pages", false);
    // The fixture itself is what the binder must not pass on.
    assert!(!std::process::Command::new("qpdf").arg("--check").arg(dir.join("scan.pdf")).status().unwrap().success());
    let o = dossier(&["build", "-o", "out.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for page in [2, 4, 5, 6] {
        assert!(
            err.contains(&format!("the content of page {page} is damaged and may not show in full")),
            "page {page}: {err}"
        );
    }
    assert!(err.contains("the content of page 3 is damaged and cannot be shown"), "{err}");
    assert!(!err.contains("page 1 is damaged"), "{err}");
    assert!(err.contains("scan.pdf") && err.contains("第一部分 › 会议纪要"), "{err}");

    let out = dir.join("out.pdf");
    qpdf_clean(&out);
    let texts = page_texts(&out);
    let body = &texts[texts.len() - 6..];
    assert!(body[0].contains("PAGE ONE INTACT line 2"), "{}", body[0]);
    // What decoded before the cut is on the page; what came after is gone.
    assert!(body[1].contains("PAGE TWO START line 0"), "{}", body[1]);
    assert!(!body[1].contains("line 49"), "{}", body[1]);
    // Nothing of page 3 could be read: the page says so, and still has its number.
    assert!(no_space(&body[2]).contains("此页原件已损坏"), "{}", body[2]);
    assert!(!body[2].contains("PAGE THREE"));
    assert!(body[2].contains('—'), "the page keeps its number: {}", body[2]);
    assert!(body[3].contains("FORM TEXT line 0"), "{}", body[3]);
    assert!(body[4].contains("IMAGE BIG") && body[5].contains("IMAGE SMALL"));

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.manifest.json")).unwrap()).unwrap();
    let marked: Vec<u64> = manifest
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["damaged"] == true)
        .map(|r| r["file_page"].as_u64().unwrap())
        .collect();
    assert_eq!(marked, [2, 3, 4, 5, 6]);
    let csv = std::fs::read_to_string(dir.join("out.manifest.csv")).unwrap();
    assert_eq!(csv.lines().skip(1).filter(|l| l.ends_with(",damaged")).count(), 5, "{csv}");
}

#[test]
fn the_warning_in_chinese_names_the_page() {
    let dir = case("damaged-zh", false);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "-o", "out.pdf"])
        .current_dir(&dir)
        .env("DOSSIER_LANG", "zh")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("第 2 页的内容已损坏，可能显示不全：请重新扫描或导出该文件"), "{err}");
    assert!(err.contains("第 3 页的内容已损坏，无法显示"), "{err}");
}

#[test]
fn strict_builds_stop_instead_and_leave_no_binder() {
    for (name, in_dossier) in [("damaged-strict-flag", false), ("damaged-strict-dossier", true)] {
        let dir = case(name, in_dossier);
        let args: &[&str] =
            if in_dossier { &["build", "-o", "out.pdf"] } else { &["build", "--strict", "-o", "out.pdf"] };
        let o = dossier(args, &dir);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("error: the content of page 2 is damaged"), "{err}");
        assert!(err.contains("scan.pdf"), "{err}");
        assert!(!dir.join("out.pdf").exists());
    }
}

#[test]
fn check_and_status_name_the_damaged_pages_before_a_build() {
    let dir = case("damaged-check", false);
    let o = dossier(&["check"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for page in [2, 4, 5, 6] {
        assert!(
            err.contains(&format!("the content of page {page} is damaged and may not show in full")),
            "page {page}: {err}"
        );
    }
    assert!(err.contains("the content of page 3 is damaged and cannot be shown"), "{err}");
    assert!(!err.contains("page 1 is damaged"), "{err}");

    let o = dossier(&["status", "--json"], &dir);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("status --json");
    let pages: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "damaged_page" && w["file"].as_str().is_some_and(|f| f.ends_with("scan.pdf")))
        .filter_map(|w| w["message"].as_str())
        .collect();
    assert_eq!(pages.len(), 5, "{report}");
    let o = dossier(&["status"], &dir);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("the content of page 3 is damaged"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, c) in data.chunks(4).enumerate() {
        let mut v = [0u8; 4];
        v[..c.len()].copy_from_slice(c);
        let mut n = u32::from_be_bytes(v);
        let mut g = [0u8; 5];
        for k in (0..5).rev() {
            g[k] = (n % 85) as u8 + b'!';
            n /= 85;
        }
        out.extend_from_slice(&g[..c.len() + 1]);
        if i % 16 == 15 {
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"~>\n");
    out
}

fn names(n: &[&str]) -> Object {
    Object::Array(n.iter().map(|s| Object::Name(s.as_bytes().to_vec())).collect())
}

/// Pages as ImageMagick and older producers write them, damaged as a bad copy leaves them: a large
/// image in ASCII85 over LZW with a zeroed range (read from the file as it is copied), a JPEG
/// whose quantisation tables were zeroed, content in ASCIIHex over Flate cut short, and content
/// behind a filter name with a flipped bit. Page 1 is intact.
fn wrapped_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let mut kids = Vec::new();
    let mut page = |doc: &mut Document, content: Object, xobjects: Dictionary| {
        let c = doc.add_object(content);
        let res = dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects };
        let p = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => c, "Resources" => res,
        });
        kids.push(p.into());
    };
    let plain = |ops: &[u8]| Object::Stream(Stream::new(Dictionary::new(), ops.to_vec()));
    page(&mut doc, plain(&text_ops("WRAPPED ONE INTACT", 3)), Dictionary::new());

    let side = 200usize;
    let mut lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let mut a85 = ascii85(&lzw.encode(&pixels(side, side)).unwrap());
    assert!(a85.len() > 64 << 10, "the image must be read from the file ({} bytes)", a85.len());
    let at = a85.len() / 2;
    a85[at..at + 256].fill(0);
    let image = doc.add_object(Object::Stream(
        Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => side as i64, "Height" => side as i64,
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => names(&["ASCII85Decode", "LZWDecode"]) },
            a85,
        )
        .with_compression(false),
    ));
    let ops = b"BT /F1 11 Tf 40 800 Td (LZW IMAGE) Tj ET q 400 0 0 400 90 200 cm /Im1 Do Q\n";
    page(&mut doc, plain(ops), dictionary! { "Im1" => image });

    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85).encode(&pixels(64, 48), 64, 48, jpeg_encoder::ColorType::Rgb).unwrap();
    let dqt = jpeg.windows(2).position(|w| w == [0xFF, 0xDB]).unwrap();
    jpeg[dqt..dqt + 70].fill(0);
    let photo = doc.add_object(Object::Stream(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 48,
        "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode" },
        jpeg,
    )));
    let ops = b"BT /F1 11 Tf 40 800 Td (JPEG PHOTO) Tj ET q 400 0 0 300 90 200 cm /Im1 Do Q\n";
    page(&mut doc, plain(ops), dictionary! { "Im1" => photo });

    let hex: Vec<u8> = zlib(&text_ops("HEX FLATE", 50)).iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
    let cut = hex[..hex.len() / 2].to_vec();
    let dict = dictionary! { "Filter" => names(&["ASCIIHexDecode", "FlateDecode"]) };
    page(&mut doc, Object::Stream(Stream::new(dict, cut).with_compression(false)), Dictionary::new());

    let misspelt = ascii85(&zlib(&text_ops("MISSPELT FILTER", 5)));
    let dict = dictionary! { "Filter" => names(&["ASCII85Fecode", "FlateDecode"]) };
    page(&mut doc, Object::Stream(Stream::new(dict, misspelt).with_compression(false)), Dictionary::new());

    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn wrapped_filters_and_jpeg_tables_are_checked_too() {
    let dir = scratch("damaged-wrapped");
    std::fs::write(dir.join("magick.pdf"), wrapped_pdf()).unwrap();
    let d = serde_json::json!({
        "title": "损坏的图片",
        "parts": [{ "title": "第一部分", "evidence": [ { "title": "活动照片", "files": ["magick.pdf"] } ] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = std::process::Command::new("qpdf").arg("--check").arg(dir.join("magick.pdf")).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    // Each damage is one qpdf reports: the base-85 text, the JPEG tables, the cut, the filter.
    for said in ["base 85", "Quantization table", "input stream is complete", "errors while decoding content"] {
        assert!(report.contains(said), "{said}: {report}");
    }

    let o = dossier(&["build", "-o", "out.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for page in [2, 3, 4] {
        assert!(
            err.contains(&format!("the content of page {page} is damaged and may not show in full")),
            "page {page}: {err}"
        );
    }
    assert!(err.contains("the content of page 5 is damaged and cannot be shown"), "{err}");
    assert!(!err.contains("page 1 is damaged") && err.contains("magick.pdf"), "{err}");

    let out = dir.join("out.pdf");
    qpdf_clean(&out);
    let texts = page_texts(&out);
    let body = &texts[texts.len() - 5..];
    assert!(body[0].contains("WRAPPED ONE INTACT line 2"), "{}", body[0]);
    assert!(body[1].contains("LZW IMAGE") && body[2].contains("JPEG PHOTO"));
    assert!(body[3].contains("HEX FLATE line 0") && !body[3].contains("line 49"), "{}", body[3]);
    assert!(no_space(&body[4]).contains("此页原件已损坏") && !body[4].contains("MISSPELT"), "{}", body[4]);
    // The JPEG libjpeg stops at is not passed on; the image keeps its place on the page.
    let doc = Document::load(&out).unwrap();
    let filters: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Image"))
        .map(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).map(<[u8]>::to_vec).unwrap_or_default())
        .collect();
    assert_eq!(filters.len(), 2, "both images are still drawn");
    assert!(filters.iter().all(|f| f != b"DCTDecode"), "{filters:?}");

    let o = dossier(&["check"], &dir);
    let err = stderr(&o);
    assert!(err.contains("page 3 is damaged") && err.contains("page 5 is damaged and cannot be shown"), "{err}");

    // A rebuild from the cache checks the damaged streams again (only whole ones are remembered).
    let first = std::fs::read(&out).unwrap();
    let o = dossier(&["build", "-o", "out.pdf"], &dir);
    let again = stderr(&o);
    for page in [2, 3, 4] {
        assert!(again.contains(&format!("the content of page {page} is damaged")), "page {page}: {again}");
    }
    assert!(std::fs::read(&out).unwrap() == first, "the rebuild wrote another binder");
}
