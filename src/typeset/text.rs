//! Line breaking and justification for the pages dossier sets itself (cover, 目录, narrative).
//!
//! A paragraph is shaped once with rustybuzz, so Latin gets the font's own advances and kerning;
//! lines are then cut between shaped clusters, never re-shaped.
//!
//! Break opportunities are UAX #14's, corrected for Chinese typesetting (禁则):
//! - a break is removed when the next line would start with a closing mark (，。、）” …) or the
//!   line would end with an opening mark (（“《 …), or when it would split "——" or "……";
//! - a break is removed between two Latin/digit characters, so "MA-ELTA", "1+X", "100%" stay whole;
//! - a break is added before “‘ and after ”’ next to Chinese text: UAX #14 class QU glues quotes
//!   to both neighbours, but in Chinese they behave like brackets.
//!
//! When a forbidden mark would start a line, the character before it moves down with it (推出):
//! the pair is one unbreakable unit. Hanging punctuation (悬挂) would keep lines fuller, but it
//! draws past the measure, which the cover and 目录 boxes cannot afford, and justification hides
//! the extra space 推出 leaves.
//!
//! Text round trip: every line's `text` is a slice of the paragraph and its glyph ranges tile
//! it. Concatenating the `text` of all lines gives back the paragraph minus the whitespace
//! dropped at line ends: spaces (also U+3000) where a line wraps, and the "\n" or "\r\n" of a
//! hard break. Text after the last "\n" makes a line; a trailing "\n" does not add an empty one.

use std::ops::Range;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Slack for width comparisons in pt, so a line of exactly the measure counts as fitting.
const EPS: f64 = 1e-3;

/// Marks that may not start a line.
const NO_START: &str = "，。、；：！？）」』”’》〉】〕…⋯·・‧,.;:!?)]}%％‰℃］｝〗〙〛｠〞〟．｡､";
/// Marks that may not end a line.
const NO_END: &str = "（「『“‘《〈【〔([{［｛〖〘〚｟〝";

/// A font loaded once: its bytes for shaping with rustybuzz and krilla's handle for drawing.
pub struct Face {
    shaper: rustybuzz::Face<'static>,
    font: Font,
    upem: f32,
}

impl Face {
    /// None when the bytes are not a usable font (the caller turns that into an error naming the file).
    ///
    /// The bytes stay allocated for the rest of the process: a face is loaded once, and keeping a
    /// parsed shaper around (instead of re-parsing per paragraph) needs them to outlive it.
    pub fn new(data: Vec<u8>, index: u32) -> Option<Face> {
        // Validate first so a bad file does not pin its bytes.
        rustybuzz::Face::from_slice(&data, index)?;
        Face::from_static(Box::leak(data.into_boxed_slice()), index)
    }

    /// A font file, mapped rather than read: a CJK font is 10–20 MB, of which a binder touches the
    /// few hundred glyphs it sets, and only the pages touched take memory.
    pub fn open(path: &std::path::Path, index: u32) -> std::io::Result<Option<Face>> {
        let file = std::fs::File::open(path)?;
        // SAFETY: the map is read-only and lives for the rest of the process. A font file changed
        // on disk during a build would show wrong glyphs or stop the build; fonts are installed
        // files that do not change while a binder is being built.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        if rustybuzz::Face::from_slice(&map, index).is_none() {
            return Ok(None);
        }
        let map: &'static memmap2::Mmap = Box::leak(Box::new(map));
        Ok(Face::from_static(map, index))
    }

    /// Like `new`, without copying a font that is already in the binary (`include_bytes!`).
    pub fn from_static(bytes: &'static [u8], index: u32) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(bytes, index)?;
        let font = Font::new(bytes.into(), index)?;
        let upem = shaper.units_per_em().max(1) as f32;
        Some(Face { shaper, font, upem })
    }

    /// krilla handle, cheap clone.
    pub fn font(&self) -> Font {
        self.font.clone()
    }

    /// true when the font maps every non-whitespace char of `text` (so the caller can warn about missing glyphs)
    pub fn covers(&self, text: &str) -> bool {
        text.chars().filter(|c| !c.is_whitespace() && !c.is_control()).all(|c| self.shaper.glyph_index(c).is_some())
    }

    /// Ascender in em (positive, above the baseline).
    pub fn ascender(&self) -> f32 {
        f32::from(self.shaper.ascender()) / self.upem
    }

    /// Descender in em (negative, below the baseline).
    pub fn descender(&self) -> f32 {
        f32::from(self.shaper.descender()) / self.upem
    }
}

