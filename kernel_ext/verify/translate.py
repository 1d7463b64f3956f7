"""Typed expressions -> terms, and the triggers of the quantifiers they contain.

A Translator knows the state it reads: the current or the `old` heap in methods, and in a
function the contents of the arrays its `reads` clause names (a function sees array
contents as values, so writes to other arrays never change it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.subsets import Subsets
from kernel_ext.lang.types import BOOL as BOOL_TYPE
from kernel_ext.lang.types import INT as INT_TYPE
from kernel_ext.lang.types import NAT, UNKNOWN, Type
from kernel_ext.lang.types import REAL as REAL_TYPE
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t

PROGRAM_FUEL = t.fuel(2)

BINARY_OPS = {
    "+": t.Op.ADD,
    "-": t.Op.SUB,
    "*": t.Op.MUL,
    "/": t.Op.DIV,
    "%": t.Op.MOD,
    "<": t.Op.LT,
    "<=": t.Op.LE,
    ">": t.Op.GT,
    ">=": t.Op.GE,
    "==": t.Op.EQ,
    "!=": t.Op.NE,
    "&&": t.Op.AND,
    "||": t.Op.OR,
    "==>": t.Op.IMPLIES,
    "<==>": t.Op.IFF,
}


def sort_of(ty: Type | None) -> t.Sort:
    if ty is None:  # the resolver types every node it returns
        raise TypeError("a node without a type reached the verifier")
    if ty == BOOL_TYPE:
        return t.BOOL
    if ty.name == "array":
        return t.REF
    if ty.name == "seq":
        return t.seq_sort(sort_of(ty.element))
    if ty.name == "set":
        return t.array_sort(sort_of(ty.element), t.BOOL)
    if ty.name == "multiset":
        return t.array_sort(sort_of(ty.element), t.INT)
    if ty.name in ("int", "nat", UNKNOWN.name):
        return t.INT
    if ty.parent is not None:
        return sort_of(ty.base)
    if ty == REAL_TYPE:
        return t.REAL
    return dt.sort_named(str(_settled(ty.base)))


def _settled(ty: Type) -> Type:
    """A type whose unknown parts (the element type of `Nil` never compared with anything)
    are taken to be int: any sort would do for a value that holds no elements."""
    if ty == UNKNOWN:
        return INT_TYPE
    return Type(ty.name, tuple(_settled(arg) for arg in ty.args))


def real_value(value: Fraction) -> t.RealVal:
    return t.RealVal(value.numerator, value.denominator)


def variable_of(node: ast.Name | ast.BoundVar | ast.LocalVar | ast.Pattern) -> t.Var:
    """The constant of a program variable where the program names or declares it."""
    return t.variable(node.uid, node.name, sort_of(ast.type_of(node)))


def pattern_targets(pattern: ast.Pattern) -> dict[str, t.Var]:
    """The variables a pattern binds, by their unique ids."""
    return {var.uid: variable_of(var) for var in ast.pattern_variables(pattern)}


def field_of(value: t.Term, ctor: ast.Constructor, position: int, result: t.Sort) -> t.Term:
    """The argument of `ctor` at `position` in `value`, by its destructor."""
    argument = None if ctor.fields[position].name else (ctor.name, position)
    return dt.destruct(value, ast.destructor_name(ctor, position), result, argument)


def is_irrefutable(pattern: ast.Pattern) -> bool:
    return pattern.is_irrefutable


def element_sort(expr: ast.Expr) -> t.Sort:
    return sort_of(ast.type_of(expr).element)


NO_DATATYPES = Subsets({})
BOUND_NAMES = "ijkmnpqr"  # a constraint's bound variables, by depth, as the VC view shows them


def is_name(ty: Type) -> str:
    """The predicate that a value of a constrained datatype instance satisfies (`$is.List<nat>`)."""
    return _is_symbol(ty).key


def satisfies(value: t.Term, ty: Type) -> t.Term:
    """`$is.List<nat>(value)`: the value satisfies its constrained datatype instance."""
    return t.FunApp.of(_is_symbol(ty), (value,), t.BOOL)


def _is_symbol(ty: Type) -> t.Symbol:
    return t.Symbol(t.Role.SUBSET, f"$is.{ty}", f"is.{ty}")


def value_constraint(term: t.Term, ty: Type | None, subsets: Subsets, depth: int = 0) -> t.Term:
    """What a value of the type satisfies in any state: the subset constraints at every depth
    (a `nat` is not negative, so is each element of a `seq<nat>`, each field of a `List<nat>`),
    and no element occurs a negative number of times in a multiset."""
    if ty is None:
        return t.TRUE
    counts = _multiset_counts(term, ty) if ty.name == "multiset" else t.TRUE
    if not subsets.constrained(ty):
        return counts
    if ty == NAT:
        return t.app(t.Op.GE, term, t.IntVal(0))
    if ty.parent is not None:  # a declared subset type: its parent's constraint and its own
        own = t.FunApp(ty.name, PROGRAM_FUEL, (term,), t.BOOL)
        return t.and_(value_constraint(term, ty.parent, subsets, depth), own)
    if subsets.is_datatype(ty):
        return satisfies(term, ty)
    name = BOUND_NAMES[depth % len(BOUND_NAMES)]
    element = t.bound(name, t.INT if ty.name == "seq" else sort_of(ty.element))
    if ty.name == "seq":  # each element s[i], by its index
        item = trigger = enc.nth(term, element)
        inside = t.and_(t.app(t.Op.LE, t.IntVal(0), element), t.app(t.Op.LT, element, enc.seq_len(term)))
    else:  # each x in a set or multiset
        item, trigger = element, t.app(t.Op.SELECT, term, element)
        inside = trigger if ty.name == "set" else t.app(t.Op.LT, t.IntVal(0), trigger)
    body = t.implies(inside, value_constraint(item, ty.element, subsets, depth + 1))
    return t.and_(counts, t.Forall((element,), body, ((trigger,),)))


def _multiset_counts(term: t.Term, ty: Type) -> t.Term:
    element = t.bound("x", sort_of(ty.element))
    count = t.app(t.Op.SELECT, term, element)
    return t.Forall((element,), t.app(t.Op.LE, t.IntVal(0), count), ((count,),))


def contents_constraint(contents: t.Term, length: t.Term, element: Type, subsets: Subsets) -> t.Term:
    """The elements of an array of the type's element type satisfy its constraint (every store
    into the array is checked)."""
    if not subsets.constrained(element):
        return t.TRUE
    index = t.bound("i", t.INT)
    item = t.app(t.Op.SELECT, contents, index)
    inside = t.and_(t.app(t.Op.LE, t.IntVal(0), index), t.app(t.Op.LT, index, length))
    return t.Forall((index,), t.implies(inside, value_constraint(item, element, subsets, 1)), ((item,),))


def type_constraint(var: t.Term, ty: Type | None, subsets: Subsets) -> t.Term:
    """What a method may assume of a variable of the type in the current state: its value's
    constraint; of an array, that it is allocated and its elements' constraint."""
    if ty is not None and ty.name == "array":
        contents = enc.contents(var, sort_of(ty.element))
        elements = contents_constraint(contents, enc.length(var), ty.element, subsets)
        return t.and_(t.app(t.Op.SELECT, enc.ALLOC, var), elements)
    return value_constraint(var, ty, subsets)


