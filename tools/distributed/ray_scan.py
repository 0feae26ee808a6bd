#!/usr/bin/env python3
"""Scan one large JSONL file with prescreen on a Ray cluster, one task per shard.

Each task runs `prescreen scan INPUT --shard K/N --json WORKDIR/part-K-of-N.json` on
whichever node Ray picks; the driver then runs `prescreen merge` on the parts locally,
which writes the report a single whole scan would have written, and exits with merge's
exit code (0: the file will train, 1: it will not, 2: error).
"""

import argparse
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from pathlib import Path

# Forwarded to every task so workers on other nodes load the same ONNX Runtime and use the
# same cache settings as the driver (a worker's environment is its raylet's, not ours).
PASSED_ENV = ("ORT_DYLIB_PATH", "PRESCREEN_CACHE_DIR", "PRESCREEN_RESULT_CACHE")

# Scan flags the driver sets itself on each part scan; given again after `--`, prescreen
# would refuse the repeated flag on every shard, after the cluster had been started.
DRIVER_FLAGS = ("--shard", "--json", "--html", "--force", "-j", "--jobs")

STDERR_TAIL_LINES = 40
PR_SET_PDEATHSIG = 1

DESCRIPTION = """\
Scan INPUT with prescreen on a Ray cluster: the file is cut into N byte ranges aligned to
line starts, each scanned by one Ray task, and the parts are merged locally into the report
(and exit code) a single `prescreen scan INPUT` would have produced.

Without --address (or RAY_ADDRESS) a local Ray instance is started with --num-cpus CPUs.
"""

EPILOG = """\
running on an existing cluster:
  on the head node:     ray start --head
  on every other node:  ray start --address=HEAD:6379
  then, on any node:    ray_scan.py /shared/train.jsonl --shards 16 --json /shared/report.json \\
                            --address auto        (or --address HEAD:6379)
  Every node needs the same Ray and Python (tools/distributed/setup.sh builds the pinned
  environment), the prescreen binary at the same absolute path (the one resolved on this
  node, or --prescreen PATH) and, unless the scans get --no-detect, ONNX Runtime at the
  same path: ORT_DYLIB_PATH, PRESCREEN_CACHE_DIR and PRESCREEN_RESULT_CACHE are passed
  from this environment to every task (Ray runtime_env env_vars). A cluster with token
  authentication needs its token here too (~/.ray/auth_token or RAY_AUTH_TOKEN).

shared storage:
  INPUT must be an absolute path on storage every node sees at that path (or an http(s) URL,
  which each task fetches). The parts are written to --workdir, by default a new directory
  beside --json OUT, so it must be shared too. Existing part-K-of-N.json files in a given
  --workdir are overwritten. The workdir is removed once merged (unless --keep-parts) and
  kept when anything fails.

extra scan arguments:
  Everything after `--` is passed to every part scan (e.g. -- --no-detect --provider openai
  --no-cache). --shard, --json, --html, --force and -j/--jobs are set by this driver.

exit codes: merge's (0 will train, 1 will not), 2 on any error (a shard failing twice, a
missing binary or input, an existing output without --force).
"""


class ShardFailed(Exception):
    """A part scan that exited non-zero; raised in the task so Ray retries it."""


def die_with_parent():
    # Runs in the child before exec: a cancelled or killed Ray worker then takes its
    # prescreen with it instead of leaving it scanning on the node.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_shard(prescreen, input_path, k, n, part, jobs, extra):
    """Runs on a worker node: one part scan. Returns (K, exit code, stderr tail)."""
    # --force because a first attempt that failed half-way may have left its part behind.
    cmd = [prescreen, "scan", input_path, "--shard", f"{k}/{n}", "--json", part,
           "-j", str(jobs), "--force", *extra]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, preexec_fn=die_with_parent)
    except OSError as err:
        raise ShardFailed(f"cannot run {prescreen} on {socket.gethostname()}: {err}") from None
    tail = "\n".join(proc.stderr.decode("utf-8", "replace").splitlines()[-STDERR_TAIL_LINES:])
    if proc.returncode != 0:
        raise ShardFailed(f"prescreen scan exited {proc.returncode} on "
                          f"{socket.gethostname()}:\n{tail}")
    return k, proc.returncode, tail


