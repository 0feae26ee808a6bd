"""SSD-MobileNetV2 Open Images v4 detector (npm @mediapipe/objectron 0.4.1675468480)
-> models/ssd_mobilenet_v2_oiv4.onnx.

Source: `npm pack @mediapipe/objectron@0.4.1675468480` (tarball sha256 pinned below). The
package's asset bundle package/objectron_solution_packed_assets.data (9,987,912 bytes) holds
two files, as listed by package/objectron_solution_packed_assets_loader.js:

  bytes 0..184           /object_detection_oidv4_labelmap.txt  (24 lines, "???" = background)
  bytes 184..9,987,912   /third_party/mediapipe/modules/objectron/
                         object_detection_ssd_mobilenetv2_oidv4_fp16.tflite (9,987,728 bytes)

The model's pre/post-processing settings are MediaPipe's own, read from the serialized
`ObjectDetectionOidV4Subgraph` CalculatorGraphConfig compiled into
package/objectron_solution_wasm_bin.wasm (read_graph() below, a minimal protobuf wire-format
reader that needs no MediaPipe code; `--mediapipe-wheel` also parses it with the `*_pb2.py`
files of the mediapipe 0.10.14 wheel and prints it as a text proto).

Conversion: tf2onnx 1.16.1 from tflite, opset 13. The 144 DEQUANTIZE ops (fp16 weights) are
folded into float32 initializers (every float initializer is asserted to be exactly
representable in fp16, i.e. an exact widening); input `normalized_input_image_tensor` ->
`input`, outputs `raw_outputs/box_encodings` -> `box_encodings`,
`raw_outputs/class_predictions` -> `class_predictions`; then people_common.canonicalize()
(positional names, canonical node order) so that two runs give byte-identical files.

I/O of the result:
  input              float32 [1,300,300,3], NHWC, RGB, pixel/127.5 - 1 (range [-1,1]);
                     MediaPipe stretches the whole frame to 300x300 (keep_aspect_ratio false)
  box_encodings      float32 [1,1917,4] raw (ty, tx, th, tw) per anchor
  class_predictions  float32 [1,1917,24] logits; sigmoid per class (not softmax); class 0 is
                     background ("???", ignored); Person = class 4

usage: python convert_ssd_oiv4.py OUT.onnx [--tarball PATH] [--twice] [--mediapipe-wheel WHL]
"""

import argparse
import json
import os
import re
import struct
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from people_common import canonicalize, convert_twice_and_compare, dims, fetch_npm, read_members, sha256_bytes, sha256_file  # noqa: E402

SOURCE = {
    "spec": "@mediapipe/objectron@0.4.1675468480",
    "tarball": "mediapipe-objectron-0.4.1675468480.tgz",
    "tarball_sha256": "fc3e37b326b05e8f596099c90b3e0931b05a56cd3160b9ac450b621794bac94c",
    "members": {
        "package/objectron_solution_packed_assets.data": {
            "sha256": "470986ca5df183f41698da6de74b027d838fe289d77b5ab094497d350bee664e", "size": 9987912},
        "package/objectron_solution_packed_assets_loader.js": {
            "sha256": "f02290c5690349e6ea47b318792777f143cbf11bc300ed0d650af6967eb1a4f6", "size": 8136},
        "package/objectron_solution_wasm_bin.wasm": {
            "sha256": "3e28f1d1261e4ecc63368b871f17f621b90769b7610a58aff2331a48ff91c91b", "size": 6410922},
        "package/package.json": {
            "sha256": "5e4634780c7403aa6505b2b0ee5280dd74e352c20269baa05153bdd2d4f95c87", "size": 664},
    },
    # files inside the asset bundle
    "labelmap": {"name": "/object_detection_oidv4_labelmap.txt", "start": 0, "end": 184,
                 "sha256": "c148336a65f673013609a923fdcbdeec0f49df935045029c3746a3828a0e80e0"},
    "tflite": {"name": "/third_party/mediapipe/modules/objectron/object_detection_ssd_mobilenetv2_oidv4_fp16.tflite",
               "start": 184, "end": 9987912,
               "sha256": "d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6"},
}
OPSET = 13
SIZE = 300
INPUT_TF = "normalized_input_image_tensor"
OUTPUTS_TF = {"raw_outputs/box_encodings": "box_encodings", "raw_outputs/class_predictions": "class_predictions"}
INPUT_NAME = "input"
PERSON = 4  # index in the label map (line 0 is "???" = background)

