"""Termination: what a recursive call and a loop iteration must decrease, by Dafny's orders
(`lang/semantics.py`) written as terms, and the induction hypothesis a lemma may use for
smaller arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.semantics import (
    INT_ORDER,
    RANK_ORDER,
    Key,
    Measured,
    Relation,
    bounded_below,
    declaration_measure,
    decreases,
    loop_measure,
    order_of,
)
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import Type
from kernel_ext.obligations import (
    BOUNDED_BELOW,
    BOUNDED_PART,
    DECREASE_PART,
    LOOP_NEEDS_DECREASES,
    CheckSite,
    ObligationKind,
)
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body
from kernel_ext.verify.gcl import Assert, Assume, Command
from kernel_ext.verify.translate import Translator, sort_of
from kernel_ext.verify.triggers import at_any_fuel, loop_free_triggers


class TermLogic:
    """Dafny's orders (`semantics.Order`) as terms: what a decreases check proves."""

    def key(self, value: t.Term, key: Key) -> t.Term:
        if key is Key.LENGTH:
            return enc.seq_len(value)
        return dt.rank(value) if key in (Key.RANK, Key.SEQ_RANK) else value

    def below(self, new: t.Term, old: t.Term, relation: Relation) -> t.Term:
        if relation is Relation.BOOL:
            return t.and_(t.not_(new), old)
        if relation is Relation.PROPER_SUBSET:
            return t.and_(enc.subset(new, old), t.app(t.Op.NE, new, old))
        if relation is Relation.PROPER_SUBMULTISET:
            return enc.multiset_op("<", new, old)
        if relation is Relation.REAL:
            return t.app(t.Op.LE, new, t.app(t.Op.SUB, old, t.RealVal(1)))
        return t.app(t.Op.LT, new, old)

    def at_least_zero(self, value: t.Term) -> t.Term:
        zero = t.RealVal(0) if t.sort_of(value) == t.REAL else t.IntVal(0)
        return t.app(t.Op.LE, zero, value)

    def equal(self, new: t.Term, old: t.Term) -> t.Term:
        return t.eq(new, old)

    def conj(self, items: Sequence[t.Term]) -> t.Term:
        return t.and_(*items)

    def disj(self, items: Sequence[t.Term]) -> t.Term:
        return t.or_(*items)

    def implies(self, premise: t.Term, conclusion: t.Term) -> t.Term:
        return t.implies(premise, conclusion)


TERMS = TermLogic()


