//! Flag groups shared by subcommands, and how each becomes the library's options. Defaults
//! come from `prescreen::settings`, never written here.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Result};
use clap::builder::PossibleValuesParser;
use clap::Args;
use prescreen::ops::Predictions;
use prescreen::settings::{self, Settings};
use prescreen::{FetchOptions, Profile, ProviderName, ScanOptions, Screen, ScreenOptions};

fn providers() -> PossibleValuesParser {
    PossibleValuesParser::new(ProviderName::ALL.map(ProviderName::code))
}

fn screens() -> PossibleValuesParser {
    PossibleValuesParser::new(Screen::ALL.iter().map(|s| s.code()))
}

/// Where images come from and under whose rules: what every command that reads images needs.
#[derive(Args, Debug, Clone)]
pub struct SourceFlags {
    /// Provider profile whose limits to apply.
    #[arg(long, value_parser = providers(), default_value = ProviderName::Azure.code())]
    pub provider: String,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS))]
    pub jobs: Option<u64>,
    /// Concurrent HTTP downloads.
    #[arg(long, default_value_t = settings::FETCH_JOBS as u64, value_parser = clap::value_parser!(u64).range(1..=MAX_FETCH_JOBS))]
    pub fetch_jobs: u64,
    /// Do not fetch http(s) images; they are reported as not checked.
    #[arg(long)]
    pub offline: bool,
    /// Fetch URLs on loopback/private addresses (the provider cannot; for local testing).
    #[arg(long)]
    pub allow_private_urls: bool,
    /// Seconds allowed to connect to an image host.
    #[arg(long, default_value_t = settings::CONNECT_TIMEOUT_SECS, value_name = "SECS", value_parser = seconds)]
    pub connect_timeout: f64,
    /// Seconds allowed for a whole image download.
    #[arg(long, default_value_t = settings::TIMEOUT_SECS, value_name = "SECS", value_parser = seconds)]
    pub timeout: f64,
    /// Redirects followed per image URL.
    #[arg(long, default_value_t = settings::MAX_REDIRECTS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=50))]
    pub max_redirects: usize,
}

/// Far more threads than any machine has cores only costs memory (each worker holds its own
/// model sessions); far more downloads than that is a denial of service.
const MAX_JOBS: u64 = 1024;
const MAX_FETCH_JOBS: u64 = 256;
/// A day: longer is a typo, and `Duration` cannot hold 1e300 seconds.
const MAX_SECONDS: f64 = 86_400.0;

fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= MAX_SECONDS => Ok(v),
        _ => Err(format!(
            "must be a positive number of seconds, at most {MAX_SECONDS}"
        )),
    }
}

fn score(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("must be a score between 0 and 1".into()),
    }
}

/// A threshold that may also be above 1, which turns its detector off.
fn score_or_off(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if v >= 0.0 && v.is_finite() => Ok(v),
        _ => Err("must be a score between 0 and 1 (above 1 turns the detector off)".into()),
    }
}

impl SourceFlags {
    pub fn profile(&self) -> &'static Profile {
        Profile::get(ProviderName::parse(&self.provider).expect("clap checked the value"))
    }

    pub fn jobs(&self) -> usize {
        self.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(2, |n| n.get()),
            |j| j as usize,
        )
    }

    pub fn fetch(&self) -> FetchOptions {
        FetchOptions {
            connect_timeout: Duration::from_secs_f64(self.connect_timeout),
            timeout: Duration::from_secs_f64(self.timeout),
            max_redirects: self.max_redirects,
            allow_private: self.allow_private_urls,
            ..FetchOptions::new(self.profile())
        }
    }
}

