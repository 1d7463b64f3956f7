"""Replay a counterexample in the interpreter, and say what it means.

- *confirmed*: running the inputs fails the same check: the program has a bug (or the
  invariant is wrong), and the run shows it concretely;
- *not reproduced*: the run succeeds, so the failure comes from an abstraction: the
  verifier reasoned about a loop through its invariants, or about a call through the
  callee's postcondition, and they are too weak to carry the proof;
- *not run*: the replay could not decide (a check about the specification itself, an
  unbounded quantifier, a step limit), with the reason.

When the counterexample's own inputs do not fail, a few small inputs that satisfy the
precondition are tried too, chosen by a fixed seed: a wrong invariant is often violated
only after some iterations that the verifier's inputs do not make.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from enum import Enum
from typing import Any

from kernel_ext.explain import counterexample as ce
from kernel_ext.explain.counterexample import Replay, Trace
from kernel_ext.lang import syntax as ast
from kernel_ext.lang.printer import show_expr
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import loop_measure
from kernel_ext.lang.types import BOOL, Type
from kernel_ext.obligations import LOOP_NEEDS_DECREASES, Obligation, same_check
from kernel_ext.results import MarkKind, ReplayVerdict
from kernel_ext.run.interp import Outcome, RunResult, evaluate_in, run_function, run_method
from kernel_ext.run.results import EvaluationFailed
from kernel_ext.run.values import DataValue, Multiset, default_value, make_array, show_value

STEP_LIMIT = 50_000
EXTRA_RUNS = 40
SEED = 2026
SAMPLED_DEPTH = 4  # constructors nested at most this deep in a sampled datatype value


class _NotReplayable(Exception):
    pass


class Abstraction(Enum):
    """What the verifier reasoned through on a path the run does not confirm."""

    LOOP = "loop"
    CALL = "call"
    UNFOLDING = "unfolding"  # neither: a function known up to a few unfoldings, a lemma by its ensures


def replay(trace: Trace, obligation: Obligation, checked: CheckedProgram) -> Replay:
    method = checked.decl(obligation.owner)
    if isinstance(method, ast.Function) and method.body is not None:
        return _replay_function(trace, obligation, checked, method)
    if not isinstance(method, ast.Method) or method.body is None or obligation.specification:
        return Replay(ReplayVerdict.NOT_RUN, "This check is about a specification, which has no code to run.")
    step = _calc_step(method, obligation)
    if step is not None:
        return _replay_calc_step(trace, method, step, checked)
    try:
        args = _inputs_of(trace, method, checked)
    except _NotReplayable as reason:
        return Replay(ReplayVerdict.NOT_RUN, str(reason))
    result = run_method(checked, method.name, args, step_limit=STEP_LIMIT)
    if _fails_here(result, obligation):
        return Replay(
            ReplayVerdict.CONFIRMED,
            f"Running these inputs fails the same check, at line {obligation.span.start_line}: {_what(result)}.",
        )
    if result.outcome != Outcome.OK:
        return _undecided(result, obligation)
    found = _other_inputs(checked, method, obligation)
    if found is not None:
        inputs = ", ".join(f"{name} = {text}" for name, text in found.items())
        return Replay(
            ReplayVerdict.CONFIRMED,
            f"These inputs run fine, but with {inputs} the run fails the same check, at line "
            f"{obligation.span.start_line}.",
        )
    through, line = _abstraction(trace)
    where = f"the {through.value} at line {line}" if through != Abstraction.UNFOLDING else ""
    if obligation.message == LOOP_NEEDS_DECREASES:
        return Replay(ReplayVerdict.NOT_REPRODUCED, _measure_advice(method, obligation), where)
    if method.is_lemma and through == Abstraction.UNFOLDING:
        return Replay(ReplayVerdict.NOT_REPRODUCED, _lemma_advice(method, checked), where)
    return Replay(ReplayVerdict.NOT_REPRODUCED, _advice(through, where), where)


def _replay_function(
    trace: Trace, obligation: Obligation, checked: CheckedProgram, function: ast.Function
) -> Replay:
    """A check in a function: the function called on the counterexample's arguments."""
    try:
        args = _inputs_of(trace, function, checked)
    except _NotReplayable as reason:
        return Replay(ReplayVerdict.NOT_RUN, str(reason))
    result = run_function(checked, function.name, args, step_limit=STEP_LIMIT)
    shown = ", ".join(show_value(args[p.name]) for p in function.params)
    if _fails_here(result, obligation):
        return Replay(
            ReplayVerdict.CONFIRMED,
            f"Calling {function.name}({shown}) fails the same check, at line {obligation.span.start_line}: "
            f"{_what(result)}.",
        )
    if result.outcome != Outcome.OK:
        return _undecided(result, obligation)
    return Replay(
        ReplayVerdict.NOT_REPRODUCED,
        f"Calling {function.name}({shown}) succeeds. The verifier knows a function only up to a few "
        "unfoldings of its body: a fact about a recursive call may need its own `ensures` or a lemma.",
    )


