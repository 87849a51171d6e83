//! Page counts remembered between builds, so a rebuild after adding one scan does not read every
//! other PDF twice. Keyed by path, size and modification time — the same test `make` trusts; a
//! file edited in place gets a new time, and assembly re-checks every count when it copies pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Stamp {
    size: u64,
    mtime_ns: u128,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    let mtime_ns = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    Some(Stamp { size: m.len(), mtime_ns })
}

/// The remembered counts, read from and written back to `<cache>/pages.tsv`.
pub struct Counts {
    file: PathBuf,
    known: HashMap<PathBuf, (Stamp, u32)>,
    fresh: Mutex<Vec<(PathBuf, Stamp, u32)>>,
}

impl Counts {
    pub fn open(cache_dir: &Path) -> Counts {
        let file = cache_dir.join("pages.tsv");
        let mut known = HashMap::new();
        for line in std::fs::read_to_string(&file).unwrap_or_default().lines() {
            let mut f = line.splitn(4, '\t');
            let (Some(size), Some(mtime), Some(pages), Some(path)) = (f.next(), f.next(), f.next(), f.next()) else {
                continue;
            };
            if let (Ok(size), Ok(mtime_ns), Ok(pages)) = (size.parse(), mtime.parse(), pages.parse()) {
                known.insert(PathBuf::from(path), (Stamp { size, mtime_ns }, pages));
            }
        }
        Counts { file, known, fresh: Mutex::new(Vec::new()) }
    }

    /// The count for `path`, from memory when the file is unchanged, else from `count`.
    pub fn get<E>(&self, path: &Path, count: impl FnOnce() -> Result<u32, E>) -> Result<u32, E> {
        // The same file reached from another working folder is the same entry.
        let canonical = std::fs::canonicalize(path);
        let path = canonical.as_deref().unwrap_or(path);
        let now = stamp(path);
        if let (Some(now), Some((then, pages))) = (now, self.known.get(path))
            && now == *then
        {
            return Ok(*pages);
        }
        let pages = count()?;
        if let (Some(now), Ok(mut fresh)) = (now, self.fresh.lock()) {
            fresh.push((path.to_path_buf(), now, pages));
        }
        Ok(pages)
    }

    /// Write the counts back (best effort: a cache that cannot be written is only slower).
    pub fn save(self) {
        let fresh = self.fresh.into_inner().unwrap_or_default();
        if fresh.is_empty() {
            return;
        }
        let mut all = self.known;
        for (p, s, n) in fresh {
            all.insert(p, (s, n));
        }
        // Paths with a tab or newline cannot be stored on one line; they are simply counted again.
        let mut lines: Vec<String> = all
            .iter()
            .filter_map(|(p, (s, n))| p.to_str().filter(|p| !p.contains(['\t', '\n'])).map(|p| (p, s, n)))
            .map(|(p, s, n)| format!("{}\t{}\t{}\t{}", s.size, s.mtime_ns, n, p))
            .collect();
        lines.sort();
        let Some(dir) = self.file.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Written aside and renamed, so two builds at once never leave a torn file.
        let tmp = dir.join(format!("pages.tsv.{}", std::process::id()));
        if std::fs::write(&tmp, lines.join("\n") + "\n").is_ok() {
            let _ = std::fs::rename(&tmp, &self.file);
        }
        let _ = std::fs::remove_file(&tmp);
    }
}
