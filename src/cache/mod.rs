//! The cache beside the binder (`.dossier-cache/`): Word and HEIC conversions, downsampled photos,
//! recognised text (`--ocr`), source PDFs' skeletons and verdicts and coded pictures, each named
//! by the hash of what it was made from, so a changed file or setting never meets a stale entry.
//! Safe to delete. Kept under a size bound by removing what was used longest ago; an entry used in
//! the last minutes stays, since a build running at the same time may be about to read it.

pub mod sealed;

use std::path::Path;
use std::time::{Duration, SystemTime};

/// The bound unless `DOSSIER_CACHE_MAX` says otherwise ("500MB", "2GB").
pub const DEFAULT_MAX_BYTES: u64 = 2_000_000_000;
/// Entries used this recently are never removed.
const GRACE: Duration = Duration::from_secs(10 * 60);
/// The folders holding entries; `pages.tsv` is a few bytes per file and stays.
const FOLDERS: [&str; 6] = ["docx", "heic", "photos", "ocr", "lean", "pictures"];

/// Mark an entry as just used, so pruning keeps it longest.
pub fn touch(path: &Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

pub fn max_bytes() -> u64 {
    std::env::var("DOSSIER_CACHE_MAX").ok().and_then(|v| crate::volumes::parse_size(&v)).unwrap_or(DEFAULT_MAX_BYTES)
}

/// Remove the least recently used entries until the cache holds at most `max` bytes (or only
/// entries within the grace period). Errors are ignored: the cache is an optimisation.
pub fn prune(dir: &Path, max: u64) {
    let mut entries = Vec::new();
    for folder in FOLDERS {
        let Ok(rd) = std::fs::read_dir(dir.join(folder)) else { continue };
        for e in rd.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_file() {
                entries.push((m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len(), e.path()));
            }
        }
    }
    let mut total: u64 = entries.iter().map(|e| e.1).sum();
    if total <= max {
        return;
    }
    entries.sort();
    let now = SystemTime::now();
    for (used, len, path) in entries {
        if total <= max {
            break;
        }
        if now.duration_since(used).unwrap_or_default() < GRACE {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of entry counts against the bound: what reading a source PDF or coding a picture
    /// left is kept by file, and a folder of changing scans would otherwise grow without end.
    #[test]
    fn every_folder_of_entries_is_pruned() {
        let dir = std::env::temp_dir().join(format!("dossier-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let day_ago = SystemTime::now() - Duration::from_secs(86_400);
        for folder in ["docx", "heic", "photos", "ocr", "lean", "pictures"] {
            std::fs::create_dir_all(dir.join(folder)).unwrap();
            let entry = dir.join(folder).join("old.bin");
            std::fs::write(&entry, [0u8; 100]).unwrap();
            std::fs::File::options().append(true).open(&entry).unwrap().set_modified(day_ago).unwrap();
        }
        std::fs::write(dir.join("pages.tsv"), "kept").unwrap();
        prune(&dir, 0);
        for folder in ["docx", "heic", "photos", "ocr", "lean", "pictures"] {
            assert!(!dir.join(folder).join("old.bin").exists(), "{folder} was not pruned");
        }
        assert!(dir.join("pages.tsv").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
