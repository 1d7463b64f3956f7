"""Subset types at every depth (`kernel_ext/lang/subsets.py`): which types constrain their
values, when a static type guarantees another's constraint, variance, and the interpreter's
check of the same rules at run time."""

from __future__ import annotations

import pytest

from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import INT, NAT, UNKNOWN, Type, assignable, lub
from kernel_ext.obligations import ObligationKind
from kernel_ext.run.interp import Outcome, run_method
from kernel_ext.run.values import ArrayValue, DataValue, Multiset, conforms

DATATYPES = """
datatype List<T> = Nil | Cons(head: T, tail: List<T>)
datatype D = Mk(x: nat)
datatype Plain = P(x: int)
"""


def seq(element: Type) -> Type:
    return Type("seq", (element,))


def array(element: Type) -> Type:
    return Type("array", (element,))


def checked(text: str):  # noqa: ANN201 - a CheckedProgram
    return resolve(parse(SourceFile("t.dfy", text)))


@pytest.fixture(scope="module")
def subsets() -> Subsets:
    return Subsets({d.name: d for d in checked(DATATYPES).program.datatypes()})


def test_which_types_constrain_their_values(subsets: Subsets) -> None:
    list_nat, list_int = Type("List", (NAT,)), Type("List", (INT,))
    constrained = [NAT, seq(NAT), Type("set", (NAT,)), seq(seq(NAT)), list_nat, Type("D"), seq(list_nat)]
    free = [INT, seq(INT), list_int, Type("Plain"), array(NAT), UNKNOWN, None]
    assert all(subsets.constrained(ty) for ty in constrained)
    assert not any(subsets.constrained(ty) for ty in free)
    assert subsets.element_constrained(array(NAT)) and not subsets.element_constrained(array(INT))


def test_a_static_type_guarantees_a_constraint_only_if_it_has_it(subsets: Subsets) -> None:
    assert subsets.guaranteed(NAT, NAT) and not subsets.guaranteed(INT, NAT)
    assert subsets.guaranteed(seq(NAT), seq(NAT)) and not subsets.guaranteed(seq(INT), seq(NAT))
    assert subsets.guaranteed(seq(UNKNOWN), seq(NAT))  # an empty display
    assert subsets.guaranteed(Type("D"), Type("D"))  # its field was checked when it was built
    assert not subsets.guaranteed(Type("List", (INT,)), Type("List", (NAT,)))
    assert subsets.guaranteed(NAT, INT) and subsets.guaranteed(seq(INT), seq(INT))


def test_arrays_are_invariant_and_the_rest_covariant() -> None:
    assert not assignable(array(INT), array(NAT)) and not assignable(array(NAT), array(INT))
    assert not assignable(seq(array(INT)), seq(array(NAT)))
    assert assignable(seq(NAT), seq(INT)) and assignable(seq(INT), seq(NAT))
    assert assignable(Type("List", (NAT,)), Type("List", (INT,)))


def test_the_least_common_type() -> None:
    assert lub(NAT, NAT) == NAT and lub(NAT, INT) == INT and lub(UNKNOWN, NAT) == NAT
    assert lub(seq(NAT), seq(INT)) == seq(INT) and lub(seq(NAT), seq(UNKNOWN)) == seq(NAT)


def test_a_value_conforms_at_every_depth(subsets: Subsets) -> None:
    assert conforms((1, 2), seq(NAT), subsets) and not conforms((1, -2), seq(NAT), subsets)
    assert not conforms(frozenset({-1}), Type("set", (NAT,)), subsets)
    assert not conforms(Multiset([3, -3]), Type("multiset", (NAT,)), subsets)
    good = DataValue("List", "Cons", (1, DataValue("List", "Nil")))
    bad = DataValue("List", "Cons", (1, DataValue("List", "Cons", (-1, DataValue("List", "Nil")))))
    assert conforms(good, Type("List", (NAT,)), subsets) and not conforms(bad, Type("List", (NAT,)), subsets)
    assert conforms(bad, Type("List", (INT,)), subsets)
    assert not conforms(ArrayValue([0, -1]), array(NAT), subsets)


PROGRAMS = {
    "store": ("method M() { var a := new nat[3]; a[1] := 0 - 5; }", 1),
    "literal": ("method M() { var s: seq<nat> := [1, -1]; }", 1),
    "update": ("method M(s: seq<nat>) requires |s| > 0 { var t := s[0 := -1]; var u: seq<nat> := t; }", 1),
    "field": (DATATYPES + "method M() { var d := Mk(-1); }", 5),
    "generic": (DATATYPES + "method M() { var l: List<nat> := Cons(1, Cons(-1, Nil)); }", 5),
    "argument": ("method P(s: seq<nat>) {}\nmethod M() { P([-1]); }", 2),
    "result": ("function F(): seq<nat> { [-1] }\nmethod M() { var s := F(); }", 1),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_the_interpreter_checks_every_flow_into_a_constrained_type(name: str) -> None:
    text, line = PROGRAMS[name]
    arguments = {"s": (1, 2)} if "M(s:" in text else {}
    result = run_method(checked(text), "M", arguments)
    assert result.outcome is Outcome.VIOLATION, result
    assert result.violation is not None and result.violation.kind is ObligationKind.SUBSET_TYPE
    assert result.violation.span.start_line == line


def test_an_input_that_breaks_a_nested_nat_is_refused_not_run() -> None:
    result = run_method(checked("method M(s: seq<nat>) { }"), "M", {"s": (1, -1)})
    assert result.outcome is Outcome.INVALID_INPUT and "seq<nat>" in result.message
