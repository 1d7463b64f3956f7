"""MiniDafny's outcome on a file against Dafny's recorded verdict: one class and a reason.

- AGREE: both verify; or both report verification errors and every Dafny error shares a line
  (its own or a related location's) with one of ours and every one of ours with one of Dafny's;
  or Dafny rejects the program before verifying and MiniDafny reports a type error at one of
  Dafny's error lines (or a parse error there, when Dafny's errors are parse errors too).
- DIFFER: anything else that MiniDafny verifies or rejects. `missing` lists the Dafny errors
  that no error of ours touches (a possible soundness problem), `extra` our errors that touch
  no Dafny error (incompleteness, or an error put elsewhere), `moved` the pairs of a missing
  and an extra error at most NEAR_LINES apart (most likely one error, placed differently).
  `accepts_wrong` is the loudest flag: Dafny finds errors in the program or rejects it, and
  MiniDafny verifies it.
- REFUSED: MiniDafny stops with a diagnostic on a program Dafny parses and resolves (or
  with an unsupported-feature diagnostic on one Dafny rejects): the reason is the first
  diagnostic's message.
- CRASH: an internal error or a process that died. TIMEOUT: stopped after the time limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.compat.expect import DafnyVerdict, Expectation
from tests.compat.runner import CRASH, DIAGNOSED, TIMEOUT, VERIFIED, Diagnosed, Outcome

AGREE = "agree"
DIFFER = "differ"
REFUSED = "refused"
CRASHED = "crash"
TIMED_OUT = "timeout"
CLASSES = (AGREE, DIFFER, REFUSED, CRASHED, TIMED_OUT)
# A Dafny error and one of ours this many lines apart or fewer, neither touching an error of the
# other tool, are taken for the same error reported at another place (Dafny puts a subset
# constraint's error on the branch of an `if` expression, say, MiniDafny on the whole `if`).
NEAR_LINES = 3


@dataclass(frozen=True)
class Verdict:
    cls: str
    reason: str = ""
    missing: tuple[str, ...] = field(default=())  # Dafny errors we do not report
    extra: tuple[str, ...] = field(default=())  # our errors Dafny does not report
    moved: tuple[str, ...] = field(default=())  # an error of each, a few lines apart
    accepts_wrong: bool = False  # MiniDafny verifies what Dafny finds errors in or rejects

    @property
    def possibly_unsound(self) -> bool:
        return self.cls == DIFFER and (bool(self.missing) or self.accepts_wrong)


def refusal_reason(diagnostic: Diagnosed) -> str:
    """The group a refusal falls in: its phase and message; a parse error's list of what was
    expected is dropped and a name it quotes replaced, and so are the names a type error
    quotes (an unsupported-feature message is kept whole)."""
    message = diagnostic.message
    if diagnostic.phase == "parse":
        message = re.sub(r": expected .*$", "", message)
        message = re.sub(r"the name '[^']*'", "a name", message)
    elif diagnostic.phase == "type":
        message = re.sub(r"'[^']*'", "'…'", message)
        message = re.sub(r"`[^`]*`", "`…`", message)
    return f"{diagnostic.phase}: {message}"


def classify(expectation: Expectation, outcome: Outcome) -> Verdict:
    """The class of one test (an expectation of verdict UNKNOWN is not compared: the caller
    leaves such tests out)."""
    if outcome.status == CRASH:
        return Verdict(
            CRASHED, outcome.detail.strip().splitlines()[-1] if outcome.detail.strip() else "crash"
        )
    if outcome.status == TIMEOUT:
        return Verdict(TIMED_OUT, outcome.detail)
    rejected = expectation.verdict == DafnyVerdict.REJECTED
    if outcome.status == DIAGNOSED:
        if rejected:
            return _both_reject(expectation, outcome.diagnostics)
        return Verdict(REFUSED, refusal_reason(outcome.diagnostics[0]))
    theirs = [e for e in expectation.errors if not any(e.lines & ours.lines for ours in outcome.errors)]
    ours = [o for o in outcome.errors if not any(e.lines & o.lines for e in expectation.errors)]
    if not theirs and not ours and not rejected:
        return Verdict(AGREE)
    moved: list[str] = []
    for error in list(theirs):
        near = next((o for o in ours if abs(o.line - error.line) <= NEAR_LINES), None)
        if near is not None:
            theirs.remove(error)
            ours.remove(near)
            moved.append(f"Dafny line {error.line}, MiniDafny line {near.line}: {error.message}")
    missing = tuple(f"line {e.line}: {e.message}" for e in theirs)
    extra = tuple(f"line {o.line}: {o.kind} {o.status}" for o in ours)
    accepts_wrong = outcome.status == VERIFIED and expectation.verdict != DafnyVerdict.VERIFIED
    reason = _why(missing, extra, moved)
    if rejected:
        accepted = "verifies it" if outcome.status == VERIFIED else "type-checks it"
        reason = f"Dafny rejects the program before verifying, MiniDafny {accepted}" + (
            f"; {reason}" if reason else ""
        )
    elif accepts_wrong:
        reason = f"Dafny finds errors, MiniDafny verifies the program; {reason}"
    return Verdict(DIFFER, reason, missing, extra, tuple(moved), accepts_wrong)


def _both_reject(expectation: Expectation, diagnostics: tuple[Diagnosed, ...]) -> Verdict:
    lines = {e.line for e in expectation.errors}
    first = diagnostics[0]
    # a parse error agrees with Dafny's parse errors only: on a line where Dafny reports a
    # resolution error, it is most likely a construct MiniDafny does not parse
    agreeing = ("parse", "type") if expectation.rejected_by == "parse" else ("type",)
    if first.phase in agreeing and any(d.line in lines for d in diagnostics if d.phase in agreeing):
        return Verdict(AGREE)
    if first.phase == "type":
        return Verdict(
            DIFFER, f"both reject it, at other lines (Dafny {sorted(lines)}, MiniDafny {first.line})"
        )
    # an unsupported feature, or a parse error elsewhere: Dafny parses what MiniDafny cannot
    return Verdict(REFUSED, refusal_reason(first))


def _why(missing: tuple[str, ...], extra: tuple[str, ...], moved: list[str]) -> str:
    parts = [f"{len(moved)} error(s) reported a few lines away"] if moved else []
    if missing:
        parts.append(f"{len(missing)} Dafny error(s) not reported (POSSIBLY UNSOUND)")
    if extra:
        parts.append(f"{len(extra)} error(s) Dafny does not report (incomplete)")
    return "; ".join(parts)
