"""The plain data every stage passes along: the one currency of the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Article:
    """One news article as extraction leaves it: the fields of the `extract --json` contract.

    `body` is the article text with paragraphs separated by blank lines and no boilerplate;
    `published` is timezone-aware or None when nothing says when it was published.
    """

    title: str
    body: str
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    agency: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    language: str | None = None
    url: str | None = None
    subheads: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The article as JSON-ready data, `published` in ISO 8601."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass
class SourceDocument:
    """One input before extraction: a page, a text file or a JSONL line.

    `source` names it for messages (a path, `path:line` or a URL). Exactly one of `html`
    and `text` is set. The other fields are what the input says about itself and win over
    what extraction finds (a JSONL line's own `title` or `published`, say).
    """

    source: str
    html: str | None = None
    text: str | None = None
    url: str | None = None
    external_id: str | None = None
    title: str | None = None
    published: datetime | None = None
    outlet: str | None = None


@dataclass
class Entity:
    """A person or organisation: one entry per real-world entity in an article.

    `name` is the fullest form the article uses ("Barack Obama" for "Obama" and "President
    Barack Obama"); `offsets` are the [start, end) character ranges of every mention in
    the body.
    """

    name: str
    mentions: int
    offsets: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Place:
    """A place resolved against the gazetteer.

    `kind` is country, region (a continent or a region such as Latin America), admin (a
    state or province) or city; `country_code` is ISO 3166-1 alpha-2 (None for a region).
    """

    name: str
    kind: str
    country_code: str | None
    lat: float | None
    lon: float | None
    mentions: int
    offsets: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Quote:
    """Something someone said: `start`/`end` delimit the quoted content in the body.

    `kind` is direct (a whole quotation in quotation marks), partial (a quoted fragment
    inside reported speech) or indirect (reported speech without quotation marks);
    `speaker` is the resolved name, or None when the article does not say who.
    """

    text: str
    speaker: str | None
    cue: str | None
    kind: str
    start: int
    end: int


@dataclass
class Count:
    """A count of people or things affected by an event, in GDELT's sense.

    "killed some 6,300 people" is number 6300, approximate, unit "people", event "killed".
    """

    number: int
    approximate: bool
    unit: str
    event: str | None
    where: str | None
    when: str | None
    text: str


@dataclass
class Amount:
    """Money, a percentage or another quantity: `kind` is money, percent or quantity."""

    text: str
    value: float
    unit: str | None
    kind: str


@dataclass
class DateMention:
    """A date expression and the date it means (ISO 8601: a day, a month or a year)."""

    text: str
    date: str


@dataclass
class Theme:
    """A theme of the taxonomy in `newsdesk.analyze.themes`, with its score in [0, 1]."""

    name: str
    score: float


@dataclass
class Tone:
    """GDELT-style tone: percentages of positive and negative words and their difference.

    `tone` = positive − negative; `polarity` = positive + negative (how emotive the text is).
    """

    tone: float
    positive: float
    negative: float
    polarity: float


@dataclass
class Analysis:
    """What newsdesk understands of an article; offsets refer to the article's `body`.

    For a language other than English only the language-independent fields are filled
    and `skipped` says what was left out and why.
    """

    language: str | None
    people: list[Entity] = field(default_factory=list)
    organizations: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    focus_countries: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    tone: Tone | None = None
    skipped: list[str] = field(default_factory=list)
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The analysis as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Rebuild an analysis from `to_dict` output (as the store keeps it)."""
        tone = data.get("tone")
        return cls(
            language=data.get("language"),
            people=[_entity(item) for item in data.get("people", [])],
            organizations=[_entity(item) for item in data.get("organizations", [])],
            places=[_place(item) for item in data.get("places", [])],
            focus_countries=list(data.get("focus_countries", [])),
            quotes=[Quote(**item) for item in data.get("quotes", [])],
            counts=[Count(**item) for item in data.get("counts", [])],
            amounts=[Amount(**item) for item in data.get("amounts", [])],
            dates=[DateMention(**item) for item in data.get("dates", [])],
            themes=[Theme(**item) for item in data.get("themes", [])],
            tone=Tone(**tone) if tone else None,
            skipped=list(data.get("skipped", [])),
            version=data.get("version", ""),
        )


def _offsets(items: list[Any]) -> list[tuple[int, int]]:
    return [(int(start), int(end)) for start, end in items]


def _entity(item: dict[str, Any]) -> Entity:
    return Entity(**{**item, "offsets": _offsets(item.get("offsets", []))})


def _place(item: dict[str, Any]) -> Place:
    return Place(**{**item, "offsets": _offsets(item.get("offsets", []))})


@dataclass
class StoryArticle:
    """One article of a story, as a story lists it."""

    id: int
    title: str
    outlet: str | None
    url: str | None
    agency: str | None
    seen_at: datetime
    duplicate_of: int | None = None


@dataclass
class TimelineEntry:
    """A step in a story's development: a report (not a copy of one) and how often it ran."""

    when: datetime
    title: str
    outlet: str | None
    article_id: int
    copies: int = 0


@dataclass
class StoryQuote:
    """A quote a story carries, with the article it came from."""

    text: str
    speaker: str | None
    kind: str
    article_id: int


@dataclass
class Story:
    """Articles about one event, across outlets and days, with what they say together.

    `countries` are ISO codes, most central first; `prominent` names the heads of state or
    government and international bodies involved; `counts` keeps the largest figure reported
    for each kind of event (several outlets reporting one toll is one toll).
    """

    id: int
    headline: str
    first_seen: datetime
    last_seen: datetime
    articles: list[StoryArticle] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    prominent: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    quotes: list[StoryQuote] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The story as JSON-ready data (times as ISO 8601 strings)."""
        data: dict[str, Any] = _iso_times(asdict(self))
        return data


def _iso_times(value: Any) -> Any:
    """Datetimes anywhere inside dicts and lists, as ISO 8601 strings."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso_times(item) for item in value]
    return value


@dataclass
class Subscriber:
    """A reader who gets the briefing, and how they want it.

    `status` is `pending` until the address is confirmed (double opt-in), then `active`;
    `unsubscribed` and `bouncing` (a permanent delivery failure) stop sending. `timezone` is
    an IANA name; `send_time` is local "HH:MM"; `regions` and `themes` narrow the briefing
    (empty: everything); `stories` is how many top stories; `format` is `html` or `text`.
    """

    email: str
    id: int | None = None
    status: str = "pending"
    timezone: str = "UTC"
    send_time: str = "07:00"
    regions: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    stories: int = 10
    format: str = "html"
    created_at: datetime | None = None
    confirmed_at: datetime | None = None


@dataclass
class SourceLink:
    """An article a briefing item links to."""

    outlet: str | None
    title: str
    url: str | None


@dataclass
class BriefingItem:
    """One story in a briefing: the `ITEM` of the `brief --json` contract."""

    story: int
    headline: str
    summary: str
    facts: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    update: bool = False
    sources: list[SourceLink] = field(default_factory=list)


@dataclass
class BriefingSection:
    """The stories of one region, after the top stories."""

    region: str
    items: list[BriefingItem] = field(default_factory=list)


@dataclass
class Briefing:
    """A day's briefing for one subscriber (or for everyone): top stories, then regions.

    It covers the 24 hours before the subscriber's send time on `date`
    (`window_start` to `window_end`).
    """

    date: str
    subscriber: str | None
    window_start: datetime
    window_end: datetime
    top: list[BriefingItem] = field(default_factory=list)
    sections: list[BriefingSection] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `brief --json` contract: date, subscriber, top, sections (and the window)."""
        data: dict[str, Any] = _iso_times(asdict(self))
        return data
