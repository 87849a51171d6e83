//! Narrative pages: headings and paragraphs flowed into the type area, a new page whenever the
//! outline's evidence interrupts the flow.

use super::text::{self, ParaStyle};
use super::{Fonts, Placed, Style, Which};

#[derive(Debug, Clone)]
pub enum Block<'a> {
    /// `level` 0 is a part, 1 its sections, and so on.
    Heading {
        level: usize,
        title: &'a str,
        node: usize,
    },
    Para(&'a str),
}

#[derive(Debug, Clone, Default)]
pub struct FlowPage {
    pub lines: Vec<Placed>,
    /// Outline nodes whose heading is on this page, with the y of the heading's top.
    pub anchors: Vec<(usize, f32)>,
}

/// A heading set: its face, its lines and the height of each (its lead).
struct Head {
    which: Which,
    size: f32,
    lead: f32,
    x0: f32,
    width: f32,
    centred: bool,
    lines: Vec<text::Line>,
}

impl Head {
    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.lead
    }
}

/// Faces as GB/T 9704 orders them: parts and their sections (一、) in 黑体, the next level (1.) in
/// 楷体 where one is available, deeper levels in the body face set heavier.
fn set_heading(style: &Style, fonts: &Fonts, level: usize, title: &str) -> Head {
    let pitch = style.line_pitch;
    let size = style.heading_sizes[level.min(3)];
    let which = match level {
        0 | 1 => Which::Heading,
        2 if fonts.kai.is_some() => Which::Kai,
        _ => Which::Body,
    };
    let face = fonts.get(which);
    let lead = if level == 0 { 2.0 * pitch } else { pitch };
    let (x0, width, centred) = if level == 0 {
        (style.left, style.text_width, true)
    } else {
        let indent = 2.0 * style.body_size;
        (style.left + indent, style.text_width - indent, false)
    };
    // Like a 目录 entry, a wrapped heading leaves no one- or two-character last line.
    let lines =
        text::layout_title(face, title, &ParaStyle { size, width, first_indent: 0.0, justify: false, tracking: 0.0 });
    // A heading longer than the type area (less a line for what follows) ends in "…".
    let max = (style.text_height / lead - 1.0).floor().max(1.0) as usize;
    let lines = text::clamp_lines(face, lines, size, width, max);
    Head { which, size, lead, x0, width, centred, lines }
}

/// Lay out one run of blocks onto as many pages as it needs.
pub fn flow(style: &Style, fonts: &Fonts, blocks: &[Block]) -> Vec<FlowPage> {
    let mut pages = vec![FlowPage::default()];
    let bottom = style.top + style.text_height;
    let mut y = style.top;
    let pitch = style.line_pitch;
    let heads: Vec<Option<Head>> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, title, .. } => Some(set_heading(style, fonts, *level, title)),
            Block::Para(_) => None,
        })
        .collect();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Heading { node, .. } => {
                let Some(head) = &heads[i] else { continue };
                // Keep with next: the first of a run of headings goes where the whole run and the
                // first line of the text after it fit (a section's title with its first
                // sub-section's title and text), unless the run is taller than a page; the others
                // follow it. Any heading keeps at least one line after it.
                let own = head.height() + if i + 1 < blocks.len() { pitch } else { 0.0 };
                let starts_run = i == 0 || heads[i - 1].is_none();
                let chain: f32 = heads[i..].iter().map_while(|h| h.as_ref()).map(Head::height).sum();
                let next = i + heads[i..].iter().take_while(|h| h.is_some()).count();
                let follow = if next < blocks.len() { pitch } else { 0.0 };
                let need = if starts_run && chain + follow <= style.text_height { chain + follow } else { own };
                let at_top = y == style.top;
                if !at_top && y + need > bottom + 0.01 {
                    pages.push(FlowPage::default());
                    y = style.top;
                }
                let page = pages.last_mut().expect("pages starts non-empty");
                page.anchors.push((*node, y));
                for line in head.lines.iter().cloned() {
                    let x = if head.centred { head.x0 + (head.width - line.width) / 2.0 } else { head.x0 };
                    let baseline = y + head.lead / 2.0 + head.size * 0.35;
                    page.lines.push(Placed {
                        x,
                        baseline,
                        size: head.size,
                        face: head.which,
                        bold: head.which == Which::Body,
                        line,
                    });
                    y += head.lead;
                }
            }
            Block::Para(t) => {
                let size = style.body_size;
                let lines = text::layout_paragraph(
                    &fonts.body,
                    t,
                    &ParaStyle {
                        size,
                        width: style.text_width,
                        first_indent: 2.0 * (size + style.tracking()),
                        justify: true,
                        tracking: style.tracking(),
                    },
                );
                for (k, line) in lines.into_iter().enumerate() {
                    if y + pitch > bottom + 0.01 {
                        pages.push(FlowPage::default());
                        y = style.top;
                    }
                    let x = style.left + if k == 0 { 2.0 * (size + style.tracking()) } else { 0.0 };
                    let baseline = y + pitch / 2.0 + size * 0.35;
                    let page = pages.last_mut().expect("pages starts non-empty");
                    page.lines.push(Placed { x, baseline, size, face: Which::Body, bold: false, line });
                    y += pitch;
                }
            }
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// However long the text before them, a section's heading, its first sub-section's heading and
    /// the first line of that sub-section's text share a page.
    #[test]
    fn headings_keep_with_what_follows() {
        let (style, fonts) = (Style::default(), super::super::test_fonts());
        let sentence = "龙岗职业技术学校主动作为，重点锚定核心战略伙伴，扎实构建与香港合作交流的多元化网络。";
        let mut split = 0;
        for n in 1..=40 {
            let before = sentence.repeat(n);
            let blocks = [
                Block::Heading { level: 0, title: "第一部分 四年建设概况及成效", node: 0 },
                Block::Para(&before),
                Block::Heading {
                    level: 1, title: "一、建立与香港相关职业学校合作办学领导工作小组及教学团队", node: 1
                },
                Block::Heading {
                    level: 2, title: "1.建立与香港相关职业学校合作办学教学领导工作小组", node: 2
                },
                Block::Para("建立与香港相关职业学校合作办学教学领导工作小组，组建合作办学教学团队。"),
            ];
            let pages = flow(&style, fonts, &blocks);
            let page_of = |node| pages.iter().position(|p| p.anchors.iter().any(|a| a.0 == node));
            assert_eq!(page_of(1), page_of(2), "{n} sentences: a heading left alone at the foot of a page");
            let page = &pages[page_of(2).expect("the sub-section's heading is placed")];
            let below = page.anchors.iter().find(|a| a.0 == 2).map(|a| a.1);
            assert!(
                below.is_some_and(|y| page.lines.iter().any(|l| l.face == Which::Body && !l.bold && l.baseline > y)),
                "{n} sentences: the sub-section's text is not on its heading's page"
            );
            // The section heading wraps (28 characters in 26): its last line is not “队” alone.
            let heading: Vec<&Placed> =
                page.lines.iter().filter(|l| l.face == Which::Heading && l.size == 16.0).collect();
            assert!(heading.last().is_some_and(|l| l.line.text.chars().count() >= 3), "{n}: {heading:?}");
            split += usize::from(page_of(1) != page_of(0));
        }
        assert!(split > 5, "the sections never moved to a new page: the test proves nothing");
    }
}
