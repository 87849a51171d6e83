//! The binder as a Word document: the sample dossier built with `--format docx`, read back from
//! its XML and as LibreOffice shows it, against the PDF binder built from the same dossier.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// A paragraph of word/document.xml: its style and the text of each of its runs.
struct Para {
    style: Option<String>,
    texts: Vec<String>,
}

impl Para {
    fn text(&self) -> String {
        self.texts.concat()
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

fn paragraphs(doc: &str) -> Vec<Para> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = doc[at..].find("<w:p").map(|i| at + i) {
        let next = doc.as_bytes().get(i + 4).copied();
        if next != Some(b'>') && next != Some(b' ') {
            at = i + 4;
            continue;
        }
        let end = doc[i..].find("</w:p>").map(|e| i + e).unwrap_or(doc.len());
        let xml = &doc[i..end];
        let style = xml.find("<w:pStyle w:val=\"").map(|s| {
            let v = &xml[s + 17..];
            v[..v.find('"').expect("closing quote")].to_string()
        });
        let mut texts = Vec::new();
        let mut t = 0;
        while let Some(k) = xml[t..].find("<w:t").map(|k| t + k) {
            let after = xml.as_bytes().get(k + 4).copied();
            let close = xml[k..].find('>').map(|c| k + c).expect("tag end");
            if (after == Some(b'>') || after == Some(b' ')) && xml.as_bytes()[close - 1] != b'/' {
                let stop = xml[close..].find("</w:t>").map(|c| close + c).expect("</w:t>");
                texts.push(unescape(&xml[close + 1..stop]));
                t = stop;
            } else {
                t = close;
            }
        }
        out.push(Para { style, texts });
        at = end;
    }
    out
}

/// For each outline entry in order, whether it is an evidence item.
fn evidence_flags(json: &serde_json::Value) -> Vec<bool> {
    fn walk(n: &serde_json::Value, out: &mut Vec<bool>) {
        out.push(false);
        for _ in n["evidence"].as_array().into_iter().flatten() {
            out.push(true);
        }
        for s in n["sections"].as_array().into_iter().flatten() {
            walk(s, out);
        }
    }
    let mut out = Vec::new();
    for p in json["parts"].as_array().expect("parts") {
        walk(p, &mut out);
    }
    out
}

fn sample_json() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("dossier.json")).expect("dossier.json")).expect("json")
}

/// The sample binder as PDF and as DOCX, built into one folder (sharing the Word conversions).
fn build_both(name: &str, docx_args: &[&str]) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = scratch(name);
    let pdf = dir.join("binder.pdf");
    let o = dossier(&["build", "dossier.json", "-o", pdf.to_str().unwrap()], &repo());
    assert!(o.status.success(), "PDF build failed: {}", stderr(&o));
    let docx = dir.join("binder.docx");
    let mut args = vec!["build", "dossier.json", "-o", docx.to_str().unwrap(), "--format", "docx"];
    args.extend_from_slice(docx_args);
    let o = dossier(&args, &repo());
    assert!(o.status.success(), "DOCX build failed: {}", stderr(&o));
    assert!(stdout(&o).contains("binder.docx"), "{}", stdout(&o));
    (dir, pdf, docx)
}

