//! The office's workflow around the binder: `dossier init` turns the folder tree of scans into
//! dossier.json (and `--update` adds new scans to it), `dossier status` says how far the binder has
//! come. Each result is read back the way a reviewer would.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const P1: &str = "第一部分 四年建设概况及成效";
const P2: &str = "第二部分 分年度建设完成情况";

fn sample(rel: &str) -> PathBuf {
    repo().join("samples/evidence").join(rel)
}

fn put(root: &Path, rel: &str, from: &str) {
    let to = root.join(rel);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(sample(from), &to).unwrap_or_else(|e| panic!("copy {from}: {e}"));
}

/// A binder's folder as an office files it, created out of order (a listing's order means nothing).
fn make_tree(root: &Path) {
    std::fs::create_dir_all(root).unwrap();
    let files = [
        (format!("{P2}/二、2022 年/10.学生线上交流/公众号推文截图.png"), "2021/宣传资料 中港交流 公众号推文截图.png"),
        (format!("{P1}/十一、推进书证融通/实施方案.pdf"), "2024/“1+X”证书制度试点与书证融通实施方案.pdf"),
        (format!("{P1}/一、建立领导工作小组/合作办学教学团队名单.docx"), "2021/合作办学教学团队 名单.docx"),
        (format!("{P2}/二、2022 年/1.专家讲座/照片10.jpg"), "2022/photos/IMG_20221109_151240.jpg"),
        (format!("{P1}/十、组织教师赴港研修/研修结业证书.TIF"), "2023/研修结业证书 扫描.tif"),
        (
            format!("{P2}/二、2022 年/2.签订合作协议/合作协议.pdf"),
            "2021/深圳市龙岗职业技术学校与香港合作办学管理办法（试行）.pdf",
        ),
        (
            format!("{P1}/一、建立领导工作小组/关于成立外事工作领导小组的通知.pdf"),
            "2021/关于成立外事工作领导小组及办公室的通知.pdf",
        ),
        (format!("{P2}/一、2021 年/2.制定合作方案/工作方案.pdf"), "2022/香港职业教育专家讲座方案.pdf"),
        (format!("{P2}/二、2022 年/1.专家讲座/照片2.jpg"), "2022/photos/IMG_20221109_143015.jpg"),
        (format!("{P1}/三、邀请专家讲座/讲座报道.pdf"), "2022/香港职业教育专家讲座报道.pdf"),
        (format!("{P2}/一、2021 年/1.建立领导工作小组/通知.pdf"), "2021/关于成立外事工作领导小组及办公室的通知.pdf"),
        (
            format!("{P1}/二、制定合作方案/合作办学管理办法.pdf"),
            "2021/深圳市龙岗职业技术学校与香港合作办学管理办法（试行）.pdf",
        ),
        (format!("{P2}/二、2022 年/1.专家讲座/照片1.jpg"), "2022/photos/IMG_20221216 交流研讨会.jpg"),
        // Never evidence: an old binder in build/, what Windows and Word leave behind.
        ("build/旧装订本.pdf".to_string(), "2022/香港职业教育专家讲座报道.pdf"),
    ];
    for (to, from) in &files {
        put(root, to, from);
    }
    std::fs::write(root.join(format!("{P1}/二、制定合作方案/说明.txt")), "扫描件稍后补充").unwrap();
    std::fs::write(root.join(format!("{P1}/一、建立领导工作小组/Thumbs.db")), b"\0").unwrap();
    std::fs::write(root.join(format!("{P1}/一、建立领导工作小组/~$作办学教学团队名单.docx")), b"\0").unwrap();
    std::fs::write(root.join(format!("{P2}/.hidden.pdf")), b"\0").unwrap();
}

