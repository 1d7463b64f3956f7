"""CheckedProgram -> guarded-command procedures, one per thing to check, and axioms.

The driver: the theories of the collections the program uses, the axioms of its datatypes,
and, per declaration, what its module lowers. `methods.py` lowers a method's specification
and body statement by statement, `functions.py` a function's axioms and checks;
`wellformed.py` makes the checks that an expression is defined, `termination.py` those
that recursion and loops terminate, and `triggers.py` chooses quantifier triggers; all of
them share `context.py`. Expressions are translated by `translate.py`; arrays, sequences
and multisets are encoded as `encoding.py` says.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from kernel_ext.lang import callgraph
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.source import SourceFile
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import Type
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body, Unit, datatype_shapes
from kernel_ext.verify.functions import function_axioms, function_procedure
from kernel_ext.verify.gcl import FunctionAxiom, Procedure
from kernel_ext.verify.instantiate import instantiate
from kernel_ext.verify.methods import MethodLowering
from kernel_ext.verify.subset_types import subset_type_procedure
from kernel_ext.verify.translate import is_name, satisfies, sort_of, value_constraint

ELEMENT_SORTS = (t.INT, t.BOOL)


@dataclass(frozen=True)
class LoweredProgram:
    procedures: tuple[Procedure, ...]
    axioms: tuple[FunctionAxiom, ...]


def lower(checked: CheckedProgram, source: SourceFile) -> LoweredProgram:
    program, instances = instantiate(checked.program)
    components = callgraph.components(program) if instances else checked.components
    unit = Unit(program, source, components, element_sorts(program))
    procedures: list[Procedure] = []
    axioms: list[FunctionAxiom] = enc.theory_axioms(unit.element_sorts)
    axioms += datatype_axioms(program)
    for decl in program.decls:
        if isinstance(decl, ast.Method) and decl.name not in instances:
            procedures.extend(method_procedures(unit, decl))
        elif isinstance(decl, ast.Function):
            axioms.extend(function_axioms(unit, decl))
            if decl.name not in instances:
                procedures.append(function_procedure(unit, decl))
        elif isinstance(decl, ast.SubsetType) and decl.predicate is not None:
            axioms.extend(function_axioms(unit, decl.predicate))
            procedures.append(subset_type_procedure(unit, decl))
    return LoweredProgram(tuple(procedures), tuple(axioms))


def method_procedures(unit: Unit, method: ast.Method) -> list[Procedure]:
    """The well-formedness of the method's specification, and, if it has one, its body."""
    name = f"{method.kind_word} {method.name}"
    specification = MethodLowering(Body(unit, method, specification=True)).specification()
    procedures = [Procedure(f"{name} (specification)", method.name, specification)]
    if method.body is not None:
        procedures.append(Procedure(name, method.name, MethodLowering(Body(unit, method)).implementation()))
    return procedures


def element_sorts(program: ast.Program) -> tuple[t.Sort, ...]:
    """The sorts of the elements of every collection type the program mentions, nested ones
    included (`seq<seq<int>>` needs the theory of `seq<int>` and of `int`)."""
    found: dict[t.Sort, None] = dict.fromkeys(ELEMENT_SORTS)
    for ty in types_mentioned(program):
        if ty.args:
            found[sort_of(ty.element)] = None
    return tuple(found)


def types_mentioned(root: object) -> Iterator[Type]:
    """Every type in a tree of declarations, type arguments included."""
    stack: list[object] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Type):
            yield node
            stack.extend(node.args)
        elif isinstance(node, tuple | list):
            stack.extend(node)
        elif dataclasses.is_dataclass(node):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))


def datatype_axioms(program: ast.Program) -> list[FunctionAxiom]:
    """The axioms of every instance of a datatype that the program mentions (`List<int>`,
    and `List<T>` inside a generic declaration), nested instances included."""
    datatypes = {decl.name: decl for decl in program.datatypes()}
    found: dict[Type, None] = {}
    pending = [ty for ty in types_mentioned(program) if ty.name in datatypes]
    while pending:
        ty = pending.pop()
        if ty not in found:
            found[ty] = None
            pending += [
                inner
                for ctor in datatypes[ty.name].ctors
                for field_ty in datatypes[ty.name].field_types(ctor, ty)
                for inner in types_mentioned(field_ty)
            ]
            pending = [inner for inner in pending if inner.name in datatypes]
    axioms: list[FunctionAxiom] = []
    sorts: set[t.Sort] = set()
    subsets = Subsets.of(program)
    for ty in found:
        if sort_of(ty) not in sorts:  # `List<nat>` and `List<int>` are one sort
            sorts.add(sort_of(ty))
            axioms += dt.axioms(sort_of(ty), datatype_shapes(datatypes[ty.name], ty))
        if subsets.constrained(ty):
            axioms += subset_axioms(ty, subsets)
    return axioms


def subset_axioms(instance: Type, subsets: Subsets) -> list[FunctionAxiom]:
    """What `$is.D<..>(v)` means for a constrained datatype instance (`List<nat>`): a value built
    by a constructor has it exactly when the constructor's arguments satisfy their types'
    constraints; and each field of a value that has it satisfies its own. (Asserted of what is
    built, assumed of what is read: values that flow in are checked.)"""
    sort, name = sort_of(instance), is_name(instance)
    axioms = []
    for shape in subsets.shapes(instance):
        args = tuple(
            t.bound(f"x{index}", sort_of(item.ty), key=f"$x.{index}")
            for index, item in enumerate(shape.fields)
        )
        built = dt.construct(sort, shape.ctor, args)
        holds = satisfies(built, instance)
        parts = [
            value_constraint(arg, item.ty, subsets, 1) for arg, item in zip(args, shape.fields, strict=True)
        ]
        meaning = t.app(t.Op.IFF, holds, t.and_(*parts))
        axioms.append(
            FunctionAxiom(name, "theory", t.Forall(args, meaning, ((holds,),)) if args else meaning)
        )
        value = t.bound("v", sort, key="$v")
        has = satisfies(value, instance)
        for item in shape.fields:
            if subsets.constrained(item.ty):
                field_value = dt.destruct(value, item.name, sort_of(item.ty))
                fact = t.implies(
                    t.and_(has, dt.is_ctor(value, shape.ctor)),
                    value_constraint(field_value, item.ty, subsets, 1),
                )
                axioms.append(FunctionAxiom(name, "theory", t.Forall((value,), fact, ((has, field_value),))))
    return axioms
