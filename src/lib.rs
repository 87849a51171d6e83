//! dossier compiles a 佐证材料 binder from an outline (dossier.json) and its evidence files.
//!
//! The stages, each a module owning its data, meet only here:
//! outline → sources → plan → render → assemble → write.

pub mod assemble;
pub mod cache;
pub mod diff;
pub mod docx;
pub mod error;
pub mod fit;
pub mod geom;
pub mod i18n;
pub mod init;
pub mod manifest;
pub mod ocr;
pub mod outline;
pub mod plan;
pub mod progress;
pub mod render;
pub mod serve;
pub mod sources;
pub mod status;
pub mod typeset;
pub mod volumes;
pub mod watch;
pub mod write;

use error::{Diagnostic, EntryPath, Error, Lang, Problem};
use progress::Stage;
use std::path::{Path, PathBuf};
use typeset::text::Face;

/// The font shipped with dossier: Noto Serif CJK SC (SIL Open Font License, see assets/fonts).
pub static DEFAULT_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSerifCJKsc-Regular.otf");
/// The heading face shipped with dossier: Noto Sans CJK SC Bold, a 黑体 (same licence).
pub static HEADING_FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-Bold.otf");

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub dossier: PathBuf,
    /// Wins over the dossier's `output`.
    pub output: Option<PathBuf>,
    pub soffice: Option<PathBuf>,
    pub max_pixels: Option<u64>,
    /// Convert Word files afresh into a temporary folder instead of using `.dossier-cache`.
    pub no_cache: bool,
    /// Downsample photos above this resolution (wins over the dossier's `style.photo_dpi`).
    pub photo_dpi: Option<u32>,
    /// The binder as PDF (the default) or as a Word document.
    pub format: Format,
    /// How the Word binder shows evidence, and at what resolution.
    pub docx: docx::Options,
    /// Fit the PDF binder under this many bytes: photos at lower resolutions, then volumes.
    pub max_size: Option<u64>,
    /// Hears of each stage and of files and pages done.
    pub progress: progress::Reporter,
    /// A damaged source page fails the build (as `"strict": true` in the dossier does).
    pub strict: bool,
    /// Lay an invisible text layer over scanned pages (as the dossier's `style.ocr`).
    pub ocr: bool,
    /// The OCR engine's program, instead of looking for it.
    pub tesseract: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Pdf,
    Docx,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub front_pages: usize,
    pub body_pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, for `--verbose` and the benchmarks.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// Size of what was written (all volumes together).
    pub bytes: u64,
    /// What a build with a size limit did to fit.
    pub fit: Option<fit::Fit>,
    /// What changed since the manifest the previous build left (none for the Word binder, which
    /// has no manifest).
    pub changes: Option<diff::Changes>,
    /// What reading the scanned pages did, with `--ocr`.
    pub ocr: Option<OcrSummary>,
    /// Source files whose reading an earlier build's cache spared this one.
    pub kept: usize,
}

/// Pages read by the engine, taken from the cache, without text, and blank.
#[derive(Debug, Clone, Default)]
pub struct OcrSummary {
    pub read: usize,
    pub cached: usize,
    pub without_text: usize,
    pub blank: usize,
}

impl BuildReport {
    /// The report for `--json`, its words in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let timings: serde_json::Map<String, serde_json::Value> =
            self.timings.iter().map(|(k, t)| (k.to_string(), t.as_secs_f64().into())).collect();
        serde_json::json!({
            "ok": true,
            "output": error::json_path(&self.output),
            "pages": self.pages,
            "front_pages": self.front_pages,
            "body_pages": self.body_pages,
            "warnings": self.warnings.iter().map(|d| d.to_json(lang)).collect::<Vec<_>>(),
            "timings": timings,
            "changes": self.changes.as_ref().map(diff::Changes::to_json),
            "bytes": self.bytes,
            "kept": self.kept,
            "fit": self.fit.as_ref().map(fit::Fit::to_json),
            "ocr": self.ocr.as_ref().map(|o| serde_json::json!({
                "read": o.read, "cached": o.cached, "without_text": o.without_text, "blank": o.blank,
            })),
        })
    }
}

