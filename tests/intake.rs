//! PDFs as offices' tools make them: encrypted with an owner password only, compressed into object
//! streams, linearised, updated incrementally, with a shifted or missing cross-reference table,
//! with attributes inherited from the page tree, in A3, Letter and mixed sizes, with links and
//! forms, or cut short in a download. Every one builds, every page arrives in order, and the binder
//! passes `qpdf --check` and is the same byte for byte when built again.

mod common;
use common::*;
use lopdf::Object;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixtures of tests/fixtures/make_pdfs.py, made once per test in `dir`.
fn make_pdfs(dir: &Path) {
    let o = Command::new("python3")
        .arg(repo().join("tests/fixtures/make_pdfs.py"))
        .arg(dir)
        .output()
        .expect("python3 makes the fixtures (pip install pymupdf pikepdf; apt-get install qpdf)");
    assert!(o.status.success(), "make_pdfs.py failed: {}", String::from_utf8_lossy(&o.stderr));
}

fn write_dossier(dir: &Path, style: serde_json::Value, items: &[(&str, serde_json::Value)]) {
    let evidence: Vec<serde_json::Value> =
        items.iter().map(|(title, files)| serde_json::json!({ "title": title, "files": files })).collect();
    let d = serde_json::json!({
        "title": "来源测试",
        "output": "out/binder.pdf",
        "style": style,
        "parts": [{ "title": "第一部分 来源", "sections": [{ "title": "一、各种PDF", "evidence": evidence }] }]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&d).unwrap()).unwrap();
}

/// `qpdf --check` passes with nothing to say beyond its usual lines.
pub fn assert_qpdf_clean(pdf: &Path) {
    let o = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf is installed");
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "qpdf --check failed:\n{out}");
    assert!(!out.contains("WARNING") && !out.contains("ERROR"), "qpdf --check warns:\n{out}");
}

/// The SRC-… markers of the body, page by page, in binder order.
fn markers(pdf: &Path) -> Vec<String> {
    page_texts(pdf)
        .iter()
        .flat_map(|t| t.split_whitespace().filter(|w| w.starts_with("SRC-")).map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn want(list: &[(&str, &[u32])]) -> Vec<String> {
    list.iter().flat_map(|(n, ps)| ps.iter().map(move |p| format!("SRC-{n}-P{p}"))).collect()
}

fn sizes(pdf: &Path) -> Vec<(f32, f32)> {
    let b = Binder::open(pdf);
    b.pages
        .iter()
        .map(|&id| {
            let d = b.doc.get_dictionary(id).unwrap();
            let m: Vec<f32> =
                d.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(|v| v.as_float().unwrap()).collect();
            (m[2] - m[0], m[3] - m[1])
        })
        .collect()
}

fn producers_case(name: &str) -> PathBuf {
    let dir = scratch(name);
    make_pdfs(&dir);
    dir
}

const PRODUCERS: &[&str] =
    &["plain", "rc4", "aes128", "aes256", "objstm", "linear", "incremental", "shifted", "noxref", "inherited", "sizes"];

fn producer_items() -> Vec<(&'static str, serde_json::Value)> {
    let mut items: Vec<(&str, serde_json::Value)> =
        PRODUCERS.iter().map(|n| (*n, serde_json::json!([format!("{n}.pdf")]))).collect();
    // One file with spaces and Chinese in its name, referenced twice and cut differently.
    items.push(("名单（全部）", serde_json::json!(["扫描 件 名单.pdf"])));
    items.push(("名单（第2页）", serde_json::json!([{ "path": "扫描 件 名单.pdf", "pages": "2" }])));
    items
}

fn producer_pages() -> Vec<String> {
    let mut w = want(&[
        ("plain", &[1, 2, 3]),
        ("rc4", &[1, 2]),
        ("aes128", &[1, 2]),
        ("aes256", &[1, 2]),
        ("objstm", &[1, 2]),
        ("linear", &[1, 2]),
    ]);
    // The incremental update added a line above page 2's marker.
    w.extend(want(&[("incremental", &[1])]));
    w.push("SRC-incremental-EDIT".into());
    w.extend(want(&[
        ("incremental", &[2]),
        ("shifted", &[1, 2]),
        ("noxref", &[1, 2]),
        ("inherited", &[1, 2]),
        ("sizes", &[1, 2, 3]),
        ("cjk", &[1, 2, 3, 2]),
    ]));
    w
}

#[test]
fn pdfs_from_every_producer_build_on_a4() {
    let dir = producers_case("intake-producers");
    write_dossier(&dir, serde_json::json!({}), &producer_items());
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("warning"), "a good file gave a warning:\n{err}");
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    assert_eq!(markers(&pdf), producer_pages());

    // Fitted onto A4, in each page's own orientation: the A3 landscape page on A4 landscape, the
    // landscape page turned upright by an inherited /Rotate on A4 portrait.
    let b = Binder::open(&pdf);
    let texts = page_texts(&pdf);
    let page_of = |m: &str| texts.iter().position(|t| t.contains(m)).unwrap_or_else(|| panic!("{m} not found"));
    let s = sizes(&pdf);
    let a4 = |(w, h): (f32, f32)| (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0;
    let a4l = |(w, h): (f32, f32)| a4((h, w));
    assert!(a4l(s[page_of("SRC-sizes-P1")]), "A3 landscape: {:?}", s[page_of("SRC-sizes-P1")]);
    assert!(a4(s[page_of("SRC-sizes-P2")]), "Letter: {:?}", s[page_of("SRC-sizes-P2")]);
    assert!(a4(s[page_of("SRC-inherited-P1")]), "rotated landscape: {:?}", s[page_of("SRC-inherited-P1")]);
    assert!(s.iter().all(|&p| a4(p) || a4l(p)), "{s:?}");
    assert_eq!(b.pages.len(), texts.len());

    // Reproducible: the same inputs give the same bytes.
    let first = std::fs::read(&pdf).unwrap();
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&pdf).unwrap() == first, "a second build differs from the first");
}

