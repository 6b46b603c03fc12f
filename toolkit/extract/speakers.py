"""Quotes and their speakers: who said what.

`quotes(doc)` yields a `Quote` for each direct, indirect or mixed quotation in an analysed Doc:
the quoted or reported content (quotation marks outside the span), its kind, the cue that
introduces it, the speaker as mentioned there and the canonical entity that mention refers to
(through `toolkit.extract.entities.entity_at`, so speakers and entities are resolved once, alike).

The parts, each usable alone:

- `toolkit.text.quotemarks.quotation_spans(text)` pairs quotation marks into `Quotation` spans;
- `toolkit.text.lexicons.speech_cues()` reads the cue lexicon (`toolkit/data/speech_cues.tsv`: lemmas and frames);
- `reported_speech(doc)` yields every `Attribution` the dependency parse shows: a cue, its
  speaker and its reported content;
- `quotes(doc)` joins the two into `Quote` records.

Notes:
    - Quotation marks are paired by `toolkit.text.quotemarks` (see its notes: flanking rules,
      unclosed and multi-paragraph quotations, nested and single marks).
    - Reported speech follows the attribution-relation model of PARC (Pareti 2016) and the
      verb-centred rules of Krestel, Bergler & Witte (2008): a verb or noun of saying from the
      lexicon, its reported content (the clausal complement, or the object frames the lexicon lists
      for that lemma) and its source, the grammatical subject; a participle or coordinated cue
      without a subject takes its controller's ("..., claiming that ...", "was quoted as saying").
      "according to X" takes X as source and the rest of its clause as content.
    - Quotation marks and parse are joined as in the Gender Gap Tracker's quote extractor
      (Asr et al. 2021): content wholly inside marks is a direct quote, reported content holding
      quoted fragments is mixed; a quotation the parse does not attach takes the nearest cue in its
      own sentence (after it when it ends with a comma, before it after a colon or comma), a
      colon-introduced speaker, a dash-signed one, a speaker introduced by a cue without content in
      the sentence before, and otherwise, when it opens its sentence right after a quote of the same
      or the previous paragraph, that quote's speaker (a "floating" quote). A quotation that is
      neither set off by punctuation nor a verb of saying (a scare quote, a title) is no quote.
    - Each token reports once, as PolNeAR's annotation is univocal: a cue inside another cue's
      content is dropped, and content stops where another attribution begins inside it (a relative
      clause with its own cue, a coordinated cue verb without a subject).
    - Span conventions follow PolNeAR (Newell, Margolin & Ruths 2018): direct = the text inside the
      marks, indirect = the reported clause, mixed = the whole content with its quoted fragments.
    - A bare noun object is content only when it carries a message (a clause or quotation of its
      own): a noun that names a message ("denied the claims") or a thing ("announced a fine") is
      none (`toolkit/data/quote_words.tsv`); a clause its cue interrupts ("The goal, he said, is
      ...") reports in its two pieces, as PolNeAR annotates them. A passive cue with an agent reports
      its subject ("was criticized by rivals"); content ends before the writer's comment at its end
      (a parenthesis, ", which ..."); a quotation after a participle of naming ("a play called
      “...”") is a name.
    - Speakers: the mention is the source as written (a relative pronoun included); the entity is
      what `toolkit.extract.entities.entity_at` finds at its head (at the antecedent of a relative
      pronoun), so pronouns, surnames and titles are resolved by the entities module. A role noun
      with a name in apposition or after "of" is that name, and one the entities module leaves
      alone takes the entity an earlier apposition gave the same role. No speaker is a dateline, a
      label before a colon, the object of a passive of telling, or a partitive head (the group
      after "of" speaks). `Quote.attribution` says which way a speaker was found (`ATTRIBUTIONS`).
    - Cost: every scan is bounded per cue; what cues ask of the parse (cues with a subject, cut
      points, word counts, roots) is read once per Doc into prefix counts (`_Index`), so a
      paragraph of thousands of nested cues costs what as many sentences do.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Iterator, NamedTuple

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, IS_ALPHA, LEMMA, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from . import extensions  # noqa: F401  (registers Doc._ attributes)
from .entities import Entity, entity_at
from ..text.lexicons import CueLexicon, QuoteWords, quote_words, rows, speech_cues
from ..text.names import is_first_name
from ..text.quotemarks import QUOTE_CHARS, Quotation, paragraphs, quotation_spans


class Quote(NamedTuple):
    """One quotation: what was said, how, and by whom."""

    article_id: str | None
    start: int
    end: int
    text: str
    kind: str  # direct / indirect / mixed
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_entity_id: str | None  # the speaker's entity key in this article
    speaker_start: int | None
    speaker_end: int | None
    attribution: str = "none"  # how the speaker was found (ATTRIBUTIONS)
    cue_lemma: str | None = None  # the cue's dictionary form: "say", "tell", "according to"


# How a quote's speaker was found, the values of `Quote.attribution`.
ATTRIBUTIONS = {
    "subject": "the grammatical source of the cue: its subject, passive agent or possessor",
    "apposition": "a role noun with the name the text gives it (\"the trust's chief executive, Mary Okafor\", "
                  "\"Chief executive of the trust Mary Okafor\")",
    "according_to": "the object of a phrase cue (\"according to X\")",
    "nearby_name": "the name beside a verb of saying whose subject the parse did not give",
    "colon": "the phrase before a colon (\"X said:\", \"X: ...\")",
    "dash": "a name signed after a dash (\"... ― X\")",
    "introduced": "introduced in the sentence before, by a cue without content",
    "previous_quote": "the speaker of the quote just before (a floating quote)",
    "pronoun": "a pronoun, resolved to its antecedent where the entities module links one",
    "role_noun": "a role noun (\"the spokesman\", \"the daily\") tied to a named entity by the entities module "
                 "or by an earlier apposition of the same role",
    "none": "no speaker found",
}


# ---------------------------------------------------------------- reported speech from the parse
class Attribution(NamedTuple):
    """A cue of reported speech with its source and content, as the parse shows them."""

    cue_start: int
    cue_end: int
    speaker: Token  # the source as written: the head token of its noun phrase, or a pronoun
    content: tuple[tuple[int, int], ...]  # character spans of the reported content (may be empty)
    cue: Token
    how: str = "subject"  # how the source was found (see ATTRIBUTIONS)


SET_OFF = (",", "—", "–", "-", "--", "(")  # what sets off a non-restrictive relative clause
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
CONTROLLED = ("advcl", "xcomp", "pcomp", "conj")  # a subjectless participle takes its head's subject
NP_LEFT = ("compound", "amod", "det", "poss", "nummod", "nmod", "case", "quantmod", "punct")
CONTENT_AFTER_OBJECT = ("prep", "oprd", "xcomp", "ccomp", "dative")
APPOSITION_WINDOW = 24  # tokens after a role noun in which a name in apposition is looked for


class _Index:
    """What every cue of one Doc asks about the parse, computed once, so that each cue costs the
    same however many others the paragraph holds: which tokens are cues with a subject (prefix
    counts), where content must be cut (relative clauses holding a cue, coordinated cue verbs
    without a subject), the alphabetic and dated words (prefix counts), each token's root, and the
    relative pronouns."""

    def __init__(self, doc: Doc, lexicon: CueLexicon) -> None:
        self.doc, self.lexicon = doc, lexicon
        n = len(doc)
        arr = doc.to_array([HEAD, DEP, POS, LEMMA, IS_ALPHA, ENT_TYPE, IDX, TAG, ORTH, LOWER])  # uint64: string ids as spaCy's hashes
        self.lemma_lower = arr[:, [3, 9]]  # lemma and lower-cased form, for the tokens that can start a cue
        heads = (numpy.arange(n) + arr[:, 0].astype("int64")).tolist()
        deps, pos, lemmas = arr[:, 1], arr[:, 2], arr[:, 3]
        self.starts = arr[:, 6].tolist()
        sid = get_string_id
        speech_verb = (pos == sid("VERB")) & numpy.isin(lemmas, [sid(w) for w in lexicon.verbs])
        phrasal = {tuple(w.split()) for w in lexicon.verbs if " " in w}  # "point out": the verb with its particle
        for i in numpy.flatnonzero((pos == sid("VERB")) & numpy.isin(lemmas, [sid(w[0]) for w in phrasal])).tolist():
            speech_verb[i] = any(c.dep_ == "prt" and (doc[i].lemma_, c.lower_) in phrasal for c in doc[i].children)
        subject = numpy.zeros(n, dtype=bool)  # has an nsubj child; has an nsubj or nsubjpass child
        any_subject = numpy.zeros(n, dtype=bool)
        heads_arr = numpy.array(heads, dtype="int64")
        subject[heads_arr[deps == sid("nsubj")]] = True
        any_subject[heads_arr[numpy.isin(deps, [sid("nsubj"), sid("nsubjpass")])]] = True
        self.cues = [0, *accumulate((speech_verb & subject).tolist())]  # cues before token i, for any range in O(1)
        dated = numpy.isin(arr[:, 5], [sid("DATE"), sid("TIME")])
        alpha = arr[:, 4].astype(bool)
        self.words = [0, *accumulate(alpha.tolist())]
        self.undated = [0, *accumulate((alpha & ~dated).tolist())]
        self.root = _roots(heads)
        self.wh = numpy.flatnonzero(numpy.isin(arr[:, 7], [sid("WDT"), sid("WP")])).tolist()
        # cut points: (token, lowest offset its cut can have, kind, the conjunction before it)
        cuts = []
        relcl = deps == sid("relcl")
        bare_conj = (deps == sid("conj")) & speech_verb & ~any_subject
        # a participle of saying after a comma: "..., pointing to ...", "..., noting that ..."
        comma_before = numpy.zeros(n, dtype=bool)  # a comma before, or a comma and a closing mark (“...,” noting)
        comma = arr[:, 8] == sid(",")
        comma_before[1:] = comma[:-1]
        closing = numpy.isin(arr[:, 8], [sid(c) for c in ("”", '"', "''", "’", "»")])
        comma_before[2:] |= comma[:-2] & closing[1:-1]
        clausal = numpy.zeros(n, dtype=bool)  # has a that-clause of its own to report
        clausal[heads_arr[deps == sid("ccomp")]] = True
        participle = speech_verb & ~any_subject & (arr[:, 7] == sid("VBG")) & comma_before & clausal \
            & numpy.isin(deps, [sid("advcl"), sid("xcomp"), sid("acl")])
        bare_conj = bare_conj | participle
        cc_id = sid("cc")
        for i in numpy.flatnonzero(relcl | bare_conj).tolist():
            t = doc[i]
            if relcl[i]:
                lo, hi = t.left_edge.i, t.right_edge.i + 1
                if self.cues[hi] > self.cues[lo] and lo > 0 and doc[lo - 1].text in SET_OFF:
                    cuts.append((i, lo - 1, "relcl", None))
            elif participle[i]:
                at = i - 1 if comma[i - 1] else i - 2
                cuts.append((i, at, "conj", at))
            elif not _same_clause(t, lexicon):
                cc = next((c.i for c in t.head.children if c.dep == cc_id and c.i < i), None)
                cuts.append((i, i if cc is None else min(cc, i), "conj", cc))
        self.cuts = cuts
        self.cut_at = [c[0] for c in cuts]
        self.lowest = list(accumulate(reversed([c[1] for c in cuts]), min))[::-1]  # suffix minima

    def has_cue(self, lo: int, hi: int) -> bool:
        """A cue with a subject among tokens lo:hi."""
        return self.cues[hi] > self.cues[lo]

    def right(self, tok: Token) -> int:
        """End (exclusive) of `tok`'s subtree, cut where another attribution begins inside it: a
        non-restrictive relative clause with its own cue (", which Russia had said ..."), or a cue verb
        without a subject coordinated into it ("... were planning an attack and saying ...", "... he
        would order a review and warned against ..."): each token reports once."""
        end = tok.right_edge.i + 1
        doc = self.doc
        k = bisect_left(self.cut_at, tok.left_edge.i)
        while k < len(self.cuts) and self.cut_at[k] < tok.right_edge.i + 1 and self.lowest[k] < end:
            i, cut, kind, cc = self.cuts[k]
            k += 1
            if kind == "relcl":
                if cut >= tok.i:
                    end = min(end, cut if doc[cut].text == "," else cut + 1)
            else:
                end = min(end, cc if cc is not None and cc > tok.i else i)
        return end

    def has_words(self, start: int, end: int) -> bool:
        """Content says something: two words or more, not only a date ("Thursday, May 7")."""
        if end <= start or not self.starts:
            return False
        lo = max(0, bisect_right(self.starts, start) - 1)
        if self.starts[lo] + len(self.doc[lo]) <= start:
            lo += 1
        hi = bisect_left(self.starts, end)
        return self.words[hi] - self.words[lo] >= 2 and self.undated[hi] > self.undated[lo]

    def wh_between(self, lo: int, hi: int) -> list[int]:
        """The relative pronouns among tokens lo:hi."""
        return self.wh[bisect_left(self.wh, lo):bisect_left(self.wh, hi)]


def _same_clause(conj: Token, lexicon: CueLexicon) -> bool:
    """A cue verb without a subject coordinated with a verb of the same form inside another cue's
    content belongs to that content ("says he spoke to Trump and asked him to ..."); one of another
    form is the outer cue's ("said he would order a review and warned against ...")."""
    return conj.tag_ == conj.head.tag_ and conj.head.dep_ == "ccomp" and not any(c.dep_ == "aux" for c in conj.children) \
        and conj.head.lemma_ not in lexicon.verbs \
        and not any(t.text[:1] in QUOTE_CHARS for t in conj.doc[conj.head.i:conj.i])  # “...” and continues


def _roots(heads: list[int]) -> list[int]:
    """The root of each token's tree, each head chain walked once."""
    root = [-1] * len(heads)
    for i in range(len(heads)):
        path = []
        j = i
        while root[j] < 0 and heads[j] != j:
            path.append(j)
            j = heads[j]
        r = j if root[j] < 0 else root[j]
        root[j] = r
        for p in path:
            root[p] = r
    return root


def reported_speech(doc: Doc, lexicon: CueLexicon | None = None) -> Iterator[Attribution]:
    """Yield the attributions of `doc` that have a source: cue verbs and nouns of the lexicon
    with their subject (or possessor) and content, and "according to X" with its clause."""
    lexicon = lexicon or speech_cues()
    if not len(doc) or not doc.has_annotation("DEP"):
        return
    yield from _reported(_Index(doc, lexicon))


def _reported(index: _Index) -> Iterator[Attribution]:
    doc, lexicon = index.doc, index.lexicon
    words = index.lemma_lower  # look at the few tokens that can start a cue, not at every one
    ids = numpy.array(sorted(get_string_id(w) for w in lexicon.triggers), dtype=words.dtype)
    for i in numpy.flatnonzero(numpy.isin(words[:, 0], ids) | numpy.isin(words[:, 1], ids)).tolist():
        att = _attribution(doc[i], index)
        if att is not None:
            yield att


def _attribution(tok: Token, index: _Index) -> Attribution | None:
    """The attribution `tok` cues, if it is a cue with a source."""
    lexicon = index.lexicon
    for phrase in lexicon.phrases:
        if tok.lower_ == phrase[0] and _matches(tok, phrase):
            return _according_to(tok, len(phrase))
    lemma = tok.lemma_
    if tok.pos_ in ("VERB", "AUX"):
        frames = lexicon.verbs.get(lemma)
        if lemma in lexicon.asides and _aside_of_cue(tok, lexicon):
            frames = lexicon.asides[lemma]
        particle = next((c for c in tok.children if c.dep_ == "prt"), None)
        if particle is not None and f"{lemma} {particle.lower_}" in lexicon.verbs:  # "point out"
            frames = lexicon.verbs[f"{lemma} {particle.lower_}"]
        if frames is None or (tok.dep_ == "xcomp" and tok.head.lemma_ in lexicon.blockers) or _extraposed(tok):
            return None
        speaker = _verb_speaker(tok, lexicon)
        if speaker is None:
            return None
        cue_start = tok.idx
        gov = _governor(tok)
        if gov is not None and gov.lemma_ in lexicon.governors:
            cue_start = gov.idx
        return Attribution(cue_start, tok.idx + len(tok), speaker, _verb_content(tok, frames, index), tok)
    if tok.pos_ == "NOUN" and lemma in lexicon.nouns:
        speaker = next((c for c in tok.children if c.dep_ == "poss"), None)
        if speaker is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            speaker = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        content = _frame_content(tok, lexicon.nouns[lemma], index)
        if speaker is None or not content:
            return None
        return Attribution(tok.idx, tok.idx + len(tok), speaker, content, tok)
    return None


def _aside_of_cue(verb: Token, lexicon: CueLexicon) -> bool:
    """A bare participle set off by a comma after a verb of saying ("“...,” she said, referring to the
    mayor"): the speaker says who or what the words are about. Alone ("the law referring to
    ownership", "he referred to the plan") the verb reports nothing."""
    head = verb.head
    return _bare_participle(verb) and verb.dep_ in ("advcl", "xcomp", "conj") and verb.i > head.i \
        and verb.doc[verb.i - 1].text == "," and head.pos_ == "VERB" \
        and head.lemma_ in lexicon.verbs


def _extraposed(verb: Token) -> bool:
    """An infinitive after "it is <adjective>": "it is fair to say that ...", "it's hard not to
    wonder whether ...": the writer's own hedge, said by no one (the "it" stands for the clause)."""
    if verb.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    head = verb.head  # under the adjective instead ("it is ready to announce"), "it" is someone who speaks
    if head.lemma_ != "be" and head.lower_ not in ("’s", "'s"):
        return False
    return any(c.dep_ == "acomp" for c in head.children) \
        and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children)


