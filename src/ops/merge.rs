//! `merge`: the partial reports of a sharded scan (`scan --shard K/N`) become the report one
//! whole scan of the input would have written — examples in input order, the summary
//! recomputed from them, and the file-level rules (the 10-example minimum, the 50,000 and
//! skipped-example limits, the 512 MB limit, invalid lines) decided over the whole file.
//!
//! Parts are read twice and never held in memory: once for their headers and summaries (to
//! check that they belong together before anything is written), once to stream their
//! examples in order.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::pipeline::decide::Tally;
use crate::provider::Profile;
use crate::report::{CacheUse, ExampleReport, ReportOptions, ShardPart, Summary};

/// What to merge.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// The partial reports, in any order: every part of one `scan --shard K/N` run, once.
    pub parts: Vec<PathBuf>,
}

/// A report's fields before `examples`, exactly as the scan wrote them (`schema_version`,
/// `tool`, `provider`, `profile`, `input`, `options`).
pub type Header = Vec<(String, Box<RawValue>)>;

/// The parts, checked to belong together and put in order; [`Merge::run`] streams them.
pub struct Merge {
    parts: Vec<(PathBuf, Part)>,
    header: Header,
    options: ReportOptions,
    input: InputField,
}

/// One part as its first reading saw it.
struct Part {
    header: Header,
    summary: Summary,
    shard: ShardPart,
    examples: u64,
}

#[derive(serde::Deserialize, PartialEq)]
struct InputField {
    path: PathBuf,
    bytes: u64,
}

impl Merge {
    /// Read every part's header and summary and check that together they are one whole
    /// scan: the same input (size and sha256), made with the same version, models,
    /// settings, screens, provider and fetch options, every part of 1..=N present once, and
    /// their byte ranges adjoining from the first byte to the last.
    pub fn open(opts: &MergeOptions) -> Result<Merge> {
        if opts.parts.is_empty() {
            bail!("no parts to merge");
        }
        let mut parts = Vec::with_capacity(opts.parts.len());
        for path in &opts.parts {
            let part = read_part(path, None)?;
            parts.push((path.clone(), part));
        }

        let (first_path, first) = (&parts[0].0, &parts[0].1);
        let count = first.shard.count;
        for (path, p) in &parts[1..] {
            if p.shard.count != count {
                bail!(
                    "{} is part {}/{} but {} is part {}/{}: parts of different splits",
                    path.display(),
                    p.shard.index,
                    p.shard.count,
                    first_path.display(),
                    first.shard.index,
                    count
                );
            }
        }
        let mut by_index: Vec<Vec<&Path>> = vec![Vec::new(); count as usize];
        for (path, p) in &parts {
            by_index[p.shard.index as usize - 1].push(path);
        }
        let repeated: Vec<String> = by_index
            .iter()
            .enumerate()
            .filter(|(_, paths)| paths.len() > 1)
            .map(|(k, paths)| {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                format!("part {}/{count} ({})", k + 1, names.join(", "))
            })
            .collect();
        if !repeated.is_empty() {
            bail!("given more than once: {}", repeated.join("; "));
        }
        let missing: Vec<String> = (1..=count)
            .filter(|k| by_index[*k as usize - 1].is_empty())
            .map(|k| format!("{k}/{count}"))
            .collect();
        if !missing.is_empty() {
            bail!(
                "part(s) {} missing: merge needs all {count} parts of the split",
                missing.join(", ")
            );
        }
        parts.sort_by_key(|(_, p)| p.shard.index);

        let (first_path, first) = (&parts[0].0, &parts[0].1);
        let input = input_field(first_path, &first.header)?;
        for (path, p) in &parts {
            let differs = |what: &str| -> Result<()> {
                bail!(
                    "{} and {} differ in {what}: parts merge only when made from the same input \
                     with the same prescreen, models and options",
                    first_path.display(),
                    path.display()
                )
            };
            if p.summary.input_sha256.is_none() {
                bail!("{} has no input sha256", path.display());
            }
            if p.summary.input_sha256 != first.summary.input_sha256
                || p.summary.input_bytes != input.bytes
                || input_field(path, &p.header)?.bytes != input.bytes
            {
                differs("the input they were made from (size or sha256)")?;
            }
            if p.shard.fingerprint != first.shard.fingerprint {
                differs("prescreen version, models, settings, screens, provider or fetch options")?;
            }
            for (key, value) in &p.header {
                // The same file may be mounted at different paths on different machines;
                // its size and sha256 say it is the same.
                if key == "input" {
                    continue;
                }
                let theirs = first.header.iter().find(|(k, _)| k == key);
                if theirs.map(|(_, v)| v.get()) != Some(value.get()) {
                    differs(&format!("the report's {key}"))?;
                }
            }
            if p.header.len() != first.header.len() {
                differs("the report's header fields")?;
            }
            if p.summary.not_screened != first.summary.not_screened {
                differs("what was not screened")?;
            }
        }
        let mut next_byte = 0;
        for (path, p) in &parts {
            let s = &p.shard;
            if s.start_byte != next_byte || s.end_byte < s.start_byte {
                bail!(
                    "{} covers bytes {}..{} of the input, but the part before it ended at byte {next_byte}",
                    path.display(),
                    s.start_byte,
                    s.end_byte
                );
            }
            next_byte = s.end_byte;
        }
        if next_byte != input.bytes {
            bail!(
                "the parts cover {next_byte} of the input's {} bytes",
                input.bytes
            );
        }

        let options = {
            let raw = field(&first.header, "options")
                .with_context(|| format!("{} has no options", first_path.display()))?;
            serde_json::from_str(raw.get())
                .with_context(|| format!("{}: unreadable options", first_path.display()))?
        };
        let header = first.header.clone();
        Ok(Merge {
            parts,
            header,
            options,
            input,
        })
    }

