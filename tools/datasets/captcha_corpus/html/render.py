#!/usr/bin/env python3
"""Render the CAPTCHA-widget part and the look-alike UI-negative part of the CAPTCHA corpus
in ONE long-lived headless Chromium driven over the DevTools protocol.

    nice -n 10 /work/.venvs/corpus-html/bin/python render.py [--seed 13] [--out /work/corpus/captcha]
        [--cache /work/cache-corpus-html] [--count-widgets 6000] [--count-ui 3000] [--parts widgets,ui]

Writes <out>/widgets/{NNNNNN.png|jpg, manifest.csv} and <out>/ui_neg/{..., manifest.csv}.
build.sh beside this file fetches the inputs (fonts, sample-image wheels, opencv-doc) into the cache.
Every choice is drawn from random.Random(f"{seed}:{part}:{index}"), so an image depends only on
seed, part and index.
"""
import argparse
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import assets  # noqa: E402
import cdp  # noqa: E402
import negatives  # noqa: E402
import pages  # noqa: E402
import widgets  # noqa: E402
from common import Ctx  # noqa: E402
from words import LANGS, WORDING_SETS, WORDING_WEIGHTS  # noqa: E402

TPL = os.path.join(HERE, "templates")
CSS = "".join(open(os.path.join(TPL, f)).read() for f in ("base.css", "widgets.css", "pages.css", "ui.css"))
DRAW_JS = open(os.path.join(TPL, "draw.js")).read()
FONT_DEBS = ["fonts-dejavu-core", "fonts-liberation2", "fonts-freefont-ttf", "fonts-roboto-unhinted",
             "fonts-open-sans", "fonts-lato", "fonts-crosextra-carlito", "fonts-cantarell", "fonts-inter",
             "fonts-firacode", "fonts-urw-base35", "fonts-texgyre", "fonts-comic-neue", "fonts-hack",
             "fonts-noto-mono", "fonts-noto-core", "fonts-noto-cjk", "fonts-cabin", "fonts-quicksand",
             "fonts-courier-prime", "fonts-sil-gentium"]
FONT_SOURCE = "debian:fonts-* (bookworm, see build.sh)"
FONT_LICENSE = "fonts: OFL/GPL-with-font-exception/Apache-2.0/AGPL(urw-base35) per Debian copyright"
FIELDS = ("file", "is_captcha", "kind", "family", "source", "license")

WAIT_JS = """(async () => {
  await document.fonts.ready;
  const imgs = [...document.images].filter(i => !i.complete);
  await Promise.all(imgs.map(i => new Promise(r => { i.onload = i.onerror = r; })));
  const urls = new Set();
  for (const el of document.querySelectorAll('*')) {
    const m = getComputedStyle(el).backgroundImage.match(/url\("([^"]+)"\)/);
    if (m) urls.add(m[1]);
  }
  for (const el of document.querySelectorAll('image')) urls.add(el.getAttribute('href'));
  await Promise.all([...urls].map(u => { const i = new Image(); i.src = u; return i.decode().catch(() => 0); }));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const c = document.getElementById('cap');
  const b = c.getBoundingClientRect();
  const wd = document.getElementById('wdg');
  const wb = wd ? wd.getBoundingClientRect() : null;
  return JSON.stringify({x: b.left + scrollX, y: b.top + scrollY, w: b.width, h: b.height,
                         wbottom: wb ? wb.bottom + scrollY : 0,
                         dw: document.documentElement.scrollWidth, dh: document.documentElement.scrollHeight});
})()"""


def write_fontconfig(cache):
    conf = os.path.join(cache, "fonts.conf")
    with open(conf, "w") as f:
        f.write('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                f'<dir>{cache}/fonts/usr/share</dir><cachedir>{cache}/fccache</cachedir>'
                '<include ignore_missing="yes">/etc/fonts/conf.d</include>'
                '<alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>'
                '<alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>'
                '<alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>'
                '</fontconfig>')
    return conf


