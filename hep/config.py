"""Settings: defaults overridden by HEP_* environment variables, validated loudly."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.headerregistry import AddressHeader, HeaderRegistry
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from gunicorn.errors import AppImportError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from hep.push.endpoints import DEFAULT_ALLOWED_HOSTS, EndpointPolicy
from hep.push.keys import load_vapid_keys


class ConfigError(AppImportError, ValueError):
    """A setting has a value hep cannot use; the message names the variable.

    An AppImportError, because gunicorn answers one raised while its workers load the app
    (`wsgi:app`, `hep:create_app()`) by printing the message and stopping, where any other
    exception is logged with a traceback by every worker."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true/false")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("expected a positive integer")
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("expected 0 or a positive integer")
    return value


def _str(raw: str) -> str:
    return raw


def _push_hosts(raw: str) -> tuple[str, ...]:
    hosts = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
    if not hosts:
        raise ValueError("expected one or more push-service host names")
    return EndpointPolicy(allowed_hosts=hosts).allowed_hosts


def _database_url(raw: str) -> str:
    expected = "expected sqlite:///path or postgresql+psycopg://user@host/db"
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise ValueError(f"not a database URL; {expected}") from None
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise ValueError(f"unknown database kind {url.drivername!r}; {expected}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql") or dialect.is_async:
        raise ValueError("hep runs on SQLite or PostgreSQL (postgresql+psycopg://...)")
    try:
        dialect.import_dbapi()
    except ImportError:
        raise ValueError(
            f"the driver {url.get_driver_name()} is not installed; "
            "use postgresql+psycopg://... for PostgreSQL"
        ) from None
    return raw


def _base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// URL")
    return raw


def _vapid_key(raw: str) -> str:
    load_vapid_keys(raw)  # InvalidVapidKey (a ValueError) says what is wrong, never the key
    return raw


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return level


SMTP_TLS_MODES = ("none", "starttls", "implicit")
SMTP_DEFAULT_PORTS = {"none": 25, "starttls": 587, "implicit": 465}