#[test]
fn sample_docx_holds_the_whole_binder() {
    let (dir, pdf, docx) = build_both("docx-sample", &[]);
    let json = sample_json();
    let b = Binder::open(&pdf);
    let labels = b.labels();
    let body_start = labels.iter().position(|l| l == "1").expect("a body page labelled 1");
    let marks = b.bookmarks();
    let doc = docx_part(&docx, "word/document.xml");
    let paras = paragraphs(&doc);

    // Every outline entry is a heading, in order: parts Heading1, sections below, evidence the
    // next level, capped at 4.
    let headings: Vec<(usize, String)> = paras
        .iter()
        .filter_map(|p| {
            let level = p.style.as_deref()?.strip_prefix("Heading")?.parse().ok()?;
            Some((level, p.text()))
        })
        .collect();
    let want: Vec<(usize, String)> = outline_of(&json).into_iter().map(|(d, t)| ((d + 1).min(4), t)).collect();
    assert_eq!(headings, want, "headings differ from the outline");
    let styles = docx_part(&docx, "word/styles.xml");
    for n in 1..=4 {
        assert!(styles.contains(&format!("w:styleId=\"Heading{n}\"")), "no Heading{n} style");
        assert!(styles.contains(&format!("<w:name w:val=\"heading {n}\"")), "Heading{n} is not Word's heading {n}");
    }

    // The table of contents: a TOC field whose result is already filled in, one entry per
    // outline entry with the page number the PDF binder prints for it.
    let begin = doc.find("w:fldCharType=\"begin\"").expect("a field");
    let instr = doc.find(r#" TOC \o "1-4" \h \z \u "#).expect("the TOC field code");
    let separate = doc[instr..].find("w:fldCharType=\"separate\"").map(|i| instr + i).expect("field result");
    assert!(begin < instr, "the TOC code must sit inside its field, not in the text");
    let entries: Vec<(String, String)> = paras
        .iter()
        .filter(|p| p.style.as_deref().is_some_and(|s| s.starts_with("TOC")))
        .map(|p| {
            let (number, title) = p.texts.split_last().expect("an entry has text");
            (title.concat(), number.clone())
        })
        .collect();
    let want: Vec<(String, String)> =
        marks[1..].iter().map(|(_, t, page)| (t.clone(), labels[*page].clone())).collect();
    assert_eq!(entries, want, "contents entries differ from the PDF binder's");
    let end = doc[separate..].find("w:fldCharType=\"end\"").map(|i| separate + i).expect("field end");
    let field_para = doc[..begin].rfind("<w:p").expect("the paragraph holding the field");
    assert_eq!(doc[field_para..end].matches("<w:pStyle w:val=\"TOC").count(), want.len(), "entries outside the field");

    // Every photo and every page of a source document is a picture: as many as the PDF binder
    // has evidence pages. Every picture points at a media file in the package.
    let evidence_pages: usize = evidence_spans(&b, &json).iter().map(|(_, n)| n).sum();
    assert_eq!(doc.matches("<w:drawing>").count(), evidence_pages, "pictures");
    let media = docx_media(&docx);
    let rels = docx_part(&docx, "word/_rels/document.xml.rels");
    let mut ids = std::collections::HashSet::new();
    for part in doc.split("r:embed=\"").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        let target = rels
            .split("<Relationship ")
            .find(|r| r.contains(&format!("Id=\"{id}\"")))
            .and_then(|r| r.split("Target=\"").nth(1))
            .map(|t| t[..t.find('"').unwrap()].to_string())
            .unwrap_or_else(|| panic!("relationship {id}"));
        assert!(media.iter().any(|(n, _)| *n == format!("word/{target}")), "{target} is missing");
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), media.len(), "every media file is used");
    let docpr: Vec<&str> = doc.split("<wp:docPr id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let unique: std::collections::HashSet<_> = docpr.iter().collect();
    assert_eq!(unique.len(), docpr.len(), "drawing ids must be unique");
    // A photo the camera stored upright goes in as the very JPEG it wrote.
    let photo = std::fs::read(repo().join("samples/evidence/2021/photos/IMG_20210412_103522.jpg")).unwrap();
    assert!(media.iter().any(|(n, d)| n.ends_with(".jpeg") && *d == photo), "the photo's JPEG bytes are not kept");
    let types = docx_part(&docx, "[Content_Types].xml");
    assert!(types.contains("Extension=\"jpeg\"") && types.contains("Extension=\"png\""), "{types}");

    // The narrative, word for word.
    let all_text = no_space(&paras.iter().map(Para::text).collect::<String>());
    let mut narrative = Vec::new();
    fn texts(n: &serde_json::Value, out: &mut Vec<String>) {
        out.extend(n["text"].as_array().into_iter().flatten().map(|t| t.as_str().unwrap().to_string()));
        for s in n["sections"].as_array().into_iter().flatten() {
            texts(s, out);
        }
    }
    for p in json["parts"].as_array().unwrap() {
        texts(p, &mut narrative);
    }
    assert!(!narrative.is_empty());
    for t in &narrative {
        assert!(all_text.contains(&no_space(t)), "narrative lost: {t}");
    }
    // Chinese text in the Chinese face, on every run.
    let runs = doc.matches("<w:r>").count() + doc.matches("<w:r ").count();
    assert!(doc.matches("w:eastAsia=").count() >= runs, "a run without an East Asian font");
    // Page numbers: the body restarts at 1 after the cover and the contents.
    assert!(doc.contains("w:start=\"1\""), "no restart of page numbers");
    assert!(docx_part(&docx, "word/footer1.xml").contains(">PAGE<"), "footer without a PAGE field");

    // As LibreOffice shows it: at least as many pages as the PDF's body, the cover title, the
    // narrative, and each evidence item on the page its contents entry names.
    let shown = soffice_pdf(&docx, &dir.join("lo"));
    let pages = page_texts(&shown);
    let body_pages = labels.len() - body_start;
    assert!(pages.len() >= body_pages, "{} pages for a binder of {body_pages} body pages", pages.len());
    assert!(no_space(&pages[0]).contains(&no_space(json["title"].as_str().unwrap())), "cover: {}", pages[0]);
    let all_pages = no_space(&pages.concat());
    assert!(all_pages.contains(&no_space(&narrative[0])), "first narrative paragraph not shown");
    let printed = |t: &str| {
        let t = no_space(t);
        let end = t.rfind('—')?;
        let start = t[..end].rfind('—')?;
        Some(t[start + '—'.len_utf8()..end].to_string())
    };
    // Every page after the cover carries its number: i, ii, … for the contents, then 1, 2, ….
    assert_eq!(printed(&pages[1]).as_deref(), Some("i"), "the contents start at i");
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(printed(p).is_some(), "page {} prints no number", i + 1);
    }
    let page_of = |label: &str| pages.iter().position(|p| printed(p).as_deref() == Some(label));
    let first_part = no_space(json["parts"][0]["title"].as_str().unwrap());
    let one = page_of("1").expect("a page numbered 1");
    assert!(no_space(&pages[one]).contains(&first_part), "page 1 does not open the first part");
    let flags = evidence_flags(&json);
    for (i, (_, title, page)) in marks[1..].iter().enumerate().filter(|(i, _)| flags[*i]) {
        let at = page_of(&labels[*page]).unwrap_or_else(|| panic!("no page numbered {}", labels[*page]));
        let head: String = no_space(title).chars().take(10).collect();
        assert!(
            no_space(&pages[at]).contains(&head),
            "entry {i} “{title}” is not on the page numbered {} as the contents say",
            labels[*page]
        );
    }
}

