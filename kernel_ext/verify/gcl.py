"""Guarded commands: the tiny language that the lowering produces and the VC generator reads."""

from __future__ import annotations

from dataclasses import dataclass

from kernel_ext.lang.source import Span
from kernel_ext.lang.syntax import NodeId
from kernel_ext.obligations import Obligation
from kernel_ext.results import MarkKind
from kernel_ext.verify import terms as t
from kernel_ext.verify.terms import Term, Var


class Command:
    __slots__ = ()


@dataclass(frozen=True)
class Assume(Command):
    """`origin` says where the assumption comes from, for the VC view ("requires, line 2");
    empty for the encoding's own facts."""

    condition: Term
    origin: str = ""


@dataclass(frozen=True)
class Assert(Command):
    condition: Term
    obligation: Obligation


@dataclass(frozen=True)
class Assign(Command):
    target: Var
    value: Term


@dataclass(frozen=True)
class Havoc(Command):
    targets: tuple[Var, ...]


@dataclass(frozen=True)
class Seq(Command):
    commands: tuple[Command, ...]


@dataclass(frozen=True)
class Choice(Command):
    branches: tuple[Command, ...]


@dataclass(frozen=True)
class Mark(Command):
    """A program point a trace can show: the statement at `span`, after it ran; `node`, the
    loop of a loop's mark."""

    span: Span
    text: str
    kind: MarkKind = MarkKind.STEP
    node: NodeId | None = None


@dataclass(frozen=True)
class Procedure:
    """One unit of checking: a method body, a specification's well-formedness, a function."""

    name: str
    owner: str
    body: Command
    excluded_axioms: frozenset[str] = frozenset()


def seq(*commands: Command) -> Command:
    flat: list[Command] = []
    for command in commands:
        if isinstance(command, Seq):
            flat.extend(command.commands)
        else:
            flat.append(command)
    return flat[0] if len(flat) == 1 else Seq(tuple(flat))


@dataclass(frozen=True)
class FunctionAxiom:
    """An axiom about one uninterpreted symbol; `role` is 'def', 'layer', 'post' or 'theory'."""

    function: str
    role: str
    formula: t.Term

    @property
    def key(self) -> str:
        return f"{self.role}:{self.function}"
