//! Placing a source page on a binder page. The source is scaled, never rasterised, to fit above the
//! page-number band, turned upright by its /Rotate, and centred; the page number is drawn in the
//! band as a small form XObject. Every binder page thus has /Rotate 0 and the number in reading
//! orientation, whatever the source did.

use super::annots::annotations;
use super::copy::{Copier, number, resolve};
use super::dests::Names;
use crate::typeset::{A4, Style};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::io::Write;

pub use crate::geom::{Matrix, apply, mul};

pub fn cm(m: Matrix) -> String {
    let f = |v: f32| {
        let s = format!("{:.4}", v);
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        if s == "-0" { "0".to_string() } else { s }
    };
    format!("{} {} {} {} {} {} cm", f(m[0]), f(m[1]), f(m[2]), f(m[3]), f(m[4]), f(m[5]))
}

/// The binder page for a visual size: A4 in the same orientation.
pub fn page_for(visual_w: f32, visual_h: f32) -> (f32, f32) {
    if visual_w > visual_h { (A4.1, A4.0) } else { A4 }
}

/// Where content of visual size (vw, vh) goes on a page of size (pw, ph): scaled to fit above the
/// band, centred. Returns (scale, x, y) of the lower-left corner.
pub fn fit(style: &Style, pw: f32, ph: f32, vw: f32, vh: f32) -> (f32, f32, f32) {
    let band = style.band_for(ph);
    let avail_h = ph - band;
    let s = (pw / vw).min(avail_h / vh);
    (s, (pw - vw * s) / 2.0, band + (avail_h - vh * s) / 2.0)
}

/// The matrix turning the box (x0, y0, w, h) rotated clockwise by `rot` into visual space
/// [0, vw] × [0, vh] with the origin at the lower left.
pub fn rotation(rot: i64, x0: f32, y0: f32, w: f32, h: f32) -> Matrix {
    let t = [1.0, 0.0, 0.0, 1.0, -x0, -y0];
    let r = match rot {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, w],
        180 => [-1.0, 0.0, 0.0, -1.0, w, h],
        270 => [0.0, 1.0, -1.0, 0.0, h, 0.0],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    mul(t, r)
}

/// A page attribute, looked up the page tree as PDF's inheritance rules say.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Ok(v) = d.get(key) {
            return Some(v);
        }
        let parent = d.get(b"Parent").ok()?;
        d = resolve(doc, parent).as_dict().ok()?;
    }
    None
}

pub fn rect(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let a = resolve(doc, o?).as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().map(|x| number(resolve(doc, x))).collect::<Option<_>>()?;
    let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0).then_some(r)
}

/// The binder page being written: its object number and its parent in the page tree.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub id: u32,
    pub parent: u32,
}

/// A page's invisible text (`--ocr`) and the object number of its font.
pub type TextLayer<'a> = (&'a crate::ocr::PageText, u32);

pub struct Stamp {
    /// Output object number of the number's form XObject.
    pub xobject: u32,
    /// The printed number (its parity picks the side).
    pub number: u32,
    pub width: f32,
    /// Output object number of the note for a page whose content was lost to damage.
    pub note: Option<u32>,
}

/// Where the stamp's box goes on a page of width `pw`: against the outer margin of odd/even pages.
/// Where the stamp's box goes on a page of size (pw, ph). The box is drawn for a standard page;
/// on a shorter one it moves down with the number's baseline.
pub fn stamp_matrix(style: &Style, stamp: &Stamp, pw: f32, ph: f32) -> Matrix {
    let dy = style.number_baseline_from_bottom(ph) - style.number_baseline_from_bottom(style.page.1);
    [1.0, 0.0, 0.0, 1.0, style.number_x(pw, stamp.number, stamp.width), dy]
}

pub fn stamp_ops(style: &Style, stamp: &Stamp, pw: f32, ph: f32) -> String {
    format!("q {} /DossierPageNo Do Q\n", cm(stamp_matrix(style, stamp, pw, ph)))
}

fn content_stream(ops: String) -> Object {
    Object::Stream(Stream::new(Dictionary::new(), ops.into_bytes()))
}

/// Where a source page goes: the binder page's size, the source's visible box, and the matrix
/// taking source coordinates onto the binder page.
pub struct Geometry {
    pub size: (f32, f32),
    pub clip: [f32; 4],
    pub m: Matrix,
}

/// `turn`: degrees clockwise the page is turned further (one OCR found standing on its head or
/// side), 0 for none.
pub fn geometry_turned(doc: &Document, page: &Dictionary, style: &Style, turn: u16) -> Geometry {
    let media = rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, A4.0, A4.1]);
    let crop = rect(doc, inherited(doc, page, b"CropBox"))
        .map(|c| [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])])
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(media);
    let rot = inherited(doc, page, b"Rotate").and_then(|r| number(resolve(doc, r))).unwrap_or(0.0) as i64;
    let rot = (((rot % 360 + 360) % 360 + 45) / 90 * 90 + turn as i64) % 360;
    let (x0, y0, w0, h0) = (crop[0], crop[1], crop[2] - crop[0], crop[3] - crop[1]);
    let (vw, vh) = if rot % 180 == 90 { (h0, w0) } else { (w0, h0) };
    let ((pw, ph), (s, ox, oy)) = if style.keep_page_sizes {
        // The page keeps its size; its content is fitted above the number's band as on A4. Its
        // own bottom margin is usually empty, but not always: of 186 real pages kept 1:1 (the
        // realworld samples and a small case), 3 had content in the band and 1 under the number
        // itself. Fitted, none has.
        ((vw, vh), fit(style, vw, vh, vw, vh))
    } else {
        let (pw, ph) = page_for(vw, vh);
        ((pw, ph), fit(style, pw, ph, vw, vh))
    };
    Geometry { size: (pw, ph), clip: [x0, y0, w0, h0], m: mul(rotation(rot, x0, y0, w0, h0), [s, 0.0, 0.0, s, ox, oy]) }
}

