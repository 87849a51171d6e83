//! Streams whose compressed data is broken: a flipped bit, a range zeroed or cut short. Viewers
//! show what decodes before the damage and drop the rest, while `qpdf --check` and the checkers at
//! the receiving platforms report the stream. Here a stream's Flate or LZW data is checked as it is
//! copied (fed in chunks, nothing held), and a damaged one is mended: what decodes before the
//! damage, compressed again, as qpdf and MuPDF recover it. Images in JPEG, JPEG 2000 or CCITT are
//! never decoded: what a viewer makes of them is the viewer's business, and decoding them costs.

use lopdf::{Dictionary, Object};
use std::io::Read;

/// Decoding stops being checked past this much output: a stream that inflates so far is not
/// what a scanner or a bad copy leaves, and checking it further would only cost time.
const MAX_CHECKED: u64 = 1 << 30;
/// A content stream is held decoded while it is mended (the cut must fall between operators).
pub const MAX_CONTENT: usize = 64 << 20;

/// The compression a stream's first filter applies, when it is one checked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Flate,
    /// `early`: the code width grows one code early (PDF's default, /EarlyChange 1).
    Lzw {
        early: bool,
    },
}

/// The codec of the stream with this dictionary, if its first filter is Flate or LZW.
pub fn codec(dict: &Dictionary) -> Option<Codec> {
    let first = |o: &Object| match o {
        Object::Array(a) => a.first().cloned(),
        o => Some(o.clone()),
    };
    let filter = first(dict.get(b"Filter").ok()?)?;
    let parms = dict.get(b"DecodeParms").ok().and_then(first);
    match filter.as_name().ok()? {
        b"FlateDecode" | b"Fl" => Some(Codec::Flate),
        b"LZWDecode" | b"LZW" => {
            let early = parms
                .as_ref()
                .and_then(|p| p.as_dict().ok())
                .and_then(|p| p.get(b"EarlyChange").ok())
                .and_then(|e| e.as_i64().ok())
                .is_none_or(|e| e != 0);
            Some(Codec::Lzw { early })
        }
        _ => None,
    }
}

enum Inner {
    /// The zlib header's bytes seen so far, then raw deflate: the checksum at the end is not
    /// checked, as qpdf and the viewers do not check it.
    Flate {
        header: Vec<u8>,
        z: flate2::Decompress,
    },
    Lzw(Box<weezl::decode::Decoder>),
}

/// A decoder fed in chunks, telling whether the data decodes to its end and how much it gave
/// before it failed.
pub struct Decoder {
    inner: Inner,
    /// Decoded bytes so far.
    pub out: u64,
    failed: bool,
    ended: bool,
    buf: Vec<u8>,
}

/// What a stream's data came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Whole,
    /// Damaged after this many decoded bytes.
    Damaged {
        good: u64,
    },
}

impl Decoder {
    pub fn new(codec: Codec) -> Decoder {
        let inner = match codec {
            Codec::Flate => Inner::Flate { header: Vec::new(), z: flate2::Decompress::new(false) },
            Codec::Lzw { early } => {
                let order = weezl::BitOrder::Msb;
                let d = if early {
                    weezl::decode::Decoder::with_tiff_size_switch(order, 8)
                } else {
                    weezl::decode::Decoder::new(order, 8)
                };
                Inner::Lzw(Box::new(d))
            }
        };
        Decoder { inner, out: 0, failed: false, ended: false, buf: vec![0; 32 << 10] }
    }

