//! Shared by the integration tests: run the real binary, then read what it wrote the way a viewer
//! would (lopdf for structure, poppler's pdftotext/pdffonts/pdftoppm for what a person sees).
#![allow(dead_code)]

use lopdf::{Document, Object, ObjectId};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn dossier(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier")).args(args).current_dir(cwd).output().expect("run dossier")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
