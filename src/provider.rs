//! Provider profiles: every limit the screener mirrors lives in this one table, so a rule
//! that differs between providers is a row here, never an `if` elsewhere.

use serde::Serialize;

/// Image formats a provider accepts, by magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
    Tiff,
    Heif,
    Avif,
    Ico,
    Svg,
    Pdf,
    Unknown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WEBP",
            Format::Gif => "GIF",
            Format::Bmp => "BMP",
            Format::Tiff => "TIFF",
            Format::Heif => "HEIF/HEIC",
            Format::Avif => "AVIF",
            Format::Ico => "ICO",
            Format::Svg => "SVG",
            Format::Pdf => "PDF",
            Format::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderName {
    /// Azure OpenAI (the base document): 64 images per example.
    Azure,
    /// OpenAI: 10 images per example.
    Openai,
}

impl ProviderName {
    pub const ALL: [ProviderName; 2] = [ProviderName::Azure, ProviderName::Openai];

    pub fn code(self) -> &'static str {
        match self {
            ProviderName::Azure => "azure",
            ProviderName::Openai => "openai",
        }
    }

    pub fn parse(s: &str) -> Option<ProviderName> {
        Self::ALL.into_iter().find(|p| p.code() == s)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: ProviderName,
    pub max_images_per_example: usize,
    pub max_image_bytes: u64,
    /// Over this many bytes (10 MB in decimal) but under `max_image_bytes` (10 MiB), an image
    /// is flagged: the documents say "10 MB" without saying which.
    pub warn_image_bytes: u64,
    pub max_examples_with_images: u64,
    pub min_examples: u64,
    /// More examples with skipped images than this fail the whole upload (Azure's validation:
    /// "Number of skipped multimodal examples exceed the maximum allowed 200 limit"). `None`
    /// where no source states a limit.
    pub max_skipped_examples: Option<u64>,
    pub max_file_bytes: u64,
    /// Examples above this many tokens are truncated by the provider, not rejected.
    pub max_example_tokens: u64,
    pub accepted_formats: &'static [Format],
    /// Pillow modes the provider accepts ("RGB or RGBA image mode").
    pub accepted_modes: &'static [&'static str],
    /// Pillow refuses images above twice its `MAX_IMAGE_PIXELS` (89,478,485) as decompression bombs.
    pub max_pixels: u64,
    /// Above Pillow's `MAX_IMAGE_PIXELS` it warns but still opens the image.
    pub warn_pixels: u64,
}

const ACCEPTED_FORMATS: &[Format] = &[Format::Jpeg, Format::Png, Format::Webp];
const ACCEPTED_MODES: &[&str] = &["RGB", "RGBA"];
const MB: u64 = 1024 * 1024;

const AZURE: Profile = Profile {
    name: ProviderName::Azure,
    max_images_per_example: 64,
    max_image_bytes: 10 * MB,
    warn_image_bytes: 10_000_000,
    max_examples_with_images: 50_000,
    min_examples: 10,
    max_skipped_examples: Some(200),
    max_file_bytes: 512 * MB,
    max_example_tokens: 65_536,
    accepted_formats: ACCEPTED_FORMATS,
    accepted_modes: ACCEPTED_MODES,
    max_pixels: 2 * 89_478_485,
    warn_pixels: 89_478_485,
};

/// OpenAI differs from the base document only where provider-rules.md says so.
static PROFILES: [Profile; 2] = [
    AZURE,
    Profile {
        name: ProviderName::Openai,
        max_images_per_example: 10,
        // Only Azure's message is on record.
        max_skipped_examples: None,
        ..AZURE
    },
];

impl Profile {
    pub fn get(name: ProviderName) -> &'static Profile {
        PROFILES
            .iter()
            .find(|p| p.name == name)
            .expect("every provider has a profile")
    }

    pub fn accepts_format(&self, f: Format) -> bool {
        self.accepted_formats.contains(&f)
    }

    pub fn accepts_mode(&self, mode: &str) -> bool {
        self.accepted_modes.contains(&mode)
    }
}

/// Deepest nesting of arrays and objects a line may have. The provider's parse errors are
/// Python's `json` messages ("Expecting ',' delimiter: line 1 column 79 (char 78)"), and
/// CPython's parser gives up near its recursion limit of 1,000 (at 995 levels measured here,
/// fewer from inside a deeper call stack): lines past this are reported invalid.
pub const MAX_JSON_DEPTH: usize = 900;

/// Roles the chat fine-tuning format knows.
pub const KNOWN_ROLES: &[&str] = &[
    "system",
    "developer",
    "user",
    "assistant",
    "tool",
    "function",
];
/// Message keys the chat format knows; any other is reported (`unknown_message_key`).
pub const KNOWN_MESSAGE_KEYS: &[&str] = &[
    "role",
    "content",
    "name",
    "weight",
    "tool_calls",
    "tool_call_id",
    "function_call",
    "refusal",
];
/// Content-block types allowed in a training example's messages.
pub const KNOWN_BLOCK_TYPES: &[&str] = &["text", "image_url"];
