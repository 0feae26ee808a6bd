"""Shared helpers: per-image context, themes, fonts, icons, photo crops."""
import html as _html
import random

from words import CJK_FONT, lang_of, pick, obj, tup
from words_ui import u

UI_FONTS = ("Roboto", "Open Sans", "Lato", "Inter", "Noto Sans", "DejaVu Sans", "Liberation Sans",
            "Carlito", "Cantarell", "Nimbus Sans", "FreeSans", "Cabin", "Quicksand", "URW Gothic",
            "Noto Sans Display", "TeX Gyre Heros", "Roboto Condensed", "Noto Serif", "Liberation Serif",
            "Gentium", "DejaVu Serif", "C059")
UI_FONT_W = (14, 8, 7, 9, 8, 5, 6, 3, 3, 4, 3, 3, 2, 2, 3, 3, 3, 2, 2, 1, 1, 1)
CAPTCHA_FONTS = ("DejaVu Sans", "DejaVu Serif", "Liberation Serif", "Liberation Mono", "FreeSerif",
                 "FreeMono", "FreeSans", "Comic Neue", "URW Bookman", "C059", "P052", "Z003",
                 "Courier Prime", "Hack", "Fira Code", "Nimbus Mono PS", "Quicksand", "Cabin",
                 "Noto Serif Display", "TeX Gyre Chorus", "TeX Gyre Cursor", "URW Gothic", "Gentium",
                 "Roboto Condensed", "Lato", "Cantarell", "Nimbus Sans Narrow")
ACCENTS = ("#1a73e8", "#4a90e2", "#0074bf", "#00838f", "#2e7d32", "#f48120", "#6a1b9a", "#d32f2f",
           "#0f9d58", "#3b5998", "#ff5722", "#455a64", "#1565c0", "#00a884", "#7b61ff", "#e91e63",
           "#222222", "#0d6efd", "#198754", "#fd7e14")

esc = _html.escape


class Ctx:
    def __init__(self, rng, ws, photos, scenes, cache_url):
        self.rng = rng
        self.ws = ws
        self.lang = lang_of(ws)
        self.photos = photos
        self.scenes = scenes
        self.cache_url = cache_url
        self.sources = set()
        self.font = rng.choices(UI_FONTS, UI_FONT_W)[0]
        self.dark = rng.random() < 0.22
        self.accent = rng.choice(ACCENTS)
        self.radius = rng.choice((0, 2, 3, 4, 4, 6, 8, 8, 10, 12, 16))
        self.fs = rng.choice((13, 14, 14, 15, 16))

    # wording
    def w(self, key, **kw):
        s = pick(key, self.ws)
        return s.format(**kw) if kw else s

    def u(self, key, **kw):
        s = u(key, self.ws)
        return s.format(**kw) if kw else s

    def obj(self, name, plural=True):
        return obj(name, self.ws, plural)

    def tup(self, t):
        return tup(t, self.ws)

    def stack(self, font=None):
        f = font or self.font
        cjk = CJK_FONT.get(self.lang)
        fb = [f"'{f}'"]
        if cjk:
            fb.append(f"'{cjk}'")
        fb += ["'Noto Sans'", "'DejaVu Sans'", "'Noto Sans CJK SC'", "sans-serif"]
        return ", ".join(fb)

    def page_colors(self):
        if self.dark:
            return dict(page=self.rng.choice(("#121212", "#1e1e1e", "#202124", "#15202b", "#0d1117", "#2b2b2b")),
                        panel=self.rng.choice(("#242424", "#2d2d2d", "#1f2937", "#30363d", "#262a33")),
                        fg="#e8eaed", muted="#9aa0a6", border="#3c4043", input="#1b1b1b")
        return dict(page=self.rng.choice(("#ffffff", "#f5f5f5", "#f0f2f5", "#fafafa", "#eef1f5", "#f7f7f2", "#e9ecef", "#ffffff")),
                    panel=self.rng.choice(("#ffffff", "#ffffff", "#fdfdfd", "#f9f9f9")),
                    fg=self.rng.choice(("#202124", "#222", "#111827", "#333", "#1d1d1f")),
                    muted=self.rng.choice(("#5f6368", "#666", "#6b7280", "#777")),
                    border=self.rng.choice(("#dadce0", "#d0d7de", "#ddd", "#e5e7eb", "#ccc")), input="#fff")

    # photos
    def photo(self, scenes_share=0.4):
        if self.rng.random() < scenes_share:
            p = self.rng.choice(self.scenes)
        else:
            p = self.rng.choice(self.photos)
        self.sources.add((p.source, p.license))
        return p

    def url(self, p):
        return "file://" + p.path

    def photo_css(self, p=None, zoom=None, blur=None):
        """background CSS showing a random crop of a photo."""
        p = p or self.photo()
        z = zoom if zoom is not None else self.rng.uniform(1.0, 2.6)
        px, py = self.rng.randint(0, 100), self.rng.randint(0, 100)
        filt = ""
        if blur is None:
            blur = self.rng.random() < 0.3
        if blur:
            filt = f"filter:blur({self.rng.uniform(0.3, 1.2):.1f}px) saturate({self.rng.uniform(0.6, 1.2):.2f});"
        return (f"background-image:url('{self.url(p)}');background-size:{z * 100:.0f}% auto;"
                f"background-position:{px}% {py}%;background-color:#888;{filt}")


