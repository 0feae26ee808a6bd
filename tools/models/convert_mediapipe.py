"""MediaPipe TFLite detectors (mediapipe 0.10.14 wheel) -> ONNX files in models/.

  pose_detection             mediapipe/modules/pose_detection/pose_detection.tflite
  palm_detection             mediapipe/modules/palm_detection/palm_detection_full.tflite
  face_detection_full_range  mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite

Steps:
  1. Densify: some of these models store fp16 conv weights as sparse tensors that are
     expanded at run time by DENSIFY ops (pose: 38, face full range: 46, palm: none).
     tf2onnx cannot read sparse tensors, so each DENSIFY op is evaluated here in numpy
     (TFLite's FormatConverter algorithm) and replaced by a plain constant fp16 tensor.
     Every densified tensor is checked bit-for-bit against the value TFLite itself computes
     (tf.lite.Interpreter with BUILTIN_WITHOUT_DEFAULT_DELEGATES and
     experimental_preserve_all_tensors; with the default XNNPACK delegate the DENSIFY
     outputs read back as zeros, so that resolver must not be used for this check).
  2. tf2onnx (from tflite, opset 13).
  3. Graph outputs renamed to MediaPipe's names: Identity -> regressors, Identity_1 ->
     classificators; the input is renamed per model (pose keeps input_1, the others get
     `input`).
  4. Names tf2onnx generated (nodes, intermediate tensors, initializers) are replaced by
     names derived from graph position (<OpType>_<i>, t<i>, const_<i>) so two runs give
     byte-identical files; the unused ai.onnx.ml opset import is dropped.

usage: python convert_mediapipe.py MODEL OUT.onnx [--keep-intermediate DIR]
"""

import argparse
import os
import sys
import tempfile

import numpy as np

from common import extract_member

OPSET = 13
OUTPUT_RENAMES = {"Identity": "regressors", "Identity_1": "classificators"}
TFLITE_INPUT = "input_1"

# model -> wheel member, expected DENSIFY ops, ONNX input name, expected I/O shapes
MODELS = {
    "pose_detection": {
        "member": "mediapipe/modules/pose_detection/pose_detection.tflite",
        "densify": 38,
        "input": "input_1",
        "shapes": {"input": [1, 224, 224, 3], "regressors": [1, 2254, 12], "classificators": [1, 2254, 1]},
    },
    "palm_detection": {
        "member": "mediapipe/modules/palm_detection/palm_detection_full.tflite",
        "densify": 0,
        "input": "input",
        "shapes": {"input": [1, 192, 192, 3], "regressors": [1, 2016, 18], "classificators": [1, 2016, 1]},
    },
    "face_detection_full_range": {
        "member": "mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite",
        "densify": 46,
        "input": "input",
        "shapes": {"input": [1, 192, 192, 3], "regressors": [1, 2304, 16], "classificators": [1, 2304, 1]},
    },
}


# --------------------------------------------------------------------------------------
# 1. densify
# --------------------------------------------------------------------------------------

def _vec(v):
    """Values of an Int32Vector/Uint16Vector/Uint8Vector object-API table as int64 array."""
    if v is None or v.values is None:
        raise ValueError("missing sparse index vector")
    return np.asarray(v.values, dtype=np.int64)


def densify(values, sparsity, dense_shape):
    """Expand a sparse TFLite tensor (values in storage order) into a dense numpy array.

    Follows tflite::internal::sparsity::FormatConverter: walk the dimensions in traversal
    order; a DENSE level of size s maps position p to p*s+i, a SPARSE_CSR level maps
    position p to the index range segments[p]..segments[p+1] with coordinates indices[..].
    Block dimensions (block_map) are supported as well.
    """
    from tensorflow.lite.python import schema_py_generated as S

    rank = len(dense_shape)
    order = [int(x) for x in sparsity.traversalOrder]
    block_map = [int(x) for x in (sparsity.blockMap if sparsity.blockMap is not None else [])]
    dims = sparsity.dimMetadata
    n = len(order)
    assert n == rank + len(block_map) == len(dims)

    pos = np.zeros(1, dtype=np.int64)
    coord = {}  # expanded dim -> coordinate array aligned with pos
    for level in range(n):
        d = order[level]
        md = dims[level]
        if md.format == S.DimensionType.DENSE:
            s = int(md.denseSize)
            new_pos = (pos[:, None] * s + np.arange(s)[None, :]).reshape(-1)
            for k in coord:
                coord[k] = np.repeat(coord[k], s)
            coord[d] = np.tile(np.arange(s), len(pos))
        elif md.format == S.DimensionType.SPARSE_CSR:
            seg = _vec(md.arraySegments)
            idx = _vec(md.arrayIndices)
            starts = seg[pos]
            counts = seg[pos + 1] - starts
            total = int(counts.sum())
            offsets = np.repeat(np.cumsum(counts) - counts, counts)
            new_pos = np.repeat(starts, counts) + (np.arange(total) - offsets)
            for k in coord:
                coord[k] = np.repeat(coord[k], counts)
            coord[d] = idx[new_pos]
        else:
            raise ValueError(f"unknown dimension format {md.format}")
        pos = new_pos

    assert len(pos) == 0 or pos.max() < len(values), "sparse index out of range"
    # Block sizes come from the dense_size of the block dims.
    block_size = {}
    for j, orig_dim in enumerate(block_map):
        level = order.index(rank + j)
        block_size[orig_dim] = (rank + j, int(dims[level].denseSize))
    full = []
    for d in range(rank):
        c = coord[d]
        if d in block_size:
            bd, bs = block_size[d]
            c = c * bs + coord[bd]
        full.append(c)
    out = np.zeros(dense_shape, dtype=values.dtype)
    out[tuple(full)] = values[pos]
    return out


