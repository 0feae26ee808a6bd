"""numpy reference of the PP-OCRv4 pipeline of rapidocr_onnxruntime 1.4.4 (models/ocr_det.onnx,
models/ocr_rec.onnx), without OpenCV.

Follows the package's own code (rapidocr_onnxruntime/main.py, ch_ppocr_det/, ch_ppocr_rec/,
utils/process_img.py, config.yaml in the pinned wheel) step by step, with two simplifications
that matter only for rotated text:
  * DB boxes are the axis-aligned bounding boxes of the connected regions (rapidocr: the
    minimum-area rotated rectangle of each contour, cv2.minAreaRect), and the box growth is
    done on that rectangle (rapidocr: pyclipper round offset, then minAreaRect again, which
    for a rectangle gives the same rectangle grown by the distance on every side);
  * crops are plain pixel crops (rapidocr: cv2.warpPerspective, INTER_CUBIC, which for an
    axis-aligned box is the same pixels), resizing is PIL bilinear (rapidocr: cv2.resize
    INTER_LINEAR; the same when enlarging, PIL antialiases when shrinking).
The text direction classifier (180 degrees) that rapidocr runs between the two is not used.

usage (venv python): python ppocr_ref.py MODELS_DIR IMAGE...   prints text, score, box.
"""

import math
import sys

import numpy as np

# rapidocr_onnxruntime 1.4.4 config.yaml (Global, Det, Rec) and DBPostProcess.min_size
MAX_SIDE_LEN = 2000        # Global.max_side_len: shrink first if the long side is larger
MIN_SIDE_LEN = 30          # Global.min_side_len: enlarge first if the short side is smaller
MIN_HEIGHT = 30            # Global.min_height: letterbox if h <= this ...
WIDTH_HEIGHT_RATIO = 8     # Global.width_height_ratio: ... or if w/h > this
TEXT_SCORE = 0.5           # Global.text_score: keep a line with recognition score >= this
DET_LIMIT_SIDE_LEN = 736   # Det.limit_side_len with limit_type "min"
DET_MEAN = DET_STD = 0.5   # Det.mean / Det.std (all channels); scale 1/255
DB_THRESH = 0.3            # Det.thresh: binarisation of the probability map
DB_BOX_THRESH = 0.5        # Det.box_thresh: minimum mean probability inside a box
DB_MAX_CANDIDATES = 1000   # Det.max_candidates
DB_UNCLIP_RATIO = 1.6      # Det.unclip_ratio
DB_MIN_SIZE = 3            # DBPostProcess.min_size (short side, map pixels); +2 after growth
REC_H, REC_W = 48, 320     # Rec.rec_img_shape [3, 48, 320]
REC_BATCH = 6              # Rec.rec_batch_num

DET_INPUT, DET_OUTPUT = "x", "sigmoid_0.tmp_0"
REC_INPUT, REC_OUTPUT = "x", "softmax_11.tmp_0"


def session(path, threads=1):
    import onnxruntime as ort
    o = ort.SessionOptions()
    o.intra_op_num_threads = threads
    o.inter_op_num_threads = 1
    o.log_severity_level = 3
    return ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])


def load_bgr(path):
    """HxWx3 uint8 BGR, as rapidocr's LoadImage (RGBA: composited the package's way is not
    reproduced; alpha is dropped)."""
    from PIL import Image
    with Image.open(path) as im:
        rgb = np.asarray(im.convert("RGB"))
    return np.ascontiguousarray(rgb[..., ::-1])


def resize(img, w, h):
    from PIL import Image
    return np.asarray(Image.fromarray(img).resize((int(w), int(h)), Image.BILINEAR))


def round32(v):
    return int(round(v / 32) * 32)


def _resize_ratio(img, ratio):
    h, w = img.shape[:2]
    rh, rw = round32(int(h * ratio)), round32(int(w * ratio))
    return resize(img, rw, rh), h / rh, w / rw


