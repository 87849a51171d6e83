//! Streams whose data is broken: a flipped bit, a range zeroed or cut short. Viewers show what
//! decodes before the damage and drop the rest, while `qpdf --check` and the checkers at the
//! receiving platforms report the stream. Here a stream's filters (ASCII85, ASCIIHex, Flate, LZW,
//! RunLength, chained) are decoded as it is copied (fed in chunks, nothing held), content is also
//! parsed, and a damaged stream is mended: what decodes before the damage, compressed again, as
//! qpdf and MuPDF recover it. JPEG images are read for their markers only (what stops libjpeg),
//! never decoded; JPEG 2000, CCITT and JBIG2 data is left to the viewer.

mod content;
mod filters;
pub mod jpeg;

pub use content::{content_clean, content_prefix};
use filters::{Kind, Stage};
use lopdf::{Dictionary, Object};
use std::io::Read;

/// Decoding stops being checked past this much output: a stream that inflates so far is not
/// what a scanner or a bad copy leaves, and checking it further would only cost time.
const MAX_CHECKED: u64 = 1 << 30;
/// A content stream is held decoded while it is checked and mended (the cut must fall between
/// operators); a larger one has only its filters checked.
pub const MAX_CONTENT: usize = 64 << 20;

/// What a stream's data came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Whole,
    /// Damaged after this many decoded bytes.
    Damaged {
        good: u64,
    },
}

/// How a damaged stream is put back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Page content or a form's: cut between operators, with open text objects and saved
    /// graphics states closed, so the content parses to its end.
    Content,
    /// Anything else (an image, a font): cut at a whole row when a predictor works by rows.
    Data,
}

/// The role of a stream with this dictionary: a form's content is content wherever it is used.
pub fn role(dict: &Dictionary, page_content: bool) -> Role {
    let form = dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form");
    if form || page_content { Role::Content } else { Role::Data }
}

/// What comes after the filters checked here.
#[derive(Debug, Clone, PartialEq)]
enum Tail {
    None,
    /// JPEG: its markers are read.
    Dct,
    /// JPEG 2000, CCITT, JBIG2: left alone, with their parameters.
    Image(Box<(Object, Object)>),
}

/// How a stream's data is checked, from its dictionary.
#[derive(Debug, Clone)]
pub struct Plan {
    kinds: Vec<Kind>,
    tail: Tail,
    role: Role,
    /// The decode parameters of the last filter checked (a predictor's), kept when mended.
    parms: Option<Dictionary>,
    /// Content behind a filter no reader knows (a misspelt name): nothing of it can be read.
    broken: bool,
}

