"""Ingest raw files: one transaction per file, every outcome recorded."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from archive.models import Article, IngestRun, RawDocument
from archive.services import NameCache, article_upsert
from ingest.decoding import decode
from ingest.parsers import SUPPORTED_SUFFIXES, ParsedArticle, ParseError, parser_for
from search.services import index_update

WHITESPACE = re.compile(r"\s+")
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

    def as_dict(self) -> dict[str, str]:
        """What reparse must repeat: only the options that change the parsed article."""
        given = {"column": self.column, "source": self.source, "encoding": self.encoding}
        return {k: v for k, v in given.items() if v}


def content_hash_of(parsed: ParsedArticle) -> str:
    """Fingerprint of the body without whitespace, so re-posts match."""
    return hashlib.sha256(WHITESPACE.sub("", parsed.body_text).encode()).hexdigest()


def iter_files(paths: Iterable[Path], *, recursive: bool = False) -> Iterator[Path]:
    """Files named on the command line, and files inside named folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            yield from sorted(p for p in path.glob(pattern) if p.is_file())
        else:
            yield path


def parse_bytes(
    data: bytes, *, suffix: str, options: IngestOptions
) -> tuple[ParsedArticle, str, str]:
    """Decode and parse; returns the article, the encoding used and the parser's name."""
    decoded = decode(data, forced=options.encoding)
    parser = parser_for(suffix, decoded.text)
    parsed = parser.parse(decoded.text)
    overrides = {}
    if options.column:
        overrides["column"] = options.column
    if options.source:
        overrides["source"] = options.source
    warnings = decoded.warnings + parsed.warnings
    return replace(parsed, warnings=warnings, **overrides), decoded.encoding, parser.name


def ingest_file(
    path: Path, *, options: IngestOptions, names: NameCache | None = None
) -> FileOutcome:
    """Turn one file into an article (or a recorded failure); never raises for bad input."""
    return next(ingest_files([path], options=options, names=names))


def ingest_files(
    paths: Iterable[Path],
    *,
    options: IngestOptions,
    names: NameCache | None = None,
    batch_size: int = 100,
) -> Iterator[FileOutcome]:
    """Ingest files in order, one transaction per file, yielding each file's outcome.

    Files are read and parsed a batch at a time so that the lookups (known paths, known
    bodies) cost one query per batch instead of two per file; writes stay one file per
    transaction, so an interrupted run leaves only whole articles behind.
    """
    names = names or NameCache()
    iterator = iter(paths)
    while batch := tuple(itertools.islice(iterator, batch_size)):
        yield from _ingest_batch(batch, options, names)


@dataclass
class _Prepared:
    """A file read and parsed, waiting for its transaction."""

    key: str
    data: bytes
    sha: str
    parsed: ParsedArticle
    encoding: str
    parser_name: str
    digest: str
    known: dict | None
    options: dict[str, str]


def _ingest_batch(
    batch: tuple[Path, ...], options: IngestOptions, names: NameCache
) -> Iterator[FileOutcome]:
    keys = [str(path.resolve()) for path in batch]
    rows = RawDocument.objects.filter(path__in=keys).order_by()
    known = {row["path"]: row for row in rows.values("pk", "path", "sha256", "article_id")}
    items = [_prepare(p, k, known.get(k), options) for p, k in zip(batch, keys, strict=True)]
    digests = {item.digest for item in items if isinstance(item, _Prepared)}
    twins = dict(
        Article.objects.filter(content_hash__in=digests)
        .order_by()
        .values_list("content_hash", "pk")
    )
    for item in items:
        if isinstance(item, FileOutcome):
            yield item
        elif options.dry_run:
            yield _would_be(item, twins)
        else:
            yield _store(item, twins, names)


