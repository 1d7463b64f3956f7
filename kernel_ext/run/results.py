"""How a run of the interpreter ends: its `Outcome`, the `Violation` of a check that
failed, the `TraceStep`s it kept, all in a `RunResult`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from kernel_ext.lang.source import Span
from kernel_ext.obligations import NO_SITE, CheckSite, ObligationKind


class Outcome(Enum):
    OK = "ok"
    VIOLATION = "violation"
    INVALID_INPUT = "invalid-input"
    ASSUMPTION_FALSE = "assumption-false"
    CANNOT_EVALUATE = "cannot-evaluate"
    STEP_LIMIT = "step-limit"
    TOO_DEEP = "too-deep"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Violation:
    """A check that failed: its kind, where Dafny reports it and with which message, the
    clause it concerns (`related`, `description`), and what the run saw (`detail`). `site`
    identifies the check as the verifier's obligation for it does."""

    kind: ObligationKind
    span: Span
    message: str
    detail: str
    related: tuple[Span, ...] = ()
    description: str = ""
    owner: str = ""
    site: CheckSite = NO_SITE


@dataclass(frozen=True)
class TraceStep:
    """One executed statement (or loop-head visit) and the variables in scope after it."""

    span: Span
    text: str
    variables: tuple[tuple[str, str], ...]
    owner: str
    depth: int


@dataclass(frozen=True)
class RunResult:
    """How a run ended.

    `returns` holds the out-parameters of the method when its body finished (empty if the
    run stopped before); `message` says in words why a run stopped without a violation,
    and `span` where. `trace` keeps the last executed steps; `trace_dropped` counts the
    earlier ones left out.
    """

    outcome: Outcome
    violation: Violation | None
    returns: Mapping[str, object]
    steps: int
    trace: tuple[TraceStep, ...]
    message: str = ""
    span: Span | None = None
    trace_dropped: int = 0
    output: str = ""  # what the program printed


class EvaluationFailed(Exception):
    """An expression evaluated for a loop table has no value (a failed check, no range...)."""
