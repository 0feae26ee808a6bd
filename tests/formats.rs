//! Every image format and Pillow mode in fixtures/formats/ is judged as Pillow sees it:
//! manifest.json was written by Pillow itself (tools/fixtures/make_formats.py).

use std::path::Path;
use std::sync::Arc;

use prescreen::codes::Reason;
use prescreen::pipeline::inspect::inspect;
use prescreen::pipeline::resolve::ImageBytes;
use prescreen::provider::{Profile, ProviderName};

fn manifest() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string("fixtures/formats/manifest.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn modes_and_formats_match_pillow() {
    let profile = Profile::get(ProviderName::Azure);
    let m = manifest();
    assert!(m.len() >= 25, "manifest lists {} files", m.len());
    for (name, e) in &m {
        let bytes = std::fs::read(Path::new("fixtures/formats").join(name)).unwrap();
        let src = ImageBytes::Owned(Arc::new(bytes));
        let got = inspect(&src, profile, true);
        let pil_format = e["pillow_format"].as_str();
        let pil_mode = e["pillow_mode"].as_str();
        let loads = e["loads"].as_bool().unwrap();
        let accepted_format = matches!(pil_format, Some("JPEG" | "PNG" | "WEBP"));
        if accepted_format {
            assert_eq!(
                got.header.format.map(|f| f.name()),
                pil_format,
                "{name}: format"
            );
            assert_eq!(got.header.mode, pil_mode, "{name}: Pillow mode");
            assert_eq!(
                got.header.width,
                e["width"].as_u64().map(|v| v as u32),
                "{name}: width"
            );
        }
        let should_pass = accepted_format && loads && matches!(pil_mode, Some("RGB" | "RGBA"));
        let reasons: Vec<Reason> = got.findings.iter().map(|f| f.reason).collect();
        if should_pass {
            assert!(
                reasons.is_empty(),
                "{name}: expected ok, got {:?}",
                got.findings
            );
            assert!(got.pixels.is_some(), "{name}: decoded pixels expected");
        } else {
            assert_eq!(
                reasons,
                vec![Reason::InvalidImageFormat],
                "{name}: expected invalid_image_format, got {:?}",
                got.findings
            );
        }
    }
}

#[test]
fn header_only_scan_still_judges_mode_and_format() {
    let profile = Profile::get(ProviderName::Azure);
    for (name, expect_ok) in [
        ("rgb.png", true),
        ("cmyk.jpg", false),
        ("l.png", false),
        ("image.gif", false),
    ] {
        let bytes = std::fs::read(Path::new("fixtures/formats").join(name)).unwrap();
        let got = inspect(&ImageBytes::Owned(Arc::new(bytes)), profile, false);
        assert_eq!(
            got.findings.is_empty(),
            expect_ok,
            "{name}: {:?}",
            got.findings
        );
        assert!(got.pixels.is_none());
    }
}

#[test]
fn risks_are_warnings_not_skips() {
    let profile = Profile::get(ProviderName::Azure);
    for (name, code) in [
        ("animated.webp", "animated"),
        ("animated.png", "animated"),
        ("exif_orientation6.jpg", "exif_orientation"),
    ] {
        let bytes = std::fs::read(Path::new("fixtures/formats").join(name)).unwrap();
        let got = inspect(&ImageBytes::Owned(Arc::new(bytes)), profile, true);
        assert!(got.findings.is_empty(), "{name}: {:?}", got.findings);
        assert!(
            got.warnings.iter().any(|w| w.code.code() == code),
            "{name}: expected warning {code}, got {:?}",
            got.warnings
        );
    }
}

#[test]
fn truncated_and_corrupt_files_need_the_full_decode() {
    let profile = Profile::get(ProviderName::Azure);
    for name in ["truncated.jpg", "corrupt_data.png"] {
        let bytes = Arc::new(std::fs::read(Path::new("fixtures/formats").join(name)).unwrap());
        let header_only = inspect(&ImageBytes::Owned(bytes.clone()), profile, false);
        assert!(
            header_only.findings.is_empty(),
            "{name}: headers are intact"
        );
        let full = inspect(&ImageBytes::Owned(bytes), profile, true);
        assert_eq!(full.findings.len(), 1, "{name}: {:?}", full.findings);
        assert_eq!(full.findings[0].reason, Reason::InvalidImageFormat);
        let d = &full.findings[0].detail;
        assert!(
            d.contains("does not decode") || d.contains("truncated"),
            "{name}: {d}"
        );
    }
}
