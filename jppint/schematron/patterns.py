"""Match patterns whose predicates cannot raise an error while Saxon matches them.

XSLT 3.0 makes a dynamic error in a match pattern mean "no match", and
Saxon reports each one as a warning on the process's standard error, which
belongs to whoever embeds jppint. So each predicate of a pattern is guarded:
`step[E]` becomes `step[if (jpi:predicateN(.)) then (E) else ()]`, where
the stylesheet function `jpi:predicateN` evaluates E under `xsl:try` with
the same focus and answers whether the predicate can be evaluated. E stays
where it was, so its value (a number still selects by position), its static
type (Saxon matches by position only when it must) and so every verdict are
those of the pattern as written; an error that made the pattern not match
still does, and only the warning is gone.

A predicate that cannot raise is left as it is (see `cannot_raise`): the
guard costs a function call and a second evaluation of the predicate, and
most predicates are simple tests such as `[@schemeID = '0088']`.

A global variable whose evaluation fails is a special case (see
`schematron.xslt.write_global_let`): a guard first asks whether the global
variables its predicate names have failed, and answers "no match" without
touching them if so, as Saxon's own matching did.

A pattern this module cannot read (unbalanced brackets, an unterminated
string) is left as written: Saxon then reports it as the error it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_NAME_CHARACTER = re.compile(r"[\w.\-]")
# `current()` inside a predicate means the item the whole pattern is matched against; a
# stylesheet function has no such item, so the guard receives it as a parameter.
_CURRENT_CALL = re.compile(r"(?<![\w.\-$}:])(?:fn:)?current\s*\(\s*\)")
_CURRENT_LEFT = re.compile(r"(?<![\w.\-$])current\s*\(")
_VARIABLE = re.compile(r"\$\s*([\w.\-]+(?::[\w.\-]+)?)")


@dataclass(frozen=True)
class Predicate:
    """One predicate of a pattern, as its guard function evaluates it.

    `expression` is E with every `current()` written as `$jpi:current`;
    `position` and `last` say whether E may need the focus's position or
    size (a conservative answer: the words occur in it), which the pattern
    then passes to the guard; `variables` are the names of the variables
    it refers to.
    """

    expression: str
    position: bool
    last: bool
    current: bool
    variables: frozenset[str]

    @property
    def parameters(self) -> tuple[tuple[str, str], ...]:
        """The guard function's parameters after the item, with their types, in call order."""
        wanted = (("position", "xs:integer", self.position), ("last", "xs:integer", self.last))
        extra = tuple((name, kind) for name, kind, needed in wanted if needed)
        return (*extra, ("current", "item()")) if self.current else extra


def guard_pattern(pattern: str, write_guard: Callable[[Predicate], str], *, rooted: bool = False) -> str:
    """The pattern with each of its own predicates guarded.

    `write_guard` writes the stylesheet function for a predicate and returns
    its name. Predicates inside a predicate are part of its expression and
    are guarded with it. `rooted` says the pattern is only ever matched
    against nodes of a tree whose root is a document node (see
    `cannot_raise`).
    """
    spans = _predicate_spans(pattern)
    if not spans:
        return pattern
    parts: list[str] = []
    done = 0
    for start, end in spans:
        expression = pattern[start:end]
        parts.append(pattern[done:start])
        parts.append(_guarded(expression, write_guard, rooted))
        done = end
    parts.append(pattern[done:])
    return "".join(parts)


def _guarded(expression: str, write_guard: Callable[[Predicate], str], rooted: bool) -> str:
    blank = _blanked(expression)
    if blank is None or cannot_raise(expression, rooted=rooted):
        return expression
    words = set(re.findall(r"(?<![\w.\-])(position|last|current)(?![\w.\-])", blank))
    moved = expression
    if "current" in words:
        moved = _replace_spans(expression, _CURRENT_CALL.finditer(blank), "$jpi:current")
        left = _blanked(moved)
        if left is None or _CURRENT_LEFT.search(left):
            return expression  # a current() we cannot rewrite safely: left as written
    variables = frozenset(_VARIABLE.findall(blank))
    predicate = Predicate(moved, "position" in words, "last" in words, "current" in words, variables)
    name = write_guard(predicate)
    arguments = ["."]
    arguments += [f"{parameter}()" for parameter, _ in predicate.parameters]
    return f"if ({name}({', '.join(arguments)})) then ({expression}) else ()"


