"""The VC view: an obligation's verification condition in readable math.

A sequent from the VC generator (`vcgen.Sequent`) is printed as the facts known on the
paths to the obligation, grouped by the statement they come from, then the goal. Each
value of a variable has its own name: `x` is its value on entry, `x₁`, `x₂`, ... the
values it takes later, so `sum₂ == sum₁ + i₁` says what one assignment did. Formulas are
in MiniDafny's own notation, never SMT-LIB.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kernel_ext.results import MarkKind
from kernel_ext.verify import terms as t
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
    """One printed line: `role` is 'statement', 'fact', 'paths', 'path', 'goal' or 'note' (under
    the goal: what a name or notation that a program does not show means)."""

    depth: int
    role: str
    label: str
    formula: str = ""

    def to_json(self) -> list[object]:
        return [self.depth, self.role, self.label, self.formula]


def vc_lines(sequent: Sequent, goal_label: str) -> list[VcLine]:
    """The sequent's facts by statement, then the goal labelled with the obligation."""
    facts = _without_copies(sequent.facts)
    printer = _Printer(_names(facts, sequent.goal))
    lines = printer.facts_lines(facts, 0)
    lines.append(VcLine(0, "goal", goal_label, printer.formula(sequent.goal)))
    return lines + [VcLine(0, "note", note) for note in printer.notes.lines()]


def sequent_names(sequent: Sequent) -> dict[str, str]:
    """The readable name of each constant that the sequent's VC view shows, by its SMT name."""
    return dict(_names(_without_copies(sequent.facts), sequent.goal).names)


def _names(facts: tuple[Fact, ...], goal: t.Term) -> Names:
    return Names((*_sequent_terms(facts), goal))


