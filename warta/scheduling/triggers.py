"""Scheduling stage: a source's schedule (cron expression or interval) as an APScheduler trigger.

Cron expressions are read the way crontab(5) reads them, in UTC. APScheduler 3 numbers
weekdays from Monday = 0, unlike cron (Sunday = 0 or 7), so numeric weekdays are rewritten
as names before APScheduler sees them.
"""

from __future__ import annotations

import re
from datetime import UTC

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from warta.config import Schedule

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_DOW_ITEM = re.compile(
    r"^(?:(?P<all>\*)|(?P<lo>\d|[a-z]{3})(?:-(?P<hi>\d|[a-z]{3}))?)(?:/(?P<step>\d+))?$"
)


class ScheduleError(ValueError):
    """A schedule that cannot become a trigger (bad cron expression, bad interval)."""


def schedule_spec(schedule: Schedule) -> str | None:
    """A short human form of a schedule (``cron 0 * * * *``, ``every 600s``), or None."""
    if schedule.cron:
        return f"cron {schedule.cron}"
    if schedule.every_seconds:
        return f"every {_duration(schedule.every_seconds)}"
    return None


def _duration(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def build_trigger(schedule: Schedule) -> BaseTrigger | None:
    """The trigger for a schedule, or None when the source has no schedule."""
    if schedule.cron:
        return cron_trigger(schedule.cron)
    if schedule.every_seconds is not None:
        if schedule.every_seconds <= 0:
            raise ScheduleError(f"interval must be positive, got {schedule.every_seconds}")
        return IntervalTrigger(seconds=schedule.every_seconds, timezone=UTC)
    return None


def cron_trigger(expression: str) -> CronTrigger:
    """A UTC CronTrigger from a standard five-field crontab expression."""
    fields = expression.split()
    if len(fields) != 5:
        raise ScheduleError(
            f"cron expression {expression!r} needs 5 fields "
            f"(minute hour day-of-month month day-of-week), got {len(fields)}"
        )
    minute, hour, day, month, day_of_week = fields
    try:
        return CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=cron_weekdays(day_of_week),
            timezone=UTC,
        )
    except ValueError as exc:
        raise ScheduleError(f"cron expression {expression!r}: {exc}") from exc


def cron_weekdays(field: str) -> str:
    """Rewrite cron's numeric weekdays (0 or 7 = Sunday) as names APScheduler reads right."""
    if field in ("*", "?"):
        return "*"
    days: list[int] = []
    for item in field.lower().split(","):
        match = _DOW_ITEM.match(item)
        if match is None:
            raise ScheduleError(f"cron day-of-week {field!r}: cannot read {item!r}")
        step = int(match["step"] or 1)
        if step < 1:
            raise ScheduleError(f"cron day-of-week {field!r}: step must be at least 1")
        if match["all"]:
            lo, hi = 0, 6
        else:
            lo = _day_number(match["lo"], field)
            hi = _day_number(match["hi"], field) if match["hi"] else (7 if match["step"] else lo)
        if not (0 <= lo <= 7 and 0 <= hi <= 7 and lo <= hi):
            raise ScheduleError(f"cron day-of-week {field!r}: {item!r} is out of range 0-7")
        days.extend(d % 7 for d in range(lo, hi + 1, step))
    ordered = sorted(set(days))
    return ",".join(_DAY_NAMES[d] for d in ordered)


def _day_number(token: str, field: str) -> int:
    if token.isdigit():
        return int(token)
    if token in _DAY_NAMES:
        return _DAY_NAMES.index(token)
    raise ScheduleError(f"cron day-of-week {field!r}: unknown day {token!r}")
