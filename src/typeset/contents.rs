//! The 目录: one entry per outline node, indented by level, dot leaders to the right-aligned page
//! number. Set as Word's TOC styles and tocloft set it, with what they leave to hand work done too:
//! - every line of a title ends short of the page-number column, so the leaders and the number
//!   always share the last line with text;
//! - a wrapped title hangs: its continuation lines start under the first character after its
//!   number label (“一、”, “1.”, “（一）”, “第一部分 ”), so the labels stand out in a column;
//! - its last line holds at least three characters (text::layout_title), never “队 …… 1”;
//! - a title longer than a page is cut short with "…"; an entry never splits across pages, so no
//!   page starts with a line that has lost its number.

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
    // Room for the widest number and a few leader dots after every title's longest line.
    let widest = entries.iter().map(|e| text::measure(face, &e.number, size)).fold(0.0, f32::max);
    let number_room = (widest + 1.6 * size).max(3.0 * size);
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
        let label = super::label::number_label(&e.title);
        let hang = match text::measure(face, &e.title[..label], size) {
            // A label too wide to hang from (a long "第…部分") would leave a narrow column.
            h if h < width / 3.0 => h,
            _ => 0.0,
        };
        let lines = text::layout_title(
            face,
            &e.title,
            &ParaStyle { size, width: width - hang, first_indent: -hang, justify: false, tracking: 0.0 },
        );
        // An entry taller than a page could never be placed: it ends in "…" on the page's last line
        // (the bookmark keeps the whole title).
        let max_lines = ((bottom - style.top) / pitch).floor().max(1.0) as usize;
        let mut lines = text::clamp_lines(face, lines, size, width - hang, max_lines);
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
        for (k, line) in lines.into_iter().enumerate() {
            baseline = y + pitch / 2.0 + size * 0.35;
            let x = if k == 0 { x0 } else { x0 + hang };
            last_end = x + line.width;
            page.lines.push(Placed { x, baseline, size, face: Which::Body, bold: e.level == 0, line });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries at every level whose titles wrap: each hangs from its label, ends in at least three
    /// characters, and shares its last line with the leaders and the number.
    #[test]
    fn wrapped_entries_hang_and_end_with_their_number() {
        let (style, fonts) = (Style::default(), super::super::test_fonts());
        let titles = [
            (0, "第一部分 四年建设概况及成效，搭建香港职业教育合作交流平台建设任务完成情况"),
            (1, "一、建立与香港相关职业学校合作办学领导工作小组及教学团队"),
            (2, "1.建立与香港相关职业学校合作办学教学领导工作小组，组建合作办学教学团队"),
            (3, "（一）深圳市人力资源和社会保障局关于商请支持技能菁英参加 2020年研修资助项目的函"),
            (4, "深圳市龙岗职业技术学校与香港合作办学管理办法（试行）"),
            (4, "2023年深圳市技能菁英香港研修相关材料（颜广科老师）"),
        ];
        let entries: Vec<Entry> = titles
            .iter()
            .enumerate()
            .map(|(i, (level, t))| Entry { title: t.to_string(), level: *level, number: (i * 37 + 1).to_string() })
            .collect();
        let pages = layout(&style, fonts, &entries);
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        let right = style.left + style.text_width;
        for (i, rect) in &page.links {
            let e = &entries[*i];
            let lines: Vec<&Placed> =
                page.lines.iter().filter(|l| l.baseline > rect[1] && l.baseline < rect[3]).collect();
            let (number, rest) = lines.split_last().expect("an entry has lines");
            let (leaders, title) = rest.split_last().expect("leaders before the number");
            assert_eq!(number.line.text, e.number);
            assert!((number.x + number.line.width - right).abs() < 0.01, "{}: number not flush right", e.title);
            assert!(leaders.line.text.chars().all(|c| c == '.') && leaders.line.text.len() >= 2, "{}", e.title);
            let last = title.last().expect("title lines");
            assert!(last.baseline == leaders.baseline && leaders.baseline == number.baseline, "{}", e.title);
            assert!(title.len() > 1 || e.level == 4, "{} does not wrap: the test would prove nothing", e.title);
            let chars = last.line.text.chars().filter(|c| c.is_alphanumeric()).count();
            assert!(chars >= 3 || title.len() == 1, "{}: last line {:?}", e.title, last.line.text);
            // Every line ends short of the number column, so the leaders always find room.
            for l in title {
                let end = l.x + l.line.width;
                assert!(end + 14.0 < number.x, "{}: {:?} runs into the numbers", e.title, l.line.text);
            }
            assert!(leaders.x > last.x + last.line.width, "{}", e.title);
            let label = super::super::label::number_label(&e.title);
            let hang = text::measure(&fonts.body, &e.title[..label], 14.0);
            for l in &title[1..] {
                assert!((l.x - (title[0].x + hang)).abs() < 0.01, "{}: {:?} does not hang", e.title, l.line.text);
            }
        }
    }
}
