"""Excel workbooks of an analysis: one sheet per table, nothing cut (`Analysis.to_excel`, `read_excel`).

An Excel cell holds 32,767 characters; pandas cuts a longer text there (with a warning). Here a
longer text fills its cell with the first 32,000 characters and goes on in columns `text (part 2)`,
`text (part 3)`, ... beside it, and `read_workbook` joins them again. List columns are JSON, as in
the CSV files. Characters XML forbids (most control characters, lone surrogates) become U+FFFD,
one for one, so every offset still points at the same character.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

import pandas as pd

from .analysis import SCHEMA

CELL_CHARS = 32_000  # below Excel's 32,767 UTF-16 units per cell, with room for characters that take two


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write each table (name -> frame) as a sheet of `path` (openpyxl); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tables.items():
            lists = [c for c, dtype, _ in SCHEMA.get(name, ()) if dtype == "list"]
            frame = frame.assign(**{c: frame[c].map(json.dumps) for c in lists})
            text = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) == "string"]
            frame = _parts(frame.assign(**{c: frame[c].map(_excel_text) for c in text}), text)
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def read_workbook(path: str | Path, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The sheets `names` of a workbook `write_workbook` wrote, long texts joined again (to `conform`)."""
    sheets = pd.read_excel(path, sheet_name=list(names), dtype=object, keep_default_na=False, na_values=[""])
    return {name: _join_parts(frame) for name, frame in sheets.items()}


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _excel_text(value):
    return _XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def _parts(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`frame` with each text longer than a cell cut into cells: `col`, `col (part 2)`, ..."""
    for col in columns:
        lengths = frame[col].map(lambda v: len(v) if isinstance(v, str) else 0)
        parts = -(-int(lengths.max()) // CELL_CHARS) if len(frame) else 0
        if parts <= 1:
            continue
        values = frame[col]
        at = frame.columns.get_loc(col) + 1
        for k in range(parts - 1, 0, -1):  # inserted right after `col`, in order
            frame.insert(at, f"{col} (part {k + 1})", values.map(
                lambda v, k=k: v[k * CELL_CHARS:(k + 1) * CELL_CHARS] or None if isinstance(v, str) else None))
        frame[col] = values.map(lambda v: v[:CELL_CHARS] if isinstance(v, str) else v)
    return frame


_PART = re.compile(r"^(.*) \(part (\d+)\)$")


def _join_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of `_parts`: every `col (part k)` appended to `col` and dropped."""
    parts = sorted(((m.group(1), int(m.group(2)), c) for c in frame.columns if (m := _PART.match(str(c)))
                    and m.group(1) in frame.columns), key=lambda t: (t[0], t[1]))
    for col, _, part in parts:
        frame[col] = [a if not isinstance(b, str) else (a if isinstance(a, str) else "") + b
                      for a, b in zip(frame[col], frame[part])]
    return frame.drop(columns=[part for _, _, part in parts])
