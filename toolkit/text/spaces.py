"""Unicode spaces and dashes, read as the plain ones every extractor knows.

Web text is full of no-break, thin and narrow no-break spaces ("Nov.\u00a028", "Gen.\u00a0Valery
Gerasimov") and of rarer dashes (the horizontal bar of a signed quote, the minus sign, the
non-breaking hyphen), and the curly apostrophe of "n’t". spaCy's English pipelines were trained on
plain spaces: a no-break space becomes a token of its own and the date loses its day, the name its
first word; "n’t" before a quotation mark is read as a verb. `plain(text)` maps each such
character to its plain counterpart, one character for one, so every offset into the plain text is
an offset into the original. The engine runs the pipeline on `plain(text)` and
gives every row the original characters back (`toolkit.engine.work`): this is the one place
where the dates, quotes and entities layers all learn it.
"""
from __future__ import annotations

import re

# Space characters (Unicode Zs and the like) other than " ": no-break, en/em/thin/hair spaces,
# figure and punctuation spaces, narrow no-break, medium mathematical, ideographic.
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Dashes read as a hyphen (inside words and numbers) or as an em dash (between phrases); the
# en dash and the em dash themselves are common, and spaCy knows them.
HYPHENS = "\u2010\u2011\u2212\ufe63\uff0d"  # hyphen, non-breaking hyphen, minus, small and full-width hyphen-minus
EM_DASHES = "\u2015\u2e3a\u2e3b\ufe58"  # horizontal bar, two- and three-em dash, small em dash
FIGURE_DASH = "\u2012"  # the width of a digit: an en dash between numbers

_TABLE = str.maketrans({**dict.fromkeys(SPACES, " "), **dict.fromkeys(HYPHENS, "-"),
                        **dict.fromkeys(EM_DASHES, "\u2014"), FIGURE_DASH: "\u2013"})


# "n’t" with a curly apostrophe: before a quotation mark spaCy's English models read it as a verb
# or a noun hung as punctuation ("aren’t “paying attention”"), and the clause around it falls apart;
# with the plain apostrophe it is the negation. The other contractions are read alike either way.
_CURLY_NOT = re.compile(r"(?<=\wn)\u2019(?=t\b)")


def plain(text: str) -> str:
    """`text` with Unicode spaces and dashes made plain, one character for one (offsets unchanged),
    and the apostrophe of "n’t" made plain."""
    return _CURLY_NOT.sub("'", text.translate(_TABLE))
