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



# ------------------------------------------------------------------ second batch (closest look-alikes)
def _placed(ctx, card, cls, p_page=0.3, dim=False, extra=""):
    """card alone (id=cap) or, with probability p_page, centred in a site page (dimmed for dialogs)."""
    r = ctx.rng
    if r.random() < p_page:
        if dim:
            bg = (f'<div class="hero"><h1>{esc(ctx.u("article_title"))}</h1><p>{esc(ctx.u("para")[:180])}</p></div>'
                  f'<div class="art"><p>{esc(ctx.u("para"))}</p></div>')
            inner = f'{bg}<div class="overlay"></div><div class="popc"><div class="{cls} shadow" {extra}>{card}</div></div>'
        else:
            inner = f'<div class="main"><div class="{cls}" {extra}>{card}</div></div>'
        return dict(html=_page(ctx, inner), fullpage=True)
    return dict(html=f'<div id="cap" class="{cls}{" shadow" if r.random() < .5 else ""}" {extra}>{card}</div>')


def _fld(label, value="", ph=False, cls="", icon_html=""):
    v = esc(value) if value else ""
    return f'<div class="lbl">{esc(label)}</div><div class="inp{" ph" if ph else ""} {cls}">{icon_html}{v}&nbsp;</div>'


def _radio(on):
    return f'<b class="rad{" on" if on else ""}"></b>'


def neg_signup_steps(ctx):
    r = ctx.rng
    steps = ctx.u("steps").split("|")
    k = r.randrange(3)
    bar = "".join(f'<div class="st{" on" if i <= k else ""}"><b>{icon("check", 12, "#fff", 3) if i < k else i + 1}</b>{esc(s)}</div>' for i, s in enumerate(steps))
    if k == 0:
        flds = (_fld(ctx.u("email"), _email(ctx) if r.random() < .5 else "") + _fld(ctx.u("password"), "•••••••••") +
                f'<div class="pb" style="--ph:5px;margin-top:8px"><i style="width:{r.randint(30, 100)}%;background:#2e7d32"></i></div>'
                f'<div class="small muted">{esc(ctx.u("pw_strength"))}</div>' + _fld(ctx.u("confirm_password"), "•••••••••" if r.random() < .5 else ""))
    elif k == 1:
        flds = (f'<div class="grid2"><div>{_fld(ctx.u("full_name"), r.choice(NAMES))}</div><div>{_fld(ctx.u("phone"), "+" + str(r.randint(1, 90)) + " " + str(r.randint(100, 999)) + " " + str(r.randint(1000, 9999)))}</div></div>'
                f'<div class="lbl">{esc(ctx.u("birthday"))}</div><div class="row">' +
                "".join(f'<div class="inp" style="flex:1">{v} {icon("chevd", 12)}</div>' for v in (r.randint(1, 28), r.randint(1, 12), r.randint(1960, 2006))) +
                f'</div>{_fld(ctx.u("country"), "", cls="", icon_html=icon("globe", 16, "var(--muted)") + " ")}')
    else:
        flds = f'<p class="muted">{esc(_email(ctx))}</p>{_chk(ctx, "agree_terms")}{_chk(ctx, "newsletter")}{_chk(ctx, "two_factor")}'
    card = (f'<div class="small muted">{esc(ctx.u("step_n", n=k + 1, m=3))}</div><h2>{esc(ctx.u("sign_up"))}</h2>'
            f'<div class="stp">{bar}</div>{flds}<div class="btnrow" style="justify-content:space-between">'
            f'<span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("continue"))}</span></div>')
    d = _placed(ctx, card, "ncard")
    d["style"] = f"--w:{r.randint(380, 520)}px"
    return d


def _card_art(ctx):
    r = ctx.rng
    c1, c2 = r.sample(("#1a237e", "#004d40", "#b71c1c", "#263238", "#4a148c", "#0d47a1", "#e65100", "#212121"), 2)
    num = " ".join(["••••"] * 3 + [str(r.randint(1000, 9999))])
    return (f'<div class="ccard" style="background:linear-gradient(135deg,{c1},{c2})"><div class="chip"></div>'
            f'<div class="num">{num}</div><div class="row small"><span>{esc(r.choice(NAMES).upper())}</span><span class="sp"></span>'
            f'<span>{r.randint(1, 12):02d}/{r.randint(26, 31)}</span></div><div class="brandc"><i></i><i></i></div></div>')


