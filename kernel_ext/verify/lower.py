"""CheckedProgram -> guarded-command procedures, one per thing to check.

Loops are cut by their invariants, calls replaced by the callee's contract, and every
check is an `Assert` that carries its Obligation, described here where it is made.
Functions become axioms with fuel (as Dafny's), so that recursive definitions unfold a
bounded number of times. Expressions are translated by `translate.py`; arrays,
sequences and multisets are encoded as `encoding.py` says.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count

from kernel_ext.lang import callgraph
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import (
    RANK_ORDER,
    Key,
    Measured,
    Relation,
    bounded_below,
    declaration_measure,
    decreases,
    loop_measure,
    missing_case_message,
    order_of,
    uncovered_ctors,
)
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.syntax import split_conjuncts
from kernel_ext.lang.types import NAT, Type
from kernel_ext.obligations import (
    BOUNDED_BELOW,
    BOUNDED_PART,
    CALC_STEP,
    CALL_MODIFIES,
    DECREASE_PART,
    FORALL_ENSURES,
    LOOP_NEEDS_DECREASES,
    LOWER_BOUND,
    NEGATIVE_SIZE,
    NO_SITE,
    SAME_LOCATION,
    SUBSET_MESSAGE,
    UPPER_BOUND,
    UPPER_BOUND_ONLY,
    CheckSite,
    Obligation,
    ObligationKind,
    clause_parts,
)
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
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
    seq,
)
from kernel_ext.verify.instantiate import instantiate
from kernel_ext.verify.translate import (
    PROGRAM_FUEL,
    Translator,
    array_params,
    choose_triggers,
    contents_constraint,
    element_sort,
    is_name,
    pattern_targets,
    reads_contents,
    satisfies,
    sort_of,
    type_constraint,
    value_constraint,
    variable_of,
)

ELEMENT_SORTS = (t.INT, t.BOOL)
MAX_LITERAL_AXIOMS = 16  # per function: one per combination of its parameters' constructors


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


@dataclass(frozen=True)
class LoweredProgram:
    procedures: tuple[Procedure, ...]
    axioms: tuple[FunctionAxiom, ...]


def lower(checked: CheckedProgram, source: SourceFile) -> LoweredProgram:
    program, instances = instantiate(checked.program)
    components = callgraph.components(program) if instances else checked.components
    unit = _Unit(program, source, components)
    procedures: list[Procedure] = []
    axioms: list[FunctionAxiom] = enc.theory_axioms(unit.element_sorts)
    axioms += datatype_axioms(program)
    for decl in program.decls:
        if isinstance(decl, ast.Method) and decl.name not in instances:
            procedures.extend(unit.method_procedures(decl))
        elif isinstance(decl, ast.Function):
            axioms.extend(unit.function_axioms(decl))
            if decl.name not in instances:
                procedures.append(unit.function_procedure(decl))
    return LoweredProgram(tuple(procedures), tuple(axioms))


def names_own_result(function: ast.Function, call: ast.Call) -> bool:
    """`F(x, y)` on F's own parameters: in F's `ensures` it denotes the result of this very
    call, as in Dafny, not a recursive call that must terminate (in the body it is one)."""
    return call.name == function.name and [
        arg.name if isinstance(arg, ast.Name) else None for arg in call.args
    ] == [param.name for param in function.params]


def _origin(role: str, clause: ast.SpecClause, note: str = "") -> str:
    """Where an assumption comes from, as the VC view names it."""
    return f"{role}, line {clause.span.start_line}" + (f": {note}" if note else "")


def param_var(param: ast.Param) -> t.Var:
    return t.Var(param.name, sort_of(param.ty))


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
    subsets = Subsets(datatypes)
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


class TermLogic:
    """Dafny's orders (`semantics.Order`) as terms: what a decreases check proves."""

    def key(self, value: t.Term, key: Key) -> t.Term:
        if key is Key.LENGTH:
            return enc.seq_len(value)
        return dt.rank(value) if key is Key.RANK else value

    def below(self, new: t.Term, old: t.Term, relation: Relation) -> t.Term:
        if relation is Relation.BOOL:
            return t.and_(t.not_(new), old)
        if relation is Relation.PROPER_SUBSET:
            return t.and_(enc.subset(new, old), t.app(t.Op.NE, new, old))
        if relation is Relation.PROPER_SUBMULTISET:
            return enc.multiset_op("<", new, old)
        return t.app(t.Op.LT, new, old)

    def at_least_zero(self, value: t.Term) -> t.Term:
        return t.app(t.Op.LE, t.IntVal(0), value)

    def equal(self, new: t.Term, old: t.Term) -> t.Term:
        return t.eq(new, old)

    def conj(self, items: Sequence[t.Term]) -> t.Term:
        return t.and_(*items)

    def disj(self, items: Sequence[t.Term]) -> t.Term:
        return t.or_(*items)

    def implies(self, premise: t.Term, conclusion: t.Term) -> t.Term:
        return t.implies(premise, conclusion)


TERMS = TermLogic()


# ------------------------------------------------------------------ the unit


