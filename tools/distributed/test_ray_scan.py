#!/usr/bin/env python3
"""End-to-end tests of tools/distributed/ray_scan.py on a local Ray instance.

Each sharded scan (the driver's local mode, --num-cpus 2) is compared with a single whole
`prescreen scan --no-cache` of the same file with the same flags: the parsed JSON reports
must be equal once summary.cache is removed, and so must the exit codes. Run by
tools/distributed/test.sh with the venv's python (the one that has Ray).
"""

import argparse
import base64
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DRIVER = REPO / "tools" / "distributed" / "ray_scan.py"
FORMATS = REPO / "fixtures" / "formats"
SEED = 20261205
GENERATED_LINES = 10_500
LONG_LINE_BYTES = 1 << 20


# --- a deterministic mixed JSONL file -------------------------------------------------

def png(width, height, color_type, pixels, palette=None):
    """A minimal 8-bit PNG, built by hand so the test needs no imaging library."""
    channels = {0: 1, 2: 3, 3: 1}[color_type]
    stride = width * channels
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    body = chunk(b"IHDR", ihdr)
    if palette is not None:
        body += chunk(b"PLTE", palette)
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def random_png(rng, color_type, width, height):
    channels = {0: 1, 2: 3, 3: 1}[color_type]
    if color_type == 3:
        colors = rng.randint(2, 16)
        palette = rng.randbytes(3 * colors)
        pixels = bytes(rng.randrange(colors) for _ in range(width * height))
        return png(width, height, 3, pixels, palette)
    return png(width, height, color_type, rng.randbytes(width * height * channels))


def data_uri(mime, data):
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_example(rng, uri, text):
    return json.dumps({"messages": [
        {"role": "system", "content": "Describe the image briefly."},
        {"role": "user", "content": [
            {"type": "text", "text": text},
            {"type": "image_url",
             "image_url": {"url": uri, "detail": rng.choice(["low", "high", "auto"])}},
        ]},
        {"role": "assistant", "content": f"A small picture, answer {rng.randrange(10**6)}."},
    ]})


def generated_lines(rng):
    """Lines as bytes without their terminators: valid image and text-only examples,
    broken and invalid lines, blank lines."""
    jpeg = (FORMATS / "rgb.jpg").read_bytes()
    webp = (FORMATS / "rgb.webp").read_bytes()
    lines = []
    for i in range(GENERATED_LINES):
        roll = rng.random()
        side = rng.randint(1, 12)
        if roll < 0.20:
            uri = data_uri("image/png", random_png(rng, 2, side, rng.randint(1, 12)))
        elif roll < 0.30:
            uri = data_uri("image/png", random_png(rng, 0, side, side))
        elif roll < 0.40:
            uri = data_uri("image/png", random_png(rng, 3, side, side))
        elif roll < 0.50:
            uri = data_uri("image/jpeg", jpeg)
        elif roll < 0.55:
            uri = data_uri("image/webp", webp)
        else:
            uri = None
        if uri is not None:
            lines.append(image_example(rng, uri, f"What is in picture {i}?").encode())
        elif roll < 0.80:
            lines.append(json.dumps({"messages": [
                {"role": "user", "content": f"Question {i}: {rng.randrange(10**9)}?"},
                {"role": "assistant", "content": "Ünïcödé answer — " * rng.randint(1, 5)},
            ]}, ensure_ascii=rng.random() < 0.5).encode())
        elif roll < 0.86:
            lines.append(rng.choice([b'{"messages": [', b"not json", b'{"messages": [}',
                                     b"[1, 2, 3]", b'{"messages": "\xc3\x28"}']))
        elif roll < 0.92:
            lines.append(rng.choice([
                b'{"messages": []}',
                b'{"messages": [{"role": "robot", "content": "hi"}]}',
                b'{"messages": [{"role": "user", "content": "no answer"}]}',
            ]))
        else:
            lines.append(rng.choice([b"", b"   ", b"\t"]))
    return lines


