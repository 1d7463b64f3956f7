"""CheckedProgram -> guarded-command procedures, one per thing to check.

Loops are cut by their invariants, calls replaced by the callee's contract, and every
check is an `Assert` that carries its Obligation, described here where it is made.
Functions become axioms with fuel (as Dafny's), so that recursive definitions unfold a
bounded number of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.source import SourceFile, Span
from kernel_ext.lang.types import BOOL as BOOL_TYPE
from kernel_ext.lang.types import NAT, Type
from kernel_ext.verify import callgraph
from kernel_ext.verify import terms as t
from kernel_ext.verify.gcl import Assert, Assign, Assume, Choice, Command, Havoc, Mark, Procedure, seq
from kernel_ext.verify.obligations import (
    BOUNDED_BELOW,
    LOOP_NEEDS_DECREASES,
    Obligation,
    ObligationKind,
)

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


@dataclass(frozen=True)
class FunctionAxiom:
    """An axiom about one function; `role` is 'def', 'layer' or 'post'."""

    function: str
    role: str
    formula: t.Term

    @property
    def key(self) -> str:
        return f"{self.role}:{self.function}"


@dataclass(frozen=True)
class LoweredProgram:
    procedures: tuple[Procedure, ...]
    axioms: tuple[FunctionAxiom, ...]


def lower(checked: CheckedProgram, source: SourceFile) -> LoweredProgram:
    program = checked.program
    unit = _Unit(program, source, callgraph.components(program))
    procedures: list[Procedure] = []
    axioms: list[FunctionAxiom] = []
    for decl in program.decls:
        if isinstance(decl, ast.Method):
            procedures.extend(unit.method_procedures(decl))
        elif isinstance(decl, ast.Function):
            axioms.extend(unit.function_axioms(decl))
            procedures.append(unit.function_procedure(decl))
    return LoweredProgram(tuple(procedures), tuple(axioms))


def sort_of(ty: Type) -> t.Sort:
    return t.BOOL if ty == BOOL_TYPE else t.INT


def split_conjuncts(expr: ast.Expr) -> list[ast.Expr]:
    """`A && B` and `A ==> B && C` are checked part by part, so a failure names its part."""
    if isinstance(expr, ast.Binary) and expr.op == "&&":
        return split_conjuncts(expr.left) + split_conjuncts(expr.right)
    if isinstance(expr, ast.Binary) and expr.op == "==>":
        parts = split_conjuncts(expr.right)
        if len(parts) > 1:
            return [
                ast.Binary(
                    span=part.span, op="==>", left=expr.left, right=part, op_span=part.token, ty=expr.ty
                )
                for part in parts
            ]
    return [expr]


# ------------------------------------------------------------------ expressions


@dataclass
class Translator:
    """Expressions to terms. `fuel_of` gives the fuel layer at which each function is applied."""

    functions: dict[str, ast.Function]
    fuel_of: dict[str, t.Term] = field(default_factory=dict)

    def fuel(self, name: str) -> t.Term:
        return self.fuel_of.get(name, PROGRAM_FUEL)

    def __call__(self, expr: ast.Expr) -> t.Term:
        if isinstance(expr, ast.IntLit):
            return t.IntVal(expr.value)
        if isinstance(expr, ast.BoolLit):
            return t.BoolVal(expr.value)
        if isinstance(expr, ast.Name):
            return t.Var(expr.uid, sort_of(ast.type_of(expr)))
        if isinstance(expr, ast.Unary):
            operand = self(expr.operand)
            return t.not_(operand) if expr.op == "!" else t.app(t.Op.NEG, operand)
        if isinstance(expr, ast.Binary):
            left, right = self(expr.left), self(expr.right)
            if expr.op == "<==":
                return t.implies(right, left)
            if expr.op == "&&":
                return t.and_(left, right)
            if expr.op == "||":
                return t.or_(left, right)
            if expr.op == "==" and ast.type_of(expr.left) == BOOL_TYPE:
                return t.app(t.Op.IFF, left, right)
            return t.app(BINARY_OPS[expr.op], left, right)
        if isinstance(expr, ast.IfThenElse):
            return t.ite(self(expr.cond), self(expr.then), self(expr.else_))
        if isinstance(expr, ast.Call):
            function = self.functions[expr.name]
            sort = t.BOOL if function.is_predicate else sort_of(function.result_ty or NAT)
            return t.FunApp(expr.name, self.fuel(expr.name), tuple(self(arg) for arg in expr.args), sort)
        if isinstance(expr, ast.Old):
            return self(expr.expr)  # no heap at level 1: old only changes heap reads
        raise NotImplementedError(type(expr).__name__)


def param_var(param: ast.Param) -> t.Var:
    return t.Var(param.name, sort_of(param.ty or NAT))


def type_constraint(var: t.Term, ty: Type | None) -> t.Term:
    return t.app(t.Op.GE, var, t.IntVal(0)) if ty == NAT else t.TRUE


def decreases_less(new: list[t.Term], old: list[t.Term], bounded: bool = True) -> t.Term:
    """Dafny's well-founded order on tuples of ints and bools, lexicographically."""
    cases = []
    for index, (new_part, old_part) in enumerate(zip(new, old, strict=False)):
        equal_before = [t.eq(n, o) for n, o in zip(new[:index], old[:index], strict=True)]
        cases.append(t.and_(*equal_before, _part_less(new_part, old_part, bounded)))
    return t.or_(*cases)


