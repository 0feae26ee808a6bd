#!/usr/bin/env bash
# Fetch the ONNX Runtime shared library used by prescreen (through `ort`, load-dynamic).
#
# Downloads the pinned PyPI wheel onnxruntime==1.32.0 with pip (no dependencies, binary
# only, platform tags pinned), checks the wheel's sha256, and extracts
# onnxruntime/capi/libonnxruntime.so.1.32.0 (plus the runtime's LICENSE) into
#   ${PRESCREEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prescreen}/onnxruntime-1.32.0/
# The extracted library's sha256 is checked too. Idempotent: if the library is already
# there with the expected sha256, nothing is downloaded.
#
# The last line on stdout is the absolute path of the library; progress goes to stderr.
#
# Environment:
#   PRESCREEN_CACHE_DIR  cache root (default: $XDG_CACHE_HOME/prescreen or ~/.cache/prescreen)
#   PRESCREEN_ORT_WHEEL  use this already-downloaded wheel file instead of running pip
#                        (its sha256 is still checked)
#   PYTHON               python interpreter to use (default: python3); needs pip unless
#                        PRESCREEN_ORT_WHEEL is set
# Supported: Linux x86_64 and aarch64.
set -euo pipefail

ORT_VERSION="1.32.0"
PYTHON="${PYTHON:-python3}"

os="$(uname -s)"
arch="$(uname -m)"
if [ "$os" != "Linux" ]; then
    echo "fetch-onnxruntime: unsupported OS '$os' (only Linux x86_64/aarch64 are pinned)" >&2
    exit 1
fi
case "$arch" in
    x86_64|amd64)
        PLATFORM="manylinux_2_28_x86_64"
        WHEEL_SHA256="5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d"
        LIB_SHA256="6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f"
        ;;
    aarch64|arm64)
        PLATFORM="manylinux_2_28_aarch64"
        WHEEL_SHA256="2303372a85299b6757b0e11e1cbf13e410ddf7e10c37f4b37e99d1c90e7daf7c"
        LIB_SHA256="49852228a93995158b2a813d4df487d47a1b76b0eaa894507ef49e91b6d7954a"
        ;;
    *)
        echo "fetch-onnxruntime: unsupported architecture '$arch' (only x86_64 and aarch64 are pinned)" >&2
        exit 1
        ;;
esac
WHEEL_NAME="onnxruntime-${ORT_VERSION}-cp311-cp311-${PLATFORM}.whl"
LIB_MEMBER="onnxruntime/capi/libonnxruntime.so.${ORT_VERSION}"
LICENSE_MEMBER="onnxruntime/LICENSE"

CACHE_ROOT="${PRESCREEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prescreen}"
case "$CACHE_ROOT" in /*) ;; *) CACHE_ROOT="${PWD}/${CACHE_ROOT}" ;; esac
DEST_DIR="${CACHE_ROOT}/onnxruntime-${ORT_VERSION}"
LIB_PATH="${DEST_DIR}/libonnxruntime.so.${ORT_VERSION}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "fetch-onnxruntime: '$PYTHON' not found; python3 (with pip) is needed to fetch ONNX Runtime" >&2
    exit 1
fi

sha256_of() {
    "$PYTHON" -c '
import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
print(h.hexdigest())
' "$1"
}

# Fast path: already installed and intact.
if [ -f "$LIB_PATH" ] && [ "$(sha256_of "$LIB_PATH")" = "$LIB_SHA256" ]; then
    echo "fetch-onnxruntime: ${LIB_PATH} already present (sha256 ok)" >&2
    echo "$LIB_PATH"
    exit 0
fi

mkdir -p "$DEST_DIR"
WORK="$(mktemp -d "${DEST_DIR}/.fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ -n "${PRESCREEN_ORT_WHEEL:-}" ]; then
    WHEEL="$PRESCREEN_ORT_WHEEL"
    echo "fetch-onnxruntime: using local wheel ${WHEEL}" >&2
else
    echo "fetch-onnxruntime: downloading onnxruntime==${ORT_VERSION} (${PLATFORM}) with pip" >&2
    "$PYTHON" -m pip download \
        --disable-pip-version-check --no-input --quiet \
        --no-deps --only-binary=:all: \
        --platform "$PLATFORM" --python-version 3.11 --implementation cp --abi cp311 \
        --dest "$WORK" \
        "onnxruntime==${ORT_VERSION}" >&2
    WHEEL="${WORK}/${WHEEL_NAME}"
fi
if [ ! -f "$WHEEL" ]; then
    echo "fetch-onnxruntime: expected wheel ${WHEEL} was not produced" >&2
    exit 1
fi

got="$(sha256_of "$WHEEL")"
if [ "$got" != "$WHEEL_SHA256" ]; then
    echo "fetch-onnxruntime: sha256 mismatch for $(basename "$WHEEL")" >&2
    echo "  expected ${WHEEL_SHA256}" >&2
    echo "  got      ${got}" >&2
    echo "  refusing to install it" >&2
    exit 1
fi
echo "fetch-onnxruntime: wheel sha256 ok" >&2

# Extract with python's zipfile (no unzip dependency) into the work dir, check, then move
# into place atomically.
"$PYTHON" - "$WHEEL" "$LIB_MEMBER" "$LICENSE_MEMBER" "$WORK" <<'PY'
import os, shutil, sys, zipfile
wheel, lib_member, license_member, out = sys.argv[1:5]
with zipfile.ZipFile(wheel) as z:
    for member, name in ((lib_member, "lib.tmp"), (license_member, "LICENSE.tmp")):
        with z.open(member) as src, open(os.path.join(out, name), "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY

got="$(sha256_of "${WORK}/lib.tmp")"
if [ "$got" != "$LIB_SHA256" ]; then
    echo "fetch-onnxruntime: sha256 mismatch for extracted ${LIB_MEMBER}" >&2
    echo "  expected ${LIB_SHA256}" >&2
    echo "  got      ${got}" >&2
    exit 1
fi
chmod 0755 "${WORK}/lib.tmp"
chmod 0644 "${WORK}/LICENSE.tmp"
mv -f "${WORK}/LICENSE.tmp" "${DEST_DIR}/LICENSE"
mv -f "${WORK}/lib.tmp" "$LIB_PATH"
echo "fetch-onnxruntime: installed ${LIB_PATH}" >&2
echo "$LIB_PATH"
