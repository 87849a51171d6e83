//! Photo and scan pages. A JPEG goes in as the very bytes the camera wrote (DCTDecode), a G4 fax
//! TIFF as its compressed strips (CCITTFaxDecode); other pixels are compressed losslessly. EXIF
//! orientation is applied by the placement matrix, never by touching pixels.

use super::place::{Matrix, Stamp, TextLayer, cm, fit, mul, page_for, stamp_ops};
use crate::error::Problem;
use crate::geom::corners;
use crate::sources::image::{Colour, JpegInfo};
use crate::typeset::{A4, Style};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Object, Stream};
use std::io::Write;

/// An image ready to be written: its XObject dictionary and data, plus an optional soft mask.
pub struct Pixels {
    pub dict: Dictionary,
    pub data: Vec<u8>,
    /// The data is this whole file instead, `data` being empty: a photo's JPEG goes into the binder
    /// as it is, so the kernel copies it and it never passes through memory of ours.
    pub file: Option<(std::path::PathBuf, u64)>,
    pub mask: Option<(Dictionary, Vec<u8>)>,
    pub width: u32,
    pub height: u32,
}

fn image_dict(width: u32, height: u32, space: &str, bits: u8) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Image".to_vec()));
    d.set("Width", Object::Integer(width as i64));
    d.set("Height", Object::Integer(height as i64));
    d.set("ColorSpace", Object::Name(space.as_bytes().to_vec()));
    d.set("BitsPerComponent", Object::Integer(bits as i64));
    d
}

pub fn jpeg(data: Vec<u8>, info: &JpegInfo) -> Pixels {
    let space = match info.colour {
        Colour::Gray => "DeviceGray",
        Colour::Rgb => "DeviceRGB",
        Colour::Cmyk => "DeviceCMYK",
    };
    let mut d = image_dict(info.width, info.height, space, 8);
    d.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    if info.colour == Colour::Cmyk && info.adobe {
        d.set("Decode", Object::Array([1, 0, 1, 0, 1, 0, 1, 0].iter().map(|&v| Object::Integer(v)).collect()));
    }
    Pixels { file: None, dict: d, data, mask: None, width: info.width, height: info.height }
}

/// Level 3: on a phone screenshot (1170 × 2532, RGBA) level 6 took twice as long for about 1 %
/// fewer bytes, and level 1 gave a third more; the picture is coded on every build that has not
/// kept it.
fn deflate(raw: &[u8]) -> Vec<u8> {
    use flate2::write::ZlibEncoder;
    let mut e = ZlibEncoder::new(Vec::with_capacity(raw.len() / 2), flate2::Compression::new(3));
    let _ = e.write_all(raw);
    e.finish().unwrap_or_default()
}

fn flate(mut d: Dictionary, raw: &[u8]) -> (Dictionary, Vec<u8>) {
    d.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    (d, deflate(raw))
}

/// Split interleaved samples into colour and alpha planes.
fn split_alpha(raw: &[u8], channels: usize, bytes_per_sample: usize) -> (Vec<u8>, Vec<u8>) {
    let px = channels * bytes_per_sample;
    let mut colour = Vec::with_capacity(raw.len() / channels * (channels - 1));
    let mut alpha = Vec::with_capacity(raw.len() / channels);
    for p in raw.chunks_exact(px) {
        colour.extend_from_slice(&p[..px - bytes_per_sample]);
        alpha.extend_from_slice(&p[px - bytes_per_sample..]);
    }
    (colour, alpha)
}

/// Colour and alpha planes to an image with a soft mask (the alpha kept, not flattened).
fn with_alpha(width: u32, height: u32, space: &str, bits: u8, channels: usize, raw: &[u8]) -> Pixels {
    let bps = if bits == 16 { 2 } else { 1 };
    let (colour, alpha) = split_alpha(raw, channels, bps);
    let (dict, data) = flate(image_dict(width, height, space, bits), &colour);
    let mask = flate(image_dict(width, height, "DeviceGray", bits), &alpha);
    Pixels { file: None, dict, data, mask: Some(mask), width, height }
}