def prepare(img):
    """rapidocr RapidOCR.preprocess + maybe_add_letterbox. Returns (image, ops) where ops
    maps boxes in the returned image back to the original (see to_original)."""
    ops = []
    h, w = img.shape[:2]
    if max(h, w) > MAX_SIDE_LEN:
        img, rh, rw = _resize_ratio(img, MAX_SIDE_LEN / max(h, w))
        ops.append(("scale", rh, rw))
    h, w = img.shape[:2]
    if min(h, w) < MIN_SIDE_LEN:
        img, rh, rw = _resize_ratio(img, MIN_SIDE_LEN / min(h, w))
        ops.append(("scale", rh, rw))
    h, w = img.shape[:2]
    if h <= MIN_HEIGHT or w / h > WIDTH_HEIGHT_RATIO:
        new_h = max(int(w / WIDTH_HEIGHT_RATIO), MIN_HEIGHT) * 2
        pad = int(abs(new_h - h) / 2)
        out = np.zeros((h + 2 * pad, w, 3), np.uint8)     # black rows above and below
        out[pad:pad + h] = img
        img = out
        ops.append(("pad", pad))
    return img, ops


def to_original(box, ops, raw_w, raw_h):
    x0, y0, x1, y1 = [float(v) for v in box]
    for op in reversed(ops):
        if op[0] == "pad":
            y0, y1 = y0 - op[1], y1 - op[1]
        else:
            x0, x1, y0, y1 = x0 * op[2], x1 * op[2], y0 * op[1], y1 * op[1]
    return (min(max(x0, 0), raw_w), min(max(y0, 0), raw_h),
            min(max(x1, 0), raw_w), min(max(y1, 0), raw_h))


def det_input(img):
    """TextDetector preprocessing: short side up to 736 (never down), both sides rounded to a
    multiple of 32, BGR, (v/255 - 0.5)/0.5, NCHW float32."""
    h, w = img.shape[:2]
    ratio = DET_LIMIT_SIDE_LEN / min(h, w) if min(h, w) < DET_LIMIT_SIDE_LEN else 1.0
    rh, rw = round32(int(h * ratio)), round32(int(w * ratio))
    x = resize(img, rw, rh).astype(np.float32)
    x = (x / 255.0 - DET_MEAN) / DET_STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None], dtype=np.float32)


def db_boxes(prob, dest_w, dest_h):
    """DB post-processing on the [H, W] probability map -> [(x0, y0, x1, y1, score)] in pixels
    of the image of size dest_w x dest_h (axis-aligned variant, see the module docstring)."""
    from scipy import ndimage
    H, W = prob.shape
    mask = prob > DB_THRESH
    # cv2.dilate with a 2x2 kernel of ones (anchor at (1,1)): a pixel is set if it or its
    # left, upper or upper-left neighbour is set
    dil = mask.copy()
    dil[:, 1:] |= mask[:, :-1]
    dil[1:, :] |= mask[:-1, :]
    dil[1:, 1:] |= mask[:-1, :-1]
    labels, n = ndimage.label(dil, structure=np.ones((3, 3), bool))
    out = []
    for sl in ndimage.find_objects(labels)[:DB_MAX_CANDIDATES]:
        ys, xs = sl
        x0, x1, y0, y1 = xs.start, xs.stop - 1, ys.start, ys.stop - 1   # pixel centres
        w, h = x1 - x0, y1 - y0                 # minAreaRect of the contour's points
        if min(w, h) < DB_MIN_SIZE:
            continue
        score = float(prob[y0:y1 + 1, x0:x1 + 1].mean())   # box_score_fast
        if score < DB_BOX_THRESH:
            continue
        d = w * h * DB_UNCLIP_RATIO / (2.0 * (w + h))      # unclip: area * ratio / perimeter
        bx0, by0, bx1, by1 = x0 - d, y0 - d, x1 + d, y1 + d
        if min(w, h) + 2 * d < DB_MIN_SIZE + 2:
            continue
        sx, sy = dest_w / W, dest_h / H
        bx0, bx1 = [min(max(round(v * sx), 0), dest_w) for v in (bx0, bx1)]
        by0, by1 = [min(max(round(v * sy), 0), dest_h) for v in (by0, by1)]
        # TextDetector.filter_tag_det_res: clip to the last pixel, drop sides <= 3
        bx0, bx1 = [int(min(max(v, 0), dest_w - 1)) for v in (bx0, bx1)]
        by0, by1 = [int(min(max(v, 0), dest_h - 1)) for v in (by0, by1)]
        if bx1 - bx0 <= 3 or by1 - by0 <= 3:
            continue
        out.append((bx0, by0, bx1, by1, score))
    # RapidOCR.sorted_boxes: top to bottom, then left to right within 10 px
    out.sort(key=lambda b: (b[1], b[0]))
    for i in range(len(out) - 1):
        for j in range(i, -1, -1):
            if abs(out[j + 1][1] - out[j][1]) < 10 and out[j + 1][0] < out[j][0]:
                out[j], out[j + 1] = out[j + 1], out[j]
            else:
                break
    return out


