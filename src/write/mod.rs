//! Stage 6: the output file. Objects are serialised one at a time as assembly produces them, so
//! memory holds one source document at most; the cross-reference table comes last. The binder is
//! written to a temporary file beside the target and renamed into place only when complete, so a
//! failed build never damages the previous binder.

use lopdf::{Dictionary, Object, StringFormat};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

    /// As [`write_stream_from`](Self::write_stream_from) for data nobody needs to see: copied
    /// file to file by the kernel when the output allows it. Only both ends feed the /ID, as always.
    pub fn copy_stream_from(
        &mut self,
        id: u32,
        dict: &Dictionary,
        src: &mut File,
        (offset, len): (u64, usize),
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let Some(direct) = self.direct.clone().filter(|_| len > 2 * SAMPLE) else {
            return self.write_stream_from(id, dict, src, (offset, len), &mut |_| {});
        };
        self.begin_stream(id, dict, len)?;
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

    /// As [`write_stream_from`](Self::write_stream_from), `inspect` seeing every chunk, but the
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
        let Some(direct) = direct else {
            return self.write_stream_from(id, dict, src, (offset, len), inspect);
        };
        self.begin_stream(id, dict, len)?;
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
    pub fn write_stream_from(
        &mut self,
        id: u32,
        dict: &Dictionary,
        src: &mut File,
        (offset, len): (u64, usize),
        inspect: &mut dyn FnMut(&[u8]),
    ) -> std::io::Result<()> {
        self.begin_stream(id, dict, len)?;
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
        self.begin(id)?;
        let mut dict = dict.clone();
        dict.set("Length", Object::Integer(len as i64));
        let mut head = std::mem::take(&mut self.scratch);
        head.clear();
        lopdf::Writer::write_object(&mut head, &Object::Dictionary(dict)).map_err(std::io::Error::other)?;
        head.extend_from_slice(b"stream\n");
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

/// A file that becomes `target` only when `commit` is called; dropped uncommitted, it disappears.
pub struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl AtomicFile {
    pub fn create(target: &Path) -> std::io::Result<(AtomicFile, BufWriter<File>)> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "binder.pdf".into());
        remove_stale(&dir, &name);
        let temp = dir.join(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&temp)?;
        Ok((
            AtomicFile { target: target.to_path_buf(), temp, committed: false },
            BufWriter::with_capacity(1 << 20, file),
        ))
    }

    pub fn commit(self, writer: BufWriter<File>) -> std::io::Result<()> {
        self.close(writer)?;
        self.persist()
    }

    /// Finish writing and close the temporary file; its size, before it replaces anything.
    pub fn close(&self, writer: BufWriter<File>) -> std::io::Result<u64> {
        // No fsync: it made large binders wait seconds for the disk, and the rename already keeps
        // the previous binder whole until the new one is complete.
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.metadata().map(|m| m.len())
    }

    /// Put the closed temporary file in place of the target.
    pub fn persist(self) -> std::io::Result<()> {
        let mut batch = Batch::default();
        batch.add(self);
        batch.commit().map_err(|(_, e)| e)
    }
}

