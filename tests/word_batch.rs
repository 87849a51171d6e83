//! The Word files of a build go through one LibreOffice start-up. A stand-in soffice (a shell
//! script that logs each start and "converts" by copying a PDF named inside the file) shows how
//! many starts a build makes; a batch that fails falls back to one file at a time, so the file at
//! fault is named by its outline entry, and the binder is the same whichever way the files went.
#![cfg(unix)]

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Something the sniff takes for a Word file, carrying the name of the PDF the stand-in gives for it.
fn docx_like(mark: &str) -> Vec<u8> {
    let mut b = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x11\0\0\0word/document.xml".to_vec();
    b.extend_from_slice(format!("\nMARK-{mark}\n").as_bytes());
    b
}

/// The stand-in soffice: logs its arguments, fails a batch holding a file marked "bad" (and every
/// batch when ONE_AT_A_TIME is set), and writes nothing for a "bad" file alone.
fn fake_soffice(dir: &Path) -> PathBuf {
    let p = dir.join("soffice.sh");
    let script = format!(
        r#"#!/bin/sh
echo "$*" >> '{log}'
out=""; prev=""; n=0; bad=0
for a in "$@"; do
  [ "$prev" = "--outdir" ] && out="$a"
  prev="$a"
  case "$a" in *.docx)
    n=$((n+1))
    grep -q 'MARK-bad' "$a" && bad=1;;
  esac
done
if [ "$n" -gt 1 ] && {{ [ "$bad" = 1 ] || [ -n "$ONE_AT_A_TIME" ]; }}; then exit 1; fi
for a in "$@"; do
  case "$a" in *.docx)
    m=$(grep -ao 'MARK-[a-z0-9]*' "$a" | head -n 1)
    [ "$m" = MARK-bad ] && continue
    cp '{dir}'/"$m.pdf" "$out/$(basename "$a" .docx).pdf";;
  esac
