//! What a long build tells whoever shows its progress. The library never prints: the binary
//! decides between a bar on a terminal and plain lines in a log.

use crate::error::Lang;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Outline,
    Sources,
    Plan,
    /// Reading scanned pages (`--ocr`); counts pages.
    Ocr,
    Render,
    Assemble,
    /// The Word binder's page images.
    Pictures,
    /// The Word binder written out.
    Docx,
}

impl Stage {
    /// The name `--verbose` and the benchmarks have always used.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Outline => "outline",
            Stage::Sources => "sources",
            Stage::Plan => "plan",
            Stage::Ocr => "ocr",
            Stage::Render => "render",
            Stage::Assemble => "assemble",
            Stage::Pictures => "pictures",
            Stage::Docx => "docx",
        }
    }

    /// What the stage does, for the person waiting.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.t(&format!("progress.stage.{}", self.key()))
    }
}

/// Hears of a build's progress. Calls come per stage and per file or run of pages, never per PDF
/// object, and may come from worker threads.
pub trait Progress: Send + Sync {
    fn started(&self, _stage: Stage) {}
    /// `done` of `total` units of the current stage (files, or body pages) are finished.
    fn advanced(&self, _stage: Stage, _done: usize, _total: usize) {}
    fn finished(&self, _stage: Stage, _took: Duration) {}
}

/// An optional listener that `BuildOptions` can carry and clone.
#[derive(Clone, Default)]
pub struct Reporter(Option<Arc<dyn Progress>>);

impl Reporter {
    pub fn new(p: Arc<dyn Progress>) -> Self {
        Reporter(Some(p))
    }
    pub fn started(&self, s: Stage) {
        if let Some(p) = &self.0 {
            p.started(s);
        }
    }
    pub fn advanced(&self, s: Stage, done: usize, total: usize) {
        if let Some(p) = &self.0 {
            p.advanced(s, done, total);
        }
    }
    pub fn finished(&self, s: Stage, took: Duration) {
        if let Some(p) = &self.0 {
            p.finished(s, took);
        }
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Reporter(listening)" } else { "Reporter(none)" })
    }
}
