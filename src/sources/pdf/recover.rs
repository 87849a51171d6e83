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

/// A PDF written by hand or by a careless program, made over so lopdf can read it: every
/// `N G obj … endobj` found by scanning the bytes (the cross-reference table, if any, is not
/// trusted), each stream ending where its `endstream` is whatever its /Length says, comments
/// between objects dropped, then written out afresh with a table that is right. qpdf, MuPDF and
/// poppler all reconstruct such files this way; lopdf's own rebuild trusts /Length, so a wrong
/// one loses the object and with it the page. None when no catalog can be found.
pub fn rebuilt(bytes: &[u8]) -> Option<Vec<u8>> {
    let heads = object_heads(bytes);
    if heads.is_empty() {
        return None;
    }
    let mut objects: std::collections::BTreeMap<(u32, u16), Vec<u8>> = std::collections::BTreeMap::new();
    for (k, &(num, gen_, _, body)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(bytes.len(), |h| h.2);
        let region = &bytes[body..next];
        // Later definitions win, as in an incrementally updated file.
        if let Some(text) = object_text(region) {
            objects.insert((num, gen_), text);
        }
    }
    let root = trailer_root(bytes).filter(|r| objects.contains_key(r)).or_else(|| {
        objects
            .iter()
            .rev()
            .find(|(_, t)| {
                let t = String::from_utf8_lossy(&t[..t.len().min(4096)]).replace(char::is_whitespace, "");
                t.contains("/Type/Catalog") && t.contains("/Pages")
            })
            .map(|(id, _)| *id)
    })?;
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let size = objects.keys().map(|k| k.0).max().unwrap_or(0) + 1;
    let mut offsets = vec![None; size as usize];
    for ((num, gen_), text) in &objects {
        offsets[*num as usize] = Some((out.len(), *gen_));
        out.extend_from_slice(format!("{num} {gen_} obj\n").as_bytes());
        out.extend_from_slice(text);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for o in &offsets {
        match o {
            Some((at, g)) => out.extend_from_slice(format!("{at:010} {g:05} n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root {} {} R >>\nstartxref\n{xref}\n%%EOF\n", root.0, root.1).as_bytes(),
    );
    Some(out)
}

/// Every `N G obj` that starts a line (or follows `endobj`), outside comments: (number,
/// generation, where the header starts, where the body starts), in file order.
fn object_heads(bytes: &[u8]) -> Vec<(u32, u16, usize, usize)> {
    let mut out = Vec::new();
    for at in memmem::find_iter(bytes, b"obj") {
        let after = bytes.get(at + 3).copied();
        if after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let mut i = at;
        let ws = |c: u8| c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' || c == 0 || c == 0x0c;
        let skip_ws = |i: &mut usize| {
            while *i > 0 && ws(bytes[*i - 1]) {
                *i -= 1;
            }
        };
        let digits = |i: &mut usize| {
            let end = *i;
            while *i > 0 && bytes[*i - 1].is_ascii_digit() && end - *i < 10 {
                *i -= 1;
            }
            std::str::from_utf8(&bytes[*i..end]).ok().and_then(|s| s.parse::<u64>().ok())
        };
        let end_of_gen = i;
        skip_ws(&mut i);
        if i == end_of_gen {
            continue;
        }
        let Some(gen_) = digits(&mut i) else { continue };
        let end_of_num = i;
        skip_ws(&mut i);
        if i == end_of_num {
            continue;
        }
        let Some(num) = digits(&mut i) else { continue };
        let start = i;
        // At the start of a line, or right after the previous object's end.
        let line_start = i == 0 || matches!(bytes[i - 1], b'\n' | b'\r') || bytes[..i].ends_with(b"endobj");
        let mut j = i;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        let line_start = line_start || j == 0 || matches!(bytes[j - 1], b'\n' | b'\r');
        if !line_start {
            continue;
        }
        let (Ok(num), Ok(gen_)) = (u32::try_from(num), u16::try_from(gen_)) else { continue };
        if num == 0 || num > 10_000_000 {
            continue;
        }
        out.push((num, gen_, start, at + 3));
    }
    out
}

/// An object's text as it is written out again: the body up to `endobj` (or the next object),
/// a stream's data up to its `endstream` with /Length set to match. None for an empty body.
fn object_text(region: &[u8]) -> Option<Vec<u8>> {
    // Without its `endobj`, an object ends where the file's closing sections start.
    let end = [&b"endobj"[..], b"\ntrailer", b"\rtrailer", b"\nxref", b"\rxref", b"startxref"]
        .iter()
        .filter_map(|k| memmem::find(region, k))
        .min()
        .unwrap_or(region.len());
    let stream_at = memmem::find(region, b"stream").filter(|&s| {
        // "endstream" also holds "stream": only the keyword after the dictionary counts.
        s < end.max(memmem::find(region, b"endstream").map_or(0, |e| e + 1)) && !region[..s].ends_with(b"end")
    });
    let Some(s) = stream_at else {
        let body = trim_comments(&region[..end]);
        return (!body.iter().all(u8::is_ascii_whitespace)).then_some(body);
    };
    let dict = trim_comments(&region[..s]);
    let mut data_at = s + b"stream".len();
    if region.get(data_at) == Some(&b'\r') {
        data_at += 1;
    }
    if region.get(data_at) == Some(&b'\n') {
        data_at += 1;
    }
    let data_end = memmem::find(&region[data_at..], b"endstream").map_or(region.len(), |e| data_at + e);
    let mut data = &region[data_at..data_end];
    // The end of line before `endstream` belongs to the keyword, not the data.
    if let Some(d) = data.strip_suffix(b"\n") {
        data = d.strip_suffix(b"\r").unwrap_or(d);
    } else if let Some(d) = data.strip_suffix(b"\r") {
        data = d;
    }
    let mut out = set_length(&dict, data.len());
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    Some(out)
}

/// The dictionary's text with `/Length` (a number, a reference, or nonsense) replaced by `len`.
fn set_length(dict: &[u8], len: usize) -> Vec<u8> {
    let text = dict.trim_ascii();
    let mut from = 0;
    while let Some(i) = memmem::find(&text[from..], b"/Length") {
        let k = from + i + b"/Length".len();
        // `/Length1` and the like are a font's, not the stream's.
        if text.get(k).is_some_and(|c| c.is_ascii_alphanumeric()) {
            from = k;
            continue;
        }
        let mut j = k;
        let tokens = |j: &mut usize| {
            while *j < text.len() && text[*j].is_ascii_whitespace() {
                *j += 1;
            }
            let s = *j;
            while *j < text.len() && (text[*j].is_ascii_alphanumeric() || matches!(text[*j], b'-' | b'+' | b'.')) {
                *j += 1;
            }
            &text[s..*j]
        };
        let first = tokens(&mut j);
        let mut end = j;
        let (mut look, second) = (j, tokens(&mut j.clone()));
        if !first.is_empty() && second.iter().all(u8::is_ascii_digit) && !second.is_empty() {
            tokens(&mut look);
            if tokens(&mut look) == b"R" {
                end = look;
            }
        }
        let mut out = text[..k].to_vec();
        out.extend_from_slice(format!(" {len}").as_bytes());
        out.extend_from_slice(&text[end..]);
        return out;
    }
    // No /Length at all: add one before the dictionary's closing `>>`.
    match memmem::rfind(text, b">>") {
        Some(e) => [&text[..e], format!(" /Length {len} ").as_bytes(), &text[e..]].concat(),
        None => text.to_vec(),
    }
}

/// The text without comment lines between tokens: a `%` outside strings starts a comment.
fn trim_comments(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let (mut depth, mut i) = (0usize, 0);
    while i < text.len() {
        let c = text[i];
        match c {
            b'\\' if depth > 0 => {
                out.extend_from_slice(&text[i..(i + 2).min(text.len())]);
                i += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'%' if depth == 0 => {
                while i < text.len() && text[i] != b'\n' && text[i] != b'\r' {
                    i += 1;
                }
                out.push(b'\n');
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The /Root the last trailer (or cross-reference stream) names.
fn trailer_root(bytes: &[u8]) -> Option<(u32, u16)> {
    let at = memmem::rfind(bytes, b"/Root")?;
    let rest = &bytes[at + 5..bytes.len().min(at + 64)];
    let words: Vec<&[u8]> = rest.split(|c| c.is_ascii_whitespace()).filter(|w| !w.is_empty()).take(3).collect();
    let num = std::str::from_utf8(words.first()?).ok()?.parse().ok()?;
    let gen_ = std::str::from_utf8(words.get(1)?).ok()?.parse().ok()?;
    words.get(2)?.starts_with(b"R").then_some((num, gen_))
}
