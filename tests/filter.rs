//! `prescreen filter`: byte-exact kept lines, both policies, the rejected file, atomic and
//! refusing writes, idempotence and stale-report refusal.

mod common;
use common::*;
use std::path::Path;

fn ok_png() -> String {
    data_uri("image/png", &fixture("rgb.png"))
}
fn gray_png() -> String {
    data_uri("image/png", &fixture("l.png"))
}

/// 12 clean lines in unusual but valid formatting, plus the given problem lines, CRLF + BOM.
fn dataset(dir: &Path, extra: &[String]) -> std::path::PathBuf {
    let mut lines: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{ "messages" : [ {{"content": [{{"type":"image_url","image_url":{{"url":"{}"}}}}], "role":"user"}}, {{"role":"assistant","content":"n{i}"}} ], "z": 1 }}"#,
                ok_png()
            )
        })
        .collect();
    lines.extend_from_slice(extra);
    let mut text = String::from("\u{feff}");
    text.push_str(&lines.join("\r\n"));
    text.push_str("\r\n");
    let p = dir.join("train.jsonl");
    std::fs::write(&p, text).unwrap();
    p
}

fn filter(args: &[&str]) -> std::process::Output {
    let mut a = vec!["filter"];
    a.extend_from_slice(args);
    // A report already holds the predictions: scan flags are refused beside it. The reports
    // here are made with --no-detect (fast), which filter refuses unless told to accept it.
    if args.contains(&"--from-report") {
        a.push("--accept-report-options");
    } else {
        a.push("--no-detect");
    }
    prescreen(&a)
}

#[test]
fn example_policy_keeps_lines_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(
        dir.path(),
        &[example(&[&ok_png(), &gray_png()]), "{broken".into()],
    );
    let out = dir.path().join("clean.jsonl");
    let rej = dir.path().join("rejected.jsonl");
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--rejected",
        rej.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let original = std::fs::read(&input).unwrap();
    let written = std::fs::read(&out).unwrap();
    // The first 12 lines, BOM and CRLF included, are exactly the input's.
    let twelve_end = original
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == b"\r\n")
        .nth(11)
        .unwrap()
        .0
        + 2;
    assert_eq!(written, original[..twelve_end]);
    let rejected: Vec<serde_json::Value> = read_jsonl(&rej);
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0]["line"], 13);
    assert_eq!(rejected[0]["reasons"][0], "invalid_image_format");
    assert_eq!(rejected[0]["images"][0]["index"], 1);
    assert!(rejected[0]["original"]
        .as_str()
        .unwrap()
        .contains("messages"));
    assert_eq!(rejected[1]["line"], 14);
    assert_eq!(rejected[1]["errors"][0]["code"], "invalid_json");
    assert_eq!(rejected[1]["original"], "{broken");
}

#[test]
fn image_policy_removes_only_the_skipped_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(
        dir.path(),
        &[example(&[&ok_png(), &gray_png()]), example(&[&gray_png()])],
    );
    let out = dir.path().join("clean.jsonl");
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--policy",
        "image",
    ]);
    assert_exit(&o, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 13, "the all-gray example is dropped");
    let rewritten: serde_json::Value = serde_json::from_str(lines[12]).unwrap();
    let blocks = rewritten["messages"][1]["content"].as_array().unwrap();
    assert_eq!(blocks.len(), 2, "text block and the good image remain");
    assert_eq!(blocks[1]["image_url"]["url"], ok_png());
    // Keys keep their original order.
    assert!(
        lines[12].starts_with(r#"{"messages":[{"role":"system""#),
        "{}",
        &lines[12][..60]
    );

    // --keep-text-only keeps the example whose only image was removed.
    let out2 = dir.path().join("clean2.jsonl");
    filter(&[
        input.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
        "--policy",
        "image",
        "--keep-text-only",
    ]);
    assert_eq!(
        std::fs::read_to_string(&out2)
            .unwrap()
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .count(),
        14
    );
}

