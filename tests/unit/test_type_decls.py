"""`type` declarations: synonyms stand for their right-hand sides; a declared subset type is one
more subset type for `lang/subsets.py`, checked by the verifier and the interpreter alike, and
the input generator makes only values that satisfy its constraint."""

from __future__ import annotations

import pytest

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import INT, NAT, Type
from kernel_ext.obligations import ObligationKind
from kernel_ext.run.inputs import candidates, choose_inputs, domain_of
from kernel_ext.run.interp import Outcome, run_method, subset_rules
from kernel_ext.run.values import conforms

PROGRAM = """
type Index = i: int | 0 <= i < 10 witness 0
type Odd = x: int | x % 2 == 1 witness 1
type Small = n: nat | n < 5
type Grid = seq<seq<int>>
type Pair<T> = seq<T>

method Step(i: Index) returns (j: Index)
{
  j := i + 1;
}

method Start() returns (o: Odd)
{
  var unset: Odd;
  o := unset;
}

method Corner(g: Grid, p: Pair<Small>) returns (x: int)
  requires |g| > 0 && |g[0]| > 0
{
  x := g[0][0];
}
"""


def checked(text: str) -> CheckedProgram:
    return resolve(parse(SourceFile("t.dfy", text)))


@pytest.fixture(scope="module")
def program() -> CheckedProgram:
    return checked(PROGRAM)


def param_type(program: CheckedProgram, method: str, index: int = 0) -> Type:
    decl = program.decl(method)
    assert isinstance(decl, ast.Method)
    return ast.type_of(decl.params[index])


def test_a_synonym_is_its_right_hand_side(program: CheckedProgram) -> None:
    assert param_type(program, "Corner") == Type("seq", (Type("seq", (INT,)),))
    pair = param_type(program, "Corner", 1)
    assert pair.name == "seq" and str(pair.element) == "Small" and pair.element.parent == NAT


def test_a_subset_type_keeps_its_name_and_narrows_its_parent(program: CheckedProgram) -> None:
    index = param_type(program, "Step")
    assert str(index) == "Index" and index.parent == INT and index.base == INT
    rules = Subsets.of(program.program)
    assert rules.constrained(index) and rules.declared_subset(index) is not None
    assert rules.declared_subset(NAT) is None  # `nat` is built in
    assert rules.guaranteed(index, INT) and not rules.guaranteed(INT, index)
    small = param_type(program, "Corner", 1).element
    assert rules.guaranteed(small, NAT) and not rules.guaranteed(NAT, small)


def test_the_interpreter_evaluates_the_constraint(program: CheckedProgram) -> None:
    rules = subset_rules(program)
    index = param_type(program, "Step")
    assert conforms(9, index, rules) and not conforms(10, index, rules)
    assert conforms((1, 2), Type("seq", (index,)), rules) and not conforms(
        (1, -2), Type("seq", (index,)), rules
    )
    result = run_method(program, "Step", {"i": 9})
    assert result.outcome is Outcome.VIOLATION and result.violation is not None
    assert result.violation.kind is ObligationKind.SUBSET_TYPE
    assert run_method(program, "Step", {"i": 12}).outcome is Outcome.INVALID_INPUT


def test_a_variable_starts_as_the_witness(program: CheckedProgram) -> None:
    result = run_method(program, "Start", {})
    assert result.outcome is Outcome.OK and result.returns["o"] == 1


def test_inputs_satisfy_the_constraint(program: CheckedProgram) -> None:
    rules = subset_rules(program)
    datatypes: dict[str, ast.Datatype] = {}
    odd = Type("Odd", (), INT)
    values = candidates(odd, datatypes, rules)
    assert values and all(value % 2 == 1 for value in values)  # type: ignore[operator]
    sequences = candidates(Type("seq", (odd,)), datatypes, rules)
    assert all(item % 2 == 1 for value in sequences for item in value)  # type: ignore[union-attr]
    domain = domain_of(odd, datatypes, rules)
    assert domain is not None and domain.has(3) and not domain.has(2)  # type: ignore[union-attr]
    chosen = choose_inputs(program, "Step")
    assert chosen is not None and 0 <= chosen["i"] < 10  # type: ignore[operator]


@pytest.mark.parametrize(
    "text,message",
    [
        ("newtype B = x: int | x < 3", "`newtype` is not part of MiniDafny"),
        ("type T", "opaque types"),
        ("type T(0) = int", "type characteristics"),
        ("type P = x: int | x > 0 witness *", "`witness *` is not part of MiniDafny"),
        (
            "type S = s: seq<int> | |s| > 0 witness [0]",
            "subset types of `seq<int>` are not part of MiniDafny",
        ),
        ("type G<T> = x: int | x > 0 witness 1", "generic subset types are not part of MiniDafny"),
        ("type A = B\ntype B = A", "Cycle among redirecting types"),
        ("type W = x: int | x + 1", "subset-type constraint must be of type bool"),
        ("type W = x: int | x > 0 witness false", "witness expression must have type 'int'"),
        ("type W = x: int | x < y witness 0", "unknown identifier 'y'"),
    ],
)
def test_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(DiagnosticError) as error:
        checked(text)
    assert message in str(error.value.diagnostics[0].message)


def test_messages_name_a_synonym_as_written() -> None:
    with pytest.raises(DiagnosticError) as error:
        checked(
            "type Grid = seq<seq<int>>\ntype Pair<T> = seq<T>\nmethod M(p: Pair<bool>) { var g: Grid := p; }"
        )
    assert "of type Grid with a value of type seq<bool>" in error.value.diagnostics[0].message
    grid = checked("type Grid = seq<seq<int>>\nmethod M(g: Grid) { }").decl("M")
    assert isinstance(grid, ast.Method)
    ty = ast.type_of(grid.params[0])
    assert ty.shown == "Grid" and str(ty) == "seq<seq<int>>" and ty == Type("seq", (Type("seq", (INT,)),))


def test_a_quantifier_over_a_subset_type_ranges_over_its_values() -> None:
    program = checked(
        "type Index = i: int | 0 <= i < 3 witness 0\n"
        "method M(s: seq<int>) requires |s| == 3 requires forall i: Index :: s[i] > 0 { }"
    )
    assert run_method(program, "M", {"s": (1, 2, 3)}).outcome is Outcome.OK
    assert run_method(program, "M", {"s": (1, 0, 3)}).outcome is Outcome.INVALID_INPUT
