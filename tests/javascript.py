"""A small JavaScript reader for the PWA's source tests: a tokenizer (strings, template
literals with their ${} parts read as code again, regular expressions, comments) and a
scanner that finds the string literals a person would read on screen.

A literal is shown to people when it is a child of h() (the app builds its DOM with it), the
value of a property that holds words (title, label, hint, placeholder, aria-label, ...), an
argument of a call that shows words (toast, alert, confirm, setAttribute of a worded
attribute, append, createTextNode), or assigned to textContent, title and the like; and,
wherever it is, when it reads as a sentence or a capitalised word (a table of labels). A
catalogue key (t("today.title")) is none of these."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Token:
    kind: str  # "str", "tpl", "name", "num", "punct", "regex"
    value: str
    line: int
    start: int = 0  # where it is in the source
    end: int = 0
    parts: list[str] = field(default_factory=list)  # a template's text between its ${}
    code: list[list[Token]] = field(default_factory=list)  # a template's ${} read as tokens
    spans: list[tuple[int, int]] = field(default_factory=list)  # where each ${} code is


_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_NUMBER = re.compile(r"(?:0[xXbBoO][\da-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)n?")
_PUNCT = re.compile(
    r">>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|\?\?=|&&=|\|\|=|=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\+\+|--|\+=|-=|\*=|/=|%=|&=|\|=|\^=|\*\*|<<|>>|[{}()\[\];,<>+\-*/%&|^!~?:=.@#]"
)
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "=>",
    "&&",
    "||",
    "??",
    "==",
    "===",
    "!=",
    "!==",
}


def tokenize(source: str, line: int = 1, offset: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of source[offset:end], numbered from `line`."""
    tokens: list[Token] = []
    i = offset
    n = len(source) if end is None else end
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += source.count("\n", i, end)
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and source[j] != c:
                j += 2 if source[j] == "\\" else 1
            tokens.append(Token("str", _unescape(source[i + 1 : j]), line, i, j + 1))
            i = j + 1
        elif c == "`":
            token, i, line = _template(source, i, line)
            token.start, token.end = token.start, i
            tokens.append(token)
        elif c == "/" and (not tokens or _regex_can_follow(tokens[-1])):
            j = i + 1
            in_class = False
            while j < n and (source[j] != "/" or in_class):
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            j += 1
            while j < n and source[j].isalpha():
                j += 1
            tokens.append(Token("regex", source[i:j], line, i, j))
            i = j
        elif match := _NAME.match(source, i):
            tokens.append(Token("name", match.group(), line, i, match.end()))
            i = match.end()
        elif match := _NUMBER.match(source, i):
            tokens.append(Token("num", match.group(), line, i, match.end()))
            i = match.end()
        elif match := _PUNCT.match(source, i):
            tokens.append(Token("punct", match.group(), line, i, match.end()))
            i = match.end()
        else:
            i += 1
    return tokens


def _regex_can_follow(token: Token) -> bool:
    if token.kind == "punct":
        return token.value in _REGEX_AFTER
    return token.kind == "name" and token.value in _REGEX_AFTER


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _template(source: str, i: int, line: int) -> tuple[Token, int, int]:
    """A template literal from the backtick at `i`: its text parts and its ${} code."""
    token = Token("tpl", "", line, i)
    text: list[str] = []
    j = i + 1
    while j < len(source) and source[j] != "`":
        if source[j] == "\\":
            text.append(source[j : j + 2])
            j += 2
        elif source.startswith("${", j):
            start = j + 2
            depth = 1
            k = start
            while k < len(source) and depth:
                if source[k] == "`":
                    _, k, _ = _template(source, k, line)
                    continue
                if source[k] in "\"'":
                    q = source[k]
                    k += 1
                    while k < len(source) and source[k] != q:
                        k += 2 if source[k] == "\\" else 1
                elif source[k] == "{":
                    depth += 1
                elif source[k] == "}":
                    depth -= 1
                k += 1
            token.parts.append(_unescape("".join(text)))
            text = []
            token.code.append(tokenize(source, line + source.count("\n", i, start), start, k - 1))
            token.spans.append((start, k - 1))
            j = k
        else:
            text.append(source[j])
            j += 1
    token.parts.append(_unescape("".join(text)))
    token.value = "${}".join(token.parts)
    return token, j + 1, line + source.count("\n", i, j)


