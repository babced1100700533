"""Storage: crawl-run records (start, finish, list, crash recovery) on both backends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from storage.database import Database


def _finish(db: Database, run_id: int, status: str = "finished") -> None:
    db.finish_run(
        run_id,
        status=status,
        finish_reason="finished",
        pages=12,
        articles_new=5,
        articles_updated=2,
        articles_unchanged=4,
        errors=1,
        stats={"downloader/request_count": 12, "start_time": datetime(2026, 1, 1, tzinfo=UTC)},
        error_message="one page timed out",
    )


def test_start_and_finish_a_run(db: Database) -> None:
    before = datetime.now(UTC)
    run_id = db.start_run("alpha")
    running = db.get_run(run_id)
    assert running is not None
    assert running.status == "running" and running.finished_at is None
    assert before - timedelta(seconds=1) <= running.started_at <= datetime.now(UTC)
    assert running.pid == os.getpid() and running.hostname == socket.gethostname()

    _finish(db, run_id)
    run = db.list_runs()[0]
    assert run.id == run_id
    assert run.to_dict() == {
        "id": run_id,
        "source": "alpha",
        "status": "finished",
        "started_at": running.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "finish_reason": "finished",
        "pages": 12,
        "articles_new": 5,
        "articles_updated": 2,
        "articles_unchanged": 4,
        "errors": 1,
        "error_message": "one page timed out",
        "stats": {"downloader/request_count": 12, "start_time": "2026-01-01 00:00:00+00:00"},
    }
    assert run.finished_at is not None and run.finished_at >= run.started_at


def test_list_runs_newest_first_and_by_source(db: Database) -> None:
    ids = [db.start_run(source) for source in ("alpha", "beta", "alpha")]
    assert [r.id for r in db.list_runs()] == ids[::-1]
    assert [r.id for r in db.list_runs(source="alpha")] == [ids[2], ids[0]]
    assert [r.id for r in db.list_runs(limit=1)] == [ids[2]]


def test_unknown_status_and_unknown_run_are_refused(db: Database) -> None:
    run_id = db.start_run("alpha")
    with pytest.raises(ValueError, match="unknown run status"):
        _finish(db, run_id, status="done")
    with pytest.raises(KeyError):
        _finish(db, run_id + 100)


def test_the_schema_itself_rejects_an_unknown_status(db: Database) -> None:
    run_id = db.start_run("alpha")
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE crawl_runs SET status = 'done' WHERE id = :id"), {"id": run_id}
        )


def test_mark_interrupted_runs(db: Database) -> None:
    finished = db.start_run("alpha")
    _finish(db, finished)
    stale = [db.start_run("alpha"), db.start_run("beta")]
    assert db.mark_interrupted_runs() == stale
    for run_id in stale:
        run = db.get_run(run_id)
        assert run is not None
        assert run.status == "interrupted" and run.finished_at is not None
    assert db.get_run(finished).status == "finished"  # type: ignore[union-attr]
    assert db.mark_interrupted_runs() == []


def test_mark_interrupted_runs_can_spare_live_processes(db: Database) -> None:
    """A run whose process is alive (here: this test) stays; a dead process's run does not."""
    live = db.start_run("alpha")
    code = (
        "import sys; from storage.database import Database; "
        "db = Database.open(sys.argv[1], migrate=False); print(db.start_run('beta'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, db.engine.url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    dead = int(out.stdout.strip())
    assert db.mark_interrupted_runs(keep_live=True) == [dead]
    assert db.get_run(live).status == "running"  # type: ignore[union-attr]
    assert db.mark_interrupted_runs(source="alpha") == [live]


def test_interrupt_run_keeps_counts_and_never_overrides_a_recorded_end(db: Database) -> None:
    crashed, ended = db.start_run("alpha"), db.start_run("beta")
    _finish(db, ended)
    assert db.interrupt_run(crashed, "crawl process 4242 died without recording its end")
    assert not db.interrupt_run(ended, "too late: it recorded its own end")
    run = db.get_run(crashed)
    assert run is not None and run.status == "interrupted" and run.finished_at is not None
    assert run.error_message == "crawl process 4242 died without recording its end"
    assert run.pages == 0 and run.errors == 0
    other = db.get_run(ended)
    assert other is not None and other.status == "finished"
    assert other.error_message == "one page timed out" and other.pages == 12
