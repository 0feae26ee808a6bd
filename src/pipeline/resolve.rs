//! Resolve stage: turn an image block's `url` into bytes — a base64 data URI (decoded lazily),
//! an http(s) URL (fetched earlier, see [`super::fetch`]), or a local path for dataset
//! preparation.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codes::{Finding, Reason, Warning, WarningCode};
use crate::pipeline::fetch::FetchResult;
use crate::provider::Format;
pub use crate::report::SourceKind;

/// A classified `url` value.
#[derive(Debug)]
pub enum Source<'a> {
    Data {
        media_type: &'a str,
        base64: bool,
        payload: &'a str,
    },
    Url(&'a str),
    Path(PathBuf),
    /// Anything the provider cannot read: another scheme (`ftp:`, `file:`, `javascript:` …) or
    /// an empty string. Never opened as a file.
    Unsupported(String),
}

impl Source<'_> {
    pub fn kind(&self) -> SourceKind {
        match self {
            Source::Data { .. } => SourceKind::Data,
            Source::Url(_) | Source::Unsupported(_) => SourceKind::Url,
            Source::Path(_) => SourceKind::Path,
        }
    }
}

pub fn classify<'a>(url: &'a str, base_dir: &Path) -> Source<'a> {
    if let Some(rest) = strip_prefix_ci(url, "data:") {
        let (meta, payload) = rest.split_once(',').unwrap_or((rest, ""));
        let base64 = meta
            .rsplit(';')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case("base64"));
        let media_type = meta.split(';').next().unwrap_or("");
        return Source::Data {
            media_type,
            base64,
            payload,
        };
    }
    if url.trim().is_empty() {
        return Source::Unsupported("the image URL is empty".into());
    }
    match scheme(url) {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            return Source::Url(url)
        }
        Some(s) => {
            return Source::Unsupported(format!(
            "unsupported URL scheme {}: the provider reads only http(s) URLs and base64 data URIs",
            crate::text::truncate(&s.to_ascii_lowercase(), 20)
        ))
        }
        None => {}
    }
    let p = Path::new(url);
    Source::Path(if p.is_absolute() {
        p.to_path_buf()
    } else {
        base_dir.join(p)
    })
}

/// The scheme of `url` (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, then `:`).
/// One letter is a Windows drive (`C:\\data\\a.png`), not a scheme.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let s = &url[..end];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && s.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(s)
}

/// `url` with any user name and password replaced by `***`, for every report.
pub fn redact(url: &str) -> Cow<'_, str> {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return Cow::Borrowed(url);
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &url[..start], &url[start + at..])),
        None => Cow::Borrowed(url),
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// An image's bytes. Base64 payloads stay encoded until someone needs more than the headers.
#[derive(Debug, Clone)]
pub enum ImageBytes<'a> {
    Owned(Arc<Vec<u8>>),
    /// Valid, padded standard base64.
    Base64(&'a [u8]),
}

impl ImageBytes<'_> {
    pub fn len(&self) -> u64 {
        match self {
            ImageBytes::Owned(b) => b.len() as u64,
            ImageBytes::Base64(t) => {
                let pad = t.iter().rev().take(2).filter(|&&c| c == b'=').count();
                (t.len() / 4 * 3 - pad) as u64
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// At least the first `n` bytes (all of them if there are fewer).
    pub fn prefix(&self, n: usize) -> Cow<'_, [u8]> {
        match self {
            ImageBytes::Owned(b) => Cow::Borrowed(&b[..n.min(b.len())]),
            ImageBytes::Base64(t) => {
                let chars = (n.div_ceil(3) * 4).min(t.len());
                decode_b64(&t[..chars]).map(Cow::Owned).unwrap_or_default()
            }
        }
    }

    pub fn full(&self) -> Cow<'_, [u8]> {
        match self {
            ImageBytes::Owned(b) => Cow::Borrowed(b.as_slice()),
            ImageBytes::Base64(t) => Cow::Owned(decode_b64(t).unwrap_or_default()),
        }
    }
}

