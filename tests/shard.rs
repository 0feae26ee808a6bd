//! `scan --shard K/N` and `merge`: N parts merged give the report of one whole scan, and merge
//! refuses parts that do not make one whole.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The report, with the only field a whole scan and a merge may disagree on removed.
fn read_report(p: &Path) -> Value {
    let mut v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    v["summary"].as_object_mut().unwrap().remove("cache");
    v
}

fn run_ok(args: &[&str]) -> i32 {
    let out = prescreen(args);
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "prescreen {args:?}: exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    code
}

/// Scan `input` whole and in `n` parts; merge the parts; return (whole, merged, exit codes).
fn whole_and_merged(input: &Path, dir: &Path, n: u32, extra: &[&str]) -> (Value, Value) {
    let input_s = input.to_str().unwrap();
    let whole = dir.join("whole.json");
    let mut args = vec!["scan", input_s, "--json", whole.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    let whole_code = run_ok(&args);

    let mut parts: Vec<PathBuf> = Vec::new();
    // Merge takes its parts in any order.
    for k in (1..=n).rev() {
        let part = dir.join(format!("part-{k}.json"));
        let shard = format!("{k}/{n}");
        let mut args = vec![
            "scan",
            input_s,
            "--shard",
            &shard,
            "--json",
            part.to_str().unwrap(),
            "-q",
        ];
        args.extend_from_slice(extra);
        assert_eq!(run_ok(&args), 0, "a part that was scanned exits 0");
        let report = read_report(&part);
        assert_eq!(report["summary"]["shard"]["index"], k);
        assert_eq!(report["summary"]["passes"], false);
        parts.push(part);
    }
    let merged = dir.join("merged.json");
    let html = dir.join("merged.html");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend([
        "--json",
        merged.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    let merged_code = run_ok(&args);
    assert_eq!(
        merged_code, whole_code,
        "merge exits as the whole scan does"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("expected to train"));
    (read_report(&whole), read_report(&merged))
}

fn assert_same(whole: &Value, merged: &Value) {
    let (we, me) = (
        whole["examples"].as_array().unwrap(),
        merged["examples"].as_array().unwrap(),
    );
    assert_eq!(we.len(), me.len());
    for (w, m) in we.iter().zip(me) {
        assert_eq!(w, m, "example of line {}", w["line"]);
    }
    assert_eq!(whole["summary"], merged["summary"]);
    assert_eq!(whole, merged);
}

#[test]
fn three_parts_of_the_demo_merge_into_the_whole_scan() {
    let dir = tmp();
    let input = Path::new("fixtures/demo/train.jsonl");
    let (whole, merged) = whole_and_merged(input, dir.path(), 3, &[]);
    // Screened for real: the demo has content skips, which the parts must carry over.
    assert!(whole["summary"]["images_by_reason"]["contains_faces"].as_u64() > Some(0));
    assert_same(&whole, &merged);
}

/// A deterministic file of 10,500 lines: valid examples with and without images (several
/// formats and colour modes, one image over a part boundary's line), invalid JSON, rule
/// violations, blank lines, CRLF endings, a BOM, and no newline at the end.
fn mixed_file(dir: &Path) -> PathBuf {
    let images: Vec<String> = [
        ("image/png", "rgb.png"),
        ("image/jpeg", "rgb.jpg"),
        ("image/png", "l.png"),
        ("image/png", "p.png"),
        ("image/gif", "image.gif"),
        ("image/jpeg", "cmyk.jpg"),
        ("image/webp", "rgb.webp"),
        ("image/png", "corrupt_data.png"),
    ]
    .iter()
    .map(|(mime, name)| data_uri(mime, &fixture(name)))
    .collect();
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut out = Vec::new();
    out.extend_from_slice(b"\xEF\xBB\xBF");
    for i in 0..10_500u64 {
        let roll = next() % 100;
        let line = match roll {
            0..=29 => example(&[&images[(next() % images.len() as u64) as usize]]),
            30..=34 => {
                let a = &images[(next() % images.len() as u64) as usize];
                let b = &images[(next() % images.len() as u64) as usize];
                example(&[a, b])
            }
            35..=79 => format!(
                r#"{{"messages":[{{"role":"user","content":"Question {i}: {}?"}},{{"role":"assistant","content":"Ünïcödé answer {}"}}]}}"#,
                next() % 1_000_000_007,
                next() % 97
            ),
            80..=84 => ["not json", "{\"messages\": [", "[1, 2, 3]"][(next() % 3) as usize].into(),
            85..=91 => [
                r#"{"messages": []}"#,
                r#"{"messages": [{"role": "robot", "content": "hi"}]}"#,
                r#"{"messages": [{"role": "user", "content": "no answer"}]}"#,
            ][(next() % 3) as usize]
                .into(),
            _ => ["", "   "][(next() % 2) as usize].into(),
        };
        out.extend_from_slice(line.as_bytes());
        if i + 1 < 10_500 {
            out.extend_from_slice(if next() % 10 == 0 { b"\r\n" } else { b"\n" });
        }
    }
    let p = dir.join("mixed.jsonl");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn three_parts_of_a_mixed_ten_thousand_line_file_merge_into_the_whole_scan() {
    let dir = tmp();
    let input = mixed_file(dir.path());
    // Every image decoded and screened; a shared cache makes the repeated images cheap, and
    // the parts then read what the whole scan wrote, so cached and fresh results meet too.
    let cache = dir.path().join("cache");
    let (whole, merged) =
        whole_and_merged(&input, dir.path(), 3, &["--cache", cache.to_str().unwrap()]);
    let s = &whole["summary"];
    assert_eq!(s["examples"], 10_500);
    assert!(s["invalid_examples"].as_u64() > Some(500));
    assert!(s["images_by_reason"]["invalid_image_format"].as_u64() > Some(100));
    assert_same(&whole, &merged);
}

#[test]
fn more_parts_than_lines_leave_parts_empty_and_still_merge() {
    let dir = tmp();
    let input = write_jsonl(
        dir.path(),
        "three.jsonl",
        &[text_example(), "not json".into(), text_example()],
    );
    let (whole, merged) = whole_and_merged(&input, dir.path(), 5, &["--no-detect"]);
    assert_same(&whole, &merged);
    assert_eq!(merged["summary"]["invalid_examples"], 1);
}

fn part(input: &Path, dir: &Path, shard: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("p{}{}.json", shard.replace('/', "of"), extra.len()));
    let mut args = vec![
        "scan",
        input.to_str().unwrap(),
        "--shard",
        shard,
        "--json",
        out.to_str().unwrap(),
        "--no-detect",
        "-q",
        "--force",
    ];
    args.extend_from_slice(extra);
    assert_eq!(run_ok(&args), 0);
    out
}

fn merge_err(parts: &[&Path]) -> String {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let out = prescreen(&args);
    assert_eq!(out.status.code(), Some(2), "merge {parts:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn merge_refuses_parts_that_are_not_one_whole() {
    let dir = tmp();
    let lines: Vec<String> = (0..12).map(|_| text_example()).collect();
    let input = write_jsonl(dir.path(), "a.jsonl", &lines);
    let other = write_jsonl(dir.path(), "b.jsonl", &lines[..11]);
    let p1 = part(&input, dir.path(), "1/3", &[]);
    let p2 = part(&input, dir.path(), "2/3", &[]);
    let p3 = part(&input, dir.path(), "3/3", &[]);

    let e = merge_err(&[&p1, &p3]);
    assert!(e.contains("2/3 missing"), "{e}");
    let e = merge_err(&[&p1, &p2, &p2, &p3]);
    assert!(e.contains("more than once"), "{e}");

    let b2 = part(&other, dir.path(), "2/3", &[]);
    let e = merge_err(&[&p1, &b2, &p3]);
    assert!(e.contains("differ"), "{e}");

    let openai = part(&input, dir.path(), "2/3", &["--provider", "openai"]);
    let e = merge_err(&[&p1, &openai, &p3]);
    assert!(e.contains("differ"), "{e}");

    let half = part(&input, dir.path(), "1/2", &[]);
    let e = merge_err(&[&half, &p2, &p3]);
    assert!(e.contains("different splits"), "{e}");

    let whole = dir.path().join("whole.json");
    run_ok(&[
        "scan",
        input.to_str().unwrap(),
        "--no-detect",
        "--json",
        whole.to_str().unwrap(),
        "-q",
    ]);
    let e = merge_err(&[&whole]);
    assert!(e.contains("whole scan, not of a part"), "{e}");

    // A part's report is not a prediction of the file: filter wants the merged one.
    let out = prescreen(&[
        "filter",
        input.to_str().unwrap(),
        "-o",
        dir.path().join("out.jsonl").to_str().unwrap(),
        "--from-report",
        p1.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("merge all 3 parts"));
    assert!(!dir.path().join("out.jsonl").exists());
}

#[test]
fn a_bad_shard_is_refused_before_any_work() {
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let out = prescreen(&["scan", "fixtures/demo/train.jsonl", "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("shard"));
    }
    let out = prescreen(&[
        "scan",
        "fixtures/demo/train.jsonl",
        "--shard",
        "1/2",
        "--fail-fast",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fail-fast"));
}
