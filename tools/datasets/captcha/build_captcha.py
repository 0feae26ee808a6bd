#!/usr/bin/env python3
"""Rebuild fixtures/captcha/ (labeled CAPTCHA-likeness development set).

    python build_captcha.py --fonts DIR --wheels DIR [--out fixtures/captcha]

--fonts is a directory into which the Debian font packages were unpacked with
`dpkg-deb -x` (so it holds usr/share/fonts/...), --wheels holds the
scikit-image wheel (read as a zip, never installed). The wrapper
tools/datasets/captcha/build.sh prepares both and the venv with the pinned
generators (requirements.txt beside this file).

Everything is seeded: each image has its own random.Random seeded with its
file name, libraries that use the global `random` module are reseeded before
each image, and the `captcha` package's use of `secrets` is redirected to a
seeded generator. Running the script twice gives byte-identical files.

Photos come from the committed screening set (fixtures/screening/images,
whose SOURCES.md / labels.csv give the registry package each one came from),
from the scikit-image wheel's skimage/data/ and from matplotlib's
mpl-data/sample_data/.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import math
import os
import random
import sys
import textwrap
import zipfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, ImageEnhance, ImageChops

import captcha
import captcha.image as captcha_image
import claptcha
import multicolorcaptcha
import wheezy.captcha.image as wheezy_image
import qrcode
import qrcode.constants
import segno
import barcode
from barcode.writer import ImageWriter
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pygments  # noqa: E402
from pygments.lexers import get_lexer_by_name  # noqa: E402
from pygments.styles import get_style_by_name  # noqa: E402
from pygments.token import Token  # noqa: E402
import PIL  # noqa: E402

from importlib.metadata import version as pkg_version  # noqa: E402

MAX_SIDE = 1024
JPEG_Q = 85

PKG = {n: pkg_version(n) for n in (
    "captcha", "claptcha", "multicolorcaptcha", "wheezy.captcha", "qrcode", "segno",
    "python-barcode", "matplotlib", "Pygments", "pillow", "numpy")}
SKIMAGE_VER = "0.25.2"


def gen_name(pkg: str) -> str:
    return f"{pkg}=={PKG[pkg]}"


PILLOW = gen_name("pillow")

# --------------------------------------------------------------------------
# Fonts (Debian bookworm packages, unpacked with dpkg-deb -x)
# --------------------------------------------------------------------------
DEB_FONT_PKGS = {
    "fonts-dejavu-core": "2.37-6",
    "fonts-liberation2": "2.1.5-1",
    "fonts-freefont-ttf": "20120503-10",
    "fonts-roboto-unhinted": "2:0~20170802-3",
    "fonts-open-sans": "1.11-2",
    "fonts-lato": "2.0-2.1",
    "fonts-crosextra-carlito": "20220224-1",
    "fonts-inconsolata": "001.010-6",
    "fonts-noto-mono": "20201225-1",
}
_T = "usr/share/fonts/truetype/"
FONT_FILES = {
    # key: (debian package, path in package)
    "DejaVuSans": ("fonts-dejavu-core", _T + "dejavu/DejaVuSans.ttf"),
    "DejaVuSans-Bold": ("fonts-dejavu-core", _T + "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVuSerif": ("fonts-dejavu-core", _T + "dejavu/DejaVuSerif.ttf"),
    "DejaVuSerif-Bold": ("fonts-dejavu-core", _T + "dejavu/DejaVuSerif-Bold.ttf"),
    "DejaVuSansMono": ("fonts-dejavu-core", _T + "dejavu/DejaVuSansMono.ttf"),
    "DejaVuSansMono-Bold": ("fonts-dejavu-core", _T + "dejavu/DejaVuSansMono-Bold.ttf"),
    "LiberationSans": ("fonts-liberation2", _T + "liberation2/LiberationSans-Regular.ttf"),
    "LiberationSans-Bold": ("fonts-liberation2", _T + "liberation2/LiberationSans-Bold.ttf"),
    "LiberationSerif": ("fonts-liberation2", _T + "liberation2/LiberationSerif-Regular.ttf"),
    "LiberationSerif-Bold": ("fonts-liberation2", _T + "liberation2/LiberationSerif-Bold.ttf"),
    "LiberationSerif-Italic": ("fonts-liberation2", _T + "liberation2/LiberationSerif-Italic.ttf"),
    "LiberationMono": ("fonts-liberation2", _T + "liberation2/LiberationMono-Regular.ttf"),
    "LiberationMono-Bold": ("fonts-liberation2", _T + "liberation2/LiberationMono-Bold.ttf"),
    "FreeSans": ("fonts-freefont-ttf", _T + "freefont/FreeSans.ttf"),
    "FreeSansBold": ("fonts-freefont-ttf", _T + "freefont/FreeSansBold.ttf"),
    "FreeSansBoldOblique": ("fonts-freefont-ttf", _T + "freefont/FreeSansBoldOblique.ttf"),
    "FreeSerif": ("fonts-freefont-ttf", _T + "freefont/FreeSerif.ttf"),
    "FreeSerifBold": ("fonts-freefont-ttf", _T + "freefont/FreeSerifBold.ttf"),
    "FreeSerifItalic": ("fonts-freefont-ttf", _T + "freefont/FreeSerifItalic.ttf"),
    "FreeMonoBold": ("fonts-freefont-ttf", _T + "freefont/FreeMonoBold.ttf"),
    "Roboto-Regular": ("fonts-roboto-unhinted", _T + "roboto/unhinted/RobotoTTF/Roboto-Regular.ttf"),
    "Roboto-Medium": ("fonts-roboto-unhinted", _T + "roboto/unhinted/RobotoTTF/Roboto-Medium.ttf"),
    "Roboto-Bold": ("fonts-roboto-unhinted", _T + "roboto/unhinted/RobotoTTF/Roboto-Bold.ttf"),
    "Roboto-Black": ("fonts-roboto-unhinted", _T + "roboto/unhinted/RobotoTTF/Roboto-Black.ttf"),
    "RobotoCondensed-Bold": ("fonts-roboto-unhinted", _T + "roboto/unhinted/RobotoCondensed-Bold.ttf"),
    "OpenSans-Regular": ("fonts-open-sans", _T + "open-sans/OpenSans-Regular.ttf"),
    "OpenSans-Semibold": ("fonts-open-sans", _T + "open-sans/OpenSans-Semibold.ttf"),
    "OpenSans-Bold": ("fonts-open-sans", _T + "open-sans/OpenSans-Bold.ttf"),
    "OpenSans-ExtraBold": ("fonts-open-sans", _T + "open-sans/OpenSans-ExtraBold.ttf"),
    "Lato-Regular": ("fonts-lato", _T + "lato/Lato-Regular.ttf"),
    "Lato-Bold": ("fonts-lato", _T + "lato/Lato-Bold.ttf"),
    "Lato-Black": ("fonts-lato", _T + "lato/Lato-Black.ttf"),
    "Lato-Italic": ("fonts-lato", _T + "lato/Lato-Italic.ttf"),
    "Carlito-Regular": ("fonts-crosextra-carlito", _T + "crosextra/Carlito-Regular.ttf"),
    "Carlito-Bold": ("fonts-crosextra-carlito", _T + "crosextra/Carlito-Bold.ttf"),
    "Inconsolata": ("fonts-inconsolata", _T + "inconsolata/Inconsolata.otf"),
    "NotoSansMono-Regular": ("fonts-noto-mono", _T + "noto/NotoSansMono-Regular.ttf"),
    "NotoSansMono-Bold": ("fonts-noto-mono", _T + "noto/NotoSansMono-Bold.ttf"),
}
FONTS_ROOT = ""

# UI (regular, bold) pairs
UI_FONTS = [
    ("Roboto-Regular", "Roboto-Medium"),
    ("Lato-Regular", "Lato-Bold"),
    ("OpenSans-Regular", "OpenSans-Semibold"),
    ("Carlito-Regular", "Carlito-Bold"),
    ("DejaVuSans", "DejaVuSans-Bold"),
    ("LiberationSans", "LiberationSans-Bold"),
    ("FreeSans", "FreeSansBold"),
]
# fonts handed to the text-CAPTCHA generators
CAPTCHA_FONTS = [
    "DejaVuSans-Bold", "DejaVuSerif-Bold", "DejaVuSansMono-Bold", "LiberationSans-Bold",
    "LiberationSerif-Bold", "LiberationMono-Bold", "FreeSansBold", "FreeSerifBold",
    "FreeMonoBold", "FreeSansBoldOblique", "Roboto-Black", "RobotoCondensed-Bold",
    "OpenSans-ExtraBold", "Lato-Black", "Carlito-Bold", "NotoSansMono-Bold",
]
MONO_FONTS = ["DejaVuSansMono", "LiberationMono", "Inconsolata", "NotoSansMono-Regular"]

_font_cache: dict = {}


def fpath(key: str) -> str:
    return os.path.join(FONTS_ROOT, FONT_FILES[key][1])


def F(key: str, size: float) -> ImageFont.FreeTypeFont:
    size = max(6, int(round(size)))
    k = (key, size)
    if k not in _font_cache:
        _font_cache[k] = ImageFont.truetype(fpath(key), size)
    return _font_cache[k]


def font_desc(*keys: str) -> str:
    seen = []
    for k in keys:
        d = f"{os.path.basename(FONT_FILES[k][1])} ({FONT_FILES[k][0]})"
        if d not in seen:
            seen.append(d)
    return "; ".join(seen)


# --------------------------------------------------------------------------
# Photos
# --------------------------------------------------------------------------
SCREENING_PHOTOS = [
    # fixtures/screening/images/<name> (colour photos without people, no NC licences)
    "neg_animal__bird.jpg", "neg_animal__cat_chelsea.jpg", "neg_animal__cows.jpg",
    "neg_animal__duck.jpg", "neg_animal__gorilla.jpg", "neg_animal__ground_squirrel.jpg",
    "neg_animal__horse_head.jpg", "neg_animal__kitten.jpg", "neg_animal__mandrill.jpg",
    "neg_animal__raccoon.jpg", "neg_animal__squirrel.jpg",
    "neg_landscape__aerial.jpg", "neg_landscape__building.jpg", "neg_landscape__castle.jpg",
    "neg_landscape__clouds.jpg", "neg_landscape__fields.jpg", "neg_landscape__house.jpg",
    "neg_landscape__launch_pad.jpg", "neg_landscape__leuven_street.jpg",
    "neg_landscape__meadow.jpg", "neg_landscape__power_lines.jpg", "neg_landscape__windmill.jpg",
    "neg_object__car_rear.jpg", "neg_object__circuit_board.jpg", "neg_object__coffee.jpg",
    "neg_object__desk_stuff.jpg", "neg_object__fruits.jpg", "neg_object__motorcycle.jpg",
    "neg_object__notebook.jpg", "neg_object__red_car.jpg", "neg_object__smarties.jpg",
    "neg_object__toy_train.jpg", "neg_texture__brick.jpg", "neg_texture__grass.jpg",
    "neg_statue__fountain_statues.jpg",
]
SKIMAGE_PHOTOS = {
    # member: licence per the skimage.data docstrings
    "astronaut.png": "public domain (NASA) per skimage docstring",
    "chelsea.png": "CC0 (Stefan van der Walt) per skimage docstring",
    "coffee.png": "CC0 (Rachel Michetti) per skimage docstring",
    "rocket.jpg": "public domain (SpaceX) per skimage docstring",
    "motorcycle_right.png": "Middlebury 2014 stereo set; no licence statement beyond the package's BSD-3-Clause",
    "camera.png": "CC0 (Lav Varshney) per skimage docstring",
    "logo.png": "scikit-image logo; package BSD-3-Clause",
    "color.png": "package BSD-3-Clause",
}
MPL_FILES = {
    "grace_hopper.jpg": "US Navy photograph, public domain; package Matplotlib licence (PSF-style)",
    "logo2.png": "Matplotlib logo; Matplotlib licence (PSF-style)",
}


class Photo:
    def __init__(self, key, img, source, license_):
        self.key, self.img, self.source, self.license = key, img, source, license_


PHOTOS: dict[str, Photo] = {}
TILE_KEYS: list[str] = []


def load_photos(repo_root: str, wheels: str):
    scr = os.path.join(repo_root, "fixtures/screening")
    lic = {}
    with open(os.path.join(scr, "labels.csv"), newline="") as f:
        for row in csv.DictReader(f):
            lic[os.path.basename(row["file"])] = (row["source"], row["license"])
    # the kitten photo carries drawn detection lines: not used as a tile
    no_tile = {"kitten"}
    for name in SCREENING_PHOTOS:
        img = Image.open(os.path.join(scr, "images", name)).convert("RGB")
        src, li = lic[name]
        key = name.split("__", 1)[1].rsplit(".", 1)[0]
        PHOTOS[key] = Photo(key, img, f"fixtures/screening/images/{name} (from {src})", li)
        if key not in no_tile:
            TILE_KEYS.append(key)
    whl = [f for f in sorted(os.listdir(wheels)) if f.startswith(f"scikit_image-{SKIMAGE_VER}-")]
    if not whl:
        sys.exit(f"scikit-image {SKIMAGE_VER} wheel not found in {wheels}")
    with zipfile.ZipFile(os.path.join(wheels, whl[0])) as z:
        for member, li in SKIMAGE_PHOTOS.items():
            data = z.read("skimage/data/" + member)
            img = Image.open(io.BytesIO(data))
            img.load()
            key = "sk_" + member.rsplit(".", 1)[0]
            PHOTOS[key] = Photo(key, img, f"pypi:scikit-image=={SKIMAGE_VER}:skimage/data/{member}", li)
    mpl_dir = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "sample_data")
    for member, li in MPL_FILES.items():
        img = Image.open(os.path.join(mpl_dir, member))
        img.load()
        key = "mpl_" + member.rsplit(".", 1)[0]
        PHOTOS[key] = Photo(key, img, f"pypi:{gen_name('matplotlib')}:matplotlib/mpl-data/sample_data/{member}", li)
    for k in ("sk_astronaut", "sk_chelsea", "sk_coffee", "sk_rocket", "sk_motorcycle_right"):
        PHOTOS[k].img = PHOTOS[k].img.convert("RGB")
        TILE_KEYS.append(k)


def rand_crop(rng, img, aspect, min_frac=0.45):
    """Random crop of img with the given aspect (w/h)."""
    W, H = img.size
    frac = rng.uniform(min_frac, 1.0)
    if W / H > aspect:
        ch = int(H * frac)
        cw = int(ch * aspect)
    else:
        cw = int(W * frac)
        ch = int(cw / aspect)
    cw, ch = max(8, min(cw, W)), max(8, min(ch, H))
    x = rng.randint(0, W - cw)
    y = rng.randint(0, H - ch)
    return img.crop((x, y, x + cw, y + ch))


def photo_tile(rng, key, w, h, min_frac=0.45):
    return rand_crop(rng, PHOTOS[key].img.convert("RGB"), w / h, min_frac).resize((w, h), Image.LANCZOS)


# --------------------------------------------------------------------------
# Output bookkeeping
# --------------------------------------------------------------------------
ROWS: list[dict] = []
OUT_IMAGES = ""


def seeded(name: str) -> random.Random:
    return random.Random("prescreen-captcha:" + name)


def np_rng(name: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little"))


def fit(img: Image.Image) -> Image.Image:
    if max(img.size) > MAX_SIDE:
        s = MAX_SIDE / max(img.size)
        img = img.resize((max(1, round(img.width * s)), max(1, round(img.height * s))), Image.LANCZOS)
    return img


def save(img, name, label, *, photo=False, generator="", font="", text="", source="", license_="", notes=""):
    img = fit(img.convert("RGB"))
    ext = "jpg" if photo else "png"
    fname = f"{name}.{ext}"
    path = os.path.join(OUT_IMAGES, fname)
    if photo:
        img.save(path, "JPEG", quality=JPEG_Q, optimize=True)
    else:
        img.save(path, "PNG", optimize=True)
    kind = label.split("_", 1)[1]
    ROWS.append({
        "file": f"images/{fname}", "label": label, "kind": kind,
        "is_captcha": 1 if label.startswith("captcha_") else 0,
        "generator": generator, "font": font, "text": text, "source": source,
        "license": license_, "notes": notes,
    })


def photos_source(keys):
    keys = list(dict.fromkeys(keys))
    return " | ".join(PHOTOS[k].source for k in keys), " | ".join(sorted(set(PHOTOS[k].license for k in keys)))


# --------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------
def tsize(draw, text, font):
    b = draw.textbbox((0, 0), text, font=font)
    return b[2] - b[0], b[3] - b[1]


def text_w(font, text):
    return font.getlength(text)


def draw_text_centered(draw, box, text, font, fill):
    x0, y0, x1, y1 = box
    draw.text(((x0 + x1) / 2, (y0 + y1) / 2), text, font=font, fill=fill, anchor="mm")


def refresh_icon(draw, cx, cy, r, color, width):
    bb = (cx - r, cy - r, cx + r, cy + r)
    draw.arc(bb, 40, 330, fill=color, width=width)
    a = math.radians(330)
    ex, ey = cx + r * math.cos(a), cy + r * math.sin(a)
    s = width * 1.8
    draw.polygon([(ex - s, ey - s * 0.2), (ex + s, ey - s * 0.6), (ex + s * 0.2, ey + s * 1.1)], fill=color)


def audio_icon(draw, cx, cy, r, color, width):
    draw.polygon([(cx - r, cy - r * 0.35), (cx - r * 0.5, cy - r * 0.35), (cx, cy - r * 0.8),
                  (cx, cy + r * 0.8), (cx - r * 0.5, cy + r * 0.35), (cx - r, cy + r * 0.35)], fill=color)
    for k in (0.5, 0.9):
        draw.arc((cx - r * k, cy - r * k, cx + r * k, cy + r * k), -50, 50, fill=color, width=max(1, width // 1))


def info_icon(draw, cx, cy, r, color, width, font):
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=color, width=width)
    draw.text((cx, cy + 1), "i", font=font, fill=color, anchor="mm")


def check_mark(draw, x, y, s, color, width):
    draw.line([(x, y + s * 0.5), (x + s * 0.38, y + s * 0.88), (x + s, y + s * 0.1)], fill=color, width=width, joint="curve")


def arrow_right(draw, cx, cy, s, color, width):
    draw.line([(cx - s, cy), (cx + s, cy)], fill=color, width=width)
    draw.line([(cx + s * 0.3, cy - s * 0.7), (cx + s, cy), (cx + s * 0.3, cy + s * 0.7)], fill=color, width=width, joint="curve")


def shadow_paste(base, im, xy, radius=6, offset=(0, 3), alpha=90):
    sh = Image.new("L", (im.width + radius * 4, im.height + radius * 4), 0)
    ImageDraw.Draw(sh).rectangle((radius * 2, radius * 2, radius * 2 + im.width, radius * 2 + im.height), fill=alpha)
    sh = sh.filter(ImageFilter.GaussianBlur(radius))
    black = Image.new("RGB", sh.size, (0, 0, 0))
    base.paste(black, (xy[0] - radius * 2 + offset[0], xy[1] - radius * 2 + offset[1]), sh)
    base.paste(im, xy)


THEMES = {
    "light": dict(bg=(255, 255, 255), page=(244, 245, 247), card=(255, 255, 255), border=(210, 212, 216),
                  text=(32, 33, 36), sub=(95, 99, 104), field=(255, 255, 255), chrome=(222, 225, 230),
                  tab=(255, 255, 255), addr=(241, 243, 244)),
    "dark": dict(bg=(32, 33, 36), page=(24, 25, 28), card=(40, 42, 46), border=(70, 72, 78),
                 text=(232, 234, 237), sub=(154, 160, 166), field=(30, 31, 34), chrome=(53, 54, 58),
                 tab=(32, 33, 36), addr=(32, 33, 36)),
}
ACCENTS = [(26, 115, 232), (0, 150, 136), (46, 125, 50), (106, 27, 154), (239, 108, 0), (211, 47, 47),
           (55, 71, 79), (0, 121, 191), (94, 53, 177), (0, 105, 92)]
SITES = ["example.com", "shop.example.org", "accounts.example.net", "portal.example.com",
         "forum.example.org", "mail.example.net", "tickets.example.com", "bank.example.org"]


def browser_page(rng, W, H, theme, title, url):
    """A browser window mock-up; returns (image, draw, content_top)."""
    t = THEMES[theme]
    img = Image.new("RGB", (W, H), t["page"])
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, W, 74), fill=t["chrome"])
    for i, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse((12 + i * 20, 11, 24 + i * 20, 23), fill=c)
    d.rounded_rectangle((84, 6, min(W - 20, 84 + 220), 34), radius=8, fill=t["tab"])
    tf = F("DejaVuSans", 12)
    d.text((98, 20), title[:28], font=tf, fill=t["text"], anchor="lm")
    d.rounded_rectangle((90, 42, W - 14, 66), radius=12, fill=t["addr"])
    d.text((108, 54), url, font=tf, fill=t["sub"], anchor="lm")
    for i in range(3):
        d.text((18 + i * 22, 54), "←→↻"[i], font=F("DejaVuSans", 14), fill=t["sub"], anchor="mm")
    return img, d, 74


def input_field(d, box, theme, placeholder="", font=None, value=""):
    t = THEMES[theme]
    d.rounded_rectangle(box, radius=4, fill=t["field"], outline=t["border"], width=1)
    if font is not None:
        txt, col = (value, t["text"]) if value else (placeholder, t["sub"])
        if txt:
            d.text((box[0] + 10, (box[1] + box[3]) / 2), txt, font=font, fill=col, anchor="lm")


def button(d, box, label, color, font, fg=(255, 255, 255), radius=4):
    d.rounded_rectangle(box, radius=radius, fill=color)
    draw_text_centered(d, box, label, font, fg)


def site_header(d, rng, W, top, theme, accent, font_b, name):
    d.rectangle((0, top, W, top + 48), fill=accent)
    d.text((20, top + 24), name, font=font_b, fill=(255, 255, 255), anchor="lm")
    f = F("DejaVuSans", 13)
    x = W - 20
    for item in reversed(["Home", "Products", "Help"]):
        x -= f.getlength(item)
        d.text((x, top + 24), item, font=f, fill=(255, 255, 255), anchor="lm")
        x -= 18
    return top + 48


SITE_NAMES = ["Northwind", "Bluepeak", "Orbitly", "Kestrel", "Fernwood", "Lumina", "Quillby", "Harborline",
              "Maplewood", "Solstice"]

# --------------------------------------------------------------------------
# Words / texts
# --------------------------------------------------------------------------
WORDS = ("the of and to in is that for it as with was on be by this are from at or an have not which "
         "but all were when we there can been has more if will one their would so other into its our "
         "time only new some could these two may first then do any like my now over such after also "
         "most made between many before must through back years where much your way well down should "
         "because each just those people how too little state good very make world still own see men "
         "work long get here both under never same last might day us great old year off come since "
         "against go came right used take three report meeting budget project team quarter review "
         "schedule delivery customer order account invoice service support update system process "
         "results committee proposal members office building river garden summer market village").split()


def sentence(rng, lo=6, hi=16):
    n = rng.randint(lo, hi)
    ws = [rng.choice(WORDS) for _ in range(n)]
    s = " ".join(ws)
    if rng.random() < 0.3 and n >= 5:
        i = rng.randint(2, n - 2)
        ws[i] = ws[i] + ","
        s = " ".join(ws)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", "?", ";"]).replace(";", ".")


def paragraph(rng, lo=3, hi=6):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def wrap_px(text, font, width):
    words = text.split()
    lines, cur = [], ""
    for w in words:
        t = (cur + " " + w).strip()
        if font.getlength(t) <= width:
            cur = t
        else:
            if cur:
                lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


CAPTCHA_ALPHABETS = {
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ23456789",
    "lower": "abcdefghjkmnpqrstuvwxyz23456789",
    "mixed": "ABCDEFGHJKLMNPQRSTUVWXYZabdefghjmnqrt23456789",
    "digits": "0123456789",
}


def captcha_text(rng, lo=4, hi=8, alpha=None):
    alpha = alpha or rng.choice(["upper", "upper", "mixed", "lower", "digits"])
    return "".join(rng.choice(CAPTCHA_ALPHABETS[alpha]) for _ in range(rng.randint(lo, hi)))


# --------------------------------------------------------------------------
# Text CAPTCHA generators (PyPI packages)
# --------------------------------------------------------------------------
class SeededSecrets:
    """Stands in for the `secrets` module inside captcha.image (seeded)."""

    def __init__(self, rng):
        self.rng = rng

    def randbelow(self, n):
        return self.rng.randrange(n)

    def choice(self, seq):
        return self.rng.choice(seq)

    def randbits(self, k):
        return self.rng.getrandbits(k)


def _pil_getsize(self, text, *args, **kwargs):
    # FreeTypeFont.getsize was removed in Pillow 10; claptcha 0.3.3 still calls it.
    l, t, r, b = self.getbbox(text, *args, **kwargs)
    return r, b


if not hasattr(ImageFont.FreeTypeFont, "getsize"):
    ImageFont.FreeTypeFont.getsize = _pil_getsize


def gen_lib_captcha(rng, text, fonts, w, h, sizes):
    captcha_image.secrets = SeededSecrets(rng)
    ic = captcha_image.ImageCaptcha(width=w, height=h, fonts=[fpath(k) for k in fonts], font_sizes=sizes)
    return ic.generate_image(text)


def gen_claptcha(rng, text, font, w, h, noise):
    random.seed(rng.getrandbits(64))
    c = claptcha.Claptcha(text, fpath(font), size=(w, h), margin=(rng.randint(10, 24), rng.randint(8, h // 4)),
                          noise=noise, resample=Image.BICUBIC)
    _, img = c.image
    return img.convert("RGB")


def gen_multicolor(rng, fonts, size_num, level, mode, multicolor, math_=False):
    random.seed(rng.getrandbits(64))
    g = multicolorcaptcha.CaptchaGenerator(size_num)
    g.l_fonts = [fpath(k) for k in fonts]
    if math_:
        cap = g.gen_math_captcha_image(difficult_level=level, multicolor=multicolor, allow_multiplication=True, margin=False)
        text = cap.equation_str
    else:
        cap = g.gen_captcha_image(difficult_level=level, chars_mode=mode, multicolor=multicolor, margin=False)
        text = cap.characters
    return cap.image.convert("RGB"), text


def gen_wheezy(rng, text, fonts, w, h, bg, fg, curve_color, noise_n, sizes):
    random.seed(rng.getrandbits(64))
    render = wheezy_image.captcha(
        drawings=[
            wheezy_image.background(bg),
            wheezy_image.text(fonts=[fpath(k) for k in fonts], font_sizes=sizes, color=fg,
                              drawings=[wheezy_image.warp(), wheezy_image.rotate(), wheezy_image.offset()]),
            wheezy_image.curve(color=curve_color),
            wheezy_image.noise(number=noise_n, color=curve_color),
            wheezy_image.smooth(),
        ],
        width=w, height=h)
    return render(list(text))


def colorize(img, fg, bg):
    g = ImageOps.grayscale(img)
    return ImageOps.colorize(g, black=fg, white=bg)


LIB_LICENSES = {
    "captcha": "captcha: BSD-3-Clause",
    "claptcha": "claptcha: MIT",
    "multicolorcaptcha": "multicolorcaptcha: GPL-3.0",
    "wheezy.captcha": "wheezy.captcha: MIT",
}


def font_license(keys):
    lic = {
        "fonts-dejavu-core": "Bitstream Vera licence + public domain (DejaVu)",
        "fonts-liberation2": "OFL-1.1",
        "fonts-freefont-ttf": "GPL-3+ with font exception",
        "fonts-roboto-unhinted": "Apache-2.0",
        "fonts-open-sans": "Apache-2.0",
        "fonts-lato": "OFL-1.1",
        "fonts-crosextra-carlito": "OFL-1.1",
        "fonts-inconsolata": "SIL Open Font License (Debian copyright: 'Open Font License 1.0')",
        "fonts-noto-mono": "OFL-1.1",
    }
    pk = list(dict.fromkeys(FONT_FILES[k][0] for k in keys))
    return "; ".join(f"{p}: {lic[p]}" for p in pk)


def make_text_captcha(rng, which):
    """Returns (img, text, generator, fonts, notes)."""
    if which == "captcha":
        text = captcha_text(rng, 4, 7)
        fonts = rng.sample(CAPTCHA_FONTS, rng.randint(1, 3))
        h = rng.choice([60, 70, 80, 90, 100])
        w = int(h * rng.uniform(2.4, 3.6)) + 12 * max(0, len(text) - 4)
        base = int(h * 0.7)
        sizes = (base, base + 6, base + 12)
        img = gen_lib_captcha(rng, text, fonts, w, h, sizes)
        return img, text, f"{gen_name('captcha')} ImageCaptcha", fonts, f"{w}x{h}, font sizes {sizes}"
    if which == "claptcha":
        text = captcha_text(rng, 4, 8)
        font = rng.choice(CAPTCHA_FONTS)
        h = rng.choice([60, 70, 80, 90, 110])
        w = int(h * rng.uniform(2.5, 3.2) * len(text) / 5)
        noise = rng.choice([0.0, 0.0, 0.2, 0.4])
        img = gen_claptcha(rng, text, font, w, h, noise)
        note = f"{w}x{h}, noise {noise}"
        if rng.random() < 0.5:
            fg = rng.choice([(20, 40, 120), (120, 20, 20), (20, 90, 40), (60, 20, 90), (0, 0, 0)])
            bg = rng.choice([(240, 236, 220), (225, 235, 245), (250, 250, 250), (235, 245, 230)])
            img = colorize(img, fg, bg)
            note += f", recoloured fg {fg} bg {bg}"
        return img, text, f"{gen_name('claptcha')} Claptcha", [font], note
    if which == "multicolorcaptcha":
        fonts = rng.sample(CAPTCHA_FONTS, rng.randint(2, 4))
        size_num = rng.choice([0, 0, 1, 1, 2])
        level = rng.randint(1, 4)
        mode = rng.choice(["ascii", "ascii", "hex", "nums"])
        multi = rng.random() < 0.5
        img, text = gen_multicolor(rng, fonts, size_num, level, mode, multi)
        return (img, text, f"{gen_name('multicolorcaptcha')} CaptchaGenerator.gen_captcha_image", fonts,
                f"size_num {size_num}, difficult_level {level}, chars_mode {mode}, multicolor {multi}")
    if which == "wheezy":
        text = captcha_text(rng, 4, 8)
        fonts = rng.sample(CAPTCHA_FONTS, rng.randint(1, 3))
        h = rng.choice([60, 75, 90, 100])
        w = int(h * 0.62 * len(text)) + 30
        bg = rng.choice(["#EEEECC", "#FFFFFF", "#E8F0FE", "#F5E6E8", "#E6F4EA", "#FFF8E1", "#222222"])
        fg = rng.choice(["#5C87B2", "#204060", "#8B1A1A", "#2E7D32", "#6A1B9A", "#333333", "#D35400"])
        if bg == "#222222":
            fg = rng.choice(["#F0F0F0", "#FFD54F", "#80DEEA"])
        cc = rng.choice([fg, "#5C87B2", "#999999", "#C0392B"])
        s = int(h * 0.8)
        img = gen_wheezy(rng, text, fonts, w, h, bg, fg, cc, rng.choice([30, 60, 100]), (s - 5, s, s + 5))
        return img, text, f"{gen_name('wheezy.captcha')} captcha()", fonts, f"{w}x{h}, bg {bg}, fg {fg}"
    raise ValueError(which)


def build_text():
    plan = (["captcha"] * 15 + ["claptcha"] * 14 + ["multicolorcaptcha"] * 13 + ["wheezy"] * 14)
    counters: dict = {}
    for i, which in enumerate(plan):
        counters[which] = counters.get(which, 0) + 1
        name = f"captcha_text__{which.replace('.', '')}_{counters[which]:02d}"
        rng = seeded(name)
        img, text, gen, fonts, notes = make_text_captcha(rng, which)
        save(img, name, "captcha_text", generator=gen, font=font_desc(*fonts), text=text,
             source="generated", license_=LIB_LICENSES[which if which != "wheezy" else "wheezy.captcha"] + "; " + font_license(fonts),
             notes=notes)
    # math CAPTCHAs from multicolorcaptcha
    for j in range(3):
        name = f"captcha_text__multicolorcaptcha_math_{j + 1:02d}"
        rng = seeded(name)
        fonts = rng.sample(CAPTCHA_FONTS, 3)
        img, text = gen_multicolor(rng, fonts, rng.choice([0, 1]), rng.randint(1, 3), "nums", rng.random() < 0.5, math_=True)
        save(img, name, "captcha_text", generator=f"{gen_name('multicolorcaptcha')} gen_math_captcha_image",
             font=font_desc(*fonts), text=text, source="generated",
             license_=LIB_LICENSES["multicolorcaptcha"] + "; " + font_license(fonts), notes="arithmetic CAPTCHA")
    build_text_forms()


FORM_LABELS = ["Enter the characters shown", "Enter the characters shown in the image",
               "Type the text you see in the image", "Enter the code shown above",
               "Please enter the characters shown", "Security check: type the characters below"]


def build_text_forms():
    gens = ["captcha", "claptcha", "multicolorcaptcha", "wheezy"]
    for i in range(12):
        name = f"captcha_text__webform_{i + 1:02d}"
        rng = seeded(name)
        which = gens[i % 4]
        cap, text, gen, fonts, notes = make_text_captcha(rng, which)
        theme = "dark" if i in (3, 8) else "light"
        t = THEMES[theme]
        reg, bold = rng.choice(UI_FONTS)
        W = rng.choice([720, 800, 900, 1000])
        H = int(W * rng.uniform(0.72, 0.9))
        accent = rng.choice(ACCENTS)
        site = rng.choice(SITE_NAMES)
        kind = rng.choice(["Sign in", "Create account", "Contact us", "Reset password"])
        img, d, top = browser_page(rng, W, H, theme, f"{kind} - {site}", "https://" + rng.choice(SITES) + "/" + kind.lower().replace(" ", "-"))
        top = site_header(d, rng, W, top, theme, accent, F(bold, 20), site)
        fs = rng.choice([14, 15, 16])
        f, fb = F(reg, fs), F(bold, fs)
        cw = rng.randint(340, 420)
        cx0 = (W - cw) // 2 + rng.randint(-60, 60)
        cy0 = top + rng.randint(20, 40)
        cap_h = rng.randint(54, 72)
        cap_w = int(cap.width * cap_h / cap.height)
        if cap_w > cw - 80:
            cap_w = cw - 80
            cap_h = int(cap.height * cap_w / cap.width)
        fields = {"Sign in": ["Email address", "Password"], "Create account": ["Name", "Email", "Password"],
                  "Contact us": ["Your name", "Email"], "Reset password": ["Email address"]}[kind]
        label = rng.choice(FORM_LABELS)
        nlab = len(wrap_px(label, fb, cw - 48))
        ch = 66 + len(fields) * (fs + 8 + 48) + nlab * (fs + 6) + 4 + cap_h + 10 + 48 + 38 + 24
        d.rounded_rectangle((cx0, cy0, cx0 + cw, cy0 + ch), radius=8, fill=t["card"], outline=t["border"])
        y = cy0 + 22
        d.text((cx0 + 24, y), kind, font=F(bold, fs + 8), fill=t["text"])
        y += 44
        for fl in fields:
            d.text((cx0 + 24, y), fl, font=f, fill=t["sub"])
            y += fs + 8
            input_field(d, (cx0 + 24, y, cx0 + cw - 24, y + 34), theme, font=f,
                        value=("jane.doe@example.com" if "mail" in fl.lower() else ("••••••••" if fl == "Password" else "")))
            y += 34 + 14
        for line in wrap_px(label, fb, cw - 48):
            d.text((cx0 + 24, y), line, font=fb, fill=t["text"])
            y += fs + 6
        y += 4
        capr = cap.resize((cap_w, cap_h), Image.LANCZOS)
        img.paste(capr, (cx0 + 24, y))
        d.rectangle((cx0 + 23, y - 1, cx0 + 24 + cap_w, y + cap_h), outline=t["border"])
        refresh_icon(d, cx0 + 24 + cap_w + 24, y + cap_h // 2, 10, t["sub"], 3)
        y += cap_h + 10
        input_field(d, (cx0 + 24, y, cx0 + 24 + min(220, cw - 48), y + 34), theme, placeholder="Characters", font=f)
        y += 48
        button(d, (cx0 + 24, y, cx0 + cw - 24, y + 38), kind if kind != "Contact us" else "Send", accent, fb)
        d.text((cx0 + 24, cy0 + ch + 14), "© 2024 " + site + " · Privacy · Help", font=F(reg, 12), fill=t["sub"])
        save(img, name, "captcha_text", generator=f"{gen} embedded in a {kind.lower()} form mock-up (Pillow)",
             font=font_desc(*fonts, reg, bold), text=text, source="generated",
             license_=LIB_LICENSES[which if which != "wheezy" else "wheezy.captcha"] + "; " + font_license(list(fonts) + [reg, bold]),
             notes=f"{theme} page {W}x{H}; label '{label}'; CAPTCHA {notes}")


# --------------------------------------------------------------------------
# Grid CAPTCHAs
# --------------------------------------------------------------------------
GRID_OBJECTS = ["traffic lights", "crosswalks", "buses", "bicycles", "cars", "motorcycles", "fire hydrants",
                "stairs", "bridges", "boats", "chimneys", "palm trees", "mountains or hills", "tractors",
                "parking meters", "animals", "cats"]
SINGULAR = {"traffic lights": "a traffic light", "crosswalks": "a crosswalk", "buses": "a bus", "bicycles": "a bicycle",
            "cars": "a car", "motorcycles": "a motorcycle", "fire hydrants": "a fire hydrant", "stairs": "stairs",
            "bridges": "a bridge", "boats": "a boat", "chimneys": "a chimney", "palm trees": "a palm tree",
            "mountains or hills": "a mountain or hill", "tractors": "a tractor", "parking meters": "a parking meter",
            "animals": "an animal", "cats": "a cat"}


def grid_widget(rng, n, style, theme, accent, reg, bold, scale):
    """reCAPTCHA/hCaptcha-like image-selection challenge. Returns (img, keys, wording)."""
    t = THEMES[theme]
    u = scale
    obj = rng.choice(GRID_OBJECTS)
    tile = int(rng.choice([96, 100, 110, 120]) * u) if n == 3 else int(rng.choice([76, 82, 90]) * u)
    gap = max(2, int(rng.choice([2, 4, 6]) * u))
    pad = int(8 * u)
    gw = n * tile + (n - 1) * gap
    W = gw + 2 * pad
    banner_h = int(rng.choice([96, 110, 120]) * u)
    foot_h = int(64 * u)
    H = pad + banner_h + pad + gw + foot_h
    img = Image.new("RGB", (W, H), t["card"])
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, W - 1, H - 1), outline=t["border"])
    bx0, by0, bx1, by1 = pad, pad, W - pad, pad + banner_h
    keys = []
    if style == "hcap":
        # white header with dark text and an example image
        d.rectangle((bx0, by0, bx1, by1), fill=accent)
        wording = rng.choice([f"Please click each image containing {SINGULAR.get(obj, obj)}",
                              f"Please click on all images containing {obj}",
                              f"Select all images with {obj}"])
        ex = int(banner_h - 16 * u)
        k = rng.choice(TILE_KEYS)
        keys.append(k)
        img.paste(photo_tile(rng, k, ex, ex), (bx1 - ex - int(8 * u), by0 + int(8 * u)))
        tw = bx1 - bx0 - ex - int(28 * u)
        f = F(bold, 17 * u)
        lines = wrap_px(wording, f, tw)
        y = by0 + (banner_h - len(lines) * 22 * u) / 2
        for ln in lines:
            d.text((bx0 + 12 * u, y), ln, font=f, fill=(255, 255, 255))
            y += 22 * u
    else:
        d.rectangle((bx0, by0, bx1, by1), fill=accent)
        first = rng.choice(["Select all images with", "Select all squares with", "Click all images containing"]) \
            if n == 3 else "Select all squares with"
        last = rng.choice(["Click verify once there are none left.", "If there are none, click skip",
                           "Click verify once there are none left", ""])
        f1, f2, f3 = F(reg, 14 * u), F(bold, 26 * u), F(reg, 13 * u)
        y = by0 + 12 * u
        d.text((bx0 + 16 * u, y), first, font=f1, fill=(255, 255, 255))
        y += 20 * u
        d.text((bx0 + 16 * u, y), obj, font=f2, fill=(255, 255, 255))
        y += 36 * u
        if last and y + 16 * u < by1:
            d.text((bx0 + 16 * u, y), last, font=f3, fill=(255, 255, 255))
        wording = f"{first} {obj}. {last}".strip()
    gx0, gy0 = pad, by1 + pad
    selected = set(rng.sample(range(n * n), rng.randint(0, 3)))
    if n == 4 and rng.random() < 0.8:
        k = rng.choice(TILE_KEYS)
        keys.append(k)
        big = photo_tile(rng, k, gw, gw, 0.6)
        for r in range(n):
            for c in range(n):
                x, y = c * (tile + gap), r * (tile + gap)
                img.paste(big.crop((x, y, x + tile, y + tile)), (gx0 + x, gy0 + y))
    else:
        pool = rng.sample(TILE_KEYS, n * n)
        for i in range(n * n):
            r, c = divmod(i, n)
            keys.append(pool[i])
            tl = photo_tile(rng, pool[i], tile, tile)
            img.paste(tl, (gx0 + c * (tile + gap), gy0 + r * (tile + gap)))
    for i in selected:
        r, c = divmod(i, n)
        x, y = gx0 + c * (tile + gap), gy0 + r * (tile + gap)
        # selected tiles shrink inside a white frame and get a tick badge
        inner = img.crop((x, y, x + tile, y + tile)).resize((int(tile * 0.8), int(tile * 0.8)), Image.LANCZOS)
        d.rectangle((x, y, x + tile - 1, y + tile - 1), fill=t["card"])
        img.paste(inner, (x + int(tile * 0.1), y + int(tile * 0.1)))
        rr = int(11 * u)
        d.ellipse((x + 2, y + 2, x + 2 + 2 * rr, y + 2 + 2 * rr), fill=(66, 133, 244))
        check_mark(d, x + 2 + rr * 0.5, y + 2 + rr * 0.55, rr, (255, 255, 255), max(2, int(2 * u)))
    fy = gy0 + gw + int(10 * u)
    d.line((0, fy - int(4 * u), W, fy - int(4 * u)), fill=t["border"])
    ic = t["sub"]
    cy = fy + foot_h / 2 - 6 * u
    refresh_icon(d, pad + 18 * u, cy, 10 * u, ic, max(2, int(3 * u)))
    audio_icon(d, pad + 54 * u, cy, 10 * u, ic, max(2, int(2 * u)))
    info_icon(d, pad + 90 * u, cy, 10 * u, ic, max(2, int(2 * u)), F(bold, 13 * u))
    lab = rng.choice(["VERIFY", "VERIFY", "SKIP", "NEXT", "Verify", "Check"])
    bw = int(max(100 * u, F(bold, 15 * u).getlength(lab) + 40 * u))
    button(d, (W - pad - bw, cy - 20 * u, W - pad, cy + 20 * u), lab, accent if style != "hcap" else (0, 131, 143),
           F(bold, 15 * u), radius=int(3 * u))
    if rng.random() < 0.2:
        d.text((pad + 112 * u, cy), "Please try again.", font=F(reg, 12 * u), fill=(211, 47, 47), anchor="lm")
    return img, keys, wording, obj


def build_grid():
    plan = [3] * 17 + [4] * 11
    for i, n in enumerate(plan):
        name = f"captcha_grid__{n}x{n}_{i + 1:02d}"
        rng = seeded(name)
        theme = "dark" if rng.random() < 0.2 else "light"
        accent = rng.choice(ACCENTS)
        reg, bold = rng.choice(UI_FONTS)
        style = "hcap" if (i % 4 == 3) else "rc"
        scale = rng.choice([1.0, 1.0, 1.25, 1.5]) if n == 3 else rng.choice([1.0, 1.2])
        img, keys, wording, obj = grid_widget(rng, n, style, theme, accent, reg, bold, scale)
        notes = f"{n}x{n} {style} style, {theme}, scale {scale}; '{wording}'"
        if i % 5 == 2:
            # overlay over a dimmed page mock-up
            W, H = max(800, img.width + 200), max(640, img.height + 160)
            page, d, top = browser_page(rng, W, H, theme, "Checking your browser", "https://" + rng.choice(SITES) + "/login")
            site_header(d, rng, W, top, theme, rng.choice(ACCENTS), F(bold, 20), rng.choice(SITE_NAMES))
            for k in range(8):
                d.text((40, top + 80 + k * 26), sentence(rng), font=F(reg, 15), fill=THEMES[theme]["text"])
            page = Image.blend(page, Image.new("RGB", page.size, (0, 0, 0)), 0.55)
            x = (W - img.width) // 2
            y = max(top + 10, (H - img.height) // 2)
            shadow_paste(page, img, (x, y), radius=8)
            img = page
            notes += "; challenge shown over a dimmed page"
        src, lic = photos_source(keys)
        save(img, name, "captcha_grid", photo=True, generator=f"composed ({PILLOW})", font=font_desc(reg, bold),
             text="", source=src, license_=lic + "; " + font_license([reg, bold]), notes=notes)


# --------------------------------------------------------------------------
# Checkbox CAPTCHAs
# --------------------------------------------------------------------------
BRANDS = ["reCAPTCHA", "CAPTCHA", "hCaptcha", "SecureCheck", "HumanGate", ""]
CHECK_LABELS = ["I'm not a robot", "I'm not a robot", "I am human", "Verify you are human",
                "Verify you are human", "Confirm you are not a robot"]


def logo_mark(d, cx, cy, r, kind, color, color2, width):
    if kind == "arrows":
        d.arc((cx - r, cy - r, cx + r, cy + r), 200, 340, fill=color, width=width)
        d.arc((cx - r, cy - r, cx + r, cy + r), 20, 160, fill=color2, width=width)
        d.arc((cx - r * 0.6, cy - r * 0.6, cx + r * 0.6, cy + r * 0.6), 110, 250, fill=color, width=width)
        for ang, col in ((340, color), (160, color2)):
            a = math.radians(ang)
            ex, ey = cx + r * math.cos(a), cy + r * math.sin(a)
            s = width * 1.4
            d.polygon([(ex - s, ey - s), (ex + s, ey - s), (ex, ey + s)] if ang == 340 else
                      [(ex - s, ey + s), (ex + s, ey + s), (ex, ey - s)], fill=col)
    elif kind == "cloud":
        d.ellipse((cx - r, cy - r * 0.2, cx - r * 0.1, cy + r * 0.6), fill=color)
        d.ellipse((cx - r * 0.6, cy - r * 0.75, cx + r * 0.4, cy + r * 0.4), fill=color)
        d.ellipse((cx - r * 0.05, cy - r * 0.45, cx + r, cy + r * 0.6), fill=color2)
        d.rectangle((cx - r * 0.6, cy + r * 0.1, cx + r * 0.6, cy + r * 0.6), fill=color)
    elif kind == "shield":
        d.polygon([(cx - r * 0.8, cy - r * 0.8), (cx + r * 0.8, cy - r * 0.8), (cx + r * 0.8, cy),
                   (cx, cy + r), (cx - r * 0.8, cy)], fill=color)
        check_mark(d, cx - r * 0.4, cy - r * 0.45, r * 0.8, (255, 255, 255), max(2, width // 2))
    elif kind == "hbox":
        d.rounded_rectangle((cx - r, cy - r, cx + r, cy + r), radius=r * 0.3, fill=color)
        d.text((cx, cy), "h", font=F("DejaVuSans-Bold", r * 1.4), fill=(255, 255, 255), anchor="mm")


def checkbox_widget(rng, theme, reg, bold, scale, state):
    t = THEMES[theme]
    u = scale * 2  # drawn at 2x, downscaled at the end
    W, H = int(rng.choice([300, 304, 320, 340]) * u), int(rng.choice([74, 78, 65]) * u)
    label = rng.choice(CHECK_LABELS)
    W = max(W, int((14 + 28 + 12 + 92) * u + F(reg, 15 * u).getlength(label)))
    bg = (249, 249, 249) if theme == "light" else (34, 34, 34)
    bd = (211, 211, 211) if theme == "light" else (80, 80, 80)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, W - 1, H - 1), radius=int(3 * u), fill=bg, outline=bd, width=max(1, int(u)))
    bs = int(28 * u)
    bx, by = int(14 * u), (H - bs) // 2
    if state == "checked":
        check_mark(d, bx, by, bs, (0, 158, 85), int(4 * u))
    elif state == "spinner":
        d.arc((bx, by, bx + bs, by + bs), rng.randint(0, 90), rng.randint(200, 300), fill=(66, 133, 244), width=int(4 * u))
    else:
        d.rounded_rectangle((bx, by, bx + bs, by + bs), radius=int(2 * u), fill=(255, 255, 255) if theme == "light" else (20, 20, 20),
                            outline=(193, 193, 193) if theme == "light" else (120, 120, 120), width=int(2 * u))
    f = F(reg, 15 * u)
    d.text((bx + bs + 12 * u, H / 2), label, font=f, fill=t["text"] if theme == "dark" else (0, 0, 0), anchor="lm")
    kind = rng.choice(["arrows", "cloud", "shield", "hbox"])
    brand = rng.choice(BRANDS)
    lx = W - 40 * u
    logo_mark(d, lx, H / 2 - 9 * u, 14 * u, kind, rng.choice([(28, 58, 169), (244, 129, 32), (0, 131, 143), (66, 133, 244)]),
              rng.choice([(66, 133, 244), (171, 171, 171), (250, 173, 63)]), int(4 * u))
    sf = F(reg, 8.5 * u)
    if brand:
        d.text((lx, H / 2 + 12 * u), brand, font=F(reg, 9.5 * u), fill=t["sub"], anchor="mm")
    d.text((lx, H / 2 + (23 if brand else 14) * u), "Privacy - Terms", font=sf, fill=t["sub"], anchor="mm")
    img = img.resize((W // 2, H // 2), Image.LANCZOS)
    return img, label, brand, kind


def build_checkbox():
    for i in range(22):
        name = f"captcha_checkbox__{i + 1:02d}"
        rng = seeded(name)
        theme = "dark" if i % 4 in (1, 2) and i % 8 < 4 else "light"
        reg, bold = rng.choice(UI_FONTS)
        scale = rng.choice([1.0, 1.0, 1.25, 1.5, 2.0])
        state = rng.choice(["unchecked", "unchecked", "unchecked", "checked", "spinner"])
        w, label, brand, mark = checkbox_widget(rng, theme, reg, bold, scale, state)
        notes = f"{theme}, scale {scale}, {state}, mark '{mark}', brand '{brand}'"
        t = THEMES[theme]
        mode = i % 3  # 0 alone, 1 in a form, 2 interstitial page
        if mode == 0:
            m = rng.randint(6, 40)
            img = Image.new("RGB", (w.width + 2 * m, w.height + 2 * m), t["bg"])
            img.paste(w, (m, m))
            notes += "; widget alone"
        else:
            W = rng.choice([760, 860, 960])
            H = int(W * rng.uniform(0.65, 0.85))
            site = rng.choice(SITE_NAMES)
            accent = rng.choice(ACCENTS)
            if mode == 1:
                kind = rng.choice(["Sign in", "Create account", "Contact us", "Newsletter"])
                img, d, top = browser_page(rng, W, H, theme, f"{kind} - {site}", "https://" + rng.choice(SITES) + "/form")
                top = site_header(d, rng, W, top, theme, accent, F(bold, 20), site)
                f = F(reg, 15)
                cw = max(w.width + 48, 380)
                cx0 = (W - cw) // 2
                y = top + 30
                d.text((cx0, y), kind, font=F(bold, 24), fill=t["text"])
                y += 46
                for fl in ["Email", "Password"] if kind != "Contact us" else ["Name", "Email", "Message"]:
                    d.text((cx0, y), fl, font=f, fill=t["sub"])
                    y += 22
                    input_field(d, (cx0, y, cx0 + cw, y + 34), theme)
                    y += 48
                img.paste(w, (cx0, y))
                y += w.height + 16
                button(d, (cx0, y, cx0 + 160, y + 38), "Submit" if kind != "Sign in" else "Sign in", accent, F(bold, 15))
                notes += f"; in a {kind.lower()} form"
            else:
                img, d, top = browser_page(rng, W, H, theme, "Just a moment...", "https://" + rng.choice(SITES) + "/")
                host = rng.choice(SITES)
                y = top + 50
                d.text((60, y), host, font=F(bold, 30), fill=t["text"])
                y += 50
                d.text((60, y), rng.choice(["Verify you are human by completing the action below.",
                                            "Checking if the site connection is secure",
                                            "Please confirm you are a human to continue."]), font=F(reg, 17), fill=t["text"])
                y += 44
                img.paste(w, (60, y))
                y += w.height + 40
                d.text((60, y), f"{host} needs to review the security of your connection before proceeding.",
                       font=F(reg, 15), fill=t["sub"])
                d.text((W // 2, H - 30), "Ray ID: " + "".join(rng.choice("0123456789abcdef") for _ in range(16)) +
                       " · Performance & security", font=F(reg, 12), fill=t["sub"], anchor="mm")
                notes += "; on an interstitial check page"
        save(img, name, "captcha_checkbox", generator=f"composed ({PILLOW})", font=font_desc(reg, bold), text="",
             source="generated", license_="generated; " + font_license([reg, bold]), notes=f"label '{label}'; " + notes)


# --------------------------------------------------------------------------
# Puzzle / slider CAPTCHAs
# --------------------------------------------------------------------------
def jigsaw_mask(size, rng, ss=4):
    """Jigsaw piece mask: square body with 1-2 knobs and maybe a hole (returns L image of size x size)."""
    S = size * ss
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    b = S * 0.2  # body inset leaves room for knobs
    body = (b, b, S - b, S - b)
    d.rectangle(body, fill=255)
    kr = S * 0.13
    side = (S - 2 * b)
    mid = S / 2
    knobs = [("top", True), ("right", True)] + [(rng.choice(["left", "bottom"]), False)]
    for where, out in knobs:
        if where == "top":
            c = (mid, b - kr * 0.4 if out else b + kr * 0.4)
        elif where == "right":
            c = (S - b + kr * 0.4 if out else S - b - kr * 0.4, mid)
        elif where == "left":
            c = (b + kr * 0.4, mid)
        else:
            c = (mid, S - b - kr * 0.4)
        d.ellipse((c[0] - kr, c[1] - kr, c[0] + kr, c[1] + kr), fill=255 if out else 0)
    del side
    return m.resize((size, size), Image.LANCZOS)


PUZZLE_TEXTS = ["Drag the slider to complete the puzzle", "Slide to verify", "Slide to complete the puzzle",
                "Drag the puzzle piece into place", "Slide right to fit the piece"]


def puzzle_widget(rng, theme, reg, bold, accent, scale):
    t = THEMES[theme]
    u = scale
    iw = int(rng.choice([280, 300, 320, 340]) * u)
    ih = int(iw * rng.uniform(0.5, 0.62))
    pad = int(rng.choice([10, 14, 16]) * u)
    header = rng.random() < 0.6
    hh = int(44 * u) if header else 0
    track_h = int(rng.choice([38, 40, 44]) * u)
    foot = int(36 * u) if rng.random() < 0.6 else 0
    W = iw + 2 * pad
    H = pad + hh + ih + int(14 * u) + track_h + pad + foot
    img = Image.new("RGB", (W, H), t["card"])
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, W - 1, H - 1), outline=t["border"])
    txt = rng.choice(PUZZLE_TEXTS)
    if header:
        htxt = rng.choice(["Please complete the security verification", "Verify you are human",
                           "Drag the slider to complete the puzzle", "Security check"])
        hs = 15 * u
        while F(bold, hs).getlength(htxt) > W - 2 * pad - 30 * u and hs > 9:
            hs -= 0.5
        d.text((pad, pad + hh / 2 - 4 * u), htxt, font=F(bold, hs), fill=t["text"], anchor="lm")
        d.text((W - pad - 8 * u, pad + hh / 2 - 4 * u), "×", font=F("DejaVuSans", 20 * u), fill=t["sub"], anchor="mm")
    k = rng.choice(TILE_KEYS)
    photo = photo_tile(rng, k, iw, ih, 0.5)
    ps = int(ih * rng.uniform(0.32, 0.42))
    mask = jigsaw_mask(ps, rng)
    gx = rng.randint(int(iw * 0.45), iw - ps - 4)
    gy = rng.randint(4, ih - ps - 4)
    piece = photo.crop((gx, gy, gx + ps, gy + ps))
    # gap: darkened / whitened hole with a light outline
    shade = rng.choice(["dark", "light"])
    hole = Image.new("RGB", (ps, ps), (0, 0, 0) if shade == "dark" else (255, 255, 255))
    region = photo.crop((gx, gy, gx + ps, gy + ps))
    photo.paste(Image.blend(region, hole, 0.55), (gx, gy), mask)
    edge = ImageChops.subtract(mask, mask.filter(ImageFilter.MinFilter(3)))
    photo.paste(Image.new("RGB", (ps, ps), (255, 255, 255)), (gx, gy), edge)
    progress = rng.choice([0.0, 0.0, 0.0, rng.uniform(0.1, 0.6)])
    px = int(4 * u + progress * (gx - 4 * u))
    sh = Image.new("L", (ps, ps), 0)
    sh.paste(mask.filter(ImageFilter.GaussianBlur(3)), (0, 0))
    photo.paste(Image.new("RGB", (ps, ps), (0, 0, 0)), (px + 2, gy + 3), sh.point(lambda v: v * 0.6))
    photo.paste(piece, (px, gy), mask)
    photo.paste(Image.new("RGB", (ps, ps), rng.choice([(255, 255, 255), (255, 235, 59)])), (px, gy), edge)
    img.paste(photo, (pad, pad + hh))
    ty = pad + hh + ih + int(14 * u)
    tx0, tx1 = pad, W - pad
    rad = int(rng.choice([4, track_h // 2]))
    d.rounded_rectangle((tx0, ty, tx1, ty + track_h), radius=rad, fill=(238, 241, 245) if theme == "light" else (58, 60, 66),
                        outline=t["border"])
    hw = int(track_h * rng.uniform(1.0, 1.3))
    hx = tx0 + int(progress * (gx - 4 * u))
    if progress > 0:
        d.rounded_rectangle((tx0, ty, hx + hw, ty + track_h), radius=rad, fill=(accent[0] // 2 + 110, accent[1] // 2 + 110, accent[2] // 2 + 110),
                            outline=accent)
    else:
        draw_text_centered(d, (tx0 + hw, ty, tx1, ty + track_h), txt, F(reg, 14 * u), t["sub"])
    d.rounded_rectangle((hx, ty, hx + hw, ty + track_h), radius=rad, fill=accent if progress > 0 or rng.random() < 0.5 else (255, 255, 255),
                        outline=t["border"])
    hc = (255, 255, 255) if progress > 0 or d.im.getpixel((hx + hw // 2, ty + 3))[:3] != (255, 255, 255) else (90, 90, 90)
    if rng.random() < 0.5:
        arrow_right(d, hx + hw / 2, ty + track_h / 2, track_h * 0.22, hc, max(2, int(3 * u)))
    else:
        d.text((hx + hw / 2, ty + track_h / 2), "»" if rng.random() < 0.5 else "→", font=F("DejaVuSans-Bold", 20 * u), fill=hc, anchor="mm")
    if foot:
        fy = ty + track_h + pad + foot / 2 - 4 * u
        refresh_icon(d, pad + 12 * u, fy, 9 * u, t["sub"], max(2, int(2 * u)))
        info_icon(d, pad + 44 * u, fy, 9 * u, t["sub"], max(1, int(2 * u)), F(bold, 11 * u))
        if rng.random() < 0.5:
            d.text((W - pad, fy), rng.choice(["Privacy - Terms", "Feedback", "Powered by SliderCheck"]), font=F(reg, 11 * u),
                   fill=t["sub"], anchor="rm")
    return img, k, txt, progress


def build_puzzle():
    for i in range(22):
        name = f"captcha_puzzle__{i + 1:02d}"
        rng = seeded(name)
        theme = "dark" if i % 4 == 2 else "light"
        reg, bold = rng.choice(UI_FONTS)
        accent = rng.choice(ACCENTS)
        scale = rng.choice([1.0, 1.0, 1.25, 1.5])
        w, k, txt, prog = puzzle_widget(rng, theme, reg, bold, accent, scale)
        notes = f"{theme}, scale {scale}, slider progress {prog:.2f}; '{txt}'"
        if i % 3 == 1:
            W, H = max(800, w.width + 240), max(620, w.height + 180)
            page, d, top = browser_page(rng, W, H, theme, "Security check", "https://" + rng.choice(SITES) + "/verify")
            site_header(d, rng, W, top, theme, rng.choice(ACCENTS), F(bold, 20), rng.choice(SITE_NAMES))
            for j in range(10):
                d.text((40, top + 80 + j * 26), sentence(rng), font=F(reg, 15), fill=THEMES[theme]["text"])
            page = Image.blend(page, Image.new("RGB", page.size, (0, 0, 0)), 0.5)
            x, y = (W - w.width) // 2, max(top + 10, (H - w.height) // 2)
            shadow_paste(page, w, (x, y), radius=8)
            img = page
            notes += "; over a dimmed page"
        else:
            m = rng.randint(0, 24)
            img = Image.new("RGB", (w.width + 2 * m, w.height + 2 * m), THEMES[theme]["bg"])
            img.paste(w, (m, m))
        src, lic = photos_source([k])
        save(img, name, "captcha_puzzle", photo=True, generator=f"composed ({PILLOW})", font=font_desc(reg, bold),
             text="", source=src, license_=lic + "; " + font_license([reg, bold]), notes=notes)


# --------------------------------------------------------------------------
# Negatives
# --------------------------------------------------------------------------
NAMES = ["Maria Novak", "James Okafor", "Li Wei", "Sofia Rossi", "Daniel Berg", "Aisha Khan", "Tom Evans"]
STREETS = ["12 Harbour Road", "48 Linden Street", "7 Mill Lane", "230 Elm Avenue", "3 Station Square"]


def doc_page(rng, W, H, bg=(255, 255, 255)):
    img = Image.new("RGB", (W, H), bg)
    return img, ImageDraw.Draw(img)


def build_documents():
    kinds = ["paragraphs", "letter", "invoice", "article", "paragraphs", "letter", "invoice", "receipt", "form", "scan"]
    for i, kind in enumerate(kinds):
        name = f"neg_document__{kind}_{i + 1:02d}"
        rng = seeded(name)
        serif = rng.random() < 0.5
        reg = rng.choice(["LiberationSerif", "DejaVuSerif", "FreeSerif"]) if serif else rng.choice(["LiberationSans", "DejaVuSans", "Carlito-Regular", "Lato-Regular", "OpenSans-Regular"])
        bold = {"LiberationSerif": "LiberationSerif-Bold", "DejaVuSerif": "DejaVuSerif-Bold", "FreeSerif": "FreeSerifBold",
                "LiberationSans": "LiberationSans-Bold", "DejaVuSans": "DejaVuSans-Bold", "Carlito-Regular": "Carlito-Bold",
                "Lato-Regular": "Lato-Bold", "OpenSans-Regular": "OpenSans-Bold"}[reg]
        W = rng.choice([700, 760, 816])
        H = int(W * 1.294)
        img, d = doc_page(rng, W, H)
        fs = rng.choice([14, 15, 16, 17])
        f, fb = F(reg, fs), F(bold, fs)
        mx = int(W * 0.1)
        y = int(H * 0.07)
        lh = int(fs * 1.45)
        if kind in ("paragraphs", "scan", "article"):
            d.text((mx, y), sentence(rng, 3, 6).rstrip("."), font=F(bold, fs + 10), fill=(20, 20, 20))
            y += fs + 30
            cols = 2 if kind == "article" else 1
            cw = (W - 2 * mx - (cols - 1) * 24) // cols
            for c in range(cols):
                yy = y
                while yy < H * 0.9:
                    for ln in wrap_px(paragraph(rng), f, cw):
                        if yy > H * 0.9:
                            break
                        d.text((mx + c * (cw + 24), yy), ln, font=f, fill=(25, 25, 25))
                        yy += lh
                    yy += lh // 2
                    if rng.random() < 0.25 and yy < H * 0.8:
                        d.text((mx + c * (cw + 24), yy), sentence(rng, 2, 4).rstrip("."), font=fb, fill=(25, 25, 25))
                        yy += lh + 4
            d.text((W // 2, H - 40), str(rng.randint(2, 40)), font=f, fill=(80, 80, 80), anchor="mm")
            if kind == "scan":
                img = img.rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, expand=True, fillcolor=(235, 233, 228))
                arr = np.asarray(img).astype(np.float32)
                nr = np_rng(name)
                arr = arr * 0.93 + 10 + nr.normal(0, 6, arr.shape[:2])[..., None]
                img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
        elif kind == "letter":
            sender = rng.choice(NAMES)
            d.text((mx, y), sender, font=F(bold, fs + 4), fill=(20, 20, 20))
            y += lh + 6
            for ln in [rng.choice(STREETS), f"{rng.randint(1000, 99999)} Springfield", f"{sender.split()[0].lower()}@example.com"]:
                d.text((mx, y), ln, font=f, fill=(60, 60, 60))
                y += lh
            y += lh
            d.text((W - mx, y), f"{rng.randint(1, 28)} {rng.choice(['March', 'June', 'October', 'January'])} 2024", font=f, fill=(20, 20, 20), anchor="ra")
            y += lh * 2
            d.text((mx, y), f"Dear {rng.choice(NAMES).split()[0]},", font=f, fill=(20, 20, 20))
            y += lh * 2
            for _ in range(rng.randint(3, 4)):
                for ln in wrap_px(paragraph(rng, 2, 4), f, W - 2 * mx):
                    d.text((mx, y), ln, font=f, fill=(20, 20, 20))
                    y += lh
                y += lh // 2
            y += lh
            d.text((mx, y), rng.choice(["Kind regards,", "Yours sincerely,", "Best wishes,"]), font=f, fill=(20, 20, 20))
            y += lh * 2
            d.text((mx, y), sender, font=F("FreeSerifItalic", fs + 8), fill=(30, 40, 110))
        elif kind in ("invoice", "receipt"):
            if kind == "receipt":
                W, H = 420, 820
                img, d = doc_page(rng, W, H, (252, 251, 246))
                reg, bold = "DejaVuSansMono", "DejaVuSansMono-Bold"
                f, fb = F(reg, 14), F(bold, 14)
                mx, lh = 26, 22
            d.text((mx, y), rng.choice(SITE_NAMES) + (" Ltd." if kind == "invoice" else " Store"), font=F(bold, fs + 12), fill=(30, 30, 30))
            y += fs + 30
            d.text((mx, y), ("INVOICE" if kind == "invoice" else "RECEIPT") + f"  No. {rng.randint(10000, 99999)}", font=fb, fill=(30, 30, 30))
            y += lh
            d.text((mx, y), f"Date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", font=f, fill=(60, 60, 60))
            y += lh * 2
            items = ["Consulting hours", "Hosting (monthly)", "Licence renewal", "Support plan", "Paper A4 (box)",
                     "Printer toner", "Coffee beans 1 kg", "USB cable", "Desk lamp", "Notebook", "Travel expenses"]
            d.line((mx, y, W - mx, y), fill=(120, 120, 120))
            y += 6
            d.text((mx, y), "Item", font=fb, fill=(30, 30, 30))
            d.text((W - mx, y), "Amount", font=fb, fill=(30, 30, 30), anchor="ra")
            if kind == "invoice":
                d.text((W * 0.55, y), "Qty", font=fb, fill=(30, 30, 30))
            y += lh + 4
            total = 0.0
            for it in rng.sample(items, rng.randint(5, 9)):
                q = rng.randint(1, 9)
                p = rng.randint(3, 400) + rng.choice([0, 0.5, 0.99])
                total += q * p
                d.text((mx, y), it, font=f, fill=(30, 30, 30))
                if kind == "invoice":
                    d.text((W * 0.55, y), str(q), font=f, fill=(30, 30, 30))
                d.text((W - mx, y), f"{q * p:,.2f}", font=f, fill=(30, 30, 30), anchor="ra")
                y += lh
            d.line((mx, y + 4, W - mx, y + 4), fill=(120, 120, 120))
            y += 14
            d.text((mx, y), "TOTAL", font=fb, fill=(30, 30, 30))
            d.text((W - mx, y), f"{total:,.2f}", font=fb, fill=(30, 30, 30), anchor="ra")
            y += lh * 3
            for ln in wrap_px("Payment within 30 days. " + paragraph(rng, 1, 2), f, W - 2 * mx):
                d.text((mx, y), ln, font=f, fill=(90, 90, 90))
                y += lh
            if kind == "receipt":
                d.text((W // 2, H - 40), "Thank you for your visit!", font=fb, fill=(30, 30, 30), anchor="mm")
        elif kind == "form":
            d.text((mx, y), "Application form", font=F(bold, fs + 10), fill=(20, 20, 20))
            y += fs + 36
            for fl in ["Surname", "Given names", "Date of birth", "Address", "Postcode", "Telephone", "Email", "Signature"]:
                d.text((mx, y), fl, font=f, fill=(30, 30, 30))
                d.rectangle((mx + 160, y - 4, W - mx, y + fs + 8), outline=(90, 90, 90))
                y += lh + 22
            y += 10
            for opt in ["I have read the terms and conditions", "Send me the printed brochure"]:
                d.rectangle((mx, y, mx + 16, y + 16), outline=(30, 30, 30), width=2)
                d.text((mx + 26, y + 8), opt, font=f, fill=(30, 30, 30), anchor="lm")
                y += lh + 10
        keys = [reg, bold] + (["FreeSerifItalic"] if kind == "letter" else [])
        save(img, name, "neg_document", photo=(kind == "scan"), generator=f"composed ({PILLOW})", font=font_desc(*keys),
             source="generated (seeded word list)", license_="generated; " + font_license(keys), notes=kind)


CODE_SNIPPETS_INLINE = {
    "rust": '''use std::collections::HashMap;

/// Count how often each word occurs in `text`.
pub fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if w.is_empty() {
            continue;
        }
        *counts.entry(w).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words() {
        let c = word_counts("a b a, A!");
        assert_eq!(c["a"], 3);
        assert_eq!(c.get("b"), Some(&1));
    }
}
''',
    "javascript": '''import { readFile } from "node:fs/promises";

export async function loadConfig(path, defaults = {}) {
  const raw = await readFile(path, "utf8");
  const parsed = JSON.parse(raw);
  // merge, later keys win
  return { ...defaults, ...parsed, loadedAt: Date.now() };
}

const retry = async (fn, attempts = 3) => {
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i === attempts - 1) throw err;
      await new Promise((r) => setTimeout(r, 2 ** i * 100));
    }
  }
};

loadConfig("./settings.json", { port: 8080 })
  .then((cfg) => console.log(`listening on ${cfg.port}`))
  .catch(console.error);
''',
    "sql": '''-- monthly revenue per customer
SELECT c.id,
       c.name,
       date_trunc('month', o.created_at) AS month,
       SUM(o.total)                      AS revenue,
       COUNT(*)                          AS orders
FROM customers c
JOIN orders o ON o.customer_id = c.id
WHERE o.status = 'paid'
  AND o.created_at >= DATE '2024-01-01'
GROUP BY c.id, c.name, month
HAVING SUM(o.total) > 1000
ORDER BY month, revenue DESC
LIMIT 50;
''',
    "c": '''#include <stdio.h>
#include <stdlib.h>

typedef struct node {
    int value;
    struct node *next;
} node_t;

static node_t *push(node_t *head, int value) {
    node_t *n = malloc(sizeof *n);
    if (!n) {
        perror("malloc");
        exit(EXIT_FAILURE);
    }
    n->value = value;
    n->next = head;
    return n;
}

int main(void) {
    node_t *list = NULL;
    for (int i = 0; i < 10; i++)
        list = push(list, i * i);
    for (node_t *p = list; p; p = p->next)
        printf("%d\\n", p->value);
    return 0;
}
''',
    "bash": '''#!/usr/bin/env bash
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/var/backups/app}"
STAMP="$(date +%Y%m%d-%H%M%S)"

mkdir -p "$BACKUP_DIR"
for db in users orders inventory; do
    echo "dumping $db ..."
    pg_dump --format=custom "$db" > "$BACKUP_DIR/$db-$STAMP.dump"
done

# keep the 14 newest dumps of each database
find "$BACKUP_DIR" -name '*.dump' -mtime +14 -print -delete
echo "done: $(ls "$BACKUP_DIR" | wc -l) files"
''',
}

CODE_STYLES = ["monokai", "default", "solarized-dark", "friendly", "github-dark", "one-dark", "dracula", "vs",
               "solarized-light", "native"]


def render_code(rng, code, lang, style_name, font_key, fs, title, numbers):
    lexer = get_lexer_by_name(lang)
    style = get_style_by_name(style_name)
    bg = style.background_color or "#ffffff"
    bgc = Image.new("RGB", (1, 1), bg).getpixel((0, 0))
    dark = sum(bgc) < 380
    default_fg = (220, 220, 220) if dark else (30, 30, 30)
    font = F(font_key, fs)
    fontb = font
    cw = font.getlength("M")
    lh = int(fs * 1.5)
    lines = code.expandtabs(4).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    lines = [ln[:88] for ln in lines[:40]]
    gutter = int(cw * 4.5) if numbers else int(cw)
    maxlen = max(len(ln) for ln in lines)
    W = int(gutter + cw * (maxlen + 2) + 20)
    W = max(W, 520)
    top = 36
    H = top + lh * len(lines) + 20
    img = Image.new("RGB", (W, H), bgc)
    d = ImageDraw.Draw(img)
    bar = tuple(max(0, min(255, c + (18 if dark else -18))) for c in bgc)
    d.rectangle((0, 0, W, top - 8), fill=bar)
    for j, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse((12 + j * 20, 8, 24 + j * 20, 20), fill=c)
    d.text((W // 2, 14), title, font=F("DejaVuSans", 12), fill=(150, 150, 150) if dark else (90, 90, 90), anchor="mm")
    x0 = 12 + gutter
    y = top
    line = 0
    col = 0
    if numbers:
        for k in range(len(lines)):
            d.text((12 + gutter - cw, top + k * lh), str(k + 1), font=font, fill=(120, 120, 120), anchor="ra")
    for ttype, value in lexer.get_tokens("\n".join(lines) + "\n"):
        st = style.style_for_token(ttype)
        color = "#" + st["color"] if st["color"] else None
        fill = Image.new("RGB", (1, 1), color).getpixel((0, 0)) if color else default_fg
        parts = value.split("\n")
        for pi, part in enumerate(parts):
            if pi > 0:
                line += 1
                col = 0
            if part and line < len(lines):
                d.text((x0 + col * cw, top + line * lh), part, font=fontb, fill=fill)
                col += len(part)
    return img


def build_code():
    site = os.path.dirname(os.path.dirname(captcha.__file__))
    from_pkgs = [("python", "captcha/image.py", gen_name("captcha")), ("python", "qrcode/main.py", gen_name("qrcode")),
                 ("python", "segno/writers.py", gen_name("segno")), ("python", "barcode/ean.py", gen_name("python-barcode"))]
    jobs = []
    for lang, rel, pkg in from_pkgs:
        jobs.append((lang, rel, pkg))
    for lang in CODE_SNIPPETS_INLINE:
        jobs.append((lang, None, None))
    for i, (lang, rel, pkg) in enumerate(jobs):
        name = f"neg_code__{lang}_{i + 1:02d}"
        rng = seeded(name)
        if rel:
            with open(os.path.join(site, rel), encoding="utf-8") as fh:
                src_lines = fh.read().split("\n")
            start = rng.randint(0, max(0, len(src_lines) - 40))
            n_lines = rng.randint(22, 34)
            code = "\n".join(src_lines[start:start + n_lines])
            source = f"pypi:{pkg}:{rel} lines {start + 1}-{min(len(src_lines), start + n_lines)}"
            lic = {"captcha": "BSD-3-Clause", "qrcode": "BSD-3-Clause", "segno": "BSD-3-Clause",
                   "python-barcode": "MIT"}[pkg.split("==")[0]] + f" ({pkg.split('==')[0]})"
            title = rel
        else:
            code = CODE_SNIPPETS_INLINE[lang]
            source = "written for this set"
            lic = "CC0 (written for this set)"
            title = {"rust": "src/lib.rs", "javascript": "config.js", "sql": "report.sql", "c": "list.c", "bash": "backup.sh"}[lang]
        style = CODE_STYLES[i % len(CODE_STYLES)]
        fk = MONO_FONTS[i % len(MONO_FONTS)]
        img = render_code(rng, code, lang, style, fk, rng.choice([13, 14, 15]), title, numbers=rng.random() < 0.6)
        save(img, name, "neg_code", generator=f"pygments=={PKG['Pygments']} style {style} + {PILLOW}", font=font_desc(fk),
             source=source, license_=lic + "; " + font_license([fk]), notes=f"{lang} code screenshot")


def build_ui():
    kinds = ["login", "login", "settings", "confirm", "cookie", "newsletter", "twofactor", "volume", "error", "signup", "login"]
    for i, kind in enumerate(kinds):
        name = f"neg_ui__{kind}_{i + 1:02d}"
        rng = seeded(name)
        theme = "dark" if i % 4 == 1 else "light"
        t = THEMES[theme]
        reg, bold = rng.choice(UI_FONTS)
        accent = rng.choice(ACCENTS)
        site = rng.choice(SITE_NAMES)
        W = rng.choice([720, 800, 900])
        H = int(W * rng.uniform(0.68, 0.82))
        f, fb = F(reg, 15), F(bold, 15)
        img, d, top = browser_page(rng, W, H, theme, f"{site}", "https://" + rng.choice(SITES) + "/" + kind)
        top = site_header(d, rng, W, top, theme, accent, F(bold, 20), site)
        notes = kind
        if kind in ("login", "signup", "twofactor"):
            cw = 380
            cx0 = (W - cw) // 2
            y = top + 30
            ch = {"login": 360, "signup": 430, "twofactor": 260}[kind]
            d.rounded_rectangle((cx0 - 24, y - 10, cx0 + cw + 24, y + ch), radius=8, fill=t["card"], outline=t["border"])
            y += 10
            d.text((cx0, y), {"login": "Sign in", "signup": "Create your account", "twofactor": "Two-step verification"}[kind],
                   font=F(bold, 24), fill=t["text"])
            y += 46
            if kind == "twofactor":
                for ln in wrap_px("Enter the 6-digit code from your authenticator app.", f, cw):
                    d.text((cx0, y), ln, font=f, fill=t["sub"])
                    y += 22
                y += 10
                for j in range(6):
                    input_field(d, (cx0 + j * 52, y, cx0 + j * 52 + 44, y + 50), theme, font=F(bold, 22),
                                value=str(rng.randint(0, 9)) if j < 3 else "")
                y += 70
                button(d, (cx0, y, cx0 + cw, y + 40), "Verify", accent, fb)
                notes += " (code entry, no CAPTCHA)"
            else:
                fields = ["Email", "Password"] if kind == "login" else ["Full name", "Email", "Password"]
                for fl in fields:
                    d.text((cx0, y), fl, font=f, fill=t["sub"])
                    y += 22
                    input_field(d, (cx0, y, cx0 + cw, y + 36), theme, font=f,
                                value="jane.doe@example.com" if fl == "Email" else ("••••••••••" if fl == "Password" else "Jane Doe"))
                    y += 50
                d.rounded_rectangle((cx0, y, cx0 + 18, y + 18), radius=3, outline=t["sub"], width=2,
                                    fill=accent if rng.random() < 0.5 else None)
                d.text((cx0 + 28, y + 9), "Remember me" if kind == "login" else "I agree to the Terms of Service",
                       font=f, fill=t["text"], anchor="lm")
                if kind == "login":
                    d.text((cx0 + cw, y + 9), "Forgot password?", font=f, fill=accent, anchor="rm")
                y += 40
                button(d, (cx0, y, cx0 + cw, y + 40), "Sign in" if kind == "login" else "Create account", accent, fb)
                notes += " form with a checkbox, no CAPTCHA"
        elif kind == "settings":
            d.text((40, top + 24), "Settings", font=F(bold, 26), fill=t["text"])
            y = top + 80
            for opt in ["Enable notifications", "Send weekly summary by email", "Use dark theme", "Show previews",
                        "Allow other members to find me", "Automatic updates"]:
                on = rng.random() < 0.5
                d.rounded_rectangle((40, y, 60, y + 20), radius=3, outline=t["sub"], width=2, fill=accent if on else None)
                if on:
                    check_mark(d, 43, y + 3, 14, (255, 255, 255), 3)
                d.text((72, y + 10), opt, font=f, fill=t["text"], anchor="lm")
                y += 38
            button(d, (40, y + 10, 160, y + 48), "Save", accent, fb)
            notes += " (checkbox list)"
        elif kind in ("confirm", "error"):
            for k in range(9):
                d.text((40, top + 30 + k * 28), sentence(rng), font=f, fill=t["text"])
            img = Image.blend(img, Image.new("RGB", img.size, (0, 0, 0)), 0.45)
            d = ImageDraw.Draw(img)
            dw, dh = 420, 190
            x0, y0 = (W - dw) // 2, (H - dh) // 2
            d.rounded_rectangle((x0, y0, x0 + dw, y0 + dh), radius=10, fill=t["card"], outline=t["border"])
            title = "Delete 3 files?" if kind == "confirm" else "Something went wrong"
            body = "This action cannot be undone. The files will be removed from all devices." if kind == "confirm" \
                else "We could not save your changes. Check your connection and try again."
            d.text((x0 + 24, y0 + 22), title, font=F(bold, 20), fill=t["text"])
            yy = y0 + 62
            for ln in wrap_px(body, f, dw - 48):
                d.text((x0 + 24, yy), ln, font=f, fill=t["sub"])
                yy += 22
            button(d, (x0 + dw - 120, y0 + dh - 56, x0 + dw - 24, y0 + dh - 20), "Delete" if kind == "confirm" else "Retry",
                   (211, 47, 47) if kind == "confirm" else accent, fb)
            button(d, (x0 + dw - 232, y0 + dh - 56, x0 + dw - 132, y0 + dh - 20), "Cancel", t["border"], fb, fg=t["text"])
            notes += " modal dialog"
        elif kind == "cookie":
            for k in range(12):
                d.text((40, top + 30 + k * 26), sentence(rng), font=f, fill=t["text"])
            bh = 130
            d.rectangle((0, H - bh, W, H), fill=t["card"], outline=t["border"])
            d.text((30, H - bh + 20), "We value your privacy", font=F(bold, 18), fill=t["text"])
            yy = H - bh + 50
            for ln in wrap_px("We use cookies to improve your experience and to analyse traffic. You can accept all cookies or choose which ones to allow.", f, W - 340):
                d.text((30, yy), ln, font=f, fill=t["sub"])
                yy += 21
            button(d, (W - 290, H - bh + 40, W - 160, H - bh + 80), "Reject all", t["border"], fb, fg=t["text"])
            button(d, (W - 150, H - bh + 40, W - 30, H - bh + 80), "Accept all", accent, fb)
            notes += " cookie banner"
        elif kind == "newsletter":
            d.text((60, top + 40), "Stay in the loop", font=F(bold, 30), fill=t["text"])
            d.text((60, top + 90), "Get our monthly newsletter. No spam, unsubscribe any time.", font=f, fill=t["sub"])
            input_field(d, (60, top + 130, 420, top + 170), theme, placeholder="you@example.com", font=f)
            button(d, (430, top + 130, 560, top + 170), "Subscribe", accent, fb)
            d.rounded_rectangle((60, top + 190, 78, top + 208), radius=3, outline=t["sub"], width=2)
            d.text((88, top + 199), "I agree to receive emails and accept the privacy policy", font=F(reg, 13), fill=t["text"], anchor="lm")
            notes += " signup with consent checkbox, no CAPTCHA"
        elif kind == "volume":
            d.text((40, top + 24), "Sound", font=F(bold, 26), fill=t["text"])
            y = top + 84
            for lab in ["Output volume", "Alert volume", "Microphone level", "Balance"]:
                d.text((40, y), lab, font=f, fill=t["text"])
                tx0, tx1 = 240, W - 80
                d.rounded_rectangle((tx0, y + 4, tx1, y + 12), radius=4, fill=t["border"])
                pos = tx0 + rng.uniform(0.1, 0.9) * (tx1 - tx0)
                d.rounded_rectangle((tx0, y + 4, pos, y + 12), radius=4, fill=accent)
                d.ellipse((pos - 10, y - 2, pos + 10, y + 18), fill=(255, 255, 255), outline=t["border"])
                y += 56
            d.rounded_rectangle((40, y, W - 80, y + 44), radius=22, fill=t["border"])
            d.ellipse((44, y + 4, 80, y + 40), fill=accent)
            arrow_right(d, 62, y + 22, 8, (255, 255, 255), 3)
            d.text(((W - 40) // 2 + 20, y + 22), "Slide to unlock", font=f, fill=t["sub"], anchor="mm")
            notes += " sliders (incl. a slide-to-unlock bar), no CAPTCHA"
        save(img, name, "neg_ui", generator=f"composed ({PILLOW})", font=font_desc(reg, bold), source="generated",
             license_="generated; " + font_license([reg, bold]), notes=notes)


def build_charts():
    kinds = ["line", "bar", "scatter", "pie", "hist", "heatmap", "subplots3x3", "area", "box", "barh"]
    for i, kind in enumerate(kinds):
        name = f"neg_chart__{kind}_{i + 1:02d}"
        nr = np_rng(name)
        plt.rcParams.update(plt.rcParamsDefault)
        plt.rcParams["font.family"] = "DejaVu Sans"
        if i % 3 == 1:
            plt.style.use("ggplot")
        elif i % 3 == 2:
            plt.style.use("seaborn-v0_8-whitegrid")
        size = (6.4, 4.4) if kind != "subplots3x3" else (7, 7)
        fig = plt.figure(figsize=size, dpi=100)
        if kind == "line":
            ax = fig.add_subplot()
            x = np.arange(48)
            for lab in ["north", "south", "east"]:
                ax.plot(x, np.cumsum(nr.normal(0.3, 1, 48)), label=lab)
            ax.set(title="Weekly signups", xlabel="week", ylabel="count")
            ax.legend()
        elif kind == "bar":
            ax = fig.add_subplot()
            cats = ["Q1", "Q2", "Q3", "Q4"]
            w = 0.25
            for j, lab in enumerate(["2022", "2023", "2024"]):
                ax.bar(np.arange(4) + j * w, nr.uniform(20, 80, 4), w, label=lab)
            ax.set_xticks(np.arange(4) + w, cats)
            ax.set(title="Revenue by quarter (kEUR)")
            ax.legend()
        elif kind == "scatter":
            ax = fig.add_subplot()
            x = nr.normal(0, 1, 200)
            ax.scatter(x, 2 * x + nr.normal(0, 1, 200), c=nr.uniform(0, 1, 200), cmap="viridis", alpha=0.8)
            ax.set(title="Latency vs. payload", xlabel="payload (z)", ylabel="latency (z)")
        elif kind == "pie":
            ax = fig.add_subplot()
            ax.pie(nr.uniform(1, 5, 5), labels=["Chrome", "Firefox", "Safari", "Edge", "Other"], autopct="%1.0f%%")
            ax.set(title="Browser share")
        elif kind == "hist":
            ax = fig.add_subplot()
            ax.hist(nr.gamma(2, 2, 2000), bins=40, color="tab:purple", alpha=0.8)
            ax.set(title="Response time distribution", xlabel="ms", ylabel="requests")
        elif kind == "heatmap":
            ax = fig.add_subplot()
            m = nr.uniform(0, 1, (6, 8))
            im = ax.imshow(m, cmap="magma")
            for r in range(6):
                for c in range(8):
                    ax.text(c, r, f"{m[r, c]:.1f}", ha="center", va="center", color="w", fontsize=8)
            ax.set_xticks(range(8), [f"d{j}" for j in range(8)])
            ax.set_yticks(range(6), ["mon", "tue", "wed", "thu", "fri", "sat"])
            fig.colorbar(im)
            ax.set(title="Load by hour block")
        elif kind == "subplots3x3":
            axs = fig.subplots(3, 3)
            for j, ax in enumerate(axs.flat):
                x = np.linspace(0, 6, 60)
                ax.plot(x, np.sin(x * (j + 1) / 3) + nr.normal(0, 0.1, 60))
                ax.set_title(f"sensor {j + 1}", fontsize=9)
            fig.suptitle("Sensor readings")
            fig.tight_layout()
        elif kind == "area":
            ax = fig.add_subplot()
            x = np.arange(24)
            ys = nr.uniform(1, 4, (3, 24)).cumsum(axis=1) / 10
            ax.stackplot(x, ys, labels=["cpu", "io", "net"])
            ax.legend(loc="upper left")
            ax.set(title="Resource usage", xlabel="hour")
        elif kind == "box":
            ax = fig.add_subplot()
            ax.boxplot([nr.normal(m, 1, 100) for m in (1, 2, 2.5, 4)], tick_labels=["A", "B", "C", "D"])
            ax.set(title="Scores per group")
        elif kind == "barh":
            ax = fig.add_subplot()
            langs = ["Rust", "Python", "Go", "C++", "Java", "TypeScript"]
            ax.barh(langs, nr.uniform(10, 90, 6), color="tab:green")
            ax.set(title="Survey: used last year (%)")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        plt.close(fig)
        plt.style.use("default")
        img = Image.open(buf)
        save(img, name, "neg_chart", generator=f"{gen_name('matplotlib')} (Agg)", font="DejaVuSans (bundled with matplotlib)",
             source="generated (seeded numpy data)", license_="generated; matplotlib licence (PSF-style), DejaVu fonts",
             notes=kind)


MEME_TEXT = [("WHEN THE BUILD PASSES", "ON THE FIRST TRY"), ("ONE DOES NOT SIMPLY", "SKIP CODE REVIEW"),
             ("MONDAY MORNING", "STANDUP AGAIN"), ("ME: I'LL JUST FIX ONE BUG", "ALSO ME: REWRITES EVERYTHING"),
             ("NOBODY:", "THE CAT AT 3 AM"), ("IT WORKS", "DON'T TOUCH IT"), ("WHEN YOU FIND THE", "MISSING SEMICOLON"),
             ("COFFEE FIRST", "QUESTIONS LATER"), ("THAT FEELING WHEN", "THE TESTS ARE GREEN")]


def build_memes():
    keys = ["cat_chelsea", "gorilla", "sk_coffee", "kitten", "raccoon", "toy_train", "duck", "mandrill", "sk_astronaut"]
    for i, k in enumerate(keys):
        name = f"neg_meme__{k}_{i + 1:02d}"
        rng = seeded(name)
        ph = PHOTOS[k].img.convert("RGB")
        w = rng.choice([480, 560, 640])
        ph = ph.resize((w, int(ph.height * w / ph.width)), Image.LANCZOS)
        top_t, bot_t = MEME_TEXT[i % len(MEME_TEXT)]
        fk = rng.choice(["Lato-Black", "DejaVuSans-Bold", "LiberationSans-Bold", "OpenSans-ExtraBold", "Roboto-Black"])
        if i % 3 == 2:
            # caption bar above the photo
            f = F(rng.choice(["Roboto-Regular", "OpenSans-Regular", "Lato-Regular"]), 24)
            cap = (top_t + " " + bot_t).capitalize()
            lines = wrap_px(cap, f, w - 40)
            bh = 30 + len(lines) * 32
            img = Image.new("RGB", (w, ph.height + bh), (255, 255, 255))
            d = ImageDraw.Draw(img)
            for j, ln in enumerate(lines):
                d.text((20, 16 + j * 32), ln, font=f, fill=(15, 15, 15))
            img.paste(ph, (0, bh))
            fk = "caption bar"
            fontd = font_desc("Roboto-Regular", "OpenSans-Regular", "Lato-Regular")
        else:
            img = ph
            d = ImageDraw.Draw(img)
            for txt, pos in ((top_t, "top"), (bot_t, "bottom")):
                fs = int(w / 11)
                f = F(fk, fs)
                while f.getlength(txt) > w - 20 and fs > 14:
                    fs -= 2
                    f = F(fk, fs)
                y = 12 if pos == "top" else img.height - fs - 24
                d.text((w / 2, y), txt, font=f, fill=(255, 255, 255), anchor="ma", stroke_width=max(2, fs // 14),
                       stroke_fill=(0, 0, 0))
            fontd = font_desc(fk)
        src, lic = photos_source([k])
        save(img, name, "neg_meme", photo=True, generator=f"composed ({PILLOW})", font=fontd, source=src,
             license_=lic, notes="captioned photo, " + ("caption bar" if fk == "caption bar" else "top/bottom outlined caption"))


def build_logos():
    names = ["Northwind", "Bluepeak", "ORBITLY", "Kestrel Labs", "fernwood & co.", "Pixelcraft", "Lumina", "QUILLBY"]
    for i, nm in enumerate(names):
        name = f"neg_logo__{nm.split()[0].lower().strip('.&')}_{i + 1:02d}"
        rng = seeded(name)
        fk = rng.choice(["Lato-Black", "OpenSans-ExtraBold", "Roboto-Bold", "DejaVuSerif-Bold", "LiberationSerif-Italic",
                         "Carlito-Bold", "RobotoCondensed-Bold", "FreeSansBold", "Lato-Italic"])
        dark = i % 3 == 1
        bg = (24, 28, 36) if dark else rng.choice([(255, 255, 255), (248, 246, 240), (238, 244, 250)])
        W, H = rng.choice([(600, 240), (520, 200), (640, 320), (400, 400)])
        img = Image.new("RGB", (W, H), bg)
        d = ImageDraw.Draw(img)
        fs = int(H * 0.28) if W > H else int(W * 0.13)
        f = F(fk, fs)
        mark = rng.choice(["circle", "hex", "triangle", "bars", "none"])
        col = rng.choice(ACCENTS) if not dark else rng.choice([(255, 193, 7), (79, 195, 247), (129, 199, 132), (240, 98, 146)])
        while True:
            r = fs * 0.7
            tw = f.getlength(nm)
            total = tw + (0 if mark == "none" or W <= H else 2 * r + fs * 0.4)
            if total <= W * 0.88 or fs <= 12:
                break
            fs -= 2
            f = F(fk, fs)
        x = (W - total) / 2
        cy = H / 2 if W > H else H * 0.4
        if W <= H:
            x = W / 2 - r
        if mark != "none":
            cx = x + r
            my = cy if W > H else H * 0.3
            if mark == "circle":
                d.ellipse((cx - r, my - r, cx + r, my + r), fill=col)
                d.ellipse((cx - r * 0.45, my - r * 0.45, cx + r * 0.45, my + r * 0.45), fill=bg)
            elif mark == "hex":
                d.regular_polygon((cx, my, r), 6, fill=col)
            elif mark == "triangle":
                d.regular_polygon((cx, my, r), 3, fill=col)
            else:
                for j in range(3):
                    d.rectangle((cx - r + j * r * 0.7, my + r - (j + 1) * r * 0.6, cx - r + j * r * 0.7 + r * 0.5, my + r), fill=col)
            x += 2 * r + fs * 0.4
        fg = (240, 240, 240) if dark else (30, 34, 40)
        if W > H:
            if i % 4 == 3:
                # multicoloured letters (a hard case next to multicolour CAPTCHAs)
                for ch in nm:
                    d.text((x, cy), ch, font=f, fill=rng.choice(ACCENTS), anchor="lm")
                    x += f.getlength(ch)
            else:
                d.text((x, cy), nm, font=f, fill=fg, anchor="lm")
            if rng.random() < 0.5:
                d.text((W / 2, H * 0.85), rng.choice(["software & services", "EST. 1998", "outdoor equipment", "design studio"]),
                       font=F("Lato-Regular", fs * 0.3), fill=(120, 120, 120), anchor="mm")
        else:
            d.text((W / 2, H * 0.72), nm, font=f, fill=fg, anchor="mm")
        save(img, name, "neg_logo", generator=f"composed ({PILLOW})", font=font_desc(fk), source="generated",
             license_="generated; " + font_license([fk]), notes=f"wordmark, mark '{mark}'")
    for k, note in (("sk_logo", "scikit-image logo"), ("mpl_logo2", "matplotlib logo")):
        name = f"neg_logo__{k}"
        img = PHOTOS[k].img.convert("RGBA")
        bgim = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bgim, img).convert("RGB")
        if max(img.size) > 800:
            img.thumbnail((800, 800), Image.LANCZOS)
        src, lic = photos_source([k])
        save(img, name, "neg_logo", generator="package file", source=src, license_=lic, notes=note)


QR_DATA = ["https://example.com/menu", "WIFI:T:WPA;S:GuestNet;P:correct-horse;;", "https://example.org/tickets/48213",
           "BEGIN:VCARD\nVERSION:3.0\nN:Novak;Maria\nTEL:+4912345678\nEND:VCARD", "Order 77812 / table 4",
           "https://example.net/app?ref=poster", "mailto:info@example.com", "geo:52.3676,4.9041"]


def qr_qrcode(rng, data, fill, back):
    q = qrcode.QRCode(error_correction=rng.choice([qrcode.constants.ERROR_CORRECT_L, qrcode.constants.ERROR_CORRECT_M,
                                                   qrcode.constants.ERROR_CORRECT_Q, qrcode.constants.ERROR_CORRECT_H]),
                      box_size=rng.choice([6, 8, 10]), border=rng.choice([2, 4]))
    q.add_data(data)
    q.make(fit=True)
    return q.make_image(fill_color=fill, back_color=back).get_image().convert("RGB")


def qr_segno(rng, data, dark, light, micro=False):
    q = segno.make(data, micro=micro, error=rng.choice(["L", "M", "Q"]) if not micro else None)
    buf = io.BytesIO()
    q.save(buf, kind="png", scale=rng.choice([6, 8, 10]) if not micro else 12, dark=dark, light=light, border=rng.choice([2, 4]))
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def build_qr():
    colors = [("black", "white"), ("#1a237e", "white"), ("#004d40", "#f1f8e9"), ("black", "#fff8e1"), ("#b71c1c", "white")]
    n = 0
    for i in range(5):
        n += 1
        name = f"neg_qr__qrcode_{n:02d}"
        rng = seeded(name)
        fill, back = colors[i]
        img = qr_qrcode(rng, QR_DATA[i], fill, back)
        save(img, name, "neg_qr", generator=f"{gen_name('qrcode')}", source="generated", license_="generated; qrcode BSD-3-Clause",
             text="", notes=f"QR code, data {QR_DATA[i]!r}, colours {fill}/{back}")
    for i in range(5):
        n += 1
        name = f"neg_qr__segno_{n:02d}"
        rng = seeded(name)
        dark, light = colors[(i + 2) % 5]
        micro = i == 4
        data = QR_DATA[5 + i % 3] if not micro else "A1234"
        img = qr_segno(rng, data, dark, light, micro=micro)
        save(img, name, "neg_qr", generator=f"{gen_name('segno')}", source="generated", license_="generated; segno BSD-3-Clause",
             notes=("Micro QR" if micro else "QR code") + f", data {data!r}")
    # posters with a QR code
    for i in range(3):
        n += 1
        name = f"neg_qr__poster_{n:02d}"
        rng = seeded(name)
        reg, bold = rng.choice(UI_FONTS)
        k = rng.choice(["castle", "windmill", "meadow", "building", "launch_pad", "fields"])
        W, H = 600, 848
        bgc = rng.choice([(250, 246, 238), (20, 40, 70), (255, 255, 255)])
        fg = (255, 255, 255) if sum(bgc) < 300 else (25, 25, 25)
        img = Image.new("RGB", (W, H), bgc)
        d = ImageDraw.Draw(img)
        img.paste(photo_tile(rng, k, W, 380), (0, 0))
        d.text((40, 410), rng.choice(["Summer Open Air", "City Marathon 2024", "Farmers' Market", "Jazz by the River"]),
               font=F(bold, 44), fill=fg)
        d.text((40, 470), f"Saturday {rng.randint(1, 28)} {rng.choice(['June', 'July', 'August'])} · 10:00–18:00",
               font=F(reg, 22), fill=fg)
        y = 520
        for ln in wrap_px(paragraph(rng, 2, 3), F(reg, 17), W - 300):
            d.text((40, y), ln, font=F(reg, 17), fill=fg)
            y += 24
        gen = "qrcode" if i % 2 == 0 else "segno"
        q = qr_qrcode(rng, QR_DATA[5], "black", "white") if gen == "qrcode" else qr_segno(rng, QR_DATA[2], "black", "white")
        q = q.resize((200, 200), Image.NEAREST)
        img.paste(q, (W - 240, H - 290))
        d.text((W - 140, H - 70), "Scan for tickets", font=F(bold, 16), fill=fg, anchor="mm")
        src, lic = photos_source([k])
        save(img, name, "neg_qr", photo=True, generator=f"{gen_name(gen)} + composed ({PILLOW})", font=font_desc(reg, bold),
             source=src, license_=lic + f"; {gen} BSD-3-Clause; " + font_license([reg, bold]), notes="event poster with a QR code")


def build_barcodes():
    jobs = [("ean13", "590123412345"), ("code128", "PRESCREEN-2024-0042"), ("ean8", "9638507"), ("upca", "04210000526"),
            ("code39", "ABC-1234-XYZ"), ("isbn13", "978316148410"), ("itf", "12345678901231"), ("gs1_128", "0109501101530003")]
    for i, (kind, data) in enumerate(jobs):
        name = f"neg_barcode__{kind}_{i + 1:02d}"
        rng = seeded(name)
        cls = barcode.get_barcode_class(kind)
        code = cls(data, writer=ImageWriter())
        img = code.render({"module_height": rng.choice([12.0, 15.0, 18.0]), "module_width": rng.choice([0.25, 0.3, 0.35]),
                           "font_size": rng.choice([8, 10, 12]), "text_distance": 4.0, "quiet_zone": 4.0, "dpi": 200})
        notes = f"{kind} {data!r}"
        if i == 7:
            # shipping label with a barcode
            lab = Image.new("RGB", (620, 420), (255, 255, 255))
            d = ImageDraw.Draw(lab)
            d.rectangle((4, 4, 615, 415), outline=(0, 0, 0), width=3)
            d.text((20, 20), "SHIP TO:", font=F("LiberationSans-Bold", 18), fill=(0, 0, 0))
            for j, ln in enumerate([rng.choice(NAMES), rng.choice(STREETS), "12345 Springfield"]):
                d.text((20, 48 + j * 26), ln, font=F("LiberationSans", 20), fill=(0, 0, 0))
            d.text((600, 20), "PRIORITY", font=F("LiberationSans-Bold", 28), fill=(0, 0, 0), anchor="ra")
            b = img.convert("RGB")
            b.thumbnail((580, 200), Image.LANCZOS)
            lab.paste(b, ((620 - b.width) // 2, 190))
            img = lab
            notes += " on a shipping label"
        save(img, name, "neg_barcode", generator=f"{gen_name('python-barcode')} ImageWriter",
             font="DejaVuSansMono.ttf (bundled with python-barcode)" + ("; " + font_desc("LiberationSans", "LiberationSans-Bold") if i == 7 else ""),
             source="generated", license_="generated; python-barcode MIT" + ("; " + font_license(["LiberationSans"]) if i == 7 else ""),
             notes=notes)


def build_photogrids():
    jobs = [("collage3x3", 3), ("collage3x3", 3), ("split4x4", 4), ("collage2x3", 2), ("gallery", 3), ("contact4x4", 4),
            ("collage3x3", 3)]
    for i, (kind, n) in enumerate(jobs):
        name = f"neg_photogrid__{kind}_{i + 1:02d}"
        rng = seeded(name)
        keys = []
        gap = rng.choice([2, 4, 8, 12])
        bg = rng.choice([(255, 255, 255), (20, 20, 20), (240, 240, 240)])
        if kind in ("collage3x3", "collage2x3", "contact4x4"):
            rows, cols = (n, n) if kind != "collage2x3" else (2, 3)
            tile = rng.choice([120, 140, 160]) if kind != "contact4x4" else 120
            capt = kind == "contact4x4"
            th = tile + (18 if capt else 0)
            W, H = cols * tile + (cols + 1) * gap, rows * th + (rows + 1) * gap
            img = Image.new("RGB", (W, H), bg)
            d = ImageDraw.Draw(img)
            pool = rng.sample(TILE_KEYS, rows * cols)
            for j, k in enumerate(pool):
                r, c = divmod(j, cols)
                keys.append(k)
                x, y = gap + c * (tile + gap), gap + r * (th + gap)
                img.paste(photo_tile(rng, k, tile, tile), (x, y))
                if capt:
                    d.text((x + 2, y + tile + 2), f"IMG_{rng.randint(1000, 9999)}.JPG", font=F("DejaVuSans", 11),
                           fill=(200, 200, 200) if sum(bg) < 100 else (60, 60, 60))
        elif kind == "split4x4":
            tile = 110
            W = 4 * tile + 5 * gap
            img = Image.new("RGB", (W, W), bg)
            k = rng.choice(TILE_KEYS)
            keys.append(k)
            big = photo_tile(rng, k, 4 * tile + 3 * gap, 4 * tile + 3 * gap, 0.6)
            for r in range(4):
                for c in range(4):
                    x, y = c * (tile + gap), r * (tile + gap)
                    img.paste(big.crop((x, y, x + tile, y + tile)), (gap + x, gap + y))
        else:
            reg, bold = rng.choice(UI_FONTS)
            W, H = 860, 720
            img, d, top = browser_page(rng, W, H, "light", "Gallery", "https://" + rng.choice(SITES) + "/gallery")
            top = site_header(d, rng, W, top, "light", rng.choice(ACCENTS), F(bold, 20), rng.choice(SITE_NAMES))
            d.text((40, top + 20), "Photo gallery", font=F(bold, 26), fill=(30, 30, 30))
            pool = rng.sample(TILE_KEYS, 8)
            tw, th = 180, 130
            for j, k in enumerate(pool):
                r, c = divmod(j, 4)
                keys.append(k)
                x, y = 40 + c * (tw + 16), top + 70 + r * (th + 48)
                img.paste(photo_tile(rng, k, tw, th), (x, y))
                d.text((x, y + th + 8), PHOTOS[k].key.replace("_", " ").capitalize(), font=F(reg, 14), fill=(60, 60, 60))
        src, lic = photos_source(keys)
        save(img, name, "neg_photogrid", photo=True, generator=f"composed ({PILLOW})", source=src, license_=lic,
             notes=f"{kind}: photo grid without a CAPTCHA instruction banner (hard negative)")


def build_photos():
    jobs = [("sk_astronaut", None), ("sk_chelsea", None), ("sk_rocket", None), ("sk_motorcycle_right", None),
            ("mpl_grace_hopper", None), ("sk_camera", None), ("castle", "crop"), ("windmill", "crop"),
            ("leuven_street", "crop"), ("fruits", "crop"), ("house", "crop")]
    for i, (k, op) in enumerate(jobs):
        name = f"neg_photo__{k.replace('sk_', '').replace('mpl_', '')}_{i + 1:02d}"
        rng = seeded(name)
        img = PHOTOS[k].img.convert("RGB")
        if op == "crop":
            img = rand_crop(rng, img, rng.choice([4 / 3, 1.0, 3 / 2]), 0.7)
            if max(img.size) < 400:
                s = 400 / max(img.size)
                img = img.resize((int(img.width * s), int(img.height * s)), Image.LANCZOS)
        src, lic = photos_source([k])
        save(img, name, "neg_photo", photo=True, generator="package file" + (" (random crop)" if op else ""), source=src,
             license_=lic, notes="ordinary photo")


# --------------------------------------------------------------------------
def main():
    global FONTS_ROOT, OUT_IMAGES
    ap = argparse.ArgumentParser()
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--wheels", required=True)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    ap.add_argument("--out", default=os.path.join(root, "fixtures", "captcha"))
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    FONTS_ROOT = a.fonts
    for k in FONT_FILES:
        if not os.path.exists(fpath(k)):
            sys.exit(f"missing font {k}: {fpath(k)}")
    OUT_IMAGES = os.path.join(a.out, "images")
    os.makedirs(OUT_IMAGES, exist_ok=True)
    if not a.only:
        for f in os.listdir(OUT_IMAGES):
            os.remove(os.path.join(OUT_IMAGES, f))
    load_photos(root, a.wheels)
    steps = [build_text, build_grid, build_checkbox, build_puzzle, build_documents, build_code, build_ui, build_charts,
             build_memes, build_logos, build_qr, build_barcodes, build_photogrids, build_photos]
    for step in steps:
        if a.only and step.__name__ not in a.only.split(","):
            continue
        step()
        print(f"{step.__name__}: {len(ROWS)} images so far", flush=True)
    if a.only:
        return
    cols = ["file", "label", "kind", "is_captcha", "generator", "font", "text", "source", "license", "notes"]
    with open(os.path.join(a.out, "labels.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in ROWS:
            w.writerow(r)
    counts: dict = {}
    for r in ROWS:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    for k in sorted(counts):
        print(f"{k:20s} {counts[k]}")
    print("total", len(ROWS))


if __name__ == "__main__":
    main()
