"""Tests that need an outside tool (PostgreSQL, Node, Chromium) skip loudly, or fail in CI."""

from __future__ import annotations

import os

import pytest

MISSING: set[str] = set()


def strict() -> bool:
    """HEP_TEST_STRICT=1 (set by .ci/run) turns every would-be skip into a failure."""
    return os.environ.get("HEP_TEST_STRICT") == "1"


def require_tool(name: str, available: bool, reason: str) -> None:
    if available:
        return
    message = f"{name} is not available: {reason}"
    if strict():
        pytest.fail(message + " (HEP_TEST_STRICT=1 forbids skipping)")
    MISSING.add(name)
    pytest.skip("MISSING TOOL — " + message)
