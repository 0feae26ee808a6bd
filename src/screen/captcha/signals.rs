//! The CAPTCHA screen's hand-written signals, its second opinion: what the image says (OCR
//! against the phrases every challenge kind uses), the look of a distorted-text CAPTCHA (a
//! short, hard-to-read string in a small, wide, cluttered image), and evidence against (a
//! decodable QR code or a 1-D barcode). Weights are in [`CaptchaSettings`].

use anyhow::Result;
use image::{GrayImage, RgbImage};

use crate::screen::imageops::{resize_rgb, Crop};
use crate::screen::ocr::TextLine;
use crate::settings::CaptchaSettings;

/// Phrases of each challenge kind, matched on lower-case text with spaces removed (OCR often
/// drops or merges spaces).
const PHRASES: &[(&str, &[&str])] = &[
    (
        "grid",
        &[
            "selectall",
            "clickverify",
            "eachimage",
            "imageswith",
            "imagecontaining",
            "imagescontaining",
            "squareswith",
            "nonleft",
            "noneleft",
            "clickeach",
            "clickall",
            "clickonall",
            "ifthereare",
            "clickskip",
        ],
    ),
    (
        "puzzle",
        &[
            "dragtheslider",
            "slidetoverify",
            "slidetocomplete",
            "completethepuzzle",
            "dragthepuzzle",
            "slidetofit",
            "slideright",
            "fitthepiece",
            "fitthepuzzle",
            "dragthepiece",
            "slidethepuzzle",
            "puzzlepiece",
        ],
    ),
    (
        "checkbox",
        &[
            "notarobot",
            "notrobot",
            "imnota",
            "i'mnota",
            "verifyyouarehuman",
            "areyouhuman",
            "youarehuman",
            "recaptcha",
            "hcaptcha",
            "privacy-terms",
            "privacyterms",
            "verifyingyouarehuman",
            "checkingifthesite",
        ],
    ),
    (
        "text",
        &[
            "enterthecharacters",
            "typethecharacters",
            "charactersshown",
            "charactersyousee",
            "typethetext",
            "enterthetext",
            "enterthecode",
            "codeshown",
            "typewhatyousee",
            "enterwhatyousee",
        ],
    ),
    // Interstitials that only ever frame a challenge.
    (
        "checkbox",
        &[
            "checkingyourbrowser",
            "securitycheck",
            "securityverification",
            "completethesecurity",
        ],
    ),
];

/// What the signals found, kept for the report and for tuning.
#[derive(Debug, Default)]
pub struct Signals {
    pub kind: Option<&'static str>,
    pub phrase: Option<&'static str>,
    pub short_code: Option<String>,
    pub code_confidence: f32,
    pub clutter: f32,
    /// Share of the most common colour (quantised): plain backgrounds are near 1.
    pub background: f32,
    /// Quantised colours covering at least 0.5% of the image.
    pub colours: usize,
    pub qr_payload_len: Option<usize>,
    pub barcode: bool,
    pub score: f32,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fraction of pixels on a strong edge, at a fixed working height: clutter (noise lines,
/// dots, arcs) around distorted text pushes it up; clean logos and documents keep it low.
fn clutter(gray: &GrayImage) -> f32 {
    let (w, h) = gray.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let mut strong = 0u32;
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: i32, dy: i32| {
                gray.get_pixel((x as i32 + dx) as u32, (y as i32 + dy) as u32)[0] as i32
            };
            let gx = p(1, 0) - p(-1, 0);
            let gy = p(0, 1) - p(0, -1);
            if gx * gx + gy * gy > 40 * 40 {
                strong += 1;
            }
        }
    }
    strong as f32 / ((w - 2) * (h - 2)) as f32
}

/// A 1-D barcode: in some horizontal band, many dark/light alternations across columns that
/// stay the same all the way down the band.
fn has_barcode(gray: &GrayImage) -> bool {
    let (w, h) = gray.dimensions();
    if w < 60 || h < 20 {
        return false;
    }
    let mean = gray.pixels().map(|p| p[0] as u64).sum::<u64>() / (w as u64 * h as u64);
    let bands = 6;
    (0..bands).any(|b| {
        let (y0, y1) = (h * b / bands, h * (b + 1) / bands);
        if y1 - y0 < 8 {
            return false;
        }
        let mut transitions = 0;
        let mut consistent = 0;
        let mut prev: Option<bool> = None;
        for x in 0..w {
            let dark = (y0..y1)
                .filter(|&y| (gray.get_pixel(x, y)[0] as u64) < mean)
                .count() as u32;
            let frac = dark as f32 / (y1 - y0) as f32;
            let col_dark = frac > 0.5;
            if !(0.1..=0.9).contains(&frac) {
                consistent += 1;
                if let Some(p) = prev {
                    if p != col_dark {
                        transitions += 1;
                    }
                }
                prev = Some(col_dark);
            }
        }
        transitions >= 40 && consistent as f32 >= 0.9 * w as f32
    })
}

/// (share of the dominant colour, number of colours over 0.5%) at 3 bits per channel.
fn colour_stats(img: &RgbImage) -> (f32, usize) {
    let mut hist = [0u32; 512];
    for p in img.pixels() {
        let k = ((p[0] >> 5) as usize) << 6 | ((p[1] >> 5) as usize) << 3 | (p[2] >> 5) as usize;
        hist[k] += 1;
    }
    let n = (img.width() * img.height()).max(1) as f32;
    let top = *hist.iter().max().unwrap_or(&0) as f32 / n;
    let many = hist.iter().filter(|&&c| c as f32 / n > 0.005).count();
    (top, many)
}

