"""Grading one `%%verify` solution: the student's text against the locked specification.

`grade(submission)` is pure and deterministic (a fixed resource limit, no wall-clock limit
inside the proof), so the same text gets the same score on every machine. It refuses what
makes a proof prove nothing (`assume`, a body-less method, lemma or function, `decreases *`,
a changed locked declaration), verifies the solution together with the locked context
cells, and counts a locked `ensures` conjunct only if every return path proves it and some
input reaches that path. Each part is checked on its own (not assuming the parts before
it), and a proof that rests on an unproved step (an invariant, a helper lemma, a bound)
earns nothing: Dafny assumes a failed check afterwards, so later proofs may lean on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.modules import declared_names
from kernel_ext.lang.parser import parse, parse_items
from kernel_ext.lang.printer import plural
from kernel_ext.lang.resolver import number
from kernel_ext.lang.source import SourceFile
from kernel_ext.obligations import ObligationKind, clause_parts
from kernel_ext.pipeline import Options, verify
from kernel_ext.report import ObligationResult, VerificationReport
from kernel_ext.results import Status
from kernel_ext.verify.limits import Limits

if TYPE_CHECKING:
    from autograder.spec_grading import SpecSubmission

GRADING_RLIMIT = 5_000_000
GRADING_TIMEOUT_MS = 60_000  # a backstop only: the resource limit decides first
CELL = "solution"
NOT_ATTEMPTED = "raise NotImplementedError()"  # nbgrader's default stub, if the course kept it


@dataclass(frozen=True)
class Submission:
    """What is graded: the solution cell's text as submitted, the same cell as released
    (its declarations are the locked specification), the notebook's locked `%%verify`
    cells (context), and the exercise's settings."""

    solution: str
    released: str | None  # None: no locked specification to hold it to (a self-check)
    method: str
    points: float
    context: tuple[str, ...] = ()
    partial: bool = False
    rlimit: int = GRADING_RLIMIT


@dataclass(frozen=True)
class Grade:
    score: float
    points: float
    verdict: str  # one sentence for the student
    findings: tuple[str, ...] = ()  # what cost points, with lines
    report: VerificationReport | None = field(default=None, compare=False)
    source: str = ""  # the verified text, for the views (the solution first: its own lines)

    def to_json(self) -> dict:
        return {
            "score": self.score,
            "points": self.points,
            "verdict": self.verdict,
            "findings": list(self.findings),
        }


def cell_text(source: str) -> str:
    """A `%%verify` cell's MiniDafny, its magic line kept as an empty line 1 (as the magic
    numbers lines); any other first line stays (and will not parse)."""
    first, _, rest = source.partition("\n")
    return "\n" + rest if first.strip().startswith("%%verify") else source


@dataclass(frozen=True)
class ReadCells:
    """A solution cell and the same cell as released, parsed."""

    solution: str
    program: ast.Program
    locked: ast.Program


def read_cells(submission: Submission | SpecSubmission) -> ReadCells | Grade:
    """The solution cell and the released one, parsed; or the grade of a solution that still
    holds the stub or does not parse."""
    solution = cell_text(submission.solution)
    released = cell_text(submission.released) if submission.released is not None else None
    if _not_attempted(solution, released):
        return _zero(submission, "not attempted: the solution region still holds the stub")
    try:
        program = parse(SourceFile(CELL, solution))
        locked = parse(SourceFile("released", released if released is not None else ""))
    except DiagnosticError as error:
        return _errors(submission, solution, error)
    return ReadCells(solution, program, locked)


