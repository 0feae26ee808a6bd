"""Read MediaPipe's own pre/post-processing settings for the detectors out of the pinned wheel.

MediaPipe's .pbtxt graphs are not shipped as text in the mediapipe wheel: they are compiled
into `mediapipe/python/_framework_bindings*.so` as serialized `CalculatorGraphConfig`
messages (registered subgraphs). This module finds a subgraph by its `type` in that binary,
parses it with the `*_pb2.py` modules from the same wheel (imported from an extracted copy,
without loading the native module), and turns the nodes into a plain dict "spec" of the
image-to-tensor, SSD anchor, tensor decoding and NMS settings.

The specs are used by verify_models.py (to check that mediapipe_ssd.py's reference decoder
is fed MediaPipe's numbers) and by write_provenance.py (provenance.json / PROVENANCE.md).

usage: python mediapipe_graphs.py [TYPE ...]   print subgraphs as text protos
"""

import importlib
import os
import sys
import zipfile

from common import SOURCES, read_member, sha256_file, wheel_path, work_dir

SO_MEMBER = "mediapipe/python/_framework_bindings.cpython-311-x86_64-linux-gnu.so"
PB2_MODULES = [
    "mediapipe.framework.calculator_pb2",
    "mediapipe.calculators.tensor.image_to_tensor_calculator_pb2",
    "mediapipe.calculators.tensor.inference_calculator_pb2",
    "mediapipe.calculators.tensor.tensors_to_detections_calculator_pb2",
    "mediapipe.calculators.tflite.ssd_anchors_calculator_pb2",
    "mediapipe.calculators.util.non_max_suppression_calculator_pb2",
    "mediapipe.modules.face_detection.face_detection_pb2",
]

# Which subgraphs describe which shipped model. "FaceDetection" is the generic face
# detection graph; "FaceDetectionFullRange" fills in its model-specific options.
MODEL_GRAPHS = {
    "pose_detection": {"graph": "PoseDetectionCpu"},
    "palm_detection": {"graph": "PalmDetectionCpu",
                       "model_path": "mediapipe/modules/palm_detection/palm_detection_full.tflite"},
    "face_detection_full_range": {"graph": "FaceDetection", "options_from": "FaceDetectionFullRange"},
}

_pb2 = None
_so = None


def _modules():
    """Import the wheel's *_pb2 modules from an extracted copy (the wheel sha256 is checked)."""
    global _pb2
    if _pb2 is not None:
        return _pb2
    path = wheel_path("mediapipe")
    want = SOURCES["mediapipe"]["wheel_sha256"]
    if sha256_file(path) != want:
        raise SystemExit(f"sha256 mismatch for {path}")
    root = os.path.join(work_dir(), "mediapipe_pb2", SOURCES["mediapipe"]["version"])
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("mediapipe/") and name.endswith("_pb2.py"):
                out = os.path.join(root, name)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                data = z.read(name)
                if not os.path.exists(out) or open(out, "rb").read() != data:
                    with open(out, "wb") as f:
                        f.write(data)
    for d, _, files in os.walk(os.path.join(root, "mediapipe")):
        init = os.path.join(d, "__init__.py")
        if not os.path.exists(init):
            open(init, "w").close()
    if "mediapipe" in sys.modules and not sys.modules["mediapipe"].__file__.startswith(root):
        raise SystemExit("a different 'mediapipe' package is already imported")
    sys.path.insert(0, root)
    _pb2 = {m.rsplit(".", 1)[1]: importlib.import_module(m) for m in PB2_MODULES}
    return _pb2


def _binary():
    global _so
    if _so is None:
        _so = read_member("mediapipe", SO_MEMBER)
    return _so


def load_graph(type_name, window=16384):
    """The CalculatorGraphConfig whose `type` is type_name, as embedded in the native module.

    A serialized graph ends with its `type` field (field 20, the highest-numbered field the
    subgraphs set). For every occurrence of that field, try the start offsets before it and
    keep the longest byte range that parses, re-serializes to exactly the same bytes and has
    the wanted type. Exactly one distinct graph must be found.
    """
    pb2 = _modules()
    so = _binary()
    tag = b"\xa2\x01" + bytes([len(type_name)]) + type_name.encode()
    found = {}
    start = 0
    while True:
        i = so.find(tag, start)
        if i < 0:
            break
        start = i + 1
        end = i + len(tag)
        best = None
        for s in range(i - 1, max(0, end - window) - 1, -1):
            if so[s] != 0x0A:  # field 1 (node), length-delimited
                continue
            g = pb2["calculator_pb2"].CalculatorGraphConfig()
            try:
                g.ParseFromString(so[s:end])
            except Exception:
                continue
            if g.type == type_name and g.node and all(n.calculator for n in g.node) \
                    and g.SerializeToString() == so[s:end]:
                best = g
        if best is not None:
            found[best.SerializeToString()] = best
    if len(found) != 1:
        raise SystemExit(f"found {len(found)} embedded graphs of type {type_name}, expected 1")
    return next(iter(found.values()))


def _node(graph, calculator):
    nodes = [n for n in graph.node if n.calculator == calculator]
    if len(nodes) != 1:
        raise SystemExit(f"{graph.type}: expected one {calculator} node, found {len(nodes)}")
    return nodes[0]


def _ext(node, ext_cls):
    return node.options.Extensions[ext_cls.ext]


