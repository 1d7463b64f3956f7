"""`minidafny verify FILE.dfy...`: Dafny-style lines or JSON, and Dafny-like exit codes;
`minidafny run FILE.dfy --method M --args ...`: run a method concretely (see `run/command.py`).
Ctrl-C stops either at once, with one line and exit code 130, as a shell reports SIGINT."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kernel_ext.lang.source import SourceFile
from kernel_ext.pipeline import Options, verify
from kernel_ext.present import text
from kernel_ext.report import VerificationReport
from kernel_ext.verify.limits import Limits

EXIT_INPUT_ERROR = 2
RUN_DESCRIPTION = (
    "Runs one method on the given inputs (MiniDafny literals, one per parameter, in order; a "
    "collection is one argument, so quote it: '[1, 2, 3]'), checking its contracts as it goes, "
    "and prints the results or the first check that failed, as Dafny prints an error. Without "
    "--args, the first small inputs that satisfy the precondition are used. --table prints "
    "the iterations of a loop (the first one, or the one at LINE)."
)
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # as a shell reports a process ended by SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minidafny", description="A teaching verifier for a subset of Dafny."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="verify MiniDafny files")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE.dfy")
    check.add_argument("--json", action="store_true", help="print one JSON object per file")
    check.add_argument("--rlimit", type=int, default=Limits.rlimit, help="Z3 resource limit per obligation")
    check.add_argument(
        "--timeout", type=float, default=Limits.timeout_ms / 1000, help="seconds per obligation"
    )
    check.add_argument("--method", dest="only", metavar="NAME", help="verify only this declaration")
    check.add_argument(
        "--explain", action="store_true", help="show each failure with its source and plain words"
    )
    check.add_argument(
        "--trace", action="store_true", help="show each failure's counterexample, step by step"
    )
    _add_run_parser(commands)
    return parser


def _add_run_parser(subparsers: argparse._SubParsersAction) -> None:
    """The `run` command (carried out by `kernel_ext.run.command`, loaded only for it)."""
    run = subparsers.add_parser(
        "run",
        help="run a method on given inputs, checking its contracts",
        description=RUN_DESCRIPTION,
    )
    run.add_argument("file", type=Path, metavar="FILE.dfy")
    run.add_argument(
        "--method", metavar="NAME", help="the method or lemma to run (needed if there are several)"
    )
    run.add_argument(
        "--args",
        nargs="*",
        default=None,
        metavar="VALUE",
        help="one MiniDafny literal per parameter, in order: 3 -2 true '[1, 2]' '{1}' 'multiset{1, 1}'",
    )
    run.add_argument(
        "--steps",
        type=int,
        default=None,
        metavar="N",
        help="stop after N steps (default 100,000)",
    )
    run.add_argument(
        "--table",
        nargs="?",
        type=int,
        const=0,
        default=None,
        metavar="LINE",
        help="print the iterations of the loop at LINE (default: the first loop)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("minidafny: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader stopped reading (`minidafny verify F | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    if args.command == "run":
        from kernel_ext.run.command import run_command  # the interpreter, loaded only to run

        return run_command(args)
    limits = Limits(rlimit=args.rlimit, timeout_ms=int(args.timeout * 1000))
    options = Options(limits=limits, only=args.only)
    worst = 0
    for path in args.files:
        report, source = _verify_file(path, options)
        if args.json:
            print(json.dumps(report.to_json()))
        else:
            _print_text(report, source, args.explain, args.trace)
        worst = max(worst, report.exit_code)
    return worst


def _verify_file(path: Path, options: Options) -> tuple[VerificationReport, SourceFile | None]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        from kernel_ext.lang.diagnostics import SYNTAX, Diagnostic
        from kernel_ext.lang.source import Span

        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        diagnostic = Diagnostic(SYNTAX, Span.point(1, 1), f"cannot read the file: {reason}")
        return VerificationReport(str(path), (diagnostic,)), None
    return verify(content, str(path), options), SourceFile(str(path), content)


def _print_text(report: VerificationReport, source: SourceFile | None, explain: bool, trace: bool) -> None:
    for line in text.dafny_lines(report):
        print(line)
    if explain and source is not None:
        for line in text.excerpts(report, source):
            print(line)
    if trace:
        for line in text.trace_lines(report):
            print(line)
    print()
    print(text.summary(report))


if __name__ == "__main__":
    sys.exit(main())
