//! `dossier status`: how far the binder has come. Every part and section with its evidence count,
//! pages and problems, then the totals and the completion figures the binder's own text quotes
//! (“共有 8 个任务要点，完成 8 个，任务完成率 100%”).
//!
//! A task point (任务要点) is a section without sub-sections, or a section numbered with an arabic
//! number (“1.” “2、”, the yearly tasks of 第二部分) even when it has sub-sections of its own, which
//! then are details of that one task. It is done when it has at least one evidence item whose files
//! can all be used. A part without sections counts as a task point too (a binder of one flat folder).
//!
//! Every message a user reads is in `msg` at the end of this file, so it can be translated in one place.

use crate::error::{Diagnostic, Error, Lang, Problem};
use crate::outline::{self, Dossier, Evidence, FileRef, Node};
use crate::sources::{self, Sources};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The completion figures, for the summary and for narrative text that quotes them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub tasks_total: usize,
    pub tasks_done: usize,
    /// Percent, 0 to 100 (0 when there are no task points).
    pub completion_rate: f64,
}

impl Figures {
    /// The figures of a whole dossier, from the files `sources::load` could use.
    pub fn compute(dossier: &Dossier, sources: &Sources) -> Figures {
        Figures::of(&dossier.parts, &|ev| usable(ev, sources))
    }

    /// The figures of one part (or any node) alone.
    pub fn of_node(node: &Node, sources: &Sources) -> Figures {
        Figures::of(std::slice::from_ref(node), &|ev| usable(ev, sources))
    }

    fn of(nodes: &[Node], usable: &dyn Fn(&Evidence) -> bool) -> Figures {
        let mut tasks = Vec::new();
        for n in nodes {
            task_points(n, &mut tasks);
        }
        let done = tasks.iter().filter(|n| done(n, usable)).count();
        let rate = if tasks.is_empty() { 0.0 } else { done as f64 * 100.0 / tasks.len() as f64 };
        Figures { tasks_total: tasks.len(), tasks_done: done, completion_rate: rate }
    }

    /// The rate as written in the binder's text: "100%", "87.5%", "66.7%".
    pub fn rate_text(&self) -> String {
        let r = (self.completion_rate * 10.0).round() / 10.0;
        if r.fract() == 0.0 { format!("{r:.0}%") } else { format!("{r:.1}%") }
    }
}

/// Whether a section is a task point: no sub-sections, or numbered “1.” “2、” (a task of its own).
pub fn is_task_point(n: &Node) -> bool {
    n.sections.is_empty() || numbered_task(&n.title)
}

fn numbered_task(title: &str) -> bool {
    let t = title.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c)).count();
    digits > 0 && digits <= 3 && t.chars().nth(digits).is_some_and(|c| ".．、".contains(c))
}

fn task_points<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
    if is_task_point(n) {
        out.push(n);
    } else {
        for s in &n.sections {
            task_points(s, out);
        }
    }
}

fn done(n: &Node, usable: &dyn Fn(&Evidence) -> bool) -> bool {
    n.evidence.iter().any(|e| !e.files.is_empty() && usable(e)) || n.sections.iter().any(|s| done(s, usable))
}

fn usable(ev: &Evidence, sources: &Sources) -> bool {
    ev.files.iter().all(|f| ref_pages(f, sources).is_ok())
}

/// The pages one reference puts in the binder, selectors applied, or why it puts none.
fn ref_pages(f: &FileRef, sources: &Sources) -> Result<u32, Option<Problem>> {
    let src = sources.get(&f.path).ok_or(None)?;
    match &f.pages {
        Some(sel) => sel.resolve(src.pages).map(|p| p.len() as u32).map_err(Some),
        None => Ok(src.pages),
    }
}

/// One evidence item: its pages in the binder, or the problem of each file that fails.
#[derive(Debug, Clone)]
pub struct Item {
    pub title: String,
    pub files: Vec<String>,
    pub pages: u32,
    pub usable: bool,
}

/// A problem with one file of an evidence item (or, `problem` None, with the whole item: none of
/// its files can be used).
#[derive(Debug, Clone)]
pub struct FileProblem {
    pub evidence: String,
    pub file: Option<String>,
    pub problem: Option<Problem>,
}