def page_html(ctx, body, style, extra_vars=""):
    c = ctx.page_colors()
    r = ctx.rng
    pad = r.choice((0, 4, 8, 12, 16, 24, 32))
    vars_ = (f"--font:{ctx.stack()};--fs:{ctx.fs}px;--page:{c['page']};--panel:{c['panel']};--fg:{c['fg']};"
             f"--muted:{c['muted']};--border:{c['border']};--input:{c['input']};--accent:{ctx.accent};"
             f"--r:{ctx.radius}px;--r2:{min(ctx.radius * 2, 18)}px;--pad:{pad}px;--btn2:{'#3a3a3a' if ctx.dark else '#e8eaed'};{extra_vars}")
    return (f'<!doctype html><html lang="{ctx.lang}"><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f'<body style="{vars_}"><div id="stage" style="{style}">{body}</div><script>{DRAW_JS}</script></body></html>'), pad


class Renderer:
    def __init__(self, args):
        self.args = args
        self.cache = os.path.abspath(args.cache)
        self.photos = assets.prepare_photos(self.cache)
        self.tmp = tempfile.mkdtemp(prefix="corpus-html-pages-")
        self.browser = cdp.Browser(args.chromium, fontconfig_file=write_fontconfig(self.cache))
        self.scenes = assets.make_scenes(self.cache, args.seed, self.browser)
        self.version = subprocess.run([args.chromium, "--version"], capture_output=True, text=True).stdout.strip().split(" built")[0]

    def shoot(self, html, idx, vw, vh, scale, full):
        path = os.path.join(self.tmp, f"p{idx % 4}.html")
        with open(path, "w") as f:
            f.write(html)
        self.browser.load(f"file://{path}?{idx}", vw, vh, scale)
        box = json.loads(self.browser.eval(WAIT_JS))
        return box

    def capture(self, x, y, w, h):
        png = self.browser.screenshot(x, y, w, h)
        return Image.open(io.BytesIO(png)).convert("RGB")

    def finish(self, img, rng, allow_crop, part_dir, idx):
        # optional partial crop, rescale, then PNG or JPEG (35-95)
        if allow_crop and rng.random() < 0.13:
            W, H = img.size
            fw, fh = rng.uniform(0.5, 0.92), rng.uniform(0.5, 0.95)
            cw, ch = max(40, int(W * fw)), max(30, int(H * fh))
            x0, y0 = rng.randint(0, W - cw), rng.randint(0, H - ch)
            img = img.crop((x0, y0, x0 + cw, y0 + ch))
        if rng.random() < 0.15:
            s = rng.uniform(0.6, 0.95)
            img = img.resize((max(16, int(img.width * s)), max(16, int(img.height * s))), Image.LANCZOS)
        if max(img.size) > 1600:  # keep within the corpus size range
            s = 1600 / max(img.size)
            img = img.resize((max(16, int(img.width * s)), max(16, int(img.height * s))), Image.LANCZOS)
        if rng.random() < 0.4:
            name = f"{idx:06d}.jpg"
            img.save(os.path.join(part_dir, name), "JPEG", quality=rng.randint(35, 95))
        else:
            name = f"{idx:06d}.png"
            img.save(os.path.join(part_dir, name), "PNG")
        return name

    def provenance(self, ctx, template):
        src = [f"render.py template {template} in {self.version} headless", FONT_SOURCE] + sorted(s for s, _ in ctx.sources)
        lic = ["generated (own HTML/CSS/SVG templates)", FONT_LICENSE] + sorted({l for _, l in ctx.sources})
        return "; ".join(src), "; ".join(lic)

    # ------------------------------------------------------------ widgets
    def widget(self, i, part_dir):
        a = self.args
        rng = random.Random(f"{a.seed}:widgets:{i}")
        names = list(widgets.WIDGETS)
        name = rng.choices(names, [widgets.WIDGETS[n][2] for n in names])[0]
        fn, kind, _, embed_ok = widgets.WIDGETS[name]
        ws = rng.choices(WORDING_SETS, WORDING_WEIGHTS)[0]
        ctx = Ctx(rng, ws, self.photos, self.scenes, "")
        w = fn(ctx)
        full = w.get("fullpage", False)
        embed = (not full) and embed_ok and rng.random() < 0.24
        if full or embed:
            vw, vh = rng.randint(800, 1400), rng.randint(600, 1000)
            if embed:
                small = kind in ("checkbox", "text") or name in ("pz_textform", "pz_math", "pz_slidebar", "pz_audio")
                form = rng.choice(("login", "login", "signup", "contact", "comment", "checkout"))
                whtml = w["html"].replace('id="cap"', 'id="wdg"')
                wrapped = f'<div style="{w["style"]}">{whtml}</div>'
                if small:
                    body = pages.host_page(ctx, form, slot=wrapped)
                else:
                    x, y = rng.randint(20, max(21, vw - 560)), rng.randint(20, max(21, vh - 620))
                    body = pages.host_page(ctx, form, overlay=f'<div class="popup shadow" style="left:{x}px;top:{y}px">{wrapped}</div>')
                body = f'<div id="cap">{body}</div>'
                _, pv = pages.page_vars(ctx)
                html, _ = page_html(ctx, body, "padding:0;display:block", pv)
            else:
                _, pv = pages.page_vars(ctx)
                html, _ = page_html(ctx, w["html"], f"padding:0;display:block;{w['style']}", pv)
            box = self.shoot(html, i, vw, vh, 1, True)
            h = min(max(vh, int(box["dh"])), 1600) if rng.random() < 0.3 else vh
            # the widget must be inside the screenshot: extend the capture below the fold if needed
            h = min(max(h, int(box["wbottom"]) + 24), max(vh, int(box["dh"])), 1600)
            img = self.capture(0, 0, vw, h)
            allow_crop = False
        else:
            scale = rng.choices((1, 1.25, 1.5, 2), (60, 12, 18, 10))[0]
            html, pad = page_html(ctx, w["html"], w["style"])
            box = self.shoot(html, i, 1400, 1200, scale, False)
            if box["w"] * scale > 760:
                scale = 1
                box = self.shoot(html, i, 1400, 1200, scale, False)
            m = rng.randint(0, pad)
            img = self.capture(max(0, box["x"] - m), max(0, box["y"] - m), box["w"] + 2 * m, box["h"] + 2 * m)
            allow_crop = True
        name_out = self.finish(img, rng, allow_crop, part_dir, i)
        src, lic = self.provenance(ctx, name)
        return dict(file=f"widgets/{name_out}", is_captcha=1, kind=kind, family=f"{name}/{ws}", source=src, license=lic)

    # ------------------------------------------------------------ negatives
    def negative(self, i, part_dir):
        a = self.args
        rng = random.Random(f"{a.seed}:ui_neg:{i}")
        names = list(negatives.NEGATIVES)
        name = rng.choices(names, [negatives.NEGATIVES[n][2] for n in names])[0]
        fn, kind, _ = negatives.NEGATIVES[name]
        lang = rng.choices(LANGS, (0.34,) + (0.0733,) * 9)[0]
        ctx = Ctx(rng, lang, self.photos, self.scenes, "")
        n = fn(ctx)
        _, pv = pages.page_vars(ctx)
        if n.get("fullpage"):
            vw, vh = n.get("vw") or rng.randint(800, 1400), n.get("vh") or rng.randint(600, 1000)
            html, _ = page_html(ctx, n["html"], f"padding:0;display:block;{n.get('style', '')}", pv)
            box = self.shoot(html, i, vw, vh, 1, True)
            h = min(max(vh, int(box["dh"])), 1600) if rng.random() < 0.3 else vh
            img = self.capture(0, 0, vw, h)
            allow_crop = rng.random() < 0.5
        else:
            scale = rng.choices((1, 1.25, 1.5, 2), (60, 12, 18, 10))[0]
            html, pad = page_html(ctx, n["html"], n.get("style", ""), pv)
            box = self.shoot(html, i, 1400, 1200, scale, False)
            if box["w"] * scale > 1400:
                scale = 1
                box = self.shoot(html, i, 1400, 1200, scale, False)
            m = rng.randint(0, pad)
            img = self.capture(max(0, box["x"] - m), max(0, box["y"] - m), box["w"] + 2 * m, box["h"] + 2 * m)
            allow_crop = True
        name_out = self.finish(img, rng, allow_crop, part_dir, i)
        src, lic = self.provenance(ctx, name)
        return dict(file=f"ui_neg/{name_out}", is_captcha=0, kind=kind, family=f"{name}/{lang}", source=src, license=lic)

    def run_part(self, part, count, fn):
        d = os.path.join(self.args.out, part)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith((".png", ".jpg", ".csv")):
                os.remove(os.path.join(d, f))
        rows = []
        t0 = time.time()
        for i in range(count):
            rows.append(fn(i, d))
            if (i + 1) % 200 == 0:
                print(f"{part}: {i + 1}/{count} {time.time() - t0:.0f}s", flush=True)
        with open(os.path.join(d, "manifest.csv"), "w", newline="") as f:
            wr = csv.DictWriter(f, fieldnames=FIELDS)
            wr.writeheader()
            wr.writerows(rows)
        print(f"{part}: {count} images in {time.time() - t0:.0f}s", flush=True)

    def rerun(self, part, indices, fn):
        d = os.path.join(self.args.out, part)
        path = os.path.join(d, "manifest.csv")
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        for i in indices:
            old = os.path.join(self.args.out, rows[i]["file"])
            if os.path.exists(old):
                os.remove(old)
            rows[i] = fn(i, d)
        with open(path, "w", newline="") as f:
            wr = csv.DictWriter(f, fieldnames=FIELDS)
            wr.writeheader()
            wr.writerows(rows)
        print(f"{part}: re-rendered {len(indices)} images", flush=True)

    def close(self):
        self.browser.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default="/work/corpus/captcha")
    ap.add_argument("--cache", default="/work/cache-corpus-html")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--count-widgets", type=int, default=6000)
    ap.add_argument("--count-ui", type=int, default=3000)
    ap.add_argument("--parts", default="widgets,ui")
    ap.add_argument("--indices", help="file of indices: re-render only these images of the single part "
                    "given in --parts, in place (each image depends only on seed, part and index)")
    a = ap.parse_args()
    r = Renderer(a)
    try:
        parts = a.parts.split(",")
        if a.indices:
            idx = [int(x) for x in open(a.indices).read().split()]
            if parts == ["widgets"]:
                r.rerun("widgets", idx, r.widget)
            elif parts == ["ui"]:
                r.rerun("ui_neg", idx, r.negative)
            else:
                sys.exit("--indices needs exactly one part in --parts")
            return
        if "widgets" in parts:
            r.run_part("widgets", a.count_widgets, r.widget)
        if "ui" in parts:
            r.run_part("ui_neg", a.count_ui, r.negative)
    finally:
        r.close()


if __name__ == "__main__":
    main()
