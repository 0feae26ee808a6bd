//! `prescreen cache stats|clear`: what the result cache holds, and emptying it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use prescreen::cache::{self, ResultCache};

use super::exit::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CacheAction {
    /// How many results the cache holds and its size.
    Stats,
    /// Remove every result.
    Clear,
}

#[derive(Args, Debug)]
pub struct CacheArgs {
    pub action: CacheAction,
    /// The cache directory (default: the prescreen cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
}

pub fn run(a: CacheArgs) -> Result<ExitCode> {
    let file = match &a.cache {
        Some(d) => cache::file_in(d),
        None => cache::default_file().context("no cache directory: set PRESCREEN_CACHE_DIR")?,
    };
    if !file.exists() {
        println!("{}: no result cache yet", file.display());
        return Ok(ExitCode::Ok);
    }
    let c = ResultCache::open(&file)?;
    match a.action {
        CacheAction::Stats => {
            let s = c.stats()?;
            let on_disk = std::fs::metadata(&file).map_or(0, |m| m.len());
            println!(
                "{}: {} image result(s), {} bytes of results, {} bytes on disk",
                file.display(),
                s.entries,
                s.bytes,
                on_disk
            );
        }
        CacheAction::Clear => {
            let n = c.clear()?;
            println!("{}: {n} image result(s) removed", file.display());
        }
    }
    Ok(ExitCode::Ok)
}
