"""parse(SourceFile) -> Program, or diagnostics that say in words what went wrong."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from kernel_ext.lang import modules
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.diagnostics import (
    DEPRECATED_SEMICOLON,
    NOT_MINIDAFNY,
    SYNTAX,
    Diagnostic,
    DiagnosticError,
)
from kernel_ext.lang.reals import parse_real
from kernel_ext.lang.source import SourceFile, Span

GRAMMAR = Path(__file__).with_name("minidafny.lark")

# Dafny keywords that start constructs outside MiniDafny, with what to say about them.
UNSUPPORTED_WORDS = {
    "class": "classes",
    "trait": "traits",
    "include": "`include`",
    "refines": "module refinement",
    "export": "export sets",
    "iterator": "iterators",
    "codatatype": "co-inductive datatypes",
    "newtype": "`newtype`",
    "static": "`static`",
    "abstract": "abstract modules",
    "opaque": "opaque definitions",
    "twostate": "two-state functions",
    "least": "extreme predicates",
    "greatest": "extreme predicates",
    "inductive": "inductive predicates",
    "copredicate": "co-predicates",
    "constructor": "constructors",
    "iset": "infinite sets",
    "imap": "infinite maps",
    "break": "`break`",
    "continue": "`continue`",
    "label": "labels",
    "modify": "`modify`",
    "yield": "`yield`",
    "expect": "`expect`",
    "reveal": "`reveal`",
    "this": "`this`",
    "null": "`null`",
    "unchanged": "`unchanged`",
    "allocated": "`allocated`",
    "char": "the type `char`",
    "string": "strings",
    "map": "maps",
    "object": "objects",
}

# What to call a terminal in an error message.
TOKEN_WORDS = {
    "NAME": "a name",
    "INT": "a number",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "SEMICOLON": "';'",
    "COLON": "':'",
    "COMMA": "','",
    "ASSIGN": "':='",
    "LT": "'<'",
    "GT": "'>'",
    "STAR": "'*'",
    "THEN": "'then'",
    "ELSE": "'else'",
    "RETURNS": "'returns'",
    "$END": "the end of the text",
    "HINT_LBRACE": "a hint '{'",
}

OPEN_DECL_WORDS = ("method", "lemma", "function", "predicate", "ghost", "datatype", "type")

SYMBOL_WORDS = {
    "ATTRIBUTE": "attributes `{:...}` are not part of MiniDafny",
    "STRING": "strings are not part of MiniDafny",
    "CHAR_LIT": "characters are not part of MiniDafny",
    "SINGLE_EQ": "`=` is not an operator: write `:=` to assign and `==` to compare",
}


# A `case M.Nil =>` (Dafny does not allow it either): the message and its hint.
QUALIFIED_CASE = (
    "a `case` names a constructor without its module or datatype (`case Nil =>`, not `case List.Nil =>`)",
    "The matched value's type says which datatype's constructors the cases name.",
)


def _retype_unsupported(token: Token) -> Token:
    if token.value in UNSUPPORTED_WORDS:
        return Token.new_borrow_pos("UNSUPPORTED", token.value, token)
    return token


CALC_OPERATORS = {"EQ", "LT", "LE", "GT", "GE", "IMPLIES", "EXPLIES", "IFF", "NE"}


@dataclasses.dataclass
class _OpenCalc:
    depth: int = 0  # braces open inside the calc's own
    at_step: bool = True  # where a step begins: after a line's `;`, an operator or a hint
    in_hint: bool = False  # the open braces started with a hint


class _CalcHints:
    """Retypes the `{` that opens a calc hint as HINT_LBRACE. Inside a calc, a `{` where a
    step begins is a hint, as in Dafny; elsewhere `{` may start a set display, which an LALR
    parser could not tell from a block."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        calcs: list[_OpenCalc] = []
        opening = False  # after `calc` (and its operator), before its `{`
        for token in stream:
            kind = token.type
            if opening and kind == "LBRACE":
                calcs.append(_OpenCalc())
                opening = False
                yield token
                continue
            opening = kind == "CALC" or (opening and kind in CALC_OPERATORS)
            if calcs and not opening:
                token = self._within(calcs, token)
            yield token

    @staticmethod
    def _within(calcs: list[_OpenCalc], token: Token) -> Token:
        calc, kind = calcs[-1], token.type
        if calc.depth > 0:
            if kind == "LBRACE":
                calc.depth += 1
            elif kind == "RBRACE":
                calc.depth -= 1
                if calc.depth == 0:
                    calc.at_step, calc.in_hint = calc.in_hint, False
            return token
        if kind == "LBRACE":
            calc.depth, calc.in_hint = 1, calc.at_step
            calc.at_step = False
            return Token.new_borrow_pos("HINT_LBRACE", token.value, token) if calc.in_hint else token
        if kind == "RBRACE":
            calcs.pop()
        elif kind == "SEMICOLON":
            calc.at_step = True
        elif kind not in CALC_OPERATORS:
            calc.at_step = False
        return token


@cache
def _lark(start: str = "start") -> Lark:
    return Lark(
        GRAMMAR.read_text(),
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={"NAME": _retype_unsupported},
        postlex=_CalcHints(),
        cache=start == "start",
        start=start,
    )


def parse(source: SourceFile) -> ast.Program:
    """Parse a whole MiniDafny text; raises DiagnosticError with one clear diagnostic."""
    program = _parse(source, "start")
    assert isinstance(program, ast.Program)
    return modules.flatten(program)


