"""Build the search index for the bench articles: our queue + single-writer path vs
haystack's stock Whoosh backend (stock schema, AsyncWriter) on a sample, same run.

    ./dev bench search_build [--stock-sample 1000]
Prints articles/s for both, their ratio, and the index size against the raw text size.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from search_data import WORK, load_articles, setup_django


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_ours(index_dir: Path) -> tuple[int, float]:
    from archive.models import Article
    from search.indexing import queue_drain, queue_enqueue
    from search.models import IndexQueueEntry

    IndexQueueEntry.objects.all().delete()
    started = time.perf_counter()
    queue_enqueue(article_ids=Article.objects.values_list("pk", flat=True), action="update")
    report = queue_drain(wait=True)
    return report.updated, time.perf_counter() - started


def build_stock(sample: int, index_dir: Path) -> tuple[int, float]:
    """haystack's own WhooshSearchBackend.update(), as update_index calls it, in batches."""
    from haystack.backends.whoosh_backend import WhooshSearchBackend

    from archive.models import Article
    from search.search_indexes import ArticleIndex

    backend = WhooshSearchBackend("default", PATH=str(index_dir))
    index = ArticleIndex()
    articles = list(index.index_queryset().order_by("pk")[:sample])
    started = time.perf_counter()
    for i in range(0, len(articles), 1000):  # update_index's default batch size
        backend.update(index, articles[i : i + 1000])
    assert Article.objects.exists()
    return len(articles), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--stock-sample", type=int, default=1000)
    args = parser.parse_args()
    index_dir = WORK / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    setup_django(index_dir)
    n = load_articles(args.count)
    from django.db.models import Sum
    from django.db.models.functions import Length

    from archive.models import Article

    chars = Article.objects.aggregate(b=Sum(Length("body_text")), t=Sum(Length("title")))
    raw_bytes = sum(
        len(a.encode()) + len(t.encode())
        for a, t in Article.objects.values_list("body_text", "title").iterator()
    )
    ours, ours_s = build_ours(index_dir)
    size = dir_size(index_dir)
    total_chars = chars["b"] + chars["t"]
    print(f"articles: {n}, raw text {raw_bytes / 1e6:.1f} MB UTF-8 ({total_chars:,} chars)")
    print(f"ours:  {ours} articles in {ours_s:.1f} s = {ours / ours_s:.0f} articles/s")
    print(f"index size {size / 1e6:.1f} MB = {size / raw_bytes:.2f}x raw text")
    if args.stock_sample:
        stock_dir = WORK / "index_stock"
        shutil.rmtree(stock_dir, ignore_errors=True)
        stock, stock_s = build_stock(args.stock_sample, stock_dir)
        print(f"stock: {stock} articles in {stock_s:.1f} s = {stock / stock_s:.0f} articles/s")
        print(f"ratio ours/stock: {(ours / ours_s) / (stock / stock_s):.1f}x")


if __name__ == "__main__":
    main()
