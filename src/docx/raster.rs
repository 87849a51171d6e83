//! Page images for the Word binder. Word cannot show a PDF page, so PDF pages (and Word evidence,
//! through its converted PDF) are drawn as JPEG by poppler's pdftoppm, one run per file for all
//! the pages it needs; TIFF frames are decoded and written as PNG. Everything goes into a
//! temporary folder that disappears with its `Scratch`.

use crate::error::Problem;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A temporary folder, removed with everything in it when dropped.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn new() -> std::io::Result<Scratch> {
        let base = std::env::temp_dir();
        for i in 0..1000u32 {
            let dir = base.join(format!("dossier-docx-{}-{i}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Scratch { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free temporary folder"))
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
}

impl Format {
    /// The extension of the picture's part in the package; `[Content_Types].xml` maps it.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
        }
    }
}

/// A picture file ready to be embedded: where it is, its kind and its size in pixels.
#[derive(Debug, Clone)]
pub struct Picture {
    pub path: PathBuf,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// EXIF orientation still to apply (1: upright as stored).
    pub orientation: u8,
}

impl Picture {
    pub fn new(path: &Path, format: Format, (width, height): (u32, u32), orientation: u8) -> Picture {
        Picture { path: path.to_path_buf(), format, width, height, orientation }
    }
}

/// pdftoppm: DOSSIER_PDFTOPPM, else the PATH.
pub fn find_pdftoppm() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_PDFTOPPM") {
        return Some(PathBuf::from(p));
    }
    let name = if cfg!(windows) { "pdftoppm.exe" } else { "pdftoppm" };
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Draw the given pages (0-based) of `pdf` at `dpi` into a new folder `dir`. pdftoppm runs once,
/// over the range from the first to the last page wanted.
pub fn pdf_pages(
    program: &Path,
    pdf: &Path,
    pages: &BTreeSet<u32>,
    dpi: u32,
    dir: &Path,
) -> Result<HashMap<u32, Picture>, Problem> {
    let (Some(&first), Some(&last)) = (pages.first(), pages.last()) else { return Ok(HashMap::new()) };
    std::fs::create_dir_all(dir).map_err(|e| Problem::Rasterise(e.to_string()))?;
    let prefix = "page";
    let out = Command::new(program)
        .args(["-r", &dpi.to_string(), "-jpeg", "-jpegopt", "quality=85"])
        .args(["-f", &(first + 1).to_string(), "-l", &(last + 1).to_string()])
        .arg(pdf)
        .arg(dir.join(prefix))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Problem::NoPdftoppm
            } else {
                Problem::Rasterise(format!("pdftoppm could not be started ({}): {e}", program.display()))
            }
        })?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        let msg = msg.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim();
        return Err(Problem::Rasterise(format!("pdftoppm failed: {msg}")));
    }
    // pdftoppm names its files prefix-N.jpg, N padded to the width of the document's page count.
    let mut found = HashMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Problem::Rasterise(e.to_string()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(n) = name
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_suffix(".jpg"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let page = n.saturating_sub(1);
        if !pages.contains(&page) {
            // A page between two wanted ones: drawn by the single run, not needed.
            let _ = std::fs::remove_file(entry.path());
            continue;
        }
        let path = entry.path();
        let data = std::fs::read(&path).map_err(|e| Problem::Rasterise(e.to_string()))?;
        let info = crate::sources::image::jpeg_info(&data)
            .map_err(|p| Problem::Rasterise(format!("pdftoppm wrote an unreadable picture: {p}")))?;
        found.insert(
            page,
            Picture { path, format: Format::Jpeg, width: info.width, height: info.height, orientation: 1 },
        );
    }
    if let Some(missing) = pages.iter().find(|p| !found.contains_key(p)) {
        return Err(Problem::Rasterise(format!("pdftoppm drew no picture of page {}", missing + 1)));
    }
    Ok(found)
}

