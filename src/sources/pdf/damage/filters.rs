//! The decoding filters a stream's data passes through before it is content or pixels: ASCII85,
//! ASCIIHex, Flate, LZW and RunLength, chained, fed in chunks. They follow qpdf's decoders in what
//! they call an error (a NUL in ASCII85 data is one, though the PDF reference counts it as white
//! space), since what qpdf reports is what the checkers at the receiving platforms report.
//! Predictors are not undone: no reader fails on them, and a mended stream keeps its own.

/// A filter checked here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ascii85,
    AsciiHex,
    Flate,
    /// `early`: the code width grows one code early (PDF's default, /EarlyChange 1).
    Lzw {
        early: bool,
    },
    RunLength,
}

enum State {
    Ascii85 {
        group: [u8; 5],
        n: usize,
        tilde: bool,
    },
    AsciiHex {
        high: Option<u8>,
    },
    /// The zlib header's bytes seen so far, then raw deflate: the checksum at the end is not
    /// checked, as qpdf and the viewers do not check it.
    Flate {
        header: Vec<u8>,
        z: flate2::Decompress,
    },
    Lzw(Box<weezl::decode::Decoder>),
    /// Bytes still to copy, or to repeat (the byte comes next).
    RunLength {
        copy: usize,
        run: usize,
    },
}

/// One filter of a chain, with what it has come to so far.
pub struct Stage {
    state: State,
    pub failed: bool,
    /// The filter's end of data was reached; what follows is ignored.
    ended: bool,
    buf: Vec<u8>,
}

/// White space as qpdf's ASCII decoders skip it (NUL is not among it).
fn space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

impl Stage {
    pub fn new(kind: Kind) -> Stage {
        let state = match kind {
            Kind::Ascii85 => State::Ascii85 { group: [0; 5], n: 0, tilde: false },
            Kind::AsciiHex => State::AsciiHex { high: None },
            Kind::Flate => State::Flate { header: Vec::new(), z: flate2::Decompress::new(false) },
            Kind::Lzw { early } => {
                let order = weezl::BitOrder::Msb;
                let d = if early {
                    weezl::decode::Decoder::with_tiff_size_switch(order, 8)
                } else {
                    weezl::decode::Decoder::new(order, 8)
                };
                State::Lzw(Box::new(d))
            }
            Kind::RunLength => State::RunLength { copy: 0, run: 0 },
        };
        // A piece of 1 KiB gives at most 4 KiB through ASCII85, 64 KiB through RunLength.
        let size = match kind {
            Kind::RunLength => 65 << 10,
            _ => 32 << 10,
        };
        Stage { state, failed: false, ended: false, buf: vec![0; size] }
    }

    /// Whether the data decoded to its end. Flate must reach its final block (qpdf reports a
    /// stream that stops short); the others end where their data ends.
    pub fn whole(&self) -> bool {
        !self.failed && (self.ended || !matches!(self.state, State::Flate { .. }))
    }

    /// Decode `data`, handing what it gives to `out`. False when the rest is not wanted: this
    /// filter failed, or `out` answered false.
    pub fn feed(&mut self, data: &[u8], out: &mut dyn FnMut(&[u8]) -> bool) -> bool {
        if self.failed {
            return false;
        }
        if self.ended {
            return true;
        }
        match &mut self.state {
            State::Flate { .. } | State::Lzw(_) => self.feed_codec(data, out),
            _ => {
                // Text and run-length filters: decode the chunk a piece at a time into the buffer.
                for piece in data.chunks(1 << 10) {
                    let made = self.step_small(piece);
                    if made > 0 && !out(&self.buf[..made]) {
                        return false;
                    }
                    if self.failed || self.ended {
                        break;
                    }
                }
                !self.failed
            }
        }
    }

