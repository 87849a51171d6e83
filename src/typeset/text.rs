//! Temporary simple line breaker (to be replaced).
use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::sync::Arc;

pub struct Face { data: Arc<Vec<u8>>, index: u32, font: Font, upem: f32 }
impl Face {
    pub fn new(data: Vec<u8>, index: u32) -> Option<Face> {
        let data = Arc::new(data);
        let font = Font::new(krilla::Data::from(data.clone()), index)?;
        let upem = ttf_parser::Face::parse(&data, index).ok()?.units_per_em() as f32;
        Some(Face { data, index, font, upem })
    }
    pub fn font(&self) -> Font { self.font.clone() }
    pub fn covers(&self, text: &str) -> bool {
        let Ok(f) = ttf_parser::Face::parse(&self.data, self.index) else { return false };
        text.chars().filter(|c| !c.is_whitespace()).all(|c| f.glyph_index(c).is_some())
    }
}
#[derive(Debug, Clone)]
pub struct Line { pub text: String, pub glyphs: Vec<KrillaGlyph>, pub width: f32, pub natural: f32 }
pub struct ParaStyle { pub size: f32, pub width: f32, pub first_indent: f32, pub justify: bool }

pub fn shape_line(face: &Face, text: &str, size: f32) -> Line {
    let rb = rustybuzz::Face::from_slice(&face.data, face.index).expect("font");
    let mut buf = rustybuzz::UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    let out = rustybuzz::shape(&rb, &[], buf);
    let infos = out.glyph_infos();
    let pos = out.glyph_positions();
    let mut glyphs = Vec::new();
    let mut width = 0.0;
    for i in 0..out.len() {
        let start = infos[i].cluster as usize;
        let end = infos.get(i + 1).map(|n| n.cluster as usize).unwrap_or(text.len());
        let adv = pos[i].x_advance as f32 / face.upem;
        width += adv * size;
        glyphs.push(KrillaGlyph::new(GlyphId::new(infos[i].glyph_id), adv, 0.0, 0.0, 0.0, start..end, None));
    }
    Line { text: text.to_string(), glyphs, width, natural: width }
}
pub fn measure(face: &Face, text: &str, size: f32) -> f32 { shape_line(face, text, size).width }
pub fn layout_paragraph(face: &Face, text: &str, style: &ParaStyle) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut limit = style.width - style.first_indent;
    for c in text.chars() {
        cur.push(c);
        if measure(face, &cur, style.size) > limit && cur.chars().count() > 1 {
            cur.pop();
            lines.push(shape_line(face, &cur, style.size));
            cur = c.to_string();
            limit = style.width;
        }
    }
    if !cur.is_empty() { lines.push(shape_line(face, &cur, style.size)); }
    lines
}
pub fn ellipsize(_face: &Face, text: &str, _size: f32, _width: f32) -> String { text.to_string() }