impl Plan {
    /// None when nothing of the stream is checked: no filter, or one not known here (a crypt
    /// filter, a misspelt name), which readers report on their own.
    pub fn of(dict: &Dictionary, role: Role) -> Option<Plan> {
        let names: Vec<&[u8]> = match dict.get(b"Filter") {
            Ok(Object::Name(n)) => vec![n],
            Ok(Object::Array(a)) => a.iter().map(|o| o.as_name().ok()).collect::<Option<_>>()?,
            Err(_) => Vec::new(),
            Ok(_) => return None,
        };
        let parms: Vec<Object> = match dict.get(b"DecodeParms") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => Vec::new(),
        };
        let parm = |i: usize| parms.get(i).and_then(|p| p.as_dict().ok());
        let int = |i: usize, k: &[u8]| parm(i).and_then(|p| p.get(k).ok()).and_then(|v| v.as_i64().ok());
        let mut plan = Plan { kinds: Vec::new(), tail: Tail::None, role, parms: None, broken: false };
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == names.len();
            let kind = match *name {
                b"ASCII85Decode" | b"A85" => Kind::Ascii85,
                b"ASCIIHexDecode" | b"AHx" => Kind::AsciiHex,
                b"FlateDecode" | b"Fl" => Kind::Flate,
                b"LZWDecode" | b"LZW" => Kind::Lzw { early: int(i, b"EarlyChange") != Some(0) },
                b"RunLengthDecode" | b"RL" => Kind::RunLength,
                b"DCTDecode" | b"DCT" if last && role == Role::Data => {
                    plan.tail = Tail::Dct;
                    break;
                }
                b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode" if last && role == Role::Data => {
                    let p = parms.get(i).cloned().unwrap_or(Object::Null);
                    plan.tail = Tail::Image(Box::new((Object::Name(name.to_vec()), p)));
                    break;
                }
                // Content must be read to be shown: qpdf reports what it cannot decode.
                _ if role == Role::Content => {
                    plan.broken = true;
                    plan.parms = None;
                    break;
                }
                _ => return None,
            };
            // A predictor belongs after the last filter; anywhere else the chain is not one
            // any producer writes.
            if int(i, b"Predictor").is_some_and(|p| p > 1) && !names.get(i + 1).is_none_or(|n| is_image(n)) {
                return None;
            }
            plan.parms = parm(i).cloned();
            plan.kinds.push(kind);
        }
        let checked = match (&plan.tail, role) {
            (_, Role::Content) => true,
            (Tail::Dct, Role::Data) => true,
            _ => !plan.kinds.is_empty(),
        };
        checked.then_some(plan)
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn checker(&self) -> Checker {
        Checker {
            stages: self.kinds.iter().map(|&k| Stage::new(k)).collect(),
            jpeg: (self.tail == Tail::Dct).then(jpeg::Jpeg::default),
            text: (self.role == Role::Content).then(Vec::new),
            broken: self.broken,
            out: 0,
            capped: false,
        }
    }

    /// Check data held in memory.
    pub fn check(&self, data: &[u8]) -> Verdict {
        let mut c = self.checker();
        c.feed(data);
        c.verdict()
    }

    /// The mended data of a stream found damaged after `good` decoded bytes, read again from
    /// `src`, and its dictionary made to match. Also the number of decoded bytes it holds; 0 means
    /// nothing of the stream could be saved.
    pub fn mend(&self, dict: &mut Dictionary, src: impl Read, good: u64) -> (Vec<u8>, usize) {
        use std::io::Write;
        dict.remove(b"DL");
        if self.tail == Tail::Dct {
            // A JPEG libjpeg stops at shows nowhere: a white pixel in its place, the note on
            // the page saying what happened.
            for k in [&b"DecodeParms"[..], b"Decode", b"Filter"] {
                dict.remove(k);
            }
            if dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
                dict.set("BitsPerComponent", 1);
            } else {
                dict.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
                dict.set("BitsPerComponent", 8);
            }
            dict.set("Width", 1);
            dict.set("Height", 1);
            return (vec![0xFF], 0);
        }
        let keep = match self.role {
            _ if self.broken => 0,
            Role::Content => good.min(MAX_CONTENT as u64),
            Role::Data => match self.parms.as_ref().and_then(predictor_row) {
                Some(r) => good - good % r as u64,
                None => good,
            },
        };
        let mut held = Vec::new();
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let mut taken: u64 = 0;
        let mut stages: Vec<Stage> = self.kinds.iter().map(|&k| Stage::new(k)).collect();
        let mut sink = |chunk: &[u8]| {
            let n = (keep - taken).min(chunk.len() as u64) as usize;
            match self.role {
                Role::Content => held.extend_from_slice(&chunk[..n]),
                Role::Data => {
                    let _ = enc.write_all(&chunk[..n]);
                }
            }
            taken += n as u64;
            taken < keep
        };
        let mut src = src;
        let mut buf = vec![0u8; 64 << 10];
        let mut more = keep > 0;
        while more {
            match src.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => more = filters::run(&mut stages, &buf[..n], &mut sink),
            }
        }
        if more {
            filters::finish(&mut stages, &mut sink);
        }
        if self.role == Role::Content {
            held = content_prefix(&held);
            taken = held.len() as u64;
            let _ = enc.write_all(&held);
        }
        let flate = Object::Name(b"FlateDecode".to_vec());
        let parms = self.parms.as_ref().map(|p| {
            let mut p = p.clone();
            p.remove(b"EarlyChange");
            p
        });
        match &self.tail {
            Tail::Image(tail) => {
                let (name, p) = &**tail;
                dict.set("Filter", Object::Array(vec![flate, name.clone()]));
                let ours = parms.map_or(Object::Null, Object::Dictionary);
                dict.set("DecodeParms", Object::Array(vec![ours, p.clone()]));
            }
            _ => {
                dict.set("Filter", flate);
                match parms {
                    Some(p) => dict.set("DecodeParms", p),
                    None => {
                        dict.remove(b"DecodeParms");
                    }
                }
            }
        }
        (enc.finish().unwrap_or_default(), taken as usize)
    }
}