def densify_model(tflite_bytes):
    """Return (new tflite bytes, list of (tensor name, dense array, output tensor index))."""
    from tensorflow.lite.python import schema_py_generated as S
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.convert_bytearray_to_object(bytearray(tflite_bytes))
    assert len(model.subgraphs) == 1
    sg = model.subgraphs[0]
    np_types = {S.TensorType.FLOAT16: np.float16, S.TensorType.FLOAT32: np.float32,
                S.TensorType.INT8: np.int8}

    def op_name(op):
        oc = model.operatorCodes[op.opcodeIndex]
        code = max(int(oc.builtinCode), int(oc.deprecatedBuiltinCode))
        return code

    densified = []
    keep_ops = []
    for op in sg.operators:
        if op_name(op) != S.BuiltinOperator.DENSIFY:
            keep_ops.append(op)
            continue
        t_in = sg.tensors[op.inputs[0]]
        t_out = sg.tensors[op.outputs[0]]
        assert t_in.sparsity is not None and t_out.sparsity is None
        assert t_in.type == t_out.type
        dtype = np_types[t_in.type]
        raw = model.buffers[t_in.buffer].data
        values = np.frombuffer(bytes(bytearray(raw)), dtype=dtype)
        dense_shape = [int(x) for x in t_out.shape]
        dense = densify(values, t_in.sparsity, dense_shape)
        # a fresh buffer for the now-constant output tensor
        buf = S.BufferT()
        buf.data = np.frombuffer(np.ascontiguousarray(dense).astype(dense.dtype.newbyteorder("<")).tobytes(),
                                 dtype=np.uint8)
        model.buffers.append(buf)
        t_out.buffer = len(model.buffers) - 1
        densified.append((t_out.name.decode(), dense, op.outputs[0]))
    sg.operators = keep_ops

    # Sparse source tensors are now unused; drop their data so nothing tries to read them.
    used = set()
    for op in sg.operators:
        used.update(int(i) for i in op.inputs if i >= 0)
        used.update(int(i) for i in op.outputs)
    used.update(int(i) for i in sg.inputs)
    used.update(int(i) for i in sg.outputs)
    for ti, t in enumerate(sg.tensors):
        if ti not in used and t.sparsity is not None:
            t.sparsity = None
            model.buffers[t.buffer].data = None

    return bytes(flatbuffer_utils.convert_object_to_bytearray(model)), densified


def check_densified(orig_bytes, densified):
    """Compare each densified tensor with TFLite's own DENSIFY output, bit for bit."""
    import tensorflow as tf

    interp = tf.lite.Interpreter(
        model_content=orig_bytes,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
        experimental_preserve_all_tensors=True)
    interp.allocate_tensors()
    inp = interp.get_input_details()[0]
    interp.set_tensor(inp["index"], np.zeros(inp["shape"], dtype=inp["dtype"]))
    interp.invoke()
    nonzero = 0
    for name, dense, tidx in densified:
        ref = interp.get_tensor(tidx)
        if ref.shape != dense.shape or ref.dtype != dense.dtype or \
                not np.array_equal(ref.view(np.uint16), dense.view(np.uint16)):
            raise SystemExit(f"densified tensor {name} differs from TFLite's DENSIFY output")
        nonzero += int(np.count_nonzero(dense))
    if nonzero == 0:
        raise SystemExit("all densified tensors are zero: TFLite reference is broken")
    print(f"densify: {len(densified)} tensors equal to TFLite's DENSIFY outputs "
          f"({sum(d.size for _, d, _ in densified)} values, {nonzero} non-zero)")


