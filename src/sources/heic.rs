//! HEIC photos (the iPhone's default) become JPEG through libheif's heif-convert, or ImageMagick
//! (itself built on libheif) where that is what the office has (on Windows it is the usual one),
//! then go on as any other phone photo. HEIC keeps a photo's rotation in its own boxes, which the converter applies
//! to the pixels; the EXIF block it copies along still carries the camera's orientation tag, so it
//! is left out of the JPEG, or the photo would be turned a second time. Conversions are cached by
//! content hash (`heic/<sha256>.jpg`), so a rebuild converts only new photos.

use super::docx::{hex, tempdir_in};
use super::runner;
use crate::error::Problem;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A program that turns HEIC into JPEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Converter {
    HeifConvert(PathBuf),
    Magick(PathBuf),
}

impl Converter {
    fn name(&self) -> &'static str {
        match self {
            Converter::HeifConvert(_) => "heif-convert",
            Converter::Magick(_) => "ImageMagick",
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let name = if cfg!(windows) { format!("{name}.exe") } else { name.to_string() };
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(&name)).find(|p| p.is_file())
}

/// DOSSIER_HEIF_CONVERT when set (and then only it), else heif-convert, else ImageMagick
/// (DOSSIER_MAGICK, `magick`, or on Unix its older name `convert`: on Windows, convert.exe is the
/// system's disk converter).
pub fn find_converter() -> Option<Converter> {
    if let Some(p) = std::env::var_os("DOSSIER_HEIF_CONVERT") {
        return Some(Converter::HeifConvert(PathBuf::from(p)));
    }
    if let Some(p) = on_path("heif-convert") {
        return Some(Converter::HeifConvert(p));
    }
    let magick = std::env::var_os("DOSSIER_MAGICK").map(PathBuf::from).or_else(|| on_path("magick"));
    let magick = if cfg!(windows) { magick } else { magick.or_else(|| on_path("convert")) };
    magick.map(Converter::Magick)
}

/// The upright JPEG for the HEIC photo at `path`, from `cache_dir` when it was converted before.
pub fn convert(path: &Path, cache_dir: &Path, timeout: Duration) -> Result<PathBuf, Problem> {
    let data = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    let key = hex(&Sha256::digest(&data));
    let cached = cache_dir.join(format!("{key}.jpg"));
    if cached.is_file() {
        crate::cache::touch(&cached);
        return Ok(cached);
    }
    let converter = find_converter().ok_or(Problem::HeicNoConverter)?;
    let name = converter.name();
    let io = |e: std::io::Error| Problem::HeicConversion(e.to_string());
    std::fs::create_dir_all(cache_dir).map_err(io)?;
    let work = tempdir_in(cache_dir).map_err(io)?;
    let result = (|| {
        // A copy named by hash: the converter need not cope with the user's file name.
        let input = work.join(format!("{key}.heic"));
        std::fs::write(&input, &data).map_err(io)?;
        let output = work.join("out.jpg");
        let errors = std::fs::File::create(work.join("errors.txt")).map_err(io)?;
        let mut cmd = match &converter {
            Converter::HeifConvert(p) => {
                let mut c = Command::new(p);
                c.args(["-q", "92"]).arg(&input).arg(&output);
                c
            }
            Converter::Magick(p) => {
                // [0]: the primary picture, not the thumbnail or depth map stored beside it.
                let mut first = input.clone().into_os_string();
                first.push("[0]");
                let mut c = Command::new(p);
                c.arg(first).args(["-quality", "92"]).arg(&output);
                c
            }
        };
        let program = match &converter {
            Converter::HeifConvert(p) | Converter::Magick(p) => p.clone(),
        };
        let mut child = runner::spawn(cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(errors)).map_err(|e| {
            match e.kind() {
                std::io::ErrorKind::NotFound => Problem::HeicNoConverter,
                _ => Problem::HeicConversion(format!("{name} could not be started ({}): {e}", program.display())),
            }
        })?;
        let Some(status) = child.wait_or_kill(timeout).map_err(io)? else {
            return Err(Problem::HeicConversion(format!(
                "{name} did not finish within {} s (set DOSSIER_CONVERT_TIMEOUT to allow longer)",
                timeout.as_secs()
            )));
        };
        // Several pictures in one file come out numbered; the first is the photo.
        let produced = [output.clone(), work.join("out-1.jpg")].into_iter().find(|p| p.is_file());
        let Some(produced) = produced else {
            let said = std::fs::read_to_string(work.join("errors.txt")).unwrap_or_default();
            let said = said.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ");
            return Err(Problem::HeicConversion(if said.is_empty() {
                format!("{name} wrote no JPEG ({status})")
            } else {
                format!("{name} wrote no JPEG: {said}")
            }));
        };
        let jpeg = std::fs::read(&produced).map_err(io)?;
        let jpeg = without_exif(&jpeg)
            .ok_or_else(|| Problem::HeicConversion(format!("{name} wrote something that is not a JPEG")))?;
        let tmp = work.join("upright.jpg");
        std::fs::write(&tmp, jpeg).map_err(io)?;
        // Renamed into the cache last, so a half-written JPEG is never served.
        std::fs::rename(&tmp, &cached).map_err(io)?;
        Ok(cached.clone())
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// The JPEG without its EXIF segments (and so without an orientation tag: the pixels are upright).
/// Everything else is kept byte for byte. None when it is not a JPEG.
pub fn without_exif(jpeg: &[u8]) -> Option<Vec<u8>> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = jpeg[..2].to_vec();
    let mut i = 2;
    loop {
        // Fill bytes before a marker are allowed.
        while jpeg.get(i) == Some(&0xFF) && jpeg.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (&ff, &marker) = (jpeg.get(i)?, jpeg.get(i + 1)?);
        if ff != 0xFF {
            return None;
        }
        // Start of scan (or anything without a length): the rest is image data, kept whole.
        if marker == 0xDA || marker == 0xD9 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&jpeg[i..]);
            return Some(out);
        }
        let len = u16::from_be_bytes([*jpeg.get(i + 2)?, *jpeg.get(i + 3)?]) as usize;
        let end = i + 2 + len;
        let segment = jpeg.get(i..end)?;
        let exif = marker == 0xE1 && segment.get(4..10) == Some(b"Exif\0\0");
        if !exif {
            out.extend_from_slice(segment);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_is_left_out_and_the_rest_kept() {
        let mut app1 = vec![0xFF, 0xE1, 0, 12];
        app1.extend_from_slice(b"Exif\0\0MM\0\x2a");
        let app0 = [0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
        let scan = [0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&app0);
        jpeg.extend_from_slice(&app1);
        jpeg.extend_from_slice(&scan);
        let mut want = vec![0xFF, 0xD8];
        want.extend_from_slice(&app0);
        want.extend_from_slice(&scan);
        assert_eq!(without_exif(&jpeg), Some(want));
        assert_eq!(without_exif(b"GIF89a"), None);
        assert_eq!(without_exif(&jpeg[..12]), None);
    }
}
