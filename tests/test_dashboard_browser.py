"""The dashboard in a real browser: ``ruralsim dashboard`` served, headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (``.ci/run`` installs it; ``playwright install`` cannot download
one here), started through Playwright's ``executable_path``. Every request the page makes is
intercepted: any that leaves localhost is aborted and recorded, and the test fails if there was one,
so the page is shown to work offline (solara-assets instead of a CDN; matplotlib charts, no vega).

Screenshots are saved in tests/artifacts/ (dashboard.png, dashboard_zh.png). Set
RURALSIM_UPDATE_SCREENSHOT=1 to copy dashboard.png to docs/img/dashboard.png (the README's picture).
Without a browser or Playwright the test is skipped, unless RURALSIM_REQUIRE_BROWSER=1 (CI sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("RURALSIM_TEST_ARTIFACTS", ROOT / "tests" / "artifacts"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
                 "--disable-default-apps", "--disable-features=MediaRouter,OptimizationHints,Translate"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _unavailable(reason: str):
    if os.environ.get("RURALSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (RURALSIM_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _chromium() -> str | None:
    for candidate in (os.environ.get("RURALSIM_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ruralsim() -> list[str]:
    """The installed console script of the interpreter running the tests, else ``python -m ruralsim.app.cli``."""
    here = Path(sys.executable).parent / "ruralsim"
    return [str(here)] if here.exists() else [sys.executable, "-m", "ruralsim.app.cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("solara", reason="needs the dashboard extra")
    pytest.importorskip("mesa.visualization", reason="needs the dashboard extra")
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([*_ruralsim(), "dashboard", "--port", str(port)], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    t0 = time.monotonic()
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ruralsim dashboard exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - t0 > 90:
                pytest.fail(f"ruralsim dashboard did not answer within 90 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield {"url": url, "log": log, "startup": time.monotonic() - t0}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # our own process group (start_new_session)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (dashboard extra)")
    exe = _chromium()
    if exe is None:
        _unavailable("no chromium found (Debian: apt-get install chromium; or set RURALSIM_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _panel(page) -> str:
    return page.locator(".ruralsim-key-figures-text").inner_text()


def _wait_panel(page, pattern: str, timeout: float = 120) -> str:
    """Wait until the key-figures panel matches ``pattern``; return its text."""
    t0 = time.monotonic()
    text = ""
    while time.monotonic() - t0 < timeout:
        try:
            text = _panel(page)
        except Exception:  # noqa: BLE001 - the panel is being re-rendered
            text = ""
        if re.search(pattern, text, re.S):
            return text
        page.wait_for_timeout(200)
    raise AssertionError(f"the panel never matched {pattern!r}; it says:\n{text}")


def _year(text: str) -> int:
    return int(re.match(r"\s*(\d{4})", text).group(1))


def _fiscal(text: str) -> tuple[float, float]:
    """(reform, baseline) fiscal cost in million yuan from the panel's English fiscal line."""
    m = re.search(r"Fiscal cost:\s*([\d,.]+) million yuan this year \(baseline ([\d,.]+) million yuan\)", text)
    assert m, text
    return float(m.group(1).replace(",", "")), float(m.group(2).replace(",", ""))


def _poverty(text: str) -> tuple[float, float]:
    m = re.search(r"Poverty:\s*([\d.]+)% of people are below the poverty line \(baseline ([\d.]+)%", text)
    assert m, text
    return float(m.group(1)), float(m.group(2))


def test_dashboard_in_headless_chromium(server, browser):
    external, failed, errors = [], [], []
    timings = {"server start": server["startup"]}
    context = browser.new_context(viewport={"width": 1600, "height": 1150}, device_scale_factor=1)
    page = context.new_page()

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:  # the page must not need the internet: record and refuse
            external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda resp: failed.append((resp.status, resp.url)) if resp.status >= 400 else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        t0 = time.monotonic()
        page.goto(server["url"], wait_until="domcontentloaded")
        text = _wait_panel(page, r"^\s*2020\b.*Fiscal cost", timeout=120)
        timings["page load"] = time.monotonic() - t0
        assert "withdrawal_cliff" not in text and "support stops in January 2026" in text  # the default reform

        # the withdrawal year: 2026 -> 2022, with the keyboard on the slider (as a user would)
        slider = page.locator(".ruralsim-withdrawal-year [role=slider]")
        slider.focus()
        for _ in range(4):
            slider.press("ArrowLeft")
        page.get_by_text(re.compile(r"Withdrawal year.*: 2022")).wait_for(timeout=20_000)
        page.get_by_role("button", name=re.compile("Apply and restart", re.I)).click()
        text = _wait_panel(page, r"support stops in January 2022")
        assert _year(text) == 2020

        # Step runs one year (12 monthly steps of the reform and the baseline)
        step = page.get_by_role("button", name=re.compile(r"^\s*Step\s*$", re.I))
        t0 = time.monotonic()
        step.click()
        text = _wait_panel(page, r"^\s*2021\b")
        timings["first step (one year)"] = time.monotonic() - t0
        r, b = _fiscal(text)
        assert r == b, f"2021 is before the withdrawal: reform and baseline must agree, got {r} vs {b}"
        assert _poverty(text)[0] == _poverty(text)[1]
        step.click()
        text = _wait_panel(page, r"^\s*2022\b")
        r, b = _fiscal(text)
        assert r < b, f"support withdrawn in January 2022 must cost less than the baseline, got {r} vs {b}"
        assert re.search(r"million yuan less", text), text

        # ▶ runs on; pause after a few more years
        t0 = time.monotonic()
        page.get_by_role("button", name="▶").click()
        text = _wait_panel(page, r"^\s*20(2[6-9]|3\d)\b", timeout=180)
        page.get_by_role("button", name="❚❚").click()
        timings["play 2022 -> %d" % _year(text)] = time.monotonic() - t0
        page.wait_for_timeout(1500)  # the last redraw after the pause
        text = _panel(page)
        r, b = _fiscal(text)
        assert r < b
        page.evaluate("""() => { window.scrollTo(0, 0);
            document.querySelectorAll('.v-navigation-drawer__content').forEach(e => { e.scrollTop = 0; }); }""")
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "dashboard.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 50_000
        if os.environ.get("RURALSIM_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(shot, ROOT / "docs" / "img" / "dashboard.png")

        # the language switch: the panel and the controls in Chinese
        page.get_by_role("button", name="中文").click()
        text = _wait_panel(page, r"财政支出", timeout=60)
        assert re.search(r"\d{4}年", text)
        page.get_by_role("button", name="应用并重新开始").wait_for(timeout=20_000)
        page.get_by_text("脱贫之后的农村收入").first.wait_for(timeout=60_000)  # the title: the last to be redrawn
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "dashboard_zh.png"))
    finally:
        context.close()
        print("timings (s):", {k: round(v, 1) for k, v in timings.items()})
    assert not external, f"the page requested addresses outside localhost: {external}"
    assert not failed, f"requests failed: {failed}"
    assert not errors, f"errors in the page: {errors}"
    log = server["log"].read_text(errors="replace")
    assert "Traceback" not in log, log
    assert "Could not load URL" not in log, log  # solara's server found every asset locally (solara-assets)
