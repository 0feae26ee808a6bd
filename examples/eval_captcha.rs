//! CAPTCHA screening accuracy on the labelled development set.
//!
//!   cargo run --release --example eval_captcha [-- fixtures/captcha]
//!
//! Prints recall per CAPTCHA kind, the false-positive rate per negative kind (QR codes and
//! barcodes must be 0), every error with its signals, and the per-image cost of the screen.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use prescreen::screen::captcha::CaptchaDetector;
use prescreen::screen::ocr::Ocr;
use prescreen::settings::{CaptchaSettings, OcrSettings};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fixtures/captcha".into()),
    );
    prescreen::screen::runtime::init(None)?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let ocr = Ocr::new(
        &prescreen::screen::models::OCR_DET.bytes(None)?,
        &prescreen::screen::models::OCR_REC.bytes(None)?,
        workers,
        OcrSettings::default(),
    )?;
    let cfg = CaptchaSettings::default();
    let thr = cfg.threshold;
    let det = CaptchaDetector::new(ocr, cfg);
    let text = std::fs::read_to_string(dir.join("labels.csv"))?;
    let rows: Vec<(String, String, bool)> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(5, ',').collect();
            (f[0].to_owned(), f[1].to_owned(), f[3] == "1")
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()?;
    let t = Instant::now();
    let results: Vec<(f32, String)> = pool.install(|| {
        rows.par_iter()
            .map(|(file, _, _)| {
                let img = image::open(dir.join(file)).unwrap().to_rgb8();
                let lines = det.ocr().read(&img).unwrap();
                let s = det.signals(&img, &lines).unwrap();
                let said: Vec<String> = lines.iter().take(4).map(|l| format!("{}@{:.2}", l.text, l.confidence)).collect();
                (
                    s.score,
                    format!(
                        "kind {:?} phrase {:?} code {:?}@{:.2} clutter {:.3} bg {:.2} colours {} qr {:?} barcode {} | {}",
                        s.kind, s.phrase, s.short_code, s.code_confidence, s.clutter, s.background, s.colours, s.qr_payload_len, s.barcode, said.join(" / ")
                    ),
                )
            })
            .collect()
    });
    let secs = t.elapsed().as_secs_f64();
    println!(
        "CAPTCHA dev set: {} images, {:.1} images/s, {:.0} ms per image per worker ({workers} workers), threshold {thr:.2}\n",
        rows.len(),
        rows.len() as f64 / secs,
        secs * 1000.0 * workers as f64 / rows.len() as f64
    );
    let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for ((_, label, _), (score, _)) in rows.iter().zip(&results) {
        let e = by.entry(label).or_default();
        e.0 += 1;
        if *score >= thr {
            e.1 += 1;
        }
    }
    println!("{:<20} {:>4} {:>8}", "label", "n", "flagged");
    for (label, (n, f)) in &by {
        println!(
            "{label:<20} {n:>4} {f:>5} ({:.0}%)",
            100.0 * *f as f64 / *n as f64
        );
    }
    let pos: Vec<_> = rows.iter().zip(&results).filter(|(r, _)| r.2).collect();
    let neg: Vec<_> = rows.iter().zip(&results).filter(|(r, _)| !r.2).collect();
    let tp = pos.iter().filter(|(_, s)| s.0 >= thr).count();
    let fp = neg.iter().filter(|(_, s)| s.0 >= thr).count();
    println!(
        "\nCAPTCHAs flagged: {tp}/{} ({:.1}%, target ≥ 95%)   negatives flagged: {fp}/{} ({:.1}%, target ≤ 2%)",
        pos.len(),
        100.0 * tp as f64 / pos.len() as f64,
        neg.len(),
        100.0 * fp as f64 / neg.len() as f64
    );
    println!("\nerrors:");
    for ((file, _, is), (score, why)) in rows.iter().zip(&results) {
        if (*score >= thr) != *is {
            println!("  {file} score {score:.2}: {why}");
        }
    }
    Ok(())
}
