"""hep: home exercise programs and daily habits with reminders decided on the server."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from hep.config import finish_config, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web app. Configures only: no tables created, no scheduler, no network."""
    from hep.instance import init_instance_settings, instance_folder

    settings = load_config()
    settings.update(config or {})
    instance_path = instance_folder(settings)
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        static_folder=str(Path(__file__).resolve().parent / "static"),
        static_url_path="/static",
    )
    app.config.update(finish_config(settings, instance_path))
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    logging.getLogger("hep").setLevel(app.config["LOG_LEVEL"])
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from hep import illustrations, media, web
    from hep.api import init_api
    from hep.db import db
    from hep.metrics import exposition

    init_instance_settings(app)
    db.init_app(app)
    exposition.init_app(app)  # first: its clock starts before the other request hooks
    web.init_app(app)
    init_api(app)
    media.init_app(app)
    illustrations.init_app(app)
    from hep.mail.pages import blp as mail_pages

    app.register_blueprint(mail_pages)
    return app
