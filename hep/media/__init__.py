"""Therapists' photos and videos: storage, cleaning uploads, attaching them, and the sweep."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, current_app, request

from hep.media.content import Limits, find_ffmpeg
from hep.media.storage import Storage, media_root, storage_for

log = logging.getLogger(__name__)


def root(app: Flask) -> Path | None:
    """The folder uploads live in (what a backup must copy), or None in object storage."""
    return media_root(app.config, app.instance_path)


def storage() -> Storage:
    found: Storage = current_app.extensions["hep_media"]
    return found


def limits() -> Limits:
    config = current_app.config
    return Limits(
        image_bytes=config["MEDIA_MAX_IMAGE_BYTES"],
        video_bytes=config["MEDIA_MAX_BYTES"],
        pixels=config["MEDIA_MAX_PIXELS"],
        ffmpeg=current_app.extensions["hep_ffmpeg"],
    )


def sweep_now(app: Flask) -> int:
    """Remove what deleted exercises, programs, accounts and uploads left behind (in an app
    context); how many uploads went."""
    from hep.clock import utcnow
    from hep.db import db
    from hep.media.attachments import SWEEP_BATCH, sweep

    total = 0
    while True:
        gone = sweep(db.session, app.extensions["hep_media"], utcnow())
        db.session.commit()
        total += gone
        if gone < SWEEP_BATCH:
            return total


def init_app(app: Flask) -> None:
    app.extensions["hep_media"] = storage_for(app.config, app.instance_path)
    app.extensions["hep_ffmpeg"] = find_ffmpeg(app.config["MEDIA_FFMPEG"])

    @app.after_request
    def _sweep(response: Response) -> Response:
        # a deletion that went through (an upload, an exercise, an account) frees its files
        # at once; the scheduler's housekeeping catches anything else
        if request.method == "DELETE" and response.status_code < 300:
            try:
                sweep_now(app)
            except Exception as exc:  # storage errors are not one family (OSError, botocore)
                from hep.db import db
                from hep.web import log_failure

                log_failure("removing the files of deleted media failed", exc)
                db.session.rollback()
        return response
