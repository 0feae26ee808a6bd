//! The clean images of a labels file, and one thread's CPU clock: what the cost
//! measurements of several examples share.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::csv::split_csv;

/// The images of a labels file with neither a face nor a person, resolved from its folder.
pub fn clean(labels: &Path) -> Result<Vec<PathBuf>> {
    let text = std::fs::read_to_string(labels)
        .with_context(|| format!("cannot read {}", labels.display()))?;
    let mut lines = text.lines();
    let head = split_csv(lines.next().unwrap_or_default());
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no `{name}` column", labels.display()))
    };
    let (file, face, person) = (col("file")?, col("has_face")?, col("has_person")?);
    let dir = labels.parent().unwrap_or(Path::new("."));
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(split_csv)
        .filter(|f| f[face] == "0" && f[person] == "0")
        .map(|f| dir.join(&f[file]))
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
