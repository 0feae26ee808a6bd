//! The command line as a user meets it: each subcommand refuses flags it would ignore, bad
//! values are refused before any work, the report records what it was made with, and a
//! closed stdout (`| head -1`) ends every command quietly.

mod common;
use common::*;
use std::process::{Command, Stdio};

fn dataset(dir: &std::path::Path) -> std::path::PathBuf {
    let ok = data_uri("image/png", &fixture("rgb.png"));
    let lines: Vec<String> = (0..12).map(|_| example(&[&ok])).collect();
    write_jsonl(dir, "train.jsonl", &lines)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn flags_a_subcommand_would_ignore_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let (_, _) = scan_json(&input, &["--no-detect"]);
    let report = input.with_extension("report.json");
    let out = dir.path().join("out.jsonl");
    let (i, o, r) = (
        input.to_str().unwrap(),
        out.to_str().unwrap(),
        report.to_str().unwrap(),
    );
    let refused: &[&[&str]] = &[
        // fix repairs formats: it screens nothing.
        &["fix", i, "-o", o, "--face-threshold", "0.9"],
        &["fix", i, "-o", o, "--explain"],
        &["fix", i, "-o", o, "--no-detect"],
        &["fix", i, "-o", o, "--detectors", "face"],
        // With a report the predictions are made: scan flags would do nothing.
        &["filter", i, "-o", o, "--from-report", r, "--no-detect"],
        &[
            "filter",
            i,
            "-o",
            o,
            "--from-report",
            r,
            "--person-threshold",
            "0.5",
        ],
        &[
            "audit",
            i,
            "--reported",
            "12",
            "--from-report",
            r,
            "--offline",
        ],
        // Only scan writes HTML.
        &["filter", i, "-o", o, "--html", "x.html"],
    ];
    for args in refused {
        let p = prescreen(args);
        assert_eq!(p.status.code(), Some(2), "{args:?}: {}", stderr(&p));
        assert!(
            stderr(&p).contains("cannot be used with")
                || stderr(&p).contains("unexpected argument"),
            "{args:?}: {}",
            stderr(&p)
        );
        assert!(!out.exists(), "{args:?} wrote its output");
    }
}

#[test]
fn bad_values_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let i = input.to_str().unwrap();
    let json = dir.path().join("r.json");
    for (args, says) in [
        // Checked even though --no-detect loads no model.
        (
            vec!["scan", i, "--no-detect", "--face-threshold", "1.5"],
            "--face-threshold",
        ),
        (
            vec!["scan", i, "--captcha-threshold", "-1"],
            "--captcha-threshold",
        ),
        (vec!["scan", i, "--jobs", "0"], "--jobs"),
        (vec!["scan", i, "--timeout", "0"], "--timeout"),
        // Once a panic (Duration overflow) and an abort after half a minute.
        (vec!["scan", i, "--timeout", "1e300"], "--timeout"),
        (
            vec!["scan", i, "--connect-timeout", "inf"],
            "--connect-timeout",
        ),
        (vec!["scan", i, "--jobs", "100000"], "--jobs"),
        (vec!["scan", i, "--fetch-jobs", "100000"], "--fetch-jobs"),
        (
            vec![
                "audit",
                i,
                "--reported",
                "3",
                "--trained-tokens",
                "10",
                "--epochs",
                "0",
            ],
            "--epochs",
        ),
    ] {
        let mut a = args.clone();
        a.extend(["--json", json.to_str().unwrap()]);
        let p = prescreen(&a);
        assert_eq!(p.status.code(), Some(2), "{args:?}: {}", stderr(&p));
        assert!(stderr(&p).contains(says), "{args:?}: {}", stderr(&p));
        assert!(!json.exists(), "{args:?}: work started");
    }
    // Above 1 turns the hand and pose detectors off; that is not an error.
    let (code, r) = scan_json(
        &input,
        &[
            "--no-detect",
            "--hand-threshold",
            "1.5",
            "--pose-threshold",
            "2",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(r["options"]["thresholds"]["hand"], 1.5);
}

#[test]
fn the_report_records_its_thresholds_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let (_, r) = scan_json(
        &input,
        &[
            "--no-detect",
            "--face-threshold",
            "0.55",
            "--person-threshold",
            "0.6",
        ],
    );
    let o = &r["options"];
    assert_eq!(o["thresholds"]["face"], 0.55);
    assert_eq!(o["thresholds"]["person"], 0.6);
    let captcha = prescreen::settings::Settings::default().captcha.threshold;
    assert_eq!(
        o["thresholds"]["captcha"].as_f64().unwrap() as f32,
        captcha,
        "defaults recorded too"
    );
    assert_eq!(o["explain"], false);
    assert_eq!(o["full_decode"], false);
}

