//! The chat fine-tuning format's rules, applied to one parsed line: each problem becomes a
//! located [`StructureError`], each image block of a user message an [`ImageRef`].

use std::borrow::Cow;

use serde::Deserialize;

use super::loose::{Block, Content, Doc, Field, ImageUrl, Kind, Message};
use super::{Example, ImageRef};
use crate::codes::{Detail, ErrorCode, WarningCode};
use crate::provider::{KNOWN_BLOCK_TYPES, KNOWN_MESSAGE_KEYS, KNOWN_ROLES, MAX_JSON_DEPTH};
use crate::text::truncate;

/// Parse and check one line's JSON text (BOM and terminator already removed).
pub fn parse(content: &[u8]) -> Example<'_> {
    let mut ex = Example::default();
    if content.iter().all(u8::is_ascii_whitespace) {
        ex.error(
            ErrorCode::InvalidJson,
            "line is empty: every line of a JSONL file must be one JSON object".into(),
            None,
            None,
        );
        return ex;
    }
    if nests_deeper_than(content, MAX_JSON_DEPTH) {
        ex.error(
            ErrorCode::InvalidJson,
            format!(
                "line contains invalid json: arrays and objects nested more than {MAX_JSON_DEPTH} levels deep (the provider's JSON parser stops near 1,000)"
            ),
            None,
            None,
        );
        return ex;
    }
    let mut de = serde_json::Deserializer::from_slice(content);
    // Depth is bounded just above, and the same rule holds for every command.
    de.disable_recursion_limit();
    let top = match Field::<Doc<'_>>::deserialize(&mut de).and_then(|t| de.end().map(|_| t)) {
        Ok(t) => t,
        Err(e) => {
            ex.error(
                ErrorCode::InvalidJson,
                format!("line contains invalid json: {e}"),
                None,
                None,
            );
            return ex;
        }
    };
    let doc = match top {
        Field::Ok(d) => d,
        Field::Wrong(k) => {
            ex.error(
                ErrorCode::NotAnObject,
                format!("line is not a dictionary: expected a JSON object, found {k}"),
                None,
                None,
            );
            return ex;
        }
    };
    let messages = match doc.messages {
        None => {
            ex.error(
                ErrorCode::MissingMessages,
                "'messages' is missing".into(),
                None,
                None,
            );
            return ex;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::InvalidMessages,
                format!("'messages' must be a non-empty array, found {k}"),
                None,
                None,
            );
            return ex;
        }
        Some(Field::Ok(m)) => m,
    };
    if messages.is_empty() {
        ex.error(
            ErrorCode::InvalidMessages,
            "'messages' must be a non-empty array, found an empty array".into(),
            None,
            None,
        );
        return ex;
    }
    ex.message_count = messages.len();
    for raw in &doc.definitions {
        // Counted as the compact JSON the model is shown; the line's own spacing is not.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.get()) {
            ex.texts.push(Cow::Owned(v.to_string()));
        }
    }
    let mut has_assistant = false;
    for (mi, msg) in messages.into_iter().enumerate() {
        let msg = match msg {
            Field::Ok(m) => m,
            Field::Wrong(k) => {
                ex.error(
                    ErrorCode::InvalidMessage,
                    format!("message must be an object, found {k}"),
                    Some(mi),
                    None,
                );
                continue;
            }
        };
        check_message(&mut ex, mi, msg, &mut has_assistant);
    }
    if !has_assistant {
        ex.error(
            ErrorCode::NoAssistantMessage,
            "example has no assistant message to learn from".into(),
            None,
            None,
        );
    }
    ex
}

