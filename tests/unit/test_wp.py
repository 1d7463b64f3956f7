"""`weakest_precondition`: the steps, the printed formulas, the verdict and the problems.

Printed formulas are checked by running them in the interpreter on small inputs (so they
must parse and type-check as MiniDafny, and mean what they should), counterexamples by
running the snippet itself on them.
"""

from __future__ import annotations

import itertools

from kernel_ext.lang.diagnostics import TYPE_MISMATCH
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.run.interp import Outcome, run_method
from kernel_ext.verify.wp import CELL, POST, VARS, Input, Verdict, WpResult, weakest_precondition

ABS = "if x < 0 {\n  y := -x;\n} else {\n  y := x;\n}\n"
SMALL = range(-3, 4)


def _checker(formulas: list[str], inputs: tuple[Input, ...]) -> CheckedProgram:
    params = ", ".join(f"{item.name}: {item.type}" for item in inputs)
    results = ", ".join(f"r{i}: bool" for i in range(len(formulas)))
    body = " ".join(f"r{i} := {formula};" for i, formula in enumerate(formulas))
    return resolve(parse(SourceFile("check", f"method Check({params}) returns ({results}) {{ {body} }}")))


def holds(formula: str, inputs: tuple[Input, ...], values: dict[str, int | bool]) -> bool:
    result = run_method(_checker([formula], inputs), "Check", values)
    assert result.outcome == Outcome.OK, result
    return bool(result.returns["r0"])


def agree(left: str, right: str, inputs: tuple[Input, ...]) -> bool:
    """The two formulas have the same value for all small int inputs (both bools)."""
    checker = _checker([left, right], inputs)
    ranges = [(False, True) if item.type == "bool" else SMALL for item in inputs]
    for values in itertools.product(*ranges):
        result = run_method(checker, "Check", dict(zip((item.name for item in inputs), values, strict=True)))
        assert result.outcome == Outcome.OK, result
        if result.returns["r0"] != result.returns["r1"]:
            return False
    return True


def replay(snippet: str, post: str, inputs: tuple[Input, ...], values: dict[str, int | bool]) -> Outcome:
    """Run the snippet on the inputs, checking Q at its end."""
    params = ", ".join(f"{item.name}0: {item.type}" for item in inputs)
    returns = ", ".join(f"{item.name}: {item.type}" for item in inputs)
    names = ", ".join(item.name for item in inputs)
    starts = ", ".join(f"{item.name}0" for item in inputs)
    text = (
        f"method M({params}) returns ({returns})\n  ensures {post}\n{{\n{names} := {starts};\n{snippet}\n}}"
    )
    args = {f"{name}0": value for name, value in values.items()}
    return run_method(resolve(parse(SourceFile("replay", text))), "M", args).outcome


def computed(snippet: str, post: str, variables: str = "") -> WpResult:
    result = weakest_precondition(snippet, post, variables)
    assert not result.problems, [problem.describe() for problem in result.problems]
    return result


# ------------------------------------------------------------------ the calculus


def test_sequential_assignments_are_undone_from_the_last() -> None:
    result = computed("x := x + 1;\ny := x * 2;", "y > 4")
    assert [(step.line, step.statement) for step in result.steps] == [(2, "y := x * 2;"), (1, "x := x + 1;")]
    assert [step.rule for step in result.steps] == ["Q[y := x * 2]", "Q[x := x + 1]"]
    assert [step.raw for step in result.steps] == ["x * 2 > 4", "x + 1 > 2"]
    assert [step.simplified for step in result.steps] == ["x > 2", "x > 1"]
    assert result.precondition == "x > 1"
    assert result.inputs == (Input("x", "int"), Input("y", "int"))


def test_simultaneous_assignment_swaps() -> None:
    result = computed("x, y := y, x;", "x == a && y == b")
    assert result.steps[0].rule == "Q[x := y, y := x]"
    assert agree(result.precondition, "y == a && x == b", result.inputs)


