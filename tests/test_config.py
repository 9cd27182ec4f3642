"""Settings come from HEP_* variables, fail loudly, and are all documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from gunicorn.errors import AppImportError

from hep import create_app
from hep.config import SETTINGS, ConfigError, finish_config, load_config
from hep.push.endpoints import EndpointPolicy
from hep.push.keys import generate_vapid_keys


def test_a_bad_value_names_the_variable():
    with pytest.raises(ConfigError, match="HEP_SESSION_DAYS"):
        load_config({"HEP_SESSION_DAYS": "soon"})
    with pytest.raises(ConfigError, match="HEP_THERAPIST_SIGNUP"):
        load_config({"HEP_THERAPIST_SIGNUP": "maybe"})


def test_an_unknown_setting_is_refused():
    with pytest.raises(ConfigError, match="HEP_DATABSE_URL"):
        load_config({"HEP_DATABSE_URL": "sqlite://"})


def test_production_requires_a_database_url_and_forbids_loopback_push(tmp_path: Path):
    with pytest.raises(ConfigError, match="HEP_DATABASE_URL"):
        finish_config(load_config({"HEP_ENV": "production"}), tmp_path)
    with pytest.raises(ConfigError, match="LOOPBACK"):
        finish_config(
            load_config(
                {
                    "HEP_ENV": "production",
                    "HEP_DATABASE_URL": "sqlite://",
                    "HEP_PUSH_ALLOW_LOOPBACK": "1",
                }
            ),
            tmp_path,
        )


def test_production_turns_secure_cookies_on(tmp_path: Path):
    config = finish_config(
        load_config(
            {
                "HEP_ENV": "production",
                "HEP_DATABASE_URL": "sqlite://",
                "HEP_VAPID_SUBJECT": "mailto:ops@example.org",
            }
        ),
        tmp_path,
    )
    assert config["SECURE_COOKIES"] is True


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [f"HEP_{s.key}" for s in SETTINGS if f"`HEP_{s.key}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEP_LOG_LEVEL", "LOUD"),
        ("HEP_DATABASE_URL", "not a url"),
        ("HEP_DATABASE_URL", "postgres://hep:s3cret@db/hep"),
        ("HEP_DATABASE_URL", "postgresql+psycopg://hep:s3cret@db:port/hep"),
        ("HEP_DATABASE_URL", "mysql+nosuchdriver://hep:s3cret@db/hep"),
        ("HEP_VAPID_PRIVATE_KEY", "garbage"),
        ("HEP_VAPID_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\ns3cret\n-----END PRIVATE KEY-----"),
        ("HEP_PUSH_ALLOWED_HOSTS", "localhost"),
        ("HEP_PUSH_ALLOWED_HOSTS", "fcm.googleapis.com,127.0.0.1"),
        ("HEP_PUSH_ALLOWED_HOSTS", " , "),
        ("HEP_BASE_URL", "hep.example.org"),
        ("HEP_TRUSTED_PROXIES", "-1"),
    ],
)
def test_a_value_hep_cannot_use_is_refused_on_load_with_the_name_and_no_secret(name, value):
    with pytest.raises(ConfigError, match=name) as raised:
        load_config({name: value})
    assert "s3cret" not in str(raised.value)


def test_good_values_load_in_their_usable_form():
    config = load_config(
        {
            "HEP_LOG_LEVEL": "warning",
            "HEP_DATABASE_URL": "postgresql+psycopg://hep@/hep?host=/var/run/postgresql",
            "HEP_VAPID_PRIVATE_KEY": generate_vapid_keys().private_pem(),
            "HEP_PUSH_ALLOWED_HOSTS": "Push.Example.net, .push.example.org",
        }
    )
    assert config["LOG_LEVEL"] == "WARNING"
    assert config["PUSH_ALLOWED_HOSTS"] == ("push.example.net", ".push.example.org")
    assert load_config({})["PUSH_ALLOWED_HOSTS"] == EndpointPolicy().allowed_hosts


def test_a_config_error_is_what_gunicorn_reports_as_an_app_that_failed_to_load():
    # gunicorn prints an AppImportError's message and stops; anything else is a traceback
    assert issubclass(ConfigError, AppImportError)


def test_an_unusable_generated_key_file_names_the_file(tmp_path: Path):
    (tmp_path / "vapid_private.pem").write_text("not a key")
    with pytest.raises(ConfigError, match=r"vapid_private\.pem"):
        create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})


def test_the_new_account_password_of_the_create_commands_is_not_an_unknown_setting():
    assert load_config({"HEP_NEW_PASSWORD": "a long enough passphrase"})["ENV"] == "development"