/// One laid-out line, ready for `surface.draw_glyphs(Point::from_xy(x, baseline), &line.glyphs, face.font(), &line.text, size, false)`.
/// Glyph advances/offsets are in em units as krilla expects (krilla multiplies by the font size);
/// glyph text ranges are byte ranges into `line.text`.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    /// pt, as drawn (after justification)
    pub width: f32,
    /// pt before justification
    pub natural: f32,
}

#[derive(Debug, Clone, Copy)]
pub struct ParaStyle {
    /// pt
    pub size: f32,
    /// pt, the measure
    pub width: f32,
    /// pt, first line only
    pub first_indent: f32,
    pub justify: bool,
    /// pt added between characters (negative to set them closer): how a document grid of so many
    /// characters a line (GB/T 9704: 28) is met with a font size that would give fewer.
    pub tracking: f32,
}

/// Glyphs sharing one text range; lines are only ever cut between clusters.
struct Cluster {
    text: Range<usize>,
    glyphs: Range<usize>,
    /// em
    advance: f32,
    blank: bool,
}

struct Shaped {
    /// Text ranges are into the shaped text.
    glyphs: Vec<KrillaGlyph>,
    clusters: Vec<Cluster>,
}

impl Shaped {
    fn advance(&self) -> f32 {
        self.clusters.iter().map(|c| c.advance).sum()
    }
}

fn shape(face: &Face, text: &str) -> Shaped {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    // Horizontal left-to-right only; also keeps cluster values ascending, which the cutting relies on.
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    let out = rustybuzz::shape(&face.shaper, &[], buffer);
    let (infos, pos) = (out.glyph_infos(), out.glyph_positions());
    let em = |v: i32| v as f32 / face.upem;

    let mut glyphs = Vec::with_capacity(infos.len());
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut i = 0;
    while i < infos.len() {
        let start = infos[i].cluster as usize;
        let mut j = i + 1;
        while j < infos.len() && infos[j].cluster as usize == start {
            j += 1;
        }
        let end = infos.get(j).map_or(text.len(), |g| g.cluster as usize).max(start);
        let mut advance = 0.0;
        for k in i..j {
            advance += em(pos[k].x_advance);
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(infos[k].glyph_id),
                em(pos[k].x_advance),
                em(pos[k].x_offset),
                em(pos[k].y_offset),
                em(pos[k].y_advance),
                start..end,
                None,
            ));
        }
        let blank = text.get(start..end).is_some_and(|s| s.chars().all(char::is_whitespace));
        clusters.push(Cluster { text: start..end, glyphs: i..j, advance, blank });
        i = j;
    }
    Shaped { glyphs, clusters }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Latin letters, digits and ASCII signs: runs of these are words that stay whole.
fn is_word(c: char) -> bool {
    c.is_ascii_graphic() || (c.is_alphanumeric() && (c as u32) < 0x1100)
}

/// Halves of "——" and "……", which must stay on one line.
fn inseparable(a: char, b: char) -> bool {
    let dash = |c| matches!(c, '—' | '―');
    let dots = |c| matches!(c, '…' | '⋯');
    (dash(a) && dash(b)) || (dots(a) && dots(b))
}

/// Whether a break at byte `p` obeys the punctuation rules (禁则), ignoring word integrity.
fn kinsoku_ok(text: &str, p: usize) -> bool {
    let (Some(before), Some(after)) = (text.get(..p), text.get(p..)) else {
        return false;
    };
    let Some(next) = after.chars().next() else {
        return true;
    };
    // The line's visible end: trailing spaces are dropped, so look past them.
    let last = before.chars().rev().find(|c| !c.is_whitespace());
    let adjacent = before.chars().next_back();
    !NO_START.contains(next)
        && !last.is_some_and(|c| NO_END.contains(c))
        && !adjacent.is_some_and(|a| inseparable(a, next))
}

fn allowed_break(text: &str, p: usize) -> bool {
    let joins_word = || {
        let a = text.get(..p).and_then(|s| s.chars().next_back());
        let b = text.get(p..).and_then(|s| s.chars().next());
        a.is_some_and(is_word) && b.is_some_and(is_word)
    };
    kinsoku_ok(text, p) && !joins_word()
}

