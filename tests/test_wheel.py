"""A built wheel runs outside a checkout: init, migrate and serve from any directory."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.push_service import free_port

ROOT = Path(__file__).resolve().parent.parent
# Loopback only, and never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of the source that holds bytecode, as a used checkout does (and so
    the build never writes into the checkout). Offline: setuptools comes from the test extras."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copytree(ROOT / "hep", source / "hep")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source / "hep")], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("hep-*.whl")
    return wheel


def install_into_new_venv(wheel: Path, venv: Path) -> Path:
    """A new virtualenv (no system site-packages) with hep installed from the wheel alone.

    Its dependencies come from this test environment through a .pth line, offline and in a
    second; installing them from an index took ~30 s here. A .pth line adds that folder only:
    its own .pth files (the checkout's editable install) are not read."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def get(url: str) -> tuple[int, str, bytes]:
    with _OPENER.open(url, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.mark.slow
def test_a_built_wheel_inits_migrates_and_serves_from_another_directory(tmp_path: Path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in names if "__pycache__" in n or n.endswith(".pyc")] == []
    assert [n for n in names if n.split("/")[0] not in ("hep", "hep-0.1.0.dist-info")] == []
    assert [n for n in names if "/tests/" in n or Path(n).name.startswith("test_")] == []
    for shipped in (
        "hep/wsgi.py",
        "hep/static/index.html",
        "hep/static/sw.js",
        "hep/static/api-docs.html",
        "hep/migrations/env.py",
        "hep/migrations/script.py.mako",
        "hep/migrations/versions/0001_accounts_and_care_team.py",
    ):
        assert shipped in names

    venv = tmp_path / "venv"
    python = install_into_new_venv(wheel, venv)
    site_dir = tmp_path / "site"  # an operator's directory: no checkout, no wsgi.py
    site_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEP_", "PYTHON"))}
    env.update(HEP_ARGON2_MEMORY_KIB="8192", HEP_LOG_LEVEL="WARNING")

    def hep(*args: str) -> str:
        done = subprocess.run(
            [str(venv / "bin" / "hep"), *args],
            cwd=site_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    where = subprocess.run(
        [str(python), "-c", "import hep; print(hep.__file__)"],
        cwd=site_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv), where

    assert "newest schema" in hep("init")
    assert "newest schema" in hep("migrate")
    # the instance folder defaults to the working directory, never the installed package
    assert (site_dir / "instance" / "vapid_private.pem").is_file()
    assert (site_dir / "instance" / "hep.sqlite3").is_file()
    assert list(venv.rglob("vapid_private.pem")) == []

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(python),
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "hep.wsgi:app",
            ],
            cwd=site_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(base + "/api/health")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
                time.sleep(0.1)
        status, kind, body = get(base + "/")
        assert (status, kind.split(";")[0]) == (200, "text/html")
        assert b"/static/js/app.js" in body
        status, kind, body = get(base + "/sw.js")
        assert (status, kind.split(";")[0]) == (200, "text/javascript")
        assert b"self.addEventListener" in body
        status, kind, body = get(base + "/api/openapi.json")
        assert status == 200 and b'"openapi"' in body and b"/api/check-ins" in body
        status, kind, body = get(base + "/static/css/app.css")
        assert (status, kind.split(";")[0]) == (200, "text/css")
        status, kind, body = get(base + "/api/docs")
        assert (status, kind.split(";")[0]) == (200, "text/html")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "Traceback" not in log.read_text()


def _imported_top_level_modules() -> set[str]:
    import ast

    found: set[str] = set()
    for path in (ROOT / "hep").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"hep", "__future__"}


def _declared_distributions() -> set[str]:
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        if extra != "test":
            wanted += requirements
    names = (re.split(r"[^A-Za-z0-9._-]", r, maxsplit=1)[0] for r in wanted)
    return {re.sub(r"[-_.]+", "-", n).lower() for n in names}


def test_every_package_hep_imports_is_a_declared_dependency():
    """The wheel's metadata is what installs hep elsewhere: a module hep imports that only
    arrives as some other package's dependency (or from the test extras) is a missing line."""
    import importlib.metadata
    import re

    providers = importlib.metadata.packages_distributions()
    declared = _declared_distributions()
    undeclared = {
        module: sorted(providers.get(module, ["(not installed)"]))
        for module in _imported_top_level_modules()
        if not declared & {re.sub(r"[-_.]+", "-", d).lower() for d in providers.get(module, [])}
    }
    assert undeclared == {}