def _matches(tok: Token, phrase: tuple[str, ...]) -> bool:
    """The lower-cased words from `tok` on are `phrase`."""
    doc = tok.doc
    return tok.i + len(phrase) <= len(doc) and all(doc[tok.i + k].lower_ == w for k, w in enumerate(phrase))


def _governor(tok: Token) -> Token | None:
    """The verb a participial cue hangs from through "as" ("quoted as saying")."""
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
        return tok.head.head
    return None


def _verb_speaker(verb: Token, lexicon: CueLexicon | None = None) -> Token | None:
    """The source of a cue verb as written: its subject, its passive agent, or its controller's subject."""
    node = verb
    for _ in range(4):
        subjects = [c for c in node.children
                    if c.dep_ == "nsubj" or (node.i != verb.i and c.dep_ == "nsubjpass")]
        subjects = [c for c in subjects if _same_paragraph(c, node)]
        inverted = [c for c in subjects if c.left_edge.i == node.i + 1 and node.i > 0 and node.doc[node.i - 1].text == ","]
        if inverted:  # "And Okafor, said Reyes, does not forgive": the cue set off inside the clause, inverted
            return inverted[0]
        if subjects:  # the nearest, preceding first: "12:15 p.m. \n\n Donald Trump says"
            return min(subjects, key=lambda c: (c.i > node.i, abs(c.i - node.i)))
        if node.i == verb.i:
            inverted = _inverted_object(verb)
            if inverted is not None:
                return inverted
        for child in node.children:
            if child.dep_ == "nummod" and child.tag_ == "CD" and child.i < node.i:
                return child  # "About 4 in 10 say ...": the parser took the count for a modifier of the verb
            if child.dep_ == "csubj" and child.tag_ == "VBG" and child.i < node.i:
                # "Majorities of voters going to the polls said ...": a reduced relative read as a clause
                subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    return subject
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if node.i == verb.i and node.tag_ == "VBG":
            with_noun = _with_subject(node)
            if with_noun is not None:  # "The ad closes with the mayor saying ...": the mayor says it
                return with_noun
        if node.dep_ == "acl" and node.tag_ == "VBG":  # "officials saying that ..."
            return _addresser(node.head) or node.head
        if node.dep_ not in CONTROLLED or node.head.i == node.i:
            return None
        if node.dep_ == "conj" or (node.dep_ == "advcl" and _bare_participle(node)):
            outer = _cue_around(node.head, lexicon or speech_cues())
            if outer is not None:  # "She says the answer was X and says ...": coordinated with the cue
                node = outer
                continue
        if node.dep_ == "conj" and not _bare_participle(node):
            if node.tag_ not in ("VBD", "VBZ", "VBP") and not any(c.dep_ == "aux" for c in node.children):
                return None  # "... and have pledged to end it" has its auxiliary
        elif node.dep_ != "conj" and node.tag_ not in ("VBG", "VB"):
            return None
        if node.dep_ == "xcomp":  # object control: "pressed Stumpf to admit ..."
            obj = next((c for c in node.head.children if c.dep_ in ("dobj", "dative") and c.i < node.i), None)
            if obj is not None:
                return obj
        node = _controller(node)
        if node is None:
            return None
    return None


