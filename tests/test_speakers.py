"""Quotes and speakers: mark pairing, cue placements, indirect and mixed speech, speaker resolution.

The sentences are written for these tests; the seed article's expectations come from reading it.
"""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit.text.quotemarks import quotation_spans
from toolkit.extract.speakers import Quote, quotes
from toolkit.text.lexicons import speech_cues


def run(nlp, text: str) -> list[Quote]:
    """The quotes the pipeline's component stores for `text`."""
    return [Quote(*q) for q in nlp(text)._.quotes]


def one(found: list[Quote], start_of_text: str) -> Quote:
    hits = [q for q in found if q.text.startswith(start_of_text)]
    assert len(hits) == 1, (start_of_text, found)
    return hits[0]


def mention(text: str, q: Quote) -> str | None:
    return None if q.speaker_start is None else text[q.speaker_start:q.speaker_end]


# ---------------------------------------------------------------- quotation marks
def contents(text: str) -> list[str]:
    return [text[q.start:q.end] for q in quotation_spans(text)]


@pytest.mark.parametrize("text", [
    "“We will win,” Okafor said.",
    '"We will win," Okafor said.',
    "''We will win,'' Okafor said.",
    "«We will win,» Okafor said.",
    "„We will win,“ Okafor said.",
])
def test_every_shape_of_double_mark_pairs(text):
    assert contents(text) == ["We will win,"]


def test_single_marks_inside_double_ones_belong_to_the_content():
    assert contents("“They call it ‘progress,’ but it is not,” she said.") == ["They call it ‘progress,’ but it is not,"]


def test_apostrophes_are_not_quotation_marks():
    text = "The players’ union said it won’t strike in the ’90s style, Okafor's aide said."
    assert contents(text) == []


def test_headline_single_marks_pair_outside_double_ones():
    assert contents("Mayor: ‘We Will Not Back Down’ On Housing") == ["We Will Not Back Down"]


def test_unclosed_quotation_runs_to_the_end_of_its_paragraph():
    text = "Okafor said: “We will win the vote tomorrow.\nThe vote is on Friday."
    spans = quotation_spans(text)
    assert [text[q.start:q.end] for q in spans] == ["We will win the vote tomorrow."]
    assert not spans[0].closed


def test_quotation_reopened_in_the_next_paragraph_continues_there():
    text = "“The polls are with us.\n“And the voters know it.”\nThe vote is on Friday. “Separate,” she said."
    spans = quotation_spans(text)
    assert [text[q.start:q.end] for q in spans] == ["The polls are with us.", "And the voters know it.", "Separate,"]
    assert spans[0].group == spans[1].group != spans[2].group


def test_same_style_marks_nest_inside_a_quotation():
    text = "“I would rather live in what he calls “hell” than give up,” she said."
    assert contents(text) == ["I would rather live in what he calls “hell” than give up,"]


def test_a_closing_mark_shared_by_a_nested_quotation_closes_both():
    text = "“At what point do we say, “Maybe it is us?” she wrote."
    assert contents(text) == ["At what point do we say, “Maybe it is us?"]


# ---------------------------------------------------------------- cue placement
def test_cue_after_the_quote(nlp):
    q = one(run(nlp, "“We will win,” said Dana Okafor."), "We will win")
    assert (q.kind, q.cue, q.speaker) == ("direct", "said", "Dana Okafor")


def test_cue_before_the_quote_with_comma_or_colon(nlp):
    for text in ("Dana Okafor said, “We will win.”", "Dana Okafor said: “We will win.”"):
        q = one(run(nlp, text), "We will win.")
        assert (q.kind, q.cue, q.speaker) == ("direct", "said", "Dana Okafor"), text


def test_quote_split_by_its_cue_gives_two_records_with_one_speaker(nlp):
    found = run(nlp, "“We will win,” Dana Okafor said, “and we will win big.”")
    first, second = one(found, "We will win,"), one(found, "and we will win big.")
    assert first.speaker == second.speaker == "Dana Okafor"
    assert first.speaker_entity_id == second.speaker_entity_id is not None


def test_colon_at_the_end_of_the_previous_paragraph_introduces_the_quote(nlp):
    text = "Dana Okafor made the following statement:\n“We will not give up.”"
    q = one(run(nlp, text), "We will not give up.")
    assert q.speaker == "Dana Okafor" and q.cue == ":"


def test_told_reporters_takes_the_subject_not_the_hearers(nlp):
    q = one(run(nlp, "“We will win,” Dana Okafor told reporters on Monday."), "We will win")
    assert (q.cue, q.speaker) == ("told", "Dana Okafor")


def test_according_to(nlp):
    text = "The company lost money last year, according to a report by the regulator."
    q = one(run(nlp, text), "The company lost money last year")
    assert (q.kind, q.cue) == ("indirect", "according to")
    assert mention(text, q) == "a report" and q.speaker_entity_id is None


def test_was_quoted_as_saying(nlp):
    text = "The minister was quoted as saying that the talks had failed."
    q = one(run(nlp, text), "that the talks had failed")
    assert (q.kind, q.cue, q.speaker) == ("indirect", "quoted as saying", "The minister")


def test_floating_quote_continues_the_previous_speaker(nlp):
    text = "“We will win,” Dana Okafor said.\n“Nobody can stop us now.”"
    q = one(run(nlp, text), "Nobody can stop us now.")
    assert (q.speaker, q.cue) == ("Dana Okafor", None)