def parse_items(source: SourceFile) -> ast.Program:
    """A whole text's top-level items as written, modules and imports not flattened (the
    notebook keeps each cell's items); raises DiagnosticError on a syntax error."""
    program = _parse(source, "start")
    assert isinstance(program, ast.Program)
    return program


def _parse(source: SourceFile, start: str) -> ast.Program | ast.Expr:
    try:
        tree = _lark(start).parse(source.text)
    except UnexpectedInput as error:
        raise DiagnosticError([_describe(error, source)]) from None
    try:
        return _Builder(source).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, DiagnosticError):
            raise error.orig_exc from None
        raise


# ------------------------------------------------------------------ errors


def _token_span(token: Token) -> Span:
    end_line = token.end_line or token.line
    end_col = token.end_column or (token.column + max(1, len(token.value)))
    return Span(token.line, token.column, end_line, end_col)


def _describe(error: UnexpectedInput, source: SourceFile) -> Diagnostic:
    if isinstance(error, UnexpectedCharacters):
        char = source.text[error.pos_in_stream] if error.pos_in_stream < len(source.text) else "?"
        return Diagnostic(
            SYNTAX,
            Span.point(error.line, error.column),
            f"unexpected character '{char}'",
        )
    if isinstance(error, UnexpectedToken):
        return _describe_token(error.token, _acceptable(error), source)
    if isinstance(error, UnexpectedEOF):
        return _at_end(set(error.expected), source)
    return Diagnostic(SYNTAX, Span.point(error.line or 1, error.column or 1), "syntax error")


def _acceptable(error: UnexpectedToken) -> set[str]:
    """The terminals the parser would really take here (LALR's own list over-approximates)."""
    try:
        if error.interactive_parser is not None:
            return set(error.interactive_parser.accepts())
    except UnexpectedInput:
        pass
    return set(error.expected)


def _describe_token(token: Token, expected: set[str], source: SourceFile) -> Diagnostic:
    span = _token_span(token)
    if token.type == "$END":
        return _at_end(expected, source)
    if token.type == "UNSUPPORTED":
        what = UNSUPPORTED_WORDS.get(token.value) or f"`{token.value}`"
        return Diagnostic(
            NOT_MINIDAFNY,
            span,
            f"`{token.value}` is not part of MiniDafny",
            hint=f"MiniDafny does not have {what}.",
        )
    if token.type in SYMBOL_WORDS:
        code = SYNTAX if token.type == "SINGLE_EQ" else NOT_MINIDAFNY
        return Diagnostic(code, span, SYMBOL_WORDS[token.type])
    if token.type == "OTHER_SYMBOL":
        return Diagnostic(NOT_MINIDAFNY, span, f"`{token.value}` is not part of MiniDafny")
    if token.type == "METHOD" and "NAME" in expected:
        return Diagnostic(
            NOT_MINIDAFNY,
            span,
            "`function method` is not part of MiniDafny",
            hint="Write `function`: a function can be called from methods too.",
        )
    if token.type in ("AND", "OR") and token.type not in expected:
        return Diagnostic(
            SYNTAX, span, "`&&` and `||` cannot be mixed without parentheses: write (a && b) || c"
        )
    if token.type in ("IMPLIES", "EXPLIES") and token.type not in expected:
        return Diagnostic(SYNTAX, span, "`==>` and `<==` cannot be mixed without parentheses")
    if "VAR" in expected and token.type in EXPRESSION_STARTS:
        return Diagnostic(
            SYNTAX,
            span,
            "an expression is not a statement: only an assignment or a method or lemma call can stand alone",
        )
    if (
        "ASSIGN" in expected
        and "SEMICOLON" in expected
        and (token.type in BINARY_OPERATORS or token.type in ("IN", "NOTIN"))
    ):
        return Diagnostic(
            SYNTAX,
            span,
            "an expression is not a statement: only an assignment or a method or lemma call can stand alone",
        )
    if token.value == "::" and "ENSURES" in expected:
        return Diagnostic(
            SYNTAX,
            span,
            "a forall statement has no '::': write `forall i | range ensures P(i) { ... }`",
            hint="`forall i :: P(i)` is an expression: to state it, write `assert forall i :: P(i);`.",
        )
    if token.type == "DOT" and "ARROW" in expected:
        return Diagnostic(SYNTAX, span, *QUALIFIED_CASE)
    missing = _missing_semicolon(token, expected, source)
    if missing:
        return missing
    found = f"'{token.value}'" if token.type != "NAME" else f"the name '{token.value}'"
    return Diagnostic(SYNTAX, span, f"unexpected {found}: expected {_expected_words(expected)}")


def _missing_semicolon(token: Token, expected: set[str], source: SourceFile) -> Diagnostic | None:
    if "SEMICOLON" not in expected:
        return None
    previous = _previous_token(source, token)
    if previous is None or previous.end_line == token.line:
        return None
    # the span covers the statement's last token: a point past the end of the line shows nothing
    return Diagnostic(SYNTAX, _token_span(previous), "missing ';' at the end of the statement")


def _last_token_span(source: SourceFile) -> Span:
    """The text's last token (a point after its last character if it cannot be lexed)."""
    last = None
    try:
        for last in _lark().lex(source.text):  # noqa: B007 - the loop finds the last one
            pass
    except UnexpectedInput:
        last = None
    if last is not None:
        return _token_span(last)
    lines = source.text.rstrip().splitlines() or [""]
    return Span.point(len(lines), len(lines[-1]) + 1)


