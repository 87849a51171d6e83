//! Who may ask the server anything, and which files it may touch.
//!
//! An office PC is shared, and any web page open in its browser can send requests to 127.0.0.1.
//! So: a secret per launch in the printed address, turned into a cookie no script can read and no
//! other site's request carries (HttpOnly, SameSite=Strict); the Host must be the loopback name and
//! port (a DNS-rebinding page would send its own name); state-changing requests must come from the
//! page's own origin; and file paths are resolved, links included, before being checked against
//! the dossier's folder.

use super::routes::App;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// 32 random bytes, hex: a token nobody can guess.
pub fn new_token() -> Result<String, crate::error::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::error::Error::Internal(format!("no random numbers for the access token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares without stopping at the first difference, so timing tells nothing of the token.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn host_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    ["127.0.0.1", "[::1]", "localhost"].iter().any(|name| host == format!("{name}:{port}"))
}

fn origin_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let origin = origin.to_ascii_lowercase();
    ["127.0.0.1", "[::1]", "localhost"].iter().any(|name| origin == format!("http://{name}:{port}"))
}

fn cookie_token<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

fn refuse(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response()
}

/// Every request passes here first.
pub async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let lang = app.lang;
    let headers = req.headers();
    if !host_allowed(headers, app.port) {
        return refuse(StatusCode::FORBIDDEN, lang.t("serve.refused_host"));
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes && !origin_allowed(headers, app.port) {
        return refuse(StatusCode::FORBIDDEN, lang.t("serve.refused_origin"));
    }
    // The printed address: the token becomes the cookie, and the address bar loses it.
    if req.method() == Method::GET
        && req.uri().path() == "/"
        && let Some(t) = query_token(req.uri().query())
    {
        if !same(t.as_bytes(), app.token.as_bytes()) {
            return refuse(StatusCode::FORBIDDEN, lang.t("serve.refused_token"));
        }
        let cookie = format!("{}={}; HttpOnly; SameSite=Strict; Path=/", app.cookie_name(), app.token);
        return (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, "/".to_string())])
            .into_response();
    }
    match cookie_token(headers, &app.cookie_name()) {
        Some(t) if same(t.as_bytes(), app.token.as_bytes()) => next.run(req).await,
        _ => refuse(StatusCode::FORBIDDEN, lang.t("serve.refused_token")),
    }
}

/// `rel` (as the page or dossier.json writes it, `/` or `\`) inside `base`, with `..` and links
/// resolved; None when it leads outside `base` or does not exist. `base` must be canonical.
pub fn inside(base: &Path, rel: &str) -> Option<PathBuf> {
    let rel = rel.replace('\\', "/");
    let rel = Path::new(&rel);
    if rel.is_absolute() || rel.components().any(|c| matches!(c, Component::Prefix(_) | Component::RootDir)) {
        return None;
    }
    let real = std::fs::canonicalize(base.join(rel)).ok()?;
    real.starts_with(base).then_some(real)
}

/// Windows refuses these names whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name safe to create in a folder on any system: no separators or characters Windows forbids,
/// no leading dots (hidden, or `..`), no trailing dots or spaces, no reserved device names.
pub fn clean_name(name: &str) -> String {
    // A browser may send a whole path: only its last part is the name.
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = last.chars().map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c }).collect();
    s = s.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']).to_string();
    let stem = s.split('.').next().unwrap_or("").trim().to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        s.insert(0, '_');
    }
    // Long names break Windows paths (260 characters) once the folders are added.
    if s.chars().count() > 120 {
        let ext: String = Path::new(&s).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
        let keep = 120usize.saturating_sub(ext.chars().count());
        s = s.chars().take(keep).collect::<String>() + &ext;
    }
    if s.is_empty() { "file".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\照片 1.jpg"), "照片 1.jpg");
        assert_eq!(clean_name(".bashrc"), "bashrc");
        assert_eq!(clean_name(".."), "file");
        assert_eq!(clean_name("con.pdf"), "_con.pdf");
        assert_eq!(clean_name("LPT1"), "_LPT1");
        assert_eq!(clean_name("a<b>:c?.pdf "), "a_b__c_.pdf");
        assert_eq!(clean_name("通知.pdf."), "通知.pdf");
    }

    #[test]
    fn paths_stay_inside() {
        let dir = std::env::temp_dir().join(format!("dossier-inside-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("a/x.pdf"), b"x").unwrap();
        let base = std::fs::canonicalize(&dir).unwrap();
        assert!(inside(&base, "a/x.pdf").is_some());
        assert!(inside(&base, "a\\x.pdf").is_some());
        assert!(inside(&base, "a/../a/x.pdf").is_some());
        assert!(inside(&base, "../x.pdf").is_none());
        assert!(inside(&base, "/etc/passwd").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
