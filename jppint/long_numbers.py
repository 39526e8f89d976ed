"""Numbers too long for any invoice, kept away from the rule engine.

Saxon converts a text to xs:decimal or xs:integer in time quadratic in its
digits: one 1,000,000-digit amount costs about 25 s, and Saxon holds the
interpreter lock meanwhile, so the whole process stops. Up to about 1,000
digits a conversion costs the same per digit as a short one. No value on an
invoice comes near that: an amount needs a few dozen digits, the longest
runs of digits in the 3,960 documents of ../shared are 30 in a text, 20 in
an attribute and 53 across adjacent elements. So a run of more than
`MAX_DIGITS` digits is a fault. Saxon reads the document with a short
token in place of each such value, a token the rules see as a non-number
(as they see "abc"), and one fatal finding names the value and its place.
Error findings that the token caused are folded into that finding, which
lists their rules, so one cause gives one finding.

What is checked: every attribute value, every text node, and the whole
text of a `cbc` element that has children (UBL's basic components are
leaves; a value split over child elements is converted as one by a rule
reading the element). Digits are Unicode decimal digits: Saxon's
xs:integer accepts them all.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from lxml import etree

from jppint.document import Document, serialize_for_engine
from jppint.errors import JppintError
from jppint.locations import Locator, step_name
from jppint.namespaces import CBC
from jppint.results import Finding
from jppint.rulesets import rules_directory

# 10 times the longest run in real documents, and well within the range where
# Saxon's cost per digit is flat (it doubles at about 2,000 digits); also below
# Python's 4,300-digit limit for int(), for anyone reading a valid invoice.
MAX_DIGITS = 300
RULE_ID = "jppint-number-too-long"
TOKEN_PREFIX = "jppint-long-number-"
LANGUAGES = ("en", "ja")
_SOURCE = "jppint"
_SHOWN_START = 20

# Matches the whole text unless a run of more than MAX_DIGITS digits stops it.
# Possessive, so each character is looked at once: linear even for a text
# made of runs just under the limit, where a search for r"\d{301}" is not.
_SHORT_RUNS = re.compile(rf"(?:\D++|\d{{1,{MAX_DIGITS}}}+(?!\d))*+")
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(rf"{re.escape(TOKEN_PREFIX)}(\d+)(?!\d)")
# A byte that is an ASCII digit or part of a non-ASCII character (which may be
# a digit): a long run of digits is a run of at least as many such bytes.
_MAYBE_DIGIT = bytes(0x30 if 0x30 <= byte <= 0x39 or byte >= 0x80 else 0x20 for byte in range(256))
_MAYBE_LONG_RUN = b"0" * (MAX_DIGITS + 1)


def has_long_run(text: str) -> bool:
    """Whether `text` has more than `MAX_DIGITS` digits in a row."""
    match = _SHORT_RUNS.match(text)
    return match is None or match.end() != len(text)


@dataclass(frozen=True)
class _Place:
    """A value with a long run: on `node` (its `tail` for "tail"), `index` in `root.iter()` order."""

    index: int
    node: etree._Element
    part: str  # "text", "tail", "content" (the whole text of an element), or "@" + attribute name
    value: str

    @property
    def element(self) -> etree._Element:
        """The element whose text or attribute the value is."""
        return self.node.getparent() if self.part == "tail" else self.node


@dataclass(frozen=True)
class _Listed:
    finding: Finding
    token: str
    fields: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Screened:
    """The text Saxon parses, and a finding per value that was kept from it."""

    text: str
    findings: tuple[Finding, ...] = ()
    _listed: tuple[_Listed, ...] = ()

    def folded(self, findings: list[Finding]) -> list[Finding]:
        """`findings` without the rules' error findings on our tokens; ours name those rules instead."""
        if not self.findings:
            return findings
        ours = {id(item.finding): item for item in self._listed}
        unchecked: dict[str, list[str]] = {}
        kept: list[Finding] = []
        for finding in findings:
            if finding.kind == "error" and id(finding) not in ours:
                tokens = _TOKEN.findall(finding.detail or finding.messages.get("en", finding.message))
                if tokens:
                    for number in tokens:
                        rules = unchecked.setdefault(TOKEN_PREFIX + number, [])
                        if finding.rule_id not in rules:
                            rules.append(finding.rule_id)
                    continue
            kept.append(finding)
        return [_naming_rules(ours[id(f)], unchecked) if id(f) in ours else f for f in kept]


def screen_long_numbers(document: Document, *, limit: int | None = None) -> Screened:
    """The text for Saxon, with every value of more than `MAX_DIGITS` digits in a row replaced by a token.

    For an ordinary invoice this adds two byte scans to the serialisation
    Saxon needs anyway: 12-25 µs for the official examples, about 1 ms for
    a 1,000-line invoice. At most `limit` findings are listed; one more
    counts the rest.
    """
    text = serialize_for_engine(document)
    if not _may_have_long_run(document.root, text):
        return Screened(text)
    places = _places(document.root)
    if not places:
        return Screened(text)
    tokens: dict[str, str] = {}
    for place in places:
        tokens.setdefault(place.value, f"{TOKEN_PREFIX}{len(tokens) + 1}")
    shown = places if limit is None else places[:limit]
    locator = Locator(document.root)
    listed = tuple(_listed(place, tokens[place.value], locator) for place in shown)
    findings = tuple(item.finding for item in listed)
    if len(shown) < len(places):
        findings += (_more(len(places) - len(shown)),)
    return Screened(_engine_text(document, places, tokens), findings, listed)


