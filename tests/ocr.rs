//! `--ocr`: scanned pages, photos and TIFF frames get an invisible text layer read by Tesseract.
//! The fixtures are made here as a scanner would: Chinese text drawn with the built-in font by
//! ImageMagick, then noise, a slight skew and JPEG or G4 compression. Each page costs the engine a
//! second or two, so there are few of them, shared by the assertions.

mod common;

use common::*;
use lopdf::{Document, Object};
use std::path::Path;
use std::process::Command;

const TITLE: &str = "关于开展粤港职业教育师资交流活动的通知";
const BODY: [&str; 3] = [
    "各系部、各科室：",
    "为落实学校2023年工作计划，经研究，决定开展Web课程",
    "与1+X证书培训交流活动，联系电话13800138000。",
];

fn convert(args: &[&str]) {
    let out = Command::new("convert")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("ImageMagick's convert is needed by the tests (apt-get install imagemagick): {e}"));
    assert!(out.status.success(), "convert {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A scanned notice at 150 dpi: title, three lines, noise, a 0.6° skew, grey JPEG.
fn scan_jpeg(path: &Path) {
    let serif = repo().join("assets/fonts/NotoSerifCJKsc-Regular.otf");
    let sans = repo().join("assets/fonts/NotoSansCJKsc-Bold.otf");
    let (serif, sans) = (serif.to_str().unwrap(), sans.to_str().unwrap());
    #[rustfmt::skip]
    convert(&[
        "-size", "1240x1754", "xc:white", "-fill", "black",
        "-font", sans, "-pointsize", "40", "-annotate", "+180+250", TITLE,
        "-font", serif, "-pointsize", "28",
        "-annotate", "+150+400", BODY[0], "-annotate", "+150+460", BODY[1], "-annotate", "+150+520", BODY[2],
        "-seed", "7", "-attenuate", "0.3", "+noise", "Gaussian", "-rotate", "0.6", "-gravity", "center", "-extent", "1240x1754",
        "-colorspace", "Gray", "-quality", "80", path.to_str().unwrap(),
    ]);
}

/// An image-only PDF page holding `jpeg` as it is (DCTDecode), as scanners write them.
fn image_pdf(jpeg: &[u8], width: i64, height: i64, path: &Path) {
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let img = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    ));
    let (pw, ph) = (width as f32 * 72.0 / 150.0, height as f32 * 72.0 / 150.0);
    let content = doc.add_object(Stream::new(dictionary! {}, format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q").into_bytes()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img } },
        "Contents" => content,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

/// Character error rate: edit distance over the expected length, whitespace ignored.
fn cer(expected: &str, got: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (no_space(expected).chars().collect(), no_space(got).chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (row[j] + 1).min(row[j - 1] + 1).min(prev + (a[i - 1] != b[j - 1]) as usize);
            prev = cur;
        }
    }
    row[b.len()] as f64 / a.len().max(1) as f64
}

/// The text of binder page `page` (1-based) above the page-number band, as pdftotext reads it.
fn text_above_band(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &[
            "-f",
            &p,
            "-l",
            &p,
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "842",
            "-H",
            "770",
            "-enc",
            "UTF-8",
            pdf.to_str().unwrap(),
            "-",
        ],
    )
}

/// Pairs of neighbouring Chinese characters with a space between them.
fn split_pairs(text: &str) -> usize {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let c: Vec<char> = text.chars().collect();
    c.windows(3).filter(|w| cjk(w[0]) && w[1] == ' ' && cjk(w[2])).count()
}

/// Where pdftotext finds a word containing `needle` on `page`: (xMin, yMin) as shares of the page.
fn find_word(pdf: &Path, page: usize, needle: &str) -> Option<(f64, f64)> {
    let p = page.to_string();
    let html = tool("pdftotext", &["-f", &p, "-l", &p, "-bbox", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let attr = |s: &str, name: &str| -> f64 {
        let k = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[k..].split('"').next().unwrap().parse().unwrap()
    };
    let page_line = html.lines().find(|l| l.contains("<page "))?;
    let (pw, ph) = (attr(page_line, "width"), attr(page_line, "height"));
    html.lines()
        .filter(|l| l.contains("<word") && l.contains(needle))
        .map(|l| (attr(l, "xMin") / pw, attr(l, "yMin") / ph))
        .next()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), stderr(out)))
}