    /// One piece (at most 1 KiB) through ASCII85, ASCIIHex or RunLength, into `buf`.
    fn step_small(&mut self, piece: &[u8]) -> usize {
        let mut made = 0;
        let buf = &mut self.buf;
        match &mut self.state {
            State::Ascii85 { group, n, tilde } => {
                for &c in piece {
                    if *tilde {
                        if c == b'>' {
                            made += a85_group(group, n, &mut buf[made..]).unwrap_or(0);
                            self.ended = true;
                        } else {
                            self.failed = true;
                        }
                        break;
                    }
                    match c {
                        c if space(c) => {}
                        b'~' => *tilde = true,
                        b'z' if *n == 0 => {
                            buf[made..made + 4].fill(0);
                            made += 4;
                        }
                        b'!'..=b'u' => {
                            group[*n] = c;
                            *n += 1;
                            if *n == 5 {
                                match a85_group(group, n, &mut buf[made..]) {
                                    Some(k) => made += k,
                                    None => {
                                        self.failed = true;
                                        break;
                                    }
                                }
                            }
                        }
                        _ => {
                            self.failed = true;
                            break;
                        }
                    }
                }
            }
            State::AsciiHex { high } => {
                for &c in piece {
                    let v = match c {
                        b'>' => {
                            self.ended = true;
                            break;
                        }
                        c if space(c) => continue,
                        b'0'..=b'9' => c - b'0',
                        b'a'..=b'f' => c - b'a' + 10,
                        b'A'..=b'F' => c - b'A' + 10,
                        _ => {
                            self.failed = true;
                            break;
                        }
                    };
                    match high.take() {
                        Some(h) => {
                            buf[made] = h << 4 | v;
                            made += 1;
                        }
                        None => *high = Some(v),
                    }
                }
                if self.ended
                    && let Some(h) = high.take()
                {
                    buf[made] = h << 4;
                    made += 1;
                }
            }
            State::RunLength { copy, run } => {
                // 128 is the end of data, but qpdf reads on past it; so does this.
                for &c in piece {
                    if *copy > 0 {
                        buf[made] = c;
                        made += 1;
                        *copy -= 1;
                    } else if *run > 0 {
                        buf[made..made + *run].fill(c);
                        made += *run;
                        *run = 0;
                    } else if c < 128 {
                        *copy = usize::from(c) + 1;
                    } else if c > 128 {
                        *run = 257 - usize::from(c);
                    }
                }
            }
            State::Flate { .. } | State::Lzw(_) => {}
        }
        made
    }

    fn feed_codec(&mut self, mut data: &[u8], out: &mut dyn FnMut(&[u8]) -> bool) -> bool {
        // A full output buffer may leave more output behind with all input taken: go on until
        // a step gives less than a buffer.
        let mut pending = false;
        while (!data.is_empty() || pending) && !self.failed && !self.ended {
            let (used, made) = match &mut self.state {
                State::Flate { header, .. } if header.len() < 2 => {
                    let Some(&b) = data.first() else { break };
                    header.push(b);
                    if let [cmf, flg] = header[..] {
                        // Deflate, no preset dictionary, and the check bits right: as zlib wants it.
                        if cmf & 0x0f != 8 || flg & 0x20 != 0 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
                            self.failed = true;
                        }
                    }
                    (1, 0)
                }
                State::Flate { z, .. } => {
                    let (i, o) = (z.total_in(), z.total_out());
                    let r = z.decompress(data, &mut self.buf, flate2::FlushDecompress::None);
                    let used = (z.total_in() - i) as usize;
                    let made = (z.total_out() - o) as usize;
                    match r {
                        Ok(flate2::Status::StreamEnd) => self.ended = true,
                        Ok(_) if used == 0 && made == 0 && !data.is_empty() => self.failed = true,
                        Ok(_) => {}
                        Err(_) => self.failed = true,
                    }
                    (used, made)
                }
                State::Lzw(d) => {
                    let r = d.decode_bytes(data, &mut self.buf);
                    match r.status {
                        Ok(weezl::LzwStatus::Done) => self.ended = true,
                        Ok(weezl::LzwStatus::NoProgress) if !data.is_empty() => self.failed = true,
                        Ok(_) => {}
                        Err(_) => self.failed = true,
                    }
                    (r.consumed_in, r.consumed_out)
                }
                _ => return true,
            };
            data = &data[used.min(data.len())..];
            pending = made == self.buf.len();
            if made > 0 && !out(&self.buf[..made]) {
                return false;
            }
        }
        !self.failed
    }

    /// The end of the data: a partial ASCII85 group or a lone hex digit still gives its bytes.
    pub fn finish(&mut self, out: &mut dyn FnMut(&[u8]) -> bool) {
        if self.failed || self.ended {
            return;
        }
        let mut tail = [0u8; 4];
        let made = match &mut self.state {
            State::Ascii85 { group, n, .. } if *n > 0 => match a85_group(group, n, &mut tail) {
                Some(k) => k,
                None => {
                    self.failed = true;
                    0
                }
            },
            State::AsciiHex { high: Some(h) } => {
                tail[0] = *h << 4;
                1
            }
            _ => 0,
        };
        if made > 0 {
            out(&tail[..made]);
        }
    }
}