def neg_payment(ctx):
    r = ctx.rng
    marks = "".join(f'<span class="pm" style="background:{c}">{t}</span>' for c, t in r.sample((("#1a1f71", "VISA"), ("#eb001b", "MC"), ("#2e77bc", "AMEX"), ("#ff6000", "DISC"), ("#222", "PAY")), 3))
    tabs = "".join(f'<div class="pt{" on" if i == 0 else ""}">{icon(ic, 18)}{esc(t)}</div>' for i, (ic, t) in enumerate(((("file"), ctx.u("card_number")), ("phone", "Wallet"), ("home", ctx.u("billing")))))
    card = (f'<div class="row"><h3 style="flex:1;margin:0">{esc(ctx.u("payment_method"))}</h3>{marks}</div>'
            f'{_card_art(ctx) if r.random() < .45 else ""}<div class="ptabs">{tabs}</div>'
            f'{_fld(ctx.u("card_name"), r.choice(NAMES) if r.random() < .6 else "")}'
            f'{_fld(ctx.u("card_number"), "4242 4242 4242 " + str(r.randint(1000, 9999)) if r.random() < .6 else "", icon_html=icon("lock", 14, "var(--muted)") + " ")}'
            f'<div class="grid2"><div>{_fld(ctx.u("expiry"), "MM / YY" if r.random() < .4 else "%02d / %02d" % (r.randint(1, 12), r.randint(26, 31)))}</div>'
            f'<div>{_fld(ctx.u("cvc"), "•••" if r.random() < .5 else "")}</div></div>'
            f'{_fld(ctx.u("zip"), str(r.randint(10000, 99999)) if r.random() < .5 else "")}{_chk(ctx, "save_card")}'
            f'<span class="btn block" style="margin-top:8px">{icon("lock", 16, "#fff")} {esc(ctx.u("pay_now"))} {r.randint(5, 400)}.{r.choice(("00", "99", "50"))}</span>'
            f'<p class="small muted" style="text-align:center">{icon("shield", 14, "var(--muted)")} {esc(ctx.u("secure_payment"))}</p>')
    d = _placed(ctx, card, "ncard", p_page=0.25)
    d["style"] = f"--w:{r.randint(360, 500)}px"
    return d


def neg_reset_pw(ctx):
    r = ctx.rng
    if r.random() < 0.55:
        card = (f'<div style="text-align:center">{icon("lock", 40, ctx.accent)}</div><h2 style="text-align:center">{esc(ctx.u("reset_title"))}</h2>'
                f'<p class="muted small">{esc(ctx.u("reset_text"))}</p>{_fld(ctx.u("email"), _email(ctx) if r.random() < .5 else "", ph=False)}'
                f'<span class="btn block" style="margin-top:14px">{esc(ctx.u("send_link"))}</span>'
                f'<p class="small" style="text-align:center;margin-top:14px"><span class="link">← {esc(ctx.u("back_sign_in"))}</span></p>')
    else:
        v = r.randint(20, 100)
        card = (f'<h2>{esc(ctx.u("reset_title"))}</h2>{_fld(ctx.u("new_password"), "••••••••••", icon_html="")}'
                f'<div class="pb" style="--ph:5px;margin-top:8px"><i style="width:{v}%;background:{"#2e7d32" if v > 60 else "#f9a825"}"></i></div>'
                f'<div class="small muted">{esc(ctx.u("pw_strength"))}</div>{_fld(ctx.u("confirm_password"), "••••••••••" if r.random() < .6 else "")}'
                f'{_chk(ctx, "keep_signed")}<span class="btn block">{esc(ctx.u("save"))}</span>')
    d = _placed(ctx, card, "ncard", p_page=0.35)
    d["style"] = f"--w:{r.randint(340, 440)}px"
    return d


