//! Inputs that must fail cleanly, each judged by the independent checker's `--bad` mode
//! (../shared/tools/verify_binder.py): exit code non-zero, no panic, a message naming the outline
//! entry, the file and the problem, and the previous binder byte-identical. Plus the limits that
//! need a setting: the picture size limit and the Word conversion timeout.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PDF written object by object with a correct cross-reference table.
fn pdf_by_hand(objects: &[(u32, String)]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![0usize; objects.iter().map(|o| o.0).max().unwrap_or(0) as usize + 1];
    for (n, body) in objects {
        offsets[*n as usize] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len()).as_bytes());
    for off in &offsets[1..] {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    let trailer = format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len());
    out.extend_from_slice(trailer.as_bytes());
    out
}

fn page_content() -> String {
    let s = "BT /F1 24 Tf 72 700 Td (page) Tj ET";
    format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len())
}

/// A page tree whose second kid is the tree itself.
fn cyclic_pdf() -> Vec<u8> {
    pdf_by_hand(&[
        (1, "<< /Type /Catalog /Pages 2 0 R >>".into()),
        (2, "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".into()),
        (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".into()),
        (4, page_content()),
    ])
}

/// A page tree 5,000 levels deep above its one page.
fn deep_pdf() -> Vec<u8> {
    let depth = 5000;
    let mut objects = vec![(1, "<< /Type /Catalog /Pages 2 0 R >>".to_string())];
    for i in 0..depth {
        objects.push((2 + i, format!("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", 3 + i)));
    }
    let leaf = 2 + depth;
    objects.push((
        leaf,
        format!("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Contents {} 0 R >>", leaf - 1, leaf + 1),
    ));
    objects.push((leaf + 1, page_content()));
    pdf_by_hand(&objects)
}

/// A PNG that declares 60000×60000 pixels in a few dozen bytes.
fn bomb_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60000u32.to_be_bytes());
    ihdr.extend_from_slice(&60000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &[0u8; 4096]).unwrap();
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", b"");
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Something a sniff takes for a Word file; a fake LibreOffice never reads it.
fn docx_like() -> Vec<u8> {
    b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x11\0\0\0word/document.xml".to_vec()
}

/// A LibreOffice that never finishes, and a note of its sleep to look for afterwards.
fn hanging_soffice(dir: &Path) -> PathBuf {
    let p = dir.join("soffice-hangs.sh");
    // Not exec: the shell's child must be ended too.
    std::fs::write(&p, "#!/bin/sh\nsleep 47.31\necho done\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

struct Case {
    name: &'static str,
    title: &'static str,
    file: &'static str,
    /// The file's bytes; None leaves it missing.
    bytes: Option<Vec<u8>>,
    /// The `files` entry, when not the plain file name.
    entry: Option<serde_json::Value>,
    /// The dossier.json text, when the dossier itself is the problem.
    dossier: Option<String>,
    says: &'static [&'static str],
    env: &'static str,
}

fn case(
    name: &'static str,
    title: &'static str,
    file: &'static str,
    bytes: Option<Vec<u8>>,
    says: &'static [&'static str],
) -> Case {
    Case { name, title, file, bytes, entry: None, dossier: None, says, env: "" }
}