fn is_image(name: &[u8]) -> bool {
    matches!(name, b"DCTDecode" | b"DCT" | b"JPXDecode" | b"CCITTFaxDecode" | b"CCF" | b"JBIG2Decode")
}

/// A stream's data checked as it goes by, in chunks of any size.
pub struct Checker {
    stages: Vec<Stage>,
    jpeg: Option<jpeg::Jpeg>,
    /// Content, decoded, held to be parsed (up to MAX_CONTENT; past that, not parsed).
    text: Option<Vec<u8>>,
    broken: bool,
    /// Decoded bytes so far.
    out: u64,
    /// Decoding stopped being checked at MAX_CHECKED.
    capped: bool,
}

impl Checker {
    pub fn feed(&mut self, data: &[u8]) {
        if self.capped || self.broken {
            return;
        }
        let Checker { stages, jpeg, text, out, capped, .. } = self;
        filters::run(stages, data, &mut |chunk| take(chunk, jpeg, text, out, capped));
    }

    /// The end of the data: the verdict on it.
    pub fn verdict(mut self) -> Verdict {
        if self.broken {
            return Verdict::Damaged { good: 0 };
        }
        let Checker { stages, jpeg, text, out, capped, .. } = &mut self;
        if !*capped {
            filters::finish(stages, &mut |chunk| take(chunk, jpeg, text, out, capped));
        }
        let good = self.out;
        if !self.capped && !self.stages.iter().all(Stage::whole) {
            return Verdict::Damaged { good };
        }
        if self.jpeg.as_ref().is_some_and(|j| !j.whole()) {
            return Verdict::Damaged { good: 0 };
        }
        match &self.text {
            Some(t) if t.len() < MAX_CONTENT && !self.capped && !content_clean(t) => Verdict::Damaged { good },
            _ => Verdict::Whole,
        }
    }
}

fn take(
    chunk: &[u8],
    jpeg: &mut Option<jpeg::Jpeg>,
    text: &mut Option<Vec<u8>>,
    out: &mut u64,
    capped: &mut bool,
) -> bool {
    *out += chunk.len() as u64;
    if let Some(j) = jpeg {
        j.feed(chunk);
    }
    if let Some(t) = text
        && t.len() < MAX_CONTENT
    {
        t.extend_from_slice(chunk);
    }
    if *out >= MAX_CHECKED {
        *capped = true;
    }
    !*capped
}

