"""kill -9 in the middle of a run, then run again: no duplicate and no half article."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FIXTURES

ROOT = FIXTURES.parent.parent
CORPUS = FIXTURES / "generated"


def _manage(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **kwargs,
    )


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(f"select count(*) from {table}").fetchone()[0]
    except sqlite3.OperationalError:  # locked by the writer for a moment: try again
        return 0


def test_kill_9_then_rerun_leaves_whole_articles_and_no_duplicates(tmp_path):
    folder = tmp_path / "raw"
    for copy in ("first", "second"):  # the second copy is all re-posts of the first
        shutil.copytree(CORPUS, folder / copy)
    db = tmp_path / "archive.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"sqlite:///{db}",
        "ARCHIVE_INDEX_DIR": str(tmp_path / "index"),
        "SECRET_KEY": "test-interrupted-run",
    }
    assert _manage(env, "migrate", "--noinput").wait(timeout=120) == 0

    run = _manage(env, "ingest", "--recursive", "--no-index", str(folder))
    deadline = time.monotonic() + 60
    while _count(db, "archive_rawdocument") < 40 and time.monotonic() < deadline:
        time.sleep(0.005)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    kept = _count(db, "archive_rawdocument")
    assert 0 < kept < 400, "the run must be killed part-way for this test to mean anything"

    assert _manage(env, "ingest", "--recursive", "--no-index", str(folder)).wait(120) == 1
    with sqlite3.connect(db) as conn:
        articles = conn.execute(
            "select count(*), count(distinct content_hash) from archive_article"
        )
        raws = conn.execute("select count(*), count(distinct path) from archive_rawdocument")
        half = conn.execute(
            "select count(*) from archive_article a where a.body_text = ''"
            " or not exists (select 1 from archive_rawdocument r where r.article_id = a.id)"
            " or not exists (select 1 from archive_historicalarticle h where h.id = a.id)"
        ).fetchone()[0]
        runs = conn.execute("select count(*), count(finished_at) from archive_ingestrun")
        articles, raws, runs = articles.fetchone(), raws.fetchone(), runs.fetchone()
    manifest = [json.loads(line) for line in (CORPUS / "manifest.jsonl").open(encoding="utf-8")]
    usable = sum(1 for m in manifest if not m["broken"])
    unique = sum(1 for m in manifest if not m["broken"] and not m["duplicate_of"])
    assert articles == (unique, unique)
    assert raws == (2 * usable, 2 * usable)
    assert half == 0
    assert runs == (2, 1)  # the killed run stays visible as unfinished
