"""Entities across articles: labels by the corpus's evidence, a person's gender from their
articles, and names that several entities go by said, not hidden. The corpora are a few small
articles written for the purpose, given as the rows each article's analysis yields (so that the
test does not depend on what the tagger happens to say of each)."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from toolkit import Analysis
from toolkit.analysis import AmbiguousEntityError, AmbiguousEntityWarning
from toolkit.engine.tables import tables
from toolkit.extract.entities import Entity, Mention, link_entities


def clusters(*rows: Entity) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(Entity._fields))


def entity(article: str, name: str, label: str, *, n: int = 1, sure: bool = False, gender=None, evidence=None,
           aliases: tuple[str, ...] | None = None) -> Entity:
    key = f"{'PLACE' if label in ('GPE', 'LOC', 'FAC') else label}:{name.lower()}"
    return Entity(article, key, name, label, aliases or (name,), n, gender, evidence, float(n), sure)


# ---------------------------------------------------------------- labels by the corpus
def test_a_name_gets_the_label_most_articles_give_it():
    rows = [entity("a1", "Zentrix", "PERSON")] + [entity(f"a{i}", "Zentrix", "ORG") for i in range(2, 7)]
    ents, ids = link_entities(clusters(*rows))
    assert list(ents["name"]) == ["Zentrix"] and list(ents["label"]) == ["ORG"]
    assert ids[("a1", "PERSON:zentrix")] == "ORG:zentrix" == ids[("a4", "ORG:zentrix")]
    assert ids.labels[("a1", "PERSON:zentrix")] == "ORG"


def test_strong_local_evidence_keeps_an_articles_own_label():
    rows = [entity("a1", "Paris", "PERSON", n=6, sure=True)] + [entity(f"a{i}", "Paris", "GPE") for i in range(2, 5)]
    ents, ids = link_entities(clusters(*rows))
    assert ids[("a1", "PERSON:paris")] == "PERSON:paris"
    assert {ids[(f"a{i}", "PLACE:paris")] for i in range(2, 5)} == {"PLACE:paris"}
    assert sorted(ents["label"]) == ["GPE", "PERSON"]


def test_a_label_the_text_says_outweighs_the_taggers_in_a_few_more_articles():
    rows = [entity("a1", "Mercer", "PERSON", sure=True), entity("a2", "Mercer", "PERSON", sure=True),
            entity("a3", "Mercer", "ORG"), entity("a4", "Mercer", "ORG"), entity("a5", "Mercer", "ORG")]
    ents, ids = link_entities(clusters(*rows))
    assert ids[("a3", "ORG:mercer")] == "PERSON:mercer" and list(ents["label"]) == ["PERSON"]


def test_between_as_many_articles_the_label_more_names_back_wins():
    ents, ids = link_entities(clusters(entity("a1", "Okoro", "ORG", n=1), entity("a2", "Okoro", "PERSON", n=4)))
    assert list(ents["label"]) == ["PERSON"] and ids[("a1", "ORG:okoro")] == "PERSON:okoro"


def test_mentions_take_the_label_the_corpus_gives_their_entity():
    rows = {"clusters": [entity("a1", "Zentrix", "PERSON"), entity("a2", "Zentrix", "ORG"),
                         entity("a3", "Zentrix", "ORG")],
            "mentions": [Mention(a, 0, 7, "Zentrix", lab, "name", f"{lab}:zentrix", None, 0)
                         for a, lab in (("a1", "PERSON"), ("a2", "ORG"), ("a3", "ORG"))],
            "quotes": [], "dates": []}
    articles = pd.DataFrame({"id": ["a1", "a2", "a3"], "text": ["Zentrix fell.", "Zentrix rose.", "Zentrix won."]})
    analysis = tables(articles, rows, pd.DataFrame(columns=["source", "record", "reason"]))
    assert set(analysis.mentions["label"]) == {"ORG"}
    assert set(analysis.mentions["entity_id"]) == {"ORG:zentrix"}


# ---------------------------------------------------------------- gender across articles
def test_a_persons_gender_is_the_strongest_evidence_of_their_articles():
    rows = [entity("a1", "Robin Vale", "PERSON", gender="female", evidence="pronoun"),
            entity("a2", "Robin Vale", "PERSON", gender="male", evidence="first_name"),
            entity("a3", "Robin Vale", "PERSON")]
    ents, _ = link_entities(clusters(*rows))
    assert ents[["gender", "gender_evidence"]].iloc[0].tolist() == ["female", "pronoun"]


def test_articles_that_disagree_leave_the_gender_unknown():
    rows = [entity("a1", "Sam Okoro", "PERSON", gender="female", evidence="pronoun"),
            entity("a2", "Sam Okoro", "PERSON", gender="male", evidence="pronoun")]
    ents, _ = link_entities(clusters(*rows))
    assert ents["gender"].iloc[0] == "unknown" and pd.isna(ents["gender_evidence"].iloc[0])


def test_only_people_have_a_gender():
    ents, _ = link_entities(clusters(entity("a1", "Zentrix", "ORG"), entity("a2", "Lena Fischer", "PERSON")))
    by_name = ents.set_index("name")
    assert pd.isna(by_name.loc["Zentrix", "gender"]) and by_name.loc["Lena Fischer", "gender"] == "unknown"


# ---------------------------------------------------------------- ambiguity said, not hidden
@pytest.fixture
def two_clintons() -> Analysis:
    ents = pd.DataFrame({
        "entity_id": ["PERSON:bill clinton", "PERSON:hillary clinton", "PLACE:paris", "PERSON:paris hilton"],
        "name": ["Bill Clinton", "Hillary Clinton", "Paris", "Paris Hilton"],
        "label": ["PERSON", "PERSON", "GPE", "PERSON"],
        "aliases": [["Bill Clinton", "Clinton"], ["Hillary Clinton", "Clinton"], ["Paris"], ["Paris Hilton", "Paris"]],
        "n_mentions": [5, 9, 4, 3], "n_articles": [2, 3, 2, 1]})
    mentions = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a4"], "start": [0] * 4, "end": [7] * 4,
                             "text": ["Clinton", "Clinton", "Paris", "Paris"], "label": ["PERSON", "PERSON", "GPE",
                                                                                   "PERSON"],
                             "kind": ["name"] * 4, "entity_id": list(ents["entity_id"]), "sentence": [0] * 4})
    articles = pd.DataFrame({"id": ["a1", "a2", "a3", "a4"], "text": ["Clinton spoke."] * 2 + ["Paris won."] * 2})
    return Analysis(articles=articles, mentions=mentions, entities=ents)


def test_find_entities_returns_every_candidate_with_label_and_counts(two_clintons):
    found = two_clintons.find_entities("clinton")
    assert list(found["entity_id"]) == ["PERSON:hillary clinton", "PERSON:bill clinton"]  # most mentioned first
    assert list(found.columns) == ["entity_id", "name", "label", "n_mentions", "n_articles", "matched"]
    assert set(found["matched"]) == {"alias"}
    paris = two_clintons.find_entities("Paris")
    assert list(paris["entity_id"]) == ["PLACE:paris", "PERSON:paris hilton"]  # the canonical name first
    assert two_clintons.find_entities("Nobody").empty


def test_an_ambiguous_name_warns_and_lists_the_candidates(two_clintons):
    with pytest.warns(AmbiguousEntityWarning, match="Bill Clinton.*PERSON.*5 mentions"):
        assert two_clintons.entity_id("Clinton") == "PERSON:hillary clinton"
    with pytest.warns(AmbiguousEntityWarning, match="Paris Hilton"):
        assert two_clintons.for_entity("Paris").articles["id"].tolist() == ["a3"]


def test_strict_makes_an_ambiguous_name_an_error(two_clintons):
    with pytest.raises(AmbiguousEntityError, match="Hillary Clinton"):
        two_clintons.entity_id("Clinton", strict=True)
    with pytest.raises(AmbiguousEntityError):
        two_clintons.for_entity("Paris", strict=True)


def test_an_id_or_a_name_of_one_entity_is_not_ambiguous(two_clintons):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert two_clintons.entity_id("PERSON:bill clinton", strict=True) == "PERSON:bill clinton"
        assert two_clintons.entity_id("Paris Hilton", strict=True) == "PERSON:paris hilton"


def test_the_entity_explorer_says_when_a_name_fits_several_entities(two_clintons):
    from toolkit.views.widgets import entity_explorer
    explorer = entity_explorer(two_clintons, "Clinton")
    assert "names 2 entities" in explorer.notice.value and "names 2 entities" in explorer.html
    assert "Bill Clinton (PERSON, 5 mentions)" in explorer.notice.value
    explorer.search.value = "Hillary Clinton"
    assert explorer.notice.value == ""
