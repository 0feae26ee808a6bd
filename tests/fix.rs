//! `prescreen fix`: every repairable format problem is repaired (checked by decoding the
//! result and by scanning it again), untouched lines stay byte-exact, the rest is reported.

mod common;
use common::*;

const REPAIRABLE: &[&str] = &[
    "l.png",
    "la.png",
    "p.png",
    "p_transparency.png",
    "1bit.png",
    "i16.png",
    "l4.png",
    "cmyk.jpg",
    "l.jpg",
    "image.gif",
    "image.bmp",
    "image.tiff",
    "image.ico",
    "exif_orientation6.jpg",
];

fn decode_data_uri(url: &str) -> image::DynamicImage {
    let b64 = url.split_once(',').unwrap().1;
    image::load_from_memory(&base64_simd::STANDARD.decode_to_vec(b64).unwrap()).unwrap()
}

fn mean_rgb(img: &image::DynamicImage) -> [f64; 3] {
    let rgb = img.to_rgb8();
    let n = (rgb.width() * rgb.height()) as f64;
    let mut m = [0.0; 3];
    for p in rgb.pixels() {
        for c in 0..3 {
            m[c] += p[c] as f64 / n;
        }
    }
    m
}

#[test]
fn repairs_every_format_problem_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let ok = data_uri("image/png", &fixture("rgb.png"));
    let mut lines: Vec<String> = (0..12).map(|_| example(&[&ok])).collect();
    for name in REPAIRABLE {
        lines.push(example(&[&data_uri("image/png", &fixture(name))]));
    }
    // Over 10 MB: a noisy 2400×1800 PNG.
    let mut seed = 1u32;
    let noisy = image::RgbImage::from_fn(2400, 1800, |_, _| {
        seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
        image::Rgb([(seed >> 24) as u8, (seed >> 16) as u8, (seed >> 8) as u8])
    });
    let mut big = Vec::new();
    noisy
        .write_to(&mut std::io::Cursor::new(&mut big), image::ImageFormat::Png)
        .unwrap();
    assert!(big.len() > 10 * 1024 * 1024);
    lines.push(example(&[&data_uri("image/png", &big)]));
    // Not repairable: a truncated JPEG.
    lines.push(example(&[&data_uri(
        "image/jpeg",
        &fixture("truncated.jpg"),
    )]));
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let out = dir.path().join("fixed.jsonl");
    let changes = dir.path().join("changes.jsonl");
    let o = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--changes",
        changes.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);

    let before = std::fs::read_to_string(&input).unwrap();
    let after = std::fs::read_to_string(&out).unwrap();
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    assert_eq!(a.len(), b.len());
    assert_eq!(a[..12], b[..12], "untouched lines are byte-exact");
    assert_eq!(
        a.last(),
        b.last(),
        "the unrepairable line is left as it was"
    );

    // Scanning the result (full decode) finds no format or size problem but the truncated file.
    let (_, r) = scan_json(&out, &[]);
    assert_eq!(r["summary"]["skipped_images"], 1, "{}", r["summary"]);
    assert_eq!(
        r["examples"][lines.len() - 1]["images"][0]["reasons"][0],
        "invalid_image_format"
    );

    let url = |i: usize| -> String {
        let v: serde_json::Value = serde_json::from_str(a[i]).unwrap();
        v["messages"][1]["content"][1]["image_url"]["url"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let reference = mean_rgb(&image::load_from_memory(&fixture("rgb.png")).unwrap());
    for (k, name) in REPAIRABLE.iter().enumerate() {
        let img = decode_data_uri(&url(12 + k));
        if name.starts_with("exif") {
            assert_eq!(
                (img.width(), img.height()),
                (48, 64),
                "orientation 6 applied"
            );
        } else if *name != "image.ico" {
            // (An icon holds smaller renditions; its largest is used.)
            assert_eq!((img.width(), img.height()), (64, 48), "{name}");
        }
        if *name == "cmyk.jpg" || *name == "image.bmp" || *name == "image.tiff" {
            // Colours survive the conversion (Adobe's inverted CMYK included).
            let m = mean_rgb(&img);
            for c in 0..3 {
                assert!(
                    (m[c] - reference[c]).abs() < 12.0,
                    "{name}: {m:?} vs {reference:?}"
                );
            }
        }
        if name.contains("transparency") || name.starts_with("la") {
            assert!(img.color().has_alpha(), "{name} keeps its transparency");
        }
    }
    let big_fixed = decode_data_uri(&url(12 + REPAIRABLE.len()));
    assert!(big_fixed.width() <= 2400);
    let recs: Vec<serde_json::Value> = read_jsonl(&changes);
    assert_eq!(recs.len(), REPAIRABLE.len() + 2);
    assert_eq!(recs[0]["line"], 13);
    assert_eq!(recs[0]["changes"][0]["action"], "converted");
    assert_eq!(
        recs.last().unwrap()["not_repaired"][0]["action"],
        "unrepairable"
    );
}

#[test]
fn inline_and_detail() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.png"), fixture("rgb.png")).unwrap();
    let lines = vec![example(&["a.png"]), text_example()];
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let out = dir.path().join("fixed.jsonl");
    let o = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--inline",
        "--detail",
        "low",
    ]);
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let iu = &first["messages"][1]["content"][1]["image_url"];
    assert!(iu["url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    assert_eq!(iu["detail"], "low");
    assert_eq!(
        text.lines().nth(1).unwrap(),
        lines[1],
        "a text-only line is untouched"
    );
    // Refuses to write over its input, and over an existing output without --force.
    let o = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = prescreen(&["fix", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
