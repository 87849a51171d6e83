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
    },
    /// Check the outline and every file without writing the binder.
    Check {
        #[arg(default_value = "dossier.json")]
        dossier: PathBuf,
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
        Command::Build { dossier, output, verbose, no_cache } => {
            dossier::build(&BuildOptions { dossier, output, no_cache, ..Default::default() }).map(|r| {
                for w in &r.warnings {
                    eprintln!("{w}\n");
                }
                if verbose {
                    for (stage, t) in &r.timings {
                        eprintln!("{stage:>10}: {:.3} s", t.as_secs_f32());
                    }
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
