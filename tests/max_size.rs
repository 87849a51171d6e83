//! `--max-size`: a binder too large for the upload limit is split into volumes at part or section
//! boundaries, each under the limit with its own cover and 目录, the page numbers running on.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn manifest_rows(pdf: &Path) -> Vec<serde_json::Value> {
    let m = pdf.with_extension("manifest.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
    v.as_array().expect("a row per page in the manifest").clone()
}

#[test]
fn a_binder_that_cannot_fit_is_split_into_volumes() {
    let dir = scratch("max-size-volumes");
    let sample = repo().join("dossier.json");
    let full = dir.join("full.pdf");
    let o = dossier(&["build", sample.to_str().unwrap(), "-o", full.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    let limit = std::fs::metadata(&full).unwrap().len() * 3 / 5;

    let out = dir.join("binder.pdf");
    let o = dossier(
        &["build", sample.to_str().unwrap(), "-o", out.to_str().unwrap(), "--max-size", &limit.to_string()],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.exists(), "the unsplit binder was written too");
    let volumes: Vec<PathBuf> =
        (1..).map(|k| dir.join(format!("binder-第{k}册.pdf"))).take_while(|p| p.exists()).collect();
    assert!(volumes.len() >= 2, "no volumes: {}", stdout(&o));
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let count = numerals[volumes.len() - 1];

    let mut next = 1; // printed number of the next body page
    let mut sources = Vec::new();
    for (k, v) in volumes.iter().enumerate() {
        let size = std::fs::metadata(v).unwrap().len();
        assert!(size <= limit, "{}: {size} bytes for a limit of {limit}", v.display());
        tool("qpdf", &["--check", v.to_str().unwrap()]);

        let b = Binder::open(v);
        let labels = b.labels();
        assert_eq!(labels[0], "封面");
        let body = labels.iter().position(|l| l.parse::<usize>().is_ok()).expect("numbered body pages");
        assert!(body >= 2, "{}: no 目录", v.display());
        for (i, l) in labels.iter().enumerate().skip(body) {
            assert_eq!(l, &(next + i - body).to_string(), "{}: label of page {}", v.display(), i + 1);
        }
        let texts = page_texts(v);
        let cover = no_space(&texts[0]);
        assert!(cover.contains(&format!("第{}册（共{count}册）", numerals[k])), "cover of volume {}: {cover}", k + 1);
        // The 目录 starts where the volume does; the printed numbers match the labels.
        let first_entry = texts[1].lines().find(|l| l.contains("..")).expect("a 目录 entry");
        assert!(first_entry.trim_end().ends_with(&next.to_string()), "volume {}: {first_entry}", k + 1);
        let printed = no_space(&texts[body]);
        assert!(printed.contains(&format!("—{next}—")), "volume {}: page {next} printed as {printed}", k + 1);
        assert_eq!(b.bookmarks().first().map(|m| m.1.as_str()), Some("目录"));

        let rows = manifest_rows(v);
        for r in rows.iter().filter(|r| r["printed"].as_str().is_some_and(|l| l.parse::<usize>().is_ok())) {
            if let Some(f) = r["file"].as_str().filter(|f| !f.is_empty()) {
                sources.push((f.to_string(), r["file_page"].clone()));
            }
        }
        next += labels.len() - body;
    }
    // Every source page of the whole binder, each once, in the same order.
    let whole: Vec<(String, serde_json::Value)> = manifest_rows(&full)
        .iter()
        .filter_map(|r| r["file"].as_str().filter(|f| !f.is_empty()).map(|f| (f.to_string(), r["file_page"].clone())))
        .collect();
    assert_eq!(sources, whole);

    // Built again without the limit: one file, and no stale volume left to be uploaded with it.
    let o = dossier(&["build", sample.to_str().unwrap(), "-o", out.to_str().unwrap()], &repo());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
    for v in &volumes {
        assert!(!v.exists(), "{} was left behind", v.display());
        assert!(!v.with_extension("manifest.json").exists());
    }
}

#[test]
fn sizes_are_read_as_people_write_them() {
    let dir = scratch("max-size-bad");
    let o = dossier(&["build", repo().join("dossier.json").to_str().unwrap(), "--max-size", "fifty"], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("50MB"), "{}", stderr(&o));
}
