"""The server's words: every message the code and templates hold (Babel's extractors) is in
every language's catalogue (hep/locales/<code>.po), translated, with the same {places} and
every plural form; a Text is said in its reader's language; and nothing a person reads is
written outside the catalogue (a scanner over the sources and templates)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Catalog
from jinja2 import nodes

import hep
from hep.catalogues import read, template
from hep.errors import HepError
from hep.languages import DEFAULT, LANGUAGES
from hep.translations import _, _n, say, say_all

PACKAGE = Path(hep.__file__).resolve().parent
PLACE = re.compile(r"\{(\w+)\}")
WORDS = re.compile(r"[^\W\d_]{2,}")
TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT})

# Messages that are the same words in another language (a name, a borrowed word).
SAME_IN: dict[str, set[str]] = {"es": set(), "de": set()}


@pytest.fixture(scope="module")
def code() -> Catalog:
    return template()


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id for m in catalog if m.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_catalogue_has_every_message_of_the_code_and_no_other(
    code: Catalog, language: str
) -> None:
    found = ids(read(language))
    missing = sorted(map(str, ids(code) - found))
    extra = sorted(map(str, found - ids(code)))
    assert not missing and not extra, (
        f"{language}.po: missing {missing}; not in the code {extra} "
        "(python -m hep.catalogues brings it in line)"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_has_the_places_and_plural_forms_of_its_language(language: str) -> None:
    catalog = read(language)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        said = message.string if isinstance(message.string, tuple) else (message.string,)
        places = {p for s in english for p in PLACE.findall(s)}
        if message.fuzzy or not all(said):
            wrong.append(f"{english[0]!r}: not translated")
            continue
        if isinstance(message.id, tuple) and len(said) != catalog.num_plurals:
            wrong.append(f"{english[0]!r}: {len(said)} forms, {language} has {catalog.num_plurals}")
        for sentence in said:
            if set(PLACE.findall(sentence)) - places - {"count"}:
                wrong.append(f"{english[0]!r}: places {PLACE.findall(sentence)}")
        if places - {p for s in said for p in PLACE.findall(s)} - {"count"}:
            wrong.append(f"{english[0]!r}: leaves out some of {sorted(places)}")
    assert not wrong, f"{language}.po:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_catalogue_is_written_in_its_own_language(language: str) -> None:
    same = [
        m.id
        for m in read(language)
        if m.id
        and m.string == m.id
        and m.id not in SAME_IN[language]
        and WORDS.search(PLACE.sub("", str(m.id)))
    ]
    assert not same, f"{language}.po: {len(same)} messages still in English: {same}"


def test_a_text_is_said_in_its_readers_language() -> None:
    label = _("Reps")
    sentence = _("{label}: a whole number from {min} to {max}.", label=label, min=1, max=12000)
    assert say(sentence, "en") == "Reps: a whole number from 1 to 12,000."
    assert say(sentence, "de") == say(
        _("{label}: a whole number from {min} to {max}."), "de"
    ).format(label=say(label, "de"), min="1", max="12.000")
    days = _n("{count} day", "{count} days", 1)
    assert [say(days, "en"), say(_n("{count} day", "{count} days", 3), "en")] == ["1 day", "3 days"]
    assert say_all({"reps": [label], "note": ["as written"]}, "en") == {
        "reps": ["Reps"],
        "note": ["as written"],
    }
    assert say("a person's own words", "es") == "a person's own words"


# --- the scanner: words for people written outside the catalogue -----------------------------


def _modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(hep.__path__, "hep."):
        if ".migrations" not in info.name:
            yield info.name


def error_names() -> set[str]:
    """HepError and every subclass of it in hep, and marshmallow's ValidationError (a schema's
    own sentence reaches the client as written)."""
    for name in _modules():
        importlib.import_module(name)
    found = {"ValidationError"}
    todo = [HepError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _called(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _literals(node: ast.AST, constants: dict[str, int]) -> Iterator[int]:
    """Lines of words written in place: strings, f-strings and names of module strings, but
    not what _() or _n() wrap, nor a mapping's keys (field names)."""
    if isinstance(node, ast.Call | ast.Subscript):
        return  # what _() says, or a value looked up (a field's name is no message)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if WORDS.search(node.value):
            yield node.lineno
        return
    if isinstance(node, ast.JoinedStr):
        yield node.lineno
        return
    if isinstance(node, ast.Name) and node.id in constants:
        yield node.lineno
        return
    if isinstance(node, ast.Dict):
        for value in node.values:
            yield from _literals(value, constants)
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child, constants)


def unsaid(source: str, errors: set[str]) -> Iterator[int]:
    tree = ast.parse(source)
    constants = {
        target.id: node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant | ast.JoinedStr)
        and isinstance(getattr(node.value, "value", ""), str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute) and called.attr == "field":
            if _called(called.value) in errors and len(node.args) > 1:
                yield from _literals(node.args[1], constants)
        elif _called(called) == "ValidationError":
            yield from _literals(node.args[0], constants) if node.args else iter(())
        elif _called(called) in errors:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                if not (isinstance(argument, ast.Constant) and isinstance(argument.value, int)):
                    yield from _literals(argument, constants)


def test_every_message_raised_to_people_comes_from_the_catalogue() -> None:
    errors = error_names()
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        for line in unsaid(path.read_text(encoding="utf-8"), errors)
    ]
    assert not found, f"{len(found)} messages are not in the catalogue (wrap them in _()):\n" + (
        "\n".join(found)
    )


TEMPLATES = [
    *sorted((PACKAGE / "mail" / "templates").rglob("*.html")),
    *sorted((PACKAGE / "mail" / "templates").rglob("*.txt")),
    *sorted((PACKAGE / "handouts").glob("*.html")),
]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_template_says_everything_through_the_catalogue(path: Path) -> None:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    tree = env.parse(path.read_text(encoding="utf-8"))
    loose = []
    for data in tree.find_all(nodes.TemplateData):
        text = re.sub(r"<style.*?</style>|<[^>]*>|&\w+;", " ", data.data, flags=re.S)
        if WORDS.search(text):
            loose.append(" ".join(text.split())[:80])
    assert not loose, f"{path.name}: words outside {{% trans %}}: {loose}"


def test_no_module_hides_the_catalogue_behind_a_name_of_its_own() -> None:
    """A loop's `for x, _ in ...` makes `_` a local name of the whole function: any _() in
    it then fails at run time (UnboundLocalError), so a module using _() binds no `_`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "hep.translations"
            and any(a.name == "_" for a in node.names)
            for node in tree.body
        )
        for node in ast.walk(tree) if uses else ():
            bound = (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)) or isinstance(
                node, ast.arg
            )
            name = node.id if isinstance(node, ast.Name) else getattr(node, "arg", None)
            if bound and name == "_":
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, f"`_` bound where _() is used: {found}"
