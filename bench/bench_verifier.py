"""Benchmark MiniDafny against Debian's Dafny 2.3, measured in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_verifier.py [--levels 1] [--repeat N] [--json OUT]

It prints times and ratios (never asserts them) and writes all numbers to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import z3

from kernel_ext import VerificationReport, verify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.programs import many_ifs  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_PROGRAMS = Path(__file__).resolve().parents[2] / "shared" / "conformance"
DEFAULT_JSON = BENCH_DIR / "results" / "latest.json"

CLI_OK_CODES = (0, 1)  # verified / verification errors; 2 is an input error
DAFNY_OK_CODES = (0, 4)  # verified / verification errors
DAFNY_ARGS = ("/compile:0", "/timeLimit:20")
PROCESS_TIMEOUT_S = 600

TARGET_COLD = 0.5
TARGET_WARM = 0.1
TARGET_LINEAR = 3.0
DAFNY_LINEAR_REFERENCE = 1.3
LINEAR_SIZES = (16, 128)


class BenchError(Exception):
    """A tool did something the benchmark cannot time (crash, input error, timeout)."""


@dataclass(frozen=True)
class Settings:
    programs: Path
    levels: tuple[str, ...]
    repeat: int
    json_out: Path


@dataclass(frozen=True)
class Dafny:
    executable: str
    version: str


@dataclass(frozen=True)
class Timing:
    ms: float
    verified: bool


@dataclass
class FileResult:
    file: str
    status: str  # "measured", "unsupported" or "failed"
    note: str = ""
    obligations: int = 0
    verified: bool | None = None
    cold_ms: float | None = None
    warm_ms: float | None = None
    z3_ms: float | None = None
    dafny_ms: float | None = None
    dafny_verified: bool | None = None
    cold_ratio: float | None = None
    warm_ratio: float | None = None


@dataclass
class LinearResult:
    n: int
    obligations: int = 0
    cold_ms: float | None = None
    warm_ms: float | None = None
    z3_ms: float | None = None
    dafny_ms: float | None = None
    note: str = ""

    @property
    def rest_ms(self) -> float | None:
        """Warm time spent outside Z3: parsing, checking, VC generation, reporting."""
        if self.warm_ms is None or self.z3_ms is None:
            return None
        return self.warm_ms - self.z3_ms


@dataclass
class Results:
    environment: dict[str, str]
    files: list[FileResult] = field(default_factory=list)
    summary: dict[str, float | int | None] = field(default_factory=dict)
    linear: list[LinearResult] = field(default_factory=list)
    linear_ratios: dict[str, float | None] = field(default_factory=dict)


# --------------------------------------------------------------------------- arguments


def parse_args(argv: Sequence[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        nargs="+",
        default=["1"],
        metavar="L",
        help="levels to run, e.g. '1' or '1 2' or '1,2' (default: 1)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement")
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="OUT",
        help=f"where to write the numbers (default: {_shown(DEFAULT_JSON)})",
    )
    parser.add_argument(
        "--programs",
        type=Path,
        default=DEFAULT_PROGRAMS,
        metavar="DIR",
        help="folder of conformance programs (default: ../shared/conformance)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    levels = tuple(level for item in args.levels for level in item.split(",") if level)
    return Settings(args.programs, levels, args.repeat, args.json)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- setup


def ensure_dafny() -> Dafny | None:
    """Find `dafny`, installing Debian's package if it is missing; None if impossible."""
    executable = shutil.which("dafny") or _install_dafny()
    if executable is None:
        return None
    done = subprocess.run([executable, "/version"], capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("Dafny")]
    return Dafny(executable, lines[0] if lines else "Dafny (unknown version)")


