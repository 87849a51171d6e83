//! The picture the engine reads for a page: the page's image as it is stored (a JPEG passes through
//! untouched), or decoded to grey and turned when it is shown turned or flipped. Never the binder's
//! own copy: the image stream in the binder stays the source's.

use super::{Matrix, invert, mul};
use crate::geom::corners;

use crate::error::Problem;
use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A page's image, encoded as it came.
pub enum Pixels {
    /// A JPEG (a photo, or a scan's DCTDecode stream).
    Jpeg(Vec<u8>),
    Png(Vec<u8>),
    /// A CCITT Group 4 stream.
    G4 {
        data: Vec<u8>,
        width: u32,
        height: u32,
        black_is_1: bool,
    },
    /// 8-bit grey or RGB samples, or 1-bit rows padded to bytes (`channels` 0).
    Raw {
        data: Vec<u8>,
        width: u32,
        height: u32,
        channels: u8,
        invert: bool,
    },
    /// Frame `1` of the TIFF file `0`.
    TiffFrame(std::path::PathBuf, u32),
}

/// What the engine is given for one page and where its pixels sit on the source page.
pub struct Picture {
    pub pixels: Pixels,
    /// Stored pixel size.
    pub width: u32,
    pub height: u32,
    /// How the stored pixels are shown, as an EXIF orientation (1 = as stored).
    pub shown: u8,
    /// The image's unit square onto the source's space (PDF user space; for photos and TIFF
    /// frames the unit square itself).
    pub placed: Matrix,
    /// Content hash of the encoded pixels and how they are decoded.
    pub hash: [u8; 32],
    /// A scan (PDF page, TIFF frame) rather than a photo: only scans are looked at for blank backs.
    pub scan: bool,
}

/// The stored unit square onto the shown unit square (both with the origin at the lower left).
pub fn orient_unit(orientation: u8) -> Matrix {
    let v = [(0.0, 1.0), (1.0, 1.0), (0.0, 0.0), (1.0, 0.0)];
    let [tl, tr, bl] = corners(orientation).map(|i| v[i]);
    let br: (f32, f32) = (tr.0 + bl.0 - tl.0, tr.1 + bl.1 - tl.1);
    [br.0 - bl.0, br.1 - bl.1, tl.0 - bl.0, tl.1 - bl.1, bl.0, bl.1]
}

pub fn swaps(orientation: u8) -> bool {
    (5..=8).contains(&orientation)
}

/// The EXIF orientation showing what `orientation` shows, turned a further `turn` degrees
/// clockwise. Each code is a mirror (or none) followed by a clockwise turn.
pub fn turn_exif(orientation: u8, turn: u16) -> u8 {
    const CODES: [(bool, u16, u8); 8] = [
        (false, 0, 1),
        (false, 90, 6),
        (false, 180, 3),
        (false, 270, 8),
        (true, 0, 2),
        (true, 90, 7),
        (true, 180, 4),
        (true, 270, 5),
    ];
    let (mirror, rot, _) = CODES.iter().copied().find(|c| c.2 == orientation).unwrap_or(CODES[0]);
    let rot = (rot + turn) % 360;
    CODES.iter().find(|c| c.0 == mirror && c.1 == rot).map(|c| c.2).unwrap_or(1)
}

/// The EXIF orientation whose unit-square matrix has the linear part closest to `m`'s direction.
pub fn orientation_of(m: Matrix) -> u8 {
    let sign = |v: f32| if v.abs() < 1e-6 { 0.0 } else { v.signum() };
    let n = [sign(m[0]), sign(m[1]), sign(m[2]), sign(m[3])];
    (1..=8)
        .find(|&o| {
            let u = orient_unit(o);
            [u[0], u[1], u[2], u[3]] == n
        })
        .unwrap_or(1)
}

/// Shown pixel size for an orientation.
pub fn shown_size(width: u32, height: u32, orientation: u8) -> (u32, u32) {
    if swaps(orientation) { (height, width) } else { (width, height) }
}