#[test]
fn evidence_as_a_list_names_the_pdf_pages() {
    let dir = scratch("docx-list");
    let pdf = dir.join("binder.pdf");
    let o = dossier(&["build", "dossier.json", "-o", pdf.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    // No page is drawn, so no renderer is needed.
    let docx = dir.join("binder.docx");
    let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "dossier.json", "-o", docx.to_str().unwrap(), "--format", "docx", "--docx-evidence", "list"])
        .env("DOSSIER_PDFTOPPM", dir.join("no-such-pdftoppm"))
        .env("DOSSIER_LANG", "en")
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let json = sample_json();
    let b = Binder::open(&pdf);
    let labels = b.labels();
    let doc = docx_part(&docx, "word/document.xml");
    assert_eq!(doc.matches("<w:drawing>").count(), 0);
    assert!(docx_media(&docx).is_empty());
    let paras = paragraphs(&doc);

    let flags = evidence_flags(&json);
    let marks = b.bookmarks();
    let starts: Vec<&(usize, String, usize)> =
        marks[1..].iter().zip(&flags).filter(|(_, e)| **e).map(|(m, _)| m).collect();
    let spans = evidence_spans(&b, &json);
    let mut files_of = Vec::new();
    fn walk(n: &serde_json::Value, out: &mut Vec<Vec<String>>) {
        for e in n["evidence"].as_array().into_iter().flatten() {
            let files = e["files"].as_array().unwrap();
            out.push(files.iter().map(|f| f.as_str().or(f["path"].as_str()).unwrap().to_string()).collect());
        }
        for s in n["sections"].as_array().into_iter().flatten() {
            walk(s, out);
        }
    }
    for p in json["parts"].as_array().unwrap() {
        walk(p, &mut files_of);
    }
    assert_eq!(starts.len(), spans.len());
    let mut at = 0;
    for ((mark, (title, span)), files) in starts.iter().zip(&spans).zip(&files_of) {
        // The item's heading, then one line per file naming it and its pages in the PDF binder.
        let h = at + paras[at..].iter().position(|p| p.text() == *title).unwrap_or_else(|| panic!("heading {title}"));
        assert!(paras[h].style.as_deref().is_some_and(|s| s.starts_with("Heading")), "{title} is not a heading");
        let lines: Vec<String> = paras[h + 1..h + 1 + files.len()].iter().map(Para::text).collect();
        let first: usize = labels[mark.2].parse().unwrap();
        let last = first + span - 1;
        for (line, file) in lines.iter().zip(files) {
            let name = Path::new(file).file_name().unwrap().to_string_lossy();
            assert!(line.starts_with('第') && line.ends_with(&*name), "{title}: “{line}” does not name {name}");
        }
        let range: Vec<usize> = lines
            .iter()
            .flat_map(|l| {
                let pages = &l[..l.find('页').unwrap()];
                pages.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok())
            })
            .collect();
        assert_eq!(range.first(), Some(&first), "{title}: {lines:?}");
        assert_eq!(range.last(), Some(&last), "{title}: {lines:?}");
        at = h + 1;
    }
}

