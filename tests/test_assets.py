"""Files the browser loads: compressed with brotli or gzip as it accepts, the same bytes once
decoded, and kept as long as the caching rules say (the shell and the PWA's code revalidated)."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from flask.testing import FlaskClient

from hep.assets import SWAGGER_UI_VERSION
from tests.conftest import make_test_app

DOCS_ASSETS = f"/api/docs/assets/{SWAGGER_UI_VERSION}"
SHELL = ["/", "/sw.js", "/manifest.webmanifest"]
CODE = ["/static/js/app.js", "/static/js/views/today.js", "/static/css/app.css"]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """No request here reaches the database."""
    folder = tmp_path_factory.mktemp("assets")
    return make_test_app(f"sqlite:///{folder / 'hep.sqlite3'}", folder).test_client()


@pytest.mark.parametrize(
    "path", [*SHELL, *CODE, f"{DOCS_ASSETS}/swagger-ui-bundle.js", "/api/openapi.json"]
)
def test_brotli_and_gzip_answers_decode_to_the_same_bytes(client: FlaskClient, path: str):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for encoding, decode in DECODE.items():
        r = client.get(path, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
        assert r.headers["Content-Encoding"] == encoding
        assert decode(r.get_data()) == plain.get_data()
        assert len(r.get_data()) < len(plain.get_data()) / 2
        assert r.headers["Vary"] == "Accept-Encoding"


def test_brotli_is_chosen_when_a_browser_accepts_both(client: FlaskClient):
    r = client.get("/static/js/app.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert r.headers["Content-Encoding"] == "br"


@pytest.mark.parametrize("path", ["/static/icons/icon-192.png", "/api/health"])
def test_images_and_small_answers_stay_as_they_are_but_still_vary(client, path: str):
    r = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in r.headers
    assert r.headers["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize("path", [*SHELL, *CODE])
def test_the_shell_and_the_pwa_code_are_revalidated_on_every_use(client, path: str):
    first = client.get(path, headers={"Accept-Encoding": "br"})
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_icons_are_kept_a_day(client: FlaskClient):
    r = client.get("/static/icons/icon-192.png")
    assert r.headers["Cache-Control"] == "public, max-age=86400"


def test_the_docs_ui_files_are_versioned_and_kept_a_year(client: FlaskClient):
    docs = client.get("/api/docs")
    assert docs.headers["Cache-Control"] == "no-cache"  # it names the version in use
    page = docs.get_data(as_text=True)
    assert f'src="{DOCS_ASSETS}/swagger-ui-bundle.js"' in page
    assert f'href="{DOCS_ASSETS}/swagger-ui.css"' in page
    r = client.get(f"{DOCS_ASSETS}/swagger-ui.css")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/api/docs/assets/0.0.1/swagger-ui.css").status_code == 404


def test_api_answers_are_never_kept(client: FlaskClient):
    r = client.get("/api/openapi.json", headers={"Accept-Encoding": "br"})
    assert r.headers["Cache-Control"] == "no-store"


def test_every_file_the_worker_precaches_is_served_with_a_caching_rule(client: FlaskClient):
    sw = (Path(client.application.static_folder or "") / "sw.js").read_text(encoding="utf-8")
    shell = sw[sw.index("const SHELL = [") : sw.index("];")]
    for path in [line.strip().strip('",') for line in shell.splitlines()[1:] if line.strip()]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["Cache-Control"] in ("no-cache", "public, max-age=86400"), path
