//! Photos and scans: what we need to know to place them (pixel size, colour, orientation) without
//! decoding the pixels, so a JPEG can be embedded as the very bytes the camera wrote.

use crate::error::Problem;
use std::path::Path;

/// Refuse images above this many pixels by default: a "decompression bomb" declares a huge size in a
/// tiny file and would take gigabytes to decode. 20,000 × 15,000 covers every real scanner and camera.
pub const DEFAULT_MAX_PIXELS: u64 = 300_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Gray,
    Rgb,
    Cmyk,
}

#[derive(Debug, Clone)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    pub colour: Colour,
    /// An Adobe APP14 marker: Adobe writes CMYK/YCCK JPEGs with inverted values, which PDF viewers
    /// only render right with a /Decode [1 0 1 0 1 0 1 0] array.
    pub adobe: bool,
    pub progressive: bool,
    /// EXIF orientation 1–8 (1 when absent or unreadable).
    pub orientation: u8,
}

/// Read a JPEG's frame header and markers. zune-jpeg parses headers too, but does not say whether an
/// Adobe APP14 marker is present, which decides the /Decode array; walking the markers is short.
pub fn jpeg_info(data: &[u8]) -> Result<JpegInfo, Problem> {
    jpeg_parts(data, data)
}

/// As [`jpeg_info`] for the file at `path`, reading only its head and its end: the markers come
/// before the picture, and a dozen photos were 20 MB read on every build for their sizes. A head
/// that ends before the frame header does is read again whole.
pub fn jpeg_info_file(path: &Path) -> Result<JpegInfo, Problem> {
    use std::io::{Read, Seek, SeekFrom};
    const HEAD: u64 = 256 << 10;
    const TAIL: u64 = 64 << 10;
    let unreadable = |e: std::io::Error| Problem::Unreadable(e.to_string());
    let mut f = std::fs::File::open(path).map_err(unreadable)?;
    let len = f.metadata().map_err(unreadable)?.len();
    if len <= HEAD + TAIL {
        return jpeg_info(&std::fs::read(path).map_err(unreadable)?);
    }
    let (mut head, mut tail) = (Vec::new(), Vec::new());
    (&mut f).take(HEAD).read_to_end(&mut head).map_err(unreadable)?;
    f.seek(SeekFrom::Start(len - TAIL)).map_err(unreadable)?;
    f.take(TAIL).read_to_end(&mut tail).map_err(unreadable)?;
    jpeg_parts(&head, &tail).or_else(|_| jpeg_info(&std::fs::read(path).map_err(unreadable)?))
}

/// The frame header and markers from `head`, the file's first bytes (all APPn segments, EXIF
/// among them, come before the frame header), and whether `tail`, its last bytes, ends it.
fn jpeg_parts(data: &[u8], tail: &[u8]) -> Result<JpegInfo, Problem> {
    let bad = |why: &str| Problem::DamagedImage(why.to_string());
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err(bad("not a JPEG"));
    }
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= data.len() {
        if data[i] != 0xFF {
            return Err(bad("the JPEG markers are damaged"));
        }
        let marker = data[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([data[i + 2], data[i + 3]]) as usize;
        if len < 2 || i + 2 + len > data.len() {
            return Err(bad("the JPEG is cut short"));
        }
        let seg = &data[i + 4..i + 2 + len];
        match marker {
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => {
                if seg.len() < 6 {
                    return Err(bad("the JPEG frame header is damaged"));
                }
                let height = u16::from_be_bytes([seg[1], seg[2]]) as u32;
                let width = u16::from_be_bytes([seg[3], seg[4]]) as u32;
                let colour = match seg[5] {
                    1 => Colour::Gray,
                    3 => Colour::Rgb,
                    4 => Colour::Cmyk,
                    n => return Err(bad(&format!("a JPEG with {n} colour channels"))),
                };
                if width == 0 || height == 0 {
                    return Err(bad("the JPEG declares no size"));
                }
                if !has_end(tail) {
                    return Err(bad("the JPEG is cut short (no end marker): copy it again"));
                }
                let progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                return Ok(JpegInfo { width, height, colour, adobe, progressive, orientation: orientation(data) });
            }
            0xDA => break,
            _ => {}
        }
        i += 2 + len;
    }
    Err(bad("the JPEG has no frame header"))
}

