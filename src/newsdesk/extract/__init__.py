"""Extraction: a web page or a text file in, one `Article` with clean news fields out."""

from newsdesk.extract.html import extract_html, warm_up
from newsdesk.extract.text import extract_text

__all__ = ["extract_html", "extract_text", "warm_up"]
