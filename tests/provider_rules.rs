//! Rules the provider applies beyond the base document (`shared/provider-rules.md`, "Added
//! facts"): the 200-skipped-examples limit, unknown message keys, empty content, and tokens as
//! the provider's cookbook counts them.

mod common;
use common::*;
use serde_json::json;

fn line(messages: serde_json::Value) -> String {
    json!({ "messages": messages }).to_string()
}

fn private_image_examples(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| example(&[&format!("http://10.0.0.{}/a.png", i % 250 + 1)]))
        .collect()
}

#[test]
fn more_than_200_skipped_examples_fail_the_upload_on_azure() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = private_image_examples(205);
    lines.extend((0..20).map(|_| text_example()));
    let input = write_jsonl(dir.path(), "in.jsonl", &lines);
    let html = dir.path().join("r.html");
    let (code, r) = scan_json(&input, &["--no-detect", "--html", html.to_str().unwrap()]);
    assert_eq!(code, 1);
    let errors = r["summary"]["file_errors"].as_array().unwrap();
    let e = errors
        .iter()
        .find(|e| e["code"] == "too_many_skipped_examples")
        .unwrap_or_else(|| panic!("{errors:?}"));
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("205") && m.contains("200") && m.contains("prescreen filter"),
        "{m}"
    );
    // Under the image-level policy nothing is dropped: said beside it, but the error stands.
    let w = &r["summary"]["file_warnings"][0];
    assert_eq!(w["code"], "too_many_skipped_examples");
    assert!(
        w["message"].as_str().unwrap().contains("image-level"),
        "{w}"
    );
    assert!(!r["summary"]["passes"].as_bool().unwrap());

    // The terminal says so before anything else; so does the HTML report's verdict.
    let o = prescreen(&["scan", input.to_str().unwrap(), "--no-detect"]);
    let text = String::from_utf8_lossy(&o.stdout);
    let second = text.lines().nth(1).unwrap();
    assert!(
        second.contains("upload fails") && second.contains("205"),
        "{text}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    let verdict = page.split("class=\"verdict").nth(1).unwrap();
    assert!(verdict[..verdict.find("</p>").unwrap()].contains("prescreen filter"));

    // 200 is still allowed; OpenAI states no such limit.
    let at_limit = write_jsonl(dir.path(), "ok.jsonl", &{
        let mut l = private_image_examples(200);
        l.extend((0..20).map(|_| text_example()));
        l
    });
    let (code, r) = scan_json(&at_limit, &["--no-detect"]);
    assert_eq!(code, 0, "{}", r["summary"]);
    let (_, r) = scan_json(&input, &["--no-detect", "--provider", "openai"]);
    assert!(!r["summary"]["file_errors"]
        .to_string()
        .contains("too_many_skipped_examples"));
}

fn scan_lines(lines: &[String]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut all = lines.to_vec();
    all.extend((0..10).map(|_| text_example()));
    let input = write_jsonl(dir.path(), "in.jsonl", &all);
    scan_json(&input, &["--no-detect"]).1
}

