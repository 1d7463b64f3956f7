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
from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body, Unit, datatype_shapes, origin, param_var
from kernel_ext.verify.gcl import Assume, Command, FunctionAxiom, Procedure, seq
from kernel_ext.verify.termination import Termination
from kernel_ext.verify.translate import (
    PROGRAM_FUEL,
    Translator,
    array_params,
    contents_constraint,
    has_literal_axioms,
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
        axioms += literal_axioms(unit, function, inner)
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


def literal_axioms(unit: Unit, function: ast.Function, inner: Translator) -> list[FunctionAxiom]:
    """The definition again for literal arguments, at any fuel (see `literals`): recursive
    calls in it are at the same fuel, so the evaluation of `Fact(5)` runs to the end. A
    datatype parameter is taken apart by constructor, one axiom per choice of the parameters'
    constructors, each triggered by literal applications of those constructors: so every
    unfolding takes a literal apart, and the destructors of a constructor that the value
    does not have (`Leaf.left`) never unfold further. Not when every parameter is a
    constructor without arguments (`F(Nil)`): that trigger would match every value equal to
    `Nil`, and the ordinary definition unfolds it anyway."""
    if not has_literal_axioms(function) or not function.params:
        return []
    choices = [literal_choices(unit, param) for param in function.params]
    if any(choice is None for choice in choices):
        return []
    present = [choice for choice in choices if choice is not None]
    if math.prod(len(choice) for choice in present) > MAX_LITERAL_AXIOMS:
        return []
    return [
        literal_axiom(unit, function, inner, chosen)
        for chosen in itertools.product(*present)
        if any(bound for bound, _ in chosen)
    ]


LiteralChoice = tuple[tuple[t.Var, ...], t.Term]  # the bound variables, and the marked argument


def literal_choices(unit: Unit, param: ast.Param) -> list[LiteralChoice] | None:
    """The literal arguments a parameter's axioms take: of a datatype, one per constructor
    (`$lit(Cons(x, xs))`); of a number, truth value or sequence, any marked value; else none."""
    ty = ast.type_of(param)
    sort = sort_of(ty)
    if ty.name in unit.datatypes:
        found: list[LiteralChoice] = []
        for shape in datatype_shapes(unit.datatypes[ty.name], ty):
            args = tuple(t.Var(f"{param.name}.{i}", s) for i, (_, s) in enumerate(shape.fields))
            found.append((args, dt.literal(dt.construct(sort, shape.name, args))))
        return found
    if sort in (t.INT, t.BOOL) or sort.name == "Seq":
        value = t.Var(f"{param.name}.lit", sort)
        return [((value,), lit.mark(value))]
    return None


def literal_axiom(
    unit: Unit, function: ast.Function, inner: Translator, chosen: tuple[LiteralChoice, ...]
) -> FunctionAxiom:
    """The definition for the chosen literal arguments, one per parameter."""
    assert function.body is not None
    layer = t.Var("$ly", t.FUEL)
    sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
    bound = (layer, *(var for variables, _ in chosen for var in variables))
    marked = {param.name: argument for param, (_, argument) in zip(function.params, chosen, strict=True)}
    at_literal = t.FunApp(function.name, layer, tuple(marked.values()), sort)
    given = inner.binding(marked)
    values = {name: lit.unmark(argument) for name, argument in marked.items()}
    params = [param_var(p) for p in function.params]
    guard = t.and_(
        *(t.substitute(fact, values) for fact in param_constraints(unit, function, params, {})),
        *(given(clause.expr) for clause in function.requires),
    )
    definition = t.implies(guard, t.eq(at_literal, given(function.body)))
    return FunctionAxiom(function.name, "literal", t.Forall(bound, definition, ((at_literal,),)))


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