def test_floating_quote_far_from_any_speaker_stays_unattributed(nlp):
    text = ("“We will win,” Dana Okafor said.\nThe vote is on Friday.\nRain may keep voters at home.\n"
            "“Nobody can stop us now.”")
    assert one(run(nlp, text), "Nobody can stop us now.").speaker is None


def test_each_paragraph_of_a_running_quotation_gets_the_speaker(nlp):
    text = "Dana Okafor spoke on Monday. “We will win,” she said. “The polls are with us.\n“And the voters know it.”"
    found = run(nlp, text)
    assert {q.text for q in found} == {"We will win,", "The polls are with us.", "And the voters know it."}
    assert {q.speaker for q in found} == {"Dana Okafor"}


def test_speaker_introduced_in_the_sentence_before(nlp):
    text = "Dana Okafor, a student from Memphis, chimed in. “I never thought I would vote for them.”"
    q = one(run(nlp, text), "I never thought")
    assert (q.speaker, q.cue) == ("Dana Okafor", "chimed")


def test_dash_signature_names_the_speaker(nlp):
    q = one(run(nlp, "“We will not give up.” ― Dana Okafor"), "We will not give up.")
    assert (q.speaker, q.cue) == ("Dana Okafor", "―")


def test_any_verb_after_a_comma_ended_quote_is_the_cue(nlp):
    q = one(run(nlp, "The deal collapsed. “It is a sad day for the city,” Okafor sighed."), "It is a sad day")
    assert (q.cue, q.speaker) == ("sighed", "Okafor")


def test_a_term_in_quotation_marks_is_no_quote(nlp):
    assert run(nlp, "The “dishonest media” were out in force on Monday.") == []


# ---------------------------------------------------------------- indirect and mixed speech
@pytest.mark.parametrize("text, content, cue, speaker", [
    ("Dana Okafor said the vote would be held on Friday.", "the vote would be held on Friday", "said", "Dana Okafor"),
    ("The general warned that the ceasefire could collapse.", "that the ceasefire could collapse", "warned",
     "The general"),
    ("The mayor accused the council of wasting money.", "the council of wasting money", "accused", "The mayor"),
    ("The statement said the company would appeal.", "the company would appeal", "said", "The statement"),
    ("In a statement, the ministry said the talks had failed.", "the talks had failed", "said", "the ministry"),
])
def test_indirect_speech_from_the_parse(nlp, text, content, cue, speaker):
    q = one(run(nlp, text), content)
    assert (q.kind, q.text, q.cue, q.speaker) == ("indirect", content, cue, speaker)


def test_participle_cue_takes_the_subject_of_its_clause(nlp):
    q = one(run(nlp, "Dana Okafor attacked the plan, claiming that it would raise taxes."), "that it would")
    assert (q.cue, q.speaker) == ("claiming", "Dana Okafor")


def test_declined_to_say_reports_nothing(nlp):
    assert run(nlp, "Dana Okafor, the city's mayor, declined to say whether the talks had failed.") == []


def test_relative_clause_with_a_gap_is_no_content(nlp):
    found = run(nlp, "Okafor praised the stockpile deal, which the minister said he would sign.")
    assert all(q.cue != "said" for q in found)


def test_mixed_quote_keeps_its_quoted_fragments_inside(nlp):
    text = 'Dana Okafor said the plan was "dead on arrival" and would be withdrawn.'
    q = one(run(nlp, text), "the plan was")
    assert q.kind == "mixed" and q.text == 'the plan was "dead on arrival" and would be withdrawn'
    assert not any(r.text == "dead on arrival" for r in run(nlp, text))


def test_reported_content_wholly_in_marks_is_direct(nlp):
    q = one(run(nlp, 'Dana Okafor said that "the city will not back down."'), "the city will not back down.")
    assert (q.kind, q.speaker) == ("direct", "Dana Okafor")


# ---------------------------------------------------------------- speakers through the entities module
@pytest.mark.parametrize("text, content, as_written, speaker", [
    # a pronoun: the right earlier person
    ("Dana Okafor spoke on Monday. “We will win,” she said.", "We will win", "she", "Dana Okafor"),
    # a title and surname: the full name
    ("Gen. John Allen arrived in Kabul on Monday. “We will win,” Allen said.", "We will win", "Allen", "John Allen"),
    # a role with a name in apposition: the name
    ("The US ambassador to the UN, Nikki Okafor, said the United States was prepared to act.",
     "the United States was prepared", "Nikki Okafor", "Nikki Okafor"),
    # a name with a role in apposition: the name, without the role
    ("“We will win,” Col. Pat Ryan, a spokesman for the general, told reporters.", "We will win", "Col. Pat Ryan",
     "Pat Ryan"),
    # a relative pronoun: itself as written, its antecedent as speaker
    ("The report came from Dana Okafor, who said the vote had been rigged.", "the vote had been rigged", "who",
     "Dana Okafor"),
])
def test_speaker_mention_and_the_entity_it_refers_to(nlp, text, content, as_written, speaker):
    q = one(run(nlp, text), content)
    assert (mention(text, q), q.speaker) == (as_written, speaker)
    assert q.speaker_entity_id is not None


def test_speaker_without_an_entity_keeps_its_words(nlp):
    q = one(run(nlp, "Officials said the talks had failed."), "the talks had failed")
    assert q.speaker == "Officials" and q.speaker_entity_id is None