def neg_otp_sms(ctx):
    """A code sent by SMS: one code field (or split boxes) with a phone notification above it."""
    r = ctx.rng
    code = "".join(str(r.randint(0, 9)) for _ in range(6))
    phone = f"+{r.randint(1, 90)} ••• ••• {r.randint(10, 99)}"
    site = r.choice(SITES).split(".")[-2].split("-")[0].capitalize()
    sms = (f'<div class="sms">{icon("mail", 18, "#fff")}<div><b class="small">SMS · {r.randint(1, 9)} min</b>'
           f'<div class="small">{esc(ctx.u("sms_text", site=site, code=code))}</div></div></div>') if r.random() < 0.5 else ""
    typed = code[:r.randint(0, 6)]
    if r.random() < 0.5:
        entry = f'<div class="inp otp1">{esc(typed)}<span class="ph2">{"•" * (6 - len(typed))}</span></div>'
    else:
        entry = f'<div class="otp" style="gap:6px">' + "".join(f'<span class="{"f" if i == len(typed) else ""}">{typed[i] if i < len(typed) else ""}</span>' for i in range(3)) + \
                '<span style="border:0;width:14px">–</span>' + "".join(f'<span>{typed[i] if i < len(typed) else ""}</span>' for i in range(3, 6)) + '</div>'
    card = (f'{sms}{icon("phone", 34, ctx.accent)}<h2 style="margin-top:10px">{esc(ctx.u("verify_phone"))}</h2>'
            f'<p class="muted small">{esc(ctx.u("sms_sent", phone=phone))}</p><div class="lbl">{esc(ctx.u("enter_code"))}</div>{entry}'
            f'<span class="btn block" style="margin-top:12px">{esc(r.choice((ctx.u("continue"), ctx.u("verify_account"))))}</span>'
            f'<p class="small muted" style="text-align:center">{esc(ctx.u("resend_in", s=r.randint(10, 59)))}</p>')
    d = _placed(ctx, card, "ncard", p_page=0.3)
    d["style"] = f"--w:{r.randint(320, 440)}px"
    return d


def neg_terms_dialog(ctx):
    r = ctx.rng
    on = r.random() < 0.4
    secs = "".join(f'<p><b>{i}. {esc(ctx.u(k))}</b> {esc(ctx.u("para"))}</p>' for i, k in enumerate(r.sample(("privacy", "orders", "shipping", "billing", "security"), 3), 1))
    card = (f'<div class="dh">{icon("file", 20, ctx.accent)}&nbsp; {esc(ctx.u("terms_updated"))}<span class="sp"></span>{icon("x", 18, "var(--muted)")}</div>'
            f'<div class="db"><div class="scrollbox" style="height:{r.randint(140, 240)}px">{secs}</div>'
            f'<div class="cbg" style="width:auto;margin-top:12px;display:flex;align-items:center;gap:12px;padding:12px 14px">'
            f'<div class="big{" on" if on else ""}">{icon("check", 18, "#fff", 3) if on else ""}</div><span class="small">{esc(ctx.u("terms_read"))}</span></div></div>'
            f'<div class="df"><span class="btn gray">{esc(ctx.u("decline"))}</span><span class="btn"{"" if on else " style=opacity:.5"}>{esc(ctx.u("accept"))}</span></div>')
    d = _placed(ctx, card, "dlg", p_page=0.35, dim=True)
    d["style"] = f"--w:{r.randint(380, 560)}px"
    return d


def neg_contact_split(ctx):
    r = ctx.rng
    info = (f'<div class="ci"><h3>{esc(ctx.u("contact_us"))}</h3><p class="small">{esc(ctx.u("para")[:120])}</p>'
            f'<div class="row small">{icon("mail", 16, "currentColor")}{esc(_email(ctx))}</div>'
            f'<div class="row small" style="margin-top:8px">{icon("phone", 16, "currentColor")}+{r.randint(1, 90)} {r.randint(100, 999)} {r.randint(1000, 9999)}</div>'
            f'<div class="row small" style="margin-top:8px">{icon("home", 16, "currentColor")}{esc(r.choice(SITES))}</div></div>')
    msg = ctx.u("chat_lines").split("|")
    body = " ".join(r.sample(msg, 3)) if r.random() < .5 else ""
    form = (f'<div style="flex:1;padding:22px"><div class="grid2"><div>{_fld(ctx.u("full_name"), r.choice(NAMES) if r.random() < .5 else "")}</div>'
            f'<div>{_fld(ctx.u("email"), _email(ctx) if r.random() < .5 else "")}</div></div>'
            f'{_fld(ctx.u("subject"), "", icon_html="")}<div class="lbl">{esc(ctx.u("message"))}</div><div class="inp ta">{esc(body)}</div>'
            f'<div class="row" style="margin-top:10px"><span class="link small">{icon("upload", 16)} {esc(ctx.u("attach"))}</span><span class="sp"></span>'
            f'<span class="btn">{esc(ctx.u("send"))}</span></div>{_chk(ctx, "agree_terms") if r.random() < .5 else ""}</div>')
    card = (info + form) if r.random() < .6 else (form + info)
    d = _placed(ctx, card, "ncard split", p_page=0.35)
    d["style"] = f"--w:{r.randint(620, 860)}px;--cp:0px;--cibg:{r.choice((ctx.accent, '#263238', '#0b1f3a'))}"
    return d