/// Times each stage for the report and tells the listener when one starts and ends.
struct Stages<'a> {
    progress: &'a progress::Reporter,
    timings: Vec<(&'static str, std::time::Duration)>,
    current: Option<(Stage, std::time::Instant)>,
}

impl<'a> Stages<'a> {
    fn new(progress: &'a progress::Reporter) -> Self {
        Stages { progress, timings: Vec::new(), current: None }
    }
    /// Ends the current stage, if any, and starts `next`.
    fn start(&mut self, next: Stage) {
        self.end();
        self.progress.started(next);
        self.current = Some((next, std::time::Instant::now()));
    }
    fn end(&mut self) {
        if let Some((stage, since)) = self.current.take() {
            let took = since.elapsed();
            self.timings.push((stage.key(), took));
            self.progress.finished(stage, took);
        }
    }
}

#[derive(Debug)]
pub struct CheckReport {
    pub files: usize,
    pub body_pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// How long reading the outline and the files took, for `--verbose`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl CheckReport {
    /// The report for `--json`, its words in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "ok": true,
            "files": self.files,
            "body_pages": self.body_pages,
            "warnings": self.warnings.iter().map(|d| d.to_json(lang)).collect::<Vec<_>>(),
        })
    }
}

/// Where the binder goes: `-o`, else the dossier's `output`, else `build/<title>.pdf`, both
/// relative to the dossier's folder.
pub fn output_path(dossier: &outline::Dossier, cli: Option<&Path>) -> PathBuf {
    if let Some(p) = cli {
        return p.to_path_buf();
    }
    match &dossier.output {
        Some(o) => dossier.base.join(o.replace('\\', "/")),
        None => {
            let safe: String = dossier
                .title
                .chars()
                .map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c })
                .collect();
            dossier.base.join("build").join(format!("{}.pdf", safe.trim()))
        }
    }
}

/// A font the dossier names (`style.font`, `style.heading_font`, …), else the built-in face.
fn load_face(named: &Option<outline::FontChoice>, builtin: &'static [u8]) -> Result<Face, Error> {
    use outline::FontChoice;
    let entry = EntryPath::default().child("style");
    let (path, index) = match named {
        None => {
            return Face::from_static(builtin, 0)
                .ok_or_else(|| Error::Internal("a built-in font could not be loaded".into()));
        }
        Some(FontChoice::Builtin) => {
            return Face::from_static(DEFAULT_FONT, 0)
                .ok_or_else(|| Error::Internal("a built-in font could not be loaded".into()));
        }
        Some(FontChoice::File(p, i)) => (p.clone(), *i),
        Some(FontChoice::Installed(kind)) => typeset::fonts::find(*kind).ok_or_else(|| {
            Error::input(Diagnostic::error(
                &entry,
                None,
                Problem::BadFont(format!(
                    "no {} font is installed on this computer; name a font file instead",
                    kind.name()
                )),
            ))
        })?,
    };
    let fail = |p: Problem| Error::input(Diagnostic::error(&entry, Some(path.clone()), p));
    let face = Face::open(&path, index)
        .map_err(|e| {
            fail(if e.kind() == std::io::ErrorKind::NotFound {
                Problem::MissingFile
            } else {
                Problem::Unreadable(e.to_string())
            })
        })?
        .ok_or_else(|| fail(Problem::BadFont("it is not an OpenType/TrueType font, or has no such face".into())))?;
    if !face.covers("目录第一部分") {
        return Err(fail(Problem::BadFont("it has no Chinese characters".into())));
    }
    Ok(face)
}

fn load_fonts(dossier: &outline::Dossier) -> Result<typeset::Fonts, Error> {
    let st = &dossier.style;
    let kai = match &st.kai_font {
        // 宋体 for second-level headings: the body face, set heavier.
        Some(outline::FontChoice::Builtin) => None,
        Some(_) => Some(load_face(&st.kai_font, DEFAULT_FONT)?),
        // An installed 楷体 that cannot be read is passed over: the body face stands in.
        None => typeset::fonts::find(typeset::fonts::Kind::Kaiti)
            .and_then(|(p, i)| load_face(&Some(outline::FontChoice::File(p, i)), DEFAULT_FONT).ok()),
    };
    // GB/T 9704 sets the body in 仿宋: an installed one is used unless the dossier names a font
    // (glyphs it lacks are reported as warnings before anything is printed).
    let body = match &st.font {
        Some(_) => load_face(&st.font, DEFAULT_FONT)?,
        None => typeset::fonts::find(typeset::fonts::Kind::Fangsong)
            .and_then(|(p, i)| load_face(&Some(outline::FontChoice::File(p, i)), DEFAULT_FONT).ok())
            .map_or_else(|| load_face(&None, DEFAULT_FONT), Ok)?,
    };
    Ok(typeset::Fonts { body, heading: load_face(&st.heading_font, HEADING_FONT)?, kai })
}

