//! The result cache: what inspection and the content screens made of an image's bytes, kept
//! in an embedded SQLite file so a re-scan of unchanged images costs a hash and a lookup.
//!
//! The key is sha256 of a fingerprint of everything that can change a verdict (prescreen's
//! version, every model's hash, every setting, the passes, the provider profile) and of the
//! image's bytes — never its URL, so a changed image behind the same URL is screened again.
//! Values hold no pixels. SQLite's write-ahead log lets several scans share the file at
//! once; a file that is not a prescreen cache, or is damaged, is reported and left alone.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codes::{Finding, Warning};
use crate::pipeline::inspect::{Header, Inspection};
use crate::provider::Format;
use crate::screen::Detection;

/// Written into the file's `meta` table; a file with any other value is not ours.
const APPLICATION: &str = "prescreen result cache";
/// Bump when [`Entry`]'s shape changes: older entries are then never read.
const FORMAT: &str = "1";

/// The cache file under a cache directory.
pub fn file_in(dir: &Path) -> PathBuf {
    dir.join("results.sqlite")
}

/// The default place: `$PRESCREEN_RESULT_CACHE` (a directory, or `off` for none), else
/// `results.sqlite` in the cache directory ONNX Runtime is cached in.
pub fn default_file() -> Option<PathBuf> {
    match std::env::var_os("PRESCREEN_RESULT_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) => Some(file_in(Path::new(&v))),
        None => crate::screen::runtime::cache_dir().map(|d| file_in(&d)),
    }
}

pub struct ResultCache {
    path: PathBuf,
    conn: Mutex<Connection>,
}

/// What a cache file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    pub entries: u64,
    pub bytes: u64,
}

/// One image's cached result.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub format: Option<Format>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub mode: Option<String>,
    pub problem: Option<String>,
    pub animated: bool,
    pub orientation: Option<u16>,
    pub bytes: u64,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    pub corrupt: bool,
    pub repaired: bool,
    /// The screens' result, boxes in the image's own pixels; absent when not screened.
    pub detection: Option<Detection>,
}

impl Entry {
    pub fn new(insp: &Inspection, detection: Option<&Detection>) -> Entry {
        let h = &insp.header;
        Entry {
            format: h.format,
            width: h.width,
            height: h.height,
            mode: h.mode.map(str::to_owned),
            problem: h.problem.clone(),
            animated: h.animated,
            orientation: h.orientation,
            bytes: insp.bytes,
            findings: insp.findings.clone(),
            warnings: insp.warnings.clone(),
            corrupt: insp.corrupt,
            repaired: insp.repaired,
            detection: detection.cloned(),
        }
    }

    /// The inspection as it was, without pixels.
    pub fn inspection(&self) -> Inspection {
        Inspection {
            header: Header {
                format: self.format,
                width: self.width,
                height: self.height,
                mode: self
                    .mode
                    .as_deref()
                    .and_then(crate::pipeline::inspect::pillow_mode),
                problem: self.problem.clone(),
                animated: self.animated,
                orientation: self.orientation,
            },
            bytes: self.bytes,
            findings: self.findings.clone(),
            warnings: self.warnings.clone(),
            pixels: None,
            corrupt: self.corrupt,
            repaired: self.repaired,
            permit: None,
        }
    }
}

impl ResultCache {
    /// Open (creating it if need be) the cache file at `path`. A file that is not a prescreen
    /// cache, or that SQLite cannot read, is an error here: the caller reports it and scans
    /// without a cache, never overwriting it.
    pub fn open(path: &Path) -> Result<ResultCache> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the result cache {}", path.display()))?;
        let what = || format!("{} is not a usable prescreen result cache", path.display());
        // Another scan may hold the write lock for a moment.
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .with_context(what)?;
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .with_context(what)?;
        if tables.is_empty() {
            // One transaction, so a scan starting at the same moment sees all or nothing.
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE;
                 CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, value BLOB NOT NULL);
                 INSERT OR IGNORE INTO meta (k, v) VALUES ('application', '{APPLICATION}'), ('format', '{FORMAT}');
                 COMMIT;"
            ))
            .with_context(what)?;
        }
        let meta = |k: &str| -> Result<Option<String>> {
            conn.query_row("SELECT v FROM meta WHERE k = ?1", [k], |r| r.get(0))
                .optional()
                .with_context(what)
        };
        if meta("application")?.as_deref() != Some(APPLICATION) {
            anyhow::bail!("{}: it holds something else", what());
        }
        if meta("format")?.as_deref() != Some(FORMAT) {
            anyhow::bail!(
                "{}: it was written by another version of prescreen (`prescreen cache clear` empties it)",
                what()
            );
        }
        // Only now that the file is known to be ours: WAL rewrites its header.
        conn.pragma_update(None, "journal_mode", "WAL")
            .with_context(what)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .with_context(what)?;
        Ok(ResultCache {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached entry for `key`; an entry that does not read back is a miss.
    pub fn get(&self, key: &[u8; 32]) -> Option<Entry> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let value: Vec<u8> = conn
            .query_row(
                "SELECT value FROM results WHERE key = ?1",
                [&key[..]],
                |r| r.get(0),
            )
            .optional()
            .ok()??;
        serde_json::from_slice(&value).ok()
    }

    /// Store `entry` under `key`. A failed write loses only the saving, never the scan.
    pub fn put(&self, key: &[u8; 32], entry: &Entry) {
        let Ok(value) = serde_json::to_vec(entry) else {
            return;
        };
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let _ = conn.execute(
            "INSERT OR REPLACE INTO results (key, value) VALUES (?1, ?2)",
            params![&key[..], value],
        );
    }

    pub fn stats(&self) -> Result<CacheStats> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let (entries, bytes): (i64, i64) = conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(value)) + SUM(LENGTH(key)), 0) FROM results",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(CacheStats {
            entries: entries as u64,
            bytes: bytes as u64,
        })
    }

    /// Remove every entry.
    pub fn clear(&self) -> Result<u64> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let n = conn.execute("DELETE FROM results", [])?;
        let _ = conn.execute_batch("VACUUM");
        Ok(n as u64)
    }
}

/// The key of an image's result: sha256 of the scan's fingerprint and the image's bytes.
pub fn key(fingerprint: &[u8; 32], image: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(fingerprint);
    h.update(image);
    h.finalize().into()
}
