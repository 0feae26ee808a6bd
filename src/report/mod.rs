//! Report stage: the data model of a scan — per-image and per-example predictions and the
//! run summary — and its forms: [`json`] (streamed), [`terminal`], [`progress`], [`html`].
//! The JSON form is the contract documented in `docs/report-schema.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change.

pub mod html;
pub mod json;
pub mod progress;
pub mod terminal;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::codes::{Detail, ExampleStatus, ImageStatus, Policy};
use crate::codes::{ErrorCode, FileErrorCode, Finding, Reason, Warning, WarningCode};
use crate::provider::ProviderName;
use crate::settings::Thresholds;

pub const SCHEMA_VERSION: &str = "1.0";

/// Where an image's bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Data,
    Url,
    Path,
}

/// A structural problem that makes the provider reject the line (or the file).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StructureError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_index: Option<usize>,
}

/// An axis-aligned box in the image's pixel coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetBox {
    pub label: String,
    pub score: f32,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageReport {
    /// 0-based position among the example's images.
    pub index: usize,
    pub message_index: usize,
    pub block_index: usize,
    pub source: SourceKind,
    /// The URL or path (data URIs are not repeated here).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    pub status: ImageStatus,
    /// False when the image could not be checked (e.g. `--offline`): `ok` then means "not known to be skipped".
    pub checked: bool,
    pub reasons: Vec<Reason>,
    /// The finer detail behind each reason.
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bytes: Option<u64>,
    pub detail: Detail,
    /// Estimated image tokens (tile rule); absent when the size is unknown.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tokens: Option<u64>,
    pub scores: BTreeMap<String, f32>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub boxes: Vec<DetBox>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// What becomes of the image once `fix` repairs it: present when every problem it has is
    /// one `fix` repairs (a refused format or colour mode, over 10 MB) and the pixels `fix`
    /// would write were screened. Absent for images `fix` cannot repair (corrupt, unreachable).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after_fix: Option<AfterFix>,
    /// A small copy of the pixels for the HTML report (never in the JSON report).
    #[serde(skip)]
    pub preview: Option<image::RgbImage>,
}

impl ImageReport {
    /// The status the image will have once `fix` has run.
    pub fn status_after_fix(&self) -> ImageStatus {
        self.after_fix.as_ref().map_or(self.status, |a| a.status)
    }
}

/// The prediction for an image `fix` repairs: its content screened on the repaired pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AfterFix {
    pub status: ImageStatus,
    /// What the content screens found (empty: the repaired image is expected to train).
    pub reasons: Vec<Reason>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub text: u64,
    pub images: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleReport {
    /// 1-based line number in the input.
    pub line: u64,
    /// Under the example-level policy: `skipped` as soon as one image is skipped.
    pub status: ExampleStatus,
    /// Image reasons of skipped images plus example-level reasons, each once.
    pub reasons: Vec<Reason>,
    pub errors: Vec<StructureError>,
    pub warnings: Vec<Warning>,
    pub images: Vec<ImageReport>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tokens: Option<Tokens>,
}

impl ExampleReport {
    pub fn skipped_images(&self) -> usize {
        self.images
            .iter()
            .filter(|i| i.status == ImageStatus::Skipped)
            .count()
    }

