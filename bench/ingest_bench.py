"""Ingest throughput and peak memory, on SQLite and PostgreSQL, 1,000 vs 5,000 files.

    ./dev bench ingest_bench [--files 5000] [--small 1000] [--repeat 3] [--pg URL|--no-pg]

Generates the corpus with ../shared/corpus/make_articles.py (cached under /tmp), then for each
database and each folder size runs `ingest --no-index` in a fresh child process on a fresh
database and reports the median files/s and the child's peak RSS. The baseline, measured in
the same run, is parsing alone (decode + parse, no database) in this process.
Target: >= 300 files/s; memory flat: peak RSS at 5,000 files within 1.2x of 1,000 files.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_ARTICLES = ROOT.parent / "shared" / "corpus" / "make_articles.py"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def corpus(count: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"ingest_bench_corpus_{count}_seed7"
    if not (folder / "manifest.jsonl").exists():
        subprocess.run(
            [sys.executable, str(MAKE_ARTICLES), str(folder), "--count", str(count), "--seed", "7"],
            check=True,
        )
    return folder


def subset(source: Path, count: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"ingest_bench_subset_{count}_seed7"
    if not folder.exists():
        folder.mkdir()
        for path in sorted(source.glob("0*"))[:count]:
            shutil.copy(path, folder / path.name)
    return folder


class WorkerWatch(threading.Thread):
    """Peak RSS (VmHWM) of the parsing worker, read from /proc while it runs.

    getrusage(RUSAGE_CHILDREN) would count the parent's pages in the child between fork and
    exec, so it overstates a spawned worker several times over.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.start()

    def run(self) -> None:
        while True:
            for pid in _children():
                self.peak_kb = max(self.peak_kb, _hwm_kb(pid))
            time.sleep(0.2)


def _children() -> list[str]:
    found = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found += (task / "children").read_text().split()
    return found


def _hwm_kb(pid: str) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def child(database_url: str, folder: str) -> None:
    """Runs in a fresh process: migrate (untimed), then time one ingest of the folder."""
    os.environ.update(
        DATABASE_URL=database_url, SECRET_KEY="bench", DJANGO_SETTINGS_MODULE="config.settings"
    )
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command
    from django.core.management.base import CommandError

    django.setup()
    call_command("migrate", verbosity=0)
    files = sum(1 for _ in Path(folder).iterdir())
    watcher = WorkerWatch()
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet, contextlib.suppress(CommandError):
        # The corpus holds broken files on purpose, so the command ends with exit status 1.
        call_command("ingest", folder, no_index=True, stdout=quiet, stderr=quiet)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = watcher.peak_kb / 1024
    print(
        json.dumps({"files": files, "seconds": seconds, "peak_mb": peak_mb, "worker_mb": worker_mb})
    )


def run_child(database_url: str, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", database_url, str(folder)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_sqlite(workdir: Path) -> str:
    for old in workdir.glob("bench.sqlite3*"):
        old.unlink()
    return f"sqlite:///{workdir / 'bench.sqlite3'}"


def fresh_postgres(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS ingest_bench")
        conn.execute("CREATE DATABASE ingest_bench")
    return url.rsplit("/", 1)[0] + "/ingest_bench"


def parse_only(folder: Path) -> float:
    """Baseline: decode and parse every file in this process, no database. Files per second."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from ingest.parsers import ParseError
    from ingest.reading import ReadOptions, parse_bytes

    paths = sorted(folder.glob("0*"))
    started = time.perf_counter()
    for path in paths:
        with contextlib.suppress(ParseError):
            parse_bytes(path.read_bytes(), suffix=path.suffix, options=ReadOptions())
    return len(paths) / (time.perf_counter() - started)


def measure(name: str, fresh, sizes: dict[int, Path], repeat: int) -> dict[int, dict]:
    results = {}
    for count, folder in sizes.items():
        runs = [run_child(fresh(), folder) for _ in range(repeat)]
        rates = [r["files"] / r["seconds"] for r in runs]
        results[count] = {
            "rate": statistics.median(rates),
            "peak": statistics.median(r["peak_mb"] for r in runs),
            "worker": statistics.median(r["worker_mb"] for r in runs),
            "rates": rates,
        }
        print(
            f"{name:<10} {count:>6} files  median {results[count]['rate']:7.1f} files/s"
            f"  (runs: {', '.join(f'{x:.0f}' for x in rates)})"
            f"  peak RSS {results[count]['peak']:6.1f} MB"
            f" (+ parsing worker {results[count]['worker']:5.1f} MB)",
            flush=True,
        )
    return results


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()

    big = corpus(args.files)
    sizes = {args.small: subset(big, args.small), args.files: big}
    baseline = parse_only(big)
    print(f"baseline   parse only (no database), {args.files} files: {baseline:7.1f} files/s")
    workdir = Path(tempfile.mkdtemp(prefix="ingest_bench_"))
    backends = {"sqlite": lambda: fresh_sqlite(workdir)}
    if not args.no_pg:
        backends["postgresql"] = lambda: fresh_postgres(args.pg)
    for name, fresh in backends.items():
        results = measure(name, fresh, sizes, args.repeat)
        small, large = results[args.small], results[args.files]
        print(
            f"{name:<10} ratios: files/s vs parse-only {large['rate'] / baseline:.2f};"
            f" peak RSS {args.files} vs {args.small} files {large['peak'] / small['peak']:.2f}"
            f" (flat if <= 1.20); 300 files/s target {'met' if large['rate'] >= 300 else 'MISSED'}",
            flush=True,
        )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
