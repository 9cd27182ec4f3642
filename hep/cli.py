"""The `hep` command for operators: run, init, migrate, scheduler, accounts, demo data, keys."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from flask import Flask

from hep.config import ConfigError
from hep.push.keys import generate_vapid_keys, load_vapid_keys


def _app() -> Flask:
    from hep import create_app

    return create_app()


def generate_private_key_pem() -> str:
    return generate_vapid_keys().private_pem()


def _prepare_instance() -> Path | None:
    """The instance folder and, unless HEP_VAPID_PRIVATE_KEY is set, a generated VAPID key,
    made before the app is built (in production the app refuses to start without a key).
    Returns the folder if a key was generated."""
    from hep.config import finish_config, load_config
    from hep.instance import ensure_instance, instance_folder

    settings = load_config()
    folder = instance_folder(settings)
    finish_config(settings, folder)  # every setting is checked before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    if settings["VAPID_PRIVATE_KEY"] or not ensure_instance(folder, generate_private_key_pem):
        return None
    return folder


def cmd_init(_args: argparse.Namespace) -> int:
    """Instance folder, VAPID key (unless configured) and database at the newest schema."""
    from hep.migrate import upgrade

    generated = _prepare_instance()
    if generated is not None:
        print(f"generated a VAPID key pair in {generated}")
    app = _app()
    upgrade(app.config["DATABASE_URL"])
    print("database is at the newest schema")
    return 0


def cmd_migrate(_args: argparse.Namespace) -> int:
    from hep.migrate import upgrade

    upgrade(_app().config["DATABASE_URL"])
    print("database is at the newest schema")
    return 0


def _create_account(args: argparse.Namespace, role_name: str) -> int:
    from hep.clock import utcnow
    from hep.db import db
    from hep.errors import HepError
    from hep.models import Role
    from hep.roles import create_account

    app = _app()
    password = args.password or os.environ.get("HEP_NEW_PASSWORD")
    if not password:
        password = getpass.getpass("Password (8+ characters): ")
    with app.app_context():
        try:
            user = create_account(
                db.session,
                None,
                email=args.email,
                name=args.name,
                role=Role(role_name),
                timezone=args.timezone,
                password=password,
                hasher=app.extensions["hep_hasher"],
                now=utcnow(),
            )
        except HepError as exc:
            print(f"error: {exc.message} {exc.errors or ''}", file=sys.stderr)
            return 1
        db.session.commit()
        print(f"created {role_name} {user.email} ({user.id})")
    return 0


DEMO_HEADING = "demo accounts (one password for all, new on every run; hep keeps only its hash):"
DEMO_PATIENT = "reminders set, no phone registered yet"


def cmd_demo(args: argparse.Namespace) -> int:
    from hep.clock import utcnow
    from hep.db import db
    from hep.demo import load_demo, show_demo

    app = _app()
    hasher = app.extensions["hep_hasher"]
    with app.app_context():
        if getattr(args, "show", False):
            password, found = show_demo(db.session, hasher=hasher)
            db.session.commit()
            if not found:
                print("no demo accounts here: `hep demo` makes them", file=sys.stderr)
                return 1
            print(DEMO_HEADING)
            for user in found:
                print(f"  {user.role.value:<10} {user.email}  {password}")
            return 0
        accounts = load_demo(db.session, hasher=hasher, now=utcnow())
        db.session.commit()
        print(DEMO_HEADING)
        print(f"  therapist  {accounts.therapist.email}  {accounts.password}")
        print(f"  patient    {accounts.patient.email}  {accounts.password}  {DEMO_PATIENT}")
        for patient, state in accounts.caseload:
            print(f"  patient    {patient.email}  {accounts.password}  {state}")
    return 0


def _logging(app: Flask) -> None:
    from hep.logs import configure

    configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])


def _metrics_folder(role: str) -> None:
    """This process and its dispatchers count into a metrics folder of their own; before
    anything imports prometheus_client (see hep.metrics.folder)."""
    from hep.config import load_config
    from hep.metrics import folder

    folder.prepare(load_config(), role)


def cmd_scheduler(_args: argparse.Namespace) -> int:
    _metrics_folder("scheduler")
    from hep.scheduler import run_scheduler

    app = _app()
    _logging(app)
    run_scheduler(app)
    return 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    """One dispatch pass (for cron and tests), or a loop with --every; in --processes worker
    processes (default HEP_DISPATCH_PROCESSES), as the scheduler runs it."""
    import logging

    _metrics_folder("dispatch")
    from hep.clock import utcnow
    from hep.logs import describe
    from hep.reminders.workers import Dispatchers, DispatchFailed
    from hep.scheduler import exit_on_sigterm

    app = _app()
    _logging(app)
    exit_on_sigterm()  # leave through the `with`, which stops the worker processes
    try:
        with Dispatchers(app, args.processes) as dispatchers:
            while True:
                dispatchers.tick(app, utcnow())
                if not args.every:
                    return 0
                time.sleep(args.every)
    except DispatchFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except Exception as exc:  # a pass in this process: its type and frames, not its message
        logging.getLogger("hep.dispatch").error("dispatch failed: %s", describe(exc))
        return 1


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent backup while hep runs: database, VAPID key file, media."""
    from hep import backups
    from hep.clock import utcnow

    app = _app()
    instance = Path(app.instance_path)
    folder = Path(args.to) if args.to else instance / "backups"
    try:
        written = backups.create(app.config, instance, folder, utcnow())
    except backups.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written.path} ({written.engine}, schema {written.revision})")
    if args.keep:
        for gone in backups.prune_old(folder, args.keep):
            print(f"deleted {gone}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """A backup back into an empty instance (or this one, with --force)."""
    from hep import backups
    from hep.config import finish_config, load_config
    from hep.instance import instance_folder

    # not the app: in production it refuses to start without the key this brings back
    settings = load_config()
    folder = instance_folder(settings)
    finish_config(settings, folder)
    try:
        restored = backups.restore(settings, folder, Path(args.archive), force=args.force)
    except backups.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored the {restored.engine} backup of {restored.created_at} "
        f"(schema {restored.revision}); VAPID key: {restored.vapid_key}. "
        "Run `hep migrate` before starting hep."
    )
    return 0


def cmd_vapid(args: argparse.Namespace) -> int:
    if args.action == "generate":
        generated = _prepare_instance()
        print("generated" if generated else "a key already exists; nothing changed")
    app = _app()
    key = app.config["VAPID_PRIVATE_KEY"]
    if not key:
        print("no VAPID key yet: run `hep vapid generate` or `hep init`", file=sys.stderr)
        return 1
    print(load_vapid_keys(key).public_key)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Set up and run web + scheduler together on this machine until Ctrl-C."""
    os.environ.setdefault("HEP_INSTANCE_PATH", str(Path.cwd() / "instance"))
    os.environ.setdefault("HEP_BASE_URL", f"http://{args.host}:{args.port}")
    if cmd_init(args) != 0:
        return 1
    if args.demo:
        cmd_demo(args)
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:hep.gunicorn_config",
            "--workers",
            str(args.workers),
            "--bind",
            f"{args.host}:{args.port}",
        ]
    )
    scheduler = subprocess.Popen([sys.executable, "-m", "hep.cli", "scheduler"])
    children = [web, scheduler]
    print(
        f"\nhep is running at {os.environ['HEP_BASE_URL']}/  (API docs: /api/docs; Ctrl-C stops)\n"
    )

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    return 0


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("expected a positive integer")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hep", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="set up and run web + scheduler on this machine")
    run.add_argument("--demo", action="store_true", help="load demo accounts and print them")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=5000)
    run.add_argument("--workers", type=int, default=2)
    run.set_defaults(fn=cmd_run)

    sub.add_parser("init", help="instance folder, VAPID key, migrate").set_defaults(fn=cmd_init)
    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(fn=cmd_migrate)
    sub.add_parser("scheduler", help="run the scheduler process").set_defaults(fn=cmd_scheduler)
    demo = sub.add_parser("demo", help="create or refresh the demo clinic and its accounts")
    demo.add_argument(
        "--show", action="store_true", help="print the demo sign-ins again (with a new password)"
    )
    demo.set_defaults(fn=cmd_demo)
    dispatch = sub.add_parser("dispatch", help="decide and send due reminders")
    dispatch.add_argument("--once", action="store_true", help="one pass, then exit (default)")
    dispatch.add_argument("--every", type=float, default=0, help="loop every N seconds")
    dispatch.add_argument(
        "--processes",
        type=_positive,
        help="worker processes sharing the pass (default: HEP_DISPATCH_PROCESSES)",
    )
    dispatch.set_defaults(fn=cmd_dispatch)

    backup = sub.add_parser("backup", help="back up the database, VAPID key and media")
    backup.add_argument("--to", help="folder for the archive (default: instance/backups)")
    backup.add_argument("--keep", type=_positive, help="then delete all but the N newest")
    backup.set_defaults(fn=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup into an empty instance")
    restore.add_argument("archive", help="a hep-backup-*.tar.gz file")
    restore.add_argument("--force", action="store_true", help="replace a non-empty instance")
    restore.set_defaults(fn=cmd_restore)

    for role in ("therapist", "admin"):
        p = sub.add_parser(f"create-{role}", help=f"create a {role} account")
        p.add_argument("--email", required=True)
        p.add_argument("--name", required=True)
        p.add_argument("--timezone", default="UTC")
        p.add_argument("--password", help="default: HEP_NEW_PASSWORD or a prompt")
        p.set_defaults(fn=lambda a, r=role: _create_account(a, r))

    vapid = sub.add_parser("vapid", help="show (or generate) the VAPID public key")
    vapid.add_argument("action", choices=["public-key", "generate"])
    vapid.set_defaults(fn=cmd_vapid)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import OperationalError

    from hep.db import immediate_transactions

    args = build_parser().parse_args(argv)
    try:
        # a command's transactions take SQLite's write lock up front: one that reads and then
        # writes would otherwise fail at once ("database is locked") beside a writing web server
        with immediate_transactions():
            result: int = args.fn(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"error: cannot use the database of HEP_DATABASE_URL: {reason}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
