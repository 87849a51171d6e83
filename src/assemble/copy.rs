//! Copying objects from a loaded PDF into the output, renumbered. Only what a page reaches is
//! copied (walking references, never up through /Parent to the source's page tree or catalog), so
//! the source's unused objects, object streams and xref streams stay behind. Copied streams are
//! moved out of the loaded document rather than cloned. Every stream's filters are decoded once on
//! its way through (nothing of it held), and one whose data is damaged is written again mended.

use crate::sources::pdf::damage::{self, Verdict};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

/// Renumbers one source document's objects into the output. Kept per file across references, so a
/// document used twice shares its fonts and images instead of storing them twice.
#[derive(Default)]
pub struct Copier {
    map: HashMap<ObjectId, u32>,
    /// Source pages placed in the current run of pages, for link destinations inside the file.
    pub pages: HashMap<ObjectId, u32>,
    /// The file the document was loaded from, when its large streams were left there.
    pub file: Option<PathBuf>,
    /// The whole document, loaded only if a stream could not be read back from the file.
    full: Option<Document>,
    handle: Option<std::fs::File>,
    /// Widget annotations of the pages in the current run, numbered before any is written: a form
    /// field's /Kids must name the very objects the pages list in /Annots.
    pub widgets: HashMap<ObjectId, u32>,
    /// Form fields copied in this run, forgotten when the run ends: the next reference to the same
    /// file gets fields of its own.
    fields: Vec<ObjectId>,
    /// Top-level fields of this run, renamed with `prefix`.
    top: HashSet<ObjectId>,
    /// Output numbers of the renamed top-level fields, for the binder's /AcroForm.
    pub top_fields: Vec<u32>,
    /// Put before every top-level field name of the run, so forms from different files (or the same
    /// file twice) never share a field.
    pub prefix: String,
    /// Form fonts renamed for this run (see `Form::begin_run`), old name to new.
    pub da_renames: HashMap<Vec<u8>, Vec<u8>>,
    /// Fonts the /DA of copied fields and widgets name, for the binder's /DR.
    pub da_fonts: BTreeSet<Vec<u8>>,
    /// Streams whose data was damaged, with the decoded bytes their mended copies hold (0: none
    /// of it could be saved).
    pub damaged: HashMap<ObjectId, usize>,
    /// The damaged streams in the order they were found, for telling which page found them.
    pub found: Vec<ObjectId>,
    /// Page content streams: a damaged one is cut between operators.
    content: HashSet<ObjectId>,
    /// What the page placed last came to: None when whole, Some(true) when none of its content
    /// could be saved (it shows the note instead), Some(false) when what could be saved shows.
    pub page_damaged: Option<bool>,
    /// Image streams of the file an earlier build found whole.
    pub verdicts: Option<super::verdicts::Verdicts>,
}

impl Copier {
    /// Start a run of pages from this file: fields get fresh copies under a new name prefix.
    pub fn begin_run(&mut self, prefix: String) {
        for id in self.fields.drain(..) {
            self.map.remove(&id);
        }
        self.top.clear();
        self.widgets.clear();
        self.pages.clear();
        self.da_renames.clear();
        self.prefix = prefix;
    }

    /// A field's or widget's default appearance, with its font renamed if this run renamed it.
    pub fn fix_da(&mut self, d: &mut Dictionary) {
        let Ok(Object::String(da, _)) = d.get(b"DA") else { return };
        let Some(mut font) = super::forms::da_font(da) else { return };
        if let Some(new) = self.da_renames.get(&font) {
            d.set("DA", Object::string_literal(super::forms::da_renamed(da, new)));
            font = new.clone();
        }
        self.da_fonts.insert(font);
    }

    /// Rename a top-level field so it is unique in the binder.
    pub fn rename(&self, d: &mut Dictionary) {
        let old = match d.get(b"T") {
            Ok(Object::String(b, _)) => b.clone(),
            _ => Vec::new(),
        };
        let name = if old.starts_with(&[0xFE, 0xFF]) {
            let mut v = vec![0xFE, 0xFF];
            v.extend(self.prefix.encode_utf16().flat_map(|u| u.to_be_bytes()));
            v.extend_from_slice(&old[2..]);
            v
        } else {
            [self.prefix.as_bytes(), &old].concat()
        };
        d.set("T", Object::String(name, lopdf::StringFormat::Literal));
    }

    /// Mark `id` as a page's content stream, before it is copied.
    pub fn mark_content(&mut self, id: ObjectId) {
        self.content.insert(id);
    }

    fn plan(&self, id: ObjectId, dict: &Dictionary) -> Option<damage::Plan> {
        damage::Plan::of(dict, damage::role(dict, self.content.contains(&id)))
    }

