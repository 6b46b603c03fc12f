"""Every curated notebook runs top to bottom headless (nbclient), shows charts and live widgets, errs nowhere."""
from __future__ import annotations

import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


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


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless(path):
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
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if "charts." in code:  # charts render as Altair's JupyterChart widgets, Vega bundled in (offline)
        states = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
        specs = [m["state"]["spec"] for m in states if "spec" in m["state"]]
        assert specs and all("vega-lite" in spec["$schema"] for spec in specs)
        assert code.count("\ncharts.") + code.startswith("charts.") <= len(specs)
