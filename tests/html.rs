//! The HTML report of the demo dataset: self-contained, with the verdict, the counts and a
//! thumbnail with its boxes for every flagged image.

mod common;
use common::*;

#[test]
fn html_report_of_the_demo_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let json = dir.path().join("report.json");
    let o = prescreen(&[
        "scan",
        "fixtures/demo/train.jsonl",
        "--quiet",
        "--html",
        html.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let page = std::fs::read_to_string(&html).unwrap();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let s = &r["summary"];
    assert!(
        page.contains(s["verdict"].as_str().unwrap()),
        "the verdict sentence is shown"
    );
    assert!(page.contains(&format!(
        "<b>{}</b>expected to train",
        s["expected_trained_examples"]["example_level"]
    )));
    assert!(page.contains(&format!(
        "<b>{}</b>expected to train",
        s["expected_trained_examples"]["image_level"]
    )));
    // No external request of any kind.
    for attr in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!page.contains(attr), "external reference {attr}");
    }
    // One card per skipped or warned image; every decodable one has a thumbnail.
    let flagged = r["examples"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["images"].as_array().unwrap())
        .filter(|i| i["status"] == "skipped" || !i["warnings"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(page.matches("<figure class=\"card\"").count(), flagged);
    let thumbs = page.matches("<img alt=").count();
    assert!(
        thumbs >= flagged - 2,
        "{thumbs} thumbnails for {flagged} flagged images"
    );
    // Boxes are drawn over the photos with people: the face or the person, whichever the
    // screen that skipped the image found.
    let boxes = ["face", "person"]
        .iter()
        .map(|l| page.matches(&format!("<rect class=\"bx {l}\"")).count())
        .sum::<usize>();
    assert!(boxes >= 3, "{boxes} face or person boxes");
    // Reason filter lists every skip reason.
    for reason in s["images_by_reason"].as_object().unwrap().keys() {
        assert!(
            page.contains(&format!("<option>{reason}</option>")),
            "{reason}"
        );
    }
}
