//! The binary's side of progress: a bar on a terminal, a plain line per stage in a log or a pipe
//! (so a CI log or a scheduled task's output holds no escape codes), nothing with --quiet or --json.
//! Not part of the library, which only calls the `Progress` trait.

use dossier::error::Lang;
use dossier::progress::{Progress, Reporter, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Shown {
    lang: Lang,
    /// `Some` on a terminal: the bar of the build under way, if one is.
    bar: Option<Mutex<Option<ProgressBar>>>,
    /// Units done in the current stage, for the plain line.
    done: AtomicUsize,
}

/// The listener for a build, and a handle to clear its bar before printing the result.
pub fn progress(lang: Lang, silent: bool) -> (Reporter, Option<Arc<Shown>>) {
    if silent {
        return (Reporter::default(), None);
    }
    let bar = std::io::stderr().is_terminal().then(|| Mutex::new(None));
    let shown = Arc::new(Shown { lang, bar, done: AtomicUsize::new(0) });
    (Reporter::new(shown.clone()), Some(shown))
}

fn unit(stage: Stage, n: usize, lang: Lang) -> Option<String> {
    match stage {
        Stage::Sources => Some(lang.fmt("progress.files", &[("n", &n)])),
        Stage::Assemble => Some(lang.fmt("progress.body_pages", &[("n", &n)])),
        Stage::Ocr => Some(lang.fmt("progress.ocr_pages", &[("n", &n)])),
        _ => None,
    }
}

impl Shown {
    /// Take the bar off the screen so the result prints on a clean line.
    pub fn clear(&self) {
        if let Some(slot) = &self.bar
            && let Ok(mut b) = slot.lock()
            && let Some(bar) = b.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Shown {
    fn started(&self, stage: Stage) {
        self.done.store(0, Ordering::Relaxed);
        let Some(slot) = &self.bar else { return };
        let Ok(mut b) = slot.lock() else { return };
        let bar = b.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or(ProgressStyle::default_spinner()),
        );
        bar.set_length(0);
        bar.set_position(0);
        bar.set_message(stage.label(self.lang));
    }

    fn advanced(&self, stage: Stage, done: usize, total: usize) {
        self.done.fetch_max(done, Ordering::Relaxed);
        let Some(slot) = &self.bar else { return };
        let Ok(b) = slot.lock() else { return };
        if let Some(bar) = b.as_ref() {
            if bar.length() != Some(total as u64) {
                // Reading pages takes seconds each: that stage says how long is left.
                let template = if stage == Stage::Ocr {
                    "{msg} [{bar:30}] {pos}/{len} {elapsed} (~{eta})"
                } else {
                    "{msg} [{bar:30}] {pos}/{len} {elapsed}"
                };
                bar.set_style(
                    ProgressStyle::with_template(template)
                        .unwrap_or(ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_length(total as u64);
            }
            bar.set_position(done as u64);
        }
    }

    fn finished(&self, stage: Stage, took: Duration) {
        if self.bar.is_some() {
            return;
        }
        let (label, secs) = (stage.label(self.lang), took.as_secs_f32());
        let n = self.done.load(Ordering::Relaxed);
        let count = unit(stage, n, self.lang).filter(|_| n > 0);
        let secs = format!("{secs:.2}");
        match count {
            Some(c) => {
                eprintln!("{}", self.lang.fmt("progress.line", &[("stage", &label), ("count", &c), ("secs", &secs)]))
            }
            None => eprintln!("{}", self.lang.fmt("progress.line_plain", &[("stage", &label), ("secs", &secs)])),
        }
    }
}
