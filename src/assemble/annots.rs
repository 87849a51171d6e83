//! A source page's annotations on its binder page: moved with the content, links turned to the
//! copied target pages (or left out), form widgets numbered so their fields can name them.

use super::copy::{Copier, number, resolve};
use super::dests::{Names, link_dest, target_page};
use super::place::{Matrix, apply, geometry, rect};
use crate::typeset::Style;
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::io::Write;

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

/// The page's annotations, each a fresh copy with its rectangle moved where the content went, so
/// links still sit over their text and still work.
#[allow(clippy::too_many_arguments)]
pub fn annotations<W: Write>(
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
        let is_link = d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Link");
        if is_link && let Some(dest) = link_dest(doc, &d) {
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
