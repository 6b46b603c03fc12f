"""Load news articles from files into the `articles` frame, reporting every record not taken.

`load_corpus(path)` reads one file, a folder (recursively) or a glob of `.txt`, `.jsonl`,
`.csv`, `.parquet` and `.html` files. Metadata (`id`, `title`, `outlet`, `published`, `url`)
comes from the record itself, from a sidecar manifest beside `.txt` files, or from the
arguments. Nothing is dropped silently: every file, folder or record that cannot be used (or
is used with a defect) becomes a row of the `problems` frame naming its file, its line or row,
and the reason. Reading is lossless: a text is never cut, re-encoded or re-numbered; what the
Parquet writer could not store (a lone surrogate) is replaced one character for one, so every
offset still holds, and said in `problems`.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import glob
import io
import json
import logging
import numbers
import os
import re
import stat
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

import pandas as pd
from dateutil import parser as dateparser

from .analysis import conform

EXTENSIONS = (".txt", ".jsonl", ".csv", ".parquet", ".html", ".htm")
MANIFESTS = ("manifest.jsonl", "manifest.csv", "manifest.json")
# Files a corpus folder may hold beside its articles that are documentation, not records.
NOT_RECORDS = ("readme", "license", "licence", "credits", "notice", "changelog")
# The least text (characters) an HTML page must yield to be an article: less is a menu or a
# cookie notice left over by the extractor, not news.
MIN_PAGE_TEXT = 100

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
METADATA = ("title", "outlet", "url")
FRAME = "articles frame"  # the `source` of problems met in a frame given to `analyze`


class Corpus(NamedTuple):
    """What `load_corpus` returns: the articles and the problems met while reading them."""

    articles: pd.DataFrame
    problems: pd.DataFrame


class CorpusError(ValueError):
    """The corpus cannot be read at all: nothing at the path, an unknown encoding, a bad default date."""


class _FileProblem(Exception):
    """A whole file cannot be read; becomes one problem row."""


class _RecordProblem(Exception):
    """One record cannot be taken; becomes one problem row and the record is skipped."""


@dataclass
class _Reader:
    """Collects articles and problems while files are read."""

    default_published: pd.Timestamp | None = None
    default_outlet: str | None = None
    encoding: str = "utf-8"
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)  # article id -> where it was first read
    files: dict[str, str] = field(default_factory=dict)  # real path -> the path it was read through

    def flush(self) -> Corpus:
        """The articles and problems gathered since the last flush, as a `Corpus`."""
        chunk = Corpus(conform("articles", self.rows).drop(columns=["n_tokens"]), conform("problems", self.problems))
        self.rows, self.problems = [], []
        return chunk

    def problem(self, source: Path | str, record: int | None, reason: str) -> None:
        self.problems.append({"source": str(source), "record": record, "reason": reason})

    def add(self, source: Path, record: int | None, raw: dict, fallback_id: str) -> None:
        """Add one article from a mapping of raw fields, or a problem row saying why not."""
        row = self.take(source, record, lambda: self._article(source, record, raw, fallback_id))
        if row is not None:
            self.seen[row["id"]] = f"{source}" + (f":{record}" if record else "")
            self.rows.append(row)

    def take(self, source: Path | str, record: int | None, make: Callable[[], dict]) -> dict | None:
        """`make()`, or None and one problem row saying why the record is skipped."""
        mark = len(self.problems)
        try:
            return make()
        except Exception as exc:  # a value no rule foresaw costs one record too, never the file
            del self.problems[mark:]  # notes on a record not taken would mislead
            known = isinstance(exc, _RecordProblem)
            self.problem(source, record, (str(exc) if known else
                                          f"record could not be read ({type(exc).__name__}: {exc})") + "; skipped")
            return None

    def _article(self, source: Path, record: int | None, raw: dict, fallback_id: str) -> dict:
        fields_ = _pick(raw)
        text = fields_.get("text")
        if text is None:
            present = any(str(k).lower() in ALIASES["text"] for k in raw)
            raise _RecordProblem("empty text" if present else
                                 "no text field (looked for: " + ", ".join(ALIASES["text"]) + ")")
        text = self.text(source, record, text)
        if not text.strip():
            raise _RecordProblem("empty text")
        art_id = self.article_id(source, record, fields_.get("id")) or fallback_id
        if art_id in self.seen:
            raise _RecordProblem(f"duplicate id {art_id!r} (first read from {self.seen[art_id]})")
        published = fields_.get("published")  # None when missing: the default applies
        date = self.default_published if published is None else self.date(source, record, published)
        meta = {name: self.metadata(source, record, name, fields_.get(name)) for name in METADATA}
        return {"id": art_id, "title": meta["title"], "outlet": meta["outlet"] or self.default_outlet,
                "published": date, "url": meta["url"],
                "source": str(source), "record": record, "text": text}

    # ------------------------------------------------- one field, made a plain value or a problem
    def text(self, source: Path | str, record: int | None, value: Any) -> str:
        """An article text: a string (bytes decoded, with a word), repaired for UTF-8."""
        if isinstance(value, bytes):
            value = self._decoded(value, "text")
            self.problem(source, record, f"text is stored as bytes; decoded as {self.encoding}")
        if not isinstance(value, str):
            raise _RecordProblem(f"text is {_kind(value)}, not a string")
        return self.repaired(source, record, "text", value)

    def article_id(self, source: Path | str, record: int | None, value: Any) -> str | None:
        """An id as the string it becomes (`1` and `"1"` are one id), or None if missing."""
        if _missing(value):
            return None
        if isinstance(value, bytes):
            value = self._decoded(value, "id")
        elif not isinstance(value, str):
            if not _is_scalar(value):
                raise _RecordProblem(f"id is {_kind(value)}, not a string or number")
            value = str(value)
        return self.repaired(source, record, "id", value)

    def metadata(self, source: Path | str, record: int | None, name: str, value: Any) -> str | None:
        """A title, outlet or url: stripped text; numbers as written; anything else left out, with a word."""
        if _missing(value):
            return None
        if isinstance(value, bytes):
            value = self._decoded(value, name)
        elif not isinstance(value, str):
            if not _is_scalar(value):
                self.problem(source, record, f"{name} is {_kind(value)}, not text; not used")
                return None
            value = str(value)
        return self.repaired(source, record, name, value.strip()) or None

    def date(self, source: Path | str, record: int | None, value: Any) -> pd.Timestamp | None:
        """A publication date, or None (missing, or a problem row saying why it is not used)."""
        if _missing(value):
            return None
        try:
            stamp, note = _parse_date(value)
        except _DateProblem as exc:
            self.problem(source, record, f"{exc}; article kept without a date")
            return None
        if note:
            self.problem(source, record, note)
        return stamp

    def repaired(self, source: Path | str, record: int | None, name: str, value: str) -> str:
        """`value` with every lone surrogate (which UTF-8 cannot store) replaced by U+FFFD, one for one."""
        if _storable(value):
            return value
        fixed, n = _SURROGATE.subn("\ufffd", value)
        if n:
            self.problem(source, record, f"{name} holds {n} lone surrogate{'s' if n > 1 else ''} (not storable as "
                                         "UTF-8); replaced by U+FFFD, one character for one, so offsets hold")
        return fixed

    def _decoded(self, value: bytes, name: str) -> str:
        try:
            return value.decode(_codec(value[:4], self.encoding))
        except (UnicodeDecodeError, LookupError) as exc:
            raise _RecordProblem(f"{name} is bytes that cannot be decoded as {self.encoding} ({exc})") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> bool:
    """Whether UTF-8 can store `text` (it holds no lone surrogate); encoding is the fast test."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_corpus(path: str | Path, *, published: Any = None, outlet: str | None = None,
                encoding: str = "utf-8") -> Corpus:
    """Read articles from a file, a folder (recursively) or a glob pattern.

    Args:
        path: a `.txt`, `.jsonl`, `.csv`, `.parquet` or `.html` file, a folder of them, or a
            glob such as `"news/*.jsonl"`.
        published: publication date for articles whose record and manifest give none.
        outlet: outlet for articles whose record and manifest give none.
        encoding: text encoding of `.txt`, `.jsonl`, `.csv` and `.html` files without a
            byte-order mark (a UTF-8, UTF-16 or UTF-32 mark decides for its file).

    Returns:
        `Corpus(articles, problems)`: the articles frame (columns in `toolkit.analysis.SCHEMA`)
        and one problem row (`source`, `record`, `reason`) per file, folder or record not taken,
        or taken with a defect (an unparseable date keeps the article without a date).

    Raises:
        CorpusError: `path` matches no file at all, `encoding` is unknown, or `published` is
            not a date.

    Notes:
        Records are mappings with a text field (`text`, `body`, `content`, ...) and optional
        `id`, `title`, `outlet`, `published` (`date`, `pub_date`, ...) and `url`. A `.txt`
        file is one article whose id is its path below the folder, without extension; its
        metadata may come from a `manifest.jsonl` / `manifest.csv` beside it, keyed by `file`
        (the file name) or `id`. JSONL lines end at `\\n` (or `\\r\\n`) only, so a line or
        paragraph separator inside a string stays in its record, and lines are numbered as an
        editor numbers them. HTML pages go through trafilatura, which finds the main text and
        the page's title, date, site name and address; a page with less than `MIN_PAGE_TEXT`
        characters of text is a problem, not an article. A publication date is a day: one that
        names only a month or a year is its first day (said in `problems`); one with no year,
        or outside the years 1 to 9999, is a problem. Ids are compared as the strings they
        become. Links are followed (a dangling or looping one is a problem); hidden files and
        folders, README, LICENSE and similar files are not read as articles. `iter_corpus`
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
        CorpusError: as for `load_corpus`.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CorpusError(f"unknown encoding {encoding!r} (Python's codec names: utf-8, cp1252, latin-1, ...)") \
            from None
    reader = _Reader(default_outlet=outlet, encoding=encoding)
    reader.default_published = _default_date(published, reader)
    root, files = _resolve(path, reader)
    manifests: dict[Path, dict[str, dict]] = {}
    yielded = False
    for file in files:
        rel = file.relative_to(root) if root in file.parents else Path(file.name)
        for _ in _read_file(file, rel, manifests, reader):
            if chunk_size and len(reader.rows) >= chunk_size:
                yield reader.flush()
                yielded = True
    if reader.rows or reader.problems or not yielded:
        yield reader.flush()


def corpus_from_frame(frame: pd.DataFrame) -> Corpus:
    """An articles frame (`id`, `text`, optional `published`, ...) checked as `load_corpus` checks records.

    Every row is kept, with every column, except those whose id repeats an earlier one as a
    string (`1` and `"1"` are one id), is missing, or whose text is not a string: each of those
    is a problem row instead. Lone surrogates in strings are replaced one for one, `published`
    values are parsed as `load_corpus` parses them, and each change is said in `problems`.

    Raises:
        ValueError: the frame lacks an `id` or `text` column, or has two columns of one name.
    """
    missing = {"id", "text"} - set(frame.columns)
    if missing:
        raise ValueError(f"articles frame lacks column(s) {', '.join(sorted(missing))}")
    if frame.columns.duplicated().any():
        raise ValueError(f"articles frame has two columns named {frame.columns[frame.columns.duplicated()][0]!r}")
    reader = _Reader()
    frame = frame.reset_index(drop=True)
    checked = [name for name in ("id", "text", "published") if name in frame]
    loose = [name for name in frame.columns if name not in checked and _python_strings(frame[name])]
    values = {name: frame[name].tolist() for name in checked + loose}
    sources = frame["source"].tolist() if "source" in frame else [None] * len(frame)
    records = frame["record"].tolist() if "record" in frame else [None] * len(frame)
    keep, changed = [], set()
    for i in range(len(frame)):
        source, record = (sources[i], records[i]) if isinstance(sources[i], str) else (FRAME, i + 1)
        record = None if _missing(record) else record
        row = reader.take(source, record, lambda: _frame_row(
            reader, source, record, {name: column[i] for name, column in values.items()}, i))
        if row is None:
            continue
        for name, value in row.items():
            if value is not values[name][i]:
                values[name][i] = value
                changed.add(name)
        keep.append(i)
    out = frame.iloc[keep].assign(**{name: [values[name][i] for i in keep] for name in changed})
    return Corpus(conform("articles", out), conform("problems", reader.problems))


def _python_strings(column: pd.Series) -> bool:
    """Whether `column` may hold Python strings with lone surrogates (Arrow-backed text is valid UTF-8)."""
    dtype = column.dtype
    return dtype == object or isinstance(dtype, pd.StringDtype) and dtype.storage == "python"


def _frame_row(reader: _Reader, source: str, record: int | None, row: dict, i: int) -> dict:
    """One row's checked values (`id`, `text`, `published`, strings repaired), or a `_RecordProblem`."""
    art_id = reader.article_id(source, record, row["id"])
    if art_id is None:
        raise _RecordProblem("no id")
    if art_id in reader.seen:
        raise _RecordProblem(f"duplicate id {art_id!r} (first at row {reader.seen[art_id]} of the frame)")
    text = row["text"]
    if not isinstance(text, str | bytes) and _missing(text):
        raise _RecordProblem("no text")
    out = {name: reader.repaired(source, record, name, value) if isinstance(value, str) else value
           for name, value in row.items() if name not in ("id", "text", "published")}
    out["id"], out["text"] = art_id, reader.text(source, record, text)
    if "published" in row:
        out["published"] = reader.date(source, record, row["published"])
    reader.seen[art_id] = str(i + 1)
    return out


