"""Sentence starts the parser must keep: a paragraph that follows a finished one begins a sentence.

News text puts a paragraph break where the writer ended a thought; the statistical parser, which
reads a whole article as one stream, sometimes runs a sentence over it and hangs the end of one
paragraph on a verb of the next ("... the last quotation of a paragraph.” \\n\\n A spokesman said
..." parsed with the quotation as what the spokesman said). `paragraph_starts(doc)` marks the first
token after such a break as a sentence start before the parser runs (spaCy's parser keeps preset
boundaries, see `Token.is_sent_start`), so every later layer reads the sentences the writer made.

Only a blank line after a finished paragraph counts: one whose last word ends a sentence (".",
"!", "?", a closing quotation mark or bracket, a colon), a time-stamp line of a live blog ("5:15
p.m.") included. A single line break (a hard-wrapped line, the lines of a list or of an
encyclopedia's sections) and a line that ends mid-sentence (a heading without a full stop) are left
to the parser, which reads them as before.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

FINISHED = frozenset(".!?:;\"'”’»)]")


def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a blank line that ends a finished paragraph as a sentence start (in place)."""
    if doc.has_annotation("DEP"):
        return doc  # parsed already: sentence boundaries are the parser's
    for tok in doc[1:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        before, after = doc[tok.i - 1], doc[tok.i + 1]
        if before.is_space or after.is_space:
            continue
        if tok.text.count("\n") > 1 and before.text[-1] in FINISHED:
            after.is_sent_start = True
    return doc


@Language.component("toolkit_sentences")
def sentences_component(doc: Doc) -> Doc:
    """Before the parser: sentence starts after finished paragraphs (see `paragraph_starts`)."""
    return paragraph_starts(doc)
