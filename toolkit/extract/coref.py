"""Pronouns and role nouns linked to the named entities of an article.

`references(doc, names, referents)` walks a parsed Doc once, left to right, and links

- personal pronouns (he, she, his, her, they, their, it, its, ...) to the entity they stand for,
- nominals ("a spokesman for Dunford", "the chairman", "the ministry", "the country") to the
  person or organisation the text says they are,

given the article's named mentions already grouped into entities (`toolkit.extract.entities` does that).

Notes:
    The resolver is a small deterministic sieve after Lee et al. (2013), "Deterministic
    coreference resolution based on entity-centric, precision-ranked rules" (the Stanford
    multi-pass sieve), which runs precise passes before loose ones and lets each pass use the
    attributes the entity has gathered so far:

    1. Appositions and predicate nominatives: "Col. Patrick Ryder, a spokesman for Dunford",
       "Russia was the framework guarantor", "she became a teacher and a poet", "she was one of
       the founders", "her mother, Jane, was a nurse" put the nominal in the name's entity (Lee
       et al.'s "precise constructs" pass; the syntactic appositive and role-appositive constraints of
       Haghighi & Klein 2009), from the parse or, where the small model's parse misses it, from
       the commas around a name; a person noun in apposition makes a one-word name a person's.
    2. Definite role and class nouns, within `nominal_window` sentences: "the chairman" goes to
       the most recent person whose title or apposition says chairman (and "the prime minister"
       needs "prime" there too); "the ministry" to the most recent organisation whose name has
       that head word ("Russian Ministry of Defense", the strict head match pass); "the
       country" to the most recent country, "the city" to the most recent place that is none.
       A nominal with modifiers of its own ("the chairman of X") is a new referent.
    3. Pronouns: candidates are the mentions of the current and the previous `pronoun_window`
       sentences that agree in number, gender and animacy (gender from titles, a first-name
       list through gender-guesser, gendered role nouns and pronouns already linked, as the
       entity-level attributes of Lee et al.); a pronoun object is not linked to the subject of
       its own verb (binding); a "his" or "her" that nothing before it fits, in a phrase before
       its clause's subject, is that subject's ("In his speech, Doe said"). Candidates are
       ranked as Hobbs (1978) and Lee et al. traverse the parse: nearer sentences first, then
       (for "he", "she") the person mentioned most so far, the topic of a profile (discourse
       salience, as entity-centric sieves keep it), then shallower in the dependency tree, then
       leftmost.
       Plain noun phrases compete too ("the boy", "rebels"): when one of them wins, the pronoun
       is left unlinked rather than given to a named entity it probably does not mean, which is
       what keeps precision high. Pleonastic "it" ("it sounds like") is skipped, and "it" and
       "they" are not linked to organisations by default (they mostly mean something else).
    4. First person in quotations: "I" is the speaker, the subject of the verb the quotation
       hangs on; "we" an organisation that speaks, or the one the speaker's title names. Outside
       quotations, in a text that is one person's voice (an interview, a speech, as its
       headline says), "I" is that person.

    Everything is rule-based and explainable; no model beyond spaCy's parser and tagger.
"""
from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

import numpy
from spacy.symbols import NOUN, NUM, PROPN
from spacy.tokens import Doc, Span, Token

from ..text import names, quotemarks

PERSON = "PERSON"
# Labels of entities that "it" can stand for, and "they" (a people: "Afghans"; "they" for an
# organisation is left alone, as it far more often means its members or another group).
NEUTER_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
PLURAL_LABELS = frozenset({"NORP"})
DEFINITE = frozenset({"the", "this", "that"})
# A nominal with one of these modifiers is a new referent, not the one named before.
NEW_REFERENT = frozenset({"other", "another", "new", "former", "next", "previous", "many", "some", "every",
                          "each", "any", "no", "several", "both", "all"})
