"""Benchmark (querying): ranked search latency and JSONL export speed on a database.

Usage: python benchmarks/querying.py DATABASE_URL [--runs 30] [--export]

Build the database first with ``benchmarks/gen_articles.py``. For each query of
``gen_articles.QUERIES`` it times ``Database.search(text, limit=20)`` end to end (the
page of ids by relevance, the articles, the highlighted snippets) after two warm-up
runs, and prints the median and 90th percentile, and the CPU time per run of this
process and (PostgreSQL on this machine) of the server process. With ``--export`` it
streams every article to JSONL (to /dev/null) through the same code as ``warta export``
(``Database.iter_json_lines`` + ``write_json_lines``) and prints articles per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gen_articles import QUERIES
from storage.database import Database
from storage.export import write_json_lines

WARM_UP = 2


@dataclass
class Timing:
    """One query's wall-clock median and p90 (ms), and CPU ms per run: this process's,
    and the PostgreSQL server process's when it runs on this machine (else None)."""

    median: float
    p90: float
    client_cpu: float
    server_cpu: float | None
    hits: int


def time_query(db: Database, text: str, runs: int, **kwargs: object) -> Timing:
    """Time ``db.search(text, limit=20)`` ``runs`` times after the warm-up."""
    for _ in range(WARM_UP):
        hits = db.search(text, limit=20, **kwargs)  # type: ignore[arg-type]
    server = ServerCPU(db)
    samples = []
    cpu, server_cpu = time.process_time(), server.seconds()
    for _ in range(runs):
        started = time.perf_counter()
        hits = db.search(text, limit=20, **kwargs)  # type: ignore[arg-type]
        samples.append((time.perf_counter() - started) * 1000)
    client = (time.process_time() - cpu) * 1000 / runs
    after = server.seconds()
    server_ms = None if after is None or server_cpu is None else (after - server_cpu) * 1000 / runs
    samples.sort()
    median, p90 = statistics.median(samples), samples[int(len(samples) * 0.9) - 1]
    return Timing(median, p90, client, server_ms, len(hits))


class ServerCPU:
    """CPU seconds used by the PostgreSQL backend serving ``db`` (read from /proc).

    On a shared machine, wall-clock times measure the other jobs as much as the query;
    CPU time does not. One thread reuses one pooled connection, hence one backend.
    """

    def __init__(self, db: Database) -> None:
        self.stat: Path | None = None
        if db.backend == "postgresql":
            with db.engine.connect() as conn:
                pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            self.stat = Path(f"/proc/{pid}/stat")

    def seconds(self) -> float | None:
        try:
            fields = self.stat.read_text().rsplit(")", 1)[1].split() if self.stat else None
        except OSError:  # the server runs elsewhere
            return None
        if fields is None:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_export(db: Database) -> tuple[int, float, float, float | None]:
    """Rows, wall seconds, and CPU seconds of this process and of the server (or None)."""
    server = ServerCPU(db)
    with open(os.devnull, "w", encoding="utf-8") as out:
        started, cpu, server_cpu = time.perf_counter(), time.process_time(), server.seconds()
        count = write_json_lines(db.iter_json_lines(), out)
        after = server.seconds()
        used = None if after is None or server_cpu is None else after - server_cpu
        return count, time.perf_counter() - started, time.process_time() - cpu, used


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
            t = time_query(db, text, args.runs, **kwargs)
            server = f" + server {t.server_cpu:5.1f}" if t.server_cpu is not None else ""
            print(
                f"  {name:<16} {text!r:<26} median {t.median:7.1f} ms  p90 {t.p90:7.1f} ms"
                f"  CPU ms/run: client {t.client_cpu:5.1f}{server}  ({t.hits} hits shown)"
            )
        if args.export:
            count, seconds, cpu, server_cpu = time_export(db)
            server = f", server's: {server_cpu:.1f}s" if server_cpu is not None else ""
            print(
                f"  export jsonl: {count:,} articles in {seconds:.1f}s = {count / seconds:,.0f}/s"
                f" (CPU: this process's {cpu:.1f}s = {count / cpu:,.0f}/s{server})"
            )


if __name__ == "__main__":
    main()
