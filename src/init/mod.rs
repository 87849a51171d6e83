//! `dossier init`: write dossier.json from the folder tree an office already keeps its scans in.
//! Top-level folders become parts, deeper folders sections (any depth), each file one evidence
//! item titled by its name; everything in the order a reader expects (一、二、…十、十一; 1. 2. … 10.;
//! 2021 年 before 2022 年). With `--update`, files that dossier.json does not name yet are added to
//! it, and nothing the user wrote there changes.
//!
//! Every message a user reads is in `msg.rs`, so it can be translated in one place; the filing
//! order of names is `order.rs`.

use crate::error::{Diagnostic, Lang};
use crate::outline;
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

mod msg;
mod order;

pub use order::{chinese_number, compare_names, leading_ordinal};

pub const DOSSIER_FILE: &str = "dossier.json";

/// The kinds dossier reads, by extension (the build itself recognises files by their content).
const EVIDENCE_EXTENSIONS: [&str; 9] = ["pdf", "jpg", "jpeg", "png", "tif", "tiff", "heic", "heif", "docx"];

/// Folders deeper than this are not followed (a link pointing back up would never end).
const MAX_DEPTH: usize = 32;

/// What `init` did, for the command line to print (see `Report::lines`).
#[derive(Debug, Default)]
pub struct Report {
    pub dossier: PathBuf,
    /// `--update` on an existing dossier.json.
    pub updated: bool,
    /// Whether dossier.json was (re)written: an update that finds nothing new leaves it alone.
    pub written: bool,
    pub parts: usize,
    pub sections: usize,
    pub evidence: usize,
    pub added: Vec<Added>,
    pub skipped: Vec<Skipped>,
    /// Files dossier.json names that are no longer in the folder (`--update` only).
    pub missing: Vec<Missing>,
    /// Items titled by their first page's heading (`--ocr`).
    pub retitled: usize,
}

/// An evidence item added by `--update`.
#[derive(Debug, Clone)]
pub struct Added {
    /// Titles from the part down to the new evidence item.
    pub entry: Vec<String>,
    /// The file, relative to the dossier's folder, with forward slashes.
    pub file: String,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub file: String,
    pub why: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Not one of the kinds dossier reads; the lower-case extension ("" when there is none).
    Kind(String),
    /// Directly in the dossier's folder while the evidence is filed in part folders.
    Loose,
    /// The file or folder could not be read (or its name is not valid Unicode).
    Unreadable(String),
}

#[derive(Debug, Clone)]
pub struct Missing {
    pub entry: Vec<String>,
    pub file: String,
}

#[derive(Debug)]
pub enum InitError {
    NoFolder(PathBuf),
    /// dossier.json is there already and `--update` was not given.
    Exists {
        dossier: PathBuf,
        folder: PathBuf,
    },
    /// The folder holds no folders and no usable files.
    Nothing(PathBuf),
    /// The existing dossier.json cannot be read (`--update`); its problems.
    Dossier(Vec<Diagnostic>),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The JSON we produced does not validate: a bug, not the user's doing.
    Internal(String),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&msg::error(self, Lang::En))
    }
}

impl std::error::Error for InitError {}

impl InitError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        msg::error(self, lang)
    }
}

impl Report {
    /// What to print, one line each: added items, skipped and missing files, the summary, a hint.
    pub fn lines(&self) -> Vec<String> {
        self.lines_in(Lang::En)
    }

    /// What was done, a line each, in `lang`.
    pub fn lines_in(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.added.iter().map(|a| msg::added(a, lang)));
        out.extend(self.skipped.iter().map(|s| msg::skipped(s, lang)));
        out.extend(self.missing.iter().map(|m| msg::missing(m, lang)));
        out.push(msg::summary(self, lang));
        if self.retitled > 0 {
            out.push(lang.fmt("ocr.retitled", &[("n", &self.retitled)]));
        }
        if !self.updated {
            out.push(msg::next_steps(lang).to_string());
        }
        out
    }
}