def _fields(msg):
    """Set fields (and proto defaults of unset scalar fields) as a plain dict."""
    from google.protobuf import descriptor as D
    out = {}
    for f in msg.DESCRIPTOR.fields:
        v = getattr(msg, f.name)
        repeated = f.is_repeated if hasattr(f, "is_repeated") else f.label == D.FieldDescriptor.LABEL_REPEATED
        if repeated:
            if f.type == D.FieldDescriptor.TYPE_MESSAGE:
                continue
            out[f.name] = [_scalar(f, x) for x in v]
        elif f.type == D.FieldDescriptor.TYPE_MESSAGE:
            if msg.HasField(f.name):
                out[f.name] = _fields(v)
        elif f.type == D.FieldDescriptor.TYPE_ENUM:
            out[f.name] = f.enum_type.values_by_number[v].name
        else:
            out[f.name] = _scalar(f, v)
    return out


def _scalar(f, v):
    """float32 fields as the shortest decimal that round-trips (0.3, not 0.30000001192...)."""
    from google.protobuf import descriptor as D
    if f.type == D.FieldDescriptor.TYPE_FLOAT:
        import numpy as np
        return float(np.format_float_positional(np.float32(v), unique=True, trim="0"))
    return v


def ssd_spec(model):
    """Pre/post-processing settings of one detector, read from the embedded graphs."""
    pb2 = _modules()
    cfg = MODEL_GRAPHS[model]
    g = load_graph(cfg["graph"])
    itt = pb2["image_to_tensor_calculator_pb2"].ImageToTensorCalculatorOptions()
    itt.CopyFrom(_ext(_node(g, "ImageToTensorCalculator"), pb2["image_to_tensor_calculator_pb2"].ImageToTensorCalculatorOptions))
    anc = pb2["ssd_anchors_calculator_pb2"].SsdAnchorsCalculatorOptions()
    anc.CopyFrom(_ext(_node(g, "SsdAnchorsCalculator"), pb2["ssd_anchors_calculator_pb2"].SsdAnchorsCalculatorOptions))
    dec = pb2["tensors_to_detections_calculator_pb2"].TensorsToDetectionsCalculatorOptions()
    dec.CopyFrom(_ext(_node(g, "TensorsToDetectionsCalculator"),
                      pb2["tensors_to_detections_calculator_pb2"].TensorsToDetectionsCalculatorOptions))
    nms = _ext(_node(g, "NonMaxSuppressionCalculator"),
               pb2["non_max_suppression_calculator_pb2"].NonMaxSuppressionCalculatorOptions)
    graphs = [g.type]
    model_path = cfg.get("model_path")
    if "options_from" in cfg:
        # resolve the option_value links of the generic FaceDetection graph
        outer = load_graph(cfg["options_from"])
        graphs.insert(0, outer.type)
        fd_cls = pb2["face_detection_pb2"].FaceDetectionOptions
        node = _node(outer, g.type)
        assert len(node.node_options) == 1
        fo = fd_cls()
        assert node.node_options[0].Unpack(fo)
        model_path = fo.model_path
        itt.output_tensor_width = fo.tensor_width
        itt.output_tensor_height = fo.tensor_height
        anc.input_size_width = fo.tensor_width
        anc.input_size_height = fo.tensor_height
        anc.num_layers = fo.num_layers
        del anc.strides[:]
        anc.strides.extend(fo.strides)
        anc.interpolated_scale_aspect_ratio = fo.interpolated_scale_aspect_ratio
        dec.num_boxes = fo.num_boxes
        dec.x_scale, dec.y_scale = fo.x_scale, fo.y_scale
        dec.h_scale, dec.w_scale = fo.h_scale, fo.w_scale
        dec.min_score_thresh = fo.min_score_thresh
        # every option_value of the generic graph must have been resolved above
        links = {ov for n in g.node for ov in n.option_value}
        assert links == {
            "gpu_origin:options/gpu_origin", "output_tensor_width:options/tensor_width",
            "output_tensor_height:options/tensor_height", "delegate:options/delegate",
            "model_path:options/model_path", "input_size_width:tensor_width",
            "input_size_height:tensor_height", "num_layers:num_layers", "strides:strides",
            "interpolated_scale_aspect_ratio:interpolated_scale_aspect_ratio",
            "num_boxes:num_boxes", "x_scale:x_scale", "y_scale:y_scale", "h_scale:h_scale",
            "w_scale:w_scale", "min_score_thresh:min_score_thresh"}, links
    if model_path is None:
        inf = _ext(_node(g, "InferenceCalculator"), pb2["inference_calculator_pb2"].InferenceCalculatorOptions)
        model_path = inf.model_path
    post = [n.calculator for n in g.node if n.calculator in
            ("DetectionLetterboxRemovalCalculator", "DetectionProjectionCalculator")]
    assert len(post) == 1, post
    return {
        "graphs": graphs,
        "model_path": model_path,
        "image_to_tensor": _fields(itt),
        "ssd_anchors": _fields(anc),
        "tensors_to_detections": _fields(dec),
        "non_max_suppression": _fields(nms),
        "to_image_coordinates": post[0],
    }


def main():
    from google.protobuf import text_format
    names = sys.argv[1:] or sorted({c["graph"] for c in MODEL_GRAPHS.values()} |
                                   {c["options_from"] for c in MODEL_GRAPHS.values() if "options_from" in c})
    for name in names:
        print(f"# {name}")
        print(text_format.MessageToString(load_graph(name)))


if __name__ == "__main__":
    main()