    /// Reasons that drop the example under either policy (not just its images).
    pub fn example_level_reasons(&self) -> impl Iterator<Item = Reason> + '_ {
        self.reasons
            .iter()
            .copied()
            .filter(|r| r.is_example_level())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyCounts {
    /// A skipped image is dropped; its example still trains.
    pub image_level: u64,
    /// An example with any skipped image is dropped whole.
    pub example_level: u64,
}

/// The format skips `fix` would repair ([`AfterFix`]): how many, how many would then train,
/// and why the others would still be skipped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RepairableImages {
    pub images: u64,
    /// Expected to train once repaired.
    pub saved: u64,
    /// Still skipped once repaired, by the content screens' reasons (an image with several
    /// reasons counts under each).
    pub still_skipped_by_reason: BTreeMap<Reason, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyVerdicts {
    pub image_level: bool,
    pub example_level: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileError {
    pub code: FileErrorCode,
    pub message: String,
}

/// One line among the worst offenders shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offender {
    pub line: u64,
    pub status: ExampleStatus,
    pub skipped_images: usize,
    pub what: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub provider: Option<ProviderName>,
    /// Every line of the file counts as an example, valid or not.
    pub examples: u64,
    pub invalid_examples: u64,
    pub examples_with_images: u64,
    pub skipped_examples: u64,
    pub images: u64,
    pub skipped_images: u64,
    /// Images that could not be checked (offline, or not fetched).
    pub unchecked_images: u64,
    pub images_by_reason: BTreeMap<Reason, u64>,
    /// Skipped examples by reason (an example with several reasons counts under each).
    pub examples_by_reason: BTreeMap<Reason, u64>,
    pub errors_by_code: BTreeMap<ErrorCode, u64>,
    pub warnings_by_code: BTreeMap<WarningCode, u64>,
    pub expected_trained_examples: PolicyCounts,
    /// The same once `fix` has repaired every image it can (absent in older reports).
    #[serde(default)]
    pub expected_trained_examples_after_fix: PolicyCounts,
    /// Images skipped only for problems `fix` repairs, and what becomes of them.
    #[serde(default)]
    pub repairable_images: RepairableImages,
    pub minimum_examples: u64,
    pub meets_minimum: PolicyVerdicts,
    pub tokens: Tokens,
    pub examples_over_token_limit: u64,
    pub file_errors: Vec<FileError>,
    /// File-level risks that do not fail the upload by themselves (absent in older reports).
    #[serde(default)]
    pub file_warnings: Vec<FileError>,
    /// The provider will accept the file and train at least the minimum (example-level policy).
    pub passes: bool,
    pub verdict: String,
    pub worst_offenders: Vec<Offender>,
    pub input_bytes: u64,
    /// sha256 of the input as read (absent when the scan stopped early).
    pub input_sha256: Option<String>,
    /// Set when the scan stopped early (`--fail-fast`).
    pub stopped_at_line: Option<u64>,
    /// What the provider excludes that this scan did not look for: usage-policy categories
    /// no shipped model screens, and those of any screen left out (absent in older reports).
    #[serde(default)]
    pub not_screened: Vec<String>,
    /// The result cache this scan used, if any (absent with `--no-cache` and in older
    /// reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheUse>,
    /// Set in the report of one part of a sharded scan (`scan --shard K/N`): its counts are
    /// its own lines', and the file-level rules wait for `prescreen merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardPart>,
}

/// Which part of the input a partial report covers, and what it was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardPart {
    /// K of `--shard K/N` (1-based).
    pub index: u32,
    /// N of `--shard K/N`.
    pub count: u32,
    /// The part's bytes in the input: `[start_byte, end_byte)`.
    pub start_byte: u64,
    pub end_byte: u64,
    /// The input's line number of the part's first line.
    pub first_line: u64,
    /// sha256 of everything that can change a prediction (version, models, settings,
    /// screens, profile, fetch options): parts merge only when theirs are equal.
    pub fingerprint: String,
}

/// What the result cache gave a scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheUse {
    pub file: String,
    /// Images whose inspection and screening were read from the cache, not redone.
    pub images_from_cache: u64,
    /// Why the cache could not be used (not a prescreen cache, damaged): the scan ran
    /// without it and left the file as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a report says it was made with (`options` in the JSON). Reports from before a field
/// existed read it as absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportOptions {
    pub offline: bool,
    pub full_decode: bool,
    pub allow_private_urls: bool,
    pub detectors: Vec<crate::codes::Screen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<bool>,
    /// The skip threshold of every score, by signal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

/// A `scan --json` report read back (by `filter --from-report` and `audit --from-report`).
#[derive(Debug, Deserialize)]
pub struct ReportFile {
    #[serde(default)]
    pub options: ReportOptions,
    pub examples: Vec<ExampleReport>,
    pub summary: Summary,
}

impl ReportFile {
    pub fn read(path: &std::path::Path) -> anyhow::Result<ReportFile> {
        use anyhow::Context;
        let f =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        serde_json::from_reader(std::io::BufReader::new(f))
            .with_context(|| format!("{} is not a prescreen scan report", path.display()))
    }
}
