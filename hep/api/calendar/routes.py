"""The patient's calendar feed: make, replace, adjust or revoke its private address, and
the feed itself (public by that address alone, for calendar apps that cannot sign in)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, abort, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, public, requires
from hep.api.calendar.schemas import FeedArgs, FeedChange, FeedIn, FeedMade, FeedOut
from hep.calendars import events, feed_of, ics, new_feed, reader, revoke, set_details
from hep.clock import utcnow
from hep.db import db
from hep.models import CalendarFeed, Role

blp = Blueprint("calendar", __name__, url_prefix="/api", description="Calendar feed")


def _state(feed: CalendarFeed | None) -> dict[str, Any]:
    if feed is None:
        return {"active": False, "details": False, "created_at": None}
    return {"active": True, "details": feed.details, "created_at": feed.created_at}


def feed_url(token: str) -> str:
    # the token travels in the query string, which hep's and the proxy's logs leave out
    return f"{current_app.config['BASE_URL'].rstrip('/')}/api/calendar.ics?token={token}"


@blp.route("/me/calendar")
class MyCalendar(MethodView):
    @blp.response(200, FeedOut)
    @requires(Role.PATIENT)
    def get(self) -> Any:
        """Whether your calendar address works (the address itself is shown only when made)"""
        return _state(feed_of(db.session, current_user()))

    @blp.arguments(FeedIn, required=False)
    @blp.response(201, FeedMade)
    @requires(Role.PATIENT)
    def post(self, body: dict[str, bool]) -> Any:
        """Make your calendar's private address, or a new one: the old one stops working"""
        user = current_user()
        token = new_feed(db.session, user, details=body["details"], now=utcnow())
        db.session.commit()
        url = feed_url(token)
        webcal = "webcal" + url[url.index(":") :]
        return {**_state(feed_of(db.session, user)), "url": url, "webcal_url": webcal}

    @blp.arguments(FeedChange)
    @blp.response(200, FeedOut)
    @requires(Role.PATIENT)
    def patch(self, body: dict[str, bool]) -> Any:
        """Let events name what they are about, or keep generic titles (the address stays)"""
        feed = set_details(db.session, current_user(), body["details"])
        db.session.commit()
        return _state(feed)

    @blp.response(204)
    @requires(Role.PATIENT)
    def delete(self) -> Response:
        """Revoke your calendar address: calendars subscribed to it get nothing more"""
        revoke(db.session, current_user())
        db.session.commit()
        return Response(status=204)


@blp.route("/calendar.ics")
class CalendarFeedDocument(MethodView):
    @blp.arguments(FeedArgs, location="query")
    @blp.doc(
        responses={
            200: {
                "description": "Your plan as iCalendar (RFC 5545): sessions and habit checks "
                "from a week ago to eight weeks ahead, in your time zone",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            },
            304: {"description": "Unchanged since the ETag sent in If-None-Match"},
            404: {"description": "No such address (never made, replaced or revoked)"},
        }
    )
    @public
    def get(self, args: dict[str, str]) -> Response:
        """Your plan for calendar apps, by the private address alone (no sign-in)"""
        found = reader(db.session, args["token"])
        if found is None:
            abort(404)
        user, feed = found
        base = current_app.config["BASE_URL"]
        document = ics(events(db.session, user, feed.details, utcnow()), user, base_url=base)
        response = Response(document, mimetype="text/calendar")
        response.headers["Content-Disposition"] = 'inline; filename="hep.ics"'
        # pollers ask again often: they revalidate, and an unchanged plan costs a 304
        response.headers["Cache-Control"] = "private, no-cache"
        response.set_etag(hashlib.sha256(document).hexdigest()[:32])
        response.make_conditional(request)
        return response
