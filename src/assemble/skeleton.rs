//! What reading a source PDF for copying learnt, kept between builds: its objects without their
//! large streams (see `lean`), and where in the file each large stream's bytes lie. A rebuild
//! copies an unchanged file's pages from this and from byte ranges of the file itself, without
//! reading the whole file into memory and parsing it again; the objects are the very ones a fresh
//! parse gives, so the binder comes out byte for byte the same either way.
//!
//! Kept in `.dossier-cache/lean/`, one file per source, named by the source's path, size,
//! modification and status-change times and both ends of its bytes, and closed by a checksum of
//! its contents (see `cache::sealed`): an entry that was cut short or edited is not believed, and
//! the file is parsed again. Written by hand
//! because lopdf's objects have no serde form, and saving them as a PDF would not give back the
//! same objects (lengths made direct, numbers reformatted).

use crate::cache::sealed;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MAGIC: &[u8] = b"dossier-lean 2\n";
/// Deeper nesting than this is refused when reading an entry back (the load refuses such files).
const MAX_DEPTH: usize = 256;

/// The cache entry for `source` in `dir`, if the source can be stamped.
pub fn entry(dir: &Path, source: &Path) -> Option<PathBuf> {
    let m = std::fs::metadata(source).ok()?;
    let mtime = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    let mut h = Sha256::new();
    h.update(std::path::absolute(source).unwrap_or_else(|_| source.to_path_buf()).to_string_lossy().as_bytes());
    h.update(m.len().to_le_bytes());
    h.update(mtime.to_le_bytes());
    // Copying tools keep a file's modification time (cp -p, rsync -a, unpacking an archive); the
    // status-change time no tool sets, and both ends of the file are cheap to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        h.update(m.ctime().to_le_bytes());
        h.update(m.ctime_nsec().to_le_bytes());
    }
    let stamp: [u8; 32] = h.finalize().into();
    // The skeleton and the verdicts beside it both ask, from two threads: the ends are read once
    // for a file whose stamp has not moved since.
    static SEEN: std::sync::Mutex<Vec<([u8; 32], [u8; 16])>> = std::sync::Mutex::new(Vec::new());
    let known = SEEN.lock().ok().and_then(|seen| seen.iter().find(|(s, _)| *s == stamp).map(|(_, k)| *k));
    let key = match known {
        Some(k) => k,
        None => {
            let mut h = Sha256::new();
            h.update(stamp);
            h.update(ends(source, m.len()).ok()?);
            let k: [u8; 16] = h.finalize()[..16].try_into().ok()?;
            if let Ok(mut seen) = SEEN.lock() {
                // A long-running editing page would otherwise keep every stamp it ever saw.
                if seen.len() >= 4096 {
                    seen.clear();
                }
                seen.push((stamp, k));
            }
            k
        }
    };
    Some(dir.join(format!("{}.bin", crate::sources::docx::hex(&key))))
}

/// The body of the entry at `path`, or None when there is none or it is not whole.
pub(super) fn unseal(path: &Path) -> Option<Vec<u8>> {
    sealed::In::open_owned(std::fs::read(path).ok()?, MAGIC)
}

/// Keep `body` in `path`, closed by its checksum (written beside it and renamed, so a reader
/// never sees half of it). A cache that cannot be written only costs the next build the work.
pub(super) fn seal(path: &Path, body: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let mut out = sealed::Out::new(MAGIC);
    out.raw(body);
    if sealed::write_whole(path, &out.seal())
        && let Ok(mut made) = MADE.lock()
    {
        made.insert(path.to_path_buf());
    }
}

/// Entries this build wrote itself (a file used twice, files prepared while Word files convert):
/// taking them again is not taking what an earlier build kept, which is what a build reports.
static MADE: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// A build begins: the entries written so far were an earlier build's.
pub fn new_build() {
    if let Ok(mut made) = MADE.lock() {
        made.clear();
    }
}

/// Whether the entry at `path` was kept by an earlier build.
pub(super) fn from_earlier(path: &Path) -> bool {
    MADE.lock().map_or(true, |made| !made.contains(path))
}

/// The first and last 8 KB of the file (all of it when shorter): a PDF's header, its last
/// cross-reference table and trailer, where any edit that keeps the file's size shows. Reading and
/// hashing 64 KB at each end of every source was a twentieth of a rebuild.
fn ends(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    const END: u64 = 8 << 10;
    let mut f = std::fs::File::open(path)?;
    let mut out = Vec::new();
    (&mut f).take(END).read_to_end(&mut out)?;
    if len > END {
        f.seek(SeekFrom::Start(len.saturating_sub(END).max(END)))?;
        f.take(END).read_to_end(&mut out)?;
    }
    Ok(out)
}

/// The document kept in `path`, or None when there is none or it is not whole.
pub fn load(path: &Path) -> Option<Document> {
    let body = unseal(path)?;
    let mut r = Reader { at: &body, depth: 0 };
    let mut doc = Document::new();
    doc.version = String::from_utf8(r.bytes()?.to_vec()).ok()?;
    doc.max_id = r.u32()?;
    doc.trailer = r.dict()?;
    let n = r.u32()?;
    for _ in 0..n {
        let id = (r.u32()?, r.u16()?);
        let o = r.object()?;
        doc.objects.insert(id, o);
    }
    r.at.is_empty().then_some(doc)
}

