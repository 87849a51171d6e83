//! Searchable scans (`--ocr`): between plan and assembly, every body page whose source has no text
//! of its own (a scanned PDF page, a photo, a TIFF frame) is read by the OCR engine, and the
//! assembler lays the words over the page as invisible text. Pages are read from the source's own
//! image, never from the binder, and results are cached by the image's content, so a rebuild reads
//! only what is new.
//!
//! The same reading finds pages that stand upside down or sideways (turned upright in the binder)
//! and the blank backs of duplex scans.

pub mod engine;
mod font;
pub mod layer;
mod memo;
mod own_text;
pub mod raster;
mod stored;
pub mod title;
mod tsv;

use crate::error::{Diagnostic, Problem};
use crate::outline::Dossier;
use crate::plan::{BodyPage, Plan};
use crate::sources::{Kind, Sources};
pub use engine::Engine;
use memo::{Memo, Placement, Seen};
use raster::{PdfPage, Picture};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use stored::Stored;

pub use crate::geom::{Matrix, mul};

pub fn invert(m: Matrix) -> Matrix {
    let det = m[0] * m[3] - m[1] * m[2];
    if det.abs() < 1e-12 {
        return [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    }
    let (a, b, c, d) = (m[3] / det, -m[1] / det, -m[2] / det, m[0] / det);
    [a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d)]
}

/// A recognised word: its text and where it runs along its line (pixels of the picture read).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub conf: f32,
}

/// A line of words, with its box (pixels, origin top left).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub words: Vec<Word>,
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

/// What the engine made of one picture: what the cache keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recognised {
    /// Size of the picture read (as shown, after any turn).
    pub width: u32,
    pub height: u32,
    pub lines: Vec<Line>,
    /// Degrees clockwise the page was turned to stand upright.
    pub turn: u16,
    /// A scanned page with no text and next to no ink: the empty back of a duplex scan.
    pub blank: bool,
}

/// The text layer of one binder page, ready for the assembler.
#[derive(Debug, Clone)]
pub struct PageText {
    /// The layer's content stream, deflated, in the space of the picture read (pixels, y up);
    /// empty when there is nothing to draw.
    pub layer: Vec<u8>,
    /// Any legible word read.
    pub words: bool,
    /// The layer's text space onto the source's space (PDF user space; a picture's unit square).
    pub to_source: Matrix,
    /// Degrees clockwise the assembler turns the page so that it stands upright.
    pub turn: u16,
}

/// Where a binder page's text comes from, for the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOrigin {
    Own,
    Ocr,
    None,
}

impl TextOrigin {
    pub fn key(self) -> &'static str {
        match self {
            TextOrigin::Own => "own",
            TextOrigin::Ocr => "ocr",
            TextOrigin::None => "none",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub engine: Engine,
    /// Turn pages found upside down or sideways (`"ocr_rotate"`, on unless set to false).
    pub rotate: bool,
    pub cache_dir: PathBuf,
    pub progress: crate::progress::Reporter,
}

/// The text layers of a binder and what reading its pages found.
#[derive(Debug, Default)]
pub struct Layers {
    /// By source file (as the outline names it) and page or frame (0-based).
    pub pages: HashMap<(PathBuf, u32), PageText>,
    /// Source pages with text of their own.
    pub own: std::collections::HashSet<(PathBuf, u32)>,
    /// Turned pages, blank pages, pages the engine failed on.
    pub warnings: Vec<Diagnostic>,
    /// Source pages found blank.
    pub blank: Vec<(PathBuf, u32)>,
    /// Pages read by the engine in this build (not from the cache).
    pub read: usize,
    /// Pages whose reading came from the cache.
    pub cached: usize,
}

/// Orientation is trusted above this confidence (Tesseract's OSD margin; a page read upside down
/// scores 3–5, chance about 1).
const OSD_MIN_CONFIDENCE: f32 = 2.0;
/// A scanned page with fewer confident words than this and almost no ink is blank.
const BLANK_MAX_WORDS: usize = 3;
const BLANK_MAX_INK: f32 = 0.002;
/// Pictures held for the engine at once, in bytes: a cold build of a thousand-page scan must not
/// hold every page in memory.
const BATCH_BYTES: usize = 64 << 20;

fn warn(key: &'static str, args: Vec<(&'static str, String)>) -> Problem {
    Problem::Ocr { key, args }
}