def _may_have_long_run(root: etree._Element, text: str) -> bool:
    """False when no text, attribute or element's text can hold a long run; two byte scans, then a precise one."""
    string_value = etree.tostring(root, method="text", encoding="utf-8", with_tail=False)
    if _MAYBE_LONG_RUN not in text.encode("utf-8").translate(
        _MAYBE_DIGIT
    ) and _MAYBE_LONG_RUN not in string_value.translate(_MAYBE_DIGIT):
        return False
    return has_long_run(text) or has_long_run(string_value.decode("utf-8"))


def _places(root: etree._Element) -> list[_Place]:
    """Every value with a long run, in document order; inside a `cbc` element replaced whole, only that."""
    whole = _long_contents(root)
    places: list[_Place] = []
    skipped_until = -1
    for index, node in enumerate(root.iter()):
        if index <= skipped_until:
            continue
        if index and node.tail and has_long_run(node.tail):
            places.append(_Place(index, node, "tail", node.tail))
        if not isinstance(node.tag, str):
            continue  # a comment's or processing instruction's own text is nobody's value
        for name, value in node.attrib.items():
            if has_long_run(value):
                places.append(_Place(index, node, "@" + name, value))
        if node in whole:
            places.append(_Place(index, node, "content", whole[node]))
            skipped_until = index + sum(1 for _ in node.iter()) - 1
        elif node.text and has_long_run(node.text):
            places.append(_Place(index, node, "text", node.text))
    return places


def _long_contents(root: etree._Element) -> dict[etree._Element, str]:
    """Outermost `cbc` elements with children whose whole text has a long run, with that text."""
    found: dict[etree._Element, str] = {}
    basic = f"{{{CBC}}}*"
    for element in root.iter(basic):
        if len(element) and next(element.iterancestors(basic), None) is None:
            content = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
            if has_long_run(content):
                found[element] = content
    return found


def _engine_text(document: Document, places: list[_Place], tokens: dict[str, str]) -> str:
    """The document as Saxon reads it: a copy with each long value replaced by its token."""
    clone = copy.deepcopy(document.root)
    at: dict[int, list[_Place]] = {}
    for place in places:
        at.setdefault(place.index, []).append(place)
    targets = [(node, at[index]) for index, node in enumerate(clone.iter()) if index in at]
    for node, node_places in targets:
        for place in node_places:
            token = tokens[place.value]
            if place.part == "text":
                node.text = token
            elif place.part == "tail":
                node.tail = token
            elif place.part == "content":
                for child in list(node):
                    node.remove(child)
                node.text = token
            else:
                node.set(place.part[1:], token)
    return serialize_for_engine(replace(document, tree=clone.getroottree()))


def _listed(place: _Place, token: str, locator: Locator) -> _Listed:
    element = place.element
    words = _catalogue()["words"]
    name = step_name(element)
    if place.part.startswith("@"):
        attribute = _attribute_step(place.part[1:])
        location = f"{locator.location_of(element)}/@{attribute}"
        where = {lang: words["attribute"][lang].format(attribute=attribute, element=name) for lang in LANGUAGES}
    else:
        location = locator.location_of(element)
        where = dict.fromkeys(LANGUAGES, name)
    stripped = place.value.strip()
    start = " ".join(stripped[:_SHOWN_START].split())
    digits = f"{len(place.value) - len(_DIGITS.sub('', place.value)):,}"
    fields = {
        "element": where,
        "value": {lang: words["shortened"][lang].format(start=start, digits=digits) for lang in LANGUAGES},
        "limit": dict.fromkeys(LANGUAGES, str(MAX_DIGITS)),
        "unchecked": dict.fromkeys(LANGUAGES, ""),
    }
    texts = _filled("finding", fields)
    finding = Finding(
        rule_id=RULE_ID,
        flag="fatal",
        severity="fatal",
        message=texts["en"],
        messages=texts,
        location=location,
        line=element.sourceline,
        test="",
        kind="error",
        source=_SOURCE,
        detail=f"the rules read {token} in its place",
    )
    return _Listed(finding, token, fields)


def _naming_rules(item: _Listed, unchecked: dict[str, list[str]]) -> Finding:
    rules = unchecked.get(item.token)
    if not rules:
        return item.finding
    words = _catalogue()["words"]
    named = {lang: words["unchecked"][lang].format(rules=words["separator"][lang].join(rules)) for lang in LANGUAGES}
    texts = _filled("finding", {**item.fields, "unchecked": named})
    return item.finding.model_copy(update={"message": texts["en"], "messages": texts})


def _more(count: int) -> Finding:
    texts = _filled(
        "more", {"count": dict.fromkeys(LANGUAGES, f"{count:,}"), "limit": dict.fromkeys(LANGUAGES, str(MAX_DIGITS))}
    )
    return Finding(
        rule_id=RULE_ID,
        flag="fatal",
        severity="fatal",
        message=texts["en"],
        messages=texts,
        location="/",
        test="",
        kind="error",
        source=_SOURCE,
    )


def _attribute_step(name: str) -> str:
    """An attribute as a location step writes it: its name, or Q{uri}local in a namespace."""
    qname = etree.QName(name)
    return f"Q{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname


def _filled(template: str, fields: dict[str, dict[str, str]]) -> dict[str, str]:
    rule = _catalogue()["rules"][RULE_ID]
    return {
        lang: rule[f"{lang}-{template}"].format(**{name: texts[lang] for name, texts in fields.items()})
        for lang in LANGUAGES
    }


def catalogue_file() -> str:
    return str(rules_directory() / "jppint" / "catalogue.toml")


@cache
def _catalogue() -> dict[str, Any]:
    try:
        with open(catalogue_file(), "rb") as stream:
            return tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise JppintError(f"{catalogue_file()}: cannot read jppint's own messages: {error}") from None
