"""Well-formedness of expressions: the checks that evaluating an expression is defined
(divisors, indices, slices, reads, destructors, `match` cases, function preconditions and
termination, subset types of constructor arguments), short-circuiting as Dafny does."""

from __future__ import annotations

from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.reals import ZERO
from kernel_ext.lang.semantics import missing_case_message, requires_integer, uncovered_ctors
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import REAL
from kernel_ext.obligations import LOWER_BOUND, UPPER_BOUND, UPPER_BOUND_ONLY, ObligationKind, clause_parts
from kernel_ext.verify import datatypes as dt
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body
from kernel_ext.verify.gcl import Assert, Assume, Command
from kernel_ext.verify.termination import Termination
from kernel_ext.verify.translate import (
    Translator,
    array_params,
    reads_contents,
    real_value,
    value_constraint,
    variable_of,
)
from kernel_ext.verify.triggers import quantified


def names_own_result(function: ast.Function, call: ast.Call) -> bool:
    """`F(x, y)` on F's own parameters: in F's `ensures` it denotes the result of this very
    call, as in Dafny, not a recursive call that must terminate (in the body it is one)."""
    return call.name == function.name and [
        arg.uid if isinstance(arg, ast.Name) else None for arg in call.args
    ] == [param.name for param in function.params]


