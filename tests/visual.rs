//! Visual regression, in the manner of typst's and resvg's suites: each folder under tests/visual/
//! holds a dossier.json and reference renderings of every page of its binder (pdftoppm, 20 dpi,
//! grey). A page whose pixels drift beyond a small threshold fails the test; `UPDATE=1 cargo test
//! --release --test visual` rewrites the references after a deliberate change (look at them!).
//! Read back from the same PDFs: no line of text starts with punctuation that 禁则 forbids there,
//! and no wrapped 目录 entry ends in a line of one or two characters before its leaders.

mod common;
use common::*;
use std::path::Path;

/// A pixel differs when its grey level moves by more than this.
const LEVEL: u8 = 48;
/// A page fails when more than this share of its pixels differ.
const SHARE: f64 = 0.004;

fn render_grey(pdf: &Path, dir: &Path) -> Vec<(usize, usize, Vec<u8>)> {
    let prefix = dir.join("page");
    tool("pdftoppm", &["-r", "20", "-gray", pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    files.sort();
    files.iter().map(|f| parse_pnm(&std::fs::read(f).unwrap())).collect()
}

fn write_png(path: &Path, (w, h, px): &(usize, usize, Vec<u8>)) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut enc = png::Encoder::new(file, *w as u32, *h as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(px).unwrap();
}

fn read_png(path: &Path) -> Option<(usize, usize, Vec<u8>)> {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).ok()?));
    let mut r = dec.read_info().ok()?;
    let mut buf = vec![0; r.output_buffer_size()?];
    let info = r.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    Some((info.width as usize, info.height as usize, buf))
}

const NO_START: &str = "，。、；：！？）」』”’》〉】〕…";

#[test]
fn pages_match_their_references() {
    let update = std::env::var_os("UPDATE").is_some();
    let root = repo().join("tests/visual");
    let mut cases: Vec<_> =
        std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 3, "the visual cases are missing");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let work = scratch(&format!("visual-{name}"));
        let pdf = work.join("binder.pdf");
        let o = dossier(&["build", case.join("dossier.json").to_str().unwrap(), "-o", pdf.to_str().unwrap()], &repo());
        assert!(o.status.success(), "{name}: {}", stderr(&o));

        for (p, text) in page_texts(&pdf).iter().enumerate() {
            let mut wrapped = false;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let t = line.trim_start();
                if let Some(c) = t.chars().next() {
                    assert!(!NO_START.contains(c), "{name} page {}: a line starts with {c:?}: {t:?}", p + 1);
                }
                // A 目录 line with leaders ends its entry; one without is a wrapped title's line.
                let leaders = t.find("..");
                if let Some(at) = leaders.filter(|_| wrapped) {
                    let chars = t[..at].chars().filter(|c| c.is_alphanumeric()).count();
                    assert!(chars >= 3, "{name} page {}: a wrapped entry ends in {t:?}", p + 1);
                }
                wrapped = leaders.is_none() && !t.starts_with('—') && no_space(t) != "目录";
            }
        }

        let pages = render_grey(&pdf, &work);
        let refs = case.join("refs");
        if update {
            let _ = std::fs::remove_dir_all(&refs);
            std::fs::create_dir_all(&refs).unwrap();
            for (i, page) in pages.iter().enumerate() {
                write_png(&refs.join(format!("{:03}.png", i + 1)), page);
            }
            continue;
        }
        let count = std::fs::read_dir(&refs).map(|d| d.count()).unwrap_or(0);
        if count != pages.len() {
            failures.push(format!("{name}: {} pages, {count} references", pages.len()));
            continue;
        }
        for (i, (w, h, px)) in pages.iter().enumerate() {
            let r = refs.join(format!("{:03}.png", i + 1));
            let Some((rw, rh, rpx)) = read_png(&r) else {
                failures.push(format!("{name}: cannot read {}", r.display()));
                continue;
            };
            if (rw, rh) != (*w, *h) {
                failures.push(format!("{name} page {}: {w}×{h}, reference {rw}×{rh}", i + 1));
                continue;
            }
            let differ = px.iter().zip(&rpx).filter(|(a, b)| a.abs_diff(**b) > LEVEL).count();
            let share = differ as f64 / px.len() as f64;
            if share > SHARE {
                let diff: Vec<u8> = px.iter().zip(&rpx).map(|(a, b)| 255 - a.abs_diff(*b)).collect();
                let out = work.join(format!("diff-{:03}.png", i + 1));
                write_png(&out, &(*w, *h, diff));
                failures.push(format!(
                    "{name} page {}: {:.2}% of pixels differ (see {})",
                    i + 1,
                    share * 100.0,
                    out.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "pages drifted from their references (UPDATE=1 to accept):\n{}", failures.join("\n"));
}
