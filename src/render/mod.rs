//! Stage 4: the pages we make ourselves, drawn with krilla into one small PDF: the cover, the 目录,
//! the narrative pages, and one page-number stamp for every source page. Sharing one document means
//! one font subset serves them all. Assembly takes this PDF apart and places its pages.

mod cover;

use crate::outline::Dossier;
use crate::plan::{BodyPage, Plan};
use crate::typeset::text::Face;
use crate::typeset::{self, Fonts, Placed, Style, Which};
use krilla::geom::{Point, Size};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::{Document, SerializeSettings};

/// Size of a stamp page: wide enough for a five-digit number, as tall as the number band.
pub const STAMP_WIDTH: f32 = 160.0;
/// Size of the note put on a source page whose content was damaged beyond recovery.
pub const NOTE_SIZE: (f32, f32) = (320.0, 40.0);

pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Page index in `pdf` of the first contents page; the cover is page 0.
    pub contents_start: usize,
    pub narrative_start: usize,
    /// For each body page: the page in `pdf` that shows it (own pages) or its number stamp.
    pub body_pages: Vec<usize>,
    /// The page in `pdf` with the note for a damaged source page: used only if one is found.
    pub note: usize,
}

/// Our own pages, drawn now or on a thread of their own. Assembly copies the sources' pages first
/// and needs our pages only after them: drawn beside it, they no longer hold up the copying, which
/// waited a fifth of a rebuild for them (mostly krilla subsetting the fonts).
pub struct Drawn {
    done: std::sync::OnceLock<Result<Rendered, String>>,
    pending: std::sync::Mutex<Option<std::sync::mpsc::Receiver<Result<Rendered, String>>>>,
}

impl Drawn {
    pub fn ready(r: Result<Rendered, String>) -> Drawn {
        Drawn { done: std::sync::OnceLock::from(r), pending: std::sync::Mutex::new(None) }
    }

    /// Pages that arrive on `rx` when drawn.
    pub fn later(rx: std::sync::mpsc::Receiver<Result<Rendered, String>>) -> Drawn {
        Drawn { done: std::sync::OnceLock::new(), pending: std::sync::Mutex::new(Some(rx)) }
    }

