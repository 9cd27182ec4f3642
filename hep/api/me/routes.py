"""The signed-in user's own account, access log, export and deletion."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.accounts import update_profile
from hep.api.access import cookie_name, current_session, current_user, hasher, requires
from hep.api.me.rules import client_rules
from hep.api.me.schemas import AccessLogEntryOut, AccountDeletion, MeOut, Myself, ProfileChange
from hep.api.paging import PageArgs
from hep.care import access_log, check_password, delete_account, export_user
from hep.clock import utcnow
from hep.db import db
from hep.models import Role

blp = Blueprint("me", __name__, url_prefix="/api/me", description="Your own account")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeOut)
    @requires()
    def get(self) -> Any:
        """Who am I, and the rules my client follows (edit window, page size, field bounds)"""
        return Myself(current_user(), client_rules(current_app.config))

    @blp.arguments(ProfileChange)
    @blp.response(200, MeOut)
    @requires()
    def patch(self, changes: dict[str, str]) -> Any:
        """Change name, timezone or password (a new password ends your other sessions)"""
        user = update_profile(
            db.session,
            current_user(),
            changes=changes,
            current_session_id=current_session().id,
            hasher=hasher(),
            now=utcnow(),
        )
        db.session.commit()
        return Myself(user, client_rules(current_app.config))

    @blp.arguments(AccountDeletion)
    @blp.response(204)
    @requires()
    def delete(self, body: dict[str, str]) -> Response:
        """Delete your account and all its data; needs your password"""
        delete_account(
            db.session, current_user(), password=body["password"], hasher=hasher(), now=utcnow()
        )
        db.session.commit()
        response = Response(status=204)
        response.delete_cookie(cookie_name(), path="/", secure=current_app.config["SECURE_COOKIES"])
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@blp.route("/password-check")
class PasswordCheck(MethodView):
    @blp.arguments(AccountDeletion)
    @blp.response(204)
    @requires()
    def post(self, body: dict[str, str]) -> Response:
        """Check your password before a step that needs it (deleting your account): 204 when
        it is yours, 422 beside the field when not; nothing changes"""
        check_password(current_user(), body["password"], hasher())
        return Response(status=204)


@blp.route("/access-log")
class AccessLog(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AccessLogEntryOut(many=True))
    @requires(Role.PATIENT)
    def get(self, page: dict[str, int]) -> Any:
        """Who on your care team read your data, newest first; one person reading the same
        thing again within an hour is one entry with a count"""
        entries = access_log(
            db.session, current_user(), limit=page["page_size"], offset=page["offset"]
        )
        db.session.commit()  # keep the pending reads it spread
        return entries


@blp.route("/export")
class Export(MethodView):
    @blp.response(200, description="A hep-export JSON document")
    @requires()
    def get(self) -> Any:
        """Everything hep holds about you, as JSON"""
        document = export_user(db.session, current_user(), utcnow())
        db.session.commit()  # keep the pending reads it spread, and the export's audit entry
        return document