fn decode_b64(t: &[u8]) -> Option<Vec<u8>> {
    base64_simd::STANDARD.decode_to_vec(t).ok()
}

/// Result of resolving one image.
#[derive(Debug)]
pub enum Resolved<'a> {
    Bytes(ImageBytes<'a>),
    Failed(Finding),
    /// Not checked (e.g. `--offline`): neither skipped nor known to be fine.
    Unchecked(String),
}

pub struct ResolveOutcome<'a> {
    pub resolved: Resolved<'a>,
    pub warnings: Vec<Warning>,
    /// The media type the data URI or the HTTP response declared.
    pub declared: Option<String>,
}

/// What the resolve stage needs besides the block: fetched URLs and where paths are relative to.
pub struct ResolveContext<'f> {
    pub base_dir: PathBuf,
    pub offline: bool,
    pub max_bytes: u64,
    pub fetched: &'f HashMap<String, FetchResult>,
}

pub fn resolve<'a>(source: &Source<'a>, ctx: &ResolveContext<'_>) -> ResolveOutcome<'a> {
    let mut warnings = Vec::new();
    let (resolved, declared) = match source {
        Source::Data {
            media_type,
            base64,
            payload,
        } => {
            let declared = Some(media_type.to_ascii_lowercase());
            let r = if !*base64 {
                Resolved::Failed(Finding::new(
                    Reason::InvalidImageFormat,
                    "data URI is not base64-encoded (expected ';base64,')",
                ))
            } else {
                match base64_simd::STANDARD.check(payload.as_bytes()) {
                    Ok(()) => Resolved::Bytes(ImageBytes::Base64(payload.as_bytes())),
                    Err(_) => Resolved::Failed(Finding::new(
                        Reason::InvalidImageFormat,
                        bad_base64_detail(payload.as_bytes()),
                    )),
                }
            };
            (r, declared)
        }
        Source::Url(u) => {
            if ctx.offline {
                (Resolved::Unchecked("not fetched: --offline".into()), None)
            } else {
                match ctx.fetched.get(*u) {
                    Some(Ok(f)) => (
                        Resolved::Bytes(ImageBytes::Owned(f.bytes.clone())),
                        f.content_type.as_deref().map(|c| {
                            c.split(';')
                                .next()
                                .unwrap_or("")
                                .trim()
                                .to_ascii_lowercase()
                        }),
                    ),
                    Some(Err(finding)) => (Resolved::Failed(finding.clone()), None),
                    None => (Resolved::Unchecked("URL was not fetched".into()), None),
                }
            }
        }
        Source::Unsupported(why) => (
            Resolved::Failed(Finding::new(Reason::InaccessibleUrl, why.clone())),
            None,
        ),
        Source::Path(p) => {
            warnings.push(Warning::new(
                WarningCode::LocalPath,
                format!(
                    "{} is a local path: the provider cannot read it; embed it as a data URI or host it publicly",
                    p.display()
                ),
            ));
            (read_path(p, ctx.max_bytes), None)
        }
    };
    ResolveOutcome {
        resolved,
        warnings,
        declared,
    }
}

/// Read a local image, at most `max` bytes of it: never a device, FIFO or socket (`/dev/zero`
/// never ends, a FIFO blocks forever), and never more than `max` + 1 bytes whatever the file
/// claims its length is.
fn read_path(p: &Path, max: u64) -> Resolved<'static> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Resolved::Failed(Finding::new(
            Reason::InaccessibleUrl,
            format!("cannot read {}: {e}", p.display()),
        ))
    };
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => return cannot(e),
    };
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Resolved::Failed(Finding::new(
            Reason::InaccessibleUrl,
            format!("{} is {what}: not read", p.display()),
        ));
    }
    let too_large = |n: u64| {
        Resolved::Failed(Finding::new(
            Reason::ImageTooLarge,
            format!("{n} bytes is over the {max} byte limit"),
        ))
    };
    if meta.len() > max {
        return too_large(meta.len());
    }
    let file = match std::fs::File::open(p) {
        Ok(f) => f,
        Err(e) => return cannot(e),
    };
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(e) = file.take(max + 1).read_to_end(&mut bytes) {
        return cannot(e);
    }
    if bytes.len() as u64 > max {
        return too_large(bytes.len() as u64);
    }
    Resolved::Bytes(ImageBytes::Owned(Arc::new(bytes)))
}

