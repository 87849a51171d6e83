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
