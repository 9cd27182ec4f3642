"""Push endpoint policy against SSRF: https:443, allowlisted push-service hosts, public IPs."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yarl

DEFAULT_ALLOWED_HOSTS: tuple[str, ...] = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
    ".push.apple.com",
    ".notify.windows.com",
)
MAX_ENDPOINT_LENGTH = 2048
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})

Resolve = Callable[[str, int], Iterable[Sequence[Any]]]
"""getaddrinfo-shaped: `resolve(host, port)` -> [(family, type, proto, canonname, sockaddr)]."""

# RFC 3986 characters only: no spaces, controls, backslashes or non-ASCII that parsers disagree on.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_PARTS = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)"
)
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


class EndpointRejected(ValueError):
    """The endpoint is not one hep will send to. `temporary` marks a DNS failure (retry later)."""

    def __init__(self, reason: str, *, temporary: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary


def _is_hostname(name: str) -> bool:
    labels = name.split(".")
    return len(name) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


@dataclass(frozen=True)
class EndpointPolicy:
    """Where pushes may go. An entry matches its exact host; an entry starting with a dot
    (".push.apple.com") matches any subdomain of it, never a host that merely ends with the
    same characters. `allow_loopback` (tests/development only) additionally allows
    http(s)://127.0.0.1:PORT and http(s)://localhost:PORT resolving to loopback."""

    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    allow_loopback: bool = False

    def __post_init__(self) -> None:
        normalized = tuple(entry.strip().lower() for entry in self.allowed_hosts)
        for entry in normalized:
            name = entry[1:] if entry.startswith(".") else entry
            if not _is_hostname(name) or "." not in name or _looks_numeric(name):
                raise ValueError(f"push allowlist entry {entry!r} is not a host name")
        object.__setattr__(self, "allowed_hosts", normalized)

    def allows_host(self, host: str) -> bool:
        for entry in self.allowed_hosts:
            if entry.startswith("."):
                if host.endswith(entry) and len(host) > len(entry):
                    return True
            elif host == entry:
                return True
        return False


@dataclass(frozen=True)
class Endpoint:
    """A parsed endpoint that passed every check that needs no DNS."""

    url: str
    scheme: str
    host: str
    port: int
    loopback: bool
    parsed: yarl.URL = field(repr=False, compare=False)
    """The URL as aiohttp will use it: requests go to exactly what was checked."""

    @property
    def origin(self) -> str:
        """scheme://host[:port] — the VAPID `aud` and the unit of per-service limits."""
        default = 443 if self.scheme == "https" else 80
        suffix = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{self.host}{suffix}"


def _looks_numeric(host: str) -> bool:
    # WHATWG URL parsing treats a host whose last label is a number (decimal, octal, 0x-hex)
    # as an IPv4 address: "2130706433", "0177.0.0.1", "0x7f.1", "127.1" all mean 127.0.0.1.
    last = host.rstrip(".").rsplit(".", 1)[-1]
    return bool(_NUMERIC_LABEL.fullmatch(last))