def _previous_token(source: SourceFile, token: Token) -> Token | None:
    previous = None
    try:
        for lexed in _lark().lex(source.text):
            if lexed.start_pos is not None and lexed.start_pos >= (token.start_pos or 0):
                break
            previous = lexed
    except UnexpectedInput:
        pass
    return previous


def _at_end(expected: set[str], source: SourceFile) -> Diagnostic:
    span = _last_token_span(source)
    if "RBRACE" in expected:
        return Diagnostic(SYNTAX, span, "the text ends before a '{' is closed: expected '}'")
    return Diagnostic(SYNTAX, span, f"the text ends too early: expected {_expected_words(expected)}")


EXPRESSION_STARTS = {
    "INT",
    "REAL",
    "NAME",
    "GENERIC_QUALIFIER",
    "TRUE",
    "FALSE",
    "OLD",
    "MINUS",
    "NOT",
    "LPAR",
    "FRESH",
    "BAR",
    "LSQB",
    "LBRACE",
    "MULTISET",
    "NEW",
    "IF",
    "FORALL",
    "EXISTS",
    "MATCH",
}
STATEMENT_STARTS = {"VAR", "IF", "WHILE", "ASSERT", "ASSUME", "RETURN"}
BINARY_OPERATORS = {
    "PLUS",
    "MINUS",
    "STAR",
    "SLASH",
    "PERCENT",
    "AND",
    "OR",
    "IMPLIES",
    "EXPLIES",
    "IFF",
    "LT",
    "LE",
    "GT",
    "GE",
    "EQ",
    "NE",
}


def _expected_words(expected: set[str]) -> str:
    words: list[str] = []
    rest = set(expected)
    if EXPRESSION_STARTS & rest and len(EXPRESSION_STARTS & rest) >= 4:
        words.append("an expression")
        rest -= EXPRESSION_STARTS
        if "ASSERT" not in rest:  # `var` starts a let-expression, not a statement, here
            rest.discard("VAR")
    if rest >= STATEMENT_STARTS:
        words.append("a statement")
        rest -= STATEMENT_STARTS
    if len(BINARY_OPERATORS & rest) >= 4:
        words.append("an operator")
        rest -= BINARY_OPERATORS
    declaration_words = {"METHOD", "LEMMA", "FUNCTION", "PREDICATE"}
    if declaration_words <= rest:
        words.append("a declaration (method, function, predicate or lemma)")
        rest -= declaration_words | {"GHOST"}
    for name in sorted(rest):
        words.append(_terminal_word(name))
    if not words:
        return "something else"
    if len(words) > 6:
        words = [*words[:6], "..."]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _terminal_word(name: str) -> str:
    if name in TOKEN_WORDS:
        return TOKEN_WORDS[name]
    for terminal in _lark().terminals:
        if terminal.name == name and terminal.pattern.type == "str":
            return f"'{terminal.pattern.value}'"
    return name.lower().replace("_", " ")


# ------------------------------------------------------------------ tree -> AST


def _meta_span(meta) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


SEMICOLON_WARNING = "deprecated style: a semi-colon is not needed here"


@dataclasses.dataclass(frozen=True)
class _TypeParams:
    span: Span
    names: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class _TypeRhs:
    """What follows `=` in a type declaration: a type, or (bound variable, constraint, witness)."""

    value: object


@dataclasses.dataclass(frozen=True)
class _Witness:
    expr: ast.Expr
    ghost: bool


def _unsupported(span: Span, message: str, hint: str = "") -> DiagnosticError:
    return DiagnosticError([Diagnostic(NOT_MINIDAFNY, span, message, hint)])


def _type_in_token(token: Token) -> ast.TypeRef:
    """The type `List<seq<int>>` written in a GENERIC_QUALIFIER token (`List<seq<int>>.`), every
    part spanning the token."""
    span = _token_span(token)
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_']*|[<>,]", token.value.removesuffix("."))

    def read(at: int) -> tuple[ast.TypeRef, int]:
        name, at = words[at], at + 1
        args: list[ast.TypeRef] = []
        if at < len(words) and words[at] == "<":
            at += 1
            while True:
                if at >= len(words) or words[at] in "<>,":
                    raise DiagnosticError([Diagnostic(SYNTAX, span, "a type is expected here")])
                arg, at = read(at)
                args.append(arg)
                if at < len(words) and words[at] == ",":
                    at += 1
                    continue
                if at < len(words) and words[at] == ">":
                    at += 1
                    break
                raise DiagnosticError([Diagnostic(SYNTAX, span, "a type is expected here")])
        return ast.TypeRef(span=span, name=name, args=tuple(args)), at

    ref, end = read(0)
    if end != len(words):
        raise DiagnosticError([Diagnostic(SYNTAX, span, "a type is expected here")])
    return ref


