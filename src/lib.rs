//! prescreen: predict which images and examples of a vision fine-tuning dataset the provider
//! will reject or silently skip, before upload.
//!
//! The pipeline, one module per stage:
//! [`read`] → [`example`] (structure) → [`resolve`] ([`fetch`]) → [`inspect`] → [`detect`] →
//! [`decide`] → [`output`]; [`scan`] runs it over a bounded window on a rayon pool.

pub mod audit;
pub mod cli;
pub mod config;
pub mod decide;
pub mod detect;
pub mod example;
pub mod fetch;
pub mod filter;
pub mod fix;
pub mod html;
pub mod inspect;
pub mod models;
pub mod output;
pub mod provider;
pub mod read;
pub mod reason;
pub mod report;
pub mod resolve;
pub mod runtime;
pub mod scan;
pub mod tokens;

pub use config::ScanConfig;
pub use scan::{scan, Sink};