def _calc_step(method: ast.Method, obligation: Obligation) -> tuple[ast.Expr, ast.CalcStep, ast.Expr] | None:
    """The calc step a failed check is about: the line before, the step, the line after."""
    if obligation.site.clause is None or method.body is None:
        return None
    for stmt in ast.walk_stmts(method.body):
        if isinstance(stmt, ast.Calc):
            for index, step in enumerate(stmt.steps):
                if step.nid == obligation.site.clause:
                    return stmt.lines[index], step, stmt.lines[index + 1]
    return None


def _replay_calc_step(
    trace: Trace, method: ast.Method, found: tuple[ast.Expr, ast.CalcStep, ast.Expr], checked: CheckedProgram
) -> Replay:
    """Both sides of a calc step, evaluated at the counterexample's values."""
    before, step, after = found
    env = _values_at_end(trace, method, _datatypes(checked))
    relation = ast.Binary(span=step.span, op=step.op, left=before, right=after, op_span=step.op_span, ty=BOOL)
    try:
        left, right = (evaluate_in(checked, method, side, env) for side in (before, after))
        holds = evaluate_in(checked, method, relation, env)
    except EvaluationFailed as failed:
        return Replay(ReplayVerdict.NOT_RUN, f"The step's two sides cannot be evaluated here ({failed}).")
    at = ", ".join(f"{name} = {show_value(value)}" for name, value in _shown(method, env))
    sides = f"{show_expr(before)} is {show_value(left)} and {show_expr(after)} is {show_value(right)}"
    if holds is False:
        return Replay(ReplayVerdict.CONFIRMED, f"With {at}: {sides}, so the step `{step.op}` is false there.")
    return Replay(
        ReplayVerdict.NOT_REPRODUCED,
        f"With {at}: {sides}, so the step `{step.op}` holds there. It is probably true: the verifier "
        "needs a hint for it (a lemma call in `{ }` before the line, or a smaller step).",
    )


def _values_at_end(
    trace: Trace, method: ast.Method, datatypes: Mapping[str, ast.Datatype]
) -> dict[str, object]:
    """The run-time values of the variables the trace shows last, by unique id."""
    last = {b.name: b.value for b in (trace.steps[-1].values if trace.steps else trace.inputs)}
    last.update({b.name: b.value for b in trace.inputs if b.name not in last})
    env: dict[str, object] = {}
    for variable in ce.variables_of(method):
        value = last.get(variable.name, ce.FREE)
        if value is ce.FREE or isinstance(value, ce.ModelArray):
            continue
        env[variable.uid] = _runtime(value, variable.ty, {}, datatypes)
    return env


def _shown(method: ast.Method, env: Mapping[str, object]) -> list[tuple[str, object]]:
    names = {variable.uid: variable.name for variable in ce.variables_of(method)}
    return [(names[uid], value) for uid, value in env.items()]


def _measure_advice(method: ast.Method, obligation: Obligation) -> str:
    """A loop that ends when run, but whose termination is not proved: Dafny's guess of its
    measure, or that it has none."""
    assert method.body is not None  # replay runs only methods with a body
    loops = [stmt for stmt in ast.walk_stmts(method.body) if isinstance(stmt, ast.While)]
    loop = next((stmt for stmt in loops if stmt.nid == obligation.site.at), None)
    guessed = loop_measure(loop) if loop is not None else None
    if not guessed:
        return (
            "Running these inputs, the loop ends. The verifier cannot guess from the loop's condition "
            "what gets smaller in each iteration: write it in a `decreases` clause (something the body "
            "makes smaller that stays at or above 0), with an invariant if the bound needs one."
        )
    measure = ", ".join(show_expr(expr) for expr in guessed)
    return (
        f"Running these inputs, the loop ends. The verifier guessed the measure `{measure}` from the "
        "loop's condition, and the invariants do not show that it gets smaller and stays at or above 0: "
        "add the invariant that bounds it, or write a `decreases` clause."
    )


