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

pub mod raster;

use crate::error::{Diagnostic, EntryPath, Problem};
use crate::outline::{Dossier, Evidence, Node};
use crate::plan::Plan;
use crate::sources::{Kind, Sources};
use crate::typeset::Style;
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    PageNumType, Paragraph, Run, RunFonts, Section, Settings, SpecialIndentType, Style as WordStyle, StyleType,
};
use raster::{Format, Picture, Scratch};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

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

/// The fonts named on every run: Word and WPS pick the East Asian face for Chinese text, the other
/// for Latin letters and digits.
const LATIN_FONT: &str = "Times New Roman";
/// The Chinese faces by the names Word and WPS know them, as the PDF uses them (GB/T 9704): body
/// text in 宋体 (or the 仿宋 a dossier asks for), parts, first-level sections, the cover's title and
/// the 目录 title in 黑体, second-level sections in 楷体, deeper levels in the body face, bold.
#[derive(Debug, Clone, Copy)]
struct Faces {
    body: &'static str,
    heading: &'static str,
    kai: &'static str,
}

impl Faces {
    fn of(d: &Dossier) -> Faces {
        use crate::outline::FontChoice;
        let named = |c: &Option<FontChoice>, default: &'static str| match c {
            Some(FontChoice::Installed(kind)) => kind.name(),
            _ => default,
        };
        Faces {
            body: named(&d.style.font, "宋体"),
            heading: named(&d.style.heading_font, "黑体"),
            kai: named(&d.style.kai_font, "楷体"),
        }
    }

    /// The face of a heading at outline `level`, and whether it is set bold.
    fn heading(&self, level: usize) -> (&'static str, bool) {
        match level {
            0 | 1 => (self.heading, false),
            2 => (self.kai, false),
            _ => (self.body, true),
        }
    }
}

/// Word measures in twentieths of a point, DrawingML in EMU.
fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}
const EMU_PER_PT: f32 = 12700.0;

/// Room kept free below a picture: the line holding it is a little taller than the picture.
const PICTURE_SLACK: f32 = 24.0;
/// Part headings, in points; each of their lines takes two lines of the body's grid.
const PART_SIZE: f32 = 22.0;
/// Contents entries, as in the PDF's 目录.
const CONTENTS_SIZE: f32 = 14.0;
const CONTENTS_PITCH: f32 = 26.0;

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

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

fn fonts(face: &str) -> RunFonts {
    RunFonts::new().ascii(LATIN_FONT).hi_ansi(LATIN_FONT).cs(LATIN_FONT).east_asia(face).hint("eastAsia")
}

/// The same, as XML, for the parts written by hand.
fn fonts_xml(face: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{face}" w:cs="{LATIN_FONT}" w:hint="eastAsia"/>"#
    )
}

/// Text as Word may hold it: no control characters (invalid in XML), no marker characters.
fn clean(s: &str) -> String {
    s.chars().filter(|&c| c != MARK).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn run(text: &str, size: f32, face: &str, bold: bool) -> Run {
    let r = Run::new().add_text(clean(text)).fonts(fonts(face)).size(half_points(size));
    if bold { r.bold() } else { r }
}

fn exact(pt: f32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips(pt)).before(0).after(0)
}

/// Escape text for XML written by hand.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Rough width of text in points: CJK and full-width characters one em, the rest 0.6 (digits in
/// the fallback faces Word and LibreOffice pick are wider than half an em), and a tenth more for
/// their metrics. It only decides how much room headings take above a picture, so a little over
/// is better than under: a title that just fills a line in our estimate wraps in Word and pushes
/// the picture onto a page of its own.
fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(|c| if (c as u32) < 0x2E80 { 0.6 } else { 1.0 }).sum::<f32>() * size * 1.1
}

fn lines(text: &str, size: f32, width: f32) -> f32 {
    (text_width(text, size) / width.max(size)).ceil().max(1.0)
}

