//! Stage 2: every file the outline names, recognised by its content and counted in pages. Nothing
//! here keeps a whole PDF in memory: PDFs are opened, counted and dropped; assembly opens them again
//! one at a time.

mod counts;
pub mod docx;
pub mod heic;
pub mod image;
pub mod pdf;
pub(crate) mod runner;

use crate::error::{Diagnostic, EntryPath, Problem, Unknown};
use crate::outline::Dossier;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Kind {
    Pdf,
    /// Converted to the PDF in `Source::pdf`.
    Docx,
    Jpeg(image::JpegInfo),
    Png(image::PngInfo),
    Tiff(Vec<image::TiffFrame>),
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Docx => "Word (.docx)",
            Kind::Jpeg(_) => "JPEG",
            Kind::Png(_) => "PNG",
            Kind::Tiff(_) => "TIFF",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    pub pages: u32,
    /// The PDF to copy pages from: the file itself, or its conversion.
    pub pdf: Option<PathBuf>,
    /// Pages (0-based) a damaged PDF lost: left out of the binder, named in a warning.
    pub lost: Vec<u32>,
    /// The JPEG an HEIC photo was converted to; the binder reads the photo from there.
    pub converted: Option<PathBuf>,
}

impl Source {
    /// The file holding the picture's bytes: the conversion of an HEIC photo, else `original`
    /// (the path the outline names).
    pub fn data_path<'a>(&'a self, original: &'a Path) -> &'a Path {
        self.converted.as_deref().unwrap_or(original)
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub cache_dir: PathBuf,
    pub max_pixels: u64,
    pub convert_timeout: Duration,
    pub soffice: Option<PathBuf>,
    /// Hears of each file read.
    pub progress: crate::progress::Reporter,
    /// Decode the streams of every PDF's pages, to name the damaged ones before a build does
    /// (`check`, `status`); a build finds them as it copies.
    pub scan_damage: bool,
}

impl Options {
    pub fn new(cache_dir: PathBuf) -> Self {
        let secs = std::env::var("DOSSIER_CONVERT_TIMEOUT").ok().and_then(|s| s.parse().ok()).unwrap_or(180);
        Options {
            cache_dir,
            max_pixels: image::DEFAULT_MAX_PIXELS,
            convert_timeout: Duration::from_secs(secs),
            soffice: None,
            progress: Default::default(),
            scan_damage: false,
        }
    }
}

/// What the outline's files turned out to be, by resolved path.
#[derive(Debug, Default)]
pub struct Sources {
    by_path: HashMap<PathBuf, Source>,
}

impl Sources {
    pub fn get(&self, path: &Path) -> Option<&Source> {
        self.by_path.get(path)
    }

    /// Leave page `page` (0-based) of `path` out of the binder, as a lost page is.
    pub fn leave_out(&mut self, path: &Path, page: u32) {
        if let Some(s) = self.by_path.get_mut(path)
            && !s.lost.contains(&page)
        {
            s.lost.push(page);
        }
    }
}

/// The kind of a file from its first bytes; the extension only helps the message.
pub fn sniff(path: &Path, head: &[u8]) -> Result<&'static str, Problem> {
    if head.is_empty() {
        return Err(Problem::EmptyFile);
    }
    if head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Ok("pdf");
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("jpeg");
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("png");
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Ok("tiff");
    }
    if head.starts_with(b"PK\x03\x04") {
        // Member names sit uncompressed in the local headers, and the first ones usually tell.
        // When they do not (metadata parts first, as WPS and some converters write them), the
        // archive's directory decides: "zip".
        return office_kind(|n| memchr::memmem::find(head, n).is_some()).unwrap_or(Ok("zip"));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Problem::LegacyOffice);
    }
    if head.len() > 12
        && &head[4..8] == b"ftyp"
        && [&b"heic"[..], b"heix", b"mif1", b"msf1", b"hevc"].contains(&&head[8..12])
    {
        return Ok("heic");
    }
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let what = match ext.as_str() {
        "pdf" | "jpg" | "jpeg" | "png" | "tif" | "tiff" | "docx" | "heic" | "heif" => Unknown::Misnamed(ext),
        "" => Unknown::NoExtension,
        _ => Unknown::Unsupported(ext),
    };
    Err(Problem::UnknownKind(what))
}

