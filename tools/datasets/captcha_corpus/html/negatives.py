"""Look-alike UI negatives (is_captcha=0): forms, banners, dialogs, grids, pages, documents.

Same conventions as widgets.py: each function returns dict(html=..., style=..., [fullpage, vw, vh]).
They share the chrome (checkboxes, photo tiles, sliders, spinners) with the widgets on purpose.
"""
from common import BRIGHT, SITES, esc, icon
import pages
from pages import NAMES, _chk, _email, _field, nav


def _ck(on):
    return f'<i class="{"on" if on else ""}">{icon("check", 12, "#fff", 3) if on else ""}</i>'


def _page(ctx, inner, site=None):
    site = site or ctx.rng.choice(SITES)
    return f'<div id="cap" class="pg">{nav(ctx, site)}{inner}</div>'


def _photo_fill(ctx, w, h):
    return f'<div style="width:{w}px;height:{h}px;{ctx.photo_css(blur=False)}"></div>'


# ------------------------------------------------------------------ forms
def neg_login_card(ctx):
    r = ctx.rng
    form = r.choice(("login", "login", "signup", "contact", "comment"))
    body = pages.FORMS[form](ctx, "")
    return dict(html=f'<div id="cap" class="ncard{" shadow" if r.random() < .5 else ""}">{body}</div>',
                style=f"--w:{r.randint(340, 480)}px;--cp:{r.choice((20, 24, 28, 32))}px")


def neg_login_page(ctx):
    r = ctx.rng
    form = r.choice(("login", "login", "signup", "contact", "comment", "checkout"))
    return dict(html=f'<div id="cap">{pages.host_page(ctx, form)}</div>', fullpage=True)


def neg_2fa(ctx):
    r = ctx.rng
    n = r.choice((4, 6, 6))
    k = r.randint(0, n)
    digits = "".join(f'<span class="{"f" if i == k else ""}">{r.randint(0, 9) if i < k else ""}</span>' for i in range(n))
    body = (f'<div style="text-align:center">{icon(r.choice(("phone", "mail", "lock", "shield")), 40, ctx.accent)}</div>'
            f'<h2 style="text-align:center">{esc(ctx.u("verify_account"))}</h2><div class="muted" style="text-align:center">{esc(ctx.u("code_sent"))}</div>'
            f'<div class="otp" style="justify-content:center">{digits}</div>'
            f'{_chk(ctx, "remember_device")}<span class="btn block">{esc(ctx.u("continue"))}</span>'
            f'<p class="small" style="text-align:center"><span class="link">{esc(ctx.u("resend"))}</span></p>')
    return dict(html=f'<div id="cap" class="ncard shadow">{body}</div>', style=f"--w:{r.randint(340, 460)}px")


def neg_subscribe(ctx):
    r = ctx.rng
    body = (f'<h3>{esc(ctx.u("subscribe"))}</h3><div class="muted small">{esc(ctx.u("subscribe_text"))}</div>'
            f'<div class="row" style="margin-top:12px"><div class="inp ph" style="flex:1">{esc(ctx.u("email"))}</div>'
            f'<span class="btn">{esc(r.choice((ctx.u("send"), ctx.u("continue"))))}</span></div>{_chk(ctx, "agree_terms")}')
    if r.random() < 0.5:
        body = (f'<h3>{esc(ctx.u("coupon"))}</h3><div class="row"><div class="inp" style="flex:1">'
                f'{"".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(r.randint(5, 9)))}</div>'
                f'<span class="btn gray">{esc(ctx.u("apply"))}</span></div>{_chk(ctx, "newsletter")}')
    return dict(html=f'<div id="cap" class="ncard">{body}</div>', style=f"--w:{r.randint(320, 520)}px")


def neg_consent_box(ctx):
    """A bordered box with one consent checkbox: shaped like a checkbox widget, but no challenge."""
    r = ctx.rng
    on = r.random() < 0.4
    key = r.choice(("agree_terms", "agree_terms", "newsletter", "remember_device", "keep_signed", "notify_replies", "save_card"))
    box = f'<div class="big{" on" if on else ""}">{icon("check", 18, "#fff", 3) if on else ""}</div>'
    extra = f'<span class="sp"></span>{icon(r.choice(("lock", "mail", "info", "shield")), 20, "var(--muted)")}' if r.random() < .4 else ""
    w, h = r.randint(280, 460), r.choice((64, 72, 78, 86))
    return dict(html=f'<div id="cap" class="cbg" style="display:flex;align-items:center;gap:12px;height:{h}px;padding:0 16px">{box}'
                     f'<span class="small">{esc(ctx.u(key))}</span>{extra}</div>', style=f"--w:{w}px")