pub fn png(data: &[u8]) -> Result<Pixels, Problem> {
    let bad = |e: png::DecodingError| Problem::DamagedImage(e.to_string());
    let mut dec = png::Decoder::new(std::io::Cursor::new(data));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().map_err(bad)?;
    let mut buf =
        vec![0; reader.output_buffer_size().ok_or_else(|| Problem::DamagedImage("the PNG is too large".into()))?];
    let frame = reader.next_frame(&mut buf).map_err(bad)?;
    buf.truncate(frame.buffer_size());
    let (w, h, bits) = (frame.width, frame.height, frame.bit_depth as u8);
    use png::ColorType::*;
    Ok(match frame.color_type {
        Grayscale => {
            let (dict, data) = flate(image_dict(w, h, "DeviceGray", bits), &buf);
            Pixels { file: None, dict, data, mask: None, width: w, height: h }
        }
        Rgb => {
            let (dict, data) = flate(image_dict(w, h, "DeviceRGB", bits), &buf);
            Pixels { file: None, dict, data, mask: None, width: w, height: h }
        }
        GrayscaleAlpha => with_alpha(w, h, "DeviceGray", bits, 2, &buf),
        Rgba => with_alpha(w, h, "DeviceRGB", bits, 4, &buf),
        Indexed => return Err(Problem::DamagedImage("a palette PNG that could not be expanded".into())),
    })
}

/// One TIFF frame: G4 strips as they are, anything else decoded and compressed losslessly.
pub fn tiff_frame(data: &[u8], frame: u32) -> Result<Vec<(Pixels, u32)>, Problem> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let bad = |e: tiff::TiffError| Problem::DamagedImage(e.to_string());
    let mut dec = Decoder::new(std::io::Cursor::new(data)).map_err(bad)?;
    for _ in 0..frame {
        dec.next_image().map_err(bad)?;
    }
    let (w, h) = dec.dimensions().map_err(bad)?;
    let compression = dec.find_tag_unsigned::<u16>(Tag::Compression).ok().flatten().unwrap_or(1);
    if compression == 4 {
        let offsets = dec.get_tag_u64_vec(Tag::StripOffsets).map_err(bad)?;
        let counts = dec.get_tag_u64_vec(Tag::StripByteCounts).map_err(bad)?;
        let rows_per = dec.find_tag_unsigned::<u32>(Tag::RowsPerStrip).ok().flatten().unwrap_or(h).clamp(1, h.max(1));
        let photometric = dec.find_tag_unsigned::<u16>(Tag::PhotometricInterpretation).ok().flatten().unwrap_or(0);
        let fill_order = dec.find_tag_unsigned::<u16>(Tag::FillOrder).ok().flatten().unwrap_or(1);
        let mut strips = Vec::new();
        for (&off, &len) in offsets.iter().zip(&counts) {
            let (off, len) = (off as usize, len as usize);
            let bytes = data
                .get(off..off.saturating_add(len))
                .ok_or_else(|| Problem::DamagedImage("the TIFF is cut short".into()))?;
            let mut bytes = bytes.to_vec();
            if fill_order == 2 {
                bytes.iter_mut().for_each(|b| *b = b.reverse_bits());
            }
            strips.push(bytes);
        }
        // One strip passes through as it is. Several must be re-coded as one stream: each strip
        // is coded against an imaginary white line, so their bytes cannot simply be joined.
        let coded = match strips.len() {
            0 => return Err(Problem::DamagedImage("the TIFF frame has no image data".into())),
            1 => strips.pop().unwrap_or_default(),
            _ => recode_g4(&strips, w, h, rows_per)?,
        };
        let mut d = image_dict(w, h, "DeviceGray", 1);
        d.set("Filter", Object::Name(b"CCITTFaxDecode".to_vec()));
        let mut p = Dictionary::new();
        p.set("K", Object::Integer(-1));
        p.set("Columns", Object::Integer(w as i64));
        p.set("Rows", Object::Integer(h as i64));
        p.set("BlackIs1", Object::Boolean(photometric == 1));
        d.set("DecodeParms", Object::Dictionary(p));
        return Ok(vec![(Pixels { file: None, dict: d, data: coded, mask: None, width: w, height: h }, 0)]);
    }
    let img = dec.read_image().map_err(bad)?;
    let ct = dec.colortype().map_err(bad)?;
    use tiff::ColorType as C;
    let (raw, bits) = match img {
        DecodingResult::U8(v) => (v, 8),
        DecodingResult::U16(v) => (v.iter().flat_map(|s| s.to_be_bytes()).collect(), 16),
        _ => return Err(Problem::DamagedImage("this TIFF's sample format is not supported: save it as 8-bit".into())),
    };
    let px = match ct {
        C::Gray(_) => {
            let (d, data) = flate(image_dict(w, h, "DeviceGray", bits), &raw);
            Pixels { file: None, dict: d, data, mask: None, width: w, height: h }
        }
        C::RGB(_) => {
            let (d, data) = flate(image_dict(w, h, "DeviceRGB", bits), &raw);
            Pixels { file: None, dict: d, data, mask: None, width: w, height: h }
        }
        C::CMYK(_) => {
            let (d, data) = flate(image_dict(w, h, "DeviceCMYK", bits), &raw);
            Pixels { file: None, dict: d, data, mask: None, width: w, height: h }
        }
        C::GrayA(_) => with_alpha(w, h, "DeviceGray", bits, 2, &raw),
        C::RGBA(_) => with_alpha(w, h, "DeviceRGB", bits, 4, &raw),
        other => return Err(Problem::DamagedImage(format!("this TIFF's colour type ({other:?}) is not supported"))),
    };
    Ok(vec![(px, 0)])
}

