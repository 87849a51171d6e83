//! Whether a JPEG image's data gets through libjpeg (as qpdf, poppler and most viewers use it)
//! without an error, told from its markers alone: the pixels are never decoded. libjpeg takes
//! damage inside the compressed pixels with a warning and a grey patch; what stops it is damage
//! to the tables and headers, an unknown marker, or data that ends before its end marker. This
//! reads the markers the way libjpeg-turbo does and applies the same checks, fed in chunks.

/// Where in the data the reader is.
#[derive(Clone, Copy)]
enum At {
    /// The start-of-image marker, byte `n` of it.
    Soi(u8),
    /// Looking for the next marker: between segments, or through compressed pixels.
    Seek { ff: bool },
    /// A segment's two length bytes.
    Len { code: u8, hi: Option<u8> },
    /// A segment's body, `left` bytes still to come (held when `keep`).
    Body { code: u8, left: usize },
}

#[derive(Clone)]
struct Table {
    bits: [u8; 17],
    vals: Vec<u8>,
}

struct Component {
    id: i32,
    h: u8,
    v: u8,
    tq: u8,
    /// Its quantisation table was taken when its first scan began (libjpeg checks it then).
    latched: bool,
}

struct Frame {
    width: u16,
    height: u16,
    precision: u8,
    progressive: bool,
    arithmetic: bool,
    comps: Vec<Component>,
}

pub struct Jpeg {
    at: At,
    seg: Vec<u8>,
    frame: Option<Frame>,
    quant: [bool; 4],
    dc: [Option<Table>; 4],
    ac: [Option<Table>; 4],
    scans: u32,
    multiple_scans: bool,
    pub failed: bool,
    pub done: bool,
}

impl Default for Jpeg {
    fn default() -> Jpeg {
        Jpeg {
            at: At::Soi(0),
            seg: Vec::new(),
            frame: None,
            quant: [false; 4],
            dc: Default::default(),
            ac: Default::default(),
            scans: 0,
            multiple_scans: false,
            failed: false,
            done: false,
        }
    }
}

/// Whether a segment's body is read (the others are skipped, as libjpeg skips them).
fn read_body(code: u8) -> bool {
    matches!(code, 0xC0 | 0xC1 | 0xC2 | 0xC9 | 0xCA | 0xC4 | 0xDB | 0xDD | 0xCC | 0xDA)
}

impl Jpeg {
    /// Whether the data read so far ended at its end marker with nothing libjpeg stops at.
    pub fn whole(&self) -> bool {
        self.done && !self.failed
    }

    pub fn feed(&mut self, data: &[u8]) {
        let mut i = 0;
        while i < data.len() && !self.failed && !self.done {
            let b = data[i];
            i += 1;
            match self.at {
                At::Soi(0) if b == 0xFF => self.at = At::Soi(1),
                At::Soi(1) if b == 0xD8 => self.at = At::Seek { ff: false },
                At::Soi(_) => self.failed = true,
                At::Seek { ff: false } => {
                    // Compressed pixels, or bytes between segments libjpeg skips with a warning.
                    if b == 0xFF {
                        self.at = At::Seek { ff: true };
                    } else {
                        i = memchr::memchr(0xFF, &data[i..]).map_or(data.len(), |k| i + k);
                    }
                }
                At::Seek { ff: true } => match b {
                    0xFF => {}
                    // A stuffed 0xFF inside compressed data.
                    0x00 => self.at = At::Seek { ff: false },
                    code => self.marker(code),
                },
                At::Len { code, hi: None } => self.at = At::Len { code, hi: Some(b) },
                At::Len { code, hi: Some(hi) } => {
                    let len = usize::from(hi) << 8 | usize::from(b);
                    if len < 2 && read_body(code) {
                        self.failed = true;
                    }
                    self.seg.clear();
                    self.at = At::Body { code, left: len.saturating_sub(2) };
                    if len <= 2 {
                        self.segment(code);
                    }
                }
                At::Body { code, left } => {
                    let take = left.min(data.len() - i + 1);
                    if read_body(code) {
                        self.seg.extend_from_slice(&data[i - 1..i - 1 + take]);
                    }
                    i += take - 1;
                    self.at = At::Body { code, left: left - take };
                    if left == take {
                        self.segment(code);
                    }
                }
            }
        }
    }

    fn marker(&mut self, code: u8) {
        self.at = At::Seek { ff: false };
        match code {
            // Restart markers and TEM: libjpeg passes over them.
            0xD0..=0xD7 | 0x01 => {}
            0xD9 => {
                // The end; no scan before it is "no image" to libjpeg.
                self.failed |= self.scans == 0;
                self.done = true;
            }
            0xC0 | 0xC1 | 0xC2 | 0xC9 | 0xCA | 0xC4 | 0xDB | 0xDD | 0xCC | 0xDA | 0xE0..=0xEF | 0xFE | 0xDC => {
                self.at = At::Len { code, hi: None };
            }
            // A second start of image, an unsupported process (lossless, hierarchical), or a
            // marker libjpeg does not know.
            _ => self.failed = true,
        }
    }

