"""Shared helpers for the tests: where the example programs are, and Dafny agreement."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kernel_ext.report import VerificationReport

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"


def conformance_dir() -> Path:
    """`../shared/conformance` beside the repository (overridable for other layouts)."""
    override = os.environ.get("MINIDAFNY_CONFORMANCE")
    return Path(override) if override else REPO.parent / "shared" / "conformance"


def load_conformance() -> list[dict]:
    path = conformance_dir() / "expected.json"
    if not path.exists():
        raise FileNotFoundError(
            f"the conformance programs are missing: expected {path} "
            "(set MINIDAFNY_CONFORMANCE to their folder)"
        )
    return json.loads(path.read_text())


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
}


def golden_error_lines(program: Path, entry: dict) -> frozenset[int]:
    """Dafny 2.3's error lines for a golden program, with those only current Dafny reports."""
    lines, _rejected, _why = CURRENT_DAFNY.get(str(program.relative_to(GOLDEN)), ([], False, ""))
    return frozenset(entry["error_lines"]) | frozenset(lines)