    /// Mend a stream held in memory if its data is damaged. Content must also parse: a flipped
    /// byte in text that still inflates leaves a stray `)` that every checker reports.
    fn mend_held(&mut self, id: ObjectId, s: &mut lopdf::Stream) {
        let Some(plan) = self.plan(id, &s.dict) else { return };
        let content = plan.role() == damage::Role::Content;
        if self.verdicts.as_ref().is_some_and(|v| v.held_whole(id, content)) {
            return;
        }
        match plan.check(&s.content) {
            Verdict::Damaged { good } => {
                let (data, kept) = plan.mend(&mut s.dict, s.content.as_slice(), good);
                s.content = data;
                self.damaged.insert(id, kept);
                self.found.push(id);
            }
            _ => {
                if let Some(v) = self.verdicts.as_mut() {
                    v.found_held_whole(id, content);
                }
            }
        }
    }

    /// Rewrite the references inside `obj` to output numbers, copying what they point at.
    pub fn rewrite<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        obj: Object,
    ) -> std::io::Result<Object> {
        let mut queue = Vec::new();
        let out = self.map_refs(doc, w, obj, &mut queue);
        self.drain(doc, w, queue)?;
        Ok(out)
    }

    /// The output number of a source object, copying it (and what it reaches) if not done yet.
    pub fn copy<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        id: ObjectId,
    ) -> std::io::Result<Option<u32>> {
        match self.rewrite(doc, w, Object::Reference(id))? {
            Object::Reference((n, _)) => Ok(Some(n)),
            _ => Ok(None),
        }
    }

    // Iterative rather than recursive: a long chain of objects (annotation lists, outline items)
    // must not overflow the stack.
    fn drain<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        mut queue: Vec<(ObjectId, u32)>,
    ) -> std::io::Result<()> {
        while let Some((src, dst)) = queue.pop() {
            // Streams are taken, not cloned: each is written once per file, and scans are large.
            // Dictionaries stay, since a page may still look one up (shared /Resources).
            let mut obj = match doc.objects.get(&src) {
                Some(Object::Stream(_)) => match doc.objects.remove(&src) {
                    Some(Object::Stream(mut s)) => {
                        if self.write_from_file(doc, w, src, dst, &mut s, &mut queue)? {
                            continue;
                        }
                        self.mend_held(src, &mut s);
                        Object::Stream(s)
                    }
                    o => o.unwrap_or(Object::Null),
                },
                Some(o) => o.clone(),
                None => Object::Null,
            };
            if self.top.contains(&src)
                && let Object::Dictionary(d) = &mut obj
            {
                self.rename(d);
            }
            if let Object::Dictionary(d) = &mut obj
                && d.has(b"DA")
            {
                self.fix_da(d);
            }
            let obj = self.map_refs(doc, w, obj, &mut queue);
            w.write(dst, &obj)?;
        }
        Ok(())
    }

    /// Write a stream whose bytes the lean load left in the file straight from the file. False
    /// when the stream is in memory after all, to be written the ordinary way.
    fn write_from_file<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        id: ObjectId,
        dst: u32,
        s: &mut lopdf::Stream,
        queue: &mut Vec<(ObjectId, u32)>,
    ) -> std::io::Result<bool> {
        let Some(path) = &self.file else { return Ok(false) };
        if self.handle.is_none() {
            self.handle = Some(std::fs::File::open(path)?);
        }
        let Some(f) = self.handle.as_mut() else { return Ok(false) };
        match super::lean::locate(doc, f, id, s) {
            Ok(None) => Ok(false),
            Ok(Some((offset, len))) => {
                super::lean::unmark(s);
                let dict = self.map_dict(doc, w, std::mem::take(&mut s.dict), queue);
                let plan = self.plan(id, &dict);
                let Some(f) = self.handle.as_mut() else { return Ok(false) };
                let image = plan.as_ref().is_some_and(|p| p.role() == damage::Role::Data);
                let known_whole = image && self.verdicts.as_ref().is_some_and(|v| v.whole(offset, len));
                let Some(plan) = plan.filter(|_| !known_whole) else {
                    // Nothing to check in it (a JPX or CCITT scan, or one found whole before):
                    // the kernel copies it.
                    w.copy_stream_from(dst, &dict, f, (offset, len))?;
                    return Ok(true);
                };
                let mut check = plan.checker();
                w.copy_stream_seen(dst, &dict, f, (offset, len), &mut |chunk| check.feed(chunk))?;
                let verdict = check.verdict();
                if image
                    && !matches!(verdict, Verdict::Damaged { .. })
                    && let Some(v) = self.verdicts.as_mut()
                {
                    v.found_whole(offset, len);
                }
                if let Verdict::Damaged { good } = verdict {
                    // Written again mended; the copy already out is left unreferenced.
                    use std::io::{Read, Seek, SeekFrom};
                    f.seek(SeekFrom::Start(offset))?;
                    let mut dict = dict;
                    let (data, kept) = plan.mend(&mut dict, Read::by_ref(f).take(len as u64), good);
                    w.write(dst, &Object::Stream(lopdf::Stream::new(dict, data)))?;
                    self.damaged.insert(id, kept);
                    self.found.push(id);
                }
                Ok(true)
            }
            Err(_) => {
                // Not where the cross-reference table said: read the file the ordinary way, once.
                if self.full.is_none() {
                    let full = crate::sources::pdf::open(path).map_err(|p| std::io::Error::other(p.to_string()))?;
                    self.full = Some(full);
                }
                match self.full.as_ref().and_then(|d| d.objects.get(&id)) {
                    Some(Object::Stream(full)) => {
                        s.content = full.content.clone();
                        s.dict = full.dict.clone();
                        Ok(false)
                    }
                    _ => Err(std::io::Error::other("a stream of the file could not be read again")),
                }
            }
        }
    }

    fn map_refs<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        obj: Object,
        queue: &mut Vec<(ObjectId, u32)>,
    ) -> Object {
        match obj {
            Object::Reference(id) => {
                if let Some(&n) = self.pages.get(&id) {
                    return Object::Reference((n, 0));
                }
                if let Some(&n) = self.widgets.get(&id) {
                    return Object::Reference((n, 0));
                }
                if let Some(&n) = self.map.get(&id) {
                    return Object::Reference((n, 0));
                }
                match doc.objects.get(&id) {
                    None => Object::Null,
                    // Other pages, the page tree and the catalog belong to the source's structure;
                    // an annotation not numbered above sits on a page that is not in this run.
                    Some(Object::Dictionary(d)) if is_structural(d) || is_annotation(d) => Object::Null,
                    Some(Object::Dictionary(d)) if is_field(d) => {
                        let n = w.alloc();
                        self.map.insert(id, n);
                        self.fields.push(id);
                        if !d.has(b"Parent") {
                            self.top.insert(id);
                            self.top_fields.push(n);
                        }
                        queue.push((id, n));
                        Object::Reference((n, 0))
                    }
                    Some(_) => {
                        let n = w.alloc();
                        self.map.insert(id, n);
                        queue.push((id, n));
                        Object::Reference((n, 0))
                    }
                }
            }
            Object::Array(a) => Object::Array(a.into_iter().map(|o| self.map_refs(doc, w, o, queue)).collect()),
            Object::Dictionary(d) => Object::Dictionary(self.map_dict(doc, w, d, queue)),
            Object::Stream(mut s) => {
                s.dict = self.map_dict(doc, w, std::mem::take(&mut s.dict), queue);
                Object::Stream(s)
            }
            o => o,
        }
    }

    fn map_dict<W: Write>(
        &mut self,
        doc: &mut Document,
        w: &mut PdfWriter<W>,
        d: Dictionary,
        queue: &mut Vec<(ObjectId, u32)>,
    ) -> Dictionary {
        let mut out = Dictionary::new();
        for (k, v) in d.into_iter() {
            // Links into the dropped structure tree would dangle.
            if k == b"StructParent" || k == b"StructParents" {
                continue;
            }
            let v = match self.map_refs(doc, w, v, queue) {
                // A field's widgets on pages left out of the binder.
                Object::Array(a) if k == b"Kids" => {
                    Object::Array(a.into_iter().filter(|o| !matches!(o, Object::Null)).collect())
                }
                v => v,
            };
            out.set(k, v);
        }
        out
    }
}

fn is_structural(d: &Dictionary) -> bool {
    matches!(d.get(b"Type").and_then(|t| t.as_name()), Ok(b"Page" | b"Pages" | b"Catalog"))
}

/// An annotation dictionary: it sits on a page at /Rect.
pub fn is_annotation(d: &Dictionary) -> bool {
    d.get_type().is_ok_and(|t| t == b"Annot") || (d.has(b"Subtype") && d.has(b"Rect"))
}

/// A form field that is not itself a widget: a node of the field tree.
fn is_field(d: &Dictionary) -> bool {
    !d.has(b"Type") && !d.has(b"Subtype") && (d.has(b"FT") || d.has(b"T"))
}

/// Follow a reference (a chain of them, bounded) to the object it names.
pub fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(o) => obj = o,
                None => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

pub fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}