    fn segment(&mut self, code: u8) {
        self.at = At::Seek { ff: false };
        let seg = std::mem::take(&mut self.seg);
        let ok = match code {
            0xC0 | 0xC1 | 0xC2 | 0xC9 | 0xCA => self.sof(code, &seg),
            0xC4 => self.dht(&seg),
            0xDB => self.dqt(&seg),
            0xDD => seg.len() == 2,
            0xCC => dac(&seg),
            0xDA => self.sos(&seg),
            _ => true,
        };
        self.failed |= !ok;
        self.seg = seg;
    }

    fn sof(&mut self, code: u8, s: &[u8]) -> bool {
        if self.frame.is_some() || s.len() < 6 {
            return false;
        }
        let (height, width, n) = (u16::from_be_bytes([s[1], s[2]]), u16::from_be_bytes([s[3], s[4]]), s[5]);
        if height == 0 || width == 0 || n == 0 || s.len() - 6 != usize::from(n) * 3 {
            return false;
        }
        let mut comps: Vec<Component> = Vec::new();
        for c in s[6..].chunks(3) {
            let mut id = i32::from(c[0]);
            // A repeated id becomes one past the largest so far, as libjpeg-turbo makes it.
            if comps.iter().any(|k| k.id == id) {
                id = comps.iter().map(|k| k.id).max().unwrap_or(0) + 1;
            }
            comps.push(Component { id, h: c[1] >> 4, v: c[1] & 15, tq: c[2], latched: false });
        }
        self.frame = Some(Frame {
            width,
            height,
            precision: s[0],
            progressive: matches!(code, 0xC2 | 0xCA),
            arithmetic: matches!(code, 0xC9 | 0xCA),
            comps,
        });
        true
    }

    fn dht(&mut self, s: &[u8]) -> bool {
        let mut rest = s;
        while rest.len() > 16 {
            let index = rest[0];
            let mut bits = [0u8; 17];
            bits[1..].copy_from_slice(&rest[1..17]);
            let count: usize = bits.iter().map(|&b| usize::from(b)).sum();
            rest = &rest[17..];
            if count > 256 || count > rest.len() {
                return false;
            }
            let table = Table { bits, vals: rest[..count].to_vec() };
            rest = &rest[count..];
            let (slot, i) = if index & 0x10 != 0 { (&mut self.ac, index - 0x10) } else { (&mut self.dc, index) };
            match slot.get_mut(usize::from(i)) {
                Some(t) => *t = Some(table),
                None => return false,
            }
        }
        rest.is_empty()
    }

    fn dqt(&mut self, s: &[u8]) -> bool {
        let mut rest = s;
        while let Some(&n) = rest.first() {
            let size = 1 + if n >> 4 != 0 { 128 } else { 64 };
            match self.quant.get_mut(usize::from(n & 15)) {
                Some(q) if rest.len() >= size => *q = true,
                _ => return false,
            }
            rest = &rest[size..];
        }
        true
    }

