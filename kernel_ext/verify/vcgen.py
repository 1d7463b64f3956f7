"""Passify and generate VCs: procedures -> self-contained proof tasks, linear in size.

One forward pass turns the guarded commands into single-assignment form. Every
assignment defines a fresh constant, and every program point has a reachability
constant defined from its predecessors (Flanagan & Saxe; Barnett & Leino), so no
formula is ever copied along a path: the VC grows linearly with the program.
Each assertion becomes a task: the definitions it depends on, the reachability of
its program point (which includes the checks before it) and its goal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from kernel_ext.lang.source import Span
from kernel_ext.lang.syntax import NodeId
from kernel_ext.obligations import Obligation, ObligationKind
from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import (
    Assert,
    Assign,
    Assume,
    Choice,
    Command,
    FunctionAxiom,
    Havoc,
    Mark,
    MarkKind,
    Procedure,
    Seq,
)
from kernel_ext.verify.lower import LoweredProgram

REACH = t.Var.of(t.Symbol(t.Role.REACH, "$reach", "reach"), t.BOOL)


@dataclass(frozen=True)
class ProgramPoint:
    """A statement on some path (see `Mark`), with the reachability constant and the
    variables' SSA names there."""

    span: Span
    kind: MarkKind
    text: str
    reach: t.Term
    names: tuple[tuple[str, t.Var], ...]


@dataclass(frozen=True)
class Fact:
    """One line of a sequent: what is known on the path to an obligation."""


@dataclass(frozen=True)
class Hypothesis(Fact):
    origin: str
    term: t.Term


@dataclass(frozen=True)
class Definition(Fact):
    var: t.Var
    value: t.Term


@dataclass(frozen=True)
class Fresh(Fact):
    """Variables that take any value here (a loop head, a call's results)."""

    variables: tuple[t.Var, ...]


@dataclass(frozen=True)
class Checked(Fact):
    """An earlier obligation on the path: checked on its own, then known."""

    obligation: Obligation
    term: t.Term


@dataclass(frozen=True)
class At(Fact):
    """The statement that the facts since the previous `At` come from."""

    span: Span
    text: str
    kind: MarkKind
    node: NodeId | None = None  # the loop of a loop's mark


@dataclass(frozen=True)
class Either(Fact):
    """Paths that joined: one of the alternatives holds."""

    alternatives: tuple[tuple[Fact, ...], ...]


@dataclass(frozen=True)
class Sequent:
    """The VC of one obligation as a reader sees it: the facts along the paths to it, in
    program order, and the goal, all over SSA names (`x@2`: the second value of x)."""

    facts: tuple[Fact, ...]
    goal: t.Term

    @property
    def hypothesis(self) -> t.Term:
        """The facts as one formula: with the axioms, it proves the goal iff the task does."""
        return _conjunction(self.facts)


def _conjunction(facts: tuple[Fact, ...]) -> t.Term:
    parts: list[t.Term] = []
    for fact in facts:
        if isinstance(fact, Hypothesis | Checked):
            parts.append(fact.term)
        elif isinstance(fact, Definition):
            parts.append(t.eq(fact.var, fact.value))
        elif isinstance(fact, Either):
            parts.append(t.or_(*(_conjunction(alternative) for alternative in fact.alternatives)))
    return t.and_(*parts)


@dataclass(frozen=True)
class _FactNode:
    """A persistent list of facts (newest first), shared between paths."""

    fact: Fact
    before: _FactNode | None


def _facts_since(node: _FactNode | None, start: _FactNode | None) -> tuple[Fact, ...]:
    facts: list[Fact] = []
    while node is not start and node is not None:
        facts.append(node.fact)
        node = node.before
    return tuple(reversed(facts))


