"""Reference pre/post-processing for the MediaPipe SSD detectors shipped in models/.

A numpy transcription of what MediaPipe's graphs do around the model (the settings come
from mediapipe_graphs.ssd_spec(), i.e. from the graphs compiled into the pinned wheel):

  ImageToTensorCalculator (keep_aspect_ratio, BORDER_ZERO)  -> letterbox()
  SsdAnchorsCalculator                                      -> anchors()
  TensorsToDetectionsCalculator                             -> decode()
  NonMaxSuppressionCalculator (WEIGHTED, IoU)               -> weighted_nms()
  DetectionLetterboxRemovalCalculator / DetectionProjection -> remove_letterbox()

It is the executable form of the spec in models/PROVENANCE.md, used by verify_models.py and
crosscheck_mediapipe.py; it is not used at run time by prescreen.
"""

import math

import numpy as np


# --------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------

def letterbox(img, spec):
    """RGB uint8 HxWx3 -> (float32 [1,S,S,3] NHWC tensor, padding (left, top, right, bottom)).

    Scale so that the longer side fills the tensor (bilinear; PIL), centre it, fill the rest
    with the value a black pixel gets (the low end of the float range: BORDER_ZERO is applied
    to the 8-bit image before the range conversion), map 0..255 linearly onto the range.
    The padding is returned as fractions of the tensor side, from the pixels actually used.
    """
    from PIL import Image
    itt = spec["image_to_tensor"]
    tw, th = itt["output_tensor_width"], itt["output_tensor_height"]
    assert tw == th and itt["keep_aspect_ratio"] and itt["border_mode"] == "BORDER_ZERO"
    lo, hi = itt["output_tensor_float_range"]["min"], itt["output_tensor_float_range"]["max"]
    h, w = img.shape[:2]
    s = tw / max(w, h)
    nw, nh = max(1, round(w * s)), max(1, round(h * s))
    x = np.asarray(Image.fromarray(img).resize((nw, nh), Image.BILINEAR)).astype(np.float32)
    x = x * np.float32((hi - lo) / 255.0) + np.float32(lo)
    out = np.full((th, tw, 3), lo, dtype=np.float32)
    oy, ox = (th - nh) // 2, (tw - nw) // 2
    out[oy:oy + nh, ox:ox + nw] = x
    pad = (ox / tw, oy / th, (tw - ox - nw) / tw, (th - oy - nh) / th)
    return out[None], pad


# --------------------------------------------------------------------------------------
# anchors
# --------------------------------------------------------------------------------------

def _scale(min_scale, max_scale, i, n):
    return (min_scale + max_scale) * 0.5 if n == 1 else min_scale + (max_scale - min_scale) * i / (n - 1.0)


def anchors(spec):
    """[N,4] float32 (x_center, y_center, w, h) in the order of the model's outputs.

    SsdAnchorsCalculator::GenerateAnchors: consecutive layers with the same stride are
    merged into one feature map; per cell, per merged layer: one anchor per aspect ratio
    plus one more if interpolated_scale_aspect_ratio > 0. Cells are enumerated y-major, then
    x, then anchor. With fixed_anchor_size, w = h = 1.
    """
    o = spec["ssd_anchors"]
    assert not o["multiscale_anchor_generation"] and not o["feature_map_width"] \
        and not o["reduce_boxes_in_lowest_layer"]
    strides, n = o["strides"], len(o["strides"])
    assert o["num_layers"] == n
    out = []
    layer = 0
    while layer < n:
        sizes = []
        last = layer
        while last < n and strides[last] == strides[layer]:
            sc = _scale(o["min_scale"], o["max_scale"], last, n)
            for ar in o["aspect_ratios"]:
                sizes.append((sc * math.sqrt(ar), sc / math.sqrt(ar)))
            if o["interpolated_scale_aspect_ratio"] > 0:
                nxt = 1.0 if last == n - 1 else _scale(o["min_scale"], o["max_scale"], last + 1, n)
                ar = o["interpolated_scale_aspect_ratio"]
                sc2 = math.sqrt(sc * nxt)
                sizes.append((sc2 * math.sqrt(ar), sc2 / math.sqrt(ar)))
            last += 1
        fh = math.ceil(o["input_size_height"] / strides[layer])
        fw = math.ceil(o["input_size_width"] / strides[layer])
        for y in range(fh):
            for x in range(fw):
                for aw, ah in sizes:
                    cx = (x + o["anchor_offset_x"]) / fw
                    cy = (y + o["anchor_offset_y"]) / fh
                    out.append((cx, cy, 1.0, 1.0) if o["fixed_anchor_size"] else (cx, cy, aw, ah))
        layer = last
    return np.asarray(out, dtype=np.float32)


# --------------------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------------------

def scores(classificators, spec):
    """[N] float32 sigmoid scores from the raw logits (clipped to +-score_clipping_thresh)."""
    d = spec["tensors_to_detections"]
    assert d["num_classes"] == 1 and d["sigmoid_score"]
    x = np.asarray(classificators, dtype=np.float32).reshape(-1)
    c = d["score_clipping_thresh"]
    x = np.clip(x, -c, c)
    return (1.0 / (1.0 + np.exp(-x.astype(np.float64)))).astype(np.float32)


