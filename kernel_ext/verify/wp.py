"""The weakest precondition of a statement snippet, computed backwards step by step (`%%wp`).

A teaching view of Hoare logic. For a postcondition Q and statements S1; ...; Sn, each
statement, from the last to the first, turns the condition after it into the weakest
condition before it:

    wp(x, y := e1, e2, Q)                 = Q[x := e1, y := e2]  (simultaneously)
    wp(assert P, Q)                       = P && Q
    wp(assume P, Q)                       = P ==> Q
    wp(if c { S } else { T }, Q)          = (c ==> wp(S, Q)) && (!c ==> wp(T, Q))

each with the well-definedness of its expressions in front (a divisor is not zero, a `nat`
stays non-negative), as Dafny checks them. The snippet is parsed and type-checked as the
body of a method whose out-parameters are its variables, so that it may assign them.
Formulas are Z3 terms in a fresh context per snippet; each step is simplified by Z3 and
printed back in MiniDafny syntax. Z3 runs on a worker thread (`smt.Workers`), so that an
interrupt stops it at once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

import z3
from lark.exceptions import UnexpectedInput

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    TYPE_MISMATCH,
    WP_ONLY,
    Diagnostic,
    DiagnosticError,
)
from kernel_ext.lang.parser import _lark, parse, parse_expression
from kernel_ext.lang.printer import COMPARE, show_expr, show_operand
from kernel_ext.lang.resolver import resolve
from kernel_ext.lang.source import NO_SPAN, SourceFile, Span
from kernel_ext.lang.types import BOOL, NAT, Type
from kernel_ext.verify.smt import Cancellation, Limits, Workers

CELL = "cell"
POST = "--post"
VARS = "--vars"

# The cell becomes the body of this method; its line n is line n + 1 of the wrapped text.
HEADER = "method __wp() {\n"
LINE_OFFSET = HEADER.count("\n")

VARIABLE_TYPES = ("int", "nat", "bool")
STATEMENTS = "%%wp handles assignments, if, assert and assume"
EXPRESSIONS = "%%wp handles int and bool expressions"

SIMPLIFY_MS = 2_000
SMALL_BOUNDS = (1, 3, 10, 100, 10_000)  # counterexamples are searched within ±bound first
SMALL_MODEL_MS = 1_000  # per bound: small values are a nicety, not worth the full timeout


# ------------------------------------------------------------------ the result


class Verdict(Enum):
    """What the final precondition says about the inputs, best first."""

    VALID = "valid"  # it holds for every input: the snippet establishes Q
    SOMETIMES = "not valid"  # it holds for some inputs but not all
    NEVER = "unsatisfiable"  # it holds for no input
    UNKNOWN = "unknown"  # Z3 could not decide within its limits


@dataclass(frozen=True)
class Input:
    name: str
    type: str  # "int", "nat" or "bool"


@dataclass(frozen=True)
class Branch:
    """One side of an `if`: its statements' steps, starting from the `if`'s Q."""

    label: str  # "then" or "else"
    condition: str
    steps: tuple[WpStep, ...]
    wp: str


@dataclass(frozen=True)
class WpStep:
    """One statement and the weakest precondition before it: `rule` applied to the Q after
    it gives `raw`, which Z3 simplifies to `simplified` (the next step's Q)."""

    line: int
    statement: str
    rule: str
    raw: str
    simplified: str
    branches: tuple[Branch, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Why no precondition was computed: a diagnostic in the cell (with the cell's own line
    numbers), in `--post` or in `--vars`."""

    where: str
    diagnostic: Diagnostic
    excerpt: str = ""

    @property
    def line(self) -> int:
        return self.diagnostic.span.start_line

    @property
    def column(self) -> int:
        return self.diagnostic.span.start_col

    def describe(self) -> str:
        place = f"line {self.line}" if self.where == CELL else self.where
        return f"{place}, column {self.column}: {self.diagnostic.message}"


Value = int | bool


@dataclass(frozen=True)
class WpResult:
    post: str
    inputs: tuple[Input, ...] = ()
    steps: tuple[WpStep, ...] = ()  # the last statement first, as they are computed
    precondition: str = ""
    verdict: Verdict | None = None
    counterexample: tuple[tuple[str, Value], ...] = ()  # inputs for which the precondition is false
    example: tuple[tuple[str, Value], ...] = ()  # inputs for which it is true (when not valid)
    reason: str = ""  # why the verdict is unknown
    problems: tuple[Problem, ...] = ()


def weakest_precondition(
    snippet: str, post: str, variables: str = "", limits: Limits | None = None
) -> WpResult:
    """The steps of wp(snippet, post), its final precondition and its verdict; problems in
    the input come back as `problems`, never as an exception. Interrupted (Ctrl-C), it stops
    Z3 and raises KeyboardInterrupt."""
    post = " ".join(post.splitlines())
    try:
        checked = _check(snippet, post, variables)
    except _Problems as problems:
        return WpResult(post, problems=problems.problems)
    try:
        return _calculate(checked, limits or Limits())
    except DiagnosticError as error:
        return WpResult(post, problems=tuple(_cell_problem(d, snippet) for d in error.diagnostics))


def _calculate(checked: _Checked, limits: Limits) -> WpResult:
    with Workers(1) as workers:
        cancellation = workers.cancellation

        def calculate() -> WpResult:
            with cancellation.context() as ctx:
                return _Calculus(checked, limits, ctx, cancellation).result()

        return workers.submit(calculate).result()


# ------------------------------------------------------------------ parse and check


class _Problems(Exception):
    def __init__(self, problems: tuple[Problem, ...]):
        super().__init__(problems[0].describe())
        self.problems = problems


@dataclass(frozen=True)
class _Checked:
    """The snippet type-checked as a method body, and its postcondition typed in its scope."""

    post_text: str
    source: SourceFile  # the wrapped text: statements are quoted from it
    inputs: tuple[Input, ...]
    body: tuple[ast.Stmt, ...]
    post: ast.Expr


def _check(snippet: str, post_text: str, variables: str) -> _Checked:
    declared = _parse_variables(variables)
    source = SourceFile(CELL, HEADER + snippet + "\n}")
    block = _parse_cell(source, snippet)
    post = _parse_post(post_text)
    unsupported = [_cell_problem(d, snippet) for d in _block_problems(block)]
    unsupported += [_post_problem(d, post_text) for d in _expr_problems(post)]
    if unsupported:
        raise _Problems(tuple(unsupported))
    defaults = _undeclared_names(block, post, {item.name for item in declared})
    inputs = (*declared, *(Input(name, "int") for name in defaults))
    body, typed_post = _resolve(block, post, inputs, snippet, post_text, bool(defaults))
    return _Checked(post_text, source, inputs, body, typed_post)


def _parse_variables(text: str) -> tuple[Input, ...]:
    """`x: int, b: bool` (a name alone is an int)."""
    inputs: list[Input] = []
    column = 1
    for piece in text.split(",") if text.strip() else []:
        found = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_']*)\s*(?::\s*(\S.*?))?\s*", piece)
        if found is None:
            raise _vars_problem(
                text, column, f"write the variables as `x: int, b: bool`, not `{piece.strip()}`"
            )
        name, type_name = found.group(1), found.group(2) or "int"
        if type_name not in VARIABLE_TYPES:
            where = column + found.start(2)
            raise _vars_problem(
                text, where, f"the type of '{name}' must be int, nat or bool, not `{type_name}`"
            )
        if any(item.name == name for item in inputs):
            raise _vars_problem(text, column + found.start(1), f"'{name}' is declared twice")
        inputs.append(Input(name, type_name))
        column += len(piece) + 1
    return tuple(inputs)


def _vars_problem(text: str, column: int, message: str) -> _Problems:
    span = Span.point(1, column)
    return _Problems(
        (Problem(VARS, Diagnostic(WP_ONLY, span, message), SourceFile(VARS, text).excerpt(span)),)
    )


def _parse_cell(source: SourceFile, snippet: str) -> ast.Block:
    stray = _unmatched_brace(snippet)
    try:
        if stray is not None:
            raise DiagnosticError([Diagnostic(WP_ONLY, stray, "this '}' closes no '{'")])
        method = parse(source).decls[0]
    except DiagnosticError as error:
        raise _Problems(tuple(_cell_problem(d, snippet) for d in error.diagnostics)) from None
    assert isinstance(method, ast.Method) and method.body is not None
    return method.body


def _unmatched_brace(snippet: str) -> Span | None:
    """A `}` with no `{` before it would close the wrapping method and leave the parser
    complaining about the wrapper's own brace; this finds it (in wrapped coordinates)."""
    depth = 0
    try:
        for token in _lark().lex(snippet):
            depth += token.type in ("LBRACE", "HINT_LBRACE", "ATTRIBUTE")
            depth -= token.type == "RBRACE"
            if depth < 0:
                return Span.point(token.line + LINE_OFFSET, token.column)
    except UnexpectedInput:
        return None  # the parser will say what is wrong
    return None


def _parse_post(text: str) -> ast.Expr:
    if not text.strip():
        diagnostic = Diagnostic(WP_ONLY, Span.point(1, 1), 'give the postcondition, e.g. --post "y >= 0"')
        raise _Problems((Problem(POST, diagnostic),))
    try:
        return parse_expression(SourceFile(POST, text))
    except DiagnosticError as error:
        raise _Problems(tuple(_post_problem(d, text) for d in error.diagnostics)) from None


def _resolve(
    block: ast.Block, post: ast.Expr, inputs: tuple[Input, ...], snippet: str, post_text: str, defaults: bool
) -> tuple[tuple[ast.Stmt, ...], ast.Expr]:
    """Type-check the snippet with the postcondition as a last `assert`, so that Q sees the
    variables the snippet declares at its top level."""
    returns = tuple(
        ast.Param(span=NO_SPAN, name=item.name, type_ref=ast.TypeRef(span=NO_SPAN, name=item.type))
        for item in inputs
    )
    body = dataclasses.replace(block, stmts=(*block.stmts, ast.Assert(span=post.span, expr=post)))
    method = ast.Method(span=NO_SPAN, name="__wp", name_span=NO_SPAN, returns=returns, body=body)
    try:
        checked = resolve(ast.Program(span=NO_SPAN, decls=(method,)))
    except DiagnosticError as error:
        hint = 'variables not in --vars are int: declare others with --vars, e.g. --vars "b: bool"'
        problems = []
        for diagnostic in error.diagnostics:
            if defaults and diagnostic.code == TYPE_MISMATCH:
                diagnostic = dataclasses.replace(diagnostic, hint=hint)
            # Nothing of the cell is on the wrapper's first line, so what is there is Q's.
            if diagnostic.span.start_line <= LINE_OFFSET:
                message = diagnostic.message.replace("an assertion", "the postcondition")
                problems.append(_post_problem(dataclasses.replace(diagnostic, message=message), post_text))
            else:
                problems.append(_cell_problem(diagnostic, snippet))
        raise _Problems(tuple(problems)) from None
    checked_method = checked.program.decls[0]
    assert isinstance(checked_method, ast.Method) and checked_method.body is not None
    *stmts, last = checked_method.body.stmts
    assert isinstance(last, ast.Assert)
    return tuple(stmts), last.expr


def _cell_problem(diagnostic: Diagnostic, snippet: str) -> Problem:
    """The diagnostic in the cell's own line numbers; one past the cell's end (the wrapper's
    closing brace) means the cell ended too early."""
    span = diagnostic.span
    lines = snippet.splitlines() or [""]
    line = span.start_line - LINE_OFFSET
    if line > len(lines):
        last = len(lines)
        while last > 1 and not lines[last - 1].strip():
            last -= 1
        span = Span.point(last, len(lines[last - 1].rstrip()) + 1)
        tail = diagnostic.message.split(": ", 1)[1] if ": " in diagnostic.message else ""
        message = "the cell ends before its last statement is complete" + (f": {tail}" if tail else "")
        diagnostic = dataclasses.replace(diagnostic, message=message)
    else:
        span = Span(line, span.start_col, span.end_line - LINE_OFFSET, span.end_col)
    mapped = dataclasses.replace(diagnostic, span=span)
    return Problem(CELL, mapped, SourceFile(CELL, snippet).excerpt(span))


def _post_problem(diagnostic: Diagnostic, post_text: str) -> Problem:
    return Problem(POST, diagnostic, SourceFile(POST, post_text).excerpt(diagnostic.span))


# ------------------------------------------------------------------ what %%wp handles


def _wp_only(span: Span, what: str, advice: str = "use %%verify", handles: str = STATEMENTS) -> Diagnostic:
    return Diagnostic(WP_ONLY, span, f"{what}: {handles}; {advice}")


def _block_problems(block: ast.Block) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for stmt in block.stmts:
        problems += _stmt_problems(stmt)
    return problems


def _stmt_problems(stmt: ast.Stmt) -> list[Diagnostic]:
    own = _statement_kind_problem(stmt)
    if own is not None:
        return [own]
    problems = [problem for expr in ast.stmt_exprs(stmt) for problem in _expr_problems(expr)]
    if isinstance(stmt, ast.VarDecl):
        problems += [_type_problem(var) for var in stmt.variables if not _simple_type(var.type_ref)]
    for child in ast.stmt_children(stmt):
        problems += _stmt_problems(child)
    return problems


def _statement_kind_problem(stmt: ast.Stmt) -> Diagnostic | None:
    if isinstance(stmt, ast.While):
        return _wp_only(stmt.span, "a loop", "loops need invariants: use %%verify")
    if isinstance(stmt, ast.CallStmt) or _is_call_assignment(stmt):
        return _wp_only(stmt.span, "a method call", "calls need contracts: use %%verify")
    if isinstance(stmt, ast.Return):
        return _wp_only(stmt.span, "`return`")
    if isinstance(stmt, ast.PrintStmt):
        return _wp_only(stmt.span, "`print`", "it changes no variable: leave it out")
    if isinstance(stmt, ast.Assign) and not all(isinstance(t, ast.Name) for t in stmt.targets):
        return _wp_only(stmt.span, "an array update")
    proofs = {
        ast.Calc: "a `calc` statement",
        ast.ForallStmt: "a forall statement",
        ast.AssertBy: "`assert ... by`",
        ast.SuchThat: "`:|`",
        ast.MatchStmt: "a match statement",
    }
    if type(stmt) in proofs:
        return _wp_only(stmt.span, proofs[type(stmt)])
    return None


def _is_call_assignment(stmt: ast.Stmt) -> bool:
    rhs = stmt.rhs if isinstance(stmt, ast.Assign | ast.VarDecl) else ()
    return len(rhs) == 1 and isinstance(rhs[0], ast.Call | ast.NewArray)


def _simple_type(ref: ast.TypeRef | None) -> bool:
    return ref is None or (ref.name in VARIABLE_TYPES and not ref.args)


def _type_problem(var: ast.LocalVar) -> Diagnostic:
    span = var.type_ref.span if var.type_ref else var.span
    return _wp_only(span, f"the type of '{var.name}'", handles="%%wp handles int, nat and bool variables")


_EXPRESSION_WORDS: dict[type, str] = {
    ast.Call: "a function call",
    ast.Quantifier: "a quantifier",
    ast.Old: "`old`",
    ast.Fresh: "`fresh`",
    ast.Match: "`match`",
    ast.Let: "let-expressions `var x := e; ...`",
    ast.Construct: "datatype values",
    ast.Destruct: "datatype values",
    ast.IsCtor: "datatype values",
    ast.RealLit: "real numbers",
    ast.Conversion: "real numbers",
}


def _expr_problems(expr: ast.Expr) -> list[Diagnostic]:
    simple = ast.IntLit | ast.BoolLit | ast.Name | ast.Unary | ast.IfThenElse
    if isinstance(expr, simple) or (isinstance(expr, ast.Binary) and expr.op not in ("in", "!in")):
        return [problem for child in ast.expr_children(expr) for problem in _expr_problems(child)]
    what = _EXPRESSION_WORDS.get(type(expr), "arrays, sequences and sets")
    if isinstance(expr, ast.Member) and expr.name == "Floor":
        what = "real numbers"
    return [_wp_only(expr.token, what, handles=EXPRESSIONS)]


def _undeclared_names(block: ast.Block, post: ast.Expr, declared: set[str]) -> list[str]:
    """Names the snippet and Q use but neither `--vars` nor a `var` declares, in order."""
    local = {
        var.name for stmt in ast.walk_stmts(block) if isinstance(stmt, ast.VarDecl) for var in stmt.variables
    }
    found: list[str] = []
    exprs = [expr for stmt in ast.walk_stmts(block) for expr in _exprs_and_targets(stmt)]
    for expr in [*exprs, post]:
        for name in _names_in(expr):
            if name not in declared and name not in local and name not in found:
                found.append(name)
    return found


def _exprs_and_targets(stmt: ast.Stmt) -> tuple[ast.Expr, ...]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else ()
    return (*targets, *ast.stmt_exprs(stmt))


def _names_in(expr: ast.Expr) -> Iterator[str]:
    if isinstance(expr, ast.Name):
        yield expr.name
    for child in ast.expr_children(expr):
        yield from _names_in(child)


# ------------------------------------------------------------------ the calculus


def _conjunction(parts: list[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef:
    """`a && b`, leaving out conjuncts that are literally true."""
    kept = [part for part in parts if not z3.is_true(part)]
    if not kept:
        return z3.BoolVal(True, ctx)
    return kept[0] if len(kept) == 1 else z3.And(*kept)


def _guarded(guard: z3.BoolRef, condition: z3.BoolRef) -> list[z3.BoolRef]:
    """`guard ==> condition`, or nothing when the condition is literally true."""
    return [] if z3.is_true(condition) else [z3.Implies(guard, condition)]


def _negated(text: str) -> str:
    return f"!{text}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_']*", text) else f"!({text})"


# The operators' methods are called directly: Python would try a numeral's reflected
# comparison first (`y > 0` built as `0 < y`), as its class is a subclass of the other's.
_BINARY: dict[str, Callable[[z3.ExprRef, z3.ExprRef], z3.ExprRef]] = {
    "+": lambda a, b: a.__add__(b),
    "-": lambda a, b: a.__sub__(b),
    "*": lambda a, b: a.__mul__(b),
    "/": lambda a, b: a.__truediv__(b),  # Z3's integer `div` and `mod` are Euclidean, as Dafny's are
    "%": lambda a, b: a.__mod__(b),
    "<": lambda a, b: a.__lt__(b),
    "<=": lambda a, b: a.__le__(b),
    ">": lambda a, b: a.__gt__(b),
    ">=": lambda a, b: a.__ge__(b),
    "==": lambda a, b: a.__eq__(b),
    "!=": lambda a, b: a.__ne__(b),
    "<==>": lambda a, b: a.__eq__(b),
    "&&": lambda a, b: z3.And(a, b),
    "||": lambda a, b: z3.Or(a, b),
    "==>": lambda a, b: z3.Implies(a, b),
    "<==": lambda a, b: z3.Implies(b, a),
}


class _Calculus:
    """wp backwards over the checked snippet, in one Z3 context of its own."""

    def __init__(self, checked: _Checked, limits: Limits, ctx: z3.Context, cancellation: Cancellation):
        self.checked = checked
        self.limits = limits
        self.ctx = ctx
        self.cancellation = cancellation
        self.constants: dict[str, z3.ExprRef] = {}
        self.printer = _Printer(_display_names(checked))

    # ---- the result

    def result(self) -> WpResult:
        post = self.term(self.checked.post)
        pre, steps = self.sequence(self.checked.body, post)
        if not steps:
            pre = self.simplify(pre)
        inputs = self.checked.inputs
        judged = _Judge(self.ctx, self.limits, inputs, self.constant, self.cancellation).judge(pre)
        return WpResult(
            post=self.checked.post_text,
            inputs=inputs,
            steps=tuple(steps),
            precondition=self.printer.show(pre),
            verdict=judged.verdict,
            counterexample=judged.counterexample,
            example=judged.example,
            reason=judged.reason,
        )

    # ---- statements

    def sequence(self, stmts: tuple[ast.Stmt, ...], post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        steps: list[WpStep] = []
        for stmt in reversed(stmts):
            post, more = self.statement(stmt, post)
            steps += more
        return post, steps

    def statement(self, stmt: ast.Stmt, post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        if isinstance(stmt, ast.Block):
            return self.sequence(stmt.stmts, post)
        if isinstance(stmt, ast.If):
            return self.if_stmt(stmt, post)
        if isinstance(stmt, ast.Assign):
            targets = [(target.uid, ast.type_of(target)) for target in stmt.targets]  # type: ignore[attr-defined]
            return self.assign(stmt, targets, post)
        if isinstance(stmt, ast.VarDecl):
            return self.var_decl(stmt, post)
        if isinstance(stmt, ast.Assert):
            return self.assertion(stmt, post)
        if isinstance(stmt, ast.Assume):
            return self.assumption(stmt, post)
        raise AssertionError(f"unchecked statement {type(stmt).__name__}")

    def var_decl(self, stmt: ast.VarDecl, post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        targets = [(var.uid, ast.type_of(var)) for var in stmt.variables]
        if stmt.rhs:
            return self.assign(stmt, targets, post)
        read = [var.name for var in stmt.variables if var.uid in _names(post)]
        if read:
            message = (
                f"'{read[0]}' is read before it gets a value: give it one where it is declared "
                f"(`var {read[0]} := ...;`)"
            )
            raise DiagnosticError([Diagnostic(WP_ONLY, stmt.span, message)])
        rule = "Q (the new variables are assigned before they are read)"
        return post, [self.step(stmt, self.quote(stmt), rule, post, post)]

    def assign(
        self, stmt: ast.Assign | ast.VarDecl, targets: list[tuple[str, Type]], post: z3.BoolRef
    ) -> tuple[z3.BoolRef, list[WpStep]]:
        values = [self.term(value) for value in stmt.rhs]
        checks = [self.defined(value) for value in stmt.rhs]
        checks += [value >= 0 for (_, ty), value in zip(targets, values, strict=True) if ty == NAT]
        pairs = [(self.constant(uid, ty), value) for (uid, ty), value in zip(targets, values, strict=True)]
        raw = _conjunction([*checks, z3.substitute(post, *pairs)], self.ctx)
        substitution = ", ".join(
            f"{self.printer.names[uid]} := {self.quote(value)}"
            for (uid, _), value in zip(targets, stmt.rhs, strict=True)
        )
        rule = self.with_checks(checks, f"Q[{substitution}]")
        return self.stepped(stmt, self.quote(stmt), rule, raw)

    def assertion(self, stmt: ast.Assert, post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        check = self.defined(stmt.expr)
        raw = _conjunction([check, self.term(stmt.expr), post], self.ctx)
        rule = self.with_checks([check], f"{self.quote(stmt.expr)} && Q")
        return self.stepped(stmt, self.quote(stmt), rule, raw)

    def assumption(self, stmt: ast.Assume, post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        check = self.defined(stmt.expr)
        raw = _conjunction([check, z3.Implies(self.term(stmt.expr), post)], self.ctx)
        rule = self.with_checks([check], f"({self.quote(stmt.expr)} ==> Q)")
        return self.stepped(stmt, self.quote(stmt), rule, raw)

    def if_stmt(self, stmt: ast.If, post: z3.BoolRef) -> tuple[z3.BoolRef, list[WpStep]]:
        cond, cond_text = self.term(stmt.cond), self.quote(stmt.cond)
        then_wp, then_steps = self.sequence(stmt.then.stmts, post)
        else_wp, else_steps = post, []
        if stmt.else_ is not None:
            else_wp, else_steps = self.statement(stmt.else_, post)
        check = self.defined(stmt.cond)
        raw = _conjunction([check, z3.Implies(cond, then_wp), z3.Implies(z3.Not(cond), else_wp)], self.ctx)
        else_name = "wp(else)" if stmt.else_ is not None else "Q"
        rule = f"({cond_text} ==> wp(then)) && ({_negated(cond_text)} ==> {else_name})"
        branches = (
            Branch("then", cond_text, tuple(then_steps), self.printer.show(then_wp)),
            Branch("else", _negated(cond_text), tuple(else_steps), self.printer.show(else_wp)),
        )
        return self.stepped(stmt, f"if {cond_text}", self.with_checks([check], rule), raw, branches)

    def stepped(
        self, stmt: ast.Stmt, text: str, rule: str, raw: z3.BoolRef, branches: tuple[Branch, ...] = ()
    ) -> tuple[z3.BoolRef, list[WpStep]]:
        simplified = self.simplify(raw)
        return simplified, [self.step(stmt, text, rule, raw, simplified, branches)]

    def step(
        self,
        stmt: ast.Stmt,
        text: str,
        rule: str,
        raw: z3.BoolRef,
        simplified: z3.BoolRef,
        branches: tuple[Branch, ...] = (),
    ) -> WpStep:
        line = stmt.span.start_line - LINE_OFFSET
        return WpStep(line, text, rule, self.printer.show(raw), self.printer.show(simplified), branches)

    def with_checks(self, checks: list[z3.BoolRef], rule: str) -> str:
        needed = [self.printer.wrap(check, COMPARE) for check in checks if not z3.is_true(check)]
        return " && ".join([*needed, rule])

    def quote(self, node: ast.Stmt | ast.Expr) -> str:
        return self.checked.source.text_of(node.span)

    # ---- expressions

    def constant(self, uid: str, ty: Type) -> z3.ExprRef:
        if uid not in self.constants:
            sort = z3.BoolSort(self.ctx) if ty.base == BOOL else z3.IntSort(self.ctx)
            self.constants[uid] = z3.Const(uid, sort)
        return self.constants[uid]

    def term(self, expr: ast.Expr) -> z3.ExprRef:
        if isinstance(expr, ast.IntLit):
            return z3.IntVal(expr.value, self.ctx)
        if isinstance(expr, ast.BoolLit):
            return z3.BoolVal(expr.value, self.ctx)
        if isinstance(expr, ast.Name):
            return self.constant(expr.uid, ast.type_of(expr))
        if isinstance(expr, ast.Unary):
            operand = self.term(expr.operand)
            return -operand if expr.op == "-" else z3.Not(operand)
        if isinstance(expr, ast.Binary):
            return _BINARY[expr.op](self.term(expr.left), self.term(expr.right))
        if isinstance(expr, ast.IfThenElse):
            return z3.If(self.term(expr.cond), self.term(expr.then), self.term(expr.else_), self.ctx)
        raise AssertionError(f"unchecked expression {type(expr).__name__}")

    def defined(self, expr: ast.Expr) -> z3.BoolRef:
        """When the expression is well defined: no division by zero, with `&&`, `||`, `==>`
        and if-then-else evaluated lazily, as Dafny does."""
        parts = [self.defined(child) for child in ast.expr_children(expr)]
        if isinstance(expr, ast.Binary) and expr.op in ("/", "%"):
            divisor = self.term(expr.right)
            if not (z3.is_int_value(divisor) and divisor.as_long() != 0):  # type: ignore[attr-defined]
                parts.append(divisor != 0)
        elif isinstance(expr, ast.Binary) and expr.op in ("&&", "==>", "||", "<=="):
            guard = self.term(expr.left)
            guard = z3.Not(guard) if expr.op in ("||", "<==") else guard
            parts = [parts[0], *_guarded(guard, parts[1])]
        elif isinstance(expr, ast.IfThenElse):
            cond = self.term(expr.cond)
            parts = [parts[0], *_guarded(cond, parts[1]), *_guarded(z3.Not(cond), parts[2])]
        return _conjunction(parts, self.ctx)

    def simplify(self, formula: z3.BoolRef) -> z3.BoolRef:
        # `gcd_rounding` turns `2 * x >= 2 * z` into `x >= z`.
        rewrite = z3.With(z3.Tactic("simplify", self.ctx), gcd_rounding=True)
        tactic = z3.Then(rewrite, "propagate-values", "ctx-solver-simplify", rewrite, ctx=self.ctx)
        try:
            goals = z3.TryFor(tactic, SIMPLIFY_MS, ctx=self.ctx)(formula)
        except z3.Z3Exception:  # out of time: Z3's cheap rewriting alone
            self.cancellation.raise_if_cancelled()
            return z3.simplify(formula)
        disjuncts = [_conjunction(list(goal), self.ctx) for goal in goals]
        return disjuncts[0] if len(disjuncts) == 1 else z3.Or(*disjuncts)


def _names(term: z3.ExprRef) -> set[str]:
    """The constants a term mentions."""
    found: set[str] = set()
    seen: set[int] = set()
    todo = [term]
    while todo:
        node = todo.pop()
        if node.get_id() in seen:
            continue
        seen.add(node.get_id())
        if z3.is_const(node) and node.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            found.add(node.decl().name())
        todo += node.children()
    return found


def _display_names(checked: _Checked) -> dict[str, str]:
    """Constant names (the resolver's unique ids) -> the names to print; a variable that
    shadows another of the same name keeps its id, so that the two stay apart."""
    names = {item.name: item.name for item in checked.inputs}
    for stmt in checked.body:
        for inner in ast.walk_stmts(stmt):
            if isinstance(inner, ast.VarDecl):
                names.update((var.uid, var.name) for var in inner.variables)
    taken = list(names.values())
    return {uid: name if taken.count(name) == 1 else uid for uid, name in names.items()}


# ------------------------------------------------------------------ the verdict


@dataclass(frozen=True)
class _Judgement:
    verdict: Verdict
    counterexample: tuple[tuple[str, Value], ...] = ()
    example: tuple[tuple[str, Value], ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class _Judge:
    ctx: z3.Context
    limits: Limits
    inputs: tuple[Input, ...]
    constant: Callable[[str, Type], z3.ExprRef]
    cancellation: Cancellation

    def judge(self, pre: z3.BoolRef) -> _Judgement:
        refuting, reason = self.find(z3.Not(pre))
        if reason or refuting is None:
            return _Judgement(Verdict.UNKNOWN if reason else Verdict.VALID, reason=reason)
        example, reason = self.find(pre)
        if reason:
            return _Judgement(Verdict.UNKNOWN, refuting, reason=reason)
        if example is None:
            return _Judgement(Verdict.NEVER, refuting)
        return _Judgement(Verdict.SOMETIMES, refuting, example)

    def variables(self) -> list[tuple[Input, z3.ExprRef]]:
        return [(item, self.constant(item.name, Type(item.type))) for item in self.inputs]

    def find(self, formula: z3.BoolRef) -> tuple[tuple[tuple[str, Value], ...] | None, str]:
        """Inputs of their types that make the formula true, small ones first; None if there
        are none; a reason instead when Z3 cannot tell."""
        solver = z3.Solver(ctx=self.ctx)
        # With `ctrl_c` on, as by default, Z3 would take Ctrl-C from Python (see `smt.Prover`).
        solver.set("rlimit", self.limits.rlimit, "timeout", self.limits.timeout_ms, "ctrl_c", False)
        solver.add(formula, *[value >= 0 for item, value in self.variables() if item.type == "nat"])
        answer = self.cancellation.check(solver)
        if answer == z3.unknown:
            return None, solver.reason_unknown() or "unknown"
        if answer == z3.unsat:
            return None, ""
        model = solver.model()
        numbers = [value for item, value in self.variables() if item.type != "bool"]
        solver.set("timeout", min(SMALL_MODEL_MS, self.limits.timeout_ms))
        for bound in SMALL_BOUNDS:
            solver.push()
            solver.add(*[z3.And(value >= -bound, value <= bound) for value in numbers])
            small = self.cancellation.check(solver) == z3.sat
            model = solver.model() if small else model
            solver.pop()
            if small:
                break
        values = tuple((item.name, _value(model.eval(value, True))) for item, value in self.variables())
        return values, ""


def _value(value: z3.ExprRef) -> Value:
    return z3.is_true(value) if z3.is_bool(value) else value.as_long()  # type: ignore[attr-defined]


# ------------------------------------------------------------------ Z3 terms as MiniDafny text

_COMPARISONS = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">", z3.Z3_OP_EQ: "=="}
_NEGATED = {"<=": ">", "<": ">=", ">=": "<", ">": "<=", "==": "!=", "!=": "=="}
_MIRRORED = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "==": "==", "!=": "!="}


def _is_number(term: z3.ExprRef) -> bool:
    return z3.is_int_value(term)


@dataclass(frozen=True)
class _Part:
    """One term of a sum: `expr`, subtracted when `negative` (`-1*y` is y, negative)."""

    negative: bool
    expr: ast.Expr
    is_number: bool = False


class _Printer:
    """Z3 terms as MiniDafny expressions, written by the expression printer: `x > 1` for
    Z3's `not (x <= 1)`, `y - x` for its `-1*x + y`, comparisons with the constant on the
    right."""

    def __init__(self, names: dict[str, str]):
        self.names = names
        self.builders = self._builders()

    def show(self, term: z3.ExprRef) -> str:
        return show_expr(self.expr(term))

    def wrap(self, term: z3.ExprRef, at_least: int) -> str:
        return show_operand(self.expr(term), at_least)

    def expr(self, term: z3.ExprRef) -> ast.Expr:
        kind = term.decl().kind() if z3.is_app(term) else None
        if z3.is_true(term) or z3.is_false(term):
            return ast.BoolLit(span=NO_SPAN, value=z3.is_true(term))
        if _is_number(term):
            return _number(term.as_long())  # type: ignore[attr-defined]
        if kind == z3.Z3_OP_UNINTERPRETED and term.num_args() == 0:
            name = term.decl().name()
            return _name(self.names.get(name, name))
        builder = self.builders.get(kind)
        return _name(str(term)) if builder is None else builder(term)

    def _builders(self) -> dict[int, Callable[[z3.ExprRef], ast.Expr]]:
        return {
            z3.Z3_OP_NOT: self.negation,
            z3.Z3_OP_AND: lambda t: self.junction(t, z3.Z3_OP_AND, "&&"),
            z3.Z3_OP_OR: lambda t: self.junction(t, z3.Z3_OP_OR, "||"),
            z3.Z3_OP_IMPLIES: lambda t: _binary("==>", self.expr(t.arg(0)), self.expr(t.arg(1))),
            z3.Z3_OP_EQ: self.equality,
            z3.Z3_OP_DISTINCT: self.distinct,
            z3.Z3_OP_XOR: lambda t: self.equivalence(z3.Not(t.arg(0)), t.arg(1)),
            z3.Z3_OP_LE: self.comparison,
            z3.Z3_OP_LT: self.comparison,
            z3.Z3_OP_GE: self.comparison,
            z3.Z3_OP_GT: self.comparison,
            z3.Z3_OP_ADD: self.sum,
            z3.Z3_OP_SUB: self.sum,
            z3.Z3_OP_UMINUS: self.sum,
            z3.Z3_OP_MUL: self.product,
            z3.Z3_OP_IDIV: lambda t: _binary("/", self.expr(t.arg(0)), self.expr(t.arg(1))),
            z3.Z3_OP_MOD: lambda t: _binary("%", self.expr(t.arg(0)), self.expr(t.arg(1))),
            z3.Z3_OP_ITE: self.conditional,
        }

    # ---- logic

    def negation(self, term: z3.ExprRef) -> ast.Expr:
        inner = term.arg(0)
        kind = inner.decl().kind()
        if z3.is_not(inner):
            return self.expr(inner.arg(0))
        if kind in _COMPARISONS and not z3.is_bool(inner.arg(0)):
            return self.relation(_NEGATED[_COMPARISONS[kind]], inner.arg(0), inner.arg(1))
        if kind == z3.Z3_OP_DISTINCT and inner.num_args() == 2:
            return self.relation("==", inner.arg(0), inner.arg(1))
        if kind == z3.Z3_OP_EQ:  # `!(p <==> q)` reads better as `!p <==> q`
            return self.equivalence(z3.Not(inner.arg(0)), inner.arg(1))
        return ast.Unary(span=NO_SPAN, op="!", operand=self.expr(inner))

    def junction(self, term: z3.ExprRef, kind: int, op: str) -> ast.Expr:
        first, *rest = (self.expr(arg) for arg in _flattened(term, kind))
        for item in rest:
            first = _binary(op, first, item)
        return first

    def equivalence(self, left: z3.ExprRef, right: z3.ExprRef) -> ast.Expr:
        return _binary("<==>", self.expr(left), self.expr(right))

    def equality(self, term: z3.ExprRef) -> ast.Expr:
        if z3.is_bool(term.arg(0)):
            return self.equivalence(term.arg(0), term.arg(1))
        return self.comparison(term)

    def distinct(self, term: z3.ExprRef) -> ast.Expr:
        if term.num_args() != 2:
            return _name(str(term))
        if z3.is_bool(term.arg(0)):
            return self.equivalence(z3.Not(term.arg(0)), term.arg(1))
        return self.relation("!=", term.arg(0), term.arg(1))

    def conditional(self, term: z3.ExprRef) -> ast.Expr:
        cond, then, else_ = (self.expr(arg) for arg in term.children())
        return ast.IfThenElse(span=NO_SPAN, cond=cond, then=then, else_=else_)

    # ---- arithmetic

    def comparison(self, term: z3.ExprRef) -> ast.Expr:
        return self.relation(_COMPARISONS[term.decl().kind()], term.arg(0), term.arg(1))

    def relation(self, op: str, left: z3.ExprRef, right: z3.ExprRef) -> ast.Expr:
        if _is_number(left) and not _is_number(right):
            op, left, right = _MIRRORED[op], right, left
        if _is_number(right) and right.as_long() == 0:  # type: ignore[attr-defined]
            parts = self.parts(left)
            plus = [part for part in parts if not part.negative]
            minus = [_Part(False, part.expr) for part in parts if part.negative]
            if plus and minus and not any(part.is_number for part in parts):
                return _binary(op, _sum(plus), _sum(minus))
        return _binary(op, self.expr(left), self.expr(right))

    def sum(self, term: z3.ExprRef) -> ast.Expr:
        parts = self.parts(term)
        ordered = [p for p in parts if not p.is_number and not p.negative]
        ordered += [p for p in parts if not p.is_number and p.negative] + [p for p in parts if p.is_number]
        return _sum(ordered)

    def parts(self, term: z3.ExprRef) -> list[_Part]:
        """The terms of a sum, `-1*y` as y subtracted."""
        kind = term.decl().kind() if z3.is_app(term) else None
        if kind == z3.Z3_OP_ADD:
            return [part for arg in term.children() for part in self.parts(arg)]
        if kind == z3.Z3_OP_SUB:
            first, *rest = term.children()
            return self.parts(first) + [_flip(part) for arg in rest for part in self.parts(arg)]
        if kind == z3.Z3_OP_UMINUS:
            return [_flip(part) for part in self.parts(term.arg(0))]
        if _is_number(term):
            value = term.as_long()  # type: ignore[attr-defined]
            return [_Part(value < 0, _number(abs(value)), True)]
        if kind == z3.Z3_OP_MUL and _is_number(term.arg(0)) and term.arg(0).as_long() < 0:
            factor = -term.arg(0).as_long()
            factors = [self.expr(arg) for arg in term.children()[1:]]
            return [_Part(True, _product(([_number(factor)] if factor != 1 else []) + factors))]
        return [_Part(False, self.expr(term))]

    def product(self, term: z3.ExprRef) -> ast.Expr:
        if _is_number(term.arg(0)) and term.arg(0).as_long() < 0:
            return self.sum(term)
        return _product([self.expr(arg) for arg in term.children()])


def _number(value: int) -> ast.Expr:
    return ast.IntLit(span=NO_SPAN, value=value)


def _name(text: str) -> ast.Expr:
    """A variable, or a term with no MiniDafny form, shown as Z3 writes it."""
    return ast.Name(span=NO_SPAN, name=text)


def _binary(op: str, left: ast.Expr, right: ast.Expr) -> ast.Expr:
    return ast.Binary(span=NO_SPAN, op=op, left=left, right=right, op_span=NO_SPAN)


def _product(factors: list[ast.Expr]) -> ast.Expr:
    first, *rest = factors
    for factor in rest:
        first = _binary("*", first, factor)
    return first


def _minus(expr: ast.Expr) -> ast.Expr:
    """`-expr`, the minus on its first factor (`-2 * x`, `-x * y`)."""
    if isinstance(expr, ast.IntLit):
        return _number(-expr.value)
    if isinstance(expr, ast.Binary) and expr.op == "*":
        return _binary("*", _minus(expr.left), expr.right)
    return ast.Unary(span=NO_SPAN, op="-", operand=expr)


def _sum(parts: list[_Part]) -> ast.Expr:
    if not parts:
        return _number(0)
    first, *rest = parts
    total = _minus(first.expr) if first.negative else first.expr
    for part in rest:
        total = _binary("-" if part.negative else "+", total, part.expr)
    return total


def _flattened(term: z3.ExprRef, kind: int) -> list[z3.ExprRef]:
    if z3.is_app(term) and term.decl().kind() == kind:
        return [part for arg in term.children() for part in _flattened(arg, kind)]
    return [term]


def _flip(part: _Part) -> _Part:
    return _Part(not part.negative, part.expr, part.is_number)