/// As [`init`]; with `ocr`, items whose file names say nothing (扫描件001.pdf, IMG_….jpg) are titled
/// by the heading on the file's first page. The engine is checked before anything is written.
pub fn init_with(folder: &Path, update: bool, ocr: bool) -> Result<Report, InitError> {
    let engine = if ocr {
        let engine = crate::ocr::Engine::open(None, std::time::Duration::from_secs(120))
            .map_err(|p| InitError::Dossier(vec![Diagnostic::error(&Default::default(), None, p)]))?;
        Some(engine)
    } else {
        None
    };
    let mut report = init(folder, update)?;
    if let Some(engine) = engine {
        report.retitled = crate::ocr::title::retitle(&report.dossier, &engine)
            .map_err(|source| InitError::Io { path: report.dossier.clone(), source })?;
    }
    Ok(report)
}

/// Write `folder`/dossier.json from the folder tree, or with `update` add new files to it.
pub fn init(folder: &Path, update: bool) -> Result<Report, InitError> {
    if !folder.is_dir() {
        return Err(InitError::NoFolder(folder.to_path_buf()));
    }
    let target = folder.join(DOSSIER_FILE);
    let exists = target.exists();
    if exists && !update {
        return Err(InitError::Exists { dossier: target, folder: folder.to_path_buf() });
    }
    let name = folder_name(folder);
    let mut report = Report { dossier: target.clone(), ..Default::default() };
    let mut ignore: HashSet<String> = HashSet::new();
    let mut known: HashSet<String> = HashSet::new();
    let existing = if exists {
        let (dossier, _) = outline::load(&target).map_err(InitError::Dossier)?;
        // The binder itself, when its `output` lies inside the folder, is no evidence.
        if let Some(o) = &dossier.output {
            ignore.insert(key(o));
        }
        let bytes = std::fs::read(&target).map_err(|source| InitError::Io { path: target.clone(), source })?;
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
        let value: Value = serde_json::from_str(&text).map_err(|e| InitError::Internal(e.to_string()))?;
        known = referenced(&value, folder, &mut report.missing);
        Some(value)
    } else {
        None
    };

    let mut tree = scan(folder, "", &name, 0, &ignore, &mut report.skipped)?;
    // Files directly in the folder: when it has no sub-folders at all (a flat folder of scans) they
    // are the whole binder, one part titled by the folder's name, which is what the clerk asked
    // for. When the evidence is filed in part folders, a loose file is usually something else
    // (the application form, a draft, an old binder): putting it in a part of its own would add a
    // part nobody expects, so it is left out and reported, to be moved into the right folder.
    let flat = tree.folders.is_empty();
    if flat {
        let files = std::mem::take(&mut tree.files);
        if !files.is_empty() {
            tree.folders.push(Folder { name: name.clone(), rel: String::new(), files, folders: Vec::new() });
        }
    } else {
        for f in tree.files.drain(..).filter(|f| !known.contains(&key(f))) {
            report.skipped.push(Skipped { file: f, why: SkipReason::Loose });
        }
    }

    let root = match existing {
        None => {
            if tree.folders.is_empty() {
                return Err(InitError::Nothing(folder.to_path_buf()));
            }
            let parts: Vec<Value> = tree.folders.iter().map(node_value).collect();
            json!({ "title": name, "parts": parts })
        }
        Some(mut root) => {
            report.updated = true;
            merge(&mut root, &tree, &known, &mut report);
            if report.added.is_empty() {
                count(&root, &mut report);
                return Ok(report);
            }
            root
        }
    };
    let mut text = serde_json::to_string_pretty(&root).map_err(|e| InitError::Internal(e.to_string()))?;
    text.push('\n');
    // The result must be a dossier the build accepts before it replaces anything.
    outline::parse(&text, folder).map_err(|d| InitError::Internal(d.iter().map(|d| d.to_string()).collect()))?;
    write_atomic(&target, text.as_bytes()).map_err(|source| InitError::Io { path: target.clone(), source })?;
    report.written = true;
    count(&root, &mut report);
    Ok(report)
}

