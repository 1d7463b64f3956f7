"""A declared subset type's checks: its constraint is well-formed for every value of the parent
type, and its witness (or, without one, the parent's default value 0) satisfies it."""

from __future__ import annotations

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.syntax import IntLit
from kernel_ext.obligations import NO_WITNESS, ObligationKind
from kernel_ext.verify.context import Body, Unit, param_var
from kernel_ext.verify.functions import param_constraints
from kernel_ext.verify.gcl import Assume, Command, Procedure, seq
from kernel_ext.verify.termination import Termination
from kernel_ext.verify.translate import value_constraint
from kernel_ext.verify.wellformed import WellFormedness

DEFAULT_WITNESS = 0  # what Dafny tries when no witness is given (the parent is int-based)


def subset_type_procedure(unit: Unit, decl: ast.SubsetType) -> Procedure:
    predicate = decl.predicate
    assert predicate is not None and predicate.body is not None
    body = Body(unit, predicate)
    wellformed = WellFormedness(body, Termination(body))
    params = [param_var(p) for p in predicate.params]
    commands: list[Command] = [Assume(fact) for fact in param_constraints(unit, predicate, params, {})]
    commands += wellformed.checks(predicate.body)
    commands += witness_checks(decl, body, wellformed)
    return Procedure(f"type {decl.name}", decl.name, seq(*commands))


def witness_checks(decl: ast.SubsetType, body: Body, wellformed: WellFormedness) -> list[Command]:
    """The witness defined and of the type; without one, Dafny's try of 0."""
    if decl.witness is None:
        zero = IntLit(span=decl.name_span, value=DEFAULT_WITNESS, ty=decl.ty)
        condition = value_constraint(body.translate(zero), decl.ty, body.unit.subsets)
        message = NO_WITNESS.format(default=DEFAULT_WITNESS)
        return [body.check(condition, ObligationKind.WITNESS, decl.name_span, message=message)]
    commands = wellformed.checks(decl.witness)
    condition = value_constraint(body.translate(decl.witness), decl.ty, body.unit.subsets)
    commands.append(body.check(condition, ObligationKind.WITNESS, decl.witness.span))
    return commands
