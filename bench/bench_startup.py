"""Benchmark the start-up of the CLI: a cold `minidafny verify` of an empty file.

Run from the repository root:

    .venv/bin/python bench/bench_startup.py [--repeat N]

Measures, in the same run and interleaved (so that load on the machine affects all alike),
the median wall-clock time of N fresh processes each of:
- `python -c pass` (the interpreter alone: the floor),
- `python -c "import lark, z3"` (the two libraries a verification needs),
- `minidafny verify empty.dfy` (target: under 0.2 s),
- `minidafny verify` of a file with a parse error (what a student sees most often),
- `minidafny verify` of a one-method file that proves one obligation (Z3 loaded),
- `dafny /compile:0 empty.dfy` (Debian's Dafny, if installed),
and prints them with ratios to the interpreter alone; then our own modules' import time
(`python -X importtime`), largest first. It asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(sys.executable).with_name("minidafny"))
ONE_OBLIGATION = "method M(x: int) returns (y: int) ensures y > x { y := x + 1; }\n"


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def own_import_times() -> list[tuple[float, str]]:
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import kernel_ext.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and "kernel_ext" in parts[2]:
            own_us = int(parts[0].split(":")[1])
            found.append((own_us / 1000, parts[2].strip()))
    return sorted(found, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    empty, one, broken = folder / "empty.dfy", folder / "one.dfy", folder / "broken.dfy"
    empty.write_text("")
    broken.write_text("method M( {\n")
    one.write_text(ONE_OBLIGATION)
    commands = {
        "python alone": [PYTHON, "-c", "pass"],
        "import lark, z3": [PYTHON, "-c", "import lark, z3"],
        "verify empty file": [CLI, "verify", str(empty)],
        "verify a parse error": [CLI, "verify", str(broken)],
        "verify one obligation": [CLI, "verify", str(one)],
    }
    if shutil.which("dafny"):
        commands["dafny empty file"] = ["dafny", "/compile:0", str(empty)]
    else:
        print("dafny is not installed (apt install dafny): its column is left out")
    timed(commands["verify empty file"])  # the parser's cache, written once
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            times[name].append(timed(command))
    floor = statistics.median(times["python alone"])
    print(f"median of {args.repeat} cold runs each")
    print(f"{'command':24} {'seconds':>8} {'x python':>9}")
    for name, found in times.items():
        median = statistics.median(found)
        print(f"{name:24} {median:8.3f} {median / floor:9.1f}")
    print("\nour modules' own import time (ms), for `import kernel_ext.cli`:")
    imports = own_import_times()
    for ms, module in imports[:10]:
        print(f"  {ms:6.1f}  {module}")
    print(f"  {sum(ms for ms, _ in imports):6.1f}  in all ({len(imports)} modules)")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
