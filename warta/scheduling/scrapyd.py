"""Scheduling stage: a small client for Scrapyd's HTTP API (1.6), one node at a time.

Only what the scheduler needs: ``daemonstatus.json`` (load), ``listjobs.json`` (a job's
state and pid), ``schedule.json`` and ``cancel.json``. Scrapyd answers errors with HTTP 200
and ``{"status": "error"}``; both that and a node that cannot be reached raise NodeError.
Credentials may be given in the URL (``http://user:secret@host:6800``); they are sent as
basic auth and never shown.

Job ids are ``warta.SOURCE.TIMESTAMP.RANDOM``: a dot cannot occur in a source name, so
any warta job on any node says which source it crawls, even one a previous scheduler
started (Scrapyd's listjobs does not show a running job's arguments).
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

JOB_PREFIX = "warta."
DEFAULT_TIMEOUT = 5.0
# The first schedule.json of a project version makes Scrapyd run `scrapy list` before it
# answers: seconds on a busy node.
SCHEDULE_TIMEOUT = 30.0


class NodeError(Exception):
    """A Scrapyd node that cannot be reached, or that refused the request."""


class NodeRefused(NodeError):
    """The node answered, with an error (e.g. the project is not deployed there)."""


def new_job_id(source: str) -> str:
    return f"{JOB_PREFIX}{source}.{datetime.now(UTC):%Y%m%dT%H%M%S}.{uuid.uuid4().hex[:6]}"


def source_of_job(job_id: str) -> str | None:
    """The source a warta job id names, or None for a job warta did not start."""
    if not job_id.startswith(JOB_PREFIX):
        return None
    parts = job_id.split(".")
    return parts[1] if len(parts) >= 3 and parts[1] else None


def public_url(url: str) -> str:
    """The URL without its credentials, for logs and tables."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True, slots=True)
class JobState:
    """Where a job is on its node: pending, running (with its pid) or finished."""

    state: str  # pending | running | finished
    pid: int | None = None
    log_url: str | None = None


class ScrapydNode:
    """One Scrapyd server, addressed by its base URL."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = public_url(url).rstrip("/")
        self.timeout = timeout
        parts = urlsplit(url)
        self._auth: str | None = None
        if parts.username is not None:
            pair = f"{parts.username}:{parts.password or ''}".encode()
            self._auth = "Basic " + base64.b64encode(pair).decode()

    def __repr__(self) -> str:
        return f"ScrapydNode({self.url!r})"

    def daemon_status(self) -> dict[str, Any]:
        """``{"node_name", "pending", "running", "finished"}`` over every project."""
        return self._call("daemonstatus.json")

    def list_jobs(self, project: str) -> dict[str, Any]:
        return self._call("listjobs.json", {"project": project})

    def job_state(self, project: str, job_id: str) -> JobState | None:
        """The job's state, or None when the node does not know it (any more)."""
        jobs = self.list_jobs(project)
        for state in ("running", "pending", "finished"):
            for entry in jobs.get(state, []):
                if entry.get("id") == job_id:
                    log_url = entry.get("log_url")
                    return JobState(
                        state, entry.get("pid"), self.url + log_url if log_url else None
                    )
        return None

    def schedule(
        self, project: str, spider: str, job_id: str, settings: dict[str, str], args: dict[str, str]
    ) -> None:
        fields: list[tuple[str, str]] = [
            ("project", project),
            ("spider", spider),
            ("jobid", job_id),
        ]
        fields += [("setting", f"{key}={value}") for key, value in settings.items()]
        fields += list(args.items())
        self._call("schedule.json", fields=fields, timeout=max(self.timeout, SCHEDULE_TIMEOUT))

    def cancel(self, project: str, job_id: str, signal: str = "TERM") -> str | None:
        """Signal the job (or drop it from the queue); return its state before, if any."""
        answer = self._call(
            "cancel.json", fields=[("project", project), ("job", job_id), ("signal", signal)]
        )
        prevstate = answer.get("prevstate")
        return str(prevstate) if prevstate else None

    def _call(
        self,
        endpoint: str,
        query: dict[str, str] | None = None,
        *,
        fields: list[tuple[str, str]] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        url = f"{self.url}/{endpoint}"
        if query:
            url += "?" + urlencode(query)
        data = urlencode(fields).encode() if fields is not None else None
        request = Request(url, data=data, method="POST" if data is not None else "GET")
        if self._auth:
            request.add_header("Authorization", self._auth)
        try:
            with urlopen(request, timeout=timeout or self.timeout) as response:
                body = response.read()
        except HTTPError as exc:
            raise NodeRefused(f"{endpoint}: HTTP {exc.code} {exc.reason}") from exc
        except (URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NodeError(f"{endpoint}: {reason}") from exc
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise NodeRefused(f"{endpoint}: not a Scrapyd answer: {body[:100]!r}") from exc
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            message = answer.get("message") if isinstance(answer, dict) else answer
            raise NodeRefused(f"{endpoint}: {message}")
        return answer


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """One node as a probe found it, for the dispatcher and ``warta schedule nodes``."""

    url: str
    reachable: bool  # answered, and usable for the project
    node_name: str | None = None
    pending: int = 0
    running: int = 0
    finished: int = 0
    warta_running: tuple[str, ...] = ()  # sources of warta jobs pending or running there
    error: str | None = None
    refused: bool = False  # it answered, but with an error

    @property
    def load(self) -> int:
        return self.pending + self.running

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "state": "ok" if self.reachable else ("error" if self.refused else "unreachable"),
            "node_name": self.node_name,
            "pending": self.pending,
            "running": self.running,
            "finished": self.finished,
            "warta_jobs": ", ".join(self.warta_running),
            "error": self.error,
        }


def probe(node: ScrapydNode, project: str | None = None) -> NodeStatus:
    """Ask the node how busy it is (and, given the project, which warta jobs it holds)."""
    try:
        status = node.daemon_status()
        sources: list[str] = []
        if project is not None:
            jobs = node.list_jobs(project)
            for entry in [*jobs.get("pending", []), *jobs.get("running", [])]:
                source = source_of_job(str(entry.get("id", "")))
                if source:
                    sources.append(source)
    except NodeError as exc:
        return NodeStatus(
            node.url, reachable=False, error=str(exc), refused=isinstance(exc, NodeRefused)
        )
    return NodeStatus(
        node.url,
        reachable=True,
        node_name=status.get("node_name"),
        pending=int(status.get("pending", 0)),
        running=int(status.get("running", 0)),
        finished=int(status.get("finished", 0)),
        warta_running=tuple(sorted(sources)),
    )