#[test]
fn keep_page_sizes_keeps_a3_and_letter() {
    let dir = producers_case("intake-keep");
    write_dossier(
        &dir,
        serde_json::json!({ "page_size": "keep" }),
        &[("sizes", serde_json::json!(["sizes.pdf"])), ("inherited", serde_json::json!(["inherited.pdf"]))],
    );
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    let texts = page_texts(&pdf);
    let s = sizes(&pdf);
    let size_of = |m: &str| s[texts.iter().position(|t| t.contains(m)).unwrap_or_else(|| panic!("{m} not found"))];
    let near = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).abs() < 0.5 && (a.1 - b.1).abs() < 0.5;
    assert!(near(size_of("SRC-sizes-P1"), (1191.0, 842.0)), "A3 landscape: {:?}", size_of("SRC-sizes-P1"));
    assert!(near(size_of("SRC-sizes-P2"), (612.0, 792.0)), "Letter: {:?}", size_of("SRC-sizes-P2"));
    assert!(near(size_of("SRC-sizes-P3"), (595.0, 842.0)), "A4: {:?}", size_of("SRC-sizes-P3"));
    // The inherited /Rotate 90 turns the 842×595 box upright.
    assert!(near(size_of("SRC-inherited-P1"), (595.0, 842.0)), "{:?}", size_of("SRC-inherited-P1"));
    // Every kept page still carries its printed number, matching its label.
    let b = Binder::open(&pdf);
    let (labels, _) = assert_labels(&b);
    for m in ["SRC-sizes-P1", "SRC-sizes-P2", "SRC-sizes-P3"] {
        let i = texts.iter().position(|t| t.contains(m)).unwrap();
        let words: Vec<&str> = texts[i].split_whitespace().collect();
        assert!(words.contains(&labels[i].as_str()), "{m}: number {} not printed:\n{}", labels[i], texts[i]);
    }

    // Anything but "a4" or "keep" is named, with the field.
    write_dossier(&dir, serde_json::json!({ "page_size": "A5" }), &[("sizes", serde_json::json!(["sizes.pdf"]))]);
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("`page_size`") && err.contains("\"keep\""), "{err}");
}

