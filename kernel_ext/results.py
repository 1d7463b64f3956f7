"""The plain result model every stage fills and the presentation reads: no solver in it."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """Ordered from best to worst."""

    PROVED = "proved"
    UNKNOWN = "unknown"
    FAILED = "failed"


class Verdict(Enum):
    """A whole report's outcome: `verified-assuming` is verified, but only if its `assume`
    statements hold (a grader refuses it); `error`: the program did not parse or type-check,
    or the verifier failed."""

    VERIFIED = "verified"
    VERIFIED_ASSUMING = "verified-assuming"
    FAILED = "failed"
    ERROR = "error"


class ReplayVerdict(Enum):
    """What a replay decided (see `replay.py`)."""

    CONFIRMED = "confirmed"
    NOT_REPRODUCED = "not-reproduced"
    NOT_RUN = "not-run"


class MarkKind(Enum):
    """What a program point is: an ordinary statement, the method's entry, an `if` branch or
    a `match` case taken, a loop's head (any number of iterations done), the start of an
    arbitrary iteration, the exit of a loop, or a method call (its state is the callee's
    postcondition)."""

    STEP = "step"
    ENTRY = "entry"
    THEN = "then"
    ELSE = "else"
    CASE = "case"
    LOOP_HEAD = "loop-head"
    ITERATION = "iteration"
    LOOP_EXIT = "loop-exit"
    CALL = "call"
    RETURN = "return"  # the method returns: the postcondition that fails, with the values then

    @property
    def in_loop(self) -> bool:
        return self in (MarkKind.LOOP_HEAD, MarkKind.ITERATION, MarkKind.LOOP_EXIT)
