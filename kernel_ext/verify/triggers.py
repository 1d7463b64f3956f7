"""The triggers of the quantifiers the lowering makes: chosen as for a `forall` expression
(`translate.choose_triggers`), and, for an induction hypothesis, without those that would
instantiate the hypothesis without end, and at any fuel."""

from __future__ import annotations

import dataclasses

from kernel_ext.verify import terms as t
from kernel_ext.verify.translate import choose_triggers

Triggers = tuple[tuple[t.Term, ...], ...]


def quantified(bound: tuple[t.Var, ...], body: t.Term) -> t.Forall:
    """`forall bound :: body`, with the triggers chosen as for a `forall` expression."""
    return t.Forall(bound, body, choose_triggers(body, bound))


def loop_free_triggers(body: t.Term, bound: tuple[t.Var, ...]) -> Triggers:
    """The chosen triggers of `forall bound :: body`, but for those that match a term of the
    body's own instances (see `matching_loop`)."""
    names = frozenset(var.name for var in bound)
    return tuple(
        group
        for group in choose_triggers(body, bound)
        if not any(matching_loop(term, body, names) for term in group)
    )


def at_any_fuel(groups: Triggers, fuel: t.Var) -> Triggers:
    """The groups that hold a function application, matching it at any fuel layer."""
    return tuple(tuple(any_fuel(term, fuel) for term in group) for group in groups if has_fuel(group))


def has_fuel(group: tuple[t.Term, ...]) -> bool:
    return any(isinstance(term, t.FunApp) and term.fuel is not None for term in group)


def any_fuel(trigger: t.Term, fuel: t.Var) -> t.Term:
    """A trigger that matches a function application at any fuel layer: the calls that the
    proof unfolds have less fuel than the program's own."""
    if isinstance(trigger, t.FunApp) and trigger.fuel is not None:
        return dataclasses.replace(trigger, fuel=fuel)
    return trigger


def matching_loop(trigger: t.Term, body: t.Term, names: frozenset[str]) -> bool:
    """Whether an instance of the body holds a term that the trigger matches with other values
    of the bound variables, so that instances would beget instances (`Elems(t')` in a body
    about `Elems(Insert(t', x))`)."""
    for term in subterms(body):
        binding: dict[str, t.Term] = {}
        if matches(trigger, term, names, binding) and any(
            not (isinstance(value, t.Var) and value.name == name) for name, value in binding.items()
        ):
            return True
    return False


def matches(pattern: t.Term, term: t.Term, names: frozenset[str], binding: dict[str, t.Term]) -> bool:
    if isinstance(pattern, t.Var) and pattern.name in names:
        return binding.setdefault(pattern.name, term) == term
    if isinstance(pattern, t.FunApp):
        return (
            isinstance(term, t.FunApp)
            and term.name == pattern.name
            and len(term.args) == len(pattern.args)
            and all(matches(p, a, names, binding) for p, a in zip(pattern.args, term.args, strict=True))
        )
    if isinstance(pattern, t.App):
        return (
            isinstance(term, t.App)
            and term.op == pattern.op
            and all(matches(p, a, names, binding) for p, a in zip(pattern.args, term.args, strict=False))
        )
    return pattern == term


def subterms(term: t.Term) -> list[t.Term]:
    found = [term]
    for child in t.children(term):
        found.extend(subterms(child))
    return found
