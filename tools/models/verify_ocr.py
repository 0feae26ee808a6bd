"""Check models/ocr_det.onnx and models/ocr_rec.onnx (PP-OCRv4 mobile, unchanged copies from
rapidocr_onnxruntime 1.4.4) and print what a caller needs.

  * the files are byte-identical to the pinned wheel members (size, sha256);
  * graph: IR version, opset, no initializers (weights are Constant nodes), input/output
    names and shapes, metadata keys;
  * the recogniser's metadata `character` (6,623 lines) is identical to PaddleOCR 2.7.3's
    ppocr/utils/ppocr_keys_v1.txt and, with blank and space, gives the 6,625 output classes;
  * ONNX Runtime shape rules: detector output = input H x W (multiples of 32), recogniser
    time steps T = floor(ceil(W/4)/2);
  * the settings in ppocr_ref.py equal the ones in the wheel's config.yaml;
  * ppocr_ref.ocr (rapidocr's pipeline in numpy) on fixture images reads the expected text;
    prints text, score and time per image (1 intra-op thread).

usage: python verify_ocr.py MODELS_DIR
Exits non-zero if a check fails.
"""

import math
import os
import re
import sys
import time

import numpy as np
import onnx

import ppocr_ref as R
from common import REPO, SOURCES, read_member, sha256_file
from copy_ppocr import FILES, KEY

DICT_MEMBER = "paddleocr/ppocr/utils/ppocr_keys_v1.txt"
CONFIG_MEMBER = "rapidocr_onnxruntime/config.yaml"
N_CHARS = 6623

# fixture image -> substrings that must be among the recognised lines (None: print only)
FIXTURES = {
    "captcha_text__captcha_01.png": ["B7ZPN"],
    "captcha_text__wheezy_02.png": None,
    "captcha_checkbox__01.png": ["Verify you are human", "Privacy-Terms"],
    "neg_document__invoice_03.png": ["INVOICE No.30796", "TOTAL", "5,702.87"],
    "neg_photo__chelsea_02.jpg": None,
}

EXPECTED_IO = {
    "ocr_det.onnx": (["x", "sigmoid_0.tmp_0"], [None, 3, None, None], [None, 1, None, None]),
    "ocr_rec.onnx": (["x", "softmax_11.tmp_0"], [None, 3, None, None], [None, None, N_CHARS + 2]),
}


def dims(vi):
    return [d.dim_value if d.HasField("dim_value") else None for d in vi.type.tensor_type.shape.dim]


def check(cond, msg, failures):
    print(("ok    " if cond else "FAIL  ") + msg)
    if not cond:
        failures.append(msg)


def check_files(models_dir, failures):
    for name, member in FILES.items():
        path = os.path.join(models_dir, name)
        pin = SOURCES[KEY]["members"][member]
        same = os.path.getsize(path) == pin["size"] and sha256_file(path) == pin["sha256"]
        check(same, f"{name}: {pin['size']} bytes, sha256 {pin['sha256'][:16]}..., "
                    f"identical to {member}", failures)
        m = onnx.load(path)
        g = m.graph
        names, in_dims, out_dims = EXPECTED_IO[name]
        io_names = [v.name for v in g.input] + [v.name for v in g.output]
        check(io_names == names and dims(g.input[0]) == in_dims and dims(g.output[0]) == out_dims,
              f"{name}: input {g.input[0].name} {dims(g.input[0])}, output {g.output[0].name} "
              f"{dims(g.output[0])} (None = symbolic)", failures)
        check(len(g.initializer) == 0 and m.ir_version == 8
              and [(o.domain, o.version) for o in m.opset_import] == [("", 12)],
              f"{name}: IR {m.ir_version}, opset {[o.version for o in m.opset_import]}, "
              f"{len(g.initializer)} initializers (weights are "
              f"{sum(n.op_type == 'Constant' for n in g.node)} Constant nodes), "
              f"{len(g.node)} nodes", failures)
        keys = [p.key for p in m.metadata_props]
        check(keys == (["character"] if name == "ocr_rec.onnx" else []),
              f"{name}: metadata_props keys {keys}", failures)


def check_dictionary(rec, failures):
    meta = rec.get_modelmeta().custom_metadata_map["character"]
    lines = meta.splitlines()
    keys = read_member("paddleocr", DICT_MEMBER).decode("utf-8")
    check(len(lines) == N_CHARS and lines == meta.split("\n") and not meta.endswith("\n"),
          f"ocr_rec.onnx metadata `character`: {len(lines)} lines, '\\n'-separated, no "
          "trailing newline", failures)
    check(keys.rstrip("\n") == meta, f"`character` == paddleocr 2.7.3 {DICT_MEMBER}", failures)
    chars = R.dictionary(rec)
    n_out = rec.get_outputs()[0].shape[2]
    check(len(chars) == n_out and " " not in lines and len(set(lines)) == len(lines),
          f"classes: 0 blank + {len(lines)} characters + space ({len(chars) - 1}) = {len(chars)} "
          f"= output width {n_out}; characters unique, no space among them", failures)
    return chars


