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

from tests.push_service import free_port
from tests.test_production import readme_production


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
    assert counts == [6, 5, 3]  # a therapist, Pat Demo and the caseload of four
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) > 10
    assert accounts.password.startswith("demo-")


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(HEP_ARGON2_MEMORY_KIB="8192", **settings)
    return env


@pytest.mark.parametrize(
    ("name", "value", "command"),
    [
        ("HEP_LOG_LEVEL", "LOUD", "migrate"),
        ("HEP_DATABASE_URL", "postgres://hep:s3cret@db/hep", "init"),
        ("HEP_VAPID_PRIVATE_KEY", "garbage", "vapid public-key"),
        ("HEP_PUSH_ALLOWED_HOSTS", "localhost", "scheduler"),
    ],
)
def test_a_bad_setting_stops_a_command_with_its_name_and_no_traceback(
    tmp_path: Path, name: str, value: str, command: str
):
    done = subprocess.run(
        [sys.executable, "-m", "hep.cli", *command.split()],
        env=clean_env(HEP_INSTANCE_PATH=str(tmp_path), **{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert name in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "s3cret" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_a_database_that_cannot_be_reached_is_named_without_a_traceback(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "hep.cli", "migrate"],
        env=clean_env(
            HEP_INSTANCE_PATH=str(tmp_path),
            HEP_DATABASE_URL=f"postgresql+psycopg://hep@127.0.0.1:{free_port()}/hep",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "HEP_DATABASE_URL" in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("target", ["hep.wsgi:app", "hep:create_app()"])
def test_gunicorn_stops_at_a_bad_setting_with_its_name_and_no_traceback(
    tmp_path: Path, target: str
):
    # one worker: when several fail at once, gunicorn's master can meet a second failed exit
    # while it halts and print its own HaltServer traceback (a gunicorn limitation); README's
    # command checks the settings in the master (next test)
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", "127.0.0.1:0", target],
        env=clean_env(HEP_INSTANCE_PATH=str(tmp_path), HEP_LOG_LEVEL="LOUD"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # gunicorn's "App failed to load": the master stops instead of booting workers again
    assert done.returncode == 4, done.stderr
    assert "HEP_LOG_LEVEL" in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.slow
def test_the_readmes_gunicorn_stops_in_the_master_when_settings_do_not_fit(tmp_path: Path):
    _, commands = readme_production()
    (gunicorn,) = [argv for argv in commands if argv[0] == "gunicorn"]
    argv = [sys.executable, "-m", *gunicorn]
    argv[argv.index("--bind") + 1] = "127.0.0.1:0"
    done = subprocess.run(
        argv,
        # production without a database: refused by the settings' consistency checks
        env=clean_env(HEP_ENV="production", HEP_VAPID_SUBJECT="mailto:ops@example.org"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "HEP_DATABASE_URL" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "Booting worker" not in done.stderr


@pytest.mark.parametrize("command", ["init", "vapid generate"])
def test_production_prepares_a_new_instance_folder(tmp_path: Path, command: str):
    instance = tmp_path / "instance"
    done = subprocess.run(
        [sys.executable, "-m", "hep.cli", *command.split()],
        env=clean_env(
            HEP_ENV="production",
            HEP_INSTANCE_PATH=str(instance),
            HEP_DATABASE_URL=f"sqlite:///{tmp_path / 'hep.sqlite3'}",
            HEP_VAPID_SUBJECT="mailto:ops@example.org",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (instance / "vapid_private.pem").is_file()
    assert re.search(r"generated", done.stdout)
