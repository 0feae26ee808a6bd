#!/usr/bin/env python3
"""Train the learned CAPTCHA classifier shipped as models/captcha_classifier.onnx.

Approach: frozen pretrained features cut out of two models already shipped in models/
(person_detector.onnx: MobileNetV3-large-0.75 backbone trained on COCO; ocr_det.onnx:
PP-OCRv4 mobile text detector), globally pooled, and a small trained head (multinomial
logistic regression or a one-hidden-layer MLP, chosen on the validation split). Backbone
and head are spliced into ONE ONNX graph. See tools/models/CAPTCHA-TRAINING.md.

Sub-commands (run with the venv of requirements-train.txt, under `nice -n 10`):
  all        split + features + train + export + evaluate (the normal run)
  split      only write tools/models/captcha_split.json
  features   only (incrementally) compute the cached pooled features
  bench      per-image cost of the shipped ONNX (onnxruntime, 1 intra-op thread)
  check      rebuild the ONNX from scratch in a scratch dir (features recomputed, cache not
             used) and compare its sha256 with models/captcha_classifier.onnx
             (--from-cache: reuse the feature cache, only re-fit the heads and re-export)
"""
import argparse
import csv
import hashlib
import io
import json
import os
import platform
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from PIL import Image, ImageEnhance, ImageFilter

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.environ.get("CAPTCHA_CORPUS", "/work/corpus/captcha")
PARTS = ["text", "widgets", "ui_neg", "neg"]
SCRATCH_DEFAULT = os.path.join(REPO, "target", "captcha-train")
SPLIT_JSON = os.path.join(REPO, "tools", "models", "captcha_split.json")
OUT_ONNX = os.path.join(REPO, "models", "captcha_classifier.onnx")
FIXTURES = os.path.join(REPO, "fixtures", "captcha")

SEED = 20261201
S = 224            # network input side
PAD = 114          # padding value (all three channels)
CLASSES = ["none", "text", "grid", "checkbox", "puzzle"]
CAPTCHA_KINDS = CLASSES[1:]
N_AUG = 2          # at most this many augmented copies per training image (plus the clean one)
SPLIT_FRAC = {"train": 0.65, "val": 0.15, "test": 0.20}
OPSET = 13
# work-order scale per split: a (split, kind) group reaches this many images at the same
# time as every other group reaches its own (smaller groups: all of theirs)
DERIVE_NEG = os.environ.get("CAPTCHA_DERIVE_NEG") == "1"
FORCE_DERIVE_NEG = False
NO_FILE_CHECK = False      # check --from-cache / --eval-only: rows need features, not files
SKIP_PARTS = set()         # parts whose manifest is ignored (eval/check of a model made without it)
EXTRA_NEG_FILES = []       # derived neg rows whose files have gone since (from used_keys.txt)   # set by `check` when the shipped model was made from derived rows
GROUP_CAP = {"train": 1500, "val": 400, "test": 600}

BACKBONES = {
    # name: (model file, [(tensor, pooling)], input transform)
    "mb3": ("models/person_detector.onnx",
            [("t223", "avgmax"), ("t159", "avgmax")], "rgb255_nhwc_skip"),
    # backbone stages only (strides 32 and 16): the detector's stride-4 neck and DB head
    # would add ~40% to the cost
    "ocr": ("models/ocr_det.onnx",
            [("p2o.Add.215", "avgmax"), ("p2o.Add.147", "avgmax")], "bgr_pm1"),
}


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hseed(*parts):
    return int(hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:16], 16)


# ----------------------------------------------------------------------------- preprocessing

def letterbox(img, size=S):
    """THE model contract: RGB (alpha dropped, not composited), resized with aspect ratio
    kept so the long side is `size` (Pillow BILINEAR, antialiased when shrinking), placed at
    the top-left of a size x size canvas filled with 114; returns uint8 HxWx3."""
    img = img.convert("RGB")
    w, h = img.size
    m = max(w, h)
    nw = max(1, (2 * w * size + m) // (2 * m))   # floor(w*size/m + 0.5), integer arithmetic
    nh = max(1, (2 * h * size + m) // (2 * m))
    if (nw, nh) != (w, h):
        img = img.resize((nw, nh), Image.BILINEAR)
    canvas = np.full((size, size, 3), PAD, np.uint8)
    canvas[:nh, :nw] = np.asarray(img, np.uint8)
    return canvas


def to_tensor(arrs):
    return np.ascontiguousarray(np.stack(arrs).transpose(0, 3, 1, 2).astype(np.float32))


def load_rgb(path):
    with Image.open(path) as im:
        im.load()
        return im.convert("RGB")


def augment(img, rng):
    """Heavy, deterministic (rng) augmentation on the RGB PIL image before letterboxing."""
    w, h = img.size
    # random crop (keep 80-100% of each side)
    if rng.random() < 0.5:
        fw, fh = rng.uniform(0.8, 1.0), rng.uniform(0.8, 1.0)
        cw, ch = max(8, int(w * fw)), max(8, int(h * fh))
        x0 = int(rng.integers(0, w - cw + 1)) if w > cw else 0
        y0 = int(rng.integers(0, h - ch + 1)) if h > ch else 0
        img = img.crop((x0, y0, x0 + min(cw, w), y0 + min(ch, h)))
        w, h = img.size
    # random pad (solid colour border, 0-20% each side)
    if rng.random() < 0.35:
        c = tuple(int(v) for v in (rng.integers(0, 256, 3) if rng.random() < 0.4
                                   else [int(rng.choice([255, 245, 230, 0, 128]))] * 3))
        l, t, r, b = (int(rng.uniform(0, 0.2) * s) for s in (w, h, w, h))
        canvas = Image.new("RGB", (w + l + r, h + t + b), c)
        canvas.paste(img, (l, t))
        img = canvas
        w, h = img.size
    # scale (changes the effective resolution the letterbox sees)
    if rng.random() < 0.5:
        f = float(np.exp(rng.uniform(np.log(0.4), np.log(1.6))))
        nw, nh = max(8, int(w * f)), max(8, int(h * f))
        img = img.resize((nw, nh), Image.BILINEAR if rng.random() < 0.5 else Image.BICUBIC)
    # colour jitter
    if rng.random() < 0.6:
        img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.7, 1.3))
        img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.7, 1.3))
        img = ImageEnhance.Color(img).enhance(rng.uniform(0.5, 1.5))
    if rng.random() < 0.1:
        img = img.convert("L").convert("RGB")
    if rng.random() < 0.1:
        a = np.asarray(img)
        img = Image.fromarray(np.ascontiguousarray(a[:, :, rng.permutation(3)]))
    # blur
    if rng.random() < 0.25:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.3)))
    # JPEG re-encoding
    if rng.random() < 0.5:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.integers(30, 96)))
        buf.seek(0)
        img = Image.open(buf)
        img.load()
        img = img.convert("RGB")
    return img


