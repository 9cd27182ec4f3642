"""Password rules and hashing (argon2id, memory-hard)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1024
# zxcvbn's estimate below this many guesses means "one of the very common passwords"
_MIN_GUESSES = 10_000


def password_problem(password: str, *, context: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused, or None. Length and commonness only: no composition rules."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    # the estimator is slow on long inputs; a long password is not a common one
    if len(password) <= 64:
        guesses = zxcvbn(password, user_inputs=[c for c in context if c])["guesses"]
        if float(guesses) < _MIN_GUESSES:
            return "This password is too common or easy to guess; pick a longer phrase."
    return None


class Hasher:
    """argon2id with configurable cost (tests use a cheap one)."""

    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._ph = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # verifying against this keeps unknown-email logins as slow as wrong-password ones
        self._dummy = self._ph.hash("not a real password, only for timing")

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._ph.verify(password_hash or self._dummy, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False
