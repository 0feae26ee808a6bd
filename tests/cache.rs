//! The result cache: a re-scan reads unchanged images from it and reports exactly what a
//! fresh scan does; images are cached by their bytes; two scans can share it at once; a
//! file that is not a prescreen cache is reported and left alone.

mod common;
use common::*;

use std::path::Path;

fn cached_scan(input: &Path, cache: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--cache", cache.to_str().unwrap()];
    args.extend_from_slice(extra);
    scan_json(input, &args).1
}

fn from_cache(r: &serde_json::Value) -> u64 {
    r["summary"]["cache"]["images_from_cache"].as_u64().unwrap()
}

/// The report without the cache's own count.
fn without_cache(mut r: serde_json::Value) -> serde_json::Value {
    r["summary"].as_object_mut().unwrap().remove("cache");
    r
}

#[test]
fn a_rescan_reads_every_image_from_the_cache_and_reports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let input = dir.path().join("train.jsonl");
    std::fs::write(&input, std::fs::read("fixtures/demo/train.jsonl").unwrap()).unwrap();
    copy_dir("fixtures/demo/images", &dir.path().join("images"));

    let first = cached_scan(&input, &cache, &[]);
    assert_eq!(from_cache(&first), 0);
    let second = cached_scan(&input, &cache, &[]);
    // Every image with bytes (not the unreachable private URL) comes from the cache.
    let with_bytes = first["examples"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["images"].as_array().unwrap())
        .filter(|i| i["format"].is_string())
        .count() as u64;
    assert!(with_bytes >= 30, "{with_bytes}");
    assert_eq!(from_cache(&second), with_bytes);
    assert_eq!(without_cache(first.clone()), without_cache(second));

    // A cache made with other settings is not used for these.
    let other = cached_scan(&input, &cache, &["--face-threshold", "0.5"]);
    assert_eq!(from_cache(&other), 0);

    // After fix, only the images it rewrote are screened again.
    let fixed = dir.path().join("fixed.jsonl");
    let changes = dir.path().join("changes.jsonl");
    let out = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        fixed.to_str().unwrap(),
        "--changes",
        changes.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let converted = read_jsonl(&changes)
        .iter()
        .flat_map(|l| l["changes"].as_array().unwrap().clone())
        .filter(|c| c["action"] == "converted")
        .count() as u64;
    assert!(converted >= 4, "{converted}");
    let after = cached_scan(&fixed, &cache, &[]);
    assert_eq!(from_cache(&after), with_bytes - converted);
    // What the cache said about the repaired images before matches a fresh look now.
    assert_eq!(
        after["summary"]["expected_trained_examples"],
        first["summary"]["expected_trained_examples_after_fix"]
    );

    let stats = prescreen(&["cache", "stats", "--cache", cache.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(text.contains("image result(s)"), "{text}");
    let clear = prescreen(&["cache", "clear", "--cache", cache.to_str().unwrap()]);
    assert!(clear.status.success());
    let again = cached_scan(&input, &cache, &[]);
    assert_eq!(from_cache(&again), 0);
}

#[test]
fn an_image_is_cached_by_its_bytes_not_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let img = dir.path().join("picture.png");
    std::fs::copy(
        "fixtures/screening/images/neg_animal__cat_chelsea.jpg",
        &img,
    )
    .unwrap();
    let mut lines = vec![example(&["picture.png"])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "path.jsonl", &lines);
    let first = cached_scan(&input, &cache, &[]);
    assert_eq!(image(&first, 0, 0)["status"], "ok");
    // The same path, other bytes: screened again, and its face found.
    std::fs::copy(
        "fixtures/screening/images/face_frontal__astronaut.jpg",
        &img,
    )
    .unwrap();
    let second = cached_scan(&input, &cache, &[]);
    assert_eq!(from_cache(&second), 0);
    assert_eq!(
        image(&second, 0, 0)["status"],
        "skipped",
        "{}",
        image(&second, 0, 0)
    );
}

#[test]
fn two_scans_share_one_cache_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let input = dir.path().join("train.jsonl");
    std::fs::write(&input, std::fs::read("fixtures/demo/train.jsonl").unwrap()).unwrap();
    copy_dir("fixtures/demo/images", &dir.path().join("images"));
    let run = |name: &str| {
        let out = dir.path().join(name);
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
            .args([
                "scan",
                input.to_str().unwrap(),
                "--json",
                out.to_str().unwrap(),
            ])
            .args(["--cache", cache.to_str().unwrap(), "-j", "1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        (child, out)
    };
    let (a, out_a) = run("a.json");
    let (b, out_b) = run("b.json");
    for c in [a, b] {
        let o = c.wait_with_output().unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let (ra, rb) = (read(&out_a), read(&out_b));
    assert!(
        ra["summary"]["cache"]["error"].is_null(),
        "{}",
        ra["summary"]["cache"]
    );
    assert!(
        rb["summary"]["cache"]["error"].is_null(),
        "{}",
        rb["summary"]["cache"]
    );
    assert_eq!(without_cache(ra), without_cache(rb));
    // And a third scan finds everything either of them stored.
    let third = cached_scan(&input, &cache, &[]);
    assert!(from_cache(&third) >= 30, "{}", third["summary"]["cache"]);
}

#[test]
fn a_file_that_is_not_a_prescreen_cache_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![example(&[&data_uri(
        "image/jpeg",
        &std::fs::read("fixtures/screening/images/neg_animal__dog.jpg").unwrap(),
    )])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "one.jsonl", &lines);
    let fresh = without_cache(scan_json(&input, &[]).1);
    for (name, bytes) in [
        (
            "garbage",
            b"this is not a database at all, only text".repeat(100),
        ),
        ("foreign", foreign_sqlite(dir.path())),
    ] {
        let cache = dir.path().join(name);
        std::fs::create_dir_all(&cache).unwrap();
        let file = cache.join("results.sqlite");
        std::fs::write(&file, &bytes).unwrap();
        let r = cached_scan(&input, &cache, &[]);
        let err = r["summary"]["cache"]["error"].as_str().unwrap_or_default();
        assert!(
            err.contains("not a usable prescreen result cache"),
            "{name}: {err}"
        );
        assert!(
            std::fs::read(&file).unwrap() == bytes,
            "{name}: the file was changed"
        );
        assert_eq!(without_cache(r), fresh, "{name}");
        let out = prescreen(&[
            "scan",
            input.to_str().unwrap(),
            "--cache",
            cache.to_str().unwrap(),
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("result cache not used"), "{text}");
    }
}

/// A valid SQLite file some other program wrote.
fn foreign_sqlite(dir: &Path) -> Vec<u8> {
    let p = dir.join("other.sqlite");
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');")
        .unwrap();
    drop(c);
    std::fs::read(&p).unwrap()
}

fn copy_dir(from: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}
