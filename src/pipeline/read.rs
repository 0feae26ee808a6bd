//! Read stage: split a JSONL stream into lines, keeping every byte so later commands can
//! write a line back exactly as it was read.

use std::io::{self, BufRead};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One physical line of the input.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number, as an editor shows it.
    pub number: u64,
    /// The exact bytes read, terminator (and a leading BOM on line 1) included.
    pub bytes: Vec<u8>,
    content_start: usize,
    content_end: usize,
}

impl Line {
    pub fn new(number: u64, bytes: Vec<u8>) -> Line {
        let content_start = if number == 1 && bytes.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let mut content_end = bytes.len();
        if bytes[content_start..content_end].ends_with(b"\n") {
            content_end -= 1;
        }
        if bytes[content_start..content_end].ends_with(b"\r") {
            content_end -= 1;
        }
        Line {
            number,
            bytes,
            content_start,
            content_end,
        }
    }

    /// The JSON text of the line: no BOM, no line terminator.
    pub fn content(&self) -> &[u8] {
        &self.bytes[self.content_start..self.content_end]
    }

    /// The byte-order mark the line started with, if any (line 1 only).
    pub fn bom(&self) -> &[u8] {
        &self.bytes[..self.content_start]
    }

    /// The line terminator as read (`\n`, `\r\n`, or nothing on a last line without one).
    pub fn terminator(&self) -> &[u8] {
        &self.bytes[self.content_end..]
    }

    pub fn is_blank(&self) -> bool {
        self.content().iter().all(u8::is_ascii_whitespace)
    }
}

/// Streams lines from any reader; memory is one line at a time, however long the line.
pub struct LineReader<R> {
    inner: R,
    next_number: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            next_number: 1,
        }
    }

    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        let mut buf = Vec::new();
        let n = self.inner.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        let line = Line::new(self.next_number, buf);
        self.next_number += 1;
        Ok(Some(line))
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = io::Result<Line>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_line().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Line> {
        LineReader::new(input).map(|l| l.unwrap()).collect()
    }

    #[test]
    fn bom_crlf_and_missing_final_newline() {
        let ls = lines(b"\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":2}\n{\"c\":3}");
        assert_eq!(ls.len(), 3);
        assert_eq!(ls[0].content(), b"{\"a\":1}");
        assert_eq!(ls[0].bytes, b"\xEF\xBB\xBF{\"a\":1}\r\n");
        assert_eq!(ls[1].content(), b"{\"b\":2}");
        assert_eq!(ls[2].content(), b"{\"c\":3}");
        assert_eq!(ls[2].number, 3);
    }

    #[test]
    fn bom_only_on_first_line() {
        let ls = lines(b"{}\n\xEF\xBB\xBF{}\n");
        assert_eq!(ls[1].content(), b"\xEF\xBB\xBF{}");
    }

    #[test]
    fn blank_lines_are_kept_and_numbered() {
        let ls = lines(b"{}\n\n  \n{}\n");
        assert_eq!(ls.len(), 4);
        assert!(ls[1].is_blank() && ls[2].is_blank());
        assert_eq!(ls[3].number, 4);
    }
}