/// The house style with the dossier's settings applied.
pub fn style_of(dossier: &outline::Dossier) -> typeset::Style {
    let st = &dossier.style;
    let numbers = if st.centred_numbers { typeset::Numbers::Centre } else { typeset::Numbers::Outer };
    let mut style = typeset::Style::new(numbers, st.double_sided, st.chars_per_line);
    style.keep_page_sizes = st.keep_page_sizes;
    style
}

/// A folder removed when dropped: the conversion cache of a `--no-cache` build.
struct TempCache(Option<PathBuf>);

impl Drop for TempCache {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// The folders a build or check makes on its way (the binder's folder, the cache): removed again
/// when it fails, so a failed build leaves the dossier's folder as it found it.
struct NewFolders(Vec<PathBuf>);

impl NewFolders {
    /// For each of `dirs` that does not exist yet, the highest of its missing ancestors.
    fn before(dirs: &[&Path]) -> NewFolders {
        let mut tops = Vec::new();
        for dir in dirs {
            let mut top = None;
            let mut at = Some(*dir);
            while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                top = Some(d.to_path_buf());
                at = d.parent();
            }
            tops.extend(top.filter(|t| !tops.iter().any(|o: &PathBuf| t.starts_with(o))));
        }
        NewFolders(tops)
    }

    /// The build succeeded: what it made stays.
    fn keep(&mut self) {
        self.0.clear();
    }
}