def test_the_abs_snippet_needs_nothing() -> None:
    result = computed(ABS, "y >= 0")
    [step] = result.steps
    assert (step.line, step.statement) == (1, "if x < 0")
    assert step.rule == "(x < 0 ==> wp(then)) && (!(x < 0) ==> wp(else))"
    then, else_ = step.branches
    assert [s.line for s in then.steps] == [2] and [s.line for s in else_.steps] == [4]
    assert (then.wp, else_.wp) == ("x <= 0", "x >= 0")
    assert step.simplified == "true" and result.precondition == "true"
    assert result.verdict == Verdict.VALID and result.counterexample == ()


def test_an_if_without_else_keeps_q_on_the_other_side() -> None:
    snippet = "if x < 0 {\n  y := -x;\n}"
    result = computed(snippet, "y >= 0")
    assert result.steps[0].rule == "(x < 0 ==> wp(then)) && (!(x < 0) ==> Q)"
    assert result.steps[0].branches[1].wp == "y >= 0"
    assert agree(result.precondition, "x < 0 || y >= 0", result.inputs)
    assert result.verdict == Verdict.SOMETIMES


def test_assert_conjoins_and_assume_implies() -> None:
    result = computed("assume x > 5;\nassert x > 2;\ny := x;", "y > 3")
    assume, assertion = result.steps[2], result.steps[1]
    assert assertion.rule == "x > 2 && Q" and assertion.raw == "x > 2 && x > 3"
    assert assume.rule == "(x > 5 ==> Q)"
    assert result.precondition == "true" and result.verdict == Verdict.VALID
    assert computed("assert x > 0;", "true").precondition == "x > 0"


def test_division_must_not_be_by_zero() -> None:
    result = computed("z := x / y;", "z >= 0")
    assert result.steps[0].rule == "y != 0 && Q[z := x / y]"
    assert result.steps[0].raw == "y != 0 && x / y >= 0"
    assert not holds(result.precondition, result.inputs, {"z": 0, "x": 0, "y": 0})
    assert computed("z := x / 2;", "true").precondition == "true"  # a literal divisor needs no check


def test_modulo_is_euclidean_as_in_dafny() -> None:
    result = computed("z := x % y;", "0 <= z")
    assert agree(result.precondition, "y != 0", result.inputs)


def test_lazy_operators_guard_their_right_operand() -> None:
    result = computed("b := y != 0 && x / y > 0;", "true", "b: bool")
    assert result.precondition == "true"


def test_a_nat_must_stay_non_negative_and_is_one_as_an_input() -> None:
    result = computed("n := n - 1;", "true", "n: nat")
    assert result.steps[0].rule == "n - 1 >= 0 && Q[n := n - 1]"
    assert result.precondition == "n >= 1"
    assert result.counterexample == (("n", 0),)  # not a negative n: inputs have their types


def test_local_variables_are_substituted_away() -> None:
    result = computed("var t := x;\nx := y;\ny := t;", "x == 2 && t == 1")
    assert result.precondition == "y == 2 && x == 1"
    assert {item.name for item in result.inputs} == {"x", "y"}


def test_a_declared_variable_must_get_a_value_before_it_is_read() -> None:
    assert computed("var t: int;\nt := x;\ny := t;", "y == x").precondition == "true"
    [problem] = weakest_precondition("var t: int;\ny := t;", "y == x").problems
    assert (problem.line, problem.column) == (
        1,
        1,
    ) and "'t' is read before it gets a value" in problem.describe()


def test_printed_formulas_are_minidafny_and_mean_the_raw_formula() -> None:
    snippets = [
        ("y := x - z;\nw := z - x;", "y - w >= 0 && (b <==> x > 0)", "b: bool"),
        ("if b { x := -x; } else { z := 2 * z + 1; }", "x > z || (x == 0 && !b)", "b: bool"),
        ("y := if x > 0 then x else 0 - x;", "y > 1 ==> y % 3 != 0", ""),
    ]
    for snippet, post, variables in snippets:
        result = computed(snippet, post, variables)
        for step in result.steps:
            assert agree(step.raw, step.simplified, result.inputs), (step.raw, step.simplified)


# ------------------------------------------------------------------ the verdict


def test_a_counterexample_really_violates_q_and_the_example_establishes_it() -> None:
    snippet = "if x < 0 {\n  y := -x;\n} else {\n  y := x - 3;\n}"
    result = computed(snippet, "y >= 0")
    assert result.verdict == Verdict.SOMETIMES
    assert replay(snippet, "y >= 0", result.inputs, dict(result.counterexample)) == Outcome.VIOLATION
    assert replay(snippet, "y >= 0", result.inputs, dict(result.example)) == Outcome.OK
    assert all(abs(value) <= 3 for _, value in result.counterexample)  # small inputs first


