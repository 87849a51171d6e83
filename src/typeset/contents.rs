//! The 目录: one entry per outline node, indented by level, dot leaders to the right-aligned page
//! number. A long title wraps and its number goes on its last line (one longer than a page is cut
//! short with "…"); an entry never splits across pages, so no page starts with a line that has
//! lost its number.

use super::text::{self, ParaStyle};
use super::{Fonts, Placed, Style, Which};

#[derive(Debug, Clone)]
pub struct Entry {
    pub title: String,
    pub level: usize,
    pub number: String,
}

#[derive(Debug, Clone, Default)]
pub struct ContentsPage {
    pub lines: Vec<Placed>,
    /// (entry index, [x0, y0, x1, y1]) from the top-left: the area that links to the entry's page.
    pub links: Vec<(usize, [f32; 4])>,
}

pub const TITLE: &str = "目　录";

pub fn layout(style: &Style, fonts: &Fonts, entries: &[Entry]) -> Vec<ContentsPage> {
    let face = &fonts.body;
    let size = 14.0;
    let pitch = 26.0;
    let title_size = style.heading_sizes[0];
    let right = style.left + style.text_width;
    let number_room = 3.0 * size;
    let bottom = style.top + style.text_height;
    let mut pages = vec![ContentsPage::default()];
    let title = text::shape_line(&fonts.heading, TITLE, title_size);
    let x = style.left + (style.text_width - title.width) / 2.0;
    let baseline = style.top + title_size;
    pages[0].lines.push(Placed { x, baseline, size: title_size, face: Which::Heading, bold: false, line: title });
    let mut y = style.top + 2.5 * pitch;
    let dot = text::measure(face, ".", size).max(1.0);
    for (i, e) in entries.iter().enumerate() {
        // Deep outlines would indent off the page: stop indenting after eight levels.
        let indent = (e.level.min(8) as f32) * size * 1.5;
        let x0 = style.left + indent;
        let width = (right - x0 - number_room).max(4.0 * size);
        let lines = text::layout_paragraph(
            face,
            &e.title,
            &ParaStyle { size, width, first_indent: 0.0, justify: false, tracking: 0.0 },
        );
        // An entry taller than a page could never be placed: it ends in "…" on the page's last line
        // (the bookmark keeps the whole title).
        let max_lines = ((bottom - style.top) / pitch).floor().max(1.0) as usize;
        let mut lines = text::clamp_lines(face, lines, size, width, max_lines);
        if lines.is_empty() {
            lines.push(text::shape_line(face, " ", size));
        }
        let height = lines.len() as f32 * pitch;
        if y + height > bottom && !pages.last().is_some_and(|p| p.links.is_empty() && p.lines.is_empty()) {
            pages.push(ContentsPage::default());
            y = style.top;
        }
        let page = pages.last_mut().expect("pages starts non-empty");
        let top = y;
        let mut last_end = x0;
        let mut baseline = y;
        for line in lines {
            baseline = y + pitch / 2.0 + size * 0.35;
            last_end = x0 + line.width;
            page.lines.push(Placed { x: x0, baseline, size, face: Which::Body, bold: e.level == 0, line });
            y += pitch;
        }
        let num = text::shape_line(face, &e.number, size);
        let num_x = right - num.width;
        let gap_start = last_end + size * 0.3;
        let gap_end = num_x - size * 0.3;
        let count = ((gap_end - gap_start) / dot).floor();
        if count >= 2.0 {
            let leaders = text::shape_line(face, &".".repeat(count as usize), size);
            let x = gap_end - leaders.width;
            page.lines.push(Placed { x, baseline, size, face: Which::Body, bold: false, line: leaders });
        }
        page.lines.push(Placed { x: num_x, baseline, size, face: Which::Body, bold: e.level == 0, line: num });
        page.links.push((i, [x0, top, right, y]));
    }
    pages
}