#[test]
fn links_land_on_copied_pages_and_forms_keep_distinct_fields() {
    let dir = producers_case("intake-links-forms");
    write_dossier(
        &dir,
        serde_json::json!({}),
        &[
            ("named", serde_json::json!(["named.pdf"])),
            // Page 3, the target of one link, is left out here: that link must go.
            ("named again", serde_json::json!([{ "path": "named.pdf", "pages": "1-2" }])),
            ("form a", serde_json::json!(["form-a.pdf"])),
            ("form b", serde_json::json!(["form-b.pdf"])),
        ],
    );
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    let texts = page_texts(&pdf);
    let b = Binder::open(&pdf);
    let pages_with =
        |m: &str| texts.iter().enumerate().filter(|(_, t)| t.contains(m)).map(|(i, _)| i).collect::<Vec<_>>();
    let p1 = pages_with("SRC-named-P1");
    let (p2, p3) = (pages_with("SRC-named-P2"), pages_with("SRC-named-P3"));
    assert_eq!((p1.len(), p2.len(), p3.len()), (2, 2, 1));

    // First copy: the named link and the GoTo action both land on the copies of pages 2 and 3.
    let targets: Vec<usize> = b.links(p1[0]).iter().map(|l| l.1).collect();
    assert_eq!(targets, vec![p2[0], p3[0]], "links of the first copy");
    // Second copy: its page 2 is its own; page 3 is not in it, so that link is gone.
    let targets: Vec<usize> = b.links(p1[1]).iter().map(|l| l.1).collect();
    assert_eq!(targets, vec![p2[1]], "links of the second copy");
    // The web link stays, untouched.
    let uri = |d: &lopdf::Dictionary| -> bool {
        let a = match d.get(b"A") {
            Ok(Object::Reference(id)) => b.doc.get_dictionary(*id).ok(),
            Ok(Object::Dictionary(a)) => Some(a),
            _ => None,
        };
        a.and_then(|a| a.get(b"URI").ok())
            .is_some_and(|u| matches!(u, Object::String(s, _) if s == b"https://example.org/"))
    };
    let uris = p1
        .iter()
        .flat_map(|&p| {
            let annots = b.doc.get_dictionary(b.pages[p]).unwrap().get(b"Annots").unwrap().as_array().unwrap().clone();
            annots.into_iter().filter(|a| uri(b.doc.get_dictionary(a.as_reference().unwrap()).unwrap()))
        })
        .count();
    assert_eq!(uris, 2, "the web link on both copies");

    // Forms: one /AcroForm, every field listed once under a name no other field has, each widget
    // on its page and in its field's /Kids.
    let form = b.doc.catalog().unwrap().get(b"AcroForm").expect("/AcroForm in the catalog");
    let form = match form {
        Object::Reference(id) => b.doc.get_dictionary(*id).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let fields = form.get(b"Fields").unwrap().as_array().unwrap();
    assert_eq!(fields.len(), 4, "two fields from each form");
    let mut names = Vec::new();
    for f in fields {
        let f = b.doc.get_dictionary(f.as_reference().unwrap()).unwrap();
        names.push(text_string(f.get(b"T").unwrap()));
        for kid in f.get(b"Kids").map(|k| k.as_array().unwrap().clone()).unwrap_or_default() {
            let w = b.doc.get_dictionary(kid.as_reference().unwrap()).unwrap();
            let page = w.get(b"P").unwrap().as_reference().unwrap();
            let annots = b.doc.get_dictionary(page).unwrap().get(b"Annots").unwrap().as_array().unwrap();
            assert!(annots.contains(&kid), "a widget in /Kids is not on its page");
        }
    }
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "field names clash: {names:?}");
    assert!(names.iter().all(|n| n.ends_with("name0") || n.ends_with("name1")), "{names:?}");
    // The filled-in values still show.
    let all = texts.join("\n");
    for v in ["form-a value 0", "form-a value 1", "form-b value 0", "form-b value 1"] {
        assert!(all.contains(v), "{v} not shown");
    }
}

/// The form dictionary of a binder.
fn acroform(b: &Binder) -> lopdf::Dictionary {
    match b.doc.catalog().unwrap().get(b"AcroForm").expect("/AcroForm in the catalog") {
        Object::Reference(id) => b.doc.get_dictionary(*id).unwrap().clone(),
        o => o.as_dict().unwrap().clone(),
    }
}

