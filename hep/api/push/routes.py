"""Web push: the VAPID public key, subscriptions, a test notification."""

from __future__ import annotations

import socket
import uuid
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from hep.api.access import current_user, public, requires
from hep.api.push.schemas import SubscriptionIn, SubscriptionOut, TestOut, VapidKeyOut
from hep.clock import utcnow
from hep.db import db
from hep.errors import HepError
from hep.languages import request_language
from hep.push.keys import load_vapid_keys
from hep.push.payload import test_payload, topic_for
from hep.push.sender import PushMessage, send_batch
from hep.push.subscriptions import policy_from_config, subscribe, subscriptions_of, unsubscribe
from hep.translations import _

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Web push")


class PushNotConfigured(HepError):
    status = 503


def _keys() -> Any:
    private = current_app.config["VAPID_PRIVATE_KEY"]
    if not private:
        raise PushNotConfigured(_("Push is not set up on this server (no VAPID key)."))
    return load_vapid_keys(private)


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    @public
    @blp.response(200, VapidKeyOut)
    def get(self) -> Any:
        """The key browsers subscribe with (applicationServerKey)"""
        return {"public_key": _keys().public_key}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.response(200, SubscriptionOut(many=True))
    @requires()
    def get(self) -> Any:
        """Your devices that get pushes"""
        return subscriptions_of(db.session, current_user().id)

    @blp.arguments(SubscriptionIn)
    @blp.response(200, SubscriptionOut, description="already registered: keys refreshed")
    @blp.alt_response(201, schema=SubscriptionOut, description="registered")
    @requires()
    def post(self, body: dict[str, Any]) -> Any:
        """Register this browser's push subscription"""
        row, created = subscribe(
            db.session,
            current_user(),
            endpoint=body["endpoint"],
            p256dh=body["keys"]["p256dh"],
            auth=body["keys"]["auth"],
            policy=policy_from_config(current_app.config),
            resolve=socket.getaddrinfo,
            now=utcnow(),
        )
        db.session.commit()
        return row, 201 if created else 200


@blp.route("/subscriptions/<uuid:subscription_id>")
class SubscriptionResource(MethodView):
    @blp.response(204)
    @requires()
    def delete(self, subscription_id: uuid.UUID) -> Response:
        """Stop pushes to one device"""
        unsubscribe(db.session, current_user(), subscription_id)
        db.session.commit()
        return Response(status=204)


@blp.route("/test")
class TestPush(MethodView):
    @blp.response(200, TestOut)
    @requires()
    def post(self) -> Any:
        """Send a test notification to all your devices now"""
        keys = _keys()
        test_id = uuid.uuid4().hex
        payload = test_payload(
            test_id=test_id,
            navigate_url=current_app.config["BASE_URL"].rstrip("/") + "/",
            language=request_language(),
        )
        topic = topic_for(f"test-{test_id}", keys.derived_secret(b"push topic"))
        messages = [
            PushMessage(
                key=str(s.id),
                endpoint=s.endpoint,
                p256dh=s.p256dh,
                auth=s.auth,
                payload=payload,
                ttl=300,
                urgency="high",
                topic=topic,
            )
            for s in subscriptions_of(db.session, current_user().id)
        ]
        results = (
            send_batch(
                messages,
                keys,
                subject=current_app.config["VAPID_SUBJECT"],
                policy=policy_from_config(current_app.config),
                timeout=10.0,
            )
            if messages
            else []
        )
        return {"sent": sum(r.ok for r in results), "failed": sum(not r.ok for r in results)}
