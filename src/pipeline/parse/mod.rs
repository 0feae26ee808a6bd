//! Parse stage: one JSONL line in a single pass, checked against the chat fine-tuning format.
//! `loose` reads the JSON without ever failing on a shape; `rules` judges what it read.

mod loose;
mod rules;
pub mod splice;

use std::borrow::Cow;

use crate::codes::{Detail, ErrorCode, Warning, WarningCode};
pub use crate::report::StructureError;

pub use rules::parse;

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
    /// Text that the provider tokenizes, in order: roles, names, tool calls' names and
    /// arguments, text content, and tool definitions.
    pub texts: Vec<Cow<'a, str>>,
    pub message_count: usize,
    /// Messages with a `name` (each costs one token more).
    pub names: usize,
    /// Risks in the line that do not make it invalid.
    pub warnings: Vec<Warning>,
}

impl<'a> Example<'a> {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn warn(&mut self, code: WarningCode, message: String) {
        self.warnings.push(Warning::new(code, message));
    }

    fn error(&mut self, code: ErrorCode, message: String, m: Option<usize>, b: Option<usize>) {
        self.errors.push(StructureError {
            code,
            message,
            message_index: m,
            block_index: b,
        });
    }
}