impl FileProblem {
    fn text(&self, lang: Lang) -> String {
        self.problem.as_ref().map_or_else(|| msg::item_empty(lang).into(), |p| p.message(lang))
    }

    fn hint(&self, lang: Lang) -> Option<&'static str> {
        self.problem.as_ref().and_then(|p| p.advice(lang))
    }
}

/// A part or section: counts are for it and everything below it; problems for its own evidence.
#[derive(Debug, Clone)]
pub struct Row {
    pub entry: Vec<String>,
    pub level: usize,
    pub evidence: usize,
    pub pages: u32,
    /// Some(done) for a task point.
    pub task: Option<bool>,
    pub items: Vec<Item>,
    pub problems: Vec<FileProblem>,
}

#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub parts: usize,
    pub sections: usize,
    pub evidence: usize,
    /// Distinct files.
    pub files: usize,
    /// Evidence pages in the binder (a file used twice counts twice), without our own pages.
    pub pages: u32,
    /// File references that cannot be used.
    pub problems: usize,
}

#[derive(Debug)]
pub struct Status {
    pub dossier: PathBuf,
    pub title: String,
    pub rows: Vec<Row>,
    pub totals: Totals,
    pub figures: Figures,
    /// Each part's own figures (the binder's 第一部分 often quotes only its own).
    pub parts: Vec<(String, Figures)>,
    /// Problems not tied to one evidence file (printed as they are).
    pub other: Vec<Diagnostic>,
    /// Source pages whose content is damaged: they go in, mended, with a warning.
    pub damaged: Vec<Diagnostic>,
    /// Pages of the last binder with no text to search, when it was built with `--ocr` (its
    /// manifest says where each page's text comes from).
    pub without_text: Option<usize>,
}

impl Status {
    /// Any file that cannot be used: exit code 1.
    pub fn has_problems(&self) -> bool {
        self.totals.problems > 0 || !self.other.is_empty()
    }
}

/// Read the dossier and every file it names (Word files through the same cache a build uses).
pub fn status(path: &Path) -> Result<Status, Error> {
    let (dossier, mut diags) = outline::load(path).map_err(Error::Input)?;
    let output = crate::output_path(&dossier, None);
    let dir = output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut opts = sources::Options::new(dir.join(".dossier-cache"));
    opts.scan_damage = true;
    let (srcs, more) = sources::load(&dossier, &opts);
    diags.extend(more);
    let mut status = Status::new(path, &dossier, &srcs, &diags);
    status.without_text = crate::manifest::read(&crate::manifest::path(&output)).ok().and_then(|rows| {
        rows.iter().any(|r| r.text.is_some()).then(|| rows.iter().filter(|r| r.text.as_deref() == Some("none")).count())
    });
    Ok(status)
}

impl Status {
    /// The status from a loaded dossier, its sources and the problems found loading them.
    pub fn new(path: &Path, dossier: &Dossier, sources: &Sources, diags: &[Diagnostic]) -> Status {
        let damaged = diags.iter().filter(|d| matches!(d.problem, Problem::DamagedPage { .. })).cloned().collect();
        let diags: Vec<&Diagnostic> = diags.iter().filter(|d| !d.warning).collect();
        // A page selector that could not even be read is dropped by the outline; its reference
        // must not count as usable all the same.
        let unreadable_selector = |ev: &Evidence, f: &FileRef| {
            diags.iter().find(|d| {
                d.entry == ev.entry
                    && d.file.as_deref() == Some(f.path.as_path())
                    && matches!(d.problem, Problem::BadSelector { .. })
            })
        };
        let check = |ev: &Evidence, f: &FileRef| -> Result<u32, Problem> {
            if let Some(d) = unreadable_selector(ev, f) {
                return Err(d.problem.clone());
            }
            ref_pages(f, sources).map_err(|p| {
                p.unwrap_or_else(|| {
                    diags
                        .iter()
                        .find(|d| d.file.as_deref() == Some(f.path.as_path()))
                        .map(|d| d.problem.clone())
                        .unwrap_or_else(|| Problem::Unreadable("it could not be read".into()))
                })
            })
        };
        let usable = |ev: &Evidence| ev.files.iter().all(|f| check(ev, f).is_ok());

        let mut t = Tally {
            rows: Vec::new(),
            totals: Totals::default(),
            shown: HashSet::new(),
            check: &check,
            usable: &usable,
        };
        for p in &dossier.parts {
            t.node(p, 0, false);
        }
        let Tally { rows, mut totals, shown, .. } = t;
        totals.files =
            dossier.evidence().iter().flat_map(|e| e.files.iter().map(|f| &f.path)).collect::<HashSet<_>>().len();
        let other =
            diags.iter().filter(|d| d.file.as_ref().is_none_or(|f| !shown.contains(f))).map(|d| (*d).clone()).collect();
        Status {
            dossier: path.to_path_buf(),
            title: dossier.title.clone(),
            rows,
            totals,
            figures: Figures::of(&dossier.parts, &usable),
            parts: dossier
                .parts
                .iter()
                .map(|p| (p.title.clone(), Figures::of(std::slice::from_ref(p), &usable)))
                .collect(),
            other,
            damaged,
            without_text: None,
        }
    }

