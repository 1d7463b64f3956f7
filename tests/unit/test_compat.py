"""The comparison with Dafny's own test files (`tests/compat`), without the fetched
repositories: reading `.expect` texts, the selection rules and the classifier, on small
texts written here."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.compat.classify import AGREE, CRASHED, DIFFER, REFUSED, TIMED_OUT, classify, refusal_reason
from tests.compat.expect import DafnyVerdict, parse_expect
from tests.compat.runner import (
    CRASH,
    DIAGNOSED,
    ERRORS,
    TIMEOUT,
    VERIFIED,
    Diagnosed,
    Failed,
    Outcome,
    run_all,
    verify_file,
)
from tests.compat.select import check_run_lines, choose, far_features, run_lines
from tests.compat.sources import SourceError, folder_of, revision

SUMMARY = "Dafny program verifier finished with {} verified, {} errors"


def expect(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# --- .expect texts


def test_a_verified_program() -> None:
    found = parse_expect(expect("", SUMMARY.format(3, 0)), "p.dfy")
    assert found.verdict == DafnyVerdict.VERIFIED
    assert (found.verified_count, found.error_count, found.errors) == (3, 0, ())


def test_errors_with_related_locations() -> None:
    text = expect(
        "p.dfy(7,2): Error: a postcondition could not be proved on this return path",
        "p.dfy(4,12): Related location: this is the postcondition that could not be proved",
        "p.dfy(12,9): Error: index out of range",
        "p.dfy(3,1): Warning: something harmless",
        "",
        "Dafny program verifier finished with 1 verified, 2 errors",
    )
    found = parse_expect(text, "p.dfy")
    assert found.verdict == DafnyVerdict.ERRORS
    assert [(e.line, e.col, e.related) for e in found.errors] == [(7, 2, (4,)), (12, 9, ())]
    assert found.errors[0].lines == {7, 4}
    assert found.error_count == 2


def test_one_error_ranges_and_time_outs() -> None:
    text = expect(
        "p.dfy(5:3-5:9): Error: assertion could not be proved",
        "Dafny program verifier finished with 0 verified, 1 error, 1 time out",
    )
    found = parse_expect(text, "p.dfy")
    assert found.verdict == DafnyVerdict.ERRORS
    assert [(e.line, e.col) for e in found.errors] == [(5, 3)]
    assert found.error_count == 2


def test_resolution_errors_reject_the_program() -> None:
    text = expect("p.dfy(2,4): Error: unresolved identifier: y", "1 resolution/type errors detected in p.dfy")
    found = parse_expect(text, "p.dfy")
    assert found.verdict == DafnyVerdict.REJECTED
    assert [e.line for e in found.errors] == [2]
    assert found.rejected_by == "resolution/type"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (expect("hello", SUMMARY.format(1, 0)), "other output"),
        (expect("Dafny program verifier did not attempt verification"), "not attempted"),
        (expect("q.dfy(1,1): Error: assertion could not be proved", SUMMARY.format(0, 1)), "other files"),
        (expect(SUMMARY.format(0, 1)), "no error line"),
        (expect(SUMMARY.format(1, 0), SUMMARY.format(1, 0)), "more than once"),
        (expect("p.dfy(1,1): Warning: nothing to verify"), "no verifier summary"),
    ],
)
def test_output_not_understood(text: str, why: str) -> None:
    found = parse_expect(text, "p.dfy")
    assert found.verdict == DafnyVerdict.UNKNOWN
    assert why in found.why_unknown


def test_deprecation_notes_are_harmless() -> None:
    text = expect(
        "Warning: this way of using the CLI is deprecated. Use the new one", "", SUMMARY.format(2, 0)
    )
    assert parse_expect(text).verdict == DafnyVerdict.VERIFIED


# --- selection


def test_run_lines_of_plain_verifications_are_taken() -> None:
    program = '// RUN: %exits-with 4 %verify --allow-deprecation "%s" > "%t"\n// RUN: %diff "%s.expect" "%t"\nmethod M() {}\n'
    assert run_lines(program) == [
        '%exits-with 4 %verify --allow-deprecation "%s" > "%t"',
        '%diff "%s.expect" "%t"',
    ]
    assert check_run_lines(run_lines(program)).taken
    assert check_run_lines(
        ['%testDafnyForEachResolver --expect-exit-code=2 "%s" -- --relax-definite-assignment']
    ).taken
    assert check_run_lines(["! %verify %s &> %t", '%diff "%s.expect" "%t"']).taken
    assert check_run_lines(['%verify --unicode-char false "%s" > "%t"']).taken


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([], "no RUN line"),
        (['%testDafnyForEachCompiler "%s"'], "RUN: %testDafnyForEachCompiler"),
        (['%verify "%s" > "%t"', '%run "%s" >> "%t"'], "RUN: several commands"),
        (['%verify --manual-triggers "%s" > "%t"'], "option --manual-triggers"),
        (['%verify --print:x.bpl "%s" > "%t"'], "option --print"),
        (['%verify "%s"'], "RUN: %verify with another output or input"),
        (['%testDafnyForEachResolver "%s" other.dfy'], "RUN: %testDafnyForEachResolver with other arguments"),
    ],
)
def test_other_run_lines_are_left_out(lines: list[str], reason: str) -> None:
    choice = check_run_lines(lines)
    assert not choice.taken
    assert choice.reason == reason


def test_far_features_ignore_comments_and_strings() -> None:
    program = """
    // a class in a comment
    /* a trait /* nested */ and an iterator */
    method M() { var s := "import this"; }
    """
    assert far_features(program) == []
    assert far_features("class C { }\nleast predicate P() { true }") == ["class", "least"]
    assert far_features("abstract  module A { }") == ["abstract module"]
    assert far_features("method {:extern} M()") == ["{:extern}"]
    # what MiniDafny refuses but is close to the subset is run, not left out
    assert far_features("module M { const k := 1 }\nfunction method F(): int { 0 }") == []


def test_choose_needs_an_expect_file() -> None:
    program = '// RUN: %verify "%s" > "%t"\nclass C {}\n'
    assert choose(program, has_expect=False).reason == "no .expect file"
    assert choose(program, has_expect=True).reason == "uses `class`"
    assert choose('// RUN: %verify "%s" > "%t"\nmodule M {}\n', has_expect=True).taken


# --- classification


def failed(line: int, *related: int) -> Failed:
    return Failed(line, 1, "assert", "failed", "assertion might not hold", related)


def diagnosed(phase: str, message: str, line: int = 1) -> Outcome:
    return Outcome(DIAGNOSED, (Diagnosed(line, 1, phase, "E000", message),))


ERRORS_AT_7_AND_12 = expect(
    "p.dfy(7,2): Error: a postcondition could not be proved on this return path",
    "p.dfy(4,12): Related location: this is the postcondition that could not be proved",
    "p.dfy(12,9): Error: assertion could not be proved",
    SUMMARY.format(1, 2),
)


def test_agreement() -> None:
    assert classify(parse_expect(SUMMARY.format(2, 0)), Outcome(VERIFIED)).cls == AGREE
    # our postcondition error at the ensures line, Dafny's at the return path: a related line is shared
    both = classify(parse_expect(ERRORS_AT_7_AND_12), Outcome(ERRORS, errors=(failed(4), failed(12))))
    assert both.cls == AGREE


def test_a_missing_error_is_flagged() -> None:
    verdict = classify(parse_expect(ERRORS_AT_7_AND_12), Outcome(ERRORS, errors=(failed(12),)))
    assert verdict.cls == DIFFER
    assert verdict.possibly_unsound
    assert verdict.missing == ("line 7: a postcondition could not be proved on this return path",)
    assert "POSSIBLY UNSOUND" in verdict.reason
    assert not verdict.accepts_wrong
    everything_verified = classify(parse_expect(ERRORS_AT_7_AND_12), Outcome(VERIFIED))
    assert everything_verified.possibly_unsound and everything_verified.accepts_wrong
    assert len(everything_verified.missing) == 2
    assert everything_verified.reason.startswith("Dafny finds errors, MiniDafny verifies the program")


def test_an_extra_error_is_incompleteness() -> None:
    verdict = classify(parse_expect(SUMMARY.format(2, 0)), Outcome(ERRORS, errors=(failed(30),)))
    assert verdict.cls == DIFFER
    assert not verdict.possibly_unsound
    assert verdict.extra == ("line 30: assert failed",)
    assert "incomplete" in verdict.reason


def test_an_error_a_few_lines_away_is_moved_not_missing() -> None:
    verdict = classify(parse_expect(ERRORS_AT_7_AND_12), Outcome(ERRORS, errors=(failed(4), failed(10))))
    assert verdict.cls == DIFFER
    assert not verdict.possibly_unsound
    assert verdict.moved and "Dafny line 12, MiniDafny line 10" in verdict.moved[0]
    far_away = classify(parse_expect(ERRORS_AT_7_AND_12), Outcome(ERRORS, errors=(failed(4), failed(40))))
    assert far_away.possibly_unsound and far_away.extra


def test_refusals_are_grouped_by_message() -> None:
    verdict = classify(
        parse_expect(SUMMARY.format(1, 0)), diagnosed("unsupported", "`module` is not part of MiniDafny")
    )
    assert (verdict.cls, verdict.reason) == (REFUSED, "unsupported: `module` is not part of MiniDafny")
    parse_error = Diagnosed(3, 1, "parse", "E001", "unexpected the name 'k': expected ';' or ':='")
    assert refusal_reason(parse_error) == "parse: unexpected a name"
    type_error = Diagnosed(3, 1, "type", "E101", "unknown name 'Frobnicate'")
    assert refusal_reason(type_error) == "type: unknown name '…'"


def test_programs_dafny_rejects() -> None:
    rejected = parse_expect(
        expect("p.dfy(5,3): Error: type mismatch", "1 resolution/type errors detected in p.dfy")
    )
    assert classify(rejected, diagnosed("type", "type mismatch", line=5)).cls == AGREE
    assert classify(rejected, diagnosed("type", "type mismatch", line=9)).cls == DIFFER
    assert classify(rejected, diagnosed("parse", "unexpected 'by'", line=2)).cls == REFUSED
    # a parse error where Dafny reports a resolution error: a construct MiniDafny does not parse
    assert classify(rejected, diagnosed("parse", "unexpected 'by'", line=5)).cls == REFUSED
    unparsable = parse_expect(
        expect("p.dfy(5,3): Error: rbrace expected", "1 parse errors detected in p.dfy")
    )
    assert unparsable.rejected_by == "parse"
    assert classify(unparsable, diagnosed("parse", "unexpected '*'", line=5)).cls == AGREE
    assert (
        classify(rejected, diagnosed("unsupported", "`const` is not part of MiniDafny", line=5)).cls
        == REFUSED
    )
    accepted = classify(rejected, Outcome(VERIFIED))
    assert accepted.cls == DIFFER and accepted.accepts_wrong
    assert (
        accepted.reason
        == "Dafny rejects the program before verifying, MiniDafny verifies it; 1 Dafny error(s) not reported (POSSIBLY UNSOUND)"
    )
    # errors of ours at Dafny's lines: the program is rejected, but not for the same reason
    checked = classify(rejected, Outcome(ERRORS, errors=(failed(5),)))
    assert checked.cls == DIFFER and not checked.possibly_unsound
    assert checked.reason == "Dafny rejects the program before verifying, MiniDafny type-checks it"


def test_crashes_and_time_outs() -> None:
    crash = Outcome(CRASH, detail="Traceback (most recent call last):\n  ...\nKeyError: 'x'\n")
    assert classify(parse_expect(SUMMARY.format(1, 0)), crash).reason == "KeyError: 'x'"
    assert classify(parse_expect(SUMMARY.format(1, 0)), crash).cls == CRASHED
    assert classify(parse_expect(SUMMARY.format(1, 0)), Outcome(TIMEOUT)).cls == TIMED_OUT


def test_outcomes_survive_json() -> None:
    outcome = Outcome(ERRORS, (Diagnosed(1, 2, "type", "E101", "m"),), (failed(3, 4),), 5, "", 0.5)
    assert Outcome.from_json(outcome.to_json()) == outcome


# --- running


def test_files_run_in_processes(tmp_path: Path) -> None:
    good = tmp_path / "good.dfy"
    good.write_text("method M(x: int) returns (y: int) ensures y > x { y := x + 1; }\n")
    bad = tmp_path / "bad.dfy"
    bad.write_text("method M(x: int) returns (y: int)\n  ensures y > x\n{ y := x; }\n")
    refused = tmp_path / "refused.dfy"
    refused.write_text("class A { }\n")
    outcomes = run_all([good, bad, refused], jobs=2, timeout_s=60)
    assert outcomes[good].status == VERIFIED
    assert outcomes[bad].status == ERRORS
    assert {2, 3} & outcomes[bad].errors[0].lines
    assert outcomes[refused].status == DIAGNOSED
    assert outcomes[refused].diagnostics[0].phase == "unsupported"


# --- sources


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_a_checkout_or_a_git_directory(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "a" / "b").mkdir(parents=True)
    (checkout / "a" / "b" / "p.dfy").write_text("method M() {}\n")
    _git("init", "-q", cwd=checkout)
    _git("add", ".", cwd=checkout)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "p", cwd=checkout)
    _git("clone", "-q", "--bare", str(checkout), str(tmp_path / "bare.git"), cwd=tmp_path)
    with folder_of(checkout, "a") as folder:
        assert folder == checkout / "a"
    with folder_of(tmp_path / "bare.git", "a") as folder:
        assert (folder / "b" / "p.dfy").read_text() == "method M() {}\n"
        extracted = folder
    assert not extracted.exists()
    assert revision(tmp_path / "bare.git") == revision(checkout) != ""
    with pytest.raises(SourceError), folder_of(tmp_path / "bare.git", "missing"):
        pass
    with pytest.raises(SourceError), folder_of(tmp_path / "nowhere"):
        pass


def test_an_internal_error_is_a_crash_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kernel_ext import pipeline

    def broken(*args: object) -> None:
        raise KeyError("lost")

    monkeypatch.setattr(pipeline, "_prove_all", broken)
    program = tmp_path / "p.dfy"
    program.write_text("method M() { assert true; }\n")
    outcome = verify_file(program)
    assert outcome.status == CRASH
    assert "Traceback" in outcome.detail and "KeyError: 'lost'" in outcome.detail
