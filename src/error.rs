//! Diagnostics: every problem names the outline entry and the file it concerns, in words an office
//! clerk can act on. The library only builds them; the binary prints them.

use std::fmt;
use std::path::PathBuf;

/// Where a problem is: the titles from the part down to the entry (empty for the dossier itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryPath(pub Vec<String>);

impl EntryPath {
    pub fn child(&self, title: &str) -> EntryPath {
        let mut v = self.0.clone();
        v.push(title.to_string());
        EntryPath(v)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for EntryPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" › "))
    }
}

/// What went wrong, in plain words. `hint()` says what to do about it.
/// What a file the build cannot use turned out to be, told in the clerk's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    Excel,
    PowerPoint,
    OpenDocument,
    Zip,
    DamagedZip,
    /// Named as a kind we read (the extension), with other content.
    Misnamed(String),
    NoExtension,
    /// An extension we do not read.
    Unsupported(String),
    /// A PDF or Word file where the plan expected a picture (the file changed during the build).
    NotAPicture,
}

impl Unknown {
    pub fn en(&self) -> String {
        match self {
            Unknown::Excel => "an Excel workbook (.xlsx): export it as PDF".into(),
            Unknown::PowerPoint => "a PowerPoint file (.pptx): export it as PDF".into(),
            Unknown::OpenDocument => "an OpenDocument file (.odt, .ods): save it as .docx or export it as PDF".into(),
            Unknown::Zip => "a ZIP archive: unpack it and name the files inside".into(),
            Unknown::DamagedZip => {
                "a ZIP or Word (.docx) file that is damaged or cut short: copy it again from its original".into()
            }
            Unknown::Misnamed(ext) => format!("it is named .{ext} but its content is not that kind of file"),
            Unknown::NoExtension => "it has no extension and its content is not a PDF, picture or Word file".into(),
            Unknown::Unsupported(ext) => format!(".{ext} files are not supported"),
            Unknown::NotAPicture => "a PDF where a picture was expected".into(),
        }
    }

    pub fn zh(&self) -> String {
        match self {
            Unknown::Excel => "这是 Excel 表格（.xlsx）：请导出为 PDF".into(),
            Unknown::PowerPoint => "这是 PowerPoint 文件（.pptx）：请导出为 PDF".into(),
            Unknown::OpenDocument => "这是 OpenDocument 文件（.odt、.ods）：请另存为 .docx 或导出为 PDF".into(),
            Unknown::Zip => "这是 ZIP 压缩包：请解压，在 dossier 文件中写里面的文件".into(),
            Unknown::DamagedZip => "这是损坏或不完整的 ZIP 或 Word（.docx）文件：请从原处重新复制".into(),
            Unknown::Misnamed(ext) => format!("文件名是 .{ext}，但内容不是这种文件"),
            Unknown::NoExtension => "文件没有扩展名，内容也不是 PDF、图片或 Word 文件".into(),
            Unknown::Unsupported(ext) => format!("不支持 .{ext} 文件"),
            Unknown::NotAPicture => "应为图片，实际是 PDF".into(),
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum Problem {
    #[error("cannot read the dossier file: {0}")]
    DossierUnreadable(String),
    #[error("there is no dossier file here")]
    NoDossier,
    #[error("the dossier is not valid JSON: {message} (line {line}, column {column})\n{excerpt}")]
    Json { message: String, line: usize, column: usize, excerpt: String },
    #[error("the required field `{field}` is missing")]
    MissingField { field: String },
    #[error("`{field}` should be {expected}")]
    WrongType { field: String, expected: &'static str },
    #[error("`{field}` is empty")]
    Empty { field: String },
    #[error("the file does not exist")]
    MissingFile,
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file is empty (0 bytes)")]
    EmptyFile,
    #[error("the file is not a kind dossier can use ({})", .0.en())]
    UnknownKind(Unknown),
    #[error("this is an old Word .doc/.xls file, not .docx")]
    LegacyOffice,
    #[error("this PDF needs a password to open")]
    Encrypted,
    #[error("the PDF is damaged: {0}")]
    DamagedPdf(String),
    #[error("the PDF is cut short (it did not finish downloading or copying) and none of its pages could be recovered")]
    PdfCutShort,
    #[error("the PDF is damaged: its list of pages loops back on itself")]
    PageTreeLoop,
    #[error("the PDF is damaged: its list of pages is nested more than {0} levels deep")]
    PageTreeTooDeep(usize),
    #[error("the PDF is cut short or damaged: page(s) {pages} of its {total} could not be recovered and are left out")]
    PagesLost { pages: String, total: u32 },
    #[error(
        "the PDF is damaged: page {page} draws content the file does not hold (object {object} is missing), so parts of it come out blank in the binder"
    )]
    PageLacksObjects { page: u32, object: u32 },
    #[error("{}", damaged_page_en(*.page, *.emptied))]
    DamagedPage { page: u32, emptied: bool },
    #[error("the image cannot be read: {0}")]
    DamagedImage(String),
    #[error("the image is too large ({width}×{height} pixels; the limit is {})", pixels(*limit, Lang::En))]
    ImageTooLarge { width: u64, height: u64, limit: u64 },
    #[error("the page selector \"{selector}\" is not understood: {why}")]
    BadSelector { selector: String, why: String },
    #[error("the page selector \"{selector}\" asks for page {page}, but the file has {pages} page(s)")]
    PageOutOfRange { selector: String, page: u32, pages: u32 },
    #[error("page selectors only apply to PDF and Word files with several pages; this is {0}")]
    SelectorOnImage(&'static str),
    #[error("the Word file could not be converted to PDF: {0}")]
    Conversion(String),
    #[error("LibreOffice is needed to convert Word files, but it was not found")]
    NoLibreOffice,
    #[error(
        "this is an HEIC photo (iPhone); heif-convert or ImageMagick is needed to turn it into JPEG, but neither was found"
    )]
    HeicNoConverter,
    #[error("the HEIC photo could not be converted to JPEG: {0}")]
    HeicConversion(String),
    #[error("the font file cannot be used: {0}")]
    BadFont(String),
    #[error("pdftoppm (poppler) is needed to put PDF and Word pages into the Word binder, but it was not found")]
    NoPdftoppm,
    #[error("the pages could not be drawn as pictures for the Word binder: {0}")]
    Rasterise(String),
    #[error("this is not a manifest that dossier build wrote: {0}")]
    BadManifest(String),
    #[error("there is no such manifest")]
    NoManifest,
    /// Text recognition (`--ocr`): its words are in the catalogues under `ocr.<key>` (the message)
    /// and `ocr.<key>.hint` (what to do), with `{name}` holes filled from `args`.
    #[error("{}", Lang::En.fmt(&format!("ocr.{key}"), &args.iter().map(|(k, v)| (*k, v as &dyn fmt::Display)).collect::<Vec<_>>()))]
    Ocr { key: &'static str, args: Vec<(&'static str, String)> },
}

