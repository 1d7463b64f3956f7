"""Functions: the axioms that define them, with fuel as Dafny's, so that a recursive
definition unfolds a bounded number of times (and again for literal arguments, at any fuel),
and the procedure that checks a function's body and `ensures`."""

from __future__ import annotations

import dataclasses
import itertools
import math

from kernel_ext.lang import syntax as ast
from kernel_ext.obligations import ObligationKind, clause_parts
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body, Unit, datatype_shapes, origin, param_var
from kernel_ext.verify.gcl import Assume, Command, FunctionAxiom, Procedure, seq
from kernel_ext.verify.termination import Termination
from kernel_ext.verify.translate import (
    PROGRAM_FUEL,
    Translator,
    array_params,
    contents_constraint,
    reads_contents,
    sort_of,
    value_constraint,
)
from kernel_ext.verify.wellformed import WellFormedness

MAX_LITERAL_AXIOMS = 16  # per function: one per combination of its parameters' constructors


def function_axioms(unit: Unit, function: ast.Function) -> list[FunctionAxiom]:
    """`F(succ(ly), x) == F(ly, x)`; where the precondition holds, `F(succ(ly), x)` is the
    body with its recursive calls at `ly`; and what `F(ly, x)` satisfies: its result type's
    constraint and its `ensures`."""
    contents = reads_contents(function)
    params = [param_var(p) for p in function.params]
    arguments = (*params, *contents.values())
    layer = t.Var("$ly", t.FUEL)
    sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
    at_succ = t.FunApp(function.name, t.app(t.Op.FUEL_SUCC, layer), arguments, sort)
    at_layer = t.FunApp(function.name, layer, arguments, sort)
    bound = (layer, *arguments)
    same_scc = {name: layer for name in unit.components[function.name] if name in unit.functions}
    inner = Translator(unit.functions, same_scc, in_function=True, contents_of=contents, subsets=unit.subsets)
    guard = t.and_(
        *param_constraints(unit, function, params, contents),
        *(inner(clause.expr) for clause in function.requires),
    )
    axioms = [FunctionAxiom(function.name, "layer", t.Forall(bound, t.eq(at_succ, at_layer), ((at_succ,),)))]
    if function.body is not None:
        definition = t.implies(guard, t.eq(at_succ, inner(function.body)))
        axioms.append(FunctionAxiom(function.name, "def", t.Forall(bound, definition, ((at_succ,),))))
        axioms += literal_axioms(unit, function, inner, guard)
    self_at_layer = dataclasses.replace(inner, fuel_of={**same_scc, function.name: layer})
    facts = [value_constraint(at_layer, function.result_ty, unit.subsets)]
    facts += [self_at_layer(clause.expr) for clause in function.ensures]
    post = t.and_(*facts)
    if post != t.TRUE:
        axioms.append(
            FunctionAxiom(function.name, "post", t.Forall(bound, t.implies(guard, post), ((at_layer,),)))
        )
    return axioms


def param_constraints(
    unit: Unit, function: ast.Function, params: list[t.Var], contents: dict[str, t.Var]
) -> list[t.Term]:
    """What a function may assume of its arguments: their types' constraints, and those of
    the elements of its array parameters (passed as contents)."""
    facts = [
        value_constraint(p, ast.type_of(param), unit.subsets)
        for p, param in zip(params, function.params, strict=True)
    ]
    for index, param in array_params(function):
        content = contents[param.name]
        facts.append(
            contents_constraint(content, enc.length(params[index]), ast.type_of(param).element, unit.subsets)
        )
    return facts


def literal_axioms(
    unit: Unit, function: ast.Function, inner: Translator, guard: t.Term
) -> list[FunctionAxiom]:
    """The definition again for literal arguments, at any fuel (see `datatypes.literal`): only
    for functions whose parameters are all datatype values, one axiom per choice of their
    constructors, each triggered by literal applications of those constructors. So every
    unfolding takes a literal apart, and the destructors of a constructor that the value
    does not have (`Leaf.left`) never unfold further. Not when every constructor chosen is
    a constant (`F(Nil)`): that trigger would match every value equal to `Nil`, and the
    ordinary definition unfolds it anyway."""
    if function.reads or not function.params or function.body is None:
        return []
    types = [ast.type_of(param) for param in function.params]
    if not all(ty is not None and ty.name in unit.datatypes for ty in types):
        return []
    choices = [datatype_shapes(unit.datatypes[ty.name], ty) for ty in types if ty is not None]
    if math.prod(len(shapes) for shapes in choices) > MAX_LITERAL_AXIOMS:
        return []
    return [
        literal_axiom(function, inner, guard, chosen)
        for chosen in itertools.product(*choices)
        if any(shape.fields for shape in chosen)
    ]


def literal_axiom(
    function: ast.Function, inner: Translator, guard: t.Term, chosen: tuple[dt.CtorShape, ...]
) -> FunctionAxiom:
    """The definition for arguments built by the chosen constructors, one per parameter."""
    assert function.body is not None
    layer = t.Var("$ly", t.FUEL)
    sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
    bound: list[t.Var] = [layer]
    marked: dict[str, t.Term] = {}
    for param, shape in zip(function.params, chosen, strict=True):
        args = tuple(t.Var(f"{param.name}.{i}", field_sort) for i, (_, field_sort) in enumerate(shape.fields))
        bound += args
        marked[param.name] = dt.literal(dt.construct(sort_of(ast.type_of(param)), shape.name, args))
    at_literal = t.FunApp(function.name, layer, tuple(marked.values()), sort)
    body = inner.binding(marked)(function.body)
    definition = t.implies(t.substitute(guard, marked), t.eq(at_literal, body))
    return FunctionAxiom(function.name, "literal", t.Forall(tuple(bound), definition, ((at_literal,),)))


def function_procedure(unit: Unit, function: ast.Function) -> Procedure:
    """The checks of a function: its specification and body well-formed, the body's value of
    the result type, and the `ensures` of that value."""
    body = Body(unit, function)
    wellformed = WellFormedness(body, Termination(body))
    params = [param_var(p) for p in function.params]
    facts = param_constraints(unit, function, params, reads_contents(function))
    commands: list[Command] = [seq(*(Assume(fact) for fact in facts))]
    for clause in function.requires:
        commands += wellformed.checks(clause.expr)
        commands.append(Assume(body.translate(clause.expr), origin("requires", clause)))
    for item in function.reads:
        commands += wellformed.checks(item)
    if function.body is not None:
        commands += definition_checks(function, function.body, body, wellformed)
    wellformed.in_own_ensures = True
    for clause in function.ensures:
        commands += wellformed.checks(clause.expr)
        for site, part in clause_parts((clause,)):
            condition = body.translate(part)
            commands.append(
                body.clause_check(condition, ObligationKind.POSTCONDITION, function.name_span, part, site)
            )
    excluded = frozenset(f"post:{name}" for name in unit.components[function.name])
    return Procedure(f"{function.kind_word} {function.name}", function.name, seq(*commands), excluded)


def definition_checks(
    function: ast.Function, definition: ast.Expr, body: Body, wellformed: WellFormedness
) -> list[Command]:
    """The body well-formed and of the result type; then the function's value is the body's."""
    commands = wellformed.checks(definition)
    result = body.translate(definition)
    commands += body.subset_checks_of(definition, body.translate, function.result_ty)
    arguments = (*(param_var(p) for p in function.params), *reads_contents(function).values())
    call = t.FunApp(function.name, PROGRAM_FUEL, arguments, t.sort_of(result))
    commands.append(Assume(t.eq(call, result)))
    return commands
