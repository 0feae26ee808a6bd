"""NSFWJS MobileNetV2-mid (npm nsfwjs 4.4.0, dist/models/mobilenet_v2_mid/) -> ONNX.

Input: a plain TensorFlow.js graph-model directory (model.json + group1-shard1of2 +
group1-shard2of2) as written by nsfwjs_extract.cjs from the package's JS modules.

The ONNX graph is written directly with onnx.helper, one ONNX node (or a fixed small group)
per TensorFlow.js node, in the tfjs graph's own order; no converter stack is involved. The
tfjs graph (TensorFlow.js Converter v1.7.4r1 output of a Keras MobileNetV2 1.4 / 224 head)
contains only these ops, and each maps to:

  Placeholder input [-1,224,224,3]  -> graph input `input` float32 [N,224,224,3] (NHWC)
  Mul(input, 2), Sub(., 1)          -> Mul, Sub  (kept as in the graph: x*2-1 on the RGB/255
                                       input), then one Transpose NHWC->NCHW
  _FusedConv2D [BiasAdd(,Relu6)]    -> Conv (+ Clip 0..6); weights HWIO -> OIHW
  FusedDepthwiseConv2dNative        -> Conv group=C (+ Clip 0..6); weights [kh,kw,C,1] ->
                                       [C,1,kh,kw]
  AddV2                             -> Add
  AvgPool 7x7 VALID                 -> AveragePool 7x7
  Squeeze [1,2]                     -> Flatten (NCHW [N,1792,1,1] -> [N,1792])
  _FusedMatMul [BiasAdd]            -> Gemm (transA=transB=0, as in the graph)
  Softmax                           -> Softmax axis=-1
  Identity                          -> graph output `probabilities` float32 [N,5]

TF "SAME" padding is turned into explicit ONNX pads computed from the static spatial size
(pad_total = max((ceil(in/s)-1)*s + k - in, 0), before = total//2, after = total-before),
which is what TensorFlow and TensorFlow.js do. Every attribute the mapping does not handle
(dilations != 1, data_format != NHWC, explicit paddings, other fused ops) is asserted absent.

Weights: all 108 are float32 stored uint8-quantised ({min, scale}); they are dequantised
exactly as tfjs-core 4.22.0 io_utils.decodeWeights does:
  value = Float32(q * scale + min)   (q, scale, min as IEEE doubles; one rounding to float32)
The resulting float32 tensors are written unchanged (only transposed to ONNX layout) as
initializers; verify_nsfwjs.py checks them bit-for-bit against the tensors TensorFlow.js
itself holds after loading the package's model.

usage: python convert_nsfwjs.py TFJS_DIR OUT.onnx
"""

import argparse
import base64
import hashlib
import json
import math
import os
import sys

import numpy as np

OPSET = 13
IR_VERSION = 8
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"
CLASSES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]  # nsfwjs dist/*/nsfw_classes.js
SIZE = 224
PREFIX = ("StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/"
          "StatefulPartitionedCall/StatefulPartitionedCall/predict/")


def _b64s(attr, key):
    return base64.b64decode(attr[key]["s"]).decode()


def _ints(attr, key):
    return [int(i) for i in attr[key]["list"].get("i", [])]


def read_weights(tfjs_dir):
    """{name: float32 array (tfjs layout)} dequantised as tfjs-core does; plus model.json."""
    with open(os.path.join(tfjs_dir, "model.json")) as f:
        mj = json.load(f)
    groups = mj["weightsManifest"]
    assert len(groups) == 1, len(groups)
    data = b"".join(open(os.path.join(tfjs_dir, p), "rb").read() for p in groups[0]["paths"])
    out, off = {}, 0
    for w in groups[0]["weights"]:
        q = w["quantization"]
        assert w["dtype"] == "float32" and q["dtype"] == "uint8" and set(q) == {"min", "scale", "dtype"}, w
        n = math.prod(w["shape"]) if w["shape"] else 1
        qa = np.frombuffer(data, np.uint8, n, off)
        off += n
        vals = (qa.astype(np.float64) * float(q["scale"]) + float(q["min"])).astype(np.float32)
        out[w["name"]] = vals.reshape(w["shape"])
    assert off == len(data), (off, len(data))
    return mj, out


def same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2, out