def _without_copies(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The heap copies a loop keeps (`heap.before := heap`) replaced by what they copy."""
    copies = {
        fact.var.name: fact.value
        for fact in _flat(facts)
        if isinstance(fact, Definition) and fact.var.symbol.role == t.Role.SNAPSHOT
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
        elif line.role == "note":
            out.append(f"{indent}note: {line.label}")
        elif line.role == "fact":
            label = f"   [{line.label}]" if line.label else ""
            out.append(f"{indent}  {line.formula}{label}")
        else:
            out.append(f"{indent}{line.label}")
    return "\n".join(out)


def _statement_label(at: At) -> str:
    words = STEP_WORDS.get(at.kind)
    return f"line {at.span.start_line}: {at.text}" + (f"  ({words})" if words else "")


HIDDEN_ROLES = frozenset(
    {
        t.Role.REACH,
        t.Role.ALLOC,
        t.Role.OLD_ALLOC,
        t.Role.OLD_HEAP,
        t.Role.SNAPSHOT,
        t.Role.FUEL,
        t.Role.OBSERVED,
    }
)
HEAP_ROLES = frozenset({t.Role.HEAP, t.Role.OLD_HEAP, t.Role.SNAPSHOT})


def _hidden(var: t.Var) -> bool:
    """Bookkeeping the reader never wrote (reachability, allocation, the heap on entry)."""
    return var.symbol.role in HIDDEN_ROLES


def _bookkeeping(term: t.Term) -> bool:
    """Paths joining equate the versions of hidden state too (`alloc₂ == alloc₁`)."""
    return (
        isinstance(term, t.App)
        and term.op == t.Op.EQ
        and all(isinstance(arg, t.Var) and _hidden(arg) for arg in term.args)
    )


# ------------------------------------------------------------ names


def _base(symbol: t.Symbol) -> str:
    """What a reader calls the variable or state that a symbol is a version of."""
    if symbol.role == t.Role.CONTENTS:
        return f"{symbol.source}.contents"
    if symbol.role == t.Role.SNAPSHOT:
        return f"{symbol.source}.before"
    return symbol.source


class Names:
    """A readable name for each constant of a sequent, unique per constant: `x` is a variable's
    value on entry, `x₁`, `x₂`, ... the values it takes later. Versions are numbered as the VC
    generator numbers them, unless constants of different symbols would share a name (a call's
    argument `t` twice, a variable shadowing another): then all that would be called `x` are
    numbered in the order they first appear."""

    def __init__(self, terms: Iterable[t.Term]):
        constants = _constants(terms)
        groups: dict[tuple[str, t.Sort | None], dict[str, t.Var]] = {}
        for var in constants:
            groups.setdefault(_group(var), {})[var.name] = var
        self.names: dict[str, str] = {}
        for (base, _), members in groups.items():
            self.names.update(_numbered(base, list(members.values())))
        self._distinguish(constants)

    def __call__(self, var: t.Var) -> str:
        return self.names.get(var.name) or _base(var.symbol)

    def _distinguish(self, constants: list[t.Var]) -> None:
        """Constants of different groups that got one name (a variable named `heap` and the
        heap): a program variable keeps it, the others are primed (`heap′`)."""
        ordered = sorted(constants, key=lambda var: var.symbol.role != t.Role.VARIABLE)
        taken: set[str] = set()
        for var in ordered:
            name = self.names[var.name]
            while name in taken:
                name += "′"
            self.names[var.name] = name
            taken.add(name)


def _group(var: t.Var) -> tuple[str, t.Sort | None]:
    """Constants that a reader would call by the same name (heaps differ by their element sort)."""
    return _base(var.symbol), var.sort if var.symbol.role in HEAP_ROLES else None


def _numbered(base: str, members: list[t.Var]) -> dict[str, str]:
    identities = {var.symbol.key for var in members}
    if len(identities) == 1:
        return {var.name: base + _subscript(var.symbol.version or 0) for var in members}
    entries = [var for var in members if var.symbol.version == 0 and var.symbol.role == t.Role.VARIABLE]
    plain = entries[0] if len(entries) == 1 else None
    later = [var for var in members if var is not plain]
    named = {var.name: base + _subscript(number) for number, var in enumerate(later, 1)}
    return named | ({plain.name: base} if plain is not None else {})


def _subscript(number: int) -> str:
    return str(number).translate(SUBSCRIPTS) if number else ""


def _constants(terms: Iterable[t.Term]) -> list[t.Var]:
    """The free constants of the terms, in the order they first appear (bound variables are
    named where they are bound)."""
    found: dict[str, t.Var] = {}
    seen: set[int] = set()
    for root in terms:
        stack = [root]
        while stack:
            term = stack.pop()
            if id(term) in seen:
                continue
            seen.add(id(term))
            if isinstance(term, t.Var):
                if term.name in root.free_names:
                    found.setdefault(term.name, term)
            else:
                stack.extend(reversed(t.children(term)))
    return list(found.values())


def _sequent_terms(facts: tuple[Fact, ...]) -> Iterator[t.Term]:
    for fact in facts:
        if isinstance(fact, Hypothesis | Checked):
            yield fact.term
        elif isinstance(fact, Definition):
            yield fact.var
            yield fact.value
        elif isinstance(fact, Fresh):
            yield from fact.variables
        elif isinstance(fact, Either):
            for alternative in fact.alternatives:
                yield from _sequent_terms(alternative)


# ------------------------------------------------------------ notes

NOTES = {
    "rank": "rank(x) is the size of the datatype value x, how deeply its constructors nest: "
    "the datatype argument of a recursive call must be smaller",
    "tag": "tag(x) says which constructor built the datatype value x",
    "argument": "{names}: what a call passes to its method's parameter {detail} (each call its own)",
    "result": "{names}: what a call's method returns in {detail} (each call its own)",
    "measure": "{names}: the loop's decreases expression when the iteration starts; "
    "by the end of the iteration it must have decreased",
    "heap": "{names}: the contents of every array, a new name after each change; heapₖ[a] is array a "
    "in that state, a alone is a as on entry",
    "alloc": "{names}: the arrays allocated so far",
    "oldalloc": "{names}: the arrays allocated when the method was called",
    "contents": "{names}: the contents of the array parameter {detail} when the function is called",
    "unnamed": "{names}: the arguments of the constructor {detail}, by position (they have no names)",
    "rhs": "{names}: the values on the right of a multiple assignment, computed before any variable changes",
    "array": "{names}: the array that an assignment to an element writes",
    "index": "{names}: the index of the element that an assignment writes",
    "new": "{names}: the array that an allocation (new T[n]) creates",
    "new-contents": "{names}: new contents of an array: what an allocation, a call or a forall statement "
    "leaves in it",
}
# what a constant of each role is noted as; a temporary by what it holds
ROLE_NOTES = {
    t.Role.ARGUMENT: "argument",
    t.Role.RESULT: "result",
    t.Role.MEASURE: "measure",
    t.Role.HEAP: "heap",
    t.Role.ALLOC: "alloc",
    t.Role.OLD_ALLOC: "oldalloc",
    t.Role.CONTENTS: "contents",
}
TEMPORARY_NOTES = {"rhs": "rhs", "array": "array", "index": "index", "new": "new", "contents": "new-contents"}


class Notes:
    """What the names and notations of a VC that its program does not show mean, each said
    once under the VC, in the order they first appear."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], list[str]] = {}

    def add(self, concept: str, name: str = "", detail: str = "") -> None:
        names = self.found.setdefault((concept, detail), [])
        if name and name not in names:
            names.append(name)

    def constant(self, symbol: t.Symbol, name: str) -> None:
        concept = ROLE_NOTES.get(symbol.role)
        if symbol.role == t.Role.TEMPORARY:
            concept = TEMPORARY_NOTES.get(symbol.source)
        if concept is not None:
            self.add(concept, name, symbol.source if "{detail}" in NOTES[concept] else "")

    def lines(self) -> list[str]:
        return [
            NOTES[concept].format(names=", ".join(names), detail=detail)
            for (concept, detail), names in self.found.items()
        ]


# ------------------------------------------------------------ formulas


def formula(term: t.Term) -> str:
    """A term on its own in MiniDafny's notation, with each value's own name."""
    return _Printer(Names((term,))).formula(term)


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
LOOSE_SEQUENCE_FORMS = frozenset({"Build", "Append", "Contains", "Equal"})


class _Printer:
    def __init__(self, names: Names):
        self.names = names
        self.notes = Notes()
        self.bound: dict[str, str] = {}  # a quantifier's variables while its body is printed

    def name(self, var: t.Var) -> str:
        """The constant's name; what it is goes to the notes."""
        if var.name in self.bound:
            return self.bound[var.name]
        name = self.names(var)
        self.notes.constant(var.symbol, name)
        return name

    # ---- facts

    def facts_lines(self, facts: tuple[Fact, ...], depth: int) -> list[VcLine]:
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
                lines += self.either_lines(fact, depth)
            else:
                pending += self.fact_lines(fact, depth)
        return lines + pending

    def either_lines(self, either: Either, depth: int) -> list[VcLine]:
        lines = [VcLine(depth, "paths", f"one of {len(either.alternatives)} paths:")]
        for number, alternative in enumerate(either.alternatives, 1):
            lines.append(VcLine(depth + 1, "path", f"path {number}:"))
            lines += self.facts_lines(alternative, depth + 2)
        return lines

    def fact_lines(self, fact: Fact, depth: int) -> list[VcLine]:
        if isinstance(fact, Hypothesis):
            if _bookkeeping(fact.term):
                return []
            return [VcLine(depth, "fact", fact.origin, self.formula(fact.term))]
        if isinstance(fact, Definition):
            if _hidden(fact.var):
                return []
            return [VcLine(depth, "fact", "", f"{self.name(fact.var)} == {self.formula(fact.value)}")]
        if isinstance(fact, Fresh):
            shown = [self.name(var) for var in fact.variables if not _hidden(var)]
            if not shown:
                return []
            return [VcLine(depth, "fact", "any value", ", ".join(shown))]
        if isinstance(fact, Checked):
            if not fact.term.free_names:
                return []  # a check on constants, such as `2 != 0`
            line = fact.obligation.checked_line  # a postcondition's: its `ensures`, not the return path
            return [VcLine(depth, "fact", f"checked at line {line}, then known", self.formula(fact.term))]
        return []

    # ---- formulas

    def formula(self, term: t.Term, context: int = 0) -> str:
        term = _as_written(term)
        if isinstance(term, t.Var):
            return self.name(term)
        if isinstance(term, t.IntVal | t.BoolVal | t.RealVal):
            return str(term)
        if isinstance(term, t.FunApp):
            return self.function(term, context)
        if isinstance(term, t.Forall):
            return self.quantifier(term, context)
        if isinstance(term, t.SortedConst):
            return "multiset{}" if term.value == t.IntVal(0) else "{}"
        assert isinstance(term, t.App)
        return self.application(term, context)

    def quantifier(self, term: t.Forall, context: int) -> str:
        """`forall k :: ...`; a bound variable named like a constant of its body is primed (`k′`)."""
        own = {var.name for var in term.bound} | self.bound.keys()
        free = {self.names(var) for var in _constants((term.body,)) if var.name not in own}
        outer = dict(self.bound)
        for var in term.bound:
            name = _base(var.symbol)
            while name in free or name in self.bound.values():
                name += "′"
            self.bound[var.name] = name
        try:
            bound = ", ".join(self.bound[var.name] for var in term.bound if var.sort != t.FUEL)
            text = f"{'exists' if term.is_exists else 'forall'} {bound} :: {self.formula(term.body)}"
        finally:
            self.bound = outer
        return f"({text})" if context else text

    def application(self, term: t.App, context: int) -> str:
        op, args = term.op, term.args
        if op in t.PRECEDENCE:
            level = t.PRECEDENCE[op]
            symbol = "/" if op == t.Op.REAL_DIV else op.value
            text = f" {symbol} ".join(self.formula(arg, level + 1) for arg in args)
            return f"({text})" if level < context or (level == context and level <= 3) else text
        if op in (t.Op.NOT, t.Op.NEG):
            return ("!" if op == t.Op.NOT else "-") + self.formula(args[0], 9)
        if op == t.Op.ITE:
            text = f"if {self.formula(args[0])} then {self.formula(args[1])} else {self.formula(args[2])}"
            return f"({text})" if context else text
        if op == t.Op.SELECT:
            return self.select(args[0], args[1], context)
        if op == t.Op.STORE:
            return f"{self.formula(args[0], 9)}[{self.formula(args[1])} := {self.formula(args[2])}]"
        symbols = {t.Op.MAP_AND: " * ", t.Op.MAP_OR: " + ", t.Op.MAP_ADD: " + "}
        if op in symbols:
            text = symbols[op].join(self.formula(arg, 6) for arg in args)
            return f"({text})" if context > 5 else text
        if op == t.Op.MAP_NOT:
            return "!" + self.formula(args[0], 9)
        return f"{op.value}({', '.join(self.formula(arg) for arg in args)})"

    def select(self, map_: t.Term, key: t.Term, context: int) -> str:
        """An array element `a[i]` (with the heap it is read in), a set's `v in S`."""
        if isinstance(map_, t.App) and map_.op == t.Op.SELECT and _is_heap(map_.args[0]):
            return f"{self.array(map_.args[0], map_.args[1])}[{self.formula(key)}]"
        sort = t.sort_of(map_)
        if sort.args and sort.args[-1] == t.BOOL:
            text = f"{self.formula(key, 5)} in {self.formula(map_, 5)}"
            return f"({text})" if context > 4 else text
        return f"{self.formula(map_, 9)}[{self.formula(key)}]"

    def array(self, heap: t.Term, array: t.Term) -> str:
        """`a` in the heap on entry, `old(a)` in the heap `old` reads, `heap₂[a]` in a later one."""
        assert isinstance(heap, t.Var)
        if heap.symbol.role == t.Role.OLD_HEAP:
            return f"old({self.formula(array)})"
        if heap.symbol.version in (None, 0):  # the heap on entry
            return self.formula(array, 9)
        return f"{self.name(heap)}[{self.formula(array)}]"

    def function(self, term: t.FunApp, context: int) -> str:
        symbol, args = term.symbol, term.args
        role = symbol.role
        if role == t.Role.LITERAL:
            return self.formula(args[0], context)
        if role in DATATYPE_ROLES:
            return self.datatype_function(symbol, args)
        if role == t.Role.SEQUENCE:
            text = SEQUENCE_FORMS[symbol.source].format(*(self.formula(arg, 9) for arg in args))
            return f"({text})" if symbol.source in LOOSE_SEQUENCE_FORMS and context > 4 else text
        if role == t.Role.LENGTH:
            return f"{self.formula(args[0], 9)}.Length"
        if role == t.Role.ARRAY_SEQ:
            return self.array_seq(args[0], args[1])
        if role == t.Role.SIZE:
            return f"|{self.formula(args[0])}|"
        if role == t.Role.MULTISET_OF:
            return f"multiset({self.formula(args[0])})"
        if role == t.Role.MULTISET_OP:
            text = f"{self.formula(args[0], 6)} {symbol.source} {self.formula(args[1], 6)}"
            return f"({text})" if context > 4 else text
        return f"{symbol.source}({', '.join(self.formula(arg) for arg in args)})"

    def array_seq(self, contents: t.Term, count: t.Term) -> str:
        if isinstance(contents, t.App) and contents.op == t.Op.SELECT and _is_heap(contents.args[0]):
            return f"{self.array(contents.args[0], contents.args[1])}[..]"
        return f"{self.formula(contents, 9)}[..{self.formula(count)}]"

    def datatype_function(self, symbol: t.Symbol, args: tuple[t.Term, ...]) -> str:
        """`Cons(x, xs)`, `xs.head`, `xs.Cons?`, `rank(xs)` (the structural order of termination)."""
        role = symbol.role
        if role in (t.Role.RANK, t.Role.TAG):
            self.notes.add(role.value)
            return f"{symbol.source}({self.formula(args[0])})"
        if role == t.Role.CONSTRUCTOR:
            inside = ", ".join(self.formula(arg) for arg in args)
            return f"{symbol.source}({inside})" if args else symbol.source
        if role == t.Role.DISCRIMINATOR:
            return f"{self.formula(args[0], 9)}.{symbol.source}?"
        if symbol.position is not None:  # an argument without a name of its own
            text = f"{self.formula(args[0], 9)}.{symbol.ctor}.{symbol.position + 1}"
            self.notes.add("unnamed", text, symbol.ctor)
            return text
        return f"{self.formula(args[0], 9)}.{symbol.source}"


def _as_written(term: t.Term) -> t.Term:
    """The term as a student writes it: `x != y` for `!(x == y)`, and without the conjuncts
    that the others imply (`xs.Cons?` for `!xs.Nil? && xs.Cons?`; `a == b` for Dafny's
    `a == b && tag(a) == tag(b)`, the tags' equality said for the solver's sake)."""
    if not isinstance(term, t.App):
        return term
    if term.op == t.Op.AND:
        kept = [arg for arg in term.args if not _implied(arg, term.args)]
        return t.and_(*kept) if len(kept) < len(term.args) else term
    if term.op == t.Op.NOT:
        inner = _as_written(term.args[0])
        if isinstance(inner, t.App) and inner.op == t.Op.EQ:
            return t.App(t.Op.NE, inner.args)
        return term if inner is term.args[0] else t.App(t.Op.NOT, (inner,))
    return term


def _implied(conjunct: t.Term, conjuncts: tuple[t.Term, ...]) -> bool:
    """`tag(a) == tag(b)` beside `a == b`; `!x.C?` beside `x.D?` (a value has one constructor)."""
    if not isinstance(conjunct, t.App):
        return False
    tags = [_argument_of(arg, t.Role.TAG) for arg in conjunct.args]
    if conjunct.op == t.Op.EQ and None not in tags:
        return t.App(t.Op.EQ, tuple(tags)) in conjuncts  # type: ignore[arg-type]
    if conjunct.op == t.Op.NOT and _argument_of(conjunct.args[0], t.Role.DISCRIMINATOR) is not None:
        tested = conjunct.args[0]
        return any(
            other != tested
            and _argument_of(other, t.Role.DISCRIMINATOR) == _argument_of(tested, t.Role.DISCRIMINATOR)
            for other in conjuncts
        )
    return False


def _argument_of(term: t.Term, role: t.Role) -> t.Term | None:
    """The argument of a datatype function of the role (`x` of `tag(x)`, of `x.C?`), else None."""
    if isinstance(term, t.FunApp) and term.symbol.role == role:
        return term.args[0]
    return None


DATATYPE_ROLES = frozenset(
    {t.Role.CONSTRUCTOR, t.Role.DESTRUCTOR, t.Role.DISCRIMINATOR, t.Role.TAG, t.Role.RANK}
)


def _is_heap(term: t.Term) -> bool:
    return isinstance(term, t.Var) and term.symbol.role in (t.Role.HEAP, t.Role.OLD_HEAP)
