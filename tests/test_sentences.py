"""Sentence starts at paragraph breaks, set before the parser (toolkit.extract.sentences)."""
from __future__ import annotations

from toolkit.extract.sentences import paragraph_starts


def starts(nlp, text: str) -> dict[str, bool | None]:
    doc = paragraph_starts(nlp.make_doc(text))
    return {t.text: t.is_sent_start for t in doc if not t.is_space}


def test_a_blank_line_after_a_finished_paragraph_starts_a_sentence(nlp):
    marked = starts(nlp, "He said it was over.”\n\nAn aide said talks would resume.\n\n5:15 p.m.\n\nVoters said no.")
    assert marked["An"] is True and marked["Voters"] is True


def test_a_single_line_break_or_an_unfinished_line_is_left_to_the_parser(nlp):
    marked = starts(nlp, "Early life\n\nOkafor was born in Lagos and\nmoved to Leeds in 1990.")
    assert marked["Okafor"] is None and marked["moved"] is None


def test_the_pipeline_runs_it_before_the_parser(nlp):
    assert nlp.pipe_names.index("toolkit_sentences") < nlp.pipe_names.index("parser")
    doc = nlp("The union wants more pay.”\n\nA spokesman for the company said talks would resume.")
    assert any(s.text.startswith("A spokesman") for s in doc.sents)
