"""hep.db: a first insert that may lose to a racer, without losing the transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from hep.db import Database, db, insert_first
from hep.models import NotificationSettings, PainEntry, Role
from tests.conftest import NOW, Cast


def test_a_row_whose_twin_was_committed_meanwhile_is_not_inserted_and_the_rest_stays(
    app: Flask, cast: Cast
):
    user = cast.user(Role.PATIENT)
    user.name = "Renamed in the same transaction"
    with Database.sessionmaker(app)() as racer:
        racer.add(NotificationSettings(user_id=user.id, daily_cap=3))
        racer.commit()
    assert insert_first(db.session, NotificationSettings(user_id=user.id, daily_cap=5)) is False
    assert db.session.get_one(NotificationSettings, user.id).daily_cap == 3
    db.session.commit()
    db.session.expire_all()
    assert user.name == "Renamed in the same transaction"


def test_a_new_row_is_inserted(app: Flask, cast: Cast):
    user = cast.user(Role.PATIENT)
    assert insert_first(db.session, NotificationSettings(user_id=user.id, daily_cap=5)) is True
    db.session.commit()
    assert db.session.get_one(NotificationSettings, user.id).daily_cap == 5


def test_any_other_broken_constraint_is_still_an_error(app: Flask):
    nobody = PainEntry(
        owner_id=uuid.uuid4(),
        local_date=dt.date(2026, 3, 1),
        score=3,
        regions="",
        note="",
        created_at=NOW,
        updated_at=NOW,
    )
    with pytest.raises(IntegrityError):
        insert_first(db.session, nobody)
