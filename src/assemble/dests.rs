//! Link targets inside a source PDF. A link may name its target ("chapter2") instead of giving the
//! page; the name is looked up in the source's /Dests dictionary or /Names › /Dests tree, which stay
//! behind with the source's catalog. So every internal link is turned into an explicit destination
//! here, and the caller keeps it only if the target page is in the binder.

use super::copy::resolve;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;

/// A name tree this large is broken or hostile; real documents have hundreds of names.
const MAX_NODES: usize = 100_000;

/// The source's named destinations, read once per loaded document, and the pages of the run that
/// OCR turns upright: a destination on such a page is moved as its content is.
#[derive(Default)]
pub struct Names {
    map: HashMap<Vec<u8>, Object>,
    pub turns: HashMap<ObjectId, u16>,
}

impl Names {
    pub fn read(doc: &Document) -> Names {
        let mut map = HashMap::new();
        let Ok(catalog) = doc.catalog() else { return Names { map, turns: HashMap::new() } };
        // PDF 1.1: a dictionary from names to destinations.
        if let Ok(d) = catalog.get(b"Dests").map(|d| resolve(doc, d)).and_then(Object::as_dict) {
            for (k, v) in d.iter() {
                map.insert(k.clone(), v.clone());
            }
        }
        // PDF 1.2 on: a name tree under /Names › /Dests; later entries never override earlier.
        let tree = catalog
            .get(b"Names")
            .map(|n| resolve(doc, n))
            .and_then(Object::as_dict)
            .and_then(|n| n.get(b"Dests"))
            .map(|t| resolve(doc, t));
        let mut todo: Vec<&Object> = tree.into_iter().collect();
        let mut visited = 0;
        while let Some(node) = todo.pop() {
            visited += 1;
            if visited > MAX_NODES {
                break;
            }
            let Ok(node) = resolve(doc, node).as_dict() else { continue };
            if let Ok(pairs) = node.get(b"Names").map(|n| resolve(doc, n)).and_then(Object::as_array) {
                for pair in pairs.chunks(2) {
                    if let [Object::String(k, _), v] = pair {
                        map.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            if let Ok(kids) = node.get(b"Kids").map(|k| resolve(doc, k)).and_then(Object::as_array) {
                todo.extend(kids.iter());
            }
        }
        Names { map, turns: HashMap::new() }
    }

    /// The explicit destination ([page /Fit …]) a destination object stands for.
    pub fn explicit(&self, doc: &Document, dest: &Object) -> Option<Vec<Object>> {
        let mut d = resolve(doc, dest);
        for _ in 0..4 {
            d = match d {
                Object::Name(n) | Object::String(n, _) => resolve(doc, self.map.get(n)?),
                // A named destination may be a dictionary holding it under /D.
                Object::Dictionary(dict) => resolve(doc, dict.get(b"D").ok()?),
                Object::Array(a) => return Some(a.clone()),
                _ => return None,
            };
        }
        None
    }
}

/// The source page an explicit destination points at.
pub fn target_page(dest: &[Object]) -> Option<ObjectId> {
    dest.first()?.as_reference().ok()
}

/// The destination of a link annotation: its /Dest, or the /D of a GoTo action. None for links
/// that leave the document (web addresses, other files), which need no page.
pub fn link_dest(doc: &Document, annot: &Dictionary) -> Option<Object> {
    if let Ok(d) = annot.get(b"Dest") {
        return Some(d.clone());
    }
    let action = resolve(doc, annot.get(b"A").ok()?).as_dict().ok()?;
    match action.get(b"S").and_then(Object::as_name) {
        Ok(b"GoTo") => action.get(b"D").ok().cloned(),
        _ => None,
    }
}
