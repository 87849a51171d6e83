//! The text layer's font: a TrueType font with one empty glyph, as Tesseract's own GlyphLessFont.
//! The text is never painted, so no glyph needs a shape; what matters is that every character
//! maps to Unicode (the ToUnicode CMap does that) and that the font is embedded, which PDF
//! checkers ask of every font. Built here rather than shipped: it is a few hundred bytes of tables,
//! and no crate writes fonts.

/// Glyph advance in font units (of 1000 an em): half an em, stretched per word by `Tz` anyway.
pub const ADVANCE: u16 = 500;

fn u16be(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn u32be(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_be_bytes());
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |s, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        s.wrapping_add(u32::from_be_bytes(b))
    })
}

/// The font file (FontFile2).
pub fn glyphless_ttf() -> Vec<u8> {
    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();

    let mut cmap = Vec::new();
    u16be(&mut cmap, 0); // version
    u16be(&mut cmap, 1); // one subtable
    u16be(&mut cmap, 3); // Windows
    u16be(&mut cmap, 1); // Unicode BMP
    u32be(&mut cmap, 12);
    // Format 4 with only the closing segment: no character has a glyph of its own.
    for v in [4u16, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0] {
        u16be(&mut cmap, v);
    }
    tables.push((b"cmap", cmap));

    tables.push((b"glyf", Vec::new()));

    let mut head = Vec::new();
    u32be(&mut head, 0x0001_0000);
    u32be(&mut head, 0x0001_0000);
    u32be(&mut head, 0); // checkSumAdjustment, set below
    u32be(&mut head, 0x5F0F_3CF5);
    u16be(&mut head, 0x000B);
    u16be(&mut head, 1000); // units per em
    head.extend_from_slice(&[0; 16]); // created, modified
    for v in [0i16, 0, ADVANCE as i16, 1000] {
        u16be(&mut head, v as u16);
    }
    for v in [0u16, 8, 2, 0, 0] {
        u16be(&mut head, v); // macStyle, lowestRecPPEM, fontDirectionHint, short loca, glyf format
    }
    tables.push((b"head", head));

    let mut hhea = Vec::new();
    u32be(&mut hhea, 0x0001_0000);
    for v in [1000i16, 0, 0] {
        u16be(&mut hhea, v as u16); // ascender, descender, line gap
    }
    u16be(&mut hhea, ADVANCE);
    for v in [0u16, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2] {
        u16be(&mut hhea, v); // ..., caret slope rise 1, reserved, metric format, 2 metrics
    }
    tables.push((b"hhea", hhea));

    let mut hmtx = Vec::new();
    for _ in 0..2 {
        u16be(&mut hmtx, ADVANCE);
        u16be(&mut hmtx, 0);
    }
    tables.push((b"hmtx", hmtx));

    tables.push((b"loca", vec![0; 6]));

    let mut maxp = Vec::new();
    u32be(&mut maxp, 0x0001_0000);
    u16be(&mut maxp, 2); // glyphs
    for v in [0u16, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] {
        u16be(&mut maxp, v);
    }
    tables.push((b"maxp", maxp));

    let family: Vec<u8> = "GlyphLessFont".encode_utf16().flat_map(|c| c.to_be_bytes()).collect();
    let mut name = Vec::new();
    u16be(&mut name, 0);
    u16be(&mut name, 2);
    u16be(&mut name, 6 + 2 * 12);
    for id in [1u16, 6] {
        for v in [3u16, 1, 0x0409, id, family.len() as u16, 0] {
            u16be(&mut name, v);
        }
    }
    name.extend_from_slice(&family);
    tables.push((b"name", name));

    let mut post = Vec::new();
    u32be(&mut post, 0x0003_0000);
    u32be(&mut post, 0);
    u16be(&mut post, (-100i16) as u16);
    u16be(&mut post, 50);
    u32be(&mut post, 1);
    post.extend_from_slice(&[0; 16]);
    tables.push((b"post", post));

    // The directory, tables in tag order, each on a 4-byte boundary.
    let n = tables.len() as u16;
    let mut out = Vec::new();
    u32be(&mut out, 0x0001_0000);
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16u16 << entry_selector;
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        u16be(&mut out, v);
    }
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    let mut head_at = 0;
    for (tag, data) in &tables {
        if *tag == b"head" {
            head_at = offset;
        }
        out.extend_from_slice(*tag);
        u32be(&mut out, checksum(data));
        u32be(&mut out, offset as u32);
        u32be(&mut out, data.len() as u32);
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * tables.len() + body.len();
    }
    out.extend_from_slice(&body);
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_at + 8..head_at + 12].copy_from_slice(&adjust.to_be_bytes());
    out
}

/// The font's CIDToGIDMap, zlib-compressed: glyph 1, the empty one, for every one of the 65 536
/// codes (`00 01` over and over). Compressed once and kept here, since compressing its 128 KB
/// cost every `--ocr` rebuild more than all of its other text-layer work.
pub fn gid_map_deflated() -> Vec<u8> {
    let mut z = vec![
        0x78, 0xda, 0xed, 0xc2, 0x01, 0x09, 0x00, 0x00, 0x00, 0x02, 0xa0, 0xfa, 0x7f, 0x3a, 0x68, 0x87, 0x68, 0x1a,
    ];
    z.resize(z.len() + 126, 0);
    z.extend_from_slice(&[0x80, 0x1b, 0x00, 0xff, 0x00, 0x10]);
    z
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_kept_glyph_map_sends_every_code_to_the_empty_glyph() {
        use std::io::Read;
        let mut map = Vec::new();
        flate2::read::ZlibDecoder::new(&super::gid_map_deflated()[..]).read_to_end(&mut map).unwrap();
        assert_eq!(map, (0..=0xFFFFu32).flat_map(|_| [0u8, 1u8]).collect::<Vec<u8>>());
    }

    #[test]
    fn the_font_parses_with_two_empty_glyphs() {
        let data = super::glyphless_ttf();
        let face = ttf_parser::Face::parse(&data, 0).expect("a valid TrueType font");
        assert_eq!(face.number_of_glyphs(), 2);
        assert_eq!(face.units_per_em(), 1000);
        assert_eq!(face.glyph_hor_advance(ttf_parser::GlyphId(1)), Some(super::ADVANCE));
        assert!(data.len() < 1024, "{} bytes", data.len());
    }
}
