//! `prescreen scan`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;
use prescreen::atomic::{check_outputs, AtomicFile};
use prescreen::pipeline::read::Line;
use prescreen::report::html::HtmlReport;
use prescreen::report::json::JsonReport;
use prescreen::report::progress::Progress;
use prescreen::report::terminal;
use prescreen::{ExampleReport, Screens, Thumbnails};

use super::exit::{self, ExitCode};
use super::flags::{readable, ScanFlags};

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// The JSONL training file.
    pub input: PathBuf,
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
    /// Scan only part K of N of the input (byte ranges cut at line starts, true line
    /// numbers), for N machines; `prescreen merge` turns the N reports into the whole one.
    /// A part exits 0 once scanned: the file's verdict is merge's.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<prescreen::Shard>,
    #[command(flatten)]
    pub scan: ScanFlags,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Where the JSON report goes: stdout as it is written, or a file that appears when complete.
enum JsonDest {
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
    fn close(self) -> Result<()> {
        match self {
            JsonDest::Stdout(mut w) => Ok(w.flush()?),
            JsonDest::File(f) => f.commit(),
        }
    }
}

pub fn run(a: ScanArgs) -> Result<ExitCode> {
    readable(&a.input)?;
    let mut cfg = a.scan.options(&a.input)?;
    cfg.shard = a.shard;
    cfg.validate()?;
    if a.html.is_some() {
        cfg.thumbnails = if a.html_all {
            Thumbnails::All
        } else {
            Thumbnails::Flagged
        };
    }
    let to_stdout = a.json.as_deref() == Some(Path::new("-"));
    let outputs: Vec<&Path> = [a.json.as_deref().filter(|_| !to_stdout), a.html.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    check_outputs(&outputs, &[&cfg.input], a.force)?;
    let screens = Screens::for_scan(&cfg)?;
    let names = screens.names();
    let mut html = a
        .html
        .as_ref()
        .map(|_| HtmlReport::new(a.html_cap, a.html_all, cfg.screen.settings.thresholds()));
    let html_file = match &a.html {
        Some(p) => Some(AtomicFile::create(p, &[&cfg.input])?),
        None => None,
    };

    let mut progress = Progress::new(
        std::fs::metadata(&cfg.input).map_or(0, |m| m.len()),
        a.quiet,
    );
    let mut json = match a.json.as_deref() {
        None => None,
        Some(_) if to_stdout => Some(JsonReport::begin(
            JsonDest::Stdout(io::BufWriter::new(io::stdout())),
            &cfg,
            &names,
        )?),
        Some(path) => Some(JsonReport::begin(
            JsonDest::File(AtomicFile::create(path, &[&cfg.input])?),
            &cfg,
            &names,
        )?),
    };
    let summary = prescreen::scan(&cfg, &screens, &mut |l: &Line, r: &ExampleReport| {
        progress.example(l.bytes.len(), r.images.len());
        if let Some(h) = html.as_mut() {
            h.example(r);
        }
        json.as_mut().map_or(Ok(()), |j| j.example(r))
    })?;
    if let Some(j) = json {
        j.finish(&summary)?.close()?;
    }
    progress.finish();
    if let (Some(h), Some(mut f)) = (html, html_file) {
        h.finish(&mut f, &cfg.input.display().to_string(), &summary)?;
        f.commit()?;
    }

    if !a.quiet {
        let colour = terminal::use_colour(if to_stdout {
            io::stderr().is_terminal()
        } else {
            io::stdout().is_terminal()
        });
        let text = terminal::human_summary(&cfg.input, &summary, cfg.offline, colour);
        if to_stdout {
            eprint!("{text}");
        } else {
            exit::print(&text);
        }
    }
    if summary.shard.is_some() {
        return Ok(ExitCode::Ok);
    }
    Ok(ExitCode::from_passes(summary.passes))
}
