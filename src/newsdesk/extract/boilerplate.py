"""General rules for paragraphs that are site furniture rather than article text.

Every rule here describes a *kind* of furniture (a newsletter box, a "read more" link, a
share prompt, a photo credit, cookie or advertising text) as sites in general write it, so
that the rules carry over to pages we have never seen. A rule written for one page is a
defect. Ordinary reporting that merely mentions a newsletter or a photograph must survive:
the newsletter and credit rules only fire on short lines that read like calls to action or
captions (no finished sentence, or an imperative opening).
"""

from __future__ import annotations

import re

# Lines that are nothing but a label the page shows around the article.
_WHOLE_LINE = re.compile(
    r"""^(?:
        advertisement|advertising|ad|sponsored(?:\ content)?|promoted(?:\ stories)?
        |story\ continues\ (?:below|after)(?:\ (?:this\ |the\ )?advertisement)?
        |continue\ reading(?:\ (?:below|the\ main\ story))?|skip\ (?:ad|advertisement)
        |comments?|\d+\ comments?|leave\ a\ (?:comment|reply)|show\ comments
        |read\ more|more|see\ more|load\ more|view\ gallery|watch(?:\ video)?|video
        |related(?:\ (?:articles?|stories|content|coverage|topics))?|most\ (?:read|popular)
        |recommended(?:\ for\ you)?|you\ may\ also\ like|trending(?:\ now)?
        |all\ rights\ reserved\.?|back\ to\ top|print|email|share|tags|loading(?:\ \w+){0,2}
        |permalink
        |enlarge(?:\ this\ image)?|(?:<<\ )?close|hide\ caption|toggle\ caption|expand|show\ more
        |(?:take|start)\ (?:the\ )?quiz|story\ highlights|top\ stories|latest\ news
    )[\s:.!…]*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that open with a link label: "Read more: …", "Related: …", "Also read …".
_LINK_LABEL = re.compile(
    r"""^[\s»›>▶►•*-]*(?:
        read\ (?:more|next|also|the\ full\ (?:story|article))|also\ read|see\ also|more\ on\ this
        |related(?:\ (?:articles?|stories|links?|coverage|content))?|more\ from|more\ stories
        |recommended|further\ reading|click\ here|full\ (?:story|article|coverage)
        |you\ (?:may|might)\ also\ like|don'?t\ miss|watch|listen
        |tags|topics|keywords|filed\ under|categories
    )\b\s*[:»›>|–—-]""",
    re.IGNORECASE | re.VERBOSE,
)

# Share and follow prompts.
_SOCIAL_PROMPT = re.compile(
    r"""^[\s»›>•*-]*(?:
        follow\ (?:us|me|@\w+|[\w.]+(?:\ [\w.]+)?)\ on
        |share\ (?:this|on|via|the\ article|the\ story)
        |tweet\ this|email\ this|print\ this|link\ this|digg\ this|like\ us\ on
        |join\ us\ on|find\ us\ on|connect\ with\ us|(?:follow|join)\ the\ conversation
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_SOCIAL_WORD = (
    r"(?:share|shares|tweet|email|e-mail|print|facebook|twitter|x|pinterest|linkedin|"
    r"whatsapp|reddit|tumblr|messenger|telegram|google\+?|comments?|reprints?|save|copy\ link|"
    r"link|digg|flipboard|pocket|sms|mail|\d+)"
)
_SOCIAL_ROW = re.compile(
    rf"^(?:[\s|•·,/-]*{_SOCIAL_WORD}\b)+[\s|•·,/-]*$", re.IGNORECASE | re.VERBOSE
)

# Site-wide links: a row of legal links, or a navigation row of short items between bars.
_SITE_LINKS = re.compile(
    r"^(?:\s*[|•·]?\s*(?:terms\ of\ (?:use|service)|privacy(?:\ policy)?|contact(?:\ us)?|about\ us"
    r"|cookie\ policy|sitemap|site\ map|advertise(?:\ with\ us)?|help|faq))+\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_NAV_ITEM = re.compile(r"^[^|•·]{1,30}$")
_NAV_MIN_ITEMS = 4

# A line that only dates the page: "November 28, 2013 -- Updated 0203 GMT", "Updated: 4/2/2014".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"""^(?P<label>(?:published|updated|posted|last\ updated|modified)\s*(?:on|at)?\s*:?\s*)?
        (?:[a-z]+day,?\s+)?(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}
        |\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b""",
    re.IGNORECASE | re.VERBOSE,
)
_DATE_LINE_MAX_WORDS = 12

# Photo and image credits, as a caption line or a bare credit.
_CREDIT_LABEL = re.compile(
    r"""^[\s(\[]*(?:
        photo(?:graph)?s?|images?|pictures?|pics?|illustration|credits?
        |(?:photo|image)\ credits?|video|graphic|source\ image|foto|bild
    )\s*(?::|by\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_CREDIT_PHRASE = re.compile(r"^(?:image|photo|picture)\s+(?:copyright|caption)\b", re.IGNORECASE)
_PHOTO_AGENCY = (
    r"(?:getty(?:\ images)?|ap\ photo|afp|reuters|epa|shutterstock|alamy|istock(?:photo)?"
    r"|corbis|rex|pa\ (?:wire|images)|bloomberg|xinhua|anadolu)"
)
# A bare credit: parenthesised, a photo library's name, or "Name/Agency" with a slash.
_BARE_CREDIT = re.compile(
    rf"""^(?:\(.{{0,80}}\b{_PHOTO_AGENCY}\b.{{0,40}}\)
        |.{{0,60}}\b(?:getty\ images|ap\ photo|shutterstock|alamy|istock(?:photo)?|corbis)\b
            .{{0,40}}
        |.{{0,60}}(?:/\s*{_PHOTO_AGENCY}\b|\b{_PHOTO_AGENCY}\s*/).{{0,40}})$""",
    re.IGNORECASE | re.VERBOSE,
)
_INLINE_CREDIT = re.compile(
    rf"\s*\((?:(?:photo|image|picture|credit)s?:\s*[^)]{{1,60}}|[^()]{{0,40}}\b{_PHOTO_AGENCY}\b[^()]{{0,30}})\)\s*$",
    re.IGNORECASE | re.VERBOSE,
)

# Cookie, consent and paywall notices.
_NOTICE = re.compile(
    r"""\b(?:we\ use\ cookies|(?:this|our)\ (?:web)?site\ uses\ cookies|accept\ (?:all\ )?cookies
        |cookie\ (?:policy|settings|preferences)|by\ continuing\ to\ (?:browse|use)
        |enable\ javascript|your\ browser\ (?:does\ not|doesn't)\ support
        |ad\ ?blocker|subscribers?\ only|already\ a\ subscriber)""",
    re.IGNORECASE | re.VERBOSE,
)

# Newsletter and subscription boxes: the topic words, and the call to action that opens one.
_SUBSCRIPTION_TOPIC = re.compile(
    r"newsletter|subscri(?:be|ption)|sign\s?up|inbox|e-?mail\s+(?:alerts?|updates)|register",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"""^[\s»›>•*-]*(?:sign\ up|subscribe|get\ (?:our|the|your|all|it)|receive|join|enter\ your
        |register|download\ (?:our|the)|don'?t\ miss|never\ miss|stay\ (?:informed|up\ to\ date)
        |want\ (?:more|the\ latest)|like\ this\ (?:story|article)|for\ more)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Words run together where a page box lost its line break: "newsletterReceive".
_GLUED_WORDS = re.compile(r"[a-z]{3,}[A-Z][a-z]{2,}")
_FINISHED_SENTENCE = re.compile(r"""[.!?…]["'”’)\]]*$""")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)

_SHORT_LINE_WORDS = 40

# The label over a section that follows the story: links to other stories or reader comments.
# The whole line must be the label; "Related: <headline>" is a single link, handled above.
_TRAILER_LABEL = re.compile(
    r"""^(?:
        you\ (?:may|might)\ (?:also\ )?(?:like|enjoy)|recommended(?:\ for\ you)?|editor'?s\ picks
        |related(?:\ (?:articles?|stories|posts|links|coverage|content|videos?))?
        |more\ (?:from|on|in|stories|articles|news|headlines|coverage|to\ explore)\b.{0,40}
        |other\ (?:\w+\ ){0,2}(?:columns|stories|articles|news)
        |trending(?:\ (?:on|in|now)\b.{0,30})?
        |(?:today'?s\ )?(?:\w+\ )?most\ (?:read|popular|viewed|shared|emailed|commented)\b.{0,30}
        |(?:featured|recent|popular|latest|top)
            \ (?:stories|articles|posts|news|slide\ ?shows|videos)
        |(?:what\ to\ )?read\ next|further\ reading|(?:from\ )?around\ the\ web
        |(?:comments?|reader\ comments|comentarios?|comentar|commentaires?|kommentare?
            |commenti|reacties)|leave\ a\ (?:comment|reply)|join\ the\ (?:discussion|conversation)
        |(?:à\ )?lire\ aussi|sur\ le\ même\ sujet|noticias\ relacionadas|leer\ más
        |mehr\ zum\ thema|weitere\ artikel|leggi\ anche
    )[\s:.!…›»>()\d]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_boilerplate(line: str) -> bool:
    """Whether a paragraph is site furniture that has no place in the article body.

    Args:
        line: one paragraph, whitespace already normalised.

    Returns:
        True for newsletter boxes, link labels, share prompts, photo credits, cookie and
        advertising text and copyright lines; False for anything that may be reporting,
        and for any long paragraph (furniture is short; a long one is article text even
        when a notice is glued into it).
    """
    text = line.strip()
    if not text:
        return True
    if len(text.split()) > _SHORT_LINE_WORDS:
        return False
    return (
        _is_label(text)
        or _is_site_chrome(text)
        or _is_photo_credit(text)
        or _is_subscription_box(text)
        or bool(_NOTICE.search(text))
    )


def is_trailer_label(line: str) -> bool:
    """Whether a line heads the links or comments that follow a story ("You might also like").

    Args:
        line: one paragraph or heading, whitespace already normalised.

    Returns:
        True when the whole line is such a label; what follows it is not the story.
    """
    return bool(_TRAILER_LABEL.match(line.strip()))


def strip_inline_credit(line: str) -> str:
    """Drop a photo credit glued to the end of a caption or paragraph, "(Getty Images)"."""
    return _INLINE_CREDIT.sub("", line)


def _is_label(text: str) -> bool:
    """A page label, a link label or a share prompt."""
    return bool(
        _WHOLE_LINE.match(text)
        or _LINK_LABEL.match(text)
        or _SOCIAL_PROMPT.match(text)
        or _SOCIAL_ROW.match(text)
        or _COPYRIGHT.match(text)
    )


def _is_site_chrome(text: str) -> bool:
    """A navigation row, a row of legal links or a line that only gives the page's date."""
    if _SITE_LINKS.match(text):
        return True
    items = re.split(r"\s[|•·]\s", text)
    if len(items) >= _NAV_MIN_ITEMS and all(_NAV_ITEM.match(item) for item in items):
        return True
    return _date_line(text) is not None


def is_bare_date(line: str) -> bool:
    """Whether a short line is only a date, with no "Published" or "Updated" label.

    Args:
        line: one paragraph, whitespace already normalised.

    Returns:
        True for "Monday, November 25, 2013 at 3:00 PM"; False for "Updated: 4/2/2014" and
        for sentences. Two such lines in a row are a list of dates (a schedule, a timeline),
        which is content; the page's own date stands alone or carries a label.
    """
    match = _date_line(line.strip())
    return match is not None and not match["label"]


def _date_line(text: str) -> re.Match[str] | None:
    """The match of a short line that gives nothing but a date (and perhaps a time)."""
    if len(text.split()) > _DATE_LINE_MAX_WORDS or _FINISHED_SENTENCE.search(text):
        return None
    return _DATE_LINE.match(text)


def _is_photo_credit(text: str) -> bool:
    """A caption credit ("Photo: …", "Image copyright …") or a bare "(Getty Images)"."""
    if _CREDIT_LABEL.match(text) or _CREDIT_PHRASE.match(text):
        return True
    return len(text.split()) <= 8 and bool(_BARE_CREDIT.match(text))


def _is_subscription_box(text: str) -> bool:
    """A newsletter or subscription call to action, not a sentence that mentions one."""
    if not _SUBSCRIPTION_TOPIC.search(text):
        return False
    if _CALL_TO_ACTION.match(text) or _GLUED_WORDS.search(text):
        return True
    return not _FINISHED_SENTENCE.search(text)
