"""`python -m tests.soundness` (or `make soundness`): the soundness campaign.

Mutates every verified golden program, verifies each mutant, and runs each verified one
in the interpreter on generated inputs. Exits 1 if a verified mutant breaks a check when
it runs, or on any internal error; prints the counts either way. With --dafny, also asks
Debian's `dafny` (2.3) for its verdict on the verified mutants and a sample of the others.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time

from tests.soundness.campaign import Tally, Verdict, all_mutants, examine, seeds, select
from tests.soundness.dafny import compare_with_dafny
from tests.support import GOLDEN, REPO, conformance_dir, conformance_missing, load_conformance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soundness", description=__doc__)
    parser.add_argument("--count", type=int, default=None, help="how many mutants (default: all of them)")
    parser.add_argument("--seed", type=int, default=0, help="the order in which mutants are chosen")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dafny", action="store_true", help="also compare verdicts with Debian's dafny")
    parser.add_argument("--dafny-sample", type=int, default=200, help="refuted mutants given to dafny")
    parser.add_argument(
        "--conformance", action="store_true", help="also mutate the conformance programs Dafny proves"
    )
    args = parser.parse_args(argv)

    programs = seeds(GOLDEN)
    mutants = all_mutants(programs, REPO)
    if args.conformance:
        missing = conformance_missing()
        if missing is not None:
            parser.error(missing)
        proved = [conformance_dir() / entry["file"] for entry in load_conformance() if entry["errors"] == 0]
        mutants += all_mutants(proved, conformance_dir().parent)
        programs += proved
    mutants = select(mutants, args.count, args.seed)
    print(f"{len(mutants)} mutants of {len(programs)} verified programs, {args.jobs} jobs", flush=True)
    started = time.monotonic()
    tally = Tally()
    examined_all = []
    with multiprocessing.get_context("forkserver").Pool(args.jobs) as pool:
        for examined in pool.imap_unordered(examine, mutants, chunksize=2):
            tally.add(examined)
            examined_all.append(examined)
            for finding in examined.findings:
                print("\n" + finding.describe(), flush=True)
            if tally.mutants % 250 == 0:
                print(f"  ... {tally.mutants} examined, {tally.violations} violations", flush=True)
    print()
    print(tally.summary(len(programs)))
    print(f"  time: {time.monotonic() - started:.0f} s")
    if args.dafny:
        verified = [e.mutant for e in examined_all if e.verdict is Verdict.VERIFIED]
        others = [e.mutant for e in examined_all if e.verdict is Verdict.REFUTED][: args.dafny_sample]
        print()
        print(compare_with_dafny(verified, others, args.jobs))
    return 1 if tally.findings else 0


if __name__ == "__main__":
    sys.exit(main())
