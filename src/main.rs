//! The command line: parse arguments, call the library, print what happened.

mod ui;

use clap::{CommandFactory, Parser, Subcommand};
use dossier::BuildOptions;
use dossier::error::{Diagnostic, Error, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

/// How much a command says.
#[derive(clap::Args, Clone, Copy)]
struct Say {
    /// Print nothing but errors.
    #[arg(short, long, conflicts_with_all = ["verbose", "json"])]
    quiet: bool,
    /// Also print how long each stage took.
    #[arg(short, long)]
    verbose: bool,
    /// Print the result as one JSON object on standard output, problems included, and nothing else.
    #[arg(long)]
    json: bool,
}

#[derive(Parser)]
#[command(name = "dossier", version, about = "Compile a 佐证材料 evidence binder (PDF) from dossier.json")]
struct Cli {
    /// Language of the messages: zh (中文) or en. Default: the system's language, or DOSSIER_LANG.
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
fn language(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => match std::env::var("DOSSIER_LANG") {
            Ok(l) if !l.is_empty() => Lang::from_locale(Some(&l)),
            _ => Lang::from_locale(sys_locale::get_locale().as_deref()),
        },
    }
}

/// Every diagnostic, then a closing line in the same language.
fn report(diags: &[Diagnostic], lang: Lang, closing: &str) {
    for d in diags {
        eprintln!("{}\n", d.render(lang));
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
    /// Build the binder PDF.
    Build {
        /// The outline file.
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        /// Where to write the PDF (default: the dossier's "output", else build/<title>.pdf).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        say: Say,
        /// Convert Word files afresh instead of reusing .dossier-cache.
        #[arg(long)]
        no_cache: bool,
        /// Downsample photos above this resolution at their printed size (e.g. 150), to make the
        /// binder smaller; photos already below it are kept as they are.
        #[arg(long, value_name = "DPI", value_parser = clap::value_parser!(u32).range(50..=1200))]
        photo_dpi: Option<u32>,
        /// Write the binder as PDF, or as a Word document (.docx) beside where the PDF would go.
        #[arg(long, value_enum, default_value_t = FormatArg::Pdf)]
        format: FormatArg,
        /// In the Word document, show evidence as page images, or list each document with its
        /// pages in the PDF binder.
        #[arg(long, value_enum, default_value_t = EvidenceArg::Images)]
        docx_evidence: EvidenceArg,
        /// Resolution of the Word document's page images, in dots per inch.
        #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u32).range(50..=600))]
        docx_dpi: u32,
        /// Keep the PDF under this size (e.g. 50MB): photos at lower resolutions first, then
        /// volumes (<name>-第1册.pdf, …) split at part or section boundaries.
        #[arg(long, value_name = "SIZE", value_parser = parse_max_size)]
        max_size: Option<u64>,
        /// Refuse pictures with more pixels than this (width × height); guards against files that
        /// declare absurd sizes.
        #[arg(long, value_name = "PIXELS", default_value_t = dossier::sources::image::DEFAULT_MAX_PIXELS)]
        max_pixels: u64,
    },
    /// Build, then build again whenever dossier.json or a file it names changes (Ctrl+C stops).
    Watch {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        /// Where to write the PDF, as for build.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Check the outline and every file without writing the binder.
    Check {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        #[command(flatten)]
        say: Say,
        /// The picture size limit, as for build.
        #[arg(long, value_name = "PIXELS", default_value_t = dossier::sources::image::DEFAULT_MAX_PIXELS)]
        max_pixels: u64,
    },
    /// What changed between two builds: evidence added, removed, and moved to other pages.
    Diff {
        /// The earlier build's manifest (e.g. build/<title>.manifest.previous.json), or its PDF.
        old: PathBuf,
        /// The later build's manifest (e.g. build/<title>.manifest.json), or its PDF.
        new: PathBuf,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write dossier.json from a folder of scans: part folders, section folders, one item per file.
    Init {
        /// The folder holding the part folders; dossier.json is written there.
        #[arg(default_value = ".")]
        folder: PathBuf,
        /// Add the files that dossier.json does not name yet, keeping everything already in it.
        #[arg(long)]
        update: bool,
    },
    /// Edit the outline in a browser page on this computer: 127.0.0.1 only, at the printed address.
    Serve {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        /// The port to listen on (default 8765, or a free one if taken; 0: any free port).
        #[arg(long)]
        port: Option<u16>,
        /// Print the address without opening the browser.
        #[arg(long)]
        no_open: bool,
    },
    /// Show each section's evidence, pages and problems, and how many task points are complete.
    Status {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        /// Print the same as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_max_size(s: &str) -> Result<u64, String> {
    dossier::volumes::parse_size(s).ok_or_else(|| format!("“{s}” is not a size: write it like 50MB or 1.5GB"))
}

/// What a build with --max-size did to fit, in the user's language.
fn print_fit(fit: &dossier::fit::Fit, bytes: u64, zh: bool) {
    use dossier::volumes::megabytes;
    let limit = megabytes(fit.limit);
    if let Some(dpi) = fit.photo_dpi {
        if zh {
            println!("为不超过 {limit}，照片已降至 {dpi} dpi。");
        } else {
            println!("to stay under {limit}, photos were brought down to {dpi} dpi.");
        }
    }
    if fit.volumes.is_empty() {
        if zh {
            println!("文件大小 {}（限制 {limit}）。", megabytes(bytes));
        } else {
            println!("size {} (limit {limit}).", megabytes(bytes));
        }
        return;
    }
    if zh {
        println!("一个文件放不下，已分为 {} 册（页码连续）：", fit.volumes.len());
    } else {
        println!("one file could not fit; split into {} volumes (numbering continues):", fit.volumes.len());
    }
    for v in &fit.volumes {
        let over = v.bytes > fit.limit;
        let (path, size) = (v.path.display(), megabytes(v.bytes));
        match (zh, over) {
            (true, false) => println!("  {path}  正文第 {}–{} 页，{size}", v.first_page, v.last_page),
            (true, true) => println!(
                "  {path}  正文第 {}–{} 页，{size}，仍超过限制：其中单个章节就超过了 {limit}，请压缩扫描件或拆分该章节",
                v.first_page, v.last_page
            ),
            (false, false) => println!("  {path}  body pages {}–{}, {size}", v.first_page, v.last_page),
            (false, true) => println!(
                "  {path}  body pages {}–{}, {size}, still over the limit: one section alone is larger than {limit}; compress its scans or split that section",
                v.first_page, v.last_page
            ),
        }
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
    }
    let cli = Cli::parse();
    let lang = language(cli.lang);
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
            max_pixels,
        } => {
            if format == FormatArg::Docx && max_size.is_some() {
                // The Word binder has no volumes and its pages are pictures already.
                Cli::command()
                    .error(
                        clap::error::ErrorKind::ArgumentConflict,
                        "--max-size is for the PDF binder; the Word binder (--format docx) is written whole",
                    )
                    .exit();
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
                ..Default::default()
            };
            run_build(opts, say, lang)
        }
        Command::Check { dossier, say, max_pixels } => {
            run_check(BuildOptions { dossier, max_pixels: Some(max_pixels), ..Default::default() }, say, lang)
        }
        Command::Watch { dossier, output, quiet, verbose } => {
            let say = Say { quiet, verbose, json: false };
            run_watch(BuildOptions { dossier, output, ..Default::default() }, say, lang)
        }
        Command::Diff { old, new, json } => run_diff(&old, &new, json, lang),
        Command::Init { folder, update } => run_init(&folder, update, lang),
        Command::Status { dossier, json } => run_status(&dossier, json, lang),
        Command::Serve { dossier, port, no_open } => {
            match dossier::serve::run(dossier::serve::ServeOptions { dossier, port, open: !no_open, lang }) {
                Ok(()) => ExitCode::SUCCESS,
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
            let closing = if lang == Lang::Zh {
                format!("共 {n} 个问题；没有写出任何文件（原有的佐证材料保持不变）。")
            } else {
                format!("{n} problem(s); nothing was written (an earlier binder is left as it was).")
            };
            report(diags, lang, &closing);
        }
        e => eprintln!("{}{}", if lang == Lang::Zh { "错误：" } else { "error: " }, e.message(lang)),
    }
    ExitCode::from(1)
}

fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    for (stage, t) in timings {
        eprintln!("{stage:>10}: {:.3} s", t.as_secs_f32());
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
    report(&r.warnings, lang, "");
    if say.verbose {
        print_timings(&r.timings);
    }
    let (out, secs) = (r.output.display(), started.elapsed().as_secs_f32());
    let (contents, body) = (r.front_pages - 1, r.body_pages);
    let split = r.fit.as_ref().is_some_and(|f| !f.volumes.is_empty());
    let zh = lang == Lang::Zh;
    match (opts.format == dossier::Format::Docx, zh) {
        _ if split && zh => println!("已生成 {} 页，用时 {secs:.1} 秒", r.pages),
        _ if split => println!("wrote {} pages in {secs:.1} s", r.pages),
        (true, true) => println!("已生成 {out}（Word 版佐证材料；PDF 版正文 {body} 页），用时 {secs:.1} 秒"),
        (true, false) => {
            println!("wrote {out} (Word document of the binder; the PDF has {body} body pages) in {secs:.1} s")
        }
        (false, true) => {
            println!("已生成 {out}（共 {} 页：封面、目录 {contents} 页、正文 {body} 页），用时 {secs:.1} 秒", r.pages)
        }
        (false, false) => {
            println!("wrote {out} ({} pages: cover, {contents} contents, {body} body) in {secs:.1} s", r.pages)
        }
    }
    if let Some(fit) = &r.fit {
        print_fit(fit, r.bytes, zh);
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
        report(&r.warnings, lang, "");
        if say.verbose {
            print_timings(&r.timings);
        }
        if lang == Lang::Zh {
            println!("检查通过：{} 个文件，正文 {} 页", r.files, r.body_pages);
        } else {
            println!("ok: {} files, {} body pages", r.files, r.body_pages);
        }
    }
    ExitCode::SUCCESS
}

fn run_diff(old: &std::path::Path, new: &std::path::Path, json: bool, lang: Lang) -> ExitCode {
    let say = Say { quiet: false, verbose: false, json };
    let d = match dossier::diff::compare_files(old, new) {
        Ok(d) => d,
        Err(e) => return failed_diff(&e, say, lang),
    };
    if json {
        print_json(&d.to_json());
        return ExitCode::SUCCESS;
    }
    for line in d.lines(lang) {
        println!("{line}");
    }
    let (a, b, summary) = (d.old_pages, d.new_pages, d.summary(lang));
    if lang == Lang::Zh {
        println!("合计：{summary}；全书 {a} 页 → {b} 页");
    } else {
        println!("in all: {summary}; {a} → {b} pages in the binder");
    }
    ExitCode::SUCCESS
}

/// Like `failed`, without the words about the binder: diff writes nothing.
fn failed_diff(e: &Error, say: Say, lang: Lang) -> ExitCode {
    match e {
        Error::Input(diags) if !say.json => {
            report(diags, lang, "");
            ExitCode::from(1)
        }
        e => failed(e, say, lang),
    }
}

fn run_init(folder: &std::path::Path, update: bool, lang: Lang) -> ExitCode {
    match dossier::init::init(folder, update) {
        Ok(report) => {
            for line in report.lines_in(lang) {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let dossier::init::InitError::Dossier(diags) = &e {
                report(diags, lang, "");
            }
            eprintln!("{}{}", if lang == Lang::Zh { "错误：" } else { "error: " }, e.message(lang));
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
            let closing = if lang == Lang::Zh {
                format!("{} 中共 {n} 个问题", path.display())
            } else {
                format!("{n} problem(s) in {}", path.display())
            };
            report(&diags, lang, &closing);
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_watch(mut opts: BuildOptions, say: Say, lang: Lang) -> ExitCode {
    let zh = lang == Lang::Zh;
    let names = |c: &[PathBuf]| {
        c.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect::<Vec<_>>().join(", ")
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
            report(&r.warnings, lang, "");
            if say.verbose {
                print_timings(&r.timings);
            }
            let (out, secs, body) = (r.output.display(), took.as_secs_f32(), r.body_pages);
            match (changed.is_empty(), zh) {
                (true, true) => {
                    println!("已生成 {out}（正文 {body} 页），用时 {secs:.1} 秒；正在监视文件变化，按 Ctrl+C 结束")
                }
                (true, false) => {
                    println!("wrote {out} ({body} body pages) in {secs:.1} s; watching for changes, Ctrl+C stops")
                }
                (false, true) => {
                    println!("{} 有变化：已重新生成 {out}（正文 {body} 页），用时 {secs:.1} 秒", names(changed))
                }
                (false, false) => {
                    println!("changed: {} — rebuilt {out} ({body} body pages) in {secs:.1} s", names(changed))
                }
            }
            if let Some(c) = &r.changes {
                println!("{}", c.line(lang));
            }
        }
        dossier::watch::Event::Failed { changed, error } => {
            clear();
            if !changed.is_empty() {
                eprintln!("{}{}", if zh { "有变化：" } else { "changed: " }, names(changed));
            }
            match error {
                Error::Input(diags) => report(diags, lang, ""),
                e => eprintln!("{}{}", if zh { "错误：" } else { "error: " }, e.message(lang)),
            }
            eprintln!(
                "{}",
                if zh {
                    "未能生成；原有的佐证材料保持不变，修改后会自动重试。"
                } else {
                    "not built; the last good binder is kept, and the build runs again on the next change."
                }
            );
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}{}", if zh { "错误：" } else { "error: " }, e.message(lang));
            ExitCode::from(1)
        }
    }
}
