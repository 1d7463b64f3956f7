"""Running MiniDafny programs: a concrete interpreter that checks contracts as it goes
(`run_method`), tables of loop iterations (`loop_table`), and the `run` command
(`kernel_ext.run.command`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel_ext.run.interp import Outcome, RunResult, TraceStep, Violation, run_method
    from kernel_ext.run.loops import LoopRow, LoopTable, loop_table
    from kernel_ext.run.values import ArrayValue, DataValue, Multiset, make_array, show_value

# each name's module, imported on first use: `kernel_ext.run.values` alone stays light
_HOMES = {
    **dict.fromkeys(("Outcome", "RunResult", "TraceStep", "Violation", "run_method"), "interp"),
    **dict.fromkeys(("LoopRow", "LoopTable", "loop_table"), "loops"),
    **dict.fromkeys(("ArrayValue", "DataValue", "Multiset", "make_array", "show_value"), "values"),
}

__all__ = [
    "ArrayValue",
    "DataValue",
    "LoopRow",
    "LoopTable",
    "Multiset",
    "Outcome",
    "RunResult",
    "TraceStep",
    "Violation",
    "loop_table",
    "make_array",
    "run_method",
    "show_value",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
