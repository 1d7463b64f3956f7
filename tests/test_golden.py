"""Golden files: tests/golden/**/X.dfy with X.dfy.expect beside it.

`pytest --update-golden` rewrites the .expect files from the current output; regenerate
only on purpose, and read the diff. A program's name ends in `_ok` (it verifies), `_bad` (a
verification error) or `_reject` (rejected before verification, as Dafny's resolver does). Where a folder has dafny_verdicts.json (what Dafny
itself says of each program), our verdicts must agree with it too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel_ext.present.text import dafny_lines, summary
from kernel_ext.report import VerificationReport
from tests.support import CURRENT_DAFNY, GOLDEN, disagreements, report_of

PROGRAMS = sorted(GOLDEN.rglob("*.dfy"))


def _id(path: Path) -> str:
    return str(path.relative_to(GOLDEN))


def golden_text(report: VerificationReport) -> str:
    lines = dafny_lines(report)
    lines.append("")
    lines.append("obligations:")
    for ob in sorted(report.obligations, key=lambda ob: (ob.span.start_line, ob.span.start_col, ob.kind.id)):
        where = f"{ob.span.start_line}:{ob.span.start_col}"
        detail = f"  {ob.description}" if ob.description else ""
        lines.append(f"  {where:>7} {ob.owner:<14} {ob.kind.id:<22} {ob.status.value:<7}{detail}".rstrip())
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("program", PROGRAMS, ids=_id)
def test_golden(program: Path, update_golden: bool) -> None:
    actual = golden_text(report_of(program))
    expect = program.with_name(program.name + ".expect")
    if update_golden:
        expect.write_text(actual)
    elif not expect.exists():
        pytest.fail(f"{_id(expect)} is missing: run `make golden` to write it, read it, then commit it")
    assert actual == expect.read_text()


@pytest.mark.parametrize("program", PROGRAMS, ids=_id)
def test_name_tells_the_verdict(program: Path) -> None:
    report = report_of(program)
    if program.stem.endswith("_ok"):
        assert report.verified, [ob.message for ob in report.errors] + [d.message for d in report.diagnostics]
    elif program.stem.endswith("_bad"):
        assert report.errors and not report.diagnostics
    elif program.stem.endswith("_reject"):  # Dafny rejects it before verifying: a resolution error
        assert report.diagnostics and not report.obligations
    else:
        pytest.fail(f"{program.name}: a golden program's name ends in _ok, _bad or _reject")


def _dafny_verdicts() -> list[tuple[Path, dict]]:
    found = []
    for verdicts in sorted(GOLDEN.rglob("dafny_verdicts.json")):
        for entry in json.loads(verdicts.read_text()):
            found.append((verdicts.parent / entry["file"], entry))
    return found


DAFNY = _dafny_verdicts()


@pytest.mark.parametrize("program,entry", DAFNY, ids=[_id(path) for path, _ in DAFNY])
def test_agrees_with_dafny(program: Path, entry: dict) -> None:
    report = report_of(program)
    lines, rejected_now, _why = CURRENT_DAFNY.get(_id(program), ([], False, ""))
    expected = sorted({*entry["error_lines"], *lines})
    rejected = ("resolution/type errors detected", "parse errors detected")
    if rejected_now or any(words in kind for kind in entry["error_kinds"] for words in rejected):
        assert sorted({d.span.start_line for d in report.diagnostics}) == expected
        return
    assert disagreements(report, expected) == []


def test_every_difference_from_dafny_23_is_a_golden_program() -> None:
    assert {name for name in CURRENT_DAFNY} <= {_id(path) for path, _ in DAFNY}
