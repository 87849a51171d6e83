//! Stage 6: the output file. Objects are serialised one at a time as assembly produces them, so
//! memory holds one source document at most; the cross-reference table comes last. The binder is
//! written to a temporary file beside the target and renamed into place only when complete, so a
//! failed build never damages the previous binder.

use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Write;

/// Counts bytes for the xref offsets.
struct Sink<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub struct PdfWriter<W: Write> {
    out: Sink<W>,
    /// Byte offset of each object, by object number (0 unused).
    offsets: Vec<Option<u64>>,
    /// Feeds the document /ID: the same inputs give the same file, byte for byte.
    hash: Sha256,
    scratch: Vec<u8>,
    copy_buf: Vec<u8>,
    /// The output file itself, behind the buffered writer: large stream data is copied into it by
    /// the kernel (copy_file_range on Linux), never passing through memory of ours.
    direct: Option<std::sync::Arc<File>>,
    /// Where those copies run, beside the writer (see `later`).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    later: Option<later::Copier>,
}

/// How much of a large stream goes into the /ID hash: its length and both ends are enough to tell
/// documents apart, and hashing every byte of a 1.5 GB binder would cost seconds.
const SAMPLE: usize = 4096;

impl<W: Write> PdfWriter<W> {
    pub fn new(inner: W) -> std::io::Result<Self> {
        let mut out = Sink { inner, written: 0 };
        // The binary comment line tells transfer tools the file is binary.
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(PdfWriter {
            out,
            offsets: vec![None],
            hash: Sha256::new(),
            scratch: Vec::new(),
            copy_buf: Vec::new(),
            direct: None,
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            later: None,
        })
    }

    /// Write large stream data straight into `file`, the file the writer's output ends in (a
    /// handle sharing its position). Only for a writer whose buffered output flushes into it.
    pub fn copy_into(&mut self, file: Option<std::sync::Arc<File>>) {
        self.direct = file;
    }

    /// As [`write_stream_at`](Self::write_stream_at) for data nobody needs to see: copied
    /// file to file by the kernel when the output allows it. Only both ends feed the /ID, as always.
    pub fn copy_stream_from(
        &mut self,
        id: u32,
        dict: &Dictionary,
        src: &mut File,
        (offset, len): (u64, usize),
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        // Placed alike however the bytes go in: the binder is the same on every system.
        let like = (len > 2 * SAMPLE).then_some(offset);
        let Some(direct) = self.direct.clone().filter(|_| len > 2 * SAMPLE) else {
            return self.write_stream_at(id, dict, src, (offset, len), &mut |_| {}, like);
        };
        self.begin_stream_at(id, dict, len, like)?;
        let mut end = [0u8; SAMPLE];
        let short = |e: std::io::Error| if e.kind() == std::io::ErrorKind::UnexpectedEof { changed() } else { e };
        src.seek(SeekFrom::Start(offset))?;
        src.read_exact(&mut end).map_err(short)?;
        self.hash_data(len, 0, &end);
        src.seek(SeekFrom::Start(offset + (len - SAMPLE) as u64))?;
        src.read_exact(&mut end).map_err(short)?;
        self.hash_data(len, len - SAMPLE, &end);
        self.out.flush()?;
        self.copy_later(&direct, src, (offset, len))
    }

    /// As [`write_stream_at`](Self::write_stream_at), `inspect` seeing every chunk, but the
    /// bytes read are not written: the kernel copies them file to file beside the writer, as
    /// [`copy_stream_from`](Self::copy_stream_from) does. Where it cannot, they are written.
    pub fn copy_stream_seen(
        &mut self,
        id: u32,
        dict: &Dictionary,
        src: &mut File,
        (offset, len): (u64, usize),
        inspect: &mut dyn FnMut(&[u8]),
    ) -> std::io::Result<()> {
        let direct =
            self.direct.clone().filter(|_| len > 2 * SAMPLE && cfg!(all(target_os = "linux", target_env = "gnu")));
        let like = (len > 2 * SAMPLE).then_some(offset);
        let Some(direct) = direct else {
            return self.write_stream_at(id, dict, src, (offset, len), inspect, like);
        };
        self.begin_stream_at(id, dict, len, like)?;
        self.read_through(src, (offset, len), inspect, false)?;
        self.out.flush()?;
        self.copy_later(&direct, src, (offset, len))
    }

