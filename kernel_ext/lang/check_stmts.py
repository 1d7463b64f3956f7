"""The statements of a method body: declarations and assignments of variables, calls, control
flow, and the proof statements (`calc`, `forall`, `assert ... by`), with Dafny's ghost rules.

`StmtChecker` checks each statement's expressions with its `ExprChecker`; a statement with an
error is kept as written and checking goes on with the next one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.check_exprs import ExprChecker, settle
from kernel_ext.lang.diagnostics import (
    ARITY,
    BAD_CALL,
    BAD_STATEMENT,
    GHOST,
    NOT_ASSIGNABLE,
    NOT_MINIDAFNY,
    TYPE_MISMATCH,
    UNKNOWN_NAME,
)
from kernel_ext.lang.scopes import Abort, CheckState, Confined, Context
from kernel_ext.lang.source import Span
from kernel_ext.lang.types import BOOL, INT, UNKNOWN, Type, array_of, assignable, substitute

# What a confined body may not do, in Dafny's words: update a variable declared outside it,
# call a compiled method, return.
HINT_RULES = (
    "a hint is not allowed to update a variable declared outside the hint",
    "only ghost methods can be called from this context",
    "return statement is not allowed inside a hint",
)
FORALL_RULES = (
    "body of forall statement is attempting to update a variable declared outside the forall statement",
    "the body of the enclosing forall statement is not allowed to call non-ghost methods",
    "return statement is not allowed inside a forall statement",
)
ASSERT_BY_RULES = (
    "the body of an assert-by statement is not allowed to update a variable declared outside it",
    "only ghost methods can be called from this context",
    "return statement is not allowed in this context (because it is guarded by a specification-only "
    "expression)",
)


def _target_words(target: ast.Expr) -> str:
    return f"'{target.name}'" if isinstance(target, ast.Name) else "an array element"


@dataclass
class StmtChecker:
    """Checks the statements of one method body at a time, in the scopes of `state`."""

    state: CheckState
    exprs: ExprChecker

    def block_stmts(self, block: ast.Block, ctx: Context) -> ast.Block:
        """Check a block whose scope has already been pushed; pops it."""
        stmts = []
        try:
            for stmt in block.stmts:
                try:
                    stmts.append(self.stmt(stmt, ctx))
                except Abort:
                    stmts.append(stmt)
        finally:
            self.state.scopes.pop()
        return dataclasses.replace(block, stmts=tuple(stmts))

    def block(self, block: ast.Block, ctx: Context) -> ast.Block:
        self.state.scopes.append({})
        return self.block_stmts(block, ctx)

    def stmt(self, stmt: ast.Stmt, ctx: Context) -> ast.Stmt:
        match stmt:
            case ast.Block():
                return self.block(stmt, ctx)
            case ast.VarDecl():
                return self.var_decl(stmt, ctx)
            case ast.Assign():
                return self.assign(stmt, ctx)
            case ast.CallStmt():
                return self.call_stmt(stmt, ctx)
            case ast.If():
                return self.if_stmt(stmt, ctx)
            case ast.ForLoop():
                return self.for_stmt(stmt, ctx)
            case ast.While():
                return self.while_stmt(stmt, ctx)
            case ast.PrintStmt():
                return self.print_stmt(stmt, ctx)
            case ast.Assert():
                return self.assert_stmt(stmt, ctx)
            case ast.Assume():
                return self.assume_stmt(stmt, ctx)
            case ast.Return():
                return self.return_stmt(stmt, ctx)
            case ast.Calc():
                return self.calc_stmt(stmt, ctx)
            case ast.ForallStmt():
                return self.forall_stmt(stmt, ctx)
            case ast.AssertBy():
                return self.assert_by_stmt(stmt, ctx)
            case ast.MatchStmt():
                return self.match_stmt(stmt, ctx)
            case ast.SuchThat():
                return self.such_that(stmt, ctx)
            case _:
                raise TypeError(f"the resolver has no rule for {type(stmt).__name__}")

    # ------------------------------------------------------------ variables and assignments

    def var_decl(self, stmt: ast.VarDecl, ctx: Context) -> ast.VarDecl:
        declared = [self.state.type_of_ref(var.type_ref) if var.type_ref else None for var in stmt.variables]
        rhs: tuple[ast.Expr, ...] = ()
        if stmt.rhs:
            try:
                rhs = self.initialisers(stmt, declared, ctx)
            except Abort:
                self.declare_after_error(stmt, declared, ctx)
                raise
        variables = []
        for var, ty in zip(stmt.variables, declared, strict=True):
            if ty is None:
                raise self.state.fail(
                    TYPE_MISMATCH,
                    var.span,
                    f"the type of '{var.name}' is unknown: write `var {var.name}: int`",
                )
            uid = self.state.declare(var.name, var.span, ty, "local", var.is_ghost or ctx.ghost)
            variables.append(dataclasses.replace(var, uid=uid, ty=ty))
        return dataclasses.replace(stmt, variables=tuple(variables), rhs=rhs)

    def initialisers(
        self, stmt: ast.VarDecl, declared: list[Type | None], ctx: Context
    ) -> tuple[ast.Expr, ...]:
        """The checked right-hand sides of `var x: T := e`; fills in the types not written."""
        receivers = tuple(var.is_ghost or ctx.ghost for var in stmt.variables)
        rhs, value_types = self.right_hand_sides(stmt.rhs, receivers, stmt.span, ctx)
        for index, value_ty in enumerate(value_types):
            if declared[index] is None:
                declared[index] = value_ty
            elif not assignable(declared[index], value_ty):
                raise self.state.fail(
                    TYPE_MISMATCH,
                    rhs[min(index, len(rhs) - 1)].span,
                    f"cannot initialise '{stmt.variables[index].name}' of type {declared[index].shown} "
                    f"with a value of type {value_ty}",
                )
        return self.settle_all(rhs, declared)

    def declare_after_error(self, stmt: ast.VarDecl, declared: list[Type | None], ctx: Context) -> None:
        """The variables of a declaration whose initialiser has an error stay declared, so that
        their uses are not reported as unknown names too (of type `?` when none is written,
        which takes any use without a further error)."""
        for var, ty in zip(stmt.variables, declared, strict=True):
            if var.name not in self.state.scopes[-1]:
                self.state.declare(var.name, var.span, ty or UNKNOWN, "local", var.is_ghost or ctx.ghost)

    def right_hand_sides(
        self, rhs: tuple[ast.Expr, ...], receivers: tuple[bool, ...], span: Span, ctx: Context
    ) -> tuple[tuple[ast.Expr, ...], list[Type]]:
        """Check `:= e1, ..., en` or `:= M(args)` against the targets (`receivers`: whether each
        is ghost); returns the value types. Values that only ghost variables receive are ghost
        expressions; a method call stays compiled code, its ghost results going to ghost targets."""
        count = len(receivers)
        if (
            len(rhs) == 1
            and isinstance(rhs[0], ast.Call)
            and isinstance(self.state.decls.get(rhs[0].name), ast.Method)
        ):
            return self.call_results(rhs[0], receivers, ctx)
        if len(rhs) != count:
            raise self.state.fail(
                ARITY, span, f"{count} variable(s) but {len(rhs)} value(s) on the right of ':='"
            )
        if all(receivers):
            ctx = dataclasses.replace(ctx, ghost=True)
        checked = tuple(
            self.new_array(expr, ctx) if isinstance(expr, ast.NewArray) else self.exprs.expr(expr, ctx)
            for expr in rhs
        )
        return checked, [ast.type_of(expr) for expr in checked]

    def call_results(
        self, call: ast.Call, receivers: tuple[bool, ...], ctx: Context
    ) -> tuple[tuple[ast.Expr, ...], list[Type]]:
        """`:= M(args)`: the call, and the types of the results its targets receive."""
        call = self.method_call(call, ctx)
        callee = self.state.decls[call.name]
        assert isinstance(callee, ast.Method)
        count = len(receivers)
        if len(callee.returns) != count:
            raise self.state.fail(
                ARITY,
                call.span,
                f"{callee.kind_word} '{callee.name}' returns {len(callee.returns)} value(s), "
                f"but {count} variable(s) receive them",
            )
        for out, ghost_receiver in zip(callee.returns, receivers, strict=True):
            if (out.is_ghost or callee.is_ghost) and not ghost_receiver:
                raise self.state.fail(
                    GHOST,
                    call.name_span,
                    "actual out-parameter is required to be a ghost variable",
                    f"'{out.name}' of '{callee.name}' is ghost: write `ghost var {out.name} := "
                    f"{callee.name}(...);`.",
                )
        binding = dict(zip(callee.type_params, call.type_args, strict=True))
        outs = self.state.types_in(callee, [out.type_ref for out in callee.returns])
        return (call,), [substitute(out, binding) for out in outs]

    def new_array(self, expr: ast.NewArray, ctx: Context) -> ast.NewArray:
        if ctx.ghost:
            raise self.state.fail(
                GHOST,
                expr.span,
                "'new' is not allowed in ghost contexts",
                "Ghost code (a lemma, a ghost variable's value, a branch on ghost state) cannot allocate.",
            )
        element = self.state.type_of_ref(expr.element_ref)
        size = self.exprs.expr(expr.size, ctx)
        self.state.expect(size, INT, "the size of a new array")
        return dataclasses.replace(expr, size=size, ty=array_of(element))

    def assign(self, stmt: ast.Assign, ctx: Context) -> ast.Assign:
        targets: list[ast.Expr] = []
        seen: set[str] = set()
        for target in stmt.targets:
            if isinstance(target, ast.Index):
                targets.append(self.element_target(target, ctx))
            elif isinstance(target, ast.Name):
                targets.append(self.variable_target(target, seen, ctx))
            else:
                raise self.state.fail(
                    NOT_ASSIGNABLE, target.span, "only a variable or an array element can be assigned to"
                )
        receivers = tuple(
            isinstance(target, ast.Name) and self.state.lookup(target.name).is_ghost  # type: ignore[union-attr]
            for target in targets
        )
        rhs, value_types = self.right_hand_sides(stmt.rhs, receivers, stmt.span, ctx)
        for target, value_ty, index in zip(targets, value_types, range(len(targets)), strict=True):
            if not assignable(ast.type_of(target), value_ty):
                raise self.state.fail(
                    TYPE_MISMATCH,
                    rhs[min(index, len(rhs) - 1)].span,
                    f"cannot assign a value of type {value_ty} to {_target_words(target)} "
                    f"of type {ast.type_of(target).shown}",
                )
        rhs = self.settle_all(rhs, [ast.type_of(target) for target in targets])
        return dataclasses.replace(stmt, targets=tuple(targets), rhs=rhs)

    def such_that(self, stmt: ast.SuchThat, ctx: Context) -> ast.SuchThat:
        """`var x :| P;` declares x (an int where no type is written), `x :| P;` assigns the
        variables x; P is checked with them in scope, as ghost code when they all are."""
        targets: list[ast.Expr] = []
        variables: list[ast.LocalVar] = []
        seen: set[str] = set()
        for target in stmt.targets:
            if not isinstance(target, ast.Name):
                raise self.state.fail(
                    NOT_ASSIGNABLE, target.span, "only variables can be given values with `:|`"
                )
            targets.append(self.variable_target(target, seen, ctx))
        for var in stmt.variables:
            ty = self.state.type_of_ref(var.type_ref) if var.type_ref else INT
            is_ghost = var.is_ghost or ctx.ghost
            uid = self.state.declare(var.name, var.span, ty, "local", is_ghost)
            variables.append(dataclasses.replace(var, uid=uid, ty=ty, is_ghost=is_ghost))
        receivers = [var.is_ghost for var in variables] + [
            self.state.lookup(target.name).is_ghost  # type: ignore[union-attr]
            for target in stmt.targets
            if isinstance(target, ast.Name)
        ]
        condition_ctx = dataclasses.replace(ctx, ghost=True) if all(receivers) else ctx
        try:
            condition = self.exprs.expr(stmt.condition, condition_ctx)
        except Abort:
            self.hint_untyped(stmt)
            raise
        self.state.expect(condition, BOOL, "the condition of `:|`")
        return dataclasses.replace(
            stmt, variables=tuple(variables), targets=tuple(targets), condition=condition
        )

    def hint_untyped(self, stmt: ast.SuchThat) -> None:
        """After a type error in `var x :| P;` with x untyped: say that x was taken to be an int."""
        untyped = [var.name for var in stmt.variables if var.type_ref is None]
        if untyped and self.state.errors and not self.state.errors[-1].hint:
            name = untyped[0]
            self.state.errors[-1] = dataclasses.replace(
                self.state.errors[-1],
                hint=f"Without a type, '{name}' is an int here: write `var {name}: T :| ...;` for another type.",
            )

    def variable_target(self, target: ast.Name, seen: set[str], ctx: Context) -> ast.Name:
        """A variable assigned to; `seen`: the variables the statement assigns before it."""
        variable = self.state.lookup(target.name)
        if variable is None:
            raise self.state.fail(UNKNOWN_NAME, target.span, f"unknown variable '{target.name}'")
        if variable.role == "in":
            raise self.state.fail(
                NOT_ASSIGNABLE,
                target.span,
                f"'{target.name}' is a parameter and cannot be assigned",
                "Copy it into a local variable first: `var x := " + target.name + ";`",
            )
        if variable.role == "for":
            raise self.state.fail(
                NOT_ASSIGNABLE,
                target.span,
                "LHS of assignment must denote a mutable variable",
                f"'{target.name}' is the index of a for loop: the loop advances it; use a while loop "
                "to change it yourself.",
            )
        if variable.role not in ("out", "local"):
            raise self.state.fail(NOT_ASSIGNABLE, target.span, f"'{target.name}' cannot be assigned")
        if variable.uid in seen:
            raise self.state.fail(
                NOT_ASSIGNABLE, target.span, f"'{target.name}' is assigned twice in one statement"
            )
        seen.add(variable.uid)
        if self.state.confined and self.state.scope_index(target.name) < self.state.confined[-1].depth:
            raise self.state.fail(BAD_STATEMENT, target.span, self.state.confined[-1].update)
        if ctx.ghost and not variable.is_ghost:
            raise self.state.fail(
                GHOST,
                target.span,
                f"assignment to the non-ghost variable '{target.name}' is not allowed in this context "
                "(because this is a ghost method or because the statement is guarded by a "
                "specification-only expression)",
            )
        return dataclasses.replace(target, ty=variable.ty, uid=variable.uid)

    @staticmethod
    def settle_all(rhs: tuple[ast.Expr, ...], types: list[Type | None]) -> tuple[ast.Expr, ...]:
        if len(rhs) != len(types):  # a method call's results
            return rhs
        return tuple(expr if ty is None else settle(expr, ty) for expr, ty in zip(rhs, types, strict=True))

    def element_target(self, target: ast.Index, ctx: Context) -> ast.Index:
        checked = self.exprs.expr(target, ctx)
        assert isinstance(checked, ast.Index)
        if ast.type_of(checked.seq).name != "array":
            raise self.state.fail(
                NOT_ASSIGNABLE, target.span, "only array elements can be assigned: sequences are values"
            )
        if ctx.ghost:
            raise self.state.fail(
                GHOST,
                target.span,
                "Assignment to array element is not allowed in this context (because this is a ghost "
                "method or because the statement is guarded by a specification-only expression)",
                "Ghost code (a lemma, a branch on ghost state) cannot change the heap.",
            )
        return checked

    # ------------------------------------------------------------ calls

    def call_stmt(self, stmt: ast.CallStmt, ctx: Context) -> ast.CallStmt:
        callee = self.state.decls.get(stmt.call.name)
        if isinstance(callee, ast.Method):
            if callee.returns:
                raise self.state.fail(
                    BAD_CALL,
                    stmt.call.span,
                    f"{callee.kind_word} '{callee.name}' returns values: write `var r := {callee.name}(...);`",
                )
            return dataclasses.replace(stmt, call=self.method_call(stmt.call, ctx))
        if isinstance(callee, ast.Function):
            raise self.state.fail(
                BAD_STATEMENT,
                stmt.call.span,
                f"a call to {callee.kind_word} '{callee.name}' is an expression, not a statement",
            )
        raise self.state.fail(UNKNOWN_NAME, stmt.call.name_span, f"unknown method '{stmt.call.name}'")

    def method_call(self, call: ast.Call, ctx: Context) -> ast.Call:
        callee = self.state.decls[call.name]
        assert isinstance(callee, ast.Method)
        if self.state.confined and not callee.is_ghost:
            raise self.state.fail(GHOST, call.name_span, self.state.confined[-1].call)
        if ctx.ghost and not callee.is_ghost:
            raise self.state.fail(
                GHOST,
                call.name_span,
                "only ghost methods can be called from this context",
                f"'{callee.name}' is compiled code; ghost code (here in {ctx.owner.name}) may call only "
                "lemmas and functions.",
            )
        args, type_args = self.exprs.arguments(call, callee, ctx)
        return dataclasses.replace(call, args=args, type_args=type_args)

    # ------------------------------------------------------------ control flow

    def guarded(self, cond: ast.Expr, ctx: Context) -> Context:
        """A statement guarded by ghost state is ghost, as in Dafny: it may not change compiled
        state."""
        if ctx.ghost or not any(
            isinstance(node, ast.Name)
            and (found := self.state.lookup(node.name)) is not None
            and found.is_ghost
            for node in ast.walk_expr(cond)
        ):
            return ctx
        return dataclasses.replace(ctx, ghost=True)

    def if_stmt(self, stmt: ast.If, ctx: Context) -> ast.If:
        ctx = self.guarded(stmt.cond, ctx)
        cond = self.state.attempt(lambda: self.condition(stmt.cond, ctx, "an if condition"), stmt.cond)
        then = self.block(stmt.then, ctx)
        else_ = None
        if isinstance(stmt.else_, ast.Block):
            else_ = self.block(stmt.else_, ctx)
        elif isinstance(stmt.else_, ast.If):
            else_ = self.if_stmt(stmt.else_, ctx)
        return dataclasses.replace(stmt, cond=cond, then=then, else_=else_)

    def while_stmt(self, stmt: ast.While, ctx: Context) -> ast.While:
        ctx = self.guarded(stmt.cond, ctx)
        cond = self.state.attempt(lambda: self.condition(stmt.cond, ctx, "a loop condition"), stmt.cond)
        spec_ctx = dataclasses.replace(ctx, ghost=True)
        invariants = self.exprs.clauses(stmt.invariants, spec_ctx, "a loop invariant")
        decreases = self.state.attempt(lambda: self.exprs.decreases(stmt.decreases, spec_ctx), stmt.decreases)
        body = self.block(stmt.body, ctx)
        return dataclasses.replace(stmt, cond=cond, invariants=invariants, decreases=decreases, body=body)

    def condition(self, expr: ast.Expr, ctx: Context, what: str) -> ast.Expr:
        checked = self.exprs.expr(expr, ctx)
        self.state.expect(checked, BOOL, what)
        return checked

    def for_stmt(self, stmt: ast.ForLoop, ctx: Context) -> ast.ForLoop:
        """The bounds (ints, evaluated once), the index (an int, in scope in the invariants
        and the body, not assignable), the hidden bounds, and the loop condition."""
        if stmt.decreases is not None:
            raise self.state.fail(
                BAD_STATEMENT,
                stmt.decreases.span,
                "a for loop with an end bound takes no decreases clause: it is known to terminate",
            )
        if stmt.index.type_ref is not None and self.state.type_of_ref(stmt.index.type_ref) != INT:
            raise self.state.fail(
                NOT_MINIDAFNY,
                stmt.index.type_ref.span,
                "a for-loop index of a type other than int is not part of MiniDafny",
            )
        ctx = self.guarded(stmt.end, self.guarded(stmt.start, ctx))
        start, end = (self.exprs.expr(bound, ctx) for bound in (stmt.start, stmt.end))
        self.state.expect(start, INT, "a for-loop bound")
        self.state.expect(end, INT, "a for-loop bound")
        with self.state.scope():
            bounds = tuple(
                self.hidden_local(f"{stmt.index.name}.{which}", bound)
                for which, bound in (
                    ("lo", stmt.end if stmt.downto else stmt.start),
                    ("hi", stmt.start if stmt.downto else stmt.end),
                )
            )
            uid = self.state.declare(stmt.index.name, stmt.index.span, INT, "for", ctx.ghost)
            index = dataclasses.replace(stmt.index, uid=uid, ty=INT)
            spec_ctx = dataclasses.replace(ctx, ghost=True)
            invariants = self.exprs.clauses(stmt.invariants, spec_ctx, "a loop invariant")
            body = self.block(stmt.body, ctx)
        return dataclasses.replace(
            stmt,
            cond=ast.for_condition(index, bounds, stmt.downto, stmt.header),
            index=index,
            start=start,
            end=end,
            bounds=bounds,
            invariants=invariants,
            body=body,
        )

    def hidden_local(self, name: str, bound: ast.Expr) -> ast.LocalVar:
        """A variable the program cannot name (Dafny's `_lo`, `_hi`), holding a bound: in no
        scope, and named `i.lo`, `i.hi` where the VC view and the trace show it."""
        uid = f"{name}#{self.state.next_id()}"
        return ast.LocalVar(span=bound.span, name=name, uid=uid, ty=INT)

    def print_stmt(self, stmt: ast.PrintStmt, ctx: Context) -> ast.PrintStmt:
        if self.state.confined and self.state.confined[-1].update == FORALL_RULES[0]:
            raise self.state.fail(
                GHOST, stmt.span, "print statement is not allowed inside a forall statement"
            )
        if ctx.ghost:
            raise self.state.fail(
                GHOST,
                stmt.span,
                "print statement is not allowed in this context (because this is a ghost method or "
                "because the statement is guarded by a specification-only expression)",
            )
        args = tuple(self.exprs.expr(arg, ctx) if isinstance(arg, ast.Expr) else arg for arg in stmt.args)
        return dataclasses.replace(stmt, args=args)

    def match_stmt(self, stmt: ast.MatchStmt, ctx: Context) -> ast.MatchStmt:
        ctx = self.guarded(stmt.subject, ctx)
        subject = self.exprs.expr(stmt.subject, ctx)
        self.exprs.match_subject(subject, [case.pattern for case in stmt.cases])
        cases = []
        for case in stmt.cases:
            pattern, body = self.exprs.case(case.pattern, ast.type_of(subject), self.block, case.body, ctx)
            cases.append(dataclasses.replace(case, pattern=pattern, body=body))
        return dataclasses.replace(stmt, subject=subject, cases=tuple(cases))

    def return_stmt(self, stmt: ast.Return, ctx: Context) -> ast.Return:
        method = ctx.owner
        assert isinstance(method, ast.Method)
        if self.state.confined:
            raise self.state.fail(BAD_STATEMENT, stmt.span, self.state.confined[-1].ret)
        if ctx.ghost and not method.is_ghost:
            raise self.state.fail(
                GHOST,
                stmt.span,
                "return statement is not allowed in this context (because it is guarded by a "
                "specification-only expression)",
                "Once ghost code is erased, the method would return on a path the compiled code cannot "
                "tell apart: decide when to return with compiled values only.",
            )
        if not stmt.values:
            return stmt
        if len(stmt.values) != len(method.returns):
            raise self.state.fail(
                ARITY,
                stmt.span,
                f"'{method.name}' has {len(method.returns)} out-parameter(s), but `return` gives {len(stmt.values)}",
            )
        values = []
        for value, out in zip(stmt.values, method.returns, strict=True):
            checked = self.exprs.expr(value, ctx)
            self.state.expect(
                checked, self.state.type_of_ref(out.type_ref), f"the value returned for '{out.name}'"
            )
            values.append(checked)
        return dataclasses.replace(stmt, values=tuple(values))

    def assert_stmt(self, stmt: ast.Assert, ctx: Context) -> ast.Assert:
        expr = self.exprs.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.state.expect(expr, BOOL, "an assertion")
        return dataclasses.replace(stmt, expr=expr)

    def assume_stmt(self, stmt: ast.Assume, ctx: Context) -> ast.Assume:
        expr = self.exprs.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.state.expect(expr, BOOL, "an assumption")
        return dataclasses.replace(stmt, expr=expr)

    # ------------------------------------------------------------ proof statements

    def confined_block(self, block: ast.Block, ctx: Context, rules: tuple[str, str, str]) -> ast.Block:
        """A hint or a proof body: ghost, in its own scope, changing only what it declares."""
        self.state.confined.append(Confined(len(self.state.scopes), *rules))
        try:
            return self.block(block, dataclasses.replace(ctx, ghost=True))
        finally:
            self.state.confined.pop()

    def calc_stmt(self, stmt: ast.Calc, ctx: Context) -> ast.Calc:
        ghost = dataclasses.replace(ctx, ghost=True)
        lines = tuple(self.exprs.expr(line, ghost) for line in stmt.lines)
        steps = []
        result = "=="
        for index, step in enumerate(stmt.steps):
            op = step.op or stmt.op or "=="
            before, after = stmt.lines[index], stmt.lines[index + 1]
            # The step's operator must apply to its two lines (both int for `<`, bool for `==>`).
            self.exprs.binary(
                ast.Binary(
                    span=before.span.cover(after.span), op=op, left=before, right=after, op_span=step.op_span
                ),
                ghost,
            )
            hints = tuple(self.confined_block(hint, ghost, HINT_RULES) for hint in step.hints)
            steps.append(dataclasses.replace(step, op=op, hints=hints))
            result = ast.calc_combine(result, op) or op  # the parser has checked that they chain
        return dataclasses.replace(stmt, lines=lines, steps=tuple(steps), result_op=result)

    def forall_stmt(self, stmt: ast.ForallStmt, ctx: Context) -> ast.ForallStmt:
        if stmt.array_update is not None:
            return self.forall_update(stmt, ctx)
        only = stmt.only_statement
        if isinstance(only, ast.Assign) and any(isinstance(target, ast.Index) for target in only.targets):
            raise self.state.fail(
                NOT_MINIDAFNY,
                only.span,
                "a forall statement that updates an array is not part of MiniDafny",
                "In MiniDafny a forall statement proves a fact for every value: "
                "`forall x | 0 <= x < n ensures P(x) { ... }`; update arrays with a loop.",
            )
        candidates = () if stmt.range is None else self.exprs.membership_types(stmt.bound, stmt.range, ctx)
        return self.exprs.inferring(
            stmt.bound, lambda untyped: self.typed_forall_stmt(stmt, ctx, untyped), candidates
        )

    def typed_forall_stmt(self, stmt: ast.ForallStmt, ctx: Context, untyped: Type) -> ast.ForallStmt:
        ghost = dataclasses.replace(ctx, ghost=True)
        with self.state.scope():
            bound = self.exprs.bound_variables(stmt.bound, is_ghost=True, untyped=untyped)
            range_ = None
            if stmt.range is not None:
                range_ = self.exprs.expr(stmt.range, ghost)
                self.state.expect(range_, BOOL, "the range of a forall statement")
            ensures = self.exprs.clauses(stmt.ensures, ghost, "the ensures clause of a forall statement")
            body = self.confined_block(stmt.body, ghost, FORALL_RULES)
        return dataclasses.replace(stmt, bound=bound, range=range_, ensures=ensures, body=body)

    def forall_update(self, stmt: ast.ForallStmt, ctx: Context) -> ast.ForallStmt:
        """`forall i | R { a[i] := v; }`: compiled code (in a compiled context), the bound
        variables and the range too."""
        self.simple_update(stmt)
        with self.state.scope():
            bound = self.exprs.bound_variables(stmt.bound, is_ghost=ctx.ghost)
            range_ = None
            if stmt.range is not None:
                range_ = self.exprs.expr(stmt.range, ctx)
                self.state.expect(range_, BOOL, "the range of a forall statement")
            body = self.block(stmt.body, ctx)
        return dataclasses.replace(stmt, bound=bound, range=range_, body=body)

    def simple_update(self, stmt: ast.ForallStmt) -> None:
        """MiniDafny's aggregate updates write `a[i]` for one bound variable `i` (the array
        not depending on it), so that no two values of `i` write the same element."""
        update = stmt.array_update
        assert update is not None and isinstance(update.targets[0], ast.Index)
        target = update.targets[0]
        name = stmt.bound[0].name
        simple = (
            len(stmt.bound) == 1
            and isinstance(target.index, ast.Name)
            and target.index.name == name
            and not any(
                isinstance(node, ast.Name) and node.name == name for node in ast.walk_expr(target.seq)
            )
        )
        if not simple:
            raise self.state.fail(
                NOT_MINIDAFNY,
                target.span,
                "a forall statement that updates array elements other than `a[i]` for its one bound "
                "variable `i` is not part of MiniDafny",
                f"Write the index as the bound variable: `forall {name} | ... {{ a[{name}] := ...; }}`.",
            )

    def assert_by_stmt(self, stmt: ast.AssertBy, ctx: Context) -> ast.AssertBy:
        expr = self.exprs.expr(stmt.expr, dataclasses.replace(ctx, ghost=True))
        self.state.expect(expr, BOOL, "an assertion")
        body = self.confined_block(stmt.body, ctx, ASSERT_BY_RULES)
        return dataclasses.replace(stmt, expr=expr, body=body)
