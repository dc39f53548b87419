"""Requests per second for the home, article and column pages, served the production way.

    ./dev bench pages_bench [--articles 20000] [--seconds 5] [--rounds 3] [--concurrency 4]

Builds (once, then reused) a SQLite database under bench/out/pages/ holding N articles over
2015-2026 in 8 columns and their search index (article pages show related articles from it),
serves it with gunicorn (2 sync workers, DEBUG off, whitenoise), and
loads it from a separate process on loopback: wrk when installed (apt-get install wrk),
else a bounded Python load loop (one new connection per request, as gunicorn's sync workers
close them; the loop's own CPU use lowers the figures on a 2-core machine). Prints the
median requests/s per page over the rounds and its ratio to /robots.txt measured in the
same run (the cost of Django + gunicorn with no database work and almost no template).
Set DATABASE_URL to bench PostgreSQL instead (the database is filled if it has no articles).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from multiprocessing import Process, Queue
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "pages"
CORPUS = ROOT.parent / "shared" / "corpus" / "government_work_reports.jsonl"
COLUMNS = [
    "政务要闻",
    "部门动态",
    "镇街动态",
    "通知公告",
    "政策解读",
    "新闻发布会",
    "媒体聚焦",
    "图片新闻",
]
SOURCES = ["青岛日报", "新区融媒体中心", "区发展和改革局", "新华社", "大众日报", "人民网"]
TARGET_ARTICLE_RPS = 200


def environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'archive.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(OUT / "static"),
        ARCHIVE_INDEX_DIR=str(OUT / "whoosh_index"),
        ARCHIVE_DATA_DIR=str(OUT),
    )
    return env


def manage(env, *argv: str) -> None:
    subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=env, check=True)


def sentences() -> list[str]:
    if CORPUS.exists():
        with open(CORPUS, encoding="utf-8") as f:
            text = "".join(json.loads(line)["text"] for line in itertools.islice(f, 5))
        found = [s + "。" for s in text.replace("\n", "").split("。") if 15 <= len(s) <= 90]
        if found:
            return found
    return [f"第{i}句：新区持续优化营商环境，推动高质量发展。" for i in range(500)]


def populate(count: int) -> None:
    """Fill the database in this process (Django already set up from the bench environment)."""
    from archive.models import Article, Column, Source

    if Article.objects.count() >= count:
        return
    rng = random.Random(7)
    said = sentences()
    columns = [Column.objects.get_or_create(name=n, slug=n)[0] for n in COLUMNS]
    sources = [Source.objects.get_or_create(name=n, slug=n)[0] for n in SOURCES]
    start = dt.datetime(2015, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    batch = []
    for i in range(Article.objects.count(), count):
        paragraphs = [{"kind": "paragraph", "text": "".join(rng.sample(said, 3))} for _ in range(6)]
        blocks = [
            {"kind": "heading", "text": "一、总体情况"},
            *paragraphs[:3],
            {"kind": "quote", "text": rng.choice(said)},
            {"kind": "question", "text": rng.choice(said), "speaker": "记者"},
            {"kind": "answer", "text": rng.choice(said), "speaker": "孙永红"},
            *paragraphs[3:],
        ]
        batch.append(
            Article(
                title=rng.choice(said)[:30].rstrip("。，") + f"（{i}）",
                published_at=start + dt.timedelta(minutes=rng.randrange(int(11.5 * 365 * 1440))),
                column=rng.choice(columns),
                source=rng.choice(sources),
                author="王晓明",
                body_blocks=blocks,
                body_text="\n".join(b["text"] for b in blocks),
                keywords=["营商环境", "改革"],
                content_hash=f"bench-{i:08d}",
            )
        )
        if len(batch) == 1000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def build_index() -> None:
    """Index every article (once): article pages show related articles from the index, and
    their first view per worker computes them, as in production."""
    from haystack import connections

    from archive.models import Article
    from search.indexing import queue_drain, queue_enqueue

    searcher = connections["default"].get_backend().searcher()
    if searcher.doc_count() >= Article.objects.count():
        return
    started = time.perf_counter()
    queue_enqueue(article_ids=Article.objects.values_list("pk", flat=True), action="update")
    report = queue_drain(wait=True)
    print(f"search index: {report.updated:,} articles ({time.perf_counter() - started:.0f} s)")


def prepare(args, env) -> dict[str, list[str]]:
    OUT.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    from archive.models import Article, Column

    started = time.perf_counter()
    populate(args.articles)
    print(f"database: {Article.objects.count():,} articles ({time.perf_counter() - started:.1f} s)")
    build_index()
    ids = list(Article.objects.values_list("id", flat=True))
    slugs = list(Column.objects.values_list("slug", flat=True))
    rng = random.Random(1)
    from urllib.parse import quote

    return {
        "robots.txt (baseline)": ["/robots.txt"],
        "home": ["/"],
        "article": [f"/articles/{i}/" for i in rng.sample(ids, 500)],
        "column": [
            f"/columns/{quote(s)}/?page={rng.randint(1, 50)}" for s in slugs for _ in range(20)
        ],
    }


def load(port: int, urls: list[str], seconds: float, concurrency: int, results: Queue) -> None:
    """In its own process: load the server for `seconds`; put (req/s, errors, latencies)."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            url = rng.choice(urls)
            began = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                conn.close()
            with lock:
                latencies.append(time.perf_counter() - began)
                errors[0] += not ok

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put((len(latencies) / seconds, errors[0], latencies))


