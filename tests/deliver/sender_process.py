"""One round of `send_due` in a process of its own, for the kill test (and by hand).

    python tests/deliver/sender_process.py DB_URL SMTP_PORT NOW RATE

sends every briefing due at NOW (ISO 8601) from the database at DB_URL through the SMTP
server on 127.0.0.1:SMTP_PORT, at most RATE a second, and prints how many it sent.
"""

from __future__ import annotations

import sys
from datetime import date, datetime

from newsdesk.deliver import BriefingEmail, Links, Mailer, SmtpOptions, send_due
from newsdesk.models import Subscriber
from newsdesk.store import Store

LINKS = Links("https://desk.example.org", "kill test key")
MAIL_FROM = "Newsdesk <briefing@desk.example.org>"


def compose(reader: Subscriber, day: date) -> BriefingEmail:
    """A small briefing naming its reader and local date."""
    return BriefingEmail(
        f"Briefing for {day.isoformat()}", f"Top stories for {reader.email}.", "<p>Top.</p>"
    )


def main(argv: list[str]) -> int:
    """Run one round; exit 1 when it stopped on a delivery error, 2 on a bad command line."""
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    db_url, port, now, rate = argv
    options = SmtpOptions(host="127.0.0.1", port=int(port), rate=float(rate), mail_from=MAIL_FROM)
    with Store.open(db_url) as store, Mailer(options) as mailer:
        report = send_due(store, datetime.fromisoformat(now), compose, mailer, links=LINKS)
    print(f"due {report.due}, sent {report.count('sent')}, error {report.error}")
    return 0 if report.error is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
