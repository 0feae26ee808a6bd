//! Outputs that never lose data: a file appears at its path only when complete, and never
//! over an input or another output.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// A file that appears at its path only when complete: written to a temporary file in the same
/// folder and renamed over the destination on [`AtomicFile::commit`]. Dropped uncommitted, it
/// leaves nothing behind.
pub struct AtomicFile {
    tmp: BufWriter<tempfile::NamedTempFile>,
    dest: PathBuf,
}

impl AtomicFile {
    /// `inputs` are files this output must never replace.
    pub fn create(dest: &Path, inputs: &[&Path]) -> Result<AtomicFile> {
        refuse_overwrite(dest, inputs)?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".prescreen-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        Ok(AtomicFile {
            tmp: BufWriter::with_capacity(1 << 16, tmp),
            dest: dest.to_path_buf(),
        })
    }

    pub fn commit(self) -> Result<()> {
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {} failed", self.dest.display()))?;
        // Temporary files are private (0600); the result is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.dest).with_context(|| {
            format!(
                "cannot move the output into place at {}",
                self.dest.display()
            )
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Check a command's outputs before it starts: none is (or links to) an input, no two name the
/// same file, and none exists already unless `force`. Every command calls this first.
pub fn check_outputs(outputs: &[&Path], inputs: &[&Path], force: bool) -> Result<()> {
    for (k, out) in outputs.iter().enumerate() {
        refuse_overwrite(out, inputs)?;
        for other in &outputs[..k] {
            if canonical(out).is_some() && canonical(out) == canonical(other) {
                bail!(
                    "{} and {} name the same file: give each output its own path",
                    other.display(),
                    out.display()
                );
            }
        }
        if out.exists() && !force {
            bail!(
                "{} already exists (use --force to replace it)",
                out.display()
            );
        }
    }
    Ok(())
}

/// The path as the file system resolves it; for a file not yet there, its folder resolved.
fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Some(c);
    }
    let parent = match p.parent() {
        Some(x) if !x.as_os_str().is_empty() => x,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(p.file_name()?))
}

/// Refuse a destination that is (or links to) one of the inputs.
pub fn refuse_overwrite(dest: &Path, inputs: &[&Path]) -> Result<()> {
    let d = canonical(dest);
    for i in inputs {
        if d.is_some() && d == canonical(i) {
            bail!(
                "refusing to write {} over the input {}",
                dest.display(),
                i.display()
            );
        }
    }
    Ok(())
}