@dataclass(frozen=True)
class Translator:
    functions: Mapping[str, ast.Function]
    fuel_of: Mapping[str, t.Term] = field(default_factory=dict)
    old: bool = False
    in_function: bool = False
    contents_of: Mapping[str, t.Term] = field(default_factory=dict)
    bound_terms: Mapping[str, t.Term] = field(default_factory=dict)  # what pattern variables denote
    subsets: Subsets = NO_DATATYPES

    def at_old(self) -> Translator:
        return dataclasses.replace(self, old=True)

    def binding(self, bindings: Mapping[str, t.Term]) -> Translator:
        return dataclasses.replace(self, bound_terms={**self.bound_terms, **bindings}) if bindings else self

    def pattern_match(self, pattern: ast.Pattern, value: t.Term) -> tuple[t.Term, dict[str, t.Term]]:
        """When `value` matches the pattern, and what the pattern's variables then stand for."""
        if pattern.is_variable:
            return t.TRUE, {pattern.uid: value}
        if pattern.literal is not None:
            return self.literal_match(pattern.literal, value), {}
        if not pattern.ctor:
            return t.TRUE, {}
        ctor = self.subsets.datatypes[ast.type_of(pattern).name].ctor(pattern.ctor)
        assert ctor is not None
        conditions = [dt.is_ctor(value, pattern.ctor)]
        bindings: dict[str, t.Term] = {}
        for position, arg in enumerate(pattern.args or ()):
            condition, inner = self.pattern_match(
                arg, field_of(value, ctor, position, sort_of(ast.type_of(arg)))
            )
            conditions.append(condition)
            bindings.update(inner)
        return t.and_(*conditions), bindings

    @staticmethod
    def literal_match(literal: int | bool, value: t.Term) -> t.Term:
        if isinstance(literal, bool):
            return value if literal else t.not_(value)
        return t.eq(value, t.IntVal(literal))

    def fuel(self, name: str) -> t.Term:
        return self.fuel_of.get(name, PROGRAM_FUEL)

    def array_contents(self, array: ast.Expr) -> t.Term:
        element = element_sort(array)
        if self.in_function:
            if isinstance(array, ast.Name) and array.uid in self.contents_of:
                return self.contents_of[array.uid]
            # Not in the reads clause (an obligation says so): an unknown value.
            return enc.unread(self(array), element)
        return enc.contents(self(array), element, self.old)

    def __call__(self, expr: ast.Expr) -> t.Term:
        match expr:
            case ast.IntLit():
                return self._int_lit(expr)
            case ast.BoolLit():
                return self._bool_lit(expr)
            case ast.RealLit():
                return real_value(expr.value)
            case ast.Conversion():
                return self._conversion(expr)
            case ast.Name():
                return self._name(expr)
            case ast.Unary():
                return self._unary(expr)
            case ast.Binary():
                return self._binary(expr)
            case ast.IfThenElse():
                return self._if_then_else(expr)
            case ast.Call():
                return self._call(expr)
            case ast.Old():
                return self._old(expr)
            case ast.Construct():
                return self._construct(expr)
            case ast.Destruct():
                return self._destruct(expr)
            case ast.IsCtor():
                return self._is_ctor(expr)
            case ast.Match():
                return self._match(expr)
            case ast.Let():
                return self._let(expr)
            case ast.Fresh():
                return self._fresh(expr)
            case ast.Index():
                return self._index(expr)
            case ast.Slice():
                return self._slice(expr)
            case ast.SeqUpdate():
                return self._seq_update(expr)
            case ast.Length():
                return self._length(expr)
            case ast.Cardinality():
                return self._cardinality(expr)
            case ast.SeqDisplay():
                return self._seq_display(expr)
            case ast.SetDisplay():
                return self._set_display(expr)
            case ast.MultisetDisplay():
                return self._multiset_display(expr)
            case ast.MultisetOf():
                return self._multiset_of(expr)
            case ast.Quantifier():
                return self._quantifier(expr)
            case _:
                raise TypeError(f"no translation for the expression kind {type(expr).__name__}")

    # ---- level 1

    def _int_lit(self, expr: ast.IntLit) -> t.Term:
        return t.IntVal(expr.value)

    def _bool_lit(self, expr: ast.BoolLit) -> t.Term:
        return t.BoolVal(expr.value)

    def _name(self, expr: ast.Name) -> t.Term:
        if expr.uid in self.bound_terms:
            return self.bound_terms[expr.uid]
        return variable_of(expr)

    def _unary(self, expr: ast.Unary) -> t.Term:
        operand = self(expr.operand)
        if expr.op == "!":
            return lit.unmarked(t.not_, operand)
        return lit.lifted(lambda value: t.app(t.Op.NEG, value), operand)

    def _binary(self, expr: ast.Binary) -> t.Term:
        left, right = self(expr.left), self(expr.right)
        left_ty = ast.type_of(expr.left)
        if expr.op in ("in", "!in"):
            member = self.membership(left, right, ast.type_of(expr.right))
            return member if expr.op == "in" else t.not_(member)
        if left_ty.is_collection and expr.op not in ("==", "!="):
            return self.collection_op(expr.op, left, right, left_ty)
        if expr.op in ("==", "!=") and left_ty.name == "seq":
            equal = enc.seq_equal(left, right)
            return equal if expr.op == "==" else t.not_(equal)
        if expr.op in ("==", "!=") and dt.is_datatype_sort(t.sort_of(left)):
            equal = dt.equal(left, right)
            return equal if expr.op == "==" else t.not_(equal)
        if expr.op in ("==", "!=") and t.sort_of(left) not in (t.INT, t.BOOL):
            return t.app(BINARY_OPS[expr.op], left, right)  # datatype values keep their marks
        return self.scalar_op(expr.op, left, right, left_ty)

    def scalar_op(self, op: str, left: t.Term, right: t.Term, left_ty: Type) -> t.Term:
        """An operation on numbers or truth values: arithmetic on marked values is a marked
        value, and a comparison compares the unmarked values."""
        if op in ("+", "-", "*", "/", "%"):
            operator = t.Op.REAL_DIV if op == "/" and left_ty == REAL_TYPE else BINARY_OPS[op]
            return lit.lifted(lambda a, b: t.app(operator, a, b), left, right)
        left, right = lit.unmark(left), lit.unmark(right)
        if op == "<==":
            return t.implies(right, left)
        if op == "&&":
            return t.and_(left, right)
        if op == "||":
            return t.or_(left, right)
        if op == "==" and left_ty == BOOL_TYPE:
            return t.app(t.Op.IFF, left, right)
        return t.app(BINARY_OPS[op], left, right)

    def _conversion(self, expr: ast.Conversion) -> t.Term:
        """`as` and `.Floor`: Z3's `to_real`, and `to_int`, which is the floor (`r as int` is
        checked to be applied to an integer, where the floor is the value itself)."""
        inner = self(expr.expr)
        source = ast.type_of(expr.expr).base
        if source == ast.type_of(expr):
            return inner
        return t.app(t.Op.TO_REAL if source == INT_TYPE else t.Op.TO_INT, inner)

    def membership(self, value: t.Term, container: t.Term, container_ty: Type) -> t.Term:
        if container_ty.name == "seq":
            return enc.seq_contains(container, value)
        if container_ty.name == "set":
            return t.app(t.Op.SELECT, container, value)
        return t.app(t.Op.LT, t.IntVal(0), t.app(t.Op.SELECT, container, value))

    def collection_op(self, op: str, left: t.Term, right: t.Term, ty: Type) -> t.Term:
        if ty.name == "seq":
            return lit.lifted(enc.append, left, right)
        if op == "+":
            return t.app(t.Op.MAP_ADD if ty.name == "multiset" else t.Op.MAP_OR, left, right)
        if ty.name == "multiset":
            return enc.multiset_op(op, left, right)
        if ty.name == "set":
            if op == "*":
                return t.app(t.Op.MAP_AND, left, right)
            if op == "-":
                return enc.set_difference(left, right)
            if op in ("<=", ">="):
                small, large = (left, right) if op == "<=" else (right, left)
                return enc.subset(small, large)
            if op in ("<", ">"):
                small, large = (left, right) if op == "<" else (right, left)
                return t.and_(enc.subset(small, large), t.app(t.Op.NE, small, large))
        raise NotImplementedError(f"{op} on {ty}")

    def _if_then_else(self, expr: ast.IfThenElse) -> t.Term:
        return t.ite(lit.unmark(self(expr.cond)), self(expr.then), self(expr.else_))

    def _call(self, expr: ast.Call) -> t.Term:
        function = self.functions[expr.name]
        args = [self(arg) for arg in expr.args]
        computable = has_literal_axioms(function)
        if computable:
            args = [lit.marked_value(arg) for arg in args]
        for array in reads_arguments(function, expr):
            args.append(self.array_contents(array))
        sort = t.BOOL if function.is_predicate else sort_of(function.result_ty)
        call = t.FunApp(expr.name, self.fuel(expr.name), tuple(args), sort)
        # A datatype value computed from literals is one too (Dafny's lifting), so that
        # `Length(Take(xs, 2))` is computed; not a number: a number's many marked forms
        # (`$lit(5)`, `$lit(4 + 1)`, ...) would each unfold the functions applied to it.
        if computable and dt.is_datatype_sort(sort) and all(lit.is_value(arg) for arg in args):
            return lit.mark(call)
        return call

    def _old(self, expr: ast.Old) -> t.Term:
        return self.at_old()(expr.expr)

    # ---- level 3

    def _construct(self, expr: ast.Construct) -> t.Term:
        args = tuple(self(arg) for arg in expr.args)
        value = dt.construct(sort_of(ast.type_of(expr)), expr.ctor, args)
        return dt.literal(value) if all(dt.is_constant(arg) for arg in args) else value

    def _destruct(self, expr: ast.Destruct) -> t.Term:
        return dt.destruct(self(expr.obj), expr.name, sort_of(ast.type_of(expr)))

    def _is_ctor(self, expr: ast.IsCtor) -> t.Term:
        return dt.is_ctor(self(expr.obj), expr.ctor)

    def _match(self, expr: ast.Match) -> t.Term:
        """The cases as nested if-then-else, the last one the default: the checks of
        well-formedness make sure that some case matches where the value is needed."""
        subject = self(expr.subject)
        result: t.Term | None = None
        for case in reversed(expr.cases):
            condition, bindings = self.pattern_match(case.pattern, subject)
            body = self.binding(bindings)(case.body)
            result = body if result is None else t.ite(condition, body, result)
        assert result is not None
        return result

    def _let(self, expr: ast.Let) -> t.Term:
        """The body with each variable standing for its value's term."""
        values = {var.uid: self(value) for var, value in zip(expr.variables, expr.values, strict=True)}
        return self.binding(values)(expr.body)

    # ---- level 2

    def _fresh(self, expr: ast.Fresh) -> t.Term:
        array = self(expr.expr)
        allocated_before = t.app(t.Op.SELECT, enc.alloc(old=True), array)
        return t.and_(t.not_(allocated_before), t.app(t.Op.SELECT, enc.alloc(self.old), array))

    def _index(self, expr: ast.Index) -> t.Term:
        index = self(expr.index)
        if ast.type_of(expr.seq).name == "array":
            return t.app(t.Op.SELECT, self.array_contents(expr.seq), index)
        return lit.lifted(enc.nth, self(expr.seq), index)

    def as_sequence(self, expr: ast.Expr) -> t.Term:
        """A sequence, or an array's contents as one (`a[..]`)."""
        if ast.type_of(expr).name == "array":
            return enc.array_seq(self.array_contents(expr), enc.length(self(expr)), element_sort(expr))
        return self(expr)

    def _slice(self, expr: ast.Slice) -> t.Term:
        whole = self.as_sequence(expr.seq)
        lo = self(expr.lo) if expr.lo is not None else None
        hi = self(expr.hi) if expr.hi is not None else None
        bounds = [bound for bound in (lo, hi) if bound is not None]
        return lit.lifted(lambda s, *b: enc.slice_of(s, *_rebound(lo, hi, b)), whole, *bounds)

    def _seq_update(self, expr: ast.SeqUpdate) -> t.Term:
        return lit.lifted(enc.seq_update, self(expr.seq), self(expr.index), self(expr.value))

    def _length(self, expr: ast.Length) -> t.Term:
        return enc.length(self(expr.array))

    def _cardinality(self, expr: ast.Cardinality) -> t.Term:
        kind = ast.type_of(expr.expr).name
        inner = self(expr.expr)
        if kind == "set":
            return enc.set_size(inner)
        return enc.multiset_size(inner) if kind == "multiset" else lit.lifted(enc.seq_len, inner)

    def _seq_display(self, expr: ast.SeqDisplay) -> t.Term:
        elements = [self(e) for e in expr.elements]
        if all(lit.is_value(e) for e in elements) and lit.has_marks(element_sort(expr)):
            return lit.mark(enc.seq_display([lit.unmark(e) for e in elements], element_sort(expr)))
        return enc.seq_display(elements, element_sort(expr))

    def _set_display(self, expr: ast.SetDisplay) -> t.Term:
        result = enc.empty_set(element_sort(expr))
        for element in expr.elements:
            result = enc.set_add(result, self(element))
        return result

    def _multiset_display(self, expr: ast.MultisetDisplay) -> t.Term:
        result = enc.empty_multiset(element_sort(expr))
        for element in expr.elements:
            result = enc.multiset_add(result, self(element))
        return result

    def _multiset_of(self, expr: ast.MultisetOf) -> t.Term:
        return enc.multiset_of(self(expr.expr), element_sort(expr))

    def _quantifier(self, expr: ast.Quantifier) -> t.Term:
        bound = tuple(variable_of(var) for var in expr.bound)
        body = self(expr.body)
        triggers = choose_triggers(body, bound)
        # A bound variable ranges over its type: `forall k: nat :: P` says nothing of k < 0.
        ranges = t.and_(
            *(
                value_constraint(v, ast.type_of(var), self.subsets)
                for v, var in zip(bound, expr.bound, strict=True)
            )
        )
        body = t.implies(ranges, body) if expr.is_forall else t.and_(ranges, body)
        return t.Forall(bound, body, triggers, not expr.is_forall)


