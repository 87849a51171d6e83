//! With `--lang zh`, everything the office reads is Chinese: every command, its help, its usage
//! mistakes, and every error path it reaches. Latin letters may only spell what the clerk types or
//! sees on screen as it is: file names and paths, option names, codes and numbers, and the short
//! list of names in `ALLOWED` below.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// Words that stay as they are in Chinese text, each for a reason.
const ALLOWED: &[&str] = &[
    // The program and its commands, typed by the clerk.
    "dossier",
    "build",
    "check",
    "watch",
    "diff",
    "init",
    "status",
    "serve",
    "help",
    // Values of options, typed by the clerk (--lang zh, --format docx, --docx-evidence list).
    "zh",
    "en",
    "pdf",
    "docx",
    "images",
    "list",
    // Kinds of files and units, as the office names them.
    // The OCR engine, which the clerk installs by this name.
    "Tesseract",
    "PDF",
    "JPEG",
    "PNG",
    "TIFF",
    "HEIC",
    "DOCX",
    "JSON",
    "ZIP",
    "MB",
    "GB",
    "dpi",
    // Products whose names are not translated, and the README file.
    "Word",
    "WPS",
    "Excel",
    "PowerPoint",
    "OpenDocument",
    "LibreOffice",
    "Ctrl",
    "README",
    // dossier.json's field names, written by the clerk (the spec's and the style's).
    "title",
    "parts",
    "sections",
    "evidence",
    "files",
    "path",
    "pages",
    "text",
    "output",
    "cover",
    "project",
    "chapter",
    "subtitle",
    "organization",
    "date",
    "style",
    "font",
];

/// Phrases shown as they are on screen (a printer's name in Windows' print dialogue).
const PHRASES: &[&str] = &["Microsoft Print to PDF"];

/// The Latin words of `text` that are none of the allowed kinds.
fn latin_words(text: &str, typed: &[&str]) -> Vec<String> {
    let mut text = text.to_string();
    for p in PHRASES {
        text = text.replace(p, " ");
    }
    // What is in ASCII quotes or backticks is a code the clerk writes in dossier.json; what is in
    // Chinese quotes is the clerk's own words said back.
    for (open, close) in [('"', '"'), ('`', '`'), ('“', '”')] {
        let mut kept = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(open) {
            kept.push_str(&rest[..at]);
            let after = &rest[at + open.len_utf8()..];
            rest = after.find(close).map_or("", |end| &after[end + close.len_utf8()..]);
            kept.push(' ');
        }
        kept.push_str(rest);
        text = kept;
    }
    let mut bad = Vec::new();
    let tokens = text.split(|c: char| !(c.is_ascii_alphanumeric() || "._/\\-+:~".contains(c)));
    for token in tokens.filter(|t| !t.is_empty()) {
        // A path, a file name, an option, or a name like DOSSIER_LANG or chars_per_line.
        if token.contains(['.', '/', '\\', '_']) || token.starts_with('-') {
            continue;
        }
        for word in token.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1) {
            // What the clerk typed, said back (a folder's name, a mistyped command).
            if !ALLOWED.contains(&word) && !typed.iter().any(|t| t.contains(word)) {
                bad.push(word.to_string());
            }
        }
    }
    bad
}

