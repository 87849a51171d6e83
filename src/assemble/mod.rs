//! Stage 5: the binder itself. Source pages are copied from their files in page order, one
//! document at a time (the document is dropped as soon as its pages are out); our own pages come
//! from the rendered PDF after them, since they may still be being drawn (their object numbers are
//! reserved in page order, so a page names its number stamp before the stamp is written); then the
//! page tree, bookmarks, labels and catalog close the file.

pub mod ahead;
mod annots;
pub mod copy;
pub mod dests;
pub mod downsample;
mod forms;
pub mod image;
pub mod lean;
mod nav;
pub mod place;
pub mod skeleton;
mod verdicts;

use crate::error::{Diagnostic, EntryPath, Problem};
use crate::outline::Dossier;
use crate::plan::{BodyPage, Plan};
use crate::render::{Drawn, Rendered, STAMP_WIDTH};
use crate::sources::{Kind, Sources};
use crate::typeset::{A4, Style};
use crate::write::PdfWriter;
use copy::{Copier, resolve};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use place::{Slot, Stamp};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Files up to this size are read ahead on the other core.
const PREFETCH_MAX_BYTES: u64 = 16 << 20;

/// Choices the caller makes about the output.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Photos above this resolution at their printed size are downsampled: (dpi, JPEG quality).
    pub photo_dpi: Option<(u32, u8)>,
    /// Where downsampled photos are kept between builds.
    pub cache_dir: PathBuf,
    /// Hears of body pages done, once per file's run of pages or photo.
    pub progress: crate::progress::Reporter,
    /// Invisible text over scanned pages, and pages to turn upright (`--ocr`).
    pub ocr: Option<std::sync::Arc<crate::ocr::Layers>>,
    /// The file the output ends in, for copying large streams into it directly (see
    /// `PdfWriter::copy_into`).
    pub direct: Option<std::sync::Arc<std::fs::File>>,
}

/// What assembly learnt that the caller reports.
#[derive(Debug, Default)]
pub struct Assembled {
    pub pages: usize,
    pub problems: Vec<Diagnostic>,
    /// Pages that went in damaged (parts of them blank): the build goes on, the clerk is told.
    pub warnings: Vec<Diagnostic>,
    /// Bytes written for each body page, including what it was first to use (fonts, images).
    pub body_bytes: Vec<u64>,
    /// Body pages (indexes into the plan's body) whose source was damaged, mended or emptied.
    pub damaged: Vec<usize>,
    /// Where each body page's text comes from, when scanned pages were read.
    pub text: Option<Vec<crate::ocr::TextOrigin>>,
    /// Source files taken from what earlier builds kept in the cache instead of being read again.
    pub kept: usize,
}

struct Ctx<'a, W: Write> {
    w: PdfWriter<W>,
    style: &'a Style,
    opts: &'a Options,
    ours: Document,
    ours_pages: Vec<ObjectId>,
    ours_copier: Copier,
    pages_id: u32,
    page_ids: Vec<u32>,
    sizes: Vec<(f32, f32)>,
    /// The printed number of the first body page.
    first: usize,
    form: forms::Form,
    /// The number reserved for the note on pages whose content was lost, and whether one needs it.
    note: (u32, bool),
    /// The text layer's font, written with the first page that needs it.
    ocr_font: Option<u32>,
    /// Counts the source files taken from the cache.
    hits: &'a std::sync::atomic::AtomicUsize,
    /// Our pages' places, to be filled once they are drawn, in page order.
    later: Vec<Later>,
}

/// A place for one of our pages, kept while the sources' pages are copied.
enum Later {
    /// Body page `b` is ours.
    Page(usize),
    /// Body page `b` is a source's, and its number stamp is form XObject `id`.
    Stamp(usize, u32),
}

