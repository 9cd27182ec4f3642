"""Simultaneous wrong passwords: the sign-in limits (5 per account, 5 per address here) hold
across workers; exactly that many attempts reach the password check (401), the rest get 429."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from hep.models import LoginFailure
from tests.concurrency.harness import Answer, Call, Server
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

ATTEMPTS = 24
LIMIT = 5  # tests/concurrency/conftest.py


def wrong_password(email: str, address: str) -> Call:
    body = {"email": email, "password": "not the password at all"}
    return Call("POST", "/api/auth/login", body, headers={"X-Forwarded-For": address})


def verdict(answers: list[Answer]) -> Counter[int]:
    for answer in answers:
        if answer.status == 429:
            assert int(answer.headers["Retry-After"]) > 0
    return Counter(a.status for a in answers)


def test_simultaneous_wrong_passwords_for_one_account_get_the_account_limit(server: Server):
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    server.sign_up(email=email)
    # each from its own address: only the account's limit applies
    answers = server.race([wrong_password(email, f"10.0.{i}.1") for i in range(ATTEMPTS)])
    assert verdict(answers) == {401: LIMIT, 429: ATTEMPTS - LIMIT}
    assert server.count(LoginFailure, LoginFailure.key.startswith("account:")) == LIMIT


def test_simultaneous_wrong_passwords_from_one_address_get_the_address_limit(server: Server):
    # each for another account: only the address's limit applies
    calls = [wrong_password(f"nobody{i}@example.org", "10.9.9.9") for i in range(ATTEMPTS)]
    answers = server.race(calls)
    assert verdict(answers) == {401: LIMIT, 429: ATTEMPTS - LIMIT}
    assert server.count(LoginFailure, LoginFailure.key == "address:10.9.9.9") == LIMIT


def test_a_right_password_after_simultaneous_failures_below_the_limit_signs_in(server: Server):
    email = f"{uuid.uuid4().hex[:12]}@example.org"
    server.sign_up(email=email)
    answers = server.race([wrong_password(email, f"10.1.{i}.1") for i in range(LIMIT - 1)])
    assert verdict(answers) == {401: LIMIT - 1}
    body = {"email": email, "password": PASSWORD}
    signed_in = server.call(Call("POST", "/api/auth/login", body))
    assert signed_in.status == 200, signed_in.body
    # a success clears the account's failures
    assert server.count(LoginFailure, LoginFailure.key.startswith("account:")) == 0
