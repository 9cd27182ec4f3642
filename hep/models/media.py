"""Therapists' photos and videos: on an exercise, or on one item of a patient's program."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

KINDS = ("image", "video")


class Media(Base):
    """One upload: the cleaned file and its thumbnail (a poster for a video) in media storage,
    under keys made from the id (hep.media.storage). It hangs off exactly one of an exercise
    or a program item (program + item_key, so it follows the item through versions); when that
    goes, the reference becomes null and hep.media.attachments.sweep removes file and row."""

    __tablename__ = "media"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    thumbnail_type: Mapped[str] = mapped_column(String(40))
    thumbnail_size: Mapped[int] = mapped_column(Integer)
    # a frame of the video, or a generic picture when ffmpeg was not there to take one
    poster: Mapped[str | None] = mapped_column(String(8))
    caption: Mapped[str] = mapped_column(String(200), default="")
    exercise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL")
    )
    program_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programs.id", ondelete="SET NULL")
    )
    item_key: Mapped[uuid.UUID | None] = mapped_column()
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # null until the files are in storage; a row left pending by a crash is swept
    stored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # an exercise's media, oldest first
        Index("ix_media_exercise_id", "exercise_id"),
        # a program's media by item
        Index("ix_media_program_id", "program_id"),
    )