/// Run `dossier --lang zh ARGS` in `dir`; its exit code and everything it printed.
fn zh<'a>(args: &[&'a str], dir: &Path) -> (Vec<&'a str>, Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--lang")
        .arg("zh")
        .args(args)
        .current_dir(dir)
        .env("DOSSIER_LANG", "zh")
        .output()
        .expect("run dossier");
    (args.to_vec(), o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// Each output is checked; all offenders are reported at once.
struct Seen(Vec<String>);

impl Seen {
    fn check(&mut self, what: &str, (typed, code, out): (Vec<&str>, Option<i32>, String), want: Option<i32>) -> String {
        assert!(!out.contains("panicked"), "{what}: {out}");
        if let Some(w) = want {
            assert_eq!(code, Some(w), "{what}: {out}");
        }
        // With -v the technical detail is shown as the parsers wrote it, after its own label.
        let shown: String =
            out.lines().filter(|l| !l.trim_start().starts_with("技术细节：")).collect::<Vec<_>>().join("\n");
        let bad = latin_words(&shown, &typed);
        if !bad.is_empty() {
            self.0.push(format!("{what}: {bad:?}\n{out}"));
        }
        out
    }
}

fn sample(rel: &str) -> std::path::PathBuf {
    repo().join("samples/evidence").join(rel)
}

fn write(dir: &Path, name: &str, v: &serde_json::Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(v).unwrap()).unwrap();
}

#[test]
fn the_allow_list_catches_english() {
    assert_eq!(latin_words("错误：the file does not exist", &[]), ["the", "file", "does", "not", "exist"]);
    assert_eq!(latin_words("文件：扫描件/a.pdf，--max-size 50MB，“any thing” \"x y\" 第 3 页 Ctrl+C", &[]).len(), 0);
    assert_eq!(latin_words("没有文件夹 nowhere；有 somewhere", &["nowhere"]), ["somewhere"]);
    assert!(latin_words("用法：dossier build [选项] [大纲文件]", &[]).is_empty());
}

#[test]
fn every_command_and_error_path_speaks_chinese() {
    let dir = scratch("zh-everything");
    let mut seen = Seen(Vec::new());

    // Help and usage mistakes, before any file is read.
    for args in [
        &["--help"][..],
        &["-h"],
        &["build", "--help"],
        &["check", "--help"],
        &["watch", "--help"],
        &["diff", "--help"],
        &["init", "--help"],
        &["status", "--help"],
        &["help"],
        &["help", "build"],
        &["--version"],
    ] {
        seen.check(&format!("{args:?}"), zh(args, &dir), Some(0));
    }
    seen.check("no command", zh(&[], &dir), Some(2));
    for args in [
        &["build", "--bogus"][..],
        &["bild"],
        &["frobnicate"],
        &["diff", "only-one.json"],
        &["build", "--photo-dpi", "7"],
        &["build", "--photo-dpi", "many"],
        &["build", "--max-size", "5XB"],
        &["build", "--format", "rtf"],
        &["build", "--format", "docx", "--max-size", "50MB"],
        &["build", "--quiet", "--json"],
        &["build", "-o"],
        &["build", "a.json", "b.json"],
    ] {
        let out = seen.check(&format!("{args:?}"), zh(args, &dir), Some(2));
        assert!(out.starts_with("错误：") && out.contains("--help"), "{args:?}: {out}");
    }

    // No dossier here.
    for cmd in ["build", "check", "status"] {
        let out = seen.check(cmd, zh(&[cmd], &dir), Some(1));
        assert!(out.contains("这里没有 dossier 文件"), "{out}");
    }
    // diff of manifests that are not there, or are not manifests.
    seen.check("diff missing", zh(&["diff", "a.manifest.json", "b.manifest.json"], &dir), Some(1));
    std::fs::write(dir.join("x.json"), "{}").unwrap();
    seen.check("diff not a manifest", zh(&["diff", "x.json", "x.json"], &dir), Some(1));
    // init on an empty folder, on a missing one.
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    seen.check("init empty", zh(&["init", "empty"], &dir), Some(1));
    seen.check("init missing", zh(&["init", "nowhere"], &dir), Some(1));

    // Bad JSON, and JSON of the wrong shape.
    std::fs::write(dir.join("dossier.json"), "{\n  \"title\": \"测试\"\n  \"parts\": []\n}\n").unwrap();
    for cmd in ["build", "check", "status"] {
        let out = seen.check(&format!("{cmd} bad json"), zh(&[cmd], &dir), Some(1));
        assert!(out.contains("这里少了逗号"), "{out}");
    }
    write(&dir, "dossier.json", &serde_json::json!({ "title": 3, "parts": "none", "style": { "chars_per_line": 5 } }));
    seen.check("wrong shape", zh(&["build"], &dir), Some(1));
    let empty = serde_json::json!({ "title": "测试", "parts": [{ "title": "第一部分", "evidence": [{ "title": "", "files": [] }] }] });
    write(&dir, "dossier.json", &empty);
    seen.check("empty fields", zh(&["build"], &dir), Some(1));

    // Every kind of bad file at once.
    let pdf = std::fs::read(sample("2021/关于成立外事工作领导小组及办公室的通知.pdf")).unwrap();
    let jpeg = std::fs::read(sample("2021/photos/IMG_20210412_103522.jpg")).unwrap();
    std::fs::write(dir.join("good.pdf"), &pdf).unwrap();
    std::fs::write(dir.join("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    std::fs::write(dir.join("empty.pdf"), b"").unwrap();
    std::fs::write(dir.join("junk.pdf"), b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nthis is not a PDF\n").unwrap();
    std::fs::write(dir.join("cut.pdf"), &pdf[..pdf.len() / 3]).unwrap();
    std::fs::write(dir.join("scan.tif"), b"II*\0\x08\0\0\0\xff\xff").unwrap();
    std::fs::write(dir.join("old.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    std::fs::write(dir.join("table.xlsx"), b"PK\x03\x04 not really").unwrap();
    std::fs::write(dir.join("notes.txt"), "纯文本").unwrap();
    std::fs::create_dir_all(dir.join("folder.pdf")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/user-password.pdf"), dir.join("locked.pdf")).unwrap();
    let bad = serde_json::json!({
        "title": "测试",
        "parts": [{ "title": "第一部分 测试", "sections": [{ "title": "一、坏文件", "evidence": [
            { "title": "缺失", "files": ["missing.pdf"] },
            { "title": "半张照片", "files": ["cut.jpg"] },
            { "title": "空文件", "files": ["empty.pdf"] },
            { "title": "不是PDF", "files": ["junk.pdf"] },
            { "title": "半个PDF", "files": ["cut.pdf"] },
            { "title": "坏TIFF", "files": ["scan.tif"] },
            { "title": "旧Word", "files": ["old.doc"] },
            { "title": "表格", "files": ["table.xlsx"] },
            { "title": "文本", "files": ["notes.txt"] },
            { "title": "文件夹", "files": ["folder.pdf"] },
            { "title": "加密", "files": ["locked.pdf"] },
            { "title": "页码写错", "files": [{ "path": "good.pdf", "pages": "一到三" }] },
            { "title": "页码倒序", "files": [{ "path": "good.pdf", "pages": "3-1" }] },
            { "title": "页码越界", "files": [{ "path": "good.pdf", "pages": "2-9" }] },
        ]}]}]
    });
    write(&dir, "dossier.json", &bad);
    for args in [&["build"][..], &["check"], &["status"], &["build", "-q"]] {
        let out = seen.check(&format!("{args:?} bad files"), zh(args, &dir), Some(1));
        assert!(out.contains("加密") && out.contains("需要密码"), "{out}");
    }
    // With -v the parsers' own words are there, after their label.
    let out = seen.check("build -v bad files", zh(&["build", "-v"], &dir), Some(1));
    assert!(out.contains("技术细节："), "{out}");

    // A good dossier: build, build again, check, status, diff, watch.
    let good = serde_json::json!({
        "title": "测试",
        "output": "out/测试.pdf",
        "parts": [{ "title": "第一部分 测试", "sections": [{ "title": "一、材料", "evidence": [
            { "title": "通知", "files": ["good.pdf"] },
            { "title": "照片", "files": ["photo.jpg"] },
        ]}]}]
    });
    std::fs::write(dir.join("photo.jpg"), &jpeg).unwrap();
    write(&dir, "dossier.json", &good);
    let out = seen.check("build", zh(&["build"], &dir), Some(0));
    assert!(out.contains("已生成 out/测试.pdf") && out.contains("首次生成"), "{out}");
    seen.check("build -v", zh(&["build", "-v", "--max-size", "50MB"], &dir), Some(0));
    seen.check("check", zh(&["check", "-v"], &dir), Some(0));
    seen.check("status", zh(&["status"], &dir), Some(0));
    seen.check("diff", zh(&["diff", "out/测试.manifest.previous.json", "out/测试.pdf"], &dir), Some(0));
    seen.check("diff -v", zh(&["diff", "-v", "out/测试.manifest.previous.json", "out/测试.pdf"], &dir), Some(0));
    // The binder cannot be written where a file stands in for its folder.
    seen.check("unwritable", zh(&["build", "-o", "good.pdf/binder.pdf"], &dir), Some(1));
    seen.check("watch", watch_once(&dir), None);

    // init: a folder tree, then again (refused), then --update.
    let tree = dir.join("tree");
    std::fs::create_dir_all(tree.join("第一部分 测试/一、材料")).unwrap();
    std::fs::write(tree.join("第一部分 测试/一、材料/通知.pdf"), &pdf).unwrap();
    std::fs::write(tree.join("第一部分 测试/一、材料/旧.doc"), b"x").unwrap();
    std::fs::write(tree.join("散落.pdf"), &pdf).unwrap();
    seen.check("init", zh(&["init", "tree"], &dir), Some(0));
    seen.check("init again", zh(&["init", "tree"], &dir), Some(1));
    std::fs::write(tree.join("第一部分 测试/一、材料/新.pdf"), &pdf).unwrap();
    seen.check("init --update", zh(&["init", "--update", "tree"], &dir), Some(0));

    assert!(seen.0.is_empty(), "English in Chinese output:\n\n{}", seen.0.join("\n\n"));
}

/// `dossier watch`, stopped once its first build has been told.
fn watch_once(dir: &Path) -> (Vec<&'static str>, Option<i32>, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--lang", "zh", "watch"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dossier watch");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut out = String::new();
    // The first build's line, then the line comparing it with the build before.
    for _ in 0..2 {
        match lines.next() {
            Some(Ok(l)) => out.push_str(&format!("{l}\n")),
            _ => break,
        }
    }
    let _ = child.kill();
    let o = child.wait_with_output().expect("watch output");
    out.push_str(&String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("正在监视文件变化"), "{out}");
    (vec![], None, out)
}