def _with_subject(participle: Token) -> Token | None:
    """The noun right before a participle after "with" ("with the mayor saying ...", "with footage of
    the mayor saying ..."): the subject of the absolute clause, however the parser hung the participle."""
    if participle.i == 0:
        return None
    noun = participle.doc[participle.i - 1]
    if noun.pos_ not in ("NOUN", "PROPN", "PRON") or noun.dep_ != "pobj" or noun.right_edge.i != participle.i - 1:
        return None
    prep = noun.head
    if prep.lower_ == "of" and prep.head.dep_ == "pobj":  # "with footage of Trump saying ...": Trump says it
        prep = prep.head.head
    return noun if prep.lower_ == "with" else None


HEARERS_OF = frozenset({"cite", "quote"})  # verbs whose object is a source, not a hearer ("cited aides saying")


def _addresser(noun: Token) -> Token | None:
    """The subject of the verb a participle's noun is the addressee of: in "emailed supporters
    saying ..." or "made a pitch to voters saying ..." the supporters and the voters hear; whoever
    emailed or pitched speaks. A named person or a source cited keeps the saying."""
    if noun.pos_ != "NOUN" or noun.dep_ not in ("dobj", "dative", "pobj"):
        return None
    verb = noun.head
    if noun.dep_ == "pobj":
        if verb.lower_ != "to":
            return None
        verb = verb.head.head if verb.head.pos_ == "NOUN" else verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_ in HEARERS_OF:
        return None
    words = quote_words()
    if noun.lemma_.lower() in words.document or noun.lemma_.lower() in words.occasion:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _inverted_object(verb: Token) -> Token | None:
    """The speaker the parser took for the object of a cue inverted after a quotation ("“...,”
    added a New Hampshire Democrat."): a cue right after a closing mark reports the quotation, so
    the noun after it is who said it."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].is_punct and doc[i].text[:1] not in QUOTE_CHARS:
        i -= 1
    if i < 0 or doc[i].text[:1] not in QUOTE_CHARS or not doc[i].is_punct:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    return obj


def _cue_around(tok: Token, lexicon: CueLexicon) -> Token | None:
    """The verb of saying whose clausal content `tok` is part of, if any: a cue the parser
    coordinated with the last verb of another cue's content belongs beside that cue."""
    node = tok
    for _ in range(8):
        if node.head.i == node.i:
            return None
        if node.dep_ in ("ccomp", "xcomp") and node.head.pos_ == "VERB" and node.head.lemma_ in lexicon.verbs:
            return node.head
        node = node.head
    return None


def _same_paragraph(a: Token, b: Token) -> bool:
    lo, hi = (a, b) if a.i < b.i else (b, a)
    return "\n" not in a.doc[lo.i:hi.i].text


def _bare_participle(tok: Token) -> bool:
    return tok.tag_ == "VBG" and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children)


def _controller(node: Token) -> Token | None:
    """The verb whose subject a subjectless cue shares.

    A bare participle coordinated under a finite verb ("claiming that rebels were planning an attack
    and saying ...") is a misattached coordination: it shares the subject of the nearest bare
    participle above it, not of the verb it hangs from.
    """
    head = node.head
    governor = _governor(node)
    if governor is not None:
        return governor
    if node.dep_ == "conj" and _bare_participle(node) and not _bare_participle(head):
        up = head
        while up.head.i != up.i:
            up = up.head
            if _bare_participle(up):
                return up
        return head
    return head


def antecedent(tok: Token) -> Token:
    """The noun a relative pronoun stands for ("the study, which notes ..."), else `tok`."""
    if tok.tag_ in ("WDT", "WP") and tok.head.dep_ in ("relcl", "acl") and tok.head.head.i != tok.head.i:
        return _who_after_of(tok, tok.head.head) or tok.head.head
    return tok


@lru_cache(maxsize=1)
def _people_nouns() -> frozenset[str]:
    return frozenset(r[0] for r in rows("nouns.tsv") if len(r) > 1 and r[1] in ("person", "agent", "org"))


def _who_after_of(who: Token, head: Token) -> Token | None:
    """The people "who" stands for when the parser hung it on a thing before them ("a rallying point
    for parents here, who have called ..."): "who" is said of people, so of the noun of the phrase
    that ends right before it, not of the thing."""
    if who.lower_ != "who" or head.pos_ != "NOUN" or head.ent_type_ or head.lemma_.lower() in _people_nouns():
        return None
    doc = who.doc
    for noun in head.subtree:
        if noun.dep_ == "pobj" and noun.i < who.i and all(t.is_punct or t.dep_ == "advmod" for t in doc[noun.i + 1:who.i]) \
                and (noun.tag_ in ("NNS", "NNPS") or noun.ent_type_ in ("PERSON", "NORP", "ORG")
                     or noun.lemma_.lower() in _people_nouns()):
            return noun
    return None


def _verb_content(verb: Token, frames: tuple[tuple[str, ...], ...], index: _Index) -> tuple[tuple[int, int], ...]:
    content = _frame_content(verb, frames, index)
    if not content and verb.dep_ == "conj" and verb.i > 0 and verb.doc[verb.i - 1].text == "," \
            and any(c.dep_ == "nsubj" and c.i > verb.i for c in verb.children):
        # "..., but it is under pressure, said the chief executive": the parser coordinated the
        # inverted cue with the clause it reports
        return _chars(verb.doc, max(verb.head.left_edge.i, verb.sent.start), verb.i - 1)
    if not content:
        content = _passive_object(verb, frames) or _gerund_clause(verb, frames)
    if content or verb.dep_ != "parataxis":
        return content
    # "The goal, he said, is to forge ...": the clause the cue interrupts, in its two pieces
    head, doc = verb.head, verb.doc
    rest = _remainder(verb, index)
    cut_lo, cut_hi = verb.left_edge.i, (rest[0] if rest else verb.right_edge.i + 1)
    pieces = [(head.left_edge.i, cut_lo), (cut_hi, max(head.right_edge.i + 1, rest[1] if rest else 0))]
    if _opens_quotation(doc, verb.i + 1) and _adverbial(doc, head.left_edge.i):
        pieces = pieces[1:]  # "When asked about it, he said, “...”": the words are the quotation, not the frame
    spans = [span for lo, hi in pieces if hi > lo and _a_piece(doc, lo, hi) for span in _chars(doc, lo, hi)]
    if any(index.has_words(s, e) for s, e in spans):  # "Mr. Okafor, aides said, would ...": a one-word piece too
        return tuple(spans)
    return _chars(doc, *max(pieces, key=lambda p: p[1] - p[0]))


def _gerund_clause(verb: Token, frames: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int], ...]:
    """A clause whose subject is a gerund, when the parser hung the gerund on the cue and the rest of
    the clause on the gerund ("He said seeing the results was a relief"): the content is the gerund
    and the clause under it."""
    if ("ccomp",) not in frames:
        return ()
    gerund = next((c for c in verb.children if c.dep_ == "xcomp" and c.i == verb.i + 1), None)
    if gerund is None or gerund.tag_ != "VBG" or any(c.dep_ in ("aux", "mark") for c in gerund.children):
        return ()
    clause = next((c for c in gerund.children if c.dep_ == "ccomp" and c.i > gerund.i
                   and (c.pos_ in ("VERB", "AUX") and c.tag_ in ("VBD", "VBZ", "VBP", "MD")
                        or any(a.dep_ == "aux" and a.tag_ == "MD" for a in c.children))), None)
    if clause is None:
        return ()
    return _chars(verb.doc, gerund.i, clause.right_edge.i + 1 - (clause.right_edge.is_punct))


def _passive_object(verb: Token, frames: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int], ...]:
    """The subject of a passive cue whose active takes a noun object as content, when the agent says
    who spoke: "The mayor was criticized by two rivals" reports the rivals' criticism of the mayor."""
    if not any("dobj" in frame for frame in frames) or not any(c.dep_ == "agent" for c in verb.children):
        return ()
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass" and c.i < verb.i), None)
    if subject is None or subject.pos_ == "PRON" and subject.tag_ == "WDT":
        return ()
    return _chars(verb.doc, subject.left_edge.i, subject.right_edge.i + 1)


def _opens_quotation(doc: Doc, i: int) -> bool:
    """Token i, past punctuation other than quotation marks, is an opening quotation mark."""
    while i < len(doc) and (doc[i].is_space or (doc[i].is_punct and doc[i].text[:1] not in QUOTE_CHARS)):
        i += 1
    return i < len(doc) and doc[i].text[:1] in QUOTE_CHARS


def _adverbial(doc: Doc, i: int) -> bool:
    """Token i opens an adverbial phrase or clause: a preposition or subordinator ("In his book,",
    "When asked ...,")."""
    while i < len(doc) and (doc[i].is_space or doc[i].is_punct):
        i += 1
    return i < len(doc) and doc[i].pos_ in ("ADP", "SCONJ") or doc[i].tag_ == "WRB"


NOT_REMAINDER = frozenset({"as", "when", "while", "after", "before", "since", "until", "according"})


def _remainder(cue: Token, index: _Index) -> tuple[int, int] | None:
    """Tokens lo:hi of what the parser hung on a cue after the comma that closes it, when that
    continues the content before the cue: "The talks covered many topics, the minister said,
    including fishing" ("including fishing"), "He prefers the train, he said, because it is quieter"."""
    doc = cue.doc
    start = min([cue.i] + [c.left_edge.i for c in cue.lefts if c.dep_ in ("nsubj", "nsubjpass")])
    if any(t.text[:1] in QUOTE_CHARS for t in doc[max(0, start - 2):start]):
        return None  # after a quotation (“...,” he said, as he left) the rest is narrative
    comma = next((c for c in cue.rights if c.text == "," and c.dep_ == "punct"), None)
    if comma is None:
        return None
    after = [c for c in cue.rights if c.i > comma.i and not (c.is_punct or c.is_space)]
    if not after:
        return None
    lo, hi = min(c.left_edge.i for c in after), max(index.right(c) for c in after)
    first = doc[lo]
    if first.lower_ in NOT_REMAINDER or first.tag_ == "VBN" or (first.tag_ == "VBG" and first.dep_ != "prep") \
            or any(c.dep_ in ("appos", "npadvmod") for c in after) or index.has_cue(lo, hi) \
            or not index.has_words(first.idx, doc[hi - 1].idx + 1):
        return None
    return lo, hi