# ----------------------------------------------------------------------------- ONNX graphs

def _cut(model_path, outputs, prefix):
    """Nodes/initializers of `model_path` needed for `outputs`, names prefixed."""
    m = onnx.load(os.path.join(REPO, model_path))
    g = m.graph
    producer = {}
    for i, n in enumerate(g.node):
        for o in n.output:
            producer[o] = i
    need, stack = set(), list(outputs)
    seen = set()
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.add(t)
        if t in producer:
            i = producer[t]
            if i not in need:
                need.add(i)
                stack.extend(x for x in g.node[i].input if x)
    nodes = [g.node[i] for i in sorted(need)]
    used = set(x for n in nodes for x in n.input if x)
    inits = [x for x in g.initializer if x.name in used]
    ren = lambda s: (prefix + s) if s else s
    new_nodes = []
    for n in nodes:
        nn = onnx.NodeProto()
        nn.CopyFrom(n)
        del nn.input[:]
        nn.input.extend(ren(x) for x in n.input)
        del nn.output[:]
        nn.output.extend(ren(x) for x in n.output)
        nn.name = ren(n.name) if n.name else ""
        new_nodes.append(nn)
    new_inits = []
    for x in inits:
        y = onnx.TensorProto()
        y.CopyFrom(x)
        y.name = prefix + x.name
        new_inits.append(y)
    return m, new_nodes, new_inits


def c(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def backbone_graph_parts(names):
    """Returns (nodes, initializers, feature tensor name, feature dim) for the image input."""
    nodes, inits, feats = [], [], []
    for bname in names:
        path, outs, mode = BACKBONES[bname]
        prefix = bname + "/"
        m, bn, bi = _cut(path, [o for o, _ in outs], prefix)
        if mode == "rgb255_nhwc_skip":
            # the person detector starts with Transpose(NHWC->NCHW) of 'image'; feed our NCHW
            # input straight to its consumer instead
            first = bn[0]
            assert first.op_type == "Transpose" and first.input[0] == prefix + "image"
            tname = first.output[0]
            bn = bn[1:]
            for n in bn:
                for k, x in enumerate(n.input):
                    if x == tname:
                        n.input[k] = "image"
        elif mode == "bgr_pm1":
            inits += [c(prefix + "bgr_idx", np.array([2, 1, 0], np.int64)),
                      c(prefix + "scale", np.array(1 / 127.5, np.float32)),
                      c(prefix + "one", np.array(1.0, np.float32))]
            nodes += [helper.make_node("Gather", ["image", prefix + "bgr_idx"], [prefix + "bgr"], axis=1),
                      helper.make_node("Mul", [prefix + "bgr", prefix + "scale"], [prefix + "bgr_s"]),
                      helper.make_node("Sub", [prefix + "bgr_s", prefix + "one"], [prefix + "x"])]
            for n in bn:
                for k, x in enumerate(n.input):
                    if x == prefix + "x":
                        n.input[k] = prefix + "x"
        nodes += bn
        inits += bi
        for o, pool in outs:
            t = prefix + o
            for p in ("avg", "max"):
                op = "GlobalAveragePool" if p == "avg" else "GlobalMaxPool"
                nodes.append(helper.make_node(op, [t], [t + "/" + p]))
                nodes.append(helper.make_node("Flatten", [t + "/" + p], [t + "/" + p + "/f"], axis=1))
                feats.append(t + "/" + p + "/f")
    nodes.append(helper.make_node("Concat", feats, ["features"], axis=1))
    return nodes, inits


def make_model(nodes, inits, out_name, out_dim, doc):
    inp = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, S, S])
    out = helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["N", out_dim])
    g = helper.make_graph(nodes, "captcha_classifier", [inp], [out], initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)],
                          producer_name="prescreen tools/models/train_captcha.py")
    m.ir_version = 8
    m.doc_string = doc
    return m


def feature_model(names):
    nodes, inits = backbone_graph_parts(names)
    m = make_model(nodes, inits, "features", None, "features")
    # infer the dim
    sess = ort_session(m.SerializeToString())
    d = sess.run(None, {"image": np.full((1, 3, S, S), 114, np.float32)})[0].shape[1]
    m.graph.output[0].type.tensor_type.shape.dim[1].dim_value = d
    return m, d


def ort_session(model_bytes, threads=2):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


# ----------------------------------------------------------------------------- data

def read_manifests():
    rows, mani = [], {}
    for part in PARTS:
        if part in SKIP_PARTS:
            continue
        p = os.path.join(CORPUS, part, "manifest.csv")
        if part == "neg" and (FORCE_DERIVE_NEG or (DERIVE_NEG and not os.path.exists(p))):
            # manifest not there (yet): rows derived from the file layout
            # neg/<kind>/<kind>_<NNNNNN>.<ext> (the builder numbers images consecutively in
            # its plan order, family after family, so a block of 100 consecutive numbers
            # approximates a family); marked in result.json
            n = 0
            for kind in sorted(os.listdir(os.path.join(CORPUS, part))):
                d = os.path.join(CORPUS, part, kind)
                if not os.path.isdir(d):
                    continue
                names = set(os.listdir(d)) | set(f.split("/")[-1] for f in EXTRA_NEG_FILES
                                                 if f.startswith(f"{part}/{kind}/"))
                for x in sorted(names):
                    stem = x.rsplit(".", 1)[0]
                    if not stem.startswith(kind + "_") or not stem[len(kind) + 1:].isdigit():
                        continue
                    idx = int(stem[len(kind) + 1:])
                    rows.append({"file": f"{part}/{kind}/{x}", "part": part, "is_captcha": 0,
                                 "kind": kind, "family": f"{part}:derived/{kind}/block{idx // 100}",
                                 "label": 0})
                    n += 1
            mani[part] = {"sha256": None, "derived_from_file_layout": True, "rows_used": n}
            continue
        if not os.path.exists(p):
            continue
        mani[part] = {"sha256": sha256_file(p)}
        n = 0
        with open(p, newline="") as f:
            for r in csv.DictReader(f):
                fp = os.path.join(CORPUS, r["file"])
                if not NO_FILE_CHECK and not os.path.exists(fp):
                    continue
                is_c = int(r["is_captcha"])
                kind = r["kind"].strip()
                if is_c and kind not in CAPTCHA_KINDS:
                    continue
                rows.append({"file": r["file"], "part": part, "is_captcha": is_c, "kind": kind,
                             "family": part + ":" + r["family"],
                             "label": CLASSES.index(kind) if is_c else 0})
                n += 1
        mani[part]["rows_used"] = n
    return rows, mani


