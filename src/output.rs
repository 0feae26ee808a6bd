//! Output: the streaming JSON report, the human summary, and atomic file writing.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::config::ScanConfig;
use crate::report::{ExampleReport, ExampleStatus, Summary, SCHEMA_VERSION};

/// A file that appears at its path only when complete: written to a temporary file in the same
/// folder and renamed over the destination on [`AtomicFile::commit`]. Dropped uncommitted, it
/// leaves nothing behind.
pub struct AtomicFile {
    tmp: BufWriter<tempfile::NamedTempFile>,
    dest: PathBuf,
}

impl AtomicFile {
    /// `inputs` are files this output must never replace.
    pub fn create(dest: &Path, inputs: &[&Path]) -> Result<AtomicFile> {
        refuse_overwrite(dest, inputs)?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".prescreen-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        Ok(AtomicFile {
            tmp: BufWriter::with_capacity(1 << 16, tmp),
            dest: dest.to_path_buf(),
        })
    }

    pub fn commit(self) -> Result<()> {
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {} failed", self.dest.display()))?;
        // Temporary files are private (0600); the result is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.dest).with_context(|| {
            format!(
                "cannot move the output into place at {}",
                self.dest.display()
            )
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Refuse to replace an existing output unless asked to.
pub fn refuse_existing(p: &Path, force: bool) -> Result<()> {
    if p.exists() && !force {
        bail!("{} already exists (use --force to replace it)", p.display());
    }
    Ok(())
}

/// Refuse a destination that is (or links to) one of the inputs.
pub fn refuse_overwrite(dest: &Path, inputs: &[&Path]) -> Result<()> {
    let canon = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = fs::canonicalize(p) {
            return Some(c);
        }
        let parent = match p.parent() {
            Some(x) if !x.as_os_str().is_empty() => x,
            _ => Path::new("."),
        };
        Some(fs::canonicalize(parent).ok()?.join(p.file_name()?))
    };
    let d = canon(dest);
    for i in inputs {
        if d.is_some() && d == canon(i) {
            bail!(
                "refusing to write {} over the input {}",
                dest.display(),
                i.display()
            );
        }
    }
    Ok(())
}

/// Streams the JSON report: header, then one example at a time, then the summary — so a file
/// of any size is reported in bounded memory.
pub struct JsonReport<W: Write> {
    out: W,
    first: bool,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Input<'a> {
    path: &'a Path,
    bytes: u64,
}

#[derive(Serialize)]
struct Options<'a> {
    offline: bool,
    full_decode: bool,
    allow_private_urls: bool,
    detectors: &'a [&'static str],
}

