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
