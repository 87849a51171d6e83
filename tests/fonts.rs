//! A dossier may name its own font (a system 宋体 or 仿宋); everything dossier sets then uses it,
//! embedded as a subset.

mod common;
use common::*;

fn dossier_with_font(dir: &std::path::Path, font: &str, index: u32) {
    let pdf = repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf");
    std::fs::copy(pdf, dir.join("通知.pdf")).unwrap();
    let d = serde_json::json!({
        "title": "字体测试",
        "style": { "font": font, "font_index": index },
        "parts": [{ "title": "第一部分", "text": ["正文段落。"], "evidence": [{ "title": "通知", "files": ["通知.pdf"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
}

#[test]
fn a_named_font_is_used_and_subset() {
    let font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    assert!(std::path::Path::new(font).is_file(), "install fonts-noto-cjk for this test");
    let dir = scratch("font-named");
    dossier_with_font(&dir, font, 2);
    let o = dossier(&["build", "-o", "b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = tool("pdffonts", &[dir.join("b.pdf").to_str().unwrap()]);
    let row = fonts
        .lines()
        .find(|l| l.contains("NotoSansCJKsc-Regular"))
        .unwrap_or_else(|| panic!("font not used:\n{fonts}"));
    assert!(row.contains("yes yes yes"), "{row}");
    assert!(!fonts.contains("NotoSerifCJKsc"), "the built-in font is still used:\n{fonts}");
}

#[test]
fn a_bad_font_is_reported() {
    let dir = scratch("font-bad");
    std::fs::write(dir.join("not-a-font.ttf"), b"hello").unwrap();
    dossier_with_font(&dir, "not-a-font.ttf", 0);
    std::fs::write(dir.join("b.pdf"), b"old").unwrap();
    let o = dossier(&["build", "-o", "b.pdf"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("font") && err.contains("not-a-font.ttf") && err.contains("style"), "{err}");
    assert_eq!(std::fs::read(dir.join("b.pdf")).unwrap(), b"old");
}

#[test]
fn second_level_headings_take_an_installed_kaiti() {
    let kai = "/usr/share/fonts/truetype/arphic/ukai.ttc";
    assert!(std::path::Path::new(kai).is_file(), "install fonts-arphic-ukai for this test");
    let dir = scratch("font-kai");
    let d = serde_json::json!({
        "title": "楷体测试",
        "style": { "font": "宋体" },
        "parts": [{ "title": "第一部分", "sections": [{ "title": "一、第一级", "sections": [{ "title": "1.第二级标题", "text": ["正文。"] }] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build", "-o", "b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = tool("pdffonts", &[dir.join("b.pdf").to_str().unwrap()]);
    assert!(fonts.contains("UKai"), "the installed 楷体 is not used:\n{fonts}");
    assert!(fonts.contains("NotoSansCJKsc-Bold"), "no 黑体 for the first level:\n{fonts}");

    // Asked for by name, a missing kind of font is an error that says so.
    let d =
        serde_json::json!({ "title": "t", "style": { "font": "仿宋" }, "parts": [{ "title": "一", "text": ["x"] }] });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build", "-o", "c.pdf"], &dir);
    if std::path::Path::new("/usr/share/fonts/truetype/fandol").exists() {
        return;
    }
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no 仿宋 font is installed"), "{}", stderr(&o));
}
