//! What the last build learnt about each source page, so that a rebuild with nothing new opens no
//! scan and hashes no picture: whether the page has text of its own, and if not, where its picture
//! sits and the cache key of its reading. Keyed by the file's path, size and modification time (the
//! test `make` trusts, as the page counts are) and the OCR settings; a file edited in place gets a
//! new time and is read afresh.

use super::Matrix;
use crate::cache::sealed::{In, Out};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a picture sits on its source page, kept once its pixels are dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub width: u32,
    pub height: u32,
    pub shown: u8,
    pub placed: Matrix,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// The page has text of its own.
    Own,
    /// No picture to read on it.
    Nothing,
    /// A picture, whose reading is cached under `key`.
    Picture { key: String, placement: Placement },
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    stamp: (u64, u128),
    settings: String,
    seen: Seen,
}

fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos()))
}

/// The path as the memo keeps it: its bytes as the platform spells them.
fn path_bytes(path: &Path) -> Vec<u8> {
    path.as_os_str().as_encoded_bytes().to_vec()
}

fn path_of(bytes: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

/// The file's name in the OCR cache folder, and its first bytes (format 2: the first was JSON,
/// `pages.json`, left for the cache's pruning to remove).
const FILE: &str = "pages.bin";
const MAGIC: &[u8] = b"dossier ocr pages 2\n";

/// The remembered pages, read from and written back to `<cache>/ocr/pages.bin`.
pub struct Memo {
    file: PathBuf,
    settings: String,
    known: HashMap<(Vec<u8>, u32), Entry>,
    fresh: Vec<((Vec<u8>, u32), Entry)>,
    /// The last file stamped: the pages of one PDF come one after another.
    last: Option<(PathBuf, Option<(u64, u128)>)>,
}

impl Memo {
    pub fn open(dir: &Path, settings: &str) -> Memo {
        let file = dir.join(FILE);
        let known = std::fs::read(&file).ok().and_then(|d| decode(&d)).unwrap_or_default();
        Memo { file, settings: settings.to_string(), known, fresh: Vec::new(), last: None }
    }

    fn stamp(&mut self, path: &Path) -> Option<(u64, u128)> {
        match &self.last {
            Some((p, s)) if p == path => *s,
            _ => {
                let s = stamp(path);
                self.last = Some((path.to_path_buf(), s));
                s
            }
        }
    }

    /// What was seen on page `page` of `path`, if the file and the settings are as they were.
    pub fn get(&mut self, path: &Path, page: u32) -> Option<&Seen> {
        let now = self.stamp(path)?;
        let e = self.known.get(&(path_bytes(path), page))?;
        (e.stamp == now && e.settings == self.settings).then_some(&e.seen)
    }

    pub fn put(&mut self, path: &Path, page: u32, seen: Seen) {
        if let Some(stamp) = self.stamp(path) {
            self.fresh.push(((path_bytes(path), page), Entry { stamp, settings: self.settings.clone(), seen }));
        }
    }

    /// Write the memo back (best effort: one that cannot be written only makes the next build
    /// slower). Entries for files gone or changed since are dropped: they can never match again.
    pub fn save(self) {
        if self.fresh.is_empty() {
            return;
        }
        let mut stamps: HashMap<Vec<u8>, Option<(u64, u128)>> = HashMap::new();
        let mut all = self.known;
        all.retain(|(p, _), e| {
            *stamps.entry(p.clone()).or_insert_with(|| path_of(p).and_then(|p| stamp(&p))) == Some(e.stamp)
        });
        all.extend(self.fresh);
        crate::cache::sealed::write_whole(&self.file, &encode(&all));
    }
}

fn encode(all: &HashMap<(Vec<u8>, u32), Entry>) -> Vec<u8> {
    // In order, so the same memo is the same file.
    let mut entries: Vec<_> = all.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut o = Out::new(MAGIC);
    o.u32(entries.len() as u32);
    for ((path, page), e) in entries {
        o.bytes(path);
        o.u32(*page);
        o.u64(e.stamp.0);
        o.u128(e.stamp.1);
        o.bytes(e.settings.as_bytes());
        match &e.seen {
            Seen::Own => o.u8(0),
            Seen::Nothing => o.u8(1),
            Seen::Picture { key, placement: p } => {
                o.u8(2);
                o.bytes(key.as_bytes());
                o.u32(p.width);
                o.u32(p.height);
                o.u8(p.shown);
                for v in p.placed {
                    o.f32(v);
                }
            }
        }
    }
    o.seal()
}

fn decode(data: &[u8]) -> Option<HashMap<(Vec<u8>, u32), Entry>> {
    let mut i = In::open(data, MAGIC)?;
    let n = i.u32()?;
    let mut all = HashMap::new();
    for _ in 0..n {
        let path = i.bytes()?.to_vec();
        let page = i.u32()?;
        let stamp = (i.u64()?, i.u128()?);
        let settings = i.str()?.to_string();
        let seen = match i.u8()? {
            0 => Seen::Own,
            1 => Seen::Nothing,
            2 => {
                let key = i.str()?.to_string();
                let (width, height, shown) = (i.u32()?, i.u32()?, i.u8()?);
                let mut placed = [0.0; 6];
                for v in &mut placed {
                    *v = i.f32()?;
                }
                Seen::Picture { key, placement: Placement { width, height, shown, placed } }
            }
            _ => return None,
        };
        all.insert((path, page), Entry { stamp, settings, seen });
    }
    i.is_empty().then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dossier-memo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn pages_are_remembered_until_their_file_changes_or_goes() {
        let dir = scratch("remember");
        let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        let placement =
            Placement { width: 1654, height: 2339, shown: 6, placed: [595.44, 0.0, 0.0, 842.04, 1.5, -2.0] };
        let picture = Seen::Picture { key: "00ff".into(), placement };
        let mut m = Memo::open(&dir, "s");
        m.put(&a, 0, Seen::Own);
        m.put(&a, 1, picture.clone());
        m.put(&b, 0, Seen::Nothing);
        m.save();

        let mut m = Memo::open(&dir, "s");
        assert_eq!(m.get(&a, 0), Some(&Seen::Own));
        assert_eq!(m.get(&a, 1), Some(&picture));
        assert_eq!(m.get(&b, 0), Some(&Seen::Nothing));
        assert_eq!(m.get(&a, 2), None);
        assert_eq!(Memo::open(&dir, "other settings").get(&a, 0), None);

        // b goes; a is remembered again on the next save, b is forgotten.
        std::fs::remove_file(&b).unwrap();
        m.put(&a, 2, Seen::Nothing);
        m.save();
        let data = std::fs::read(dir.join(FILE)).unwrap();
        let all = decode(&data).unwrap();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all.keys().all(|(p, _)| p == &path_bytes(&a)));

        // A memo cut short is no memo: everything is looked at afresh.
        std::fs::write(dir.join(FILE), &data[..data.len() - 3]).unwrap();
        assert_eq!(Memo::open(&dir, "s").get(&a, 0), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