def _prepare(
    path: Path, key: str, known: dict | None, options: IngestOptions
) -> FileOutcome | _Prepared:
    """Read, fingerprint and parse one file; an outcome when nothing needs storing."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return FileOutcome(
            key, "skipped", error=f"不支持的文件类型 {path.suffix or '（无扩展名）'}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(key, "failed", error=f"无法读取文件：{exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    if known is not None and known["sha256"] == sha and known["article_id"] is not None:
        return FileOutcome(key, "unchanged", article_id=known["article_id"])
    try:
        parsed, encoding, parser_name = parse_bytes(data, suffix=path.suffix, options=options)
    except (ParseError, UnicodeDecodeError, LookupError) as exc:
        return FileOutcome(key, "failed", error=str(exc) or type(exc).__name__)
    except Exception as exc:  # a parser bug must cost this one file, never the whole run
        return FileOutcome(
            key, "failed", error=f"解析程序出错（请报告）：{type(exc).__name__}: {exc}"
        )
    digest = content_hash_of(parsed)
    return _Prepared(
        key, data, sha, parsed, encoding, parser_name, digest, known, options.as_dict()
    )


def _would_be(item: _Prepared, twins: dict[str, int | None]) -> FileOutcome:
    """What storing would do, without writing; later files in the run see earlier ones."""
    outcome = FileOutcome(item.key, "", parsed=item.parsed, warnings=list(item.parsed.warnings))
    mine = item.known["article_id"] if item.known else None
    if item.digest in twins and twins[item.digest] != mine:
        twin = twins[item.digest]
        outcome.status, outcome.article_id = "duplicate", None if twin == NOT_YET else twin
    else:
        outcome.status = "updated" if mine is not None else "new"
        outcome.article_id = mine
        twins.setdefault(item.digest, NOT_YET if mine is None else mine)
    return outcome


def _store(item: _Prepared, twins: dict[str, int | None], names: NameCache) -> FileOutcome:
    """Write one file in its own transaction: the article (or link to its twin), then the raw."""
    outcome = FileOutcome(item.key, "", parsed=item.parsed, warnings=list(item.parsed.warnings))
    try:
        with transaction.atomic():
            outcome.status, outcome.article = _write(item, twins.get(item.digest), names)
    except DatabaseError as exc:  # e.g. another ingest wrote the same file at the same moment
        return FileOutcome(item.key, "failed", error=f"写入数据库失败，请重新导入此文件：{exc}")
    except Exception as exc:  # rolled back above; one file's bug must not end the run
        return FileOutcome(
            item.key, "failed", error=f"保存出错（请报告）：{type(exc).__name__}: {exc}"
        )
    outcome.article_id = outcome.article.pk
    twins.setdefault(item.digest, outcome.article_id)
    return outcome


def _write(item: _Prepared, twin: int | None, names: NameCache) -> tuple[str, Article]:
    mine = item.known["article_id"] if item.known else None
    parsed, digest = item.parsed, item.digest
    if twin is not None and twin != mine:
        status, article = "duplicate", Article.objects.get(pk=twin)
    elif mine is not None:
        article = Article.objects.select_for_update().get(pk=mine)
        status = "updated"
        article = article_upsert(parsed=parsed, content_hash=digest, article=article, names=names)
    else:
        status = "new"
        article = article_upsert(parsed=parsed, content_hash=digest, names=names)
    raw = RawDocument(
        path=item.key,
        sha256=item.sha,
        size=len(item.data),
        content=item.data,
        encoding=item.encoding,
        parser=item.parser_name,
        options=item.options,
        status=RawDocument.Status.DUPLICATE if status == "duplicate" else "ingested",
        article=article,
        last_ingested_at=timezone.now(),
    )
    if item.known is None:
        raw.save(force_insert=True)
    else:
        raw.pk, raw._state.adding = item.known["pk"], False
        raw.save(update_fields=UPDATED_RAW_FIELDS)
    return status, article


def article_reparse(*, article: Article, names: NameCache | None = None) -> FileOutcome:
    """Parse an article's kept raw bytes again (after a parser fix); locked fields stay."""
    raw = article.raw_documents.exclude(status=RawDocument.Status.DUPLICATE).first()
    if raw is None:
        return FileOutcome(str(article.pk), "failed", article=article, error="没有保存原始文件")
    options = IngestOptions(**raw.options)
    try:
        parsed, encoding, parser_name = parse_bytes(
            bytes(raw.content), suffix=Path(raw.path).suffix, options=options
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


def index_changed(article_ids: list[int], *, batch_size: int = 500) -> None:
    """Send the run's new and updated articles to the search index, a batch per write."""
    for start in range(0, len(article_ids), batch_size):
        batch = article_ids[start : start + batch_size]
        index_update(Article.objects.filter(pk__in=batch).select_related("column", "source"))


def run_finish(run: IngestRun, tally: RunTally) -> IngestRun:
    """Record the counts and per-file problems of a run."""
    for name in STATUSES:
        setattr(run, name, tally.counts[name])
    run.problems = tally.problems
    run.finished_at = timezone.now()
    run.save()
    return run
