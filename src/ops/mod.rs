//! The commands on top of the pipeline: each takes its options and returns its summary;
//! none of them prints or knows about the command line.

pub mod audit;
pub mod filter;
pub mod fix;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::options::ScanOptions;
use crate::pipeline::read::{Line, LineReader};
use crate::provider::{Profile, ProviderName};
use crate::report::{ExampleReport, ReportFile};
use crate::screen::Screens;
use crate::settings::Thresholds;

/// Where an operation gets its predictions from.
#[derive(Debug, Clone)]
pub enum Predictions {
    /// Scan the input now with these options (their `input` is the operation's input).
    Scan(Box<ScanOptions>),
    /// Reuse a `scan --json` report of this same input (refused if the input changed since).
    Report(PathBuf),
}

/// What the predictions were made with, as the operations need it.
pub struct Made {
    pub profile: &'static Profile,
    pub thresholds: Thresholds,
}

impl Predictions {
    /// Hand every line of `input` with its prediction to `each`, in order.
    pub fn for_each(
        &self,
        input: &Path,
        mut each: impl FnMut(&Line, &ExampleReport) -> Result<()>,
    ) -> Result<Made> {
        match self {
            Predictions::Scan(opts) => {
                let mut opts = (**opts).clone();
                opts.input = input.to_path_buf();
                opts.validate()?;
                let screens = Screens::for_scan(&opts)?;
                crate::pipeline::scan(&opts, &screens, &mut |l: &Line, r: &ExampleReport| {
                    each(l, r)
                })?;
                Ok(Made {
                    profile: opts.profile,
                    thresholds: opts.screen.settings.thresholds(),
                })
            }
            Predictions::Report(path) => {
                let rep = ReportFile::read(path)?;
                let (bytes, sha) = file_sha256(input)?;
                if rep.summary.input_bytes != bytes
                    || rep.summary.input_sha256.as_deref() != Some(sha.as_str())
                {
                    bail!(
                        "{} was made from a different version of {} (size or sha256 differ): scan again",
                        path.display(),
                        input.display()
                    );
                }
                let mut lines = LineReader::new(BufReader::new(File::open(input)?));
                let mut reports = rep.examples.iter();
                while let Some(line) = lines.next_line()? {
                    let r = reports
                        .next()
                        .context("the report has fewer examples than the input has lines")?;
                    each(&line, r)?;
                }
                Ok(Made {
                    profile: Profile::get(rep.summary.provider.unwrap_or(ProviderName::Azure)),
                    // Reports from before thresholds were recorded were made with the defaults.
                    thresholds: rep
                        .options
                        .thresholds
                        .unwrap_or_else(|| crate::settings::Settings::default().thresholds()),
                })
            }
        }
    }

    /// The file a report-based run reads besides the input (never to be written over).
    pub fn report(&self) -> Option<&Path> {
        match self {
            Predictions::Report(p) => Some(p),
            Predictions::Scan(_) => None,
        }
    }
}

fn file_sha256(p: &Path) -> Result<(u64, String)> {
    use sha2::Digest;
    let mut f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
    let mut h = sha2::Sha256::new();
    let n = std::io::copy(&mut f, &mut h)?;
    Ok((n, crate::text::hex(&h.finalize())))
}