/// Break positions as (byte offset, mandatory), ascending, ending with the end of the text.
fn break_positions(text: &str) -> Vec<(usize, bool)> {
    let mut out: Vec<(usize, bool)> = linebreaks(text)
        .filter_map(|(p, kind)| {
            let hard = kind == BreakOpportunity::Mandatory;
            (hard || allowed_break(text, p)).then_some((p, hard))
        })
        .collect();
    let mut prev = None;
    for (p, c) in text.char_indices() {
        if let Some(a) = prev {
            let quote = (matches!(c, '“' | '‘') && is_cjk(a)) || (matches!(a, '”' | '’') && is_cjk(c));
            if quote && allowed_break(text, p) {
                out.push((p, false));
            }
        }
        prev = Some(c);
    }
    // Mandatory first at equal offsets so dedup keeps it.
    out.sort_by_key(|&(p, hard)| (p, !hard));
    out.dedup_by_key(|b| b.0);
    out
}

/// Everything a paragraph needs for breaking, indexed by cluster boundary (0..=clusters).
struct Para<'a> {
    text: &'a str,
    shaped: Shaped,
    /// Allowed breaks as (boundary, mandatory), ascending, last is the end.
    breaks: Vec<(usize, bool)>,
    /// Advance in em of clusters before each boundary.
    prefix: Vec<f64>,
    /// For each boundary, the boundary before its trailing blank clusters.
    trim: Vec<usize>,
}

impl<'a> Para<'a> {
    fn new(face: &Face, text: &'a str) -> Para<'a> {
        let shaped = shape(face, text);
        let cl = &shaped.clusters;
        let n = cl.len();
        let mut breaks: Vec<(usize, bool)> = break_positions(text)
            .into_iter()
            .filter_map(|(p, hard)| {
                // Breaks inside a cluster (a ligature, a base with marks) are not usable.
                let b = if p >= text.len() { Some(n) } else { cl.binary_search_by_key(&p, |c| c.text.start).ok() };
                b.filter(|&b| b > 0).map(|b| (b, hard))
            })
            .collect();
        if breaks.last().is_none_or(|&(b, _)| b != n) {
            breaks.push((n, true));
        }
        let mut prefix = Vec::with_capacity(n + 1);
        let mut trim = Vec::with_capacity(n + 1);
        prefix.push(0.0);
        trim.push(0);
        for (i, c) in cl.iter().enumerate() {
            prefix.push(prefix[i] + f64::from(c.advance));
            trim.push(if c.blank { trim[i] } else { i + 1 });
        }
        Para { text, shaped, breaks, prefix, trim }
    }

    /// Width in pt of clusters `s..e` without the trailing blanks.
    fn width(&self, s: usize, e: usize, size: f32, tracking: f32) -> f64 {
        let t = self.trim[e].max(s);
        let gaps = t.saturating_sub(s).saturating_sub(1) as f64;
        (self.prefix[t] - self.prefix[s]) * f64::from(size) + gaps * f64::from(tracking)
    }

    /// Last resort when the unit starting at `s` (ending at `unit_end`) is longer than the line:
    /// cut it by cluster, as far as fits but at least one cluster, preferring a cut that keeps 禁则.
    fn emergency_cut(&self, s: usize, unit_end: usize, avail: f64, size: f32, tracking: f32) -> usize {
        let cl = &self.shaped.clusters;
        let mut fit = s + 1;
        while fit + 1 < unit_end && self.width(s, fit + 1, size, tracking) <= avail + EPS {
            fit += 1;
        }
        let at = |c: usize| cl.get(c).map_or(self.text.len(), |c| c.text.start);
        let mut cut = (s + 1..=fit).rev().find(|&c| kinsoku_ok(self.text, at(c))).unwrap_or(fit);
        // Spaces after the cut belong to this line's dropped end, not to the next line's start.
        while cut < unit_end && cl[cut].blank {
            cut += 1;
        }
        cut
    }

    /// Greedy breaking: each line as (first cluster, end boundary, ended by a mandatory break).
    fn spans(&self, style: &ParaStyle) -> Vec<(usize, usize, bool)> {
        let n = self.shaped.clusters.len();
        let mut spans = Vec::new();
        let (mut s, mut bi) = (0, 0);
        while s < n {
            let avail = f64::from(if spans.is_empty() { style.width - style.first_indent } else { style.width });
            while bi < self.breaks.len() && self.breaks[bi].0 <= s {
                bi += 1;
            }
            let mut end = None;
            for &(b, hard) in &self.breaks[bi..] {
                if self.width(s, b, style.size, style.tracking) > avail + EPS {
                    break;
                }
                end = Some((b, hard));
                if hard {
                    break;
                }
            }
            let (e, hard) = end.unwrap_or_else(|| {
                let (unit_end, unit_hard) = self.breaks.get(bi).copied().unwrap_or((n, true));
                let e = self.emergency_cut(s, unit_end, avail, style.size, style.tracking);
                (e, unit_hard && e == unit_end)
            });
            spans.push((s, e, hard));
            s = e;
        }
        spans
    }

    fn lines(&self, style: &ParaStyle, spans: &[(usize, usize, bool)]) -> Vec<Line> {
        let n = self.shaped.clusters.len();
        spans
            .iter()
            .enumerate()
            .map(|(i, &(s, e, hard))| {
                let avail = if i == 0 { style.width - style.first_indent } else { style.width };
                let justify = style.justify && !hard && e < n;
                self.line(s, self.trim[e].max(s), avail, justify, style.size, style.tracking)
            })
            .collect()
    }

    /// Letters, digits and ideographs in clusters `s..e`: punctuation alone does not make a line.
    fn chars(&self, s: usize, e: usize) -> usize {
        let cl = &self.shaped.clusters;
        if s >= e {
            return 0;
        }
        let text = self.text.get(cl[s].text.start..cl[e - 1].text.end).unwrap_or_default();
        text.chars().filter(|c| c.is_alphanumeric()).count()
    }

    /// Lines for a title: the fewest lines, then the least squared slack over all lines but the
    /// last, which must hold `min` characters when the title wraps. So the break is balanced the
    /// way a typesetter sets it by hand (Knuth–Plass over the allowed breaks; a title is short, so
    /// trying every pair is cheap). None when a title has hard breaks or a unit wider than a line,
    /// which greedy breaking handles.
    fn balanced_spans(&self, style: &ParaStyle, min: usize) -> Option<Vec<(usize, usize, bool)>> {
        let n = self.shaped.clusters.len();
        if self.breaks.iter().any(|&(b, hard)| hard && b < n) {
            return None;
        }
        let mut pos = vec![0];
        pos.extend(self.breaks.iter().map(|&(b, _)| b).filter(|&b| b > 0));
        pos.dedup();
        let m = pos.len();
        // (lines, cost, previous node) of the best way to set clusters 0..pos[j].
        let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; m];
        best[0] = Some((0, 0.0, 0));
        for j in 1..m {
            for i in (0..j).rev() {
                let avail = f64::from(if i == 0 { style.width - style.first_indent } else { style.width });
                let w = self.width(pos[i], pos[j], style.size, style.tracking);
                if w > avail + EPS {
                    break; // starting earlier only makes the line wider
                }
                let Some((lines, cost, _)) = best[i] else { continue };
                let last = pos[j] == n;
                if last && i > 0 && self.chars(pos[i], n) < min {
                    continue;
                }
                let slack = if last { 0.0 } else { (avail - w).powi(2) };
                let better = best[j].is_none_or(|(l, c, _)| (lines + 1, cost + slack) < (l, c));
                if better {
                    best[j] = Some((lines + 1, cost + slack, i));
                }
            }
        }
        let mut spans = Vec::new();
        let mut j = m - 1;
        while j > 0 {
            let (_, _, i) = best[j]?;
            spans.push((pos[i], pos[j], pos[j] == n));
            j = i;
        }
        spans.reverse();
        Some(spans)
    }

