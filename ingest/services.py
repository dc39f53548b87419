"""Ingest raw files: one transaction per file, every outcome recorded."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from archive.models import Article, IngestRun, RawDocument
from archive.services import NameCache, article_upsert
from ingest.parsers import ParsedArticle, ParseError
from ingest.reading import (
    ReadFile,
    ReadOptions,
    content_hash_of,
    parse_bytes,
    read_batch,
    watch_parent,
)
from search.services import index_update_ids

UPDATED_RAW_FIELDS = [
    "sha256", "size", "content", "encoding", "parser", "options", "status", "error", "article",
    "last_ingested_at",
]  # fmt: skip
NOT_YET = -1  # in a dry run: an article this run would have created
STATUSES = ("new", "updated", "unchanged", "duplicate", "failed", "skipped")


@dataclass
class FileOutcome:
    path: str
    status: str  # new | updated | unchanged | duplicate | failed | skipped
    article: Article | None = None
    article_id: int | None = None
    parsed: ParsedArticle | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IngestOptions:
    column: str = ""
    source: str = ""
    encoding: str | None = None
    dry_run: bool = False

    @property
    def reading(self) -> ReadOptions:
        return ReadOptions(column=self.column, source=self.source, encoding=self.encoding)

    def as_dict(self) -> dict[str, str]:
        """What reparse must repeat: only the options that change the parsed article."""
        given = {"column": self.column, "source": self.source, "encoding": self.encoding}
        return {k: v for k, v in given.items() if v}


def iter_files(paths: Iterable[Path], *, recursive: bool = False) -> Iterator[Path]:
    """Files named on the command line and inside named folders, stable order, each once."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            found = sorted(p for p in path.glob(pattern) if p.is_file())
        else:
            found = [path]
        for file in found:
            if (resolved := file.resolve()) not in seen:
                seen.add(resolved)
                yield file


def ingest_files(
    paths: Iterable[Path],
    *,
    options: IngestOptions,
    names: NameCache | None = None,
    batch_size: int = 100,
    worker: bool = False,
) -> Iterator[FileOutcome]:
    """Ingest files in order, one transaction per file, yielding each file's outcome.

    Files are read and parsed a batch at a time, so the lookups (known paths, known bodies)
    cost one query per batch instead of two per file. With worker=True a second process
    parses the next batch while this one writes the current one (two cores, measured).
    Writes stay one file per transaction: an interrupted run leaves only whole articles.
    """
    names = names or NameCache()
    iterator = iter(paths)
    dry_seen: dict[str, int] = {}  # a dry run writes nothing, so it remembers bodies here
    with _reader(worker) as submit:
        pending: deque = deque()
        while batch := tuple(itertools.islice(iterator, batch_size)):
            keys = [str(p.resolve()) for p in batch]
            known = _known(keys)
            items = [(str(p), k, _sha(known, k)) for p, k in zip(batch, keys, strict=True)]
            pending.append((known, submit(read_batch, items, options.reading)))
            if len(pending) > 1:
                yield from _store_batch(*pending.popleft(), options, names, dry_seen)
        while pending:
            yield from _store_batch(*pending.popleft(), options, names, dry_seen)


@contextlib.contextmanager
def _reader(worker: bool) -> Iterator:
    if not worker:
        yield lambda fn, *args: _Done(fn(*args))
        return
    # spawn, not fork: a forked child would share this process's database connection.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=watch_parent, initargs=(os.getpid(),)
    ) as pool:
        yield pool.submit


@dataclass
class _Done:
    value: list[ReadFile]

    def result(self) -> list[ReadFile]:
        return self.value


def _known(keys: list[str]) -> dict[str, dict]:
    rows = RawDocument.objects.filter(path__in=keys).order_by()
    return {row["path"]: row for row in rows.values("pk", "path", "sha256", "article_id")}


def _sha(known: dict[str, dict], key: str) -> str | None:
    row = known.get(key)
    return row["sha256"] if row is not None and row["article_id"] is not None else None


def _store_batch(
    known: dict[str, dict],
    future,
    options: IngestOptions,
    names: NameCache,
    dry_seen: dict[str, int],
) -> Iterator[FileOutcome]:
    files: list[ReadFile] = future.result()
    digests = {f.digest for f in files if f.status == "parsed"}
    stored = Article.objects.filter(content_hash__in=digests).order_by()
    twins = {d: dry_seen[d] for d in digests if d in dry_seen}
    twins.update(stored.values_list("content_hash", "pk"))
    for file in files:
        row = known.get(file.key)
        mine = row["article_id"] if row else None
        if file.status == "unchanged":
            yield FileOutcome(file.key, "unchanged", article_id=mine)
        elif file.status != "parsed":
            yield FileOutcome(file.key, file.status, error=file.error)
        elif options.dry_run:
            yield _would_be(file, mine, twins)
            dry_seen.setdefault(file.digest, twins[file.digest])
        else:
            yield _store(file, row, twins, names, options)


