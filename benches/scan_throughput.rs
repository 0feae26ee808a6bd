//! Structure-and-header scan throughput: generates a ~1 GB JSONL of base64 images (cached in
//! target/bench/), runs `prescreen scan --no-detect` on it and prints MB/s and peak RSS.
//!
//!   cargo bench --bench scan_throughput            # 1 GB
//!   PRESCREEN_BENCH_MB=200 cargo bench --bench scan_throughput
//!
//! Target on a 2-core machine: ≥ 500 MB/s with peak RSS ≤ 300 MB.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use image::{ImageBuffer, Rgb};

#[path = "common/child.rs"]
mod child;
use child::measure;

/// A deterministic xorshift, so the data set is the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn images() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut out = Vec::new();
    for (i, &(w, h)) in [
        (640u32, 480u32),
        (1024, 768),
        (512, 384),
        (1280, 720),
        (800, 600),
        (400, 400),
    ]
    .iter()
    .enumerate()
    {
        // Gradients with a little noise: photo-like sizes (about 0.1–1 MB per image).
        let noise = 6 + (i as u64 * 5) % 10;
        let img = ImageBuffer::from_fn(w, h, |x, y| {
            let n = (rng.next() % noise) as u8;
            Rgb([
                (x % 256) as u8 ^ n,
                (y % 256) as u8 ^ n,
                ((x + y) % 256) as u8 ^ n,
            ])
        });
        let mut buf = std::io::Cursor::new(Vec::new());
        if i % 3 != 2 {
            let q = [90, 92, 0, 88, 85, 0][i];
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, q)
                .encode_image(&img)
                .unwrap();
            out.push(("image/jpeg", buf.into_inner()));
        } else {
            img.write_to(&mut buf, image::ImageFormat::Png).unwrap();
            out.push(("image/png", buf.into_inner()));
        }
    }
    out
}

fn build_dataset(path: &Path, target_bytes: u64) -> (u64, u64) {
    let imgs: Vec<(String, usize)> = images()
        .into_iter()
        .inspect(|(mime, b)| eprintln!("  {mime}: {} bytes", b.len()))
        .map(|(mime, b)| {
            (
                format!(
                    "data:{mime};base64,{}",
                    base64_simd::STANDARD.encode_to_string(&b)
                ),
                b.len(),
            )
        })
        .collect();
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    let (mut written, mut lines) = (0u64, 0u64);
    let mut rng = Rng(42);
    while written < target_bytes {
        let n = 1 + (rng.next() % 3) as usize;
        let mut line = String::from(
            r#"{"messages":[{"role":"system","content":"You label product photos."},{"role":"user","content":[{"type":"text","text":"Which product is shown?"}"#,
        );
        for _ in 0..n {
            let (uri, _) = &imgs[(rng.next() % imgs.len() as u64) as usize];
            line.push_str(r#",{"type":"image_url","image_url":{"detail":"low","url":""#);
            line.push_str(uri);
            line.push_str(r#""}}"#);
        }
        line.push_str(r#"]},{"role":"assistant","content":"A patterned ceramic tile."}]}"#);
        line.push('\n');
        w.write_all(line.as_bytes()).unwrap();
        written += line.len() as u64;
        lines += 1;
    }
    w.flush().unwrap();
    (written, lines)
}

fn main() {
    let mb: u64 = std::env::var("PRESCREEN_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join(format!("scan-v3-{mb}mb.jsonl"));
    let target = mb * 1024 * 1024;
    if std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0) < target {
        let t = Instant::now();
        let (bytes, lines) = build_dataset(&data, target);
        eprintln!(
            "generated {} ({bytes} bytes, {lines} lines) in {:.1}s",
            data.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&data).unwrap().len();
    let bin = env!("CARGO_BIN_EXE_prescreen");
    let report = dir.join("scan-report.json");
    let args = [
        "scan",
        data.to_str().unwrap(),
        "--no-detect",
        "--quiet",
        "--json",
        report.to_str().unwrap(),
        "--force",
    ];
    // Warm the page cache so the figure is the scanner's, not the disk's.
    let _ = std::io::copy(&mut File::open(&data).unwrap(), &mut std::io::sink());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "prescreen scan --no-detect on {:.0} MB ({cores} cores)",
        bytes as f64 / 1e6
    );
    for run_no in 1..=3 {
        let run = measure(Command::new(bin).args(args));
        println!(
            "run {run_no}: {:.2}s  {:.0} MB/s  peak RSS {:.0} MB  exit {}",
            run.secs,
            bytes as f64 / 1e6 / run.secs,
            run.rss_mb,
            run.code.map_or("by a signal".to_owned(), |c| c.to_string())
        );
    }
}
