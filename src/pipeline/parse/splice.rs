//! Rewrite image blocks of a line while keeping every other value exactly as written: numbers
//! (`12345678901234567890123`, `1e2`), string escapes, nesting of any depth. Only the path to
//! an edited block is re-read (objects as ordered maps of raw values); everything else is
//! copied as its original text.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::value::RawValue;

/// An object as written: every key in its order (duplicates too), values as raw text.
struct RawObject(Vec<(String, Box<RawValue>)>);

impl RawObject {
    /// The value a JSON reader sees for `key`: the last one written.
    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    fn insert(&mut self, key: &str, value: Box<RawValue>) {
        match self.0.iter_mut().rev().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }
}

impl<'de> serde::Deserialize<'de> for RawObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<RawObject, A::Error> {
                let mut entries = Vec::new();
                while let Some(e) = m.next_entry::<String, Box<RawValue>>()? {
                    entries.push(e);
                }
                Ok(RawObject(entries))
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for RawObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// What to do with one content block, keyed by (message index, block index).
#[derive(Debug, Clone, PartialEq)]
pub enum BlockEdit {
    Remove,
    /// Set fields of its `image_url` object (`url`, `detail`).
    SetImage {
        url: Option<String>,
        detail: Option<&'static str>,
    },
}

/// The line's JSON text with `edits` applied, or `None` when a removal would leave a message
/// with no content. Errors name what could not be read.
pub fn rewrite(
    content: &[u8],
    edits: &BTreeMap<(usize, usize), BlockEdit>,
) -> Result<Option<Vec<u8>>, String> {
    let mut top: RawObject = from_slice(content)?;
    let mut messages: Vec<Box<RawValue>> = from_raw(field(&top, "messages")?)?;
    let mut by_message: BTreeMap<usize, Vec<(usize, &BlockEdit)>> = BTreeMap::new();
    for (&(m, b), e) in edits {
        by_message.entry(m).or_default().push((b, e));
    }
    for (m, blocks) in by_message {
        let raw = messages
            .get(m)
            .ok_or_else(|| format!("message {m} does not exist"))?;
        let mut msg: RawObject = from_raw(raw)?;
        let mut content: Vec<Box<RawValue>> = from_raw(field(&msg, "content")?)?;
        // Highest index first, so removals do not shift the blocks still to edit.
        for (b, edit) in blocks.into_iter().rev() {
            if b >= content.len() {
                return Err(format!("message {m} has no block {b}"));
            }
            match edit {
                BlockEdit::Remove => {
                    content.remove(b);
                }
                BlockEdit::SetImage { url, detail } => {
                    let mut block: RawObject = from_raw(&content[b])?;
                    let mut iu: RawObject = from_raw(field(&block, "image_url")?)?;
                    if let Some(u) = url {
                        iu.insert("url", to_raw(u)?);
                    }
                    if let Some(d) = detail {
                        iu.insert("detail", to_raw(d)?);
                    }
                    block.insert("image_url", to_raw(&iu)?);
                    content[b] = to_raw(&block)?;
                }
            }
        }
        if content.is_empty() {
            return Ok(None);
        }
        msg.insert("content", to_raw(&content)?);
        messages[m] = to_raw(&msg)?;
    }
    top.insert("messages", to_raw(&messages)?);
    serde_json::to_vec(&top)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn field<'o>(o: &'o RawObject, key: &str) -> Result<&'o RawValue, String> {
    o.get(key).ok_or_else(|| format!("'{key}' is missing"))
}

fn from_slice<T: serde::de::DeserializeOwned>(b: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(b);
    // Depth was bounded when the line was parsed (`MAX_JSON_DEPTH`); raw values are skipped
    // without recursion anyway.
    de.disable_recursion_limit();
    let v = T::deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(v)
}

fn from_raw<T: serde::de::DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    from_slice(raw.get().as_bytes())
}

fn to_raw<T: Serialize + ?Sized>(v: &T) -> Result<Box<RawValue>, String> {
    serde_json::value::to_raw_value(v).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"id":12345678901234567890123,"messages":[{"role":"user","content":[{"type":"text","text":"caf\u00e9"},{"type":"image_url","image_url":{"url":"a.png","detail":"high"}},{"type":"image_url","image_url":{"url":"b.png"}}],"n":1e2},{"role":"assistant","content":"ok","weight":1.0}]}"#;

    #[test]
    fn untouched_values_keep_their_text() {
        let mut e = BTreeMap::new();
        e.insert((0, 1), BlockEdit::Remove);
        let out = String::from_utf8(rewrite(LINE.as_bytes(), &e).unwrap().unwrap()).unwrap();
        assert_eq!(
            out,
            r#"{"id":12345678901234567890123,"messages":[{"role":"user","content":[{"type":"text","text":"caf\u00e9"},{"type":"image_url","image_url":{"url":"b.png"}}],"n":1e2},{"role":"assistant","content":"ok","weight":1.0}]}"#
        );
    }

    #[test]
    fn image_fields_are_set_in_place() {
        let mut e = BTreeMap::new();
        e.insert(
            (0, 2),
            BlockEdit::SetImage {
                url: Some("data:image/png;base64,AAAA".into()),
                detail: Some("low"),
            },
        );
        let out = String::from_utf8(rewrite(LINE.as_bytes(), &e).unwrap().unwrap()).unwrap();
        assert!(out.contains(r#"{"url":"data:image/png;base64,AAAA","detail":"low"}"#));
        assert!(out.contains("12345678901234567890123") && out.contains("1e2"));
    }

    #[test]
    fn a_message_left_empty_is_refused() {
        let mut e = BTreeMap::new();
        for b in 0..3 {
            e.insert((0, b), BlockEdit::Remove);
        }
        assert_eq!(rewrite(LINE.as_bytes(), &e).unwrap(), None);
    }
}
