//! A file cut short loses its last cross-reference stream, and with it the way to the catalog when
//! the catalog sits inside an object stream (qpdf, LibreOffice and Word write them so): lopdf's
//! rebuild finds only the objects written out in the open. Here the catalog and the root of the
//! page tree are copied out of their object streams to the end of the bytes, where the rebuild
//! finds them; the object streams themselves it reads as usual.

use memchr::memmem;
use std::io::Read;

/// The bytes with the catalog (and the page tree's root) appended as plain objects, when an object
/// stream holds them.
pub fn catalog_in_the_open(bytes: &[u8]) -> Option<Vec<u8>> {
    let objects: Vec<(u32, Vec<u8>)> = memmem::find_iter(bytes, b"/ObjStm").flat_map(|at| unpack(bytes, at)).collect();
    let (catalog_no, catalog) = objects.iter().rev().find(|(_, body)| memmem::find(body, b"/Catalog").is_some())?;
    let mut out = bytes.to_vec();
    out.extend_from_slice(format!("\n{catalog_no} 0 obj\n").as_bytes());
    out.extend_from_slice(catalog);
    out.extend_from_slice(b"\nendobj\n");
    if let Some(pages) = reference_after(catalog, b"/Pages")
        && let Some((_, body)) = objects.iter().rev().find(|(n, _)| *n == pages)
    {
        out.extend_from_slice(format!("{pages} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    Some(out)
}

/// The objects of the object stream whose dictionary mentions /ObjStm at `at`: (number, body).
fn unpack(bytes: &[u8], at: usize) -> Vec<(u32, Vec<u8>)> {
    let dict_start = memmem::rfind(&bytes[..at], b"obj").unwrap_or(at);
    let Some(stream_at) = memmem::find(&bytes[at..], b"stream").map(|i| at + i) else { return Vec::new() };
    let dict = &bytes[dict_start..stream_at];
    let (Some(first), Some(count)) = (number_after(dict, b"/First"), number_after(dict, b"/N")) else {
        return Vec::new();
    };
    let mut data_at = stream_at + b"stream".len();
    if bytes.get(data_at) == Some(&b'\r') {
        data_at += 1;
    }
    if bytes.get(data_at) == Some(&b'\n') {
        data_at += 1;
    }
    // A stream cut short still gives what it decoded before the cut; the rest is lost anyway.
    let mut data = Vec::new();
    let _ = flate2::read::ZlibDecoder::new(&bytes[data_at..]).take(64 << 20).read_to_end(&mut data);
    let (first, count) = (first as usize, count as usize);
    let Some(header) = data.get(..first) else { return Vec::new() };
    let numbers: Vec<usize> =
        String::from_utf8_lossy(header).split_ascii_whitespace().filter_map(|w| w.parse().ok()).collect();
    let pairs: Vec<(usize, usize)> = numbers.chunks(2).take(count).filter_map(|c| Some((c[0], *c.get(1)?))).collect();
    pairs
        .iter()
        .enumerate()
        .filter_map(|(i, &(n, off))| {
            let end = pairs.get(i + 1).map_or(data.len(), |p| first + p.1);
            let body = data.get(first + off..end.min(data.len()))?;
            Some((u32::try_from(n).ok()?, body.to_vec()))
        })
        .collect()
}

/// The whole number after `key` in a dictionary's text (`/First 123`).
fn number_after(dict: &[u8], key: &[u8]) -> Option<u64> {
    let mut from = 0;
    while let Some(i) = memmem::find(&dict[from..], key) {
        let rest = &dict[from + i + key.len()..];
        // `/N` must not match the start of `/Nums` or similar.
        if rest.first().is_some_and(|c| c.is_ascii_whitespace()) {
            let digits: String = rest
                .iter()
                .skip_while(|c| c.is_ascii_whitespace())
                .take_while(|c| c.is_ascii_digit())
                .map(|&c| c as char)
                .collect();
            return digits.parse().ok();
        }
        from += i + key.len();
    }
    None
}

/// The object number of the reference after `key` (`/Pages 5 0 R`).
fn reference_after(dict: &[u8], key: &[u8]) -> Option<u32> {
    number_after(dict, key).and_then(|n| u32::try_from(n).ok())
}
