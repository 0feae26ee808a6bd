#!/usr/bin/env python3
"""Train the CAPTCHA classifier v3: a small convolutional head on the frozen backbones' maps.

v2 (train_captcha.py) pooled the two frozen backbones' maps into one vector and fitted a
linear head. Pooling throws away layout: a grid of photos under a banner, a checkbox at the
left of a box, distorted glyphs inside a form field. Held-out widget templates and login pages
were where v2 failed, so v3 keeps the maps (stride 16, 14 x 14 and stride 32, 7 x 7 at the
224-px input) and trains a few convolutions over them. The backbones stay frozen, so their
maps are computed once per image (and per augmented copy) and cached; the head then trains
in minutes on two cores.

Same corpus, same split (tools/models/captcha_split.json, by family), same input contract
(224-px letterbox, RGB 0..255, output `probs` [N,5]) as v2: the Rust side does not change.

Sub-commands (the venv of requirements-train.txt, under `nice -n 10`):
  maps     compute the cached maps (fixtures, every clean corpus image, augmented training
           copies); resumable; --parts to restrict to some corpus parts
  train    fit the head (epochs chosen on validation), export models/captcha_classifier.onnx,
           evaluate validation, test and fixtures/captcha, write target/captcha-conv/result.*
  check    re-fit from the cached maps into a scratch file and compare sha256
  bench    per-image cost of the exported ONNX (1 thread)
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time

import numpy as np
import onnx
from onnx import helper

import train_captcha as tc

SCRATCH_DEFAULT = os.path.join(tc.REPO, "target", "captcha-conv")
# (tap, channels, side at the 224-px input)
S16 = [("mb3/t159", 128), ("ocr/p2o.Add.147", 192)]
S32 = [("mb3/t223", 480), ("ocr/p2o.Add.215", 384)]
C16, C32 = sum(c for _, c in S16), sum(c for _, c in S32)
H16, H32 = tc.S // 16, tc.S // 32
VERSION = "v3"


def log(*a):
    tc.log(*a)


# ----------------------------------------------------------------------------- map cache

def maps_model():
    nodes, inits = tc.backbone_graph_parts(["mb3", "ocr"], pooled=False)
    nodes.append(helper.make_node("Concat", [t for t, _ in S16], ["s16"], axis=1))
    nodes.append(helper.make_node("Concat", [t for t, _ in S32], ["s32"], axis=1))
    inp = helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, ["N", 3, tc.S, tc.S])
    outs = [helper.make_tensor_value_info("s16", onnx.TensorProto.FLOAT, ["N", C16, H16, H16]),
            helper.make_tensor_value_info("s32", onnx.TensorProto.FLOAT, ["N", C32, H32, H32])]
    g = helper.make_graph(nodes, "captcha_maps", [inp], outs, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", tc.OPSET)])
    m.ir_version = 8
    return m


class MapStore:
    """Fixed-order store: keys listed once in keys.json, maps in two float16 memmaps, a
    `done` flag per row saved as it goes (resumable after an interruption)."""

    def __init__(self, path, keys=None):
        os.makedirs(path, exist_ok=True)
        kp = os.path.join(path, "keys.json")
        if keys is not None and not os.path.exists(kp):
            with open(kp + ".tmp", "w") as f:
                json.dump(keys, f)
            os.replace(kp + ".tmp", kp)
        self.keys = json.load(open(kp))
        if keys is not None and keys != self.keys:
            extra = [k for k in keys if k not in set(self.keys)]
            if extra:
                raise SystemExit(f"{path} was made for other keys ({len(extra)} new): remove it")
        self.idx = {k: i for i, k in enumerate(self.keys)}
        n = len(self.keys)
        mode = lambda fn: "r+" if os.path.exists(fn) else "w+"
        f16, f32 = os.path.join(path, "s16.f16"), os.path.join(path, "s32.f16")
        self.s16 = np.memmap(f16, np.float16, mode(f16), shape=(n, C16, H16, H16))
        self.s32 = np.memmap(f32, np.float16, mode(f32), shape=(n, C32, H32, H32))
        self.done_path = os.path.join(path, "done.npy")
        self.done = np.load(self.done_path) if os.path.exists(self.done_path) else np.zeros(n, bool)

    def save_done(self):
        self.s16.flush()
        self.s32.flush()
        np.save(self.done_path + ".tmp.npy", self.done)
        os.replace(self.done_path + ".tmp.npy", self.done_path)

    def has(self, k):
        return self.done[self.idx[k]]


class Stores:
    """One MapStore per corpus part and one for the fixtures, addressed by key."""

    def __init__(self, scratch, rows, fx, n_aug, create=True):
        by = {"fixtures": [f"fixtures|{r['file']}|0" for r in fx]}
        for k in tc.wanted_keys(rows, n_aug):
            by.setdefault(self.part_of(k), []).append(k)
        self.stores = {p: MapStore(os.path.join(scratch, "maps", p), ks if create else None)
                       for p, ks in by.items()}
        self.keys = [k for ks in by.values() for k in ks]

    @staticmethod
    def part_of(key):
        root, rel, _ = key.split("|")
        return "fixtures" if root == "fixtures" else rel.split("/")[0]

    def loc(self, key):
        st = self.stores[self.part_of(key)]
        return st, st.idx[key]

    def has(self, key):
        p = self.part_of(key)
        return p in self.stores and key in self.stores[p].idx and self.stores[p].has(key)

    def put(self, key, a, b):
        st, i = self.loc(key)
        st.s16[i], st.s32[i], st.done[i] = a, b, True

    def save_done(self):
        for st in self.stores.values():
            st.save_done()

    def gather(self, keys):
        """float16 maps of `keys`, in order (one sorted fancy-index read per store)."""
        a = np.empty((len(keys), C16, H16, H16), np.float16)
        b = np.empty((len(keys), C32, H32, H32), np.float16)
        by = {}
        for j, k in enumerate(keys):
            st, i = self.loc(k)
            by.setdefault(id(st), (st, [], []))
            by[id(st)][1].append(i)
            by[id(st)][2].append(j)
        for st, rows, dest in by.values():
            order = np.argsort(rows)
            rows, dest = np.asarray(rows)[order], np.asarray(dest)[order]
            a[dest] = st.s16[rows]
            b[dest] = st.s32[rows]
        return a, b


_W = {}


def _init(model_bytes):
    _W["sess"] = tc.ort_session(model_bytes, threads=1)


def _work(keys):
    arrs, ok, bad = [], [], []
    for k in keys:
        try:
            arrs.append(tc.image_for_key(k))
            ok.append(k)
        except Exception as e:  # reported, never silently used
            bad.append((k, repr(e)[:200]))
    if not arrs:
        return ok, None, None, bad
    a, b = _W["sess"].run(None, {"image": tc.to_tensor(arrs)})
    return ok, a.astype(np.float16), b.astype(np.float16), bad


def compute_maps(stores, keys, workers):
    todo = [k for k in keys if not stores.has(k)]
    log(f"maps: {len(keys)} wanted, {len(todo)} to compute, {workers} workers")
    if not todo:
        return []
    mb = maps_model().SerializeToString()
    t0, done, bad, since = time.time(), 0, [], 0
    batches = [todo[i:i + 8] for i in range(0, len(todo), 8)]
    with mp.get_context("fork").Pool(workers, _init, (mb,)) as pool:
        for ok, a, b, bd in pool.imap(_work, batches, chunksize=1):
            bad += bd
            for j, k in enumerate(ok):
                stores.put(k, a[j], b[j])
            done += len(ok) + len(bd)
            since += len(ok)
            if since >= 2000 or done == len(todo):
                stores.save_done()
                since = 0
                el = time.time() - t0
                log(f"  {done}/{len(todo)}  {el:.0f}s  ({el / done * 1000:.1f} ms/img)")
    for k, e in bad:
        log("unreadable", k, e)
    return bad


# ----------------------------------------------------------------------------- the head

def head_net(width16=64, width32=96, width=96, dropout=0.3):
    import torch
    from torch import nn

    class Head(nn.Module):
        """s16 -> 1x1 -> 3x3 stride 2 (to 7 x 7); s32 -> 1x1; concat -> 3x3 -> global avg and
        max -> linear. Only Conv, Relu, Concat, pooling and Gemm: exported by hand."""

        def __init__(self):
            super().__init__()
            self.a1 = nn.Conv2d(C16, width16, 1)
            self.a2 = nn.Conv2d(width16, width16, 3, stride=2, padding=1)
            self.b1 = nn.Conv2d(C32, width32, 1)
            self.c1 = nn.Conv2d(width16 + width32, width, 3, padding=1)
            self.fc = nn.Linear(2 * width, len(tc.CLASSES))
            self.drop_in = nn.Dropout2d(0.1)
            self.drop = nn.Dropout(dropout)

        def forward(self, s16, s32):
            a = torch.relu(self.a2(torch.relu(self.a1(self.drop_in(s16)))))
            b = torch.relu(self.b1(self.drop_in(s32)))
            h = torch.relu(self.c1(torch.cat([a, b], 1)))
            g = torch.cat([h.mean((2, 3)), h.amax((2, 3))], 1)
            return self.fc(self.drop(g))

    return Head()


# A channel that is (almost) always zero on the training images would be blown up by its
# tiny standard deviation into huge values on the rare image where it fires.
SD_FLOOR = 0.1


def channel_stats(stores, keys, n=3000, seed=tc.SEED):
    rng = np.random.default_rng(seed)
    pick = [keys[i] for i in np.sort(rng.choice(len(keys), min(n, len(keys)), replace=False))]
    out = []
    for x in stores.gather(pick):
        x = x.astype(np.float32)
        out += [x.mean((0, 2, 3)), np.maximum(x.std((0, 2, 3)), SD_FLOOR)]
    return out


def batches_of(stores, keys, stats, bs):
    import torch
    mu16, sd16, mu32, sd32 = (torch.from_numpy(np.asarray(v, np.float32))[:, None, None] for v in stats)
    for i in range(0, len(keys), bs):
        a, b = stores.gather(keys[i:i + bs])
        yield ((torch.from_numpy(a).float() - mu16) / sd16, (torch.from_numpy(b).float() - mu32) / sd32)


def predict(net, stores, keys, stats, bs=256):
    import torch
    net.eval()
    out = []
    with torch.no_grad():
        for a, b in batches_of(stores, keys, stats, bs):
            out.append(torch.softmax(net(a, b), 1).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(tc.CLASSES)), np.float32)


def fit(stores, tr_keys, ytr, val_keys, val_rows, hp, threads):
    import torch
    torch.manual_seed(tc.SEED)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    stats = channel_stats(stores, tr_keys)
    net = head_net(**{k: hp[k] for k in ("width16", "width32", "width", "dropout")})
    cw = np.bincount(ytr, minlength=len(tc.CLASSES)).astype(np.float64)
    cw = torch.tensor(cw.sum() / np.maximum(cw, 1) / len(tc.CLASSES), dtype=torch.float32)
    lossf = torch.nn.CrossEntropyLoss(weight=cw, label_smoothing=hp["smooth"])
    opt = torch.optim.AdamW(net.parameters(), lr=hp["lr"], weight_decay=hp["wd"])
    bs, epochs = hp["batch"], hp["epochs"]
    steps = epochs * ((len(tr_keys) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=hp["lr"], total_steps=steps, pct_start=0.15)
    g = np.random.default_rng(tc.SEED)
    best, hist = None, []
    for ep in range(epochs):
        t0 = time.time()
        net.train()
        perm = g.permutation(len(tr_keys))
        keys = [tr_keys[i] for i in perm]
        yt = torch.tensor(ytr[perm], dtype=torch.long)
        tot, nb = 0.0, 0
        for (a, b), i in zip(batches_of(stores, keys, stats, bs), range(0, len(keys), bs)):
            opt.zero_grad()
            loss = lossf(net(a, b), yt[i:i + bs])
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss)
            nb += 1
        Pva = predict(net, stores, val_keys, stats)
        score, t, rv = tc.selection_score(tc.pcap(Pva), val_rows)
        hist.append({"epoch": ep + 1, "loss": round(tot / nb, 5), "val_score": round(score, 5),
                     "val_threshold": t, "val_auc": rv.get("auc"), "val_fpr": rv.get("fpr_all"),
                     "val_recall": {k: round(v["rate"], 4) for k, v in rv["recall"].items()},
                     "seconds": round(time.time() - t0, 1)})
        log("epoch", json.dumps(hist[-1]))
        if best is None or score > best[0]:
            best = (score, ep + 1, {k: v.clone() for k, v in net.state_dict().items()}, t)
    net.load_state_dict(best[2])
    net.eval()
    return net, stats, {"best_epoch": best[1], "val_score": best[0], "threshold": best[3], "history": hist}


# ----------------------------------------------------------------------------- export

def head_onnx_nodes(net, stats):
    """The trained head as ONNX nodes over `s16` and `s32` (the channel standardisation folded
    into the first convolutions), ending in `probs`."""
    mu16, sd16, mu32, sd32 = stats
    sd = {k: v.detach().numpy().astype(np.float64) for k, v in net.state_dict().items()}
    nodes, inits = [], []

    def conv(name, x, y, w, b, **kw):
        inits.extend([tc.c(name + "/W", w.astype(np.float32)), tc.c(name + "/B", b.astype(np.float32))])
        nodes.append(helper.make_node("Conv", [x, name + "/W", name + "/B"], [y], **kw))

    def fold(w, b, mu, s):
        w2 = w / s[None, :, None, None]
        b2 = b - (w2 * mu[None, :, None, None]).sum((1, 2, 3))
        return w2, b2

    w, b = fold(sd["a1.weight"], sd["a1.bias"], mu16.astype(np.float64), sd16.astype(np.float64))
    conv("head/a1", "s16", "head/a1y", w, b, kernel_shape=[1, 1])
    nodes.append(helper.make_node("Relu", ["head/a1y"], ["head/a1r"]))
    conv("head/a2", "head/a1r", "head/a2y", sd["a2.weight"], sd["a2.bias"], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1])
    nodes.append(helper.make_node("Relu", ["head/a2y"], ["head/a2r"]))
    w, b = fold(sd["b1.weight"], sd["b1.bias"], mu32.astype(np.float64), sd32.astype(np.float64))
    conv("head/b1", "s32", "head/b1y", w, b, kernel_shape=[1, 1])
    nodes.append(helper.make_node("Relu", ["head/b1y"], ["head/b1r"]))
    nodes.append(helper.make_node("Concat", ["head/a2r", "head/b1r"], ["head/cat"], axis=1))
    conv("head/c1", "head/cat", "head/c1y", sd["c1.weight"], sd["c1.bias"], kernel_shape=[3, 3],
         pads=[1, 1, 1, 1])
    nodes.append(helper.make_node("Relu", ["head/c1y"], ["head/c1r"]))
    nodes.append(helper.make_node("GlobalAveragePool", ["head/c1r"], ["head/gap"]))
    nodes.append(helper.make_node("GlobalMaxPool", ["head/c1r"], ["head/gmp"]))
    nodes.append(helper.make_node("Concat", ["head/gap", "head/gmp"], ["head/g4"], axis=1))
    nodes.append(helper.make_node("Flatten", ["head/g4"], ["head/g"], axis=1))
    inits.extend([tc.c("head/fc/W", sd["fc.weight"].astype(np.float32)),
                  tc.c("head/fc/B", sd["fc.bias"].astype(np.float32))])
    nodes.append(helper.make_node("Gemm", ["head/g", "head/fc/W", "head/fc/B"], ["logits"], transB=1))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=1))
    return nodes, inits


def build_model(net, stats, t, hp):
    bn, bi = tc.backbone_graph_parts(["mb3", "ocr"], pooled=False)
    bn.append(helper.make_node("Concat", [x for x, _ in S16], ["s16"], axis=1))
    bn.append(helper.make_node("Concat", [x for x, _ in S32], ["s32"], axis=1))
    hn, hi = head_onnx_nodes(net, stats)
    doc = ("prescreen CAPTCHA classifier v3. input image float32 [N,3,%d,%d] RGB 0..255, letterboxed "
           "top-left (long side %d, Pillow bilinear), pad %d; output probs [N,5] softmax over %s; "
           "P(captcha)=1-probs[:,0]; threshold %.4f (chosen on validation). Frozen MobileNetV3 "
           "(person detector) and PP-OCRv4 detector backbones, their stride-16 and stride-32 maps "
           "fed to a trained convolutional head %s. See tools/models/CAPTCHA-TRAINING.md"
           % (tc.S, tc.S, tc.S, tc.PAD, ",".join(tc.CLASSES), t, json.dumps(hp, sort_keys=True)))
    model = tc.make_model(bn + hn, bi + hi, "probs", len(tc.CLASSES), doc)
    model.metadata_props.add(key="classes", value=",".join(tc.CLASSES))
    model.metadata_props.add(key="threshold", value="%.6f" % t)
    model.metadata_props.add(key="input_size", value=str(tc.S))
    model.metadata_props.add(key="pad_value", value=str(tc.PAD))
    onnx.checker.check_model(model, full_check=True)
    return model


# ----------------------------------------------------------------------------- steps

HP = {"width16": 64, "width32": 96, "width": 96, "dropout": 0.3, "smooth": 0.05,
      "lr": 2e-3, "wd": 0.05, "batch": 256, "epochs": 8}
# Candidates compared on validation (the selection score of train_captcha.py: mean recall
# over the kinds at <= 0.5% negatives flagged, minus 10 x that FPR, plus 0.01 x AUC); the
# best epoch of each run counts.
CANDIDATES = [
    HP,
    dict(HP, wd=0.2, dropout=0.5),
    dict(HP, width16=48, width32=64, width=64, lr=1e-3),
]


def load(args):
    rows, mani = tc.read_manifests(args.parts or tc.PARTS)
    assign = tc.make_split(rows)
    fx = tc.fixture_rows()
    return rows, mani, assign, fx


def run_train(args, rows, mani, assign, fx, out_path):
    stores = Stores(args.scratch, rows, fx, args.n_aug, create=False)
    train = [r for r in rows if r["split"] == "train"]
    val = [r for r in rows if r["split"] == "val"]
    test = [r for r in rows if r["split"] == "test"]
    tr = [(f"corpus|{r['file']}|{k}", r["label"]) for k in range(args.n_aug + 1) for r in train]
    tr = [(k, y) for k, y in tr if stores.has(k)]
    for name, rs in (("val", val), ("test", test)):
        miss = [r for r in rs if not stores.has(f"corpus|{r['file']}|0")]
        if miss:
            raise SystemExit(f"{len(miss)} {name} images have no maps: run `maps`")
    tr_keys = [k for k, _ in tr]
    ytr = np.array([y for _, y in tr])
    val_keys = [f"corpus|{r['file']}|0" for r in val]
    log(f"train {len(train)} images / {len(tr_keys)} samples, val {len(val)}, test {len(test)}")
    cands = [dict(c, epochs=args.epochs or c["epochs"]) for c in (args.candidates or CANDIDATES)]
    best, comparison = None, []
    for hp in cands:
        net, stats, info = fit(stores, tr_keys, ytr, val_keys, val, hp, args.threads)
        comparison.append({"hparams": hp, "best_epoch": info["best_epoch"], "val_score": info["val_score"],
                           "val_threshold": info["threshold"], "history": info["history"]})
        log("candidate", json.dumps(hp, sort_keys=True), "val score", info["val_score"], "epoch", info["best_epoch"])
        if best is None or info["val_score"] > best[2]["val_score"]:
            best = (net, stats, info, hp)
    net, stats, info, hp = best
    info["comparison"] = comparison
    t = info["threshold"]
    model = build_model(net, stats, t, hp)
    with open(out_path + ".tmp", "wb") as f:
        f.write(model.SerializeToString())
    os.replace(out_path + ".tmp", out_path)
    sha = tc.sha256_file(out_path)
    log("wrote", out_path, os.path.getsize(out_path), sha)
    P = {"validation": predict(net, stores, val_keys, stats),
         "test": predict(net, stores, [f"corpus|{r['file']}|0" for r in test], stats),
         "fixtures_captcha": predict(net, stores, [f"fixtures|{r['file']}|0" for r in fx], stats)}
    return net, stats, info, hp, t, sha, P, val, test


def evaluate(args, rows, mani, assign, fx, out_path):
    net, stats, info, hp, t, sha, P, val, test = run_train(args, rows, mani, assign, fx, out_path)
    # the exported file end to end (image files -> probs) must agree with the cached-map path
    sess = tc.ort_session(open(out_path, "rb").read(), threads=args.threads)

    def run_onnx(keys):
        out = [sess.run(None, {"image": tc.to_tensor([tc.image_for_key(k) for k in keys[i:i + 16]])})[0]
               for i in range(0, len(keys), 16)]
        return np.concatenate(out)

    samp = sorted(range(len(test)), key=lambda i: tc.hseed(tc.SEED, "sample", test[i]["file"]))[:60]
    Pfx = run_onnx([f"fixtures|{r['file']}|0" for r in fx])
    Pte = run_onnx([f"corpus|{test[i]['file']}|0" for i in samp])
    maxdiff = float(max(np.abs(Pte - P["test"][samp]).max(), np.abs(Pfx - P["fixtures_captcha"]).max()))
    log("max |onnx end to end - cached-map path|:", maxdiff)
    ref = {"model_sha256": sha, "threshold": t, "classes": tc.CLASSES,
           "probs": {r["file"]: [round(float(v), 6) for v in pr] for r, pr in zip(fx, Pfx)}}
    # The committed reference and provenance describe the shipped file: a candidate written
    # elsewhere keeps its own in the scratch folder.
    shipping = os.path.abspath(out_path) == os.path.abspath(tc.OUT_ONNX)
    ref_dir = tc.FIXTURES if shipping else args.scratch
    with open(os.path.join(ref_dir, "classifier_reference.json"), "w") as f:
        json.dump(ref, f, indent=0)
        f.write("\n")
    sets = tc.set_reports(P, {"validation": val, "test": test, "fixtures_captcha": fx}, t)
    counts = tc.split_counts(rows)
    res = {
        "onnx": os.path.relpath(out_path, tc.REPO), "onnx_sha256": sha, "onnx_bytes": os.path.getsize(out_path),
        "version": VERSION, "threshold": t, "hparams": hp, "best_epoch": info["best_epoch"],
        "history": info["history"], "candidates_on_validation": info["comparison"], "seed": tc.SEED, "n_aug": args.n_aug, "input_size": tc.S,
        "manifests": mani, "counts": counts,
        "held_out": {s: sorted(v for v, x in assign.items() if x == s) for s in ("val", "test")},
        "validation": sets["validation"], "test": sets["test"], "fixtures_captcha": sets["fixtures_captcha"],
        "max_abs_diff_onnx_vs_map_path": maxdiff, "benchmark": tc.benchmark(out_path),
        "versions": tc.versions(), "split_json_sha256": tc.sha256_file(tc.SPLIT_JSON),
        "comparison_on_validation": [],
    }
    with open(os.path.join(args.scratch, "result.json"), "w") as f:
        json.dump(res, f, indent=1)
    if shipping:
        write_provenance_fragment(res)
    md = tc.result_markdown(res)
    with open(os.path.join(args.scratch, "result.md"), "w") as f:
        f.write(md)
    print(md)
    return res


def write_provenance_fragment(res):
    """v2's fragment (hashes, licences, notes) with what v3 changes: the head and its script."""
    res2 = dict(res, chosen={"head": "conv", "hparams": res["hparams"]})
    tc.write_provenance_fragment(res2)
    with open(tc.PROVENANCE_FRAGMENT) as f:
        frag = json.load(f)
    frag["model"] = ("prescreen CAPTCHA classifier v3 (frozen MobileNetV3 and PP-OCRv4 backbones, "
                     "a trained convolutional head on their stride-16 and stride-32 maps; 5 classes)")
    frag["source"]["script"] = frag["script"] = "tools/models/train_captcha_conv.py"
    frag["changes"] = [
        "graph built by train_captcha_conv.py: the two backbones' nodes up to their stride-16 and "
        "stride-32 maps, concatenated per stride, and the trained head (1x1 and 3x3 convolutions, "
        "global average and max pooling, a linear layer, Softmax; channel standardisation folded "
        "into the first convolutions; %s)" % json.dumps(res["hparams"], sort_keys=True),
        "threshold %.6f (chosen on the validation split) in the metadata" % res["threshold"],
    ]
    frag["verification"] = ("`train_captcha_conv.py check` re-trains the head from the cached maps and "
                            "compares the sha256 of the rebuilt file; training figures in "
                            "tools/models/CAPTCHA-TRAINING.md")
    with open(tc.PROVENANCE_FRAGMENT, "w") as f:
        json.dump(frag, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["maps", "train", "check", "bench"])
    ap.add_argument("--scratch", default=SCRATCH_DEFAULT)
    ap.add_argument("--out", default=tc.OUT_ONNX)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2, help="torch / onnxruntime threads for training")
    ap.add_argument("--n-aug", type=int, default=tc.N_AUG)
    ap.add_argument("--epochs", type=int, default=0)
    ap.add_argument("--candidate", type=int, default=-1, help="train: only this candidate (index into CANDIDATES)")
    ap.add_argument("--parts", default="", help="maps: only these corpus parts (comma-separated)")
    args = ap.parse_args()
    args.candidates = [CANDIDATES[args.candidate]] if args.candidate >= 0 else None
    args.parts = [p for p in args.parts.split(",") if p]
    os.makedirs(args.scratch, exist_ok=True)
    if args.step == "bench":
        print(json.dumps(tc.benchmark(args.out), indent=1))
        return
    if args.step == "maps":
        # one store per corpus part (a part's split depends on its own manifest only), so a
        # part's maps can be computed as soon as that part is built
        parts = args.parts or tc.PARTS
        rows, _, _, fx = load(argparse.Namespace(parts=parts))
        stores = Stores(args.scratch, rows, fx, args.n_aug)
        want = [k for k in stores.keys if stores.part_of(k) in parts + ["fixtures"]]
        # clean copies first: validation and test need only those
        want = [k for k in want if k.endswith("|0")] + [k for k in want if not k.endswith("|0")]
        bad = compute_maps(stores, want, args.workers)
        sys.exit(1 if bad else 0)
    rows, mani, assign, fx = load(args)
    if args.step == "train":
        evaluate(args, rows, mani, assign, fx, args.out)
    elif args.step == "check":
        import tempfile
        want = tc.sha256_file(args.out)
        prev = json.load(open(os.path.join(args.scratch, "result.json")))
        # the chosen candidate only, for its number of epochs (its best epoch is chosen again)
        args.n_aug, args.candidates = prev["n_aug"], [prev["hparams"]]
        tmp = tempfile.mkdtemp(prefix="check-", dir=args.scratch)
        out = os.path.join(tmp, "captcha_classifier.onnx")
        run_train(args, rows, mani, assign, fx, out)
        got = tc.sha256_file(out)
        print(json.dumps({"committed": want, "rebuilt": got, "identical": got == want}))
        sys.exit(0 if got == want else 1)


if __name__ == "__main__":
    main()
