"""The one result model: used by the CLI, the notebook views and the autograder alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kernel_ext.lang.diagnostics import Diagnostic, Phase
from kernel_ext.lang.source import Span
from kernel_ext.obligations import NO_SITE, CheckSite, ObligationKind, checked_line, success_text
from kernel_ext.results import Status, Verdict

if TYPE_CHECKING:
    from kernel_ext.explain.counterexample import Trace
    from kernel_ext.run.loops import LoopTable
    from kernel_ext.verify.vcgen import Sequent


@dataclass(frozen=True)
class ObligationResult:
    kind: ObligationKind
    span: Span
    owner: str
    procedure: str
    message: str
    related: tuple[Span, ...]
    description: str
    status: Status
    time_ms: float
    reason: str = ""
    cached: bool = False
    trace: Trace | None = field(default=None, compare=False)
    vc: Sequent | None = field(default=None, compare=False)
    vacuous: bool = False  # proved, but no input reaches it (asked for only when grading)
    site: CheckSite = NO_SITE  # the clause, conjunct and call or loop it checks
    path: str = ""  # a postcondition's return path in words ("when Max returns after ...")

    @property
    def success(self) -> str:
        """What the check shows when it is proved."""
        return success_text(self.kind, self.message, self.site)

    @property
    def checked_line(self) -> int:
        """The line of what is checked (`obligations.checked_line`)."""
        return checked_line(self.kind, self.span, self.related)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.id,
            **_span_json(self.span),
            "owner": self.owner,
            "message": self.message,
            "success": self.success,
            "description": self.description,
            "related": [_span_json(span) for span in self.related],
            "status": self.status.value,
            "reason": self.reason,
            "path": self.path,
            "vacuous": self.vacuous,
            "time_ms": round(self.time_ms, 3),
        }


@dataclass(frozen=True)
class Assumption:
    """An `assume` statement of the verified program: the proof takes `text` as true."""

    span: Span
    text: str  # the assumed expression, as written
    owner: str

    def to_json(self) -> dict[str, Any]:
        span = self.span
        return {
            "line": span.start_line,
            "column": span.start_col,
            "end_line": span.end_line,
            "end_column": span.end_col,
            "text": self.text,
        }


@dataclass(frozen=True)
class InvariantStatus:
    """One invariant clause: whether it holds on entry and is maintained (worst part)."""

    line: int
    text: str
    entry: Status
    maintained: Status


@dataclass(frozen=True)
class LoopSummary:
    """A loop's invariants, what the code after it needs of them (`use`: the obligations
    whose paths leave the loop), and one concrete run's iteration table."""

    owner: str
    line: int
    condition: str
    invariants: tuple[InvariantStatus, ...]
    use: tuple[ObligationResult, ...]
    table: LoopTable | None = field(default=None, compare=False)

    @property
    def use_status(self) -> Status:
        return worst(ob.status for ob in self.use)


def worst(statuses: Iterable[Status]) -> Status:
    """FAILED over UNKNOWN over PROVED; PROVED for none."""
    found = set(statuses)
    for status in (Status.FAILED, Status.UNKNOWN):
        if status in found:
            return status
    return Status.PROVED


@dataclass(frozen=True)
class VerificationReport:
    file: str
    diagnostics: tuple[Diagnostic, ...] = ()
    obligations: tuple[ObligationResult, ...] = ()
    time_s: float = 0.0
    declarations: tuple[str, ...] = field(default=())
    loops: tuple[LoopSummary, ...] = field(default=(), compare=False)
    warnings: tuple[Diagnostic, ...] = field(default=())  # shown; never make the program fail
    assumptions: tuple[Assumption, ...] = field(default=())  # verified only if these hold

    @property
    def errors(self) -> tuple[ObligationResult, ...]:
        """Obligations not proved, in source order."""
        failing = [ob for ob in self.obligations if ob.status != Status.PROVED]
        return tuple(sorted(failing, key=lambda ob: (ob.span.start_line, ob.span.start_col)))

    @property
    def verified(self) -> bool:
        return not self.diagnostics and not self.errors

    @property
    def verdict(self) -> Verdict:
        """Verified, verified assuming its `assume` statements, failed, or not verified at all."""
        if self.diagnostics:
            return Verdict.ERROR
        if self.errors:
            return Verdict.FAILED
        return Verdict.VERIFIED_ASSUMING if self.assumptions else Verdict.VERIFIED

    @property
    def exit_code(self) -> int:
        if any(d.phase == Phase.INTERNAL for d in self.diagnostics):
            return 3
        if any(d.phase != Phase.LIMIT for d in self.diagnostics):
            return 2
        if self.diagnostics or self.errors:
            return 1
        return 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "verified": self.verified,
            "verdict": self.verdict.value,
            "assumptions": [assumption.to_json() for assumption in self.assumptions],
            "errors": [
                {
                    **ob.to_json(),
                    "explanation": ob.kind.explanation,
                    "trace": ob.trace.to_json() if ob.trace is not None else None,
                }
                for ob in self.errors
            ],
            "diagnostics": [
                {
                    **_span_json(d.span),
                    "kind": d.phase.value,
                    "code": d.code.code,
                    "message": d.message,
                    "hint": d.hint,
                    "related": [_span_json(span) for span in d.related],
                }
                for d in self.diagnostics
            ],
            "obligations": [ob.to_json() for ob in self.obligations],
            "warnings": [
                {
                    **_span_json(d.span),
                    "code": d.code.code,
                    "message": d.message,
                }
                for d in self.warnings
            ],
            "time_s": round(self.time_s, 4),
        }


def _span_json(span: Span) -> dict[str, int]:
    """Where a mark starts and ends (1-based, the end column exclusive), as editors mark it."""
    return {
        "line": span.start_line,
        "column": span.start_col,
        "end_line": span.end_line,
        "end_column": span.end_col,
    }
