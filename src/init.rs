//! `dossier init`: write dossier.json from the folder tree an office already keeps its scans in.
//! Top-level folders become parts, deeper folders sections (any depth), each file one evidence
//! item titled by its name; everything in the order a reader expects (一、二、…十、十一; 1. 2. … 10.;
//! 2021 年 before 2022 年). With `--update`, files that dossier.json does not name yet are added to
//! it, and nothing the user wrote there changes.
//!
//! Every message a user reads is in `msg` at the end of this file, so it can be translated in one place.

use crate::error::{Diagnostic, Lang};
use crate::outline;
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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

// ---- Natural Chinese order ----
//
// Chinese numerals are parsed here rather than with a crate: the one on crates.io that reads them
// (chinese-number) parses a whole string as a number and brings three dependencies, while what is
// needed is the ordinal at the head of a name ("十一、…", "第二部分", "（三）"), which has to be
// found here anyway; the numeral itself takes twenty lines.

/// Compare two names in the order an office files them: by a leading ordinal first (一、 二、 … 十、
/// 十一、, 第一部分, （三）, 1. 2. … 10., 2021 年), then by the rest of the name; names without an
/// ordinal after those with one. Digits inside the rest compare by value (照片2 before 照片10).
pub fn compare_names(a: &str, b: &str) -> Ordering {
    let by_ordinal = match (leading_ordinal(a), leading_ordinal(b)) {
        (Some((x, ra)), Some((y, rb))) => x.cmp(&y).then_with(|| natural_cmp(ra, rb)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => natural_cmp(a, b),
    };
    by_ordinal.then_with(|| a.cmp(b))
}

/// The ordinal at the head of a name and the rest after it: "十一、xx" → (11, "xx"),
/// "第二部分 xx" → (2, "部分 xx"), "（三）xx" → (3, "xx"), "10.xx" → (10, "xx"), "2021 年" → (2021, "年").
pub fn leading_ordinal(name: &str) -> Option<(u64, &str)> {
    let s = name.trim_start();
    if let Some(rest) = s.strip_prefix('第') {
        let (n, after, _) = number_prefix(rest)?;
        return Some((n, after.trim_start()));
    }
    if let Some(rest) = s.strip_prefix(['（', '(']) {
        let (n, after, _) = number_prefix(rest)?;
        let after = after.trim_start().strip_prefix(['）', ')'])?;
        return Some((n, after.trim_start()));
    }
    let (n, after, chinese) = number_prefix(s)?;
    let sep = after.chars().next();
    let is_sep = |c: char| "、.．,，:： \u{3000})）".contains(c);
    if chinese {
        // "十大工程" or "三年建设" start with a numeral but are no ordinals: a Chinese ordinal is
        // followed by a separator (一、), except a year written out (二〇二一年).
        let run = &s[..s.len() - after.len()];
        let written_year = sep == Some('年') && run.chars().count() >= 2 && !run.contains(['十', '百', '千']);
        if !(sep.is_none() || sep.is_some_and(is_sep) || written_year) {
            return None;
        }
    }
    let after = match sep {
        Some(c) if is_sep(c) => &after[c.len_utf8()..],
        _ => after,
    };
    Some((n, after.trim_start()))
}

/// A number at the head of `s`, arabic (also full-width) or Chinese: its value, the rest, and
/// whether it was written in Chinese.
fn number_prefix(s: &str) -> Option<(u64, &str, bool)> {
    let digits: usize = s.chars().take_while(|c| ascii_digit(*c).is_some()).map(char::len_utf8).sum();
    if digits > 0 {
        let n =
            s[..digits].chars().filter_map(ascii_digit).fold(0u64, |acc, d| acc.saturating_mul(10).saturating_add(d));
        return Some((n, &s[digits..], false));
    }
    let len: usize =
        s.chars().take_while(|c| chinese_digit(*c).is_some() || "十百千".contains(*c)).map(char::len_utf8).sum();
    if len == 0 {
        return None;
    }
    Some((chinese_number(&s[..len])?, &s[len..], true))
}

fn ascii_digit(c: char) -> Option<u64> {
    match c {
        '0'..='9' => Some(c as u64 - '0' as u64),
        '０'..='９' => Some(c as u64 - '０' as u64),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 一 … 九十九 (and on to 九千九百九十九), 两 as 2, 〇/零 as a place holder; digits without units read
/// place by place (二〇二一 = 2021). None for what is no well-formed numeral (十十, 一二十).
pub fn chinese_number(s: &str) -> Option<u64> {
    if !s.contains(['十', '百', '千']) {
        return s.chars().try_fold(0u64, |acc, c| Some(acc.checked_mul(10)? + chinese_digit(c)?));
    }
    let (mut total, mut digit, mut last_unit) = (0u64, None::<u64>, u64::MAX);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '〇' | '零' if digit.is_none() => continue,
            c => {
                if digit.is_some() {
                    return None;
                }
                digit = Some(chinese_digit(c)?);
                continue;
            }
        };
        if unit >= last_unit {
            return None;
        }
        // 十一: a bare 十 is one ten.
        total += digit.take().unwrap_or(1) * unit;
        last_unit = unit;
    }
    Some(total + digit.unwrap_or(0))
}

/// Compare with digit runs by value and letters without case: 照片2 < 照片10, a.pdf = A.pdf.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Tok {
        // Numbers before other characters, as in Explorer.
        Num(usize, String),
        Ch(char),
    }
    fn toks(s: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(d) = ascii_digit(c) {
                let mut n = d.to_string();
                while let Some(d) = chars.peek().and_then(|c| ascii_digit(*c)) {
                    n.push(char::from(b'0' + d as u8));
                    chars.next();
                }
                let n = n.trim_start_matches('0').to_string();
                out.push(Tok::Num(n.len(), n));
            } else {
                out.extend(c.to_lowercase().map(Tok::Ch));
            }
        }
        out
    }
    toks(a).cmp(&toks(b))
}

