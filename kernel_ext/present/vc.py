"""The VC view: an obligation's verification condition in readable math.

A sequent from the VC generator (`vcgen.Sequent`) is printed as the facts known on the
paths to the obligation, grouped by the statement they come from, then the goal. Each
value of a variable has its own name: `x` is its value on entry, `x₁`, `x₂`, ... the
values it takes later, so `sum₂ == sum₁ + i₁` says what one assignment did. Formulas are
in MiniDafny's own notation, never SMT-LIB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel_ext.verify import terms as t
from kernel_ext.verify.datatypes import LITERAL
from kernel_ext.verify.datatypes import PREFIX as DATATYPE_PREFIX
from kernel_ext.verify.gcl import MarkKind
from kernel_ext.verify.vcgen import At, Checked, Definition, Either, Fact, Fresh, Hypothesis, Sequent

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
STEP_WORDS = {
    MarkKind.ENTRY: "on entry",
    MarkKind.THEN: "then branch",
    MarkKind.ELSE: "else branch",
    MarkKind.CASE: "match case taken",
    MarkKind.LOOP_HEAD: "loop head, after any number of iterations",
    MarkKind.ITERATION: "an arbitrary iteration starts",
    MarkKind.LOOP_EXIT: "after the loop",
    MarkKind.CALL: "after the call",
}
LEGEND = "x is a variable's value on entry; x₁, x₂, ... are the values it takes later, in order."


@dataclass(frozen=True)
class VcLine:
    """One printed line: `role` is 'statement', 'fact', 'paths', 'path' or 'goal'."""

    depth: int
    role: str
    label: str
    formula: str = ""

    def to_json(self) -> list[object]:
        return [self.depth, self.role, self.label, self.formula]


def vc_lines(sequent: Sequent, goal_label: str) -> list[VcLine]:
    """The sequent's facts by statement, then the goal labelled with the obligation."""
    lines = _facts_lines(_without_copies(sequent.facts), 0)
    lines.append(VcLine(0, "goal", goal_label, formula(sequent.goal)))
    return lines