/// Run `args` with stdout a pipe whose reading end is already closed, as `| head -1` leaves
/// it once head has exited.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let (_, _) = scan_json(&input, &["--no-detect"]);
    let report = input.with_extension("report.json");
    let (i, r) = (input.to_str().unwrap(), report.to_str().unwrap());
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    for args in [
        vec!["scan", i, "--no-detect"],
        vec!["scan", i, "--no-detect", "--json", "-"],
        vec!["audit", i, "--reported", "12", "--from-report", r],
        vec![
            "filter",
            i,
            "-o",
            o,
            "--from-report",
            r,
            "--force",
            "--accept-report-options",
        ],
        vec!["fix", i, "-o", o, "--force", "--offline"],
        vec!["--help"],
    ] {
        let p = with_closed_stdout(&args);
        assert_eq!(p.status.code(), Some(0), "{args:?}: {}", stderr(&p));
        assert!(
            !stderr(&p).contains("panicked") && !stderr(&p).contains("error"),
            "{args:?}: {}",
            stderr(&p)
        );
    }
}

#[test]
fn outputs_never_alias_each_other_an_input_or_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let (_, _) = scan_json(&input, &["--no-detect"]);
    let report = input.with_extension("report.json");
    let (i, r) = (input.to_str().unwrap(), report.to_str().unwrap());
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let same = dir.path().join(".").join("out.jsonl");
    let same = same.to_str().unwrap();
    let report_before = std::fs::read(&report).unwrap();
    for (args, says) in [
        // Two outputs naming one file, however spelt.
        (
            vec!["filter", i, "-o", o, "--rejected", same, "--no-detect"],
            "same file",
        ),
        (vec!["fix", i, "-o", o, "--changes", same], "same file"),
        (
            vec!["scan", i, "--no-detect", "--json", o, "--html", same],
            "same file",
        ),
        // An output over an input.
        (
            vec![
                "audit",
                i,
                "--reported",
                "12",
                "--from-report",
                r,
                "--json",
                r,
            ],
            "over the input",
        ),
        (
            vec!["filter", i, "-o", r, "--from-report", r],
            "over the input",
        ),
        // An existing file needs --force, for every command alike.
        (
            vec!["scan", i, "--no-detect", "--json", r],
            "already exists",
        ),
        (
            vec![
                "audit",
                i,
                "--reported",
                "12",
                "--from-report",
                r,
                "--json",
                i,
            ],
            "over the input",
        ),
    ] {
        let p = prescreen(&args);
        assert_eq!(p.status.code(), Some(2), "{args:?}: {}", stderr(&p));
        assert!(stderr(&p).contains(says), "{args:?}: {}", stderr(&p));
        assert!(!out.exists(), "{args:?} wrote an output");
        assert_eq!(std::fs::read(&report).unwrap(), report_before, "{args:?}");
    }
    let p = prescreen(&["scan", i, "--no-detect", "--json", r, "--force"]);
    assert_eq!(p.status.code(), Some(0), "{}", stderr(&p));
}

#[test]
fn an_unwritable_stdout_does_not_turn_a_success_into_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    let out = dir.path().join("out.jsonl");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let p = Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "filter",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-detect",
        ])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(p.status.code(), Some(0), "{}", stderr(&p));
    assert!(out.exists(), "the output was committed");
    assert!(stderr(&p).contains("outputs are written"), "{}", stderr(&p));
}

fn temporaries(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".prescreen-"))
        .collect()
}

#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    // A URL that takes a minute to download keeps fix busy with its output half written.
    let lines: Vec<String> = (0..12)
        .map(|_| example(&[&srv.url("/trickle.png")]))
        .collect();
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let out = dir.path().join("fixed.jsonl");
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prescreen"))
            .env("PRESCREEN_RESULT_CACHE", "off")
            .args([
                "fix",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--inline",
                "--allow-private-urls",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while temporaries(dir.path()).is_empty() {
            assert!(
                started.elapsed().as_secs() < 30,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        assert!(
            temporaries(dir.path()).is_empty(),
            "{:?}",
            temporaries(dir.path())
        );
        assert!(!out.exists());
    }
}

#[test]
fn a_temporary_left_by_a_killed_run_is_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset(dir.path());
    // The name a run with a process id no longer alive would have left behind.
    let stale = dir.path().join(".prescreen-4194000-AbCdEf.tmp");
    std::fs::write(&stale, b"partial output").unwrap();
    let mine = dir.path().join(".prescreen-notes.tmp");
    std::fs::write(&mine, b"not prescreen's naming").unwrap();
    let out = dir.path().join("out.jsonl");
    let p = prescreen(&[
        "filter",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--no-detect",
    ]);
    assert_eq!(p.status.code(), Some(0), "{}", stderr(&p));
    assert!(!stale.exists());
    assert!(
        mine.exists(),
        "only files named as prescreen names them are removed"
    );
}
