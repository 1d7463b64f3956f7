#!/usr/bin/env python3
"""Run the Dafny oracle on every program of a folder and record its verdicts.

Usage (from the repository root):

    python tests/golden/record_dafny_verdicts.py FOLDER [FILE.dfy ...]

For each ``*.dfy`` file in FOLDER (or just the files given) this runs

    dafny /compile:0 /timeLimit:20 FILE.dfy

(two files at a time) and writes ``dafny_verdicts.json`` into FOLDER:
a JSON list sorted by file name, one entry per program::

    {"file": "post_bad.dfy",
     "errors": 1,                  # M from "finished with N verified, M errors"
     "error_lines": [4],           # sorted unique lines of the primary errors
     "related_lines": [3],         # sorted unique lines of "Related location"s
     "error_kinds": ["A postcondition might not hold on this return path."]}

``error_kinds`` lists Dafny's error messages in the order printed (Dafny 2.3
sometimes prints the same error twice; the count and this list keep the
duplicates, the line lists do not).  When given explicit files, the existing
JSON is updated for those files only.  Dafny 2.3 prints harmless
"model_compress" / "Legal parameters" noise first; it is ignored.

The oracle is ``/usr/bin/dafny`` (Debian's Dafny 2.3) unless the DAFNY
environment variable names another executable.  Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

JOBS = 2
TIME_LIMIT = 20

# e.g.  post_bad.dfy(4,0): Error BP5003: A postcondition might not hold ...
#       nat_bad.dfy(4,20): Error: value does not satisfy the subset constraints of 'nat'
ERROR_RE = re.compile(r"^(?P<file>[^()]+)\((?P<line>\d+),(?P<col>\d+)\): Error(?: [A-Z]+\d+)?: (?P<msg>.*)$")
# e.g.  post_bad.dfy(3,12): Related location: This is the postcondition that might not hold.
#       term_int_bad.dfy(2,14): Related location
RELATED_RE = re.compile(r"^(?P<file>[^()]+)\((?P<line>\d+),(?P<col>\d+)\): Related location(?::.*)?$")
FINISHED_RE = re.compile(
    r"Dafny program verifier finished with (?P<verified>\d+) verified, (?P<errors>\d+) errors?"
    r"(?:, (?P<timeouts>\d+) time outs?)?"
    r"(?:, (?P<outofmem>\d+) out of memory)?"
)
RESOLUTION_RE = re.compile(r"(?P<n>\d+) (?:resolution/type|parse) errors? detected in")
TIMEOUT_RE = re.compile(r"Verification of '[^']*' timed out")


def dafny_executable() -> str:
    exe = os.environ.get("DAFNY") or shutil.which("dafny") or "/usr/bin/dafny"
    return exe


def run_one(path: Path) -> dict:
    proc = subprocess.run(
        [dafny_executable(), "/compile:0", f"/timeLimit:{TIME_LIMIT}", path.name],
        cwd=path.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    return parse_output(path.name, proc.stdout)


def parse_output(name: str, output: str) -> dict:
    error_lines: set[int] = set()
    related_lines: set[int] = set()
    kinds: list[str] = []
    errors = None
    for raw in output.splitlines():
        line = raw.strip()
        m = ERROR_RE.match(line)
        if m and m.group("file").endswith(name):
            error_lines.add(int(m.group("line")))
            kinds.append(m.group("msg").strip())
            continue
        m = RELATED_RE.match(line)
        if m and m.group("file").endswith(name):
            related_lines.add(int(m.group("line")))
            continue
        if TIMEOUT_RE.search(line):
            kinds.append("timed out")
            continue
        m = FINISHED_RE.search(line)
        if m:
            errors = int(m.group("errors")) + int(m.group("timeouts") or 0)
            continue
        m = RESOLUTION_RE.search(line)
        if m:
            # The program was rejected before verification; record it loudly.
            errors = int(m.group("n"))
            kinds.append(line)
    if errors is None:
        # Dafny crashed or printed something unexpected.
        errors = -1
        kinds.append("no verdict: " + " | ".join(output.strip().splitlines()[-3:]))
    return {
        "file": name,
        "errors": errors,
        "error_lines": sorted(error_lines),
        "related_lines": sorted(related_lines),
        "error_kinds": kinds,
    }


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: record_dafny_verdicts.py FOLDER [FILE.dfy ...]", file=sys.stderr)
        return 2
    folder, chosen = Path(argv[0]).resolve(), argv[1:]
    out = folder / "dafny_verdicts.json"
    files = [Path(a).resolve() for a in chosen] if chosen else sorted(folder.glob("*.dfy"))
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        results = list(pool.map(run_one, files))

    verdicts: dict[str, dict] = {}
    if chosen and out.exists():
        verdicts = {e["file"]: e for e in json.loads(out.read_text())}
        existing = {p.name for p in folder.glob("*.dfy")}
        verdicts = {k: v for k, v in verdicts.items() if k in existing}
    for r in results:
        verdicts[r["file"]] = r
    entries = [verdicts[k] for k in sorted(verdicts)]
    # One entry per line keeps diffs readable.
    out.write_text("[\n" + ",\n".join("  " + json.dumps(e) for e in entries) + "\n]\n")

    # Report files whose name disagrees with the verdict.
    mismatches = 0
    for e in entries:
        stem = e["file"][: -len(".dfy")]
        ok_name = stem.endswith("_ok")
        bad_name = stem.endswith("_bad")
        resolution = any("detected in" in k for k in e["error_kinds"])
        if resolution != stem.endswith("_reject"):
            mismatched = True
        else:
            mismatched = e["errors"] < 0 or (ok_name and e["errors"] != 0) or (bad_name and e["errors"] == 0)
        if mismatched:
            mismatches += 1
            print(f"MISMATCH {e['file']}: errors={e['errors']} {e['error_kinds']}", file=sys.stderr)
    print(f"wrote {out} ({len(entries)} files, {mismatches} mismatches)")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
