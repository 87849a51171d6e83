//! What dossier tells its user around a build: the line saying what changed since the last build,
//! `dossier diff` between two builds' manifests, `--json` for programs, `--quiet`, plain progress
//! lines when the output is not a terminal, and the exit codes. Page numbers are checked against
//! the binders themselves, read the way a viewer does.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const NOTICE: &str = "samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf";
const PLAN: &str = "samples/evidence/2022/香港职业教育专家讲座方案.pdf";
const PHOTO: &str = "samples/evidence/2022/photos/IMG_20221109_143015.jpg";

fn outline(with_photo: bool) -> String {
    let mut items = vec![json!({ "title": "通知", "files": ["a.pdf"] })];
    if with_photo {
        items.push(json!({ "title": "讲座照片", "files": ["photo.jpg"] }));
    }
    json!({
        "title": "变化测试",
        "parts": [{ "title": "第一部分 概况", "sections": [
            { "title": "一、领导小组", "evidence": items },
            { "title": "二、合作方案", "evidence": [{ "title": "工作方案", "files": ["c.pdf"] }] }
        ]}]
    })
    .to_string()
}

fn setup(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (from, to) in [(NOTICE, "a.pdf"), (PLAN, "c.pdf"), (PHOTO, "photo.jpg")] {
        std::fs::copy(repo().join(from), dir.join(to)).unwrap();
    }
    std::fs::write(dir.join("dossier.json"), outline(false)).unwrap();
    dir
}

/// The printed numbers of the first and last page of an evidence item, read from the binder's
/// bookmarks and page labels.
fn printed_span(pdf: &Path, title: &str) -> (String, String) {
    let b = Binder::open(pdf);
    let marks = b.bookmarks();
    let i = marks.iter().position(|m| m.1 == title).unwrap_or_else(|| panic!("no bookmark {title}"));
    let end = marks.get(i + 1).map_or(b.pages.len(), |m| m.2);
    let labels = b.labels();
    (labels[marks[i].2].clone(), labels[end - 1].clone())
}

fn parse(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(o)))
}

