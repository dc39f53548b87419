"""Shared fixtures: every test gets its own Whoosh index folder under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_NEWS = FIXTURES / "000_52e4610920f729cf.txt"
SEED_INTERVIEW = FIXTURES / "003_8ac21429a70ff294.txt"


@pytest.fixture(autouse=True)
def search_index(tmp_path, settings):
    """Point haystack at a fresh index in tmp_path; tests never touch the real index."""
    path = str(tmp_path / "whoosh_index")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": path}
    }
    connections.connections_info = settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield path
    connections.reload("default")


@pytest.fixture
def ingest(db, capsys):
    """Run the ingest command on some paths and return its JSONL records."""
    import json

    def run(*paths: Path, **options) -> list[dict]:
        capsys.readouterr()
        try:
            call_command("ingest", *map(str, paths), format="jsonl", **options)
        except SystemExit:  # pragma: no cover - command errors surface as CommandError
            raise
        except Exception as exc:
            if getattr(exc, "returncode", None) != 1:
                raise
        out = capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return run


@pytest.fixture
def seeds(ingest) -> tuple[Article, Article]:
    ingest(SEED_NEWS, SEED_INTERVIEW)
    news = Article.objects.get(title__startswith="新区十年")
    interview = Article.objects.exclude(pk=news.pk).get()
    return news, interview
