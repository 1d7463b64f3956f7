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
    """One printed line: `role` is 'statement', 'fact', 'paths', 'path' or 'goal'."""

    depth: int
    role: str
    label: str
    formula: str = ""

    def to_json(self) -> list[object]:
        return [self.depth, self.role, self.label, self.formula]


def vc_lines(sequent: Sequent, goal_label: str) -> list[VcLine]:
    """The sequent's facts by statement, then the goal labelled with the obligation."""
    facts = _without_copies(sequent.facts)
    printer = _Printer(Names((*_sequent_terms(facts), sequent.goal)))
    lines = printer.facts_lines(facts, 0)
    lines.append(VcLine(0, "goal", goal_label, printer.formula(sequent.goal)))
    return lines


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
        groups: dict[tuple[str, t.Sort | None], dict[str, t.Var]] = {}
        for var in _constants(terms):
            groups.setdefault(_group(var), {})[var.name] = var
        self.names: dict[str, str] = {}
        for (base, _), members in groups.items():
            self.names.update(_numbered(base, list(members.values())))

    def __call__(self, var: t.Var) -> str:
        return self.names.get(var.name) or _base(var.symbol)


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
        self.name = names

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
            line = fact.obligation.span.start_line
            return [VcLine(depth, "fact", f"checked at line {line}, then known", self.formula(fact.term))]
        return []

    # ---- formulas

    def formula(self, term: t.Term, context: int = 0) -> str:
        if isinstance(term, t.Var):
            return self.name(term)
        if isinstance(term, t.IntVal | t.BoolVal | t.RealVal):
            return str(term)
        if isinstance(term, t.FunApp):
            return self.function(term, context)
        if isinstance(term, t.Forall):
            bound = ", ".join(self.name(var) for var in term.bound if var.sort != t.FUEL)
            text = f"{'exists' if term.is_exists else 'forall'} {bound} :: {self.formula(term.body)}"
            return f"({text})" if context else text
        if isinstance(term, t.SortedConst):
            return "multiset{}" if term.value == t.IntVal(0) else "{}"
        assert isinstance(term, t.App)
        return self.application(term, context)

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
        heap_name = self.name(heap)
        if heap_name == _base(heap.symbol):
            return self.formula(array, 9)
        return f"{heap_name}[{self.formula(array)}]"

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
            return f"{symbol.source}({self.formula(args[0])})"
        if role == t.Role.CONSTRUCTOR:
            inside = ", ".join(self.formula(arg) for arg in args)
            return f"{symbol.source}({inside})" if args else symbol.source
        if role == t.Role.DISCRIMINATOR:
            return f"{self.formula(args[0], 9)}.{symbol.source}?"
        if symbol.position is not None:  # an argument without a name of its own
            return f"{self.formula(args[0], 9)}.{symbol.ctor}.{symbol.position + 1}"
        return f"{self.formula(args[0], 9)}.{symbol.source}"


DATATYPE_ROLES = frozenset(
    {t.Role.CONSTRUCTOR, t.Role.DESTRUCTOR, t.Role.DISCRIMINATOR, t.Role.TAG, t.Role.RANK}
)


def _is_heap(term: t.Term) -> bool:
    return isinstance(term, t.Var) and term.symbol.role in (t.Role.HEAP, t.Role.OLD_HEAP)
