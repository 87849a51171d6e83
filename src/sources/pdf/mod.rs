//! Opening source PDFs. lopdf reads whole files; it opens owner-password PDFs (decrypting them) and
//! rebuilds a lost or shifted cross-reference table by scanning for objects, but answers Ok with no
//! pages for a PDF that needs a user password, and a file cut short comes back with holes. So every
//! load is checked here: the page tree is walked by us (a loop or absurd nesting is refused), and in
//! a rebuilt file every page is checked for what it lost, so a half-downloaded scan gives the pages
//! it still has and names the rest.

use crate::error::Problem;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;
use std::path::Path;

pub mod damage;
mod recover;

/// Deeper page trees are not made by any producer; a file with one is broken or hostile.
const MAX_TREE_DEPTH: usize = 256;

/// Load a PDF and make sure it has pages we can reach.
pub fn open(path: &Path) -> Result<Document, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    open_bytes(&bytes)
}

pub fn open_bytes(bytes: &[u8]) -> Result<Document, Problem> {
    let first = open_as_written(bytes);
    let repaired = match &first {
        Ok(doc) => doc.xref_recovery.is_some(),
        Err(p) => matches!(p, Problem::DamagedPdf(_) | Problem::PdfCutShort),
    };
    if !repaired {
        return first;
    }
    // What every viewer reconstructs: objects found by scanning, streams ended where their
    // `endstream` is. Kept when it gives more whole pages than lopdf's own repair.
    let Some(mut ours) = recover::rebuilt(bytes)
        .and_then(|fixed| std::panic::catch_unwind(|| Document::load_mem(&fixed)).ok())
        .and_then(Result::ok)
        .filter(|doc| !doc.is_encrypted())
    else {
        return first;
    };
    // Rebuilt, so its pages are examined as a repaired file's are.
    ours.xref_recovery = Some(lopdf::xref::XrefRecovery::Reconstructed);
    let whole_pages = |doc: &Document| {
        page_slots(doc).map_or(0, |s| s.into_iter().flatten().filter(|&id| page_whole(doc, id)).count())
    };
    match first {
        Ok(doc) if whole_pages(&doc) >= whole_pages(&ours) => Ok(doc),
        Err(p) if whole_pages(&ours) == 0 => Err(p),
        _ => Ok(ours),
    }
}

fn open_as_written(bytes: &[u8]) -> Result<Document, Problem> {
    // A hostile or badly damaged file must not take the whole build down with it.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes));
    let doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decryption(_))) | Ok(Err(lopdf::Error::InvalidPassword)) => {
            return Err(Problem::Encrypted);
        }
        // What lopdf could not read in a file cut short is the missing end, whatever it says;
        // the catalog may still be in an object stream the rebuild did not look into.
        Ok(Err(_)) | Err(_) if !ends_whole(bytes) => {
            let retried = recover::catalog_in_the_open(bytes)
                .and_then(|fixed| std::panic::catch_unwind(|| Document::load_mem(&fixed)).ok())
                .and_then(Result::ok);
            retried.ok_or(Problem::PdfCutShort)?
        }
        Ok(Err(e)) => return Err(Problem::DamagedPdf(plain(&e))),
        Err(_) => return Err(Problem::DamagedPdf("its structure could not be read".into())),
    };
    if doc.is_encrypted() {
        return Err(Problem::Encrypted);
    }
    if page_slots(&doc)?.iter().all(Option::is_none) {
        return Err(nothing_left(ends_whole(bytes)));
    }
    Ok(doc)
}

/// lopdf's messages are for programmers; keep the gist.
fn plain(e: &lopdf::Error) -> String {
    let s = e.to_string();
    if s.is_empty() { "it could not be parsed".into() } else { s }
}

/// The pages in order, each its page object, or None where the file lost it (the tree names an
/// object that is not there). Walked without recursion, refusing loops and absurd depth, which
/// lopdf's own walk would silently cut short or repeat.
pub fn page_slots(doc: &Document) -> Result<Vec<Option<ObjectId>>, Problem> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| Problem::DamagedPdf("its page list is missing".into()))?;
    let kids_of = |id: ObjectId| -> Vec<Object> {
        doc.get_dictionary(id)
            .and_then(|d| d.get_deref(b"Kids", doc))
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut seen = HashSet::from([root]);
    let mut slots = Vec::new();
    // Each level: the kids still to visit, reversed so pop() yields them in order.
    let mut stack: Vec<Vec<Object>> = vec![kids_of(root).into_iter().rev().collect()];
    while let Some(level) = stack.last_mut() {
        let Some(kid) = level.pop() else {
            stack.pop();
            continue;
        };
        let Ok(id) = kid.as_reference() else {
            slots.push(None);
            continue;
        };
        if !seen.insert(id) {
            return Err(Problem::PageTreeLoop);
        }
        let Ok(d) = doc.get_dictionary(id) else {
            slots.push(None);
            continue;
        };
        let is_node = match d.get_type() {
            Ok(b"Pages") => true,
            Ok(b"Page") => false,
            // Producers that leave out /Type still give a node its /Kids.
            _ => d.has(b"Kids"),
        };
        if is_node {
            if stack.len() >= MAX_TREE_DEPTH {
                return Err(Problem::PageTreeTooDeep(MAX_TREE_DEPTH));
            }
            stack.push(kids_of(id).into_iter().rev().collect());
        } else {
            slots.push(Some(id));
        }
    }
    Ok(slots)
}

/// What a PDF holds: its page count, and the pages (0-based) it lost to damage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pages {
    pub count: u32,
    pub lost: Vec<u32>,
}