def j(*parts):
    return "".join(parts)


# ---------------------------------------------------------------- icons (drawn here, generic)
def icon(name, size=24, color="currentColor", sw=2):
    s = size
    P = {
        "reload": '<path d="M20 12a8 8 0 1 1-2.34-5.66" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/><path d="M20 4v5h-5" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round" stroke-linejoin="round"/>',
        "audio": '<path d="M4 14v-2a8 8 0 0 1 16 0v2" fill="none" stroke="{c}" stroke-width="{w}"/><rect x="3" y="13" width="5" height="7" rx="1.5" fill="{c}"/><rect x="16" y="13" width="5" height="7" rx="1.5" fill="{c}"/>',
        "info": '<circle cx="12" cy="12" r="9" fill="none" stroke="{c}" stroke-width="{w}"/><rect x="11" y="10" width="2" height="7" fill="{c}"/><circle cx="12" cy="7" r="1.3" fill="{c}"/>',
        "check": '<path d="M4 12.5l5 5L20 6.5" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round" stroke-linejoin="round"/>',
        "arrow": '<path d="M4 12h15M13 6l6 6-6 6" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round" stroke-linejoin="round"/>',
        "dblarrow": '<path d="M5 6l6 6-6 6M12 6l6 6-6 6" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round" stroke-linejoin="round"/>',
        "shield": '<path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z" fill="{c}"/><path d="M8 12l3 3 5-6" fill="none" stroke="#fff" stroke-width="2"/>',
        "lock": '<rect x="5" y="10" width="14" height="11" rx="2" fill="{c}"/><path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "x": '<path d="M6 6l12 12M18 6L6 18" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "menu": '<path d="M4 7h16M4 12h16M4 17h16" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "globe": '<circle cx="12" cy="12" r="9" fill="none" stroke="{c}" stroke-width="{w}"/><path d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18" fill="none" stroke="{c}" stroke-width="1.5"/>',
        "search": '<circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="{c}" stroke-width="{w}"/><path d="M15.5 15.5L21 21" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "user": '<circle cx="12" cy="8" r="4" fill="{c}"/><path d="M4 21c0-4.5 3.5-7 8-7s8 2.5 8 7z" fill="{c}"/>',
        "mail": '<rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="{c}" stroke-width="{w}"/><path d="M3 7l9 6 9-6" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "bell": '<path d="M6 17V11a6 6 0 0 1 12 0v6l2 2H4z" fill="{c}"/><circle cx="12" cy="21" r="2" fill="{c}"/>',
        "gear": '<circle cx="12" cy="12" r="3.2" fill="none" stroke="{c}" stroke-width="{w}"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "home": '<path d="M3 11l9-8 9 8v10h-6v-6H9v6H3z" fill="{c}"/>',
        "cart": '<path d="M3 4h3l2.5 11h10L21 7H7" fill="none" stroke="{c}" stroke-width="{w}"/><circle cx="9" cy="19" r="1.6" fill="{c}"/><circle cx="17" cy="19" r="1.6" fill="{c}"/>',
        "folder": '<path d="M3 6a1 1 0 0 1 1-1h6l2 2h8a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z" fill="{c}"/>',
        "file": '<path d="M6 2h8l5 5v15H6z" fill="{c}" opacity=".85"/><path d="M14 2v5h5" fill="none" stroke="#fff" stroke-width="1.5"/>',
        "image": '<rect x="3" y="4" width="18" height="16" rx="2" fill="none" stroke="{c}" stroke-width="{w}"/><circle cx="9" cy="9.5" r="2" fill="{c}"/><path d="M4 18l5-5 4 4 3-3 4 4" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "upload": '<path d="M12 16V4M6 10l6-6 6 6" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/><path d="M4 16v4h16v-4" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "star": '<path d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3 6.1 20.6l1.3-6.6L2.5 9.4l6.6-.8z" fill="{c}"/>',
        "heart": '<path d="M12 21s-8-5.3-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 5.7-8 11-8 11z" fill="{c}"/>',
        "play": '<path d="M7 4l13 8-13 8z" fill="{c}"/>',
        "pause": '<rect x="6" y="4" width="4" height="16" fill="{c}"/><rect x="14" y="4" width="4" height="16" fill="{c}"/>',
        "speaker": '<path d="M4 9h4l5-4v14l-5-4H4z" fill="{c}"/><path d="M16 8a5 5 0 0 1 0 8M18.5 5.5a8.5 8.5 0 0 1 0 13" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "sun": '<circle cx="12" cy="12" r="4.5" fill="{c}"/><path d="M12 1.5v3M12 19.5v3M1.5 12h3M19.5 12h3M4.6 4.6l2.1 2.1M17.3 17.3l2.1 2.1M4.6 19.4l2.1-2.1M17.3 6.7l2.1-2.1" stroke="{c}" stroke-width="{w}"/>',
        "rotl": '<path d="M5 12a7 7 0 1 0 2-5" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/><path d="M4 3v5h5" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "rotr": '<path d="M19 12a7 7 0 1 1-2-5" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/><path d="M20 3v5h-5" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "chev": '<path d="M9 5l7 7-7 7" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "chevd": '<path d="M5 9l7 7 7-7" fill="none" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "dots": '<circle cx="5" cy="12" r="2" fill="{c}"/><circle cx="12" cy="12" r="2" fill="{c}"/><circle cx="19" cy="12" r="2" fill="{c}"/>',
        "hand": '<path d="M8 13V5a1.5 1.5 0 0 1 3 0v6-8a1.5 1.5 0 0 1 3 0v8-6a1.5 1.5 0 0 1 3 0v9c0 4-2.5 7-6.5 7S5 19 4 16l-1.5-4a1.4 1.4 0 0 1 2.6-1z" fill="{c}"/>',
        "cloud": '<path d="M6 19a4 4 0 0 1-.6-8A6 6 0 0 1 17 9.5a4.8 4.8 0 0 1 .5 9.5z" fill="{c}"/>',
        "phone": '<rect x="7" y="2" width="10" height="20" rx="2" fill="none" stroke="{c}" stroke-width="{w}"/><circle cx="12" cy="18" r="1" fill="{c}"/>',
        "calendar": '<rect x="3" y="5" width="18" height="16" rx="2" fill="none" stroke="{c}" stroke-width="{w}"/><path d="M3 10h18M8 3v4M16 3v4" stroke="{c}" stroke-width="{w}"/>',
        "chart": '<path d="M4 20V10M10 20V4M16 20v-7M21 20H3" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "plus": '<path d="M12 5v14M5 12h14" stroke="{c}" stroke-width="{w}" stroke-linecap="round"/>',
        "trash": '<path d="M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13" fill="none" stroke="{c}" stroke-width="{w}"/>',
        "eye": '<path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z" fill="none" stroke="{c}" stroke-width="{w}"/><circle cx="12" cy="12" r="3" fill="{c}"/>',
        "crop": '<path d="M6 2v16h16M2 6h16v16" fill="none" stroke="{c}" stroke-width="{w}"/>',
    }
    body = P[name].format(c=color, w=sw)
    return f'<svg class="ic" width="{s}" height="{s}" viewBox="0 0 24 24">{body}</svg>'


