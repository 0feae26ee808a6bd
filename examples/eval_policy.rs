//! The usage-policy screen, measured as far as it honestly can be here.
//!
//!   cargo run --release --example eval_policy -- parity
//!   cargo run --release --example eval_policy -- NAME=PATH [NAME=PATH …]
//!
//! `parity`: prescreen's preprocessing and runtime against the reference outputs recorded
//! from the models' own runtimes (`fixtures/policy_reference/`): per-stage pixel sums, NSFWJS
//! tensors bit for bit, and the largest probability differences.
//!
//! `cost LABELS`: where one thread's time goes in the policy screen, on the same images.
//! `cascade LABELS`: on the clean images of a labelled set (`fixtures/screening/labels.csv`:
//! no face, no person), the whole cascade's CPU time per image with and without the policy
//! screen, the two run back to back on each image (so a change in the host's speed hits
//! both alike), three rounds; prints the median and mean growth.
//!
//! `NAME=PATH`: every image under a folder (recursively) or listed in a CSV's `file` column
//! is screened at the shipped thresholds; per set it prints how many would be skipped for
//! the policy and how many warned, by category, and writes every image's scores to
//! `target/eval/policy-<NAME>.csv`. No labelled sexual-content set can be had from the
//! registries, so on development images of other kinds this is the false-alarm rate.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use prescreen::screen::policy::{nsfwjs_input, open_nsfw_input, PolicyDetector, NSFWJS_CLASSES};
use prescreen::screen::{models, runtime, Detector};
use prescreen::settings::Settings;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

#[path = "common/csv.rs"]
mod csv;
#[path = "common/labels.rs"]
mod labels;
use csv::split_csv;
use labels::{clean, thread_cpu};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    runtime::init(None)?;
    let settings = Settings::default();
    let det = PolicyDetector::new(
        models::OPEN_NSFW.bytes(None)?,
        models::NSFWJS.bytes(None)?,
        1,
        settings.policy.clone(),
    )?;
    match args.first().map(String::as_str) {
        Some("parity") => return parity(&det),
        Some("cost") => return cost(&det, &clean(Path::new(&args[1]))?),
        Some("cascade") => return cascade(&clean(Path::new(&args[1]))?),
        _ => {}
    }
    anyhow::ensure!(!args.is_empty(), "usage: eval_policy parity | NAME=PATH …");
    std::fs::create_dir_all("target/eval")?;
    for a in &args {
        let (name, path) = a
            .split_once('=')
            .with_context(|| format!("{a}: expected NAME=PATH"))?;
        let files = list(Path::new(path))?;
        screen_set(&det, name, &files)?;
    }
    Ok(())
}

fn list(p: &Path) -> Result<Vec<PathBuf>> {
    if p.is_dir() {
        let mut out = Vec::new();
        let mut stack = vec![p.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d)? {
                let e = e?.path();
                if e.is_dir() {
                    stack.push(e);
                } else if matches!(
                    e.extension()
                        .and_then(|x| x.to_str())
                        .map(str::to_ascii_lowercase)
                        .as_deref(),
                    Some("png" | "jpg" | "jpeg" | "webp" | "gif" | "bmp")
                ) {
                    out.push(e);
                }
            }
        }
        out.sort();
        return Ok(out);
    }
    let text =
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
    let mut lines = text.lines();
    let head = split_csv(lines.next().unwrap_or_default());
    let col = head
        .iter()
        .position(|h| h == "file")
        .with_context(|| format!("{}: no `file` column", p.display()))?;
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| PathBuf::from(&split_csv(l)[col]))
        .collect())
}

/// Open-NSFW's score, NSFWJS's five, the category skipped as (or empty), warned.
type Scored = (f32, [f32; 5], String, bool);