/// The pages of a loaded document. Only a file that was cut short (`whole` false) or whose
/// cross-reference data had to be repaired is examined page by page: an intact one is trusted, as
/// every viewer trusts it.
pub fn pages_of(doc: &Document, whole: bool) -> Result<Pages, Problem> {
    let slots = page_slots(doc)?;
    let rebuilt = !whole || doc.xref_recovery.is_some();
    let lost: Vec<u32> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| match s {
            None => true,
            Some(id) => rebuilt && !page_whole(doc, *id),
        })
        .map(|(i, _)| i as u32)
        .collect();
    if lost.len() == slots.len() {
        return Err(nothing_left(whole));
    }
    Ok(Pages { count: slots.len() as u32, lost })
}

/// A dictionary's values; what hangs under /XObject is drawn by the page.
fn entries(d: &lopdf::Dictionary, vital: bool) -> impl Iterator<Item = (&Object, bool)> {
    d.iter().map(move |(k, v)| (v, vital || k.as_slice() == b"XObject"))
}

fn nothing_left(whole: bool) -> Problem {
    if whole { Problem::DamagedPdf("none of its pages could be read".into()) } else { Problem::PdfCutShort }
}

/// Whether page `id` survived: what it draws (its content streams, its images and forms) is all
/// there, and every stream it reaches decodes (Flate) or ends where a JPEG ends. A stream cut short
/// by a truncated download would otherwise go into the binder as a page that viewers show half
/// blank and `qpdf --check` reports. A lost font is not a lost page: viewers substitute one.
fn page_whole(doc: &Document, id: ObjectId) -> bool {
    page_hole(doc, id, true).is_none()
}

/// The first object page `id` draws that the file does not hold. For files that look intact, whose
/// pages are counted without being examined: checking only that objects exist costs little when
/// the page is copied anyway, where decoding every stream would not.
pub fn missing_drawn(doc: &Document, id: ObjectId) -> Option<ObjectId> {
    match page_hole(doc, id, false) {
        Some(Hole::Missing(o)) => Some(o),
        _ => None,
    }
}

enum Hole {
    Missing(ObjectId),
    CutStream,
}

fn page_hole(doc: &Document, id: ObjectId, decode: bool) -> Option<Hole> {
    let Ok(page) = doc.get_dictionary(id) else { return Some(Hole::Missing(id)) };
    let mut seen = HashSet::from([id]);
    // (object, whether the page's drawing depends on it)
    let mut todo: Vec<(&Object, bool)> = page
        .iter()
        .filter(|(k, _)| !matches!(k.as_slice(), b"Parent" | b"Annots" | b"B"))
        .map(|(k, v)| (v, k.as_slice() == b"Contents"))
        .collect();
    while let Some((o, vital)) = todo.pop() {
        match o {
            Object::Reference(r) => {
                if !seen.insert(*r) {
                    continue;
                }
                match doc.objects.get(r) {
                    None if vital => return Some(Hole::Missing(*r)),
                    None => {}
                    // Other pages and the tree above belong to other slots.
                    Some(Object::Dictionary(d)) if matches!(d.get_type(), Ok(b"Page" | b"Pages" | b"Catalog")) => {}
                    Some(o) => todo.push((o, vital)),
                }
            }
            Object::Array(a) => todo.extend(a.iter().map(|o| (o, vital))),
            Object::Dictionary(d) => todo.extend(entries(d, vital)),
            Object::Stream(s) => {
                if decode && !stream_whole(s) {
                    return Some(Hole::CutStream);
                }
                todo.extend(entries(&s.dict, vital));
            }
            _ => {}
        }
    }
    None
}

fn stream_whole(s: &lopdf::Stream) -> bool {
    let filters = s.filters().unwrap_or_default();
    match filters.first().copied() {
        // Strictly: lopdf's own decoder forgives a cut stream and returns what it got.
        Some(b"FlateDecode") => {
            use std::io::Read;
            let mut z = flate2::read::ZlibDecoder::new(s.content.as_slice()).take(1 << 30);
            std::io::copy(&mut z, &mut std::io::sink()).is_ok()
        }
        Some(b"DCTDecode") if filters.len() == 1 => {
            let end = s.content.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(0);
            end >= 1 && s.content[end - 1..=end] == [0xFF, 0xD9]
        }
        _ => true,
    }
}

/// Page count and lost pages, for planning. lopdf's metadata reader skips parsing the content,
/// which halves the cost, so a file that looks whole (it ends as a PDF ends, its cross-reference
/// data is as written, and it is not encrypted) is counted that way; any doubt goes to the full
/// load and the page-by-page check.
pub fn probe(path: &Path) -> Result<Pages, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if ends_whole(&bytes) {
        let quick = std::panic::catch_unwind(|| Document::load_metadata_mem(&bytes));
        if let Ok(Ok(m)) = quick
            && m.page_count > 0
            && m.xref_recovery.is_none()
            && !m.encrypted
        {
            return Ok(Pages { count: m.page_count, lost: Vec::new() });
        }
    }
    pages_of(&open_bytes(&bytes)?, ends_whole(&bytes))
}

/// Whether the bytes end as a PDF ends, with `%%EOF` (give or take trailing junk): a file cut short
/// does not.
pub fn ends_whole(bytes: &[u8]) -> bool {
    memchr::memmem::rfind(&bytes[bytes.len().saturating_sub(1024)..], b"%%EOF").is_some()
}

/// `ends_whole` for a file, reading only its end.
pub fn file_ends_whole(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut tail = Vec::new();
    f.seek(SeekFrom::Start(len.saturating_sub(1024))).is_ok() && f.read_to_end(&mut tail).is_ok() && ends_whole(&tail)
}
