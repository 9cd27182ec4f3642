"""What the browser tests do on a screen: open it, check it with axe-core, photograph it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # passing toasts would cover the screen in the picture
    page.evaluate("() => document.getElementById('toasts')?.replaceChildren()")
    y = page.evaluate("() => window.scrollY")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # Chromium puts the scroll position back a little after a full-page capture; a click in
    # that moment lands where the element was. Restore it ourselves and let two frames pass.
    page.evaluate(
        """(y) => new Promise((done) => {
            window.scrollTo(0, y);
            requestAnimationFrame(() => requestAnimationFrame(done));
        })""",
        y,
    )


def serve_axe(context: Any) -> None:
    """The CSP forbids inline scripts, so axe-core is served from our own origin by a route."""
    source = AXE.read_text(encoding="utf-8")
    context.route(
        "**/static/__axe.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=source),
    )


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the current screen."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(url="/static/__axe.js")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Any, screen: str) -> None:
    found = axe_violations(page)
    assert not found, f"{screen}: " + json.dumps(found, indent=1)


def open_screen(page: Any, path: str, heading: str | None = None) -> None:
    """Go to a hash route and wait until its heading is there (and the loading text gone)."""
    page.goto(f"/#{path}")
    page.wait_for_selector("main h1")
    if heading is not None:
        try:
            page.wait_for_function(
                "(text) => document.querySelector('main h1')?.textContent.includes(text)",
                arg=heading,
            )
        except Exception as error:
            shown = page.evaluate("() => document.querySelector('main')?.innerText")
            raise AssertionError(
                f"{path}: wanted {heading!r}, the screen shows {shown!r}"
            ) from error


PHONE = {"width": 360, "height": 780}
DESK = {"width": 1280, "height": 900}


def both_sizes(page: Any, name: str) -> None:
    """Check the screen with axe and photograph it at phone and desktop width (nothing may
    push the page sideways on the phone), then give the page its size back."""
    was = page.viewport_size
    for label, size in (("phone", PHONE), ("desk", DESK)):
        page.set_viewport_size(size)
        assert_accessible(page, f"{name} ({label})")
        if label == "phone":
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name}: {width} px wide on a phone"
        screenshot(page, f"{name}-{label}")
    if was:
        page.set_viewport_size(was)


def confirm(page: Any, button: str) -> None:
    """Answer the app's confirmation dialog with one of its buttons."""
    page.get_by_role("dialog").get_by_role("button", name=button).click()
