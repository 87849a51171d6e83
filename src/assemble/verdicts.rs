//! Which large image streams of a source PDF were checked and found whole, kept between builds
//! beside the file's skeleton (see `skeleton`), under the same name: the name changes whenever
//! the file does, so a verdict is never applied to other bytes. A rebuild then copies an unchanged
//! scan's JPEG file to file instead of reading it through the damage check again; the binder is
//! the same either way, since both paths hash only the ends of the data into the /ID.
//!
//! Streams small enough to be held in memory (page content, fonts) are kept by object number and
//! the role they were checked in, since a page's content is checked more strictly than data.
//!
//! Only whole verdicts are kept: a damaged stream is checked (and named) on every build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Verdicts {
    path: Option<PathBuf>,
    whole: BTreeSet<(u64, u64)>,
    added: bool,
}

impl Verdicts {
    /// The verdicts kept for `source` in the cache folder `kept` (none when it has none yet, or
    /// the entry is not whole).
    pub fn open(kept: &Path, source: &Path) -> Verdicts {
        let Some(path) = super::skeleton::entry(kept, source).map(|e| e.with_extension("whole")) else {
            return Verdicts::default();
        };
        let mut whole = BTreeSet::new();
        if let Some(body) = super::skeleton::unseal(&path) {
            for pair in body.chunks_exact(16) {
                let (a, b) = pair.split_at(8);
                let n = |s: &[u8]| u64::from_le_bytes(s.try_into().unwrap_or([0; 8]));
                whole.insert((n(a), n(b)));
            }
        }
        Verdicts { path: Some(path), whole, added: false }
    }

    /// Whether the stream at this place in the file was found whole by an earlier build.
    pub fn whole(&self, offset: u64, len: usize) -> bool {
        self.whole.contains(&(offset, len as u64))
    }

    /// Whether an earlier build left any verdict for the file.
    pub fn known(&self) -> bool {
        !self.whole.is_empty()
    }

    /// Whether held stream `id`, checked as page content or not, was found whole before.
    pub fn held_whole(&self, id: lopdf::ObjectId, content: bool) -> bool {
        self.whole.contains(&held(id, content))
    }

    pub fn found_held_whole(&mut self, id: lopdf::ObjectId, content: bool) {
        if self.path.is_some() {
            self.added |= self.whole.insert(held(id, content));
        }
    }

    pub fn found_whole(&mut self, offset: u64, len: usize) {
        if self.path.is_some() {
            self.added |= self.whole.insert((offset, len as u64));
        }
    }

    /// Keep what this build learnt for the next one. A cache that cannot be written only costs
    /// the next build the reading.
    pub fn save(&mut self) {
        let Some(path) = self.path.as_ref().filter(|_| self.added) else { return };
        let mut body = Vec::with_capacity(self.whole.len() * 16);
        for (o, l) in &self.whole {
            body.extend_from_slice(&o.to_le_bytes());
            body.extend_from_slice(&l.to_le_bytes());
        }
        super::skeleton::seal(path, &body);
        self.added = false;
    }
}

impl Drop for Verdicts {
    fn drop(&mut self) {
        self.save();
    }
}

/// A held stream's record: no stream starts at the last byte offset there is.
fn held((num, generation): lopdf::ObjectId, content: bool) -> (u64, u64) {
    (u64::MAX, (u64::from(num) << 17) | (u64::from(generation) << 1) | u64::from(content))
}
