//! PDFs written by hand or by careless programs, which qpdf, MuPDF and poppler all reconstruct:
//! comments between objects, stream /Lengths that are wrong (short, long, negative, a reference to
//! a wrong number), no cross-reference table or one that points nowhere, objects without their
//! `endobj`. Each page must come out in the binder with its text.

mod common;
use common::*;

struct Faults {
    /// What /Length says, as written: a number, or a reference to object 6 holding this number.
    length: String,
    comments: bool,
    xref: Xref,
    endobj: bool,
    eol: &'static str,
}

#[derive(Clone, Copy)]
enum Xref {
    None,
    /// A table whose offsets are all wrong, and a `startxref` past the end of the file.
    Bogus,
}

fn hand_written(label: &str, f: &Faults) -> Vec<u8> {
    let eol = f.eol;
    let content = format!("BT /F1 20 Tf 72 700 Td (Written by hand: {label}) Tj ET");
    let (length, extra) = match f.length.strip_prefix("ref ") {
        Some(n) => ("6 0 R".to_string(), Some(n.to_string())),
        None => (f.length.clone(), None),
    };
    let mut objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {length} >>{eol}stream{eol}{content}{eol}endstream"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    objs.extend(extra);
    let mut out = format!("%PDF-1.4{eol}");
    for (i, o) in objs.iter().enumerate() {
        if f.comments {
            out += &format!("% object {} follows; 3 0 obj is the page{eol}", i + 1);
        }
        out += &format!("{} 0 obj{eol}{o}{eol}", i + 1);
        if f.endobj {
            out += &format!("endobj{eol}");
        }
    }
    let size = objs.len() + 1;
    if let Xref::Bogus = f.xref {
        out += &format!("xref{eol}0 {size}{eol}0000000000 65535 f \n");
        for _ in 0..objs.len() {
            out += "0000000017 00000 n \n";
        }
    }
    out += &format!("trailer{eol}<< /Size {size} /Root 1 0 R >>{eol}");
    if let Xref::Bogus = f.xref {
        out += &format!("startxref{eol}999999{eol}");
    }
    out += &format!("%%EOF{eol}");
    out.into_bytes()
}

#[test]
fn pages_viewers_reconstruct_come_out_with_their_text() {
    let cases: Vec<(&str, Faults)> = vec![
        ("short length", base_of()),
        ("long length", Faults { length: "400".into(), ..base_of() }),
        ("length past the end", Faults { length: "999999".into(), xref: Xref::Bogus, ..base_of() }),
        ("negative length", Faults { length: "-5".into(), ..base_of() }),
        ("length refers to a wrong number", Faults { length: "ref 7".into(), ..base_of() }),
        ("no endobj", Faults { length: "200".into(), endobj: false, ..base_of() }),
        ("bogus table", Faults { xref: Xref::Bogus, ..base_of() }),
        ("carriage returns", Faults { length: "90".into(), eol: "\r", ..base_of() }),
        ("no comments", Faults { length: "-1".into(), comments: false, xref: Xref::Bogus, ..base_of() }),
    ];
    let dir = scratch("hand-written");
    let mut evidence = Vec::new();
    for (i, (label, f)) in cases.iter().enumerate() {
        let name = format!("hand{i}.pdf");
        std::fs::write(dir.join(&name), hand_written(label, f)).unwrap();
        evidence.push(serde_json::json!({ "title": label, "files": [name] }));
    }
    let d = serde_json::json!({ "title": "手写的 PDF", "parts": [{ "title": "第一部分", "evidence": evidence }] });
    std::fs::write(dir.join("dossier.json"), d.to_string()).unwrap();
    let o = dossier(&["build", "-o", "out.pdf"], &dir);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("out.pdf");
    tool("qpdf", &["--check", out.to_str().unwrap()]);
    let texts = page_texts(&out);
    let body = &texts[texts.len() - cases.len()..];
    for ((label, _), page) in cases.iter().zip(body) {
        assert!(page.contains(&format!("Written by hand: {label}")), "{label}: {page}");
    }
}

/// Comments between objects, no cross-reference table, a /Length too short.
fn base_of() -> Faults {
    Faults { length: "20".into(), comments: true, xref: Xref::None, endobj: true, eol: "\n" }
}
