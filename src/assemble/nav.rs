//! Navigation: bookmarks, page labels, the 目录's links and the document information. krilla can
//! write outlines and labels, but only for its own pages; the targets here are pages of the merged
//! binder, so these few objects are written directly.

use crate::outline::Dossier;
use crate::plan::Plan;
use crate::typeset::contents::ContentsPage;
use crate::write::{PdfWriter, text_string};
use lopdf::{Dictionary, Object};
use std::io::Write;

/// Destination: the page, scrolled to `top` (PDF coordinates) when we know where the heading is.
fn dest(page: u32, top: Option<f32>) -> Object {
    Object::Array(vec![
        Object::Reference((page, 0)),
        Object::Name(b"XYZ".to_vec()),
        Object::Null,
        top.map(Object::Real).unwrap_or(Object::Null),
        Object::Null,
    ])
}

/// Where node `i` starts: its page object and the top to scroll to.
fn target(plan: &Plan, i: usize, page_ids: &[u32], sizes: &[(f32, f32)]) -> Object {
    let n = &plan.nodes[i];
    let index = (plan.front_pages() + n.start).min(page_ids.len() - 1);
    let h = sizes[index].1;
    let top = n.y.map(|y| h - y + 6.0).unwrap_or(h);
    dest(page_ids[index], Some(top))
}

pub fn contents_links(plan: &Plan, cp: &ContentsPage, page_ids: &[u32], sizes: &[(f32, f32)]) -> Vec<Object> {
    let h = sizes.first().map(|s| s.1).unwrap_or(crate::typeset::A4.1);
    cp.links
        .iter()
        .map(|&(i, [x0, y0, x1, y1])| {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"Annot".to_vec()));
            d.set("Subtype", Object::Name(b"Link".to_vec()));
            d.set("Rect", Object::Array([x0, h - y1, x1, h - y0].iter().map(|v| Object::Real(*v)).collect()));
            d.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
            d.set("Dest", target(plan, i, page_ids, sizes));
            Object::Dictionary(d)
        })
        .collect()
}

/// The bookmark tree: 目录 first, then parts › sections › evidence, each to where it starts.
pub fn outline<W: Write>(
    w: &mut PdfWriter<W>,
    plan: &Plan,
    page_ids: &[u32],
    sizes: &[(f32, f32)],
) -> std::io::Result<u32> {
    let root = w.alloc();
    let n = plan.nodes.len();
    let ids: Vec<u32> = (0..=n).map(|_| w.alloc()).collect(); // ids[0]: the 目录 bookmark
    // Children per parent (None = top level), in order.
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    let mut top = vec![0usize];
    for (i, node) in plan.nodes.iter().enumerate() {
        match node.parent {
            Some(p) => kids[p + 1].push(i + 1),
            None => top.push(i + 1),
        }
    }
    kids[0] = Vec::new();
    let mut parent_of = vec![root; n + 1];
    for (p, ks) in kids.iter().enumerate() {
        for &k in ks {
            parent_of[k] = ids[p];
        }
    }
    let write_list = |w: &mut PdfWriter<W>, list: &[usize], parent: u32| -> std::io::Result<()> {
        for (j, &k) in list.iter().enumerate() {
            let mut d = Dictionary::new();
            if k == 0 {
                d.set("Title", text_string("目录"));
                d.set("Dest", dest(page_ids[1.min(page_ids.len() - 1)], None));
            } else {
                let node = &plan.nodes[k - 1];
                d.set("Title", text_string(&node.title));
                d.set("Dest", target(plan, k - 1, page_ids, sizes));
                if let (Some(&f), Some(&l)) = (kids[k].first(), kids[k].last()) {
                    d.set("First", Object::Reference((ids[f], 0)));
                    d.set("Last", Object::Reference((ids[l], 0)));
                    let count = kids[k].len() as i64;
                    d.set("Count", Object::Integer(if node.level == 0 { count } else { -count }));
                }
            }
            d.set("Parent", Object::Reference((parent, 0)));
            if j > 0 {
                d.set("Prev", Object::Reference((ids[list[j - 1]], 0)));
            }
            if j + 1 < list.len() {
                d.set("Next", Object::Reference((ids[list[j + 1]], 0)));
            }
            w.write(ids[k], &Object::Dictionary(d))?;
        }
        Ok(())
    };
    write_list(w, &top, root)?;
    for k in 1..=n {
        if !kids[k].is_empty() {
            write_list(w, &kids[k], parent_of[kids[k][0]])?;
        }
    }
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Outlines".to_vec()));
    d.set("First", Object::Reference((ids[top[0]], 0)));
    d.set("Last", Object::Reference((ids[*top.last().unwrap_or(&0)], 0)));
    // Parts are open, deeper levels closed: what shows is the top level and the parts' children.
    let shown: i64 =
        top.iter().map(|&k| 1 + if k > 0 && plan.nodes[k - 1].level == 0 { kids[k].len() as i64 } else { 0 }).sum();
    d.set("Count", Object::Integer(shown));
    w.write(root, &Object::Dictionary(d))?;
    Ok(root)
}

/// Page labels matching what is printed: the cover is "封面", the contents i, ii, …, the body 1, 2, ….
pub fn page_labels(plan: &Plan) -> Object {
    let mut cover = Dictionary::new();
    cover.set("P", text_string("封面"));
    let mut roman = Dictionary::new();
    roman.set("S", Object::Name(b"r".to_vec()));
    let mut body = Dictionary::new();
    body.set("S", Object::Name(b"D".to_vec()));
    if plan.first != 1 {
        body.set("St", Object::Integer(plan.first as i64));
    }
    let mut labels = Dictionary::new();
    labels.set(
        "Nums",
        Object::Array(vec![
            0.into(),
            Object::Dictionary(cover),
            1.into(),
            Object::Dictionary(roman),
            (plan.front_pages() as i64).into(),
            Object::Dictionary(body),
        ]),
    );
    Object::Dictionary(labels)
}

pub fn info(dossier: &Dossier) -> Dictionary {
    let mut d = Dictionary::new();
    let title = match dossier.volume {
        Some(v) => format!("{} {}", dossier.title, crate::typeset::volume_label(v.index, v.count)),
        None => dossier.title.clone(),
    };
    d.set("Title", text_string(&title));
    if let Some(org) = &dossier.cover.organization {
        d.set("Author", text_string(org));
    }
    if let Some(p) = &dossier.cover.project {
        d.set("Subject", text_string(p));
    }
    d.set("Creator", text_string("dossier"));
    d.set("Producer", text_string(concat!("dossier ", env!("CARGO_PKG_VERSION"))));
    // Reproducible builds: a date only when the environment fixes one.
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()) {
        d.set("CreationDate", Object::string_literal(pdf_date(t)));
    }
    d
}

fn pdf_date(t: i64) -> String {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("D:{y:04}{m:02}{d:02}{:02}{:02}{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}
