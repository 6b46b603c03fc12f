"""The `Analysis`: tidy frames of one corpus, their documented columns, Parquet/CSV I/O.

Every table is one row per thing (article, mention, entity, quote, date, problem) and every
span carries `article_id`, `start`, `end`: character offsets into the article's text, end
exclusive, so `text[start:end] == row.text`. The columns below are the contract between the
extractors, the charts, the widgets and the scorer in `shared/eval`; they only ever grow.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import __version__
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
_SINGULAR = {"articles": "article", "mentions": "mention", "entities": "entity", "quotes": "quote", "dates": "date",
             "problems": "problem"}


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
    # what made the tables: model, corpus (set by `analyze`, kept in the folder's manifest)
    run: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in TABLES:
            setattr(self, name, conform(name, getattr(self, name)))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(getattr(self, name))}" for name in TABLES)
        return f"Analysis({sizes})"

    def summary(self) -> str:
        """One line: how many rows each table has ("3 articles, 1 entity, ...")."""
        return ", ".join(plural(len(getattr(self, name)), _SINGULAR[name], name) for name in TABLES)

    # ------------------------------------------------------------------ I/O
    def to_parquet(self, directory: str | Path) -> Path:
        """Write every table as `DIR/<table>.parquet`, with a manifest; returns the folder.

        The folder is replaced as a whole (see `OutputFolder`): a run killed while writing leaves
        the previous complete tables, never a mix of old and new.
        """
        return self._write(directory, "parquet")

    def to_csv(self, directory: str | Path) -> Path:
        """Write every table as `DIR/<table>.csv` (list columns as JSON), as `to_parquet` does; returns the folder."""
        return self._write(directory, "csv")

    def _write(self, directory: str | Path, fmt: str) -> Path:
        with OutputFolder(directory) as output:
            output.tables(self, fmt)
            output.commit(run=self.run)
        return Path(directory)

    @classmethod
    def read_parquet(cls, directory: str | Path) -> "Analysis":
        """Reopen an analysis written by `to_parquet` (or `to_csv`), dtypes restored.

        A table may also be a folder of Parquet parts (as written by `toolkit.engine.distributed`).
        When the folder has a manifest (every folder the toolkit writes does), its files and row
        counts are checked against it, and `run` says what made the tables.

        Raises:
            FileNotFoundError: no such folder, or a table is missing.
            ManifestError: the tables are not those the manifest lists (files of two runs).
        """
        directory = Path(directory)
        if not directory.is_dir():
            raise FileNotFoundError(f"{directory}: no such folder of analysis tables")
        manifest = read_manifest(directory)
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
        if manifest is not None:
            wrong = {name: len(tables[name]) for name, n in manifest.get("rows", {}).items()
                     if name in tables and len(tables[name]) != n}
            if wrong:
                raise ManifestError(f"{directory}: " + "; ".join(
                    f"{name} has {n} rows, the manifest says {manifest['rows'][name]}" for name, n in wrong.items())
                    + " (the folder mixes tables of two runs: analyse the corpus again)")
        run = {k: v for k, v in (manifest or {}).items() if k not in ("rows", "files")}
        return cls(**tables, run=run)

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


# ------------------------------------------------------------- output folders
MANIFEST = "manifest.json"
# what a folder of tables holds (and folders older versions left behind): only these are replaced
_OURS = frozenset({*(f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")), *TABLES, "report.html", MANIFEST,
                   "analysis.xlsx", ".toolkit-parts", ".toolkit-work"})


class OutputError(OSError):
    """An output folder that cannot be written: not a folder, not writable, holding other files, or busy."""


class ManifestError(ValueError):
    """A folder of tables that disagrees with its manifest (files of two runs mixed, or cut short)."""


class OutputFolder:
    """A folder of tables written as a whole: by `Analysis.to_parquet`, the streamed writer and Dask.

    Opening it (before any analysis) locks `out`, so that a second run on the same folder fails at
    once and says so; checks that `out` is a folder of toolkit tables or new, and that its parent
    can be written; and makes an empty staging folder beside it (`.NAME.tmp-XXXXXX`), `path`,
    where everything is written. `commit` adds the manifest (toolkit version, model, corpus, row
    counts and the size of every file, which `Analysis.read_parquet` checks) and moves the staging
    folder into place in one rename (an exchange of the two folders where Linux offers it), so a
    reader, or a run killed at any moment, finds the previous complete output or the new one,
    never a mix. Leaving without `commit` removes the staging folder; a killed run's is removed
    by the next run on the same folder.

    Args:
        out: the folder of tables (made if missing; its parent too).

    Raises:
        OutputError: `out` is a file, holds files that are not the toolkit's, is being written
            by another run, or its parent cannot be written.
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self._target = Path(os.path.abspath(out))  # "." or "a/.." have a name and a parent too
        self.rows: dict[str, int] = {}
        self._committed = False
        if self._target.exists() and not self._target.is_dir():
            raise OutputError(f"{self.out}: the output must be a folder, and this is a file")
        parent = self._target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._lock = _Lock(parent / f".{self._target.name}.lock", self.out)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write in {parent} ({exc.strerror or exc})") from None
        try:
            _clear_leftovers(self._target)
            if self._target.is_dir():
                foreign = sorted(p.name for p in self._target.iterdir() if p.name not in _OURS)
                if foreign:
                    raise OutputError(f"{self.out} holds {', '.join(foreign[:5])}{', ...' if len(foreign) > 5 else ''}, "
                                      "which are not toolkit tables; the output folder is replaced as a whole when "
                                      "the run ends, so give an empty or new folder")
            try:
                self.path = Path(tempfile.mkdtemp(prefix=f".{self._target.name}.tmp-", dir=parent))
            except OSError as exc:
                raise OutputError(f"{self.out}: cannot write in {parent} ({exc.strerror or exc})") from None
        except BaseException:
            self._lock.release()
            raise

    def tables(self, analysis: "Analysis", fmt: str = "parquet") -> dict[str, int]:
        """Write every table of `analysis` into the staging folder as `fmt` (parquet or csv)."""
        for name in TABLES:
            frame = getattr(analysis, name)
            if fmt == "parquet":
                frame.to_parquet(self.path / f"{name}.parquet", index=False)
            elif fmt == "csv":
                lists = [c for c, dtype, _ in SCHEMA[name] if dtype == "list"]
                frame.assign(**{c: frame[c].map(json.dumps) for c in lists}).to_csv(
                    self.path / f"{name}.csv", index=False)
            else:
                raise ValueError(f"unknown table format {fmt!r} (parquet or csv)")
            self.rows[name] = len(frame)
        return dict(self.rows)

    def commit(self, rows: dict[str, int] | None = None, run: dict | None = None) -> Path:
        """Write the manifest and move the staging folder into place; returns `out`.

        Args:
            rows: rows per table (those `tables` wrote when None).
            run: what made the tables, e.g. `{"model": ..., "corpus": ...}`.
        """
        files = {p.relative_to(self.path).as_posix(): p.stat().st_size
                 for p in sorted(self.path.rglob("*")) if p.is_file()}
        manifest = {"toolkit": __version__, **(run or {}),
                    "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "rows": dict(rows if rows is not None else self.rows), "files": files}
        (self.path / MANIFEST).write_text(json.dumps(manifest, indent=1, default=str) + "\n", encoding="utf-8")
        _replace(self.path, self._target)
        self._committed = True
        return self.out

    def close(self) -> None:
        """Remove the staging folder if not committed, and release the lock."""
        try:
            if not self._committed:
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            self._lock.release()

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_manifest(directory: str | Path) -> dict | None:
    """The manifest of a folder of tables, its files checked (None when it has none).

    Raises:
        FileNotFoundError: a file it lists is missing.
        ManifestError: a file it lists is of another size.
    """
    directory = Path(directory)
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path}: not a readable manifest ({exc})") from None
    for name, size in manifest.get("files", {}).items():
        file = directory / name
        if not file.is_file():
            raise FileNotFoundError(f"{directory}: {name} is missing, and the manifest lists it "
                                    "(the folder was cut short: analyse the corpus again)")
        if file.stat().st_size != size:
            raise ManifestError(f"{directory}: {name} has {file.stat().st_size:,} bytes, the manifest says {size:,} "
                                "(the folder mixes files of two runs: analyse the corpus again)")
    return manifest


