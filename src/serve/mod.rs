//! `dossier serve`: the outline edited in a browser page on the clerk's own machine.
//!
//! One process serves one dossier, on loopback only. The page's files are embedded in the binary
//! (`assets/web`). Every edit is written to dossier.json at once, in the file's own layout; the
//! problems `check` would report and the figures `status` counts come back after each change, and a
//! build runs from the page with its progress streamed as server-sent events.
//!
//! The parts: `security` (who may ask what, which files may be touched), `store` (reading and
//! writing dossier.json), `diagnose` (problems and figures), `events` (the live stream and the
//! watch on the folder), `build` (a build run for the page), `routes` (the HTTP interface).

mod assets;
mod build;
mod diagnose;
mod events;
mod routes;
mod security;
mod store;

use crate::error::{Error, Lang};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

pub use security::clean_name;

/// The port tried first, so a bookmark keeps working from one day to the next.
pub const DEFAULT_PORT: u16 = 8765;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// dossier.json, or the folder holding it.
    pub dossier: PathBuf,
    /// None: `DEFAULT_PORT`, or a free one if it is taken. Some(0): any free port.
    pub port: Option<u16>,
    /// Open the page in the default browser.
    pub open: bool,
    pub lang: Lang,
}

/// Serve the dossier until the process is stopped (Ctrl+C). Prints the page's address on
/// standard output first.
pub fn run(opts: ServeOptions) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the server: {e}")))?;
    rt.block_on(serve(opts))
}

fn dossier_file(p: &std::path::Path) -> PathBuf {
    if p.is_dir() { p.join(crate::init::DOSSIER_FILE) } else { p.to_path_buf() }
}

async fn serve(opts: ServeOptions) -> Result<(), Error> {
    let lang = opts.lang;
    let path = dossier_file(&opts.dossier);
    let unreadable = |e: std::io::Error| {
        Error::input(crate::error::Diagnostic::error(
            &Default::default(),
            Some(path.clone()),
            crate::error::Problem::DossierUnreadable(e.to_string()),
        ))
    };
    let path = std::fs::canonicalize(&path).map_err(unreadable)?;
    let base = path.parent().map(|p| p.to_path_buf()).unwrap_or_else(|| PathBuf::from("."));

    let (v4, v6, port) = bind(opts.port).await?;
    let token = security::new_token()?;
    let app = Arc::new(routes::App::new(path, base, port, token.clone(), lang)?);
    let router = routes::router(app.clone());

    events::watch(app.clone())?;
    diagnose::start(app.clone());

    let url = format!("http://127.0.0.1:{port}/?token={token}");
    // Written, not println!: a closed standard output (a launcher that reads the address and goes
    // away) must not stop the server.
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", lang.fmt("serve.listening", &[("url", &url)]));
    let _ = writeln!(out, "{}", lang.t("serve.stop_hint"));
    let _ = out.flush();
    if opts.open && open_browser(&url).is_err() {
        eprintln!("{}", lang.t("serve.no_browser"));
    }

    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let served = async {
        let a = axum::serve(v4, router.clone());
        match v6 {
            Some(v6) => tokio::try_join!(a, axum::serve(v6, router)).map(|_| ()),
            None => a.await,
        }
    };
    tokio::select! {
        r = served => r.map_err(|e| Error::Internal(format!("the server stopped: {e}"))),
        _ = stop => Ok(()),
    }
}

/// The default browser, or the program named by DOSSIER_BROWSER (on every system, where opener
/// reads BROWSER only on Linux): a test, or an office that wants another browser, names it.
fn open_browser(url: &str) -> std::io::Result<()> {
    match std::env::var_os("DOSSIER_BROWSER") {
        // Not waited for: the browser outlives the server's console.
        Some(p) if !p.is_empty() => std::process::Command::new(p).arg(url).spawn().map(drop),
        _ => opener::open_browser(url).map_err(std::io::Error::other),
    }
}

/// Listen on 127.0.0.1 and, where the machine has IPv6, on ::1 at the same port.
async fn bind(wanted: Option<u16>) -> Result<(tokio::net::TcpListener, Option<tokio::net::TcpListener>, u16), Error> {
    use tokio::net::TcpListener;
    let cannot = |e: std::io::Error| Error::Internal(format!("cannot listen on 127.0.0.1: {e}"));
    let v4 = match wanted {
        Some(p) => TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, p))).await.map_err(cannot)?,
        None => match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT))).await {
            Ok(l) => l,
            // Another dossier serve (or another program) has the usual port: any free one will do.
            Err(_) => TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await.map_err(cannot)?,
        },
    };
    let port = v4.local_addr().map_err(cannot)?.port();
    let v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await.ok();
    Ok((v4, v6, port))
}
