//! Shared by the integration tests: run the real binary, then read what it wrote the way a viewer
//! would (lopdf for structure, poppler's pdftotext/pdffonts/pdftoppm for what a person sees).
#![allow(dead_code)]

use lopdf::{Document, Object, ObjectId};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary. Messages in English, whatever the machine's language, so tests can read them.
pub fn dossier(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .env("DOSSIER_LANG", "en")
        .output()
        .expect("run dossier")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared folder (the binder checker and its sample cases) beside the repository or beside
/// one of the folders that hold it (a worktree sits a level deeper than the main checkout).
pub fn shared_dir() -> Option<PathBuf> {
    repo().ancestors().skip(1).map(|d| d.join("shared")).find(|s| s.join("tools/verify_binder.py").is_file())
}

/// Copy a folder tree (the shared cases are read-only: a build writes into the copy).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("copy target");
    for e in std::fs::read_dir(from).expect("read case folder") {
        let e = e.expect("case entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::write(&target, std::fs::read(e.path()).expect("read case file")).expect("write copy");
        }
    }
}

/// A fresh folder under the target directory (kept on failure for inspection).
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed by the tests (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text of every page, in order (pdftotext separates pages with form feeds).
pub fn page_texts(pdf: &Path) -> Vec<String> {
    let s = tool("pdftotext", &["-layout", "-enc", "UTF-8", pdf.to_str().expect("utf-8 path"), "-"]);
    let mut pages: Vec<String> = s.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

pub fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn text_string(o: &Object) -> String {
    match o {
        Object::String(b, _) if b.starts_with(&[0xFE, 0xFF]) => {
            let u: Vec<u16> =
                b[2..].chunks(2).filter(|c| c.len() == 2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&u)
        }
        Object::String(b, _) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    }
}

pub struct Binder {
    pub doc: Document,
    pub pages: Vec<ObjectId>,
}

impl Binder {
    pub fn open(p: &Path) -> Binder {
        let doc = Document::load(p).expect("binder loads with lopdf");
        let pages = doc.get_pages().into_values().collect();
        Binder { doc, pages }
    }

    fn get<'a>(&'a self, o: &'a Object) -> &'a Object {
        match o {
            Object::Reference(id) => self.doc.get_object(*id).expect("reference resolves"),
            o => o,
        }
    }

    pub fn catalog(&self) -> &lopdf::Dictionary {
        self.doc.catalog().expect("catalog")
    }

    /// The label of every page, computed from /PageLabels as a viewer does.
    pub fn labels(&self) -> Vec<String> {
        let pl = self.get(self.catalog().get(b"PageLabels").expect("/PageLabels")).as_dict().expect("dict");
        let nums = self.get(pl.get(b"Nums").expect("/Nums")).as_array().expect("array");
        let rules: Vec<(usize, lopdf::Dictionary)> = nums
            .chunks(2)
            .map(|c| (c[0].as_i64().expect("index") as usize, self.get(&c[1]).as_dict().expect("label dict").clone()))
            .collect();
        (0..self.pages.len())
            .map(|p| {
                let (start, d) = rules.iter().rev().find(|(s, _)| *s <= p).expect("a rule covers the page");
                let prefix = d.get(b"P").map(text_string).unwrap_or_default();
                let n = p - start + d.get(b"St").ok().and_then(|s| s.as_i64().ok()).unwrap_or(1) as usize;
                let num = match d.get(b"S").ok().and_then(|s| s.as_name().ok()) {
                    Some(b"D") => n.to_string(),
                    Some(b"r") => roman(n),
                    None => String::new(),
                    Some(s) => panic!("unexpected label style {:?}", String::from_utf8_lossy(s)),
                };
                prefix + &num
            })
            .collect()
    }

    pub fn page_index(&self, id: ObjectId) -> Option<usize> {
        self.pages.iter().position(|&p| p == id)
    }

    /// Bookmarks depth-first: (depth, title, target page index).
    pub fn bookmarks(&self) -> Vec<(usize, String, usize)> {
        let mut out = Vec::new();
        let root = self.get(self.catalog().get(b"Outlines").expect("/Outlines")).as_dict().expect("dict");
        let mut stack: Vec<(ObjectId, usize)> = Vec::new();
        if let Ok(Object::Reference(first)) = root.get(b"First") {
            stack.push((*first, 0));
        }
        while let Some((id, depth)) = stack.pop() {
            let d = self.doc.get_dictionary(id).expect("outline item");
            let dest = self.get(d.get(b"Dest").expect("every bookmark has a /Dest")).as_array().expect("explicit dest");
            let page = match dest[0] {
                Object::Reference(p) => self.page_index(p).expect("dest is a page of the binder"),
                _ => panic!("dest without a page"),
            };
            out.push((depth, text_string(d.get(b"Title").expect("title")), page));
            if let Ok(Object::Reference(next)) = d.get(b"Next") {
                stack.push((*next, depth));
            }
            if let Ok(Object::Reference(first)) = d.get(b"First") {
                stack.push((*first, depth + 1));
            }
        }
        out
    }

    /// Link annotations on a page: (rect, target page index).
    pub fn links(&self, page: usize) -> Vec<([f32; 4], usize)> {
        let d = self.doc.get_dictionary(self.pages[page]).expect("page");
        let Ok(annots) = d.get(b"Annots") else { return Vec::new() };
        self.get(annots)
            .as_array()
            .expect("annots")
            .iter()
            .filter_map(|a| {
                let a = self.get(a).as_dict().ok()?;
                let r: Vec<f32> = self
                    .get(a.get(b"Rect").ok()?)
                    .as_array()
                    .ok()?
                    .iter()
                    .map(|v| v.as_float().unwrap_or(0.0))
                    .collect();
                let dest = self.get(a.get(b"Dest").ok()?).as_array().ok()?;
                let page = self.page_index(dest[0].as_reference().ok()?)?;
                Some(([r[0], r[1], r[2], r[3]], page))
            })
            .collect()
    }

    /// Every image XObject's raw stream bytes and filter.
    pub fn images(&self) -> Vec<(Vec<u8>, String)> {
        self.doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).is_ok_and(|n| n == b"Image"))
            .map(|s| {
                let f = s
                    .dict
                    .get(b"Filter")
                    .and_then(|f| f.as_name())
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                (s.content.clone(), f)
            })
            .collect()
    }
}

