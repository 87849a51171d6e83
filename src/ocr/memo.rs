//! What the last build learnt about each source page, so that a rebuild with nothing new opens no
//! scan and hashes no picture: whether the page has text of its own, and if not, where its picture
//! sits and the cache key of its reading. Keyed by the file's path, size and modification time (the
//! test `make` trusts, as the page counts are) and the OCR settings; a file edited in place gets a
//! new time and is read afresh.

use super::Matrix;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a picture sits on its source page, kept once its pixels are dropped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    pub width: u32,
    pub height: u32,
    pub shown: u8,
    pub placed: Matrix,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Seen {
    /// The page has text of its own.
    Own,
    /// No picture to read on it.
    Nothing,
    /// A picture, whose reading is cached under `key`.
    Picture { key: String, placement: Placement },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    settings: String,
    seen: Seen,
}

fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos()))
}

fn name(path: &Path, page: u32) -> String {
    format!("{}#{page}", path.display())
}

/// The remembered pages, read from and written back to `<cache>/ocr/pages.json`.
pub struct Memo {
    file: PathBuf,
    settings: String,
    known: HashMap<String, Entry>,
    fresh: Vec<(String, Entry)>,
}

impl Memo {
    pub fn open(dir: &Path, settings: &str) -> Memo {
        let file = dir.join("pages.json");
        let known = std::fs::read(&file).ok().and_then(|t| serde_json::from_slice(&t).ok()).unwrap_or_default();
        Memo { file, settings: settings.to_string(), known, fresh: Vec::new() }
    }

    /// What was seen on page `page` of `path`, if the file and the settings are as they were.
    pub fn get(&self, path: &Path, page: u32) -> Option<&Seen> {
        let (size, mtime_ns) = stamp(path)?;
        let e = self.known.get(&name(path, page))?;
        (e.size == size && e.mtime_ns == mtime_ns && e.settings == self.settings).then_some(&e.seen)
    }

    pub fn put(&mut self, path: &Path, page: u32, seen: Seen) {
        if let Some((size, mtime_ns)) = stamp(path) {
            self.fresh.push((name(path, page), Entry { size, mtime_ns, settings: self.settings.clone(), seen }));
        }
    }

    /// Write the memo back (best effort: one that cannot be written only makes the next build slower).
    pub fn save(self) {
        if self.fresh.is_empty() {
            return;
        }
        let mut all = self.known;
        all.extend(self.fresh);
        let Ok(text) = serde_json::to_vec(&all) else { return };
        // Written aside and renamed, so two builds at once never leave a torn file.
        let tmp = self.file.with_extension(format!("json.{}", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &self.file).is_ok() {
            return;
        }
        let _ = std::fs::remove_file(&tmp);
    }
}