mod msg {
    //! Everything `init` says, in one place.
    use super::*;

    fn plural(n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }

    fn name(p: &Path) -> String {
        p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    pub fn summary(r: &Report, lang: Lang) -> String {
        if lang == Lang::Zh {
            let counts = format!("{} 个部分、{} 个章节、{} 项佐证材料", r.parts, r.sections, r.evidence);
            let skipped =
                if r.skipped.is_empty() { String::new() } else { format!("；跳过 {} 个文件", r.skipped.len()) };
            let file = name(&r.dossier);
            return match (r.updated, r.written) {
                (false, _) => format!("已写出 {file}：{counts}{skipped}"),
                (true, true) => format!("已更新 {file}：新增 {} 项（现有 {counts}）{skipped}", r.added.len()),
                (true, false) => format!("{file} 已是最新：所有文件都已列入（{counts}）{skipped}"),
            };
        }
        let counts = format!(
            "{}, {}, {}",
            plural(r.parts, "part", "parts"),
            plural(r.sections, "section", "sections"),
            plural(r.evidence, "evidence item", "evidence items")
        );
        let skipped = if r.skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped {}", plural(r.skipped.len(), "file", "files"))
        };
        let file = name(&r.dossier);
        match (r.updated, r.written) {
            (false, _) => format!("wrote {file}: {counts}{skipped}"),
            (true, true) => format!(
                "updated {file}: added {} (now {counts}){skipped}",
                plural(r.added.len(), "evidence item", "evidence items")
            ),
            (true, false) => format!("{file} is up to date: every file is in it already ({counts}){skipped}"),
        }
    }

