//! Where a clean image's time goes: each pass of the cascade, in the order it runs, on the
//! images of a labels file with neither a face nor a person (every pass runs on those).
//!
//!   cargo run --release --example profile_cascade [-- fixtures/screening/labels.csv [ROUNDS]]
//!
//! One thread; per pass the median over the images of each image's least CPU time over
//! ROUNDS (default 3) rounds, so a host's stalls do not count, and the whole cascade's sum.

use std::path::Path;

use anyhow::Result;
use prescreen::{ScreenOptions, Screens};

#[path = "common/csv.rs"]
mod csv;
#[path = "common/labels.rs"]
mod labels;
use labels::{clean, thread_cpu};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let labels = args
        .first()
        .map_or("fixtures/screening/labels.csv", String::as_str);
    let rounds: usize = args.get(1).map_or(Ok(3), |r| r.parse())?;
    let screens = Screens::load(&ScreenOptions::default(), 1)?;
    let images: Vec<image::RgbImage> = clean(Path::new(labels))?
        .iter()
        .filter_map(|f| image::open(f).ok().map(|i| i.to_rgb8()))
        .collect();
    let passes: Vec<_> = screens.passes().collect();
    // least[pass][image]
    let mut least = vec![vec![f64::MAX; images.len()]; passes.len()];
    for round in 0..=rounds {
        for (i, img) in images.iter().enumerate() {
            for (p, (_, d)) in passes.iter().enumerate() {
                let t = thread_cpu();
                let _ = d.detect(img, false);
                // Round 0 only warms the sessions.
                if round > 0 {
                    least[p][i] = least[p][i].min(thread_cpu() - t);
                }
            }
        }
    }
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        1000.0 * v[v.len() / 2]
    };
    let mean = |v: &[f64]| 1000.0 * v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "{} clean images, one thread, least of {rounds} rounds (ms):",
        images.len()
    );
    println!("{:<14} {:>8} {:>8}", "pass", "median", "mean");
    for ((name, _), l) in passes.iter().zip(&least) {
        println!("{name:<14} {:>8.1} {:>8.1}", median(l), mean(l));
    }
    let total: Vec<f64> = (0..images.len())
        .map(|i| least.iter().map(|l| l[i]).sum())
        .collect();
    println!(
        "{:<14} {:>8.1} {:>8.1}",
        "cascade",
        median(&total),
        mean(&total)
    );
    Ok(())
}
