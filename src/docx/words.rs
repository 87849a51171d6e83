//! How text looks in the Word binder: the faces, sizes and measures every part shares, runs and
//! paragraphs' spacing, the footer with its page number, Word's heading and contents styles, and
//! the marker a paragraph written by hand is found by.

use crate::outline::Dossier;
use crate::typeset::Style;
use docx_rs::{
    AlignmentType, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts,
    Style as WordStyle, StyleType,
};

/// The fonts named on every run: Word and WPS pick the East Asian face for Chinese text, the other
/// for Latin letters and digits.
pub(super) const LATIN_FONT: &str = "Times New Roman";
/// The Chinese faces by the names Word and WPS know them, as the PDF uses them (GB/T 9704): body
/// text in 宋体 (or the 仿宋 a dossier asks for), parts, first-level sections, the cover's title and
/// the 目录 title in 黑体, second-level sections in 楷体, deeper levels in the body face, bold.
#[derive(Debug, Clone, Copy)]
pub(super) struct Faces {
    pub(super) body: &'static str,
    pub(super) heading: &'static str,
    pub(super) kai: &'static str,
}

impl Faces {
    pub(super) fn of(d: &Dossier) -> Faces {
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
    pub(super) fn heading(&self, level: usize) -> (&'static str, bool) {
        match level {
            0 | 1 => (self.heading, false),
            2 => (self.kai, false),
            _ => (self.body, true),
        }
    }
}

/// Word measures in twentieths of a point, DrawingML in EMU.
pub(super) fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}
pub(super) const EMU_PER_PT: f32 = 12700.0;

/// Room kept free below a picture: the line holding it is a little taller than the picture.
pub(super) const PICTURE_SLACK: f32 = 24.0;
/// Part headings, in points; each of their lines takes two lines of the body's grid.
pub(super) const PART_SIZE: f32 = 22.0;
/// Contents entries, as in the PDF's 目录.
pub(super) const CONTENTS_SIZE: f32 = 14.0;
pub(super) const CONTENTS_PITCH: f32 = 26.0;

pub(super) fn half_points(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

pub(super) fn fonts(face: &str) -> RunFonts {
    RunFonts::new().ascii(LATIN_FONT).hi_ansi(LATIN_FONT).cs(LATIN_FONT).east_asia(face).hint("eastAsia")
}

/// The same, as XML, for the parts written by hand.
pub(super) fn fonts_xml(face: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{face}" w:cs="{LATIN_FONT}" w:hint="eastAsia"/>"#
    )
}

/// Text as Word may hold it: no control characters (invalid in XML), no marker characters.
pub(super) fn clean(s: &str) -> String {
    s.chars().filter(|&c| c != MARK).map(|c| if c.is_control() { ' ' } else { c }).collect()
}

pub(super) fn run(text: &str, size: f32, face: &str, bold: bool) -> Run {
    let r = Run::new().add_text(clean(text)).fonts(fonts(face)).size(half_points(size));
    if bold { r.bold() } else { r }
}

pub(super) fn exact(pt: f32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips(pt)).before(0).after(0)
}

/// Escape text for XML written by hand.
pub(super) fn esc(s: &str) -> String {
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
pub(super) fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(|c| if (c as u32) < 0x2E80 { 0.6 } else { 1.0 }).sum::<f32>() * size * 1.1
}

pub(super) fn lines(text: &str, size: f32, width: f32) -> f32 {
    (text_width(text, size) / width.max(size)).ceil().max(1.0)
}

/// The footer: "— N —" with a PAGE field where the PDF prints it: odd pages right and even pages
/// left, one character in from the type area, or centred when the dossier asks for that.
pub(super) fn footer(style: &Style, faces: Faces, align: AlignmentType) -> Footer {
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
pub(super) const FOOTER_LINE: f32 = 1.25;

/// Heading 1–4 for the outline, and toc 1–4 for the contents entries Word makes when the table
/// is updated. The names are Word's built-in ones, so Word, WPS and LibreOffice know them.
pub(super) fn styles(style: &Style, faces: Faces) -> Vec<WordStyle> {
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
pub(super) const MARK: char = '\u{F8FF}';

pub(super) fn marker(n: usize) -> String {
    format!("{MARK}dossier-raw-{n}{MARK}")
}