    /// The report as a table, columns aligned by display width (a Chinese character takes two);
    /// problems and what to do about them in `lang`.
    pub fn table(&self, lang: Lang) -> String {
        const MAX_OUTLINE: usize = 60;
        let heads = msg::headers(lang);
        let outline: Vec<String> = self
            .rows
            .iter()
            .map(|r| format!("{}{}", "  ".repeat(r.level), r.entry.last().map_or("", String::as_str)))
            .map(|s| truncate(&s, MAX_OUTLINE))
            .collect();
        let w0 = outline.iter().map(|s| s.width()).chain([heads[0].width()]).max().unwrap_or(0);
        let w1 = heads[1].width().max(self.totals.evidence.to_string().len());
        let w2 = heads[2].width().max(self.totals.pages.to_string().len());
        let mut out = String::new();
        out.push_str(&msg::heading(&self.dossier, &self.title));
        out.push_str("\n\n");
        let line = |a: &str, b: &str, c: &str, d: &str| {
            format!("{}  {}  {}  {}", pad(a, w0), lpad(b, w1), lpad(c, w2), d).trim_end().to_string()
        };
        out.push_str(&line(heads[0], heads[1], heads[2], heads[3]));
        out.push('\n');
        out.push_str(&"-".repeat(w0 + w1 + w2 + 6 + heads[3].width()));
        out.push('\n');
        for (r, o) in self.rows.iter().zip(&outline) {
            let task = r.task.map_or("", |d| msg::task_state(d, lang));
            out.push_str(&line(o, &r.evidence.to_string(), &r.pages.to_string(), task));
            out.push('\n');
            let indent = "  ".repeat(r.level + 2);
            for p in &r.problems {
                out.push_str(&format!("{indent}{}\n", msg::problem(p, lang)));
                if let Some(h) = p.hint(lang) {
                    out.push_str(&format!("{indent}  {}\n", msg::hint(h, lang)));
                }
            }
        }
        out.push('\n');
        for d in self.other.iter().chain(&self.damaged) {
            out.push_str(&format!("{}\n\n", d.render(lang)));
        }
        out.push_str(&msg::totals(&self.totals, lang));
        out.push('\n');
        // The Chinese figures are the binder's own words (its text quotes them), so they are shown
        // in English too.
        out.push_str(&msg::figures_zh(&self.figures));
        out.push('\n');
        if lang == Lang::En {
            out.push_str(&msg::figures_en(&self.figures));
            out.push('\n');
        }
        if self.parts.len() > 1 {
            for (title, f) in &self.parts {
                out.push_str(&format!("  {}：{}\n", title, msg::figures_zh(f)));
            }
        }
        if let Some(n) = self.without_text {
            out.push_str(&lang.fmt("ocr.status_without_text", &[("n", &n)]));
            out.push('\n');
        }
        out.push_str(&msg::verdict(self.totals.problems + self.other.len(), lang));
        out.push('\n');
        out
    }

