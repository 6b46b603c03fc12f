"""Load news articles from files into the `articles` frame, reporting every record not taken.

`load_corpus(path)` reads one file, a folder (recursively) or a glob of `.txt`, `.jsonl`,
`.csv`, `.parquet` and `.html` files. Metadata (`id`, `title`, `outlet`, `published`, `url`)
comes from the record itself, from a sidecar manifest beside `.txt` files, or from the
arguments. Nothing is dropped silently: every record that cannot be used becomes a row of
the `problems` frame naming its file, its line or row, and the reason.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import glob
import os
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import pandas as pd
from dateutil import parser as dateparser

from .analysis import conform

EXTENSIONS = (".txt", ".jsonl", ".csv", ".parquet", ".html", ".htm")
MANIFESTS = ("manifest.jsonl", "manifest.csv", "manifest.json")
# Files a corpus folder may hold beside its articles that are documentation, not records.
NOT_RECORDS = ("readme", "license", "licence", "credits", "notice", "changelog")

# Column aliases, first match wins. Lower-cased names are compared.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "story", "maintext"),
    "id": ("id", "article_id", "doc_id", "docid", "uid", "guid"),
    "title": ("title", "headline", "heading"),
    "outlet": ("outlet", "publisher", "source_name", "sitename", "site", "publication", "media", "newspaper"),
    "published": ("published", "date", "pub_date", "publish_date", "published_at", "publication_date",
                  "datetime", "timestamp", "dateline_date"),
    "url": ("url", "link", "href", "permalink"),
}


class Corpus(NamedTuple):
    """What `load_corpus` returns: the articles and the problems met while reading them."""

    articles: pd.DataFrame
    problems: pd.DataFrame


class CorpusError(ValueError):
    """The path itself cannot be read as a corpus (nothing there, or not a supported file)."""


@dataclass
class _Reader:
    """Collects articles and problems while files are read."""

    default_published: Any = None
    default_outlet: str | None = None
    encoding: str = "utf-8"
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    def flush(self) -> Corpus:
        """The articles and problems gathered since the last flush, as a `Corpus`."""
        chunk = Corpus(conform("articles", self.rows).drop(columns=["n_tokens"]), conform("problems", self.problems))
        self.rows, self.problems = [], []
        return chunk

    def problem(self, source: Path | str, record: int | None, reason: str) -> None:
        self.problems.append({"source": str(source), "record": record, "reason": reason})

    def add(self, source: Path, record: int | None, raw: dict, fallback_id: str) -> None:
        """Add one article from a mapping of raw fields, or a problem row saying why not."""
        fields_ = _pick(raw)
        text = fields_.get("text")
        where = f"{source}" + (f":{record}" if record else "")
        if text is None:
            present = any(str(k).lower() in ALIASES["text"] for k in raw)
            self.problem(source, record, "empty text; skipped" if present else
                         "no text field (looked for: " + ", ".join(ALIASES["text"]) + "); skipped")
            return
        if not isinstance(text, str):
            self.problem(source, record, f"text is a {type(text).__name__}, not a string; skipped")
            return
        if not text.strip():
            self.problem(source, record, "empty text; skipped")
            return
        art_id = fields_.get("id")
        art_id = fallback_id if art_id is None or (isinstance(art_id, float) and pd.isna(art_id)) else str(art_id)
        if art_id in self.seen:
            self.problem(source, record, f"duplicate id {art_id!r} (first read from {self.seen[art_id]}); skipped")
            return
        published = fields_.get("published")
        if _missing(published):
            published = self.default_published
        date = None
        if not _missing(published):
            try:
                date = _parse_date(published)
            except (ValueError, OverflowError, TypeError):
                self.problem(source, record, f"unparseable date {published!r}; article kept without a date")
        self.seen[art_id] = where
        self.rows.append({
            "id": art_id,
            "title": _clean(fields_.get("title")),
            "outlet": _clean(fields_.get("outlet")) or self.default_outlet,
            "published": date,
            "url": _clean(fields_.get("url")),
            "source": str(source),
            "record": record,
            "text": text,
        })


def load_corpus(path: str | Path, *, published: Any = None, outlet: str | None = None,
                encoding: str = "utf-8") -> Corpus:
    """Read articles from a file, a folder (recursively) or a glob pattern.

    Args:
        path: a `.txt`, `.jsonl`, `.csv`, `.parquet` or `.html` file, a folder of them, or a
            glob such as `"news/*.jsonl"`.
        published: publication date for articles whose record and manifest give none.
        outlet: outlet for articles whose record and manifest give none.
        encoding: text encoding of `.txt`, `.jsonl`, `.csv` and `.html` files.

    Returns:
        `Corpus(articles, problems)`: the articles frame (columns in `toolkit.analysis.SCHEMA`)
        and one problem row (`source`, `record`, `reason`) per file or record not taken, or
        taken with a defect (an unparseable date keeps the article without a date).

    Raises:
        CorpusError: `path` matches no file at all.

    Notes:
        Records are mappings with a text field (`text`, `body`, `content`, ...) and optional
        `id`, `title`, `outlet`, `published` (`date`, `pub_date`, ...) and `url`. A `.txt`
        file is one article whose id is its path below the folder, without extension; its
        metadata may come from a `manifest.jsonl` / `manifest.csv` beside it, keyed by `file`
        (the file name) or `id`. HTML pages go through trafilatura, which finds the main text
        and the page's title, date, site name and address. README, LICENSE and similar files
        in a corpus folder are documentation and are not read as articles. `iter_corpus`
        reads the same records in chunks.
    """
    (corpus,) = iter_corpus(path, published=published, outlet=outlet, encoding=encoding, chunk_size=None)
    return corpus


def iter_corpus(path: str | Path, *, published: Any = None, outlet: str | None = None, encoding: str = "utf-8",
                chunk_size: int | None = 1000) -> Iterator[Corpus]:
    """Read a corpus as `load_corpus` does, as a stream of chunks of at most `chunk_size` articles.

    Concatenated, the chunks are exactly what `load_corpus` returns (articles and problems, in
    order), but only one chunk of articles is held at a time: JSONL files are read line by line
    and Parquet files 1,024 rows at a time. A CSV file is read whole (its parser needs the whole file
    to tell a bad file from a bad row), as are `.txt` and `.html` files (one article each).

    Args:
        path, published, outlet, encoding: as for `load_corpus`.
        chunk_size: most articles per chunk; None reads everything into one chunk.

    Yields:
        `Corpus(articles, problems)` chunks; each chunk's problems are those met while reading
        it. At least one chunk is yielded, possibly empty.

    Raises:
        CorpusError: `path` matches no file at all.
    """
    reader = _Reader(default_published=published, default_outlet=outlet, encoding=encoding)
    root, files = _resolve(path)
    manifests: dict[Path, dict[str, dict]] = {}
    yielded = False
    for file in files:
        ext = file.suffix.lower()
        rel = file.relative_to(root) if root in file.parents else Path(file.name)
        try:
            if ext == ".txt":
                if file.parent not in manifests:
                    manifests[file.parent] = _read_manifest(file.parent, reader)
                records = _read_txt(file, rel, manifests[file.parent], reader)
            elif ext == ".jsonl":
                records = _read_jsonl(file, rel, reader)
            elif ext in (".csv", ".parquet"):
                records = _read_table(file, rel, reader)
            elif ext in (".html", ".htm"):
                records = _read_html(file, rel, reader)
            else:
                reader.problem(file, None, f"unknown file type {ext or '(no extension)'!r}; "
                               f"supported: {', '.join(EXTENSIONS)}; skipped")
                continue
            for _ in records:
                if chunk_size and len(reader.rows) >= chunk_size:
                    yield reader.flush()
                    yielded = True
        except _FileProblem as exc:
            reader.problem(file, None, f"{exc}; skipped")
    if reader.rows or reader.problems or not yielded:
        yield reader.flush()


class _FileProblem(Exception):
    """A whole file cannot be read; becomes one problem row."""


def _resolve(path: str | Path) -> tuple[Path, list[Path]]:
    """The root to take ids relative to, and the files to read, sorted."""
    path = Path(path)
    if path.is_file():
        return path.parent, [path]
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and _is_record_file(p)]
        return path, sorted(files)
    matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
    files = [p for p in matches if p.is_file() and _is_record_file(p)]
    if not files:
        raise CorpusError(f"{path}: no such file or folder, and no file matches it as a pattern")
    return Path(os.path.commonpath([str(p.parent) for p in files])), files


def _is_record_file(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith(".") or any(part.startswith(".") for part in path.parts[:-1] if part not in (".", "..")):
        return False
    return name not in MANIFESTS and not name.startswith(NOT_RECORDS)


def _codec(encoding: str) -> str:
    """The codec to decode with: UTF-8 files may start with a byte-order mark."""
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _read_text(file: Path, encoding: str) -> str:
    data = file.read_bytes()
    if b"\x00" in data[:8192]:
        raise _FileProblem("binary file (holds NUL bytes), not text")
    try:
        return data.decode(_codec(encoding))
    except UnicodeDecodeError as exc:
        raise _undecodable(encoding, exc.start, data[exc.start:exc.start + 1]) from None
    except LookupError as exc:
        raise _FileProblem(str(exc)) from None


def _undecodable(encoding: str, position: int, byte: bytes) -> _FileProblem:
    return _FileProblem(f"cannot decode as {encoding} (byte {position}: {byte!r}); "
                        "pass encoding=... if the file uses another one")


def _check_text(file: Path, encoding: str, block: int = 1 << 20) -> None:
    """Raise the `_read_text` problem of `file`, if any, without holding the file in memory."""
    try:
        decoder = codecs.getincrementaldecoder(_codec(encoding))()
    except LookupError as exc:
        raise _FileProblem(str(exc)) from None
    offset = 0
    with open(file, "rb") as stream:
        while data := stream.read(block):
            if offset == 0 and b"\x00" in data[:8192]:
                raise _FileProblem("binary file (holds NUL bytes), not text")
            pending = len(decoder.getstate()[0])  # bytes of a character split across blocks
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:
                raise _undecodable(encoding, offset - pending + exc.start,
                                   exc.object[exc.start:exc.start + 1]) from None
            offset += len(data)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise _undecodable(encoding, offset - len(exc.object) + exc.start,
                               exc.object[exc.start:exc.start + 1]) from None


def _iter_lines(file: Path, encoding: str) -> Iterator[str]:
    """The lines of a text file as `str.splitlines` cuts them, read one at a time."""
    _check_text(file, encoding)
    # newline="" cuts at \n, \r and \r\n only; splitlines then cuts at the other boundaries
    # (\x85, \u2028, ...) as it would over the whole text.
    with open(file, encoding=_codec(encoding), newline="") as stream:
        for line in stream:
            yield from line.splitlines()


def _read_txt(file: Path, rel: Path, manifest: dict[str, dict], reader: _Reader) -> Iterator[None]:
    text = _read_text(file, reader.encoding)
    meta = manifest.get(file.name) or manifest.get(file.stem) or {}
    fallback = rel.with_suffix("").as_posix()
    reader.add(file, None, {**meta, "text": text, "id": meta.get("id", fallback)}, fallback)
    yield


def _read_manifest(folder: Path, reader: _Reader) -> dict[str, dict]:
    """Metadata for the `.txt` files of `folder`, keyed by file name and by id."""
    out: dict[str, dict] = {}
    for name in MANIFESTS:
        path = folder / name
        if not path.exists():
            continue
        try:
            raw = _read_text(path, reader.encoding)
            if name.endswith(".jsonl"):
                records = [json.loads(line) for line in raw.splitlines() if line.strip()]
            elif name.endswith(".json"):
                loaded = json.loads(raw)
                records = loaded if isinstance(loaded, list) else [dict(v, file=k) for k, v in loaded.items()]
            else:
                records = list(csv.DictReader(io.StringIO(raw)))
        except (ValueError, _FileProblem, AttributeError) as exc:
            reader.problem(path, None, f"unreadable manifest ({exc}); its metadata is not used")
            continue
        for rec in records:
            keys = [rec.get("file"), rec.get("filename"), rec.get("id")]
            for key in filter(None, keys):
                out[str(key)] = rec
    return out


def _read_jsonl(file: Path, rel: Path, reader: _Reader) -> Iterator[None]:
    for n, line in enumerate(_iter_lines(file, reader.encoding), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reader.problem(file, n, f"broken JSON ({exc.msg} at column {exc.colno}); line skipped")
            continue
        if not isinstance(record, dict):
            reader.problem(file, n, f"a JSON {type(record).__name__}, not an object; line skipped")
            continue
        reader.add(file, n, record, f"{rel.with_suffix('').as_posix()}:{n}")
        yield


def _read_table(file: Path, rel: Path, reader: _Reader) -> Iterator[None]:
    kind = file.suffix.lower()[1:].upper()
    try:
        if kind == "CSV":
            frames = iter([pd.read_csv(io.StringIO(_read_text(file, reader.encoding)), dtype=str,
                                       keep_default_na=False)])
        else:
            frames = _parquet_batches(file)
        frame = next(frames)
    except _FileProblem:
        raise
    except Exception as exc:  # pandas/pyarrow raise many kinds; the message is what matters
        raise _FileProblem(f"unreadable {kind} ({type(exc).__name__}: {exc})") from None
    lower = {str(c).lower(): c for c in frame.columns}
    if not any(alias in lower for alias in ALIASES["text"]):
        raise _FileProblem(f"no text column (columns: {', '.join(map(str, frame.columns))}; "
                           f"expected one of {', '.join(ALIASES['text'])})")
    n = 0
    while frame is not None:
        for record in frame.to_dict("records"):
            n += 1
            reader.add(file, n, record, f"{rel.with_suffix('').as_posix()}:{n}")
            yield
        try:
            frame = next(frames, None)
        except Exception as exc:
            raise _FileProblem(f"unreadable {kind} after row {n} ({type(exc).__name__}: {exc}); "
                               "the rows before it are kept") from None


def _parquet_batches(file: Path, rows: int = 1024) -> Iterator[pd.DataFrame]:
    """A Parquet file as frames of at most `rows` rows: first an empty one with its columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(file)
    schema = parquet.schema_arrow
    yield schema.empty_table().to_pandas()
    for batch in parquet.iter_batches(batch_size=rows):
        yield pa.Table.from_batches([batch], schema=schema).to_pandas()