def _port(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 65535:
        raise ValueError("expected a port number, 1 to 65535")
    return value


def _smtp_host(raw: str) -> str:
    host = raw.strip()
    if not host or any(c in host for c in " /@") or host.count(":") == 1:
        raise ValueError("expected a host name or address only (the port is HEP_SMTP_PORT)")
    return host


def _smtp_tls(raw: str) -> str:
    mode = raw.strip().lower()
    if mode not in SMTP_TLS_MODES:
        raise ValueError("expected none, starttls or implicit")
    return mode


def _mail_address(raw: str) -> str:
    expected = "expected one address, or a name and address: hep <hep@example.org>"
    try:
        header = HeaderRegistry()("From", raw)
    except (ValueError, IndexError):
        raise ValueError(expected) from None
    found = cast(AddressHeader, header).addresses
    if len(found) != 1 or header.defects or "." not in found[0].domain or not found[0].username:
        raise ValueError(expected)
    return str(found[0])


def _ca_file(raw: str) -> str:
    try:
        ssl.create_default_context(cafile=raw)
    except (OSError, ssl.SSLError):
        raise ValueError("expected a readable PEM file of CA certificates") from None
    return raw


def _listen(raw: str) -> tuple[str, int]:
    host, sep, port = raw.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("expected host:port, such as 127.0.0.1:9464")
    return host, int(port)


def _log_format(raw: str) -> str:
    kind = raw.strip().lower()
    if kind not in ("text", "json"):
        raise ValueError("expected text or json")
    return kind


def _metrics_token(raw: str) -> str:
    if len(raw) < 16 or any(c.isspace() for c in raw):
        raise ValueError("expected 16 or more characters without spaces")
    return raw


def _media_storage(raw: str) -> str:
    kind = raw.strip().lower()
    if kind not in ("folder", "s3"):
        raise ValueError("expected folder or s3")
    return kind


def _ffmpeg(raw: str) -> str:
    if raw != "off" and not (Path(raw).is_file() and os.access(raw, os.X_OK)):
        raise ValueError("expected the path of the ffmpeg program, or off")
    return raw


def _env_name(raw: str) -> str:
    if raw not in {"development", "production", "testing"}:
        raise ValueError("expected development, production or testing")
    return raw


@dataclass(frozen=True)
class Setting:
    """One HEP_* variable: its Flask config key, parser, default and meaning (for README)."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    secret: bool = False
    """Never echoed in an error message."""


SETTINGS: tuple[Setting, ...] = (
    Setting("ENV", _env_name, "development", "development, production or testing"),
    Setting(
        "DATABASE_URL",
        _database_url,
        None,
        "SQLAlchemy URL; default: SQLite file hep.sqlite3 in the instance folder. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
        secret=True,
    ),
    Setting("INSTANCE_PATH", _str, None, "folder for the SQLite file and generated keys"),
    Setting("BASE_URL", _base_url, "http://127.0.0.1:5000", "public URL, used in invite links"),
    Setting("THERAPIST_SIGNUP", _bool, True, "allow therapists to sign themselves up"),
    Setting("PATIENT_SIGNUP", _bool, True, "allow patients to sign up without a therapist"),
    Setting("SESSION_DAYS", _positive_int, 30, "idle lifetime of a sign-in session, days"),
    Setting("API_TOKEN_DAYS", _positive_int, 90, "lifetime of a bearer token, days"),
    Setting("INVITE_DAYS", _positive_int, 7, "how long an invite link stays valid, days"),
    Setting("SIGN_IN_LINK_HOURS", _positive_int, 24, "how long a sign-in link stays valid, hours"),
    Setting("SECURE_COOKIES", _bool, None, "Secure + __Host- cookie; default on in production"),
    Setting("LOGIN_LIMIT_ACCOUNT", _positive_int, 5, "failed logins per account per window"),
    Setting("LOGIN_LIMIT_ADDRESS", _positive_int, 20, "failed logins per client address"),
    Setting("LOGIN_WINDOW_SECONDS", _positive_int, 900, "login rate-limit window, seconds"),
    Setting(
        "TRUSTED_PROXIES", _non_negative_int, 0, "number of reverse proxies setting X-Forwarded-For"
    ),
    Setting("MAX_BODY_BYTES", _positive_int, 65536, "largest accepted request body"),
    Setting("PAGE_SIZE_MAX", _positive_int, 100, "largest page size a list returns"),
    Setting("ARGON2_TIME_COST", _positive_int, 3, "argon2id passes"),
    Setting("ARGON2_MEMORY_KIB", _positive_int, 65536, "argon2id memory, KiB"),
    Setting(
        "VAPID_PRIVATE_KEY",
        _vapid_key,
        None,
        "VAPID private key (PEM); default: generated file",
        secret=True,
    ),
    Setting("VAPID_SUBJECT", _str, "mailto:admin@localhost", "VAPID contact (mailto: or https:)"),
    Setting(
        "PUSH_ALLOWED_HOSTS",
        _push_hosts,
        DEFAULT_ALLOWED_HOSTS,
        "push-service hosts (.suffix ok)",
    ),
    Setting("PUSH_ALLOW_LOOPBACK", _bool, False, "allow a loopback push service (tests/dev)"),
    Setting("CHECKIN_EDIT_DAYS", _positive_int, 7, "how many past days can be logged or corrected"),
    Setting("REMINDER_GRACE_MINUTES", _positive_int, 30, "later than this, a reminder is missed"),
    Setting(
        "DISPATCH_PROCESSES",
        _positive_int,
        None,
        "dispatcher worker processes; default: CPUs available, at most 8 (4 on SQLite)",
    ),
    Setting("LOG_LEVEL", _log_level, "INFO", "logging level"),
    Setting("LOG_FORMAT", _log_format, "text", "text, or json: one JSON object a line"),
    Setting(
        "METRICS_TOKEN",
        _metrics_token,
        None,
        "bearer token that opens /metrics; without it and HEP_METRICS_LISTEN, no metrics",
        secret=True,
    ),
    Setting(
        "METRICS_LISTEN",
        _listen,
        None,
        "internal host:port where the web server and the scheduler serve /metrics",
    ),
    Setting("METRICS_DIR", _str, None, "folder for the processes' metrics; default in instance"),
    Setting("RETAIN_OCCURRENCES_DAYS", _positive_int, 400, "reminder history kept, days"),
    Setting("RETAIN_DELIVERIES_DAYS", _positive_int, 90, "finished deliveries kept, days"),
    Setting("RETAIN_SESSIONS_DAYS", _positive_int, 30, "ended sign-ins kept, days"),
    Setting("RETAIN_LOGIN_FAILURES_DAYS", _positive_int, 30, "failed sign-ins kept, days"),
    Setting("RETAIN_ACCESS_LOG_DAYS", _positive_int, 730, "patients' access log kept, days"),
    Setting("SMTP_HOST", _smtp_host, None, "mail server; without it email is off"),
    Setting("SMTP_PORT", _port, None, "mail server port; default by HEP_SMTP_TLS: 587, 465 or 25"),
    Setting("SMTP_TLS", _smtp_tls, "starttls", "none, starttls or implicit (TLS from the start)"),
    Setting("SMTP_USER", _str, None, "user name for SMTP AUTH"),
    Setting("SMTP_PASSWORD", _str, None, "password for SMTP AUTH", secret=True),
    Setting("SMTP_FROM", _mail_address, None, "sender address: hep <hep@example.org>"),
    Setting("SMTP_CA_FILE", _ca_file, None, "CA certificates for a mail server on a private CA"),
    Setting("SMTP_TIMEOUT_SECONDS", _positive_int, 10, "timeout of each SMTP step, seconds"),
    Setting("MEDIA_STORAGE", _media_storage, "folder", "where uploads live: folder or s3"),
    Setting("MEDIA_FOLDER", _str, None, "folder for uploads; default: media in the instance"),
    Setting("MEDIA_S3_BUCKET", _str, None, "S3 bucket for uploads (HEP_MEDIA_STORAGE=s3)"),
    Setting("MEDIA_S3_ENDPOINT_URL", _base_url, None, "S3-compatible endpoint; default AWS"),
    Setting("MEDIA_S3_REGION", _str, None, "S3 region"),
    Setting("MEDIA_S3_PREFIX", _str, "", "prefix of hep's keys in the bucket"),
    Setting("MEDIA_MAX_BYTES", _positive_int, 100 * 2**20, "largest upload (a video), bytes"),
    Setting("MEDIA_MAX_IMAGE_BYTES", _positive_int, 20 * 2**20, "largest picture upload, bytes"),
    Setting("MEDIA_MAX_PIXELS", _positive_int, 50_000_000, "largest picture, pixels"),
    Setting("MEDIA_FFMPEG", _ffmpeg, None, "ffmpeg for video posters: a path or off"),
)


COMMAND_INPUTS = frozenset({"HEP_NEW_PASSWORD"})
"""HEP_* variables a command reads as input (`hep create-admin`'s password), not settings."""


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every HEP_* variable, parse it, and fail with the variable's name on a bad value."""
    environ = os.environ if environ is None else environ
    known = {f"HEP_{s.key}" for s in SETTINGS} | COMMAND_INPUTS
    unknown = sorted(k for k in environ if k.startswith("HEP_") and k not in known)
    unknown = [k for k in unknown if not k.startswith("HEP_TEST_")]
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        name = f"HEP_{setting.key}"
        raw = environ.get(name)
        if raw is None or raw == "":
            config[setting.key] = setting.default
            continue
        try:
            config[setting.key] = setting.parse(raw)
        except ValueError as exc:
            shown = name if setting.secret else f"{name}={raw!r}"
            raise ConfigError(f"{shown}: {exc}") from None
    return config


def finish_config(config: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    """Fill values that depend on others (database URL, cookie security) and check consistency."""
    production = config["ENV"] == "production"
    if config["DATABASE_URL"] is None:
        if production:
            raise ConfigError("HEP_DATABASE_URL must be set in production")
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'hep.sqlite3'}"
    if config["SECURE_COOKIES"] is None:
        config["SECURE_COOKIES"] = production
    if production and config["PUSH_ALLOW_LOOPBACK"]:
        raise ConfigError("HEP_PUSH_ALLOW_LOOPBACK must not be set in production")
    subject = config["VAPID_SUBJECT"]
    if not (subject.startswith("mailto:") or subject.startswith("https://")):
        raise ConfigError("HEP_VAPID_SUBJECT must be a mailto: or https:// URL")
    if production and subject == "mailto:admin@localhost":
        raise ConfigError("HEP_VAPID_SUBJECT must name a real contact in production")
    _check_smtp(config, production)
    _check_media(config)
    return config


def _check_media(config: dict[str, Any]) -> None:
    if config["MEDIA_STORAGE"] != "s3":
        return
    if not config["MEDIA_S3_BUCKET"]:
        raise ConfigError("HEP_MEDIA_STORAGE=s3 needs HEP_MEDIA_S3_BUCKET")
    try:
        import boto3  # noqa: F401
    except ImportError:
        raise ConfigError("HEP_MEDIA_STORAGE=s3 needs boto3: pip install 'hep[s3]'") from None


def _check_smtp(config: dict[str, Any], production: bool) -> None:
    """The mail settings go together: a host and a sender switch email on; AUTH needs both its
    user and its password, and in production never goes over an unencrypted connection."""
    mail = [k for k in ("SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM") if config[k]]
    if config["SMTP_HOST"] is None:
        if mail:
            names = ", ".join(f"HEP_{k}" for k in mail)
            raise ConfigError(f"{names} set without HEP_SMTP_HOST (email is off without it)")
        return
    if config["SMTP_FROM"] is None:
        raise ConfigError("HEP_SMTP_FROM must be set with HEP_SMTP_HOST (the sender address)")
    if (config["SMTP_USER"] is None) != (config["SMTP_PASSWORD"] is None):
        raise ConfigError("HEP_SMTP_USER and HEP_SMTP_PASSWORD go together (SMTP AUTH)")
    if production and config["SMTP_PASSWORD"] and config["SMTP_TLS"] == "none":
        raise ConfigError("HEP_SMTP_TLS=none would send HEP_SMTP_PASSWORD unencrypted")