/// Content screening: which screens, their thresholds, and where the runtime and models are.
#[derive(Args, Debug, Clone)]
pub struct ScreenFlags {
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
    /// Content screens to run, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_parser = screens())]
    pub detectors: Vec<String>,
    /// Face score at or above which an image is predicted skipped (contains_faces).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().face.threshold)]
    pub face_threshold: f32,
    /// Person score (COCO person detector) at or above which an image is predicted skipped
    /// (contains_people).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().person.threshold)]
    pub person_threshold: f32,
    /// Pose-detector score at or above which an image is predicted skipped (contains_people;
    /// above 1: not run).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score_or_off, default_value_t = Settings::default().person.pose_threshold)]
    pub pose_threshold: f32,
    /// Palm-detector score at or above which an image is predicted skipped (contains_people;
    /// above 1: not run).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score_or_off, default_value_t = Settings::default().person.hand_threshold)]
    pub hand_threshold: f32,
    /// CAPTCHA score at or above which an image is predicted skipped (contains_captcha).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().captcha.threshold)]
    pub captcha_threshold: f32,
    /// Open-NSFW's P(nsfw) at or above which an image is predicted skipped
    /// (violates_usage_policy, sexual).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().policy.nsfw_threshold)]
    pub nsfw_threshold: f32,
    /// NSFWJS's P(porn) and P(hentai) at or above which an image is predicted skipped
    /// (violates_usage_policy, sexual or sexual_drawing).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().policy.nsfwjs_threshold)]
    pub nsfwjs_threshold: f32,
    /// NSFWJS's P(sexy) at or above which an image is predicted skipped
    /// (violates_usage_policy, suggestive).
    #[arg(long, value_name = "SCORE", allow_negative_numbers = true, value_parser = score, default_value_t = Settings::default().policy.sexy_threshold)]
    pub suggestive_threshold: f32,
}

impl ScreenFlags {
    pub fn options(&self) -> ScreenOptions {
        let mut settings = Settings::default();
        settings.face.threshold = self.face_threshold;
        settings.person.threshold = self.person_threshold;
        settings.person.pose_threshold = self.pose_threshold;
        settings.person.hand_threshold = self.hand_threshold;
        settings.captcha.threshold = self.captcha_threshold;
        settings.policy.nsfw_threshold = self.nsfw_threshold;
        settings.policy.nsfwjs_threshold = self.nsfwjs_threshold;
        settings.policy.sexy_threshold = self.suggestive_threshold;
        ScreenOptions {
            ort_lib: self.ort_lib.clone(),
            models_dir: self.models.clone(),
            explain: self.explain,
            only: self
                .detectors
                .iter()
                .map(|d| {
                    *Screen::ALL
                        .iter()
                        .find(|s| s.code() == d)
                        .expect("clap checked the value")
                })
                .collect(),
            settings,
        }
    }
}

/// Everything a scan is run with, for the commands that scan.
#[derive(Args, Debug, Clone)]
pub struct ScanFlags {
    #[command(flatten)]
    pub source: SourceFlags,
    #[command(flatten)]
    pub screen: ScreenFlags,
    /// Stop at the first invalid line or skipped example.
    #[arg(long)]
    pub fail_fast: bool,
    /// Lines per in-flight window (memory bound; results do not depend on it).
    #[arg(long, default_value_t = settings::WINDOW_LINES, hide = true, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1_000_000))]
    pub window_lines: usize,
    /// Keep the result cache in DIR (default: the prescreen cache directory, where ONNX
    /// Runtime is cached; PRESCREEN_CACHE_DIR sets it).
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Inspect and screen every image afresh; read and write no result cache.
    #[arg(long)]
    pub no_cache: bool,
}

impl ScanFlags {
    /// The result cache file these flags choose.
    pub fn cache_file(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        match &self.cache {
            Some(dir) => Some(prescreen::cache::file_in(dir)),
            None => prescreen::cache::default_file(),
        }
    }
}

impl ScanFlags {
    /// The validated options of a scan of `input`.
    pub fn options(&self, input: &Path) -> Result<ScanOptions> {
        let s = &self.source;
        let mut o = ScanOptions::new(input, ProviderName::Azure);
        o.profile = s.profile();
        o.jobs = s.jobs();
        o.fetch_jobs = s.fetch_jobs as usize;
        o.fetch = s.fetch();
        o.offline = s.offline;
        o.full_decode = !self.screen.no_detect;
        o.fail_fast = self.fail_fast;
        o.window_lines = self.window_lines;
        o.screen = self.screen.options();
        o.cache = self.cache_file();
        o.validate()?;
        Ok(o)
    }
}

/// Refuse a file argument that cannot be read, before any work.
pub fn readable(p: &Path) -> Result<()> {
    if !p.is_file() {
        bail!("{} is not a readable file", p.display());
    }
    Ok(())
}

/// Predictions from a report or a fresh scan, as the flags say.
pub fn predictions(
    input: &std::path::Path,
    from_report: Option<PathBuf>,
    scan: &ScanFlags,
) -> Result<Predictions> {
    Ok(match from_report {
        Some(r) => {
            readable(&r)?;
            Predictions::Report(r)
        }
        None => Predictions::Scan(Box::new(scan.options(input)?)),
    })
}
