//! The conversion cache beside the binder never serves stale content: a Word file replaced by
//! another with the same name is converted again.

mod common;
use common::*;

#[test]
fn a_replaced_word_file_is_converted_again() {
    let dir = scratch("cache-stale");
    let a = repo().join("samples/evidence/2022/深港学生线上交流活动方案.docx");
    let b = repo().join("samples/evidence/2024/MA-ELTA 课程学习情况说明.docx");
    let d = serde_json::json!({
        "title": "缓存测试",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "方案", "files": ["方案.docx"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let body = |dir: &std::path::Path| -> String {
        let o = dossier(&["build", "-o", "out/b.pdf"], dir);
        assert!(o.status.success(), "{}", stderr(&o));
        no_space(&page_texts(&dir.join("out/b.pdf")).join(""))
    };

    std::fs::copy(&a, dir.join("方案.docx")).unwrap();
    let first = body(&dir);
    assert!(first.contains("深港学生线上交流活动方案"), "{first}");
    assert!(dir.join("out/.dossier-cache/docx").read_dir().unwrap().count() == 1, "the conversion was not cached");

    std::fs::copy(&b, dir.join("方案.docx")).unwrap();
    let second = body(&dir);
    assert!(second.contains("MA-ELTA课程学习情况说明"), "stale conversion served: {second}");
    assert!(!second.contains("深港学生线上交流活动方案"), "old content still in the binder");
}

#[test]
fn a_replaced_pdf_is_counted_again() {
    let dir = scratch("cache-pages");
    let one = repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf");
    let four = repo().join("samples/evidence/2021/与香港职业院校合作交流工作方案.pdf");
    let d = serde_json::json!({
        "title": "页数缓存测试",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "文件", "files": ["文件.pdf"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let pages = |dir: &std::path::Path| -> usize {
        let o = dossier(&["build", "-o", "out/b.pdf"], dir);
        assert!(o.status.success(), "{}", stderr(&o));
        Binder::open(&dir.join("out/b.pdf")).pages.len()
    };
    std::fs::copy(&one, dir.join("文件.pdf")).unwrap();
    let first = pages(&dir);
    assert!(std::fs::read_to_string(dir.join("out/.dossier-cache/pages.tsv")).unwrap().contains("文件.pdf"));
    std::fs::copy(&four, dir.join("文件.pdf")).unwrap();
    let second = pages(&dir);
    let (n1, n4) = (
        lopdf::Document::load(&one).unwrap().get_pages().len(),
        lopdf::Document::load(&four).unwrap().get_pages().len(),
    );
    assert_ne!(n1, n4);
    assert_eq!(second - first, n4 - n1, "the old page count was used");
}
