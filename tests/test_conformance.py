"""The shared conformance programs: our verdicts must agree with Dafny's."""

from __future__ import annotations

import pytest

from kernel_ext import verify
from kernel_ext.lang.diagnostics import Phase
from tests.support import conformance_dir, disagreements, load_conformance

SUPPORTED_LEVELS = {1, 2}

# Where Dafny 2.3's verdict is itself wrong, we check the correct verdict instead, and say why.
DAFNY_ARTIFACTS = {
    "l2_double_all_bad_update.dfy": (
        8,
        "Dafny 2.3 reports `i <= a.Length` as not holding on loop entry, where i == 0 and "
        "a.Length >= 0: it holds. Its other error (line 9, the real bug) we report too.",
    ),
}
ENTRIES = load_conformance()
# Sets are part of level 2 in MiniDafny, though the conformance set files them under level 3;
# ghost variables are the first part of level 3 that is built.
LEVEL_TWO_TOPICS = ("l3_set_", "l3_ghost_")


def _supported(entry: dict) -> bool:
    return entry["level"] in SUPPORTED_LEVELS or entry["file"].startswith(LEVEL_TWO_TOPICS)


SUPPORTED = [entry for entry in ENTRIES if _supported(entry)]
LATER = [entry for entry in ENTRIES if not _supported(entry)]


def _verify(entry: dict):
    path = conformance_dir() / entry["file"]
    return verify(path.read_text(), entry["file"])


@pytest.mark.parametrize("entry", SUPPORTED, ids=[entry["file"] for entry in SUPPORTED])
def test_agrees_with_dafny(entry: dict) -> None:
    report = _verify(entry)
    error_lines = entry["error_lines"]
    if entry["file"] in DAFNY_ARTIFACTS:
        line, _reason = DAFNY_ARTIFACTS[entry["file"]]
        at_line = [ob for ob in report.obligations if ob.span.start_line == line]
        assert at_line and all(ob.status.value == "proved" for ob in at_line)
        error_lines = [other for other in error_lines if other != line]
    assert disagreements(report, error_lines) == []
    if entry["errors"]:
        assert report.errors, "Dafny finds an error; we must too"


@pytest.mark.parametrize("entry", LATER, ids=[entry["file"] for entry in LATER])
def test_later_levels_are_refused_clearly(entry: dict) -> None:
    """Programs of levels not built yet get an 'unsupported' diagnostic with a position, never a
    wrong verdict and never a crash."""
    report = _verify(entry)
    assert report.exit_code == 2
    assert report.diagnostics
    first = report.diagnostics[0]
    assert first.phase in (Phase.UNSUPPORTED, Phase.TYPE, Phase.PARSE)
    assert first.span.start_line >= 1 and first.span.start_col >= 1
    assert not report.obligations


def test_the_set_has_every_level_one_and_two_program() -> None:
    assert sum(1 for entry in SUPPORTED if entry["level"] == 1) >= 30
    assert sum(1 for entry in SUPPORTED if entry["level"] == 2) >= 20
