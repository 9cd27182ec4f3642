"""Health data stays out of logs and pushes: errors are told by type, route and frames, never by
value; the access log leaves out query strings; the scheduler says what an operator needs and
stops quietly."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import IntegrityError

from hep import logs
from hep.cli import generate_private_key_pem
from hep.db import db, make_engine
from hep.migrate import upgrade
from hep.models import AccessLogEntry, Reminder
from hep.scheduler import _guarded
from tests.conftest import PASSWORD, make_test_app
from tests.push_service import BrowserSubscription, FakePushService, free_port

SECRET = "zq" + uuid.uuid4().hex[:10]
"""The canary: written into every free-text field, looked for in every log line and push."""


def canary(field: str) -> str:
    return f"{SECRET}-{field}"


# --- errors are told without values ------------------------------------------------------------


def _raise_chained() -> None:
    try:
        {}[canary("key")]
    except KeyError as exc:
        raise ValueError(canary("message")) from exc


def test_describe_names_types_and_frames_but_no_message():
    with pytest.raises(ValueError) as caught:
        _raise_chained()
    text_ = logs.describe(caught.value)
    assert SECRET not in text_
    assert "KeyError (message withheld)" in text_ and "which led to" in text_
    assert "ValueError (message withheld)" in text_
    assert f'File "{__file__}"' in text_ and "in _raise_chained" in text_


def test_the_formatter_withholds_messages_another_handler_rendered(caplog):
    record = logging.LogRecord("hep.x", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        _raise_chained()
    except ValueError:
        record.exc_info = sys.exc_info()
    logging.Formatter().format(record)  # caches the usual traceback, message and all
    assert SECRET in (record.exc_text or "")
    line = logs.ValueFreeFormatter(logs.FORMAT).format(record)
    assert "failed" in line and "ValueError (message withheld)" in line
    assert SECRET not in line


def test_json_lines_withhold_messages_and_carry_extra_fields():
    record = logging.LogRecord("hep.x", logging.ERROR, __file__, 1, "failed %s", ("once",), None)
    record.request_id = "r-1"
    try:
        _raise_chained()
    except ValueError:
        record.exc_info = sys.exc_info()
    logging.Formatter().format(record)  # caches the usual traceback, message and all
    line = logs.JsonValueFreeFormatter().format(record)
    assert SECRET not in line
    found = json.loads(line)
    assert (found["level"], found["name"], found["message"]) == ("ERROR", "hep.x", "failed once")
    assert found["request_id"] == "r-1"
    assert "ValueError (message withheld)" in found["exc_info"]


def test_a_database_error_carries_no_parameters(database_url: str):
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TEMPORARY TABLE canary_t (v VARCHAR(80) UNIQUE)"))
            conn.execute(text("INSERT INTO canary_t VALUES (:v)"), {"v": canary("unique")})
            with pytest.raises(IntegrityError) as caught:
                conn.execute(text("INSERT INTO canary_t VALUES (:v)"), {"v": canary("unique")})
        # (PostgreSQL's own message may quote the key: that is why logs never carry messages)
        assert "[parameters:" not in str(caught.value)
        assert "hidden" in str(caught.value)
    finally:
        engine.dispose()


def test_a_500_is_logged_with_request_id_route_and_type_only(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    app = make_test_app(database_url, tmp_path)

    @app.get("/api/test-boom/<int:number>")
    def boom(number: int) -> None:
        raise KeyError(canary("note"))

    with caplog.at_level(logging.ERROR, logger="hep"):
        r = app.test_client().get(f"/api/test-boom/7?q={canary('search')}")
    assert r.status_code == 500
    (record,) = [r for r in caplog.records if r.name.startswith("hep")]
    line = logging.Formatter(logs.FORMAT).format(record)  # any handler: the record holds no value
    assert SECRET not in line
    assert r.headers["X-Request-Id"] in line
    assert "GET /api/test-boom/<int:number>" in line and "KeyError (message withheld)" in line
    assert "in boom" in line  # the frames stay: operators need them


def test_a_failed_tick_is_logged_by_type_and_frames(app: Flask, caplog):
    def tick(_app: Flask, _now: dt.datetime) -> None:
        raise ValueError(canary("pain-note"))

    with caplog.at_level(logging.ERROR, logger="hep.scheduler"):
        _guarded(app, "canary", tick)()
    assert [r.getMessage().splitlines()[0] for r in caplog.records] == [
        "tick canary failed: ValueError (message withheld); most recent call last:"
    ]
    assert SECRET not in caplog.text


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    names = ("hep", *logs.QUIETER)
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in names}
    yield
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restored_logging")
@pytest.mark.parametrize(
    ("level", "hep_level", "apscheduler_level"),
    [("INFO", logging.INFO, logging.WARNING), ("error", logging.ERROR, logging.ERROR)],
)
def test_the_log_level_applies_and_apscheduler_job_lines_are_held_back(
    level: str, hep_level: int, apscheduler_level: int
):
    logs.configure(level)
    assert logging.getLogger().level == hep_level
    assert logging.getLogger("hep.dispatch").getEffectiveLevel() == hep_level
    assert logging.getLogger("apscheduler.executors.default").getEffectiveLevel() == (
        apscheduler_level
    )


# --- the canary through every process ----------------------------------------------------------


class Client:
    """One signed-in browser against the running server: cookies, JSON, the CSRF header."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", "X-HEP-CSRF": "1"},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        return status, json.loads(raw) if raw else None

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.call(method, path, body)
        assert status in (200, 201), (method, path, status, answer)
        return answer


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


