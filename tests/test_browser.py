"""In a real browser (Debian's chromium driven by playwright): the report works offline and runs no
article markup; JupyterLab renders an explorer widget that reacts to a click through the kernel."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toolkit.views.report import write_report

from .conftest import ROOT
from .frames import IMG, SCRIPT, small_analysis

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"  # playwright's own browser download is not reachable; `make test` installs this
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def watch(page) -> dict[str, list]:
    """Record the page's requests, dialogs and uncaught errors."""
    seen: dict[str, list] = {"requests": [], "dialogs": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


def test_report_draws_every_chart_offline_and_shows_markup_as_text(browser, tmp_path):
    path = write_report(small_analysis(), tmp_path / "report.html")
    page = browser.new_page()
    seen = watch(page)
    page.goto(path.as_uri())
    n = page.locator(".chart").count()
    assert n >= 4
    page.wait_for_function(f"document.querySelectorAll('.chart[data-rendered=true]').length === {n}",
                           timeout=30_000)
    marks = page.evaluate("""Array.from(document.querySelectorAll('.chart')).map(
        c => c.querySelectorAll('svg .role-mark path').length)""")
    assert all(m > 0 for m in marks), marks  # every chart drew its bars, cells or points

    # hover the "who said what, when" dot of the speaker whose quote holds an <img onerror>
    chart = page.locator(".chart-box[data-title='Who said what, when']")
    for dot in chart.locator(".role-mark path").all():
        dot.hover()
        tip = page.locator("#vg-tooltip-element")
        if tip.is_visible() and "Li Wei" in tip.inner_text():
            assert IMG in tip.inner_text() and tip.locator("img").count() == 0
            break
    else:
        pytest.fail("no tooltip showed Li Wei's quote")

    body = page.inner_text("body")
    assert SCRIPT in body and IMG in body  # the quotes, shown as text
    assert page.locator("img").count() == 0 and page.evaluate("window.__pwned") is None
    assert seen["dialogs"] == [] and seen["errors"] == []
    page.locator("details").first.evaluate("d => d.open = true")
    assert page.evaluate("window.__pwned") is None
    outside = [u for u in seen["requests"] if not u.startswith(("file:", "data:", "blob:"))]
    assert outside == [], outside
    page.close()


# ------------------------------------------------------------------ JupyterLab
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port, with a token; stopped by its process id."""
    root = tmp_path_factory.mktemp("lab")
    book = new_notebook(cells=[new_code_cell(
        "from tests.frames import small_analysis\n"
        "from toolkit.views.widgets import article_viewer\n"
        "viewer = article_viewer(small_analysis(), 'budget')\n"
        "viewer")], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(book, root / "explore.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_DATA_DIR": str(root / ".data"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    log = open(root / "lab.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                assert server.poll() is None, (root / "lab.log").read_text(errors="replace")
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_for_idle_kernel(url: str, token: str, timeout: float = 90) -> None:
    """Block until the notebook's kernel has started and is idle (asked through the REST API)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=5) as response:
            if any(k.get("execution_state") == "idle" for k in json.load(response)):
                return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel after {timeout} s")


def test_jupyterlab_renders_the_article_viewer_and_a_click_reaches_the_kernel(browser, lab):
    url, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = watch(page)
    page.goto(f"{url}/lab/tree/explore.ipynb?token={token}")
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click(timeout=90_000)
    wait_for_idle_kernel(url, token)  # a Shift+Enter pressed while the kernel starts is lost
    page.keyboard.press("Shift+Enter")
    text = page.locator(".ntk-article")
    text.wait_for(timeout=90_000)
    assert text.locator(".ntk-q").count() > 0  # the quotes layer is on
    shown = text.inner_text()
    assert SCRIPT in shown and IMG in shown  # hostile article text shows as text
    assert page.locator(".jp-OutputArea img").count() == 0 and page.evaluate("window.__pwned") is None

    page.locator(".ntk-toggle-quotes").click()  # the widget's model changes, the kernel re-renders the text
    page.wait_for_function("document.querySelectorAll('.ntk-article .ntk-q').length === 0", timeout=30_000)
    assert text.locator(".ntk-e").count() > 0  # other layers stay
    page.locator(".ntk-toggle-quotes").click()
    page.wait_for_function("document.querySelectorAll('.ntk-article .ntk-q').length > 0", timeout=30_000)
    assert seen["dialogs"] == [] and page.evaluate("window.__pwned") is None
    page.close()
