//! Loading a source PDF for copying without holding its large streams. lopdf keeps a copy of every
//! stream's bytes next to the file's own bytes, so a 50 MB scan costed 100 MB while it was read.
//! Here the large streams are dropped as they are parsed (only their length is kept), and each one
//! is read back from the file at the moment it is written out. lopdf offers the per-object hook
//! but no lazy streams, so the read-back is ours.

use crate::error::Problem;
use lopdf::xref::XrefEntry;
use lopdf::{Document, LoadOptions, Object, ObjectId, Stream};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Streams below this are kept: reading them back would cost more than it saves.
const MIN_STUB: usize = 64 << 10;
/// Marks a stream whose bytes stay in the file; its value is their length.
const STUB_KEY: &[u8] = b"DossierStub";

/// Marks a stream whose data starts at this byte of the file, found when it was loaded.
const AT_KEY: &[u8] = b"DossierAt";

/// Load `path` for copying. Anything unusual (encryption, a repaired file, an error) falls back to
/// the ordinary full load and its checks, so this never reads a file worse than that does.
pub fn open(path: &Path) -> Result<Document, Problem> {
    open_kept(path, None, None)
}

/// As [`open`], with what the load learns kept in `kept` (a folder of the cache) for the next
/// build, and taken from there when the file has not changed since (see `skeleton`); `hits`
/// counts the files taken from there.
pub fn open_kept(
    path: &Path,
    kept: Option<&Path>,
    hits: Option<&std::sync::atomic::AtomicUsize>,
) -> Result<Document, Problem> {
    let entry = kept.and_then(|dir| super::skeleton::entry(dir, path));
    if let Some(entry) = &entry
        && let Some(doc) = super::skeleton::load(entry)
    {
        crate::cache::touch(entry);
        if let Some(h) = hits.filter(|_| super::skeleton::from_earlier(entry)) {
            h.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        return Ok(doc);
    }
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    // A damaged file goes the ordinary way, which checks it page by page.
    if memchr::memmem::find(&bytes, b"/Encrypt").is_none() && crate::sources::pdf::ends_whole(&bytes) {
        let loaded = std::panic::catch_unwind(|| {
            Document::load_mem_with_options(&bytes, LoadOptions { filter: Some(stub), ..Default::default() })
        });
        if let Ok(Ok(mut doc)) = loaded
            && doc.xref_recovery.is_none()
            && crate::sources::pdf::page_slots(&doc).is_ok_and(|s| s.iter().all(Option::is_some) && !s.is_empty())
        {
            // Only a file whose every large stream is where its table says is kept: the others
            // are read the long way again next time, as now.
            if mark_data(&mut doc, &bytes)
                && let Some(entry) = &entry
            {
                super::skeleton::save(entry, &doc);
            }
            return Ok(doc);
        }
    }
    let doc = crate::sources::pdf::open_bytes(&bytes)?;
    // A file encrypted with an owner password (printing or copying restricted) is decrypted whole
    // at every load, and AES-256's key derivation is slow on purpose: one such file was a tenth
    // of a rebuild. Its objects are kept decrypted, streams and all, since the bytes in the file
    // are not the bytes copied. A repaired file is examined afresh each time, as above.
    if doc.encryption_state.is_some()
        && doc.xref_recovery.is_none()
        && crate::sources::pdf::ends_whole(&bytes)
        && let Some(entry) = &entry
        && crate::sources::pdf::page_slots(&doc).is_ok_and(|s| s.iter().all(Option::is_some) && !s.is_empty())
    {
        super::skeleton::save(entry, &doc);
    }
    Ok(doc)
}

/// Note in each large stream where its data starts in the file. False when one is not where the
/// cross-reference table says (that stream is then looked for when it is copied, as before).
fn mark_data(doc: &mut Document, bytes: &[u8]) -> bool {
    let base = memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").unwrap_or(0);
    let mut all = true;
    let table = &doc.reference_table;
    let mut found = Vec::new();
    for (id, o) in &doc.objects {
        let Object::Stream(s) = o else { continue };
        let Ok(len) = s.dict.get(STUB_KEY).and_then(Object::as_i64) else { continue };
        let at = match table.get(id.0) {
            Some(XrefEntry::Normal { offset, .. }) => data_start(bytes, base + *offset as usize, len),
            _ => None,
        };
        match at {
            Some(at) => found.push((*id, at)),
            None => all = false,
        }
    }
    for (id, at) in found {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(&id) {
            s.dict.set(AT_KEY, Object::Integer(at as i64));
        }
    }
    all
}

/// Where the data of the stream object at `obj` starts, checked by the "endstream" after it.
fn data_start(bytes: &[u8], obj: usize, len: i64) -> Option<u64> {
    let window = bytes.get(obj..)?;
    let window = &window[..window.len().min(64 << 10)];
    let at = memchr::memmem::find(window, b"stream")? + b"stream".len();
    let skip = match window.get(at..at + 2) {
        Some([b'\r', b'\n']) => 2,
        Some([b'\n', _]) | Some([b'\r', _]) => 1,
        _ => 0,
    };
    let data = obj + at + skip;
    let end = data.checked_add(usize::try_from(len).ok()?)?;
    let tail = bytes.get(end..end.saturating_add(12).min(bytes.len()))?;
    memchr::memmem::find(tail, b"endstream").map(|_| data as u64)
}

fn stub(id: ObjectId, obj: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(s) = obj
        && s.content.len() >= MIN_STUB
        && !s.dict.has_type(b"ObjStm")
        && !s.dict.has_type(b"XRef")
    {
        s.dict.set(STUB_KEY, Object::Integer(s.content.len() as i64));
        s.content = Vec::new();
    }
    Some((id, Object::Null))
}

/// Where the bytes of a stream that `open` left in the file are: (offset, length). None for a
/// stream held in memory. Fails when the file no longer holds them where its cross-reference table
/// says (it changed since it was loaded).
pub fn locate(doc: &Document, f: &mut File, id: ObjectId, s: &Stream) -> std::io::Result<Option<(u64, usize)>> {
    let Ok(len) = s.dict.get(STUB_KEY).and_then(Object::as_i64) else { return Ok(None) };
    let bad = crate::error::changed_during_build;
    let len = usize::try_from(len).map_err(|_| bad())?;
    if let Ok(at) = s.dict.get(AT_KEY).and_then(Object::as_i64) {
        // Found when the file was loaded (or kept from an earlier build): only checked here.
        let data = u64::try_from(at).map_err(|_| bad())?;
        f.seek(SeekFrom::Start(data + len as u64))?;
        let mut tail = [0u8; 12];
        let t = read_up_to(f, &mut tail)?;
        if memchr::memmem::find(&tail[..t], b"endstream").is_none() {
            return Err(bad());
        }
        return Ok(Some((data, len)));
    }
    let Some(XrefEntry::Normal { offset, .. }) = doc.reference_table.get(id.0) else { return Err(bad()) };
    // lopdf counts offsets from the "%PDF-" header, which need not be at byte 0.
    let mut head = vec![0u8; 1024];
    f.seek(SeekFrom::Start(0))?;
    let n = read_up_to(f, &mut head)?;
    let base = memchr::memmem::find(&head[..n], b"%PDF-").unwrap_or(0) as u64 + *offset as u64;
    // The object's dictionary, then "stream" and one end of line, then the data.
    f.seek(SeekFrom::Start(base))?;
    let mut window = vec![0u8; 64 << 10];
    let n = read_up_to(f, &mut window)?;
    let window = &window[..n];
    let at = memchr::memmem::find(window, b"stream").ok_or_else(bad)? + b"stream".len();
    let skip = match window.get(at..at + 2) {
        Some([b'\r', b'\n']) => 2,
        Some([b'\n', _]) | Some([b'\r', _]) => 1,
        _ => 0,
    };
    let data = base + (at + skip) as u64;
    f.seek(SeekFrom::Start(data + len as u64))?;
    let mut tail = [0u8; 12];
    let t = read_up_to(f, &mut tail)?;
    if memchr::memmem::find(&tail[..t], b"endstream").is_none() {
        return Err(bad());
    }
    Ok(Some((data, len)))
}

/// The stream's dictionary as it is written out: without our mark.
pub fn unmark(s: &mut Stream) {
    s.dict.remove(STUB_KEY);
    s.dict.remove(AT_KEY);
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