@dataclass
class WellFormedness:
    """The well-formedness checks of the expressions in one method's or function's code."""

    body: Body
    termination: Termination
    in_own_ensures: bool = False  # checking a function's ensures: see names_own_result

    def checks(
        self, expr: ast.Expr, path: t.Term = t.TRUE, translate: Translator | None = None
    ) -> list[Command]:
        """Checks that evaluating `expr` is defined, short-circuiting as Dafny does."""
        tr = translate or self.body.translate
        if isinstance(expr, ast.Old):
            return self.checks(expr.expr, path, tr.at_old())
        if isinstance(expr, ast.Binary):
            return self.binary_checks(expr, path, tr)
        if isinstance(expr, ast.IfThenElse):
            cond = tr(expr.cond)
            return (
                self.checks(expr.cond, path, tr)
                + self.checks(expr.then, t.and_(path, cond), tr)
                + self.checks(expr.else_, t.and_(path, t.not_(cond)), tr)
            )
        if isinstance(expr, ast.Call):
            return self.call_checks(expr, path, tr)
        if isinstance(expr, ast.Quantifier):
            return self.quantifier_checks(expr, path, tr)
        if isinstance(expr, ast.Match):
            return self.match_checks(expr, path, tr)
        if isinstance(expr, ast.Let):
            return self.let_checks(expr, path, tr)
        if isinstance(expr, ast.Destruct):
            return self.checks(expr.obj, path, tr) + [self.destructor_check(expr, path, tr)]
        commands = [command for child in ast.expr_children(expr) for command in self.checks(child, path, tr)]
        if tr.old and isinstance(expr, ast.Length | ast.Index | ast.Slice):
            commands += self.allocated_in_old(expr, path, tr)
        if isinstance(expr, ast.Construct):
            commands += self.constructor_checks(expr, path, tr)
        if isinstance(expr, ast.Index | ast.Slice | ast.SeqUpdate):
            commands += self.access_checks(expr, path, tr)
        if isinstance(expr, ast.Conversion) and requires_integer(expr):
            whole = t.app(t.Op.IS_INT, tr(expr.expr))
            commands.append(self.body.check(t.implies(path, whole), ObligationKind.IS_INTEGER, expr.token))
        return commands

    def allocated_in_old(
        self, expr: ast.Length | ast.Index | ast.Slice, path: t.Term, tr: Translator
    ) -> list[Command]:
        """In `old(...)`, an array is read in the method's initial state: it must exist there."""
        array = expr.array if isinstance(expr, ast.Length) else expr.seq
        params = {param.name for param in self.body.owner.params}
        if ast.type_of(array).name != "array" or (isinstance(array, ast.Name) and array.uid in params):
            return []  # a parameter existed when the method began
        existed = t.app(t.Op.SELECT, enc.alloc(old=True), tr(array))
        return [self.body.check(t.implies(path, existed), ObligationKind.ALLOCATED, array.span)]

    def constructor_checks(self, expr: ast.Construct, path: t.Term, tr: Translator) -> list[Command]:
        """Each argument against its field's type in the value's instance: `Mk(-1)` of a `nat` field."""
        datatype = self.body.unit.datatypes[ast.type_of(expr).name]
        ctor = datatype.ctor(expr.ctor)
        assert ctor is not None
        field_types = datatype.field_types(ctor, ast.type_of(expr))
        return [
            command
            for arg, field_ty in zip(expr.args, field_types, strict=True)
            for command in self.body.subset_checks_of(arg, tr, field_ty, path)
        ]

    def destructor_check(self, expr: ast.Destruct, path: t.Term, tr: Translator) -> Assert:
        value = tr(expr.obj)
        allowed = t.or_(*(dt.is_ctor(value, name) for name in expr.ctors))
        ctors = " or ".join(f"'{name}'" for name in expr.ctors)
        message = f"destructor '{expr.name}' can only be applied to datatype values constructed by {ctors}"
        return self.body.check(
            t.implies(path, allowed), ObligationKind.DESTRUCTOR, expr.name_span, message=message
        )

    def match_checks(self, expr: ast.Match, path: t.Term, tr: Translator) -> list[Command]:
        commands = self.checks(expr.subject, path, tr)
        subject = tr(expr.subject)
        earlier: list[t.Term] = []
        for case in expr.cases:
            condition, bindings = tr.pattern_match(case.pattern, subject)
            case_path = t.and_(path, *(t.not_(c) for c in earlier), condition)
            commands += self.checks(case.body, case_path, tr.binding(bindings))
            earlier.append(condition)
        missing = self.missing_cases(expr, subject, earlier, path)
        return commands + ([missing] if missing else [])

    def let_checks(self, expr: ast.Let, path: t.Term, tr: Translator) -> list[Command]:
        """The values' checks, each value against its variable's type, then the body's with
        the variables standing for the values."""
        commands: list[Command] = []
        bindings: dict[str, t.Term] = {}
        for var, value in zip(expr.variables, expr.values, strict=True):
            commands += self.checks(value, path, tr)
            term = tr(value)
            commands += self.body.subset_check(term, ast.type_of(value), ast.type_of(var), value.span, path)
            bindings[var.uid] = term
        return commands + self.checks(expr.body, path, tr.binding(bindings))

    def missing_cases(
        self,
        match: ast.Match | ast.MatchStmt,
        subject: t.Term,
        conditions: list[t.Term],
        path: t.Term,
    ) -> Assert | None:
        """The check that some case matches, unless the cases cover every constructor."""
        uncovered = uncovered_ctors(match, self.body.unit.datatypes)
        if not uncovered:
            return None
        message = missing_case_message(match, uncovered)
        at = Span.point(match.span.start_line, match.span.start_col)
        return self.body.check(
            t.implies(path, t.or_(*conditions)), ObligationKind.MATCH_COMPLETE, at, message=message
        )

    def binary_checks(self, expr: ast.Binary, path: t.Term, tr: Translator) -> list[Command]:
        left = tr(expr.left)
        if expr.op in ("&&", "==>"):
            return self.checks(expr.left, path, tr) + self.checks(expr.right, t.and_(path, left), tr)
        if expr.op == "||":
            return self.checks(expr.left, path, tr) + self.checks(expr.right, t.and_(path, t.not_(left)), tr)
        if expr.op == "<==":
            right = tr(expr.right)
            return self.checks(expr.right, path, tr) + self.checks(expr.left, t.and_(path, right), tr)
        commands = self.checks(expr.left, path, tr) + self.checks(expr.right, path, tr)
        if expr.op in ("/", "%"):
            zero = real_value(ZERO) if ast.type_of(expr.right) == REAL else t.IntVal(0)
            nonzero = t.app(t.Op.NE, tr(expr.right), zero)
            commands.append(
                self.body.check(t.implies(path, nonzero), ObligationKind.DIVISION_BY_ZERO, expr.op_span)
            )
        return commands

    def access_checks(
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
        commands.append(self.body.check(t.implies(path, in_range), ObligationKind.INDEX_RANGE, expr.token))
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
                self.body.check(
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
                self.body.check(
                    t.implies(path, in_range), ObligationKind.INDEX_RANGE, expr.token, message=message
                )
            )
        return checks

    def reads_check(self, array: ast.Expr, span: Span, path: t.Term, tr: Translator) -> list[Command]:
        """In a function, an array it reads is named in its `reads` clause."""
        owner = self.body.owner
        if not isinstance(owner, ast.Function):
            return []
        named = {item.uid for item in owner.reads if isinstance(item, ast.Name)}
        if isinstance(array, ast.Name) and array.uid in named:
            return []
        allowed = [t.eq(tr(array), tr(item)) for item in owner.reads]
        return [self.body.check(t.implies(path, t.or_(*allowed)), ObligationKind.READS, span)]

    def quantifier_checks(self, expr: ast.Quantifier, path: t.Term, tr: Translator) -> list[Command]:
        """The body's checks for every value of the bound variables in their types."""
        bound = tuple(variable_of(var) for var in expr.bound)
        ranges = t.and_(
            *(
                value_constraint(v, ast.type_of(var), self.body.unit.subsets)
                for v, var in zip(bound, expr.bound, strict=True)
            )
        )
        wrapped: list[Command] = []
        for command in self.checks(expr.body, ranges, tr):
            if isinstance(command, Assert):
                wrapped.append(
                    Assert(t.implies(path, quantified(bound, command.condition)), command.obligation)
                )
            elif isinstance(command, Assume):
                wrapped.append(Assume(t.implies(path, quantified(bound, command.condition))))
        return wrapped

    def call_checks(self, call: ast.Call, path: t.Term, tr: Translator) -> list[Command]:
        """A function call: its arguments' checks, the callee's preconditions and, in a
        function of the callee's recursion, its termination (and its `ensures` assumed)."""
        function = self.body.unit.functions[call.name]
        commands: list[Command] = []
        for arg in call.args:
            commands += self.checks(arg, path, tr)
        args = [tr(arg) for arg in call.args]
        mapping = {p.name: a for p, a in zip(function.params, args, strict=True)}
        for arg, param in zip(call.args, function.params, strict=True):
            commands += self.body.subset_checks_of(arg, tr, ast.type_of(param), path)
        callee_tr = self.body.unit.translator_for(function)
        contents = self.callee_contents(function, call, tr)
        for clause in function.requires:
            for site, part in clause_parts((clause,), call.nid):
                condition = t.substitute(callee_tr(part), {**mapping, **contents})
                commands.append(
                    self.body.clause_check(
                        t.implies(path, condition),
                        ObligationKind.FUNCTION_PRECONDITION,
                        call.name_span,
                        part,
                        site,
                    )
                )
        if self.recursive_call(call):
            commands.append(self.termination.call_check(function, mapping, call, path))
            result = tr(call)
            facts = [value_constraint(result, function.result_ty, self.body.unit.subsets)]
            facts += [t.substitute(callee_tr(c.expr), {**mapping, **contents}) for c in function.ensures]
            commands.append(
                Assume(t.implies(path, t.and_(*facts)), f"ensures of {function.name}: the call's result")
            )
        return commands

    def recursive_call(self, call: ast.Call) -> bool:
        """A call, in a function, to a function of its own recursion (but for its own result)."""
        owner = self.body.owner
        return (
            isinstance(owner, ast.Function)
            and self.body.unit.recursive_with(owner.name, call.name)
            and not (self.in_own_ensures and names_own_result(owner, call))
        )

    def callee_contents(self, function: ast.Function, call: ast.Call, tr: Translator) -> dict[str, t.Term]:
        """The callee's array-contents variables, mapped to what the caller passes."""
        contents = reads_contents(function)
        return {
            contents[param.name].name: tr.array_contents(call.args[index])
            for index, param in array_params(function)
        }
