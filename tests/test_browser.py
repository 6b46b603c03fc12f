"""In a real browser (Debian's chromium driven by playwright): the report works offline and runs no
article markup; JupyterLab renders an explorer widget that reacts to a click through the kernel; an
executed notebook opened with no kernel, or exported to HTML, still shows its charts and explorers;
reported speech is never drawn in quotation marks."""
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
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import toolkit
from toolkit.views import widgets
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
    yield from serve_lab(root)


def serve_lab(root: Path, *options: str):
    """Run JupyterLab on `root` (its settings kept inside it) until the generator is closed."""
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTER_DATA_DIR": str(root / ".data"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    settings = root / ".config" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)  # every cell in the page, not windowed
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)  # no "get the news?" toast over the page
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log = open(root / "lab.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *options],
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


# ------------------------------------------------------- reading without a kernel
MARKS = "\"“”„‟«»‘’‚‛"
NOTEBOOK = ROOT / "notebooks" / "02_who_said_what.ipynb"  # three charts and an explorer holding a fourth


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """`02_who_said_what.ipynb` executed headless as `make run` does (widget state stored), in a fresh folder."""
    root = tmp_path_factory.mktemp("executed")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute(env=env)
    nbformat.write(nb, root / NOTEBOOK.name)
    assert nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return root


def charts_in(folder: Path) -> int:
    """How many chart outputs (a picture beside the live chart) the executed notebook holds."""
    nb = nbformat.read(folder / NOTEBOOK.name, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture(scope="module")
def lab_without_kernels(executed):
    """JupyterLab on the executed notebook, with no kernel it could start."""
    yield from serve_lab(executed, "--KernelSpecManager.allowed_kernelspecs=['no-such-kernel']")


def drawn_images(scope) -> list[int]:
    """Natural widths of the loaded images in `scope` (0 for one that did not load)."""
    return scope.evaluate("""el => Array.from(el.querySelectorAll('img')).map(
        i => i.complete ? i.naturalWidth : 0)""")


def test_an_executed_notebook_shows_its_charts_and_explorer_in_jupyterlab_with_no_kernel(
        browser, executed, lab_without_kernels, tmp_path):
    url, token = lab_without_kernels
    n_charts = charts_in(executed)
    assert n_charts >= 3  # charts.cues, charts.top_speakers, charts.who_said_what_when
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = watch(page)
    page.goto(f"{url}/lab/workspaces/static/tree/{NOTEBOOK.name}?reset&token={token}")
    page.locator(".jp-Dialog button:has-text('No Kernel')").click(timeout=90_000)  # nothing could run it
    with urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=5) as response:
        assert json.load(response) == []
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook").first
    page.wait_for_function(f"document.querySelectorAll('.jp-OutputArea-output img').length >= {n_charts + 1}",
                           timeout=60_000)
    charts = page.locator(".jp-OutputArea-output[data-mime-type='image/png'] img")
    assert charts.count() == n_charts
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        assert charts.nth(i).evaluate("i => i.complete && i.naturalWidth") > 300  # drawn, not a broken image
        assert charts.nth(i).bounding_box()["width"] > 300
        charts.nth(i).screenshot(path=str(tmp_path / f"chart-{i}.png"))  # as the reader sees it
    explorer = page.locator(".jp-OutputArea-output .ntk-static").first
    explorer.scroll_into_view_if_needed()
    assert "Speaker explorer" in explorer.inner_text() and explorer.locator("table tr").count() > 3
    assert all(w > 300 for w in drawn_images(explorer.element_handle()))  # its chart, as a picture
    assert "JupyterChart object" not in notebook.inner_text() and "children=" not in notebook.inner_text()
    explorer.screenshot(path=str(tmp_path / "explorer.png"))
    assert seen["dialogs"] == [] and seen["errors"] == []
    page.close()


def test_an_executed_notebook_exported_to_html_shows_its_charts_and_explorer_offline(browser, executed, tmp_path):
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter-config")}  # the project's Jupyter settings
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(tmp_path),
                           str(executed / NOTEBOOK.name)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen = watch(page)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())  # offline
    page.goto((tmp_path / NOTEBOOK.with_suffix(".html").name).as_uri())
    body = page.locator("body")
    widths = drawn_images(body.element_handle())
    assert len(widths) == charts_in(executed) + 1 and all(w > 300 for w in widths)  # the charts and the explorer's
    assert page.locator(".ntk-static").count() == 1 and "Speaker explorer" in page.inner_text(".ntk-static")
    assert page.locator(".jupyter-widgets").count() == 0  # no placeholder waiting for a script from a CDN
    assert "JupyterChart object" not in body.inner_text()
    assert seen["errors"] == []
    page.close()


REPORTED_CORPUS = [
    {"id": "bridge", "published": "2021-03-01", "title": "Bridge to reopen", "outlet": "Harbour Times",
     "text": "Mayor Ada Obi said the bridge would reopen in May. "
             '"We are proud of the crews," Obi told reporters on Monday.'},
    {"id": "budget", "published": "2021-03-02", "title": "Budget passes", "outlet": "Harbour Times",
     "text": "Councillor Sam Reyes said the budget was fair to every district. "
             '"Taxes will not rise this year," Reyes said on Tuesday.'},
]


def marks_in(texts: list[str]) -> list[str]:
    return [t for t in texts if any(mark in t for mark in MARKS)]


def test_report_and_explorers_draw_reported_speech_without_quotation_marks(browser, nlp, tmp_path):
    analysis = toolkit.analyze(pd.DataFrame(REPORTED_CORPUS), nlp=nlp, progress=False)
    kinds = set(analysis.quotes["kind"])
    assert {"direct", "indirect"} <= kinds, analysis.quotes[["kind", "text"]]
    page = browser.new_page()
    page.goto(write_report(analysis, tmp_path / "report.html").as_uri())
    reported = page.locator(".ntk-indirect").all_inner_texts()
    direct = page.locator(".ntk-direct").all_inner_texts()
    assert reported and direct
    assert marks_in(reported) == [] and all(t.startswith("reported ") for t in reported)
    assert all(t.startswith("“") and t.endswith("”") for t in direct)
    reporting = analysis.quotes.loc[analysis.quotes["kind"] == "indirect", "speaker"].dropna().iloc[0]
    views = {"speaker": widgets.speaker_explorer(analysis, reporting).static_html(),
             "timeline": widgets.timeline_explorer(analysis).html}
    for name, markup in views.items():
        page.set_content(f"<html><body>{markup}</body></html>")
        reported = page.locator(".ntk-indirect").all_inner_texts()
        assert reported and marks_in(reported) == [] and all(t.startswith("reported ") for t in reported), name
        assert all(t.startswith("“") for t in page.locator(".ntk-direct").all_inner_texts()), name
    viewer = widgets.article_viewer(analysis, "budget")
    page.set_content(f"<html><body>{viewer.html}</body></html>")
    shaded = page.locator(".ntk-q-indirect").first
    assert shaded.evaluate("e => getComputedStyle(e).borderBottomStyle") == "dotted"
    assert page.locator(".ntk-q-direct").first.evaluate("e => getComputedStyle(e).borderBottomStyle") != "dotted"
    assert page.inner_text(".ntk-text") == analysis.text_of("budget")  # the article's own marks, none added
    page.close()
