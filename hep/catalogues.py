"""The upkeep of the server's catalogues: every message the code and templates hold (found by
Babel's extractors), and each language's .po file brought in line with them.

`python -m hep.catalogues` adds the code's new messages to every .po file (untranslated) and
drops the ones the code no longer has; `python -m hep.catalogues new fr` starts a language."""

from __future__ import annotations

import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from hep.languages import DEFAULT, LANGUAGES

PACKAGE = Path(__file__).resolve().parent
LOCALES = PACKAGE / "locales"
KEYWORDS = {"_": None, "_n": (1, 2), "gettext": None, "ngettext": (1, 2)}
"""_() and _n() in the code; a template's {% trans %} blocks are gettext() and ngettext()."""
METHODS = [
    ("**/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
    ("handouts/**.html", "jinja2"),
]
OPTIONS = {
    "**/templates/**.html": {"extensions": "jinja2.ext.i18n"},
    "**/templates/**.txt": {"extensions": "jinja2.ext.i18n"},
    "handouts/**.html": {"extensions": "jinja2.ext.i18n"},
}


def template() -> Catalog:
    """Every message in hep's code and templates, with where it is used."""
    catalog = Catalog(project="hep", locale=DEFAULT, fuzzy=False)
    found = extract_from_dir(
        str(PACKAGE), METHODS, options_map=OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, line, message, comments, context in found:
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALES / f"{language}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as po:
        return read_po(po, locale=language)


def write(catalog: Catalog, language: str) -> None:
    with po_path(language).open("wb") as po:
        write_po(po, catalog, width=100, omit_header=False, ignore_obsolete=True)


def update(language: str) -> Catalog:
    """The language's catalogue with the code's messages: new ones untranslated, gone ones
    dropped, translations of the rest kept (never guessed from a similar message)."""
    catalog = read(language) if po_path(language).exists() else new(language)
    catalog.update(template(), no_fuzzy_matching=True)
    return catalog


def new(language: str) -> Catalog:
    Locale.parse(language)  # a language Babel knows, for its plural rule
    return Catalog(locale=language, project="hep", fuzzy=False)


def main(argv: list[str]) -> int:
    if argv[:1] == ["new"] and len(argv) == 2:
        write(update(argv[1]), argv[1])
        print(f"{po_path(argv[1])}: translate it, add the language to hep.languages.LANGUAGES")
        return 0
    for language in LANGUAGES:
        if language != DEFAULT:
            catalog = update(language)
            write(catalog, language)
            untranslated = sum(1 for m in catalog if m.id and not m.string)
            print(f"{po_path(language)}: {len(catalog)} messages, {untranslated} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
