//! dossier.json as the page sees it: its text, a version naming exactly that text, and saving an
//! edited outline back in the file's own layout so that `git diff` shows only the change.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The version of a file's bytes: the page sends it back with an edit, so an edit based on an
/// older file is recognised instead of silently replacing what someone else saved.
pub fn version_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// What the page loads: the outline as parsed, or why it could not be.
pub struct Snapshot {
    pub version: String,
    pub doc: Result<Value, String>,
}

/// Notepad on older Windows starts UTF-8 files with a byte-order mark, which JSON parsers refuse.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

pub fn read(path: &Path) -> std::io::Result<Snapshot> {
    let bytes = std::fs::read(path)?;
    let doc = serde_json::from_slice::<Value>(without_bom(&bytes)).map_err(|e| e.to_string());
    Ok(Snapshot { version: version_of(&bytes), doc })
}

/// How the file is laid out, so a save keeps it.
struct Layout {
    indent: String,
    newline_at_end: bool,
    crlf: bool,
}

fn layout(text: &str) -> Layout {
    // The indentation of the first indented line; two spaces (as `init` writes) by default.
    let indent = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| l.starts_with([' ', '\t']) && !l.trim().is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
        .unwrap_or_else(|| "  ".into());
    Layout { indent, newline_at_end: text.ends_with('\n') || text.is_empty(), crlf: text.contains("\r\n") }
}

/// The outline as text, laid out like `previous` (the file's current text). serde_json keeps the
/// keys in the order the page sent them (feature preserve_order) and writes Chinese unescaped.
pub fn render(doc: &Value, previous: &str) -> Vec<u8> {
    use serde::Serialize;
    let l = layout(previous);
    let mut out = Vec::new();
    if previous.starts_with('\u{feff}') {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let fmt = serde_json::ser::PrettyFormatter::with_indent(l.indent.as_bytes());
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    // Serialising a Value into a Vec cannot fail.
    let _ = doc.serialize(&mut ser);
    if l.newline_at_end {
        out.push(b'\n');
    }
    if l.crlf {
        let text = String::from_utf8_lossy(&out).replace('\n', "\r\n");
        return text.into_bytes();
    }
    out
}

/// Replace the file's content whole: a crash or a full disk leaves the previous file, never half
/// of the new one.
pub fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let (atomic, mut w) = crate::write::AtomicFile::create(path)?;
    w.write_all(bytes)?;
    atomic.commit(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_what_was_read_changes_nothing() {
        let text = "{\n  \"title\": \"评估\",\n  \"parts\": [\n    {\n      \"title\": \"第一部分\"\n    }\n  ],\n  \"a\": 1\n}\n";
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(String::from_utf8(render(&doc, text)).unwrap(), text);
        let four = text.replace("  ", "    ").replace('\n', "\r\n");
        let doc: Value = serde_json::from_str(&four).unwrap();
        assert_eq!(String::from_utf8(render(&doc, &four)).unwrap(), four);
    }
}
