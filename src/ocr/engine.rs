//! Tesseract, run as an external program as LibreOffice is: found on PATH, by DOSSIER_TESSERACT or
//! in the usual Windows install folder, each page in a process of its own with a timeout. Its
//! languages are checked before the build starts, so `--ocr` without the Chinese model fails at
//! once instead of after the first page.

use crate::error::Problem;
use crate::sources::runner;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Chinese alone: `chi_sim+eng` read bold Chinese titles as Latin, and `chi_sim` reads the Latin
/// words and numbers of a Chinese notice well enough.
pub const LANGUAGES: &str = "chi_sim";
/// Fully automatic page segmentation without orientation detection (that is a separate, cheaper
/// pass run only on pages that read badly).
pub const PSM: &str = "3";

#[derive(Debug, Clone)]
pub struct Engine {
    pub program: PathBuf,
    /// `tesseract --version`'s first line: part of every cache key.
    pub version: String,
    /// Whether the orientation model (osd) is installed; without it pages are never turned.
    pub has_osd: bool,
    pub timeout: Duration,
}

/// Where Tesseract is: DOSSIER_TESSERACT, then PATH, then the usual install folders.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_TESSERACT") {
        return Some(PathBuf::from(p));
    }
    let name = if cfg!(windows) { "tesseract.exe" } else { "tesseract" };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let mut usual: Vec<PathBuf> = Vec::new();
    if cfg!(windows) {
        usual.push(r"C:\Program Files\Tesseract-OCR\tesseract.exe".into());
        usual.push(r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe".into());
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            usual.push(Path::new(&local).join(r"Programs\Tesseract-OCR\tesseract.exe"));
        }
    } else {
        usual.push("/usr/bin/tesseract".into());
        usual.push("/usr/local/bin/tesseract".into());
        usual.push("/opt/homebrew/bin/tesseract".into());
    }
    usual.into_iter().find(|p| p.is_file())
}

fn problem(key: &'static str, args: Vec<(&'static str, String)>) -> Problem {
    Problem::Ocr { key, args }
}

/// Run `program args`, its output into `out_base` files or captured; None when it timed out.
fn run_captured(program: &Path, args: &[&str], timeout: Duration) -> Result<Option<(bool, String)>, Problem> {
    // Small outputs only (--version, --list-langs): a pipe cannot fill up and stall the program.
    let mut cmd = Command::new(program);
    cmd.args(args).env("OMP_THREAD_LIMIT", "1").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut running = runner::spawn(&mut cmd).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => not_found(Some(program)),
        _ => problem("failed", vec![("why", e.to_string())]),
    })?;
    let io = |e: std::io::Error| problem("failed", vec![("why", e.to_string())]);
    // These answer in milliseconds: polled closely, so that checking the engine adds next to
    // nothing to a rebuild (the shared runner polls every 20 ms, right for conversions).
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = running.child_mut().try_wait().map_err(io)? {
            break s;
        }
        if start.elapsed() > Duration::from_millis(200) {
            match running.wait_or_kill(timeout.saturating_sub(start.elapsed())).map_err(io)? {
                Some(s) => break s,
                None => return Ok(None),
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    use std::io::Read;
    let mut text = String::new();
    let child = running.child_mut();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.read_to_string(&mut text);
    }
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut text);
    }
    Ok(Some((status.success(), text)))
}

fn not_found(program: Option<&Path>) -> Problem {
    match program {
        Some(p) => problem("engine_unusable", vec![("program", p.display().to_string())]),
        None => problem("no_engine", Vec::new()),
    }
}

impl Engine {
    /// Find the engine and check that it reads Chinese. `program` wins over the search.
    pub fn open(program: Option<PathBuf>, timeout: Duration) -> Result<Engine, Problem> {
        let program = program.or_else(find).ok_or_else(|| not_found(None))?;
        let quick = Duration::from_secs(30);
        let version = match run_captured(&program, &["--version"], quick)? {
            Some((_, text)) => text.lines().find(|l| l.contains("tesseract")).unwrap_or("").trim().to_string(),
            None => return Err(problem("failed", vec![("why", "tesseract --version did not answer".into())])),
        };
        if version.is_empty() {
            return Err(not_found(Some(&program)));
        }
        let langs = match run_captured(&program, &["--list-langs"], quick)? {
            Some((_, text)) => text,
            None => return Err(problem("failed", vec![("why", "tesseract --list-langs did not answer".into())])),
        };
        let has = |l: &str| langs.lines().any(|x| x.trim() == l);
        if !has("chi_sim") {
            return Err(problem("no_chinese", vec![("program", program.display().to_string())]));
        }
        Ok(Engine { program, version, has_osd: has("osd"), timeout })
    }

