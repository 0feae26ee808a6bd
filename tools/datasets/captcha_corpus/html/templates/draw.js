// Canvas drawings for the distorted-text and arithmetic CAPTCHA images.
// All randomness comes from a seed written into data-p by render.py (mulberry32), so a page
// always draws the same pixels.
(function () {
  function mulberry32(a) {
    return function () {
      a |= 0; a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function pickc(r, arr) { return arr[Math.floor(r() * arr.length)]; }
  function hsl(h, s, l) { return 'hsl(' + h + ',' + s + '%,' + l + '%)'; }

  function drawText(cv, p) {
    var r = mulberry32(p.seed);
    var W = cv.width, H = cv.height, c = cv.getContext('2d');
    // background
    if (p.bg === 'grad') {
      var g = c.createLinearGradient(0, 0, W, H);
      g.addColorStop(0, hsl(Math.floor(r() * 360), 40, 85)); g.addColorStop(1, hsl(Math.floor(r() * 360), 40, 92));
      c.fillStyle = g;
    } else if (p.bg === 'dark') { c.fillStyle = hsl(Math.floor(r() * 360), 20, 15); }
    else if (p.bg === 'tint') { c.fillStyle = hsl(Math.floor(r() * 360), 50, 90); }
    else { c.fillStyle = p.bgc || '#fff'; }
    c.fillRect(0, 0, W, H);
    var light = p.bg === 'dark';
    if (p.speckle) {
      for (var i = 0; i < W * H * p.speckle; i++) {
        c.fillStyle = light ? hsl(Math.floor(r() * 360), 60, 40 + r() * 40) : hsl(Math.floor(r() * 360), 50, 30 + r() * 50);
        c.globalAlpha = 0.3 + r() * 0.6; c.fillRect(r() * W, r() * H, 1 + r() * 2, 1 + r() * 2);
      }
      c.globalAlpha = 1;
    }
    if (p.gridlines) {
      c.strokeStyle = light ? 'rgba(255,255,255,.25)' : 'rgba(0,0,0,.18)'; c.lineWidth = 1;
      for (var x = r() * 10; x < W; x += 8 + r() * 10) { c.beginPath(); c.moveTo(x, 0); c.lineTo(x + (r() - .5) * 20, H); c.stroke(); }
    }
    // characters
    var n = p.text.length, x0 = W * (0.06 + r() * 0.06), span = W * (0.86 - r() * 0.08);
    var step = span / n, base = H * (0.62 + (r() - 0.5) * 0.12);
    var mono = light ? hsl(Math.floor(r() * 360), 70, 75) : hsl(Math.floor(r() * 360), 60 + r() * 30, 15 + r() * 25);
    if (p.black) mono = light ? '#eee' : '#111';
    for (var k = 0; k < n; k++) {
      var fsz = H * (p.size * (0.85 + r() * 0.3));
      var font = p.fonts[Math.floor(r() * p.fonts.length)];
      c.save();
      var cx = x0 + step * k + step * 0.15 + (r() - .5) * step * p.jit, cy = base + (r() - .5) * H * 0.2 * p.jit;
      c.translate(cx, cy); c.rotate((r() - .5) * p.rot);
      if (p.skew) c.transform(1, 0, (r() - .5) * 0.6, 1, 0, 0);
      c.font = (r() < p.bold ? 'bold ' : '') + (r() < 0.15 ? 'italic ' : '') + Math.round(fsz) + 'px "' + font + '"';
      c.fillStyle = p.multi ? (light ? hsl(Math.floor(r() * 360), 80, 65) : hsl(Math.floor(r() * 360), 75, 30 + r() * 20)) : mono;
      if (p.outline) { c.lineWidth = 1.5; c.strokeStyle = c.fillStyle; c.strokeText(p.text[k], 0, 0); }
      else c.fillText(p.text[k], 0, 0);
      c.restore();
    }
    // noise lines through the characters
    for (var l = 0; l < p.lines; l++) {
      c.beginPath(); c.lineWidth = p.lw * (0.6 + r() * 0.8);
      c.strokeStyle = p.multi || r() < 0.4 ? hsl(Math.floor(r() * 360), 70, light ? 70 : 35) : mono;
      var y1 = H * (0.2 + r() * 0.6), y2 = H * (0.2 + r() * 0.6);
      c.moveTo(0, y1);
      if (r() < 0.5) c.bezierCurveTo(W * .3, H * r(), W * .7, H * r(), W, y2); else c.lineTo(W, y2);
      c.stroke();
    }
    for (var a = 0; a < p.arcs; a++) {
      c.beginPath(); c.lineWidth = 1 + r() * 2; c.strokeStyle = hsl(Math.floor(r() * 360), 60, light ? 70 : 40);
      c.arc(r() * W, r() * H, H * (0.3 + r()), r() * 6, r() * 6 + 2); c.stroke();
    }
    for (var d = 0; d < p.dots; d++) {
      c.fillStyle = p.multi ? hsl(Math.floor(r() * 360), 70, 45) : mono;
      c.beginPath(); c.arc(r() * W, r() * H, 0.6 + r() * 1.6, 0, 6.3); c.fill();
    }
    // wave distortion (row shift then column shift)
    if (p.wave > 0) {
      var src = c.getImageData(0, 0, W, H), dst = c.createImageData(W, H);
      var ph = r() * 6.28, per = 20 + r() * 40, ph2 = r() * 6.28, per2 = 15 + r() * 30;
      for (var yy = 0; yy < H; yy++) for (var xx = 0; xx < W; xx++) {
        var sx = Math.round(xx + p.wave * 0.5 * Math.sin(yy / per2 + ph2));
        var sy = Math.round(yy + p.wave * Math.sin(xx / per + ph));
        sx = Math.min(W - 1, Math.max(0, sx)); sy = Math.min(H - 1, Math.max(0, sy));
        var si = (sy * W + sx) * 4, di = (yy * W + xx) * 4;
        dst.data[di] = src.data[si]; dst.data[di + 1] = src.data[si + 1]; dst.data[di + 2] = src.data[si + 2]; dst.data[di + 3] = 255;
      }
      c.putImageData(dst, 0, 0);
    }
  }
  window.addEventListener('load', function () {});
  var cvs = document.querySelectorAll('canvas.tc');
  for (var i = 0; i < cvs.length; i++) drawText(cvs[i], JSON.parse(cvs[i].getAttribute('data-p')));
})();