def _lemma_advice(lemma: ast.Method, checked: CheckedProgram) -> str:
    """A lemma whose claim holds for the inputs tried: its proof misses a step."""
    recursive = any(
        isinstance(node, ast.CallStmt) and node.call.name == lemma.name
        for node in (ast.walk_stmts(lemma.body) if lemma.body is not None else ())
    )
    example = _smaller_call(lemma, _datatypes(checked))
    step = (
        "a fact its recursive call does not give, which a helper lemma can prove"
        if recursive
        else f"an induction hypothesis: call {lemma.name} on a smaller argument{example}, or a helper "
        "lemma for the step that does not follow"
    )
    return f"The claim holds for these inputs: the lemma is probably true, and its proof is missing a step: {step}."


def _smaller_call(lemma: ast.Method, datatypes: Mapping[str, ast.Datatype]) -> str:
    """An example of the induction hypothesis's call, on the lemma's first parameter that
    has an obvious smaller value (` (as `L(n - 1);` in the case n > 0)`), or nothing."""
    for index, param in enumerate(lemma.params):
        smaller = _smaller_value(param.name, ast.type_of(param), datatypes)
        if smaller is not None:
            value, case = smaller
            args = ", ".join(value if i == index else p.name for i, p in enumerate(lemma.params))
            return f" (as `{lemma.name}({args});` in the case {case})"
    return ""


def _smaller_value(name: str, ty: Type, datatypes: Mapping[str, ast.Datatype]) -> tuple[str, str] | None:
    """A value smaller than the parameter `name` in Dafny's order, and when it exists."""
    match ty.name:
        case "nat" | "int":
            return f"{name} - 1", f"{name} > 0"
        case "seq":
            return f"{name}[1..]", f"|{name}| > 0"
        case datatype if datatype in datatypes:
            for ctor in datatypes[datatype].ctors:
                for part in ctor.fields:
                    if part.name and ast.type_of(part).name == datatype:
                        return f"{name}.{part.name}", f"{name}.{ctor.name}?"
            return None
        case _:
            return None


def _inputs_of(trace: Trace, decl: ast.Method | ast.Function, checked: CheckedProgram) -> dict[str, object]:
    """The counterexample's inputs as run-time values of `decl`'s parameters; raises
    _NotReplayable if they cannot be."""
    return _arguments(trace, {p.name: ast.type_of(p) for p in decl.params}, _datatypes(checked))


def _datatypes(checked: CheckedProgram) -> dict[str, ast.Datatype]:
    return {decl.name: decl for decl in checked.program.datatypes()}


def _fails_here(result: RunResult, obligation: Obligation) -> bool:
    """Whether the run failed the obligation's own check (the same clause and conjunct at
    the same call or loop; for a check of an expression, the same token)."""
    violation = result.violation
    if result.outcome != Outcome.VIOLATION or violation is None:
        return False
    return same_check(violation.kind, violation.site, violation.span, obligation)


def _what(result: RunResult) -> str:
    violation = result.violation
    assert violation is not None
    return violation.detail or violation.message


def _undecided(result: RunResult, obligation: Obligation) -> Replay:
    if result.outcome == Outcome.VIOLATION and result.violation is not None:
        line = result.violation.span.start_line
        return Replay(
            ReplayVerdict.NOT_REPRODUCED,
            f"Running these inputs fails another check first, at line {line}: {_what(result)}. "
            f"Fix that one, then verify again.",
        )
    reasons = {
        Outcome.INVALID_INPUT: "the inputs do not satisfy the precondition when run",
        Outcome.ASSUMPTION_FALSE: "an `assume` is false for these inputs",
        Outcome.CANNOT_EVALUATE: "the run needs a value it cannot compute",
        Outcome.STEP_LIMIT: "the run did not finish within the step limit",
        Outcome.TOO_DEEP: "the run recursed too deeply",
    }
    reason = reasons.get(result.outcome, "the run could not be completed")
    message = result.violation.message if result.violation is not None else getattr(result, "message", "")
    return Replay(
        ReplayVerdict.NOT_RUN, f"{reason[0].upper()}{reason[1:]}" + (f" ({message})." if message else ".")
    )


