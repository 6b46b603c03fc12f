"""Every curated notebook runs top to bottom headless (nbclient), shows charts and live widgets, errs nowhere,
and every chart and explorer it shows carries a static rendering for readers with no kernel."""
from __future__ import annotations

import base64
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
VEGALITE = "application/vnd.vegalite.v6+json"


def displayed(nb) -> list[dict]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def test_there_are_five_curated_notebooks_committed_clean():
    assert len(NOTEBOOKS) >= 5
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3", path.name  # else JupyterLab asks for a kernel
        assert not [o for o in displayed(nb) if o.get("output_type") == "error"], path.name
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), path.name


def test_readme_says_what_each_notebook_shows_and_its_chart_image_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notebooks, charts and the HTML report", 1)[1].split("\n## ", 1)[0]
    for path in NOTEBOOKS:
        assert f"| `{path.name}` |" in section, path.name
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", section)
    assert images and all((ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for image in images)


def widget_outputs(nb) -> list[tuple[str, dict]]:
    """(model name, output) of every output showing a widget, its model looked up in the stored state."""
    state = nb.metadata["widgets"][STATE]["state"]
    return [(state[o["data"][WIDGET]["model_id"]]["model_name"], o) for o in displayed(nb) if WIDGET in o.get("data", {})]


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless_and_every_chart_and_explorer_reads_without_a_kernel(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    # the kernel imports this checkout's toolkit, installed or not
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    client.execute(env=env)
    outputs = displayed(nb)
    assert not [o for o in outputs if o["output_type"] == "error"]
    tracebacks = [o["text"] for o in outputs if o["output_type"] == "stream" and "Traceback" in o["text"]]
    assert not tracebacks
    mimes = {mime for o in outputs for mime in o.get("data", {})}
    assert WIDGET in mimes, "every notebook shows a live widget"
    shown = widget_outputs(nb)  # the widget state is stored, as `make run` stores it
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    charts_shown = [o for model, o in shown if model == "AnyModel"]  # Altair's JupyterChart
    assert len(charts_shown) >= code.count("\ncharts.") + code.startswith("charts.")  # every cell ending in a chart
    for o in charts_shown:  # live, and beside it a picture and the spec
        png = base64.b64decode(o["data"]["image/png"])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") > 300
        assert o["data"][VEGALITE]["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert o["data"]["text/plain"].startswith("<chart: ") and "object at 0x" not in o["data"]["text/plain"]
    explorers = [o for model, o in shown if model == "VBoxModel"]
    assert explorers, "every notebook shows an explorer"
    for o in explorers:  # live, and beside it a static, script-free copy of its view
        static = o["data"]["text/html"]
        assert 'class="ntk-static"' in static and "<script" not in static.lower() and len(static) > 500
        assert "children=" not in o["data"]["text/plain"]
