"""A straightforward Python screening pipeline, the baseline `benches/screening_speed.rs`
compares prescreen against: Pillow decode + onnxruntime, the same models, passes and
thresholds as prescreen's defaults (src/settings.rs), one image after another.

Usage: screen_reference.py DATASET.jsonl MODELS_DIR  -> prints one JSON object per image
(line, index, face, person, pose, hand, skipped) and a final {"images": n, "seconds": s}.
"""
import base64
import io
import json
import sys
import time

import numpy as np
import onnxruntime as ort
from PIL import Image

FACE_THR, FACE_REPORT, PERSON_THR, POSE_THR, HAND_THR, REPORT = 0.4, 0.2, 0.4, 0.8, 0.8, 0.2


def session(path):
    so = ort.SessionOptions()
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


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
        x0, y0, w, h = box
        nw, nh = self.size(w, h, side)
        crop = im.crop((int(x0), int(y0), int(x0 + w), int(y0 + h))).resize((nw, nh), Image.BILINEAR)
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
        boxes = self.verified(im, self.run(im, (0, 0, im.width, im.height), 640))
        return max([b[4] for b in boxes] + [0.0])

    def fine(self, im):
        """Large images again at up to 1.5x, for faces too small for the base pass."""
        long = max(im.size)
        side = min(int(long * 1.5), 2560)
        if long <= 800 or side <= 640:
            return 0.0
        boxes = self.verified(im, self.run(im, (0, 0, im.width, im.height), side))
        return max([b[4] for b in boxes] + [0.0])

    def sideways(self, im):
        """The image turned a quarter clockwise and anticlockwise, one batch of two."""
        nw, nh = self.size(im.width, im.height, 320)
        small = im.resize((nw, nh), Image.BILINEAR)
        turns = (Image.ROTATE_270, Image.ROTATE_90)  # clockwise, anticlockwise
        x = np.stack([np.asarray(small.transpose(t), dtype=np.float32).transpose(2, 0, 1) for t in turns])
        heat, scale, off, _ = self.s.run(None, {"input.1": x})
        best = 0.0
        for k, t in enumerate(turns):
            boxes = self.decode(heat, scale, off, k, FACE_THR, nh, nw)
            if boxes and best < FACE_THR:
                turned = im.transpose(t)
                sx, sy = turned.width / nh, turned.height / nw
                boxes = [(b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy, b[4]) for b in boxes]
                best = max([best] + [b[4] for b in self.verified(turned, boxes)])
        return best


def letterbox(im, side):
    sc = side / max(im.size)
    nw, nh = max(1, min(side, round(im.width * sc))), max(1, min(side, round(im.height * sc)))
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
        p = 1 / (1 + np.exp(-np.clip(out["classificators"], -80, 80)))
        best = float(p.max())
        return best if best >= REPORT else 0.0


def main():
    data, models = sys.argv[1], sys.argv[2]
    face = CenterFace(f"{models}/centerface.onnx")
    person = CenterNet(f"{models}/person_detector.onnx")
    pose = Ssd(f"{models}/pose_detection.onnx", 224, 1 / 127.5, -1.0, "input_1")
    palm = Ssd(f"{models}/palm_detection.onnx", 192, 1 / 255.0, 0.0, "input")
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
                    # prescreen's cascade (src/screen/cascade.rs): each pass only while nothing
                    # has skipped the image; the face score is the best of the face passes.
                    r = {"line": line_no, "index": idx, "face": 0.0}
                    skipped = False
                    for name, run, thr in (
                        ("face", face.base, FACE_THR),
                        ("person", person.score, PERSON_THR),
                        ("pose", pose.score, POSE_THR),
                        ("hand", palm.score, HAND_THR),
                        ("face", face.sideways, FACE_THR),
                        ("face", face.fine, FACE_THR),
                    ):
                        if not skipped:
                            r[name] = max(r.get(name, 0.0), run(im))
                            skipped = r[name] >= thr
                    r["skipped"] = skipped
                    print(json.dumps(r))
                    idx += 1
                    n += 1
    print(json.dumps({"images": n, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
