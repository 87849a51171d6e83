//! The editing page in a real browser (Debian's chromium through chromedriver), used as a clerk
//! would: the outline found as an ARIA tree by its titles, an item renamed in place, a section
//! dragged onto the top half of another, a file dropped from the desktop onto a section, the
//! binder built with 生成 and its pages previewed, dossier.json changed on disk while the page is
//! open. After each step, what landed in dossier.json is checked.
//!
//! The tests fail, naming what to install, when chromium or chromedriver is missing.

mod common;
use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `dossier serve` on the folder, in Chinese; its printed address. Its output stays open.
fn serve(dir: &Path) -> (Kill, BufReader<std::process::ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--no-open", "--port", "0", "--lang", "zh"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start dossier serve");
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    let url = line.split_whitespace().find_map(|w| w.find("http://").map(|i| w[i..].to_string()));
    (Kill(child), out, url.expect("the address is printed"))
}

/// chromedriver and the browsers it started.
struct Group(Kill);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.0.id())]).status();
    }
}

async fn browser(profile: &Path) -> (Group, Client) {
    for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
        assert!(Path::new(tool).exists(), "{tool} is needed: apt-get install chromium chromium-driver");
    }
    let port = free_port();
    let mut cmd = Command::new("/usr/bin/chromedriver");
    cmd.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
    // Its own process group, so that a failed test takes chromium down with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let driver = Group(Kill(cmd.spawn().expect("chromedriver runs (apt-get install chromium-driver)")));
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,768",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), json!({ "binary": "/usr/bin/chromium", "args": args }));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session");
    (driver, client)
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Wait until `cond` holds, up to `secs` seconds; panics with `what` otherwise.
async fn until<F: FnMut() -> bool>(secs: u64, what: &str, mut cond: F) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn until_js(c: &Client, secs: u64, what: &str, script: &str) -> Value {
    until_js_args(c, secs, what, script, vec![]).await
}

