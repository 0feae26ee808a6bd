//! `prescreen scan` end to end: structure rules, image rules, both drop policies, exit codes,
//! the JSON report contract, and parallel runs equal to serial ones.

mod common;
use common::*;

fn ok_png() -> String {
    data_uri("image/png", &fixture("rgb.png"))
}

fn padded(mut lines: Vec<String>, n: usize) -> Vec<String> {
    while lines.len() < n {
        lines.push(example(&[&ok_png()]));
    }
    lines
}

#[test]
fn clean_file_passes_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "clean.jsonl", &padded(vec![], 12));
    let (code, r) = scan_json(&input, &[]);
    assert_eq!(code, 0);
    let s = &r["summary"];
    assert_eq!(s["examples"], 12);
    assert_eq!(s["images"], 12);
    assert_eq!(s["skipped_images"], 0);
    assert_eq!(s["expected_trained_examples"]["example_level"], 12);
    assert_eq!(s["expected_trained_examples"]["image_level"], 12);
    assert_eq!(s["minimum_examples"], 10);
    assert_eq!(s["passes"], true);
}

#[test]
fn report_has_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "f.jsonl", &padded(vec![], 10));
    let (_, r) = scan_json(&input, &[]);
    assert_eq!(r["schema_version"], "1.0");
    assert_eq!(r["provider"], "azure");
    for k in [
        "examples",
        "invalid_examples",
        "examples_with_images",
        "images",
        "skipped_images",
        "minimum_examples",
    ] {
        assert!(r["summary"][k].is_u64(), "summary.{k}");
    }
    for k in ["image_level", "example_level"] {
        assert!(r["summary"]["expected_trained_examples"][k].is_u64());
    }
    let ex = &r["examples"][0];
    assert_eq!(ex["line"], 1);
    assert_eq!(ex["status"], "ok");
    assert!(ex["reasons"].is_array() && ex["errors"].is_array());
    let img = &ex["images"][0];
    assert_eq!(img["index"], 0);
    assert_eq!(img["status"], "ok");
    assert!(img["reasons"].is_array() && img["warnings"].is_array() && img["scores"].is_object());
    // 64×48 at detail high: one tile.
    assert_eq!(img["tokens"], 255);
    assert_eq!(img["mode"], "RGB");
    assert_eq!(img["format"], "PNG");
}

#[test]
fn skipped_images_under_both_policies() {
    let dir = tempfile::tempdir().unwrap();
    let gray = data_uri("image/png", &fixture("l.png"));
    let gif = data_uri("image/gif", &fixture("image.gif"));
    let lines = padded(
        vec![
            example(&[&ok_png(), &gray]), // one of two images skipped
            example(&[&gif]),             // its only image skipped
        ],
        12,
    );
    let input = write_jsonl(dir.path(), "mixed.jsonl", &lines);
    let (code, r) = scan_json(&input, &[]);
    let s = &r["summary"];
    assert_eq!(s["skipped_images"], 2);
    assert_eq!(s["expected_trained_examples"]["example_level"], 10);
    assert_eq!(s["expected_trained_examples"]["image_level"], 12);
    assert_eq!(r["examples"][0]["status"], "skipped");
    assert_eq!(reasons(&r["examples"][0]), vec!["invalid_image_format"]);
    assert_eq!(image(&r, 0, 0)["status"], "ok");
    assert_eq!(image(&r, 0, 1)["status"], "skipped");
    assert_eq!(image(&r, 0, 1)["mode"], "L");
    assert_eq!(code, 0, "10 examples remain under the example-level policy");
}

#[test]
fn below_minimum_after_skips_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let cmyk = data_uri("image/jpeg", &fixture("cmyk.jpg"));
    let mut lines = vec![example(&[&cmyk]); 3];
    lines = padded(lines, 12);
    let input = write_jsonl(dir.path(), "few.jsonl", &lines);
    let (code, r) = scan_json(&input, &[]);
    assert_eq!(
        r["summary"]["expected_trained_examples"]["example_level"],
        9
    );
    assert_eq!(r["summary"]["meets_minimum"]["example_level"], false);
    assert_eq!(r["summary"]["meets_minimum"]["image_level"], true);
    assert_eq!(code, 1);
}

#[test]
fn invalid_lines_are_located_and_fail_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let lines = padded(
        vec![
            r#"{"messages": [{"role": "user", "content": "hi"},"#.to_owned(),
            r#"{"messages":[{"content":"x"},{"role":"assistant","content":"a"}]}"#.to_owned(),
        ],
        14,
    );
    let input = write_jsonl(dir.path(), "bad.jsonl", &lines);
    let out = prescreen(&["scan", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line 1: invalid: line contains invalid json"),
        "{text}"
    );
    assert!(
        text.contains("line 2: invalid: message 0: Discriminator 'role' is missing"),
        "{text}"
    );
    let (_, r) = scan_json(&input, &[]);
    assert_eq!(r["summary"]["invalid_examples"], 2);
    assert_eq!(r["examples"][1]["errors"][0]["code"], "missing_role");
    assert_eq!(r["examples"][1]["errors"][0]["message_index"], 0);
    // The scan went on past the bad lines.
    assert_eq!(r["examples"].as_array().unwrap().len(), 14);
}

