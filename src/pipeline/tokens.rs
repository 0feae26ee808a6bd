//! Token estimates: the provider's tile rule for images and exact o200k_base counts for text.

use std::sync::OnceLock;

use tiktoken_rs::CoreBPE;

use crate::codes::Detail;

pub const LOW_DETAIL_TOKENS: u64 = 85;
const BASE_TOKENS: u64 = 85;
const TILE_TOKENS: u64 = 170;
/// The chat format adds a few tokens per message around role and content.
const PER_MESSAGE_TOKENS: u64 = 3;
/// Tokens that prime the assistant's reply.
const REPLY_PRIMING_TOKENS: u64 = 3;
/// A message's `name` costs one token beyond its text (the cookbook's `tokens_per_name`).
const PER_NAME_TOKENS: u64 = 1;

/// Image tokens for gpt-4o / gpt-4.1 by the tile rule. `auto` is counted as `high`: the
/// provider decides, and the conservative estimate is the expensive one.
pub fn image_tokens(detail: Detail, width: u32, height: u32) -> u64 {
    if detail == Detail::Low || width == 0 || height == 0 {
        return LOW_DETAIL_TOKENS;
    }
    let (mut w, mut h) = (width as f64, height as f64);
    // Fit within 2048 × 2048, never scaling up.
    let fit = (2048.0 / w).min(2048.0 / h);
    if fit < 1.0 {
        w *= fit;
        h *= fit;
    }
    // Then bring the shortest side down to 768, never up.
    let short = w.min(h);
    if short > 768.0 {
        let s = 768.0 / short;
        w *= s;
        h *= s;
    }
    let tiles = (w / 512.0).ceil() as u64 * (h / 512.0).ceil() as u64;
    BASE_TOKENS + TILE_TOKENS * tiles
}

fn bpe() -> &'static CoreBPE {
    static BPE: OnceLock<CoreBPE> = OnceLock::new();
    BPE.get_or_init(|| {
        tiktoken_rs::o200k_base().expect("the o200k_base encoding ships in the crate")
    })
}

/// Exact o200k_base token count of one text.
pub fn text_tokens(text: &str) -> u64 {
    if text.is_empty() {
        return 0;
    }
    bpe().encode_ordinary(text).len() as u64
}

/// Chat-format overhead for an example of `messages` messages, `names` of them named.
pub fn message_overhead(messages: usize, names: usize) -> u64 {
    PER_MESSAGE_TOKENS * messages as u64 + PER_NAME_TOKENS * names as u64 + REPLY_PRIMING_TOKENS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_rule_matches_the_providers_worked_examples() {
        // 1024×1024 high: scaled to 768×768, 4 tiles → 765.
        assert_eq!(image_tokens(Detail::High, 1024, 1024), 765);
        // 2048×4096: fit to 1024×2048, then 768×1536 → 2×3 tiles → 1105.
        assert_eq!(image_tokens(Detail::High, 2048, 4096), 1105);
        assert_eq!(image_tokens(Detail::Low, 4096, 4096), 85);
        assert_eq!(image_tokens(Detail::Auto, 512, 512), 255);
        // Small images are never scaled up.
        assert_eq!(image_tokens(Detail::High, 100, 100), 255);
        // The cap: 2048×2048 → 768×768 → 4 tiles; a long strip can reach 6 tiles at most.
        assert!(image_tokens(Detail::High, 768, 2048) <= 1445);
    }

    #[test]
    fn text_is_counted_with_o200k_base() {
        assert_eq!(text_tokens(""), 0);
        assert_eq!(text_tokens("hello world"), 2);
        assert!(text_tokens("The image shows a cityscape with tall buildings.") >= 8);
    }
}
