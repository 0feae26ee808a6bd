//! A lenient serde layer: every field is read into a [`Field`] that records the JSON kind it
//! found instead of failing, so one pass over a line (which may hold hundreds of MB of base64)
//! yields every structural problem with its location, and strings (image URLs above all) are
//! borrowed from the line's bytes rather than copied.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

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
pub trait Loose<'de>: Sized {
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
    pub messages: Option<Field<Vec<Field<Message<'a>>>>>,
    /// `tools` and `functions` definitions, as written: training tokens too.
    pub definitions: Vec<&'a RawValue>,
}

#[derive(Debug, Default)]
pub struct Message<'a> {
    pub role: Option<Field<Cow<'a, str>>>,
    pub content: Option<Field<Content<'a>>>,
    pub weight: Option<Field<f64>>,
    pub name: Option<Field<Cow<'a, str>>>,
    pub has_calls: bool,
    /// Every `name` and `arguments` string of its `tool_calls` / `function_call`.
    pub call_strings: Vec<Cow<'a, str>>,
    /// Keys the chat format does not know, in the order met.
    pub unknown_keys: Vec<Cow<'a, str>>,
}

#[derive(Debug)]
pub enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Field<Block<'a>>>),
}

#[derive(Debug, Default)]
pub struct Block<'a> {
    pub kind: Option<Field<Cow<'a, str>>>,
    pub text: Option<Field<Cow<'a, str>>>,
    pub image_url: Option<Field<ImageUrl<'a>>>,
}

#[derive(Debug, Default)]
pub struct ImageUrl<'a> {
    pub url: Option<Field<Cow<'a, str>>>,
    pub detail: Option<Field<Cow<'a, str>>>,
}

impl<'de> Loose<'de> for Doc<'de> {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut doc = Doc::default();
        while let Some(Key(k)) = map.next_key()? {
            match k.as_ref() {
                "messages" => doc.messages = Some(map.next_value()?),
                "tools" | "functions" => doc.definitions.push(map.next_value()?),
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
                    if let Field::Ok(c) = map.next_value::<Field<CallStrings<'de>>>()? {
                        m.call_strings.extend(c.0);
                    }
                }
                "tool_call_id" | "refusal" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    m.unknown_keys.push(k);
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

/// Every `name` and `arguments` string inside a `tool_calls` or `function_call` value, at
/// any depth: what the model is trained to write when it calls a tool.
#[derive(Debug, Default)]
pub struct CallStrings<'a>(pub Vec<Cow<'a, str>>);

impl<'de> Loose<'de> for CallStrings<'de> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut out = Vec::new();
        while let Some(f) = seq.next_element::<Field<CallStrings<'de>>>()? {
            if let Field::Ok(c) = f {
                out.extend(c.0);
            }
        }
        Ok(Some(CallStrings(out)))
    }

    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        let mut out = Vec::new();
        while let Some(Key(k)) = map.next_key()? {
            if k == "name" || k == "arguments" {
                if let Field::Ok(s) = map.next_value::<Field<Cow<'de, str>>>()? {
                    out.push(s);
                }
            } else if let Field::Ok(c) = map.next_value::<Field<CallStrings<'de>>>()? {
                out.extend(c.0);
            }
        }
        Ok(Some(CallStrings(out)))
    }
}
