"""The `Analysis`: tidy frames of one corpus, their documented columns, Parquet/CSV I/O.

Every table is one row per thing (article, mention, entity, quote, date, problem) and every
span carries `article_id`, `start`, `end`: character offsets into the article's text, end
exclusive, so `text[start:end] == row.text`. The columns below are the contract between the
extractors, the charts, the widgets and the scorer in `shared/eval`; they only ever grow.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable

import pandas as pd

from .text.plurals import plural

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
        ("attribution", "string", "how the speaker was found: `subject`, `according_to`, `nearby_name`, `colon`, "
                                  "`dash`, `introduced`, `previous_quote`, `pronoun`, `role_noun` or `none`"),
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
_SINGULAR = {"articles": "article", "mentions": "mention", "entities": "entity", "quotes": "quote", "dates": "date",
             "problems": "problem"}


def columns(table: str) -> list[str]:
    """The documented columns of `table`, in order."""
    return [name for name, _, _ in SCHEMA[table]]


def _as_list(value) -> list[str]:
    if isinstance(value, str):  # CSV stores lists as JSON
        return list(json.loads(value)) if value.startswith("[") else [value]
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return [str(v) for v in value]


def _dates_inside(quotes: pd.DataFrame, dates: pd.DataFrame) -> dict[int, tuple[list, list, object, object]]:
    """Per quote position, the dates whose span lies inside the quote's: texts, values, first and last day."""
    if quotes.empty or dates.empty:
        return {}
    pairs = pd.DataFrame({"q": range(len(quotes)), "article_id": quotes["article_id"].to_numpy(),
                          "qs": quotes["start"].to_numpy(), "qe": quotes["end"].to_numpy()}).merge(
        dates[["article_id", "start", "end", "text", "value", "range_start", "range_end"]], on="article_id")
    pairs = pairs[(pairs["start"] >= pairs["qs"]) & (pairs["end"] <= pairs["qe"])].sort_values(["q", "start"])
    out = {}
    for q, group in pairs.groupby("q", sort=False):
        starts, ends = group["range_start"].dropna(), group["range_end"].dropna()
        out[int(q)] = ([str(t) for t in group["text"]], [None if pd.isna(v) else str(v) for v in group["value"]],
                       starts.min() if len(starts) else None, ends.max() if len(ends) else None)
    return out


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
    `Analysis.read_parquet(dir)`. `for_articles` and `for_entity` return filtered copies (the
    articles that mention an entity, with everything in them); `quotes_by` returns what one
    speaker said, and `who_said_what` every quote beside its speaker, article and dates.
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
        """One line: how many rows each table has ("3 articles, 1 entity, ...")."""
        return ", ".join(plural(len(getattr(self, name)), _SINGULAR[name], name) for name in TABLES)

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

    def for_entity(self, entity: str) -> "Analysis":
        """A copy holding the articles that mention `entity` (an id, or a name or alias)."""
        entity_id = self.entity_id(entity)
        ids = self.mentions.loc[self.mentions["entity_id"] == entity_id, "article_id"]
        return self.for_articles(set(ids))

    def entity_id(self, entity: str) -> str:
        """The id of an entity given its id, canonical name or one of its aliases."""
        ents = self.entities
        if (ents["entity_id"] == entity).any():
            return entity
        by_name = ents.loc[ents["name"].str.lower() == entity.lower(), "entity_id"]
        if len(by_name):
            return by_name.iloc[0]
        wanted = entity.lower()
        hits = [eid for eid, aliases in zip(ents["entity_id"], ents["aliases"])
                if wanted in {a.lower() for a in aliases}]
        if not hits:
            raise KeyError(f"no entity named {entity!r} in this analysis")
        return hits[0]

    # ------------------------------------------------------------- questions
    def quotes_by(self, speaker: str) -> pd.DataFrame:
        """The quotes `speaker` said: an entity's id, canonical name or alias (see `entity_id`).

        Unlike `for_entity`, which keeps the articles that *mention* an entity (and so every
        quote in them, whoever said it), this keeps only the quotes whose speaker *is* the
        entity. A speaker the toolkit could not tie to an entity ("the spokesman") is matched
        by its words in `quotes.speaker`, case aside.

        Raises:
            KeyError: no entity and no unresolved speaker goes by that name.
        """
        try:
            entity_id = self.entity_id(speaker)
        except KeyError:
            words = self.quotes["speaker"].str.lower() == speaker.lower()
            unresolved = self.quotes[words.fillna(False).astype(bool) & self.quotes["speaker_entity_id"].isna()]
            if unresolved.empty:
                raise KeyError(f"no speaker or entity named {speaker!r} in this analysis") from None
            return unresolved.reset_index(drop=True)
        return self.quotes[self.quotes["speaker_entity_id"] == entity_id].reset_index(drop=True)

    def who_said_what(self) -> pd.DataFrame:
        """Every quote beside its speaker, its article and the dates it mentions: one tidy frame.

        One row per quote, in the order of `quotes`. Columns: `article_id`, `title`, `outlet`,
        `published`; `speaker`, `speaker_entity_id`, `speaker_label` (the entity's NE label),
        `attribution` (how the speaker was found); `kind`, `cue`, `cue_lemma`, `text`, `start`,
        `end`; and the time expressions inside the quote: `dates` (as written), `date_values`
        (their TIMEX3 values; lists, empty when none) and `date_range_start`, `date_range_end`
        (the earliest first day and latest last day they cover, null when none has a range).
        """
        q = self.quotes.reset_index(drop=True)
        arts = self.articles.drop_duplicates("id").set_index("id")
        ents = self.entities.drop_duplicates("entity_id").set_index("entity_id")
        out = pd.DataFrame({"article_id": q["article_id"]})
        for column in ("title", "outlet", "published"):
            out[column] = arts[column].reindex(q["article_id"]).to_numpy()
        out["published"] = out["published"].astype("datetime64[ms]")
        out["speaker"] = q["speaker"]
        out["speaker_entity_id"] = q["speaker_entity_id"]
        out["speaker_label"] = pd.array(ents["label"].reindex(q["speaker_entity_id"]).to_numpy(), dtype="string")
        for column in ("attribution", "kind", "cue", "cue_lemma", "text", "start", "end"):
            out[column] = q[column]
        inside = _dates_inside(q, self.dates)
        out["dates"] = [inside.get(i, ([], [], None, None))[0] for i in range(len(q))]
        out["date_values"] = [inside.get(i, ([], [], None, None))[1] for i in range(len(q))]
        out["date_range_start"] = pd.Series([inside.get(i, (0, 0, None, None))[2] for i in range(len(q))],
                                            dtype="datetime64[ms]")
        out["date_range_end"] = pd.Series([inside.get(i, (0, 0, None, None))[3] for i in range(len(q))],
                                          dtype="datetime64[ms]")
        return out

    # ------------------------------------------------------------- Excel
    def to_excel(self, path: str | Path) -> Path:
        """Write every table as one sheet of the workbook `path` (`.xlsx`, through openpyxl).

        Nothing is cut: a text longer than an Excel cell holds (32,767 characters) fills its
        cell with the first 32,000 and goes on in columns `text (part 2)`, `text (part 3)`,
        ... beside it; `Analysis.read_excel` joins them again. List columns are JSON, as in
        `to_csv`. Control characters that a workbook cannot hold (XML forbids them) become
        U+FFFD, one for one, so offsets still point at the same characters. Returns the path.
        """
        from .workbook import write_workbook

        return write_workbook({name: getattr(self, name) for name in TABLES}, path)

    @classmethod
    def read_excel(cls, path: str | Path) -> "Analysis":
        """Reopen a workbook written by `to_excel`: long texts joined again, dtypes restored."""
        from .workbook import read_workbook

        return cls(**read_workbook(path, TABLES))

    def text_of(self, article_id: str) -> str:
        """The text of one article."""
        hit = self.articles.loc[self.articles["id"] == str(article_id), "text"]
        if hit.empty:
            raise KeyError(f"no article with id {article_id!r}")
        return hit.iloc[0]


def _read_csv(path: Path) -> pd.DataFrame:
    # only empty cells are missing: "NA" or "None" can be real text (a speaker, a title)
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"article_id": str, "id": str})