@dataclass
class _Unit:
    program: ast.Program
    source: SourceFile
    components: dict[str, frozenset[str]]

    def __post_init__(self) -> None:
        self.functions = {f.name: f for f in self.program.functions()}
        self.methods = {m.name: m for m in self.program.methods()}
        self.datatypes = {d.name: d for d in self.program.datatypes()}
        self.subsets = Subsets(self.datatypes)
        self.translate = Translator(self.functions, subsets=self.subsets)
        self.element_sorts = element_sorts(self.program)

    def recursive_with(self, caller: str, callee: str) -> bool:
        return callee in self.components.get(caller, frozenset())

    def translator_for(self, decl: ast.Decl) -> Translator:
        if isinstance(decl, ast.Function):
            return Translator(
                self.functions, in_function=True, contents_of=reads_contents(decl), subsets=self.subsets
            )
        return self.translate

    def measured(self, exprs: Sequence[ast.Expr], translate: Translator) -> list[Measured[t.Term]]:
        """Each component of a measure with the order its type is compared in."""
        return [(translate(expr), order_of(ast.type_of(expr), self.datatypes)) for expr in exprs]

    def default_decreases(self, decl: ast.Method | ast.Function) -> list[Measured[t.Term]]:
        """The termination measure: the decreases clause, else the parameters (as Dafny)."""
        return self.measured(declaration_measure(decl), self.translator_for(decl))

    # ---- functions

    def function_axioms(self, function: ast.Function) -> list[FunctionAxiom]:
        contents = reads_contents(function)
        params = [param_var(p) for p in function.params]
        arguments = (*params, *contents.values())
        layer = t.Var("$ly", t.FUEL)
        sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
        at_succ = t.FunApp(function.name, t.app(t.Op.FUEL_SUCC, layer), arguments, sort)
        at_layer = t.FunApp(function.name, layer, arguments, sort)
        bound = (layer, *arguments)
        same_scc = {name: layer for name in self.components[function.name] if name in self.functions}
        inner = Translator(
            self.functions, same_scc, in_function=True, contents_of=contents, subsets=self.subsets
        )
        guard = t.and_(
            *self.param_constraints(function, params, contents),
            *(inner(clause.expr) for clause in function.requires),
        )
        axioms = [
            FunctionAxiom(function.name, "layer", t.Forall(bound, t.eq(at_succ, at_layer), ((at_succ,),)))
        ]
        if function.body is not None:
            definition = t.implies(guard, t.eq(at_succ, inner(function.body)))
            axioms.append(FunctionAxiom(function.name, "def", t.Forall(bound, definition, ((at_succ,),))))
            axioms += self.literal_axiom(function, inner, guard)
        self_at_layer = dataclasses.replace(inner, fuel_of={**same_scc, function.name: layer})
        facts = [value_constraint(at_layer, function.result_ty, self.subsets)]
        facts += [self_at_layer(clause.expr) for clause in function.ensures]
        post = t.and_(*facts)
        if post != t.TRUE:
            axioms.append(
                FunctionAxiom(function.name, "post", t.Forall(bound, t.implies(guard, post), ((at_layer,),)))
            )
        return axioms

    def param_constraints(
        self, function: ast.Function, params: list[t.Var], contents: dict[str, t.Var]
    ) -> list[t.Term]:
        """What a function may assume of its arguments: their types' constraints, and those of
        the elements of its array parameters (passed as contents)."""
        facts = [
            value_constraint(p, param.ty, self.subsets)
            for p, param in zip(params, function.params, strict=True)
        ]
        for index, param in array_params(function):
            assert param.ty is not None
            content = contents[param.name]
            facts.append(
                contents_constraint(content, enc.length(params[index]), param.ty.element, self.subsets)
            )
        return facts

    def literal_axiom(self, function: ast.Function, inner: Translator, guard: t.Term) -> list[FunctionAxiom]:
        """The definition again for literal arguments, at any fuel (see `datatypes.literal`): only
        for functions whose parameters are all datatype values, one axiom per choice of their
        constructors, each triggered by literal applications of those constructors. So every
        unfolding takes a literal apart, and the destructors of a constructor that the value
        does not have (`Leaf.left`) never unfold further. Not when every constructor chosen is
        a constant (`F(Nil)`): that trigger would match every value equal to `Nil`, and the
        ordinary definition unfolds it anyway."""
        if function.reads or not function.params or function.body is None:
            return []
        types = [param.ty for param in function.params]
        if not all(ty is not None and ty.name in self.datatypes for ty in types):
            return []
        choices = [datatype_shapes(self.datatypes[ty.name], ty) for ty in types if ty is not None]
        if math.prod(len(shapes) for shapes in choices) > MAX_LITERAL_AXIOMS:
            return []
        layer = t.Var("$ly", t.FUEL)
        sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
        axioms = []
        for chosen in itertools.product(*choices):
            if not any(shape.fields for shape in chosen):
                continue
            bound: list[t.Var] = [layer]
            marked: dict[str, t.Term] = {}
            for param, shape in zip(function.params, chosen, strict=True):
                args = tuple(
                    t.Var(f"{param.name}.{i}", field_sort) for i, (_, field_sort) in enumerate(shape.fields)
                )
                bound += args
                marked[param.name] = dt.literal(dt.construct(sort_of(param.ty), shape.name, args))
            at_literal = t.FunApp(function.name, layer, tuple(marked.values()), sort)
            body = inner.binding(marked)(function.body)
            definition = t.implies(t.substitute(guard, marked), t.eq(at_literal, body))
            axioms.append(
                FunctionAxiom(function.name, "literal", t.Forall(tuple(bound), definition, ((at_literal,),)))
            )
        return axioms

    def function_procedure(self, function: ast.Function) -> Procedure:
        body = _Body(self, function)
        translate = body.translate
        commands: list[Command] = [body.assume_params()]
        for clause in function.requires:
            commands += body.wf(clause.expr)
            commands.append(Assume(translate(clause.expr), _origin("requires", clause)))
        for item in function.reads:
            commands += body.wf(item)
        if function.body is not None:
            commands += body.wf(function.body)
            result = translate(function.body)
            commands += body.subset_check(
                result, ast.type_of(function.body), function.result_ty, function.body.span
            )
            arguments = (*(param_var(p) for p in function.params), *reads_contents(function).values())
            call = t.FunApp(function.name, PROGRAM_FUEL, arguments, t.sort_of(result))
            commands.append(Assume(t.eq(call, result)))
        body.in_own_ensures = True
        for clause in function.ensures:
            commands += body.wf(clause.expr)
            for site, part in clause_parts((clause,)):
                commands.append(
                    body.check(
                        translate(part),
                        ObligationKind.POSTCONDITION,
                        function.name_span,
                        related=(part.token,),
                        description=self.source.text_of(part.span),
                        site=site,
                    )
                )
        excluded = frozenset(f"post:{name}" for name in self.components[function.name])
        return Procedure(f"{function.kind_word} {function.name}", function.name, seq(*commands), excluded)

    # ---- methods

    def method_procedures(self, method: ast.Method) -> list[Procedure]:
        name = f"{method.kind_word} {method.name}"
        procedures = [
            Procedure(
                f"{name} (specification)",
                method.name,
                _Body(self, method, specification=True).spec_wellformedness(),
            )
        ]
        if method.body is not None:
            procedures.append(Procedure(name, method.name, _Body(self, method).implementation()))
        return procedures


@dataclass(frozen=True)
class _Target:
    """Where an assignment stores a value: a variable, or an array element."""

    span: Span
    var: t.Var | None = None
    ty: Type | None = None
    array: t.Term | None = None
    index: t.Term | None = None
    element: t.Sort = t.INT


