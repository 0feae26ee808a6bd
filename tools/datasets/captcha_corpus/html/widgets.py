"""CAPTCHA widget templates (lookalikes drawn with HTML/CSS/SVG; no vendor assets).

Every function takes a Ctx and returns dict(html=..., kind=..., style=...) where html
contains one element with id="cap" (the widget) and style holds CSS custom properties.
"""
import json

import pages
from common import (BRIGHT, INVENTED_BRANDS, SHAPES, SITES, esc, icon, shape_svg)
from words import CLICK_TARGETS, OBJECTS, SELECT_OBJECT_CATS


def brand(ctx, real):
    if ctx.rng.random() < 0.4:
        return real
    return ctx.rng.choice(INVENTED_BRANDS)


def logo_arrows(size=32):
    # two circular arrows, drawn here (generic lookalike)
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 32 32">'
            '<path d="M16 4a12 12 0 0 1 11.3 8" fill="none" stroke="#1c3aa9" stroke-width="4"/>'
            '<path d="M28.5 6v8h-8z" fill="#1c3aa9"/>'
            '<path d="M28 16a12 12 0 0 1-12 12" fill="none" stroke="#4285f4" stroke-width="4"/>'
            '<path d="M4 16a12 12 0 0 1 4-9" fill="none" stroke="#ababab" stroke-width="4"/>'
            '<path d="M16 28a12 12 0 0 1-12-12" fill="none" stroke="#ababab" stroke-width="4"/>'
            '<path d="M3 26v-8h8z" fill="#ababab"/></svg>')


def logo_blocks(size=30, c1="#0074bf", c2="#00838f"):
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 30 30">'
            f'<rect x="3" y="3" width="10" height="10" rx="2" fill="{c1}" opacity=".8"/>'
            f'<rect x="16" y="3" width="10" height="10" rx="2" fill="{c2}" opacity=".55"/>'
            f'<rect x="3" y="16" width="10" height="10" rx="2" fill="{c2}" opacity=".55"/>'
            f'<rect x="16" y="16" width="10" height="10" rx="5" fill="{c1}"/></svg>')


def logo_cloud(size=40):
    return (f'<svg width="{size}" height="{int(size * .55)}" viewBox="0 0 40 22">'
            '<circle cx="13" cy="13" r="8" fill="#f38020"/><circle cx="22" cy="10" r="9" fill="#f38020"/>'
            '<circle cx="30" cy="14" r="6" fill="#fbad41"/><rect x="8" y="13" width="28" height="8" rx="4" fill="#f38020"/></svg>')


def spinner_svg(size, c="#4a90e2", c2="#c6dafc"):
    return (f'<svg width="{size}" height="{size}" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="none" stroke="{c2}" stroke-width="3"/>'
            f'<path d="M12 3a9 9 0 0 1 9 9" fill="none" stroke="{c}" stroke-width="3" stroke-linecap="round"/></svg>')


# ================================================================ checkbox family
def cb_recap(ctx):
    r = ctx.rng
    compact = r.random() < 0.15
    dark = ctx.dark
    st = r.choices(("empty", "spin", "done"), (6, 2, 2))[0]
    if st == "empty":
        box = '<div class="bx"></div>'
    elif st == "spin":
        box = f'<div class="bx done">{spinner_svg(30)}</div>'
    else:
        box = f'<div class="bx done">{icon("check", 30, "#009e55", 3.2)}</div>'
    label = ctx.w("not_robot") if r.random() < 0.85 else ctx.w("im_human")
    b = brand(ctx, "reCAPTCHA")
    err = ""
    if st == "empty" and r.random() < 0.12:
        err = f'<div class="err">{esc(ctx.w("try_again"))}</div>'
    logo = logo_arrows(32 if r.random() < 0.8 else 28) if r.random() < 0.8 else icon("shield", 30, ctx.accent)
    w, h = (158, 138) if compact else (r.choice((300, 302, 304, 304, 304, 310, 320)), r.choice((74, 76, 78, 78, 80)))
    html = (f'<div id="cap" class="cbr{" dark" if dark else ""}{" compact" if compact else ""}" style="position:relative">{err}'
            f'{"<div class=row>" if compact else ""}{box}<span class="lab">{esc(label)}</span>{"</div>" if compact else ""}'
            f'<div class="logo">{logo}<div class="br">{esc(b)}</div><div class="pt">{esc(ctx.w("privacy_terms"))}</div></div></div>')
    return dict(html=html, style=f"--w:{w}px;--h:{h}px;--font:{ctx.stack(r.choice(('Roboto', 'Roboto', 'Open Sans', 'Noto Sans', 'Liberation Sans')))}")


def cb_hcap(ctx):
    r = ctx.rng
    st = r.choices(("empty", "spin", "done"), (6, 2, 2))[0]
    if st == "empty":
        box = '<div class="bx"></div>'
    elif st == "spin":
        box = f'<div class="bx done">{spinner_svg(28, "#0074bf", "#d0e8f5")}</div>'
    else:
        box = f'<div class="bx">{icon("check", 22, "#00838f", 3)}</div>'
    label = ctx.w("im_human") if r.random() < 0.8 else ctx.w("not_robot")
    b = brand(ctx, "hCaptcha")
    w, h = r.choice((300, 302, 303, 310)), r.choice((74, 76, 78))
    html = (f'<div id="cap" class="cbh{" dark" if ctx.dark else ""}">{box}<span class="lab">{esc(label)}</span>'
            f'<div class="logo">{logo_blocks(30)}<div>{esc(b)}</div><div>{esc(ctx.w("privacy_terms"))}</div></div></div>')
    return dict(html=html, style=f"--w:{w}px;--h:{h}px;--font:{ctx.stack(r.choice(('Roboto', 'Helvetica', 'Noto Sans', 'Inter', 'Arial')))}")


def cb_turnstile(ctx):
    r = ctx.rng
    st = r.choices(("empty", "spin", "done"), (5, 3, 2))[0]
    if st == "empty":
        box, lab = '<div class="bx"></div>', ctx.w("verify_human")
    elif st == "spin":
        box, lab = '<div class="bx spin"></div>', ctx.w("verifying")
    else:
        box, lab = f'<div class="bx done">{icon("check", 16, "#fff", 3)}</div>', ctx.w("success")
    b = brand(ctx, "CLOUDFLARE") if r.random() < 0.7 else ""
    logo = logo_cloud(38) if r.random() < 0.75 else icon("shield", 26, ctx.accent)
    w, h = r.choice((300, 300, 300, 320, 340)), r.choice((65, 65, 68, 72))
    html = (f'<div id="cap" class="cbt{" dark" if ctx.dark else ""}">{box}<span class="lab">{esc(lab)}</span>'
            f'<div class="logo">{logo}<b>{esc(b.upper())}</b>{esc(ctx.w("privacy_terms"))}</div></div>')
    return dict(html=html, style=f"--w:{w}px;--h:{h}px;--r:{r.choice((0, 0, 2, 4, 6))}px;--font:{ctx.stack()}")


def cb_generic(ctx):
    r = ctx.rng
    lay = r.randint(0, 3)
    b = ctx.rng.choice(INVENTED_BRANDS)
    on = r.random() < 0.3
    big = f'<div class="big{" on" if on else ""}">{icon("check", 18, "#fff", 3) if on else ""}</div>'
    foot = f'<div class="foot">{icon("shield", 14, ctx.accent)} {esc(ctx.w("protected_by"))} <b>{esc(b)}</b><span class="sp"></span>{esc(ctx.w("privacy_terms"))}</div>'
    if lay == 0:
        body = (f'<div class="hd">{icon("shield", 26, ctx.accent)}{esc(ctx.w("security_check"))}</div>'
                f'<div class="muted small">{esc(ctx.w("complete_action"))}</div>'
                f'<div class="row2">{big}<span>{esc(ctx.w("not_robot"))}</span></div>{foot}')
    elif lay == 1:
        body = (f'<div class="hd">{esc(ctx.w("not_bot_question"))}</div>'
                f'<div class="row2">{big}<span>{esc(ctx.w("im_human"))}</span><span class="sp"></span>{icon("reload", 18, "var(--muted)")}</div>{foot}')
    elif lay == 2:
        body = (f'<div class="hd">{icon("lock", 22, ctx.accent)}{esc(ctx.w("verify_human"))}</div>'
                f'<div class="muted small">{esc(ctx.w("unusual_traffic"))}</div>'
                f'<div class="pill">{icon("check", 18, "#fff", 3) if on else spinner_svg(18, "#fff", "rgba(255,255,255,.3)")}'
                f'{esc(ctx.w("verifying") if not on else ctx.w("success"))}</div>{foot}')
    else:
        body = (f'<div class="row2" style="margin-top:0">{big}<span>{esc(ctx.w("verify_human"))}</span><span class="sp"></span>'
                f'<span style="text-align:right;font-size:.7em" class="muted">{icon("shield", 20, ctx.accent)}<br>{esc(b)}</span></div>')
    w = r.randint(300, 420)
    return dict(html=f'<div id="cap" class="cbg shadow">{body}</div>', style=f"--w:{w}px;--font:{ctx.stack()}")


