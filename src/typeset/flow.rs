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

/// Lay out one run of blocks onto as many pages as it needs.
/// Faces as GB/T 9704 orders them: parts and their sections (一、) in 黑体, the next level (1.) in
/// 楷体 where one is available, deeper levels in the body face set heavier.
pub fn flow(style: &Style, fonts: &Fonts, blocks: &[Block]) -> Vec<FlowPage> {
    let mut pages = vec![FlowPage::default()];
    let bottom = style.top + style.text_height;
    let mut y = style.top;
    let pitch = style.line_pitch;
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Heading { level, title, node } => {
                let size = style.heading_sizes[(*level).min(3)];
                let which = match level {
                    0 | 1 => Which::Heading,
                    2 if fonts.kai.is_some() => Which::Kai,
                    _ => Which::Body,
                };
                let face = fonts.get(which);
                let lead = if *level == 0 { 2.0 * pitch } else { pitch };
                let (x0, width, centred) = if *level == 0 {
                    (style.left, style.text_width, true)
                } else {
                    let indent = 2.0 * style.body_size;
                    (style.left + indent, style.text_width - indent, false)
                };
                let lines = text::layout_paragraph(
                    face,
                    title,
                    &ParaStyle { size, width, first_indent: 0.0, justify: false, tracking: 0.0 },
                );
                // A heading longer than the type area (less a line for what follows) ends in "…".
                let max = (style.text_height / lead - 1.0).floor().max(1.0) as usize;
                let lines = text::clamp_lines(face, lines, size, width, max);
                let height = lines.len() as f32 * lead;
                // Keep a heading with at least the first line of what follows it.
                let follow = if i + 1 < blocks.len() { pitch } else { 0.0 };
                let at_top = y == style.top;
                if !at_top && y + height + follow > bottom {
                    pages.push(FlowPage::default());
                    y = style.top;
                }
                let page = pages.last_mut().expect("pages starts non-empty");
                page.anchors.push((*node, y));
                for line in lines {
                    let x = if centred { x0 + (width - line.width) / 2.0 } else { x0 };
                    let baseline = y + lead / 2.0 + size * 0.35;
                    page.lines.push(Placed { x, baseline, size, face: which, bold: which == Which::Body, line });
                    y += lead;
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
