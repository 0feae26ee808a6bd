//! Face / person screening accuracy on the labeled development set.
//!
//!   cargo run --release --example eval_screening [-- fixtures/screening]
//!
//! Prints per-label flag rates at the shipped thresholds, the three acceptance figures
//! (faces flagged, people-without-visible-face flagged, clean images flagged), a threshold
//! sweep, and writes every image's scores to target/eval/screening-scores.csv.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use prescreen::{Screen, ScreenOptions, Screens};
use rayon::prelude::*;

#[path = "common/csv.rs"]
mod csv;
#[path = "common/labels.rs"]
mod labels;
use labels::{read_labels, Row};

fn main() -> anyhow::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fixtures/screening".into()),
    );
    let rows = read_labels(&dir.join("labels.csv"))?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let opts = ScreenOptions {
        explain: std::env::var_os("EVAL_NO_EXPLAIN").is_none(),
        only: vec![Screen::Face, Screen::Person],
        ..ScreenOptions::default()
    };
    let mut opts = opts;
    // Exploration knobs; the shipped defaults live in prescreen::settings.
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f32>().ok());
    if let Some(v) = env("EVAL_FINE_SIDE") {
        opts.settings.face.fine_side = v as u32;
    }
    if let Some(v) = env("EVAL_FINE_UPSCALE") {
        opts.settings.face.fine_upscale = v;
    }
    if let Some(v) = env("EVAL_VERIFY_TOP") {
        opts.settings.face.verify_top = v as usize;
    }
    if let Some(v) = env("EVAL_POSE") {
        opts.settings.person.pose_threshold = v;
    }
    if let Some(v) = env("EVAL_HAND") {
        opts.settings.person.hand_threshold = v;
    }
    if let Some(v) = env("EVAL_BASE_SIDE") {
        opts.settings.face.base_side = v as u32;
    }
    if let Some(v) = env("EVAL_TILTED_SIDE") {
        opts.settings.face.tilted_side = v as u32;
    }
    let (face_thr, person_thr, hand_thr) = (
        opts.settings.face.threshold,
        opts.settings.person.threshold,
        opts.settings.person.hand_threshold,
    );
    let stage = Screens::load(&opts, workers)?;
    let decode = |file: &str| {
        image::ImageReader::open(dir.join(file))
            .and_then(|r| r.with_guessed_format())
            .map_err(anyhow::Error::from)
            .and_then(|r| Ok(r.decode()?))
            .unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()?;
    let started = Instant::now();
    let pose_thr = opts.settings.person.pose_threshold;
    let scores: Vec<(f32, f32, f32)> = pool.install(|| {
        rows.par_iter()
            .map(|r| {
                let d = stage.run(&decode(&r.file));
                let get = |k: &str| d.scores.get(k).copied().unwrap_or(0.0);
                // Pose and hand signals fold into one "other" column at their own thresholds.
                let other = if get("pose") >= pose_thr || get("hand") >= hand_thr {
                    1.0
                } else {
                    0.0
                };
                (get("face"), get("person"), other)
            })
            .collect()
    });
    let secs = started.elapsed().as_secs_f64();

    let out = Path::new("target/eval");
    std::fs::create_dir_all(out)?;
    let mut csv = String::from("file,label,has_face,has_person,face,person,hand\n");
    for (r, (f, p, h)) in rows.iter().zip(&scores) {
        csv.push_str(&format!(
            "{},{},{},{},{f:.4},{p:.4},{h:.4}\n",
            r.file, r.label, r.has_face as u8, r.has_person as u8
        ));
    }
    std::fs::write(out.join("screening-scores.csv"), csv)?;

    let flagged = |(f, p, h): (f32, f32, f32), ft: f32, pt: f32| f >= ft || p >= pt || h >= 1.0;
    println!(
        "screening dev set: {} images, {:.1} images/s ({workers} workers, explain {})",
        rows.len(),
        rows.len() as f64 / secs,
        opts.explain
    );
    println!("thresholds: face {face_thr:.2}, person {person_thr:.2}\n");
    println!(
        "{:<16} {:>4} {:>8} {:>8} {:>8}",
        "label", "n", "face", "person", "flagged"
    );
    let mut by_label: BTreeMap<&str, Vec<(f32, f32, f32)>> = BTreeMap::new();
    for (r, s) in rows.iter().zip(&scores) {
        by_label.entry(&r.label).or_default().push(*s);
    }
    for (label, s) in &by_label {
        let n = s.len();
        let face = s.iter().filter(|x| x.0 >= face_thr).count();
        let person = s.iter().filter(|x| x.1 >= person_thr).count();
        let any = s
            .iter()
            .filter(|x| flagged(**x, face_thr, person_thr))
            .count();
        println!(
            "{label:<16} {n:>4} {face:>8} {person:>8} {:>7.0}%",
            100.0 * any as f64 / n as f64
        );
    }
    let metrics = |ft: f32, pt: f32| {
        let rate = |pred: &dyn Fn(&Row) -> bool| {
            let sel: Vec<_> = rows.iter().zip(&scores).filter(|(r, _)| pred(r)).collect();
            let hit = sel.iter().filter(|(_, s)| flagged(**s, ft, pt)).count();
            (hit, sel.len())
        };
        (
            rate(&|r: &Row| r.has_face),
            rate(&|r: &Row| r.has_person && !r.has_face),
            rate(&|r: &Row| !r.has_person),
        )
    };
    let pct = |(a, b): (usize, usize)| 100.0 * a as f64 / b.max(1) as f64;
    let (faces, bodies, clean) = metrics(face_thr, person_thr);
    println!(
        "\nfaces flagged:                    {:>3}/{:<3} {:>5.1}%  (target ≥ 98%)",
        faces.0,
        faces.1,
        pct(faces)
    );
    println!(
        "people without visible face:      {:>3}/{:<3} {:>5.1}%  (target ≥ 60%)",
        bodies.0,
        bodies.1,
        pct(bodies)
    );
    println!(
        "clean images flagged (false pos): {:>3}/{:<3} {:>5.1}%  (target ≤ 2%)",
        clean.0,
        clean.1,
        pct(clean)
    );
    let misses: Vec<String> = rows
        .iter()
        .zip(&scores)
        .filter(|(r, s)| r.has_person != flagged(**s, face_thr, person_thr))
        .map(|(r, s)| {
            format!(
                "  {} (face {:.2}, person {:.2}, hand {:.2})",
                r.file, s.0, s.1, s.2
            )
        })
        .collect();
    if !misses.is_empty() {
        println!("\nerrors at these thresholds:\n{}", misses.join("\n"));
    }
    println!("\nsweep with pose {pose_thr:.2} / hand {hand_thr:.2} fixed (faces% / no-face people% / clean flagged%):");
    print!("{:>10}", "face\\pers");
    let pts = [0.2f32, 0.25, 0.3, 0.35, 0.4, 0.5];
    for pt in pts {
        print!("{pt:>18.2}");
    }
    println!();
    for ft in [0.2f32, 0.3, 0.4, 0.5, 0.6] {
        print!("{ft:>10.2}");
        for pt in pts {
            let (a, b, c) = metrics(ft, pt);
            print!(
                "{:>18}",
                format!("{:.0}/{:.0}/{:.1}", pct(a), pct(b), pct(c))
            );
        }
        println!();
    }

    // Robustness, not an acceptance figure: every face image of the set turned a quarter
    // each way (a head on a shoulder, a person lying down, a photo stored sideways), screened
    // with and without the sideways face passes.
    if std::env::var_os("EVAL_NO_TURNED").is_none() {
        let faces: Vec<&Row> = rows.iter().filter(|r| r.has_face).collect();
        println!(
            "\nface images turned a quarter turn ({} images x 2 turns), flagged by any screen:",
            faces.len()
        );
        for tilted_side in [0, opts.settings.face.tilted_side] {
            let mut o = opts.clone();
            o.explain = false;
            o.settings.face.tilted_side = tilted_side;
            let stage = Screens::load(&o, workers)?;
            let hits: usize = pool.install(|| {
                faces
                    .par_iter()
                    .map(|r| {
                        let img = decode(&r.file).to_rgb8();
                        [
                            image::imageops::rotate90(&img),
                            image::imageops::rotate270(&img),
                        ]
                        .into_iter()
                        .filter(|t| {
                            !stage
                                .run(&image::DynamicImage::ImageRgb8(t.clone()))
                                .findings
                                .is_empty()
                        })
                        .count()
                    })
                    .sum()
            });
            let n = 2 * faces.len();
            let what = if tilted_side == 0 {
                "without sideways passes".to_string()
            } else {
                format!("with sideways passes (long side {tilted_side})")
            };
            println!("  {what:<40} {hits:>3}/{n:<3} {:>5.1}%", pct((hits, n)));
        }
    }
    Ok(())
}