/// Decode G4 strips line by line and code them again as one stream (still lossless: bilevel).
fn recode_g4(strips: &[Vec<u8>], w: u32, h: u32, rows_per: u32) -> Result<Vec<u8>, Problem> {
    use fax::{VecWriter, decoder, encoder::Encoder};
    let mut enc = Encoder::new(VecWriter::new());
    let mut failed = false;
    for (i, s) in strips.iter().enumerate() {
        let rows = rows_per.min(h.saturating_sub(i as u32 * rows_per));
        let ok = decoder::decode_g4(s.iter().copied(), w, Some(rows), |line| {
            if enc.encode_line(decoder::pels(line, w), w).is_err() {
                failed = true;
            }
        });
        if ok.is_none() || failed {
            return Err(Problem::DamagedImage("a G4 strip of the TIFF cannot be decoded".into()));
        }
    }
    enc.finish().map(|w| w.finish()).map_err(|_| Problem::DamagedImage("the TIFF could not be re-coded".into()))
}

/// The image matrix drawing the unit square so the photo appears upright in the rectangle
/// (x, y, vw, vh) (PDF coordinates, lower-left origin).
pub fn orient(orientation: u8, x: f32, y: f32, vw: f32, vh: f32) -> Matrix {
    let v = [(x, y + vh), (x + vw, y + vh), (x, y), (x + vw, y)];
    let [tl, tr, bl] = corners(orientation).map(|i| v[i]);
    // The unit square's (0,0) is the stored bottom-left, (1,0) bottom-right, (0,1) top-left.
    let br = (tr.0 + bl.0 - tl.0, tr.1 + bl.1 - tl.1);
    [br.0 - bl.0, br.1 - bl.1, tl.0 - bl.0, tl.1 - bl.1, bl.0, bl.1]
}

pub fn swaps(orientation: u8) -> bool {
    (5..=8).contains(&orientation)
}

fn write_pixels<W: Write>(w: &mut PdfWriter<W>, px: Pixels) -> std::io::Result<u32> {
    let mut dict = px.dict;
    if let Some((md, mdata)) = px.mask {
        let m = w.alloc();
        w.write(m, &Object::Stream(Stream::new(md, mdata).with_compression(false)))?;
        dict.set("SMask", Object::Reference((m, 0)));
    }
    let id = w.alloc();
    match px.file {
        Some((path, len)) => {
            let len = usize::try_from(len).map_err(std::io::Error::other)?;
            w.copy_stream_from(id, &dict, &mut std::fs::File::open(path)?, (0, len))?;
        }
        None => w.write(id, &Object::Stream(Stream::new(dict, px.data).with_compression(false)))?,
    }
    Ok(id)
}

/// The size (pt) a photo of `iw` × `ih` stored pixels is printed at: the largest that fits the
/// type area once turned upright. Returned in stored orientation.
pub fn photo_box(style: &Style, iw: f32, ih: f32, orientation: u8) -> (f32, f32) {
    let (vw, vh) = if swaps(orientation) { (ih, iw) } else { (iw, ih) };
    let s = (style.text_width / vw).min(style.text_height / vh);
    (iw * s, ih * s)
}

