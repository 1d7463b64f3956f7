"""The soundness campaign: mutate verified programs, verify the mutants, run the verified ones.

The interpreter is the oracle. It checks at run time everything the verifier checks
statically, so a mutant that verifies and then breaks a check when it runs is a program
the verifier proved wrongly: a soundness bug. An internal error, of the verifier or of
the interpreter, is a failure too.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from kernel_ext import Options, verify
from kernel_ext.lang.diagnostics import DiagnosticError, Phase
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.run import ArrayValue, Outcome, run_method, show_value
from kernel_ext.run.command import violation_lines
from kernel_ext.run.inputs import valid_inputs
from kernel_ext.run.interp import precondition_holds
from tests.soundness.mutants import Mutant, mutants_of

RUNS_PER_METHOD = 24  # inputs tried on each method of a verified mutant
RUNS_WHEN_REFUTED = 2  # a refuted mutant still runs, to catch the interpreter's internal errors
INPUT_ATTEMPTS = 600  # input combinations looked at for each method
STEP_LIMIT = 20_000
VIOLATED = "verified, yet violated"


class Verdict(Enum):
    REJECTED = "rejected"  # a parse, type or other front-end error
    REFUTED = "refuted"  # some obligation failed or was unknown
    VERIFIED = "verified"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Finding:
    """A failure of the campaign: a soundness bug or an internal error."""

    mutant: Mutant
    what: str  # VIOLATED or "internal error"
    detail: str

    def describe(self) -> str:
        numbered = "\n".join(f"{n:4} | {line}" for n, line in enumerate(self.mutant.text.splitlines(), 1))
        return f"{self.what}: {self.mutant.name}\n{self.detail}\n{numbered}"


@dataclass(frozen=True)
class Examined:
    mutant: Mutant
    verdict: Verdict
    runs: int = 0
    outcomes: tuple[tuple[str, int], ...] = ()
    findings: tuple[Finding, ...] = ()


def seeds(folder: Path) -> list[Path]:
    """The golden programs that verify: those whose expected output records no error."""
    return [
        path
        for path in sorted(folder.rglob("*.dfy"))
        if path.with_name(path.name + ".expect").exists()
        and "Error" not in path.with_name(path.name + ".expect").read_text()
    ]


def all_mutants(paths: Iterable[Path], root: Path) -> list[Mutant]:
    return [
        mutant
        for path in paths
        for mutant in mutants_of(str(path.relative_to(root)), path.read_text(), parse)
    ]


def select(mutants: list[Mutant], count: int | None, seed: int = 0) -> list[Mutant]:
    """`count` mutants spread over operators and seeds (all of them when count is None), in a
    fixed order: round robin over the operators, and for each operator over the seeds."""
    rng = random.Random(seed)
    by_operator: dict[str, dict[str, list[Mutant]]] = {}
    for mutant in mutants:
        by_operator.setdefault(mutant.operator, {}).setdefault(mutant.seed, []).append(mutant)
    queues = []
    for by_seed in by_operator.values():
        for group in by_seed.values():
            rng.shuffle(group)
        queues.append(_round_robin(list(by_seed.values())))
    ordered = list(_round_robin(queues))
    return ordered if count is None else ordered[:count]


def _round_robin(queues: list[Iterable[Mutant]]) -> Iterator[Mutant]:
    iterators = [iter(queue) for queue in queues]
    while iterators:
        alive = []
        for iterator in iterators:
            item = next(iterator, None)
            if item is not None:
                yield item
                alive.append(iterator)
        iterators = alive


def examine(mutant: Mutant, options: Options | None = None) -> Examined:
    """Verify one mutant and run it: every method on many inputs if it verified, on a few if
    it did not."""
    report = verify(mutant.text, mutant.seed, options or Options(jobs=1))
    if any(d.phase == Phase.INTERNAL for d in report.diagnostics):
        message = "; ".join(d.message for d in report.diagnostics)
        return Examined(mutant, Verdict.INTERNAL, findings=(Finding(mutant, "internal error", message),))
    if report.diagnostics:
        return Examined(mutant, Verdict.REJECTED)
    try:
        checked = resolve(parse(SourceFile(mutant.seed, mutant.text)))
    except DiagnosticError as error:  # the verifier accepted what the front end refuses
        finding = Finding(mutant, "internal error", f"verified, but refused on its own: {error}")
        return Examined(mutant, Verdict.INTERNAL, findings=(finding,))
    verdict = Verdict.VERIFIED if report.verified else Verdict.REFUTED
    outcomes, findings = run_all(mutant, checked, verified=report.verified)
    return Examined(mutant, verdict, sum(outcomes.values()), tuple(sorted(outcomes.items())), tuple(findings))


def run_all(mutant: Mutant, checked: CheckedProgram, verified: bool) -> tuple[Counter[str], list[Finding]]:
    """Run every method of a mutant on generated inputs: the outcomes, and what they reveal
    given the verifier's verdict."""
    source = SourceFile(mutant.seed, mutant.text)
    outcomes: Counter[str] = Counter()
    findings = []
    for method in checked.program.methods():
        for args in inputs_for(checked, method.name, RUNS_PER_METHOD if verified else RUNS_WHEN_REFUTED):
            shown = ", ".join(f"{name} = {show_value(value)}" for name, value in args.items())
            result = run_method(checked, method.name, args, step_limit=STEP_LIMIT, source=source)
            outcomes[result.outcome.value] += 1
            if result.outcome is Outcome.INTERNAL:
                detail = f"{method.name}({shown}): {result.message}"
                findings.append(Finding(mutant, "internal error in the interpreter", detail))
            elif result.outcome is Outcome.VIOLATION and verified:
                detail = "\n".join([f"run {method.name}({shown})", *violation_lines(result, source)])
                findings.append(Finding(mutant, VIOLATED, detail))
    return outcomes, findings