# ---------------------------------------------------------------- lexicon as data
def test_bundled_lexicon_has_lemmas_and_frames():
    lexicon = speech_cues()
    assert ("ccomp",) in lexicon.verbs["say"]
    assert ("dobj", "prep:of") in lexicon.verbs["accuse"]
    assert ("according", "to") in lexicon.phrases and "decline" in lexicon.blockers


def test_a_smaller_lexicon_finds_fewer_cues(nlp, tmp_path):
    path = tmp_path / "cues.tsv"
    path.write_text("lemma\tkind\tcontent\nsay\tverb\tccomp\n", encoding="utf-8")
    doc = nlp("The general warned that the ceasefire could collapse. Okafor said the vote was rigged.")
    found = list(quotes(doc, lexicon=speech_cues(path)))
    assert [q.cue for q in found] == ["said"]


def test_bad_lexicon_row_names_file_and_line(tmp_path):
    path = tmp_path / "cues.tsv"
    path.write_text("say\tverb\tccomp\nwarn\tadverb\tccomp\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues\.tsv, line 2: unknown kind 'adverb'"):
        speech_cues(path)


# ---------------------------------------------------------------- the seed article, read by hand
SEED_ID = "000_4ec77375d4676b5e"
SEED_QUOTES = [  # (kind, how the content starts, speaker, cue)
    ("indirect", "to target US forces in Syria should they retaliate", "Valery Gerasimov", "threatened"),
    ("direct", "The conversation focused on issues of mutual concern", "Patrick Ryder", "told"),
    ("indirect", "the two men had last spoken on Jan. 20", "Patrick Ryder", "said"),
    ("indirect", "the US against any retaliatory strikes", "Valery Gerasimov", "warned"),
    ("indirect", "that anti-regime rebels were planning", "Valery Gerasimov", "claiming"),
    ("indirect", "any US strike against Damascus would threaten", "Valery Gerasimov", "saying"),
    ("direct", "The United States of America plan to accuse", "Valery Gerasimov", "told"),
    ("direct", "If lives of the Russian officers are threatened", "Valery Gerasimov", "added"),
    ("indirect", "Syria against using chemical weapons", "James Mattis", "warned"),
    ("direct", "I just want to reiterate", "James Mattis", "told"),
    ("direct", "And I think President Trump made that very clear", "James Mattis", None),
    ("indirect", "Russia for Syria’s maintenance of chemical weapons stockpile", "James Mattis", "blamed"),
    ("direct", "Russia was the framework guarantor", "James Mattis", "said"),
    ("direct", "Again, either Russia is incompetent", "James Mattis", "added"),
    ("direct", "the United States remains prepared to act if we must", "Nikki Haley", "said"),
    ("direct", "It is not the path we prefer", "Nikki Haley", "said"),
    ("mixed", "Russia of “likely” being behind an attempted assassination", "United Kingdom", "accused"),
    ("direct", "it sounds to me like it would be Russia", "Donald Trump", "said"),
    ("direct", "It sounds to me like they believe it was Russia", "Donald Trump", "added"),
]


def test_seed_article_has_its_19_quotes_with_their_speakers(seeds_analysis):
    found = seeds_analysis.quotes[seeds_analysis.quotes["article_id"] == SEED_ID].reset_index(drop=True)
    assert len(found) == len(SEED_QUOTES)
    text = seeds_analysis.text_of(SEED_ID)
    entity_names = dict(zip(seeds_analysis.entities["entity_id"], seeds_analysis.entities["name"]))
    for kind, start, speaker, cue in SEED_QUOTES:
        hits = found[found["text"].str.startswith(start)]
        assert len(hits) == 1, start
        row = hits.iloc[0]
        assert (row["kind"], row["speaker"]) == (kind, speaker), start
        assert (None if pd.isna(row["cue"]) else row["cue"]) == cue, start
        assert entity_names[row["speaker_entity_id"]] == speaker, start
    she = found[found["text"].str.startswith("It is not the path")].iloc[0]
    he = found[found["text"].str.startswith("It sounds to me like they")].iloc[0]
    assert text[she["speaker_start"]:she["speaker_end"]] == "she"
    assert text[he["speaker_start"]:he["speaker_end"]] == "he"
    # what the article does not report: a refusal, an implication, relative clauses with a gap,
    # scare quotes and the nested ‘evidence’
    for absent in ("Russia was responsible", "it would prompt military consequences", "it would help eliminate",
                   "Syria used on civilians", "likely", "evidence"):
        assert not found["text"].eq(absent).any() and not found["text"].str.startswith(absent).any(), absent



# ---------------------------------------------------------------- how each speaker was found, and the cue's lemma
@pytest.mark.parametrize("text, start, attribution, cue_lemma", [
    ("Okafor said the vote was rigged.", "the vote", "subject", "say"),
    ("The vote was rigged, according to Okafor.", "The vote", "according_to", "according to"),
    ("Okafor told reporters the vote was rigged. “We will appeal,” she said.", "We will appeal", "pronoun", "say"),
    ("“We will appeal the ruling,” Okafor said. “It is not over yet.”", "It is not over", "previous_quote", None),
    ("“We will appeal the ruling and we will win.” ― Adaeze Okafor", "We will appeal", "dash", "―"),
])
def test_each_quote_says_how_its_speaker_was_found(nlp, text, start, attribution, cue_lemma):
    q = one(run(nlp, text), start)
    assert (q.attribution, q.cue_lemma) == (attribution, cue_lemma)