/// The page labels a binder must have: 封面, then i, ii, … for the contents, then 1, 2, … for the
/// body. Returns the labels and the index of the first body page.
pub fn assert_labels(b: &Binder) -> (Vec<String>, usize) {
    let labels = b.labels();
    assert_eq!(labels.len(), b.pages.len());
    assert_eq!(labels[0], "封面");
    let body_start = labels.iter().position(|l| l == "1").expect("a body page labelled 1");
    assert!(body_start >= 2, "no contents pages");
    for (i, l) in labels.iter().enumerate().skip(1) {
        let want = if i < body_start { roman(i) } else { (i - body_start + 1).to_string() };
        assert_eq!(l, &want, "label of page {}", i + 1);
    }
    (labels, body_start)
}

pub fn roman(mut n: usize) -> String {
    let t = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];
    let mut s = String::new();
    for (v, r) in t {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The outline of a dossier.json as (depth, title) in document order, evidence included.
pub fn outline_of(json: &serde_json::Value) -> Vec<(usize, String)> {
    fn walk(n: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        out.push((depth, n["title"].as_str().expect("title").to_string()));
        for e in n["evidence"].as_array().into_iter().flatten() {
            out.push((depth + 1, e["title"].as_str().expect("title").to_string()));
        }
        for s in n["sections"].as_array().into_iter().flatten() {
            walk(s, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for p in json["parts"].as_array().expect("parts") {
        walk(p, 0, &mut out);
    }
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The pages each evidence item takes in the binder, in outline order, as (title, pages): from its
/// bookmark to the next bookmark, or to the end. Headings and narrative never fall inside such a
/// span: the next heading is set on a page of its own after the item's last page.
pub fn evidence_spans(b: &Binder, json: &serde_json::Value) -> Vec<(String, usize)> {
    fn kinds(n: &serde_json::Value, out: &mut Vec<bool>) {
        out.push(false);
        for _ in n["evidence"].as_array().into_iter().flatten() {
            out.push(true);
        }
        for s in n["sections"].as_array().into_iter().flatten() {
            kinds(s, out);
        }
    }
    let mut is_evidence = Vec::new();
    for p in json["parts"].as_array().expect("parts") {
        kinds(p, &mut is_evidence);
    }
    let marks = b.bookmarks();
    assert_eq!(marks.first().map(|m| m.1.as_str()), Some("目录"), "the first bookmark is the contents");
    let marks = &marks[1..];
    assert_eq!(marks.len(), is_evidence.len(), "one bookmark per outline entry");
    (0..marks.len())
        .filter(|&i| is_evidence[i])
        .map(|i| {
            let end = marks.get(i + 1).map_or(b.pages.len(), |m| m.2);
            (marks[i].1.clone(), end - marks[i].2)
        })
        .collect()
}

/// Pages of a source file read independently of dossier: pdfinfo for PDFs, the image file
/// directories of a TIFF, one for a photo; None for Word files (their count is LibreOffice's).
pub fn source_pages(path: &Path) -> Option<usize> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => {
            let info = tool("pdfinfo", &[path.to_str().expect("utf-8 path")]);
            info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().parse().expect("page count"))
        }
        "jpg" | "jpeg" | "png" => Some(1),
        "tif" | "tiff" => {
            let d = std::fs::read(path).expect("read tiff");
            let le = d.starts_with(b"II");
            let u16_at = |o: usize| {
                let b = [d[o], d[o + 1]];
                if le { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) }
            };
            let u32_at = |o: usize| {
                let b = [d[o], d[o + 1], d[o + 2], d[o + 3]];
                if le { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) }
            };
            let (mut ifd, mut n) = (u32_at(4) as usize, 0);
            while ifd != 0 {
                n += 1;
                ifd = u32_at(ifd + 2 + 12 * u16_at(ifd) as usize) as usize;
            }
            Some(n)
        }
        _ => None,
    }
}

