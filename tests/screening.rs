//! Content screening end to end: faces and people found in data URIs, URLs and paths; the
//! shipped models are the ones recorded in models/provenance.json; a missing runtime is one
//! clear error.

mod common;
use common::*;

fn screening_image(name: &str) -> Vec<u8> {
    std::fs::read(format!("fixtures/screening/images/{name}")).unwrap()
}

#[test]
fn faces_are_found_in_every_kind_of_source() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let face = screening_image("face_frontal__astronaut.jpg");
    std::fs::write(dir.path().join("face.jpg"), &face).unwrap();
    let mut lines = vec![
        example(&[&data_uri("image/jpeg", &face)]),
        example(&["face.jpg"]),
        example(&[&srv.url("/face.jpg")]),
        example(&[&data_uri(
            "image/jpeg",
            &screening_image("neg_animal__cat_chelsea.jpg"),
        )]),
    ];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "faces.jsonl", &lines);
    // Every signal, not just the first screen that skips the image (the people screens run
    // first and would skip this portrait too).
    let (_, r) = scan_json(&input, &["--allow-private-urls", "--explain"]);
    assert_eq!(
        r["options"]["detectors"],
        serde_json::json!(["face", "person", "captcha", "policy"])
    );
    for i in 0..3 {
        let img = image(&r, i, 0);
        assert!(
            reasons(img).contains(&"contains_faces".to_string()),
            "example {i}: {img}"
        );
        assert!(img["scores"]["face"].as_f64().unwrap() > 0.8);
        let faces: Vec<_> = img["boxes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["label"] == "face")
            .collect();
        assert_eq!(faces.len(), 1, "one face: {img}");
        let b = faces[0];
        // The astronaut's face sits in the upper middle of the 512×512 photo.
        let (x, y) = (b["x"].as_f64().unwrap(), b["y"].as_f64().unwrap());
        assert!(
            (150.0..300.0).contains(&x) && (50.0..200.0).contains(&y),
            "{b}"
        );
    }
    // The cat is screened and passes.
    let cat = image(&r, 3, 0);
    assert_eq!(cat["status"], "ok", "{cat}");
    assert!(cat["scores"]["face"].as_f64().unwrap() < 0.4, "{cat}");
}

#[test]
fn a_face_lying_sideways_is_found_where_it_is() {
    // A portrait whose face the upright passes miss once it is turned a quarter.
    let upright = image::load_from_memory(&screening_image("face_frontal__fountain_woman.jpg"))
        .unwrap()
        .to_rgb8();
    let turned = image::imageops::rotate90(&upright);
    let png = |img: &image::RgbImage| {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        data_uri("image/png", &out.into_inner())
    };
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![example(&[&png(&upright)]), example(&[&png(&turned)])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "sideways.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--detectors", "face", "--explain"]);
    let (a, b) = (image(&r, 0, 0), image(&r, 1, 0));
    assert_eq!(reasons(b), vec!["contains_faces"], "{b}");
    let details = b["findings"].to_string();
    assert!(details.contains("1 sideways face(s)"), "{details}");
    assert!(
        !details.contains("\"1 face(s)"),
        "upright passes found it: {details}"
    );
    // The same face, once: its box is the upright box turned with the image.
    let faces = |im: &serde_json::Value| -> Vec<[f64; 4]> {
        im["boxes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["label"] == "face" && b["score"].as_f64().unwrap() >= 0.4)
            .map(|b| ["x", "y", "w", "h"].map(|k| b[k].as_f64().unwrap()))
            .collect()
    };
    let (fa, fb) = (faces(a), faces(b));
    assert_eq!((fa.len(), fb.len()), (1, 1), "{a}\n{b}");
    let [x, y, w, h] = fa[0];
    let expected = [upright.height() as f64 - (y + h), x, h, w];
    for (got, want) in fb[0].iter().zip(expected) {
        assert!(
            (got - want).abs() < 0.25 * w.max(h),
            "{:?} vs {expected:?}",
            fb[0]
        );
    }
}

