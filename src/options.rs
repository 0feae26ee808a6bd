//! A scan's options, validated once before any work starts; every stage reads from here and
//! none of them knows about the command line.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::codes::Screen;
use crate::provider::{Profile, ProviderName};
use crate::settings::{self, Settings};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub input: PathBuf,
    pub profile: &'static Profile,
    /// Worker threads for parsing, inspection and screening. Results do not depend on it.
    pub jobs: usize,
    /// Concurrent HTTP fetches.
    pub fetch_jobs: usize,
    pub fetch: FetchOptions,
    /// Do not fetch http(s) images; they are reported as not checked.
    pub offline: bool,
    /// Decode every image fully (catches corrupt bodies; needed for content screening).
    pub full_decode: bool,
    /// Stop at the first invalid line or skipped example.
    pub fail_fast: bool,
    /// In-flight window: at most this many lines …
    pub window_lines: usize,
    /// … or this many bytes of lines (a single longer line still goes alone).
    pub window_bytes: usize,
    /// Which images get a thumbnail for the HTML report.
    pub thumbnails: Thumbnails,
    pub screen: ScreenOptions,
    /// The result cache file ([`crate::cache`]); `None`: every image is inspected and
    /// screened afresh.
    pub cache: Option<PathBuf>,
}

/// How http(s) images are fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Fetch URLs on loopback/private addresses (the provider cannot; for local testing).
    pub allow_private: bool,
    pub max_bytes: u64,
}

/// What it takes to build the content screens.
#[derive(Debug, Clone, Default)]
pub struct ScreenOptions {
    /// ONNX Runtime library to load (default: searched, see `screen::runtime`).
    pub ort_lib: Option<PathBuf>,
    /// Load the models from this folder instead of the copies built into prescreen.
    pub models_dir: Option<PathBuf>,
    /// Run every screen on every image even once it is already skipped.
    pub explain: bool,
    /// Which screens to run; empty means all.
    pub only: Vec<Screen>,
    pub settings: Settings,
}

impl ScreenOptions {
    pub fn wants(&self, s: Screen) -> bool {
        self.only.is_empty() || self.only.contains(&s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thumbnails {
    None,
    /// Skipped or warned images only.
    Flagged,
    All,
}

impl FetchOptions {
    pub fn new(profile: &Profile) -> FetchOptions {
        FetchOptions {
            connect_timeout: Duration::from_secs_f64(settings::CONNECT_TIMEOUT_SECS),
            timeout: Duration::from_secs_f64(settings::TIMEOUT_SECS),
            max_redirects: settings::MAX_REDIRECTS,
            allow_private: false,
            max_bytes: profile.max_image_bytes,
        }
    }
}

impl ScanOptions {
    /// Every default, for `input` under `provider`'s rules.
    pub fn new(input: impl Into<PathBuf>, provider: ProviderName) -> ScanOptions {
        let profile = Profile::get(provider);
        ScanOptions {
            input: input.into(),
            profile,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            fetch_jobs: settings::FETCH_JOBS,
            fetch: FetchOptions::new(profile),
            offline: false,
            full_decode: true,
            fail_fast: false,
            window_lines: settings::WINDOW_LINES,
            window_bytes: settings::WINDOW_BYTES,
            thumbnails: Thumbnails::None,
            screen: ScreenOptions::default(),
            cache: None,
        }
    }

    /// Refuse options no scan can run with; called before any work starts.
    pub fn validate(&self) -> Result<()> {
        if !self.input.is_file() {
            bail!("{} is not a readable file", self.input.display());
        }
        for (n, name) in [
            (self.jobs, "jobs"),
            (self.fetch_jobs, "fetch jobs"),
            (self.window_lines, "window lines"),
            (self.window_bytes, "window bytes"),
        ] {
            if n == 0 {
                bail!("{name} must be at least 1");
            }
        }
        for (d, name) in [
            (self.fetch.connect_timeout, "connect timeout"),
            (self.fetch.timeout, "timeout"),
        ] {
            if d.is_zero() {
                bail!("the {name} must be a positive number of seconds");
            }
        }
        if let Err(e) = self.screen.settings.validate() {
            bail!("{e}");
        }
        Ok(())
    }
}
