//! `dossier serve` at the HTTP level, as an attacker's page or a careless request would meet it:
//! the token, the Host and Origin checks, paths leading out of the dossier's folder (`..`, a link),
//! upload names and sizes, and saves that keep the file's layout and refuse a stale version.

mod common;
use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running `dossier serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// Kept open: the server's later lines go here.
    _out: BufReader<std::process::ChildStdout>,
    pub port: u16,
    pub token: String,
    pub dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(["serve", "--no-open", "--port", "0", "--lang", "en"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start dossier serve");
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
        let url = first.split_whitespace().find(|w| w.starts_with("http://")).expect("the address is printed");
        let rest = url.strip_prefix("http://127.0.0.1:").expect("a loopback address");
        let (port, query) = rest.split_once('/').unwrap();
        let token = query.strip_prefix("?token=").expect("a token in the address").to_string();
        Server { child, _out: out, port: port.parse().unwrap(), token, dir: dir.to_path_buf() }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn cookie(&self) -> String {
        format!("dossier_{}={}", self.port, self.token)
    }

    /// A request as a browser on this page sends it: right Host, the cookie, its own Origin.
    pub fn call(&self, method: &str, path: &str, body: &[u8]) -> Reply {
        let (host, cookie, origin) = (self.host(), self.cookie(), self.origin());
        let mut h = vec![("Host", host.as_str()), ("Cookie", cookie.as_str())];
        if method != "GET" {
            h.push(("Origin", origin.as_str()));
        }
        raw(self.port, method, path, &h, body)
    }

    pub fn json(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self.call(method, path, body.to_string().as_bytes());
        (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
    }
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

/// One HTTP/1.1 request with exactly these headers (the Host included), read to the end.
pub fn raw(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !body.is_empty() && method == "PUT" {
        req.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // The server may refuse before reading a large body: a broken pipe here is its answer.
    let _ = s.write_all(body);
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let mut body = all[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).expect("a status");
    Reply { status, head, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 4 + n..];
    }
    out
}

const DOSSIER: &str = r#"{
  "title": "接口测试",
  "output": "build/binder.pdf",
  "parts": [
    {
      "title": "第一部分 概况",
      "sections": [
        {
          "title": "一、制度",
          "evidence": [
            {
              "title": "工作方案",
              "files": [
                "材料/方案.pdf"
              ]
            }
          ]
        }
      ]
    }
  ]
}
"#;

fn case(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("材料")).unwrap();
    std::fs::copy(repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf"), dir.join("材料/方案.pdf"))
        .unwrap();
    std::fs::write(dir.join("dossier.json"), DOSSIER).unwrap();
    dir
}

#[test]
fn nothing_without_the_token_and_the_token_becomes_a_strict_cookie() {
    let s = Server::start(&case("serve-token"), &[]);
    let host = s.host();
    let no_cookie = raw(s.port, "GET", "/api/dossier", &[("Host", &host)], b"");
    assert_eq!(no_cookie.status, 403);
    assert!(!String::from_utf8_lossy(&no_cookie.body).contains("接口测试"));
    let wrong = raw(s.port, "GET", "/?token=0000", &[("Host", &host)], b"");
    assert_eq!(wrong.status, 403);
    assert!(!wrong.head.to_ascii_lowercase().contains("set-cookie"));
    let wrong_cookie = format!("dossier_{}={}", s.port, "f".repeat(64));
    assert_eq!(raw(s.port, "GET", "/api/dossier", &[("Host", &host), ("Cookie", &wrong_cookie)], b"").status, 403);

    let right = raw(s.port, "GET", &format!("/?token={}", s.token), &[("Host", &host)], b"");
    assert_eq!(right.status, 303);
    let head = right.head.to_ascii_lowercase();
    let cookie_line = head.lines().find(|l| l.starts_with("set-cookie:")).expect("a cookie is set");
    assert!(cookie_line.contains(&s.token), "{cookie_line}");
    assert!(cookie_line.contains("httponly") && cookie_line.contains("samesite=strict"), "{cookie_line}");
    assert!(head.contains("location: /\r") || head.ends_with("location: /"), "the token leaves the address bar");

    let (status, body) = s.json("GET", "/api/dossier", &Value::Null);
    assert_eq!(status, 200);
    assert_eq!(body["doc"]["title"], "接口测试");
    // The page itself and its catalogue come with the cookie only.
    assert_eq!(s.call("GET", "/", b"").status, 200);
    assert_eq!(raw(s.port, "GET", "/i18n.json", &[("Host", &host)], b"").status, 403);
}

#[test]
fn another_host_name_is_refused_dns_rebinding() {
    let s = Server::start(&case("serve-host"), &[]);
    let cookie = s.cookie();
    for host in ["evil.example", &format!("evil.example:{}", s.port), &format!("127.0.0.1:{}", s.port + 1), ""] {
        let mut h = vec![("Cookie", cookie.as_str())];
        if !host.is_empty() {
            h.push(("Host", host));
        }
        let r = raw(s.port, "GET", "/api/dossier", &h, b"");
        assert_eq!(r.status, 403, "Host {host:?} must be refused");
        assert!(!String::from_utf8_lossy(&r.body).contains("接口测试"));
    }
    let local = format!("localhost:{}", s.port);
    assert_eq!(raw(s.port, "GET", "/api/dossier", &[("Host", &local), ("Cookie", &cookie)], b"").status, 200);
}

#[test]
fn changes_from_another_origin_are_refused() {
    let dir = case("serve-origin");
    let s = Server::start(&dir, &[]);
    let (_, loaded) = s.json("GET", "/api/dossier", &Value::Null);
    let mut doc = loaded["doc"].clone();
    doc["title"] = json!("被篡改");
    let body = json!({ "base": loaded["version"], "doc": doc }).to_string();
    let (host, cookie) = (s.host(), s.cookie());
    for origin in [None, Some("http://evil.example"), Some("null"), Some(&format!("http://127.0.0.1:{}", s.port + 1))] {
        let mut h = vec![("Host", host.as_str()), ("Cookie", cookie.as_str())];
        if let Some(o) = origin {
            h.push(("Origin", o));
        }
        assert_eq!(raw(s.port, "PUT", "/api/dossier", &h, body.as_bytes()).status, 403, "Origin {origin:?}");
        assert_eq!(raw(s.port, "POST", "/api/build", &h, b"").status, 403, "Origin {origin:?}");
        let up = raw(s.port, "POST", "/api/upload?dir=x&name=a.pdf", &h, b"%PDF-1.4");
        assert_eq!(up.status, 403, "Origin {origin:?}");
    }
    assert_eq!(std::fs::read_to_string(dir.join("dossier.json")).unwrap(), DOSSIER, "nothing was saved");
    assert!(!dir.join("x").exists(), "nothing was uploaded");
    assert!(!dir.join("build/binder.pdf").exists(), "nothing was built");
}

#[test]
fn files_outside_the_folder_are_never_served() {
    let root = scratch("serve-paths");
    let dir = root.join("dossier");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(root.join("secret.txt"), "SECRET").unwrap();
    std::fs::create_dir_all(dir.join("材料")).unwrap();
    std::fs::copy(repo().join("samples/evidence/2022/香港职业教育专家讲座方案.pdf"), dir.join("材料/方案.pdf"))
        .unwrap();
    std::fs::write(dir.join("dossier.json"), DOSSIER).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("secret.txt"), dir.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(&root, dir.join("up")).unwrap();
        std::os::unix::fs::symlink(dir.join("材料/方案.pdf"), dir.join("inside.pdf")).unwrap();
    }
    let s = Server::start(&dir, &[]);
    let ok = s.call("GET", "/files/%E6%9D%90%E6%96%99/%E6%96%B9%E6%A1%88.pdf", b"");
    assert_eq!(ok.status, 200);
    let whole = std::fs::read(dir.join("材料/方案.pdf")).unwrap();
    assert!(ok.body == whole, "the file is served whole");
    // And in parts, as the preview asks for a large binder's pages.
    let (host, cookie) = (s.host(), s.cookie());
    let h = [("Host", host.as_str()), ("Cookie", cookie.as_str()), ("Range", "bytes=100-199")];
    let part = raw(s.port, "GET", "/files/%E6%9D%90%E6%96%99/%E6%96%B9%E6%A1%88.pdf", &h, b"");
    assert_eq!(part.status, 206, "{}", part.head);
    assert!(part.body == whole[100..200], "bytes 100-199 of the file");
    assert!(part.head.to_ascii_lowercase().contains("content-type: application/pdf"), "{}", part.head);
    for path in [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/..%2fsecret.txt",
        "/files/..%5csecret.txt",
        "/files/%2Fetc%2Fpasswd",
        "/files/link.txt",
        "/files/up/secret.txt",
        "/files/材料/../../secret.txt",
    ] {
        let r = s.call("GET", path, b"");
        assert_ne!(r.status, 200, "{path} must not be served");
        assert!(!String::from_utf8_lossy(&r.body).contains("SECRET"), "{path} leaked the file");
    }
    #[cfg(unix)]
    assert_eq!(s.call("GET", "/files/inside.pdf", b"").status, 200, "a link inside the folder is fine");
}

#[test]
fn uploads_get_clean_names_never_overwrite_and_have_a_size_limit() {
    let dir = case("serve-upload");
    let s = Server::start(&dir, &[("DOSSIER_UPLOAD_LIMIT", "4096")]);
    let up = |dir: &str, name: &str, body: &[u8]| {
        let q = format!("/api/upload?dir={}&name={}", enc(dir), enc(name));
        let r = s.call("POST", &q, body);
        (r.status, serde_json::from_slice::<Value>(&r.body).unwrap_or(Value::Null))
    };
    let (st, v) = up("第一部分 概况/一、制度", "../../../escape.pdf", b"%PDF-1.4 one");
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["path"], "第一部分 概况/一、制度/escape.pdf");
    assert!(dir.join("第一部分 概况/一、制度/escape.pdf").is_file());
    assert!(!dir.parent().unwrap().join("escape.pdf").exists());

    let (_, v) = up("../..", "con.pdf", b"%PDF-1.4 con");
    let p = v["path"].as_str().unwrap();
    assert!(!p.contains(".."), "{p}");
    assert!(p.ends_with("_con.pdf"), "{p}");
    assert!(dir.join(p).is_file());

    let (_, v) = up("a", ".hidden.pdf", b"%PDF-1.4 hidden");
    assert_eq!(v["path"], "a/hidden.pdf");
    let (_, v) = up("a", "C:\\Users\\x\\照片:1?.jpg", b"jpeg");
    assert_eq!(v["path"], "a/照片_1_.jpg");

    // The same name with other content gets a new name; the same content is the same file.
    std::fs::write(dir.join("材料/通知.pdf"), b"%PDF-1.4 original").unwrap();
    let (_, v) = up("材料", "通知.pdf", b"%PDF-1.4 another");
    assert_eq!(v["path"], "材料/通知 (2).pdf");
    assert_eq!(std::fs::read(dir.join("材料/通知.pdf")).unwrap(), b"%PDF-1.4 original");
    let (_, v) = up("材料", "通知.pdf", b"%PDF-1.4 original");
    assert_eq!(v["path"], "材料/通知.pdf");

    // A folder that is a link out of the dossier's folder is no place to write.
    #[cfg(unix)]
    {
        let outside = dir.parent().unwrap().join("serve-upload-outside");
        let _ = std::fs::remove_dir_all(&outside);
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("out")).unwrap();
        let (st, _) = up("out", "x.pdf", b"%PDF-1.4 x");
        assert_eq!(st, 400);
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing written outside");
    }

    let (st, _) = up("a", "big.pdf", &vec![b'x'; 10_000]);
    assert_eq!(st, 413);
    assert!(!dir.join("a/big.pdf").exists());
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn a_save_keeps_the_layout_and_a_stale_one_is_refused() {
    let dir = case("serve-save");
    let s = Server::start(&dir, &[]);
    let (_, loaded) = s.json("GET", "/api/dossier", &Value::Null);
    let v0 = loaded["version"].as_str().unwrap().to_string();
    let mut doc = loaded["doc"].clone();
    doc["parts"][0]["sections"][0]["title"] = json!("一、制度建设");
    let (st, saved) = s.json("PUT", "/api/dossier", &json!({ "base": v0, "doc": doc }));
    assert_eq!(st, 200, "{saved}");
    let text = std::fs::read_to_string(dir.join("dossier.json")).unwrap();
    let changed: Vec<(&str, &str)> = DOSSIER.lines().zip(text.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed, vec![(r#"          "title": "一、制度","#, r#"          "title": "一、制度建设","#)]);
    assert_eq!(DOSSIER.lines().count(), text.lines().count());
    assert!(text.ends_with("}\n"));
    let v1 = saved["version"].as_str().unwrap().to_string();
    assert_ne!(v0, v1);

    // Another tab still on the first version: refused, told the version on disk and its content.
    let mut stale = loaded["doc"].clone();
    stale["title"] = json!("旧标签页");
    let (st, conflict) = s.json("PUT", "/api/dossier", &json!({ "base": v0, "doc": stale }));
    assert_eq!(st, 409);
    assert_eq!(conflict["version"], v1.as_str());
    assert_eq!(conflict["doc"]["parts"][0]["sections"][0]["title"], "一、制度建设");
    assert_eq!(std::fs::read_to_string(dir.join("dossier.json")).unwrap(), text, "nothing overwritten");

    // An edit on disk is a new version too.
    let outside = text.replace("工作方案", "工作方案（修订）");
    std::fs::write(dir.join("dossier.json"), &outside).unwrap();
    let (st, _) = s.json("PUT", "/api/dossier", &json!({ "base": v1, "doc": doc }));
    assert_eq!(st, 409);
    assert_eq!(std::fs::read_to_string(dir.join("dossier.json")).unwrap(), outside);

    // Not an outline at all.
    let (_, now) = s.json("GET", "/api/dossier", &Value::Null);
    let (st, _) = s.json("PUT", "/api/dossier", &json!({ "base": now["version"], "doc": [1, 2] }));
    assert_eq!(st, 400);
}
