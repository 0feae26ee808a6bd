//! Labels files (`labels.csv`: file, label, has_face, has_person, and optionally uncertain,
//! family, split) and one thread's CPU clock: what the evaluation examples share.

// Each example includes this file as its own module and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::csv::split_csv;

/// One labelled image of a `labels.csv`.
pub struct Row {
    /// Relative to the labels file's folder.
    pub file: String,
    pub label: String,
    pub has_face: bool,
    pub has_person: bool,
    /// The labeller was not sure (absent column: never).
    pub uncertain: bool,
    /// Source family (absent column: empty).
    pub family: String,
    /// `train`, `validation` or `test` (absent column: `all`).
    pub split: String,
}

/// Every row of a labels file, by its header's column names.
pub fn read_labels(path: &Path) -> Result<Vec<Row>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines();
    let head = split_csv(lines.next().unwrap_or_default());
    let col = |name: &str| head.iter().position(|h| h == name);
    let need =
        |name: &str| col(name).with_context(|| format!("{}: no `{name}` column", path.display()));
    let (file, label, face, person) = (
        need("file")?,
        need("label")?,
        need("has_face")?,
        need("has_person")?,
    );
    let (uncertain, family, split) = (col("uncertain"), col("family"), col("split"));
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(split_csv)
        .map(|f| Row {
            file: f[file].clone(),
            label: f[label].clone(),
            has_face: f[face] == "1",
            has_person: f[person] == "1",
            uncertain: uncertain.is_some_and(|c| f[c] == "1"),
            family: family.map_or_else(String::new, |c| f[c].clone()),
            split: split.map_or_else(|| "all".into(), |c| f[c].clone()),
        })
        .collect())
}

/// The images of a labels file with neither a face nor a person, resolved from its folder.
pub fn clean(labels: &Path) -> Result<Vec<PathBuf>> {
    let dir = labels.parent().unwrap_or(Path::new("."));
    Ok(read_labels(labels)?
        .into_iter()
        .filter(|r| !r.has_face && !r.has_person)
        .map(|r| dir.join(r.file))
        .collect())
}

/// This thread's CPU time in seconds: what one image costs, whatever else the host runs.
pub fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}
