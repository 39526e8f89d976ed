"""Findings a run leaves out of its report: those not selected or ignored, and those in the baseline.

A finding left out is gone from every format and from the counts: it is
not listed, it does not fail its document, and the report is recomputed
without it (`counts`, each layer's counts and status, and `valid`, which
then means "valid but for what you chose to leave out"), so that a JSON
reader, the exit code and the text agree. How many were left out, by
selection and by the baseline, stays in the summary.

Input errors are never left out: a file that could not be validated
always fails the run. Nor are the schema findings that stopped the rules
(`--stop-on-schema-error`): a document whose rules never ran must not pass.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jppint.cli.baseline import BaselineError, Fingerprint, baseline_text, file_key, merged, read_baseline
from jppint.cli.output import report_target, write_report
from jppint.cli.selection import Selection, SelectorError
from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.results import Finding, LayerResult, ValidationReport


def select(batch: BatchResult, selection: Selection) -> BatchResult:
    """The batch with only the findings `selection` keeps."""
    if selection.everything:
        return batch

    def for_outcome(outcome: Outcome) -> Callable[[Finding], bool]:
        ignored = selection.ignored_in(_path_of(outcome))
        return lambda finding: selection.keeps(finding.rule_id, ignored)

    return _filtered(batch, for_outcome, "ignored")


def fingerprints(batch: BatchResult, directory: Path) -> Counter[Fingerprint]:
    """Every finding of the batch as the baseline in `directory` names it."""
    found: Counter[Fingerprint] = Counter()
    for outcome in batch.outcomes:
        if outcome.report is not None:
            file = file_key(outcome.label, directory)
            found.update(Fingerprint(file, finding.rule_id, finding.location) for finding in outcome.report.findings)
    return found


def files_of(batch: BatchResult, directory: Path) -> set[str]:
    """The inputs of the batch as the baseline in `directory` names them."""
    return {file_key(outcome.label, directory) for outcome in batch.outcomes}


def against_baseline(
    batch: BatchResult, baseline: Counter[Fingerprint], directory: Path
) -> tuple[BatchResult, Counter[Fingerprint]]:
    """The batch with only the findings the baseline does not account for, and what of the baseline was unused.

    Each baseline entry absorbs up to `count` findings of its fingerprint,
    in document order; the rest are new. What is left of the entries of
    this batch's files are findings that went away (fixed, or moved).
    """
    left = Counter(baseline)

    def for_outcome(outcome: Outcome) -> Callable[[Finding], bool]:
        file = file_key(outcome.label, directory)

        def is_new(finding: Finding) -> bool:
            key = Fingerprint(file, finding.rule_id, finding.location)
            if left[key] > 0:
                left[key] -= 1
                return False
            return True

        return is_new

    filtered = _filtered(batch, for_outcome, "baselined")
    files = files_of(batch, directory)
    return filtered, Counter({key: count for key, count in left.items() if count > 0 and key.file in files})


def _path_of(outcome: Outcome) -> str | None:
    label = outcome.label
    return None if label.startswith("<") and label.endswith(">") else label


def _filtered(batch: BatchResult, keeper: Callable[[Outcome], Callable[[Finding], bool]], counter: str) -> BatchResult:
    outcomes = []
    for outcome in batch.outcomes:
        if outcome.report is None or not outcome.report.findings:
            outcomes.append(outcome)
            continue
        keeps = keeper(outcome)
        stopped = _stopped_the_rules(outcome.report)
        kept = [finding for finding in outcome.report.findings if stopped(finding) or keeps(finding)]
        removed = len(outcome.report.findings) - len(kept)
        if not removed:
            outcomes.append(outcome)
            continue
        report = without(outcome.report, kept)
        changes = {"report": report, counter: getattr(outcome, counter) + removed}
        outcomes.append(dataclasses.replace(outcome, **changes))
    return dataclasses.replace(batch, outcomes=tuple(outcomes))


def _stopped_the_rules(report: ValidationReport) -> Callable[[Finding], bool]:
    """Schema findings that kept the rules from running (`--stop-on-schema-error`) are never left out:
    without them, a document whose rules never ran would pass."""
    statuses = {layer.layer: layer.status for layer in report.layers}
    if statuses.get("schema") == "failed" and statuses.get("rules") == "skipped":
        return lambda finding: finding.layer == "schema" and finding.severity == "fatal"
    return lambda finding: False


def without(report: ValidationReport, kept: list[Finding]) -> ValidationReport:
    """The report holding only the findings `kept`, its counts, layers and `valid` recomputed from them."""
    counts = _counts(kept)
    layers = tuple(_layer(layer, kept) for layer in report.layers)
    deciding_fatal = sum(1 for finding in kept if finding.layer != "advice" and finding.severity == "fatal")
    return report.model_copy(
        update={"findings": tuple(kept), "counts": counts, "layers": layers, "valid": deciding_fatal == 0}
    )


def _layer(layer: LayerResult, kept: list[Finding]) -> LayerResult:
    if layer.status == "skipped":
        return layer
    counts = _counts([finding for finding in kept if finding.layer == layer.layer])
    return layer.model_copy(update={"counts": counts, "status": "failed" if counts["fatal"] else "passed"})


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"fatal": 0, "warning": 0, "information": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


class SuppressionError(Exception):
    """A selection or baseline that cannot be used: the run stops before validating (exit 2)."""


@dataclass(frozen=True)
class Suppression:
    """What a run leaves out, from its options: `--select`, `--ignore`, `--per-file-ignores`, `--baseline`,
    and `--write-baseline`, which writes this run's findings and then judges the run against them."""

    selection: Selection
    baseline: Counter[Fingerprint] | None = None
    baseline_directory: Path = Path()
    write_to: Path | None = None

    @classmethod
    def of(
        cls,
        selection: Selection,
        *,
        baseline: str | None,
        write_baseline: str | None,
        built_in: bool,
    ) -> Suppression:
        """Checked before any document is validated: a typing mistake costs no batch. Raises SuppressionError."""
        if built_in and not selection.everything:  # the catalogue is read only when there is a selector to check
            from jppint.catalogue import all_rules

            try:
                selection.check(all_rules())
            except SelectorError as problem:
                raise SuppressionError(str(problem)) from None
        read: Counter[Fingerprint] | None = None
        directory = Path()
        if baseline is not None:
            read = _read(Path(baseline))
            directory = Path(baseline).parent
        target = Path(write_baseline) if write_baseline is not None else None
        if target is not None:
            if target.exists():
                _read(target)  # never write over a file that is not a baseline
            try:
                report_target(target)
            except OSError as problem:
                raise SuppressionError(
                    f"cannot write the baseline to {target}: {problem.strerror or problem}"
                ) from None
        return cls(selection, read, directory, target)

    def apply(self, batch: BatchResult) -> tuple[BatchResult, list[str]]:
        """The batch without what is left out, and lines for standard error: what was written, what is stale.

        Raises OSError when the baseline cannot be written.
        """
        batch = select(batch, self.selection)
        notes: list[str] = []
        baseline, directory = self.baseline, self.baseline_directory
        if self.write_to is not None:
            directory = self.write_to.parent
            previous = _read(self.write_to) if self.write_to.exists() else Counter()
            current = fingerprints(batch, directory)
            baseline = merged(current, previous, files_of(batch, directory))
            write_report(self.write_to, baseline_text(baseline).encode("utf-8"))
            notes.append(
                f"wrote {sum(current.values())} findings of this run to the baseline {self.write_to} "
                f"({sum(baseline.values())} in all)"
            )
        if baseline is not None:
            batch, unused = against_baseline(batch, baseline, directory)
            if unused and self.write_to is None:
                notes.append(
                    f"{sum(unused.values())} findings of the baseline are gone from these files (fixed?); "
                    "--write-baseline with the same file drops them"
                )
        return batch, notes


def _read(path: Path) -> Counter[Fingerprint]:
    try:
        return read_baseline(path)
    except BaselineError as problem:
        raise SuppressionError(str(problem)) from None
