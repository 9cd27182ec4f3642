"""How the PWA's modules hang together (hep/static/js, plain ES modules with no build step): a
name imported is a name exported (a mistake there breaks a screen only when it is opened),
screens share widgets through components/ and never import one another, and every module
stays small enough to read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[1] / "hep" / "static" / "js"
SCREENS = ("views", "therapist", "admin")
MODULES = sorted(JS.rglob("*.js"))
IMPORT = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"([^"]+)"')
LAZY = re.compile(r'lazy\("([^"]+)",\s*"([^"]+)"\)')


def imports_of(module: Path) -> list[tuple[Path, list[str]]]:
    found = []
    for names, source in IMPORT.findall(module.read_text(encoding="utf-8")):
        wanted = [n.split(" as ")[0].strip() for n in names.split(",") if n.strip()]
        found.append(((module.parent / source).resolve(), wanted))
    return found


def exports(module: Path) -> set[str]:
    text = module.read_text(encoding="utf-8")
    named = re.findall(r"export\s+(?:async\s+)?(?:function|const|let|class)\s+(\w+)", text)
    listed = [
        n.split(" as ")[-1].strip()
        for group in re.findall(r"export\s*\{([^}]*)\}", text)
        for n in group.split(",")
        if n.strip()
    ]
    return {*named, *listed}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(JS)))
def test_every_imported_name_is_exported_by_its_module(module: Path) -> None:
    for source, names in imports_of(module):
        assert source.is_file(), f"{module.name} imports {source}, which is not there"
        missing = set(names) - exports(source)
        assert not missing, f"{module.name} imports {missing} from {source.name}"


def test_every_screen_the_router_loads_exports_its_view() -> None:
    app = JS / "app.js"
    for source, name in LAZY.findall(app.read_text(encoding="utf-8")):
        assert name in exports((app.parent / source).resolve()), (source, name)


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if m.parent.name in SCREENS],
    ids=lambda m: str(m.relative_to(JS)),
)
def test_a_screen_imports_no_other_screen(module: Path) -> None:
    screens = [source for source, _ in imports_of(module) if source.parent.name in SCREENS]
    assert not screens, f"{module.name} imports screens {screens}: share through components/"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: str(m.relative_to(JS)))
def test_a_module_stays_under_400_lines(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{module.name} has {lines} lines: split it by concern"
