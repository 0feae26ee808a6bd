//! A child process measured on its own: wall time, and from `wait4` its peak RSS and CPU
//! time (`getrusage(RUSAGE_CHILDREN)` would give the largest of every child reaped so far).
// Shared by the benches; not every bench reads every field.
#![allow(dead_code)]

use std::io::Read;
use std::process::Command;
use std::time::Instant;

pub struct Measured {
    pub secs: f64,
    pub rss_mb: f64,
    pub cpu_secs: f64,
    /// Its standard output, when the command pipes it.
    pub stdout: Vec<u8>,
    /// Its exit code (`None`: killed by a signal).
    pub code: Option<i32>,
}

// The child is reaped by wait4, not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn measure(cmd: &mut Command) -> Measured {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn");
    let mut stdout = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_end(&mut stdout).unwrap();
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped; status and usage are valid for writing.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Measured {
        secs: start.elapsed().as_secs_f64(),
        rss_mb: usage.ru_maxrss as f64 / 1024.0,
        cpu_secs: tv(usage.ru_utime) + tv(usage.ru_stime),
        stdout,
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
    }
}