def test_a_quote_without_a_speaker_says_none(nlp):
    q = one(run(nlp, "Heavy rain fell all day. “Nobody here has been paid for three months now.”"), "Nobody here")
    assert q.speaker is None and q.attribution == "none"


# ---------------------------------------------------------------- many cues in one paragraph
def test_cues_nested_in_each_others_content_report_once(nlp):
    """Each token reports once however deep the cues nest: the outermost cue's content runs on
    to the end, with its speaker; the cues inside it give no quote of their own."""
    text = "Okafor said, \"we will " * 120
    found = run(nlp, text)
    assert [(q.speaker, q.cue, q.start, q.end) for q in found] == [("Okafor", "said", 14, len(text) - 1)]



# ---------------------------------------------------------------- apostrophes
def test_a_curly_apostrophe_inside_a_word_does_not_cut_the_content(analyze_text):
    text = "Okafor said, wondering why voters aren’t “paying attention” to the race."
    quotes = analyze_text(text).quotes
    assert len(quotes) == 1
    assert quotes.iloc[0]["text"] == "why voters aren’t “paying attention” to the race"
    assert quotes.iloc[0]["speaker"] == "Okafor"


# ---------------------------------------------------------------- precision: what is no quote, who is no speaker
@pytest.mark.parametrize("text", [
    "The agency announced a $40 million fine on Tuesday.",  # a thing, not a message
    "The group claimed responsibility for the bombing.",  # "claim" as "take"
    "The minister denied the claims.",  # a message named, not given
    "Okafor agreed, echoing his account of the meeting.",
])
def test_a_noun_object_that_carries_no_message_is_no_quote(nlp, text):
    assert run(nlp, text) == []


def test_a_noun_of_saying_with_its_own_content_still_reports(nlp):
    q = one(run(nlp, "The minister denied that the talks had failed."), "that the talks had failed")
    assert (q.kind, q.speaker) == ("indirect", "The minister")


def test_a_partitive_head_is_no_speaker_the_group_it_counts_is(nlp):
    q = one(run(nlp, "A wave of protesters gathered outside, claiming that the vote was rigged."), "that the vote")
    assert q.speaker == "protesters"


def test_a_label_before_a_colon_is_no_speaker(nlp):
    text = "Dana Okafor covers city hall.\nTwitter: @DanaOkafor\n“We will not back down,” the mayor said."
    assert [(q.text, q.speaker) for q in run(nlp, text)] == [("We will not back down,", "the mayor")]


def test_a_dateline_is_no_speaker(nlp):
    q = one(run(nlp, "PARIS — France’s largest union, the CGT, said the strike would go on."), "the strike")
    assert q.speaker == "France’s largest union" and q.speaker_entity_id is None


def test_a_passive_of_telling_has_no_expressed_speaker(nlp):
    text = "I was told the following: “The flight is cancelled and nobody will fly today.”"
    q = one(run(nlp, text), "The flight is cancelled")
    assert (q.speaker, q.speaker_start, q.attribution) == (None, None, "none")


def test_a_passive_of_telling_takes_its_agent(nlp):
    q = one(run(nlp, "I was told by a clerk: “The flight is cancelled.”"), "The flight is cancelled")
    assert q.speaker == "a clerk"


# ---------------------------------------------------------------- role nouns resolved to the people they name
def test_a_role_noun_then_of_then_a_name_is_that_name(nlp):
    text = "Chief executive of the Housing Trust Mary Okafor told reporters the rents would rise."
    q = one(run(nlp, text), "the rents would rise")
    assert (q.speaker, mention(text, q), q.attribution) == ("Mary Okafor", "Mary Okafor", "apposition")


def test_a_role_noun_with_a_name_in_apposition_says_apposition(nlp):
    text = "The trust’s chief executive, Mary Okafor, said the rents would rise."
    q = one(run(nlp, text), "the rents would rise")
    assert (q.speaker, q.attribution) == ("Mary Okafor", "apposition") and q.speaker_entity_id is not None


def test_a_role_named_earlier_by_apposition_resolves_to_that_entity(nlp):
    text = "The Daily Planet, a local daily, endorsed Okafor on Monday. The daily said she would win."
    q = one(run(nlp, text), "she would win")
    assert (mention(text, q), q.speaker, q.attribution) == ("The daily", "Daily Planet", "role_noun")
    assert q.speaker_entity_id is not None


def test_attribution_values_are_the_ones_schema_documents():
    import re
    from toolkit.analysis import SCHEMA
    from toolkit.extract.speakers import ATTRIBUTIONS
    described = dict((c[0], c[2]) for c in SCHEMA["quotes"])["attribution"]
    assert set(re.findall(r"`(\w+)`", described)) == set(ATTRIBUTIONS)


# ---------------------------------------------------------------- content around its cue, in pieces
def test_a_relative_clause_whose_pronoun_is_the_reported_subject_reports_in_two_pieces(nlp):
    """PolNeAR's convention: the pronoun (standing for what it refers to) and the clause."""
    found = run(nlp, "The mayor praised the new budget, which she said would protect the libraries.")
    pieces = [(q.text, q.cue, q.kind) for q in found if q.cue == "said"]
    assert pieces == [("which", "said", "indirect"), ("would protect the libraries", "said", "indirect")]