done
"#,
        log = dir.join("starts.log").display(),
        dir = dir.display()
    );
    std::fs::write(&p, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

const SAMPLES: [&str; 3] = [
    "samples/evidence/2023/VTC 来函.pdf",
    "samples/evidence/2024/与香港职业训练局合作经验总结报告.pdf",
    "samples/evidence/2023/香港研修培训课程安排表.pdf",
];

/// A dossier of three Word files (marks a, b, c; `bad` replaces the second's) in `dir`.
fn word_dossier(dir: &Path, second: &str) {
    for (i, s) in SAMPLES.iter().enumerate() {
        std::fs::copy(repo().join(s), dir.join(format!("MARK-{}.pdf", ["a", "b", "c"][i]))).unwrap();
    }
    std::fs::write(dir.join("方案.docx"), docx_like("a")).unwrap();
    std::fs::write(dir.join("名单.docx"), docx_like(second)).unwrap();
    std::fs::write(dir.join("总结.docx"), docx_like("c")).unwrap();
    let d = serde_json::json!({
        "title": "批量转换",
        "parts": [{ "title": "第一部分", "evidence": [
            { "title": "活动方案", "files": ["方案.docx"] },
            { "title": "教师名单", "files": ["名单.docx"] },
            { "title": "工作总结", "files": ["总结.docx"] },
        ] }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
}

fn build(dir: &Path, one_at_a_time: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(["build", "-o", "out/b.pdf"])
        .current_dir(dir)
        .env("DOSSIER_LANG", "en")
        .env("DOSSIER_SOFFICE", dir.join("soffice.sh"))
        .env("XDG_CACHE_HOME", dir.join("user-cache"))
        .env_remove("ONE_AT_A_TIME");
    if one_at_a_time {
        cmd.env("ONE_AT_A_TIME", "1");
    }
    cmd.output().expect("run dossier")
}

fn starts(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("starts.log")).unwrap_or_default().lines().map(str::to_string).collect()
}

#[test]
fn three_word_files_one_start_and_the_same_binder_as_one_at_a_time() {
    let dir = scratch("word-batch");
    fake_soffice(&dir);
    word_dossier(&dir, "b");

    let o = build(&dir, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = starts(&dir);
    assert_eq!(log.len(), 1, "one LibreOffice start for three Word files: {log:?}");
    assert_eq!(log[0].matches(".docx").count(), 3, "{log:?}");
    assert!(log[0].contains("-env:UserInstallation=file://"), "the private profile: {log:?}");
    let text = no_space(&page_texts(&dir.join("out/b.pdf")).join(""));
    for s in SAMPLES {
        let first = no_space(&page_texts(&repo().join(s))[0]);
        let head: String = first.chars().take(12).collect();
        assert!(text.contains(&head), "{s} is not in the binder");
    }
    let batched = std::fs::read(dir.join("out/b.pdf")).unwrap();

    // Cached by content: a second build starts nothing.
    let o = build(&dir, false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(starts(&dir).len(), 1, "a rebuild converted again: {:?}", starts(&dir));

    // The same files converted one at a time (the batch refused): the same binder, byte for byte.
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    std::fs::remove_file(dir.join("starts.log")).unwrap();
    let o = build(&dir, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = starts(&dir);
    assert_eq!(log.len(), 4, "the failed batch, then each file alone: {log:?}");
    assert!(log[1..].iter().all(|l| l.matches(".docx").count() == 1), "{log:?}");
    assert!(std::fs::read(dir.join("out/b.pdf")).unwrap() == batched, "one at a time gave another binder");
}

#[test]
fn a_word_file_that_breaks_the_batch_is_named_by_its_entry() {
    let dir = scratch("word-batch-bad");
    fake_soffice(&dir);
    word_dossier(&dir, "bad");
    // A failed build removes the folders it made; this one was there before.
    std::fs::create_dir_all(dir.join("out/.dossier-cache")).unwrap();

    let o = build(&dir, false);
    assert!(!o.status.success(), "a Word file that cannot be converted must fail the build");
    let err = stderr(&o);
    assert!(err.contains("教师名单") && err.contains("名单.docx"), "the bad file and its entry: {err}");
    assert!(!err.contains("方案.docx") && !err.contains("总结.docx"), "good files blamed: {err}");
    let log = starts(&dir);
    assert_eq!(log.len(), 4, "the batch, then each file alone: {log:?}");
    // The good ones came through and are cached: once the bad file is fixed only it is converted.
    std::fs::write(dir.join("名单.docx"), docx_like("b")).unwrap();
    let o = build(&dir, false);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = starts(&dir);
    assert_eq!(log.len(), 5, "{log:?}");
    assert_eq!(log[4].matches(".docx").count(), 1, "only the fixed file is converted: {log:?}");
}

/// LibreOffice's profile is kept between builds in the user's cache folder (a first start-up
/// spends a tenth of a second writing one), one per build at a time, and not kept after a
/// conversion that failed.
#[test]
fn the_converter_profile_is_kept_between_builds_and_dropped_after_a_failure() {
    let dir = scratch("word-profile");
    fake_soffice(&dir);
    word_dossier(&dir, "b");
    let kept = dir.join("user-cache/dossier/libreoffice-0");
    let profile_of =
        |line: &str| line.split_whitespace().find_map(|a| a.strip_prefix("-env:UserInstallation=")).map(str::to_string);
    assert!(build(&dir, false).status.success());
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    assert!(build(&dir, false).status.success());
    let log = starts(&dir);
    assert_eq!(log.len(), 2, "{log:?}");
    let (first, second) = (profile_of(&log[0]).unwrap(), profile_of(&log[1]).unwrap());
    assert_eq!(first, second, "the profile was not kept");
    assert!(first.ends_with("user-cache/dossier/libreoffice-0"), "{first}");

    // Another build holds the first profile: this one takes the next.
    let lock = std::fs::File::options().write(true).open(dir.join("user-cache/dossier/libreoffice-0.lock")).unwrap();
    lock.lock().unwrap();
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    assert!(build(&dir, false).status.success());
    assert!(profile_of(&starts(&dir)[2]).unwrap().ends_with("libreoffice-1"), "{:?}", starts(&dir));
    drop(lock);

    // A conversion that failed: the profile it used is not used again as it is.
    std::fs::create_dir_all(kept.join("user")).unwrap();
    std::fs::write(dir.join("名单.docx"), docx_like("bad")).unwrap();
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    assert!(!build(&dir, false).status.success());
    assert!(!kept.exists(), "the profile of a failed conversion was kept");
}
