"""News-specific rules shared by the HTML and plain-text extractors.

Wire copy announces where it came from in a few fixed ways: a dateline opening the first
paragraph (`MEXICO CITY (Reuters) -`, `REUTERS -`, `(AP) —`), a byline that names the agency
and credit lines at the foot ("(Reporting by X; Editing by Y)", "© Thomson Reuters"). Those
conventions are the same whichever page or file carries the story, so each is written once
here and both extractors call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every spelling we accept for a wire service, keyed by the short name we report.
_AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "Reuters": ("reuters", "thomson reuters"),
    "AP": ("ap", "associated press", "the associated press"),
    "AFP": ("afp", "agence france-presse", "agence france presse"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "EFE": ("efe", "agencia efe"),
    "ANSA": ("ansa",),
    "Xinhua": ("xinhua", "xinhua news agency"),
    "PA": ("pa", "press association", "pa media"),
    "UPI": ("upi", "united press international"),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap",),
    "TASS": ("tass", "itar-tass"),
    "Interfax": ("interfax",),
    "ANI": ("ani",),
    "PTI": ("pti", "press trust of india"),
    "IANS": ("ians",),
    "Anadolu": ("anadolu", "anadolu agency"),
    "CNA": ("cna",),
}
_AGENCY_BY_SPELLING = {
    spelling: name for name, spellings in _AGENCY_NAMES.items() for spelling in spellings
}
_AGENCY_PATTERN = "|".join(re.escape(s) for s in sorted(_AGENCY_BY_SPELLING, key=len, reverse=True))

# PLACE[, Month D] (Agency) -   |   AGENCY -   |   (Agency) -   |   PLACE -   (place in capitals)
# A colon, or a place not in capitals, only with an agency we know (`_reads_as_outlet_dateline`).
_DASH = r"\s*(?:-{1,2}|–|—)\s+"
_DASH_OR_COLON = r"\s*(?P<separator>-{1,2}|–|—|:)\s+"
_CAPS_PLACE = r"[A-Z][A-Z.'’/-]*(?:[ /][A-Z][A-Z.'’/-]*){0,3}"
_ANY_PLACE = r"[A-Z][\w.'’/-]*(?:[ /][A-Z][\w.'’/-]*){0,3}"
_REGION = r"(?:,\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?"
_DATE = r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?)?"
_DATELINE = re.compile(
    rf"""^(?:(?:
        (?P<place>{_ANY_PLACE}{_REGION}){_DATE}\s*\((?P<agency>[^()]{{2,40}})\)
        |\((?P<agency_only>[^()]{{2,40}})\)
    ){_DASH_OR_COLON}
    |(?P<caps_place>{_CAPS_PLACE}{_REGION})(?P<date>{_DATE}){_DASH})""",
    re.VERBOSE,
)
_MAX_SOURCE_WORDS = 4
# Capitals that open with an article are a sentence in capitals, not a place.
_ARTICLES = ("A ", "AN ")

# Credit lines that name the agency behind the copy.
_CREDITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\breporting by\b.*\bediting by\b", re.IGNORECASE), "Reuters"),
    (re.compile(r"©\s*(?:\d{4}\s+)?thomson reuters|\bthomson reuters\b", re.IGNORECASE), "Reuters"),
    (re.compile(r"\bassociated press (?:writers?|reporters?)\b", re.IGNORECASE), "AP"),
    (
        re.compile(
            rf"(?:©|\(c\)|copyright)\s*(?:\d{{4}}\s+)?(?P<agency>{_AGENCY_PATTERN})\b", re.I
        ),
        "",
    ),
)

_BYLINE_PREFIX = re.compile(r"^\s*(?:by|par|por|von|di|door|av|af)\s*:?\s+", re.IGNORECASE)
# "Tech Industry by Jane Roe": the names follow the last "by".
_INNER_BY = re.compile(r"^.*?\b(?:by|par|por)\s*:?\s+(?=[^\W\d_])", re.IGNORECASE)
# A byline ends where its date begins: "Jane Roe January 18, 2017", "Jane Roe 2 hours ago".
_BYLINE_DATE = re.compile(
    r"\s(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d).*$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(
    r"\s*(?:,|;|\||/|•|\s[-–—]\s|\band\b|&|\bund\b|\bet\b|\by\b|\be\b|\bavec\b|\bwith\b)\s*",
    re.IGNORECASE,
)
# "(avec X et Y)" lists more people; any other parenthesis is part of one name.
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_COMPANY_WORDS = re.compile(r"^(?:avec|with|and|et|y|und|mit|con|com)\b", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writers?|reporters?|correspondents?|editors?|contributors?|columnist|"
    r"news|desk|team|updated|published|posted|follow|twitter|email|photos?)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w.'’-]*$")
_MAX_NAME_WORDS = 5

_SUBHEAD_MAX_WORDS = 10
_MARKED_SUBHEAD_MAX_WORDS = 16
_SUBHEAD_END = re.compile(r"""[.!?,;:…"'”’)\]]$""")


@dataclass
class Dateline:
    """What a dateline said: the place (None for `REUTERS -`) and the agency, if any."""

    place: str | None
    agency: str | None
    rest: str


def normalise_agency(name: str) -> str | None:
    """The short name of a wire service ("Associated Press" → "AP"), or None if it is not one.

    Args:
        name: an agency as written in a dateline, byline or credit.

    Returns:
        The canonical short name, or None when the name is no known agency.
    """
    key = re.sub(r"\s+", " ", name.strip(" .()")).casefold()
    return _AGENCY_BY_SPELLING.get(key)


