"""The HEP_SMTP_* settings: checked when loaded, consistent, the password never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from hep import create_app
from hep.config import ConfigError, finish_config, load_config
from hep.mail.smtp import MailSettings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEP_SMTP_HOST", "smtp.example.org:587"),
        ("HEP_SMTP_HOST", "smtp://smtp.example.org"),
        ("HEP_SMTP_PORT", "0"),
        ("HEP_SMTP_PORT", "70000"),
        ("HEP_SMTP_TLS", "ssl"),
        ("HEP_SMTP_FROM", "nobody"),
        ("HEP_SMTP_FROM", "a@example.org, b@example.org"),
        ("HEP_SMTP_FROM", "a@example.org\r\nBcc: b@example.org"),
        ("HEP_SMTP_CA_FILE", "/no/such/ca.pem"),
        ("HEP_SMTP_TIMEOUT_SECONDS", "0"),
    ],
)
def test_a_mail_setting_hep_cannot_use_is_refused_with_its_name(name: str, value: str):
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})


def _finished(environ: dict[str, str], tmp_path: Path) -> dict:
    return finish_config(load_config(environ), tmp_path)


def test_mail_settings_go_together(tmp_path: Path):
    with pytest.raises(ConfigError, match="without HEP_SMTP_HOST"):
        _finished({"HEP_SMTP_FROM": "hep@example.org"}, tmp_path)
    with pytest.raises(ConfigError, match="HEP_SMTP_FROM must be set"):
        _finished({"HEP_SMTP_HOST": "smtp.example.org"}, tmp_path)
    with pytest.raises(ConfigError, match="go together"):
        _finished(
            {
                "HEP_SMTP_HOST": "smtp.example.org",
                "HEP_SMTP_FROM": "hep@example.org",
                "HEP_SMTP_USER": "hep",
            },
            tmp_path,
        )


def test_production_never_sends_the_smtp_password_unencrypted(tmp_path: Path):
    environ = {
        "HEP_ENV": "production",
        "HEP_DATABASE_URL": "sqlite:///x.sqlite3",
        "HEP_VAPID_SUBJECT": "mailto:ops@example.org",
        "HEP_SMTP_HOST": "smtp.example.org",
        "HEP_SMTP_FROM": "hep@example.org",
        "HEP_SMTP_USER": "hep",
        "HEP_SMTP_PASSWORD": "s3cret-relay",
        "HEP_SMTP_TLS": "none",
    }
    with pytest.raises(ConfigError, match="unencrypted") as raised:
        _finished(environ, tmp_path)
    assert "s3cret-relay" not in str(raised.value)


def test_without_a_host_email_is_off_and_with_one_the_port_follows_the_tls_mode(tmp_path: Path):
    assert MailSettings.from_config(_finished({}, tmp_path)) is None
    base = {"HEP_SMTP_HOST": "smtp.example.org", "HEP_SMTP_FROM": "hep <hep@example.org>"}
    ports = {}
    for mode in ("starttls", "implicit", "none"):
        settings = MailSettings.from_config(_finished(base | {"HEP_SMTP_TLS": mode}, tmp_path))
        assert settings is not None
        ports[mode] = settings.port
    assert ports == {"starttls": 587, "implicit": 465, "none": 25}
    settings = MailSettings.from_config(
        _finished(base | {"HEP_SMTP_USER": "u", "HEP_SMTP_PASSWORD": "s3cret"}, tmp_path)
    )
    assert settings is not None and settings.envelope_sender == "hep@example.org"
    assert "s3cret" not in repr(settings)


def test_the_app_loads_with_email_on(tmp_path: Path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": "sqlite://",
            "SMTP_HOST": "smtp.example.org",
            "SMTP_FROM": "hep@example.org",
        }
    )
    assert MailSettings.from_config(app.config) is not None