/// A photo page: the picture fitted inside the type area, upright. Returns the page size.
pub fn place_photo<W: Write>(
    w: &mut PdfWriter<W>,
    out_id: u32,
    parent: u32,
    px: Pixels,
    orientation: u8,
    style: &Style,
    (stamp, text): (&Stamp, Option<TextLayer>),
) -> std::io::Result<(f32, f32)> {
    let (pw, ph) = A4;
    let (iw, ih) = (px.width as f32, px.height as f32);
    let (vw, vh) = if swaps(orientation) { (ih, iw) } else { (iw, ih) };
    let s = (style.text_width / vw).min(style.text_height / vh);
    let (dw, dh) = (vw * s, vh * s);
    let x = style.left + (style.text_width - dw) / 2.0;
    let top = style.top + (style.text_height - dh) / 2.0;
    let y = ph - top - dh;
    let m = orient(orientation, x, y, dw, dh);
    let img = write_pixels(w, px)?;
    let mut xobjects = vec![("Photo".into(), img)];
    let layer = text_layer(w, text, m, (pw, ph), &mut xobjects)?;
    let ops = format!("q {} /Photo Do Q\n{layer}{}", cm(m), stamp_ops(style, stamp, pw, ph));
    write_page(w, out_id, parent, (pw, ph), ops, xobjects, stamp)
}

/// The text layer's form over a page whose picture's unit square goes onto the page by `m`; its
/// drawing operators (empty without one).
fn text_layer<W: Write>(
    w: &mut PdfWriter<W>,
    text: Option<TextLayer>,
    m: Matrix,
    size: (f32, f32),
    xobjects: &mut Vec<(String, u32)>,
) -> std::io::Result<String> {
    let Some((t, font)) = text else { return Ok(String::new()) };
    Ok(match crate::ocr::layer::write_form(w, t, m, font, size)? {
        Some(id) => {
            xobjects.push((crate::ocr::layer::XOBJECT_NAME.into(), id));
            crate::ocr::layer::draw()
        }
        None => String::new(),
    })
}

/// A scanned frame (TIFF page): like a PDF page, scaled to fill the page above the number band.
pub fn place_scan<W: Write>(
    w: &mut PdfWriter<W>,
    out_id: u32,
    parent: u32,
    strips: Vec<(Pixels, u32)>,
    dpi: Option<(f32, f32)>,
    style: &Style,
    (stamp, text): (&Stamp, Option<TextLayer>),
) -> std::io::Result<(f32, f32)> {
    let Some(first) = strips.first() else { return Ok(A4) };
    let width_px = first.0.width as f32;
    let height_px: f32 = strips.iter().map(|(p, _)| p.height as f32).sum();
    let (dx, dy) = dpi.unwrap_or((72.0, 72.0));
    // A frame OCR found on its head or side is shown turned, as a photo by its EXIF orientation.
    let orientation = crate::ocr::raster::turn_exif(1, text.map(|t| t.0.turn).unwrap_or(0));
    let (vw, vh) = (width_px / dx * 72.0, height_px / dy * 72.0);
    let (vw, vh) = if swaps(orientation) { (vh, vw) } else { (vw, vh) };
    let (pw, ph) = page_for(vw, vh);
    let (s, ox, oy) = fit(style, pw, ph, vw, vh);
    let frame = orient(orientation, ox, oy, vw * s, vh * s);
    let mut ops = String::new();
    let mut xobjects = Vec::new();
    for (i, (px, top_row)) in strips.into_iter().enumerate() {
        let rows = px.height as f32;
        let name = format!("Scan{i}");
        let strip = [1.0, 0.0, 0.0, rows / height_px, 0.0, (height_px - top_row as f32 - rows) / height_px];
        ops.push_str(&format!("q {} /{name} Do Q\n", cm(mul(strip, frame))));
        xobjects.push((name, write_pixels(w, px)?));
    }
    ops.push_str(&text_layer(w, text, frame, (pw, ph), &mut xobjects)?);
    ops.push_str(&stamp_ops(style, stamp, pw, ph));
    write_page(w, out_id, parent, (pw, ph), ops, xobjects, stamp)
}