#[test]
fn without_pdftoppm_the_build_says_what_to_do() {
    let dir = scratch("docx-no-pdftoppm");
    let docx = dir.join("binder.docx");
    let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "dossier.json", "-o", docx.to_str().unwrap(), "--format", "docx"])
        .env("DOSSIER_PDFTOPPM", dir.join("no-such-pdftoppm"))
        .env("DOSSIER_LANG", "en")
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("pdftoppm") && err.contains("poppler-utils"), "{err}");
    assert!(err.contains("--docx-evidence list"), "{err}");
    assert!(err.contains("entry:") && err.contains("file:"), "{err}");
    assert!(!docx.exists(), "nothing may be written");
}

#[test]
fn photos_stand_upright_in_word() {
    let orientations = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let dir = photo_case("docx-photos", &orientations);
    let o = dossier(&["build", "-o", "binder.docx", "--format", "docx"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let docx = dir.join("binder.docx");

    // Upright, flipped or turned half round, the photo keeps its bytes.
    let media = docx_media(&docx);
    for o in [1u8, 2, 3, 4] {
        let bytes = std::fs::read(dir.join(format!("IMG_{o} 现场.jpg"))).unwrap();
        assert!(media.iter().any(|(_, d)| *d == bytes), "orientation {o}: JPEG bytes not kept");
    }
    let shown = soffice_pdf(&docx, &dir.join("lo"));
    let n = page_texts(&shown).len();
    assert!(n >= orientations.len() + 3, "{n} pages");
    // The photos are the last pages, one each.
    for (k, &o) in orientations.iter().enumerate() {
        let page = n - orientations.len() + k + 1;
        let (w, h, px) = render_page(&shown, page, 30);
        let at = |x: usize, y: usize| &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
        let bbox = |want: fn(&[u8]) -> bool| {
            let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
            for y in 0..h {
                for x in 0..w {
                    if want(at(x, y)) {
                        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                    }
                }
            }
            assert!(x1 > x0 && y1 > y0, "orientation {o}: a corner is missing on page {page}");
            (x0, y0, x1, y1)
        };
        let red = bbox(|p| p[0] > 180 && p[1] < 90 && p[2] < 90);
        let blue = bbox(|p| p[2] > 180 && p[0] < 90 && p[1] < 90);
        assert!(red.0 < blue.0 && red.1 < blue.1, "orientation {o}: red {red:?} is not above left of blue {blue:?}");
        let aspect = (blue.2 - red.0 + 1) as f32 / (blue.3 - red.1 + 1) as f32;
        assert!((aspect - 4.0 / 3.0).abs() < 0.1, "orientation {o}: aspect {aspect}");
    }
}
