//! The cover: project and chapter at the top, the title and 佐证材料 in the middle, the school and
//! the date at the foot, as accreditation binders are laid out. Long lines wrap or shrink to fit.

use super::draw_lines;
use crate::outline::Dossier;
use crate::typeset::text::{self, Face, ParaStyle};
use crate::typeset::{Placed, Style};
use krilla::surface::Surface;

pub fn draw(s: &mut Surface, d: &Dossier, style: &Style, face: &Face) {
    let (pw, ph) = style.page;
    let width = style.text_width;
    let left = style.left;
    let c = &d.cover;
    let mut lines = Vec::new();
    let block = |text: Option<&str>, size: f32, top: f32, bold: bool, lines: &mut Vec<Placed>| -> f32 {
        let Some(t) = text.filter(|t| !t.trim().is_empty()) else { return top };
        // Shrink a long line before wrapping it onto more than two lines.
        let mut size = size;
        while size > 12.0 && text::measure(face, t, size) > 2.0 * width {
            size -= 1.0;
        }
        let pitch = size * 1.6;
        let mut y = top;
        for line in text::layout_paragraph(face, t, &ParaStyle { size, width, first_indent: 0.0, justify: false }) {
            let x = left + (width - line.width) / 2.0;
            lines.push(Placed { x, baseline: y + size, size, bold, line });
            y += pitch;
        }
        y
    };
    let mut y = ph * 0.12;
    y = block(c.project.as_deref(), 20.0, y, false, &mut lines);
    y = block(c.chapter.as_deref(), 18.0, y + 10.0, false, &mut lines);
    let y = (ph * 0.33).max(y + 30.0);
    let y = block(Some(&d.title), 26.0, y, true, &mut lines);
    block(c.subtitle.as_deref(), 36.0, (ph * 0.45).max(y + 30.0), true, &mut lines);
    let foot = ph * 0.74;
    let y = block(c.organization.as_deref(), 20.0, foot, false, &mut lines);
    block(c.date.as_deref(), 18.0, y + 10.0, false, &mut lines);
    let _ = pw;
    draw_lines(s, face, &lines);
}