impl Problem {
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Problem::Ocr { key, .. } => return Lang::En.lookup(&format!("ocr.{key}.hint")),
            Problem::NoDossier => {
                "run dossier in the folder that holds dossier.json, or give its path: dossier build path/to/dossier.json"
            }
            Problem::Json { .. } => "fix the JSON at that place (a missing comma, quote or bracket is the usual cause)",
            Problem::MissingField { .. } => "add it to dossier.json",
            Problem::Empty { .. } => "fill it in, or remove the entry",
            Problem::WrongType { .. } => "correct the value in dossier.json",
            Problem::MissingFile => {
                "check the path in dossier.json (it is relative to the folder of dossier.json) or copy the file there"
            }
            Problem::EmptyFile => "copy the file again from its original; it may not have finished downloading",
            Problem::UnknownKind(_) => {
                "use a PDF, JPEG, PNG, TIFF, HEIC or DOCX file: export or scan it again in one of these"
            }
            Problem::LegacyOffice => "open it in Word or WPS and save it as .docx (or export it as PDF)",
            Problem::Encrypted => "open it with its password and save or print it as a PDF without a password",
            Problem::DamagedPdf(_) => "open it in a PDF viewer to check it, then export or scan it again",
            Problem::PdfCutShort => "copy or download the file again from its original, then build again",
            Problem::PageTreeLoop | Problem::PageTreeTooDeep(_) => {
                "open it in a PDF viewer and print it to a new PDF (Microsoft Print to PDF, or “Save as PDF”), then use that"
            }
            Problem::PagesLost { .. } => {
                "copy or download the file again from its original (it may not have finished), then build again"
            }
            Problem::PageLacksObjects { .. } => {
                "open the file in a PDF viewer to see what that page lacks; scan or export it again from the original, then build again"
            }
            Problem::DamagedPage { .. } => {
                "the page keeps its place and number in the binder; scan or export the document again from the original, replace the file and build again (dossier build --strict stops instead)"
            }
            Problem::DamagedImage(_) => "copy the picture again from the camera or phone, or save it again as JPEG",
            Problem::ImageTooLarge { .. } => {
                "reduce the picture's size in an image editor, or, if the picture is genuine, raise the limit with dossier build --max-pixels N (N in pixels, at least width × height; the default is 300000000)"
            }
            Problem::BadSelector { .. } => "write pages like \"1-3,7\" (page numbers start at 1)",
            Problem::PageOutOfRange { .. } => "correct the page numbers in \"pages\"",
            Problem::SelectorOnImage(_) => "remove \"pages\" for this file",
            Problem::Conversion(_) => "open the file in Word or WPS to check it, or export it as PDF and use the PDF",
            Problem::NoLibreOffice => {
                "install LibreOffice (see README), or set DOSSIER_SOFFICE to its soffice program, or export the file as PDF"
            }
            Problem::HeicNoConverter => {
                "install heif-convert (Debian/Ubuntu: sudo apt-get install libheif-examples) or ImageMagick (Windows: the installer from imagemagick.org; then `magick` is found, or set DOSSIER_MAGICK to it); or convert the photo to JPEG yourself (Windows/Mac: open it in Photos and export it as JPEG; on the iPhone, Settings › Camera › Formats › Most Compatible takes JPEG photos from then on)"
            }
            Problem::HeicConversion(_) => {
                "copy the photo again from the phone, or export it as JPEG (Photos app on Windows/Mac) and use the JPEG"
            }
            Problem::BadFont(_) => "name an OpenType/TrueType font file (.otf, .ttf, .ttc)",
            Problem::NoPdftoppm => {
                "install poppler-utils (Debian/Ubuntu: sudo apt-get install poppler-utils), or set DOSSIER_PDFTOPPM to its pdftoppm program, or build with --docx-evidence list to list each document with its pages in the PDF binder instead"
            }
            Problem::Rasterise(_) => {
                "open the file in a PDF viewer to check it, or build with --docx-evidence list to list the documents instead of showing their pages"
            }
            Problem::BadManifest(_) => {
                "give the <binder>.manifest.json (or the binder .pdf) that dossier build left beside the binder"
            }
            Problem::NoManifest => {
                "dossier build writes <binder>.manifest.json beside the binder, and keeps the one before as <binder>.manifest.previous.json from the second build on; check the name, or build first"
            }
            Problem::DossierUnreadable(_) | Problem::Unreadable(_) => return None,
        })
    }

    /// A stable name for the kind of problem, for programs reading `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::DossierUnreadable(_) => "dossier_unreadable",
            Problem::NoDossier => "no_dossier",
            Problem::Json { .. } => "json",
            Problem::MissingField { .. } => "missing_field",
            Problem::WrongType { .. } => "wrong_type",
            Problem::Empty { .. } => "empty",
            Problem::MissingFile => "missing_file",
            Problem::Unreadable(_) => "unreadable",
            Problem::EmptyFile => "empty_file",
            Problem::UnknownKind(_) => "unknown_kind",
            Problem::LegacyOffice => "legacy_office",
            Problem::Encrypted => "encrypted",
            Problem::DamagedPdf(_) => "damaged_pdf",
            Problem::PdfCutShort => "pdf_cut_short",
            Problem::PageTreeLoop => "page_tree_loop",
            Problem::PageTreeTooDeep(_) => "page_tree_too_deep",
            Problem::PagesLost { .. } => "pages_lost",
            Problem::PageLacksObjects { .. } => "page_lacks_objects",
            Problem::DamagedPage { .. } => "damaged_page",
            Problem::DamagedImage(_) => "damaged_image",
            Problem::ImageTooLarge { .. } => "image_too_large",
            Problem::BadSelector { .. } => "bad_selector",
            Problem::PageOutOfRange { .. } => "page_out_of_range",
            Problem::SelectorOnImage(_) => "selector_on_image",
            Problem::Conversion(_) => "conversion",
            Problem::NoLibreOffice => "no_libreoffice",
            Problem::HeicNoConverter => "heic_no_converter",
            Problem::HeicConversion(_) => "heic_conversion",
            Problem::BadFont(_) => "bad_font",
            Problem::NoPdftoppm => "no_pdftoppm",
            Problem::Rasterise(_) => "rasterise",
            Problem::BadManifest(_) => "bad_manifest",
            Problem::NoManifest => "no_manifest",
            Problem::Ocr { key, .. } => key,
        }
    }
}