# MediaPipe's settings, as read_graph() finds them in the package's wasm (asserted there)
IMAGE_TO_TENSOR = {"output_tensor_width": 300, "output_tensor_height": 300, "keep_aspect_ratio": False,
                   "output_tensor_float_range": [-1.0, 1.0], "gpu_origin": "TOP_LEFT"}
ANCHORS = {"input_size_width": 300, "input_size_height": 300, "min_scale": 0.2, "max_scale": 0.95,
           "anchor_offset_x": 0.5, "anchor_offset_y": 0.5, "num_layers": 6,
           "strides": [16, 32, 64, 128, 256, 512], "aspect_ratios": [1.0, 2.0, 0.5, 3.0, 0.3333],
           "reduce_boxes_in_lowest_layer": True,
           # proto defaults (not set in the graph)
           "interpolated_scale_aspect_ratio": 1.0, "fixed_anchor_size": False}
DECODE = {"num_classes": 24, "num_boxes": 1917, "num_coords": 4, "x_scale": 10.0, "y_scale": 10.0,
          "w_scale": 5.0, "h_scale": 5.0, "ignore_classes": [0], "apply_exponential_on_box_size": True,
          "sigmoid_score": True, "min_score_thresh": 0.5,
          # proto default: encodings are (y, x, h, w)
          "reverse_output_order": False}
NMS = {"max_num_detections": 100, "min_suppression_threshold": 0.5,
       "overlap_type": "INTERSECTION_OVER_UNION", "return_empty_detections": True,
       "algorithm": "DEFAULT (hard NMS; proto default)"}


# --------------------------------------------------------------------------------------
# source
# --------------------------------------------------------------------------------------

def fetch(path=None, work=None):
    kw = {"work": work} if work else {}
    return fetch_npm(SOURCE["spec"], SOURCE["tarball"], SOURCE["tarball_sha256"], path=path, **kw)


def extract(tarball):
    """(tflite bytes, label list, members) with every offset and hash checked."""
    m = read_members(tarball, SOURCE["members"])
    loader = m["package/objectron_solution_packed_assets_loader.js"].decode()
    files = re.findall(r'\{"filename": "([^"]+)", "start": (\d+), "end": (\d+)\}', loader)
    want = [(SOURCE[k]["name"], str(SOURCE[k]["start"]), str(SOURCE[k]["end"])) for k in ("labelmap", "tflite")]
    assert files == want, files
    data = m["package/objectron_solution_packed_assets.data"]
    out = {}
    for k in ("labelmap", "tflite"):
        s = SOURCE[k]
        b = data[s["start"]:s["end"]]
        assert sha256_bytes(b) == s["sha256"], (k, sha256_bytes(b))
        out[k] = b
    assert out["tflite"][4:8] == b"TFL3"
    labels = out["labelmap"].decode().split("\n")
    if labels[-1] == "":
        labels = labels[:-1]
    assert len(labels) == 24 and labels[0] == "???" and labels[PERSON] == "Person", labels
    return out["tflite"], labels, m


# --------------------------------------------------------------------------------------
# MediaPipe's graph, from the wasm
# --------------------------------------------------------------------------------------

def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b):
    """Protobuf wire format -> [(field, wire_type, value)]; raises on malformed input."""
    i, out = 0, []
    while i < len(b):
        k, i = _varint(b, i)
        f, wt = k >> 3, k & 7
        if f == 0:
            raise ValueError("field 0")
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"wire type {wt}")
        if i > len(b):
            raise ValueError("overrun")
        out.append((f, wt, v))
    return out


def graph_bytes(wasm, type_name="ObjectDetectionOidV4Subgraph"):
    """The serialized CalculatorGraphConfig whose last field is `type: TYPE_NAME` (field 20).
    Longest start offset that parses as a sequence of graph-level fields only."""
    tag = b"\xa2\x01" + bytes([len(type_name)]) + type_name.encode()
    assert wasm.count(tag) == 1, wasm.count(tag)
    end = wasm.find(tag) + len(tag)
    best = None
    for s in range(end - len(tag) - 1, max(0, end - 16384), -1):
        if wasm[s] != 0x0A:
            continue
        try:
            fs = _fields(wasm[s:end])
        except (ValueError, IndexError):
            continue
        if fs[-1][0] == 20 and all(f in (1, 10, 15, 16) for f, _, _ in fs[:-1]) \
                and all(wt == 2 for _, wt, _ in fs):
            best = s
    assert best is not None
    return wasm[best:end]


