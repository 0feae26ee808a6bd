"""Host web pages. The same templates make the negatives (without a widget) and the
full-page widget screenshots (with one), so page chrome alone says nothing about the label."""
from common import SITES, esc, icon

NAMES = ("Alex Kim", "María López", "Jean Dupont", "Lena Müller", "João Silva", "Giulia Rossi",
         "Иван Петров", "王伟", "佐藤 花子", "Ayşe Yılmaz", "Sam Taylor", "Chris Park")


def _chk(ctx, key, on=None):
    on = ctx.rng.random() < 0.4 if on is None else on
    mark = icon("check", 12, "#fff", 3) if on else ""
    return f'<div class="chk"><i class="{"on" if on else ""}">{mark}</i>{esc(ctx.u(key))}</div>'


def _field(ctx, label, value="", ph=False, cls=""):
    r = ctx.rng
    v = value if value else ""
    return f'<div class="lbl">{esc(label)}</div><div class="inp {cls}{" ph" if ph else ""}">{esc(v)}&nbsp;</div>'


def _email(ctx):
    return ctx.rng.choice(("alex.kim", "m.lopez", "jdupont", "lena.m", "joao", "giulia.r", "ivan.p", "wang.wei", "hanako", "ayse.y")) + \
        "@" + ctx.rng.choice(("example.com", "mail.test", "inbox.example", "post.example.org"))


def nav(ctx, site):
    links = "".join(f'<a>{esc(ctx.u(k))}</a>' for k in ctx.rng.sample(("home", "products", "pricing", "about", "blog", "help"), 4))
    name = site.split(".")[-2].split("-")[0].capitalize() if "." in site else site
    right = f'<span class="sp"></span>{icon("search", 20)}{icon("cart", 20) if ctx.rng.random() < .5 else ""}{icon("user", 20)}'
    return f'<div class="nav"><div class="logo"><i></i>{esc(name)}</div>{links}{right}</div>'


def form_login(ctx, slot):
    r = ctx.rng
    filled = r.random() < 0.6
    body = (f'<h2>{esc(r.choice((ctx.u("sign_in"), ctx.u("welcome_back"))))}</h2>'
            f'{_field(ctx, ctx.u("email") if r.random() < .7 else ctx.u("username"), _email(ctx) if filled else "")}'
            f'{_field(ctx, ctx.u("password"), "••••••••••" if filled else "")}'
            f'<div class="row">{_chk(ctx, r.choice(("remember_me", "keep_signed")))}<span class="sp"></span><span class="link small">{esc(ctx.u("forgot"))}</span></div>'
            f'{slot}<span class="btn block">{esc(ctx.u("sign_in"))}</span>')
    if r.random() < 0.5:
        body += (f'<div class="divider">{esc(ctx.u("or"))}</div><div class="social"><span>G&nbsp; Google</span><span>Apple</span></div>')
    body += f'<p class="small muted" style="text-align:center;margin-top:16px">{esc(ctx.u("no_account"))}</p>'
    return body


def form_signup(ctx, slot):
    r = ctx.rng
    body = (f'<h2>{esc(ctx.u("sign_up"))}</h2>{_field(ctx, ctx.u("full_name"), r.choice(NAMES) if r.random() < .5 else "")}'
            f'{_field(ctx, ctx.u("email"), _email(ctx) if r.random() < .5 else "")}{_field(ctx, ctx.u("password"), "••••••••" if r.random() < .5 else "")}'
            f'{_chk(ctx, "agree_terms")}{_chk(ctx, "newsletter") if r.random() < .6 else ""}{slot}'
            f'<span class="btn block">{esc(ctx.u("sign_up"))}</span>')
    return body


def form_contact(ctx, slot):
    r = ctx.rng
    return (f'<h2>{esc(ctx.u("contact_us"))}</h2><div class="grid2"><div>{_field(ctx, ctx.u("full_name"))}</div><div>{_field(ctx, ctx.u("email"))}</div></div>'
            f'<div class="lbl">{esc(ctx.u("message"))}</div><div class="inp ta"></div>{_chk(ctx, "agree_terms") if r.random() < .5 else ""}'
            f'{slot}<span class="btn">{esc(ctx.u("send"))}</span>')


def form_comment(ctx, slot):
    r = ctx.rng
    return (f'<h3>{esc(ctx.u("comment"))}</h3><div class="inp ta"></div><div class="grid2"><div>{_field(ctx, ctx.u("full_name"))}</div>'
            f'<div>{_field(ctx, ctx.u("email"))}</div></div>{_chk(ctx, "notify_replies")}{slot}<span class="btn">{esc(ctx.u("post_comment"))}</span>')