def neg_survey(ctx):
    r = ctx.rng
    opts = ctx.u("survey_opts").split("|")
    rows = "".join(f'<div class="chk" style="display:flex">{_ck(r.random() < .35)}{esc(o)}</div>' for o in opts)
    body = (f'<div class="small muted">{r.randint(2, 6)} / {r.randint(7, 12)}</div><div class="pb" style="--ph:6px"><i style="width:{r.randint(15, 80)}%"></i></div>'
            f'<h3>{esc(ctx.u("survey_q"))}</h3><div class="muted small" style="margin-bottom:8px">{esc(ctx.u("select_all_apply"))}</div>{rows}'
            f'<div class="btnrow"><span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("continue"))}</span></div>')
    return dict(html=f'<div id="cap" class="ncard shadow">{body}</div>', style=f"--w:{r.randint(340, 520)}px")


# ------------------------------------------------------------------ banners
def neg_cookie(ctx):
    r = ctx.rng
    lay = r.randint(0, 2)
    btns = (f'<div class="btnrow"><span class="btn">{esc(ctx.u("accept_all"))}</span>'
            f'<span class="btn {r.choice(("ghost", "gray"))}">{esc(ctx.u("reject_all"))}</span>'
            f'<span class="btn ghost" style="border:0">{esc(ctx.u("customize"))}</span></div>')
    if lay == 0:  # full page with a bar at the bottom
        inner = (f'<div class="hero"><h1>{esc(ctx.u("article_title"))}</h1><p>{esc(ctx.u("para")[:160])}</p></div>'
                 f'<div class="art"><p>{esc(ctx.u("para"))}</p></div>'
                 f'<div class="cookie-bar"><div style="flex:1"><b>{esc(ctx.u("cookie_title"))}</b><div class="small">{esc(ctx.u("cookie_text"))}</div></div>{btns}</div>')
        return dict(html=_page(ctx, inner), fullpage=True)
    opts = ""
    if lay == 2:
        opts = "".join(f'<div class="opt"><span class="sp">{esc(ctx.u(k))}</span><span class="tog{" on" if (k == "necessary" or r.random() < .4) else ""}"></span></div>'
                       for k in ("necessary", "analytics", "marketing", "preferences"))
    box = (f'<div id="cap" class="cookie-box"><div class="row" style="margin-bottom:8px">{icon("shield", 22, ctx.accent) if r.random() < .5 else ""}'
           f'<b>{esc(ctx.u("cookie_title"))}</b></div><div class="small">{esc(ctx.u("cookie_text"))}</div>{opts}{btns}</div>')
    return dict(html=box, style=f"--w:{r.randint(340, 560)}px")


def neg_permission(ctx):
    r = ctx.rng
    site = r.choice(SITES)
    if r.random() < 0.6:
        body = (f'<div class="row"><b style="flex:1">{esc(site)} {esc(ctx.u("allow_notifs"))}</b>{icon("x", 16, "var(--muted)")}</div>'
                f'<div class="row" style="margin-top:8px">{icon("bell", 18, "var(--muted)")}<span class="small muted">{esc(ctx.u("notifications"))}</span></div>'
                f'<div class="btnrow" style="justify-content:flex-end"><span class="btn gray">{esc(ctx.u("block"))}</span><span class="btn">{esc(ctx.u("allow"))}</span></div>')
    else:
        body = (f'<div class="row"><div class="av" style="border-radius:12px;width:48px;height:48px"></div><div style="flex:1"><b>{esc(site)}</b>'
                f'<div class="stars">★★★★★</div></div><span class="btn">{esc(ctx.u("open"))}</span>{icon("x", 16, "var(--muted)")}</div>')
    return dict(html=f'<div id="cap" class="perm">{body}</div>', style=f"--w:{r.randint(320, 440)}px")