def decode(regressors, classificators, anchor_arr, spec):
    """All boxes above min_score_thresh as dicts, coordinates normalized to the tensor.

    Per anchor a (x_center, y_center, w, h) and raw row r (reverse_output_order: x first):
      cx = r[0]/x_scale*a.w + a.x     cy = r[1]/y_scale*a.h + a.y
      w  = r[2]/w_scale*a.w           h  = r[3]/h_scale*a.h
      box = (xmin, ymin, xmax, ymax) = (cx-w/2, cy-h/2, cx+w/2, cy+h/2)
      keypoint k: x = r[4+2k]/x_scale*a.w + a.x,  y = r[5+2k]/y_scale*a.h + a.y
    Boxes with negative or NaN width/height are dropped (as MediaPipe does).
    """
    d = spec["tensors_to_detections"]
    assert d["reverse_output_order"] and not d["apply_exponential_on_box_size"] \
        and d["box_coord_offset"] == 0 and d["num_values_per_keypoint"] == 2 \
        and d["box_format"] == "UNSPECIFIED" and not d["flip_vertically"]
    r = np.asarray(regressors, dtype=np.float32).reshape(-1, d["num_coords"])
    a = anchor_arr
    assert r.shape[0] == a.shape[0] == d["num_boxes"]
    sc = scores(classificators, spec)
    cx = r[:, 0] / d["x_scale"] * a[:, 2] + a[:, 0]
    cy = r[:, 1] / d["y_scale"] * a[:, 3] + a[:, 1]
    w = r[:, 2] / d["w_scale"] * a[:, 2]
    h = r[:, 3] / d["h_scale"] * a[:, 3]
    k0 = d["keypoint_coord_offset"]
    kx = r[:, k0::2][:, :d["num_keypoints"]] / d["x_scale"] * a[:, 2:3] + a[:, 0:1]
    ky = r[:, k0 + 1::2][:, :d["num_keypoints"]] / d["y_scale"] * a[:, 3:4] + a[:, 1:2]
    out = []
    for i in np.nonzero(sc >= d["min_score_thresh"])[0]:
        if not (w[i] >= 0 and h[i] >= 0):
            continue
        out.append({"score": float(sc[i]), "anchor": int(i),
                    "box": [float(cx[i] - w[i] / 2), float(cy[i] - h[i] / 2),
                            float(cx[i] + w[i] / 2), float(cy[i] + h[i] / 2)],
                    "keypoints": [[float(kx[i, k]), float(ky[i, k])] for k in range(d["num_keypoints"])]})
    return out


def iou(a, b):
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def weighted_nms(dets, spec):
    """NonMaxSuppressionCalculator, algorithm WEIGHTED, overlap IoU.

    Sort by score (descending). Repeatedly take the best remaining detection; every
    remaining detection with IoU > min_suppression_threshold with it (itself included) is
    a candidate; the output box and keypoints are the score-weighted mean of the
    candidates' boxes/keypoints, the output score is the best one's; the candidates are
    removed.
    """
    o = spec["non_max_suppression"]
    assert o["algorithm"] == "WEIGHTED" and o["overlap_type"] == "INTERSECTION_OVER_UNION" \
        and o["max_num_detections"] < 0 and o["min_score_threshold"] <= 0
    thr = o["min_suppression_threshold"]
    rest = sorted(dets, key=lambda d: -d["score"])
    out = []
    while rest:
        top = rest[0]
        cand = [d for d in rest if iou(d["box"], top["box"]) > thr]
        rest = [d for d in rest if iou(d["box"], top["box"]) <= thr]
        wsum = sum(d["score"] for d in cand)
        box = [sum(d["box"][j] * d["score"] for d in cand) / wsum for j in range(4)]
        kps = [[sum(d["keypoints"][k][j] * d["score"] for d in cand) / wsum for j in range(2)]
               for k in range(len(top["keypoints"]))]
        out.append({"score": top["score"], "anchor": top["anchor"], "box": box, "keypoints": kps,
                    "merged": len(cand)})
    return out


def remove_letterbox(dets, pad):
    """Tensor-normalized -> image-normalized coordinates: x' = (x - left) / (1 - left - right)."""
    left, top, right, bottom = pad
    sx, sy = 1.0 - left - right, 1.0 - top - bottom
    out = []
    for d in dets:
        e = dict(d)
        b = d["box"]
        e["box"] = [(b[0] - left) / sx, (b[1] - top) / sy, (b[2] - left) / sx, (b[3] - top) / sy]
        e["keypoints"] = [[(x - left) / sx, (y - top) / sy] for x, y in d["keypoints"]]
        out.append(e)
    return out


def detect(run, img, spec, anchor_arr=None):
    """Full pipeline: run(tensor) -> (regressors, classificators); returns image-normalized
    detections after NMS and the max score over all anchors."""
    x, pad = letterbox(img, spec)
    reg, cls = run(x)
    if anchor_arr is None:
        anchor_arr = anchors(spec)
    dets = weighted_nms(decode(reg, cls, anchor_arr, spec), spec)
    return remove_letterbox(dets, pad), float(scores(cls, spec).max())