/// One frame of a TIFF, decoded and written as a PNG file at `out`. Bilevel scans stay 1 bit per
/// pixel, so a fax-compressed page stays small.
pub fn tiff_frame(data: &[u8], frame: u32, out: &Path) -> Result<Picture, Problem> {
    use tiff::ColorType as C;
    use tiff::decoder::{Decoder, DecodingResult};
    let bad = |e: tiff::TiffError| Problem::DamagedImage(e.to_string());
    let mut dec = Decoder::new(std::io::Cursor::new(data)).map_err(bad)?;
    for _ in 0..frame {
        dec.next_image().map_err(bad)?;
    }
    let (w, h) = dec.dimensions().map_err(bad)?;
    let colour = dec.colortype().map_err(bad)?;
    // The decoder turns WhiteIsZero into the usual sense (0 is black), as PNG has it.
    let samples = dec.read_image().map_err(bad)?;
    let (raw, bits): (Vec<u8>, u8) = match samples {
        DecodingResult::U8(v) => (v, 8),
        DecodingResult::U16(v) => (v.iter().flat_map(|s| s.to_be_bytes()).collect(), 16),
        _ => return Err(Problem::DamagedImage("this TIFF's sample format is not supported: save it as 8-bit".into())),
    };
    let (png_colour, depth, raw) = match colour {
        C::Gray(1) => (png::ColorType::Grayscale, png::BitDepth::One, raw),
        C::Gray(_) => (png::ColorType::Grayscale, depth(bits), raw),
        C::GrayA(_) => (png::ColorType::GrayscaleAlpha, depth(bits), raw),
        C::RGB(_) => (png::ColorType::Rgb, depth(bits), raw),
        C::RGBA(_) => (png::ColorType::Rgba, depth(bits), raw),
        C::CMYK(8) => (png::ColorType::Rgb, png::BitDepth::Eight, cmyk_to_rgb(&raw)),
        other => return Err(Problem::DamagedImage(format!("this TIFF's colour type ({other:?}) is not supported"))),
    };
    let fail = |e: &dyn std::fmt::Display| Problem::Rasterise(format!("the TIFF frame could not be written: {e}"));
    let file = std::fs::File::create(out).map_err(|e| fail(&e))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png_colour);
    enc.set_depth(depth);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header().map_err(|e| fail(&e))?;
    writer.write_image_data(&raw).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))?;
    Ok(Picture { path: out.to_path_buf(), format: Format::Png, width: w, height: h, orientation: 1 })
}

fn depth(bits: u8) -> png::BitDepth {
    if bits == 16 { png::BitDepth::Sixteen } else { png::BitDepth::Eight }
}

/// Naive CMYK to RGB: good enough for a scanned page, which is what a CMYK TIFF here would be.
fn cmyk_to_rgb(raw: &[u8]) -> Vec<u8> {
    raw.chunks_exact(4)
        .flat_map(|p| {
            let k = 255 - p[3] as u32;
            [0, 1, 2].map(|i| ((255 - p[i] as u32) * k / 255) as u8)
        })
        .collect()
}

/// Where stored pixel (x, y) of a `w` × `h` picture lands when EXIF `orientation` is applied,
/// with the upright picture's size.
fn upright_position(orientation: u8, x: usize, y: usize, w: usize, h: usize) -> (usize, usize) {
    let (mx, my) = (w - 1, h - 1);
    match orientation {
        2 => (mx - x, y),
        3 => (mx - x, my - y),
        4 => (x, my - y),
        5 => (y, x),
        6 => (my - y, x),
        7 => (my - y, mx - x),
        8 => (y, mx - x),
        _ => (x, y),
    }
}

/// Turn interleaved pixels upright: (pixels, width, height).
fn upright_pixels(src: &[u8], w: usize, h: usize, channels: usize, orientation: u8) -> (Vec<u8>, usize, usize) {
    let (vw, vh) = if orientation >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; src.len()];
    for y in 0..h {
        for x in 0..w {
            let (vx, vy) = upright_position(orientation, x, y, w, h);
            let (s, d) = ((y * w + x) * channels, (vy * vw + vx) * channels);
            out[d..d + channels].copy_from_slice(&src[s..s + channels]);
        }
    }
    (out, vw, vh)
}

