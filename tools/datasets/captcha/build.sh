#!/usr/bin/env bash
# Rebuild fixtures/captcha/ (CAPTCHA-likeness development set) from pinned registry packages.
#
#   tools/datasets/captcha/build.sh        # venv /work/venv-captcha, cache /work/cache-captcha
#   VENV=... CACHE=... PYTHON=python3.11 tools/datasets/captcha/build.sh
#
# The images are committed; CI never runs this. It needs the PyPI index (pip) and
# Debian's archive (apt-get download; `apt-get update` is run once if a download fails).
# Nothing is installed system-wide: the font .deb files are only unpacked with
# `dpkg-deb -x` into the cache, and the scikit-image wheel is only read as a zip.
# The output is byte-identical from run to run (seeded randomness, pinned versions).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
VENV="${VENV:-/work/venv-captcha}"
CACHE="${CACHE:-/work/cache-captcha}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "warning: the pins in requirements.txt were made on Python 3.11" >&2
fi
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"

mkdir -p "$CACHE/debs"
# The scikit-image wheel only provides sample photos: download one fixed build, never install it.
"$VENV/bin/pip" download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 --implementation cp --abi cp311 -d "$CACHE" scikit-image==0.25.2

# Debian bookworm font packages (architecture all).
FONT_DEBS=(
    fonts-dejavu-core=2.37-6
    fonts-liberation2=2.1.5-1
    fonts-freefont-ttf=20120503-10
    fonts-roboto-unhinted=2:0~20170802-3
    fonts-open-sans=1.11-2
    fonts-lato=2.0-2.1
    fonts-crosextra-carlito=20220224-1
    fonts-inconsolata=001.010-6
    fonts-noto-mono=20201225-1
)
(
    cd "$CACHE/debs"
    chmod 777 . 2>/dev/null || true   # lets apt's sandbox user write here
    updated=0
    for spec in "${FONT_DEBS[@]}"; do
        name="${spec%%=*}"
        if ls "${name}"_*_all.deb >/dev/null 2>&1; then continue; fi
        if ! apt-get download "$spec"; then
            if [ "$updated" = 0 ]; then apt-get update -qq; updated=1; fi
            apt-get download "$spec"
        fi
    done
)
rm -rf "$CACHE/fonts"
mkdir -p "$CACHE/fonts"
for spec in "${FONT_DEBS[@]}"; do
    name="${spec%%=*}"
    dpkg-deb -x "$(ls "$CACHE/debs/${name}"_*_all.deb | head -n1)" "$CACHE/fonts"
done

"$VENV/bin/python" "$HERE/build_captcha.py" --fonts "$CACHE/fonts" --wheels "$CACHE" --out "$ROOT/fixtures/captcha"
