"""Shared setup for the search benchmarks: a PostgreSQL database holding the 20,000 articles
that make_articles.py writes, parsed by our own ingest parsers (no per-file DB round trips).

    python bench/search_data.py [--count 20000]     # load once; the other benches reuse it
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("SEARCH_BENCH_DIR", "/tmp/search_bench"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/search_bench")
MAKE_ARTICLES = Path("/work/shared/corpus/make_articles.py")


def setup_django(index_dir: Path | None = None) -> None:
    """Django on the bench database, index in WORK (never the developer's data)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["ARCHIVE_INDEX_DIR"] = str(index_dir or WORK / "index")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _create_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database() -> None:
    import psycopg

    base, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname=%s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def _parse(path: str):
    from ingest.reading import ReadOptions, parse_bytes

    file = Path(path)
    parsed, _, _ = parse_bytes(file.read_bytes(), suffix=file.suffix, options=ReadOptions())
    return parsed


def corpus_dir(count: int) -> Path:
    out = WORK / f"corpus{count}"
    if not (out / "manifest.jsonl").exists():
        cmd = [sys.executable, str(MAKE_ARTICLES), str(out), "--count", str(count)]
        subprocess.run(cmd, check=True)
    return out


def load_articles(count: int) -> int:
    """Create the Article rows (once); returns how many there are."""
    from archive.models import Article, Column, Source

    if Article.objects.count() >= count * 0.9:
        return Article.objects.count()
    Article.objects.all().delete()
    out = corpus_dir(count)
    records = [json.loads(line) for line in (out / "manifest.jsonl").open(encoding="utf-8")]
    files = [str(out / r["file"]) for r in records if not r["broken"] and not r["duplicate_of"]]
    with Pool(os.cpu_count()) as pool:
        parsed = pool.map(_parse, files, chunksize=200)
    columns = {
        n: Column.objects.get_or_create(name=n, slug=f"c{i}")[0]
        for i, n in enumerate(sorted({p.column for p in parsed if p.column}))
    }
    sources = {
        n: Source.objects.get_or_create(name=n, slug=f"s{i}")[0]
        for i, n in enumerate(sorted({p.source for p in parsed if p.source}))
    }
    rows, seen = [], set()
    for p in parsed:
        digest = hashlib.sha256(p.body_text.encode()).hexdigest()
        if digest in seen or not p.body_text:
            continue
        seen.add(digest)
        rows.append(
            Article(
                title=p.title[:500] or "（无标题）",
                published_at=p.published_at,
                column=columns.get(p.column),
                source=sources.get(p.source),
                body_text=p.body_text,
                content_hash=digest,
            )
        )
    Article.objects.bulk_create(rows, batch_size=1000)
    return Article.objects.count()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20000)
    args = parser.parse_args()
    setup_django()
    print(f"articles in {DB_URL}: {load_articles(args.count)}")