@pytest.mark.parametrize("text, first, rest", [
    ("The reports covered many topics, the paper said, including budgets and roads.",
     "The reports covered many topics", "including budgets and roads"),
    ("He leans toward Okafor, he said, because he prizes experience.", "He leans toward Okafor",
     "because he prizes experience"),
    ("It is no surprise, Mr. Lee said, that the mayor won.", "It is no surprise", "that the mayor won"),
])
def test_content_goes_on_after_the_cue_that_interrupts_it(nlp, text, first, rest):
    found = run(nlp, text)
    assert [q.text for q in found] == [first, rest]
    assert len({(q.cue, q.speaker) for q in found}) == 1


def test_what_follows_the_cue_of_a_quotation_is_narrative(nlp):
    found = run(nlp, "“We will win,” he said, as the crowd cheered.")
    assert [q.text for q in found] == ["We will win,"]


def test_a_group_read_as_the_subject_of_a_participle_still_speaks(nlp):
    text = "Large majorities of voters going to the polls on Tuesday said they support a plan to close the plant."
    q = one(run(nlp, text), "they support a plan")
    assert q.speaker == "voters"


# ---------------------------------------------------------------- who speaks
def test_a_cue_hung_on_the_last_verb_of_another_cues_content_shares_that_cues_speaker(nlp):
    text = "Okafor said she did not want to think about a loss and predicted that the party would win."
    q = one(run(nlp, text), "that the party would win")
    assert (q.cue, mention(text, q)) == ("predicted", "Okafor")


def test_a_coordinated_cue_with_its_auxiliary_reports(nlp):
    q = one(run(nlp, "All of the candidates oppose the plan and have pledged to end the program."), "to end the")
    assert q.cue == "pledged" and q.speaker == "the candidates"


@pytest.mark.parametrize("text, content, speaker", [
    ("The union issued a statement saying it would strike on Monday.", "it would strike", "The union"),
    ("The union sent the mayor a letter alleging that the contract was broken.", "that the contract", "The union"),
    ("Her comments answer a letter the campaign sent on Monday alleging that the deal was unfair.",
     "that the deal", "the campaign"),
])
def test_whoever_issued_a_document_speaks_through_it(nlp, text, content, speaker):
    assert one(run(nlp, text), content).speaker == speaker


def test_a_document_nobody_is_said_to_have_issued_speaks_itself(nlp):
    assert one(run(nlp, "The statement said the company would appeal."), "the company").speaker == "The statement"


@pytest.mark.parametrize("place", ["Paris (AFP)", "PARIS, June 9 (AFP)"])
def test_a_dateline_with_its_date_or_agency_is_no_speaker(nlp, place):
    text = (f"Leclerc rallies for the party.\n\n{place} – Prime Minister Jean Dupont on Monday hit the 2017 "
            "campaign trail with Marie Leclerc for the first time, accusing the mayor of wasting money.")
    q = one(run(nlp, text), "the mayor of wasting money")
    assert q.speaker == "Prime Minister Jean Dupont"


# ---------------------------------------------------------------- what frames the words is not the words
def test_a_clause_before_a_colon_leads_in_the_content_after_the_cue(nlp):
    found = run(nlp, "One point sticks with me here: All of my friends in government tell me they would be in jail.")
    assert [q.text for q in found] == ["they would be in jail"]


def test_the_frame_before_an_interrupting_cue_of_a_quotation_is_no_content(nlp):
    found = run(nlp, "When Okafor was asked whether he respects the mayor, he said, “I mean, stop it.”")
    assert [q.text for q in found] == ["I mean, stop it."]


def test_a_fronted_phrase_without_a_clause_is_no_content(nlp):
    text = "In his 2002 book, ''Make Your Kid a Millionaire,'' Mr. Lee suggested looking at the coins."
    assert all(not q.text.startswith("In his 2002 book") for q in run(nlp, text))


@pytest.mark.parametrize("text, pieces", [
    ("Mrs. Okafor, these people said, would be open to other measures.",
     ["Mrs. Okafor", "would be open to other measures"]),
    ("Overall, she said, a number of key groups are finding themselves left out.",
     ["Overall", "a number of key groups are finding themselves left out"]),
    ("Fundraising, according to the campaign, has surged in the same period.",
     ["Fundraising", "has surged in the same period"]),
])
def test_a_cue_set_off_by_commas_splits_its_content_in_two_pieces(nlp, text, pieces):
    assert [q.text for q in run(nlp, text)] == pieces


def test_a_lone_conjunction_before_a_cue_is_no_piece_of_content(nlp):
    found = run(nlp, "But, according to the poll, most voters want a change.")
    assert [q.text for q in found] == ["most voters want a change"]


def test_an_inverted_cue_the_parser_coordinated_reports_the_clause_before_it(nlp):
    text = ("In nearby Leeds, the big steel plant is hanging on, but it is under intense pressure from imports, "
            "said the company's chief executive, Dana Okafor.")
    q = one(run(nlp, text), "In nearby Leeds")
    assert q.text.endswith("pressure from imports") and q.speaker == "Dana Okafor"