fn damaged_page_en(page: u32, emptied: bool) -> String {
    if emptied {
        format!(
            "the content of page {page} is damaged and cannot be shown (the page in the binder holds only a note saying so): scan or export the file again"
        )
    } else {
        format!("the content of page {page} is damaged and may not show in full: scan or export the file again")
    }
}

/// A pixel count as people say it: "300 million pixels", "50000 pixels".
fn pixels(n: u64, lang: Lang) -> String {
    match (lang, n >= 1_000_000 && n.is_multiple_of(1_000_000)) {
        (Lang::En, true) => format!("{} million pixels", n / 1_000_000),
        (Lang::En, false) => format!("{n} pixels"),
        (Lang::Zh, true) => format!("{} 百万像素", n / 1_000_000),
        (Lang::Zh, false) => format!("{n} 像素"),
    }
}

/// A path as `--json` gives it: with forward slashes on every system, as dossier.json writes
/// paths, so a program reading the output handles one form. Windows accepts them as they are; on
/// other systems a backslash is part of a name and is kept.
pub fn json_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy();
    if cfg!(windows) { s.replace('\\', "/") } else { s.into_owned() }
}

/// One problem with its place in the outline and the file concerned.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub entry: EntryPath,
    pub file: Option<PathBuf>,
    pub problem: Problem,
    /// A warning does not stop the build.
    pub warning: bool,
}

