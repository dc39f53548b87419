"""python manage.py reparse [--all | ID...] : parse kept raw bytes again after a parser fix."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from archive.models import Article
from archive.services import NameCache
from ingest.services import article_reparse, index_changed


class Command(BaseCommand):
    help = "Re-parse articles from their kept raw files; fields an editor locked stay as they are."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids to re-parse")
        parser.add_argument("--all", action="store_true", help="re-parse every article")
        parser.add_argument(
            "--no-index", action="store_true", help="do not update the search index"
        )

    def handle(self, *args, **opts):
        if bool(opts["ids"]) == bool(opts["all"]):
            raise CommandError("请给出文章编号，或使用 --all（二者选一）", returncode=2)
        articles = Article.objects.order_by("pk")
        if not opts["all"]:
            articles = articles.filter(pk__in=opts["ids"])
            missing = set(opts["ids"]) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"没有这些文章：{sorted(missing)}", returncode=2)
        names, changed, failed = NameCache(), [], 0
        for article in articles.iterator(chunk_size=200):
            outcome = article_reparse(article=article, names=names)
            if outcome.status == "failed":
                failed += 1
                self.stderr.write(f"失败 文章 {article.pk}（{outcome.path}）：{outcome.error}")
            else:
                changed.append(article.pk)
        if not opts["no_index"]:
            index_changed(changed)
        self.stdout.write(f"重新解析 {len(changed)} 篇，失败 {failed} 篇")
        if failed:
            raise CommandError(f"{failed} 篇文章无法重新解析", returncode=1)
