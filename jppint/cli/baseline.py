"""The baseline: today's findings, accepted, so that a run fails only on new ones.

    {
      "format": "jppint-baseline",
      "version": 1,
      "findings": [
        {"file": "out/a.xml", "rule_id": "ibr-co-13", "location": "/ubl:Invoice[1]", "count": 1}
      ]
    }

A finding is known by its fingerprint: its file (relative to the
baseline's directory, in posix form, so the baseline works from any
working directory and on any system; absolute when the file lies
elsewhere), its rule id and its canonical XPath. Neither the line nor the
message is part of it: lines shift when a generator adds a header, and
the message depends on `--lang`. `count` says how many findings share
the fingerprint; a run with more has new ones, reported and failing.

Written stable: entries sorted by file, rule id and location, one per
line, UTF-8, so a baseline under version control changes only where
findings did.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from jppint.cli.inputs import UnreadableError, read_file

FORMAT = "jppint-baseline"
VERSION = 1
# About four million findings; a larger file is no baseline a person reviews.
MAX_BYTES = 512 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True, order=True)
class Fingerprint:
    file: str
    rule_id: str
    location: str


def file_key(label: str, directory: Path) -> str:
    """How the baseline in `directory` names the input labelled `label`."""
    if label.startswith("<") and label.endswith(">"):  # <stdin>: no file
        return label
    absolute = os.path.abspath(label)
    relative = os.path.relpath(absolute, os.path.abspath(directory))
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        return Path(absolute).as_posix()
    return Path(relative).as_posix()


def read_baseline(path: Path) -> Counter[Fingerprint]:
    """The fingerprints of the baseline at `path`, with their counts; raises BaselineError."""
    try:
        # Like an input: never blocks on a FIFO, refuses a device, bounded in size.
        document = json.loads(read_file(str(path), MAX_BYTES))
    except UnreadableError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
    except (ValueError, RecursionError) as error:
        raise BaselineError(f"{path}: not a baseline (not JSON: {error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BaselineError(f'{path}: not a baseline (no "format": "{FORMAT}"); write one with --write-baseline')
    if document.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {document.get('version')!r}; this jppint reads {VERSION}")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f'{path}: "findings" must be a list')
    baseline: Counter[Fingerprint] = Counter()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) for key in ("file", "rule_id", "location")
        ):
            raise BaselineError(f'{path}: finding {number} needs "file", "rule_id" and "location" as strings')
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f'{path}: finding {number}: "count" must be a whole number of 1 or more')
        baseline[Fingerprint(entry["file"], entry["rule_id"], entry["location"])] += count
    return baseline


def baseline_text(fingerprints: Mapping[Fingerprint, int]) -> str:
    """The baseline file's text for these fingerprints (stable: sorted, indented, one final newline)."""
    findings = [
        {"file": key.file, "rule_id": key.rule_id, "location": key.location, "count": count}
        for key, count in sorted(fingerprints.items())
        if count > 0
    ]
    # One finding per line, so that a change to the baseline is a diff of the findings that changed.
    lines = ",\n".join(f"    {json.dumps(finding, ensure_ascii=False)}" for finding in findings)
    body = f"[\n{lines}\n  ]" if findings else "[]"
    return f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "findings": {body}\n}}\n'


def merged(
    current: Mapping[Fingerprint, int], previous: Mapping[Fingerprint, int], files_of_run: Iterable[str]
) -> Counter[Fingerprint]:
    """The baseline to write: this run's findings, and the previous baseline's for files this run did not see.

    A run over some files (pre-commit passes only those changed) must not
    drop what the baseline accepts for the others.
    """
    seen = set(files_of_run)
    result: Counter[Fingerprint] = Counter({key: count for key, count in previous.items() if key.file not in seen})
    result.update(current)
    return result
