//! What a person reads on the terminal after each command.

use std::fmt::Write as _;
use std::path::Path;

use crate::codes::Reason;
use crate::report::Summary;
use crate::text::thousands;

/// Colour for a terminal that wants it: a TTY, and `NO_COLOR` unset.
pub fn use_colour(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// The short summary a person reads after a scan.
pub fn human_summary(input: &Path, s: &Summary, offline: bool, colour: bool) -> String {
    let mut o = String::new();
    let provider = s.provider.map(|p| p.code().to_owned()).unwrap_or_default();
    let part = s.shard.as_ref().map_or(String::new(), |p| {
        format!(
            ", part {}/{} (bytes {}..{}, from line {})",
            p.index, p.count, p.start_byte, p.end_byte, p.first_line
        )
    });
    let _ = writeln!(
        o,
        "prescreen scan of {}{part} ({provider} profile)",
        input.display()
    );
    // What fails the whole upload comes first: nothing below matters until it is fixed.
    for f in &s.file_errors {
        let _ = writeln!(
            o,
            "  {} {}",
            paint(colour, "1;31", "upload fails:"),
            f.message
        );
    }
    let _ = writeln!(
        o,
        "  examples {}   invalid {}   with images {}   images {}   skipped images {}",
        thousands(s.examples),
        thousands(s.invalid_examples),
        thousands(s.examples_with_images),
        thousands(s.images),
        thousands(s.skipped_images)
    );
    if s.unchecked_images > 0 {
        let _ = writeln!(
            o,
            "  {} image(s) not checked{}",
            thousands(s.unchecked_images),
            if offline {
                " (--offline: URLs were not fetched)"
            } else {
                ""
            }
        );
    }
    if !s.images_by_reason.is_empty() {
        let _ = writeln!(o, "  skipped images by reason:");
        for (r, n) in &s.images_by_reason {
            let _ = writeln!(
                o,
                "    {:<22} {:>8}   fix: {}",
                r.code(),
                thousands(*n),
                r.advice()
            );
        }
    }
    if let Some(n) = s.examples_by_reason.get(&Reason::TooManyImages) {
        let _ = writeln!(
            o,
            "    {:<22} {:>8} example(s)",
            "too_many_images",
            thousands(*n)
        );
    }
    if !s.errors_by_code.is_empty() {
        let _ = writeln!(o, "  invalid lines by error:");
        for (c, n) in &s.errors_by_code {
            let _ = writeln!(o, "    {:<28} {:>8}", c.code(), thousands(*n));
        }
    }
    if !s.warnings_by_code.is_empty() {
        let _ = writeln!(o, "  warnings:");
        for (c, n) in &s.warnings_by_code {
            let _ = writeln!(o, "    {:<28} {:>8}", c.code(), thousands(*n));
        }
    }
    let e = &s.expected_trained_examples;
    // A part's counts are its own lines': the minimum is the whole file's to meet.
    let met = |b: bool| {
        if s.shard.is_some() {
            String::new()
        } else if b {
            paint(colour, "32", "met")
        } else {
            paint(colour, "1;31", "NOT met")
        }
    };
    match &s.shard {
        None => {
            let _ = writeln!(
                o,
                "  expected trained examples (minimum {}):",
                s.minimum_examples
            );
        }
        Some(p) => {
            let _ = writeln!(
                o,
                "  expected trained examples in part {}/{} (the minimum is decided by merge):",
                p.index, p.count
            );
        }
    }
    let _ = writeln!(
        o,
        "    example-level policy (an example with a skipped image is dropped): {:>8}  {}",
        thousands(e.example_level),
        met(s.meets_minimum.example_level)
    );
    let _ = writeln!(
        o,
        "    image-level policy   (only the skipped image is dropped):          {:>8}  {}",
        thousands(e.image_level),
        met(s.meets_minimum.image_level)
    );
    let rep = &s.repairable_images;
    if rep.images > 0 {
        let a = &s.expected_trained_examples_after_fix;
        let lost: Vec<String> = rep
            .still_skipped_by_reason
            .iter()
            .map(|(r, n)| format!("{} {}", thousands(*n), r.code()))
            .collect();
        let _ = writeln!(
            o,
            "  after `prescreen fix`: {} of {} format-skipped image(s) would train{}",
            thousands(rep.saved),
            thousands(rep.images),
            if lost.is_empty() {
                String::new()
            } else {
                format!("; still skipped for their content: {}", lost.join(", "))
            }
        );
        let _ = writeln!(
            o,
            "    expected trained examples after fix: {} example-level, {} image-level",
            thousands(a.example_level),
            thousands(a.image_level)
        );
    }
    let _ = writeln!(
        o,
        "  tokens (estimate; detail auto counted as high): text {}  images {}  total {}",
        thousands(s.tokens.text),
        thousands(s.tokens.images),
        thousands(s.tokens.total)
    );
    if s.examples_over_token_limit > 0 {
        let _ = writeln!(
            o,
            "  {} example(s) over the token limit will be truncated",
            thousands(s.examples_over_token_limit)
        );
    }
    if !s.worst_offenders.is_empty() {
        let _ = writeln!(o, "  worst offenders:");
        for w in &s.worst_offenders {
            let status = paint(colour, "33", w.status.code());
            let _ = writeln!(o, "    line {}: {status}: {}", w.line, w.what);
        }
    }
    if !s.not_screened.is_empty() {
        // Never let a clean report read as "policy-safe".
        let _ = writeln!(
            o,
            "  not screened (the provider may still skip such images): {}",
            s.not_screened.join(", ").replace('_', " ")
        );
    }
    if let Some(c) = &s.cache {
        match &c.error {
            Some(e) => {
                let _ = writeln!(o, "  result cache not used: {e}");
            }
            None if c.images_from_cache > 0 => {
                let _ = writeln!(
                    o,
                    "  {} image(s) read from the result cache ({})",
                    thousands(c.images_from_cache),
                    c.file
                );
            }
            None => {}
        }
    }
    if let Some(l) = s.stopped_at_line {
        let _ = writeln!(o, "  stopped at line {l} (--fail-fast)");
    }
    let _ = writeln!(
        o,
        "{} {}",
        paint(colour, if s.passes { "1;32" } else { "1;31" }, "verdict:"),
        s.verdict
    );
    o
}
