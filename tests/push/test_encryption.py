"""Web-push encryption decrypts as a browser does it (http_ece, an independent RFC 8188/8291
implementation), under a new key and salt per message, and refuses keys no browser makes."""

from __future__ import annotations

import pytest

from hep.push.encryption import RECORD_SIZE, encrypt
from hep.push.keys import InvalidSubscription
from tests.push_service import BrowserSubscription

PAYLOAD = b'{"web_push":8030,"notification":{"title":"Time for your exercises"}}'


def test_a_browser_decrypts_what_it_is_sent():
    browser = BrowserSubscription.create()
    assert browser.decrypt(encrypt(PAYLOAD, browser.p256dh, browser.auth)) == PAYLOAD


def test_each_message_has_its_own_salt_and_key():
    browser = BrowserSubscription.create()
    first, second = (encrypt(PAYLOAD, browser.p256dh, browser.auth) for _ in range(2))
    # header: salt (16), record size (4), key length (1), our public key (65)
    assert first[:16] != second[:16] and first[21:86] != second[21:86]
    assert int.from_bytes(first[16:20], "big") == RECORD_SIZE and first[20] == 65


@pytest.mark.parametrize(
    ("p256dh", "auth", "field"),
    [
        ("AAAA", None, "p256dh"),  # not a point
        ("BA" + "A" * 85, None, "p256dh"),  # 65 bytes, not on the curve
        (None, "AAAA", "auth"),  # 3 bytes, not 16
        (None, "not base64!", "auth"),
    ],
)
def test_keys_no_browser_makes_are_refused(p256dh, auth, field):
    browser = BrowserSubscription.create()
    with pytest.raises(InvalidSubscription) as refused:
        encrypt(PAYLOAD, p256dh or browser.p256dh, auth or browser.auth)
    assert refused.value.field == field
