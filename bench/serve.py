#!/usr/bin/env python3
"""The editing page of `dossier serve` on a seed-scale dossier (60 files, 400 pages):

- time to first tree: from navigation to the outline drawn (the page's own performance clock);
- diagnostics latency: an edit saved over HTTP until the problems worked out for it arrive;
- the idle server's memory (resident set, after the page loaded and the first check);
- a build started from the page (POST, until its "built" event) against `dossier build` in a
  terminal, both with a warm cache, side by side, RUNS times each.

Usage: bench/serve.py [DOSSIER_BINARY]   (default target/release/dossier)
Needs python3 with PyMuPDF (the case) and selenium (the page), chromium and chromium-driver.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

RUNS = int(os.environ.get("RUNS", "3"))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/dossier")


def make_case(dir):
    """60 scanned-looking PDFs of 4 to 10 pages (400 in all) in 3 parts × 4 sections."""
    import pymupdf

    os.makedirs(os.path.join(dir, "evidence"))
    sizes = [4 + (i * 7) % 7 for i in range(60)]
    sizes[-1] += 400 - sum(sizes)
    parts = []
    n = 0
    for p in range(3):
        sections = []
        for s in range(4):
            evidence = []
            for e in range(5):
                name = f"evidence/p{p + 1}s{s + 1}e{e + 1}.pdf"
                doc = pymupdf.open()
                for k in range(sizes[n]):
                    page = doc.new_page(width=595, height=842)
                    page.insert_text((72, 100), f"Document {n + 1} page {k + 1}", fontsize=18)
                    page.draw_rect(pymupdf.Rect(72, 140, 523, 760), color=(0.2, 0.2, 0.2))
                doc.save(os.path.join(dir, name))
                n += 1
                evidence.append({"title": f"佐证材料 {p + 1}.{s + 1}.{e + 1}", "files": [name]})
            sections.append({"title": f"{'一二三四'[s]}、任务要点 {s + 1}", "evidence": evidence})
        parts.append({"title": f"第{'一二三'[p]}部分 建设内容", "text": ["说明文字。"], "sections": sections})
    d = {"title": "基准测试", "output": "build/binder.pdf", "parts": parts}
    with open(os.path.join(dir, "dossier.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False, indent=2)
        f.write("\n")


class Server:
    def __init__(self, dir):
        self.p = subprocess.Popen([BIN, "serve", "--no-open", "--port", "0", "--lang", "zh"], cwd=dir,
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        self.url = line[line.index("http://"):].split()[0]
        self.port = int(self.url.split(":")[2].split("/")[0])
        self.token = self.url.split("token=")[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.events = []
        self.cv = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()

    def req(self, method, path, body=None):
        r = urllib.request.Request(self.base + path, method=method, data=body, headers={
            "Cookie": f"dossier_{self.port}={self.token}", "Origin": self.base,
            "Content-Type": "application/json"})
        with urllib.request.urlopen(r) as resp:
            return json.loads(resp.read() or b"null")

    def _listen(self):
        r = urllib.request.Request(self.base + "/api/events", headers={"Cookie": f"dossier_{self.port}={self.token}"})
        name = None
        with urllib.request.urlopen(r) as resp:
            for raw in resp:
                line = raw.decode().rstrip("\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    with self.cv:
                        self.events.append((time.perf_counter(), name, json.loads(line[5:])))
                        self.cv.notify_all()

    def wait(self, pred, since, timeout=300):
        with self.cv:
            end = time.time() + timeout
            while True:
                for t, name, data in self.events:
                    if t >= since and pred(name, data):
                        return t
                if not self.cv.wait(end - time.time()):
                    raise TimeoutError

    def rss_mb(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def stop(self):
        self.p.terminate()
        self.p.wait()


def first_tree(url):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    o = webdriver.ChromeOptions()
    for a in ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
              "--disable-component-update --disable-sync --window-size=1366,768").split():
        o.add_argument(a)
    o.add_argument("--user-data-dir=" + tempfile.mkdtemp())
    o.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    try:
        times = []
        d.get(url)
        for _ in range(RUNS):
            d.get(url.split("/?")[0] + "/")
            end = time.time() + 20
            while time.time() < end:
                t = d.execute_script("return window.dossierTreeAt || null")
                if t:
                    times.append(t)
                    break
                time.sleep(0.02)
        items = d.execute_script("return document.querySelectorAll('[role=treeitem]').length")
        return times, items
    finally:
        d.quit()


def main():
    dir = tempfile.mkdtemp(prefix="dossier-serve-bench-")
    make_case(dir)
    s = Server(dir)
    try:
        s.wait(lambda n, d: n == "check", 0)
        times, items = first_tree(s.url)
        print(f"first tree: {statistics.median(times):.0f} ms median of {times} ({items} tree items)")

        lat = []
        for i in range(RUNS):
            cur = s.req("GET", "/api/dossier")
            doc = cur["doc"]
            doc["parts"][0]["sections"][0]["title"] = f"一、任务要点 1（第 {i} 次修改）"
            t0 = time.perf_counter()
            saved = s.req("PUT", "/api/dossier", json.dumps({"base": cur["version"], "doc": doc}).encode())
            t1 = s.wait(lambda n, d: n == "check" and d.get("version") == saved["version"], t0)
            lat.append((t1 - t0) * 1000)
        print(f"diagnostics after an edit: {statistics.median(lat):.0f} ms median of {[round(x) for x in lat]}")
        time.sleep(2)
        print(f"idle server memory: {s.rss_mb():.1f} MB resident")

        page, cli = [], []
        subprocess.run([BIN, "build", "-q"], cwd=dir, check=True)  # warm the cache for both
        for _ in range(RUNS):
            t0 = time.perf_counter()
            s.req("POST", "/api/build")
            t1 = s.wait(lambda n, d: n in ("built", "failed"), t0)
            page.append(t1 - t0)
            t0 = time.perf_counter()
            subprocess.run([BIN, "build", "-q"], cwd=dir, check=True)
            cli.append(time.perf_counter() - t0)
        pm, cm = statistics.median(page), statistics.median(cli)
        print(f"build from the page: {pm:.2f} s median; dossier build: {cm:.2f} s median; ratio {pm / cm:.2f}")
    finally:
        s.stop()


if __name__ == "__main__":
    main()
