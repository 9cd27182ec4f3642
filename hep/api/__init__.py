"""The JSON API under /api: one flask-smorest Api, its blueprints listed once, the docs UI."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import marshmallow as ma
import swagger_ui_bundle
from flask import Flask, Response, abort, g, jsonify, request, send_from_directory
from flask_smorest import Api
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from hep import snapshots
from hep.api.access import enforce_access, load_principal
from hep.api.changes import ChangesPlugin
from hep.api.fields import HttpsUrl, PathInteger
from hep.api.sentences import explain, status_sentence
from hep.assets import SWAGGER_UI_VERSION
from hep.clock import utcnow
from hep.errors import CHECK_FIELDS
from hep.metrics import meters
from hep.translations import Text
from hep.web import check_upload, error_body, log_failure

log = logging.getLogger(__name__)


# (`fields` here would be the submodule hep.api.fields, hence marshmallow's by its package)
class ErrorOut(ma.Schema):
    """The one error envelope (see hep.web.error_body)."""

    code = ma.fields.Integer()
    status = ma.fields.String()
    message = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "field name -> messages"})
    request_id = ma.fields.String()


class HepApi(Api):
    ERROR_SCHEMA = ErrorOut


api = HepApi(spec_kwargs={"extra_plugins": [ChangesPlugin()]})
api.register_field(HttpsUrl, "string", "uri")


def _blueprints() -> list[Any]:
    from hep.api.admin.routes import blp as admin
    from hep.api.attention.routes import blp as attention
    from hep.api.audit.routes import blp as audit
    from hep.api.auth.routes import blp as auth
    from hep.api.calendar.routes import blp as calendar
    from hep.api.care_rules.routes import blp as care_rules
    from hep.api.care_team.routes import blp as care_team
    from hep.api.checkins.routes import blp as checkins
    from hep.api.clinic_invites.routes import blp as clinic_invites
    from hep.api.clinics.routes import blp as clinics
    from hep.api.discharges.routes import blp as discharges
    from hep.api.email.routes import blp as email
    from hep.api.exercises.routes import blp as exercises
    from hep.api.habits.routes import blp as habits
    from hep.api.handouts.routes import blp as handouts
    from hep.api.invites.routes import blp as invites
    from hep.api.link_requests.routes import blp as link_requests
    from hep.api.me.routes import blp as me
    from hep.api.measures.routes import blp as measures
    from hep.api.media.routes import blp as media
    from hep.api.messages.routes import blp as messages
    from hep.api.notifications.routes import blp as notifications
    from hep.api.patient_imports.routes import blp as patient_imports
    from hep.api.patients.routes import blp as patients
    from hep.api.pauses.routes import blp as pauses
    from hep.api.portable.routes import blp as portable
    from hep.api.programs.routes import blp as programs
    from hep.api.progress.routes import blp as progress
    from hep.api.prompts.routes import blp as prompts
    from hep.api.proposals.routes import blp as proposals
    from hep.api.push.routes import blp as push
    from hep.api.questionnaires.routes import blp as questionnaires
    from hep.api.reminders.routes import blp as reminders
    from hep.api.sign_in_links.routes import blp as sign_in_links
    from hep.api.summaries.routes import blp as summaries
    from hep.api.templates.routes import blp as templates
    from hep.api.weekly_reviews.routes import blp as weekly_reviews

    return [
        auth,
        me,
        patients,
        care_team,
        link_requests,
        discharges,
        invites,
        sign_in_links,
        email,
        clinics,
        clinic_invites,
        patient_imports,
        admin,
        audit,
        exercises,
        programs,
        handouts,
        calendar,
        media,
        templates,
        portable,
        habits,
        checkins,
        progress,
        pauses,
        attention,
        care_rules,
        proposals,
        reminders,
        push,
        notifications,
        prompts,
        weekly_reviews,
        questionnaires,
        measures,
        messages,
        summaries,
    ]


def init_api(app: Flask) -> None:
    app.config.update(
        API_TITLE="hep",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Home exercise programs, habits, check-ins and reminders. "
                "Browsers authenticate with the session cookie (writes need the X-HEP-CSRF: 1 "
                "header); API clients get a bearer token from POST /api/auth/tokens.",
            },
            "security": [{"cookieAuth": []}, {"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "hep_session"},
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                }
            },
        },
    )
    app.url_map.converters["int"] = PathInteger
    api.init_app(app)
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)

    @app.before_request
    def _count_writes() -> None:
        session = g.get("hep_session")  # only an app context outliving requests has one here
        if session is not None:
            snapshots.forget_written(session)

    @app.before_request
    def _principal() -> None:
        # the caller is known and allowed before flask-smorest parses path, query or body
        if request.path.startswith("/api/"):
            load_principal()
            enforce_access()
            check_upload()

    @app.after_request
    def _refresh_figures(response: Response) -> Response:
        # after the route committed: figures the write moved are fresh for the next reader
        session = g.get("hep_session")
        if session is not None:
            started = time.perf_counter()
            try:
                if snapshots.refresh_written(session, utcnow()):
                    seconds = time.perf_counter() - started
                    meters.snapshot_refresh_seconds.labels("request").observe(seconds)
            except SQLAlchemyError as exc:
                log_failure("refreshing adherence snapshots after a write failed", exc)
                session.rollback()
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int, list[tuple[str, str]]]:
        data = getattr(exc, "data", None) or {}
        errors = data.get("messages") or data.get("errors")
        # webargs nests messages by location; clients want the fields
        if isinstance(errors, dict) and set(errors) <= {
            "json",
            "query",
            "path",
            "headers",
            "multipart",
        }:
            flat: dict[str, Any] = {}
            for location, part in errors.items():
                if isinstance(part, dict):
                    flat.update(part)
                else:
                    flat[location] = part
            errors = flat
        status = exc.code or 500
        if errors:
            errors = explain(errors, data.get("schema"))
        message: str | Text
        if errors and status == 422:
            message = CHECK_FIELDS
        else:
            given = data.get("message") or exc.description
            message = status_sentence(status, given, type(exc).description)
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        headers += list((data.get("headers") or {}).items())
        return jsonify(error_body(status, message, errors)), status, headers

    swagger_root = Path(swagger_ui_bundle.swagger_ui_path)
    static_root = Path(app.static_folder or "static")

    @app.get("/api/docs")
    def api_docs() -> Response:
        # the page names the docs UI's files under its version, so browsers may keep them
        page = (static_root / "api-docs.html").read_text(encoding="utf-8")
        page = page.replace("/api/docs/assets/", f"/api/docs/assets/{SWAGGER_UI_VERSION}/")
        return Response(page, mimetype="text/html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/docs/assets/<version>/<path:name>")
    def api_docs_assets(version: str, name: str) -> Response:
        if version != SWAGGER_UI_VERSION:
            abort(404)
        return send_from_directory(swagger_root, name)

    from hep.api.health.routes import blp as health

    app.register_blueprint(health)
