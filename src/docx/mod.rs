//! The binder as a Word document (`dossier build --format docx`): the cover, a table of contents
//! already filled in with the page numbers of the PDF binder, the outline as Word headings (so the
//! navigation pane shows it), the narrative, and every evidence page as a picture, or on request a
//! list saying where each document sits in the PDF binder.
//!
//! docx-rs writes the document. A few things it cannot express are written here as XML and put in
//! place after it has rendered (`Writer::raw`, `replace_raws`): the table of contents with its
//! entries filled in (`Writer::contents`) and the pictures (`Writer::picture`). The package is
//! zipped here too (`Binder::write`), so that a JPEG keeps its name and type and every picture is
//! streamed from its file instead of being held in memory.

mod package;
pub mod raster;
mod words;
mod writer;

use crate::error::{Diagnostic, EntryPath, Problem};
use crate::outline::{Dossier, Evidence, Node};
use crate::plan::Plan;
use crate::sources::{Kind, Sources};
use crate::typeset::Style;
use docx_rs::{AlignmentType, Docx, PageMargin, PageNumType, Paragraph, Run, Section, Settings, SpecialIndentType};
use raster::{Format, Picture, Scratch};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use words::*;
use writer::*;

/// How evidence appears in the Word binder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceMode {
    /// Photos as pictures, every page of a PDF, TIFF or Word file as a page image.
    #[default]
    Images,
    /// Each document named, with the pages it takes in the PDF binder.
    List,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub evidence: EvidenceMode,
    /// Resolution of page images, in pixels per inch.
    pub dpi: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { evidence: EvidenceMode::Images, dpi: 150 }
    }
}

/// The Word binder, ready to be written: the document, the XML docx-rs could not express, and the
/// pictures to embed. Page images live in `_scratch` until the binder is dropped.
pub struct Binder {
    docx: Docx,
    raws: Vec<String>,
    media: Vec<Media>,
    /// Pictures placed in the document (one picture file may be placed more than once).
    pub pictures: usize,
    /// For the document's properties: the binder's title, and who made it.
    title: String,
    author: Option<String>,
    _scratch: Option<Scratch>,
}

struct Media {
    /// File name in word/media/.
    name: String,
    rel: String,
    path: PathBuf,
}

/// What the outline puts into the document, in order. `node` indexes `Plan::nodes`.
enum Block<'a> {
    Heading { node: usize, level: usize, title: &'a str },
    Para(&'a str),
    Evidence { node: usize, level: usize, evidence: &'a Evidence },
}

fn blocks(dossier: &Dossier) -> Vec<Block<'_>> {
    // The same walk as the planner's, so node numbers agree with `Plan::nodes`.
    fn walk<'a>(n: &'a Node, level: usize, next: &mut usize, out: &mut Vec<Block<'a>>) {
        out.push(Block::Heading { node: *next, level, title: &n.title });
        *next += 1;
        for t in n.text.iter().filter(|t| !t.trim().is_empty()) {
            out.push(Block::Para(t));
        }
        for e in &n.evidence {
            out.push(Block::Evidence { node: *next, level: level + 1, evidence: e });
            *next += 1;
        }
        for s in &n.sections {
            walk(s, level + 1, next, out);
        }
    }
    let mut out = Vec::new();
    let mut next = 0;
    for p in &dossier.parts {
        walk(p, 0, &mut next, &mut out);
    }
    out
}

/// The 0-based pages of a file reference, as the planner takes them.
fn pages_of(f: &crate::outline::FileRef, count: u32) -> Vec<u32> {
    match &f.pages {
        Some(sel) => sel.resolve(count).unwrap_or_default(),
        None => (0..count).collect(),
    }
}

/// Where a picture comes from: the file and page (PDF pages, TIFF frames) or 0 (photos).
type PictureKey = (PathBuf, u32);

/// A photo to store upright: its format, EXIF orientation, first entry, and the file holding it.
type Turned = (Format, u8, EntryPath, PathBuf);

