//! Structure stage: parse one JSONL line in a single pass and check it against the chat
//! fine-tuning format.
//!
//! The parse is lenient on purpose: every field is read into a [`Field`] that records the JSON
//! kind it found instead of failing, so one pass over the line (which may hold hundreds of MB of
//! base64) yields every structural problem with its location, and image URLs are borrowed from
//! the line's bytes rather than copied.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use crate::provider::{DETAILS, KNOWN_BLOCK_TYPES, KNOWN_ROLES};

/// The JSON kind of a value, for "expected X, found Y" messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        })
    }
}

/// A value of the expected shape, or the kind that was found instead.
#[derive(Debug)]
pub enum Field<T> {
    Ok(T),
    Wrong(Kind),
}

/// How a type is built from each JSON kind; `None` means "not this kind".
trait Loose<'de>: Sized {
    fn from_str(_s: Cow<'de, str>) -> Option<Self> {
        None
    }
    fn from_number(_n: f64) -> Option<Self> {
        None
    }
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

struct FieldVisitor<T>(std::marker::PhantomData<T>);

impl<T> FieldVisitor<T> {
    fn kind<E>(r: Option<T>, k: Kind) -> Result<Field<T>, E> {
        Ok(match r {
            Some(v) => Field::Ok(v),
            None => Field::Wrong(k),
        })
    }
}

impl<'de, T: Loose<'de>> Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Field::Wrong(Kind::Bool))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Self::kind(T::from_number(v as f64), Kind::Number)
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Self::kind(T::from_number(v as f64), Kind::Number)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Self::kind(T::from_number(v), Kind::Number)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Self::kind(T::from_str(Cow::Borrowed(v)), Kind::String)
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Self::kind(T::from_str(Cow::Owned(v.to_owned())), Kind::String)
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Self::kind(T::from_str(Cow::Owned(v)), Kind::String)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Wrong(Kind::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Wrong(Kind::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Self::kind(T::from_seq(seq)?, Kind::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::kind(T::from_map(map)?, Kind::Object)
    }
}

impl<'de, T: Loose<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor(std::marker::PhantomData))
    }
}

impl<'de> Loose<'de> for Cow<'de, str> {
    fn from_str(s: Cow<'de, str>) -> Option<Self> {
        Some(s)
    }
}

impl<'de> Loose<'de> for f64 {
    fn from_number(n: f64) -> Option<Self> {
        Some(n)
    }
}

impl<'de, T: Loose<'de>> Loose<'de> for Vec<Field<T>> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(v) = seq.next_element::<Field<T>>()? {
            out.push(v);
        }
        Ok(Some(out))
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Field::<Cow<'de, str>>::deserialize(d)? {
            Field::Ok(s) => Ok(Key(s)),
            Field::Wrong(k) => Err(de::Error::custom(format!("object key is {k}"))),
        }
    }
}

/// The top level of one line.
#[derive(Debug, Default)]
pub struct Doc<'a> {
    messages: Option<Field<Vec<Field<Message<'a>>>>>,
}

#[derive(Debug, Default)]
struct Message<'a> {
    role: Option<Field<Cow<'a, str>>>,
    content: Option<Field<Content<'a>>>,
    weight: Option<Field<f64>>,
    name: Option<Field<Cow<'a, str>>>,
    has_calls: bool,
}

#[derive(Debug)]
enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Field<Block<'a>>>),
}

#[derive(Debug, Default)]
struct Block<'a> {
    kind: Option<Field<Cow<'a, str>>>,
    text: Option<Field<Cow<'a, str>>>,
    image_url: Option<Field<ImageUrl<'a>>>,
}

#[derive(Debug, Default)]
struct ImageUrl<'a> {
    url: Option<Field<Cow<'a, str>>>,
    detail: Option<Field<Cow<'a, str>>>,
}