def cb_presshold(ctx):
    r = ctx.rng
    fill = r.choice((0, 0, 20, 45, 70, 100))
    ref = "".join(r.choice("0123456789abcdef") for _ in range(8)) + "-" + "".join(r.choice("0123456789abcdef") for _ in range(4))
    title = r.choice((ctx.w("security_check"), ctx.w("not_bot_question"), ctx.w("verify_human")))
    html = (f'<div id="cap" class="cbp shadow"><h3>{esc(title)}</h3><div class="muted">{esc(ctx.w("press_hold_desc"))}</div>'
            f'<div class="hb"><div class="fill" style="width:{fill}%"></div>{icon("hand", 18, ctx.accent) if r.random() < .4 else ""} {esc(ctx.w("press_hold"))}</div>'
            f'<div class="ref">Reference ID {ref}</div></div>')
    return dict(html=html, style=f"--w:{r.randint(320, 480)}px;--font:{ctx.stack()}")


def cb_interstitial(ctx):
    """A whole challenge page: site name, 'checking your connection', a checkbox box."""
    r = ctx.rng
    site = r.choice(SITES)
    inner = r.choice((cb_turnstile, cb_turnstile, cb_generic, cb_recap, cb_hcap))(ctx)
    inner_html = inner["html"].replace('id="cap"', 'id="inner"')
    ray = "".join(r.choice("0123456789abcdef") for _ in range(16))
    body = (f'<div style="max-width:{r.randint(640, 900)}px;margin:0 auto;padding:{r.randint(60, 140)}px 24px 40px">'
            f'<h1 style="font-size:{r.choice((28, 32, 36, 40))}px;font-weight:500">{esc(site)}</h1>'
            f'<h2 style="font-size:{r.choice((18, 20, 24))}px;font-weight:400">{esc(r.choice((ctx.w("checking_browser"), ctx.w("verify_human"), ctx.w("complete_action"))))}</h2>'
            f'<div style="margin:28px 0;{inner["style"]}">{inner_html}</div>'
            f'<p>{esc(ctx.w("needs_review", site=site))}</p></div>'
            f'<div style="position:absolute;bottom:0;left:0;right:0;text-align:center;padding:18px;font-size:12px" class="muted">'
            f'Ray ID: <code>{ray}</code> &nbsp;•&nbsp; {esc(ctx.w("protected_by"))} {esc(brand(ctx, "Cloudflare"))}</div>')
    return dict(html=f'<div id="cap" class="fullpage" style="position:relative;min-height:100vh">{body}</div>', style=f"--font:{ctx.stack()}",
                fullpage=True)


# ================================================================ grid family
GRID_OBJS = tuple(OBJECTS)


def _tiles(ctx, n, one_photo=False, sel_p=0.25, cls="tl", ck_color="#fff"):
    r = ctx.rng
    tiles = []
    if one_photo:
        p = ctx.photo(0.5)
        for i in range(n * n):
            x, y = i % n, i // n
            pos = f"{x * 100 / (n - 1):.2f}% {y * 100 / (n - 1):.2f}%"
            tiles.append(f'<div class="{cls}"><div class="in" style="background-image:url(\'{ctx.url(p)}\');'
                         f'background-size:{n * 100}% {n * 100}%;background-position:{pos}"></div></div>')
        return tiles
    for i in range(n * n):
        sel = r.random() < sel_p
        fade = (not sel) and r.random() < 0.06
        ck = f'<div class="ck">{icon("check", 16, ck_color, 3)}</div>' if sel else ""
        tiles.append(f'<div class="{cls}{" sel" if sel else ""}{" fade" if fade else ""}"><div class="in" style="{ctx.photo_css()}"></div>{ck}</div>')
    return tiles


def grid_recap(ctx, four=None):
    r = ctx.rng
    n = 4 if (four if four is not None else r.random() < 0.35) else 3
    o = r.choice(GRID_OBJS)
    w = r.choice((300, 320, 340, 360, 380, 400, 400, 420))
    hd = r.choice(("#4a90e2", "#4a90e2", "#1a73e8", "#3f7fd8", "#5b95e8"))
    if n == 4:
        l1 = ctx.w("select_all_squares")
        l3 = ctx.w("if_none_skip")
    else:
        l1 = r.choice((ctx.w("select_all_images"), ctx.w("click_each")))
        l3 = r.choice((ctx.w("click_verify_none"), ctx.w("if_none_skip"), ""))
    ex = f'<div class="ex" style="{ctx.photo_css(blur=False)}"></div>' if (n == 3 and r.random() < 0.3) else ""
    tiles = _tiles(ctx, n, one_photo=(n == 4 and r.random() < 0.85))
    btn = r.choice((ctx.w("verify"), ctx.w("skip"), ctx.w("next"))).upper()
    err = f'<div class="errm">{esc(ctx.w("try_again"))}</div>' if r.random() < 0.1 else ""
    l2 = ctx.obj(o, plural=(l1 != ctx.w("click_each")))
    html = (f'<div id="cap" class="grr"><div class="hd"><div class="t"><div class="l1">{esc(l1)}</div>'
            f'<div class="l2">{esc(l2)}</div><div class="l3">{esc(l3)}</div></div>{ex}</div>'
            f'<div class="gd{" one" if n == 4 else ""}" style="grid-template-columns:repeat({n},1fr)">{"".join(tiles)}</div>{err}'
            f'<div class="ft">{icon("reload", 24, "#555")}{icon("audio", 24, "#555")}{icon("info", 24, "#555")}<span class="sp"></span>'
            f'<span class="btn">{esc(btn)}</span></div></div>')
    return dict(html=html, style=f"--w:{w}px;--hd:{hd};--font:{ctx.stack(r.choice(('Roboto', 'Roboto', 'Open Sans', 'Noto Sans')))}")


def grid_recap4(ctx):
    return grid_recap(ctx, four=True)


def grid_hcap(ctx):
    r = ctx.rng
    n = r.choice((3, 3, 3, 2))
    o = r.choice(GRID_OBJS)
    w = r.choice((360, 380, 400, 420, 460, 500, 520))
    if r.random() < 0.7:
        txt = f'{esc(ctx.w("hc_click_each"))} <b>{esc(ctx.obj(o, plural=False))}</b>'
    else:
        txt = f'{esc(ctx.w("hc_click_on"))} <b>{esc(ctx.tup(r.choice(CLICK_TARGETS)))}</b>'
    ex = f'<div class="ex" style="{ctx.photo_css(blur=False)}"></div>' if r.random() < 0.7 else ""
    tiles = _tiles(ctx, n, sel_p=0.2, cls="tl")
    tiles = [t.replace('<div class="in" style="', '<div class="in" style="position:absolute;inset:0;') for t in tiles]
    k = r.randint(1, 3)
    dots = "".join(f'<i class="{"on" if i < k else ""}"></i>' for i in range(r.choice((2, 3, 4))))
    btn = r.choice((ctx.w("next"), ctx.w("skip"), ctx.w("verify"))).capitalize()
    html = (f'<div id="cap" class="grh"><div class="pr"><div class="t">{txt}</div>{ex}</div>'
            f'<div class="gd" style="grid-template-columns:repeat({n},1fr)">{"".join(tiles)}</div>'
            f'<div class="ft">{icon("menu", 22)}{icon("info", 22)}{icon("reload", 22)}'
            f'{("<span class=lang>" + ctx.lang.upper() + "</span>") if r.random() < .5 else ""}<span class="sp"></span>'
            f'<div class="dots">{dots}</div><span class="btn">{esc(btn)}</span></div></div>')
    accent = r.choice(("#0074bf", "#00838f", "#555", "#1e88e5", "#3d8fd1"))
    return dict(html=html, style=f"--w:{w}px;--accent:{accent};--font:{ctx.stack()}")


ICON_SET = {  # tiny drawings for generic grids: (kind, draw)
    "fly": ("plane", "bird", "balloon"), "kitchen": ("cup", "pan", "fork"), "water": ("fish", "boat", "duck"),
    "wheels": ("car", "bike", "cart"), "other": ("tree", "house", "chair", "lamp", "shoe", "book", "key", "clock"),
}


