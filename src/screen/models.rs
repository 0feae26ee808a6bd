//! The pretrained models prescreen ships, embedded in the binary so an installed `prescreen`
//! is self-contained; `--models DIR` loads same-named files from a folder instead.
//! Provenance, licences and the scripts that produced them: `models/PROVENANCE.md`.

use std::borrow::Cow;
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::text::hex;

/// A model's bytes: the embedded copy, borrowed, or a file read from `--models`.
pub type ModelBytes = Cow<'static, [u8]>;

pub struct Model {
    pub file: &'static str,
    /// sha256 of the shipped file, as recorded in `models/provenance.json`.
    pub sha256: &'static str,
    embedded: &'static [u8],
}

pub const CENTERFACE: Model = Model {
    file: "centerface.onnx",
    sha256: "f21527d8de34e49357c2fc3f03c0642d7323c09077da7ecca5d34784ce6881b3",
    embedded: include_bytes!("../../models/centerface.onnx"),
};

pub const POSE_DETECTION: Model = Model {
    file: "pose_detection.onnx",
    sha256: "90812be4f2853569f8f6b8ea8411360ecffa2af621f9e91a1613da75d9914d03",
    embedded: include_bytes!("../../models/pose_detection.onnx"),
};

pub const PALM_DETECTION: Model = Model {
    file: "palm_detection.onnx",
    sha256: "03c9f2ef447cc14fd9299cc1ab97695863bafe01029c7bad3f387b332aa2efd6",
    embedded: include_bytes!("../../models/palm_detection.onnx"),
};

pub const PERSON_DETECTION: Model = Model {
    file: "person_detector.onnx",
    sha256: "49a3550f594eabefef5fbd429c63e5af675d3ec2a5ebeb26448057ff795946fa",
    embedded: include_bytes!("../../models/person_detector.onnx"),
};

pub const OCR_DET: Model = Model {
    file: "ocr_det.onnx",
    sha256: "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    embedded: include_bytes!("../../models/ocr_det.onnx"),
};

pub const OCR_REC: Model = Model {
    file: "ocr_rec.onnx",
    sha256: "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
    embedded: include_bytes!("../../models/ocr_rec.onnx"),
};

pub const CAPTCHA_CLASSIFIER: Model = Model {
    file: "captcha_classifier.onnx",
    sha256: "919caba869d7a744673ec9784d8125b608d65ee0383ab3db94a506fef9818ae4",
    embedded: include_bytes!("../../models/captcha_classifier.onnx"),
};

pub const OPEN_NSFW: Model = Model {
    file: "open_nsfw.onnx",
    sha256: "864bb37bf8863564b87eb330ab8c785a79a773f4e7c43cb96db52ed8611305fa",
    embedded: include_bytes!("../../models/open_nsfw.onnx"),
};

pub const NSFWJS: Model = Model {
    file: "nsfwjs_mobilenet_v2_mid.onnx",
    sha256: "6a82e1a369d686f8054738d6686ad8acbf78d051e35507b7516b704a160e07b8",
    embedded: include_bytes!("../../models/nsfwjs_mobilenet_v2_mid.onnx"),
};

pub const FACE_FULL_RANGE: Model = Model {
    file: "face_detection_full_range.onnx",
    sha256: "f9790b5eb60870ac539a3226a8ef766351f0df0dd1ab81ce702073599d4ed5dc",
    embedded: include_bytes!("../../models/face_detection_full_range.onnx"),
};

pub const PERSON_OIV4: Model = Model {
    file: "ssd_mobilenet_v2_oiv4.onnx",
    sha256: "efbcb374ad575bb25690f4307df112b500582fab3d367a24023e5d1e583d9d26",
    embedded: include_bytes!("../../models/ssd_mobilenet_v2_oiv4.onnx"),
};

pub const MOVENET: Model = Model {
    file: "movenet_multipose.onnx",
    sha256: "5a5312fcfdbcf5898ee1dc7e13b0b83beec1e341a24a5ed5626db1c695f24b9e",
    embedded: include_bytes!("../../models/movenet_multipose.onnx"),
};

pub const ALL: [&Model; 12] = [
    &CENTERFACE,
    &PERSON_DETECTION,
    &POSE_DETECTION,
    &PALM_DETECTION,
    &OCR_DET,
    &OCR_REC,
    &CAPTCHA_CLASSIFIER,
    &OPEN_NSFW,
    &NSFWJS,
    &FACE_FULL_RANGE,
    &PERSON_OIV4,
    &MOVENET,
];

impl Model {
    /// The model's bytes: from `dir` when given, else the embedded copy.
    pub fn bytes(&self, dir: Option<&Path>) -> Result<ModelBytes> {
        match dir {
            None => Ok(Cow::Borrowed(self.embedded)),
            Some(d) => {
                let p = d.join(self.file);
                std::fs::read(&p)
                    .map(Cow::Owned)
                    .with_context(|| format!("cannot read model {}", p.display()))
            }
        }
    }

    pub fn embedded_sha256(&self) -> String {
        sha256_hex(self.embedded)
    }
}

/// Hand the pages of an embedded model back to the kernel (Linux): the binary maps them
/// from its file, read-only, so they are read again from the file if touched again, and
/// until then they are not part of the process's memory. Bytes that are not an embedded
/// model (a `--models` file on the heap) are left alone.
pub fn release(bytes: &[u8]) {
    #[cfg(target_os = "linux")]
    {
        let (start, end) = (
            bytes.as_ptr() as usize,
            bytes.as_ptr() as usize + bytes.len(),
        );
        let embedded = ALL.iter().any(|m| {
            let e = m.embedded.as_ptr() as usize;
            start >= e && end <= e + m.embedded.len()
        });
        if !embedded {
            return;
        }
        const PAGE: usize = 4096;
        let (first, last) = ((start + PAGE - 1) & !(PAGE - 1), end & !(PAGE - 1));
        if last > first {
            // SAFETY: the range lies inside a `'static` slice of the binary's read-only data,
            // a private file mapping never written to: dropping its pages loses nothing, and
            // any later read faults them in again from the file.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    last - first,
                    libc::MADV_DONTNEED,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}