/// The bytes of a predictor row for these decode parameters, when rows matter.
fn predictor_row(parms: &Dictionary) -> Option<usize> {
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

/// The pages (0-based) of `doc` that draw a stream whose data is damaged, each with
/// whether nothing of its own content could be saved: what a build will warn about, found
/// beforehand for `check` and `status`. Each stream is checked once, however many pages use it.
pub fn damaged_pages(doc: &lopdf::Document, pages: &[Option<lopdf::ObjectId>]) -> Vec<(u32, bool)> {
    use std::collections::{HashMap, HashSet};
    let mut verdicts: HashMap<lopdf::ObjectId, Verdict> = HashMap::new();
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
        let verdict_of = |s: &lopdf::Stream, page_content: bool| {
            let plan = Plan::of(&s.dict, role(&s.dict, page_content));
            (plan.as_ref().map_or(Verdict::Whole, |p| p.check(&s.content)), plan)
        };
        let content_lost = |id: &lopdf::ObjectId| match doc.objects.get(id) {
            Some(Object::Stream(s)) => match verdict_of(s, true) {
                (Verdict::Damaged { good }, Some(plan)) => {
                    plan.mend(&mut s.dict.clone(), s.content.as_slice(), good).1 == 0
                }
                _ => false,
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
                        let verdict = *verdicts.entry(*r).or_insert_with(|| verdict_of(s, contents.contains(r)).0);
                        damaged |= verdict != Verdict::Whole;
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
    use lopdf::dictionary;
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

    fn a85(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, c) in data.chunks(4).enumerate() {
            let mut v = [0u8; 4];
            v[..c.len()].copy_from_slice(c);
            let mut n = u32::from_be_bytes(v);
            let mut g = [0u8; 5];
            for k in (0..5).rev() {
                g[k] = (n % 85) as u8 + b'!';
                n /= 85;
            }
            out.extend_from_slice(&g[..c.len() + 1]);
            if i % 16 == 15 {
                out.push(b'\n');
            }
        }
        out.extend_from_slice(b"~>");
        out
    }

    fn plan(filter: Object, role: Role) -> Plan {
        Plan::of(&dictionary! { "Filter" => filter }, role).unwrap()
    }

    fn names(n: &[&str]) -> Object {
        Object::Array(n.iter().map(|s| Object::Name(s.as_bytes().to_vec())).collect())
    }

    #[test]
    fn whole_flate_is_whole_in_any_chunking() {
        let z = zlib(&b"q 1 0 0 1 0 0 cm BT /F1 12 Tf (abc) Tj ET Q\n".repeat(200));
        let p = plan("FlateDecode".into(), Role::Content);
        assert_eq!(p.check(&z), Verdict::Whole);
        let mut c = p.checker();
        for b in z.chunks(1) {
            c.feed(b);
        }
        assert_eq!(c.verdict(), Verdict::Whole);
    }

    #[test]
    fn cut_or_flipped_flate_is_damaged() {
        let z = zlib(&b"0 0 m 100 100 l S\n".repeat(500));
        let p = plan("FlateDecode".into(), Role::Data);
        assert!(matches!(p.check(&z[..z.len() / 2]), Verdict::Damaged { .. }));
        let mut bad = z.clone();
        bad[2] ^= 0x55;
        assert!(matches!(p.check(&bad), Verdict::Damaged { .. }));
        assert!(matches!(p.check(b"\x00\x00"), Verdict::Damaged { good: 0 }));
    }

    #[test]
    fn mended_content_ends_between_operators_and_closes_what_is_open() {
        let text = b"q 1 0 0 1 10 10 cm BT /F1 12 Tf 0 0 Td (Hello world) Tj ET Q\n".repeat(40);
        let z = zlib(&text);
        let cut = &z[..z.len() * 2 / 3];
        let p = plan("FlateDecode".into(), Role::Content);
        let Verdict::Damaged { good } = p.check(cut) else { panic!("not damaged") };
        let mut d = Dictionary::new();
        let (mended, kept) = p.mend(&mut d, cut, good);
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
        assert!(content_clean(b"q 1 0 0 1 0 0 cm [(a) -20 (b)] TJ <41 42> Tj << /MCID 0 >> BDC EMC Q"));
        for bad in [&b"BT (a) Tj ) ET"[..], b"<4G> Tj", b"0 0 m > S", b"] TJ", b"BT (open", b"[(a) -3 (b)] TJ [(c) TJ"]
        {
            assert!(!content_clean(bad), "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(content_prefix(b"q 0 0 m <4G> Tj Q"), b"q 0 0 m\nQ\n");
        assert_eq!(content_prefix(b"BT (a) Tj [(b) Tj (c)"), b"BT (a) Tj\nET\n");
        assert!(content_prefix(b"BI /W 1 /H 1 ID \xff\xff").is_empty());
        assert_eq!(content_prefix(b"BI /W 1 ID xx EI Q "), b"BI /W 1 ID xx EI Q\n");
    }

    #[test]
    fn images_are_cut_at_a_whole_predictor_row() {
        let d = dictionary! {
            "Filter" => "FlateDecode",
            "DecodeParms" => dictionary! { "Predictor" => 15, "Colors" => 3, "Columns" => 10 },
        };
        let p = Plan::of(&d, Role::Data).unwrap();
        let z = zlib(&[7u8; 31 * 100]);
        let mut out = d.clone();
        let (mended, kept) = p.mend(&mut out, &z[..], 31 * 50 + 7);
        assert_eq!(kept, 31 * 50);
        assert_eq!(inflate(&mended).len(), 31 * 50);
        assert_eq!(out.get(b"DecodeParms").unwrap(), d.get(b"DecodeParms").unwrap());
    }

    #[test]
    fn lzw_with_a_bad_code_is_damaged() {
        let data = b"BT /F1 12 Tf (lzw) Tj ET\n".repeat(50);
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let z = enc.encode(&data).unwrap();
        let p = plan("LZWDecode".into(), Role::Content);
        assert_eq!(p.check(&z), Verdict::Whole);
        let mut bad = z.clone();
        for b in &mut bad[z.len() / 3..z.len() / 3 + 8] {
            *b = 0xff;
        }
        assert!(matches!(p.check(&bad), Verdict::Damaged { .. }));
    }

    #[test]
    fn chains_are_decoded_through_and_mended_to_flate() {
        let text = b"BT /F1 12 Tf 20 20 Td (chained) Tj ET\n".repeat(60);
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let wrapped = a85(&enc.encode(&text).unwrap());
        let p = plan(names(&["ASCII85Decode", "LZWDecode"]), Role::Content);
        assert_eq!(p.check(&wrapped), Verdict::Whole);
        // A zeroed range in the text layer: what a bad copy leaves.
        let mut bad = wrapped.clone();
        bad[wrapped.len() / 2..wrapped.len() / 2 + 16].fill(0);
        let Verdict::Damaged { good } = p.check(&bad) else { panic!("zeros passed") };
        let mut d = dictionary! { "Filter" => names(&["ASCII85Decode", "LZWDecode"]) };
        let (mended, kept) = p.mend(&mut d, bad.as_slice(), good);
        assert!(kept > 0);
        assert_eq!(d.get(b"Filter").unwrap(), &Object::Name(b"FlateDecode".to_vec()));
        let plain = inflate(&mended);
        assert!(plain.starts_with(&text[..80]) && plain.len() < text.len() && content_clean(&plain));
        // Flate under hex, and run-length content that does not parse.
        let hex: Vec<u8> = zlib(&text).iter().flat_map(|b| format!("{b:02x}").into_bytes()).collect();
        let p = plan(names(&["ASCIIHexDecode", "FlateDecode"]), Role::Content);
        assert_eq!(p.check(&hex), Verdict::Whole);
        assert!(matches!(p.check(&hex[..hex.len() - 10]), Verdict::Damaged { .. }));
        let p = plan("RunLengthDecode".into(), Role::Content);
        assert_eq!(p.check(&[4, b'0', b' ', b'0', b' ', b'm', 128]), Verdict::Whole);
        assert!(matches!(p.check(&[3, b'(', b'a', b')', b')', 128]), Verdict::Damaged { .. }));
    }

    #[test]
    fn a_jpeg_libjpeg_stops_at_becomes_a_white_pixel() {
        let d = dictionary! { "Filter" => "DCTDecode", "Width" => 640, "Height" => 480, "ColorSpace" => "DeviceRGB" };
        let p = Plan::of(&d, Role::Data).unwrap();
        assert_eq!(p.check(b"\xff\xd8\xff\xd9"), Verdict::Damaged { good: 0 });
        let mut out = d.clone();
        let (data, kept) = p.mend(&mut out, &b""[..], 0);
        assert_eq!((data, kept), (vec![0xFF], 0));
        assert!(!out.has(b"Filter"));
        assert_eq!(out.get(b"Width").unwrap().as_i64().unwrap(), 1);
        // Images left to the viewer, and filters not known here, are not checked at all.
        for f in ["JPXDecode", "Crypt", "Bogus"] {
            assert!(Plan::of(&dictionary! { "Filter" => f }, Role::Data).is_none());
        }
        // Content behind a filter nobody knows cannot be shown at all.
        let p = Plan::of(&dictionary! { "Filter" => names(&["ASCII85Fecode", "FlateDecode"]) }, Role::Content).unwrap();
        assert_eq!(p.check(b"Gaq3_gBrO/&4PL>.~>"), Verdict::Damaged { good: 0 });
        let mut d = Dictionary::new();
        let (data, kept) = p.mend(&mut d, &b"Gaq3_gBrO/&4PL>.~>"[..], 0);
        assert_eq!((inflate(&data).len(), kept), (0, 0));
    }
}