#[test]
fn a_very_large_image_is_screened_scaled_down_and_its_boxes_fit_it() {
    // Over 4096 × 4096 pixels, the screens see a scaled-down copy; boxes are still reported
    // in the image's own pixels, where the same face is at 9 times the astronaut's box.
    let small = image::load_from_memory(&screening_image("face_frontal__astronaut.jpg"))
        .unwrap()
        .to_rgb8();
    let k = 9;
    let large = image::imageops::resize(
        &small,
        small.width() * k,
        small.height() * k,
        image::imageops::FilterType::Triangle,
    );
    assert!(large.width() as u64 * large.height() as u64 > 4096 * 4096);
    let jpeg = |img: &image::RgbImage| {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        data_uri("image/jpeg", &out.into_inner())
    };
    let dir = tempfile::tempdir().unwrap();
    let mut lines = vec![example(&[&jpeg(&small)]), example(&[&jpeg(&large)])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "large.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--detectors", "face"]);
    let face = |im: &serde_json::Value| -> [f64; 4] {
        assert_eq!(reasons(im), vec!["contains_faces"], "{im}");
        let b = &im["boxes"][0];
        ["x", "y", "w", "h"].map(|k| b[k].as_f64().unwrap())
    };
    let (a, b) = (face(image(&r, 0, 0)), face(image(&r, 1, 0)));
    for (got, want) in b.iter().zip(a.map(|v| v * k as f64)) {
        assert!(
            (got - want).abs() < 0.15 * a[2].max(a[3]) * k as f64,
            "{b:?} vs {a:?} × {k}"
        );
    }
}

#[test]
fn no_detect_skips_the_models() {
    let dir = tempfile::tempdir().unwrap();
    let face = screening_image("face_frontal__astronaut.jpg");
    let mut lines = vec![example(&[&data_uri("image/jpeg", &face)])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "nd.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--no-detect"]);
    assert_eq!(image(&r, 0, 0)["status"], "ok");
    assert_eq!(r["options"]["detectors"], serde_json::json!([]));
}

#[test]
fn a_missing_runtime_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "a.jsonl", &[text_example()]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_prescreen"))
        .env("PRESCREEN_RESULT_CACHE", "off")
        .args([
            "scan",
            input.to_str().unwrap(),
            "--ort-lib",
            "/nonexistent/libonnxruntime.so",
        ])
        .env("ORT_DYLIB_PATH", "/also/missing.so")
        .env("PRESCREEN_CACHE_DIR", dir.path())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not be loaded"), "{err}");
    assert!(
        err.contains("--ort-lib: /nonexistent/libonnxruntime.so (not found)"),
        "{err}"
    );
    assert!(err.contains("ORT_DYLIB_PATH: /also/missing.so"), "{err}");
    assert!(err.contains("tools/fetch-onnxruntime.sh"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn shipped_models_match_their_provenance() {
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("models/provenance.json").unwrap()).unwrap();
    for m in prescreen::screen::models::ALL {
        let entry = prov["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["file"] == format!("models/{}", m.file))
            .unwrap_or_else(|| panic!("{} has no provenance entry", m.file));
        let recorded = entry["shipped"]["sha256"].as_str().unwrap();
        assert_eq!(m.sha256, recorded, "{}", m.file);
        assert_eq!(m.embedded_sha256(), recorded, "{}: embedded bytes", m.file);
        let on_disk = std::fs::read(format!("models/{}", m.file)).unwrap();
        assert_eq!(
            prescreen::screen::models::sha256_hex(&on_disk),
            recorded,
            "{}: file",
            m.file
        );
    }
}

#[test]
fn captchas_are_flagged_and_qr_codes_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let img = |n: &str| std::fs::read(format!("fixtures/captcha/images/{n}")).unwrap();
    let mut lines = vec![
        example(&[&data_uri(
            "image/png",
            &img("captcha_text__claptcha_01.png"),
        )]),
        example(&[&data_uri("image/png", &img("captcha_checkbox__01.png"))]),
        example(&[&data_uri("image/png", &img("neg_qr__qrcode_01.png"))]),
        example(&[&data_uri("image/png", &img("neg_document__invoice_03.png"))]),
    ];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "captcha.jsonl", &lines);
    // --explain: OCR reads every image, not only those the classifier is unsure of.
    let (_, r) = scan_json(&input, &["--detectors", "captcha", "--explain"]);
    let threshold = r["options"]["thresholds"]["captcha"].as_f64().unwrap();
    for (i, kind) in [(0, "text"), (1, "checkbox")] {
        let im = image(&r, i, 0);
        assert_eq!(reasons(im), vec!["contains_captcha"], "{im}");
        assert_eq!(im["facts"]["captcha_kind"], kind);
        let score = im["scores"]["captcha"].as_f64().unwrap();
        assert!((threshold..=1.0).contains(&score), "{im}");
    }
    assert!(image(&r, 1, 0)["facts"]["text"]
        .to_string()
        .contains("human"));
    let qr = image(&r, 2, 0);
    assert_eq!(qr["status"], "ok", "{qr}");
    assert!(qr["facts"]["qr_code"]["payload_length"].as_u64().unwrap() > 0);
    assert_eq!(image(&r, 3, 0)["status"], "ok");
}