def shape_svg(kind, size, fill, stroke="none", sw=0, rot=0):
    """A simple geometric shape as an inline SVG."""
    d = {
        "circle": '<circle cx="50" cy="50" r="42"/>',
        "square": '<rect x="12" y="12" width="76" height="76"/>',
        "triangle": '<polygon points="50,8 92,88 8,88"/>',
        "star": '<polygon points="50,5 61,38 95,38 67,58 78,92 50,71 22,92 33,58 5,38 39,38"/>',
        "pentagon": '<polygon points="50,6 94,38 77,90 23,90 6,38"/>',
        "hexagon": '<polygon points="27,8 73,8 96,50 73,92 27,92 4,50"/>',
        "diamond": '<polygon points="50,4 94,50 50,96 6,50"/>',
        "heart": '<path d="M50 88S10 62 10 34a20 20 0 0 1 40-6 20 20 0 0 1 40 6c0 28-40 54-40 54z"/>',
        "cross": '<polygon points="38,8 62,8 62,38 92,38 92,62 62,62 62,92 38,92 38,62 8,62 8,38 38,38"/>',
        "moon": '<path d="M62 8a42 42 0 1 0 30 62A34 34 0 1 1 62 8z"/>',
        "arrow": '<polygon points="8,38 58,38 58,16 94,50 58,84 58,62 8,62"/>',
        "ring": '<circle cx="50" cy="50" r="36" fill="none" stroke-width="14"/>',
    }[kind]
    st = f'stroke="{stroke}" stroke-width="{sw}"' if stroke != "none" else ""
    if kind == "ring":
        return (f'<svg width="{size}" height="{size}" viewBox="0 0 100 100" style="transform:rotate({rot}deg)">'
                f'<g stroke="{fill}">{d}</g></svg>')
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 100 100" style="transform:rotate({rot}deg)">'
            f'<g fill="{fill}" {st}>{d}</g></svg>')


