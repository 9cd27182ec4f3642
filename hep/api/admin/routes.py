"""Account administration: no health data here."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from hep.accounts import create_user, set_active
from hep.api.access import hasher, requires
from hep.api.admin.schemas import AccountChange, AccountOut, NewAccount
from hep.api.paging import PageArgs
from hep.clock import utcnow
from hep.db import db
from hep.errors import NotFound
from hep.models import Role, User

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Account administration")


@blp.route("/users")
class Accounts(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, AccountOut(many=True))
    @requires(Role.ADMIN)
    def get(self, page: dict[str, int]) -> Any:
        """All accounts"""
        return db.session.scalars(
            select(User)
            .order_by(User.created_at, User.id)
            .limit(page["page_size"])
            .offset(page["offset"])
        ).all()

    @blp.arguments(NewAccount)
    @blp.response(201, AccountOut)
    @requires(Role.ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Create an account (a therapist or another admin)"""
        user = create_user(db.session, hasher=hasher(), now=utcnow(), **body)
        db.session.commit()
        return user


@blp.route("/users/<uuid:user_id>")
class Account(MethodView):
    @blp.arguments(AccountChange)
    @blp.response(200, AccountOut)
    @requires(Role.ADMIN)
    def patch(self, body: dict[str, bool], user_id: uuid.UUID) -> Any:
        """Disable or enable an account; disabling ends its sessions and stops its pushes"""
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound()
        set_active(db.session, user, body["is_active"])
        db.session.commit()
        return user