def grade(submission: Submission, jobs: int | None = None) -> Grade:
    """The grade of a submission; `jobs`: threads proving at once (default: one per core)."""
    cells = read_cells(submission)
    if isinstance(cells, Grade):
        return cells
    solution, program, locked = cells.solution, cells.program, cells.locked
    submission = dataclasses.replace(submission, method=_declared_name(locked, program, submission.method))
    problems = [
        *_forbidden(program),
        *_changed(locked, program, submission.method),
        *_redeclared(program, submission.context),
    ]
    if problems:
        return _zero(submission, "not accepted: the proof would not mean what it says", problems)
    whole = "\n\n".join([solution, *(cell_text(text) for text in submission.context)])
    limits = Limits(rlimit=submission.rlimit, timeout_ms=GRADING_TIMEOUT_MS)
    options = Options(limits=limits, vacuity=frozenset({submission.method}), independent_postconditions=True)
    if jobs is not None:
        options = dataclasses.replace(options, jobs=jobs)
    report = verify(whole, CELL, options)
    if report.diagnostics:
        verdict = f"0 of {submission.points:g} points: not accepted: the cell has errors"
        findings = tuple(f"line {d.span.start_line}: {d.message}" for d in report.diagnostics)
        return Grade(0.0, submission.points, verdict, findings, report, whole)
    own = {decl.name for decl in program.decls}
    return _score(submission, program, report, own, whole)


def _declared_name(locked: ast.Program, program: ast.Program, name: str) -> str:
    """The exercise's method by the name the check gives: `Sum` is `M.Sum` when the exercise's
    code is in a module M and no other declaration of the exercise is named `Sum`."""
    declared = locked if locked.decls else program
    names = {decl.name for decl in declared.decls}
    matches = [qualified for qualified in names if qualified.endswith(f".{name}")]
    return matches[0] if name not in names and len(matches) == 1 else name


def _not_attempted(solution: str, released: str | None) -> bool:
    unchanged = released is not None and solution.strip() == released.strip()
    return unchanged or NOT_ATTEMPTED in solution


def _zero(submission: Submission, verdict: str, findings: list[str] | tuple[str, ...] = ()) -> Grade:
    return Grade(0.0, submission.points, f"0 of {submission.points:g} points: {verdict}", tuple(findings))


def _errors(submission: Submission, solution: str, error: DiagnosticError) -> Grade:
    findings = tuple(
        f"line {d.span.start_line}, column {d.span.start_col}: {d.message}" for d in error.diagnostics
    )
    report = VerificationReport(CELL, tuple(error.diagnostics))
    verdict = f"0 of {submission.points:g} points: not accepted: the cell does not parse"
    return Grade(0.0, submission.points, verdict, findings, report, solution)


# ------------------------------------------------------------------ what a proof may not use


def _forbidden(program: ast.Program) -> Iterator[str]:
    for decl in program.decls:
        if isinstance(decl, ast.Method | ast.Function) and decl.body is None and not _is_constant(decl):
            yield f"line {decl.span.start_line}: {decl.kind_word} {decl.name} has no body (an axiom, not a proof)"
        if decl_decreases_star(decl):
            yield f"line {decl.span.start_line}: `decreases *` (a proof must terminate)"
        if isinstance(decl, ast.Method) and decl.body is not None:
            for stmt in ast.walk_stmts(decl.body):
                if isinstance(stmt, ast.Assume):
                    yield f"line {stmt.span.start_line}: `assume` (it is taken as true without proof)"
                if isinstance(stmt, ast.While) and stmt.decreases is not None and stmt.decreases.star:
                    yield f"line {stmt.span.start_line}: `decreases *` (the loop must terminate)"


def decl_decreases_star(decl: ast.Decl) -> bool:
    decreases = getattr(decl, "decreases", None)
    return decreases is not None and decreases.star


def _changed(locked: ast.Program, program: ast.Program, method: str) -> Iterator[str]:
    """Every released declaration stays: functions whole, methods and lemmas by their header
    and contracts (their bodies are the student's to write)."""
    mine = {decl.name: decl for decl in program.decls}
    if method not in mine:
        yield f"the method {method} is missing"
    for decl in locked.decls:
        theirs = mine.get(decl.name)
        if theirs is None:
            yield f"{decl.kind_word} {decl.name} of the exercise is missing"
        elif _locked_part(decl) != _locked_part(theirs):
            yield f"line {theirs.span.start_line}: the header or contracts of {decl.name} were changed"