SHAPES = ("circle", "square", "triangle", "star", "pentagon", "hexagon", "diamond", "heart", "cross",
          "moon", "arrow", "ring")
BRIGHT = ("#e53935", "#1e88e5", "#43a047", "#fdd835", "#8e24aa", "#fb8c00", "#00acc1", "#6d4c41",
          "#ec407a", "#3949ab", "#7cb342", "#546e7a")

SITES = ("shop.example.com", "www.northwind-outdoor.com", "accounts.brightlane.io", "portal.kestrel-bank.net",
         "tickets.riverside-arena.org", "www.mercado-azul.es", "boutique-lumiere.fr", "konto.nordlicht.de",
         "loja.sabiá.com.br", "www.libreria-tosca.it", "market.berezka.ru", "www.huayuan-mall.cn",
         "www.sakura-books.jp", "hesap.anadolu-market.com.tr", "forum.pixelcraft.dev", "app.tallyho.co")
INVENTED_BRANDS = ("SecureCheck", "HumanGate", "BotShield", "VeriBox", "Captchly", "GuardIQ", "TrustLoop",
                   "SafeClick", "NoBotz", "Sentinel", "CheckPoint ID", "ProveHuman", "Aegis Verify",
                   "FriendlyGuard", "Humanly", "ClearPass")