    /// A title that wraps must not end in a line of one or two characters (“…工作团／队”): move the
    /// last break back to the latest allowed one (so 禁则 hold) that gives the last line `min`
    /// characters while both lines still fit and the line before keeps `min` too. Word and LaTeX
    /// leave such lines; a typesetter sets the break by hand.
    fn keep_last_line_full(&self, spans: &mut [(usize, usize, bool)], style: &ParaStyle, min: usize) {
        let k = spans.len();
        if k < 2 {
            return;
        }
        let (prev_s, _, prev_hard) = spans[k - 2];
        let (last_s, last_e, _) = spans[k - 1];
        if prev_hard || self.chars(last_s, last_e) >= min {
            return;
        }
        let avail = f64::from(style.width);
        let found = self.breaks.iter().rev().map(|&(b, _)| b).filter(|&b| b > prev_s && b < last_s).find(|&b| {
            self.chars(b, last_e) >= min
                && self.chars(prev_s, b) >= min
                && self.width(b, last_e, style.size, style.tracking) <= avail + EPS
        });
        if let Some(b) = found {
            spans[k - 2].1 = b;
            spans[k - 1].0 = b;
        }
    }

    /// The line of clusters `s..t` (blanks already trimmed), stretched to `avail` when justifying.
    fn line(&self, s: usize, t: usize, avail: f32, justify: bool, size: f32, tracking: f32) -> Line {
        if t <= s {
            return Line::default();
        }
        let cl = &self.shaped.clusters[s..t];
        let (base, stop) = (cl[0].text.start, cl[cl.len() - 1].text.end);
        let g0 = cl[0].glyphs.start;
        let mut glyphs: Vec<KrillaGlyph> = self.shaped.glyphs[g0..cl[cl.len() - 1].glyphs.end]
            .iter()
            .map(|g| {
                let mut g = g.clone();
                g.text_range = g.text_range.start - base..g.text_range.end - base;
                g
            })
            .collect();
        if tracking != 0.0 && size > 0.0 {
            for c in &cl[..cl.len() - 1] {
                glyphs[c.glyphs.end - 1 - g0].x_advance += tracking / size;
            }
        }
        let natural = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
        if justify && cl.len() > 1 && avail > natural && size > 0.0 {
            // Added to the last glyph of each cluster, so marks stay on their base.
            let gap = (avail - natural) / size / (cl.len() - 1) as f32;
            for c in &cl[..cl.len() - 1] {
                glyphs[c.glyphs.end - 1 - g0].x_advance += gap;
            }
        }
        let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
        let text = self.text.get(base..stop).unwrap_or_default().to_owned();
        Line { text, glyphs, width, natural }
    }
}

