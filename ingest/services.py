"""Ingest raw files: one transaction per file, every outcome recorded."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from archive.models import Article, IngestRun, RawDocument
from archive.services import article_upsert
from ingest.decoding import decode
from ingest.parsers import SUPPORTED_SUFFIXES, ParsedArticle, ParseError, parser_for

WHITESPACE = re.compile(r"\s+")


@dataclass
class FileOutcome:
    path: str
    status: str  # new | updated | unchanged | duplicate | failed | skipped
    article: Article | None = None
    parsed: ParsedArticle | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IngestOptions:
    column: str = ""
    source: str = ""
    encoding: str | None = None
    dry_run: bool = False


def content_hash_of(parsed: ParsedArticle) -> str:
    """Fingerprint of the body with whitespace removed, so re-posts are recognised."""
    return hashlib.sha256(WHITESPACE.sub("", parsed.body_text).encode()).hexdigest()


def iter_files(paths: Iterable[Path], *, recursive: bool = True) -> Iterator[Path]:
    """Files named on the command line, and files inside named folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            yield from sorted(p for p in path.glob(pattern) if p.is_file())
        else:
            yield path


def parse_bytes(data: bytes, *, suffix: str, options: IngestOptions) -> tuple[ParsedArticle, str]:
    decoded = decode(data, forced=options.encoding)
    parser = parser_for(suffix, decoded.text)
    parsed = parser.parse(decoded.text)
    overrides = {}
    if options.column:
        overrides["column"] = options.column
    if options.source:
        overrides["source"] = options.source
    warnings = parsed.warnings + decoded.warnings
    return replace(parsed, warnings=warnings, **overrides), f"{decoded.encoding}/{parser.name}"


def ingest_file(path: Path, *, options: IngestOptions) -> FileOutcome:
    """Turn one file into an article (or a recorded failure); never raises for bad input."""
    key = str(path.resolve())
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return FileOutcome(
            key, "skipped", error=f"不支持的文件类型 {path.suffix or '（无扩展名）'}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(key, "failed", error=f"无法读取文件：{exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    known = RawDocument.objects.filter(path=key).select_related("article").first()
    if known is not None and known.sha256 == sha:
        return FileOutcome(key, "unchanged", article=known.article)
    try:
        parsed, how = parse_bytes(data, suffix=path.suffix, options=options)
    except (ParseError, UnicodeDecodeError, LookupError) as exc:
        return FileOutcome(key, "failed", error=str(exc))
    outcome = FileOutcome(key, "", parsed=parsed, warnings=list(parsed.warnings))
    if options.dry_run:
        outcome.status = _would_be(known, content_hash_of(parsed))
        return outcome
    encoding, parser_name = how.split("/")
    with transaction.atomic():
        outcome.status, outcome.article = _store(key, data, sha, parsed, known)
        RawDocument.objects.update_or_create(
            path=key,
            defaults={
                "sha256": sha,
                "size": len(data),
                "content": data,
                "encoding": encoding,
                "parser": parser_name,
                "status": RawDocument.Status.DUPLICATE
                if outcome.status == "duplicate"
                else RawDocument.Status.INGESTED,
                "article": outcome.article,
                "last_ingested_at": timezone.now(),
            },
        )
    return outcome


def _would_be(known: RawDocument | None, digest: str) -> str:
    if known is not None:
        return "updated"
    return "duplicate" if Article.objects.filter(content_hash=digest).exists() else "new"


def _store(
    key: str, data: bytes, sha: str, parsed: ParsedArticle, known: RawDocument | None
) -> tuple[str, Article]:
    digest = content_hash_of(parsed)
    twin = Article.objects.filter(content_hash=digest).first()
    if known is not None and known.article is not None:
        if twin is not None and twin.pk != known.article.pk:
            return "duplicate", twin
        return "updated", article_upsert(parsed=parsed, content_hash=digest, article=known.article)
    if twin is not None:
        return "duplicate", twin
    return "new", article_upsert(parsed=parsed, content_hash=digest)


def run_finish(run: IngestRun, outcomes: list[FileOutcome]) -> IngestRun:
    """Record the counts and per-file problems of a run."""
    for name in ("new", "updated", "unchanged", "duplicate", "failed", "skipped"):
        setattr(run, name, sum(1 for o in outcomes if o.status == name))
    run.problems = [
        {"path": o.path, "status": o.status, "error": o.error}
        for o in outcomes
        if o.status in ("failed", "skipped")
    ]
    run.finished_at = timezone.now()
    run.save()
    return run
