"""The long-running desk: a turn clusters new articles and sends what is due, on time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from tests.deliver.smtp_server import SmtpServer, free_port
from tests.news_texts import DAY, FLOOD, QUAKE, article, save

from newsdesk.deliver import Links, Mailer, SmtpOptions
from newsdesk.desk import Desk, DeskTimes, DeskTurn
from newsdesk.ingest.fetch import Fetcher, FetchSettings
from newsdesk.models import Subscriber
from newsdesk.store import Store
from newsdesk.store.stories import count_unclustered
from newsdesk.store.subscribers import insert_subscriber

LINKS = Links("https://desk.example.org", "test-secret")


def test_a_turn_clusters_then_sends_at_the_local_time_and_says_when_to_wake(
    db_url: str, smtp_server: SmtpServer
) -> None:
    now = [DAY + timedelta(hours=5)]  # 11:00 UTC: 06:00 in New York
    with Store.open(db_url, upgrade=True) as store, Mailer(smtp_server.options()) as mailer:
        save(store, article("Quake kills 150 in Italy", QUAKE, "Reuters", 0),
             article("Bangladesh floods kill 40", FLOOD, "BBC", 3))  # fmt: skip
        reader = Subscriber(email="ny@example.org", status="active", timezone="America/New_York",
                            created_at=DAY, confirmed_at=DAY)  # fmt: skip
        insert_subscriber(store, reader)
        desk = Desk(store, base_url=LINKS.base_url, fetcher=None, mailer=mailer, links=LINKS,
                    clock=lambda: now[0])  # fmt: skip

        first = desk.step()
        assert first.clustered == 2 and count_unclustered(store) == 0
        assert first.sent is not None and first.sent.due == 0  # confirmed after yesterday's
        send_at = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 07:00 EST
        wake = desk.next_wake(first)
        assert wake == min(now[0] + desk.times.max_sleep, send_at - desk.times.poll_before_send)

        now[0] = send_at + timedelta(seconds=30)
        turn = desk.step()
        assert turn.sent is not None and turn.sent.count("sent") == 1
        assert desk.step().sent.count("sent") == 0  # type: ignore[union-attr]  # sent once
        (message,) = smtp_server.handler.messages_to("ny@example.org")
        assert "Quake" in message["Subject"] or "floods" in message["Subject"]


def test_a_mail_server_that_is_down_does_not_stop_the_turn(db_url: str) -> None:
    """Articles are still clustered; the briefing stays due for the next turn."""
    with Store.open(db_url, upgrade=True) as store:
        save(store, article("Quake kills 150 in Italy", QUAKE, "Reuters", 0))
        insert_subscriber(store, Subscriber(email="a@example.org", status="active",
                                            created_at=DAY - timedelta(days=1),
                                            confirmed_at=DAY - timedelta(days=1)))  # fmt: skip
        nobody_listens = SmtpOptions(host="127.0.0.1", port=free_port(), rate=0.0,
                                     mail_from="desk@example.org")  # fmt: skip
        mailer = Mailer(nobody_listens, attempts=1)
        desk = Desk(store, base_url=LINKS.base_url, fetcher=None, mailer=mailer, links=LINKS,
                    clock=lambda: DAY + timedelta(hours=2))  # fmt: skip
        turn = desk.step()
    assert turn.clustered == 1 and turn.error is not None


@pytest.mark.parametrize("polls", [True, False])
def test_a_polling_desk_loads_the_analysis_once_before_its_first_turn(
    db_url: str, polls: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked workers of every round then inherit the model; an offline desk never needs it."""
    events: list[str] = []
    monkeypatch.setattr("newsdesk.desk.preload", lambda options: events.append("warm-up"))
    stop = threading.Event()

    def after_turn(turn: DeskTurn) -> None:
        events.append("turn")
        if events.count("turn") == 2:
            stop.set()

    settings = FetchSettings(timeout=1.0, allow=("127.0.0.1",), min_delay=0)
    with Store.open(db_url, upgrade=True) as store, Fetcher(settings) as fetcher:
        mailer = Mailer(SmtpOptions(host="127.0.0.1", port=free_port(), mail_from="d@example.org"))
        desk = Desk(store, base_url=LINKS.base_url, fetcher=fetcher if polls else None,
                    mailer=mailer, links=LINKS, clock=lambda: DAY,
                    times=DeskTimes(max_sleep=timedelta(0)))  # fmt: skip
        desk.run_forever(stop, on_turn=after_turn)
    assert events == (["warm-up", "turn", "turn"] if polls else ["turn", "turn"])
