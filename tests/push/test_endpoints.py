"""The push endpoint policy refuses every SSRF trick in checklist.md and allows real services."""

from __future__ import annotations

import socket
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hep.push.endpoints import (
    DEFAULT_ALLOWED_HOSTS,
    EndpointPolicy,
    EndpointRejected,
    address_problem,
    check_endpoint,
)

POLICY = EndpointPolicy()
LOOPBACK = EndpointPolicy(allow_loopback=True)
FCM = "https://fcm.googleapis.com/fcm/send/dZ3bV8dTNc0:APA91bGx_example-token"


class FakeDNS:
    """An injected resolver: answers from a table and records every lookup."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.lookups: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> Iterable[tuple[Any, ...]]:
        self.lookups.append((host, port))
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in self.addresses
        ]


def public_dns() -> FakeDNS:
    return FakeDNS("142.250.74.106", "2a00:1450:4001:82b::200a")


def rejected(url: str, policy: EndpointPolicy = POLICY, dns: FakeDNS | None = None) -> str:
    with pytest.raises(EndpointRejected) as info:
        check_endpoint(url, policy, resolve=dns or public_dns())
    return info.value.reason


# --- allowed ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        FCM,
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl-example",
        "https://push.services.mozilla.com/wpush/v1/gAAAAABl",
        "https://web.push.apple.com/QGuQyavXutnMqERJ-example",
        "https://api.push.apple.com/3/device/abc",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB%2fexample%3d",
        "https://FCM.GoogleApis.com/fcm/send/abc",
    ],
)
def test_it_allows_the_real_push_services(url: str) -> None:
    endpoint = check_endpoint(url, POLICY, resolve=public_dns())
    assert endpoint.scheme == "https" and endpoint.port == 443
    assert endpoint.origin == f"https://{endpoint.host}"


@pytest.mark.parametrize(
    "addresses",
    [
        ("8.8.8.8",),
        ("::ffff:8.8.8.8",),  # IPv4-mapped public address
        ("64:ff9b::808:808",),  # NAT64 of a public address
        ("2002:808:808::1",),  # 6to4 of a public address
        ("2606:4700::6810:84e5", "104.16.132.229"),
    ],
)
def test_it_allows_public_addresses_in_every_form(addresses: tuple[str, ...]) -> None:
    check_endpoint(FCM, POLICY, resolve=FakeDNS(*addresses))


def test_a_configured_allowlist_replaces_the_default() -> None:
    policy = EndpointPolicy(allowed_hosts=("push.example.org", ".push.example.net"))
    check_endpoint("https://push.example.org/x", policy, resolve=public_dns())
    check_endpoint("https://eu.push.example.net/x", policy, resolve=public_dns())
    assert "not an allowed" in rejected(FCM, policy)
    assert "not an allowed" in rejected("https://push.example.net/x", policy)


@pytest.mark.parametrize("entry", ["10.0.0.1", ".com", "com", "push .example", "", "*.apple.com"])
def test_allowlist_entries_must_be_host_names(entry: str) -> None:
    with pytest.raises(ValueError):
        EndpointPolicy(allowed_hosts=(entry,))


def test_default_allowlist_is_the_documented_one() -> None:
    assert "fcm.googleapis.com" in DEFAULT_ALLOWED_HOSTS
    assert ".push.apple.com" in DEFAULT_ALLOWED_HOSTS
    assert ".notify.windows.com" in DEFAULT_ALLOWED_HOSTS


# --- refused before any DNS lookup -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "https"),
        ("ftp://fcm.googleapis.com/fcm/send/abc", "https"),
        ("wss://fcm.googleapis.com/fcm/send/abc", "https"),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", "port 443"),
        ("https://fcm.googleapis.com:80/fcm/send/abc", "port 443"),
        ("https://fcm.googleapis.com:0443x/fcm/send/abc", "port"),
        ("https://fcm.googleapis.com:/fcm/send/abc", "port"),
        ("https://fcm.googleapis.com:99999/fcm/send/abc", "port"),
        ("https://user:pass@fcm.googleapis.com/fcm/send/abc", "user information"),
        ("https://fcm.googleapis.com@evil.example/fcm/send/abc", "user information"),
        ("https://@fcm.googleapis.com/x", "user information"),
        ("https://evil.example\\@fcm.googleapis.com/x", "RFC 3986"),
        ("https://evil.example#@fcm.googleapis.com/x", "fragment"),
        ("https://fcm.googleapis.com/fcm/send/abc#frag", "fragment"),
        ("https://fcm.googleapis.com.evil.example/fcm/send/abc", "not an allowed"),
        ("https://evilfcm.googleapis.com/fcm/send/abc", "not an allowed"),
        ("https://fcm-googleapis.com/fcm/send/abc", "not an allowed"),
        ("https://googleapis.com/fcm/send/abc", "not an allowed"),
        ("https://push.apple.com.evil.example/x", "not an allowed"),
        ("https://evilpush.apple.com/x", "not an allowed"),
        ("https://push.apple.com/x", "not an allowed"),  # ".push.apple.com": subdomains only
        ("https://evilnotify.windows.com/x", "not an allowed"),
        ("https://notify.windows.com.evil.example/x", "not an allowed"),
        ("https://fcm.googleapis.com./fcm/send/abc", "host name"),
        ("https://fcm%2egoogleapis.com/fcm/send/abc", "percent-encoded"),
        ("https://fcm.googleapis.com%00.evil.example/x", "percent-encoded"),
        ("https://fcm\uff0egoogleapis.com/x", "RFC 3986"),  # fullwidth dot (IDNA maps it to ".")
        ("https://xn--fcm-googleapis-xyz.com/x", "not an allowed"),
        (" https://fcm.googleapis.com/fcm/send/abc", "RFC 3986"),
        ("https://fcm.googleapis.com/fcm/send/abc\n", "RFC 3986"),
        ("https://fcm.googleapis.com/fcm/send/\x00", "RFC 3986"),
        ("https://fcm.googleapis.com\t/x", "RFC 3986"),
        ("https://fcm.googleapis.com", "path"),
        ("https://fcm.googleapis.com?x=1", "path"),
        ("https:///fcm.googleapis.com/x", "no host"),
        ("//fcm.googleapis.com/fcm/send/abc", "absolute"),
        ("fcm.googleapis.com/fcm/send/abc", "absolute"),
        ("javascript:alert(1)", "absolute"),
        ("file:///etc/passwd", "no host"),
        ("", "non-empty"),
        ("https://fcm.googleapis.com/" + "a" * 3000, "longer"),
    ],
)
def test_it_refuses_urls_that_are_not_plain_https_to_an_allowed_host(url: str, reason: str) -> None:
    dns = public_dns()
    assert reason in rejected(url, dns=dns)
    assert dns.lookups == []  # refused before any DNS lookup, so before any connection


IP_LITERALS = [
    "127.0.0.1",
    "2130706433",  # decimal 127.0.0.1
    "0177.0.0.1",  # octal
    "0x7f.1",  # hex, short
    "0x7f000001",
    "127.1",  # short form
    "127.0.1",
    "0",
    "0.0.0.0",
    "10.0.0.1",
    "169.254.169.254",  # cloud metadata
    "2852039166",  # decimal 169.254.169.254
    "0xa9.0xfe.0xa9.0xfe",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:a9fe:a9fe]",
    "[64:ff9b::a9fe:a9fe]",
    "[fd00:ec2::254]",  # AWS metadata over IPv6
    "[fe80::1%25eth0]",
    "fcm.googleapis.com.127.0.0.1",
    "1.2.3.4.5",
]


@pytest.mark.parametrize(
    ("host", "policy"),
    [(host, POLICY) for host in IP_LITERALS]
    # with allow_loopback, only the exact literal 127.0.0.1 is admitted
    + [(host, LOOPBACK) for host in IP_LITERALS if host != "127.0.0.1"],
)
def test_ip_literals_in_any_spelling_are_refused(host: str, policy: EndpointPolicy) -> None:
    dns = public_dns()
    for scheme in ("https", "http"):
        for port in ("", ":443", ":8080"):
            rejected(f"{scheme}://{host}{port}/notify/x", policy, dns)
    assert dns.lookups == []


# --- refused after resolving: the address must be public ------------------------------------


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.53.1.2", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1%eth0", "link-local"),
        ("fd00:ec2::254", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "CGNAT"),
        ("100.127.255.254", "CGNAT"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),
        ("255.255.255.255", "private"),
        ("192.0.2.1", "private"),  # documentation
        ("198.18.0.1", "private"),  # benchmarking
        ("2001:db8::1", "private"),
        ("fec0::1", "site-local"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of the metadata address
        ("64:ff9b::a00:1", "private"),
        ("64:ff9b:1::a00:1", "site-local"),  # local-use NAT64 prefix
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),
        ("2002:a00:1::1", "private"),
        ("::127.0.0.1", "reserved"),  # deprecated IPv4-compatible
        ("2001::1", "private"),  # Teredo
    ],
)
def test_an_allowed_host_resolving_to_a_non_public_address_is_refused(
    address: str, problem: str
) -> None:
    assert problem in (address_problem(address) or "")
    reason = rejected(FCM, dns=FakeDNS(address))
    assert reason.startswith("fcm.googleapis.com resolves to")


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    dns = FakeDNS("142.250.74.106", "10.0.0.7", "2a00:1450:4001:82b::200a")
    assert "private" in rejected(FCM, dns=dns)
    assert dns.lookups == [("fcm.googleapis.com", 443)]


def test_dns_failures_are_temporary_rejections() -> None:
    def failing(host: str, port: int) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(EndpointRejected) as info:
        check_endpoint(FCM, POLICY, resolve=failing)
    assert info.value.temporary
    with pytest.raises(EndpointRejected) as info:
        check_endpoint(FCM, POLICY, resolve=FakeDNS())
    assert info.value.temporary and "no addresses" in info.value.reason


def test_policy_rejections_are_not_temporary() -> None:
    with pytest.raises(EndpointRejected) as info:
        check_endpoint(FCM, POLICY, resolve=FakeDNS("10.0.0.1"))
    assert not info.value.temporary


# --- the test/development loopback allowance -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8090/notify/abc",
        "http://localhost:8090/notify/abc",
        "https://localhost:8443/notify/abc",
        "http://LOCALHOST:8090/notify/abc",
    ],
)
def test_allow_loopback_admits_a_local_push_service(url: str) -> None:
    endpoint = check_endpoint(url, LOOPBACK, resolve=FakeDNS("127.0.0.1", "::1"))
    assert endpoint.loopback
    assert endpoint.origin == url.rsplit("/", 2)[0].lower()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8090/notify/abc", "http://localhost:8090/notify/abc"],
)
def test_loopback_is_refused_without_the_setting(url: str) -> None:
    rejected(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.2:8090/notify/abc",
        "http://localhost.evil.example:8090/x",
        "http://evil.localhost:8090/x",
        "http://[::1]:8090/x",
        "http://user@localhost:8090/x",
        "http://localhost:8090/x#f",
        "ws://localhost:8090/x",
        "http://fcm.googleapis.com/fcm/send/abc",
    ],
)
def test_allow_loopback_allows_nothing_else_extra(url: str) -> None:
    rejected(url, LOOPBACK)


def test_localhost_must_resolve_to_loopback_only() -> None:
    reason = rejected("http://localhost:8090/x", LOOPBACK, FakeDNS("127.0.0.1", "10.0.0.5"))
    assert "loopback only" in reason


def test_allow_loopback_keeps_the_public_rules_for_other_hosts() -> None:
    check_endpoint(FCM, LOOPBACK, resolve=public_dns())
    rejected(FCM, LOOPBACK, FakeDNS("127.0.0.1"))


# --- whatever the input, the answer is an allowed endpoint or EndpointRejected ---------------

_HOSTS = st.sampled_from(
    ["fcm.googleapis.com", "a.push.apple.com", "127.0.0.1", "localhost", "0x7f.1", "[::1]", ""]
)
_URLS = st.one_of(
    st.text(max_size=80),
    st.builds(
        "{}://{}{}{}{}".format,
        st.sampled_from(["https", "http", "HTTPS", "ftp", ""]),
        st.sampled_from(["", "user@", "a:b@", "x@"]),
        _HOSTS,
        st.sampled_from(["", ":443", ":80", ":8090", ":", ":-1"]),
        st.text(alphabet="/?#@:%\\.ab\x00 \u0130", max_size=12),
    ),
)


@settings(max_examples=400, deadline=None)
@given(url=_URLS, loopback=st.booleans())
def test_any_input_gives_an_allowed_endpoint_or_a_rejection(url: str, loopback: bool) -> None:
    policy = LOOPBACK if loopback else POLICY
    try:
        endpoint = check_endpoint(url, policy, resolve=FakeDNS("127.0.0.1"))
    except EndpointRejected:
        return
    # Only a loopback endpoint can get past a loopback-only resolver.
    assert loopback and endpoint.loopback
    assert endpoint.host in ("localhost", "127.0.0.1")
    assert endpoint.scheme in ("http", "https")
