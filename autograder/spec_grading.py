"""Grading a specification the student wrote for given code.

The student writes the `requires` and `ensures` of a method whose code is given. The grade
says how well the specification tells right from wrong code: the exercise's reference body
(hidden in the check cell, as the gradebook holds it) must verify against it, and each hidden
wrong body that fails to verify against it earns its share of the points. A specification
earns nothing if the reference does not verify, if it meets a postcondition only vacuously
(no input reaches it), or if its `requires` excludes inputs the exercise's own precondition
allows (`requires false` accepts every body, so does any precondition narrower than the
task's). A wrong body counts as rejected only when a postcondition of the method fails and
running the wrong body on the counterexample's inputs confirms it: a check that ran out of
resources, a failure the run does not confirm, or a failed check elsewhere (an index the
student's `requires` no longer guarantees) rejects nothing.

The student's text is only read for its method's contracts and its own functions and
predicates (the vocabulary of a specification); its method body is replaced, and no method,
lemma, body-less function or `decreases *` is accepted from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from autograder.grading import (
    CELL,
    GRADING_RLIMIT,
    GRADING_TIMEOUT_MS,
    Grade,
    _declared_name,
    _forbidden,
    _redeclared,
    _zero,
    cell_text,
    read_cells,
)
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.source import Span
from kernel_ext.obligations import ObligationKind
from kernel_ext.pipeline import Options, verify
from kernel_ext.report import ObligationResult, VerificationReport
from kernel_ext.results import ReplayVerdict, Status
from kernel_ext.verify.limits import Limits

ALLOWANCE_LEMMA = "SpecGrading_RequiresAllowsTheTask"


@dataclass(frozen=True)
class SpecSubmission:
    """A specification to grade: the student's solution cell (the method with their contracts
    and the given code), the cell as released, the locked context cells, and the hidden parts
    of the check: the reference body, the wrong bodies by a description the feedback may show,
    and the task's own precondition (the inputs the specification must allow)."""

    solution: str
    released: str | None
    method: str
    points: float
    reference: str
    wrong: dict[str, str] = field(default_factory=dict)
    precondition: str | None = "true"  # None: not checked (a student's self-check does not know it)
    context: tuple[str, ...] = ()
    rlimit: int = GRADING_RLIMIT


@dataclass(frozen=True)
class _Spec:
    """The parts of the student's cell that grading uses."""

    text: str
    program: ast.Program
    method: ast.Method


def grade_spec(submission: SpecSubmission, jobs: int | None = None) -> Grade:
    """The grade of a specification (see the module's docstring)."""
    cells = read_cells(submission)
    if isinstance(cells, Grade):
        return cells
    solution, program, locked = cells.solution, cells.program, cells.locked
    name = _declared_name(locked, program, submission.method)
    submission = dataclasses.replace(submission, method=name)
    method = next((d for d in program.decls if d.name == name and isinstance(d, ast.Method)), None)
    problems = list(_not_a_specification(program, locked, method, submission))
    if problems or method is None:
        return _zero(submission, "not accepted: this is not a specification of the given code", problems)
    spec = _Spec(solution, program, method)
    return _judge(submission, spec, _options(submission, jobs))


def _options(submission: SpecSubmission, jobs: int | None) -> Options:
    limits = Limits(rlimit=submission.rlimit, timeout_ms=GRADING_TIMEOUT_MS)
    options = Options(limits=limits, vacuity=frozenset({submission.method}))
    return options if jobs is None else dataclasses.replace(options, jobs=jobs)


def _judge(submission: SpecSubmission, spec: _Spec, options: Options) -> Grade:
    whole = _program_with(submission, spec, submission.reference)
    report = verify(whole, CELL, options)
    if report.diagnostics:
        findings = [f"line {d.span.start_line}: {d.message}" for d in report.diagnostics]
        return _graded(submission, 0.0, "the specification has errors", findings, report, whole)
    refusal = [*_reference_refused(spec, report), *_allowance_refused(submission, spec, whole, options)]
    if refusal:
        verdict = "the given code does not meet your specification, or meets it only vacuously"
        return _graded(submission, 0.0, verdict, refusal, report, whole)
    missed = [
        label for label, body in submission.wrong.items() if not _rejects(submission, spec, body, options)
    ]
    total = len(submission.wrong)
    if not total:
        return _graded(submission, 0.0, _NO_WRONG, [], report, whole)
    fraction = (total - len(missed)) / total
    findings = [f"your specification accepts a wrong implementation: {label}" for label in missed]
    verdict = f"the given code meets your specification, which rejects {total - len(missed)} of {total} wrong implementations"
    return _graded(submission, fraction, verdict, findings, report, whole)


_NO_WRONG = "the given code meets your specification; the grader will also check that it rejects wrong implementations"


def _graded(
    submission: SpecSubmission,
    fraction: float,
    verdict: str,
    findings: list[str],
    report: VerificationReport,
    whole: str,
) -> Grade:
    score = round(submission.points * fraction, 2)
    return Grade(
        score,
        submission.points,
        f"{score:g} of {submission.points:g} points: {verdict}",
        tuple(findings),
        report,
        whole,
    )


# ------------------------------------------------------------------ what the cell may hold