fn screen_set(det: &PolicyDetector, name: &str, files: &[PathBuf]) -> Result<()> {
    let spent = AtomicU64::new(0);
    let rows: Vec<(String, Option<Scored>)> = files
        .par_iter()
        .map(|f| {
            let r = image::open(f).ok().map(|i| i.to_rgb8()).and_then(|img| {
                let t = std::time::Instant::now();
                let d = det.detect(&img, false).ok()?;
                spent.fetch_add(t.elapsed().as_micros() as u64, Ordering::Relaxed);
                let js = NSFWJS_CLASSES.map(|c| d.scores[&format!("nsfwjs_{c}")]);
                let category = d
                    .facts
                    .get("policy")
                    .and_then(|p| p["category"].as_str())
                    .unwrap_or("")
                    .to_owned();
                Some((d.scores["nsfw"], js, category, !d.warnings.is_empty()))
            });
            (f.display().to_string(), r)
        })
        .collect();
    let secs = spent.load(Ordering::Relaxed) as f64 / 1e6;
    let mut csv = String::from("file,nsfw");
    for c in NSFWJS_CLASSES {
        csv.push_str(&format!(",nsfwjs_{c}"));
    }
    csv.push_str(",skipped_as,warned\n");
    let (mut n, mut unreadable, mut skipped, mut warned) = (0, 0, 0, 0);
    let mut by_cat = std::collections::BTreeMap::<String, usize>::new();
    let mut hits = Vec::new();
    for (f, r) in &rows {
        let Some((nsfw, js, cat, warn)) = r else {
            unreadable += 1;
            continue;
        };
        n += 1;
        csv.push_str(&format!("\"{f}\",{nsfw}"));
        for p in js {
            csv.push_str(&format!(",{p}"));
        }
        csv.push_str(&format!(",{cat},{}\n", *warn as u8));
        if !cat.is_empty() {
            skipped += 1;
            *by_cat.entry(cat.clone()).or_default() += 1;
            hits.push(format!("{cat}: {f}"));
        } else if *warn {
            warned += 1;
        }
    }
    std::fs::write(format!("target/eval/policy-{name}.csv"), csv)?;
    let pct = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
    println!(
        "{name}: {n} images ({unreadable} unreadable), skipped for the policy {skipped} ({:.2}%) {by_cat:?}, warned {warned} ({:.2}%); screening took {:.1} ms of a thread an image",
        pct(skipped),
        pct(warned),
        1000.0 * secs / n.max(1) as f64,
    );
    for h in hits.iter().take(20) {
        println!("  {h}");
    }
    Ok(())
}

fn parity(det: &PolicyDetector) -> Result<()> {
    let read = |p: &str| -> Result<serde_json::Value> {
        Ok(serde_json::from_str(&std::fs::read_to_string(p)?)?)
    };
    let on = read("fixtures/policy_reference/open_nsfw.json")?;
    let js = read("fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json")?;
    let (mut decoded_same, mut resize_same, mut js_bit, mut n) = (0, 0, 0, 0);
    let (mut max_on, mut max_js, mut max_on_same) = (0f64, 0f64, 0f64);
    let mut worst = String::new();
    for (a, b) in on["results"]
        .as_array()
        .context("results")?
        .iter()
        .zip(js["results"].as_array().context("results")?)
    {
        let path = a["path"].as_str().context("path")?;
        anyhow::ensure!(
            b["path"] == a["path"],
            "the two references list other images"
        );
        let img = image::open(path)
            .with_context(|| format!("cannot open {path}"))?
            .to_rgb8();
        n += 1;
        let sum: u64 = img.as_raw().iter().map(|&v| v as u64).sum();
        let same = sum == a["decoded"]["rgb_u8_sum"].as_u64().unwrap_or(0);
        decoded_same += same as usize;
        let r = prescreen::screen::imageops::resize_rgb(
            &img,
            prescreen::screen::imageops::Crop::full(&img),
            256,
            256,
        )?;
        let rs: u64 = r.iter().map(|&v| v as u64).sum();
        resize_same += (rs
            == a["stages_u8_sum"]["resized256_u8_sum"]
                .as_u64()
                .unwrap_or(0)) as usize;
        let t = nsfwjs_input(&img);
        let bytes: Vec<u8> = t.iter().flat_map(|v| v.to_le_bytes()).collect();
        let sha = prescreen::text::hex(&Sha256::digest(&bytes));
        js_bit += (sha == b["input"]["sha256_f32le"].as_str().unwrap_or("")) as usize;
        let s = det.scores(&img)?;
        let d_on = (s.nsfw as f64 - a["probabilities"][1].as_f64().unwrap_or(f64::NAN)).abs();
        if same {
            max_on_same = max_on_same.max(d_on);
        }
        if d_on > max_on {
            max_on = d_on;
            worst = path.to_owned();
        }
        for (i, p) in s.nsfwjs.iter().enumerate() {
            let d = (*p as f64 - b["probabilities"][i].as_f64().unwrap_or(f64::NAN)).abs();
            max_js = max_js.max(d);
        }
    }
    println!("{n} reference images");
    println!("  decoded identically to Pillow (uint8 sum): {decoded_same}/{n}");
    println!("  Open-NSFW 256x256 resize identical to Pillow (uint8 sum): {resize_same}/{n}");
    println!("  NSFWJS input tensor bit-identical to tfjs: {js_bit}/{n}");
    println!("  NSFWJS max |diff| of the five probabilities: {max_js:.2e}");
    println!("  Open-NSFW max |diff| of P(nsfw): {max_on:.4} ({worst}); {max_on_same:.4} on the images decoded identically");
    Ok(())
}

