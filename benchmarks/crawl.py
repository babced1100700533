"""Benchmark (crawl): warta's full crawl against Scrapy's own ceiling, on a local mirror.

Usage: python benchmarks/crawl.py [--pages 5000] [--rounds 3] [--workers 2] [--no-postgres]
                                  [--keep DIR]

In one run, over the same mirror (benchmarks/mirror.py) served on 127.0.0.1 by nginx
when it is on PATH, else by a threaded Python static server in its own process:

1. bare ceiling: a minimal Scrapy SitemapSpider that follows the same sitemap links and
   yields url + length (no extraction, no storage);
2. warta's full crawl: the real `news` spider (`python -m scrapy crawl news`) with a
   generated sources file, into SQLite and, when it answers, PostgreSQL; on SQLite once
   more with extraction kept in the crawl's process (WARTA_EXTRACT_POOL_AFTER=10**9);
3. `warta reprocess` of the SQLite database (no network);
4. a second crawl of the unchanged mirror into the same SQLite database, and a third
   after the sitemaps changed (new Last-Modified, same articles: all skipped as stored);
5. a crawl of the first 1,000 pages only (peak memory against N);
6. a per-stage profile: extract() stages (cProfile) and store_batch(), offline.

Every crawl runs in a child process; CPU time and peak RSS come from wait4() (the peak is
the largest single process of the tree, not a sum); warta's crawls also report their main
process and extraction workers apart. Throughput is article pages per wall-clock second
of the child, start-up included. The bare spider and warta's SQLite crawl run in
``--rounds`` alternating pairs (default 3), and the ratio is the median of the pairs'
ratios: this 2-core machine's speed drifts by 10-25% between minutes, and a single pair
measured the same code anywhere from x0.53 to x0.68. Crawls use the same settings for bare
and warta: 16
concurrent requests, no AutoThrottle, robots.txt on; the bare spider runs once more with
warta's CONCURRENT_ITEMS, a Scrapy setting any spider may use.
The last line is machine-readable (R, P and B: medians over the rounds; S: the fewest
articles any round stored):
    ratio_to_bare=R pages_per_s=P bare_pages_per_s=B peak_rss_mb=M stored=S served=N
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import mirror  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "WARTA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# The same for the bare spider and warta's: a backfill, not a polite scheduled visit.
CRAWL_SETTINGS = {
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "ROBOTSTXT_OBEY": "True",
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": "False",
}
ENTRY_PREFIXES = ("/sitemap", "/robots.txt", "/feed.xml", "/latest/")
# Runs `scrapy` in the child and writes the main process's and its workers' own rusage to
# the file named by WARTA_BENCH_USAGE. `-c`, not this file: spawned extraction workers
# re-import the parent's main script, and this one would weigh on their memory.
USAGE_WRAPPER = """
import atexit, json, os, resource, sys
def _usage():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.environ["WARTA_BENCH_USAGE"], "w") as out:
        json.dump({"main_rss_mb": me.ru_maxrss / 1024, "workers_rss_mb": kids.ru_maxrss / 1024,
                   "main_cpu": me.ru_utime + me.ru_stime,
                   "workers_cpu": kids.ru_utime + kids.ru_stime}, out)
atexit.register(_usage)
from scrapy.cmdline import execute
sys.argv = ["scrapy", *sys.argv[1:]]
execute()
"""


@dataclass(frozen=True, slots=True)
class Child:
    """One measured child process."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    child: Child
    pages: int  # article pages fetched (or re-extracted)
    articles: int  # articles stored as new or updated (or processed, for reprocess)
    requests: int | None = None
    usage: dict[str, float] | None = None  # main process and workers apart (warta crawls)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.child.seconds if self.child.seconds else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.child.seconds if self.child.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.child.cpu_seconds / self.pages if self.pages else 0.0