/// The bytes of an ASCII85 group of `n` characters (padded with `u`), written to `out`; None when
/// the group is past 2^32, which no encoder writes.
fn a85_group(group: &mut [u8; 5], n: &mut usize, out: &mut [u8]) -> Option<usize> {
    if *n == 0 {
        return Some(0);
    }
    let mut v: u64 = 0;
    for (i, c) in group.iter().enumerate() {
        let c = if i < *n { *c } else { b'u' };
        v = v * 85 + u64::from(c - b'!');
    }
    let k = *n - 1;
    *n = 0;
    let v = u32::try_from(v).ok()?;
    out[..k].copy_from_slice(&v.to_be_bytes()[..k]);
    Some(k)
}

/// Feed `data` through `stages` in order, the last one's output to `sink`. False when the rest
/// is not wanted.
pub fn run(stages: &mut [Stage], data: &[u8], sink: &mut dyn FnMut(&[u8]) -> bool) -> bool {
    match stages.split_first_mut() {
        None => sink(data),
        Some((first, rest)) => first.feed(data, &mut |chunk| run(rest, chunk, sink)),
    }
}

/// The end of the data, passed down the chain: what each filter still held goes to the next.
pub fn finish(stages: &mut [Stage], sink: &mut dyn FnMut(&[u8]) -> bool) {
    for i in 0..stages.len() {
        let Some((first, rest)) = stages[i..].split_first_mut() else { return };
        first.finish(&mut |chunk| run(rest, chunk, sink));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(kinds: &[Kind], data: &[u8], chunk: usize) -> (Vec<u8>, bool) {
        let mut stages: Vec<Stage> = kinds.iter().map(|&k| Stage::new(k)).collect();
        let mut out = Vec::new();
        for c in data.chunks(chunk.max(1)) {
            run(&mut stages, c, &mut |b| {
                out.extend_from_slice(b);
                true
            });
        }
        finish(&mut stages, &mut |b| {
            out.extend_from_slice(b);
            true
        });
        (out, stages.iter().all(Stage::whole))
    }

    #[test]
    fn text_filters_decode_as_qpdf_does() {
        for chunk in [1, 3, 100] {
            assert_eq!(decode(&[Kind::Ascii85], b"87cURD]i,\"Ebo80~>", chunk), (b"Hello World!".to_vec(), true));
            assert_eq!(decode(&[Kind::Ascii85], b"z 87cUR", chunk), (b"\0\0\0\0Hell".to_vec(), true));
            assert_eq!(decode(&[Kind::AsciiHex], b"48 65 6c6>", chunk), (b"Hel`".to_vec(), true));
            assert_eq!(decode(&[Kind::AsciiHex], b"486", chunk), (b"H`".to_vec(), true));
            assert_eq!(decode(&[Kind::RunLength], &[2, b'a', b'b', b'c', 253, b'x', 128], chunk).0, b"abcxxxx");
        }
        for bad in [&b"87cUR\0D]i~>"[..], b"87cUR\x7fD]i~>", b"87c~x", b"87cUzRD", b"s8W-\"~>"] {
            assert!(!decode(&[Kind::Ascii85], bad, 7).1, "{}", String::from_utf8_lossy(bad));
        }
        assert!(!decode(&[Kind::AsciiHex], b"48 6\x005>", 7).1);
        assert!(!decode(&[Kind::AsciiHex], b"4G>", 7).1);
    }
}
