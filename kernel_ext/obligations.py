"""The closed set of proof-obligation kinds, with Dafny's words and plain words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kernel_ext.lang.reals import NOT_AN_INTEGER
from kernel_ext.lang.source import Span
from kernel_ext.lang.syntax import Expr, NodeId, SpecClause, split_conjuncts


class ObligationKind(Enum):
    """Each kind: (JSON id, Dafny's failure message, the related-location text, plain words)."""

    POSTCONDITION = (
        "postcondition",
        "A postcondition might not hold on this return path.",
        "This is the postcondition that might not hold.",
        "When the method returns here, what it promises in `ensures` is not guaranteed. "
        "Either the code computes something else, or the promise is too strong.",
    )
    PRECONDITION = (
        "precondition",
        "A precondition for this call might not hold.",
        "This is the precondition that might not hold.",
        "The callee requires something here that the caller has not made sure of. "
        "Check the arguments, or add a `requires` to the caller.",
    )
    ASSERTION = (
        "assertion",
        "assertion might not hold",
        "",
        "The verifier cannot show that this assertion is true on every path that reaches it.",
    )
    INVARIANT_ENTRY = (
        "invariant-entry",
        "This loop invariant might not hold on entry.",
        "",
        "The invariant must be true before the first iteration: check the initial values of "
        "the loop variables.",
    )
    INVARIANT_MAINTAINED = (
        "invariant-maintained",
        "This loop invariant might not be maintained by the loop.",
        "",
        "Assuming the invariant and the loop condition at the start of an iteration, the "
        "invariant is not shown to hold again at its end. The body may be wrong, or the "
        "invariant too weak to carry itself (add what else is true).",
    )
    DECREASES = (
        "decreases",
        "decreases expression might not decrease",
        "This is the decreases expression.",
        "To show that the loop ends, the `decreases` expression must get smaller in every "
        "iteration and never go below zero.",
    )
    TERMINATION = (
        "termination",
        "cannot prove termination; try supplying a decreases clause",
        "",
        "A recursive call must be made on something smaller (by the `decreases` measure, by "
        "default the parameters), so that the recursion ends.",
    )
    INDEX_RANGE = (
        "index-range",
        "index out of range",
        "",
        "The index may be negative or not smaller than the length.",
    )
    DIVISION_BY_ZERO = (
        "division-by-zero",
        "possible division by zero",
        "",
        "The divisor may be zero here. Make sure it is not, e.g. with a `requires` or a test.",
    )
    MODIFIES = (
        "modifies",
        "assignment may update an array element not in the enclosing context's modifies clause",
        "",
        "A method may change only what its `modifies` clause names.",
    )
    READS = (
        "reads",
        "insufficient reads clause to read array element",
        "",
        "A function may read only what its `reads` clause names.",
    )
    SAME_LOCATION = (
        "same-location",
        "left-hand sides may refer to the same location, and then must be assigned the same value",
        "",
        "Two array elements assigned in one statement may be the same element (the indices "
        "may be equal), and they get different values: which one wins is not defined.",
    )
    SUBSET_TYPE = (
        "subset-type",
        "value does not satisfy the subset constraints of 'nat'",
        "",
        "A `nat` must never be negative, and a value of a subset type must satisfy its "
        "constraint: this value, or one inside it, may not.",
    )
    WITNESS = (
        "witness",
        "the given witness expression might not satisfy constraint",
        "",
        "A subset type must have a value: its witness (0 when none is given) must satisfy "
        "the type's constraint.",
    )
    ALLOCATED = (
        "allocated",
        "receiver must be allocated in the state in which its fields are accessed",
        "",
        "`old(...)` reads an array as it was when the method began, and this array may have "
        "been allocated only since then.",
    )
    FUNCTION_PRECONDITION = (
        "function-precondition",
        "possible violation of function precondition",
        "This is the precondition that might not hold.",
        "The function requires something of its arguments that is not guaranteed here.",
    )
    MATCH_COMPLETE = (
        "match-complete",
        "missing case in match",
        "",
        "Every constructor of the datatype needs a case.",
    )
    DESTRUCTOR = (
        "destructor",
        "destructor applied to the wrong constructor",
        "",
        "This field exists only for some constructors, and the value may be another one.",
    )
    SUCH_THAT = (
        "such-that",
        "cannot establish the existence of LHS values that satisfy the such-that predicate",
        "",
        "`x :| P` picks a value that satisfies P: the verifier must be shown that one exists "
        "(here, for the variables' types).",
    )
    FOR_RANGE = (
        "for-range",
        "lower bound must not exceed upper bound",
        "",
        "A for loop `for i := lo to hi` (or `hi downto lo`) needs `lo <= hi` when it starts.",
    )
    IS_INTEGER = (
        "is-integer",
        NOT_AN_INTEGER,
        "",
        "`r as int` is defined only when the real r is a whole number. To round down, write `r.Floor`.",
    )

    def __init__(self, kind_id: str, message: str, related_message: str, explanation: str):
        self.id = kind_id
        self.message = message
        self.related_message = related_message
        self.explanation = explanation

    @property
    def success(self) -> str:
        """What a proof of this kind of check shows, in words of success."""
        return _SUCCESS[self]


# Messages a kind uses in particular situations, still in Dafny's words.
BOUNDED_BELOW = "decreases expression must be bounded below by 0"
LOOP_NEEDS_DECREASES = "cannot prove termination; try supplying a decreases clause for the loop"
CALL_MODIFIES = "call may violate context's modifies clause"
NEGATIVE_SIZE = "array size might be negative"
NO_WITNESS = (
    "cannot find witness that shows type is inhabited (only tried {default}); "
    "try giving a hint through a 'witness' or 'ghost witness' clause"
)
SUBSET_MESSAGE = "value does not satisfy the subset constraints of '{target}'"  # a `nat` inside a type
LOWER_BOUND = "lower bound out of range"
UPPER_BOUND_ONLY = "upper bound above length of sequence"
SAME_LOCATION = (
    "when left-hand sides {first} and {second} may refer to the same location, "
    "they must be assigned the same value"
)
UPPER_BOUND = "upper bound below lower bound or above length of {what}"
CALC_STEP = "the calculation step between the previous line and this line might not hold"
FORALL_ENSURES = "possible violation of postcondition of forall statement"


# What each kind of check shows when it is proved (Dafny's descriptions have a success text too).
_SUCCESS = {
    ObligationKind.POSTCONDITION: "the postcondition holds on this return path",
    ObligationKind.PRECONDITION: "the precondition for this call holds",
    ObligationKind.ASSERTION: "the assertion holds",
    ObligationKind.INVARIANT_ENTRY: "the loop invariant holds on entry",
    ObligationKind.INVARIANT_MAINTAINED: "the loop invariant is maintained by the loop",
    ObligationKind.DECREASES: "the decreases expression gets smaller in every iteration",
    ObligationKind.TERMINATION: "the recursive call is made on something smaller, so the recursion ends",
    ObligationKind.INDEX_RANGE: "the index is in range",
    ObligationKind.DIVISION_BY_ZERO: "the divisor is not zero",
    ObligationKind.MODIFIES: "the assignment changes only what the modifies clause allows",
    ObligationKind.READS: "the function reads only what its reads clause allows",
    ObligationKind.SAME_LOCATION: "the left-hand sides are different locations, or get the same value",
    ObligationKind.SUBSET_TYPE: "the value satisfies its type's constraint",
    ObligationKind.WITNESS: "the witness satisfies the type's constraint",
    ObligationKind.ALLOCATED: "the array was already allocated when the method began",
    ObligationKind.FUNCTION_PRECONDITION: "the function's precondition holds",
    ObligationKind.MATCH_COMPLETE: "the match has a case for every value",
    ObligationKind.DESTRUCTOR: "the value has the constructor this field belongs to",
    ObligationKind.SUCH_THAT: "a value that satisfies the such-that condition exists",
    ObligationKind.FOR_RANGE: "the lower bound of the for loop does not exceed its upper bound",
    ObligationKind.IS_INTEGER: "the real number is a whole number",
}

# Checks whose own message says more than their kind's, and so does their success.
_SUCCESS_BY_MESSAGE = {
    CALL_MODIFIES: "the call changes only what the modifies clause allows",
    NEGATIVE_SIZE: "the array size is not negative",
    LOWER_BOUND: "the lower bound is in range",
    UPPER_BOUND_ONLY: "the upper bound is at most the length of the sequence",
    **{
        UPPER_BOUND.format(
            what=what
        ): f"the upper bound is between the lower bound and the length of the {what}"
        for what in ("array", "sequence")
    },
    CALC_STEP: "the calculation step from the previous line holds",
    FORALL_ENSURES: "the postcondition of the forall statement holds",
}


@dataclass(frozen=True)
class CheckSite:
    """What a check is about, by identity: the clause it checks (a `requires`, `ensures`,
    invariant, `decreases`, `assert`, calc step or forall-statement `ensures`), which conjunct
    of it (`part`, as `split_conjuncts` numbers them; for a loop's `decreases`, which of its
    two checks), and the call or loop where it is checked (`at`). Empty for a check of an
    expression (an index, a divisor), which its token's position identifies."""

    clause: NodeId | None = None
    part: int = 0
    at: NodeId | None = None

    @property
    def known(self) -> bool:
        return self.clause is not None or self.at is not None


NO_SITE = CheckSite()

# The two checks of a loop's `decreases`, as the `part` of their site.
DECREASE_PART = 0
BOUNDED_PART = 1


def success_text(kind: ObligationKind, message: str, site: CheckSite = NO_SITE) -> str:
    """What a proved check shows: its message's success text, else its kind's (for a loop's
    `decreases`, which of its two checks)."""
    if kind == ObligationKind.DECREASES and site.part == BOUNDED_PART:
        return "the decreases expression stays at or above 0"
    return _SUCCESS_BY_MESSAGE.get(message, kind.success)


def clause_parts(clauses: tuple[SpecClause, ...], at: NodeId | None = None) -> list[tuple[CheckSite, Expr]]:
    """The conjuncts of the clauses, each checked on its own, with its site."""
    return [
        (CheckSite(clause.nid, index, at), part)
        for clause in clauses
        for index, part in enumerate(split_conjuncts(clause.expr))
    ]


def same_check(kind: ObligationKind, site: CheckSite, span: Span, other: Obligation) -> bool:
    """Whether a check (of the interpreter, or another obligation) is `other`: the same kind
    and the same site, or, for a check of an expression, the same token."""
    if kind != other.kind:
        return False
    if site.known or other.site.known:
        return site == other.site
    return (span.start_line, span.start_col) == (other.span.start_line, other.span.start_col)


def checked_line(kind: ObligationKind, span: Span, related: tuple[Span, ...]) -> int:
    """The line of what a check checks: a postcondition's `ensures` (its own position is the
    return path's, as Dafny reports it), else the check's own line."""
    if kind == ObligationKind.POSTCONDITION and related:
        return related[0].start_line
    return span.start_line


@dataclass(frozen=True)
class Obligation:
    """One check, described when it is created: what, where, and why. `specification`:
    a check of the well-formedness of a method's specification, which has no code to run."""

    kind: ObligationKind
    span: Span
    owner: str
    related: tuple[Span, ...] = ()
    description: str = ""
    message_override: str = ""
    site: CheckSite = NO_SITE
    specification: bool = False

    @property
    def checked_line(self) -> int:
        return checked_line(self.kind, self.span, self.related)

    @property
    def message(self) -> str:
        return self.message_override or self.kind.message