def tiny_obj(name, size, col):
    s = size
    d = {
        "plane": '<path d="M10 52l35-6 20-30h8l-10 30 25-4 8-10h6l-4 16 4 16h-6l-8-10-25-4 10 30h-8L45 60l-35-6z"/>',
        "bird": '<path d="M10 50c20-20 30-20 40 0 10-20 20-20 40 0-20-8-30 0-40 14C40 50 30 42 10 50z"/>',
        "balloon": '<ellipse cx="50" cy="38" rx="26" ry="30"/><path d="M46 68h8l-4 6zM50 74c-4 8 4 12 0 22" stroke-width="2" fill="none"/>',
        "cup": '<path d="M20 30h46v30a18 18 0 0 1-18 18H38a18 18 0 0 1-18-18z"/><path d="M66 38h8a10 10 0 0 1 0 20h-8" fill="none" stroke-width="6"/>',
        "pan": '<circle cx="40" cy="55" r="26"/><rect x="62" y="50" width="34" height="9" rx="4"/>',
        "fork": '<rect x="46" y="40" width="8" height="52" rx="3"/><path d="M34 8h4v24h4V8h4v24h4V8h4v24h4V8h4v26a16 16 0 0 1-32 0z"/>',
        "fish": '<path d="M12 50c18-24 50-24 66 0-16 24-48 24-66 0z"/><path d="M76 50l16-16v32z"/>',
        "boat": '<path d="M10 60h80l-12 20H22z"/><path d="M48 10v46H22z"/>',
        "duck": '<ellipse cx="46" cy="62" rx="32" ry="18"/><circle cx="70" cy="34" r="14"/><path d="M82 32l12 4-12 4z"/>',
        "car": '<path d="M8 64v-16l14-4 12-16h32l14 16 12 4v16z"/><circle cx="28" cy="66" r="10"/><circle cx="72" cy="66" r="10"/>',
        "bike": '<circle cx="24" cy="64" r="16" fill="none" stroke-width="6"/><circle cx="76" cy="64" r="16" fill="none" stroke-width="6"/><path d="M24 64l18-28h24l10 28M42 36l12 28h22" fill="none" stroke-width="6"/>',
        "cart": '<path d="M8 20h14l10 40h46l10-30H28" fill="none" stroke-width="7"/><circle cx="38" cy="76" r="7"/><circle cx="72" cy="76" r="7"/>',
        "tree": '<circle cx="50" cy="36" r="28"/><rect x="44" y="56" width="12" height="36"/>',
        "house": '<path d="M12 48L50 14l38 34v42H12z"/>',
        "chair": '<rect x="26" y="10" width="10" height="80"/><rect x="26" y="48" width="48" height="10"/><rect x="64" y="48" width="10" height="42"/>',
        "lamp": '<path d="M30 14h40l14 34H16z"/><rect x="46" y="48" width="8" height="34"/><rect x="28" y="82" width="44" height="8"/>',
        "shoe": '<path d="M10 48l24-8 10 10 28 4 18 14v10H10z"/>',
        "book": '<rect x="18" y="12" width="60" height="76" rx="4"/><rect x="26" y="22" width="44" height="6" fill="#fff"/>',
        "key": '<circle cx="30" cy="50" r="18"/><rect x="44" y="46" width="48" height="9"/><rect x="76" y="54" width="8" height="14"/>',
        "clock": '<circle cx="50" cy="50" r="38"/><path d="M50 24v28l16 10" stroke="#fff" stroke-width="6" fill="none"/>',
    }[name]
    return (f'<svg width="{s}" height="{s}" viewBox="0 0 100 100"><g fill="{col}" stroke="{col}" stroke-width="0">{d}</g></svg>')


def grid_generic(ctx):
    r = ctx.rng
    cols, rows = r.choice(((3, 3), (3, 2), (4, 2), (2, 2), (4, 3), (3, 3)))
    w = r.randint(320, 540)
    mode = r.choice(("photo", "icons", "icons"))
    cat_i = r.randrange(len(SELECT_OBJECT_CATS))
    if mode == "icons":
        q = f'{esc(ctx.w("select_objects"))} <b>{esc(ctx.tup(SELECT_OBJECT_CATS[cat_i]))}</b>'
        pool_in = ICON_SET[("fly", "kitchen", "water", "wheels")[cat_i]]
        cells = []
        for _ in range(cols * rows):
            nm = r.choice(pool_in) if r.random() < 0.4 else r.choice(ICON_SET["other"] + ICON_SET[r.choice(("fly", "kitchen", "water", "wheels"))])
            sel = r.random() < 0.2
            ck = f'<div class="ck">{icon("check", 14, "#fff", 3)}</div>' if sel else ""
            cells.append(f'<div class="tl{" sel" if sel else ""}">{tiny_obj(nm, int(w / cols * 0.55), r.choice(BRIGHT) if r.random() < .6 else "var(--fg)")}{ck}</div>')
    else:
        o = r.choice(GRID_OBJS)
        q = r.choice((f'{esc(ctx.w("challenge_q"))}: <b>{esc(ctx.obj(o))}</b>',
                      f'{esc(ctx.w("select_all_images"))} <b>{esc(ctx.obj(o))}</b>',
                      f'{esc(ctx.w("click_each"))} <b>{esc(ctx.obj(o, False))}</b>'))
        cells = []
        for _ in range(cols * rows):
            sel = r.random() < 0.22
            ck = f'<div class="ck">{icon("check", 14, "#fff", 3)}</div>' if sel else ""
            cells.append(f'<div class="tl{" sel" if sel else ""}" style="{ctx.photo_css()}">{ck}</div>')
    btn = r.choice((ctx.w("verify"), ctx.w("submit"), ctx.w("next"))).capitalize()
    ft = (f'<div class="ft">{icon("reload", 20)}{icon("audio", 20) if r.random() < .5 else ""}{icon("info", 20) if r.random() < .5 else ""}'
          f'<span class="sp"></span><span class="btn">{esc(btn)}</span></div>')
    head = ""
    if r.random() < 0.4:
        head = f'<div class="row" style="margin-bottom:10px;font-weight:700">{icon("shield", 20, ctx.accent)}{esc(ctx.w("security_check"))}</div>'
    html = (f'<div id="cap" class="grg shadow">{head}<div class="q">{q}</div>'
            f'<div class="gd" style="grid-template-columns:repeat({cols},1fr)">{"".join(cells)}</div>{ft}</div>')
    tb = "#2a2a2a" if ctx.dark else r.choice(("#fff", "#f4f6f8", "#eef2f7", "#fafafa"))
    return dict(html=html, style=f"--w:{w}px;--gap:{r.choice((4, 6, 8, 10))}px;--tilebg:{tb};--font:{ctx.stack()}")


def grid_match(ctx):
    """Reference image on the left, candidates on the right (or 'which way up')."""
    r = ctx.rng
    w = r.randint(380, 560)
    p = ctx.photo(0.3)
    if r.random() < 0.5:
        q = ctx.w("select_matching")
        ref = f'<div class="refimg" style="background-image:url(\'{ctx.url(p)}\')"></div>'
        cells = []
        for _ in range(r.choice((4, 6))):
            pp = p if r.random() < 0.25 else ctx.photo(0.3)
            sel = r.random() < 0.15
            cells.append(f'<div class="tl{" sel" if sel else ""}" style="background-image:url(\'{ctx.url(pp)}\');'
                         f'transform:rotate({r.choice((0, 0, 90, 180, 270))}deg)"></div>')
        grid = f'<div class="gd" style="grid-template-columns:repeat({len(cells) // 2},1fr);flex:1">{"".join(cells)}</div>'
        body = f'<div class="ref">{ref}{grid}</div>'
    else:
        q = ctx.w("rotate_match") if r.random() < 0.3 else r.choice(("Pick the image that is the correct way up", ctx.w("select_matching")))
        cells = []
        for i in range(6):
            sel = r.random() < 0.15
            cells.append(f'<div class="tl{" sel" if sel else ""}"><div style="position:absolute;inset:8%;background-image:url(\'{ctx.url(p)}\');'
                         f'background-size:cover;transform:rotate({r.choice((0, 45, 90, 135, 180, 225, 270, 315))}deg);border-radius:50%"></div></div>')
        body = f'<div class="gd" style="grid-template-columns:repeat(3,1fr)">{"".join(cells)}</div>'
    step = f'<span class="small muted">{r.randint(1, 3)} / {r.choice((3, 5, 10))}</span>'
    html = (f'<div id="cap" class="grg shadow"><div class="q">{esc(q)}</div>{body}'
            f'<div class="ft">{icon("reload", 20)}{icon("audio", 20)}{step}<span class="sp"></span>'
            f'<span class="btn">{esc(ctx.w("submit"))}</span></div></div>')
    tb = "#2a2a2a" if ctx.dark else "#f3f4f6"
    return dict(html=html, style=f"--w:{w}px;--gap:8px;--tilebg:{tb};--font:{ctx.stack()}")


