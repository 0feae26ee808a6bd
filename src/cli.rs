//! Command-line parsing: flags become a validated [`ScanConfig`] once; exit codes are
//! 0 (the file will be accepted and train at least the minimum), 1 (it will not), 2 (usage or
//! I/O error).

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Result};
use clap::{Args, Parser, Subcommand};

use crate::config::ScanConfig;
use crate::detect::{DetectOptions, DetectStage};
use crate::output::{human_summary, AtomicFile, JsonReport};
use crate::provider::{Profile, ProviderName};
use crate::read::Line;
use crate::report::ExampleReport;

pub const EXIT_OK: i32 = 0;
pub const EXIT_WILL_FAIL: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "prescreen",
    version,
    about = "Predict which images and examples a vision fine-tuning provider will skip, before you upload.",
    after_help = "Exit codes: 0 = the file will be accepted and meets the 10-example minimum (example-level policy);\n            1 = it will not (invalid lines, or too few examples left); 2 = usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check every line and image of a fine-tuning JSONL file and predict what will be skipped.
    #[command(
        after_help = "Examples:\n  prescreen scan train.jsonl\n  prescreen scan train.jsonl --provider openai --json report.json\n  prescreen scan train.jsonl --offline --no-detect --json - | jq .summary"
    )]
    Scan(ScanArgs),
    /// Write a copy of the dataset that will survive screening, and what was removed and why.
    #[command(
        after_help = "Examples:\n  prescreen filter train.jsonl -o clean.jsonl --rejected removed.jsonl\n  prescreen filter train.jsonl -o clean.jsonl --policy image\n  prescreen scan train.jsonl --json r.json && prescreen filter train.jsonl -o clean.jsonl --from-report r.json"
    )]
    Filter(crate::filter::FilterArgs),
    /// Repair what the provider would skip for format reasons (colour mode, format, size, rotation).
    #[command(
        after_help = "Examples:\n  prescreen fix train.jsonl -o fixed.jsonl --changes changes.jsonl\n  prescreen fix train.jsonl -o fixed.jsonl --inline --detail low"
    )]
    Fix(crate::fix::FixArgs),
    /// Compare the count the provider reported after upload with the prediction.
    #[command(
        after_help = "Examples:\n  prescreen audit train.jsonl --reported 412\n  prescreen audit train.jsonl --reported 412 --trained-tokens 1843200 --epochs 3 --from-report r.json"
    )]
    Audit(crate::audit::AuditArgs),
}

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
    #[arg(long, default_value_t = 300, requires = "html")]
    pub html_cap: usize,
    #[command(flatten)]
    pub opts: ScanOpts,
}

/// How to scan: shared by every command that predicts skips.
#[derive(Args, Debug, Clone)]
pub struct ScanOpts {
    /// Provider profile whose limits to apply.
    #[arg(long, value_enum, default_value = "azure")]
    pub provider: ProviderName,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Concurrent HTTP downloads.
    #[arg(long, default_value_t = 16)]
    pub fetch_jobs: usize,
    /// Do not fetch http(s) images; they are reported as not checked.
    #[arg(long)]
    pub offline: bool,
    /// Fetch URLs on loopback/private addresses (the provider cannot; for local testing).
    #[arg(long)]
    pub allow_private_urls: bool,
    /// Seconds allowed to connect to an image host.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub connect_timeout: f64,
    /// Seconds allowed for a whole image download.
    #[arg(long, default_value_t = 30.0, value_name = "SECS")]
    pub timeout: f64,
    /// Redirects followed per image URL.
    #[arg(long, default_value_t = 5)]
    pub max_redirects: usize,
    /// Structure-and-header scan: no full decode, no content screening (fast).
    #[arg(long)]
    pub no_detect: bool,
    /// Run every detector on every image even once it is already skipped.
    #[arg(long)]
    pub explain: bool,
    /// ONNX Runtime shared library to load (default: ORT_DYLIB_PATH, beside the executable,
    /// the project cache filled by tools/fetch-onnxruntime.sh, a Python onnxruntime, the system).
    #[arg(long, value_name = "PATH")]
    pub ort_lib: Option<PathBuf>,
    /// Load the models from this folder instead of the copies built into prescreen.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Face score at or above which an image is predicted skipped (contains_faces).
    #[arg(long, value_name = "SCORE")]
    pub face_threshold: Option<f32>,
    /// Person score at or above which an image is predicted skipped (contains_people).
    #[arg(long, value_name = "SCORE")]
    pub person_threshold: Option<f32>,
    /// Content screens to run, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(crate::detect::SCREENS.iter().copied()))]
    pub detectors: Vec<String>,
    /// CAPTCHA score at or above which an image is predicted skipped (contains_captcha).
    #[arg(long, value_name = "SCORE")]
    pub captcha_threshold: Option<f32>,
    /// Stop at the first invalid line or skipped example.
    #[arg(long)]
    pub fail_fast: bool,
    /// Lines per in-flight window (memory bound; results do not depend on it).
    #[arg(long, default_value_t = 1024, hide = true)]
    pub window_lines: usize,
    /// Print nothing but errors on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl ScanOpts {
    pub fn config(&self, input: &std::path::Path) -> Result<ScanConfig> {
        if !input.is_file() {
            bail!("{} is not a readable file", input.display());
        }
        let secs = |v: f64, name: &str| -> Result<Duration> {
            if !(v.is_finite() && v > 0.0) {
                bail!("--{name} must be a positive number of seconds");
            }
            Ok(Duration::from_secs_f64(v))
        };
        let mut cfg = ScanConfig::new(input.to_path_buf(), Profile::get(self.provider));
        if let Some(j) = self.jobs {
            if j == 0 {
                bail!("--jobs must be at least 1");
            }
            cfg.jobs = j;
        }
        if self.fetch_jobs == 0 {
            bail!("--fetch-jobs must be at least 1");
        }
        cfg.fetch_jobs = self.fetch_jobs;
        cfg.offline = self.offline;
        cfg.fetch.allow_private = self.allow_private_urls;
        cfg.fetch.connect_timeout = secs(self.connect_timeout, "connect-timeout")?;
        cfg.fetch.timeout = secs(self.timeout, "timeout")?;
        cfg.fetch.max_redirects = self.max_redirects;
        cfg.full_decode = !self.no_detect;
        cfg.fail_fast = self.fail_fast;
        if self.window_lines == 0 {
            bail!("--window-lines must be at least 1");
        }
        cfg.window_lines = self.window_lines;
        Ok(cfg)
    }
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let result = match &cli.command {
        Command::Scan(a) => run_scan(a),
        Command::Filter(a) => crate::filter::run(a),
        Command::Fix(a) => crate::fix::run(a),
        Command::Audit(a) => crate::audit::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("prescreen: error: {e:#}");
            EXIT_ERROR
        }
    }
}