    /// The stream data's place, `len` bytes of `src` at `offset`, filled by the kernel and closed.
    fn copy_later(
        &mut self,
        direct: &std::sync::Arc<File>,
        src: &mut File,
        (offset, len): (u64, usize),
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            // The bytes' place is left as a hole the other thread fills, and the writer goes on.
            let at = self.out.written;
            (&**direct).seek(SeekFrom::Current(len as i64))?;
            let copier = match self.later.as_mut() {
                Some(c) => c,
                None => self.later.insert(later::Copier::start(direct.clone())),
            };
            copier.copy(src.try_clone()?, offset, at, len as u64)?;
            self.out.written += len as u64;
            return self.out.write_all(b"\nendstream\nendobj\n");
        }
        #[allow(unreachable_code)]
        {
            src.seek(SeekFrom::Start(offset))?;
            let copied = std::io::copy(&mut Read::take(&*src, len as u64), &mut &**direct)?;
            if copied != len as u64 {
                return Err(changed());
            }
            self.out.written += copied;
            self.out.write_all(b"\nendstream\nendobj\n")
        }
    }

    /// Bytes written so far: what each page costs, for fitting a binder under a size limit.
    pub fn position(&self) -> u64 {
        self.out.written
    }

    /// Reserve an object number, to be written later (forward references are normal in PDF).
    pub fn alloc(&mut self) -> u32 {
        self.offsets.push(None);
        (self.offsets.len() - 1) as u32
    }

    pub fn write(&mut self, id: u32, obj: &Object) -> std::io::Result<()> {
        match obj {
            Object::Stream(s) => {
                let c = &s.content;
                self.begin_stream(id, &s.dict, c.len())?;
                self.hash_data(c.len(), 0, c);
                self.out.write_all(c)?;
                self.out.write_all(b"\nendstream\nendobj\n")
            }
            o => {
                self.begin(id)?;
                let mut head = std::mem::take(&mut self.scratch);
                head.clear();
                lopdf::Writer::write_object(&mut head, o).map_err(std::io::Error::other)?;
                self.hash.update(&head);
                self.out.write_all(&head)?;
                self.scratch = head;
                self.out.write_all(b"\nendobj\n")
            }
        }
    }

    /// Write a stream object whose `len` data bytes are copied from `src` at `offset`, through one
    /// reused buffer: a scan's image never has to be held in memory whole. `inspect` sees every
    /// chunk as it goes by.
    /// Placed as [`begin_stream_at`](Self::begin_stream_at) places it, with `like`.
    fn write_stream_at(
        &mut self,
        id: u32,
        dict: &Dictionary,
        src: &mut File,
        (offset, len): (u64, usize),
        inspect: &mut dyn FnMut(&[u8]),
        like: Option<u64>,
    ) -> std::io::Result<()> {
        self.begin_stream_at(id, dict, len, like)?;
        self.read_through(src, (offset, len), inspect, true)?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// Read `len` bytes of `src` at `offset` through one reused buffer, feeding the /ID hash and
    /// `inspect`, and writing them out too when `write`.
    fn read_through(
        &mut self,
        src: &mut File,
        (offset, len): (u64, usize),
        inspect: &mut dyn FnMut(&[u8]),
        write: bool,
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        src.seek(SeekFrom::Start(offset))?;
        let mut buf = std::mem::take(&mut self.copy_buf);
        buf.resize(1 << 20, 0);
        let mut done = 0;
        while done < len {
            let n = (len - done).min(buf.len());
            src.read_exact(&mut buf[..n])
                .map_err(|e| if e.kind() == std::io::ErrorKind::UnexpectedEof { changed() } else { e })?;
            self.hash_data(len, done, &buf[..n]);
            inspect(&buf[..n]);
            if write {
                self.out.write_all(&buf[..n])?;
            }
            done += n;
        }
        self.copy_buf = buf;
        Ok(())
    }

    /// Record where object `id` starts and write its "id 0 obj" line. An object written again
    /// replaces the first: the cross-reference table names the last, and the first stays behind
    /// unreferenced.
    fn begin(&mut self, id: u32) -> std::io::Result<()> {
        let slot = self
            .offsets
            .get_mut(id as usize)
            .ok_or_else(|| std::io::Error::other("object number was never reserved"))?;
        *slot = Some(self.out.written);
        let line = format!("{id} 0 obj\n");
        self.hash.update(line.as_bytes());
        self.out.write_all(line.as_bytes())
    }

    /// Everything of a stream object before its data. A copied stream may carry an indirect or
    /// stale /Length; the bytes written are the truth. Only the dictionary is cloned, never the data.
    fn begin_stream(&mut self, id: u32, dict: &Dictionary, len: usize) -> std::io::Result<()> {
        self.begin_stream_at(id, dict, len, None)
    }

    /// As [`begin_stream`](Self::begin_stream); with `like`, blank space before the object puts the
    /// data at the same place within a 4 KB page of the output as it has in its source at offset
    /// `like`. The kernel then copies it page onto page: copied astride two pages instead, each
    /// page of a scan was handled twice (4% of a rebuild's CPU).
    fn begin_stream_at(&mut self, id: u32, dict: &Dictionary, len: usize, like: Option<u64>) -> std::io::Result<()> {
        const PAGE: u64 = 4096;
        let mut dict = dict.clone();
        dict.set("Length", Object::Integer(len as i64));
        let mut head = std::mem::take(&mut self.scratch);
        head.clear();
        lopdf::Writer::write_object(&mut head, &Object::Dictionary(dict)).map_err(std::io::Error::other)?;
        head.extend_from_slice(b"stream\n");
        if let Some(like) = like {
            let line = format!("{id} 0 obj\n").len() as u64;
            let data = self.out.written + line + head.len() as u64;
            let pad = (like % PAGE + PAGE - data % PAGE) % PAGE;
            self.out.write_all(&[b' '; PAGE as usize][..pad as usize])?;
        }
        self.begin(id)?;
        self.hash.update(&head);
        self.hash.update((len as u64).to_le_bytes());
        self.out.write_all(&head)?;
        self.scratch = head;
        Ok(())
    }

    /// Feed the /ID hash from a stream of `len` bytes, given its bytes from `at` on in `chunk`: the
    /// first and the last SAMPLE bytes (all of it when short), wherever the chunks fall.
    fn hash_data(&mut self, len: usize, at: usize, chunk: &[u8]) {
        if len <= 2 * SAMPLE {
            self.hash.update(chunk);
            return;
        }
        let end = at + chunk.len();
        if at < SAMPLE {
            self.hash.update(&chunk[..SAMPLE.min(end) - at]);
        }
        let tail = len - SAMPLE;
        if end > tail {
            self.hash.update(&chunk[tail.max(at) - at..]);
        }
    }

    /// Write the xref table and trailer. Objects reserved but never written become free entries.
    pub fn finish(mut self, root: u32, info: u32) -> std::io::Result<W> {
        let xref_at = self.out.written;
        let id = self.hash.clone().finalize();
        let n = self.offsets.len();
        let mut table = format!("xref\n0 {n}\n0000000000 65535 f \n");
        for off in &self.offsets[1..] {
            match off {
                Some(o) => table.push_str(&format!("{o:010} 00000 n \n")),
                None => table.push_str("0000000000 00001 f \n"),
            }
        }
        self.out.write_all(table.as_bytes())?;
        let mut trailer = Dictionary::new();
        trailer.set("Size", Object::Integer(n as i64));
        trailer.set("Root", Object::Reference((root, 0)));
        trailer.set("Info", Object::Reference((info, 0)));
        let id = Object::String(id[..16].to_vec(), StringFormat::Hexadecimal);
        trailer.set("ID", Object::Array(vec![id.clone(), id]));
        self.out.write_all(b"trailer\n")?;
        lopdf::Writer::write_object(&mut self.out, &Object::Dictionary(trailer)).map_err(std::io::Error::other)?;
        write!(self.out, "\nstartxref\n{xref_at}\n%%EOF\n")?;
        self.out.flush()?;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Some(c) = self.later.take() {
            c.finish()?;
        }
        Ok(self.out.inner)
    }
}

