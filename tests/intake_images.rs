//! Pictures as scanners and phones make them — CMYK and YCCK JPEGs, progressive JPEGs, 16-bit PNGs
//! with alpha, palette PNGs with and without transparency, grey PNGs, multi-page TIFFs in strips or
//! G4, and files whose names lie about their kind — each shown in the colours ImageMagick shows.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// ImageMagick's `convert` (the name both version 6 and 7 answer to).
fn convert(args: &[&str], cwd: &Path) {
    let o = Command::new("convert").args(args).current_dir(cwd).output().expect("ImageMagick is installed");
    assert!(o.status.success(), "convert {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// ImageMagick's rendering of frame `frame` on white: (width, height, RGB).
fn magick_rgb(file: &Path, frame: usize) -> (usize, usize, Vec<u8>) {
    let src = format!("{}[{frame}]", file.display());
    let o = Command::new("convert")
        .args([&src, "-background", "white", "-flatten", "-colorspace", "sRGB", "-depth", "8", "ppm:-"])
        .output()
        .expect("ImageMagick is installed");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    parse_pnm(&o.stdout)
}

/// The CMYK samples at the centres of the picture's halves on binder page `index` (0-based), as
/// MuPDF renders the page into CMYK: a DeviceCMYK image's samples come through unconverted.
fn cmyk_halves_in_binder(pdf: &Path, index: usize) -> Vec<Vec<u8>> {
    let script = r#"
import sys, json, pymupdf
pix = pymupdf.open(sys.argv[1])[int(sys.argv[2])].get_pixmap(dpi=50, colorspace=pymupdf.csCMYK)
w, h = pix.width, pix.height
dark = [(x, y) for y in range(int(h * 0.85)) for x in range(w) if pix.pixel(x, y)[3] > 150]
x0, x1 = min(p[0] for p in dark), max(p[0] for p in dark)
y = (min(p[1] for p in dark) + max(p[1] for p in dark)) // 2
print(json.dumps([pix.pixel(x0 + (x1 - x0) // 4, y), pix.pixel(x0 + 3 * (x1 - x0) // 4, y)]))
"#;
    let o = Command::new("python3")
        .args(["-c", script, pdf.to_str().unwrap(), &index.to_string()])
        .output()
        .expect("python3 with pymupdf");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("two CMYK samples")
}

/// ImageMagick's CMYK samples at the centres of the halves of a `w`×`h` picture.
fn magick_cmyk_halves(file: &Path, w: usize, h: usize) -> Vec<Vec<u8>> {
    let o = Command::new("convert").arg(file).args(["-depth", "8", "cmyk:-"]).output().expect("ImageMagick");
    assert!(o.status.success() && o.stdout.len() == w * h * 4, "{}", String::from_utf8_lossy(&o.stderr));
    let at = |x: usize| o.stdout[(h / 2 * w + x) * 4..][..4].to_vec();
    vec![at(4 + (w - 9) / 4), at(4 + 3 * (w - 9) / 4)]
}

/// The colours at the centres of the left and right halves of an image.
fn halves(w: usize, h: usize, px: &[u8], (x0, y0, x1, y1): (usize, usize, usize, usize)) -> [[u8; 3]; 2] {
    let _ = h;
    let y = (y0 + y1) / 2;
    let at = |x: usize| {
        let i = (y * w + x) * 3;
        [px[i], px[i + 1], px[i + 2]]
    };
    [at(x0 + (x1 - x0) / 4), at(x0 + 3 * (x1 - x0) / 4)]
}

/// Where the picture is on a rendered page: the box of its dark frame (black, or grey where the
/// picture is half transparent), above the number band.
fn picture_box(w: usize, h: usize, px: &[u8]) -> (usize, usize, usize, usize) {
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h * 85 / 100 {
        for x in 0..w {
            let i = (y * w + x) * 3;
            if px[i] < 130 && px[i + 1] < 130 && px[i + 2] < 130 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    assert!(x1 > x0 + 20 && y1 > y0 + 10, "no picture found on the page");
    (x0, y0, x1, y1)
}

fn close(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    a.iter().zip(b).all(|(&x, y)| (x as i32 - y as i32).abs() <= tolerance)
}

/// Two halves of colour, framed in black, as an RGB image.
fn two_halves(left: [u8; 3], right: [u8; 3]) -> (u16, u16, Vec<u8>) {
    let (w, h) = (240u16, 120u16);
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let frame = x < 4 || y < 4 || x >= w - 4 || y >= h - 4;
            px.extend_from_slice(&if frame {
                [0, 0, 0]
            } else if x < w / 2 {
                left
            } else {
                right
            });
        }
    }
    (w, h, px)
}

#[test]
fn pictures_of_every_kind_show_imagemagicks_colours() {
    let dir = scratch("intake-images");
    let (l, r) = ([200u8, 40, 40], [40u8, 90, 200]);
    let (w, h, rgb) = two_halves(l, r);
    std::fs::write(dir.join("halves.ppm"), [format!("P6\n{w} {h}\n255\n").into_bytes(), rgb.clone()].concat()).unwrap();
    // CMYK with Adobe's inverted samples, straight from an encoder; ImageMagick's own CMYK JPEG is
    // YCCK (Adobe transform 2).
    let cmyk: Vec<u8> = rgb
        .chunks(3)
        .flat_map(|p| {
            let k = 255 - *p.iter().max().unwrap();
            let c = |v: u8| if k == 255 { 0 } else { ((255 - v as u32 - k as u32) * 255 / (255 - k as u32)) as u8 };
            [c(p[0]), c(p[1]), c(p[2]), k]
        })
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 95).encode(&cmyk, w, h, jpeg_encoder::ColorType::Cmyk).unwrap();
    std::fs::write(dir.join("cmyk.jpg"), &jpeg).unwrap();
    convert(&["halves.ppm", "-colorspace", "CMYK", "-quality", "95", "ycck.jpg"], &dir);
    convert(&["halves.ppm", "-interlace", "JPEG", "progressive.jpg"], &dir);
    convert(
        &[
            "halves.ppm",
            "-alpha",
            "set",
            "-channel",
            "A",
            "-evaluate",
            "set",
            "55%",
            "+channel",
            "-depth",
            "16",
            "PNG64:rgba16.png",
        ],
        &dir,
    );
    convert(&["halves.ppm", "-colors", "8", "PNG8:palette.png"], &dir);
    // Palette with transparency (tRNS): the right half see-through, so white on paper.
    convert(&["halves.ppm", "-transparent", "rgb(40,90,200)", "PNG8:palette-trns.png"], &dir);
    convert(&["halves.ppm", "-colorspace", "Gray", "-depth", "8", "PNG:grey.png"], &dir);
    convert(&["halves.ppm", "-colorspace", "Gray", "-depth", "16", "PNG:grey16.png"], &dir);
    // Two pages in LZW strips of eight rows; two bilevel pages in G4.
    let strips = "halves.ppm ( halves.ppm -flop ) -compress LZW -define tiff:rows-per-strip=8 strips.tif";
    convert(&strips.split(' ').collect::<Vec<_>>(), &dir);
    // Bilevel: white and black halves in a black frame, the second page mirrored.
    convert(
        &[
            "-size",
            "232x112",
            "xc:white",
            "-fill",
            "black",
            "-draw",
            "rectangle 116,0 231,111",
            "-bordercolor",
            "black",
            "-border",
            "4",
            "(",
            "+clone",
            "-flop",
            ")",
            "-type",
            "bilevel",
            "-compress",
            "Group4",
            "g4.tif",
        ],
        &dir,
    );
    // Kinds come from content: a JPEG named .png, a PNG named .pdf.
    std::fs::copy(dir.join("progressive.jpg"), dir.join("jpeg named.png")).unwrap();
    std::fs::copy(dir.join("palette.png"), dir.join("png named.pdf")).unwrap();

    let files: &[(&str, usize)] = &[
        ("cmyk.jpg", 1),
        ("ycck.jpg", 1),
        ("progressive.jpg", 1),
        ("rgba16.png", 1),
        ("palette.png", 1),
        ("palette-trns.png", 1),
        ("grey.png", 1),
        ("grey16.png", 1),
        ("strips.tif", 2),
        ("g4.tif", 2),
        ("jpeg named.png", 1),
        ("png named.pdf", 1),
    ];
    let evidence: Vec<serde_json::Value> =
        files.iter().map(|(f, _)| serde_json::json!({ "title": f, "files": [f] })).collect();
    let d = serde_json::json!({
        "title": "图片测试", "output": "out/binder.pdf",
        "parts": [{ "title": "第一部分 图片", "evidence": evidence }]
    });
    std::fs::write(dir.join("dossier.json"), serde_json::to_string(&d).unwrap()).unwrap();
    let o = dossier(&["build"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("out/binder.pdf");
    let q = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
    let qs = String::from_utf8_lossy(&q.stdout);
    assert!(q.status.success() && !qs.contains("WARNING"), "{qs}");

    let pages = Binder::open(&pdf).pages.len();
    let frames: Vec<(&str, usize)> = files.iter().flat_map(|&(f, n)| (0..n).map(move |k| (f, k))).collect();
    let first = pages - frames.len();
    let mut wrong = Vec::new();
    for (i, (file, frame)) in frames.iter().enumerate() {
        if file.starts_with("cmyk") || file.starts_with("ycck") {
            // CMYK is compared as CMYK: converting it to RGB is each renderer's own business
            // (poppler and MuPDF use a printing profile, ImageMagick plain arithmetic).
            let got = cmyk_halves_in_binder(&pdf, first + i);
            let want = magick_cmyk_halves(&dir.join(file), w as usize, h as usize);
            if got.iter().zip(&want).any(|(g, w)| g.iter().zip(w).any(|(a, b)| (*a as i32 - *b as i32).abs() > 6)) {
                wrong.push(format!("{file}: binder CMYK {got:?}, ImageMagick {want:?}"));
            }
            continue;
        }
        let (pw, ph, px) = render_page(&pdf, first + i + 1, 50);
        let got = halves(pw, ph, &px, picture_box(pw, ph, &px));
        let (mw, mh, mpx) = magick_rgb(&dir.join(file), *frame);
        let want = halves(mw, mh, &mpx, (4, 4, mw - 5, mh - 5));
        // Renderers differ by a few levels in JPEG decoding and scaling; a dropped or inverted
        // channel, a lost alpha or palette entry is off by a hundred.
        if !(close(got[0], want[0], 16) && close(got[1], want[1], 16)) {
            wrong.push(format!("{file}[{frame}]: binder {got:?}, ImageMagick {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "colours differ:\n{}", wrong.join("\n"));

    // The JPEG named .png is still passed through as a JPEG.
    let b = Binder::open(&pdf);
    let progressive = std::fs::read(dir.join("progressive.jpg")).unwrap();
    assert!(b.images().iter().any(|(data, f)| f == "DCTDecode" && *data == progressive), "JPEG bytes not kept");
}
