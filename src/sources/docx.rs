//! Word files become PDF through LibreOffice, the only converter that renders .docx faithfully and
//! runs headless on every platform the offices use. Conversions are cached by content hash, so a
//! rebuild converts only what changed.

use super::runner;
use crate::error::Problem;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Converter {
    pub cache_dir: PathBuf,
    pub timeout: Duration,
    pub soffice: Option<PathBuf>,
}

/// Where LibreOffice's soffice is: DOSSIER_SOFFICE, then PATH, then the usual install folders.
pub fn find_soffice() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_SOFFICE") {
        return Some(PathBuf::from(p));
    }
    let names: &[&str] = if cfg!(windows) { &["soffice.exe", "soffice.com"] } else { &["soffice", "libreoffice"] };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            for n in names {
                let p = dir.join(n);
                if p.is_file() {
                    return Some(p);
                }
            }
        }
    }
    let usual: &[&str] = if cfg!(windows) {
        &[
            r"C:\Program Files\LibreOffice\program\soffice.exe",
            r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
        ]
    } else if cfg!(target_os = "macos") {
        &["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
    } else {
        &["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"]
    };
    usual.iter().map(PathBuf::from).find(|p| p.is_file())
}

impl Converter {
    /// Convert every file (deduplicated by content), returning the PDF for each input path.
    pub fn convert_all(&self, files: &[PathBuf]) -> HashMap<PathBuf, Result<PathBuf, Problem>> {
        let mut out = HashMap::new();
        let mut todo: Vec<(PathBuf, String)> = Vec::new();
        for f in files {
            let key = match std::fs::read(f) {
                Ok(b) => hex(&Sha256::digest(&b)),
                Err(e) => {
                    out.insert(f.clone(), Err(Problem::Unreadable(e.to_string())));
                    continue;
                }
            };
            let cached = self.cache_dir.join(format!("{key}.pdf"));
            if cached.is_file() {
                crate::cache::touch(&cached);
                out.insert(f.clone(), Ok(cached));
            } else if !todo.iter().any(|(_, k)| *k == key) {
                todo.push((f.clone(), key));
            } else {
                out.insert(f.clone(), Ok(cached));
            }
        }
        if todo.is_empty() {
            return out;
        }
        let Some(soffice) = self.soffice.clone().or_else(find_soffice) else {
            for (f, _) in &todo {
                out.insert(f.clone(), Err(Problem::NoLibreOffice));
            }
            return out;
        };
        // One LibreOffice for all of them: its start-up (1–2 s) is most of what a Word file costs.
        let batch = self.run(&soffice, &todo);
        let missing: Vec<(PathBuf, String)> =
            todo.iter().filter(|(_, key)| !self.cached(key).is_file()).cloned().collect();
        if todo.len() > 1 && !missing.is_empty() {
            // Something in the batch failed or hung: what did not come out goes again one file at
            // a time, so the file at fault is named (with its own reason) and the others still
            // come through.
            for one in &missing {
                if let Err(e) = self.run(&soffice, std::slice::from_ref(one)) {
                    out.insert(one.0.clone(), Err(e));
                }
            }
        } else if let Err(e) = batch {
            for (f, _) in &missing {
                out.insert(f.clone(), Err(e.clone()));
            }
        }
        for (f, key) in &todo {
            let cached = self.cached(key);
            out.entry(f.clone()).or_insert_with(|| {
                if cached.is_file() {
                    Ok(cached)
                } else {
                    Err(Problem::Conversion("LibreOffice produced no PDF for it".into()))
                }
            });
        }
        out
    }

    fn cached(&self, key: &str) -> PathBuf {
        self.cache_dir.join(format!("{key}.pdf"))
    }