def neg_newsletter_popup(ctx):
    r = ctx.rng
    img = f'<div style="height:{r.randint(120, 180)}px;{ctx.photo_css(blur=False)}"></div>' if r.random() < .7 else ""
    body = (f'{img}<div style="padding:22px"><div class="row"><h2 style="flex:1">{esc(ctx.u("subscribe"))}</h2>{icon("x", 18, "var(--muted)")}</div>'
            f'<div class="muted">{esc(ctx.u("subscribe_text"))}</div><div class="inp ph" style="margin-top:14px">{esc(ctx.u("email"))}</div>'
            f'{_chk(ctx, "agree_terms")}<span class="btn block">{esc(ctx.u("continue"))}</span>'
            f'<p class="small" style="text-align:center"><span class="link">{esc(ctx.u("no_thanks"))}</span></p></div>')
    return dict(html=f'<div id="cap" class="dlg shadow">{body}</div>', style=f"--w:{r.randint(340, 480)}px")


# ------------------------------------------------------------------ ui
def neg_settings(ctx):
    r = ctx.rng
    keys = r.sample(("notifications", "push", "dark_mode", "autoplay", "two_factor", "newsletter", "remember_device", "keep_signed"), r.randint(3, 6))
    rows = ""
    for k in keys:
        if r.random() < 0.5:
            ctrl = f'<span class="tog{" on" if r.random() < .5 else ""}"></span>'
            rows += f'<div class="set"><div class="d">{esc(ctx.u(k))}<small>{esc(ctx.u("preferences"))}</small></div>{ctrl}</div>'
        else:
            rows += f'<div class="set"><span class="chk" style="margin:0">{_ck(r.random() < .5)}</span><div class="d">{esc(ctx.u(k))}</div></div>'
    if r.random() < 0.4:
        rows += f'<div class="set"><div class="d">{esc(ctx.u("language"))}</div><div class="inp" style="width:140px;min-height:32px;padding:5px 10px">{esc(ctx.lang.upper())} {icon("chevd", 14)}</div></div>'
    body = (f'<div class="dh">{icon("gear", 20, "var(--muted)")}&nbsp; {esc(ctx.u("settings"))}<span class="sp"></span>{icon("x", 18, "var(--muted)")}</div>'
            f'<div class="db">{rows}</div><div class="df"><span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("save"))}</span></div>')
    return dict(html=f'<div id="cap" class="dlg shadow">{body}</div>', style=f"--w:{r.randint(360, 560)}px")


def _thumbs(ctx, n, cols, captions=True, select=False, labels=None, ar=1.0):
    r = ctx.rng
    caps = ctx.u("captions").split("|")
    out = []
    for i in range(n):
        sel = select and r.random() < 0.3
        ck = f'<div class="ckc">{icon("check", 12, "#fff", 3) if sel else ""}</div>' if select else ""
        lab = f'<div class="lab">{esc(labels[i % len(labels)])}</div>' if labels else ""
        cap = f'<div class="cap">{esc(r.choice(caps))}</div>' if captions else ""
        out.append(f'<div class="th{" sel" if sel else ""}"><div class="im" style="{ctx.photo_css(zoom=r.uniform(1, 1.6), blur=False)}"></div>{ck}{lab}{cap}</div>')
    return f'<div class="thgrid" style="grid-template-columns:repeat({cols},1fr);--ar:{ar}">{"".join(out)}</div>'


def neg_filepicker(ctx):
    r = ctx.rng
    side = "".join(f'<div class="{"on" if k == "pictures" else ""}">{icon(ic, 16)}{esc(ctx.u(k))}</div>'
                   for k, ic in (("recent", "calendar"), ("home", "home"), ("documents", "file"), ("pictures", "image"), ("downloads", "upload")))
    cols = r.choice((3, 4, 5))
    grid = _thumbs(ctx, cols * r.choice((2, 3)), cols, captions=True, select=r.random() < .5)
    body = (f'<div class="dh">{esc(ctx.u("choose_file"))}<span class="sp"></span>{icon("search", 18, "var(--muted)")}</div>'
            f'<div class="fp"><div class="sb">{side}</div><div class="mn">{grid}</div></div>'
            f'<div class="df"><span class="small muted" style="flex:1">{esc(ctx.u("selected_n", n=r.randint(1, 4)))}</span>'
            f'<span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("open"))}</span></div>')
    return dict(html=f'<div id="cap" class="dlg shadow">{body}</div>', style=f"--w:{r.randint(560, 820)}px;--gap:8px")


