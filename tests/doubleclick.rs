//! `dossier` with no arguments, as a double-click starts it: it offers to make dossier.json,
//! builds and shows the binder, and on a problem waits for Enter. (The same under Wine in
//! .ci/windows.sh.)

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Run with no arguments in `dir`, in Chinese, `input` typed at the console, and a viewer that
/// writes down what it was asked to show.
fn double_click(dir: &Path, input: &str) -> Output {
    let viewer = dir.join("viewer.sh");
    std::fs::write(&viewer, "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/shown.txt\"\n").unwrap();
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&viewer, executable).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(dir)
        .env("DOSSIER_LANG", "zh")
        .env("DOSSIER_VIEWER", &viewer)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn all(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

#[test]
fn without_a_dossier_it_asks_then_makes_builds_and_shows_one() {
    let dir = scratch("doubleclick-init");
    let part = dir.join("第一部分 建设概况");
    std::fs::create_dir_all(&part).unwrap();
    std::fs::copy(repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf"), part.join("工作方案.pdf"))
        .unwrap();

    // Input closed before Enter: nothing is written.
    let o = double_click(&dir, "");
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("还没有 dossier.json"), "{}", all(&o));
    assert!(!dir.join("dossier.json").exists());

    let o = double_click(&dir, "\n");
    let said = all(&o);
    assert!(o.status.success(), "{said}");
    assert!(dir.join("dossier.json").is_file(), "{said}");
    assert!(said.contains("已生成") && said.contains("Ctrl+C"), "{said}");
    let shown = std::fs::read_to_string(dir.join("shown.txt")).unwrap();
    let shown = Path::new(shown.trim());
    assert!(shown.is_absolute() && shown.extension().is_some_and(|e| e == "pdf"), "{shown:?}");
    assert!(page_texts(shown).iter().any(|p| p.contains("工作方案")), "the binder lacks the file");
}

#[test]
fn a_problem_is_told_and_the_window_waits_for_enter() {
    let dir = scratch("doubleclick-problem");
    std::fs::write(
        dir.join("dossier.json"),
        r#"{"title":"坏","parts":[{"title":"一","evidence":[{"title":"缺","files":["没有.pdf"]}]}]}"#,
    )
    .unwrap();
    let o = double_click(&dir, "\n");
    let said = all(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("文件不存在") && said.contains("没有.pdf"), "{said}");
    assert!(said.contains("按回车键关闭"), "{said}");
    assert!(!dir.join("shown.txt").exists());
}
