//! `dossier init --ocr`: an evidence item named after a file whose name says nothing (扫描件001.pdf,
//! IMG_20231109_143015.jpg, 微信图片_2023….jpg, scan.pdf) is titled by the heading on the file's
//! first page: the largest line of text in its upper part, with the line under it when the heading
//! runs over two lines.

use super::{Engine, Line, raster};
use serde_json::Value;
use std::path::Path;

/// Words that only say how a file was made, not what it is.
const SAYS_NOTHING: [&str; 22] = [
    "微信图片",
    "扫描件",
    "扫描",
    "新建文件夹",
    "新建",
    "文档",
    "未命名",
    "图片",
    "照片",
    "屏幕截图",
    "副本",
    "mmexport",
    "camscanner",
    "screenshot",
    "wechat",
    "image",
    "photo",
    "scan",
    "copy",
    "img",
    "dsc",
    "doc",
];

/// Whether a file's name (without extension) says nothing about what the file is.
pub fn says_nothing(stem: &str) -> bool {
    let mut rest = stem.to_lowercase();
    for w in SAYS_NOTHING {
        rest = rest.replace(w, "");
    }
    rest.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "_-.()（）[]【】#".contains(c))
}

fn line_text(l: &Line) -> String {
    let mut s = String::new();
    for (i, w) in l.words.iter().enumerate() {
        s.push_str(&w.text);
        if l.words.get(i + 1).is_some_and(|n| super::layer::space_between(&w.text, &n.text)) {
            s.push(' ');
        }
    }
    s
}

/// The heading among recognised lines: the tallest confident line with some Chinese in the upper
/// half of the page, joined with a following line of the same size.
pub fn heading(lines: &[Line], page_height: u32) -> Option<String> {
    let cjk = |s: &str| s.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    let good = |l: &Line| {
        let conf = l.words.iter().map(|w| w.conf).sum::<f32>() / l.words.len().max(1) as f32;
        conf >= 60.0 && cjk(&line_text(l)) >= 4 && l.top < page_height as f32 * 0.5
    };
    let height = |l: &Line| l.bottom - l.top;
    // The first of the tallest: a heading set over two lines has two lines of the same size.
    let tallest = lines.iter().filter(|l| good(l)).map(height).fold(0.0f32, f32::max);
    let (i, best) = lines.iter().enumerate().find(|(_, l)| good(l) && height(l) >= tallest * 0.95)?;
    let mut title = line_text(best);
    if let Some(next) = lines.get(i + 1)
        && good(next)
        && (height(next) - height(best)).abs() < height(best) * 0.2
        && next.top - best.bottom < height(best) * 1.2
    {
        title.push_str(&line_text(next));
    }
    let title = title.trim().trim_end_matches(['。', '：', ':']).to_string();
    (title.chars().count() >= 4).then_some(title)
}

/// The heading on the first page of `path`, read by the engine; None when it has none to read.
fn first_heading(engine: &Engine, path: &Path, work: &Path) -> Option<String> {
    let kind = crate::sources::identify(path).ok()?;
    let picture = match kind {
        "pdf" => {
            let doc = crate::sources::pdf::open(path).ok()?;
            let id = (*crate::sources::pdf::page_slots(&doc).ok()?.first()?)?;
            match raster::pdf_page(&doc, id) {
                raster::PdfPage::Picture(p) => *p,
                // A document made on a computer says its heading itself: nothing to read.
                raster::PdfPage::HasText => {
                    let [_, y0, _, y1] = raster::media_box(&doc, id);
                    return heading(&super::own_text::lines(&doc, id, y1), (y1 - y0) as u32);
                }
                raster::PdfPage::Nothing => return None,
            }
        }
        "jpeg" | "png" => {
            let data = std::fs::read(path).ok()?;
            let (w, h, o) = match kind {
                "jpeg" => crate::sources::image::jpeg_info(&data).map(|i| (i.width, i.height, i.orientation)).ok()?,
                _ => crate::sources::image::png_info(&data).map(|i| (i.width, i.height, i.orientation)).ok()?,
            };
            raster::photo(path, kind == "png", w, h, o).ok()?
        }
        "tiff" => {
            let data = std::fs::read(path).ok()?;
            let f = crate::sources::image::tiff_frames(
                std::io::Cursor::new(&data),
                crate::sources::image::DEFAULT_MAX_PIXELS,
            )
            .ok()?;
            let first = f.first()?;
            raster::tiff_frame(path, 0, first.width, first.height).ok()?
        }
        _ => return None,
    };
    let read = super::read_page(engine, &picture, true, &work.join("title")).ok()?;
    heading(&read.lines, read.height)
}

/// Retitle the items of the dossier at `dossier_path` whose title is a file name that says nothing
/// and that hold one file. Returns the number retitled.
pub fn retitle(dossier_path: &Path, engine: &Engine) -> std::io::Result<usize> {
    let base = dossier_path.parent().unwrap_or(Path::new("."));
    let text = std::fs::read_to_string(dossier_path)?;
    let mut root: Value = serde_json::from_str(&text).map_err(std::io::Error::other)?;
    let work = crate::sources::docx::tempdir_in(&std::env::temp_dir())?;
    let mut n = 0;
    fn walk(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
        for list in ["parts", "sections"] {
            if let Some(Value::Array(a)) = v.get_mut(list) {
                a.iter_mut().for_each(|x| walk(x, f));
            }
        }
        if let Some(Value::Array(a)) = v.get_mut("evidence") {
            a.iter_mut().for_each(&mut *f);
        }
    }
    walk(&mut root, &mut |ev| {
        let files: Vec<String> = ev
            .get("files")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let [file] = files.as_slice() else { return };
        let title = ev.get("title").and_then(Value::as_str).unwrap_or_default();
        let stem = Path::new(file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if title != stem || !says_nothing(&stem) {
            return;
        }
        if let Some(h) = first_heading(engine, &base.join(file), &work) {
            ev["title"] = Value::String(h);
            n += 1;
        }
    });
    let _ = std::fs::remove_dir_all(&work);
    if n > 0 {
        let mut out = serde_json::to_string_pretty(&root).map_err(std::io::Error::other)?;
        out.push('\n');
        std::fs::write(dossier_path, out)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_say_nothing() {
        for s in ["扫描件001", "IMG_20231109_143015", "微信图片_20231109143015", "scan", "DSC_0012", "新建文档 (2)"]
        {
            assert!(says_nothing(s), "{s}");
        }
        for s in ["合作协议", "通知 文件", "2023年工作计划", "扫描件 名单"] {
            assert!(!says_nothing(s), "{s}");
        }
    }
}
