//! The HTTP interface the page uses. Everything under /api answers JSON.

use super::{assets, build, events, security, store};
use crate::error::{Error, Lang};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, broadcast};

/// Uploads larger than this are refused (a whole year's scans in one PDF stays well below).
const UPLOAD_LIMIT: usize = 200 << 20;

pub struct App {
    /// dossier.json, canonical.
    pub dossier: PathBuf,
    /// Its folder, canonical: nothing outside it is served or written.
    pub base: PathBuf,
    pub port: u16,
    pub token: String,
    pub lang: Lang,
    /// The version of dossier.json last seen on disk or written.
    pub version: Mutex<String>,
    /// One save at a time, so two tabs cannot both pass the version check.
    pub saving: tokio::sync::Mutex<()>,
    pub events: broadcast::Sender<events::Message>,
    pub check: Mutex<Option<Value>>,
    pub recheck: Notify,
    pub building: AtomicBool,
    pub build_count: AtomicUsize,
    pub last_build: Mutex<Option<Value>>,
    pub upload_limit: usize,
}

impl App {
    pub fn new(dossier: PathBuf, base: PathBuf, port: u16, token: String, lang: Lang) -> Result<App, Error> {
        let version = std::fs::read(&dossier).map(|b| store::version_of(&b)).unwrap_or_default();
        let upload_limit =
            std::env::var("DOSSIER_UPLOAD_LIMIT").ok().and_then(|s| s.parse().ok()).unwrap_or(UPLOAD_LIMIT);
        Ok(App {
            dossier,
            base,
            port,
            token,
            lang,
            version: Mutex::new(version),
            saving: tokio::sync::Mutex::new(()),
            events: broadcast::channel(512).0,
            check: Mutex::new(None),
            recheck: Notify::new(),
            building: AtomicBool::new(false),
            build_count: AtomicUsize::new(0),
            last_build: Mutex::new(None),
            upload_limit,
        })
    }

    /// Per port: cookies do not tell ports apart, and two dossiers may be served at once.
    pub fn cookie_name(&self) -> String {
        format!("dossier_{}", self.port)
    }

    pub fn send(&self, name: &'static str, data: String) {
        // No tab listening is not an error.
        let _ = self.events.send((name, data));
    }

    /// The binder's folder (the build writes there; its changes are no news to the page).
    pub fn output_dir(&self) -> Option<PathBuf> {
        let (d, _) = crate::outline::load(&self.dossier).ok()?;
        let out = crate::output_path(&d, None);
        out.parent().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
    }

    /// dossier.json changed on disk: tell the tabs if it is not what the server itself wrote.
    pub fn reload_from_disk(&self) {
        let Ok(bytes) = std::fs::read(&self.dossier) else { return };
        let v = store::version_of(&bytes);
        let Ok(mut current) = self.version.lock() else { return };
        if *current != v {
            *current = v.clone();
            self.send("changed", json!({ "version": v, "by": null }).to_string());
        }
    }
}

pub fn router(app: Arc<App>) -> Router {
    let limit = app.upload_limit;
    let csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; worker-src 'self' blob:; object-src 'none'; \
               frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    use tower_http::set_header::SetResponseHeaderLayer as Set;
    Router::new()
        .route("/", get(index))
        .route("/i18n.json", get(i18n))
        .route("/assets/{*name}", get(asset))
        .route("/api/dossier", get(load).put(save))
        .route("/api/check", get(check))
        .route("/api/files", get(files))
        .route("/api/upload", post(upload).layer(DefaultBodyLimit::max(limit)))
        .route("/api/build", get(last_build).post(start_build))
        .route("/api/events", get(events::stream))
        .route("/binder.pdf", get(binder))
        .route("/files/{*path}", get(file))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .layer(DefaultBodyLimit::max(16 << 20))
        .layer(axum::middleware::from_fn_with_state(app.clone(), security::guard))
        .layer(Set::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)))
        .layer(Set::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(Set::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(Set::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(app)
}

fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "ok": false, "message": message }))).into_response()
}

