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
    #[error("the file is not a kind dossier can use ({0})")]
    UnknownKind(String),
    #[error("this is an old Word .doc/.xls file, not .docx")]
    LegacyOffice,
    #[error("this PDF needs a password to open")]
    Encrypted,
    #[error("the PDF is damaged: {0}")]
    DamagedPdf(String),
    #[error("the image cannot be read: {0}")]
    DamagedImage(String),
    #[error("the image is too large ({width}×{height} pixels; the limit is {limit} million pixels)")]
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
    #[error("the font file cannot be used: {0}")]
    BadFont(String),
    #[error("pdftoppm (poppler) is needed to put PDF and Word pages into the Word binder, but it was not found")]
    NoPdftoppm,
    #[error("the pages could not be drawn as pictures for the Word binder: {0}")]
    Rasterise(String),
}

impl Problem {
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
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
                "use a PDF, JPEG, PNG, TIFF or DOCX file: export or scan it again in one of these"
            }
            Problem::LegacyOffice => "open it in Word or WPS and save it as .docx (or export it as PDF)",
            Problem::Encrypted => "open it with its password and save or print it as a PDF without a password",
            Problem::DamagedPdf(_) => "open it in a PDF viewer to check it, then export or scan it again",
            Problem::DamagedImage(_) => "copy the picture again from the camera or phone, or save it again as JPEG",
            Problem::ImageTooLarge { .. } => "reduce the picture's size in an image editor",
            Problem::BadSelector { .. } => "write pages like \"1-3,7\" (page numbers start at 1)",
            Problem::PageOutOfRange { .. } => "correct the page numbers in \"pages\"",
            Problem::SelectorOnImage(_) => "remove \"pages\" for this file",
            Problem::Conversion(_) => "open the file in Word or WPS to check it, or export it as PDF and use the PDF",
            Problem::NoLibreOffice => {
                "install LibreOffice (see README), or set DOSSIER_SOFFICE to its soffice program, or export the file as PDF"
            }
            Problem::BadFont(_) => "name an OpenType/TrueType font file (.otf, .ttf, .ttc)",
            Problem::NoPdftoppm => {
                "install poppler-utils (Debian/Ubuntu: sudo apt-get install poppler-utils), or set DOSSIER_PDFTOPPM to its pdftoppm program, or build with --docx-evidence list to list each document with its pages in the PDF binder instead"
            }
            Problem::Rasterise(_) => {
                "open the file in a PDF viewer to check it, or build with --docx-evidence list to list the documents instead of showing their pages"
            }
            Problem::DossierUnreadable(_) | Problem::Unreadable(_) => return None,
        })
    }
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
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", if self.warning { "warning" } else { "error" }, self.problem)?;
        if !self.entry.is_empty() {
            write!(f, "\n  entry: {}", self.entry)?;
        }
        if let Some(file) = &self.file {
            write!(f, "\n  file:  {}", file.display())?;
        }
        if let Some(h) = self.problem.hint() {
            write!(f, "\n  what to do: {h}")?;
        }
        Ok(())
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
}
