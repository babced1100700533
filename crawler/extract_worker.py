"""Fetch stage -> pipeline: the extraction worker process (its side of crawler/extract_pool.py).

A worker reads tasks from and writes results to its Unix socket, each a pickle framed by
its length (4 bytes, big-endian). One process is started for all workers; it imports
and warms up the extractor, then forks one copy per further worker (which so starts at
once and shares the loaded models). No Scrapy, Twisted or SQLAlchemy here. For each
page it runs `pipeline.extract`, signs the body (MinHash, for story clusters) and
compresses the raw page as storage keeps it, so the crawl's process, which runs the
reactor and the database writes, does none of that.

    task:   (task id, body, url, fetched_at, language hint, remove selectors, content type)
    result: (task id, OK, (article, signature, zstd frame of body))
            (task id, FAILED, ExtractionError)
            (task id, CRASHED, (message, traceback))
            (READY, OK, None) once, when the extractor is imported and warm

A worker ends at end of input (the crawl closed its socket, or died).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import sys
import traceback
from typing import IO, Any

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

HEADER = 4
READY = -1
OK, FAILED, CRASHED = 0, 1, 2
# Scheduling priority of the workers, relative to the crawl's process (2,000-page mirror
# crawl, three interleaved pairs on 2 cores: 8.65/9.04/8.48 s at 0, 8.42/8.58/8.06 s at 5).
NICENESS = 5
# storage/upsert.py's codec and level for raw pages (storage tells a zstd frame by its
# first bytes, so any level decompresses the same way).
ZSTD_LEVEL = 1


def frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(HEADER, "big") + data


def run_task(task: tuple[Any, ...]) -> tuple[Any, ...]:
    """One task -> its result message (never raises for a page's sake)."""
    from pipeline.extract import extract
    from pipeline.similarity import signature
    from pipeline.types import ExtractionError

    task_id, body, url, fetched_at, language_hint, remove_selectors, content_type = task
    try:
        article = extract(
            body,
            url,
            fetched_at=fetched_at,
            language_hint=language_hint,
            remove_selectors=remove_selectors,
            content_type=content_type,
        )
        signed = (article, signature(article.text), zstd.compress(body, level=ZSTD_LEVEL))
        return (task_id, OK, signed)
    except ExtractionError as exc:
        return (task_id, FAILED, exc)
    except Exception as exc:
        return (task_id, CRASHED, (f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(tasks: IO[bytes], results: IO[bytes]) -> None:
    """Answer tasks until end of input."""
    results.write(frame((READY, OK, None)))
    results.flush()
    while True:
        header = _read_exactly(tasks, HEADER)
        if header is None:
            return
        data = _read_exactly(tasks, int.from_bytes(header, "big"))
        if data is None:
            return
        results.write(frame(run_task(pickle.loads(data))))
        results.flush()


def _serve_socket(fd: int) -> None:
    with (
        socket.socket(fileno=fd) as sock,
        sock.makefile("rb") as tasks,
        sock.makefile("wb") as results,
        contextlib.suppress(BrokenPipeError, ConnectionResetError),  # the crawl is gone
    ):
        serve(tasks, results)


def _warm_up() -> None:
    """Load what extraction loads lazily (language models...), once for every worker."""
    from pipeline.extract import extract

    paragraph = "<p>The council approved the new budget for schools and roads on Monday.</p>"
    page = f"<html><head><title>Warm-up</title></head><body><article>{paragraph * 8}"
    with contextlib.suppress(Exception):
        extract((page + "</article></body></html>").encode(), "https://warm-up.invalid/a")


def main(fds: list[int]) -> None:
    """Serve one worker per socket in ``fds``: this process takes the first, after warming
    up; forked copies take the others (they share the loaded models and start at once)."""
    # Ctrl-C goes to the whole process group: the crawl shuts down gracefully and still
    # needs its workers for the pages in flight; a worker ends when its input does.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Below the crawl's own process, which feeds every worker: when the cores are all
    # busy, the reactor runs first and the workers take what it leaves.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(NICENESS)
    # Anything a library prints goes to stderr.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _warm_up()
    forks = []
    for fd in fds[1:]:
        pid = os.fork()
        if pid == 0:
            for other in fds:
                if other != fd:
                    os.close(other)
            try:
                _serve_socket(fd)
            finally:
                os._exit(0)
        forks.append(pid)
        os.close(fd)
    _serve_socket(fds[0])
    for pid in forks:  # reaped, so their CPU time and memory count as this process's children
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main([int(fd) for fd in sys.argv[1:]])