def neg_gallery(ctx):
    r = ctx.rng
    cols = r.choice((3, 3, 3, 4, 2))
    sel = r.random() < 0.4
    title = ctx.u("select_photos") if sel else ctx.u("gallery")
    grid = _thumbs(ctx, cols * r.choice((2, 3, 3)), cols, captions=r.random() < .6, select=sel, ar=r.choice((1, 1, 1.33, .75)))
    foot = (f'<div class="btnrow"><span class="small muted" style="flex:1">{esc(ctx.u("selected_n", n=r.randint(1, 5)))}</span>'
            f'<span class="btn">{esc(ctx.u("upload"))}</span></div>') if sel else ""
    body = f'<div class="row" style="margin-bottom:12px"><h3 style="flex:1;margin:0">{esc(title)}</h3>{icon("dots", 20, "var(--muted)")}</div>{grid}{foot}'
    return dict(html=f'<div id="cap" class="ncard">{body}</div>', style=f"--w:{r.randint(340, 720)}px;--gap:{r.choice((2, 4, 8, 12))}px;--cp:{r.choice((8, 14, 20))}px")


def neg_picker(ctx):
    r = ctx.rng
    cols = r.choice((3, 3, 4))
    if r.random() < 0.6:
        labels = ctx.u("captions").split("|")
        r.shuffle(labels)
        head = f'<h2>{esc(ctx.u("choose_interests"))}</h2><div class="muted" style="margin-bottom:12px">{esc(ctx.u("pick_3"))}</div>'
        grid = _thumbs(ctx, cols * r.choice((2, 3)), cols, captions=False, select=True, labels=labels)
    else:
        head = f'<h2>{esc(ctx.u("choose_avatar"))}</h2>'
        grid = _thumbs(ctx, cols * 2, cols, captions=False, select=True)
        grid = grid.replace('class="im"', 'class="im" style="border-radius:50%"', 0)
    body = f'{head}{grid}<div class="btnrow" style="justify-content:flex-end"><span class="btn">{esc(ctx.u("continue"))}</span></div>'
    return dict(html=f'<div id="cap" class="ncard shadow">{body}</div>', style=f"--w:{r.randint(380, 640)}px;--gap:10px")


def neg_products(ctx):
    r = ctx.rng
    cols = r.choice((3, 4))
    items = ""
    for _ in range(cols * r.choice((1, 2))):
        items += (f'<div class="th prod"><div class="im" style="{ctx.photo_css(zoom=1.2, blur=False)}"></div>'
                  f'<div class="cap">{esc(ctx.u("products"))} {r.randint(10, 99)}</div><div class="stars">{"★" * r.randint(3, 5)}</div>'
                  f'<div class="pr">{r.randint(5, 300)}.{r.choice(("00", "99", "49"))}</div><span class="btn" style="padding:7px 10px;font-size:.85em">{esc(ctx.u("add_to_cart"))}</span></div>')
    lo, hi = sorted((r.randint(0, 60), r.randint(40, 100)))
    filt = (f'<div style="width:200px;flex:none"><h3>{esc(ctx.u("filters"))}</h3><div class="small">{esc(ctx.u("price_range"))}</div>'
            f'<div class="sl"><div class="f" style="left:{lo}%;right:{100 - hi}%"></div><div class="k" style="left:{lo}%"></div><div class="k" style="left:{hi}%"></div></div>'
            f'<div class="row small muted"><span>{lo * 5}</span><span class="sp"></span><span>{hi * 5}</span></div>'
            f'{_chk(ctx, "in_stock")}{_chk(ctx, "free_shipping")}</div>')
    grid = f'<div class="thgrid" style="grid-template-columns:repeat({cols},1fr);flex:1">{items}</div>'
    if r.random() < 0.5:
        return dict(html=_page(ctx, f'<div class="main" style="justify-content:flex-start">{filt}{grid}</div>'), fullpage=True, style="--gap:16px")
    return dict(html=f'<div id="cap" class="ncard"><div class="row" style="align-items:flex-start;gap:20px">{filt if r.random() < .5 else ""}{grid}</div></div>',
                style=f"--w:{r.randint(560, 1000)}px;--gap:14px")