    /// One soffice call for all files, with a profile of its own (see [`Profile`]).
    fn run(&self, soffice: &Path, todo: &[(PathBuf, String)]) -> Result<(), Problem> {
        let io = |e: std::io::Error| Problem::Conversion(e.to_string());
        std::fs::create_dir_all(&self.cache_dir).map_err(io)?;
        let work = tempdir_in(&self.cache_dir).map_err(io)?;
        let profile = Profile::take(&work);
        let result = (|| {
            let inputs = work.join("in");
            let outputs = work.join("out");
            std::fs::create_dir_all(&inputs).map_err(io)?;
            std::fs::create_dir_all(&outputs).map_err(io)?;
            // Copies named by hash: two "名单.docx" from different folders must not collide, and
            // LibreOffice mishandles some non-ASCII names on Windows.
            let mut args = Vec::new();
            for (f, key) in todo {
                let p = inputs.join(format!("{key}.docx"));
                std::fs::copy(f, &p).map_err(io)?;
                args.push(p);
            }
            // soffice is a launcher that starts the real program: a timeout must end both.
            let mut cmd = Command::new(soffice);
            cmd.arg(format!("-env:UserInstallation={}", file_url(&profile.path)))
                .args(["--headless", "--norestore", "--nologo", "--nodefault", "--convert-to", "pdf", "--outdir"])
                .arg(&outputs)
                .args(&args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = runner::spawn(&mut cmd).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Problem::NoLibreOffice,
                _ => Problem::Conversion(format!("LibreOffice could not be started ({}): {e}", soffice.display())),
            })?;
            // The allowance is per file: a batch of ten may take ten times as long as one.
            let timeout = self.timeout.saturating_mul(u32::try_from(todo.len()).unwrap_or(u32::MAX));
            if child.wait_or_kill(timeout).map_err(io)?.is_none() {
                return Err(Problem::Conversion(format!(
                    "LibreOffice did not finish within {} s (set DOSSIER_CONVERT_TIMEOUT to allow longer, or close other LibreOffice windows)",
                    timeout.as_secs()
                )));
            }
            for (_, key) in todo {
                let produced = outputs.join(format!("{key}.pdf"));
                if produced.is_file() {
                    // Rename into the cache last, so a half-written PDF is never served.
                    std::fs::rename(&produced, self.cache_dir.join(format!("{key}.pdf"))).map_err(io)?;
                }
            }
            Ok(())
        })();
        // A kept profile is not kept after a conversion that failed, in case the profile was why.
        if profile.lock.is_some() && !todo.iter().all(|(_, key)| self.cached(key).is_file()) {
            let _ = std::fs::remove_dir_all(&profile.path);
        }
        let _ = std::fs::remove_dir_all(&work);
        result
    }
}

/// LibreOffice's profile for a conversion. Never the user's own: conversions sharing it fail, and
/// one left locked by a crash would block every later one. A profile kept between builds in the
/// user's cache folder saves the tenth of a second a first start-up spends writing one; each is
/// held by a file lock while in use (the system lets go of it when a build dies), so builds at
/// the same time take different ones, and a fresh one in the build's work folder when all are
/// taken or there is no cache folder.
struct Profile {
    path: PathBuf,
    lock: Option<std::fs::File>,
}

impl Profile {
    const KEPT: usize = 4;

    fn take(work: &Path) -> Profile {
        let fresh = Profile { path: work.join("profile"), lock: None };
        let Some(base) = user_cache() else { return fresh };
        if std::fs::create_dir_all(&base).is_err() {
            return fresh;
        }
        for n in 0..Self::KEPT {
            let lock = base.join(format!("libreoffice-{n}.lock"));
            let Ok(file) = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock) else {
                continue;
            };
            if file.try_lock().is_ok() {
                let path = base.join(format!("libreoffice-{n}"));
                // LibreOffice's own lock, left by a conversion killed on its timeout.
                let _ = std::fs::remove_file(path.join(".lock"));
                return Profile { path, lock: Some(file) };
            }
        }
        fresh
    }
}

/// The user's cache folder for dossier, where such a folder is known.
fn user_cache() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Caches"))
    } else {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
    };
    base.filter(|b| b.is_absolute()).map(|b| b.join("dossier"))
}

pub(crate) fn tempdir_in(dir: &Path) -> std::io::Result<PathBuf> {
    for i in 0..1000u32 {
        let p = dir.join(format!("work-{}-{i}", std::process::id()));
        match std::fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free work folder"))
}

fn file_url(p: &Path) -> String {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if s.starts_with('/') { "file://" } else { "file:///" });
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => url.push(b as char),
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
