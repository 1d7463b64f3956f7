"""Whatever the input, the verifier answers with a report: never a traceback.

Hypothesis mutates real programs (the conformance set and the golden files) and makes
up random ones, and feeds them to the pipeline and to the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel_ext import Options, verify
from kernel_ext.cli import main
from kernel_ext.lang.diagnostics import Phase
from kernel_ext.verify.smt import Limits
from tests.support import GOLDEN, conformance_programs

SEEDS = sorted(p.read_text() for p in [*conformance_programs("l1_*.dfy"), *GOLDEN.rglob("*.dfy")])
FAST = Options(limits=Limits(rlimit=300_000, timeout_ms=2_000))

VOCABULARY = [
    "method",
    "function",
    "predicate",
    "lemma",
    "returns",
    "requires",
    "ensures",
    "decreases",
    "invariant",
    "var",
    "if",
    "then",
    "else",
    "while",
    "assert",
    "assume",
    "return",
    "old",
    "true",
    "false",
    "nat",
    "int",
    "bool",
    "ghost",
    "class",
    "forall",
    "seq",
    "array",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ";",
    ",",
    ":",
    ":=",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
    "&&",
    "||",
    "==>",
    "<==",
    "<==>",
    "|",
    ".",
    "..",
    "::",
    "x",
    "y",
    "n",
    "i",
    "Fib",
    "Abs",
    "0",
    "1",
    "-1",
    "42",
    "0x1F",
    "1.5",
    '"s"',
    "'c'",
    "{:axiom}",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "\t",
    "é",
    "\x00",
]


def check_report(text: str) -> None:
    report = verify(text, "fuzz.dfy", FAST)
    assert not any(d.phase == Phase.INTERNAL for d in report.diagnostics), report.diagnostics
    assert report.exit_code in (0, 1, 2)
    line_count = max(1, len(text.splitlines()) + 1)
    for diagnostic in report.diagnostics:
        assert 1 <= diagnostic.span.start_line <= line_count
        assert diagnostic.span.start_col >= 1
        assert diagnostic.message


@st.composite
def mutated_programs(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)) :]
        elif action == "insert":
            text = text[:position] + " " + draw(st.sampled_from(VOCABULARY)) + " " + text[position:]
        elif action == "duplicate":
            length = draw(st.integers(1, 40))
            text = text[:position] + text[position : position + length] + text[position:]
        else:
            text = text[:position]
    return text


random_programs = st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join)

# The same examples on every run, and none remembered from earlier runs: a failure here is
# a property of the code, not of the run.
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
FUZZ = settings(DETERMINISTIC, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated_programs())
def test_mutated_programs_never_crash(text: str) -> None:
    check_report(text)


@FUZZ
@given(random_programs)
def test_random_programs_never_crash(text: str) -> None:
    check_report(text)


@settings(DETERMINISTIC, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(mutated_programs(), random_programs, st.text(max_size=200)))
def test_the_cli_never_shows_a_traceback(text: str, tmp_path_factory, capsys) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "p.dfy"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["verify", "--rlimit", "300000", "--timeout", "2", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    verdict = captured.out.strip().splitlines()[-1]
    assert code == exit_code_of(verdict), verdict


def exit_code_of(verdict: str) -> int:
    """The exit code that the CLI's last line implies: 2 for errors before verification, 1 for
    obligations not proved, 0 for none."""
    if re.fullmatch(r"\d+ parse/type errors? detected in .*", verdict):
        return 2
    counts = re.fullmatch(
        r"MiniDafny verifier finished with \d+ proved, (\d+) errors?(?:, (\d+) unknown)?", verdict
    )
    assert counts is not None, f"not a verdict: {verdict!r}"
    failed, unknown = counts.groups()
    return 1 if int(failed) or int(unknown or 0) else 0


def test_a_large_input_is_answered() -> None:
    body = "\n".join(f"  x := x + {i % 7};" for i in range(10_000))
    text = f"method Big() returns (x: int)\n  ensures x >= 0\n{{\n  x := 0;\n{body}\n}}\n"
    report = verify(text, "big.dfy")
    assert not report.diagnostics
    assert report.verified and report.exit_code == 0, [ob.message for ob in report.errors]


def test_a_deeply_nested_expression_is_answered() -> None:
    text = "method M() { assert " + "(" * 3000 + "1" + ")" * 3000 + " == 1; }"
    report = verify(text, "deep.dfy")
    assert not report.diagnostics
    assert report.verified and report.exit_code == 0, [ob.message for ob in report.errors]
