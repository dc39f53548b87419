"""Storing: updates, locked fields, duplicates, dry runs, the index, reparse, exit codes."""

import shutil
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import Article, IngestRun, RawDocument
from search.services import search_articles
from tests.conftest import FIXTURES, SEED_NEWS

PAGE = """当前位置 > 首页 > 政务要闻

{title}

2024-05-06 10:20:30

\u00a0\u00a0\u00a0\u00a0{body}
"""
BODY = "新区召开营商环境推进会，要求持续优化营商环境，切实为企业排忧解难，推动高质量发展。"


def _write(path, title="营商环境推进会召开", body=BODY):
    path.write_text(PAGE.format(title=title, body=body), encoding="utf-8")
    return path


def test_same_path_with_new_bytes_is_updated_but_locked_fields_stay(ingest, tmp_path):
    page = _write(tmp_path / "a.txt")
    [first] = ingest(page)
    article = Article.objects.get(pk=first["article_id"])
    article.title, article.locked_fields = "编辑改过的标题", ["title"]
    article.save()
    _write(page, title="网站改过的标题", body=BODY + "补充一句新的内容。")
    [second] = ingest(page)
    assert second["status"] == "updated"
    assert second["article_id"] == article.pk
    article.refresh_from_db()
    assert article.title == "编辑改过的标题"
    assert article.body_text.endswith("补充一句新的内容。")
    assert bytes(RawDocument.objects.get(path=second["path"]).content) == page.read_bytes()
    assert Article.objects.count() == 1


def test_same_body_in_another_file_is_a_duplicate_of_the_first(ingest, tmp_path):
    first = _write(tmp_path / "a.txt")
    second = _write(tmp_path / "b.txt", title="转载时改了标题")
    records = ingest(first, second)
    assert [r["status"] for r in records] == ["new", "duplicate"]
    assert records[1]["article_id"] == records[0]["article_id"]
    assert Article.objects.count() == 1
    assert RawDocument.objects.get(path=records[1]["path"]).status == "duplicate"


def test_dry_run_writes_nothing_and_reports_what_would_happen(ingest, tmp_path):
    first, second = _write(tmp_path / "a.txt"), _write(tmp_path / "b.txt")
    records = ingest(first, second, dry_run=True)
    assert [r["status"] for r in records] == ["new", "duplicate"]
    assert records[0]["body"] == BODY
    assert records[0]["title"] == "营商环境推进会召开"
    assert not Article.objects.exists() and not RawDocument.objects.exists()
    assert not IngestRun.objects.exists()
    assert search_articles("营商环境").count == 0


def test_index_is_updated_once_per_run_unless_no_index(ingest, tmp_path):
    ingest(_write(tmp_path / "a.txt"), no_index=True)
    assert search_articles("营商环境").count == 0
    ingest(_write(tmp_path / "b.txt", body="另一篇文章谈营商环境建设的成效和下一步打算。"))
    assert search_articles("营商环境").count == 1  # only the run that indexed


def test_column_and_source_options_apply_to_every_file(ingest, tmp_path):
    [record] = ingest(_write(tmp_path / "a.txt"), column="通知公告", source="区财政局")
    assert (record["column"], record["source"]) == ("通知公告", "区财政局")
    raw = RawDocument.objects.get()
    assert raw.options == {"column": "通知公告", "source": "区财政局"}
    run = IngestRun.objects.get()
    assert run.arguments == [raw.path, "--column", "通知公告", "--source", "区财政局"]


def test_unsupported_files_are_skipped_and_counted(ingest, tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    _write(tmp_path / "a.txt")
    records = ingest(tmp_path)
    assert [r["status"] for r in records] == ["new", "skipped"]
    assert "不支持" in records[1]["error"]
    assert IngestRun.objects.get().skipped == 1


def test_files_in_subfolders_need_recursive(ingest, tmp_path):
    _write((tmp_path / "sub").mkdir() or tmp_path / "sub" / "a.txt")
    assert ingest(tmp_path) == []
    assert [r["status"] for r in ingest(tmp_path, recursive=True)] == ["new"]


def test_a_failed_file_exits_1_and_the_others_are_still_ingested(db, tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    _write(tmp_path / "a.txt")
    with pytest.raises(CommandError) as error:
        call_command("ingest", str(tmp_path), no_index=True)
    assert error.value.returncode == 1
    assert Article.objects.count() == 1
    out = capsys.readouterr()
    assert "新增 new" in out.out and "文件为空" in out.err


@pytest.mark.parametrize("args", [["no/such/folder"], [str(SEED_NEWS), "--encoding", "nonsense-8"]])
def test_bad_arguments_exit_2(db, args):
    with pytest.raises(CommandError) as error:
        call_command("ingest", *args)
    assert error.value.returncode == 2


def test_bad_option_value_exits_2_from_the_shell():
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(SEED_NEWS), "--format", "xml"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
        cwd=FIXTURES.parent.parent,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid choice" in done.stderr


def test_reparse_rebuilds_from_kept_bytes_and_keeps_locked_fields(ingest, tmp_path, capsys):
    page = shutil.copy(SEED_NEWS, tmp_path / "news.txt")
    [record] = ingest(page, no_index=True)
    article = Article.objects.get(pk=record["article_id"])
    original_blocks = article.body_blocks
    Article.objects.filter(pk=article.pk).update(body_blocks=[], body_text="", column=None)
    article.refresh_from_db()
    article.author, article.locked_fields = "编辑填写的作者", ["author"]
    article.save()
    tmp_path.joinpath("news.txt").unlink()  # reparse reads the kept bytes, not the file
    call_command("reparse", str(article.pk), no_index=True)
    article.refresh_from_db()
    assert article.body_blocks == original_blocks
    assert article.column.name == "政务要闻"
    assert article.author == "编辑填写的作者"
    assert "重新解析 1 篇" in capsys.readouterr().out


def test_reparse_needs_ids_or_all(db):
    with pytest.raises(CommandError) as error:
        call_command("reparse")
    assert error.value.returncode == 2