def _f32(v):
    return float(np.format_float_positional(np.float32(struct.unpack("<f", v)[0]), unique=True, trim="0"))


def read_graph(wasm):
    """{calculator: {field number: [values]}} of the options extension of each node; asserts
    that the values are IMAGE_TO_TENSOR / ANCHORS / DECODE / NMS above.

    Field numbers (mediapipe 0.10.x protos): ImageToTensorCalculatorOptions ext 334361939
    {1 width, 2 height, 3 keep_aspect_ratio, 4 float_range{1 min, 2 max}, 5 gpu_origin};
    SsdAnchorsCalculatorOptions ext 247258239 {1 input_size_width, 2 input_size_height,
    3 min_scale, 4 max_scale, 5/6 anchor_offset_x/y, 7 num_layers, 10 strides,
    11 aspect_ratios, 12 reduce_boxes_in_lowest_layer, 13 interpolated_scale_aspect_ratio
    (default 1), 14 fixed_anchor_size}; TensorsToDetectionsCalculatorOptions ext 335742639
    {1 num_classes, 2 num_boxes, 3 num_coords, 4 x_scale, 5 y_scale, 6 w_scale, 7 h_scale,
    8 ignore_classes, 13 apply_exponential_on_box_size, 14 reverse_output_order, 15
    sigmoid_score, 19 min_score_thresh}; NonMaxSuppressionCalculatorOptions ext 55383100
    {2 max_num_detections, 3 min_suppression_threshold, 4 overlap_type (3 = IOU), 5
    return_empty_detections, 6 algorithm (unset = DEFAULT)}.
    """
    g = graph_bytes(wasm)
    nodes = {}
    for f, _, v in _fields(g):
        if f != 1:
            continue
        nf = _fields(v)
        calc = next(x for k, _, x in nf if k == 2).decode()
        opts = {}
        for k, _, x in nf:
            if k == 7:  # CalculatorOptions
                (ext, _, body), = _fields(x)
                opts = {"ext": ext, "fields": {}}
                for a, wt, val in _fields(body):
                    opts["fields"].setdefault(a, []).append((wt, val))
        nodes[calc] = opts

    def ints(node, f):
        return [v for wt, v in nodes[node]["fields"].get(f, []) if wt == 0]

    def floats(node, f):
        return [_f32(v) for wt, v in nodes[node]["fields"].get(f, []) if wt == 5]

    it, an, de, nm = ("ImageToTensorCalculator", "SsdAnchorsCalculator", "TensorsToDetectionsCalculator",
                      "NonMaxSuppressionCalculator")
    assert nodes[it]["ext"] == 334361939 and nodes[an]["ext"] == 247258239
    assert nodes[de]["ext"] == 335742639 and nodes[nm]["ext"] == 55383100
    (rng,) = [v for wt, v in nodes[it]["fields"][4]]
    rng = {a: _f32(v) for a, _, v in _fields(rng)}
    got_it = {"output_tensor_width": ints(it, 1)[0], "output_tensor_height": ints(it, 2)[0],
              "keep_aspect_ratio": bool(ints(it, 3)[0]), "output_tensor_float_range": [rng[1], rng[2]],
              "gpu_origin": {0: "DEFAULT", 1: "CONVENTIONAL", 2: "TOP_LEFT"}[ints(it, 5)[0]]}
    assert got_it == IMAGE_TO_TENSOR, got_it
    assert set(nodes[an]["fields"]) == {1, 2, 3, 4, 5, 6, 7, 10, 11, 12}, set(nodes[an]["fields"])
    got_an = {"input_size_width": ints(an, 1)[0], "input_size_height": ints(an, 2)[0],
              "min_scale": floats(an, 3)[0], "max_scale": floats(an, 4)[0],
              "anchor_offset_x": floats(an, 5)[0], "anchor_offset_y": floats(an, 6)[0],
              "num_layers": ints(an, 7)[0], "strides": ints(an, 10), "aspect_ratios": floats(an, 11),
              "reduce_boxes_in_lowest_layer": bool(ints(an, 12)[0]),
              "interpolated_scale_aspect_ratio": 1.0, "fixed_anchor_size": False}
    assert got_an == ANCHORS, got_an
    assert set(nodes[de]["fields"]) == {1, 2, 3, 4, 5, 6, 7, 8, 13, 15, 19}, set(nodes[de]["fields"])
    got_de = {"num_classes": ints(de, 1)[0], "num_boxes": ints(de, 2)[0], "num_coords": ints(de, 3)[0],
              "x_scale": floats(de, 4)[0], "y_scale": floats(de, 5)[0], "w_scale": floats(de, 6)[0],
              "h_scale": floats(de, 7)[0], "ignore_classes": ints(de, 8),
              "apply_exponential_on_box_size": bool(ints(de, 13)[0]), "sigmoid_score": bool(ints(de, 15)[0]),
              "min_score_thresh": floats(de, 19)[0], "reverse_output_order": False}
    assert got_de == DECODE, got_de
    assert set(nodes[nm]["fields"]) == {2, 3, 4, 5}, set(nodes[nm]["fields"])
    got_nm = {"max_num_detections": ints(nm, 2)[0], "min_suppression_threshold": floats(nm, 3)[0],
              "overlap_type": {3: "INTERSECTION_OVER_UNION"}[ints(nm, 4)[0]],
              "return_empty_detections": bool(ints(nm, 5)[0]), "algorithm": NMS["algorithm"]}
    assert got_nm == NMS, got_nm
    return {"ImageToTensor": got_it, "SsdAnchors": got_an, "TensorsToDetections": got_de, "NonMaxSuppression": got_nm,
            "calculators": list(nodes)}


