"""Dafny's verdicts on mutants, for comparison (Debian's `dafny` package, version 2.3).

A difference is reported, not failed: Dafny 2.3 is older than the Dafny MiniDafny follows
(see CURRENT_DAFNY in tests/support.py), and it sometimes proves what we do not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.soundness.mutants import Mutant

DAFNY_TIME_LIMIT_S = 20
FINISHED = re.compile(r"Dafny program verifier finished with (\d+) verified, (\d+) errors?")


def dafny_verdict(mutant: Mutant, folder: Path, number: int) -> str:
    """'verified', 'refuted', 'rejected' (a parse or resolution error) or 'unknown'."""
    path = folder / f"mutant{number}.dfy"
    path.write_text(mutant.text)
    try:
        done = subprocess.run(
            ["dafny", "/compile:0", f"/timeLimit:{DAFNY_TIME_LIMIT_S}", str(path)],
            capture_output=True,
            text=True,
            timeout=DAFNY_TIME_LIMIT_S * 10,
        )
    except subprocess.TimeoutExpired:
        return "unknown"
    output = done.stdout + done.stderr
    if "parse errors detected" in output or "resolution/type errors detected" in output:
        return "rejected"
    finished = FINISHED.search(output)
    if finished is None:
        return "unknown"
    if int(finished.group(2)) > 0:
        return "refuted"
    return "unknown" if "time out" in output.lower() else "verified"


def compare_with_dafny(verified: list[Mutant], refuted: list[Mutant], jobs: int) -> str:
    if shutil.which("dafny") is None:
        return "dafny comparison: `dafny` is not installed (apt install dafny)"
    mutants = [*verified, *refuted]
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(jobs) as pool:
        verdicts = list(
            pool.map(lambda pair: dafny_verdict(pair[1], Path(folder), pair[0]), enumerate(mutants))
        )
    ours = ["verified"] * len(verified) + ["refuted"] * len(refuted)
    pairs: dict[tuple[str, str], list[Mutant]] = {}
    for mutant, mine, theirs in zip(mutants, ours, verdicts, strict=True):
        pairs.setdefault((mine, theirs), []).append(mutant)
    lines = [f"dafny comparison on {len(mutants)} mutants (ours -> Dafny 2.3's):"]
    for (mine, theirs), group in sorted(pairs.items()):
        lines.append(f"  {mine:>9} -> {theirs:<9} {len(group)}")
    for mutant in pairs.get(("verified", "refuted"), []):
        lines.append(f"  we verify, Dafny refutes: {mutant.name}")
    for mutant in pairs.get(("verified", "rejected"), []):
        lines.append(f"  we verify, Dafny refuses it: {mutant.name}")
    return "\n".join(lines)