    /// The pages, waiting for them if need be.
    pub fn get(&self) -> Result<&Rendered, String> {
        self.done
            .get_or_init(|| {
                let rx = self.pending.lock().ok().and_then(|mut p| p.take());
                rx.and_then(|rx| rx.recv().ok()).unwrap_or_else(|| Err("drawing our own pages stopped".into()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

pub fn render(dossier: &Dossier, plan: &Plan, style: &Style, fonts: &Fonts) -> Result<Rendered, String> {
    let face = &fonts.body;
    let mut doc = Document::new_with(SerializeSettings {
        xmp_metadata: false,
        enable_tagging: false,
        // Compressed in assembly instead: see `assemble::compress_own`.
        compress_content_streams: false,
        ..SerializeSettings::default()
    });
    let size = |w: f32, h: f32| Size::from_wh(w, h).ok_or_else(|| format!("bad page size {w}×{h}"));
    let (pw, ph) = style.page;

    {
        let mut page = doc.start_page_with(PageSettings::new(size(pw, ph)?));
        let mut s = page.surface();
        cover::draw(&mut s, dossier, style, fonts);
        s.finish();
        page.finish();
    }
    let contents_start = 1;
    for (i, cp) in plan.contents.iter().enumerate() {
        let mut page = doc.start_page_with(PageSettings::new(size(pw, ph)?));
        let mut s = page.surface();
        draw_lines(&mut s, fonts, &cp.lines);
        let n = i as u32 + 1;
        draw_number(&mut s, style, fonts, pw, ph, n, &typeset::roman(n));
        s.finish();
        page.finish();
    }
    let narrative_start = contents_start + plan.contents.len();
    let mut body_pages = vec![0; plan.body.len()];
    let mut own_index = vec![0; plan.narrative.len()];
    for (b, page) in plan.body.iter().enumerate() {
        if let BodyPage::Own(k) = page {
            own_index[*k] = b;
        }
    }
    for (k, fp) in plan.narrative.iter().enumerate() {
        let b = own_index[k];
        body_pages[b] = narrative_start + k;
        let mut page = doc.start_page_with(PageSettings::new(size(pw, ph)?));
        let mut s = page.surface();
        draw_lines(&mut s, fonts, &fp.lines);
        let n = plan.number(b) as u32;
        draw_number(&mut s, style, fonts, pw, ph, n, &n.to_string());
        s.finish();
        page.finish();
    }
    // Stamps: one box per source page with its number, aligned in the box as the box is aligned on
    // the page, so assembly only has to place the box.
    let mut next = narrative_start + plan.narrative.len();
    for (b, page) in plan.body.iter().enumerate() {
        if matches!(page, BodyPage::Own(_)) {
            continue;
        }
        let n = plan.number(b) as u32;
        let text = typeset::number_text(&n.to_string());
        let line = typeset::text::shape_line(face, &text, style.number_size);
        // Placed within the box the way the box is placed on the page (see assemble).
        let x = match style.numbers {
            typeset::Numbers::Centre => (STAMP_WIDTH - line.width) / 2.0,
            typeset::Numbers::Outer if n % 2 == 1 => STAMP_WIDTH - line.width,
            typeset::Numbers::Outer => 0.0,
        };
        let mut p = doc.start_page_with(PageSettings::new(size(STAMP_WIDTH, style.band)?));
        let mut s = p.surface();
        let baseline = style.band - style.number_baseline_from_bottom(style.page.1);
        draw_lines(
            &mut s,
            fonts,
            &[Placed { x, baseline, size: style.number_size, face: Which::Body, bold: false, line }],
        );
        s.finish();
        p.finish();
        body_pages[b] = next;
        next += 1;
    }
    // Damage is found only while pages are copied, so the note is drawn every time: a few glyphs
    // in a font subset that is there anyway.
    let note = next;
    {
        let text = crate::i18n::Lang::Zh.t("damaged.note");
        let size_pt = 14.0;
        let line = typeset::text::shape_line(face, text, size_pt);
        let (w, h) = NOTE_SIZE;
        let mut p = doc.start_page_with(PageSettings::new(size(w, h)?));
        let mut s = p.surface();
        let placed = Placed {
            x: (w - line.width) / 2.0,
            baseline: h / 2.0 + size_pt * 0.35,
            size: size_pt,
            face: Which::Body,
            bold: false,
            line,
        };
        draw_lines(&mut s, fonts, &[placed]);
        s.finish();
        p.finish();
    }
    let pdf = doc.finish().map_err(|e| format!("{e:?}"))?;
    Ok(Rendered { pdf, contents_start, narrative_start, body_pages, note })
}

pub(crate) fn draw_lines(s: &mut Surface, fonts: &Fonts, lines: &[Placed]) {
    for p in lines {
        let face: &Face = fonts.get(p.face);
        if p.line.glyphs.is_empty() {
            continue;
        }
        // A light stroke over the fill sets headings heavier without a second font file.
        s.set_fill(Some(Fill::default()));
        s.set_stroke(p.bold.then(|| Stroke { width: p.size * 0.03, ..Stroke::default() }));
        s.draw_glyphs(Point::from_xy(p.x, p.baseline), &p.line.glyphs, face.font(), &p.line.text, p.size, false);
    }
    s.set_stroke(None);
}

fn draw_number(s: &mut Surface, style: &Style, fonts: &Fonts, pw: f32, ph: f32, n: u32, label: &str) {
    let face = &fonts.body;
    let text = typeset::number_text(label);
    let line = typeset::text::shape_line(face, &text, style.number_size);
    let (x, baseline) = typeset::number_position(style, face, pw, ph, n, label);
    draw_lines(s, fonts, &[Placed { x, baseline, size: style.number_size, face: Which::Body, bold: false, line }]);
}
