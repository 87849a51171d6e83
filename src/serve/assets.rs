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

pub fn get(name: &str) -> Option<(&'static str, &'static [u8])> {
    FILES.iter().find(|(n, _, _)| *n == name).map(|(_, t, b)| (*t, *b))
}
