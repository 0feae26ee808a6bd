//! prescreen: predict which images and examples of a vision fine-tuning dataset the provider
//! will reject or silently skip, before upload — and write a dataset that survives.
//!
//! The library is the product; the `prescreen` binary only parses flags into these options.
//! Each operation takes its options and returns its summary:
//!
//! - [`scan`] ([`ScanOptions`], a loaded [`Screens`], a [`Sink`] for each example's report) →
//!   [`Summary`];
//! - [`filter()`] ([`FilterOptions`]) → [`FilterSummary`];
//! - [`fix()`] ([`FixOptions`]) → [`FixSummary`];
//! - [`audit()`] ([`AuditOptions`]) → [`Audit`];
//! - [`Merge`] ([`MergeOptions`]): the parts of a sharded scan (`ScanOptions::shard`) → the
//!   whole scan's examples and [`Summary`].
//!
//! A scan in a few lines (content screening off here; [`Screens::load`] loads the models):
//!
//! ```
//! use prescreen::{scan, ProviderName, ScanOptions, Screens};
//!
//! let input = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/train.jsonl");
//! let mut opts = ScanOptions::new(input, ProviderName::Azure);
//! opts.full_decode = false; // headers only: no models needed
//! let mut skipped = Vec::new();
//! let summary = scan(&opts, &Screens::none(), &mut |_: &_, r: &prescreen::ExampleReport| {
//!     if r.status != prescreen::ExampleStatus::Ok {
//!         skipped.push(r.line);
//!     }
//!     Ok(())
//! })?;
//! assert_eq!(summary.examples, 23);
//! assert!(skipped.contains(&11)); // a grayscale image: Pillow mode L
//! println!("{}", summary.verdict);
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! The stages, one module each, dependencies pointing down this list
//! (`docs/architecture.md`):
//! [`ops`] (filter, fix, audit) → [`pipeline`] (read → parse → resolve/fetch → inspect →
//! screen → decide, with tokens) → [`screen`] (the content screens and their cascade) →
//! [`report`] (the data model and its JSON, terminal and HTML forms) → [`options`],
//! [`settings`], [`provider`], [`codes`].

pub mod atomic;
pub mod cache;
pub mod codes;
pub mod ops;
pub mod options;
pub mod pipeline;
pub mod provider;
pub mod report;
pub mod screen;
pub mod settings;
pub mod text;

pub use codes::{
    Detail, ErrorCode, ExampleStatus, FixAction, ImageStatus, Policy, Reason, Screen, WarningCode,
};
pub use ops::audit::{audit, Audit, AuditOptions};
pub use ops::filter::{filter, FilterOptions, FilterSummary};
pub use ops::fix::{fix, FixOptions, FixSummary};
pub use ops::merge::{Merge, MergeOptions};
pub use ops::Predictions;
pub use options::{FetchOptions, ScanOptions, ScreenOptions, Shard, Thumbnails};
pub use pipeline::{scan, Sink};
pub use provider::{Profile, ProviderName};
pub use report::{ExampleReport, ImageReport, Summary};
pub use screen::Screens;
pub use settings::{Settings, Thresholds};