def neg_quiz_image(ctx):
    """A quiz / survey step with a photo and radio buttons (or rating tiles) — no challenge text."""
    r = ctx.rng
    m = r.randint(5, 12)
    n = r.randint(1, m)
    if r.random() < 0.5:
        q, opts = ctx.u("photo_q"), ctx.u("place_opts").split("|")
    else:
        q, opts = ctx.u("photo_rate"), ctx.u("rate_opts").split("|")
    on = r.randrange(len(opts)) if r.random() < 0.6 else -1
    img = f'<div class="qimg" style="height:{r.randint(150, 240)}px;{ctx.photo_css(zoom=r.uniform(1, 1.5), blur=False)}"></div>'
    top = r.random() < 0.5
    if r.random() < 0.6:
        ans = "".join(f'<div class="qopt{" on" if i == on else ""}">{_radio(i == on)}{esc(o)}</div>' for i, o in enumerate(opts))
    else:
        ans = '<div class="qtiles">' + "".join(f'<div class="qopt{" on" if i == on else ""}">{esc(o)}</div>' for i, o in enumerate(opts)) + '</div>'
    card = (f'<div class="row small muted"><span>{esc(ctx.u("question_n", n=n, m=m))}</span><span class="sp"></span>{icon("x", 16, "var(--muted)")}</div>'
            f'<div class="pb" style="--ph:6px"><i style="width:{n * 100 // m}%"></i></div>'
            f'{img if top else ""}<h3 style="margin-top:12px">{esc(q)}</h3>{"" if top else img}{ans}'
            f'<div class="btnrow" style="justify-content:flex-end"><span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("continue"))}</span></div>')
    d = _placed(ctx, card, "ncard", p_page=0.25)
    d["style"] = f"--w:{r.randint(340, 560)}px"
    return d


def neg_search_results(ctx):
    r = ctx.rng
    caps = ctx.u("captions").split("|")
    qtxt = r.choice(caps)
    tabs = ctx.u("search_tabs").split("|")
    imgtab = r.random() < 0.3
    tb = "".join(f'<span class="{"on" if i == (1 if imgtab else 0) else ""}">{esc(t)}</span>' for i, t in enumerate(tabs))
    head = (f'<div class="srh"><div class="logo"><i></i></div><div class="inp sq">{esc(qtxt)}<span class="sp"></span>{icon("x", 16, "var(--muted)")}'
            f'{icon("search", 18, ctx.accent)}</div><span class="sp"></span>{icon("gear", 20, "var(--muted)")}{icon("user", 24, "var(--muted)")}</div>'
            f'<div class="stabs">{tb}</div>')
    if imgtab:
        cells = "".join(f'<div class="si" style="flex-grow:{w};width:{w * 60}px"><div style="height:{h}px;{ctx.photo_css(zoom=1.1, blur=False)}"></div>'
                        f'<div class="small muted">{esc(r.choice(SITES))}</div></div>' for w, h in ((r.randint(2, 4), r.choice((140, 160, 180))) for _ in range(r.randint(10, 16))))
        body = f'<div class="simgs">{cells}</div>'
    else:
        res = ""
        for i in range(r.randint(4, 7)):
            s = r.choice(SITES)
            res += (f'<div class="sr"><div class="small">{esc(s)} › {esc(r.choice(caps).lower())}</div><a class="st">{esc(r.choice(caps))} — {esc(ctx.u("article_title")[:r.randint(20, 50)])}</a>'
                    f'<div class="small muted">{esc(ctx.u("para")[r.randint(0, 80):][:r.randint(110, 170)])}…</div></div>')
            if i == 1 and r.random() < 0.5:
                res += ('<div class="srow">' + "".join(f'<div style="{ctx.photo_css(zoom=1.2, blur=False)}"></div>' for _ in range(r.randint(4, 6))) + '</div>')
        body = f'<div class="small muted" style="margin:8px 0 14px">{esc(ctx.u("results_n", n=f"{r.randint(1, 900)},{r.randint(100, 999)},000", t=f"0.{r.randint(20, 80)}"))}</div>{res}'
    return dict(html=f'<div id="cap" class="pg srp">{head}<div class="sbody"{" style=max-width:1200px" if imgtab else ""}>{body}</div></div>', fullpage=True)


