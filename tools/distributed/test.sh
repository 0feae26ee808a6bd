#!/usr/bin/env bash
# Tests of the Ray driver (tools/distributed/ray_scan.py): sharded scans on a local Ray
# instance, merged, compared with whole scans. CI runs this after the main test suite.
#
# Fetches ONNX Runtime (tools/fetch-onnxruntime.sh) and the pinned Ray venv
# (tools/distributed/setup.sh), both cached, and tests target/debug/prescreen, building
# it only when it is missing. Arguments are passed to test_ray_scan.py.
set -euo pipefail
cd "$(dirname "$0")/../.."

ORT_DYLIB_PATH="$(bash tools/fetch-onnxruntime.sh | tail -n 1)"
export ORT_DYLIB_PATH
RAY_PYTHON="$(bash tools/distributed/setup.sh | tail -n 1)"
if [ ! -x target/debug/prescreen ]; then
    cargo build --locked --bin prescreen
fi

# No result cache anywhere, so every comparison is between two real scans; and nothing
# reported by the local Ray instances.
export PRESCREEN_RESULT_CACHE=off
export RAY_USAGE_STATS_ENABLED=0
"$RAY_PYTHON" tools/distributed/test_ray_scan.py --prescreen "$PWD/target/debug/prescreen" "$@"