/// 8-bit grey pixels.
pub struct Gray {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

fn damaged(e: impl std::fmt::Display) -> Problem {
    Problem::DamagedImage(e.to_string())
}

/// Decode the picture to grey.
pub fn decode(pixels: &Pixels) -> Result<Gray, Problem> {
    match pixels {
        Pixels::Jpeg(data) => {
            use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
            let opts = DecoderOptions::default()
                .jpeg_set_out_colorspace(ColorSpace::Luma)
                .set_max_width(1 << 16)
                .set_max_height(1 << 16);
            let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
            let px = match dec.decode() {
                Ok(px) => px,
                // zune-jpeg turns CMYK into RGB but not into grey: go through RGB.
                Err(_) => {
                    let opts = opts.jpeg_set_out_colorspace(ColorSpace::RGB);
                    dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
                    let rgb = dec.decode().map_err(|e| damaged(format!("{e:?}")))?;
                    rgb.chunks_exact(3).map(|p| luma(p, 3)).collect()
                }
            };
            let info = dec.info().ok_or_else(|| damaged("the JPEG has no size"))?;
            let (w, h) = (info.width as u32, info.height as u32);
            if px.len() < (w * h) as usize {
                return Err(damaged("the JPEG decoded to fewer pixels than it declares"));
            }
            Ok(Gray { width: w, height: h, data: px[..(w * h) as usize].to_vec() })
        }
        Pixels::Png(data) => {
            let mut dec = png::Decoder::new(std::io::Cursor::new(data));
            dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
            let mut reader = dec.read_info().map_err(damaged)?;
            let mut buf = vec![0; reader.output_buffer_size().ok_or_else(|| damaged("the PNG is too large"))?];
            let frame = reader.next_frame(&mut buf).map_err(damaged)?;
            let channels = frame.color_type.samples();
            let data = buf[..frame.buffer_size()].chunks_exact(channels).map(|p| luma(p, channels)).collect();
            Ok(Gray { width: frame.width, height: frame.height, data })
        }
        Pixels::G4 { data, width, height, black_is_1 } => {
            let (w, h) = (*width, *height);
            let mut out = Vec::with_capacity((w * h) as usize);
            let ok = fax::decoder::decode_g4(data.iter().copied(), w, Some(h), |line| {
                out.extend(fax::decoder::pels(line, w).map(|c| match (c, *black_is_1) {
                    (fax::Color::Black, false) | (fax::Color::White, true) => 0u8,
                    _ => 255u8,
                }));
            });
            if ok.is_none() && out.is_empty() {
                return Err(damaged("the G4 image cannot be decoded"));
            }
            out.resize((w * h) as usize, 255);
            Ok(Gray { width: w, height: h, data: out })
        }
        Pixels::Raw { data, width, height, channels, invert } => {
            let (w, h) = (*width as usize, *height as usize);
            let mut out = Vec::with_capacity(w * h);
            if *channels == 0 {
                let row = w.div_ceil(8);
                for y in 0..h {
                    for x in 0..w {
                        let bit = data.get(y * row + x / 8).map(|b| b >> (7 - x % 8) & 1).unwrap_or(1);
                        out.push(if bit == 1 { 255 } else { 0 });
                    }
                }
            } else {
                let c = *channels as usize;
                out.extend(data.chunks_exact(c).take(w * h).map(|p| luma(p, c)));
                out.resize(w * h, 255);
            }
            if *invert {
                out.iter_mut().for_each(|v| *v = 255 - *v);
            }
            Ok(Gray { width: *width, height: *height, data: out })
        }
        Pixels::TiffFrame(path, frame) => {
            use tiff::decoder::{Decoder, DecodingResult};
            let f = std::fs::File::open(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
            let mut dec = Decoder::new(std::io::BufReader::new(f)).map_err(damaged)?;
            for _ in 0..*frame {
                dec.next_image().map_err(damaged)?;
            }
            let (w, h) = dec.dimensions().map_err(damaged)?;
            let ct = dec.colortype().map_err(damaged)?;
            let photometric =
                dec.find_tag_unsigned::<u16>(tiff::tags::Tag::PhotometricInterpretation).ok().flatten().unwrap_or(1);
            let raw = match dec.read_image().map_err(damaged)? {
                DecodingResult::U8(v) => v,
                DecodingResult::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
                _ => return Err(damaged("this TIFF's sample format is not supported")),
            };
            use tiff::ColorType as C;
            let (channels, bits) = match ct {
                C::Gray(b) => (1, b),
                C::GrayA(b) => (2, b),
                C::RGB(b) => (3, b),
                C::RGBA(b) => (4, b),
                other => return Err(damaged(format!("colour type {other:?}"))),
            };
            let pixels = if bits == 1 {
                Pixels::Raw { data: raw, width: w, height: h, channels: 0, invert: photometric == 0 }
            } else {
                Pixels::Raw { data: raw, width: w, height: h, channels, invert: photometric == 0 && channels == 1 }
            };
            decode(&pixels)
        }
    }
}

fn luma(p: &[u8], channels: usize) -> u8 {
    match channels {
        1 | 2 => p[0],
        _ => ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8,
    }
}

/// The grey picture as shown under `orientation`.
pub fn turn(g: &Gray, orientation: u8) -> Gray {
    if orientation == 1 {
        return Gray { width: g.width, height: g.height, data: g.data.clone() };
    }
    let (w, h) = (g.width as usize, g.height as usize);
    let (sw, sh) = shown_size(g.width, g.height, orientation);
    let back = invert(orient_unit(orientation));
    let mut data = Vec::with_capacity(w * h);
    for v in 0..sh as usize {
        for u in 0..sw as usize {
            let a = (u as f32 + 0.5) / sw as f32;
            let b = 1.0 - (v as f32 + 0.5) / sh as f32;
            let x = back[0] * a + back[2] * b + back[4];
            let y = back[1] * a + back[3] * b + back[5];
            let s = ((x * w as f32) as usize).min(w - 1);
            let t = (((1.0 - y) * h as f32) as usize).min(h - 1);
            data.push(g.data[t * w + s]);
        }
    }
    Gray { width: sw, height: sh, data }
}

/// A grey picture as PGM, which every Tesseract build reads.
pub fn write_pgm(g: &Gray, path: &Path) -> std::io::Result<()> {
    let mut out = format!("P5\n{} {}\n255\n", g.width, g.height).into_bytes();
    out.extend_from_slice(&g.data);
    std::fs::write(path, out)
}

/// The share of dark pixels away from the edges, where scanners leave shadows: a blank back of a
/// duplex scan has next to none.
pub fn ink(g: &Gray) -> f32 {
    let (w, h) = (g.width as usize, g.height as usize);
    let (mx, my) = (w / 20, h / 20);
    let (mut dark, mut all) = (0u64, 0u64);
    for y in (my..h.saturating_sub(my)).step_by(2) {
        for x in (mx..w.saturating_sub(mx)).step_by(2) {
            all += 1;
            dark += (g.data[y * w + x] < 128) as u64;
        }
    }
    if all == 0 { 0.0 } else { dark as f32 / all as f32 }
}

fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// A photo file (JPEG or PNG) shown under its EXIF orientation.
pub fn photo(path: &Path, png: bool, width: u32, height: u32, orientation: u8) -> Result<Picture, Problem> {
    let data = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    let hash = hash(&[&data, &[png as u8]]);
    let pixels = if png { Pixels::Png(data) } else { Pixels::Jpeg(data) };
    Ok(Picture { pixels, width, height, shown: orientation, placed: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], hash, scan: false })
}

/// Frame `frame` of a TIFF file.
pub fn tiff_frame(path: &Path, frame: u32, width: u32, height: u32) -> Result<Picture, Problem> {
    let data = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    let hash = hash(&[&data, &frame.to_le_bytes()]);
    Ok(Picture {
        pixels: Pixels::TiffFrame(path.to_path_buf(), frame),
        width,
        height,
        shown: 1,
        placed: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        hash,
        scan: true,
    })
}

/// What a PDF page shows: its own text, a picture to read, or neither.
pub enum PdfPage {
    HasText,
    Picture(Box<Picture>),
    Nothing,
}

fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match o {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(x) => o = x,
                None => return o,
            },
            _ => return o,
        }
    }
    o
}

