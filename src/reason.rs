//! The provider's skip reasons and the screener's warnings: the vocabulary every stage and the
//! report share.

use serde::{Deserialize, Serialize};

/// Why the provider will skip an image or an example. The codes are the report's contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ContainsFaces,
    ContainsPeople,
    ContainsChildren,
    ContainsCaptcha,
    InaccessibleUrl,
    ImageTooLarge,
    InvalidImageFormat,
    /// Example-level: more images than the provider profile allows.
    TooManyImages,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::ContainsFaces,
        Reason::ContainsPeople,
        Reason::ContainsChildren,
        Reason::ContainsCaptcha,
        Reason::InaccessibleUrl,
        Reason::ImageTooLarge,
        Reason::InvalidImageFormat,
        Reason::TooManyImages,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::ContainsFaces => "contains_faces",
            Reason::ContainsPeople => "contains_people",
            Reason::ContainsChildren => "contains_children",
            Reason::ContainsCaptcha => "contains_captcha",
            Reason::InaccessibleUrl => "inaccessible_url",
            Reason::ImageTooLarge => "image_too_large",
            Reason::InvalidImageFormat => "invalid_image_format",
            Reason::TooManyImages => "too_many_images",
        }
    }

    /// What the user can do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Reason::ContainsFaces | Reason::ContainsPeople | Reason::ContainsChildren => {
                "remove the image or the example; blurring faces is not enough for people"
            }
            Reason::ContainsCaptcha => "remove the image",
            Reason::InaccessibleUrl => "host the image publicly or embed it as a base64 data URI",
            Reason::ImageTooLarge => "re-encode or downscale below 10 MB",
            Reason::InvalidImageFormat => "convert to an RGB/RGBA JPEG, PNG or WEBP",
            Reason::TooManyImages => "split the example or drop images",
        }
    }
}

/// A skip reason with the finer detail behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub reason: Reason,
    pub detail: String,
}

impl Finding {
    pub fn new(reason: Reason, detail: impl Into<String>) -> Finding {
        Finding {
            reason,
            detail: detail.into(),
        }
    }
}

/// A risk the provider does not document as a skip, reported but not counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>) -> Warning {
        Warning {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