/// The font a /DA string sets, and that font's /BaseFont in the form's /DR.
fn da_base_font(b: &Binder, form: &lopdf::Dictionary, da: &Object) -> (String, String) {
    let da = String::from_utf8_lossy(da.as_str().unwrap()).into_owned();
    let tokens: Vec<&str> = da.split_whitespace().collect();
    let name = tokens.windows(3).find(|t| t[2] == "Tf").map(|t| t[0].trim_start_matches('/')).expect("a font in /DA");
    let fonts = form.get(b"DR").unwrap().as_dict().unwrap().get(b"Font").unwrap().as_dict().unwrap();
    let font = fonts.get(name.as_bytes()).unwrap_or_else(|_| panic!("/DR lacks the font /{name} of {da}"));
    let font = b.doc.get_dictionary(font.as_reference().unwrap()).unwrap();
    (name.to_string(), String::from_utf8_lossy(font.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned())
}

#[test]
fn form_fonts_of_different_files_keep_their_meaning_in_one_form() {
    let dir = producers_case("intake-form-fonts");
    write_dossier(
        &dir,
        serde_json::json!({}),
        &[
            ("PyMuPDF form, /Helv with no /DR", serde_json::json!(["form-a.pdf"])),
            ("/F1 is Courier", serde_json::json!(["form-c.pdf"])),
            ("/F1 is Times, redraw asked", serde_json::json!(["form-d.pdf"])),
        ],
    );
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    let b = Binder::open(&pdf);
    let form = acroform(&b);
    assert_eq!(form.get(b"NeedAppearances").ok(), Some(&Object::Boolean(true)), "form-d asked for redrawing");
    let (_, base) = da_base_font(&b, &form, form.get(b"DA").unwrap());
    assert!(!base.is_empty());
    // Fields in binder order: two from each file.
    let mut seen = Vec::new();
    for f in form.get(b"Fields").unwrap().as_array().unwrap() {
        let f = b.doc.get_dictionary(f.as_reference().unwrap()).unwrap();
        let mut das = vec![f.get(b"DA").ok().cloned()];
        for kid in f.get(b"Kids").map(|k| k.as_array().unwrap().clone()).unwrap_or_default() {
            das.push(b.doc.get_dictionary(kid.as_reference().unwrap()).unwrap().get(b"DA").ok().cloned());
        }
        let fonts: Vec<(String, String)> = das.iter().flatten().map(|da| da_base_font(&b, &form, da)).collect();
        assert!(!fonts.is_empty());
        assert!(fonts.windows(2).all(|w| w[0] == w[1]), "{fonts:?}");
        seen.push(fonts[0].clone());
    }
    let bases: Vec<&str> = seen.iter().map(|(_, b)| b.as_str()).collect();
    assert_eq!(bases, ["Helvetica", "Helvetica", "Courier", "Courier", "Times-Roman", "Times-Roman"], "{seen:?}");
    // Courier came first and kept /F1; Times got a name of its own.
    assert_eq!(seen[2].0, "F1");
    assert_ne!(seen[4].0, "F1");
}

#[test]
fn a_pdf_cut_short_gives_the_pages_it_still_has() {
    let dir = producers_case("intake-truncated");
    // Cut inside page 3's content: pages 1 and 2 are whole.
    let data = std::fs::read(dir.join("plain.pdf")).unwrap();
    let page3 = find_page_object(&data, 3);
    std::fs::write(dir.join("cut.pdf"), &data[..page3 + 400]).unwrap();
    write_dossier(&dir, serde_json::json!({}), &[("下载不完整", serde_json::json!(["cut.pdf"]))]);
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("warning: the PDF is cut short or damaged: page(s) 3 of its 3"), "{err}");
    assert!(err.contains("第一部分 来源 › 一、各种PDF › 下载不完整") && err.contains("cut.pdf"), "{err}");
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    assert_eq!(markers(&pdf), want(&[("plain", &[1, 2])]));

    // Object streams: the catalog sits in one, and the cross-reference stream that led to it is
    // gone with the end of the file.
    let data_os = std::fs::read(dir.join("objstm.pdf")).unwrap();
    std::fs::write(dir.join("cut.pdf"), &data_os[..data_os.len() * 7 / 10]).unwrap();
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("page(s) 2 of its 2 could not be recovered"), "{err}");
    assert_qpdf_clean(&pdf);
    assert_eq!(markers(&pdf), want(&[("objstm", &[1])]));

    // Cut before anything of page 1 survives: nothing to build from.
    std::fs::write(dir.join("cut.pdf"), &data[..find_page_object(&data, 1) + 60]).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("out/binder.pdf"), b"previous").unwrap();
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cut short") && err.contains("下载不完整") && err.contains("cut.pdf"), "{err}");
    assert_eq!(std::fs::read(dir.join("out/binder.pdf")).unwrap(), b"previous");
}

