"""The `Analysis`: tidy frames of one corpus, their documented columns, Parquet/CSV I/O.

Every table is one row per thing (article, mention, entity, quote, date, problem) and every
span carries `article_id`, `start`, `end`: character offsets into the article's text, end
exclusive, so `text[start:end] == row.text`. The columns below are the contract between the
extractors, the charts, the widgets and the scorer in `shared/eval`; they only ever grow.
"""
from __future__ import annotations

import json
import warnings
from collections import defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

import pandas as pd

# table -> [(column, pandas dtype, meaning)]. "list" columns hold lists of strings.
SCHEMA: dict[str, list[tuple[str, str, str]]] = {
    "articles": [
        ("id", "string", "article id, unique in the corpus"),
        ("title", "string", "headline, if known"),
        ("outlet", "string", "publisher or wire, if known"),
        ("published", "datetime64[ms]", "publication date; relative dates are resolved against it"),
        ("url", "string", "address of the article, if known"),
        ("source", "string", "file the article was read from"),
        ("record", "Int64", "line (JSONL) or row (CSV, Parquet) in that file, 1-based; null for whole files"),
        ("text", "string", "the article text every offset points into"),
        ("n_tokens", "Int64", "spaCy tokens (set by `analyze`)"),
    ],
    "mentions": [
        ("article_id", "string", "article the mention is in"),
        ("start", "int64", "character offset of the mention"),
        ("end", "int64", "end offset (exclusive)"),
        ("text", "string", "the mention as written"),
        ("label", "string", "spaCy NE label of its entity: PERSON, ORG, GPE, LOC, NORP, ..."),
        ("kind", "string", "`name`, `pronoun` or `nominal`"),
        ("entity_id", "string", "the canonical entity, stable across the corpus"),
        ("title", "string", "title or honorific split off a name (`Gen.`, `President`), else null"),
        ("sentence", "int64", "index of the sentence in the article, from 0"),
    ],
    "entities": [
        ("entity_id", "string", "stable id of the canonical entity"),
        ("name", "string", "canonical name: the fullest proper name"),
        ("label", "string", "spaCy NE label"),
        ("aliases", "list", "every distinct name used for it"),
        ("n_mentions", "int64", "mentions in the corpus (names, pronouns, nominals)"),
        ("n_articles", "int64", "articles that mention it"),
        ("gender", "string", "a person's: `female`, `male` or `unknown` (the text does not say); null for others"),
        ("gender_evidence", "string", "what gives the gender: `pronoun`, `title` or `first_name`; null if unknown"),
    ],
    "quotes": [
        ("article_id", "string", "article the quote is in"),
        ("start", "int64", "offset of the quoted or reported content, quotation marks outside"),
        ("end", "int64", "end offset (exclusive)"),
        ("text", "string", "the content"),
        ("kind", "string", "`direct` (in quotation marks), `indirect` (reported) or `mixed`"),
        ("cue", "string", "the verb or phrase that introduces it: `said`, `according to`"),
        ("cue_start", "Int64", "offset of the cue, null if none"),
        ("cue_end", "Int64", "end offset of the cue"),
        ("speaker", "string", "canonical name of the speaker, null if unknown"),
        ("speaker_entity_id", "string", "the speaker's entity in `entities`, null if unknown"),
        ("speaker_start", "Int64", "offset of the speaker as mentioned here (`he`, `Ryder`)"),
        ("speaker_end", "Int64", "end offset of that mention"),
        ("attribution", "string", "how the speaker was found: `subject`, `apposition`, `according_to`, `nearby_name`, "
                                  "`colon`, `dash`, `introduced`, `previous_quote`, `pronoun`, `role_noun` or `none`"),
        ("cue_lemma", "string", "the cue's dictionary form (`say`, `tell`, `according to`), null if no cue"),
    ],
    "dates": [
        ("article_id", "string", "article the expression is in"),
        ("start", "int64", "offset of the time expression"),
        ("end", "int64", "end offset (exclusive)"),
        ("text", "string", "the expression as written (`last year`, `Jan. 20`)"),
        ("type", "string", "TIMEX3 type: `DATE`, `TIME`, `DURATION` or `SET`"),
        ("value", "string", "TIMEX3 value: `2018-03-13`, `2017`, `2018-W11`, `P2W`, `PRESENT_REF`"),
        ("range_start", "datetime64[ms]", "first day the value covers (see Dates); null for sets, most durations and unresolved values"),
        ("range_end", "datetime64[ms]", "last day the value covers"),
        ("anchored", "boolean", "false when a relative expression had no publication date to resolve against"),
        ("mod", "string", "TIMEX3 modifier: `START`, `MID`, `END`, `APPROX`, `LESS_THAN`, `MORE_THAN`, ... or null"),
    ],
    "problems": [
        ("source", "string", "file (or `analyze` step) the problem comes from"),
        ("record", "Int64", "line or row in that file, 1-based; null for the whole file"),
        ("reason", "string", "what was wrong and what was done about it"),
    ],
}
TABLES = tuple(SCHEMA)


