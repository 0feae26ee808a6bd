//! Terminal behaviour: colour and the progress bar only on a terminal (run under a
//! pseudo-terminal with util-linux `script`), never when piped, and never with NO_COLOR.

use std::process::Command;

fn under_pty(extra_env: &[(&str, &str)]) -> Option<String> {
    let cmd = format!(
        "{} scan fixtures/demo/train.jsonl --no-detect",
        env!("CARGO_BIN_EXE_prescreen")
    );
    let mut c = Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"]);
    for (k, v) in extra_env {
        c.env(k, v);
    }
    let out = c.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_on_a_terminal_only() {
    let piped = Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args(["scan", "fixtures/demo/train.jsonl", "--no-detect"])
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&piped.stdout),
        String::from_utf8_lossy(&piped.stderr),
    );
    assert!(
        out.contains("verdict:") && !out.contains('\x1b'),
        "no escapes when piped: {out}"
    );
    assert!(!err.contains("ETA"), "no progress bar when piped: {err}");

    let Some(tty) = under_pty(&[("NO_COLOR", "")]) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` (util-linux) is missing in CI: the pseudo-terminal checks cannot be skipped"
        );
        eprintln!("`script` is not available: pseudo-terminal checks skipped");
        return;
    };
    assert!(
        tty.contains("\x1b[1;32mverdict:"),
        "coloured verdict on a terminal: {tty:?}"
    );
    let plain = under_pty(&[("NO_COLOR", "1")]).unwrap();
    assert!(
        plain.contains("verdict:") && !plain.contains("\x1b[1;32m"),
        "NO_COLOR: {plain:?}"
    );
}