/// Draw every page the binder shows as a picture. Problems name the outline entry and the file.
fn gather_pictures(
    dossier: &Dossier,
    sources: &Sources,
    opts: &Options,
    scratch: &Scratch,
) -> Result<HashMap<PictureKey, Picture>, Vec<Diagnostic>> {
    let mut pictures = HashMap::new();
    // Per PDF: the pages wanted, and the first entry and file that want them (for messages).
    let mut pdfs: BTreeMap<PathBuf, (BTreeSet<u32>, EntryPath, PathBuf)> = BTreeMap::new();
    let mut tiffs: BTreeMap<PathBuf, (BTreeSet<u32>, EntryPath)> = BTreeMap::new();
    // Photos turned a quarter by their EXIF orientation, to be stored upright.
    let mut turned: BTreeMap<PathBuf, Turned> = BTreeMap::new();
    for ev in dossier.evidence() {
        for f in &ev.files {
            let Some(src) = sources.get(&f.path) else { continue };
            let pages = pages_of(f, src.pages);
            match (&src.kind, &src.pdf) {
                (Kind::Pdf | Kind::Docx, Some(pdf)) => {
                    let e =
                        pdfs.entry(pdf.clone()).or_insert_with(|| (BTreeSet::new(), ev.entry.clone(), f.path.clone()));
                    e.0.extend(pages);
                }
                (Kind::Tiff(_), _) => {
                    tiffs.entry(f.path.clone()).or_insert_with(|| (BTreeSet::new(), ev.entry.clone())).0.extend(pages);
                }
                (Kind::Jpeg(i), _) if i.orientation < 5 => {
                    let p = Picture::new(src.data_path(&f.path), Format::Jpeg, (i.width, i.height), i.orientation);
                    pictures.insert((f.path.clone(), 0), p);
                }
                (Kind::Png(i), _) if i.orientation < 5 => {
                    let p = Picture::new(src.data_path(&f.path), Format::Png, (i.width, i.height), i.orientation);
                    pictures.insert((f.path.clone(), 0), p);
                }
                (Kind::Jpeg(i), _) => {
                    let data = src.data_path(&f.path).to_path_buf();
                    turned.entry(f.path.clone()).or_insert((Format::Jpeg, i.orientation, ev.entry.clone(), data));
                }
                (Kind::Png(i), _) => {
                    let data = src.data_path(&f.path).to_path_buf();
                    turned.entry(f.path.clone()).or_insert((Format::Png, i.orientation, ev.entry.clone(), data));
                }
                (Kind::Pdf | Kind::Docx, None) => {}
            }
        }
    }
    let mut problems = Vec::new();
    if !pdfs.is_empty() {
        let missing = |entry: &EntryPath, file: &Path| {
            vec![Diagnostic::error(entry, Some(file.to_path_buf()), Problem::NoPdftoppm)]
        };
        let Some(program) = raster::find_pdftoppm() else {
            let (_, (_, entry, file)) = pdfs.iter().next().expect("pdfs is not empty");
            return Err(missing(entry, file));
        };
        let jobs: Vec<(usize, &PathBuf, &BTreeSet<u32>)> =
            pdfs.iter().enumerate().map(|(i, (pdf, (pages, _, _)))| (i, pdf, pages)).collect();
        let drawn = crate::sources::parallel_map(&jobs, |(i, pdf, pages)| {
            raster::pdf_pages(&program, pdf, pages, opts.dpi, &scratch.path().join(format!("pdf{i}")))
        });
        for ((pdf, (_, entry, file)), r) in pdfs.iter().zip(drawn) {
            match r {
                Ok(pages) => pictures.extend(pages.into_iter().map(|(p, pic)| ((pdf.clone(), p), pic))),
                // The program vanished or cannot run: one message says it all.
                Err(Problem::NoPdftoppm) => return Err(missing(entry, file)),
                Err(p) => problems.push(Diagnostic::error(entry, Some(file.clone()), p)),
            }
        }
    }
    let jobs: Vec<(usize, &PathBuf, &BTreeSet<u32>)> =
        tiffs.iter().enumerate().map(|(i, (path, (frames, _)))| (i, path, frames)).collect();
    let decoded = crate::sources::parallel_map(&jobs, |(i, path, frames)| -> Result<Vec<(u32, Picture)>, Problem> {
        let data = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
        frames
            .iter()
            .map(|&f| {
                let out = scratch.path().join(format!("tiff{i}-{f}.png"));
                raster::tiff_frame(&data, f, &out).map(|p| (f, p))
            })
            .collect()
    });
    for ((path, (_, entry)), r) in tiffs.iter().zip(decoded) {
        match r {
            Ok(frames) => pictures.extend(frames.into_iter().map(|(f, pic)| ((path.clone(), f), pic))),
            Err(p) => problems.push(Diagnostic::error(entry, Some(path.clone()), p)),
        }
    }
    let jobs: Vec<(usize, &Turned)> = turned.values().enumerate().collect();
    let upright = crate::sources::parallel_map(&jobs, |(i, (format, orientation, _, data))| {
        let data = std::fs::read(data).map_err(|e| Problem::Unreadable(e.to_string()))?;
        let out = scratch.path().join(format!("photo{i}.{}", format.extension()));
        match format {
            Format::Jpeg => raster::upright_jpeg(&data, *orientation, &out),
            Format::Png => raster::upright_png(&data, *orientation, &out),
        }
    });
    for ((path, (_, _, entry, _)), r) in turned.iter().zip(upright) {
        match r {
            Ok(pic) => {
                pictures.insert((path.clone(), 0), pic);
            }
            Err(p) => problems.push(Diagnostic::error(entry, Some(path.clone()), p)),
        }
    }
    if problems.is_empty() { Ok(pictures) } else { Err(problems) }
}