/// Where one thread's time goes, image by image, on one folder: the two preprocessings and
/// the whole screen (their models are the rest).
fn cost(det: &PolicyDetector, files: &[PathBuf]) -> Result<()> {
    let (mut pre_on, mut pre_js, mut all, mut n) = (0.0, 0.0, 0.0, 0);
    for f in files {
        let Ok(img) = image::open(f).map(|i| i.to_rgb8()) else {
            continue;
        };
        let _ = det.scores(&img)?;
        let t = std::time::Instant::now();
        let _ = open_nsfw_input(&img)?;
        pre_on += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let _ = nsfwjs_input(&img);
        pre_js += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let _ = det.scores(&img)?;
        all += t.elapsed().as_secs_f64();
        n += 1;
    }
    let ms = |v: f64| 1000.0 * v / n.max(1) as f64;
    println!(
        "{n} images: whole screen {:.1} ms; Open-NSFW preprocessing {:.1} ms, NSFWJS preprocessing {:.1} ms, both models {:.1} ms",
        ms(all),
        ms(pre_on),
        ms(pre_js),
        ms(all - pre_on - pre_js)
    );
    Ok(())
}

fn cascade(files: &[PathBuf]) -> Result<()> {
    use prescreen::{Screen, ScreenOptions, Screens};
    let load = |only: Vec<Screen>| {
        Screens::load(
            &ScreenOptions {
                only,
                ..ScreenOptions::default()
            },
            1,
        )
    };
    let without = load(vec![Screen::Face, Screen::Person, Screen::Captcha])?;
    let with = load(Screen::ALL.to_vec())?;
    let images: Vec<image::DynamicImage> =
        files.iter().filter_map(|f| image::open(f).ok()).collect();
    // One untimed pass warms every session.
    for img in &images {
        let _ = (without.run(img), with.run(img));
    }
    let (mut a, mut b, mut growth) = (0.0, 0.0, Vec::new());
    // Per image, the least time each cascade took over the rounds: a host's stalls only add.
    let mut least = vec![(f64::MAX, f64::MAX); images.len()];
    for _round in 0..3 {
        for (img, l) in images.iter().zip(least.iter_mut()) {
            let t = thread_cpu();
            let _ = without.run(img);
            let t1 = thread_cpu();
            let _ = with.run(img);
            let t2 = thread_cpu();
            a += t1 - t;
            b += t2 - t1;
            growth.push(1000.0 * ((t2 - t1) - (t1 - t)));
            *l = (l.0.min(t1 - t), l.1.min(t2 - t1));
        }
    }
    let least_growth =
        1000.0 * least.iter().map(|(x, y)| y - x).sum::<f64>() / images.len().max(1) as f64;
    growth.sort_by(f64::total_cmp);
    let n = growth.len() as f64;
    println!(
        "{} images x 3 rounds, one thread: cascade {:.1} ms an image without the policy screen, {:.1} ms with; growth median {:.1} ms, mean {:.1} ms, of each image's fastest run {:.1} ms",
        images.len(),
        1000.0 * a / n,
        1000.0 * b / n,
        growth[growth.len() / 2],
        growth.iter().sum::<f64>() / n,
        least_growth
    );
    Ok(())
}
