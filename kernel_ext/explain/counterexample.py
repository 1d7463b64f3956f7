"""Z3 model -> Trace: the inputs and the path to a failed obligation, as a student reads them.

The lowering marks program points (`Mark`); the passifier records at each one its
reachability constant and the SSA names of the variables. A point is on the failing path
when its reachability constant is true in the model; the values at it are read through
those SSA names: `x = -3`, `a = [3, 1, 2]` (with `a.Length`), `s = [1, 2]`, `true`,
`t = Node(Leaf, 3, Leaf)` (a datatype value rebuilt from its tag and destructors), and
"any value" where the model leaves a variable unconstrained.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import z3

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.types import Type
from kernel_ext.obligations import ObligationKind
from kernel_ext.results import MarkKind, ReplayVerdict
from kernel_ext.run.values import DataValue, Multiset, show_data, show_value
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import literals
from kernel_ext.verify import terms as t
from kernel_ext.verify.smt import ModelView
from kernel_ext.verify.translate import field_of, sort_of
from kernel_ext.verify.vcgen import ProgramPoint, ProofTask

SHOWN_ELEMENTS = 20  # longer arrays and sequences are cut, with "…"
SHOWN_DEPTH = 5  # datatype values are read this many constructors deep, then "…"
ANY_VALUE = "any value"
MAX_UNFOLDINGS = 8  # definitions followed back to read a value the proof did not need


@dataclass(frozen=True)
class ModelArray:
    """An array as a solver's model describes it: its identity (aliasing), length and first
    elements, the rest cut off. Not a run-time array (`run.values.ArrayValue`, a mutable
    reference): replay builds one of those from this description."""

    ref: str
    length: int
    elements: tuple[Any, ...]


class Free:
    """A value the model leaves open."""

    def __repr__(self) -> str:
        return ANY_VALUE


FREE = Free()


@dataclass(frozen=True)
class Binding:
    name: str
    text: str
    value: Any = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "value": self.text}


@dataclass(frozen=True)
class Step:
    line: int
    column: int
    kind: MarkKind
    text: str
    values: tuple[Binding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "kind": self.kind.value,
            "text": self.text,
            "values": [b.to_json() for b in self.values],
        }


@dataclass(frozen=True)
class Replay:
    """What running the trace's inputs concretely showed (see `replay.py`)."""

    verdict: ReplayVerdict
    detail: str
    through: str = ""  # the loop or call whose summary the failing path went through

    def to_json(self) -> dict[str, str]:
        return {"verdict": self.verdict.value, "detail": self.detail, "through": self.through}


@dataclass(frozen=True)
class Trace:
    inputs: tuple[Binding, ...]
    steps: tuple[Step, ...]
    replay: Replay | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": [b.to_json() for b in self.inputs],
            "steps": [s.to_json() for s in self.steps],
            "replay": self.replay.to_json()
            if self.replay
            else {"verdict": ReplayVerdict.NOT_RUN.value, "detail": ""},
        }


@dataclass(frozen=True)
class Variable:
    """A source variable: its SSA base name, its type, and the lines where it is in scope."""

    uid: str
    name: str
    ty: Type
    first_line: int
    last_line: int
    is_input: bool = False
    bound: bool = False  # a forall statement's: shown only where its body is checked


def variables_of(decl: ast.Method | ast.Function) -> tuple[Variable, ...]:
    end = decl.span.end_line
    found = [
        Variable(p.name, p.name, ast.type_of(p), decl.span.start_line, end, is_input=True)
        for p in decl.params
    ]
    if isinstance(decl, ast.Method):
        found += [Variable(p.name, p.name, ast.type_of(p), decl.span.start_line, end) for p in decl.returns]
        if decl.body is not None:
            found += _locals(decl.body)
    return tuple(found)