/// Whether arrays and objects nest more than `max` deep; strings (base64 above all) are
/// skipped whole.
fn nests_deeper_than(b: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => loop {
                i += 1;
                match b
                    .get(i..)
                    .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
                {
                    None => return false, // unterminated: the parser says so
                    Some(k) if b[i + k] == b'\\' => i += k + 1,
                    Some(k) => {
                        i += k;
                        break;
                    }
                }
            },
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

fn check_message<'a>(ex: &mut Example<'a>, mi: usize, msg: Message<'a>, has_assistant: &mut bool) {
    let role = match msg.role {
        None => {
            ex.error(
                ErrorCode::MissingRole,
                "Discriminator 'role' is missing in value".into(),
                Some(mi),
                None,
            );
            None
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::UnknownRole,
                format!("'role' must be a string, found {k}"),
                Some(mi),
                None,
            );
            None
        }
        Some(Field::Ok(r)) if !KNOWN_ROLES.contains(&r.as_ref()) => {
            ex.error(
                ErrorCode::UnknownRole,
                format!(
                    "unknown role '{}': expected one of {}",
                    truncate(&r, 40),
                    KNOWN_ROLES.join(", ")
                ),
                Some(mi),
                None,
            );
            None
        }
        Some(Field::Ok(r)) => Some(r),
    };
    let is_assistant = role.as_deref() == Some("assistant");
    let is_user = role.as_deref() == Some("user");
    *has_assistant |= is_assistant;
    let role_label = role.clone();
    let has_calls = msg.has_calls;
    let msg_content_given = matches!(msg.content, Some(Field::Ok(_)));

    match msg.weight {
        None => {}
        Some(_) if role.is_some() && !is_assistant => ex.error(
            ErrorCode::InvalidWeight,
            "'weight' is only allowed on assistant messages".into(),
            Some(mi),
            None,
        ),
        Some(Field::Ok(w)) if w == 0.0 || w == 1.0 => {}
        Some(Field::Ok(w)) => ex.error(
            ErrorCode::InvalidWeight,
            format!("'weight' must be 0 or 1, found {w}"),
            Some(mi),
            None,
        ),
        Some(Field::Wrong(k)) => ex.error(
            ErrorCode::InvalidWeight,
            format!("'weight' must be 0 or 1, found {k}"),
            Some(mi),
            None,
        ),
    }

    if let Some(r) = role {
        ex.texts.push(r);
    }
    match msg.name {
        Some(Field::Ok(n)) => {
            ex.texts.push(n);
            ex.names += 1;
        }
        Some(Field::Wrong(k)) => ex.error(
            ErrorCode::InvalidName,
            format!("'name' must be a string, found {k}"),
            Some(mi),
            None,
        ),
        None => {}
    }
    ex.texts.extend(msg.call_strings);
    for k in &msg.unknown_keys {
        ex.warn(
            WarningCode::UnknownMessageKey,
            format!(
                "message {mi} has the key '{}', which the chat format does not know (known: {})",
                truncate(k, 40),
                KNOWN_MESSAGE_KEYS.join(", ")
            ),
        );
    }
    let texts_before = ex.texts.len();
    let images_before = ex.images.len();

    match msg.content {
        None if is_assistant && has_calls => {}
        None => ex.error(
            ErrorCode::MissingContent,
            "'content' is missing".into(),
            Some(mi),
            None,
        ),
        Some(Field::Wrong(Kind::Null)) if is_assistant && has_calls => {}
        Some(Field::Wrong(k)) => ex.error(
            ErrorCode::InvalidContent,
            format!("'content' must be a string or an array of content blocks, found {k}"),
            Some(mi),
            None,
        ),
        Some(Field::Ok(Content::Text(t))) => ex.texts.push(t),
        Some(Field::Ok(Content::Blocks(blocks))) => {
            for (bi, block) in blocks.into_iter().enumerate() {
                check_block(ex, mi, bi, block, is_user);
            }
        }
    }
    // Only what this message added: empty when no text has a character and no image came.
    let empty = msg_content_given
        && ex.images.len() == images_before
        && ex.texts[texts_before..].iter().all(|t| t.trim().is_empty());
    if empty && !(is_assistant && has_calls) {
        ex.warn(
            WarningCode::EmptyContent,
            format!(
                "message {mi} ({}) has empty content: the cookbook's checks reject it; give it text or drop the message",
                role_label.as_deref().unwrap_or("no role")
            ),
        );
    }
}

