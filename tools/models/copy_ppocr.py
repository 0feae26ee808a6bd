"""PP-OCRv4 mobile (rapidocr_onnxruntime 1.4.4) -> models/ocr_det.onnx, models/ocr_rec.onnx.

The two ONNX files are copied byte-for-byte out of the pinned wheel (common.SOURCES
["rapidocr"]); nothing is changed. common.read_member checks the wheel's sha256 and each
member's size and sha256, and the copies are checked again after writing.

What the files contain, found when they were added (checked again by verify_ocr.py):
  * both: IR 8, opset 12, exported by Paddle2ONNX; the weights are Constant nodes (no
    initializers, so none is listed as a graph input); every dimension but the channel
    ones is symbolic;
  * detector: input `x` [N,3,H,W] (H and W must be multiples of 32), output
    `sigmoid_0.tmp_0` [N,1,H,W];
  * recogniser: input `x` [N,3,H,W] (H declared "?", the model is trained for 48), output
    `softmax_11.tmp_0` [N,T,6625] with T = floor(ceil(W/4)/2) (W/8 for W a multiple of 8);
    metadata_props key `character` holds the 6,623-entry dictionary, one entry per line.

usage: python copy_ppocr.py OUT_DIR
"""

import os
import sys

from common import SOURCES, read_member, sha256_file

KEY = "rapidocr"
FILES = {
    # shipped name -> member of the wheel
    "ocr_det.onnx": "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
    "ocr_rec.onnx": "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
}


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for name, member in FILES.items():
        data = read_member(KEY, member)          # wheel + member sha256/size checked
        out = os.path.join(out_dir, name)
        with open(out, "wb") as f:
            f.write(data)
        pin = SOURCES[KEY]["members"][member]
        assert os.path.getsize(out) == pin["size"] and sha256_file(out) == pin["sha256"], out
        print(f"wrote {out} ({pin['size']} bytes, sha256 {pin['sha256']}, unchanged copy of {member})")


if __name__ == "__main__":
    main()