/// The content streams of a source page. Only streams: a damaged reference naming some other
/// object would make the page unreadable.
pub(super) fn content_ids(doc: &Document, page: &Dictionary) -> Vec<ObjectId> {
    let refs: Vec<Object> = match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.objects.get(id) {
            Some(Object::Array(a)) => a.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    refs.iter()
        .filter_map(|r| r.as_reference().ok())
        .filter(|id| matches!(doc.objects.get(id), Some(Object::Stream(_))))
        .collect()
}

/// A source page's resources, inherited ones included, without the XObjects of ours a binder
/// fed back in would bring.
pub(super) fn resources(doc: &Document, page: &Dictionary) -> Dictionary {
    let mut res = inherited(doc, page, b"Resources")
        .map(|r| resolve(doc, r))
        .and_then(|r| r.as_dict().ok())
        .cloned()
        .unwrap_or_default();
    let mut xobjects =
        res.get(b"XObject").ok().map(|x| resolve(doc, x)).and_then(|x| x.as_dict().ok()).cloned().unwrap_or_default();
    xobjects.remove(b"DossierPageNo");
    xobjects.remove(b"DossierDamaged");
    xobjects.remove(crate::ocr::layer::XOBJECT_NAME.as_bytes());
    res.set("XObject", Object::Dictionary(xobjects));
    res
}

/// Copy page `page_id` of `doc` as a new binder page numbered `out_id`.
#[allow(clippy::too_many_arguments)]
pub fn place_pdf_page<W: Write>(
    doc: &mut Document,
    page_id: ObjectId,
    slot: Slot,
    copier: &mut Copier,
    names: &Names,
    w: &mut PdfWriter<W>,
    style: &Style,
    (stamp, text): (&Stamp, Option<TextLayer>),
) -> std::io::Result<(f32, f32)> {
    let page = doc.objects.get(&page_id).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
    let page = &page;
    let turn = text.map(|t| t.0.turn).unwrap_or(0);
    let Geometry { size: (pw, ph), clip: [x0, y0, w0, h0], m } = geometry_turned(doc, page, style, turn);

    // Contents: our prefix, the source's streams untouched (mended if damaged), our suffix with
    // the number.
    let found_before = copier.found.len();
    let prefix = w.alloc();
    w.write(prefix, &content_stream(format!("q {}\n{x0} {y0} {w0} {h0} re W n\n", cm(m))))?;
    let mut contents = vec![Object::Reference((prefix, 0))];
    let ids = content_ids(doc, page);
    for &id in &ids {
        copier.mark_content(id);
        if let Some(n) = copier.copy(doc, w, id)? {
            contents.push(Object::Reference((n, 0)));
        }
    }
    // Nothing of the page's own content could be saved: say so on the page, not a blank.
    let emptied = !ids.is_empty() && ids.iter().all(|id| copier.damaged.get(id) == Some(&0));
    let note = stamp.note.filter(|_| emptied);
    let note_ops = match note {
        Some(_) => {
            let (nw, nh) = crate::render::NOTE_SIZE;
            format!("q 1 0 0 1 {} {} cm /DossierDamaged Do Q\n", (pw - nw) / 2.0, (ph - nh) / 2.0)
        }
        None => String::new(),
    };
    let layer = match text {
        Some((t, font)) => crate::ocr::layer::write_form(w, t, m, font, (pw, ph))?,
        None => None,
    };
    let draw_layer = if layer.is_some() { crate::ocr::layer::draw() } else { String::new() };
    let suffix = w.alloc();
    w.write(suffix, &content_stream(format!("\nQ\n{note_ops}{draw_layer}{}", stamp_ops(style, stamp, pw, ph))))?;
    contents.push(Object::Reference((suffix, 0)));

    // Resources: a copy per page, since ours adds the number's XObject to them.
    let res = {
        let res = resources(doc, page);
        let mut res = copier.rewrite(doc, w, Object::Dictionary(res))?;
        if let Object::Dictionary(d) = &mut res
            && let Ok(Object::Dictionary(x)) = d.get_mut(b"XObject")
        {
            x.set("DossierPageNo", Object::Reference((stamp.xobject, 0)));
            if let Some(n) = note {
                x.set("DossierDamaged", Object::Reference((n, 0)));
            }
            if let Some(l) = layer {
                x.set(crate::ocr::layer::XOBJECT_NAME, Object::Reference((l, 0)));
            }
        }
        res
    };

    let mut out = Dictionary::new();
    out.set("Type", Object::Name(b"Page".to_vec()));
    out.set("Parent", Object::Reference((slot.parent, 0)));
    out.set("MediaBox", Object::Array(vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)]));
    out.set("Resources", res);
    out.set("Contents", Object::Array(contents));
    if let Ok(g) = page.get(b"Group") {
        out.set("Group", copier.rewrite(doc, w, g.clone())?);
    }
    let annots = annotations(doc, page, slot.id, m, copier, names, style, w)?;
    if !annots.is_empty() {
        out.set("Annots", Object::Array(annots));
    }
    w.write(slot.id, &Object::Dictionary(out))?;
    let damaged = copier.found.len() > found_before || ids.iter().any(|id| copier.damaged.contains_key(id));
    copier.page_damaged = damaged.then_some(emptied);
    Ok((pw, ph))
}