def _frame_content(tok: Token, frames: tuple[tuple[str, ...], ...], index: _Index) -> tuple[tuple[int, int], ...]:
    """Character spans of the dependents the first matching frames name, one span per side of `tok`."""
    lexicon = index.lexicon
    children = list(tok.children)
    two_objects = any(c.dep_ == "dative" for c in children)  # "would deny Democrats a landslide"
    clausal = tok.pos_ == "NOUN"  # a noun's content is a that-clause: "his claim that ...", not "the statement released"
    chosen: set[int] = set()
    for frame in frames:
        hits = [_frame_child(children, dep) for dep in frame]
        if frame == ("dobj",) and two_objects:
            continue
        if frame == ("dobj",) and hits[0] is not None and _no_message(hits[0], lexicon):
            continue  # "denied the claims", "announced a fine": a message named, or a thing, not a message given
        if clausal:
            hits = [h for h in hits if h is not None and any(c.dep_ == "mark" for c in h.children)] or [None]
        if all(h is not None for h in hits):
            chosen.update(h.i for h in hits)
            if any(d == "dobj" or d.startswith("prep:") for d in frame):  # "called for X to do Y"
                last = max(h.i for h in hits)
                for c in children:
                    if c.i <= last:
                        continue
                    if c.dep_ not in CONTENT_AFTER_OBJECT or index.has_cue(c.left_edge.i, c.right_edge.i + 1) \
                            or (c.dep_ == "prep" and _adjunct(c)) or c.ent_type_ in ("DATE", "TIME"):
                        break  # "praised Clinton in a video where she said ...", "criticized X during a debate": at "X"
                    chosen.add(c.i)
    if not chosen:
        return ()
    chosen.update(_more_content(tok, chosen))
    doc = tok.doc
    spans = []
    # content before its cue is a fronted clause ("“...,” he said"), never an object or a phrase
    left = [i for i in chosen if i < tok.i and doc[i].dep_ == "ccomp"]
    for side in (left, [i for i in chosen if i > tok.i]):
        if side:
            lo = min(_left(doc[i]) for i in side)
            hi = max(index.right(doc[i]) for i in side)
            if side[0] > tok.i:  # content never holds its own cue
                lo, hi = max(lo, tok.i + 1), _continuation(tok, hi, index)
                hi = _without_frame(doc, lo, _without_comment(doc, lo, hi))
            else:
                hi = min(hi, tok.i)
                if doc[lo].pos_ == "ADP" and not any(c.dep_ in SUBJECTS for i in side for c in doc[i].children):
                    continue  # "In his book, “Title,” he suggested ...": a fronted phrase, no clause
            if not index.has_words(doc[lo].idx, doc[hi - 1].idx + 1):
                continue
            gap = _gap(index, tok, lo, hi)
            if gap is not None and not _subject_gap(gap, lo, hi):
                continue  # "the stockpile, which Russia said it would eliminate": no whole proposition
            if gap is not None:  # "the policies, which he said had harmed ...": the pronoun, then the clause
                spans.append((gap.idx, gap.idx + len(gap)))
            aside = _aside(doc, [doc[i] for i in side], lo, hi) if side[0] > tok.i else None
            if aside is not None:  # "that Mrs. Okafor, who has raised the most, still faces ...": the writer's aside
                spans.extend(_chars(doc, lo, aside[0]) + _chars(doc, aside[1], hi))
            else:
                spans.extend(_chars(doc, lo, hi))
    if left and not any(i > tok.i for i in chosen):  # "It is no surprise, he said, that ..."
        rest = _remainder(tok, index)
        if rest is not None:
            spans.extend(_chars(doc, *rest))
    return tuple(spans)


COMMENTS = frozenset({"which", "who", "where"})  # relative pronouns that open a writer's comment
COMMENT_WINDOW = 80  # tokens from the end of a content span in which a comment is looked for


def _without_comment(doc: Doc, lo: int, hi: int) -> int:
    """End content lo:hi before what the writer adds at its end: a parenthesis ("said he would end the
    break (a tax break for fund managers)") or a relative clause set off by a comma ("said he would no
    longer defend him, which has sparked a feud", "said it helped the mayor, who has no need to ...");
    what the speaker said ends before them. A relative clause holding a quotation stays: the speaker's."""
    cut, closed, quoted = hi, False, False
    for i in range(hi - 1, max(lo, hi - COMMENT_WINDOW), -1):  # from the end, a bounded walk: linear per cue
        tok = doc[i]
        quoted = quoted or tok.text[:1] in QUOTE_CHARS
        if tok.text == "(" and not closed:
            cut = i  # a parenthesis running to the end of the content
        elif tok.lower_ in COMMENTS and doc[i - 1].text == "," and tok.head.dep_ == "relcl" \
                and tok.head.right_edge.i >= hi - 1 and not quoted:
            cut = i - 1
        closed = closed or (tok.text == ")" and i < hi - 1)
    return cut


def _without_frame(doc: Doc, lo: int, hi: int) -> int:
    """`hi` cut before a closing "in a statement", "in an interview with CNN on Sunday", "in a tense
    exchange last month": the occasion of the saying, which the parser hung inside what was said.
    Only one with "a" (a "the" or a bare plural can be part of what was said) and nothing but its
    own words and dates after it."""
    frames = quote_words().frame
    for i in range(max(lo + 2, hi - COMMENT_WINDOW), hi):
        tok = doc[i]
        if tok.lower_ != "in" or tok.dep_ != "prep":
            continue
        noun = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lemma_.lower() not in frames:
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children):
            continue  # "to take part in media interviews", "in the interview": part of what was said
        end = max(tok.right_edge.i + 1, i + 1)
        if all(t.is_punct or t.ent_type_ in ("DATE", "TIME") or t.pos_ in ("ADP", "DET") for t in doc[end:hi]):
            return i
    return hi


def _more_content(cue: Token, chosen: set[int]) -> list[int]:
    """Dependents of the cue after its clausal content that go on with it: a coordinated that-clause
    the parser hung on the cue ("said the border must be secured, but that he would not back mass
    deportation")."""
    clause = [i for i in chosen if i > cue.i and cue.doc[i].dep_ == "ccomp"]
    if not clause:
        return []
    after = max(clause)
    return [c.i for c in cue.rights if c.i > after and c.dep_ == "conj"
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]


def _aside(doc: Doc, heads: list[Token], lo: int, hi: int) -> tuple[int, int] | None:
    """Tokens a:b of a non-restrictive relative clause or apposition set off inside the subject of
    the reported clause ("that the billionaire, who is now the nominee, would unite ..."): the
    writer's words, not the speaker's, which PolNeAR leaves out of the content's two pieces."""
    for head in heads:
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < head.i), None)
        if subject is None:
            continue
        for c in subject.rights:
            if c.dep_ not in ("relcl", "appos"):
                continue
            a, b = c.left_edge.i - 1, c.right_edge.i + 1
            if lo < a and b < hi - 1 and doc[a].text in SET_OFF and doc[b].text in SET_OFF[:-1]:
                return a, b + 1
    return None


def _adjunct(prep: Token) -> bool:
    """A preposition of time or circumstance ("during a debate", "following the shooting", "on
    Sunday"): after the object of a cue it frames the saying, not what was said."""
    if prep.lower_ in quote_words().adjunct:
        return True
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _no_message(obj: Token, lexicon: CueLexicon) -> bool:
    """A bare noun object that gives no message: a noun that names one ("the claims", "his
    account") or a thing or event ("a fine", "responsibility"), with no clause or quotation of its own."""
    words = quote_words()
    lemma = obj.lemma_.lower()
    if lemma not in words.message and lemma not in words.thing and lemma not in lexicon.nouns:
        return False
    return not any(c.dep_ in ("acl", "relcl", "ccomp") or (c.is_punct and c.text[:1] in QUOTE_CHARS)
                   for c in obj.subtree if c.i != obj.i)


def _continuation(cue: Token, hi: int, index: _Index) -> int:
    """Extend content that ends mid-clause over what the parser hung above the cue.

    In "the day Gerasimov threatened to target US forces should they retaliate ...", the
    conditional continues the content but is attached to the main verb before the cue; content
    then runs on to the next punctuation. A continuation headed by the sentence root (the main
    clause after a subject's relative clause) is not content.
    """
    doc = cue.doc
    sent_end = doc[index.root[cue.i]].right_edge.i + 1
    if hi >= sent_end or doc[hi].is_punct or doc[hi].is_space:
        return hi
    top = doc[hi]
    while top.head.i >= hi and top.head.i != top.i:
        top = top.head
    if top.head.i == top.i or top.head.i >= cue.i or top.dep_ in ("npadvmod", "advmod", "prep", "punct"):
        return hi
    end = hi
    while end < sent_end and not doc[end].is_punct and "\n" not in doc[end].text:
        end += 1
    return end


def _gap(index: _Index, cue: Token, lo: int, hi: int) -> Token | None:
    """The relative pronoun an argument of the content was moved to: "the stockpile, which Russia
    said it would eliminate", "what he calls corruption". The content then reports in two pieces,
    as PolNeAR annotates it: the pronoun (standing for what it refers to) and the clause."""
    for i in index.wh_between(min(cue.left_edge.i, lo), lo):
        t = index.doc[i]
        if lo <= t.head.i < hi or (t.head.i == cue.i and t.dep_ not in ("nsubj", "nsubjpass")):
            return t
    return None


def _subject_gap(wh: Token, lo: int, hi: int) -> bool:
    """The relative pronoun is the subject of the reported clause: "which he said had harmed the
    economy" reports that the policies had harmed it."""
    return wh.dep_ in ("nsubj", "nsubjpass") and lo <= wh.head.i < hi