def test_no_input_establishes_an_impossible_q() -> None:
    result = computed("y := x * x;", "y < 0")
    assert result.precondition == "false" and result.verdict == Verdict.NEVER


# ------------------------------------------------------------------ problems


def test_a_loop_is_refused_at_its_position() -> None:
    [problem] = weakest_precondition("x := 1;\n  while x < 3 {\n    x := x + 1;\n  }", "x > 0").problems
    assert (problem.where, problem.line, problem.column) == (CELL, 2, 3)
    assert "%%wp handles assignments, if, assert and assume; loops need invariants: use %%verify" in (
        problem.describe()
    )


def test_proof_statements_are_refused() -> None:
    proofs = {
        "calc {\n  x;\n  { assert x == x; }\n  x + 0;\n}": "a `calc` statement",
        "forall i | 0 <= i < x ensures i >= 0 { }": "a forall statement",
        "assert x >= 0 by { }": "`assert ... by`",
    }
    for snippet, what in proofs.items():
        [problem] = weakest_precondition(f"x := 1;\n{snippet}", "x > 0").problems
        assert (problem.where, problem.line, problem.column) == (CELL, 2, 1)
        assert f"{what}: %%wp handles assignments, if, assert and assume; use %%verify" in problem.describe()


def test_calls_and_arrays_are_refused() -> None:
    [call] = weakest_precondition("x := 1;\ny := F(x);", "y > 0").problems
    assert (call.line, call.column) == (2, 1) and "use %%verify" in call.describe()
    [array] = weakest_precondition("y := a[0];", "y > 0").problems
    assert (array.line, array.column) == (1, 7)


def test_match_is_refused_by_name() -> None:
    [problem] = weakest_precondition("x := 1;\ny := match x case _ => 1;", "y > 0").problems
    assert (problem.line, problem.column) == (2, 6)
    assert "`match`: %%wp handles" in problem.describe()


def test_a_parse_error_has_the_cells_line_and_column() -> None:
    [problem] = weakest_precondition("x := 1;\ny := x +;\n", "y > 0").problems
    assert (problem.where, problem.line, problem.column) == (CELL, 2, 9)
    assert "expected an expression" in problem.describe() and "y := x +;" in problem.excerpt


def test_a_cell_that_ends_too_early_or_closes_too_much() -> None:
    [early] = weakest_precondition("x := 1;\nif x > 0 {\n  y := 2;\n", "y > 0").problems
    assert early.line == 3 and "the cell ends before its last statement is complete" in early.describe()
    [stray] = weakest_precondition("y := 1; }", "y > 0").problems
    assert (stray.line, stray.column) == (1, 9) and "closes no '{'" in stray.describe()


def test_a_type_error_has_its_position_and_a_hint_about_vars() -> None:
    [problem] = weakest_precondition("y := 0;\nif x {\n  y := 1;\n}", "y >= 0").problems
    assert (problem.line, problem.column) == (2, 4)
    assert problem.diagnostic.code == TYPE_MISMATCH and "--vars" in problem.diagnostic.hint
    [bad] = weakest_precondition("y := b + 1;", "y > 0", "b: bool").problems
    assert bad.diagnostic.code == TYPE_MISMATCH and (bad.line, bad.column) == (1, 6)


def test_problems_in_the_options_name_the_option() -> None:
    [parse_error] = weakest_precondition("y := 1;", "y >").problems
    assert parse_error.where == POST and parse_error.describe().startswith("--post, column")
    [type_error] = weakest_precondition("y := 1;", "y + 1").problems
    assert type_error.where == POST and "the postcondition must be of type bool" in type_error.describe()
    [vars_error] = weakest_precondition("y := 1;", "y > 0", "y: seq<int>").problems
    assert (vars_error.where, vars_error.column) == (VARS, 4) and "int, nat or bool" in vars_error.describe()
    [missing] = weakest_precondition("y := 1;", " ").problems
    assert missing.where == POST