def _install_dafny() -> str | None:
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(
            "setup: `dafny` is not on PATH and apt-get (as root) is not available;"
            " the Dafny columns are skipped"
        )
        return None
    print("setup: `dafny` is not on PATH; installing Debian's package (apt-get install dafny)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "dafny"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"setup: `{' '.join(command)}` failed ({tail}); the Dafny columns are skipped")
            return None
    return shutil.which("dafny")


def environment(dafny: Dafny | None, settings: Settings) -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "z3": z3.get_version_string(),
        "dafny": dafny.version if dafny else "not available",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "repeat": str(settings.repeat),
        "levels": ",".join(settings.levels),
        "programs": str(settings.programs),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_at_start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


# --------------------------------------------------------------------------- timing


def timed_run(command: Sequence[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time (ms) of a fresh process, and what it printed."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=REPO_ROOT, timeout=PROCESS_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"timed out after {PROCESS_TIMEOUT_S} s") from error
    return (time.perf_counter() - started) * 1000, done


def median_timing(repeat: int, run_once: Callable[[], Timing]) -> Timing:
    timings = [run_once() for _ in range(repeat)]
    verdicts = {timing.verified for timing in timings}
    if len(verdicts) != 1:
        raise BenchError("the verdict changed between runs")
    return Timing(statistics.median(timing.ms for timing in timings), verdicts.pop())


def cold_cli_once(path: Path) -> Timing:
    ms, done = timed_run([sys.executable, "-m", "kernel_ext.cli", "verify", str(path)])
    if done.returncode not in CLI_OK_CODES or "Traceback" in done.stderr:
        raise BenchError(f"minidafny exit {done.returncode}: {_last_line(done)}")
    return Timing(ms, done.returncode == 0)


def dafny_once(dafny: Dafny, path: Path) -> Timing:
    ms, done = timed_run([dafny.executable, *DAFNY_ARGS, str(path)])
    if done.returncode not in DAFNY_OK_CODES or "program verifier finished" not in done.stdout:
        raise BenchError(f"dafny exit {done.returncode}: {_last_line(done)}")
    return Timing(ms, done.returncode == 0)


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    return lines[-1][:120] if lines else "no output"


def warm_verify(text: str, name: str, repeat: int) -> tuple[VerificationReport, float, float]:
    """Median wall time and median Z3 time (ms) of in-process verify(), after one warm-up call."""
    checked_verify(text, name)
    runs: list[tuple[VerificationReport, float]] = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = checked_verify(text, name)
        runs.append((report, (time.perf_counter() - started) * 1000))
    z3_ms = statistics.median(z3_time_ms(report) for report, _ in runs)
    return runs[-1][0], statistics.median(ms for _, ms in runs), z3_ms


def checked_verify(text: str, name: str) -> VerificationReport:
    """verify() must never raise; if it does, report it instead of stopping the benchmark."""
    try:
        return verify(text, name)
    except Exception as error:
        raise BenchError(f"verify() raised {type(error).__name__}: {error}") from error


def z3_time_ms(report: VerificationReport) -> float:
    return sum(ob.time_ms for ob in report.obligations)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def median_or_none(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


# --------------------------------------------------------------------------- conformance


def conformance_files(settings: Settings) -> list[Path]:
    prefixes = tuple(f"l{level}_" for level in settings.levels)
    return sorted(p for p in settings.programs.glob("*.dfy") if p.name.startswith(prefixes))


def measure_file(path: Path, settings: Settings, dafny: Dafny | None) -> FileResult:
    result = FileResult(path.name, "measured")
    text = path.read_text(encoding="utf-8")
    try:
        report, result.warm_ms, result.z3_ms = warm_verify(text, str(path), settings.repeat)
    except BenchError as error:
        return FileResult(path.name, "failed", str(error))
    if report.diagnostics:
        first = report.diagnostics[0]
        note = f"line {first.span.start_line}: {first.message}"
        return FileResult(path.name, "unsupported", note)
    result.obligations, result.verified = len(report.obligations), report.verified
    try:
        result.cold_ms = median_timing(settings.repeat, lambda: cold_cli_once(path)).ms
        if dafny is not None:
            timing = median_timing(settings.repeat, lambda: dafny_once(dafny, path))
            result.dafny_ms, result.dafny_verified = timing.ms, timing.verified
    except BenchError as error:
        result.status, result.note = "failed", str(error)
        return result
    result.cold_ratio = ratio(result.cold_ms, result.dafny_ms)
    result.warm_ratio = ratio(result.warm_ms, result.dafny_ms)
    return result


def summarize(files: Sequence[FileResult]) -> dict[str, float | int | None]:
    measured = [f for f in files if f.status == "measured"]
    compared = [f for f in measured if f.dafny_verified is not None]
    return {
        "files": len(files),
        "measured": len(measured),
        "unsupported": sum(f.status == "unsupported" for f in files),
        "failed": sum(f.status == "failed" for f in files),
        "verdict_disagreements": sum(f.verified != f.dafny_verified for f in compared),
        "median_cold_ratio": median_or_none([f.cold_ratio for f in measured]),
        "median_warm_ratio": median_or_none([f.warm_ratio for f in measured]),
        "median_cold_ms": median_or_none([f.cold_ms for f in measured]),
        "median_warm_ms": median_or_none([f.warm_ms for f in measured]),
        "median_z3_ms": median_or_none([f.z3_ms for f in measured]),
        "median_dafny_ms": median_or_none([f.dafny_ms for f in measured]),
        "target_cold_ratio": TARGET_COLD,
        "target_warm_ratio": TARGET_WARM,
    }


# --------------------------------------------------------------------------- linear VC check


def many_ifs_program(n: int) -> str:
    """A method with n `if` statements in a row (the tests' catalogue has the generator)."""
    return many_ifs(n)


def measure_linear(n: int, folder: Path, settings: Settings, dafny: Dafny | None) -> LinearResult:
    path = folder / f"many_ifs_{n}.dfy"
    text = many_ifs_program(n)
    path.write_text(text, encoding="utf-8")
    result = LinearResult(n)
    try:
        report, result.warm_ms, result.z3_ms = warm_verify(text, str(path), settings.repeat)
        result.obligations = len(report.obligations)
        if not report.verified:
            result.note = "minidafny does not verify it"
        result.cold_ms = median_timing(settings.repeat, lambda: cold_cli_once(path)).ms
        if dafny is not None:
            timing = median_timing(settings.repeat, lambda: dafny_once(dafny, path))
            result.dafny_ms = timing.ms
            if not timing.verified:
                result.note = "Dafny does not verify it"
    except BenchError as error:
        result.note = str(error)
    return result


def linear_ratios(small: LinearResult, large: LinearResult) -> dict[str, float | None]:
    return {
        "cold": ratio(large.cold_ms, small.cold_ms),
        "warm": ratio(large.warm_ms, small.warm_ms),
        "z3": ratio(large.z3_ms, small.z3_ms),
        "rest": ratio(large.rest_ms, small.rest_ms),
        "dafny": ratio(large.dafny_ms, small.dafny_ms),
        "target_cold": TARGET_LINEAR,
        "dafny_reference": DAFNY_LINEAR_REFERENCE,
    }


# --------------------------------------------------------------------------- printing

ROW = "{:<40} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {}"


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def verdict_word(result: FileResult) -> str:
    if result.status != "measured":
        return f"{result.status.upper()}: {result.note}"[:70]
    mine = "ok" if result.verified else "errors"
    if result.dafny_verified is None:
        return mine
    return mine if result.verified == result.dafny_verified else f"{mine} (DAFNY DIFFERS)"


def print_header(env: dict[str, str]) -> None:
    print(
        f"MiniDafny benchmark — Python {env['python']}, z3 {env['z3']}, {env['dafny']},"
        f" {env['machine']}; median of {env['repeat']}"
    )
    print(
        f"programs: {env['programs']} (levels {env['levels']});"
        f" load average {env['load_at_start']} (other work on the machine adds noise)"
    )
    print()
    print(ROW.format("file", "cold", "warm", "z3", "dafny", "cold/", "warm/", "verdict"))
    print(ROW.format("", "ms", "ms", "ms", "ms", "dafny", "dafny", "").rstrip())


def print_file(result: FileResult) -> None:
    line = ROW.format(
        result.file,
        fmt_ms(result.cold_ms),
        fmt_ms(result.warm_ms),
        fmt_ms(result.z3_ms),
        fmt_ms(result.dafny_ms),
        fmt_ratio(result.cold_ratio),
        fmt_ratio(result.warm_ratio),
        verdict_word(result),
    )
    print(line.rstrip(), flush=True)


def print_summary(summary: dict[str, float | int | None]) -> None:
    print()
    print(
        f"{summary['measured']} of {summary['files']} files measured,"
        f" {summary['unsupported']} unsupported, {summary['failed']} failed;"
        f" verdicts differing from Dafny: {summary['verdict_disagreements']}"
    )
    for kind, target in (("cold", TARGET_COLD), ("warm", TARGET_WARM)):
        value = summary[f"median_{kind}_ratio"]
        line = f"median {kind}/dafny: {fmt_ratio(value):>7}   target <= {target}x   "
        print((line + _mark(value, target)).rstrip())
    share = ratio(summary["median_z3_ms"], summary["median_warm_ms"])
    print("median warm time inside z3: " + ("n/a" if share is None else f"{share:.0%}"))


def _mark(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "(met)" if value <= target else "(NOT met)"


def print_linear(results: Sequence[LinearResult], ratios: dict[str, float | None]) -> None:
    small, large = results
    print()
    print(
        f"Linear VC check: one method with N `if` statements in a row"
        f" (N={small.n}: {small.obligations} obligations, N={large.n}: {large.obligations})"
    )
    row = "  {:<26} {:>9} {:>9} {:>9}   {}"
    print(row.format("", f"N={small.n} ms", f"N={large.n} ms", f"{large.n}/{small.n}", "target"))
    rows = (
        ("minidafny cold CLI", small.cold_ms, large.cold_ms, "cold", f"<= {TARGET_LINEAR}x"),
        ("minidafny warm in-process", small.warm_ms, large.warm_ms, "warm", "(info)"),
        ("  of which z3", small.z3_ms, large.z3_ms, "z3", "(info)"),
        ("  outside z3", small.rest_ms, large.rest_ms, "rest", "(info)"),
        ("dafny", small.dafny_ms, large.dafny_ms, "dafny", f"~{DAFNY_LINEAR_REFERENCE}x"),
    )
    for label, ms_small, ms_large, key, target in rows:
        if key == "cold":
            target = f"{target} {_mark(ratios[key], TARGET_LINEAR)}"
        print(row.format(label, fmt_ms(ms_small), fmt_ms(ms_large), fmt_ratio(ratios[key]), target))
    for result in results:
        if result.note:
            print(f"  N={result.n}: {result.note}")


# --------------------------------------------------------------------------- main


def write_json(results: Results, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(results), indent=2) + "\n", encoding="utf-8")


def run(settings: Settings) -> Results:
    dafny = ensure_dafny()
    results = Results(environment(dafny, settings))
    print_header(results.environment)
    for path in conformance_files(settings):
        results.files.append(measure_file(path, settings, dafny))
        print_file(results.files[-1])
    if not results.files:
        print(f"no level {','.join(settings.levels)} programs in {settings.programs}")
    results.summary = summarize(results.files)
    print_summary(results.summary)
    with tempfile.TemporaryDirectory(prefix="minidafny-bench-") as folder:
        results.linear = [measure_linear(n, Path(folder), settings, dafny) for n in LINEAR_SIZES]
    results.linear_ratios = linear_ratios(*results.linear)
    print_linear(results.linear, results.linear_ratios)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_args(argv)
    if not settings.programs.is_dir():
        print(f"no conformance folder at {settings.programs} (use --programs DIR)")
        return 2
    results = run(settings)
    write_json(results, settings.json_out)
    print()
    print(f"numbers written to {_shown(settings.json_out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