async fn index(State(app): State<Arc<App>>) -> Html<String> {
    let page = assets::get("index.html").map(|(_, b)| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    Html(page.replace("{{LANG}}", if app.lang == Lang::Zh { "zh-CN" } else { "en" }))
}

async fn i18n(State(app): State<Arc<App>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], app.lang.catalogue_json()).into_response()
}

async fn asset(UrlPath(name): UrlPath<String>) -> Response {
    match assets::get(&name) {
        Some((kind, bytes)) => ([(header::CONTENT_TYPE, kind)], bytes.into_owned()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn load(State(app): State<Arc<App>>) -> Response {
    match store::read(&app.dossier) {
        Ok(s) => Json(match s.doc {
            Ok(doc) => json!({ "version": s.version, "doc": doc }),
            Err(e) => json!({ "version": s.version, "doc": null, "error": e }),
        })
        .into_response(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(serde::Deserialize)]
struct Edit {
    /// The version of dossier.json the edit was made on.
    base: String,
    doc: Value,
    /// Which tab saved, so it can ignore the news of its own save.
    #[serde(default)]
    tab: Option<String>,
}

async fn save(State(app): State<Arc<App>>, Json(edit): Json<Edit>) -> Response {
    if !edit.doc.is_object() {
        return problem(StatusCode::BAD_REQUEST, app.lang.t("serve.not_an_outline"));
    }
    let _one_at_a_time = app.saving.lock().await;
    let current = match std::fs::read(&app.dossier) {
        Ok(b) => b,
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let version = store::version_of(&current);
    if version != edit.base {
        // Someone else saved since this tab loaded: it must see their version and choose.
        let doc = serde_json::from_slice::<Value>(store::without_bom(&current)).ok();
        let body = json!({ "ok": false, "conflict": true, "version": version, "doc": doc,
                           "message": app.lang.t("serve.conflict") });
        return (StatusCode::CONFLICT, Json(body)).into_response();
    }
    let bytes = store::render(&edit.doc, &String::from_utf8_lossy(&current));
    if bytes == current {
        return Json(json!({ "ok": true, "version": version })).into_response();
    }
    if let Err(e) = store::save(&app.dossier, &bytes) {
        let msg = app.lang.fmt("serve.save_failed", &[("error", &e)]);
        return problem(StatusCode::INTERNAL_SERVER_ERROR, &msg);
    }
    let new = store::version_of(&bytes);
    if let Ok(mut v) = app.version.lock() {
        *v = new.clone();
    }
    app.send("changed", json!({ "version": new, "by": edit.tab }).to_string());
    app.recheck.notify_one();
    Json(json!({ "ok": true, "version": new })).into_response()
}

async fn check(State(app): State<Arc<App>>) -> Response {
    match app.check.lock().ok().and_then(|c| c.clone()) {
        Some(v) => Json(v).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn files(State(app): State<Arc<App>>) -> Response {
    let a = app.clone();
    let listed = tokio::task::spawn_blocking(move || {
        let root = store::read(&a.dossier).ok().and_then(|s| s.doc.ok()).unwrap_or(Value::Null);
        crate::init::files_in(&a.base, &root)
    })
    .await;
    match listed {
        Ok(Ok(mut list)) => {
            // Files no evidence uses yet first: those are the ones the clerk is looking for.
            list.sort_by_key(|(_, used)| *used);
            let files: Vec<Value> = list.iter().map(|(p, used)| json!({ "path": p, "used": used })).collect();
            Json(json!({ "files": files })).into_response()
        }
        Ok(Err(e)) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.message(app.lang)),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(serde::Deserialize)]
struct UploadTo {
    /// The section's titles from the part down, joined by `/`: the folder the file goes into.
    #[serde(default)]
    dir: String,
    name: String,
}

async fn upload(State(app): State<Arc<App>>, Query(to): Query<UploadTo>, body: Bytes) -> Response {
    let a = app.clone();
    let placed = tokio::task::spawn_blocking(move || place(&a.base, &to.dir, &to.name, &body)).await;
    match placed {
        Ok(Ok(rel)) => Json(json!({ "ok": true, "path": rel })).into_response(),
        Ok(Err(e)) => problem(StatusCode::BAD_REQUEST, &app.lang.fmt("serve.upload_failed", &[("error", &e)])),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// Copy an uploaded file into `dir` (cleaned, inside `base`); its path relative to `base`. An
/// existing file with the same name and other content is never replaced: the copy gets a new name.
pub fn place(base: &Path, dir: &str, name: &str, bytes: &[u8]) -> std::io::Result<String> {
    let denied = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "outside the dossier's folder");
    let parts: Vec<String> =
        dir.split('/').filter(|p| !p.trim().is_empty()).take(4).map(security::clean_name).collect();
    let rel_dir = parts.join("/");
    std::fs::create_dir_all(base.join(&rel_dir))?;
    let real_dir = std::fs::canonicalize(base.join(&rel_dir))?;
    if !real_dir.starts_with(base) {
        return Err(denied());
    }
    let name = security::clean_name(name);
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    for n in 1..1000 {
        let candidate = if n == 1 { name.clone() } else { format!("{stem} ({n}){ext}") };
        let target = real_dir.join(&candidate);
        let rel = if rel_dir.is_empty() { candidate.clone() } else { format!("{rel_dir}/{candidate}") };
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&target) {
            Ok(mut f) => {
                use std::io::Write;
                if let Err(e) = f.write_all(bytes) {
                    let _ = std::fs::remove_file(&target);
                    return Err(e);
                }
                return Ok(rel);
            }
            // The same file dropped twice is the file already there.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                    && std::fs::read(&target).is_ok_and(|b| b == bytes)
                {
                    return Ok(rel);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "too many files of that name"))
}

async fn start_build(State(app): State<Arc<App>>) -> Response {
    if build::start(app.clone()) {
        (StatusCode::ACCEPTED, Json(json!({ "ok": true }))).into_response()
    } else {
        problem(StatusCode::CONFLICT, app.lang.t("serve.build_running"))
    }
}

async fn last_build(State(app): State<Arc<App>>) -> Response {
    let last = app.last_build.lock().ok().and_then(|l| l.clone());
    let earlier = if last.is_none() { earlier_binder(&app) } else { None };
    let building = app.building.load(std::sync::atomic::Ordering::SeqCst);
    Json(json!({ "building": building, "last": last, "earlier": earlier })).into_response()
}

/// The binder the outline names, when one is there and no build has run here yet (it was built on
/// the command line, or before the page was last opened): the page shows it instead of nothing.
fn earlier_binder(app: &App) -> Option<Value> {
    let (d, _) = crate::outline::load(&app.dossier).ok()?;
    let out = crate::output_path(&d, None);
    let modified = std::fs::metadata(&out).ok().filter(|m| m.is_file())?.modified().ok()?;
    let secs = modified.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    let output = out.strip_prefix(&app.base).unwrap_or(&out).to_string_lossy().replace('\\', "/");
    Some(json!({ "output": output, "modified": secs }))
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
        Some("pdf") => "application/pdf",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("tif" | "tiff") => "image/tiff",
        Some("json") => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A file of the folder, streamed, with byte ranges: the preview asks for the parts of a binder it
/// draws, where reading the whole file into memory for every request held a 1.5 GB binder's worth.
async fn send_file(base: &Path, rel: &str, headers: &HeaderMap) -> Response {
    let Some(real) = security::inside(base, rel) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !real.is_file() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut req = axum::http::Request::new(());
    for name in [header::RANGE, header::IF_RANGE, header::IF_MODIFIED_SINCE, header::IF_UNMODIFIED_SINCE] {
        if let Some(v) = headers.get(&name) {
            req.headers_mut().insert(name, v.clone());
        }
    }
    match tower_http::services::ServeFile::new(&real).try_call(req).await {
        Ok(r) => {
            let mut r = r.map(axum::body::Body::new);
            if r.status().is_success() {
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&real)));
            }
            r
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn binder(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let Ok((d, _)) = crate::outline::load(&app.dossier) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let out = crate::output_path(&d, None);
    let rel = out.strip_prefix(&d.base).unwrap_or(&out).to_string_lossy().into_owned();
    send_file(&app.base, &rel, &headers).await
}

async fn file(State(app): State<Arc<App>>, UrlPath(path): UrlPath<String>, headers: HeaderMap) -> Response {
    send_file(&app.base, &path, &headers).await
}
