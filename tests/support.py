"""Shared helpers for the tests: where the example programs are, their reports, and Dafny agreement."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from kernel_ext import verify
from kernel_ext.report import VerificationReport

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
CONFORMANCE_VARIABLE = "MINIDAFNY_CONFORMANCE"


def _conformance_folder() -> Path:
    """`../shared/conformance` beside the repository, or the folder MINIDAFNY_CONFORMANCE names."""
    override = os.environ.get(CONFORMANCE_VARIABLE)
    return Path(override) if override else REPO.parent / "shared" / "conformance"


def conformance_missing() -> str | None:
    """Why the tests that need the conformance programs are skipped; None when they are present."""
    folder = _conformance_folder()
    if (folder / "expected.json").exists():
        return None
    shown = folder if os.environ.get(CONFORMANCE_VARIABLE) else os.path.relpath(folder, REPO)
    return f"the conformance programs are not present: {shown} (set {CONFORMANCE_VARIABLE})"


def conformance_dir() -> Path:
    """The conformance folder; a test that asks for it is skipped when it is absent.

    Call it inside a test: pytest refuses a skip at a module's top level, where
    `load_conformance` and `conformance_programs` serve.
    """
    __tracebackhide__ = True  # the skip is reported at the test's line, not here
    reason = conformance_missing()
    if reason is not None:
        pytest.skip(reason)
    return _conformance_folder()


def load_conformance() -> list[dict]:
    """What Dafny says of each conformance program (`expected.json`); none when it is absent.

    Safe while a module is collected; parametrize over it with `conformance_params`, so that
    a missing folder shows as a skipped test with its reason rather than as no test.
    """
    if conformance_missing() is not None:
        return []
    return json.loads((_conformance_folder() / "expected.json").read_text())


def conformance_programs(pattern: str) -> list[Path]:
    """The conformance programs whose names match `pattern`; none when the folder is absent."""
    return [] if conformance_missing() is not None else sorted(_conformance_folder().glob(pattern))


def conformance_params(params: list, ids: list[str]) -> list:
    """`params` as pytest parameters, and one skipped in their place when the folder is absent."""
    found = [pytest.param(value, id=name) for value, name in zip(params, ids, strict=True)]
    reason = conformance_missing()
    if reason is not None:
        found.append(pytest.param(None, id="conformance", marks=pytest.mark.skip(reason=reason)))
    return found


def report_of(program: Path) -> VerificationReport:
    """The program's report with the default options, verified once per test session."""
    return _verified(program, program.read_text())


@cache
def _verified(program: Path, text: str) -> VerificationReport:
    return verify(text, program.name)


def disagreements(report: VerificationReport, error_lines: list[int]) -> list[str]:
    """How our verdict differs from Dafny's, by the rule of the conformance set.

    Every line where Dafny reports an error must be the primary or a related line of one
    of our errors, and each of our errors must touch one of Dafny's lines; a program that
    Dafny proves must be proved here, every obligation of it.
    """
    problems = [f"diagnostic at line {d.span.start_line}: {d.message}" for d in report.diagnostics]
    ours = [
        (ob.span.start_line, {ob.span.start_line, *(s.start_line for s in ob.related)}, ob)
        for ob in report.errors
    ]
    if not error_lines:
        problems += [
            f"line {line}: {ob.kind.id} {ob.status.value} but Dafny proves it" for line, _, ob in ours
        ]
        return problems
    covered = set().union(*(lines for _, lines, _ in ours)) if ours else set()
    problems += [
        f"Dafny reports line {line}; no error of ours there" for line in error_lines if line not in covered
    ]
    problems += [
        f"line {line}: {ob.kind.id} {ob.status.value}, but Dafny reports nothing there"
        for line, lines, ob in ours
        if not lines & set(error_lines)
    ]
    return problems


# Where Dafny 2.3 (the recorded oracle) and current Dafny differ, MiniDafny follows current Dafny:
# the lines where it reports what Dafny 2.3 does not, whether they are rejected before
# verification, and why.
CURRENT_DAFNY: dict[str, tuple[list[int], bool, str]] = {
    "soundness/forall_ensures_wf_bad.dfy": (
        [5, 6],
        False,
        "Dafny 2.3 does not check the well-formedness of a forall statement's ensures clauses; "
        "current Dafny reports the division by zero and the index.",
    ),
    "soundness/nat_collections_bad.dfy": (
        [17],
        False,
        "Dafny 2.3 types `s[0 := -1]` of a seq<nat> as a seq<nat> and so misses the -1; current "
        "Dafny gives it the type seq<int> and checks the assignment to a seq<nat>.",
    ),
    "soundness/nat_array_invariance_reject.dfy": (
        [12],
        True,
        "Arrays are invariant: current Dafny rejects an array<nat> where an array<int> goes as a "
        "type error; Dafny 2.3 reports a failed subset check on 'array<int>' at the same place.",
    ),
    "types/seq_bad.dfy": (
        [6],
        False,
        "Dafny 2.3 types `s + [x]` of a seq<Index> and an int as a seq<Index> and so misses an x "
        "of 10 or more (a run shows it); current Dafny types it seq<int> and checks the assignment.",
    ),
}


def golden_error_lines(program: Path, entry: dict) -> frozenset[int]:
    """Dafny 2.3's error lines for a golden program, with those only current Dafny reports."""
    lines, _rejected, _why = CURRENT_DAFNY.get(str(program.relative_to(GOLDEN)), ([], False, ""))
    return frozenset(entry["error_lines"]) | frozenset(lines)
