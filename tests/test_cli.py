"""The `hep` command: `hep run --demo` sets up, prints sign-ins, and serves web + scheduler."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_concurrency import free_port


@pytest.mark.slow
def test_hep_run_with_demo_serves_the_app_and_the_demo_sign_in_works(tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(HEP_INSTANCE_PATH=str(tmp_path / "instance"), HEP_ARGON2_MEMORY_KIB="8192")
    process = subprocess.Popen(
        [sys.executable, "-m", "hep.cli", "run", "--demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    output = ""
    try:
        deadline = time.monotonic() + 60
        while "hep is running" not in output and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
        assert "hep is running" in output, output
        match = re.search(r"patient\s+(\S+)\s+(\S+)", output)
        assert match, output
        email, password = match.groups()
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(
            base + "/api/auth/tokens",
            data=json.dumps({"email": email, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
        assert (tmp_path / "instance" / "vapid_private.pem").exists()
        assert (tmp_path / "instance" / "hep.sqlite3").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_vapid_public_key_is_printed_and_the_private_key_is_not(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env["HEP_INSTANCE_PATH"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "hep.cli", "vapid", "generate"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    key = out.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{87}", key)
    assert "PRIVATE" not in out
    assert oct((tmp_path / "vapid_private.pem").stat().st_mode)[-3:] == "600"


def test_demo_data_loads_twice_without_duplicates(app, cast):
    from sqlalchemy import func, select

    from hep.clock import utcnow
    from hep.db import db
    from hep.demo import load_demo
    from hep.models import CheckIn, Habit, Program, User

    for _ in range(2):
        accounts = load_demo(db.session, hasher=app.extensions["hep_hasher"], now=utcnow())
        db.session.commit()
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Program, Habit)
    ]
    assert counts == [2, 1, 3]
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) > 10
    assert accounts.password.startswith("demo-")
