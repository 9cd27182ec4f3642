"""The instance folder: generated secrets for the single-machine default."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from hep.config import ConfigError
from hep.passwords import Hasher
from hep.push.keys import InvalidVapidKey, load_vapid_keys

VAPID_FILE = "vapid_private.pem"


def instance_folder(settings: Mapping[str, Any]) -> Path:
    """HEP_INSTANCE_PATH, else ./instance in the working directory (never inside the installed
    package, where Flask would look by default)."""
    return Path(settings["INSTANCE_PATH"] or Path.cwd() / "instance").resolve()


def vapid_key_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / VAPID_FILE


def init_instance_settings(app: Flask) -> None:
    """Read generated secrets (never create them here); fail loudly where production needs them."""
    if not app.config["VAPID_PRIVATE_KEY"]:
        path = vapid_key_path(app.instance_path)
        if path.exists():
            key = path.read_text()
            try:
                load_vapid_keys(key)
            except InvalidVapidKey as exc:
                raise ConfigError(
                    f"HEP_VAPID_PRIVATE_KEY is not set, and {path} holds no usable key: {exc}"
                ) from None
            app.config["VAPID_PRIVATE_KEY"] = key
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
