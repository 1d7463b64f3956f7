"""Terms carry structured symbols: readers ask the symbol what a constant or function is, and
the SMT-LIB names made from symbols stay what they were (verdicts and the cache depend on them)."""

from __future__ import annotations

from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.present.vc import formula, vc_lines, vc_text
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.lower import lower
from kernel_ext.verify.vcgen import Definition, ProofTask, generate

TREE = "datatype Tree = Leaf | Node(left: Tree, right: Tree)\n"


def tasks(text: str) -> list[ProofTask]:
    source = SourceFile("symbols.dfy", text)
    return generate(lower(resolve(parse(source)), source))


def postcondition_vc(text: str) -> str:
    """The VC view of the program's one postcondition task that reaches its last line."""
    found = [task for task in tasks(text) if task.obligation.kind.id == "postcondition"]
    task = found[-1]
    assert task.sequent is not None
    return vc_text(vc_lines(task.sequent, "postcondition"))


# ------------------------------------------------------------ the VC view


def test_variables_named_like_bookkeeping_have_their_definitions_shown() -> None:
    text = postcondition_vc(
        "method M(n: nat) returns (r: int)\n  ensures r == n + 1\n{\n"
        "  var allocSize := n + 1;\n  var oldValue := allocSize;\n"
        "  var a := new int[3];\n  r := oldValue;\n}\n"
    )
    assert "allocSize₁ == n + 1" in text
    assert "oldValue₁ == allocSize₁" in text
    assert "alloc₁" not in text and "alloc ==" not in text  # the allocation itself stays hidden


def test_a_lowercase_constructor_or_function_is_applied_not_taken_for_a_destructor() -> None:
    text = postcondition_vc(
        "datatype T = leaf | node(l: T, r: T)\n"
        "function join(t: T, u: T): T { node(t, u) }\n"
        "method M(t: T) returns (r: T)\n  ensures r == leaf\n{\n"
        "  r := node(t, leaf);\n  r := join(r, t);\n}\n"
    )
    assert "r₂ == node(t, leaf)" in text
    assert "r₃ == join(r₂, t)" in text
    assert "t.node" not in text


def test_the_arguments_of_two_calls_have_names_of_their_own() -> None:
    text = postcondition_vc(
        TREE + "method Size(t: Tree) returns (n: nat)\n  ensures n == 0\n{\n"
        "  match t\n  case Leaf => n := 0;\n  case Node(l, r) =>\n"
        "    var a := Size(l);\n    var b := Size(r);\n    n := a + b + 1;\n}\n"
    )
    assert "t₁ == l₁" in text and "t₂ == r₁" in text
    assert "rank(t₁) < rank(t)" in text and "rank(t₂) < rank(t)" in text
    assert "a₁ == n₂" in text and "b₁ == n₃" in text  # each call's result, not the method's own n
    assert "n₁   [any value]" in text.splitlines()[1]


def test_a_shadowing_variable_is_not_named_like_the_one_it_shadows() -> None:
    text = postcondition_vc(
        "method M() returns (r: int)\n  ensures r == 3\n{\n"
        "  var x := 1;\n  {\n    var x := 2;\n    r := x;\n  }\n  r := r + x;\n}\n"
    )
    assert "x₁ == 1" in text and "x₂ == 2" in text
    assert "r₂ == x₂" in text and "r₃ == r₂ + x₁" in text


def test_an_argument_without_a_name_is_shown_by_its_constructor_and_position() -> None:
    first = dt.destruct(t.Var("p", dt.sort_named("P")), "Pair#0", t.INT, argument=("Pair", 0))
    assert isinstance(first, t.FunApp) and first.name == "D:P.Pair#0"
    assert (first.symbol.ctor, first.symbol.position) == ("Pair", 0)
    text = postcondition_vc(
        "datatype P = Pair(int, int)\n"
        "method M(p: P) returns (r: int)\n  ensures r == 0\n{\n"
        "  match p\n  case Pair(a, b) => r := a + b;\n}\n"
    )
    assert "a₁ == p.Pair.1" in text and "b₁ == p.Pair.2" in text


# ------------------------------------------------------------ symbols and their names


def test_ssa_versions_keep_the_symbol_and_the_names_of_before() -> None:
    x = t.variable("x#3", "x", t.INT)
    second = x.at(2)
    assert second.name == "x#3@2"
    assert second.symbol.role == t.Role.VARIABLE and second.symbol.source == "x"
    assert second.symbol.version == 2 and second.unversioned() == x
    assert enc.heap(t.INT).at(0).name == "heap.Int@0"
    assert enc.heap(t.INT, old=True).symbol.role == t.Role.OLD_HEAP
    assert enc.snapshot(enc.ALLOC, 7).name == "alloc.before%7"
    assert t.temporary("rhs", 4, t.INT).name == "rhs%4"


def test_encoding_functions_say_what_they_are() -> None:
    s = t.Var("s", t.seq_sort(t.INT))
    length = enc.seq_len(s)
    assert isinstance(length, t.FunApp) and length.name == "Seq#Length.Int"
    assert (length.symbol.role, length.symbol.source) == (t.Role.SEQUENCE, "Length")
    sort = dt.sort_named("Tree")
    value = t.Var("v", sort)
    field = dt.destruct(value, "left", sort)
    assert isinstance(field, t.FunApp) and field.name == "D:Tree.left"
    assert field.symbol.role == t.Role.DESTRUCTOR
    tested = dt.is_ctor(value, "Node")
    assert isinstance(tested, t.FunApp) and tested.name == "D:Tree.Node?"
    assert (tested.symbol.role, tested.symbol.source) == (t.Role.DISCRIMINATOR, "Node")


def test_the_passifier_versions_program_variables_and_leaves_the_fuel_alone() -> None:
    found = tasks("method M(x: int) returns (y: int)\n  ensures y == x + 1\n{\n  y := x + 1;\n}\n")
    definitions = [fact for task in found for fact in (task.sequent.facts if task.sequent else ())]
    defined = [fact.var for fact in definitions if isinstance(fact, Definition)]
    y = next(var for var in defined if var.symbol.source == "y")
    assert y.name == "y@2" and y.symbol.version == 2 and y.symbol.role == t.Role.VARIABLE
    assert t.FUEL_ZERO.symbol.role == t.Role.FUEL and not t.FUEL_ZERO.symbol.is_state


def test_a_variable_named_like_the_heap_keeps_its_name_and_the_heap_is_primed() -> None:
    text = postcondition_vc(
        "method M(a: array<int>, heap: int) returns (r: int)\n  requires a.Length > 0\n  modifies a\n"
        "  ensures a[0] == heap\n{\n  a[0] := heap;\n}\n"
    )
    assert "heap₁ == heap′[array₁ := heap′[array₁][index₁ := heap]]" in text
    assert "prove:  heap₁[a][0] == heap" in text


def test_a_bound_variable_named_like_a_constant_of_its_body_is_primed() -> None:
    k = t.variable("k#1", "k", t.INT)
    bound = t.bound("k", t.INT)
    assert formula(t.Forall((bound,), t.app(t.Op.LT, bound, k))) == "forall k′ :: k′ < k"
    assert formula(t.Forall((bound,), t.app(t.Op.LT, bound, k.at(1)))) == "forall k :: k < k₁"