/// A page to read: which body page, its picture and its cache key.
struct Job {
    at: (PathBuf, u32),
    picture: Picture,
    key: String,
}

impl Placement {
    fn page_text(&self, r: Stored) -> PageText {
        let shown = raster::turn_exif(self.shown, r.turn);
        let (w, h) = raster::shown_size(self.width, self.height, shown);
        let to_unit = [1.0 / w as f32, 0.0, 0.0, 1.0 / h as f32, 0.0, 0.0];
        let to_source = mul(mul(to_unit, invert(raster::orient_unit(shown))), self.placed);
        PageText { layer: r.layer, words: r.words, to_source, turn: r.turn }
    }
}

impl Layers {
    /// The text layer for a body page, if it has one.
    pub fn page(&self, page: &BodyPage) -> Option<&PageText> {
        match page {
            BodyPage::Own(_) => None,
            BodyPage::Pdf { source, page, .. } | BodyPage::Image { source, frame: page } => {
                self.pages.get(&(source.clone(), *page))
            }
        }
    }

    /// Where a body page's text comes from.
    pub fn origin(&self, page: &BodyPage) -> TextOrigin {
        match page {
            BodyPage::Own(_) => TextOrigin::Own,
            BodyPage::Pdf { source, page, .. } | BodyPage::Image { source, frame: page } => {
                let key = (source.clone(), *page);
                if self.own.contains(&key) {
                    TextOrigin::Own
                } else if self.pages.get(&key).is_some_and(|t| t.words) {
                    TextOrigin::Ocr
                } else {
                    TextOrigin::None
                }
            }
        }
    }
}