LOG_FORMATS = {"sqlite": "text", "postgresql": "json"}
"""The canary runs with each log format, one per engine."""


def log_format(database_url: str) -> str:
    return LOG_FORMATS["sqlite" if database_url.startswith("sqlite") else "postgresql"]


def hep_env(database_url: str, instance: Path, vapid_key: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_ENV="testing",
        HEP_DATABASE_URL=database_url,
        HEP_INSTANCE_PATH=str(instance),
        HEP_VAPID_PRIVATE_KEY=vapid_key,
        HEP_PUSH_ALLOW_LOOPBACK="1",
        HEP_ARGON2_TIME_COST="1",
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_DISPATCH_PROCESSES="2",
        HEP_LOG_LEVEL="DEBUG",
        **extra,
    )
    return env


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    try:
        yield service
    finally:
        service.stop()


REFUSE = {
    # a database that breaks mid-request or mid-pass, naming values in its message as real
    # constraint errors do; on SQLite the values would be in the statement's parameters
    "postgresql": [
        """CREATE FUNCTION hep_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_TABLE_NAME = 'program_versions' THEN
            RAISE EXCEPTION 'refused %', NEW.notes;
          END IF;
          RAISE EXCEPTION 'refused %', (SELECT label FROM reminders WHERE id = NEW.reminder_id);
        END $$""",
        """CREATE TRIGGER hep_test_refuse_program BEFORE INSERT ON program_versions
        FOR EACH ROW WHEN (NEW.notes LIKE '%boom%') EXECUTE FUNCTION hep_test_refuse()""",
        """CREATE TRIGGER hep_test_refuse_occurrence BEFORE INSERT ON reminder_occurrences
        FOR EACH ROW EXECUTE FUNCTION hep_test_refuse()""",
    ],
    "sqlite": [
        """CREATE TRIGGER hep_test_refuse_program BEFORE INSERT ON program_versions
        WHEN NEW.notes LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'refused'); END""",
        """CREATE TRIGGER hep_test_refuse_occurrence BEFORE INSERT ON reminder_occurrences
        BEGIN SELECT RAISE(ABORT, 'refused'); END""",
    ],
}
ALLOW = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS hep_test_refuse_program ON program_versions",
        "DROP TRIGGER IF EXISTS hep_test_refuse_occurrence ON reminder_occurrences",
        "DROP FUNCTION IF EXISTS hep_test_refuse()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS hep_test_refuse_program",
        "DROP TRIGGER IF EXISTS hep_test_refuse_occurrence",
    ],
}