def decreases_bounded(new: list[t.Term], old: list[t.Term]) -> t.Term:
    """The component that decreased was not below zero."""
    conditions = []
    for index, (new_part, old_part) in enumerate(zip(new, old, strict=False)):
        if _is_bool(old_part):
            continue
        equal_before = [t.eq(n, o) for n, o in zip(new[:index], old[:index], strict=True)]
        decreased = t.and_(*equal_before, t.app(t.Op.LT, new_part, old_part))
        conditions.append(t.implies(decreased, t.app(t.Op.LE, t.IntVal(0), old_part)))
    return t.and_(*conditions)


def _is_bool(term: t.Term) -> bool:
    if isinstance(term, t.Var | t.FunApp):
        return term.sort == t.BOOL
    if isinstance(term, t.BoolVal):
        return True
    return isinstance(term, t.App) and term.op in (
        t.Op.LT,
        t.Op.LE,
        t.Op.GT,
        t.Op.GE,
        t.Op.EQ,
        t.Op.NE,
        t.Op.AND,
        t.Op.OR,
        t.Op.NOT,
        t.Op.IMPLIES,
        t.Op.IFF,
    )


def _part_less(new: t.Term, old: t.Term, bounded: bool) -> t.Term:
    if _is_bool(old):
        return t.and_(t.not_(new), old)
    less = t.app(t.Op.LT, new, old)
    return t.and_(less, t.app(t.Op.LE, t.IntVal(0), old)) if bounded else less


# ------------------------------------------------------------------ the unit


