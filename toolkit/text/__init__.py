"""String-level helpers that need no spaCy.

- `names` — folding, heads, titles, countries: how names compare;
- `quotemarks` — quotation marks paired into quotations (flanking rules, unclosed and
  multi-paragraph quotes);
- `timex` — TIMEX3 calendar arithmetic (values, weeks, ranges);
- `lexicons` — every reader of `toolkit/data/`;
- `plurals` — counts in words ("1 article", "3 entities").
"""