impl<W: Write> JsonReport<W> {
    pub fn begin(mut out: W, cfg: &ScanConfig, detectors: &[&'static str]) -> Result<Self> {
        let input_bytes = fs::metadata(&cfg.input).map(|m| m.len()).unwrap_or(0);
        write!(out, "{{\"schema_version\":\"{SCHEMA_VERSION}\",\"tool\":")?;
        serde_json::to_writer(
            &mut out,
            &Tool {
                name: "prescreen",
                version: env!("CARGO_PKG_VERSION"),
            },
        )?;
        write!(out, ",\"provider\":")?;
        serde_json::to_writer(&mut out, &cfg.profile.name)?;
        write!(out, ",\"profile\":")?;
        serde_json::to_writer(&mut out, cfg.profile)?;
        write!(out, ",\"input\":")?;
        serde_json::to_writer(
            &mut out,
            &Input {
                path: &cfg.input,
                bytes: input_bytes,
            },
        )?;
        write!(out, ",\"options\":")?;
        serde_json::to_writer(
            &mut out,
            &Options {
                offline: cfg.offline,
                full_decode: cfg.full_decode,
                allow_private_urls: cfg.fetch.allow_private,
                detectors,
            },
        )?;
        write!(out, ",\"examples\":[")?;
        Ok(JsonReport { out, first: true })
    }

    pub fn example(&mut self, r: &ExampleReport) -> Result<()> {
        if !self.first {
            self.out.write_all(b",\n")?;
        } else {
            self.out.write_all(b"\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, r)?;
        Ok(())
    }

    pub fn finish(mut self, summary: &Summary) -> Result<W> {
        write!(self.out, "\n],\"summary\":")?;
        serde_json::to_writer_pretty(&mut self.out, summary)?;
        writeln!(self.out, "}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Progress on stderr while scanning: examples and images done, images/s, ETA by bytes read.
/// Drawn only when stderr is a terminal and not `--quiet`.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    examples: u64,
    images: u64,
    start: std::time::Instant,
}

impl Progress {
    pub fn new(total_bytes: u64, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total_bytes),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:32.cyan/blue} {percent:>3}%  {msg}  ETA {eta}",
            ) {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            examples: 0,
            images: 0,
            start: std::time::Instant::now(),
        }
    }

    pub fn example(&mut self, line_bytes: usize, images: usize) {
        self.examples += 1;
        self.images += images as u64;
        if let Some(b) = &self.bar {
            b.inc(line_bytes as u64);
            let rate = self.images as f64 / self.start.elapsed().as_secs_f64().max(1e-3);
            b.set_message(format!(
                "{} examples, {} images, {rate:.1} images/s",
                self.examples, self.images
            ));
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}

/// Colour for a terminal that wants it: a TTY, and `NO_COLOR` unset.
pub fn use_colour(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The short summary a person reads after a scan.
pub fn human_summary(input: &Path, s: &Summary, offline: bool, colour: bool) -> String {
    let mut o = String::new();
    let provider = s
        .provider
        .map(|p| format!("{p:?}").to_lowercase())
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "prescreen scan of {} ({provider} profile)",
        input.display()
    );
    let _ = writeln!(
        o,
        "  examples {}   invalid {}   with images {}   images {}   skipped images {}",
        thousands(s.examples),
        thousands(s.invalid_examples),
        thousands(s.examples_with_images),
        thousands(s.images),
        thousands(s.skipped_images)
    );
    if s.unchecked_images > 0 {
        let _ = writeln!(
            o,
            "  {} image(s) not checked{}",
            thousands(s.unchecked_images),
            if offline {
                " (--offline: URLs were not fetched)"
            } else {
                ""
            }
        );
    }
    if !s.images_by_reason.is_empty() {
        let _ = writeln!(o, "  skipped images by reason:");
        for (r, n) in &s.images_by_reason {
            let _ = writeln!(
                o,
                "    {:<22} {:>8}   fix: {}",
                r.code(),
                thousands(*n),
                r.advice()
            );
        }
    }
    if let Some(n) = s
        .examples_by_reason
        .get(&crate::reason::Reason::TooManyImages)
    {
        let _ = writeln!(
            o,
            "    {:<22} {:>8} example(s)",
            "too_many_images",
            thousands(*n)
        );
    }
    if !s.errors_by_code.is_empty() {
        let _ = writeln!(o, "  invalid lines by error:");
        for (c, n) in &s.errors_by_code {
            let _ = writeln!(o, "    {c:<28} {:>8}", thousands(*n));
        }
    }
    if !s.warnings_by_code.is_empty() {
        let _ = writeln!(o, "  warnings:");
        for (c, n) in &s.warnings_by_code {
            let _ = writeln!(o, "    {c:<28} {:>8}", thousands(*n));
        }
    }
    let e = &s.expected_trained_examples;
    let met = |b: bool| {
        if b {
            paint(colour, "32", "met")
        } else {
            paint(colour, "1;31", "NOT met")
        }
    };
    let _ = writeln!(
        o,
        "  expected trained examples (minimum {}):",
        s.minimum_examples
    );
    let _ = writeln!(
        o,
        "    example-level policy (an example with a skipped image is dropped): {:>8}  {}",
        thousands(e.example_level),
        met(s.meets_minimum.example_level)
    );
    let _ = writeln!(
        o,
        "    image-level policy   (only the skipped image is dropped):          {:>8}  {}",
        thousands(e.image_level),
        met(s.meets_minimum.image_level)
    );
    let _ = writeln!(
        o,
        "  tokens (estimate; detail auto counted as high): text {}  images {}  total {}",
        thousands(s.tokens.text),
        thousands(s.tokens.images),
        thousands(s.tokens.total)
    );
    if s.examples_over_token_limit > 0 {
        let _ = writeln!(
            o,
            "  {} example(s) over the token limit will be truncated",
            thousands(s.examples_over_token_limit)
        );
    }
    if !s.worst_offenders.is_empty() {
        let _ = writeln!(o, "  worst offenders:");
        for w in &s.worst_offenders {
            let status = match w.status {
                ExampleStatus::Invalid => "invalid",
                ExampleStatus::Skipped => "skipped",
                ExampleStatus::Ok => "ok",
            };
            let status = paint(colour, "33", status);
            let _ = writeln!(o, "    line {}: {status}: {}", w.line, w.what);
        }
    }
    if let Some(l) = s.stopped_at_line {
        let _ = writeln!(o, "  stopped at line {l} (--fail-fast)");
    }
    let _ = writeln!(
        o,
        "{} {}",
        paint(colour, if s.passes { "1;32" } else { "1;31" }, "verdict:"),
        s.verdict
    );
    o
}
