//! The invisible text layer: recognised lines drawn in render mode 3 (neither filled nor stroked),
//! in a Type0 font whose character codes are the Unicode code points themselves, so copy and
//! search give back exactly what was recognised.
//!
//! Viewers and extractors put a space wherever one run of text ends short of the next, and most
//! recognised Chinese "words" are a character or two: drawn at their natural width, a line reads
//! "关 于 开 展". So each word is stretched (`Tz`) to end where the next begins, and a space
//! character goes only between two Latin words or numbers.

use super::font::{ADVANCE, glyphless_ttf};
use super::{Line, Matrix, PageText, invert, mul};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Object, Stream};
use std::io::Write;

/// The layer's font in the binder's resources.
pub const FONT_NAME: &str = "DossierOcrText";
/// The font's PostScript name, with a subset tag: it holds only the one empty glyph, and checkers
/// expect every embedded CID font to say it is a subset.
const BASE_FONT: &str = "DOSOCR+GlyphLessFont";
/// The layer's form XObject in a page's resources.
pub const XOBJECT_NAME: &str = "DossierOcr";

fn deflate(raw: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    let _ = e.write_all(raw);
    e.finish().unwrap_or_default()
}

/// Changes whenever [`ops`] or [`legible`](super::legible) would write another layer for the same
/// reading: the layers kept in the cache are then made again.
pub const VERSION: u32 = 1;

/// A stream already deflated.
fn deflated(mut dict: Dictionary, data: Vec<u8>) -> Object {
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    Object::Stream(Stream::new(dict, data).with_compression(false))
}

