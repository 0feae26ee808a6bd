"""Parity of models/nsfwjs_mobilenet_v2_mid.onnx (ONNX Runtime) with the ORIGINAL NSFWJS
MobileNetV2-mid model run by TensorFlow.js (CPU backend, node), and reference outputs for
the Rust re-implementation of the NSFWJS preprocessing.

Steps:
  1. decode every reference image with Pillow (Image.open; .convert("RGB") unless already
     RGB; no EXIF orientation) to raw uint8 RGB files + a manifest;
  2. `node nsfwjs_reference.cjs MANIFEST DIR` loads the model through nsfwjs' own loader and
     does exactly NSFWJS.infer(): toFloat, div 255, tf.image.resizeBilinear([224,224],
     alignCorners=true) unless already 224x224, predict; it saves each preprocessed tensor
     and the probabilities, and the sha256 of every weight tensor tfjs holds;
  3. the weights dequantised by convert_nsfwjs.read_weights must equal tfjs' bit for bit;
  4. the tfjs tensors are recomputed with `nsfwjs_preprocess()` below (numpy, float64
     arithmetic as tfjs-backend-cpu does it) and must match (max abs difference reported);
  5. ONNX Runtime (CPU, 1 thread) runs the ONNX file on the very same tensor bytes; the max
     abs difference of the 5 probabilities against tfjs must be <= --tol (1e-4).

usage: python verify_nsfwjs.py --onnx F.onnx --tfjs-dir D --node-dir N --work W --out OUT.json
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from policy_sources import NSFWJS, REPO, f32_stats, ort_session, reference_images, sha256_bytes, sha256_file, time_per_image  # noqa: E402
import convert_nsfwjs  # noqa: E402

SIZE = 224


def decode_rgb(path):
    from PIL import Image
    im = Image.open(path)
    im.load()
    mode = im.mode
    if im.mode != "RGB":
        im = im.convert("RGB")
    return mode, np.asarray(im, dtype=np.uint8)


def nsfwjs_preprocess(rgb):
    """uint8 [H,W,3] RGB -> float32 [224,224,3], bit-exact to NSFWJS.infer() on tfjs' CPU
    backend (tfjs-core/-backend-cpu 4.22.0):
      x = float32(v / 255)                                     (tf div, rounded to float32)
      if H != 224 or W != 224: resizeBilinear(alignCorners=true, halfPixelCenters=false):
        ry = (H-1)/223, rx = (W-1)/223                         (double)
        for output row r, col c:  sy = ry*r, sx = rx*c         (double)
          y0 = floor(sy), y1 = min(H-1, ceil(sy)), fy = sy - y0 (same for x)
          top = x[y0,x0] + (x[y0,x1] - x[y0,x0]) * fx          (double, from float32 x)
          bot = x[y1,x0] + (x[y1,x1] - x[y1,x0]) * fx
          out = float32(top + (bot - top) * fy)
    """
    x = rgb.astype(np.float32) / np.float32(255.0)
    h, w, _ = x.shape
    if (h, w) == (SIZE, SIZE):
        return x
    ry = (h - 1) / (SIZE - 1) if SIZE > 1 else h / SIZE
    rx = (w - 1) / (SIZE - 1) if SIZE > 1 else w / SIZE
    sy = ry * np.arange(SIZE, dtype=np.float64)
    sx = rx * np.arange(SIZE, dtype=np.float64)
    y0 = np.maximum(0, np.floor(sy)).astype(np.int64)
    x0 = np.maximum(0, np.floor(sx)).astype(np.int64)
    fy = (sy - y0)[:, None, None]
    fx = (sx - x0)[None, :, None]
    y1 = np.minimum(h - 1, np.ceil(sy)).astype(np.int64)
    x1 = np.minimum(w - 1, np.ceil(sx)).astype(np.int64)
    xd = x.astype(np.float64)
    tl, tr = xd[y0][:, x0], xd[y0][:, x1]
    bl, br = xd[y1][:, x0], xd[y1][:, x1]
    top = tl + (tr - tl) * fx
    bot = bl + (br - bl) * fx
    return (top + (bot - top) * fy).astype(np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--tfjs-dir", required=True, help="output of nsfwjs_extract.cjs")
    ap.add_argument("--node-dir", required=True, help="dir whose node_modules has nsfwjs + tfjs")
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--timing-out")
    args = ap.parse_args()

    import PIL
    import onnxruntime

    os.makedirs(args.work, exist_ok=True)
    imgs, meta = [], {}
    for i, rel in enumerate(reference_images()):
        mode, rgb = decode_rgb(os.path.join(REPO, rel))
        raw = os.path.join(os.path.abspath(args.work), f"{i}.rgb")
        rgb.tofile(raw)
        imgs.append({"path": rel, "width": int(rgb.shape[1]), "height": int(rgb.shape[0]), "rgb": raw})
        meta[rel] = (mode, rgb)
    manifest = os.path.join(args.work, "manifest.json")
    with open(manifest, "w") as f:
        json.dump({"images": imgs}, f)
    outdir = os.path.join(os.path.abspath(args.work), "tfjs_out")
    subprocess.run(["node", os.path.join(HERE, "nsfwjs_reference.cjs"), os.path.abspath(manifest), outdir],
                   cwd=args.node_dir, check=True)
    with open(os.path.join(outdir, "reference.json")) as f:
        ref = json.load(f)
    assert ref["backend"] == "cpu", ref["backend"]
    assert ref["classes"] == convert_nsfwjs.CLASSES, ref["classes"]

    # 3. weights
    _, weights = convert_nsfwjs.read_weights(args.tfjs_dir)
    assert set(weights) == set(ref["weights"]), set(weights) ^ set(ref["weights"])
    bad = [k for k, v in ref["weights"].items()
           if v["shape"] != list(weights[k].shape) or v["sha256"] != sha256_bytes(weights[k].tobytes())]
    assert not bad, f"dequantised weights differ from tfjs': {bad[:3]}"

    sess = ort_session(args.onnx)
    assert [i.name for i in sess.get_inputs()] == ["input"]
    results, max_diff, max_pre = [], 0.0, 0.0
    for i, r in enumerate(ref["results"]):
        rel = r["path"]
        x = np.fromfile(os.path.join(outdir, f"{i}.f32"), dtype="<f4").reshape(SIZE, SIZE, 3)
        mode, rgb = meta[rel]
        mine = nsfwjs_preprocess(rgb)
        pre_diff = float(np.abs(mine.astype(np.float64) - x).max())
        max_pre = max(max_pre, pre_diff)
        p_ort = sess.run(None, {"input": x[None]})[0][0].astype(np.float64)
        p_tfjs = np.asarray(r["probabilities"], np.float64)
        d = float(np.abs(p_ort - p_tfjs).max())
        max_diff = max(max_diff, d)
        results.append({
            "path": rel,
            "file_sha256": sha256_file(os.path.join(REPO, rel)),
            "decoded": {"mode": mode, "width": int(rgb.shape[1]), "height": int(rgb.shape[0]),
                        "rgb_u8_sum": int(rgb.astype(np.int64).sum())},
            "input": f32_stats(x),
            "probabilities": [float(v) for v in p_tfjs],
            "onnxruntime_probabilities": [float(np.float32(v)) for v in p_ort],
            "max_abs_diff": d,
            "numpy_preprocess_max_abs_diff": pre_diff,
        })
    ok = max_diff <= args.tol
    out = {
        "model": NSFWJS["shipped"],
        "model_sha256": sha256_file(args.onnx),
        "reference_runtime": ("nsfwjs {nsfwjs} loaded with nsfwjs.load('MobileNetV2Mid'), "
                              "@tensorflow/tfjs {t} (tfjs-core {c}, tfjs-backend-cpu {b}, tfjs-converter {v}), "
                              "backend cpu, node {n}").format(
            nsfwjs=ref["tfjs_versions"]["nsfwjs"], t=ref["tfjs_versions"]["@tensorflow/tfjs"],
            c=ref["tfjs_versions"]["@tensorflow/tfjs-core"], b=ref["tfjs_versions"]["@tensorflow/tfjs-backend-cpu"],
            v=ref["tfjs_versions"]["@tensorflow/tfjs-converter"], n=ref["tfjs_versions"]["node"]),
        "onnx_runtime": f"onnxruntime {onnxruntime.__version__} CPUExecutionProvider, intra_op_num_threads=1",
        "decoder": f"Pillow {PIL.__version__}: Image.open + convert('RGB') unless mode is RGB; no EXIF orientation",
        "input": {"name": "input", "shape": ["N", 224, 224, 3], "layout": "NHWC", "channels": "RGB",
                  "dtype": "float32", "value": "pixel/255 in [0,1] (the graph itself maps it to x*2-1)"},
        "output": {"name": "probabilities", "shape": ["N", 5], "classes": convert_nsfwjs.CLASSES, "softmax": True},
        "preprocessing": nsfwjs_preprocess.__doc__.strip(),
        "checksum_fields": ("input.sum / input.mean: float64 sum / mean of the float32 [224,224,3] tensor that "
                            "tfjs fed the model; channel_means in R, G, B order; sha256_f32le over its "
                            "little-endian float32 bytes (HWC, C order); decoded.rgb_u8_sum: sum of the "
                            "uint8 RGB samples of the decoded image"),
        "images": len(results),
        "parity": {"max_abs_diff_probabilities": max_diff, "tolerance": args.tol, "pass": ok,
                   "max_abs_diff_numpy_preprocess_vs_tfjs": max_pre,
                   "weights_bit_identical_to_tfjs": True, "weights_checked": len(ref["weights"])},
        "note": ("All images are SFW development fixtures (no NSFW content): the probabilities "
                 "check the conversion and the preprocessing, not the model's accuracy."),
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    timing = time_per_image(sess, np.fromfile(os.path.join(outdir, "0.f32"), dtype="<f4").reshape(1, SIZE, SIZE, 3))
    timing["model"] = NSFWJS["shipped"]
    timing["tfjs_cpu_predict_ms_per_image"] = round(ref["predict_ms_per_image"], 1)
    print(json.dumps({"images": len(results), "max_abs_diff": max_diff, "max_pre_diff": max_pre,
                      "pass": ok, "ort_1thread": timing}))
    if args.timing_out:
        with open(args.timing_out, "w") as f:
            json.dump(timing, f)
    if not ok:
        raise SystemExit(f"parity failed: max abs diff {max_diff} > {args.tol}")


if __name__ == "__main__":
    sys.exit(main())
