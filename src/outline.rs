//! Stage 1: read dossier.json into a validated outline. Every problem is collected in one pass, so a
//! clerk fixing the file sees all of them at once.

use crate::error::{Diagnostic, EntryPath, Problem};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct Cover {
    pub project: Option<String>,
    pub chapter: Option<String>,
    pub subtitle: Option<String>,
    pub organization: Option<String>,
    pub date: Option<String>,
}

/// The validated outline: nothing optional that the format requires.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub title: String,
    pub cover: Cover,
    pub output: Option<String>,
    /// `"strict": true`: a damaged source page stops the build instead of going in with a warning.
    pub strict: bool,
    pub style: StyleSettings,
    pub parts: Vec<Node>,
    /// The folder holding dossier.json: file paths are relative to it.
    pub base: PathBuf,
    /// Set when this outline is one volume of a binder split to fit a size limit.
    pub volume: Option<Volume>,
}

/// One volume (册) of a split binder: which of how many, and the printed number of its first body
/// page, since numbering runs on across volumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    pub index: usize,
    pub count: usize,
    pub first_page: usize,
}

/// The optional `style` object: settings that change how the binder looks, never what it holds.
#[derive(Debug, Clone)]
pub struct StyleSettings {
    /// A font file and face index for the text dossier sets (e.g. a system 宋体 or 仿宋), instead of
    /// the built-in Noto Serif CJK SC; resolved against the dossier's folder.
    pub font: Option<FontChoice>,
    /// The same for part and first-level headings, the cover title and the 目录 title (a 黑体).
    pub heading_font: Option<FontChoice>,
    /// The same for second-level headings (a 楷体); by default an installed 楷体, if any.
    pub kai_font: Option<FontChoice>,
    /// Page numbers centred (single-sided printing) instead of on the outer side.
    pub centred_numbers: bool,
    /// Every part starts on an odd page (double-sided printing).
    pub double_sided: bool,
    /// Characters per line of body text; 0 keeps the font's natural spacing.
    pub chars_per_line: u32,
    /// Photos above this resolution at their printed size are downsampled.
    pub photo_dpi: Option<u32>,
    /// JPEG quality of downsampled photos.
    pub photo_quality: u8,
    /// Source PDF pages keep their own size (A3, Letter, …) instead of being fitted onto A4.
    pub keep_page_sizes: bool,
    /// Scanned pages get an invisible text layer (as `--ocr`).
    pub ocr: bool,
    /// With OCR, pages found upside down or sideways are turned upright.
    pub ocr_rotate: bool,
    /// With OCR, blank pages (the backs of double-sided scans) are left out.
    pub drop_blank_pages: bool,
}

impl Default for StyleSettings {
    fn default() -> Self {
        StyleSettings {
            font: None,
            heading_font: None,
            kai_font: None,
            centred_numbers: false,
            double_sided: false,
            chars_per_line: 28,
            photo_dpi: None,
            photo_quality: 85,
            keep_page_sizes: false,
            ocr: false,
            ocr_rotate: true,
            drop_blank_pages: false,
        }
    }
}

/// A font file with the face to use, or a kind of font looked up on the machine ("仿宋", "楷体").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontChoice {
    File(PathBuf, u32),
    Installed(crate::typeset::fonts::Kind),
    /// "宋体": the Song face built into dossier.
    Builtin,
}

/// A part or section, at any depth.
#[derive(Debug, Clone)]
pub struct Node {
    pub title: String,
    pub text: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub sections: Vec<Node>,
    pub entry: EntryPath,
}

#[derive(Debug, Clone)]
pub struct Evidence {
    pub title: String,
    pub files: Vec<FileRef>,
    pub entry: EntryPath,
}

#[derive(Debug, Clone)]
pub struct FileRef {
    /// As written in dossier.json (used in messages).
    pub written: String,
    /// Resolved against the dossier's folder.
    pub path: PathBuf,
    pub pages: Option<PageSelector>,
}

/// "1-3,7" or "5-" (to the end): 1-based, inclusive ranges, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSelector {
    pub text: String,
    ranges: Vec<(u32, Option<u32>)>,
}