def test_according_to_after_a_coordination_reports_all_of_it(nlp):
    text = ("The foundation helped bring meals to schools, and it has helped farmers increase their yields, "
            "according to the foundation's tally.")
    q = one(run(nlp, text), "The foundation helped")
    assert q.text == "The foundation helped bring meals to schools, and it has helped farmers increase their yields"


def test_a_restrictive_relative_clause_with_a_cue_stays_in_the_content(nlp):
    text = "Okafor says the rules would not have stopped any of the thefts that the mayor mentioned in May."
    assert [q.text for q in run(nlp, text)] == ["the rules would not have stopped any of the thefts that the mayor "
                                                 "mentioned in May"]


def test_a_cue_coordinated_inside_the_content_stays_in_it(nlp):
    found = run(nlp, "He said he spoke to the mayor and asked him to condemn the violence.")
    assert [q.text for q in found] == ["he spoke to the mayor and asked him to condemn the violence"]


def test_a_cue_of_another_form_coordinated_into_the_content_reports_apart(nlp):
    found = run(nlp, "The minister said he would order a review and warned against hackers from abroad.")
    assert [q.text for q in found] == ["he would order a review", "against hackers from abroad"]


def test_a_participle_of_saying_after_a_comma_reports_apart_with_the_same_speaker(nlp):
    text = "Packer said the focus on the mayor is taking a toll on the front-runner, pointing out that he lost three states."
    assert [(q.text, q.cue, q.speaker) for q in run(nlp, text)] == [
        ("the focus on the mayor is taking a toll on the front-runner", "said", "Packer"),
        ("that he lost three states", "pointing", "Packer")]


@pytest.mark.parametrize("text, pieces", [
    ("Cameron suggested that the billionaire, who is now the nominee, would unite the country against him.",
     ["that the billionaire", "would unite the country against him"]),
    ("She said the mayor, a former teacher, had done an awful job.", ["the mayor", "had done an awful job"]),
])
def test_the_writers_aside_inside_the_reported_subject_is_left_out(nlp, text, pieces):
    assert [q.text for q in run(nlp, text)] == pieces


@pytest.mark.parametrize("text, content, speaker", [
    ("On Tuesday the senator opened a Rochester rally blasting the mayor for the cuts.", "the mayor", "the senator"),
    ("Okafor, who began the campaign with a March speech denouncing the plan, will not attend.", "the plan", "Okafor"),
])
def test_whoever_spoke_at_an_occasion_speaks_through_it(nlp, text, content, speaker):
    assert one(run(nlp, text), content).speaker == speaker


def test_a_proportion_is_no_speaker_the_group_it_counts_is(nlp):
    text = "The proportion of voters saying they want a ban on new towers is as high as three-quarters."
    assert one(run(nlp, text), "they want a ban").speaker == "voters"


def test_a_poll_count_the_parser_hung_on_the_verb_is_the_speaker(nlp):
    q = one(run(nlp, "About 4 in 10 say they want the next mayor to have more liberal policies."), "they want")
    assert q.speaker == "About 4 in 10"


def test_a_time_adjunct_after_a_noun_object_is_no_content(nlp):
    q = one(run(nlp, "The senator blasted the plan during a rally on Friday."), "the plan")
    assert q.text == "the plan"


def test_a_participle_of_saying_after_a_closing_mark_reports_apart(nlp):
    text = "Okafor insisted that he has “grown the party,” claiming that he is responsible for the turnout."
    assert [q.text for q in run(nlp, text)] == ["that he has “grown the party,”", "that he is responsible for the turnout"]


# ---------------------------------------------------------------- round 3: direct quotes
@pytest.mark.parametrize("text, start, speaker", [
    ("“We can fix the road by spring,” said Sen. Mary Okafor, R-N.Y. “I have asked for the money twice. Nobody listened.”",
     "I have asked", "Mary Okafor"),
    ("“The plan is fine,” Okafor told voters in Camden, N.J. “It will cost less than the old one. We checked.”",
     "It will cost", "Okafor"),
])
def test_a_quotation_after_a_sentence_ending_in_an_abbreviation_is_a_quote(nlp, text, start, speaker):
    q = one(run(nlp, text), start)
    assert (q.kind, q.speaker) == ("direct", speaker)


def test_a_lead_in_before_a_colon_is_not_part_of_a_quotation_whose_cue_follows(nlp):
    text = "Over lunch the senator turned to the budget: “It is a mess from top to bottom,” she said."
    q = one(run(nlp, text), "It is a mess")
    assert (q.text, q.kind) == ("It is a mess from top to bottom,", "direct")


def test_a_closing_mark_after_a_stop_closes_with_no_space_after_it():
    text = "She said: “We want a fair deal - so do voters!”After the rally she went home. “The buses were late,” she said."
    assert contents(text) == ["We want a fair deal - so do voters!", "The buses were late,"]


def test_a_verb_coordinated_after_a_quotation_is_narrative_not_content(nlp):
    text = "At a breakfast in Leeds, Okafor wrote to his followers, “It is time to end this for good,” and shared a link to his page."
    assert [(q.text, q.kind) for q in run(nlp, text)] == [("It is time to end this for good,", "direct")]


@pytest.mark.parametrize("text, content", [
    ("The video shows Okafor saying, “That makes me clever,” when the host raised taxes.", "That makes me clever,"),
    ("Okafor replied, “We will see about that,” as the crowd booed.", "We will see about that,"),
    ("The source of many of the firm's \"losses\" is no mystery: \"I love tax breaks,\" he said during the debate.",
     "I love tax breaks,"),
])
def test_narration_around_a_quotation_is_no_part_of_it(nlp, text, content):
    assert [(q.text, q.kind) for q in run(nlp, text)] == [(content, "direct")]


