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
    /// Scan only this part of the input (`--shard K/N`); `None`: the whole file.
    pub shard: Option<Shard>,
}

/// The `index`-th of `count` parts of the input (1-based, like `--shard 2/8`): byte ranges of
/// near-equal size, each starting at a line start, so N machines each scan only their part
/// and `prescreen merge` puts the parts together ([`crate::pipeline::read::shard_range`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not a shard: write K/N with 1 <= K <= N, like 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            k.trim().parse::<u32>().map_err(|_| bad())?,
            n.trim().parse::<u32>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
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
            shard: None,
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
        if let Some(s) = self.shard {
            if s.index == 0 || s.index > s.count {
                bail!("shard {s}: K must be between 1 and N");
            }
            if self.fail_fast {
                // A part cannot know whether an earlier part stopped, so no part may stop.
                bail!("--fail-fast cannot be combined with --shard");
            }
        }
        if let Err(e) = self.screen.settings.validate() {
            bail!("{e}");
        }
        Ok(())
    }
}