# ================================================================ puzzle family
def jig_path(x, y, s, r):
    k = s * 0.18
    top = f"h{s * .35:.1f} a{k:.1f},{k:.1f} 0 1 1 {s * .3:.1f},0 h{s * .35:.1f}"
    if r.random() < 0.5:
        right = f"v{s * .35:.1f} a{k:.1f},{k:.1f} 0 1 1 0,{s * .3:.1f} v{s * .35:.1f}"
    else:
        right = f"v{s * .35:.1f} a{k:.1f},{k:.1f} 0 1 0 0,{s * .3:.1f} v{s * .35:.1f}"
    bottom = f"h{-s:.1f}"
    left = f"v{-s * .35:.1f} a{k:.1f},{k:.1f} 0 1 {1 if r.random() < .5 else 0} 0,{-s * .3:.1f} v{-s * .35:.1f}" if r.random() < 0.5 else f"v{-s:.1f}"
    return f"M{x:.1f},{y:.1f} {top} {right} {bottom} {left} z"


def _jigsaw_svg(ctx, W, H, piece_at=None, free=False):
    r = ctx.rng
    p = ctx.photo(0.35)
    s = r.randint(int(H * 0.25), int(H * 0.38))
    gx = r.randint(int(W * 0.4), int(W - s * 1.5))
    gy = r.randint(int(s * 0.3), int(H - s * 1.1))
    d = jig_path(gx, gy, s, r)
    if piece_at is None:
        piece_at = r.randint(2, max(3, int(gx * 0.8)))
    dy = 0
    if free:
        dy = r.randint(-gy + 4, int(H - gy - s - 4)) if H - s - 8 > 0 else 0
    dx = piece_at - gx
    asp = "xMidYMid slice"
    gap_fill = r.choice(("rgba(0,0,0,.45)", "rgba(0,0,0,.55)", "rgba(255,255,255,.6)", "rgba(0,0,0,.3)"))
    stroke = r.choice(("#fff", "rgba(255,255,255,.8)", "#ffd54f", "none"))
    uid = f"c{r.randint(0, 10**9)}"
    shadow = f'<filter id="{uid}s"><feDropShadow dx="0" dy="1" stdDeviation="2" flood-opacity=".6"/></filter>'
    svg = (f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}"><defs><clipPath id="{uid}"><path d="{d}"/></clipPath>{shadow}</defs>'
           f'<image href="{ctx.url(p)}" width="{W}" height="{H}" preserveAspectRatio="{asp}"/>'
           f'<path d="{d}" fill="{gap_fill}" stroke="{stroke}" stroke-width="1.5"/>'
           f'<g transform="translate({dx},{dy})" filter="url(#{uid}s)"><g clip-path="url(#{uid})">'
           f'<image href="{ctx.url(p)}" width="{W}" height="{H}" preserveAspectRatio="{asp}"/></g>'
           f'<path d="{d}" fill="none" stroke="{stroke if stroke != "none" else "#fff"}" stroke-width="1.5"/></g></svg>')
    return svg, piece_at


