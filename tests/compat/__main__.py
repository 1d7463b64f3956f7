"""`python -m tests.compat dafny-tests PATH` and `python -m tests.compat teaching PATH`: how
MiniDafny fares on fetched Dafny repositories (see tests/compat/README.md). Not part of the
test suite: it needs the repositories, and takes minutes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.compat.compare import LIT_TESTS, Settings, dafny_tests, summary_lines, teaching
from tests.compat.sources import SourceError, folder_of, revision


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.compat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tests = commands.add_parser("dafny-tests", help="Dafny's lit tests, against their .expect files")
    tests.add_argument("repository", type=Path, help="a checkout of dafny-lang/dafny, or its git directory")
    programs = commands.add_parser("teaching", help="every .dfy file of a repository, counted")
    programs.add_argument(
        "repository", type=Path, help="a checkout of dafny-lang/teaching-material, or its git directory"
    )
    for command in (tests, programs):
        command.add_argument("--jobs", type=int, default=2, help="files verified at once (default 2)")
        command.add_argument("--timeout", type=float, default=120.0, help="seconds per file (default 120)")
        command.add_argument(
            "--only", default="", metavar="TEXT", help="only the files whose path contains TEXT"
        )
        command.add_argument("--limit", type=int, default=0, metavar="N", help="at most N files")
        command.add_argument("--json", type=Path, metavar="OUT", help="also write every result to OUT")
        command.add_argument("--verbose", action="store_true", help="one line per file as it is done")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings(args.jobs, args.timeout, args.only, args.limit, args.verbose)
    compared = args.command == "dafny-tests"
    try:
        with folder_of(args.repository, LIT_TESTS if compared else "") as folder:
            results = dafny_tests(folder, settings) if compared else teaching(folder, settings)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    commit = revision(args.repository)
    if commit:
        results.title += f" at {commit[:12]}"
    for line in summary_lines(results, compared):
        print(line)
    if args.json is not None:
        data = {"command": args.command, "revision": commit, **results.to_json()}
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