def make_split(rows, seed=SEED):
    """Whole families ('part:family'), stratified by kind. Stable rule (a family's split does
    not depend on which other families exist): u = first 64 bits of sha256('<seed>:<family>')
    / 2**64; test if u < 0.20, val if u < 0.35, else train. Then, per stratum (the family's
    most frequent kind) with >= 3 families, a split left empty gets the family, from the split
    holding the most families (ties: train, test, val), whose u is nearest to the empty
    split's interval; repeated until no split is empty."""
    fam_kind, fam_n = {}, {}
    for r in rows:
        fam_n[r["family"]] = fam_n.get(r["family"], 0) + 1
        fam_kind.setdefault(r["family"], {}).setdefault(r["kind"], 0)
        fam_kind[r["family"]][r["kind"]] += 1
    strata = {}
    for f, ks in fam_kind.items():
        k = sorted(ks.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        strata.setdefault(k, []).append(f)
    u = {f: hseed(seed, f) / 2.0 ** 64 for f in fam_n}
    lo = {"test": 0.0, "val": SPLIT_FRAC["test"], "train": SPLIT_FRAC["test"] + SPLIT_FRAC["val"]}
    hi = {"test": lo["val"], "val": lo["train"], "train": 1.0}
    assign = {}
    for f in fam_n:
        assign[f] = "test" if u[f] < hi["test"] else "val" if u[f] < hi["val"] else "train"
    for k in sorted(strata):
        fams = sorted(strata[k])
        if len(fams) < 3:
            continue
        for _ in range(3):
            by = {s: [f for f in fams if assign[f] == s] for s in ("train", "test", "val")}
            empty = [s for s in ("test", "val", "train") if not by[s]]
            if not empty:
                break
            s = empty[0]
            donor = max(("train", "test", "val"), key=lambda d: (len(by[d]), -("train", "test", "val").index(d)))
            dist = lambda f: 0.0 if lo[s] <= u[f] < hi[s] else min(abs(u[f] - lo[s]), abs(u[f] - hi[s]))
            f = min(by[donor], key=lambda f: (dist(f), f))
            assign[f] = s
    return assign


def write_split(assign, rows):
    cnt = {}
    for r in rows:
        s = assign[r["family"]]
        cnt.setdefault(r["kind"], {}).setdefault(s, 0)
        cnt[r["kind"]][s] += 1
    doc = {
        "seed": SEED,
        "rule": make_split.__doc__.strip().replace("\n    ", " "),
        "fractions": SPLIT_FRAC,
        "images_per_kind_and_split": cnt,
        "families": dict(sorted(assign.items())),
    }
    with open(SPLIT_JSON, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")


# ----------------------------------------------------------------------------- features

class FeatureCache:
    """Pooled backbone features by key, stored as append-only chunk files in a directory."""

    def __init__(self, path, dim, before=None):
        """before: only chunks written before this unix time (the state a model was made from)."""
        self.path, self.dim = path, dim
        self.loaded_at = time.time()
        os.makedirs(path, exist_ok=True)
        self.idx, mats = {}, []
        self.when = {}      # key -> time its features were stored (chunk file mtime)
        n = 0
        self.nchunks = 0
        for fn in sorted(os.listdir(path)):
            if not (fn.startswith("chunk_") and fn.endswith(".npz")):
                continue
            if before is not None and os.path.getmtime(os.path.join(path, fn)) >= before:
                continue
            z = np.load(os.path.join(path, fn), allow_pickle=False)
            if z["mat"].shape[1] != dim:
                continue
            ctime = os.path.getmtime(os.path.join(path, fn))
            for i, k in enumerate(z["keys"]):
                self.idx[str(k)] = n + i
                self.when[str(k)] = ctime
            n += len(z["keys"])
            mats.append(z["mat"])
            self.nchunks = max(self.nchunks, int(fn[6:-4]) + 1)
        self.mat = np.concatenate(mats) if mats else np.zeros((0, dim), np.float32)
        self.bad = set()

    def add(self, keys, feats):
        fn = os.path.join(self.path, "chunk_%06d.npz" % self.nchunks)
        self.nchunks += 1
        np.savez(fn + ".tmp.npz", keys=np.array(keys), mat=feats.astype(np.float32))
        os.replace(fn + ".tmp.npz", fn)
        base = len(self.mat)
        self.mat = np.concatenate([self.mat, feats.astype(np.float32)])
        for i, k in enumerate(keys):
            self.idx[k] = base + i
            self.when[k] = time.time()

    def drop_stale(self, keys):
        """Forget features of image files modified after they were computed."""
        n = 0
        for k in keys:
            if k in self.idx:
                root, rel, _ = k.split("|")
                fp = os.path.join(CORPUS if root == "corpus" else FIXTURES, rel)
                try:
                    mt = os.path.getmtime(fp)
                except OSError:
                    continue
                if mt > self.when[k] - 1.0:
                    del self.idx[k]
                    n += 1
        if n:
            log(f"{n} cached features are older than their image files: recomputed")

    def get(self, keys):
        return self.mat[[self.idx[k] for k in keys]]


def image_for_key(key):
    """key = '<root>|<relpath>|<aug index>'; aug 0 = clean."""
    root, rel, k = key.split("|")
    base = CORPUS if root == "corpus" else FIXTURES
    img = load_rgb(os.path.join(base, rel))
    k = int(k)
    if k > 0:
        img = augment(img, np.random.default_rng(hseed(SEED, rel, k)))
    return letterbox(img)


def compute_features(cache, keys, sess, batch=8, save_every=400, deadline=None, max_n=None):
    todo = [k for k in keys if k not in cache.idx]
    if max_n:
        todo = todo[:max_n]
    log(f"features: {len(keys)} wanted, {len(todo)} to compute")
    t0 = time.time()
    pend_k, pend_f = [], []
    for i in range(0, len(todo), batch):
        if deadline and time.time() > deadline:
            if pend_k:
                cache.add(pend_k, np.concatenate(pend_f))
            log("features: deadline reached")
            return cache
        ks, arrs = [], []
        for k in todo[i:i + batch]:
            try:
                arrs.append(image_for_key(k))
                ks.append(k)
            except Exception as e:  # unreadable (or still being written): not cached, retried
                log("unreadable", k, repr(e)[:200])
                cache.bad.add(k)
        if not ks:
            continue
        f = sess.run(None, {"image": to_tensor(arrs)})[0]
        pend_k += ks
        pend_f.append(f)
        if len(pend_k) >= save_every or i + batch >= len(todo):
            cache.add(pend_k, np.concatenate(pend_f))
            pend_k, pend_f = [], []
            done = min(i + batch, len(todo))
            el = time.time() - t0
            log(f"  {done}/{len(todo)}  {el:.0f}s  ({el / done * 1000:.1f} ms/img)")
    return cache


def fixture_rows():
    rows = []
    with open(os.path.join(FIXTURES, "labels.csv"), newline="") as f:
        for r in csv.DictReader(f):
            rows.append({"file": r["file"], "is_captcha": int(r["is_captcha"]), "kind": r["kind"],
                         "label_name": r["label"]})
    return rows


# ----------------------------------------------------------------------------- heads

def fit_lr(X, y, C):
    from sklearn.linear_model import LogisticRegression
    mu, sd = X.mean(0), X.std(0) + 1e-3
    clf = LogisticRegression(C=C, max_iter=400, class_weight="balanced", tol=1e-4)
    clf.fit((X - mu) / sd, y)
    W = clf.coef_.T / sd[:, None]
    b = clf.intercept_ - (mu[:, None] * W).sum(0)
    return {"type": "lr", "W": W.astype(np.float32), "b": b.astype(np.float32), "C": C}


def fit_mlp(X, y, hidden, wd, epochs, seed=SEED, dropout=0.3):
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    mu, sd = X.mean(0), X.std(0) + 1e-3
    Xt = torch.tensor((X - mu) / sd, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.long)
    cw = np.bincount(y, minlength=len(CLASSES)).astype(np.float64)
    cw = torch.tensor((cw.sum() / np.maximum(cw, 1) / len(CLASSES)), dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(X.shape[1], hidden),
                              torch.nn.ReLU(), torch.nn.Dropout(dropout),
                              torch.nn.Linear(hidden, len(CLASSES)))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=wd)
    n = len(yt)
    steps = epochs * ((n + 255) // 256)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=steps)
    g = torch.Generator().manual_seed(seed)
    lossf = torch.nn.CrossEntropyLoss(weight=cw)
    net.train()
    for ep in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            loss = lossf(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            sched.step()
    net.eval()
    l1, l2 = net[1], net[4]
    W1 = l1.weight.detach().numpy().T / sd[:, None]
    b1 = l1.bias.detach().numpy() - (mu[:, None] * W1).sum(0)
    return {"type": "mlp", "W1": W1.astype(np.float32), "b1": b1.astype(np.float32),
            "W2": l2.weight.detach().numpy().T.astype(np.float32),
            "b2": l2.bias.detach().numpy().astype(np.float32),
            "hidden": hidden, "wd": wd, "epochs": epochs, "torch_net": net, "mu": mu, "sd": sd}


def head_predict(head, X):
    X = X.astype(np.float32)
    if head["type"] == "lr":
        z = X @ head["W"] + head["b"]
    else:
        h = np.maximum(X @ head["W1"] + head["b1"], 0)
        z = h @ head["W2"] + head["b2"]
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def head_nodes(head):
    nodes, inits = [], []
    if head["type"] == "lr":
        inits += [c("head/W", head["W"]), c("head/b", head["b"])]
        nodes += [helper.make_node("MatMul", ["features", "head/W"], ["head/mm"]),
                  helper.make_node("Add", ["head/mm", "head/b"], ["logits"])]
    else:
        inits += [c("head/W1", head["W1"]), c("head/b1", head["b1"]),
                  c("head/W2", head["W2"]), c("head/b2", head["b2"])]
        nodes += [helper.make_node("MatMul", ["features", "head/W1"], ["head/mm1"]),
                  helper.make_node("Add", ["head/mm1", "head/b1"], ["head/z1"]),
                  helper.make_node("Relu", ["head/z1"], ["head/h"]),
                  helper.make_node("MatMul", ["head/h", "head/W2"], ["head/mm2"]),
                  helper.make_node("Add", ["head/mm2", "head/b2"], ["logits"])]
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=1))
    return nodes, inits


# ----------------------------------------------------------------------------- metrics

def pcap(P):
    return 1.0 - P[:, 0]


def choose_threshold(p, rows, max_fpr=0.005):
    """On validation only: the threshold with the best mean recall over the CAPTCHA kinds
    among those with negative FPR <= max_fpr and no QR/barcode false positive; ties -> the
    highest such threshold."""
    isc = np.array([r["is_captcha"] for r in rows], bool)
    kinds = np.array([r["kind"] for r in rows])
    qr = np.isin(kinds, ["qr", "barcode"]) & ~isc
    cands = np.unique(np.concatenate([p, [0.5]]))
    cands = cands[(cands > 0.02) & (cands < 0.995)]
    best = None
    for t in cands:
        fp = (p[~isc] >= t).mean() if (~isc).any() else 0.0
        if fp > max_fpr or (p[qr] >= t).any():
            continue
        rec = np.mean([(p[isc & (kinds == k)] >= t).mean() for k in CAPTCHA_KINDS
                       if (isc & (kinds == k)).any()])
        key = (round(float(rec), 6), float(t))
        if best is None or key > best[0]:
            best = (key, float(t))
    if best is None:
        # no threshold meets the FPR bound: take the one with the smallest FPR
        fps = [((p[~isc] >= t).mean(), -t) for t in cands]
        return float(-min(fps)[1])
    # centre the threshold in the run of thresholds giving the same result: the largest
    # recall-preserving value is at a positive's score; move half-way down to the next
    # lower score of a negative to keep a margin on both sides
    t = best[1]
    lower_neg = p[(~isc) & (p < t)]
    if len(lower_neg):
        t = float((t + lower_neg.max()) / 2)
    return t


def report(p, rows, t):
    isc = np.array([r["is_captcha"] for r in rows], bool)
    kinds = np.array([r["kind"] for r in rows])
    out = {"n": int(len(rows)), "threshold": t, "recall": {}, "fpr": {}}
    for k in sorted(set(kinds[isc])):
        m = isc & (kinds == k)
        out["recall"][k] = {"n": int(m.sum()), "hit": int((p[m] >= t).sum()),
                            "rate": float((p[m] >= t).mean())}
    for k in sorted(set(kinds[~isc])):
        m = (~isc) & (kinds == k)
        out["fpr"][k] = {"n": int(m.sum()), "fp": int((p[m] >= t).sum()),
                         "rate": float((p[m] >= t).mean())}
    if isc.any():
        out["recall_all"] = float((p[isc] >= t).mean())
    if (~isc).any():
        out["fpr_all"] = float((p[~isc] >= t).mean())
    if isc.any() and (~isc).any():
        out["auc"] = auc(p[isc], p[~isc])
        out["balanced_acc"] = 0.5 * (out["recall_all"] + 1 - out["fpr_all"])
    qr = (~isc) & np.isin(kinds, ["qr", "barcode"])
    out["qr_barcode_fp"] = int((p[qr] >= t).sum())
    out["qr_barcode_n"] = int(qr.sum())
    return out


def auc(pos, neg):
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    ranks[order] = np.arange(1, len(allv) + 1)
    # average ties
    vals = allv[order]
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[i]:
            j += 1
        if j > i:
            ranks[order[i:j + 1]] = (i + j + 2) / 2
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def kind_acc(P, rows):
    """Accuracy of the 5-way argmax on CAPTCHAs (which kind)."""
    isc = np.array([r["is_captcha"] for r in rows], bool)
    if not isc.any():
        return None
    y = np.array([r.get("label", 0) for r in rows])
    return float((P[isc].argmax(1) == y[isc]).mean())


def selection_score(p, rows):
    """Model-selection score on validation: mean recall over CAPTCHA kinds at the
    threshold chosen on the same validation set, minus 10x the negative FPR there, plus
    AUC as a tie-breaker."""
    t = choose_threshold(p, rows)
    r = report(p, rows, t)
    rec = np.mean([v["rate"] for v in r["recall"].values()])
    return float(rec - 10 * r.get("fpr_all", 0) + 0.01 * r.get("auc", 0)), t, r


# ----------------------------------------------------------------------------- main steps

def versions():
    import sklearn
    v = {"python": platform.python_version(), "numpy": np.__version__, "onnx": onnx.__version__,
         "onnxruntime": ort.__version__, "pillow": Image.__version__, "scikit-learn": sklearn.__version__}
    try:
        import torch
        v["torch"] = torch.__version__
    except Exception:
        pass
    return v


def run(args):
    scratch = args.scratch
    os.makedirs(scratch, exist_ok=True)
    rows, mani = read_manifests()
    if not rows:
        raise SystemExit("no corpus rows found under " + CORPUS)
    log(f"{len(rows)} corpus rows from parts {sorted(mani)}")
    assign = make_split(rows)
    if (args.step_is_check or args.eval_only) and os.path.exists(SPLIT_JSON):
        # re-evaluating / re-creating a shipped model: the split recorded with it wins
        recorded = json.load(open(SPLIT_JSON))["families"]
        assign.update({f: recorded[f] for f in assign if f in recorded})
    if not args.no_write_split:
        write_split(assign, rows)
    for r in rows:
        r["split"] = assign[r["family"]]
    if args.step == "split":
        return
    unlisted_used = {}
    for part in (args.unlisted_train or "").split(","):
        # image files of a part whose manifest has not landed: training-only negatives
        # (is_captcha 0), kind '<part>-unlisted', one pseudo-family; never evaluated
        if not part or (os.path.exists(os.path.join(CORPUS, part, "manifest.csv")) and part not in SKIP_PARTS):
            continue
        fs = []
        for dp, dn, fn in os.walk(os.path.join(CORPUS, part)):
            dn.sort()
            for x in sorted(fn):
                if x.lower().endswith((".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")):
                    fs.append(os.path.relpath(os.path.join(dp, x), CORPUS))
        for f in fs:
            rows.append({"file": f, "part": part, "is_captcha": 0, "kind": part + "-unlisted",
                         "family": part + ":unlisted", "label": 0, "split": "train"})
        unlisted_used[part] = {"n_files": len(fs), "sha256_of_sorted_list": hashlib.sha256("\n".join(sorted(fs)).encode()).hexdigest()}
        log(f"{len(fs)} unlisted files of part {part} used as training negatives")
    fx = fixture_rows()

    # feature models (one per backbone set; the cache holds the concatenation mb3+ocr)
    fm, dim = feature_model(["mb3", "ocr"])
    # per-backbone dims: 2 poolings x channels of each tapped tensor (checked below)
    dims = {"mb3": 2 * (480 + 128), "ocr": 2 * (384 + 192)}
    assert dims["mb3"] + dims["ocr"] == dim, (dims, dim)
    log("feature dims", dims, dim)
    sess = ort_session(fm.SerializeToString(), threads=args.threads)
    cache = FeatureCache(args.cache or os.path.join(scratch, f"features_{S}"), dim, before=args.cache_before)

    N_AUG = args.n_aug
    keys_fx = [f"fixtures|{r['file']}|0" for r in fx]
    # Work order (only matters when the feature step runs under a deadline). Groups =
    # (split, kind); inside a group rows are ordered by sha256('<seed>:order:<file>').
    # Schedule: fixtures; image files no manifest lists yet (clean copy only); then clean
    # copies of every group and augmented copy 1 of training rows, interleaved by
    # rank / min(len(group), GROUP_CAP[split]); then augmented copies 2..N_AUG. Training and
    # evaluation use whatever features exist (written to used_keys.txt; `check` recomputes
    # exactly that list).
    groups = {}
    for r in rows:
        groups.setdefault(r["split"] + "/" + r["kind"], []).append(r)
    for g in groups.values():
        g.sort(key=lambda r: hseed(SEED, "order", r["file"]))
    work = []
    for gname, g in groups.items():
        cap = GROUP_CAP[gname.split("/")[0]]
        for i, r in enumerate(g):
            f = i / min(len(g), cap)
            work.append((f, 0, gname, f"corpus|{r['file']}|0"))
            if r["split"] == "train":
                for k in range(1, N_AUG + 1):
                    work.append((f + (k - 1), k, gname, f"corpus|{r['file']}|{k}"))
    if args.step == "features" and args.deadline:
        # image files of parts whose manifest does not list them (yet): their clean copy
        # does not depend on the split, so it can be computed before the manifest lands
        listed = set(r["file"] for r in rows)
        extra = []
        for part in PARTS:
            for dp, dn, fn in os.walk(os.path.join(CORPUS, part)):
                dn.sort()
                for x in sorted(fn):
                    if x.lower().endswith((".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")):
                        rel = os.path.relpath(os.path.join(dp, x), CORPUS)
                        if rel not in listed:
                            extra.append(rel)
        extra.sort(key=lambda f: hseed(SEED, "order", f))
        for i, f in enumerate(extra):
            work.append((i / max(1, len(extra)) - 1.0, 0, "unlisted", f"corpus|{f}|0"))
        log(f"{len(extra)} unlisted image files")
    work.sort()
    want = keys_fx + [w[3] for w in work]
    if args.used_keys is not None:          # check: exactly the recorded list
        want = keys_fx + list(args.used_keys)
    if not (args.eval_only or (args.step_is_check and args.from_cache)):
        cache.drop_stale(want)
    if not args.cached_only:
        compute_features(cache, want, sess, deadline=args.deadline,
                         max_n=600 if args.step == "features" and args.deadline else None)
    if args.step == "features":
        return
    # what is used: every row whose clean features exist, every augmented copy that exists
    # (the feature step runs under a deadline); the exact list is written to used_keys.txt
    # and `check` recomputes exactly that list
    if args.used_keys is not None:
        have_set = set(args.used_keys)
    else:
        have_set = set(k for k in cache.idx if k.startswith("corpus|"))
    have = lambda r, k: f"corpus|{r['file']}|{k}" in have_set
    sel_rows = {g: [r for r in groups[g] if have(r, 0)] for g in groups}
    prefix = {g: [len(sel_rows[g])] + ([sum(1 for r in sel_rows[g] if have(r, k)) for k in range(1, N_AUG + 1)]
                                       if g.startswith("train/") else []) for g in groups}
    log("used per group (clean, aug1, ...):", json.dumps(prefix, sort_keys=True))
    train_rows = [r for g in sorted(groups) if g.startswith("train/") for r in sel_rows[g]]
    tr_k, tr_rows_rep = [], []
    for g in sorted(groups):
        if not g.startswith("train/"):
            continue
        for k in range(0, N_AUG + 1):
            for r in sel_rows[g]:
                if have(r, k):
                    tr_k.append(f"corpus|{r['file']}|{k}")
                    tr_rows_rep.append(r)
    used = sorted(set(tr_k) | set(f"corpus|{r['file']}|0" for g in sel_rows for r in sel_rows[g]))
    if not args.eval_only:
        with open(os.path.join(scratch, "used_keys.txt"), "w") as f:
            f.write("\n".join(used) + "\n")
    used_sha = hashlib.sha256(("\n".join(used) + "\n").encode()).hexdigest()
    val_rows = [r for g in sorted(groups) if g.startswith("val/") for r in sel_rows[g]]
    test_rows = [r for g in sorted(groups) if g.startswith("test/") for r in sel_rows[g]]

    def XY(rs, ks):
        return cache.get(ks), np.array([r["label"] for r in rs])

    Xtr, ytr = XY(tr_rows_rep, tr_k)
    Xva, yva = XY(val_rows, [f"corpus|{r['file']}|0" for r in val_rows])
    Xte, yte = XY(test_rows, [f"corpus|{r['file']}|0" for r in test_rows])
    Xfx = cache.get(keys_fx)
    log(f"train {len(train_rows)} images ({len(tr_k)} with augmented copies), val {len(val_rows)}, test {len(test_rows)}")
    sl = {"mb3": slice(0, dims["mb3"]), "ocr": slice(dims["mb3"], dim), "mb3+ocr": slice(0, dim)}

    # --- approach comparison on validation
    cands = [("mb3", "lr", {"C": 0.03}), ("ocr", "lr", {"C": 0.03}),
             ("mb3+ocr", "lr", {"C": 0.01}), ("mb3+ocr", "lr", {"C": 0.1}),
             ("mb3+ocr", "mlp", {"hidden": 128, "wd": 0.05, "epochs": 8})]
    if args.quick:
        cands = [("mb3+ocr", "lr", {"C": 0.01}), ("mb3+ocr", "mlp", {"hidden": 128, "wd": 0.05, "epochs": 10})]
    comp = []
    best = None
    if args.eval_only:
        # evaluate the existing args.out (head read back from its initializers); the
        # comparison table is the one saved by the run that made it
        m0 = onnx.load(args.out)
        ini = {x.name: numpy_helper.to_array(x) for x in m0.graph.initializer}
        meta = {p.key: p.value for p in m0.metadata_props}
        has = lambda b: any(x.startswith(b + "/") for x in ini)
        feat0 = "mb3+ocr" if has("mb3") and has("ocr") else ("mb3" if has("mb3") else "ocr")
        if "head/W" in ini:
            head0 = {"type": "lr", "W": ini["head/W"], "b": ini["head/b"]}
        else:
            head0 = {"type": "mlp", "W1": ini["head/W1"], "b1": ini["head/b1"], "W2": ini["head/W2"], "b2": ini["head/b2"]}
        comp = json.load(open(os.path.join(scratch, "comparison.json")))
        chosen = max(comp, key=lambda e: e["val_score"])
        assert chosen["features"] == feat0 and chosen["head"] == head0["type"], (chosen, feat0)
        best = (chosen["val_score"], feat0, head0["type"], chosen["hparams"], head0, float(meta["threshold"]))
        cands = []
    for feat, typ, hp in cands:
        t0 = time.time()
        Xs = Xtr[:, sl[feat]]
        head = fit_lr(Xs, ytr, hp["C"]) if typ == "lr" else fit_mlp(Xs, ytr, **hp)
        Pva = head_predict(head, Xva[:, sl[feat]])
        score, t, rv = selection_score(pcap(Pva), val_rows)
        ent = {"features": feat, "head": typ, "hparams": hp, "val_score": score, "val_threshold": t,
               "val_auc": rv.get("auc"), "val_recall": {k: v["rate"] for k, v in rv["recall"].items()},
               "val_fpr_all": rv.get("fpr_all"), "val_kind_acc": kind_acc(Pva, val_rows),
               "fit_seconds": round(time.time() - t0, 1)}
        comp.append(ent)
        log("cand", json.dumps({k: ent[k] for k in ent if k != "val_recall"}), ent["val_recall"])
        if best is None or score > best[0]:
            best = (score, feat, typ, hp, head, t)
    score, feat, typ, hp, head, t = best
    log("chosen", feat, typ, hp, "val threshold", t)
    if not args.eval_only:
        with open(os.path.join(scratch, "comparison.json"), "w") as f:
            json.dump(comp, f, indent=1)

    # --- final ONNX: only the backbones the chosen features need
    names = ["mb3", "ocr"] if feat == "mb3+ocr" else [feat]
    nodes, inits = backbone_graph_parts(names)
    hn, hi = head_nodes(head)
    doc = ("prescreen CAPTCHA classifier. input image float32 [N,3,%d,%d] RGB 0..255, letterboxed "
           "top-left (long side %d, Pillow bilinear), pad %d; output probs [N,5] softmax over %s; "
           "P(captcha)=1-probs[:,0]; threshold %.4f (chosen on validation). See "
           "tools/models/CAPTCHA-TRAINING.md" % (S, S, S, PAD, ",".join(CLASSES), t))
    model = make_model(nodes + hn, inits + hi, "probs", len(CLASSES), doc)
    model.metadata_props.add(key="classes", value=",".join(CLASSES))
    model.metadata_props.add(key="threshold", value="%.6f" % t)
    model.metadata_props.add(key="input_size", value=str(S))
    model.metadata_props.add(key="pad_value", value=str(PAD))
    onnx.checker.check_model(model, full_check=True)
    out_path = args.out
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    if args.eval_only:
        assert model.SerializeToString() == open(out_path, "rb").read(), "eval-only: rebuilt graph differs"
    else:
        with open(out_path, "wb") as f:
            f.write(model.SerializeToString())
    onnx_sha = sha256_file(out_path)
    log("wrote", out_path, os.path.getsize(out_path), onnx_sha)

    # --- evaluate the exported ONNX end to end (images -> probs)
    fsess = ort_session(open(out_path, "rb").read(), threads=args.threads)

    def run_onnx(keys):
        out = []
        for i in range(0, len(keys), 16):
            out.append(fsess.run(None, {"image": to_tensor([image_for_key(k) for k in keys[i:i + 16]])})[0])
        return np.concatenate(out) if out else np.zeros((0, 5), np.float32)

    # figures from the cached features + head (numpy, float32); the exported file is run end
    # to end (image files -> probs) on the fixtures and a fixed sample of test images, and the
    # largest difference to the cached-feature path is recorded
    Pte = head_predict(head, Xte[:, sl[feat]])
    Pva = head_predict(head, Xva[:, sl[feat]])
    Pfx = run_onnx(keys_fx)
    samp = sorted((i for i in range(len(test_rows)) if os.path.exists(os.path.join(CORPUS, test_rows[i]["file"]))),
                  key=lambda i: hseed(SEED, "sample", test_rows[i]["file"]))[:60]
    P_onnx_s = run_onnx([f"corpus|{test_rows[i]['file']}|0" for i in samp])
    maxdiff_feat_path = float(max(np.abs(P_onnx_s - Pte[samp]).max() if samp else 0.0,
                                  np.abs(Pfx - head_predict(head, Xfx[:, sl[feat]])).max()))
    idx20 = samp[:20]
    import torch
    with torch.no_grad():
        if typ == "mlp":
            z = head["torch_net"](torch.tensor((Xte[idx20][:, sl[feat]] - head["mu"]) / head["sd"], dtype=torch.float32))
        else:
            z = torch.tensor(Xte[idx20][:, sl[feat]]) @ torch.tensor(head["W"]) + torch.tensor(head["b"])
        Pt = torch.softmax(z, 1).numpy()
    torch_diff = float(np.abs(Pt - P_onnx_s[:20]).max())
    log("max|onnx (image files) - torch head on backbone features| (20 test images):", torch_diff,
        " max|onnx - cached-feature path| (60 test + fixtures):", maxdiff_feat_path)

    rva = report(pcap(Pva), val_rows, t)
    rte = report(pcap(Pte), test_rows, t)
    for r in fx:
        r["label"] = CLASSES.index(r["kind"]) if r["is_captcha"] and r["kind"] in CLASSES else 0
    rfx = report(pcap(Pfx), fx, t)
    rfx["false_negatives"] = [r["file"] for r, p in zip(fx, pcap(Pfx)) if r["is_captcha"] and p < t]
    rfx["false_positives"] = [r["file"] for r, p in zip(fx, pcap(Pfx)) if not r["is_captcha"] and p >= t]
    rte["kind_acc"] = kind_acc(Pte, test_rows)
    bench = benchmark(out_path)
    counts = {}
    for r in rows:
        counts.setdefault(r["part"], {}).setdefault(r["kind"], {}).setdefault(r["split"], 0)
        counts[r["part"]][r["kind"]][r["split"]] += 1
    result = {
        "onnx": os.path.relpath(out_path, REPO), "onnx_sha256": onnx_sha, "onnx_bytes": os.path.getsize(out_path),
        "threshold": t, "threshold_rule": "P(captcha) = 1 - probs[:,0] >= threshold -> CAPTCHA",
        "chosen": {"features": feat, "head": typ, "hparams": hp, "backbones": names},
        "input_size": S, "pad_value": PAD, "classes": CLASSES, "opset": OPSET,
        "cache_cutoff": args.cache_before or cache.loaded_at,
        "used_per_group": prefix, "used_keys_sha256": used_sha, "unlisted_train": unlisted_used, "n_train_images": len(train_rows), "n_train_samples": len(tr_k),
        "n_val": len(val_rows), "n_test": len(test_rows),
        "seed": SEED, "n_aug": N_AUG, "quick": bool(args.quick), "split_fractions": SPLIT_FRAC,
        "manifests": mani, "counts": counts,
        "n_families": {s: sum(1 for v in assign.values() if v == s) for s in SPLIT_FRAC},
        "comparison_on_validation": comp,
        "validation": rva, "test": rte, "fixtures_captcha": rfx,
        "max_abs_diff_onnx_vs_torch_20": torch_diff, "max_abs_diff_onnx_vs_feature_path_test": maxdiff_feat_path,
        "benchmark": bench, "versions": versions(),
        "split_json_sha256": sha256_file(SPLIT_JSON) if os.path.exists(SPLIT_JSON) else None,
    }
    with open(os.path.join(scratch, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    with open(os.path.join(scratch, "result.md"), "w") as f:
        f.write(result_markdown(result))
    log("test:", json.dumps({"recall": {k: v["rate"] for k, v in rte["recall"].items()},
                             "fpr_all": rte.get("fpr_all"), "qr_fp": rte["qr_barcode_fp"]}))
    log("fixtures:", json.dumps({"recall_all": rfx.get("recall_all"), "fpr_all": rfx.get("fpr_all")}))
    log("bench:", bench)
    return result


def result_markdown(res):
    L = []
    pct = lambda x: "%.2f%%" % (100 * x)
    L.append("| features | head | hyper-parameters | val AUC | val threshold | val recall text / grid / checkbox / puzzle | val FPR | val kind acc | score |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for e in res["comparison_on_validation"]:
        rc = e["val_recall"]
        L.append("| %s | %s | %s | %.4f | %.3f | %s | %s | %s | %.4f |" % (
            e["features"], e["head"], json.dumps(e["hparams"]), e["val_auc"] or 0, e["val_threshold"],
            " / ".join(pct(rc.get(k, float("nan"))) for k in CAPTCHA_KINDS), pct(e["val_fpr_all"] or 0),
            pct(e["val_kind_acc"] or 0), e["val_score"]))
    for name in ("validation", "test", "fixtures_captcha"):
        r = res[name]
        L.append("")
        L.append("**%s** (threshold %.4f): %d images; AUC %.4f; recall all %s; FPR all %s; QR/barcode FP %d of %d" % (
            name, r["threshold"], r["n"], r.get("auc", float("nan")), pct(r.get("recall_all", 0)),
            pct(r.get("fpr_all", 0)), r["qr_barcode_fp"], r["qr_barcode_n"]))
        L.append("")
        L.append("| kind | n | detected as CAPTCHA | rate |")
        L.append("| --- | --- | --- | --- |")
        for k, v in r["recall"].items():
            L.append("| %s (CAPTCHA) | %d | %d | %s |" % (k, v["n"], v["hit"], pct(v["rate"])))
        for k, v in r["fpr"].items():
            L.append("| %s (negative) | %d | %d | %s |" % (k, v["n"], v["fp"], pct(v["rate"])))
    return "\n".join(L) + "\n"


def benchmark(path, n=40):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (1, 3, S, S)).astype(np.float32)
    for _ in range(5):
        sess.run(None, {"image": x})
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        sess.run(None, {"image": x})
        ts.append(time.perf_counter() - t0)
    xb = np.repeat(x, 8, 0)
    t0 = time.perf_counter()
    for _ in range(3):
        sess.run(None, {"image": xb})
    tb = (time.perf_counter() - t0) / 24
    return {"ms_median_batch1": round(1000 * float(np.median(ts)), 2),
            "ms_min_batch1": round(1000 * float(np.min(ts)), 2),
            "ms_per_image_batch8": round(1000 * tb, 2), "threads": 1,
            "note": "onnxruntime CPU, 1 intra-op thread, machine shared with other jobs"}


def main():
    global FORCE_DERIVE_NEG, NO_FILE_CHECK
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", nargs="?", default="all", choices=["all", "split", "features", "bench", "check"])
    ap.add_argument("--scratch", default=SCRATCH_DEFAULT)
    ap.add_argument("--out", default=OUT_ONNX)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="two candidates only (pipeline test)")
    ap.add_argument("--from-cache", action="store_true", help="check: reuse the feature cache")
    ap.add_argument("--no-write-split", action="store_true")
    ap.add_argument("--cached-only", action="store_true", help="compute no features, use the cache")
    ap.add_argument("--eval-only", action="store_true", help="evaluate the existing --out file (no fitting)")
    ap.add_argument("--skip-parts", default="", help="ignore these parts' manifests (use with --unlisted-train)")
    ap.add_argument("--unlisted-train", default=None, help="PART[,PART]: use image files of a part without manifest as training negatives")
    ap.add_argument("--cache", default=None, help="feature cache dir (default SCRATCH/features_224)")
    ap.add_argument("--n-aug", type=int, default=N_AUG, help="augmented copies per training image")
    ap.add_argument("--loop-until", default=None, help="features: repeat passes until HH:MM UTC")
    ap.add_argument("--cache-before", type=float, default=None,
                    help="use only feature chunks written before this unix time (check/eval of a shipped model)")
    args = ap.parse_args()
    if args.skip_parts:
        SKIP_PARTS.update(args.skip_parts.split(","))
    NO_FILE_CHECK = bool(args.eval_only or (args.step == "check" and args.from_cache))
    if args.eval_only:
        global EXTRA_NEG_FILES
        used = open(os.path.join(args.scratch, "used_keys.txt")).read().split()
        EXTRA_NEG_FILES = [k.split("|")[1] for k in used if k.startswith("corpus|neg/")]
        args.cached_only = True
    args.deadline = None
    args.used_keys = None
    args.step_is_check = False
    if args.eval_only:
        args.used_keys = used
    if args.step == "features" and args.loop_until:
        import datetime
        hh, mm = map(int, args.loop_until.split(":"))
        now = datetime.datetime.now(datetime.timezone.utc)
        end = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
        args.deadline = end.timestamp()
        while time.time() < args.deadline:
            try:
                run(args)
            except SystemExit as e:
                log("pass:", e)
            time.sleep(15)
        return
    if args.step == "bench":
        print(json.dumps(benchmark(args.out), indent=1))
        return
    if args.step == "check":
        import shutil
        import tempfile
        tmp = tempfile.mkdtemp(prefix="captcha-check-", dir=SCRATCH_DEFAULT)
        if args.from_cache:
            # the cache itself is read in place (read-only): it is the record of v1's features
            args.cache = args.cache or os.path.join(SCRATCH_DEFAULT, f"features_{S}")
            args.cached_only = True
        args.scratch = tmp
        args.no_write_split = True
        want = sha256_file(args.out)
        prev = os.path.join(SCRATCH_DEFAULT, "result.json")
        if os.path.exists(prev):
            pj = json.load(open(prev))
            args.n_aug = pj["n_aug"]
            args.cache_before = args.cache_before or pj.get("cache_cutoff")
            args.used_keys = open(os.path.join(SCRATCH_DEFAULT, "used_keys.txt")).read().split()
            args.unlisted_train = ",".join(pj.get("unlisted_train", {}))
            SKIP_PARTS.update(pj.get("unlisted_train", {}))
            if pj["manifests"].get("neg", {}).get("derived_from_file_layout"):
                EXTRA_NEG_FILES.extend(k.split("|")[1] for k in args.used_keys if k.startswith("corpus|neg/"))
            FORCE_DERIVE_NEG = bool(pj["manifests"].get("neg", {}).get("derived_from_file_layout"))
            args.step_is_check = True
        args.out = os.path.join(tmp, "captcha_classifier.onnx")
        args.step = "all"
        res = run(args)
        ok = res["onnx_sha256"] == want
        print(json.dumps({"committed": want, "rebuilt": res["onnx_sha256"], "identical": ok}))
        sys.exit(0 if ok else 1)
    run(args)


if __name__ == "__main__":
    main()