fn dossier_json(dir: &Path, style: &str) {
    let json = format!(
        r#"{{ "title": "识别测试", "output": "build/t.pdf", "style": {{ {style} }},
          "parts": [ {{ "title": "第一部分", "text": ["说明文字。"],
            "evidence": [ {{ "title": "扫描的通知", "files": ["scan.pdf", "upside.pdf", "blank.pdf", "photo.jpg", "fax.tif"] }} ] }} ] }}"#
    );
    std::fs::write(dir.join("dossier.json"), json).unwrap();
}

/// The image XObjects' streams on binder page `page` (1-based).
fn images_on(doc: &Document, page: usize) -> Vec<Vec<u8>> {
    let id = doc.get_pages()[&(page as u32)];
    let mut out = Vec::new();
    let page = doc.get_dictionary(id).unwrap();
    let res = page.get(b"Resources").unwrap();
    let res = match res {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let xo = match res.get(b"XObject").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    for (_, v) in xo.iter() {
        if let Ok(s) = doc.get_object(v.as_reference().unwrap()).and_then(|o| o.as_stream())
            && s.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Image")
        {
            out.push(s.content.clone());
        }
    }
    out
}

/// The text layer's operators on binder page `page` (1-based).
fn layer_ops(doc: &Document, page: usize) -> String {
    let id = doc.get_pages()[&(page as u32)];
    let page = doc.get_dictionary(id).unwrap();
    let res = match page.get(b"Resources").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let xo = match res.get(b"XObject").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let form = doc.get_object(xo.get(b"DossierOcr").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    String::from_utf8_lossy(&form.decompressed_content().unwrap()).into_owned()
}

#[test]
fn scanned_pages_become_searchable_upright_and_cached() {
    let dir = scratch("ocr-scans");
    let jpg = dir.join("page.jpg");
    scan_jpeg(&jpg);
    let page = std::fs::read(&jpg).unwrap();
    image_pdf(&page, 1240, 1754, &dir.join("scan.pdf"));
    let up = dir.join("up.jpg");
    convert(&[jpg.to_str().unwrap(), "-rotate", "180", up.to_str().unwrap()]);
    image_pdf(&std::fs::read(&up).unwrap(), 1240, 1754, &dir.join("upside.pdf"));
    let blank = dir.join("blank.jpg");
    #[rustfmt::skip]
    convert(&["-size", "1240x1754", "xc:gray97", "-seed", "7", "-attenuate", "0.2", "+noise", "Gaussian", "-colorspace", "Gray", "-quality", "80", blank.to_str().unwrap()]);
    image_pdf(&std::fs::read(&blank).unwrap(), 1240, 1754, &dir.join("blank.pdf"));
    std::fs::copy(&jpg, dir.join("photo.jpg")).unwrap();
    convert(&[
        jpg.to_str().unwrap(),
        "-threshold",
        "55%",
        "-density",
        "150",
        "-compress",
        "Group4",
        dir.join("fax.tif").to_str().unwrap(),
    ]);
    dossier_json(&dir, "");

    let out = dossier(&["build", "--ocr", "--json"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["ocr"]["read"], 5, "{report}");
    let codes: Vec<(String, String)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap().to_string(), w["file"].as_str().unwrap_or("").to_string()))
        .collect();
    assert!(codes.iter().any(|(c, f)| c == "page_turned" && f.ends_with("upside.pdf")), "{codes:?}");
    assert!(codes.iter().any(|(c, f)| c == "blank_page" && f.ends_with("blank.pdf")), "{codes:?}");
    let pdf = dir.join("build/t.pdf");
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);

    // Cover, contents, the narrative page, then scan, upside, blank, photo, fax.
    let expected = format!("{TITLE}{}", BODY.concat());
    let mut cers = Vec::new();
    for (name, p) in [("scan", 4), ("upside", 5), ("photo", 7), ("fax", 8)] {
        let text = text_above_band(&pdf, p);
        let e = cer(&expected, &text);
        eprintln!("{name}: CER {:.1} %, {} split pairs: {text}", e * 100.0, split_pairs(&text));
        cers.push(e);
        assert!(e <= 0.08, "{name} (page {p}) reads with CER {:.1} %: {text}", e * 100.0);
        assert_eq!(split_pairs(&text), 0, "{name}: spaces between Chinese characters: {text}");
        assert!(text.contains("Web") && text.contains("2023"), "{name}: {text}");
        // The title where it was drawn: near the top, indented about a seventh of the picture (a
        // photo is set smaller, inside the type area).
        let (x, y) = find_word(&pdf, p, "粤港职业教育").unwrap_or_else(|| panic!("{name}: title not found by search"));
        let (xs, ys) = if name == "photo" { (0.2..0.3, 0.17..0.27) } else { (0.1..0.2, 0.09..0.19) };
        assert!(xs.contains(&x) && ys.contains(&y), "{name}: title found at ({x:.2}, {y:.2})");
    }
    let doc = Document::load(&pdf).unwrap();
    // Invisible, and the scans' images are the sources' bytes.
    for p in [4, 5, 7, 8] {
        let ops = layer_ops(&doc, p);
        assert!(ops.contains("BT 3 Tr") && !ops.contains(" 0 Tr"), "page {p}: {ops}");
    }
    assert!(images_on(&doc, 4).contains(&page), "the scan's JPEG is not byte-identical in the binder");
    assert!(images_on(&doc, 7).contains(&page), "the photo's JPEG is not byte-identical in the binder");
    assert!(no_space(&text_above_band(&pdf, 6)).is_empty(), "the blank page has no text layer");

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("build/t.manifest.json")).unwrap()).unwrap();
    let text: Vec<&str> = manifest.as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(text, ["own", "own", "own", "ocr", "ocr", "none", "ocr", "ocr"]);
    let status = dossier(&["status", "--json"], &dir);
    assert_eq!(json_of(&status)["pages_without_text"], 1, "status counts the pages without text");

    // Nothing new: no page goes to the engine again, and the binder is the same, byte for byte.
    let cold = std::fs::read(&pdf).unwrap();
    let again = dossier(&["build", "--ocr", "--json"], &dir);
    let report = json_of(&again);
    assert_eq!((report["ocr"]["read"].as_u64(), report["ocr"]["cached"].as_u64()), (Some(0), Some(5)), "{report}");
    assert!(std::fs::read(&pdf).unwrap() == cold, "a warm --ocr rebuild wrote another binder");

    // A reading cut short in the cache is not believed: that page is read again, to the same binder.
    let cache = dir.join("build/.dossier-cache/ocr");
    let entry = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "ocr"))
        .expect("readings are kept in the cache");
    let kept = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &kept[..kept.len() - 40]).unwrap();
    let report = json_of(&dossier(&["build", "--ocr", "--json"], &dir));
    assert_eq!((report["ocr"]["read"].as_u64(), report["ocr"]["cached"].as_u64()), (Some(1), Some(4)), "{report}");
    assert!(std::fs::read(&pdf).unwrap() == cold, "a rebuild after a damaged cache entry wrote another binder");

    // And a build from scratch writes the same binder.
    let fresh = dossier(&["build", "--ocr", "--no-cache", "-o", "full/t.pdf"], &dir);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert!(std::fs::read(dir.join("full/t.pdf")).unwrap() == cold, "--no-cache --ocr wrote another binder");

    // Blank pages left out when the dossier says so (from the cache: no reading at all).
    dossier_json(&dir, r#""ocr": true, "drop_blank_pages": true"#);
    let dropped = dossier(&["build", "--json"], &dir);
    let report = json_of(&dropped);
    assert_eq!(report["pages"], 7, "{report}");
    assert_eq!(report["ocr"]["read"], 0, "{report}");
    assert!(report["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "blank_page_dropped"), "{report}");
}

#[test]
fn ocr_without_the_engine_fails_at_once_saying_how_to_install_it() {
    let dir = scratch("ocr-no-engine");
    dossier_json(&dir, "");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--ocr"])
        .current_dir(&dir)
        .env("DOSSIER_LANG", "en")
        .env("DOSSIER_TESSERACT", dir.join("no-such-tesseract"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim"), "{err}");
    assert!(err.contains("Tesseract-OCR"), "{err}");
    // Before any file was read: the missing evidence files are not what it complains about.
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
fn init_titles_files_whose_names_say_nothing_by_their_heading() {
    let dir = scratch("ocr-init");
    let part = dir.join("第一部分 合作交流");
    std::fs::create_dir_all(&part).unwrap();
    let jpg = dir.join("page.jpg");
    scan_jpeg(&jpg);
    let page = std::fs::read(&jpg).unwrap();
    image_pdf(&page, 1240, 1754, &part.join("扫描件001.pdf"));
    // A PDF made on a computer, named by a scanner app: its heading is its own text (here a cover
    // dossier typesets, the title over two lines), no picture to read.
    let made = scratch("ocr-init-made");
    std::fs::write(
        made.join("dossier.json"),
        format!(
            r#"{{ "title": "{TITLE}", "output": "notice.pdf",
              "cover": {{ "organization": "深圳市龙岗职业技术学校", "date": "2023年11月" }},
              "parts": [ {{ "title": "正文", "text": ["{}"] }} ] }}"#,
            BODY.concat()
        ),
    )
    .unwrap();
    let o = dossier(&["build"], &made);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::copy(made.join("notice.pdf"), part.join("scan.pdf")).unwrap();
    // A name that says what the file is stays, and the file is not read.
    std::fs::write(part.join("活动方案.jpg"), b"not read").unwrap();
    std::fs::remove_file(&jpg).unwrap();
    let out = dossier(&["init", "--ocr"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = std::fs::read_to_string(dir.join("dossier.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let titles: Vec<String> = v["parts"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.iter().any(|t| cer(TITLE, t) <= 0.1), "{titles:?}");
    assert!(titles.contains(&"活动方案".to_string()), "{titles:?}");
    let made_title = v["parts"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["files"][0].as_str().unwrap().ends_with("scan.pdf"))
        .map(|e| e["title"].as_str().unwrap().to_string());
    assert_eq!(made_title.as_deref(), Some(TITLE), "{json}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 item(s) titled by the heading"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The checker's sample case built with `--ocr`: the certificate TIFF's frames get a text layer,
/// and the binder still passes every check (its pages, photos, contents and bookmarks).
#[test]
fn the_sample_case_read_with_ocr_passes_the_binder_checker() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: the shared folder with the binder checker is not beside the repository");
        return;
    };
    let probe = Command::new("python3").args(["-c", "import pymupdf, pikepdf"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: the binder checker needs python3 with pymupdf and pikepdf (pip install pymupdf pikepdf)");
        return;
    }
    let case = scratch("ocr-contract");
    copy_tree(&shared.join("cases/tiny"), &case);
    let out = dossier(&["build", "--ocr", "--json"], &case);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json_of(&out);
    assert!(report["ocr"]["read"].as_u64().unwrap_or(0) >= 2, "{report}");
    let pdf = case.join("build/tiny.pdf");
    // The certificate's frames are searchable now: its heading is text on some page.
    assert!(page_texts(&pdf).iter().any(|t| no_space(t).contains("研修结业证书")), "the TIFF's heading is not text");
    let r = Command::new("python3")
        .arg(shared.join("tools/verify_binder.py"))
        .arg(&case)
        .arg(&pdf)
        .output()
        .expect("python3 runs the checker");
    let checks = String::from_utf8_lossy(&r.stdout);
    assert!(
        r.status.success() && checks.contains(" passed, 0 failed"),
        "{checks}{}",
        String::from_utf8_lossy(&r.stderr)
    );
}

/// A PDF as an office makes it by appending a scan to a typed page: page 1 has its own text and two
/// links into page 2 (one to a rectangle round the title, one to a spot on it); page 2 is a
/// landscape image of the notice scanned lying on its side (`jpeg`, 150 dpi).
fn typed_page_then_sideways_scan(jpeg: &[u8], width: i64, height: i64, title_box: [f32; 4], path: &Path) {
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let (pw, ph) = (width as f32 * 72.0 / 150.0, height as f32 * 72.0 / 150.0);
    let img = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    ));
    let scan_content =
        doc.add_object(Stream::new(dictionary! {}, format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q").into_bytes()));
    let scan = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img } },
        "Contents" => scan_content,
    });
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let typed_content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 14 Tf 72 760 Td (Attachment: the notice, next page) Tj ET".to_vec(),
    ));
    let link = |dest: Vec<Object>, y: f32| {
        Object::Dictionary(dictionary! {
            "Type" => "Annot", "Subtype" => "Link", "Border" => vec![0.into(), 0.into(), 0.into()],
            "Rect" => vec![Object::Real(72.0), Object::Real(y), Object::Real(400.0), Object::Real(y + 20.0)],
            "Dest" => dest,
        })
    };
    let [x0, y0, x1, y1] = title_box;
    let fit_r =
        vec![scan.into(), "FitR".into(), Object::Real(x0), Object::Real(y0), Object::Real(x1), Object::Real(y1)];
    let xyz = vec![scan.into(), "XYZ".into(), Object::Real(x0), Object::Real(y1), Object::Null];
    let typed = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "Contents" => typed_content,
        "Annots" => vec![link(fit_r, 740.0), link(xyz, 700.0)],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![typed.into(), scan.into()], "Count" => 2 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

fn numbers(o: &Object) -> Vec<f32> {
    o.as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_float().ok().or_else(|| v.as_i64().ok().map(|i| i as f32)))
        .collect()
}

/// A page scanned lying on its side is turned upright, and whatever points at it follows: the
/// binder's bookmark and 目录 line scroll to the top of the upright page, a link inside the file to
/// the title's rectangle lands on the title where it now stands, and a link to a spot shows the
/// whole page (a spot's "below" is another direction once the page is turned).
#[test]
fn destinations_on_a_page_turned_upright_follow_the_turn() {
    let dir = scratch("ocr-turned-dests");
    let jpg = dir.join("page.jpg");
    scan_jpeg(&jpg);
    let side = dir.join("side.jpg");
    convert(&[jpg.to_str().unwrap(), "-rotate", "90", side.to_str().unwrap()]);
    // The title, drawn at +180+250 (pixels, baseline) on the upright 1240 × 1754 page, lies on
    // the sideways page along x = 1754 − 250 … 1754 − 205, y = 180 … 940; in points (150 dpi, y up):
    let pt = 72.0 / 150.0;
    let title_box = [(1754.0 - 255.0) * pt, (1240.0 - 945.0) * pt, (1754.0 - 200.0) * pt, (1240.0 - 175.0) * pt];
    typed_page_then_sideways_scan(&std::fs::read(&side).unwrap(), 1754, 1240, title_box, &dir.join("notice.pdf"));
    std::fs::write(
        dir.join("dossier.json"),
        r#"{ "title": "转页测试", "output": "build/t.pdf",
          "parts": [ { "title": "第一部分", "text": ["说明文字。"],
            "evidence": [ { "title": "附件的通知", "files": [{ "path": "notice.pdf", "pages": "2" }] },
                          { "title": "带附件的通知", "files": ["notice.pdf"] } ] } ] }"#,
    )
    .unwrap();
    let out = dossier(&["build", "--ocr", "--json"], &dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json_of(&out);
    assert!(report["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "page_turned"), "{report}");
    let pdf = dir.join("build/t.pdf");
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);

    // Cover, contents, narrative; then the scan alone (4), the typed page (5), the scan again (6).
    let doc = Document::load(&pdf).unwrap();
    let pages = doc.get_pages();
    let size = |p: u32| {
        let b = numbers(doc.get_dictionary(pages[&p]).unwrap().get(b"MediaBox").unwrap());
        (b[2] - b[0], b[3] - b[1])
    };
    for p in [4, 6] {
        let (w, h) = size(p);
        assert!(h > w, "page {p} is still lying on its side: {w} × {h}");
    }
    // The bookmark of the item that starts on the turned page, and its 目录 line: the top of the
    // upright page (its height, not the width it had lying down).
    let b = Binder::open(&pdf);
    let item = b.bookmarks().into_iter().find(|(_, t, _)| t == "附件的通知").expect("bookmark");
    assert_eq!(item.2, 3, "bookmark to page index {}", item.2);
    let tops: Vec<f32> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Title").ok().map(text_string).as_deref() == Some("附件的通知"))
        .map(|d| numbers(d.get(b"Dest").unwrap())[0])
        .collect();
    let contents = doc.get_dictionary(pages[&2]).unwrap();
    let link_tops: Vec<f32> = contents
        .get(b"Annots")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| doc.get_dictionary(a.as_reference().unwrap()).unwrap())
        .filter(|a| {
            a.get(b"Dest").ok().and_then(|d| d.as_array().ok()).and_then(|d| d[0].as_reference().ok())
                == Some(pages[&4])
        })
        .map(|a| numbers(a.get(b"Dest").unwrap())[0])
        .collect();
    assert_eq!(tops.len(), 1, "{tops:?}");
    assert!(!link_tops.is_empty(), "no 目录 line links to the turned page");
    for top in tops.iter().chain(&link_tops) {
        assert!((top - size(4).1).abs() < 1.0, "scrolls to y = {top} on a page {:?}", size(4));
    }

    // The links inside the file, on binder page 5, into the turned scan on page 6.
    let typed = doc.get_dictionary(pages[&5]).unwrap();
    let dests: Vec<Vec<Object>> = typed
        .get(b"Annots")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            doc.get_dictionary(a.as_reference().unwrap()).unwrap().get(b"Dest").unwrap().as_array().unwrap().clone()
        })
        .collect();
    assert_eq!(dests.len(), 2, "{dests:?}");
    for d in &dests {
        assert_eq!(d[0].as_reference().unwrap(), pages[&6], "{d:?}");
    }
    let kind = |d: &Vec<Object>| String::from_utf8_lossy(d[1].as_name().unwrap()).into_owned();
    let fit_r = dests.iter().find(|d| kind(d) == "FitR").expect("the rectangle link");
    assert!(dests.iter().any(|d| kind(d) == "Fit"), "the spot link does not show the whole page: {dests:?}");
    let r: Vec<f32> = fit_r[2..].iter().map(|v| v.as_float().unwrap()).collect();
    // Where search finds the title on the upright page (pdftotext: from the top, shares of the page).
    let (x, y) = find_word(&pdf, 6, "粤港职业教育").expect("title found by search on the turned page");
    let (w, h) = size(6);
    let (tx, ty) = (x * w as f64, h as f64 - y * h as f64);
    assert!(
        (r[0] as f64) < tx + 5.0 && tx < r[2] as f64 && (r[1] as f64) < ty && ty < r[3] as f64 + 5.0,
        "the link's rectangle {r:?} misses the title at ({tx:.0}, {ty:.0})"
    );
    assert!(r[2] - r[0] > r[3] - r[1], "the title's rectangle still stands on end: {r:?}");
}