/// One part of a Word file (a zip), as text.
pub fn docx_part(docx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).expect("open docx")).expect("the .docx is a zip");
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap_or_else(|_| panic!("{name} in the .docx")), &mut s)
        .expect("part is UTF-8");
    s
}

/// Every file under word/media/ of a Word file: (name, bytes).
pub fn docx_media(docx: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).expect("open docx")).expect("the .docx is a zip");
    let names: Vec<String> = zip.file_names().filter(|n| n.starts_with("word/media/")).map(String::from).collect();
    names
        .into_iter()
        .map(|n| {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut zip.by_name(&n).expect("media part"), &mut v).expect("read media");
            (n, v)
        })
        .collect()
}

/// Convert a Word file to PDF with LibreOffice, as a reviewer opening it would see it; a private
/// profile keeps the run independent of any other LibreOffice.
/// A fresh profile now and then fails to start while another LibreOffice runs: try again.
pub fn soffice_pdf(docx: &Path, out_dir: &Path) -> PathBuf {
    let pdf = out_dir.join(docx.with_extension("pdf").file_name().expect("file name"));
    let mut errors = String::new();
    for attempt in 0..3 {
        let profile = out_dir.join(format!("lo-profile-{attempt}"));
        let out = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(out_dir)
            .arg(docx)
            .output()
            .expect("soffice is needed by the tests (apt-get install libreoffice-writer-nogui)");
        if pdf.is_file() {
            return pdf;
        }
        errors.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    panic!("LibreOffice wrote no PDF: {errors}");
}

/// Render one page (1-based) of a PDF at `dpi`: (width, height, RGB bytes).
pub fn render_page(pdf: &Path, page: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.with_extension(format!("render{page}"));
    let n = page.to_string();
    let p = prefix.to_str().expect("utf-8 path");
    tool("pdftoppm", &["-r", &dpi.to_string(), "-f", &n, "-l", &n, "-singlefile", pdf.to_str().expect("utf-8"), p]);
    parse_pnm(&std::fs::read(prefix.with_extension(format!("render{page}.ppm"))).expect("rendered page"))
}

/// A binary PPM or PGM as pdftoppm writes it ("P6\n<w> <h>\n255\n<samples>"): (width, height, samples).
pub fn parse_pnm(data: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[s..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    let channels = if fields[0] == "P5" { 1 } else { 3 };
    (w, h, data[i + 1..i + 1 + w * h * channels].to_vec())
}

/// A photo that shows red in its visual top-left and blue in its visual bottom-right, stored the way
/// a camera with EXIF `orientation` stores it.
pub fn phone_photo(path: &Path, orientation: u8, vw: u16, vh: u16) {
    let (sw, sh) = if orientation >= 5 { (vh, vw) } else { (vw, vh) };
    let visual = |x: u16, y: u16| -> [u8; 3] {
        let (cx, cy) = (vw / 3, vh / 3);
        if x < cx && y < cy {
            [230, 20, 20]
        } else if x >= vw - cx && y >= vh - cy {
            [20, 20, 230]
        } else {
            [200, 200, 200]
        }
    };
    let mut px = Vec::with_capacity(sw as usize * sh as usize * 3);
    for y in 0..sh {
        for x in 0..sw {
            let (w, h) = (sw - 1, sh - 1);
            let (vx, vy) = match orientation {
                2 => (w - x, y),
                3 => (w - x, h - y),
                4 => (x, h - y),
                5 => (y, x),
                6 => (h - y, x),
                7 => (h - y, w - x),
                8 => (y, w - x),
                _ => (x, y),
            };
            px.extend_from_slice(&visual(vx, vy));
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85).encode(&px, sw, sh, jpeg_encoder::ColorType::Rgb).unwrap();
    // An EXIF APP1 segment with the one tag that matters, right after SOI.
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&[0, orientation, 0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    std::fs::write(path, out).unwrap();
}

/// Page `page` (1-based) of `pdf`, rendered, shows a `phone_photo` as a reviewer must see it:
/// whole, 4:3, red at its visual top-left and blue at its bottom-right (the photo being the box of
/// non-white pixels above the page-number band). `what` names the case in failures.
pub fn assert_photo_upright(pdf: &Path, page: usize, what: &str) {
    let (w, h, px) = render_page(pdf, page, 30);
    let at = |x: usize, y: usize| &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h * 85 / 100 {
        for x in 0..w {
            if at(x, y).iter().any(|&c| c < 240) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    assert!(x1 > x0 && y1 > y0, "{what}: no photo on page {page}");
    let aspect = (x1 - x0 + 1) as f32 / (y1 - y0 + 1) as f32;
    assert!((aspect - 4.0 / 3.0).abs() < 0.08, "{what}: aspect {aspect}: the photo was turned");
    let (red, blue) = (at(x0 + 2, y0 + 2), at(x1 - 2, y1 - 2));
    assert!(red[0] > 180 && red[2] < 90, "{what}: top-left is {red:?}, not red");
    assert!(blue[2] > 180 && blue[0] < 90, "{what}: bottom-right is {blue:?}, not blue");
}

/// A scratch folder with a dossier of one evidence item: a phone photo per EXIF orientation.
pub fn photo_case(name: &str, orientations: &[u8]) -> std::path::PathBuf {
    let dir = scratch(name);
    let mut files = Vec::new();
    for &o in orientations {
        let name = format!("IMG_{o} 现场.jpg");
        phone_photo(&dir.join(&name), o, 400, 300);
        files.push(serde_json::Value::from(name));
    }
    let d = serde_json::json!({
        "title": "照片测试",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "活动照片", "files": files }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    dir
}