/// Temporary files a build stopped midway (Ctrl+C, a closed console window) left beside the
/// target. One another build is still writing is touched by every write, so only those untouched
/// for ten minutes go.
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let pid = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)).and_then(|f| f.strip_prefix('.'));
        let ours = pid
            .and_then(|f| f.strip_suffix(".partial"))
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let untouched = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if ours && untouched.is_some_and(|t| t > std::time::Duration::from_secs(600)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// The files of one build (binder, manifests), written beside their targets and put in place all
/// together or not at all: a manifest that disagrees with its binder misleads whoever answers
/// "where is page 57 from?". On Windows a file another program holds open (a PDF viewer, Excel
/// with the CSV) cannot be renamed or replaced, so every old file is first moved aside; when one
/// cannot be, nothing has changed yet and everything is put back.
#[derive(Default)]
pub struct Batch {
    files: Vec<AtomicFile>,
}

impl Batch {
    pub fn add(&mut self, file: AtomicFile) {
        self.files.push(file);
    }

    /// Stage `bytes` as the new content of `target`.
    pub fn write(&mut self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let (file, mut w) = AtomicFile::create(target)?;
        w.write_all(bytes)?;
        file.close(w)?;
        self.add(file);
        Ok(())
    }

    /// Put every staged file in place. On failure the target that could not be replaced is
    /// named, the old files are all back as they were, and no temporary file is left.
    pub fn commit(mut self) -> Result<(), (PathBuf, std::io::Error)> {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        match self.swap_in() {
            Some(Ok(())) => return Ok(()),
            Some(Err(e)) => return Err(e),
            None => {}
        }
        let mut aside: Vec<(PathBuf, PathBuf)> = Vec::new();
        let restore = |aside: &[(PathBuf, PathBuf)]| {
            for (target, old) in aside.iter().rev() {
                let _ = std::fs::rename(old, target);
            }
        };
        for f in &self.files {
            if !f.target.is_file() {
                continue;
            }
            let old = f.temp.with_extension("old");
            // Elsewhere than Windows the old file stays where it is under a second name, so a
            // reader (the folder watcher, an editor, a viewer reloading) never finds the target
            // missing: the rename below replaces it in one step. Windows must move it aside to
            // learn, before anything changes, whether another program holds it.
            let kept = if cfg!(windows) {
                std::fs::rename(&f.target, &old)
            } else {
                std::fs::hard_link(&f.target, &old).or_else(|_| std::fs::rename(&f.target, &old))
            };
            if let Err(e) = kept {
                restore(&aside);
                return Err((f.target.clone(), e));
            }
            aside.push((f.target.clone(), old));
        }
        for (i, f) in self.files.iter().enumerate() {
            if let Err(e) = std::fs::rename(&f.temp, &f.target) {
                for placed in &self.files[..i] {
                    let _ = std::fs::remove_file(&placed.target);
                }
                restore(&aside);
                return Err((f.target.clone(), e));
            }
        }
        for f in &mut self.files {
            f.committed = true;
        }
        for (_, old) in &aside {
            let _ = std::fs::remove_file(old);
        }
        Ok(())
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
impl Batch {
    /// Each new file swapped with its target in one step (`renameat2` with `RENAME_EXCHANGE`), so
    /// the target is never missing, and undone by swapping back. A plain rename over a file made
    /// ext4 start writing the whole new binder to disk inside the rename (its `auto_da_alloc`
    /// guard), a third of a rebuild's time; a swap does not. `None` when the file system cannot
    /// swap, with nothing changed.
    fn swap_in(&mut self) -> Option<Result<(), (PathBuf, std::io::Error)>> {
        // (index, whether it had a target: its temporary name now holds the old file)
        let mut done: Vec<(usize, bool)> = Vec::new();
        let undo = |files: &[AtomicFile], done: &[(usize, bool)]| {
            for &(i, swapped) in done.iter().rev() {
                let f = &files[i];
                let _ = if swapped { exchange(&f.temp, &f.target) } else { std::fs::remove_file(&f.target) };
            }
        };
        for (i, f) in self.files.iter().enumerate() {
            let swapped = f.target.is_file();
            let r = if swapped { exchange(&f.temp, &f.target) } else { std::fs::rename(&f.temp, &f.target) };
            match r {
                Ok(()) => done.push((i, swapped)),
                Err(e) => {
                    undo(&self.files, &done);
                    let unsupported = matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP));
                    return if unsupported { None } else { Some(Err((f.target.clone(), e))) };
                }
            }
        }
        for f in &mut self.files {
            f.committed = true;
        }
        for (i, swapped) in done {
            if swapped {
                let _ = std::fs::remove_file(&self.files[i].temp);
            }
        }
        Some(Ok(()))
    }
}

/// Swap two files' names in one step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated paths that live across the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Whether writing failed because another program holds the file open (Windows locks files
/// that viewers and Excel have open; elsewhere nothing does).
pub fn is_locked(e: &std::io::Error) -> bool {
    // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

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
    use super::*;

    /// An empty folder of this test's own.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    /// The editing page saves dossier.json many times a minute while the folder watcher and
    /// the clerk's editor read it: it must never be missing, not even for a moment.
    #[cfg(not(windows))]
    #[test]
    fn a_replaced_file_is_never_missing() {
        let dir = scratch("dossier-batch-present");
        let target = dir.join("dossier.json");
        std::fs::write(&target, "0").unwrap();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (target, done) = (target.clone(), done.clone());
            std::thread::spawn(move || {
                let mut missing = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::read(&target).is_err() {
                        missing += 1;
                    }
                }
                missing
            })
        };
        for i in 0..300 {
            let mut batch = Batch::default();
            batch.write(&target, i.to_string().as_bytes()).unwrap();
            batch.commit().unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(reader.join().unwrap(), 0, "reads that found no file");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "299");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
        assert_eq!(whole.windows(copied.len()).filter(|w| w == &copied).count(), 3);
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

    #[test]
    fn what_a_stopped_build_left_is_cleared_and_a_running_one_is_not() {
        let dir = scratch("dossier-batch-stale");
        let stopped = dir.join(".b.pdf.4242.partial");
        let running = dir.join(".b.pdf.4343.partial");
        let other = dir.join(".c.pdf.4242.partial");
        for f in [&stopped, &running, &other] {
            std::fs::write(f, "half").unwrap();
        }
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for f in [&stopped, &other] {
            std::fs::File::options().write(true).open(f).unwrap().set_modified(an_hour_ago).unwrap();
        }
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.commit().unwrap();
        assert!(!stopped.exists(), "the stopped build's file is left");
        assert!(running.exists() && other.exists(), "a file of a running build or of another target went");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_batch_replaces_every_file() {
        let dir = scratch("dossier-batch-ok");
        std::fs::write(dir.join("b.pdf"), "old pdf").unwrap();
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.write(&dir.join("b.manifest.csv"), b"new csv").unwrap();
        batch.commit().unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("b.pdf")).unwrap(), "new pdf");
        assert_eq!(std::fs::read_to_string(dir.join("b.manifest.csv")).unwrap(), "new csv");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_cannot_be_replaced_leaves_every_old_file() {
        let dir = scratch("dossier-batch-fail");
        std::fs::write(dir.join("b.pdf"), "old pdf").unwrap();
        std::fs::write(dir.join("b.manifest.json"), "old json").unwrap();
        // A folder where the CSV goes cannot be replaced by a file, on every system (as a CSV
        // that Excel holds open cannot be on Windows); it comes last, after the others moved.
        std::fs::create_dir_all(dir.join("b.manifest.csv").join("x")).unwrap();
        let mut batch = Batch::default();
        batch.write(&dir.join("b.pdf"), b"new pdf").unwrap();
        batch.write(&dir.join("b.manifest.json"), b"new json").unwrap();
        batch.write(&dir.join("b.manifest.previous.json"), b"old json").unwrap();
        batch.write(&dir.join("b.manifest.csv"), b"new csv").unwrap();
        let (path, _) = batch.commit().unwrap_err();
        assert_eq!(path, dir.join("b.manifest.csv"));
        assert_eq!(std::fs::read_to_string(dir.join("b.pdf")).unwrap(), "old pdf");
        assert_eq!(std::fs::read_to_string(dir.join("b.manifest.json")).unwrap(), "old json");
        assert!(!dir.join("b.manifest.previous.json").exists());
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
