"""What every part of the lowering reads: the program being lowered (`Unit`), and the one
method or function whose code is being lowered (`Body`), which makes the checks and takes
the fresh names."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.subsets import Subsets, gives_value_of_a_branch
from kernel_ext.lang.types import NAT, Type
from kernel_ext.obligations import NO_SITE, SUBSET_MESSAGE, CheckSite, Obligation, ObligationKind
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import Assert, Command
from kernel_ext.verify.translate import Translator, reads_contents, sort_of, value_constraint


@dataclass
class Unit:
    """The program being lowered: its declarations by name, and what they all share."""

    program: ast.Program
    source: SourceFile
    components: dict[str, frozenset[str]]
    element_sorts: tuple[t.Sort, ...]

    def __post_init__(self) -> None:
        self.functions = {f.name: f for f in self.program.functions()}
        self.methods = {m.name: m for m in self.program.methods()}
        self.datatypes = {d.name: d for d in self.program.datatypes()}
        self.subsets = Subsets.of(self.program)
        self.translate = Translator(self.functions, subsets=self.subsets)

    def recursive_with(self, caller: str, callee: str) -> bool:
        return callee in self.components.get(caller, frozenset())

    def translator_for(self, decl: ast.Decl) -> Translator:
        if isinstance(decl, ast.Function):
            return Translator(
                self.functions, in_function=True, contents_of=reads_contents(decl), subsets=self.subsets
            )
        return self.translate


@dataclass
class Body:
    """One method's or function's code being lowered; holds its fresh-name counter."""

    unit: Unit
    owner: ast.Method | ast.Function
    counter: count = field(default_factory=lambda: count(1))
    specification: bool = False  # checking a method's specification, not its body

    @property
    def translate(self) -> Translator:
        return self.unit.translator_for(self.owner)

    @property
    def source(self) -> SourceFile:
        return self.unit.source

    def fresh_number(self) -> int:
        return next(self.counter)

    def temp(self, hint: str, sort: t.Sort) -> t.Var:
        return t.temporary(hint, self.fresh_number(), sort)

    def check(
        self,
        condition: t.Term,
        kind: ObligationKind,
        span: Span,
        related: tuple[Span, ...] = (),
        description: str = "",
        message: str = "",
        site: CheckSite = NO_SITE,
    ) -> Assert:
        owner = self.owner.name
        obligation = Obligation(kind, span, owner, related, description, message, site, self.specification)
        return Assert(condition, obligation)

    def clause_check(
        self, condition: t.Term, kind: ObligationKind, span: Span, part: ast.Expr, site: CheckSite
    ) -> Assert:
        """The check of one conjunct of a specification clause, reported at `span`."""
        description = self.source.text_of(part.span)
        return self.check(condition, kind, span, related=(part.token,), description=description, site=site)

    def subset_check(
        self, value: t.Term, source: Type | None, target: Type | None, span: Span, path: t.Term = t.TRUE
    ) -> list[Command]:
        """A value of static type `source` stored where a `target` goes: a subset-type check,
        unless the source type guarantees it."""
        if self.unit.subsets.guaranteed(source, target):
            return []
        constraint = value_constraint(value, target, self.unit.subsets)
        message = "" if target == NAT else SUBSET_MESSAGE.format(target=target)
        return [self.check(t.implies(path, constraint), ObligationKind.SUBSET_TYPE, span, message=message)]

    def subset_checks_of(
        self, expr: ast.Expr, tr: Translator, target: Type | None, path: t.Term = t.TRUE
    ) -> list[Command]:
        """The value of `expr` stored where a `target` goes: `subset_check` of each branch that
        may give the value, under the condition that it does, at the branch's position."""
        if self.unit.subsets.guaranteed(ast.type_of(expr), target):
            return []
        if not gives_value_of_a_branch(expr):
            return self.subset_check(tr(expr), ast.type_of(expr), target, expr.span, path)
        match expr:
            case ast.IfThenElse():
                condition = tr(expr.cond)
                return [
                    *self.subset_checks_of(expr.then, tr, target, t.and_(path, condition)),
                    *self.subset_checks_of(expr.else_, tr, target, t.and_(path, t.not_(condition))),
                ]
            case ast.Match():
                return self.case_subset_checks(expr, tr, target, path)
            case _:
                raise AssertionError(f"no branches in {type(expr).__name__}")

    def case_subset_checks(
        self, expr: ast.Match, tr: Translator, target: Type | None, path: t.Term
    ) -> list[Command]:
        """As the translation reads a `match`: a case is taken when no earlier one matches and
        it does (the last one when no earlier one matches)."""
        subject = tr(expr.subject)
        commands: list[Command] = []
        earlier: list[t.Term] = []
        for number, case in enumerate(expr.cases):
            condition, bindings = tr.pattern_match(case.pattern, subject)
            taken = [t.not_(other) for other in earlier]
            if number < len(expr.cases) - 1:
                taken.append(condition)
            commands += self.subset_checks_of(case.body, tr.binding(bindings), target, t.and_(path, *taken))
            earlier.append(condition)
        return commands


def param_var(param: ast.Param) -> t.Var:
    return t.Var(param.name, sort_of(ast.type_of(param)))


def origin(role: str, clause: ast.SpecClause, note: str = "") -> str:
    """Where an assumption comes from, as the VC view names it."""
    return f"{role}, line {clause.span.start_line}" + (f": {note}" if note else "")


def datatype_shapes(datatype: ast.Datatype, instance: Type) -> tuple[dt.CtorShape, ...]:
    """The constructors of one instance of a datatype, with their destructors' sorts."""
    return tuple(
        dt.CtorShape(
            ctor.name,
            tuple(
                (ast.destructor_name(ctor, position), sort_of(field_ty))
                for position, field_ty in enumerate(datatype.field_types(ctor, instance))
            ),
        )
        for ctor in datatype.ctors
    )
