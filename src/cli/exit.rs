//! Exit codes, in one place: 0 the file will train (or the command succeeded), 1 it will not
//! (or the audit found a gap), 2 a usage or I/O error. A closed stdout (`| head -1`) ends the
//! run quietly, as it does for any Unix filter.

use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Ok = 0,
    WillFail = 1,
    Error = 2,
}

impl ExitCode {
    pub fn from_passes(passes: bool) -> ExitCode {
        if passes {
            ExitCode::Ok
        } else {
            ExitCode::WillFail
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The exit code of a command's outcome; errors are printed here, once.
pub fn code(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(c) => c,
        Err(e) if is_broken_pipe(&e) => ExitCode::Ok,
        Err(e) => {
            eprintln!("prescreen: error: {e:#}");
            ExitCode::Error
        }
    }
}

/// Write a command's closing text to stdout, once its outputs are committed: the exit code
/// then says what the command did, so a stdout that cannot be written (full disk, closed
/// pipe) changes nothing but this text, and a note on stderr says so.
pub fn print(text: &str) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("prescreen: the outputs are written; the summary could not be printed: {e}");
        }
    }
}