/// Every evidence file in `folder` as `init` finds it, in the order it files them, each with
/// whether the outline `root` (dossier.json as parsed) already names it. For the editing page's
/// list of files to pick from.
pub fn files_in(folder: &Path, root: &Value) -> Result<Vec<(String, bool)>, InitError> {
    let mut ignore = HashSet::new();
    if let Some(o) = root.get("output").and_then(Value::as_str) {
        ignore.insert(key(o));
    }
    let tree = scan(folder, "", "", 0, &ignore, &mut Vec::new())?;
    let known = referenced(root, folder, &mut Vec::new());
    fn walk(f: &Folder, out: &mut Vec<String>) {
        out.extend(f.files.iter().cloned());
        for s in &f.folders {
            walk(s, out);
        }
    }
    let mut all = Vec::new();
    walk(&tree, &mut all);
    Ok(all
        .into_iter()
        .map(|f| {
            let used = known.contains(&key(&f));
            (f, used)
        })
        .collect())
}

fn folder_name(folder: &Path) -> String {
    std::fs::canonicalize(folder)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| folder.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "佐证材料".to_string())
}

/// A folder of the tree: its files and sub-folders, each in natural order.
#[derive(Debug)]
struct Folder {
    name: String,
    /// Relative to the dossier's folder, with forward slashes; "" for the dossier's folder.
    rel: String,
    files: Vec<String>,
    folders: Vec<Folder>,
}

fn scan(
    dir: &Path,
    rel: &str,
    name: &str,
    depth: usize,
    ignore: &HashSet<String>,
    skipped: &mut Vec<Skipped>,
) -> Result<Folder, InitError> {
    let io = |source| InitError::Io { path: dir.to_path_buf(), source };
    let mut folder = Folder { name: name.to_string(), rel: rel.to_string(), files: Vec::new(), folders: Vec::new() };
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let raw = entry.file_name();
        let Some(n) = raw.to_str() else {
            let shown = join(rel, &raw.to_string_lossy());
            skipped.push(Skipped { file: shown, why: SkipReason::Unreadable("its name is not valid text".into()) });
            continue;
        };
        if ignored(n, depth) {
            continue;
        }
        entries.push((n.to_string(), entry.path()));
    }
    entries.sort_by(|a, b| compare_names(stem(&a.0), stem(&b.0)).then_with(|| a.0.cmp(&b.0)));
    for (n, path) in entries {
        let child = join(rel, &n);
        if ignore.contains(&key(&child)) {
            continue;
        }
        // Follows links, as Explorer does.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                skipped.push(Skipped { file: child, why: SkipReason::Unreadable(e.to_string()) });
                continue;
            }
        };
        if meta.is_dir() {
            if depth + 1 < MAX_DEPTH {
                folder.folders.push(scan(&path, &child, &n, depth + 1, ignore, skipped)?);
            }
        } else {
            let ext = Path::new(&n).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            if EVIDENCE_EXTENSIONS.contains(&ext.as_str()) {
                folder.files.push(child);
            } else {
                skipped.push(Skipped { file: child, why: SkipReason::Kind(ext) });
            }
        }
    }
    Ok(folder)
}

/// Names never taken as evidence nor reported: hidden files, what dossier writes itself, and what
/// Windows and Word leave behind.
fn ignored(name: &str, depth: usize) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        // Word's lock file beside an open document.
        || name.starts_with("~$")
        || ["thumbs.db", "desktop.ini", ".ds_store"].contains(&lower.as_str())
        || (depth == 0 && (lower == "build" || lower == DOSSIER_FILE || lower == ".dossier-cache"))
}

fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") }
}

/// The file name without its extension: the evidence item's title.
fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn node_value(f: &Folder) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), Value::String(f.name.clone()));
    if !f.files.is_empty() {
        m.insert("evidence".into(), Value::Array(f.files.iter().map(|p| evidence_value(p)).collect()));
    }
    if !f.folders.is_empty() {
        m.insert("sections".into(), Value::Array(f.folders.iter().map(node_value).collect()));
    }
    Value::Object(m)
}

fn evidence_value(rel: &str) -> Value {
    json!({ "title": stem(file_name(rel)), "files": [rel] })
}

/// A path as written in dossier.json, made comparable with the paths the scan finds.
fn key(written: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in written.trim().split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let k = parts.join("/");
    // Windows file names do not distinguish case.
    if cfg!(windows) { k.to_lowercase() } else { k }
}