@pytest.fixture
def refusing_database(database_url: str) -> Iterator[Callable[[bool], None]]:
    """refuse(True) breaks program inserts with 'boom' in their notes and every occurrence
    insert; refuse(False) mends it (also after the test, whatever its outcome)."""
    engine = create_engine(database_url)
    kind = engine.dialect.name

    def refuse(on: bool) -> None:
        with engine.begin() as conn:
            for statement in ALLOW[kind]:
                conn.execute(text(statement))
            for statement in REFUSE[kind] if on else []:
                conn.execute(text(statement))

    try:
        yield refuse
    finally:
        refuse(False)
        engine.dispose()


GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:hep.gunicorn_config"]
"""How README starts the web process."""


@pytest.fixture
def web(database_url: str, tmp_path: Path, app: Flask) -> Iterator[tuple[str, Path, Path]]:
    """gunicorn as README starts it (access log on), with hep's settings; yields the base URL
    and the files its stdout and stderr go to."""
    port = free_port()
    out, err = tmp_path / "web.out", tmp_path / "web.err"
    env = hep_env(
        database_url,
        tmp_path / "instance",
        app.config["VAPID_PRIVATE_KEY"],
        HEP_LOG_FORMAT=log_format(database_url),
    )
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [*GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 30, "gunicorn to start")
        yield base, out, err
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/api/health", timeout=1)
    except OSError:
        return False
    return True