@v_args(meta=True)
class _Builder(Transformer):
    def __init__(self, source: SourceFile):
        super().__init__()
        self.source = source
        self.warnings: list[Diagnostic] = []

    # ---- declarations

    def start(self, meta, decls):
        span = Span(1, 1, 1, 1) if meta.empty else _meta_span(meta)
        return ast.Program(span=span, decls=tuple(decls), warnings=tuple(self.warnings))

    def unsupported_token(self, meta, children):
        token = children[0]
        raise DiagnosticError([_describe_token(token, set(), self.source)])

    def modifiers(self, meta, children):
        return bool(children)

    def method_kw(self, meta, children):
        return children[0]

    def function_kw(self, meta, children):
        return children[0]

    def type_params(self, meta, children):
        names = tuple(str(child) for child in children if isinstance(child, Token) and child.type == "NAME")
        return _TypeParams(_meta_span(meta), names)

    def datatype_decl(self, meta, children):
        name = children[1]
        type_params = next((child for child in children if isinstance(child, _TypeParams)), None)
        ctors = tuple(child for child in children if isinstance(child, ast.Constructor))
        return ast.Datatype(
            span=_meta_span(meta),
            name=str(name),
            name_span=_token_span(name),
            type_params=type_params.names if type_params else (),
            ctors=ctors,
        )

    def type_decl(self, meta, children):
        name = children[1]
        type_params = next((child for child in children if isinstance(child, _TypeParams)), None)
        params = type_params.names if type_params else ()
        rhs = next((child for child in children[2:] if isinstance(child, _TypeRhs)), None)
        common = {"span": _meta_span(meta), "name": str(name), "name_span": _token_span(name)}
        if rhs is None:
            raise _unsupported(
                common["name_span"],
                "opaque types (`type` without `=`) are not part of MiniDafny",
                "Give the type a definition, e.g. `type Index = int` or `type Pos = x: int | x > 0 witness 1`.",
            )
        if isinstance(rhs.value, ast.TypeRef):
            return ast.TypeSynonym(**common, type_params=params, rhs=rhs.value)
        if type_params is not None:
            raise _unsupported(type_params.span, "generic subset types are not part of MiniDafny")
        var, constraint, witness = rhs.value
        return ast.SubsetType(
            **common,
            var=var,
            constraint=constraint,
            witness=witness.expr if witness else None,
            ghost_witness=bool(witness and witness.ghost),
        )

    def type_characteristics(self, meta, children):
        raise _unsupported(
            _meta_span(meta),
            "type characteristics such as `(0)` or `(==)` are not part of MiniDafny",
        )

    def synonym_rhs(self, meta, children):
        return _TypeRhs(children[0])

    def subset_rhs(self, meta, children):
        name, type_ref, constraint = children[0], children[1], children[3]
        var = ast.BoundVar(span=_token_span(name), name=str(name), type_ref=type_ref)
        witness = children[4] if len(children) > 4 else None
        return _TypeRhs((var, constraint, witness))

    def witness(self, meta, children):
        return _Witness(children[-1], ghost=len(children) == 3)

    def no_witness(self, meta, children):
        raise _unsupported(
            _token_span(children[1]),
            "`witness *` is not part of MiniDafny",
            "Give a value of the type: `witness 1` (or `ghost witness 1`).",
        )

    def ctor_decl(self, meta, children):
        name = children[0]
        fields = tuple(child for child in children if isinstance(child, ast.Field))
        return ast.Constructor(span=_token_span(name), name=str(name), fields=fields)

    def named_field(self, meta, children):
        return ast.Field(span=_meta_span(meta), name=str(children[0]), type_ref=children[-1])

    def unnamed_field(self, meta, children):
        return ast.Field(span=_meta_span(meta), type_ref=children[0])

    def params(self, meta, children):
        return tuple(children)

    def param(self, meta, children):
        is_ghost = isinstance(children[0], Token) and children[0].type == "GHOST"
        name, type_ref = children[-2], children[-1]
        return ast.Param(span=_meta_span(meta), name=str(name), type_ref=type_ref, is_ghost=is_ghost)

    def returns(self, meta, children):
        return ("returns", children[0])

    def result_type(self, meta, children):
        return ("result", children[0])

    def function_body(self, meta, children):
        return ("body", children[0])

    def requires_clause(self, meta, children):
        return ("requires", self._spec_clause(children))

    def ensures_clause(self, meta, children):
        return ("ensures", self._spec_clause(children))

    def invariant_clause(self, meta, children):
        return ("invariant", self._spec_clause(children))

    def decreases_clause(self, meta, children):
        return ("decreases", self._without_semicolon(children)[1])

    def modifies_clause(self, meta, children):
        return ("modifies", tuple(self._without_semicolon(children)[1:]))

    def reads_clause(self, meta, children):
        return ("reads", tuple(self._without_semicolon(children)[1:]))

    def _spec_clause(self, children) -> ast.SpecClause:
        keyword, expr = self._without_semicolon(children)
        return ast.SpecClause(span=_token_span(keyword).cover(expr.span), expr=expr)

    def _without_semicolon(self, children) -> list:
        """A clause's parts; a `;` ending it (old Dafny's style) is dropped with Dafny's warning."""
        for child in children:
            if isinstance(child, Token) and child.type == "SEMICOLON":
                self.warnings.append(Diagnostic(DEPRECATED_SEMICOLON, _token_span(child), SEMICOLON_WARNING))
        return [child for child in children if not (isinstance(child, Token) and child.type == "SEMICOLON")]

    def decreases_star(self, meta, children):
        return ast.Decreases(span=_meta_span(meta), star=True)

    def decreases_exprs(self, meta, children):
        return ast.Decreases(span=_meta_span(meta), exprs=tuple(children))

    def _specs(self, parts) -> dict:
        specs: dict = {
            "requires": [],
            "ensures": [],
            "invariant": [],
            "decreases": None,
            "modifies": [],
            "reads": [],
        }
        for part in parts:
            if not isinstance(part, tuple):
                continue
            key, value = part
            if key == "decreases":
                if specs["decreases"] is not None:
                    raise DiagnosticError(
                        [Diagnostic(SYNTAX, value.span, "only one `decreases` clause is allowed here")]
                    )
                if value.star:
                    raise _unsupported(
                        value.span,
                        "`decreases *` is not part of MiniDafny",
                        "Every loop and recursive call must be shown to terminate: give a decreasing expression.",
                    )
                specs["decreases"] = value
            elif key in ("requires", "ensures", "invariant"):
                specs[key].append(value)
            elif key in ("modifies", "reads"):
                specs[key].extend(value)
        return specs

    def method_decl(self, meta, children):
        is_ghost, keyword, name = children[0], children[1], children[2]
        rest = children[3:]
        type_params: tuple[str, ...] = ()
        if rest and isinstance(rest[0], _TypeParams):
            type_params, rest = rest[0].names, rest[1:]
        params = rest[0]
        returns: tuple = ()
        body = None
        for part in rest[1:]:
            if isinstance(part, tuple) and part and part[0] == "returns":
                returns = part[1]
            elif isinstance(part, ast.Block):
                body = part
        specs = self._specs(rest[1:])
        is_lemma = keyword.value == "lemma"
        return ast.Method(
            span=_meta_span(meta),
            name=str(name),
            name_span=_token_span(name),
            is_lemma=is_lemma,
            is_ghost=is_lemma or is_ghost,
            type_params=type_params,
            params=params,
            returns=returns,
            requires=tuple(specs["requires"]),
            ensures=tuple(specs["ensures"]),
            decreases=specs["decreases"],
            modifies=tuple(specs["modifies"]),
            body=body,
        )

    def function_decl(self, meta, children):
        keyword = children[1]
        rest = children[2:]
        if isinstance(rest[0], Token) and rest[0].type == "METHOD":
            raise _unsupported(
                _token_span(rest[0]),
                "`function method` is not part of MiniDafny",
                "Write `function`: a function can be called from methods too.",
            )
        name = rest[0]
        rest = rest[1:]
        type_params: tuple[str, ...] = ()
        if rest and isinstance(rest[0], _TypeParams):
            type_params, rest = rest[0].names, rest[1:]
        params = rest[0]
        result_ref = None
        body = None
        for part in rest[1:]:
            if isinstance(part, tuple) and part[0] == "result":
                result_ref = part[1]
            elif isinstance(part, tuple) and part[0] == "body":
                body = part[1]
        specs = self._specs(rest[1:])
        is_predicate = keyword.value == "predicate"
        if is_predicate and result_ref is not None:
            raise DiagnosticError(
                [Diagnostic(SYNTAX, result_ref.span, "a predicate has no result type: it returns bool")]
            )
        if not is_predicate and result_ref is None:
            raise DiagnosticError(
                [
                    Diagnostic(
                        SYNTAX, _token_span(name), f"function '{name}' needs a result type, e.g. `: int`"
                    )
                ]
            )
        return ast.Function(
            span=_meta_span(meta),
            name=str(name),
            name_span=_token_span(name),
            is_predicate=is_predicate,
            type_params=type_params,
            params=params,
            result_ref=result_ref,
            requires=tuple(specs["requires"]),
            ensures=tuple(specs["ensures"]),
            decreases=specs["decreases"],
            reads=tuple(specs["reads"]),
            body=body,
        )

    def const_decl(self, meta, children):
        name = next(child for child in children if isinstance(child, Token) and child.type == "NAME")
        type_ref = next((child for child in children if isinstance(child, ast.TypeRef)), None)
        values = [child for child in children if isinstance(child, ast.Expr)]
        if type_ref is None and not values:
            raise DiagnosticError(
                [
                    Diagnostic(
                        SYNTAX, _token_span(name), f"constant '{name}' needs a type or a value, e.g. `: int`"
                    )
                ]
            )
        return ast.Function(
            span=_meta_span(meta),
            name=str(name),
            name_span=_token_span(name),
            result_ref=type_ref,
            body=values[0] if values else None,
            constant=True,
        )

    def type(self, meta, children):
        name = children[0].name if isinstance(children[0], modules.QualifiedName) else children[0]
        args = tuple(child for child in children[1:] if isinstance(child, ast.TypeRef))
        return ast.TypeRef(span=_meta_span(meta), name=str(name), args=args)

    # ---- statements

    def block(self, meta, children):
        stmts = tuple(child for child in children if isinstance(child, ast.Stmt))
        return ast.Block(span=_meta_span(meta), stmts=stmts)

    def local_var(self, meta, children):
        names = [child for child in children if isinstance(child, Token) and child.type == "NAME"]
        type_ref = next((child for child in children if isinstance(child, ast.TypeRef)), None)
        return ast.LocalVar(span=_meta_span(meta), name=str(names[0]), type_ref=type_ref)

    def expr_list(self, meta, children):
        return tuple(children)

    def var_decl(self, meta, children):
        variables = _declared_variables(children)
        rhs = next((child for child in children if isinstance(child, tuple)), ())
        return ast.VarDecl(span=_meta_span(meta), variables=variables, rhs=rhs)

    def var_such_that(self, meta, children):
        return ast.SuchThat(
            span=_meta_span(meta),
            variables=_declared_variables(children),
            condition=children[-1],
            op_span=_such_that(children),
        )

    def assign_such_that(self, meta, children):
        return ast.SuchThat(
            span=_meta_span(meta), targets=children[0], condition=children[-1], op_span=_such_that(children)
        )

    def lhs_list(self, meta, children):
        return tuple(children)

    def simple_stmt(self, meta, children):
        span = _meta_span(meta)
        if len(children) == 3:
            return ast.Assign(span=span, targets=children[0], rhs=children[2])
        exprs = children[0]
        if len(exprs) == 1 and isinstance(exprs[0], ast.Call):
            return ast.CallStmt(span=span, call=exprs[0])
        raise DiagnosticError(
            [
                Diagnostic(
                    SYNTAX,
                    span,
                    "this is an expression, not a statement: only a method or lemma call can stand alone",
                )
            ]
        )

    def if_stmt(self, meta, children):
        else_ = children[4] if len(children) > 4 else None
        return ast.If(span=_meta_span(meta), cond=children[1], then=children[2], else_=else_)

    def while_stmt(self, meta, children):
        cond, body = children[1], children[-1]
        specs = self._specs(children[2:-1])
        return ast.While(
            span=_meta_span(meta),
            cond=cond,
            invariants=tuple(specs["invariant"]),
            decreases=specs["decreases"],
            body=body,
        )

    def for_stmt(self, meta, children):
        index_name = children[1]
        type_ref = next((c for c in children[2:4] if isinstance(c, ast.TypeRef)), None)
        at = 4 if type_ref is not None else 3
        start, direction, end = children[at], children[at + 1], children[at + 2]
        if direction.value not in ("to", "downto"):
            raise DiagnosticError(
                [Diagnostic(SYNTAX, _token_span(direction), "expected `to` or `downto` in a for loop")]
            )
        specs = self._specs(children[at + 3 : -1])
        index = ast.LocalVar(span=_token_span(index_name), name=str(index_name), type_ref=type_ref)
        return ast.ForLoop(
            span=_meta_span(meta),
            cond=ast.BoolLit(span=end.span, value=True),
            index=index,
            start=start,
            end=end,
            downto=direction.value == "downto",
            header=_token_span(index_name).cover(end.span),
            invariants=tuple(specs["invariant"]),
            decreases=specs["decreases"],
            body=children[-1],
        )

    def print_text(self, meta, children):
        return ast.PrintText(span=_meta_span(meta), text=_unescape(str(children[0])[1:-1]))

    def print_stmt(self, meta, children):
        args = tuple(child for child in children[1:] if isinstance(child, ast.Expr | ast.PrintText))
        return ast.PrintStmt(span=_meta_span(meta), args=args)

    def assert_stmt(self, meta, children):
        return ast.Assert(span=_meta_span(meta), expr=children[1])

    def assume_stmt(self, meta, children):
        return ast.Assume(span=_meta_span(meta), expr=children[1])

    def return_stmt(self, meta, children):
        values = children[1] if len(children) > 1 else ()
        return ast.Return(span=_meta_span(meta), values=values)

    # ---- proof statements

    def calc_op(self, meta, children):
        return children[0]

    def hint(self, meta, children):
        stmts = tuple(child for child in children if isinstance(child, ast.Stmt))
        return ast.Block(span=_meta_span(meta), stmts=stmts)

    def calc_step(self, meta, children):
        op = children[0] if isinstance(children[0], Token) else None
        line = children[-1]
        step = ast.CalcStep(
            span=_meta_span(meta),
            op=op.value if op is not None else "",
            op_span=_token_span(op) if op is not None else line.span,
            hints=tuple(child for child in children if isinstance(child, ast.Block)),
        )
        return step, line

    def calc_lines(self, meta, children):
        return list(children)

    def calc_stmt(self, meta, children):
        op = next((c for c in children[1:] if isinstance(c, Token) and c.type in CALC_OPERATORS), None)
        body = next((child for child in children if isinstance(child, list)), [])
        leading = op.value if op is not None else ""
        steps = tuple(step for step, _ in body[1:])
        if leading == "!=":
            raise DiagnosticError(
                [Diagnostic(SYNTAX, _token_span(op), "the main operator of a calculation must be transitive")]
            )
        _check_calc(leading, steps)
        lines = (body[0], *(line for _, line in body[1:])) if body else ()
        return ast.Calc(span=_meta_span(meta), op=leading, lines=lines, steps=steps)

    def forall_stmt(self, meta, children):
        bar = next((i for i, c in enumerate(children) if isinstance(c, Token) and c.type == "BAR"), None)
        return ast.ForallStmt(
            span=_meta_span(meta),
            bound=tuple(child for child in children if isinstance(child, ast.BoundVar)),
            range=children[bar + 1] if bar is not None else None,
            ensures=tuple(c[1] for c in children if isinstance(c, tuple) and c[0] == "ensures"),
            body=children[-1],
        )

    def assert_by_stmt(self, meta, children):
        return ast.AssertBy(span=_meta_span(meta), expr=children[1], body=children[3])

    # ---- expressions

    def ite(self, meta, children):
        return ast.IfThenElse(span=_meta_span(meta), cond=children[1], then=children[2], else_=children[3])

    def binary(self, meta, children):
        left, op, right = children
        return ast.Binary(span=_meta_span(meta), op=op.value, left=left, right=right, op_span=_token_span(op))

    def relop(self, meta, children):
        return children[0]

    def chain(self, meta, children):
        operands = children[0::2]
        ops = children[1::2]
        _check_chain(ops)
        links = []
        for left, op, right in zip(operands, ops, operands[1:], strict=False):
            span = left.span.cover(right.span)
            links.append(ast.Binary(span=span, op=op.value, left=left, right=right, op_span=_token_span(op)))
        result = links[0]
        for link in links[1:]:
            result = ast.Binary(
                span=result.span.cover(link.span), op="&&", left=result, right=link, op_span=link.op_span
            )
        return result

    def negate(self, meta, children):
        operand = children[1]
        if isinstance(operand, ast.IntLit) and operand.span.start_col == children[0].end_column:
            return ast.IntLit(span=_meta_span(meta), value=-operand.value)
        if isinstance(operand, ast.RealLit) and operand.span.start_col == children[0].end_column:
            return ast.RealLit(span=_meta_span(meta), value=-operand.value)
        return ast.Unary(span=_meta_span(meta), op="-", operand=operand)

    def logical_not(self, meta, children):
        return ast.Unary(span=_meta_span(meta), op="!", operand=children[1])

    def call(self, meta, children):
        name, args = children[0], children[1]
        return ast.Call(span=_meta_span(meta), name=str(name), args=args, name_span=_token_span(name))

    def generic_qualified(self, meta, children):
        """`List<int>.Nil`, `List<int>.Cons(1, xs)`: a constructor of a given instance."""
        qualifier, name = children[0], children[1]
        return ast.Call(
            span=_meta_span(meta),
            name=str(name),
            args=children[2] if len(children) > 2 else (),
            name_span=_token_span(name),
            qualifier=_type_in_token(qualifier),
        )

    def call_args(self, meta, children):
        return tuple(children)

    def int_lit(self, meta, children):
        text = children[0].value.replace("_", "")
        value = int(text, 16) if text.startswith("0x") else int(text)
        return ast.IntLit(span=_meta_span(meta), value=value)

    def real_lit(self, meta, children):
        return ast.RealLit(span=_meta_span(meta), value=parse_real(children[0].value))

    def as_type(self, meta, children):
        expr, keyword, target = children
        return ast.Conversion(
            span=_meta_span(meta), expr=expr, target=str(target), keyword_span=_token_span(keyword)
        )

    def true_lit(self, meta, children):
        return ast.BoolLit(span=_meta_span(meta), value=True)

    def false_lit(self, meta, children):
        return ast.BoolLit(span=_meta_span(meta), value=False)

    def name(self, meta, children):
        return ast.Name(span=_meta_span(meta), name=str(children[0]))

    def old(self, meta, children):
        return ast.Old(span=_meta_span(meta), expr=children[1])

    def fresh(self, meta, children):
        return ast.Fresh(span=_meta_span(meta), expr=children[1])

    def index(self, meta, children):
        return ast.Index(
            span=_meta_span(meta), seq=children[0], index=children[2], bracket=_token_span(children[1])
        )

    def slice(self, meta, children):
        seq, rest = children[0], children[2:-1]
        dots = next(i for i, child in enumerate(rest) if isinstance(child, Token) and child.type == "DOTDOT")
        lo = rest[0] if dots == 1 else None
        hi = rest[dots + 1] if len(rest) > dots + 1 else None
        return ast.Slice(span=_meta_span(meta), seq=seq, lo=lo, hi=hi, bracket=_token_span(children[1]))

    def seq_update(self, meta, children):
        return ast.SeqUpdate(
            span=_meta_span(meta),
            seq=children[0],
            index=children[2],
            value=children[4],
            bracket=_token_span(children[1]),
        )

    def member(self, meta, children):
        obj, name = children[0], children[2]
        if name.value != "Length":
            return ast.Member(span=_meta_span(meta), obj=obj, name=str(name), name_span=_token_span(name))
        return ast.Length(span=_meta_span(meta), array=obj)

    def member_call(self, meta, children):
        """`M.F(x)`: a call of a declaration of module `M` (the receiver is a module's name)."""
        obj, name, args = children[0], children[2], children[3]
        path = modules.dotted(obj)
        if path is None:
            raise _unsupported(
                _token_span(name), f"calling `.{name}(...)` on a value is not part of MiniDafny"
            )
        return ast.Call(span=_meta_span(meta), name=f"{path}.{name}", args=args, name_span=_token_span(name))

    # ---- modules

    def qualified_name(self, meta, children):
        return modules.QualifiedName(
            span=_meta_span(meta), name=".".join(str(child) for child in children if child.type == "NAME")
        )

    def module_decl(self, meta, children):
        name = children[1]
        decls = tuple(child for child in children[3:] if isinstance(child, ast.Decl))
        return modules.ModuleDecl(
            span=_meta_span(meta), name=str(name), name_span=_token_span(name), decls=decls
        )

    def import_decl(self, meta, children):
        opened = len(children) == 3
        if opened and children[1].value != "opened":
            message = f"unexpected '{children[1]}': write `import M`, `import opened M` or `import X = M`"
            raise DiagnosticError([Diagnostic(SYNTAX, _token_span(children[1]), message)])
        alias, target = children[-1]
        return modules.Import(
            span=_meta_span(meta),
            name=alias or target.name.rsplit(".", 1)[-1],
            name_span=target.span,
            path=target.name,
            opened=opened,
        )

    def import_target(self, meta, children):
        return "", children[0]

    def import_alias(self, meta, children):
        return str(children[0]), children[2]

    def discriminator(self, meta, children):
        obj, name = children[0], children[2]
        return ast.IsCtor(span=_meta_span(meta), obj=obj, ctor=str(name), name_span=_token_span(name))

    def pattern(self, meta, children):
        name = children[0]
        args = tuple(child for child in children[1:] if isinstance(child, ast.Pattern))
        has_parens = len(children) > 1 or self.source.text_of(_meta_span(meta)).rstrip().endswith(")")
        return ast.Pattern(span=_meta_span(meta), name=str(name), args=args if has_parens else None)

    def int_pattern(self, meta, children):
        text = children[-1].value.replace("_", "")
        value = int(text, 16) if text.startswith("0x") else int(text)
        value = -value if len(children) > 1 else value
        return ast.Pattern(span=_meta_span(meta), name=str(value), literal=value)

    def bool_pattern(self, meta, children):
        value = children[0].type == "TRUE"
        return ast.Pattern(span=_meta_span(meta), name="true" if value else "false", literal=value)

    def case_expr(self, meta, children):
        return ast.MatchCase(span=_meta_span(meta), pattern=children[1], body=children[-1])

    def match_expr(self, meta, children):
        cases = tuple(child for child in children if isinstance(child, ast.MatchCase))
        return ast.Match(span=_meta_span(meta), subject=children[1], cases=cases)

    def case_stmt(self, meta, children):
        stmts = tuple(child for child in children[3:] if isinstance(child, ast.Stmt))
        span = _meta_span(meta)
        body = ast.Block(span=stmts[0].span.cover(stmts[-1].span) if stmts else span, stmts=stmts)
        return ast.MatchStmtCase(span=span, pattern=children[1], body=body)

    def match_stmt(self, meta, children):
        cases = tuple(child for child in children if isinstance(child, ast.MatchStmtCase))
        return ast.MatchStmt(span=_meta_span(meta), subject=children[1], cases=cases)

    def cardinality(self, meta, children):
        return ast.Cardinality(span=_meta_span(meta), expr=children[1])

    def _elements(self, children) -> tuple[ast.Expr, ...]:
        return tuple(child for child in children if isinstance(child, ast.Expr))

    def seq_display(self, meta, children):
        return ast.SeqDisplay(span=_meta_span(meta), elements=self._elements(children))

    def set_display(self, meta, children):
        return ast.SetDisplay(span=_meta_span(meta), elements=self._elements(children))

    def multiset_display(self, meta, children):
        return ast.MultisetDisplay(span=_meta_span(meta), elements=self._elements(children))

    def multiset_of(self, meta, children):
        return ast.MultisetOf(span=_meta_span(meta), expr=children[1])

    def new_array(self, meta, children):
        return ast.NewArray(span=_meta_span(meta), element_ref=children[1], size=children[3])

    def let_expr(self, meta, children):
        variables = tuple(child for child in children if isinstance(child, ast.BoundVar))
        values = next(child for child in children if isinstance(child, tuple))
        return ast.Let(span=_meta_span(meta), variables=variables, values=values, body=children[-1])

    def let_such_that(self, meta, children):
        such_that = next(c for c in children if isinstance(c, Token) and c.type == "SUCH_THAT")
        raise _unsupported(
            _token_span(such_that),
            "a let-such-that expression `var x :| P; e` is not part of MiniDafny",
            "Choose the value in a method with the statement `var x :| P;`, "
            "or name a value in an expression with `var x := e; ...`.",
        )

    def bound_var(self, meta, children):
        type_ref = children[1] if len(children) > 1 else None
        return ast.BoundVar(span=_meta_span(meta), name=str(children[0]), type_ref=type_ref)

    def quantifier(self, meta, children):
        bound = tuple(child for child in children[1:-1] if isinstance(child, ast.BoundVar))
        return ast.Quantifier(
            span=_meta_span(meta), is_forall=children[0].type == "FORALL", bound=bound, body=children[-1]
        )


