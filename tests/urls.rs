//! URL images against a loopback server: every way a fetch can fail maps to the provider's
//! reason, and non-public hosts are never contacted unless explicitly allowed.

mod common;
use common::*;
use std::sync::atomic::Ordering;

#[test]
fn each_url_outcome_maps_to_the_providers_reason() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let routes = [
        ("/ok.png", None),
        ("/redirect.png", None),
        ("/missing.png", Some("inaccessible_url")),
        ("/error.png", Some("inaccessible_url")),
        ("/hang.png", Some("inaccessible_url")),
        ("/loop.png", Some("inaccessible_url")),
        ("/huge.png", Some("image_too_large")),
        ("/huge-declared.png", Some("image_too_large")),
        ("/page", Some("invalid_image_format")),
        ("/gray.png", Some("invalid_image_format")),
        ("/mislabelled.png", None),
    ];
    let mut lines: Vec<String> = routes
        .iter()
        .map(|(p, _)| example(&[&srv.url(p)]))
        .collect();
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "urls.jsonl", &lines);
    let started = std::time::Instant::now();
    let (_, report) = scan_json(
        &input,
        &[
            "--allow-private-urls",
            "--timeout",
            "2",
            "--connect-timeout",
            "2",
        ],
    );
    // The hanging URL is bounded by --timeout, not by the server's 20 s sleep.
    assert!(
        started.elapsed().as_secs() < 15,
        "took {:?}",
        started.elapsed()
    );
    for (i, (path, expect)) in routes.iter().enumerate() {
        let img = image(&report, i, 0);
        let got = reasons(img);
        match expect {
            None => assert!(got.is_empty(), "{path}: {got:?} {img}"),
            Some(r) => assert_eq!(got, vec![r.to_string()], "{path}: {img}"),
        }
        assert_eq!(img["source"], "url");
    }
    let detail = |i: usize| {
        image(&report, i, 0)["findings"][0]["detail"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(detail(2).contains("404"), "{}", detail(2));
    assert!(detail(4).contains("timed out"), "{}", detail(4));
    assert!(detail(5).contains("redirect"), "{}", detail(5));
    assert!(detail(8).contains("HTML"), "{}", detail(8));
    // The oversized body was abandoned early, not downloaded whole.
    let sent = srv.bytes_sent.load(Ordering::SeqCst);
    assert!(sent < 30 * 1024 * 1024, "server sent {sent} bytes");
    // A JPEG served as image/png is fine for the provider but worth a warning.
    let w = &image(&report, 10, 0)["warnings"];
    assert!(w.to_string().contains("declared_type_mismatch"), "{w}");
}

#[test]
fn non_public_hosts_are_refused_without_a_request() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![
        example(&[&srv.url("/ok.png")]),
        example(&["http://localhost:9/a.png"]),
        example(&["http://169.254.169.254/latest/meta-data/"]),
    ];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "private.jsonl", &lines);
    let (_, report) = scan_json(&input, &[]);
    for i in 0..3 {
        assert_eq!(
            reasons(image(&report, i, 0)),
            vec!["inaccessible_url"],
            "example {i}"
        );
    }
    assert_eq!(
        srv.requests.load(Ordering::SeqCst),
        0,
        "the server must not be contacted"
    );
}

#[test]
fn offline_leaves_urls_unchecked() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![example(&[&srv.url("/missing.png")])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "offline.jsonl", &lines);
    let (code, report) = scan_json(&input, &["--offline", "--allow-private-urls"]);
    let img = image(&report, 0, 0);
    assert_eq!(img["status"], "ok");
    assert_eq!(img["checked"], false);
    assert_eq!(report["summary"]["unchecked_images"], 1);
    assert_eq!(report["options"]["offline"], true);
    assert_eq!(code, 0);
    assert_eq!(srv.requests.load(Ordering::SeqCst), 0);
}

#[test]
fn a_trickling_download_is_cut_at_the_timeout() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![example(&[&srv.url("/trickle.png")])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "slow.jsonl", &lines);
    let started = std::time::Instant::now();
    let (_, report) = scan_json(
        &input,
        &["--allow-private-urls", "--no-detect", "--timeout", "1"],
    );
    // The server would take a minute; every single read is quick.
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    let img = image(&report, 0, 0);
    assert_eq!(reasons(img), ["inaccessible_url"], "{img}");
    assert!(img["findings"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("timed out"));
}

#[test]
fn a_repeated_url_is_fetched_once_per_window() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    // 100 lines, far more than one group of 32 URLs, one URL between them all; the other
    // URLs make each group full.
    let lines: Vec<String> = (0..100)
        .map(|i| example(&[&srv.url("/ok.png"), &srv.url(&format!("/ok.png?{i}"))]))
        .collect();
    let input = write_jsonl(dir.path(), "same.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--allow-private-urls", "--no-detect"]);
    assert_eq!(r["summary"]["skipped_images"], 0, "{}", r["summary"]);
    assert_eq!(
        srv.requests.load(Ordering::SeqCst),
        101,
        "the shared URL once, each other URL once"
    );
    // fix --inline reads through the same stage (its window is 64 lines).
    let before = srv.requests.load(Ordering::SeqCst);
    let input = write_jsonl(dir.path(), "fix.jsonl", &lines[..60]);
    let out = dir.path().join("fixed.jsonl");
    let o = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--inline",
        "--allow-private-urls",
    ]);
    assert_exit(&o, 0);
    assert_eq!(srv.requests.load(Ordering::SeqCst) - before, 61);
}