def pz_slider(ctx):
    r = ctx.rng
    W = r.randint(260, 380)
    H = int(W * r.uniform(0.45, 0.62))
    th = r.choice((34, 38, 40, 44))
    trk_r = r.choice((2, 4, th // 2, 0, 6))
    handle = r.randint(0, int(W * 0.55))
    svg, _ = _jigsaw_svg(ctx, W, H, piece_at=handle + r.randint(0, 6))
    fill_c = r.choice(("rgba(26,115,232,.15)", "rgba(46,125,50,.18)", "rgba(255,152,0,.2)", "rgba(0,0,0,.06)", "#d1e9fe"))
    hdl_c = r.choice(("#fff", "#fff", ctx.accent, "#1991fa"))
    arrow_c = "#fff" if hdl_c != "#fff" else r.choice(("#666", ctx.accent))
    text = ctx.w("slide_puzzle") if handle < 30 else ""
    hd = ""
    if r.random() < 0.6:
        hd = f'<div class="hd">{esc(r.choice((ctx.w("slide_puzzle"), ctx.w("security_check"), ctx.w("drag_piece"))))}<span class="sp"></span>{icon("x", 18, "var(--muted)")}</div>'
    ft = ""
    if r.random() < 0.6:
        ft = f'<div class="ft">{icon("x", 20)}{icon("reload", 20)}{icon("info", 20) if r.random() < .5 else ""}<span class="sp"></span><span class="small">{esc(ctx.w("protected_by"))} {esc(brand(ctx, "GeeTest"))}</span></div>'
    html = (f'<div id="cap" class="pzs shadow">{hd}<div class="img">{svg}</div>'
            f'<div class="trk"><div class="fill" style="width:{handle + th}px"></div><span style="position:relative">{esc(text)}</span>'
            f'<div class="hdl" style="left:{handle}px">{icon(r.choice(("arrow", "dblarrow", "menu")), 20, arrow_c)}</div></div>{ft}</div>')
    st = (f"--w:{W + 30}px;--th:{th}px;--tr:{trk_r}px;--trk:{'#2b2b2b' if ctx.dark else '#f7f9fa'};--fillc:{fill_c};"
          f"--hdl:{hdl_c};--font:{ctx.stack()}")
    return dict(html=html, style=st)


def pz_slidebar(ctx):
    r = ctx.rng
    W = r.randint(260, 400)
    th = r.choice((32, 34, 40, 44, 48))
    done = r.random() < 0.25
    handle = (W - int(th * 1.3) - 2) if done else r.choice((0, 0, r.randint(10, int(W * 0.6))))
    fc = r.choice(("#7ac23c", "#52c41a", "#1a73e8", "#ff9800", ctx.accent))
    inner = esc(r.choice(("验证通过", "OK")) if done and ctx.lang == "zh" else (ctx.w("success") if done else ""))
    hdl = icon("check", 20, fc, 3) if done else icon(r.choice(("dblarrow", "arrow", "chev")), 20, "#666")
    label = ""
    if r.random() < 0.5:
        label = f'<div style="margin-bottom:8px;font-size:.95em">{esc(r.choice((ctx.w("security_check"), ctx.w("verify_human"))))}</div>'
    html = (f'<div id="cap" class="pzb" style="padding:{r.choice((0, 10, 16))}px;background:var(--panel);border-radius:var(--r)">{label}'
            f'<div class="trk"><div class="fill" style="width:{handle + int(th * 0.6)}px">{inner}</div>'
            f'<span style="position:relative">{esc("" if done else ctx.w("slide_right"))}</span>'
            f'<div class="hdl" style="left:{handle}px">{hdl}</div></div></div>')
    st = (f"--w:{W + 32}px;--th:{th}px;--tr:{r.choice((0, 2, 4, th // 2))}px;--trk:{'#2b2b2b' if ctx.dark else r.choice(('#e8e8e8', '#f0f0f0', '#eef1f5'))};"
          f"--fillc:{fc};--hdl:{'#3a3a3a' if ctx.dark else '#fff'};--font:{ctx.stack()}")
    return dict(html=html, style=st)


def pz_rotate(ctx):
    r = ctx.rng
    p = ctx.photo(0.3)
    ang = r.choice((r.randint(20, 340), 90, 180, 270))
    cs = r.randint(150, 220)
    title = ctx.w("rotate_upright") if r.random() < 0.6 else ctx.w("rotate_match")
    if r.random() < 0.55:
        th = r.choice((34, 40))
        handle = r.randint(0, 200)
        body = (f'<div class="circ" style="background-image:url(\'{ctx.url(p)}\');transform:rotate({ang}deg)"></div>'
                f'<div class="pzs" style="border:0;padding:0;background:transparent"><div class="trk"><div class="fill" style="width:{handle + th}px"></div>'
                f'<span style="position:relative">{esc(ctx.w("slide_right")) if handle < 20 else ""}</span>'
                f'<div class="hdl" style="left:{handle}px">{icon("dblarrow", 20, "#666")}</div></div></div>')
        st_extra = f"--th:{th}px;--tr:{th // 2}px;--trk:{'#2b2b2b' if ctx.dark else '#eef1f5'};--fillc:rgba(26,115,232,.15);--hdl:#fff;"
    else:
        st_extra = ""
        hand = f'<div class="sq" style="display:flex;align-items:center;justify-content:center;background:var(--tilebg,#eee);transform:rotate({r.choice((0, 90, 180, 270))}deg)">{icon("hand", cs // 2, "#c58b5f")}</div>'
        obj_ = f'<div class="sq" style="background-image:url(\'{ctx.url(p)}\');transform:rotate({ang}deg)"></div>'
        body = (f'<div class="pair">{obj_}{hand if r.random() < .6 else ""}</div>'
                f'<div class="arrows"><div class="arr">{icon("rotl", 24)}</div><span class="muted small">{r.randint(1, 5)} / 5</span>'
                f'<div class="arr">{icon("rotr", 24)}</div></div>'
                f'<div style="margin-top:14px"><span class="btn">{esc(ctx.w("submit"))}</span></div>')
    html = f'<div id="cap" class="pzr shadow"><div>{esc(title)}</div>{body}</div>'
    return dict(html=html, style=f"--w:{r.randint(300, 420)}px;--cs:{cs}px;{st_extra}--font:{ctx.stack()}")


CHARSETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", "abcdefghijkmnpqrstuvwxyz23456789", "0123456789",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "ABCDEFGHJKLMNPRSTUVWXYZ")


def captcha_canvas(ctx, text=None, W=None, H=None):
    from common import CAPTCHA_FONTS
    r = ctx.rng
    if text is None:
        cs = r.choice(CHARSETS)
        text = "".join(r.choice(cs) for _ in range(r.randint(4, 7)))
    W = W or r.randint(140, 280)
    H = H or r.randint(44, 90)
    fonts = r.sample(CAPTCHA_FONTS, r.choice((1, 1, 2, 3)))
    p = dict(seed=r.randint(1, 2**31 - 1), text=text, fonts=fonts,
             bg=r.choice(("plain", "plain", "grad", "tint", "dark", "plain")),
             bgc=r.choice(("#fff", "#f4f4f4", "#fffbe6", "#eef5ff", "#e6e6e6")),
             speckle=r.choice((0, 0, 0.02, 0.05, 0.1)), gridlines=r.random() < 0.15,
             size=r.uniform(0.5, 0.8), jit=r.uniform(0.2, 1.0), rot=r.uniform(0.1, 0.9),
             skew=r.random() < 0.3, bold=r.random() * 0.8, multi=r.random() < 0.35, black=r.random() < 0.3,
             outline=r.random() < 0.08, lines=r.choice((0, 1, 2, 3, 4, 6, 10)), lw=r.uniform(1, 3),
             arcs=r.choice((0, 0, 1, 2, 3)), dots=r.choice((0, 0, 20, 60, 150)), wave=r.choice((0, 0, 2, 3, 5, 7)))
    return f'<canvas class="tc" width="{W}" height="{H}" data-p=\'{esc(json.dumps(p))}\'></canvas>', W


def pz_textform(ctx):
    r = ctx.rng
    cv, cw = captcha_canvas(ctx)
    tools = f'<div class="tools">{icon("reload", 22)}{icon("audio", 22) if r.random() < .6 else ""}</div>'
    typed = ""
    if r.random() < 0.25:
        typed = "".join(r.choice("abcdefgh23456") for _ in range(r.randint(1, 5)))
    inp = f'<div class="inp{"" if typed else " ph"}">{esc(typed or ctx.w("type_text"))}</div>'
    lay = r.randint(0, 2)
    if lay == 0:
        body = (f'<div class="lbl">{esc(ctx.w("enter_chars"))}</div><div class="cap">{cv}{tools}</div>{inp}'
                f'<div style="margin-top:14px"><span class="btn">{esc(ctx.w("submit"))}</span></div>')
    elif lay == 1:
        body = (f'<h3>{esc(ctx.w("security_check"))}</h3><div class="muted small">{esc(ctx.w("unusual_traffic"))}</div>'
                f'<div class="cap" style="margin-top:12px">{cv}{tools}</div><div class="lbl">{esc(ctx.w("captcha_label"))}</div>{inp}'
                f'<div class="row" style="margin-top:14px"><span class="link small">{esc(ctx.w("new_image"))}</span><span class="sp"></span>'
                f'<span class="btn">{esc(ctx.w("submit"))}</span></div>')
    else:
        body = (f'<div class="row" style="align-items:flex-end"><div style="flex:1"><div class="lbl">{esc(ctx.w("captcha_label"))}</div>{inp}</div>'
                f'{cv}{tools}</div><div class="small muted" style="margin-top:8px">{esc(ctx.w("enter_chars"))}</div>')
    w = max(cw + 90, r.randint(300, 460)) if lay != 2 else cw + r.randint(260, 340)
    return dict(html=f'<div id="cap" class="pzt">{body}</div>', style=f"--w:{w}px;--font:{ctx.stack()}")


def pz_math(ctx):
    r = ctx.rng
    op = r.choice(("+", "+", "-", "×", "x", "*"))
    a, b = r.randint(1, 20), r.randint(1, 12)
    if op == "-" and b > a:
        a, b = b, a
    q = ctx.w("math_q", a=a, op=op, b=b)
    as_img = r.random() < 0.4
    typed = str(r.randint(1, 40)) if r.random() < 0.3 else ""
    inp = f'<div class="inp" style="max-width:{r.choice((90, 120, 200, 400))}px">{typed}</div>'
    if as_img:
        cv, cw = captcha_canvas(ctx, text=f"{a} {op} {b} =", W=r.randint(150, 240), H=r.randint(44, 70))
        qb = f'<div class="cap">{cv}<div class="tools">{icon("reload", 22)}</div></div>'
    else:
        qb = f'<div class="mathq">{esc(q)}</div>'
    lay = r.randint(0, 1)
    if lay == 0:
        body = (f'<div class="lbl">{esc(ctx.w("math_intro"))}</div>{qb}{inp}'
                f'<div style="margin-top:14px"><span class="btn">{esc(ctx.w("submit"))}</span></div>')
    else:
        body = (f'<h3>{esc(ctx.w("security_check"))}</h3>{qb}<div class="row">{inp}<span class="btn">{esc(ctx.w("submit"))}</span></div>'
                f'<div class="small muted" style="margin-top:8px">{esc(ctx.w("math_intro"))}</div>')
    return dict(html=f'<div id="cap" class="pzt">{body}</div>', style=f"--w:{r.randint(280, 440)}px;--font:{ctx.stack()}")


def _shape_field(ctx, W, H, n, marks=False):
    r = ctx.rng
    out = []
    chosen = []
    for i in range(n):
        k = r.choice(SHAPES)
        sz = r.randint(26, 60)
        x, y = r.randint(4, W - sz - 4), r.randint(4, H - sz - 4)
        col = r.choice(BRIGHT)
        st = r.random() < 0.3
        out.append(f'<div class="s" style="left:{x}px;top:{y}px">{shape_svg(k, sz, "none" if st else col, col if st else "none", 8 if st else 0, r.randint(0, 359))}</div>')
        chosen.append((k, col, x, y, sz))
    if marks:
        for m in range(r.randint(0, 2)):
            k, col, x, y, sz = chosen[m]
            out.append(f'<div class="mark" style="left:{x + sz // 2 - 13}px;top:{y + sz // 2 - 13}px">{m + 1}</div>')
    return "".join(out), chosen


def pz_shapes(ctx):
    r = ctx.rng
    W = r.randint(280, 420)
    H = int(W * r.uniform(0.55, 0.8))
    bg_photo = r.random() < 0.4
    area_bg = ctx.photo_css(blur=True) if bg_photo else f"background:{r.choice(('#f2f2f2', '#e8f0fe', '#fff8e1', '#263238', '#eceff1'))};"
    field, chosen = _shape_field(ctx, W, H, r.randint(5, 11), marks=r.random() < 0.5)
    solid = r.random() < 0.5
    if r.random() < 0.5:
        order = r.sample(chosen, min(3, len(chosen)))
        icons = "".join(shape_svg(k, 22, "#fff" if solid else col) for k, col, *_ in order)
        prompt = f'<span>{esc(ctx.w("shapes_order"))}</span>{icons}'
    else:
        prompt = f'<span>{esc(ctx.w("hc_click_on"))} <b>{esc(ctx.tup(r.choice(CLICK_TARGETS)))}</b></span>'
    btn = r.choice((ctx.w("verify"), ctx.w("submit"), ctx.w("next"))).capitalize()
    html = (f'<div id="cap" class="pzc shadow"><div class="pr{" solid" if solid else ""}">{prompt}</div>'
            f'<div class="area" style="width:{W}px;height:{H}px;{area_bg}">{field}</div>'
            f'<div class="ft">{icon("reload", 20)}{icon("info", 20)}<span class="sp"></span><span class="btn">{esc(btn)}</span></div></div>')
    return dict(html=html, style=f"--w:{W + 26}px;--tilebg:#fff;--font:{ctx.stack()}")


def pz_odd(ctx):
    r = ctx.rng
    n = r.choice((3, 3, 2, 4))
    cols = n if n != 2 else 3
    rows = 2 if n in (2, 4) else 3
    W = r.randint(300, 440)
    base, odd = r.sample(SHAPES, 2)
    col = r.choice(BRIGHT)
    oi = r.randrange(cols * rows)
    same_col = r.random() < 0.6
    cells = []
    for i in range(cols * rows):
        k = odd if i == oi else base
        c = col if same_col else r.choice(BRIGHT)
        if i == oi and r.random() < 0.3:
            k, c = base, r.choice([b for b in BRIGHT if b != col])
        cells.append(f'<div class="tl">{shape_svg(k, int(W / cols * 0.5), c, rot=r.choice((0, 0, 15, 45, 90)))}</div>')
    solid = r.random() < 0.5
    html = (f'<div id="cap" class="pzc shadow"><div class="pr{" solid" if solid else ""}">{esc(ctx.w("odd_one"))}</div>'
            f'<div class="gd" style="grid-template-columns:repeat({cols},1fr)">{"".join(cells)}</div>'
            f'<div class="ft">{icon("reload", 20)}{icon("audio", 20) if r.random() < .4 else ""}<span class="sp"></span>'
            f'<span class="btn">{esc(ctx.w("submit"))}</span></div></div>')
    tb = "#2a2a2a" if ctx.dark else r.choice(("#fff", "#f5f5f5", "#eef2f7"))
    return dict(html=html, style=f"--w:{W}px;--tilebg:{tb};--font:{ctx.stack()}")


def pz_drag(ctx):
    r = ctx.rng
    W = r.randint(280, 420)
    H = int(W * r.uniform(0.55, 0.75))
    svg, _ = _jigsaw_svg(ctx, W, H, piece_at=r.randint(2, int(W * 0.3)), free=True)
    solid = r.random() < 0.6
    btn = r.choice((ctx.w("verify"), ctx.w("submit"), ctx.w("skip"))).capitalize()
    html = (f'<div id="cap" class="pzc shadow"><div class="pr{" solid" if solid else ""}">{esc(ctx.w("drag_piece"))}</div>'
            f'<div class="area" style="width:{W}px;height:{H}px">{svg}</div>'
            f'<div class="ft">{icon("menu", 20)}{icon("reload", 20)}<span class="sp"></span><span class="btn">{esc(btn)}</span></div></div>')
    return dict(html=html, style=f"--w:{W + 26}px;--font:{ctx.stack()}")



# ================================================================ second batch (other layouts)
def _photo_tiles(ctx, n, sel_p=0.22, one=None, cols=1, rows=1):
    """n photo tiles (div.tl) for the new grid layouts; one=photo cut into cols x rows pieces."""
    r = ctx.rng
    out = []
    for i in range(n):
        if one is not None:
            x, y = i % cols, i // cols
            pos = f"{x * 100 / max(1, cols - 1):.2f}% {y * 100 / max(1, rows - 1):.2f}%"
            bg = f"background-image:url('{ctx.url(one)}');background-size:{cols * 100}% {rows * 100}%;background-position:{pos}"
        else:
            bg = ctx.photo_css()
        sel = r.random() < sel_p
        ck = f'<div class="ck">{icon("check", 14, "#fff", 3)}</div>' if sel else ""
        out.append(f'<div class="tl{" sel" if sel else ""}"><div class="in" style="{bg}"></div>{ck}</div>')
    return out


def grid_below(ctx):
    """Tiles first, the instruction (and buttons) below them; 2x4, 4x2, 3x2, 2x3, 3x3 layouts."""
    r = ctx.rng
    cols, rows = r.choice(((4, 2), (2, 4), (3, 2), (2, 3), (3, 3), (4, 2), (3, 2)))
    w = r.randint(300, 480)
    o = r.choice(GRID_OBJS)
    one = ctx.photo(0.5) if r.random() < 0.25 else None
    tiles = _photo_tiles(ctx, cols * rows, one=one, cols=cols, rows=rows)
    style = r.randint(0, 2)
    l1 = r.choice((ctx.w("select_all_images"), ctx.w("click_each"), ctx.w("challenge_q")))
    obj_ = ctx.obj(o, plural=(l1 != ctx.w("click_each")))
    btn = r.choice((ctx.w("verify"), ctx.w("next"), ctx.w("submit")))
    icons = f'{icon("reload", 20)}{icon("audio", 20) if r.random() < .5 else ""}{icon("info", 20) if r.random() < .5 else ""}'
    top = ""
    if r.random() < 0.45:
        top = f'<div class="tp">{icon("shield", 18, ctx.accent)}<b>{esc(r.choice((ctx.w("security_check"), ctx.w("verify_human"))))}</b><span class="sp"></span>{icon("x", 16, "var(--muted)")}</div>'
    if style == 0:  # coloured band under the tiles
        ins = (f'<div class="band"><div class="small">{esc(l1)}</div><div class="big">{esc(obj_)}</div>'
               f'<div class="small">{esc(r.choice((ctx.w("if_none_skip"), ctx.w("click_verify_none"), "")))}</div></div>')
        ft = f'<div class="ft">{icons}<span class="sp"></span><span class="btn">{esc(btn.upper())}</span></div>'
    elif style == 1:  # plain sentence with the object in bold, button beside it
        ins = ""
        ft = (f'<div class="ft"><div class="q" style="flex:1">{esc(l1)} <b>{esc(obj_)}</b></div>'
              f'<span class="btn">{esc(btn.capitalize())}</span></div><div class="ft" style="margin-top:6px">{icons}</div>')
    else:  # instruction then a full-width button
        ins = f'<div class="q" style="text-align:center;margin-top:12px">{esc(l1)}<br><b style="font-size:1.3em">{esc(obj_)}</b></div>'
        ft = f'<span class="btn block" style="margin-top:10px">{esc(btn.capitalize())}</span><div class="ft" style="justify-content:center">{icons}</div>'
    html = (f'<div id="cap" class="grb{" shadow" if r.random() < .7 else ""}">{top}'
            f'<div class="gd" style="grid-template-columns:repeat({cols},1fr)">{"".join(tiles)}</div>{ins}{ft}</div>')
    tb = r.choice(("#1a73e8", "#4a90e2", "#00838f", "#455a64", ctx.accent))
    ar = 1 if one is not None else r.choice((1, 1, 1.25, 0.8))
    return dict(html=html, style=f"--w:{w}px;--band:{tb};--gap:{r.choice((2, 4, 6, 8))}px;--ar:{ar};--font:{ctx.stack()}")


def grid_side(ctx):
    """Instruction panel at the side of the tiles (left or right)."""
    r = ctx.rng
    cols, rows = r.choice(((2, 2), (3, 2), (2, 3), (3, 3), (4, 2), (2, 4)))
    tw = r.randint(240, 400)
    pw = r.randint(150, 210)
    o = r.choice(GRID_OBJS)
    tiles = _photo_tiles(ctx, cols * rows, sel_p=0.2)
    l1 = r.choice((ctx.w("select_all_images"), ctx.w("hc_click_each"), ctx.w("click_each")))
    obj_ = ctx.obj(o, plural=(l1 == ctx.w("select_all_images")))
    ex = f'<div class="ex" style="{ctx.photo_css(blur=False)}"></div>' if r.random() < 0.35 else ""
    k = r.randint(1, 3)
    steps = "".join(f'<i class="{"on" if i < k else ""}"></i>' for i in range(r.choice((3, 4, 5)))) if r.random() < .6 else ""
    btn = r.choice((ctx.w("verify"), ctx.w("next"), ctx.w("skip"))).capitalize()
    panel = (f'<div class="pn"><div class="small">{esc(l1)}</div><div class="big">{esc(obj_)}</div>{ex}'
             f'<div class="sp"></div><div class="dots">{steps}</div>'
             f'<div class="row" style="gap:8px">{icon("reload", 20, "currentColor")}{icon("audio", 20, "currentColor") if r.random() < .5 else ""}'
             f'<span class="sp"></span><span class="btn">{esc(btn)}</span></div></div>')
    grid = f'<div class="gd" style="grid-template-columns:repeat({cols},1fr);width:{tw}px">{"".join(tiles)}</div>'
    body = panel + grid if r.random() < 0.7 else grid + panel
    light = r.random() < 0.35
    pbg = ("#f1f3f4" if not ctx.dark else "#2d2d2d") if light else r.choice(("#1a73e8", "#4a90e2", "#0074bf", "#00838f", ctx.accent))
    pfg = "var(--fg)" if light else "#fff"
    html = f'<div id="cap" class="grsd{" shadow" if r.random() < .7 else ""}">{body}</div>'
    return dict(html=html, style=f"--pw:{pw}px;--pbg:{pbg};--pfg:{pfg};--btnbg:{ctx.accent if light else 'rgba(255,255,255,.22)'};"
                                  f"--gap:{r.choice((3, 4, 6, 8))}px;--font:{ctx.stack()}")


def grid_upright(ctx):
    """'Select the image that is upright': the same photo at several angles, one upright."""
    r = ctx.rng
    n = r.choice((3, 4, 4, 5, 6, 6))
    cols = r.choice({3: (3,), 4: (4, 2), 5: (5,), 6: (3, 6)}[n])
    p = ctx.photo(0.4)
    ok = r.randrange(n)
    angs = [0 if i == ok else r.choice((90, 180, 270, 45, 135, 225, 315, r.randint(20, 340))) for i in range(n)]
    round_ = r.random() < 0.35
    sel = r.randrange(n) if r.random() < 0.3 else -1
    cells = "".join(f'<div class="tl{" sel" if i == sel else ""}{" rd" if round_ else ""}"><div class="in" style="background-image:url(\'{ctx.url(p)}\');'
                    f'transform:rotate({a}deg) scale({1.0 if round_ else 1.45})"></div></div>' for i, a in enumerate(angs))
    q = ctx.w("pick_upright")
    solid = r.random() < 0.55
    btn = r.choice((ctx.w("submit"), ctx.w("verify"), ctx.w("next"))).capitalize()
    w = r.randint(300, 520) if cols <= 4 else r.randint(420, 600)
    step = f'<span class="small muted">{r.randint(1, 3)} / {r.choice((3, 5))}</span>' if r.random() < .5 else ""
    html = (f'<div id="cap" class="pzc shadow"><div class="pr{" solid" if solid else ""}">{icon("rotr", 20, "#fff" if solid else ctx.accent)}<span>{esc(q)}</span></div>'
            f'<div class="gd upr" style="grid-template-columns:repeat({cols},1fr)">{cells}</div>'
            f'<div class="ft">{icon("reload", 20)}{icon("info", 20) if r.random() < .5 else ""}{step}<span class="sp"></span><span class="btn">{esc(btn)}</span></div></div>')
    tb = "#2a2a2a" if ctx.dark else r.choice(("#fff", "#f5f5f5", "#eef2f7"))
    return dict(html=html, style=f"--w:{w}px;--tilebg:{tb};--font:{ctx.stack()}")


def _gap_path(kind, x, y, s):
    if kind == "square":
        k = s * 0.12
        return f"M{x + k:.1f},{y:.1f}h{s - 2 * k:.1f}a{k:.1f},{k:.1f} 0 0 1 {k:.1f},{k:.1f}v{s - 2 * k:.1f}a{k:.1f},{k:.1f} 0 0 1 {-k:.1f},{k:.1f}h{-(s - 2 * k):.1f}a{k:.1f},{k:.1f} 0 0 1 {-k:.1f},{-k:.1f}v{-(s - 2 * k):.1f}a{k:.1f},{k:.1f} 0 0 1 {k:.1f},{-k:.1f}z"
    if kind == "circle":
        h = s / 2
        return f"M{x:.1f},{y + h:.1f}a{h:.1f},{h:.1f} 0 1 0 {s:.1f},0a{h:.1f},{h:.1f} 0 1 0 {-s:.1f},0z"
    if kind == "shield":
        return f"M{x + s / 2:.1f},{y:.1f}L{x + s:.1f},{y + s * .18:.1f}V{y + s * .55:.1f}Q{x + s:.1f},{y + s * .85:.1f} {x + s / 2:.1f},{y + s:.1f}Q{x:.1f},{y + s * .85:.1f} {x:.1f},{y + s * .55:.1f}V{y + s * .18:.1f}z"
    if kind == "hexagon":
        return (f"M{x + s * .25:.1f},{y:.1f}h{s * .5:.1f}l{s * .25:.1f},{s / 2:.1f}l{-s * .25:.1f},{s / 2:.1f}"
                f"h{-s * .5:.1f}l{-s * .25:.1f},{-s / 2:.1f}z")
    # triangle
    return f"M{x + s / 2:.1f},{y:.1f}L{x + s:.1f},{y + s:.1f}H{x:.1f}z"


def pz_gapslider(ctx):
    """Slider puzzle with a differently drawn gap (square/circle/shield/hexagon/triangle; dashed,
    glowing, dark or ghost) and a thin track with a round knob or a separate piece strip."""
    r = ctx.rng
    W = r.randint(260, 380)
    H = int(W * r.uniform(0.5, 0.66))
    p = ctx.photo(0.35)
    kind = r.choice(("square", "circle", "shield", "hexagon", "triangle", "square"))
    s = r.randint(int(H * 0.26), int(H * 0.4))
    gx, gy = r.randint(int(W * 0.42), W - s - 8), r.randint(6, H - s - 6)
    d = _gap_path(kind, gx, gy, s)
    look = r.choice(("dashed", "glow", "dark", "ghost", "bevel"))
    uid = f"g{r.randint(0, 10**9)}"
    gap = {"dashed": f'<path d="{d}" fill="rgba(255,255,255,.25)" stroke="#fff" stroke-width="2" stroke-dasharray="6 4"/>',
           "glow": f'<path d="{d}" fill="rgba(0,0,0,.35)" stroke="#ffeb3b" stroke-width="3"/>',
           "dark": f'<path d="{d}" fill="rgba(0,0,0,.7)"/>',
           "ghost": f'<path d="{d}" fill="rgba(255,255,255,.7)" stroke="rgba(0,0,0,.3)" stroke-width="1"/>',
           "bevel": f'<path d="{d}" fill="rgba(0,0,0,.5)" stroke="rgba(255,255,255,.9)" stroke-width="1"/><path d="{d}" fill="none" stroke="rgba(0,0,0,.6)" stroke-width="3" transform="translate(1.5,1.5)"/>'}[look]
    knob_at = r.randint(0, int(W * 0.6))
    strip = r.random() < 0.3
    asp = "xMidYMid slice"
    piece = (f'<g transform="translate({knob_at + 4 - gx},0)"><g clip-path="url(#{uid})"><image href="{ctx.url(p)}" width="{W}" height="{H}" preserveAspectRatio="{asp}"/></g>'
             f'<path d="{d}" fill="none" stroke="#fff" stroke-width="2"/></g>')
    svg = (f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}"><defs><clipPath id="{uid}"><path d="{d}"/></clipPath></defs>'
           f'<image href="{ctx.url(p)}" width="{W}" height="{H}" preserveAspectRatio="{asp}"/>{gap}{"" if strip else piece}</svg>')
    if strip:  # the piece waits in a separate strip above the image
        svg = (f'<svg width="{W}" height="{s + 12}" viewBox="0 {gy - 6} {W} {s + 12}" style="background:var(--trk)"><defs><clipPath id="{uid}"><path d="{d}"/></clipPath></defs>'
               f'{piece}</svg>') + svg
    over = ""
    if r.random() < 0.35:
        over = f'<div class="ov">{esc(ctx.w("slide_puzzle"))}</div>'
    trk = r.choice(("line", "line", "bar"))
    kc = r.choice((ctx.accent, "#1991fa", "#fff", "#2e7d32"))
    ac = "#fff" if kc != "#fff" else "#555"
    if trk == "line":
        track = (f'<div class="ln"><div class="f" style="width:{knob_at + 22}px"></div>'
                 f'<div class="kn" style="left:{knob_at}px">{icon(r.choice(("arrow", "dblarrow", "chev")), 18, ac)}</div></div>')
    else:
        track = (f'<div class="br"><span>{esc(ctx.w("slide_right")) if knob_at < 40 else ""}</span>'
                 f'<div class="kn sq" style="left:{knob_at}px">{icon("menu", 18, ac)}</div></div>')
    hd = ""
    if r.random() < 0.65:
        hd = (f'<div class="hd"><b>{esc(r.choice((ctx.w("drag_piece"), ctx.w("slide_puzzle"), ctx.w("security_check"))))}</b><span class="sp"></span>'
              f'{icon("reload", 18, "var(--muted)")}{icon("x", 18, "var(--muted)") if r.random() < .5 else ""}</div>')
    ft = ""
    if r.random() < 0.4:
        ft = f'<div class="small muted" style="margin-top:10px">{esc(ctx.w("protected_by"))} {esc(r.choice(INVENTED_BRANDS))}</div>'
    html = f'<div id="cap" class="pzg shadow">{hd}<div class="img">{svg}{over}</div>{track}{ft}</div>'
    return dict(html=html, style=f"--w:{W + 28}px;--kc:{kc};--trk:{'#2b2b2b' if ctx.dark else '#eef1f5'};--font:{ctx.stack()}")


def cb_formcard(ctx):
    """A checkbox challenge inside a bigger form card (sign-up, contact, comment, login), standalone."""
    r = ctx.rng
    form = r.choice(("signup", "contact", "login", "comment", "signup"))
    kind = r.choice(("recap", "hcap", "turnstile", "inline", "inline"))
    if kind == "inline":
        on = r.random() < 0.25
        box = f'<div class="big{" on" if on else ""}">{icon("check", 16, "#fff", 3) if on else ""}</div>'
        lab = r.choice((ctx.w("im_human"), ctx.w("not_robot"), ctx.w("verify_human")))
        inner = (f'<div class="cbin">{box}<span style="flex:1">{esc(lab)}</span>'
                 f'<span class="mk">{icon("shield", 22, ctx.accent)}<span>{esc(r.choice(INVENTED_BRANDS))}</span></span></div>')
    else:
        fn = {"recap": cb_recap, "hcap": cb_hcap, "turnstile": cb_turnstile}[kind]
        wd = fn(ctx)
        whtml = wd["html"].replace('id="cap"', 'id="inner"')
        inner = f'<div style="{wd["style"]}">{whtml}</div>'
    note = f'<div class="small muted" style="margin:10px 0 6px">{esc(ctx.w("complete_form_check"))}</div>' if r.random() < 0.35 else ""
    body = pages.FORMS[form](ctx, f'<div class="slot">{note}{inner}</div>')
    w = r.randint(360, 480) if form in ("login", "signup") else r.randint(440, 600)
    return dict(html=f'<div id="cap" class="ncard{" shadow" if r.random() < .6 else ""}">{body}</div>',
                style=f"--w:{w}px;--cp:{r.choice((20, 24, 28, 32))}px;--font:{ctx.stack()}")


def pz_audio(ctx):
    """The audio fallback of a challenge: play control, download link, text entry, verify."""
    r = ctx.rng
    t = r.randint(0, 8)
    typed = ""
    if r.random() < 0.35:
        typed = " ".join(str(r.randint(0, 9)) for _ in range(r.randint(1, 6))) if r.random() < .6 else r.choice(("seven", "blue", "river", "open"))
    inp = f'<div class="inp{"" if typed else " ph"}">{esc(typed or ctx.w("enter_heard"))}</div>'
    if r.random() < 0.5:
        player = (f'<div class="pl">{icon(r.choice(("play", "pause")), 22, ctx.accent)}<div class="pb2"><i style="width:{t * 12}%"></i></div>'
                  f'<span class="small muted">0:0{t} / 0:08</span>{icon("speaker", 18, "var(--muted)")}</div>')
    else:
        player = f'<div style="text-align:center;margin:10px 0"><span class="btn">{icon("play", 16, "#fff")} {esc(ctx.w("play"))}</span></div>'
    dl = f'<div class="small" style="margin:6px 0 10px"><span class="link">{esc(ctx.w("download_audio"))}</span></div>' if r.random() < .6 else ""
    err = f'<div class="small" style="color:#d32f2f;margin-bottom:6px">{esc(ctx.w("try_again"))}</div>' if r.random() < .15 else ""
    btn = r.choice((ctx.w("verify"), ctx.w("submit")))
    blue = r.random() < 0.5
    hd = (f'<div class="hd"{"" if blue else " style=background:transparent;color:var(--fg);padding:0;margin-bottom:8px"}>'
          f'{esc(ctx.w("audio_prompt"))}</div>')
    ft = (f'<div class="ft">{icon("reload", 22)}{icon("image", 22)}{icon("info", 22) if r.random() < .6 else ""}<span class="sp"></span>'
          f'<span class="btn">{esc(btn.upper() if blue else btn.capitalize())}</span></div>')
    if r.random() < 0.3:
        ft += f'<div class="small muted" style="margin-top:6px">{esc(ctx.w("visual_challenge"))}</div>'
    html = f'<div id="cap" class="pza shadow">{hd}{player}{dl}{err}{inp}{ft}</div>'
    return dict(html=html, style=f"--w:{r.randint(300, 420)}px;--hd:{r.choice(('#4a90e2', '#1a73e8', '#3f7fd8', ctx.accent))};--font:{ctx.stack()}")


def pz_textimg(ctx):
    """'Type the text in the image' challenge: distorted text on canvas in other chrome variants
    (dark header, character boxes, link under the image, modal with warning text)."""
    r = ctx.rng
    cs = r.choice(CHARSETS)
    text = "".join(r.choice(cs) for _ in range(r.randint(4, 7)))
    cv, cw = captcha_canvas(ctx, text=text, W=r.randint(200, 340), H=r.randint(60, 110))
    lay = r.randint(0, 3)
    typed = text[:r.randint(0, len(text))] if r.random() < 0.3 else ""
    if r.random() < 0.5:
        typed = typed.lower()
    btn = r.choice((ctx.w("verify"), ctx.w("submit"), ctx.w("next"))).capitalize()
    tools = f'<div class="tl2">{icon("reload", 20)}{icon("audio", 20) if r.random() < .6 else ""}{icon("info", 20) if r.random() < .3 else ""}</div>'
    if lay == 0:
        body = (f'<div class="bar">{icon("shield", 18, "#fff")}<span>{esc(ctx.w("security_check"))}</span></div>'
                f'<div class="in2"><div class="small">{esc(ctx.w("enter_chars"))}</div><div class="cvw">{cv}</div>{tools}'
                f'<div class="inp{"" if typed else " ph"}">{esc(typed or ctx.w("type_text"))}</div>'
                f'<span class="btn block" style="margin-top:12px">{esc(btn)}</span></div>')
    elif lay == 1:
        n = len(text)
        k = len(typed)
        boxes = "".join(f'<span class="{"f" if i == k else ""}">{esc(typed[i]) if i < k else ""}</span>' for i in range(n))
        body = (f'<div class="in2"><b>{esc(ctx.w("type_text"))}</b><div class="cvw" style="margin-top:10px">{cv}</div>{tools}'
                f'<div class="otp">{boxes}</div><span class="btn">{esc(btn)}</span></div>')
    elif lay == 2:
        body = (f'<div class="in2"><div class="cvw">{cv}</div><div class="row small" style="margin:6px 0 12px">'
                f'<span class="link">{esc(ctx.w("new_image"))}</span><span class="sp"></span><span class="link">{esc(ctx.w("audio"))}</span></div>'
                f'<div class="lbl" style="margin-top:0">{esc(ctx.w("captcha_label"))}</div>'
                f'<div class="row"><div class="inp{"" if typed else " ph"}" style="flex:1">{esc(typed)}&nbsp;</div><span class="btn">{esc(btn)}</span></div></div>')
    else:
        body = (f'<div class="in2"><div class="row" style="margin-bottom:6px">{icon("info", 22, "#e65100")}<b>{esc(ctx.w("not_bot_question"))}</b></div>'
                f'<div class="small muted">{esc(ctx.w("unusual_traffic"))}</div><div class="cvw" style="margin-top:12px">{cv}</div>{tools}'
                f'<div class="inp{"" if typed else " ph"}">{esc(typed or ctx.w("enter_chars"))}</div>'
                f'<div class="row" style="margin-top:12px"><span class="small muted">{esc(ctx.w("protected_by"))} {esc(r.choice(INVENTED_BRANDS))}</span>'
                f'<span class="sp"></span><span class="btn">{esc(btn)}</span></div></div>')
    w = max(cw + 40, r.randint(300, 440))
    return dict(html=f'<div id="cap" class="pzi{" shadow" if r.random() < .7 else ""}">{body}</div>',
                style=f"--w:{w}px;--bar:{r.choice(('#263238', '#1a73e8', '#37474f', ctx.accent, '#b71c1c'))};--font:{ctx.stack()}")


# name -> (function, kind, weight, embed_ok)
WIDGETS = {
    "cb_recap": (cb_recap, "checkbox", 6, True),
    "cb_hcap": (cb_hcap, "checkbox", 4, True),
    "cb_turnstile": (cb_turnstile, "checkbox", 5, True),
    "cb_generic": (cb_generic, "checkbox", 4, True),
    "cb_presshold": (cb_presshold, "checkbox", 3, True),
    "cb_interstitial": (cb_interstitial, "checkbox", 3, False),
    "grid_recap3": (lambda c: grid_recap(c, four=False), "grid", 11, True),
    "grid_recap4": (grid_recap4, "grid", 8, True),
    "grid_hcap": (grid_hcap, "grid", 10, True),
    "grid_generic": (grid_generic, "grid", 7, True),
    "grid_match": (grid_match, "grid", 4, True),
    "pz_slider": (pz_slider, "puzzle", 7, True),
    "pz_slidebar": (pz_slidebar, "puzzle", 3, True),
    "pz_rotate": (pz_rotate, "puzzle", 4, True),
    "pz_textform": (pz_textform, "puzzle", 7, True),
    "pz_math": (pz_math, "puzzle", 4, True),
    "pz_shapes": (pz_shapes, "puzzle", 4, True),
    "pz_odd": (pz_odd, "puzzle", 3, True),
    "pz_drag": (pz_drag, "puzzle", 3, True),
    # second batch: other layouts of the same kinds (pz_textimg is kind text)
    "grid_below": (grid_below, "grid", 5, True),
    "grid_side": (grid_side, "grid", 4, True),
    "grid_upright": (grid_upright, "grid", 3, True),
    "pz_gapslider": (pz_gapslider, "puzzle", 4, True),
    "pz_audio": (pz_audio, "puzzle", 3, True),
    "pz_textimg": (pz_textimg, "text", 4, True),
    "cb_formcard": (cb_formcard, "checkbox", 4, False),
}
