"""The address guard: newsdesk fetches only public http(s) addresses unless told otherwise.

A feed is written by someone else, and so are its links and its redirects. Without a guard,
a feed item pointing at `http://169.254.169.254/` (a cloud metadata service) or
`http://10.0.0.5/admin` would make newsdesk fetch from inside the operator's network
(server-side request forgery). So every URL, and every redirect hop, is checked *after* DNS
resolution: each address the host resolves to must be public. The operator lifts the guard
for named hosts, addresses or CIDR ranges with `NEWSDESK_FETCH_ALLOW` (the tests allow
`127.0.0.1` for their local server).

The check runs before connecting; :func:`check_address` also lets the fetcher check the
address it actually connected to, which narrows (but cannot close) the window in which a
DNS answer changes between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from newsdesk.errors import ConfigError, SourceError

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_SCHEMES = frozenset({"http", "https"})
_ALLOW_HINT = "add the host to NEWSDESK_FETCH_ALLOW if it is yours"


class HostNotFoundError(SourceError):
    """The host of a URL does not resolve (now): a typo, or a DNS failure that may pass."""


def parse_allow_list(text: str) -> tuple[str, ...]:
    """Parse `NEWSDESK_FETCH_ALLOW`: hosts, addresses and CIDR ranges, comma-separated.

    Args:
        text: e.g. `"127.0.0.1, ::1, 10.0.0.0/8, Example.org"`.

    Returns:
        The normalised entries in order, without duplicates: addresses in their compressed
        form (`::1`), ranges as networks (`10.0.0.0/8`), host names in lower case without a
        trailing dot (`example.org`).

    Raises:
        ConfigError: an entry is neither a host name, an address nor a CIDR range.
    """
    entries: list[str] = []
    for raw in text.replace(";", ",").split(","):
        entry = raw.strip()
        if entry:
            normalised = _normalise_entry(entry)
            if normalised not in entries:
                entries.append(normalised)
    return tuple(entries)


def _normalise_entry(entry: str) -> str:
    """One allow-list entry in canonical form, or ConfigError naming it."""
    bare = entry.strip("[]").lower()
    try:
        if "/" in bare:
            return str(ipaddress.ip_network(bare, strict=False))
        return str(ipaddress.ip_address(bare))
    except ValueError:
        pass
    host = bare.rstrip(".")
    labels = host.split(".")
    if "/" in host or not all(label and _is_host_label(label) for label in labels):
        raise ConfigError(
            f"NEWSDESK_FETCH_ALLOW entry {entry!r} is not a host name, an address or a "
            "CIDR range; use e.g. 127.0.0.1, 10.0.0.0/8 or feeds.example.org"
        )
    return host


def _is_host_label(label: str) -> bool:
    """True for a DNS label: letters, digits, hyphens (and underscores some hosts use)."""
    return label.replace("-", "").replace("_", "").isalnum() and label.isascii()


def check_url(url: str, allow: Sequence[str] = ()) -> None:
    """Refuse a URL newsdesk must not fetch.

    Args:
        url: the URL about to be requested (also each redirect target).
        allow: entries from :func:`parse_allow_list`; a host named there, or resolving only
            to addresses inside an allowed address or range, is let through.

    Raises:
        HostNotFoundError: the host does not resolve (a SourceError).
        SourceError: the scheme is not http or https, the URL has no host, or an address
            it resolves to is loopback, private, link-local, reserved, multicast or
            unspecified (and not allowed).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise SourceError(f"refusing {url}: {error}; check the URL") from None
    if parts.scheme.lower() not in _SCHEMES:
        raise SourceError(f"refusing {url}: only http and https URLs are fetched; check the URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise SourceError(f"refusing {url}: the URL has no host; check the URL")
    hosts, networks = _split_allow(tuple(allow))
    if host in hosts:
        return
    for address in _resolve(url, host, port):
        _check_ip(url, address, networks)


def check_address(url: str, address: str, allow: Sequence[str] = ()) -> None:
    """Refuse a connection the fetcher made to a non-public address.

    Args:
        url: the URL requested (for the message, and its host for the allow list).
        address: the peer address of the connection.
        allow: entries from :func:`parse_allow_list`.

    Raises:
        SourceError: the address is not public and neither it nor the host is allowed.
    """
    hosts, networks = _split_allow(tuple(allow))
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host in hosts:
        return
    _check_ip(url, _parse_ip(address.split("%", 1)[0]), networks)


def _check_ip(url: str, address: _IPAddress, networks: tuple[_IPNetwork, ...]) -> None:
    """Raise SourceError when the address is not public and not inside an allowed range."""
    if any(address in network for network in networks):
        return
    if _is_public(address):
        return
    raise SourceError(
        f"refusing {url}: it resolves to the non-public address {address}; {_ALLOW_HINT}"
    )


def _is_public(address: _IPAddress) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _resolve(url: str, host: str, port: int | None) -> list[_IPAddress]:
    """Every address the host resolves to (an address literal resolves to itself)."""
    try:
        return [_parse_ip(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise HostNotFoundError(
            f"cannot resolve the host of {url} ({error}); check the URL"
        ) from None
    addresses = [_parse_ip(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise HostNotFoundError(f"the host of {url} resolves to no address; check the URL")
    return addresses


def _parse_ip(text: str) -> _IPAddress:
    """An address from its text form; ValueError when it is not one."""
    return ipaddress.ip_address(text)


@lru_cache(maxsize=64)
def _split_allow(allow: tuple[str, ...]) -> tuple[frozenset[str], tuple[_IPNetwork, ...]]:
    """The allow list as (host names, networks); single addresses become /32 or /128."""
    hosts: set[str] = set()
    networks: list[_IPNetwork] = []
    for entry in parse_allow_list(",".join(allow)):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry)
    return frozenset(hosts), tuple(networks)