def _frame_child(children: list[Token], dep: str) -> Token | None:
    if dep.startswith("prep:"):
        word = dep[5:]
        return next((c for c in children if c.dep_ in ("prep", "dative") and c.lower_ == word), None)
    found = next((c for c in children if c.dep_ == dep), None)
    if found is not None and dep == "ccomp" and found.i < found.head.i:
        # "One point stays with me: my friends tell me they ...": a clause before a colon leads in
        between = found.doc[found.right_edge.i + 1:found.head.i]
        if any(t.text == ":" for t in between):
            found = next((c for c in children if c.dep_ == dep and c.i > c.head.i), None)
    if found is not None and dep == "dobj" and found.ent_type_ in ("DATE", "TIME"):
        return None  # "announced Thursday, May 7, the start of ...": a date the parser took for the object
    if found is None and dep == "ccomp":  # a clause the parser read as an object: "said he had secured contracts"
        found = next((c for c in children if c.dep_ == "dobj" and c.i > c.head.i
                      and (any(t.dep_ in ("nsubj", "nsubjpass") and t.i < c.i for t in c.subtree)
                           or _clause_as_object(c))), None)
    if found is None and dep == "ccomp":
        found = _clause_after_adjunct(children)
    return found


def _clause_after_adjunct(children: list[Token]) -> Token | None:
    """A that-clause the parser hung on the noun of a phrase between the cue and the clause ("said
    following a vote that he had ...", "says in a statement that the plan ..."): a relative clause
    has no "that" of its own as a marker, so this one is the cue's content."""
    for prep in children:
        if prep.dep_ != "prep" or prep.i < prep.head.i:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for c in obj.rights:
                if c.dep_ in ("acl", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i
                                                     for m in c.children):
                    return c
    return None


def _clause_as_object(obj: Token) -> bool:
    """A noun object of "say" (which takes a clause, never a thing) holding a verb of its own that the
    parser hung on it ("say the more delegates he takes, the more leverage he has", "said families of people
    hurt by police file lawsuits"): a clause misparsed, not a thing said."""
    return obj.head.lemma_ == "say" and obj.pos_ in ("NOUN", "PROPN") and any(t.pos_ == "VERB" and t.dep_ in ("relcl", "acl") for t in obj.subtree) \
        and obj.right_edge.i - obj.left_edge.i >= 4


def _left(tok: Token) -> int:
    return tok.left_edge.i


def _chars(doc: Doc, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """Character span of tokens lo:hi without edge punctuation and spaces (quotation marks kept)."""
    while lo < hi and (doc[lo].is_space or (doc[lo].is_punct and doc[lo].text[0] not in QUOTE_CHARS)):
        lo += 1
    while hi > lo and (doc[hi - 1].is_space or (doc[hi - 1].is_punct and doc[hi - 1].text[0] not in QUOTE_CHARS)):
        hi -= 1
    if hi <= lo:
        return ()
    return ((doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])),)


def _according_to(tok: Token, length: int) -> Attribution | None:
    """"according to X": X is the source, the rest of the clause the content."""
    doc = tok.doc
    last = doc[tok.i + length - 1]
    source = next((c for c in last.children if c.dep_ == "pobj"), None) \
        or next((c for c in tok.children if c.dep_ == "pobj"), None)
    if source is None:  # "according to show insiders": the parser read a verb; take the first noun
        source = next((t for t in last.subtree if t.i > last.i and t.pos_ in ("NOUN", "PROPN", "PRON")), None)
        while source is not None and source.dep_ == "compound" and source.head.i > source.i:
            source = source.head
    if source is None:
        return None
    phrase_lo, phrase_hi = tok.i, max(tok.right_edge.i, last.right_edge.i) + 1
    sent = tok.sent
    head = tok.head if tok.head.i != tok.i else sent.root
    while head.dep_ == "conj" and head.head.i < head.i < phrase_lo:
        head = head.head  # "X, and Y, according to Z": the whole coordination
    lo, hi = max(head.left_edge.i, sent.start), min(head.right_edge.i + 1, sent.end)
    pieces = [(lo, phrase_lo), (phrase_hi, hi)]
    if _between_commas(doc, phrase_lo, phrase_hi) and all(_a_piece(doc, a, b) for a, b in pieces):
        # "Fundraising, according to the campaign, has surged": the clause the phrase interrupts, in its pieces
        return Attribution(tok.idx, last.idx + len(last), source, _chars(doc, *pieces[0]) + _chars(doc, *pieces[1]),
                           tok, "according_to")
    best = max(pieces, key=lambda p: p[1] - p[0])
    return Attribution(tok.idx, last.idx + len(last), source, _chars(doc, *best), tok, "according_to")


def _a_piece(doc: Doc, lo: int, hi: int) -> bool:
    """Tokens lo:hi can be a piece of content: a word other than a conjunction ("But, he added,
    ..." has none), and not an apposition to the source ("..., according to WKOW, the ABC affiliate")."""
    words = [t for t in doc[lo:hi] if t.is_alpha and t.pos_ not in ("CCONJ", "INTJ")]
    roots = [t for t in doc[lo:hi] if not lo <= t.head.i < hi]
    return bool(words) and not any(t.dep_ == "appos" for t in roots)


def _between_commas(doc: Doc, lo: int, hi: int) -> bool:
    """Tokens lo:hi are set off by a comma on each side."""
    return lo > 0 and doc[lo - 1].text == "," and hi < len(doc) and doc[hi].text == ","


# ---------------------------------------------------------------- speaker mentions
def mention_span(tok: Token) -> tuple[int, int]:
    """Token range of the speaker's mention around its head token `tok`.

    A pronoun is itself; a common noun with a name in apposition ("the US ambassador to the UN,
    Nikki Haley") is that name; otherwise the noun phrase up to its head: its determiner,
    compounds, modifiers and possessor, not the phrases that follow ("a spokesman", not "a
    spokesman for Dunford").
    """
    if tok.pos_ == "PRON":
        return tok.i, tok.i + 1
    doc = tok.doc
    if tok.pos_ == "NOUN":
        for i in range(tok.i + 1, min(tok.right_edge.i + 1, tok.i + APPOSITION_WINDOW)):
            if doc[i].ent_iob_ != "B" or doc[i].ent_type_ not in ("PERSON", "ORG"):
                continue
            start, end = _entity_around(doc, i)
            if end - 1 > tok.right_edge.i:
                continue
            lo = start
            while lo > tok.i + 1 and doc[lo - 1].dep_ == "compound" and doc[lo - 1].head.i >= start:
                lo -= 1  # a title before the name: "the chairman, Gen. Joseph Dunford"
            if doc[lo - 1].text == ",":
                return lo, end
        named = _name_after_of(tok)
        if named is not None:
            return named
    lo = tok.i
    for child in tok.lefts:  # not a date the parser took for a compound ("Tuesday Trump")
        if any(c.dep_ == "nsubj" for c in child.children):
            continue  # a clause read as a modifier: "The paper quoted officials saying ..." is "officials"
        if child.dep_ in NP_LEFT and (child.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL") or tok.like_num):
            lo = min(lo, child.left_edge.i)
    hi = tok.i + 1
    if tok.ent_iob_ in ("B", "I"):  # the whole name the head ends, e.g. "Gen. Joseph Dunford"
        start, end = _entity_around(doc, tok.i)
        lo, hi = min(lo, start), max(hi, end)
    while lo < tok.i and not doc[lo].is_alpha and not doc[lo].is_digit:  # "― Christina Lastra"
        lo += 1
    if "\n" in doc[lo:tok.i].text:
        lo = tok.i
    return lo, hi


def _name_after_of(tok: Token) -> tuple[int, int] | None:
    """The person named at the end of a role noun's "of" phrase, with no comma: "Chief executive
    of the Housing Trust Mary Okafor" -> "Mary Okafor" (a first name, then capitalised words to the end)."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if pobj is None or pobj.pos_ != "PROPN":
        return None
    doc = tok.doc
    i = pobj.i
    while i - 1 > of.i and doc[i - 1].pos_ == "PROPN" and doc[i - 1].is_title:
        i -= 1
    for j in range(i + 1, pobj.i):  # a first name after the organisation's words, and a surname
        if is_first_name(doc[j].text) and doc[j - 1].pos_ == "PROPN":
            return j, pobj.i + 1
    return None


def _entity_around(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the named entity token `i` belongs to (read from IOB tags: cheaper than `doc.ents`)."""
    start = i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


# ---------------------------------------------------------------- quotes
class _Found(NamedTuple):
    start: int
    end: int
    kind: str
    cue_start: int | None
    cue_end: int | None
    speaker: Token | None  # the source as written ("he", "who", "Ryder")
    paragraph: int
    how: str = "none"  # how the speaker was found (ATTRIBUTIONS)


SENTENCE_END = frozenset({".", "!", "?"})
DASHES = "—–―-"
INTRODUCERS = frozenset({":", ","})


class _Context:
    """What the steps of `quotes` share about one Doc."""

    def __init__(self, doc: Doc, lexicon: CueLexicon) -> None:
        self.doc, self.text, self.lexicon = doc, doc.text, lexicon
        self.marks = quotation_spans(self.text)
        self.paragraphs = list(paragraphs(self.text)) or [(0, len(self.text))]
        self.para_starts = [p[0] for p in self.paragraphs]
        self.index = _Index(doc, lexicon) if len(doc) and doc.has_annotation("DEP") else None
        if self.index is not None:  # the index holds the token offsets already
            self.tok_starts = self.index.starts
        else:
            self.tok_starts = doc.to_array(IDX).tolist() if len(doc) else []
        self.mark_opens = [q.open_start for q in self.marks]
        self.mark_closes = [q.close_end for q in self.marks]
        self.inside = [-1] * len(doc)  # for each token, the quotation whose marks enclose it, else -1
        for k, q in enumerate(self.marks):
            for i in range(bisect_left(self.tok_starts, q.open_start), bisect_left(self.tok_starts, q.close_end)):
                self.inside[i] = k

    def marks_within(self, start: int, end: int) -> range:
        """The quotations (their indexes in `marks`) whose marks overlap `start:end`."""
        return range(bisect_right(self.mark_closes, start), bisect_left(self.mark_opens, end))

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right(self.para_starts, offset) - 1)

    def token_before(self, offset: int, *, spaces: bool = False) -> Token | None:
        """The last token before character `offset`, skipping whitespace tokens unless `spaces`."""
        i = bisect_left(self.tok_starts, offset) - 1
        while i >= 0 and not spaces and self.doc[i].is_space:
            i -= 1
        return self.doc[i] if i >= 0 else None