@dataclass
class _Body:
    """Lowers one method's or function's code; holds its fresh-name counter."""

    unit: _Unit
    owner: ast.Method | ast.Function
    counter: count = field(default_factory=lambda: count(1))
    in_own_ensures: bool = False  # checking a function's ensures: see names_own_result
    specification: bool = False  # checking a method's specification, not its body

    @property
    def translate(self) -> Translator:
        return self.unit.translator_for(self.owner)

    @property
    def source(self) -> SourceFile:
        return self.unit.source

    def temp(self, hint: str, sort: t.Sort) -> t.Var:
        return t.temporary(hint, next(self.counter), sort)

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

    def assume_params(self) -> Command:
        subsets = self.unit.subsets
        if isinstance(self.owner, ast.Function):
            params = [param_var(p) for p in self.owner.params]
            facts = self.unit.param_constraints(self.owner, params, reads_contents(self.owner))
            return seq(*(Assume(fact) for fact in facts))
        return seq(*(Assume(type_constraint(param_var(p), p.ty, subsets)) for p in self.owner.params))

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

    # ---- well-formedness of expressions

    def wf(self, expr: ast.Expr, path: t.Term = t.TRUE, translate: Translator | None = None) -> list[Command]:
        """Checks that evaluating `expr` is defined, short-circuiting as Dafny does."""
        tr = translate or self.translate
        if isinstance(expr, ast.Old):
            return self.wf(expr.expr, path, tr.at_old())
        if isinstance(expr, ast.Binary):
            return self.wf_binary(expr, path, tr)
        if isinstance(expr, ast.IfThenElse):
            cond = tr(expr.cond)
            return (
                self.wf(expr.cond, path, tr)
                + self.wf(expr.then, t.and_(path, cond), tr)
                + self.wf(expr.else_, t.and_(path, t.not_(cond)), tr)
            )
        if isinstance(expr, ast.Call):
            return self.wf_call(expr, path, tr)
        if isinstance(expr, ast.Quantifier):
            return self.wf_quantifier(expr, path, tr)
        if isinstance(expr, ast.Match):
            return self.wf_match(expr, path, tr)
        if isinstance(expr, ast.Destruct):
            return self.wf(expr.obj, path, tr) + [self.destructor_check(expr, path, tr)]
        commands = [command for child in ast.expr_children(expr) for command in self.wf(child, path, tr)]
        if tr.old and isinstance(expr, ast.Length | ast.Index | ast.Slice):
            commands += self.allocated_in_old(expr, path, tr)
        if isinstance(expr, ast.Construct):
            commands += self.constructor_checks(expr, path, tr)
        if isinstance(expr, ast.Index | ast.Slice | ast.SeqUpdate):
            commands += self.wf_access(expr, path, tr)
        return commands

    def allocated_in_old(
        self, expr: ast.Length | ast.Index | ast.Slice, path: t.Term, tr: Translator
    ) -> list[Command]:
        """In `old(...)`, an array is read in the method's initial state: it must exist there."""
        array = expr.array if isinstance(expr, ast.Length) else expr.seq
        params = {param.name for param in self.owner.params}
        if ast.type_of(array).name != "array" or (isinstance(array, ast.Name) and array.uid in params):
            return []  # a parameter existed when the method began
        existed = t.app(t.Op.SELECT, enc.alloc(old=True), tr(array))
        return [self.check(t.implies(path, existed), ObligationKind.ALLOCATED, array.span)]

    def constructor_checks(self, expr: ast.Construct, path: t.Term, tr: Translator) -> list[Command]:
        """Each argument against its field's type in the value's instance: `Mk(-1)` of a `nat` field."""
        datatype = self.unit.datatypes[ast.type_of(expr).name]
        ctor = datatype.ctor(expr.ctor)
        assert ctor is not None
        field_types = datatype.field_types(ctor, ast.type_of(expr))
        return [
            command
            for arg, field_ty in zip(expr.args, field_types, strict=True)
            for command in self.subset_check(tr(arg), ast.type_of(arg), field_ty, arg.span, path)
        ]

    def destructor_check(self, expr: ast.Destruct, path: t.Term, tr: Translator) -> Assert:
        value = tr(expr.obj)
        allowed = t.or_(*(dt.is_ctor(value, name) for name in expr.ctors))
        ctors = " or ".join(f"'{name}'" for name in expr.ctors)
        message = f"destructor '{expr.name}' can only be applied to datatype values constructed by {ctors}"
        return self.check(
            t.implies(path, allowed), ObligationKind.DESTRUCTOR, expr.name_span, message=message
        )

    def wf_match(self, expr: ast.Match, path: t.Term, tr: Translator) -> list[Command]:
        commands = self.wf(expr.subject, path, tr)
        subject = tr(expr.subject)
        earlier: list[t.Term] = []
        for case in expr.cases:
            condition, bindings = tr.pattern_match(case.pattern, subject)
            case_path = t.and_(path, *(t.not_(c) for c in earlier), condition)
            commands += self.wf(case.body, case_path, tr.binding(bindings))
            earlier.append(condition)
        missing = self.missing_cases(expr, subject, earlier, path)
        return commands + ([missing] if missing else [])

    def missing_cases(
        self,
        match: ast.Match | ast.MatchStmt,
        subject: t.Term,
        conditions: list[t.Term],
        path: t.Term,
    ) -> Assert | None:
        """The check that some case matches, unless the cases cover every constructor."""
        uncovered = uncovered_ctors(match, self.unit.datatypes)
        if not uncovered:
            return None
        message = missing_case_message(match, uncovered)
        at = Span.point(match.span.start_line, match.span.start_col)
        return self.check(
            t.implies(path, t.or_(*conditions)), ObligationKind.MATCH_COMPLETE, at, message=message
        )

    def wf_binary(self, expr: ast.Binary, path: t.Term, tr: Translator) -> list[Command]:
        left = tr(expr.left)
        if expr.op in ("&&", "==>"):
            return self.wf(expr.left, path, tr) + self.wf(expr.right, t.and_(path, left), tr)
        if expr.op == "||":
            return self.wf(expr.left, path, tr) + self.wf(expr.right, t.and_(path, t.not_(left)), tr)
        if expr.op == "<==":
            right = tr(expr.right)
            return self.wf(expr.right, path, tr) + self.wf(expr.left, t.and_(path, right), tr)
        commands = self.wf(expr.left, path, tr) + self.wf(expr.right, path, tr)
        if expr.op in ("/", "%"):
            nonzero = t.app(t.Op.NE, tr(expr.right), t.IntVal(0))
            commands.append(
                self.check(t.implies(path, nonzero), ObligationKind.DIVISION_BY_ZERO, expr.op_span)
            )
        return commands

    def wf_access(
        self, expr: ast.Index | ast.Slice | ast.SeqUpdate, path: t.Term, tr: Translator
    ) -> list[Command]:
        commands: list[Command] = []
        is_array = ast.type_of(expr.seq).name == "array"
        if is_array:
            commands += self.reads_check(expr.seq, expr.token, path, tr)
            size = enc.length(tr(expr.seq))
        else:
            size = enc.seq_len(tr(expr.seq))
        zero = t.IntVal(0)
        if isinstance(expr, ast.Slice):
            return commands + self.slice_checks(expr, size, is_array, path, tr)
        index = tr(expr.index)
        in_range = t.and_(t.app(t.Op.LE, zero, index), t.app(t.Op.LT, index, size))
        commands.append(self.check(t.implies(path, in_range), ObligationKind.INDEX_RANGE, expr.token))
        return commands

    def slice_checks(
        self, expr: ast.Slice, size: t.Term, is_array: bool, path: t.Term, tr: Translator
    ) -> list[Command]:
        """Dafny's two checks of `s[lo..hi]`, each with its own message."""
        zero = t.IntVal(0)
        checks: list[Command] = []
        lo = tr(expr.lo) if expr.lo is not None else zero
        if expr.lo is not None:
            upper = size if expr.hi is None else tr(expr.hi)
            in_range = t.and_(
                t.app(t.Op.LE, zero, lo), t.app(t.Op.LE, lo, upper) if expr.hi is None else t.TRUE
            )
            checks.append(
                self.check(
                    t.implies(path, in_range), ObligationKind.INDEX_RANGE, expr.token, message=LOWER_BOUND
                )
            )
        if expr.hi is not None:
            hi = tr(expr.hi)
            in_range = t.and_(t.app(t.Op.LE, lo, hi), t.app(t.Op.LE, hi, size))
            message = UPPER_BOUND.format(what="array" if is_array else "sequence")
            if expr.lo is None:
                message = UPPER_BOUND_ONLY
            checks.append(
                self.check(t.implies(path, in_range), ObligationKind.INDEX_RANGE, expr.token, message=message)
            )
        return checks

    def reads_check(self, array: ast.Expr, span: Span, path: t.Term, tr: Translator) -> list[Command]:
        owner = self.owner
        if not isinstance(owner, ast.Function):
            return []
        named = {item.uid for item in owner.reads if isinstance(item, ast.Name)}
        if isinstance(array, ast.Name) and array.uid in named:
            return []
        allowed = [t.eq(tr(array), tr(item)) for item in owner.reads]
        return [self.check(t.implies(path, t.or_(*allowed)), ObligationKind.READS, span)]

    def wf_quantifier(self, expr: ast.Quantifier, path: t.Term, tr: Translator) -> list[Command]:
        bound = tuple(variable_of(var) for var in expr.bound)
        ranges = t.and_(
            *(
                value_constraint(v, var.ty, self.unit.subsets)
                for v, var in zip(bound, expr.bound, strict=True)
            )
        )
        wrapped: list[Command] = []
        for command in self.wf(expr.body, ranges, tr):
            if isinstance(command, Assert):
                body = command.condition
                forall = t.Forall(bound, body, choose_triggers(body, bound))
                wrapped.append(Assert(t.implies(path, forall), command.obligation))
            elif isinstance(command, Assume):
                body = command.condition
                wrapped.append(Assume(t.implies(path, t.Forall(bound, body, choose_triggers(body, bound)))))
        return wrapped

    def wf_call(self, call: ast.Call, path: t.Term, tr: Translator) -> list[Command]:
        function = self.unit.functions[call.name]
        commands: list[Command] = []
        for arg in call.args:
            commands += self.wf(arg, path, tr)
        args = [tr(arg) for arg in call.args]
        mapping = {p.name: a for p, a in zip(function.params, args, strict=True)}
        for arg, param, term in zip(call.args, function.params, args, strict=True):
            commands += self.subset_check(term, ast.type_of(arg), param.ty, arg.span, path)
        callee_tr = self.unit.translator_for(function)
        contents = self.callee_contents(function, call, tr)
        for clause in function.requires:
            for site, part in clause_parts((clause,), call.nid):
                condition = t.substitute(callee_tr(part), {**mapping, **contents})
                commands.append(
                    self.check(
                        t.implies(path, condition),
                        ObligationKind.FUNCTION_PRECONDITION,
                        call.name_span,
                        related=(part.token,),
                        description=self.source.text_of(part.span),
                        site=site,
                    )
                )
        if (
            isinstance(self.owner, ast.Function)
            and self.unit.recursive_with(self.owner.name, call.name)
            and not (self.in_own_ensures and names_own_result(self.owner, call))
        ):
            commands.append(self.termination_check(function, mapping, call, path))
            result = tr(call)
            facts = [value_constraint(result, function.result_ty, self.unit.subsets)]
            facts += [t.substitute(callee_tr(c.expr), {**mapping, **contents}) for c in function.ensures]
            commands.append(
                Assume(t.implies(path, t.and_(*facts)), f"ensures of {function.name}: the call's result")
            )
        return commands

    def callee_contents(self, function: ast.Function, call: ast.Call, tr: Translator) -> dict[str, t.Term]:
        """The callee's array-contents variables, mapped to what the caller passes."""
        contents = reads_contents(function)
        return {
            contents[param.name].name: tr.array_contents(call.args[index])
            for index, param in array_params(function)
        }

    def termination_check(
        self, callee: ast.Method | ast.Function, mapping: dict[str, t.Term], call: ast.Call, path: t.Term
    ) -> Assert:
        new = [(t.substitute(term, mapping), order) for term, order in self.unit.default_decreases(callee)]
        less = decreases(new, self.unit.default_decreases(self.owner), TERMS, bounded=True)
        return self.check(
            t.implies(path, less), ObligationKind.TERMINATION, call.name_span, site=CheckSite(at=call.nid)
        )

    # ---- method specification

    def method_entry(self) -> list[Command]:
        """The parameters' types, and the pre-state that `old` and `fresh` refer to."""
        commands: list[Command] = [self.assume_params()]
        for element in self.unit.element_sorts:
            commands.append(Assign(enc.heap(element, old=True), enc.heap(element)))
        commands.append(Assign(enc.alloc(old=True), enc.alloc()))
        return commands

    def havoc_outs(self, method: ast.Method) -> list[Command]:
        outs = [param_var(p) for p in method.returns]
        commands: list[Command] = [Havoc(tuple(outs))] if outs else []
        return commands + [
            Assume(type_constraint(v, p.ty, self.unit.subsets))
            for v, p in zip(outs, method.returns, strict=True)
        ]

    def spec_wellformedness(self) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method)
        commands = self.method_entry()
        for clause in method.requires:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr), _origin("requires", clause)))
        if method.decreases is not None:
            for expr in method.decreases.exprs:
                commands += self.wf(expr)
        for item in method.modifies:
            commands += self.wf(item)
        commands += self.havoc_heap_for_call(method.modifies, {}, method.returns)
        commands += self.havoc_outs(method)
        for clause in method.ensures:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr), _origin("ensures", clause)))
        return seq(*commands)

    # ---- method implementation

    def implementation(self) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method) and method.body is not None
        commands = self.method_entry()
        commands += [Assume(self.translate(c.expr), _origin("requires", c)) for c in method.requires]
        commands += self.induction_hypothesis(method)
        commands += self.havoc_outs(method)
        commands.append(
            Mark(method.name_span, self.source.line(method.span.start_line).strip(), MarkKind.ENTRY)
        )
        commands.append(self.block(method.body.stmts, exit_at=method.body.open_brace))
        return seq(*commands)

    def induction_hypothesis(self, lemma: ast.Method) -> list[Command]:
        """Dafny's automatic induction: a lemma may use itself for structurally smaller values
        of its datatype parameters that its postcondition passes to functions (the others
        unchanged), as if it had called itself there."""
        if not lemma.is_lemma or lemma.returns or not lemma.ensures:
            return []
        ensures = [clause.expr for clause in lemma.ensures]
        variables = [
            param
            for param in lemma.params
            if param.ty is not None
            and param.ty.name in self.unit.datatypes
            and _passed_to_call(param.name, ensures)
        ]
        if not variables:
            return []
        smaller = {param.name: t.Var(f"{param.name}'", sort_of(param.ty)) for param in variables}
        requires = t.and_(*(t.substitute(self.translate(c.expr), smaller) for c in lemma.requires))
        conclusion = t.and_(*(t.substitute(self.translate(expr), smaller) for expr in ensures))
        less = decreases(
            [(smaller[param.name], RANK_ORDER) for param in variables],
            [(param_var(param), RANK_ORDER) for param in variables],
            TERMS,
            bounded=True,
        )
        fuel = t.Var("$ih.fuel", t.FUEL)
        names = frozenset(var.name for var in smaller.values())
        groups = [
            group
            for group in choose_triggers(conclusion, tuple(smaller.values()))
            if not any(_matching_loop(term, conclusion, names) for term in group)
        ]
        if not groups:
            return []  # every trigger would instantiate itself without end
        body = t.implies(t.and_(less, requires), conclusion)
        fuel = t.Var("$ih.fuel", t.FUEL)
        at_any_fuel = tuple(
            tuple(_any_fuel(term, fuel) for term in group) for group in groups if _has_fuel(group)
        )
        # A pattern must mention every bound variable: with the fuel bound, only the triggers
        # that hold a function application can stay (those on destructors alone go).
        if at_any_fuel:
            hypothesis = t.Forall((*smaller.values(), fuel), body, at_any_fuel)
        else:
            hypothesis = t.Forall(tuple(smaller.values()), body, tuple(groups))
        return [Assume(hypothesis, f"induction hypothesis: {lemma.name} for smaller arguments")]

    def exit_checks(self, exit_at: Span) -> list[Command]:
        """The postconditions, checked where control leaves the method (Dafny's return path)."""
        method = self.owner
        assert isinstance(method, ast.Method)
        commands: list[Command] = []
        for clause in method.ensures:
            for site, part in clause_parts((clause,)):
                commands.append(
                    self.check(
                        self.translate(part),
                        ObligationKind.POSTCONDITION,
                        exit_at,
                        related=(part.token,),
                        description=self.source.text_of(part.span),
                        site=site,
                    )
                )
        return commands

    def block(self, stmts: tuple[ast.Stmt, ...], exit_at: Span | None = None) -> Command:
        commands = [self.stmt(stmt) for stmt in stmts[:-1]]
        last = stmts[-1] if stmts else None
        if exit_at is None:
            if last is not None:
                commands.append(self.stmt(last))
        elif isinstance(last, ast.If):
            commands.append(self.if_stmt(last, tail=True))
        elif isinstance(last, ast.MatchStmt):
            commands.append(self.match_stmt(last, tail=True))
        elif isinstance(last, ast.Block):
            commands.append(self.block(last.stmts, exit_at=last.open_brace))
        elif isinstance(last, ast.Return):
            commands.append(self.stmt(last))
        elif isinstance(last, ast.While):
            commands.append(self.stmt(last))
            commands += self.exit_checks(Span.point(last.span.start_line, last.span.start_col))
        else:
            if last is not None:
                commands.append(self.stmt(last))
            commands += self.exit_checks(exit_at)
        return seq(*commands)

    def mark(self, stmt: ast.Stmt, kind: MarkKind = MarkKind.STEP) -> Mark:
        node = stmt.nid if isinstance(stmt, ast.While) else None
        return Mark(stmt.span, self.source.line(stmt.span.start_line).strip(), kind, node)

    def stmt(self, stmt: ast.Stmt) -> Command:
        match stmt:
            case ast.Block():
                return self.block(stmt.stmts)
            case ast.If():
                return self.if_stmt(stmt, tail=False)
            case ast.While():
                return self.while_stmt(stmt)
            case ast.MatchStmt():
                return self.match_stmt(stmt, tail=False)
            case ast.VarDecl():
                lowered = self.var_decl(stmt)
            case ast.Assign():
                lowered = self.assign(stmt)
            case ast.CallStmt():
                lowered = self.call_stmt(stmt)
            case ast.Assert():
                lowered = self.assert_stmt(stmt)
            case ast.Assume():
                lowered = self.assume_stmt(stmt)
            case ast.Return():
                lowered = self.return_stmt(stmt)
            case ast.Calc():
                lowered = self.calc_stmt(stmt)
            case ast.ForallStmt():
                lowered = self.forall_stmt(stmt)
            case ast.AssertBy():
                lowered = self.assert_by_stmt(stmt)
            case _:
                raise TypeError(f"the lowering has no rule for {type(stmt).__name__}")
        return seq(lowered, self.mark(stmt, MarkKind.CALL if self.calls_method(stmt) else MarkKind.STEP))

    def calls_method(self, stmt: ast.Stmt) -> bool:
        return any(call.name in self.unit.methods for call in _calls_of(stmt))

    # ---- assignments and calls

    def var_decl(self, stmt: ast.VarDecl) -> Command:
        targets = [_Target(v.span, var=variable_of(v), ty=v.ty) for v in stmt.variables]
        if not stmt.rhs:
            havoc = Havoc(tuple(target.var for target in targets))
            constraints = (
                Assume(type_constraint(target.var, target.ty, self.unit.subsets)) for target in targets
            )
            return seq(havoc, *constraints)
        return self.assign_values([], targets, stmt.rhs)

    def assign(self, stmt: ast.Assign) -> Command:
        commands: list[Command] = []
        targets = []
        for target in stmt.targets:
            if isinstance(target, ast.Index):
                prepared, located = self.element_target(target, stmt.span)
                commands += prepared
                targets.append(located)
            else:
                assert isinstance(target, ast.Name)
                targets.append(_Target(target.span, var=variable_of(target), ty=target.ty))
        return self.assign_values(commands, targets, stmt.rhs)

    def element_target(self, target: ast.Index, statement: Span) -> tuple[list[Command], _Target]:
        """Evaluate `a[i]` on the left of `:=` first, as Dafny does, with its checks."""
        commands = self.wf(target.seq) + self.wf(target.index)
        array = self.temp("array", t.REF)
        index = self.temp("index", t.INT)
        commands += [Assign(array, self.translate(target.seq)), Assign(index, self.translate(target.index))]
        in_range = t.and_(t.app(t.Op.LE, t.IntVal(0), index), t.app(t.Op.LT, index, enc.length(array)))
        commands.append(self.check(in_range, ObligationKind.INDEX_RANGE, target.token))
        commands.append(
            self.check(
                self.may_modify(array),
                ObligationKind.MODIFIES,
                Span.point(statement.start_line, statement.start_col),
            )
        )
        element_ty = ast.type_of(target.seq).element
        return commands, _Target(
            target.span, ty=element_ty, array=array, index=index, element=element_sort(target.seq)
        )

    def may_modify(self, array: t.Term) -> t.Term:
        """Named in the method's modifies clause, or allocated since the method began."""
        method = self.owner
        assert isinstance(method, ast.Method)
        named = [t.eq(array, self.translate(item)) for item in method.modifies]
        fresh = t.not_(t.app(t.Op.SELECT, enc.alloc(old=True), array))
        return t.or_(*named, fresh)

    def assign_values(
        self, commands: list[Command], targets: list[_Target], rhs: tuple[ast.Expr, ...]
    ) -> Command:
        if len(rhs) == 1 and isinstance(rhs[0], ast.Call) and rhs[0].name in self.unit.methods:
            return seq(*commands, self.method_call(rhs[0], targets))
        values = []
        for target, expr in zip(targets, rhs, strict=True):
            if isinstance(expr, ast.NewArray):
                allocation, value = self.allocate(expr)
                commands += allocation
            else:
                commands += self.wf(expr)
                value = self.translate(expr)
            commands += self.subset_check(value, ast.type_of(expr), target.ty, expr.span)
            values.append(value)
        if len(targets) > 1:
            temps = [self.temp("rhs", t.sort_of(value)) for value in values]
            commands += [Assign(temp, value) for temp, value in zip(temps, values, strict=True)]
            values = list(temps)
        commands += self.same_location_checks(targets, values)
        for target, value in zip(targets, values, strict=True):
            commands.append(self.store(target, value))
        return seq(*commands)

    def same_location_checks(self, targets: list[_Target], values: list[t.Term]) -> list[Command]:
        """Two array elements assigned at once may be one element: then with one value."""
        commands: list[Command] = []
        for second, (target, value) in enumerate(zip(targets, values, strict=True)):
            for first in range(second):
                other = targets[first]
                if target.var is not None or other.var is not None or other.element != target.element:
                    continue
                assert target.array is not None and other.array is not None
                same = t.and_(t.eq(other.array, target.array), t.eq(other.index, target.index))
                message = SAME_LOCATION.format(first=first, second=second)
                ok = t.implies(same, t.eq(values[first], value))
                commands.append(self.check(ok, ObligationKind.SAME_LOCATION, target.span, message=message))
        return commands

    def store(self, target: _Target, value: t.Term) -> Command:
        if target.var is not None:
            return Assign(target.var, value)
        heap = enc.heap(target.element)
        contents = t.app(t.Op.SELECT, heap, target.array)
        return Assign(
            heap, t.app(t.Op.STORE, heap, target.array, t.app(t.Op.STORE, contents, target.index, value))
        )

    def allocate(self, expr: ast.NewArray) -> tuple[list[Command], t.Term]:
        commands = self.wf(expr.size)
        size = self.translate(expr.size)
        commands.append(
            self.check(
                t.app(t.Op.LE, t.IntVal(0), size),
                ObligationKind.INDEX_RANGE,
                expr.size.span,
                message=NEGATIVE_SIZE,
            )
        )
        array = self.temp("new", t.REF)
        element = sort_of(ast.type_of(expr).element)
        contents = self.temp("contents", enc.contents_sort(element))
        heap, alloc = enc.heap(element), enc.alloc()
        element_ty = ast.type_of(expr).element
        commands += [
            Havoc((array, contents)),
            Assume(t.not_(t.app(t.Op.SELECT, alloc, array))),
            Assume(t.eq(enc.length(array), size)),
            Assume(contents_constraint(contents, size, element_ty, self.unit.subsets)),
            Assign(alloc, t.app(t.Op.STORE, alloc, array, t.TRUE)),
            Assign(heap, t.app(t.Op.STORE, heap, array, contents)),
        ]
        return commands, array

    def call_stmt(self, stmt: ast.CallStmt) -> Command:
        return self.method_call(stmt.call, [])

    def method_call(self, call: ast.Call, targets: list[_Target]) -> Command:
        callee = self.unit.methods[call.name]
        commands: list[Command] = []
        mapping: dict[str, t.Term] = {}
        for arg, param in zip(call.args, callee.params, strict=True):
            commands += self.wf(arg)
            value = self.translate(arg)
            commands += self.subset_check(value, ast.type_of(arg), param.ty, arg.span)
            temp = self.temp(param.name, sort_of(param.ty))
            commands.append(Assign(temp, value))
            mapping[param.name] = temp
        for clause in callee.requires:
            for site, part in clause_parts((clause,), call.nid):
                commands.append(
                    self.check(
                        t.substitute(self.translate(part), mapping),
                        ObligationKind.PRECONDITION,
                        call.name_span,
                        related=(part.token,),
                        description=self.source.text_of(part.span),
                        site=site,
                    )
                )
        for item in callee.modifies:
            array = t.substitute(self.translate(item), mapping)
            commands.append(
                self.check(
                    self.may_modify(array),
                    ObligationKind.MODIFIES,
                    call.name_span,
                    message=CALL_MODIFIES,
                    site=CheckSite(at=call.nid),
                )
            )
        if self.unit.recursive_with(self.owner.name, callee.name):
            commands.append(self.termination_check(callee, mapping, call, t.TRUE))
        for element in self.unit.element_sorts:
            before = enc.snapshot(enc.heap(element), next(self.counter))
            commands.append(Assign(before, enc.heap(element)))
            mapping[enc.heap(element, old=True).name] = before
        alloc_before = enc.snapshot(enc.ALLOC, next(self.counter))
        commands.append(Assign(alloc_before, enc.alloc()))
        mapping[enc.OLD_ALLOC.name] = alloc_before
        commands += self.havoc_heap_for_call(callee.modifies, mapping, callee.returns)
        outs = []
        for out in callee.returns:
            temp = self.temp(out.name, sort_of(out.ty))
            outs.append(temp)
            mapping[out.name] = temp
        if outs:
            commands.append(Havoc(tuple(outs)))
        for out, temp in zip(callee.returns, outs, strict=True):
            commands.append(Assume(type_constraint(temp, out.ty, self.unit.subsets)))
        for clause in callee.ensures:
            origin = _origin(f"ensures of {callee.name}", clause, "after the call")
            commands.append(Assume(t.substitute(self.translate(clause.expr), mapping), origin))
        commands += self.same_location_checks(targets, outs)
        for target, out, temp in zip(targets, callee.returns, outs, strict=True):
            commands += self.subset_check(temp, out.ty, target.ty, target.span)
            commands.append(self.store(target, temp))
        return seq(*commands)

    def havoc_heap_for_call(
        self, modifies: tuple[ast.Expr, ...], mapping: dict[str, t.Term], returns: tuple[ast.Param, ...]
    ) -> list[Command]:
        """After a call: new contents for each array the callee may modify; more allocated."""
        commands: list[Command] = []
        for item in modifies:
            element = element_sort(item)
            array = t.substitute(self.translate(item), mapping)
            contents = self.temp("contents", enc.contents_sort(element))
            heap = enc.heap(element)
            commands += [Havoc((contents,)), Assign(heap, t.app(t.Op.STORE, heap, array, contents))]
            item_ty = ast.type_of(item).element
            commands.append(
                Assume(contents_constraint(contents, enc.length(array), item_ty, self.unit.subsets))
            )
        if any(out.ty is not None and out.ty.name == "array" for out in returns):
            commands += self.grow_allocation()
        return commands

    def grow_allocation(self) -> list[Command]:
        before = enc.snapshot(enc.ALLOC, next(self.counter))
        ref = t.bound("r", t.REF)
        kept = t.implies(t.app(t.Op.SELECT, before, ref), t.app(t.Op.SELECT, enc.alloc(), ref))
        return [
            Assign(before, enc.alloc()),
            Havoc((enc.alloc(),)),
            Assume(t.Forall((ref,), kept, ((t.app(t.Op.SELECT, enc.alloc(), ref),),))),
        ]

    # ---- control flow

    def if_stmt(self, stmt: ast.If, tail: bool) -> Command:
        cond = self.translate(stmt.cond)
        then_exit = stmt.then.open_brace if tail else None
        at = stmt.span.start_line
        then = seq(
            Assume(cond, f"if condition, line {at}: then branch"),
            self.mark(stmt, MarkKind.THEN),
            self.block(stmt.then.stmts, exit_at=then_exit),
        )
        if isinstance(stmt.else_, ast.If):
            else_ = seq(
                Assume(t.not_(cond), f"if condition, line {at}: else branch"),
                self.mark(stmt, MarkKind.ELSE),
                self.if_stmt(stmt.else_, tail),
            )
        elif isinstance(stmt.else_, ast.Block):
            else_exit = stmt.else_.open_brace if tail else None
            else_ = seq(
                Assume(t.not_(cond), f"if condition, line {at}: else branch"),
                self.mark(stmt, MarkKind.ELSE),
                self.block(stmt.else_.stmts, exit_at=else_exit),
            )
        else:
            if_at = Span.point(stmt.span.start_line, stmt.span.start_col)
            else_ = seq(
                Assume(t.not_(cond), f"if condition, line {at}: else branch"),
                self.mark(stmt, MarkKind.ELSE),
                *(self.exit_checks(if_at) if tail else []),
            )
        return seq(*self.wf(stmt.cond), Choice((then, else_)))

    def match_stmt(self, stmt: ast.MatchStmt, tail: bool) -> Command:
        """One branch per case, as Dafny: in a method's last statement, a path that leaves
        through a case is reported at that case."""
        subject = self.translate(stmt.subject)
        at = stmt.span.start_line
        branches: list[Command] = []
        earlier: list[t.Term] = []
        for case in stmt.cases:
            condition, bindings = self.translate.pattern_match(case.pattern, subject)
            targets = pattern_targets(case.pattern)
            case_at = Span.point(case.span.start_line, case.span.start_col)
            pattern = self.source.text_of(case.pattern.span)
            branches.append(
                seq(
                    Assume(
                        t.and_(*(t.not_(c) for c in earlier), condition), f"match, line {at}: case {pattern}"
                    ),
                    *(Assign(targets[uid], term) for uid, term in bindings.items()),
                    Mark(case.span, self.source.line(case.span.start_line).strip(), MarkKind.CASE),
                    self.block(case.body.stmts, exit_at=case_at if tail else None),
                )
            )
            earlier.append(condition)
        missing = self.missing_cases(stmt, subject, earlier, t.TRUE)
        if missing is not None:
            branches.append(seq(Assume(t.not_(t.or_(*earlier))), missing))
        return seq(*self.wf(stmt.subject), Choice(tuple(branches)))

    def while_stmt(self, loop: ast.While) -> Command:
        while_at = Span.point(loop.span.start_line, loop.span.start_col)
        parts = clause_parts(loop.invariants)
        commands: list[Command] = []
        for site, part in parts:
            commands.append(
                self.check(
                    self.translate(part),
                    ObligationKind.INVARIANT_ENTRY,
                    part.token,
                    description=self.source.text_of(part.span),
                    site=site,
                )
            )
        commands += self.loop_frame(loop.body)
        for clause in loop.invariants:
            commands += self.wf(clause.expr)
            origin = _origin("invariant", clause, "assumed at the loop head")
            commands.append(Assume(self.translate(clause.expr), origin))
        commands.append(self.mark(loop, MarkKind.LOOP_HEAD))
        commands += self.wf(loop.cond)
        cond = self.translate(loop.cond)
        measure = self.loop_measure(loop)
        at = loop.span.start_line
        body: list[Command] = [
            Assume(cond, f"loop condition, line {at}: one more iteration"),
            self.mark(loop, MarkKind.ITERATION),
        ]
        if loop.decreases is not None:
            for expr in loop.decreases.exprs:
                body += self.wf(expr)
        old_values = []
        for term, _ in measure or []:
            temp = self.temp("decreases", t.sort_of(term))
            body.append(Assign(temp, term))
            old_values.append(temp)
        body.append(self.block(loop.body.stmts))
        # Dafny checks the decrease first: an iteration that does not decrease is reported as
        # such, not also as breaking the invariants (the invariant checks assume the decrease).
        body += self.decreases_checks(loop, while_at, measure, old_values)
        for site, part in parts:
            body.append(
                self.check(
                    self.translate(part),
                    ObligationKind.INVARIANT_MAINTAINED,
                    part.token,
                    description=self.source.text_of(part.span),
                    site=site,
                )
            )
        body.append(Assume(t.FALSE))
        commands.append(
            Choice((seq(*body), Assume(t.not_(cond), f"loop condition, line {at}: the loop ended")))
        )
        commands.append(self.mark(loop, MarkKind.LOOP_EXIT))
        return seq(*commands)

    def loop_frame(self, body: ast.Block) -> list[Command]:
        """What an arbitrary iteration may have changed: the variables it assigns and, as in
        Dafny, if it touches the heap at all (an array write, a call, a `new`), the contents
        of every array the method may modify."""
        variables = sorted(assigned_variables(body), key=lambda item: item[0].name)
        commands: list[Command] = [Havoc(tuple(var for var, _ in variables))] if variables else []
        heap = touches_heap(body, self.unit.methods)
        if heap:
            for element in self.unit.element_sorts:
                commands += self.havoc_modifiable(element)
        if allocates(body, self.unit.methods):
            commands += self.grow_allocation()
        subsets = self.unit.subsets
        commands += [Assume(type_constraint(var, ty, subsets)) for var, ty in variables]
        if heap:  # the elements of every array of a constrained type keep their constraint
            commands += [Assume(type_constraint(var, ty, subsets)) for var, ty in self.constrained_arrays()]
        return commands

    def constrained_arrays(self) -> list[tuple[t.Var, Type]]:
        """The method's variables that hold arrays whose elements are constrained (`array<nat>`)."""
        method = self.owner
        assert isinstance(method, ast.Method)
        found = [(param_var(p), p.ty) for p in (*method.params, *method.returns)]
        if method.body is not None:
            found += list(assigned_variables(method.body))
        unique = {var: ty for var, ty in found if self.unit.subsets.element_constrained(ty)}
        return sorted(unique.items(), key=lambda item: item[0].name)

    def havoc_modifiable(self, element: t.Sort) -> list[Command]:
        heap = enc.heap(element)
        before = enc.snapshot(heap, next(self.counter))
        ref = t.bound("r", t.REF)
        now = t.app(t.Op.SELECT, heap, ref)
        kept = t.implies(t.not_(self.may_modify(ref)), t.eq(now, t.app(t.Op.SELECT, before, ref)))
        return [Assign(before, heap), Havoc((heap,)), Assume(t.Forall((ref,), kept, ((now,),)))]

    def loop_measure(self, loop: ast.While) -> list[Measured[t.Term]] | None:
        exprs = loop_measure(loop)
        return None if exprs is None else self.unit.measured(exprs, self.translate)

    def decreases_checks(
        self, loop: ast.While, while_at: Span, measure: list[Measured[t.Term]] | None, old: list[t.Var]
    ) -> list[Command]:
        clause = loop.decreases.nid if loop.decreases is not None else None
        decrease, bounded = (CheckSite(clause, part, loop.nid) for part in (DECREASE_PART, BOUNDED_PART))
        if measure is None:
            return [
                self.check(
                    t.FALSE, ObligationKind.DECREASES, while_at, message=LOOP_NEEDS_DECREASES, site=decrease
                )
            ]
        guessed = loop.decreases is None
        related = () if guessed else (loop.decreases.span,)
        description = "" if guessed else self.source.text_of(loop.decreases.span)
        old_measure: list[Measured[t.Term]] = [
            (var, order) for var, (_, order) in zip(old, measure, strict=True)
        ]
        return [
            self.check(
                decreases(measure, old_measure, TERMS, bounded=False),
                ObligationKind.DECREASES,
                while_at,
                related,
                description,
                LOOP_NEEDS_DECREASES if guessed else "",
                decrease,
            ),
            self.check(
                bounded_below(measure, old_measure, TERMS),
                ObligationKind.DECREASES,
                while_at if guessed else loop.decreases.exprs[0].token,
                (),
                description,
                LOOP_NEEDS_DECREASES if guessed else BOUNDED_BELOW,
                bounded,
            ),
        ]

    # ---- specification statements

    def assert_stmt(self, stmt: ast.Assert) -> Command:
        commands = self.wf(stmt.expr)
        for index, part in enumerate(split_conjuncts(stmt.expr)):
            commands.append(
                self.check(
                    self.translate(part),
                    ObligationKind.ASSERTION,
                    part.token,
                    description=self.source.text_of(part.span),
                    site=CheckSite(stmt.nid, index),
                )
            )
        return seq(*commands)

    def assume_stmt(self, stmt: ast.Assume) -> Command:
        return seq(
            *self.wf(stmt.expr), Assume(self.translate(stmt.expr), f"assume, line {stmt.span.start_line}")
        )

    def return_stmt(self, stmt: ast.Return) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method)
        commands: list[Command] = []
        if stmt.values:
            targets = [_Target(p.span, var=param_var(p), ty=p.ty) for p in method.returns]
            commands.append(self.assign_values([], targets, stmt.values))
        commands += self.exit_checks(Span.point(stmt.span.start_line, stmt.span.start_col))
        commands.append(self.mark(stmt))
        commands.append(Assume(t.FALSE))
        return seq(*commands)

    # ---- proof statements: each proof runs on a branch of its own that ends there, so that
    # what it establishes stays inside; afterwards only its conclusion is assumed (as Dafny)

    def calc_stmt(self, stmt: ast.Calc) -> Command:
        """The first line's well-formedness, then each step on its branch: its first line's
        well-formedness assumed (and the line itself before `==>`), its hints, its second
        line checked well-formed and the step checked. Afterwards: first line op last line."""
        if not stmt.lines:
            return seq()
        branches = [seq(*self.wf(stmt.lines[0]), Assume(t.FALSE))]
        for index, step in enumerate(stmt.steps):
            before, after = stmt.lines[index], stmt.lines[index + 1]
            commands = assumed(self.wf(before))
            if step.op == "==>":
                commands.append(Assume(self.translate(before), f"calc, line {before.span.start_line}"))
            commands += [self.block(hint.stmts) for hint in step.hints]
            commands += self.wf(after)
            relation = ast.Binary(
                span=before.span.cover(after.span), op=step.op, left=before, right=after, op_span=step.op_span
            )
            commands.append(
                self.check(
                    self.translate(relation),
                    ObligationKind.ASSERTION,
                    after.token,
                    description=f"{self.source.text_of(before.span)} {step.op} {self.source.text_of(after.span)}",
                    message=CALC_STEP,
                    site=CheckSite(step.nid),
                )
            )
            commands.append(Assume(t.FALSE))
            branches.append(seq(*commands))
        lowered: list[Command] = [Choice((*branches, seq()))]
        if stmt.steps:
            result = ast.Binary(
                span=stmt.span, op=stmt.result_op, left=stmt.lines[0], right=stmt.lines[-1], op_span=stmt.span
            )
            lowered.append(Assume(self.translate(result), f"calc, line {stmt.span.start_line}"))
        return seq(*lowered)

    def forall_stmt(self, stmt: ast.ForallStmt) -> Command:
        """The body, for arbitrary values of the bound variables in the range, then its
        `ensures`. Afterwards: the conclusion for all values in the range."""
        bound = tuple(variable_of(var) for var in stmt.bound)
        ranges = t.and_(
            *(
                value_constraint(v, var.ty, self.unit.subsets)
                for v, var in zip(bound, stmt.bound, strict=True)
            )
        )
        at = stmt.span.start_line
        proof: list[Command] = [Havoc(bound), Assume(ranges)]
        if stmt.range is not None:
            proof += self.wf(stmt.range)
            proof.append(Assume(self.translate(stmt.range), f"forall statement, line {at}: its range"))
            ranges = t.and_(ranges, self.translate(stmt.range))
        proof += [self.mark(stmt), self.block(stmt.body.stmts)]
        for clause in stmt.ensures:  # each clause's well-formedness on its own: none hides another
            checks = self.wf(clause.expr)
            if checks:
                proof.append(Choice((seq(*checks, Assume(t.FALSE)), seq())))
        for clause in stmt.ensures:
            proof += assumed(self.wf(clause.expr))
            for site, part in clause_parts((clause,)):
                proof.append(
                    self.check(
                        self.translate(part),
                        ObligationKind.ASSERTION,
                        part.token,
                        description=self.source.text_of(part.span),
                        message=FORALL_ENSURES,
                        site=site,
                    )
                )
        proof.append(Assume(t.FALSE))
        lowered: list[Command] = [Choice((seq(*proof), seq()))]
        conclusion = t.and_(*self.forall_conclusion(stmt))
        if conclusion != t.TRUE:
            formula = t.implies(ranges, conclusion)
            forall = t.Forall(bound, formula, choose_triggers(formula, bound))
            lowered.append(Assume(forall, f"forall statement, line {at}"))
        return seq(*lowered)

    def forall_conclusion(self, stmt: ast.ForallStmt) -> list[t.Term]:
        """What a forall statement proves of each value: its `ensures`, or, when its body is
        one lemma call, the lemma's postcondition of the call's arguments."""
        if stmt.ensures:
            return [self.translate(clause.expr) for clause in stmt.ensures]
        call = stmt.lemma_call
        if call is None:
            return []
        callee = self.unit.methods[call.name]
        mapping = {p.name: self.translate(arg) for p, arg in zip(callee.params, call.args, strict=True)}
        return [t.substitute(self.translate(clause.expr), mapping) for clause in callee.ensures]

    def assert_by_stmt(self, stmt: ast.AssertBy) -> Command:
        proof = seq(
            self.block(stmt.body.stmts),
            self.assert_stmt(ast.Assert(span=stmt.span, expr=stmt.expr, nid=stmt.nid)),
            Assume(t.FALSE),
        )
        return seq(
            Choice((proof, seq())), Assume(self.translate(stmt.expr), f"assert, line {stmt.span.start_line}")
        )