/// The footer: "— N —" with a PAGE field where the PDF prints it: odd pages right and even pages
/// left, one character in from the type area, or centred when the dossier asks for that.
fn footer(style: &Style, faces: Faces, align: AlignmentType) -> Footer {
    let size = style.number_size;
    let (dash_l, dash_r) = match crate::typeset::number_text("#").split_once('#') {
        Some((l, r)) => (l.to_string(), r.to_string()),
        None => ("— ".to_string(), " —".to_string()),
    };
    let field = |t: FieldCharType| Run::new().fonts(fonts(faces.body)).size(half_points(size)).add_field_char(t, false);
    let (left, right) = match align {
        AlignmentType::Left => (twips(size), 0),
        AlignmentType::Right => (0, twips(size)),
        _ => (0, 0),
    };
    let p = Paragraph::new()
        .align(align)
        .line_spacing(exact(FOOTER_LINE * size))
        .indent(Some(left), None, Some(right), None)
        .add_run(run(&dash_l, size, faces.body, false))
        .add_run(field(FieldCharType::Begin))
        .add_run(
            Run::new()
                .fonts(fonts(faces.body))
                .size(half_points(size))
                .add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        )
        .add_run(field(FieldCharType::Separate))
        .add_run(run("1", size, faces.body, false))
        .add_run(field(FieldCharType::End))
        .add_run(run(&dash_r, size, faces.body, false));
    Footer::new().add_paragraph(p)
}

/// The footer's line height, in multiples of the number's size.
const FOOTER_LINE: f32 = 1.25;

/// Heading 1–4 for the outline, and toc 1–4 for the contents entries Word makes when the table
/// is updated. The names are Word's built-in ones, so Word, WPS and LibreOffice know them.
fn styles(style: &Style, faces: Faces) -> Vec<WordStyle> {
    let pitch = style.line_pitch;
    let mut out = Vec::new();
    for level in 1..=4usize {
        let s = WordStyle::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level - 1);
        let (face, bold) = faces.heading(level - 1);
        let s = s.fonts(fonts(face));
        let s = if bold { s.bold() } else { s };
        out.push(if level == 1 {
            s.size(half_points(PART_SIZE)).align(AlignmentType::Center).line_spacing(exact(2.0 * pitch))
        } else {
            s.size(half_points(style.heading_sizes[level - 1]))
                .indent(Some(twips(2.0 * style.body_size)), None, None, None)
                .line_spacing(exact(pitch))
        });
    }
    for level in 1..=4usize {
        let s = WordStyle::new(format!("TOC{level}"), StyleType::Paragraph)
            .name(format!("toc {level}"))
            .based_on("Normal")
            .next("Normal")
            .ui_priority(39)
            .fonts(fonts(faces.body))
            .size(half_points(CONTENTS_SIZE))
            .indent(Some(twips((level - 1) as f32 * CONTENTS_SIZE * 1.5)), None, None, None)
            .line_spacing(exact(CONTENTS_PITCH));
        out.push(if level == 1 { s.bold() } else { s });
    }
    out
}

/// A paragraph that stands for XML written by hand: its marker text is found in the rendered
/// document and the whole paragraph replaced.
const MARK: char = '\u{F8FF}';

fn marker(n: usize) -> String {
    format!("{MARK}dossier-raw-{n}{MARK}")
}

struct Writer<'a> {
    style: &'a Style,
    faces: Faces,
    plan: &'a Plan,
    sources: &'a Sources,
    opts: &'a Options,
    pictures: &'a HashMap<PictureKey, Picture>,
    body: Vec<Paragraph>,
    raws: Vec<String>,
    media: Vec<Media>,
    media_of: HashMap<PathBuf, usize>,
    placed: usize,
    /// The last thing written was a picture, which fills its page.
    after_picture: bool,
}

impl<'a> Writer<'a> {
    fn new(
        style: &'a Style,
        faces: Faces,
        plan: &'a Plan,
        sources: &'a Sources,
        opts: &'a Options,
        pictures: &'a HashMap<PictureKey, Picture>,
    ) -> Self {
        Writer {
            style,
            faces,
            plan,
            sources,
            opts,
            pictures,
            body: Vec::new(),
            raws: Vec::new(),
            media: Vec::new(),
            media_of: HashMap::new(),
            placed: 0,
            after_picture: false,
        }
    }