def _not_a_specification(
    program: ast.Program, locked: ast.Program, method: ast.Method | None, submission: SpecSubmission
) -> Iterator[str]:
    if method is None:
        yield f"the method {submission.method} is missing"
        return
    if method.body is None:
        yield f"line {method.span.start_line}: the method {method.name} has lost its body (the given code)"
    for decl in program.decls:
        if decl is not method and not isinstance(decl, ast.Function):
            yield (
                f"line {decl.span.start_line}: {getattr(decl, 'kind_word', 'declaration')} {decl.name}: a specification may declare "
                "functions and predicates only"
            )
    functions = dataclasses.replace(
        program, decls=tuple(d for d in program.decls if isinstance(d, ast.Function))
    )
    yield from _forbidden(functions)
    yield from _redeclared(program, submission.context)
    yield from _changed_header(locked, method)


def _changed_header(locked: ast.Program, method: ast.Method) -> Iterator[str]:
    """The header stays as released, and so do any contracts the exercise gave."""
    given = next((d for d in locked.decls if d.name == method.name and isinstance(d, ast.Method)), None)
    if given is None:
        return
    header = ("is_lemma", "is_ghost", "type_params", "params", "returns", "modifies", "decreases")
    if any(getattr(given, part) != getattr(method, part) for part in header):
        yield f"line {method.span.start_line}: the header of {method.name} was changed"
    for clause in (*given.requires, *given.ensures):
        if clause not in (*method.requires, *method.ensures):
            yield f"line {method.span.start_line}: a contract the exercise gave for {method.name} was removed"


# ------------------------------------------------------------------ the programs verified


def _program_with(submission: SpecSubmission, spec: _Spec, body: str) -> str:
    """The student's cell with the method's body replaced by `body`, then the locked context.
    The body is put on the lines the student's body started on, so the specification keeps
    its lines."""
    assert spec.method.body is not None
    text = _replace(spec.text, spec.method.body.span, body.strip())
    return "\n\n".join([text, *(cell_text(cell) for cell in submission.context)])


def _allowance(submission: SpecSubmission, spec: _Spec) -> str:
    """A lemma that holds when every input the task allows satisfies the student's `requires`."""
    if not spec.method.requires:
        return ""
    params = ", ".join(text_of(spec.text, param.span) for param in spec.method.params)
    requires = " && ".join(f"({text_of(spec.text, clause.expr.span)})" for clause in spec.method.requires)
    return f"\n\nlemma {ALLOWANCE_LEMMA}({params})\n  requires {submission.precondition}\n  ensures {requires}\n{{\n}}\n"


def _allowance_refused(
    submission: SpecSubmission, spec: _Spec, whole: str, options: Options
) -> Iterator[str]:
    """Checked apart from the report the feedback shows, which so never states the task's precondition."""
    if not spec.method.requires or submission.precondition is None:
        return
    only = dataclasses.replace(options, only=ALLOWANCE_LEMMA, vacuity=frozenset())
    report = verify(whole + _allowance(submission, spec), CELL, only)
    checks = [ob for ob in report.obligations if ob.owner == ALLOWANCE_LEMMA]
    if report.diagnostics or not checks or any(ob.status != Status.PROVED for ob in checks):
        yield (
            "your `requires` excludes inputs the task is about: a precondition that rules them out makes "
            "any code meet the specification on them"
        )


def _reference_refused(spec: _Spec, report: VerificationReport) -> Iterator[str]:
    own = {decl.name for decl in spec.program.decls}
    yield from (_finding(ob) for ob in report.obligations if ob.owner in own and ob.status != Status.PROVED)
    posts = [
        ob
        for ob in report.obligations
        if ob.owner == spec.method.name and ob.kind == ObligationKind.POSTCONDITION
    ]
    for site in dict.fromkeys(ob.site for ob in posts):
        reached = [ob for ob in posts if ob.site == site and not ob.vacuous]
        if not reached:
            first = next(ob for ob in posts if ob.site == site)
            yield f"line {first.span.start_line}: postcondition `{first.description}` holds only vacuously: no input reaches it"


def _finding(ob: ObligationResult) -> str:
    what = f" `{ob.description}`" if ob.description else ""
    return f"line {ob.span.start_line}: {ob.kind.id}{what}: {ob.status.value} ({ob.message})"


def _rejects(submission: SpecSubmission, spec: _Spec, body: str, options: Options) -> bool:
    """Whether a wrong body fails a postcondition of the student's specification, and running it
    on the counterexample's inputs (or small ones) confirms it: a failure the solver reports
    without a run that breaks the specification (it gave up, or its model is not a real run)
    rejects nothing, so a specification cannot earn points from the solver's incompleteness."""
    report = verify(
        _program_with(submission, spec, body), CELL, dataclasses.replace(options, vacuity=frozenset())
    )
    return not report.diagnostics and any(_refutes(ob, spec.method.name) for ob in report.obligations)


def _refutes(ob: ObligationResult, method: str) -> bool:
    if ob.owner != method or ob.kind != ObligationKind.POSTCONDITION or ob.status != Status.FAILED:
        return False
    replay = ob.trace.replay if ob.trace is not None else None
    return replay is not None and replay.verdict == ReplayVerdict.CONFIRMED


def _replace(text: str, span: Span, replacement: str) -> str:
    start, end = _offset(text, span.start_line, span.start_col), _offset(text, span.end_line, span.end_col)
    return text[:start] + replacement + text[end:]


def text_of(text: str, span: Span) -> str:
    return text[_offset(text, span.start_line, span.start_col) : _offset(text, span.end_line, span.end_col)]


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + col - 1