#[test]
fn too_many_images_depends_on_the_provider_profile() {
    let dir = tempfile::tempdir().unwrap();
    let png = ok_png();
    let eleven: Vec<&str> = vec![png.as_str(); 11];
    let lines = padded(vec![example(&eleven)], 12);
    let input = write_jsonl(dir.path(), "many.jsonl", &lines);
    let (_, azure) = scan_json(&input, &["--provider", "azure"]);
    assert_eq!(azure["examples"][0]["status"], "ok");
    let (_, openai) = scan_json(&input, &["--provider", "openai"]);
    assert_eq!(openai["examples"][0]["status"], "skipped");
    assert_eq!(reasons(&openai["examples"][0]), vec!["too_many_images"]);
    // An example-level reason drops the example under both policies.
    assert_eq!(
        openai["summary"]["expected_trained_examples"]["image_level"],
        11
    );
    assert_eq!(openai["profile"]["max_images_per_example"], 10);
}

#[test]
fn data_uri_problems() {
    let dir = tempfile::tempdir().unwrap();
    let lines = padded(
        vec![
            example(&["data:image/png;base64,iVBORw0K*GgoAAAA"]),
            example(&[&data_uri("image/png", &fixture("rgb.jpg"))]),
            example(&["data:image/png,rawbytes"]),
        ],
        12,
    );
    let input = write_jsonl(dir.path(), "data.jsonl", &lines);
    let (_, r) = scan_json(&input, &[]);
    assert_eq!(reasons(image(&r, 0, 0)), vec!["invalid_image_format"]);
    assert!(image(&r, 0, 0)["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("offset 8"));
    assert_eq!(image(&r, 1, 0)["status"], "ok");
    assert_eq!(
        image(&r, 1, 0)["warnings"][0]["code"],
        "declared_type_mismatch"
    );
    assert_eq!(reasons(image(&r, 2, 0)), vec!["invalid_image_format"]);
}

#[test]
fn size_and_pixel_limits() {
    let dir = tempfile::tempdir().unwrap();
    // Over 10 MB: a valid PNG followed by padding.
    let mut big = fixture("rgb.png");
    big.resize(10 * 1024 * 1024 + 1, 0);
    // A PNG header claiming 20000×20000 pixels: refused from the header, never allocated.
    let mut bomb = fixture("rgb.png");
    bomb[16..20].copy_from_slice(&20000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&20000u32.to_be_bytes());
    std::fs::write(dir.path().join("bomb.png"), &bomb).unwrap();
    let lines = padded(
        vec![
            example(&[&data_uri("image/png", &big)]),
            example(&["bomb.png"]),
            example(&["does-not-exist.png"]),
        ],
        12,
    );
    let input = write_jsonl(dir.path(), "size.jsonl", &lines);
    let (_, r) = scan_json(&input, &[]);
    assert_eq!(reasons(image(&r, 0, 0)), vec!["image_too_large"]);
    assert_eq!(reasons(image(&r, 1, 0)), vec!["invalid_image_format"]);
    assert!(image(&r, 1, 0)["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("decompression-bomb"));
    assert_eq!(image(&r, 1, 0)["source"], "path");
    assert_eq!(image(&r, 1, 0)["warnings"][0]["code"], "local_path");
    assert_eq!(reasons(image(&r, 2, 0)), vec!["inaccessible_url"]);
}

#[test]
fn bom_crlf_and_no_final_newline() {
    let dir = tempfile::tempdir().unwrap();
    let lines = padded(vec![], 11);
    let mut text = String::from("\u{feff}");
    text.push_str(&lines.join("\r\n"));
    let p = dir.path().join("crlf.jsonl");
    std::fs::write(&p, text).unwrap();
    let (code, r) = scan_json(&p, &[]);
    assert_eq!(code, 0);
    assert_eq!(r["summary"]["examples"], 11);
    assert_eq!(r["summary"]["invalid_examples"], 0);
}

#[test]
fn too_few_examples_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "tiny.jsonl", &padded(vec![], 9));
    let (code, r) = scan_json(&input, &[]);
    assert_eq!(code, 1);
    assert_eq!(r["summary"]["file_errors"][0]["code"], "too_few_examples");
}

#[test]
fn too_many_examples_with_images_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let line = example(&[&ok_png()]);
    let lines = vec![line; 50_001];
    let input = write_jsonl(dir.path(), "huge.jsonl", &lines);
    let (code, r) = scan_json(&input, &["--no-detect"]);
    assert_eq!(code, 1);
    assert_eq!(r["summary"]["examples_with_images"], 50_001);
    assert_eq!(
        r["summary"]["file_errors"][0]["code"],
        "too_many_examples_with_images"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(
        prescreen(&["scan", "/nonexistent/file.jsonl"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(prescreen(&["scan"]).status.code(), Some(2));
    assert_eq!(prescreen(&["frobnicate"]).status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "a.jsonl", &padded(vec![], 10));
    let out = prescreen(&["scan", input.to_str().unwrap(), "--jobs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    // The report is never written over the input.
    let out = prescreen(&[
        "scan",
        input.to_str().unwrap(),
        "--json",
        input.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing"));
    assert!(std::fs::read_to_string(&input)
        .unwrap()
        .starts_with("{\"messages\""));
}

#[test]
fn json_to_stdout_keeps_the_summary_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "a.jsonl", &padded(vec![], 10));
    let out = prescreen(&["scan", input.to_str().unwrap(), "--json", "-"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is the report");
    assert_eq!(r["summary"]["examples"], 10);
    assert!(String::from_utf8_lossy(&out.stderr).contains("verdict:"));
}

#[test]
fn fail_fast_stops_at_the_first_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = padded(vec![], 5);
    lines.push("not json".into());
    let lines = padded(lines, 20);
    let input = write_jsonl(dir.path(), "ff.jsonl", &lines);
    let (code, r) = scan_json(&input, &["--fail-fast"]);
    assert_eq!(code, 1);
    assert_eq!(r["examples"].as_array().unwrap().len(), 6);
    assert_eq!(r["summary"]["stopped_at_line"], 6);
}

#[test]
fn parallel_equals_serial_on_a_mixed_file() {
    let dir = tempfile::tempdir().unwrap();
    let srv = Server::start();
    let names = [
        "rgb.png",
        "l.png",
        "cmyk.jpg",
        "rgb.webp",
        "animated.webp",
        "truncated.jpg",
        "image.gif",
        "rgba16.png",
        "exif_orientation6.jpg",
        "p.png",
    ];
    let mut lines = Vec::new();
    for i in 0..150 {
        let a = names[i % names.len()];
        let b = names[(i * 7 + 3) % names.len()];
        let line = match i % 13 {
            0 => "{broken".to_owned(),
            1 => text_example(),
            2 => example(&[&srv.url("/ok.png"), &srv.url("/missing.png")]),
            3 => example(&[&format!("../formats/{a}")]),
            _ => example(&[
                &data_uri("image/png", &fixture(a)),
                &data_uri("image/png", &fixture(b)),
            ]),
        };
        lines.push(line);
    }
    // Paths are relative to the JSONL: put it beside fixtures/formats.
    let work = dir.path().join("set");
    std::fs::create_dir(&work).unwrap();
    std::fs::create_dir(dir.path().join("formats")).unwrap();
    for n in names {
        std::fs::write(dir.path().join("formats").join(n), fixture(n)).unwrap();
    }
    let input = write_jsonl(&work, "mixed.jsonl", &lines);
    let flags = ["--allow-private-urls"];
    let run = |extra: &[&str]| {
        let mut f = flags.to_vec();
        f.extend_from_slice(extra);
        scan_json(&input, &f)
    };
    let (c1, serial) = run(&["--jobs", "1"]);
    let (c4, parallel) = run(&["--jobs", "4", "--window-lines", "7"]);
    assert_eq!(c1, c4);
    assert_eq!(serial["examples"], parallel["examples"]);
    assert_eq!(serial["summary"], parallel["summary"]);
    let s = &serial["summary"];
    assert!(s["skipped_images"].as_u64().unwrap() > 20, "{s}");
    assert!(s["invalid_examples"].as_u64().unwrap() > 5, "{s}");
}

#[test]
fn a_line_of_hundreds_of_mb_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    // One 150 MB image (base64 ≈ 200 MB on one line): over the size limit, found without
    // holding more than the line itself.
    let mut huge = fixture("rgb.png");
    huge.resize(150 * 1024 * 1024, 7);
    let lines = padded(vec![example(&[&data_uri("image/png", &huge)])], 11);
    drop(huge);
    let input = write_jsonl(dir.path(), "long.jsonl", &lines);
    drop(lines);
    assert!(std::fs::metadata(&input).unwrap().len() > 200 * 1024 * 1024);
    let (code, r) = scan_json(&input, &["--no-detect"]);
    assert_eq!(reasons(image(&r, 0, 0)), vec!["image_too_large"]);
    assert_eq!(image(&r, 0, 0)["bytes"], 150 * 1024 * 1024);
    assert_eq!(code, 0);
}

#[test]
fn many_urls_in_one_window_are_all_fetched() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..45)
        .map(|i| {
            let a = srv.url(&format!("/ok.png?{i}"));
            let b = srv.url("/missing.png");
            example(&[&a, &b])
        })
        .collect();
    let input = write_jsonl(dir.path(), "many-urls.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--allow-private-urls"]);
    for i in 0..45 {
        assert_eq!(image(&r, i, 0)["status"], "ok", "example {i}");
        assert_eq!(reasons(image(&r, i, 1)), vec!["inaccessible_url"]);
    }
}