impl Diagnostic {
    pub fn error(entry: &EntryPath, file: Option<PathBuf>, problem: Problem) -> Self {
        Diagnostic { entry: entry.clone(), file, problem, warning: false }
    }

    pub fn warning(entry: &EntryPath, file: Option<PathBuf>, problem: Problem) -> Self {
        Diagnostic { entry: entry.clone(), file, problem, warning: true }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Why a build or check did not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems with the inputs: the dossier, its files. Exit code 1.
    #[error("{} problem(s) found", .0.len())]
    Input(Vec<Diagnostic>),
    /// The output could not be written (disk full, no permission).
    #[error("cannot write {}: {source}", path.display())]
    Output { path: PathBuf, source: std::io::Error },
    /// A failure of our own making, not the user's: a bug to report.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn input(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }

    /// The error in `lang`, for the failures that are not about the inputs; with what to do
    /// about it when that is known.
    pub fn message(&self, lang: Lang) -> String {
        let said = self.what(lang);
        match self.advice(lang) {
            Some(hint) => format!("{said}\n  {}{hint}", lang.t("error.what_to_do")),
            None => said,
        }
    }

    /// The failure alone, without what to do about it.
    fn what(&self, lang: Lang) -> String {
        match (self, lang) {
            (Error::Output { path, source }, Lang::Zh) => format!("无法写入 {}：{}", path.display(), io_zh(source)),
            (Error::Internal(_), Lang::Zh) => "内部错误（请报告，加 -v 可看到技术细节）".into(),
            (e, _) => e.to_string(),
        }
    }

    /// The technical words a Chinese message leaves out, for `-v`.
    pub fn detail(&self) -> Option<String> {
        match self {
            Error::Output { source, .. } => Some(source.to_string()),
            Error::Internal(e) => Some(e.clone()),
            Error::Input(_) => None,
        }
    }

    /// What to do about a failure that is not about the inputs.
    pub fn advice(&self, lang: Lang) -> Option<&'static str> {
        let Error::Output { path, source } = self else { return None };
        if !crate::write::is_locked(source) {
            return None;
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        Some(lang.t(match ext.as_str() {
            "pdf" => "write.locked_pdf",
            "csv" => "write.locked_csv",
            "docx" => "write.locked_docx",
            _ => "write.locked_other",
        }))
    }

    /// Every problem as `--json` reports it: the input diagnostics, or the one other failure.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let diagnostics: Vec<serde_json::Value> = match self {
            Error::Input(diags) => diags.iter().map(|d| d.to_json(lang)).collect(),
            Error::Output { path, .. } => vec![serde_json::json!({
                "severity": "error", "entry": [], "file": json_path(path),
                "code": "output", "message": self.what(lang), "hint": self.advice(lang),
            })],
            Error::Internal(_) => vec![serde_json::json!({
                "severity": "error", "entry": [], "file": null,
                "code": "internal", "message": self.what(lang), "hint": null,
            })],
        };
        let errors = diagnostics.iter().filter(|d| d["severity"] == "error").count();
        serde_json::json!({ "ok": false, "errors": errors, "diagnostics": diagnostics })
    }
}

/// The language messages are shown in. Offices read Chinese first; English stays for logs and for
/// staff who ask for it.
pub use crate::i18n::Lang;

