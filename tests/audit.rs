//! `audit` against a simulated provider: a hidden set of drops (borderline scores just under
//! our thresholds, plus clear cases such as unreachable URLs) is applied to a dataset of
//! predictions; the audit must pick the provider's policy and rank the hidden drops first.

mod common;
use common::assert_exit;
use prescreen::ops::audit::{analyze, Thresholds};
use prescreen::report::ExampleReport;
use prescreen::Policy;

struct Rng(u64);
impl Rng {
    fn f(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn thresholds() -> Thresholds {
    Thresholds(vec![("face".into(), 0.4), ("person".into(), 0.4)])
}

/// One example with one image, as a scan reports it.
fn report(line: u64, face: f32, person: f32, warning: Option<&str>, tokens: u64) -> ExampleReport {
    let mut reasons = Vec::new();
    if face >= 0.4 {
        reasons.push("contains_faces");
    }
    if person >= 0.4 {
        reasons.push("contains_people");
    }
    let status = if reasons.is_empty() { "ok" } else { "skipped" };
    let warnings: Vec<_> = warning
        .map(|w| serde_json::json!({"code": w, "message": w}))
        .into_iter()
        .collect();
    serde_json::from_value(serde_json::json!({
        "line": line, "status": status, "reasons": reasons, "errors": [], "warnings": [],
        "tokens": {"text": tokens - 85, "images": 85, "total": tokens},
        "images": [{
            "index": 0, "message_index": 1, "block_index": 1, "source": "data",
            "status": status, "checked": true, "reasons": reasons, "findings": [],
            "warnings": warnings, "detail": "low", "tokens": 85,
            "scores": {"face": face, "person": person}
        }]
    }))
    .unwrap()
}

struct World {
    reports: Vec<ExampleReport>,
    hidden: Vec<u64>,
}

/// 600 examples; the provider's own detectors are a little stricter than ours (borderline
/// faces and people from `provider_threshold` up are dropped too), and unreachable URLs
/// (`not_checked` offline) are dropped.
fn world(seed: u64, provider_threshold: f32, p_drop: f32) -> World {
    let mut rng = Rng(seed);
    let mut reports = Vec::new();
    let mut hidden = Vec::new();
    for line in 1..=600u64 {
        let face = rng.f().powi(3);
        let person = rng.f().powi(3);
        let warning = (rng.f() < 0.01).then_some("not_checked");
        let tokens = 150 + (rng.f() * 1500.0) as u64;
        let r = report(line, face, person, warning, tokens);
        let predicted_ok = r.status == prescreen::report::ExampleStatus::Ok;
        let borderline = face >= provider_threshold || person >= provider_threshold;
        if predicted_ok && ((borderline && rng.f() < p_drop) || warning.is_some()) {
            hidden.push(line);
        }
        reports.push(r);
    }
    World { reports, hidden }
}

#[test]
fn finds_the_policy_and_ranks_the_hidden_drops_first() {
    let mut recalls = Vec::new();
    for seed in [7u64, 11, 23, 42, 99] {
        let w = world(seed, 0.33, 1.0);
        let predicted_ok: Vec<&ExampleReport> = w
            .reports
            .iter()
            .filter(|r| r.status == prescreen::report::ExampleStatus::Ok)
            .collect();
        let reported = (predicted_ok.len() - w.hidden.len()) as u64;
        let epochs = 3u32;
        let trained: u64 = predicted_ok
            .iter()
            .filter(|r| !w.hidden.contains(&r.line))
            .map(|r| r.tokens.as_ref().unwrap().total)
            .sum::<u64>()
            * epochs as u64;
        let k = w.hidden.len();
        for tokens in [None, Some((trained, epochs))] {
            let a = analyze(&w.reports, reported, tokens, &thresholds(), Some(k));
            assert_eq!(a.matched.policy, Policy::ExampleLevel, "seed {seed}");
            assert_eq!(a.matched.gap, k as i64);
            let hits = a
                .suspects
                .iter()
                .filter(|s| w.hidden.contains(&s.line))
                .count();
            let recall = hits as f64 / k as f64;
            recalls.push(recall);
            eprintln!(
                "seed {seed}, {k} hidden drops, tokens {}: top-{k} recall {recall:.2}",
                tokens.is_some()
            );
            assert!(recall >= 0.9, "seed {seed}: top-{k} recall {recall:.2}");
            if let Some((t, e)) = tokens {
                assert_eq!(
                    a.token_gap,
                    Some(
                        predicted_ok
                            .iter()
                            .map(|r| r.tokens.as_ref().unwrap().total)
                            .sum::<u64>() as i64
                            - (t / e as u64) as i64
                    )
                );
            }
        }
    }
    let mean = recalls.iter().sum::<f64>() / recalls.len() as f64;
    eprintln!("mean top-k recall {mean:.2}");
}

#[test]
fn a_noisy_provider_still_ranks_most_hidden_drops_first() {
    // Borderline images (0.30–0.40) are dropped only 60% of the time: scores alone cannot
    // tell which, so recall is bounded; trained tokens narrow it down.
    for seed in [3u64, 17, 31] {
        let w = world(seed, 0.30, 0.6);
        let ok: Vec<&ExampleReport> = w
            .reports
            .iter()
            .filter(|r| r.status == prescreen::report::ExampleStatus::Ok)
            .collect();
        let k = w.hidden.len();
        let trained: u64 = ok
            .iter()
            .filter(|r| !w.hidden.contains(&r.line))
            .map(|r| r.tokens.as_ref().unwrap().total)
            .sum::<u64>()
            * 2;
        let mut got = Vec::new();
        for tokens in [None, Some((trained, 2))] {
            let a = analyze(
                &w.reports,
                (ok.len() - k) as u64,
                tokens,
                &thresholds(),
                Some(k),
            );
            assert_eq!(a.matched.policy, Policy::ExampleLevel);
            let recall = a
                .suspects
                .iter()
                .filter(|s| w.hidden.contains(&s.line))
                .count() as f64
                / k as f64;
            got.push(recall);
        }
        eprintln!("noisy seed {seed}, {k} hidden drops: top-{k} recall {:.2} (scores), {:.2} (with tokens)", got[0], got[1]);
        assert!(got[0] >= 0.5 && got[1] >= 0.5, "{got:?}");
    }
}

#[test]
fn image_level_count_is_recognised() {
    let w = world(5, 0.33, 1.0);
    // The provider dropped only images: every valid example still trained.
    let a = analyze(
        &w.reports,
        w.reports.len() as u64,
        None,
        &thresholds(),
        None,
    );
    assert_eq!(a.matched.policy, Policy::ImageLevel);
    assert_eq!(a.matched.gap, 0);
}

#[test]
fn kept_skips_are_the_least_certain_ones() {
    let w = world(13, 0.33, 1.0);
    let example_level = w
        .reports
        .iter()
        .filter(|r| r.status == prescreen::report::ExampleStatus::Ok)
        .count() as u64;
    // The provider kept 5 examples we predicted skipped: those closest to our thresholds.
    let mut skipped: Vec<(f32, u64)> = w
        .reports
        .iter()
        .filter(|r| r.status == prescreen::report::ExampleStatus::Skipped)
        .map(|r| {
            let s = &r.images[0].scores;
            let m = [s["face"], s["person"]]
                .into_iter()
                .filter(|x| *x >= 0.4)
                .fold(f32::MAX, f32::min);
            (m, r.line)
        })
        .collect();
    skipped.sort_by(|a, b| a.0.total_cmp(&b.0));
    let kept: Vec<u64> = skipped[..5].iter().map(|x| x.1).collect();
    let a = analyze(&w.reports, example_level + 5, None, &thresholds(), Some(5));
    assert_eq!(a.matched.policy, Policy::ExampleLevel);
    assert_eq!(a.matched.gap, -5);
    let hits = a.suspects.iter().filter(|s| kept.contains(&s.line)).count();
    assert_eq!(hits, 5, "{:?}", a.suspects);
}

#[test]
fn cli_audit_on_the_demo_dataset() {
    let run = |n: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
            .env("PRESCREEN_RESULT_CACHE", "off")
            .args(["audit", "fixtures/demo/train.jsonl", "--reported", n])
            .output()
            .unwrap()
    };
    let o = run("15");
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("matches the example-level policy exactly"),
        "{text}"
    );
    let o = run("23");
    assert!(String::from_utf8_lossy(&o.stdout).contains("matches the image-level policy exactly"));
    let o = run("14");
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1));
    // The demo's local-path image is the first suspect: the provider cannot read it.
    assert!(text.contains("1. line 18 image 0"), "{text}");
}

