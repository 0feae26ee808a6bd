"""Person-presence accuracy and speed of models/person_detector.onnx on fixtures/screening.

For every image in fixtures/screening/labels.csv: letterbox to the model's input size, run
ONNX Runtime (1 intra-op thread), take the highest score among person-class detections.
Prints recall on has_person=1 images and false-positive rate on has_person=0 images at
several thresholds, per-label results at one threshold, and the time per image.

usage: python measure_person_detector.py [MODEL.onnx] [--threshold 0.3] [--threads 1]
                                         [--repeat 3] [--scores OUT.csv]
"""

import argparse
import collections
import csv
import os
import statistics
import sys
import time

import numpy as np

from common import REPO
import convert_person_detector as cpd

THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="?", default=os.path.join(REPO, "models", "person_detector.onnx"))
    ap.add_argument("--fixtures", default=os.path.join(REPO, "fixtures", "screening"))
    ap.add_argument("--threshold", type=float, default=0.3, help="for the per-label table")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per image (min is kept)")
    ap.add_argument("--scores", help="write file,label,has_person,score to this CSV")
    args = ap.parse_args()

    import onnxruntime as ort
    from PIL import Image

    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    size = sess.get_inputs()[0].shape[1]

    with open(os.path.join(args.fixtures, "labels.csv"), newline="") as f:
        rows = list(csv.DictReader(f))

    scores, t_model, t_pre = [], [], []
    warm = np.zeros((1, size, size, 3), np.float32)
    for _ in range(3):
        sess.run([cpd.OUTPUT_NAME], {cpd.INPUT_NAME: warm})
    for r in rows:
        img = Image.open(os.path.join(args.fixtures, r["file"]))
        img.load()
        t0 = time.perf_counter()
        x = cpd.letterbox(img, size)[0]
        t_pre.append(time.perf_counter() - t0)
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            det = sess.run([cpd.OUTPUT_NAME], {cpd.INPUT_NAME: x})[0]
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        t_model.append(best)
        scores.append(cpd.person_score(det))

    sc = np.array(scores)
    pos = np.array([r["has_person"] == "1" for r in rows])
    print(f"model {os.path.relpath(args.model, REPO)}  input {size}x{size}  "
          f"{pos.sum()} has_person=1, {(~pos).sum()} has_person=0 images")
    print(f"{'threshold':>9}  {'recall':>14}  {'false-pos rate':>14}")
    for t in THRESHOLDS:
        tp, fp = int((sc[pos] >= t).sum()), int((sc[~pos] >= t).sum())
        print(f"{t:>9.2f}  {tp:>3}/{pos.sum():<3} = {tp / pos.sum():.2f}  {fp:>3}/{(~pos).sum():<3} = {fp / (~pos).sum():.2f}")

    print(f"\nper label at threshold {args.threshold}: flagged/total (median score)")
    by = collections.defaultdict(list)
    for r, s in zip(rows, scores):
        by[(r["has_person"], r["label"])].append(s)
    for (hp, label), ss in sorted(by.items(), key=lambda kv: (kv[0][0] != "1", kv[0][1])):
        n = sum(s >= args.threshold for s in ss)
        print(f"  has_person={hp} {label:<16} {n:>2}/{len(ss):<2} ({statistics.median(ss):.2f})")

    ms = np.array(t_model) * 1000
    print(f"\ntime per image, ONNX Runtime {ort.__version__}, {args.threads} intra-op thread(s), "
          f"model only (min of {args.repeat} runs each): median {np.median(ms):.1f} ms, "
          f"mean {ms.mean():.1f} ms, p90 {np.percentile(ms, 90):.1f} ms")
    print(f"letterbox in python/PIL: median {np.median(t_pre) * 1000:.1f} ms")

    if args.scores:
        with open(args.scores, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file", "label", "has_person", "person_score"])
            for r, s in zip(rows, scores):
                w.writerow([r["file"], r["label"], r["has_person"], f"{s:.4f}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