impl Problem {
    /// The message in `lang`. Details that come from other programs (a parser's words, a path)
    /// are quoted as they are.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Problem::DossierUnreadable(e) => format!("无法读取 dossier 文件{}", meaning_zh(e)),
            Problem::NoDossier => "这里没有 dossier 文件".into(),
            Problem::Json { message, line, column, excerpt } => {
                format!("dossier 文件不是有效的 JSON：第 {line} 行第 {column} 列（{}）\n{excerpt}", json_zh(message))
            }
            Problem::MissingField { field } => format!("缺少必填项 `{field}`"),
            Problem::WrongType { field, expected } => format!("`{field}` 的写法不对，应为：{}", expected_zh(expected)),
            Problem::Empty { field } => format!("`{field}` 是空的"),
            Problem::MissingFile => "文件不存在".into(),
            Problem::Unreadable(e) => format!("文件无法读取{}", meaning_zh(e)),
            Problem::EmptyFile => "文件是空的（0 字节）".into(),
            Problem::UnknownKind(what) => format!("无法使用这种文件（{}）", what.zh()),
            Problem::LegacyOffice => "这是旧版 Word/Excel 文件（.doc/.xls），不是 .docx".into(),
            Problem::Encrypted => "这个 PDF 需要密码才能打开".into(),
            Problem::DamagedPdf(e) => format!("PDF 文件已损坏{}", meaning_zh(e)),
            Problem::PdfCutShort => "PDF 文件不完整（没有下载或复制完），一页也无法恢复".into(),
            Problem::PageTreeLoop => "PDF 文件已损坏：页面列表循环引用自身".into(),
            Problem::PageTreeTooDeep(n) => format!("PDF 文件已损坏：页面列表嵌套超过 {n} 层"),
            Problem::PagesLost { pages, total } => {
                format!("PDF 文件不完整或已损坏：共 {total} 页，其中第 {pages} 页无法恢复，已略去")
            }
            Problem::PageLacksObjects { page, object } => {
                format!(
                    "PDF 文件已损坏：第 {page} 页要显示的内容不在文件里（缺少对象 {object}），装订本中这一页会有空白部分"
                )
            }
            Problem::DamagedImage(e) => format!("图片无法读取{}", meaning_zh(e)),
            Problem::DamagedPage { page, emptied: false } => {
                format!("第 {page} 页的内容已损坏，可能显示不全：请重新扫描或导出该文件")
            }
            Problem::DamagedPage { page, emptied: true } => {
                format!("第 {page} 页的内容已损坏，无法显示（装订本中这一页只有一行说明）：请重新扫描或导出该文件")
            }
            Problem::ImageTooLarge { width, height, limit } => {
                format!("图片过大（{width}×{height} 像素，上限为 {}）", pixels(*limit, Lang::Zh))
            }
            Problem::BadSelector { selector, why } => format!("页码范围 \"{selector}\" 无法识别：{}", selector_zh(why)),
            Problem::PageOutOfRange { selector, page, pages } => {
                format!("页码范围 \"{selector}\" 要第 {page} 页，但文件只有 {pages} 页")
            }
            Problem::SelectorOnImage(what) => format!("页码范围只适用于多页的 PDF 和 Word 文件；这是 {what}"),
            Problem::Conversion(e) => format!("Word 文件无法转换为 PDF{}", meaning_zh(e)),
            Problem::NoLibreOffice => "转换 Word 文件需要 LibreOffice，但没有找到".into(),
            Problem::HeicNoConverter => {
                "这是 HEIC 格式的照片（苹果手机）；转换为 JPEG 需要 heif-convert 或 ImageMagick，但都没有找到".into()
            }
            Problem::HeicConversion(e) => format!("HEIC 照片无法转换为 JPEG{}", meaning_zh(e)),
            Problem::BadFont(e) => format!("字体文件无法使用{}", meaning_zh(e)),
            Problem::NoPdftoppm => "生成 Word 版佐证材料需要 pdftoppm（poppler），但没有找到".into(),
            Problem::Rasterise(e) => format!("无法把页面转成图片放入 Word 版{}", meaning_zh(e)),
            Problem::BadManifest(e) => format!("这不是 dossier build 生成的页码清单{}", meaning_zh(e)),
            Problem::NoManifest => "没有这个页码清单文件".into(),
            Problem::Ocr { key, args } => {
                let args: Vec<(&str, &dyn fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn fmt::Display)).collect();
                lang.fmt(&format!("ocr.{key}"), &args)
            }
        }
    }

    /// The technical words behind the message (a parser's, another program's, the system's):
    /// part of the English message, shown after the Chinese one only with `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Problem::DossierUnreadable(d)
            | Problem::Unreadable(d)
            | Problem::DamagedPdf(d)
            | Problem::DamagedImage(d)
            | Problem::Conversion(d)
            | Problem::HeicConversion(d)
            | Problem::BadFont(d)
            | Problem::Rasterise(d)
            | Problem::BadManifest(d) => Some(d),
            Problem::Json { message, .. } => Some(message),
            _ => None,
        }
    }

    /// What to do about it, in `lang`.
    pub fn advice(&self, lang: Lang) -> Option<&'static str> {
        if lang == Lang::En {
            return self.hint();
        }
        Some(match self {
            Problem::Ocr { key, .. } => return lang.lookup(&format!("ocr.{key}.hint")),
            Problem::NoDossier => "请在存放 dossier.json 的文件夹里运行，或写明路径：dossier build 路径/dossier.json",
            Problem::Json { .. } => "按提示位置修改 JSON（常见原因是少了逗号、引号或括号）",
            Problem::MissingField { .. } => "请在 dossier.json 中补上",
            Problem::Empty { .. } => "请填写内容，或删除这一项",
            Problem::WrongType { .. } => "请在 dossier.json 中改正",
            Problem::MissingFile => {
                "请检查 dossier.json 中的路径（相对于 dossier.json 所在文件夹），或把文件复制到该位置"
            }
            Problem::EmptyFile => "请从原件重新复制该文件，它可能没有下载完整",
            Problem::UnknownKind(_) => "请使用 PDF、JPEG、PNG、TIFF、HEIC 或 DOCX 文件：重新导出或扫描为其中一种",
            Problem::LegacyOffice => "请用 Word 或 WPS 打开，另存为 .docx（或导出为 PDF）",
            Problem::Encrypted => "请用密码打开后，另存或打印为不带密码的 PDF",
            Problem::DamagedPdf(_) => "请用 PDF 阅读器打开检查，然后重新导出或扫描",
            Problem::DamagedImage(_) => "请从相机或手机重新复制照片，或重新保存为 JPEG",
            Problem::PdfCutShort => "请从原处重新复制或下载该文件，然后重新生成",
            Problem::PageTreeLoop | Problem::PageTreeTooDeep(_) => {
                "请用 PDF 阅读器打开，打印为新的 PDF（如 Microsoft Print to PDF 或“另存为 PDF”），再使用新文件"
            }
            Problem::PagesLost { .. } => "请从原处重新复制或下载该文件（可能没有传完整），然后重新生成",
            Problem::PageLacksObjects { .. } => {
                "请用 PDF 阅读器打开该文件查看这一页缺了什么；从原件重新扫描或导出后再生成"
            }
            Problem::DamagedPage { .. } => {
                "这一页在装订本中保留原位，页码不变；请从原件重新扫描或导出，替换该文件后重新生成（加 --strict 则遇到这种情况停止生成）"
            }
            Problem::ImageTooLarge { .. } => {
                "请用图片编辑软件缩小图片；如果图片确实这么大，可以用 dossier build --max-pixels N 提高上限（N 为像素数，不小于宽×高；默认 300000000）"
            }
            Problem::BadSelector { .. } => "页码请写成 \"1-3,7\" 的形式（从 1 开始）",
            Problem::PageOutOfRange { .. } => "请改正 \"pages\" 中的页码",
            Problem::SelectorOnImage(_) => "请删除这个文件的 \"pages\"",
            Problem::Conversion(_) => "请用 Word 或 WPS 打开检查，或导出为 PDF 后改用 PDF",
            Problem::NoLibreOffice => {
                "请安装 LibreOffice（见 README），或用 DOSSIER_SOFFICE 指明 soffice 程序，或把文件导出为 PDF"
            }
            Problem::HeicNoConverter => {
                "请安装 heif-convert（Debian/Ubuntu：sudo apt-get install libheif-examples）或 ImageMagick（Windows：从 imagemagick.org 下载安装，装好后能找到 magick，也可用 DOSSIER_MAGICK 指明该程序）；也可以自己把照片转成 JPEG（Windows/Mac：用“照片”应用打开后导出为 JPEG；iPhone 上选“设置 › 相机 › 格式 › 兼容性最佳”，以后拍的照片就是 JPEG）"
            }
            Problem::HeicConversion(_) => {
                "请从手机重新复制这张照片，或用“照片”应用（Windows/Mac）导出为 JPEG 后改用 JPEG"
            }
            Problem::BadFont(_) => "请指定 OpenType/TrueType 字体文件（.otf、.ttf、.ttc）",
            Problem::NoPdftoppm => {
                "请安装 poppler-utils，或用 DOSSIER_PDFTOPPM 指明 pdftoppm 程序，或加 --docx-evidence list 只列出文件及其在 PDF 中的页码"
            }
            Problem::Rasterise(_) => "请用 PDF 阅读器打开检查，或加 --docx-evidence list 只列出文件",
            Problem::BadManifest(_) => {
                "请给出 dossier build 在佐证材料旁边生成的 <文件名>.manifest.json（或佐证材料的 .pdf）"
            }
            Problem::NoManifest => {
                "dossier build 在佐证材料旁边生成 <文件名>.manifest.json，从第二次生成起把上一次的保留为 <文件名>.manifest.previous.json；请检查文件名，或先生成一次"
            }
            Problem::DossierUnreadable(_) | Problem::Unreadable(_) => return None,
        })
    }
}

