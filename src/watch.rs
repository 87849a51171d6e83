//! `dossier watch`: rebuild whenever dossier.json or a file it names changes. A failed rebuild
//! leaves the last good binder in place (the build never writes over it half-way), so a reviewer
//! looking at it sees the previous state until the problem is fixed.

use crate::error::Error;
use crate::{BuildOptions, BuildReport};
use notify_debouncer_mini::notify::RecursiveMode;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub enum Event<'a> {
    /// A build finished: what changed (empty for the first build), how long it took.
    Built { changed: &'a [PathBuf], report: &'a BuildReport, took: Duration },
    /// A build failed; the previous binder is still there.
    Failed { changed: &'a [PathBuf], error: &'a Error },
}

/// The files a build depends on: the dossier and every file it names (as far as it parses).
fn inputs(dossier: &Path) -> HashSet<PathBuf> {
    let mut set = HashSet::new();
    set.insert(canonical(dossier));
    if let Ok((d, _)) = crate::outline::load(dossier) {
        for e in d.evidence() {
            for f in &e.files {
                set.insert(canonical(&f.path));
            }
        }
    }
    set
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// Build, then rebuild on every change until the process is stopped. `report` hears of each build.
pub fn watch(opts: &BuildOptions, mut report: impl FnMut(Event)) -> Result<(), Error> {
    let io = |e: notify_debouncer_mini::notify::Error| Error::Internal(format!("cannot watch the files: {e}"));
    let (tx, rx) = std::sync::mpsc::channel();
    // Editors save in several steps; half a second gathers them into one rebuild.
    let mut debouncer = notify_debouncer_mini::new_debouncer(Duration::from_millis(500), tx).map_err(io)?;
    let mut watched: HashSet<PathBuf> = HashSet::new();
    let mut changed: Vec<PathBuf> = Vec::new();
    loop {
        let start = Instant::now();
        match crate::build(opts) {
            Ok(r) => report(Event::Built { changed: &changed, report: &r, took: start.elapsed() }),
            Err(e) => report(Event::Failed { changed: &changed, error: &e }),
        }
        // Watch the folders holding the inputs (new references bring new folders).
        let wanted = inputs(&opts.dossier);
        for dir in wanted.iter().filter_map(|p| p.parent()).filter(|d| d.is_dir()) {
            if watched.insert(dir.to_path_buf()) {
                debouncer.watcher().watch(dir, RecursiveMode::NonRecursive).map_err(io)?;
            }
        }
        // Wait for a change to an input; anything else in those folders (the binder itself, the
        // cache, editors' temporary files) is not a reason to rebuild.
        changed = loop {
            let events = match rx.recv() {
                Ok(Ok(events)) => events,
                Ok(Err(e)) => return Err(io(e)),
                Err(_) => return Ok(()),
            };
            let mut hits: Vec<PathBuf> =
                events.into_iter().map(|e| canonical(&e.path)).filter(|p| wanted.contains(p)).collect();
            hits.sort();
            hits.dedup();
            if !hits.is_empty() {
                break hits;
            }
        };
    }
}