@pytest.mark.parametrize("text, content", [
    ("The mayor said she would no longer defend the chief, which has started a feud between the two.",
     "she would no longer defend the chief"),
    ("Okafor said he would end the tax break (a favour to fund managers).", "he would end the tax break"),
    ("The campaign said the attention helped the mayor, who does not need to show her staying power.",
     "the attention helped the mayor"),
])
def test_a_comment_the_writer_adds_at_the_end_of_reported_content_is_no_part_of_it(nlp, text, content):
    assert [q.text for q in run(nlp, text)] == [content]


def test_a_clause_the_parser_hung_on_a_noun_object_of_say_is_reported_content(nlp):
    text = "Aides say the more delegates he takes into the meeting, the more leverage he should have to do that."
    q = one(run(nlp, text), "the more delegates")
    assert q.speaker == "Aides" and q.text.endswith("to do that")


@pytest.mark.parametrize("text, content", [
    ("The Ohio governor said the country needs to secure the border and create a worker program, but that he "
     "would not support mass deportation.",
     "the country needs to secure the border and create a worker program, but that he would not support mass deportation"),
])
def test_a_that_clause_hung_on_the_cue_goes_on_with_the_content(nlp, text, content):
    assert [q.text for q in run(nlp, text)] == [content]


@pytest.mark.parametrize("text, content", [
    ("Okafor said following a vote in 2004 that he had “very serious concerns about the plan.”",
     "that he had “very serious concerns about the plan.”"),
    ("The director of the council, Ann Reyes, says in a statement that the mayor’s “rhetoric has crossed the line.”",
     "that the mayor’s “rhetoric has crossed the line.”"),
])
def test_a_that_clause_hung_on_a_phrase_after_the_cue_is_its_content(nlp, text, content):
    q = one(run(nlp, text), "that ")
    assert (q.text, q.kind) == (content, "mixed")


def test_a_cue_in_british_spelling_reports_as_its_american_one(nlp):
    assert speech_cues().verbs["criticise"] == speech_cues().verbs["criticize"]
    q = one(run(nlp, "Okafor also criticised the new mayor for making “very rude statements.”"), "the new mayor")
    assert (q.speaker, q.kind) == ("Okafor", "mixed")


def test_the_subject_of_a_passive_cue_with_an_agent_is_what_the_agent_criticized(nlp):
    q = one(run(nlp, "He was criticized by libertarians on social media."), "He")
    assert (q.text, q.speaker, q.kind) == ("He", "libertarians", "indirect")


@pytest.mark.parametrize("text", [
    "A group of comedians is performing a popular play called \"The Sons of the Mayor,\" in the city's oldest theater.",
    "The campaign tweeted a video from an account called \"Hypo-Reyes\" that showed the senator speaking.",
])
def test_a_quotation_after_a_participle_of_naming_is_a_name_not_a_quote(nlp, text):
    assert run(nlp, text) == []


def test_whoever_addresses_the_noun_a_participle_of_saying_hangs_on_speaks(nlp):
    q = one(run(nlp, "The senator emailed supporters saying the struggle continues."), "the struggle")
    assert q.speaker == "The senator"
    q = one(run(nlp, "Officials saying the plan had failed were wrong."), "the plan")
    assert q.speaker == "Officials"


def test_a_verb_of_manner_of_speaking_after_a_quotation_is_its_cue(nlp):
    q = one(run(nlp, "“This is fantastic!” beamed Ann Baker of Leeds, who had waited all day."), "This is")
    assert (q.speaker, q.cue) == ("Ann Baker", "beamed")


def test_a_clause_the_parser_read_as_a_modifier_is_no_part_of_the_speakers_mention(nlp):
    text = "The paper quoted officials saying the plan had failed."
    q = one(run(nlp, text), "the plan")
    assert (q.speaker, mention(text, q)) == ("officials", "officials")


@pytest.mark.parametrize("text, content", [
    ("Okafor, the director of the trust, called for more river investment in a statement on Thursday.",
     "for more river investment"),
    ("Okafor called on the chief executive to resign in a tense exchange last month.",
     "on the chief executive to resign"),
    ("The council urged residents to stay indoors in an interview with local radio.", "residents to stay indoors"),
    # with "the" or no article the speech event can be part of what was said
    ("Okafor said the volunteers would take part in media interviews.", "the volunteers would take part in media interviews"),
    ("Okafor said the figures were wrong in the interview.", "the figures were wrong in the interview"),
])
def test_a_closing_in_a_statement_is_where_it_was_said_not_what(nlp, text, content):
    assert [q.text for q in run(nlp, text)] == [content]


@pytest.mark.parametrize("text", [
    "Given the turnout, it’s safe to say the mayor is worried about the river vote.",
    "It is fair to say that the council never read the plan.",
    "It is hard not to wonder whether the council regrets the vote.",
])
def test_an_infinitive_after_it_is_and_an_adjective_is_the_writers_hedge_not_a_quote(nlp, text):
    assert run(nlp, text) == []