async fn until_js_args(c: &Client, secs: u64, what: &str, script: &str, args: Vec<Value>) -> Value {
    let start = Instant::now();
    loop {
        let v = js(c, script, args.clone()).await;
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn read(dir: &Path) -> (String, Value) {
    let text = std::fs::read_to_string(dir.join("dossier.json")).unwrap();
    let v = serde_json::from_str(&text).unwrap_or(Value::Null);
    (text, v)
}

/// The tree item whose accessible name (its labelling title) is `name`, as a screen reader finds it.
const ITEM_BY_NAME: &str = r#"
  const name = arguments[0];
  return [...document.querySelectorAll('[role=tree] [role=treeitem]')].find(li => {
    const label = document.getElementById(li.getAttribute('aria-labelledby'));
    return label && label.textContent.trim() === name;
  }) || null;"#;

/// Wait for the tree item named `name`; its `data-path`.
async fn item(c: &Client, name: &str) -> String {
    let start = Instant::now();
    loop {
        let p = path_attr(c, name).await;
        if !p.is_empty() {
            return p;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no tree item named {name}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Click the title of the item named `name`, as a clerk does to choose it. The tree is drawn
/// again when news arrives from the server, so a click may meet an element just replaced: retry.
async fn click_title(c: &Client, name: &str) {
    let start = Instant::now();
    loop {
        let p = item(c, name).await;
        let css = format!("[role=treeitem][data-path=\"{p}\"] > .row .title");
        if let Ok(el) = c.find(Locator::Css(&css)).await
            && el.click().await.is_ok()
        {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "could not click {name}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Keys to whatever has the focus, as a keyboard sends them. The focused item may be redrawn
/// between finding it and typing (news from the server): the focus moves to the new one, so retry.
async fn press(c: &Client, keys: &str) {
    for _ in 0..20 {
        if let Ok(el) = c.active_element().await
            && el.send_keys(keys).await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("could not type {keys:?}");
}

async fn path_attr(c: &Client, name: &str) -> String {
    let script = format!("const el = (() => {{ {ITEM_BY_NAME} }})(); return el && el.dataset.path;");
    js(c, &script, vec![json!(name)]).await.as_str().unwrap_or_default().to_string()
}

/// HTML5 drag and drop as the browser fires it for a mouse drag: dragstart on the item, dragover
/// and drop at a point of the target, dragend. `upper` drops on the top half of the target's row.
const DRAG: &str = r#"
  const [from, to, upper] = arguments;
  const src = document.querySelector(`[role=treeitem][data-path="${from}"]`);
  const dst = document.querySelector(`[role=treeitem][data-path="${to}"]`);
  const row = dst.querySelector('.row').getBoundingClientRect();
  const y = upper ? row.top + 2 : row.bottom - 2;
  const dt = new DataTransfer();
  const fire = (el, type, x, y) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt, clientX: x, clientY: y }));
  fire(src, 'dragstart', 0, 0);
  const over = document.elementFromPoint(row.left + 40, y) || dst;
  fire(over, 'dragenter', row.left + 40, y);
  fire(over, 'dragover', row.left + 40, y);
  fire(over, 'drop', row.left + 40, y);
  fire(src, 'dragend', 0, 0);
  return true;"#;

/// Files dropped from the desktop: a drop whose DataTransfer holds the file.
const DROP_FILE: &str = r#"
  const [to, name, b64] = arguments;
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: 'application/pdf' }));
  const dst = document.querySelector(`[role=treeitem][data-path="${to}"]`);
  const row = dst.querySelector('.row').getBoundingClientRect();
  const opts = { bubbles: true, cancelable: true, dataTransfer: dt, clientX: row.left + 40, clientY: row.top + row.height / 2 };
  dst.querySelector('.row').dispatchEvent(new DragEvent('dragover', opts));
  dst.querySelector('.row').dispatchEvent(new DragEvent('drop', opts));
  return true;"#;

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn case(name: &str) -> PathBuf {
    let dir = scratch(name);
    let ev = repo().join("samples/evidence");
    std::fs::create_dir_all(dir.join("材料")).unwrap();
    for (from, to) in [
        ("2022/香港职业教育专家讲座方案.pdf", "材料/方案.pdf"),
        ("2021/关于成立外事工作领导小组及办公室的通知.pdf", "材料/通知.pdf"),
        ("2022/香港职业教育专家讲座报道.pdf", "材料/讲座.pdf"),
        ("2024/与香港职业训练局合作经验总结报告.pdf", "材料/未使用.pdf"),
    ] {
        std::fs::copy(ev.join(from), dir.join(to)).unwrap();
    }
    let d = json!({
        "title": "浏览器测试",
        "output": "build/binder.pdf",
        "parts": [{
            "title": "第一部分 概况",
            "sections": [
                { "title": "一、制度", "evidence": [{ "title": "工作方案", "files": ["材料/方案.pdf"] }] },
                { "title": "二、机构", "evidence": [{ "title": "成立通知", "files": ["材料/通知.pdf"] }] },
                { "title": "三、交流", "evidence": [{ "title": "专题讲座", "files": ["材料/讲座.pdf"] }] }
            ]
        }]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string_pretty(&d).unwrap() + "\n").unwrap();
    dir
}

fn section_titles(v: &Value) -> Vec<String> {
    v["parts"][0]["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_edits_builds_and_sees_changes_from_disk() {
    let dir = case("serve-browser");
    let (_server, _out, url) = serve(&dir);
    let profile = dir.parent().unwrap().join(format!("serve-browser-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let (_driver, c) = browser(&profile).await;
    c.goto(&url).await.unwrap();
    until_js(&c, 15, "the page", "return document.body.dataset.ready === '1'").await;

    // The outline is an ARIA tree named by titles, levels from the part down.
    let levels = js(
        &c,
        "return [...document.querySelectorAll('[role=tree] [role=treeitem]')].slice(0, 4).map(li => \
         [li.getAttribute('aria-level'), document.getElementById(li.getAttribute('aria-labelledby')).textContent])",
        vec![],
    )
    .await;
    assert_eq!(levels, json!([["1", "第一部分 概况"], ["2", "一、制度"], ["3", "工作方案"], ["4", "材料/方案.pdf"]]));
    // 生成 is a button named by its text.
    c.find(Locator::XPath("//button[normalize-space()='生成']")).await.expect("a 生成 button");

    // Rename in place: choose the item, F2, type, Enter.
    let (before, _) = read(&dir);
    click_title(&c, "二、机构").await;
    press(&c, &fantoccini::key::Key::F2.to_string()).await;
    // The title is selected in the input: typing replaces it.
    let input = c.find(Locator::Css("input.rename")).await.unwrap();
    input.send_keys(&format!("二、组织机构{}", fantoccini::key::Key::Enter)).await.unwrap();
    until(5, "the new title in dossier.json", || read(&dir).0.contains("二、组织机构")).await;
    let (after, _) = read(&dir);
    let changed: Vec<_> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "only the title's line changed: {changed:?}");
    assert_eq!(before.lines().count(), after.lines().count());

    // Drag 三、交流 onto the top half of 一、制度: it moves before it.
    let from = path_attr(&c, "三、交流").await;
    let to = path_attr(&c, "一、制度").await;
    js(&c, DRAG, vec![json!(from), json!(to), json!(true)]).await;
    until(5, "the new order in dossier.json", || {
        section_titles(&read(&dir).1) == ["三、交流", "一、制度", "二、组织机构"]
    })
    .await;
    item(&c, "三、交流").await;

    // The move buttons do the same from the keyboard.
    click_title(&c, "一、制度").await;
    c.find(Locator::XPath("//button[normalize-space()='下移']")).await.unwrap().click().await.unwrap();
    until(5, "the move down in dossier.json", || {
        section_titles(&read(&dir).1) == ["三、交流", "二、组织机构", "一、制度"]
    })
    .await;
    // And Alt+↑ / Alt+↓ on the item itself, which keeps the focus.
    let alt = |k: fantoccini::key::Key| format!("{}{}{}", fantoccini::key::Key::Alt, k, fantoccini::key::Key::Alt);
    let focused = js(&c, "return document.activeElement.getAttribute('role')", vec![]).await;
    assert_eq!(focused, json!("treeitem"), "the moved item keeps the focus");
    press(&c, &alt(fantoccini::key::Key::Up)).await;
    until(5, "Alt+Up in dossier.json", || section_titles(&read(&dir).1) == ["三、交流", "一、制度", "二、组织机构"])
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    press(&c, &alt(fantoccini::key::Key::Down)).await;
    until(5, "Alt+Down in dossier.json", || section_titles(&read(&dir).1) == ["三、交流", "二、组织机构", "一、制度"])
        .await;

    // A file dropped from the desktop onto a section is copied into a folder for it and added.
    let pdf =
        std::fs::read(repo().join("samples/evidence/2021/深圳市龙岗职业技术学校与香港合作办学管理办法（试行）.pdf"))
            .unwrap();
    let target = path_attr(&c, "二、组织机构").await;
    js(&c, DROP_FILE, vec![json!(target), json!("管理办法.pdf"), json!(base64(&pdf))]).await;
    let copied = "第一部分 概况/二、组织机构/管理办法.pdf";
    until(10, "the dropped file as evidence", || {
        let v = read(&dir).1;
        v["parts"][0]["sections"][1]["evidence"]
            .as_array()
            .is_some_and(|e| e.iter().any(|x| x["files"][0] == copied && x["title"] == "管理办法"))
    })
    .await;
    assert_eq!(std::fs::read(dir.join(copied)).unwrap(), pdf, "the file is copied whole");
    item(&c, "管理办法").await;

    // Files already in the folder: those no evidence uses come first; picking one adds it.
    click_title(&c, "一、制度").await;
    c.find(Locator::XPath("//button[normalize-space()='选择已有文件']")).await.unwrap().click().await.unwrap();
    let listed = until_js(
        &c,
        5,
        "the list of files",
        "const d = document.getElementById('files-dialog'); const li = d.open && [...d.querySelectorAll('li')]; \
         return li && li.length > 0 && li.map(l => l.textContent.replace(/\\s+/g, ' ').trim())",
    )
    .await;
    let listed: Vec<String> = serde_json::from_value(listed).unwrap();
    assert_eq!(listed[0], "材料/未使用.pdf 尚未使用", "{listed:?}");
    assert!(listed[1..].iter().all(|l| l.ends_with("已使用")), "{listed:?}");
    c.find(Locator::Css("#files-list input[value='材料/未使用.pdf']")).await.unwrap().click().await.unwrap();
    c.find(Locator::XPath("//button[normalize-space()='添加所选文件']")).await.unwrap().click().await.unwrap();
    until(5, "the picked file as evidence", || {
        let v = read(&dir).1;
        v["parts"][0]["sections"].as_array().unwrap().iter().any(|s| {
            s["title"] == "一、制度"
                && s["evidence"].as_array().is_some_and(|e| e.iter().any(|x| x["files"][0] == "材料/未使用.pdf"))
        })
    })
    .await;

    // 生成: progress, then the binder's pages in the page and a link to it.
    c.find(Locator::XPath("//button[normalize-space()='生成']")).await.unwrap().click().await.unwrap();
    let shown = until_js(
        &c,
        120,
        "the preview",
        "const p = document.getElementById('preview'); return p.querySelector('figure[data-rendered] canvas') && p.dataset.pages",
    )
    .await;
    let binder = dir.join("build/binder.pdf");
    let pages = lopdf::Document::load(&binder).expect("the binder was written").get_pages().len();
    assert_eq!(shown, json!(pages.to_string()), "every page of the binder is in the preview");
    let line = js(&c, "return document.getElementById('build-line').textContent", vec![]).await;
    assert!(line.as_str().unwrap().contains(&format!("共 {pages} 页")), "{line}");
    let link = js(&c, "const a = document.getElementById('open-pdf'); return !a.hidden && a.href", vec![]).await;
    assert!(link.as_str().unwrap().contains("/binder.pdf"), "{link}");
    // The canvas is drawn, not blank.
    let inked = js(
        &c,
        "const cv = document.querySelector('#preview canvas'); const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; \
         let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++; return dark",
        vec![],
    )
    .await;
    assert!(inked.as_u64().unwrap() > 50, "the first page is drawn: {inked}");
    // Opened again (reloaded, a second tab), the page shows the binder it built.
    c.refresh().await.unwrap();
    until_js(&c, 15, "the page again", "return document.body.dataset.ready === '1'").await;
    let again = until_js(&c, 30, "the preview again", "return document.getElementById('preview').dataset.pages").await;
    assert_eq!(again, json!(pages.to_string()), "the binder built before the reload is shown");

    // dossier.json changed on disk (an editor, git): the page shows it, and its problems.
    let (text, _) = read(&dir);
    let outside = text.replace("专题讲座", "专家讲座").replace("材料/讲座.pdf", "材料/不存在.pdf");
    std::fs::write(dir.join("dossier.json"), &outside).unwrap();
    item(&c, "专家讲座").await;
    let mark = until_js_args(
        &c,
        5,
        "the missing file's problem on its entry",
        &format!(
            "const li = (() => {{ {ITEM_BY_NAME} }})(); \
             const p = li && li.querySelector(':scope > .row .problem.error'); return p && p.textContent"
        ),
        vec![json!("专家讲座")],
    )
    .await;
    assert!(!mark.as_str().unwrap().is_empty());
    assert_eq!(read(&dir).0, outside, "the page did not write over the outside edit");

    // Undo brings back the title the page showed before the outside edit, and saves it.
    c.find(Locator::XPath("//button[normalize-space()='撤销']")).await.unwrap().click().await.unwrap();
    until(5, "the undone edit in dossier.json", || read(&dir).0.contains("专题讲座")).await;

    // A tab that missed the news (a laptop woken from sleep) edits an old version: nothing is
    // written over; the page says so and lets the clerk choose.
    until_js(&c, 5, "the undo saved", "const s = window.dossierPage.state; return !s.saving && !s.pending").await;
    let (on_disk, _) = read(&dir);
    js(&c, "window.dossierPage.state.version = 'an-older-version'", vec![]).await;
    click_title(&c, "工作方案").await;
    press(&c, &fantoccini::key::Key::F2.to_string()).await;
    let input = c.find(Locator::Css("input.rename")).await.unwrap();
    input.send_keys(&format!("工作方案（定稿）{}", fantoccini::key::Key::Enter)).await.unwrap();
    let keep = until_js(
        &c,
        5,
        "the choice between the two versions",
        "const b = [...document.querySelectorAll('#banner:not([hidden]) button')]; return b.length > 0 && b.map(x => x.textContent)",
    )
    .await;
    assert_eq!(keep, json!(["载入磁盘上的版本（放弃我的修改）", "保留我的版本（覆盖磁盘上的）"]));
    assert_eq!(read(&dir).0, on_disk, "nothing written before the clerk chose");
    c.find(Locator::XPath("//button[normalize-space()='保留我的版本（覆盖磁盘上的）']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(5, "the kept edit in dossier.json", || read(&dir).0.contains("工作方案（定稿）")).await;

    c.close().await.unwrap();
}

/// A binder built before the page was opened (on the command line) is shown when it opens, and
/// said to be an earlier one, instead of an empty preview until the next 生成.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binder_built_before_is_shown_when_the_page_opens() {
    let dir = case("serve-earlier");
    let built = Command::new(env!("CARGO_BIN_EXE_dossier")).args(["build", "-q"]).current_dir(&dir).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let pages = lopdf::Document::load(dir.join("build/binder.pdf")).expect("the binder was written").get_pages().len();
    let (_server, _out, url) = serve(&dir);
    let profile = dir.parent().unwrap().join(format!("serve-earlier-profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let (_driver, c) = browser(&profile).await;
    c.goto(&url).await.unwrap();
    let shown =
        until_js(&c, 30, "the earlier binder's preview", "return document.getElementById('preview').dataset.pages")
            .await;
    assert_eq!(shown, json!(pages.to_string()), "every page of the earlier binder is in the preview");
    let line = js(&c, "return document.getElementById('build-line').textContent", vec![]).await;
    assert!(line.as_str().unwrap().contains("此前生成"), "{line}");
    let link = js(&c, "const a = document.getElementById('open-pdf'); return !a.hidden && a.href", vec![]).await;
    assert!(link.as_str().unwrap().contains("/binder.pdf"), "{link}");
    c.close().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
