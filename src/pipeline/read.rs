//! Read stage: split a JSONL stream into lines, keeping every byte so later commands can
//! write a line back exactly as it was read.

use std::io::{self, BufRead, Read, Seek, SeekFrom};

use crate::options::Shard;

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
        Self::numbered_from(inner, 1)
    }

    /// Lines of a part of a file whose first line is line `number` of the whole.
    pub fn numbered_from(inner: R, number: u64) -> Self {
        LineReader {
            inner,
            next_number: number,
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

/// The byte range `[start, end)` of `shard` in a file of `size` bytes: the N ranges cover the
/// file, in order, without overlap, each starting at a line start (the first line starting at
/// or after its share `(K-1)·size/N`), so every line falls in exactly one part. A part may be
/// empty (more parts than lines). Reads only a line's worth around each boundary.
pub fn shard_range<F: Read + Seek>(
    file: &mut F,
    size: u64,
    shard: Shard,
) -> io::Result<(u64, u64)> {
    let share = |k: u32| (size as u128 * (k as u128 - 1) / shard.count as u128) as u64;
    let start = line_start_from(file, size, share(shard.index))?;
    let end = if shard.index == shard.count {
        size
    } else {
        line_start_from(file, size, share(shard.index + 1))?
    };
    Ok((start, end))
}

/// Feed up to `limit` bytes of `input` to `hash`; returns how many line breaks they held.
pub fn digest<R: BufRead>(input: &mut R, limit: u64, hash: &mut sha2::Sha256) -> io::Result<u64> {
    use sha2::Digest;
    let mut left = limit;
    let mut newlines = 0;
    while left > 0 {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        hash.update(&buf[..n]);
        newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        input.consume(n);
        left -= n as u64;
    }
    Ok(newlines)
}

/// The first line start at or after `pos`: `pos` itself if the byte before it ends a line.
fn line_start_from<F: Read + Seek>(file: &mut F, size: u64, pos: u64) -> io::Result<u64> {
    if pos == 0 || pos >= size {
        return Ok(pos.min(size));
    }
    file.seek(SeekFrom::Start(pos - 1))?;
    let mut reader = io::BufReader::with_capacity(64 << 10, file);
    let mut at = pos - 1;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(size);
        }
        if let Some(i) = memchr::memchr(b'\n', buf) {
            return Ok(at + i as u64 + 1);
        }
        let n = buf.len();
        at += n as u64;
        reader.consume(n);
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

    /// Every line in exactly one part, in order, for every way of cutting.
    #[test]
    fn shards_cover_every_line_once() {
        let input = b"\xEF\xBB\xBF{\"a\":1}\r\n\n{\"b\":22222222222}\n{}\n  \n{\"c\":3}";
        let whole: Vec<Vec<u8>> = lines(input).into_iter().map(|l| l.bytes).collect();
        for count in 1..=12 {
            let mut parts = Vec::new();
            let mut next = 0;
            for index in 1..=count {
                let mut f = io::Cursor::new(&input[..]);
                let (start, end) =
                    shard_range(&mut f, input.len() as u64, Shard { index, count }).unwrap();
                assert_eq!(
                    start,
                    next,
                    "{index}/{count} starts where {}/{count} ended",
                    index - 1
                );
                assert!(
                    start == 0 || input[start as usize - 1] == b'\n' || start == input.len() as u64
                );
                next = end;
                parts.extend(
                    lines(&input[start as usize..end as usize])
                        .into_iter()
                        .map(|l| l.bytes),
                );
            }
            assert_eq!(next, input.len() as u64);
            assert_eq!(parts, whole, "{count} parts");
        }
    }

    #[test]
    fn blank_lines_are_kept_and_numbered() {
        let ls = lines(b"{}\n\n  \n{}\n");
        assert_eq!(ls.len(), 4);
        assert!(ls[1].is_blank() && ls[2].is_blank());
        assert_eq!(ls[3].number, 4);
    }
}
