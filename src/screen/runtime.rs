//! ONNX Runtime, loaded dynamically from a shared library found on this machine. The crate's
//! own binary download cannot work here, so `tools/fetch-onnxruntime.sh` installs the library
//! from the PyPI `onnxruntime` wheel into the project cache, and this module finds it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{anyhow, Result};

use crate::text::error_chain;

pub const ORT_VERSION: &str = "1.32.0";
const LIB_NAME: &str = "libonnxruntime.so";

static ENV: OnceLock<ort::environment::Environment> = OnceLock::new();

/// The environment sessions are built in, once [`init`] has succeeded.
pub fn environment() -> Option<&'static ort::environment::Environment> {
    ENV.get()
}

/// The cache folder `tools/fetch-onnxruntime.sh` installs into.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("PRESCREEN_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("prescreen"))
}

/// Candidate libraries, in the order they are tried.
pub fn candidates(explicit: Option<&Path>) -> Vec<(String, PathBuf)> {
    let mut c = Vec::new();
    if let Some(p) = explicit {
        c.push(("--ort-lib".into(), p.to_path_buf()));
    }
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH") {
        c.push(("ORT_DYLIB_PATH".into(), PathBuf::from(p)));
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        for name in [format!("{LIB_NAME}.{ORT_VERSION}"), LIB_NAME.to_owned()] {
            c.push(("beside the executable".into(), dir.join(name)));
        }
    }
    if let Some(dir) = cache_dir() {
        c.push((
            "project cache".into(),
            dir.join(format!("onnxruntime-{ORT_VERSION}"))
                .join(format!("{LIB_NAME}.{ORT_VERSION}")),
        ));
    }
    if let Some(p) = python_onnxruntime() {
        c.push(("Python onnxruntime package".into(), p));
    }
    c.push(("system library path".into(), PathBuf::from(LIB_NAME)));
    c
}

/// The library inside an installed Python `onnxruntime` package, if there is one.
fn python_onnxruntime() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import importlib.util,os;s=importlib.util.find_spec('onnxruntime');print(os.path.join(os.path.dirname(s.origin),'capi') if s else '')",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    if dir.as_os_str().is_empty() {
        return None;
    }
    let mut libs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(LIB_NAME))
        })
        .collect();
    libs.sort();
    libs.pop()
}

/// Load ONNX Runtime once per process. The error names every place tried and how to fix it.
pub fn init(explicit: Option<&Path>) -> Result<()> {
    if ENV.get().is_some() {
        return Ok(());
    }
    let mut tried = Vec::new();
    for (how, path) in candidates(explicit) {
        let is_bare_name = path.components().count() == 1;
        if !is_bare_name && !path.exists() {
            tried.push(format!("  {how}: {} (not found)", path.display()));
            continue;
        }
        match ort::init_from(&path) {
            Ok(builder) => {
                let env = builder
                    .with_name("prescreen")
                    .with_logger(Arc::new(|level, _cat, _id, _loc, msg| {
                        // Model-loading chatter (unused initializers) is noise to a user.
                        if matches!(
                            level,
                            ort::logging::LogLevel::Error | ort::logging::LogLevel::Fatal
                        ) {
                            eprintln!("onnxruntime: {msg}");
                        }
                    }))
                    .build()
                    .map_err(|e| {
                        anyhow!("ONNX Runtime from {} failed to start: {e}", path.display())
                    })?;
                let _ = ENV.set(env);
                return Ok(());
            }
            Err(e) => tried.push(format!("  {how}: {}: {}", path.display(), error_chain(&e))),
        }
    }
    Err(anyhow!(
        "ONNX Runtime {ORT_VERSION} could not be loaded; tried:\n{}\n\
         Fix: run `tools/fetch-onnxruntime.sh` (installs it into the project cache), or pass \
         --ort-lib PATH / set ORT_DYLIB_PATH to a libonnxruntime.so, or use --no-detect to skip \
         content screening.",
        tried.join("\n")
    ))
}