# --- where words reach people ----------------------------------------------------------------

WORDED_KEYS = {
    "title",
    "label",
    "hint",
    "body",
    "text",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "alt",
    "confirm",
    "cancel",
    "message",
    "caption",
    "legend",
    "summary",
    "heading",
    "empty",
    "question",
    "help",
    "description",
    "prompt",
    "done",
    "note",
}
WORDED_PROPERTIES = {
    "textContent",
    "innerText",
    "title",
    "placeholder",
    "ariaLabel",
    "alt",
    "label",
    "innerHTML",
}
WORDED_ATTRIBUTES = {
    "aria-label",
    "title",
    "placeholder",
    "alt",
    "aria-description",
    "aria-valuetext",
}
SHOWING_CALLS = {"toast": {0}, "alert": {0}, "confirm": {0}, "prompt": {0}, "createTextNode": {0}}
ANY_ARGUMENT = {"append", "prepend", "replace", "replaceChildren", "after", "before"}
QUIET_CALLS = {
    "t",
    "Error",
    "TypeError",
    "RangeError",
    "log",
    "warn",
    "error",
    "info",
    "debug",
    "import",
    "querySelector",
    "querySelectorAll",
    "closest",
    "matches",
    "getElementById",
    "addEventListener",
    "removeEventListener",
    "dispatchEvent",
    "CustomEvent",
    "Event",
    "fetch",
    "getItem",
    "setItem",
    "removeItem",
    "escape",
    "matchMedia",
    "createElement",
    "createElementNS",
    "getAttribute",
    "removeAttribute",
    "hasAttribute",
    "toggle",
    "contains",
    "add",
    "remove",
    "lazy",
    "navigate",
    "Request",
    "Response",
    "URL",
    "open",
    "deleteDatabase",
    "objectStore",
    "transaction",
    "createObjectStore",
    "createIndex",
    "index",
    "postMessage",
    "Blob",
    "File",
    "scrollIntoView",
}
CLASS_KEYS = {"class", "className", "id", "for", "type", "name", "role", "href", "src", "rel"}
SENTENCE = re.compile(
    r"[A-Za-z]+[,;:]? [A-Za-z]{2,}"  # two words
    r"|^\W*[A-Z][a-z]+(?:-[a-z]+)*\W*$"  # a capitalised word
    r"|[a-z]{2,}[.!?…]$"  # the end of a sentence
)
KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
PATH = re.compile(r"^(?:\.{0,2}/|#/)\S*$")
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


@dataclass
class Found:
    line: int
    text: str
    why: str
    token: Token
    at_load: bool  # read when the module loads, not when a function runs


@dataclass
class _Bracket:
    kind: str
    callee: str | None
    argument: int = 0
    key: str | None = None
    in_function: bool = False


def _callee(tokens: list[Token], at: int) -> str | None:
    """The name called by the `(` at `at` (the last name of a.b.c), or None."""
    if at == 0:
        return None
    before = tokens[at - 1]
    if before.value == "?." and at >= 2:  # an optional call: f?.(...)
        before = tokens[at - 2]
    if before.kind == "name" and before.value not in {
        "if",
        "for",
        "while",
        "switch",
        "catch",
        "return",
        "typeof",
        "function",
        "await",
        "of",
        "in",
        "async",
    }:
        return before.value
    return None