/// Break a paragraph into lines that fit `style.width` (the first line `width - first_indent`).
///
/// '\n' forces a new line; such a line, like the paragraph's last, is not justified.
/// An empty text gives no lines.
pub fn layout_paragraph(face: &Face, text: &str, style: &ParaStyle) -> Vec<Line> {
    if text.is_empty() {
        return Vec::new();
    }
    let para = Para::new(face, text);
    para.lines(style, &para.spans(style))
}

/// Characters a wrapped title keeps on its last line, at the least.
pub const MIN_LAST_LINE: usize = 3;

/// Break a title (a heading, a 目录 entry) like a paragraph, except that when it wraps its last
/// line holds at least `MIN_LAST_LINE` characters.
pub fn layout_title(face: &Face, text: &str, style: &ParaStyle) -> Vec<Line> {
    if text.is_empty() {
        return Vec::new();
    }
    let para = Para::new(face, text);
    let greedy = para.spans(style);
    let spans = match para.balanced_spans(style, MIN_LAST_LINE) {
        // Balancing never costs a line: a title that fits on two lines keeps to two.
        Some(b) if b.len() <= greedy.len() => b,
        _ => {
            let mut spans = greedy;
            para.keep_last_line_full(&mut spans, style, MIN_LAST_LINE);
            spans
        }
    };
    para.lines(style, &spans)
}

/// At most `max` lines, the last cut short with "…": a title of hundreds of characters must not run
/// off the page. Bookmarks and metadata keep the whole title.
pub fn clamp_lines(face: &Face, mut lines: Vec<Line>, size: f32, width: f32, max: usize) -> Vec<Line> {
    if max == 0 || lines.len() <= max {
        return lines;
    }
    let rest: String = lines[max - 1..].iter().map(|l| l.text.as_str()).collect();
    lines.truncate(max - 1);
    lines.push(shape_line(face, &ellipsize(face, &rest, size, width), size));
    lines
}

/// One line, no breaking (cover lines, headings measured before placing).
pub fn shape_line(face: &Face, text: &str, size: f32) -> Line {
    let shaped = shape(face, text);
    let natural = shaped.advance() * size;
    Line { text: text.to_owned(), glyphs: shaped.glyphs, width: natural, natural }
}

/// Natural width in pt.
pub fn measure(face: &Face, text: &str, size: f32) -> f32 {
    shape(face, text).advance() * size
}

