"""The PWA's words: a catalogue per language (hep/static/locales/<code>.json) with every key of
the English one and nothing more, the same {places}, every plural form its language has, and
words of its own; every key the code asks for exists and every key is asked for; and no
module puts a sentence of its own on the screen (tests.javascript finds them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from babel import Locale

from hep.languages import LANGUAGES
from tests.javascript import KEY, Token, scan, tokenize

STATIC = Path(__file__).resolve().parents[1] / "hep" / "static"
JS = STATIC / "js"
LOCALES = STATIC / "locales"
MODULES = sorted(JS.rglob("*.js"))
PLACE = re.compile(r"\{(\w+)\}")
WORDS = re.compile(r"[^\W\d_]{2,}")

# Strings shown as they are, in every language: the app's name and what is not a language.
SHOWN_AS_IS = {
    ("i18n.js", "English"),  # each language named in itself, in the language picker
    ("i18n.js", "Español"),
    ("i18n.js", "Deutsch"),
}

# Sentences that are the same words in another language (a name, a unit, a borrowed word).
SAME_IN = {
    "es": {"common.ok", "notifications.ok"},
    "de": {"common.ok", "notifications.ok"},
}


def catalogue(language: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
    return found


def forms(language: str) -> set[str]:
    return set(Locale.parse(language).plural_form.tags) | {"other"}


def sentences(entry: Any) -> list[str]:
    return list(entry.values()) if isinstance(entry, dict) else [entry]


def test_the_app_and_the_server_speak_the_same_languages() -> None:
    source = (JS / "i18n.js").read_text(encoding="utf-8")
    table = re.search(r"export const LANGUAGES = \{([^}]*)\}", source)
    assert table is not None
    assert dict(re.findall(r'(\w+): "([^"]+)"', table.group(1))) == LANGUAGES
    assert {p.stem for p in LOCALES.glob("*.json")} == set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_catalogue_has_every_key_and_no_other(language: str) -> None:
    english, found = catalogue("en"), catalogue(language)
    missing = sorted(set(english) - set(found))
    extra = sorted(set(found) - set(english))
    assert not missing and not extra, f"{language}: missing {missing}; not in English {extra}"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_sentence_has_the_places_and_plural_forms_of_its_language(language: str) -> None:
    english, found = catalogue("en"), catalogue(language)
    wrong = []
    for key, entry in found.items():
        places = {p for s in sentences(english.get(key, "")) for p in PLACE.findall(s)}
        if isinstance(english.get(key), dict) != isinstance(entry, dict):
            wrong.append(f"{key}: a plural in one language only")
            continue
        if isinstance(entry, dict) and set(entry) != forms(language):
            wrong.append(f"{key}: forms {sorted(entry)}, {language} has {sorted(forms(language))}")
        for sentence in sentences(entry):
            if not isinstance(sentence, str) or not sentence.strip():
                wrong.append(f"{key}: empty")
            elif {p for p in PLACE.findall(sentence)} - places - {"count"}:
                wrong.append(f"{key}: places {PLACE.findall(sentence)}, English has {places}")
        # every English place is said in some form (a count may be left to the plural form)
        said = {p for s in sentences(entry) if isinstance(s, str) for p in PLACE.findall(s)}
        if places - said - {"count"}:
            wrong.append(f"{key}: leaves out {sorted(places - said)}")
    assert not wrong, f"{language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_a_catalogue_is_written_in_its_own_language(language: str) -> None:
    english, found = catalogue("en"), catalogue(language)
    same = [
        key
        for key, entry in found.items()
        if entry == english.get(key)
        and key not in SAME_IN.get(language, set())
        and any(WORDS.search(PLACE.sub("", s)) for s in sentences(entry))
    ]
    assert not same, f"{language}: {len(same)} sentences still in English: {same}"


def _asked(tokens: list[Token], keys: set[str], prefixes: set[str]) -> None:
    for at, token in enumerate(tokens):
        if token.kind == "str" and KEY.match(token.value):
            keys.add(token.value)
        elif token.kind == "tpl":
            for code in token.code:
                _asked(code, keys, prefixes)
            called = at >= 2 and tokens[at - 1].value == "(" and tokens[at - 2].value == "t"
            if called and len(token.parts) > 1 and KEY.match(token.parts[0].rstrip(".") or "-"):
                prefixes.add(token.parts[0])


def keys_in_code() -> tuple[set[str], set[str]]:
    """Keys the modules name (any string shaped like one) and prefixes of keys they build."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for module in MODULES:
        _asked(tokenize(module.read_text(encoding="utf-8")), keys, prefixes)
    return keys, prefixes


def test_every_key_the_code_asks_for_is_in_the_catalogue() -> None:
    english = catalogue("en")
    namespaces = {key.split(".")[0] for key in english}
    keys, _ = keys_in_code()
    missing = sorted(k for k in keys if k.split(".")[0] in namespaces and k not in english)
    assert not missing, f"keys not in en.json: {missing}"


def test_every_key_of_the_catalogue_is_used() -> None:
    keys, prefixes = keys_in_code()
    unused = sorted(
        key
        for key in catalogue("en")
        if key not in keys and not any(key.startswith(p) for p in prefixes)
    )
    assert not unused, f"keys no module uses: {unused}"


def test_no_module_shows_words_of_its_own() -> None:
    """Every sentence on screen comes from the catalogue; the list is what is left to move."""
    found = [
        f"{module.relative_to(JS)}:{item.line}: {item.text!r} ({item.why})"
        for module in MODULES
        for item in scan(module.read_text(encoding="utf-8"))
        if (module.name, item.text) not in SHOWN_AS_IS
    ]
    assert not found, f"{len(found)} strings are not in the catalogue:\n" + "\n".join(found)