/// Read every body page of `plan` that has no text of its own. With `drop_blank`, blank pages are
/// reported as left out (the caller leaves them out).
pub fn recognise(dossier: &Dossier, plan: &Plan, sources: &Sources, settings: &Settings, drop_blank: bool) -> Layers {
    let mut layers = Layers::default();
    let dir = settings.cache_dir.join("ocr");
    let _ = std::fs::create_dir_all(&dir);
    let settings_key = format!("{}; rotate {}", settings.engine.settings(), settings.rotate && settings.engine.has_osd);
    let total = plan.body.iter().filter(|p| !matches!(p, BodyPage::Own(_))).count();
    let mut done = 0;
    let mut batch: Vec<Job> = Vec::new();
    let mut batch_bytes = 0;
    let mut placements: HashMap<(PathBuf, u32), Placement> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    type Results = Vec<((PathBuf, u32), Result<(Stored, bool), Problem>)>;
    let mut results: Results = Vec::new();
    type Opened = Result<(lopdf::Document, Vec<Option<lopdf::ObjectId>>), Problem>;
    let mut open: Option<(PathBuf, Opened)> = None;

    // Made when the engine first has a page to read: a rebuild with nothing new makes none.
    let work = std::cell::OnceCell::new();
    let run_batch = |batch: &mut Vec<Job>, results: &mut Results, done: &mut usize| {
        let work = work.get_or_init(|| {
            let w = crate::sources::docx::tempdir_in(&dir).unwrap_or_else(|_| dir.join("work"));
            let _ = std::fs::create_dir_all(&w);
            w
        });
        let jobs = std::mem::take(batch);
        let counter = std::sync::atomic::AtomicUsize::new(*done);
        let out = crate::sources::parallel_map(&jobs, |job| {
            let r = read_page(&settings.engine, &job.picture, settings.rotate, &work.join(&job.key))
                .map(|r| stored::store(&dir, &job.key, &r));
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            settings.progress.advanced(crate::progress::Stage::Ocr, n, total);
            r
        });
        *done += jobs.len();
        for (job, r) in jobs.iter().zip(out) {
            results.push((job.at.clone(), r.map(|r| (r, false))));
        }
    };

    let mut memo = Memo::open(&dir, &settings_key);
    for page in &plan.body {
        // Known from the last build: the file is not opened, the picture not hashed.
        let file = match page {
            BodyPage::Own(_) => continue,
            BodyPage::Pdf { pdf, .. } => pdf.as_path(),
            BodyPage::Image { source, .. } => sources.get(source).map_or(source.as_path(), |s| s.data_path(source)),
        };
        let (BodyPage::Pdf { source, page: page_no, .. } | BodyPage::Image { source, frame: page_no }) = page else {
            continue;
        };
        let at = (source.clone(), *page_no);
        if seen.contains(&at) {
            continue;
        }
        match memo.get(file, *page_no) {
            Some(Seen::Own) => {
                layers.own.insert(at);
                done += 1;
                continue;
            }
            Some(Seen::Nothing) => {
                done += 1;
                continue;
            }
            Some(Seen::Picture { key, placement }) => {
                if let Some(r) = stored::open(&dir, key) {
                    seen.insert(at.clone());
                    placements.insert(at.clone(), placement.clone());
                    results.push((at, Ok((r, true))));
                    done += 1;
                    settings.progress.advanced(crate::progress::Stage::Ocr, done, total);
                    continue;
                }
            }
            None => {}
        }
        let (source, page_no, picture) = match page {
            BodyPage::Own(_) => continue,
            BodyPage::Pdf { source, pdf, page } => {
                if open.as_ref().is_none_or(|(p, _)| p != pdf) {
                    let doc = crate::sources::pdf::open(pdf)
                        .and_then(|d| crate::sources::pdf::page_slots(&d).map(|s| (d, s)));
                    open = Some((pdf.clone(), doc));
                }
                let Some((_, Ok((doc, slots)))) = &open else { continue };
                let Some(Some(id)) = slots.get(*page as usize) else { continue };
                match raster::pdf_page(doc, *id) {
                    PdfPage::HasText => {
                        layers.own.insert((source.clone(), *page));
                        memo.put(pdf, *page, Seen::Own);
                        done += 1;
                        continue;
                    }
                    PdfPage::Nothing => {
                        memo.put(pdf, *page, Seen::Nothing);
                        done += 1;
                        continue;
                    }
                    PdfPage::Picture(p) => (source, *page, Ok(*p)),
                }
            }
            BodyPage::Image { source, frame } => {
                let Some(src) = sources.get(source) else { continue };
                let pic = match &src.kind {
                    Kind::Jpeg(i) => raster::photo(src.data_path(source), false, i.width, i.height, i.orientation),
                    Kind::Png(i) => raster::photo(src.data_path(source), true, i.width, i.height, i.orientation),
                    Kind::Tiff(frames) => match frames.get(*frame as usize) {
                        Some(f) => raster::tiff_frame(source, *frame, f.width, f.height),
                        None => continue,
                    },
                    Kind::Pdf | Kind::Docx => continue,
                };
                (source, *frame, pic)
            }
        };
        let at = (source.clone(), page_no);
        if !seen.insert(at.clone()) {
            continue;
        }
        let picture = match picture {
            Ok(p) => p,
            Err(p) => {
                results.push((at, Err(p)));
                continue;
            }
        };
        let mut h = Sha256::new();
        h.update(picture.hash);
        h.update([picture.shown, picture.scan as u8]);
        h.update(settings_key.as_bytes());
        let key = crate::sources::docx::hex(&h.finalize()[..16]);
        let placement =
            Placement { width: picture.width, height: picture.height, shown: picture.shown, placed: picture.placed };
        memo.put(file, page_no, Seen::Picture { key: key.clone(), placement: placement.clone() });
        placements.insert(at.clone(), placement);
        if let Some(r) = stored::open(&dir, &key) {
            results.push((at, Ok((r, true))));
            done += 1;
            settings.progress.advanced(crate::progress::Stage::Ocr, done, total);
            continue;
        }
        batch_bytes += match &picture.pixels {
            raster::Pixels::Jpeg(d) | raster::Pixels::Png(d) => d.len(),
            raster::Pixels::G4 { data, .. } | raster::Pixels::Raw { data, .. } => data.len(),
            raster::Pixels::TiffFrame(..) => 0,
        };
        batch.push(Job { at, picture, key });
        if batch_bytes > BATCH_BYTES {
            run_batch(&mut batch, &mut results, &mut done);
            batch_bytes = 0;
        }
    }
    drop(open);
    memo.save();
    if !batch.is_empty() {
        run_batch(&mut batch, &mut results, &mut done);
    }
    if let Some(work) = work.get() {
        let _ = std::fs::remove_dir_all(work);
    }

    for ((source, page), r) in results {
        let placement = placements.remove(&(source.clone(), page));
        let entry = dossier.entry_of(&source);
        let page_arg = || ("page", (page + 1).to_string());
        match r {
            Ok((r, cached)) => {
                if cached {
                    layers.cached += 1;
                } else {
                    layers.read += 1;
                }
                if r.turn != 0 {
                    layers.warnings.push(Diagnostic::warning(
                        &entry,
                        Some(source.clone()),
                        warn("page_turned", vec![page_arg(), ("degrees", r.turn.to_string())]),
                    ));
                }
                if r.blank && !layers.blank.contains(&(source.clone(), page)) {
                    layers.blank.push((source.clone(), page));
                    let key = if drop_blank { "blank_page_dropped" } else { "blank_page" };
                    layers.warnings.push(Diagnostic::warning(
                        &entry,
                        Some(source.clone()),
                        warn(key, vec![page_arg()]),
                    ));
                }
                if let Some(placement) = placement
                    && (r.turn != 0 || r.words)
                {
                    layers.pages.insert((source.clone(), page), placement.page_text(r));
                }
            }
            Err(p) => {
                let why = p.message(crate::error::Lang::En);
                layers.warnings.push(Diagnostic::warning(
                    &entry,
                    Some(source),
                    warn("page_failed", vec![page_arg(), ("why", why)]),
                ));
            }
        }
    }
    layers
}