    /// Decode `data`, handing what it gives to `sink`; `sink` answers false to stop early.
    pub fn feed(&mut self, mut data: &[u8], sink: &mut dyn FnMut(&[u8]) -> bool) {
        // A full output buffer may leave more output behind with all input taken: go on until
        // a step gives less than a buffer.
        let mut pending = false;
        while (!data.is_empty() || pending) && !self.failed && !self.ended && self.out < MAX_CHECKED {
            let (used, made) = match &mut self.inner {
                Inner::Flate { header, .. } if header.len() < 2 => {
                    let Some(&b) = data.first() else { break };
                    header.push(b);
                    if let [cmf, flg] = header[..] {
                        // Deflate, no preset dictionary, and the check bits right: as zlib wants it.
                        if cmf & 0x0f != 8 || flg & 0x20 != 0 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
                            self.failed = true;
                        }
                    }
                    (1, 0)
                }
                Inner::Flate { z, .. } => {
                    let (i, o) = (z.total_in(), z.total_out());
                    let r = z.decompress(data, &mut self.buf, flate2::FlushDecompress::None);
                    let used = (z.total_in() - i) as usize;
                    let made = (z.total_out() - o) as usize;
                    match r {
                        Ok(flate2::Status::StreamEnd) => self.ended = true,
                        Ok(_) if used == 0 && made == 0 && !data.is_empty() => self.failed = true,
                        Ok(_) => {}
                        Err(_) => self.failed = true,
                    }
                    (used, made)
                }
                Inner::Lzw(d) => {
                    let r = d.decode_bytes(data, &mut self.buf);
                    match r.status {
                        Ok(weezl::LzwStatus::Done) => self.ended = true,
                        Ok(weezl::LzwStatus::NoProgress) if !data.is_empty() => self.failed = true,
                        Ok(_) => {}
                        Err(_) => self.failed = true,
                    }
                    (r.consumed_in, r.consumed_out)
                }
            };
            data = &data[used.min(data.len())..];
            pending = made == self.buf.len();
            if made > 0 {
                self.out += made as u64;
                if !sink(&self.buf[..made]) {
                    return;
                }
            }
        }
    }

    /// Whether the data decoded to its end. Flate must reach its final block (qpdf reports a
    /// stream that stops short); LZW data without its end code is read to its last code by every
    /// reader, so only an invalid code damages it.
    pub fn verdict(&self) -> Verdict {
        let whole = match self.inner {
            _ if self.out >= MAX_CHECKED && !self.failed => true,
            Inner::Flate { .. } => self.ended && !self.failed,
            Inner::Lzw(_) => !self.failed,
        };
        if whole { Verdict::Whole } else { Verdict::Damaged { good: self.out } }
    }
}

/// Check bytes held in memory.
pub fn check(codec: Codec, data: &[u8]) -> Verdict {
    let mut d = Decoder::new(codec);
    d.feed(data, &mut |_| true);
    d.verdict()
}

/// Check a content stream held in memory (`codec` None: not compressed): it must decode, and
/// what it decodes to must parse. Damaged { good } counts the decoded bytes before the damage.
pub fn check_content(codec: Option<Codec>, data: &[u8]) -> Verdict {
    let decoded = match codec {
        None => std::borrow::Cow::Borrowed(data),
        Some(c) => {
            let mut d = Decoder::new(c);
            let mut out = Vec::new();
            d.feed(data, &mut |chunk| {
                out.extend_from_slice(chunk);
                out.len() < MAX_CONTENT
            });
            match d.verdict() {
                v @ Verdict::Damaged { .. } => return v,
                // Too large to hold: its decoding was all that could be checked.
                Verdict::Whole if out.len() >= MAX_CONTENT => return Verdict::Whole,
                Verdict::Whole => std::borrow::Cow::Owned(out),
            }
        }
    };
    if content_clean(&decoded) { Verdict::Whole } else { Verdict::Damaged { good: decoded.len() as u64 } }
}

/// A stream whose first filter is ASCII85 or ASCIIHex, with that layer taken off: the dictionary
/// without it, the bytes it decodes to (as far as they decode), and whether it decoded cleanly.
/// None for other streams. Such layers are small text wrappers, decoded in memory.
pub fn ascii_layer(dict: &Dictionary, data: &[u8]) -> Option<(Dictionary, Vec<u8>, bool)> {
    let (first, rest) = match dict.get(b"Filter").ok()? {
        Object::Array(a) => (a.first()?.as_name().ok()?.to_vec(), a[1..].to_vec()),
        Object::Name(n) => (n.clone(), Vec::new()),
        _ => return None,
    };
    let (decoded, ok) = match first.as_slice() {
        b"ASCII85Decode" | b"A85" => ascii85(data),
        b"ASCIIHexDecode" | b"AHx" => ascii_hex(data),
        _ => return None,
    };
    let mut d = dict.clone();
    match rest.len() {
        0 => {
            d.remove(b"Filter");
        }
        1 => d.set("Filter", rest[0].clone()),
        _ => d.set("Filter", Object::Array(rest)),
    }
    if let Ok(Object::Array(p)) = dict.get(b"DecodeParms") {
        match p.len() {
            0 | 1 => {
                d.remove(b"DecodeParms");
            }
            2 => d.set("DecodeParms", p[1].clone()),
            _ => d.set("DecodeParms", Object::Array(p[1..].to_vec())),
        }
    } else {
        d.remove(b"DecodeParms");
    }
    d.remove(b"DL");
    Some((d, decoded, ok))
}

