"""Fit a fused people/face score over the detectors' raw scores, as issue 14 asks, and say
what it would give — without touching what prescreen ships.

    cargo run --release --example eval_people            # writes target/eval/people-scores.csv
    /work/.venvs/train/bin/python tools/models/fit_people_fusion.py [CSV]

A logistic regression over the raw per-detector scores (CenterFace `face`, BlazeFace
`face_full_range`, CenterNet `person`, MediaPipe `pose` and `hand`, Open Images
`person_oiv4`, MoveNet `movenet`), target "a face or a person is in the image". Weights are
fitted on the train split; the feature set, the regularisation and the threshold (the
highest recall with at most MAX_FP of validation's clean images flagged) are chosen on
validation only; the test split is only reported. Images labelled uncertain are left out.
Flags from the CAPTCHA and policy screens count as flags of clean images, as in a scan.
"""

import csv
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

MAX_FP = 0.02
FEATURE_SETS = {
    "shipped four": ["face", "person", "pose", "hand"],
    "six (no MoveNet)": ["face", "face_full_range", "person", "pose", "hand", "person_oiv4"],
    "all seven": ["face", "face_full_range", "person", "pose", "hand", "person_oiv4", "movenet"],
}


def load(path):
    rows = [r for r in csv.DictReader(open(path)) if r["uncertain"] == "0"]
    return {s: [r for r in rows if r["split"] == s] for s in ("train", "validation", "test")}


def features(rows, names):
    return np.array([[float(r[k]) for k in names] for r in rows])


def target(rows):
    return np.array([r["has_face"] == "1" or r["has_person"] == "1" for r in rows], dtype=int)


def other_screens(rows):
    """Flagged by the CAPTCHA or policy screen (not the people and face screens)."""
    return np.array(
        [any(x in ("contains_captcha", "violates_usage_policy") for x in r["flagged"].split("+")) for r in rows]
    )


def figures(rows, flagged):
    flagged = flagged | other_screens(rows)
    face = np.array([r["has_face"] == "1" for r in rows])
    person = np.array([r["has_person"] == "1" for r in rows])
    sets = {"faces": face, "people, no face": person & ~face, "clean": ~person & ~face}
    return ", ".join(
        f"{name} {flagged[m].sum()}/{m.sum()} {100 * flagged[m].mean():.1f}%" for name, m in sets.items()
    )


def threshold(p, y):
    """The lowest threshold flagging at most MAX_FP of the negatives."""
    neg = np.sort(p[y == 0])[::-1]
    k = int(np.floor(MAX_FP * len(neg)))
    return float(neg[k]) + 1e-6 if k < len(neg) else 0.0


def main():
    sp = load(sys.argv[1] if len(sys.argv) > 1 else "target/eval/people-scores.csv")
    shipped = lambda rs: np.array(
        [any(x in ("contains_faces", "contains_people") for x in r["flagged"].split("+")) for r in rs]
    )
    for s in ("validation", "test"):
        print(f"shipped, {s}: {figures(sp[s], shipped(sp[s]))}")
    best = None
    yv = target(sp["validation"])
    for name, feats in FEATURE_SETS.items():
        for c in (0.3, 1.0, 3.0):
            m = LogisticRegression(C=c, max_iter=5000).fit(features(sp["train"], feats), target(sp["train"]))
            pv = m.predict_proba(features(sp["validation"], feats))[:, 1]
            t = threshold(pv, yv)
            recall = (pv[yv == 1] >= t).mean()
            print(f"  {name:<17} C={c:<4} validation recall {100 * recall:.1f}% at threshold {t:.3f}")
            if best is None or recall > best[0]:
                best = (recall, name, feats, c, m, t)
    _, name, feats, c, m, t = best
    print(f"\nchosen on validation: {name}, C={c}, threshold {t:.3f} (at most {100 * MAX_FP:.0f}% of clean flagged)")
    for s in ("validation", "test"):
        p = m.predict_proba(features(sp[s], feats))[:, 1]
        print(f"fused, {s}: {figures(sp[s], p >= t)}")
    print("weights: bias %.4f, " % m.intercept_[0] + ", ".join(f"{k} {w:.4f}" for k, w in zip(feats, m.coef_[0])))


if __name__ == "__main__":
    main()
