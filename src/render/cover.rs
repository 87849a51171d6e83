//! The cover, laid out like a formal accreditation binder: the project and chapter in the upper
//! third, the title and 佐证材料 as the centre of weight, the school and the date at the foot.
//! A long title shrinks, then wraps; nothing runs past the type area.

use super::draw_lines;
use crate::outline::Dossier;
use crate::typeset::text::{self, ParaStyle};
use crate::typeset::{Fonts, Placed, Style, Which};
use krilla::surface::Surface;

/// A block of centred lines: its text, size, face, and the lines it may take before shrinking.
struct Block<'a> {
    text: &'a str,
    size: f32,
    face: Which,
    max_lines: usize,
}

pub fn draw(s: &mut Surface, d: &Dossier, style: &Style, fonts: &Fonts) {
    let c = &d.cover;
    fn some(t: &Option<String>) -> Option<&str> {
        t.as_deref().filter(|t| !t.trim().is_empty())
    }
    let width = style.text_width;
    // Lay a group of blocks out, each shrunk until it fits in its allowed lines.
    let lay = |blocks: &[Block], gap: f32| -> (Vec<(Vec<text::Line>, f32, Which)>, f32) {
        let mut out = Vec::new();
        let mut h = 0.0;
        for (i, b) in blocks.iter().enumerate() {
            let face = fonts.get(b.face);
            let mut size = b.size;
            let para = |size: f32| {
                text::layout_title(
                    face,
                    b.text,
                    &ParaStyle { size, width, first_indent: 0.0, justify: false, tracking: 0.0 },
                )
            };
            let mut lines = para(size);
            while lines.len() > b.max_lines && size > 12.0 {
                size -= 1.0;
                lines = para(size);
            }
            h += lines.len() as f32 * size * 1.5 + if i > 0 { gap } else { 0.0 };
            out.push((lines, size, b.face));
        }
        (out, h)
    };
    // Returns the y below the last line placed.
    let place = |laid: Vec<(Vec<text::Line>, f32, Which)>, top: f32, gap: f32, into: &mut Vec<Placed>| -> f32 {
        let mut y = top;
        for (i, (lines, size, face)) in laid.into_iter().enumerate() {
            if i > 0 {
                y += gap;
            }
            for line in lines {
                let x = style.left + (width - line.width) / 2.0;
                into.push(Placed { x, baseline: y + size * 1.1, size, face, bold: false, line });
                y += size * 1.5;
            }
        }
        y
    };
    let ph = style.page.1;
    let mut head = Vec::new();
    if let Some(t) = some(&c.project) {
        head.push(Block { text: t, size: 22.0, face: Which::Body, max_lines: 2 });
    }
    if let Some(t) = some(&c.chapter) {
        head.push(Block { text: t, size: 18.0, face: Which::Body, max_lines: 2 });
    }
    let mut middle = vec![Block { text: &d.title, size: 28.0, face: Which::Heading, max_lines: 3 }];
    if let Some(t) = some(&c.subtitle) {
        middle.push(Block { text: t, size: 36.0, face: Which::Heading, max_lines: 2 });
    }
    let volume = d.volume.map(|v| crate::typeset::volume_label(v.index, v.count));
    if let Some(v) = &volume {
        middle.push(Block { text: v, size: 22.0, face: Which::Body, max_lines: 1 });
    }
    let mut foot = Vec::new();
    if let Some(t) = some(&c.organization) {
        foot.push(Block { text: t, size: 20.0, face: Which::Body, max_lines: 2 });
    }
    if let Some(t) = some(&c.date) {
        foot.push(Block { text: t, size: 18.0, face: Which::Body, max_lines: 1 });
    }
    let mut lines = Vec::new();
    // Every field stays whole (a reviewer checks the cover against the outline): very long ones
    // end up small and on several lines, and push the groups below them down.
    let (head, _) = lay(&head, 12.0);
    let below_head = place(head, ph * 0.13, 12.0, &mut lines);
    // The title group centred a little above the middle of the page, where the eye rests.
    let (middle, mh) = lay(&middle, 36.0);
    let below_middle = place(middle, (ph * 0.42 - mh / 2.0).max(below_head + 30.0), 36.0, &mut lines);
    let (foot, fh) = lay(&foot, 14.0);
    place(foot, (ph * 0.80 - fh).max(below_middle + 30.0), 14.0, &mut lines);
    draw_lines(s, fonts, &lines);
}