/// The longest prefix of `text` (cut at a character boundary) that, followed by "…", fits `width`; the result includes the "…". Returns the whole text unchanged when it already fits.
///
/// Spaces before the "…" are dropped. When not even "…" fits, the result is "…" alone.
pub fn ellipsize(face: &Face, text: &str, size: f32, width: f32) -> String {
    let shaped = shape(face, text);
    let limit = f64::from(width) + EPS;
    if f64::from(shaped.advance() * size) <= limit {
        return text.to_owned();
    }
    let room = f64::from(width - measure(face, "…", size));
    let (mut k, mut used) = (0, 0.0);
    for c in &shaped.clusters {
        used += f64::from(c.advance * size);
        if used > room + EPS {
            break;
        }
        k += 1;
    }
    // The sums ignore kerning and script changes around the "…": settle on the real string.
    let candidate = |k: usize| {
        let cut = shaped.clusters.get(k).map_or(text.len(), |c| c.text.start);
        format!("{}…", text.get(..cut).unwrap_or_default().trim_end())
    };
    let fits = |s: &str| f64::from(measure(face, s, size)) <= limit;
    while k + 1 < shaped.clusters.len() && fits(&candidate(k + 1)) {
        k += 1;
    }
    while k > 0 && !fits(&candidate(k)) {
        k -= 1;
    }
    candidate(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    const REAL: &str = "龙岗职业技术学校主动作为，重点锚定核心战略伙伴，扎实构建与香港合作交流的多元化网络，深耕具有龙职特色的国际化办学。成立外事工作领导小组和办公室、国（境）外合作办学教学领导工作小组，制定与香港合作办学管理办法。组织教师赴港参加 2023 年深圳市技能菁英香港研修培训班；吴晓云老师赴香港攻读 MA-ELTA 课程。通过中港交流推进“1+X”书证融通，开拓专业建设新发展。";
    const MIXED: &str = "他说：“这是‘示范’项目。”随后——经过三年建设——学校获批“1+X”证书试点（含 MA-ELTA 课程），合格率达 100%……《职业教育法》【2023 版】〔试行〕「重点」『特色』〈附件〉！校企合作（深圳）有限公司、香港职业训练局（VTC）等单位参与；2023年完成 12 项任务，覆盖率 100%。阿·巴“优秀”……再议——是否推广？";
    const UNITS: [&str; 6] = ["——", "……", "MA-ELTA", "1+X", "2023", "100%"];

    fn face() -> &'static Face {
        static FACE: OnceLock<Face> = OnceLock::new();
        FACE.get_or_init(|| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/NotoSerifCJKsc-Regular.otf");
            Face::new(std::fs::read(path).expect("test font readable"), 0).expect("test font usable")
        })
    }

    fn style(size: f32, width_em: f32, indent_em: f32) -> ParaStyle {
        ParaStyle { size, width: width_em * size, first_indent: indent_em * size, justify: true, tracking: 0.0 }
    }

    fn layout(text: &str, st: &ParaStyle) -> (Vec<Line>, Vec<String>) {
        let lines = layout_paragraph(face(), text, st);
        let texts = lines.iter().map(|l| l.text.clone()).collect();
        (lines, texts)
    }

    /// Distinct clusters on a line.
    fn clusters(line: &Line) -> usize {
        let mut r: Vec<_> = line.glyphs.iter().map(|g| g.text_range.clone()).collect();
        r.dedup();
        r.len()
    }

    /// Checks the round trip (only whitespace is lost, only between lines) and that the glyph
    /// ranges tile each line; returns each line's byte offset in `text`.
    fn offsets(text: &str, lines: &[Line]) -> Vec<usize> {
        let (mut pos, mut out) = (0, Vec::new());
        for line in lines {
            let rest = &text[pos..];
            let skip = rest.len() - rest.trim_start().len();
            assert!(rest[skip..].starts_with(&line.text), "{:?} not at {pos} of {text:?}", line.text);
            out.push(pos + skip);
            pos += skip + line.text.len();
            let mut end = 0;
            for g in &line.glyphs {
                assert!(g.text_range.start == end || g.text_range.end == end, "{:?} in {:?}", g.text_range, line.text);
                end = g.text_range.end;
            }
            assert_eq!(end, line.text.len(), "glyphs do not cover {:?}", line.text);
        }
        assert!(text[pos..].trim().is_empty(), "text lost: {:?}", &text[pos..]);
        out
    }

    /// Every rule, for a paragraph without hard breaks.
    fn check(text: &str, st: &ParaStyle) {
        let lines = layout_paragraph(face(), text, st);
        let starts = offsets(text, &lines);
        let avail = |i: usize| if i == 0 { st.width - st.first_indent } else { st.width };
        let mut bad = Vec::new();
        let mut expect = |ok: bool, i: usize, what: &str| {
            if !ok {
                bad.push(format!("{what}: line {i} {:?}", lines[i].text));
            }
        };
        for (i, line) in lines.iter().enumerate() {
            let (first, last) = (line.text.chars().next(), line.text.chars().next_back());
            let drawn = line.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * st.size;
            expect(i == 0 || !first.is_some_and(|c| "，。、；：！？）」』”’》〉】〕…·".contains(c)), i, "bad start");
            expect(i + 1 == lines.len() || !last.is_some_and(|c| "（「『“‘《〈【〔".contains(c)), i, "bad end");
            expect(last.is_some_and(|c| !c.is_whitespace()), i, "empty or trailing space");
            expect(line.natural <= avail(i) + 0.01 || clusters(line) == 1, i, "overflow");
            expect((drawn - line.width).abs() < 0.01, i, "width is not what is drawn");
            if i + 1 < lines.len() && clusters(line) > 1 {
                expect((line.width - avail(i)).abs() < 0.01, i, "not justified");
            } else {
                expect(line.width == line.natural, i, "last line stretched");
            }
        }
        for unit in UNITS {
            for (at, _) in text.match_indices(unit) {
                let i = starts.partition_point(|&s| s <= at) - 1;
                // A unit longer than its line may be cut as the last resort.
                let fits = measure(face(), unit, st.size) <= avail(i);
                expect(!fits || !starts.iter().any(|&s| s > at && s < at + unit.len()), i, unit);
            }
        }
        assert!(bad.is_empty(), "width {} em: {bad:#?}", st.width / st.size);
    }

    #[test]
    fn sweep_widths() {
        for text in [REAL, MIXED] {
            for quarter_em in 20..=160 {
                let w = quarter_em as f32 / 4.0;
                check(text, &style(12.0, w, 2.0));
                check(text, &style(10.5, w, 0.0));
            }
        }
    }

    #[test]
    fn long_title() {
        let title: String = REAL.chars().cycle().take(2000).collect();
        check(&title, &style(16.0, 30.0, 0.0));
        let line = shape_line(face(), &title, 16.0);
        assert_eq!(line.text, title);
        assert!((line.width - measure(face(), &title, 16.0)).abs() < 0.01);
        let cut = ellipsize(face(), &title, 16.0, 480.0);
        assert!(cut.ends_with('…') && title.starts_with(cut.trim_end_matches('…')), "{cut}");
        assert!(measure(face(), &cut, 16.0) <= 480.01 && cut.chars().count() > 25, "{cut}");
    }

    #[test]
    fn closing_mark_pulls_previous_char_down() {
        let (lines, texts) = layout("一二三四，五", &style(10.0, 4.0, 0.0));
        assert_eq!(texts, ["一二三", "四，五"]);
        assert!((lines[0].width - 40.0).abs() < 0.01);
    }

    #[test]
    fn words_and_quotes() {
        assert_eq!(layout("一二 MA-ELTA", &style(10.0, 5.0, 0.0)).1, ["一二", "MA-ELTA"]);
        // UAX #14 alone glues “ to 进; Chinese rules let the line break before it.
        assert_eq!(layout("推进“1+X”书证", &style(10.0, 4.0, 0.0)).1, ["推进", "“1+X”", "书证"]);
        let text = "中文 Internationalisation 中文";
        let (lines, _) = layout(text, &style(10.0, 5.0, 0.0));
        offsets(text, &lines);
        assert!(lines.len() > 3 && lines.iter().all(|l| l.natural <= 50.01));
    }

    #[test]
    fn rules_hold_where_uax14_is_silent() {
        let cut = |a: &str, b: &str| (format!("{a}{b}"), a.len());
        let kinsoku = [
            cut("中（", "文"),
            cut("中（ ", "文"),
            cut("好—", "—啊"),
            cut("嗯…", "…啊"),
            cut("说“", "好"),
            cut("好", "”。"),
            cut("甲", "·乙"),
        ];
        for (text, p) in kinsoku {
            assert!(!kinsoku_ok(&text, p), "{text} at {p}");
        }
        for (text, p) in [cut("MA-", "ELTA"), cut("1", "+X"), cut("20", "23"), cut("100", "%")] {
            assert!(!allowed_break(&text, p), "{text} at {p}");
        }
        assert!(kinsoku_ok("中文", 3) && allowed_break("中 MA", 4));
    }

    #[test]
    fn degenerate_inputs() {
        let st = style(12.0, 20.0, 2.0);
        assert!(layout_paragraph(face(), "", &st).is_empty());
        let (one, texts) = layout("龙", &st);
        assert_eq!(texts, ["龙"]);
        assert!((one[0].width - 12.0).abs() < 0.01 && one[0].width == one[0].natural);
        assert_eq!(layout("   ", &st).1, [""]);
        let tiny = ParaStyle { size: 12.0, width: 1.0, first_indent: 0.0, justify: true, tracking: 0.0 };
        for text in [REAL, MIXED, "Supercalifragilistic", "a b\nc"] {
            let (lines, _) = layout(text, &tiny);
            offsets(text, &lines);
            assert!(lines.iter().all(|l| clusters(l) == 1), "{text}");
        }
        assert!(!layout(REAL, &ParaStyle { first_indent: 100.0, ..tiny }).0.is_empty());
    }

    #[test]
    fn hard_breaks() {
        let text = "第一行\n第二行内容比较长，需要自动换行才能排完。\n\n第四行\r\n末行\n";
        let (lines, texts) = layout(text, &style(10.0, 8.0, 2.0));
        offsets(text, &lines);
        assert_eq!(texts.first().map(String::as_str), Some("第一行"));
        assert_eq!(&texts[texts.len() - 4..], ["才能排完。", "", "第四行", "末行"]);
        // Lines ended by '\n' are not stretched; wrapped ones are.
        let n = lines.len();
        assert!((lines[1].width - 80.0).abs() < 0.01);
        assert!([0, n - 4, n - 2].iter().all(|&i| lines[i].width == lines[i].natural));
    }

    /// Titles of the real binder and its seed-scale cousins, at every width from narrow to wide:
    /// a wrapped title never ends in one or two characters, and every other rule still holds.
    #[test]
    fn a_wrapped_title_keeps_three_characters_on_its_last_line() {
        let titles = [
            "一、建立与香港相关职业学校合作办学领导工作小组及教学团队",
            "1.建立与香港相关职业学校合作办学教学领导工作小组，组建合作办学教学团队",
            "2023年深圳市技能菁英香港研修相关材料（颜广科老师）",
            "深圳市人力资源和社会保障局关于商请支持技能菁英参加 2020年研修资助项目的函",
            "宣传资料：中港交流--积极推进“1+X”书证融通，开拓专业建设新发展",
            "2.总结与香港相学校或机构的合作经验，形成总结性材料 1 份",
            "深圳市龙岗职业技术学校学校与香港职业训练局合作经验总结报告",
        ];
        let (st, title) = (style(10.0, 27.0, 0.0), titles[0]);
        assert_eq!(layout(title, &st).1.last().map(String::as_str), Some("队"), "the case this is about");
        let mut fixed = 0;
        for title in titles {
            for quarter_em in 24..=160 {
                let st = ParaStyle { justify: false, ..style(10.0, quarter_em as f32 / 4.0, 0.0) };
                let lines = layout_title(face(), title, &st);
                offsets(title, &lines);
                let greedy = layout_paragraph(face(), title, &st);
                assert_eq!(lines.len(), greedy.len(), "{title} at {quarter_em}/4 em: a line more");
                let chars = |l: &Line| l.text.chars().filter(|c| c.is_alphanumeric()).count();
                if lines.len() > 1 {
                    let last = lines.last().map_or(0, chars);
                    assert!(last >= MIN_LAST_LINE, "{title} at {quarter_em}/4 em: {:?}", lines.last().map(|l| &l.text));
                    fixed += usize::from(greedy.last().map_or(0, chars) < MIN_LAST_LINE);
                }
                for (i, l) in lines.iter().enumerate() {
                    assert!(l.natural <= st.width + 0.01, "{title}: {:?} overflows", l.text);
                    let first = l.text.chars().next().unwrap_or(' ');
                    assert!(i == 0 || !NO_START.contains(first), "{title}: line starts with {first}");
                    let last = l.text.chars().next_back().unwrap_or(' ');
                    assert!(i + 1 == lines.len() || !NO_END.contains(last), "{title}: line ends with {last}");
                }
            }
        }
        assert!(fixed > 20, "the sweep met only {fixed} short last lines");
    }

    #[test]
    fn ellipsize_edges() {
        assert_eq!(ellipsize(face(), "短标题", 12.0, 100.0), "短标题");
        assert_eq!(ellipsize(face(), "", 12.0, 0.0), "");
        assert_eq!(ellipsize(face(), "很长的标题", 12.0, 1.0), "…");
        assert_eq!(ellipsize(face(), "MA-ELTA 课程", 10.0, 55.0), "MA-ELTA…");
    }

    #[test]
    fn face_basics() {
        assert!(Face::new(b"not a font".to_vec(), 0).is_none());
        assert!(Face::new(Vec::new(), 0).is_none());
        assert!(face().covers("龙岗 MA-ELTA “1+X” 100%……——\n"));
        assert!(!face().covers("\u{E000}"));
        assert!(face().ascender() > 0.5 && face().descender() < 0.0);
        fn shareable<T: Send + Sync>(_: &T) {}
        shareable(face());
        let line = shape_line(face(), "2023", 10.0);
        assert!((line.width - measure(face(), "2023", 10.0)).abs() < 1e-4 && line.glyphs.len() == 4);
    }
}
