//! The conversion cache beside the binder never serves stale content: a Word file replaced by
//! another with the same name is converted again.

mod common;
use common::*;

#[test]
fn a_replaced_word_file_is_converted_again() {
    let dir = scratch("cache-stale");
    let a = repo().join("samples/evidence/2022/关于参加《香港职训局高峰学院交流会》活动方案.docx");
    let b = repo().join("samples/evidence/2021/合作办学教学团队 名单.docx");
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
    assert!(second.contains("合作办学教学团队名单"), "stale conversion served: {second}");
    assert!(!second.contains("深港学生线上交流活动方案"), "old content still in the binder");
}

#[test]
fn a_replaced_pdf_is_counted_again() {
    let dir = scratch("cache-pages");
    let one = repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf");
    let four = repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf");
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

/// The width in pixels of each JPEG in the binder, from its image dictionary.
fn jpeg_widths(pdf: &std::path::Path) -> Vec<i64> {
    let b = Binder::open(pdf);
    let mut w: Vec<i64> = b
        .doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(|f| f.as_name()).is_ok_and(|n| n == b"DCTDecode"))
        .filter_map(|s| s.dict.get(b"Width").and_then(|w| w.as_i64()).ok())
        .collect();
    w.sort();
    w
}

fn photo_dossier(dir: &std::path::Path, style: serde_json::Value) {
    let d = serde_json::json!({
        "title": "照片缓存测试",
        "style": style,
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "活动照片", "files": ["现场.jpg"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
}

#[test]
fn a_changed_photo_setting_is_not_served_from_the_cache() {
    let dir = scratch("cache-style");
    phone_photo(&dir.join("现场.jpg"), 1, 2400, 1800);
    let build = |style: serde_json::Value| -> (Vec<i64>, Vec<u8>) {
        photo_dossier(&dir, style);
        let o = dossier(&["build", "-o", "out/b.pdf"], &dir);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = dir.join("out/b.pdf");
        let jpeg = Binder::open(&out).images().into_iter().find(|(_, f)| f == "DCTDecode").unwrap().0;
        (jpeg_widths(&out), jpeg)
    };
    let (w150, q85) = build(serde_json::json!({ "photo_dpi": 150 }));
    assert_eq!(w150.len(), 1);
    assert!(w150[0] < 2400, "not downsampled: {w150:?}");
    let (w100, _) = build(serde_json::json!({ "photo_dpi": 100 }));
    assert!(w100[0] < w150[0], "the 150 dpi photo was served for 100 dpi: {w100:?} vs {w150:?}");
    let (w, q40) = build(serde_json::json!({ "photo_dpi": 150, "photo_quality": 40 }));
    assert_eq!(w, w150);
    assert_ne!(q40, q85, "the quality 85 photo was served for quality 40");
    assert!(q40.len() < q85.len());
    let (_, again) = build(serde_json::json!({ "photo_dpi": 150 }));
    assert_eq!(again, q85, "the same setting should give the same bytes");
}

#[test]
fn the_cache_stays_within_its_bound_and_keeps_what_was_just_used() {
    let dir = scratch("cache-bound");
    phone_photo(&dir.join("现场.jpg"), 1, 2400, 1800);
    photo_dossier(&dir, serde_json::json!({}));
    let build = |dpi: &str, max: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "-o", "out/b.pdf", "--photo-dpi", dpi])
            .current_dir(&dir)
            .env("DOSSIER_LANG", "en")
            .env("DOSSIER_CACHE_MAX", max)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let photos = dir.join("out/.dossier-cache/photos");
    let entries = || -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = photos.read_dir().unwrap().flatten().map(|e| e.path()).collect();
        v.sort();
        v
    };
    build("150", "2GB");
    build("120", "2GB");
    let old = entries();
    assert_eq!(old.len(), 2, "{old:?}");
    // Both used a day ago: fair game once the cache is over its bound.
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for p in &old {
        std::fs::File::options().append(true).open(p).unwrap().set_modified(day_ago).unwrap();
    }
    build("100", "1KB");
    let now = entries();
    assert_eq!(now.len(), 1, "old entries kept past the bound: {now:?}");
    assert!(!old.contains(&now[0]), "the entry this build used was removed");
}
