"""Replaying counterexamples: real Z3 models run in the real interpreter.

- every loop-free buggy conformance program: the counterexample's inputs reproduce the
  failure, except where the failure comes from a contract too weak to carry the proof
  (modular verification) rather than from a bug;
- the values a trace shows agree with a concrete run of the same inputs, step by step;
- wrong invariants (false in some run) are confirmed, too-weak ones (true but not
  inductive) are not reproduced: at least 9 of 10 of each in `tests/replay/`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kernel_ext import verify
from kernel_ext.explain.counterexample import ANY_VALUE, Replay
from kernel_ext.explain.replay import _arguments
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.report import ObligationResult, VerificationReport
from kernel_ext.run.interp import run_method
from tests.support import conformance_dir, conformance_params, load_conformance

REPLAY = Path(__file__).resolve().parent / "replay"

# Loop-free conformance programs whose failure is not a bug in the code but a contract too
# weak for modular verification: the run succeeds, and replay must say so.
ABSTRACTION_ONLY = {
    "l1_max3_bad_weak_callee.dfy": "Max's postcondition does not say that m is a or b",
    "l1_even_bad_no_lemma_call.dfy": "the lemma that relates IsEven to % is not called",
}


def _loop_free_bad() -> list[str]:
    found = []
    for entry in load_conformance():
        text = (conformance_dir() / entry["file"]).read_text()
        if entry["errors"] and "while" not in text and entry["level"] <= 2:
            found.append(entry["file"])
    return found


def _errors_with_traces(report: VerificationReport) -> list[ObligationResult]:
    errors = [ob for ob in report.errors if ob.trace is not None and ob.trace.replay is not None]
    assert errors, "no failed obligation carries a replayed trace"
    return errors


@pytest.mark.parametrize("name", conformance_params(_loop_free_bad(), _loop_free_bad()))
def test_loop_free_bugs_are_confirmed_by_their_counterexample(name: str) -> None:
    report = verify((conformance_dir() / name).read_text(), name)
    verdicts = {ob.trace.replay.verdict.value for ob in _errors_with_traces(report)}  # type: ignore[union-attr]
    if name in ABSTRACTION_ONLY:
        assert verdicts == {"not-reproduced"}, ABSTRACTION_ONLY[name]
    else:
        assert "confirmed" in verdicts, [ob.trace.replay for ob in report.errors]  # type: ignore[union-attr]


def _normal(text: str) -> str:
    return re.sub(r" \(Length \d+\)$", "", text)


_CONFIRMED = [name for name in _loop_free_bad() if name not in ABSTRACTION_ONLY]


@pytest.mark.parametrize("name", conformance_params(_CONFIRMED, _CONFIRMED))
def test_trace_values_agree_with_a_concrete_run(name: str) -> None:
    """Each step's values are those of the concrete run (for these programs the callees'
    contracts determine their results, so even after a call the values must agree)."""
    text = (conformance_dir() / name).read_text()
    checked = resolve(parse(SourceFile(name, text)))
    report = verify(text, name)
    compared = 0
    shared_lines = 0
    for ob in report.errors:
        method = checked.decl(ob.owner)
        if ob.trace is None or ob.trace.replay is None or ob.trace.replay.verdict.value != "confirmed":
            continue
        types = {p.name: p.ty for p in method.params}  # type: ignore[union-attr]
        run = run_method(checked, ob.owner, _arguments(ob.trace, types))
        concrete = {}
        for step in run.trace:
            concrete.setdefault(step.span.start_line, dict(step.variables))
        for step in ob.trace.steps:
            if step.kind.value not in ("step", "call") or step.line not in concrete:
                continue
            shared_lines += 1
            for binding in step.values:
                if binding.text == ANY_VALUE or binding.name not in concrete[step.line]:
                    continue
                assert _normal(binding.text) == _normal(concrete[step.line][binding.name]), (
                    f"{name} line {step.line}: {binding.name}"
                )
                compared += 1
    assert compared or not shared_lines, "steps in common with the run, but no value compared"


def _classify(path: Path) -> str:
    report = verify(path.read_text(), path.name)
    verdicts = [ob.trace.replay.verdict.value for ob in _errors_with_traces(report)]  # type: ignore[union-attr]
    return "wrong" if "confirmed" in verdicts else "weak" if set(verdicts) == {"not-reproduced"} else "?"


@pytest.mark.parametrize("kind", ["wrong", "weak"])
def test_wrong_and_too_weak_invariants_are_told_apart(kind: str) -> None:
    programs = sorted((REPLAY / kind).glob("*.dfy"))
    assert len(programs) >= 10
    results = {path.name: _classify(path) for path in programs}
    right = [name for name, verdict in results.items() if verdict == kind]
    assert len(right) >= 0.9 * len(programs), results


def test_not_reproduced_names_the_loop() -> None:
    report = verify((REPLAY / "weak" / "sum_nothing.dfy").read_text(), "sum_nothing.dfy")
    replay = report.errors[0].trace.replay  # type: ignore[union-attr]
    assert replay.verdict.value == "not-reproduced" and replay.through == "the loop at line 7"
    assert "invariant" in replay.detail


def _replays_by_owner(name: str) -> dict[str, Replay]:
    path = REPLAY / name
    report = verify(path.read_text(), path.name)
    return {ob.owner: ob.trace.replay for ob in _errors_with_traces(report)}  # type: ignore[union-attr,misc]


def test_every_failure_gets_a_verdict_not_only_a_methods() -> None:
    """A lemma is run, and so is a function, on the counterexample's inputs: a false lemma and
    a function that breaks a precondition or does not terminate are confirmed; a true lemma
    whose proof misses a step is not reproduced, with advice about the step."""
    replays = _replays_by_owner("every_failure.dfy")
    verdicts = {owner: replay.verdict.value for owner, replay in replays.items()}
    assert verdicts == {
        "False": "confirmed",
        "UseDiv": "confirmed",
        "Loop": "confirmed",
        "Pow2Grows": "not-reproduced",
        "Bigger": "not-reproduced",
    }
    assert "Calling UseDiv(1) fails the same check" in replays["UseDiv"].detail
    assert "Div(10, 0) is called" in replays["UseDiv"].detail
    assert re.search(r"Calling Loop\(\d+\) fails the same check", replays["Loop"].detail)
    assert "an induction hypothesis: call Pow2Grows on a smaller argument" in replays["Pow2Grows"].detail
    assert "which a helper lemma can prove" in replays["Bigger"].detail
    assert all("no code to run" not in replay.detail for replay in replays.values())


def test_a_calc_step_is_evaluated_at_the_counterexample() -> None:
    """Both sides of a failed calc step are computed: a wrong step is confirmed with its two
    values, a true one that needs a hint is not reproduced."""
    replays = _replays_by_owner("calc_steps.dfy")
    assert {owner: replay.verdict.value for owner, replay in replays.items()} == {
        "Wrong": "confirmed",
        "WrongStep": "confirmed",
        "NeedsHint": "not-reproduced",
    }
    assert "3 * x is 3 and x + x is 2, so the step `==` is false there" in replays["WrongStep"].detail
    assert re.search(r"n \+ Sum\(n - 1\) is (\d+) and n \* \(n \+ 1\) / 2 is \1", replays["NeedsHint"].detail)
    assert "needs a hint" in replays["NeedsHint"].detail


def test_a_loop_without_a_measure_is_advised_a_decreases_clause() -> None:
    (replay,) = _replays_by_owner("no_measure.dfy").values()
    assert replay.verdict.value == "not-reproduced"
    assert "write it in a `decreases` clause" in replay.detail
    assert "invariant is probably too weak" not in replay.detail


def test_a_guessed_measure_that_needs_an_invariant_is_named_in_the_advice() -> None:
    (replay,) = _replays_by_owner("guessed_measure.dfy").values()
    assert replay.verdict.value == "not-reproduced"
    assert "guessed the measure `if i < hi then hi - i else i - hi`" in replay.detail


def test_a_call_that_does_not_get_smaller_names_its_argument() -> None:
    """A termination failure shows the calls (Len(Cons(…)) → Len(Cons(…))) and, without a
    `decreases` clause, which argument should have got smaller."""
    replays = _replays_by_owner("termination_args.dfy")
    assert {owner: replay.verdict.value for owner, replay in replays.items()} == {
        "Len": "confirmed",
        "Ack": "confirmed",
        "Count": "confirmed",
    }
    assert re.search(
        r"the calls Len\((.+)\) → Len\(\1\) do not get smaller: its argument xs is", replays["Len"].detail
    )
    assert re.search(
        r"the calls Ack\((\d+), 0\) → Ack\(\1, 1\) do not get smaller: its argument n is 1",
        replays["Ack"].detail,
    )
    assert re.search(r"the calls Count\(-?\d+\) → Count\(-?\d+\) do not get smaller", replays["Count"].detail)
    assert "its argument" not in replays["Count"].detail  # its own decreases clause: no argument to blame


def test_a_lemmas_advice_names_a_smaller_argument_of_its_own_type() -> None:
    """The induction hypothesis suggested is a call on a smaller value of the lemma's own
    parameter: xs.tail for a list, not n - 1."""
    path = REPLAY / "lemma_on_a_list.dfy"
    report = verify(path.read_text(), path.name)
    (failure,) = _errors_with_traces(report)
    assert failure.trace is not None and failure.trace.replay is not None
    assert failure.trace.replay.verdict.value == "not-reproduced"
    assert "as `LenRev(xs.tail);` in the case xs.Cons?" in failure.trace.replay.detail


def test_a_set_measure_is_read_alike_by_the_verifier_and_the_run() -> None:
    """`decreases s` on a set: removing an element verifies and runs; a set that grows fails
    to verify, and the run confirms it (the same proper-subset order on both sides)."""
    right = REPLAY / "set_decreases_right.dfy"
    assert verify(right.read_text(), right.name).verdict.value == "verified"
    checked = resolve(parse(SourceFile(right.name, right.read_text())))
    assert run_method(checked, "Drain", {"s0": frozenset({1, 2, 3})}).outcome.value == "ok"
    assert {replay.verdict.value for replay in _replays_by_owner("set_decreases_wrong.dfy").values()} == {
        "confirmed"
    }
