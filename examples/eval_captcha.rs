//! CAPTCHA screening accuracy: on the held-out test split of the training corpus (families
//! the classifier never trained on), on its validation split (where thresholds are chosen),
//! and on the old development set.
//!
//!   cargo run --release --example eval_captcha [-- CORPUS_DIR [FIXTURES_DIR]]
//!
//! CORPUS_DIR (default /work/corpus/captcha) is built by tools/datasets/captcha_corpus/; the
//! split is tools/models/captcha_split.json. Without the corpus only the development set
//! (fixtures/captcha) is evaluated. Prints recall per CAPTCHA kind, the false-positive rate
//! per negative kind (QR codes and barcodes must be 0), a threshold sweep on validation, the
//! errors of the development set, and the cost per image.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use prescreen::{Screen, ScreenOptions, Screens};
use rayon::prelude::*;

struct Row {
    file: PathBuf,
    is_captcha: bool,
    kind: String,
    family: String,
}

struct Outcome {
    flagged: bool,
    score: f32,
    p: f32,
    kind: Option<String>,
    secs: f64,
}

fn csv_rows(path: &Path) -> anyhow::Result<Vec<BTreeMap<String, String>>> {
    let mut rdr = csv_lite(&std::fs::read_to_string(path)?);
    let header = rdr.remove(0);
    Ok(rdr
        .into_iter()
        .map(|f| header.iter().cloned().zip(f).collect())
        .collect())
}

/// The CSV the manifests and labels.csv use: commas, quoted fields with doubled quotes.
fn csv_lite(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut out = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        out.last_mut().unwrap().push('"');
                        chars.next();
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => out.push(String::new()),
                    c => out.last_mut().unwrap().push(c),
                }
            }
            out
        })
        .collect()
}

fn run(screens: &Screens, rows: &[Row], pool: &rayon::ThreadPool) -> Vec<Outcome> {
    pool.install(|| {
        rows.par_iter()
            .map(|r| {
                let img = image::open(&r.file)
                    .unwrap_or_else(|e| panic!("{}: {e}", r.file.display()));
                let t = Instant::now();
                let d = screens.run(&img);
                let secs = t.elapsed().as_secs_f64();
                let p = d
                    .facts
                    .get("captcha_classifier")
                    .and_then(|v| v["p"].as_f64())
                    .unwrap_or(0.0) as f32;
                Outcome {
                    flagged: !d.findings.is_empty(),
                    score: d.scores.get("captcha").copied().unwrap_or(0.0),
                    p,
                    kind: d.facts.get("captcha_kind").map(|k| k.as_str().unwrap_or("").into()),
                    secs,
                }
            })
            .collect()
    })
}

