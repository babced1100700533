"""Benchmark (querying): ranked search latency and JSONL export speed on a database.

Usage: python benchmarks/querying.py DATABASE_URL [--runs 30] [--export]

Build the database first with ``benchmarks/gen_articles.py``. For each query of
``gen_articles.QUERIES`` it times ``Database.search(text, limit=20)`` end to end (the
page of ids by relevance, the articles, the highlighted snippets) after two warm-up
runs, and prints the median and 90th percentile. With ``--export`` it streams every
article to JSONL (to /dev/null) through the same code as ``warta export``
(``Database.iter_json_lines`` + ``write_json_lines``) and prints articles per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gen_articles import QUERIES
from storage.database import Database
from storage.export import write_json_lines

WARM_UP = 2


def time_query(db: Database, text: str, runs: int, **kwargs: object) -> tuple[float, float, int]:
    """Median and p90 milliseconds of ``db.search(text)``, and how many hits it had."""
    for _ in range(WARM_UP):
        hits = db.search(text, limit=20, **kwargs)  # type: ignore[arg-type]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        hits = db.search(text, limit=20, **kwargs)  # type: ignore[arg-type]
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1], len(hits)


def time_export(db: Database) -> tuple[int, float, float]:
    """Rows, wall seconds, and CPU seconds of this process (the machine may be shared)."""
    with open(os.devnull, "w", encoding="utf-8") as out:
        started, cpu = time.perf_counter(), time.process_time()
        count = write_json_lines(db.iter_json_lines(), out)
        return count, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--export", action="store_true")
    args = parser.parse_args()
    with Database.open(args.database_url) as db:
        print(f"{db.backend}: {db.count_articles():,} articles")
        cases: list[tuple[str, str, dict[str, object]]] = [
            (name, text, {}) for name, text in QUERIES.items()
        ] + [  # the same queries newest first, and with a language filter
            ("common, newest", QUERIES["common"], {"sort": "newest"}),
            ("common, lang=id", QUERIES["common"], {"lang": "id"}),
            ("mid, dedupe", QUERIES["mid"], {"dedupe": True}),
        ]
        for name, text, kwargs in cases:
            median, p90, hits = time_query(db, text, args.runs, **kwargs)
            print(
                f"  {name:<16} {text!r:<26} median {median:7.1f} ms  p90 {p90:7.1f} ms"
                f"  ({hits} hits shown)"
            )
        if args.export:
            count, seconds, cpu = time_export(db)
            print(
                f"  export jsonl: {count:,} articles in {seconds:.1f}s = {count / seconds:,.0f}/s"
                f" (this process's CPU: {cpu:.1f}s = {count / cpu:,.0f}/s)"
            )


if __name__ == "__main__":
    main()
