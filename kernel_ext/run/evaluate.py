"""Expression evaluation for the interpreter, with the checks expressions carry: divisors,
indices and slice bounds, `reads` frames, arrays allocated before `old` reads them,
destructors, `match` cases and subset types. Quantifiers range over what `bounds.py`
finds; large numbers and collections cost steps in proportion to their size (`charge`).
Also here: termination measures, and Dafny's orders on run-time values (`VALUES`)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction

from kernel_ext.lang import reals
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.semantics import (
    Key,
    Measured,
    Relation,
    missing_case_message,
    order_of,
    requires_integer,
    uncovered_ctors,
)
from kernel_ext.lang.source import Span
from kernel_ext.lang.subsets import gives_value_of_a_branch
from kernel_ext.lang.types import NAT, Type
from kernel_ext.obligations import (
    LOWER_BOUND,
    NEGATIVE_SIZE,
    SUBSET_MESSAGE,
    UPPER_BOUND,
    UPPER_BOUND_ONLY,
    ObligationKind,
)
from kernel_ext.run.bounds import Enumerator, QuantifierRange, Unbounded, find_range
from kernel_ext.run.choice import choice_candidates, combinations
from kernel_ext.run.machine import Frame, Machine, Stop, point
from kernel_ext.run.results import EvaluationFailed, Outcome
from kernel_ext.run.values import ArrayValue, DataValue, Multiset, conforms, seq_rank, show_value

# Evaluating an invariant for a loop table gets its own budget, outside the run's steps.
PROBE_STEP_BUDGET = 20_000
# Building a collection costs a step per this many elements; a number, per this many bits.
ELEMENTS_PER_STEP = 32
BITS_PER_STEP = 64
MAX_INT_BITS = 1_000_000
MAX_ARRAY_LENGTH = 1_000_000
UNBOUNDED_SEARCH = 2_000  # small values tried for a quantifier without a range

# How a kind of expression is evaluated: (expression, frame, view) -> value.
Rule = Callable[[ast.Expr, Frame, int | None], object]


def euclidean_div(a: int, b: int) -> int:
    """Dafny's `/`: a == b * (a / b) + a % b with 0 <= a % b < |b|."""
    return (a - euclidean_mod(a, b)) // b


def euclidean_mod(a: int, b: int) -> int:
    return a % abs(b)


