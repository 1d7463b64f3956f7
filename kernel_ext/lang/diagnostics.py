"""Static errors (parse, type, unsupported feature), each with a stable code."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from kernel_ext.lang.source import Span


class Phase(Enum):
    """Which check found the problem; the CLI's exit code and the views depend on it."""

    PARSE = "parse"
    TYPE = "type"
    UNSUPPORTED = "unsupported"
    LIMIT = "limit"
    INTERNAL = "internal"


class Severity(Enum):
    """An error stops the program from verifying; a warning is only shown (as Dafny's are)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class DiagnosticCode:
    code: str
    phase: Phase
    explanation: str
    severity: Severity = Severity.ERROR


def _code(code: str, phase: Phase, explanation: str) -> DiagnosticCode:
    return DiagnosticCode(code, phase, explanation)


SYNTAX = _code("E001", Phase.PARSE, "The text does not follow MiniDafny's grammar.")
NOT_MINIDAFNY = _code(
    "E002",
    Phase.UNSUPPORTED,
    "This is valid Dafny, but not part of the MiniDafny subset taught here.",
)
UNKNOWN_NAME = _code("E101", Phase.TYPE, "A name is used that is not declared in scope.")
DUPLICATE_NAME = _code("E102", Phase.TYPE, "The same name is declared twice in one scope.")
TYPE_MISMATCH = _code("E103", Phase.TYPE, "An expression has a different type than expected.")
ARITY = _code("E104", Phase.TYPE, "A call passes a different number of arguments than declared.")
NOT_ASSIGNABLE = _code("E105", Phase.TYPE, "Only local variables and out-parameters can be assigned.")
BAD_CALL = _code("E106", Phase.TYPE, "A method, function or lemma is used where it cannot be.")
GHOST = _code("E107", Phase.TYPE, "Ghost (specification) code is mixed with compiled code.")
BAD_OLD = _code("E108", Phase.TYPE, "`old` is used where there is no earlier state to refer to.")
BAD_STATEMENT = _code("E109", Phase.TYPE, "A statement is used where Dafny does not allow it.")
WP_ONLY = _code(
    "E301",
    Phase.UNSUPPORTED,
    "%%wp computes weakest preconditions of assignments, `var`, if, assert and assume on int "
    "and bool values; the rest of MiniDafny needs %%verify.",
)
DEPRECATED_SEMICOLON = DiagnosticCode(
    "W001",
    Phase.PARSE,
    "Old Dafny ended specification clauses with `;`; Dafny accepts it with a warning.",
    Severity.WARNING,
)
TOO_LARGE = _code("E201", Phase.LIMIT, "The input is larger than the verifier accepts.")
INTERNAL = _code(
    "E900", Phase.INTERNAL, "The verifier itself failed: a bug to report, not a problem in the program."
)


@dataclass(frozen=True)
class Diagnostic:
    code: DiagnosticCode
    span: Span
    message: str
    hint: str = ""
    related: tuple[Span, ...] = field(default=())

    @property
    def phase(self) -> Phase:
        return self.code.phase

    @property
    def severity(self) -> Severity:
        return self.code.severity


class DiagnosticError(Exception):
    """Raised inside a stage to stop it; the stage's entry point turns it into a result."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics[0].message if diagnostics else "error")
        self.diagnostics = diagnostics