def _abstraction(trace: Trace) -> tuple[Abstraction, int]:
    """The loop or call whose summary the failing path went through (the last one), and its line."""
    for step in reversed(trace.steps):
        if step.kind.in_loop:
            return Abstraction.LOOP, step.line
        if step.kind == MarkKind.CALL:
            return Abstraction.CALL, step.line
    return Abstraction.UNFOLDING, 0


def _advice(through: Abstraction, where: str) -> str:
    if through == Abstraction.LOOP:
        return (
            f"Running these inputs succeeds. The verifier reasoned about {where} through its "
            "invariants alone, and they allow a state the loop never reaches: the invariant is "
            "probably too weak (add what else is true at the loop head)."
        )
    if through == Abstraction.CALL:
        return (
            f"Running these inputs succeeds. The verifier reasoned about {where} through the "
            "callee's postcondition alone: it is probably too weak (say more in its `ensures`)."
        )
    return (
        "Running these inputs succeeds. The verifier knows a function only up to a few "
        "unfoldings, or a lemma only by its `ensures`: a lemma call may be missing."
    )


# ------------------------------------------------------------ inputs


def _arguments(
    trace: Trace, types: Mapping[str, Type], datatypes: Mapping[str, ast.Datatype] | None = None
) -> dict[str, object]:
    arrays: dict[str, object] = {}
    given = {b.name: b.value for b in trace.inputs}
    return {
        name: _runtime(given.get(name, ce.FREE), ty, arrays, datatypes or {}) for name, ty in types.items()
    }


def _runtime(
    value: Any, ty: Type, arrays: dict[str, object], datatypes: Mapping[str, ast.Datatype]
) -> object:
    if value is ce.FREE or value is None:
        return default_value(ty, datatypes)
    if value is ce.ELLIPSIS:
        raise _NotReplayable("The counterexample's values are too large to replay.")
    if isinstance(value, ce.ModelArray):
        if value.ref not in arrays:
            arrays[value.ref] = make_array(
                [_runtime(e, ty.element, arrays, datatypes) for e in value.elements]
            )
        return arrays[value.ref]
    if isinstance(value, tuple):
        return tuple(_runtime(e, ty.element, arrays, datatypes) for e in value)
    if isinstance(value, DataValue) and value.datatype in datatypes:
        decl = datatypes[value.datatype]
        ctor = decl.ctor(value.ctor)
        assert ctor is not None
        parts = zip(value.args, decl.field_types(ctor, ty), strict=True)
        return DataValue(
            value.datatype,
            value.ctor,
            tuple(_runtime(arg, part_ty, arrays, datatypes) for arg, part_ty in parts),
        )
    return value


def _other_inputs(
    checked: CheckedProgram, method: ast.Method, obligation: Obligation
) -> dict[str, str] | None:
    chooser = random.Random(SEED)
    params = [(p.name, ast.type_of(p)) for p in method.params]
    if not params:
        return None
    datatypes = _datatypes(checked)
    for _ in range(EXTRA_RUNS):
        args = {name: _sample(ty, chooser, datatypes) for name, ty in params}
        shown = {name: show_value(value) for name, value in args.items()}  # before the run changes them
        result = run_method(checked, method.name, args, step_limit=STEP_LIMIT)
        if _fails_here(result, obligation):
            return shown
    return None


def _sample(
    ty: Type, chooser: random.Random, datatypes: Mapping[str, ast.Datatype], depth: int = SAMPLED_DEPTH
) -> object:
    name = ty.name
    if ty.parent is not None and name != "nat":  # a declared subset type: its parent's values
        return _sample(ty.parent, chooser, datatypes, depth)
    if name == "bool":
        return chooser.random() < 0.5
    if name == "nat":
        return chooser.randint(0, 6)
    if name == "int":
        return chooser.randint(-4, 6)
    if name in ("array", "seq", "set", "multiset"):
        items = [_sample(ty.element, chooser, datatypes, depth) for _ in range(chooser.randint(0, 5))]
        if name == "array":
            return make_array(items)
        if name == "seq":
            return tuple(items)
        return frozenset(items) if name == "set" else Multiset(items)
    if name in datatypes and depth > 0:
        decl = datatypes[name]
        ctor = decl.ctors[chooser.randrange(len(decl.ctors))]
        args = tuple(
            _sample(part_ty, chooser, datatypes, depth - 1) for part_ty in decl.field_types(ctor, ty)
        )
        return DataValue(decl.name, ctor.name, args)
    return default_value(ty, datatypes)