fn parent_key(k: &str) -> &str {
    k.rfind('/').map_or("", |i| &k[..i])
}

// ---- --update: merge new files into the user's JSON, touching nothing else ----

/// The files the dossier names (as `key`s), noting those no longer there.
fn referenced(root: &Value, base: &Path, missing: &mut Vec<Missing>) -> HashSet<String> {
    let mut out = HashSet::new();
    for_each_file(root, &mut Vec::new(), &mut |titles, written| {
        if !base.join(written.trim().replace('\\', "/")).exists() {
            missing.push(Missing { entry: titles.to_vec(), file: written.to_string() });
        }
        out.insert(key(written));
    });
    out
}

fn merge(root: &mut Value, tree: &Folder, referenced: &HashSet<String>, report: &mut Report) {
    let mut chain: Vec<&Folder> = Vec::new();
    fn walk<'a>(
        f: &'a Folder,
        chain: &mut Vec<&'a Folder>,
        root: &mut Value,
        referenced: &HashSet<String>,
        report: &mut Report,
    ) {
        chain.push(f);
        for file in &f.files {
            if referenced.contains(&key(file)) {
                continue;
            }
            let path = locate(root, chain);
            let node = node_mut(root, &path);
            let ev = evidence_value(file);
            let title = ev["title"].as_str().unwrap_or_default().to_string();
            push_evidence(node, ev);
            let mut entry = titles_of(root, &path);
            entry.push(title);
            report.added.push(Added { entry, file: file.clone() });
        }
        for sub in &f.folders {
            walk(sub, chain, root, referenced, report);
        }
        chain.pop();
    }
    for part in &tree.folders {
        walk(part, &mut chain, root, referenced, report);
    }
}

/// Calls `f` with the titles down to each evidence item and each file path written under it.
fn for_each_file(v: &Value, titles: &mut Vec<String>, f: &mut dyn FnMut(&[String], &str)) {
    let list = if titles.is_empty() { "parts" } else { "sections" };
    for node in v.get(list).and_then(Value::as_array).into_iter().flatten() {
        titles.push(title_of(node));
        for ev in node.get("evidence").and_then(Value::as_array).into_iter().flatten() {
            titles.push(title_of(ev));
            for file in ev.get("files").and_then(Value::as_array).into_iter().flatten() {
                if let Some(p) = file_path(file) {
                    f(titles, p);
                }
            }
            titles.pop();
        }
        for_each_file(node, titles, f);
        titles.pop();
    }
}

/// Every file path written in a node and the nodes below it.
fn files_under<'a>(n: &'a Value, out: &mut Vec<&'a str>) {
    for ev in n.get("evidence").and_then(Value::as_array).into_iter().flatten() {
        out.extend(ev.get("files").and_then(Value::as_array).into_iter().flatten().filter_map(file_path));
    }
    for s in n.get("sections").and_then(Value::as_array).into_iter().flatten() {
        files_under(s, out);
    }
}

fn file_path(file: &Value) -> Option<&str> {
    match file {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("path").and_then(Value::as_str),
        _ => None,
    }
}

fn title_of(v: &Value) -> String {
    v.get("title").and_then(Value::as_str).unwrap_or_default().trim().to_string()
}

fn node_mut<'a>(root: &'a mut Value, path: &[usize]) -> &'a mut Value {
    let mut v = &mut root["parts"][path[0]];
    for &i in &path[1..] {
        v = &mut v["sections"][i];
    }
    v
}

fn titles_of(root: &Value, path: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut v = &root["parts"][path[0]];
    out.push(title_of(v));
    for &i in &path[1..] {
        v = &v["sections"][i];
        out.push(title_of(v));
    }
    out
}

