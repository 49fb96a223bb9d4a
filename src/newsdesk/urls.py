"""One spelling per article URL, so the same article fetched twice is stored once.

Feeds, newsletters and social sites decorate article links with tracking parameters and
fragments, and spell hosts and ports in different cases. `canonical_url` undoes that
decoration without guessing at site-specific rewrites: it keeps the path as given (a
trailing slash can matter) and keeps every query parameter that is not known tracking.

What it changes:

- scheme and host in lower case, a trailing dot on the host removed, user info dropped
  (credentials have no place in an article's identity);
- the default port (80 for http, 443 for https) removed, an empty path written as "/";
- the fragment removed;
- the tracking parameters in `TRACKING_PARAMETERS` (and any `utm_*`) removed, compared
  without regard to case; the rest sorted by name, keeping their original encoding and
  the relative order of repeated names;
- AMP markers that never change the article: a final `/amp` path segment and an `amp`
  query parameter. (The extractor already maps AMP pages to their `<link rel=canonical>`;
  `amp.` host prefixes are left alone because the AMP host is not always the main one.)
- percent escapes written in upper case (`%2f` and `%2F` are the same byte).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        # ad-click identifiers: Google, Facebook, Microsoft, Yandex, Twitter/X, Instagram
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        # newsletter and marketing tools: Mailchimp, Marketo, HubSpot
        "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi",
        # campaign tags used by news sites (MSN, Guardian, NYT, Le Monde, BBC, Twitter)
        "ocid", "cmpid", "cmp", "icid", "xtor", "smid", "smtyp", "sr_share",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        "at_medium", "at_campaign", "__twitter_impression",
        # referrer markers and consent redirects (Yahoo)
        "ref", "ref_src", "ref_url", "guccounter", "guce_referrer", "guce_referrer_sig",
        # the AMP flag: the same article in another template
        "amp",
    }
)  # fmt: skip
"""Query parameter names (lower case) that never select a different article."""

_TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def canonical_url(url: str) -> str:
    """The one spelling of an article URL that newsdesk uses as its identity.

    Args:
        url: an absolute URL as found in a feed, page or input file.

    Returns:
        The URL with case, default port, fragment, tracking parameters and AMP markers
        normalised (see the module docstring). Text that is not an absolute URL comes
        back stripped of surrounding white space and otherwise unchanged.
    """
    text = url.strip()
    parts = urlsplit(text)
    if not parts.scheme or not parts.netloc:
        return text
    scheme = parts.scheme.lower()
    path = _upper_escapes(_strip_amp_segment(parts.path)) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((scheme, _netloc(parts, scheme), path, query, ""))


def _netloc(parts: SplitResult, scheme: str) -> str:
    """Host (lower case, no user info) and port, unless the port is the scheme's default."""
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return parts.netloc.lower()
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def _strip_amp_segment(path: str) -> str:
    """Drop a final `/amp` (or `/amp/`) path segment."""
    for suffix in ("/amp/", "/amp"):
        if path.lower().endswith(suffix):
            return path[: -len(suffix)] or "/"
    return path


def _clean_query(query: str) -> str:
    """Remove tracking parameters and sort the rest by name, keeping their encoding."""
    kept = [piece for piece in query.split("&") if piece and not _is_tracking(piece)]
    kept.sort(key=_parameter_name)
    return _upper_escapes("&".join(kept))


def _parameter_name(piece: str) -> str:
    """The decoded name of one `name=value` query piece."""
    return unquote_plus(piece.split("=", 1)[0])


def _is_tracking(piece: str) -> bool:
    """Whether a query piece is a tracking parameter."""
    name = _parameter_name(piece).lower()
    return name in TRACKING_PARAMETERS or name.startswith(_TRACKING_PREFIXES)


def _upper_escapes(text: str) -> str:
    """Write percent escapes in upper case."""
    return _ESCAPE.sub(lambda match: match.group(0).upper(), text)
