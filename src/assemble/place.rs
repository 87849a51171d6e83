//! Placing a source page on a binder page. The source is scaled, never rasterised, to fit above the
//! page-number band, turned upright by its /Rotate, and centred; the page number is drawn in the
//! band as a small form XObject. Every binder page thus has /Rotate 0 and the number in reading
//! orientation, whatever the source did.

use super::copy::{Copier, number, resolve};
use super::dests::{Names, link_dest, target_page};
use crate::typeset::{A4, Style};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::io::Write;

pub type Matrix = [f32; 6];

pub fn mul(a: Matrix, b: Matrix) -> Matrix {
    // a then b (row vectors, as PDF's cm composes)
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

pub fn apply(m: Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

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

fn rect(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
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

pub struct Stamp {
    /// Output object number of the number's form XObject.
    pub xobject: u32,
    /// The printed number (its parity picks the side).
    pub number: u32,
    pub width: f32,
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

pub fn geometry(doc: &Document, page: &Dictionary, style: &Style) -> Geometry {
    let media = rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, A4.0, A4.1]);
    let crop = rect(doc, inherited(doc, page, b"CropBox"))
        .map(|c| [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])])
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(media);
    let rot = inherited(doc, page, b"Rotate").and_then(|r| number(resolve(doc, r))).unwrap_or(0.0) as i64;
    let rot = ((rot % 360 + 360) % 360 + 45) / 90 * 90 % 360;
    let (x0, y0, w0, h0) = (crop[0], crop[1], crop[2] - crop[0], crop[3] - crop[1]);
    let (vw, vh) = if rot % 180 == 90 { (h0, w0) } else { (w0, h0) };
    let ((pw, ph), (s, ox, oy)) = if style.keep_page_sizes {
        // The page as it was; the number sits in its own bottom margin.
        ((vw, vh), (1.0, 0.0, 0.0))
    } else {
        let (pw, ph) = page_for(vw, vh);
        ((pw, ph), fit(style, pw, ph, vw, vh))
    };
    Geometry { size: (pw, ph), clip: [x0, y0, w0, h0], m: mul(rotation(rot, x0, y0, w0, h0), [s, 0.0, 0.0, s, ox, oy]) }
}

