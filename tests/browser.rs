//! The HTML report in a real headless browser (Debian's chromium): the page's script runs,
//! the counts and thumbnails are in the rendered DOM, and a screenshot is kept as an artifact
//! at target/browser/report.png. Runs when PRESCREEN_CHROMIUM names the browser (.ci/run
//! installs it and sets it); skipped otherwise.

mod common;
use common::*;
use std::process::Command;

fn chromium(bin: &str, profile: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

#[test]
fn report_renders_in_a_headless_browser() {
    let Ok(bin) = std::env::var("PRESCREEN_CHROMIUM") else {
        // CI must run it (.ci/run installs the browser); elsewhere it is optional.
        assert!(
            std::env::var_os("CI").is_none(),
            "PRESCREEN_CHROMIUM is not set in CI: the browser test cannot be skipped there"
        );
        eprintln!("PRESCREEN_CHROMIUM is not set: browser test skipped");
        return;
    };
    let out_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out_dir).unwrap();
    let html = out_dir.join("report.html");
    let o = prescreen(&[
        "scan",
        "fixtures/demo/train.jsonl",
        "--quiet",
        "--html",
        html.to_str().unwrap(),
        // The artifact of the last run is replaced.
        "--force",
    ]);
    assert_exit(&o, 0);
    let url = format!("file://{}", html.display());
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(&bin, profile.path(), &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    // Written by the page's script: it ran, and every flagged image is shown.
    assert!(
        dom.contains("11 image(s) shown"),
        "{}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains("15 of 23 examples expected to train"));
    assert!(
        dom.matches("<img alt=").count() >= 9,
        "thumbnails in the DOM"
    );
    let shot = out_dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    chromium(
        &bin,
        profile.path(),
        &[
            "--window-size=1280,1500",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 20_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
}