impl Diagnostic {
    /// The diagnostic for `--json`, its words in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "severity": if self.warning { "warning" } else { "error" },
            "entry": self.entry.0,
            "file": self.file.as_deref().map(json_path),
            "code": self.problem.code(),
            "message": self.problem.message(lang),
            "hint": self.problem.advice(lang),
            "detail": self.problem.detail(),
        })
    }

    /// The diagnostic as the binary prints it, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(lang, false)
    }

    /// As `render`; `verbose` adds the technical detail a Chinese message leaves out.
    pub fn render_with(&self, lang: Lang, verbose: bool) -> String {
        let (kind, entry, file, todo) = match (lang, self.warning) {
            (Lang::En, false) => ("error: ", "entry: ", "file:  ", "what to do: "),
            (Lang::En, true) => ("warning: ", "entry: ", "file:  ", "what to do: "),
            (Lang::Zh, _) => (
                lang.t(if self.warning { "out.warning" } else { "out.error" }),
                lang.t("out.entry"),
                lang.t("out.file"),
                lang.t("out.todo"),
            ),
        };
        let mut s = format!("{kind}{}", self.problem.message(lang));
        if !self.entry.is_empty() {
            s.push_str(&format!("\n  {entry}{}", self.entry));
        }
        if let Some(f) = &self.file {
            s.push_str(&format!("\n  {file}{}", f.display()));
        }
        if let Some(h) = self.problem.advice(lang) {
            s.push_str(&format!("\n  {todo}{h}"));
        }
        if let Some(d) = self.problem.detail().filter(|_| verbose && lang == Lang::Zh) {
            s.push_str(&format!("\n  {}{d}", lang.t("out.detail")));
        }
        s
    }
}

