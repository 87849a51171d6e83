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
}

/// One row per page of the binder, in order.
pub fn rows(dossier: &Dossier, plan: &Plan) -> Vec<Row> {
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
    let mut out =
        vec![Row { page: 1, label: "封面".into(), entry: String::new(), file: String::new(), file_page: None }];
    for i in 0..plan.contents.len() {
        out.push(Row {
            page: 2 + i,
            label: roman(i as u32 + 1),
            entry: "目录".into(),
            file: String::new(),
            file_page: None,
        });
    }
    // Nodes start in page order: a page belongs to the last node starting on or before it.
    let mut owner = 0;
    for (b, page) in plan.body.iter().enumerate() {
        while owner + 1 < plan.nodes.len() && plan.nodes[owner + 1].start <= b {
            owner += 1;
        }
        let entry = if plan.nodes.is_empty() { String::new() } else { path_of(owner) };
        let (file, file_page) = match page {
            BodyPage::Own(_) => (String::new(), None),
            BodyPage::Pdf { source, page, .. } => (rel(source), Some(page + 1)),
            BodyPage::Image { source, frame } => (rel(source), Some(frame + 1)),
        };
        out.push(Row { page: plan.front_pages() + b + 1, label: plan.number(b).to_string(), entry, file, file_page });
    }
    out
}

pub fn to_json(rows: &[Row]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| json!({ "page": r.page, "printed": r.label, "entry": r.entry, "file": r.file, "file_page": r.file_page }))
            .collect(),
    )
}

/// CSV with a byte-order mark, so Excel and WPS open the Chinese text correctly.
pub fn to_csv(rows: &[Row]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    let mut out = String::from("\u{feff}page,printed,entry,file,file_page\n");
    for r in rows {
        let fp = r.file_page.map(|p| p.to_string()).unwrap_or_default();
        out.push_str(&format!("{},{},{},{},{}\n", r.page, field(&r.label), field(&r.entry), field(&r.file), fp));
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
/// replace as `<binder>.manifest.previous.json`. Returns the rows; an error names its file.
pub fn stage(
    batch: &mut Batch,
    binder: &Path,
    dossier: &Dossier,
    plan: &Plan,
) -> Result<Vec<Row>, (PathBuf, std::io::Error)> {
    let rows = rows(dossier, plan);
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