    /// The header the merged report starts with: the first part's.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// What the parts were made with.
    pub fn options(&self) -> &ReportOptions {
        &self.options
    }

    /// The input as the first part names it.
    pub fn input(&self) -> &Path {
        &self.input.path
    }

    /// Hand every example of every part to `sink`, in input order, and return the summary
    /// a whole scan would have ended with.
    pub fn run(self, sink: &mut dyn FnMut(&ExampleReport) -> Result<()>) -> Result<Summary> {
        let first = &self.parts[0].1;
        let provider = first
            .summary
            .provider
            .context("the parts name no provider")?;
        let profile = Profile::get(provider);
        let input_sha256 = first.summary.input_sha256.clone();
        let not_screened = first.summary.not_screened.clone();
        let cache = merged_cache(self.parts.iter().map(|(_, p)| &p.summary));

        let mut tally = Tally::default();
        let mut last_line = 0;
        for (path, part) in &self.parts {
            let mut seen = 0u64;
            let mut each = |r: ExampleReport| -> Result<()> {
                if r.line <= last_line || (seen == 0 && r.line != part.shard.first_line) {
                    bail!(
                        "example of line {} out of place (part {}/{} starts at line {}, the line before was {last_line})",
                        r.line,
                        part.shard.index,
                        part.shard.count,
                        part.shard.first_line
                    );
                }
                last_line = r.line;
                seen += 1;
                tally.add(&r);
                sink(&r)
            };
            read_part(path, Some(&mut each))?;
            if seen != part.examples || seen != part.summary.examples {
                bail!(
                    "{} changed while it was merged ({seen} examples read, {} before)",
                    path.display(),
                    part.examples
                );
            }
        }
        let mut summary = tally.finish(profile, self.input.bytes);
        summary.input_sha256 = input_sha256;
        summary.not_screened = not_screened;
        summary.cache = cache;
        Ok(summary)
    }
}