fn write_page<W: Write>(
    w: &mut PdfWriter<W>,
    out_id: u32,
    parent: u32,
    (pw, ph): (f32, f32),
    ops: String,
    xobjects: Vec<(String, u32)>,
    stamp: &Stamp,
) -> std::io::Result<(f32, f32)> {
    let content = w.alloc();
    w.write(content, &Object::Stream(Stream::new(Dictionary::new(), ops.into_bytes())))?;
    let mut x = Dictionary::new();
    for (name, id) in xobjects {
        x.set(name.into_bytes(), Object::Reference((id, 0)));
    }
    x.set("DossierPageNo", Object::Reference((stamp.xobject, 0)));
    let mut res = Dictionary::new();
    res.set("XObject", Object::Dictionary(x));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference((parent, 0)));
    page.set("MediaBox", Object::Array(vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)]));
    page.set("Resources", Object::Dictionary(res));
    page.set("Contents", Object::Reference((content, 0)));
    w.write(out_id, &Object::Dictionary(page))?;
    Ok((pw, ph))
}

/// A PNG's image objects, coded from `data` or taken from `dir` (see [`kept`]).
pub fn png_kept(data: &[u8], dir: &std::path::Path, hits: &std::sync::atomic::AtomicUsize) -> Result<Pixels, Problem> {
    match kept(data, "png", dir, hits, || Ok(vec![(png(data)?, 0)]))?.pop() {
        Some((px, _)) => Ok(px),
        None => Err(Problem::DamagedImage("no picture in the PNG".into())),
    }
}

/// Frame `frame` of a TIFF, coded from `data` or taken from `dir` (see [`kept`]).
pub fn tiff_kept(
    data: &[u8],
    frame: u32,
    dir: &std::path::Path,
    hits: &std::sync::atomic::AtomicUsize,
) -> Result<Vec<(Pixels, u32)>, Problem> {
    kept(data, &format!("tiff {frame}"), dir, hits, || tiff_frame(data, frame))
}

/// A picture's image objects (a PNG's, a TIFF frame's strips), kept in `dir` by the file's
/// content and `what` of it: decoding and compressing its pixels again is most of what an
/// unchanged screenshot or TIFF scan costs a rebuild, and the same bytes always give the same
/// objects.
fn kept(
    data: &[u8],
    what: &str,
    dir: &std::path::Path,
    hits: &std::sync::atomic::AtomicUsize,
    make: impl FnOnce() -> Result<Vec<(Pixels, u32)>, Problem>,
) -> Result<Vec<(Pixels, u32)>, Problem> {
    use super::skeleton::{Reader, bytes, dict, seal, unseal};
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(what.as_bytes());
    h.update(data);
    let entry = dir.join(format!("{}.bin", crate::sources::docx::hex(&h.finalize()[..16])));
    if let Some(body) = unseal(&entry) {
        let mut r = Reader { at: &body, depth: 0 };
        let one = |r: &mut Reader| -> Option<(Pixels, u32)> {
            let (width, height, extra) = (r.u32()?, r.u32()?, r.u32()?);
            let (d, data) = (r.dict()?, r.bytes()?.to_vec());
            let mask = match r.u32()? {
                0 => None,
                _ => Some((r.dict()?, r.bytes()?.to_vec())),
            };
            Some((Pixels { file: None, dict: d, data, mask, width, height }, extra))
        };
        let all = |r: &mut Reader| -> Option<Vec<(Pixels, u32)>> { (0..r.u32()?).map(|_| one(r)).collect() };
        if let Some(v) = all(&mut r)
            && r.at.is_empty()
        {
            crate::cache::touch(&entry);
            if super::skeleton::from_earlier(&entry) {
                hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            return Ok(v);
        }
    }
    let made = make()?;
    let mut body = Vec::new();
    body.extend_from_slice(&(made.len() as u32).to_le_bytes());
    for (px, extra) in &made {
        for n in [px.width, px.height, *extra] {
            body.extend_from_slice(&n.to_le_bytes());
        }
        dict(&mut body, &px.dict);
        bytes(&mut body, &px.data);
        match &px.mask {
            None => body.extend_from_slice(&0u32.to_le_bytes()),
            Some((d, m)) => {
                body.extend_from_slice(&1u32.to_le_bytes());
                dict(&mut body, d);
                bytes(&mut body, m);
            }
        }
    }
    seal(&entry, &body);
    Ok(made)
}
