//! Page geometry and the typesetting of our own pages: how narrative flows into pages and how the
//! 目录 is laid out. Plan uses it to count pages; render draws what it produced. Coordinates are in
//! points from the top-left corner of the page (as krilla draws), y growing downwards.

pub mod contents;
pub mod flow;
pub mod text;

use text::{Face, Line};

pub const MM: f32 = 72.0 / 25.4;
pub const A4: (f32, f32) = (210.0 * MM, 297.0 * MM);

/// The house style. Defaults follow GB/T 9704-2012 (党政机关公文格式) where it applies: A4, 版心
/// 156 × 225 mm, top margin 37 mm, binding margin 28 mm, body in 3号 (16 pt), page numbers in 4号.
#[derive(Debug, Clone)]
pub struct Style {
    pub page: (f32, f32),
    pub top: f32,
    pub left: f32,
    pub text_width: f32,
    pub text_height: f32,
    pub body_size: f32,
    pub line_pitch: f32,
    pub heading_sizes: [f32; 4],
    pub number_size: f32,
    /// Height of the band at the bottom of every page that holds the page number. Source pages are
    /// scaled to fit above it, so the number never covers a scan's content.
    pub band: f32,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            page: A4,
            top: 37.0 * MM,
            left: 28.0 * MM,
            text_width: 156.0 * MM,
            text_height: 225.0 * MM,
            body_size: 16.0,
            line_pitch: 225.0 * MM / 22.0,
            heading_sizes: [22.0, 16.0, 16.0, 16.0],
            number_size: 14.0,
            band: 16.0 * MM,
        }
    }
}

impl Style {
    pub fn right(&self, page_width: f32) -> f32 {
        // The right margin of the standard page, kept for wider (landscape) pages too.
        page_width - (self.page.0 - self.left - self.text_width)
    }
}

/// One line placed on a page: its left edge, its baseline, its size and whether it is set heavier.
#[derive(Debug, Clone)]
pub struct Placed {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub bold: bool,
    pub line: Line,
}

/// The text of a page number as printed: "— 7 —" in the GB/T 9704 manner.
pub fn number_text(label: &str) -> String {
    format!("— {label} —")
}

/// Roman numerals for the contents pages (i, ii, …).
pub fn roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Where a page number sits: odd pages right, even pages left, one character in from the type
/// area (GB/T 9704 7.5), baseline in the middle of the band. Returns the left x of the text.
pub fn number_position(
    style: &Style,
    face: &Face,
    page_width: f32,
    page_height: f32,
    number: u32,
    label: &str,
) -> (f32, f32) {
    let w = text::measure(face, &number_text(label), style.number_size);
    let x =
        if number % 2 == 1 { style.right(page_width) - style.number_size - w } else { style.left + style.number_size };
    let baseline = page_height - style.band / 2.0 + style.number_size * 0.35;
    (x, baseline)
}