def _read_html(file: Path, rel: Path, reader: _Reader) -> Iterator[None]:
    import trafilatura

    html = _read_text(file, reader.encoding)
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        raise _FileProblem("no article text found in the HTML page")
    fallback = rel.with_suffix("").as_posix()
    reader.add(file, None, {"text": doc.text, "title": doc.title, "published": doc.date, "url": doc.url,
                            "outlet": doc.sitename, "id": fallback}, fallback)
    yield


def _pick(raw: dict) -> dict:
    """The toolkit's fields from a record, through the column aliases."""
    lower = {str(k).lower(): v for k, v in raw.items()}
    out = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in lower and not _missing(lower[alias]):
                out[name] = lower[alias]
                break
    return out


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _clean(value: Any) -> str | None:
    return None if _missing(value) else str(value).strip()


def _parse_date(value: Any) -> pd.Timestamp:
    """A publication date (day precision, time zone dropped) from a string, number or date."""
    if isinstance(value, dt.date):
        stamp = pd.Timestamp(value)
    elif isinstance(value, int | float):
        # epoch seconds (or milliseconds, when too large for seconds)
        stamp = pd.Timestamp(value, unit="ms" if abs(value) > 1e11 else "s")
    else:
        stamp = pd.Timestamp(dateparser.parse(str(value).strip(), default=None))
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()