class AmbiguousEntityWarning(UserWarning):
    """A name that several entities go by was resolved to one of them."""


class AmbiguousEntityError(KeyError):
    """A name that several entities go by, asked for with `strict=True`."""


def columns(table: str) -> list[str]:
    """The documented columns of `table`, in order."""
    return [name for name, _, _ in SCHEMA[table]]


def _as_list(value) -> list[str]:
    if isinstance(value, str):  # CSV stores lists as JSON
        return list(json.loads(value)) if value.startswith("[") else [value]
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return [str(v) for v in value]


def conform(table: str, frame: pd.DataFrame | Iterable[dict] | None = None) -> pd.DataFrame:
    """`frame` with the documented columns of `table`, in order and with their dtypes.

    Missing documented columns are added empty; extra columns are kept after them.
    """
    frame = pd.DataFrame(frame if frame is not None else [])
    out = pd.DataFrame(index=frame.index)
    for name, dtype, _ in SCHEMA[table]:
        col = frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        if dtype == "list":
            out[name] = pd.Series([_as_list(v) for v in col], index=frame.index, dtype=object)
        elif dtype.startswith("datetime64"):
            out[name] = pd.to_datetime(col, errors="coerce", format="ISO8601").astype(dtype)
        elif dtype == "int64":
            out[name] = col.astype("int64")
        else:
            out[name] = col.astype(dtype)
    extra = [c for c in frame.columns if c not in out.columns]
    return pd.concat([out, frame[extra]], axis=1).reset_index(drop=True)