/// A PDF that ends as a whole one and whose cross-reference table reads cleanly, but whose page 2
/// draws a content stream the file does not hold: marked free (`free`), or at an offset where
/// there is no object.
fn pdf_lacking_page2_content(free: bool) -> Vec<u8> {
    let content = |p: u32| format!("BT /F1 24 Tf 72 700 Td (SRC-lack-P{p}) Tj ET");
    let stream = |p: u32| format!("<< /Length {} >>\nstream\n{}\nendstream", content(p).len(), content(p));
    let page = |c: u32| {
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        )
    };
    let objects = [
        (1, "<< /Type /Catalog /Pages 2 0 R >>".to_string()),
        (2, "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>".into()),
        (3, page(4)),
        (4, stream(1)),
        (5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into()),
        (6, page(7)),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = [0; 8];
    for (n, body) in &objects {
        offsets[*n] = out.len();
        out.extend(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend(b"xref\n0 8\n0000000000 65535 f \n");
    for (n, offset) in offsets.iter().enumerate().skip(1) {
        out.extend(
            match (n, free) {
                (7, true) => "0000000000 65535 f \n".to_string(),
                // Inside the header: no "7 0 obj" there.
                (7, false) => "0000000009 00000 n \n".to_string(),
                _ => format!("{offset:010} 00000 n \n"),
            }
            .as_bytes(),
        );
    }
    out.extend(format!("trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

#[test]
fn a_page_drawing_objects_the_file_lacks_is_named_in_a_warning() {
    let dir = scratch("intake-lacking");
    std::fs::write(dir.join("free.pdf"), pdf_lacking_page2_content(true)).unwrap();
    std::fs::write(dir.join("offset.pdf"), pdf_lacking_page2_content(false)).unwrap();
    write_dossier(
        &dir,
        serde_json::json!({}),
        &[("对象已释放", serde_json::json!(["free.pdf"])), ("偏移错误", serde_json::json!(["offset.pdf"]))],
    );
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for (title, file) in [("对象已释放", "free.pdf"), ("偏移错误", "offset.pdf")] {
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&format!("› {title}")))
            .unwrap_or_else(|| panic!("no warning for {title}:\n{err}"));
        assert!(block.contains("warning: the PDF is damaged: page 2 draws content"), "{block}");
        assert!(block.contains(file), "{block}");
    }
    // The page keeps its place (the 目录 and numbering were planned with it), its text is gone.
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);
    assert_eq!(markers(&pdf), want(&[("lack", &[1]), ("lack", &[1])]));
    let body = Binder::open(&pdf).labels().iter().filter(|l| l.parse::<u32>().is_ok()).count();
    assert_eq!(body, 5, "the part's title page and both pages of both files");

    // The same message in Chinese, as a warning in --json.
    let o = dossier(&["build", "--json", "--lang", "zh"], &dir);
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 2, "{out}");
    assert!(w.iter().all(|d| d["code"] == "page_lacks_objects"), "{out}");
    assert!(w[0]["message"].as_str().unwrap().contains("第 2 页要显示的内容不在文件里"), "{out}");
}

/// Byte offset of the `k`-th page object (1-based) in a PDF written with plain objects.
fn find_page_object(data: &[u8], k: usize) -> usize {
    let found: Vec<usize> = data.windows(11).enumerate().filter(|(_, w)| w == b"/Type/Page/").map(|(i, _)| i).collect();
    *found.get(k - 1).unwrap_or_else(|| panic!("page object {k} not found"))
}

/// Words below the type area other than the page number, by page (pdftotext's -bbox view; text
/// past the page's edge is dropped by pdftotext, so text running off a page shows here first).
fn words_below_type_area(pdf: &Path) -> Vec<(usize, String)> {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    // 37 mm top margin and a 225 mm type area, as the house style sets them.
    let bottom = (37.0 + 225.0) / 25.4 * 72.0 + 2.0;
    let (mut page, mut out) = (0, Vec::new());
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        } else if page > 1 && line.starts_with("<word ") && attr(line, "yMin") > bottom {
            let word = line.split('>').nth(1).unwrap_or_default().trim_end_matches("</word").to_string();
            let number = word.chars().all(|c| c.is_ascii_digit() || "ivxlc—-".contains(c));
            if !number {
                out.push((page, word));
            }
        }
    }
    out
}