/// Recall per CAPTCHA kind and flag rate per negative kind.
fn table(title: &str, rows: &[Row], out: &[Outcome], flagged: impl Fn(&Outcome) -> bool) {
    let mut by: BTreeMap<(bool, &str), (usize, usize)> = BTreeMap::new();
    for (r, o) in rows.iter().zip(out) {
        let e = by.entry((!r.is_captcha, &r.kind)).or_default();
        e.0 += 1;
        e.1 += flagged(o) as usize;
    }
    println!("\n{title}");
    println!("  {:<10} {:<10} {:>6} {:>8} {:>8}", "", "kind", "n", "flagged", "rate");
    for ((neg, kind), (n, f)) in &by {
        let what = if *neg { "negative" } else { "CAPTCHA" };
        println!(
            "  {what:<10} {kind:<10} {n:>6} {f:>8} {:>7.2}%",
            100.0 * *f as f64 / *n as f64
        );
    }
    let (pos, neg): (Vec<_>, Vec<_>) = rows.iter().zip(out).partition(|(r, _)| r.is_captcha);
    let tp = pos.iter().filter(|(_, o)| flagged(o)).count();
    let fp = neg.iter().filter(|(_, o)| flagged(o)).count();
    let codes = neg
        .iter()
        .filter(|(r, o)| matches!(r.kind.as_str(), "qr" | "barcode") && flagged(o))
        .count();
    println!(
        "  all: CAPTCHAs {tp}/{} ({:.2}%), negatives flagged {fp}/{} ({:.2}%), QR codes and barcodes flagged {codes}",
        pos.len(),
        100.0 * tp as f64 / pos.len().max(1) as f64,
        neg.len(),
        100.0 * fp as f64 / neg.len().max(1) as f64,
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "/work/corpus/captcha".into()));
    let fixtures = PathBuf::from(args.next().unwrap_or_else(|| "fixtures/captcha".into()));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let opts = ScreenOptions {
        only: vec![Screen::Captcha],
        ..ScreenOptions::default()
    };
    let cfg = opts.settings.captcha.clone();
    let screens = Screens::load(&opts, workers)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()?;

    // The corpus splits, by whole families.
    let split_path = Path::new("tools/models/captcha_split.json");
    let mut splits: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    if corpus.is_dir() && split_path.exists() {
        let split: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(split_path)?)?;
        let families = split["families"]
            .as_object()
            .ok_or_else(|| anyhow::anyhow!("{}: no families", split_path.display()))?;
        for part in ["text", "widgets", "ui_neg", "neg"] {
            let manifest = corpus.join(part).join("manifest.csv");
            if !manifest.exists() {
                println!("corpus part {part} missing: {}", manifest.display());
                continue;
            }
            for r in csv_rows(&manifest)? {
                let family = format!("{part}:{}", r["family"]);
                let Some(s) = families.get(&family).and_then(|s| s.as_str()) else {
                    continue;
                };
                if s == "train" {
                    continue;
                }
                splits.entry(s.to_string()).or_default().push(Row {
                    file: corpus.join(&r["file"]),
                    is_captcha: r["is_captcha"] == "1",
                    kind: r["kind"].clone(),
                    family,
                });
            }
        }
    } else {
        println!(
            "no corpus at {} (build it with tools/datasets/captcha_corpus/): development set only",
            corpus.display()
        );
    }
    println!(
        "shipped thresholds: P(CAPTCHA) ≥ {:.3}; OCR second opinion from {:.3}",
        cfg.threshold, cfg.second_look_from
    );

    if let Some(val) = splits.get("val") {
        let out = run(&screens, val, &pool);
        table("validation split (thresholds are chosen here), the screen as shipped", val, &out, |o| o.flagged);
        println!("\n  validation sweep, classifier alone (threshold: CAPTCHA recall / negatives flagged):");
        let (pos, neg): (Vec<_>, Vec<_>) = val.iter().zip(&out).partition(|(r, _)| r.is_captcha);
        for t in [0.2f32, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
            let tp = pos.iter().filter(|(_, o)| o.p >= t).count();
            let fp = neg.iter().filter(|(_, o)| o.p >= t).count();
            println!(
                "    {t:.2}: {:.2}% / {:.2}%",
                100.0 * tp as f64 / pos.len().max(1) as f64,
                100.0 * fp as f64 / neg.len().max(1) as f64
            );
        }
    }
    if let Some(test) = splits.get("test") {
        let out = run(&screens, test, &pool);
        let mut held: BTreeMap<&str, usize> = BTreeMap::new();
        for r in test {
            *held.entry(&r.family).or_default() += 1;
        }
        println!(
            "\ntest split: {} images from {} families never trained on:",
            test.len(),
            held.len()
        );
        for chunk in held.keys().copied().collect::<Vec<_>>().chunks(6) {
            println!("  {}", chunk.join(", "));
        }
        table("test split, the screen as shipped", test, &out, |o| o.flagged);
        let kinds_right = test
            .iter()
            .zip(&out)
            .filter(|(r, o)| r.is_captcha && o.flagged)
            .filter(|(r, o)| o.kind.as_deref() == Some(r.kind.as_str()))
            .count();
        let tp = test.iter().zip(&out).filter(|(r, o)| r.is_captcha && o.flagged).count();
        println!("  kind named right on {kinds_right}/{tp} flagged CAPTCHAs");
        let neg: Vec<_> = test.iter().zip(&out).filter(|(r, _)| !r.is_captcha).collect();
        let mean = neg.iter().map(|(_, o)| o.secs).sum::<f64>() / neg.len().max(1) as f64;
        println!(
            "  cost on the test split's negatives: {:.1} ms per image per worker ({workers} workers, OCR only where unsure)",
            mean * 1000.0
        );
    }

    // The old development set, never used for training or thresholds.
    let labels = fixtures.join("labels.csv");
    let dev: Vec<Row> = csv_rows(&labels)?
        .into_iter()
        .map(|r| Row {
            file: fixtures.join(&r["file"]),
            is_captcha: r["is_captcha"] == "1",
            kind: r["kind"].clone(),
            family: r["generator"].clone(),
        })
        .collect();
    let t = Instant::now();
    let out = run(&screens, &dev, &pool);
    let secs = t.elapsed().as_secs_f64();
    table(
        &format!("development set {} (never trained on)", fixtures.display()),
        &dev,
        &out,
        |o| o.flagged,
    );
    println!("  errors:");
    for (r, o) in dev.iter().zip(&out) {
        if o.flagged != r.is_captcha {
            println!(
                "    {} ({}) score {:.2}, classifier {:.2}",
                r.file.display(),
                r.kind,
                o.score,
                o.p
            );
        }
    }
    println!(
        "  {} images in {secs:.1} s: {:.0} ms per image per worker ({workers} workers)",
        dev.len(),
        secs * 1000.0 * workers as f64 / dev.len() as f64
    );
    Ok(())
}
