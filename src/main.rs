//! The command line: parse arguments, call the library, print what happened.

use clap::{Parser, Subcommand};
use dossier::BuildOptions;
use dossier::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "dossier", version, about = "Compile a 佐证材料 evidence binder (PDF) from dossier.json")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
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
        /// Also print how long each stage took.
        #[arg(short, long)]
        verbose: bool,
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
    },
    /// Check the outline and every file without writing the binder.
    Check {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
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
    /// Show each section's evidence, pages and problems, and how many task points are complete.
    Status {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
        /// Print the same as JSON.
        #[arg(long)]
        json: bool,
    },
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
    let started = std::time::Instant::now();
    let result = match cli.command {
        Command::Build { dossier, output, verbose, no_cache, photo_dpi, format, docx_evidence, docx_dpi } => {
            let format = match format {
                FormatArg::Pdf => dossier::Format::Pdf,
                FormatArg::Docx => dossier::Format::Docx,
            };
            let evidence = match docx_evidence {
                EvidenceArg::Images => dossier::docx::EvidenceMode::Images,
                EvidenceArg::List => dossier::docx::EvidenceMode::List,
            };
            let docx = dossier::docx::Options { evidence, dpi: docx_dpi };
            let opts = BuildOptions { dossier, output, no_cache, photo_dpi, format, docx, ..Default::default() };
            dossier::build(&opts).map(|r| {
                for w in &r.warnings {
                    eprintln!("{w}\n");
                }
                if verbose {
                    for (stage, t) in &r.timings {
                        eprintln!("{stage:>10}: {:.3} s", t.as_secs_f32());
                    }
                }
                if format == dossier::Format::Docx {
                    println!(
                        "wrote {} (Word document of the binder; the PDF has {} body pages) in {:.1} s",
                        r.output.display(),
                        r.body_pages,
                        started.elapsed().as_secs_f32()
                    );
                    return;
                }
                println!(
                    "wrote {} ({} pages: cover, {} contents, {} body) in {:.1} s",
                    r.output.display(),
                    r.pages,
                    r.front_pages - 1,
                    r.body_pages,
                    started.elapsed().as_secs_f32()
                );
            })
        }
        Command::Check { dossier } => dossier::check(&BuildOptions { dossier, ..Default::default() }).map(|r| {
            for w in &r.warnings {
                eprintln!("{w}\n");
            }
            println!("ok: {} files, {} body pages", r.files, r.body_pages);
        }),
        Command::Init { folder, update } => return run_init(&folder, update),
        Command::Status { dossier, json } => return run_status(&dossier, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Input(diags)) => {
            for d in &diags {
                eprintln!("{d}\n");
            }
            let n = diags.iter().filter(|d| !d.warning).count();
            eprintln!("{n} problem(s); nothing was written (an earlier binder is left as it was).");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_init(folder: &std::path::Path, update: bool) -> ExitCode {
    match dossier::init::init(folder, update) {
        Ok(report) => {
            for line in report.lines() {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let dossier::init::InitError::Dossier(diags) = &e {
                for d in diags {
                    eprintln!("{d}\n");
                }
            }
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_status(path: &std::path::Path, json: bool) -> ExitCode {
    match dossier::status::status(path) {
        Ok(s) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&s.to_json()).unwrap_or_default());
            } else {
                print!("{}", s.table());
            }
            if s.has_problems() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(Error::Input(diags)) => {
            for d in &diags {
                eprintln!("{d}\n");
            }
            eprintln!("{} problem(s) in {}", diags.iter().filter(|d| !d.warning).count(), path.display());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