# ------------------------------------------------------------------ files and folders
def _resolve(path: str | Path, reader: _Reader) -> tuple[Path, list[Path]]:
    """The root to take ids relative to, and the files to read, sorted."""
    path = Path(path)
    if os.path.isdir(path):
        return path, sorted(_walk(path, reader, frozenset()))
    if _lexists(path):
        return path.parent, [path]  # a file, or a link or a path that reading it will say is unusable
    matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
    files = [p for p in matches if not os.path.isdir(p) and _is_record_file(p)]  # a pattern names files
    if not files:
        raise CorpusError(f"{path}: no such file or folder, and no file matches it as a pattern")
    return Path(os.path.commonpath([str(p.parent) for p in files])), files


def _lexists(path: Path) -> bool:
    """Whether something is at `path`, even a dangling link or a file whose folder we may not search."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _walk(folder: Path, reader: _Reader, above: frozenset[str]) -> list[Path]:
    """The record files below `folder`, following links; an unreadable folder or a loop is a problem row."""
    real = os.path.realpath(folder)
    if real in above:
        reader.problem(folder, None, f"link loops back to the folder {real} above it; not followed")
        return []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        reader.problem(folder, None, f"unreadable folder ({_os_reason(exc)}); its files are not read")
        return []
    files = []
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store, .ipynb_checkpoints) hold no articles
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError:
            is_dir = False  # reading it will say why
        if is_dir:
            files.extend(_walk(path, reader, above | {real}))
        elif _is_record_file(path):
            files.append(path)
    return files


def _is_record_file(path: Path) -> bool:
    name = path.name.lower()
    return not name.startswith(".") and name not in MANIFESTS and not name.startswith(NOT_RECORDS)


def _read_file(file: Path, rel: Path, manifests: dict[Path, dict[str, dict]], reader: _Reader) -> Iterator[None]:
    """Read one file's records into `reader`, yielding after each; whatever stops the file is one problem row."""
    records = _records(file, rel, manifests, reader)
    n = 0
    while True:
        try:
            if next(records, _END) is _END:
                break
        except _FileProblem as exc:
            reason = str(exc)
        except OSError as exc:
            reason = f"cannot read ({_os_reason(exc)})"
        except Exception as exc:  # a loader's own failure: this file is lost, not the corpus
            reason = f"unexpected error reading the file ({type(exc).__name__}: {exc})"
        else:
            n += 1
            yield
            continue
        reader.problem(file, None, reason + (f"; the {n} records before it are kept, the rest is skipped"
                                             if n else "; skipped"))
        return
    if n == 0:
        reader.problem(file, None, "no records in the file")