def check_shapes(det, rec, failures):
    ok = True
    for h, w in ((32, 32), (64, 96), (736, 1024)):
        y = det.run(None, {"x": np.zeros((1, 3, h, w), np.float32)})[0]
        ok = ok and y.shape == (1, 1, h, w)
    check(ok, "detector: [1,3,H,W] -> [1,1,H,W] for H,W multiples of 32", failures)
    res = {}
    for w in (8, 100, 320, 327, 1000):
        y = rec.run(None, {"x": np.zeros((2, 3, 48, w), np.float32)})[0]
        res[w] = y.shape
    check(all(s == (2, math.ceil(w / 4) // 2, N_CHARS + 2) for w, s in res.items()),
          "recogniser: [N,3,48,W] -> [N,floor(ceil(W/4)/2),6625]: "
          + ", ".join(f"W {w} -> T {s[1]}" for w, s in res.items()), failures)


def check_config(failures):
    text = read_member(KEY, CONFIG_MEMBER).decode("utf-8")

    def val(section, key):
        body = re.search(rf"^{section}:\n((?:[ \t]+.*\n|\n)*)", text, re.M).group(1)
        return re.search(rf"^\s+{key}:\s*(.+?)\s*$", body, re.M).group(1)

    want = {
        ("Global", "text_score"): R.TEXT_SCORE, ("Global", "min_height"): R.MIN_HEIGHT,
        ("Global", "width_height_ratio"): R.WIDTH_HEIGHT_RATIO,
        ("Global", "max_side_len"): R.MAX_SIDE_LEN, ("Global", "min_side_len"): R.MIN_SIDE_LEN,
        ("Det", "limit_side_len"): R.DET_LIMIT_SIDE_LEN, ("Det", "limit_type"): "min",
        ("Det", "mean"): f"[ {R.DET_MEAN}, {R.DET_MEAN}, {R.DET_MEAN} ]",
        ("Det", "std"): f"[ {R.DET_STD}, {R.DET_STD}, {R.DET_STD} ]",
        ("Det", "thresh"): R.DB_THRESH, ("Det", "box_thresh"): R.DB_BOX_THRESH,
        ("Det", "max_candidates"): R.DB_MAX_CANDIDATES, ("Det", "unclip_ratio"): R.DB_UNCLIP_RATIO,
        ("Det", "use_dilation"): "true", ("Det", "score_mode"): "fast",
        ("Rec", "rec_img_shape"): f"[3, {R.REC_H}, {R.REC_W}]",
        ("Rec", "rec_batch_num"): R.REC_BATCH,
    }
    bad = [(k, val(*k), v) for k, v in want.items() if val(*k) != str(v)]
    check(not bad, f"ppocr_ref.py settings == {CONFIG_MEMBER} ({len(want)} values)"
          + (f": differ {bad}" if bad else ""), failures)


def check_fixtures(det, rec, chars, failures):
    img_dir = os.path.join(REPO, "fixtures", "captcha", "images")
    if not os.path.isdir(img_dir):
        print(f"skip  fixture images: {img_dir} not found")
        return
    for name, expect in FIXTURES.items():
        img = R.load_bgr(os.path.join(img_dir, name))
        R.ocr(det, rec, img, chars)                    # warm-up
        t0 = time.perf_counter()
        lines = R.ocr(det, rec, img, chars)
        ms = (time.perf_counter() - t0) * 1000
        texts = [t for t, _, _ in lines]
        shown = "; ".join(f"{t!r} {s:.2f}" for t, s, _ in lines[:6]) + \
            (f"; ... ({len(lines)} lines)" if len(lines) > 6 else "")
        msg = f"{name} {img.shape[1]}x{img.shape[0]}, {ms:.0f} ms: {shown or '(no text)'}"
        if expect is None:
            print("      " + msg)
        else:
            check(all(e in texts for e in expect), msg + f" [expects {expect}]", failures)


def main():
    models_dir = sys.argv[1]
    failures = []
    check_files(models_dir, failures)
    det = R.session(os.path.join(models_dir, "ocr_det.onnx"))
    rec = R.session(os.path.join(models_dir, "ocr_rec.onnx"))
    chars = check_dictionary(rec, failures)
    check_shapes(det, rec, failures)
    check_config(failures)
    check_fixtures(det, rec, chars, failures)
    if failures:
        print(f"OCR verification FAILED ({len(failures)})", file=sys.stderr)
        return 1
    print("OCR verification OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