def _locals(block: ast.Block) -> list[Variable]:
    found: list[Variable] = []
    for stmt in block.stmts:
        if isinstance(stmt, ast.VarDecl | ast.SuchThat):
            found += [
                Variable(v.uid, v.name, ast.type_of(v), stmt.span.start_line, block.span.end_line)
                for v in stmt.variables
            ]
        if isinstance(stmt, ast.ForallStmt):  # the values its body is checked for
            found += [
                Variable(v.uid, v.name, ast.type_of(v), stmt.span.start_line, stmt.span.end_line, bound=True)
                for v in stmt.bound
            ]
        if isinstance(stmt, ast.MatchStmt):  # what each case's pattern binds, in that case
            found += [
                Variable(
                    v.uid,
                    v.name,
                    ast.type_of(v),
                    case.span.start_line,
                    max(case.span.end_line, case.body.span.end_line),
                )
                for case in stmt.cases
                for v in ast.pattern_variables(case.pattern)
            ]
        for child in _blocks(stmt):
            found += _locals(child)
    return found


def _blocks(stmt: ast.Stmt) -> list[ast.Block]:
    if isinstance(stmt, ast.Block):
        return [stmt]
    if isinstance(stmt, ast.While):
        return [stmt.body]
    if isinstance(stmt, ast.If):
        rest = [] if stmt.else_ is None else _blocks(stmt.else_)
        return [stmt.then, *rest]
    if isinstance(stmt, ast.MatchStmt):
        return [case.body for case in stmt.cases]
    if isinstance(stmt, ast.Calc):
        return [hint for step in stmt.steps for hint in step.hints]
    if isinstance(stmt, ast.ForallStmt | ast.AssertBy):
        return [stmt.body]
    return []


def build_trace(
    task: ProofTask,
    model: ModelView,
    decl: ast.Method | ast.Function,
    datatypes: Mapping[str, ast.Datatype] | None = None,
) -> Trace:
    """The trace of a failed task; `datatypes` (the program's) let it show datatype values."""
    variables = variables_of(decl)
    reader = _Reader(model, datatypes or {}, {var.name: value for var, value in task.unneeded})
    on_path = [point for point in task.points if reader.holds(point.reach)]
    entry = next((p for p in on_path if p.kind == MarkKind.ENTRY), None)
    names = dict(entry.names) if entry is not None else {}
    inputs = tuple(reader.binding(v, names) for v in variables if v.is_input)
    steps = tuple(_step(point, variables, reader) for point in on_path if point.kind != MarkKind.ENTRY)
    return Trace(inputs, steps + _return_step(task, steps, inputs))


def _return_step(task: ProofTask, steps: tuple[Step, ...], inputs: tuple[Binding, ...]) -> tuple[Step, ...]:
    """A failed postcondition's last step: the method returns, and the `ensures` clause that
    is false there is shown with the values it is false for (those of the last step)."""
    ob = task.obligation
    if ob.kind != ObligationKind.POSTCONDITION or not ob.related:
        return ()
    clause = ob.related[0]
    values = steps[-1].values if steps else inputs
    return (Step(clause.start_line, clause.start_col, MarkKind.RETURN, f"ensures {ob.description}", values),)


def _step(point: ProgramPoint, variables: tuple[Variable, ...], reader: _Reader) -> Step:
    line = point.span.start_line
    names = dict(point.names)
    values = tuple(
        reader.binding(v, names)
        for v in variables
        if (v.first_line <= line <= v.last_line and (v.uid in names or not v.bound)) or v.is_input
    )
    return Step(line, point.span.start_col, point.kind, point.text, values)


