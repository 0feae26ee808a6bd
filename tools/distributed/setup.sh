#!/usr/bin/env bash
# Create the Python environment that runs tools/distributed/ray_scan.py (Ray and its pinned
# dependencies from tools/distributed/requirements.txt, hash-checked).
#
# The venv lives at
#   ${PRESCREEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prescreen}/venv-ray-<sha>/
# where <sha> is the first 12 hex digits of the sha256 of requirements.txt, so a changed
# requirements file gets a new venv and an old one is never half-upgraded. A marker file is
# written last; when it is there (and the venv's python still runs) nothing is done, so this
# is idempotent and cheap to call before every run. A venv left without its marker by an
# interrupted run is removed and built again.
#
# The last line on stdout is the absolute path of the venv's python; progress goes to stderr.
#
# Environment:
#   PRESCREEN_CACHE_DIR  cache root (default: $XDG_CACHE_HOME/prescreen or ~/.cache/prescreen)
#   PYTHON               python interpreter to build the venv from (default: python3); must
#                        be CPython 3.11, the only version requirements.txt has hashes for
# Supported: Linux x86_64 and aarch64 (the wheels whose hashes requirements.txt lists).
set -euo pipefail

PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$(cd "$(dirname "$0")" && pwd)/requirements.txt"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "distributed/setup: '$PYTHON' not found; CPython 3.11 (with venv and pip) is needed" >&2
    exit 1
fi
py_version="$("$PYTHON" -c 'import platform, sys; print(platform.python_implementation(), "%d.%d" % sys.version_info[:2])')"
if [ "$py_version" != "CPython 3.11" ]; then
    echo "distributed/setup: '$PYTHON' is ${py_version}; requirements.txt pins wheels for CPython 3.11 only" >&2
    echo "  set PYTHON to a CPython 3.11 interpreter" >&2
    exit 1
fi
if [ ! -f "$REQUIREMENTS" ]; then
    echo "distributed/setup: ${REQUIREMENTS} is missing" >&2
    exit 1
fi

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

REQ_SHA256="$(sha256_of "$REQUIREMENTS")"
CACHE_ROOT="${PRESCREEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/prescreen}"
case "$CACHE_ROOT" in /*) ;; *) CACHE_ROOT="${PWD}/${CACHE_ROOT}" ;; esac
VENV="${CACHE_ROOT}/venv-ray-${REQ_SHA256:0:12}"
VENV_PYTHON="${VENV}/bin/python"
MARKER="${VENV}/.prescreen-complete"

# Fast path: complete, built from these exact requirements, and its interpreter still runs
# (a venv points at the python it was made from, which may have been removed since).
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$REQ_SHA256" ] \
    && "$VENV_PYTHON" -c '' >/dev/null 2>&1; then
    echo "distributed/setup: ${VENV} already complete" >&2
    echo "$VENV_PYTHON"
    exit 0
fi

# A venv cannot be moved once made (its scripts hold its absolute path), so it is built in
# place; the lock keeps two concurrent runs from building into the same directory.
mkdir -p "$CACHE_ROOT"
exec 9>"${VENV}.lock"
flock 9
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$REQ_SHA256" ] \
    && "$VENV_PYTHON" -c '' >/dev/null 2>&1; then
    echo "distributed/setup: ${VENV} completed by a concurrent run" >&2
    echo "$VENV_PYTHON"
    exit 0
fi

if [ -e "$VENV" ]; then
    echo "distributed/setup: removing incomplete ${VENV}" >&2
    rm -rf "$VENV"
fi
echo "distributed/setup: creating ${VENV}" >&2
"$PYTHON" -m venv "$VENV" >&2
echo "distributed/setup: installing $(grep -c '^[A-Za-z]' "$REQUIREMENTS") pinned packages (hash-checked)" >&2
"$VENV_PYTHON" -m pip install \
    --disable-pip-version-check --no-input --quiet \
    --no-deps --only-binary=:all: --require-hashes \
    -r "$REQUIREMENTS" >&2
"$VENV_PYTHON" -c 'import ray' >&2
echo "$REQ_SHA256" > "$MARKER"
echo "distributed/setup: installed ray into ${VENV}" >&2
echo "$VENV_PYTHON"
