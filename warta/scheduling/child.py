"""Scheduling stage: the launcher of one crawl process (``python -m warta.scheduling.child``).

It asks Linux to SIGKILL it when the scheduler dies (``PR_SET_PDEATHSIG``), then execs
``python -m scrapy ARGS...`` in place, so the crawl runs as a plain Scrapy process whose pid
is the one the scheduler knows. Without this, a ``kill -9`` of the scheduler would leave an
orphan crawl running that the next scheduler could not tell from a lost one, and a re-run
would overlap it. Elsewhere than Linux the exec happens without the safeguard.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
PARENT_PID_ENV = "WARTA_SCHEDULER_PID"


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    expected = os.environ.get(PARENT_PID_ENV)
    # The scheduler may have died between fork and prctl: then nobody would signal us.
    if expected and os.getppid() != int(expected):
        os._exit(1)


def main(argv: list[str]) -> None:
    _die_with_parent()
    os.execv(sys.executable, [sys.executable, "-m", "scrapy", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
