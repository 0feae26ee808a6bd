//! The commands on top of the pipeline: each takes its options and returns its summary;
//! none of them prints or knows about the command line.

pub mod audit;
pub mod filter;
pub mod fix;
pub mod merge;
pub mod provider_summary;

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

/// What a reused report must have been made with to be trusted as a prediction of what
/// survives: a full, default scan under this provider's rules.
#[derive(Debug, Clone, Copy)]
pub struct ReportCheck {
    pub provider: ProviderName,
    /// Use a report made with other options anyway (`--accept-report-options`).
    pub accept_other_options: bool,
}

impl ReportCheck {
    /// Every way `rep` was made differently from a default scan for `self.provider`.
    pub fn differences(&self, rep: &ReportFile) -> Vec<String> {
        let o = &rep.options;
        let mut d = Vec::new();
        if let Some(p) = rep.summary.provider.filter(|p| *p != self.provider) {
            d.push(format!(
                "it was made for {}, not {}",
                p.code(),
                self.provider.code()
            ));
        }
        if !o.full_decode {
            d.push("it was made with --no-detect: no image was decoded or screened".into());
        }
        if o.offline {
            d.push("it was made with --offline: no URL was fetched".into());
        }
        if o.allow_private_urls {
            d.push(
                "it was made with --allow-private-urls: images the provider cannot reach were fetched"
                    .into(),
            );
        }
        let missing: Vec<&str> = crate::codes::Screen::ALL
            .iter()
            .filter(|s| !o.detectors.contains(s))
            .map(|s| s.code())
            .collect();
        if o.full_decode && !missing.is_empty() {
            d.push(format!(
                "it was made without the {} screen(s)",
                missing.join(", ")
            ));
        }
        if let Some(t) = &o.thresholds {
            for (name, default) in crate::settings::Settings::default().thresholds().0 {
                if let Some(v) = t.get(&name).filter(|v| *v != default) {
                    d.push(format!(
                        "its {name} threshold is {v} (the default is {default})"
                    ));
                }
            }
        }
        d
    }
}

impl Predictions {
    /// Hand every line of `input` with its prediction to `each`, in order. A reused report
    /// is refused when it describes another version of `input`, or when `check` says it was
    /// made with other options.
    pub fn for_each(
        &self,
        input: &Path,
        check: Option<ReportCheck>,
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
                if let Some(part) = &rep.summary.shard {
                    bail!(
                        "{} is the report of part {}/{} of a sharded scan: merge all {} parts \
                         first (prescreen merge)",
                        path.display(),
                        part.index,
                        part.count,
                        part.count
                    );
                }
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
                if let Some(c) = check.filter(|c| !c.accept_other_options) {
                    let d = c.differences(&rep);
                    if !d.is_empty() {
                        bail!(
                            "{} does not predict what survives a real upload: {}. Scan again \
                             without those options, or pass --accept-report-options to use it anyway",
                            path.display(),
                            d.join("; ")
                        );
                    }
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