impl ScanOpts {
    pub fn detect_options(&self, cfg: &ScanConfig) -> Result<DetectOptions> {
        let mut o = DetectOptions {
            ort_lib: self.ort_lib.clone(),
            models_dir: self.models.clone(),
            workers: cfg.jobs,
            explain: self.explain,
            only: self.detectors.clone(),
            ..DetectOptions::default()
        };
        let score = |v: Option<f32>, name: &str, into: &mut f32| -> Result<()> {
            match v {
                Some(x) if !(0.0..=1.0).contains(&x) => bail!("--{name} must be between 0 and 1"),
                Some(x) => {
                    *into = x;
                    Ok(())
                }
                None => Ok(()),
            }
        };
        score(self.face_threshold, "face-threshold", &mut o.face.threshold)?;
        score(
            self.person_threshold,
            "person-threshold",
            &mut o.person.threshold,
        )?;
        score(
            self.captcha_threshold,
            "captcha-threshold",
            &mut o.captcha.threshold,
        )?;
        Ok(o)
    }

    /// The detect stage these options ask for (nothing to load with `--no-detect`).
    pub fn detect_stage(&self, cfg: &ScanConfig) -> Result<DetectStage> {
        if self.no_detect {
            Ok(DetectStage::new(Vec::new(), self.explain))
        } else {
            DetectStage::load(&self.detect_options(cfg)?)
        }
    }
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

fn run_scan(a: &ScanArgs) -> Result<i32> {
    let mut cfg = a.opts.config(&a.input)?;
    if a.html.is_some() {
        cfg.thumbnails = if a.html_all {
            crate::config::Thumbnails::All
        } else {
            crate::config::Thumbnails::Flagged
        };
    }
    let detect = a.opts.detect_stage(&cfg)?;
    let names = detect.names();
    let to_stdout = a.json.as_deref() == Some(std::path::Path::new("-"));
    let mut html = a.html.as_ref().map(|_| {
        let th =
            crate::audit::Thresholds::from_opts(&a.opts.detect_options(&cfg).unwrap_or_default());
        crate::html::HtmlReport::new(a.html_cap, a.html_all, th.0)
    });
    let html_file = match &a.html {
        Some(p) => Some(AtomicFile::create(p, &[&cfg.input])?),
        None => None,
    };

    let mut progress = crate::output::Progress::new(
        std::fs::metadata(&cfg.input).map_or(0, |m| m.len()),
        a.opts.quiet,
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
    let summary = crate::scan(&cfg, &detect, &mut |l: &Line, r: &ExampleReport| {
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

    if !a.opts.quiet {
        use std::io::IsTerminal;
        let colour = crate::output::use_colour(if to_stdout {
            io::stderr().is_terminal()
        } else {
            io::stdout().is_terminal()
        });
        let text = human_summary(&cfg.input, &summary, cfg.offline, colour);
        if to_stdout {
            eprint!("{text}");
        } else {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(if summary.passes {
        EXIT_OK
    } else {
        EXIT_WILL_FAIL
    })
}
