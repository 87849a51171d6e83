//! The problems `dossier check` finds and the figures `dossier status` counts, worked out again
//! after every change and pushed to the page.
//!
//! Speed comes from the library's own caches: PDF page counts are remembered by path, size and
//! modification time (`sources::counts`), Word conversions and HEIC photos by content in
//! `.dossier-cache`; so after an edit only the outline and the files it newly names are read.

use super::routes::App;
use crate::error::{Diagnostic, Lang};
use crate::{outline, sources, status};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// Recompute whenever woken; wake-ups during a run collapse into one more run.
pub fn start(app: Arc<App>) {
    tokio::spawn(async move {
        loop {
            let a = app.clone();
            let result = tokio::task::spawn_blocking(move || diagnose(&a.dossier, &a.base, a.lang)).await;
            if let Ok(v) = result {
                let text = v.to_string();
                if let Ok(mut c) = app.check.lock() {
                    *c = Some(v);
                }
                app.send("check", text);
            }
            app.recheck.notified().await;
        }
    });
}

pub fn problem_json(d: &Diagnostic, base: &Path, lang: Lang) -> Value {
    let mut v = d.to_json(lang);
    // The page names files as dossier.json does: relative to its folder.
    if let Some(f) = &d.file {
        let rel = f.strip_prefix(base).unwrap_or(f).to_string_lossy().replace('\\', "/");
        v["file"] = json!(rel);
    }
    v
}

/// Everything the page shows besides the outline itself: problems by entry, each file's pages,
/// the completion figures per part, for the version of dossier.json they were worked out from.
pub fn diagnose(path: &Path, base: &Path, lang: Lang) -> Value {
    let started = std::time::Instant::now();
    let version = std::fs::read(path).map(|b| super::store::version_of(&b)).unwrap_or_default();
    let (dossier, mut diags) = match outline::load(path) {
        Ok(x) => x,
        Err(diags) => {
            return json!({
                "version": version,
                "problems": diags.iter().map(|d| problem_json(d, base, lang)).collect::<Vec<_>>(),
                "pages": {},
                "status": null,
            });
        }
    };
    let output = crate::output_path(&dossier, None);
    let dir = output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let (srcs, more) = sources::load(&dossier, &sources::Options::new(dir.join(".dossier-cache")));
    diags.extend(more);
    let st = status::Status::new(path, &dossier, &srcs, &diags);
    let mut pages = serde_json::Map::new();
    for ev in dossier.evidence() {
        for f in &ev.files {
            if let Some(s) = srcs.get(&f.path) {
                pages.insert(f.written.clone(), json!(s.pages));
            }
        }
    }
    json!({
        "version": version,
        "problems": diags.iter().map(|d| problem_json(d, base, lang)).collect::<Vec<_>>(),
        "pages": pages,
        "status": st.to_json(lang),
        "took_ms": started.elapsed().as_millis() as u64,
    })
}