/// The outline the tree above must give: (depth, title), evidence one level below its section.
fn expected_outline() -> Vec<(usize, String)> {
    let t = [
        (0, P1),
        (1, "一、建立领导工作小组"),
        (2, "关于成立外事工作领导小组的通知"),
        (2, "合作办学教学团队名单"),
        (1, "二、制定合作方案"),
        (2, "合作办学管理办法"),
        (1, "三、邀请专家讲座"),
        (2, "讲座报道"),
        (1, "十、组织教师赴港研修"),
        (2, "研修结业证书"),
        (1, "十一、推进书证融通"),
        (2, "实施方案"),
        (0, P2),
        (1, "一、2021 年"),
        (2, "1.建立领导工作小组"),
        (3, "通知"),
        (2, "2.制定合作方案"),
        (3, "工作方案"),
        (1, "二、2022 年"),
        (2, "1.专家讲座"),
        (3, "照片1"),
        (3, "照片2"),
        (3, "照片10"),
        (2, "2.签订合作协议"),
        (3, "合作协议"),
        (2, "10.学生线上交流"),
        (3, "公众号推文截图"),
    ];
    t.iter().map(|(d, s)| (*d, s.to_string())).collect()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Every evidence file path written in a dossier, in order.
fn files_of(json: &Value) -> Vec<String> {
    fn walk(n: &Value, out: &mut Vec<String>) {
        for e in n["evidence"].as_array().into_iter().flatten() {
            for f in e["files"].as_array().unwrap() {
                out.push(f.as_str().map_or_else(|| f["path"].as_str().unwrap().to_string(), str::to_string));
            }
        }
        for s in n["sections"].as_array().into_iter().flatten() {
            walk(s, out);
        }
    }
    let mut out = Vec::new();
    for p in json["parts"].as_array().unwrap() {
        walk(p, &mut out);
    }
    out
}

#[test]
fn init_turns_the_folder_tree_into_a_binder() {
    let dir = scratch("init-tree");
    let name = "9.2 搭建香港职业教育合作交流平台";
    let folder = dir.join(name);
    make_tree(&folder);

    let o = dossier(&["init", name], &dir);
    let out = stdout(&o);
    assert!(o.status.success(), "init failed: {}{out}", stderr(&o));
    assert!(out.contains(&format!("skipped {P1}/二、制定合作方案/说明.txt: not a PDF, picture or Word file")), "{out}");
    assert!(out.contains("wrote dossier.json: 2 parts, 12 sections, 13 evidence items; skipped 1 file"), "{out}");
    assert!(out.contains("cover"), "no hint about the cover: {out}");

    let json = read_json(&folder.join("dossier.json"));
    assert_eq!(json["title"], name, "the title is the folder's name");
    assert!(json.get("cover").is_none(), "cover fields are the user's to write");
    assert_eq!(outline_of(&json), expected_outline(), "outline differs from the folder tree");
    let files = files_of(&json);
    assert_eq!(files.len(), 13);
    for f in &files {
        assert!(!f.contains('\\') && (f.starts_with(P1) || f.starts_with(P2)), "not relative with /: {f}");
        assert!(folder.join(f).is_file(), "{f} does not name a file");
    }
    assert!(files.contains(&format!("{P1}/十、组织教师赴港研修/研修结业证书.TIF")));

    // The binder, built to its default place, as a reviewer checks it.
    let o = dossier(&["build"], &folder);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let pdf = folder.join("build").join(format!("{name}.pdf"));
    let b = Binder::open(&pdf);
    let (_, body_start) = assert_labels(&b);
    // What the build said: pages = cover + contents + body.
    let said = stdout(&o);
    assert!(
        said.contains(&format!(
            "({} pages: cover, {} contents, {} body)",
            b.pages.len(),
            body_start - 1,
            b.pages.len() - body_start
        )),
        "{said}"
    );
    // Bookmarks: 目录, then exactly the folder tree.
    let marks = b.bookmarks();
    let tree: Vec<(usize, String)> = marks[1..].iter().map(|(d, t, _)| (*d, t.clone())).collect();
    assert_eq!(tree, expected_outline(), "bookmarks differ from the folder tree");
    // Every evidence item holds all pages of its file, read independently of dossier.
    let spans = evidence_spans(&b, &json);
    for ((title, pages), file) in spans.iter().zip(&files) {
        match source_pages(&folder.join(file)) {
            Some(n) => assert_eq!(*pages, n, "pages of {title} ({file})"),
            None => assert!(*pages >= 1, "{title} has no pages"),
        }
    }

    // The build's own output and cache are no evidence: an update finds nothing new.
    let before = std::fs::read(folder.join("dossier.json")).unwrap();
    let o = dossier(&["init", "--update"], &folder);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("dossier.json is up to date"), "{}", stdout(&o));
    assert_eq!(
        std::fs::read(folder.join("dossier.json")).unwrap(),
        before,
        "an update with nothing new rewrote the file"
    );
}