fn qr_payload(gray: &GrayImage) -> Option<usize> {
    let (w, h) = gray.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            gray.get_pixel(x as u32, y as u32)[0]
        });
    prepared
        .detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, content)| content.len()))
}

/// Grey, scaled down to at most `max_side` first: a full-size grey (or RGB) copy of a
/// 13000 × 13000 image is hundreds of megabytes this never needs.
fn small_gray(img: &RgbImage, max_side: u32) -> Result<GrayImage> {
    let long = img.width().max(img.height());
    if long <= max_side {
        return Ok(image::imageops::grayscale(img));
    }
    let f = max_side as f64 / long as f64;
    let (w, h) = (
        ((img.width() as f64 * f) as u32).max(1),
        ((img.height() as f64 * f) as u32).max(1),
    );
    let rgb = resize_rgb(img, Crop::full(img), w, h)?;
    Ok(image::imageops::grayscale(
        &RgbImage::from_raw(w, h, rgb).expect("3 bytes a pixel"),
    ))
}

/// The evidence against: the length of a decodable QR code's payload, and whether a 1-D
/// barcode is there. Neither is ever a CAPTCHA.
pub fn codes(img: &RgbImage, cfg: &CaptchaSettings) -> Result<(Option<usize>, bool)> {
    let gray = small_gray(img, cfg.qr_max_side)?;
    Ok((qr_payload(&gray), has_barcode(&gray)))
}

/// The hand-written signals of what OCR read (`lines`) and of the image's look, and the
/// score the rule of the previous screen gave them: kept as the classifier's second
/// opinion and for `--explain`.
pub fn signals(img: &RgbImage, lines: &[TextLine], cfg: &CaptchaSettings) -> Result<Signals> {
    let mut s = Signals::default();
    let small_gray = small_gray(img, cfg.qr_max_side)?;
    s.qr_payload_len = qr_payload(&small_gray);
    s.barcode = has_barcode(&small_gray);

    let all = squash(
        &lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    'kinds: for (kind, phrases) in PHRASES {
        for p in *phrases {
            if all.contains(p) {
                s.kind = Some(kind);
                s.phrase = Some(p);
                break 'kinds;
            }
        }
    }
    // The bare word counts only on a short image: a page of code or documentation that
    // mentions CAPTCHAs is not one.
    if s.kind.is_none() && lines.len() <= 8 && all.contains("captcha") {
        s.kind = Some("text");
        s.phrase = Some("captcha");
    }

    // A distorted-text CAPTCHA on its own: a small, wide image whose text is one short
    // code read with middling confidence over clutter.
    let code: Vec<&TextLine> = lines
        .iter()
        .filter(|l| {
            let n = l.text.chars().filter(|c| c.is_alphanumeric()).count();
            (3..=10).contains(&n)
        })
        .collect();
    let (w, h) = img.dimensions();
    let wide_small =
        w <= cfg.look_max_w && h <= cfg.look_max_h && w as f32 >= cfg.look_aspect * h as f32;
    let h64 = image::imageops::resize(
        &small_gray,
        ((w as f32 * 64.0 / h as f32) as u32).clamp(1, 1024),
        64,
        image::imageops::FilterType::Triangle,
    );
    s.clutter = clutter(&h64);
    if let Some(best) = code.first() {
        s.short_code = Some(best.text.clone());
        s.code_confidence = best.confidence;
    }
    let (bg, colours) = colour_stats(img);
    s.background = bg;
    s.colours = colours;

    let c = cfg;
    let mut score: f32 = 0.0;
    if s.kind.is_some() {
        score = c.phrase_score;
    } else if wide_small && lines.len() <= 4 {
        // A small, wide image of a few characters over a busy, many-coloured background:
        // the shape of a distorted-text CAPTCHA. A confidently read long word on a plain
        // background is a logo or a label instead.
        // Arithmetic CAPTCHAs ("7 + 8 = ?") are plain but unmistakable.
        let chars: String = lines
            .iter()
            .flat_map(|l| l.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let arithmetic = chars.len() <= 12
            && chars.chars().filter(char::is_ascii_digit).count() >= 2
            && chars
                .chars()
                .any(|c| matches!(c, '+' | '-' | 'x' | 'X' | '×' | '*' | '='));
        let wordmark = lines.iter().any(|l| {
            l.confidence >= 0.98 && l.text.chars().filter(|c| c.is_alphabetic()).count() >= 7
        });
        let add = |on: bool, w: f32| if on { w } else { 0.0 };
        score = c.look_base
            + add(bg < c.look_background_below, c.look_background)
            + add(colours >= c.look_colours_min, c.look_colours)
            + add(s.clutter >= c.look_clutter_min, c.look_clutter)
            + add(arithmetic, c.look_arithmetic)
            - add(wordmark, c.look_wordmark);
        if score >= c.rule_threshold {
            s.kind = Some("text");
        }
    }
    if s.qr_payload_len.is_some() || s.barcode {
        score = score.min(c.code_cap);
    }
    s.score = score;
    Ok(s)
}