    fn margins(&self) -> PageMargin {
        let s = self.style;
        PageMargin::new()
            .top(twips(s.top))
            .left(twips(s.left))
            .right(twips(s.page.0 - s.left - s.text_width))
            .bottom(twips(s.page.1 - s.top - s.text_height))
            .header(twips(15.0 * crate::typeset::MM))
            // The number's top sits `number_gap` below the type area, as in the PDF.
            .footer(twips(s.page.1 - s.top - s.text_height - s.number_gap - FOOTER_LINE * s.number_size))
            .gutter(0)
    }

    fn raw(&mut self, xml: String) -> Paragraph {
        let p = Paragraph::new().add_run(Run::new().add_text(marker(self.raws.len())));
        self.raws.push(xml);
        p
    }

    /// The PDF binder's printed number of the page where node `node` starts.
    fn page_of(&self, node: usize) -> usize {
        self.plan.nodes.get(node).map(|n| self.plan.number(n.start)).unwrap_or(1)
    }

    /// The cover, laid out as the PDF's: project and chapter in the upper third, the title and
    /// subtitle in 黑体 a little above the middle, organization and date at the foot, all centred.
    fn cover(&mut self, d: &Dossier) -> Vec<Paragraph> {
        let s = self.style;
        let ph = s.page.1;
        let c = &d.cover;
        let text = |t: &Option<String>| t.as_deref().map(clean).filter(|t| !t.trim().is_empty());
        // (text, size, heading face) per group, and the gap between blocks of the group.
        let head: Vec<(String, f32, bool)> = [(text(&c.project), 22.0), (text(&c.chapter), 18.0)]
            .into_iter()
            .filter_map(|(t, z)| Some((t?, z, false)))
            .collect();
        let mut middle = vec![(clean(&d.title), 28.0, true)];
        middle.extend(text(&c.subtitle).map(|t| (t, 36.0, true)));
        let foot: Vec<(String, f32, bool)> = [(text(&c.organization), 20.0), (text(&c.date), 18.0)]
            .into_iter()
            .filter_map(|(t, z)| Some((t?, z, false)))
            .collect();
        let height = |g: &[(String, f32, bool)], gap: f32| -> f32 {
            g.iter().map(|(t, z, _)| lines(t, *z, s.text_width) * z * 1.5).sum::<f32>()
                + gap * g.len().saturating_sub(1) as f32
        };
        let (mh, fh) = (height(&middle, 36.0), height(&foot, 14.0));
        let mut out = Vec::new();
        // y: where the next line starts, in points from the top of the page.
        let mut y = s.top;
        for (group, top, gap) in
            [(head, ph * 0.13, 12.0), (middle, ph * 0.42 - mh / 2.0, 36.0), (foot, ph * 0.80 - fh, 14.0)]
        {
            for (i, (t, size, heading)) in group.iter().enumerate() {
                let at = if i == 0 { top.max(y) } else { y + gap };
                let line = size * 1.5;
                out.push(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .line_spacing(exact(line).before(twips(at - y) as u32))
                        .add_run(run(t, *size, if *heading { self.faces.heading } else { self.faces.body }, false)),
                );
                y = at + lines(t, *size, s.text_width) * line;
            }
        }
        out
    }