/// Open every PDF the binder copies pages from as the build does (its page tree walked, loops
/// and absurd nesting refused), for `check`: counting pages, which is all reading the sources
/// does for a file that looks whole, does not walk the tree.
pub fn open_all(dossier: &Dossier, sources: &Sources) -> Vec<Diagnostic> {
    let mut pdfs: Vec<(PathBuf, PathBuf, EntryPath)> = Vec::new();
    for ev in dossier.evidence() {
        for f in &ev.files {
            if let Some(pdf) = sources.get(&f.path).and_then(|s| s.pdf.as_ref())
                && !pdfs.iter().any(|(p, ..)| p == &f.path)
            {
                pdfs.push((f.path.clone(), pdf.clone(), ev.entry.clone()));
            }
        }
    }
    let opened = crate::sources::parallel_map(&pdfs, |(_, pdf, _)| {
        lean::open(pdf).and_then(|doc| crate::sources::pdf::page_slots(&doc).map(|_| ()))
    });
    pdfs.iter()
        .zip(opened)
        .filter_map(|((path, _, entry), r)| r.err().map(|p| Diagnostic::error(entry, Some(path.clone()), p)))
        .collect()
}

pub fn assemble<W: Write>(
    dossier: &Dossier,
    plan: &Plan,
    drawn: &Drawn,
    sources: &Sources,
    style: &Style,
    opts: &Options,
    out: W,
) -> std::io::Result<(W, Assembled)> {
    let mut w = PdfWriter::new(out)?;
    w.copy_into(opts.direct.clone());
    let pages_id = w.alloc();
    let total = plan.front_pages() + plan.body.len();
    let page_ids: Vec<u32> = (0..total).map(|_| w.alloc()).collect();
    let note = w.alloc();
    let hits = std::sync::atomic::AtomicUsize::new(0);
    let mut cx = Ctx {
        w,
        style,
        opts,
        ours: Document::new(),
        ours_pages: Vec::new(),
        ours_copier: Copier::default(),
        pages_id,
        page_ids,
        sizes: vec![A4; total],
        first: plan.first,
        form: forms::Form::default(),
        note: (note, false),
        ocr_font: None,
        hits: &hits,
        later: Vec::new(),
    };
    let mut report = Assembled {
        pages: total,
        problems: Vec::new(),
        warnings: Vec::new(),
        body_bytes: vec![0; plan.body.len()],
        damaged: Vec::new(),
        text: opts.ocr.as_ref().map(|l| plan.body.iter().map(|p| l.origin(p)).collect()),
        kept: 0,
    };

    let front = plan.front_pages();
    let mut copiers: HashMap<PathBuf, Copier> = HashMap::new();
    // The next PDF is read and parsed on the other core while this one is written out; the
    // hand-over waits for the writer, so at most two documents are in memory at once. A large one
    // is left for the writer to read itself: two of them at once would double the peak memory.
    let runs: Vec<&PathBuf> = plan
        .body
        .iter()
        .enumerate()
        .filter_map(|(k, p)| match p {
            BodyPage::Pdf { pdf, .. } if !k.checked_sub(1).is_some_and(|j| same_run(&plan.body[j], p)) => Some(pdf),
            _ => None,
        })
        .collect();
    // What loading each source learnt, for the next build (see `skeleton`).
    let kept = opts.cache_dir.join("lean");
    let (kept, hits) = (&kept, &hits);
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        // While the writer reads a large file itself, the reader waits: the two loads at once
        // would add up in the peak.
        let (big_done, wait_big) = std::sync::mpsc::channel::<()>();
        scope.spawn(move || {
            for pdf in runs {
                let small = std::fs::metadata(pdf).map(|m| m.len() <= PREFETCH_MAX_BYTES).unwrap_or(false);
                let next = if small { Some(lean::open_kept(pdf, Some(kept.as_path()), Some(hits))) } else { None };
                if tx.send(next).is_err() || (!small && wait_big.recv().is_err()) {
                    break;
                }
            }
        });
        let mut docs = rx.into_iter();
        let mut b = 0;
        while b < plan.body.len() {
            match &plan.body[b] {
                BodyPage::Own(_) => {
                    cx.later.push(Later::Page(b));
                    b += 1;
                }
                BodyPage::Pdf { source, pdf, .. } => {
                    // The run of consecutive pages from this file shares one load.
                    let end = (b + 1..plan.body.len())
                        .find(|&k| !same_run(&plan.body[k - 1], &plan.body[k]))
                        .unwrap_or(plan.body.len());
                    let loaded = match docs.next().flatten() {
                        Some(doc) => doc,
                        None => {
                            let doc = lean::open_kept(pdf, Some(kept.as_path()), Some(hits));
                            let _ = big_done.send(());
                            doc
                        }
                    };
                    let expected = sources.get(source).map(|s| s.pages).unwrap_or(0);
                    let loaded = loaded.and_then(|d| {
                        let slots = crate::sources::pdf::page_slots(&d)?;
                        if slots.len() as u32 == expected {
                            Ok((d, slots))
                        } else {
                            Err(Problem::Unreadable(crate::error::CHANGED_DURING_BUILD.into()))
                        }
                    });
                    match loaded {
                        Ok((mut doc, src_pages)) => {
                            let copier = copiers.entry(pdf.clone()).or_default();
                            copier.file = Some(pdf.clone());
                            if copier.verdicts.is_none() {
                                copier.verdicts = Some(verdicts::Verdicts::open(kept, pdf));
                            }
                            // Field names get the printed number of the page where this run starts.
                            copier.begin_run(format!("p{}_", cx.first + b));
                            let mut names = dests::Names::read(&doc);
                            for k in b..end {
                                if let BodyPage::Pdf { page, .. } = &plan.body[k]
                                    && let Some(Some(id)) = src_pages.get(*page as usize)
                                {
                                    copier.pages.entry(*id).or_insert(cx.page_ids[front + k]);
                                    if let Some(t) = opts.ocr.as_deref().and_then(|l| l.page(&plan.body[k])) {
                                        names.turns.insert(*id, t.turn);
                                    }
                                    annots::number_widgets(&doc, *id, copier, &mut cx.w);
                                    // Before any page is copied: copying takes shared streams out.
                                    if let Some(object) = crate::sources::pdf::missing_drawn(&doc, *id) {
                                        report.warnings.push(Diagnostic::warning(
                                            &dossier.entry_of(source),
                                            Some(source.clone()),
                                            Problem::PageLacksObjects { page: page + 1, object: object.0 },
                                        ));
                                    }
                                }
                            }
                            if !copier.widgets.is_empty() {
                                cx.form.begin_run(&mut doc, copier, &mut cx.w)?;
                            }
                            for k in b..end {
                                let BodyPage::Pdf { page, .. } = &plan.body[k] else { continue };
                                let before = cx.w.position();
                                let stamp = cx.stamp(k);
                                let out_id = cx.page_ids[front + k];
                                let text = cx.text_layer(&plan.body[k])?;
                                let size = match src_pages.get(*page as usize) {
                                    Some(&Some(pid)) => place::place_pdf_page(
                                        &mut doc,
                                        pid,
                                        Slot { id: out_id, parent: cx.pages_id },
                                        copier,
                                        &names,
                                        &mut cx.w,
                                        style,
                                        (&stamp, text),
                                    )?,
                                    _ => cx.blank(out_id, &stamp)?,
                                };
                                if let Some(emptied) = copier.page_damaged.take() {
                                    cx.note.1 |= emptied;
                                    report.damaged.push(k);
                                    report.warnings.push(Diagnostic::warning(
                                        &dossier.entry_of(source),
                                        Some(source.clone()),
                                        Problem::DamagedPage { page: page + 1, emptied },
                                    ));
                                }
                                cx.sizes[front + k] = size;
                                report.body_bytes[k] = cx.w.position() - before;
                            }
                            cx.form.take_fields(copier);
                        }
                        Err(p) => {
                            report.problems.push(Diagnostic::error(&dossier.entry_of(source), Some(source.clone()), p));
                            for k in b..end {
                                let stamp = cx.stamp(k);
                                cx.blank(cx.page_ids[front + k], &stamp)?;
                            }
                        }
                    }
                    b = end;
                }
                BodyPage::Image { source, frame } => {
                    let before = cx.w.position();
                    let stamp = cx.stamp(b);
                    let out_id = cx.page_ids[front + b];
                    let text = cx.text_layer(&plan.body[b])?;
                    match cx.image_page(sources, source, *frame, out_id, (&stamp, text)) {
                        Ok(Ok(size)) => cx.sizes[front + b] = size,
                        Ok(Err(p)) => {
                            report.problems.push(Diagnostic::error(&dossier.entry_of(source), Some(source.clone()), p));
                            cx.blank(out_id, &stamp)?;
                        }
                        Err(e) => return Err(e),
                    }
                    report.body_bytes[b] = cx.w.position() - before;
                    b += 1;
                }
            }
            opts.progress.advanced(crate::progress::Stage::Assemble, b, plan.body.len());
        }
        Ok(())
    })?;

    let rendered = drawn.get().map_err(|e| std::io::Error::other(format!("our own pages: {e}")))?;
    cx.own_pages(rendered, front, &mut report.body_bytes)?;

    if cx.note.1 {
        let (w, h) = crate::render::NOTE_SIZE;
        cx.own_form(rendered.note, (w, h), cx.note.0)?;
    }

    // The contents last: its links scroll to the top of pages whose sizes are known only now.
    for (i, cp) in plan.contents.iter().enumerate() {
        let links = nav::contents_links(plan, cp, &cx.page_ids, &cx.sizes);
        cx.copy_own(rendered.contents_start + i, 1 + i, links)?;
    }

    // Page tree: one flat /Pages node; viewers handle thousands of kids without trouble.
    let mut pages = Dictionary::new();
    pages.set("Type", Object::Name(b"Pages".to_vec()));
    pages.set("Kids", Object::Array(cx.page_ids.iter().map(|&id| Object::Reference((id, 0))).collect()));
    pages.set("Count", Object::Integer(total as i64));
    cx.w.write(cx.pages_id, &Object::Dictionary(pages))?;

    let outlines = nav::outline(&mut cx.w, plan, &cx.page_ids, &cx.sizes)?;
    let labels = nav::page_labels(plan);
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference((cx.pages_id, 0)));
    catalog.set("Outlines", Object::Reference((outlines, 0)));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    catalog.set("PageLabels", labels);
    if let Some(form) = std::mem::take(&mut cx.form).finish(&mut cx.w)? {
        catalog.set("AcroForm", form);
    }
    catalog.set("Lang", Object::string_literal("zh-CN"));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    let root = cx.w.alloc();
    cx.w.write(root, &Object::Dictionary(catalog))?;
    let info = cx.w.alloc();
    cx.w.write(info, &Object::Dictionary(nav::info(dossier)))?;
    let out = cx.w.finish(root, info)?;
    report.kept = hits.load(std::sync::atomic::Ordering::Relaxed);
    Ok((out, report))
}

