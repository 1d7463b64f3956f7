"""Modules flattened after parsing: qualified names, Dafny's visibility rules, the errors."""

from __future__ import annotations

import pytest

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.run.interp import run_method
from kernel_ext.run.literals import parse_literal

LISTS = """
module Lists {
  datatype List = Nil | Cons(head: int, tail: List)
  function Length(xs: List): nat {
    match xs
    case Nil => 0
    case Cons(_, t) => 1 + Length(t)
  }
}
"""


def flat(text: str) -> ast.Program:
    return parse(SourceFile("t.dfy", text))


def messages(text: str) -> list[tuple[int, str]]:
    with pytest.raises(DiagnosticError) as caught:
        resolve(flat(text))
    return [(d.span.start_line, d.message) for d in caught.value.diagnostics]


def calls(decl: ast.Decl) -> list[str]:
    found: list[str] = []

    def visit(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                visit(item)
        elif isinstance(value, ast.Call):
            found.append(value.name)
            visit(value.args)
        elif isinstance(value, ast.Name):
            found.append(value.name)
        elif hasattr(value, "__dataclass_fields__") and type(value).__module__ == ast.__name__:
            for name in value.__dataclass_fields__:
                visit(getattr(value, name))

    visit(decl)
    return found


def test_declarations_get_their_qualified_names_and_references_follow() -> None:
    program = flat(
        LISTS
        + "module Use {\n  import L = Lists\n  lemma One() ensures L.Length(L.Cons(1, L.Nil)) == 1 {}\n}\n"
        "module A { module B { function F(): int { 1 } } function G(): int { B.F() } }\n"
        "function Top(): int { A.B.F() + A.G() }\n"
    )
    names = [decl.name for decl in program.decls]
    assert names == ["Lists.List", "Lists.Length", "Use.One", "A.B.F", "A.G", "Top"]
    assert calls(program.decls[2]) == ["Lists.Length", "Lists.Cons", "Lists.Nil"]
    assert calls(program.decls[4]) == ["A.B.F"]
    assert calls(program.decls[5]) == ["A.B.F", "A.G"]
    resolve(program)


def test_a_program_without_modules_is_left_as_it_is() -> None:
    text = "function F(x: int): int { x }\nmethod M() { assert F(1) == 1; }\n"
    program = flat(text)
    assert [decl.name for decl in program.decls] == ["F", "M"]


def test_own_declarations_win_over_opened_ones_and_variables_over_both() -> None:
    program = flat(
        "module A { function F(x: int): int { x } }\n"
        "module B { import opened A\n  function F(x: int): int { x + 1 }\n"
        "  function G(A: int): int { F(A) }\n}\n"
    )
    assert calls(program.decls[-1]) == ["B.F", "A"]  # `A` is the parameter, not the module
    resolve(program)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("module B { import Z }", (1, "module Z does not exist")),
        (
            "module A { }\nmodule B { import X = A.C }",
            (2, "module C does not exist (position 1 in path A.C)"),
        ),
        (
            "module A { function F(): int { 1 } }\nmodule B { import A function G(): int { F() } }",
            (2, "unresolved identifier: F"),
        ),
        (
            "module A { function F(): int { 1 } }\nmodule B { import A function G(): int { A.H() } }",
            (2, "unresolved identifier: H"),
        ),
        (
            "module A { datatype D = X }\nmodule B { import A function G(d: A.E): int { 1 } }",
            (2, "module 'A' does not declare a type 'E'"),
        ),
        ("function F(): int { 1 }\nmodule M { function G(): int { F() } }", (2, "unresolved identifier: F")),
        ("module A { }\nmodule A { }", (2, "Duplicate module name: A")),
        (
            "module M { method N(s: seq<int>) { var x := s.F(1); } }",
            (1, "calling `.F(...)` on a value is not part of MiniDafny"),
        ),
    ],
)
def test_names_that_do_not_resolve(text: str, expected: tuple[int, str]) -> None:
    assert messages(text)[0] == expected


def test_a_name_two_opened_modules_declare_is_ambiguous() -> None:
    two = "module A { datatype D = X function F(): int { 1 } }\nmodule B { datatype E = X function F(): int { 2 } }\n"
    assert messages(two + "module C { import opened A import opened B function G(): int { F() } }")[0] == (
        3,
        "The name F ambiguously refers to a static member in one of the modules A, B "
        "(try qualifying the member name with the module name)",
    )
    assert messages(two + "module C { import opened A import opened B function G(): A.D { X } }")[0] == (
        3,
        "the name 'X' denotes a datatype constructor, but does not do so uniquely; add an explicit "
        "qualification (for example, 'D.X')",
    )
    resolve(flat(two + "module C { import opened A import opened B function G(): A.D { D.X } }"))


def test_a_case_never_names_a_module() -> None:
    with pytest.raises(DiagnosticError) as caught:
        flat(
            LISTS + "module U { import Lists function F(x: Lists.List): int { match x case Lists.Nil => 0 } }"
        )
    assert "(`case Nil =>`, not `case List.Nil =>`)" in caught.value.diagnostics[0].message


def test_values_written_alone_name_constructors_with_or_without_their_module() -> None:
    checked = resolve(
        flat(LISTS + "module U { import Lists method Len(xs: Lists.List) returns (n: nat) { n := 0; } }")
    )
    datatypes = tuple(checked.program.datatypes())
    list_type = ast.type_of(checked.program.methods()[0].params[0])
    for text in ("Cons(1, Nil)", "Lists.Cons(1, Lists.Nil)"):
        value = parse_literal(text, list_type, "xs", datatypes)
        result = run_method(checked, "U.Len", {"xs": value})
        assert result.returns == {"n": 0}


def test_a_constructor_named_in_a_case_is_still_a_constructor_in_the_body() -> None:
    program = flat(
        LISTS.replace(
            "}\n}",
            "}\n  function Copy(xs: List): List {\n    match xs\n    case Nil => Nil\n"
            "    case Cons(h, t) => Cons(h, Copy(t))\n  }\n}",
        )
    )
    assert calls(program.decls[-1])[:3] == ["xs", "Lists.Nil", "Lists.Cons"]
    resolve(program)
