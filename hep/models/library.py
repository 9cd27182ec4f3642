"""The exercise library: built-in exercises (by slug, read-only) and therapists' own."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, Integer, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from hep.db import Base, UTCDateTime, new_id

REGIONS = ("neck", "upper_back", "shoulders", "chest", "low_back", "hips_glutes", "legs", "feet")
CATEGORIES = (
    "self_release",
    "stretch",
    "mobility",
    "strengthening",
    "posture",
    "breathing_relaxation",
)
EQUIPMENT = (
    "massage_ball",
    "foam_roller",
    "resistance_band",
    "wall",
    "chair",
    "towel",
    "doorway",
    "mat",
    "dumbbell",
    "step",
)
SIDES = ("both", "each", "left", "right")


def tag_string(values: list[str] | tuple[str, ...]) -> str:
    """Tags stored as ',a,b,' so one LIKE '%,a,%' filters on every engine."""
    return "," + ",".join(values) + "," if values else ""


def tag_list(stored: str) -> list[str]:
    return [v for v in stored.split(",") if v]


class Exercise(Base):
    __tablename__ = "exercises"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)  # built-ins only
    # null for built-ins, and for a therapist's own exercise that outlived their account
    # because a program uses it or it is shared with a clinic (hep.library.release_exercises)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    regions: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    equipment: Mapped[str] = mapped_column(String(200), default="")
    sets: Mapped[int] = mapped_column(Integer, default=1)
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    rest_seconds: Mapped[int | None] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8), default="both")
    times_per_day: Mapped[int] = mapped_column(Integer, default=1)
    instructions: Mapped[list[str]] = mapped_column(JSON, default=list)
    cautions: Mapped[list[str]] = mapped_column(JSON, default=list)
    media_url: Mapped[str | None] = mapped_column(Text)
    # shared with this clinic's members (null: private to the owner)
    clinic_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("clinics.id", ondelete="SET NULL")
    )
    # kept for the programs that use it, hidden from search and from new prescriptions
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    # GET /api/exercises: built-ins plus the caller's own, filtered by category
    __table_args__ = (
        Index("ix_exercises_owner_id_category", "owner_id", "category"),
        # a clinic's shared library
        Index("ix_exercises_clinic_id", "clinic_id"),
    )

    @hybrid_property
    def built_in(self) -> bool:
        """Seeded from hep's library (read-only, in everyone's library)."""
        return self.slug is not None

    @built_in.inplace.expression
    @classmethod
    def _built_in_expression(cls) -> ColumnElement[bool]:
        return cls.slug.is_not(None)