def _without_copies(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The heap copies a loop keeps (`heap.before := heap`) replaced by what they copy."""
    copies = {
        fact.var.name: fact.value
        for fact in _flat(facts)
        if isinstance(fact, Definition) and ".before%" in fact.var.name
    }
    return tuple(_renamed(fact, copies) for fact in facts if not _is_copy(fact, copies))


def _is_copy(fact: Fact, copies: dict[str, t.Term]) -> bool:
    return isinstance(fact, Definition) and fact.var.name in copies


def _renamed(fact: Fact, copies: dict[str, t.Term]) -> Fact:
    if not copies:
        return fact
    if isinstance(fact, Hypothesis):
        return Hypothesis(fact.origin, t.substitute(fact.term, copies))
    if isinstance(fact, Checked):
        return Checked(fact.obligation, t.substitute(fact.term, copies))
    if isinstance(fact, Definition):
        return Definition(fact.var, t.substitute(fact.value, copies))
    if isinstance(fact, Either):
        return Either(
            tuple(
                tuple(_renamed(f, copies) for f in alternative if not _is_copy(f, copies))
                for alternative in fact.alternatives
            )
        )
    return fact


def _flat(facts: tuple[Fact, ...]) -> list[Fact]:
    found: list[Fact] = []
    for fact in facts:
        found.append(fact)
        if isinstance(fact, Either):
            for alternative in fact.alternatives:
                found += _flat(alternative)
    return found


def vc_text(lines: list[VcLine]) -> str:
    out: list[str] = []
    for line in lines:
        indent = "  " * line.depth
        if line.role == "goal":
            out.append(f"{indent}prove:  {line.formula}   [{line.label}]")
        elif line.role == "fact":
            label = f"   [{line.label}]" if line.label else ""
            out.append(f"{indent}  {line.formula}{label}")
        else:
            out.append(f"{indent}{line.label}")
    return "\n".join(out)


def _facts_lines(facts: tuple[Fact, ...], depth: int) -> list[VcLine]:
    lines: list[VcLine] = []
    pending: list[VcLine] = []
    for fact in facts:
        if isinstance(fact, At):
            lines.append(VcLine(depth, "statement", _statement_label(fact)))
            lines += pending
            pending = []
        elif isinstance(fact, Either):
            lines += pending
            pending = []
            lines += _either_lines(fact, depth)
        else:
            pending += _fact_lines(fact, depth)
    return lines + pending


def _statement_label(at: At) -> str:
    words = STEP_WORDS.get(at.kind)
    return f"line {at.span.start_line}: {at.text}" + (f"  ({words})" if words else "")


def _either_lines(either: Either, depth: int) -> list[VcLine]:
    lines = [VcLine(depth, "paths", f"one of {len(either.alternatives)} paths:")]
    for number, alternative in enumerate(either.alternatives, 1):
        lines.append(VcLine(depth + 1, "path", f"path {number}:"))
        lines += _facts_lines(alternative, depth + 2)
    return lines


def _fact_lines(fact: Fact, depth: int) -> list[VcLine]:
    if isinstance(fact, Hypothesis):
        return [VcLine(depth, "fact", fact.origin, formula(fact.term))]
    if isinstance(fact, Definition):
        if _hidden(fact.var):
            return []
        return [VcLine(depth, "fact", "", f"{name(fact.var)} == {formula(fact.value)}")]
    if isinstance(fact, Fresh):
        shown = [name(var) for var in fact.variables if not _hidden(var)]
        if not shown:
            return []
        return [VcLine(depth, "fact", "any value", ", ".join(shown))]
    if isinstance(fact, Checked):
        if not fact.term.free_names:
            return []  # a check on constants, such as `2 != 0`
        line = fact.obligation.span.start_line
        return [VcLine(depth, "fact", f"checked at line {line}, then known", formula(fact.term))]
    return []


def _hidden(var: t.Var) -> bool:
    """Bookkeeping copies the reader never wrote (the heap before a loop, allocation)."""
    return var.name.startswith(("$", "alloc", "old"))


# ------------------------------------------------------------ formulas


_VERSIONED = re.compile(r"^(?P<base>.*?)(@(?P<version>\d+))?$")


def name(var: t.Var) -> str:
    """`sum#3@2` -> `sum₂`; `n@0` and `n` -> `n`; `heap.Int@1` -> `heap₁`."""
    match = _VERSIONED.match(var.name)
    assert match is not None
    base = match["base"].split("#")[0].split("%")[0].removeprefix("$q.")
    if base.startswith(("heap.", "oldheap.")):
        base = base.split(".")[0]
    version = match["version"]
    return base + (version.translate(SUBSCRIPTS) if version and version != "0" else "")


def formula(term: t.Term, context: int = 0) -> str:
    """A term in MiniDafny's notation, with each value's own name."""
    if isinstance(term, t.Var):
        return name(term)
    if isinstance(term, t.IntVal | t.BoolVal):
        return str(term)
    if isinstance(term, t.FunApp):
        return _function(term, context)
    if isinstance(term, t.Forall):
        bound = ", ".join(name(var) for var in term.bound if var.sort != t.FUEL)
        text = f"{'exists' if term.is_exists else 'forall'} {bound} :: {formula(term.body)}"
        return f"({text})" if context else text
    if isinstance(term, t.SortedConst):
        return "multiset{}" if term.value == t.IntVal(0) else "{}"
    assert isinstance(term, t.App)
    return _application(term, context)


def _application(term: t.App, context: int) -> str:
    op, args = term.op, term.args
    if op in t.PRECEDENCE:
        level = t.PRECEDENCE[op]
        text = f" {op.value} ".join(formula(arg, level + 1) for arg in args)
        return f"({text})" if level < context or (level == context and level <= 3) else text
    if op in (t.Op.NOT, t.Op.NEG):
        return ("!" if op == t.Op.NOT else "-") + formula(args[0], 9)
    if op == t.Op.ITE:
        text = f"if {formula(args[0])} then {formula(args[1])} else {formula(args[2])}"
        return f"({text})" if context else text
    if op == t.Op.SELECT:
        return _select(args[0], args[1], context)
    if op == t.Op.STORE:
        return f"{formula(args[0], 9)}[{formula(args[1])} := {formula(args[2])}]"
    symbols = {t.Op.MAP_AND: " * ", t.Op.MAP_OR: " + ", t.Op.MAP_ADD: " + "}
    if op in symbols:
        text = symbols[op].join(formula(arg, 6) for arg in args)
        return f"({text})" if context > 5 else text
    if op == t.Op.MAP_NOT:
        return "!" + formula(args[0], 9)
    return f"{op.value}({', '.join(formula(arg) for arg in args)})"


def _select(map_: t.Term, key: t.Term, context: int) -> str:
    """An array element `a[i]` (with the heap it is read in), a set's `v in S`."""
    if isinstance(map_, t.App) and map_.op == t.Op.SELECT and _is_heap(map_.args[0]):
        return f"{_array(map_.args[0], map_.args[1])}[{formula(key)}]"
    sort = t.sort_of(map_)
    if sort.args and sort.args[-1] == t.BOOL:
        text = f"{formula(key, 5)} in {formula(map_, 5)}"
        return f"({text})" if context > 4 else text
    return f"{formula(map_, 9)}[{formula(key)}]"


def _is_heap(term: t.Term) -> bool:
    return isinstance(term, t.Var) and term.name.startswith(("heap.", "oldheap."))


def _array(heap: t.Term, array: t.Term) -> str:
    """`a` in the heap on entry, `heap₂[a]` in a later one."""
    assert isinstance(heap, t.Var)
    heap_name = name(heap)
    if heap_name in ("heap", "oldheap"):
        return formula(array, 9) if heap_name == "heap" else f"old({formula(array)})"
    return f"{heap_name}[{formula(array)}]"


SEQUENCE_FORMS = {
    "Length": "|{0}|",
    "Index": "{0}[{1}]",
    "Build": "{0} + [{1}]",
    "Append": "{0} + {1}",
    "Take": "{0}[..{1}]",
    "Drop": "{0}[{1}..]",
    "Update": "{0}[{1} := {2}]",
    "Contains": "{1} in {0}",
    "Equal": "{0} == {1}",
    "Empty": "[]",
}


def _function(term: t.FunApp, context: int) -> str:
    symbol = term.name
    args = term.args
    if symbol.startswith(LITERAL):
        return formula(args[0], context)
    if symbol.startswith(DATATYPE_PREFIX):
        return _datatype_function(symbol.rsplit(".", 1)[1], args)
    if symbol.startswith("Seq#"):
        operation = symbol[4:].split(".")[0]
        text = SEQUENCE_FORMS[operation].format(*(formula(arg, 9) for arg in args))
        loose = operation in ("Build", "Append", "Contains", "Equal")
        return f"({text})" if loose and context > 4 else text
    if symbol == "$len":
        return f"{formula(args[0], 9)}.Length"
    if symbol.startswith("$aseq."):
        contents = args[0]
        if isinstance(contents, t.App) and contents.op == t.Op.SELECT and _is_heap(contents.args[0]):
            return f"{_array(contents.args[0], contents.args[1])}[..]"
        return f"{formula(contents, 9)}[..{formula(args[1])}]"
    if symbol.startswith(("$card.", "$mcard.")):
        return f"|{formula(args[0])}|"
    if symbol.startswith("$ms."):
        return f"multiset({formula(args[0])})"
    words = {"$mdiff": "-", "$mmin": "*", "$msub": "<="}
    base = symbol.split(".")[0]
    if base in words:
        text = f"{formula(args[0], 6)} {words[base]} {formula(args[1], 6)}"
        return f"({text})" if context > 4 else text
    return f"{symbol.lstrip('$')}({', '.join(formula(arg) for arg in args)})"


def _datatype_function(operation: str, args: tuple[t.Term, ...]) -> str:
    """`Cons(x, xs)`, `xs.head`, `xs.Cons?`, `rank(xs)` (the structural order of termination)."""
    if operation in ("$rank", "$tag"):
        return f"{operation[1:]}({formula(args[0])})"
    if not args:
        return operation
    if operation[0].isupper() and not operation.endswith("?") and "#" not in operation:
        return f"{operation}({', '.join(formula(arg) for arg in args)})"
    if "#" in operation:  # an unnamed argument of a constructor
        ctor, position = operation.split("#")
        return f"{formula(args[0], 9)}.{ctor}.{int(position) + 1}"
    return f"{formula(args[0], 9)}.{operation}"
