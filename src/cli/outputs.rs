//! The report outputs `scan` and `merge` share: where the JSON and HTML reports go, checked
//! before any work, and the JSON destination (stdout as written, or a file that appears
//! when complete).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use prescreen::atomic::{check_outputs, AtomicFile};

#[derive(Args, Debug)]
pub struct ReportFlags {
    /// Write the JSON report here ('-' for stdout; the summary then goes to stderr).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write a self-contained HTML report here: verdict, reasons, flagged images with boxes.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Put every image in the HTML report, not only skipped or warned ones.
    #[arg(long, requires = "html")]
    pub html_all: bool,
    /// At most this many thumbnails in the HTML report (the rest are listed without one).
    #[arg(long, default_value_t = prescreen::settings::HTML_CAP, requires = "html")]
    pub html_cap: usize,
    /// Replace existing report files.
    #[arg(long)]
    pub force: bool,
}

impl ReportFlags {
    /// The JSON report goes to stdout (`--json -`).
    pub fn json_to_stdout(&self) -> bool {
        self.json.as_deref() == Some(Path::new("-"))
    }

    /// Refuse outputs over `inputs`, over each other, or over existing files without
    /// `--force`, before any work.
    pub fn check(&self, inputs: &[&Path]) -> Result<()> {
        let stdout = self.json_to_stdout();
        let outputs: Vec<&Path> = [
            self.json.as_deref().filter(|_| !stdout),
            self.html.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        check_outputs(&outputs, inputs, self.force)
    }

    /// Where the JSON report is written, if anywhere.
    pub fn json_dest(&self, inputs: &[&Path]) -> Result<Option<JsonDest>> {
        Ok(match self.json.as_deref() {
            None => None,
            Some(_) if self.json_to_stdout() => {
                Some(JsonDest::Stdout(io::BufWriter::new(io::stdout())))
            }
            Some(path) => Some(JsonDest::File(AtomicFile::create(path, inputs)?)),
        })
    }
}

/// Where the JSON report goes: stdout as it is written, or a file that appears when complete.
pub enum JsonDest {
    Stdout(io::BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Write for JsonDest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            JsonDest::Stdout(w) => w.write(buf),
            JsonDest::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            JsonDest::Stdout(w) => w.flush(),
            JsonDest::File(f) => f.flush(),
        }
    }
}

impl JsonDest {
    pub fn close(self) -> Result<()> {
        match self {
            JsonDest::Stdout(mut w) => Ok(w.flush()?),
            JsonDest::File(f) => f.commit(),
        }
    }
}

impl ReportFlags {
    /// Print the terminal summary made by `text` (given whether to use colour): on stdout,
    /// or on stderr when the JSON report has stdout.
    pub fn print_summary(&self, text: impl FnOnce(bool) -> String) {
        use std::io::IsTerminal;
        if self.json_to_stdout() {
            eprint!(
                "{}",
                text(prescreen::report::terminal::use_colour(
                    io::stderr().is_terminal()
                ))
            );
        } else {
            super::exit::print(&text(prescreen::report::terminal::use_colour(
                io::stdout().is_terminal(),
            )));
        }
    }
}

/// The JSON and HTML reports being written, fed one example at a time and committed at the
/// end; `scan` and `merge` differ only in how the JSON report starts.
pub struct Reports {
    json: Option<prescreen::report::json::JsonReport<JsonDest>>,
    html: Option<(prescreen::report::html::HtmlReport, AtomicFile)>,
}

impl Reports {
    /// Open the outputs `flags` ask for (over none of `inputs`); `begin` starts the JSON report.
    pub fn open(
        flags: &ReportFlags,
        inputs: &[&Path],
        thresholds: impl FnOnce() -> prescreen::Thresholds,
        begin: impl FnOnce(JsonDest) -> Result<prescreen::report::json::JsonReport<JsonDest>>,
    ) -> Result<Reports> {
        let html = match flags.html.as_deref() {
            Some(p) => Some((
                prescreen::report::html::HtmlReport::new(
                    flags.html_cap,
                    flags.html_all,
                    thresholds(),
                ),
                AtomicFile::create(p, inputs)?,
            )),
            None => None,
        };
        let json = flags.json_dest(inputs)?.map(begin).transpose()?;
        Ok(Reports { json, html })
    }

    pub fn example(&mut self, r: &prescreen::ExampleReport) -> Result<()> {
        if let Some((h, _)) = self.html.as_mut() {
            h.example(r);
        }
        self.json.as_mut().map_or(Ok(()), |j| j.example(r))
    }

    /// Finish and commit both reports (`input`: the name the HTML report shows).
    pub fn finish(self, input: &Path, summary: &prescreen::Summary) -> Result<()> {
        if let Some(j) = self.json {
            j.finish(summary)?.close()?;
        }
        if let Some((h, mut f)) = self.html {
            h.finish(&mut f, &input.display().to_string(), summary)?;
            f.commit()?;
        }
        Ok(())
    }
}
