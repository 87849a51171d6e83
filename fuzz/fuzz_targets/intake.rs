//! Arbitrary bytes through everything that reads a user's file: kind sniffing, PDF loading and
//! page copying (with the number stamp and annotations, and every Flate/LZW stream decoded on its
//! way through and mended when damaged), the damaged-page scan `check` runs, and the rebuild of
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

fn jpeg(data: &[u8]) {
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
    let Ok(frames) = image::tiff_frames(data, MAX_PIXELS) else { return };
    for frame in 0..frames.len().min(8) {
        let _ = pixels::tiff_frame(data, frame as u32);
    }
}
