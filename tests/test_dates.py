"""Dates: spans, TIMEX3 types and values anchored to the publication date, ranges, the table.

Every sentence here is written for these tests; the expected values are worked out by hand from
the TimeML TIMEX3 conventions (see toolkit/timex.py for the week and season conventions).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from toolkit.text import timex
from toolkit.extract.date_values import Context, normalize
from toolkit.extract.dates import DateMention


def mentions(nlp, text: str, published: str | None) -> list[DateMention]:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.article_id = "t"
    for _, component in nlp.pipeline:
        doc = component(doc)
    return [DateMention(*m) for m in doc._.date_mentions]


def one(nlp, text: str, published: str | None, span: str) -> DateMention:
    found = [m for m in mentions(nlp, text, published) if m.text == span]
    assert found, f"{span!r} not found in {[m.text for m in mentions(nlp, text, published)]}"
    return found[0]


# (sentence, publication date, expected span, TIMEX3 value, TIMEX3 type)
CASES = [
    # weekdays: the tense of the governing clause picks the last or the next one
    ("The minister resigned on Tuesday.", "2018-03-15", "Tuesday", "2018-03-13", "DATE"),
    ("The minister will resign on Tuesday.", "2018-03-15", "Tuesday", "2018-03-20", "DATE"),
    ("The vote is scheduled for Monday.", "2018-03-15", "Monday", "2018-03-19", "DATE"),
    ("Police said Thursday that two men were arrested.", "2018-03-15", "Thursday", "2018-03-15", "DATE"),
    ("The council met last Friday.", "2018-03-16", "last Friday", "2018-03-09", "DATE"),
    ("The council meets next Friday.", "2018-03-14", "next Friday", "2018-03-16", "DATE"),
    ("The fire broke out Friday night.", "2018-03-17", "Friday night", "2018-03-16TNI", "TIME"),
    ("The strike began early Monday morning.", "2018-03-14", "early Monday morning", "2018-03-12TMO", "TIME"),
    # months and days without a year, across year boundaries and leap days
    ("The company was founded on Jan. 20.", "2018-03-13", "Jan. 20", "2018-01-20", "DATE"),
    ("Sales fell sharply last December.", "2019-01-10", "last December", "2018-12", "DATE"),
    ("The plant will close next month.", "2018-12-05", "next month", "2019-01", "DATE"),
    ("The talks will resume in January.", "2018-11-20", "January", "2019-01", "DATE"),
    ("The law was passed in November.", "2019-01-10", "November", "2018-11", "DATE"),
    ("The deal was signed on Dec. 30.", "2019-01-03", "Dec. 30", "2018-12-30", "DATE"),
    ("Critics questioned her decision to meet him at the end of June.", "2018-09-14", "the end of June", "2018-06",
     "DATE"),
    ("The festival took place on Feb. 29.", "2021-03-10", "Feb. 29", "2020-02-29", "DATE"),
    ("The deadline is Feb. 29, 2024.", "2023-11-02", "Feb. 29, 2024", "2024-02-29", "DATE"),
    ("The bridge reopened yesterday.", "2024-03-01", "yesterday", "2024-02-29", "DATE"),
    ("The bridge reopened yesterday.", "2019-01-01", "yesterday", "2018-12-31", "DATE"),
    ("The new rules take effect tomorrow.", "2018-12-31", "tomorrow", "2019-01-01", "DATE"),
    ("Profits rose last year.", "2019-01-05", "last year", "2018", "DATE"),
    ("Profits rose in June last year.", "2019-02-05", "June last year", "2018-06", "DATE"),
    ("The museum opened in March 1996.", "2018-03-13", "March 1996", "1996-03", "DATE"),
    ("He was born on March 26, 1996.", "2018-03-13", "March 26, 1996", "1996-03-26", "DATE"),
    ("Australia has been independent since 1901.", "2018-03-13", "1901", "1901", "DATE"),
    ("Earnings fell in fiscal 1989.", "1989-11-02", "fiscal 1989", "1989", "DATE"),
    ("The report is dated 2018-03-13.", "2018-04-01", "2018-03-13", "2018-03-13", "DATE"),
    ("The report is dated 03/13/2018.", "2018-04-01", "03/13/2018", "2018-03-13", "DATE"),
    # days relative to the publication date
    ("The mayor spoke today.", "2018-03-13", "today", "2018-03-13", "DATE"),
    ("The mayor will speak tonight.", "2018-03-13", "tonight", "2018-03-13TNI", "TIME"),
    ("The statement came late yesterday.", "2018-03-13", "late yesterday", "2018-03-12", "DATE"),
    ("The statement came yesterday morning.", "2018-03-13", "yesterday morning", "2018-03-12TMO", "TIME"),
    ("The storm hit this morning.", "2018-03-13", "this morning", "2018-03-13TMO", "TIME"),
    ("The storm hit last night.", "2018-03-13", "last night", "2018-03-12TNI", "TIME"),
    ("They met the day before yesterday.", "2018-03-13", "the day before yesterday", "2018-03-11", "DATE"),
    # weeks, months, years relative to it
    ("Shares rose this week.", "2018-03-15", "this week", "2018-W11", "DATE"),
    ("Shares rose last week.", "2018-03-15", "last week", "2018-W10", "DATE"),
    ("Shares rose last week.", "2019-01-02", "last week", "2018-W52", "DATE"),
    ("Shares will rise next week.", "2018-03-15", "next week", "2018-W12", "DATE"),
    ("The team plays this weekend.", "2018-03-15", "this weekend", "2018-W11-WE", "DATE"),
    ("The team played last weekend.", "2018-03-15", "last weekend", "2018-W10-WE", "DATE"),
    ("Officials met over the weekend.", "2018-03-12", "the weekend", "2018-W10-WE", "DATE"),
    ("The company was sold earlier this year.", "2018-03-13", "earlier this year", "2018", "DATE"),
    ("The studio will be sold later this month.", "2018-03-13", "later this month", "2018-03", "DATE"),
    ("Chips arrive early next year.", "1989-10-27", "early next year", "1990", "DATE"),
    ("They met two weeks ago.", "1998-03-22", "two weeks ago", "1998-03-08", "DATE"),
    ("They met 10 days ago.", "1998-03-22", "10 days ago", "1998-03-12", "DATE"),
    ("He was rescued three months ago.", "2000-01-28", "three months ago", "1999-10", "DATE"),
    ("The fund was set up five years ago.", "2018-03-13", "five years ago", "2013", "DATE"),
    ("Support was lower several years ago.", "2018-03-13", "several years ago", "PAST_REF", "DATE"),
    ("The officials left a week or so ago.", "1991-02-25", "a week or so ago", "1991-02-18", "DATE"),
    ("The results will be published in three days.", "2018-03-13", "three days", "2018-03-16", "DATE"),
    ("The vote will be held three days from now.", "2018-03-13", "three days from now", "2018-03-16", "DATE"),
    # seasons, quarters, halves
    ("The parade is planned for this summer.", "2018-03-13", "this summer", "2018-SU", "DATE"),
    ("The river froze last winter.", "2018-07-01", "last winter", "2017-WI", "DATE"),
    ("The shop opened in the spring of 1998.", "2018-03-13", "the spring of 1998", "1998-SP", "DATE"),
    ("The bank lost money in the third quarter.", "2018-10-25", "the third quarter", "2018-Q3", "DATE"),
    ("The bank lost money in the fourth quarter.", "2019-02-10", "the fourth quarter", "2018-Q4", "DATE"),
    ("Sales grew in the first half of 2017.", "2018-03-13", "the first half of 2017", "2017-H1", "DATE"),
    ("Revenue rose in the 1988 third quarter.", "1989-10-26", "the 1988 third quarter", "1988-Q3", "DATE"),
    # decades and centuries
    ("Prices doubled in the 1990s.", "2018-03-13", "the 1990s", "199", "DATE"),
    ("The group held power in the late 1970s.", "2018-03-13", "the late 1970s", "197", "DATE"),
    ("The band was famous in the '80s.", "2018-03-13", "the '80s", "198", "DATE"),
    ("She is a 20th century democrat.", "2018-03-13", "20th century", "19", "DATE"),
    ("The church was built in the 1500s.", "2018-03-13", "the 1500s", "15", "DATE"),
    # clock times
    ("The relatives have until 9 a.m. Tuesday to sign.", "2000-04-03", "9 a.m. Tuesday", "2000-04-04T09:00", "TIME"),
    ("The polls close at 10:30 p.m. tonight.", "2018-03-13", "10:30 p.m. tonight", "2018-03-13T22:30", "TIME"),
    ("The offensive began at noon Saturday.", "1991-02-25", "noon Saturday", "1991-02-23T12:00", "TIME"),
    # durations
    ("The strike lasted two weeks.", "2018-03-13", "two weeks", "P2W", "DURATION"),
    ("He has lived there for 2 1/2 years.", "2018-03-13", "2 1/2 years", "P2Y6M", "DURATION"),
    ("Prices fell over the past two months.", "2018-03-13", "the past two months", "P2M", "DURATION"),
    ("He talked for nearly an hour.", "2018-03-13", "nearly an hour", "PT1H", "DURATION"),
    ("The meeting took an hour and a half.", "2018-03-13", "an hour and a half", "PT1H30M", "DURATION"),
    ("She ended a five-day visit.", "2018-03-13", "five-day", "P5D", "DURATION"),
    ("Talks have dragged on for several years.", "2018-03-13", "several years", "PXY", "DURATION"),
    ("Concerns have grown in recent months.", "2018-03-13", "recent months", "PXM", "DURATION"),
    ("Output doubled over the past decade.", "2013-05-02", "the past decade", "P10Y", "DURATION"),
    ("Prices rose for almost two decades.", "2013-05-02", "almost two decades", "P20Y", "DURATION"),
    # sets
    ("The market is held every Monday.", "2018-03-13", "every Monday", "XXXX-WXX-1", "SET"),
    ("The Orangemen march each July.", "2018-03-13", "each July", "XXXX-07", "SET"),
    ("The bus runs every two weeks.", "2018-03-13", "every two weeks", "P2W", "SET"),
    ("Rallies were held almost daily.", "2018-03-13", "daily", "P1D", "SET"),
    ("He gave his weekly radio address.", "2018-03-13", "weekly", "P1W", "SET"),  # TimeML: a frequency adjective
    ("The committee meets twice a week.", "2018-03-13", "twice a week", "P1W", "SET"),
    ("Membership costs $500 a month.", "2018-03-13", "a month", "P1M", "SET"),
    # vague references
    ("Unemployment is now at its highest level.", "2018-03-13", "now", "PRESENT_REF", "DATE"),
    ("The firm currently employs 300 people.", "2018-03-13", "currently", "PRESENT_REF", "DATE"),
    ("That will do for now.", "2018-03-13", "now", "PRESENT_REF", "DATE"),  # TimeML: "for now" holds "now"
    ("The firm recently cut its dividend.", "2018-03-13", "recently", "PAST_REF", "DATE"),
    ("Residents worry about the future.", "2018-03-13", "the future", "FUTURE_REF", "DATE"),
    # named days
    ("The family gathered on Christmas Day.", "2018-12-28", "Christmas Day", "2018-12-25", "DATE"),
    ("Stores will open on Thanksgiving.", "2018-11-01", "Thanksgiving", "2018-11-22", "DATE"),
    ("Crowds gathered on Easter Sunday.", "2019-04-25", "Easter Sunday", "2019-04-21", "DATE"),
    # ---- rules judged on both TimeBank sets together
    # words before a date that put it after the event, whatever the tense
    ("The company said the dividend was payable Dec. 1 to holders of record Nov. 10.", "2018-10-27", "Dec. 1",
     "2018-12-01", "DATE"),
    ("The company said the dividend was payable Dec. 1 to holders of record Nov. 10.", "2018-10-27", "Nov. 10",
     "2018-11-10", "DATE"),
    ("The bidder extended its offer until Nov. 20.", "2018-11-02", "Nov. 20", "2018-11-20", "DATE"),
    # the new end of something extended or put off is not placed by the past tense of the moving
    ("The bidder extended to Nov. 20 its offer for the shares.", "2018-11-02", "Nov. 20", "2018-11-20", "DATE"),
    ("The vote was postponed to March 4.", "2018-02-20", "March 4", "2018-03-04", "DATE"),
    # after "by" or "until" a future clause still puts the date ahead
    ("The airline will double its flights to India by August in the search for markets.", "2018-02-13",
     "August", "2018-08", "DATE"),
    ("They sought to get around the ruling to send the boy home by Jan. 14.", "2000-01-15", "Jan. 14",
     "2000-01-14", "DATE"),
    # a weekday and a date: the year in which they agree
    ("The paper said in an editorial on Saturday, April 25, that the court erred.", "2015-04-24",
     "Saturday, April 25", "2015-04-25", "DATE"),
    # "the year ended June 30" is a fiscal year's length
    ("Profit for the year ended June 30 rose 5%.", "2018-10-25", "the year", "P1Y", "DURATION"),
    # numbers: "a minute and a half" is ninety seconds
    ("The applause lasted a minute and a half.", "2018-10-25", "a minute and a half", "PT1M30S", "DURATION"),
    # a quarter in a past-tense clause is the last one begun; a report to come is on the nearest one
    ("The airline earned $5 million in the fiscal first quarter.", "2018-10-25", "the fiscal first quarter",
     "2018-Q1", "DATE"),
    ("The airline expects to report a loss for the third quarter.", "2018-10-25", "the third quarter",
     "2018-Q3", "DATE"),
    # more constructions: year-end, "two more weeks", both days of a pair, a clock time with its date
    ("Staff will be cut by year-end.", "2018-08-02", "year-end", "2018", "DATE"),
    ("Profit for the full year fell.", "2018-08-02", "the full year", "2018", "DATE"),
    ("The deal takes an additional year.", "2018-08-02", "an additional year", "P1Y", "DURATION"),
    ("They stay for two more weeks.", "2018-08-02", "two more weeks", "P2W", "DURATION"),
    ("The summit will be held on April 24 and 25.", "2018-08-02", "25", "2019-04-25", "DATE"),
    ("The offer expires at 5 p.m. EST Nov. 9.", "2018-08-02", "5 p.m. EST Nov. 9", "2018-11-09T17:00", "TIME"),
    ("Sales in the latest period were flat.", "2018-08-02", "the latest period", "2018-Q2", "DATE"),
]


@pytest.mark.parametrize("text, published, span, value, kind", CASES)
def test_value_of_each_construction(nlp, text, published, span, value, kind):
    m = one(nlp, text, published, span)
    assert (m.value, m.type) == (value, kind)
    assert m.anchored


def test_spans_leave_prepositions_out_and_keep_modifiers(nlp):
    found = [m.text for m in mentions(nlp, "On Monday the board met, and in early December it voted.", "2018-12-20")]
    assert found == ["Monday", "early December"]
    assert one(nlp, "It rose in early December.", "2018-12-20", "early December").mod == "START"


def test_a_list_of_years_is_split(nlp):
    found = mentions(nlp, "Doctors were shot in 1994, 1995 and 1997.", "1999-04-19")
    assert [(m.text, m.value) for m in found] == [("1994", "1994"), ("1995", "1995"), ("1997", "1997")]


def test_anaphoric_expressions_follow_the_story(nlp):
    text = "The plant opened on March 3, 2015. Two days earlier, a fire broke out. It closed that year."
    found = {m.text: m.value for m in mentions(nlp, text, "2018-06-01")}
    assert found["March 3, 2015"] == "2015-03-03"
    assert found["Two days earlier"] == "2015-03-01"
    assert found["that year"] == "2015"


@pytest.mark.parametrize("text, span, value", [
    ("The plant opened on March 3, 2015. Two days later, a fire broke out.", "Two days", "P2D"),
    ("The talks broke down in May. A few weeks later they resumed.", "A few weeks", "PXW"),
    ("The dam was closed; three hours later the water had risen.", "three hours", "PT3H"),
])
def test_later_after_a_count_of_units_is_a_signal_outside_the_duration(nlp, text, span, value):
    # TimeBank leaves "later" (like "before" and "after") outside as a signal: "two days" is a DURATION
    found = [(m.text, m.type, m.value) for m in mentions(nlp, text, "2018-06-01")]
    assert (span, "DURATION", value) in found
    assert not any(t.endswith("later") for t, _, _ in found)


def test_the_year_before_is_one_year_before_the_story(nlp):
    found = {m.text: m.value for m in mentions(nlp, "Sales rose in 2015. They had fallen the year before.", "2018-06-01")}
    assert found["the year before"] == "2014"


def test_a_year_earlier_keeps_the_quarter(nlp):
    text = "The bank posted a third-quarter loss, against a profit a year earlier."
    found = {m.text: m.value for m in mentions(nlp, text, "1989-11-02")}
    assert found["third-quarter"] == "1989-Q3"
    assert found["a year earlier"] == "1988-Q3"


@pytest.mark.parametrize("text", [
    "The 37-year-old teacher was arrested.",
    "May I ask a question?",
    "The bank raised its quarterly dividend.",
    "Farmers planted winter wheat.",
    "Only a quarter of voters agreed.",
])
def test_words_that_are_not_time_expressions(nlp, text):
    assert [m.text for m in mentions(nlp, text, "2018-03-13")] == []


def test_without_publication_date_relative_values_are_not_guessed(nlp):
    found = {m.text: m for m in mentions(nlp, "Last year profits fell; on Tuesday the firm said so in 1998 terms.",
                                         None)}
    assert found["Last year"].value is None and not found["Last year"].anchored
    assert found["Tuesday"].value == "XXXX-WXX-2" and not found["Tuesday"].anchored
    assert found["Tuesday"].range_start is None
    assert found["1998"].value == "1998" and found["1998"].anchored


# ---------------------------------------------------------------- ranges and the table
def test_ranges_cover_the_value(nlp):
    assert one(nlp, "Profits fell in 2017.", "2018-03-13", "2017")[6:8] == ("2017-01-01", "2017-12-31")
    assert one(nlp, "Shares rose last week.", "2018-03-15", "last week")[6:8] == ("2018-03-05", "2018-03-11")
    assert one(nlp, "It rained all winter.", "2018-03-13", "winter")[6:8] == ("2017-12-01", "2018-02-28")
    past = one(nlp, "Prices fell over the past two weeks.", "2018-03-15", "the past two weeks")
    assert (past.value, past.range_start, past.range_end) == ("P2W", "2018-03-01", "2018-03-15")
    assert one(nlp, "The strike lasted two weeks.", "2018-03-15", "two weeks")[6:8] == (None, None)
    assert one(nlp, "Prices are now high.", "2018-03-15", "now")[6:8] == ("2018-03-15", "2018-03-15")
    assert one(nlp, "The market is held every Monday.", "2018-03-15", "every Monday")[6:8] == (None, None)


def test_table_converts_far_past_ranges(analyze_text):
    result = analyze_text("The church was built in the 1500s and rebuilt in the 9th century.", "2018-03-13")
    dates = result.dates.set_index("text")
    assert str(dates["range_start"].dtype) == "datetime64[ms]"
    assert dates.loc["the 1500s", "range_start"] == pd.Timestamp("1500-01-01")
    assert dates.loc["the 1500s", "range_end"] == pd.Timestamp("1599-12-31")
    assert dates.loc["the 9th century", "value"] == "08"
    assert dates.loc["the 9th century", "range_start"] == pd.Timestamp("0800-01-01")


def test_table_has_mod_and_offsets(analyze_text):
    text = "Shares fell in late November and rose by at least 5% over more than two years."
    result = analyze_text(text, "2018-12-20")
    rows = result.dates.set_index("text")
    assert rows.loc["late November", "mod"] == "END"
    assert rows.loc["more than two years", "mod"] == "MORE_THAN"
    for row in result.dates.itertuples():
        assert text[row.start:row.end] == row.text


# ---------------------------------------------------------------- the value arithmetic alone
@pytest.mark.parametrize("anchor, unit, n, value", [
    ("2018-03-18", "W", -1, "2018-W11"),  # a Sunday: "last week" is the ISO week ending that day
    ("2018-03-18", "W", 0, "2018-W12"),
    ("2018-01-03", "W", -1, "2017-W52"),
    ("2018-01-15", "S", -1, "2017-FA"),
    ("2018-12-15", "M", 1, "2019-01"),
    ("2018-02-10", "Q", -1, "2017-Q4"),
    ("2018-07-10", "H", -1, "2018-H1"),
    ("2018-07-10", "DE", -1, "200"),
    ("2018-07-10", "C", 0, "20"),
])
def test_unit_value(anchor, unit, n, value):
    assert timex.unit_value(dt.date.fromisoformat(anchor), unit, n) == value


def test_pick_year_skips_years_without_february_29():
    occurrence = lambda year: timex.day_span(year, 2, 29)  # noqa: E731
    assert timex.pick_year(occurrence, dt.date(2021, 3, 1), -1) == 2020
    assert timex.pick_year(occurrence, dt.date(2021, 3, 1), 1) == 2024


def test_shift_value_keeps_yearly_periods():
    assert timex.shift_value("1989-Q3", -1, "Y") == "1988-Q3"
    assert timex.shift_value("1998-10-23", 10, "D") == "1998-11-02"
    assert timex.shift_value("1998-10-23", -1, "Y") == "1997"


@pytest.mark.parametrize("value, low, high", [
    ("2018-W11-WE", "2018-03-17", "2018-03-18"),
    ("2018-Q2", "2018-04-01", "2018-06-30"),
    ("2018-H2", "2018-07-01", "2018-12-31"),
    ("1997-WI", "1997-12-01", "1998-02-28"),
    ("199", "1990-01-01", "1999-12-31"),
    ("2018-03-13TMO", "2018-03-13", "2018-03-13"),
    ("P2W", None, None),
    ("XXXX-WXX-1", None, None),
    ("PRESENT_REF", None, None),
])
def test_value_range(value, low, high):
    assert timex.value_range(value) == (low, high)


def test_normalize_words_without_spacy():
    anchor = dt.date(2018, 3, 13)
    assert normalize("nineteen seventy - nine".split(), Context(anchor)).value == "1979"
    assert normalize("the year two thousand".split(), Context(anchor)).value == "2000"
    assert normalize(["37", "years"], Context(anchor, after="old")) == "REJECT"
    assert normalize(["Tuesday"], Context(None)).value == "XXXX-WXX-2"


# ---------------------------------------------------------------- the calendar's ends
@pytest.mark.parametrize("published, resolved, unresolved", [
    ("0001-01-01", {"next year": "0002", "the 1990s": "199"}, ["last year", "Tuesday", "two weeks ago"]),
    ("9999-12-31", {"Christmas": "9999-12-25", "the 1990s": "199"}, ["next year", "next week", "in three days"]),
])
def test_anchors_at_the_calendars_ends_give_unanchored_values(analyze_text, published, resolved, unresolved):
    text = ("The minister resigned on Tuesday, two weeks ago, and returns next year, next week or in three days, "
            "around Christmas; last year was calm, like the 1990s.")
    result = analyze_text(text, published)
    assert result.problems.empty
    rows = result.dates.set_index("text")
    for span, value in resolved.items():
        assert rows.loc[span, "value"] == value and rows.loc[span, "anchored"]
    for span in unresolved:
        span = span.removeprefix("in ")
        assert span in rows.index
        value = rows.loc[span, "value"]
        assert not rows.loc[span, "anchored"] or value.startswith("P"), (span, value)
        assert pd.isna(value) or value.startswith(("XXXX", "P")), (span, value)


def test_values_past_year_9999_are_not_made_up():
    anchor = dt.date(9999, 6, 1)
    assert normalize(["next", "century"], Context(anchor)).value is None
    assert normalize(["10,000", "years", "from", "now"], Context(dt.date(2018, 3, 13))).value is None
    assert normalize(["last", "winter"], Context(dt.date(1, 1, 2))).value in (None, "XXXX-WI")


# ---------------------------------------------------------------- rules judged on both TimeBank sets


def test_a_year_ago_in_a_results_story_is_the_reported_quarter_a_year_back(nlp):
    text = ("The bank earned $5 million in the third quarter, up from $3 million a year ago. For the quarter, "
            "deposits rose; in the 2017 quarter they had fallen. Sales in the latest period were flat.")
    found = {m.text: m.value for m in mentions(nlp, text, "2018-10-25")}
    assert found["the third quarter"] == "2018-Q3"
    assert found["a year ago"] == "2017-Q3"
    assert found["the quarter"] == "2018-Q3"
    assert found["the 2017 quarter"] == "2017-Q3"
    assert found["the latest period"] == "2018-Q3"


def test_a_year_ago_without_a_reported_period_counts_from_publication(nlp):
    assert one(nlp, "The factory closed a year ago.", "2018-10-25", "a year ago").value == "2017"


def test_an_article_before_a_number_is_not_one_more():
    assert normalize(["a", "five", "year"], Context(dt.date(2018, 3, 13))).value == "P5Y"
    assert normalize(["a", "hundred", "years"], Context(dt.date(2018, 3, 13))).value == "P100Y"


# ---------------------------------------------------------------- "this weekend" and the tense
WEEKEND_CASES = [
    ("The team played this weekend and lost.", "2018-03-15", "this weekend", "2018-W10-WE"),  # a Thursday
    ("The team plays this weekend.", "2018-03-15", "this weekend", "2018-W11-WE"),
    ("The team plays this weekend.", "2018-03-18", "this weekend", "2018-W11-WE"),  # a Sunday: today's
    ("Fans gathered last weekend.", "2018-03-18", "last weekend", "2018-W10-WE"),
    ("Fans will gather next weekend.", "2018-03-18", "next weekend", "2018-W12-WE"),
    ("Prices fell this month.", "2018-03-15", "this month", "2018-03"),  # a week or month holds publication
]
# ---------------------------------------------------------------- feasts that move
FEAST_CASES = [
    ("Families gathered for Chinese New Year.", "2018-11-20", "Chinese New Year", "2018-02-16"),
    ("Families will gather for the Lunar New Year.", "2019-01-10", "the Lunar New Year", "2019-02-05"),
    ("Crowds prayed on Eid al-Fitr.", "2018-11-20", "Eid al-Fitr", "2018-06-15"),
    ("Pilgrims marked Eid al-Adha.", "2018-11-20", "Eid al-Adha", "2018-08-21"),
    ("Lamps were lit for Diwali.", "2018-11-20", "Diwali", "2018-11-07"),
    ("The family met for Passover.", "2019-05-01", "Passover", "2019-04-20"),
    ("The fast ended on Yom Kippur.", "2018-10-01", "Yom Kippur", "2018-09-19"),
    ("Crowds filled the streets on Orthodox Easter.", "2019-05-01", "Orthodox Easter", "2019-04-28"),
    ("Voters go to the polls on Election Day.", "2018-10-01", "Election Day", "2018-11-06"),
    ("Shops will open early on Black Friday.", "2018-10-01", "Black Friday", "2018-11-23"),
    ("Traffic was heavy over the spring bank holiday.", "2018-06-01", "the spring bank holiday", "2018-05-28"),
]


@pytest.mark.parametrize("text, published, span, value", WEEKEND_CASES + FEAST_CASES)
def test_weekends_follow_the_tense_and_feasts_their_year(nlp, text, published, span, value):
    assert one(nlp, text, published, span).value == value


def test_ramadan_covers_its_month(analyze_text):
    dates = analyze_text("Markets closed early during Ramadan.", "2018-07-01").dates.set_index("text")
    assert dates.loc["Ramadan", "value"] == "2018-05-16"
    assert dates.loc["Ramadan", "range_start"] == pd.Timestamp("2018-05-16")
    assert dates.loc["Ramadan", "range_end"] == pd.Timestamp("2018-06-14")


def test_a_feast_beyond_its_calendar_is_unanchored(nlp):
    m = one(nlp, "Ramadan begins in 2150.", "2150-01-01", "Ramadan")
    assert m.value is None and not m.anchored


# ---------------------------------------------------------------- "N units ago"
@pytest.mark.parametrize("text, value, mod", [
    ("She left over 24 hours ago.", "2018-11-19", "BEFORE"),
    ("She left 36 hours ago.", "2018-11-19", None),
    ("She left three hours ago.", "2018-11-20", None),
    ("She left more than two weeks ago.", "2018-11-06", "BEFORE"),
    ("She left nearly two years ago.", "2016", "AFTER"),
    ("She left at least five years ago.", "2013", "ON_OR_BEFORE"),
    ("She left about three months ago.", "2018-08", "APPROX"),
])
def test_units_ago_count_back_from_publication(nlp, text, value, mod):
    m = [m for m in mentions(nlp, text, "2018-11-20") if m.text.endswith("ago")][0]
    assert (m.value, m.mod) == (value, mod)


# ---------------------------------------------------------------- names and games that hold a time word
@pytest.mark.parametrize("text", [
    "USA TODAY reported the deal.",
    "She told the Today show that she would run.",
    "The story ran in the Sunday Times.",
    # periods of a game
    "He scored in the 69th minute.",
    "Smith scored twice in the second half.",
    "The visitors trailed at halftime but led in the third quarter.",
])
def test_names_and_game_periods_are_not_dates(nlp, text):
    assert mentions(nlp, text, "2019-06-01") == []


def test_dates_next_to_names_and_years_inside_names_stay(nlp):
    assert [m.value for m in mentions(nlp, "USA Today reported on Tuesday that the deal was off.",
                                      "2019-06-01")] == ["2019-05-28"]
    assert one(nlp, "Athletes trained for the 1996 Olympics.", "2019-06-01", "1996").value == "1996"


def test_a_list_of_names_given_in_the_config_is_used(nlp, tmp_path):
    from toolkit.extract.dates import DateFinder, date_mentions

    names = tmp_path / "names.txt"
    names.write_text("# a club\nTuesday Club\n", encoding="utf-8")
    doc = nlp("She joined the Tuesday Club in May.")
    doc._.published, doc._.entity_mentions = "2019-06-01", None  # the list alone
    assert [m.text for m in date_mentions(doc, DateFinder(nlp.vocab))] == ["Tuesday", "May"]
    assert [m.text for m in date_mentions(doc, DateFinder(nlp.vocab, names=str(names)))] == ["May"]


def test_halves_and_quarters_of_the_year_stay(nlp):
    found = {m.text: m.value for m in mentions(nlp, "Sales rose in the first half and profit fell in the second "
                                                    "quarter.", "2019-06-01")}
    assert found == {"the first half": "2019-H1", "the second quarter": "2019-Q2"}


# ---------------------------------------------------------------- Unicode spaces and dashes, ranges
@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u2007"])
def test_a_month_and_its_day_across_a_unicode_space(analyze_text, space):
    text = f"The fire broke out on Nov.{space}28 and was out by Dec.{space}2."
    dates = analyze_text(text, "2018-12-05").dates
    assert list(dates["value"]) == ["2018-11-28", "2018-12-02"]
    assert [text[s:e] for s, e in zip(dates["start"], dates["end"])] == list(dates["text"])
    assert dates["text"].iloc[0] == f"Nov.{space}28"


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2012", "\u2212", "\u2014"])
def test_a_range_gives_both_ends(analyze_text, dash):
    text = f"Sales rose in 1990{dash}1995 and the fair ran Nov. 3{dash}5, 2017."
    dates = analyze_text(text, "2018-12-05").dates
    assert list(dates["value"]) == ["1990", "1995", "2017-11-03", "2017-11-05"]
    assert [text[s:e] for s, e in zip(dates["start"], dates["end"])] == list(dates["text"])


def test_ranges_of_seasons_and_hours(nlp):
    found = [(m.text, m.value) for m in mentions(nlp, "The 2014–15 season ended; the office opens 9–11 a.m. Tuesday.",
                                                 "2018-11-28")]
    assert found == [("2014", "2014"), ("15", "2015"), ("9", "2018-11-27T09:00"),
                     ("11 a.m. Tuesday", "2018-11-27T11:00")]


def test_a_years_quarter_is_one_expression_and_a_share_is_no_quarter(nlp):
    found = {m.text: m.value for m in mentions(nlp, "Net sales for this year's third quarter fell. Iraq imports about "
                                                    "three-quarters of its food.", "1989-11-01")}
    assert found == {"this year's third quarter": "1989-Q3"}
    assert one(nlp, "The firm posted several quarters of losses.", "1989-11-01", "several quarters").value == "PXQ"


def test_the_night_of_a_date_is_that_date(nlp):
    found = [(m.text, m.value) for m in mentions(nlp, "He was shot on the night of Friday, Oct. 23.", "1998-11-21")]
    assert found == [("Friday, Oct. 23", "1998-10-23")]


@pytest.mark.parametrize("text, published, span", [
    ("The Aug. 7, 1998, bombings killed many.", "1999-01-10", "Aug. 7, 1998"),  # the article is the noun's
    ("It signed an Aug. 10, 1988, agreement.", "1989-01-10", "Aug. 10, 1988"),
    ("His car was seen in the weeks before the vote.", "2018-03-13", "weeks"),
    ("The car stood there for about two weeks.", "2018-03-13", "two weeks"),  # "about" outside, as TimeBank
    ("He was found last Thanksgiving.", "2000-01-10", "last Thanksgiving"),
    ("Right now my evidence is scant.", "2018-03-13", "now"),
    ("Prices will rise in coming months.", "2018-03-13", "coming months"),
])
def test_spans_as_timebank_draws_them(nlp, text, published, span):
    assert span in [m.text for m in mentions(nlp, text, published)]


def test_an_approximator_left_outside_still_gives_the_mod(nlp):
    assert one(nlp, "The car stood there for about two weeks.", "2018-03-13", "two weeks").mod == "APPROX"
    assert one(nlp, "He was found last Thanksgiving.", "2000-01-10", "last Thanksgiving").value == "1999-11-25"


@pytest.mark.parametrize("text, span, value, kind", [
    # "the week of" a date is the week holding it
    ("The hearing may take place the week of March 5, the lawyer said.", "the week of March 5", "2018-W10", "DATE"),
    ("The fair opens the weekend of March 10.", "the weekend of March 10", "2018-W10-WE", "DATE"),
    # a count of trading or business days is a count of days
    ("Shares fell for eight trading days after the report.", "eight trading days", "P8D", "DURATION"),
    ("It took three business days to clear the payment.", "three business days", "P3D", "DURATION"),
])
def test_week_of_a_date_and_counted_days(nlp, text, span, value, kind):
    m = one(nlp, text, "2018-02-20", span)
    assert (m.value, m.type) == (value, kind)


def test_the_previous_weekday_counts_back_from_the_story_day(nlp):
    text = "Shares fell on Friday, March 9. The index closed 4% below its level of the previous Friday."
    found = {m.text: m.value for m in mentions(nlp, text, "2018-03-12")}
    assert found["the previous Friday"] == "2018-03-02"


@pytest.mark.parametrize("text, published, span, value", [
    # a verb of planning in the simple past places nothing ahead: the plan was made then, for then
    ("Officials set Friday as the deadline for his return.", "2000-01-15", "Friday", "2000-01-14"),
    ("A memorial service planned for Saturday was canceled after the threats.", "1999-10-24", "Saturday",
     "1999-10-23"),
    # in the present or with "will" it still does
    ("The vote is scheduled for Monday.", "2018-03-16", "Monday", "2018-03-19"),
    ("A vote planned for Monday will go ahead.", "2018-03-16", "Monday", "2018-03-19"),
])
def test_planning_in_the_past_is_not_the_future(nlp, text, published, span, value):
    assert one(nlp, text, published, span).value == value


def test_a_weekday_with_a_plural_part_of_day_is_a_set(nlp):
    m = one(nlp, "Two new flights will leave on Tuesday nights from March 30.", "2018-02-13", "Tuesday nights")
    assert (m.type, m.value) == ("SET", "XXXX-WXX-2TNI")
    assert one(nlp, "He left Tuesday night.", "2018-02-13", "Tuesday night").value == "2018-02-13TNI"


def test_a_greeting_is_no_time_of_day(nlp):
    assert mentions(nlp, "Good evening from the central park in the old town.", "2018-02-13") == []


def test_earlier_and_later_before_a_weekday_stay_outside(nlp):
    found = [(m.text, m.value, m.mod) for m in mentions(nlp, "Earlier Friday, police said two men were held.",
                                                      "2018-02-13")]
    assert found == [("Friday", "2018-02-09", None)]
    assert one(nlp, "Late Monday, the talks collapsed.", "2018-02-13", "Late Monday").mod == "END"


def test_a_bare_clock_time_falls_on_the_story_day(nlp):
    text = "The doctor was shot on Friday, Oct. 23, in his kitchen. He died at 10 p.m. in hospital."
    found = {m.text: m.value for m in mentions(nlp, text, "1998-11-20")}
    assert found["10 p.m."] == "1998-10-23T22:00"
    assert one(nlp, "The shop opens at 9 a.m.", "2018-02-13", "9 a.m.").value == "2018-02-13T09:00"


def test_a_part_of_day_with_no_day_of_its_own_falls_on_the_story_day(nlp):
    text = "Shares fell on Friday. Dealers placed heavy buy orders in the morning."
    found = {m.text: m.value for m in mentions(nlp, text, "2018-02-13")}
    assert found["the morning"] == "2018-02-09TMO"