def shown_strings(tokens: list[Token], in_function: bool = False) -> Iterator[Found]:
    """Every string or template literal of `tokens` that people would read."""
    stack: list[_Bracket] = []
    for at, token in enumerate(tokens):
        if token.kind == "punct":
            if token.value in "([{":
                callee = _callee(tokens, at) if token.value == "(" else None
                body = at > 0 and tokens[at - 1].value in (")", "=>")
                inside = body or (stack[-1].in_function if stack else in_function)
                stack.append(_Bracket(token.value, callee, in_function=inside))
            elif token.value in ")]}" and stack:
                stack.pop()
            elif token.value == "," and stack:
                stack[-1].argument += 1
                stack[-1].key = None
            elif token.value == ":" and stack and stack[-1].kind == "{" and at >= 2:
                key = tokens[at - 1]
                opens = tokens[at - 2].value in ("{", ",")  # not the ':' of a ?: inside a value
                if key.kind in ("name", "str") and stack[-1].key is None and opens:
                    stack[-1].key = key.value
            continue
        if token.kind not in ("str", "tpl"):
            continue
        running = (stack[-1].in_function if stack else in_function) or (
            at > 0 and tokens[at - 1].value == "=>"
        )
        if token.kind == "tpl":
            for code in token.code:
                yield from shown_strings(code, running)
        text = "".join(token.parts) if token.kind == "tpl" else token.value
        if not set(WORD.findall(text)) - {"hep"}:
            continue  # no words, or only the app's name
        why = _why(tokens, at, stack, text)
        if why:
            yield Found(token.line, token.value, why, token, not running)


def _why(tokens: list[Token], at: int, stack: list[_Bracket], text: str) -> str | None:
    top = stack[-1] if stack else None
    before = tokens[at - 1] if at else None
    after = tokens[at + 1] if at + 1 < len(tokens) else None
    if (
        after is not None
        and after.value == ":"
        and before is not None
        and before.value in ("{", ",")
        and top
        and top.kind == "{"
    ):
        return None  # a property's name
    if top is not None and top.kind == "(" and top.callee in QUIET_CALLS:
        return None
    if before is not None and before.kind == "name" and before.value == "from":
        return None  # a module
    if PATH.match(text) or KEY.match(text):
        return None  # an address, or a catalogue key
    if top is not None and top.kind == "{" and top.key in CLASS_KEYS:
        return None
    named = tokens[at - 2].value.lower() if at >= 2 else ""
    if before is not None and before.value == "=" and "class" in named:
        return None  # const classes = `card ${...}`
    if top is not None and top.kind == "{" and top.key in WORDED_KEYS:
        return f"the value of {top.key}"
    if _compared(before) or _compared(after):
        return None  # a code compared, not shown
    if top is not None and top.kind == "(":
        if top.callee == "h" and top.argument >= 2:
            return "a child of h()"
        if top.callee in SHOWING_CALLS and top.argument in SHOWING_CALLS[top.callee]:
            return f"shown by {top.callee}()"
        if top.callee in ANY_ARGUMENT and top.argument >= (1 if top.callee == "replace" else 0):
            return f"put in the page by {top.callee}()"
        if top.callee == "setAttribute" and top.argument == 1:
            name = tokens[at - 2] if at >= 2 else None
            if name is not None and name.kind == "str" and name.value in WORDED_ATTRIBUTES:
                return f"the {name.value} attribute"
    if before is not None and before.kind == "punct" and before.value in ("=", "+="):
        target = tokens[at - 2] if at >= 2 else None
        if target is not None and target.kind == "name" and target.value in WORDED_PROPERTIES:
            return f"assigned to {target.value}"
    if SENTENCE.search(text) or (len(tokens[at].parts) > 1 and re.search(r"\s", text)):
        return "reads as words"
    return None


def _compared(token: Token | None) -> bool:
    if token is None:
        return False
    if token.kind == "punct":
        return token.value in {"===", "!==", "==", "!=", "<", ">", "<=", ">="}
    return token.kind == "name" and token.value in {"case", "in"}


def scan(source: str) -> list[Found]:
    return list(shown_strings(tokenize(source)))