def build(tfjs_dir):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    mj, weights = read_weights(tfjs_dir)
    nodes_js = mj["modelTopology"]["node"]
    consts = {n["name"] for n in nodes_js if n["op"] == "Const"}
    assert consts == set(weights), consts ^ set(weights)

    short = {}

    def sname(tf_name):
        if tf_name not in short:
            s = tf_name[len(PREFIX):] if tf_name.startswith(PREFIX) else tf_name
            short[tf_name] = s
        return short[tf_name]

    inits, nodes = [], []
    used_inits = set()

    def init(name, arr):
        assert name not in used_inits, name
        used_inits.add(name)
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def scalar_input(tf_name):
        a = weights[tf_name]
        assert a.shape == (), (tf_name, a.shape)
        return init(sname(tf_name), a)

    # value name -> (onnx tensor name, layout, spatial size)
    val = {}
    clip_min = init("clip_min", np.array(0.0, np.float32))
    clip_max = init("clip_max", np.array(6.0, np.float32))
    counts = {}

    for n in nodes_js:
        op, name, attr, ins = n["op"], n["name"], n.get("attr", {}), n.get("input", [])
        counts[op] = counts.get(op, 0) + 1
        if op == "Const":
            continue
        if op == "Placeholder":
            dims = [int(d["size"]) for d in attr["shape"]["shape"]["dim"]]
            assert name == "input" and dims == [-1, SIZE, SIZE, 3], (name, dims)
            val[name] = (INPUT_NAME, "NHWC", SIZE)
        elif op in ("Mul", "Sub"):
            a, b = ins
            # Mul(y, input) and Sub(Mul, y): one operand is a scalar constant
            if a in weights:
                x, c, order = b, scalar_input(a), "cx"
            else:
                x, c, order = a, scalar_input(b), "xc"
            xn, layout, sz = val[x]
            assert layout == "NHWC"
            out = sname(name)
            nodes.append(helper.make_node(op, [c, xn] if order == "cx" else [xn, c], [out], name=out))
            val[name] = (out, "NHWC", sz)
        elif op in ("_FusedConv2D", "FusedDepthwiseConv2dNative"):
            x, wname, bname = ins
            xn, layout, sz = val[x]
            if layout == "NHWC":
                t = sname(x) + "/nchw"
                nodes.append(helper.make_node("Transpose", [xn], [t], name=t, perm=[0, 3, 1, 2]))
                xn = t
            assert _b64s(attr, "data_format") == "NHWC"
            assert _ints(attr, "dilations") == [1, 1, 1, 1]
            assert int(attr["num_args"]["i"]) == 1
            assert not _ints(attr, "explicit_paddings") if "explicit_paddings" in attr else True
            fused = [base64.b64decode(s).decode() for s in attr["fused_ops"]["list"]["s"]]
            assert fused in (["BiasAdd"], ["BiasAdd", "Relu6"]), fused
            st = _ints(attr, "strides")
            assert st[0] == st[3] == 1 and st[1] == st[2], st
            s = st[1]
            w = weights[wname]
            kh, kw = w.shape[:2]
            assert kh == kw
            pad = _b64s(attr, "padding")
            if pad == "SAME":
                pb, pa, osz = same_pads(sz, kh, s)
            else:
                assert pad == "VALID", pad
                pb = pa = 0
                osz = (sz - kh) // s + 1
            if op == "_FusedConv2D":
                wo = w.transpose(3, 2, 0, 1)  # HWIO -> OIHW
                group = 1
            else:
                assert w.shape[3] == 1, w.shape  # channel multiplier 1
                wo = w.transpose(2, 3, 0, 1)  # [kh,kw,C,1] -> [C,1,kh,kw]
                group = w.shape[2]
            b = weights[bname]
            assert b.shape == (wo.shape[0],), (b.shape, wo.shape)
            wn = init(sname(wname), wo)
            bn = init(sname(bname), b)
            out = sname(name)
            conv_out = out if fused == ["BiasAdd"] else out + "/conv"
            nodes.append(helper.make_node(
                "Conv", [xn, wn, bn], [conv_out], name=conv_out, kernel_shape=[kh, kw],
                strides=[s, s], pads=[pb, pb, pa, pa], dilations=[1, 1], group=group))
            if fused == ["BiasAdd", "Relu6"]:
                nodes.append(helper.make_node("Clip", [conv_out, clip_min, clip_max], [out], name=out))
            val[name] = (out, "NCHW", osz)
        elif op == "AddV2":
            (an, al, asz), (bn_, bl, bsz) = val[ins[0]], val[ins[1]]
            assert al == bl == "NCHW" and asz == bsz
            out = sname(name)
            nodes.append(helper.make_node("Add", [an, bn_], [out], name=out))
            val[name] = (out, "NCHW", asz)
        elif op == "AvgPool":
            xn, layout, sz = val[ins[0]]
            assert layout == "NCHW" and _b64s(attr, "data_format") == "NHWC"
            k = _ints(attr, "ksize")
            assert k[0] == k[3] == 1 and k[1] == k[2] == sz == 7, (k, sz)
            assert _ints(attr, "strides") == [1, 1, 1, 1] and _b64s(attr, "padding") == "VALID"
            out = sname(name)
            nodes.append(helper.make_node("AveragePool", [xn], [out], name=out, kernel_shape=[7, 7],
                                          strides=[1, 1], pads=[0, 0, 0, 0]))
            val[name] = (out, "NCHW", 1)
        elif op == "Squeeze":
            xn, layout, sz = val[ins[0]]
            assert layout == "NCHW" and sz == 1 and _ints(attr, "squeeze_dims") == [1, 2]
            out = sname(name)
            nodes.append(helper.make_node("Flatten", [xn], [out], name=out, axis=1))
            val[name] = (out, "NC", None)
        elif op == "_FusedMatMul":
            x, wname, bname = ins
            xn, layout, _ = val[x]
            assert layout == "NC"
            assert attr["transpose_a"]["b"] is False and attr["transpose_b"]["b"] is False
            fused = [base64.b64decode(s).decode() for s in attr["fused_ops"]["list"]["s"]]
            assert fused == ["BiasAdd"], fused
            wn, bn = init(sname(wname), weights[wname]), init(sname(bname), weights[bname])
            assert weights[wname].shape == (1792, 5) and weights[bname].shape == (5,)
            out = sname(name)
            nodes.append(helper.make_node("Gemm", [xn, wn, bn], [out], name=out, alpha=1.0, beta=1.0,
                                          transA=0, transB=0))
            val[name] = (out, "NC", None)
        elif op == "Softmax":
            xn, layout, _ = val[ins[0]]
            nodes.append(helper.make_node("Softmax", [xn], [OUTPUT_NAME], name=sname(name), axis=-1))
            val[name] = (OUTPUT_NAME, "NC", None)
        elif op == "Identity":
            assert name == "Identity" and val[ins[0]][0] == OUTPUT_NAME
        else:
            raise SystemExit(f"unhandled tfjs op {op} ({name})")

    expected = {"Const": 108, "_FusedConv2D": 35, "FusedDepthwiseConv2dNative": 17, "AddV2": 10,
                "Placeholder": 1, "Mul": 1, "Sub": 1, "AvgPool": 1, "Squeeze": 1,
                "_FusedMatMul": 1, "Softmax": 1, "Identity": 1}
    assert counts == expected, counts
    assert used_inits == {sname(k) for k in weights} | {"clip_min", "clip_max"}

    graph = helper.make_graph(
        nodes, "nsfwjs_mobilenet_v2_mid",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", SIZE, SIZE, 3])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", len(CLASSES)])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="prescreen tools/models/policy/convert_nsfwjs.py",
                              ir_version=IR_VERSION)
    helper.set_model_props(model, {
        "classes": ",".join(CLASSES),
        "source": "npm nsfwjs 4.4.0 dist/models/mobilenet_v2_mid (MIT, Copyright (c) 2019 Infinite Red, Inc.)",
        "input": "RGB/255 in [0,1], NHWC 224x224 (nsfwjs: tf.image.resizeBilinear alignCorners=true)",
    })
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tfjs_dir")
    ap.add_argument("out")
    args = ap.parse_args()
    import onnx
    model = build(args.tfjs_dir)
    onnx.save(model, args.out)
    data = open(args.out, "rb").read()
    print(json.dumps({"file": args.out, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                      "nodes": len(model.graph.node), "initializers": len(model.graph.initializer)}))


if __name__ == "__main__":
    sys.exit(main())