impl PageSelector {
    pub fn parse(text: &str) -> Result<PageSelector, Problem> {
        let bad = |why: &str| Problem::BadSelector { selector: text.to_string(), why: why.to_string() };
        let num = |s: &str| -> Result<u32, Problem> {
            let n: u32 = s.trim().parse().map_err(|_| bad(&format!("\"{}\" is not a page number", s.trim())))?;
            if n == 0 {
                return Err(bad("page numbers start at 1"));
            }
            Ok(n)
        };
        let mut ranges = Vec::new();
        // Offices type selectors with full-width punctuation as often as not.
        let norm = text.replace(['，', '、', '；', ';'], ",").replace(['－', '—', '–', '~', '～'], "-");
        for part in norm.split(',') {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match part.split_once('-') {
                Some((a, b)) => {
                    let a = num(a)?;
                    let b = if b.trim().is_empty() { None } else { Some(num(b)?) };
                    if let Some(b) = b
                        && b < a
                    {
                        return Err(bad(&format!("{a}-{b} runs backwards")));
                    }
                    ranges.push((a, b));
                }
                None => {
                    let n = num(part)?;
                    ranges.push((n, Some(n)));
                }
            }
        }
        if ranges.is_empty() {
            return Err(bad("it names no pages"));
        }
        Ok(PageSelector { text: text.to_string(), ranges })
    }

    /// The 0-based page indices selected from a file of `count` pages, or the first page out of range.
    pub fn resolve(&self, count: u32) -> Result<Vec<u32>, Problem> {
        let mut out = Vec::new();
        for &(a, b) in &self.ranges {
            let b = b.unwrap_or(count);
            for p in [a, b] {
                if p > count {
                    return Err(Problem::PageOutOfRange { selector: self.text.clone(), page: p, pages: count });
                }
            }
            out.extend((a - 1)..b);
        }
        Ok(out)
    }
}

impl Dossier {
    /// The first outline entry that names `path`, for a problem found in that file.
    pub fn entry_of(&self, path: &Path) -> EntryPath {
        self.evidence()
            .into_iter()
            .find(|e| e.files.iter().any(|f| f.path == path))
            .map(|e| e.entry.clone())
            .unwrap_or_default()
    }

    /// Every evidence item in outline order, with the node it belongs to.
    pub fn evidence(&self) -> Vec<&Evidence> {
        fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Evidence>) {
            out.extend(n.evidence.iter());
            for s in &n.sections {
                walk(s, out);
            }
        }
        let mut out = Vec::new();
        for p in &self.parts {
            walk(p, &mut out);
        }
        out
    }
}

/// Read and validate a dossier file. Ok carries the outline and the problems that still let the
/// build examine every file (they fail the build later, reported with the files' own problems).
pub fn load(path: &Path) -> Result<(Dossier, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file_diag = |p: Problem| vec![Diagnostic::error(&EntryPath::default(), Some(path.to_path_buf()), p)];
    let bytes = std::fs::read(path).map_err(|e| {
        file_diag(if e.kind() == std::io::ErrorKind::NotFound {
            Problem::NoDossier
        } else {
            Problem::DossierUnreadable(e.to_string())
        })
    })?;
    // Notepad on Windows writes a byte-order mark; serde_json refuses it.
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let named = |mut ds: Vec<Diagnostic>| {
        for d in &mut ds {
            d.file.get_or_insert_with(|| path.to_path_buf());
        }
        ds
    };
    parse(&text, &base).map(|(d, deferred)| (d, named(deferred))).map_err(named)
}

/// Parse dossier JSON text; `base` is the folder paths are relative to.
pub fn parse(text: &str, base: &Path) -> Result<(Dossier, Vec<Diagnostic>), Vec<Diagnostic>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        // serde_json counts columns in bytes; an editor counts characters.
        let line = e.line();
        let column = text.lines().nth(line.saturating_sub(1)).map_or(e.column(), |l| {
            let upto = e.column().saturating_sub(1).min(l.len());
            l.get(..upto).map_or(e.column(), |head| head.chars().count() + 1)
        });
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        vec![Diagnostic::error(
            &EntryPath::default(),
            None,
            Problem::Json { message, line, column, excerpt: excerpt(text, line, column) },
        )]
    })?;
    let mut v = Validator { problems: Vec::new(), deferred: Vec::new(), base: base.to_path_buf() };
    let d = v.dossier(&value);
    match d {
        Some(d) if v.problems.is_empty() => Ok((d, v.deferred)),
        _ => {
            v.problems.extend(v.deferred);
            Err(v.problems)
        }
    }
}