    /// As [`Engine::open`], remembering a successful check in `cache_dir` for the same program
    /// file: a rebuild then starts no process at all before it knows a page needs reading.
    pub fn open_cached(program: Option<PathBuf>, timeout: Duration, cache_dir: &Path) -> Result<Engine, Problem> {
        let program = program.or_else(find).ok_or_else(|| not_found(None))?;
        let stamp = std::fs::metadata(&program).ok().map(|m| {
            let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            format!(
                "{}|{}|{:?}|{}",
                program.display(),
                m.len(),
                modified.map(|d| d.as_secs()),
                std::env::var("TESSDATA_PREFIX").unwrap_or_default()
            )
        });
        let file = cache_dir.join("ocr").join("engine.txt");
        if let (Some(stamp), Ok(text)) = (&stamp, std::fs::read_to_string(&file)) {
            let mut lines = text.lines();
            if lines.next() == Some(stamp.as_str())
                && let (Some(version), Some(osd)) = (lines.next(), lines.next())
            {
                return Ok(Engine { program, version: version.to_string(), has_osd: osd == "osd", timeout });
            }
        }
        let engine = Engine::open(Some(program), timeout)?;
        if let Some(stamp) = stamp
            && std::fs::create_dir_all(file.parent().unwrap_or(cache_dir)).is_ok()
        {
            let osd = if engine.has_osd { "osd" } else { "-" };
            let _ = std::fs::write(&file, format!("{stamp}\n{}\n{osd}\n", engine.version));
        }
        Ok(engine)
    }

    /// What the recognised text depends on besides the image: part of every cache key.
    pub fn settings(&self) -> String {
        format!("{} -l {LANGUAGES} --psm {PSM} tsv; layout 2", self.version)
    }

    /// Run the engine on `image`, writing `<out_base>.<ext>`; returns that file's text.
    fn run(&self, image: &Path, out_base: &Path, args: &[&str], ext: &str) -> Result<String, Problem> {
        // Tesseract appends the extension to the base name as it is, dots and all.
        let with_ext = |ext: &str| {
            let mut p = out_base.as_os_str().to_os_string();
            p.push(".");
            p.push(ext);
            PathBuf::from(p)
        };
        let err_path = with_ext("err");
        let io = |e: std::io::Error| problem("failed", vec![("why", e.to_string())]);
        let stderr = std::fs::File::create(&err_path).map_err(io)?;
        let mut cmd = Command::new(&self.program);
        // One thread a process, one process a core: with two threads a page took 3–8× longer.
        cmd.arg(image)
            .arg(out_base)
            .args(args)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        let mut running = runner::spawn(&mut cmd).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => not_found(Some(&self.program)),
            _ => problem("failed", vec![("why", e.to_string())]),
        })?;
        let status = running.wait_or_kill(self.timeout).map_err(io)?;
        let out_path = with_ext(ext);
        let result = match status {
            None => Err(problem("timeout", vec![("secs", self.timeout.as_secs().to_string())])),
            Some(s) if !s.success() => {
                let why = std::fs::read_to_string(&err_path).unwrap_or_default();
                let why = why.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").to_string();
                Err(problem("failed", vec![("why", why)]))
            }
            Some(_) => std::fs::read_to_string(&out_path).map_err(io),
        };
        let _ = std::fs::remove_file(&err_path);
        let _ = std::fs::remove_file(&out_path);
        result
    }

    /// The words of `image` as Tesseract's TSV.
    pub fn recognise(&self, image: &Path, out_base: &Path) -> Result<String, Problem> {
        self.run(image, out_base, &["-l", LANGUAGES, "--psm", PSM, "tsv"], "tsv")
    }

    /// The clockwise turn (0, 90, 180, 270) that makes `image` upright, with its confidence; None
    /// when the engine cannot tell (too little text).
    pub fn orientation(&self, image: &Path, out_base: &Path) -> Option<(u16, f32)> {
        let text = self.run(image, out_base, &["--psm", "0"], "osd").ok()?;
        parse_osd(&text)
    }
}

pub fn parse_osd(text: &str) -> Option<(u16, f32)> {
    let field = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string())).filter(|v| !v.is_empty())
    };
    let rotate: u16 = field("Rotate:")?.parse().ok()?;
    let conf: f32 = field("Orientation confidence:")?.parse().ok()?;
    (rotate.is_multiple_of(90) && rotate < 360).then_some((rotate, conf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_orientation_report() {
        let t = "Page number: 0\nOrientation in degrees: 180\nRotate: 180\nOrientation confidence: 3.35\nScript: Han\n";
        assert_eq!(parse_osd(t), Some((180, 3.35)));
        assert_eq!(parse_osd("Too few characters. Skipping this page\n"), None);
    }
}