#[test]
fn screening_does_not_depend_on_how_images_are_grouped() {
    // One worker screens runs of several images detector by detector; with one-line windows
    // every image is screened alone. Faces, people, hands and clean images, two per example
    // in places, must come out the same either way, with and without --explain.
    let names = [
        "face_frontal__astronaut.jpg",
        "neg_animal__cat_chelsea.jpg",
        "person_no_face__astronaut_torso.jpg",
        "face_small__leuven_three.jpg",
        "hands__hand_0.jpg",
        "neg_landscape__building.jpg",
        "group__old_couple.jpg",
        "neg_object__notebook.jpg",
        "face_painted__mona_lisa.jpg",
        "neg_document__book_page.jpg",
    ];
    let uris: Vec<String> = names
        .iter()
        .map(|n| data_uri("image/jpeg", &screening_image(n)))
        .collect();
    let mut lines: Vec<String> = uris.iter().map(|u| example(&[u])).collect();
    lines.push(example(&[&uris[1], &uris[0]]));
    lines.push(example(&[&uris[5], &uris[7]]));
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "mixed.jsonl", &lines);
    for explain in [&[][..], &["--explain"][..]] {
        let run = |extra: &[&str]| {
            let mut args = vec!["--detectors", "face,person"];
            args.extend_from_slice(explain);
            args.extend_from_slice(extra);
            scan_json(&input, &args).1
        };
        let grouped = run(&["--jobs", "1"]);
        let alone = run(&["--jobs", "2", "--window-lines", "1"]);
        assert_eq!(
            grouped["examples"], alone["examples"],
            "explain: {explain:?}"
        );
        assert_eq!(grouped["summary"], alone["summary"]);
        let skipped = grouped["summary"]["skipped_images"].as_u64().unwrap();
        assert!((6..=9).contains(&skipped), "{skipped} skipped");
    }
}

#[test]
fn an_example_over_the_image_limit_is_not_screened_unless_explaining() {
    let dir = tempfile::tempdir().unwrap();
    let face = data_uri(
        "image/jpeg",
        &screening_image("face_frontal__astronaut.jpg"),
    );
    // OpenAI allows 10 images: 11 drop the example under both policies, whatever they show.
    let mut lines = vec![example(&[face.as_str(); 11]), example(&[&face])];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "many.jsonl", &lines);
    let (_, r) = scan_json(&input, &["--provider", "openai", "--detectors", "face"]);
    assert_eq!(reasons(&r["examples"][0]), ["too_many_images"]);
    for i in 0..11 {
        let img = image(&r, 0, i);
        assert_eq!(img["status"], "ok", "format checks only: {img}");
        assert!(img["scores"].as_object().unwrap().is_empty(), "{img}");
    }
    // The same image in an example within the limit is screened.
    assert_eq!(reasons(image(&r, 1, 0)), ["contains_faces"]);
    let (_, r) = scan_json(
        &input,
        &["--provider", "openai", "--detectors", "face", "--explain"],
    );
    assert_eq!(reasons(image(&r, 0, 10)), ["contains_faces"]);
}

#[test]
fn the_captcha_classifier_sees_what_it_was_trained_on() {
    // The letterbox and resize here must reproduce the training pipeline's (Pillow's): the
    // classifier's P(CAPTCHA) on the development images must be what
    // tools/models/train_captcha.py recorded for the same files with the same model.
    use prescreen::{Screen, ScreenOptions, Screens};
    let r: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/captcha/classifier_reference.json").unwrap(),
    )
    .unwrap();
    assert_eq!(
        r["model_sha256"],
        prescreen::screen::models::CAPTCHA_CLASSIFIER.sha256,
        "the reference was recorded with another model"
    );
    let opts = ScreenOptions {
        only: vec![Screen::Captcha],
        ..ScreenOptions::default()
    };
    let screens = Screens::load(&opts, 1).unwrap();
    let probs = r["probs"].as_object().unwrap();
    let mut worst = (0.0f64, String::new());
    for (file, want) in probs.iter().step_by(4) {
        let img = image::open(format!("fixtures/captcha/{file}")).unwrap();
        let d = screens.run(&img);
        let p = d.facts["captcha_classifier"]["p"].as_f64().unwrap();
        let want = 1.0 - want[0].as_f64().unwrap();
        if (p - want).abs() > worst.0 {
            worst = (
                (p - want).abs(),
                format!("{file}: {p} here, {want} in training"),
            );
        }
    }
    assert!(probs.len() > 200, "{} reference images", probs.len());
    assert!(worst.0 < 0.01, "largest difference {}", worst.1);
}

