"""Unicode spaces and dashes are plain spaces and dashes to every layer, offsets into the original unchanged."""
from __future__ import annotations

import pytest

from toolkit.text.spaces import plain

NBSP, THIN, NARROW = "\u00a0", "\u2009", "\u202f"


def test_plain_maps_one_character_for_one():
    text = f"Nov.{NBSP}28{THIN}–{NARROW}a\u2011b ―\u2212 x"
    assert plain(text) == "Nov. 28 – a-b —- x" and len(plain(text)) == len(text)


def assert_original(analysis, text):
    for table in ("mentions", "quotes", "dates"):
        for row in getattr(analysis, table).itertuples():
            assert text[row.start:row.end] == row.text


@pytest.mark.parametrize("space", [NBSP, THIN, NARROW])
def test_a_date_with_a_unicode_space_keeps_its_day(analyze_text, space):
    text = f"The talks ended on Nov.{space}28, 2016, officials said."
    analysis = analyze_text(text, published="2016-12-01")
    dates = analysis.dates
    assert list(dates["value"]) == ["2016-11-28"] and list(dates["text"]) == [f"Nov.{space}28, 2016"]
    assert_original(analysis, text)


def test_a_name_written_with_no_break_spaces_is_one_person(analyze_text):
    text = f"Gen.{NBSP}Valery{NBSP}Gerasimov visited the front. Gerasimov said the offensive would go on."
    analysis = analyze_text(text)
    people = analysis.entities[analysis.entities["label"] == "PERSON"]
    assert list(people["name"]) == ["Valery Gerasimov"]  # the canonical name is written with plain spaces
    names = analysis.mentions[analysis.mentions["kind"] == "name"]
    assert f"Valery{NBSP}Gerasimov" in set(names["text"])  # each mention as written
    assert analysis.quotes["speaker"].tolist() == ["Valery Gerasimov"]
    assert_original(analysis, text)


def test_a_quote_signed_with_a_horizontal_bar_after_a_thin_space(analyze_text):
    text = f"“We will appeal the ruling and we will win.”{THIN}―{THIN}Adaeze Okafor"
    analysis = analyze_text(text)
    quote = analysis.quotes.iloc[0]
    assert (quote["text"], quote["cue"], quote["attribution"]) == ("We will appeal the ruling and we will win.", "―", "dash")
    assert quote["speaker"] == "Adaeze Okafor"
    assert_original(analysis, text)
