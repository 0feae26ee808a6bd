//! The HTML report: one self-contained file (inline CSS and JS, thumbnails as data URIs, no
//! external request) that shows the verdict, the skip reasons, and every flagged image with
//! its boxes, scores and thresholds, grouped by example.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use anyhow::Result;
use image::DynamicImage;

use crate::report::{ExampleReport, ExampleStatus, ImageReport, ImageStatus, Summary};

const THUMB_SIDE: u32 = 160;

/// A small JPEG (longest side 160 px) as a data URI.
pub fn thumbnail(img: &DynamicImage) -> Option<String> {
    let t = img.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), 70)
        .encode_image(&t)
        .ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64_simd::STANDARD.encode_to_string(&out)
    ))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Collects flagged examples as the scan reports them (bounded by `cap` thumbnails).
pub struct HtmlReport {
    groups: Vec<String>,
    thumbs: usize,
    cap: usize,
    omitted: usize,
    all: bool,
    thresholds: Vec<(String, f32)>,
}

impl HtmlReport {
    pub fn new(cap: usize, all: bool, thresholds: Vec<(String, f32)>) -> HtmlReport {
        HtmlReport {
            groups: Vec::new(),
            thumbs: 0,
            cap,
            omitted: 0,
            all,
            thresholds,
        }
    }

    fn threshold(&self, name: &str) -> Option<f32> {
        self.thresholds
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
    }

    pub fn example(&mut self, r: &ExampleReport) {
        let shown: Vec<&ImageReport> = r
            .images
            .iter()
            .filter(|i| self.all || i.status == ImageStatus::Skipped || !i.warnings.is_empty())
            .collect();
        if shown.is_empty() && r.status != ExampleStatus::Invalid {
            return;
        }
        let status = match r.status {
            ExampleStatus::Ok => "ok",
            ExampleStatus::Skipped => "skipped",
            ExampleStatus::Invalid => "invalid",
        };
        let mut g = String::new();
        let _ = write!(
            g,
            "<section class=\"ex {status}\" data-line=\"{}\"><h3>line {} <span class=\"st {status}\">{status}</span> {}</h3>",
            r.line,
            r.line,
            r.reasons.iter().map(|x| format!("<span class=\"rs\">{}</span>", x.code())).collect::<String>()
        );
        for e in &r.errors {
            let _ = write!(g, "<p class=\"err\">{}</p>", esc(&e.message));
        }
        let _ = write!(g, "<div class=\"cards\">");
        for i in shown {
            let card = self.card(r.line, i);
            g.push_str(&card);
        }
        g.push_str("</div></section>");
        self.groups.push(g);
    }

    fn card(&mut self, line: u64, i: &ImageReport) -> String {
        let mut best_margin = f32::INFINITY;
        let mut best_score = 0.0f32;
        let mut scores = String::new();
        for (name, s) in &i.scores {
            let thr = self.threshold(name);
            best_score = best_score.max(*s);
            if let Some(t) = thr {
                best_margin = best_margin.min((t - s).abs());
            }
            let _ = write!(
                scores,
                "<li>{name} <b>{s:.2}</b>{}</li>",
                thr.map(|t| format!(" / {t:.2}")).unwrap_or_default()
            );
        }
        let borderline = best_margin <= 0.1;
        let reasons: Vec<&str> = i.reasons.iter().map(|r| r.code()).collect();
        let status = if i.status == ImageStatus::Skipped {
            "skipped"
        } else {
            "warned"
        };
        let mut c = String::new();
        let _ = write!(
            c,
            "<figure class=\"card\" data-status=\"{status}\" data-reasons=\"{}\" data-score=\"{best_score:.3}\" data-line=\"{line}\" data-borderline=\"{borderline}\">",
            reasons.join(" ")
        );
        match (&i.thumbnail, self.thumbs < self.cap) {
            (Some(t), true) => {
                self.thumbs += 1;
                let (w, h) = (i.width.unwrap_or(1).max(1), i.height.unwrap_or(1).max(1));
                let _ = write!(
                    c,
                    "<div class=\"th\"><img alt=\"line {line} image {}\" src=\"{t}\">",
                    i.index
                );
                let _ = write!(
                    c,
                    "<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"none\">"
                );
                for b in &i.boxes {
                    let _ = write!(
                        c,
                        "<rect class=\"bx {}\" x=\"{:.0}\" y=\"{:.0}\" width=\"{:.0}\" height=\"{:.0}\"><title>{} {:.2}</title></rect>",
                        esc(&b.label), b.x, b.y, b.w, b.h, esc(&b.label), b.score
                    );
                }
                c.push_str("</svg></div>");
            }
            (Some(_), false) => {
                self.omitted += 1;
                c.push_str("<div class=\"th none\">thumbnail omitted (cap)</div>");
            }
            (None, _) => c.push_str("<div class=\"th none\">no preview</div>"),
        }
        let _ = write!(
            c,
            "<figcaption><div>image {} · {}</div>",
            i.index,
            i.format.as_deref().unwrap_or("?")
        );
        for r in &reasons {
            let _ = write!(c, "<span class=\"rs\">{r}</span>");
        }
        let _ = write!(c, "<ul>{scores}</ul>");
        for f in &i.findings {
            let _ = write!(c, "<p>{}</p>", esc(&f.detail));
        }
        for w in &i.warnings {
            let _ = write!(c, "<p class=\"warn\">⚠ {}</p>", esc(&w.message));
        }
        c.push_str("</figcaption></figure>");
        c
    }

