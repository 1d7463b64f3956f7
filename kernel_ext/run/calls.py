"""Calls in the interpreter: a method's frame, its inputs, preconditions, `modifies` frame
and postconditions; a function's evaluation with its `reads` frame and contracts, each
distinct call once (the results are remembered for the run); and the termination check of
recursive calls. A method's body is run by the statements part, which `connect` installs."""

from __future__ import annotations

from collections.abc import Callable

from kernel_ext.lang import syntax as ast
from kernel_ext.lang.resolver import CheckedProgram
from kernel_ext.lang.semantics import Measured, declaration_measure, decreases, not_smaller_at
from kernel_ext.lang.source import Span
from kernel_ext.obligations import CALL_MODIFIES, CheckSite, ObligationKind, clause_parts
from kernel_ext.run.evaluate import VALUES, Evaluator, show_measure
from kernel_ext.run.machine import Frame, Machine, Return, Stop
from kernel_ext.run.results import Outcome
from kernel_ext.run.values import ArrayValue, arrays_in, conforms, show_value

# Runs a block of a method's body; returns where control leaves it (see `exec_block`).
BlockRunner = Callable[[ast.Block, Frame, Span | None], Span | None]


class Calls:
    """Method and function calls of a run, with the results of the functions it evaluated."""

    def __init__(self, checked: CheckedProgram, machine: Machine, evaluator: Evaluator) -> None:
        self.machine = machine
        self.evaluator = evaluator
        self.functions = {decl.name: decl for decl in checked.program.functions()}
        self.components = checked.components
        self.recursive_decls = checked.recursive_decls
        self.memo: dict[tuple, object] = {}
        self.checking_ensures: set[tuple] = set()
        self.run_block: BlockRunner | None = None

    def connect(self, run_block: BlockRunner) -> None:
        self.run_block = run_block

    # ---- methods

    def check_inputs(self, method: ast.Method, frame: Frame) -> None:
        for param in method.params:
            value = frame.env[param.name]
            if not conforms(value, ast.type_of(param), self.machine.subsets):
                raise Stop(
                    Outcome.INVALID_INPUT,
                    f"'{param.name}' is a {ast.type_of(param)}, but is given {show_value(value)}",
                    param.span,
                )
        part = self.first_false(method.requires, frame, None)
        if part is not None:
            raise Stop(
                Outcome.INVALID_INPUT,
                f"the precondition `{self.machine.text(part)}` does not hold "
                f"(with {self.machine.show_variables(frame)})",
                part.span,
            )

    def method_frame(self, method: ast.Method, values: list[object]) -> Frame:
        heap = self.machine.heap
        heap.clock += 1
        env: dict[str, object] = {
            param.name: value for param, value in zip(method.params, values, strict=True)
        }
        for out in method.returns:
            env[out.name] = self.machine.default(ast.type_of(out))
        names = {uid: uid for uid in env}
        return Frame(method, env, names, heap.clock, self.machine.depth)

    def frame_of(self, items: tuple[ast.Expr, ...], frame: Frame) -> frozenset[int]:
        return frozenset(id(self.evaluator.eval(item, frame, None)) for item in items)

    def recursive(self, caller: ast.Decl, callee: ast.Decl) -> bool:
        return callee.name in self.components.get(caller.name, frozenset())

    def measure_of(self, decl: ast.Method | ast.Function, frame: Frame) -> tuple[Measured[object], ...]:
        """The termination measure: the decreases clause, else the non-array parameters."""
        if decl.name not in self.recursive_decls:
            return ()
        return self.evaluator.measure_values(declaration_measure(decl), frame)

    def run_entry(self, method: ast.Method, values: list[object]) -> None:
        """Runs the method a run starts with, on inputs that must satisfy its precondition."""
        for value in values:
            for array in arrays_in(value):
                self.machine.heap.register(array, 0)
        call_span = method.name_span
        with (
            self.machine.under_way("call", method.name, call_span),
            self.machine.deeper(method.name, call_span),
        ):
            frame = self.method_frame(method, values)
            self.check_inputs(method, frame)
            frame.modifies = self.frame_of(method.modifies, frame)
            frame.measure = self.measure_of(method, frame)
            self.execute_method(method, frame, entry=True)

    def call_method(self, call: ast.Call, caller: Frame) -> list[object]:
        machine = self.machine
        callee = machine.methods[call.name]
        values = self.arguments(call, callee.params, caller)
        with machine.under_way("call", callee.name, call.span), machine.deeper(callee.name, call.span):
            frame = self.method_frame(callee, values)
            frame.depth = machine.depth
            self.check_call_preconditions(call, callee, frame, caller, ObligationKind.PRECONDITION)
            for item in callee.modifies:
                array = self.evaluator.eval(item, frame, None)
                if not machine.may_modify(caller, array):
                    raise machine.violation(
                        ObligationKind.MODIFIES,
                        call.name_span,
                        caller,
                        f"{callee.name} may modify `{machine.text(item)}`, which {caller.decl.name} may not",
                        message=CALL_MODIFIES,
                        site=CheckSite(at=call.nid),
                    )
            frame.modifies = self.frame_of(callee.modifies, frame)
            frame.measure = self.measure_of(callee, frame)
            if self.recursive(caller.decl, callee):
                self.check_termination(call, callee, frame.measure, caller, frame)
            self.execute_method(callee, frame)
            return [frame.env[out.name] for out in callee.returns]

    def execute_method(self, method: ast.Method, frame: Frame, entry: bool = False) -> None:
        if method.body is None:
            self.bodiless(method, frame)
            return
        assert self.run_block is not None
        try:
            exit_at = self.run_block(method.body, frame, method.body.open_brace)
        except Return as returned:
            exit_at = returned.span
        if entry:
            self.machine.finished = {out.name: frame.env[out.name] for out in method.returns}
        assert exit_at is not None
        found = self.false_part(method.ensures, frame, None)
        if found is not None:
            site, part = found
            raise self.machine.violation(
                ObligationKind.POSTCONDITION,
                exit_at,
                frame,
                f"the postcondition `{self.machine.text(part)}` is false when {method.name} returns here",
                related=(part.token,),
                description=self.machine.text(part),
                site=site,
            )

    def bodiless(self, method: ast.Method, frame: Frame) -> None:
        if not method.is_lemma or method.returns:
            raise Stop(
                Outcome.CANNOT_EVALUATE,
                f"{method.kind_word} {method.name} has no body to run",
                method.name_span,
            )
        part = self.first_false(method.ensures, frame, None)
        if part is not None:
            raise Stop(
                Outcome.ASSUMPTION_FALSE,
                f"lemma {method.name} has no body, so its postcondition `{self.machine.text(part)}` is "
                f"assumed; here it is false (with {self.machine.show_variables(frame)})",
                part.span,
            )

    # ---- methods and functions

    def arguments(
        self, call: ast.Call, params: tuple[ast.Param, ...], caller: Frame, view: int | None = None
    ) -> list[object]:
        values = []
        for arg, param in zip(call.args, params, strict=True):
            value = self.evaluator.eval(arg, caller, view)
            self.evaluator.check_value_subset(ast.type_of(param), value, arg, caller, view)
            values.append(value)
        return values

    def check_call_preconditions(
        self,
        call: ast.Call,
        callee: ast.Method | ast.Function,
        frame: Frame,
        caller: Frame,
        kind: ObligationKind,
        view: int | None = None,
    ) -> None:
        found = self.false_part(callee.requires, frame, view, call.nid)
        if found is not None:
            site, part = found
            args = ", ".join(show_value(frame.env[param.name]) for param in callee.params)
            raise self.machine.violation(
                kind,
                call.name_span,
                caller,
                f"{callee.name}({args}) is called, but its precondition `{self.machine.text(part)}` is false",
                related=(part.token,),
                description=self.machine.text(part),
                site=site,
            )

    def check_termination(
        self,
        call: ast.Call,
        callee: ast.Method | ast.Function,
        measure: tuple[Measured[object], ...],
        caller: Frame,
        frame: Frame | None = None,
    ) -> None:
        if not decreases(measure, caller.measure, VALUES, bounded=True):
            why = self.why_not_smaller(callee, measure, caller, frame) if frame is not None else ""
            raise self.machine.violation(
                ObligationKind.TERMINATION,
                call.name_span,
                caller,
                f"the recursive call to {callee.name} has the measure {show_measure(measure)}, which is not "
                f"smaller than {show_measure(caller.measure)} (and at least 0) of {caller.decl.name}{why}",
                site=CheckSite(at=call.nid),
            )

    def why_not_smaller(
        self,
        callee: ast.Method | ast.Function,
        measure: tuple[Measured[object], ...],
        caller: Frame,
        frame: Frame,
    ) -> str:
        """The calls that do not get smaller (F(3) → F(3)) and, when the measure is the
        parameters (no `decreases` written), the argument that should have got smaller."""
        calls = f"{self.shown_call(caller)} → {self.shown_call(frame)}"
        position = not_smaller_at(measure, caller.measure, VALUES)
        measured = declaration_measure(callee)  # without a `decreases` clause, the parameters
        part = measured[position] if position is not None and position < len(measured) else None
        if callee.decreases is not None or caller.decl is not callee or not isinstance(part, ast.Name):
            return f"; the calls {calls} do not get smaller"
        name = part.name
        if name not in frame.env or name not in caller.env:
            return f"; the calls {calls} do not get smaller"
        return (
            f"; the calls {calls} do not get smaller: its argument {name} is "
            f"{show_value(frame.env[name])}, not smaller than {show_value(caller.env[name])} (pass something "
            f"smaller as {name}, or write a `decreases` clause)"
        )

    @staticmethod
    def shown_call(frame: Frame) -> str:
        args = ", ".join(
            show_value(frame.env[param.name]) for param in frame.decl.params if param.name in frame.env
        )
        return f"{frame.decl.name}({args})"

    def first_false(
        self, clauses: tuple[ast.SpecClause, ...], frame: Frame, view: int | None
    ) -> ast.Expr | None:
        """The first conjunct of the clauses that is false, as the verifier splits them."""
        found = self.false_part(clauses, frame, view)
        return found[1] if found is not None else None

    def false_part(
        self,
        clauses: tuple[ast.SpecClause, ...],
        frame: Frame,
        view: int | None,
        at: ast.NodeId | None = None,
    ) -> tuple[CheckSite, ast.Expr] | None:
        """The first conjunct of the clauses that is false, with its site (`at`: the call)."""
        evaluate = self.evaluator.eval
        return next(
            ((site, part) for site, part in clause_parts(clauses, at) if not evaluate(part, frame, view)),
            None,
        )

    # ---- functions

    def call_function(self, call: ast.Call, caller: Frame, view: int | None) -> object:
        machine = self.machine
        function = self.functions.get(call.name)
        if function is None:  # a method call stands only on the right of `:=`, handled there
            raise Stop(Outcome.INTERNAL, f"'{call.name}' is not a function", call.span)
        values = self.arguments(call, function.params, caller, view)
        env = {param.name: value for param, value in zip(function.params, values, strict=True)}
        frame = Frame(function, env, {uid: uid for uid in env}, caller.entry_time, machine.depth + 1)
        frame.reads = self.frame_of(function.reads, frame)
        self.check_call_preconditions(
            call, function, frame, caller, ObligationKind.FUNCTION_PRECONDITION, view
        )
        key = self.memo_key(function, values, frame, view)
        if key in self.checking_ensures:  # F(x) in the ensures of F(x) is its result, as in Dafny
            return self.memo[key]
        frame.measure = self.measure_of(function, frame)
        if isinstance(caller.decl, ast.Function) and self.recursive(caller.decl, function):
            self.check_termination(call, function, frame.measure, caller, frame)
        if key in self.memo:
            return self.memo[key]
        if function.body is None and function.constant:
            # `const N: int`: any value of its type; a run takes the type's default, as compiled Dafny
            assert function.result_ty is not None
            self.memo[key] = machine.default(function.result_ty)
            return self.memo[key]
        if function.body is None:
            raise Stop(
                Outcome.CANNOT_EVALUATE, f"{function.kind_word} {function.name} has no body", call.span
            )
        with machine.under_way("call", function.name, call.span), machine.deeper(function.name, call.span):
            frame.depth = machine.depth
            result = self.evaluator.eval(function.body, frame, view)
            self.evaluator.check_value_subset(function.result_ty, result, function.body, frame, view)
            self.memo[key] = result
            self.checking_ensures.add(key)
            try:
                self.check_function_postconditions(function, frame, view)
            finally:
                self.checking_ensures.discard(key)
        return result

    def memo_key(self, function: ast.Function, values: list[object], frame: Frame, view: int | None) -> tuple:
        read = tuple(
            tuple(self.machine.heap.contents(array, view))
            for array in _arrays_by_id(values, frame.reads or frozenset())
        )
        return (function.name, tuple(values), read)

    def check_function_postconditions(self, function: ast.Function, frame: Frame, view: int | None) -> None:
        found = self.false_part(function.ensures, frame, view)
        if found is not None:
            site, part = found
            raise self.machine.violation(
                ObligationKind.POSTCONDITION,
                function.name_span,
                frame,
                f"the postcondition `{self.machine.text(part)}` of {function.name} is false",
                related=(part.token,),
                description=self.machine.text(part),
                site=site,
            )


def _arrays_by_id(values: list[object], ids: frozenset[int]) -> list[ArrayValue]:
    found: dict[int, ArrayValue] = {}
    for value in values:
        for array in arrays_in(value):
            if id(array) in ids:
                found.setdefault(id(array), array)
    return [found[key] for key in sorted(found, key=lambda key: found[key].ident)]