# Verbs after which a subject "it" is pleonastic when a clause follows ("it seems that").
PLEONASTIC_VERBS = frozenset({"be", "seem", "appear", "sound", "look", "take", "happen", "remain", "become", "feel"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
COPULAS = frozenset({"be", "become"})  # verbs whose predicate nominative is their subject
# Antecedents are searched among at most this many of the latest mentions (within the sentence
# window): a bound per pronoun or nominal, so that a text of one endless sentence stays linear.
MAX_CANDIDATES = 60


@dataclass
class Referent:
    """An entity of the article as the resolver sees it, with attributes it gathers."""

    label: str
    gender: str | None = None  # "m", "f" or None (unknown)
    country: bool = False
    roles: set[str] = field(default_factory=set)  # role nouns said of it: title words, appositions
    words: set[str] = field(default_factory=set)  # folded words of its names and titles
    heads: set[str] = field(default_factory=set)  # head words of its names ("ministry", "court")
    longest: list[str] = field(default_factory=list)  # folded words of its fullest name
    affiliation: int | None = None  # a person's organisation (from a title: "NASA Administrator")
    placed: bool = False  # a name of it follows "in", "at", "from" ...: a place, whatever else is said


class Reference(NamedTuple):
    """A pronoun or nominal linked to a referent."""

    start: int  # token offsets in the Doc
    end: int
    kind: str  # "pronoun" or "nominal"
    referent: int  # index into the referents list


@dataclass
class _Candidate:
    """A mention a later pronoun may refer to."""

    head: Token
    referent: int | None  # None: a noun phrase that is no known entity
    person: bool
    gender: str | None
    plural: bool
    depth: int


def references(doc: Doc, names_: list[tuple[int, int, int]], referents: list[Referent], *,
               pronoun_window: int = 2, nominal_window: int = 4, neuter: bool = False,
               sent_of=None, voice: int | None = None, addressee: int | None = None) -> Iterator[Reference]:
    """Yield the pronouns and nominals of `doc` linked to one of `referents`.

    Args:
        doc: a parsed Doc.
        names_: the named mentions, as (token start, token end, referent index) in text order.
        referents: the article's entities; their `gender` and `roles` are updated as links are made.
        pronoun_window: how many sentences before the pronoun's own to look for its antecedent.
        nominal_window: the same for definite nominals ("the chairman").
        neuter: also link "it" and "its" (to organisations and places); off by default, as most
            of them stand for events and things rather than named entities.
        sent_of: token index -> sentence index (`sentence_index(doc)`), if the caller has it.
        voice: the referent whose voice the text is (an interview's interviewee, a speech's
            speaker: `toolkit.extract.entities` finds it in the headline); "I", "me", "my"
            outside quotation marks are theirs.
        addressee: the referent "you" outside quotation marks stands for in a line that ends
            in a question mark (an interview's interviewee, whom the questions ask); "you" in
            the answers is left unlinked (the interviewer, or anyone).

    Yields:
        `Reference` records in text order.
    """
    if not doc.has_annotation("DEP"):
        return
    owner: dict[int, int] = {}
    for start, end, ref in names_:
        for i in range(start, end):
            owner[i] = ref
    name_heads = {doc[start:end].root.i: (start, end, ref) for start, end, ref in names_}
    history: list[_Candidate] = []
    salience = _Salience(referents)
    sent_of = sent_of or sentence_index(doc)
    chunks = _noun_phrases(doc)
    text = doc.text  # Doc.text joins every token: once
    quotes = _quotes(doc, text)
    quoted = {k for a, b in quotes for k in range(a + 1, b)}
    resolved = dict(owner)  # token -> referent, for the speakers of quotes
    first_person: list[Token] = []
    asked = None  # whether a character offset is in a line that asks (read when "you" needs it)
    depth = _depths(doc)
    heads = {w for r in referents for w in r.heads}  # head words of all names ("ministry")
    named = Counter(ref for _, _, ref in names_)  # named mentions per referent, in the whole text
    # only names, noun chunks and personal pronouns matter: visit those tokens, in text order
    tags = doc.to_array("TAG")
    pronoun_tags = {doc.vocab.strings["PRP"], doc.vocab.strings["PRP$"]}
    pronouns = [int(k) for k in numpy.flatnonzero(numpy.isin(tags, list(pronoun_tags)))]
    for i in sorted(set(name_heads) | set(chunks) | set(pronouns)):
        tok = doc[i]
        if i in name_heads:
            ref = name_heads[i][2]
            if tok.pos_ in ("NOUN", "PROPN"):  # not "Russian" in "Russian troops"
                history.append(_Candidate(tok, ref, referents[ref].label == PERSON, referents[ref].gender,
                                          tok.tag_ in ("NNS", "NNPS"), depth[tok.i]))
                salience.add(ref)
        elif i in chunks and not tok.ent_type_ and i not in owner and (tok.pos_ == "NOUN" or _role_like(tok)
                                                                      or _of_group(tok) is not None):
            chunk = _trim_chunk(chunks[i])
            ref = _nominal(chunk, owner, referents, history, sent_of, nominal_window, heads, resolved, named)
            noun = names.noun(tok.lemma_)
            person = ref is not None and referents[ref].label == PERSON or person_noun(tok)
            history.append(_Candidate(tok, ref, person, noun.gender if noun else None, tok.tag_ in ("NNS", "NNPS"),
                                      depth[tok.i]))
            if ref is not None:
                resolved[i] = ref  # "his mother, Jane, is a nurse": a predicate of the nominal is Jane's
                yield Reference(chunk.start, chunk.end, "nominal", ref)
        elif tok.tag_ in ("PRP", "PRP$") and i not in owner:
            if tok.morph.get("Person") == ["1"] and i in quoted:
                first_person.append(tok)
                continue
            if voice is not None and tok.morph.get("Person") == ["1"] and tok.morph.get("Number") == ["Sing"]:
                yield Reference(i, i + 1, "pronoun", voice)  # the interviewee's or speaker's own words
                continue
            if addressee is not None and tok.morph.get("Person") == ["2"] and i not in quoted:
                asked = asked or _questions(text)
                if asked(tok.idx):
                    yield Reference(i, i + 1, "pronoun", addressee)  # the interviewer's question to them
                continue  # in an answer, "you" is the interviewer or anyone ("you see in movies")
            ref = _pronoun(tok, referents, history, sent_of, pronoun_window, quoted, neuter, salience.topic)
            if ref is None:
                ref = _cataphor(tok, owner, referents)
            if ref is not None:
                resolved[i] = ref
                gender = _GENDER.get(tok.morph.get("Gender")[0]) if tok.morph.get("Gender") else None
                if gender and referents[ref].gender is None:
                    referents[ref].gender = gender
                history.append(_Candidate(tok, ref, referents[ref].label == PERSON, referents[ref].gender,
                                          tok.morph.get("Number") == ["Plur"], depth[tok.i]))
                salience.add(ref)
                yield Reference(i, i + 1, "pronoun", ref)
    speakers: dict[tuple[int, int], int | None] = {}  # one speaker search per quotation, not per pronoun
    starts = [a for a, _ in quotes]
    for tok in first_person:
        ref = _first_person(tok, quotes, starts, speakers, resolved, referents)
        if ref is not None:
            yield Reference(tok.i, tok.i + 1, "pronoun", ref)


_GENDER = {"Masc": "m", "Fem": "f"}


# ---------------------------------------------------------------- nominals
def _trim_chunk(chunk: Span) -> Span:
    """A noun chunk without a possessor before it ("America's top officer" -> "top officer")."""
    start = chunk.start
    for tok in chunk[:-1]:
        if tok.tag_ in ("POS", "PRP$") or tok.dep_ == "case":
            start = tok.i + 1
    return chunk.doc[start:chunk.end]


def _nominal(chunk: Span, owner: dict[int, int], referents: list[Referent], history: list[_Candidate],
             sent_of, window: int, heads: set[str], resolved: dict[int, int] | None = None,
             named: Counter | None = None) -> int | None:
    """The referent a nominal refers to, by apposition, copula or a definite role/class noun."""
    root = chunk.root
    if _of_group(root) is not None:  # "one of the founders": said of a subject only
        return _predicate(root, resolved if resolved is not None else owner, referents)
    bare = not any(t.dep_ in ("det", "poss") or t.tag_ in ("POS", "PRP$") for t in root.lefts)
    if bare and not person_noun(root):
        return None  # a caption ("Image: NASA") or a headline word; "Director of X, Jane Doe" is fine
    linked = _predicate(root, resolved if resolved is not None else owner, referents)  # it checks the fit
    if linked is None:
        linked = _construct(root, owner, history)
        if linked is not None and not _fits(root, referents[linked], strict=False) \
                and not _relabel_thing(linked, root, referents):
            linked = None
    if linked is None and root.dep_ == "appos" and root.head.i in owner and person_noun(root):
        linked = _relabel_person(owner[root.head.i], root.lemma_.lower(), referents)
    if linked is None:
        linked = _comma_apposition(chunk, owner, referents, heads)
    if linked is not None:
        noun = names.noun(root.lemma_)
        referents[linked].roles.add(root.lemma_.lower())
        if noun is not None and noun.gender and referents[linked].gender is None:
            referents[linked].gender = noun.gender
        return linked
    first = chunk[0].lower_
    if len(chunk) == 1 and root.tag_ in SINGULAR and any(t.lower_ in FIRST_PERSON_POSSESSIVES for t in root.lefts):
        return _own_country(root, referents, history, named)  # "our country" (its possessor trimmed off)
    if bare or first not in DEFINITE or root.tag_ not in SINGULAR or _new_referent(chunk):
        return None
    return _definite(root, referents, history, sent_of, window)


FIRST_PERSON_POSSESSIVES = frozenset({"our", "my"})


def _own_country(root: Token, referents: list[Referent], history: list[_Candidate],
                 named: Counter | None = None) -> int | None:
    """The country "our country", "my nation" stand for: the country the text has named most so
    far (a speaker's own, as a speech or an interview names it); before any is named, the one
    the whole text names most (a speech names its country late: "our nation ... these United
    States"); none if the text names no country."""
    noun = names.noun(root.lemma_.lower())
    if noun is None or noun.cls != "country":
        return None
    counts = Counter(c.referent for c in history if c.referent is not None and referents[c.referent].country)
    if not counts and named:
        counts = Counter({ref: n for ref, n in named.items() if referents[ref].country})
    return counts.most_common(1)[0][0] if counts else None


SINGULAR = frozenset({"NN", "NNP"})


def _role_like(tok: Token) -> bool:
    """A capitalised role or class noun that is no name: "The President", "the Court"."""
    return tok.pos_ == "PROPN" and tok.tag_ == "NNP" and (names.noun(tok.lower_) is not None
                                                           or names.title(tok.text) is not None)


def _relabel_person(ref: int, lemma: str, referents: list[Referent]) -> int | None:
    """A name with a person noun of nouns.tsv in apposition ("Dunford, the chairman of ...",
    "Kano Ebisu, a writer" tagged a building) is a person's, unless it is a country or written as
    a place ("born in Paris, the daughter of ..."), or a longer name of an organisation or a
    people. Nouns said of organisations too ("leader") do not count."""
    r = referents[ref]
    noun = names.noun(lemma)
    if r.country or r.placed or r.label == PERSON or (len(r.longest) > 1 and r.label in ("ORG", "NORP")) \
            or noun is None or noun.cls != "person":
        return None
    r.label = PERSON
    return ref


def _relabel_thing(ref: int, root: Token, referents: list[Referent]) -> bool:
    """A name the tagger called a person's, with nothing else that shows a person (no gender,
    no role), takes the label of a class noun in apposition to it: "Instituto Gonzaga, a
    catholic school in Milan" is an organisation. Returns whether it did."""
    r = referents[ref]
    label = names.class_label(root.lemma_)
    if r.label != PERSON or r.gender is not None or r.roles or label is None or root.tag_ not in SINGULAR:
        return False
    r.label = label
    return True


def person_noun(tok: Token) -> bool:
    """Whether a common noun names a person by role or relation ("spokesman", "coach", "father")."""
    noun = names.noun(tok.lemma_)
    return noun.cls in ("person", "agent") if noun is not None else names.title(tok.lemma_) is not None


def _fits(root: Token, referent: Referent, *, strict: bool) -> bool:
    """Whether a nominal head can describe the referent: a person noun for a person (as
    nouns.tsv or nameparser's titles have it), a singular non-person noun for anything else.
    `strict` (for surface patterns) also wants a class noun of the referent's kind ("school" for
    an organisation, "city" for a place) or a word of the referent's name for non-persons."""
    if referent.label == PERSON:
        return person_noun(root)
    if root.tag_ not in SINGULAR or person_noun(root):
        return False
    if root.lemma_.lower() in referent.words:
        return True
    return not strict or (_class_noun(root) and _same_kind(root, referent))


PLACES = frozenset({"GPE", "LOC", "FAC"})


def _same_kind(root: Token, referent: Referent) -> bool:
    """Whether a class noun can describe the referent: place nouns places, the others the label
    that nouns.tsv gives them ("school" an ORG, "festival" an EVENT)."""
    noun = names.noun(root.lemma_)
    if noun.cls in ("country", "city", "polity", "place"):
        return referent.label in PLACES
    label = names.class_label(root.lemma_)
    return label is None or label == referent.label


def _class_noun(tok: Token) -> bool:
    noun = names.noun(tok.lemma_)
    return noun is not None and noun.cls not in ("person", "agent")


def _construct(root: Token, owner: dict[int, int], history: list[_Candidate]) -> int | None:
    """The named referent an apposition attaches the nominal to (predicates are `_predicate`'s).

    An "apposition" inside a list ("Johnson Space Center, the greater Houston community and
    the State of Texas") is none.
    """
    if any(c.dep_ in ("conj", "cc") for c in (*root.children, *root.head.children)):
        return None
    if root.dep_ == "appos" and root.head.i in owner:
        return owner[root.head.i]
    for child in root.children:
        if child.dep_ == "appos" and child.i in owner:
            return owner[child.i]
    if root.dep_ == "appos":  # appositive to an already linked nominal
        for cand in _recent(history):
            if cand.head.i == root.head.i:
                return cand.referent
            if cand.head.i < root.head.i:
                break
    return None


def _predicate(root: Token, resolved: dict[int, int], referents: list[Referent]) -> int | None:
    """The referent of the subject a nominal is predicated of, by name or by a pronoun already
    linked: a predicate nominative of "be" ("Doe is a chemist", "she was a chemist and a poet"),
    a subject's predicate ("Doe was named coach"), a role after "as" ("Doe served as mayor");
    the last two for people only. A conjunct predicate ("a nurse and theatre director"), "become",
    and a subject that is a nominal already linked ("her mother, Jane, was a nurse") or has a
    name in apposition ("the winner, Jane Doe, is a nurse") count too. A predicate nominative or
    an "as" role of a person needs only a common noun that is no class noun of nouns.tsv ("Doe
    was a geologist", "worked as a geologist": few of the nouns people are called by are
    listed); "was named X" needs a person noun."""
    nominal = root
    while root.dep_ == "conj" and root.head.pos_ in ("NOUN", "PROPN"):  # "a nurse and [theatre director]"
        root = root.head
    if root.dep_ == "attr" and root.head.lemma_ in COPULAS or root.dep_ == "oprd":
        verb = root.head
    elif root.dep_ == "pobj" and root.head.lower_ == "as" and root.head.head.pos_ in ("VERB", "AUX"):
        verb = root.head.head
    else:
        return None
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None) or _subject_before(verb)
    if subject is not None and subject.i not in resolved:  # "Her mother, Jane Doe, was a nurse"
        subject = next((c for c in subject.children if c.dep_ == "appos" and c.i in resolved), None)
    if subject is None:
        return None
    ref = resolved[subject.i]
    if root.dep_ != "attr" and referents[ref].label != PERSON:
        return None  # "served as a base", "was named after": roles are people's
    head = _of_group(nominal) or nominal
    if referents[ref].label == PERSON and head.pos_ == "NOUN" and not _class_noun(head) and root.dep_ != "oprd":
        return ref  # "Doe was a geologist", "worked as a geologist": what a person is called is a person
    return ref if _fits(head, referents[ref], strict=True) else None


def _subject_before(verb: Token) -> Token | None:
    """The name just before a verb the parse gave no subject, past parentheses and reference
    marks ("Doe (born 1 May 1950) [1] is a chemist": the small model cuts the sentence there)."""
    doc, j = verb.doc, verb.i - 1
    closing = {")": "(", "]": "["}
    while j >= 0 and doc[j].text in closing:
        opening = closing[doc[j].text]
        while j > 0 and doc[j].text != opening:
            j -= 1
        j -= 1
    return doc[j] if j >= 0 and doc[j].pos_ == "PROPN" and not doc[j].is_punct else None


def _of_group(tok: Token) -> Token | None:
    """The plural noun of "one of the founders" (a member of a group, said of a person), or None."""
    if tok.lower_ != "one" or tok.pos_ != "NUM":
        return None
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((c for c in prep.children if c.dep_ == "pobj" and c.tag_ == "NNS"), None)
    return None


def _comma_apposition(chunk: Span, owner: dict[int, int], referents: list[Referent], heads: set[str]) -> int | None:
    """Apposition by punctuation, where the parse misses it: "The US ambassador to the UN,
    Nikki Haley, said" and "Nikki Haley, the US ambassador, said".

    The nominal (with a verbless modifier up to the comma) and a name stand between commas
    (or a comma and the end of the clause). For a person the nominal's head must be a person
    noun ("ambassador"), for anything else it must not be one.
    """
    doc = chunk.doc
    if not (person_noun(chunk.root) or _class_noun(chunk.root) or chunk.root.lemma_.lower() in heads):
        return None

    def fits(ref: int) -> int | None:
        return ref if _fits(chunk.root, referents[ref], strict=True) else None

    def clause_end(j: int) -> bool:
        return j >= len(doc) or doc[j].is_sent_start

    def closes(j: int) -> bool:
        return clause_end(j) or doc[j].text in (",", ".", ";", "(") or doc[j].pos_ in ("VERB", "AUX")

    before = chunk.start - 1  # name first
    if before > 0 and doc[before].text == "," and (before - 1) in owner and closes(chunk.root.right_edge.i + 1):
        return fits(owner[before - 1])
    if chunk.root.dep_ == "poss":  # "the nation's capital, Wellington": the apposition is the capital's
        return None
    k = chunk.end  # nominal first, with its own modifiers only ("The US ambassador to the UN, Nikki Haley")
    while k < chunk.end + 8 and not clause_end(k) and doc[k].text != "," and doc[k].pos_ not in ("VERB", "AUX") \
            and chunk.root in doc[k].ancestors:
        k += 1
    if not clause_end(k) and not clause_end(k + 1) and doc[k].text == "," and (k + 1) in owner:
        ref = owner[k + 1]
        j = k + 1
        while not clause_end(j) and owner.get(j) == ref:
            j += 1
        if closes(j):
            return fits(ref)
    return None


def _new_referent(chunk: Span) -> bool:
    """Whether the nominal introduces a new referent: "another official", or one with a modifier of
    its own that a definite description of a known entity would not need ("the chairman of X",
    "the capital in Kabul")."""
    if any(t.lower_ in NEW_REFERENT for t in chunk):
        return True
    return any(c.dep_ in ("prep", "relcl", "acl") for c in chunk.root.children)


def _definite(root: Token, referents: list[Referent], history: list[_Candidate], sent_of, window: int) -> int | None:
    """The most recent referent a definite role or class noun fits, within `window` sentences.

    "the chairman" needs a person said to be chairman (by title or apposition), and its
    modifiers among that person's words ("the prime minister" is not "Education Minister X");
    "the ministry" an entity whose name has that head; "the country" a country; "the city" a
    place that is no country.
    """
    lemma = root.lemma_.lower()
    noun = names.noun(lemma)
    modifiers = {c.lower_ for c in root.children if c.dep_ in ("compound", "amod") and c.i < root.i}
    here = sent_of(root.i)
    seen: set[int] = set()
    for cand in _recent(history):
        if here - sent_of(cand.head.i) > window:
            break
        ref = cand.referent
        if ref is None or ref in seen:
            continue
        seen.add(ref)
        r = referents[ref]
        if r.label == PERSON:
            if lemma in r.roles and modifiers <= r.words:
                return ref
        elif lemma in r.heads and modifiers <= r.words:
            return ref
        elif noun is not None and not modifiers and (
                (noun.cls == "country" and r.country) or (noun.cls == "city" and r.label == "GPE" and not r.country)):
            return ref
    return None


class _Salience:
    """The person mentioned most so far (by name or pronoun), kept as mentions come."""

    def __init__(self, referents: list[Referent]) -> None:
        self.referents, self.counts, self.topic = referents, Counter(), None

    def add(self, ref: int) -> None:
        if self.referents[ref].label != PERSON:
            return
        self.counts[ref] += 1
        if self.topic is None or self.counts[ref] > self.counts[self.topic]:
            self.topic = ref


def _recent(history: list[_Candidate]) -> Iterator[_Candidate]:
    """The latest `MAX_CANDIDATES` mentions, latest first."""
    return reversed(history[-MAX_CANDIDATES:])


# ---------------------------------------------------------------- pronouns
def _pronoun(tok: Token, referents: list[Referent], history: list[_Candidate], sent_of, window: int,
             quoted: set[int], allow_neuter: bool, topic: int | None = None) -> int | None:
    """The referent a third-person pronoun stands for, or None. Of the candidates of one
    sentence, "he" or "she" goes to the `topic` (the person mentioned most so far: the subject
    of a profile) before the others."""
    morph = tok.morph
    neuter = morph.get("Gender") == ["Neut"]
    if morph.get("Person") != ["3"] or (neuter and not allow_neuter) or _pleonastic(tok):
        return None
    gender = _GENDER.get((morph.get("Gender") or [""])[0])
    plural = morph.get("Number") == ["Plur"]
    reflexive = morph.get("Reflex") == ["Yes"]
    here = sent_of(tok.i)
    bound = _clause_subjects(tok) if not reflexive and morph.get("Poss") != ["Yes"] else set()
    # binding: not the subject of its own verb, nor any other mention of that subject's entity
    bound_refs = set()
    for cand in _recent(history):
        if sent_of(cand.head.i) != here:
            break
        if cand.head.i in bound and cand.referent is not None:
            bound_refs.add(cand.referent)
    best = None
    for cand in _recent(history):
        distance = here - sent_of(cand.head.i)
        if distance > window:
            break
        if cand.head.i in bound or _contains(cand.head, tok) \
                or (cand.referent is not None and cand.referent in bound_refs):
            continue
        if (tok.i in quoted) != (cand.head.i in quoted) and distance == 0:
            continue
        if not _agrees(cand, referents, gender, neuter, plural):
            continue
        is_topic = gender and cand.referent is not None and cand.referent == topic
        # a subject "he" goes on with the topic of the last sentence before a person named in passing
        near = 0 if is_topic and distance <= 1 and tok.dep_ in SUBJECTS else distance
        key = (near, 0 if is_topic else 1, cand.depth, cand.head.i)
        if best is None or key < best[0]:
            best = (key, cand)
    if best is None:  # nobody in the window: "he" or "she" of a profile is its topic, if of that gender
        return topic if gender and topic is not None and referents[topic].gender == gender \
            and not (tok.i in quoted) else None
    return best[1].referent


def _cataphor(tok: Token, owner: dict[int, int], referents: list[Referent]) -> int | None:
    """The person a possessive "his" or "her" in a phrase before its clause's subject stands for,
    when nothing before it does: that subject, if it is a person's name of that gender ("In his
    first address, President Doe spoke of unity"; Hobbs's search goes on into the sentence)."""
    morph = tok.morph
    gender = _GENDER.get((morph.get("Gender") or [""])[0])
    if tok.tag_ != "PRP$" or morph.get("Person") != ["3"] or gender is None:
        return None
    for phrase in (tok, *tok.ancestors):
        verb = phrase.head
        if phrase.dep_ in FRONTED and verb.pos_ in ("VERB", "AUX"):
            subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
            if subject is None:  # a verbless or subjectless modifier: the clause it hangs on
                continue
            if subject.i < phrase.i or subject.i not in owner:
                return None
            ref = owner[subject.i]
            r = referents[ref]
            return ref if r.label == PERSON and r.gender in (None, gender) else None
    return None


FRONTED = frozenset({"prep", "advcl", "npadvmod"})  # phrases that may stand before the subject


def _agrees(cand: _Candidate, referents: list[Referent], gender: str | None, neuter: bool, plural: bool) -> bool:
    """Number, gender and animacy agreement between a pronoun and a candidate."""
    if cand.referent is not None:
        r = referents[cand.referent]
        label, cgender = r.label, r.gender
    else:
        label, cgender = (PERSON if cand.person else None), cand.gender
    if plural:
        return cand.plural or label in PLURAL_LABELS if cand.referent is not None else cand.plural
    if cand.plural:
        return False
    if neuter:
        return not cand.person and (label in NEUTER_LABELS or cand.referent is None)
    if gender:  # he / she
        return label == PERSON and cgender in (None, gender)
    return False


def _pleonastic(tok: Token) -> bool:
    """Whether "it" is pleonastic: "it seems that ...", "it is unwise to ..."."""
    if tok.lower_ != "it" or tok.dep_ not in SUBJECTS | {"expl"}:
        return tok.dep_ == "expl"
    verb = tok.head
    return verb.lemma_ in PLEONASTIC_VERBS and any(
        c.dep_ in ("ccomp", "xcomp", "csubj", "acomp", "advcl") for c in verb.children)


def _clause_subjects(tok: Token) -> set[int]:
    """Token indices of the subject of the verb a pronoun object depends on (binding principle B)."""
    verb = tok.head
    if tok.dep_ == "pobj" and verb.dep_ in ("prep", "agent", "dative"):
        verb = verb.head
    subjects = set()
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            subjects.update(t.i for t in child.subtree)
    return subjects if tok.dep_ not in SUBJECTS else set()


def _contains(head: Token, tok: Token) -> bool:
    """Whether a pronoun lies inside the candidate's own phrase ("his father": father is not his)."""
    return head.left_edge.i <= tok.i <= head.i


# Dependencies of a noun phrase's head, as spaCy's English `noun_chunks` has them.
# "poss" too: "the court's judgement" mentions the court.
NP_DEPS = frozenset({"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT", "conj",
                     "poss"})


def _noun_phrases(doc: Doc) -> dict[int, Span]:
    """Common-noun phrases by their head's index: the head and its left dependents, as spaCy's
    `noun_chunks` builds them, but visiting only the nouns (the chunks of names and pronouns
    are not needed here)."""
    pos = doc.to_array("POS")
    out = {}
    for i in numpy.flatnonzero((pos == NOUN) | (pos == PROPN) | (pos == NUM)).tolist():
        tok = doc[i]
        if tok.dep_ in NP_DEPS and (tok.pos != NUM or _of_group(tok) is not None):
            out[i] = doc[tok.left_edge.i:i + 1]
    return out


def _depths(doc: Doc) -> list[int]:
    """Each token's distance from the root of its sentence in the dependency tree."""
    heads = [int(i + h) for i, h in enumerate(doc.to_array("HEAD").astype("int64"))]
    depth = [-1] * len(doc)
    for i in range(len(doc)):
        path = []
        k = i
        while depth[k] < 0 and heads[k] != k and len(path) < 100:
            path.append(k)
            k = heads[k]
        base = depth[k] if depth[k] >= 0 else 0
        depth[k] = base
        for n, j in enumerate(reversed(path), 1):
            depth[j] = base + n
    return depth


def sentence_index(doc: Doc):
    """A function from token index to sentence index (0 everywhere for an unsegmented Doc)."""
    index = [0] * len(doc)
    if doc.has_annotation("SENT_START"):
        for n, sent in enumerate(doc.sents):
            index[sent.start:sent.end] = [n] * (sent.end - sent.start)
    return index.__getitem__


def _questions(text: str):
    """A function telling whether character offset `k` of `text` is in a line (a paragraph of an
    interview) that ends in a question mark: the interviewer's turn."""
    ends, asks, start = [], [], 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        ends.append(end)
        asks.append(text[start:end].rstrip().endswith("?"))
        start = end + 1
    return lambda k: asks[bisect.bisect_left(ends, k)]


def _quotes(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Token indices (a, b) around each quotation, its words strictly between them: the
    opening mark and the closing mark (or the token after the text of a quotation left open).
    `text` is `doc.text`, which the caller has already built."""
    pairs = []
    for q in quotemarks.quotation_spans(text):
        if text[q.open_start] in quotemarks.SINGLE_MARKS:
            continue  # single-mark pairs are mostly titles and scare quotes, not speech
        content = doc.char_span(q.start, q.end, alignment_mode="expand")
        if content is not None and len(content):
            pairs.append((content.start - 1, content.end))
    return pairs


# ---------------------------------------------------------------- first person in quotes
def _first_person(tok: Token, quotes: list[tuple[int, int]], starts: list[int],
                  speakers: dict[tuple[int, int], int | None], resolved: dict[int, int],
                  referents: list[Referent]) -> int | None:
    """The speaker that "I", "me", "my" inside a quotation stand for ("we", "our" for an
    organisation that speaks, or for the organisation a speaker's title names), found through the
    verb the quotation depends on.

    `quotes` are in text order and do not overlap, `starts` their opening marks: the quotation
    is found by bisection and its speaker searched once (`speakers` keeps it), so many pronouns
    in one long quotation cost what one does."""
    k = bisect.bisect_left(starts, tok.i) - 1
    if k < 0 or not quotes[k][0] < tok.i < quotes[k][1]:
        return None
    quote = quotes[k]
    if quote not in speakers:
        speakers[quote] = _speaker(tok.doc, *quote, resolved)
    speaker = speakers[quote]
    if speaker is None:
        return None
    plural = tok.morph.get("Number") == ["Plur"]
    label = referents[speaker].label
    if plural and label == PERSON:  # "we" said by "NASA Administrator Charles Bolden" is NASA
        return referents[speaker].affiliation
    return speaker if (label == PERSON) != plural and label in (PERSON, "ORG", "GPE") else None


def _speaker(doc: Doc, a: int, b: int, resolved: dict[int, int]) -> int | None:
    """The referent who says the quotation between marks `a` and `b`: the subject of the verb
    outside it that the quoted words hang on ("...," Mattis told reporters; he said: "...")."""
    inside = doc[a + 1:b]
    verbs = {t.head for t in inside if not a <= t.head.i <= b}
    if not verbs:  # a quotation that is a sentence of its own: the verb next to it, in a's sentence
        lo = a
        while lo > max(0, a - 4) and not doc[lo].is_sent_start:
            lo -= 1
        after = [] if any(t.is_sent_start for t in doc[a + 1:b + 1]) else \
            list(itertools.takewhile(lambda t: not t.is_sent_start, doc[b + 1:b + 5]))
        verbs = {t for t in doc[lo:a] if t.pos_ == "VERB"} | {t for t in after if t.pos_ == "VERB"}
    # nearest first, the earlier of two as near: a set of Tokens iterates in an order of memory addresses
    for verb in sorted(verbs, key=lambda v: (min(abs(v.i - a), abs(v.i - b)), v.i)):
        for child in verb.children:
            if child.dep_ in SUBJECTS and not a < child.i < b and child.i in resolved:
                return resolved[child.i]
    return None