#[test]
fn cli_audit_from_a_report_with_tokens_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "scan",
            "fixtures/demo/train.jsonl",
            "--quiet",
            "--json",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    // Tokens of the examples predicted to train, over 2 epochs, less one example's worth.
    let ok: Vec<&serde_json::Value> = r["examples"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "ok")
        .collect();
    let per_epoch: u64 = ok
        .iter()
        .map(|e| e["tokens"]["total"].as_u64().unwrap())
        .sum();
    let dropped = ok.iter().find(|e| e["line"] == 18).unwrap()["tokens"]["total"]
        .as_u64()
        .unwrap();
    let trained = (per_epoch - dropped) * 2;
    let out = dir.path().join("audit.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "audit",
            "fixtures/demo/train.jsonl",
            "--reported",
            &(ok.len() - 1).to_string(),
            "--from-report",
            report.to_str().unwrap(),
            "--trained-tokens",
            &trained.to_string(),
            "--epochs",
            "2",
            "--json",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_exit(&o, 1);
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(a["matched"]["policy"], "example_level");
    assert_eq!(a["matched"]["gap"], 1);
    assert_eq!(a["token_gap"], dropped);
    assert_eq!(a["suspects"][0]["line"], 18);
    assert_eq!(a["suspects"][0]["signal"], "local_path");
}