/// What an Office zip holds, from whether it has members named like `n`: Word is used, the others
/// get a message saying what to do. None: no Office document.
fn office_kind(has: impl Fn(&[u8]) -> bool) -> Option<Result<&'static str, Problem>> {
    let what = if has(b"word/") {
        return Some(Ok("docx"));
    } else if has(b"xl/") {
        Unknown::Excel
    } else if has(b"ppt/") {
        Unknown::PowerPoint
    } else if has(b"application/vnd.oasis.opendocument") {
        Unknown::OpenDocument
    } else {
        return None;
    };
    Some(Err(Problem::UnknownKind(what)))
}

/// The kind of a zip whose first member names did not tell, from its directory.
fn zip_kind(path: &Path) -> Result<&'static str, Problem> {
    let names: Vec<String> = std::fs::File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).ok())
        .map(|z| z.file_names().map(str::to_string).collect())
        .ok_or(Problem::UnknownKind(Unknown::DamagedZip))?;
    office_kind(|n| names.iter().any(|m| m.as_bytes().starts_with(n)))
        .unwrap_or(Err(Problem::UnknownKind(Unknown::Zip)))
}

/// The kind of the file at `path`, from its content.
pub fn identify(path: &Path) -> Result<&'static str, Problem> {
    match sniff(path, &read_head(path)?)? {
        "zip" => zip_kind(path),
        k => Ok(k),
    }
}

fn read_head(path: &Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::MissingFile,
        _ => Problem::Unreadable(e.to_string()),
    })?;
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Problem::Unreadable("it is a folder, not a file".into()));
    }
    let mut head = vec![0u8; 8192];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(Problem::Unreadable(e.to_string())),
        }
    }
    head.truncate(n);
    Ok(head)
}

/// Recognise and count every file of the outline. Problems come back as diagnostics naming the
/// first outline entry that uses the file; selectors are checked against the page counts.
pub fn load(dossier: &Dossier, opts: &Options) -> (Sources, Vec<Diagnostic>) {
    load_with(dossier, opts, &|_, _| {})
}

/// Work a build can do on the files already read while LibreOffice converts the Word files (its
/// start-up is a second of one core), stopping when `converted` turns true.
pub type WhileConverting<'a> = dyn Fn(&[(&Path, &Source)], &std::sync::atomic::AtomicBool) + Sync + 'a;