/// The font's other streams: small, and written once a binder.
fn flate_stream(dict: Dictionary, raw: &[u8]) -> Object {
    deflated(dict, deflate(raw, 3))
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

/// Write the font (once per binder); returns the Type0 font's object number.
pub fn write_font<W: Write>(w: &mut PdfWriter<W>) -> std::io::Result<u32> {
    let (type0, cid, descriptor, file, to_unicode, gid_map) =
        (w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc());
    let ttf = glyphless_ttf();
    let mut d = Dictionary::new();
    d.set("Length1", Object::Integer(ttf.len() as i64));
    w.write(file, &flate_stream(d, &ttf))?;

    w.write(gid_map, &deflated(Dictionary::new(), super::font::gid_map_deflated()))?;

    // Codes are code points; a range may not cross its first byte, hence one per high byte.
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let highs: Vec<u32> = (0..=0xFFu32).filter(|h| !(0xD8..=0xDF).contains(h)).collect();
    for chunk in highs.chunks(100) {
        cmap.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for h in chunk {
            cmap.push_str(&format!("<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n"));
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    w.write(to_unicode, &flate_stream(Dictionary::new(), cmap.as_bytes()))?;

    let mut fd = Dictionary::new();
    fd.set("Type", name("FontDescriptor"));
    fd.set("FontName", name(BASE_FONT));
    fd.set("Flags", Object::Integer(5));
    fd.set("FontBBox", Object::Array(vec![0.into(), (-120).into(), (ADVANCE as i64).into(), 880.into()]));
    fd.set("ItalicAngle", Object::Integer(0));
    fd.set("Ascent", Object::Integer(880));
    fd.set("Descent", Object::Integer(-120));
    fd.set("CapHeight", Object::Integer(880));
    fd.set("StemV", Object::Integer(80));
    fd.set("FontFile2", Object::Reference((file, 0)));
    w.write(descriptor, &Object::Dictionary(fd))?;

    let mut info = Dictionary::new();
    info.set("Registry", Object::string_literal("Adobe"));
    info.set("Ordering", Object::string_literal("Identity"));
    info.set("Supplement", Object::Integer(0));
    let mut c = Dictionary::new();
    c.set("Type", name("Font"));
    c.set("Subtype", name("CIDFontType2"));
    c.set("BaseFont", name(BASE_FONT));
    c.set("CIDSystemInfo", Object::Dictionary(info));
    c.set("FontDescriptor", Object::Reference((descriptor, 0)));
    c.set("DW", Object::Integer(ADVANCE as i64));
    c.set("CIDToGIDMap", Object::Reference((gid_map, 0)));
    w.write(cid, &Object::Dictionary(c))?;

    let mut t = Dictionary::new();
    t.set("Type", name("Font"));
    t.set("Subtype", name("Type0"));
    t.set("BaseFont", name(BASE_FONT));
    t.set("Encoding", name("Identity-H"));
    t.set("DescendantFonts", Object::Array(vec![Object::Reference((cid, 0))]));
    t.set("ToUnicode", Object::Reference((to_unicode, 0)));
    w.write(type0, &Object::Dictionary(t))?;
    Ok(type0)
}

/// Characters written without spaces between them: CJK ideographs, kana, fullwidth forms and the
/// punctuation set with them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F | 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Chinese characters proper (CJK ideographs), without the punctuation set with them.
pub fn is_cjk_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether a space separates two recognised words: only between Latin words and numbers.
pub fn space_between(a: &str, b: &str) -> bool {
    match (a.chars().last(), b.chars().next()) {
        (Some(x), Some(y)) => !is_cjk(x) && !is_cjk(y),
        _ => false,
    }
}

/// A number to two decimals, trailing zeros dropped. By hand from the integer hundredths: the
/// float formatter's exact rounding was a tenth of a warm `--ocr` rebuild, at thousands of
/// numbers a page.
fn n(v: f32) -> String {
    let c = (f64::from(v) * 100.0).round() as i64;
    let (sign, a) = if c < 0 { ("-", c.unsigned_abs()) } else { ("", c.unsigned_abs()) };
    match (a / 100, a % 100) {
        (0, 0) => "0".into(),
        (i, 0) => format!("{sign}{i}"),
        (i, f) if f % 10 == 0 => format!("{sign}{i}.{}", f / 10),
        (i, f) => format!("{sign}{i}.{f:02}"),
    }
}

/// The layer's operators in the space of the picture read (pixels, origin bottom left). Empty when
/// nothing was recognised.
pub fn ops(lines: &[Line], height: u32) -> String {
    let h = height as f32;
    let mut out = String::new();
    for line in lines {
        let size = (line.bottom - line.top).max(1.0);
        // The line box runs from the descender to the ascender: 12 % of the em below the baseline.
        let baseline = h - line.bottom + 0.12 * size;
        let mut first = true;
        for (i, word) in line.words.iter().enumerate() {
            // Whitespace inside a word (an ideographic space read from a smudge) would read as a gap.
            let mut s: String = word.text.chars().filter(|c| !c.is_whitespace()).collect();
            let next = line.words.get(i + 1);
            if let Some(nx) = next
                && space_between(&word.text, &nx.text)
            {
                s.push(' ');
            }
            let codes: Vec<u16> = s.chars().filter(|c| (*c as u32) < 0x1_0000).map(|c| c as u16).collect();
            if codes.is_empty() || (codes.len() == 1 && codes[0] == b' ' as u16) {
                continue;
            }
            let natural = codes.len() as f32 * ADVANCE as f32 / 1000.0 * size;
            let end = next.map(|nx| nx.x0).filter(|&e| e > word.x0).unwrap_or(word.x1);
            let tz = (100.0 * (end - word.x0) / natural).clamp(1.0, 10_000.0);
            // Written in place, not through format!: thousands of runs a page.
            use std::fmt::Write as _;
            if first {
                let _ = writeln!(out, "/{FONT_NAME} {} Tf", n(size));
                first = false;
            }
            let _ = write!(out, "{} Tz 1 0 0 1 {} {} Tm <", n(tz), n(word.x0), n(baseline));
            for c in &codes {
                let _ = write!(out, "{c:04X}");
            }
            out.push_str("> Tj\n");
        }
    }
    if out.is_empty() {
        return out;
    }
    format!("BT 3 Tr\n{out}ET\n")
}

/// The layer's content stream, deflated: made once per reading and kept with it in the cache, so
/// the slowest level costs nothing a rebuild feels.
pub fn body(lines: &[Line], height: u32) -> Vec<u8> {
    let ops = ops(lines, height);
    if ops.is_empty() { Vec::new() } else { deflate(ops.as_bytes(), 9) }
}

/// A matrix or box coordinate as written: six decimals are a thousandth of a point over a page
/// of pixels, and -0 is 0.
fn real(v: f32) -> Object {
    let r = ((f64::from(v) * 1e6).round() / 1e6) as f32;
    Object::Real(if r == 0.0 { 0.0 } else { r })
}

/// The layer as a form XObject over the whole page (its own resources, so the source page's
/// resources, already written, need no change). Its content is the stream made once per reading
/// ([`body`]), in the space of the picture read; the form's /Matrix places it on the page, and its
/// box, the page in that space, clips it to the page. None when there is nothing to draw.
pub fn write_form<W: Write>(
    w: &mut PdfWriter<W>,
    text: &PageText,
    to_page: Matrix,
    font: u32,
    (pw, ph): (f32, f32),
) -> std::io::Result<Option<u32>> {
    if text.layer.is_empty() {
        return Ok(None);
    }
    let m = mul(text.to_source, to_page);
    let back = invert(m);
    let corners = [(0.0, 0.0), (pw, 0.0), (0.0, ph), (pw, ph)].map(|(x, y)| crate::geom::apply(back, x, y));
    let (xs, ys) = (corners.map(|c| c.0), corners.map(|c| c.1));
    let low = |v: [f32; 4]| v.into_iter().fold(f32::INFINITY, f32::min).floor();
    let high = |v: [f32; 4]| v.into_iter().fold(f32::NEG_INFINITY, f32::max).ceil();
    let bbox = [low(xs), low(ys), high(xs), high(ys)];
    let mut fonts = Dictionary::new();
    fonts.set(FONT_NAME, Object::Reference((font, 0)));
    let mut res = Dictionary::new();
    res.set("Font", Object::Dictionary(fonts));
    let mut d = Dictionary::new();
    d.set("Type", name("XObject"));
    d.set("Subtype", name("Form"));
    d.set("BBox", Object::Array(bbox.map(real).to_vec()));
    d.set("Matrix", Object::Array(m.map(real).to_vec()));
    d.set("Resources", Object::Dictionary(res));
    let id = w.alloc();
    w.write(id, &deflated(d, text.layer.clone()))?;
    Ok(Some(id))
}

/// The operators that draw the form written by [`write_form`].
pub fn draw() -> String {
    format!("q /{XOBJECT_NAME} Do Q\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{Line, Word};

    #[test]
    fn numbers_are_written_short() {
        let cases = [(0.0, "0"), (-0.001, "0"), (12.0, "12"), (12.5, "12.5"), (-3.25, "-3.25"), (0.07, "0.07")];
        for (v, s) in cases {
            assert_eq!(n(v), s, "{v}");
        }
        assert_eq!(n(841.889_95), "841.89");
        assert_eq!(n(-0.5), "-0.5");
    }

    fn word(t: &str, x0: f32, x1: f32) -> Word {
        Word { text: t.into(), x0, x1, conf: 90.0 }
    }

    #[test]
    fn chinese_runs_meet_and_latin_words_keep_their_spaces() {
        let lines = vec![Line {
            words: vec![word("关于", 100.0, 180.0), word("Web", 200.0, 260.0), word("课程", 270.0, 340.0)],
            top: 50.0,
            bottom: 90.0,
            left: 100.0,
            right: 340.0,
        }];
        let ops = ops(&lines, 1000);
        assert!(ops.contains("3 Tr"));
        // 关于 (two codes at half an em of 40) stretched from 100 to 200: 100 / 40 = 250 %.
        assert!(ops.contains("250 Tz 1 0 0 1 100 914.8 Tm <51734E8E> Tj"), "{ops}");
        // No space after Web: a Chinese word follows.
        assert!(ops.contains("<005700650062> Tj"), "{ops}");
        assert!(space_between("Web", "2023") && !space_between("Web", "课程") && !space_between("关于", "开展"));
    }

    #[test]
    fn the_form_is_placed_by_its_matrix_and_clipped_to_the_page() {
        let lines =
            vec![Line { words: vec![word("关于", 10.0, 50.0)], top: 10.0, bottom: 30.0, left: 10.0, right: 50.0 }];
        // A picture of 200 x 100 pixels turned a quarter onto a page of 100 x 200 points.
        let text = PageText {
            layer: body(&lines, 100),
            words: true,
            to_source: [1.0 / 200.0, 0.0, 0.0, 1.0 / 100.0, 0.0, 0.0],
            turn: 90,
        };
        let mut w = PdfWriter::new(Vec::new()).unwrap();
        let id = write_form(&mut w, &text, [0.0, -200.0, 100.0, 0.0, 0.0, 200.0], 7, (100.0, 200.0)).unwrap().unwrap();
        let (root, info) = (w.alloc(), w.alloc());
        w.write(root, &Object::Dictionary(Dictionary::new())).unwrap();
        w.write(info, &Object::Dictionary(Dictionary::new())).unwrap();
        let doc = lopdf::Document::load_mem(&w.finish(root, info).unwrap()).unwrap();
        let form = doc.get_object((id, 0)).unwrap().as_stream().unwrap();
        let nums = |k: &[u8]| -> Vec<f32> {
            form.dict.get(k).unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect()
        };
        assert_eq!(nums(b"Matrix"), [0.0, -1.0, 1.0, 0.0, 0.0, 200.0]);
        // The page in the picture's space: exactly the picture.
        assert_eq!(nums(b"BBox"), [0.0, 0.0, 200.0, 100.0]);
        let ops = String::from_utf8(form.decompressed_content().unwrap()).unwrap();
        assert!(ops.starts_with("BT 3 Tr\n/DossierOcrText 20 Tf\n") && ops.ends_with("ET\n"), "{ops}");

        let nothing = PageText { layer: body(&[], 100), ..text };
        assert_eq!(
            write_form(&mut PdfWriter::new(Vec::new()).unwrap(), &nothing, [1.0; 6], 7, (1.0, 1.0)).unwrap(),
            None
        );
    }
}