@dataclass
class _Unit:
    program: ast.Program
    source: SourceFile
    components: dict[str, frozenset[str]]

    def __post_init__(self) -> None:
        self.functions = {f.name: f for f in self.program.functions()}
        self.methods = {m.name: m for m in self.program.methods()}
        self.translate = Translator(self.functions)

    def recursive_with(self, caller: str, callee: str) -> bool:
        return callee in self.components.get(caller, frozenset())

    def default_decreases(self, decl: ast.Method | ast.Function) -> list[t.Term]:
        if decl.decreases is not None:
            return [self.translate(expr) for expr in decl.decreases.exprs]
        return [param_var(param) for param in decl.params]

    # ---- functions

    def function_axioms(self, function: ast.Function) -> list[FunctionAxiom]:
        params = [param_var(p) for p in function.params]
        layer = t.Var("$ly", t.FUEL)
        sort = t.BOOL if function.is_predicate else sort_of(function.result_ty or NAT)
        at_succ = t.FunApp(function.name, t.app(t.Op.FUEL_SUCC, layer), tuple(params), sort)
        at_layer = t.FunApp(function.name, layer, tuple(params), sort)
        bound = (layer, *params)
        same_scc = {name: layer for name in self.components[function.name] if name in self.functions}
        inner = Translator(self.functions, same_scc)
        guard = t.and_(
            *(type_constraint(p, param.ty) for p, param in zip(params, function.params, strict=True)),
            *(inner(clause.expr) for clause in function.requires),
        )
        axioms = [
            FunctionAxiom(
                function.name,
                "layer",
                t.Forall(bound, t.eq(at_succ, at_layer), ((at_succ,),)),
            )
        ]
        if function.body is not None:
            definition = t.implies(guard, t.eq(at_succ, inner(function.body)))
            axioms.append(FunctionAxiom(function.name, "def", t.Forall(bound, definition, ((at_succ,),))))
        self_at_layer = Translator(self.functions, {**same_scc, function.name: layer})
        facts = [type_constraint(at_layer, function.result_ty)]
        facts += [self_at_layer(clause.expr) for clause in function.ensures]
        post = t.and_(*facts)
        if post != t.TRUE:
            axioms.append(
                FunctionAxiom(function.name, "post", t.Forall(bound, t.implies(guard, post), ((at_layer,),)))
            )
        return axioms

    def function_procedure(self, function: ast.Function) -> Procedure:
        body = _Body(self, function)
        commands: list[Command] = [body.assume_params()]
        for clause in function.requires:
            commands += body.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr)))
        if function.body is not None:
            commands += body.wf(function.body)
            result = self.translate(function.body)
            if function.result_ty == NAT:
                commands.append(
                    body.check(
                        t.app(t.Op.GE, result, t.IntVal(0)), ObligationKind.SUBSET_TYPE, function.body.span
                    )
                )
            params = tuple(param_var(p) for p in function.params)
            call = t.FunApp(function.name, PROGRAM_FUEL, params, t.BOOL if function.is_predicate else t.INT)
            commands.append(Assume(t.eq(call, result)))
        for clause in function.ensures:
            commands += body.wf(clause.expr)
            for part in split_conjuncts(clause.expr):
                commands.append(
                    body.check(
                        self.translate(part),
                        ObligationKind.POSTCONDITION,
                        function.name_span,
                        related=(part.token,),
                        description=self.source.text_of(part.span),
                    )
                )
        excluded = frozenset(f"post:{name}" for name in self.components[function.name])
        return Procedure(f"{function.kind_word} {function.name}", function.name, seq(*commands), excluded)

    # ---- methods

    def method_procedures(self, method: ast.Method) -> list[Procedure]:
        body = _Body(self, method)
        procedures = [
            Procedure(
                f"{method.kind_word} {method.name} (specification)", method.name, body.spec_wellformedness()
            )
        ]
        if method.body is not None:
            procedures.append(
                Procedure(
                    f"{method.kind_word} {method.name}", method.name, _Body(self, method).implementation()
                )
            )
        return procedures