@dataclass
class Termination:
    """The termination checks of one method's or function's code."""

    body: Body

    def measured(self, exprs: Sequence[ast.Expr], translate: Translator) -> list[Measured[t.Term]]:
        """Each component of a measure with the order its type is compared in."""
        return [(translate(expr), order_of(ast.type_of(expr), self.body.unit.datatypes)) for expr in exprs]

    def default_decreases(self, decl: ast.Method | ast.Function) -> list[Measured[t.Term]]:
        """The termination measure: the decreases clause, else the parameters (as Dafny)."""
        return self.measured(declaration_measure(decl), self.body.unit.translator_for(decl))

    def call_check(
        self, callee: ast.Method | ast.Function, mapping: dict[str, t.Term], call: ast.Call, path: t.Term
    ) -> Assert:
        """A call to a declaration of the caller's own recursion decreases the caller's measure."""
        new = [(t.substitute(term, mapping), order) for term, order in self.default_decreases(callee)]
        less = decreases(new, self.default_decreases(self.body.owner), TERMS, bounded=True)
        return self.body.check(
            t.implies(path, less), ObligationKind.TERMINATION, call.name_span, site=CheckSite(at=call.nid)
        )

    def loop_measure(self, loop: ast.While) -> list[Measured[t.Term]] | None:
        exprs = loop_measure(loop)
        return None if exprs is None else self.measured(exprs, self.body.translate)

    def loop_checks(
        self, loop: ast.While, while_at: Span, measure: list[Measured[t.Term]] | None, old: list[t.Var]
    ) -> list[Command]:
        """An iteration decreases the loop's measure (from its values `old` before the
        iteration), and the measure stays bounded below."""
        clause = loop.decreases.nid if loop.decreases is not None else None
        decrease, bounded = (CheckSite(clause, part, loop.nid) for part in (DECREASE_PART, BOUNDED_PART))
        if measure is None:
            return [
                self.body.check(
                    t.FALSE, ObligationKind.DECREASES, while_at, message=LOOP_NEEDS_DECREASES, site=decrease
                )
            ]
        guessed = loop.decreases is None
        related = () if guessed else (loop.decreases.span,)
        description = "" if guessed else self.body.source.text_of(loop.decreases.span)
        old_measure: list[Measured[t.Term]] = [
            (var, order) for var, (_, order) in zip(old, measure, strict=True)
        ]
        return [
            self.body.check(
                decreases(measure, old_measure, TERMS, bounded=False),
                ObligationKind.DECREASES,
                while_at,
                related,
                description,
                LOOP_NEEDS_DECREASES if guessed else "",
                decrease,
            ),
            self.body.check(
                bounded_below(measure, old_measure, TERMS),
                ObligationKind.DECREASES,
                while_at if guessed else loop.decreases.exprs[0].token,
                (),
                description,
                LOOP_NEEDS_DECREASES if guessed else BOUNDED_BELOW,
                bounded,
            ),
        ]

    def induction_hypothesis(self, lemma: ast.Method) -> list[Command]:
        """Dafny's automatic induction: a lemma may use itself for smaller values of its
        datatype, `nat` and `int` parameters that its postcondition passes to functions (the
        others unchanged), as if it had called itself there: smaller in the order of its
        termination measure, an int staying at least 0 (`0 <= n' < n`)."""
        if not lemma.is_lemma or lemma.returns or not lemma.ensures:
            return []
        ensures = [clause.expr for clause in lemma.ensures]
        variables = [
            param
            for param in lemma.params
            if self.inducts_on(ast.type_of(param)) and passed_to_call(param.name, ensures)
        ]
        if not variables:
            return []
        translate = self.body.translate
        smaller = {param.name: t.Var(f"{param.name}'", sort_of(ast.type_of(param))) for param in variables}
        requires = t.and_(*(t.substitute(translate(c.expr), smaller) for c in lemma.requires))
        conclusion = t.and_(*(t.substitute(translate(expr), smaller) for expr in ensures))
        measure = self.default_decreases(lemma)
        less = decreases(
            [(t.substitute(term, smaller), order) for term, order in measure],
            measure,
            TERMS,
            bounded=False,
            bounded_new=True,
        )
        groups = loop_free_triggers(conclusion, tuple(smaller.values()))
        if not groups:
            return []  # every trigger would instantiate itself without end
        body = t.implies(t.and_(less, requires), conclusion)
        fuel = t.Var("$ih.fuel", t.FUEL)
        # A pattern must mention every bound variable: with the fuel bound, only the triggers
        # that hold a function application can stay (those on destructors alone go).
        if triggers := at_any_fuel(groups, fuel):
            hypothesis = t.Forall((*smaller.values(), fuel), body, triggers)
        else:
            hypothesis = t.Forall(tuple(smaller.values()), body, groups)
        return [Assume(hypothesis, f"induction hypothesis: {lemma.name} for smaller arguments")]

    def inducts_on(self, ty: Type) -> bool:
        """A datatype value, or an integer (`nat`, `int`): the parameters Dafny inducts on."""
        order = order_of(ty, self.body.unit.datatypes)
        return order == RANK_ORDER or (order == INT_ORDER and sort_of(ty) == t.INT)


def passed_to_call(name: str, exprs: list[ast.Expr]) -> bool:
    """Whether the variable occurs in an argument of a function call in the expressions."""
    return any(
        isinstance(node, ast.Call)
        and any(
            isinstance(inner, ast.Name) and inner.name == name
            for arg in node.args
            for inner in ast.walk_expr(arg)
        )
        for expr in exprs
        for node in ast.walk_expr(expr)
    )
