"""The address guard refuses what could reach the operator's own network."""

from __future__ import annotations

import pytest

from newsdesk.errors import ConfigError, SourceError
from newsdesk.ingest.safety import check_address, check_url, parse_allow_list


def test_allow_list_is_normalised() -> None:
    text = " 127.0.0.1, [::1] ,10.1.0.0/16, Feeds.Example.org., 10.1.0.0/16"
    assert parse_allow_list(text) == ("127.0.0.1", "::1", "10.1.0.0/16", "feeds.example.org")


def test_allow_list_is_empty_for_empty_text() -> None:
    assert parse_allow_list(" , ") == ()


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "http://x.org", "bad host", "a..b"])
def test_bad_allow_entry_names_itself(entry: str) -> None:
    with pytest.raises(ConfigError, match="NEWSDESK_FETCH_ALLOW entry"):
        parse_allow_list(entry)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/feed.xml", "only http and https"),
        ("http://127.0.0.1/", "non-public address 127.0.0.1"),
        ("http://localhost:8080/", "non-public address"),
        ("http://10.1.2.3/", "non-public address 10.1.2.3"),
        ("http://192.168.1.1/", "non-public address"),
        ("http://169.254.169.254/latest/meta-data/", "non-public address 169.254.169.254"),
        ("http://[::1]/", "non-public address ::1"),
        ("http://[::ffff:127.0.0.1]/", "non-public address"),
        ("http://0.0.0.0/", "non-public address"),
        ("http://224.0.0.1/", "non-public address"),
        ("http://100.64.0.1/", "non-public address"),
        ("http:///no-host", "has no host"),
        ("http://127.0.0.1:99999/", "check the URL"),
    ],
)
def test_refused(url: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason) as caught:
        check_url(url)
    assert url.split("//")[0] in str(caught.value)


def test_refusal_says_how_to_allow() -> None:
    with pytest.raises(SourceError, match="add the host to NEWSDESK_FETCH_ALLOW"):
        check_url("http://10.1.2.3/feed")


@pytest.mark.parametrize(
    ("url", "allow"),
    [
        ("http://127.0.0.1:8000/feed", ("127.0.0.1",)),
        ("http://127.0.0.1/", ("127.0.0.0/8",)),
        ("http://[::1]/", ("::1",)),
        ("http://localhost/", ("localhost",)),
        ("https://93.184.215.14/", ()),
        ("http://[2001:4860:4860::8888]/", ()),
    ],
)
def test_allowed(url: str, allow: tuple[str, ...]) -> None:
    check_url(url, allow)


def test_allowing_one_address_does_not_allow_others() -> None:
    with pytest.raises(SourceError, match=r"10\.0\.0\.1"):
        check_url("http://10.0.0.1/", ("127.0.0.1",))


def test_connected_address_is_checked_too() -> None:
    check_address("http://feeds.example.org/", "93.184.215.14")
    check_address("http://feeds.example.org/", "10.0.0.9", ("feeds.example.org",))
    with pytest.raises(SourceError, match=r"10\.0\.0\.9"):
        check_address("http://feeds.example.org/", "10.0.0.9")