@dataclass
class _Body:
    """Lowers one method's or function's code; holds its fresh-name counter."""

    unit: _Unit
    owner: ast.Method | ast.Function
    counter: count = field(default_factory=lambda: count(1))

    @property
    def translate(self) -> Translator:
        return self.unit.translate

    def temp(self, hint: str, sort: t.Sort) -> t.Var:
        return t.Var(f"{hint}%{next(self.counter)}", sort)

    def check(
        self,
        condition: t.Term,
        kind: ObligationKind,
        span: Span,
        related: tuple[Span, ...] = (),
        description: str = "",
        message: str = "",
    ) -> Assert:
        obligation = Obligation(kind, span, self.owner.name, related, description, message)
        return Assert(condition, obligation)

    def assume_params(self) -> Command:
        return seq(*(Assume(type_constraint(param_var(p), p.ty)) for p in self.owner.params))

    # ---- well-formedness of expressions

    def wf(self, expr: ast.Expr, path: t.Term = t.TRUE) -> list[Command]:
        """Checks that evaluating `expr` is defined, short-circuiting as Dafny does."""
        if isinstance(expr, ast.Unary):
            return self.wf(expr.operand, path)
        if isinstance(expr, ast.Old):
            return self.wf(expr.expr, path)
        if isinstance(expr, ast.Binary):
            return self.wf_binary(expr, path)
        if isinstance(expr, ast.IfThenElse):
            cond = self.translate(expr.cond)
            return (
                self.wf(expr.cond, path)
                + self.wf(expr.then, t.and_(path, cond))
                + self.wf(expr.else_, t.and_(path, t.not_(cond)))
            )
        if isinstance(expr, ast.Call):
            return self.wf_call(expr, path)
        return []

    def wf_binary(self, expr: ast.Binary, path: t.Term) -> list[Command]:
        left = self.translate(expr.left)
        if expr.op in ("&&", "==>"):
            return self.wf(expr.left, path) + self.wf(expr.right, t.and_(path, left))
        if expr.op == "||":
            return self.wf(expr.left, path) + self.wf(expr.right, t.and_(path, t.not_(left)))
        if expr.op == "<==":
            right = self.translate(expr.right)
            return self.wf(expr.right, path) + self.wf(expr.left, t.and_(path, right))
        commands = self.wf(expr.left, path) + self.wf(expr.right, path)
        if expr.op in ("/", "%"):
            nonzero = t.app(t.Op.NE, self.translate(expr.right), t.IntVal(0))
            commands.append(
                self.check(t.implies(path, nonzero), ObligationKind.DIVISION_BY_ZERO, expr.op_span)
            )
        return commands

    def wf_call(self, call: ast.Call, path: t.Term) -> list[Command]:
        function = self.unit.functions[call.name]
        commands: list[Command] = []
        for arg in call.args:
            commands += self.wf(arg, path)
        args = [self.translate(arg) for arg in call.args]
        mapping = {p.name: a for p, a in zip(function.params, args, strict=True)}
        for arg, param, term in zip(call.args, function.params, args, strict=True):
            if param.ty == NAT and ast.type_of(arg) != NAT:
                commands.append(
                    self.check(
                        t.implies(path, type_constraint(term, NAT)), ObligationKind.SUBSET_TYPE, arg.span
                    )
                )
        for clause in function.requires:
            for part in split_conjuncts(clause.expr):
                commands.append(
                    self.check(
                        t.implies(path, t.substitute(self.translate(part), mapping)),
                        ObligationKind.FUNCTION_PRECONDITION,
                        call.name_span,
                        related=(part.token,),
                        description=self.unit.source.text_of(part.span),
                    )
                )
        if isinstance(self.owner, ast.Function) and self.unit.recursive_with(self.owner.name, call.name):
            commands.append(self.termination_check(function, mapping, call, path))
            post = self.unit.translate(call)
            facts = [type_constraint(post, function.result_ty)]
            facts += [t.substitute(self.translate(c.expr), mapping) for c in function.ensures]
            commands.append(Assume(t.implies(path, t.and_(*facts))))
        return commands

    def termination_check(
        self, callee: ast.Method | ast.Function, mapping: dict[str, t.Term], call: ast.Call, path: t.Term
    ) -> Assert:
        new = [t.substitute(term, mapping) for term in self.unit.default_decreases(callee)]
        old = self.unit.default_decreases(self.owner)
        return self.check(
            t.implies(path, decreases_less(new, old)),
            ObligationKind.TERMINATION,
            call.name_span,
        )

    # ---- method specification

    def spec_wellformedness(self) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method)
        commands: list[Command] = [self.assume_params()]
        for clause in method.requires:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr)))
        if method.decreases is not None:
            for expr in method.decreases.exprs:
                commands += self.wf(expr)
        outs = [param_var(p) for p in method.returns]
        commands.append(Havoc(tuple(outs)))
        commands += [Assume(type_constraint(v, p.ty)) for v, p in zip(outs, method.returns, strict=True)]
        for clause in method.ensures:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr)))
        return seq(*commands)

    # ---- method implementation

    def implementation(self) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method) and method.body is not None
        commands: list[Command] = [self.assume_params()]
        commands += [Assume(self.translate(clause.expr)) for clause in method.requires]
        outs = tuple(param_var(p) for p in method.returns)
        commands.append(Havoc(outs))
        commands += [Assume(type_constraint(v, p.ty)) for v, p in zip(outs, method.returns, strict=True)]
        commands.append(self.block(method.body.stmts, exit_at=method.body.open_brace))
        return seq(*commands)

    def exit_checks(self, exit_at: Span) -> list[Command]:
        """The postconditions, checked where control leaves the method (Dafny's return path)."""
        method = self.owner
        assert isinstance(method, ast.Method)
        commands: list[Command] = []
        for clause in method.ensures:
            for part in split_conjuncts(clause.expr):
                commands.append(
                    self.check(
                        self.translate(part),
                        ObligationKind.POSTCONDITION,
                        exit_at,
                        related=(part.token,),
                        description=self.unit.source.text_of(part.span),
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

    def mark(self, stmt: ast.Stmt) -> Mark:
        text = self.unit.source.line(stmt.span.start_line).strip()
        return Mark(stmt.span, text)

    def stmt(self, stmt: ast.Stmt) -> Command:
        if isinstance(stmt, ast.Block):
            return self.block(stmt.stmts)
        if isinstance(stmt, ast.If):
            return self.if_stmt(stmt, tail=False)
        if isinstance(stmt, ast.While):
            return self.while_stmt(stmt)
        lowered = {
            ast.VarDecl: self.var_decl,
            ast.Assign: self.assign,
            ast.CallStmt: self.call_stmt,
            ast.Assert: self.assert_stmt,
            ast.Assume: self.assume_stmt,
            ast.Return: self.return_stmt,
        }[type(stmt)](stmt)
        return seq(lowered, self.mark(stmt))

    # ---- assignments and calls

    def var_decl(self, stmt: ast.VarDecl) -> Command:
        targets = [(t.Var(v.uid, sort_of(v.ty or NAT)), v.ty, v.span) for v in stmt.variables]
        if not stmt.rhs:
            havoc = Havoc(tuple(var for var, _, _ in targets))
            return seq(havoc, *(Assume(type_constraint(var, ty)) for var, ty, _ in targets))
        return self.assign_values(targets, stmt.rhs)

    def assign(self, stmt: ast.Assign) -> Command:
        targets = []
        for target in stmt.targets:
            assert isinstance(target, ast.Name)
            targets.append((t.Var(target.uid, sort_of(ast.type_of(target))), target.ty, target.span))
        return self.assign_values(targets, stmt.rhs)

    def assign_values(
        self, targets: list[tuple[t.Var, Type | None, Span]], rhs: tuple[ast.Expr, ...]
    ) -> Command:
        if len(rhs) == 1 and isinstance(rhs[0], ast.Call) and rhs[0].name in self.unit.methods:
            return self.method_call(rhs[0], targets)
        commands: list[Command] = []
        values = []
        for (_, ty, _), expr in zip(targets, rhs, strict=True):
            commands += self.wf(expr)
            value = self.translate(expr)
            if ty == NAT and ast.type_of(expr) != NAT:
                commands.append(
                    self.check(type_constraint(value, NAT), ObligationKind.SUBSET_TYPE, expr.span)
                )
            values.append(value)
        if len(targets) == 1:
            return seq(*commands, Assign(targets[0][0], values[0]))
        temps = [self.temp("rhs", var.sort) for var, _, _ in targets]
        commands += [Assign(temp, value) for temp, value in zip(temps, values, strict=True)]
        commands += [Assign(var, temp) for (var, _, _), temp in zip(targets, temps, strict=True)]
        return seq(*commands)

    def call_stmt(self, stmt: ast.CallStmt) -> Command:
        return self.method_call(stmt.call, [])

    def method_call(self, call: ast.Call, targets: list[tuple[t.Var, Type | None, Span]]) -> Command:
        callee = self.unit.methods[call.name]
        commands: list[Command] = []
        mapping: dict[str, t.Term] = {}
        for arg, param in zip(call.args, callee.params, strict=True):
            commands += self.wf(arg)
            value = self.translate(arg)
            if param.ty == NAT and ast.type_of(arg) != NAT:
                commands.append(self.check(type_constraint(value, NAT), ObligationKind.SUBSET_TYPE, arg.span))
            temp = self.temp(param.name, sort_of(param.ty or NAT))
            commands.append(Assign(temp, value))
            mapping[param.name] = temp
        for clause in callee.requires:
            for part in split_conjuncts(clause.expr):
                commands.append(
                    self.check(
                        t.substitute(self.translate(part), mapping),
                        ObligationKind.PRECONDITION,
                        call.name_span,
                        related=(part.token,),
                        description=self.unit.source.text_of(part.span),
                    )
                )
        if self.unit.recursive_with(self.owner.name, callee.name):
            commands.append(self.termination_check(callee, mapping, call, t.TRUE))
        outs = []
        for out in callee.returns:
            temp = self.temp(out.name, sort_of(out.ty or NAT))
            outs.append(temp)
            mapping[out.name] = temp
        if outs:
            commands.append(Havoc(tuple(outs)))
        for out, temp in zip(callee.returns, outs, strict=True):
            commands.append(Assume(type_constraint(temp, out.ty)))
        for clause in callee.ensures:
            commands.append(Assume(t.substitute(self.translate(clause.expr), mapping)))
        for (var, ty, span), out, temp in zip(targets, callee.returns, outs, strict=True):
            if ty == NAT and out.ty != NAT:
                commands.append(self.check(type_constraint(temp, NAT), ObligationKind.SUBSET_TYPE, span))
            commands.append(Assign(var, temp))
        return seq(*commands)

    # ---- control flow

    def if_stmt(self, stmt: ast.If, tail: bool) -> Command:
        cond = self.translate(stmt.cond)
        then_exit = stmt.then.open_brace if tail else None
        then = seq(Assume(cond), self.block(stmt.then.stmts, exit_at=then_exit))
        if isinstance(stmt.else_, ast.If):
            else_ = seq(Assume(t.not_(cond)), self.if_stmt(stmt.else_, tail))
        elif isinstance(stmt.else_, ast.Block):
            else_exit = stmt.else_.open_brace if tail else None
            else_ = seq(Assume(t.not_(cond)), self.block(stmt.else_.stmts, exit_at=else_exit))
        else:
            if_at = Span.point(stmt.span.start_line, stmt.span.start_col)
            else_ = seq(Assume(t.not_(cond)), *(self.exit_checks(if_at) if tail else []))
        return seq(*self.wf(stmt.cond), Choice((then, else_)))

    def while_stmt(self, loop: ast.While) -> Command:
        while_at = Span.point(loop.span.start_line, loop.span.start_col)
        parts = [part for clause in loop.invariants for part in split_conjuncts(clause.expr)]
        commands: list[Command] = []
        for part in parts:
            commands.append(
                self.check(
                    self.translate(part),
                    ObligationKind.INVARIANT_ENTRY,
                    part.token,
                    description=self.unit.source.text_of(part.span),
                )
            )
        targets = sorted(assigned_variables(loop.body), key=lambda item: item[0].name)
        commands.append(Havoc(tuple(var for var, _ in targets)))
        commands += [Assume(type_constraint(var, ty)) for var, ty in targets]
        for clause in loop.invariants:
            commands += self.wf(clause.expr)
            commands.append(Assume(self.translate(clause.expr)))
        commands += self.wf(loop.cond)
        cond = self.translate(loop.cond)
        measure = self.loop_measure(loop)
        body: list[Command] = [Assume(cond)]
        if loop.decreases is not None:
            for expr in loop.decreases.exprs:
                body += self.wf(expr)
        old_values = []
        for term in measure or []:
            temp = self.temp("decreases", t.BOOL if _is_bool(term) else t.INT)
            body.append(Assign(temp, term))
            old_values.append(temp)
        body.append(self.block(loop.body.stmts))
        for part in parts:
            body.append(
                self.check(
                    self.translate(part),
                    ObligationKind.INVARIANT_MAINTAINED,
                    part.token,
                    description=self.unit.source.text_of(part.span),
                )
            )
        body += self.decreases_checks(loop, while_at, measure, old_values)
        body.append(Assume(t.FALSE))
        commands.append(Choice((seq(*body), Assume(t.not_(cond)))))
        commands.append(Mark(loop.span, "after the loop"))
        return seq(*commands)

    def loop_measure(self, loop: ast.While) -> list[t.Term] | None:
        if loop.decreases is not None:
            return [self.translate(expr) for expr in loop.decreases.exprs]
        return guess_decreases(loop.cond, self.translate)

    def decreases_checks(
        self, loop: ast.While, while_at: Span, measure: list[t.Term] | None, old: list[t.Var]
    ) -> list[Command]:
        if measure is None:
            return [self.check(t.FALSE, ObligationKind.DECREASES, while_at, message=LOOP_NEEDS_DECREASES)]
        guessed = loop.decreases is None
        related = () if guessed else (loop.decreases.span,)
        description = "" if guessed else self.unit.source.text_of(loop.decreases.span)
        new = list(measure)
        old_terms: list[t.Term] = list(old)
        return [
            self.check(
                decreases_less(new, old_terms, bounded=False),
                ObligationKind.DECREASES,
                while_at,
                related,
                description,
                LOOP_NEEDS_DECREASES if guessed else "",
            ),
            self.check(
                decreases_bounded(new, old_terms),
                ObligationKind.DECREASES,
                while_at if guessed else loop.decreases.exprs[0].token,
                (),
                description,
                LOOP_NEEDS_DECREASES if guessed else BOUNDED_BELOW,
            ),
        ]

    # ---- specification statements

    def assert_stmt(self, stmt: ast.Assert) -> Command:
        commands = self.wf(stmt.expr)
        for part in split_conjuncts(stmt.expr):
            commands.append(
                self.check(
                    self.translate(part),
                    ObligationKind.ASSERTION,
                    part.token,
                    description=self.unit.source.text_of(part.span),
                )
            )
        return seq(*commands)

    def assume_stmt(self, stmt: ast.Assume) -> Command:
        return seq(*self.wf(stmt.expr), Assume(self.translate(stmt.expr)))

    def return_stmt(self, stmt: ast.Return) -> Command:
        method = self.owner
        assert isinstance(method, ast.Method)
        commands: list[Command] = []
        if stmt.values:
            targets = [(param_var(p), p.ty, p.span) for p in method.returns]
            commands.append(self.assign_values(targets, stmt.values))
        commands += self.exit_checks(Span.point(stmt.span.start_line, stmt.span.start_col))
        commands.append(self.mark(stmt))
        commands.append(Assume(t.FALSE))
        return seq(*commands)


def guess_decreases(cond: ast.Expr, translate: Translator) -> list[t.Term] | None:
    """Dafny's guess for a loop without `decreases`, from the shape of its condition."""
    if not isinstance(cond, ast.Binary) or cond.op not in ("<", "<=", ">", ">=", "!="):
        return None
    left, right = translate(cond.left), translate(cond.right)
    if cond.op in ("<", "<="):
        return [t.app(t.Op.SUB, right, left)]
    if cond.op in (">", ">="):
        return [t.app(t.Op.SUB, left, right)]
    if cond.op == "!=" and ast.type_of(cond.left).is_numeric:
        return [
            t.ite(
                t.app(t.Op.LT, left, right),
                t.app(t.Op.SUB, right, left),
                t.app(t.Op.SUB, left, right),
            )
        ]
    return None


def assigned_variables(stmt: ast.Stmt) -> set[tuple[t.Var, Type | None]]:
    """The variables a loop body may change (its frame), with their types."""
    found: set[tuple[t.Var, Type | None]] = set()
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                found.add((t.Var(target.uid, sort_of(ast.type_of(target))), target.ty))
    elif isinstance(stmt, ast.VarDecl):
        for var in stmt.variables:
            found.add((t.Var(var.uid, sort_of(var.ty or NAT)), var.ty))
    for child in callgraph.stmt_children(stmt):
        found |= assigned_variables(child)
    return found
