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

/// Write a command's text to stdout; a closed pipe comes back as an error [`code`] recognises.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