@pytest.mark.parametrize("text, cue", [
    # a verb ending its clause right before ", “"
    ("During the debate, Okafor cracked, “I am a builder who gets things done.”", "cracked"),
    ("Okafor interjected, “Ladies and gentlemen, the mayor of Dunmore.”", "interjected"),
    ("Okafor chimed in, “Not on my watch.”", "chimed"),
    # a subject and its verb after a question or an exclamation in marks
    ("Reyes spoke first. “You know, it happens, right?” Okafor went on, as if he had not heard her.", "went"),
    ("Reyes spoke first. “Go back to your seat!” Okafor barked.", "barked"),
])
def test_a_verb_of_any_manner_in_the_place_of_a_speech_tag_is_its_cue(nlp, text, cue):
    q = one(run(nlp, text), text.split("“")[1][:6])
    assert (q.speaker, q.cue) == ("Okafor", cue)


@pytest.mark.parametrize("text", [
    "The spot closes with the mayor saying that the river will be cleaned.",
    "The spot ends with footage of the mayor saying that the river will be cleaned.",
    "The ad closes with a clip of the mayor saying that the river will be cleaned.",
])
def test_the_noun_after_with_is_the_subject_of_the_participle_after_it(nlp, text):
    q = one(run(nlp, text), "that the river")
    assert mention(text, q) == "the mayor"


@pytest.mark.parametrize("text, start", [
    ("“The vote was a mistake,” Okafor said. “It shows a lack of judgement.” Reyes said both rivals "
     "were wrong about the river.", "It shows"),
    ("“If she wins, the plan goes ahead,” Okafor said. “If she loses, we start again.” Asked what that "
     "meant for the river, Okafor shrugged.", "If she loses"),
])
def test_a_cue_with_its_own_content_after_a_quotation_closed_by_a_full_stop_starts_a_new_sentence(nlp, text, start):
    q = one(run(nlp, text), start)
    assert q.speaker == "Okafor" and q.attribution != "subject"


def test_a_verb_with_its_object_before_a_comma_and_a_quotation_is_no_cue(nlp):
    text = "The mayor left the hall after the vote, “We will be back,” a sign on the door read."
    q = one(run(nlp, text), "We will")
    assert q.speaker != "The mayor"


@pytest.mark.parametrize("text", [
    "She then addressed the supporters again: “Here is what I regret. I regret they do not listen.”",
    "She went on: \"It is like a leaking roof and a plumber nobody calls.\"",
])
def test_an_adverb_or_particle_before_a_colon_leaves_the_speaker_to_its_verb(nlp, text):
    q = run(nlp, text)[0]
    assert (mention(text, q), q.attribution) == ("She", "pronoun")


def test_the_noun_after_a_cue_inverted_after_a_quotation_is_the_speaker_even_parsed_as_its_object(nlp):
    text = ("“I guess you never say never, but the gap between Reyes and Okafor is awfully large, and unlike "
            "Baker, Reyes has very low disapproval numbers,” added a New Hampshire Democrat.")
    q = one(run(nlp, text), "I guess")
    assert (q.cue, mention(text, q), q.attribution) == ("added", "a New Hampshire Democrat", "subject")


def test_a_cue_inverted_inside_the_clause_it_reports_takes_the_name_after_it(nlp):
    q = one(run(nlp, "And Okafor, said Reyes, does not forgive or forget."), "does not forgive")
    assert q.speaker == "Reyes"


@pytest.mark.parametrize("text, speaker", [
    ("“We will never go back,” she said, referring to the old tax rules.", "she"),
    ("“That was a betrayal,” said Councillor Okafor, referring to the budget vote in March.", "Councillor Okafor"),
])
def test_referring_to_after_a_cue_reports_what_the_speaker_meant(nlp, text, speaker):
    q = one(run(nlp, text), "to the")
    assert (q.kind, q.cue_lemma, mention(text, q)) == ("indirect", "refer", speaker)


def test_recalling_x_after_a_cue_reports_what_the_speaker_recalled(nlp):
    text = "“He never forgot a name,” Reyes said, recalling a visit to the school in 1998."
    q = one(run(nlp, text), "a visit")
    assert (q.kind, q.cue_lemma, mention(text, q)) == ("indirect", "recall", "Reyes")


@pytest.mark.parametrize("text", [
    "A law referring to gun ownership passed last week.",
    "He referred to the plan as a disaster.",
    "“We will never go back,” referring to the old tax rules.",
])
def test_referring_to_without_a_cue_of_saying_is_no_quote(nlp, text):
    assert not [q for q in run(nlp, text) if q.cue_lemma == "refer"]


@pytest.mark.parametrize("text, start", [
    ("He said seeing the results was a relief.", "seeing the results was a relief"),
    ("Reyes said watching the debate was painful.", "watching the debate was painful"),
])
def test_a_gerund_subject_the_parser_hung_on_the_cue_starts_the_content(nlp, text, start):
    q = one(run(nlp, text), start)
    assert q.text == start and q.cue_lemma == "say"


@pytest.mark.parametrize("text, speaker", [
    ("The protest has become a rallying point for parents here, who have said the footage must be released.",
     "parents"),
    ("The decision was a blow for the nurses, who said they would strike.", "the nurses"),
])
def test_who_speaks_for_the_people_before_it_not_for_a_thing_the_parser_hung_it_on(nlp, text, speaker):
    q = one(run(nlp, text), "the footage" if "footage" in text else "they would")
    assert (mention(text, q), q.speaker) == ("who", speaker)