impl Drop for NewFolders {
    fn drop(&mut self) {
        for d in &self.0 {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

fn output_dir(output: &Path) -> &Path {
    output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn source_options(opts: &BuildOptions, output: &Path) -> (sources::Options, TempCache) {
    let dir = output_dir(output);
    let (cache, temp) = if opts.no_cache {
        let p = std::env::temp_dir().join(format!("dossier-cache-{}", std::process::id()));
        (p.clone(), TempCache(Some(p)))
    } else {
        (dir.join(".dossier-cache"), TempCache(None))
    };
    let mut o = sources::Options::new(cache);
    o.soffice = opts.soffice.clone();
    o.progress = opts.progress.clone();
    if let Some(m) = opts.max_pixels {
        o.max_pixels = m;
    }
    (o, temp)
}

/// Validate everything a build would, write nothing but the conversion cache.
pub fn check(opts: &BuildOptions) -> Result<CheckReport, Error> {
    let mut stages = Stages::new(&opts.progress);
    stages.start(Stage::Outline);
    let (mut dossier, mut diags) = outline::load(&opts.dossier).map_err(Error::Input)?;
    let output = output_path(&dossier, opts.output.as_deref());
    let engine = ocr_engine(opts, &dossier, &output)?;
    stages.start(Stage::Sources);
    let (mut src_opts, _temp_cache) = source_options(opts, &output);
    src_opts.scan_damage = true;
    let mut made = NewFolders::before(&[&src_opts.cache_dir]);
    let (mut srcs, more) = sources::load(&dossier, &src_opts);
    diags.extend(more);
    // What the build refuses when it opens the files to copy their pages, check refuses too.
    diags.extend(assemble::open_all(&dossier, &srcs));
    stages.end();
    status::fill_placeholders(&mut dossier, &srcs);
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| !d.warning);
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let fonts = load_fonts(&dossier)?;
    let style = style_of(&dossier);
    let mut plan = plan::plan(&dossier, &srcs, &style, &fonts);
    let mut warnings = warnings;
    if let Some(engine) = engine {
        // Check reads the scans too when asked, to report blank and turned pages before a build.
        stages.start(Stage::Ocr);
        let (p, layers) =
            read_scans(&dossier, plan, &mut srcs, engine, &src_opts, |s| plan::plan(&dossier, s, &style, &fonts));
        stages.end();
        plan = p;
        warnings.extend(layers.warnings);
    }
    made.keep();
    let files: std::collections::HashSet<_> =
        dossier.evidence().iter().flat_map(|e| e.files.iter().map(|f| f.path.clone())).collect();
    Ok(CheckReport { files: files.len(), body_pages: plan.body.len(), warnings, timings: stages.timings })
}

/// The OCR engine when the build reads scanned pages, checked before anything else is done: a
/// missing engine or Chinese model fails at once, with how to install it.
fn ocr_engine(opts: &BuildOptions, dossier: &outline::Dossier, output: &Path) -> Result<Option<ocr::Engine>, Error> {
    if !(opts.ocr || dossier.style.ocr) {
        return Ok(None);
    }
    let secs = std::env::var("DOSSIER_OCR_TIMEOUT").ok().and_then(|s| s.parse().ok()).unwrap_or(120);
    let timeout = std::time::Duration::from_secs(secs);
    let dir = output.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let engine = if opts.no_cache {
        ocr::Engine::open(opts.tesseract.clone(), timeout)
    } else {
        ocr::Engine::open_cached(opts.tesseract.clone(), timeout, &dir.join(".dossier-cache"))
    };
    engine.map(Some).map_err(|p| Error::input(Diagnostic::error(&EntryPath::default(), None, p)))
}

/// Read the scanned pages of `plan`; with `drop_blank_pages`, plan again without the blank ones.
fn read_scans(
    dossier: &outline::Dossier,
    plan: plan::Plan,
    srcs: &mut sources::Sources,
    engine: ocr::Engine,
    src_opts: &sources::Options,
    replan: impl Fn(&sources::Sources) -> plan::Plan,
) -> (plan::Plan, ocr::Layers) {
    let settings = ocr::Settings {
        engine,
        rotate: dossier.style.ocr_rotate,
        cache_dir: src_opts.cache_dir.clone(),
        progress: src_opts.progress.clone(),
    };
    let drop = dossier.style.drop_blank_pages;
    let layers = ocr::recognise(dossier, &plan, srcs, &settings, drop);
    if !drop || layers.blank.is_empty() {
        return (plan, layers);
    }
    for (path, page) in &layers.blank {
        srcs.leave_out(path, *page);
    }
    (replan(srcs), layers)
}

fn ocr_summary(plan: &plan::Plan, layers: &ocr::Layers) -> OcrSummary {
    OcrSummary {
        read: layers.read,
        cached: layers.cached,
        without_text: plan.body.iter().filter(|p| layers.origin(p) == ocr::TextOrigin::None).count(),
        blank: layers.blank.len(),
    }
}

/// Build the binder. On any input problem nothing is written and the previous binder stays.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let mut stages = Stages::new(&opts.progress);
    stages.start(Stage::Outline);
    let (mut dossier, mut diags) = outline::load(&opts.dossier).map_err(Error::Input)?;
    let output = output_path(&dossier, opts.output.as_deref());
    let engine = ocr_engine(opts, &dossier, &output)?;
    stages.start(Stage::Sources);
    let (src_opts, _temp_cache) = source_options(opts, &output);
    let mut made = NewFolders::before(&[&src_opts.cache_dir, output_dir(&output)]);
    assemble::skeleton::new_build();
    let ahead = |files: &[(&std::path::Path, &sources::Source)], stop: &std::sync::atomic::AtomicBool| {
        if opts.format == Format::Pdf {
            assemble::ahead::prepare(files, &src_opts.cache_dir, stop);
        }
    };
    let (mut srcs, more) = sources::load_with(&dossier, &src_opts, &ahead);
    stages.start(Stage::Plan);
    diags.extend(more);
    status::fill_placeholders(&mut dossier, &srcs);
    let strict = opts.strict || dossier.strict;
    let (errors, mut warnings): (Vec<_>, Vec<_>) =
        diags.into_iter().map(|d| if strict { fit::strictly(d) } else { d }).partition(|d| !d.warning);
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    let fonts = load_fonts(&dossier)?;
    let style = style_of(&dossier);
    warn_missing_glyphs(&dossier, &fonts.body, &mut warnings);
    let plan = plan::plan(&dossier, &srcs, &style, &fonts);
    let (plan, layers) = match engine {
        Some(engine) if opts.format == Format::Pdf => {
            stages.start(Stage::Ocr);
            let (plan, layers) =
                read_scans(&dossier, plan, &mut srcs, engine, &src_opts, |s| plan::plan(&dossier, s, &style, &fonts));
            warnings.extend(layers.warnings.iter().cloned());
            (plan, Some(std::sync::Arc::new(layers)))
        }
        _ => (plan, None),
    };
    if opts.format == Format::Docx {
        stages.start(Stage::Pictures);
        // The Word binder goes where the PDF would, as .docx.
        let output = output.with_extension("docx");
        let binder = docx::prepare(&dossier, &plan, &srcs, &style, &opts.docx).map_err(Error::Input)?;
        stages.start(Stage::Docx);
        let out_err = |source: std::io::Error| Error::Output { path: output.clone(), source };
        let (atomic, file) = write::AtomicFile::create(&output).map_err(out_err)?;
        let file = binder.write(file).map_err(out_err)?;
        atomic.commit(file).map_err(out_err)?;
        if !opts.no_cache {
            cache::prune(&src_opts.cache_dir, cache::max_bytes());
        }
        made.keep();
        stages.end();
        return Ok(BuildReport {
            output,
            pages: plan.front_pages() + plan.body.len(),
            front_pages: plan.front_pages(),
            body_pages: plan.body.len(),
            warnings,
            timings: stages.timings,
            bytes: 0,
            fit: None,
            changes: None,
            ocr: None,
            kept: 0,
        });
    }
    stages.start(Stage::Render);
    // Drawn beside assembly, which copies the sources' pages first (see `render::Drawn`).
    let (drawn, rx) = std::sync::mpsc::channel();
    let rendered = render::Drawn::later(rx);
    stages.start(Stage::Assemble);
    let settings = fit::Settings {
        photo_dpi: opts.photo_dpi.or(dossier.style.photo_dpi),
        photo_quality: dossier.style.photo_quality,
        cache_dir: src_opts.cache_dir.clone(),
        max_size: opts.max_size,
        progress: opts.progress.clone(),
        strict: opts.strict || dossier.strict,
        ocr: layers.clone(),
    };
    let written = std::thread::scope(|s| {
        let (d, p, st, f) = (&dossier, &plan, &style, &fonts);
        s.spawn(move || drawn.send(render::render(d, p, st, f)));
        fit::write(&dossier, &plan, &rendered, &srcs, &style, &fonts, &settings, &output)
    })?;
    warnings.extend(written.warnings);
    if !opts.no_cache {
        cache::prune(&src_opts.cache_dir, cache::max_bytes());
    }
    made.keep();
    stages.end();
    Ok(BuildReport {
        output,
        pages: written.pages,
        front_pages: plan.front_pages(),
        body_pages: plan.body.len(),
        warnings,
        timings: stages.timings,
        bytes: written.bytes,
        fit: written.fit,
        changes: written.changes,
        ocr: layers.map(|l| ocr_summary(&plan, &l)),
        kept: written.kept,
    })
}

/// Text the font cannot show would print as empty boxes: say where, before anyone prints it.
fn warn_missing_glyphs(d: &outline::Dossier, face: &Face, out: &mut Vec<Diagnostic>) {
    let mut check = |entry: &EntryPath, text: &str| {
        if !face.covers(text) {
            let missing: String =
                text.chars().filter(|c| !c.is_whitespace() && !face.covers(&c.to_string())).take(8).collect();
            out.push(Diagnostic {
                entry: entry.clone(),
                file: None,
                problem: Problem::BadFont(format!(
                    "the font has no glyph for “{missing}”; these characters will not print"
                )),
                warning: true,
            });
        }
    };
    check(&EntryPath::default(), &d.title);
    fn walk(n: &outline::Node, check: &mut dyn FnMut(&EntryPath, &str)) {
        check(&n.entry, &n.title);
        for t in &n.text {
            check(&n.entry, t);
        }
        for e in &n.evidence {
            check(&e.entry, &e.title);
        }
        for s in &n.sections {
            walk(s, check);
        }
    }
    for p in &d.parts {
        walk(p, &mut check);
    }
}
