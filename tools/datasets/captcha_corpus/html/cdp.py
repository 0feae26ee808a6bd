"""Minimal Chrome DevTools Protocol driver: ONE long-lived headless Chromium.

Talks CDP over a websocket (websocket-client). The browser is started once with
--remote-debugging-port=0 and its port is read from DevToolsActivePort in the
throw-away profile directory; only loopback is used.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


class Browser:
    def __init__(self, chromium="/usr/bin/chromium", fontconfig_file=None, extra_args=()):
        self.profile = tempfile.mkdtemp(prefix="corpus-html-chromium-")
        env = dict(os.environ)
        if fontconfig_file:
            env["FONTCONFIG_FILE"] = fontconfig_file
        args = [
            chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={self.profile}", "--hide-scrollbars", "--mute-audio",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-translate",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--force-color-profile=srgb", "--disable-lcd-text", "--font-render-hinting=none",
            "--allow-file-access-from-files", "--disable-web-security",
            "--run-all-compositor-stages-before-draw", "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling", "--disable-dev-shm-usage",
            "--disable-checker-imaging", "--num-raster-threads=1", "--disable-partial-raster",
            "--disable-threaded-animation", "--disable-threaded-scrolling",
            *extra_args, "about:blank",
        ]
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file):
                with open(port_file) as f:
                    lines = f.read().split()
                if lines:
                    self.port = int(lines[0])
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("chromium did not start")
        url = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list") as r:
                    targets = json.load(r)
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    url = pages[0]["webSocketDebuggerUrl"]
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if url is None:
            raise RuntimeError("no page target")
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.msg_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.msg_id += 1
        mid = self.msg_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, name, timeout=30):
        for i, ev in enumerate(self.events):
            if ev["method"] == name:
                del self.events[: i + 1]
                return ev
        self.ws.settimeout(timeout)
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == name:
                self.events.clear()
                return msg

    def load(self, url, width, height, scale=1.0):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=scale, mobile=False)
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def eval(self, expr, await_promise=True):
        r = self.call("Runtime.evaluate", expression=expr, awaitPromise=await_promise,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"JS error: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, x, y, w, h, scale=1.0):
        r = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                      clip={"x": x, "y": y, "width": w, "height": h, "scale": 1})
        return base64.b64decode(r["data"])

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