@dataclass(frozen=True)
class ProofTask:
    """One obligation with everything needed to check it, and nothing else."""

    obligation: Obligation
    procedure: str
    axioms: tuple[t.Term, ...]
    definitions: tuple[tuple[t.Var, t.Term], ...]
    hypothesis: t.Term
    goal: t.Term
    points: tuple[ProgramPoint, ...] = field(default=(), compare=False)
    sequent: Sequent | None = field(default=None, compare=False)
    # The definitions the proof does not need of the variables at the points (`s@1 := 0` when
    # the goal does not mention it): the counterexample shows what the program fixed there.
    unneeded: tuple[tuple[t.Var, t.Term], ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """A content hash: equal tasks are the same check, whatever program they came from."""
        text = repr((self.axioms, self.definitions, self.hypothesis, self.goal))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def size(self) -> int:
        return len(self.definitions) + len(self.axioms)


def generate(lowered: LoweredProgram, *, independent_postconditions: bool = False) -> list[ProofTask]:
    """One task per obligation. As in Dafny, a check is assumed after it is made, so later
    checks may use it; `independent_postconditions` (for grading) checks each part of a
    postcondition without assuming the parts checked before it."""
    tasks: list[ProofTask] = []
    for procedure in lowered.procedures:
        tasks.extend(_Passifier(procedure, lowered.axioms, independent_postconditions).run())
    return tasks


@dataclass
class _State:
    reach: t.Term
    env: dict[str, t.Var]
    facts: _FactNode | None = None

    def knowing(self, fact: Fact) -> _FactNode:
        return _FactNode(fact, self.facts)


class _Passifier:
    def __init__(self, procedure: Procedure, axioms: tuple[FunctionAxiom, ...], independent: bool = False):
        self.procedure = procedure
        self.independent = independent
        self.axioms = [axiom for axiom in axioms if axiom.key not in procedure.excluded_axioms]
        self.definitions: dict[str, tuple[t.Var, t.Term]] = {}
        self.pending: list[tuple[Obligation, t.Term, t.Term, _FactNode | None]] = []
        self.points: list[ProgramPoint] = []
        self.versions: dict[str, int] = {}
        self.constants: dict[str, t.Var] = {}  # each free name's constant, as the terms have it

    # ---- fresh names and definitions

    def fresh(self, var: t.Var) -> t.Var:
        version = self.versions.get(var.name, 0) + 1
        self.versions[var.name] = version
        return var.at(version)

    def initial(self, var: t.Var) -> t.Var:
        return var.at(0)

    def define(self, var: t.Var, value: t.Term) -> None:
        self.definitions[var.name] = (var, value)

    def new_reach(self, value: t.Term) -> t.Term:
        if isinstance(value, t.BoolVal | t.Var):
            return value
        reach = self.fresh(REACH)
        self.define(reach, value)
        return reach

    def current(self, term: t.Term, state: _State) -> t.Term:
        mapping: dict[str, t.Term] = {}
        for name in term.free_names:
            version = state.env.get(name)
            if version is not None:
                mapping[name] = version
                continue
            var = self.constants.get(name) or self.constants.setdefault(name, _var_in(term, name))
            if var.symbol.is_state:
                mapping[name] = self.initial(var)
        return t.substitute(term, mapping)

    # ---- the pass

    def run(self) -> list[ProofTask]:
        self.execute(self.procedure.body, _State(t.TRUE, {}))
        return [self.task(*pending) for pending in self.pending]

    def execute(self, command: Command, state: _State) -> _State:
        if isinstance(command, Seq):
            for child in command.commands:
                state = self.execute(child, state)
            return state
        if isinstance(command, Assume):
            condition = self.current(command.condition, state)
            facts = (
                state.knowing(Hypothesis(command.origin, condition)) if condition != t.TRUE else state.facts
            )
            return _State(self.new_reach(t.and_(state.reach, condition)), state.env, facts)
        if isinstance(command, Assert):
            goal = self.current(command.condition, state)
            if state.reach != t.FALSE:
                self.pending.append((command.obligation, state.reach, goal, state.facts))
            if self.independent and command.obligation.kind == ObligationKind.POSTCONDITION:
                return state
            facts = state.knowing(Checked(command.obligation, goal))
            return _State(self.new_reach(t.and_(state.reach, goal)), state.env, facts)
        if isinstance(command, Assign):
            value = self.current(command.value, state)
            target = self.fresh(command.target)
            self.define(target, value)
            env = {**state.env, command.target.name: target}
            return _State(state.reach, env, state.knowing(Definition(target, value)))
        if isinstance(command, Havoc):
            env = dict(state.env)
            for var in command.targets:
                env[var.name] = self.fresh(var)
            fresh = Fresh(tuple(env[var.name] for var in command.targets))
            return _State(state.reach, env, state.knowing(fresh))
        if isinstance(command, Choice):
            branches = [self.execute(branch, state) for branch in command.branches]
            guard = _exclusive_guard(command)
            return self.join(branches, state, None if guard is None else self.current(guard, state))
        if isinstance(command, Mark):
            names = tuple(sorted(state.env.items()))
            self.points.append(ProgramPoint(command.span, command.kind, command.text, state.reach, names))
            return _State(
                state.reach,
                state.env,
                state.knowing(At(command.span, command.text, command.kind, command.node)),
            )
        raise TypeError(f"unknown command {command!r}")

    def join(self, branches: list[_State], before: _State, guard: t.Term | None = None) -> _State:
        """The state after a choice. In general the reach says which branch was taken with
        which values. When the branches are an `if`'s two (`guard` holds on the first, fails
        on the second: they exclude each other), each merged variable is defined as
        `guard ? then-value : else-value` instead: the same executions, but the solver reads
        the value without splitting cases, which keeps a chain of `if`s linear."""
        live = [branch for branch in branches if branch.reach != t.FALSE]
        if not live:
            return _State(t.FALSE, before.env, before.facts)
        if len(live) == 1:
            return live[0]
        if guard is not None and len(branches) == 2:
            return self.join_exclusive(branches[0], branches[1], before, guard)
        names = set().union(*(branch.env.keys() for branch in live))
        env: dict[str, t.Var] = {}
        equalities: list[list[t.Term]] = [[] for _ in live]
        for name in sorted(names):
            versions = [branch.env.get(name) for branch in live]
            if all(version == versions[0] for version in versions):
                env[name] = versions[0]  # type: ignore[assignment]
                continue
            var = next(version for version in versions if version is not None).unversioned()
            merged = self.fresh(var)
            env[name] = merged
            for index, version in enumerate(versions):
                equalities[index].append(t.eq(merged, version or self.initial(var)))
        reach = t.or_(*(t.and_(branch.reach, *eqs) for branch, eqs in zip(live, equalities, strict=True)))
        alternatives = tuple(
            _facts_since(branch.facts, before.facts) + tuple(Hypothesis("", eq) for eq in eqs)
            for branch, eqs in zip(live, equalities, strict=True)
        )
        return _State(self.new_reach(reach), env, before.knowing(Either(alternatives)))

    def join_exclusive(self, then: _State, else_: _State, before: _State, guard: t.Term) -> _State:
        env: dict[str, t.Var] = {}
        then_eqs: list[t.Term] = []
        else_eqs: list[t.Term] = []
        for name in sorted(set(then.env) | set(else_.env)):
            then_version, else_version = then.env.get(name), else_.env.get(name)
            if then_version == else_version:
                env[name] = then_version  # type: ignore[assignment]
                continue
            var = (then_version or else_version).unversioned()  # type: ignore[union-attr]
            then_value, else_value = then_version or self.initial(var), else_version or self.initial(var)
            merged = self.fresh(var)
            self.define(merged, t.ite(guard, then_value, else_value))
            env[name] = merged
            then_eqs.append(t.eq(merged, then_value))
            else_eqs.append(t.eq(merged, else_value))
        alternatives = (
            _facts_since(then.facts, before.facts) + tuple(Hypothesis("", eq) for eq in then_eqs),
            _facts_since(else_.facts, before.facts) + tuple(Hypothesis("", eq) for eq in else_eqs),
        )
        return _State(
            self.joined_reach(then, else_, before, guard), env, before.knowing(Either(alternatives))
        )

    def joined_reach(self, then: _State, else_: _State, before: _State, guard: t.Term) -> t.Term:
        """Reached after either branch; just `before`'s reach when neither branch added a
        condition beyond its guard (nothing for the solver to split on)."""
        if self.defined_as(then.reach, t.and_(before.reach, guard)) and self.defined_as(
            else_.reach, t.and_(before.reach, t.not_(guard))
        ):
            return before.reach
        return self.new_reach(t.or_(then.reach, else_.reach))

    def defined_as(self, reach: t.Term, value: t.Term) -> bool:
        if reach == value:
            return True
        return isinstance(reach, t.Var) and self.definitions.get(reach.name, (None, None))[1] == value

    # ---- tasks

    def task(self, obligation: Obligation, reach: t.Term, goal: t.Term, facts: _FactNode | None) -> ProofTask:
        needed: list[str] = []
        seen: set[str] = set()
        work = list(reach.free_names | goal.free_names)
        while work:
            name = work.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.definitions:
                needed.append(name)
                work.extend(self.definitions[name][1].free_names)
        order = {name: index for index, name in enumerate(self.definitions)}
        definitions = tuple(self.definitions[name] for name in sorted(needed, key=order.__getitem__))
        functions = set(t.function_names(goal))
        for _, value in definitions:
            functions |= t.function_names(value)
        axioms = self.axioms_for(functions)
        defined = {var.name for var, _ in definitions}
        # A reach is a constant the task defines, or a boolean input (`if c` reaches by `c`).
        known = defined | reach.free_names | goal.free_names
        for _, value in definitions:
            known |= value.free_names
        branches = self.branch_reaches(known)
        points = tuple(
            point
            if point.reach == t.TRUE or point.reach.name in known
            else replace(point, reach=branches[point.reach.name])
            for point in self.points
            if point.reach == t.TRUE
            or (
                isinstance(point.reach, t.Var) and (point.reach.name in known or point.reach.name in branches)
            )
        )
        sequent = Sequent(_facts_since(facts, None), goal)
        unneeded = self.unneeded_definitions(points, defined)
        return ProofTask(
            obligation, self.procedure.name, axioms, definitions, reach, goal, points, sequent, unneeded
        )

    def branch_reaches(self, known: set[str]) -> dict[str, t.Term]:
        """The reach constants the proof did not need, each written out over what the task
        knows: which branch a counterexample took, read from its model, even when code after
        an `if` joined the branches. The solver never sees them, so no verdict changes."""
        candidates = [
            name
            for name, (var, _) in self.definitions.items()
            if var.symbol.role == t.Role.REACH and name not in known
        ]
        expanded: dict[str, t.Term] = {}
        grew = True
        while grew:
            grew = False
            for name in candidates:
                value = self.definitions[name][1]
                if name not in expanded and value.free_names <= known | expanded.keys():
                    expanded[name] = t.substitute(value, expanded)
                    grew = True
        return expanded

    def unneeded_definitions(
        self, points: tuple[ProgramPoint, ...], defined: set[str]
    ) -> tuple[tuple[t.Var, t.Term], ...]:
        """The definitions left out of a task of the variables its points name, and of what
        those refer to (the solver never sees them)."""
        work = [var.name for point in points for _, var in point.names]
        found: dict[str, tuple[t.Var, t.Term]] = {}
        while work:
            name = work.pop()
            if name in defined or name in found or name not in self.definitions:
                continue
            found[name] = self.definitions[name]
            work.extend(self.definitions[name][1].free_names)
        return tuple(found.values())

    def axioms_for(self, functions: set[str]) -> tuple[t.Term, ...]:
        chosen: list[t.Term] = []
        done: set[str] = set()
        work = sorted(functions)
        while work:
            name = work.pop()
            if name in done:
                continue
            done.add(name)
            for axiom in self.axioms:
                if axiom.function == name:
                    chosen.append(axiom.formula)
                    work.extend(sorted(t.function_names(axiom.formula) - done))
        return tuple(chosen)


def _exclusive_guard(choice: Choice) -> t.Term | None:
    """`c` when the choice is an `if`'s: two branches that start by assuming `c` and `!c`."""
    if len(choice.branches) != 2:
        return None
    first, second = (_first_assumption(branch) for branch in choice.branches)
    if first is None or second is None:
        return None
    return first if second == t.not_(first) or first == t.not_(second) else None


def _first_assumption(command: Command) -> t.Term | None:
    while isinstance(command, Seq) and command.commands:
        command = command.commands[0]
    return command.condition if isinstance(command, Assume) else None


def _var_in(term: t.Term, name: str) -> t.Var:
    if isinstance(term, t.Var):
        return term
    for child in t.children(term):
        if name in child.free_names:
            return _var_in(child, name)
    raise KeyError(name)