/// A photo its camera stored turned a quarter (EXIF orientation 5–8), decoded, turned upright
/// and encoded again as JPEG at `out`.
///
/// Word lays out a turned inline picture by its drawing's effect extent, which LibreOffice 7
/// does not honour (a picture with the negative extents Word itself writes is not drawn at
/// all), so no rotation attribute shows such a photo right in both: these few photos are
/// re-encoded. Flips and half turns (2–4) keep their bytes and use the drawing's attributes.
pub fn upright_jpeg(data: &[u8], orientation: u8, out: &Path) -> Result<Picture, Problem> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(1 << 16)
        .set_max_height(1 << 16);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
    let pixels = dec.decode().map_err(|e| Problem::DamagedImage(format!("{e:?}")))?;
    let info = dec.info().ok_or_else(|| Problem::DamagedImage("the JPEG has no size".into()))?;
    let (w, h) = (info.width as usize, info.height as usize);
    if pixels.len() < w * h * 3 {
        return Err(Problem::DamagedImage("the JPEG decoded to fewer pixels than it declares".into()));
    }
    let (up, vw, vh) = upright_pixels(&pixels[..w * h * 3], w, h, 3, orientation);
    let fail = |e: &dyn std::fmt::Display| Problem::Rasterise(format!("the photo could not be turned upright: {e}"));
    let (ew, eh) = (u16::try_from(vw).map_err(|e| fail(&e))?, u16::try_from(vh).map_err(|e| fail(&e))?);
    let file = std::io::BufWriter::new(std::fs::File::create(out).map_err(|e| fail(&e))?);
    jpeg_encoder::Encoder::new(file, 90).encode(&up, ew, eh, jpeg_encoder::ColorType::Rgb).map_err(|e| fail(&e))?;
    Ok(Picture { path: out.to_path_buf(), format: Format::Jpeg, width: vw as u32, height: vh as u32, orientation: 1 })
}

/// The same for a PNG: decoded to 8 bits, turned upright, written again as PNG.
pub fn upright_png(data: &[u8], orientation: u8, out: &Path) -> Result<Picture, Problem> {
    let bad = |e: png::DecodingError| Problem::DamagedImage(e.to_string());
    let mut dec = png::Decoder::new(std::io::Cursor::new(data));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(bad)?;
    let size = reader.output_buffer_size().ok_or_else(|| Problem::DamagedImage("the PNG is too large".into()))?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(bad)?;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let channels = frame.color_type.samples();
    let rows = &buf[..frame.buffer_size()];
    // Rows may be padded; take each row's pixels.
    let mut px = Vec::with_capacity(w * h * channels);
    for row in rows.chunks(frame.line_size).take(h) {
        px.extend_from_slice(&row[..w * channels]);
    }
    let (up, vw, vh) = upright_pixels(&px, w, h, channels, orientation);
    let fail = |e: &dyn std::fmt::Display| Problem::Rasterise(format!("the picture could not be turned upright: {e}"));
    let file = std::fs::File::create(out).map_err(|e| fail(&e))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), vw as u32, vh as u32);
    enc.set_color(frame.color_type);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| fail(&e))?;
    writer.write_image_data(&up).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))?;
    Ok(Picture { path: out.to_path_buf(), format: Format::Png, width: vw as u32, height: vh as u32, orientation: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_swap_the_size_and_move_the_corners() {
        // 3 × 2, pixels numbered in reading order.
        let src: Vec<u8> = (0..6).collect();
        assert_eq!(upright_pixels(&src, 3, 2, 1, 1), (src.clone(), 3, 2));
        // 6: the camera was turned right; the stored bottom-left comes to the top-left.
        assert_eq!(upright_pixels(&src, 3, 2, 1, 6), (vec![3, 0, 4, 1, 5, 2], 2, 3));
        assert_eq!(upright_pixels(&src, 3, 2, 1, 8), (vec![2, 5, 1, 4, 0, 3], 2, 3));
        assert_eq!(upright_pixels(&src, 3, 2, 1, 3), (vec![5, 4, 3, 2, 1, 0], 3, 2));
    }
}