class _Reader:
    """Reads source-level values out of the model."""

    def __init__(
        self,
        model: ModelView,
        datatypes: Mapping[str, ast.Datatype],
        unneeded: Mapping[str, t.Term] | None = None,
    ):
        self.model = model
        self.datatypes = datatypes
        self.unneeded = unneeded or {}

    def holds(self, condition: t.Term) -> bool:
        if isinstance(condition, t.BoolVal):
            return condition.value
        value = self.model.value(condition)
        return value is not None and z3.is_true(value)

    def binding(self, variable: Variable, names: dict[str, t.Var]) -> Binding:
        sort = sort_of(variable.ty)
        term = names.get(variable.uid) or t.variable(variable.uid, variable.name, sort).at(0)
        if self.model.is_free(term):
            fixed = self.fixed(term)
            if fixed is None:
                return Binding(variable.name, ANY_VALUE, FREE)
            term = fixed
        value = self.decode(term, variable.ty, names)
        return Binding(variable.name, show(value), value)

    def fixed(self, term: t.Term) -> t.Term | None:
        """What the program computed a variable the proof does not need from (`s@1 := 0`,
        `tail@1 := xs@0.tail`), when everything it is computed from has a value in the model;
        None for a variable nothing fixes."""
        if not (isinstance(term, t.Var) and term.name in self.unneeded):
            return None
        term = self.unfolded(term)
        leaves = _leaves(term)
        if leaves is None or term.free_names & self.unneeded.keys():
            return None
        if any(self.model.is_free(leaf) for leaf in leaves):
            return None
        return term if all(self.model.interprets(app) for app in _applications(term)) else None

    def unfolded(self, term: t.Term) -> t.Term:
        """The term with the definitions the proof did not need put in (up to
        MAX_UNFOLDINGS deep), and without `$lit` marks."""
        for _ in range(MAX_UNFOLDINGS):
            pending = term.free_names & self.unneeded.keys()
            if not pending:
                break
            term = t.substitute(term, {name: self.unneeded[name] for name in pending})
        return _unmarked(term)

    def decode(self, term: t.Term, ty: Type, names: dict[str, t.Var]) -> Any:
        kind = ty.base.name
        if kind == "array":
            return self.array(term, ty, names)
        if kind == "seq":
            count = self.integer(enc.seq_len(term))
            if count is None:
                return FREE
            shown = range(min(count, SHOWN_ELEMENTS))
            elements = tuple(self.decode(enc.nth(term, t.IntVal(i)), ty.element, names) for i in shown)
            return elements + ((ELLIPSIS,) if count > SHOWN_ELEMENTS else ())
        if kind in ("set", "multiset"):
            return self.collection(term, kind)
        if kind in self.datatypes:
            return self.data(term, ty.base, names, SHOWN_DEPTH, ())
        value = self.model.value(term)
        if value is None:
            return FREE
        if z3.is_true(value) or z3.is_false(value):
            return z3.is_true(value)
        number = _number(value)
        return FREE if number is None else number

    def data(
        self, term: t.Term, ty: Type, names: dict[str, t.Var], depth: int, outer: tuple[z3.ExprRef, ...]
    ) -> Any:
        """A datatype value: its constructor by the model's tag, then each argument by its
        destructor, `depth` constructors deep (then "…", as where the model makes a value
        contain itself)."""
        value = self.model.value(term)
        if value is None:
            return FREE
        if depth == 0 or any(value.eq(seen) for seen in outer):
            return ELLIPSIS
        decl = self.datatypes[ty.name]
        tag = self.integer(dt.tag(term))
        if tag is None or not 0 <= tag < len(decl.ctors):
            return FREE
        ctor = decl.ctors[tag]
        args = []
        for position, field_ty in enumerate(decl.field_types(ctor, ty)):
            part = field_of(term, ctor, position, sort_of(field_ty))
            if field_ty.name in self.datatypes:
                args.append(self.data(part, field_ty, names, depth - 1, (*outer, value)))
            else:
                args.append(self.decode(part, field_ty, names))
        return DataValue(decl.name, ctor.name, tuple(args))

    def integer(self, term: t.Term) -> int | None:
        value = self.model.value(term)
        return value.as_long() if value is not None and z3.is_int_value(value) else None

    def array(self, term: t.Term, ty: Type, names: dict[str, t.Var]) -> Any:
        ref = self.model.value(term)
        length = self.integer(enc.length(term))
        if ref is None or length is None:
            return FREE
        element = sort_of(ty.element)
        state = enc.heap(element)
        heap = names.get(state.name) or state.at(0)
        # the updates the proof did not need (`a[0] := 7;`) are read from their definitions
        contents = t.app(t.Op.SELECT, self.unfolded(heap), term)
        elements = tuple(
            self.decode(t.app(t.Op.SELECT, contents, t.IntVal(i)), ty.element, names)
            for i in range(min(length, SHOWN_ELEMENTS))
        )
        return ModelArray(str(ref), length, elements + ((ELLIPSIS,) if length > SHOWN_ELEMENTS else ()))

    def collection(self, term: t.Term, kind: str) -> Any:
        """A set or multiset from Z3's array value: stores over a constant default."""
        value = self.model.value(term)
        counts: dict[Any, int] = {}
        while value is not None and z3.is_store(value):
            key, entry = _literal(value.arg(1)), _literal(value.arg(2))
            counts.setdefault(key, int(entry))
            value = value.arg(0)
        if value is None or not z3.is_K(value) or _literal(value.arg(0)) not in (False, 0):
            return FREE
        if kind == "set":
            return frozenset(key for key, count in counts.items() if count)
        return Multiset.from_counts({key: count for key, count in counts.items() if count > 0})


