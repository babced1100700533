"""Application shell (CLI): parameter types shared by commands (points in time)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import click

_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_when(value: str, *, now: datetime | None = None) -> datetime:
    """An aware UTC datetime from '7d', '24h', '30m', '2026-01-01' or an ISO datetime.

    Relative forms count back from now. A date means its midnight UTC; a datetime
    without an offset is taken as UTC. Raises ValueError with a user-facing message.
    """
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        return (now or datetime.now(UTC)) - timedelta(seconds=amount * _UNIT_SECONDS[unit])
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date: use an ISO date or datetime (2026-01-31, "
            "2026-01-31T08:00, 2026-01-31T08:00+07:00) or a relative age (30m, 24h, 7d, 2w)"
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class When(click.ParamType):
    """A click parameter for ``--since`` / ``--until``."""

    name = "when"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        try:
            return parse_when(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


WHEN = When()