def quotes(doc: Doc, *, lexicon: CueLexicon | None = None, unattributed: bool = True) -> Iterator[Quote]:
    """Yield the direct, indirect and mixed quotes of an analysed `doc`, in text order.

    Args:
        doc: a Doc from the toolkit's pipeline (parsed; `toolkit_entities` has run so speakers
            resolve to entities; without it speakers stay as written).
        lexicon: cue lexicon; the bundled `speech_cues.tsv` when None.
        unattributed: also yield direct quotes set off as speech whose speaker was not found
            (speaker null).

    Yields:
        `Quote` records; `text[start:end]` is the content, quotation marks outside.
    """
    ctx = _Context(doc, lexicon or speech_cues())
    parsed = _reported(ctx.index) if ctx.index is not None else ()
    atts = [a for a in parsed if ctx.inside[a.cue.i] < 0 and ctx.inside[a.speaker.i] < 0]
    atts = _outermost(atts + list(_labelled_paragraphs(ctx)))
    used: set[int] = set()
    found = _from_parse(ctx, atts, used)
    found.extend(_from_marks(ctx, {a.cue.i: a for a in atts}, used, unattributed, found))
    yield from _records(ctx, found)


def _from_parse(ctx: _Context, atts: list[Attribution], used: set[int]) -> list[_Found]:
    """Records of what the parse attributes: indirect content, or content that is or holds quotations."""
    text, marks = ctx.text, ctx.marks
    found = []
    for att in atts:
        p_start, p_end = ctx.paragraphs[ctx.paragraph_of(att.cue_start)]
        for c_start, c_end in att.content:
            if c_start < p_start or c_end > p_end:  # the parser ran a sentence over a line break
                c_start, c_end = max(c_start, p_start), min(c_end, p_end)
                if not ctx.index.has_words(c_start, c_end):
                    continue

            hit = ctx.marks_within(c_start, c_end)
            if hit and all(k in used for k in hit):
                continue  # another cue already claimed these quotations
            cue = (att.cue_start, att.cue_end, att.speaker)
            how = att.how
            if not hit:
                found.append(_Found(c_start, c_end, "indirect", *cue, ctx.paragraph_of(c_start), how))
                continue
            covered = sum(min(c_end, marks[k].close_end) - max(c_start, marks[k].open_start) for k in hit)
            quoted = hit if covered >= 0.9 * _core_length(text, c_start, c_end) else \
                _only_quoted(ctx, att, c_start, c_end, hit)
            if quoted is not None:
                for k in quoted:
                    if k not in used:
                        found.append(_Found(marks[k].start, marks[k].end, "direct", *cue, marks[k].paragraph, how))
                        used.add(k)
            else:
                lo = min([c_start] + [marks[k].open_start for k in hit])
                hi = max([c_end] + [marks[k].close_end for k in hit])
                found.append(_Found(lo, hi, "mixed", *cue, ctx.paragraph_of(lo), how))
                used.update(hit)
    return found


def _only_quoted(ctx: _Context, att: Attribution, c_start: int, c_end: int, hit: range) -> range | None:
    """The quotations that are the whole quote when the words outside them report nothing, else
    None: those after a lead-in set off by a colon, when their cue follows them ("Over lunch he
    turned to the budget: “It is a mess,” he said"), or a quotation that opens the content before
    what the speaker did next or when ("wrote, “It is time,” and shared a link", "saying, “It is
    time,” when the vote came"), which the writer narrates."""
    marks, doc = ctx.marks, ctx.doc
    last = marks[hit[-1]]
    if not last.closed:
        return None
    if att.cue.idx >= last.close_end and c_end <= last.close_end:
        before = ctx.token_before(last.open_start)
        return hit[-1:] if before is not None and before.text == ":" and before.idx >= c_start else None
    if len(hit) > 1 or c_start < last.open_start or c_end <= last.close_end:
        return None
    i = bisect_left(ctx.tok_starts, last.close_end)
    while i < len(doc) and (doc[i].is_punct or doc[i].is_space):
        i += 1
    if i + 1 >= len(doc) or doc[i + 1].idx >= c_end:
        return None
    word, nxt = doc[i], doc[i + 1]
    then = word.pos_ == "CCONJ" and nxt.pos_ == "VERB" and not any(c.dep_ in SUBJECTS for c in nxt.children)
    return hit if then or word.lower_ in NOT_REMAINDER else None


def _from_marks(ctx: _Context, by_cue: dict[int, Attribution], used: set[int], unattributed: bool,
                found: list[_Found]) -> list[_Found]:
    """Records for the quotations the parse left alone: a cue in their sentence, a colon, a dash;
    then a speaker introduced in the sentence before, floating quotes and the later pieces of
    quotations running over paragraphs."""
    out, pending = [], []
    for k, q in enumerate(ctx.marks):
        if k in used or not _set_off(ctx, q):
            continue  # a term or title quoted inside running text, not something said
        hit = _window_speaker(ctx, q, by_cue)
        if hit is None:
            pending.append(k)
        else:
            out.append(_Found(q.start, q.end, "direct", *hit[:3], q.paragraph, hit[3]))
    records = sorted(found + out, key=lambda f: f.start)
    group_of = {q.start: q.group for q in ctx.marks}
    by_group: dict[int, _Found] = {}
    for f in records:
        if f.kind == "direct" and f.start in group_of:
            by_group.setdefault(group_of[f.start], f)
    starts = [f.start for f in records]
    for k in pending:
        q = ctx.marks[k]
        prev = by_group.get(q.group)
        pos = bisect_left(starts, q.start)
        opens = _opens_sentence(ctx, q)
        intro = _introduced(ctx, q, by_cue, records[pos - 1].end if pos > 0 else 0) if prev is None and opens else None
        if intro is None and prev is None and pos > 0 and opens:
            last = records[pos - 1]  # the latest attribution, if in this paragraph or the one before
            if last.speaker is not None and last.paragraph >= q.paragraph - 1:
                prev = last
        if intro is not None:
            f = _Found(q.start, q.end, "direct", intro.cue_start, intro.cue_end, intro.speaker, q.paragraph,
                       "introduced")
        elif prev is not None:
            f = _Found(q.start, q.end, "direct", None, None, prev.speaker, q.paragraph, "previous_quote")
        elif unattributed and _is_statement(ctx.text, q):
            f = _Found(q.start, q.end, "direct", None, None, None, q.paragraph)
        else:
            continue
        records.insert(pos, f)
        starts.insert(pos, f.start)
        by_group.setdefault(q.group, f)
        out.append(f)
    return out


def _introduced(ctx: _Context, q: Quotation, by_cue: dict[int, Attribution], after: int) -> Attribution | None:
    """A cue with a source but no content in the sentence just before the quotation: the speaker
    introduced, the words following ("Her friend Brittany Lockwood chimed in. “I did not ...”")."""
    doc = ctx.doc
    i = bisect_left(ctx.tok_starts, q.open_start) - 1
    ends = 0
    while i >= 0 and doc[i].idx >= after:
        tok = doc[i]
        if "\n" in tok.text and ctx.paragraph_of(tok.idx) < q.paragraph - 1:
            return None
        if ctx.inside[i] >= 0:
            return None
        if tok.text in SENTENCE_END:
            ends += 1
            if ends > 1:
                return None
        att = by_cue.get(i)
        if att is not None:
            return None if att.content else att
        i -= 1
    return None


NOT_SOURCES = ("ADV", "VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PART", "PUNCT", "SYM", "INTJ")


def _source(tok: Token) -> Token | None:
    """The speaker a source token stands for, or None when it is none: past a dateline ("PARIS —
    France's largest union, the CGT, said"), through a partitive to the group it counts ("a wave
    of protesters" -> "protesters"); never a label before a colon ("Twitter:") nor a word that is
    no noun nor name ("only", "rather")."""
    words = quote_words()
    for _ in range(4):
        dash = _dateline_end(tok)
        if dash is not None:  # the name after the dash, not the agency in brackets
            tok = next((c for c in tok.children if c.dep_ == "appos" and c.i > dash), None)
            if tok is None:
                return None
            continue
        group = _partitive_of(tok, words)
        if group is None:
            break
        tok = group
    if tok.pos_ in NOT_SOURCES and not tok.ent_type_ and tok.tag_ not in ("WDT", "WP"):
        return None
    if _label(tok, words):
        return None
    return _issuer(antecedent(tok), words) or tok


def _issuer(tok: Token, words: QuoteWords) -> Token | None:
    """Who speaks through a document or at an occasion: "The union issued a statement saying ..."
    -> "The union", "a letter the campaign sent alleging ..." -> "the campaign", "she said at a
    rally, blasting ..." -> "she"; None when the text does not say."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or (lemma not in words.document and lemma not in words.occasion):
        return None
    verb = tok.head if tok.dep_ in ("dobj", "dative") else None
    if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
        verb = tok.head.head  # "voted for the resolution, which said ...", "spoke at a rally, blasting ..."
    if verb is not None and (verb.lemma_ in words.issue or lemma in words.occasion):
        return _verb_speaker(verb)
    sent = next((c for c in tok.children if c.dep_ == "relcl" and c.lemma_ in words.issue
                 and not any(x.dep_ == "dobj" for x in c.children)), None)
    return next((c for c in sent.children if c.dep_ == "nsubj"), None) if sent is not None else None


def _dateline(tok: Token) -> bool:
    """`tok` ends the place name that opens its paragraph before a dash: "PARIS —", "NEW YORK (AP)
    —", "LEEDS, May 3 (UPI) —", "Leeds (AFP) –" (a place in ordinary capitals needs its agency)."""
    return _dateline_end(tok) is not None


def _dateline_end(tok: Token) -> int | None:
    """The index of the dash that closes the dateline `tok` ends, or None."""
    doc = tok.doc
    if not (tok.is_alpha and tok.text[:1].isupper()):
        return None
    lo = tok.i
    while lo > 0 and doc[lo - 1].is_alpha and doc[lo - 1].text[:1].isupper():
        lo -= 1
    if lo > 0 and not (doc[lo - 1].is_space and "\n" in doc[lo - 1].text):
        return None
    j, n = tok.i + 1, len(doc)
    if j < n and doc[j].text == ",":  # a date: "LEEDS, May 3 (UPI) —"
        k = j + 1
        while k < min(j + 5, n) and (doc[k].ent_type_ == "DATE" or doc[k].like_num):
            k += 1
        j = k if k > j + 1 else j
    agency = j < n and doc[j].text == "("
    if agency:
        j = next((k + 1 for k in range(j, min(j + 5, n)) if doc[k].text == ")"), j)
    if not (tok.is_upper or agency):
        return None
    return j if j < n and doc[j].text in ("—", "–", "-", "--", "―") else None


