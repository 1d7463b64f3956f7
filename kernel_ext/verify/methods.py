"""Methods: the procedure that checks a method's specification well-formed, and the one
that checks its body, lowered statement by statement. Loops are cut by their invariants,
calls replaced by the callee's contract, and every check is an `Assert` that carries its
Obligation, described here where it is made."""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.source import Span
from kernel_ext.lang.syntax import split_conjuncts
from kernel_ext.lang.types import Type
from kernel_ext.obligations import (
    CALC_STEP,
    CALL_MODIFIES,
    FORALL_ENSURES,
    NEGATIVE_SIZE,
    SAME_LOCATION,
    CheckSite,
    ObligationKind,
    clause_parts,
)
from kernel_ext.verify import encoding as enc
from kernel_ext.verify import literals as lit
from kernel_ext.verify import terms as t
from kernel_ext.verify.context import Body, origin, param_var
from kernel_ext.verify.gcl import Assert, Assign, Assume, Choice, Command, Havoc, Mark, MarkKind, seq
from kernel_ext.verify.termination import Termination
from kernel_ext.verify.translate import (
    Translator,
    choose_triggers,
    contents_constraint,
    element_sort,
    pattern_targets,
    sort_of,
    type_constraint,
    value_constraint,
    variable_of,
)
from kernel_ext.verify.triggers import quantified
from kernel_ext.verify.wellformed import WellFormedness
from kernel_ext.verify.witnesses import existence


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
class MethodLowering:
    """Lowers one method: its specification, or its body with the checks its statements make."""

    body: Body
    termination: Termination = field(init=False)
    wellformed: WellFormedness = field(init=False)

    def __post_init__(self) -> None:
        self.termination = Termination(self.body)
        self.wellformed = WellFormedness(self.body, self.termination)

    @property
    def method(self) -> ast.Method:
        method = self.body.owner
        assert isinstance(method, ast.Method)
        return method

    @property
    def translate(self) -> Translator:
        return self.body.translate

    def wf(self, expr: ast.Expr) -> list[Command]:
        """The checks that evaluating `expr` here is defined."""
        return self.wellformed.checks(expr)

    # ---- the method's specification and entry

    def method_entry(self) -> list[Command]:
        """The parameters' types, and the pre-state that `old` and `fresh` refer to."""
        subsets = self.body.unit.subsets
        params = seq(
            *(Assume(type_constraint(param_var(p), ast.type_of(p), subsets)) for p in self.method.params)
        )
        commands: list[Command] = [params]
        for element in self.body.unit.element_sorts:
            commands.append(Assign(enc.heap(element, old=True), enc.heap(element)))
        commands.append(Assign(enc.alloc(old=True), enc.alloc()))
        return commands

    def havoc_outs(self) -> list[Command]:
        outs = [param_var(p) for p in self.method.returns]
        commands: list[Command] = [Havoc(tuple(outs))] if outs else []
        return commands + [
            Assume(type_constraint(v, ast.type_of(p), self.body.unit.subsets))
            for v, p in zip(outs, self.method.returns, strict=True)
        ]

    def specification(self) -> Command:
        """The specification's well-formedness: each clause checked where it is evaluated."""
        method = self.method
        commands = self.method_entry()
        for clause in method.requires:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr), origin("requires", clause)))
        if method.decreases is not None:
            for expr in method.decreases.exprs:
                commands += self.wf(expr)
        for item in method.modifies:
            commands += self.wf(item)
        commands += self.havoc_heap_for_call(method.modifies, {}, method.returns)
        commands += self.havoc_outs()
        for clause in method.ensures:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr), origin("ensures", clause)))
        return seq(*commands)

    # ---- the method's body

    def implementation(self) -> Command:
        method = self.method
        assert method.body is not None
        commands = self.method_entry()
        commands += [Assume(self.translate(c.expr), origin("requires", c)) for c in method.requires]
        commands += self.termination.induction_hypothesis(method)
        commands += self.havoc_outs()
        commands.append(
            Mark(method.name_span, self.body.source.line(method.span.start_line).strip(), MarkKind.ENTRY)
        )
        commands.append(self.block(method.body.stmts, exit_at=method.body.open_brace))
        return seq(*commands)

    def exit_checks(self, exit_at: Span) -> list[Command]:
        """The postconditions, checked where control leaves the method (Dafny's return path)."""
        return [
            self.body.clause_check(self.translate(part), ObligationKind.POSTCONDITION, exit_at, part, site)
            for clause in self.method.ensures
            for site, part in clause_parts((clause,))
        ]

    def block(self, stmts: tuple[ast.Stmt, ...], exit_at: Span | None = None) -> Command:
        """A block's statements; with `exit_at`, the method's last block, whose end (or last
        statement's branches) is where the postconditions are checked."""
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
        return Mark(stmt.span, self.body.source.line(stmt.span.start_line).strip(), kind, node)

    def stmt(self, stmt: ast.Stmt) -> Command:
        match stmt:
            case ast.Block():
                return self.block(stmt.stmts)
            case ast.If():
                return self.if_stmt(stmt, tail=False)
            case ast.ForLoop():
                return self.for_loop(stmt)
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
            case ast.ForallStmt() if stmt.array_update is not None:
                lowered = self.forall_update(stmt, stmt.array_update)
            case ast.ForallStmt():
                lowered = self.forall_stmt(stmt)
            case ast.PrintStmt():  # output: only its values must be defined
                lowered = seq(*(check for expr in stmt.exprs for check in self.wf(expr)))
            case ast.AssertBy():
                lowered = self.assert_by_stmt(stmt)
            case ast.SuchThat():
                lowered = self.such_that(stmt)
            case _:
                raise TypeError(f"the lowering has no rule for {type(stmt).__name__}")
        return seq(lowered, self.mark(stmt, MarkKind.CALL if self.calls_method(stmt) else MarkKind.STEP))

    def calls_method(self, stmt: ast.Stmt) -> bool:
        return any(call.name in self.body.unit.methods for call in calls_of(stmt))

    # ---- assignments and calls

    def var_decl(self, stmt: ast.VarDecl) -> Command:
        targets = [_Target(v.span, var=variable_of(v), ty=ast.type_of(v)) for v in stmt.variables]
        if not stmt.rhs:
            havoc = Havoc(tuple(target.var for target in targets))
            constraints = (
                Assume(type_constraint(target.var, target.ty, self.body.unit.subsets)) for target in targets
            )
            return seq(havoc, *constraints)
        return self.assign_values([], targets, stmt.rhs)

    def such_that(self, stmt: ast.SuchThat) -> Command:
        """`x :| P`: P well-formed for any values of the variables (on a branch of its own),
        values that satisfy it shown to exist, then the variables given such values."""
        targets = such_that_variables(stmt)
        variables = tuple(var for var, _ in targets)
        subsets = self.body.unit.subsets
        constraints = t.and_(*(type_constraint(var, ty, subsets) for var, ty in targets))
        well_formed = seq(Havoc(variables), Assume(constraints), *self.wf(stmt.condition), Assume(t.FALSE))
        condition = self.translate(stmt.condition)
        witnesses = tuple(t.bound(var.symbol.source, var.sort, key=f"$such.{var.name}") for var in variables)
        renamed = {var.name: witness for var, witness in zip(variables, witnesses, strict=True)}
        body = t.substitute(t.and_(constraints, condition), renamed)
        exists = t.Forall(witnesses, body, choose_triggers(body, witnesses), is_exists=True)
        exists = existence(t.and_(constraints, condition), variables, exists)
        return seq(
            Choice((well_formed, seq())),
            self.body.check(exists, ObligationKind.SUCH_THAT, stmt.op_span),
            Havoc(variables),
            Assume(constraints),
            Assume(condition, f"such that, line {stmt.span.start_line}"),
        )

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
        array = self.body.temp("array", t.REF)
        index = self.body.temp("index", t.INT)
        commands += [Assign(array, self.translate(target.seq)), Assign(index, self.translate(target.index))]
        in_range = t.and_(t.app(t.Op.LE, t.IntVal(0), index), t.app(t.Op.LT, index, enc.length(array)))
        commands.append(self.body.check(in_range, ObligationKind.INDEX_RANGE, target.token))
        commands.append(
            self.body.check(
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
        named = [t.eq(array, self.translate(item)) for item in self.method.modifies]
        fresh = t.not_(t.app(t.Op.SELECT, enc.alloc(old=True), array))
        return t.or_(*named, fresh)

    def assign_values(
        self, commands: list[Command], targets: list[_Target], rhs: tuple[ast.Expr, ...]
    ) -> Command:
        if len(rhs) == 1 and isinstance(rhs[0], ast.Call) and rhs[0].name in self.body.unit.methods:
            return seq(*commands, self.method_call(rhs[0], targets))
        values = []
        for target, expr in zip(targets, rhs, strict=True):
            if isinstance(expr, ast.NewArray):
                allocation, value = self.allocate(expr)
                commands += allocation
            else:
                commands += self.wf(expr)
                value = lit.marked_value(self.translate(expr))  # `x := 5`: x is known to be a literal
            if isinstance(expr, ast.NewArray):
                commands += self.body.subset_check(value, ast.type_of(expr), target.ty, expr.span)
            else:
                commands += self.body.subset_checks_of(expr, self.translate, target.ty)
            values.append(value)
        if len(targets) > 1:
            temps = [self.body.temp("rhs", t.sort_of(value)) for value in values]
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
                commands.append(
                    self.body.check(ok, ObligationKind.SAME_LOCATION, target.span, message=message)
                )
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
            self.body.check(
                t.app(t.Op.LE, t.IntVal(0), size),
                ObligationKind.INDEX_RANGE,
                expr.size.span,
                message=NEGATIVE_SIZE,
            )
        )
        array = self.body.temp("new", t.REF)
        element = sort_of(ast.type_of(expr).element)
        contents = self.body.temp("contents", enc.contents_sort(element))
        heap, alloc = enc.heap(element), enc.alloc()
        element_ty = ast.type_of(expr).element
        commands += [
            Havoc((array, contents)),
            Assume(t.not_(t.app(t.Op.SELECT, alloc, array))),
            Assume(t.eq(enc.length(array), size)),
            Assume(contents_constraint(contents, size, element_ty, self.body.unit.subsets)),
            Assign(alloc, t.app(t.Op.STORE, alloc, array, t.TRUE)),
            Assign(heap, t.app(t.Op.STORE, heap, array, contents)),
        ]
        return commands, array

    def call_stmt(self, stmt: ast.CallStmt) -> Command:
        return self.method_call(stmt.call, [])

    def method_call(self, call: ast.Call, targets: list[_Target]) -> Command:
        """The callee's contract in place of the call: its arguments passed, its preconditions,
        frame and termination checked, the heap and its outputs havocked, its `ensures` assumed."""
        callee = self.body.unit.methods[call.name]
        commands, mapping = self.call_arguments(call, callee)
        commands += self.call_checks(call, callee, mapping)
        commands += self.heap_before_call(mapping)
        commands += self.havoc_heap_for_call(callee.modifies, mapping, callee.returns)
        outs = []
        for out in callee.returns:
            temp = t.call_value(t.Role.RESULT, out.name, self.body.fresh_number(), sort_of(ast.type_of(out)))
            outs.append(temp)
            mapping[out.name] = temp
        if outs:
            commands.append(Havoc(tuple(outs)))
        for out, temp in zip(callee.returns, outs, strict=True):
            commands.append(Assume(type_constraint(temp, ast.type_of(out), self.body.unit.subsets)))
        for clause in callee.ensures:
            note = origin(f"ensures of {callee.name}", clause, "after the call")
            commands.append(Assume(t.substitute(self.translate(clause.expr), mapping), note))
        commands += self.same_location_checks(targets, outs)
        for target, out, temp in zip(targets, callee.returns, outs, strict=True):
            commands += self.body.subset_check(temp, ast.type_of(out), target.ty, target.span)
            commands.append(self.store(target, temp))
        return seq(*commands)

    def call_arguments(self, call: ast.Call, callee: ast.Method) -> tuple[list[Command], dict[str, t.Term]]:
        """Each argument checked and evaluated into a temporary that stands for its parameter."""
        commands: list[Command] = []
        mapping: dict[str, t.Term] = {}
        for arg, param in zip(call.args, callee.params, strict=True):
            commands += self.wf(arg)
            value = lit.marked_value(self.translate(arg))
            commands += self.body.subset_checks_of(arg, self.translate, ast.type_of(param))
            temp = t.call_value(
                t.Role.ARGUMENT, param.name, self.body.fresh_number(), sort_of(ast.type_of(param))
            )
            commands.append(Assign(temp, value))
            mapping[param.name] = temp
        return commands, mapping

    def call_checks(self, call: ast.Call, callee: ast.Method, mapping: dict[str, t.Term]) -> list[Command]:
        """The callee's preconditions, its modifies clause within the caller's, and, in the
        callee's recursion, termination."""
        commands: list[Command] = [
            self.body.clause_check(
                t.substitute(self.translate(part), mapping),
                ObligationKind.PRECONDITION,
                call.name_span,
                part,
                site,
            )
            for clause in callee.requires
            for site, part in clause_parts((clause,), call.nid)
        ]
        for item in callee.modifies:
            array = t.substitute(self.translate(item), mapping)
            commands.append(
                self.body.check(
                    self.may_modify(array),
                    ObligationKind.MODIFIES,
                    call.name_span,
                    message=CALL_MODIFIES,
                    site=CheckSite(at=call.nid),
                )
            )
        if self.body.unit.recursive_with(self.method.name, callee.name):
            commands.append(self.termination.call_check(callee, mapping, call, t.TRUE))
        return commands

    def heap_before_call(self, mapping: dict[str, t.Term]) -> list[Command]:
        """The heap as the call finds it, which the callee's `old` refers to (added to `mapping`)."""
        commands: list[Command] = []
        for element in self.body.unit.element_sorts:
            before = enc.snapshot(enc.heap(element), self.body.fresh_number())
            commands.append(Assign(before, enc.heap(element)))
            mapping[enc.heap(element, old=True).name] = before
        alloc_before = enc.snapshot(enc.ALLOC, self.body.fresh_number())
        commands.append(Assign(alloc_before, enc.alloc()))
        mapping[enc.OLD_ALLOC.name] = alloc_before
        return commands

    def havoc_heap_for_call(
        self, modifies: tuple[ast.Expr, ...], mapping: dict[str, t.Term], returns: tuple[ast.Param, ...]
    ) -> list[Command]:
        """After a call: new contents for each array the callee may modify; more allocated."""
        commands: list[Command] = []
        for item in modifies:
            element = element_sort(item)
            array = t.substitute(self.translate(item), mapping)
            contents = self.body.temp("contents", enc.contents_sort(element))
            heap = enc.heap(element)
            commands += [Havoc((contents,)), Assign(heap, t.app(t.Op.STORE, heap, array, contents))]
            item_ty = ast.type_of(item).element
            commands.append(
                Assume(contents_constraint(contents, enc.length(array), item_ty, self.body.unit.subsets))
            )
        if any(ast.type_of(out).name == "array" for out in returns):
            commands += self.grow_allocation()
        return commands

    def grow_allocation(self) -> list[Command]:
        before = enc.snapshot(enc.ALLOC, self.body.fresh_number())
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
            else_ = self.else_branch(stmt, cond, self.if_stmt(stmt.else_, tail))
        elif isinstance(stmt.else_, ast.Block):
            else_exit = stmt.else_.open_brace if tail else None
            else_ = self.else_branch(stmt, cond, self.block(stmt.else_.stmts, exit_at=else_exit))
        else:
            if_at = Span.point(stmt.span.start_line, stmt.span.start_col)
            else_ = self.else_branch(stmt, cond, *(self.exit_checks(if_at) if tail else []))
        return seq(*self.wf(stmt.cond), Choice((then, else_)))

    def else_branch(self, stmt: ast.If, cond: t.Term, *lowered: Command) -> Command:
        at = stmt.span.start_line
        return seq(
            Assume(t.not_(cond), f"if condition, line {at}: else branch"),
            self.mark(stmt, MarkKind.ELSE),
            *lowered,
        )

    def match_stmt(self, stmt: ast.MatchStmt, tail: bool) -> Command:
        """One branch per case, as Dafny: in a method's last statement, a path that leaves
        through a case is reported at that case."""
        subject = self.translate(stmt.subject)
        at = stmt.span.start_line
        source = self.body.source
        branches: list[Command] = []
        earlier: list[t.Term] = []
        for case in stmt.cases:
            condition, bindings = self.translate.pattern_match(case.pattern, subject)
            targets = pattern_targets(case.pattern)
            case_at = Span.point(case.span.start_line, case.span.start_col)
            pattern = source.text_of(case.pattern.span)
            branches.append(
                seq(
                    Assume(
                        t.and_(*(t.not_(c) for c in earlier), condition), f"match, line {at}: case {pattern}"
                    ),
                    *(Assign(targets[uid], term) for uid, term in bindings.items()),
                    Mark(case.span, source.line(case.span.start_line).strip(), MarkKind.CASE),
                    self.block(case.body.stmts, exit_at=case_at if tail else None),
                )
            )
            earlier.append(condition)
        missing = self.wellformed.missing_cases(stmt, subject, earlier, t.TRUE)
        if missing is not None:
            branches.append(seq(Assume(t.not_(t.or_(*earlier))), missing))
        return seq(*self.wf(stmt.subject), Choice(tuple(branches)))

    def while_stmt(self, loop: ast.While) -> Command:
        """The invariants checked on entry; then, from an arbitrary state where they hold
        (`loop_frame`), either one iteration that decreases the measure and keeps them (a
        branch that ends there), or the loop's exit."""
        while_at = Span.point(loop.span.start_line, loop.span.start_col)
        commands = self.invariant_checks(loop, ObligationKind.INVARIANT_ENTRY)
        commands += self.loop_frame(loop.body)
        if isinstance(loop, ast.ForLoop):
            commands += self.for_head(loop)
        for clause in loop.invariants:
            commands += self.wf(clause.expr)
            note = origin("invariant", clause, "assumed at the loop head")
            commands.append(Assume(self.translate(clause.expr), note))
        commands.append(self.mark(loop, MarkKind.LOOP_HEAD))
        commands += self.wf(loop.cond)
        cond = self.translate(loop.cond)
        measure = self.termination.loop_measure(loop)
        at = loop.span.start_line
        body: list[Command] = [Assume(cond, f"loop condition, line {at}: one more iteration")]
        old_values = []
        for term, _ in measure or []:  # before the mark: the VC view shows them where the iteration starts
            temp = t.measure(self.body.fresh_number(), t.sort_of(term))
            body.append(Assign(temp, term))
            old_values.append(temp)
        body.append(self.mark(loop, MarkKind.ITERATION))
        if loop.decreases is not None:
            for expr in loop.decreases.exprs:
                body += self.wf(expr)
        index = variable_of(loop.index) if isinstance(loop, ast.ForLoop) else None
        if isinstance(loop, ast.ForLoop) and loop.downto:
            body.append(Assign(index, t.app(t.Op.SUB, index, t.IntVal(1))))
        body.append(self.block(loop.body.stmts))
        if isinstance(loop, ast.ForLoop) and not loop.downto:
            body.append(Assign(index, t.app(t.Op.ADD, index, t.IntVal(1))))
        # Dafny checks the decrease first: an iteration that does not decrease is reported as
        # such, not also as breaking the invariants (the invariant checks assume the decrease).
        body += self.termination.loop_checks(loop, while_at, measure, old_values)
        body += self.invariant_checks(loop, ObligationKind.INVARIANT_MAINTAINED)
        body.append(Assume(t.FALSE))
        commands.append(
            Choice((seq(*body), Assume(t.not_(cond), f"loop condition, line {at}: the loop ended")))
        )
        commands.append(self.mark(loop, MarkKind.LOOP_EXIT))
        return seq(*commands)

    def for_loop(self, loop: ast.ForLoop) -> Command:
        """The bounds evaluated once into `_lo` and `_hi`, `lo <= hi` checked, the index set to
        its first value at the loop head (`_lo`, or `_hi` for `downto`), then the loop."""
        low, high = (variable_of(bound) for bound in loop.bounds)
        commands = self.wf(loop.start) + self.wf(loop.end)
        commands += [Assign(low, self.translate(loop.lo)), Assign(high, self.translate(loop.hi))]
        commands.append(
            self.body.check(
                t.app(t.Op.LE, low, high),
                ObligationKind.FOR_RANGE,
                Span.point(loop.span.start_line, loop.span.start_col),
                description=self.body.source.text_of(loop.header),
                site=CheckSite(at=loop.nid),
            )
        )
        commands.append(Assign(variable_of(loop.index), high if loop.downto else low))
        return seq(*commands, self.while_stmt(loop))

    def for_head(self, loop: ast.ForLoop) -> list[Command]:
        """At the head of a for loop, after any number of iterations: the index is somewhere
        in `_lo <= i <= _hi` (Dafny's implicit invariant, true by construction)."""
        index = variable_of(loop.index)
        low, high = (variable_of(bound) for bound in loop.bounds)
        within = t.and_(t.app(t.Op.LE, low, index), t.app(t.Op.LE, index, high))
        return [Havoc((index,)), Assume(within, f"for loop, line {loop.span.start_line}: the index's range")]

    def invariant_checks(self, loop: ast.While, kind: ObligationKind) -> list[Command]:
        return [
            self.body.check(
                self.translate(part),
                kind,
                part.token,
                description=self.body.source.text_of(part.span),
                site=site,
            )
            for site, part in clause_parts(loop.invariants)
        ]

    def loop_frame(self, body: ast.Block) -> list[Command]:
        """What an arbitrary iteration may have changed: the variables it assigns and, as in
        Dafny, if it touches the heap at all (an array write, a call, a `new`), the contents
        of every array the method may modify."""
        unit = self.body.unit
        variables = sorted(assigned_variables(body), key=lambda item: item[0].name)
        commands: list[Command] = [Havoc(tuple(var for var, _ in variables))] if variables else []
        heap = touches_heap(body, unit.methods)
        if heap:
            for element in unit.element_sorts:
                commands += self.havoc_modifiable(element)
        if allocates(body, unit.methods):
            commands += self.grow_allocation()
        commands += [Assume(type_constraint(var, ty, unit.subsets)) for var, ty in variables]
        if heap:  # the elements of every array of a constrained type keep their constraint
            commands += [
                Assume(type_constraint(var, ty, unit.subsets)) for var, ty in self.constrained_arrays()
            ]
        return commands

    def constrained_arrays(self) -> list[tuple[t.Var, Type]]:
        """The method's variables that hold arrays whose elements are constrained (`array<nat>`)."""
        method = self.method
        found = [(param_var(p), ast.type_of(p)) for p in (*method.params, *method.returns)]
        if method.body is not None:
            found += list(assigned_variables(method.body))
        unique = {var: ty for var, ty in found if self.body.unit.subsets.element_constrained(ty)}
        return sorted(unique.items(), key=lambda item: item[0].name)

    def havoc_modifiable(self, element: t.Sort) -> list[Command]:
        heap = enc.heap(element)
        before = enc.snapshot(heap, self.body.fresh_number())
        ref = t.bound("r", t.REF)
        now = t.app(t.Op.SELECT, heap, ref)
        kept = t.implies(t.not_(self.may_modify(ref)), t.eq(now, t.app(t.Op.SELECT, before, ref)))
        return [Assign(before, heap), Havoc((heap,)), Assume(t.Forall((ref,), kept, ((now,),)))]

    # ---- specification statements

    def assert_stmt(self, stmt: ast.Assert) -> Command:
        commands = self.wf(stmt.expr)
        for index, part in enumerate(split_conjuncts(stmt.expr)):
            commands.append(
                self.body.check(
                    self.translate(part),
                    ObligationKind.ASSERTION,
                    part.token,
                    description=self.body.source.text_of(part.span),
                    site=CheckSite(stmt.nid, index),
                )
            )
        return seq(*commands)

    def assume_stmt(self, stmt: ast.Assume) -> Command:
        return seq(
            *self.wf(stmt.expr), Assume(self.translate(stmt.expr), f"assume, line {stmt.span.start_line}")
        )

    def return_stmt(self, stmt: ast.Return) -> Command:
        commands: list[Command] = []
        if stmt.values:
            targets = [_Target(p.span, var=param_var(p), ty=ast.type_of(p)) for p in self.method.returns]
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
            branches.append(self.calc_step(step, stmt.lines[index], stmt.lines[index + 1]))
        lowered: list[Command] = [Choice((*branches, seq()))]
        if stmt.steps:
            result = ast.Binary(
                span=stmt.span, op=stmt.result_op, left=stmt.lines[0], right=stmt.lines[-1], op_span=stmt.span
            )
            lowered.append(Assume(self.translate(result), f"calc, line {stmt.span.start_line}"))
        return seq(*lowered)

    def calc_step(self, step: ast.CalcStep, before: ast.Expr, after: ast.Expr) -> Command:
        source = self.body.source
        commands = assumed(self.wf(before))
        if step.op == "==>":
            commands.append(Assume(self.translate(before), f"calc, line {before.span.start_line}"))
        commands += [self.block(hint.stmts) for hint in step.hints]
        commands += self.wf(after)
        relation = ast.Binary(
            span=before.span.cover(after.span), op=step.op, left=before, right=after, op_span=step.op_span
        )
        commands.append(
            self.body.check(
                self.translate(relation),
                ObligationKind.ASSERTION,
                after.token,
                description=f"{source.text_of(before.span)} {step.op} {source.text_of(after.span)}",
                message=CALC_STEP,
                site=CheckSite(step.nid),
            )
        )
        commands.append(Assume(t.FALSE))
        return seq(*commands)

    def forall_stmt(self, stmt: ast.ForallStmt) -> Command:
        """The body, for arbitrary values of the bound variables in the range, then its
        `ensures`. Afterwards: the conclusion for all values in the range."""
        bound = tuple(variable_of(var) for var in stmt.bound)
        ranges = t.and_(
            *(
                value_constraint(v, ast.type_of(var), self.body.unit.subsets)
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
        proof += self.forall_ensures(stmt)
        proof.append(Assume(t.FALSE))
        lowered: list[Command] = [Choice((seq(*proof), seq()))]
        conclusion = t.and_(*self.forall_conclusion(stmt))
        if conclusion != t.TRUE:
            lowered.append(
                Assume(quantified(bound, t.implies(ranges, conclusion)), f"forall statement, line {at}")
            )
        return seq(*lowered)

    def forall_update(self, stmt: ast.ForallStmt, update: ast.Assign) -> Command:
        """`forall i | R { a[i] := v; }`, Dafny's aggregate update: for an arbitrary `i` in
        the range, on a branch of its own, the checks of one assignment (the index in range,
        the array in the frame, the value's type); then every element in the range gets its
        value, all computed in the state before the statement."""
        target = update.targets[0]
        assert isinstance(target, ast.Index)
        (var,) = stmt.bound
        index = variable_of(var)
        in_range = self.translate(stmt.range) if stmt.range is not None else t.TRUE
        checks: list[Command] = [
            Havoc((index,)),
            Assume(value_constraint(index, ast.type_of(var), self.body.unit.subsets)),
        ]
        if stmt.range is not None:
            checks += self.wf(stmt.range)
        checks.append(Assume(in_range, f"forall statement, line {stmt.span.start_line}: its range"))
        located, element = self.element_target(target, update.span)
        checks += located
        value_expr = update.rhs[0]
        checks += self.wf(value_expr)
        value = self.translate(value_expr)
        checks += self.body.subset_check(value, ast.type_of(value_expr), element.ty, value_expr.span)
        checks.append(Assume(t.FALSE))
        array = self.body.temp("array", t.REF)
        heap = enc.heap(element.element)
        contents = self.body.temp("contents", enc.contents_sort(element.element))
        before = t.app(t.Op.SELECT, heap, array)
        new = t.app(t.Op.SELECT, contents, index)
        updated = t.eq(new, t.ite(in_range, value, t.app(t.Op.SELECT, before, index)))
        return seq(
            Choice((seq(*checks), seq())),
            Assign(array, self.translate(target.seq)),
            Havoc((contents,)),
            Assume(t.Forall((index,), updated, ((new,),)), f"forall statement, line {stmt.span.start_line}"),
            Assign(heap, t.app(t.Op.STORE, heap, array, contents)),
        )

    def forall_ensures(self, stmt: ast.ForallStmt) -> list[Command]:
        """Each `ensures` clause well-formed, on its own (none hides another), then checked."""
        commands: list[Command] = []
        for clause in stmt.ensures:
            checks = self.wf(clause.expr)
            if checks:
                commands.append(Choice((seq(*checks, Assume(t.FALSE)), seq())))
        for clause in stmt.ensures:
            commands += assumed(self.wf(clause.expr))
            for site, part in clause_parts((clause,)):
                commands.append(
                    self.body.check(
                        self.translate(part),
                        ObligationKind.ASSERTION,
                        part.token,
                        description=self.body.source.text_of(part.span),
                        message=FORALL_ENSURES,
                        site=site,
                    )
                )
        return commands

    def forall_conclusion(self, stmt: ast.ForallStmt) -> list[t.Term]:
        """What a forall statement proves of each value: its `ensures`, or, when its body is
        one lemma call, the lemma's postcondition of the call's arguments."""
        if stmt.ensures:
            return [self.translate(clause.expr) for clause in stmt.ensures]
        call = stmt.lemma_call
        if call is None:
            return []
        callee = self.body.unit.methods[call.name]
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


def such_that_variables(stmt: ast.SuchThat) -> list[tuple[t.Var, Type]]:
    """The variables that `:|` gives values, with their types."""
    named = stmt.variables or stmt.targets
    return [(variable_of(var), ast.type_of(var)) for var in named]  # type: ignore[arg-type]


def assigned_variables(stmt: ast.Stmt) -> set[tuple[t.Var, Type | None]]:
    """The variables a loop body may change, with their types."""
    found: set[tuple[t.Var, Type | None]] = set(
        such_that_variables(stmt) if isinstance(stmt, ast.SuchThat) else ()
    )
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                found.add((variable_of(target), target.ty))
    elif isinstance(stmt, ast.VarDecl):
        for var in stmt.variables:
            found.add((variable_of(var), ast.type_of(var)))
    for child in ast.stmt_children(stmt):
        found |= assigned_variables(child)
    return found


def touches_heap(stmt: ast.Stmt, methods: dict[str, ast.Method]) -> bool:
    """Writes an array element, calls a method or lemma, or allocates: Dafny's test for
    whether a loop body changes the heap."""
    if isinstance(stmt, ast.Assign) and any(isinstance(target, ast.Index) for target in stmt.targets):
        return True
    rhs = stmt.rhs if isinstance(stmt, ast.VarDecl | ast.Assign) else ()
    if any(call.name in methods for call in calls_of(stmt)):
        return True
    if any(isinstance(expr, ast.NewArray) for expr in rhs):
        return True
    return any(touches_heap(child, methods) for child in ast.stmt_children(stmt))


def allocates(stmt: ast.Stmt, methods: dict[str, ast.Method]) -> bool:
    rhs = stmt.rhs if isinstance(stmt, ast.VarDecl | ast.Assign) else ()
    if any(isinstance(expr, ast.NewArray) for expr in rhs):
        return True
    for call in calls_of(stmt):
        callee = methods.get(call.name)
        if callee is not None and any(ast.type_of(out).name == "array" for out in callee.returns):
            return True
    return any(allocates(child, methods) for child in ast.stmt_children(stmt))


def assumed(commands: list[Command]) -> list[Command]:
    """Well-formedness checks as facts (a calc step's first line: checked by the step before)."""
    return [Assume(command.condition) if isinstance(command, Assert) else command for command in commands]


def calls_of(stmt: ast.Stmt) -> list[ast.Call]:
    if isinstance(stmt, ast.CallStmt):
        return [stmt.call]
    if (
        isinstance(stmt, ast.VarDecl | ast.Assign)
        and len(stmt.rhs) == 1
        and isinstance(stmt.rhs[0], ast.Call)
    ):
        return [stmt.rhs[0]]
    return []
