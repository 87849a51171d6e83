//! Bad input: every problem reported at once, in words naming the outline entry and the file, exit
//! code 1, and the previous binder left exactly as it was.

mod common;
use common::*;
use std::path::Path;

fn sample_pdf() -> std::path::PathBuf {
    repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf")
}

fn sample_jpeg() -> std::path::PathBuf {
    repo().join("samples/evidence/2021/photos/IMG_20210412_103522.jpg")
}

fn write_dossier(dir: &Path, items: &[(&str, serde_json::Value)]) {
    let evidence: Vec<serde_json::Value> =
        items.iter().map(|(title, file)| serde_json::json!({ "title": title, "files": [file] })).collect();
    let d = serde_json::json!({
        "title": "测试 binder",
        "output": "out/binder.pdf",
        "parts": [{ "title": "第一部分 测试", "sections": [{ "title": "一、坏文件", "evidence": evidence }] }]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&d).unwrap()).unwrap();
}

#[test]
fn every_bad_file_is_named_and_the_old_binder_survives() {
    let dir = scratch("bad-files");
    let pdf = std::fs::read(sample_pdf()).unwrap();
    let jpeg = std::fs::read(sample_jpeg()).unwrap();
    std::fs::write(dir.join("empty.pdf"), b"").unwrap();
    std::fs::write(dir.join("notes.pdf"), "会议纪要，纯文本".as_bytes()).unwrap();
    std::fs::write(dir.join("old.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]).unwrap();
    std::fs::write(dir.join("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(dir.join("good.pdf"), &pdf).unwrap();
    std::fs::copy(repo().join("tests/fixtures/user-password.pdf"), dir.join("locked.pdf")).unwrap();
    write_dossier(
        &dir,
        &[
            ("缺失的文件", "missing.pdf".into()),
            ("空文件", "empty.pdf".into()),
            ("不是PDF", "notes.pdf".into()),
            ("旧版Word", "old.doc".into()),
            ("半张照片", "cut.jpg".into()),
            ("加密文件", "locked.pdf".into()),
            ("页码越界", serde_json::json!({ "path": "good.pdf", "pages": "2-9" })),
            ("页码写错", serde_json::json!({ "path": "good.pdf", "pages": "一到三" })),
        ],
    );
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let sentinel = b"%PDF-1.4\n% the binder from last week\n%%EOF\n";
    std::fs::write(dir.join("out/binder.pdf"), sentinel).unwrap();

    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for (title, file, says) in [
        ("缺失的文件", "missing.pdf", "does not exist"),
        ("空文件", "empty.pdf", "empty"),
        ("不是PDF", "notes.pdf", "not that kind of file"),
        ("旧版Word", "old.doc", ".docx"),
        ("半张照片", "cut.jpg", "cut short"),
        ("加密文件", "locked.pdf", "password"),
        ("页码越界", "good.pdf", "has 2 page(s)"),
        ("页码写错", "good.pdf", "not understood"),
    ] {
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&format!("› {title}")))
            .unwrap_or_else(|| panic!("no message for {title}:\n{err}"));
        assert!(block.contains(file), "{title}: file not named:\n{block}");
        assert!(block.contains(says), "{title}: expected “{says}”:\n{block}");
        assert!(block.contains("第一部分 测试 › 一、坏文件 ›"), "{title}: entry path missing:\n{block}");
        assert!(block.contains("what to do:"), "{title}: no advice:\n{block}");
    }
    assert_eq!(std::fs::read(dir.join("out/binder.pdf")).unwrap(), sentinel, "the old binder was touched");
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.join("out")).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|n| n == "binder.pdf" || n == ".dossier-cache"), "left behind: {leftovers:?}");

    // `check` finds the same problems and writes nothing.
    let c = dossier(&["check"], &dir);
    assert_eq!(c.status.code(), Some(1));
    assert_eq!(stderr(&c).matches("error:").count(), err.matches("error:").count());
}

#[test]
fn invalid_json_shows_line_and_column() {
    let dir = scratch("bad-json");
    std::fs::write(
        dir.join("dossier.json"),
        "{\n  \"title\": \"测试\",\n  \"parts\": [\n    {\"title\": \"一\" \"text\": []}\n  ]\n}\n",
    )
    .unwrap();
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("line 4, column 19"), "{err}");
    assert!(err.contains("{\"title\": \"一\" \"text\": []}"), "the line itself is shown: {err}");
    assert!(err.contains("dossier.json"), "{err}");
}

#[test]
fn missing_fields_are_all_reported() {
    let dir = scratch("bad-fields");
    std::fs::write(
        dir.join("dossier.json"),
        r#"{"parts": [{"title": "第一部分", "evidence": [{"title": "通知"}, {"files": ["a.pdf"]}]}]}"#,
    )
    .unwrap();
    let o = dossier(&["check"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("`title` is missing"), "{err}");
    assert!(err.contains("`files` is missing") && err.contains("第一部分 › 通知"), "{err}");
    assert!(err.contains("第一部分 › evidence[2]"), "{err}");
}

#[test]
fn a_good_dossier_checks_clean() {
    let o = dossier(&["check"], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn messages_in_chinese_on_request() {
    let dir = scratch("bad-zh");
    write_dossier(&dir, &[("缺失的文件", "missing.pdf".into())]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--lang", "zh", "build"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    for want in [
        "错误：文件不存在",
        "条目：第一部分 测试 › 一、坏文件 › 缺失的文件",
        "文件：missing.pdf",
        "处理办法：",
        "共 1 个问题",
    ] {
        assert!(err.contains(want), "missing “{want}” in:\n{err}");
    }
    // The system's language decides when nothing is said.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .env("DOSSIER_LANG", "zh_CN.UTF-8")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(stderr(&o).contains("错误：文件不存在"), "{}", stderr(&o));
}

#[test]
fn a_failed_build_leaves_no_folder_it_made() {
    let dir = scratch("bad-no-folders");
    std::fs::copy(sample_pdf(), dir.join("good.pdf")).unwrap();
    // No "output": the binder would go to build/<title>.pdf, the cache to build/.dossier-cache.
    let d = serde_json::json!({
        "title": "测试",
        "parts": [{ "title": "第一部分", "evidence": [
            { "title": "通知", "files": ["good.pdf"] },
            { "title": "缺失", "files": ["missing.pdf"] },
        ]}]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    for cmd in ["build", "check"] {
        let o = dossier(&[cmd], &dir);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(!dir.join("build").exists(), "{cmd} left build/ behind");
        assert!(!dir.join(".dossier-cache").exists(), "{cmd} left .dossier-cache behind");
    }
    let o = dossier(&["build", "-o", "a/b/binder.pdf"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dir.join("a").exists(), "a/b/ left behind");
    // Folders that were there before stay, with what they held.
    std::fs::create_dir_all(dir.join("build/.dossier-cache")).unwrap();
    std::fs::write(dir.join("build/keep.txt"), "x").unwrap();
    let o = dossier(&["build"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(dir.join("build/keep.txt").exists() && dir.join("build/.dossier-cache").is_dir());
    // A build that succeeds keeps its folder and its cache.
    std::fs::remove_dir_all(dir.join("build")).unwrap();
    let d = serde_json::json!({ "title": "测试", "parts": [{ "title": "第一部分", "evidence": [{ "title": "通知", "files": ["good.pdf"] }]}] });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("build/测试.pdf").is_file() && dir.join("build/.dossier-cache").is_dir());
}