def variable_references(text: str) -> frozenset[str]:
    """The names of the variables an expression refers to, as written (a local one too)."""
    blank = _blanked(text)
    return frozenset(_VARIABLE.findall(blank if blank is not None else text))


def _replace_spans(text: str, matches: object, replacement: str) -> str:
    parts: list[str] = []
    done = 0
    for match in matches:  # type: ignore[attr-defined]
        parts.append(text[done : match.start()])
        parts.append(replacement)
        done = match.end()
    parts.append(text[done:])
    return "".join(parts)


def _predicate_spans(pattern: str) -> list[tuple[int, int]]:
    """Where the pattern's own predicates' expressions are, between their brackets."""
    blank = _blanked(pattern)
    if blank is None:
        return []
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, character in enumerate(blank):
        if character == "[":
            if depth == 0:
                start = index + 1
            depth += 1
        elif character == "]":
            depth -= 1
            if depth < 0:
                return []
            if depth == 0:
                spans.append((start, index))
    return spans if depth == 0 else []


def _blanked(text: str) -> str | None:
    """The text with the insides of string literals, comments and `Q{...}` URIs as spaces.

    Same length as the text, so positions found in it are positions in the
    text; None when a literal, comment or URI does not end.
    """
    characters = list(text)
    index = 0
    length = len(text)
    while index < length:
        character = text[index]
        if character in "'\"":
            end = index + 1
            while True:
                end = text.find(character, end)
                if end == -1:
                    return None
                if text.startswith(character * 2, end):
                    end += 2
                    continue
                break
            characters[index + 1 : end] = " " * (end - index - 1)
            index = end + 1
        elif text.startswith("(:", index):
            comment_end = _comment_end(text, index)
            if comment_end is None:
                return None
            characters[index:comment_end] = " " * (comment_end - index)
            index = comment_end
        elif text.startswith("Q{", index) and (index == 0 or not _NAME_CHARACTER.match(text[index - 1])):
            end = text.find("}", index)
            if end == -1:
                return None
            characters[index + 2 : end] = " " * (end - index - 2)
            index = end + 1
        else:
            index += 1
    return "".join(characters)


def _comment_end(text: str, start: int) -> int | None:
    """The index after the comment that opens at `start`; XPath comments nest."""
    depth = 0
    index = start
    while index < len(text):
        if text.startswith("(:", index):
            depth += 1
            index += 2
        elif text.startswith(":)", index):
            depth -= 1
            index += 2
            if depth == 0:
                return index
        else:
            index += 1
    return None


_TOKEN = re.compile(
    r"""\s+
    | (?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")
    | (?P<number>\d+(?![\w.]))
    | (?P<name>(?:\*|[^\W\d][\w.\-]*)(?::(?:\*|[^\W\d][\w.\-]*))?)
    | (?P<symbol>//|::|!=|<=|>=|\.\.|[\[\]()@/.=<>|,])
    """,
    re.VERBOSE,
)
_AXES = frozenset(
    "child descendant descendant-or-self self parent ancestor ancestor-or-self following-sibling "
    "preceding-sibling following preceding attribute".split()
)
_KIND_TESTS = frozenset({"text", "node", "comment"})
_CONTEXT_STRINGS = frozenset({"name", "local-name", "namespace-uri", "normalize-space", "string"})
_STRING_TESTS = frozenset({"starts-with", "ends-with", "contains"})
_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
_COMPARABLE = frozenset({"nodes", "string", "strings"})


class _MayRaise(Exception):
    pass


def cannot_raise(expression: str, *, rooted: bool = False) -> bool:
    """Whether a predicate is sure not to raise an error on any node of any document.

    A small grammar that is safe on untyped nodes: an integer; relative
    paths of name and kind tests (their predicates the same); `and`, `or`
    and parentheses; general comparisons of paths, strings, sequences of
    strings (`('30', '58')`) and the context's own name or string; `not()`,
    `exists()`, `empty()`, `boolean()`, `true()`, `false()`; `starts-with()`,
    `ends-with()` and `contains()` of single strings. Anything else (a
    number compared with a node, a function of a path that may hold two
    nodes, a variable) may. Paths from the root (`/*/cbc:ID`, `//cbc:ID`)
    raise on a tree without a document node, so they count as safe only
    when `rooted` says the node is in a document.

    Every guard left out saves its function call and a second evaluation
    at each match, and Saxon compiles a guarded pattern several times
    slower than a plain one.
    """
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            return False
        position = match.end()
        if match.lastgroup is not None:
            tokens.append((match.lastgroup, match.group()))
    try:
        _Reader(tokens, rooted).predicate()
    except _MayRaise:
        return False
    return True


