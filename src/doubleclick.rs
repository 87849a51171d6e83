//! `dossier` started with no arguments: what a double-click on dossier.exe in Explorer does. A
//! clerk gets a console window, not a command line, so it says in words what is going on, asks
//! before writing anything, and keeps the window open on an error until Enter is pressed (a
//! window that vanishes says nothing).
//!
//! With a dossier.json beside the program or in the current folder, the binder is built and
//! opened; without one, it offers to make one from the folder first (`dossier init`).

use dossier::error::{Error, Lang};
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

/// What the clerk gets for a dossier.
fn open(dossier: &Path, lang: Lang) -> ExitCode {
    build_and_show(dossier, lang)
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

fn build_and_show(dossier: &Path, lang: Lang) -> ExitCode {
    println!("{}", lang.fmt("win.building", &[("dossier", &dossier.display())]));
    println!("{}", lang.t("win.how_to_stop"));
    let opts = dossier::BuildOptions { dossier: dossier.to_path_buf(), ..Default::default() };
    match dossier::build(&opts) {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("{}\n", w.render(lang));
            }
            println!("{}", lang.fmt("win.built", &[("path", &r.output.display()), ("pages", &r.pages)]));
            match show(&r.output) {
                Ok(()) => println!("{}", lang.t("win.opened")),
                Err(e) => println!("{}", lang.fmt("win.not_opened", &[("error", &e)])),
            }
            ExitCode::SUCCESS
        }
        Err(Error::Input(diags)) => {
            for d in &diags {
                eprintln!("{}\n", d.render(lang));
            }
            eprintln!("{}", lang.fmt("win.problems", &[("n", &diags.len())]));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{}{}", lang.t("win.error"), e.message(lang));
            ExitCode::from(1)
        }
    }
}

/// Open `file` in the program the system opens such files with, or in DOSSIER_VIEWER. By hand
/// because it is one command per system: explorer.exe on Windows, open on macOS, xdg-open
/// elsewhere.
fn show(file: &Path) -> std::io::Result<()> {
    let program = match std::env::var_os("DOSSIER_VIEWER") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ if cfg!(windows) => PathBuf::from("explorer.exe"),
        _ if cfg!(target_os = "macos") => PathBuf::from("open"),
        _ => PathBuf::from("xdg-open"),
    };
    let file = std::path::absolute(file)?;
    // Not waited for: the viewer stays open after this window closes.
    std::process::Command::new(program).arg(file).spawn().map(drop)
}

/// Wait until Enter is pressed. False when there is nothing to read (no console, input closed).
fn wait_for_enter() -> bool {
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    matches!(std::io::stdin().lock().read_line(&mut line), Ok(n) if n > 0)
}
