//! `dossier` started with no arguments: what a double-click on dossier.exe in Explorer does. A
//! clerk gets a console window, not a command line, so it says in words what is going on, asks
//! before writing anything, and keeps the window open on an error until Enter is pressed (a
//! window that vanishes says nothing).
//!
//! With a dossier.json beside the program or in the current folder, the editing page
//! (`dossier serve`) opens in the browser; without one, it offers to make one from the folder
//! first (`dossier init`).

use dossier::error::{Error, Lang};
use dossier::serve::ServeOptions;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(lang: Lang) -> ExitCode {
    println!("{}", lang.t("win.title"));
    let code = match find() {
        Some(dossier) => open(&dossier, lang),
        None => offer_init(lang),
    };
    if code != ExitCode::SUCCESS {
        println!();
        println!("{}", lang.t("win.press_enter_to_close"));
        wait_for_enter();
    }
    code
}

/// dossier.json beside the program (where a clerk unpacked it), else in the current folder.
fn find() -> Option<PathBuf> {
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("dossier.json")));
    let here = std::env::current_dir().ok().map(|d| d.join("dossier.json"));
    beside.into_iter().chain(here).find(|p| p.is_file())
}

/// What the clerk gets for a dossier: the editing page in the browser, served until the window
/// is closed. Problems in the dossier are shown on the page, next to their entries, so only a
/// server that cannot start ends here with an error.
fn open(dossier: &Path, lang: Lang) -> ExitCode {
    println!("{}", lang.fmt("win.opening", &[("dossier", &dossier.display())]));
    println!("{}", lang.t("win.page_hint"));
    let opts = ServeOptions { dossier: dossier.to_path_buf(), port: None, open: true, lang };
    match dossier::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Input(diags)) => {
            for d in &diags {
                eprintln!("{}\n", d.render(lang));
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{}{}", lang.t("win.error"), e.message(lang));
            ExitCode::from(1)
        }
    }
}

fn offer_init(lang: Lang) -> ExitCode {
    let folder = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}", lang.fmt("win.no_folder", &[("error", &e)]));
            return ExitCode::from(1);
        }
    };
    println!("{}", lang.fmt("win.no_dossier", &[("folder", &folder.display())]));
    println!("{}", lang.t("win.init_ask"));
    if !wait_for_enter() {
        return ExitCode::from(1);
    }
    match dossier::init::init(&folder, false) {
        Ok(report) => {
            for line in report.lines_in(lang) {
                println!("{line}");
            }
            println!();
            open(&report.dossier, lang)
        }
        Err(e) => {
            eprintln!("{}{}", lang.t("win.error"), e.message(lang));
            ExitCode::from(1)
        }
    }
}

/// Wait until Enter is pressed. False when there is nothing to read (no console, input closed).
fn wait_for_enter() -> bool {
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    matches!(std::io::stdin().lock().read_line(&mut line), Ok(n) if n > 0)
}