_END = object()


def _records(file: Path, rel: Path, manifests: dict[Path, dict[str, dict]], reader: _Reader) -> Iterator[None]:
    """The loader of `file`'s type, after checking that it is a regular file not read before."""
    _check_file(file, reader)
    ext = file.suffix.lower()
    if ext == ".txt":
        if file.parent not in manifests:
            manifests[file.parent] = _read_manifest(file.parent, reader)
        yield from _read_txt(file, rel, manifests[file.parent], reader)
    elif ext == ".jsonl":
        yield from _read_jsonl(file, rel, reader)
    elif ext in (".csv", ".parquet"):
        yield from _read_table(file, rel, reader)
    elif ext in (".html", ".htm"):
        yield from _read_html(file, rel, reader)
    else:
        raise _FileProblem(f"unknown file type {ext or '(no extension)'!r}; supported: {', '.join(EXTENSIONS)}")


def _check_file(file: Path, reader: _Reader) -> None:
    """Raise a `_FileProblem` for a dangling or looping link, a pipe or device, or a file already read."""
    try:
        info = os.stat(file)
    except FileNotFoundError:
        if os.path.islink(file):
            raise _FileProblem(f"dangling link (to {os.readlink(file)}, which does not exist)") from None
        raise _FileProblem("no such file (removed while the corpus was read?)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _FileProblem("link loops (it leads back to itself)") from None
        raise
    if not stat.S_ISREG(info.st_mode):
        raise _FileProblem("not a regular file (a pipe, socket or device)")
    real = os.path.realpath(file)
    if real in reader.files:
        raise _FileProblem(f"the same file as {reader.files[real]} (reached through a link)")
    reader.files[real] = str(file)


def _os_reason(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"


# ------------------------------------------------------------------ bytes to text
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32 LE's mark starts as UTF-16 LE's


def _codec(head: bytes, encoding: str) -> str:
    """The codec to decode with: a byte-order mark at the start of `head` decides, else `encoding`."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return encoding


def _wide(codec: str) -> bool:
    """Whether `codec` writes NUL bytes in ordinary text (UTF-16, UTF-32)."""
    return codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def _binary(head: bytes) -> _FileProblem:
    hint = ""
    if len(head) > 1 and head[1::2].count(0) > 0.9 * len(head[1::2]):
        hint = " (UTF-16 without a byte-order mark? pass encoding='utf-16-le')"
    return _FileProblem(f"binary file (holds NUL bytes), not text{hint}")


def _read_text(file: Path, encoding: str) -> str:
    with open(file, "rb") as stream:
        return _decode(stream.read(), encoding)


def _decode(data: bytes, encoding: str) -> str:
    """The text of a whole file's bytes, or the `_FileProblem` saying why there is none."""
    codec = _codec(data[:4], encoding)
    if not _wide(codec) and b"\x00" in data[:8192]:
        raise _binary(data[:8192])
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _undecodable(codec, exc.start, data[exc.start:exc.start + 1]) from None
    if "\x00" in text[:8192]:
        raise _binary(b"")
    return text


def _undecodable(codec: str, position: int, byte: bytes) -> _FileProblem:
    name = {"utf-8-sig": "utf-8"}.get(codec, codec)
    return _FileProblem(f"cannot decode as {name} (byte {position}: {byte!r}); "
                        "pass encoding=... if the file uses another one")


def _check_text(file: Path, encoding: str, block: int = 1 << 20) -> str:
    """Raise the `_read_text` problem of `file`, if any, without holding the file in memory; return its codec."""
    offset, codec = 0, encoding
    with open(file, "rb") as stream:
        while data := stream.read(block):
            if offset == 0:
                codec = _codec(data[:4], encoding)
                decoder = codecs.getincrementaldecoder(codec)()
                if not _wide(codec) and b"\x00" in data[:8192]:
                    raise _binary(data[:8192])
            pending = len(decoder.getstate()[0])  # bytes of a character split across blocks
            try:
                chars = decoder.decode(data)
            except UnicodeDecodeError as exc:
                raise _undecodable(codec, offset - pending + exc.start,
                                   exc.object[exc.start:exc.start + 1]) from None
            if offset == 0 and "\x00" in chars[:8192]:
                raise _binary(b"")
            offset += len(data)
        if offset:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise _undecodable(codec, offset - len(exc.object) + exc.start,
                                   exc.object[exc.start:exc.start + 1]) from None
    return codec


def _iter_lines(file: Path, encoding: str) -> Iterator[str]:
    """The lines of a text file, read one at a time, cut at `\\n` only (a `\\r` before it dropped).

    U+2028, U+2029, U+0085 and a lone `\\r` are characters of their line, as JSON Lines and
    text editors count lines; `str.splitlines` would cut there.
    """
    codec = _check_text(file, encoding)
    with open(file, encoding=codec, newline="\n") as stream:
        for line in stream:
            yield line.removesuffix("\n").removesuffix("\r")


def _lines(text: str) -> list[str]:
    """`text` cut as `_iter_lines` cuts a file."""
    return [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")] if text else []


# ------------------------------------------------------------------ the loaders
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
        if not _lexists(path):
            continue
        try:
            raw = _read_text(path, reader.encoding)
            if name.endswith(".jsonl"):
                records = [json.loads(line) for line in _lines(raw) if line.strip()]
            elif name.endswith(".json"):
                loaded = json.loads(raw)
                records = loaded if isinstance(loaded, list) else [dict(v, file=k) for k, v in loaded.items()]
            else:
                records = list(csv.DictReader(io.StringIO(raw)))
            records = [rec for rec in records if isinstance(rec, dict)]
        except (ValueError, _FileProblem, AttributeError, TypeError, OSError, RecursionError) as exc:
            why = _os_reason(exc) if isinstance(exc, OSError) else exc
            reader.problem(path, None, f"unreadable manifest ({why}); its metadata is not used")
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
            record = json.loads(line.removeprefix("\ufeff"))  # a byte-order mark left by concatenating files
        except RecursionError:
            reader.problem(file, n, "broken JSON (nested too deeply); line skipped")
        except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
            why = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            hint = "; it holds a bare \\r: JSON Lines end each line with \\n" if "\r" in line else ""
            reader.problem(file, n, f"broken JSON ({why}){hint}; line skipped")
        else:
            if isinstance(record, dict):
                reader.add(file, n, record, f"{rel.with_suffix('').as_posix()}:{n}")
            else:
                reader.problem(file, n, f"a JSON {type(record).__name__}, not an object; line skipped")
        yield


def _read_table(file: Path, rel: Path, reader: _Reader) -> Iterator[None]:
    kind = file.suffix.lower()[1:].upper()
    with open(file, "rb") as stream:  # opened here: a file we may not read is "cannot read", not a bad table
        try:
            frames = _csv_frames(stream, reader.encoding) if kind == "CSV" else _parquet_batches(stream)
            frame = next(frames)
        except _FileProblem:
            raise
        except Exception as exc:  # pandas/pyarrow raise many kinds; the message is what matters
            raise _FileProblem(f"unreadable {kind} ({type(exc).__name__}: {exc})") from None
        names = _distinct_columns(list(frame.columns), file, reader)
        lower = {str(c).lower() for c in frame.columns}
        if not any(alias in lower for alias in ALIASES["text"]):
            raise _FileProblem(f"no text column (columns: {', '.join(map(str, frame.columns))}; "
                               f"expected one of {', '.join(ALIASES['text'])})")
        n = 0
        while frame is not None:
            frame = frame.iloc[:, names]
            for record in frame.to_dict("records"):
                n += 1
                reader.add(file, n, record, f"{rel.with_suffix('').as_posix()}:{n}")
                yield
            try:
                frame = next(frames, None)
            except Exception as exc:
                raise _FileProblem(f"unreadable {kind} after row {n} ({type(exc).__name__}: {exc})") from None


def _distinct_columns(columns: list, file: Path, reader: _Reader) -> list[int]:
    """Positions of the columns to use: the first of several sharing a name (case ignored), with a word."""
    first: dict[str, int] = {}
    repeats: dict[str, list[str]] = {}
    for i, name in enumerate(columns):
        key = str(name).lower()
        if key in first:
            repeats.setdefault(key, [str(columns[first[key]])]).append(str(name))
        else:
            first[key] = i
    for names in repeats.values():
        shown = " and ".join(repr(n) for n in names)
        reader.problem(file, None, f"{len(names)} columns named {shown}; the first is used, the others ignored")
    return list(first.values())


def _csv_frames(stream, encoding: str) -> Iterator[pd.DataFrame]:
    """A CSV file as one frame of strings, its header row taken as is (pandas would rename a repeated name)."""
    grid = pd.read_csv(io.StringIO(_decode(stream.read(), encoding)), dtype=str, keep_default_na=False, header=None)
    frame = grid.iloc[1:].reset_index(drop=True)
    frame.columns = list(grid.iloc[0])
    yield frame


def _parquet_batches(stream, rows: int = 1024) -> Iterator[pd.DataFrame]:
    """A Parquet file as frames of at most `rows` rows: first an empty one with its columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(stream)
    schema = parquet.schema_arrow
    yield schema.empty_table().to_pandas()
    for batch in parquet.iter_batches(batch_size=rows):
        # integer_object_nulls: an integer id column with a null stays integers ("7", not "7.0")
        yield pa.Table.from_batches([batch], schema=schema).to_pandas(integer_object_nulls=True)


def _read_html(file: Path, rel: Path, reader: _Reader) -> Iterator[None]:
    import trafilatura

    html = _read_text(file, reader.encoding)
    with _captured_log("trafilatura") as said:
        try:
            doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
        except Exception as exc:
            raise _FileProblem(f"the HTML extractor (trafilatura) failed ({type(exc).__name__}: {exc})") from None
    found = len((doc.text or "").strip()) if doc is not None else 0
    if found < MIN_PAGE_TEXT:
        why = f"only {found} characters of text" if found else "no text"
        raise _FileProblem(f"no article text found in the HTML page ({why}; an article has at least "
                           f"{MIN_PAGE_TEXT})" + (f"; trafilatura: {said[0]}" if said else ""))
    fallback = rel.with_suffix("").as_posix()
    reader.add(file, None, {"text": doc.text, "title": doc.title, "published": doc.date, "url": doc.url,
                            "outlet": doc.sitename, "id": fallback}, fallback)
    yield


@contextmanager
def _captured_log(name: str) -> Iterator[list[str]]:
    """The error messages logger `name` emits meanwhile, kept from stderr (the problem row says what matters)."""
    said: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda rec: said.append(rec.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger(name)
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield said
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


# ------------------------------------------------------------------ values
def _pick(raw: dict) -> dict:
    """The toolkit's fields from a record, through the column aliases (the first column of a name wins)."""
    lower: dict[str, Any] = {}
    for key, value in raw.items():
        lower.setdefault(str(key).lower(), value)
    out: dict[str, Any] = {}
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


def _kind(value: Any) -> str:
    """What a value is, in words: `a float`, `a list` (numpy arrays too), `a dict`."""
    name = "list" if isinstance(value, list | tuple) or getattr(value, "ndim", 0) > 0 else type(value).__name__
    return ("an " if name[0] in "aeiou" else "a ") + name


def _is_scalar(value: Any) -> bool:
    """A number (or numpy number) that reads naturally as text; not a list, mapping or object."""
    return isinstance(value, numbers.Number)


class _DateProblem(ValueError):
    """A publication date that cannot be used; the reason is the message."""


class _Years(dateparser.parserinfo):
    """Two-digit years in a fixed window (1950-2049), not one that moves with the day of the run."""

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        if year < 100 and not century_specified:
            year += 1900 if year >= 50 else 2000
        return year


_YEARS = _Years()
_EPOCH = dt.datetime(1970, 1, 1)
_NUMBER = re.compile(r"[-+]?\d{9,}(\.\d*)?")  # epoch seconds or milliseconds written as text (8 digits: YYYYMMDD)
_PARTS = {(False, True): "no day", (True, True): "no month or day"}


def _parse_date(value: Any) -> tuple[pd.Timestamp, str | None]:
    """A publication date (a day; time and time zone dropped) and a note on how it was read, if any.

    Raises `_DateProblem` for what is no date: no year, unparseable, or outside years 1 to 9999.
    Nothing depends on the day of the run: what a value does not say is never taken from today.
    """
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    note = None
    if isinstance(value, str):
        text = value.strip()
        day, note = _parse_epoch(text) if _NUMBER.fullmatch(text) else _parse_date_text(text)
    elif isinstance(value, dt.date):  # datetime, date and pd.Timestamp (which may lie beyond year 9999)
        day = value
    elif hasattr(value, "dtype") and str(value.dtype).startswith("datetime64"):  # numpy datetime64
        try:
            day = pd.Timestamp(value)
        except (ValueError, OverflowError):
            raise _DateProblem(f"publication date {value!r} is out of range (years 1 to 9999)") from None
    elif _is_scalar(value) and not isinstance(value, bool):
        day, note = _parse_epoch(value)
    else:
        raise _DateProblem(f"publication date {value!r} is {_kind(value)}, not a date")
    if not 1 <= day.year <= 9999:
        raise _DateProblem(f"publication date {value!r} is out of range (years 1 to 9999)")
    return pd.Timestamp(dt.date(day.year, day.month, day.day)), note


def _parse_epoch(value: Any) -> tuple[dt.date, str]:
    """Seconds since 1970 (milliseconds when too large for seconds), as a day and a note saying so."""
    try:
        number = float(value)
        unit = "milliseconds" if abs(number) > 1e11 else "seconds"
        day = (_EPOCH + dt.timedelta(seconds=number / 1000 if unit == "milliseconds" else number)).date()
    except (OverflowError, ValueError, TypeError):
        raise _DateProblem(f"publication date {value!r} is a number out of range as a time since 1970") from None
    return day, f"publication date {value!r} is a number: read as {unit} since 1970-01-01, {day.isoformat()}"


def _parse_date_text(text: str) -> tuple[dt.date, str | None]:
    """A date written as text; missing month or day is the first of what it names, with a note."""
    if text.startswith("-") and text[1:2].isdigit():
        raise _DateProblem(f"publication date {text!r} is out of range (years 1 to 9999)")
    try:
        stamp = dt.datetime.fromisoformat(text)  # the common case, fast and complete
        return stamp.date(), None
    except ValueError:
        pass
    # parsed twice with two different defaults: a part that changes with the default was not written
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an unknown time zone name: the day is kept, the zone dropped
            one = dateparser.parse(text, default=dt.datetime(1, 1, 1), parserinfo=_YEARS)
            two = dateparser.parse(text, default=dt.datetime(2, 2, 2), parserinfo=_YEARS)
    except (ValueError, OverflowError, TypeError):
        raise _DateProblem(f"unparseable date {text!r}") from None
    if one.year != two.year:
        raise _DateProblem(f"publication date {text!r} names no year")
    missing = (one.month != two.month, one.day != two.day)
    day = one.date()
    if any(missing):
        return day, f"publication date {text!r} names {_PARTS[missing]}: taken as {day.isoformat()}, its first day"
    return day, None


def _default_date(value: Any, reader: _Reader) -> pd.Timestamp | None:
    """The `published=` argument as a date; a partial one is noted once, an unusable one is an error."""
    if _missing(value):
        return None
    try:
        stamp, note = _parse_date(value)
    except _DateProblem as exc:
        raise CorpusError(f"published={value!r}: {exc}") from None
    if note:
        reader.problem("published (argument)", None, note)
    return stamp
