//! A build started from the page: the same `dossier::build` as the command line, on a thread of its
//! own, its progress sent to every open tab as it happens.

use super::routes::App;
use crate::error::Error;
use crate::progress::{Progress, Reporter, Stage};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

struct ToPage {
    app: Arc<App>,
}

impl Progress for ToPage {
    fn started(&self, stage: Stage) {
        let data = json!({ "stage": stage.key(), "label": stage.label(self.app.lang) });
        self.app.send("progress", data.to_string());
    }
    fn advanced(&self, stage: Stage, done: usize, total: usize) {
        let data = json!({ "stage": stage.key(), "label": stage.label(self.app.lang), "done": done, "total": total });
        self.app.send("progress", data.to_string());
    }
    fn finished(&self, _stage: Stage, _took: Duration) {}
}

/// Start a build unless one is running; false if one is.
pub fn start(app: Arc<App>) -> bool {
    if app.building.swap(true, Ordering::SeqCst) {
        return false;
    }
    let a = app.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let opts = crate::BuildOptions {
            dossier: a.dossier.clone(),
            progress: Reporter::new(Arc::new(ToPage { app: a.clone() })),
            ..Default::default()
        };
        let lang = a.lang;
        let result = crate::build(&opts);
        let (name, data) = match result {
            Ok(r) => {
                let output = r.output.strip_prefix(&a.base).unwrap_or(&r.output).to_string_lossy().replace('\\', "/");
                let secs = format!("{:.1}", started.elapsed().as_secs_f32());
                let line = lang.fmt(
                    "serve.built",
                    &[
                        ("pages", &r.pages),
                        ("contents", &(r.front_pages - 1)),
                        ("body", &r.body_pages),
                        ("secs", &secs),
                    ],
                );
                let volumes = r.fit.as_ref().map_or(0, |f| f.volumes.len());
                let mut v = json!({
                    "ok": true,
                    "output": output,
                    "line": line,
                    "changes": r.changes.as_ref().map(|c| c.line(lang)),
                    "pages": r.pages,
                    "volumes": volumes,
                    "seconds": started.elapsed().as_secs_f64(),
                    "warnings": r.warnings.iter().map(|d| d.to_json(lang)).collect::<Vec<_>>(),
                });
                v["build"] = json!(a.build_count.fetch_add(1, Ordering::SeqCst) + 1);
                ("built", v)
            }
            Err(e) => {
                let problems: Vec<serde_json::Value> = match &e {
                    Error::Input(d) => d.iter().map(|d| super::diagnose::problem_json(d, &a.base, lang)).collect(),
                    _ => Vec::new(),
                };
                ("failed", json!({ "ok": false, "message": e.message(lang), "problems": problems }))
            }
        };
        let text = data.to_string();
        if let Ok(mut last) = a.last_build.lock() {
            *last = Some(data);
        }
        a.building.store(false, Ordering::SeqCst);
        a.send(name, text);
    });
    true
}