def _declared_variables(children: list) -> tuple[ast.LocalVar, ...]:
    """The variables a `var` statement declares, ghost if it starts with `ghost`."""
    is_ghost = isinstance(children[0], Token) and children[0].type == "GHOST"
    return tuple(
        dataclasses.replace(child, is_ghost=is_ghost) for child in children if isinstance(child, ast.LocalVar)
    )


def _such_that(children: list) -> Span:
    return _token_span(next(c for c in children if isinstance(c, Token) and c.type == "SUCH_THAT"))


def _unescape(text: str) -> str:
    """A string literal's characters, with Dafny's escapes `\\n`, `\\t`, `\\"`, `\\'` and `\\\\`."""
    escapes = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\"}
    out, chars = [], iter(text)
    for char in chars:
        out.append(escapes.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(out)


def _check_chain(ops: list[Token]) -> None:
    ups = {"<", "<="}
    downs = {">", ">="}
    kinds = {op.value for op in ops}
    if len(ops) < 2:
        return
    if "!=" in kinds or (kinds & ups and kinds & downs):
        raise DiagnosticError(
            [
                Diagnostic(
                    SYNTAX,
                    _token_span(ops[1]),
                    "a comparison chain must go one way: use only < and <= (or only > and >=), possibly with ==",
                )
            ]
        )


def _check_calc(leading: str, steps: tuple[ast.CalcStep, ...]) -> None:
    """Dafny's rule for a calc's operators: each one, and the leading one, must chain with
    the ones before it (`<` and `<=` do, `<` and `>` do not)."""
    relation = leading or "=="
    for step in steps:
        combined = ast.calc_combine(relation, step.op or leading or "==")
        if combined is None:
            raise DiagnosticError(
                [
                    Diagnostic(
                        SYNTAX,
                        step.op_span,
                        "this operator cannot continue this calculation",
                        hint="A calc's steps must go one way: `<` and `<=` (with `==`), or `>` and `>=`, "
                        "or only `==>`, or only `<==`.",
                    )
                ]
            )
        relation = combined


# ------------------------------------------------------------------ one expression


def parse_expression(source: SourceFile) -> ast.Expr:
    """Parse a text that is one MiniDafny expression (e.g. `[1, -2]`); raises DiagnosticError."""
    expr = _parse(source, "expression")
    assert isinstance(expr, ast.Expr)
    return expr