/// Number the widget annotations of a page before anything of the page is written (see
/// `Copier::widgets`).
pub fn number_widgets<W: Write>(doc: &Document, page_id: ObjectId, copier: &mut Copier, w: &mut PdfWriter<W>) {
    let Ok(page) = doc.get_dictionary(page_id) else { return };
    let Some(list) = page.get(b"Annots").ok().map(|a| resolve(doc, a)).and_then(|a| a.as_array().ok()) else {
        return;
    };
    for a in list {
        if let Object::Reference(id) = a
            && let Ok(d) = resolve(doc, a).as_dict()
            && d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Widget")
            && rect(doc, d.get(b"Rect").ok()).is_some()
            && !copier.widgets.contains_key(id)
        {
            let n = w.alloc();
            copier.widgets.insert(*id, n);
        }
    }
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
    stamp: &Stamp,
) -> std::io::Result<(f32, f32)> {
    let page = doc.objects.get(&page_id).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
    let page = &page;
    let Geometry { size: (pw, ph), clip: [x0, y0, w0, h0], m } = geometry(doc, page, style);

    // Contents: our prefix, the source's streams untouched, our suffix with the number.
    let prefix = w.alloc();
    w.write(prefix, &content_stream(format!("q {}\n{x0} {y0} {w0} {h0} re W n\n", cm(m))))?;
    let mut contents = vec![Object::Reference((prefix, 0))];
    let refs: Vec<Object> = match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.objects.get(id) {
            Some(Object::Array(a)) => a.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    for r in refs {
        if let Object::Reference(id) = r
            && let Some(n) = copier.copy(doc, w, id)?
        {
            contents.push(Object::Reference((n, 0)));
        }
    }
    let suffix = w.alloc();
    w.write(suffix, &content_stream(format!("\nQ\n{}", stamp_ops(style, stamp, pw, ph))))?;
    contents.push(Object::Reference((suffix, 0)));

    // Resources: a copy per page, since ours adds the number's XObject to them.
    let mut res = inherited(doc, page, b"Resources")
        .map(|r| resolve(doc, r))
        .and_then(|r| r.as_dict().ok())
        .cloned()
        .unwrap_or_default();
    let mut xobjects =
        res.get(b"XObject").ok().map(|x| resolve(doc, x)).and_then(|x| x.as_dict().ok()).cloned().unwrap_or_default();
    xobjects.remove(b"DossierPageNo");
    let res = {
        res.set("XObject", Object::Dictionary(xobjects));
        let mut res = copier.rewrite(doc, w, Object::Dictionary(res))?;
        if let Object::Dictionary(d) = &mut res
            && let Ok(Object::Dictionary(x)) = d.get_mut(b"XObject")
        {
            x.set("DossierPageNo", Object::Reference((stamp.xobject, 0)));
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
    Ok((pw, ph))
}

/// The page's annotations, each a fresh copy with its rectangle moved where the content went, so
/// links still sit over their text and still work.
#[allow(clippy::too_many_arguments)]
fn annotations<W: Write>(
    doc: &mut Document,
    page: &Dictionary,
    out_id: u32,
    m: Matrix,
    copier: &mut Copier,
    names: &Names,
    style: &Style,
    w: &mut PdfWriter<W>,
) -> std::io::Result<Vec<Object>> {
    let mut out = Vec::new();
    let Some(list) = page.get(b"Annots").ok().map(|a| resolve(doc, a)).and_then(|a| a.as_array().ok()).cloned() else {
        return Ok(out);
    };
    for a in &list {
        let Ok(d) = resolve(doc, a).as_dict() else { continue };
        let mut d = d.clone();
        // A popup is tied to its parent annotation; it would need both copied as a pair.
        if d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Popup") {
            continue;
        }
        d.remove(b"Popup");
        d.remove(b"P");
        // A link inside the file goes to the page where its target landed, or is left out: a link
        // to a page not in the binder would lead nowhere.
        if let Some(dest) = link_dest(doc, &d) {
            let explicit = names.explicit(doc, &dest);
            let Some((target, mut explicit)) =
                explicit.and_then(|e| target_page(&e).filter(|p| copier.pages.contains_key(p)).map(|p| (p, e)))
            else {
                continue;
            };
            if let Ok(tp) = doc.get_dictionary(target) {
                let g = geometry(doc, tp, style);
                moved_dest(&mut explicit, g.m);
            }
            d.remove(b"A");
            d.set("Dest", Object::Array(explicit));
        }
        // Looked up, not taken, until the copy is written: the field's /Kids must find it too.
        let widget_id = match a {
            Object::Reference(id) => copier.widgets.get(id).map(|&n| (*id, n)),
            _ => None,
        };
        let widget_no = widget_id.map(|(_, n)| n);
        // A widget that is a whole field by itself is a top-level field: it gets the run's prefix.
        if widget_no.is_some() && !d.has(b"Parent") && (d.has(b"T") || d.has(b"FT")) {
            copier.rename(&mut d);
        }
        if let Some(r) = rect(doc, d.get(b"Rect").ok()) {
            let pts = [apply(m, r[0], r[1]), apply(m, r[2], r[3]), apply(m, r[0], r[3]), apply(m, r[2], r[1])];
            let xs = pts.iter().map(|p| p.0);
            let ys = pts.iter().map(|p| p.1);
            let nr = [
                xs.clone().fold(f32::MAX, f32::min),
                ys.clone().fold(f32::MAX, f32::min),
                xs.fold(f32::MIN, f32::max),
                ys.fold(f32::MIN, f32::max),
            ];
            d.set("Rect", Object::Array(nr.iter().map(|v| Object::Real(*v)).collect()));
        } else {
            continue;
        }
        if let Ok(q) = d.get(b"QuadPoints").map(|q| resolve(doc, q)).and_then(|q| q.as_array()) {
            let v: Vec<f32> = q.iter().filter_map(|x| number(resolve(doc, x))).collect();
            let moved: Vec<Object> = v
                .chunks(2)
                .filter(|c| c.len() == 2)
                .flat_map(|c| {
                    let (x, y) = apply(m, c[0], c[1]);
                    [Object::Real(x), Object::Real(y)]
                })
                .collect();
            d.set("QuadPoints", Object::Array(moved));
        }
        let mut obj = copier.rewrite(doc, w, Object::Dictionary(d))?;
        if let Object::Dictionary(dd) = &mut obj {
            dd.set("P", Object::Reference((out_id, 0)));
        }
        let n = widget_no.unwrap_or_else(|| w.alloc());
        if widget_no.is_some()
            && let Object::Dictionary(dd) = &obj
            && !dd.has(b"Parent")
            && (dd.has(b"T") || dd.has(b"FT"))
        {
            copier.top_fields.push(n);
        }
        w.write(n, &obj)?;
        // The same page twice in a run gets widgets of its own the second time.
        if let Some((id, _)) = widget_id {
            copier.widgets.remove(&id);
        }
        out.push(Object::Reference((n, 0)));
    }
    Ok(out)
}

/// An explicit destination's coordinates moved with its page: [page /XYZ left top zoom] and the
/// /FitH, /FitV, /FitR forms name places on the source page.
fn moved_dest(dest: &mut [Object], m: Matrix) {
    let kind = dest.get(1).and_then(|k| k.as_name().ok()).map(|k| k.to_vec()).unwrap_or_default();
    let num = |o: Option<&Object>| o.and_then(number);
    let point = |x: Option<f32>, y: Option<f32>| apply(m, x.unwrap_or(0.0), y.unwrap_or(0.0));
    let set = |dest: &mut [Object], i: usize, v: f32| {
        if let Some(slot) = dest.get_mut(i)
            && !matches!(slot, Object::Null)
        {
            *slot = Object::Real(v);
        }
    };
    match kind.as_slice() {
        b"XYZ" => {
            let (x, y) = point(num(dest.get(2)), num(dest.get(3)));
            set(dest, 2, x);
            set(dest, 3, y);
        }
        b"FitH" | b"FitBH" => {
            let (_, y) = point(None, num(dest.get(2)));
            set(dest, 2, y);
        }
        b"FitV" | b"FitBV" => {
            let (x, _) = point(num(dest.get(2)), None);
            set(dest, 2, x);
        }
        b"FitR" => {
            let (a, b) = point(num(dest.get(2)), num(dest.get(3)));
            let (c, d) = point(num(dest.get(4)), num(dest.get(5)));
            for (i, v) in [a.min(c), b.min(d), a.max(c), b.max(d)].into_iter().enumerate() {
                set(dest, 2 + i, v);
            }
        }
        _ => {}
    }
}
