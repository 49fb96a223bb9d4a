"""Date expressions, resolved against the publication date.

spaCy finds the DATE expressions; this module says which day, month or year each means,
in ISO form (YYYY-MM-DD, YYYY-MM or YYYY). News is written relative to its own day, so:

- a weekday is the article's own day when it matches the publication weekday ("on
  Thursday" in Thursday's paper); otherwise the most recent such day for past events
  ("On Wednesday, 16 people died"), or the coming one when the governing verb speaks of the
  future ("is set to meet … on Friday", "will travel on Friday", "meets on Friday");
  "last"/"next" settle it outright;
- "today", "yesterday", "tomorrow", "N days/months/years ago";
- "last year", "this year", "earlier this month", "next month", "last October";
- explicit dates, whole or partial: "March 3, 2009", "3 March", "June 2003", "2005".

Without a publication date only explicit dates with a year resolve; relative ones are
skipped. Durations, ages and seasons ("three months", "36-year-old", "this summer") are not
dates and resolve to nothing. The parsing is a handful of set look-ups per expression.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from newsdesk.analyze.nlp import lemma
from newsdesk.analyze.numbers import parse_number
from newsdesk.models import DateMention

__all__ = ["find_dates", "resolve_date_expression"]

_WEEKDAYS = {
    name: index
    for index, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_MONTHS = {
    name: index
    for index, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTHS |= {name[:3]: index for name, index in list(_MONTHS.items())} | {"sept": 9}
_DAY_SHIFTS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_PAST, _FUTURE = "past", "future"
_DIRECTIONS = {"last": _PAST, "previous": _PAST, "past": _PAST, "next": _FUTURE}
_DIRECTIONS |= {"coming": _FUTURE}
_THIS = frozenset({"this", "current"})
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "’ll"})
# Heads of an infinitive that plan rather than report: "is set to meet", "plans to visit".
_PLANS = frozenset(
    [
        "set",
        "due",
        "plan",
        "expect",
        "schedule",
        "go",
        "be",
        "intend",
        "prepare",
        "aim",
        "hope",
        "want",
        "seek",
        "agree",
        "promise",
        "vow",
        "pledge",
        "threaten",
    ]
)
_ORDINAL_ENDINGS = ("st", "nd", "rd", "th")
_ISO_DAY, _ISO_MONTH, _ISO_YEAR = "%Y-%m-%d", "%Y-%m", "%Y"


def find_dates(doc: Doc, published: datetime | None) -> list[DateMention]:
    """Every date expression of the article that resolves to a day, month or year.

    Args:
        doc: the parsed article body.
        published: when the article was published; relative expressions need it.

    Returns:
        One mention per DATE expression that resolves, in text order.
    """
    mentions = []
    for ent in doc.ents:
        if ent.label_ == "DATE":
            resolved = resolve_date_expression(ent, published)
            if resolved is not None:
                mentions.append(DateMention(ent.text, resolved))
    return mentions


def resolve_date_expression(span: Span, published: datetime | None) -> str | None:
    """The ISO date (YYYY-MM-DD, YYYY-MM or YYYY) a date expression means, if any.

    Args:
        span: a DATE expression of a parsed article.
        published: the publication date to resolve relative expressions against.

    Returns:
        The ISO date, or None for a duration, an age, a season or an expression that needs
        a publication date when there is none.
    """
    words = [t.lower_.rstrip(".") for t in span if not t.is_punct and t.lower_ not in ("'s", "’s")]
    explicit = _explicit(words, published, span)
    if explicit is not None or published is None:
        return explicit
    today = published.date()
    return (
        _day_shift(words, today)
        or _weekday(words, today, span)
        or _ago(words, today)
        or _relative_period(words, today)
    )


def _explicit(words: list[str], published: datetime | None, span: Span) -> str | None:
    """A date written out: a year, a month with or without day and year ("3 March")."""
    year = next(
        (int(w) for w in words if len(w) == 4 and w.isdigit() and 1000 < int(w) < 2200), None
    )
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    day = next((d for w in words if (d := _day_number(w)) is not None), None) if month else None
    if year is None and month is not None and published is not None:
        year = _year_of_month(month, day, words, published.date(), span)
    if year is None or (month is None and _has_other_words(words)):
        return None
    if month is None:
        return str(year)
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year:04d}-{month:02d}"


def _has_other_words(words: list[str]) -> bool:
    """True when a year comes with words that make it something else ("the 1990s", "age")."""
    return any(
        not w.isdigit() and w not in ("the", "in", "of", "year", "early", "late", "mid")
        for w in words
    )


def _day_number(word: str) -> int | None:
    """The day of month a word gives ("3", "3rd"), if any."""
    digits = word[:-2] if word.endswith(_ORDINAL_ENDINGS) else word
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= 31 and len(digits) <= 2 else None


def _year_of_month(
    month: int, day: int | None, words: list[str], today: date, span: Span
) -> int | None:
    """The year of a month named without one: "next year", "last year", else by tense."""
    shift = _year_shift(words)
    if shift is not None:
        return today.year + shift
    if _direction(words, span) == _FUTURE:
        return today.year + (month < today.month)
    return today.year - (month > today.month)


def _year_shift(words: list[str]) -> int | None:
    """-1, 0 or +1 when the words say "last year", "this year" or "next year"."""
    for before, after in pairwise(words):
        if after == "year":
            if before in _THIS:
                return 0
            if before in _DIRECTIONS and before != "past":
                return -1 if _DIRECTIONS[before] == _PAST else 1
    return None


def _direction(words: list[str], span: Span) -> str:
    """Past or future: "last"/"next" say so, else the tense of the governing verb."""
    for word in words:
        if word in _DIRECTIONS:
            return _DIRECTIONS[word]
    return _FUTURE if _speaks_of_future(span) else _PAST


def _speaks_of_future(span: Span) -> bool:
    """True when the verb governing the expression is future, planned or present tense.

    "will meet", "is set to meet", "plans to visit", "meets" and "is meeting" speak of what
    is to come; "met", "has met" and "was meeting" of what has been.
    """
    verb = _governing_verb(span.root)
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return True
    if any(a.lower_ == "to" for a in auxes):
        head = verb.head
        return lemma(head) in _PLANS or (
            head.i != verb.i and _speaks_of_future(head.doc[head.i : head.i + 1])
        )
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxes)


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above a token in the parse, if any."""
    current = token
    while current.head.i != current.i:
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def _day_shift(words: list[str], today: date) -> str | None:
    """ "today", "yesterday", "tomorrow" (also "yesterday morning")."""
    shift = next((_DAY_SHIFTS[w] for w in words if w in _DAY_SHIFTS), None)
    return None if shift is None else (today + timedelta(days=shift)).isoformat()