def crop(img, box):
    x0, y0, x1, y1 = box[:4]
    c = img[y0:y0 + (y1 - y0), x0:x0 + (x1 - x0)]       # int(side) pixels, as warpPerspective
    if c.shape[0] / c.shape[1] >= 1.5:
        c = np.rot90(c)                                  # counter-clockwise, as rapidocr
    return np.ascontiguousarray(c)


def rec_batch(crops):
    """TextRecognizer.resize_norm_img for one batch: height 48, width int(48 * max ratio)
    (at least 320), each crop resized to 48 x min(ceil(48*w/h), width) and padded on the
    right with 0 (after normalisation, i.e. mid grey); BGR, (v/255 - 0.5)/0.5."""
    max_ratio = max([REC_W / REC_H] + [c.shape[1] / c.shape[0] for c in crops])
    W = int(REC_H * max_ratio)
    x = np.zeros((len(crops), 3, REC_H, W), np.float32)
    for i, c in enumerate(crops):
        rw = min(W, int(math.ceil(REC_H * c.shape[1] / c.shape[0])))
        r = resize(c, rw, REC_H).astype(np.float32).transpose(2, 0, 1) / 255.0
        x[i, :, :, :rw] = (r - 0.5) / 0.5
    return x


def dictionary(rec_session):
    """CTC classes: index 0 = blank, 1..6623 = metadata `character` lines, 6624 = space."""
    chars = rec_session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return ["blank"] + chars + [" "]


def ctc_greedy(probs, chars):
    """probs [T, C] -> (text, score): argmax per step, merge repeats, drop blanks; score =
    mean of the kept steps' max probabilities (0 if none)."""
    idx = probs.argmax(axis=1)
    p = probs.max(axis=1)
    keep = np.ones(len(idx), bool)
    keep[1:] = idx[1:] != idx[:-1]
    keep &= idx != 0
    text = "".join(chars[i] for i in idx[keep])
    return text, float(p[keep].mean()) if keep.any() else 0.0


def recognise(rec, crops, chars):
    order = np.argsort([c.shape[1] / c.shape[0] for c in crops], kind="stable")
    res = [("", 0.0)] * len(crops)
    for b in range(0, len(crops), REC_BATCH):
        ids = order[b:b + REC_BATCH]
        y = rec.run([REC_OUTPUT], {REC_INPUT: rec_batch([crops[i] for i in ids])})[0]
        for k, i in enumerate(ids):
            res[i] = ctc_greedy(y[k], chars)
    return res


def ocr(det, rec, img, chars=None):
    """Full pipeline on a BGR uint8 image -> [(text, score, (x0, y0, x1, y1))], boxes in
    pixels of the original image, lines with score < 0.5 dropped (as rapidocr)."""
    chars = chars or dictionary(rec)
    raw_h, raw_w = img.shape[:2]
    img, ops = prepare(img)
    h, w = img.shape[:2]
    prob = det.run([DET_OUTPUT], {DET_INPUT: det_input(img)})[0][0, 0]
    boxes = db_boxes(prob, w, h)
    if not boxes:
        return []
    res = recognise(rec, [crop(img, b) for b in boxes], chars)
    return [(t, s, to_original(b[:4], ops, raw_w, raw_h))
            for b, (t, s) in zip(boxes, res) if s >= TEXT_SCORE]


def main():
    import os
    models_dir = sys.argv[1]
    det = session(os.path.join(models_dir, "ocr_det.onnx"))
    rec = session(os.path.join(models_dir, "ocr_rec.onnx"))
    chars = dictionary(rec)
    for path in sys.argv[2:]:
        print(f"== {path}")
        for t, s, b in ocr(det, rec, load_bgr(path), chars):
            print(f"   {t!r} {s:.3f} box {[round(v) for v in b]}")


if __name__ == "__main__":
    main()
