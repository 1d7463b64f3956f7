"""The interpreter against the verifier's verdicts, on generated inputs.

A program that verifies must never violate a check when it runs on valid inputs: if it
did, either the verifier proved something false or the interpreter is wrong. A program
that does not verify may fail only where Dafny reports an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import DiagnosticError
from kernel_ext.lang.parser import parse
from kernel_ext.lang.resolver import CheckedProgram, resolve
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.types import BOOL, INT, NAT, Type, array_of, seq_of
from kernel_ext.run import Multiset, Outcome, RunResult, run_method, show_value
from kernel_ext.run.bounds import expr_children
from kernel_ext.run.inputs import (
    Bools,
    Collection,
    Data,
    Ints,
    Reals,
    candidates,
    choose_inputs,
    collect,
    domain_of,
    materialize,
)
from kernel_ext.run.values import DataValue
from tests.support import (
    GOLDEN,
    conformance_dir,
    conformance_params,
    conformance_programs,
    golden_error_lines,
    load_conformance,
)
from tests.test_conformance import DAFNY_MISSES

STEP_LIMIT = 20_000
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FEW = settings(SETTINGS, max_examples=8)


@dataclass(frozen=True)
class Case:
    path: Path
    method: str
    # Lines where Dafny reports an error (primary or related); None for a program it proves.
    dafny_lines: frozenset[int] | None

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}::{self.method}"


@cache
def load(path: Path) -> tuple[CheckedProgram, SourceFile] | None:
    source = SourceFile(path.name, path.read_text())
    try:
        return resolve(parse(source)), source
    except DiagnosticError:
        return None  # a later level of the language


def _cases(programs: list[tuple[Path, frozenset[int] | None]]) -> list[Case]:
    cases = []
    for path, lines in programs:
        loaded = load(path)
        if loaded is not None:
            cases += [Case(path, method.name, lines) for method in loaded[0].program.methods()]
    return cases


def _golden_verdicts() -> dict[Path, frozenset[int]]:
    verdicts = {}
    for verdict_file in sorted(GOLDEN.rglob("dafny_verdicts.json")):
        for entry in json.loads(verdict_file.read_text()):
            path = verdict_file.parent / entry["file"]
            verdicts[path] = golden_error_lines(path, entry) | frozenset(entry.get("related_lines", []))
    return verdicts


CONFORMANCE = [(conformance_dir() / entry["file"], entry) for entry in load_conformance()]
VERIFIED = _cases(
    [(path, None) for path, entry in CONFORMANCE if entry["errors"] == 0]
    + [(path, None) for path in sorted(GOLDEN.rglob("*_ok.dfy"))]
)


def _error_lines(entry: dict) -> frozenset[int]:
    """Dafny's error lines, with the errors that Dafny 2.3 misses and current Dafny reports."""
    missed = DAFNY_MISSES.get(entry["file"])
    return frozenset(entry["error_lines"]) | ({missed[0]} if missed else set())


REFUTED = _cases(
    [(path, _error_lines(entry)) for path, entry in CONFORMANCE if entry["errors"] > 0]
    + [(path, lines) for path, lines in sorted(_golden_verdicts().items()) if path.stem.endswith("_bad")]
)


# ------------------------------------------------------------------ inputs


def literals_of(program: ast.Program) -> tuple[int, ...]:
    """The program's small integer constants and their neighbours: inputs worth trying."""
    found: set[int] = set()
    stack: list[object] = [program]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.IntLit) and abs(node.value) <= 50:
            found |= {node.value - 1, node.value, node.value + 1}
        elif isinstance(node, ast.Expr):
            stack.extend(expr_children(node))
        elif isinstance(node, tuple | list):
            stack.extend(node)
        elif isinstance(node, ast.Stmt | ast.Decl | ast.Program | ast.SpecClause | ast.Decreases):
            stack.extend(vars(node).values())
    return tuple(sorted(found))


def values_of(
    ty: Type, constants: tuple[int, ...], datatypes: Mapping[str, ast.Datatype] | None = None, depth: int = 3
) -> st.SearchStrategy[object]:
    """Small values of a type, as the kernel's input generator says which values it has
    (`domain_of`); an array's contents as a tuple (made an array per example); a datatype
    value with constructors nested at most `depth` deep."""
    datatypes = datatypes or {}
    domain = domain_of(ty, datatypes)
    if isinstance(domain, Data):
        return data_values(domain, constants, datatypes, depth)
    if isinstance(domain, Ints):
        low = -4 if domain.low is None else domain.low
        usable = [value for value in constants if domain.has(value)]
        small = st.integers(low, 6)
        return st.one_of(small, st.sampled_from(usable)) if usable else small
    if isinstance(domain, Bools):
        return st.booleans()
    if isinstance(domain, Reals):
        return st.fractions(-6, 6, max_denominator=8)
    if isinstance(domain, Collection):
        if depth <= 0 and isinstance(domain_of(domain.element, datatypes), Data):
            return st.just(collect(domain.kind, []))  # `Node(children: seq<Rose>)` ends here
        elements = st.lists(values_of(domain.element, constants, datatypes, depth), max_size=5)
        return elements.map(lambda items, kind=domain.kind: collect(kind, items))
    return st.nothing()


