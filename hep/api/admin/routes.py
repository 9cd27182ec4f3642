"""Account administration: no health data here."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, hasher, requires
from hep.api.admin.schemas import AccountChange, AccountFilter, AccountOut, NewAccount
from hep.clock import utcnow
from hep.db import db
from hep.models import Role
from hep.roles import change_account, create_account, find_accounts

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Account administration")


@blp.route("/users")
class Accounts(MethodView):
    @blp.arguments(AccountFilter, location="query")
    @blp.response(200, AccountOut(many=True))
    @requires(Role.ADMIN)
    def get(self, args: dict[str, Any]) -> Any:
        """Accounts, oldest first: search by a part of the name or email, filter by role and
        state"""
        return find_accounts(
            db.session,
            text=args.get("q"),
            role=args.get("role"),
            active=args.get("active"),
            limit=args["page_size"],
            offset=args["offset"],
        )

    @blp.arguments(NewAccount)
    @blp.response(201, AccountOut)
    @requires(Role.ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Create an account (a therapist, with a clinic of their own, or another admin)"""
        user = create_account(db.session, current_user(), hasher=hasher(), now=utcnow(), **body)
        db.session.commit()
        return user


@blp.route("/users/<uuid:user_id>")
class Account(MethodView):
    @blp.arguments(AccountChange)
    @blp.response(200, AccountOut)
    @requires(Role.ADMIN)
    def patch(self, body: dict[str, Any], user_id: uuid.UUID) -> Any:
        """Disable or enable an account (disabling ends its sessions and stops its pushes), or
        change its role between therapist and admin"""
        user = change_account(
            db.session,
            current_user(),
            user_id,
            active=body.get("is_active"),
            role=body.get("role"),
            now=utcnow(),
        )
        db.session.commit()
        return user
