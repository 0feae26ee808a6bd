"""Optional: compare the shipped detectors + mediapipe_ssd.py with MediaPipe itself.

Runs MediaPipe's own CPU graphs (PoseDetectionCpu, PalmDetectionCpu with the full palm
model, FaceDetectionFullRangeCpu) from the pinned mediapipe 0.10.14 wheel and, on the same
images, the shipped ONNX files with the reference pre/post-processing in mediapipe_ssd.py
(settings read from models/provenance.json, which write_provenance.py fills from the graphs
in the wheel). Prints, per model, how many detections each side found and how far matched
detections differ (score, box and keypoint coordinates normalized to the image).

Two variants of our preprocessing are compared:
  opencv  MediaPipe's own resampling (cv2.warpPerspective, INTER_LINEAR, constant-0
          border, corner-aligned) -- isolates conversion + decoding differences;
  pil     mediapipe_ssd.letterbox (PIL bilinear resize, integer placement) -- what a
          normal resize-and-pad implementation gives.

Not run by build.sh: mediapipe 0.10.14 needs protobuf < 5 and so cannot share the build
venv. Set up a separate venv (python 3.11), e.g.

  python3.11 -m venv /tmp/venv-mp
  /tmp/venv-mp/bin/pip install <downloads>/mediapipe-0.10.14-cp311-*.whl 'numpy<2' \\
      'protobuf<5' onnxruntime==1.32.0 pillow scikit-image
  /tmp/venv-mp/bin/python crosscheck_mediapipe.py ../../models [IMAGE ...]

Without IMAGE arguments it uses the six scikit-image photos and every image in
fixtures/screening/images/.
"""

import glob
import json
import os
import sys

import numpy as np

import mediapipe_ssd

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

GRAPHS = {
    # model -> (graph config text, extra side inputs)
    "pose_detection": ("PoseDetectionCpu", {}),
    "palm_detection": ("PalmDetectionCpu", {"model_complexity": 1}),   # 1 = palm_detection_full
    "face_detection_full_range": ("FaceDetectionFullRangeCpu", {}),
}
INPUT_NAMES = {"pose_detection": "input_1", "palm_detection": "input",
               "face_detection_full_range": "input"}


def mp_solution(graph, side):
    from mediapipe.python.solution_base import SolutionBase
    side_decl = "".join(f'input_side_packet: "{k.upper()}:{k}"\n' for k in side)
    cfg = (f'input_stream: "image"\noutput_stream: "detections"\n'
           + "".join(f'input_side_packet: "{k}"\n' for k in side)
           + f'node {{ calculator: "{graph}" input_stream: "IMAGE:image" '
             f'output_stream: "DETECTIONS:detections" {side_decl} }}\n')
    return SolutionBase(graph_config=cfg, side_inputs=side or None, outputs=["detections"])


def mp_detections(sol, img):
    res = sol.process({"image": img})
    out = []
    for d in res.detections or []:
        ld = d.location_data
        b = ld.relative_bounding_box
        out.append({"score": d.score[0],
                    "box": [b.xmin, b.ymin, b.xmin + b.width, b.ymin + b.height],
                    "keypoints": [[k.x, k.y] for k in ld.relative_keypoints]})
    return out


