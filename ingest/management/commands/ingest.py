"""python manage.py ingest PATH... : raw article files into the archive."""

from __future__ import annotations

import codecs
import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.utils import timezone
from tqdm import tqdm

from archive.models import Article, IngestRun
from archive.services import NameCache
from ingest.services import (
    STATUSES,
    FileOutcome,
    IngestOptions,
    RunTally,
    index_changed,
    ingest_files,
    iter_files,
    run_finish,
)

WORKER_THRESHOLD = 400
STATUS_LABELS = {
    "new": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "duplicate": "重复",
    "failed": "失败",
    "skipped": "跳过",
}


class Command(BaseCommand):
    help = "Parse raw article files (.txt .text .html .htm .shtml) into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to ingest")
        parser.add_argument(
            "--recursive", action="store_true", help="also read files in sub-folders"
        )
        parser.add_argument("--column", default="", help="column (栏目) for every file")
        parser.add_argument("--source", default="", help="source (来源) for every file")
        parser.add_argument("--encoding", default=None, help="force this text encoding")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report; write nothing"
        )
        parser.add_argument(
            "--format",
            choices=["text", "jsonl"],
            default="text",
            help="text: progress and summary; jsonl: one JSON object per file on stdout",
        )
        parser.add_argument(
            "--no-index", action="store_true", help="do not update the search index"
        )

    def handle(self, *args, **opts):
        options = _options(opts)
        files = list(iter_files(opts["paths"], recursive=opts["recursive"]))
        jsonl = opts["format"] == "jsonl"
        _tune_database()
        run = None if options.dry_run else IngestRun.objects.create(arguments=_arguments(opts))
        tally, names = RunTally(), NameCache()
        progress = tqdm(total=len(files), disable=jsonl or not sys.stderr.isatty(), unit="file")
        # A parsing process pays off only when there is a second core and enough files.
        worker = len(files) >= WORKER_THRESHOLD and (os.cpu_count() or 1) > 1
        for outcome in ingest_files(files, options=options, names=names, worker=worker):
            progress.update()
            reset_queries()  # with DEBUG on, Django would keep every query: memory must stay flat
            tally.add(outcome)
            if jsonl:
                self._emit(outcome, options)
            elif outcome.status == "failed":
                self._report_failure(progress, f"失败 {outcome.path}: {outcome.error}")
        if run is not None:
            run_finish(run, tally)
        if not options.dry_run and not opts["no_index"]:
            index_changed(tally.changed_ids)
        if not jsonl:
            self._summary(tally)
        if tally.counts["failed"]:
            raise CommandError(
                f"{tally.counts['failed']} 个文件导入失败（其余文件已导入）", returncode=1
            )

    def _emit(self, outcome: FileOutcome, options: IngestOptions) -> None:
        """One JSON line; if the reader went away (| head), finish the run without output."""
        try:
            self.stdout.write(json.dumps(_record(outcome, options), ensure_ascii=False))
            self.stdout.flush()
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # later writes (and exit) must not fail
            os.close(devnull)
            if not self._pipe_closed:
                self._pipe_closed = True
                self.stderr.write("输出已被关闭（管道），导入继续进行，不再输出结果")

    _pipe_closed = False

    def _report_failure(self, progress: tqdm, message: str) -> None:
        if progress.disable:
            self.stderr.write(message)
        else:
            progress.write(message, file=sys.stderr)  # above the bar, which stays intact

    def _summary(self, tally: RunTally) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("导入结果"))
        for status in STATUSES:
            label = f"{STATUS_LABELS[status]} {status}"
            self.stdout.write(f"  {label:<16}{tally.counts[status]:>8}")
        self.stdout.write(f"  {'合计 total':<16}{sum(tally.counts.values()):>8}")


def _options(opts: dict) -> IngestOptions:
    """Check the arguments before touching anything; bad ones exit with status 2."""
    missing = [str(p) for p in opts["paths"] if not p.exists()]
    if missing:
        raise CommandError(f"找不到文件或文件夹：{', '.join(missing)}", returncode=2)
    if opts["encoding"]:
        try:
            codecs.lookup(opts["encoding"])
        except LookupError:
            raise CommandError(f"未知的编码：{opts['encoding']}", returncode=2) from None
    return IngestOptions(
        column=opts["column"].strip(),
        source=opts["source"].strip(),
        encoding=opts["encoding"],
        dry_run=opts["dry_run"],
    )


def _arguments(opts: dict) -> list[str]:
    """The run as it was asked for, for the admin (also when called from code, not argv)."""
    given = [str(p) for p in opts["paths"]]
    for name in ("recursive", "no_index"):
        if opts[name]:
            given.append("--" + name.replace("_", "-"))
    for name in ("column", "source", "encoding"):
        if opts[name]:
            given += [f"--{name}", opts[name]]
    return given


def _tune_database() -> None:
    """Commit each file without waiting for its own disk flush (measured: 2x on both databases).

    Each file is still atomic, and a killed ingest loses nothing it reported. Only a crash of
    the machine itself can lose the last fraction of a second of commits, and those files are
    still on disk: the next run finds them missing and ingests them again.
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")  # this session only


def _record(outcome: FileOutcome, options: IngestOptions) -> dict:
    """The JSONL line for a file: what is stored (or, in a dry run, what was parsed)."""
    parsed, article = outcome.parsed, outcome.article
    if article is None and outcome.article_id is not None:
        article = Article.objects.select_related("column", "source").get(pk=outcome.article_id)
    stored = article if article is not None and (not options.dry_run or parsed is None) else None
    if stored is not None:
        values = {
            "title": stored.title,
            "published_at": _iso(stored.published_at),
            "column": stored.column.name if stored.column_id else None,
            "source": stored.source.name if stored.source_id else None,
            "author": stored.author or None,
            "needs_review": stored.needs_review,
            "review_reasons": list(stored.review_reasons),
        }
        body = stored.body_text
    elif parsed is not None:
        values = {
            "title": parsed.title,
            "published_at": _iso(parsed.published_at),
            "column": parsed.column or None,
            "source": parsed.source or None,
            "author": parsed.author or None,
            "needs_review": bool(parsed.review_reasons),
            "review_reasons": list(parsed.review_reasons),
        }
        body = parsed.body_text
    else:
        values = dict.fromkeys(("title", "published_at", "column", "source", "author"))
        values |= {"needs_review": False, "review_reasons": []}
        body = None
    record = {
        "path": outcome.path,
        "status": outcome.status,
        "article_id": article.pk if article is not None else None,
        **values,
        "warnings": outcome.warnings,
        "error": outcome.error or None,
    }
    if options.dry_run:
        record["body"] = body
    return record


def _iso(value) -> str | None:
    """ISO 8601 with the archive's UTC offset (+08:00), or None."""
    return timezone.localtime(value).isoformat() if value else None
