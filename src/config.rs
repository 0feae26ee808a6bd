//! A scan's settings, validated once; every stage reads from here.

use std::path::PathBuf;
use std::time::Duration;

use crate::fetch::FetchOptions;
use crate::provider::Profile;

#[derive(Debug, Clone)]
pub struct ScanConfig {
    pub input: PathBuf,
    pub profile: &'static Profile,
    /// Worker threads for parsing, inspection and detection.
    pub jobs: usize,
    /// Concurrent HTTP fetches.
    pub fetch_jobs: usize,
    pub fetch: FetchOptions,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thumbnails {
    None,
    /// Skipped or warned images only.
    Flagged,
    All,
}

impl ScanConfig {
    pub fn new(input: PathBuf, profile: &'static Profile) -> ScanConfig {
        ScanConfig {
            input,
            profile,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            fetch_jobs: 16,
            fetch: FetchOptions {
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(30),
                max_redirects: 5,
                allow_private: false,
                max_bytes: profile.max_image_bytes,
            },
            offline: false,
            full_decode: true,
            fail_fast: false,
            window_lines: 1024,
            window_bytes: 32 << 20,
            thumbnails: Thumbnails::None,
        }
    }
}
