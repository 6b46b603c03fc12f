"""What a reader sees, built from the tables alone (no spaCy here).

- `charts` — Altair charts, each a pandas aggregation plus a draw function;
- `widgets` — ipywidgets explorers driven by the tables;
- `highlight` — article text with quotes, mentions and dates marked, escaped;
- `report` — the self-contained HTML report.
"""