def inputs_for(checked: CheckedProgram, method: str, count: int) -> Iterator[dict[str, object]]:
    """Up to `count` valid inputs; where two array parameters have one type, some of them
    pass one array for both (the aliasing a caller may do)."""
    found = list(itertools.islice(valid_inputs(checked, method, INPUT_ATTEMPTS), count))
    yield from found
    for args in found[: count // 4]:
        aliased = _aliased(args)
        if aliased is not None and precondition_holds(checked, method, aliased):
            yield aliased


def _aliased(args: dict[str, object]) -> dict[str, object] | None:
    arrays = [name for name, value in args.items() if isinstance(value, ArrayValue)]
    for first, second in itertools.combinations(arrays, 2):
        if type(args[first]) is type(args[second]):
            return {**args, second: args[first]}
    return None


@dataclass
class Tally:
    mutants: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    runs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_operator: dict[str, Counter[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    verified_and_run: int = 0

    def add(self, examined: Examined) -> None:
        self.mutants += 1
        self.verdicts[examined.verdict.value] += 1
        self.runs += examined.runs
        self.outcomes.update(dict(examined.outcomes))
        operator = self.by_operator.setdefault(examined.mutant.operator, Counter())
        operator["mutants"] += 1
        operator[examined.verdict.value] += 1
        if examined.verdict is Verdict.VERIFIED and examined.runs:
            self.verified_and_run += 1
        violations = [f for f in examined.findings if f.what == VIOLATED]
        operator["violations"] += len(violations)
        self.findings += examined.findings

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.what == VIOLATED)

    @property
    def internal_errors(self) -> int:
        return len(self.findings) - self.violations

    def summary(self, seeds: int) -> str:
        lines = [
            f"soundness campaign: {self.mutants} mutants of {seeds} verified programs",
            f"  rejected by the front end: {self.verdicts['rejected']}",
            f"  refuted:                   {self.verdicts['refuted']}",
            f"  verified:                  {self.verdicts['verified']}"
            f" ({self.verified_and_run} of them run on valid inputs)",
            f"  runs:                      {self.runs} ("
            + ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))
            + ")",
            f"  verified and violating:    {self.violations}",
            f"  internal errors:           {self.internal_errors}",
            "",
            f"  {'operator':<20}{'mutants':>8}{'rejected':>10}{'refuted':>9}{'verified':>10}{'violations':>12}",
        ]
        for name, counts in sorted(self.by_operator.items()):
            lines.append(
                f"  {name:<20}{counts['mutants']:>8}{counts['rejected']:>10}{counts['refuted']:>9}"
                f"{counts['verified']:>10}{counts['violations']:>12}"
            )
        return "\n".join(lines)