/// Our pages are drawn with content compression off: krilla set up a fresh deflate state (a few
/// hundred KB) for each of thousands of stamp pages, and glibc's heap grew by that much with each
/// one, to 300 MB for a 3,800-page binder. The narrative's content is compressed here instead,
/// with one compressor for all of it; a stamp's few bytes are not worth it.
fn compress_own(doc: &mut Document) {
    let mut z = flate2::Compress::new(flate2::Compression::default(), true);
    for obj in doc.objects.values_mut() {
        let Object::Stream(s) = obj else { continue };
        if s.content.len() < 1024 || s.dict.has(b"Filter") {
            continue;
        }
        z.reset();
        let mut out = Vec::with_capacity(s.content.len() / 2 + 64);
        loop {
            let before = z.total_in() as usize;
            match z.compress_vec(&s.content[before..], &mut out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(_) => {
                    out.clear();
                    break;
                }
            }
        }
        if !out.is_empty() && out.len() < s.content.len() {
            s.set_content(out);
            s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        }
    }
}

/// Whether `next` continues the run of pages `prev` belongs to: the same file, further on. A page
/// at or before the previous one starts another reference to the file, whose links and form
/// fields must stay its own.
fn same_run(prev: &BodyPage, next: &BodyPage) -> bool {
    matches!((prev, next), (BodyPage::Pdf { pdf: a, page: i, .. }, BodyPage::Pdf { pdf: b, page: j, .. }) if a == b && j > i)
}

