//! A source page's annotations on its binder page: moved with the content, links turned to the
//! copied target pages (or left out), form widgets numbered so their fields can name them.

use super::copy::{Copier, number, resolve};
use super::dests::{Names, link_dest, target_page};
use super::place::{Matrix, apply, geometry_turned, rect};
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
                let g = geometry_turned(doc, tp, style, names.turns.get(&target).copied().unwrap_or(0));
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
        if widget_no.is_some() {
            copier.fix_da(&mut d);
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
///
/// /XYZ, /FitH and /FitV name the view's top or left edge, and the viewer shows what lies below
/// or right of it. On a page the binder turns upright (/Rotate 90, 180, 270), what lay below the
/// source's edge lies above or left of the moved edge, so the moved destination would show the
/// wrong side of the spot. Those become /Fit (/FitB): the whole target page, the spot on it.
/// /FitR names a rectangle and moves exactly under any turn.
fn moved_dest(dest: &mut Vec<Object>, m: Matrix) {
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
    let upright = m[0] > 0.0 && m[3] > 0.0 && m[1] == 0.0 && m[2] == 0.0;
    let whole = |dest: &mut Vec<Object>, fit: &[u8]| {
        dest.truncate(1);
        dest.push(Object::Name(fit.to_vec()));
    };
    match kind.as_slice() {
        b"XYZ" | b"FitH" | b"FitV" if !upright => whole(dest, b"Fit"),
        b"FitBH" | b"FitBV" if !upright => whole(dest, b"FitB"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::place::{mul, rotation};

    fn dest(kind: &str, args: &[f32]) -> Vec<Object> {
        let mut d = vec![Object::Reference((7, 0)), Object::Name(kind.as_bytes().to_vec())];
        d.extend(args.iter().map(|&v| Object::Real(v)));
        d
    }

    fn reals(d: &[Object]) -> Vec<f32> {
        d[2..].iter().map(|o| number(o).unwrap_or(f32::NAN)).collect()
    }

    #[test]
    fn upright_pages_move_the_spot_with_the_content() {
        let m = [0.5, 0.0, 0.0, 0.5, 10.0, 20.0];
        let mut d = dest("XYZ", &[100.0, 700.0, 0.0]);
        moved_dest(&mut d, m);
        assert_eq!(reals(&d), vec![60.0, 370.0, 0.0]);
        let mut d = dest("FitH", &[700.0]);
        moved_dest(&mut d, m);
        assert_eq!((d[1].as_name().unwrap(), reals(&d)), (&b"FitH"[..], vec![370.0]));
    }

    #[test]
    fn turned_pages_show_the_whole_page_or_the_moved_rectangle() {
        for rot in [90, 180, 270] {
            let m = mul(rotation(rot, 0.0, 0.0, 842.0, 595.0), [0.6, 0.0, 0.0, 0.6, 30.0, 40.0]);
            for (kind, fit) in [("XYZ", "Fit"), ("FitH", "Fit"), ("FitV", "Fit"), ("FitBH", "FitB")] {
                let mut d = dest(kind, &[100.0, 500.0, 0.0][..if kind == "XYZ" { 3 } else { 1 }]);
                moved_dest(&mut d, m);
                assert_eq!(d.len(), 2, "{kind} on /Rotate {rot}: {d:?}");
                assert_eq!(d[1].as_name().unwrap(), fit.as_bytes());
            }
            let mut d = dest("FitR", &[100.0, 200.0, 300.0, 400.0]);
            moved_dest(&mut d, m);
            let r = reals(&d);
            let (a, b) = apply(m, 100.0, 200.0);
            let (c, e) = apply(m, 300.0, 400.0);
            assert_eq!(r, vec![a.min(c), b.min(e), a.max(c), b.max(e)], "FitR on /Rotate {rot}");
            assert!(r[0] < r[2] && r[1] < r[3]);
        }
    }
}