fn cases(dir: &Path) -> Vec<Case> {
    let sample =
        std::fs::read(repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf")).unwrap();
    let jpeg = std::fs::read(repo().join("samples/evidence/2021/photos/IMG_20210412_103522.jpg")).unwrap();
    let soffice = hanging_soffice(dir);
    let soffice_env: &'static str =
        Box::leak(format!("DOSSIER_SOFFICE='{}' DOSSIER_CONVERT_TIMEOUT=2", soffice.display()).into_boxed_str());
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    vec![
        case("missing", "缺失的文件", "没有 这个.pdf", None, &["does not exist"]),
        case("zero-byte", "空文件", "empty.pdf", Some(Vec::new()), &["empty (0 bytes)"]),
        case(
            "truncated-pdf",
            "下载不完整",
            "cut.pdf",
            Some(sample[..400].to_vec()),
            &["cut short", "none of its pages"],
        ),
        case(
            "user-password",
            "加密文件",
            "locked.pdf",
            Some(std::fs::read(repo().join("tests/fixtures/user-password.pdf")).unwrap()),
            &["this PDF needs a password to open"],
        ),
        case("truncated-jpeg", "半张照片", "cut.jpg", Some(jpeg[..jpeg.len() / 2].to_vec()), &["cut short"]),
        case(
            "unknown-kind",
            "纯文本",
            "notes.txt",
            Some("会议纪要".as_bytes().to_vec()),
            &[".txt files are not supported"],
        ),
        case(
            "legacy-doc",
            "旧版Word",
            "old.doc",
            Some(vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            &["save it as .docx"],
        ),
        Case {
            env: "DOSSIER_HEIF_CONVERT=/nonexistent/heif-convert",
            ..case(
                "heic-no-converter",
                "苹果照片",
                "IMG_0001.HEIC",
                Some(heic.clone()),
                &["HEIC", "heif-convert", "libheif-examples", "export it as JPEG"],
            )
        },
        // With heif-convert it cannot be converted; without, it is refused as above.
        case("heic-damaged", "苹果照片", "IMG_0002.HEIC", Some(heic), &["HEIC", "JPEG"]),
        Case {
            entry: Some(serde_json::json!({ "path": "two.pdf", "pages": "2-9" })),
            ..case(
                "selector-out-of-range",
                "页码越界",
                "two.pdf",
                Some(sample.clone()),
                &["asks for page 9", "2 page(s)"],
            )
        },
        Case {
            entry: Some(serde_json::json!({ "path": "two.pdf", "pages": "一到三" })),
            ..case("selector-malformed", "页码写错", "two.pdf", Some(sample.clone()), &["not understood"])
        },
        case("bomb", "超大图片", "bomb.png", Some(bomb_png()), &["too large", "60000×60000", "--max-pixels"]),
        case("cyclic", "循环页面树", "cyclic.pdf", Some(cyclic_pdf()), &["its list of pages loops back on itself"]),
        case("deep", "嵌套过深", "deep.pdf", Some(deep_pdf()), &["nested more than 256 levels"]),
        Case {
            env: soffice_env,
            ..case(
                "soffice-hangs",
                "Word文件",
                "名单.docx",
                Some(docx_like()),
                &["did not finish within 2 s", "DOSSIER_CONVERT_TIMEOUT"],
            )
        },
        Case {
            env: "DOSSIER_SOFFICE=/nonexistent/soffice",
            ..case(
                "soffice-missing",
                "Word文件",
                "名单.docx",
                Some(docx_like()),
                &["LibreOffice is needed", "DOSSIER_SOFFICE"],
            )
        },
        Case {
            dossier: Some(
                "{\n  \"title\": \"测试\",\n  \"parts\": [\n    {\"title\": \"一\" \"text\": []}\n  ]\n}\n".into(),
            ),
            ..case("invalid-json", "", "dossier.json", None, &["line 4, column 19", "{\"title\": \"一\" \"text\": []}"])
        },
        Case {
            dossier: Some(
                r#"{"title": "测试", "parts": [{"title": "第一部分", "evidence": [{"title": "通知"}]}]}"#.into(),
            ),
            ..case("missing-field", "", "dossier.json", None, &["`files` is missing", "第一部分 › 通知"])
        },
    ]
}

#[test]
fn every_bad_input_passes_the_checkers_bad_mode() {
    let shared = repo().join("../shared");
    let checker = shared.join("tools/verify_binder.py");
    if !checker.is_file() {
        eprintln!("skipped: {} is not present next to the repository", checker.display());
        return;
    }
    let root = scratch("bad-intake");
    let bin = env!("CARGO_BIN_EXE_dossier");
    let mut failed = Vec::new();
    for c in cases(&root) {
        let dir = root.join(c.name);
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(b) = &c.bytes {
            std::fs::write(dir.join(c.file), b).unwrap();
        }
        let text = c.dossier.clone().unwrap_or_else(|| {
            let file = c.entry.clone().unwrap_or_else(|| c.file.into());
            let d = serde_json::json!({
                "title": "坏输入",
                "parts": [{ "title": "第一部分", "sections": [{ "title": "一、材料",
                    "evidence": [{ "title": c.title, "files": [file] }] }] }]
            });
            serde_json::to_string_pretty(&d).unwrap()
        });
        std::fs::write(dir.join("dossier.json"), text).unwrap();
        // The message names the entry from the part down, and the file.
        let mut must: Vec<String> = c.says.iter().map(|s| s.to_string()).collect();
        if c.dossier.is_none() {
            must.push(format!("第一部分 › 一、材料 › {}", c.title));
        }
        must.push(c.file.to_string());
        let expected = serde_json::json!({ "bad": c.name, "must_mention": must });
        std::fs::write(dir.join("expected.json"), expected.to_string()).unwrap();

        let template = format!("{} '{bin}' build {{dossier}} -o {{out}}", c.env);
        let started = std::time::Instant::now();
        let o = Command::new("python3")
            .arg(&checker)
            .arg("--bad")
            .arg(&dir)
            .arg(&template)
            .env("DOSSIER_LANG", "en")
            .output()
            .expect("python3 runs the checker");
        let report = String::from_utf8_lossy(&o.stdout);
        if !o.status.success() || !report.contains("4 passed, 0 failed") {
            failed.push(format!("{}:\n{report}{}", c.name, String::from_utf8_lossy(&o.stderr)));
        }
        assert!(started.elapsed().as_secs() < 60, "{} took {:?}", c.name, started.elapsed());
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // The timed-out conversion left nothing running.
    let left = Command::new("pgrep").args(["-f", "sleep 47.31"]).output().expect("pgrep");
    assert!(
        left.stdout.is_empty(),
        "the hanging converter was left running: {}",
        String::from_utf8_lossy(&left.stdout)
    );
}

#[test]
fn the_picture_size_limit_can_be_raised() {
    let dir = scratch("bad-intake-limit");
    std::fs::write(dir.join("huge.png"), bomb_png()).unwrap();
    let d = serde_json::json!({
        "title": "大图", "output": "out/binder.pdf",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "航拍", "files": ["huge.png"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("the limit is 300 million pixels") && err.contains("--max-pixels"), "{err}");
    // The limit is the user's: lowered, an ordinary picture is refused, by `check` too; raised
    // above it, the picture builds.
    let photo = dir.join("photo.png");
    let px: Vec<u8> = (0..240 * 120).flat_map(|i| [(i % 240) as u8, 80, 160]).collect();
    let mut png = Vec::new();
    let mut enc = png::Encoder::new(&mut png, 240, 120);
    enc.set_color(png::ColorType::Rgb);
    enc.write_header().unwrap().write_image_data(&px).unwrap();
    std::fs::write(&photo, &png).unwrap();
    let d = serde_json::json!({
        "title": "照片", "output": "out/binder.pdf",
        "parts": [{ "title": "第一部分", "evidence": [{ "title": "现场", "files": ["photo.png"] }] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    for cmd in ["check", "build"] {
        let o = dossier(&[cmd, "--max-pixels", "10000"], &dir);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        assert!(err.contains("240×120 pixels; the limit is 10000 pixels"), "{cmd}: {err}");
    }
    let o = dossier(&["build", "--max-pixels", "30000"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("out/binder.pdf").is_file());
}

#[test]
fn check_refuses_what_build_refuses() {
    // A page tree too deep or looping is found when the build opens the file to copy its pages;
    // counting the pages alone does not see it, and check must not pass what build refuses.
    for (name, bytes, code) in [("deep", deep_pdf(), "page_tree_too_deep"), ("cyclic", cyclic_pdf(), "page_tree_loop")]
    {
        let dir = scratch(&format!("check-agrees-{name}"));
        std::fs::write(dir.join("tree.pdf"), &bytes).unwrap();
        let d = serde_json::json!({
            "title": "测试", "output": "out/binder.pdf",
            "parts": [{ "title": "第一部分", "evidence": [{ "title": "坏页面树", "files": ["tree.pdf"] }] }]
        });
        std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
        for cmd in ["check", "build", "check"] {
            let o = dossier(&[cmd, "--json"], &dir);
            assert_eq!(o.status.code(), Some(1), "{name}: {cmd} passed: {}", stdout(&o));
            let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            assert_eq!(r["diagnostics"][0]["code"], code, "{name}: {cmd}: {r}");
            assert_eq!(r["diagnostics"][0]["file"], "tree.pdf", "{name}: {cmd}: {r}");
        }
    }
}