impl<'a, W: Write> Ctx<'a, W> {
    /// The text layer of a body page with the font's object number (written on first use).
    fn text_layer(&mut self, page: &BodyPage) -> std::io::Result<Option<place::TextLayer<'a>>> {
        let opts: &'a Options = self.opts;
        let Some(text) = opts.ocr.as_deref().and_then(|l| l.page(page)) else { return Ok(None) };
        let font = match self.ocr_font {
            Some(f) => f,
            None => {
                let f = crate::ocr::layer::write_font(&mut self.w)?;
                self.ocr_font = Some(f);
                f
            }
        };
        Ok(Some((text, font)))
    }

    /// Copy rendered page `k` as binder page `index`, with the given annotations.
    fn copy_own(&mut self, k: usize, index: usize, annots: Vec<Object>) -> std::io::Result<()> {
        let Some(&pid) = self.ours_pages.get(k) else {
            return Err(std::io::Error::other("a rendered page is missing"));
        };
        let page = self.ours.objects.get(&pid).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
        let mut out = Dictionary::new();
        out.set("Type", Object::Name(b"Page".to_vec()));
        out.set("Parent", Object::Reference((self.pages_id, 0)));
        for key in [&b"MediaBox"[..], b"Resources", b"Contents", b"Group"] {
            if let Ok(v) = page.get(key) {
                let v = self.ours_copier.rewrite(&mut self.ours, &mut self.w, v.clone())?;
                out.set(key, v);
            }
        }
        if !annots.is_empty() {
            let refs = annots
                .into_iter()
                .map(|a| {
                    let n = self.w.alloc();
                    self.w.write(n, &a).map(|_| Object::Reference((n, 0)))
                })
                .collect::<std::io::Result<Vec<_>>>()?;
            out.set("Annots", Object::Array(refs));
        }
        self.w.write(self.page_ids[index], &Object::Dictionary(out))
    }

    /// The number stamp for body page `b`, a form XObject written with our pages.
    fn stamp(&mut self, b: usize) -> Stamp {
        let id = self.w.alloc();
        self.later.push(Later::Stamp(b, id));
        Stamp { xobject: id, number: (self.first + b) as u32, width: STAMP_WIDTH, note: Some(self.note.0) }
    }

    /// Our pages, drawn: the cover, then each body page's and stamp's in page order, what each
    /// costs added to its body page's bytes.
    fn own_pages(&mut self, rendered: &Rendered, front: usize, body_bytes: &mut [u64]) -> std::io::Result<()> {
        self.ours =
            Document::load_mem(&rendered.pdf).map_err(|e| std::io::Error::other(format!("our own pages: {e}")))?;
        compress_own(&mut self.ours);
        self.ours_pages = self.ours.get_pages().into_values().collect();
        self.copy_own(0, 0, Vec::new())?;
        for later in std::mem::take(&mut self.later) {
            let before = self.w.position();
            let b = match later {
                Later::Page(b) => {
                    self.copy_own(rendered.body_pages[b], front + b, Vec::new())?;
                    b
                }
                Later::Stamp(b, id) => {
                    self.own_form(rendered.body_pages[b], (STAMP_WIDTH, self.style.band), id)?;
                    b
                }
            };
            body_bytes[b] += self.w.position() - before;
        }
        Ok(())
    }

    /// Rendered page `k`, of size `bbox`, written as form XObject `id`.
    fn own_form(&mut self, k: usize, bbox: (f32, f32), id: u32) -> std::io::Result<()> {
        let pid = *self.ours_pages.get(k).ok_or_else(|| std::io::Error::other("a rendered page is missing"))?;
        let page = self.ours.objects.get(&pid).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
        let mut content = Vec::new();
        let mut filter = None;
        let streams: Vec<Object> = match page.get(b"Contents") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => Vec::new(),
        };
        if let [one] = streams.as_slice() {
            if let Ok(s) = resolve(&self.ours, one).as_stream() {
                content = s.content.clone();
                filter = s.dict.get(b"Filter").ok().cloned();
            }
        } else {
            for o in &streams {
                if let Ok(s) = resolve(&self.ours, o).as_stream() {
                    content.extend(s.decompressed_content().unwrap_or_else(|_| s.content.clone()));
                    content.push(b'\n');
                }
            }
        }
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set("BBox", Object::Array(vec![0.into(), 0.into(), Object::Real(bbox.0), Object::Real(bbox.1)]));
        if let Ok(r) = page.get(b"Resources") {
            let r = self.ours_copier.rewrite(&mut self.ours, &mut self.w, r.clone())?;
            d.set("Resources", r);
        }
        if let Some(f) = filter {
            d.set("Filter", f);
        }
        self.w.write(id, &Object::Stream(Stream::new(d, content).with_compression(false)))
    }

    /// An empty numbered page standing in for one that failed; the build reports the failure.
    fn blank(&mut self, out_id: u32, stamp: &Stamp) -> std::io::Result<(f32, f32)> {
        let ops = place::stamp_ops(self.style, stamp, A4.0, A4.1);
        let content = self.w.alloc();
        self.w.write(content, &Object::Stream(Stream::new(Dictionary::new(), ops.into_bytes())))?;
        let mut x = Dictionary::new();
        x.set("DossierPageNo", Object::Reference((stamp.xobject, 0)));
        let mut res = Dictionary::new();
        res.set("XObject", Object::Dictionary(x));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference((self.pages_id, 0)));
        page.set("MediaBox", Object::Array(vec![0.into(), 0.into(), Object::Real(A4.0), Object::Real(A4.1)]));
        page.set("Resources", Object::Dictionary(res));
        page.set("Contents", Object::Reference((content, 0)));
        self.w.write(out_id, &Object::Dictionary(page))?;
        Ok(A4)
    }

    fn image_page(
        &mut self,
        sources: &Sources,
        path: &std::path::Path,
        frame: u32,
        out_id: u32,
        (stamp, text): (&Stamp, Option<place::TextLayer>),
    ) -> std::io::Result<Result<(f32, f32), Problem>> {
        let turn = text.map(|t| t.0.turn).unwrap_or(0);
        let Some(src) = sources.get(path) else { return Ok(Err(Problem::MissingFile)) };
        let file = src.data_path(path);
        let read = || std::fs::read(file).map_err(|e| Problem::Unreadable(e.to_string()));
        let kept = self.opts.cache_dir.join("pictures");
        let (pages, style, parent) = (&mut self.w, self.style, self.pages_id);
        Ok(Ok(match &src.kind {
            Kind::Jpeg(info) => {
                let orientation = crate::ocr::raster::turn_exif(info.orientation, turn);
                let smaller = self.opts.photo_dpi.and_then(|(dpi, quality)| {
                    let (w, h) = image::photo_box(style, info.width as f32, info.height as f32, orientation);
                    let t = downsample::Target { dpi, width_pt: w, height_pt: h };
                    downsample::target_size(info, &t).map(|size| (size, quality))
                });
                let photos = self.opts.cache_dir.join("photos");
                let px = match smaller {
                    Some((size, quality)) => {
                        match read().and_then(|d| downsample::jpeg(&d, info, size, quality, &photos)) {
                            Ok((data, info)) => image::jpeg(data, &info),
                            Err(p) => return Ok(Err(p)),
                        }
                    }
                    // As it is: the bytes go file to file.
                    None => match std::fs::metadata(file) {
                        Ok(m) => {
                            image::Pixels { file: Some((file.to_path_buf(), m.len())), ..image::jpeg(Vec::new(), info) }
                        }
                        Err(e) => return Ok(Err(Problem::Unreadable(e.to_string()))),
                    },
                };
                image::place_photo(pages, out_id, parent, px, orientation, style, (stamp, text))?
            }
            Kind::Png(info) => {
                let data = match read() {
                    Ok(d) => d,
                    Err(p) => return Ok(Err(p)),
                };
                match image::png_kept(&data, &kept, self.hits) {
                    Ok(px) => {
                        let orientation = crate::ocr::raster::turn_exif(info.orientation, turn);
                        image::place_photo(pages, out_id, parent, px, orientation, style, (stamp, text))?
                    }
                    Err(p) => return Ok(Err(p)),
                }
            }
            Kind::Tiff(frames) => {
                let data = match read() {
                    Ok(d) => d,
                    Err(p) => return Ok(Err(p)),
                };
                let dpi = frames.get(frame as usize).and_then(|f| f.dpi);
                match image::tiff_kept(&data, frame, &kept, self.hits) {
                    Ok(strips) => image::place_scan(pages, out_id, parent, strips, dpi, style, (stamp, text))?,
                    Err(p) => return Ok(Err(p)),
                }
            }
            Kind::Pdf | Kind::Docx => {
                return Ok(Err(Problem::UnknownKind(crate::error::Unknown::NotAPicture)));
            }
        }))
    }
}