    fn sos(&mut self, s: &[u8]) -> bool {
        let Some(frame) = self.frame.as_mut() else { return false };
        let Some(&n) = s.first() else { return false };
        if !(1..=4).contains(&n) || s.len() != usize::from(n) * 2 + 4 {
            return false;
        }
        let mut scan: Vec<(usize, u8, u8)> = Vec::new();
        for c in s[1..1 + usize::from(n) * 2].chunks(2) {
            let mut id = i32::from(c[0]);
            if scan.iter().any(|&(k, ..)| frame.comps[k].id == id) {
                id = scan.iter().map(|&(k, ..)| frame.comps[k].id).max().unwrap_or(0) + 1;
            }
            let Some(k) = frame.comps.iter().position(|comp| comp.id == id) else { return false };
            scan.push((k, c[1] >> 4, c[1] & 15));
        }
        let p = 1 + usize::from(n) * 2;
        let (ss, se, ah, al) = (s[p], s[p + 1], s[p + 2] >> 4, s[p + 2] & 15);
        self.scans += 1;
        if self.scans == 1 {
            // What libjpeg checks once it knows the frame, before the first scan.
            let max_h = frame.comps.iter().map(|c| c.h).max().unwrap_or(1);
            let max_v = frame.comps.iter().map(|c| c.v).max().unwrap_or(1);
            let sampling_ok = frame
                .comps
                .iter()
                .all(|c| (1..=4).contains(&c.h) && (1..=4).contains(&c.v) && max_h % c.h == 0 && max_v % c.v == 0);
            if frame.width > 65500
                || frame.height > 65500
                || frame.precision != 8
                || frame.comps.len() > 10
                || !sampling_ok
            {
                return false;
            }
            self.multiple_scans = frame.progressive || usize::from(n) < frame.comps.len();
            // Tables 0 and 1 not given are the standard ones (motion JPEG leaves them out).
            for t in self.dc[..2].iter_mut().chain(self.ac[..2].iter_mut()) {
                if t.is_none() {
                    *t = Some(Table { bits: [0; 17], vals: Vec::new() });
                }
            }
        } else if !self.multiple_scans {
            return false;
        }
        if n > 1
            && scan.iter().map(|&(k, ..)| u32::from(frame.comps[k].h) * u32::from(frame.comps[k].v)).sum::<u32>() > 10
        {
            return false;
        }
        for &(k, ..) in &scan {
            let c = &mut frame.comps[k];
            if !c.latched {
                if !self.quant.get(usize::from(c.tq)).copied().unwrap_or(false) {
                    return false;
                }
                c.latched = true;
            }
        }
        let dc_band = ss == 0;
        if frame.progressive {
            let bad = if dc_band { se != 0 } else { ss > se || se >= 64 || n != 1 };
            if bad || (ah != 0 && al + 1 != ah) || al > 13 {
                return false;
            }
        }
        if frame.arithmetic {
            return true;
        }
        let table_ok = |set: &[Option<Table>; 4], i: u8, dc: bool| {
            set.get(usize::from(i)).and_then(|t| t.as_ref()).is_some_and(|t| huffman_ok(t, dc))
        };
        scan.iter().all(|&(_, td, ta)| match (frame.progressive, dc_band) {
            (false, _) => table_ok(&self.dc, td, true) && table_ok(&self.ac, ta, false),
            (true, true) => ah != 0 || table_ok(&self.dc, td, true),
            (true, false) => table_ok(&self.ac, ta, false),
        })
    }
}

/// A Huffman table libjpeg can build its decoder from: its codes fit their lengths (no code all
/// ones), and a DC table's symbols are sizes up to 15. The standard tables stand in empty.
fn huffman_ok(t: &Table, dc: bool) -> bool {
    if t.bits == [0; 17] && t.vals.is_empty() {
        return true;
    }
    let mut code: u32 = 0;
    for len in 1..=16u32 {
        let n = u32::from(t.bits[len as usize]);
        code += n;
        if n > 0 && code >= 1 << len {
            return false;
        }
        code <<= 1;
    }
    !dc || t.vals.iter().all(|&v| v <= 15)
}

/// Arithmetic-coding conditioning: table numbers below 32, and a DC table's lower bound not above
/// its upper one.
fn dac(s: &[u8]) -> bool {
    s.len().is_multiple_of(2) && s.chunks(2).all(|c| c[0] < 32 && (c[0] >= 16 || c[1] & 15 <= c[1] >> 4))
}

/// Check JPEG data held in memory.
pub fn whole(data: &[u8]) -> bool {
    let mut j = Jpeg::default();
    j.feed(data);
    j.whole()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small baseline JPEG made by the encoder the crate already uses.
    fn sample(progressive: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
        e.set_progressive(progressive);
        let px: Vec<u8> = (0..64 * 48 * 3).map(|i| (i * 7 % 251) as u8).collect();
        e.encode(&px, 64, 48, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn whole_jpegs_pass_in_any_chunking() {
        for p in [false, true] {
            let j = sample(p);
            assert!(whole(&j));
            let mut w = Jpeg::default();
            for c in j.chunks(1) {
                w.feed(c);
            }
            assert!(w.whole());
        }
    }

    #[test]
    fn what_stops_libjpeg_is_found() {
        let j = sample(false);
        // Cut short, even by the end marker alone.
        assert!(!whole(&j[..j.len() - 2]));
        assert!(!whole(&j[..j.len() / 2]));
        // The quantisation tables zeroed.
        let dqt = memchr::memmem::find(&j, b"\xff\xdb").unwrap();
        let mut bad = j.clone();
        bad[dqt..dqt + 40].fill(0);
        assert!(!whole(&bad));
        // An unknown marker inside the compressed pixels.
        let sos = memchr::memmem::find(&j, b"\xff\xda").unwrap();
        let mut bad = j.clone();
        let at = (sos + j.len()) / 2;
        bad[at..at + 2].copy_from_slice(&[0xFF, 0x05]);
        assert!(!whole(&bad));
        // Damage to pixels alone is libjpeg's warning, not an error.
        let mut soft = j.clone();
        soft[at] ^= 0x10;
        if soft[at] != 0xFF && soft[at - 1] != 0xFF {
            assert!(whole(&soft));
        }
    }
}