#[test]
fn init_never_overwrites() {
    let dir = scratch("init-refuses");
    make_tree(&dir);
    let mine = "{\"title\": \"我写的\", \"parts\": [{\"title\": \"第一部分\"}]}\n";
    std::fs::write(dir.join("dossier.json"), mine).unwrap();
    let o = dossier(&["init"], &dir);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("already exists") && err.contains("dossier init --update"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("dossier.json")).unwrap(), mine, "dossier.json was touched");
}

#[test]
fn init_update_adds_new_files_and_keeps_the_users_work() {
    let dir = scratch("init-update");
    make_tree(&dir);
    let o = dossier(&["init"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));

    // The clerk edits dossier.json: a cover, two renamed sections, text, a field of their own.
    let mut edited = read_json(&dir.join("dossier.json"));
    let root = edited.as_object_mut().unwrap();
    let parts = root.remove("parts").unwrap();
    root.insert("cover".into(), json!({ "project": "广东省高水平中职学校建设项目", "date": "2025年1月" }));
    root.insert("parts".into(), parts);
    let year = &mut edited["parts"][1]["sections"][1];
    assert_eq!(year["title"], "二、2022 年");
    year["title"] = json!("二、2022 年度");
    let task = &mut year["sections"][2];
    assert_eq!(task["title"], "10.学生线上交流");
    task["title"] = json!("10.开展深港学生线上交流活动（已修改）");
    task["text"] = json!(["用户自己写的一段说明。"]);
    edited["parts"][0]["note"] = json!("自定义字段");
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&edited).unwrap()).unwrap();

    // New scans: one into the renamed section, one in a new year folder, one in a new 四、 folder.
    put(&dir, &format!("{P2}/二、2022 年/10.学生线上交流/活动照片.jpg"), "2022/photos/IMG_20221109_151240.jpg");
    put(&dir, &format!("{P2}/三、2023 年/1.教师赴港研修/总结报告.pdf"), "2023/颜广科 香港职业教育现状.pdf");
    put(
        &dir,
        &format!("{P1}/四、签订合作协议/合作协议.pdf"),
        "2021/深圳市龙岗职业技术学校与香港合作办学管理办法（试行）.pdf",
    );

    let o = dossier(&["init", "--update"], &dir);
    let out = stdout(&o);
    assert!(o.status.success(), "{}{out}", stderr(&o));
    assert!(
        out.contains(&format!(
            "added: {P2} › 二、2022 年度 › 10.开展深港学生线上交流活动（已修改） › 活动照片 ({P2}/二、2022 年/10.学生线上交流/活动照片.jpg)"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("added: {P2} › 三、2023 年 › 1.教师赴港研修 › 总结报告")), "{out}");
    assert!(out.contains(&format!("added: {P1} › 四、签订合作协议 › 合作协议")), "{out}");
    assert!(out.contains("updated dossier.json: added 3 evidence items"), "{out}");

    let text = std::fs::read_to_string(dir.join("dossier.json")).unwrap();
    assert!(
        text.contains("\n  \"cover\": {\n    \"project\": \"广东省"),
        "not 2-space pretty with Chinese as is:\n{text}"
    );
    let mut updated: Value = serde_json::from_str(&text).unwrap();
    let task = &updated["parts"][1]["sections"][1]["sections"][2];
    assert_eq!(task["title"], "10.开展深港学生线上交流活动（已修改）");
    assert_eq!(task["text"], json!(["用户自己写的一段说明。"]));
    let titles: Vec<&str> = task["evidence"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["公众号推文截图", "活动照片"]);
    let years: Vec<&str> =
        updated["parts"][1]["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(years, ["一、2021 年", "二、2022 年度", "三、2023 年"]);
    let p1: Vec<&str> =
        updated["parts"][0]["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(
        p1,
        [
            "一、建立领导工作小组",
            "二、制定合作方案",
            "三、邀请专家讲座",
            "四、签订合作协议",
            "十、组织教师赴港研修",
            "十一、推进书证融通"
        ]
    );

    // Take the three additions out again: what is left is the user's file, key order included.
    updated["parts"][1]["sections"][1]["sections"][2]["evidence"].as_array_mut().unwrap().pop();
    updated["parts"][1]["sections"].as_array_mut().unwrap().remove(2);
    updated["parts"][0]["sections"].as_array_mut().unwrap().remove(3);
    assert_eq!(serde_json::to_string_pretty(&updated).unwrap(), serde_json::to_string_pretty(&edited).unwrap());

    let o = dossier(&["check"], &dir);
    assert!(o.status.success(), "the updated dossier does not check: {}", stderr(&o));
}

#[test]
fn init_on_a_flat_folder_makes_one_part() {
    let dir = scratch("init-flat");
    let folder = dir.join("2023年研修材料");
    put(&folder, "2.总结报告.pdf", "2023/颜广科 香港职业教育现状.pdf");
    put(&folder, "1.通知.pdf", "2023/2023年深圳市技能菁英香港研修相关材料（颜广科老师）.pdf");
    let o = dossier(&["init", "2023年研修材料"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = read_json(&folder.join("dossier.json"));
    let want: Vec<(usize, String)> =
        [(0, "2023年研修材料"), (1, "1.通知"), (1, "2.总结报告")].iter().map(|(d, t)| (*d, t.to_string())).collect();
    assert_eq!(outline_of(&json), want);
    assert_eq!(files_of(&json), ["1.通知.pdf", "2.总结报告.pdf"]);
}

/// Task points counted straight from the JSON: sections without sub-sections, and sections numbered
/// "1." "2、" as one task each; (total, done) where done has an item whose files all exist.
fn count_tasks(n: &Value, base: &Path) -> (usize, usize) {
    let sections = n["sections"].as_array().cloned().unwrap_or_default();
    let title = n["title"].as_str().unwrap();
    let digits = title.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && title[digits..].starts_with(['.', '、']);
    if sections.is_empty() || numbered {
        return (1, usize::from(has_usable_item(n, base)));
    }
    sections.iter().map(|s| count_tasks(s, base)).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

fn has_usable_item(n: &Value, base: &Path) -> bool {
    let usable = |e: &Value| {
        e["files"].as_array().unwrap().iter().all(|f| base.join(f.as_str().or(f["path"].as_str()).unwrap()).is_file())
    };
    n["evidence"].as_array().into_iter().flatten().any(usable)
        || n["sections"].as_array().into_iter().flatten().any(|s| has_usable_item(s, base))
}

#[test]
fn status_of_the_sample_binder() {
    let json = read_json(&repo().join("dossier.json"));
    let (mut total, mut done) = (0, 0);
    let mut per_part = Vec::new();
    for p in json["parts"].as_array().unwrap() {
        let (t, d) = count_tasks(p, &repo());
        per_part.push((t, d));
        total += t;
        done += d;
    }

    let o = dossier(&["status", "--json", "dossier.json"], &repo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s: Value = serde_json::from_str(&stdout(&o)).expect("status --json prints JSON");
    assert_eq!(s["figures"]["tasks_total"], total);
    assert_eq!(s["figures"]["tasks_done"], done);
    assert_eq!(s["figures"]["completion_rate"].as_f64().unwrap(), done as f64 * 100.0 / total as f64);
    for (i, (t, d)) in per_part.iter().enumerate() {
        assert_eq!(s["figures"]["parts"][i]["tasks_total"], *t);
        assert_eq!(s["figures"]["parts"][i]["tasks_done"], *d);
    }
    // 第一部分 quotes the binder's figures in its text: the task points it counts are the four
    // years' numbered tasks of 第二部分, and they must be the ones status finds.
    let quoted = json["parts"][0]["text"][0].as_str().unwrap();
    let n: String = quoted.split("共有").nth(1).unwrap().trim().chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(s["figures"]["parts"][1]["tasks_total"], n.parse::<usize>().unwrap(), "{quoted}");
    assert_eq!(s["figures"]["parts"][1]["tasks_done"], n.parse::<usize>().unwrap(), "{quoted}");
    assert_eq!(s["totals"]["evidence"], count_items(&json));
    assert_eq!(s["ok"], true);

    // The pages status counts are the pages the binder gives each item.
    let pdf = scratch("status").join("binder.pdf");
    let b = dossier(&["build", "dossier.json", "-o", pdf.to_str().unwrap()], &repo());
    assert!(b.status.success(), "{}", stderr(&b));
    let spans = evidence_spans(&Binder::open(&pdf), &json);
    let items: Vec<(String, usize)> = s["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["items"].as_array().unwrap().iter())
        .map(|i| (i["title"].as_str().unwrap().to_string(), i["pages"].as_u64().unwrap() as usize))
        .collect();
    assert_eq!(items, spans);
    assert_eq!(s["totals"]["pages"].as_u64().unwrap() as usize, spans.iter().map(|s| s.1).sum::<usize>());

    // The table says the same, in Chinese first.
    let o = dossier(&["status"], &repo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    let rate = if done == total { "100%".to_string() } else { format!("{:.1}%", done as f64 * 100.0 / total as f64) };
    assert!(table.contains(&format!("共有 {total} 个任务要点，完成 {done} 个，任务完成率 {rate}")), "{table}");
    assert!(table.contains(&format!("{total} task points, {done} done")), "{table}");
}

fn count_items(json: &Value) -> usize {
    fn walk(n: &Value) -> usize {
        n["evidence"].as_array().map_or(0, Vec::len)
            + n["sections"].as_array().into_iter().flatten().map(walk).sum::<usize>()
    }
    json["parts"].as_array().unwrap().iter().map(walk).sum()
}

#[test]
fn status_names_a_missing_file_and_fails() {
    let dir = scratch("status-missing");
    put(&dir, "通知.pdf", "2021/关于成立外事工作领导小组及办公室的通知.pdf");
    let d = json!({
        "title": "测试",
        "parts": [{ "title": "第一部分 测试", "sections": [
            { "title": "一、有材料", "evidence": [{ "title": "通知", "files": ["通知.pdf"] }] },
            { "title": "二、缺材料", "evidence": [{ "title": "会议纪要", "files": ["扫描件/会议纪要.pdf"] }] },
        ]}]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&d).unwrap()).unwrap();

    let o = dossier(&["status"], &dir);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let line =
        out.lines().find(|l| l.contains("扫描件/会议纪要.pdf")).unwrap_or_else(|| panic!("file not named:\n{out}"));
    assert!(line.contains("会议纪要") && line.contains("does not exist"), "{line}");
    assert!(out.contains("共有 2 个任务要点，完成 1 个，任务完成率 50%"), "{out}");

    let o = dossier(&["status", "--json"], &dir);
    assert_eq!(o.status.code(), Some(1));
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["ok"], false);
    assert_eq!(s["totals"]["problems"], 1);
    let missing = &s["sections"][2];
    assert_eq!(missing["title"], "二、缺材料");
    assert_eq!(missing["done"], false);
    assert_eq!(missing["problems"][0]["file"], "扫描件/会议纪要.pdf");
    assert_eq!(missing["problems"][0]["code"], "missing_file");

    // In Chinese, the problem and what to do about it are Chinese too.
    let o = dossier(&["status", "--lang", "zh"], &dir);
    let out = stdout(&o);
    let at = out.find("扫描件/会议纪要.pdf").unwrap_or_else(|| panic!("file not named:\n{out}"));
    let lines: Vec<&str> = out[at..].lines().take(2).collect();
    assert!(lines[0].ends_with("：文件不存在"), "{out}");
    assert!(lines[1].trim_start().starts_with("处理办法："), "{out}");
    assert!(!lines.join("").contains("what to do"), "{out}");
}

#[test]
fn natural_chinese_order() {
    use dossier::init::compare_names;
    let sorted = |names: &[&str]| {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by(|a, b| compare_names(a, b));
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(sorted(&["二十、", "十一、", "十、", "二、", "一、"]), ["一、", "二、", "十、", "十一、", "二十、"]);
    assert_eq!(sorted(&["10.c", "2.b"]), ["2.b", "10.c"]);
    assert_eq!(sorted(&["第二部分 b", "第一部分 a"]), ["第一部分 a", "第二部分 b"]);
    assert_eq!(sorted(&["2022 年", "2021 年"]), ["2021 年", "2022 年"]);
}

#[test]
fn narrative_placeholders_take_the_parts_figures_and_pages_have_a_manifest() {
    let dir = scratch("placeholders");
    std::fs::copy(
        repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf"),
        dir.join("通知.pdf"),
    )
    .unwrap();
    let d = serde_json::json!({
        "title": "占位符测试",
        "parts": [{
            "title": "第一部分 概况",
            "text": ["共有 {tasks_total}个任务要点，完成 {tasks_done} 个，任务完成率 {completion_rate}。"],
            "sections": [
                { "title": "一、已完成的任务", "evidence": [{ "title": "通知", "files": ["通知.pdf"] }] },
                { "title": "二、尚无佐证的任务" }
            ]
        }]
    });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build", "-o", "b.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = no_space(&page_texts(&dir.join("b.pdf")).join(""));
    assert!(text.contains("共有2个任务要点，完成1个，任务完成率50%。"), "{text}");

    // The manifest: one row per page, printed numbers as the labels say, source pages named.
    let b = Binder::open(&dir.join("b.pdf"));
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("b.manifest.json")).unwrap()).unwrap();
    let rows = rows.as_array().unwrap();
    let labels = b.labels();
    assert_eq!(rows.len(), labels.len());
    for (r, l) in rows.iter().zip(&labels) {
        assert_eq!(r["printed"].as_str().unwrap(), l);
    }
    let pdf_pages = lopdf::Document::load(dir.join("通知.pdf")).unwrap().get_pages().len();
    let sourced: Vec<&serde_json::Value> = rows.iter().filter(|r| r["file"] == "通知.pdf").collect();
    assert_eq!(sourced.len(), pdf_pages);
    assert!(
        sourced
            .iter()
            .enumerate()
            .all(|(k, r)| r["file_page"] == k + 1 && r["entry"].as_str().unwrap().ends_with("› 通知"))
    );
    assert!(std::fs::read_to_string(dir.join("b.manifest.csv")).unwrap().lines().count() == labels.len() + 1);
}

/// Kills the watcher however the test ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_rebuilds_when_a_file_is_added() {
    let dir = scratch("watch");
    let one = repo().join("samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf");
    std::fs::copy(&one, dir.join("a.pdf")).unwrap();
    let outline = |files: &[&str]| {
        serde_json::json!({
            "title": "监视测试",
            "parts": [{ "title": "第一部分", "evidence": [{ "title": "文件", "files": files }] }]
        })
        .to_string()
    };
    std::fs::write(dir.join("dossier.json"), outline(&["a.pdf"])).unwrap();
    let out = dir.join("out/b.pdf");
    let log = dir.join("watch.log");
    let _child = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["watch", "-o", out.to_str().unwrap()])
            .current_dir(&dir)
            .env("DOSSIER_LANG", "en")
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pages = || lopdf::Document::load(&out).map(|d| d.get_pages().len()).unwrap_or(0);
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !ok() {
            assert!(start.elapsed() < std::time::Duration::from_secs(60), "watch did not {what} within 60 s");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    wait_for("build", &|| pages() > 0);
    let before = pages();
    // The office drops in a scan and names it in the outline.
    std::fs::copy(&one, dir.join("b.pdf")).unwrap();
    std::fs::write(dir.join("dossier.json"), outline(&["a.pdf", "b.pdf"])).unwrap();
    let per_file = lopdf::Document::load(&one).unwrap().get_pages().len();
    wait_for("rebuild", &|| pages() == before + per_file);
    // It says what changed, how long the rebuild took, and what that did to the binder.
    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for("report the rebuild", &|| said().contains("since the last build"));
    let said = said();
    assert!(said.contains("first build: nothing earlier to compare with"), "{said}");
    assert!(said.contains(&format!("changed: dossier.json — rebuilt {}", out.display())), "{said}");
    assert!(said.contains("since the last build: 1 item(s) added, 0 removed, other page numbers unchanged"), "{said}");
    // A broken outline keeps the last good binder.
    let good = std::fs::read(&out).unwrap();
    std::fs::write(dir.join("dossier.json"), "{ \"title\": ").unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(std::fs::read(&out).unwrap(), good, "a failed rebuild touched the binder");
}
