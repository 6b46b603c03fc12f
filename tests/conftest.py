"""Shared fixtures: one loaded pipeline and one analysis of the bundled seeds per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

import toolkit

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    return toolkit.load_nlp()


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