#[test]
fn the_policy_models_see_what_their_own_runtimes_saw() {
    // prescreen feeds each model as its own runtime does (tools/models/policy/README.md).
    // Where our decoder gives Pillow's pixels, NSFWJS's input must be tfjs' bit for bit and
    // both outputs the reference's; elsewhere only the JPEG decoders differ.
    use prescreen::screen::policy::{nsfwjs_input, PolicyDetector};
    use prescreen::screen::{models, runtime};
    use sha2::Digest;
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let on = read("fixtures/policy_reference/open_nsfw.json");
    let js = read("fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json");
    assert_eq!(on["model_sha256"], models::OPEN_NSFW.sha256);
    assert_eq!(js["model_sha256"], models::NSFWJS.sha256);
    runtime::init(None).unwrap();
    let det = PolicyDetector::new(
        models::OPEN_NSFW.bytes(None).unwrap(),
        models::NSFWJS.bytes(None).unwrap(),
        1,
        prescreen::settings::PolicySettings::default(),
    )
    .unwrap();
    let (a, b) = (
        on["results"].as_array().unwrap(),
        js["results"].as_array().unwrap(),
    );
    assert!(a.len() >= 50 && a.len() == b.len());
    let mut same_decode = 0;
    for (a, b) in a.iter().zip(b) {
        let path = a["path"].as_str().unwrap();
        let img = image::open(path).unwrap().to_rgb8();
        let s = det.scores(&img).unwrap();
        let d_on = (s.nsfw as f64 - a["probabilities"][1].as_f64().unwrap()).abs();
        let d_js = (0..5)
            .map(|i| (s.nsfwjs[i] as f64 - b["probabilities"][i].as_f64().unwrap()).abs())
            .fold(0.0, f64::max);
        let sum: u64 = img.as_raw().iter().map(|&v| v as u64).sum();
        if sum == a["decoded"]["rgb_u8_sum"].as_u64().unwrap() {
            same_decode += 1;
            let t: Vec<u8> = nsfwjs_input(&img)
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect();
            assert_eq!(
                prescreen::text::hex(&sha2::Sha256::digest(&t)),
                b["input"]["sha256_f32le"].as_str().unwrap(),
                "{path}: NSFWJS input"
            );
            assert!(d_js < 1e-4, "{path}: NSFWJS differs by {d_js}");
            assert!(d_on < 0.005, "{path}: Open-NSFW differs by {d_on}");
        } else {
            assert!(d_js < 0.05, "{path}: NSFWJS differs by {d_js}");
            assert!(d_on < 0.1, "{path}: Open-NSFW differs by {d_on}");
        }
    }
    assert!(
        same_decode >= 10,
        "{same_decode} images decoded as Pillow does"
    );
}

