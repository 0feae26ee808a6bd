//! Hostile input cannot hurt: odd URL schemes are never opened as files, special files are
//! never read, credentials and local file contents never reach a report.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Run prescreen, failing the test instead of hanging if it takes longer than `limit`.
fn prescreen_within(args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("{args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn padded(lines: Vec<String>) -> Vec<String> {
    let ok = data_uri("image/png", &fixture("rgb.png"));
    let mut all = lines;
    while all.len() < 12 {
        all.push(example(&[&ok]));
    }
    all
}

#[test]
fn other_url_schemes_are_inaccessible_never_local_paths() {
    let dir = tempfile::tempdir().unwrap();
    let urls = [
        "ftp://example.com/a.png",
        "javascript:alert(1)",
        "gopher://example.com/a",
        "",
        "file:///etc/hostname",
    ];
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &padded(urls.iter().map(|u| example(&[u])).collect()),
    );
    let (_, r) = scan_json(&input, &["--no-detect"]);
    for (i, u) in urls.iter().enumerate() {
        let img = image(&r, i, 0);
        assert_eq!(reasons(img), ["inaccessible_url"], "{u:?}: {img}");
        assert!(
            img["warnings"].as_array().unwrap().is_empty(),
            "{u:?} was treated as a local path: {img}"
        );
        assert_eq!(img["source"], "url", "{u:?}");
    }
    let detail = image(&r, 0, 0)["findings"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("unsupported URL scheme ftp"), "{detail}");
    assert!(image(&r, 3, 0)["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("empty"));
}

#[test]
fn credentials_in_urls_never_reach_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let with_auth = server
        .url("/missing.png")
        .replacen("http://", "http://alice:s3cr3t-pw@", 1);
    let lines = padded(vec![
        example(&["https://bob:hunter2-pw@10.0.0.1/a.png"]),
        example(&[&with_auth]),
    ]);
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let report = input.with_extension("report.json");
    let html = dir.path().join("r.html");
    let o = prescreen(&[
        "scan",
        input.to_str().unwrap(),
        "--no-detect",
        "--allow-private-urls",
        "--json",
        report.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    for text in [
        std::fs::read_to_string(&report).unwrap(),
        std::fs::read_to_string(&html).unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    ] {
        assert!(!text.contains("hunter2-pw") && !text.contains("s3cr3t-pw"));
    }
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        image(&r, 0, 0)["location"],
        "https://***@10.0.0.1/a.png",
        "the location keeps everything but the credentials"
    );
    assert_eq!(reasons(image(&r, 1, 0)), ["inaccessible_url"]);
}

#[test]
fn special_files_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.png");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::fs::create_dir(dir.path().join("folder.png")).unwrap();
    let lines = padded(vec![
        example(&["/dev/zero"]),
        example(&["pipe.png"]),
        example(&["folder.png"]),
    ]);
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let report = input.with_extension("report.json");
    let o = prescreen_within(
        &[
            "scan",
            input.to_str().unwrap(),
            "--no-detect",
            "--json",
            report.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    for i in 0..3 {
        let img = image(&r, i, 0);
        assert_eq!(reasons(img), ["inaccessible_url"], "{img}");
        assert!(
            img["findings"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("not read"),
            "{img}"
        );
    }
    // fix reads through the same stage: it finishes too and leaves those lines alone.
    let out = dir.path().join("fixed.jsonl");
    let o = prescreen_within(
        &[
            "fix",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--inline",
        ],
        Duration::from_secs(60),
    );
    assert_exit(&o, 0);
    let fixed = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        fixed.lines().take(3).collect::<Vec<_>>(),
        lines[..3].iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[test]
fn a_local_file_that_is_not_an_image_is_named_by_type_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes.png"),
        "root:x:0:0:password=hunter2:/root:/bin/bash\n",
    )
    .unwrap();
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &padded(vec![example(&["notes.png"])]),
    );
    let (_, r) = scan_json(&input, &["--no-detect"]);
    let text = r.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains("root:x"),
        "{text}"
    );
    assert_eq!(reasons(image(&r, 0, 0)), ["invalid_image_format"]);
    assert!(image(&r, 0, 0)["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("text, not an image"));
}

/// A 1,000-byte run-length BMP whose header claims 30000×30000 (2.7 GB of pixels).
fn bmp_bomb() -> Vec<u8> {
    let (w, h) = (30_000i32, 30_000i32);
    let data = [0u8, 1]; // RLE8 "end of bitmap"
    let offset = 14 + 40 + 1024;
    let mut b = Vec::new();
    b.extend_from_slice(b"BM");
    b.extend_from_slice(&((offset + data.len()) as u32).to_le_bytes());
    b.extend_from_slice(&[0; 4]);
    b.extend_from_slice(&(offset as u32).to_le_bytes());
    b.extend_from_slice(&40u32.to_le_bytes());
    b.extend_from_slice(&w.to_le_bytes());
    b.extend_from_slice(&h.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8u16.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes()); // BI_RLE8
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(&[0; 16]);
    b.extend_from_slice(&[0; 1024]);
    b.extend_from_slice(&data);
    b
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &padded(vec![example(&[&data_uri("image/bmp", &bmp_bomb())])]),
    );
    let out = dir.path().join("fixed.jsonl");
    let changes = dir.path().join("changes.jsonl");
    let o = prescreen_within(
        &[
            "fix",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--changes",
            changes.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert_exit(&o, 0);
    let recs = read_jsonl(&changes);
    let why = recs[0]["not_repaired"][0]["detail"].as_str().unwrap();
    assert!(why.contains("decompression-bomb"), "{why}");
    // The HTML report's thumbnail of a format-skipped image goes through the same limit.
    let html = dir.path().join("r.html");
    let o = prescreen_within(
        &[
            "scan",
            input.to_str().unwrap(),
            "--no-detect",
            "--html",
            html.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
}

#[test]
fn nesting_and_number_text_survive_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let gray = data_uri("image/png", &fixture("l.png"));
    let ok = data_uri("image/png", &fixture("rgb.png"));
    // Deep but within the provider's parser, with numbers serde_json would rewrite.
    let mut v: serde_json::Value = serde_json::from_str(&example(&[&ok, &gray])).unwrap();
    v["meta"] = serde_json::json!("PLACEHOLDER");
    let deep_ok = v.to_string().replace(
        "\"PLACEHOLDER\"",
        &format!(
            r#"{{"id":12345678901234567890123,"scale":1e2,"tree":{}}}"#,
            nested(500)
        ),
    );
    // Past it: invalid for every command alike.
    let too_deep = format!(r#"{{"messages":[],"x":{}}}"#, nested(2000));
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &padded(vec![deep_ok.clone(), too_deep]),
    );
    let (_, r) = scan_json(&input, &["--no-detect"]);
    assert_eq!(
        r["examples"][0]["status"], "skipped",
        "{}",
        r["examples"][0]
    );
    assert_eq!(r["examples"][1]["status"], "invalid");
    assert!(r["examples"][1]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("nested more than"));

    let out = dir.path().join("filtered.jsonl");
    let rejected = dir.path().join("rejected.jsonl");
    let o = prescreen_within(
        &[
            "filter",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--rejected",
            rejected.to_str().unwrap(),
            "--policy",
            "image",
            "--no-detect",
        ],
        Duration::from_secs(60),
    );
    assert_exit(&o, 0);
    let first = std::fs::read_to_string(&out).unwrap();
    let first = first.lines().next().unwrap();
    assert!(
        first.contains("12345678901234567890123") && first.contains("\"scale\":1e2"),
        "numbers keep their text: {}",
        &first[first.len().saturating_sub(300)..]
    );
    assert!(first.contains(&nested(500)));
    assert!(!first.contains(&gray) && first.contains(&ok));

    let fixed = dir.path().join("fixed.jsonl");
    let o = prescreen_within(
        &[
            "fix",
            input.to_str().unwrap(),
            "-o",
            fixed.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    assert_exit(&o, 0);
    let first = std::fs::read_to_string(&fixed).unwrap();
    let first = first.lines().next().unwrap();
    assert!(first.contains("12345678901234567890123") && first.contains("\"scale\":1e2"));
    assert!(!first.contains(&gray), "the gray image was converted");
}

#[test]
fn a_rejected_line_that_is_not_utf8_keeps_every_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = br#"{"messages":[{"role":"user","content":"caf"#.to_vec();
    bad.extend_from_slice(&[0xE9, 0xFF]);
    bad.extend_from_slice(br#""},{"role":"assistant","content":"a"}]}"#);
    let mut text = Vec::new();
    for l in padded(vec![]) {
        text.extend_from_slice(l.as_bytes());
        text.push(b'\n');
    }
    text.extend_from_slice(&bad);
    text.push(b'\n');
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("out.jsonl");
    let rejected = dir.path().join("rejected.jsonl");
    let o = prescreen(&[
        "filter",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--rejected",
        rejected.to_str().unwrap(),
        "--no-detect",
    ]);
    assert_exit(&o, 0);
    let recs = read_jsonl(&rejected);
    assert_eq!(recs.len(), 1);
    let b64 = recs[0]["original_base64"].as_str().unwrap();
    assert_eq!(base64_simd::STANDARD.decode_to_vec(b64).unwrap(), bad);
}

/// Peak resident memory of the largest child this process has waited for, in bytes.
fn children_peak_rss() -> u64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss as u64 * 1024
}

#[test]
fn huge_legal_images_are_decoded_within_a_budget() {
    let dir = tempfile::tempdir().unwrap();
    // 13000×13000 is under Pillow's limit; flat, so the PNG is small and the file legal.
    let side = 13_000;
    // RGBA: the worst case, 4 bytes a pixel decoded and 3 more for the screens' RGB copy.
    let img = image::RgbaImage::from_pixel(side, side, image::Rgba([40, 90, 160, 255]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    drop(img);
    assert!(png.len() < 10 << 20);
    let uri = data_uri("image/png", &png);
    // Eight, as in the issue that found 6.5 GB taken for them.
    let lines = padded((0..8).map(|_| example(&[&uri])).collect());
    let input = write_jsonl(dir.path(), "huge.jsonl", &lines);
    let report = input.with_extension("report.json");
    let o = prescreen_within(
        &[
            "scan",
            input.to_str().unwrap(),
            "-j",
            "2",
            "--json",
            report.to_str().unwrap(),
        ],
        Duration::from_secs(600),
    );
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    let peak = children_peak_rss();
    eprintln!(
        "peak RSS scanning 8 RGBA images of 13000×13000 at -j 2, every screen: {} MB",
        peak >> 20
    );
    // Decoded one at a time and screened from a 4096 × 4096 copy, in face tiles: one whole
    // image decoded per worker would be 2 × 1.2 GB before the models.
    assert!(peak < 1536 << 20, "peak RSS {} MB", peak >> 20);
}