def write_generated(path):
    rng = random.Random(SEED)
    lines = generated_lines(rng)
    lines[0] = b"\xef\xbb\xbf" + image_example(
        rng, data_uri("image/png", random_png(rng, 2, 3, 3)), "BOM line").encode()
    lines[-1] = b'{"messages": [{"role": "user", "content": "last"}, ' \
        b'{"role": "assistant", "content": "no newline after me"}]}'
    ends = [b"\r\n" if rng.random() < 0.1 else b"\n" for _ in lines]
    ends[-1] = b""

    # Random pixels do not compress, so this PNG keeps the line over LONG_LINE_BYTES.
    side = int((LONG_LINE_BYTES * 3 / 4 / 3) ** 0.5) + 8
    long_line = image_example(
        rng, data_uri("image/png", random_png(rng, 2, side, side)), "long line").encode()
    assert len(long_line) >= LONG_LINE_BYTES
    # Put the long line across the first of three equal byte ranges' boundary, so that a
    # shard has to start in the middle of it and skip to the next line start.
    total = sum(map(len, lines)) + sum(map(len, ends)) + len(long_line) + 1
    prefix = 0
    for at, (line, end) in enumerate(zip(lines, ends)):
        if prefix + len(line) + len(end) > total / 3 - len(long_line) / 2:
            break
        prefix += len(line) + len(end)
    lines.insert(at, long_line)
    ends.insert(at, b"\n")
    with open(path, "wb") as out:
        for line, end in zip(lines, ends):
            out.write(line + end)
    return len(lines)


# --- running and comparing ------------------------------------------------------------

class Failure(Exception):
    pass


def run(cmd, env):
    started = time.monotonic()
    proc = subprocess.run([str(c) for c in cmd], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace")
    return proc, time.monotonic() - started


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}: only in the {'merged' if key in a else 'whole'} report"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        return None
    if a != b:
        return f"{path}: {json.dumps(a)[:200]} vs {json.dumps(b)[:200]}"
    return None


