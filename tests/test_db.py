"""hep.db: a first insert that may lose to a racer, without losing the transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hep.db import Database, db, insert_first
from hep.models import PainEntry, Role
from tests.conftest import NOW, Cast

DAY = dt.date(2026, 3, 1)


def pain(owner_id: uuid.UUID, score: int) -> PainEntry:
    """A first-use row: one pain entry per person and day."""
    return PainEntry(
        owner_id=owner_id,
        local_date=DAY,
        score=score,
        regions="",
        note="",
        created_at=NOW,
        updated_at=NOW,
    )


def _score(owner_id: uuid.UUID) -> int | None:
    return db.session.scalar(
        select(PainEntry.score).where(PainEntry.owner_id == owner_id, PainEntry.local_date == DAY)
    )


def test_a_row_whose_twin_was_committed_meanwhile_is_not_inserted_and_the_rest_stays(
    app: Flask, cast: Cast
):
    user = cast.user(Role.PATIENT)
    user.name = "Renamed in the same transaction"
    with Database.sessionmaker(app)() as racer:
        racer.add(pain(user.id, 3))
        racer.commit()
    assert insert_first(db.session, pain(user.id, 5)) is False
    assert _score(user.id) == 3
    db.session.commit()
    db.session.expire_all()
    assert user.name == "Renamed in the same transaction"


def test_a_new_row_is_inserted(app: Flask, cast: Cast):
    user = cast.user(Role.PATIENT)
    assert insert_first(db.session, pain(user.id, 5)) is True
    db.session.commit()
    assert _score(user.id) == 5


def test_any_other_broken_constraint_is_still_an_error(app: Flask):
    nobody = pain(uuid.uuid4(), 3)
    with pytest.raises(IntegrityError):
        insert_first(db.session, nobody)