    /// 目录 and the table of contents field with one entry per outline node, each linking to its
    /// heading and showing the page of the PDF binder where the node starts.
    ///
    /// Written by hand: docx-rs can prefill a TOC field, but with a tab stop of its own choosing
    /// far outside the page, no fonts on the runs and page numbers as PAGEREF fields, which
    /// Word and LibreOffice recompute to their own pagination instead of the binder's pages.
    fn contents(&mut self) -> Vec<Paragraph> {
        let title = Paragraph::new()
            .align(AlignmentType::Center)
            // The first entry starts where the PDF's does, two and a half lines down.
            .line_spacing(exact(2.5 * CONTENTS_PITCH))
            .add_run(run(crate::typeset::contents::TITLE, PART_SIZE, self.faces.heading, false));
        let tab = twips(self.style.text_width);
        let rfonts = fonts_xml(self.faces.body);
        let size = half_points(CONTENTS_SIZE);
        let mut xml = String::new();
        let n = self.plan.nodes.len();
        for (i, node) in self.plan.nodes.iter().enumerate() {
            let level = (node.level + 1).min(4);
            let indent = twips(node.level.min(8) as f32 * CONTENTS_SIZE * 1.5);
            let bold = if node.level == 0 { "<w:b/><w:bCs/>" } else { "" };
            let rpr = format!("<w:rPr>{rfonts}{bold}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>");
            xml.push_str(&format!(
                "<w:p><w:pPr><w:pStyle w:val=\"TOC{level}\"/><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{tab}\"/></w:tabs><w:ind w:left=\"{indent}\"/>{rpr}</w:pPr>"
            ));
            if i == 0 {
                xml.push_str(&format!(
                    "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>{rpr}<w:instrText xml:space=\"preserve\"> TOC \\o \"1-4\" \\h \\z \\u </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>"
                ));
            }
            xml.push_str(&format!(
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\"><w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t>{}</w:t></w:r></w:hyperlink>",
                bookmark(i),
                esc(&clean(&node.title)),
                self.plan.number(node.start)
            ));
            if i + 1 == n {
                xml.push_str(&format!("<w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>"));
            }
            xml.push_str("</w:p>");
        }
        if n == 0 {
            return vec![title];
        }
        vec![title, self.raw(xml)]
    }

    /// A heading. Pages break where the PDF's do, so that with page images the document keeps
    /// the binder's pagination and its contents' numbers hold in Word too: before each part
    /// (after a blank page where a double-sided binder has one), before each evidence item, and
    /// after the last page of an item.
    fn heading(&mut self, node: usize, level: usize, title: &str, evidence: bool) -> f32 {
        let s = self.style;
        let word_level = (level + 1).min(4);
        let images = self.opts.evidence == EvidenceMode::Images;
        let (height, page_break) = if level == 0 {
            let h = lines(title, PART_SIZE, s.text_width) * 2.0 * s.line_pitch;
            // The first part follows the section break.
            (h, !self.body.is_empty())
        } else {
            let h = lines(title, s.heading_sizes[word_level - 1], s.text_width - 2.0 * s.body_size) * s.line_pitch;
            (h, self.after_picture || (images && evidence))
        };
        if level == 0 && page_break && self.blank_before(node) {
            self.body.push(Paragraph::new().page_break_before(true).line_spacing(exact(s.line_pitch)));
        }
        self.after_picture = false;
        let name = bookmark(node);
        let (face, bold) = self.faces.heading(level);
        let p = Paragraph::new()
            .style(&format!("Heading{word_level}"))
            .keep_next(true)
            .page_break_before(page_break)
            .add_bookmark_start(node, name)
            .add_run(run(title, if level == 0 { PART_SIZE } else { s.heading_sizes[word_level - 1] }, face, bold))
            .add_bookmark_end(node);
        self.body.push(p);
        height
    }

    /// Whether the PDF binder leaves a blank page before node `node` (a part of a double-sided
    /// binder opening on a right-hand page).
    fn blank_before(&self, node: usize) -> bool {
        let Some(start) = self.plan.nodes.get(node).map(|n| n.start) else { return false };
        match start.checked_sub(1).and_then(|b| self.plan.body.get(b)) {
            Some(crate::plan::BodyPage::Own(k)) => self.plan.narrative.get(*k).is_some_and(|p| p.lines.is_empty()),
            _ => false,
        }
    }

    fn para(&mut self, text: &str) {
        let s = self.style;
        self.after_picture = false;
        // The PDF sets body text on a grid of so many characters a line: the same spacing here,
        // rounded down so that the last character of a full line still fits.
        let tracking = (s.tracking() * 20.0).floor() as i32;
        let mut r = run(text, s.body_size, self.faces.body, false);
        if tracking != 0 {
            r = r.character_spacing(tracking);
        }
        self.body.push(
            Paragraph::new()
                .align(AlignmentType::Both)
                .line_spacing(exact(s.line_pitch))
                .indent(None, Some(SpecialIndentType::FirstLine(twips(2.0 * (s.body_size + s.tracking())))), None, None)
                .first_line_chars(200)
                .add_run(r),
        );
    }