/// Lay out the Word binder. With page images, PDF, TIFF and Word pages are drawn here first.
pub fn prepare(
    dossier: &Dossier,
    plan: &Plan,
    sources: &Sources,
    style: &Style,
    opts: &Options,
) -> Result<Binder, Vec<Diagnostic>> {
    let (scratch, pictures) = match opts.evidence {
        EvidenceMode::Images => {
            let scratch = Scratch::new().map_err(|e| {
                vec![Diagnostic::error(
                    &EntryPath::default(),
                    None,
                    Problem::Rasterise(format!("no temporary folder for the page images: {e}")),
                )]
            })?;
            let pictures = gather_pictures(dossier, sources, opts, &scratch)?;
            (Some(scratch), pictures)
        }
        EvidenceMode::List => (None, HashMap::new()),
    };
    let faces = Faces::of(dossier);
    let mut w = Writer::new(style, faces, plan, sources, opts, &pictures);
    let cover = w.cover(dossier);
    let contents = w.contents();
    for b in blocks(dossier) {
        match b {
            Block::Heading { node, level, title } => {
                w.heading(node, level, title, false);
            }
            Block::Para(t) => w.para(t),
            Block::Evidence { node, level, evidence } => w.evidence(node, level, evidence),
        }
    }

    let page = |s: Section| {
        s.page_size(docx_rs::PageSize::new().size(twips(style.page.0) as u32, twips(style.page.1) as u32))
            .page_margin(w.margins())
    };
    let outer = style.numbers == crate::typeset::Numbers::Outer;
    let (odd, even) = if outer {
        (footer(style, faces, AlignmentType::Right), Some(footer(style, faces, AlignmentType::Left)))
    } else {
        (footer(style, faces, AlignmentType::Center), None)
    };
    let cover = cover.into_iter().fold(page(Section::new()), |s, p| s.add_paragraph(p));
    // The contents are numbered i, ii, … as in the PDF (see `fix_page_numbers`); the body from 1.
    let mut contents = contents
        .into_iter()
        .fold(page(Section::new()), |s, p| s.add_paragraph(p))
        .footer(odd.clone())
        .page_num_type(PageNumType::new().start(1));
    if let Some(even) = &even {
        // docx-rs drops this one today; `share_even_footer` makes up for it.
        contents = contents.even_footer(even.clone());
    }
    let settings = if outer { Settings::new().even_and_odd_headers() } else { Settings::new() };
    let mut docx = Docx::new()
        .default_fonts(fonts(faces.body))
        .default_size(half_points(style.body_size))
        .settings(settings)
        .add_section(cover)
        .add_section(contents)
        .page_size(twips(style.page.0) as u32, twips(style.page.1) as u32)
        .page_margin(w.margins())
        .footer(odd)
        .page_num_type(PageNumType::new().start(1));
    if let Some(even) = even {
        docx = docx.even_footer(even);
    }
    for s in styles(style, faces) {
        docx = docx.add_style(s);
    }
    for p in std::mem::take(&mut w.body) {
        docx = docx.add_paragraph(p);
    }
    Ok(Binder {
        docx,
        raws: w.raws,
        media: w.media,
        pictures: w.placed,
        title: clean(&dossier.title),
        author: dossier.cover.organization.as_deref().map(clean),
        _scratch: scratch,
    })
}
