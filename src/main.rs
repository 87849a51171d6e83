//! The command line: parse arguments, call the library, print what happened.

mod cli_lang;
mod doubleclick;
mod ui;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use dossier::BuildOptions;
use dossier::error::{Diagnostic, Error, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

/// How much a command says.
// What each command and argument is for, as `--help` shows it, is in the catalogues
// (assets/i18n/*.json) under `cli.<command>.<argument>` or `cli.<argument>`: see cli_lang.rs.
#[derive(clap::Args, Clone, Copy)]
struct Say {
    #[arg(short, long, conflicts_with_all = ["verbose", "json"])]
    quiet: bool,
    #[arg(short, long)]
    verbose: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Parser)]
#[command(name = "dossier", version)]
struct Cli {
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Zh,
    En,
}

/// --lang, else DOSSIER_LANG, else the system's language.
fn language(arg: Option<Lang>) -> Lang {
    match arg {
        Some(l) => l,
        None => match std::env::var("DOSSIER_LANG") {
            Ok(l) if !l.is_empty() => Lang::from_locale(Some(&l)),
            _ => Lang::from_locale(sys_locale::get_locale().as_deref()),
        },
    }
}

/// Every diagnostic, then a closing line in the same language.
fn report(diags: &[Diagnostic], lang: Lang, verbose: bool, closing: &str) {
    for d in diags {
        eprintln!("{}\n", d.render_with(lang, verbose));
    }
    if !closing.is_empty() {
        eprintln!("{closing}");
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Pdf,
    Docx,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EvidenceArg {
    Images,
    List,
}

#[derive(Subcommand)]
enum Command {
    Build {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        say: Say,
        #[arg(long)]
        no_cache: bool,
        #[arg(long, value_name = "DPI", value_parser = clap::value_parser!(u32).range(50..=1200))]
        photo_dpi: Option<u32>,
        #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
        format: FormatArg,
        #[arg(long, value_enum, default_value_t = EvidenceArg::Images)]
        docx_evidence: EvidenceArg,
        #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u32).range(50..=600))]
        docx_dpi: u32,
        #[arg(long, value_name = "SIZE", value_parser = parse_max_size)]
        max_size: Option<u64>,
        #[arg(long)]
        strict: bool,
        #[arg(long, value_name = "PIXELS", default_value_t = dossier::sources::image::DEFAULT_MAX_PIXELS)]
        max_pixels: u64,
        #[arg(long)]
        ocr: bool,
    },
    Watch {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        #[arg(short, long)]
        verbose: bool,
        #[arg(long)]
        ocr: bool,
    },
    Check {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[command(flatten)]
        say: Say,
        #[arg(long, value_name = "PIXELS", default_value_t = dossier::sources::image::DEFAULT_MAX_PIXELS)]
        max_pixels: u64,
        #[arg(long)]
        ocr: bool,
    },
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long)]
        json: bool,
        #[arg(short, long)]
        verbose: bool,
    },
    Init {
        #[arg(default_value = ".")]
        folder: PathBuf,
        #[arg(long)]
        update: bool,
        #[arg(long)]
        ocr: bool,
    },
    Serve {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[arg(long)]
        port: Option<u16>,
        #[arg(long)]
        no_open: bool,
    },
    Status {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn parse_max_size(s: &str) -> Result<u64, String> {
    dossier::volumes::parse_size(s).ok_or_else(|| cli_lang::parse_lang().t("cli.error.size").to_string())
}

/// What a build with --max-size did to fit, in the user's language.
fn print_fit(fit: &dossier::fit::Fit, bytes: u64, lang: Lang) {
    use dossier::volumes::megabytes;
    let limit = megabytes(fit.limit);
    if let Some(dpi) = fit.photo_dpi {
        println!("{}", lang.fmt("fit.photos", &[("limit", &limit), ("dpi", &dpi)]));
    }
    if fit.volumes.is_empty() {
        println!("{}", lang.fmt("fit.size", &[("size", &megabytes(bytes)), ("limit", &limit)]));
        return;
    }
    println!("{}", lang.fmt("fit.split", &[("n", &fit.volumes.len())]));
    for v in &fit.volumes {
        let key = if v.bytes > fit.limit { "fit.volume_over" } else { "fit.volume" };
        let (path, size) = (v.path.display(), megabytes(v.bytes));
        let args: [(&str, &dyn std::fmt::Display); 5] =
            [("path", &path), ("first", &v.first_page), ("last", &v.last_page), ("size", &size), ("limit", &limit)];
        println!("{}", lang.fmt(key, &args));
    }
}

fn main() -> ExitCode {
    // glibc gives each thread its own heap arena and keeps what large files left in it: with the
    // reader thread, a 1.5 GB binder peaked at 230 MB instead of 145 MB. One arena is enough for
    // two threads that mostly move big buffers.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        // Buffers up to 32 MB (a source read whole, a cache entry) come from the heap and go back
        // to it, to be reused: given fresh pages each time, a rebuild took 9,000 page faults
        // instead of 6,000, and its peak on the large binder went down, not up (60 MB).
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() == 1 {
        return doubleclick::run(language(None));
    }
    let matches = cli_lang::matches(Cli::command(), language(cli_lang::requested(&args)));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let lang = language(cli.lang.map(|l| match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    }));
    match cli.command {
        Command::Build {
            dossier,
            output,
            say,
            no_cache,
            photo_dpi,
            format,
            docx_evidence,
            docx_dpi,
            max_size,
            strict,
            max_pixels,
            ocr,
        } => {
            if format == FormatArg::Docx && max_size.is_some() {
                // The Word binder has no volumes and its pages are pictures already.
                let why = lang.t("cli.error.max_size_docx");
                cli_lang::refuse(Cli::command(), lang, "build", clap::error::ErrorKind::ArgumentConflict, why);
            }
            let format = match format {
                FormatArg::Pdf => dossier::Format::Pdf,
                FormatArg::Docx => dossier::Format::Docx,
            };
            let evidence = match docx_evidence {
                EvidenceArg::Images => dossier::docx::EvidenceMode::Images,
                EvidenceArg::List => dossier::docx::EvidenceMode::List,
            };
            let docx = dossier::docx::Options { evidence, dpi: docx_dpi };
            let opts = BuildOptions {
                dossier,
                output,
                no_cache,
                photo_dpi,
                format,
                docx,
                max_size,
                max_pixels: Some(max_pixels),
                strict,
                ocr,
                ..Default::default()
            };
            run_build(opts, say, lang)
        }
        Command::Check { dossier, say, max_pixels, ocr } => {
            run_check(BuildOptions { dossier, max_pixels: Some(max_pixels), ocr, ..Default::default() }, say, lang)
        }
        Command::Watch { dossier, output, quiet, verbose, ocr } => {
            let say = Say { quiet, verbose, json: false };
            run_watch(BuildOptions { dossier, output, ocr, ..Default::default() }, say, lang)
        }
        Command::Diff { old, new, json, verbose } => run_diff(&old, &new, Say { quiet: false, verbose, json }, lang),
        Command::Init { folder, update, ocr } => run_init(&folder, update, ocr, lang),
        Command::Status { dossier, json } => run_status(&dossier, json, lang),
        Command::Serve { dossier, port, no_open } => {
            match dossier::serve::run(dossier::serve::ServeOptions { dossier, port, open: !no_open, lang }) {
                Ok(()) => ExitCode::SUCCESS,
                // Nothing was built, so build's closing words about the binder would mislead.
                Err(Error::Input(diags)) => {
                    report(&diags, lang, false, lang.t("serve.failed"));
                    ExitCode::from(1)
                }
                Err(e) => failed(&e, Say { quiet: false, verbose: false, json: false }, lang),
            }
        }
    }
}

fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// A failed build or check: every problem, then what happened to the binder. Exit code 1.
fn failed(e: &Error, say: Say, lang: Lang) -> ExitCode {
    if say.json {
        print_json(&e.to_json(lang));
        return ExitCode::from(1);
    }
    match e {
        Error::Input(diags) => {
            let n = diags.iter().filter(|d| !d.warning).count();
            report(diags, lang, say.verbose, &lang.fmt("build.failed", &[("n", &n)]));
        }
        e => print_error(e, lang, say.verbose),
    }
    ExitCode::from(1)
}

/// A failure that is not about the inputs; its technical words with -v.
fn print_error(e: &Error, lang: Lang, verbose: bool) {
    eprintln!("{}{}", lang.t("out.error"), e.message(lang));
    if let Some(d) = e.detail().filter(|_| verbose && lang == Lang::Zh) {
        eprintln!("  {}{d}", lang.t("out.detail"));
    }
}

fn print_timings(timings: &[(&'static str, std::time::Duration)], lang: Lang) {
    for (stage, t) in timings {
        let secs = format!("{:.3}", t.as_secs_f32());
        // The stages' short names are what the benchmarks read in English.
        let label = match lang {
            Lang::En => format!("{stage:>10}"),
            Lang::Zh => lang.t(&format!("progress.stage.{stage}")).to_string(),
        };
        eprintln!("{}", lang.fmt("progress.timing", &[("stage", &label), ("secs", &secs)]));
    }
}

/// Run `stage` with a progress display (none with --quiet or --json), cleared before anything else
/// is printed.
fn with_progress<T>(
    mut opts: BuildOptions,
    say: Say,
    lang: Lang,
    stage: impl FnOnce(&BuildOptions) -> Result<T, Error>,
) -> (BuildOptions, Result<T, Error>) {
    let (reporter, shown) = ui::progress(lang, say.quiet || say.json);
    opts.progress = reporter;
    let result = stage(&opts);
    if let Some(s) = &shown {
        s.clear();
    }
    (opts, result)
}

fn run_build(opts: BuildOptions, say: Say, lang: Lang) -> ExitCode {
    let started = std::time::Instant::now();
    let (opts, result) = with_progress(opts, say, lang, dossier::build);
    let r = match result {
        Ok(r) => r,
        Err(e) => return failed(&e, say, lang),
    };
    if say.json {
        print_json(&r.to_json(lang));
        return ExitCode::SUCCESS;
    }
    if say.quiet {
        return ExitCode::SUCCESS;
    }
    report(&r.warnings, lang, say.verbose, "");
    if say.verbose {
        print_timings(&r.timings, lang);
    }
    let (out, secs) = (r.output.display(), format!("{:.1}", started.elapsed().as_secs_f32()));
    let (pages, contents, body) = (r.pages, r.front_pages - 1, r.body_pages);
    let split = r.fit.as_ref().is_some_and(|f| !f.volumes.is_empty());
    let key = match opts.format {
        _ if split => "build.wrote_volumes",
        dossier::Format::Docx => "build.wrote_docx",
        _ => "build.wrote_pdf",
    };
    let args: [(&str, &dyn std::fmt::Display); 5] =
        [("out", &out), ("pages", &pages), ("contents", &contents), ("body", &body), ("secs", &secs)];
    println!("{}", lang.fmt(key, &args));
    if let Some(fit) = &r.fit {
        print_fit(fit, r.bytes, lang);
    }
    if let Some(c) = &r.changes {
        println!("{}", c.line(lang));
    }
    ExitCode::SUCCESS
}

fn run_check(opts: BuildOptions, say: Say, lang: Lang) -> ExitCode {
    let (_, result) = with_progress(opts, say, lang, dossier::check);
    let r = match result {
        Ok(r) => r,
        Err(e) => return failed(&e, say, lang),
    };
    if say.json {
        print_json(&r.to_json(lang));
    } else if !say.quiet {
        report(&r.warnings, lang, say.verbose, "");
        if say.verbose {
            print_timings(&r.timings, lang);
        }
        println!("{}", lang.fmt("check.ok", &[("files", &r.files), ("body", &r.body_pages)]));
    }
    ExitCode::SUCCESS
}

fn run_diff(old: &std::path::Path, new: &std::path::Path, say: Say, lang: Lang) -> ExitCode {
    let d = match dossier::diff::compare_files(old, new) {
        Ok(d) => d,
        Err(e) => return failed_diff(&e, say, lang),
    };
    if say.json {
        print_json(&d.to_json());
        return ExitCode::SUCCESS;
    }
    for line in d.lines_with(lang, say.verbose) {
        println!("{line}");
    }
    let (a, b, summary) = (d.old_pages, d.new_pages, d.summary(lang));
    println!("{}", lang.fmt("diff.in_all", &[("summary", &summary), ("old", &a), ("new", &b)]));
    ExitCode::SUCCESS
}

/// Like `failed`, without the words about the binder: diff writes nothing.
fn failed_diff(e: &Error, say: Say, lang: Lang) -> ExitCode {
    match e {
        Error::Input(diags) if !say.json => {
            report(diags, lang, say.verbose, "");
            ExitCode::from(1)
        }
        e => failed(e, say, lang),
    }
}

fn run_init(folder: &std::path::Path, update: bool, ocr: bool, lang: Lang) -> ExitCode {
    match dossier::init::init_with(folder, update, ocr) {
        Ok(report) => {
            for line in report.lines_in(lang) {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let dossier::init::InitError::Dossier(diags) = &e {
                report(diags, lang, false, "");
            }
            eprintln!("{}{}", lang.t("out.error"), e.message(lang));
            ExitCode::from(1)
        }
    }
}

fn run_status(path: &std::path::Path, json: bool, lang: Lang) -> ExitCode {
    match dossier::status::status(path) {
        Ok(s) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&s.to_json(lang)).unwrap_or_default());
            } else {
                print!("{}", s.table(lang));
            }
            if s.has_problems() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(Error::Input(diags)) => {
            let n = diags.iter().filter(|d| !d.warning).count();
            report(&diags, lang, false, &lang.fmt("status.closing", &[("n", &n), ("path", &path.display())]));
            ExitCode::from(1)
        }
        Err(e) => {
            print_error(&e, lang, false);
            ExitCode::from(1)
        }
    }
}

