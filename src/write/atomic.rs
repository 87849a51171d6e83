//! Files put in place whole or not at all: each is written beside its target under a
//! temporary name and renamed over it only when complete, so a failed build never damages the
//! previous binder.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that becomes `target` only when `commit` is called; dropped uncommitted, it disappears.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<(AtomicFile, BufWriter<File>)> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "binder.pdf".into());
        remove_stale(&dir, &name);
        let temp = dir.join(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&temp)?;
        Ok((
            AtomicFile { target: target.to_path_buf(), temp, committed: false },
            BufWriter::with_capacity(1 << 20, file),
        ))
    }

    pub fn commit(self, writer: BufWriter<File>) -> std::io::Result<()> {
        self.close(writer)?;
        self.persist()
    }

    /// Finish writing and close the temporary file; its size, before it replaces anything.
    pub fn close(&self, writer: BufWriter<File>) -> std::io::Result<u64> {
        // No fsync: it made large binders wait seconds for the disk, and the rename already keeps
        // the previous binder whole until the new one is complete.
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.metadata().map(|m| m.len())
    }

    /// Put the closed temporary file in place of the target.
    pub fn persist(self) -> std::io::Result<()> {
        let mut batch = Batch::default();
        batch.add(self);
        batch.commit().map_err(|(_, e)| e)
    }
}

/// Temporary files a build stopped midway (Ctrl+C, a closed console window) left beside the
/// target. One another build is still writing is touched by every write, so only those untouched
/// for ten minutes go.
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let pid = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)).and_then(|f| f.strip_prefix('.'));
        let ours = pid
            .and_then(|f| f.strip_suffix(".partial"))
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let untouched = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if ours && untouched.is_some_and(|t| t > std::time::Duration::from_secs(600)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The files of one build (binder, manifests), written beside their targets and put in place all
/// together or not at all: a manifest that disagrees with its binder misleads whoever answers
/// "where is page 57 from?". On Windows a file another program holds open (a PDF viewer, Excel
/// with the CSV) cannot be renamed or replaced, so every old file is first moved aside; when one
/// cannot be, nothing has changed yet and everything is put back.
#[derive(Default)]
pub struct Batch {
    files: Vec<AtomicFile>,
}

impl Batch {
    pub fn add(&mut self, file: AtomicFile) {
        self.files.push(file);
    }

    /// Stage `bytes` as the new content of `target`.
    pub fn write(&mut self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let (file, mut w) = AtomicFile::create(target)?;
        w.write_all(bytes)?;
        file.close(w)?;
        self.add(file);
        Ok(())
    }

    /// Put every staged file in place. On failure the target that could not be replaced is
    /// named, the old files are all back as they were, and no temporary file is left.
    pub fn commit(mut self) -> Result<(), (PathBuf, std::io::Error)> {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        match self.swap_in() {
            Some(Ok(())) => return Ok(()),
            Some(Err(e)) => return Err(e),
            None => {}
        }
        let mut aside: Vec<(PathBuf, PathBuf)> = Vec::new();
        let restore = |aside: &[(PathBuf, PathBuf)]| {
            for (target, old) in aside.iter().rev() {
                let _ = std::fs::rename(old, target);
            }
        };
        for f in &self.files {
            if !f.target.is_file() {
                continue;
            }
            let old = f.temp.with_extension("old");
            // Elsewhere than Windows the old file stays where it is under a second name, so a
            // reader (the folder watcher, an editor, a viewer reloading) never finds the target
            // missing: the rename below replaces it in one step. Windows must move it aside to
            // learn, before anything changes, whether another program holds it.
            let kept = if cfg!(windows) {
                std::fs::rename(&f.target, &old)
            } else {
                std::fs::hard_link(&f.target, &old).or_else(|_| std::fs::rename(&f.target, &old))
            };
            if let Err(e) = kept {
                restore(&aside);
                return Err((f.target.clone(), e));
            }
            aside.push((f.target.clone(), old));
        }
        for (i, f) in self.files.iter().enumerate() {
            if let Err(e) = std::fs::rename(&f.temp, &f.target) {
                for placed in &self.files[..i] {
                    let _ = std::fs::remove_file(&placed.target);
                }
                restore(&aside);
                return Err((f.target.clone(), e));
            }
        }
        for f in &mut self.files {
            f.committed = true;
        }
        for (_, old) in &aside {
            let _ = std::fs::remove_file(old);
        }
        Ok(())
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
impl Batch {
    /// Each new file swapped with its target in one step (`renameat2` with `RENAME_EXCHANGE`), so
    /// the target is never missing, and undone by swapping back. A plain rename over a file made
    /// ext4 start writing the whole new binder to disk inside the rename (its `auto_da_alloc`
    /// guard), a third of a rebuild's time; a swap does not. `None` when the file system cannot
    /// swap, with nothing changed.
    fn swap_in(&mut self) -> Option<Result<(), (PathBuf, std::io::Error)>> {
        // (index, whether it had a target: its temporary name now holds the old file)
        let mut done: Vec<(usize, bool)> = Vec::new();
        let undo = |files: &[AtomicFile], done: &[(usize, bool)]| {
            for &(i, swapped) in done.iter().rev() {
                let f = &files[i];
                let _ = if swapped { exchange(&f.temp, &f.target) } else { std::fs::remove_file(&f.target) };
            }
        };
        for (i, f) in self.files.iter().enumerate() {
            let swapped = f.target.is_file();
            let r = if swapped { exchange(&f.temp, &f.target) } else { std::fs::rename(&f.temp, &f.target) };
            match r {
                Ok(()) => done.push((i, swapped)),
                Err(e) => {
                    undo(&self.files, &done);
                    let unsupported = matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP));
                    return if unsupported { None } else { Some(Err((f.target.clone(), e))) };
                }
            }
        }
        for f in &mut self.files {
            f.committed = true;
        }
        for (i, swapped) in done {
            if swapped {
                discard(&self.files[i].temp);
            }
        }
        Some(Ok(()))
    }
}

/// Remove a replaced file without waiting for it. Unlinking a binder whose pages are still in the
/// page cache frees them one by one, about a tenth of a rebuild for 200 MB, and the clerk has
/// nothing to wait for once the new binder is in place: `rm` does it beside us. A small file, or
/// one `rm` cannot be started for, goes at once. Should `rm` be stopped midway, the file keeps its
/// temporary name, and the next build clears it with the other leftovers (see `remove_stale`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn discard(path: &Path) {
    use std::process::{Command, Stdio};
    const LARGE: u64 = 16 << 20;
    if std::fs::metadata(path).is_ok_and(|m| m.len() >= LARGE) {
        let rm = Command::new("rm")
            .arg("-f")
            .arg("--")
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = rm {
            // Reaped here while `serve` runs on; a one-off build exits first and init reaps it.
            std::thread::spawn(move || child.wait());
            return;
        }
    }
    let _ = std::fs::remove_file(path);
}

