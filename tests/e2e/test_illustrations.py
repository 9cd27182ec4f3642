"""Every built-in exercise's picture drawn by Chromium at phone size: saved for a person to
look at (test-artifacts/illustrations/), and the moving ones really move."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hep.library import builtin_exercises
from tests.e2e.conftest import HepServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "illustrations"
pytestmark = pytest.mark.e2e


def _page(browser: Any, server: HepServer, **options: Any) -> Any:
    context = browser.new_context(
        base_url=server.base, viewport={"width": 360, "height": 320}, **options
    )
    return context, context.new_page()


def test_every_illustration_renders_at_phone_size(browser: Any, server: HepServer):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(browser, server, reduced_motion="reduce")
    try:
        for exercise in builtin_exercises():
            slug = exercise["slug"]
            page.goto(f"/illustrations/{slug}.svg?still=1")
            # a head and the limbs, each drawn at a size a person can see
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('path, circle')].filter((e) => {
                    const b = e.getBoundingClientRect();
                    return b.width + b.height > 8 && b.right > 0 && b.left < 360;
                }).length"""
            )
            assert drawn >= 6, f"{slug} draws next to nothing ({drawn} parts)"
            page.screenshot(path=str(ARTIFACTS / f"{slug}.png"))
    finally:
        context.close()


def test_a_moving_illustration_moves(browser: Any, server: HepServer):
    context, page = _page(browser, server)
    try:
        page.goto("/illustrations/sit-to-stand.svg")
        page.wait_for_timeout(300)
        first = page.screenshot()
        page.wait_for_timeout(1800)
        assert page.screenshot() != first
    finally:
        context.close()
