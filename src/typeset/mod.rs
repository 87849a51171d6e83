//! Page geometry and the typesetting of our own pages: how narrative flows into pages and how the
//! 目录 is laid out. Plan uses it to count pages; render draws what it produced. Coordinates are in
//! points from the top-left corner of the page (as krilla draws), y growing downwards.

pub mod contents;
pub mod flow;
pub mod fonts;
pub mod label;
pub mod text;

use text::{Face, Line};

pub const MM: f32 = 72.0 / 25.4;
pub const A4: (f32, f32) = (210.0 * MM, 297.0 * MM);

/// Where page numbers sit across the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// GB/T 9704: odd pages right, even pages left, one character in from the type area, for
    /// double-sided printing.
    Outer,
    /// Centred, for single-sided printing.
    Centre,
}

/// The house style. Defaults follow GB/T 9704-2012 (党政机关公文格式) where it applies: A4, 版心
/// 156 × 225 mm, top margin 37 mm, binding margin 28 mm, body in 3号 (16 pt) on a grid of 22 lines
/// of 28 characters, page numbers in 4号 (14 pt) 7 mm below the type area.
#[derive(Debug, Clone)]
pub struct Style {
    pub page: (f32, f32),
    pub top: f32,
    pub left: f32,
    pub text_width: f32,
    pub text_height: f32,
    pub body_size: f32,
    pub line_pitch: f32,
    /// Characters per line of body text (0: the font's natural spacing).
    pub chars_per_line: u32,
    pub heading_sizes: [f32; 4],
    pub number_size: f32,
    /// From the bottom of the type area to the top of the page number.
    pub number_gap: f32,
    pub numbers: Numbers,
    /// Parts start on an odd (right-hand) page.
    pub double_sided: bool,
    /// Height of the band at the foot of every page that holds the page number. Source pages are
    /// scaled to fit above it, so the number never covers a scan's content.
    pub band: f32,
    /// Source PDF pages keep their own size; the number goes in their own bottom margin.
    pub keep_page_sizes: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style::new(Numbers::Outer, false, 28)
    }
}

impl Style {
    pub fn new(numbers: Numbers, double_sided: bool, chars_per_line: u32) -> Style {
        let mut s = Style {
            page: A4,
            top: 37.0 * MM,
            left: 28.0 * MM,
            text_width: 156.0 * MM,
            text_height: 225.0 * MM,
            body_size: 16.0,
            line_pitch: 225.0 * MM / 22.0,
            chars_per_line,
            heading_sizes: [22.0, 16.0, 16.0, 16.0],
            number_size: 14.0,
            number_gap: 7.0 * MM,
            numbers,
            double_sided,
            band: 0.0,
            keep_page_sizes: false,
        };
        // Everything below the line 2 mm above the number.
        s.band = s.page.1 - (s.top + s.text_height + s.number_gap) + 2.0 * MM;
        s
    }

    pub fn right(&self, page_width: f32) -> f32 {
        // The right margin of the standard page, kept for wider (landscape) pages too.
        page_width - (self.page.0 - self.left - self.text_width)
    }

    /// Spacing added between body characters to meet the grid (negative: closer).
    pub fn tracking(&self) -> f32 {
        let n = self.chars_per_line as f32;
        if n < 2.0 { 0.0 } else { (self.text_width - n * self.body_size) / (n - 1.0) }
    }

    /// The number's baseline, measured up from the bottom edge of a page `page_height` tall. A
    /// shorter (landscape) page has it, and the band, lower in proportion, so the number stays in
    /// the page's foot.
    pub fn number_baseline_from_bottom(&self, page_height: f32) -> f32 {
        let standard = self.page.1 - (self.top + self.text_height + self.number_gap + 0.88 * self.number_size);
        standard * self.shrink(page_height)
    }

    /// The number band of a page `page_height` tall.
    pub fn band_for(&self, page_height: f32) -> f32 {
        self.band * self.shrink(page_height)
    }

    fn shrink(&self, page_height: f32) -> f32 {
        (page_height / self.page.1).clamp(0.1, 1.0)
    }

    /// Left x of a number `width` wide on page `number` of a page `page_width` wide.
    pub fn number_x(&self, page_width: f32, number: u32, width: f32) -> f32 {
        match self.numbers {
            Numbers::Centre => (page_width - width) / 2.0,
            Numbers::Outer if number % 2 == 1 => self.right(page_width) - self.number_size - width,
            Numbers::Outer => self.left + self.number_size,
        }
    }
}

/// The faces dossier sets text in.
pub struct Fonts {
    /// Body text, narrative, contents, page numbers (宋体/仿宋-like).
    pub body: Face,
    /// Part and first-level headings, the cover's title, the 目录 title (黑体-like).
    pub heading: Face,
    /// Second-level headings (楷体), when one is installed or named; else the body face, heavier.
    pub kai: Option<Face>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Body,
    Heading,
    Kai,
}

impl Fonts {
    pub fn get(&self, w: Which) -> &Face {
        match w {
            Which::Body => &self.body,
            Which::Heading => &self.heading,
            Which::Kai => self.kai.as_ref().unwrap_or(&self.body),
        }
    }
}

/// One line placed on a page: its left edge, its baseline, its size and whether it is set heavier.
#[derive(Debug, Clone)]
pub struct Placed {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub face: Which,
    /// Set heavier with a light stroke (the body face has no bold).
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

/// Chinese numerals as volumes are counted (一, 十, 十二, 二十三), up to 99.
pub fn chinese_numeral(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

/// The volume line of a split binder's cover and title: 第二册（共三册）.
pub fn volume_label(index: usize, count: usize) -> String {
    format!("第{}册（共{}册）", chinese_numeral(index), chinese_numeral(count))
}

/// Where a page number's text starts (x) and its baseline (y from the top) on a page.
pub fn number_position(
    style: &Style,
    face: &Face,
    page_width: f32,
    page_height: f32,
    number: u32,
    label: &str,
) -> (f32, f32) {
    let w = text::measure(face, &number_text(label), style.number_size);
    (style.number_x(page_width, number, w), page_height - style.number_baseline_from_bottom(page_height))
}

/// The built-in faces, loaded once for the layout tests.
#[cfg(test)]
pub(crate) fn test_fonts() -> &'static Fonts {
    static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |name: &str| {
            let path = format!("{}/assets/fonts/{name}", env!("CARGO_MANIFEST_DIR"));
            Face::new(std::fs::read(path).expect("font readable"), 0).expect("font usable")
        };
        Fonts { body: load("NotoSerifCJKsc-Regular.otf"), heading: load("NotoSansCJKsc-Bold.otf"), kai: None }
    })
}