    /// The same report, machine-readable.
    pub fn to_json(&self, lang: Lang) -> Value {
        let figures = |f: &Figures| {
            json!({
                "tasks_total": f.tasks_total,
                "tasks_done": f.tasks_done,
                "completion_rate": f.completion_rate,
                "completion_rate_text": f.rate_text(),
            })
        };
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "path": r.entry,
                    "title": r.entry.last(),
                    "level": r.level,
                    "evidence": r.evidence,
                    "pages": r.pages,
                    "task_point": r.task.is_some(),
                    "done": r.task,
                    "items": r.items.iter().map(|i| json!({
                        "title": i.title, "files": i.files, "pages": i.pages, "usable": i.usable,
                    })).collect::<Vec<_>>(),
                    "problems": r.problems.iter().map(|p| json!({
                        "evidence": p.evidence, "file": p.file, "problem": p.text(lang), "hint": p.hint(lang),
                        "code": p.problem.as_ref().map(Problem::code),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut figs = figures(&self.figures);
        figs["parts"] = Value::Array(
            self.parts
                .iter()
                .map(|(t, f)| {
                    let mut v = figures(f);
                    v["title"] = json!(t);
                    v
                })
                .collect(),
        );
        json!({
            "dossier": crate::error::json_path(&self.dossier),
            "title": self.title,
            "sections": rows,
            "totals": {
                "parts": self.totals.parts,
                "sections": self.totals.sections,
                "evidence": self.totals.evidence,
                "files": self.totals.files,
                "pages": self.totals.pages,
                "problems": self.totals.problems + self.other.len(),
            },
            "figures": figs,
            "other_problems": self.other.iter().map(|d| d.render(lang)).collect::<Vec<_>>(),
            "warnings": self.damaged.iter().map(|d| d.to_json(lang)).collect::<Vec<_>>(),
            "pages_without_text": self.without_text,
            "ok": !self.has_problems(),
        })
    }
}

/// Walks the outline once, filling the rows and the totals.
struct Tally<'a> {
    rows: Vec<Row>,
    totals: Totals,
    /// Files whose problems appear in a row.
    shown: HashSet<PathBuf>,
    check: &'a dyn Fn(&Evidence, &FileRef) -> Result<u32, Problem>,
    usable: &'a dyn Fn(&Evidence) -> bool,
}

impl Tally<'_> {
    /// Adds the node's row and those below it; returns its evidence count and pages, subtree included.
    fn node(&mut self, n: &Node, level: usize, in_task: bool) -> (usize, u32) {
        if level == 0 {
            self.totals.parts += 1;
        } else {
            self.totals.sections += 1;
        }
        let at = self.rows.len();
        let mut items = Vec::new();
        let mut problems = Vec::new();
        for ev in &n.evidence {
            let mut pages = 0;
            let mut failed = 0;
            for f in &ev.files {
                match (self.check)(ev, f) {
                    Ok(p) => pages += p,
                    Err(p) => {
                        failed += 1;
                        self.shown.insert(f.path.clone());
                        problems.push(FileProblem {
                            evidence: ev.title.clone(),
                            file: Some(f.written.clone()),
                            problem: Some(p),
                        });
                    }
                }
            }
            self.totals.problems += failed;
            // With one file, that file's own problem says it all.
            if failed > 1 && failed == ev.files.len() {
                problems.push(FileProblem { evidence: ev.title.clone(), file: None, problem: None });
            }
            items.push(Item {
                title: ev.title.clone(),
                files: ev.files.iter().map(|f| f.written.clone()).collect(),
                pages,
                usable: failed == 0,
            });
        }
        let own_pages: u32 = items.iter().map(|i| i.pages).sum();
        self.totals.evidence += items.len();
        self.totals.pages += own_pages;
        // Sections below a numbered task are its details, not task points of their own.
        let is_task = !in_task && is_task_point(n);
        let task = is_task.then(|| done(n, self.usable));
        self.rows.push(Row { entry: n.entry.0.clone(), level, evidence: 0, pages: 0, task, items, problems });
        let (mut evidence, mut pages) = (n.evidence.len(), own_pages);
        for s in &n.sections {
            let (e, p) = self.node(s, level + 1, in_task || is_task);
            evidence += e;
            pages += p;
        }
        self.rows[at].evidence = evidence;
        self.rows[at].pages = pages;
        (evidence, pages)
    }
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(s.width())))
}