def wrk_round(port: int, urls: list[str], args) -> tuple[float, float, int]:
    """One round with wrk: (req/s, p95 ms, failed requests)."""
    script = OUT / "paths.lua"
    quoted = ", ".join(json.dumps(u) for u in urls)
    script.write_text(
        f"paths = {{{quoted}}}\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{args.concurrency}",
            f"-d{args.seconds:g}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95 = 0.0  # wrk prints 50/75/90/99: report the 90th as the nearest it has
    if found := re.search(r"90%\s+([\d.]+)(us|ms|s)", out):
        p95 = float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    return rate, p95, failed


def measure(port, urls, args) -> tuple[float, float, int]:
    if args.loader == "wrk":
        rounds = [wrk_round(port, urls, args) for _ in range(args.rounds)]
        return (
            statistics.median(r[0] for r in rounds),
            statistics.median(r[1] for r in rounds),
            sum(r[2] for r in rounds),
        )
    rates, all_latencies, failures = [], [], 0
    for _ in range(args.rounds):
        results: Queue = Queue()
        process = Process(target=load, args=(port, urls, args.seconds, args.concurrency, results))
        process.start()
        rate, errors, latencies = results.get()
        process.join()
        rates.append(rate)
        all_latencies += latencies
        failures += errors
    p95 = statistics.quantiles(all_latencies, n=20)[-1] * 1000
    return statistics.median(rates), p95, failures


def fetch(port: int, url: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def serve(env, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            if fetch(port, "/robots.txt") == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("error: gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="articles in the database")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per page; median reported")
    parser.add_argument("--concurrency", type=int, default=4, help="simultaneous clients")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--loader",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (apt-get install wrk; default when installed) or a Python loop",
    )
    args = parser.parse_args()
    env = environment(args)
    pages = prepare(args, env)
    server = serve(env, args.port)
    try:
        for url in ("/", pages["article"][0], pages["column"][0]):  # warm both workers
            for _ in range(4):
                fetch(args.port, url)
        print(
            f"gunicorn 2 workers, load by {args.loader} from another process: "
            f"{args.concurrency} connections, {args.rounds} x {args.seconds:g} s per page"
        )
        tail = "p90 ms" if args.loader == "wrk" else "p95 ms"
        print(f"{'page':<22} {'req/s (median)':>15} {'vs baseline':>12} {tail:>8} {'errors':>7}")
        baseline = None
        status = 0
        for name, urls in pages.items():
            rate, p95, failures = measure(args.port, urls, args)
            baseline = baseline or rate
            print(f"{name:<22} {rate:>15.0f} {rate / baseline:>12.2f} {p95:>8.1f} {failures:>7}")
            status |= failures > 0
            if name == "article" and rate < TARGET_ARTICLE_RPS:
                print(f"  below the target of {TARGET_ARTICLE_RPS} req/s for article pages")
                status = 1
        return status
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