#[test]
fn sixty_levels_and_two_thousand_character_titles() {
    let dir = producers_case("intake-deep");
    let long: String =
        "关于建立与香港相关职业学校合作办学领导工作小组及教学团队的通知".chars().cycle().take(2000).collect();
    let mut node = serde_json::json!({ "title": "第60层", "evidence": [{ "title": long, "files": ["plain.pdf"] }] });
    for level in (2..60).rev() {
        node = serde_json::json!({ "title": format!("第{level}层"), "sections": [node] });
    }
    let part = serde_json::json!({ "title": format!("第一部分 {long}"), "sections": [node] });
    let d = serde_json::json!({ "title": "深层测试", "output": "out/binder.pdf", "parts": [part] });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");
    assert_qpdf_clean(&pdf);

    // Bookmarks: the whole tree, 60 levels and the evidence below, titles in full.
    let b = Binder::open(&pdf);
    let marks = b.bookmarks();
    assert_eq!(marks.iter().map(|m| m.0).max(), Some(60), "bookmark depth");
    assert!(marks.iter().any(|m| m.1 == long), "the evidence bookmark lost its full title");
    assert!(marks.iter().any(|m| m.1 == format!("第一部分 {long}")), "the part bookmark lost its full title");
    // The 目录 shows the start of each long title and cuts it short; nothing runs off a page.
    let texts = page_texts(&pdf);
    let contents = no_space(&texts[1..assert_labels(&b).1].join(""));
    assert!(contents.contains("第一部分关于建立与香港") && contents.matches('…').count() >= 2, "{contents}");
    assert_eq!(words_below_type_area(&pdf), Vec::<(usize, String)>::new(), "text runs into the number band");
    assert_eq!(markers(&pdf), want(&[("plain", &[1, 2, 3])]));
}

#[test]
fn kept_pages_never_have_the_number_on_their_content() {
    // A Letter page painted grey to its very edges, as a full-page scan or picture is.
    let dir = scratch("intake-keep-band");
    let content = "0.5 g 0 0 612 792 re f";
    let objects = [
        (1, "<< /Type /Catalog /Pages 2 0 R >>".to_string()),
        (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into()),
        (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".into()),
        (4, format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len())),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, body) in &objects {
        offsets.push(pdf.len());
        pdf.extend(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(b"xref\n0 5\n0000000000 65535 f \n");
    for o in &offsets {
        pdf.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    std::fs::write(dir.join("grey.pdf"), pdf).unwrap();
    write_dossier(&dir, serde_json::json!({ "page_size": "keep" }), &[("grey", serde_json::json!(["grey.pdf"]))]);
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("out/binder.pdf");
    let rows: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/binder.manifest.json")).unwrap()).unwrap();
    let page =
        rows.as_array().unwrap().iter().find(|r| r["file"] == "grey.pdf").unwrap()["page"].as_u64().unwrap() as usize;
    // 72 dpi: a pixel a point. The page keeps its Letter size.
    let (w, h, px) = render_page(&out, page, 72);
    assert_eq!((w, h), (612, 792));
    let grey = |x: usize, y: usize| {
        let p = &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
        p.iter().all(|&c| (100..=155).contains(&c))
    };
    // The number's band (the bottom 70 pt of a page this tall) holds no grey: only the number,
    // drawn black; above it, the page's content is all there.
    let band = (h - 70..h).flat_map(|y| (0..w).map(move |x| (x, y))).filter(|&(x, y)| grey(x, y)).count();
    assert!(band < 40, "{band} grey pixels in the number's band: the number sits on the page's content");
    assert!(grey(w / 2, h / 2) && grey(w / 2, 30), "the page's content is not there above the band");
    let text = page_texts(&out).remove(page - 1);
    assert!(text.contains(&format!("—{}—", rows[page - 1]["printed"].as_str().unwrap())), "no number: {text}");
}