def run_child(cmd: list[str], log_dir: Path, name: str, env: dict[str, str] | None = None) -> Child:
    """Run ``cmd`` to the end; its own CPU time and peak RSS from wait4 (children included)."""
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    child = Child(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        returncode=proc.returncode,
        stdout=out_path.read_text("utf-8", "replace"),
        stderr=err_path.read_text("utf-8", "replace"),
    )
    if child.returncode != 0:
        tail = "\n".join(child.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{name} exited with {child.returncode}:\n{tail}")
    return child


# --- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# As root, nginx would serve as "nobody", who cannot read a mkdtemp() directory (0700):
# every page would be a 403. The workers then run as the benchmark's own user.
NGINX_CONF = """{user}worker_processes 1;
error_log {work}/nginx-error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log {log};
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
    server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
"""


@contextmanager
def serving(root: Path, port: int, work: Path, access_log: Path) -> Iterator[str]:
    """Serve the mirror; yield the server's name. nginx when on PATH, else Python."""
    nginx = shutil.which("nginx")
    if nginx:
        (work / "tmp").mkdir(exist_ok=True)
        conf = work / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(
            NGINX_CONF.format(user=user, work=work, log=access_log, port=port, root=root)
        )
        cmd = [nginx, "-p", str(work), "-c", str(conf), "-g", "daemon off;"]
        name = "nginx"
    else:
        script = REPO / "benchmarks" / "mirror.py"
        cmd = [sys.executable, str(script), "serve", str(root), "--port", str(port)]
        cmd += ["--access-log", str(access_log)]
        name = "python ThreadingHTTPServer (benchmarks/mirror.py serve; nginx not on PATH)"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        yield name
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the mirror server did not start on port {port}")


class AccessLog:
    """Requests the server answered since the last mark, split into entry points and pages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def mark(self) -> None:
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def since_mark(self) -> tuple[int, int, int]:
        """(requests, article requests, 304 answers) since the last mark."""
        time.sleep(0.2)  # the server writes its line after the body
        with self.path.open("rb") as log:
            log.seek(self.offset)
            lines = log.read().decode("utf-8", "replace").splitlines()
        requests = articles = not_modified = 0
        for line in lines:
            path, status = _request_of(line)
            if path is None:
                continue
            requests += 1
            articles += not path.startswith(ENTRY_PREFIXES)
            not_modified += status == "304"
        return requests, articles, not_modified


def _request_of(line: str) -> tuple[str | None, str]:
    """Path and status from our log ("GET /p 200") or nginx's combined format."""
    if '"' in line:  # nginx: ... "GET /path HTTP/1.1" 200 ...
        try:
            request, rest = line.split('"')[1], line.split('"')[2]
            return request.split()[1], rest.split()[0]
        except IndexError:
            return None, ""
    parts = line.split()
    return (parts[1], parts[2]) if len(parts) >= 3 else (None, "")


# --- the phases --------------------------------------------------------------------------


def sources_toml(base: str, sitemap: str) -> str:
    return (
        "[[sources]]\n"
        'name = "mirror"\n'
        'kind = "sitemap"\n'
        f'start_urls = ["{base}/{sitemap}"]\n'
        'allowed_domains = ["127.0.0.1"]\n'
        'language = "en"\n'
    )


def warta_crawl_cmd(
    config: Path, database_url: str, pages: int, extra: dict[str, str] | None = None
) -> list[str]:
    settings = {
        **CRAWL_SETTINGS,
        "WARTA_DATABASE_URL": database_url,
        "WARTA_ALLOW_NETWORKS": "127.0.0.1/32",
        "WARTA_SOURCE_MAX_REQUESTS": str(pages * 2 + 100),
        "CLOSESPIDER_TIMEOUT": "0",
        **(extra or {}),
    }
    cmd = [sys.executable, "-c", USAGE_WRAPPER, "crawl", "news", "-a", f"config={config}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def bare_cmd(sitemap_url: str, stats_path: Path, concurrent_items: int | None = None) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "_bare", sitemap_url, str(stats_path)]
    return cmd + ([str(concurrent_items)] if concurrent_items else [])


def run_bare(sitemap_url: str, stats_path: Path, concurrent_items: int | None = None) -> None:
    """The ceiling: Scrapy's SitemapSpider, yielding url + length per page."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response
    from scrapy.spiders import SitemapSpider

    class BareSpider(SitemapSpider):
        name = "bare"
        sitemap_urls = [sitemap_url]

        def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any]]:
            yield {"url": response.url, "length": len(response.body)}

    settings = dict(CRAWL_SETTINGS)
    if concurrent_items:
        settings["CONCURRENT_ITEMS"] = str(concurrent_items)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    stats_path.write_text(json.dumps({k: str(v) for k, v in stats.items()}))


def run_seconds(run: dict[str, Any]) -> float | None:
    """Seconds from a crawl run's start to its end, as the run record says."""
    from datetime import datetime

    if not run.get("started_at") or not run.get("finished_at"):
        return None
    started = datetime.fromisoformat(str(run["started_at"]))
    return (datetime.fromisoformat(str(run["finished_at"])) - started).total_seconds()


def crawl_phase(
    name: str,
    config: Path,
    database_url: str,
    pages: int,
    log: AccessLog,
    work: Path,
    extra: dict[str, str] | None = None,
) -> tuple[Phase, dict[str, Any]]:
    from storage.database import Database

    log.mark()
    usage_path = work / "usage.json"
    usage_path.unlink(missing_ok=True)
    env = {**os.environ, "WARTA_BENCH_USAGE": str(usage_path)}
    child = run_child(warta_crawl_cmd(config, database_url, pages, extra), work, name, env)
    usage = json.loads(usage_path.read_text()) if usage_path.exists() else None
    requests, fetched, _ = log.since_mark()
    with Database.open(database_url) as db:
        run = db.list_runs(limit=1)[0].to_dict()
        run["stored"] = db.count_articles()
    articles = run["articles_new"] + run["articles_updated"]
    return Phase(name, child, fetched, articles, requests, usage), run


def reprocess_phase(database_url: str, config: Path, workers: int, work: Path) -> Phase:
    cmd = [sys.executable, "-m", "warta", "--database", database_url, "--config", str(config)]
    cmd += ["reprocess", "--workers", str(workers), "--format", "json"]
    child = run_child(cmd, work, "reprocess")
    report = json.loads(child.stdout)
    processed = report["updated"] + report["unchanged"] + report["new"]
    return Phase(f"warta reprocess sqlite ({workers} workers)", child, report["pages"], processed)


# --- per-stage profile (offline, one process) ------------------------------------------------


def stage_profile(root: Path, base: str, sample: int, work: Path) -> list[tuple[str, float]]:
    """ms per page of each stage of extract() (cProfile callees) and of store_batch()."""
    from datetime import UTC, datetime

    from pipeline.extract import extract
    from pipeline.similarity import signature
    from storage.database import Database
    from storage.records import PageRecord

    files = sorted(p for p in root.rglob("*.html") if "latest" not in p.parts)[:sample]
    pages = [(base + "/" + str(p.relative_to(root)), p.read_bytes()) for p in files]
    for url, html in pages[:3]:
        extract(html, url)  # warm-up: lazy models load once
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    articles = [extract(html, url) for url, html in pages]
    profiler.disable()
    extract_total = time.process_time() - started
    stats = pstats.Stats(profiler)
    rows: list[tuple[str, float]] = []
    for func, (_, _, _, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        for caller, timing in callers.items():
            if caller[2] == "extract" and caller[0].endswith("pipeline/extract.py"):
                rows.append((f"extract: {func[2]}", 1000 * timing[3] / len(pages)))
    rows.append(("extract() total", 1000 * extract_total / len(pages)))
    # The crawler signs each body where it extracts it (crawler/extract_pool.py).
    started = time.process_time()
    signatures = [signature(a.text) for a in articles]
    rows.append(
        ("signature (MinHash, with extract)", 1000 * (time.process_time() - started) / len(pages))
    )
    now = datetime.now(UTC)
    records = [
        PageRecord(a, "mirror", html, now, signature=sig)
        for a, sig, (_, html) in zip(articles, signatures, pages, strict=True)
    ]
    with Database.open(f"sqlite:///{work / 'profile.db'}") as db:
        started = time.process_time()
        wall = time.perf_counter()
        for start in range(0, len(records), 50):
            db.store_batch(records[start : start + 50])
        store_cpu = time.process_time() - started
        store_wall = time.perf_counter() - wall
    rows.append(("store_batch (SQLite, batches of 50), CPU", 1000 * store_cpu / len(pages)))
    rows.append(("store_batch (SQLite, batches of 50), wall", 1000 * store_wall / len(pages)))
    return sorted(rows, key=lambda r: -r[1])


# --- PostgreSQL ------------------------------------------------------------------------------


@contextmanager
def postgres_database() -> Iterator[str | None]:
    """A throwaway PostgreSQL database, or None when no server answers."""
    import sqlalchemy as sa

    try:
        admin = sa.create_engine(
            PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure means "not here"
        print(f"PostgreSQL not reachable ({type(exc).__name__}); skipped", file=sys.stderr)
        yield None
        return
    name = f"warta_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- report ----------------------------------------------------------------------------------


def print_phases(phases: list[Phase]) -> None:
    head = (
        f"{'phase':<44} {'pages':>6} {'articles':>8} {'seconds':>8} {'pages/s':>8} "
        f"{'art/s':>7} {'CPU ms/page':>11} {'peak RSS MB':>11} {'requests':>8}"
    )
    print(head)
    print("-" * len(head))
    for p in phases:
        requests = "" if p.requests is None else str(p.requests)
        print(
            f"{p.name:<44} {p.pages:>6} {p.articles:>8} {p.child.seconds:>8.1f} "
            f"{p.pages_per_s:>8.1f} {p.articles_per_s:>7.1f} {p.cpu_ms_per_page:>11.2f} "
            f"{p.child.peak_rss_mb:>11.0f} {requests:>8}"
        )


def print_usage(phases: list[Phase]) -> None:
    """Main process and extraction workers apart (wait4's peak is the larger of the two)."""
    print(
        f"{'warta crawl: per process':<44} {'main CPU ms/page':>16} {'workers':>8} "
        f"{'main RSS MB':>11} {'worker RSS MB':>13}"
    )
    for p in phases:
        if p.usage is None or not p.pages:
            continue
        u = p.usage
        print(
            f"{p.name:<44} {1000 * u['main_cpu'] / p.pages:>16.2f} "
            f"{1000 * u['workers_cpu'] / p.pages:>8.2f} {u['main_rss_mb']:>11.0f} "
            f"{u['workers_rss_mb']:>13.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "_bare":
        run_bare(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000, help="article pages in the mirror")
    parser.add_argument("--workers", type=int, default=2, help="reprocess worker processes")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-small", action="store_true", help="skip the 1,000-page crawl")
    parser.add_argument("--profile-sample", type=int, default=150)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternating rounds of the bare spider and warta's SQLite crawl (medians)",
    )
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="warta-bench-crawl-"))
    work.mkdir(parents=True, exist_ok=True)
    root = work / "mirror"
    shutil.rmtree(root, ignore_errors=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        served = len(mirror.generate(root, args.pages, base))
        size = sum(f.stat().st_size for f in root.rglob("*.html")) / 1e6
        print(
            f"mirror: {served} article pages, {size:.0f} MB, "
            f"in {time.perf_counter() - started:.1f} s"
        )
        access = work / "access.log"
        access.unlink(missing_ok=True)
        config = work / "sources.toml"
        config.write_text(sources_toml(base, "sitemap.xml"))
        phases: list[Phase] = []
        sqlite_url = f"sqlite:///{work / 'warta.db'}"
        for stale in work.glob("warta.db*"):
            stale.unlink()
        with serving(root, port, work, access) as server_name:
            print(f"server: {server_name} on {base}")
            log = AccessLog(access)

            log.mark()
            bare_stats = work / "bare-stats.json"
            bare_child = run_child(bare_cmd(f"{base}/sitemap.xml", bare_stats), work, "bare")
            requests, fetched, _ = log.since_mark()
            items = int(json.loads(bare_stats.read_text()).get("item_scraped_count", 0))
            bare = Phase(
                "bare Scrapy (sitemap -> url + length)", bare_child, fetched, items, requests
            )
            phases.append(bare)

            # The same with warta's CONCURRENT_ITEMS (crawler/settings.py): Scrapy's own
            # ceiling once it stops starting 100 tasks per response.
            from crawler import settings as warta_settings

            items = warta_settings.CONCURRENT_ITEMS
            log.mark()
            tuned_child = run_child(
                bare_cmd(f"{base}/sitemap.xml", bare_stats, items), work, "bare-tuned"
            )
            requests, fetched, _ = log.since_mark()
            tuned_items = int(json.loads(bare_stats.read_text()).get("item_scraped_count", 0))
            tuned = Phase(
                f"bare Scrapy, CONCURRENT_ITEMS={items}",
                tuned_child,
                fetched,
                tuned_items,
                requests,
            )
            phases.append(tuned)

            sqlite_phase, sqlite_run = crawl_phase(
                "warta crawl sqlite", config, sqlite_url, args.pages, log, work
            )
            phases.append(sqlite_phase)
            stored = sqlite_run["stored"]

            # More alternating rounds of the two crawls the ratio compares: a 2-core VM's
            # speed drifts by 10-25% from one minute to the next, and one pair can land on
            # either side of a drift. Each round crawls into a fresh database.
            rounds = [(bare, sqlite_phase, stored)]
            for n in range(2, args.rounds + 1):
                log.mark()
                child = run_child(bare_cmd(f"{base}/sitemap.xml", bare_stats), work, f"bare-{n}")
                requests, fetched, _ = log.since_mark()
                items_n = int(json.loads(bare_stats.read_text()).get("item_scraped_count", 0))
                bare_n = Phase(f"bare Scrapy, round {n}", child, fetched, items_n, requests)
                round_url = f"sqlite:///{work / f'warta-round-{n}.db'}"
                for stale in work.glob(f"warta-round-{n}.db*"):
                    stale.unlink()
                warta_n, run_n = crawl_phase(
                    f"warta crawl sqlite, round {n}", config, round_url, args.pages, log, work
                )
                rounds.append((bare_n, warta_n, run_n["stored"]))
                for stale in work.glob(f"warta-round-{n}.db*"):
                    stale.unlink()

            # The same crawl with extraction kept on the reactor thread (no worker pool).
            inline_url = f"sqlite:///{work / 'warta-inline.db'}"
            for stale in work.glob("warta-inline.db*"):
                stale.unlink()
            inline, _ = crawl_phase(
                "warta crawl sqlite, extraction in process",
                config,
                inline_url,
                args.pages,
                log,
                work,
                extra={"WARTA_EXTRACT_POOL_AFTER": str(10**9)},
            )
            phases.append(inline)

            pg_run = None
            if not args.no_postgres:
                with postgres_database() as pg_url:
                    if pg_url is not None:
                        pg_phase, pg_run = crawl_phase(
                            "warta crawl postgresql", config, pg_url, args.pages, log, work
                        )
                        phases.append(pg_phase)

            phases.append(reprocess_phase(sqlite_url, config, args.workers, work))

            again, again_run = crawl_phase(
                "warta re-crawl sqlite (unchanged mirror)",
                config,
                sqlite_url,
                args.pages,
                log,
                work,
            )
            phases.append(again)

            # The sitemaps change (new Last-Modified) but list the same, stored articles.
            later = time.time() + 5
            for sitemap in [root / "sitemap.xml", *(root / "sitemaps").glob("*.xml")]:
                os.utime(sitemap, (later, later))
            redated, redated_run = crawl_phase(
                "warta re-crawl sqlite, sitemaps re-dated",
                config,
                sqlite_url,
                args.pages,
                log,
                work,
            )
            phases.append(redated)

            if not args.no_small and args.pages > mirror.SITEMAP_SIZE:
                small_config = work / "sources-first.toml"
                small_config.write_text(sources_toml(base, "sitemap-first.xml"))
                small_url = f"sqlite:///{work / 'warta-small.db'}"
                for stale in work.glob("warta-small.db*"):
                    stale.unlink()
                small, _ = crawl_phase(
                    f"warta crawl sqlite, first {mirror.SITEMAP_SIZE} pages",
                    small_config,
                    small_url,
                    mirror.SITEMAP_SIZE,
                    log,
                    work,
                )
                phases.append(small)

        print()
        print_phases(phases)
        print()
        print_usage(phases)
        print()
        print(
            f"SQLite crawl run: {json.dumps({k: v for k, v in sqlite_run.items() if k != 'stats'})}"
        )
        if pg_run is not None:
            print(f"PostgreSQL: stored={pg_run['stored']} errors={pg_run['errors']}")
        print(
            f"re-crawl of the unchanged mirror: {again.requests} requests "
            f"({again.pages} article pages), {again.child.seconds:.1f} s, "
            f"x{sqlite_phase.child.seconds / again.child.seconds:.1f} faster than the first crawl; "
            f"new={again_run['articles_new']} updated={again_run['articles_updated']} "
            f"unchanged={again_run['articles_unchanged']}"
        )
        # The same two crawls timed by their run records (spider open to close): without
        # the ~1 s of interpreter and Scrapy start-up both processes pay.
        first_s, again_s = run_seconds(sqlite_run), run_seconds(again_run)
        if first_s and again_s:
            print(
                f"re-crawl by the run records: {again_s:.2f} s against {first_s:.2f} s, "
                f"x{first_s / again_s:.1f} faster than the first crawl"
            )
        skipped = (redated_run.get("stats") or {}).get("skipped/unchanged", 0)
        print(
            f"re-crawl after the sitemaps changed: {redated.requests} "
            f"requests ({redated.pages} article pages), {redated.child.seconds:.1f} s, "
            f"{skipped} articles skipped as already stored"
        )
        print()
        print(f"slowest stages (offline, {args.profile_sample} mirror pages, one process):")
        print(f"  fetch + Scrapy, bare spider: {bare.cpu_ms_per_page:.2f} ms CPU/page")
        print(f"  warta crawl, whole process: {sqlite_phase.cpu_ms_per_page:.2f} ms CPU/page")
        for stage, ms in stage_profile(root, base, args.profile_sample, work)[:10]:
            print(f"  {stage:<52} {ms:7.2f} ms/page")
        print()
        print(f"alternating rounds (bare spider, then warta's SQLite crawl; {len(rounds)}):")
        ratios = []
        for n, (bare_n, warta_n, stored_n) in enumerate(rounds, 1):
            ratios.append(warta_n.pages_per_s / bare_n.pages_per_s if bare_n.pages_per_s else 0.0)
            print(
                f"  round {n}: bare {bare_n.pages_per_s:6.1f} pages/s, warta "
                f"{warta_n.pages_per_s:6.1f} pages/s ({warta_n.cpu_ms_per_page:.2f} ms CPU/page), "
                f"ratio {ratios[-1]:.3f}, stored {stored_n} of {served}"
            )
        ratio = statistics.median(ratios)
        warta_pages_per_s = statistics.median(w.pages_per_s for _, w, _ in rounds)
        bare_pages_per_s = statistics.median(b.pages_per_s for b, _, _ in rounds)
        stored = min(s for _, _, s in rounds)  # every round must store every article
        print(
            f"  median: bare {bare_pages_per_s:.1f} pages/s, warta {warta_pages_per_s:.1f} "
            f"pages/s, ratio {ratio:.3f} (median of the rounds' ratios)"
        )
        tuned_ratio = sqlite_phase.pages_per_s / tuned.pages_per_s if tuned.pages_per_s else 0.0
        print(f"ratio to the bare spider with CONCURRENT_ITEMS={items}: {tuned_ratio:.3f}")
        crawls = [p for p in phases if p.name.startswith("warta crawl")] + [w for _, w, _ in rounds]
        peak = max(p.child.peak_rss_mb for p in crawls)
        print()
        print(
            f"ratio_to_bare={ratio:.3f} pages_per_s={warta_pages_per_s:.1f} "
            f"bare_pages_per_s={bare_pages_per_s:.1f} peak_rss_mb={peak:.0f} "
            f"stored={stored} served={served}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
