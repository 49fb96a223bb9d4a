"""The schedule: one briefing per local day at the local send time, through every 2026 DST change.

The expected instants of the DST days are written out by hand from the zones' rules (e.g.
New York springs from 02:00 EST to 03:00 EDT at 07:00 UTC on 8 March 2026), not computed by
the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsdesk.deliver import (
    due_briefings,
    next_send_time,
    next_wake,
    parse_send_time,
    send_instant,
)
from newsdesk.models import Subscriber

CONFIRMED = datetime(2025, 12, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)

# zone, local date of the change, a send time the change skips or repeats, when it is sent
DST_CHANGES = [
    ("America/New_York", date(2026, 3, 8), "02:30", datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
    ("America/New_York", date(2026, 11, 1), "01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ("Europe/London", date(2026, 3, 29), "01:30", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ("Europe/London", date(2026, 10, 25), "01:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("Pacific/Chatham", date(2026, 4, 5), "03:00", datetime(2026, 4, 4, 13, 15, tzinfo=UTC)),
    ("Pacific/Chatham", date(2026, 9, 27), "03:00", datetime(2026, 9, 26, 14, 0, tzinfo=UTC)),
    ("Australia/Lord_Howe", date(2026, 4, 5), "01:45", datetime(2026, 4, 4, 14, 45, tzinfo=UTC)),
    ("Australia/Lord_Howe", date(2026, 10, 4), "02:15", datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
    ("Asia/Kolkata", date(2026, 3, 8), "07:00", datetime(2026, 3, 8, 1, 30, tzinfo=UTC)),
]
ZONES = sorted({zone for zone, *_ in DST_CHANGES})
ORDINARY_TIMES = ["00:00", "07:00", "23:59"]


def _subscriber(number: int, zone: str, send_time: str, **fields: object) -> Subscriber:
    values: dict[str, object] = {"status": "active", "confirmed_at": CONFIRMED}
    return Subscriber(
        email=f"reader{number}@example.org",
        id=number,
        timezone=zone,
        send_time=send_time,
        **(values | fields),  # type: ignore[arg-type]
    )


def _local(zone: str, day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize(("zone", "change", "special", "expected"), DST_CHANGES)
def test_minute_by_minute_across_a_dst_change(
    zone: str, change: date, special: str, expected: datetime
) -> None:
    readers = [
        _subscriber(number, zone, send_time)
        for number, send_time in enumerate([special, *ORDINARY_TIMES])
    ]
    days = [change + offset * DAY for offset in range(-2, 3)]
    ledger = {(reader.id, days[0] - DAY) for reader in readers}
    sent: dict[tuple[int | None, date], list[datetime]] = {}
    now, end = _local(zone, days[0]), _local(zone, days[-1], 23, 59)
    while now <= end:
        for reader, day in due_briefings(readers, ledger, now):
            sent.setdefault((reader.id, day), []).append(now)
            ledger.add((reader.id, day))
        now += MINUTE
    assert sorted(sent) == sorted((reader.id, day) for reader in readers for day in days)
    assert all(len(times) == 1 for times in sent.values()), "a briefing was sent twice"
    assert sent[(0, change)] == [expected]
    for reader in readers:
        for day in days:
            if (reader.id, day) != (0, change):
                local = sent[(reader.id, day)][0].astimezone(ZoneInfo(zone))
                assert (local.date(), local.strftime("%H:%M")) == (day, reader.send_time)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("send_time", ["01:30", "02:15", "02:30", "03:00", "07:00"])
def test_a_desk_waking_at_each_next_send_time_sends_every_day_of_2026_once(
    zone: str, send_time: str
) -> None:
    reader = _subscriber(1, zone, send_time)
    now = _local(zone, date(2026, 1, 1))
    ledger = {(1, date(2025, 12, 31))}
    days: list[date] = []
    while (wake := next_send_time(reader, now)) and wake.astimezone(ZoneInfo(zone)).year == 2026:
        assert due_briefings([reader], ledger, wake - MINUTE) == []
        [(due_reader, day)] = due_briefings([reader], ledger, wake)
        assert due_reader is reader and send_instant(reader, day) == wake
        days.append(day)
        ledger.add((1, day))
        now = wake
    local_days = sorted({days[0] + n * DAY for n in range(len(days))})
    assert days[0] == date(2026, 1, 1)
    assert days == local_days and len(days) == 365


def test_a_desk_down_for_days_sends_only_the_latest_missed_briefing() -> None:
    reader = _subscriber(1, "America/New_York", "07:00")
    ledger = {(1, date(2026, 6, 1))}
    back = _local("America/New_York", date(2026, 6, 4), 10)
    assert due_briefings([reader], ledger, back) == [(reader, date(2026, 6, 4))]
    early = _local("America/New_York", date(2026, 6, 4), 6)
    assert due_briefings([reader], ledger, early) == [(reader, date(2026, 6, 3))]
    ledger.add((1, date(2026, 6, 3)))
    assert due_briefings([reader], ledger, early + timedelta(minutes=59)) == []
    assert due_briefings([reader], ledger, early + timedelta(hours=1)) == [
        (reader, date(2026, 6, 4))
    ]


def test_a_reader_confirmed_after_the_send_time_starts_the_next_morning() -> None:
    confirmed = _local("Europe/London", date(2026, 6, 4), 8)
    reader = _subscriber(1, "Europe/London", "07:00", confirmed_at=confirmed)
    assert due_briefings([reader], set(), confirmed + timedelta(hours=3)) == []
    next_morning = _local("Europe/London", date(2026, 6, 5), 7)
    assert next_send_time(reader, confirmed) == next_morning
    assert due_briefings([reader], set(), next_morning) == [(reader, date(2026, 6, 5))]


@pytest.mark.parametrize("status", ["pending", "unsubscribed", "bouncing"])
def test_inactive_readers_are_never_due(status: str) -> None:
    reader = _subscriber(1, "Asia/Kolkata", "07:00", status=status)
    now = _local("Asia/Kolkata", date(2026, 6, 4), 12)
    assert due_briefings([reader], set(), now) == []
    assert next_send_time(reader, now) is None
    assert next_wake([reader], now) is None


def test_due_briefings_come_most_overdue_first_and_next_wake_is_the_earliest() -> None:
    now = datetime(2026, 6, 4, 12, 0, tzinfo=UTC)
    kolkata = _subscriber(1, "Asia/Kolkata", "07:00")  # 01:30 UTC
    london = _subscriber(2, "Europe/London", "09:00")  # 08:00 UTC
    new_york = _subscriber(3, "America/New_York", "07:00")  # 11:00 UTC
    due = due_briefings([new_york, london, kolkata], set(), now)
    assert [reader.id for reader, _ in due] == [1, 2, 3]
    assert next_wake([new_york, london, kolkata], now) == datetime(2026, 6, 5, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "parsed"), [("07:00", time(7)), ("00:00", time(0)), ("23:59", time(23, 59))]
)
def test_send_times_parse(text: str, parsed: time) -> None:
    assert parse_send_time(text) == parsed


@pytest.mark.parametrize("text", ["7:00", "24:00", "07:60", "07:00:00", "0700", " 07:00", ""])
def test_malformed_send_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_send_time(text)