    pub fn next_steps(lang: Lang) -> &'static str {
        if lang == Lang::Zh {
            return "下一步：打开 dossier.json，补上封面（\"cover\"：project、chapter、subtitle、organization、date）\
                    和需要的说明文字（\"text\"），见 README；然后运行：dossier build";
        }
        "next: open dossier.json to add the cover (\"cover\": project, chapter, subtitle, organization, date) \
         and any narrative (\"text\"), see README; then run: dossier build"
    }

    pub fn added(a: &Added, lang: Lang) -> String {
        if lang == Lang::Zh {
            return format!("新增：{}（{}）", a.entry.join(" › "), a.file);
        }
        format!("added: {} ({})", a.entry.join(" › "), a.file)
    }

    pub fn missing(m: &Missing, lang: Lang) -> String {
        if lang == Lang::Zh {
            return format!("找不到：{}（{}）：请放回该文件，或从 dossier.json 中删去", m.file, m.entry.join(" › "));
        }
        format!("not found: {} ({}): put the file back, or remove it from dossier.json", m.file, m.entry.join(" › "))
    }

    pub fn skipped(s: &Skipped, lang: Lang) -> String {
        if lang == Lang::Zh {
            let why = match &s.why {
                SkipReason::Kind(ext) => match ext.as_str() {
                    "doc" | "wps" => "旧版 Word 文件：请另存为 .docx 或 PDF，再运行 dossier init --update".to_string(),
                    "xls" | "xlsx" | "et" | "ppt" | "pptx" | "dps" => {
                        "表格或演示文稿：请导出为 PDF，再运行 dossier init --update".to_string()
                    }
                    _ => "不是 PDF、图片或 Word 文件".to_string(),
                },
                SkipReason::Loose => "不在任何部分的文件夹里：请移入其中，再运行 dossier init --update".to_string(),
                SkipReason::Unreadable(e) => format!("无法读取{}", crate::error::meaning_zh(e)),
            };
            return format!("跳过 {}：{why}", s.file);
        }
        let why = match &s.why {
            SkipReason::Kind(ext) => match ext.as_str() {
                "doc" | "wps" => {
                    "an old Word file: save it as .docx or PDF, then run dossier init --update".to_string()
                }
                "xls" | "xlsx" | "et" | "ppt" | "pptx" | "dps" => {
                    "a spreadsheet or slides: export it as PDF, then run dossier init --update".to_string()
                }
                _ => "not a PDF, picture or Word file".to_string(),
            },
            SkipReason::Loose => {
                "it is not in a part folder: move it into one, then run dossier init --update".to_string()
            }
            SkipReason::Unreadable(e) => format!("it cannot be read ({e})"),
        };
        format!("skipped {}: {why}", s.file)
    }

    pub fn error(e: &InitError, lang: Lang) -> String {
        if lang == Lang::Zh {
            return match e {
                InitError::NoFolder(p) => format!("没有文件夹 {}", p.display()),
                InitError::Exists { dossier, folder } => {
                    let dir = folder.display().to_string();
                    let arg = if dir == "." { String::new() } else { format!(" \"{dir}\"") };
                    format!(
                        "{} 已经存在，dossier init 不会覆盖它。\n  要加入其中还没有的文件，请运行：dossier init --update{arg}\n  \
                         要重新开始，请先把它改名或删除。",
                        dossier.strip_prefix(".").unwrap_or(dossier).display()
                    )
                }
                InitError::Nothing(p) => format!(
                    "在 {} 中没有找到文件夹，也没有 PDF、图片或 Word 文件：请把扫描件按部分和章节放进文件夹，再运行 dossier init",
                    p.display()
                ),
                InitError::Dossier(d) => {
                    format!("dossier.json 中有 {} 个问题；请先改正，再运行 dossier init --update", d.len())
                }
                InitError::Io { path, source } => {
                    format!("无法读写 {}：{}", path.display(), crate::error::io_zh(source))
                }
                InitError::Internal(_) => "内部错误（请报告；用 --lang en 可看到技术细节）".into(),
            };
        }
        match e {
            InitError::NoFolder(p) => format!("there is no folder {}", p.display()),
            InitError::Exists { dossier, folder } => {
                let dir = folder.display().to_string();
                let arg = if dir == "." { String::new() } else { format!(" \"{dir}\"") };
                format!(
                    "{} already exists, and dossier init never overwrites it.\n  \
                     To add the files that are not in it yet, run: dossier init --update{arg}\n  \
                     To start afresh, rename or delete it first.",
                    dossier.strip_prefix(".").unwrap_or(dossier).display()
                )
            }
            InitError::Nothing(p) => format!(
                "no folders and no PDF, picture or Word files were found in {}: \
                 put the scans in folders for the parts and sections, then run dossier init again",
                p.display()
            ),
            InitError::Dossier(d) => format!(
                "{} in dossier.json; fix {} first, then run dossier init --update again",
                plural(d.len(), "problem", "problems"),
                if d.len() == 1 { "it" } else { "them" }
            ),
            InitError::Io { path, source } => format!("cannot read or write {}: {source}", path.display()),
            InitError::Internal(m) => format!("internal error (please report it): {m}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_names(a, b));
        v
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("二", 2),
            ("两", 2),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十一", 21),
            ("九十九", 99),
            ("一百零一", 101),
            ("一百一十", 110),
            ("〇", 0),
            ("零", 0),
            ("二〇二一", 2021),
        ];
        for (s, n) in cases {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        for bad in ["十十", "一二十", "百十百"] {
            assert_eq!(chinese_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinals() {
        assert_eq!(leading_ordinal("十一、建立…"), Some((11, "建立…")));
        assert_eq!(leading_ordinal("第二部分 分年度建设完成情况"), Some((2, "部分 分年度建设完成情况")));
        assert_eq!(leading_ordinal("（三）学生交流"), Some((3, "学生交流")));
        assert_eq!(leading_ordinal("10.开展活动"), Some((10, "开展活动")));
        assert_eq!(leading_ordinal("１０．全角"), Some((10, "全角")));
        assert_eq!(leading_ordinal("2021 年"), Some((2021, "年")));
        assert_eq!(leading_ordinal("二〇二一年度"), Some((2021, "年度")));
        assert_eq!(leading_ordinal("十大工程"), None);
        assert_eq!(leading_ordinal("三年建设"), None);
        assert_eq!(leading_ordinal("通知"), None);
    }

    #[test]
    fn natural_chinese_order() {
        assert_eq!(
            sorted(&["二十、x", "十一、x", "二、x", "十、x", "一、x"]),
            ["一、x", "二、x", "十、x", "十一、x", "二十、x"]
        );
        assert_eq!(sorted(&["10.c", "2.b", "1.a"]), ["1.a", "2.b", "10.c"]);
        assert_eq!(
            sorted(&["第二部分 分年度建设完成情况", "第一部分 四年建设概况及成效"]),
            ["第一部分 四年建设概况及成效", "第二部分 分年度建设完成情况"]
        );
        assert_eq!(sorted(&["2022 年", "2021 年"]), ["2021 年", "2022 年"]);
        assert_eq!(
            sorted(&["三、2023 年", "一、2021 年", "二、2022 年"]),
            ["一、2021 年", "二、2022 年", "三、2023 年"]
        );
        // Names without an ordinal come after, in their plain order, numbers by value.
        assert_eq!(sorted(&["照片10", "通知", "1.方案", "照片2"]), ["1.方案", "照片2", "照片10", "通知"]);
    }

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