fn ascii85(data: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(data.len() * 4 / 5);
    let mut group: Vec<u8> = Vec::with_capacity(5);
    let flush = |group: &[u8], out: &mut Vec<u8>| -> bool {
        let mut v: u64 = 0;
        for i in 0..5 {
            v = v * 85 + u64::from(group.get(i).map_or(84, |c| c - b'!'));
        }
        if v > u64::from(u32::MAX) {
            return false;
        }
        out.extend_from_slice(&(v as u32).to_be_bytes()[..group.len() - 1]);
        true
    };
    for &c in data {
        match c {
            b'~' => break,
            c if c.is_ascii_whitespace() || c == 0 => {}
            b'z' if group.is_empty() => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group.push(c);
                if group.len() == 5 {
                    if !flush(&group, &mut out) {
                        return (out, false);
                    }
                    group.clear();
                }
            }
            _ => return (out, false),
        }
    }
    match group.len() {
        0 => (out, true),
        1 => (out, false),
        _ => {
            let ok = flush(&group, &mut out);
            (out, ok)
        }
    }
}

fn ascii_hex(data: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &c in data {
        let v = match c {
            b'>' => break,
            c if c.is_ascii_whitespace() || c == 0 => continue,
            c if c.is_ascii_hexdigit() => (c as char).to_digit(16).unwrap_or(0) as u8,
            _ => return (out, false),
        };
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    (out, true)
}

/// How a damaged stream is put back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Page content or a form's: cut between operators, with open text objects and saved
    /// graphics states closed, so the content parses to its end.
    Content,
    /// Anything else (an image, a font): cut at a whole row when a predictor works by rows.
    Data { row: Option<usize> },
}

/// The bytes of a predictor row for a stream with these decode parameters, when rows matter.
pub fn predictor_row(dict: &Dictionary) -> Option<usize> {
    let parms = match dict.get(b"DecodeParms").ok()? {
        Object::Array(a) => a.first()?.as_dict().ok()?.clone(),
        Object::Dictionary(d) => d.clone(),
        _ => return None,
    };
    let int = |k: &[u8], default: i64| parms.get(k).ok().and_then(|v| v.as_i64().ok()).unwrap_or(default);
    let predictor = int(b"Predictor", 1);
    if predictor < 2 {
        return None;
    }
    let bits = int(b"Colors", 1).checked_mul(int(b"BitsPerComponent", 8))?.checked_mul(int(b"Columns", 1))?;
    let bytes = usize::try_from(bits).ok()?.div_ceil(8);
    // PNG predictors put a tag byte before every row.
    Some(if predictor >= 10 { bytes + 1 } else { bytes }).filter(|&r| r > 0)
}

/// The mended data: what decodes from `src` before the damage (at most `good` bytes), cut as
/// `role` wants, compressed with Flate. Also the number of decoded bytes it holds; 0 means nothing
/// of the stream could be saved.
pub fn mend(codec: Option<Codec>, src: impl Read, good: u64, role: Role) -> (Vec<u8>, usize) {
    let keep = match role {
        Role::Content => good.min(MAX_CONTENT as u64),
        Role::Data { row: Some(r) } => good - good % r as u64,
        Role::Data { row: None } => good,
    };
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let mut held = Vec::new();
    let mut taken: u64 = 0;
    each_decoded(codec, src, &mut |chunk| {
        let n = (keep - taken).min(chunk.len() as u64) as usize;
        match role {
            Role::Content => held.extend_from_slice(&chunk[..n]),
            Role::Data { .. } => {
                use std::io::Write;
                let _ = enc.write_all(&chunk[..n]);
            }
        }
        taken += n as u64;
        taken < keep
    });
    if role == Role::Content {
        held = content_prefix(&held);
        taken = held.len() as u64;
        use std::io::Write;
        let _ = enc.write_all(&held);
    }
    (enc.finish().unwrap_or_default(), taken as usize)
}

