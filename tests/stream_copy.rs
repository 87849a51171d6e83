//! Large streams of a source PDF (scanned images, embedded fonts) are copied from the file as they
//! are written, never held whole in memory: the binder must carry them byte for byte, whatever the
//! file's layout — junk before the header, or cross-reference offsets that no longer match.

mod common;
use common::*;
use std::path::Path;

const SCAN: &str = "samples/evidence/2021/扫描件 领导小组成立会议签到表及纪要.pdf";

/// Raw bytes of every stream of at least 64 KB (the size from which streams stay in the file).
fn big_streams(pdf: &Path) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.content.len() >= 64 << 10)
        .map(|s| s.content.clone())
        .collect();
    out.sort();
    out
}

fn build_with(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("scan.pdf"), bytes).unwrap();
    let d = serde_json::json!({
        "title": "扫描件复制",
        "parts": [{ "title": "第一部分", "evidence": [
            { "title": "签到表", "files": ["scan.pdf"] },
            { "title": "签到表（再次引用）", "files": [{ "path": "scan.pdf", "pages": "2" }] }
        ] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build", "-o", "out.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    tool("qpdf", &["--check", dir.join("out.pdf").to_str().unwrap()]);
    dir.join("out.pdf")
}

fn assert_carried(source: &Path, binder: &Path) {
    let want = big_streams(source);
    assert!(!want.is_empty(), "the fixture has no large stream");
    let got = big_streams(binder);
    for s in &want {
        assert!(got.contains(s), "a {}-byte stream of the source is missing or altered", s.len());
    }
}

#[test]
fn large_streams_are_copied_byte_for_byte() {
    let src = repo().join(SCAN);
    let out = build_with("stream-copy", &std::fs::read(&src).unwrap());
    assert_carried(&src, &out);
}

#[test]
fn junk_before_the_header_does_not_shift_the_copy() {
    let src = repo().join(SCAN);
    let mut bytes = b"Content-Type: application/pdf\r\n\r\n".to_vec();
    bytes.extend(std::fs::read(&src).unwrap());
    let out = build_with("stream-copy-prefix", &bytes);
    assert_carried(&src, &out);
}

#[test]
fn wrong_xref_offsets_fall_back_to_a_full_read() {
    let src = repo().join(SCAN);
    let mut bytes = std::fs::read(&src).unwrap();
    // Insert bytes after the header: every offset in the cross-reference table now points 7 bytes
    // early, so the file has to be repaired, and its streams found by the full reader.
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(at..at, b"%shift\n".iter().copied());
    let out = build_with("stream-copy-shifted", &bytes);
    assert_carried(&src, &out);
    let texts = page_texts(&out);
    assert!(texts.iter().any(|t| no_space(t) == "—2—"), "page numbers missing: {texts:?}");
}
