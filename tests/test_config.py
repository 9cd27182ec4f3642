"""Settings come from HEP_* variables, fail loudly, and are all documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from hep.config import SETTINGS, ConfigError, finish_config, load_config


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