fn num(doc: &Document, o: &Object) -> Option<f32> {
    match resolve(doc, o) {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Ok(v) = d.get(key) {
            return Some(resolve(doc, v));
        }
        d = resolve(doc, d.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// The page's MediaBox (x0, y0, x1, y1); A4 when it has none that reads.
pub fn media_box(doc: &Document, page: ObjectId) -> [f32; 4] {
    let d = doc.objects.get(&page).and_then(|o| o.as_dict().ok());
    d.and_then(|d| inherited(doc, d, b"MediaBox"))
        .and_then(|m| m.as_array().ok())
        .and_then(|a| a.iter().map(|x| num(doc, x)).collect::<Option<Vec<f32>>>())
        .filter(|v| v.len() == 4 && v[3] > v[1])
        .map(|v| [v[0], v[1], v[2], v[3]])
        .unwrap_or([0.0, 0.0, 595.0, 842.0])
}

/// The page's /Rotate, as a multiple of 90 in 0..360.
pub fn page_rotation(doc: &Document, page: ObjectId) -> i64 {
    let Some(d) = doc.objects.get(&page).and_then(|o| o.as_dict().ok()) else { return 0 };
    let rot = inherited(doc, d, b"Rotate").and_then(|r| num(doc, r)).unwrap_or(0.0) as i64;
    ((rot % 360 + 360) % 360 + 45) / 90 * 90 % 360
}

/// The linear part of turning a page by /Rotate (clockwise), as the assembler shows it.
fn rotation_linear(rot: i64) -> Matrix {
    match rot {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        270 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    }
}

struct Found {
    text: bool,
    /// Images drawn: the stream and the matrix of its unit square in page space.
    images: Vec<(ObjectId, Matrix)>,
}

fn scan_content(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    ctm: Matrix,
    depth: u32,
    f: &mut Found,
) {
    let Ok(ops) = lopdf::content::Content::decode(content) else { return };
    let xobjects =
        resources.and_then(|r| r.get(b"XObject").ok()).map(|x| resolve(doc, x)).and_then(|x| x.as_dict().ok());
    let mut stack = vec![ctm];
    for op in ops.operations {
        let cur = *stack.last().unwrap_or(&ctm);
        match op.operator.as_str() {
            "q" => stack.push(cur),
            "Q" if stack.len() > 1 => {
                stack.pop();
            }
            "cm" if op.operands.len() == 6 => {
                let v: Option<Vec<f32>> = op.operands.iter().map(|o| num(doc, o)).collect();
                if let (Some(v), Some(top)) = (v, stack.last_mut()) {
                    *top = mul([v[0], v[1], v[2], v[3], v[4], v[5]], cur);
                }
            }
            "Tj" | "'" | "\"" | "TJ" => {
                let shows = op.operands.iter().any(|o| match o {
                    Object::String(s, _) => !s.is_empty(),
                    Object::Array(a) => a.iter().any(|x| matches!(x, Object::String(s, _) if !s.is_empty())),
                    _ => false,
                });
                f.text |= shows;
            }
            "Do" => {
                let Some(Object::Name(name)) = op.operands.first() else { continue };
                let Some(Object::Reference(id)) = xobjects.and_then(|x| x.get(name).ok()) else { continue };
                let Some(Object::Stream(s)) = doc.objects.get(id) else { continue };
                match s.dict.get(b"Subtype").ok() {
                    Some(Object::Name(n)) if n == b"Image" => f.images.push((*id, cur)),
                    Some(Object::Name(n)) if n == b"Form" && depth < 4 => {
                        let m = s
                            .dict
                            .get(b"Matrix")
                            .ok()
                            .and_then(|m| resolve(doc, m).as_array().ok())
                            .and_then(|a| a.iter().map(|x| num(doc, x)).collect::<Option<Vec<f32>>>())
                            .filter(|v| v.len() == 6)
                            .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
                            .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
                        let res = s.dict.get(b"Resources").ok().map(|r| resolve(doc, r)).and_then(|r| r.as_dict().ok());
                        if let Ok(content) = s.decompressed_content() {
                            scan_content(doc, &content, res.or(resources), mul(m, cur), depth + 1, f);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// What page `page` of `doc` shows, decided on the page as its file has it.
pub fn pdf_page(doc: &Document, page: ObjectId) -> PdfPage {
    let Some(dict) = doc.objects.get(&page).and_then(|o| o.as_dict().ok()) else { return PdfPage::Nothing };
    let content = doc.get_page_content(page);
    let resources = inherited(doc, dict, b"Resources").and_then(|r| r.as_dict().ok());
    let mut found = Found { text: false, images: Vec::new() };
    scan_content(doc, &content, resources, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0, &mut found);
    if found.text {
        return PdfPage::HasText;
    }
    // The largest image is the scan; small ones are logos or stamps pasted over it.
    let area = |m: &Matrix| (m[0] * m[3] - m[1] * m[2]).abs();
    let Some(&(id, placed)) = found.images.iter().max_by(|a, b| area(&a.1).total_cmp(&area(&b.1))) else {
        return PdfPage::Nothing;
    };
    let media = inherited(doc, dict, b"MediaBox")
        .and_then(|m| m.as_array().ok())
        .and_then(|a| a.iter().map(|x| num(doc, x)).collect::<Option<Vec<f32>>>())
        .filter(|v| v.len() == 4)
        .map(|v| ((v[2] - v[0]).abs() * (v[3] - v[1]).abs()).max(1.0))
        .unwrap_or(595.0 * 842.0);
    if area(&placed) < media * 0.2 {
        return PdfPage::Nothing;
    }
    let Some(Object::Stream(s)) = doc.objects.get(&id) else { return PdfPage::Nothing };
    match pdf_pixels(doc, s) {
        Some((pixels, width, height, key)) => {
            let shown = orientation_of(mul(placed, rotation_linear(page_rotation(doc, page))));
            let hash = hash(&[&s.content, key.as_bytes()]);
            PdfPage::Picture(Box::new(Picture { pixels, width, height, shown, placed, hash, scan: true }))
        }
        None => PdfPage::Nothing,
    }
}

/// An image XObject's pixels in a form the engine or our decoder reads, with a description of
/// how it is decoded for the cache key. None: a kind we do not read (JBIG2, JPEG 2000, palettes).
fn pdf_pixels(doc: &Document, s: &lopdf::Stream) -> Option<(Pixels, u32, u32, String)> {
    let d = &s.dict;
    let int = |k: &[u8]| d.get(k).ok().and_then(|o| num(doc, o)).map(|v| v as u32);
    let (width, height) = (int(b"Width")?, int(b"Height")?);
    if width == 0 || height == 0 || width as u64 * height as u64 > 400_000_000 {
        return None;
    }
    let filters: Vec<Vec<u8>> = match d.get(b"Filter").ok().map(|f| resolve(doc, f)) {
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a.iter().filter_map(|x| resolve(doc, x).as_name().ok().map(|n| n.to_vec())).collect(),
        _ => Vec::new(),
    };
    let mask = matches!(d.get(b"ImageMask").ok(), Some(Object::Boolean(true)));
    let decode_inverted = d
        .get(b"Decode")
        .ok()
        .and_then(|x| resolve(doc, x).as_array().ok())
        .and_then(|a| a.first().and_then(|x| num(doc, x)))
        .is_some_and(|v| v > 0.5);
    let space = d.get(b"ColorSpace").ok().map(|c| resolve(doc, c));
    let channels = match space {
        Some(Object::Name(n)) if n == b"DeviceGray" || n == b"CalGray" => 1,
        Some(Object::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
        Some(Object::Array(a)) if a.first().and_then(|x| x.as_name().ok()) == Some(b"ICCBased") => a
            .get(1)
            .map(|x| resolve(doc, x))
            .and_then(|x| x.as_stream().ok())
            .and_then(|st| st.dict.get(b"N").ok().and_then(|n| num(doc, n)))
            .map(|n| n as u8)
            .filter(|&n| n == 1 || n == 3)?,
        None if mask => 1,
        _ => return None,
    };
    let key = format!("{width}x{height} {filters:?} c{channels} i{decode_inverted} m{mask}");
    let bits = int(b"BitsPerComponent").unwrap_or(if mask { 1 } else { 8 });
    match filters.last().map(|f| f.as_slice()) {
        Some(b"DCTDecode") if filters.len() == 1 => Some((Pixels::Jpeg(s.content.clone()), width, height, key)),
        Some(b"CCITTFaxDecode") if filters.len() == 1 => {
            let parms = d.get(b"DecodeParms").ok().map(|p| resolve(doc, p)).and_then(|p| p.as_dict().ok());
            let get = |k: &[u8]| parms.and_then(|p| p.get(k).ok()).and_then(|v| num(doc, v));
            if get(b"K").unwrap_or(0.0) >= 0.0 {
                return None;
            }
            let black_is_1 = matches!(parms.and_then(|p| p.get(b"BlackIs1").ok()), Some(Object::Boolean(true)));
            // An image mask paints its 1 bits... as black when drawn with a black fill.
            let black_is_1 = black_is_1 ^ decode_inverted ^ mask;
            Some((Pixels::G4 { data: s.content.clone(), width, height, black_is_1 }, width, height, key))
        }
        None | Some(b"FlateDecode") | Some(b"LZWDecode") => {
            let data = if filters.is_empty() { s.content.clone() } else { s.decompressed_content().ok()? };
            let channels = match bits {
                8 => channels,
                1 if channels == 1 => 0,
                _ => return None,
            };
            let invert = decode_inverted ^ (mask && channels == 0);
            Some((Pixels::Raw { data, width, height, channels, invert }, width, height, key))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turning_composes_with_exif_orientation() {
        assert_eq!(turn_exif(1, 180), 3);
        assert_eq!(turn_exif(6, 90), 3);
        assert_eq!(turn_exif(8, 90), 1);
        assert_eq!(turn_exif(2, 180), 4);
        for o in 1..=8 {
            assert_eq!(orientation_of(orient_unit(o)), o);
        }
    }

    #[test]
    fn turned_pixels_follow_the_orientation() {
        // 2 × 1: dark left, light right. Turned a quarter clockwise (EXIF 6) it stands 1 × 2 with the
        // dark pixel on top.
        let g = Gray { width: 2, height: 1, data: vec![0, 255] };
        let t = turn(&g, 6);
        assert_eq!((t.width, t.height, t.data.clone()), (1, 2, vec![0, 255]));
        let t = turn(&g, 3);
        assert_eq!(t.data, vec![255, 0]);
    }
}