def print_with_mediapipe_wheel(wasm, wheel):
    """Parse the same bytes with the mediapipe wheel's *_pb2.py files; print as text proto."""
    import importlib
    import zipfile
    with tempfile.TemporaryDirectory() as root:
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if name.startswith("mediapipe/") and name.endswith("_pb2.py"):
                    z.extract(name, root)
        for d, _, _ in os.walk(os.path.join(root, "mediapipe")):
            open(os.path.join(d, "__init__.py"), "a").close()
        sys.path.insert(0, root)
        for mod in ["framework.calculator_pb2", "calculators.tensor.image_to_tensor_calculator_pb2",
                    "calculators.tensor.inference_calculator_pb2",
                    "calculators.tensor.tensors_to_detections_calculator_pb2",
                    "calculators.tflite.ssd_anchors_calculator_pb2",
                    "calculators.util.non_max_suppression_calculator_pb2",
                    "calculators.util.detection_label_id_to_text_calculator_pb2"]:
            importlib.import_module("mediapipe." + mod)
        from google.protobuf import text_format
        cp = importlib.import_module("mediapipe.framework.calculator_pb2")
        g = cp.CalculatorGraphConfig()
        b = graph_bytes(wasm)
        g.ParseFromString(b)
        assert g.SerializeToString() == b
        print(text_format.MessageToString(g))


# --------------------------------------------------------------------------------------
# reference decoding (MediaPipe SsdAnchorsCalculator / TensorsToDetectionsCalculator / NMS)
# --------------------------------------------------------------------------------------