def parse_endpoint(url: str, policy: EndpointPolicy) -> Endpoint:
    """Every check that needs no DNS; raises EndpointRejected with the reason."""
    if not isinstance(url, str) or not url:
        raise EndpointRejected("endpoint must be a non-empty string")
    if len(url) > MAX_ENDPOINT_LENGTH:
        raise EndpointRejected(f"endpoint longer than {MAX_ENDPOINT_LENGTH} characters")
    if not _URL_CHARS.fullmatch(url):
        raise EndpointRejected("endpoint contains characters outside RFC 3986")
    parts = _URL_PARTS.fullmatch(url)
    if parts is None:
        raise EndpointRejected("endpoint is not an absolute URL")
    scheme = parts["scheme"].lower()
    authority, rest = parts["authority"], parts["rest"]
    if "#" in url:
        raise EndpointRejected("endpoint must not have a fragment")
    if "@" in authority:
        raise EndpointRejected("endpoint must not contain user information")
    if "%" in authority:
        raise EndpointRejected("endpoint host must not be percent-encoded")
    if not rest.startswith("/"):
        raise EndpointRejected("endpoint must have a path")
    if authority.startswith("["):
        raise EndpointRejected("endpoint host must be a name, not an IP address")
    host, colon, port_text = authority.partition(":")
    host = host.lower()
    if colon and not (port_text.isdigit() and len(port_text) <= 5 and 0 < int(port_text) < 65536):
        raise EndpointRejected("endpoint port is invalid")
    if host == "":
        raise EndpointRejected("endpoint has no host")

    loopback = policy.allow_loopback and host in LOOPBACK_HOSTS
    if not loopback:
        if _looks_numeric(host) or ":" in host:
            raise EndpointRejected("endpoint host must be a name, not an IP address")
        if not _is_hostname(host):
            raise EndpointRejected("endpoint host is not a valid host name")
        if scheme != "https":
            raise EndpointRejected("endpoint must use https")
    elif scheme not in ("http", "https"):
        raise EndpointRejected("endpoint must use http or https")
    port = int(port_text) if colon else (443 if scheme == "https" else 80)
    if not loopback:
        if port != 443:
            raise EndpointRejected("endpoint must use port 443")
        if not policy.allows_host(host):
            raise EndpointRejected(f"host {host} is not an allowed push service")

    # Defence in depth: aiohttp connects to what yarl parses; it must be what we checked.
    try:
        parsed = yarl.URL(url)
    except ValueError:
        raise EndpointRejected("endpoint is not a valid URL") from None
    if (
        parsed.scheme != scheme
        or (parsed.host or "").lower() != host
        or parsed.port != port
        or parsed.user is not None
        or parsed.password is not None
        or parsed.fragment
    ):
        raise EndpointRejected("endpoint URL is ambiguous")
    return Endpoint(url=url, scheme=scheme, host=host, port=port, loopback=loopback, parsed=parsed)


def _unwrap(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (IPv4-mapped, NAT64, 6to4), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def _parse_address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        raise EndpointRejected("resolved address is not an IP address") from None
    return _unwrap(ip) or ip


def address_problem(address: str) -> str | None:
    """Why `address` is not a public unicast address (None if it is). IPv4 addresses inside
    IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged themselves."""
    ip = _parse_address(address)
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "shared (CGNAT)"
    if isinstance(ip, ipaddress.IPv6Address) and (ip.is_site_local or ip in _NAT64_LOCAL):
        return "site-local"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None


def check_addresses(endpoint: Endpoint, addresses: Iterable[str]) -> None:
    """Every address must be public (or loopback, for an allowed loopback endpoint)."""
    seen = False
    for address in addresses:
        seen = True
        if endpoint.loopback:
            if not _parse_address(address).is_loopback:
                raise EndpointRejected(f"{endpoint.host} must resolve to loopback only")
            continue
        problem = address_problem(address)
        if problem is not None:
            raise EndpointRejected(f"{endpoint.host} resolves to a {problem} address")
    if not seen:
        raise EndpointRejected(f"{endpoint.host} has no addresses", temporary=True)


def resolve_addresses(endpoint: Endpoint, resolve: Resolve) -> list[tuple[int, str]]:
    """(family, address) pairs for the endpoint's host; DNS errors are temporary rejections."""
    if endpoint.host == "127.0.0.1":
        return [(socket.AF_INET, "127.0.0.1")]
    try:
        infos = resolve(endpoint.host, endpoint.port)
    except (OSError, UnicodeError):
        raise EndpointRejected(f"cannot resolve {endpoint.host}", temporary=True) from None
    pairs: list[tuple[int, str]] = []
    for info in infos:
        pair = (int(info[0]), str(info[4][0]))
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def check_endpoint(
    url: str, policy: EndpointPolicy, resolve: Resolve = socket.getaddrinfo
) -> Endpoint:
    """Raise EndpointRejected unless hep may send to `url`; run at subscribe time and again
    before every send. Returns the parsed endpoint."""
    endpoint = parse_endpoint(url, policy)
    check_addresses(endpoint, (address for _, address in resolve_addresses(endpoint, resolve)))
    return endpoint
