//! The cascade: every pass of every screen, ordered by cost, each run only on images no
//! earlier pass has skipped (unless explaining).

use std::borrow::Cow;
use std::sync::OnceLock;

use anyhow::Result;
use image::{DynamicImage, RgbImage};

use super::{captcha, face, models, ocr, person, policy, runtime, Detection, Detector};
use crate::codes::{Screen, Warning, WarningCode};
use crate::options::ScreenOptions;

/// The order the passes run in, each only on images no earlier pass has skipped (unless
/// explaining), so the cheapest way to skip an image comes first. The COCO person detector
/// (about 30 ms of one core) is decisive on most photos of people, portraits included, and
/// costs less than the face base pass with its second looks (measured on the development set:
/// 9% less time than faces first, same verdicts; `--explain` still reports every signal). The
/// sideways face passes (two small images) come before the finer one (one large image), OCR
/// after them. The usage-policy screen comes last so it never changes another screen's
/// verdict: most sexual images show people, and are skipped for that first.
const CASCADE: &[&str] = &[
    "person",
    "face",
    "face-full-range",
    "pose",
    "hand",
    "person-oiv4",
    "face-sideways",
    "movenet",
    "face-fine",
    "captcha",
    "policy",
];

/// A pass of a screen, with its key in [`CASCADE`].
type Pass = (&'static str, Box<dyn Detector>);

/// The ordered set of detectors a scan runs.
pub struct Screens {
    /// Each pass in cascade order, built on first use when loaded with
    /// [`Screens::load_deferred`] (the error, if building failed).
    passes: OnceLock<std::result::Result<Vec<Pass>, String>>,
    /// What the passes are built from, when deferred.
    deferred: Option<(ScreenOptions, usize)>,
    names: Vec<Screen>,
    /// sha256 of everything that makes these screens' verdicts what they are: prescreen's
    /// version, the screens, every model's hash and every setting (the result cache's key).
    fingerprint: [u8; 32],
    /// Run every detector even after one has already skipped the image.
    pub explain: bool,
}

impl Screens {
    pub fn new(detectors: Vec<Pass>, explain: bool) -> Screens {
        let names = Screen::ALL
            .iter()
            .copied()
            .filter(|s| detectors.iter().any(|(_, d)| d.screen() == *s))
            .collect();
        let keys: Vec<String> = detectors.iter().map(|(k, _)| k.to_string()).collect();
        Screens {
            passes: OnceLock::from(Ok(detectors)),
            deferred: None,
            names,
            fingerprint: fingerprint(explain, &keys),
            explain,
        }
    }

    /// What a cached result must have been made with to stand for these screens' own.
    pub fn fingerprint(&self) -> &[u8; 32] {
        &self.fingerprint
    }

    fn built(&self) -> std::result::Result<&[Pass], &str> {
        self.passes
            .get_or_init(|| {
                let (opts, workers) = self.deferred.as_ref().expect("deferred screens");
                build(opts, *workers).map_err(|e| format!("{e:#}"))
            })
            .as_deref()
            .map_err(String::as_str)
    }

    /// The passes in the order they run, each with its name (`person`, `face-fine`, …): for
    /// measuring where a scan's time goes.
    pub fn passes(&self) -> impl Iterator<Item = (&'static str, &dyn Detector)> {
        self.built()
            .unwrap_or_default()
            .iter()
            .map(|(k, d)| (*k, d.as_ref()))
    }

    /// What a scan with these options screens with: nothing without a full decode
    /// (`--no-detect`), else every screen it asks for, loaded for its workers — when the
    /// first image needs them if a result cache may make them unneeded.
    pub fn for_scan(opts: &crate::options::ScanOptions) -> Result<Screens> {
        match (opts.full_decode, &opts.cache) {
            (false, _) => Ok(Screens::none()),
            (true, None) => Screens::load(&opts.screen, opts.jobs),
            (true, Some(_)) => Screens::load_deferred(&opts.screen, opts.jobs),
        }
    }

    /// No content screening: what `--no-detect` runs with.
    pub fn none() -> Screens {
        Screens::new(Vec::new(), false)
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The screens this stage runs (`face`, `person`, `captcha`, `policy`), each once, in that order
    /// whatever order their passes run in.
    pub fn names(&self) -> Vec<Screen> {
        self.names.clone()
    }

    /// Load ONNX Runtime and build every detector, sessions included, for `workers` threads.
    pub fn load(opts: &ScreenOptions, workers: usize) -> Result<Screens> {
        let s = Screens::load_deferred(opts, workers)?;
        s.built().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(s)
    }

    /// Check the options and load ONNX Runtime now (a missing runtime is one clear error
    /// before any work), but build the detectors, the costly part, only when the first
    /// image needs screening: a re-scan answered by the result cache never does.
    pub fn load_deferred(opts: &ScreenOptions, workers: usize) -> Result<Screens> {
        opts.settings.validate().map_err(anyhow::Error::msg)?;
        runtime::init(opts.ort_lib.as_deref())?;
        let names: Vec<Screen> = Screen::ALL
            .iter()
            .copied()
            .filter(|s| opts.wants(*s))
            .collect();
        // Each model's hash goes into the fingerprint: one read from `--models` may differ
        // from the copy built in.
        let mut parts = vec![format!("{names:?}"), format!("{:?}", opts.settings)];
        for m in models::ALL {
            let sha = match opts.models_dir.as_deref() {
                None => m.sha256.to_owned(),
                Some(d) => std::fs::read(d.join(m.file))
                    .map(|b| models::sha256_hex(&b))
                    .unwrap_or_else(|_| "missing".into()),
            };
            parts.push(format!("{} {sha}", m.file));
        }
        Ok(Screens {
            passes: OnceLock::new(),
            deferred: Some((opts.clone(), workers)),
            names,
            fingerprint: fingerprint(opts.explain, &parts),
            explain: opts.explain,
        })
    }
}

/// sha256 of prescreen's version, `explain` and `parts`.
fn fingerprint(explain: bool, parts: &[String]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(format!("|explain {explain}|"));
    for p in parts {
        h.update(p);
        h.update("|");
    }
    h.finalize().into()
}

/// Every pass of every screen `opts` asks for, sessions built for `workers` threads.
fn build(opts: &ScreenOptions, workers: usize) -> Result<Vec<Pass>> {
    let dir = opts.models_dir.as_deref();
    // Every pass of every screen, keyed by its place in `CASCADE`.
    let mut passes: Vec<(&'static str, Box<dyn Detector>)> = Vec::new();
    if opts.wants(Screen::Face) {
        let base = face::FaceDetector::new(
            models::CENTERFACE.bytes(dir)?,
            workers,
            opts.settings.face.clone(),
        )?;
        for (key, pass) in [
            ("face-sideways", face::FacePass::Sideways),
            ("face-fine", face::FacePass::Fine),
        ] {
            if let Some(d) = base.then(pass) {
                passes.push((key, Box::new(d)));
            }
        }
        passes.push(("face", Box::new(base)));
        if let Some(d) = person::PersonDetector::face_full_range(
            models::FACE_FULL_RANGE.bytes(dir)?,
            workers,
            opts.settings.face.full_range_threshold,
            opts.settings.person.clone(),
        )? {
            passes.push(("face-full-range", Box::new(d)));
        }
    }
    if opts.wants(Screen::Person) {
        let cfg = &opts.settings.person;
        let body = person::PersonDetector::body(
            models::PERSON_DETECTION.bytes(dir)?,
            workers,
            cfg.clone(),
        )?;
        passes.push(("person", Box::new(body)));
        let pose =
            person::PersonDetector::pose(models::POSE_DETECTION.bytes(dir)?, workers, cfg.clone())?;
        let hand =
            person::PersonDetector::hand(models::PALM_DETECTION.bytes(dir)?, workers, cfg.clone())?;
        let oiv4 = person::PersonDetector::open_images(
            models::PERSON_OIV4.bytes(dir)?,
            workers,
            cfg.clone(),
        )?;
        let movenet =
            person::PersonDetector::movenet(models::MOVENET.bytes(dir)?, workers, cfg.clone())?;
        for (key, d) in [
            ("pose", pose),
            ("hand", hand),
            ("person-oiv4", oiv4),
            ("movenet", movenet),
        ] {
            if let Some(d) = d {
                passes.push((key, Box::new(d)));
            }
        }
    }
    if opts.wants(Screen::Captcha) {
        let c = &opts.settings.captcha;
        let classifier = captcha::classifier::Classifier::new(
            models::CAPTCHA_CLASSIFIER.bytes(dir)?,
            workers,
            c.classifier_side,
        )?;
        let ocr = ocr::Ocr::new(
            models::OCR_DET.bytes(dir)?,
            models::OCR_REC.bytes(dir)?,
            workers,
            opts.settings.ocr.clone(),
        )?;
        passes.push((
            "captcha",
            Box::new(captcha::CaptchaDetector::new(classifier, ocr, c.clone())),
        ));
    }
    if opts.wants(Screen::UsagePolicy) {
        let d = policy::PolicyDetector::new(
            models::OPEN_NSFW.bytes(dir)?,
            models::NSFWJS.bytes(dir)?,
            workers,
            opts.settings.policy.clone(),
        )?;
        passes.push(("policy", Box::new(d)));
    }
    let rank = |key: &str| {
        CASCADE
            .iter()
            .position(|k| *k == key)
            .expect("every pass has its place in CASCADE")
    };
    passes.sort_by_key(|(key, _)| rank(key));
    Ok(passes)
}

impl Screens {
    pub fn run(&self, image: &DynamicImage) -> Detection {
        self.run_many(&[image]).pop().unwrap_or_default()
    }

    /// Screen several images, detector by detector: each model then runs on a few images in a
    /// row while its weights are still in the core's cache (measured: about 7% less time
    /// than alternating the models image by image). Every image gets exactly what
    /// [`Screens::run`] would give it alone.
    pub fn run_many(&self, images: &[&DynamicImage]) -> Vec<Detection> {
        let mut out: Vec<Detection> = images.iter().map(|_| Detection::default()).collect();
        if self.is_empty() || images.is_empty() {
            return out;
        }
        let passes = match self.built() {
            Ok(p) => p,
            // Deferred loading failed (a broken model file): said on every image it left
            // unscreened.
            Err(e) => {
                for det in &mut out {
                    det.warnings.push(Warning::new(
                        WarningCode::DetectorFailed,
                        format!("the content screens could not be loaded: {e}"),
                    ));
                }
                return out;
            }
        };
        // Every model reads 8-bit RGB: convert once (no copy for RGB8 sources).
        let rgb: Vec<Cow<'_, RgbImage>> = images
            .iter()
            .map(|i| match i {
                DynamicImage::ImageRgb8(i) => Cow::Borrowed(i),
                other => Cow::Owned(other.to_rgb8()),
            })
            .collect();
        for (_, d) in passes {
            for (img, det) in rgb.iter().zip(out.iter_mut()) {
                if !self.explain && !det.findings.is_empty() {
                    continue;
                }
                match d.detect(img, self.explain) {
                    Ok(found) => det.merge(found),
                    // A model failure on one image must not stop the scan; it is reported.
                    Err(e) => det.warnings.push(Warning::new(
                        WarningCode::DetectorFailed,
                        format!("{} failed on this image: {e:#}", d.screen()),
                    )),
                }
            }
        }
        out
    }
}