/// The line of the error and a caret under the column, so the place is visible without an editor.
fn excerpt(text: &str, line: usize, column: usize) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else { return String::new() };
    let shown: String = l.chars().take(120).collect();
    let caret_at: usize = l.chars().take(column.saturating_sub(1)).map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("  {shown}\n  {}^", " ".repeat(caret_at.min(240)))
}

struct Validator {
    problems: Vec<Diagnostic>,
    /// Problems that concern one file reference only: the build still looks at every other file,
    /// so a clerk sees these together with the files' own problems.
    deferred: Vec<Diagnostic>,
    base: PathBuf,
}

impl Validator {
    fn fail(&mut self, entry: &EntryPath, p: Problem) {
        self.problems.push(Diagnostic::error(entry, None, p));
    }

    fn object<'a>(&mut self, v: &'a Value, entry: &EntryPath, field: &str) -> Option<&'a Map<String, Value>> {
        match v.as_object() {
            Some(m) => Some(m),
            None => {
                self.fail(entry, Problem::WrongType { field: field.into(), expected: "an object { … }" });
                None
            }
        }
    }

    fn string(&mut self, m: &Map<String, Value>, key: &str, entry: &EntryPath, required: bool) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) if required => {
                self.fail(entry, Problem::MissingField { field: key.into() });
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                self.fail(entry, Problem::Empty { field: key.into() });
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(_) => {
                self.fail(entry, Problem::WrongType { field: key.into(), expected: "text in quotes" });
                None
            }
        }
    }

    /// `"font": "path"` with an optional `"font_index"` (for a .ttc collection).
    fn font(&mut self, m: &Map<String, Value>, key: &str, entry: &EntryPath) -> Option<FontChoice> {
        let path = self.string(m, key, entry, false)?;
        if let Some(kind) = crate::typeset::fonts::Kind::from_name(&path) {
            return Some(FontChoice::Installed(kind));
        }
        if matches!(path.trim().to_lowercase().as_str(), "宋体" | "song" | "songti" | "built-in" | "builtin") {
            return Some(FontChoice::Builtin);
        }
        let index_key = format!("{key}_index");
        let index = match m.get(&index_key) {
            None | Some(Value::Null) => 0,
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => n,
                None => {
                    self.fail(
                        entry,
                        Problem::WrongType { field: index_key, expected: "a whole number (0 for the first face)" },
                    );
                    0
                }
            },
        };
        Some(FontChoice::File(self.base.join(path.replace('\\', "/")), index))
    }

    fn array<'a>(&mut self, m: &'a Map<String, Value>, key: &str, entry: &EntryPath) -> Option<&'a Vec<Value>> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) => Some(a),
            Some(_) => {
                self.fail(entry, Problem::WrongType { field: key.into(), expected: "a list [ … ]" });
                None
            }
        }
    }

    fn dossier(&mut self, v: &Value) -> Option<Dossier> {
        let root = EntryPath::default();
        let m = self.object(v, &root, "the dossier")?;
        let title = self.string(m, "title", &root, true);
        let output = self.string(m, "output", &root, false);
        let strict = match m.get("strict") {
            None | Some(Value::Null) => false,
            Some(v) => v.as_bool().unwrap_or_else(|| {
                self.fail(&root, Problem::WrongType { field: "strict".into(), expected: "true or false" });
                false
            }),
        };
        let mut cover = Cover::default();
        if let Some(c) = m.get("cover").filter(|c| !c.is_null())
            && let Some(cm) = self.object(c, &root, "cover")
        {
            let e = root.child("cover");
            cover = Cover {
                project: self.string(cm, "project", &e, false),
                chapter: self.string(cm, "chapter", &e, false),
                subtitle: self.string(cm, "subtitle", &e, false),
                organization: self.string(cm, "organization", &e, false),
                date: self.string(cm, "date", &e, false),
            };
        }
        let mut style = StyleSettings::default();
        if let Some(st) = m.get("style").filter(|c| !c.is_null())
            && let Some(sm) = self.object(st, &root, "style")
        {
            let e = root.child("style");
            style.font = self.font(sm, "font", &e);
            style.heading_font = self.font(sm, "heading_font", &e);
            style.kai_font = self.font(sm, "kai_font", &e);
            match self.string(sm, "page_numbers", &e, false).as_deref() {
                None | Some("outer") => {}
                Some("centre" | "center" | "centred" | "centered") => style.centred_numbers = true,
                Some(_) => self
                    .fail(&e, Problem::WrongType { field: "page_numbers".into(), expected: "\"outer\" or \"centre\"" }),
            }
            match self.string(sm, "page_size", &e, false).as_deref() {
                None | Some("a4" | "A4") => {}
                Some("keep") => style.keep_page_sizes = true,
                Some(_) => {
                    self.fail(&e, Problem::WrongType { field: "page_size".into(), expected: "\"a4\" or \"keep\"" })
                }
            }
            for (field, slot) in [
                ("ocr", &mut style.ocr),
                ("ocr_rotate", &mut style.ocr_rotate),
                ("drop_blank_pages", &mut style.drop_blank_pages),
            ] {
                if let Some(v) = sm.get(field).filter(|v| !v.is_null()) {
                    match v.as_bool() {
                        Some(b) => *slot = b,
                        None => self.fail(&e, Problem::WrongType { field: field.into(), expected: "true or false" }),
                    }
                }
            }
            if let Some(v) = sm.get("double_sided").filter(|v| !v.is_null()) {
                match v.as_bool() {
                    Some(b) => style.double_sided = b,
                    None => {
                        self.fail(&e, Problem::WrongType { field: "double_sided".into(), expected: "true or false" })
                    }
                }
            }
            if let Some(v) = sm.get("photo_dpi").filter(|v| !v.is_null()) {
                match v.as_u64().filter(|n| (50..=1200).contains(n)) {
                    Some(n) => style.photo_dpi = Some(n as u32),
                    None => self.fail(
                        &e,
                        Problem::WrongType { field: "photo_dpi".into(), expected: "a whole number from 50 to 1200" },
                    ),
                }
            }
            if let Some(v) = sm.get("photo_quality").filter(|v| !v.is_null()) {
                match v.as_u64().filter(|n| (30..=100).contains(n)) {
                    Some(n) => style.photo_quality = n as u8,
                    None => self.fail(
                        &e,
                        Problem::WrongType { field: "photo_quality".into(), expected: "a whole number from 30 to 100" },
                    ),
                }
            }
            if let Some(v) = sm.get("chars_per_line").filter(|v| !v.is_null()) {
                match v.as_u64().filter(|n| *n == 0 || (10..=60).contains(n)) {
                    Some(n) => style.chars_per_line = n as u32,
                    None => self.fail(
                        &e,
                        Problem::WrongType {
                            field: "chars_per_line".into(),
                            expected: "a whole number from 10 to 60, or 0",
                        },
                    ),
                }
            }
        }
        let parts = match self.array(m, "parts", &root) {
            None if !m.contains_key("parts") => {
                self.fail(&root, Problem::MissingField { field: "parts".into() });
                Vec::new()
            }
            None => Vec::new(),
            Some(a) if a.is_empty() => {
                self.fail(&root, Problem::Empty { field: "parts".into() });
                Vec::new()
            }
            Some(a) => a.iter().enumerate().filter_map(|(i, p)| self.node(p, &root, "parts", i)).collect(),
        };
        Some(Dossier { title: title?, cover, output, strict, style, parts, base: self.base.clone(), volume: None })
    }

    fn node(&mut self, v: &Value, parent: &EntryPath, list: &str, i: usize) -> Option<Node> {
        // Until the title is known, the entry is named by its place: "parts[2]".
        let placeholder = parent.child(&format!("{list}[{}]", i + 1));
        let m = self.object(v, &placeholder, list)?;
        let title = self.string(m, "title", &placeholder, true);
        let entry = title.as_deref().map(|t| parent.child(t)).unwrap_or(placeholder);
        let mut text = Vec::new();
        if let Some(a) = self.array(m, "text", &entry) {
            for t in a {
                match t.as_str() {
                    Some(s) => text.push(s.trim().to_string()),
                    None => self.fail(
                        &entry,
                        Problem::WrongType { field: "text".into(), expected: "a list of paragraphs in quotes" },
                    ),
                }
            }
        }
        let evidence = self
            .array(m, "evidence", &entry)
            .map(|a| a.iter().enumerate().filter_map(|(i, e)| self.evidence(e, &entry, i)).collect())
            .unwrap_or_default();
        let sections = self
            .array(m, "sections", &entry)
            .map(|a| a.iter().enumerate().filter_map(|(i, s)| self.node(s, &entry, "sections", i)).collect())
            .unwrap_or_default();
        Some(Node { title: title?, text, evidence, sections, entry })
    }

    fn evidence(&mut self, v: &Value, parent: &EntryPath, i: usize) -> Option<Evidence> {
        let placeholder = parent.child(&format!("evidence[{}]", i + 1));
        let m = self.object(v, &placeholder, "evidence")?;
        let title = self.string(m, "title", &placeholder, true);
        let entry = title.as_deref().map(|t| parent.child(t)).unwrap_or(placeholder);
        let mut files = Vec::new();
        match self.array(m, "files", &entry) {
            None if !m.contains_key("files") => self.fail(&entry, Problem::MissingField { field: "files".into() }),
            Some(a) if a.is_empty() => self.fail(&entry, Problem::Empty { field: "files".into() }),
            None => {}
            Some(a) => {
                for f in a {
                    if let Some(r) = self.file(f, &entry) {
                        files.push(r);
                    }
                }
            }
        }
        Some(Evidence { title: title?, files, entry })
    }

    fn file(&mut self, v: &Value, entry: &EntryPath) -> Option<FileRef> {
        let (written, pages) = match v {
            Value::String(s) => (s.clone(), None),
            Value::Object(m) => {
                let path = self.string(m, "path", entry, true)?;
                let pages = match m.get("pages") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(_) => {
                        self.fail(entry, Problem::WrongType { field: "pages".into(), expected: "text like \"1-3,7\"" });
                        None
                    }
                };
                (path, pages)
            }
            _ => {
                self.fail(
                    entry,
                    Problem::WrongType {
                        field: "files".into(),
                        expected: "a list of paths, or of { \"path\": …, \"pages\": … }",
                    },
                );
                return None;
            }
        };
        if written.trim().is_empty() {
            self.fail(entry, Problem::Empty { field: "path".into() });
            return None;
        }
        // Windows users paste paths with backslashes.
        let path = self.base.join(written.trim().replace('\\', "/"));
        let pages = match pages.map(|p| PageSelector::parse(&p)) {
            Some(Err(p)) => {
                self.deferred.push(Diagnostic::error(entry, Some(path.clone()), p));
                None
            }
            Some(Ok(s)) => Some(s),
            None => None,
        };
        Some(FileRef { written, path, pages })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        let s = PageSelector::parse("1-3,7").unwrap();
        assert_eq!(s.resolve(8).unwrap(), vec![0, 1, 2, 6]);
        assert_eq!(PageSelector::parse("5-").unwrap().resolve(6).unwrap(), vec![4, 5]);
        assert_eq!(PageSelector::parse("2，4").unwrap().resolve(4).unwrap(), vec![1, 3]);
        assert!(matches!(s.resolve(5), Err(Problem::PageOutOfRange { page: 7, .. })));
        for bad in ["", "0", "3-1", "a", "1-2-3"] {
            assert!(PageSelector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn all_problems_at_once() {
        let text = r#"{"parts": [{"title": "一", "evidence": [{"files": []}, {"title": "x"}]}, {"sections": 3}]}"#;
        let errs = parse(text, Path::new(".")).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(errs.len(), 6, "{msgs:#?}");
        assert!(msgs[0].contains("`title`"));
        assert!(msgs.iter().any(|m| m.contains("`files` is empty") && m.contains("一 › evidence[1]")));
        assert!(msgs.iter().any(|m| m.contains("`files` is missing") && m.contains("一 › x")));
    }

    #[test]
    fn json_error_has_place() {
        let errs = parse("{\n  \"title\": \"t\"\n  \"parts\": []\n}", Path::new(".")).unwrap_err();
        match &errs[0].problem {
            Problem::Json { line, excerpt, .. } => {
                assert_eq!(*line, 3);
                assert!(excerpt.contains("\"parts\""));
            }
            p => panic!("{p:?}"),
        }
    }
}
