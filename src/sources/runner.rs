//! Running a converter (LibreOffice, heif-convert, ImageMagick) so that a timeout ends it and
//! everything it started. soffice is a launcher: on Linux a script that starts soffice.bin, on
//! Windows soffice.exe that starts soffice.bin; killing only the launcher would leave the real
//! converter running and holding its files.
//!
//! Unix: the converter leads a process group of its own, and the whole group is signalled.
//! Windows: the converter is started suspended, put into a Job Object that kills its processes
//! when closed, and only then let run, so not even a quickly started child escapes the job.

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A converter started by [`spawn`].
pub(crate) struct Running {
    child: Child,
    #[cfg(windows)]
    job: Option<job::Job>,
}

/// Start `cmd` so that [`Running::wait_or_kill`] can end it with whatever it starts.
pub(crate) fn spawn(cmd: &mut Command) -> std::io::Result<Running> {
    #[cfg(unix)]
    {
        std::os::unix::process::CommandExt::process_group(cmd, 0);
    }
    #[cfg(windows)]
    {
        let (child, job) = job::spawn(cmd)?;
        Ok(Running { child, job })
    }
    #[cfg(not(windows))]
    {
        Ok(Running { child: cmd.spawn()? })
    }
}

impl Running {
    /// The converter's process, to poll it closely or take its output pipes.
    pub(crate) fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Wait for the converter. None: it did not finish within `timeout`, and it and whatever it
    /// started were killed.
    pub(crate) fn wait_or_kill(&mut self, timeout: Duration) -> std::io::Result<Option<ExitStatus>> {
        let start = Instant::now();
        loop {
            match self.child.try_wait()? {
                Some(status) => return Ok(Some(status)),
                None if start.elapsed() > timeout => {
                    self.kill_all();
                    let _ = self.child.wait();
                    return Ok(None);
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// End a timed-out conversion and whatever it started.
    fn kill_all(&mut self) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals the process group the child leads (it
            // was started with process_group(0)); it touches no memory of ours.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        #[cfg(windows)]
        if let Some(job) = self.job.take() {
            job.terminate();
        }
        let _ = self.child.kill();
    }
}

#[cfg(windows)]
mod job {
    use std::os::windows::io::AsRawHandle;
    use std::os::windows::process::CommandExt;
    use std::process::{Child, Command};
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Diagnostics::ToolHelp::{
        CreateToolhelp32Snapshot, TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
    };
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation, SetInformationJobObject,
        TerminateJobObject,
    };
    use windows_sys::Win32::System::Threading::{CREATE_SUSPENDED, OpenThread, ResumeThread, THREAD_SUSPEND_RESUME};

    /// A Job Object whose processes all end when it is closed (also when dossier itself dies).
    pub(super) struct Job(HANDLE);

    impl Job {
        fn new() -> Option<Job> {
            // SAFETY: plain Win32 calls on a handle we own; the limit structure lives across the call.
            unsafe {
                let handle = CreateJobObjectW(std::ptr::null(), std::ptr::null());
                if handle.is_null() {
                    return None;
                }
                let job = Job(handle);
                let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
                limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
                let ok = SetInformationJobObject(
                    job.0,
                    JobObjectExtendedLimitInformation,
                    (&raw const limits).cast(),
                    size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
                );
                (ok != 0).then_some(job)
            }
        }

        pub(super) fn terminate(self) {
            // SAFETY: the handle is ours and open; dropping `self` then closes it.
            unsafe {
                TerminateJobObject(self.0, 1);
            }
        }
    }

    impl Drop for Job {
        fn drop(&mut self) {
            // SAFETY: the handle is ours, closed once here.
            unsafe {
                CloseHandle(self.0);
            }
        }
    }

    /// Start `cmd` suspended, put it into a new job, then let it run. Without a job (the system
    /// refused one) the converter still runs; only a timeout then leaves its children behind.
    pub(super) fn spawn(cmd: &mut Command) -> std::io::Result<(Child, Option<Job>)> {
        let Some(job) = Job::new() else {
            return Ok((cmd.spawn()?, None));
        };
        let mut child = cmd.creation_flags(CREATE_SUSPENDED).spawn()?;
        // SAFETY: both handles are open: the job is ours, the process handle is the child's.
        let assigned = unsafe { AssignProcessToJobObject(job.0, child.as_raw_handle() as HANDLE) } != 0;
        if let Err(e) = resume(child.id()) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
        Ok((child, assigned.then_some(job)))
    }

    /// Resume the threads of a process started suspended. std does not hand out the thread
    /// handle CreateProcess returned, so the thread is found by its process id.
    fn resume(pid: u32) -> std::io::Result<()> {
        // SAFETY: the snapshot and thread handles are ours and closed before returning; the entry
        // structure is sized as the API requires.
        unsafe {
            let snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
            if snap == INVALID_HANDLE_VALUE {
                return Err(std::io::Error::last_os_error());
            }
            let mut entry = THREADENTRY32 { dwSize: size_of::<THREADENTRY32>() as u32, ..Default::default() };
            let mut resumed = 0;
            let mut more = Thread32First(snap, &mut entry) != 0;
            while more {
                if entry.th32OwnerProcessID == pid {
                    let thread = OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID);
                    if !thread.is_null() {
                        if ResumeThread(thread) != u32::MAX {
                            resumed += 1;
                        }
                        CloseHandle(thread);
                    }
                }
                more = Thread32Next(snap, &mut entry) != 0;
            }
            CloseHandle(snap);
            if resumed == 0 {
                return Err(std::io::Error::other("the converter was started but could not be let run"));
            }
        }
        Ok(())
    }
}