/// The lines worth a place in the text layer. The Chinese model reads marks that are not Chinese
/// text (a seal's rim, a signature, table rules, a photo's background, a scanner's or fax machine's
/// imprint of codes and numbers) as lines of Latin letters and digits it is unsure of: "TAN",
/// "BBS", a code with a digit too many. Copied or found by search they only mislead, so a line with
/// no Chinese in it stays out unless the engine is sure of it. Latin words inside a Chinese line
/// ("Web课程", "1+X证书") stay whatever their confidence: the line around them is text.
/// Applied when the layer is made, not to what the cache keeps, so the rule can change without
/// reading anything again.
pub fn legible(lines: Vec<Line>) -> Vec<Line> {
    lines
        .into_iter()
        .filter(|l| {
            let has_cjk = l.words.iter().any(|w| w.text.chars().any(layer::is_cjk_ideograph));
            let mean = l.words.iter().map(|w| w.conf).sum::<f32>() / l.words.len().max(1) as f32;
            has_cjk || mean >= SURE
        })
        .collect()
}

/// Confidence (Tesseract's 0–100) of a word read for sure; also how a turn is judged.
const SURE: f32 = 60.0;

/// Whether a line stands on end: taller than twice its width, with more than one character.
fn standing(l: &Line) -> bool {
    l.words.iter().map(|w| w.text.chars().count()).sum::<usize>() > 1 && (l.bottom - l.top) > 2.0 * (l.right - l.left)
}

/// Characters read with confidence: how well a picture read, to choose between two turns. Lines
/// standing on end do not count: the Chinese model reads a page lying on its side as columns of
/// vertical text, often with as many confident characters as the page read upright.
fn score(lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|l| !standing(l))
        .flat_map(|l| &l.words)
        .filter(|w| w.conf >= SURE)
        .map(|w| w.text.chars().count())
        .sum()
}

/// Whether a reading looks like a page that is not upright: little read with confidence, or
/// lines standing on end.
fn looks_turned(lines: &[Line]) -> bool {
    let words: Vec<&Word> = lines.iter().flat_map(|l| &l.words).collect();
    if words.len() < 8 {
        return true;
    }
    let mean = words.iter().map(|w| w.conf).sum::<f32>() / words.len() as f32;
    let long: Vec<&Line> = lines.iter().filter(|l| l.words.len() >= 3).collect();
    let on_end = long.iter().filter(|l| standing(l)).count();
    mean < 70.0 || (!long.is_empty() && on_end * 2 > long.len())
}