def _weekday(words: list[str], today: date, span: Span) -> str | None:
    """A weekday: today's when it matches, else the last or next one as context says."""
    weekday = next((_WEEKDAYS[w] for w in words if w in _WEEKDAYS), None)
    if weekday is None:
        return None
    explicit = next((_DIRECTIONS[w] for w in words if w in _DIRECTIONS), None)
    if weekday == today.weekday() and explicit is None:
        return today.isoformat()
    if (explicit or _direction(words, span)) == _FUTURE:
        ahead = (weekday - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    back = (today.weekday() - weekday) % 7 or 7
    return (today - timedelta(days=back)).isoformat()


def _ago(words: list[str], today: date) -> str | None:
    """ "three days ago" → a day, "two months ago" → a month, "six years ago" → a year."""
    if len(words) < 3 or words[-1] != "ago":
        return None
    number = parse_number(words[:-2])
    unit = words[-2].rstrip("s")
    if number is None or number.approximate or unit not in ("day", "week", "month", "year"):
        return None
    count = int(number.value)
    if unit in ("day", "week"):
        return (today - timedelta(days=count * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        return _month_shifted(today, -count)
    return str(today.year - count)


def _relative_period(words: list[str], today: date) -> str | None:
    """ "last year", "this year", "earlier this month", "next month"."""
    shift = _year_shift(words)
    if shift is not None:
        return str(today.year + shift)
    for before, after in pairwise(words):
        if after == "month" and before in _THIS:
            return _month_shifted(today, 0)
        if after == "month" and before in _DIRECTIONS:
            return _month_shifted(today, -1 if _DIRECTIONS[before] == _PAST else 1)
    return None


def _month_shifted(today: date, months: int) -> str:
    """The ISO month `months` months from today's."""
    index = today.year * 12 + today.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