/// As [`load`], running `idle` on the other files while the Word files are converted.
pub fn load_with(dossier: &Dossier, opts: &Options, idle: &WhileConverting) -> (Sources, Vec<Diagnostic>) {
    // Each file once, remembering the first entry that names it.
    let mut order: Vec<(PathBuf, EntryPath)> = Vec::new();
    let mut seen = HashMap::new();
    for ev in dossier.evidence() {
        for f in &ev.files {
            if seen.insert(f.path.clone(), ()).is_none() {
                order.push((f.path.clone(), ev.entry.clone()));
            }
        }
    }
    let mut diags = Vec::new();
    let mut kinds: Vec<(PathBuf, &'static str)> = Vec::new();
    for (path, entry) in &order {
        match identify(path) {
            Ok(k) => kinds.push((path.clone(), k)),
            Err(p) => diags.push(Diagnostic::error(entry, Some(path.clone()), p)),
        }
    }
    let entry_of = |p: &Path| order.iter().find(|(q, _)| q == p).map(|(_, e)| e.clone()).unwrap_or_default();

    // Word files first, all in one LibreOffice run.
    let docx: Vec<PathBuf> = kinds.iter().filter(|(_, k)| *k == "docx").map(|(p, _)| p.clone()).collect();
    let converter = docx::Converter {
        cache_dir: opts.cache_dir.join("docx"),
        timeout: opts.convert_timeout,
        soffice: opts.soffice.clone(),
    };
    let counts = counts::Counts::open(&opts.cache_dir);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = kinds.len();
    let probe_all = |some: &[(PathBuf, &'static str)], converted: &HashMap<PathBuf, Result<PathBuf, Problem>>| {
        parallel_map(some, |(path, kind)| {
            let r = probe(path, kind, converted, opts, &counts);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            opts.progress.advanced(crate::progress::Stage::Sources, n, total);
            r
        })
    };
    // The other files are read while LibreOffice converts (its start-up is mostly waiting), the
    // Word files once it is done.
    let (word, other): (Vec<_>, Vec<_>) = kinds.iter().cloned().partition(|(_, k)| *k == "docx");
    let converted_flag = std::sync::atomic::AtomicBool::new(false);
    let (converted, mut probed_other) = std::thread::scope(|s| {
        let conv = s.spawn(|| {
            let done = if docx.is_empty() { HashMap::new() } else { converter.convert_all(&docx) };
            converted_flag.store(true, std::sync::atomic::Ordering::Relaxed);
            done
        });
        let probed = probe_all(&other, &HashMap::new());
        if !docx.is_empty() {
            let read: Vec<(&Path, &Source)> =
                other.iter().zip(&probed).filter_map(|((p, _), r)| r.as_ref().ok().map(|s| (p.as_path(), s))).collect();
            idle(&read, &converted_flag);
        }
        (conv.join().unwrap_or_default(), probed)
    });
    let mut probed_word = probe_all(&word, &converted).into_iter();
    probed_other.reverse();
    let probed: Vec<_> =
        kinds.iter().filter_map(|(_, k)| if *k == "docx" { probed_word.next() } else { probed_other.pop() }).collect();
    counts.save();
    let mut sources = Sources::default();
    for ((path, _), r) in kinds.iter().zip(probed) {
        match r {
            Ok(s) => {
                if !s.lost.is_empty() {
                    diags.push(Diagnostic::warning(
                        &entry_of(path),
                        Some(path.clone()),
                        Problem::PagesLost { pages: page_list(&s.lost), total: s.pages },
                    ));
                }
                sources.by_path.insert(path.clone(), s);
            }
            Err(p) => diags.push(Diagnostic::error(&entry_of(path), Some(path.clone()), p)),
        }
    }
    if opts.scan_damage {
        let pdfs: Vec<&PathBuf> =
            kinds.iter().filter(|(p, k)| *k == "pdf" && sources.get(p).is_some()).map(|(p, _)| p).collect();
        let found = parallel_map(&pdfs, |p| {
            pdf::open(p).ok().map(|doc| {
                let slots = pdf::page_slots(&doc).unwrap_or_default();
                pdf::damage::damaged_pages(&doc, &slots)
            })
        });
        for (path, pages) in pdfs.iter().zip(found) {
            for (page, emptied) in pages.unwrap_or_default() {
                let p = Problem::DamagedPage { page: page + 1, emptied };
                diags.push(Diagnostic::warning(&entry_of(path), Some((*path).clone()), p));
            }
        }
    }
    // Page selectors, per reference: the same file may be cut differently in two places.
    for ev in dossier.evidence() {
        for f in &ev.files {
            if let (Some(sel), Some(src)) = (&f.pages, sources.get(&f.path))
                && let Err(p) = sel.resolve(src.pages)
            {
                diags.push(Diagnostic::error(&ev.entry, Some(f.path.clone()), p));
            }
        }
    }
    (sources, diags)
}

fn probe(
    path: &Path,
    kind: &str,
    converted: &HashMap<PathBuf, Result<PathBuf, Problem>>,
    opts: &Options,
    counts: &counts::Counts,
) -> Result<Source, Problem> {
    match kind {
        "pdf" => {
            // Only whole files are remembered: a damaged one is examined afresh, for its warning.
            let found = if pdf::file_ends_whole(path) {
                pdf::Pages { count: counts.get(path, || pdf::probe(path).map(|p| p.count))?, lost: Vec::new() }
            } else {
                pdf::probe(path)?
            };
            Ok(Source {
                kind: Kind::Pdf,
                pages: found.count,
                pdf: Some(path.to_path_buf()),
                lost: found.lost,
                converted: None,
            })
        }
        "docx" => {
            let out =
                converted.get(path).cloned().unwrap_or(Err(Problem::Conversion("it was not converted".into())))?;
            let pages = counts
                .get(&out, || pdf::probe(&out).map(|p| p.count))
                .map_err(|p| Problem::Conversion(format!("the converted PDF is unusable: {p}")))?;
            Ok(Source { kind: Kind::Docx, pages, pdf: Some(out), lost: Vec::new(), converted: None })
        }
        "jpeg" => {
            let info = image::jpeg_info_file(path)?;
            image::check_pixels(info.width, info.height, opts.max_pixels)?;
            Ok(Source { kind: Kind::Jpeg(info), pages: 1, pdf: None, lost: Vec::new(), converted: None })
        }
        "png" => {
            let data = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
            let info = image::png_info(&data)?;
            image::check_pixels(info.width, info.height, opts.max_pixels)?;
            Ok(Source { kind: Kind::Png(info), pages: 1, pdf: None, lost: Vec::new(), converted: None })
        }
        "heic" => {
            let jpeg = heic::convert(path, &opts.cache_dir.join("heic"), opts.convert_timeout)?;
            let data = std::fs::read(&jpeg).map_err(|e| Problem::HeicConversion(e.to_string()))?;
            let info =
                image::jpeg_info(&data).map_err(|p| Problem::HeicConversion(format!("the JPEG is unusable: {p}")))?;
            image::check_pixels(info.width, info.height, opts.max_pixels)?;
            Ok(Source { kind: Kind::Jpeg(info), pages: 1, pdf: None, lost: Vec::new(), converted: Some(jpeg) })
        }
        "tiff" => {
            let file = std::fs::File::open(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
            let frames = image::tiff_frames(std::io::BufReader::new(file), opts.max_pixels)?;
            Ok(Source {
                pages: frames.len() as u32,
                kind: Kind::Tiff(frames),
                pdf: None,
                lost: Vec::new(),
                converted: None,
            })
        }
        _ => Err(Problem::UnknownKind(Unknown::Unsupported(kind.to_string()))),
    }
}

/// Pages as a reader counts them: "3, 5-7" for the 0-based pages [2, 4, 5, 6].
fn page_list(pages: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let runs: Vec<String> =
        runs.iter().map(|&(a, b)| if a == b { format!("{}", a + 1) } else { format!("{}-{}", a + 1, b + 1) }).collect();
    runs.join(", ")
}

/// Map over items on all cores, keeping the order. The work is file-bound and independent.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    if let Ok(mut v) = results.lock() {
                        v[i] = Some(r);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().map(|r| r.expect("every item mapped")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of `names` whose first member is 20 KB of stored noise, so the names that tell come
    /// after the first 8 KB.
    fn zip_with(path: &Path, names: &[&str]) {
        let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        z.start_file("docProps/thumbnail.jpeg", stored).unwrap();
        z.write_all(&(0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
        for n in names {
            z.start_file(*n, stored).unwrap();
            z.write_all(b"<x/>").unwrap();
        }
        z.finish().unwrap();
    }

    fn kind_of(name: &str, members: &[&str]) -> Result<&'static str, String> {
        let dir = std::env::temp_dir().join(format!("dossier-sniff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        zip_with(&path, members);
        let r = identify(&path).map_err(|p| p.to_string());
        std::fs::remove_file(&path).unwrap();
        r
    }

    #[test]
    fn zips_are_told_apart_by_their_directory_when_the_head_says_nothing() {
        assert_eq!(kind_of("a.docx", &["word/document.xml"]), Ok("docx"));
        assert!(kind_of("a.xlsx", &["xl/workbook.xml"]).unwrap_err().contains("Excel"));
        assert!(kind_of("a.pptx", &["ppt/presentation.xml"]).unwrap_err().contains("PowerPoint"));
        assert!(kind_of("a.zip", &["scan1.pdf"]).unwrap_err().contains("unpack it"));
    }

    #[test]
    fn what_a_file_is_not_is_said_in_chinese_too() {
        let zh = |p: Problem| p.message(crate::error::Lang::Zh);
        let dir = std::env::temp_dir().join(format!("dossier-sniff-zh-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("表格.xlsx");
        zip_with(&path, &["xl/workbook.xml"]);
        assert_eq!(zh(identify(&path).unwrap_err()), "无法使用这种文件（这是 Excel 表格（.xlsx）：请导出为 PDF）");
        std::fs::write(dir.join("说明.txt"), "文字").unwrap();
        assert_eq!(zh(identify(&dir.join("说明.txt")).unwrap_err()), "无法使用这种文件（不支持 .txt 文件）");
        std::fs::write(dir.join("扫描.pdf"), "文字").unwrap();
        assert!(zh(identify(&dir.join("扫描.pdf")).unwrap_err()).contains("文件名是 .pdf，但内容不是这种文件"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_zip_cut_short_is_named_as_damaged() {
        let dir = std::env::temp_dir().join(format!("dossier-sniff-cut-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cut.docx");
        zip_with(&path, &["word/document.xml"]);
        let data = std::fs::read(&path).unwrap();
        std::fs::write(&path, &data[..12_000]).unwrap();
        let e = identify(&path).unwrap_err().to_string();
        assert!(e.contains("damaged or cut short"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
