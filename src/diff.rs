//! What changed between two builds, read from their manifests: evidence added, evidence removed,
//! and evidence whose printed pages moved. A piece of evidence is known by its outline entry and
//! its file (and which use of the file it is, when an entry names the same file twice), so a
//! renamed entry shows as one removed and one added.

use crate::error::{Diagnostic, EntryPath, Error, Lang};
use crate::manifest::{self, Row};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One file's run of pages under one outline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub entry: String,
    pub file: String,
    /// The printed numbers of its first and last page, and how many pages it has.
    pub first: String,
    pub last: String,
    pub pages: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub entry: String,
    pub file: String,
    pub old: (String, String),
    pub new: (String, String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub moved: Vec<Moved>,
    /// Pages of evidence in both builds that now print a higher (later) or lower number.
    pub pages_later: usize,
    pub pages_earlier: usize,
    pub old_pages: usize,
    pub new_pages: usize,
}

/// What a build says about the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// No earlier manifest beside the binder.
    First,
    Since(Diff),
}

struct Run<'a> {
    key: (&'a str, &'a str, usize),
    /// (page of the source file, printed number)
    pages: Vec<(Option<u32>, &'a str)>,
}

fn runs(rows: &[Row]) -> Vec<Run<'_>> {
    let mut out: Vec<Run> = Vec::new();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for r in rows.iter().filter(|r| !r.file.is_empty()) {
        match out.last_mut() {
            Some(run) if run.key.0 == r.entry && run.key.1 == r.file => run.pages.push((r.file_page, &r.label)),
            _ => {
                let n = seen.entry((&r.entry, &r.file)).or_insert(0);
                out.push(Run { key: (&r.entry, &r.file, *n), pages: vec![(r.file_page, &r.label)] });
                *n += 1;
            }
        }
    }
    out
}

fn span(run: &Run) -> (String, String) {
    let first = run.pages.first().map_or("", |p| p.1);
    let last = run.pages.last().map_or("", |p| p.1);
    (first.to_string(), last.to_string())
}

fn item(run: &Run) -> Item {
    let (first, last) = span(run);
    Item { entry: run.key.0.to_string(), file: run.key.1.to_string(), first, last, pages: run.pages.len() }
}

/// Compare two builds' manifest rows.
pub fn compare(old: &[Row], new: &[Row]) -> Diff {
    let (old_runs, new_runs) = (runs(old), runs(new));
    let old_by_key: HashMap<_, &Run> = old_runs.iter().map(|r| (r.key, r)).collect();
    let new_keys: std::collections::HashSet<_> = new_runs.iter().map(|r| r.key).collect();
    let mut d = Diff { old_pages: old.len(), new_pages: new.len(), ..Default::default() };
    for n in &new_runs {
        let Some(o) = old_by_key.get(&n.key) else {
            d.added.push(item(n));
            continue;
        };
        // Pages are matched by their page in the source file, so a longer scan under the same
        // name counts only the pages both builds have.
        let before: HashMap<Option<u32>, &str> = o.pages.iter().copied().collect();
        for (fp, now) in &n.pages {
            let Some(was) = before.get(fp) else { continue };
            match (was.parse::<u64>(), now.parse::<u64>()) {
                (Ok(a), Ok(b)) if b > a => d.pages_later += 1,
                (Ok(a), Ok(b)) if b < a => d.pages_earlier += 1,
                _ => {}
            }
        }
        let (old_span, new_span) = (span(o), span(n));
        if old_span != new_span {
            d.moved.push(Moved { entry: n.key.0.to_string(), file: n.key.1.to_string(), old: old_span, new: new_span });
        }
    }
    d.removed = old_runs.iter().filter(|o| !new_keys.contains(&o.key)).map(item).collect();
    d
}

/// A manifest named directly, or the one beside a binder PDF.
pub fn manifest_path(p: &Path) -> PathBuf {
    let is_pdf = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf { p.with_extension("manifest.json") } else { p.to_path_buf() }
}

