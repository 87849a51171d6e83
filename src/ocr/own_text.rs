//! The lines of a PDF page that has text of its own (a born-digital document), with the size each
//! is set in, for titling an item by its heading without reading pictures. Only what a heading
//! needs is tracked: where each run of text starts, the size it shows at and what it says (through
//! the font's ToUnicode map or encoding, as lopdf decodes them). Runs are not advanced by their
//! glyphs' widths, so a line's words keep the order the page draws them in, which for the word
//! processors that make these files is reading order.

use super::{Line, Matrix, Word, mul};
use lopdf::content::Content;
use lopdf::{Document, Encoding, Object, ObjectId};
use std::collections::HashMap;

/// A run of text drawn on the page: its start (user space, y up), the size it shows at, its text.
struct Run {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn matrix(ops: &[Object]) -> Option<Matrix> {
    let v: Vec<f32> = ops.iter().filter_map(num).collect();
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

fn translate(tx: f32, ty: f32) -> Matrix {
    [1.0, 0.0, 0.0, 1.0, tx, ty]
}

/// The runs of text on the page, in the order they are drawn.
fn runs(doc: &Document, page: ObjectId) -> Vec<Run> {
    let Ok(content) = doc.get_and_decode_page_content(page) else { return Vec::new() };
    let fonts = doc.get_page_fonts(page).unwrap_or_default();
    let encodings: HashMap<Vec<u8>, Encoding> =
        fonts.iter().filter_map(|(name, f)| f.get_font_encoding(doc).ok().map(|e| (name.clone(), e))).collect();
    walk(&content, &encodings)
}

fn walk(content: &Content, encodings: &HashMap<Vec<u8>, Encoding>) -> Vec<Run> {
    let identity = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let (mut ctm, mut stack) = (identity, Vec::new());
    let (mut tm, mut tlm) = (identity, identity);
    let (mut font, mut size, mut leading) = (Vec::new(), 0.0f32, 0.0f32);
    let mut out = Vec::new();
    for op in &content.operations {
        let a = &op.operands;
        let mut shown: Vec<&[u8]> = Vec::new();
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(identity),
            "cm" => {
                if let Some(m) = matrix(a) {
                    ctm = mul(m, ctm);
                }
            }
            "BT" => (tm, tlm) = (identity, identity),
            "Tf" => {
                if let (Some(Object::Name(n)), Some(s)) = (a.first(), a.get(1).and_then(num)) {
                    (font, size) = (n.clone(), s);
                }
            }
            "TL" => leading = a.first().and_then(num).unwrap_or(leading),
            "Td" | "TD" => {
                let (tx, ty) = (a.first().and_then(num).unwrap_or(0.0), a.get(1).and_then(num).unwrap_or(0.0));
                if op.operator == "TD" {
                    leading = -ty;
                }
                tlm = mul(translate(tx, ty), tlm);
                tm = tlm;
            }
            "Tm" => {
                if let Some(m) = matrix(a) {
                    (tm, tlm) = (m, m);
                }
            }
            "T*" => {
                tlm = mul(translate(0.0, -leading), tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    tlm = mul(translate(0.0, -leading), tlm);
                    tm = tlm;
                }
                if let Some(Object::String(s, _)) = a.last() {
                    shown.push(s);
                }
            }
            "TJ" => {
                if let Some(Object::Array(parts)) = a.first() {
                    shown.extend(parts.iter().filter_map(|p| p.as_str().ok()));
                }
            }
            _ => {}
        }
        if shown.is_empty() {
            continue;
        }
        let Some(encoding) = encodings.get(&font) else { continue };
        let text: String =
            shown.iter().filter_map(|s| Document::decode_text(encoding, s).ok()).collect::<String>().trim().to_string();
        if text.is_empty() {
            continue;
        }
        let m = mul(tm, ctm);
        let shown_size = size.abs() * m[2].hypot(m[3]);
        out.push(Run { x: m[4], y: m[5], size: shown_size, text });
    }
    out
}

/// The page's lines, top to bottom, as the heading finder takes them (points down from `page_top`,
/// the top of its MediaBox).
/// Runs on the same baseline at the same size make one line.
pub fn lines(doc: &Document, page: ObjectId, page_top: f32) -> Vec<Line> {
    let mut lines: Vec<(f32, f32, Vec<Run>)> = Vec::new();
    for r in runs(doc, page) {
        if r.size < 1.0 {
            continue;
        }
        match lines.iter_mut().find(|(y, s, _)| (y - r.y).abs() < s * 0.3 && (s - r.size).abs() < s * 0.2) {
            Some(l) => l.2.push(r),
            None => lines.push((r.y, r.size, vec![r])),
        }
    }
    let mut out: Vec<Line> = lines
        .into_iter()
        .map(|(y, size, mut runs)| {
            runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            let words: Vec<Word> =
                runs.into_iter().map(|r| Word { text: r.text, x0: r.x, x1: r.x + r.size, conf: 100.0 }).collect();
            let (left, right) = (words.first().map_or(0.0, |w| w.x0), words.last().map_or(0.0, |w| w.x1));
            Line { words, top: page_top - y - 0.88 * size, bottom: page_top - y + 0.12 * size, left, right }
        })
        .collect();
    out.sort_by(|a, b| a.top.total_cmp(&b.top));
    out
}