def neg_sliders(ctx):
    r = ctx.rng
    rows = ""
    for k in r.sample(("volume", "brightness", "price_range", "volume"), r.randint(1, 3)):
        v = r.randint(0, 100)
        ic = {"volume": "speaker", "brightness": "sun"}.get(k, "cart")
        rows += (f'<div class="row" style="margin-top:8px">{icon(ic, 20, "var(--muted)")}<b class="small" style="flex:1">{esc(ctx.u(k))}</b><span class="small muted">{v}%</span></div>'
                 f'<div class="sl"><div class="f" style="left:0;right:{100 - v}%"></div><div class="k" style="left:{v}%"></div></div>')
    if r.random() < 0.5:  # media player
        p = ctx.photo(0.3)
        t = r.randint(5, 95)
        rows = (f'<div style="height:{r.randint(120, 220)}px;background-image:url(\'{ctx.url(p)}\');background-size:cover;border-radius:var(--r)"></div>'
                f'<div class="sl"><div class="f" style="left:0;right:{100 - t}%"></div><div class="k" style="left:{t}%"></div></div>'
                f'<div class="row">{icon(r.choice(("play", "pause")), 24)}{icon("speaker", 20)}<span class="small muted">1:{r.randint(10, 59)} / 3:{r.randint(10, 59)}</span><span class="sp"></span>{icon("gear", 20)}</div>') + rows
    return dict(html=f'<div id="cap" class="ncard">{rows}</div>', style=f"--w:{r.randint(300, 520)}px")


def neg_progress(ctx):
    r = ctx.rng
    lay = r.randint(0, 2)
    if lay == 0:
        rows = "".join(f'<div class="row small">{icon("file", 18, ctx.accent)}<span class="sp">IMG_{r.randint(1000, 9999)}.jpg</span><span class="muted">{v}%</span></div>'
                       f'<div class="pb"><i style="width:{v}%"></i></div>' for v in (r.randint(0, 100) for _ in range(3)))
        body = f'<div class="row" style="margin-bottom:10px"><b style="flex:1">{esc(ctx.u("uploading"))}</b>{icon("x", 16, "var(--muted)")}</div>{rows}'
    elif lay == 1:
        body = (f'<div style="text-align:center;padding:10px"><span class="spin"></span><h3 style="margin-top:14px">{esc(r.choice((ctx.u("processing"), ctx.u("loading"))))}</h3>'
                f'<div class="muted small">{esc(ctx.u("please_wait"))}</div></div>')
    else:
        body = (f'<div class="row">{icon("check", 26, "#1f8a4c", 3) if r.random() < .5 else "<span class=spin style=--ss:24px></span>"}'
                f'<b style="flex:1">{esc(r.choice((ctx.u("loading"), ctx.u("processing"))))}</b></div><div class="pb" style="--ph:{r.choice((4, 8, 12))}px"><i style="width:{r.randint(5, 95)}%"></i></div>')
    return dict(html=f'<div id="cap" class="ncard shadow">{body}</div>', style=f"--w:{r.randint(300, 480)}px")