/// What a system error means, in Chinese (the system's own words are English on most machines).
/// A source file changed under a build (cut short while being copied, pages gone): nothing is
/// wrong with it, it only has to be built again.
pub const CHANGED_DURING_BUILD: &str = "the file changed while the binder was being built: build again";
const CHANGED_DURING_BUILD_ZH: &str = "有佐证文件在生成过程中被改动了，请再生成一次";

pub fn changed_during_build() -> std::io::Error {
    std::io::Error::other(CHANGED_DURING_BUILD)
}

/// The thread copying scans into the binder stopped without saying why (it should not happen):
/// the previous binder is kept, and another build may well go through.
pub const WRITING_STOPPED: &str = "copying into the binder stopped unexpectedly: build again";
const WRITING_STOPPED_ZH: &str = "往佐证材料里复制文件时意外中断，原有的佐证材料保持不变，请再生成一次";

pub fn io_zh(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::Other if e.get_ref().is_some_and(|i| i.to_string() == CHANGED_DURING_BUILD) => CHANGED_DURING_BUILD_ZH,
        K::Other if e.get_ref().is_some_and(|i| i.to_string() == WRITING_STOPPED) => WRITING_STOPPED_ZH,
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "没有权限（文件可能设为只读，或正被别的程序占用）",
        K::AlreadyExists => "已有同名的文件",
        K::StorageFull => "磁盘已满",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::IsADirectory => "这是文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::UnexpectedEof => "文件不完整（可能没有下载或复制完）",
        K::InvalidData => "内容无法识别",
        K::TimedOut => "等待超时",
        _ => "系统报告了错误",
    }
}

/// The Chinese meaning of a detail from a parser or another program, as “：…”, or nothing when
/// its words are not known; the detail itself is shown with `-v`.
pub fn meaning_zh(detail: &str) -> String {
    // The characters a font lacks are the clerk's own text: they are the message.
    if let Some((_, rest)) = detail.split_once("no glyph for “")
        && let Some((chars, _)) = rest.split_once('”')
    {
        return format!("：字体里没有“{chars}”这些字，它们印不出来");
    }
    let d = detail.to_lowercase();
    let known: &[(&[&str], &str)] = &[
        (&["permission denied", "os error 13", "access is denied"], "没有读取权限（文件可能正被别的程序占用）"),
        (&["being used by another process", "os error 32"], "文件正被别的程序占用"),
        (&["is a directory", "is a folder"], "这是文件夹，不是文件"),
        (&["no such file", "os error 2)", "not found"], "找不到文件"),
        (&["changed while the binder was being built"], CHANGED_DURING_BUILD_ZH),
        (&["copying into the binder stopped"], WRITING_STOPPED_ZH),
        (&["none of its pages"], "一页也读不出来"),
        (&["page list is missing"], "找不到页面列表"),
        (&["structure could not be read", "xref", "trailer"], "文件结构无法读取"),
        (&["could not be started"], "转换程序无法启动"),
        (&["timed out", "took longer", "timeout"], "转换超时"),
        (&["chinese characters"], "字体里没有汉字"),
        (&["opentype", "truetype", "font"], "不是可用的字体文件"),
        (
            &["unexpected end", "unexpectedeof", "eof", "cut short", "truncated", "fill whole buffer", "too short"],
            "文件不完整（可能没有下载或复制完）",
        ),
        (&["header", "signature", "magic", "not a jpeg", "not a png"], "文件开头不是这种文件应有的样子"),
        (&["not supported", "unsupported"], "用了不支持的格式"),
        (&["too large", "limits exceeded"], "尺寸过大"),
        (&["missing field", "invalid type", "expected"], "内容不是应有的格式"),
        (&["invalid", "corrupt", "malformed", "damaged", "broken", "error"], "内容有错误"),
    ];
    known
        .iter()
        .find(|(words, _)| words.iter().any(|w| d.contains(w)))
        .map_or_else(String::new, |(_, meaning)| format!("：{meaning}"))
}

