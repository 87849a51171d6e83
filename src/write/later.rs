//! Kernel copies into the output run on a thread of their own: on a rebuild most of the binder's
//! bytes are unchanged scans, and copying them was half of the time the writer spent, while the
//! other core waited. Each copy names its place in the output, so the writer leaves a hole there
//! and goes on; `finish` waits for every copy and reports the first failure.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Copies waiting at most; beyond that the writer waits for a place.
const QUEUE: usize = 64;

struct Job {
    src: File,
    from: u64,
    to: u64,
    len: u64,
}

pub struct Copier {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Copier {
    pub fn start(out: Arc<File>) -> Copier {
        // Each waiting copy holds its source open: a writer far ahead of the copies would run out
        // of file handles (1,024 on many systems) on a binder of thousands of scans.
        let (tx, rx) = sync_channel::<Job>(QUEUE);
        let thread = std::thread::spawn(move || {
            let mut first_err = None;
            for job in rx {
                // After a failure the rest are only drained: the build fails anyway.
                if first_err.is_none()
                    && let Err(e) = copy(&job, &out)
                {
                    first_err = Some(e);
                }
            }
            first_err.map_or(Ok(()), Err)
        });
        Copier { jobs: Some(tx), thread: Some(thread) }
    }

    /// Copy `len` bytes of `src` at `from` to the output at `to`.
    pub fn copy(&mut self, src: File, from: u64, to: u64, len: u64) -> std::io::Result<()> {
        let job = Job { src, from, to, len };
        match self.jobs.as_ref().map(|tx| tx.send(job)) {
            Some(Ok(())) => Ok(()),
            // The thread ended early: its error says why.
            _ => self.wait().and(Err(std::io::Error::other(crate::error::WRITING_STOPPED))),
        }
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.wait()
    }

    fn wait(&mut self) -> std::io::Result<()> {
        self.jobs = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(std::io::Error::other(crate::error::WRITING_STOPPED)),
            None => Ok(()),
        }
    }
}

impl Drop for Copier {
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

fn copy(job: &Job, out: &File) -> std::io::Result<()> {
    let (mut from, mut to) = (job.from as libc::loff_t, job.to as libc::loff_t);
    let mut left = job.len as usize;
    while left > 0 {
        // SAFETY: both descriptors are open files for the call's length; the offsets are ours.
        let n = unsafe { libc::copy_file_range(job.src.as_raw_fd(), &mut from, out.as_raw_fd(), &mut to, left, 0) };
        match n {
            0 => return Err(super::changed()),
            n if n > 0 => left -= n as usize,
            _ => {
                let e = std::io::Error::last_os_error();
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                // Across file systems on older kernels, or where it is not supported: by hand.
                return by_hand(job, out, (from as u64, to as u64), left);
            }
        }
    }
    Ok(())
}

fn by_hand(job: &Job, out: &File, (mut from, mut to): (u64, u64), mut left: usize) -> std::io::Result<()> {
    let mut buf = vec![0u8; (1 << 20).min(left)];
    while left > 0 {
        let n = left.min(buf.len());
        job.src.read_exact_at(&mut buf[..n], from).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => super::changed(),
            _ => e,
        })?;
        out.write_all_at(&buf[..n], to)?;
        (from, to, left) = (from + n as u64, to + n as u64, left - n);
    }
    Ok(())
}
