"""The instance folder: generated secrets for the single-machine default."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from hep.config import ConfigError
from hep.passwords import Hasher

VAPID_FILE = "vapid_private.pem"


def vapid_key_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / VAPID_FILE


def init_instance_settings(app: Flask) -> None:
    """Read generated secrets (never create them here); fail loudly where production needs them."""
    if not app.config["VAPID_PRIVATE_KEY"]:
        path = vapid_key_path(app.instance_path)
        if path.exists():
            app.config["VAPID_PRIVATE_KEY"] = path.read_text()
        elif app.config["ENV"] == "production":
            raise ConfigError(
                f"HEP_VAPID_PRIVATE_KEY is not set and {path} does not exist: run `hep init` "
                "or `hep vapid generate` once"
            )
    app.extensions["hep_hasher"] = Hasher(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_KIB"]
    )


def ensure_instance(instance_path: str | Path, generate_private_key: Callable[[], str]) -> bool:
    """Create the instance folder and a VAPID private key file if missing; True if created."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = vapid_key_path(folder)
    if path.exists():
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(generate_private_key())
    return True
