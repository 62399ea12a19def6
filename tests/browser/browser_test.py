#!/usr/bin/env python3
"""End-to-end browser test: headless Chromium, driven over the W3C WebDriver protocol by chromedriver.

It starts `medist serve --demo` on a fresh SQLite file, signs in with the demo account printed at
start, checks the consortium page in Korean, switches to English, checks it again, opens the people
directory, and saves screenshots to $SCREENSHOT_DIR (default ./screenshots). Standard library only.
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

MEDIST = os.environ.get("MEDIST_BIN", "target/debug/medist")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = os.environ.get("SCREENSHOT_DIR", "screenshots")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"FAIL: {url} did not answer within {seconds}s")


class WebDriver:
    def __init__(self, base):
        self.base = base
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "prefs": {"intl.accept_languages": "ko-KR,ko"},
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ko-KR",
                            f"--user-data-dir={tempfile.mkdtemp(prefix='medist-chrome-')}",
                        ],
                    },
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise SystemExit(f"FAIL: WebDriver {method} {path}: {e.read().decode(errors='replace')}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        el = self.s("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(el.values()))

    def type(self, css, text):
        self.s("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def text(self):
        return self.s("POST", "/execute/sync", {"script": "return document.body.innerText", "args": []})

    def url(self):
        return self.s("GET", "/url")

    def text_when(self, cond, seconds=60):
        """The page text once `cond(text, url)` holds, or the last text after `seconds`.

        A click returns before a slow server (a debug build hashing a password on a loaded
        CI machine) has answered, so every check after a navigation polls instead of sleeping."""
        deadline = time.time() + seconds
        while True:
            try:
                body, url = self.text() or "", self.url() or ""
            except SystemExit:
                body, url = "", ""
            if cond(body, url) or time.time() > deadline:
                return body
            time.sleep(0.2)

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        path = os.path.join(SHOTS, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))
        print(f"screenshot: {path}")

    def quit(self):
        try:
            self.s("DELETE", "")
        except SystemExit:
            pass


def expect(cond, what, page_text=""):
    if not cond:
        raise SystemExit(f"FAIL: {what}\n--- page text ---\n{page_text[:2000]}")
    print(f"ok: {what}")


def main():
    work = tempfile.mkdtemp(prefix="medist-browser-")
    port, driver_port = free_port(), free_port()
    env = dict(os.environ, MEDIST_DATABASE_URL=f"sqlite://{work}/browser.db", MEDIST_LOG="warn")
    env.pop("MEDIST_CONFIG", None)
    server = subprocess.Popen([MEDIST, "serve", "--demo", "--bind", f"127.0.0.1:{port}"], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wd = None
    try:
        out = []
        demo_password = None
        deadline = time.time() + 120
        while time.time() < deadline and demo_password is None:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("FAIL: medist exited:\n" + "".join(out))
            out.append(line)
            if "Demo accounts" in line:
                m = re.search(r"password:\s*(\S+)", server.stdout.readline())
                demo_password = m.group(1) if m else None
        expect(demo_password, "medist printed the demo password once at start")
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        wait_http(f"http://127.0.0.1:{driver_port}/status")
        wd = WebDriver(f"http://127.0.0.1:{driver_port}")

        wd.go(base + "/")
        body = wd.text()
        expect("로그인" in body, "the login page is in Korean by default", body)
        wd.shot("01-login-ko.png")
        wd.type("#login", "office@miracle.example")
        wd.type("#password", "not the password")
        wd.click("button.primary")
        body = wd.text_when(lambda b, u: "아이디 또는 비밀번호가 올바르지 않습니다" in b)
        expect("아이디 또는 비밀번호가 올바르지 않습니다" in body, "a wrong password gets the generic message", body)
        wd.type("#password", demo_password)
        wd.click("button.primary")
        body = wd.text_when(lambda b, u: "/consortia/" in u and "MIRACLE" in b)
        expect("/consortia/" in wd.url(), "signing in lands on the consortium page", body)
        expect("MIRACLE 컨소시엄" in body and "194억 원" in body and "166억 원" in body, "the consortium page shows the budget in 억 원", body)
        expect("의사과학자 6" in body and "의과학자 12" in body, "dedicated faculty are counted 6 + 12", body)
        expect("화순전남대학교병원" in body, "the four institutions are listed", body)
        wd.shot("02-consortium-ko.png")

        wd.click("#switch-language")
        body = wd.text_when(lambda b, u: "Program budget" in b)
        expect("KRW 19.4 billion" in body and "Program budget" in body, "the language switch shows the page in English", body)
        expect("Hwasun Chonnam National University Hospital" in body, "institution names are in English", body)
        wd.shot("03-consortium-en.png")

        wd.go(base + "/people?q=park")
        body = wd.text()
        expect("Seojun Park" in body and "People" in body, "the English choice is kept and people search works", body)
        wd.shot("04-people-en.png")

        wd.go(base + "/education/training-tables")
        body = wd.text()
        expect("Training tables" in body and "Working in Gwangju–Jeonnam" in body, "the training tables open", body)
        wd.shot("05-training-tables-en.png")

        roster = os.path.join(work, "roster.csv")
        with open(roster, "w", encoding="utf-8-sig") as f:
            f.write("성명,이메일,구분,소속 기관,학위과정,트랙,학적 상태,시작일\n"
                    "김하늘,haneul@gist.example,박사과정,GIST,joint_phd,면역항암,재학,2026-03-02\n"
                    "박바다,bada@gist.example,박사과정,MARS,joint_phd,면역항암,재학,2026-03-02\n")
        wd.go(base + "/education/import")
        wd.type("#imp-file", roster)
        wd.click("button.primary")
        body = wd.text_when(lambda b, u: "Some rows are wrong" in b or "Preview" in b)
        expect("Some rows are wrong" in body and "unknown institution 'MARS'" in body and "Nothing was saved" in body,
               "a roster with a bad row is previewed with the row's problem", body)
        wd.shot("06-import-preview-en.png")

        wd.go(base + "/people/99999")
        body = wd.text()
        expect("Not found" in body, "an unknown id shows a translated not-found page", body)
        print("browser test: 1 passed, 0 failed")
    finally:
        if wd:
            wd.quit()
        driver.terminate()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