def run_hep(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hep.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines_with_secret(*texts: str) -> list[str]:
    return [line for text_ in texts for line in text_.splitlines() if SECRET in line]


@pytest.mark.slow
def test_no_free_text_reaches_a_log_line_or_a_push(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    web: tuple[str, Path, Path],
    push_service: FakePushService,
    refusing_database: Callable[[bool], None],
):
    base, web_out, web_err = web
    today = dt.datetime.now(dt.UTC).date()
    therapist = Client(base)
    therapist.ok(
        "POST",
        "/api/auth/signup/therapist",
        {"email": "t@example.org", "name": canary("therapist"), "password": PASSWORD},
    )
    invited = therapist.ok(
        "POST", "/api/patients", {"email": "p@example.org", "name": canary("patient")}
    )
    patient_id = invited["patient"]["id"]
    patient = Client(base)
    code = invited["invite"]["url"].rpartition("/")[2]
    patient.ok("POST", f"/api/invites/{code}/accept", {"password": PASSWORD})

    exercise = therapist.ok(
        "POST",
        "/api/exercises",
        {
            "name": canary("exercise"),
            "summary": canary("summary"),
            "regions": ["neck"],
            "category": "stretch",
            "instructions": [canary("instruction")],
            "cautions": [canary("caution")],
        },
    )
    item = {
        "exercise_id": exercise["id"],
        "notes": canary("item-notes"),
        "load_note": canary("load"),
    }
    program = therapist.ok(
        "POST",
        f"/api/patients/{patient_id}/programs",
        {
            "title": canary("program"),
            "notes": canary("program-notes"),
            "start_date": (today - dt.timedelta(days=1)).isoformat(),
            "items": [item],
        },
    )
    therapist.ok(
        "POST",
        "/api/templates",
        {"title": canary("template"), "notes": canary("template-notes"), "items": [item]},
    )
    habit = patient.ok(
        "POST", "/api/habits", {"kind": "custom", "name": canary("habit"), "unit": SECRET}
    )
    item_key = program["items"][0]["item_key"]
    patient.ok(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {
            "item_key": item_key,
            "local_date": today.isoformat(),
            "state": "done",
            "pain": 3,
            "note": canary("check-in"),
        },
    )
    patient.ok(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {
            "habit_id": habit["id"],
            "local_date": today.isoformat(),
            "state": "skipped",
            "skip_reason": "other",
            "note": canary("skip-reason"),
        },
    )
    patient.ok("PUT", f"/api/pain/{today.isoformat()}", {"score": 6, "note": canary("pain")})
    # pain-aware care: a pause, a program's and a clinic's words on high pain (told back to the
    # patient, never logged), an acknowledgement and a dismissed step
    planned = (today + dt.timedelta(days=10)).isoformat()  # nothing paused now
    patient.ok(
        "POST",
        "/api/pauses",
        {"mode": "away", "first_day": planned, "last_day": planned, "note": canary("pause")},
    )
    (own_clinic,) = therapist.ok("GET", "/api/clinics")
    therapist.ok(
        "PUT",
        f"/api/clinics/{own_clinic['id']}/care-rules",
        {"thresholds": {}, "pain_advice": canary("clinic-advice")},
    )
    stepped = therapist.ok(
        "POST",
        f"/api/patients/{patient_id}/programs",
        {
            "title": "Steps",
            "start_date": today.isoformat(),
            "pain_advice": canary("program-advice"),
            "items": [
                item
                | {
                    "keep_in_flare": True,
                    "minimum_dose": True,
                    "previous_step": {"reps": 2, "load_note": canary("step")},
                    "step_rules": {"regress_sessions": 1, "regress_window": 1},
                }
            ],
        },
    )
    said = patient.ok(
        "PUT",
        f"/api/check-ins/{uuid.uuid4()}",
        {
            "item_key": stepped["items"][0]["item_key"],
            "local_date": today.isoformat(),
            "state": "partial",
            "pain": 9,
        },
    )
    assert SECRET in said["guidance"]["advice"]
    (proposal,) = therapist.ok("GET", f"/api/patients/{patient_id}/proposals")
    therapist.ok("POST", f"/api/proposals/{proposal['id']}/dismiss", {"note": canary("dismiss")})
    therapist.ok(
        "POST",
        f"/api/patients/{patient_id}/acknowledgements",
        {"note": canary("acknowledgement")},
    )
    rule = {"type": "times", "times": ["23:59"]}
    patient.ok(
        "POST",
        "/api/reminders",
        {
            "target": {"kind": "program", "program_id": program["id"]},
            "label": canary("reminder"),
            "rule": rule,
            "skip_if_done": False,
        },
    )
    patient.ok(
        "POST",
        "/api/reminders",
        {
            "label": canary("paused"),
            "rule": rule,
            "paused_until": (today + dt.timedelta(days=3)).isoformat(),
            "pause_reason": canary("pause-reason"),
        },
    )
    browser = BrowserSubscription.create()
    patient.ok(
        "POST",
        "/api/push/subscriptions",
        {
            "endpoint": push_service.url("/push/patient"),
            "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
        },
    )
    assert patient.ok("POST", "/api/push/test") == {"sent": 1, "failed": 0}

    # between visits: a week looked back on, questionnaires answered, messages both ways
    sunday = today - dt.timedelta(days=today.isoweekday() % 7)
    patient.ok(
        "PUT",
        f"/api/weekly-reviews/{sunday.isoformat()}",
        {
            "sessions_done": 0,
            "habits_met": 0,
            "barriers": ["other"],
            "barrier_note": canary("barrier"),
            "confidence": 4,
        },
    )
    built = therapist.ok(
        "POST",
        "/api/questionnaires",
        {
            "title": canary("questionnaire"),
            "instructions": canary("instructions"),
            "questions": [
                {"type": "single", "text": canary("question"), "choices": [canary("a"), "b"]},
                {"type": "text", "text": "More?"},
            ],
        },
    )
    for body, answer in (
        ({"instrument": "psfs"}, {"activities": [{"name": canary("activity"), "score": 3}]}),
        (
            {"instrument": "custom", "questionnaire_id": built["id"]},
            {"answers": {"q1": 0, "q2": canary("answer")}},
        ),
    ):
        plan = therapist.ok(
            "POST", f"/api/patients/{patient_id}/measures", body | {"every_weeks": 2}
        )
        patient.ok("PUT", f"/api/measures/{plan['id']}/responses/{plan['due_on']}", answer)
    therapist.ok(
        "PUT", f"/api/patients/{patient_id}/messages/{uuid.uuid4()}", {"body": canary("message")}
    )
    patient.ok("PUT", f"/api/messages/{uuid.uuid4()}", {"body": canary("reply")})
    therapist.ok("GET", f"/api/patients/{patient_id}/summary")

    # reads with search text and dates in their query strings
    therapist.ok("GET", f"/api/exercises?q={canary('search')}")
    patient.ok("GET", f"/api/check-ins?start={today.isoformat()}&end={today.isoformat()}")
    therapist.ok("GET", f"/api/patients/{patient_id}/check-ins?start={today.isoformat()}")
    patient.ok("GET", "/api/me/export")

    patient.call("GET", f"/api/today?{canary('unknown')}=1")
    # validation errors and conflicts that name the values in their answers
    refused = [
        patient.call("POST", "/api/habits", {"kind": "custom", "name": canary("x") * 20}),
        patient.call("PATCH", "/api/me", {canary("field"): 1}),
        patient.call(
            "PUT",
            f"/api/check-ins/{uuid.uuid4()}",
            {
                "habit_id": habit["id"],
                "local_date": today.isoformat(),
                "state": canary("state"),
                "skip_reason": canary("reason"),
            },
        ),
        patient.call(
            "PUT",
            f"/api/check-ins/{uuid.uuid4()}",
            {
                "habit_id": habit["id"],
                "local_date": (today - dt.timedelta(days=60)).isoformat(),
                "state": "done",
                "note": canary("too-old"),
            },
        ),
        patient.call("POST", "/api/reminders", {"label": canary("bad"), "rule": {"type": "x"}}),
        patient.call("PUT", f"/api/messages/{uuid.uuid4()}", {"body": canary("long") * 200}),
        therapist.call(
            "POST",
            "/api/questionnaires",
            {"title": "Q", "questions": [{"type": "text", "text": "?", "choices": [canary("c")]}]},
        ),
        Client(base).call(
            "POST",
            "/api/auth/signup/therapist",
            {"email": "t@example.org", "name": canary("taken"), "password": PASSWORD},
        ),
    ]
    assert all(400 <= status < 500 for status, _ in refused), refused
    assert any(status == 409 for status, _ in refused), refused

    # the database breaks mid-request: a 500
    refusing_database(True)
    status, answer = therapist.call(
        "POST",
        f"/api/patients/{patient_id}/programs",
        {
            "title": canary("boom"),
            "notes": "boom " + canary("boom-notes"),
            "start_date": today.isoformat(),
            "items": [item],
        },
    )
    assert status == 500, answer
    failed_request = answer["request_id"]

    # the dispatcher's worker processes fail on the same broken database, then deliver
    due = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    db.session.execute(update(Reminder).values(next_fire_at=due, claimed_until=None))
    db.session.commit()
    env = hep_env(
        database_url,
        tmp_path / "instance",
        app.config["VAPID_PRIVATE_KEY"],
        HEP_LOG_FORMAT=log_format(database_url),
        HEP_METRICS_LISTEN=f"127.0.0.1:{free_port()}",
    )
    failed = run_hep(env, "dispatch", "--once")
    assert failed.returncode == 1, failed.stderr[-3000:]
    refusing_database(False)
    made_due = db.session.execute(
        update(Reminder).values(next_fire_at=due, claimed_until=None)
    ).rowcount  # type: ignore[attr-defined]
    # a read three years ago, for the scheduler's retention to prune (and say so)
    db.session.add(
        AccessLogEntry(
            patient_id=uuid.UUID(patient_id),
            actor_name=canary("reader"),
            action="adherence",
            at=due - dt.timedelta(days=3 * 365),
        )
    )
    db.session.commit()

    scheduler = subprocess.Popen(
        [sys.executable, "-m", "hep.cli", "scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: len(push_service.received) >= 3, 60, "the reminder's and the notice's")
        wait_for(lambda: not _old_reads(app), 30, "retention to prune the old read")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler_out, scheduler_err = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0

    # nothing but generic wording reached the push service
    payloads = [browser.decrypt(r.body).decode() for r in push_service.received]
    kinds = [json.loads(p)["notification"]["data"]["kind"] for p in payloads]
    assert sorted(kinds) == ["message", "program", "test"]
    assert lines_with_secret(*payloads) == []

    web_access, web_errors = web_out.read_text(), web_err.read_text()
    logged = {
        "web access log": web_access,
        "web error log": web_errors,
        "dispatch --once": failed.stdout + failed.stderr,
        "scheduler": scheduler_out + scheduler_err,
    }
    for name, output in logged.items():
        assert lines_with_secret(output) == [], name
        assert "Traceback" not in output, name
    if log_format(database_url) == "json":
        for name, output in logged.items():
            # every line is one JSON object (a command's own "error: ..." words aside)
            lines = [
                line for line in output.splitlines() if line and not line.startswith("error: ")
            ]
            assert all(isinstance(json.loads(line), dict) for line in lines), name
        requests = [json.loads(line) for line in web_access.splitlines()]
        listed = [r for r in requests if (r["method"], r["path"]) == ("GET", "/api/exercises")]
        assert [r["status"] for r in listed] == [200]
        assert all(r["request_id"] and "duration_ms" in r for r in requests)
    else:
        assert '"GET /api/exercises HTTP/1.1" 200' in web_access
    # and the logs did say what happened, so the checks above looked at something
    assert "/api/patients/<uuid:patient_id>/programs" in web_errors
    assert failed_request in web_errors and "(message withheld)" in web_errors
    assert "pass failed" in failed.stderr and "(message withheld)" in failed.stderr
    # every reminder made due above (the patient's and the weekly check-in's) decided once
    decided = re.findall(r"dispatch: (\d+) reminders decided", scheduler_err)
    assert sum(map(int, decided)) == made_due > 0, decided
    assert "apscheduler" not in scheduler_err
    assert "retention: deleted 1 access_log" in scheduler_err
    assert "metrics served at http://127.0.0.1:" in scheduler_err


def _old_reads(app: Flask) -> int:
    db.session.rollback()
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=1000)
    return len(db.session.scalars(select(AccessLogEntry.id).where(AccessLogEntry.at < old)).all())


# --- stopping ------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [["run", "--workers", "1"], ["dispatch", "--every", "0.2"]], ids=lambda c: c[0]
)
def test_sigterm_to_every_process_stops_quietly(tmp_path: Path, command: list[str]):
    """As a service manager stops a service: SIGTERM to all its processes at once (so the
    scheduler under `hep run` gets two). The scheduler alone is stopped in the canary test."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEP_")}
    env.update(
        HEP_INSTANCE_PATH=str(tmp_path / "instance"),
        HEP_ARGON2_MEMORY_KIB="8",
        HEP_DISPATCH_PROCESSES="2",
    )
    if command[0] == "dispatch":  # `hep run` prepares its instance itself
        (tmp_path / "instance").mkdir()
        upgrade(f"sqlite:///{tmp_path / 'instance' / 'hep.sqlite3'}")
        env["HEP_VAPID_PRIVATE_KEY"] = generate_private_key_pem()
    output = tmp_path / "output"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "hep.cli", *command]
            + (["--port", str(port)] if command[0] == "run" else []),
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: "dispatcher processes:" in output.read_text(), 60, "dispatchers")
        if command[0] == "run":
            wait_for(lambda: _answers(f"http://127.0.0.1:{port}"), 30, "the web server")
            wait_for(lambda: "scheduler started" in output.read_text(), 30, "the scheduler")
        time.sleep(0.5)  # a few passes
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    said = output.read_text()
    assert "Traceback" not in said and " ERROR " not in said, said[-3000:]
