"""The demo: a clinic's caseload in different states, in the order the list puts them, and
sign-ins shown again with a new password (the old one was never kept)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

from hep.caseload import patient_list
from hep.clock import utcnow
from hep.db import db
from hep.demo import load_demo, show_demo
from tests.conftest import Cast


def test_the_demo_caseload_shows_the_attention_order(app: Flask, cast: Cast):
    accounts = load_demo(db.session, hasher=app.extensions["hep_hasher"], now=utcnow())
    db.session.commit()
    rows = patient_list(db.session, accounts.therapist, utcnow(), offset=0, limit=50)
    reasons = {row["name"]: row["attention"] for row in rows}
    assert "not logging" in reasons["Nora Quiet"]
    assert "pain rising" in reasons["Raj Rising"]
    assert reasons["Nina New"] == ["not logging"]  # nothing logged yet
    assert reasons["Otto Steady"] == []
    order = [row["name"] for row in rows]
    assert order[0] == "Nora Quiet" and order[-1] == "Otto Steady"


def test_show_gives_every_demo_account_one_new_password(app: Flask, cast: Cast):
    hasher = app.extensions["hep_hasher"]
    made = load_demo(db.session, hasher=hasher, now=utcnow())
    db.session.commit()
    password, found = show_demo(db.session, hasher=hasher)
    db.session.commit()
    assert {u.email for u in found} == {
        made.therapist.email,
        made.patient.email,
        *(p.email for p, _ in made.caseload),
    }
    assert password != made.password
    assert all(hasher.verify(u.password_hash, password) for u in found)
    assert not hasher.verify(made.patient.password_hash, made.password)


def test_hep_demo_show_prints_the_sign_ins(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(HEP_INSTANCE_PATH=str(tmp_path), HEP_ARGON2_MEMORY_KIB="8192")
    hep = [sys.executable, "-m", "hep.cli"]
    subprocess.run([*hep, "init"], env=env, check=True, capture_output=True, timeout=120)
    none = subprocess.run([*hep, "demo", "--show"], env=env, capture_output=True, text=True)
    assert none.returncode == 1 and "hep demo" in none.stderr
    made = subprocess.run([*hep, "demo"], env=env, capture_output=True, text=True, check=True)
    assert "rising@demo.hep" in made.stdout and "pain rising" in made.stdout
    shown = subprocess.run(
        [*hep, "demo", "--show"], env=env, capture_output=True, text=True, check=True
    ).stdout
    lines = [line.split() for line in shown.splitlines()[1:]]
    assert {line[1] for line in lines} >= {"therapist@demo.hep", "patient@demo.hep"}
    assert len({line[2] for line in lines}) == 1  # one new password for all
