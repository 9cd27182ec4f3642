"""Files the browser loads: compressed answers (brotli, gzip) and how long it may keep them."""

from __future__ import annotations

from importlib.metadata import version

from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()

SWAGGER_UI_VERSION = version("swagger-ui-bundle")
"""The docs UI's files are served under this version, so each URL names one content."""

REVALIDATE = "no-cache"
# The PWA's modules import each other by plain relative paths (no build step, so no hashed
# names): a kept copy must never outlive a release. Browsers revalidate each (a 304 while it
# is unchanged) and the service worker holds the shell for offline starts; icons change
# rarely and a stale one for a day is harmless; the docs UI's URLs carry its version.
ICONS = "public, max-age=86400"
VERSIONED = "public, max-age=31536000, immutable"

FILE_ENDPOINTS = ("static", "index", "service_worker", "manifest", "api_docs_assets")
"""Views answering with a file (a streamed body whose ETag flask-compress re-checks)."""


def cache_control(path: str) -> str:
    """How long a browser may keep the file at `path` without asking again."""
    if path.startswith("/static/icons/"):
        return ICONS
    if path.startswith(f"/api/docs/assets/{SWAGGER_UI_VERSION}/"):
        return VERSIONED
    return REVALIDATE


def init_app(app: Flask) -> None:
    """Call before any other response hook is registered: hooks run last-registered first,
    and compressing must come after every header is set."""
    app.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "gzip"],
        COMPRESS_MIN_SIZE=512,
        COMPRESS_STREAMING_ENDPOINT_CONDITIONAL=list(FILE_ENDPOINTS),
    )
    compress.init_app(app)

    @app.after_request
    def _keep(response: Response) -> Response:
        if request.endpoint in FILE_ENDPOINTS and response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache_control(request.path)
        return response
