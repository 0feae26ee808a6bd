//! Outputs that never lose data: a file appears at its path only when complete, and never
//! over an input or another output.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

/// A file that appears at its path only when complete: written to a temporary file in the same
/// folder and renamed over the destination on [`AtomicFile::commit`]. Dropped uncommitted, it
/// leaves nothing behind.
pub struct AtomicFile {
    /// Always `Some` until [`AtomicFile::commit`] takes it.
    tmp: Option<BufWriter<tempfile::NamedTempFile>>,
    dest: PathBuf,
    /// The temporary file's path, as registered for [`remove_temporaries`].
    tmp_path: PathBuf,
}

/// Temporary files of this process not yet committed or dropped.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Remove every temporary file this process has open: what an interrupted run (SIGINT,
/// SIGTERM) calls before it exits, as no destructor runs then. A SIGKILL cannot be caught:
/// the next run in the same folder removes what it left ([`remove_stale`]).
pub fn remove_temporaries() {
    for p in lock().drain(..) {
        let _ = fs::remove_file(p);
    }
}

/// Temporary files are named `.prescreen-<pid>-<random>.tmp`.
const PREFIX: &str = ".prescreen-";

/// Remove temporaries in `dir` left by prescreen processes that no longer run.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix(PREFIX)
            .and_then(|r| r.split_once('-'))
            .and_then(|(pid, rest)| rest.ends_with(".tmp").then_some(pid))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(e.path());
        }
    }
}

impl AtomicFile {
    /// `inputs` are files this output must never replace.
    pub fn create(dest: &Path, inputs: &[&Path]) -> Result<AtomicFile> {
        refuse_overwrite(dest, inputs)?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        remove_stale(&dir);
        let prefix = format!("{PREFIX}{}-", std::process::id());
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        let tmp_path = tmp.path().to_path_buf();
        lock().push(tmp_path.clone());
        Ok(AtomicFile {
            tmp: Some(BufWriter::with_capacity(1 << 16, tmp)),
            dest: dest.to_path_buf(),
            tmp_path,
        })
    }

    pub fn commit(mut self) -> Result<()> {
        let tmp = self
            .tmp
            .take()
            .expect("an AtomicFile is committed once")
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

impl AtomicFile {
    fn writer(&mut self) -> &mut BufWriter<tempfile::NamedTempFile> {
        self.tmp.as_mut().expect("written only before commit")
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        lock().retain(|p| p != &self.tmp_path);
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
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