def neg_compose(ctx):
    r = ctx.rng
    subs = ctx.u("mail_subjects").split("|")
    paras = ctx.u("para").split(". ")
    text = ". ".join(paras[:r.randint(1, len(paras))])
    tools = "".join(f'<b>{c}</b>' for c in ("B", "I", "U")) + icon("image", 18) + icon("upload", 18) + icon("dots", 18)
    card = (f'<div class="ch"><span>{esc(ctx.u("new_message"))}</span><span class="sp"></span>{icon("x", 16, "#fff")}</div>'
            f'<div class="cf"><span class="muted">{esc(ctx.u("to"))}</span> {esc(_email(ctx))}</div>'
            f'<div class="cf"><span class="muted">{esc(ctx.u("subject"))}</span> {esc(r.choice(subs))}</div>'
            f'<div class="cb" style="height:{r.randint(150, 260)}px">{esc(r.choice(NAMES).split()[0])},<br><br>{esc(text)}</div>'
            f'<div class="row" style="padding:10px 14px"><span class="btn">{esc(ctx.u("send"))}</span><span class="tb">{tools}</span><span class="sp"></span>{icon("trash", 18, "var(--muted)")}</div>')
    d = _placed(ctx, card, "compose", p_page=0.3)
    d["style"] = f"--w:{r.randint(420, 620)}px;--chbg:{r.choice(('#404040', '#202124', ctx.accent))}"
    return d


def neg_chat_widget(ctx):
    r = ctx.rng
    lines = ctx.u("chat_lines").split("|")
    msgs = f'<div class="bub">{esc(ctx.u("support_hi"))}</div>' + "".join(
        f'<div class="bub{" me" if i % 2 == 0 else ""}">{esc(l)}</div>' for i, l in enumerate(r.sample(lines, r.randint(1, 4))))
    typed = r.choice(lines) if r.random() < 0.4 else ""
    card = (f'<div class="cwh"><div class="av" style="{ctx.photo_css(zoom=2, blur=False)}"></div><div style="flex:1"><b>{esc(ctx.u("support_team"))}</b>'
            f'<div class="small" style="opacity:.85">{esc(ctx.u("replies_min"))}</div></div>{icon("chevd", 18, "#fff")}</div>'
            f'<div class="cwm">{msgs}</div><div class="cwi"><div class="inp{"" if typed else " ph"}" style="flex:1;border-radius:999px">'
            f'{esc(typed or ctx.u("type_message"))}</div>{icon("upload", 20, "var(--muted)")}{icon("arrow", 22, ctx.accent)}</div>')
    d = _placed(ctx, card, "cwid", p_page=0.0)
    if r.random() < 0.35:  # in the corner of a page
        inner = (f'<div class="hero"><h1>{esc(ctx.u("article_title"))}</h1><p>{esc(ctx.u("para")[:160])}</p></div>'
                 f'<div class="art"><p>{esc(ctx.u("para"))}</p></div><div class="cwid shadow" style="position:fixed;right:20px;bottom:20px">{card}</div>')
        d = dict(html=_page(ctx, inner), fullpage=True)
    d["style"] = f"--w:{r.randint(300, 380)}px;--bubo:{'#333' if ctx.dark else '#eceff1'}"
    return d


