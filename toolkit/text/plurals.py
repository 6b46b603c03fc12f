"""Counts in words: "1 article", "2 articles", "1 entity", "3 entities"."""
from __future__ import annotations

import re

_ES = re.compile(r"(s|x|z|ch|sh)$")
_IES = re.compile(r"[^aeiou]y$")


def plural_of(noun: str) -> str:
    """The plural of an English count noun by the regular rules (`entity` -> `entities`)."""
    if _IES.search(noun):
        return noun[:-1] + "ies"
    return noun + ("es" if _ES.search(noun) else "s")


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """`n` with thousands separators and `noun`, singular for exactly one.

    `noun` is the singular; `plural_form` overrides the regular plural ("1 person", "2 people").
    """
    return f"{n:,} {noun if n == 1 else plural_form or plural_of(noun)}"
