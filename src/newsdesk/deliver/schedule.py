"""When each subscriber's briefing is due: their own send time, every local day.

A subscriber's briefing for local date D is due at D's `send_time` in their time zone. Two
days a year the local clock is not a plain clock, and the rules are:

- spring forward: a send time the clock skips (02:30 when 02:00 jumps to 03:00) is sent at
  the first minute that exists after the jump (03:00);
- fall back: a send time the clock shows twice (01:30 when 02:00 goes back to 01:00) is sent
  once, at its first occurrence.

Catch-up: at any moment a subscriber is owed at most one briefing, the one for the latest
local date whose send time has passed, and only when they were confirmed before that time.
It is due until the ledger records it. So a desk that was down at send time sends the
missed briefing when it comes back, and a desk down for three days sends one briefing, the
latest, never a pile of stale ones; a reader who confirms at noon gets their first briefing
the next morning, not a catch-up for a day they had not subscribed to.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from newsdesk.models import Subscriber

_SEND_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)

Ledger = Container[tuple[int, date]]
"""(subscriber id, local date) of every briefing that must not be sent again."""


def parse_send_time(text: str) -> time:
    """A send time written "HH:MM" (24-hour clock, two digits each).

    Returns:
        The time, or raises ValueError for anything else ("7:00", "24:00", "07:00:30").
    """
    match = _SEND_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"send time {text!r} is not HH:MM on a 24-hour clock, e.g. 07:00")
    return time(int(match[1]), int(match[2]))


def send_instant(subscriber: Subscriber, day: date) -> datetime:
    """The moment (UTC) a subscriber's briefing for local date `day` is due.

    Args:
        subscriber: gives `timezone` (IANA) and `send_time` ("HH:MM").
        day: the local date.

    Returns:
        The aware UTC datetime of the send time on that date, moved past a spring-forward
        gap to the first minute after it, and the first occurrence in a fall-back overlap.
    """
    zone = ZoneInfo(subscriber.timezone)
    wall = datetime.combine(day, parse_send_time(subscriber.send_time))
    instant = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first occurrence
    if _wall_time(instant, zone) == wall:
        return instant
    return _end_of_gap(wall, zone)


def due_day(subscriber: Subscriber, now: datetime) -> date | None:
    """The local date of the one briefing a subscriber may be owed at `now`, if any.

    Returns:
        The latest local date whose send time is at or before `now`, when the subscriber is
        active and was confirmed by then; else None.
    """
    if subscriber.status != "active":
        return None
    today = now.astimezone(ZoneInfo(subscriber.timezone)).date()
    day = today if send_instant(subscriber, today) <= now else today - _DAY
    confirmed = subscriber.confirmed_at
    if confirmed is None or confirmed > send_instant(subscriber, day):
        return None
    return day


def due_briefings(
    subscribers: Iterable[Subscriber], ledger: Ledger, now: datetime
) -> list[tuple[Subscriber, date]]:
    """The briefings to send at `now`: each subscriber's owed one, unless the ledger has it.

    Args:
        subscribers: the subscribers to consider (inactive ones are never due).
        ledger: (subscriber id, local date) pairs already sent or bounced.
        now: an aware datetime.

    Returns:
        (subscriber, local date) pairs, most overdue first.
    """
    due = []
    for subscriber in subscribers:
        day = due_day(subscriber, now)
        if day is not None and (subscriber.id, day) not in ledger:
            due.append((subscriber, day))
    return sorted(due, key=lambda pair: send_instant(*pair))


def next_send_time(subscriber: Subscriber, after: datetime) -> datetime | None:
    """The first send time of an active subscriber strictly after `after`.

    Returns:
        An aware UTC datetime, or None for a subscriber who is not active.
    """
    if subscriber.status != "active":
        return None
    day = after.astimezone(ZoneInfo(subscriber.timezone)).date() - _DAY
    while (instant := send_instant(subscriber, day)) <= after:
        day += _DAY
    return instant


def next_wake(subscribers: Iterable[Subscriber], after: datetime) -> datetime | None:
    """When a desk loop should next look for due briefings: the earliest next send time.

    Returns:
        An aware UTC datetime, or None when no subscriber is active.
    """
    times = [next_send_time(subscriber, after) for subscriber in subscribers]
    return min((when for when in times if when is not None), default=None)


def _wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    """What a clock in `zone` shows at `instant`, as a naive datetime."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first minute at or after a wall time the clock skipped (UTC)."""
    # Read with the offset after the jump, the skipped time falls just before it.
    instant = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while _wall_time(instant, zone) < wall:
        instant += _MINUTE
    return instant
