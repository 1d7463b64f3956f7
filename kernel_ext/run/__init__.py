"""Running MiniDafny programs: a concrete interpreter that checks contracts as it goes
(`run_method`), tables of loop iterations (`loop_table`), and the `run` command
(`kernel_ext.run.command`)."""

from kernel_ext.run.interp import Outcome, RunResult, TraceStep, Violation, run_method
from kernel_ext.run.loops import LoopRow, LoopTable, loop_table
from kernel_ext.run.values import ArrayValue, DataValue, Multiset, make_array, show_value

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
