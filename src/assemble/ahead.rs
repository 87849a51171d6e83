//! Work done ahead, on the core LibreOffice leaves idle while it starts and converts the Word
//! files (a second or more on a cold build): each PDF's skeleton kept and its streams checked, as
//! copying them into a binder that is thrown away, and each PNG and TIFF coded for the binder.
//! What it learns goes into the same cache entries a build leaves for the next one, so assembly
//! then finds the files as a rebuild does. Nothing here decides what the binder holds: a file
//! this did not reach, or reached and found damaged, is read and checked as before.

use super::copy::Copier;
use super::{image, lean, place, verdicts::Verdicts};
use crate::sources::{Kind, Source};
use crate::write::PdfWriter;
use lopdf::Object;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Prepare `files` in the cache folder `cache_dir` until `stop` turns true.
pub fn prepare(files: &[(&Path, &Source)], cache_dir: &Path, stop: &AtomicBool) {
    let (kept, pictures) = (cache_dir.join("lean"), cache_dir.join("pictures"));
    let hits = AtomicUsize::new(0);
    for &(path, src) in files {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let read = || std::fs::read(src.data_path(path)).ok();
        match &src.kind {
            Kind::Pdf => {
                if let Some(pdf) = &src.pdf {
                    check_pdf(pdf, &kept);
                }
            }
            Kind::Png(_) => {
                if let Some(data) = read() {
                    let _ = image::png_kept(&data, &pictures, &hits);
                }
            }
            Kind::Tiff(frames) => {
                if let Some(data) = read() {
                    for frame in 0..frames.len() as u32 {
                        let _ = image::tiff_kept(&data, frame, &pictures, &hits);
                    }
                }
            }
            Kind::Jpeg(_) | Kind::Docx => {}
        }
    }
}

/// Copy every page's content and resources of `pdf` into a writer that keeps nothing, with the
/// file's verdicts open: they are saved when the copier goes.
fn check_pdf(pdf: &Path, kept: &Path) {
    let verdicts = Verdicts::open(kept, pdf);
    // Prepared by an earlier build: copying it into nothing would only read its scans again.
    if verdicts.known() {
        return;
    }
    let Ok(mut doc) = lean::open_kept(pdf, Some(kept), None) else { return };
    let Ok(slots) = crate::sources::pdf::page_slots(&doc) else { return };
    let Ok(mut w) = PdfWriter::new(std::io::sink()) else { return };
    let mut copier = Copier::default();
    copier.file = Some(pdf.to_path_buf());
    copier.verdicts = Some(verdicts);
    for id in slots.into_iter().flatten() {
        let page = doc.objects.get(&id).and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default();
        for c in place::content_ids(&doc, &page) {
            copier.mark_content(c);
            if copier.copy(&mut doc, &mut w, c).is_err() {
                return;
            }
        }
        let res = place::resources(&doc, &page);
        if copier.rewrite(&mut doc, &mut w, Object::Dictionary(res)).is_err() {
            return;
        }
    }
}
