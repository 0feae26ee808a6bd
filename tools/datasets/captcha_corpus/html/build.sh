#!/usr/bin/env bash
# Rebuild the widgets/ and ui_neg/ parts of the CAPTCHA corpus (see README-html.md).
#
#   tools/datasets/captcha_corpus/html/build.sh [render.py args...]
#   VENV=... CACHE=... tools/datasets/captcha_corpus/html/build.sh --seed 13 --out /work/corpus/captcha
#
# Needs PyPI (pip) and Debian's archive (apt-get download); installs nothing system-wide except
# that chromium must be installed (apt-get install chromium). Fonts and opencv-doc are only
# unpacked with dpkg-deb -x into the cache; the sample-image wheels are only read as zips.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${VENV:-/work/.venvs/corpus-html}"
CACHE="${CACHE:-/work/cache-corpus-html}"
PY="${PYTHON:-python3}"

command -v chromium >/dev/null || { echo "chromium missing: apt-get install chromium" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q -r "$HERE/requirements-html.txt"

mkdir -p "$CACHE/wheels" "$CACHE/debs"
for spec in scikit-image==0.25.2 scikit-learn==1.6.1 matplotlib==3.10.1 scipy==1.9.3; do
    "$VENV/bin/pip" download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
        --python-version 3.11 --implementation cp --abi cp311 -d "$CACHE/wheels" "$spec"
done

DEBS=(
    fonts-dejavu-core=2.37-6 fonts-liberation2=2.1.5-1 fonts-freefont-ttf=20120503-10
    fonts-roboto-unhinted=2:0~20170802-3 fonts-open-sans=1.11-2 fonts-lato=2.0-2.1
    fonts-crosextra-carlito=20220224-1 fonts-cantarell=0.303.1-1 fonts-inter=4.0~beta7+ds-1
    fonts-firacode=6.2-2 fonts-urw-base35=20200910-7 fonts-texgyre=20180621-6
    fonts-comic-neue=2.51-4 fonts-hack=3.003-3 fonts-noto-mono=20201225-1
    fonts-noto-core=20201225-1 fonts-noto-cjk=1:20220127+repack1-1 fonts-cabin=1.5-3
    fonts-quicksand=0.2016-2.1 fonts-courier-prime=0+git20190115-3 fonts-sil-gentium=20081126:1.03-4
    opencv-doc=4.6.0+dfsg-12
)
(
    cd "$CACHE/debs"
    chmod 777 . 2>/dev/null || true
    updated=0
    for spec in "${DEBS[@]}"; do
        name="${spec%%=*}"
        if ls "${name}"_*_all.deb >/dev/null 2>&1; then continue; fi
        if ! apt-get download "$spec"; then
            if [ "$updated" = 0 ]; then apt-get update -qq; updated=1; fi
            apt-get download "$spec"
        fi
    done
)
if [ ! -d "$CACHE/fonts/usr/share/fonts" ]; then
    mkdir -p "$CACHE/fonts"
    for deb in "$CACHE"/debs/fonts-*_all.deb; do dpkg-deb -x "$deb" "$CACHE/fonts"; done
fi

cd "$HERE"
exec nice -n 10 "$VENV/bin/python" render.py --cache "$CACHE" "$@"
