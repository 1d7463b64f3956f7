"""The soundness campaign: its mutation operators, its oracle, and a deterministic slice of it.

The whole campaign is `make soundness`; this slice takes the first mutants of its fixed
order, a few of every operator.
"""

from __future__ import annotations

from pathlib import Path

from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from tests.soundness.campaign import VIOLATED, Tally, Verdict, all_mutants, examine, run_all, seeds, select
from tests.soundness.mutants import OPERATORS, Mutant, mutants_of
from tests.support import GOLDEN, REPO

SLICE = 72

PROGRAM = """\
method Sum(a: array<int>, n: int) returns (s: int, ok: bool)
  requires 0 <= n <= a.Length
  ensures ok ==> s >= 0
{
  var xs: seq<int> := [];
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    if a[i] > 0 { s := s + a[i]; } else { s := s - 1; }
    i := i + 1;
  }
  match n {
    case 0 => s := s + 0;
    case _ =>
  }
  ok := s >= 0 && n > 0;
}
"""


def _by_operator() -> dict[str, list[Mutant]]:
    found: dict[str, list[Mutant]] = {}
    for mutant in mutants_of("sum.dfy", PROGRAM, parse):
        found.setdefault(mutant.operator, []).append(mutant)
    return found


def _changed_lines(mutant: Mutant) -> list[tuple[str, str]]:
    before = PROGRAM.splitlines()
    after = mutant.text.splitlines()
    return [(old, new) for old, new in zip(before, after, strict=False) if old != new]


def test_every_operator_applies_to_a_program_that_has_its_kind_of_place() -> None:
    assert set(_by_operator()) == set(OPERATORS)


def test_each_mutant_changes_one_place_and_keeps_the_rest_as_written() -> None:
    found = _by_operator()
    comparison = {_changed_lines(m)[0][1].strip() for m in found["comparison"]}
    assert "requires 0 < n <= a.Length" in comparison
    assert "invariant 0 <= i <= n" not in comparison
    assert any("ensures (ok ==> s >= 0) && (ok ==> s > 0)" in m.text for m in found["stronger-ensures"])
    assert any("ensures s != 0\n{" in m.text for m in found["stronger-ensures"])
    assert any("var xs: seq<nat> := [];" in m.text for m in found["nat-type-argument"])
    assert any("ghost var i := 0;" in m.text for m in found["ghost"])
    assert any(
        "if a[i] > 0 { s := s - 1; } else { s := s + a[i]; }" in m.text for m in found["swap-branches"]
    )
    assert any("s := s + a[(i) + 1];" in m.text for m in found["index"])
    assert all(len(PROGRAM.splitlines()) - len(m.text.splitlines()) <= 1 for m in found["drop-clause"])
    for mutants in found.values():
        assert len({m.text for m in mutants}) == len(mutants)


def test_a_wrong_program_taken_as_verified_is_a_finding_with_its_inputs() -> None:
    text = PROGRAM.replace("ok ==> s >= 0", "s >= 0")
    wrong = Mutant("probe.dfy", "probe", "a wrong postcondition", text)
    assert examine(wrong).verdict is Verdict.REFUTED
    outcomes, findings = run_all(wrong, resolve(parse(SourceFile("probe.dfy", text))), verified=True)
    assert outcomes["violation"] > 0 and outcomes["ok"] > 0
    assert findings and all(finding.what == VIOLATED for finding in findings)
    described = findings[0].describe()
    assert "run Sum(a = [" in described and "A postcondition might not hold" in described
    assert "   3 | " in described  # the program, numbered


def test_a_refuted_program_that_breaks_a_check_is_no_finding() -> None:
    text = PROGRAM.replace("ok ==> s >= 0", "s >= 0")
    outcomes, findings = run_all(Mutant("p", "probe", "", text), resolve(parse(SourceFile("p", text))), False)
    assert sum(outcomes.values()) > 0 and not findings


def test_a_slice_of_the_campaign_finds_no_verified_program_that_breaks_a_check() -> None:
    mutants = select(all_mutants(seeds(GOLDEN), REPO), SLICE)
    tally = Tally()
    for mutant in mutants:
        tally.add(examine(mutant))
    assert not tally.findings, "\n\n".join(finding.describe() for finding in tally.findings)
    assert tally.mutants == SLICE
    assert len(tally.by_operator) == len(OPERATORS)
    # the slice means something only if mutants verify and run, and others are refuted
    assert tally.verified_and_run >= 5 and tally.verdicts["refuted"] >= 20
    assert tally.outcomes["ok"] >= 50


def test_the_seeds_are_the_golden_programs_that_verify() -> None:
    found = seeds(GOLDEN)
    assert len(found) >= 100
    assert all("Error" not in Path(f"{path}.expect").read_text() for path in found)