def anchors(o=ANCHORS):
    """float64 [1917, 4] anchors (y_center, x_center, h, w), normalised, MediaPipe order:
    layer by layer; within a layer row y, column x, then anchor k. Feature maps are
    ceil(300/stride) = 19, 10, 5, 3, 2, 1. Layer scale s_i = min + (max-min)*i/(n-1) (0.2 ..
    0.95); layer 0 (reduce_boxes_in_lowest_layer) has 3 anchors: (scale 0.1, ratio 1),
    (0.2, 2), (0.2, 0.5); the others 6: ratios 1, 2, 0.5, 3, 0.3333 at s_i plus ratio 1 at
    sqrt(s_i * s_{i+1}) (s_6 = 1). h = s/sqrt(r), w = s*sqrt(r); centre ((x+0.5)/fw,
    (y+0.5)/fh)."""
    n, mn, mx = o["num_layers"], o["min_scale"], o["max_scale"]
    strides = o["strides"]

    def scale(i):
        return (mn + mx) * 0.5 if n == 1 else mn + (mx - mn) * i / (n - 1.0)

    out, layer = [], 0
    while layer < n:
        ratios, scales = [], []
        last = layer
        while last < len(strides) and strides[last] == strides[layer]:
            s = scale(last)
            if last == 0 and o["reduce_boxes_in_lowest_layer"]:
                ratios += [1.0, 2.0, 0.5]
                scales += [0.1, s, s]
            else:
                for r in o["aspect_ratios"]:
                    ratios.append(r)
                    scales.append(s)
                if o["interpolated_scale_aspect_ratio"] > 0:
                    nxt = 1.0 if last == len(strides) - 1 else scale(last + 1)
                    scales.append(np.sqrt(s * nxt))
                    ratios.append(o["interpolated_scale_aspect_ratio"])
            last += 1
        hw = [(s / np.sqrt(r), s * np.sqrt(r)) for r, s in zip(ratios, scales)]
        st = strides[layer]
        fh, fw = int(np.ceil(o["input_size_height"] / st)), int(np.ceil(o["input_size_width"] / st))
        for y in range(fh):
            for x in range(fw):
                for h, w in hw:
                    out.append(((y + o["anchor_offset_y"]) / fh, (x + o["anchor_offset_x"]) / fw, h, w))
        layer = last
    a = np.asarray(out, np.float64)
    assert a.shape == (DECODE["num_boxes"], 4), a.shape
    return a


def decode_boxes(raw, anc=None):
    """raw [1917,4] (ty, tx, th, tw) -> [1917,4] (ymin, xmin, ymax, xmax) normalised:
    yc = ty/10*ah + ay, xc = tx/10*aw + ax, h = exp(th/5)*ah, w = exp(tw/5)*aw."""
    a = anchors() if anc is None else anc
    r = np.asarray(raw, np.float64)
    yc = r[:, 0] / DECODE["y_scale"] * a[:, 2] + a[:, 0]
    xc = r[:, 1] / DECODE["x_scale"] * a[:, 3] + a[:, 1]
    h = np.exp(r[:, 2] / DECODE["h_scale"]) * a[:, 2]
    w = np.exp(r[:, 3] / DECODE["w_scale"]) * a[:, 3]
    return np.stack([yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2], 1)


def iou(a, b):
    y0, x0 = np.maximum(a[0], b[:, 0]), np.maximum(a[1], b[:, 1])
    y1, x1 = np.minimum(a[2], b[:, 2]), np.minimum(a[3], b[:, 3])
    inter = np.clip(y1 - y0, 0, None) * np.clip(x1 - x0, 0, None)
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return np.where(ua > 0, inter / np.where(ua > 0, ua, 1), 0.0)


def person_detections(box_encodings, class_logits, thresh=DECODE["min_score_thresh"],
                      iou_thresh=NMS["min_suppression_threshold"], max_det=NMS["max_num_detections"]):
    """Person detections [(score, [ymin, xmin, ymax, xmax])] and the max Person sigmoid.

    score = sigmoid(Person logit) of every anchor (not only anchors whose best class is
    Person, which is what MediaPipe's TensorsToDetections keeps: it takes one class per anchor,
    the best non-background one); anchors with score >= thresh, greedy hard NMS, IoU 0.5."""
    s = 1.0 / (1.0 + np.exp(-np.asarray(class_logits, np.float64)[:, PERSON]))
    boxes = decode_boxes(box_encodings)
    order = [i for i in np.argsort(-s, kind="stable") if s[i] >= thresh]
    keep = []
    while order and len(keep) < max_det:
        i = order.pop(0)
        keep.append(i)
        if order:
            ov = iou(boxes[i], boxes[order])
            order = [j for j, o in zip(order, ov) if o <= iou_thresh]
    return [(float(s[i]), [float(v) for v in boxes[i]]) for i in keep], float(s.max())


# --------------------------------------------------------------------------------------
# conversion
# --------------------------------------------------------------------------------------

