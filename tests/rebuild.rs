//! A rebuild takes what earlier builds learnt about unchanged files from `.dossier-cache` (a
//! source PDF's objects without its large streams, a PNG's compressed planes) instead of reading
//! and parsing them again. The binder it writes must be byte for byte the one a build from scratch
//! (`--no-cache`) writes for the same inputs, after evidence is added, removed or reordered and
//! after the style changes; a kept entry that was cut or edited, and a previous binder that was
//! tampered with, change nothing.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;

/// A one-page PDF holding `jpeg` as its page, the way scanner software and img2pdf write one: the
/// JPEG's own bytes as a DCT image, far past the size that is left in the file while copying.
fn scan_pdf(jpeg: &[u8], w: u32, h: u32) -> Vec<u8> {
    let content = "q 595 0 0 842 0 0 cm /Im0 Do Q";
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>"
            .to_vec(),
    ];
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image.extend_from_slice(jpeg);
    image.extend_from_slice(b"\nendstream");
    objs.push(image);
    objs.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes());
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).as_bytes(),
    );
    out
}

/// A scanned page's JPEG (a plasma pattern, as busy as a photographed page), seeded.
fn scan_jpeg(dir: &Path, seed: u32) -> Vec<u8> {
    let p = dir.join(format!("scan-{seed}.jpg"));
    tool(
        "convert",
        &[
            "-seed",
            &seed.to_string(),
            "-size",
            "600x840",
            "plasma:",
            "+noise",
            "Gaussian",
            "-quality",
            "85",
            &p.to_string_lossy(),
        ],
    );
    let jpeg = std::fs::read(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    assert!(jpeg.len() > 100_000, "the scan is too small to be left in its file while copying");
    jpeg
}

fn scan(dir: &Path, name: &str, seed: u32) {
    let jpeg = scan_jpeg(dir, seed);
    std::fs::write(dir.join("evidence").join(name), scan_pdf(&jpeg, 600, 840)).unwrap();
}

const PHOTO: &str = "samples/evidence/2023/photos/IMG_20230710_091844.jpg";

/// Evidence of every kind a rebuild keeps something of: real PDFs, scans, a photo, a PNG.
fn evidence(dir: &Path) {
    let ev = dir.join("evidence");
    std::fs::create_dir_all(&ev).unwrap();
    for i in 1..=3 {
        scan(dir, &format!("扫描件{i}.pdf"), i);
    }
    for f in ["2023/VTC 来函.pdf", "2024/与香港职业训练局合作经验总结报告.pdf", "2023/香港研修培训课程安排表.pdf"]
    {
        let name = Path::new(f).file_name().unwrap();
        std::fs::copy(repo().join("samples/evidence").join(f), ev.join(name)).unwrap();
    }
    std::fs::copy(repo().join(PHOTO), ev.join("活动照片.jpg")).unwrap();
    // A screenshot with transparency: colour and alpha planes, both compressed.
    tool(
        "convert",
        &[
            "-size",
            "320x200",
            "gradient:#c03030-#3030c0",
            "(",
            "-size",
            "320x200",
            "gradient:white-gray20",
            ")",
            "-alpha",
            "off",
            "-compose",
            "CopyOpacity",
            "-composite",
            &ev.join("截图.png").to_string_lossy(),
        ],
    );
    // A two-page fax scan (G4 TIFF), whose strips are recoded for the PDF.
    tool(
        "convert",
        &[
            "-size",
            "600x800",
            "xc:white",
            "-fill",
            "black",
            "-draw",
            "rectangle 50,50 300,300",
            "(",
            "-size",
            "600x800",
            "xc:white",
            "-fill",
            "black",
            "-draw",
            "circle 300,400 300,600",
            ")",
            "-monochrome",
            "-compress",
            "Group4",
            &ev.join("传真.tif").to_string_lossy(),
        ],
    );
}

fn dossier_json(items: &[(&str, &str)], style: Value) -> Value {
    let evidence: Vec<Value> =
        items.iter().map(|(title, file)| json!({ "title": title, "files": [format!("evidence/{file}")] })).collect();
    let half = evidence.len() / 2;
    json!({
        "title": "复建测试",
        "style": style,
        "parts": [
            { "title": "第一部分 概况", "text": ["学校高度重视，成立专项工作小组。"], "evidence": evidence[..half] },
            { "title": "第二部分 分年度情况", "sections": [
                { "title": "一、2023 年", "text": ["各专业部认真组织落实。"], "evidence": evidence[half..] },
            ] },
        ]
    })
}

const ITEMS: [(&str, &str); 8] = [
    ("扫描件一", "扫描件1.pdf"),
    ("来函", "VTC 来函.pdf"),
    ("活动照片", "活动照片.jpg"),
    ("总结报告", "与香港职业训练局合作经验总结报告.pdf"),
    ("扫描件二", "扫描件2.pdf"),
    ("截图", "截图.png"),
    ("传真", "传真.tif"),
    ("课程安排", "香港研修培训课程安排表.pdf"),
];

/// Build into out/ (its cache as earlier builds left it); how many source files the cache spared
/// reading, from the build's report.
fn rebuild(dir: &Path) -> u64 {
    let o = dossier(&["build", "--json", "-o", "out/b.pdf"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    report["kept"].as_u64().expect("the report says what the cache spared")
}

/// Write the outline, rebuild into out/ and build from scratch into full/; both binders' bytes
/// and what the cache spared the rebuild.
fn both(dir: &Path, d: &Value) -> (Vec<u8>, Vec<u8>, u64) {
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let kept = rebuild(dir);
    let _ = std::fs::remove_dir_all(dir.join("full"));
    let o = dossier(&["build", "--no-cache", "--json", "-o", "full/b.pdf"], dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["kept"], 0, "a build from scratch took something from a cache");
    assert!(!dir.join("full/.dossier-cache").exists(), "--no-cache kept a cache");
    (std::fs::read(dir.join("out/b.pdf")).unwrap(), std::fs::read(dir.join("full/b.pdf")).unwrap(), kept)
}

fn kept(dir: &Path, sub: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("out/.dossier-cache").join(sub))
        .map(|r| r.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "bin")).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn assert_same(rebuilt: &[u8], full: &[u8], what: &str) {
    assert!(
        rebuilt == full,
        "{what}: the rebuild differs from a full build ({} and {} bytes)",
        rebuilt.len(),
        full.len()
    );
}

#[test]
fn rebuilds_write_the_binder_a_full_build_writes() {
    let dir = scratch("rebuild-same");
    evidence(&dir);
    let d = dossier_json(&ITEMS, json!({}));
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    assert_eq!(rebuild(&dir), 0, "the first build had nothing to take");
    // The three scans are kept (their images are large streams); so are the screenshot and both
    // pages of the fax.
    let lean = kept(&dir, "lean").len();
    assert!(lean >= 3, "{:?}", kept(&dir, "lean"));
    assert_eq!(kept(&dir, "pictures").len(), 3);
    // Their JPEGs were checked and found whole, and so was every PDF's page content: the rebuild
    // below copies them without reading them through the check again, and must still write the
    // same binder.
    let whole = std::fs::read_dir(dir.join("out/.dossier-cache/lean"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "whole"))
        .count();
    assert!(whole >= lean, "verdicts kept beside {lean} skeletons: {whole}");
    let first = std::fs::read(dir.join("out/b.pdf")).unwrap();
    let (again, full, spared) = both(&dir, &d);
    assert_eq!(spared as usize, lean + 3, "every kept file taken from the cache");
    assert_same(&again, &full, "nothing changed");
    assert!(again == first, "a rebuild with nothing changed gave another binder");
    let pages = Binder::open(&dir.join("out/b.pdf")).pages.len();

    // A scan added in the middle of part two: every object after it moves.
    scan(&dir, "新增扫描件.pdf", 4);
    let mut added = ITEMS.to_vec();
    added.insert(5, ("新增扫描件", "新增扫描件.pdf"));
    let (rebuilt, full, spared) = both(&dir, &dossier_json(&added, json!({})));
    assert_same(&rebuilt, &full, "a scan added");
    assert_eq!(spared as usize, lean + 3, "the other files taken from the cache");
    assert_eq!(Binder::open(&dir.join("out/b.pdf")).pages.len(), pages + 1);
    assert!(page_texts(&dir.join("out/b.pdf")).iter().any(|t| no_space(t).contains("新增扫描件")));

    // Evidence removed.
    let removed: Vec<_> = ITEMS.iter().copied().filter(|(t, _)| *t != "来函").collect();
    let (rebuilt, full, _) = both(&dir, &dossier_json(&removed, json!({})));
    assert_same(&rebuilt, &full, "an item removed");

    // Evidence reordered: the same files, cited in another order.
    let mut reordered = ITEMS.to_vec();
    reordered.reverse();
    let (rebuilt, full, _) = both(&dir, &dossier_json(&reordered, json!({})));
    assert_same(&rebuilt, &full, "items reordered");

    // The style changed: numbers centred, every part on an odd page, pages kept at their size.
    let style = json!({ "page_numbers": "centre", "double_sided": true, "page_size": "keep" });
    let (rebuilt, full, spared) = both(&dir, &dossier_json(&ITEMS, style));
    assert_same(&rebuilt, &full, "the style changed");
    assert_eq!(spared as usize, lean + 3);
    tool("qpdf", &["--check", &dir.join("out/b.pdf").to_string_lossy()]);
}

#[test]
fn a_damaged_entry_or_binder_is_never_believed() {
    let dir = scratch("rebuild-tampered");
    evidence(&dir);
    let d = dossier_json(&ITEMS, json!({}));
    let (_, full, _) = both(&dir, &d);
    let lean = kept(&dir, "lean").len();
    assert!(lean >= 3, "the scans are kept");
    let entries = [kept(&dir, "lean"), kept(&dir, "pictures")].concat();
    assert_eq!(entries.len(), lean + 3);
    let whole: Vec<Vec<u8>> = entries.iter().map(|p| std::fs::read(p).unwrap()).collect();

    // Entries cut short, or with a byte changed, as a full disk or a stray edit leaves them.
    for (k, (p, bytes)) in entries.iter().zip(&whole).enumerate() {
        if k % 2 == 0 {
            std::fs::write(p, &bytes[..bytes.len() * 2 / 3]).unwrap();
        } else {
            let mut b = bytes.clone();
            let at = b.len() / 2;
            b[at] ^= 0x01;
            std::fs::write(p, b).unwrap();
        }
    }
    // The previous binder edited and cut short as well: it is never read back.
    let binder = dir.join("out/b.pdf");
    let mut b = std::fs::read(&binder).unwrap();
    let at = b.len() / 2;
    b[at] ^= 0xFF;
    b.truncate(b.len() - 1000);
    std::fs::write(&binder, b).unwrap();

    assert_eq!(rebuild(&dir), 0, "a damaged entry was taken");
    assert_same(&std::fs::read(&binder).unwrap(), &full, "damaged entries");
    // Each damaged entry was read afresh and written whole again.
    for (p, bytes) in entries.iter().zip(&whole) {
        assert!(&std::fs::read(p).unwrap() == bytes, "{} was not written again whole", p.display());
    }

    // A source replaced under the same name: its entry is not the old file's.
    std::thread::sleep(std::time::Duration::from_millis(20));
    scan(&dir, "扫描件1.pdf", 5);
    let (rebuilt, full, spared) = both(&dir, &d);
    assert_same(&rebuilt, &full, "a source replaced");
    assert_eq!(spared as usize, lean + 2, "the replaced scan was read again, the others were not");
    assert_eq!(kept(&dir, "lean").len(), lean + 1, "the replaced scan got an entry of its own");
}

/// A file encrypted with an owner password (printing and copying restricted, as Acrobat and
/// government offices save them) is decrypted once: its objects are kept decrypted, and a rebuild
/// takes them from there and writes the binder a build from scratch writes.
#[test]
fn an_encrypted_source_is_decrypted_once() {
    let dir = scratch("rebuild-encrypted");
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    let plain = repo().join("samples/evidence/2023/VTC 来函.pdf");
    let locked = dir.join("evidence/受限文件.pdf");
    tool(
        "qpdf",
        &["--encrypt", "", "owner", "256", "--print=none", "--", &plain.to_string_lossy(), &locked.to_string_lossy()],
    );
    assert!(std::fs::read(&locked).unwrap().windows(8).any(|w| w == b"/Encrypt"), "qpdf did not encrypt");
    let d = dossier_json(&[("受限文件", "受限文件.pdf")], json!({}));
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    assert_eq!(rebuild(&dir), 0, "the first build had nothing to take");
    assert_eq!(kept(&dir, "lean").len(), 1, "the decrypted objects are kept");
    let (again, full, spared) = both(&dir, &d);
    assert_eq!(spared, 1, "the encrypted file was decrypted again");
    assert_same(&again, &full, "an encrypted source");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// While LibreOffice converts the Word files a cold build prepares the other files on the idle
/// core: the scans' skeletons and verdicts and the PNG's and TIFF's coding are in the cache before
/// the conversion ends. The binder is the one a build without that head start writes, and what
/// was prepared is not reported as kept from an earlier build.
#[cfg(unix)]
#[test]
fn files_are_prepared_while_word_files_convert() {
    let dir = scratch("rebuild-ahead");
    evidence(&dir);
    std::fs::copy(repo().join("samples/evidence/2023/VTC 来函.pdf"), dir.join("word.pdf")).unwrap();
    let mut docx = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x11\0\0\0word/document.xml".to_vec();
    docx.extend_from_slice(b"\n<w:document/>\n");
    std::fs::write(dir.join("evidence/方案.docx"), docx).unwrap();
    // A converter that waits (up to 10 s) for the prepared entries, says what it saw, and then
    // "converts" by copying a PDF.
    let cache = dir.join("out/.dossier-cache");
    let script = format!(
        r#"#!/bin/sh
for i in $(seq 1 100); do
  ls '{lean}'/*.whole >/dev/null 2>&1 && ls '{pictures}'/*.bin >/dev/null 2>&1 && break
  sleep 0.1
done
ls '{lean}' '{pictures}' > '{seen}' 2>&1
prev=""; out=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
for a in "$@"; do case "$a" in *.docx) cp '{word}' "$out/$(basename "$a" .docx).pdf";; esac; done
"#,
        lean = cache.join("lean").display(),
        pictures = cache.join("pictures").display(),
        seen = dir.join("seen.txt").display(),
        word = dir.join("word.pdf").display()
    );
    let soffice = dir.join("soffice.sh");
    std::fs::write(&soffice, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&soffice, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut items = ITEMS.to_vec();
    items.insert(2, ("活动方案", "方案.docx"));
    std::fs::write(dir.join("dossier.json"), dossier_json(&items, json!({})).to_string()).unwrap();

    let build = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(&dir)
            .env("DOSSIER_LANG", "en")
            .env("DOSSIER_SOFFICE", &soffice)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["kept"].as_u64().unwrap()
    };
    assert_eq!(build(&["build", "--json", "-o", "out/b.pdf"]), 0, "prepared files were reported as kept");
    let seen = std::fs::read_to_string(dir.join("seen.txt")).unwrap();
    assert!(seen.contains(".whole") && seen.contains(".bin"), "nothing was prepared during the conversion:\n{seen}");
    let first = std::fs::read(dir.join("out/b.pdf")).unwrap();
    // Converted again, now with everything kept: nothing left to prepare, the same binder.
    std::fs::remove_dir_all(cache.join("docx")).unwrap();
    assert!(build(&["build", "--json", "-o", "out/b.pdf"]) > 0, "the rebuild took nothing from the cache");
    assert_same(&std::fs::read(dir.join("out/b.pdf")).unwrap(), &first, "prepared ahead or kept");
    assert!(page_texts(&dir.join("out/b.pdf")).iter().any(|t| no_space(t).contains("VTC")));
}