#[test]
fn filtering_twice_removes_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path(), &[example(&[&ok_png(), &gray_png()])]);
    for policy in ["example", "image"] {
        let once = dir.path().join(format!("once-{policy}.jsonl"));
        let twice = dir.path().join(format!("twice-{policy}.jsonl"));
        filter(&[
            input.to_str().unwrap(),
            "-o",
            once.to_str().unwrap(),
            "--policy",
            policy,
        ]);
        let o = filter(&[
            once.to_str().unwrap(),
            "-o",
            twice.to_str().unwrap(),
            "--policy",
            policy,
        ]);
        assert!(String::from_utf8_lossy(&o.stdout).contains("removed 0 example(s) and 0 image(s)"));
        assert_eq!(
            std::fs::read(&once).unwrap(),
            std::fs::read(&twice).unwrap(),
            "{policy}"
        );
    }
}

#[test]
fn refuses_to_overwrite_input_or_existing_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path(), &[]);
    let before = std::fs::read(&input).unwrap();
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let out = dir.path().join("exists.jsonl");
    std::fs::write(&out, "keep me").unwrap();
    let o = filter(&[input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn a_failure_midway_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path(), &[]);
    let before = std::fs::read(&input).unwrap();
    let report = dir.path().join("report.json");
    let (_, mut r) = scan_json(&input, &["--no-detect"]);
    // A report that ends early makes the filter fail after writing several lines.
    r["examples"].as_array_mut().unwrap().truncate(5);
    std::fs::write(&report, serde_json::to_vec(&r).unwrap()).unwrap();
    let out = dir.path().join("out.jsonl");
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--from-report",
        report.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
}

#[test]
fn reuses_a_report_and_refuses_a_stale_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path(), &[example(&[&gray_png()])]);
    let report = input.with_extension("report.json");
    scan_json(&input, &["--no-detect"]);
    let out = dir.path().join("out.jsonl");
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--from-report",
        report.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    assert_eq!(
        std::fs::read_to_string(&out)
            .unwrap()
            .matches("\r\n")
            .count(),
        12
    );
    // Change one byte of the input: the report no longer describes it.
    let mut bytes = std::fs::read(&input).unwrap();
    let pos = bytes.iter().position(|&b| b == b'n').unwrap();
    bytes[pos] = b'N';
    std::fs::write(&input, bytes).unwrap();
    let o = filter(&[
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
        "--from-report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("different version"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn exits_1_when_fewer_than_10_remain() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (0..12)
        .map(|i| {
            if i < 4 {
                example(&[&gray_png()])
            } else {
                example(&[&ok_png()])
            }
        })
        .collect();
    let input = write_jsonl(dir.path(), "few.jsonl", &lines);
    let out = dir.path().join("out.jsonl");
    let o = filter(&[input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("only 8 example(s) remain"));
    assert!(out.exists(), "the filtered file is still written");
}

#[test]
fn a_report_made_with_other_options_is_refused_unless_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path(), &[example(&[&gray_png()])]);
    let report = input.with_extension("report.json");
    let out = dir.path().join("out.jsonl");
    let run = |extra: &[&str]| {
        let mut a = vec![
            "filter",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--force",
            "--from-report",
            report.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        prescreen(&a)
    };
    for (scan_flags, says) in [
        (vec!["--no-detect"], "--no-detect"),
        (vec!["--no-detect", "--offline"], "--offline"),
        (
            vec!["--no-detect", "--provider", "openai"],
            "made for openai",
        ),
        (
            vec!["--no-detect", "--face-threshold", "0.9"],
            "face threshold is 0.9",
        ),
    ] {
        scan_json(&input, &scan_flags);
        let o = run(&[]);
        assert_eq!(o.status.code(), Some(2), "{scan_flags:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(says) && err.contains("--accept-report-options"),
            "{err}"
        );
        assert!(!out.exists());
    }
    // Accepted on request, and a report for the provider the filter targets matches it.
    assert_exit(&run(&["--accept-report-options"]), 0);
    scan_json(&input, &["--no-detect", "--provider", "openai"]);
    let o = run(&["--provider", "openai"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("made for"), "{err}");
}