impl<'de> Loose<'de> for Doc<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut doc = Doc::default();
        while let Some(Key(k)) = map.next_key()? {
            match k.as_ref() {
                "messages" => doc.messages = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(doc))
    }
}

impl<'de> Loose<'de> for Message<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut m = Message::default();
        while let Some(Key(k)) = map.next_key()? {
            match k.as_ref() {
                "role" => m.role = Some(map.next_value()?),
                "content" => m.content = Some(map.next_value()?),
                "weight" => m.weight = Some(map.next_value()?),
                "name" => m.name = Some(map.next_value()?),
                "tool_calls" | "function_call" => {
                    m.has_calls = true;
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(m))
    }
}

impl<'de> Loose<'de> for Content<'de> {
    fn from_str(s: Cow<'de, str>) -> Option<Self> {
        Some(Content::Text(s))
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        Ok(Vec::<Field<Block<'de>>>::from_seq(seq)?.map(Content::Blocks))
    }
}

impl<'de> Loose<'de> for Block<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut b = Block::default();
        while let Some(Key(k)) = map.next_key()? {
            match k.as_ref() {
                "type" => b.kind = Some(map.next_value()?),
                "text" => b.text = Some(map.next_value()?),
                "image_url" => b.image_url = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(b))
    }
}

impl<'de> Loose<'de> for ImageUrl<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut u = ImageUrl::default();
        while let Some(Key(k)) = map.next_key()? {
            match k.as_ref() {
                "url" => u.url = Some(map.next_value()?),
                "detail" => u.detail = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(u))
    }
}

/// `detail` of an image block; absent means the provider's default, `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detail {
    Low,
    High,
    Auto,
}

impl Detail {
    fn parse(s: &str) -> Option<Detail> {
        match s {
            "low" => Some(Detail::Low),
            "high" => Some(Detail::High),
            "auto" => Some(Detail::Auto),
            _ => None,
        }
    }
}

/// A structural problem that makes the provider reject the line (or the file).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct StructureError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_index: Option<usize>,
}

/// An `image_url` block found in a user message.
#[derive(Debug, Clone)]
pub struct ImageRef<'a> {
    /// 0-based position among the example's images.
    pub index: usize,
    pub message_index: usize,
    pub block_index: usize,
    pub url: Cow<'a, str>,
    pub detail: Detail,
    /// Whether `detail` was given; absent is counted as `auto`.
    pub detail_given: bool,
}

/// Everything later stages need from one line.
#[derive(Debug, Default)]
pub struct Example<'a> {
    pub errors: Vec<StructureError>,
    pub images: Vec<ImageRef<'a>>,
    /// Text that the provider tokenizes, in order: roles, names and text content.
    pub texts: Vec<Cow<'a, str>>,
    pub message_count: usize,
}

impl<'a> Example<'a> {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, code: &'static str, message: String, m: Option<usize>, b: Option<usize>) {
        self.errors.push(StructureError {
            code: code.to_owned(),
            message,
            message_index: m,
            block_index: b,
        });
    }
}