class _Reader:
    """A recursive-descent reader of `cannot_raise`'s grammar; raises `_MayRaise` outside it."""

    def __init__(self, tokens: list[tuple[str, str]], rooted: bool) -> None:
        self.tokens = tokens
        self.rooted = rooted
        self.at = 0

    def peek(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.tokens[index][1] if index < len(self.tokens) else None

    def kind(self, offset: int = 0) -> str | None:
        index = self.at + offset
        return self.tokens[index][0] if index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        text = self.peek()
        if text is None or (expected is not None and text != expected):
            raise _MayRaise
        self.at += 1
        return text

    def predicate(self) -> None:
        """A whole predicate: a position, or a test."""
        if self.kind() == "number" and self.peek(1) in (None, "]"):
            self.take()
        else:
            self.disjunction()
        if self.peek() not in (None, "]"):
            raise _MayRaise

    def disjunction(self) -> str:
        kind = self.conjunction()
        while self.peek() == "or" and self.kind() == "name":
            self.take()
            self.conjunction()
            kind = "boolean"
        return kind

    def conjunction(self) -> str:
        kind = self.comparison()
        while self.peek() == "and" and self.kind() == "name":
            self.take()
            self.comparison()
            kind = "boolean"
        return kind

    def comparison(self) -> str:
        left = self.operand()
        if self.peek() in _COMPARISONS and self.kind() == "symbol":
            self.take()
            right = self.operand()
            if left not in _COMPARABLE or right not in _COMPARABLE:
                raise _MayRaise  # a boolean or number against an untyped value is a cast that may fail
            return "boolean"
        if left == "strings":
            raise _MayRaise
        return left

    def operand(self) -> str:
        if self.kind() == "string":
            self.take()
            return "string"
        if self.peek() == "(":
            self.take()
            kind = self.disjunction()
            while kind in ("string", "strings") and self.peek() == ",":
                self.take()
                if self.kind() != "string":
                    raise _MayRaise
                self.take()
                kind = "strings"  # compared, each of them is; anywhere else it has no boolean value
            self.take(")")
            return kind
        if self.kind() == "name" and self.peek(1) == "(" and self.peek() not in _KIND_TESTS:
            return self.function()
        self.path()
        return "nodes"

    def function(self) -> str:
        name = self.take()
        self.take("(")
        if name in ("true", "false") or name in _CONTEXT_STRINGS:
            kind = "boolean" if name in ("true", "false") else "string"
        elif name == "not":
            self.disjunction()
            kind = "boolean"
        elif name in ("exists", "empty", "boolean"):
            self.path()
            kind = "boolean"
        elif name in _STRING_TESTS:
            self.single_string()
            self.take(",")
            self.single_string()
            kind = "boolean"
        else:
            raise _MayRaise
        self.take(")")
        return kind

    def single_string(self) -> None:
        """A string literal, the context's own name or string, the context node, or one of its attributes."""
        if self.kind() == "string":
            self.take()
        elif self.peek() == ".":
            self.take()
        elif self.peek() == "@" and self.kind(1) == "name" and "*" not in (self.peek(1) or "*"):
            self.take()
            self.take()
        elif self.peek() in _CONTEXT_STRINGS and self.peek(1) == "(" and self.peek(2) == ")":
            self.at += 3
        else:
            raise _MayRaise

    def path(self) -> None:
        """A union of paths, relative ones or, in a document (`rooted`), from the root."""
        self.relative_path()
        while self.peek() == "|":
            self.take()
            self.relative_path()

    def relative_path(self) -> None:
        if self.rooted and self.peek() in ("/", "//") and self.kind() == "symbol":
            self.take()  # from the root: a document node here, so `/` cannot fail
        self.step()
        while self.peek() in ("/", "//"):
            self.take()
            self.step()

    def step(self) -> None:
        if self.peek() in (".", ".."):
            self.take()
            return
        if self.peek() == "@":
            self.take()
        elif self.kind() == "name" and self.peek() in _AXES and self.peek(1) == "::":
            self.at += 2
        if self.kind() != "name":
            raise _MayRaise
        if self.peek() in _KIND_TESTS and self.peek(1) == "(":
            self.at += 1
            self.take("(")
            self.take(")")
        else:
            self.take()
        while self.peek() == "[":
            self.take()
            self.predicate()
            self.take("]")