def _partitive_of(tok: Token, words: QuoteWords) -> Token | None:
    """The group a partitive head counts: "protesters" in "a wave of protesters", "voters" in "half of voters"."""
    if tok.lower_ not in words.partitive and tok.lemma_.lower() not in words.partitive:
        return None
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _label(tok: Token, words: QuoteWords) -> bool:
    """A label word just before a colon: "Twitter: @handle", "Email:"."""
    doc = tok.doc
    return tok.lower_ in words.label and tok.i + 1 < len(doc) and doc[tok.i + 1].text == ":"


def _records(ctx: _Context, found: list[_Found]) -> Iterator[Quote]:
    doc, text = ctx.doc, ctx.text
    resolved: dict[int, tuple] = {}
    roles = _Roles(doc)
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        name = entity_id = s_start = s_end = None
        how = "none"
        speaker = _source(f.speaker) if f.speaker is not None else None
        if speaker is None and f.kind != "direct":
            continue  # reported speech is only what someone reports
        if speaker is not None:
            if speaker.i not in resolved:
                resolved[speaker.i] = _resolve(doc, speaker, roles)
            name, entity_id, s_start, s_end, found_by = resolved[speaker.i]
            how = found_by or _how(speaker, f.how, entity_id)
        cue = text[f.cue_start:f.cue_end] if f.cue_start is not None else None
        yield Quote(doc._.article_id, f.start, f.end, text[f.start:f.end], f.kind, cue, f.cue_start, f.cue_end,
                    name, entity_id, s_start, s_end, how, _cue_lemma(ctx, f.cue_start, f.cue_end))


def _how(speaker: Token, route: str, entity_id: str | None) -> str:
    """How a speaker was found: a pronoun or a role noun tied to a name says so; else the route."""
    head = antecedent(speaker)
    if speaker.pos_ == "PRON" and head.i == speaker.i:
        return "pronoun"
    if entity_id is not None and head.pos_ == "NOUN":
        return "role_noun"
    return route


def _cue_lemma(ctx: _Context, start: int | None, end: int | None) -> str | None:
    """The dictionary form of a cue's words ("said" -> "say", "According to" -> "according to")."""
    doc = ctx.doc
    if start is None:
        return None
    lo, hi = bisect_left(ctx.tok_starts, start), bisect_left(ctx.tok_starts, end)
    words = [t for t in doc[lo:hi] if not (t.is_punct or t.is_space)]
    if not words:
        return doc.text[start:end].strip() or None
    if tuple(t.lower_ for t in words) in ctx.lexicon.phrases:
        return " ".join(t.lower_ for t in words)  # "according to", whose first word the lemmatizer reads as "accord"
    return " ".join(t.lemma_.lower() if t.pos_ in ("VERB", "AUX", "NOUN") else t.lower_ for t in words)


def _resolve(doc: Doc, speaker: Token, roles: "_Roles") -> tuple[str, str | None, int, int, str | None]:
    """(name, entity key, mention start, mention end, how found) of a source as written.

    The mention is the source as written; its entity is what `entity_at` finds at its head (a relative
    pronoun's at its antecedent's). A role noun with a name in apposition or after "of" ("the chief
    executive, Mary Okafor"; "Chief executive of the trust Mary Okafor") is that name ("apposition");
    a role noun the entities module leaves alone takes the entity the same role was given earlier in
    the article ("the daily" after "The Planet, a daily", "role_noun"). Without an entity the name is
    the mention as written (the antecedent's for a relative pronoun): "officials", "the statement".
    """
    lo, hi = mention_span(speaker)
    s_start, s_end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    first = doc[lo]
    s_start += len(first.text) - len(first.text.lstrip())  # a token glued to a no-break space
    head = antecedent(speaker)
    h_lo, h_hi = (lo, hi) if head.i == speaker.i else mention_span(head)
    named = not h_lo <= head.i < h_hi  # the mention moved from a role noun to the name it is given
    ent = entity_at(doc, head.idx, head.idx + len(head)) if not named else None
    if ent is None and doc[h_hi - 1].pos_ == "PROPN":
        n_start, n_end = doc[h_lo].idx, doc[h_hi - 1].idx + len(doc[h_hi - 1])
        ent = entity_at(doc, n_start, n_end)
        if ent is not None and named and not _has_mention_within(doc, ent.key, n_start, n_end):
            ent = None  # a name inside a longer one ("the Housing Trust Mary Okafor"): the words
    how = "apposition" if named else None
    if ent is not None and not named and head.dep_ == "appos" and _dateline(head.head):
        ent = None  # "PARIS — France's largest union": the place opens the paragraph, the union speaks
    if ent is None and not named and head.pos_ in ("NOUN", "ADJ"):  # "The daily" is tagged ADJ
        ent = roles.entity(head)
        how = "role_noun" if ent is not None else None
    if ent is not None:
        return ent.name, ent.key, s_start, s_end, how
    return doc[h_lo:h_hi].text, None, s_start, s_end, how


def _has_mention_within(doc: Doc, key: str, start: int, end: int) -> bool:
    """Entity `key` has a mention inside characters start:end."""
    return any(m[6] == key and start <= m[1] and m[2] <= end for m in doc._.entity_mentions or ())


class _Roles:
    """The role nouns the text ties to a named entity by apposition ("The Planet, a daily, ...",
    "the host, Mary Okafor, ..."), in text order: a later "the daily" or "the host" that the
    entities module leaves unresolved is that entity."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._by_lemma: dict[str, list[tuple[int, str]]] | None = None

    def _index(self) -> dict[str, list[tuple[int, str]]]:
        doc, out = self.doc, {}
        for m in doc._.entity_mentions or ():
            if m[5] != "name":
                continue
            span = doc.char_span(m[1], m[2], alignment_mode="expand")
            if span is None:
                continue
            name_head = span.root
            nouns = [c for c in name_head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
            if name_head.dep_ == "appos" and name_head.head.pos_ == "NOUN":
                nouns.append(name_head.head)
            for noun in nouns:
                out.setdefault(noun.lemma_.lower(), []).append((noun.i, m[6]))
        return out

    def entity(self, tok: Token) -> "Entity | None":
        """The entity an earlier apposition gave the role noun `tok`, if any."""
        if self._by_lemma is None:
            self._by_lemma = self._index()
        earlier = [key for i, key in self._by_lemma.get(tok.lemma_.lower(), ()) if i < tok.i]
        if not earlier:
            return None
        return next((Entity(*row) for row in self.doc._.entity_clusters or () if row[1] == earlier[-1]), None)


def _outermost(atts: list[Attribution]) -> list[Attribution]:
    """Drop attributions whose cue lies in another's content: each token reports once (PolNeAR is univocal)."""
    merged: list[list[int]] = []  # the union of all content, as sorted disjoint spans
    for s, e in sorted(span for a in atts for span in a.content):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts = [s for s, _ in merged]
    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset < merged[k][1]
    return [a for a in atts if not inside(a.cue_start)]


def _labelled_paragraphs(ctx: _Context) -> Iterator[Attribution]:
    """"Name: what they said" -- a paragraph (a headline, a transcript line) led by a noun phrase
    ending in a name ("Politifact:", "Internet phenomenon Ken Bone:") and a colon reports that
    speaker's words."""
    doc = ctx.doc
    for p_start, p_end in ctx.paragraphs:
        i = bisect_left(ctx.tok_starts, p_start)
        while i < len(doc) and doc[i].is_space:
            i += 1
        colon = next((t for t in doc[i:i + 7] if t.text == ":" or "\n" in t.text), None)
        if colon is None or colon.text != ":" or colon.i == i:
            continue
        name = doc[colon.i - 1]
        label = doc[i:colon.i]
        if any(t.pos_ in ("VERB", "AUX", "PRON") for t in label) \
                or not (name.pos_ == "PROPN" or name.ent_type_ in ("PERSON", "ORG")) \
                or name.ent_type_ in ("DATE", "TIME", "GPE", "LOC"):
            continue  # "WASHINGTON:" is a dateline, "Update:" a label
        content = colon.idx + 1
        while content < p_end and ctx.text[content].isspace():
            content += 1
        if p_end - content > 2 and ctx.index is not None and ctx.index.has_words(content, p_end):
            yield Attribution(colon.idx, colon.idx + 1, name, ((content, p_end),), colon, "colon")


def _core_length(text: str, start: int, end: int) -> int:
    """Length of a content span without a leading "that" and edge punctuation."""
    if text[start:start + 5].lower() == "that ":
        start += 5
    while start < end and not text[start].isalnum() and text[start] not in QUOTE_CHARS:
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in QUOTE_CHARS:
        end -= 1
    return max(1, end - start)


def _window(ctx: _Context, q: Quotation, after: bool) -> list[Token]:
    """The tokens of q's sentence on one side of it, nearest first, up to a sentence end, another
    quotation or the paragraph end."""
    doc = ctx.doc
    out: list[Token] = []
    i = bisect_left(ctx.tok_starts, q.close_end) if after else bisect_left(ctx.tok_starts, q.open_start) - 1
    step = 1 if after else -1
    while 0 <= i < len(doc):
        tok = doc[i]
        if ctx.inside[i] >= 0 or "\n" in tok.text or tok.text in SENTENCE_END:
            break
        if not tok.is_space:
            out.append(tok)
        i += step
    return out


def _window_speaker(ctx: _Context, q: Quotation, by_cue: dict[int, Attribution]) -> tuple[int, int, Token, str] | None:
    """(cue start, cue end, source, how it was found) for a quotation from the text around it in its sentence."""
    text = ctx.text
    after, before = _window(ctx, q, after=True), _window(ctx, q, after=False)
    last = text[q.start:q.end].rstrip()[-1:]
    continues = last == "," or text[q.close_end:q.close_end + 2].lstrip()[:1] == ","
    manner = continues or (last in "?!" and _tag_after(after))
    introduced = bool(before) and (before[0].text in INTRODUCERS or before[0].lemma_ in ctx.lexicon.verbs)
    for side in (("after", "before") if continues or not introduced else ("before", "after")):
        window = after if side == "after" else before
        closed = side == "after" and last == "."  # a full stop inside the marks ends the quoted sentence
        hit = _window_cue(window, by_cue, ctx.lexicon, manner=side == "after" and manner,
                          elsewhere=(q.open_start, q.close_end) if closed else None)
        if hit is not None:
            return hit
        if side == "before" and before and before[0].text == ":":
            source = _colon_speaker(before[0])
            if source is not None:
                return before[0].idx, before[0].idx + 1, source, "colon"
        if side == "before" and before and before[0].text == ",":
            hit = _manner_before(before)
            if hit is not None:
                return hit
    return _signed(ctx, q) or _colon_paragraph(ctx, q)


