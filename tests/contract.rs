//! The binder contract, judged by the independent checker kept beside the repository
//! (../shared/tools/verify_binder.py) on its sample case of real producers' files.

mod common;
use common::*;
use std::process::Command;

#[test]
fn tiny_case_passes_the_binder_checker() {
    let shared = repo().join("../shared");
    let case = shared.join("cases/tiny");
    let checker = shared.join("tools/verify_binder.py");
    if !case.is_dir() || !checker.is_file() {
        eprintln!("skipped: {} is not present next to the repository", case.display());
        return;
    }
    let out = scratch("contract").join("tiny.pdf");
    let o = dossier(&["build", case.join("dossier.json").to_str().unwrap(), "-o", out.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    let r = Command::new("python3")
        .arg(&checker)
        .arg(&case)
        .arg(&out)
        .output()
        .expect("python3 runs the checker (pip install pymupdf pikepdf)");
    let report = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "checker failed:\n{report}\n{}", String::from_utf8_lossy(&r.stderr));
    assert!(report.contains(" passed, 0 failed"), "{report}");
}
