"""Dafny's automatic induction on `nat` and `int` lemma parameters: the hypothesis holds for
smaller values only (`0 <= n' < n`), so a false lemma stays unproved."""

from __future__ import annotations

import pytest

from kernel_ext import verify

SUM = "function Sum(n: nat): nat { if n == 0 then 0 else n + Sum(n - 1) }\n"
SUM_INT = "function SumI(n: int): int { if n <= 0 then 0 else n + SumI(n - 1) }\n"


@pytest.mark.parametrize(
    "program, verified",
    [
        (SUM + "lemma L(n: nat) ensures Sum(n) == n * (n + 1) / 2 { }", True),
        (SUM + "lemma L(n: nat) ensures Sum(n) == n * n { }", False),
        (SUM + "lemma L(n: nat) ensures Sum(n) == 7 { }", False),  # never for the same n
        (SUM_INT + "lemma L(n: int) ensures SumI(n) >= 0 { }", True),
        (SUM_INT + "lemma L(n: int) ensures SumI(n) > 0 { }", False),
        (SUM_INT + "lemma L(n: int) requires n >= 0 ensures 2 * SumI(n) == n * (n + 1) { }", True),
        (SUM_INT + "lemma L(n: int) ensures 2 * SumI(n) == n * (n + 1) { }", False),
    ],
)
def test_induction_on_integers(program: str, verified: bool) -> None:
    report = verify(program, "t.dfy")
    assert not report.diagnostics
    assert report.verified == verified, [ob.message for ob in report.errors]