class _Lock:
    """An exclusive lock on a file beside the output (`flock`: the system drops it when the process
    dies, so a killed run never leaves a stale lock)."""

    def __init__(self, path: Path, out: Path) -> None:
        self.file = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        if _fcntl is None:  # no flock here (Windows): no lock
            return
        try:
            _fcntl.flock(self.file, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.seek(0)
            holder = self.file.read().strip() or "?"
            self.file.close()
            raise OutputError(f"{out}: another run is writing this folder (process {holder}, lock {path}); "
                              "wait for it to end or choose another folder") from None
        self.file.seek(0)
        self.file.truncate()
        self.file.write(str(os.getpid()))
        self.file.flush()

    def release(self) -> None:
        self.file.close()  # closing drops the flock


try:
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None


def _clear_leftovers(out: Path) -> None:
    """Remove the staging folders of killed runs on `out`, and put back an output a run killed
    between the two renames of `_replace` had moved aside (the lock is held: none is in use)."""
    parent, name = out.parent, out.name
    for path in parent.iterdir():
        if path.name.startswith(f".{name}.tmp-"):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{name}.old-"):
            if not out.exists() and (path / "x").is_dir():
                os.rename(path / "x", out)
            shutil.rmtree(path, ignore_errors=True)


def _replace(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is, in one step where the system allows it."""
    if not out.exists():
        os.rename(staging, out)
    elif _exchange(staging, out):
        shutil.rmtree(staging)  # now the previous output
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / "x")
        os.rename(staging, out)
        shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot
        return False
    raise OSError(errno, os.strerror(errno), str(b))


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