#[test]
fn sexual_content_is_skipped_from_every_kind_of_source() {
    let srv = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let art = std::fs::read("fixtures/policy/images/aratea_aquarius.jpg").unwrap();
    std::fs::write(dir.path().join("art.jpg"), &art).unwrap();
    let mut lines = vec![
        example(&[&data_uri("image/jpeg", &art)]),
        example(&["art.jpg"]),
        example(&[&srv.url("/policy.jpg")]),
        example(&[&data_uri(
            "image/jpeg",
            &std::fs::read("fixtures/policy/images/aratea_ophiuchus.jpg").unwrap(),
        )]),
        example(&[&data_uri(
            "image/jpeg",
            &screening_image("neg_animal__cat_chelsea.jpg"),
        )]),
    ];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "policy.jsonl", &lines);
    let html = dir.path().join("policy.html");
    // Open-NSFW scores the Aquarius painting 0.80, the Ophiuchus one 0.55: at 0.7 the first
    // is skipped whatever the decoder's rounding, the second warned.
    let (_, r) = scan_json(
        &input,
        &[
            "--allow-private-urls",
            "--detectors",
            "policy",
            "--nsfw-threshold",
            "0.7",
            "--html",
            html.to_str().unwrap(),
        ],
    );
    assert_eq!(r["options"]["detectors"], serde_json::json!(["policy"]));
    assert_eq!(r["options"]["thresholds"]["nsfw"], 0.7);
    for i in 0..3 {
        let img = image(&r, i, 0);
        assert_eq!(reasons(img), vec!["violates_usage_policy"], "{img}");
        assert_eq!(img["facts"]["policy"]["category"], "sexual", "{img}");
        assert_eq!(img["facts"]["policy"]["model"], "open_nsfw", "{img}");
        assert!(img["scores"]["nsfw"].as_f64().unwrap() >= 0.7, "{img}");
        for c in ["drawing", "hentai", "neutral", "porn", "sexy"] {
            assert!(img["scores"][format!("nsfwjs_{c}")].is_number(), "{c}");
        }
    }
    assert_eq!(image(&r, 0, 0)["scores"], image(&r, 2, 0)["scores"]);
    let warned = image(&r, 3, 0);
    assert_eq!(warned["status"], "ok", "{warned}");
    assert_eq!(warned["warnings"][0]["code"], "possible_policy_violation");
    let cat = image(&r, 4, 0);
    assert_eq!(cat["status"], "ok");
    assert!(cat["scores"]["nsfw"].as_f64().unwrap() < 0.2, "{cat}");
    assert!(cat["warnings"].as_array().unwrap().is_empty(), "{cat}");
    let s = &r["summary"];
    assert_eq!(s["images_by_reason"]["violates_usage_policy"], 3);
    assert_eq!(s["warnings_by_code"]["possible_policy_violation"], 1);
    // Only the policy screen ran: everything else is named as not screened.
    let ns: Vec<&str> = s["not_screened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for c in [
        "faces",
        "people",
        "captchas",
        "violence",
        "weapons",
        "hate_symbols",
    ] {
        assert!(ns.contains(&c), "{c} missing from {ns:?}");
    }
    assert!(!ns.contains(&"sexual"), "{ns:?}");
    // In the HTML report the flagged pictures are blurred until clicked, and the reason can
    // be filtered on.
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("class=\"th sensitive\"").count(), 4);
    assert!(page.contains("<option>violates_usage_policy</option>"));
    assert!(page.contains("Not screened"));
}

