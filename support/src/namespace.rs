//! Starting the sandbox in a PID namespace of its own, so that a stray
//! `kill(-1, sig)` or `kill(0, sig)` in the code under test reaches only the
//! test's own processes.
//!
//! The supervisor starts its [`Command`] with a `pre_exec` hook that runs in
//! the forked child, before `exec`, while that child is still
//! single-threaded. Three processes come out of it:
//!
//! ```text
//! supervisor (libtest)
//! └── X  outside the namespace: unshare(PID | mount [| user]), fork, wait,
//!     │  then exit the way the test process exited (code or signal)
//!     └── A  pid 1 of the new namespace: mounts a private /proc (and a
//!         │  private /dev/shm), forks, reaps, reports the test's status to X
//!         └── B  pid 2, in a process group of its own: execs the test binary,
//!                which runs the sandbox (the test body)
//! ```
//!
//! `unshare(CLONE_NEWPID)` only moves the caller's *later* children into the
//! new namespace, hence X's fork. The test body does not run as pid 1 (A
//! does): init ignores every signal it has no handler for, which would hide
//! an `abort()`, while A, which only forks and waits, needs none. When A
//! exits, the kernel kills whatever is left in the namespace: a backstop
//! that no orphan escapes. B's own process group keeps `kill(0, ..)` inside
//! the namespace (X and A share the supervisor-made group outside it).
//!
//! As root, PID and mount namespaces always work. Otherwise a user namespace
//! (mapping the caller's uid and gid to themselves) comes first; where the
//! kernel refuses, the supervisor notes it once and runs tests as before.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;

/// The command name of the namespace's pid 1.
pub(crate) const INIT_NAME: &std::ffi::CStr = c"workbook-init";

/// The uid/gid maps written for an unprivileged user namespace, prepared
/// before the fork (nothing may allocate between fork and exec).
struct Maps {
    uid: Vec<u8>,
    gid: Vec<u8>,
}

/// Makes `cmd` start its process in new PID and mount namespaces (plus a
/// user namespace when not root). If the kernel refuses, `spawn` fails with
/// the kernel's error, and the caller can start the command again without.
pub(crate) fn isolate(cmd: &mut Command) {
    // SAFETY: geteuid/getuid/getgid only read the process's credentials.
    let (euid, uid, gid) = unsafe { (libc::geteuid(), libc::getuid(), libc::getgid()) };
    let maps = (euid != 0).then(|| Maps {
        uid: format!("{uid} {uid} 1").into_bytes(),
        gid: format!("{gid} {gid} 1").into_bytes(),
    });
    // SAFETY: between fork and exec in a one-thread child, the hook makes only async-signal-safe
    // calls (unshare, open/write/close, pipe2, fork, mount, waitpid, setpgid, sigaction, kill,
    // _exit) on buffers made before the fork, allocates nothing, and reads errno.
    unsafe {
        cmd.pre_exec(move || enter(maps.as_ref()));
    }
}

/// The body of the `pre_exec` hook, run in X. Returns only in B (pid 2 of
/// the new namespace), or with an error before anything was forked.
fn enter(maps: Option<&Maps>) -> io::Result<()> {
    let mut flags = libc::CLONE_NEWPID | libc::CLONE_NEWNS;
    if maps.is_some() {
        flags |= libc::CLONE_NEWUSER;
    }
    // SAFETY: unshare takes no pointers.
    check(unsafe { libc::unshare(flags) })?;
    if let Some(m) = maps {
        // A process may map its own uid and gid in the user namespace it
        // just made, once setgroups is denied.
        write_file(c"/proc/self/setgroups", b"deny")?;
        write_file(c"/proc/self/uid_map", &m.uid)?;
        write_file(c"/proc/self/gid_map", &m.gid)?;
    }
    let mut status_pipe = [0; 2];
    // SAFETY: pipe2 writes two fds into the array we pass.
    check(unsafe { libc::pipe2(status_pipe.as_mut_ptr(), libc::O_CLOEXEC) })?;
    let [status_r, status_w] = status_pipe;
    // SAFETY: the process is single-threaded here (we are between fork and
    // exec), so the child starts in a consistent state.
    let a = check(unsafe { libc::fork() })?;
    if a > 0 {
        // X. Keep nothing open but the status pipe's read end: std's own
        // exec-error pipe must close when B execs, or spawn() would wait
        // for the whole test.
        close_all_but(status_r);
        outside(a, status_r)
    }
    // A: pid 1 of the new namespace, named so in `ps`.
    // SAFETY: close takes no pointers; PR_SET_NAME reads a NUL-terminated
    // literal.
    unsafe {
        libc::close(status_r);
        libc::prctl(libc::PR_SET_NAME, INIT_NAME.as_ptr());
    }
    private_mounts()?;
    // SAFETY: as above, still single-threaded.
    let b = check(unsafe { libc::fork() })?;
    if b == 0 {
        // B: a process group of its own, so that kill(0, ..) stays inside.
        // SAFETY: setpgid and close take no pointers.
        unsafe {
            libc::close(status_w);
            libc::setpgid(0, 0);
        }
        return Ok(());
    }
    close_all_but(status_w);
    init(b, status_w)
}