def data_values(
    data: Data, constants: tuple[int, ...], datatypes: Mapping[str, ast.Datatype], depth: int
) -> st.SearchStrategy[object]:
    options = []
    for ctor in data.ctors:
        nests = any(field.ty.name in (datatypes or {}) for field in ctor.fields)
        if depth <= 0 and nests:
            continue
        fields = st.tuples(*(values_of(field.ty, constants, datatypes, depth - 1) for field in ctor.fields))
        options.append(fields.map(lambda args, name=ctor.ctor: DataValue(data.name, name, tuple(args))))
    return st.one_of(options)


@st.composite
def arguments(
    draw: st.DrawFn,
    method: ast.Method,
    constants: tuple[int, ...],
    datatypes: Mapping[str, ast.Datatype] | None = None,
) -> dict[str, object]:
    """One value per parameter; array parameters of one type are sometimes one array."""
    args: dict[str, object] = {}
    arrays: dict[Type, object] = {}
    for param in method.params:
        assert param.ty is not None
        value = draw(values_of(param.ty, constants, datatypes))
        if param.ty.name == "array":
            if param.ty in arrays and draw(st.booleans()):
                value = arrays[param.ty]
            else:
                value = materialize(value, param.ty)
                arrays.setdefault(param.ty, value)
        args[param.name] = value
    return args


GENERATED_TYPES_PROGRAM = """
datatype List<T> = Nil | Cons(head: T, tail: List<T>)
datatype Tree = Leaf | Node(left: Tree, value: nat, right: Tree)
datatype Holder = Holds(a: array<int>) | Empty(n: nat)
"""


def _kernel_would_make(value: object, ty: Type, datatypes: Mapping[str, ast.Datatype]) -> bool:
    """Whether the kernel's input generator makes values of this kind for the type: the
    constructors it builds, its Python types, and no `nat` below 0, at every depth."""
    tried = candidates(ty, datatypes)
    if not tried or type(value) is not type(tried[0]):
        return False
    if isinstance(value, DataValue):
        decl = datatypes[ty.name]
        ctor = next(ctor for ctor in decl.ctors if ctor.name == value.ctor)
        fields = decl.field_types(ctor, ty)
        return value.ctor in {made.ctor for made in tried} and all(  # type: ignore[attr-defined]
            _kernel_would_make(arg, field, datatypes) for arg, field in zip(value.args, fields, strict=True)
        )
    if isinstance(value, tuple | frozenset | Multiset):
        items = value.distinct() if isinstance(value, Multiset) else value
        return all(_kernel_would_make(item, ty.element, datatypes) for item in items)
    return not (ty == NAT and value < 0)  # type: ignore[operator]


@FEW
@given(st.data())
def test_the_random_inputs_are_values_the_kernel_would_try(data: st.DataObject) -> None:
    program = resolve(parse(SourceFile("types.dfy", GENERATED_TYPES_PROGRAM))).program
    datatypes = {decl.name: decl for decl in program.datatypes()}
    tree, holder = Type("Tree"), Type("Holder")
    types = [INT, NAT, BOOL, Type("T"), seq_of(NAT), Type("set", (tree,)), Type("multiset", (NAT,))]
    types += [array_of(NAT), Type("List", (NAT,)), Type("List", (holder,)), tree, holder]
    for ty in types:
        value = data.draw(values_of(ty, (-3, 7), datatypes), label=str(ty))
        assert _kernel_would_make(value, ty, datatypes), (str(ty), value)


def describe(case: Case, shown: dict[str, str], result: RunResult) -> str:
    inputs = ", ".join(f"{name} = {value}" for name, value in shown.items())
    what = result.violation if result.violation is not None else result.message
    return f"{case.name}({inputs}): {result.outcome.value}: {what}"


def run_case(case: Case, args: dict[str, object]) -> tuple[RunResult, dict[str, str]]:
    loaded = load(case.path)
    assert loaded is not None
    checked, source = loaded
    shown = {name: show_value(value) for name, value in args.items()}
    return run_method(checked, case.method, args, step_limit=STEP_LIMIT, source=source), shown


def datatypes_of(case: Case) -> dict[str, ast.Datatype]:
    loaded = load(case.path)
    assert loaded is not None
    return {decl.name: decl for decl in loaded[0].program.datatypes()}


def method_of(case: Case) -> tuple[ast.Method, tuple[int, ...]]:
    loaded = load(case.path)
    assert loaded is not None
    decl = loaded[0].decl(case.method)
    assert isinstance(decl, ast.Method)
    return decl, literals_of(loaded[0].program)


# ------------------------------------------------------------------ verified programs


def test_there_are_programs_of_both_kinds() -> None:
    assert len(VERIFIED) >= 80 and len(REFUTED) >= 80


