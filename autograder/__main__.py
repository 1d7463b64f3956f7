"""`python -m autograder grade-all ASSIGNMENT [--course DIR] [--jobs N] [--force]` and
`python -m autograder report ASSIGNMENT [--course DIR] [--output FILE]`."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from autograder.grade_all import Course, Outcome, Progress, Status, default_jobs, grade_all


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m autograder", description="MiniDafny course tools.")
    commands = main.add_subparsers(dest="command", required=True)
    grade = commands.add_parser(
        "grade-all",
        help="autograde every submission of an assignment in parallel",
        description="Autograde every submission of an assignment with nbgrader, several students at a "
        "time. Students whose autograded folder is complete and newer than their submission are "
        "skipped; Ctrl-C keeps every finished grade.",
    )
    grade.add_argument("assignment", help="the assignment's name, as in source/ASSIGNMENT")
    grade.add_argument("--course", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    grade.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=default_jobs(),
        help="students graded at once (default: as many as the cores, here %(default)s)",
    )
    grade.add_argument("--force", action="store_true", help="grade everyone again, even if up to date")
    report = commands.add_parser(
        "report",
        help="after grading, an HTML report on the whole class, with plots",
        description="Write an HTML page about an assignment's grades: the score distribution per exercise, "
        "the obligations students failed most often (by kind and by line), and how many solutions were "
        "refused or used `assume`.",
    )
    report.add_argument("assignment", help="the assignment's name, as in source/ASSIGNMENT")
    report.add_argument("--course", type=Path, default=Path.cwd(), help="the course folder (default: here)")
    report.add_argument(
        "--output", "-o", type=Path, default=None, help="the page to write (default: reports/ASSIGNMENT.html)"
    )
    return main


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


@contextmanager
def progress_bar(total: int) -> Iterator[Progress]:
    """A progress bar on stderr, one step per student done (none if nobody is to be graded);
    closed before the summary is printed, even when interrupted."""
    failed = 0
    with tqdm(total=total, unit="student", file=sys.stderr, dynamic_ncols=True, disable=not total) as bar:

        def advance(outcome: Outcome) -> None:
            nonlocal failed
            failed += outcome.status is Status.FAILED
            bar.set_postfix_str(f"{failed} failed, last: {outcome.student}", refresh=False)
            bar.update(1)

        yield advance


def grade_all_command(args: argparse.Namespace) -> int:
    course = Course(args.course.resolve(), args.assignment)
    if not course.students():
        print(f"no submissions of {args.assignment} in {course.root / 'submitted'}", file=sys.stderr)
        return 2
    with stop_on_signals():
        summary = grade_all(course, jobs=args.jobs, force=args.force, progress=progress_bar)
    print(summary.text())
    return summary.exit_code


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop grading as a KeyboardInterrupt does. Both are set here, as SIGINT
    is ignored in a program started in the background by a shell script."""
    names = (signal.SIGINT, signal.SIGTERM)
    previous = {name: signal.signal(name, _interrupt) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


def _interrupt(signum: int, frame: object) -> None:
    """The first Ctrl-C or SIGTERM stops grading: finished grades are kept, the running gradings
    are stopped (within `STOP_GRACE_SECONDS`). Later ones are ignored, so they cannot cut that short."""
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, _ignore)
    raise KeyboardInterrupt


def _ignore(signum: int, frame: object) -> None:
    """A Python handler, not SIG_IGN, which nbgrader processes started meanwhile would inherit."""


def report_command(args: argparse.Namespace) -> int:
    from autograder.course_report import NothingGraded, write_report

    try:
        target = write_report(args.course.resolve(), args.assignment, args.output)
    except NothingGraded as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        print(f"the report could not be written: {error}", file=sys.stderr)
        return 2
    print(f"{args.assignment}: report written to {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return report_command(args) if args.command == "report" else grade_all_command(args)


if __name__ == "__main__":
    sys.exit(main())
