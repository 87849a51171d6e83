//! The page's files, built into the binary so that one program file is all an office installs.

/// (name as requested under /assets/, content type, bytes).
static FILES: &[(&str, &str, &[u8])] = &[
    ("style.css", "text/css; charset=utf-8", include_bytes!("../../assets/web/style.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/app.js")),
    ("model.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/model.js")),
    ("tree.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/tree.js")),
    ("edit.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/edit.js")),
    ("files.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/files.js")),
    ("build.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/web/build.js")),
    (
        "vendor/pdfjs/pdf.min.mjs",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/vendor/pdfjs/pdf.min.mjs"),
    ),
    (
        "vendor/pdfjs/pdf.worker.min.mjs",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/web/vendor/pdfjs/pdf.worker.min.mjs"),
    ),
    ("vendor/pdfjs/LICENSE", "text/plain; charset=utf-8", include_bytes!("../../assets/web/vendor/pdfjs/LICENSE")),
];

pub static INDEX: &str = include_str!("../../assets/web/index.html");

/// The page's file `name` (`index.html` included): its content type and bytes. With
/// DOSSIER_WEB_DIR set, read from that folder instead, so the page can be worked on without
/// rebuilding the program; only names built in are served either way.
pub fn get(name: &str) -> Option<(&'static str, std::borrow::Cow<'static, [u8]>)> {
    let (kind, bytes) = if name == "index.html" {
        ("text/html; charset=utf-8", INDEX.as_bytes())
    } else {
        FILES.iter().find(|(n, _, _)| *n == name).map(|(_, t, b)| (*t, *b))?
    };
    if let Some(dir) = std::env::var_os("DOSSIER_WEB_DIR")
        && let Ok(b) = std::fs::read(std::path::Path::new(&dir).join(name))
    {
        return Some((kind, b.into()));
    }
    Some((kind, bytes.into()))
}
