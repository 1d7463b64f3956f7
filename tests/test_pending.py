"""Programs we do not yet agree with Dafny on (see tests/pending/README.md): even so, a
program Dafny rejects must never be verified here, and none may crash the verifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel_ext import verify
from kernel_ext.lang.diagnostics import Phase

PENDING = Path(__file__).resolve().parent / "pending"
ENTRIES = [
    (verdicts.parent / entry["file"], entry)
    for verdicts in sorted(PENDING.rglob("dafny_verdicts.json"))
    for entry in json.loads(verdicts.read_text())
]


@pytest.mark.parametrize("program,entry", ENTRIES, ids=[str(p.relative_to(PENDING)) for p, _ in ENTRIES])
def test_pending_programs_are_never_wrongly_verified(program: Path, entry: dict) -> None:
    report = verify(program.read_text(), program.name)
    assert not any(d.phase == Phase.INTERNAL for d in report.diagnostics)
    if entry["errors"]:
        assert report.errors or report.diagnostics, "Dafny rejects this program; so must we"


def test_every_pending_program_has_a_verdict() -> None:
    assert sorted(p.name for p in PENDING.rglob("*.dfy")) == sorted(p.name for p, _ in ENTRIES)