def default_prescreen():
    on_path = shutil.which("prescreen")
    if on_path:
        return on_path
    repo = Path(__file__).resolve().parents[2]
    for profile in ("release", "debug"):
        candidate = repo / "target" / profile / "prescreen"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def split_argv(argv):
    if "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1:]
    return argv, []


def parse_args(argv):
    own, extra = split_argv(argv)
    parser = argparse.ArgumentParser(
        prog="ray_scan.py", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s INPUT --shards N --json OUT [options] [-- extra scan args...]")
    parser.add_argument("input", metavar="INPUT",
                        help="the JSONL file: an absolute path on storage every node sees, "
                             "or an http(s) URL")
    parser.add_argument("--shards", type=positive_int, required=True, metavar="N",
                        help="number of parts (Ray tasks) to cut INPUT into")
    parser.add_argument("--json", required=True, metavar="OUT",
                        help="write the merged JSON report here")
    parser.add_argument("--html", metavar="OUT", help="also write the merged HTML report here")
    parser.add_argument("--force", action="store_true", help="replace existing report files")
    parser.add_argument("--address", default=os.environ.get("RAY_ADDRESS"), metavar="ADDR",
                        help="Ray cluster to run on: 'auto' (the one started on this node) "
                             "or HEAD:6379 (default: RAY_ADDRESS; unset: start a local Ray "
                             "instance)")
    parser.add_argument("--num-cpus", type=positive_int, metavar="N",
                        help="CPUs of the local Ray instance (default: all cores); not with "
                             "--address")
    parser.add_argument("--cpus-per-task", type=positive_int, default=1, metavar="N",
                        help="CPUs Ray reserves for each part scan, which is also its -j "
                             "(default: 1)")
    parser.add_argument("--prescreen", metavar="PATH",
                        help="prescreen binary, at this same path on every node (default: "
                             "prescreen on PATH, else target/release or target/debug of this "
                             "repository)")
    parser.add_argument("--workdir", metavar="DIR",
                        help="directory for the parts, on shared storage (default: a new "
                             "directory beside OUT)")
    parser.add_argument("--keep-parts", action="store_true",
                        help="keep the parts after a successful merge")
    args = parser.parse_args(own)
    args.extra = extra
    for arg in extra:
        name = arg.split("=", 1)[0]
        if name in DRIVER_FLAGS or (arg.startswith("-j") and not arg.startswith("--")):
            parser.error(f"{name} after '--' is set by the driver itself; "
                         "use --json/--html/--force/--cpus-per-task instead")
    if args.address and args.num_cpus is not None:
        parser.error("--num-cpus sizes a local Ray instance; it cannot be used with "
                     f"--address {args.address} (or RAY_ADDRESS)")
    return args


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def fail(message):
    print(f"ray_scan: error: {message}", file=sys.stderr)
    sys.exit(2)


def check_outputs(args):
    for flag, path in (("--json", args.json), ("--html", args.html)):
        if path and path != "-" and os.path.exists(path) and not args.force:
            fail(f"{flag} {path} already exists (pass --force to replace it)")


def resolve_input(text):
    if text.startswith(("http://", "https://")):
        return text
    path = os.path.abspath(text)
    if not os.path.isfile(path):
        fail(f"input {text} is not a file")
    return path


def resolve_prescreen(text):
    if text is None:
        found = default_prescreen()
        if found is None:
            fail("no prescreen binary: not on PATH, and no target/release or target/debug "
                 "build in this repository; pass --prescreen PATH")
        text = found
    elif os.sep not in text:
        found = shutil.which(text)
        if found is None:
            fail(f"--prescreen {text}: not found on PATH")
        text = found
    path = os.path.abspath(text)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        fail(f"--prescreen {text} is not an executable file")
    return path


def task_env():
    env = {}
    for name in PASSED_ENV:
        value = os.environ.get(name)
        if value is None:
            continue
        # A task's working directory is a Ray session directory, not ours.
        if name != "PRESCREEN_RESULT_CACHE" and value and not os.path.isabs(value):
            value = os.path.abspath(value)
        env[name] = value
    return env


def make_workdir(args):
    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
        return os.path.abspath(args.workdir), False
    beside = os.path.dirname(os.path.abspath(args.json)) if args.json != "-" else os.getcwd()
    return tempfile.mkdtemp(prefix=".prescreen-ray-", dir=beside), True


def start_ray(ray, args):
    runtime_env = {"env_vars": task_env()}
    if args.address:
        where = f"the Ray cluster at {args.address}"
        kwargs = {"address": args.address}
    else:
        # A local instance is ours alone: keep Ray from reporting usage of a scan of
        # someone's training data unless the user opted in.
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        num_cpus = args.num_cpus or os.cpu_count() or 1
        if args.cpus_per_task > num_cpus:
            fail(f"--cpus-per-task {args.cpus_per_task} is more than the local instance's "
                 f"{num_cpus} CPUs (--num-cpus): no task could ever be scheduled")
        where = f"a local Ray instance with {num_cpus} CPUs"
        # address="local" so that a cluster already running on this machine is not joined.
        kwargs = {"address": "local", "num_cpus": num_cpus, "include_dashboard": False}
    try:
        ray.init(runtime_env=runtime_env, logging_level=logging.WARNING, **kwargs)
    except Exception as err:  # Ray raises ConnectionError, RuntimeError, ValueError...
        fail(f"cannot start {where}: {err}")
    print(f"ray_scan: running {args.shards} shards on {where}", file=sys.stderr, flush=True)


def scan_shards(ray, args, prescreen, input_path, parts):
    task = ray.remote(run_shard).options(
        num_cpus=args.cpus_per_task, max_retries=1, retry_exceptions=True,
        scheduling_strategy="SPREAD")
    n = args.shards
    started = time.monotonic()
    pending = {
        task.remote(prescreen, input_path, k, n, parts[k - 1], args.cpus_per_task,
                    args.extra): k
        for k in range(1, n + 1)
    }
    while pending:
        [ref], _ = ray.wait(list(pending), num_returns=1)
        k = pending.pop(ref)
        try:
            _, _, tail = ray.get(ref)
        except ray.exceptions.RayError as err:
            for other in pending:
                ray.cancel(other, force=True)
            # RayTaskError carries the task's own exception; a crashed worker has none.
            cause = getattr(err, "cause", None) or err
            fail(f"shard {k}/{n} failed, retried once: {cause}")
        print(f"ray_scan: shard {k}/{n} done ({time.monotonic() - started:.1f} s)",
              file=sys.stderr, flush=True)
        # A scan that succeeded may still have warned (e.g. about its node's setup).
        if tail:
            print(textwrap.indent(tail, "    "), file=sys.stderr, flush=True)


def merge(args, prescreen, parts):
    cmd = [prescreen, "merge", *parts, "--json", args.json]
    if args.html:
        cmd += ["--html", args.html]
    if args.force:
        cmd.append("--force")
    return subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode


def main(argv):
    args = parse_args(argv)
    check_outputs(args)
    input_path = resolve_input(args.input)
    prescreen = resolve_prescreen(args.prescreen)
    # Imported here so that --help and argument errors work without Ray installed.
    import ray

    start_ray(ray, args)
    try:
        workdir, created = make_workdir(args)
        parts = [os.path.join(workdir, f"part-{k}-of-{args.shards}.json")
                 for k in range(1, args.shards + 1)]
        try:
            scan_shards(ray, args, prescreen, input_path, parts)
        except BaseException:
            print(f"ray_scan: parts kept in {workdir}", file=sys.stderr)
            raise
    finally:
        ray.shutdown()
    code = merge(args, prescreen, parts)
    if code == 2:
        print(f"ray_scan: merge failed; parts kept in {workdir}", file=sys.stderr)
    elif args.keep_parts:
        print(f"ray_scan: parts kept in {workdir}", file=sys.stderr)
    elif created:
        shutil.rmtree(workdir)
    else:
        for part in parts:
            os.remove(part)
    return code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception:
        # Callers read exit 1 as "the file will not train": a crash must not look like that.
        traceback.print_exc()
        sys.exit(2)