fn each_decoded(codec: Option<Codec>, mut src: impl Read, sink: &mut dyn FnMut(&[u8]) -> bool) {
    let mut buf = vec![0u8; 64 << 10];
    let Some(codec) = codec else {
        // Not compressed: the bytes as they are.
        while let Ok(n @ 1..) = src.read(&mut buf) {
            if !sink(&buf[..n]) {
                return;
            }
        }
        return;
    };
    let mut d = Decoder::new(codec);
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let mut more = true;
        d.feed(&buf[..n], &mut |chunk| {
            more = sink(chunk);
            more
        });
        if !more || d.failed || d.ended {
            return;
        }
    }
}

/// The longest start of a content stream that ends after a whole operator, with the text objects,
/// saved graphics states and marked content it leaves open closed. A cut inside a string or an
/// inline image would make every reader stop with an error at the end.
pub fn content_prefix(data: &[u8]) -> Vec<u8> {
    scan_content(data).0
}

/// Whether content parses to its end the way qpdf's checker reads it: no stray `)`, `>` or `]`,
/// no bad character in a hex string, no string left open.
pub fn content_clean(data: &[u8]) -> bool {
    scan_content(data).1
}

/// The mended start of a content stream (see `content_prefix`), and whether the whole of it read
/// cleanly.
fn scan_content(data: &[u8]) -> (Vec<u8>, bool) {
    let mut clean = true;
    let (mut arrays, mut dicts) = (0usize, 0usize);
    let mut i = 0;
    // After the last whole operator: (where, q depth, in text, marked content depth)
    let (mut cut, mut q, mut bt, mut mc) = (0usize, 0usize, false, 0usize);
    let (mut q_at, mut bt_at, mut mc_at) = (0usize, false, 0usize);
    let mut operands = 0usize;
    let delim = |c: u8| b"()<>[]{}/%".contains(&c);
    while i < data.len() {
        let c = data[i];
        if c.is_ascii_whitespace() || c == 0 {
            i += 1;
        } else if c == b'%' {
            while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
        } else if c == b'(' {
            let mut depth = 0usize;
            let mut closed = false;
            while i < data.len() {
                match data[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            closed = true;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            if !closed {
                clean = false;
                break;
            }
            operands += 1;
        } else if c == b'<' && data.get(i + 1) == Some(&b'<') {
            i += 2;
            dicts += 1;
            operands += 1;
        } else if c == b'>' && data.get(i + 1) == Some(&b'>') {
            if dicts == 0 {
                clean = false;
                break;
            }
            dicts -= 1;
            i += 2;
            operands += 1;
        } else if c == b'<' {
            let Some(k) = memchr::memchr(b'>', &data[i..]) else {
                clean = false;
                break;
            };
            if !data[i + 1..i + k].iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace()) {
                clean = false;
                break;
            }
            i += k + 1;
            operands += 1;
        } else if matches!(c, b')' | b'>') || c == b']' && arrays == 0 {
            clean = false;
            break;
        } else if matches!(c, b'[' | b']' | b'{' | b'}') {
            match c {
                b'[' => arrays += 1,
                b']' => arrays -= 1,
                _ => {}
            }
            i += 1;
            operands += 1;
        } else {
            let start = i;
            i += 1;
            while i < data.len() && !data[i].is_ascii_whitespace() && !delim(data[i]) && data[i] != 0 {
                i += 1;
            }
            if i == data.len() && !is_operator_at_end(&data[start..]) {
                // A word the cut may have shortened.
                break;
            }
            let word = &data[start..i];
            let is_operand = c == b'/'
                || c.is_ascii_digit()
                || matches!(c, b'+' | b'-' | b'.')
                || matches!(word, b"true" | b"false" | b"null");
            if is_operand {
                operands += 1;
                continue;
            }
            match word {
                b"q" => q_at += 1,
                b"Q" => q_at = q_at.saturating_sub(1),
                b"BT" => bt_at = true,
                b"ET" => bt_at = false,
                b"BMC" | b"BDC" => mc_at += 1,
                b"EMC" => mc_at = mc_at.saturating_sub(1),
                b"BI" => {
                    // Inline image: its data ends at "EI" on its own; without one, cut before it.
                    let Some(id) = memchr::memmem::find(&data[i..], b"ID") else { break };
                    let from = i + id + 2;
                    let mut end = None;
                    let mut k = from;
                    while let Some(e) = memchr::memmem::find(&data[k..], b"EI") {
                        let at = k + e;
                        let before = data.get(at.wrapping_sub(1)).is_some_and(|b| b.is_ascii_whitespace());
                        let after = data.get(at + 2).is_none_or(|b| b.is_ascii_whitespace());
                        if before && after && data.get(at + 2).is_some() {
                            end = Some(at + 2);
                            break;
                        }
                        k = at + 2;
                    }
                    let Some(end) = end else {
                        clean = false;
                        break;
                    };
                    i = end;
                }
                _ => {}
            }
            operands = 0;
            arrays = 0;
            dicts = 0;
            (cut, q, bt, mc) = (i, q_at, bt_at, mc_at);
        }
    }
    let _ = operands;
    let mut out = data[..cut].to_vec();
    out.push(b'\n');
    if bt {
        out.extend_from_slice(b"ET\n");
    }
    for _ in 0..mc {
        out.extend_from_slice(b"EMC\n");
    }
    for _ in 0..q {
        out.extend_from_slice(b"Q\n");
    }
    (if cut == 0 { Vec::new() } else { out }, clean)
}

/// A last word of a stream that is an operator, not a number cut short.
fn is_operator_at_end(word: &[u8]) -> bool {
    word.first().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'\'' | b'"' | b'*'))
}