/// A's life: reap every child until B ends, pass B's wait status to X,
/// exit (which kills whatever is left in the namespace).
fn init(b: libc::pid_t, status_w: libc::c_int) -> ! {
    // SAFETY: resetting dispositions takes no pointers we own; SIG_DFL is a
    // valid handler. (The Rust runtime installed SIGSEGV/SIGBUS handlers in
    // the supervisor; pid 1 must not act on signals at all.)
    unsafe {
        libc::signal(libc::SIGSEGV, libc::SIG_DFL);
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
    let mut st: libc::c_int = 0;
    loop {
        let mut s: libc::c_int = 0;
        // SAFETY: waitpid writes the status into `s`, a valid c_int.
        let r = unsafe { libc::waitpid(-1, &mut s, 0) };
        if r == b {
            st = s;
            break;
        }
        if r < 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            break;
        }
    }
    let bytes = st.to_ne_bytes();
    // SAFETY: writes 4 bytes from a live array; _exit ends the process.
    unsafe {
        libc::write(status_w, bytes.as_ptr().cast(), bytes.len());
        libc::_exit(0)
    }
}

/// X's life: wait for A, then end the way B ended, so that the supervisor
/// sees B's exit code or B's fatal signal.
fn outside(a: libc::pid_t, status_r: libc::c_int) -> ! {
    let mut a_status: libc::c_int = 0;
    // SAFETY: waitpid writes the status into a valid c_int.
    while unsafe { libc::waitpid(a, &mut a_status, 0) } < 0
        && io::Error::last_os_error().raw_os_error() == Some(libc::EINTR)
    {}
    let mut buf = [0u8; 4];
    // SAFETY: reads at most 4 bytes into a live 4-byte buffer.
    let n = unsafe { libc::read(status_r, buf.as_mut_ptr().cast(), buf.len()) };
    // Without B's status (A failed or was killed), report A's own.
    let st = if n == 4 {
        libc::c_int::from_ne_bytes(buf)
    } else {
        a_status
    };
    if libc::WIFSIGNALED(st) {
        let sig = libc::WTERMSIG(st);
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads a live struct; signal/kill/getpid take no
        // pointers. Dying by the same signal passes it on to the supervisor
        // (without a core dump of this copy of it).
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            libc::signal(sig, libc::SIG_DFL);
            libc::kill(libc::getpid(), sig);
        }
        // SAFETY: _exit takes no pointers.
        unsafe { libc::_exit(128 + sig) }
    }
    let code = if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else {
        1
    };
    // SAFETY: _exit takes no pointers.
    unsafe { libc::_exit(code) }
}

/// A private propagation, then a /proc that shows this namespace's pids
/// (what `procs` reads) and a /dev/shm of the test's own.
fn private_mounts() -> io::Result<()> {
    let none = std::ptr::null::<libc::c_char>();
    // SAFETY: every pointer is a NUL-terminated literal or null, as mount
    // allows. MS_PRIVATE first: without it, a mount below could propagate
    // to the machine's own /proc.
    unsafe {
        check(libc::mount(
            none,
            c"/".as_ptr(),
            none,
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ))?;
        check(libc::mount(
            c"proc".as_ptr(),
            c"/proc".as_ptr(),
            c"proc".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            std::ptr::null(),
        ))?;
        // A /dev/shm of its own: the test's segments cannot clash with
        // another test's, and vanish with the namespace. Optional.
        libc::mount(
            c"tmpfs".as_ptr(),
            c"/dev/shm".as_ptr(),
            c"tmpfs".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV,
            c"mode=1777".as_ptr().cast(),
        );
    }
    Ok(())
}

/// Closes every fd from 3 up except `keep`.
fn close_all_but(keep: libc::c_int) {
    // SAFETY: close_range takes no pointers; closing fds we do not use in
    // this process is harmless (the other processes keep their copies).
    unsafe {
        if keep > 3 {
            libc::syscall(libc::SYS_close_range, 3u32, (keep - 1) as u32, 0u32);
        }
        libc::syscall(libc::SYS_close_range, (keep + 1) as u32, u32::MAX, 0u32);
    }
}

fn write_file(path: &std::ffi::CStr, data: &[u8]) -> io::Result<()> {
    // SAFETY: `path` is NUL-terminated; `data` is a live slice.
    unsafe {
        let fd = check(libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC))?;
        let n = libc::write(fd, data.as_ptr().cast(), data.len());
        libc::close(fd);
        if n != data.len() as isize {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn check(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}
