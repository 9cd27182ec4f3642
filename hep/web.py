"""Request edges: request ids, CSRF and content-type checks, security headers, error bodies,
and serving the PWA shell."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

from hep import assets
from hep.db import set_immediate
from hep.errors import HepError, Throttled
from hep.logs import describe
from hep.translations import Text, say, say_all

log = logging.getLogger("hep.web")

CSRF_HEADER = "X-HEP-CSRF"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles; its page alone allows them
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# a stored photo or video opened on its own: shown, never run (sandboxed, no scripts)
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox; frame-ancestors 'none'"

F = TypeVar("F", bound=Callable[..., Any])
_UPLOAD = "_hep_upload"


def upload(limit: str) -> Callable[[F], F]:
    """Mark a view that takes one multipart/form-data upload instead of JSON, with a body cap
    of its own: the config key `limit` (bytes), in place of the global MAX_CONTENT_LENGTH."""

    def decorate(view: F) -> F:
        setattr(view, _UPLOAD, limit)
        return view

    return decorate


def upload_limit() -> str | None:
    """The cap's config key if this request is for an upload view."""
    from hep.api.access import view_for

    return getattr(view_for(request.endpoint, request.method), _UPLOAD, None)


def _has_body() -> bool:
    return (request.content_length or 0) > 0 or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )


def check_upload() -> None:
    """Upload views take multipart/form-data only (415 for a body of another type; none at
    all is a missing file, 422); checked after the caller."""
    if upload_limit() is None or not _has_body():
        return
    if request.mimetype != "multipart/form-data":
        abort(415, description="Send the file as multipart/form-data.")


def error_body(status: int, message: str | Text, errors: object = None) -> dict[str, object]:
    """The one error envelope (flask-smorest's shape) plus the request id; its messages in
    the language of whoever asked."""
    body: dict[str, object] = {
        "code": status,
        "status": _reason(status),
        "message": say(message),
    }
    if errors:
        body["errors"] = say_all(errors)
    body["request_id"] = g.get("request_id", "")
    return body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def log_failure(what: str, exc: BaseException) -> None:
    """Log an error in this request by its id, method and route (the URL rule: no ids, no
    query string) and the exception's type and frames, never values (see describe)."""
    rule = request.url_rule.rule if request.url_rule is not None else "-"
    request_id = g.get("request_id", "-")
    log.error("%s (request %s, %s %s): %s", what, request_id, request.method, rule, describe(exc))


def www_authenticate() -> str:
    """The challenge of a 401 (RFC 6750): Bearer, which browsers never answer with a sign-in
    dialog of their own (Basic would make them), and `invalid_token` when one was sent."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return 'Bearer realm="hep", error="invalid_token"'
    return 'Bearer realm="hep"'


def _same_origin(origin: str) -> bool:
    return origin.rstrip("/") == request.host_url.rstrip("/")


def check_csrf() -> None:
    """Cookie-authenticated writes must come from our own pages: a same-origin fetch that sets
    our custom header (a cross-site form cannot). Bearer-token clients are not cookie-driven."""
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in {"same-origin", "none"}:
        abort(403, description="Cross-site request refused.")
    origin = request.headers.get("Origin")
    if origin is not None and not _same_origin(origin):
        abort(403, description="Cross-origin request refused.")
    # API clients trade credentials for a bearer token without a browser in the way
    if request.path == "/api/auth/tokens":
        return
    if request.headers.get(CSRF_HEADER) != "1":
        abort(403, description=f"Missing {CSRF_HEADER} header.")


def check_content_type() -> None:
    """JSON endpoints take JSON only: a body of another type is 415, not a confusing 422.
    Upload views get their own body cap here; their type is checked after the caller."""
    if request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
        return
    limit = upload_limit()
    if limit is not None:
        # the file and its few form fields; werkzeug answers 413 past this while reading
        request.max_content_length = current_app.config[limit] + 64 * 1024
        return
    if _has_body() and request.mimetype != "application/json":
        abort(415, description="Send the body as application/json.")


def init_app(app: Flask) -> None:
    assets.init_app(app)  # first: its compression must run after every other response hook
    static_root = Path(app.static_folder or "static")

    @app.before_request
    def _start() -> None:
        g.request_id = uuid.uuid4().hex
        # API requests read first and may write (ownership checks, access log, session expiry),
        # so on SQLite they take the write lock up front instead of failing to upgrade a read
        # lock under concurrency; PostgreSQL ignores this
        set_immediate(request.path.startswith("/api/"))
        check_content_type()
        check_csrf()

    @app.teardown_request
    def _end(_exc: BaseException | None) -> None:
        # the flag lives in the thread's context; a later non-request transaction starts deferred
        set_immediate(False)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers["X-Request-Id"] = g.get("request_id", "")
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if app.config["SECURE_COOKIES"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.status_code == 401:
            headers["WWW-Authenticate"] = www_authenticate()
        if request.path.startswith("/api/docs"):
            headers["Content-Security-Policy"] = DOCS_CSP
        elif request.path.startswith("/api/"):
            headers.setdefault("Content-Security-Policy", API_CSP)
            headers.setdefault("Cache-Control", "no-store")
        else:
            headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    @app.errorhandler(HepError)
    def _domain_error(exc: HepError) -> tuple[Response, int, dict[str, str]]:
        headers = {}
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        return jsonify(error_body(exc.status, exc.message, exc.errors)), exc.status, headers

    @app.errorhandler(RecursionError)
    def _too_deep(_exc: RecursionError) -> tuple[Response, int]:
        return jsonify(error_body(400, "The request body is nested too deeply.")), 400

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int] | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        log_failure("unhandled error", exc)
        body = error_body(
            500, "Something went wrong on our side. Quote the request id if you report it."
        )
        return jsonify(body), 500

    def _shell_file(name: str, mimetype: str | None = None) -> Response:
        if not (static_root / name).is_file():
            abort(404)
        return send_from_directory(static_root, name, mimetype=mimetype)

    @app.get("/")
    def index() -> Response:
        return _shell_file("index.html")

    @app.get("/sw.js")
    def service_worker() -> Response:
        response = _shell_file("sw.js", "text/javascript")
        # a service worker does not inherit the page's CSP; it carries its own
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["Service-Worker-Allowed"] = "/"
        return response

    @app.get("/manifest.webmanifest")
    def manifest() -> Response:
        return _shell_file("manifest.webmanifest", "application/manifest+json")