/// The merged report's cache use: every part's images from the cache, and the one file
/// they all used, or how many they used.
fn merged_cache<'a>(summaries: impl Iterator<Item = &'a Summary>) -> Option<CacheUse> {
    let used: Vec<&CacheUse> = summaries.filter_map(|s| s.cache.as_ref()).collect();
    let first = used.first()?;
    let same_file = used.iter().all(|c| c.file == first.file);
    Some(CacheUse {
        file: if same_file {
            first.file.clone()
        } else {
            format!("{} cache files (one per machine)", used.len())
        },
        images_from_cache: used.iter().map(|c| c.images_from_cache).sum(),
        error: used.iter().find_map(|c| c.error.clone()),
    })
}

fn field<'h>(header: &'h Header, key: &str) -> Option<&'h RawValue> {
    header
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_ref())
}

fn input_field(path: &Path, header: &Header) -> Result<InputField> {
    let raw = field(header, "input").with_context(|| format!("{} has no input", path.display()))?;
    serde_json::from_str(raw.get())
        .with_context(|| format!("{}: unreadable input field", path.display()))
}

type Each<'a> = &'a mut dyn FnMut(ExampleReport) -> Result<()>;

/// Read one part report: its header and summary; its examples are handed to `each`, or
/// skipped unparsed without one.
fn read_part(path: &Path, each: Option<Each<'_>>) -> Result<Part> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut failure = None;
    let seed = PartSeed {
        each,
        failure: &mut failure,
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file));
    let read = seed.deserialize(&mut de).and_then(|r| de.end().map(|_| r));
    if let Some(e) = failure {
        return Err(e.context(format!("merging {}", path.display())));
    }
    let (header, summary, examples) =
        read.with_context(|| format!("{} is not a prescreen scan report", path.display()))?;
    let summary =
        summary.with_context(|| format!("{} has no summary: is it complete?", path.display()))?;
    let shard = summary.shard.clone().with_context(|| {
        format!(
            "{} is the report of a whole scan, not of a part (`scan --shard K/N`)",
            path.display()
        )
    })?;
    if shard.index == 0 || shard.index > shard.count {
        bail!(
            "{} names part {}/{}, which cannot be",
            path.display(),
            shard.index,
            shard.count
        );
    }
    if summary.stopped_at_line.is_some() {
        bail!("{} is of a scan that stopped early", path.display());
    }
    Ok(Part {
        header,
        summary,
        shard,
        examples,
    })
}

struct PartSeed<'a, 'b> {
    each: Option<Each<'b>>,
    failure: &'a mut Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for PartSeed<'_, '_> {
    type Value = (Header, Option<Summary>, u64);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PartSeed<'_, '_> {
    type Value = (Header, Option<Summary>, u64);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a prescreen scan report")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut header = Vec::new();
        let mut summary = None;
        let mut examples = 0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "examples" => {
                    examples = map.next_value_seed(Examples {
                        each: self.each.as_deref_mut(),
                        failure: self.failure,
                    })?
                }
                "summary" => summary = Some(map.next_value::<Summary>()?),
                _ => header.push((key, map.next_value::<Box<RawValue>>()?)),
            }
        }
        Ok((header, summary, examples))
    }
}

struct Examples<'a, 'b> {
    each: Option<&'a mut (dyn FnMut(ExampleReport) -> Result<()> + 'b)>,
    failure: &'a mut Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for Examples<'_, '_> {
    type Value = u64;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Examples<'_, '_> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of examples")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut n = 0;
        match self.each {
            None => {
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
            }
            Some(each) => {
                while let Some(r) = seq.next_element::<ExampleReport>()? {
                    n += 1;
                    if let Err(e) = each(r) {
                        // The sink's error is the one to report, not the parser's.
                        *self.failure = Some(e);
                        return Err(de::Error::custom("stopped"));
                    }
                }
            }
        }
        Ok(n)
    }
}
