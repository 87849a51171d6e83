//! The little binary format of the cache's own files (OCR readings and the page memo, source
//! skeletons, stream verdicts, coded pictures): little-endian numbers, length-prefixed
//! strings, and at the end a CRC-32 of everything before it, so a file cut short, damaged or
//! half-written by a crash is never believed. Cheaper to read than JSON, which cost a warm
//! `--ocr` rebuild a tenth of its time; the CRC rather than a SHA-256, which was still 3 % of it.

use std::io::{Read, Write};
use std::path::Path;

const CHECK: usize = 4;

fn crc(data: &[u8]) -> [u8; CHECK] {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum().to_le_bytes()
}

/// Bytes being put together, sealed with their checksum by [`Out::seal`].
#[derive(Default)]
pub struct Out(Vec<u8>);

impl Out {
    pub fn new(magic: &[u8]) -> Out {
        Out(magic.to_vec())
    }
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A length and the bytes.
    pub fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
    /// Bytes as they are, with no length before them.
    pub fn raw(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    /// The bytes as they are, for a file whose parts are sealed each on its own.
    pub fn unsealed(self) -> Vec<u8> {
        self.0
    }
    pub fn seal(mut self) -> Vec<u8> {
        let check = crc(&self.0);
        self.0.extend_from_slice(&check);
        self.0
    }
}

/// Reading sealed bytes back; every read is `None` past the end.
pub struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    /// The content of `data` after `magic`, if both the magic and the checksum are right.
    pub fn open(data: &'a [u8], magic: &[u8]) -> Option<In<'a>> {
        let body_len = data.len().checked_sub(CHECK)?;
        let (body, check) = data.split_at(body_len);
        let rest = body.strip_prefix(magic)?;
        (crc(body) == check).then_some(In(rest))
    }
    /// As [`open`](Self::open), the content handed back as the same buffer, not copied.
    pub fn open_owned(mut data: Vec<u8>, magic: &[u8]) -> Option<Vec<u8>> {
        let n = In::open(&data, magic)?.0.len();
        data.drain(..magic.len());
        data.truncate(n);
        Some(data)
    }
    /// The content of `data` after `magic`, unchecked: for a file made of parts sealed each on
    /// its own.
    pub fn unsealed(data: &'a [u8], magic: &[u8]) -> Option<In<'a>> {
        data.strip_prefix(magic).map(In)
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    pub fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }
    pub fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }
    pub fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.array()?))
    }
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    pub fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Read a cache file and mark it as just used (one open for both: a warm rebuild does this for
/// every scanned page).
pub fn read_used(path: &Path) -> Option<Vec<u8>> {
    let mut f = std::fs::File::options().read(true).append(true).open(path).ok()?;
    let mut data = Vec::new();
    f.read_to_end(&mut data).ok()?;
    let _ = f.set_modified(std::time::SystemTime::now());
    Some(data)
}

/// Write a cache file whole or not at all: aside, then renamed over, so a build reading it at the
/// same time sees the old file or the new one. Best effort: a file not written only costs time;
/// whether it was written.
pub fn write_whole(path: &Path, data: &[u8]) -> bool {
    let mut tmp = path.as_os_str().to_os_string();
    tmp.push(format!(".{}.partial", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(data));
    if written.is_err() || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_read_back_and_any_change_is_refused() {
        let mut o = Out::new(b"TEST");
        o.u8(7);
        o.u32(70_000);
        o.u128(1 << 100);
        o.f32(-2.5);
        o.bytes("扫描件".as_bytes());
        let data = o.seal();
        let mut i = In::open(&data, b"TEST").expect("sealed bytes open");
        assert_eq!(i.u8(), Some(7));
        assert_eq!(i.u32(), Some(70_000));
        assert_eq!(i.u128(), Some(1 << 100));
        assert_eq!(i.f32(), Some(-2.5));
        assert_eq!(i.str(), Some("扫描件"));
        assert!(i.is_empty() && i.u8().is_none());

        assert!(In::open(&data[..data.len() - 1], b"TEST").is_none(), "cut short");
        assert!(In::open(&data, b"TEXT").is_none(), "another kind of file");
        for at in [0, 4, 9, data.len() - 1] {
            let mut edited = data.clone();
            edited[at] ^= 1;
            assert!(In::open(&edited, b"TEST").is_none(), "byte {at} edited");
        }
    }
}