fn check_block<'a>(
    ex: &mut Example<'a>,
    mi: usize,
    bi: usize,
    block: Field<Block<'a>>,
    is_user: bool,
) {
    let (m, b) = (Some(mi), Some(bi));
    let block = match block {
        Field::Ok(b) => b,
        Field::Wrong(k) => {
            ex.error(
                ErrorCode::InvalidBlock,
                format!("content block must be an object, found {k}"),
                m,
                b,
            );
            return;
        }
    };
    let kind = match block.kind {
        None => {
            ex.error(
                ErrorCode::InvalidBlock,
                "content block has no 'type'".into(),
                m,
                b,
            );
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::InvalidBlock,
                format!("content block 'type' must be a string, found {k}"),
                m,
                b,
            );
            return;
        }
        Some(Field::Ok(t)) => t,
    };
    match kind.as_ref() {
        "text" => match block.text {
            Some(Field::Ok(t)) => ex.texts.push(t),
            Some(Field::Wrong(k)) => ex.error(
                ErrorCode::InvalidBlock,
                format!("text block 'text' must be a string, found {k}"),
                m,
                b,
            ),
            None => ex.error(
                ErrorCode::InvalidBlock,
                "text block has no 'text'".into(),
                m,
                b,
            ),
        },
        "image_url" => {
            if !is_user {
                ex.error(
                    ErrorCode::ImageNotInUserMessage,
                    "images can only appear in user messages".into(),
                    m,
                    b,
                );
            }
            check_image(ex, mi, bi, block.image_url, is_user);
        }
        other => ex.error(
            ErrorCode::UnknownBlockType,
            format!(
                "unknown content block type '{}': expected one of {}",
                truncate(other, 40),
                KNOWN_BLOCK_TYPES.join(", ")
            ),
            m,
            b,
        ),
    }
}

