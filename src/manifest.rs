//! The build manifest beside the binder: for every page, the number printed on it, the outline
//! entry it belongs to and the source file and page it shows — so a clerk can answer "where is
//! page 57 from?" without opening the PDF, and a later change can say what moved.

use crate::error::Problem;
use crate::outline::Dossier;
use crate::plan::{BodyPage, Plan};
use crate::typeset::roman;
use crate::write::Batch;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Row {
    pub page: usize,
    #[serde(rename = "printed")]
    pub label: String,
    pub entry: String,
    pub file: String,
    pub file_page: Option<u32>,
    /// For a photo: when it was taken and where (“lat,lon” in degrees), from its EXIF. A photo
    /// converted for the binder (HEIC) loses its EXIF there, so this is read from the original.
    #[serde(default)]
    pub taken: Option<String>,
    #[serde(default)]
    pub gps: Option<String>,
    /// The source page's content was damaged: mended, or shown as a note.
    #[serde(default)]
    pub damaged: bool,
    /// Where the page's text comes from with `--ocr`: "own", "ocr" or "none".
    #[serde(default)]
    pub text: Option<String>,
}

/// One row per page of the binder, in order.
pub fn rows(dossier: &Dossier, plan: &Plan) -> Vec<Row> {
    rows_with_text(dossier, plan, None)
}

/// The rows, each body page saying where its text comes from when `text` is given (per body page).
pub fn rows_with_text(dossier: &Dossier, plan: &Plan, text: Option<&[crate::ocr::TextOrigin]>) -> Vec<Row> {
    let own = text.map(|_| "own".to_string());
    let rel = |p: &Path| p.strip_prefix(&dossier.base).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let path_of = |i: usize| {
        let mut titles = Vec::new();
        let mut at = Some(i);
        while let Some(k) = at {
            titles.push(plan.nodes[k].title.as_str());
            at = plan.nodes[k].parent;
        }
        titles.reverse();
        titles.join(" › ")
    };
    let front = |page: usize, label: String, entry: &str| Row {
        page,
        label,
        entry: entry.into(),
        file: String::new(),
        file_page: None,
        taken: None,
        gps: None,
        damaged: false,
        text: own.clone(),
    };
    let mut out = vec![front(1, "封面".into(), "")];
    for i in 0..plan.contents.len() {
        out.push(front(2 + i, roman(i as u32 + 1), "目录"));
    }
    let mut shot: std::collections::HashMap<&Path, (Option<String>, Option<String>)> = Default::default();
    // Nodes start in page order: a page belongs to the last node starting on or before it.
    let mut owner = 0;
    for (b, page) in plan.body.iter().enumerate() {
        while owner + 1 < plan.nodes.len() && plan.nodes[owner + 1].start <= b {
            owner += 1;
        }
        let entry = if plan.nodes.is_empty() { String::new() } else { path_of(owner) };
        let (file, file_page, (taken, gps)) = match page {
            BodyPage::Own(_) => (String::new(), None, (None, None)),
            BodyPage::Pdf { source, page, .. } => (rel(source), Some(page + 1), (None, None)),
            BodyPage::Image { source, frame } => {
                let when_where = shot.entry(source).or_insert_with(|| crate::sources::image::taken(source)).clone();
                (rel(source), Some(frame + 1), when_where)
            }
        };
        let (page, label) = (plan.front_pages() + b + 1, plan.number(b).to_string());
        let text = text.and_then(|t| t.get(b)).map(|o| o.key().to_string());
        out.push(Row { page, label, entry, file, file_page, taken, gps, damaged: false, text });
    }
    out
}

pub fn to_json(rows: &[Row]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut row = json!({
                    "page": r.page, "printed": r.label, "entry": r.entry, "file": r.file, "file_page": r.file_page,
                    "taken": r.taken, "gps": r.gps,
                });
                if r.damaged {
                    row["damaged"] = true.into();
                }
                if let Some(t) = &r.text {
                    row["text"] = t.clone().into();
                }
                row
            })
            .collect(),
    )
}

/// CSV with a byte-order mark, so Excel and WPS open the Chinese text correctly.
pub fn to_csv(rows: &[Row]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    // The text column only when the build read scanned pages: other manifests keep their columns.
    let text = rows.iter().any(|r| r.text.is_some());
    let mut out = String::from("\u{feff}page,printed,entry,file,file_page,taken,gps,damaged");
    out.push_str(if text { ",text\n" } else { "\n" });
    for r in rows {
        let fp = r.file_page.map(|p| p.to_string()).unwrap_or_default();
        let (taken, gps) = (r.taken.as_deref().unwrap_or(""), field(r.gps.as_deref().unwrap_or("")));
        let damaged = if r.damaged { "damaged" } else { "" };
        out.push_str(&format!(
            "{},{},{},{},{},{taken},{gps},{damaged}",
            r.page,
            field(&r.label),
            field(&r.entry),
            field(&r.file),
            fp
        ));
        if text {
            out.push(',');
            out.push_str(r.text.as_deref().unwrap_or(""));
        }
        out.push('\n');
    }
    out
}

/// `<binder>.manifest.json`, the manifest a build leaves beside the binder.
pub fn path(binder: &Path) -> PathBuf {
    binder.with_extension("manifest.json")
}

/// Where the build before the last one left its manifest: `dossier diff` compares the two.
pub fn previous_path(binder: &Path) -> PathBuf {
    binder.with_extension("manifest.previous.json")
}

/// A manifest as a build wrote it.
pub fn read(path: &Path) -> Result<Vec<Row>, Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::NoManifest,
        _ => Problem::Unreadable(e.to_string()),
    })?;
    serde_json::from_str(&text).map_err(|e| Problem::BadManifest(e.to_string()))
}

/// Stage `<binder>.manifest.json` and `.csv` beside the binder in `batch`, with the manifest they
/// replace as `<binder>.manifest.previous.json`, marking the body pages (indexes into the plan's
/// body) whose source was damaged and, with `--ocr`, where each body page's text comes from.
/// Returns the rows; an error names its file.
pub fn stage(
    batch: &mut Batch,
    binder: &Path,
    dossier: &Dossier,
    plan: &Plan,
    damaged: &[usize],
    text: Option<&[crate::ocr::TextOrigin]>,
) -> Result<Vec<Row>, (PathBuf, std::io::Error)> {
    let mut rows = rows_with_text(dossier, plan, text);
    for &b in damaged {
        if let Some(r) = rows.get_mut(plan.front_pages() + b) {
            r.damaged = true;
        }
    }
    let json = serde_json::to_string_pretty(&to_json(&rows)).map_err(|e| (path(binder), std::io::Error::other(e)))?;
    match std::fs::read(path(binder)) {
        Ok(old) => batch.write(&previous_path(binder), &old).map_err(|e| (previous_path(binder), e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err((path(binder), e)),
    }
    batch.write(&path(binder), json.as_bytes()).map_err(|e| (path(binder), e))?;
    let csv = binder.with_extension("manifest.csv");
    batch.write(&csv, to_csv(&rows).as_bytes()).map_err(|e| (csv.clone(), e))?;
    Ok(rows)
}