/// Parse and check one line's JSON text (BOM and terminator already removed).
pub fn parse(content: &[u8]) -> Example<'_> {
    let mut ex = Example::default();
    if content.iter().all(u8::is_ascii_whitespace) {
        ex.error(
            "invalid_json",
            "line is empty: every line of a JSONL file must be one JSON object".into(),
            None,
            None,
        );
        return ex;
    }
    let mut de = serde_json::Deserializer::from_slice(content);
    let top = match Field::<Doc<'_>>::deserialize(&mut de).and_then(|t| de.end().map(|_| t)) {
        Ok(t) => t,
        Err(e) => {
            ex.error(
                "invalid_json",
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
                "not_an_object",
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
                "missing_messages",
                "'messages' is missing".into(),
                None,
                None,
            );
            return ex;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                "invalid_messages",
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
            "invalid_messages",
            "'messages' must be a non-empty array, found an empty array".into(),
            None,
            None,
        );
        return ex;
    }
    ex.message_count = messages.len();
    let mut has_assistant = false;
    for (mi, msg) in messages.into_iter().enumerate() {
        let msg = match msg {
            Field::Ok(m) => m,
            Field::Wrong(k) => {
                ex.error(
                    "invalid_message",
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
            "no_assistant_message",
            "example has no assistant message to learn from".into(),
            None,
            None,
        );
    }
    ex
}

fn check_message<'a>(ex: &mut Example<'a>, mi: usize, msg: Message<'a>, has_assistant: &mut bool) {
    let role = match msg.role {
        None => {
            ex.error(
                "missing_role",
                "Discriminator 'role' is missing in value".into(),
                Some(mi),
                None,
            );
            None
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                "unknown_role",
                format!("'role' must be a string, found {k}"),
                Some(mi),
                None,
            );
            None
        }
        Some(Field::Ok(r)) if !KNOWN_ROLES.contains(&r.as_ref()) => {
            ex.error(
                "unknown_role",
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

    match msg.weight {
        None => {}
        Some(_) if role.is_some() && !is_assistant => ex.error(
            "invalid_weight",
            "'weight' is only allowed on assistant messages".into(),
            Some(mi),
            None,
        ),
        Some(Field::Ok(w)) if w == 0.0 || w == 1.0 => {}
        Some(Field::Ok(w)) => ex.error(
            "invalid_weight",
            format!("'weight' must be 0 or 1, found {w}"),
            Some(mi),
            None,
        ),
        Some(Field::Wrong(k)) => ex.error(
            "invalid_weight",
            format!("'weight' must be 0 or 1, found {k}"),
            Some(mi),
            None,
        ),
    }

    if let Some(r) = role {
        ex.texts.push(r);
    }
    if let Some(Field::Ok(n)) = msg.name {
        ex.texts.push(n);
    }

    match msg.content {
        None if is_assistant && msg.has_calls => {}
        None => ex.error(
            "missing_content",
            "'content' is missing".into(),
            Some(mi),
            None,
        ),
        Some(Field::Wrong(Kind::Null)) if is_assistant && msg.has_calls => {}
        Some(Field::Wrong(k)) => ex.error(
            "invalid_content",
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
                "invalid_block",
                format!("content block must be an object, found {k}"),
                m,
                b,
            );
            return;
        }
    };
    let kind = match block.kind {
        None => {
            ex.error("invalid_block", "content block has no 'type'".into(), m, b);
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                "invalid_block",
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
                "invalid_block",
                format!("text block 'text' must be a string, found {k}"),
                m,
                b,
            ),
            None => ex.error("invalid_block", "text block has no 'text'".into(), m, b),
        },
        "image_url" => {
            if !is_user {
                ex.error(
                    "image_not_in_user_message",
                    "images can only appear in user messages".into(),
                    m,
                    b,
                );
            }
            check_image(ex, mi, bi, block.image_url, is_user);
        }
        other => ex.error(
            "unknown_block_type",
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
                "missing_image_url",
                "image_url block has no 'image_url' object".into(),
                m,
                b,
            );
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                "missing_image_url",
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
                    "invalid_detail",
                    format!(
                        "'detail' must be one of {}, found '{}'",
                        DETAILS.join(", "),
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
                "invalid_detail",
                format!("'detail' must be one of {}, found {k}", DETAILS.join(", ")),
                m,
                b,
            );
            (Detail::Auto, true)
        }
    };
    let url = match iu.url {
        None => {
            ex.error("missing_url", "'image_url' has no 'url'".into(), m, b);
            return;
        }
        Some(Field::Wrong(k)) => {
            ex.error(
                "missing_url",
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

/// At most `max` characters of `s`, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(line: &str) -> Vec<String> {
        parse(line.as_bytes())
            .errors
            .into_iter()
            .map(|e| e.code)
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