/// serde_json's description of a syntax error, told in Chinese.
fn json_zh(message: &str) -> &'static str {
    let known: &[(&str, &str)] = &[
        ("EOF while parsing", "文件在这里意外结束，可能少了右括号或引号"),
        ("trailing comma", "最后一项后面多了逗号"),
        ("expected `,` or `}`", "这里少了逗号或右花括号 }"),
        ("expected `,` or `]`", "这里少了逗号或右方括号 ]"),
        ("expected `:`", "这里少了冒号 :"),
        ("key must be a string", "名称要用英文双引号括起来"),
        ("expected value", "这里应有一个值（文字要用英文双引号括起来）"),
        ("control character", "引号中的文字不能直接换行"),
        ("invalid escape", "反斜杠 \\ 的用法不对（路径请用 / 分隔）"),
        ("trailing characters", "结尾之后还有多余的内容"),
        ("expected ident", "这里的写法不对"),
        ("unicode", "有无法识别的字符"),
    ];
    known.iter().find(|(en, _)| message.contains(en)).map_or("格式有误", |(_, zh)| zh)
}

/// What a dossier field should hold, in Chinese (the English is written where the field is read).
fn expected_zh(expected: &str) -> String {
    match expected {
        "an object { … }" => "一个对象 { … }".into(),
        "text in quotes" => "用英文双引号括起来的文字".into(),
        "a whole number (0 for the first face)" => "整数（第一个字形为 0）".into(),
        "a list [ … ]" => "一个列表 [ … ]".into(),
        "true or false" => "true 或 false".into(),
        "a list of paragraphs in quotes" => "由带引号的段落组成的列表".into(),
        "text like \"1-3,7\"" => "形如 \"1-3,7\" 的文字".into(),
        e if e.starts_with("a list of paths") => "路径的列表，或 { \"path\": …, \"pages\": … } 的列表".into(),
        e if e.starts_with("a whole number from ") => {
            // "a whole number from 10 to 60, or 0"
            let nums: Vec<&str> = e.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
            match nums.as_slice() {
                [a, b] => format!("{a} 到 {b} 之间的整数"),
                [a, b, c] => format!("{a} 到 {b} 之间的整数，或 {c}"),
                _ => "整数".into(),
            }
        }
        // The choices are codes ("outer" or "centre"): written as they are, joined in Chinese.
        e => e.replace(" or ", " 或 "),
    }
}

/// Why a page selector was not understood, in Chinese.
fn selector_zh(why: &str) -> String {
    if let Some(n) = why.strip_suffix(" is not a page number") {
        return format!("{n} 不是页码");
    }
    if let Some(r) = why.strip_suffix(" runs backwards") {
        return format!("{r} 前大后小");
    }
    match why {
        "page numbers start at 1" => "页码从 1 开始".into(),
        "it names no pages" => "没有写任何页码".into(),
        w => w.to_string(),
    }
}

#[cfg(test)]
mod tests {
    /// A scan cut short while it was being copied in: the clerk is told to build again, in
    /// Chinese, not only that the binder could not be written.
    #[test]
    fn a_file_changed_during_a_build_says_build_again() {
        let e = Error::Output { path: "build/b.pdf".into(), source: changed_during_build() };
        assert!(e.message(Lang::Zh).contains("请再生成一次"), "{}", e.message(Lang::Zh));
        assert!(e.message(Lang::En).contains("build again"), "{}", e.message(Lang::En));
        assert!(meaning_zh(CHANGED_DURING_BUILD).contains("请再生成一次"));
        let stopped = std::io::Error::other(WRITING_STOPPED);
        assert!(io_zh(&stopped).contains("请再生成一次") && meaning_zh(WRITING_STOPPED).contains("中断"));
    }

    use super::*;

    #[test]
    fn chinese_messages_hold_no_parser_english() {
        let p = Problem::DamagedPdf("invalid file header".into());
        assert_eq!(p.message(Lang::Zh), "PDF 文件已损坏：文件开头不是这种文件应有的样子");
        assert_eq!(p.detail(), Some("invalid file header"));
        let d = Diagnostic::error(&EntryPath::default(), None, p);
        assert!(!d.render(Lang::Zh).contains("invalid"));
        assert!(d.render_with(Lang::Zh, true).contains("技术细节：invalid file header"));
        assert!(d.render(Lang::En).contains("invalid file header"));
        let j = Problem::Json { message: "expected `,` or `}`".into(), line: 3, column: 5, excerpt: String::new() };
        assert!(j.message(Lang::Zh).contains("这里少了逗号或右花括号"), "{}", j.message(Lang::Zh));
        let w = Problem::WrongType { field: "chars_per_line".into(), expected: "a whole number from 10 to 60, or 0" };
        assert!(w.message(Lang::Zh).ends_with("10 到 60 之间的整数，或 0"), "{}", w.message(Lang::Zh));
        let s = Problem::BadSelector { selector: "3-1".into(), why: "3-1 runs backwards".into() };
        assert!(s.message(Lang::Zh).ends_with("3-1 前大后小"));
    }
}