def _tag_after(after: list[Token]) -> bool:
    """The words after a quotation ending in "?" or "!" open with a subject and its verb ("“...?”
    Okafor went on", "“...!” the crowd cried out"): a speech tag, whatever the verb."""
    verb = next((t for t in after[:6] if t.pos_ == "VERB"), None)
    if verb is None or verb.dep_ != "ROOT":
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and all(t.i == verb.i or t in subject.subtree for t in after if t.i < verb.i)


def _manner_before(before: list[Token]) -> tuple[int, int, Token, str] | None:
    """A verb of any manner that ends its clause right before ", “...": it introduces the words
    ("Okafor cracked, “...”", "Reyes chimed in, “...”"), as "“...,” Okafor gushed" does after."""
    if len(before) < 2:
        return None
    verb = before[1]
    if verb.dep_ in ("prt", "prep", "advmod") and verb.i == verb.head.i + 1 and not list(verb.children):
        verb = verb.head  # "chimed in", "shot back"
    if verb.pos_ != "VERB" or verb.dep_ not in ("ROOT", "conj") or _passive(verb):
        return None
    source = _verb_speaker(verb)
    if source is None or source.i > verb.i:
        return None
    return verb.idx, verb.idx + len(verb), source, "subject"


def _window_cue(window: list[Token], by_cue: dict[int, Attribution], lexicon: CueLexicon, *,
                manner: bool, elsewhere: tuple[int, int] | None = None) -> tuple[int, int, Token, str] | None:
    """The cue nearest the quotation in its window: an attribution of the parse, or a verb of
    saying whose source the parse did not give (its subject, or the nearest name beside it: "...,
    said Rep. Jones"). With `manner`, after a quotation that ends in a comma, any verb with its
    subject there is the cue ("“...,” Clinton gushed"). With `elsewhere` (the span of a quotation
    closed by a full stop), a cue whose content lies outside it starts a sentence of its own."""
    for tok in window:
        if tok.i in by_cue:
            att = by_cue[tok.i]
            if elsewhere is not None and att.content \
                    and all(e <= elsewhere[0] or s >= elsewhere[1] for s, e in att.content):
                return None  # "“... opinion.” Reid said both rivals are ...": the next sentence's cue, with its own content
            return att.cue_start, att.cue_end, att.speaker, att.how
        if tok.pos_ not in ("VERB", "AUX") or tok.tag_ == "VBN":
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if elsewhere is not None and tok.lemma_ in lexicon.verbs and any(
                c.dep_ in ("ccomp", "dobj") and not elsewhere[0] <= c.idx < elsewhere[1] for c in tok.children):
            return None  # "“...” Practice kindness, says Palmer": the cue of the sentence after, with its own content
        if tok.lemma_ not in lexicon.verbs:
            if manner and subject is not None and subject in window and tok.dep_ in ("ROOT", "ccomp", "parataxis"):
                return tok.idx, tok.idx + len(tok), subject, "subject"
            continue
        if subject is not None and subject in window:
            return tok.idx, tok.idx + len(tok), subject, "subject"
        # the name before the verb ("Trump, 70, told CNN"), or after it when the verb leads ("said Rep. Jones")
        hearers = {t.i for c in tok.children if c.dep_ in ("dobj", "dative") for t in c.subtree}
        near = [t for t in window if (t.pos_ in ("PROPN", "PRON", "NOUN") or t.ent_type_ in ("PERSON", "ORG")
                                      or (t.is_title and t.is_alpha))  # a name the tagger missed
                and t.dep_ not in ("npadvmod", "pobj") and t.i != tok.i and t.i not in hearers]
        side = [t for t in near if t.i < tok.i]
        if window[0].i == tok.i or not side:
            side = [t for t in near if t.i > tok.i]
        if not side:
            return None
        return tok.idx, tok.idx + len(tok), _name_head(min(side, key=lambda t: abs(t.i - tok.i))), "nearby_name"
    return None


def _name_head(tok: Token, deps: tuple[str, ...] = ("compound", "flat")) -> Token:
    """The head noun of the name `tok` is part of ("Patrick" -> "Ryder"), within its paragraph."""
    while tok.dep_ in deps and tok.head.i > tok.i and tok.head.pos_ in ("PROPN", "NOUN") \
            and _same_paragraph(tok, tok.head):
        tok = tok.head
    return tok


def _signed(ctx: _Context, q: Quotation) -> tuple[int, int, Token, str] | None:
    """A quotation signed with a dash and a name: "“...” ― Adriana Rodarte"."""
    text = ctx.text
    i = q.close_end
    while i < len(text) and text[i] in " \u00a0\t":
        i += 1
    if i >= len(text) or text[i] not in DASHES:
        return None
    doc = ctx.doc
    j = bisect_left(ctx.tok_starts, i + 1)
    for tok in doc[j:j + 4]:
        if "\n" in tok.text:
            return None
        if tok.ent_type_ in ("DATE", "TIME", "CARDINAL"):
            return None  # "“Headline” — August 15, 2008": a dated reference, not a speaker
        if not tok.is_space and (tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG")):
            return i, i + 1, _name_head(tok), "dash"
    return None


def _colon_paragraph(ctx: _Context, q: Quotation) -> tuple[int, int, Token, str] | None:
    """A quotation opening the paragraph after one that ends in a colon ("He said:")."""
    before = ctx.token_before(q.open_start, spaces=True)
    if before is None or "\n" not in before.text:
        return None
    colon = ctx.token_before(q.open_start)
    if colon is None or colon.text != ":":
        return None
    source = _colon_speaker(colon)
    return (colon.idx, colon.idx + 1, source, "colon") if source is not None else None


def _colon_speaker(colon: Token) -> Token | None:
    """Who speaks before a colon: the subject of "He said:", "She went on:", "Mattis made this
    comment:", "Trump deflected with a non sequitur:"; the noun itself in "Politifact:" or "exemplified by this finding:"."""
    doc = colon.doc
    i = colon.i - 1
    while i >= 0 and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    if i < 0 or "\n" in doc[i].text:
        return None
    tok = doc[i]
    if tok.dep_ in ("advmod", "prt") and tok.head.pos_ in ("VERB", "AUX") and tok.head.i < tok.i:
        tok = tok.head  # "She then addressed the crowd again:", "She went on:": the verb's subject
    if tok.pos_ in ("VERB", "AUX"):
        return _verb_speaker(tok)
    tok = _name_head(tok, ("compound", "flat", "amod"))
    if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    node = tok
    while node.dep_ in ("pobj", "dobj", "attr", "appos", "conj", "prep") and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.dep_ == "agent":
            return tok  # "... exemplified by this finding:"
        node = node.head
    if node.pos_ in ("VERB", "AUX") and node.i != tok.i:
        if _passive(node):  # "I was told the following:": whoever told, if the text says; not what was told
            return _verb_speaker(node)
        return _verb_speaker(node) or tok
    return tok


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _set_off(ctx: _Context, q: Quotation) -> bool:
    """A quotation set off as speech: it opens its sentence, or follows a colon, a comma, a dash or a
    verb of saying. "were “well-paid,” making ..." or "the “dishonest media”" quote a term, "a play
    called “Brokers”" a name."""
    if _opens_sentence(ctx, q):
        return True
    tok = ctx.token_before(q.open_start)
    if tok is not None and tok.tag_ == "VBN" and tok.dep_ == "acl" and tok.lemma_ in quote_words().naming:
        return False  # "a show called “Brokers”": a name
    return tok is not None and (tok.text in INTRODUCERS or tok.text in DASHES or tok.lemma_ in ctx.lexicon.verbs)


def _opens_sentence(ctx: _Context, q: Quotation) -> bool:
    """Nothing but punctuation stands between the quotation and the previous sentence end."""
    doc = ctx.doc
    i = bisect_left(ctx.tok_starts, q.open_start) - 1
    while i >= 0:
        tok = doc[i]
        if "\n" in tok.text or tok.text in SENTENCE_END or ctx.inside[i] >= 0 or _ends_abbreviation(ctx, tok, q):
            return True
        if not (tok.is_punct or tok.is_space):
            return False
        i -= 1
    return True


def _ends_abbreviation(ctx: _Context, tok: Token, q: Quotation) -> bool:
    """An abbreviation's full stop that also ends its sentence, as the capital opening the quotation
    after it shows ("..., said Sen. Mary Okafor, R-N.Y. “I asked twice.”"): the tokenizer keeps
    the stop inside the word, so no sentence end of its own follows."""
    return (len(tok.text) > 1 and tok.text.endswith(".") and bool(tok.whitespace_)
            and ctx.text[q.start:q.start + 1].isupper())


def _is_statement(text: str, q: Quotation) -> bool:
    """A quotation long enough to be something said rather than a term or a title."""
    return len(text[q.start:q.end].split()) >= 4


# ---------------------------------------------------------------- component
@Language.factory("toolkit_quotes", assigns=["doc._.quotes"], requires=["doc._.entity_mentions"],
                  default_config={"cues": None, "unattributed": True})
def make_quotes_component(nlp: Language, name: str, cues: str | None, unattributed: bool) -> "QuotesComponent":
    return QuotesComponent(name, cues=cues, unattributed=unattributed)


class QuotesComponent:
    """Store the Doc's quotes on `doc._.quotes` as plain tuples.

    Args:
        cues: path of a cue lexicon in the format of `toolkit/data/speech_cues.tsv`; the
            bundled one when None. Give the entities component the same (as
            `toolkit.load_nlp(cues=...)` does), so that its evidence of speakers agrees.
        unattributed: keep direct quotes whose speaker was not found.
    """

    def __init__(self, name: str = "toolkit_quotes", *, cues: str | None = None, unattributed: bool = True) -> None:
        self.name = name
        self.lexicon = speech_cues(cues)
        self.unattributed = unattributed

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = [tuple(q) for q in quotes(doc, lexicon=self.lexicon, unattributed=self.unattributed)]
        return doc
