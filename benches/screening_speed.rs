//! Content-screening speed against a straightforward Python pipeline (Pillow decode +
//! onnxruntime, same models, passes and thresholds: benches/python/screen_reference.py), on
//! the same images in the same run. Prints images/s for both, the ratio, and how often the
//! two agree on which images are skipped.
//!
//!   cargo bench --bench screening_speed [-- REPEAT [ROUNDS]]
//!
//! REPEAT copies of the development set make one dataset; each of ROUNDS (default 1) runs
//! prescreen then Python on it, back to back, so a change in the host's speed during the bench
//! hits both sides of a round alike; the median ratio over the rounds is printed last.
//!
//! The Python side runs in a virtualenv under target/bench/pyenv, created on first use from
//! pinned packages (numpy, pillow, onnxruntime 1.32.0).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn pyenv(dir: &Path) -> PathBuf {
    let py = dir.join("pyenv/bin/python");
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(dir.join("pyenv"))
            .status()
            .expect("python3 -m venv")
            .success();
        assert!(ok, "creating the benchmark virtualenv failed");
        let ok = Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "numpy==2.2.6",
                "pillow==11.3.0",
                "onnxruntime==1.32.0",
            ])
            .status()
            .expect("pip install")
            .success();
        assert!(ok, "installing the Python baseline's packages failed");
    }
    py
}

fn dataset(dir: &Path, repeat: usize) -> (PathBuf, usize) {
    let labels = std::fs::read_to_string("fixtures/screening/labels.csv").unwrap();
    let path = dir.join(format!("screening-x{repeat}.jsonl"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut n = 0;
    for _ in 0..repeat {
        for line in labels.lines().skip(1) {
            let file = line.split(',').next().unwrap();
            let bytes = std::fs::read(Path::new("fixtures/screening").join(file)).unwrap();
            let mime = if file.ends_with(".png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            let uri = format!(
                "data:{mime};base64,{}",
                base64_simd::STANDARD.encode_to_string(&bytes)
            );
            let ex = serde_json::json!({"messages": [
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": uri}}]},
                {"role": "assistant", "content": "ok"}
            ]});
            writeln!(f, "{ex}").unwrap();
            n += 1;
        }
    }
    (path, n)
}

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<usize>().ok());
    let repeat = args.next().unwrap_or(1).max(1);
    let rounds = args.next().unwrap_or(1).max(1);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let (data, n) = dataset(&dir, repeat);
    let py = pyenv(&dir);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "screening {n} images (fixtures/screening ×{repeat}), {cores} cores, whole processes:"
    );
    let mut ratios = Vec::new();
    for round in 1..=rounds {
        let (rust_secs, py_secs, agree) = round_trip(&data, &py, &dir);
        if rounds > 1 {
            println!("round {round}/{rounds}");
        }
        println!(
            "  prescreen scan:          {rust_secs:6.2}s  {:6.1} images/s",
            n as f64 / rust_secs
        );
        println!(
            "  Python + onnxruntime:    {py_secs:6.2}s  {:6.1} images/s",
            n as f64 / py_secs
        );
        println!("  ratio:                   {:.2}×", py_secs / rust_secs);
        println!("  same skip verdict:       {agree}/{n}");
        ratios.push(py_secs / rust_secs);
    }
    if rounds > 1 {
        ratios.sort_by(f64::total_cmp);
        println!(
            "ratio over {rounds} rounds: median {:.2}×, lowest {:.2}×, highest {:.2}×",
            ratios[rounds / 2],
            ratios[0],
            ratios[rounds - 1]
        );
    }
}

/// One prescreen run and one Python run on `data`: (prescreen seconds, Python seconds,
/// images with the same skip verdict).
fn round_trip(data: &Path, py: &Path, dir: &Path) -> (f64, f64, usize) {
    let report = dir.join("screening-report.json");
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "scan",
            data.to_str().unwrap(),
            "--quiet",
            "--json",
            report.to_str().unwrap(),
            "--force",
            // Faces and people: the screens the Python baseline implements.
            "--detectors",
            "face,person",
        ])
        .status()
        .unwrap();
    let rust_secs = t.elapsed().as_secs_f64();
    assert!(status.code().is_some_and(|c| c <= 1), "prescreen failed");

    let t = Instant::now();
    let out = Command::new(py)
        .arg("benches/python/screen_reference.py")
        .arg(data)
        .arg("models")
        .output()
        .unwrap();
    let py_secs = t.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let rep: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let examples = rep["examples"].as_array().unwrap();
    let rust: HashMap<u64, bool> = examples
        .iter()
        .map(|e| {
            let img = &e["images"][0];
            let content = img["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "contains_faces" || r == "contains_people");
            (e["line"].as_u64().unwrap(), content)
        })
        .collect();
    let mut agree = 0;
    let mut rows = 0;
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        if let Some(line) = v["line"].as_u64() {
            rows += 1;
            if rust.get(&line) == v["skipped"].as_bool().as_ref() {
                agree += 1;
            }
        }
    }
    assert_eq!(
        rows,
        examples.len(),
        "the Python baseline screened every image"
    );
    (rust_secs, py_secs, agree)
}