/// Swap two files' names in one step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated paths that live across the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Whether writing failed because another program holds the file open (Windows locks files
/// that viewers and Excel have open; elsewhere nothing does).
pub fn is_locked(e: &std::io::Error) -> bool {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An empty folder of this test's own.
    pub(in crate::write) fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    /// The editing page saves dossier.json many times a minute while the folder watcher and
    /// the clerk's editor read it: it must never be missing, not even for a moment.
    #[cfg(not(windows))]
    #[test]
    fn a_replaced_file_is_never_missing() {
        let dir = scratch("dossier-batch-present");
        let target = dir.join("dossier.json");
        std::fs::write(&target, "0").unwrap();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (target, done) = (target.clone(), done.clone());
            std::thread::spawn(move || {
                let mut missing = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::read(&target).is_err() {
                        missing += 1;
                    }
                }
                missing
            })
        };
        for i in 0..300 {
            let mut batch = Batch::default();
            batch.write(&target, i.to_string().as_bytes()).unwrap();
            batch.commit().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(reader.join().unwrap(), 0, "reads that found no file");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "299");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn what_a_stopped_build_left_is_cleared_and_a_running_one_is_not() {
        let dir = scratch("dossier-batch-stale");
        let stopped = dir.join(".b.pdf.4242.partial");
        let running = dir.join(".b.pdf.4343.partial");
        let other = dir.join(".c.pdf.4242.partial");
        for f in [&stopped, &running, &other] {
            std::fs::write(f, "half").unwrap();
        }
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for f in [&stopped, &other] {
            std::fs::File::options().write(true).open(f).unwrap().set_modified(an_hour_ago).unwrap();
        }
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.commit().unwrap();
        assert!(!stopped.exists(), "the stopped build's file is left");
        assert!(running.exists() && other.exists(), "a file of a running build or of another target went");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_batch_replaces_every_file() {
        let dir = scratch("dossier-batch-ok");
        std::fs::write(dir.join("b.pdf"), "old pdf").unwrap();
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.write(&dir.join("b.manifest.csv"), b"new csv").unwrap();
        batch.commit().unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("b.pdf")).unwrap(), "new pdf");
        assert_eq!(std::fs::read_to_string(dir.join("b.manifest.csv")).unwrap(), "new csv");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_cannot_be_replaced_leaves_every_old_file() {
        let dir = scratch("dossier-batch-fail");
        std::fs::write(dir.join("b.pdf"), "old pdf").unwrap();
        std::fs::write(dir.join("b.manifest.json"), "old json").unwrap();
        // A folder where the CSV goes cannot be replaced by a file, on every system (as a CSV
        // that Excel holds open cannot be on Windows); it comes last, after the others moved.
        std::fs::create_dir_all(dir.join("b.manifest.csv").join("x")).unwrap();
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.write(&dir.join("b.manifest.json"), b"new json").unwrap();
        batch.write(&dir.join("b.manifest.previous.json"), b"old json").unwrap();
        batch.write(&dir.join("b.manifest.csv"), b"new csv").unwrap();
        let (path, _) = batch.commit().unwrap_err();
        assert_eq!(path, dir.join("b.manifest.csv"));
        assert_eq!(std::fs::read_to_string(dir.join("b.pdf")).unwrap(), "old pdf");
        assert_eq!(std::fs::read_to_string(dir.join("b.manifest.json")).unwrap(), "old json");
        assert!(!dir.join("b.manifest.previous.json").exists());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