@dataclass
class Analysis:
    """The tables of one analysed corpus (see `SCHEMA` for their columns).

    Build it with `toolkit.analyze(...)`, save it with `to_parquet(dir)`, reopen it with
    `Analysis.read_parquet(dir)`. `for_articles` and `for_entity` return filtered copies.
    """

    articles: pd.DataFrame = field(default_factory=lambda: conform("articles"))
    mentions: pd.DataFrame = field(default_factory=lambda: conform("mentions"))
    entities: pd.DataFrame = field(default_factory=lambda: conform("entities"))
    quotes: pd.DataFrame = field(default_factory=lambda: conform("quotes"))
    dates: pd.DataFrame = field(default_factory=lambda: conform("dates"))
    problems: pd.DataFrame = field(default_factory=lambda: conform("problems"))

    def __post_init__(self) -> None:
        for f in fields(self):
            setattr(self, f.name, conform(f.name, getattr(self, f.name)))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(getattr(self, name))}" for name in TABLES)
        return f"Analysis({sizes})"

    def summary(self) -> str:
        """One line: how many rows each table has."""
        return ", ".join(f"{len(getattr(self, name))} {name}" for name in TABLES)

    # ------------------------------------------------------------------ I/O
    def to_parquet(self, directory: str | Path) -> Path:
        """Write every table as `DIR/<table>.parquet`; returns the folder."""
        return self._write(directory, "parquet")

    def to_csv(self, directory: str | Path) -> Path:
        """Write every table as `DIR/<table>.csv` (list columns as JSON); returns the folder."""
        return self._write(directory, "csv")

    def _write(self, directory: str | Path, fmt: str) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            frame = getattr(self, name)
            if fmt == "parquet":
                frame.to_parquet(directory / f"{name}.parquet", index=False)
            else:
                lists = [c for c, dtype, _ in SCHEMA[name] if dtype == "list"]
                frame.assign(**{c: frame[c].map(json.dumps) for c in lists}).to_csv(
                    directory / f"{name}.csv", index=False)
        return directory

    @classmethod
    def read_parquet(cls, directory: str | Path) -> "Analysis":
        """Reopen an analysis written by `to_parquet` (or `to_csv`), dtypes restored.

        A table may also be a folder of Parquet parts (as written by `toolkit.engine.distributed`).
        """
        directory = Path(directory)
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: no such folder of analysis tables")
        tables = {}
        for name in TABLES:
            for path, reader in ((directory / f"{name}.parquet", pd.read_parquet),
                                 (directory / name, pd.read_parquet),
                                 (directory / f"{name}.csv", _read_csv)):
                if path.exists():
                    tables[name] = reader(path)
                    break
            else:
                raise FileNotFoundError(f"{directory}: table {name!r} is missing "
                                        f"(expected {name}.parquet or {name}.csv)")
        return cls(**tables)

    read_csv = read_parquet

    # ------------------------------------------------------------ filtering
    def for_articles(self, ids: str | Iterable[str]) -> "Analysis":
        """A copy holding only the given articles (and the entities they mention)."""
        ids = {ids} if isinstance(ids, str) else {str(i) for i in ids}
        keep = {name: getattr(self, name) for name in ("mentions", "quotes", "dates")}
        keep = {name: frame[frame["article_id"].isin(ids)] for name, frame in keep.items()}
        used = set(keep["mentions"]["entity_id"].dropna()) | set(keep["quotes"]["speaker_entity_id"].dropna())
        return Analysis(articles=self.articles[self.articles["id"].isin(ids)],
                        entities=self.entities[self.entities["entity_id"].isin(used)],
                        problems=self.problems, **keep)

    def for_entity(self, entity: str, *, strict: bool = False) -> "Analysis":
        """A copy holding the articles that mention `entity` (an id, or a name or alias).

        A name that several entities go by is resolved as `entity_id` resolves it: with a
        warning that lists them, or an `AmbiguousEntityError` when `strict`.
        """
        entity_id = self.entity_id(entity, strict=strict)
        ids = self.mentions.loc[self.mentions["entity_id"] == entity_id, "article_id"]
        return self.for_articles(set(ids))

    def find_entities(self, name: str) -> pd.DataFrame:
        """Every entity that `name` can mean: the one with that id, and those whose canonical name
        or one of whose aliases it is (case ignored), most mentioned first.

        Returns:
            Columns `entity_id`, `name`, `label`, `n_mentions`, `n_articles` and `matched`
            (`id`, `name` or `alias`: how `name` matched it); no rows if none matches.
        """
        ents = self.entities
        wanted = str(name).lower()
        by_id = ents["entity_id"] == name
        by_name = ents["name"].str.lower() == wanted
        by_alias = pd.Series([wanted in {str(a).lower() for a in aliases} for aliases in ents["aliases"]],
                             index=ents.index, dtype=bool)
        hit = by_id | by_name | by_alias
        found = ents.loc[hit, ["entity_id", "name", "label", "n_mentions", "n_articles"]].copy()
        found["matched"] = ["id" if i else "name" if n else "alias"
                            for i, n in zip(by_id[hit], by_name[hit])]
        order = found["matched"].map({"id": 0, "name": 1, "alias": 2})
        found = found.assign(_order=order).sort_values(["_order", "n_mentions"], ascending=[True, False],
                                                       kind="stable")
        return found.drop(columns="_order").reset_index(drop=True)

    def entity_id(self, entity: str, *, strict: bool = False) -> str:
        """The id of an entity given its id, canonical name or one of its aliases.

        An id names one entity. A name that several entities go by ("Clinton", "Paris") is
        ambiguous: the answer is the entity whose canonical name it is, else the most mentioned,
        with an `AmbiguousEntityWarning` that lists every candidate (`find_entities` returns
        them as a frame); with `strict=True` it is an `AmbiguousEntityError` instead.

        Raises:
            KeyError: no entity has that id, name or alias.
            AmbiguousEntityError: `strict` and the name fits several entities.
        """
        found = self.find_entities(entity)
        if found.empty:
            raise KeyError(f"no entity named {entity!r} in this analysis")
        if found["matched"].iloc[0] == "id" or len(found) == 1:
            return found["entity_id"].iloc[0]
        listed = "; ".join(f"{eid} ({name}, {label}, {n} mentions)" for eid, name, label, n in
                           zip(found["entity_id"], found["name"], found["label"], found["n_mentions"]))
        if strict:
            raise AmbiguousEntityError(f"{entity!r} names {len(found)} entities: {listed}")
        warnings.warn(f"{entity!r} names {len(found)} entities; taking {found['entity_id'].iloc[0]}. "
                      f"All of them: {listed} (pass an entity_id, or strict=True to make this an error)",
                      AmbiguousEntityWarning, stacklevel=2)
        return found["entity_id"].iloc[0]

    def text_of(self, article_id: str) -> str:
        """The text of one article."""
        hit = self.articles.loc[self.articles["id"] == str(article_id), "text"]
        if hit.empty:
            raise KeyError(f"no article with id {article_id!r}")
        return hit.iloc[0]


# How a CSV cell of each SCHEMA dtype is read: text stays text ("007" is no number), the rest as written.
_CSV_DTYPES = {"string": "string", "Int64": "Int64", "int64": "int64", "boolean": "boolean"}


def _read_csv(path: Path) -> pd.DataFrame:
    """A table written by `to_csv` (its name is the file's), each documented column read as its dtype.

    Only empty cells are missing ("NA" or "None" can be real text: a speaker, a title); CSV cannot
    tell an empty string from a missing value, so both read back as missing. Columns beyond the
    documented ones are read as text, since CSV does not say their type.
    """
    dtypes = defaultdict(lambda: "string", {name: _CSV_DTYPES.get(dtype, "string")
                                            for name, dtype, _ in SCHEMA.get(path.stem, [])})
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=dtypes)
