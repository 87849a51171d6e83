//! Content streams read the way qpdf's checker reads them, and cut between operators when the
//! end of one is lost.

/// The longest start of a content stream that ends after a whole operator, with the text objects,
/// saved graphics states and marked content it leaves open closed. A cut inside a string or an
/// inline image would make every reader stop with an error at the end.
pub fn content_prefix(data: &[u8]) -> Vec<u8> {
    scan_content(data).0
}

/// Whether content parses to its end the way qpdf's checker reads it: no stray `)`, `>` or `]`,
/// no bad character in a hex string, no string left open.
pub fn content_clean(data: &[u8]) -> bool {
    scan_content(data).1
}

/// The mended start of a content stream (see `content_prefix`), and whether the whole of it read
/// cleanly.
fn scan_content(data: &[u8]) -> (Vec<u8>, bool) {
    let mut clean = true;
    let (mut arrays, mut dicts) = (0usize, 0usize);
    let mut i = 0;
    // After the last whole operator: (where, q depth, in text, marked content depth)
    let (mut cut, mut q, mut bt, mut mc) = (0usize, 0usize, false, 0usize);
    let (mut q_at, mut bt_at, mut mc_at) = (0usize, false, 0usize);
    let mut operands = 0usize;
    let delim = |c: u8| b"()<>[]{}/%".contains(&c);
    while i < data.len() {
        let c = data[i];
        if c.is_ascii_whitespace() || c == 0 {
            i += 1;
        } else if c == b'%' {
            while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                i += 1;
            }
        } else if c == b'(' {
            let mut depth = 0usize;
            let mut closed = false;
            while i < data.len() {
                match data[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            closed = true;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            if !closed {
                clean = false;
                break;
            }
            operands += 1;
        } else if c == b'<' && data.get(i + 1) == Some(&b'<') {
            i += 2;
            dicts += 1;
            operands += 1;
        } else if c == b'>' && data.get(i + 1) == Some(&b'>') {
            if dicts == 0 {
                clean = false;
                break;
            }
            dicts -= 1;
            i += 2;
            operands += 1;
        } else if c == b'<' {
            let Some(k) = memchr::memchr(b'>', &data[i..]) else {
                clean = false;
                break;
            };
            if !data[i + 1..i + k].iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace()) {
                clean = false;
                break;
            }
            i += k + 1;
            operands += 1;
        } else if matches!(c, b')' | b'>') || c == b']' && arrays == 0 {
            clean = false;
            break;
        } else if matches!(c, b'[' | b']' | b'{' | b'}') {
            match c {
                b'[' => arrays += 1,
                b']' => arrays -= 1,
                _ => {}
            }
            i += 1;
            operands += 1;
        } else {
            let start = i;
            i += 1;
            while i < data.len() && !data[i].is_ascii_whitespace() && !delim(data[i]) && data[i] != 0 {
                i += 1;
            }
            if i == data.len() && !is_operator_at_end(&data[start..]) {
                // A word the cut may have shortened.
                break;
            }
            let word = &data[start..i];
            let is_operand = c == b'/'
                || c.is_ascii_digit()
                || matches!(c, b'+' | b'-' | b'.')
                || matches!(word, b"true" | b"false" | b"null");
            if is_operand {
                operands += 1;
                continue;
            }
            match word {
                b"q" => q_at += 1,
                b"Q" => q_at = q_at.saturating_sub(1),
                b"BT" => bt_at = true,
                b"ET" => bt_at = false,
                b"BMC" | b"BDC" => mc_at += 1,
                b"EMC" => mc_at = mc_at.saturating_sub(1),
                b"BI" => {
                    // Inline image: its data ends at "EI" on its own; without one, cut before it.
                    let Some(id) = memchr::memmem::find(&data[i..], b"ID") else { break };
                    let from = i + id + 2;
                    let mut end = None;
                    let mut k = from;
                    while let Some(e) = memchr::memmem::find(&data[k..], b"EI") {
                        let at = k + e;
                        let before = data.get(at.wrapping_sub(1)).is_some_and(|b| b.is_ascii_whitespace());
                        let after = data.get(at + 2).is_none_or(|b| b.is_ascii_whitespace());
                        if before && after && data.get(at + 2).is_some() {
                            end = Some(at + 2);
                            break;
                        }
                        k = at + 2;
                    }
                    let Some(end) = end else {
                        clean = false;
                        break;
                    };
                    i = end;
                }
                _ => {}
            }
            operands = 0;
            // qpdf reads an operator inside an array or dictionary as one of its elements: the
            // content may only be cut where none is open.
            if arrays == 0 && dicts == 0 {
                (cut, q, bt, mc) = (i, q_at, bt_at, mc_at);
            }
        }
    }
    let _ = operands;
    // An array or dictionary still open at the end runs into whatever content follows.
    if arrays > 0 || dicts > 0 {
        clean = false;
    }
    let mut out = data[..cut].to_vec();
    out.push(b'\n');
    if bt {
        out.extend_from_slice(b"ET\n");
    }
    for _ in 0..mc {
        out.extend_from_slice(b"EMC\n");
    }
    for _ in 0..q {
        out.extend_from_slice(b"Q\n");
    }
    (if cut == 0 { Vec::new() } else { out }, clean)
}

/// A last word of a stream that is an operator, not a number cut short.
fn is_operator_at_end(word: &[u8]) -> bool {
    word.first().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'\'' | b'"' | b'*'))
}
