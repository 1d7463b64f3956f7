from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kernel_ext import Options, verify
from kernel_ext.verify.smt import Limits
from tests.programs import FIB
from tests.support import REPO


def statuses(text: str, **limits) -> list[str]:
    report = verify(text, "t.dfy", Options(limits=Limits(**limits)))
    assert not report.diagnostics, report.diagnostics
    return [ob.status.value for ob in report.obligations]


@pytest.mark.parametrize(
    "claim",
    ["-7 / 2 == -4", "-7 % 2 == 1", "7 / -2 == -3", "7 % -2 == 1", "-7 / -2 == 4", "-7 % -2 == 1"],
)
def test_division_is_euclidean_as_in_dafny(claim: str) -> None:
    assert set(statuses(f"method M() {{ assert {claim}; }}")) == {"proved"}


def test_a_resource_limit_gives_unknown_never_proved() -> None:
    text = "method M(x: int, y: int, z: int) { assert x * y * z == z * y * x + 0; }"
    result = statuses(text, rlimit=1)
    assert result == ["unknown"]
    report = verify(text, "t.dfy", Options(limits=Limits(rlimit=1)))
    assert report.exit_code == 1 and "limit" in report.errors[0].reason


def test_recursive_definitions_unfold_a_bounded_number_of_times() -> None:
    # Fuel keeps Z3 from unfolding Fib forever: a claim that needs deep unfolding fails
    # cleanly instead of running out of resources.
    program = FIB + "method M(n: nat) requires n == 20 { assert Fib(n) == 6765; }"
    assert statuses(program)[-1] == "failed"
    assert statuses(FIB + "method M(n: nat) requires n == 2 { assert Fib(n) == 1; }")[-1] == "proved"


@pytest.mark.parametrize(
    "claim, status",
    [
        ("Fib(20) == 6765", "proved"),  # literal arguments: computed to the end, as Dafny does
        ("Fib(20) == 6766", "failed"),
        ("Fib(Fib(5)) == 5", "proved"),  # a computed value is passed on as a literal
    ],
)
def test_calls_on_literals_are_computed_to_the_end(claim: str, status: str) -> None:
    assert statuses(FIB + f"method M() {{ assert {claim}; }}")[-1] == status


def _without_times(value: object) -> object:
    if isinstance(value, dict):
        return {key: _without_times(item) for key, item in value.items() if key not in ("time_s", "time_ms")}
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return value


def test_reports_are_the_same_in_two_fresh_processes(tmp_path: Path) -> None:
    """The CLI's report of one program from two processes, each with its own hash seed (so
    the order of sets and dicts differs): equal in all but times, verdicts, counterexamples
    and replays included."""
    program = tmp_path / "fib.dfy"
    program.write_text(
        FIB
        + "method M(n: nat) requires n > 3 { assert Fib(n) == Fib(n - 1) + Fib(n - 2); }\n"
        + "method N(n: nat) requires n > 1 { assert Fib(n) > 1; }\n"
    )
    command = [sys.executable, "-m", "kernel_ext.cli", "verify", "--json", str(program)]
    runs = [
        subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], [err for _, err in outputs]
    first, second = (_without_times(json.loads(out)) for out, _ in outputs)
    assert [error["trace"]["replay"]["verdict"] for error in first["errors"]] == ["confirmed"]
    assert first == second


def test_sequences_of_every_element_sort_get_a_sort_of_their_own() -> None:
    program = """
    method M(s: seq<seq<int>>, b: seq<bool>)
      requires |s| > 0 && |b| > 0
    {
      var t := s + [[1], []];
      assert t[|s|] == [1] && t[|s| + 1] == [];
      assert b[..1] + b[1..] == b;
    }
    """
    assert set(statuses(program)) == {"proved"}


def test_set_and_multiset_sizes_follow_dafny() -> None:
    assert set(statuses("method M(S: set<int>) requires 3 !in S { assert |S + {3}| == |S| + 1; }")) == {
        "proved"
    }
    assert statuses("method M(S: set<int>) { assert |S + {3}| == |S| + 1; }") == ["failed"]
    assert set(statuses("method M(s: seq<int>) { assert |multiset(s + [1])| == |s| + 1; }")) == {"proved"}


def test_a_trigger_z3_would_refuse_is_left_out_without_a_warning(capfd: pytest.CaptureFixture[str]) -> None:
    """The result of a function whose body is an if-then-else, checked against seq<nat>: the
    element constraint's natural trigger contains the `ite`, which Z3 refuses with a warning
    on stderr (where a notebook would show it)."""
    text = """\
// sequences of sequences: chunks of a sequence, and their lengths
function Flatten(chunks: seq<seq<int>>): seq<nat>
{
  if |chunks| == 0 then [] else Flatten(chunks[..|chunks| - 1]) + chunks[|chunks| - 1]
}

method Split(s: seq<int>, k: int) returns (chunks: seq<seq<int>>)
  requires k > 0
  ensures Flatten(chunks) == s
  ensures forall c :: 0 <= c < |chunks| ==> 0 < |chunks[c]| <= k
{
  chunks := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant Flatten(chunks) == s[..i]
    invariant forall c :: 0 <= c < |chunks| ==> 0 < |chunks[c]| <= k
  {
    var m := if |s| - i < k then |s| - i else k;
    assert (chunks + [s[i..i + m]])[..|chunks|] == chunks;
    chunks := chunks + [s[i..i + m]];
    assert s[..i + m] == s[..i] + s[i..i + m];
    i := i + m;
  }
  assert s[..|s|] == s;
}
"""
    report = verify(text, "chunks.dfy", Options(jobs=1))
    assert [error.span.start_line for error in report.errors] == [4]  # Flatten's result may be negative
    assert "cannot be used in patterns" not in capfd.readouterr().err