#[test]
fn a_second_build_says_what_changed_and_diff_lists_it() {
    let dir = setup("changes");
    let o = dossier(&["build", "-o", "out/b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("first build: nothing earlier to compare with"), "{}", stdout(&o));
    let pdf = dir.join("out/b.pdf");
    let plan_before = printed_span(&pdf, "工作方案");

    // The office adds a photo before the 工作方案: its pages move back by one.
    std::fs::write(dir.join("dossier.json"), outline(true)).unwrap();
    let o = dossier(&["build", "-o", "out/b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let plan_after = printed_span(&pdf, "工作方案");
    let photo = printed_span(&pdf, "讲座照片");
    let n: u32 = plan_after.0.parse::<u32>().unwrap() - plan_before.0.parse::<u32>().unwrap();
    assert!(n >= 1, "the 工作方案 did not move: {plan_before:?} → {plan_after:?}");
    let moved_pages = source_pages(&dir.join("c.pdf")).unwrap();
    assert!(
        stdout(&o).contains(&format!(
            "since the last build: 1 item(s) added, 0 removed, {moved_pages} page(s) now numbered later"
        )),
        "{}",
        stdout(&o)
    );

    // The build kept the manifest it replaced: diff the two.
    let (old, new) = ("out/b.manifest.previous.json", "out/b.manifest.json");
    let o = dossier(&["diff", old, new], &dir);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}{out}", stderr(&o));
    let range = |(a, b): &(String, String)| if a == b { format!("page {a}") } else { format!("pages {a}–{b}") };
    assert!(
        out.contains(&format!("added: 第一部分 概况 › 一、领导小组 › 讲座照片 (photo.jpg), {}", range(&photo))),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "moved: 第一部分 概况 › 二、合作方案 › 工作方案 (c.pdf), {} → {}",
            range(&plan_before),
            range(&plan_after)
        )),
        "{out}"
    );
    assert!(!out.contains("removed:"), "{out}");
    assert!(!out.contains("通知 (a.pdf)"), "the notice did not move: {out}");

    // The same as JSON, and the other way round: the photo removed, pages numbered earlier.
    let d = parse(&dossier(&["diff", "--json", old, new], &dir));
    assert_eq!(d["added"][0]["file"], "photo.jpg");
    assert_eq!(d["moved"][0]["old"], json!([plan_before.0, plan_before.1]));
    assert_eq!(d["moved"][0]["new"], json!([plan_after.0, plan_after.1]));
    assert_eq!(d["pages_later"], moved_pages);
    let o = dossier(&["--lang", "zh", "diff", new, old], &dir);
    let out = stdout(&o);
    assert!(out.contains("删除：第一部分 概况 › 一、领导小组 › 讲座照片（photo.jpg）"), "{out}");
    assert!(out.contains(&format!("合计：新增 0 项，删除 1 项，{moved_pages} 页的页码前移")), "{out}");

    // A binder's PDF stands for the manifest beside it; a file that is no manifest is refused.
    let o = dossier(&["diff", new, "out/b.pdf"], &dir);
    assert!(stdout(&o).contains("in all: no change"), "{}", stdout(&o));
    let o = dossier(&["diff", "dossier.json", new], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a manifest that dossier build wrote"), "{}", stderr(&o));
    let o = dossier(&["diff", "--json", "out/nothing.manifest.json", new], &dir);
    assert_eq!(o.status.code(), Some(1));
    let r = parse(&o);
    assert_eq!(r["diagnostics"][0]["code"], "no_manifest", "{r}");
    assert!(r["diagnostics"][0]["hint"].as_str().unwrap().contains("manifest.previous.json"), "{r}");
}

#[test]
fn json_reports_the_build_and_every_problem() {
    let dir = setup("json");
    let o = dossier(&["build", "--json", "-o", "b.pdf"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "--json prints nothing but the JSON");
    let r = parse(&o);
    let b = Binder::open(&dir.join("b.pdf"));
    assert_eq!(r["ok"], true);
    assert_eq!(r["pages"], b.pages.len());
    assert_eq!(r["body_pages"].as_u64().unwrap() + r["front_pages"].as_u64().unwrap(), b.pages.len() as u64);
    assert!(Path::new(r["output"].as_str().unwrap()).ends_with("b.pdf"));
    assert_eq!(r["warnings"], json!([]));
    assert!(r["timings"]["sources"].as_f64().is_some() && r["timings"]["assemble"].as_f64().is_some());
    assert_eq!(r["changes"]["first_build"], true);

    // Two problems: a missing scan and pages the file does not have.
    let bad = json!({
        "title": "问题测试",
        "parts": [{ "title": "第一部分", "sections": [{ "title": "一、材料", "evidence": [
            { "title": "会议纪要", "files": ["扫描件/纪要.pdf"] },
            { "title": "通知", "files": [{ "path": "a.pdf", "pages": "1-99" }] }
        ]}]}]
    });
    std::fs::write(dir.join("dossier.json"), bad.to_string()).unwrap();
    let before = std::fs::read(dir.join("b.pdf")).unwrap();
    for lang in ["en", "zh"] {
        let o = dossier(&["--lang", lang, "build", "--json", "-o", "b.pdf"], &dir);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        let r = parse(&o);
        assert_eq!(r["ok"], false);
        assert_eq!(r["errors"], 2);
        let d = r["diagnostics"].as_array().unwrap();
        let missing = d.iter().find(|d| d["code"] == "missing_file").expect("missing file reported");
        assert_eq!(missing["severity"], "error");
        assert_eq!(missing["entry"], json!(["第一部分", "一、材料", "会议纪要"]));
        assert!(missing["file"].as_str().unwrap().ends_with("扫描件/纪要.pdf"), "{missing}");
        let pages = d.iter().find(|d| d["code"] == "page_out_of_range").expect("pages reported");
        assert_eq!(pages["entry"], json!(["第一部分", "一、材料", "通知"]));
        let (message, hint) = (missing["message"].as_str().unwrap(), missing["hint"].as_str().unwrap());
        if lang == "zh" {
            assert_eq!(message, "文件不存在");
            assert!(hint.contains("请检查"), "{hint}");
        } else {
            assert_eq!(message, "the file does not exist");
            assert!(hint.contains("check the path"), "{hint}");
        }
    }
    assert_eq!(std::fs::read(dir.join("b.pdf")).unwrap(), before, "a failed build touched the binder");

    let o = dossier(&["check", "--json"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(parse(&o)["errors"], 2);

    // A binder that cannot be written (its folder would be a file) is reported the same way.
    std::fs::write(dir.join("dossier.json"), outline(false)).unwrap();
    let o = dossier(&["build", "--json", "-o", "a.pdf/b.pdf"], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let r = parse(&o);
    assert_eq!((r["ok"].clone(), r["errors"].clone()), (json!(false), json!(1)));
    assert_eq!(r["diagnostics"][0]["code"], "output");
    assert!(r["diagnostics"][0]["message"].as_str().unwrap().contains("a.pdf/b.pdf"), "{r}");
}

#[test]
fn quiet_says_nothing_unless_something_is_wrong() {
    let dir = setup("quiet");
    let o = dossier(&["build", "--quiet", "-o", "b.pdf"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!((stdout(&o).as_str(), stderr(&o).as_str()), ("", ""));
    assert!(dir.join("b.pdf").is_file());
    let o = dossier(&["check", "-q"], &dir);
    assert_eq!((o.status.code(), stdout(&o).as_str(), stderr(&o).as_str()), (Some(0), "", ""));

    std::fs::remove_file(dir.join("c.pdf")).unwrap();
    let o = dossier(&["build", "-q", "-o", "b.pdf"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: the file does not exist") && stderr(&o).contains("c.pdf"), "{}", stderr(&o));
}

#[test]
fn progress_off_a_terminal_is_one_plain_line_a_stage() {
    let dir = setup("progress");
    let o = dossier(&["build", "-o", "b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\x1b') && !err.contains('\r'), "escape codes in a pipe: {err:?}");
    let lines: Vec<&str> = err.lines().collect();
    let body = Binder::open(&dir.join("b.pdf")).labels().iter().filter(|l| l.parse::<u32>().is_ok()).count();
    let want = [
        "reading dossier.json: ".to_string(),
        "reading the evidence files: 2 file(s), ".to_string(),
        "laying out the pages: ".to_string(),
        "drawing cover, contents and narrative: ".to_string(),
        format!("writing the binder: {body} body page(s), "),
    ];
    assert_eq!(lines.len(), want.len(), "{err}");
    for (line, start) in lines.iter().zip(&want) {
        assert!(line.starts_with(start.as_str()) && line.ends_with(" s"), "{line:?} is not {start:?}…");
    }
    let o = dossier(&["--lang", "zh", "check", "-v"], &dir);
    assert!(stderr(&o).contains("读取佐证文件：2 个文件，用时"), "{}", stderr(&o));
    // The timings -v adds are in Chinese too, one line a stage.
    let timing =
        stderr(&o).lines().any(|l| l.starts_with("读取佐证文件：") && !l.contains("用时") && l.ends_with(" 秒"));
    assert!(timing, "check -v gives no timings: {}", stderr(&o));
    let o = dossier(&["check", "-v"], &dir);
    assert!(stderr(&o).contains("   sources: "), "check -v gives no timings: {}", stderr(&o));
}

/// On a terminal the bar redraws one line in place. `script` (util-linux) gives the build a
/// terminal; without it there is nothing to check this with.
#[test]
fn progress_on_a_terminal_is_a_bar() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to run dossier on a terminal");
        return;
    }
    let dir = setup("progress-tty");
    let cmd = format!("{} --lang en build -o b.pdf", env!("CARGO_BIN_EXE_dossier"));
    let o = std::process::Command::new("script").args(["-qec", &cmd, "/dev/null"]).current_dir(&dir).output().unwrap();
    let seen = stdout(&o);
    assert!(o.status.success(), "{seen}");
    assert!(seen.contains("\r\x1b[2K") && seen.contains("reading the evidence files"), "no bar: {seen:?}");
    assert!(!seen.contains("reading the evidence files: 2 file(s)"), "plain lines on a terminal: {seen:?}");
    assert!(seen.contains("wrote b.pdf ("), "{seen:?}");
}

#[test]
fn usage_mistakes_exit_with_2() {
    let dir = setup("usage");
    for args in [
        &["build", "--bogus"][..],
        &["build", "--quiet", "--json"],
        &["diff", "only-one.json"],
        &["build", "--photo-dpi", "7"],
        &["build", "--format", "docx", "--max-size", "50MB"],
        &["frobnicate"],
    ] {
        let o = dossier(args, &dir);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error: ") && stderr(&o).contains("--help"), "{args:?}: {}", stderr(&o));
    }
    assert!(!dir.join("build").exists(), "a usage mistake built something");
}