def split_dateline(paragraph: str) -> Dateline | None:
    """Read the dateline that opens a paragraph of wire copy and return the rest of it.

    Args:
        paragraph: the first paragraph of an article body.

    Returns:
        The place (title-cased when written in capitals), the agency and the paragraph with
        the dateline removed; None when the paragraph does not open with a dateline.
    """
    match = _DATELINE.match(paragraph)
    rest = paragraph[match.end() :].lstrip() if match else ""
    if match is None or not rest:
        return None
    caps = match["caps_place"]
    if caps:
        if len(caps) < 3 or caps.startswith(_ARTICLES):  # "A FIRE - BOMB attack …"
            return None
        agency = None if match["date"] else normalise_agency(caps)
        return Dateline(None if agency else _tidy_place(caps), agency, rest)
    source = match["agency"] or match["agency_only"]
    agency = normalise_agency(source)
    place = match["place"]
    if agency is None and not _reads_as_outlet_dateline(source, place, match["separator"]):
        return None
    return Dateline(_tidy_place(place) if place else None, agency, rest)


def agency_in_credits(paragraphs: list[str]) -> str | None:
    """The agency named by a credit line ("(Reporting by …; Editing by …)", "© Reuters")."""
    for paragraph in reversed(paragraphs):
        for pattern, agency in _CREDITS:
            match = pattern.search(paragraph)
            if match:
                return agency or normalise_agency(match["agency"])
    return None


def clean_byline(byline: str) -> tuple[list[str], str | None]:
    """Split a byline into clean author names and the agency it credits.

    Args:
        byline: a byline as a page writes it, "By Jane Roe and John Doe, Reuters".

    Returns:
        The people's names in order without "By", roles or agencies, and the agency named
        among them (or None).
    """
    names: list[str] = []
    agency: str | None = None
    text = _PARENTHESES.sub(_unwrap_parentheses, byline.strip())
    text = _BYLINE_DATE.sub("", _INNER_BY.sub("", text, count=1))
    for part in _NAME_SEPARATORS.split(text):
        part = _BYLINE_PREFIX.sub("", part.strip(" .:-–—"))
        if not part:
            continue
        part_agency = normalise_agency(part) or _agency_writer(part)
        if part_agency:
            agency = agency or part_agency
            continue
        name = _clean_name(part)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names, agency


def is_byline(line: str) -> bool:
    """Whether a short line is a byline ("By Jane Roe", "Par Jean Dupont") and not a sentence."""
    return (
        bool(_BYLINE_PREFIX.match(line))
        and len(line.split()) <= 12
        and not line.rstrip().endswith((".", "?", "!"))
        and line.split()[1][:1].isupper()
    )


def is_subhead(line: str, marked: bool = False) -> bool:
    """Whether a line reads as a subhead rather than a paragraph.

    Args:
        line: one line of the body.
        marked: the markup already calls it a heading (`<h2>`); then only prose that is
            too long or ends a sentence with a full stop is refused, as pages misuse
            headings for standfirsts and captions.

    Returns:
        True when the line is short and unpunctuated enough to be a heading.
    """
    words = line.split()
    if marked:
        return 0 < len(words) <= _MARKED_SUBHEAD_MAX_WORDS and not line.endswith(".")
    return (
        0 < len(words) <= _SUBHEAD_MAX_WORDS
        and line[:1].isupper()
        and not _SUBHEAD_END.search(line)
        and not is_byline(line)
    )


def _reads_as_outlet_dateline(source: str, place: str | None, separator: str) -> bool:
    """Whether "PLACE (Source) —" with a source that is no known agency is a dateline."""
    # Only the wires' own form: a short capitalised source, the place in capitals and a
    # dash. A name with a colon is a label ("Jane Roe (Acme): …" in a list or transcript).
    return (
        separator != ":"
        and (place is None or place.split(",")[0].isupper())
        and len(source.split()) <= _MAX_SOURCE_WORDS
        and source[:1].isupper()
    )


def _unwrap_parentheses(match: re.Match[str]) -> str:
    """Turn "(avec X)" into ", X" and "(Henrique)" into "Henrique"."""
    inner = match[1].strip()
    return f", {_COMPANY_WORDS.sub('', inner)}," if _COMPANY_WORDS.match(inner) else inner


def _agency_writer(part: str) -> str | None:
    """The agency in "Associated Press Writer" or "Reuters staff"."""
    stripped = _ROLE_WORDS.sub("", part).strip()
    return normalise_agency(stripped) if stripped != part.strip() else None


def _clean_name(part: str) -> str | None:
    """A person's name from one byline part, or None when the part is a role or junk."""
    had_digits = bool(re.search(r"\d", part))
    part = re.sub(r"\d.*$", "", part).strip(" .,-")
    if not part or "@" in part or "://" in part or _ROLE_WORDS.search(part):
        return None
    words = part.split()
    while words and words[-1].islower():
        words.pop()
    if not words or (had_digits and len(words) < 2):
        return None
    if len(words) > _MAX_NAME_WORDS or not all(_NAME_TOKEN.match(w) for w in words):
        return None
    if not any(w[:1].isupper() for w in words):
        return None
    return " ".join(_capitalise_caps(w) if w.isupper() and len(w) > 2 else w for w in words)


def _tidy_place(place: str) -> str:
    """Title-case a place written in capitals ("MEXICO CITY" → "Mexico City")."""
    words = place.strip(" ,").split(" ")
    return " ".join(_capitalise_caps(word) if word.isupper() else word for word in words)


def _capitalise_caps(word: str) -> str:
    """One word in capitals, capitalised per letter run ("D.C." stays, "NEW" → "New")."""
    return re.sub(r"[^\W\d_]+", lambda m: m[0].capitalize(), word.lower())