def neg_cms_table(ctx):
    r = ctx.rng
    caps = ctx.u("captions").split("|")
    rows = ""
    for _ in range(r.randint(5, 10)):
        pub = r.random() < 0.7
        rows += (f'<tr><td><span class="chk" style="margin:0">{_ck(r.random() < .25)}</span></td><td><div class="row"><div class="thumb" style="width:40px;height:40px;{ctx.photo_css(blur=False)}"></div>'
                 f'<b>{esc(r.choice(caps))}</b></div></td><td>{esc(r.choice(NAMES))}</td>'
                 f'<td><span class="tag{" ok" if pub else ""}">{esc(ctx.u("published") if pub else ctx.u("draft"))}</span></td>'
                 f'<td class="muted">2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}</td></tr>')
    tbl = (f'<div class="row" style="margin-bottom:12px"><h2 style="margin:0">{esc(ctx.u("posts"))}</h2><span class="btn ghost" style="padding:6px 12px">{esc(ctx.u("add_new"))}</span>'
           f'<span class="sp"></span><div class="inp ph" style="width:220px">{icon("search", 16)} {esc(ctx.u("search"))}</div></div>'
           f'<div class="row" style="margin-bottom:10px"><div class="inp" style="width:180px;min-height:34px;padding:6px 10px">{esc(ctx.u("bulk_actions"))} {icon("chevd", 12)}</div>'
           f'<span class="btn gray" style="padding:7px 12px">{esc(ctx.u("apply"))}</span><span class="sp"></span><span class="small muted">{esc(ctx.u("selected_n", n=r.randint(0, 4)))}</span></div>'
           f'<div class="card" style="padding:0"><table class="tb"><tr><th><span class="chk" style="margin:0">{_ck(False)}</span></th><th>{esc(ctx.u("title"))}</th><th>{esc(ctx.u("author"))}</th>'
           f'<th>{esc(ctx.u("status"))}</th><th>{esc(ctx.u("date"))}</th></tr>{rows}</table></div>')
    if r.random() < 0.5:
        side = "".join(f'<div>{icon(ic, 16, "#fff")}{esc(ctx.u(k))}</div>' for k, ic in (("dashboard", "chart"), ("posts", "file"), ("media_library", "image"), ("users", "user"), ("settings", "gear")))
        sb = r.choice(("#1f2937", "#23282d", ctx.accent, "#2d2d2d"))
        return dict(html=f'<div id="cap" class="pg"><div class="dash"><div class="sb">{side}</div><div class="mn">{tbl}</div></div></div>', fullpage=True, style=f"--sbbg:{sb}")
    return dict(html=f'<div id="cap" class="ncard">{tbl}</div>', style=f"--w:{r.randint(620, 900)}px")


def neg_upload_dialog(ctx):
    r = ctx.rng
    files = ""
    for _ in range(r.randint(0, 3)):
        v = r.choice((100, 100, r.randint(5, 95)))
        files += (f'<div class="row" style="margin-top:10px"><div class="thumb" style="width:44px;height:44px;{ctx.photo_css(blur=False)}"></div>'
                  f'<div style="flex:1"><div class="row small"><span class="sp">IMG_{r.randint(1000, 9999)}.jpg</span><span class="muted">{r.randint(1, 9)}.{r.randint(0, 9)} MB</span></div>'
                  f'<div class="pb" style="margin:6px 0 0"><i style="width:{v}%"></i></div></div>{icon("check", 18, "#2e7d32", 3) if v == 100 else icon("x", 16, "var(--muted)")}</div>')
    card = (f'<div class="dh">{esc(ctx.u("upload"))}<span class="sp"></span>{icon("x", 18, "var(--muted)")}</div>'
            f'<div class="db"><div class="dz">{icon(r.choice(("upload", "cloud", "image")), 40, ctx.accent)}<div>{esc(ctx.u("drag_drop"))}</div>'
            f'<span class="btn ghost" style="margin-top:10px">{esc(ctx.u("browse"))}</span><div class="small muted" style="margin-top:8px">{esc(ctx.u("max_size"))}</div></div>{files}</div>'
            f'<div class="df"><span class="btn gray">{esc(ctx.u("cancel"))}</span><span class="btn">{esc(ctx.u("upload"))}</span></div>')
    d = _placed(ctx, card, "dlg", p_page=0.3, dim=True)
    d["style"] = f"--w:{r.randint(380, 560)}px"
    return d