def _redeclared(program: ast.Program, context: tuple[str, ...]) -> Iterator[str]:
    """A declaration of the exercise's locked cells may not be declared again in the solution
    (where the redefinition would be the one the proof uses)."""
    locked: set[str] = set()
    for text in context:
        try:
            locked |= declared_names(parse_items(SourceFile("context", cell_text(text))))
        except DiagnosticError:
            continue
    for decl in program.decls:
        if decl.name in locked:
            yield (
                f"line {decl.span.start_line}: {decl.kind_word} {decl.name} is part of the exercise's "
                "locked cells: a solution may not declare it again"
            )


def _locked_part(decl: ast.Decl) -> object:
    if isinstance(decl, ast.Method):
        return (
            "method",
            decl.is_lemma,
            decl.params,
            decl.returns,
            decl.requires,
            decl.ensures,
            decl.modifies,
        )
    return decl


# ------------------------------------------------------------------ the score


def _score(
    submission: Submission, program: ast.Program, report: VerificationReport, own: set[str], whole: str
) -> Grade:
    method = next(decl for decl in number(program).decls if decl.name == submission.method)
    assert isinstance(method, ast.Method)
    conjuncts = [site for site, _ in clause_parts(method.ensures)]  # the sites the verifier gives them
    mine = [ob for ob in report.obligations if ob.owner in own]
    posts = [ob for ob in mine if ob.owner == method.name and ob.kind == ObligationKind.POSTCONDITION]
    support = [ob for ob in mine if ob not in posts]
    findings = [_finding(ob) for ob in mine if _bad(ob) or ob.vacuous]
    established = sum(1 for site in conjuncts if _established([ob for ob in posts if ob.site == site]))
    holes = sum(1 for ob in support if _bad(ob))
    total = max(len(conjuncts), 1)
    if not conjuncts:
        established = 1
    if holes:
        fraction = 0.0  # the proof rests on a step that is not proved
    elif submission.partial:
        fraction = established / total
    else:
        fraction = 1.0 if established == total else 0.0
    score = round(submission.points * fraction, 2)
    verdict = _verdict(score, submission.points, established, total, holes)
    return Grade(score, submission.points, verdict, tuple(findings), report, whole)


def _bad(ob: ObligationResult) -> bool:
    return ob.status != Status.PROVED


def _established(checks: list[ObligationResult]) -> bool:
    """A postcondition part holds if every return path proves it and some input reaches one
    of them: a part proved only on paths no input takes is proved vacuously."""
    return not any(_bad(ob) for ob in checks) and any(not ob.vacuous for ob in checks)


def _finding(ob: ObligationResult) -> str:
    what = f"line {ob.span.start_line}: {ob.kind.id}"
    if ob.description:
        what += f" `{ob.description}`"
    if ob.vacuous:
        return f"{what}: vacuous (no input reaches this check: its proof shows nothing)"
    return f"{what}: {ob.status.value} ({ob.message})"


def _verdict(score: float, points: float, established: int, total: int, holes: int) -> str:
    base = f"{score:g} of {points:g} points"
    if established == total and not holes:
        return f"{base}: every obligation is proved"
    if holes:
        are = "is" if holes == 1 else "are"
        return (
            f"{base}: {plural(holes, 'obligation')} other than a postcondition {are} not proved "
            "(listed below), and no point is given until every such step is"
        )
    return f"{base}: {established} of {plural(total, 'postcondition part')} proved"


def _is_constant(decl: ast.Decl) -> bool:
    """`const N: int` without a value: any value of its type, which assumes nothing."""
    return isinstance(decl, ast.Function) and decl.constant