    pub fn finish(self, out: &mut dyn Write, input: &str, s: &Summary) -> Result<()> {
        let e = &s.expected_trained_examples;
        let max = s
            .images_by_reason
            .values()
            .copied()
            .max()
            .unwrap_or(1)
            .max(1);
        let mut bars = String::new();
        for (r, n) in &s.images_by_reason {
            let _ = write!(
                bars,
                "<div class=\"bar\"><span>{}</span><i style=\"width:{}%\"></i><b>{n}</b></div>",
                r.code(),
                n * 100 / max
            );
        }
        let options: String = s
            .images_by_reason
            .keys()
            .map(|r| format!("<option>{}</option>", r.code()))
            .collect();
        let note = if self.omitted > 0 {
            format!("<p class=\"note\">{} more thumbnails omitted (cap {}; use --html-all or a larger cap)</p>", self.omitted, self.cap)
        } else {
            String::new()
        };
        write!(
            out,
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>prescreen report — {input}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{CSS}</style></head><body>
<header><h1>prescreen</h1><p class="file">{input}</p>
<p class="verdict {pass}">{verdict}</p>
<div class="kpis"><div><b>{ex}</b>expected to train<br><small>example-level policy</small></div><div><b>{im}</b>expected to train<br><small>image-level policy</small></div><div><b>{n}</b>examples<br><small>{inv} invalid</small></div><div><b>{imgs}</b>images<br><small>{sk} skipped</small></div><div><b>{tok}</b>training tokens<br><small>{itok} in images (estimate)</small></div></div>
<h2>Skipped images by reason</h2><div class="bars">{bars}</div></header>
<nav><label>reason <select id="fr"><option value="">all</option>{options}</select></label>
<label>status <select id="fs"><option value="">all</option><option>skipped</option><option>warned</option></select></label>
<label>sort <select id="so"><option value="line">by line</option><option value="score">by score</option></select></label>
<label><input type="checkbox" id="bl"> borderline only (within 0.10 of a threshold)</label> <span id="count"></span></nav>
<main id="groups">{groups}</main>{note}
<script>{JS}</script></body></html>
"#,
            input = esc(input),
            pass = if s.passes { "pass" } else { "fail" },
            verdict = esc(&s.verdict),
            ex = e.example_level,
            im = e.image_level,
            n = s.examples,
            inv = s.invalid_examples,
            imgs = s.images,
            sk = s.skipped_images,
            tok = s.tokens.total,
            itok = s.tokens.images,
            groups = self.groups.join("\n"),
        )?;
        Ok(())
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#fff;padding:20px 28px;border-bottom:1px solid #e3e6ea}h1{margin:0;font-size:20px;color:#3b4a66}
.file{color:#6b7280;margin:2px 0 10px}.verdict{font-size:18px;font-weight:600;margin:8px 0 14px;padding:10px 14px;border-radius:8px}
.verdict.pass{background:#e8f6ee;color:#17603a}.verdict.fail{background:#fdecec;color:#8a1f1f}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpis div{background:#f1f3f6;border-radius:8px;padding:8px 14px;min-width:150px;color:#4b5563}
.kpis b{display:block;font-size:22px;color:#1d2330}h2{font-size:14px;margin:18px 0 6px;color:#3b4a66}
.bars{max-width:640px}.bar{display:grid;grid-template-columns:170px 1fr 50px;align-items:center;gap:8px;margin:3px 0}
.bar i{display:block;height:12px;background:#e0684b;border-radius:3px}.bar b{text-align:right}
nav{position:sticky;top:0;background:#fff;padding:10px 28px;border-bottom:1px solid #e3e6ea;display:flex;gap:18px;flex-wrap:wrap;align-items:center;z-index:2}
main{padding:14px 28px;display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}.ex{background:#fff;border:1px solid #e3e6ea;border-radius:10px;margin:0;padding:10px 14px}
.ex h3{margin:0 0 8px;font-size:15px}.st{font-size:12px;padding:1px 8px;border-radius:10px;margin:0 6px}
.st.skipped{background:#fdecec;color:#8a1f1f}.st.invalid{background:#3b4a66;color:#fff}.st.ok{background:#e8f6ee;color:#17603a}
.rs{display:inline-block;font-size:11px;background:#fff2e6;color:#8a4b12;border:1px solid #f3d2b3;border-radius:4px;padding:0 6px;margin:2px 3px 2px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{margin:0;width:200px;border:1px solid #e8eaee;border-radius:8px;overflow:hidden;background:#fbfbfc}
.th{position:relative;height:160px;background:#eef0f3;display:flex;align-items:center;justify-content:center}
.th img{max-width:100%;max-height:160px;display:block}.th svg{position:absolute}.th.none{color:#9aa1ab;font-size:12px}
.bx{fill:none;stroke-width:3;vector-effect:non-scaling-stroke}.bx.face{stroke:#ff3b30}.bx.person{stroke:#0a84ff}.bx.pose{stroke:#5e5ce6}.bx.hand{stroke:#ff9f0a}
figcaption{padding:8px 10px;font-size:12px;color:#374151}figcaption ul{list-style:none;padding:0;margin:4px 0}figcaption p{margin:4px 0;color:#4b5563}
.warn{color:#8a6d12!important}.err{color:#8a1f1f}.note{padding:0 28px;color:#6b7280}
"#;

const JS: &str = r#"
(function(){
  const fr=document.getElementById('fr'),fs=document.getElementById('fs'),so=document.getElementById('so'),bl=document.getElementById('bl');
  const main=document.getElementById('groups'),count=document.getElementById('count');
  function fit(svg){const img=svg.previousElementSibling;if(!img)return;const r=()=>{svg.style.width=img.clientWidth+'px';svg.style.height=img.clientHeight+'px'};if(img.complete)r();else img.onload=r;}
  document.querySelectorAll('.th svg').forEach(fit);
  function apply(){
    let shown=0;
    document.querySelectorAll('.card').forEach(c=>{
      const ok=(!fr.value||c.dataset.reasons.split(' ').includes(fr.value))&&(!fs.value||c.dataset.status===fs.value)&&(!bl.checked||c.dataset.borderline==='true');
      c.style.display=ok?'':'none';if(ok)shown++;});
    document.querySelectorAll('.ex').forEach(g=>{const any=[...g.querySelectorAll('.card')].some(c=>c.style.display!=='none');g.style.display=(any||!g.querySelector('.card'))&&!(fr.value||fs.value||bl.checked)&&!g.querySelector('.card')?'':(any?'':'none');});
    const gs=[...document.querySelectorAll('.ex')];
    const key=g=>so.value==='score'?-Math.max(0,...[...g.querySelectorAll('.card')].map(c=>+c.dataset.score)):+g.dataset.line;
    gs.sort((a,b)=>key(a)-key(b)).forEach(g=>main.appendChild(g));
    count.textContent=shown+' image(s) shown';
  }
  [fr,fs,so,bl].forEach(e=>e.addEventListener('change',apply));apply();
})();
"#;