def load_report(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    # The only field a whole scan and a merge may legitimately disagree on.
    report.get("summary", {}).pop("cache", None)
    return report


class Suite:
    def __init__(self, prescreen, tmp):
        self.prescreen = Path(prescreen).resolve()
        self.tmp = Path(tmp)
        self.env = dict(os.environ, PRESCREEN_RESULT_CACHE="off", RAY_USAGE_STATS_ENABLED="0")

    def ray_scan(self, input_path, shards, out, *flags, scan_args=(), prescreen=None):
        cmd = [sys.executable, DRIVER, input_path, "--shards", shards, "--json", out,
               "--num-cpus", 2, "--prescreen", prescreen or self.prescreen, *flags,
               "--", *scan_args]
        return run(cmd, self.env)

    def whole_scan(self, input_path, out, scan_args):
        cmd = [self.prescreen, "scan", input_path, "--json", out, *scan_args]
        return run(cmd, self.env)

    def compare(self, name, input_path, shards, scan_args, flags=(), prescreen=None):
        merged = self.tmp / f"{name}-merged.json"
        whole = self.tmp / f"{name}-whole.json"
        sharded, sharded_s = self.ray_scan(input_path, shards, merged, *flags,
                                           scan_args=scan_args, prescreen=prescreen)
        single, single_s = self.whole_scan(input_path, whole, scan_args)
        print(f"  sharded ({shards} shards): exit {sharded.returncode} in {sharded_s:.1f} s; "
              f"whole: exit {single.returncode} in {single_s:.1f} s")
        if single.returncode == 2:
            raise Failure(f"the whole scan failed:\n{single.stderr[-3000:]}")
        if sharded.returncode != single.returncode:
            raise Failure(f"exit codes differ: sharded {sharded.returncode}, whole "
                          f"{single.returncode}\n{sharded.stderr[-3000:]}")
        difference = first_difference(load_report(merged), load_report(whole))
        if difference:
            raise Failure(f"the reports differ at {difference}")
        return sharded

    def test_demo_full_screening(self):
        demo = REPO / "fixtures" / "demo" / "train.jsonl"
        html = self.tmp / "demo-merged.html"
        self.compare("demo", demo, 3, ["--no-cache"], flags=["--html", html])
        if html.stat().st_size == 0:
            raise Failure(f"{html} is empty")

    def test_generated_mixed_file(self):
        mixed = self.tmp / "mixed.jsonl"
        lines = write_generated(mixed)
        print(f"  {mixed.name}: {lines} lines, {mixed.stat().st_size:,} bytes")
        self.compare("mixed", mixed, 3, ["--no-detect", "--no-cache"])

    def three_line_file(self):
        path = self.tmp / "three.jsonl"
        rng = random.Random(SEED)
        path.write_bytes(
            image_example(rng, data_uri("image/png", random_png(rng, 0, 4, 4)), "gray").encode()
            + b"\nnot json\n"
            + b'{"messages": [{"role": "user", "content": "hi"}, '
              b'{"role": "assistant", "content": "hello"}]}\n')
        return path

    def test_more_shards_than_lines(self):
        self.compare("three", self.three_line_file(), 5, ["--no-detect", "--no-cache"])

    def test_shard_retried_once(self):
        marker = self.tmp / "shard-2-failed-once"
        flaky = self.tmp / "flaky-prescreen"
        # Fails the first attempt at shard 2 only, like a node lost mid-scan.
        flaky.write_text(
            "#!/usr/bin/env bash\n"
            f'if [[ " $* " == *" --shard 2/3 "* && ! -e "{marker}" ]]; then\n'
            f'    touch "{marker}"; echo "injected failure" >&2; exit 2\n'
            "fi\n"
            f'exec "{self.prescreen}" "$@"\n')
        flaky.chmod(0o755)
        self.compare("flaky", self.three_line_file(), 3, ["--no-detect", "--no-cache"],
                     prescreen=flaky)
        if not marker.exists():
            raise Failure("the injected failure never ran")

    def test_failing_shard_exits_2(self):
        workdir = self.tmp / "failing-parts"
        proc, _ = self.ray_scan(self.three_line_file(), 2, self.tmp / "failing.json",
                                "--workdir", workdir, scan_args=["--no-such-flag"])
        if proc.returncode != 2:
            raise Failure(f"exit {proc.returncode}, expected 2\n{proc.stderr[-3000:]}")
        for needle in ("failed, retried once", "--no-such-flag", str(workdir)):
            if needle not in proc.stderr:
                raise Failure(f"stderr does not mention {needle!r}:\n{proc.stderr[-3000:]}")
        if "shard 1/2" not in proc.stderr and "shard 2/2" not in proc.stderr:
            raise Failure(f"stderr names no shard:\n{proc.stderr[-3000:]}")
        if not workdir.is_dir():
            raise Failure(f"{workdir} was not kept")

    def test_existing_output_refused(self):
        out = self.tmp / "existing.json"
        out.write_text("keep me")
        proc, _ = self.ray_scan(self.three_line_file(), 2, out, scan_args=["--no-detect"])
        if proc.returncode != 2 or "already exists" not in proc.stderr:
            raise Failure(f"exit {proc.returncode}, expected 2:\n{proc.stderr[-3000:]}")
        if out.read_text() != "keep me":
            raise Failure(f"{out} was overwritten")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prescreen", default=REPO / "target" / "debug" / "prescreen",
                        help="prescreen binary (default: target/debug/prescreen)")
    args = parser.parse_args()
    if not os.access(args.prescreen, os.X_OK):
        sys.exit(f"test_ray_scan: {args.prescreen} is not an executable file")

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="prescreen-ray-test-") as tmp:
        suite = Suite(args.prescreen, tmp)
        tests = [name for name in vars(Suite) if name.startswith("test_")]
        for name in tests:
            print(f"{name} ...", flush=True)
            started = time.monotonic()
            try:
                getattr(suite, name)()
            except Failure as err:
                failed += 1
                print(f"FAIL {name}: {err}", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {name}:\n{traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
    print(f"ray_scan: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
