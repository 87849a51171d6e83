//! Arbitrary bytes through everything that reads a user's file: kind sniffing, PDF loading and
//! page copying (with the number stamp and annotations, and every filter chain decoded on its
//! way through and mended when damaged; the same chains and the JPEG marker check over the raw
//! bytes), the damaged-page scan `check` runs, and the rebuild of
//! files whose cross-reference data is unusable; JPEG/PNG/TIFF reading and re-encoding.
//! Panics that intake catches on purpose (lopdf's, inside catch_unwind) are not crashes; stack
//! overflows, aborts, hangs and runaway memory are.

#![no_main]

use dossier::assemble::copy::Copier;
use dossier::assemble::{dests, downsample, image as pixels, place};
use dossier::sources::{self, image};
use dossier::typeset::Style;
use dossier::write::PdfWriter;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// Small enough that a frame fits the fuzzer's memory limit many times over.
const MAX_PIXELS: u64 = 4_000_000;
const MAX_PAGES: usize = 64;

fuzz_target!(
    init: {
        // libfuzzer-sys aborts on any panic; intake catches lopdf's on purpose, so let those
        // unwind. A panic nobody catches still reaches the fuzzer as a crash.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
        filter_chains(data);
        let head = &data[..data.len().min(8192)];
        match sources::sniff(Path::new("input"), head) {
            Ok("pdf") => pdf(data),
            Ok("jpeg") => jpeg(data),
            Ok("png") => png(data),
            Ok("tiff") => tiff(data),
            _ => {}
        }
    }
);

fn pdf(data: &[u8]) {
    // Content as a mended stream would be cut, whatever the bytes.
    let _ = sources::pdf::damage::content_prefix(data);
    let Ok(mut doc) = sources::pdf::open_bytes(data) else { return };
    let style = Style::default();
    let Ok(mut w) = PdfWriter::new(std::io::sink()) else { return };
    let stamp = place::Stamp { xobject: w.alloc(), number: 1, width: 40.0, note: Some(w.alloc()) };
    let parent = w.alloc();
    let mut copier = Copier::default();
    let Ok(slots) = sources::pdf::page_slots(&doc) else { return };
    let _ = sources::pdf::damage::damaged_pages(&doc, &slots[..slots.len().min(MAX_PAGES)]);
    let names = dests::Names::read(&doc);
    for id in slots.into_iter().flatten().take(MAX_PAGES) {
        let slot = place::Slot { id: w.alloc(), parent };
        if place::place_pdf_page(&mut doc, id, slot, &mut copier, &names, &mut w, &style, (&stamp, None)).is_err() {
            return;
        }
    }
}

/// The bytes as the data of a stream behind each filter chain the copier decodes, checked and,
/// when damaged, mended: what a stream in a PDF would meet without the PDF around it.
fn filter_chains(data: &[u8]) {
    use lopdf::dictionary;
    use sources::pdf::damage::{Plan, Role, Verdict};
    let name = |n: &str| lopdf::Object::Name(n.as_bytes().to_vec());
    let chains: [(&[&str], Role); 6] = [
        (&["ASCII85Decode", "LZWDecode"], Role::Content),
        (&["ASCIIHexDecode", "FlateDecode"], Role::Content),
        (&["RunLengthDecode"], Role::Content),
        (&["FlateDecode"], Role::Data),
        (&["ASCII85Decode", "FlateDecode", "DCTDecode"], Role::Data),
        (&["DCTDecode"], Role::Data),
    ];
    for (filters, role) in chains {
        let mut d = dictionary! {
            "Filter" => filters.iter().map(|f| name(f)).collect::<Vec<_>>(),
            "DecodeParms" => dictionary! { "Predictor" => 12, "Columns" => 7 },
        };
        let Some(plan) = Plan::of(&d, role) else { continue };
        if let Verdict::Damaged { good } = plan.check(data) {
            let _ = plan.mend(&mut d, data, good);
        }
    }
}

fn jpeg(data: &[u8]) {
    // The markers as a JPEG inside a PDF is checked.
    let _ = sources::pdf::damage::jpeg::whole(data);
    let Ok(info) = image::jpeg_info(data) else { return };
    if image::check_pixels(info.width, info.height, MAX_PIXELS).is_err() {
        return;
    }
    let _ = image::orientation(data);
    let size = ((info.width / 3).max(1), (info.height / 3).max(1));
    let _ = downsample::encode(data, &info, size, 80);
    let _ = pixels::jpeg(data.to_vec(), &info);
}

fn png(data: &[u8]) {
    let Ok(info) = image::png_info(data) else { return };
    if image::check_pixels(info.width, info.height, MAX_PIXELS).is_ok() {
        let _ = pixels::png(data);
    }
}

fn tiff(data: &[u8]) {
    let Ok(frames) = image::tiff_frames(std::io::Cursor::new(data), MAX_PIXELS) else { return };
    for frame in 0..frames.len().min(8) {
        let _ = pixels::tiff_frame(data, frame as u32);
    }
}