def _would_be(file: ReadFile, mine: int | None, twins: dict[str, int]) -> FileOutcome:
    """What storing would do, without writing; later files in the run see earlier ones."""
    outcome = FileOutcome(file.key, "", parsed=file.parsed, warnings=list(file.parsed.warnings))
    if file.digest in twins and twins[file.digest] != mine:
        twin = twins[file.digest]
        outcome.status, outcome.article_id = "duplicate", None if twin == NOT_YET else twin
    else:
        outcome.status = "updated" if mine is not None else "new"
        outcome.article_id = mine
        twins.setdefault(file.digest, NOT_YET if mine is None else mine)
    return outcome


def _store(
    file: ReadFile,
    row: dict | None,
    twins: dict[str, int],
    names: NameCache,
    options: IngestOptions,
) -> FileOutcome:
    """Write one file in its own transaction: the article (or link to its twin), then the raw."""
    outcome = FileOutcome(file.key, "", parsed=file.parsed, warnings=list(file.parsed.warnings))
    try:
        with transaction.atomic():
            outcome.status, outcome.article = _write(file, row, twins.get(file.digest), names)
            _write_raw(file, row, outcome, options)
    except DatabaseError as exc:  # e.g. another ingest wrote the same file at the same moment
        return FileOutcome(file.key, "failed", error=f"写入数据库失败，请重新导入此文件：{exc}")
    except Exception as exc:  # rolled back above; one file's bug must not end the run
        error = f"保存出错（请报告）：{type(exc).__name__}: {exc}"
        return FileOutcome(file.key, "failed", error=error)
    outcome.article_id = outcome.article.pk
    twins.setdefault(file.digest, outcome.article_id)
    return outcome


def _write(
    file: ReadFile, row: dict | None, twin: int | None, names: NameCache
) -> tuple[str, Article]:
    mine = row["article_id"] if row else None
    parsed, digest = file.parsed, file.digest
    if twin is not None and twin != mine:
        return "duplicate", Article.objects.get(pk=twin)
    if mine is not None:
        article = Article.objects.select_for_update().get(pk=mine)
        return "updated", article_upsert(
            parsed=parsed, content_hash=digest, article=article, names=names
        )
    return "new", article_upsert(parsed=parsed, content_hash=digest, names=names)


def _write_raw(file: ReadFile, row: dict | None, outcome: FileOutcome, options) -> None:
    raw = RawDocument(
        path=file.key,
        sha256=file.sha,
        size=len(file.data),
        content=file.data,
        encoding=file.encoding,
        parser=file.parser_name,
        options=options.as_dict(),
        status="duplicate" if outcome.status == "duplicate" else "ingested",
        article=outcome.article,
        last_ingested_at=timezone.now(),
    )
    if row is None:
        raw.save(force_insert=True)
    else:
        raw.pk, raw._state.adding = row["pk"], False
        raw.save(update_fields=UPDATED_RAW_FIELDS)


def article_reparse(*, article: Article, names: NameCache | None = None) -> FileOutcome:
    """Parse an article's kept raw bytes again (after a parser fix); locked fields stay."""
    raw = article.raw_documents.exclude(status=RawDocument.Status.DUPLICATE).first()
    if raw is None:
        return FileOutcome(str(article.pk), "failed", article=article, error="没有保存原始文件")
    options = ReadOptions(**raw.options)
    try:
        parsed, encoding, parser_name = parse_bytes(
            bytes(raw.content), suffix=Path(raw.path).suffix.lower(), options=options
        )
    except (ParseError, UnicodeDecodeError, LookupError) as exc:
        return FileOutcome(raw.path, "failed", article=article, error=str(exc))
    digest = content_hash_of(parsed)
    if Article.objects.filter(content_hash=digest).exclude(pk=article.pk).exists():
        return FileOutcome(
            raw.path, "failed", article=article, error="重新解析后的正文与另一篇文章相同"
        )
    with transaction.atomic():
        article = article_upsert(parsed=parsed, content_hash=digest, article=article, names=names)
        RawDocument.objects.filter(pk=raw.pk).update(encoding=encoding, parser=parser_name)
    return FileOutcome(raw.path, "updated", article=article, article_id=article.pk, parsed=parsed)


@dataclass
class RunTally:
    """Counts and problems of a run, kept small so memory stays flat on big folders."""

    counts: Counter = field(default_factory=Counter)
    problems: list[dict[str, str]] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)

    def add(self, outcome: FileOutcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status in ("failed", "skipped"):
            self.problems.append(
                {"path": outcome.path, "status": outcome.status, "error": outcome.error}
            )
        if outcome.status in ("new", "updated") and outcome.article_id is not None:
            self.changed_ids.append(outcome.article_id)


def index_changed(article_ids: list[int]) -> None:
    """Send the run's new and updated articles to the search index, once at the end of the
    run: the queue's writer reads and writes them in batches, one commit for up to 20,000."""
    index_update_ids(article_ids)


def run_finish(run: IngestRun, tally: RunTally) -> IngestRun:
    """Record the counts and per-file problems of a run."""
    for name in STATUSES:
        setattr(run, name, tally.counts[name])
    run.problems = tally.problems
    run.finished_at = timezone.now()
    run.save()
    return run