/// The node for a chain of folders (part folder first), found or created level by level.
fn locate(root: &mut Value, chain: &[&Folder]) -> Vec<usize> {
    let mut path: Vec<usize> = Vec::new();
    for f in chain {
        let holder = if path.is_empty() { &mut *root } else { node_mut(root, &path) };
        let list_key = if path.is_empty() { "parts" } else { "sections" };
        let Some(obj) = holder.as_object_mut() else { unreachable!("validated by outline::load") };
        if !obj.get(list_key).is_some_and(Value::is_array) {
            obj.insert(list_key.into(), Value::Array(Vec::new()));
        }
        let Some(Value::Array(list)) = obj.get_mut(list_key) else { unreachable!() };
        let i = match find_child(list, f) {
            Some(i) => i,
            None => {
                // Among the existing ones, after the last that sorts before it: a new 三、 goes
                // between 二、 and 四、; the user's own order is never changed.
                let at = list
                    .iter()
                    .rposition(|s| compare_names(&title_of(s), &f.name) == Ordering::Less)
                    .map_or(0, |p| p + 1);
                list.insert(at, json!({ "title": f.name }));
                at
            }
        };
        path.push(i);
    }
    path
}

/// The existing node that stands for a folder: the one titled like it; else, when the user has
/// renamed it, the one whose own evidence is filed in that folder, or the only one whose evidence
/// all lies inside it (a renamed 二、2022 年 holding only sections). A dossier laid out otherwise
/// than its folders gets new sections named after the folders rather than a guess.
fn find_child(list: &[Value], f: &Folder) -> Option<usize> {
    let dir = key(&f.rel);
    let direct = |n: &Value| {
        n.get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|e| e.get("files").and_then(Value::as_array).into_iter().flatten())
            .filter_map(file_path)
            .any(|p| parent_key(&key(p)) == dir)
    };
    let within = |n: &Value| {
        let mut files = Vec::new();
        files_under(n, &mut files);
        !files.is_empty()
            && files.iter().all(|p| {
                let k = key(p);
                if dir.is_empty() { !k.contains('/') } else { k.starts_with(&format!("{dir}/")) }
            })
    };
    let only = |found: Vec<usize>| if found.len() == 1 { Some(found[0]) } else { None };
    list.iter()
        .position(|n| title_of(n) == f.name.trim())
        .or_else(|| list.iter().position(direct))
        .or_else(|| only((0..list.len()).filter(|&i| within(&list[i])).collect()))
}

/// Append an evidence item; a new `evidence` list goes before the node's `sections`, where the
/// format puts it.
fn push_evidence(node: &mut Value, ev: Value) {
    let Some(obj) = node.as_object_mut() else { return };
    if let Some(Value::Array(list)) = obj.get_mut("evidence") {
        list.push(ev);
        return;
    }
    obj.remove("evidence");
    if !obj.contains_key("sections") {
        obj.insert("evidence".into(), Value::Array(vec![ev]));
        return;
    }
    let old = std::mem::take(obj);
    let mut ev = Some(ev);
    for (k, v) in old {
        if k == "sections"
            && let Some(e) = ev.take()
        {
            obj.insert("evidence".into(), Value::Array(vec![e]));
        }
        obj.insert(k, v);
    }
}

fn count(root: &Value, report: &mut Report) {
    fn walk(n: &Value, report: &mut Report) {
        report.evidence += n.get("evidence").and_then(Value::as_array).map_or(0, Vec::len);
        for s in n.get("sections").and_then(Value::as_array).into_iter().flatten() {
            report.sections += 1;
            walk(s, report);
        }
    }
    for p in root.get("parts").and_then(Value::as_array).into_iter().flatten() {
        report.parts += 1;
        walk(p, report);
    }
}

/// Written beside the target and renamed over it: an interrupted write never leaves half a file.
fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{DOSSIER_FILE}.{}.partial", std::process::id()));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, target));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_as_written_or_pasted() {
        assert_eq!(key("./a/b.pdf"), key("a\\b.pdf"));
        assert_eq!(key("a/x/../b.pdf"), key("a/b.pdf"));
        assert_eq!(parent_key("a/b/c.pdf"), "a/b");
        assert_eq!(parent_key("c.pdf"), "");
    }

    #[test]
    fn evidence_goes_before_sections() {
        let mut n = json!({ "title": "t", "text": ["p"], "sections": [] });
        push_evidence(&mut n, json!({ "title": "e", "files": ["e.pdf"] }));
        let keys: Vec<&String> = n.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["title", "text", "evidence", "sections"]);
    }
}