/// `dossier diff OLD NEW`: compare two manifests (or the manifests beside two binders).
pub fn compare_files(old: &Path, new: &Path) -> Result<Diff, Error> {
    // Boxed: a Diagnostic is large, larger still on Windows where a path is.
    let load = |p: &Path| {
        let p = manifest_path(p);
        manifest::read(&p).map_err(|problem| Box::new(Diagnostic::error(&EntryPath::default(), Some(p), problem)))
    };
    match (load(old), load(new)) {
        (Ok(a), Ok(b)) => Ok(compare(&a, &b)),
        (a, b) => Err(Error::Input(a.err().into_iter().chain(b.err()).map(|d| *d).collect())),
    }
}

fn pages(first: &str, last: &str, lang: Lang) -> String {
    if first == last {
        lang.fmt("diff.page", &[("n", &first)])
    } else {
        lang.fmt("diff.pages", &[("first", &first), ("last", &last)])
    }
}

/// How far an item moved, when both its first pages carry plain numbers.
fn offset(m: &Moved) -> Option<i64> {
    let (a, b) = (m.old.0.parse::<i64>().ok()?, m.new.0.parse::<i64>().ok()?);
    Some(b - a)
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.moved.is_empty()
    }

    /// One line: how many items came and went, how many pages now print another number.
    pub fn summary(&self, lang: Lang) -> String {
        let (a, r, later, earlier) = (self.added.len(), self.removed.len(), self.pages_later, self.pages_earlier);
        if self.is_empty() {
            return lang.t("diff.none").into();
        }
        let mut parts = vec![lang.fmt("diff.added_n", &[("n", &a)]), lang.fmt("diff.removed_n", &[("n", &r)])];
        if later > 0 {
            parts.push(lang.fmt("diff.later_n", &[("n", &later)]));
        }
        if earlier > 0 {
            parts.push(lang.fmt("diff.earlier_n", &[("n", &earlier)]));
        }
        if later == 0 && earlier == 0 {
            parts.push(lang.t("diff.unchanged").into());
        }
        parts.join(lang.t("diff.sep"))
    }

    /// A line per item added or removed, and one per run of neighbouring items that moved by the
    /// same number of pages (a photo inserted early moves everything after it: one line says so).
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.lines_with(lang, false)
    }

    /// As `lines`; `verbose` lists every moved item, each with its own pages.
    pub fn lines_with(&self, lang: Lang, verbose: bool) -> Vec<String> {
        let name = |entry: &str, file: &str| lang.fmt("diff.item", &[("entry", &entry), ("file", &file)]);
        let mut out = Vec::new();
        for i in &self.added {
            let (what, at) = (name(&i.entry, &i.file), pages(&i.first, &i.last, lang));
            out.push(lang.fmt("diff.added", &[("what", &what), ("at", &at)]));
        }
        for i in &self.removed {
            let (what, at) = (name(&i.entry, &i.file), pages(&i.first, &i.last, lang));
            out.push(lang.fmt("diff.removed", &[("what", &what), ("at", &at)]));
        }
        let one = |m: &Moved| {
            let what = name(&m.entry, &m.file);
            let (was, now) = (pages(&m.old.0, &m.old.1, lang), pages(&m.new.0, &m.new.1, lang));
            lang.fmt("diff.moved", &[("what", &what), ("was", &was), ("now", &now)])
        };
        let mut rest = &self.moved[..];
        while let Some(first) = rest.first() {
            let by = offset(first);
            let n = if by.is_some() { rest.iter().take_while(|m| offset(m) == by).count() } else { 1 };
            let (run, after) = rest.split_at(n);
            rest = after;
            match by {
                Some(by) if n > 1 && !verbose => {
                    let last = &run[n - 1];
                    let (was, now) = (pages(&first.old.0, &last.old.1, lang), pages(&first.new.0, &last.new.1, lang));
                    let key = if by > 0 { "diff.moved_run" } else { "diff.moved_run_back" };
                    out.push(lang.fmt(key, &[("n", &n), ("by", &by.abs()), ("was", &was), ("now", &now)]));
                }
                _ => out.extend(run.iter().map(one)),
            }
        }
        out
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Changes {
    /// The line a build prints about the build before it.
    pub fn line(&self, lang: Lang) -> String {
        match self {
            Changes::First => lang.t("diff.first").into(),
            Changes::Since(d) => lang.fmt("diff.since", &[("summary", &d.summary(lang))]),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Changes::First => serde_json::json!({ "first_build": true }),
            Changes::Since(d) => {
                let mut v = d.to_json();
                if let Some(o) = v.as_object_mut() {
                    o.insert("first_build".into(), Value::Bool(false));
                }
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, entry: &str, file: &str, fp: u32) -> Row {
        Row {
            page: 0,
            label: label.into(),
            entry: entry.into(),
            file: file.into(),
            file_page: Some(fp),
            taken: None,
            gps: None,
            damaged: false,
            text: None,
        }
    }

    #[test]
    fn an_item_inserted_before_others_moves_them() {
        let old = vec![row("1", "A › a", "a.pdf", 1), row("2", "A › a", "a.pdf", 2), row("3", "A › c", "c.pdf", 1)];
        let new = vec![
            row("1", "A › a", "a.pdf", 1),
            row("2", "A › a", "a.pdf", 2),
            row("3", "A › b", "b.jpg", 1),
            row("4", "A › c", "c.pdf", 1),
        ];
        let d = compare(&old, &new);
        assert_eq!(d.added.len(), 1);
        assert_eq!((d.added[0].file.as_str(), d.added[0].first.as_str()), ("b.jpg", "3"));
        assert!(d.removed.is_empty());
        assert_eq!(d.moved.len(), 1);
        assert_eq!(d.moved[0].old, ("3".to_string(), "3".to_string()));
        assert_eq!(d.moved[0].new, ("4".to_string(), "4".to_string()));
        assert_eq!((d.pages_later, d.pages_earlier), (1, 0));
        assert_eq!(d.summary(Lang::Zh), "新增 1 项，删除 0 项，1 页的页码后移");
        let back = compare(&new, &old);
        assert_eq!((back.removed.len(), back.pages_earlier), (1, 1));
        assert!(compare(&old, &old).is_empty());
    }

    #[test]
    fn a_photo_inserted_early_is_one_line_not_one_per_item() {
        // 200 one-page items; a photo goes in after the first: 199 items move by one page.
        let old: Vec<Row> =
            (1..=200).map(|i| row(&i.to_string(), &format!("A › {i}"), &format!("{i}.pdf"), 1)).collect();
        let mut new = vec![old[0].clone(), row("2", "A › photo", "photo.jpg", 1)];
        new.extend(
            old[1..].iter().map(|r| row(&(r.label.parse::<u32>().unwrap() + 1).to_string(), &r.entry, &r.file, 1)),
        );
        let d = compare(&old, &new);
        assert_eq!(d.moved.len(), 199);
        let lines = d.lines(Lang::En);
        assert_eq!(
            lines,
            ["added: A › photo (photo.jpg), page 2", "199 items moved by 1 page(s): pages 2–200 → pages 3–201"]
        );
        assert_eq!(d.lines(Lang::Zh)[1], "199 项材料的页码后移 1 页：第 2—200 页 → 第 3—201 页");
        assert_eq!(d.lines_with(Lang::En, true).len(), 200);
        // Items that moved by different amounts are told apart.
        let mut two = new.clone();
        two.insert(100, row("101", "A › photo 2", "photo2.jpg", 1));
        for r in &mut two[101..] {
            r.label = (r.label.parse::<u32>().unwrap() + 1).to_string();
        }
        let d = compare(&old, &two);
        let moved: Vec<_> = d.lines(Lang::En).into_iter().filter(|l| l.contains("moved")).collect();
        assert_eq!(moved.len(), 2, "{moved:?}");
    }
}
