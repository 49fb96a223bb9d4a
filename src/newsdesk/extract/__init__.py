"""Extraction: a web page or a text file in, one `Article` with clean news fields out."""

import py3langid
from trafilatura.external import jt_stoplist_init

from newsdesk.extract.html import extract_html
from newsdesk.extract.text import extract_text


def warm_up() -> None:
    """Load now what extraction otherwise loads on first use: the language identifier's
    model and the stoplists of trafilatura's justext fallback (about 100 MB together).

    Worker processes forked afterwards share this one copy instead of each loading its own.
    """
    py3langid.classify("warm up")
    jt_stoplist_init()


__all__ = ["extract_html", "extract_text", "warm_up"]