fn changed() -> std::io::Error {
    crate::error::changed_during_build()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod later;

pub use atomic::{AtomicFile, Batch, is_locked};

mod atomic;

/// A PDF text string: UTF-16BE with a byte-order mark, so Chinese titles survive every viewer.
pub fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

#[cfg(test)]
mod tests {
    use super::atomic::tests::scratch;
    use super::*;
    use std::io::BufWriter;

    /// Streams copied file to file land where the writer left room for them, and a source that
    /// turns out shorter than its stream fails the write instead of leaving a hole of zeros.
    #[test]
    fn copied_streams_fill_their_place_and_a_short_source_fails() {
        let dir = scratch("dossier-copies");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(dir.join("src"), &data).unwrap();
        let write = |name: &str, len: usize| -> std::io::Result<Vec<u8>> {
            let out = File::create(dir.join(name))?;
            let direct = std::sync::Arc::new(out.try_clone()?);
            let mut w = PdfWriter::new(BufWriter::new(out))?;
            w.copy_into(Some(direct));
            let mut src = File::open(dir.join("src"))?;
            for _ in 0..3 {
                let id = w.alloc();
                w.copy_stream_from(id, &Dictionary::new(), &mut src, (1000, len))?;
                let small = w.alloc();
                w.write(small, &Object::Integer(42))?;
            }
            let root = w.alloc();
            w.write(root, &Object::Null)?;
            let info = w.alloc();
            w.write(info, &Object::Null)?;
            w.finish(root, info)?.flush()?;
            std::fs::read(dir.join(name))
        };
        let whole = write("whole.pdf", 200_000).unwrap();
        let copied = &data[1000..201_000];
        let at: Vec<usize> =
            whole.windows(copied.len()).enumerate().filter(|(_, w)| w == &copied).map(|(i, _)| i).collect();
        assert_eq!(at.len(), 3);
        // Each lies where it lay in its source, within a 4 KB page, for the kernel to copy page onto page.
        assert!(at.iter().all(|i| i % 4096 == 1000), "{at:?}");
        assert!(whole.ends_with(b"%%EOF\n"));
        let e = write("short.pdf", 299_500).unwrap_err();
        assert!(e.to_string().contains("changed"), "{e}");
        // Cut short after the writer looked at it, while the copy is on its way.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            let out = File::create(dir.join("cut.pdf")).unwrap();
            let mut c = later::Copier::start(std::sync::Arc::new(out));
            let src = File::open(dir.join("src")).unwrap();
            std::fs::OpenOptions::new().write(true).open(dir.join("src")).unwrap().set_len(150_000).unwrap();
            c.copy(src, 1000, 0, 200_000).unwrap();
            assert!(c.finish().unwrap_err().to_string().contains("changed"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
