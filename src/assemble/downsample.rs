//! Photos brought down to a resolution that prints well at their size on the page (`--photo-dpi`),
//! for binders that must fit an upload limit. A JPEG already at or under the limit is kept byte for
//! byte; nothing is ever enlarged. Decoding, resizing and encoding use zune-jpeg, fast_image_resize
//! (SIMD) and jpeg-encoder, the fastest path measured for 12-megapixel phone photos. Results are
//! cached by the photo's content, the resolution and the quality.

use crate::error::Problem;
use crate::sources::image::{Colour, JpegInfo};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A photo printed `width_pt` × `height_pt` (stored orientation) at no more than `dpi`.
pub struct Target {
    pub dpi: u32,
    pub width_pt: f32,
    pub height_pt: f32,
}

/// The pixel size to keep, or None when the photo is already within the limit (with 10% slack,
/// so a photo a hair over is not recompressed for nothing).
pub fn target_size(info: &JpegInfo, t: &Target) -> Option<(u32, u32)> {
    let w = (t.width_pt / 72.0 * t.dpi as f32).round().max(1.0) as u32;
    let h = (t.height_pt / 72.0 * t.dpi as f32).round().max(1.0) as u32;
    (info.width as f32 > w as f32 * 1.1 && info.height as f32 > h as f32 * 1.1).then_some((w, h))
}

/// The downsampled JPEG and its new info, from the cache when it was made before.
pub fn jpeg(
    data: &[u8],
    info: &JpegInfo,
    size: (u32, u32),
    quality: u8,
    cache: &Path,
) -> Result<(Vec<u8>, JpegInfo), Problem> {
    let key = crate::sources::docx::hex(&Sha256::digest(data));
    let file = cache.join(format!("{key}-{}x{}-q{quality}.jpg", size.0, size.1));
    let out_info = JpegInfo {
        width: size.0,
        height: size.1,
        colour: if info.colour == Colour::Gray { Colour::Gray } else { Colour::Rgb },
        adobe: false,
        progressive: false,
        orientation: info.orientation,
    };
    if let Ok(bytes) = std::fs::read(&file) {
        crate::cache::touch(&file);
        return Ok((bytes, out_info));
    }
    let bytes = encode(data, info, size, quality)?;
    // Cached through a rename, so a build running at the same time never reads half a file.
    if std::fs::create_dir_all(cache).is_ok() {
        let tmp = cache.join(format!(".{key}.{}", std::process::id()));
        if std::fs::write(&tmp, &bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &file);
        }
        let _ = std::fs::remove_file(&tmp);
    }
    Ok((bytes, out_info))
}

/// Decode at a reduced scale, resize and re-encode, without the cache.
pub fn encode(data: &[u8], info: &JpegInfo, (w, h): (u32, u32), quality: u8) -> Result<Vec<u8>, Problem> {
    use fast_image_resize::{PixelType, ResizeOptions, Resizer, images::Image};
    use zune_jpeg::zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let bad = |e: String| Problem::DamagedImage(e);
    let gray = info.colour == Colour::Gray;
    let (space, pixel, channels) =
        if gray { (ColorSpace::Luma, PixelType::U8, 1) } else { (ColorSpace::RGB, PixelType::U8x3, 3) };
    let opts = DecoderOptions::default().jpeg_set_out_colorspace(space);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(data), opts);
    let pixels = dec.decode().map_err(|e| bad(format!("{e:?}")))?;
    let (sw, sh) = dec.info().map(|i| (i.width as u32, i.height as u32)).ok_or_else(|| bad("no size".into()))?;
    if pixels.len() < sw as usize * sh as usize * channels {
        return Err(bad("the JPEG decoded to fewer pixels than it declares".into()));
    }
    let src = Image::from_vec_u8(sw, sh, pixels, pixel).map_err(|e| bad(e.to_string()))?;
    let mut dst = Image::new(w, h, pixel);
    Resizer::new().resize(&src, &mut dst, &ResizeOptions::new()).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    let colour = if gray { jpeg_encoder::ColorType::Luma } else { jpeg_encoder::ColorType::Rgb };
    let (w16, h16) =
        (u16::try_from(w).map_err(|e| bad(e.to_string()))?, u16::try_from(h).map_err(|e| bad(e.to_string()))?);
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(dst.buffer(), w16, h16, colour)
        .map_err(|e| bad(e.to_string()))?;
    Ok(out)
}
