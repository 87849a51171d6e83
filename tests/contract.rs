//! The binder contract, judged by the independent checker kept beside the repository
//! (../shared/tools/verify_binder.py) on its sample case of real producers' files.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sample case and the checker, when the shared folder is beside the repository.
fn shared_case() -> Option<(PathBuf, PathBuf)> {
    let shared = shared_dir().unwrap_or_else(|| repo().join("../shared"));
    let case = shared.join("cases/tiny");
    let checker = shared.join("tools/verify_binder.py");
    if !case.is_dir() || !checker.is_file() {
        eprintln!("skipped: {} is not present next to the repository", case.display());
        return None;
    }
    Some((case, checker))
}

fn assert_checker_passes(checker: &Path, case: &Path, binder: &Path) {
    let r = Command::new("python3")
        .arg(checker)
        .arg(case)
        .arg(binder)
        .output()
        .expect("python3 runs the checker (pip install pymupdf pikepdf)");
    let report = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "checker failed:\n{report}\n{}", String::from_utf8_lossy(&r.stderr));
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

#[test]
fn tiny_case_passes_the_binder_checker() {
    let Some((case, checker)) = shared_case() else { return };
    let out = scratch("contract").join("tiny.pdf");
    let o = dossier(&["build", case.join("dossier.json").to_str().unwrap(), "-o", out.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_checker_passes(&checker, &case, &out);
}

/// Under an upload limit the photos give way first: one file, under the limit, still a binder
/// that passes every check (photos upright, every page present, numbers and labels agreeing).
#[test]
fn a_size_limit_met_by_smaller_photos_still_passes_the_checker() {
    let Some((case, checker)) = shared_case() else { return };
    let dir = scratch("contract-max-size");
    let full = dir.join("full.pdf");
    let o = dossier(&["build", case.join("dossier.json").to_str().unwrap(), "-o", full.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    let full_size = std::fs::metadata(&full).unwrap().len();
    // Two thirds of the full size: more than the text and scans take, less than with full photos.
    let limit = full_size * 2 / 3;
    let out = dir.join("fit.pdf");
    let o = dossier(
        &[
            "build",
            case.join("dossier.json").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--max-size",
            &limit.to_string(),
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size <= limit, "{size} bytes written for a limit of {limit}");
    assert!(stdout(&o).contains("photos were brought down to"), "{}", stdout(&o));
    assert!(!dir.join("fit-第1册.pdf").exists(), "split although smaller photos were enough");
    assert_checker_passes(&checker, &case, &out);
}
