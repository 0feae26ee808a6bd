//! The report's vocabulary: skip reasons, warnings, structure and file errors, `fix` actions,
//! statuses and drop policies. Every stage matches these by type; their snake_case names are
//! the JSON contract (`docs/report-schema.md`).

use serde::{Deserialize, Serialize};

/// An enum whose variants are written as fixed snake_case codes. Variants are declared in
/// the alphabetical order of their codes, so maps keyed by them (`warnings_by_code`, …)
/// serialise in the same order as the string keys they replace; a unit test holds it.
macro_rules! codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

codes! {
    /// Why the provider will skip an image or an example.
    pub enum Reason {
        ContainsFaces => "contains_faces",
        ContainsPeople => "contains_people",
        /// Read only from the provider's own words (`audit`): no permissively licensed age
        /// model exists, so a scan catches children as faces or people and never predicts it.
        ContainsChildren => "contains_children",
        ContainsCaptcha => "contains_captcha",
        /// Sexual or suggestive content (the usage-policy screen); other policy categories
        /// are not screened (`summary.not_screened`).
        ViolatesUsagePolicy => "violates_usage_policy",
        InaccessibleUrl => "inaccessible_url",
        ImageTooLarge => "image_too_large",
        InvalidImageFormat => "invalid_image_format",
        /// Example-level: more images than the provider profile allows.
        TooManyImages => "too_many_images",
    }
}

impl Reason {
    /// What the user can do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Reason::ContainsFaces | Reason::ContainsPeople | Reason::ContainsChildren => {
                "remove the image or the example; blurring faces is not enough for people"
            }
            Reason::ContainsCaptcha => "remove the image",
            Reason::ViolatesUsagePolicy => "remove the image",
            Reason::InaccessibleUrl => "host the image publicly or embed it as a base64 data URI",
            Reason::ImageTooLarge => "re-encode or downscale below 10 MB",
            Reason::InvalidImageFormat => "convert to an RGB/RGBA JPEG, PNG or WEBP",
            Reason::TooManyImages => "split the example or drop images",
        }
    }

    /// Reasons that drop the whole example under either policy, not just one image.
    pub fn is_example_level(self) -> bool {
        self == Reason::TooManyImages
    }

    /// Reasons found by the content screens (a model's judgement, not a format rule).
    pub fn is_content(self) -> bool {
        matches!(
            self,
            Reason::ContainsFaces
                | Reason::ContainsPeople
                | Reason::ContainsChildren
                | Reason::ContainsCaptcha
                | Reason::ViolatesUsagePolicy
        )
    }
}

codes! {
    /// A risk the provider does not document as a skip: reported, not counted.
    pub enum WarningCode {
        Animated => "animated",
        DeclaredTypeMismatch => "declared_type_mismatch",
        DetectorFailed => "detector_failed",
        /// A message with nothing in it (`""`, `[]`, only empty text); the cookbook flags it.
        EmptyContent => "empty_content",
        ExifOrientation => "exif_orientation",
        LocalPath => "local_path",
        NotChecked => "not_checked",
        OverTokenLimit => "over_token_limit",
        /// A usage-policy score close under its threshold: the provider's moderation is
        /// stricter than any one classifier.
        PossiblePolicyViolation => "possible_policy_violation",
        SizeNearLimit => "size_near_limit",
        /// A message key the format does not know (`contents`, `foo`); the cookbook flags it.
        UnknownMessageKey => "unknown_message_key",
        VeryLargePixelCount => "very_large_pixel_count",
    }
}

codes! {
    /// A structural problem that makes the provider reject the line, and so the file.
    pub enum ErrorCode {
        ImageNotInUserMessage => "image_not_in_user_message",
        InvalidBlock => "invalid_block",
        InvalidContent => "invalid_content",
        InvalidDetail => "invalid_detail",
        InvalidJson => "invalid_json",
        InvalidMessage => "invalid_message",
        InvalidMessages => "invalid_messages",
        InvalidName => "invalid_name",
        InvalidWeight => "invalid_weight",
        MissingContent => "missing_content",
        MissingImageUrl => "missing_image_url",
        MissingMessages => "missing_messages",
        MissingRole => "missing_role",
        MissingUrl => "missing_url",
        NoAssistantMessage => "no_assistant_message",
        NotAnObject => "not_an_object",
        UnknownBlockType => "unknown_block_type",
        UnknownRole => "unknown_role",
    }
}

codes! {
    /// A rule about the whole file.
    pub enum FileErrorCode {
        FileTooLarge => "file_too_large",
        InvalidLines => "invalid_lines",
        TooFewExamples => "too_few_examples",
        TooManyExamplesWithImages => "too_many_examples_with_images",
        TooManySkippedExamples => "too_many_skipped_examples",
    }
}

codes! {
    /// What `fix` did, or could not do, to one image.
    pub enum FixAction {
        Converted => "converted",
        Detail => "detail",
        Inlined => "inlined",
        Unreadable => "unreadable",
        Unrepairable => "unrepairable",
    }
}

codes! {
    /// `detail` of an image block; absent means the provider's default, `auto`.
    pub enum Detail {
        Low => "low",
        High => "high",
        Auto => "auto",
    }
}

impl Detail {
    pub fn parse(s: &str) -> Option<Detail> {
        Detail::ALL.iter().copied().find(|d| d.code() == s)
    }
}

codes! {
    pub enum ImageStatus {
        Ok => "ok",
        Skipped => "skipped",
    }
}

codes! {
    pub enum ExampleStatus {
        Ok => "ok",
        Skipped => "skipped",
        Invalid => "invalid",
    }
}

codes! {
    /// A content screen (`--detectors`), in the order the report lists them.
    pub enum Screen {
        Face => "face",
        Person => "person",
        Captcha => "captcha",
        UsagePolicy => "policy",
    }
}

codes! {
    /// How the provider treats an example with a skipped image; it does not document which.
    pub enum Policy {
        /// An example with any skipped image is dropped whole.
        ExampleLevel => "example_level",
        /// Only the skipped image is dropped; its example still trains.
        ImageLevel => "image_level",
    }
}

impl Policy {
    /// The policy in words, for people.
    pub fn name(self) -> &'static str {
        match self {
            Policy::ExampleLevel => "example-level",
            Policy::ImageLevel => "image-level",
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
    pub code: WarningCode,
    pub message: String,
}

impl Warning {
    pub fn new(code: WarningCode, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(codes: &[&str]) -> bool {
        codes.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn keyed_maps_keep_the_order_of_their_string_codes() {
        let w: Vec<_> = WarningCode::ALL.iter().map(|c| c.code()).collect();
        let e: Vec<_> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        let f: Vec<_> = FileErrorCode::ALL.iter().map(|c| c.code()).collect();
        assert!(sorted(&w) && sorted(&e) && sorted(&f));
    }

    #[test]
    fn codes_are_their_json_names() {
        for c in WarningCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code());
        }
        assert_eq!(
            serde_json::from_str::<Detail>("\"low\"").unwrap(),
            Detail::Low
        );
        assert_eq!(Policy::ImageLevel.code(), "image_level");
    }
}
