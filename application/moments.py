"""Moments of the log: recorded times as clients give them, and where the log stood then.

Every event keeps the time it was recorded (its timestamp, UTC). An as-of read (`as_of=`)
and the journal's `from`/`to` name such a time; this module turns the text into an instant
and the instant into the last log position recorded at or before it. Business dates (`on`)
are something else: they say when a step happened, and are what periods and deadlines count.

Recorded times rise with log positions: each event is stamped when its command runs and the
store appends in commit order, so only commands saved within the same few milliseconds may
overlap. A position is therefore found by bisecting the log, reading about twenty events
however long it is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from application.queries import Param
from domain.errors import InvalidValue

# ISO 8601 date and time, with an offset (Z or ±HH:MM) or without one (then the office's
# zone, Asia/Shanghai); seconds and fractions optional. A space before the offset's hours is
# a `+` that an unencoded query string turned into a space (`?as_of=…T18:00:00+08:00`).
MOMENT_PATTERN = (r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
                  r"([Zz]|[+ -]\d{2}:\d{2})?$")
_MOMENT = re.compile(MOMENT_PATTERN)
_SPACED_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$")
MOMENT_DESCRIPTION = ("a recorded time, ISO 8601 with its offset (2025-06-30T18:00:00+08:00 "
                      "or …Z); without an offset the time is Asia/Shanghai's")


def parse_moment(raw: str, zone: ZoneInfo, field: str = "as_of") -> datetime:
    """The instant (UTC) that `raw` names; a time without an offset is in `zone`."""
    if not _MOMENT.fullmatch(raw):
        msg = (f"{field} must be a date and time such as 2025-06-30T18:00:00+08:00, got "
               f"{raw[:60]!r} / {field}须为日期时间（如 2025-06-30T18:00:00+08:00）")
        raise InvalidValue(msg)
    try:
        moment = datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", raw).upper())
    except ValueError:
        msg = f"{field}: {raw[:60]!r} is not a valid date and time / {field}不是有效的日期时间"
        raise InvalidValue(msg) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # within a day of year 1 or 9999: before or after every record
        return datetime.min.replace(tzinfo=UTC) if moment.year == 1 \
            else datetime.max.replace(tzinfo=UTC)


def moment_param(zone: ZoneInfo, description: str) -> Param:
    """A query parameter naming a recorded time (checked by `parse_moment`)."""
    return Param(description, lambda raw: parse_moment(raw, zone),
                 {"type": "string", "pattern": MOMENT_PATTERN, "maxLength": 40})


def not_in_future(moment: datetime, now: datetime, field: str = "as_of") -> datetime:
    """Refuse (422) a moment that has not come yet: the past is fixed, the future is not."""
    if moment > now:
        msg = (f"{field} {moment.isoformat()} is in the future (now {now.isoformat()}); "
               f"the past can be read, not the future / {field}不能晚于当前时间")
        raise InvalidValue(msg)
    return moment


class Log(Protocol):
    """What reading the log needs of the event store (eventsourcing's recorder and mapper)."""

    recorder: Any
    mapper: Any


def recorded_at(log: Log, notification: Any) -> datetime:
    stamp: datetime = log.mapper.to_domain_event(notification).timestamp
    return stamp


def position_at(log: Log, moment: datetime, head: int) -> int:
    """The last log position (at most `head`) of an event recorded at or before `moment`;
    0 when the log held nothing then. Ids may have gaps: each probe reads the first event at
    or after a position."""
    low, high = 0, head  # invariant: `low` was recorded by `moment`, anything after `high` not
    while low < high:
        middle = (low + high + 1) // 2
        found = list(log.recorder.select_notifications(start=middle, limit=1, stop=high))
        if not found:  # nothing between middle and high: the answer is below
            high = middle - 1
        elif recorded_at(log, found[0]) <= moment:
            low = int(found[0].id)
        else:
            high = middle - 1
    return low


def position_before(log: Log, moment: datetime, head: int) -> int:
    """The last log position of an event recorded before `moment` (0: none): the events
    recorded from `moment` on follow it."""
    if moment == datetime.min.replace(tzinfo=UTC):
        return 0
    return position_at(log, moment - timedelta(microseconds=1), head)



AS_OF = moment_param(ZoneInfo("Asia/Shanghai"), (
    "Answer as this read answered at that moment: " + MOMENT_DESCRIPTION + "; the rows, "
    "figures and log position as they stood then, overdue and nearly due judged on that "
    "date. Not in the future (422)."))
"""`as_of` as the OpenAPI document shows it (the server parses it in the configured zone)."""
