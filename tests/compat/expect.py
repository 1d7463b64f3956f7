"""Reading Dafny's recorded output (a lit test's `.expect` file) into a verdict.

Only the lines Dafny's verifier prints about the file are understood: the error, related
location and warning lines (`NAME.dfy(LINE,COL): Error: MESSAGE`; `--print-ranges` writes
`NAME.dfy(LINE:COL-LINE:COL)`), the verifier's closing line (`Dafny program verifier finished
with N verified, M errors`, perhaps with time-outs and out-of-resource counts, or `did not
attempt verification`) and the counts of parse and resolution errors. Anything else (program
output, printed programs, deprecation notes) is kept as `other` lines: a verdict built on them
is not trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

POSITION = re.compile(
    r"^(?P<file>[^\s()][^()]*?)\((?P<line>\d+)(?:,|:)(?P<col>-?\d+)(?:-\d+:\d+)?\): "
    r"(?P<label>Error|Related location|Warning|Info)(?:\s*\([^)]*\))?: ?(?P<message>.*)$"
)
FINISHED = re.compile(
    r"^Dafny program verifier finished with (?P<verified>\d+) verified, (?P<errors>\d+) errors?"
    r"(?:, (?P<timeouts>\d+) time outs?)?(?:, (?P<resource>\d+) out of resource)?\s*$"
)
NOT_ATTEMPTED = "Dafny program verifier did not attempt verification"
STATIC = re.compile(r"^(?P<count>\d+) (?P<kind>parse|resolution/type) errors? detected in (?P<file>.*)$")
# Lines Dafny prints that say nothing about the verdict.
HARMLESS = (
    re.compile(r"^\s*$"),
    re.compile(r"^Warning: this way of using the CLI is deprecated"),
)


class DafnyVerdict(Enum):
    VERIFIED = "verified"  # the verifier ran and reported no error
    ERRORS = "errors"  # the verifier ran and reported errors
    REJECTED = "rejected"  # parse or resolution errors: nothing was verified
    UNKNOWN = "unknown"  # the output says neither (or says it in a way not understood)


class Placed:
    """An error with a line and related lines (Dafny's or MiniDafny's): two errors are taken
    for the same when they share a line."""

    line: int
    related: tuple[int, ...]

    @property
    def lines(self) -> frozenset[int]:
        return frozenset((self.line, *self.related))


@dataclass(frozen=True)
class DafnyError(Placed):
    """One `Error:` line, with the lines of the `Related location:` lines under it."""

    file: str
    line: int
    col: int
    message: str
    related: tuple[int, ...] = ()


@dataclass(frozen=True)
class Expectation:
    verdict: DafnyVerdict
    errors: tuple[DafnyError, ...] = ()
    verified_count: int | None = None  # the N of "finished with N verified, M errors"
    error_count: int | None = None  # its M (with time-outs and out-of-resource counts added)
    other: tuple[str, ...] = field(default=())  # lines not understood
    why_unknown: str = ""
    rejected_by: str = ""  # REJECTED: "parse" or "resolution/type"


def parse_expect(text: str, file_name: str | None = None) -> Expectation:
    """The verdict recorded in an `.expect` text; errors about other files than `file_name`
    (when given) make it UNKNOWN, as the comparison looks at one file only."""
    errors: list[DafnyError] = []
    other: list[str] = []
    finished: re.Match[str] | None = None
    not_attempted = False
    static: dict[str, int] = {}
    for raw in text.splitlines():
        line = raw.rstrip()
        if (match := POSITION.match(line)) is not None:
            _add_positioned(match, errors, other)
        elif (found := FINISHED.match(line)) is not None:
            if finished is not None:
                return _unknown("the verifier's summary line appears more than once", other)
            finished = found
        elif line.strip() == NOT_ATTEMPTED:
            not_attempted = True
        elif (counted := STATIC.match(line)) is not None:
            static[counted["kind"]] = static.get(counted["kind"], 0) + int(counted["count"])
        elif not any(pattern.match(line) for pattern in HARMLESS):
            other.append(line)
    if file_name is not None:
        foreign = sorted({e.file for e in errors if e.file != file_name})
        if foreign:
            return _unknown(f"errors in other files: {', '.join(foreign)}", other)
    if static:
        if finished is not None:
            return _unknown("both static errors and a verifier summary", other)
        kind = "parse" if "parse" in static else "resolution/type"
        return Expectation(DafnyVerdict.REJECTED, tuple(errors), other=tuple(other), rejected_by=kind)
    if other:
        return _unknown(f"{len(other)} line(s) of other output", other)
    if finished is None:
        why = "verification not attempted" if not_attempted else "no verifier summary line"
        return _unknown(why, other)
    error_count = sum(int(finished[key] or 0) for key in ("errors", "timeouts", "resource"))
    if error_count and not errors:
        return _unknown(f"{error_count} error(s) counted but no error line", other)
    verdict = DafnyVerdict.ERRORS if errors or error_count else DafnyVerdict.VERIFIED
    return Expectation(verdict, tuple(errors), int(finished["verified"]), error_count, tuple(other))


def _add_positioned(match: re.Match[str], errors: list[DafnyError], other: list[str]) -> None:
    label = match["label"]
    line = int(match["line"])
    if label == "Error":
        errors.append(DafnyError(match["file"], line, int(match["col"]), match["message"].strip()))
    elif label == "Related location":
        if not errors:
            other.append(match.group(0))
            return
        last = errors[-1]
        errors[-1] = DafnyError(last.file, last.line, last.col, last.message, (*last.related, line))
    # warnings and infos do not change the verdict


def _unknown(why: str, other: list[str]) -> Expectation:
    return Expectation(DafnyVerdict.UNKNOWN, other=tuple(other), why_unknown=why)
