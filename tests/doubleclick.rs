//! `dossier` with no arguments, as a double-click starts it: it offers to make dossier.json, then
//! opens the editing page in the browser and serves it while the window is open; when nothing can
//! be opened it says why and waits for Enter. (The same under Wine in .ci/windows.sh.)

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Started with no arguments in `dir`, in Chinese, `input` typed at the console, and a browser
/// that writes down the address it was asked to open.
fn double_click(dir: &Path, input: &str) -> Child {
    let browser = dir.join("browser.sh");
    std::fs::write(&browser, "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/opened.txt\"\n").unwrap();
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&browser, executable).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(dir)
        .env("DOSSIER_LANG", "zh")
        .env("DOSSIER_BROWSER", &browser)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child
}

/// The console's lines up to the editing page's address, and the address.
fn until_address(child: &mut Child) -> (String, String) {
    let mut said = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap_or(0) > 0 {
        said.push_str(&line);
        if let Some(at) = line.find("http://127.0.0.1:") {
            return (said, line[at..].trim().to_string());
        }
        line.clear();
    }
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    panic!("no address on the console:\n{said}\n{err}");
}

/// The page at `url` (with its token), fetched as a browser does: the token is traded for a
/// cookie on a redirect, which is followed.
fn get(url: &str) -> (u16, String) {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let first = request(host, path, "");
    let header = |name: &str| {
        first.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let reply = match (header("location"), header("set-cookie")) {
        (Some(to), Some(cookie)) => {
            let cookie = cookie.split(';').next().unwrap_or_default().to_string();
            request(host, &to, &format!("Cookie: {cookie}\r\n"))
        }
        _ => first,
    };
    let status = reply.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, reply)
}

fn request(host: &str, path: &str, headers: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    String::from_utf8_lossy(&all).into_owned()
}

/// What the browser was asked to open, once it has been.
fn opened(dir: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(dir.join("opened.txt"))
            && !s.trim().is_empty()
        {
            return s.trim().to_string();
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the browser was never opened");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn finished(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

#[test]
fn with_a_dossier_it_opens_the_editing_page_and_serves_it() {
    let dir = scratch("doubleclick-serve");
    let part = dir.join("第一部分 建设概况");
    std::fs::create_dir_all(&part).unwrap();
    std::fs::copy(repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf"), part.join("工作方案.pdf"))
        .unwrap();
    assert!(dossier(&["init"], &dir).status.success());

    let mut child = double_click(&dir, "");
    let (said, url) = until_address(&mut child);
    assert!(said.contains("编辑页面") && said.contains("关闭这个窗口"), "{said}");
    assert_eq!(opened(&dir), url, "the browser opens the address the console shows");
    let (status, page) = get(&url);
    let _ = child.kill();
    let _ = finished(child);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<html"), "{page}");
}

#[test]
fn without_a_dossier_it_asks_then_makes_one_and_opens_the_page() {
    let dir = scratch("doubleclick-init");
    let part = dir.join("第一部分 建设概况");
    std::fs::create_dir_all(&part).unwrap();
    std::fs::copy(repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf"), part.join("工作方案.pdf"))
        .unwrap();

    // Input closed before Enter: nothing is written, nothing is opened.
    let o = finished(double_click(&dir, ""));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("还没有 dossier.json"), "{said}");
    assert!(!dir.join("dossier.json").exists());
    assert!(!dir.join("opened.txt").exists());

    let mut child = double_click(&dir, "\n");
    let (said, url) = until_address(&mut child);
    let written = std::fs::read_to_string(dir.join("dossier.json"));
    let (status, _) = get(&url);
    let _ = child.kill();
    let _ = finished(child);
    assert!(said.contains("还没有 dossier.json") && said.contains("编辑页面"), "{said}");
    assert!(written.is_ok_and(|j| j.contains("工作方案.pdf")), "dossier.json made from the folder");
    assert_eq!(status, 200);
}

#[test]
fn when_nothing_can_be_opened_it_says_why_and_waits_for_enter() {
    // An empty folder: init has nothing to make a dossier from.
    let dir = scratch("doubleclick-empty");
    let o = finished(double_click(&dir, "\n"));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("没有找到文件夹") && said.contains("按回车键关闭"), "{said}");
    assert!(!dir.join("opened.txt").exists());
}