# --------------------------------------------------------------------------------------
# 2-4. tf2onnx and deterministic naming
# --------------------------------------------------------------------------------------

def canonicalize(model, graph_name, input_name):
    """Rename graph I/O to the shipped names and every other generated name by position."""
    import onnx

    g = model.graph
    assert [i.name for i in g.input] == [TFLITE_INPUT], [i.name for i in g.input]
    assert sorted(o.name for o in g.output) == sorted(OUTPUT_RENAMES), [o.name for o in g.output]

    keep = {TFLITE_INPUT: input_name}
    keep.update(OUTPUT_RENAMES)
    mapping = dict(keep)

    # initializers: numbered in order of first use by the (topologically sorted) nodes
    init_by_name = {t.name: t for t in g.initializer}
    init_order = []
    for node in g.node:
        for name in node.input:
            if name in init_by_name and name not in mapping:
                mapping[name] = f"const_{len(init_order)}"
                init_order.append(name)
    unused = [n for n in init_by_name if n not in mapping]
    assert not unused, f"unused initializers: {unused[:5]}"

    # intermediate tensors: numbered in order of production
    for ni, node in enumerate(g.node):
        for k, name in enumerate(node.output):
            if name and name not in mapping:
                mapping[name] = f"t{ni}_{k}" if len(node.output) > 1 else f"t{ni}"
    assert len(set(mapping.values())) == len(mapping), "name clash after renaming"

    for ni, node in enumerate(g.node):
        node.name = f"{node.op_type}_{ni}"
        node.input[:] = [mapping[n] if n else n for n in node.input]
        node.output[:] = [mapping[n] if n else n for n in node.output]
    for t in g.initializer:
        t.name = mapping[t.name]
    inits = sorted(g.initializer, key=lambda t: int(t.name.split("_")[1]))
    del g.initializer[:]
    g.initializer.extend(inits)
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        vi.name = mapping[vi.name]
    # graph outputs in MediaPipe order: regressors first (index 0), classificators second
    outs = {o.name: o for o in g.output}
    ordered = [outs["regressors"], outs["classificators"]]
    copies = [onnx.ValueInfoProto() for _ in ordered]
    for c, o in zip(copies, ordered):
        c.CopyFrom(o)
    del g.output[:]
    g.output.extend(copies)
    # tf2onnx always imports ai.onnx.ml; drop opset imports that no node uses
    used_domains = {n.domain for n in g.node}
    ops = [o for o in model.opset_import if o.domain in ("", "ai.onnx") or o.domain in used_domains]
    del model.opset_import[:]
    model.opset_import.extend(ops)
    g.name = graph_name
    g.doc_string = ""
    model.doc_string = ""
    return model


def check_shapes(model, cfg):
    def dims(vi):
        return [d.dim_value if d.HasField("dim_value") else d.dim_param
                for d in vi.type.tensor_type.shape.dim]
    g = model.graph
    got = {"input": dims(g.input[0])}
    got.update({o.name: dims(o) for o in g.output})
    assert got == cfg["shapes"], (got, cfg["shapes"])


def convert(tflite_path):
    import tf2onnx

    model_proto, _ = tf2onnx.convert.from_tflite(tflite_path, opset=OPSET)
    return model_proto


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("out")
    ap.add_argument("--keep-intermediate", metavar="DIR")
    args = ap.parse_args()
    cfg = MODELS[args.model]

    import onnx

    src = extract_member("mediapipe", cfg["member"])
    orig = open(src, "rb").read()
    dense_bytes, densified = densify_model(orig)
    assert len(densified) == cfg["densify"], (len(densified), cfg["densify"])
    if densified:
        check_densified(orig, densified)
    else:
        dense_bytes = orig  # nothing to change: convert the original file as it is
        print("densify: no DENSIFY ops")

    with tempfile.TemporaryDirectory() as tmp:
        dense_path = os.path.join(args.keep_intermediate or tmp, f"{args.model}_dense.tflite")
        os.makedirs(os.path.dirname(dense_path), exist_ok=True)
        with open(dense_path, "wb") as f:
            f.write(dense_bytes)
        model = convert(dense_path)

    model = canonicalize(model, args.model, cfg["input"])
    check_shapes(model, cfg)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