def form_checkout(ctx, slot):
    r = ctx.rng
    return (f'<h2>{esc(ctx.u("checkout"))}</h2><h3 style="font-size:1em">{esc(ctx.u("shipping"))}</h3>'
            f'<div class="grid2"><div>{_field(ctx, ctx.u("full_name"), r.choice(NAMES))}</div><div>{_field(ctx, ctx.u("email"), _email(ctx))}</div></div>'
            f'{_chk(ctx, "billing_same", True)}{_field(ctx, ctx.u("card_number"), "4242 4242 4242 " + str(r.randint(1000, 9999)))}'
            f'<div class="grid2"><div>{_field(ctx, ctx.u("expiry"), "%02d / %02d" % (r.randint(1, 12), r.randint(26, 31)))}</div><div>{_field(ctx, ctx.u("cvc"), "•••")}</div></div>'
            f'{_chk(ctx, "save_card")}{slot}<span class="btn block">{esc(r.choice((ctx.u("pay_now"), ctx.u("place_order"))))}</span>')


def order_summary(ctx):
    r = ctx.rng
    rows = ""
    tot = 0
    for _ in range(r.randint(1, 3)):
        p = r.randint(5, 200) + r.choice((0, .5, .99))
        tot += p
        rows += (f'<div class="sumrow"><div class="thumb" style="{ctx.photo_css(blur=False)}"></div><div class="sp small">'
                 f'{esc(ctx.u("products"))} #{r.randint(100, 999)}</div><b>{p:.2f}</b></div>')
    return (f'<div class="side card"><h3>{esc(ctx.u("order_summary"))}</h3>{rows}'
            f'<div class="row" style="margin-top:10px"><span>{esc(ctx.u("subtotal"))}</span><span class="sp"></span>{tot:.2f}</div>'
            f'<div class="row" style="margin-top:6px;font-weight:700"><span>{esc(ctx.u("total"))}</span><span class="sp"></span>{tot * 1.08:.2f}</div></div>')


FORMS = {"login": form_login, "signup": form_signup, "contact": form_contact, "comment": form_comment, "checkout": form_checkout}


def host_page(ctx, form, slot="", overlay=""):
    """A full web page with one form; slot goes inside the form, overlay floats over a dimmed page."""
    r = ctx.rng
    site = r.choice(SITES)
    fw = {"checkout": r.randint(440, 560), "contact": r.randint(440, 600), "comment": r.randint(480, 640)}.get(form, r.randint(360, 440))
    inner = FORMS[form](ctx, f'<div class="slot">{slot}</div>' if slot else "")
    side = order_summary(ctx) if form == "checkout" else ""
    pre = ""
    if form == "comment":
        pre = (f'<div class="art" style="padding-bottom:0"><h1>{esc(ctx.u("article_title"))}</h1>'
               f'<p>{esc(ctx.u("para"))}</p></div>')
    center = r.random() < 0.6 or form in ("checkout",)
    body = (f'<div class="pg">{nav(ctx, site) if r.random() < 0.85 else ""}{pre}'
            f'<div class="main" style="justify-content:{"center" if center else "flex-start"}">'
            f'<div class="fcard{" shadow" if r.random() < .5 else ""}" style="--fw:{fw}px">{inner}</div>{side}</div>'
            f'<div class="foot"><span>© 2026 {esc(site)}</span><span>{esc(ctx.u("privacy"))}</span><span>{esc(ctx.u("help"))}</span></div>')
    if overlay:
        body += f'<div class="overlay"></div>{overlay}'
    body += '</div>'
    return body


def page_vars(ctx):
    c = ctx.page_colors()
    dark = ctx.dark
    r = ctx.rng
    navbg = r.choice((c["panel"], ctx.accent, "#111" if not dark else "#000", c["page"]))
    navfg = "#fff" if navbg in (ctx.accent, "#111", "#000") or dark else c["fg"]
    ovl = r.choice(("rgba(255,255,255,.5)", "rgba(0,0,0,.45)", "rgba(0,0,0,.3)", "rgba(255,255,255,.35)", "rgba(0,0,0,.15)"))
    herobg = r.choice((ctx.accent, c['panel'], '#0b1f3a'))
    herofg = c['fg'] if herobg == c['panel'] else '#fff'
    return c, f"--navbg:{navbg};--navfg:{navfg};--ovl:{ovl};--herobg:{herobg};--herofg:{herofg};"