fn bad_base64_detail(t: &[u8]) -> String {
    let alphabet = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=';
    match t.iter().position(|&c| !alphabet(c)) {
        Some(i) => format!(
            "invalid base64 in data URI: byte {:?} at offset {i}",
            char::from(t[i])
        ),
        None if !t.len().is_multiple_of(4) => format!(
            "invalid base64 in data URI: length {} is not a multiple of 4 (missing padding?)",
            t.len()
        ),
        None => "invalid base64 in data URI: misplaced padding".into(),
    }
}

/// The media type a format is served as.
pub fn media_type(f: Format) -> Option<&'static str> {
    match f {
        Format::Jpeg => Some("image/jpeg"),
        Format::Png => Some("image/png"),
        Format::Webp => Some("image/webp"),
        Format::Gif => Some("image/gif"),
        Format::Bmp => Some("image/bmp"),
        Format::Tiff => Some("image/tiff"),
        Format::Heif => Some("image/heic"),
        Format::Avif => Some("image/avif"),
        Format::Svg => Some("image/svg+xml"),
        _ => None,
    }
}

/// A warning when the declared media type disagrees with the bytes.
pub fn type_mismatch(declared: &str, actual: Format) -> Option<Warning> {
    let declared = if declared == "image/jpg" {
        "image/jpeg"
    } else {
        declared
    };
    let actual_type = media_type(actual)?;
    (declared != actual_type && !declared.is_empty() && declared != "application/octet-stream")
        .then(|| {
            Warning::new(
                WarningCode::DeclaredTypeMismatch,
                format!("declared {declared} but the bytes are {}", actual.name()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources() {
        let base = Path::new("/data");
        assert!(matches!(
            classify("data:image/png;base64,AAAA", base),
            Source::Data {
                media_type: "image/png",
                base64: true,
                payload: "AAAA"
            }
        ));
        assert!(matches!(classify("HTTPS://x/y.png", base), Source::Url(_)));
        for u in [
            "ftp://x/a.png",
            "javascript:alert(1)",
            "gopher://x",
            "file:///etc/passwd",
            "",
            "  ",
        ] {
            assert!(matches!(classify(u, base), Source::Unsupported(_)), "{u:?}");
        }
        match classify("ftp://x/a.png", base) {
            Source::Unsupported(why) => {
                assert!(why.contains("unsupported URL scheme ftp"), "{why}")
            }
            _ => unreachable!(),
        }
        assert!(matches!(classify("C:/data/a.png", base), Source::Path(_)));
        assert!(matches!(
            classify("img:1.png", base),
            Source::Unsupported(_)
        ));
        match classify("img/a.png", base) {
            Source::Path(p) => assert_eq!(p, Path::new("/data/img/a.png")),
            _ => panic!(),
        }
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact("https://u:p@x.org/a.png"), "https://***@x.org/a.png");
        assert_eq!(redact("https://x.org/a@b.png"), "https://x.org/a@b.png");
        assert_eq!(redact("https://x.org/a.png"), "https://x.org/a.png");
    }

    #[test]
    fn base64_lengths_and_prefixes() {
        let b = ImageBytes::Base64(b"aGVsbG8gd29ybGQ=");
        assert_eq!(b.len(), 11);
        assert_eq!(&*b.full(), b"hello world");
        assert_eq!(&b.prefix(4)[..4], b"hell");
    }

    #[test]
    fn bad_base64_is_located() {
        assert!(bad_base64_detail(b"aGVs*G8=").contains("offset 4"));
        assert!(bad_base64_detail(b"aGVsbG8").contains("multiple of 4"));
    }
}