class _Ellipsis:
    def __repr__(self) -> str:
        return "…"


ELLIPSIS = _Ellipsis()


def _literal(value: z3.ExprRef) -> Any:
    if z3.is_true(value) or z3.is_false(value):
        return z3.is_true(value)
    number = _number(value)
    return str(value) if number is None else number


def _number(value: z3.ExprRef) -> int | Fraction | None:
    """An integer or a rational of the model, exactly (an irrational one, which only a
    nonlinear constraint gives, is not read)."""
    if z3.is_int_value(value):
        return value.as_long()
    if z3.is_rational_value(value):
        return Fraction(value.numerator_as_long(), value.denominator_as_long())
    return None


def show(value: Any) -> str:
    """A value as a student writes it; an array with its length."""
    if isinstance(value, ModelArray):
        return f"{_items(value.elements)} (Length {value.length})"
    if isinstance(value, tuple):
        return _items(value)
    if isinstance(value, DataValue):
        return show_data(value, show)
    return show_value(value)


def _items(elements: tuple[Any, ...]) -> str:
    return "[" + ", ".join(show(e) for e in elements) + "]"


def _leaves(term: t.Term) -> list[t.Var] | None:
    """The constants a quantifier-free term is built from; None for a term with a quantifier."""
    match term:
        case t.Var():
            return [term]
        case t.IntVal() | t.RealVal() | t.BoolVal() | t.SortedConst():
            return []
        case t.App() | t.FunApp():
            parts = [*term.args, *([term.fuel] if isinstance(term, t.FunApp) and term.fuel else [])]
            found: list[t.Var] = []
            for part in parts:
                leaves = _leaves(part)
                if leaves is None:
                    return None
                found += leaves
            return found
        case _:
            return None


def _unmarked(term: t.Term) -> t.Term:
    """The term without `$lit` marks: each is its argument, and a task that does not use
    the mark leaves it without a meaning in the model (`$lit(1)` would read as 0)."""
    if literals.is_marked(term):
        return _unmarked(literals.unmark(term))
    if isinstance(term, t.App):
        return t.App(term.op, tuple(_unmarked(arg) for arg in term.args))
    if isinstance(term, t.FunApp):
        return dataclasses.replace(term, args=tuple(_unmarked(arg) for arg in term.args))
    return term


def _applications(term: t.Term) -> list[t.FunApp]:
    own = [term] if isinstance(term, t.FunApp) else []
    return own + [app for child in t.children(term) for app in _applications(child)]
