"""The PWA can be installed (Chromium's own installability check), its service worker controls
the page, the shell starts offline, and /api/ answers never come from a cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import REPO, open_screen
from tests.e2e.conftest import World

pytestmark = pytest.mark.e2e


def wait_for_worker(page: Page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    # the first load is not controlled until the worker claims it (clients.claim)
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


def test_chromium_finds_nothing_stopping_installation(world: World, tmp_path: Path) -> None:
    page = world.page(world.profile(tmp_path))
    open_screen(page, "/sign-in", "Sign in")
    wait_for_worker(page)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    parsed = page.request.get("/manifest.webmanifest").json()
    assert parsed["display"] == "standalone"
    sizes = {icon["sizes"] for icon in parsed["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes


def test_the_shell_starts_offline_but_health_data_is_never_cached(world: World) -> None:
    therapist = world.therapist()
    patient = world.patient_of(therapist)
    context = world.context(patient)
    page = world.page(context)
    open_screen(page, "/today", "Today")
    wait_for_worker(page)
    # every shell file is cached once the worker is installed
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const urls = [];
            for (const name of names) {
                const cache = await caches.open(name);
                urls.push(...(await cache.keys()).map(r => new URL(r.url).pathname));
            }
            return urls;
        }"""
    )
    assert "/" in cached and "/static/js/app.js" in cached
    assert not [url for url in cached if url.startswith("/api/")]

    context.set_offline(True)
    page.evaluate("() => history.replaceState(null, '', '/#/progress')")
    page.reload()
    # the shell loads from the cache; a data screen with no kept copy says it needs a connection
    # (only the last Today is kept, in IndexedDB: see test_offline_sync)
    expect(page.locator("main h1")).to_have_text(re.compile("offline", re.I))
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    # back online, the app picks up by itself
    context.set_offline(False)
    expect(page.locator("main h1")).to_have_text("Progress")


def test_the_worker_precaches_every_file_of_the_app() -> None:
    """A module missing from the shell list breaks the offline start only when it is first
    imported, which is easy to miss by hand: compare the list with the files on disk."""
    sw = (REPO / "hep" / "static" / "sw.js").read_text(encoding="utf-8")
    listed = set(re.findall(r'"(/static/[^"]+)"', sw))
    static = REPO / "hep" / "static"
    on_disk = {
        "/static/" + str(p.relative_to(static)).replace("\\", "/")
        for p in static.rglob("*")
        if p.is_file() and p.suffix in {".js", ".css", ".png", ".svg", ".json"}
    }
    # the API docs page is not part of the app; the worker is served at /sw.js
    on_disk -= {"/static/js/api-docs.js", "/static/sw.js"}
    assert on_disk == listed, f"missing: {on_disk - listed}; stale: {listed - on_disk}"
    assert Path(static / "index.html").is_file()