    fn evidence(&mut self, node: usize, level: usize, ev: &Evidence) {
        let height = self.heading(node, level, &ev.title, true);
        match self.opts.evidence {
            EvidenceMode::Images => self.evidence_pictures(ev, height),
            EvidenceMode::List => self.evidence_list(node, ev),
        }
    }

    /// Each document of the item with the pages it takes in the PDF binder.
    fn evidence_list(&mut self, node: usize, ev: &Evidence) {
        let s = self.style;
        let mut first = self.page_of(node);
        for f in &ev.files {
            let count = self.sources.get(&f.path).map(|src| pages_of(f, src.pages).len()).unwrap_or(0);
            let name = Path::new(&f.written).file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_else(|| f.written.clone());
            let pages = match count {
                0 => String::new(),
                1 => format!("第 {first} 页　"),
                n => format!("第 {first}—{} 页　", first + n - 1),
            };
            first += count;
            // The pages lead, so a long name wraps without splitting them.
            self.body.push(
                Paragraph::new()
                    .line_spacing(exact(CONTENTS_PITCH))
                    .indent(Some(twips(4.0 * s.body_size)), None, None, None)
                    .add_run(run(&format!("{pages}{name}"), CONTENTS_SIZE, self.faces.body, false)),
            );
        }
        self.after_picture = false;
    }

    /// Every page of the item as a picture, one per page, fitted inside the margins; the first
    /// under the item's heading, `heading` points high.
    fn evidence_pictures(&mut self, ev: &Evidence, heading: f32) {
        let mut first = true;
        let mut page_no = 0;
        for f in &ev.files {
            let Some(src) = self.sources.get(&f.path) else { continue };
            let keys: Vec<PictureKey> = match (&src.kind, &src.pdf) {
                (Kind::Pdf | Kind::Docx, Some(pdf)) => {
                    pages_of(f, src.pages).into_iter().map(|p| (pdf.clone(), p)).collect()
                }
                (Kind::Tiff(_), _) => pages_of(f, src.pages).into_iter().map(|p| (f.path.clone(), p)).collect(),
                (Kind::Jpeg(_) | Kind::Png(_), _) => vec![(f.path.clone(), 0)],
                (Kind::Pdf | Kind::Docx, None) => Vec::new(),
            };
            for key in keys {
                let Some(pic) = self.pictures.get(&key) else { continue };
                page_no += 1;
                let (page_break, reserve) = if first { (false, heading) } else { (true, 0.0) };
                let descr = format!("{}（第 {page_no} 页）", clean(&ev.title));
                let xml = self.picture(pic, page_break, reserve, &descr);
                let p = self.raw(xml);
                self.body.push(p);
                first = false;
                self.after_picture = true;
            }
        }
    }