def neg_editor(ctx):
    r = ctx.rng
    W = r.randint(320, 560)
    H = int(W * r.uniform(0.55, 0.8))
    p = ctx.photo(0.3)
    cx, cy = r.randint(10, W // 3), r.randint(10, H // 3)
    cw, ch = r.randint(W // 3, W - cx - 10), r.randint(H // 3, H - cy - 10)
    handles = "".join(f'<i style="{a}"></i>' for a in ("left:-6px;top:-6px", "right:-6px;top:-6px", "left:-6px;bottom:-6px", "right:-6px;bottom:-6px"))
    ang = r.randint(-45, 45)
    body = (f'<div class="row" style="margin-bottom:10px">{icon("crop", 18, "#ddd")}<b style="flex:1">{esc(ctx.u("settings"))}</b>{icon("x", 18, "#ddd")}</div>'
            f'<div class="stage" style="width:{W}px;height:{H}px;overflow:hidden;background-image:url(\'{ctx.url(p)}\')">'
            f'<div class="crop" style="left:{cx}px;top:{cy}px;width:{cw}px;height:{ch}px">{handles}</div></div>'
            f'<div class="tools">{icon("rotl", 22, "#ddd")}{icon("rotr", 22, "#ddd")}<div class="sl" style="flex:1"><div class="f" style="left:50%;right:{50 - ang * 50 // 45 if ang > 0 else 50}%"></div>'
            f'<div class="k" style="left:{50 + ang * 50 // 45}%"></div></div><span class="small">{ang}°</span>'
            f'<span class="btn">{esc(ctx.u("save"))}</span></div>')
    return dict(html=f'<div id="cap" class="editor">{body}</div>', style=f"--w:{W + 28}px")


# ------------------------------------------------------------------ screenshots
def neg_error(ctx):
    r = ctx.rng
    lay = r.randint(0, 2)
    if lay == 0:
        inner = (f'<div class="err"><div class="code">404</div><h1>{esc(ctx.u("not_found"))}</h1><p class="muted">{esc(ctx.u("not_found_text"))}</p>'
                 f'<span class="btn">{esc(ctx.u("go_home"))}</span></div>')
        return dict(html=_page(ctx, inner), fullpage=True)
    if lay == 1:
        inner = (f'<div style="padding:120px 20% 0">{icon("globe", 64, "var(--muted)")}<h1 style="margin-top:20px;font-weight:400">{esc(ctx.u("no_internet"))}</h1>'
                 f'<p class="muted">{esc(ctx.u("try_checking"))}</p><span class="btn">{esc(ctx.u("reload"))}</span></div>')
        return dict(html=f'<div id="cap" class="pg">{inner}</div>', fullpage=True)
    inner = (f'<div class="art"><h1>500 {esc(ctx.u("server_error"))}</h1><p>{esc(ctx.u("please_wait"))}</p><hr><p class="small muted">nginx/1.{r.randint(18, 27)}.{r.randint(0, 9)}</p></div>')
    return dict(html=f'<div id="cap" class="pg" style="background:#fff;color:#000">{inner}</div>', fullpage=True)


def neg_webpage(ctx):
    r = ctx.rng
    cards = ""
    for _ in range(r.choice((3, 3, 4))):
        cards += (f'<div class="card" style="padding:0;overflow:hidden"><div style="height:140px;{ctx.photo_css(blur=False)}"></div>'
                  f'<div style="padding:14px"><b>{esc(ctx.u("article_title")[:r.randint(20, 48)])}</b><p class="small muted">{esc(ctx.u("para")[:r.randint(80, 140)])}</p>'
                  f'<span class="link small">{esc(ctx.u("read_more"))} →</span></div></div>')
    hero_img = f'<div style="flex:1;min-height:260px;border-radius:var(--r2);{ctx.photo_css(blur=False)}"></div>' if r.random() < .6 else ""
    inner = (f'<div class="hero" style="display:flex;gap:30px;align-items:center"><div style="flex:1"><h1>{esc(ctx.u("article_title"))}</h1>'
             f'<p>{esc(ctx.u("para")[:200])}</p><span class="btn">{esc(ctx.u("sign_up"))}</span></div>{hero_img}</div>'
             f'<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:20px;padding:28px 32px">{cards}</div>')
    return dict(html=_page(ctx, inner), fullpage=True)


def neg_email(ctx):
    r = ctx.rng
    subs = ctx.u("mail_subjects").split("|")
    side = (f'<div style="margin-bottom:14px"><span class="btn">{icon("plus", 16, "#fff")} {esc(ctx.u("compose"))}</span></div>' +
            "".join(f'<div class="{"on" if k == "inbox" else ""}">{icon(ic, 16)}{esc(ctx.u(k))}</div>'
                    for k, ic in (("inbox", "mail"), ("sent", "arrow"), ("drafts", "file"), ("spam", "info"))))
    items = ""
    for i in range(r.randint(9, 16)):
        items += (f'<div class="it{" unread" if r.random() < .35 else ""}"><span class="chk" style="margin:0">{_ck(r.random() < .1)}</span>'
                  f'{icon("star", 16, "#f5a623" if r.random() < .2 else "var(--border)")}<span style="width:150px">{esc(r.choice(NAMES))}</span>'
                  f'<span style="flex:1">{esc(r.choice(subs))} <span class="muted">— {esc(ctx.u("para")[r.randint(0, 60):][:50])}</span></span>'
                  f'<span class="small muted">{r.randint(1, 12)}:{r.randint(10, 59)}</span></div>')
    search = f'<div class="row" style="padding:10px 16px"><div class="inp ph" style="flex:1">{icon("search", 16)} {esc(ctx.u("search"))}</div>{icon("gear", 20)}{icon("user", 22)}</div>'
    return dict(html=f'<div id="cap" class="pg"><div class="mail"><div class="sb">{side}</div><div class="ls">{search}{items}</div></div></div>', fullpage=True)


def neg_chat(ctx):
    r = ctx.rng
    lines = ctx.u("chat_lines").split("|")
    cl = "".join(f'<div class="c"><div class="av" style="{ctx.photo_css(zoom=2, blur=False)}"></div><div style="flex:1"><b class="small">{esc(n)}</b>'
                 f'<div class="small muted">{esc(r.choice(lines)[:28])}</div></div></div>' for n in r.sample(NAMES, 6))
    msgs = "".join(f'<div class="bub{" me" if r.random() < .5 else ""}">{esc(l)}</div>' for l in lines[:r.randint(4, 7)])
    cv = (f'<div class="cv"><div class="row" style="padding:12px 16px;border-bottom:1px solid var(--border)"><div class="av"></div><b>{esc(r.choice(NAMES))}</b>'
          f'<span class="small muted">{esc(ctx.u("online"))}</span></div><div class="msgs">{msgs}</div>'
          f'<div class="row" style="padding:12px"><div class="inp ph" style="flex:1;border-radius:999px">{esc(ctx.u("type_message"))}</div>{icon("arrow", 24, ctx.accent)}</div></div>')
    bubo = "#333" if ctx.dark else "#eceff1"
    return dict(html=f'<div id="cap" class="pg"><div class="chat"><div class="cl">{cl}</div>{cv}</div></div>', fullpage=True, style=f"--bubo:{bubo}")


def _bars(ctx, w, h, n):
    r = ctx.rng
    bw = w / n
    bars = "".join(f'<rect x="{i * bw + 4:.0f}" y="{h - v:.0f}" width="{bw - 8:.0f}" height="{v:.0f}" rx="3" fill="{ctx.accent}" opacity="{0.5 + r.random() * .5:.2f}"/>'
                   for i, v in enumerate(r.randint(10, h - 10) for _ in range(n)))
    return f'<svg width="{w}" height="{h}">{bars}</svg>'


def neg_dashboard(ctx):
    r = ctx.rng
    side = "".join(f'<div>{icon(ic, 16, "#fff")}{esc(ctx.u(k))}</div>' for k, ic in (("dashboard", "chart"), ("orders", "cart"), ("users", "user"), ("settings", "gear")))
    kpis = "".join(f'<div class="kpi"><span class="small muted">{esc(ctx.u(k))}</span><b>{r.randint(1, 999)}{r.choice((",", "."))}{r.randint(100, 999)}</b>'
                   f'<span class="small" style="color:{"#1f8a4c" if r.random() < .6 else "#d32f2f"}">{r.choice("+-")}{r.randint(1, 30)}.{r.randint(0, 9)}%</span></div>'
                   for k in ("revenue", "users", "orders", "conversion"))
    rows = "".join(f'<tr><td>{_ck(r.random() < .2)}</td><td>#{r.randint(10000, 99999)}</td><td>{esc(r.choice(NAMES))}</td><td>{r.randint(10, 900)}.00</td>'
                   f'<td><span style="color:{ctx.accent}">●</span></td></tr>' for _ in range(r.randint(4, 8)))
    mn = (f'<h2>{esc(ctx.u("dashboard"))}</h2><div class="kpis">{kpis}</div>'
          f'<div class="card" style="margin-top:16px">{_bars(ctx, r.randint(500, 800), r.randint(140, 220), r.randint(7, 16))}</div>'
          f'<div class="card" style="margin-top:16px"><table class="tb"><tr><th></th><th>ID</th><th>{esc(ctx.u("full_name"))}</th><th>{esc(ctx.u("total"))}</th><th></th></tr>{rows}</table></div>')
    sb = r.choice(("#1f2937", "#0b1f3a", ctx.accent, "#2d2d2d"))
    return dict(html=f'<div id="cap" class="pg"><div class="dash"><div class="sb">{side}</div><div class="mn">{mn}</div></div></div>', fullpage=True, style=f"--sbbg:{sb}")


# ------------------------------------------------------------------ documents
def neg_article(ctx):
    r = ctx.rng
    paras = "".join(f'<p>{esc(ctx.u("para"))}</p>' for _ in range(r.randint(2, 4)))
    img = f'<div style="height:{r.randint(180, 320)}px;border-radius:var(--r);{ctx.photo_css(blur=False)}"></div>' if r.random() < .6 else ""
    inner = f'<div class="art"><h1>{esc(ctx.u("article_title"))}</h1><p class="small muted">{esc(r.choice(NAMES))} · {r.randint(2, 12)} min</p>{img}{paras}</div>'
    if r.random() < 0.5:
        return dict(html=_page(ctx, inner), fullpage=True)
    return dict(html=f'<div id="cap" class="pg" style="min-height:0;width:{r.randint(560, 900)}px">{inner}</div>')


DOC_FONTS = ("Liberation Serif", "DejaVu Serif", "Noto Serif", "C059", "P052", "Gentium", "Carlito", "Liberation Sans", "Noto Sans")


def neg_terms(ctx):
    r = ctx.rng
    secs = "".join(f'<h2>{i}. {esc(ctx.u(k))}</h2><p>{esc(ctx.u("para"))}</p>' for i, k in enumerate(r.sample(("privacy", "preferences", "orders", "shipping", "two_factor", "settings"), r.randint(2, 4)), 1))
    body = f'<h1>{esc(ctx.u("agree_terms"))}</h1><p class="small">2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}</p>{secs}'
    return dict(html=f'<div id="cap" class="doc">{body}</div>', style=f"--w:{r.randint(520, 900)}px;--dfont:{ctx.stack(r.choice(DOC_FONTS))}")


def neg_invoice(ctx):
    r = ctx.rng
    rows, tot = "", 0
    for _ in range(r.randint(2, 7)):
        q, p = r.randint(1, 5), r.randint(5, 400)
        tot += q * p
        rows += f'<tr><td>{esc(ctx.u("products"))} {r.randint(100, 999)}</td><td>{q}</td><td>{p}.00</td><td>{q * p}.00</td></tr>'
    body = (f'<div class="row"><h1 style="flex:1">INVOICE #{r.randint(1000, 99999)}</h1><div style="text-align:right" class="small">{esc(r.choice(SITES))}<br>{esc(_email(ctx))}</div></div>'
            f'<p>{esc(r.choice(NAMES))}<br>{esc(ctx.u("shipping"))}</p><table class="tb"><tr><th>{esc(ctx.u("products"))}</th><th>#</th><th>€</th><th>{esc(ctx.u("total"))}</th></tr>{rows}'
            f'<tr><th colspan="3">{esc(ctx.u("total"))}</th><th>{tot}.00</th></tr></table>')
    return dict(html=f'<div id="cap" class="doc">{body}</div>', style=f"--w:{r.randint(520, 860)}px;--dfont:{ctx.stack(r.choice(DOC_FONTS))};--border:#ddd")


# name -> (function, kind, weight)
NEGATIVES = {
    "neg_login_card": (neg_login_card, "form", 8),
    "neg_login_page": (neg_login_page, "form", 8),
    "neg_2fa": (neg_2fa, "form", 4),
    "neg_subscribe": (neg_subscribe, "form", 3),
    "neg_survey": (neg_survey, "form", 3),
    "neg_consent_box": (neg_consent_box, "form", 3),
    "neg_cookie": (neg_cookie, "banner", 7),
    "neg_permission": (neg_permission, "banner", 3),
    "neg_newsletter_popup": (neg_newsletter_popup, "banner", 3),
    "neg_settings": (neg_settings, "ui", 5),
    "neg_filepicker": (neg_filepicker, "ui", 4),
    "neg_gallery": (neg_gallery, "ui", 6),
    "neg_picker": (neg_picker, "ui", 5),
    "neg_products": (neg_products, "ui", 4),
    "neg_sliders": (neg_sliders, "ui", 4),
    "neg_progress": (neg_progress, "ui", 4),
    "neg_editor": (neg_editor, "ui", 3),
    "neg_error": (neg_error, "screenshot", 4),
    "neg_webpage": (neg_webpage, "screenshot", 4),
    "neg_email": (neg_email, "screenshot", 3),
    "neg_chat": (neg_chat, "screenshot", 3),
    "neg_dashboard": (neg_dashboard, "screenshot", 3),
    "neg_article": (neg_article, "document", 4),
    "neg_terms": (neg_terms, "document", 3),
    "neg_invoice": (neg_invoice, "document", 3),
}