def _rebound(
    lo: t.Term | None, hi: t.Term | None, given: tuple[t.Term, ...]
) -> tuple[t.Term | None, t.Term | None]:
    """A slice's bounds back in their places, from those present (`s[i..]`, `s[..j]`)."""
    rest = list(given)
    return (rest.pop(0) if lo is not None else None), (rest.pop(0) if hi is not None else None)


def has_literal_axioms(function: ast.Function) -> bool:
    """Whether the function is computed on literal arguments (`functions.literal_axioms`):
    it has a body and reads no array."""
    return function.body is not None and not function.reads


def array_params(function: ast.Function) -> list[tuple[int, ast.Param]]:
    return [(index, p) for index, p in enumerate(function.params) if ast.type_of(p).name == "array"]


def reads_arguments(function: ast.Function, call: ast.Call) -> list[ast.Expr]:
    """The arguments of a call whose contents the function is applied to: its array
    parameters. (Whether it may read them is the reads clause's business, checked apart.)"""
    return [call.args[index] for index, _ in array_params(function)]


def reads_contents(function: ast.Function) -> dict[str, t.Var]:
    """Inside a function: the contents variable of each array parameter."""
    return {
        param.name: enc.function_contents(param.name, sort_of(ast.type_of(param).element))
        for _, param in array_params(function)
    }