def assigned_variables(stmt: ast.Stmt) -> set[tuple[t.Var, Type | None]]:
    """The variables a loop body may change, with their types."""
    found: set[tuple[t.Var, Type | None]] = set()
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                found.add((variable_of(target), target.ty))
    elif isinstance(stmt, ast.VarDecl):
        for var in stmt.variables:
            found.add((variable_of(var), var.ty))
    for child in ast.stmt_children(stmt):
        found |= assigned_variables(child)
    return found


def touches_heap(stmt: ast.Stmt, methods: dict[str, ast.Method]) -> bool:
    """Writes an array element, calls a method or lemma, or allocates: Dafny's test for
    whether a loop body changes the heap."""
    if isinstance(stmt, ast.Assign) and any(isinstance(target, ast.Index) for target in stmt.targets):
        return True
    rhs = stmt.rhs if isinstance(stmt, ast.VarDecl | ast.Assign) else ()
    if any(call.name in methods for call in _calls_of(stmt)):
        return True
    if any(isinstance(expr, ast.NewArray) for expr in rhs):
        return True
    return any(touches_heap(child, methods) for child in ast.stmt_children(stmt))


def allocates(stmt: ast.Stmt, methods: dict[str, ast.Method]) -> bool:
    rhs = stmt.rhs if isinstance(stmt, ast.VarDecl | ast.Assign) else ()
    if any(isinstance(expr, ast.NewArray) for expr in rhs):
        return True
    for call in _calls_of(stmt):
        callee = methods.get(call.name)
        if callee is not None and any(
            out.ty is not None and out.ty.name == "array" for out in callee.returns
        ):
            return True
    return any(allocates(child, methods) for child in ast.stmt_children(stmt))