/// Cut to `max` columns, ending in “…” when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

mod msg {
    //! Everything `status` says, in one place.
    use super::*;

    pub fn heading(dossier: &Path, title: &str) -> String {
        format!("{} — {title}", dossier.display())
    }

    /// Column headings: outline, evidence items, pages, task point state.
    pub fn headers(lang: Lang) -> [&'static str; 4] {
        ["outline", "items", "pages", "task"].map(|k| lang.t(&format!("status.column.{k}")))
    }

    pub fn task_state(done: bool, lang: Lang) -> &'static str {
        lang.t(if done { "status.task.done" } else { "status.task.open" })
    }

    pub fn item_empty(lang: Lang) -> &'static str {
        lang.t("status.item_empty")
    }

    pub fn problem(p: &FileProblem, lang: Lang) -> String {
        let sep = if lang == Lang::Zh { "：" } else { ": " };
        match &p.file {
            Some(f) => format!("! {} › {f}{sep}{}", p.evidence, p.text(lang)),
            None => format!("! {}{sep}{}", p.evidence, p.text(lang)),
        }
    }

    pub fn hint(h: &str, lang: Lang) -> String {
        format!("{}{h}", lang.t("out.todo"))
    }

    pub fn totals(t: &Totals, lang: Lang) -> String {
        lang.fmt(
            "status.totals",
            &[
                ("parts", &t.parts),
                ("sections", &t.sections),
                ("evidence", &t.evidence),
                ("files", &t.files),
                ("pages", &t.pages),
            ],
        )
    }

    pub fn figures_zh(f: &Figures) -> String {
        format!("共有 {} 个任务要点，完成 {} 个，任务完成率 {}", f.tasks_total, f.tasks_done, f.rate_text())
    }

    pub fn figures_en(f: &Figures) -> String {
        format!("{} task points, {} done: {} complete", f.tasks_total, f.tasks_done, f.rate_text())
    }

    pub fn verdict(problems: usize, lang: Lang) -> String {
        match problems {
            0 => lang.t("status.verdict.none").to_string(),
            1 => lang.t("status.verdict.one").to_string(),
            n => lang.fmt("status.verdict.many", &[("n", &n)]),
        }
    }
}

/// Fill the narrative's placeholders with the figures of the part the text is in:
/// `{tasks_total}`, `{tasks_done}`, `{completion_rate}` (as "100%"). Text without them is left as
/// it was.
pub fn fill_placeholders(dossier: &mut Dossier, sources: &Sources) {
    fn walk(n: &mut Node, f: &Figures) {
        for t in &mut n.text {
            if t.contains('{') {
                *t = t
                    .replace("{tasks_total}", &f.tasks_total.to_string())
                    .replace("{tasks_done}", &f.tasks_done.to_string())
                    .replace("{completion_rate}", &f.rate_text());
            }
        }
        for s in &mut n.sections {
            walk(s, f);
        }
    }
    for part in &mut dossier.parts {
        let f = Figures::of_node(part, sources);
        walk(part, &f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_tasks() {
        for t in ["1.建立", "10.开展", "2、制定", "３．全角"] {
            assert!(numbered_task(t), "{t}");
        }
        for t in ["一、2021 年", "2021 年", "2021年", "第一部分", "照片1"] {
            assert!(!numbered_task(t), "{t}");
        }
    }

    #[test]
    fn rate_text() {
        let f = |d, t| Figures { tasks_total: t, tasks_done: d, completion_rate: d as f64 * 100.0 / t as f64 };
        assert_eq!(f(8, 8).rate_text(), "100%");
        assert_eq!(f(7, 8).rate_text(), "87.5%");
        assert_eq!(f(2, 3).rate_text(), "66.7%");
        assert_eq!(Figures::default().rate_text(), "0%");
    }

    #[test]
    fn widths() {
        assert_eq!(pad("一、", 6).width(), 6);
        assert_eq!(truncate("一二三四五", 6), "一二…");
        assert_eq!(truncate("一二三", 6), "一二三");
    }
}