def convert(tflite_path):
    from tf2onnx import convert as tfconv
    import tensorflow as tf
    with tf.device("/cpu:0"):
        model, _ = tfconv._convert_common(  # pylint: disable=protected-access
            None, name="ssd_mobilenet_v2_oiv4", opset=OPSET, tflite_path=tflite_path)
    return model


def build(tarball=None):
    import onnx
    from onnx import numpy_helper
    tflite, labels, m = extract(fetch(tarball))
    read_graph(m["package/objectron_solution_wasm_bin.wasm"])
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "ssd.tflite")
        with open(p, "wb") as f:
            f.write(tflite)
        model = convert(p)
    g = model.graph
    assert [i.name for i in g.input] == [INPUT_TF], [i.name for i in g.input]
    assert [o.name for o in g.output] == list(OUTPUTS_TF), [o.name for o in g.output]
    n_float = 0
    for t in g.initializer:
        if t.data_type == onnx.TensorProto.FLOAT:
            a = numpy_helper.to_array(t)
            assert np.array_equal(a, a.astype(np.float16).astype(np.float32)), t.name
            n_float += 1
        else:
            assert t.data_type == onnx.TensorProto.INT64, (t.name, t.data_type)  # reshape shapes
    assert n_float == 146, n_float
    assert not any(n.op_type in ("Cast", "DequantizeLinear") for n in g.node)
    canonicalize(model, {INPUT_TF: INPUT_NAME, **OUTPUTS_TF}, "ssd_mobilenet_v2_oiv4")
    assert dims(g.input[0]) == [1, SIZE, SIZE, 3], dims(g.input[0])
    assert [dims(o) for o in g.output] == [[1, 1917, 4], [1, 1917, 24]], [dims(o) for o in g.output]
    onnx.helper.set_model_props(model, {
        "source": "npm @mediapipe/objectron 0.4.1675468480 package/objectron_solution_packed_assets.data "
                  "bytes 184..9987912 (object_detection_ssd_mobilenetv2_oidv4_fp16.tflite, Apache-2.0)",
        "labels": ",".join(labels),
        "input": "float32 [1,300,300,3] NHWC RGB, pixel/127.5-1, whole image stretched to 300x300",
        "anchors": json.dumps(ANCHORS, sort_keys=True),
        "box_coder": "encodings (ty,tx,th,tw); scales y 10, x 10, h 5, w 5; exp on h, w",
        "person_class": str(PERSON),
    })
    model.producer_name = "prescreen tools/models/people/convert_ssd_oiv4.py (tf2onnx 1.16.1)"
    onnx.checker.check_model(model, full_check=True)
    return model, tflite, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--tarball", help="use this copy of the npm tarball (sha256 is checked)")
    ap.add_argument("--tflite-out", help="also write the extracted .tflite here (for reference.py)")
    ap.add_argument("--labels-out", help="also write the extracted label map here")
    ap.add_argument("--twice", action="store_true",
                    help="convert again with another PYTHONHASHSEED and require identical bytes")
    ap.add_argument("--mediapipe-wheel", help="print the embedded graph parsed with this mediapipe wheel's pb2 files")
    args = ap.parse_args()
    import onnx
    model, tflite, labels = build(args.tarball)
    onnx.save(model, args.out)
    print(json.dumps({"file": args.out, "size": os.path.getsize(args.out), "sha256": sha256_file(args.out),
                      "nodes": len(model.graph.node), "initializers": len(model.graph.initializer),
                      "tarball": SOURCE["tarball"], "tarball_sha256": SOURCE["tarball_sha256"],
                      "tflite_sha256": SOURCE["tflite"]["sha256"], "labels": labels}))
    if args.tflite_out:
        with open(args.tflite_out, "wb") as f:
            f.write(tflite)
    if args.labels_out:
        with open(args.labels_out, "w") as f:
            f.write("\n".join(labels) + "\n")
    if args.mediapipe_wheel:
        _, _, m = extract(fetch(args.tarball))
        print_with_mediapipe_wheel(m["package/objectron_solution_wasm_bin.wasm"], args.mediapipe_wheel)
    if args.twice:
        extra = ["--tarball", args.tarball] if args.tarball else []
        convert_twice_and_compare(os.path.abspath(__file__), args.out, extra)


if __name__ == "__main__":
    sys.exit(main())