/// The pages (0-based) of `doc` that draw a stream whose Flate or LZW data is damaged, each with
/// whether nothing of its own content could be saved: what a build will warn about, found
/// beforehand for `check` and `status`. Each stream is checked once, however many pages use it.
pub fn damaged_pages(doc: &lopdf::Document, pages: &[Option<lopdf::ObjectId>]) -> Vec<(u32, bool)> {
    use std::collections::{HashMap, HashSet};
    let mut verdicts: HashMap<lopdf::ObjectId, bool> = HashMap::new();
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(page) = *page else { continue };
        let Ok(d) = doc.get_dictionary(page) else { continue };
        let contents: Vec<lopdf::ObjectId> = match d.get(b"Contents") {
            Ok(Object::Reference(id)) => match doc.objects.get(id) {
                Some(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
                _ => vec![*id],
            },
            Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => Vec::new(),
        };
        let verdict_of = |s: &lopdf::Stream, content: bool| match (codec(&s.dict), content) {
            (c, true) if c.is_some() || !s.dict.has(b"Filter") => check_content(c, &s.content),
            (Some(c), false) => check(c, &s.content),
            _ => Verdict::Whole,
        };
        let content_lost = |id: &lopdf::ObjectId| match doc.objects.get(id) {
            Some(Object::Stream(s)) => match verdict_of(s, true) {
                Verdict::Damaged { good } => mend(codec(&s.dict), s.content.as_slice(), good, Role::Content).1 == 0,
                Verdict::Whole => false,
            },
            _ => false,
        };
        let emptied = !contents.is_empty() && contents.iter().all(content_lost);
        // Everything the page draws: its content, and what its resources reach, not up the tree.
        let mut seen = HashSet::from([page]);
        let mut todo: Vec<&Object> =
            d.iter().filter(|(k, _)| !matches!(k.as_slice(), b"Parent" | b"Annots" | b"B")).map(|(_, v)| v).collect();
        let mut damaged = false;
        while let Some(o) = todo.pop() {
            match o {
                Object::Reference(r) if seen.insert(*r) => match doc.objects.get(r) {
                    Some(Object::Stream(s)) => {
                        let bad = *verdicts
                            .entry(*r)
                            .or_insert_with(|| codec(&s.dict).is_some_and(|c| check(c, &s.content) != Verdict::Whole));
                        damaged |= bad;
                        todo.extend(s.dict.iter().map(|(_, v)| v));
                    }
                    Some(Object::Dictionary(d)) if matches!(d.get_type(), Ok(b"Page" | b"Pages" | b"Catalog")) => {}
                    Some(o) => todo.push(o),
                    None => {}
                },
                Object::Array(a) => todo.extend(a.iter()),
                Object::Dictionary(d) => todo.extend(d.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        if damaged {
            out.push((i as u32, emptied));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn whole_flate_is_whole_in_any_chunking() {
        let z = zlib(&b"q 1 0 0 1 0 0 cm BT /F1 12 Tf (abc) Tj ET Q\n".repeat(200));
        assert_eq!(check(Codec::Flate, &z), Verdict::Whole);
        let mut d = Decoder::new(Codec::Flate);
        for c in z.chunks(1) {
            d.feed(c, &mut |_| true);
        }
        assert_eq!(d.verdict(), Verdict::Whole);
    }

    #[test]
    fn cut_or_flipped_flate_is_damaged() {
        let z = zlib(&b"0 0 m 100 100 l S\n".repeat(500));
        assert!(matches!(check(Codec::Flate, &z[..z.len() / 2]), Verdict::Damaged { .. }));
        let mut bad = z.clone();
        bad[2] ^= 0x55;
        assert!(matches!(check(Codec::Flate, &bad), Verdict::Damaged { .. }));
        assert!(matches!(check(Codec::Flate, b"\x00\x00"), Verdict::Damaged { good: 0 }));
    }

    #[test]
    fn mended_content_ends_between_operators_and_closes_what_is_open() {
        let text = b"q 1 0 0 1 10 10 cm BT /F1 12 Tf 0 0 Td (Hello world) Tj ET Q\n".repeat(40);
        let z = zlib(&text);
        let cut = &z[..z.len() * 2 / 3];
        let Verdict::Damaged { good } = check(Codec::Flate, cut) else { panic!("not damaged") };
        let (mended, kept) = mend(Some(Codec::Flate), cut, good, Role::Content);
        assert!(kept > 0);
        let plain = inflate(&mended);
        assert!(plain.starts_with(b"q 1 0 0 1 10 10 cm BT"));
        let s = String::from_utf8(plain).unwrap();
        let count = |w: &str| s.split_ascii_whitespace().filter(|t| *t == w).count();
        assert_eq!(count("q"), count("Q"), "{s}");
        assert_eq!(count("BT"), count("ET"), "{s}");
    }

    #[test]
    fn a_cut_inside_a_string_goes_back_to_the_operator_before() {
        assert_eq!(content_prefix(b"BT (abc) Tj (de"), b"BT (abc) Tj\nET\n");
        assert_eq!(content_prefix(b"q 1 0 0 1 0 0 cm 10 20 m 30"), b"q 1 0 0 1 0 0 cm 10 20 m\nQ\n");
        assert!(content_prefix(b"(unfinished").is_empty());
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>"), (b"Hello World!".to_vec(), true));
        assert!(!ascii85(b"87cUR\x7fD]i~>").1);
        assert_eq!(ascii_hex(b"48 65 6c6>"), (b"Hel`".to_vec(), true));
        assert!(content_clean(b"q 1 0 0 1 0 0 cm [(a) -20 (b)] TJ <41 42> Tj << /MCID 0 >> BDC EMC Q"));
        for bad in [&b"BT (a) Tj ) ET"[..], b"<4G> Tj", b"0 0 m > S", b"] TJ", b"BT (open"] {
            assert!(!content_clean(bad), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(content_prefix(b"q 0 0 m <4G> Tj Q"), b"q 0 0 m\nQ\n");
        assert!(content_prefix(b"BI /W 1 /H 1 ID \xff\xff").is_empty());
        assert_eq!(content_prefix(b"BI /W 1 ID xx EI Q "), b"BI /W 1 ID xx EI Q\n");
    }

    #[test]
    fn images_are_cut_at_a_whole_predictor_row() {
        let mut d = Dictionary::new();
        let mut p = Dictionary::new();
        p.set("Predictor", 15);
        p.set("Colors", 3);
        p.set("Columns", 10);
        d.set("DecodeParms", p);
        assert_eq!(predictor_row(&d), Some(31));
        let z = zlib(&[7u8; 31 * 100]);
        let (mended, kept) = mend(Some(Codec::Flate), &z[..], 31 * 50 + 7, Role::Data { row: Some(31) });
        assert_eq!(kept, 31 * 50);
        assert_eq!(inflate(&mended).len(), 31 * 50);
    }

    #[test]
    fn lzw_with_a_bad_code_is_damaged() {
        let data = b"BT /F1 12 Tf (lzw) Tj ET\n".repeat(50);
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let z = enc.encode(&data).unwrap();
        assert_eq!(check(Codec::Lzw { early: true }, &z), Verdict::Whole);
        let mut bad = z.clone();
        for b in &mut bad[z.len() / 3..z.len() / 3 + 8] {
            *b = 0xff;
        }
        assert!(matches!(check(Codec::Lzw { early: true }, &bad), Verdict::Damaged { .. }));
    }
}
