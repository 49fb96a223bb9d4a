"""The long-running desk: poll the sources, file new articles under stories, send briefings.

`Desk.step` does one turn: a polling round over the sources that are due (their new articles
are extracted, analysed and stored), the stories stage for the new articles, and the
briefings due by now (`newsdesk.deliver.send_due`, exactly once each through the ledger).
`Desk.next_wake` says when the next turn is needed: when a source falls due, a little before
a subscriber's send time (so a last polling round feeds the briefing, which is composed at
send time), or after `max_sleep` at the latest (new subscribers and changed preferences are
seen within that time). `run_forever` alternates the two until stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.briefing.emails import briefing_composer
from newsdesk.deliver import Links, Mailer, SendReport, next_wake, send_due
from newsdesk.errors import NewsdeskError
from newsdesk.ingest.fetch import Fetcher
from newsdesk.ingest.processing import ProcessingOptions, preload
from newsdesk.ingest.rounds import RoundReport, fetch_round
from newsdesk.store import Store
from newsdesk.store.sources import next_poll_time
from newsdesk.store.subscribers import list_subscribers
from newsdesk.stories import StoryTracker

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DeskTimes:
    """How the desk paces itself."""

    max_sleep: timedelta = timedelta(minutes=5)
    poll_before_send: timedelta = timedelta(minutes=10)
    retry_after: timedelta = timedelta(minutes=1)


@dataclass
class DeskTurn:
    """What one turn did: the polling round (None offline), articles clustered, sends."""

    at: datetime
    fetched: RoundReport | None
    clustered: int
    sent: SendReport | None
    error: str | None = None


class Desk:
    """The desk's state across turns: the story tracker, the fetcher and the mailer."""

    def __init__(
        self,
        store: Store,
        *,
        base_url: str,
        fetcher: Fetcher | None,
        mailer: Mailer,
        links: Links,
        workers: int = 0,
        clock: Clock | None = None,
        times: DeskTimes | None = None,
    ) -> None:
        """Set up a desk over an open store; `fetcher` None works offline (no polling)."""
        self.store = store
        self.times = times or DeskTimes()
        self._fetcher = fetcher
        self._mailer = mailer
        self._workers = workers
        self._clock = clock or (lambda: datetime.now(UTC))
        self._tracker = StoryTracker(store)
        self._compose = briefing_composer(store, base_url)
        self._links = links

    def step(self, on_progress: Callable[[str], None] | None = None) -> DeskTurn:
        """One turn: poll what is due, cluster what is new, send what is due.

        A failure of one part (the mail server down, say) is reported in the turn and
        does not stop the others.

        Args:
            on_progress: called with the name of each source or article polled.

        Returns:
            What the turn did.
        """
        now = self._clock()
        fetched = None
        if self._fetcher is not None:
            fetched = fetch_round(
                self.store, self._fetcher, now=now, workers=self._workers, on_result=on_progress
            )
        clustered = self._tracker.cluster_new()
        try:
            sent = send_due(self.store, now, self._compose, self._mailer, links=self._links)
        except NewsdeskError as error:
            return DeskTurn(now, fetched, clustered, None, str(error))
        return DeskTurn(now, fetched, clustered, sent, sent.error)

    def next_wake(self, turn: DeskTurn) -> datetime:
        """When the next turn is needed (see the module docstring)."""
        now = self._clock()
        wakes = [now + self.times.max_sleep]
        send = next_wake(list_subscribers(self.store, status="active"), now)
        if send is not None:
            wakes.append(send if send - now <= self.times.poll_before_send
                         else send - self.times.poll_before_send)  # fmt: skip
        if self._fetcher is not None and (due := next_poll_time(self.store)) is not None:
            wakes.append(due)
        if turn.sent is not None and (turn.sent.count("deferred") or turn.sent.count("busy")):
            wakes.append(now + self.times.retry_after)
        return max(now, min(wakes))

    def run_forever(
        self, stop: threading.Event, on_turn: Callable[[DeskTurn], None] | None = None
    ) -> None:
        """Take turns until `stop` is set, sleeping between them.

        A desk that polls loads the extraction data and analysis models at start, in this
        process, rather than in its first round (every round's workers then inherit them
        from this process).
        """
        if self._fetcher is not None:
            preload(ProcessingOptions(analyze=True))
        while not stop.is_set():
            turn = self.step()
            if on_turn:
                on_turn(turn)
            wait = (self.next_wake(turn) - self._clock()).total_seconds()
            stop.wait(max(0.0, wait))