def assumed(commands: list[Command]) -> list[Command]:
    """Well-formedness checks as facts (a calc step's first line: checked by the step before)."""
    return [Assume(command.condition) if isinstance(command, Assert) else command for command in commands]


def _calls_of(stmt: ast.Stmt) -> list[ast.Call]:
    if isinstance(stmt, ast.CallStmt):
        return [stmt.call]
    if (
        isinstance(stmt, ast.VarDecl | ast.Assign)
        and len(stmt.rhs) == 1
        and isinstance(stmt.rhs[0], ast.Call)
    ):
        return [stmt.rhs[0]]
    return []


def _passed_to_call(name: str, exprs: list[ast.Expr]) -> bool:
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


def _has_fuel(group: tuple[t.Term, ...]) -> bool:
    return any(isinstance(term, t.FunApp) and term.fuel is not None for term in group)


def _any_fuel(trigger: t.Term, fuel: t.Var) -> t.Term:
    """A trigger that matches a function application at any fuel layer: the calls that the
    proof unfolds have less fuel than the program's own."""
    if isinstance(trigger, t.FunApp) and trigger.fuel is not None:
        return dataclasses.replace(trigger, fuel=fuel)
    return trigger


def _matching_loop(trigger: t.Term, body: t.Term, names: frozenset[str]) -> bool:
    """Whether an instance of the body holds a term that the trigger matches with other values
    of the bound variables, so that instances would beget instances (`Elems(t')` in a body
    about `Elems(Insert(t', x))`)."""
    for term in _subterms_all(body):
        binding: dict[str, t.Term] = {}
        if _matches(trigger, term, names, binding) and any(
            not (isinstance(value, t.Var) and value.name == name) for name, value in binding.items()
        ):
            return True
    return False


def _matches(pattern: t.Term, term: t.Term, names: frozenset[str], binding: dict[str, t.Term]) -> bool:
    if isinstance(pattern, t.Var) and pattern.name in names:
        return binding.setdefault(pattern.name, term) == term
    if isinstance(pattern, t.FunApp):
        return (
            isinstance(term, t.FunApp)
            and term.name == pattern.name
            and len(term.args) == len(pattern.args)
            and all(_matches(p, a, names, binding) for p, a in zip(pattern.args, term.args, strict=True))
        )
    if isinstance(pattern, t.App):
        return (
            isinstance(term, t.App)
            and term.op == pattern.op
            and all(_matches(p, a, names, binding) for p, a in zip(pattern.args, term.args, strict=False))
        )
    return pattern == term


def _subterms_all(term: t.Term) -> list[t.Term]:
    found = [term]
    for child in t.children(term):
        found.extend(_subterms_all(child))
    return found
