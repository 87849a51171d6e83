//! The build manifest beside the binder: for every page, the number printed on it, the outline
//! entry it belongs to and the source file and page it shows — so a clerk can answer "where is
//! page 57 from?" without opening the PDF, and a later change can say what moved.

use crate::error::Problem;
use crate::outline::Dossier;
use crate::plan::{BodyPage, Plan};
use crate::typeset::roman;
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
    let mut out = vec![Row {
        page: 1,
        label: "封面".into(),
        entry: String::new(),
        file: String::new(),
        file_page: None,
        text: own.clone(),
    }];
    for i in 0..plan.contents.len() {
        out.push(Row {
            page: 2 + i,
            label: roman(i as u32 + 1),
            entry: "目录".into(),
            file: String::new(),
            file_page: None,
            text: own.clone(),
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
        out.push(Row {
            page: plan.front_pages() + b + 1,
            label: plan.number(b).to_string(),
            entry,
            file,
            file_page,
            text: text.and_then(|t| t.get(b)).map(|o| o.key().to_string()),
        });
    }
    out
}

pub fn to_json(rows: &[Row]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let mut v = json!({ "page": r.page, "printed": r.label, "entry": r.entry, "file": r.file, "file_page": r.file_page });
                if let (Some(t), Value::Object(m)) = (&r.text, &mut v) {
                    m.insert("text".into(), Value::String(t.clone()));
                }
                v
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
    let mut out = String::from("\u{feff}page,printed,entry,file,file_page");
    out.push_str(if text { ",text\n" } else { "\n" });
    for r in rows {
        let fp = r.file_page.map(|p| p.to_string()).unwrap_or_default();
        out.push_str(&format!("{},{},{},{},{}", r.page, field(&r.label), field(&r.entry), field(&r.file), fp));
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

/// Write `<binder>.manifest.json` and `.csv` beside the binder, keeping the manifest they replace
/// as `<binder>.manifest.previous.json`. Returns the rows written.
pub fn write(
    binder: &Path,
    dossier: &Dossier,
    plan: &Plan,
    text: Option<&[crate::ocr::TextOrigin]>,
) -> std::io::Result<Vec<Row>> {
    let rows = rows_with_text(dossier, plan, text);
    let json = serde_json::to_string_pretty(&to_json(&rows)).map_err(std::io::Error::other)?;
    for (ext, text) in [("manifest.json", json), ("manifest.csv", to_csv(&rows))] {
        let path = binder.with_extension(ext);
        let tmp = path.with_extension(format!("{ext}.partial"));
        std::fs::write(&tmp, text)?;
        if ext == "manifest.json" && path.is_file() {
            std::fs::rename(&path, previous_path(binder))?;
        }
        std::fs::rename(&tmp, &path)?;
    }
    Ok(rows)
}