/// The picture as shown under `shown`, in a file the engine reads, plus its size.
fn feed(p: &Picture, shown: u8, gray: &mut Option<raster::Gray>, base: &Path) -> Result<(PathBuf, u32, u32), Problem> {
    let io = |e: std::io::Error| warn("failed", vec![("why", e.to_string())]);
    if shown == 1 {
        let plain = match &p.pixels {
            raster::Pixels::Jpeg(d) => Some((d, "jpg")),
            raster::Pixels::Png(d) => Some((d, "png")),
            _ => None,
        };
        if let Some((data, ext)) = plain {
            let path = base.with_extension(ext);
            std::fs::write(&path, data).map_err(io)?;
            return Ok((path, p.width, p.height));
        }
    }
    if gray.is_none() {
        *gray = Some(raster::decode(&p.pixels)?);
    }
    let Some(g) = gray.as_ref() else { return Err(warn("failed", vec![("why", "no pixels".into())])) };
    let shown_px = raster::turn(g, shown);
    let path = base.with_extension("pgm");
    raster::write_pgm(&shown_px, &path).map_err(io)?;
    Ok((path, shown_px.width, shown_px.height))
}

/// Read one picture: as shown, and turned when it reads like a page that is not upright.
fn read_page(engine: &Engine, p: &Picture, rotate: bool, base: &Path) -> Result<Recognised, Problem> {
    let mut gray = None;
    let (fed, width, height) = feed(p, p.shown, &mut gray, base)?;
    let lines = tsv::parse(&engine.recognise(&fed, base)?);
    let mut best = Recognised { width, height, lines, turn: 0, blank: false };
    if rotate && engine.has_osd && looks_turned(&best.lines) {
        let osd = engine.orientation(&fed, &base.with_extension("o"));
        if let Some((turn, conf)) = osd
            && turn != 0
            && conf >= OSD_MIN_CONFIDENCE
        {
            let shown = raster::turn_exif(p.shown, turn);
            let turned_base = base.with_extension("t");
            let (fed2, w2, h2) = feed(p, shown, &mut gray, &turned_base)?;
            let lines = tsv::parse(&engine.recognise(&fed2, &turned_base)?);
            let _ = std::fs::remove_file(&fed2);
            if score(&lines) > score(&best.lines) {
                best = Recognised { width: w2, height: h2, lines, turn, blank: false };
            }
        }
    }
    let _ = std::fs::remove_file(&fed);
    let confident = best.lines.iter().flat_map(|l| &l.words).filter(|w| w.conf >= 50.0).count();
    if p.scan && confident < BLANK_MAX_WORDS {
        if gray.is_none() {
            gray = raster::decode(&p.pixels).ok();
        }
        best.blank = gray.as_ref().is_some_and(|g| raster::ink(g) < BLANK_MAX_INK);
        if best.blank {
            best.turn = 0;
            best.lines.clear();
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[(&str, f32)]) -> Line {
        let words = words.iter().map(|(t, c)| Word { text: t.to_string(), x0: 0.0, x1: 1.0, conf: *c }).collect();
        Line { words, top: 0.0, bottom: 10.0, left: 0.0, right: 100.0 }
    }

    #[test]
    fn unsure_lines_without_chinese_stay_out_of_the_layer() {
        let lines = vec![
            line(&[("SRC-t609882fa-P1", 56.0)]),
            line(&[("研修", 95.0), ("结业", 96.0)]),
            line(&[("为落实", 90.0), ("Web", 57.8), ("课程", 91.0)]),
            line(&[("TAN", 0.0), ("TS", 1.0)]),
            line(&[("ISO", 96.0), ("9001", 91.0)]),
        ];
        let kept: Vec<String> = legible(lines).iter().map(|l| l.words[0].text.clone()).collect();
        assert_eq!(kept, ["研修", "为落实", "ISO"]);
    }

    #[test]
    fn inverse_undoes_the_matrix() {
        let m = [0.0, -2.0, 3.0, 0.0, 10.0, 20.0];
        let r = mul(m, invert(m));
        for (a, b) in r.iter().zip([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]) {
            assert!((a - b).abs() < 1e-5, "{r:?}");
        }
    }
}