def neg_category_tiles(ctx):
    """Shop-by-category photo tiles in a 2x4 / 3x3 / 3x2 grid: looks like an image grid, no challenge."""
    r = ctx.rng
    cols, rows = r.choice(((4, 2), (3, 3), (3, 2), (2, 2), (4, 3), (2, 3)))
    cats = ctx.u("categories").split("|")
    r.shuffle(cats)
    over = r.random() < 0.6
    cells = ""
    for i in range(cols * rows):
        lab = f'<div class="lab">{esc(cats[i % len(cats)])}</div>' if over else f'<div class="cap" style="text-align:center;font-weight:600">{esc(cats[i % len(cats)])}</div>'
        cells += f'<div class="th"><div class="im" style="{ctx.photo_css(zoom=r.uniform(1, 1.5), blur=False)}"></div>{lab}</div>'
    grid = f'<div class="thgrid" style="grid-template-columns:repeat({cols},1fr);--ar:{r.choice((1, 1, 1.25, .8))}">{cells}</div>'
    body = f'<div class="row" style="margin-bottom:12px"><h2 style="flex:1;margin:0">{esc(ctx.u("shop_category"))}</h2><span class="link small">{esc(ctx.u("read_more"))} →</span></div>{grid}'
    if r.random() < 0.35:
        return dict(html=_page(ctx, f'<div style="padding:28px 32px">{body}</div>'), fullpage=True, style=f"--gap:{r.choice((8, 12, 16))}px")
    return dict(html=f'<div id="cap" class="ncard">{body}</div>', style=f"--w:{r.randint(360, 760)}px;--gap:{r.choice((4, 8, 12))}px;--cp:{r.choice((12, 18, 24))}px")


def neg_media_library(ctx):
    """CMS media picker: photo grid with one selected tile and an attachment-details sidebar."""
    r = ctx.rng
    cols = r.choice((3, 4, 5))
    n = cols * r.choice((2, 3))
    sel = r.randrange(n)
    cells, k = "", 0
    for i in range(n):
        s = i == sel or r.random() < 0.08
        k += s
        cells += (f'<div class="th{" sel" if s else ""}"><div class="im" style="{ctx.photo_css(zoom=r.uniform(1, 1.6), blur=False)}"></div>'
                  f'{"<div class=mck>" + icon("check", 12, "#fff", 3) + "</div>" if s else ""}</div>')
    grid = f'<div class="thgrid" style="grid-template-columns:repeat({cols},1fr)">{cells}</div>'
    side = (f'<div class="mside"><div class="small muted" style="text-transform:uppercase">{esc(ctx.u("attachment_details"))}</div>'
            f'<div style="height:110px;margin:8px 0;border-radius:var(--r);{ctx.photo_css(blur=False)}"></div>'
            f'<div class="small">IMG_{r.randint(1000, 9999)}.jpg<br><span class="muted">{r.randint(640, 4000)} × {r.randint(480, 3000)}</span></div>'
            f'{_fld(ctx.u("alt_text"), r.choice(ctx.u("captions").split("|")) if r.random() < .5 else "")}{_fld(ctx.u("title"), "")}'
            f'<span class="link small" style="color:#d32f2f">{esc(ctx.u("delete"))}</span></div>')
    tabs = f'<div class="row" style="gap:18px;padding:0 18px;border-bottom:1px solid var(--border)"><span class="tabon">{esc(ctx.u("media_library"))}</span><span class="muted">{esc(ctx.u("upload"))}</span></div>'
    card = (f'<div class="dh">{esc(ctx.u("media_library"))}<span class="sp"></span>{icon("x", 18, "var(--muted)")}</div>{tabs}'
            f'<div class="row" style="align-items:flex-start;gap:0"><div style="flex:1;padding:14px">{grid}</div>{side}</div>'
            f'<div class="df"><span class="small muted" style="flex:1">{esc(ctx.u("selected_n", n=k))}</span><span class="btn">{esc(ctx.u("insert_media"))}</span></div>')
    d = _placed(ctx, card, "dlg", p_page=0.2, dim=True)
    d["style"] = f"--w:{r.randint(640, 900)}px;--gap:{r.choice((4, 6, 8))}px"
    return d


