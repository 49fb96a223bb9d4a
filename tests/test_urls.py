"""canonical_url: one spelling per article, and nothing changed that could change the article."""

from __future__ import annotations

import pytest

from newsdesk.urls import TRACKING_PARAMETERS, canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/World/Story", "https://www.example.com/World/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a/"),
        ("  https://example.com/a\n", "https://example.com/a"),
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ],
)
def test_case_ports_fragments_and_white_space(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x",
            "https://example.com/a",
        ),
        ("https://example.com/a?id=7&fbclid=abc&gclid=def", "https://example.com/a?id=7"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&ocid=3&cmpid=4", "https://example.com/a"),
        ("https://example.com/a?ref=home&smid=tw-share&CMP=share_btn", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3"),
        ("https://example.com/a?tag=x&page=2&tag=a", "https://example.com/a?page=2&tag=x&tag=a"),
        ("https://example.com/a?q=hello+world&x", "https://example.com/a?q=hello+world&x"),
        ("https://example.com/a?&&id=1&", "https://example.com/a?id=1"),
        ("https://example.com/a?reference=1", "https://example.com/a?reference=1"),
    ],
)
def test_tracking_parameters_removed_and_the_rest_sorted(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/news/story/amp", "https://example.com/news/story"),
        ("https://example.com/news/story/amp/", "https://example.com/news/story"),
        ("https://example.com/news/story?amp", "https://example.com/news/story"),
        ("https://example.com/news/story?amp=1&id=4", "https://example.com/news/story?id=4"),
        ("https://example.com/news/ampersand", "https://example.com/news/ampersand"),
        ("https://amp.example.com/news/story", "https://amp.example.com/news/story"),
    ],
)
def test_amp_markers(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("text", ["", "not a url", "/relative/path", "example.com/a"])
def test_text_that_is_not_an_absolute_url_comes_back_stripped(text: str) -> None:
    assert canonical_url(f" {text} ") == text


def test_idempotent() -> None:
    url = "HTTPS://Example.com:443/a/amp?utm_source=x&b=2&a=1#top"
    once = canonical_url(url)
    assert once == "https://example.com/a?a=1&b=2"
    assert canonical_url(once) == once


def test_tracking_list_is_lower_case() -> None:
    assert all(name == name.lower() for name in TRACKING_PARAMETERS)