# ------------------------------------------------------------ triggers

TRIGGER_OPS = (t.Op.SELECT,)


def choose_triggers(body: t.Term, bound: tuple[t.Var, ...]) -> tuple[tuple[t.Term, ...], ...]:
    """Dafny-like triggers: the smallest function applications (array reads, sequence
    indexing, user functions) that mention the bound variables only as plain arguments."""
    names = {var.name for var in bound}
    candidates = [term for term in _subterms(body) if _is_trigger(term, names) and term.free_names & names]
    covering = [term for term in candidates if names <= term.free_names]
    minimal = [
        term
        for term in covering
        if not any(other is not term and other in _subterms_of(term) for other in covering)
    ]
    if minimal:
        return tuple((term,) for term in _unique(minimal))
    chosen: list[t.Term] = []
    covered: set[str] = set()
    for term in sorted(candidates, key=lambda c: -len(c.free_names & names)):
        if not (term.free_names & names) <= covered:
            chosen.append(term)
            covered |= term.free_names & names
    return (tuple(chosen),) if covered >= names and chosen else ()


def _unique(terms: list[t.Term]) -> list[t.Term]:
    seen: list[t.Term] = []
    for term in terms:
        if term not in seen:
            seen.append(term)
    return seen


def _subterms(term: t.Term) -> list[t.Term]:
    found = [term]
    if isinstance(term, t.Forall):
        return found
    for child in t.children(term):
        found.extend(_subterms(child))
    return found


def _subterms_of(term: t.Term) -> list[t.Term]:
    return [sub for child in t.children(term) for sub in _subterms(child)]


def _is_trigger(term: t.Term, names: set[str]) -> bool:
    if isinstance(term, t.FunApp) or (isinstance(term, t.App) and term.op in TRIGGER_OPS):
        return all(_plain_argument(child, names) for child in t.children(term))
    return False


def _plain_argument(term: t.Term, names: set[str]) -> bool:
    if isinstance(term, t.Var) or not (term.free_names & names):
        return True
    return _is_trigger(term, names)