    /// A picture paragraph, centred, the picture as large as fits the type area less `reserve`.
    ///
    /// Written by hand: docx-rs gives every picture the same drawing id (Word wants them unique)
    /// and cannot flip a picture. A photo flipped or upside down by its EXIF orientation keeps
    /// its bytes and is shown upright by the drawing's rotation and flip (quarter turns were
    /// made upright in `gather_pictures`, see `raster::upright_jpeg`).
    fn picture(&mut self, pic: &Picture, page_break: bool, reserve: f32, descr: &str) -> String {
        let s = self.style;
        let id = match self.media_of.get(&pic.path) {
            Some(&i) => i,
            None => {
                let i = self.media.len();
                self.media.push(Media {
                    name: format!("image{}.{}", i + 1, pic.format.extension()),
                    rel: format!("rIdDossierPic{}", i + 1),
                    path: pic.path.clone(),
                });
                self.media_of.insert(pic.path.clone(), i);
                i
            }
        };
        self.placed += 1;
        let n = self.placed;
        let (rot, flip_h, flip_v) = orientation_transform(pic.orientation);
        let (w, h) = (pic.width.max(1) as f32, pic.height.max(1) as f32);
        let box_h = (s.text_height - reserve - PICTURE_SLACK).max(s.text_height * 0.3);
        let scale = (s.text_width / w).min(box_h / h);
        let cx = (w * scale * EMU_PER_PT).round() as i64;
        let cy = (h * scale * EMU_PER_PT).round() as i64;
        let media = &self.media[id];
        let mut xfrm = String::new();
        if rot != 0 {
            xfrm.push_str(&format!(" rot=\"{}\"", rot * 60000));
        }
        if flip_h {
            xfrm.push_str(" flipH=\"1\"");
        }
        if flip_v {
            xfrm.push_str(" flipV=\"1\"");
        }
        let brk = if page_break { "<w:pageBreakBefore/>" } else { "" };
        let rfonts = fonts_xml(self.faces.body);
        format!(
            concat!(
                "<w:p><w:pPr>{brk}<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
                "<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:rPr>{rfonts}</w:rPr></w:pPr>",
                "<w:r><w:rPr>{rfonts}<w:noProof/></w:rPr><w:drawing>",
                "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>",
                "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
                "<wp:docPr id=\"{n}\" name=\"图片 {n}\" descr=\"{descr}\"/>",
                "<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>",
                "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\"/><pic:cNvPicPr><a:picLocks noChangeAspect=\"1\" noChangeArrowheads=\"1\"/></pic:cNvPicPr></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr bwMode=\"auto\"><a:xfrm{xfrm}><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>",
                "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ),
            brk = brk,
            rfonts = rfonts,
            cx = cx,
            cy = cy,
            n = n,
            descr = esc(descr),
            name = esc(&media.name),
            rel = media.rel,
            xfrm = xfrm,
        )
    }
}

/// The bookmark on the heading of outline node `node`, where its contents entry links.
fn bookmark(node: usize) -> String {
    format!("_Toc{:08}", node + 1)
}

/// EXIF orientations that keep the picture's box (flips and the half turn) as DrawingML's
/// rotation in degrees and flips.
fn orientation_transform(orientation: u8) -> (u32, bool, bool) {
    match orientation {
        2 => (0, true, false),
        3 => (180, false, false),
        4 => (0, false, true),
        _ => (0, false, false),
    }
}

impl Binder {
    /// Render the document, put the hand-written parts in place and write the package.
    pub fn write<W: Write + Seek>(self, out: W) -> std::io::Result<W> {
        let xml = self.docx.build();
        let bad = |what: &str| std::io::Error::other(format!("the Word document could not be assembled: {what}"));
        let document = String::from_utf8(xml.document).map_err(|_| bad("document.xml is not UTF-8"))?;
        let document = replace_raws(&document, &self.raws).ok_or_else(|| bad("a part went missing"))?;
        let document = share_even_footer(&fix_page_numbers(&document));
        let rels = String::from_utf8(xml.document_rels).map_err(|_| bad("the relationships are not UTF-8"))?;
        let mut extra = String::new();
        for m in &self.media {
            extra.push_str(&format!(
                r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{}" />"#,
                m.rel, m.name
            ));
        }
        let at = rels.rfind("</Relationships>").ok_or_else(|| bad("no relationships"))?;
        let rels = format!("{}{extra}{}", &rels[..at], &rels[at..]);

        use zip::write::SimpleFileOptions;
        let mut zip = zip::ZipWriter::new(out);
        let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        // JPEG and PNG are compressed already.
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut part = |name: &str, data: &[u8]| -> std::io::Result<()> {
            zip.start_file(name, deflated).map_err(std::io::Error::other)?;
            zip.write_all(data)
        };
        part("[Content_Types].xml", &xml.content_type)?;
        part("_rels/.rels", &xml.rels)?;
        part("docProps/app.xml", &xml.doc_props.app)?;
        // docx-rs has no way to set the title; the author would be "unknown".
        let author = esc(self.author.as_deref().unwrap_or(&self.title));
        let core = String::from_utf8_lossy(&xml.doc_props.core)
            .replacen(
                "<dc:creator>unknown</dc:creator>",
                &format!("<dc:title>{}</dc:title><dc:creator>{author}</dc:creator>", esc(&self.title)),
                1,
            )
            .replacen(
                "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
                1,
            );
        part("docProps/core.xml", core.as_bytes())?;
        part("docProps/custom.xml", &xml.doc_props.custom)?;
        part("word/_rels/document.xml.rels", rels.as_bytes())?;
        part("word/document.xml", document.as_bytes())?;
        part("word/styles.xml", &xml.styles)?;
        part("word/settings.xml", &xml.settings)?;
        part("word/fontTable.xml", &xml.font_table)?;
        part("word/comments.xml", &xml.comments)?;
        part("word/numbering.xml", &xml.numberings)?;
        part("word/commentsExtended.xml", &xml.comments_extended)?;
        part("word/footnotes.xml", &xml.footnotes)?;
        // Headers and footers are numbered as docx-rs numbered their relationships.
        for (i, h) in xml.headers.iter().enumerate() {
            part(&format!("word/header{}.xml", i + 1), h)?;
            if let Some(r) = xml.header_rels.get(i) {
                part(&format!("word/_rels/header{}.xml.rels", i + 1), r)?;
            }
        }
        for (i, f) in xml.footers.iter().enumerate() {
            part(&format!("word/footer{}.xml", i + 1), f)?;
            if let Some(r) = xml.footer_rels.get(i) {
                part(&format!("word/_rels/footer{}.xml.rels", i + 1), r)?;
            }
        }
        for m in &self.media {
            zip.start_file(format!("word/media/{}", m.name), stored).map_err(std::io::Error::other)?;
            let mut f = std::fs::File::open(&m.path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", m.path.display())))?;
            std::io::copy(&mut f, &mut zip)?;
        }
        zip.finish().map_err(std::io::Error::other)
    }
}

/// Replace each marker paragraph with its XML. Markers come in document order.
fn replace_raws(document: &str, raws: &[String]) -> Option<String> {
    let mut out = String::with_capacity(document.len() + raws.iter().map(String::len).sum::<usize>());
    let mut rest = document;
    for (n, xml) in raws.iter().enumerate() {
        let at = rest.find(&marker(n))?;
        let start = rest[..at].rfind("<w:p ").or_else(|| rest[..at].rfind("<w:p>"))?;
        let end = at + rest[at..].find("</w:p>")? + "</w:p>".len();
        out.push_str(&rest[..start]);
        out.push_str(xml);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The contents section counts i, ii, … like the PDF's. docx-rs writes no number format, so the
/// first section that restarts numbering, the contents', gets it here.
fn fix_page_numbers(document: &str) -> String {
    document.replacen("<w:pgNumType w:start=\"1\" />", "<w:pgNumType w:fmt=\"lowerRoman\" w:start=\"1\" />", 1)
}

/// docx-rs keeps only the first footer given to a section of its own (the contents'), so the
/// contents' even pages get the body's even-page footer here: the same text, "— N —" on the left.
fn share_even_footer(document: &str) -> String {
    let even = "<w:footerReference w:type=\"even\" r:id=\"";
    let default = "<w:footerReference w:type=\"default\" r:id=\"";
    let patched = (|| {
        let at = document.rfind(even)? + even.len();
        let id = &document[at..at + document[at..].find('"')?];
        let first = document.find(default)?;
        let section_end = first + document[first..].find("</w:sectPr>")?;
        if document[first..section_end].contains(even) {
            return None;
        }
        let tag_end = first + document[first..].find("/>")? + 2;
        Some(format!("{}{even}{id}\" />{}", &document[..tag_end], &document[tag_end..]))
    })();
    patched.unwrap_or_else(|| document.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_in_order() {
        let doc = format!(
            "<w:body><w:p w14:paraId=\"1\"><w:r><w:t>a</w:t></w:r></w:p><w:p w14:paraId=\"2\"><w:pPr/><w:r><w:t>{}</w:t></w:r></w:p><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body>",
            marker(0),
            marker(1)
        );
        let out = replace_raws(&doc, &["<X/>".into(), "<Y/>".into()]).expect("replaced");
        assert_eq!(out, "<w:body><w:p w14:paraId=\"1\"><w:r><w:t>a</w:t></w:r></w:p><X/><Y/></w:body>");
        assert!(replace_raws(&doc, &["<X/>".into(), "<Y/>".into(), "<Z/>".into()]).is_none());
    }

    #[test]
    fn clean_text() {
        assert_eq!(clean(" a\u{7}b\u{F8FF}c "), " a bc ");
    }
}