/// `img` encoded in `format`, as a file of that format would hold it.
fn encoded(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn images_fix_would_repair_are_screened_as_fix_would_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let face = image::load_from_memory(&screening_image("face_frontal__astronaut.jpg")).unwrap();
    let cat = image::load_from_memory(&screening_image("neg_animal__cat_chelsea.jpg")).unwrap();
    // Pillow opens a grayscale JPEG in mode L, which the provider refuses.
    let grey_face = encoded(
        &image::DynamicImage::ImageLuma8(face.to_luma8()),
        image::ImageFormat::Jpeg,
    );
    let cat_bmp = encoded(&cat, image::ImageFormat::Bmp);
    let mut truncated = screening_image("neg_animal__dog.jpg");
    truncated.truncate(truncated.len() / 2);
    let mut lines = vec![
        example(&[&data_uri("image/jpeg", &grey_face)]),
        example(&[&data_uri("image/bmp", &cat_bmp)]),
        example(&[&data_uri("image/jpeg", &truncated)]),
        example(&[
            &data_uri("image/bmp", &cat_bmp),
            &data_uri("image/jpeg", &grey_face),
        ]),
    ];
    while lines.len() < 12 {
        lines.push(text_example());
    }
    let input = write_jsonl(dir.path(), "repairable.jsonl", &lines);
    let (_, r) = scan_json(&input, &[]);

    let grey = image(&r, 0, 0);
    assert_eq!(reasons(grey), vec!["invalid_image_format"], "{grey}");
    assert_eq!(grey["mode"], "L");
    assert_eq!(grey["after_fix"]["status"], "skipped", "{grey}");
    let after: Vec<&str> = grey["after_fix"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        after.contains(&"contains_faces") || after.contains(&"contains_people"),
        "{grey}"
    );
    let bmp = image(&r, 1, 0);
    assert_eq!(reasons(bmp), vec!["invalid_image_format"], "{bmp}");
    assert_eq!(bmp["after_fix"]["status"], "ok", "{bmp}");
    assert!(bmp["scores"]["face"].is_number(), "screened: {bmp}");
    // Broken bytes: no repair, so no prediction for after it.
    let broken = image(&r, 2, 0);
    assert_eq!(broken["status"], "skipped");
    assert!(broken.get("after_fix").is_none(), "{broken}");

    let s = &r["summary"];
    assert_eq!(s["repairable_images"]["images"], 4, "{s}");
    assert_eq!(s["repairable_images"]["saved"], 2, "{s}");
    assert_eq!(s["expected_trained_examples"]["example_level"], 8, "{s}");
    assert_eq!(
        s["expected_trained_examples_after_fix"]["example_level"], 9,
        "{s}"
    );

    // The prediction is what a scan of fix's output finds.
    let fixed = dir.path().join("fixed.jsonl");
    let out = prescreen(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        fixed.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, after_fix) = scan_json(&fixed, &[]);
    for (e, i) in [(0, 0), (1, 0), (3, 0), (3, 1)] {
        let predicted = &image(&r, e, i)["after_fix"];
        let seen = image(&after_fix, e, i);
        assert_eq!(
            predicted["status"],
            seen["status"],
            "line {} image {i}: {seen}",
            e + 1
        );
        assert_eq!(
            predicted["reasons"],
            seen["reasons"],
            "line {} image {i}",
            e + 1
        );
    }
    assert_eq!(
        after_fix["summary"]["expected_trained_examples"],
        s["expected_trained_examples_after_fix"]
    );
    let out = prescreen(&["scan", input.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("after `prescreen fix`: 2 of 4 format-skipped image(s) would train"),
        "{text}"
    );
}

#[test]
fn the_new_people_models_see_what_their_own_runtimes_saw() {
    use prescreen::screen::person::{MoveNet, OpenImagesSsd};
    let mut opts = prescreen::ScreenOptions {
        explain: true,
        only: vec![prescreen::Screen::Person],
        ..prescreen::ScreenOptions::default()
    };
    // Both run as signals that never decide on their own, so every score is reported.
    opts.settings.person.oiv4_threshold = 1.0;
    opts.settings.person.movenet_threshold = 1.0;
    opts.settings.person.report_threshold = 0.0;
    let screens = prescreen::Screens::load(&opts, 1).unwrap();
    for (file, key, score_field) in [
        (
            "ssd_mobilenet_v2_oiv4.json",
            "person_oiv4",
            "max_person_sigmoid",
        ),
        ("movenet_multipose.json", "movenet", "max_score"),
    ] {
        let refs: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("fixtures/people_reference/{file}")).unwrap(),
        )
        .unwrap();
        let mut worst = 0.0f64;
        for r in refs["results"].as_array().unwrap() {
            let path = r["path"].as_str().unwrap();
            let img = image::open(path).unwrap().to_rgb8();
            let resized_sum: i64 = if key == "movenet" {
                MoveNet::input(&img)
                    .unwrap()
                    .iter()
                    .map(|&v| v as i64)
                    .sum()
            } else {
                OpenImagesSsd::input(&img)
                    .unwrap()
                    .iter()
                    .map(|&v| ((v + 1.0) * 127.5).round() as i64)
                    .sum()
            };
            let want_sum = r["resized_u8"]["sum"].as_f64().unwrap();
            let rel = (resized_sum as f64 - want_sum).abs() / want_sum;
            assert!(
                rel < 2e-3,
                "{path}: resized pixel sum {resized_sum} against {want_sum}"
            );
            let d = screens.run(&image::DynamicImage::ImageRgb8(img));
            let got = d.scores[key] as f64;
            let want = r[score_field].as_f64().unwrap();
            worst = worst.max((got - want).abs());
            assert!(
                (got - want).abs() < 0.03,
                "{path}: {key} {got} against {want}"
            );
        }
        eprintln!("{key}: largest score difference {worst:.4}");
    }
}

#[test]
fn the_full_range_face_detector_finds_faces_and_not_castles() {
    let mut opts = prescreen::ScreenOptions {
        explain: true,
        only: vec![prescreen::Screen::Face],
        ..prescreen::ScreenOptions::default()
    };
    opts.settings.face.full_range_threshold = 1.0;
    opts.settings.person.report_threshold = 0.0;
    let screens = prescreen::Screens::load(&opts, 1).unwrap();
    let score = |name: &str| {
        let img = image::load_from_memory(&screening_image(name)).unwrap();
        screens.run(&img).scores["face_full_range"]
    };
    for face in [
        "face_frontal__astronaut.jpg",
        "face_painted__astronaut_cartoonized.jpg",
    ] {
        assert!(score(face) > 0.6, "{face}: {}", score(face));
    }
    for clean in ["neg_landscape__castle.jpg", "neg_object__red_car.jpg"] {
        assert!(score(clean) < 0.3, "{clean}: {}", score(clean));
    }
}