fn warning_codes(ex: &serde_json::Value) -> Vec<String> {
    ex["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn unknown_message_keys_are_named() {
    let r = scan_lines(&[line(json!([
        {"role": "user", "content": "hi", "contents": "typo", "foo": 1},
        {"role": "assistant", "content": "a", "refusal": null},
        {"role": "tool", "tool_call_id": "x", "content": "r"}
    ]))]);
    let ex = &r["examples"][0];
    assert_eq!(ex["status"], "ok", "a warning, not an error: {ex}");
    assert_eq!(
        warning_codes(ex),
        ["unknown_message_key", "unknown_message_key"]
    );
    let text = ex["warnings"].to_string();
    assert!(
        text.contains("'contents'") && text.contains("'foo'"),
        "{text}"
    );
    assert_eq!(r["summary"]["warnings_by_code"]["unknown_message_key"], 2);
}

#[test]
fn empty_content_is_reported() {
    let r = scan_lines(&[
        line(json!([{"role": "user", "content": ""}, {"role": "assistant", "content": "a"}])),
        line(json!([{"role": "user", "content": []}, {"role": "assistant", "content": "a"}])),
        line(json!([
            {"role": "user", "content": [{"type": "text", "text": "  "}]},
            {"role": "assistant", "content": "a"}
        ])),
        // Not empty: an image, or a tool call instead of content.
        line(json!([
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": data_uri("image/png", &fixture("rgb.png"))}}]},
            {"role": "assistant", "content": "", "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "1", "content": "x"},
            {"role": "assistant", "content": "a"}
        ])),
    ]);
    for i in 0..3 {
        assert_eq!(warning_codes(&r["examples"][i]), ["empty_content"], "{i}");
        assert_ne!(r["examples"][i]["status"], "invalid");
    }
    assert!(
        warning_codes(&r["examples"][3]).is_empty(),
        "{}",
        r["examples"][3]
    );
}

/// Reference totals from the provider cookbook's `num_tokens_from_messages` (3 tokens per
/// message, 1 per name, 3 to prime the reply), run in Python with tiktoken 0.14.0's
/// o200k_base: E1 30, E2 27, E3 43, E4 26, E5 33.
#[test]
fn text_tokens_match_the_cookbook() {
    let cases = [
        (
            json!([{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"},{"role":"assistant","content":"Paris."}]),
            30,
        ),
        (
            json!([{"role":"user","content":"Hi","name":"alice"},{"role":"assistant","content":"Hello, Alice! How can I help you today?","name":"bot"}]),
            27,
        ),
        (
            json!([{"role":"system","content":"Translate to German."},{"role":"user","content":"The quick brown fox jumps over the lazy dog."},{"role":"assistant","content":"Der schnelle braune Fuchs springt über den faulen Hund."}]),
            43,
        ),
        (
            json!([{"role":"user","content":"Line one\nLine two\n\nこんにちは 🌍"},{"role":"assistant","content":"Two lines and a greeting."}]),
            26,
        ),
        (
            json!([{"role":"developer","content":"Answer in one word.","name":"policy_bot"},{"role":"user","content":"Colour of the sky on a clear day?"},{"role":"assistant","content":"Blue"}]),
            33,
        ),
    ];
    let lines: Vec<String> = cases.iter().map(|(m, _)| line(m.clone())).collect();
    let r = scan_lines(&lines);
    for (i, (_, want)) in cases.iter().enumerate() {
        assert_eq!(r["examples"][i]["tokens"]["total"], *want, "E{}", i + 1);
    }
}

#[test]
fn tool_calls_and_tool_definitions_are_training_tokens() {
    let call = |calls: serde_json::Value| {
        line(json!([
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": null, "tool_calls": calls},
            {"role": "tool", "tool_call_id": "call_1", "content": "18"},
            {"role": "assistant", "content": "18 degrees."}
        ]))
    };
    let with_tools = |tools: serde_json::Value| {
        let mut v: serde_json::Value = serde_json::from_str(&call(json!([]))).unwrap();
        v["tools"] = tools;
        v.to_string()
    };
    let tools = json!([{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]);
    let r = scan_lines(&[
        call(json!([])),
        call(json!([{"id": "call_1", "type": "function", "function": {
            "name": "get_weather",
            "arguments": "{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"
        }}])),
        with_tools(tools.clone()),
        line(
            json!([{"role": "user", "content": "q", "name": 7}, {"role": "assistant", "content": "a"}]),
        ),
    ]);
    let total = |i: usize| r["examples"][i]["tokens"]["total"].as_u64().unwrap();
    // "get_weather" is 2 tokens and the arguments 12 (tiktoken, o200k_base).
    assert_eq!(total(1) - total(0), 14);
    assert!(total(2) > total(0) + 5, "{} vs {}", total(2), total(0));
    let bad = &r["examples"][3];
    assert_eq!(bad["status"], "invalid");
    assert_eq!(bad["errors"][0]["code"], "invalid_name");
}