class Evaluator:
    """Evaluates expressions in a frame of the machine. A function call is evaluated by the
    rule `connect` installs (the calls part), once the parts of the run are built."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.heap = machine.heap
        self.datatypes = machine.datatypes
        # each constructor's destructors (named or made up) and their positions
        self.positions = {
            (decl.name, ctor.name): {
                ast.destructor_name(ctor, position): position for position in range(len(ctor.fields))
            }
            for decl in self.datatypes.values()
            for ctor in decl.ctors
        }
        self.ranges: dict[int, QuantifierRange] = {}
        self.evaluators: dict[type, Rule] = {
            ast.IntLit: lambda e, f, v: e.value,
            ast.RealLit: lambda e, f, v: e.value,
            ast.Conversion: self.eval_conversion,
            ast.BoolLit: lambda e, f, v: e.value,
            ast.Name: lambda e, f, v: f.env[e.uid],
            ast.Unary: self.eval_unary,
            ast.Binary: self.eval_binary,
            ast.IfThenElse: self.eval_if_then_else,
            ast.Old: lambda e, f, v: self.eval(e.expr, f, f.entry_time),
            ast.Fresh: self.eval_fresh,
            ast.Index: self.eval_index,
            ast.Slice: self.eval_slice,
            ast.SeqUpdate: self.eval_seq_update,
            ast.Length: self.eval_length,
            ast.Cardinality: lambda e, f, v: len(self.eval(e.expr, f, v)),
            ast.SeqDisplay: lambda e, f, v: tuple([self.eval(x, f, v) for x in e.elements]),
            ast.SetDisplay: lambda e, f, v: frozenset([self.eval(x, f, v) for x in e.elements]),
            ast.MultisetDisplay: lambda e, f, v: Multiset([self.eval(x, f, v) for x in e.elements]),
            ast.MultisetOf: self.eval_multiset_of,
            ast.NewArray: lambda e, f, v: self.allocate(e, f),
            ast.Quantifier: self.eval_quantifier,
            ast.Construct: self.eval_construct,
            ast.Destruct: self.eval_destruct,
            ast.IsCtor: lambda e, f, v: self.eval(e.obj, f, v).ctor == e.ctor,
            ast.Match: self.eval_match,
            ast.Let: self.eval_let,
        }

    def connect(self, call_function: Rule) -> None:
        self.evaluators[ast.Call] = call_function

    def eval(self, expr: ast.Expr, frame: Frame, view: int | None) -> object:
        """The value of `expr` in `frame`; `view` is the clock time whose array contents are
        read (a method's entry time inside `old`), None for the current ones."""
        machine = self.machine
        machine.steps += 1
        if machine.steps > machine.limit:
            raise machine.step_limit_stop()
        return self.evaluators[type(expr)](expr, frame, view)

    def evaluate_quietly(self, expr: ast.Expr, frame: Frame) -> object:
        """The value of `expr` for a loop table, on a budget of its own and leaving the run's
        steps as they were; raises EvaluationFailed (with the reason) if it has none."""
        machine = self.machine
        steps, limit, depth = machine.steps, machine.limit, machine.depth
        machine.limit = machine.steps + PROBE_STEP_BUDGET
        try:
            return self.eval(expr, frame, None)
        except Stop as stop:
            reason = stop.violation.detail if stop.violation is not None else stop.message
            raise EvaluationFailed(reason) from None
        except RecursionError:
            raise EvaluationFailed("the calls nest too deeply") from None
        finally:
            machine.steps, machine.limit, machine.depth = steps, limit, depth

    # ---- operators

    def eval_unary(self, expr: ast.Unary, frame: Frame, view: int | None) -> object:
        value = self.eval(expr.operand, frame, view)
        return -value if expr.op == "-" else not value

    def eval_if_then_else(self, expr: ast.IfThenElse, frame: Frame, view: int | None) -> object:
        branch = expr.then if self.eval(expr.cond, frame, view) else expr.else_
        return self.eval(branch, frame, view)

    def eval_binary(self, expr: ast.Binary, frame: Frame, view: int | None) -> object:
        op = expr.op
        if op == "&&":
            return bool(self.eval(expr.left, frame, view)) and bool(self.eval(expr.right, frame, view))
        if op == "||":
            return bool(self.eval(expr.left, frame, view)) or bool(self.eval(expr.right, frame, view))
        if op == "==>":
            return (not self.eval(expr.left, frame, view)) or bool(self.eval(expr.right, frame, view))
        if op == "<==":
            return (not self.eval(expr.right, frame, view)) or bool(self.eval(expr.left, frame, view))
        left = self.eval(expr.left, frame, view)
        right = self.eval(expr.right, frame, view)
        if op in ("/", "%"):
            if right == 0:
                raise self.machine.violation(
                    ObligationKind.DIVISION_BY_ZERO,
                    expr.op_span,
                    frame,
                    f"the divisor `{self.machine.text(expr.right)}` is 0",
                )
            if isinstance(left, Fraction):
                return self.charged(left / right)
            return euclidean_div(left, right) if op == "/" else euclidean_mod(left, right)
        if isinstance(left, DataValue) and isinstance(right, DataValue):  # compared node by node
            self.machine.tick(min(left.size, right.size) // ELEMENTS_PER_STEP)
        value = _combine(op, left, right)
        self.charge(value)
        return value

    def eval_conversion(self, expr: ast.Conversion, frame: Frame, view: int | None) -> object:
        """`x as real`, `r as int` (of a whole number: checked) and `r.Floor`."""
        value = self.eval(expr.expr, frame, view)
        if not isinstance(value, Fraction):
            return Fraction(value) if expr.target == "real" else value
        if expr.target == "real":
            return value
        if requires_integer(expr) and not reals.is_integer(value):
            raise self.machine.violation(
                ObligationKind.IS_INTEGER,
                expr.token,
                frame,
                f"`{self.machine.text(expr.expr)}` is {reals.show_real(value)}, not a whole number",
            )
        return reals.floor(value)

    def charged(self, value: object) -> object:
        self.charge(value)
        return value

    def charge(self, value: object) -> None:
        """Large numbers and collections cost steps in proportion to their size."""
        if isinstance(value, Fraction):
            self.charge(value.numerator)
            self.charge(value.denominator)
        elif isinstance(value, int):
            bits = value.bit_length()
            if bits > 4 * BITS_PER_STEP:
                if bits > MAX_INT_BITS:
                    raise Stop(
                        Outcome.CANNOT_EVALUATE,
                        f"a number has more than {MAX_INT_BITS:,} bits: too large to compute with",
                    )
                self.machine.tick(bits // BITS_PER_STEP)
        elif isinstance(value, tuple | frozenset | Multiset):
            self.machine.tick(len(value) // ELEMENTS_PER_STEP)

    # ---- arrays

    def eval_fresh(self, expr: ast.Fresh, frame: Frame, view: int | None) -> object:
        array = self.eval(expr.expr, frame, view)
        return self.heap.allocated(array) >= frame.entry_time

    def allocate(self, expr: ast.NewArray, frame: Frame) -> ArrayValue:
        size = self.eval(expr.size, frame, None)
        if size < 0:
            raise self.machine.violation(
                ObligationKind.INDEX_RANGE,
                expr.size.span,
                frame,
                f"the size {size} is negative",
                message=NEGATIVE_SIZE,
            )
        if size > MAX_ARRAY_LENGTH:
            raise Stop(
                Outcome.CANNOT_EVALUATE,
                f"an array of {size:,} elements is more than the interpreter allocates ({MAX_ARRAY_LENGTH:,})",
                expr.span,
            )
        self.machine.tick(size // ELEMENTS_PER_STEP)
        element_ty = ast.type_of(expr).element
        return self.heap.allocate([self.machine.default(element_ty) for _ in range(size)])

    def sequence_of(
        self, expr: ast.Expr, base: object, frame: Frame, view: int | None
    ) -> tuple[object, ...] | list[object]:
        if isinstance(base, ArrayValue):
            if frame.reads is not None and id(base) not in frame.reads:
                raise self.machine.violation(
                    ObligationKind.READS,
                    expr.token,
                    frame,
                    f"{frame.decl.name} reads `{self.machine.text(expr.seq)}`, which its reads clause does not name",
                )
            self.check_allocated(base, expr.seq, frame, view)
            return self.heap.contents(base, view)
        return base

    def check_allocated(self, array: ArrayValue, expr: ast.Expr, frame: Frame, view: int | None) -> None:
        """In `old(...)`, an array must have existed when the method began."""
        if view is not None and self.heap.allocated(array) >= view:
            raise self.machine.violation(
                ObligationKind.ALLOCATED,
                expr.span,
                frame,
                f"`{self.machine.text(expr)}` was allocated after {frame.decl.name} began, where `old` reads it",
            )

    def eval_length(self, expr: ast.Length, frame: Frame, view: int | None) -> int:
        array = self.eval(expr.array, frame, view)
        self.check_allocated(array, expr.array, frame, view)
        return len(array.elements)

    # ---- sequences and multisets

    def eval_index(self, expr: ast.Index, frame: Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        index = self.eval(expr.index, frame, view)
        items = self.sequence_of(expr, base, frame, view)
        if not 0 <= index < len(items):
            what = "an array" if isinstance(base, ArrayValue) else "a sequence"
            raise self.machine.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"index {index} is out of range for {what} of length {len(items)}",
            )
        return items[index]

    def eval_slice(self, expr: ast.Slice, frame: Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        lo = self.eval(expr.lo, frame, view) if expr.lo is not None else None
        hi = self.eval(expr.hi, frame, view) if expr.hi is not None else None
        items = self.sequence_of(expr, base, frame, view)
        size = len(items)
        is_array = isinstance(base, ArrayValue)
        if lo is not None and not (lo >= 0 and (hi is not None or lo <= size)):
            raise self.machine.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"the lower bound {lo} is out of range for length {size}",
                message=LOWER_BOUND,
            )
        if hi is not None and not ((lo or 0) <= hi <= size):
            message = UPPER_BOUND.format(what="array" if is_array else "sequence")
            if lo is None:
                message = UPPER_BOUND_ONLY
            raise self.machine.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"the bounds {lo if lo is not None else 0}..{hi} are out of range for length {size}",
                message=message,
            )
        result = tuple(items[lo:hi])
        self.charge(result)
        return result

    def eval_seq_update(self, expr: ast.SeqUpdate, frame: Frame, view: int | None) -> object:
        base = self.eval(expr.seq, frame, view)
        index = self.eval(expr.index, frame, view)
        value = self.eval(expr.value, frame, view)
        assert isinstance(base, tuple)
        if not 0 <= index < len(base):
            raise self.machine.violation(
                ObligationKind.INDEX_RANGE,
                expr.token,
                frame,
                f"index {index} is out of range for a sequence of length {len(base)}",
            )
        result = base[:index] + (value,) + base[index + 1 :]
        self.charge(result)
        return result

    def eval_multiset_of(self, expr: ast.MultisetOf, frame: Frame, view: int | None) -> object:
        result = Multiset(self.eval(expr.expr, frame, view))
        self.charge(result)
        return result

    # ---- quantifiers

    def eval_quantifier(self, expr: ast.Quantifier, frame: Frame, view: int | None) -> object:
        found = self.ranges.get(id(expr))
        if found is None:
            found = self.ranges[id(expr)] = find_range(expr, self.machine.subsets)
        enumerator = Enumerator(found, lambda bound: self.eval(bound, frame, view))
        variables = [var.uid for var in expr.bound]
        saved = {uid: frame.env[uid] for uid in variables if uid in frame.env}
        try:
            with self.machine.under_way("quantifier", "", expr.span):
                return self.quantify(expr, enumerator, variables, set(), frame, view)
        except Unbounded as unbounded:
            decided = self.decided_by_small_values(expr, frame, view)
            if decided is not None:
                return decided
            names = ", ".join(f"'{name}'" for name in unbounded.names)
            joiner = "`==>`" if expr.is_forall else "`&&`"
            raise Stop(
                Outcome.CANNOT_EVALUATE,
                f"cannot evaluate the quantifier at line {expr.span.start_line}: no range found for {names} "
                f"(bound each variable before {joiner}, e.g. `0 <= k < |s|` or `k in s`)",
                expr.span,
            ) from None
        finally:
            for uid in variables:
                frame.env.pop(uid, None)
            frame.env.update(saved)

    def decided_by_small_values(self, expr: ast.Quantifier, frame: Frame, view: int | None) -> bool | None:
        """A quantifier without a range, decided where small values decide it: an `exists`
        true at some small value is true, a `forall` false at one is false (the values `:|`
        tries). Otherwise None: not knowing is not a verdict."""
        pools = [choice_candidates(ast.type_of(var), self.machine.datatypes) for var in expr.bound]
        if any(pool is None for pool in pools):
            return None
        for values in itertools.islice(combinations(pools), UNBOUNDED_SEARCH):  # type: ignore[arg-type]
            self.machine.tick()
            frame.env.update((var.uid, value) for var, value in zip(expr.bound, values, strict=True))
            if bool(self.eval(expr.body, frame, view)) != expr.is_forall:
                return not expr.is_forall
        return None

    def quantify(
        self,
        expr: ast.Quantifier,
        enumerator: Enumerator,
        remaining: list[str],
        assigned: set[str],
        frame: Frame,
        view: int | None,
    ) -> bool:
        if not remaining:
            return bool(self.eval(expr.body, frame, view))
        var, domain = enumerator.next_domain(remaining, assigned)
        rest = [other for other in remaining if other != var]
        declared = self.declared_bound(expr, var)
        for value in domain:
            self.machine.tick()
            if declared is not None and not conforms(value, declared, self.machine.subsets):
                continue  # a quantifier over a subset type ranges over its values only
            frame.env[var] = value
            holds = self.quantify(expr, enumerator, rest, assigned | {var}, frame, view)
            if holds != expr.is_forall:
                return holds
        return expr.is_forall

    def declared_bound(self, expr: ast.Quantifier, uid: str) -> Type | None:
        """The type of a bound variable when it is a declared subset type (whose values the
        range found in the body need not keep to)."""
        ty = next(ast.type_of(var) for var in expr.bound if var.uid == uid)
        return ty if self.machine.subsets.declared_subset(ty) is not None else None

    # ---- datatypes

    def eval_construct(self, expr: ast.Construct, frame: Frame, view: int | None) -> DataValue:
        """A constructor's arguments, each checked against its field's type in the value's instance."""
        args = tuple([self.eval(arg, frame, view) for arg in expr.args])
        datatype = self.datatypes[expr.datatype]
        ctor = datatype.ctor(expr.ctor)
        assert ctor is not None
        for arg, value, ty in zip(
            expr.args, args, datatype.field_types(ctor, ast.type_of(expr)), strict=True
        ):
            self.check_value_subset(ty, value, arg, frame, view)
        return DataValue(expr.datatype, expr.ctor, args)

    def eval_destruct(self, expr: ast.Destruct, frame: Frame, view: int | None) -> object:
        value = self.eval(expr.obj, frame, view)
        assert isinstance(value, DataValue)
        if value.ctor not in expr.ctors:
            ctors = " or ".join(f"'{name}'" for name in expr.ctors)
            raise self.machine.violation(
                ObligationKind.DESTRUCTOR,
                expr.name_span,
                frame,
                f"`{self.machine.text(expr.obj)}` is {show_value(value)}, and '{expr.name}' exists only for {ctors}",
                message=f"destructor '{expr.name}' can only be applied to datatype values constructed by {ctors}",
            )
        return value.args[self.positions[value.datatype, value.ctor][expr.name]]

    def eval_match(self, expr: ast.Match, frame: Frame, view: int | None) -> object:
        with self.case_taken(expr, frame, view) as case:
            return self.eval(case.body, frame, view)

    @contextlib.contextmanager
    def case_taken(self, expr: ast.Match, frame: Frame, view: int | None) -> Iterator[ast.MatchCase]:
        """The case the subject's value matches, its pattern's variables bound meanwhile."""
        value = self.eval(expr.subject, frame, view)
        for case in expr.cases:
            bound: dict[str, object] = {}
            if not self.matches(case.pattern, value, bound):
                continue
            saved = {uid: frame.env[uid] for uid in bound if uid in frame.env}
            for var in ast.pattern_variables(case.pattern):
                frame.env[var.uid] = bound[var.uid]
                frame.names[var.uid] = var.name
            try:
                yield case
                return
            finally:
                for uid in bound:
                    frame.env.pop(uid, None)
                frame.env.update(saved)
        raise self.missing_case(expr, value, frame)

    def eval_let(self, expr: ast.Let, frame: Frame, view: int | None) -> object:
        """The values first, each checked against its variable's type, then the body with the
        variables bound to them."""
        values = [self.eval(value, frame, view) for value in expr.values]
        for var, value, value_expr in zip(expr.variables, values, expr.values, strict=True):
            self.check_subset(ast.type_of(var), value, value_expr.span, frame)
        saved = {var.uid: frame.env[var.uid] for var in expr.variables if var.uid in frame.env}
        for var, value in zip(expr.variables, values, strict=True):
            frame.env[var.uid] = value
            frame.names[var.uid] = var.name
        try:
            return self.eval(expr.body, frame, view)
        finally:
            for var in expr.variables:
                frame.env.pop(var.uid, None)
            frame.env.update(saved)

    def matches(self, pattern: ast.Pattern, value: object, bound: dict[str, object]) -> bool:
        """Whether `value` matches the pattern; if so, `bound` gets the values of its variables."""
        if pattern.literal is not None:
            return value == pattern.literal
        if pattern.ctor:
            if not isinstance(value, DataValue) or value.ctor != pattern.ctor:
                return False
            return all(
                self.matches(arg, item, bound)
                for arg, item in zip(pattern.args or (), value.args, strict=True)
            )
        if pattern.is_variable:
            bound[pattern.uid] = value
        return True

    def missing_case(self, match: ast.Match | ast.MatchStmt, value: object, frame: Frame) -> Stop:
        uncovered = uncovered_ctors(match, self.datatypes)
        return self.machine.violation(
            ObligationKind.MATCH_COMPLETE,
            point(match.span),
            frame,
            f"no case of the match matches the value {show_value(value)} of `{self.machine.text(match.subject)}`",
            message=missing_case_message(match, uncovered),
        )

    # ---- types and measures

    def check_value_subset(
        self, ty: Type | None, value: object, expr: ast.Expr, frame: Frame, view: int | None
    ) -> None:
        """`check_subset` of the value of `expr`, reported at the branch that gave the value."""
        if ty is not None and ty.name != "array" and not conforms(value, ty, self.machine.subsets):
            self.check_subset(ty, value, self.blamed_branch(expr, frame, view).span, frame)

    def blamed_branch(self, expr: ast.Expr, frame: Frame, view: int | None) -> ast.Expr:
        """The innermost branch that gave `expr` its value (`subsets.gives_value_of_a_branch`);
        its conditions are evaluated again, as nothing they read has changed."""
        if not gives_value_of_a_branch(expr):
            return expr
        match expr:
            case ast.IfThenElse():
                branch = expr.then if self.eval(expr.cond, frame, view) else expr.else_
                return self.blamed_branch(branch, frame, view)
            case ast.Match():
                with self.case_taken(expr, frame, view) as case:
                    return self.blamed_branch(case.body, frame, view)
            case _:
                raise AssertionError(f"no branches in {type(expr).__name__}")

    def constraint_holds(self, decl: ast.SubsetType, value: object) -> bool:
        """Whether a value of the parent type satisfies a declared subset type's constraint."""
        predicate = decl.predicate
        assert predicate is not None and predicate.body is not None
        env = {param.name: value for param in predicate.params}
        frame = Frame(predicate, env, {name: name for name in env}, entry_time=0, depth=self.machine.depth)
        return bool(self.eval(predicate.body, frame, None))

    def witness_value(self, decl: ast.SubsetType) -> object:
        """A declared subset type's witness (0, Dafny's default, when it has none)."""
        if decl.witness is None:
            return 0
        assert decl.predicate is not None
        return self.eval(
            decl.witness, Frame(decl.predicate, {}, {}, entry_time=0, depth=self.machine.depth), None
        )

    def check_subset(self, ty: Type | None, value: object, span: Span, frame: Frame) -> None:
        """A value stored where a type goes: its subset constraints, at every depth."""
        if ty is not None and ty.name != "array" and not conforms(value, ty, self.machine.subsets):
            detail = (
                f"the value {value} is not a nat"
                if ty == NAT
                else f"the value {show_value(value)} does not satisfy the constraints of '{ty}'"
            )
            message = "" if ty == NAT else SUBSET_MESSAGE.format(target=ty)
            raise self.machine.violation(ObligationKind.SUBSET_TYPE, span, frame, detail, message=message)

    def measure_values(self, exprs: tuple[ast.Expr, ...], frame: Frame) -> tuple[Measured[object], ...]:
        """Each component's value with the order its type is compared in."""
        return tuple(
            (self.eval(expr, frame, None), order_of(ast.type_of(expr), self.datatypes)) for expr in exprs
        )


def _combine(op: str, left: object, right: object) -> object:
    if op == "<==>" or op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "in":
        return left in right  # type: ignore[operator]
    if op == "!in":
        return left not in right  # type: ignore[operator]
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    if op == ">":
        return left > right  # type: ignore[operator]
    if op == ">=":
        return left >= right  # type: ignore[operator]
    if isinstance(left, frozenset):
        return {"+": left | right, "-": left - right, "*": left & right}[op]  # type: ignore[operator]
    if op == "+":
        return left + right  # type: ignore[operator]
    if op == "-":
        return left - right  # type: ignore[operator]
    if op == "*":
        return left * right  # type: ignore[operator]
    raise ValueError(f"unknown operator {op}")


class ValueLogic:
    """Dafny's orders (`semantics.Order`) on run-time values: what a run checks. A datatype
    value's rank is its height, which each constructor argument is below; a sequence's rank
    is `seq_rank`."""

    def key(self, value: object, key: Key) -> object:
        if key is Key.LENGTH:
            return len(value)  # type: ignore[arg-type]
        if key is Key.SEQ_RANK:
            return seq_rank(value)  # type: ignore[arg-type]
        return value.height if key is Key.RANK and isinstance(value, DataValue) else value

    def below(self, new: object, old: object, relation: Relation) -> bool:
        if relation is Relation.BOOL:
            return not new and bool(old)
        if relation is Relation.REAL:
            return new <= old - 1  # type: ignore[operator]
        return new < old  # type: ignore[operator]  # ints, proper subsets and sub-multisets

    def at_least_zero(self, value: object) -> bool:
        return value >= 0  # type: ignore[operator]

    def equal(self, new: object, old: object) -> bool:
        return new == old

    def conj(self, items: Sequence[object]) -> bool:
        return all(items)

    def disj(self, items: Sequence[object]) -> bool:
        return any(items)

    def implies(self, premise: object, conclusion: object) -> bool:
        return not premise or bool(conclusion)


VALUES = ValueLogic()


def show_measure(measure: tuple[Measured[object], ...]) -> str:
    shown = ", ".join(show_value(value) for value, _ in measure)
    return shown if len(measure) == 1 else f"({shown})"