/// Keep `doc` in `path`.
pub fn save(path: &Path, doc: &Document) {
    let mut body = Vec::new();
    bytes(&mut body, doc.version.as_bytes());
    body.extend_from_slice(&doc.max_id.to_le_bytes());
    dict(&mut body, &doc.trailer);
    body.extend_from_slice(&(doc.objects.len() as u32).to_le_bytes());
    for (id, o) in &doc.objects {
        body.extend_from_slice(&id.0.to_le_bytes());
        body.extend_from_slice(&id.1.to_le_bytes());
        object(&mut body, o);
    }
    seal(path, &body);
}

pub(super) fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_le_bytes());
    out.extend_from_slice(b);
}

pub(super) fn dict(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(&(d.len() as u32).to_le_bytes());
    for (k, v) in d.iter() {
        bytes(out, k);
        object(out, v);
    }
}

fn object(out: &mut Vec<u8>, o: &Object) {
    match o {
        Object::Null => out.push(0),
        Object::Boolean(b) => out.extend_from_slice(&[1, *b as u8]),
        Object::Integer(i) => {
            out.push(2);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Object::Real(r) => {
            out.push(3);
            out.extend_from_slice(&r.to_bits().to_le_bytes());
        }
        Object::Name(n) => {
            out.push(4);
            bytes(out, n);
        }
        Object::String(s, f) => {
            out.push(if *f == StringFormat::Literal { 5 } else { 6 });
            bytes(out, s);
        }
        Object::Array(a) => {
            out.push(7);
            out.extend_from_slice(&(a.len() as u32).to_le_bytes());
            for o in a {
                object(out, o);
            }
        }
        Object::Dictionary(d) => {
            out.push(8);
            dict(out, d);
        }
        Object::Stream(s) => {
            out.push(9);
            dict(out, &s.dict);
            bytes(out, &s.content);
            out.push(s.allows_compression as u8);
            out.extend_from_slice(&s.start_position.map_or(u64::MAX, |p| p as u64).to_le_bytes());
        }
        Object::Reference((n, g)) => {
            out.push(10);
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&g.to_le_bytes());
        }
    }
}

pub(super) struct Reader<'a> {
    pub(super) at: &'a [u8],
    pub(super) depth: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.at.split_at_checked(n)?;
        self.at = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub(super) fn dict(&mut self) -> Option<Dictionary> {
        let n = self.u32()?;
        let mut d = Dictionary::new();
        for _ in 0..n {
            let k = self.bytes()?.to_vec();
            let v = self.object()?;
            d.set(k, v);
        }
        Some(d)
    }
    fn object(&mut self) -> Option<Object> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let o = match self.u8()? {
            0 => Object::Null,
            1 => Object::Boolean(self.u8()? != 0),
            2 => Object::Integer(self.u64()? as i64),
            3 => Object::Real(f32::from_bits(self.u32()?)),
            4 => Object::Name(self.bytes()?.to_vec()),
            5 => Object::String(self.bytes()?.to_vec(), StringFormat::Literal),
            6 => Object::String(self.bytes()?.to_vec(), StringFormat::Hexadecimal),
            7 => {
                let n = self.u32()?;
                let mut a = Vec::new();
                for _ in 0..n {
                    a.push(self.object()?);
                }
                Object::Array(a)
            }
            8 => Object::Dictionary(self.dict()?),
            9 => {
                let d = self.dict()?;
                let content = self.bytes()?.to_vec();
                let allows_compression = self.u8()? != 0;
                let start = self.u64()?;
                let mut s = Stream::new(d, content);
                s.allows_compression = allows_compression;
                s.start_position = (start != u64::MAX).then_some(start as usize);
                Object::Stream(s)
            }
            10 => Object::Reference((self.u32()?, self.u16()?)),
            _ => return None,
        };
        self.depth -= 1;
        Some(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_come_back_as_they_went_in_and_a_damaged_entry_is_refused() {
        let mut doc = Document::with_version("1.5");
        let mut d = Dictionary::new();
        d.set("Real", Object::Real(0.1));
        d.set("Hex", Object::String(vec![0xFE, 0xFF, 0x4E, 0x2D], StringFormat::Hexadecimal));
        d.set("Lit", Object::string_literal("a(b)"));
        d.set("Arr", Object::Array(vec![Object::Null, true.into(), (-7i64).into(), Object::Reference((9, 2))]));
        let mut s = Stream::new(d.clone(), b"BT ET".to_vec());
        s.allows_compression = false;
        s.start_position = Some(1234);
        doc.objects.insert((1, 0), Object::Dictionary(d));
        doc.objects.insert((2, 0), Object::Stream(s));
        doc.trailer.set("Root", Object::Reference((1, 0)));
        doc.max_id = 2;
        let dir = std::env::temp_dir().join(format!("dossier-skeleton-{}", std::process::id()));
        let path = dir.join("x.bin");
        save(&path, &doc);
        let back = load(&path).expect("the entry reads back");
        assert_eq!(back.version, "1.5");
        assert_eq!(back.max_id, 2);
        assert_eq!(format!("{:?}", back.trailer), format!("{:?}", doc.trailer));
        assert_eq!(format!("{:?}", back.objects), format!("{:?}", doc.objects));
        let Some(Object::Stream(s)) = back.objects.get(&(2, 0)) else { panic!("stream lost") };
        assert!(!s.allows_compression);
        assert_eq!(s.start_position, Some(1234));

        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 5]).unwrap();
        assert!(load(&path).is_none(), "a cut entry was believed");
        let mut edited = whole.clone();
        let k = edited.len() / 2;
        edited[k] ^= 0x20;
        std::fs::write(&path, &edited).unwrap();
        assert!(load(&path).is_none(), "an edited entry was believed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