/// A complete JPEG ends with FF D9; phones and cameras sometimes append data after it, so look near
/// the end rather than at the last two bytes only.
fn has_end(data: &[u8]) -> bool {
    let tail = &data[data.len().saturating_sub(64 * 1024)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

/// EXIF orientation from any container kamadak-exif understands (JPEG, PNG, TIFF, HEIF).
pub fn orientation(data: &[u8]) -> u8 {
    let mut cur = std::io::Cursor::new(data);
    exif::Reader::new()
        .read_from_container(&mut cur)
        .ok()
        .and_then(|e| e.get_field(exif::Tag::Orientation, exif::In::PRIMARY).and_then(|f| f.value.get_uint(0)))
        .filter(|o| (1..=8).contains(o))
        .map(|o| o as u8)
        .unwrap_or(1)
}

/// When and where a photo was taken, from its EXIF (JPEG, HEIC, PNG, TIFF): the date as
/// “2021-04-12 10:35:22”, the place as “lat,lon” in decimal degrees. Either is None when the
/// file does not say.
pub fn taken(path: &Path) -> (Option<String>, Option<String>) {
    let Ok(f) = std::fs::File::open(path) else { return (None, None) };
    let Ok(e) = exif::Reader::new().read_from_container(&mut std::io::BufReader::new(f)) else { return (None, None) };
    let date = [exif::Tag::DateTimeOriginal, exif::Tag::DateTime].into_iter().find_map(|t| {
        match &e.get_field(t, exif::In::PRIMARY)?.value {
            exif::Value::Ascii(v) => v.first().and_then(|s| exif::DateTime::from_ascii(s).ok()),
            _ => None,
        }
    });
    let date = date
        .map(|d| format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", d.year, d.month, d.day, d.hour, d.minute, d.second));
    let degrees = |value: exif::Tag, reference: exif::Tag, negative: u8| -> Option<f64> {
        let exif::Value::Rational(r) = &e.get_field(value, exif::In::PRIMARY)?.value else { return None };
        let part = |i: usize| r.get(i).filter(|q| q.denom != 0).map_or(0.0, |q| q.to_f64());
        let d = part(0) + part(1) / 60.0 + part(2) / 3600.0;
        let sign = match &e.get_field(reference, exif::In::PRIMARY).map(|f| &f.value) {
            Some(exif::Value::Ascii(v)) if v.first().and_then(|s| s.first()) == Some(&negative) => -1.0,
            _ => 1.0,
        };
        (!r.is_empty()).then_some(sign * d)
    };
    let lat = degrees(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, b'S');
    let lon = degrees(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, b'W');
    let gps = lat.zip(lon).map(|(a, o)| format!("{a:.6},{o:.6}"));
    (date, gps)
}

#[derive(Debug, Clone)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub orientation: u8,
}

pub fn png_info(data: &[u8]) -> Result<PngInfo, Problem> {
    let dec = png::Decoder::new(std::io::Cursor::new(data));
    let reader = dec.read_info().map_err(|e| Problem::DamagedImage(e.to_string()))?;
    let info = reader.info();
    Ok(PngInfo { width: info.width, height: info.height, orientation: orientation(data) })
}

#[derive(Debug, Clone)]
pub struct TiffFrame {
    pub width: u32,
    pub height: u32,
    /// Pixels per inch when the scanner recorded it.
    pub dpi: Option<(f32, f32)>,
}

/// The frames (pages) of a TIFF, with their sizes. Pixels are read later, one frame at a time.
/// Only the directories are read (`data` may be the file itself), not the pixels.
pub fn tiff_frames<R: std::io::Read + std::io::Seek>(data: R, max_pixels: u64) -> Result<Vec<TiffFrame>, Problem> {
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;
    let bad = |e: tiff::TiffError| Problem::DamagedImage(e.to_string());
    let mut dec = Decoder::new(data).map_err(bad)?;
    let mut frames = Vec::new();
    loop {
        let (width, height) = dec.dimensions().map_err(bad)?;
        if width as u64 * height as u64 > max_pixels {
            return Err(Problem::ImageTooLarge { width: width as u64, height: height as u64, limit: max_pixels });
        }
        let res = |t: Tag, d: &mut Decoder<_>| -> Option<f32> {
            let v = d.find_tag(t).ok()??;
            let r = v.into_f64().ok().or(None)?;
            Some(r as f32)
        };
        let xr = res(Tag::XResolution, &mut dec);
        let yr = res(Tag::YResolution, &mut dec);
        let unit = dec.find_tag_unsigned::<u16>(Tag::ResolutionUnit).ok().flatten().unwrap_or(2);
        let dpi = match (xr, yr) {
            (Some(x), Some(y)) if x > 1.0 && y > 1.0 => Some(if unit == 3 { (x * 2.54, y * 2.54) } else { (x, y) }),
            _ => None,
        };
        frames.push(TiffFrame { width, height, dpi });
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(bad)?;
    }
    Ok(frames)
}

/// Check a JPEG/PNG against the pixel limit.
pub fn check_pixels(width: u32, height: u32, max_pixels: u64) -> Result<(), Problem> {
    if width as u64 * height as u64 > max_pixels {
        return Err(Problem::ImageTooLarge { width: width as u64, height: height as u64, limit: max_pixels });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's markers around `scan` bytes of entropy-coded data: `app` bytes of APP1 segments
    /// before the frame header, and the end marker unless `cut`.
    fn jpeg(app: usize, scan: usize, cut: bool) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        let mut left = app;
        while left > 0 {
            let n = left.min(60_000);
            j.extend_from_slice(&[0xFF, 0xE1]);
            j.extend_from_slice(&((n + 2) as u16).to_be_bytes());
            j.extend(std::iter::repeat_n(0x20, n));
            left -= n;
        }
        // SOF0: 8 bits, 300 high and 400 wide, three components.
        j.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8, 1, 44, 1, 144, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        j.extend_from_slice(&[0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
        j.extend((0..scan).map(|i| (i % 251) as u8 & 0x7F));
        if !cut {
            j.extend_from_slice(&[0xFF, 0xD9]);
        }
        j
    }

    fn file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("dossier-jpeg-{name}-{}.jpg", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Reading a photo's head and end says what reading it whole says: for a large photo, one
    /// whose markers run past the head, a small one, and one cut short.
    #[test]
    fn a_photo_read_at_both_ends_is_a_photo_read_whole() {
        for (name, app, scan, cut) in [
            ("large", 20_000, 3 << 20, false),
            ("long-markers", 400_000, 1 << 20, false),
            ("small", 1_000, 50_000, false),
            ("cut", 20_000, 3 << 20, true),
        ] {
            let bytes = jpeg(app, scan, cut);
            let path = file(name, &bytes);
            let (whole, ends) = (jpeg_info(&bytes), jpeg_info_file(&path));
            std::fs::remove_file(&path).unwrap();
            match (whole, ends) {
                (Ok(a), Ok(b)) => {
                    assert!(!cut, "{name}: a photo without its end was taken");
                    assert_eq!((a.width, a.height, a.orientation), (b.width, b.height, b.orientation), "{name}");
                    assert_eq!((a.width, a.height), (400, 300), "{name}");
                }
                (Err(a), Err(b)) => {
                    assert!(cut, "{name}: {a}");
                    assert_eq!(a.to_string(), b.to_string(), "{name}");
                }
                (a, b) => panic!("{name}: read whole {a:?}, read at both ends {b:?}"),
            }
        }
    }
}