fn check_image<'a>(
    ex: &mut Example<'a>,
    mi: usize,
    bi: usize,
    image_url: Option<Field<ImageUrl<'a>>>,
    is_user: bool,
) {
    let (m, b) = (Some(mi), Some(bi));
    let iu = match image_url {
        None => {
            ex.error(
                ErrorCode::MissingImageUrl,
                "image_url block has no 'image_url' object".into(),
                m,
                b,
            );
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::MissingImageUrl,
                format!("'image_url' must be an object with a 'url', found {k}"),
                m,
                b,
            );
            return;
        }
        Some(Field::Ok(iu)) => iu,
    };
    let (detail, detail_given) = match iu.detail {
        None => (Detail::Auto, false),
        Some(Field::Ok(d)) => match Detail::parse(&d) {
            Some(d) => (d, true),
            None => {
                ex.error(
                    ErrorCode::InvalidDetail,
                    format!(
                        "'detail' must be one of {}, found '{}'",
                        Detail::ALL
                            .iter()
                            .map(|d| d.code())
                            .collect::<Vec<_>>()
                            .join(", "),
                        truncate(&d, 40)
                    ),
                    m,
                    b,
                );
                (Detail::Auto, true)
            }
        },
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::InvalidDetail,
                format!(
                    "'detail' must be one of {}, found {k}",
                    Detail::ALL
                        .iter()
                        .map(|d| d.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                m,
                b,
            );
            (Detail::Auto, true)
        }
    };
    let url = match iu.url {
        None => {
            ex.error(
                ErrorCode::MissingUrl,
                "'image_url' has no 'url'".into(),
                m,
                b,
            );
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                ErrorCode::MissingUrl,
                format!("'image_url.url' must be a string, found {k}"),
                m,
                b,
            );
            return;
        }
        Some(Field::Ok(u)) => u,
    };
    // Images outside user messages already make the line invalid; they are not screened.
    if is_user {
        let index = ex.images.len();
        ex.images.push(ImageRef {
            index,
            message_index: mi,
            block_index: bi,
            url,
            detail,
            detail_given,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn codes(line: &str) -> Vec<String> {
        parse(line.as_bytes())
            .errors
            .into_iter()
            .map(|e| e.code.code().to_owned())
            .collect()
    }

    const OK: &str = r#"{"messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]},{"role":"assistant","content":"yo","weight":1}]}"#;

    #[test]
    fn valid_example_yields_images_and_texts() {
        let ex = parse(OK.as_bytes());
        assert!(ex.is_valid(), "{:?}", ex.errors);
        assert_eq!(ex.images.len(), 1);
        let img = &ex.images[0];
        assert_eq!((img.message_index, img.block_index), (1, 1));
        assert_eq!(img.detail, Detail::Low);
        assert!(
            matches!(img.url, Cow::Borrowed(_)),
            "url must not be copied"
        );
        assert_eq!(ex.message_count, 3);
    }

    #[test]
    fn each_structure_rule_fails() {
        let cases: &[(&str, &str)] = &[
            (r#"{"messages": [}"#, "invalid_json"),
            (r#"{"messages":[]} trailing"#, "invalid_json"),
            ("", "invalid_json"),
            ("[1,2]", "not_an_object"),
            (r#"{"msgs":[]}"#, "missing_messages"),
            (r#"{"messages":"hi"}"#, "invalid_messages"),
            (r#"{"messages":[]}"#, "invalid_messages"),
            (
                r#"{"messages":[1,{"role":"assistant","content":"a"}]}"#,
                "invalid_message",
            ),
            (
                r#"{"messages":[{"content":"x"},{"role":"assistant","content":"a"}]}"#,
                "missing_role",
            ),
            (
                r#"{"messages":[{"role":"robot","content":"x"},{"role":"assistant","content":"a"}]}"#,
                "unknown_role",
            ),
            (
                r#"{"messages":[{"role":"user","content":5},{"role":"assistant","content":"a"}]}"#,
                "invalid_content",
            ),
            (
                r#"{"messages":[{"role":"user"},{"role":"assistant","content":"a"}]}"#,
                "missing_content",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"audio"}]},{"role":"assistant","content":"a"}]}"#,
                "unknown_block_type",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"text":"x"}]},{"role":"assistant","content":"a"}]}"#,
                "invalid_block",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"text"}]},{"role":"assistant","content":"a"}]}"#,
                "invalid_block",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"image_url"}]},{"role":"assistant","content":"a"}]}"#,
                "missing_image_url",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":"http://x/a.png"}]},{"role":"assistant","content":"a"}]}"#,
                "missing_image_url",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"detail":"low"}}]},{"role":"assistant","content":"a"}]}"#,
                "missing_url",
            ),
            (
                r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x/a.png","detail":"medium"}}]},{"role":"assistant","content":"a"}]}"#,
                "invalid_detail",
            ),
            (
                r#"{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"image_url","image_url":{"url":"http://x/a.png"}}]}]}"#,
                "image_not_in_user_message",
            ),
            (
                r#"{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0.5}]}"#,
                "invalid_weight",
            ),
            (
                r#"{"messages":[{"role":"user","content":"q","weight":1},{"role":"assistant","content":"a"}]}"#,
                "invalid_weight",
            ),
            (
                r#"{"messages":[{"role":"user","content":"q"}]}"#,
                "no_assistant_message",
            ),
        ];
        for (line, code) in cases {
            let got = codes(line);
            assert!(
                got.iter().any(|g| g == code),
                "{line}: expected {code}, got {got:?}"
            );
        }
    }

    #[test]
    fn nesting_depth_skips_strings() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(!nests_deeper_than(deep(900).as_bytes(), 900));
        assert!(nests_deeper_than(deep(901).as_bytes(), 900));
        let s = format!(r#"{{"a":"{}\"[[[","b":[1]}}"#, "[".repeat(2000));
        assert!(!nests_deeper_than(s.as_bytes(), 2));
    }

    #[test]
    fn passing_variants() {
        let ok: &[&str] = &[
            r#"{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0}]}"#,
            r#"{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[]},{"role":"tool","content":"r"},{"role":"assistant","content":"a"}]}"#,
            r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/a.png","detail":"auto"}}]},{"role":"assistant","content":"a"}],"extra":{"k":[1,2]}}"#,
        ];
        for line in ok {
            assert_eq!(codes(line), Vec::<String>::new(), "{line}");
        }
    }

    #[test]
    fn locations_are_reported() {
        let ex = parse(
            br#"{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"x","detail":"huge"}}]},{"role":"assistant","content":"a"}]}"#,
        );
        assert_eq!(ex.errors[0].message_index, Some(0));
        assert_eq!(ex.errors[0].block_index, Some(1));
    }

    #[test]
    fn escaped_url_is_unescaped() {
        let ex = parse(
            br#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https:\/\/x\/a.png"}}]},{"role":"assistant","content":"a"}]}"#,
        );
        assert_eq!(ex.images[0].url, "https://x/a.png");
        assert_eq!(ex.images[0].detail, Detail::Auto);
        assert!(!ex.images[0].detail_given);
    }
}