def neg_account_settings(ctx):
    """Full settings page: left menu, sections of toggles and checkboxes, a save bar."""
    r = ctx.rng
    menu = "".join(f'<div class="{"on" if i == 0 else ""}">{icon(ic, 16)}{esc(ctx.u(k))}</div>'
                   for i, (k, ic) in enumerate((("settings", "gear"), ("profile", "user"), ("security", "lock"), ("notifications", "bell"), ("billing", "cart"))))
    secs = ""
    for title, keys in ((ctx.u("notifications"), ("push", "newsletter", "notify_replies", "autoplay")), (ctx.u("security"), ("two_factor", "remember_device", "keep_signed", "dark_mode"))):
        rows = ""
        for k in keys:
            if r.random() < 0.5:
                rows += f'<div class="set"><div class="d">{esc(ctx.u(k))}<small>{esc(ctx.u("preferences"))}</small></div><span class="tog{" on" if r.random() < .5 else ""}"></span></div>'
            else:
                rows += f'<div class="set"><span class="chk" style="margin:0">{_ck(r.random() < .5)}</span><div class="d">{esc(ctx.u(k))}</div></div>'
        secs += f'<div class="card" style="margin-bottom:16px"><h3>{esc(title)}</h3>{rows}</div>'
    main = (f'<h2>{esc(ctx.u("settings"))}</h2>{secs}<div class="row"><span class="sp"></span><span class="btn gray">{esc(ctx.u("cancel"))}</span>'
            f'<span class="btn">{esc(ctx.u("save"))}</span></div>')
    inner = f'<div class="acct"><div class="am">{menu}</div><div class="ab">{main}</div></div>'
    return dict(html=_page(ctx, inner), fullpage=True)


def neg_footer_subscribe(ctx):
    """Site footer with link columns and an e-mail subscribe field."""
    r = ctx.rng
    cols = "".join(f'<div><b>{esc(ctx.u(h))}</b>' + "".join(f'<div class="small">{esc(ctx.u(k))}</div>' for k in r.sample(("home", "products", "pricing", "about", "blog", "help", "privacy", "contact_us", "orders", "shipping"), 4)) + '</div>'
                   for h in r.sample(("products", "about", "help"), 3))
    sub = (f'<div style="max-width:340px"><b>{esc(ctx.u("subscribe"))}</b><div class="small" style="opacity:.8;margin:6px 0 10px">{esc(ctx.u("subscribe_text"))}</div>'
           f'<div class="row"><div class="inp ph" style="flex:1">{icon("mail", 16)} {esc(ctx.u("email"))}</div><span class="btn">{esc(ctx.u("send"))}</span></div>'
           f'{_chk(ctx, "agree_terms")}<div class="small" style="opacity:.7">{esc(ctx.u("unsubscribe_any"))}</div></div>')
    fbg = r.choice(("#111827", "#0b1f3a", "#1e1e1e", "#f3f4f6", "#263238"))
    ffg = "#222" if fbg == "#f3f4f6" else "#eee"
    foot = (f'<div class="ftr" style="background:{fbg};color:{ffg}"><div class="fcols">{cols}{sub}</div>'
            f'<div class="small" style="opacity:.6;margin-top:24px">© 2026 {esc(r.choice(SITES))} · {esc(ctx.u("privacy"))}</div></div>')
    if r.random() < 0.5:
        inner = f'<div class="art"><p>{esc(ctx.u("para"))}</p></div>{foot}'
        return dict(html=_page(ctx, inner), fullpage=True)
    return dict(html=f'<div id="cap" style="width:{r.randint(700, 1100)}px">{foot}</div>')


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
    # second batch: the closest look-alikes (forms with fields, photo grids, dialogs with a checkbox)
    "neg_signup_steps": (neg_signup_steps, "form", 4),
    "neg_payment": (neg_payment, "form", 4),
    "neg_reset_pw": (neg_reset_pw, "form", 4),
    "neg_otp_sms": (neg_otp_sms, "form", 4),
    "neg_terms_dialog": (neg_terms_dialog, "form", 3),
    "neg_contact_split": (neg_contact_split, "form", 3),
    "neg_quiz_image": (neg_quiz_image, "form", 4),
    "neg_search_results": (neg_search_results, "screenshot", 3),
    "neg_compose": (neg_compose, "ui", 3),
    "neg_chat_widget": (neg_chat_widget, "ui", 3),
    "neg_cms_table": (neg_cms_table, "screenshot", 3),
    "neg_upload_dialog": (neg_upload_dialog, "ui", 3),
    "neg_category_tiles": (neg_category_tiles, "ui", 4),
    "neg_media_library": (neg_media_library, "ui", 4),
    "neg_account_settings": (neg_account_settings, "screenshot", 3),
    "neg_footer_subscribe": (neg_footer_subscribe, "banner", 3),
}
