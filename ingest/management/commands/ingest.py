"""python manage.py ingest PATH... : raw article files into the archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from archive.models import IngestRun
from ingest.services import FileOutcome, IngestOptions, ingest_file, iter_files, run_finish
from search.services import index_update

STATUSES = ("new", "updated", "unchanged", "duplicate", "failed", "skipped")


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
        missing = [str(p) for p in opts["paths"] if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        options = IngestOptions(
            column=opts["column"],
            source=opts["source"],
            encoding=opts["encoding"],
            dry_run=opts["dry_run"],
        )
        files = list(iter_files(opts["paths"], recursive=opts["recursive"]))
        jsonl = opts["format"] == "jsonl"
        run = None if options.dry_run else IngestRun.objects.create(arguments=sys.argv[1:])
        outcomes: list[FileOutcome] = []
        progress = tqdm(files, disable=jsonl or not sys.stderr.isatty(), unit="file")
        for path in progress:
            outcome = ingest_file(path, options=options)
            outcomes.append(outcome)
            if jsonl:
                self.stdout.write(json.dumps(self._record(outcome, options), ensure_ascii=False))
        if run is not None:
            run_finish(run, outcomes)
        if not options.dry_run and not opts["no_index"]:
            changed = [o.article for o in outcomes if o.status in ("new", "updated")]
            index_update(changed)
        if not jsonl:
            self._summary(outcomes)
        if any(o.status == "failed" for o in outcomes):
            raise CommandError("some files failed; see the report above", returncode=1)

    @staticmethod
    def _record(outcome: FileOutcome, options: IngestOptions) -> dict:
        parsed, article = outcome.parsed, outcome.article
        source = article if article is not None and not options.dry_run else None
        record = {
            "path": outcome.path,
            "status": outcome.status,
            "article_id": article.pk if article else None,
            "title": source.title if source else (parsed.title if parsed else None),
            "published_at": _iso(source.published_at if source else parsed and parsed.published_at),
            "column": _name(source.column) if source else (parsed.column if parsed else None),
            "source": _name(source.source) if source else (parsed.source if parsed else None),
            "author": source.author if source else (parsed.author if parsed else None),
            "needs_review": source.needs_review
            if source
            else bool(parsed and parsed.review_reasons),
            "review_reasons": (
                source.review_reasons if source else list(parsed.review_reasons) if parsed else []
            ),
            "warnings": outcome.warnings,
            "error": outcome.error or None,
        }
        if options.dry_run:
            record["body"] = parsed.body_text if parsed else None
        return record

    def _summary(self, outcomes: list[FileOutcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "failed":
                self.stderr.write(f"failed: {outcome.path}: {outcome.error}")
        self.stdout.write(self.style.MIGRATE_HEADING("ingest summary"))
        for status in STATUSES:
            count = sum(1 for o in outcomes if o.status == status)
            self.stdout.write(f"  {status:<10}{count:>8}")
        self.stdout.write(f"  {'total':<10}{len(outcomes):>8}")


def _iso(value) -> str | None:
    """ISO 8601 with the archive's UTC offset (+08:00), or None."""
    return timezone.localtime(value).isoformat() if value else None


def _name(obj) -> str | None:
    return obj.name if obj is not None else None