#[test]
fn the_providers_own_summary_is_compared_line_by_line() {
    use common::*;
    let dir = tempfile::tempdir().unwrap();
    let ok = data_uri("image/png", &fixture("rgb.png"));
    let gray = data_uri("image/png", &fixture("l.png"));
    let mut lines: Vec<String> = (0..12).map(|_| example(&[&ok])).collect();
    lines.extend((0..3).map(|i| example(&[&format!("http://10.0.0.{i}/a.png")])));
    lines.push(example(&[&gray]));
    lines.push(example(&[&gray]));
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let (_, _) = scan_json(&input, &["--no-detect"]);
    let report = input.with_extension("report.json");
    let summary = dir.path().join("summary.txt");
    // As pasted: wrapped, the provider's wording, two reasons prescreen did not predict.
    std::fs::write(
        &summary,
        "Preprocessing Summary: The provided data failed validation.\n\
         inaccessible URL (3) Line numbers --> 13, 14,\n 15\n\
         invalid image format (1) Line numbers --> 16\n\
         contains faces (2) Line numbers --> 3, 4\n",
    )
    .unwrap();
    let json = dir.path().join("audit.json");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "audit",
            input.to_str().unwrap(),
            "--from-report",
            report.to_str().unwrap(),
            "--provider-summary",
            summary.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(a["provider_summary"]["reasons"]["inaccessible url"], 3);
    assert_eq!(a["provider_summary"]["reasons"]["contains faces"], 2);
    assert_eq!(a["missed_lines"], serde_json::json!([3, 4]));
    assert_eq!(a["false_alarm_lines"], serde_json::json!([17]));
    // Without --reported: 17 examples, 6 listed as skipped.
    assert_eq!(a["reported"], 11);
    let faces = a["by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"] == "contains_faces")
        .unwrap();
    assert_eq!(
        (faces["provider"].as_u64(), faces["predicted"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(
        text.contains("missed by prescreen") && text.contains("line 3"),
        "{text}"
    );

    // Pasted on stdin; and a text that is no summary is an error that quotes it.
    let run_stdin = |input_text: &str| {
        use std::io::Write;
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
            .env("PRESCREEN_RESULT_CACHE", "off")
            .args([
                "audit",
                input.to_str().unwrap(),
                "--from-report",
                report.to_str().unwrap(),
                "--provider-summary",
                "-",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin
            .take()
            .unwrap()
            .write_all(input_text.as_bytes())
            .unwrap();
        c.wait_with_output().unwrap()
    };
    let o = run_stdin(
        "Number of skipped multimodal examples exceed the maximum allowed 200 limit: inaccessible URL (3)… Line numbers --> 13, 14…",
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--reported"),
        "a cut-short list needs the count: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run_stdin("Job succeeded: 12 examples trained\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Job succeeded: 12 examples trained"));
}

#[test]
fn many_misses_of_one_reason_suggest_a_threshold_and_its_cost() {
    use prescreen::ops::audit::compare;
    use prescreen::ops::provider_summary::parse;
    let mut reports: Vec<ExampleReport> =
        (1..=20).map(|l| report(l, 0.05, 0.0, None, 100)).collect();
    for (line, face) in [(1, 0.30), (2, 0.32), (3, 0.35), (4, 0.33)] {
        reports[line - 1] = report(line as u64, face, 0.0, None, 100);
    }
    let ps = parse("contains faces (3) Line numbers --> 1, 2, 3").unwrap();
    let c = compare(&reports, &ps, &thresholds());
    assert_eq!(c.missed_lines, [1, 2, 3]);
    let s = &c.suggestions[0];
    assert_eq!((s.signal.as_str(), s.current), ("face", 0.4));
    assert!((s.suggested - 0.30).abs() < 1e-6, "{}", s.suggested);
    assert_eq!(s.would_catch, 3);
    assert_eq!(
        s.would_also_remove, 1,
        "line 4 (0.33) was kept by the provider"
    );
}
