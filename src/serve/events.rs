//! What the page hears without asking: dossier.json changed on disk (an editor, `git checkout`,
//! another tab), new problems worked out, a build's progress and its end. Sent as server-sent
//! events, which browsers reconnect by themselves.

use super::routes::App;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use notify_debouncer_mini::notify::RecursiveMode;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// One event: its name and its JSON text.
pub type Message = (&'static str, String);

pub async fn stream(State(app): State<Arc<App>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = app.events.subscribe();
    let s = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok((name, data)) => return Some((Ok(Event::default().event(name).data(data)), rx)),
                // A slow tab missed some progress lines: the next event brings it up to date.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Changes in the folder that say nothing about the outline or its files: the cache, the binder
/// and its manifest, editors' and dossier's own temporary files.
fn irrelevant(app: &App, output_dir: Option<&Path>, p: &Path) -> bool {
    let rel = match p.strip_prefix(&app.base) {
        Ok(r) => r,
        Err(_) => return true,
    };
    rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') || s.starts_with("~$") || s.ends_with('~')
    }) || output_dir.is_some_and(|d| p.starts_with(d))
}

/// Watch the dossier's folder: a new dossier.json is announced with its version; any change to
/// the evidence files makes the problems be worked out again.
pub fn watch(app: Arc<App>) -> Result<(), crate::error::Error> {
    let io = |e: notify_debouncer_mini::notify::Error| {
        crate::error::Error::Internal(format!("cannot watch the dossier's folder: {e}"))
    };
    let (tx, rx) = std::sync::mpsc::channel();
    // Short enough that a change shows within a second; long enough to gather an editor's steps.
    let mut debouncer = notify_debouncer_mini::new_debouncer(Duration::from_millis(250), tx).map_err(io)?;
    debouncer.watcher().watch(&app.base, RecursiveMode::Recursive).map_err(io)?;
    std::thread::spawn(move || {
        let _keep = debouncer;
        while let Ok(result) = rx.recv() {
            let Ok(events) = result else { continue };
            let out = app.output_dir();
            let paths: Vec<_> =
                events.into_iter().map(|e| e.path).filter(|p| !irrelevant(&app, out.as_deref(), p)).collect();
            if paths.is_empty() {
                continue;
            }
            if paths.iter().any(|p| p == &app.dossier) {
                app.reload_from_disk();
            }
            app.send("files", "{}".into());
            app.recheck.notify_one();
        }
    });
    Ok(())
}