fn run_watch(mut opts: BuildOptions, say: Say, lang: Lang) -> ExitCode {
    let names = |c: &[PathBuf]| {
        let names: Vec<String> =
            c.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        names.join(lang.t("cli.list_sep"))
    };
    let (reporter, shown) = ui::progress(lang, say.quiet);
    opts.progress = reporter;
    let clear = || {
        if let Some(s) = &shown {
            s.clear();
        }
    };
    let result = dossier::watch::watch(&opts, |event| match event {
        dossier::watch::Event::Built { changed, report: r, took } => {
            clear();
            if say.quiet {
                return;
            }
            report(&r.warnings, lang, say.verbose, "");
            if say.verbose {
                print_timings(&r.timings, lang);
            }
            let (out, secs, body) = (r.output.display(), format!("{:.1}", took.as_secs_f32()), r.body_pages);
            let key = if changed.is_empty() { "watch.built" } else { "watch.rebuilt" };
            let names = names(changed);
            let args: [(&str, &dyn std::fmt::Display); 4] =
                [("out", &out), ("secs", &secs), ("body", &body), ("names", &names)];
            println!("{}", lang.fmt(key, &args));
            if let Some(c) = &r.changes {
                println!("{}", c.line(lang));
            }
        }
        dossier::watch::Event::Failed { changed, error } => {
            clear();
            if !changed.is_empty() {
                eprintln!("{}", lang.fmt("watch.changed", &[("names", &names(changed))]));
            }
            match error {
                Error::Input(diags) => report(diags, lang, say.verbose, ""),
                e => print_error(e, lang, say.verbose),
            }
            eprintln!("{}", lang.t("watch.not_built"));
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(&e, lang, say.verbose);
            ExitCode::from(1)
        }
    }
}