def letterbox_opencv(img, spec):
    """ImageToTensorCalculator's CPU path: warpPerspective of the 8-bit image from the
    square ROI around the image onto the tensor, INTER_LINEAR, border 0, then the range."""
    import cv2
    itt = spec["image_to_tensor"]
    tw, th = itt["output_tensor_width"], itt["output_tensor_height"]
    lo, hi = itt["output_tensor_float_range"]["min"], itt["output_tensor_float_range"]["max"]
    h, w = img.shape[:2]
    s = max(w, h)
    src = cv2.boxPoints(((w / 2.0, h / 2.0), (float(s), float(s)), 0.0)).astype(np.float32)
    dst = np.array([[0, th], [0, 0], [tw, 0], [tw, th]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    x = cv2.warpPerspective(img, m, (tw, th), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    x = x.astype(np.float32) * np.float32((hi - lo) / 255.0) + np.float32(lo)
    if w >= h:
        pad = (0.0, (1 - h / w) / 2, 0.0, (1 - h / w) / 2)
    else:
        pad = ((1 - w / h) / 2, 0.0, (1 - w / h) / 2, 0.0)
    return x[None], pad


def ours(sess, in_name, img, spec, anc, pre):
    x, pad = (letterbox_opencv if pre == "opencv" else mediapipe_ssd.letterbox)(img, spec)
    reg, cls = sess.run(["regressors", "classificators"], {in_name: x})
    dets = mediapipe_ssd.weighted_nms(mediapipe_ssd.decode(reg, cls, anc, spec), spec)
    return mediapipe_ssd.remove_letterbox(dets, pad)


def compare(a, b):
    """Greedy match by IoU (> 0.5); returns (#matched, max score diff, max coord diff)."""
    used = set()
    ds = dc = 0.0
    n = 0
    for d in sorted(a, key=lambda d: -d["score"]):
        best, bi = 0.5, None
        for j, e in enumerate(b):
            if j not in used:
                v = mediapipe_ssd.iou(d["box"], e["box"])
                if v > best:
                    best, bi = v, j
        if bi is None:
            continue
        used.add(bi)
        e = b[bi]
        n += 1
        ds = max(ds, abs(d["score"] - e["score"]))
        coords = [abs(p - q) for p, q in zip(d["box"], e["box"])]
        coords += [abs(p - q) for kp, kq in zip(d["keypoints"], e["keypoints"]) for p, q in zip(kp, kq)]
        dc = max(dc, max(coords))
    return n, ds, dc


def images(args):
    from PIL import Image
    out = {}
    if not args:
        from skimage import color, data
        for name in ("astronaut", "coffee", "chelsea", "rocket", "camera", "immunohistochemistry"):
            img = getattr(data, name)()
            if img.ndim == 2:
                img = color.gray2rgb(img).astype(np.uint8)
            out[name] = np.ascontiguousarray(img[..., :3].astype(np.uint8))
        args = sorted(glob.glob(os.path.join(REPO, "fixtures", "screening", "images", "*")))
    for p in args:
        with Image.open(p) as im:
            out[os.path.basename(p)] = np.ascontiguousarray(np.asarray(im.convert("RGB")))
    return out


def main():
    import onnxruntime as ort
    models_dir = sys.argv[1]
    imgs = images(sys.argv[2:])
    prov = json.load(open(os.path.join(models_dir, "provenance.json")))
    specs = {os.path.basename(m["file"])[:-5]: m["mediapipe"] for m in prov["models"] if "mediapipe" in m}
    ok = True
    for model, (graph, side) in GRAPHS.items():
        spec = specs[model]
        anc = mediapipe_ssd.anchors(spec)
        sess = ort.InferenceSession(os.path.join(models_dir, f"{model}.onnx"), providers=["CPUExecutionProvider"])
        sol = mp_solution(graph, side)
        tot = {"opencv": [0, 0, 0, 0.0, 0.0, 0], "pil": [0, 0, 0, 0.0, 0.0, 0]}
        n_mp = 0
        for name, img in imgs.items():
            ref = mp_detections(sol, img)
            n_mp += len(ref)
            for pre in ("opencv", "pil"):
                got = ours(sess, INPUT_NAMES[model], img, spec, anc, pre)
                m, ds, dc = compare(ref, got)
                t = tot[pre]
                t[0] += len(got)
                t[1] += m
                t[2] += (len(ref) - m) + (len(got) - m)
                t[3] = max(t[3], ds)
                t[4] = max(t[4], dc)
                if len(ref) != m or len(got) != m:
                    t[5] += 1
                    print(f"  {model} {pre}: {name}: mediapipe {[round(d['score'], 3) for d in ref]} "
                          f"ours {[round(d['score'], 3) for d in got]}")
        sol.close()
        print(f"{model}: {len(imgs)} images, mediapipe detections {n_mp} (score >= "
              f"{spec['tensors_to_detections']['min_score_thresh']})")
        for pre, t in tot.items():
            print(f"  ours/{pre:6s}: detections {t[0]}, matched {t[1]}, unmatched {t[2]} "
                  f"(on {t[5]} images), max|score diff| {t[3]:.2e}, max|coord diff| {t[4]:.2e}")
        ok = ok and tot["opencv"][2] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