@pytest.mark.parametrize("case", conformance_params(VERIFIED, [case.name for case in VERIFIED]))
def test_a_verified_method_never_violates_a_check(case: Case) -> None:
    method, constants = method_of(case)
    outcomes: list[Outcome] = []

    def check(args: dict[str, object]) -> Outcome:
        result, shown = run_case(case, args)
        assert result.outcome is not Outcome.VIOLATION, "verified, yet violated: " + describe(
            case, shown, result
        )
        assert result.outcome is not Outcome.INTERNAL, describe(case, shown, result)
        return result.outcome

    def check_valid(args: dict[str, object]) -> None:
        outcome = check(args)
        assume(outcome is not Outcome.INVALID_INPUT)
        outcomes.append(outcome)

    if not method.params:
        assert check({}) is not Outcome.INVALID_INPUT
        return
    try:
        SETTINGS(given(arguments(method, constants, datatypes_of(case)))(check_valid))()
    except Unsatisfiable:
        pytest.fail(f"{case.name}: no generated input satisfies the precondition")
    assert Outcome.OK in outcomes, (
        f"{case.name}: no run finished normally: {sorted({o.value for o in outcomes})}"
    )


# ------------------------------------------------------------------ programs Dafny refutes


@pytest.mark.parametrize("case", conformance_params(REFUTED, [case.name for case in REFUTED]))
def test_a_refuted_method_fails_only_where_dafny_reports_an_error(case: Case) -> None:
    method, constants = method_of(case)
    assert case.dafny_lines is not None

    def check(args: dict[str, object]) -> None:
        result, shown = run_case(case, args)
        assert result.outcome is not Outcome.INTERNAL, describe(case, shown, result)
        if result.violation is not None:
            violation = result.violation
            lines = {violation.span.start_line, *(span.start_line for span in violation.related)}
            assert lines & case.dafny_lines, f"Dafny reports lines {sorted(case.dafny_lines)}; " + describe(
                case, shown, result
            )

    chosen = choose_inputs(load(case.path)[0], case.method)  # type: ignore[index]
    if chosen is not None:
        check(chosen)
    if method.params:
        FEW(given(arguments(method, constants, datatypes_of(case)))(check))()


def _expected_errors(path: Path) -> set[tuple[int, int, str]]:
    expect = path.with_name(path.name + ".expect")
    found = re.findall(r"^\S+\((\d+),(\d+)\): Error: (.*)$", expect.read_text(), re.MULTILINE)
    return {(int(line), int(col), message) for line, col, message in found}


GOLDEN_REFUTED = [case for case in REFUTED if GOLDEN in case.path.parents]


@pytest.mark.parametrize("case", GOLDEN_REFUTED, ids=[case.name for case in GOLDEN_REFUTED])
def test_a_violation_has_the_verifier_s_position_and_message(case: Case) -> None:
    """Each violation found in a golden program is one of the errors its .expect file records."""
    method, constants = method_of(case)
    expected = _expected_errors(case.path)

    def check(args: dict[str, object]) -> None:
        result, shown = run_case(case, args)
        if result.violation is not None:
            found = (
                result.violation.span.start_line,
                result.violation.span.start_col,
                result.violation.message,
            )
            assert found in expected, f"expected one of {sorted(expected)}; " + describe(case, shown, result)

    if method.params:
        FEW(given(arguments(method, constants, datatypes_of(case)))(check))()
    else:
        check({})


# ------------------------------------------------------------------ programs nobody wrote

SEEDS = sorted(path.read_text() for path in [*GOLDEN.rglob("*.dfy"), *conformance_programs("l[12]_*.dfy")])
TOKEN = re.compile(r"\w+|<==>|==>|<==|<=|>=|==|!=|&&|\|\||\.\.|:=|[^\w\s]|\s+")
REPLACEMENTS = [
    "<",
    "<=",
    ">",
    "==",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&&",
    "||",
    "==>",
    "0",
    "1",
    "2",
    "i",
    "n",
    "a",
]


@settings(SETTINGS, max_examples=150)
@given(st.data())
def test_mutated_programs_never_make_the_interpreter_fail(data: st.DataObject) -> None:
    """Whatever a program that type-checks does, a run ends with an outcome, never an error."""
    tokens = TOKEN.findall(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 3))):
        tokens[data.draw(st.integers(0, len(tokens) - 1))] = data.draw(st.sampled_from(REPLACEMENTS))
    text = "".join(tokens)
    try:
        program = resolve(parse(SourceFile("mutant.dfy", text)))
    except DiagnosticError:
        return
    for method in program.program.methods():
        args = data.draw(arguments(method, (), {decl.name: decl for decl in program.program.datatypes()}))
        shown = {name: show_value(value) for name, value in args.items()}
        result = run_method(program, method.name, args, step_limit=5_000)
        assert result.outcome is not Outcome.INTERNAL, f"{text}\n{method.name}({shown}): {result.message}"
