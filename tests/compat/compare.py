"""The two comparisons: Dafny's lit tests (against their `.expect` files) and a folder of
Dafny programs without recorded verdicts (counted only)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.compat.classify import (
    AGREE,
    CLASSES,
    CRASHED,
    DIFFER,
    REFUSED,
    TIMED_OUT,
    Verdict,
    classify,
    refusal_reason,
)
from tests.compat.expect import DafnyVerdict, Expectation, parse_expect
from tests.compat.runner import CRASH, DIAGNOSED, ERRORS, TIMEOUT, VERIFIED, Outcome, run_all
from tests.compat.select import choose

LIT_TESTS = "Source/IntegrationTests/TestFiles/LitTests/LitTest"


@dataclass
class Settings:
    jobs: int = 2
    timeout_s: float = 120.0
    only: str = ""  # keep the files whose path contains this
    limit: int = 0  # at most this many files (0: all)
    verbose: bool = False


@dataclass
class Row:
    file: str  # relative to the folder compared
    cls: str
    reason: str = ""
    outcome: Outcome | None = None
    expectation: Expectation | None = None
    verdict: Verdict | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "class": self.cls, "reason": self.reason}
        if self.verdict is not None:
            data["missing"] = list(self.verdict.missing)
            data["extra"] = list(self.verdict.extra)
            data["moved"] = list(self.verdict.moved)
            data["accepts_wrong"] = self.verdict.accepts_wrong
        if self.expectation is not None:
            data["dafny"] = {
                "verdict": self.expectation.verdict.value,
                "errors": [
                    {"line": e.line, "col": e.col, "message": e.message} for e in self.expectation.errors
                ],
            }
        if self.outcome is not None:
            data["minidafny"] = self.outcome.to_json()
        return data


@dataclass
class Results:
    title: str
    rows: list[Row] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # why files were not run
    considered: int = 0

    def by_class(self) -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[row.cls].append(row)
        return groups

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "considered": self.considered,
            "skipped": dict(self.skipped.most_common()),
            "counts": {cls: len(rows) for cls, rows in sorted(self.by_class().items())},
            "results": [row.to_json() for row in self.rows],
        }


def _programs(folder: Path, settings: Settings) -> list[Path]:
    paths = sorted(path for path in folder.rglob("*.dfy") if path.is_file())
    if settings.only:
        paths = [path for path in paths if settings.only in path.relative_to(folder).as_posix()]
    return paths


def _run(paths: list[Path], settings: Settings) -> dict[Path, Outcome]:
    done = 0

    def progress(path: Path, outcome: Outcome) -> None:
        nonlocal done
        done += 1
        if settings.verbose:
            print(
                f"[{done}/{len(paths)}] {outcome.status:9} {outcome.time_s:6.1f}s {path.name}",
                file=sys.stderr,
            )
        elif done % 25 == 0 or done == len(paths):
            print(f"  {done}/{len(paths)} files", file=sys.stderr)

    return run_all(paths, settings.jobs, settings.timeout_s, progress)


def dafny_tests(folder: Path, settings: Settings) -> Results:
    """The lit tests under `folder` that the selection rules take, each against its `.expect`."""
    results = Results("Dafny lit tests")
    chosen: dict[Path, Expectation] = {}
    for path in _programs(folder, settings):
        results.considered += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        expect = path.with_name(path.name + ".expect")
        choice = choose(text, expect.is_file())
        if not choice.taken:
            results.skipped[choice.reason] += 1
            continue
        expectation = parse_expect(expect.read_text(encoding="utf-8", errors="replace"), path.name)
        if expectation.verdict == DafnyVerdict.UNKNOWN:
            results.skipped[f"expect: {expectation.why_unknown.split(':')[0]}"] += 1
            continue
        chosen[path] = expectation
    paths = list(chosen)[: settings.limit or None]
    outcomes = _run(paths, settings)
    for path in paths:
        verdict = classify(chosen[path], outcomes[path])
        results.rows.append(
            Row(
                path.relative_to(folder).as_posix(),
                verdict.cls,
                verdict.reason,
                outcomes[path],
                chosen[path],
                verdict,
            )
        )
    return results


def teaching(folder: Path, settings: Settings) -> Results:
    """Every program under `folder`, counted by MiniDafny's outcome (there is nothing to compare with)."""
    paths = _programs(folder, settings)[: settings.limit or None]
    results = Results("Dafny programs", considered=len(paths))
    outcomes = _run(paths, settings)
    for path in paths:
        outcome = outcomes[path]
        cls, reason = _teaching_class(outcome)
        results.rows.append(Row(path.relative_to(folder).as_posix(), cls, reason, outcome))
    return results


def _teaching_class(outcome: Outcome) -> tuple[str, str]:
    if outcome.status == DIAGNOSED:
        return REFUSED, refusal_reason(outcome.diagnostics[0])
    if outcome.status == ERRORS:
        lines = ", ".join(f"{e.line} {e.kind} {e.status}" for e in outcome.errors)
        return ERRORS, f"{len(outcome.errors)} error(s): line {lines}"
    if outcome.status == CRASH:
        return CRASHED, outcome.detail.strip().splitlines()[-1] if outcome.detail.strip() else "crash"
    if outcome.status == TIMEOUT:
        return TIMED_OUT, outcome.detail
    return VERIFIED, f"{outcome.obligations} obligation(s)"


TEACHING_CLASSES = (VERIFIED, ERRORS, REFUSED, CRASHED, TIMED_OUT)


def summary_lines(results: Results, compared: bool) -> list[str]:
    """The summary table: counts, then refusals by reason, then each differing, crashing or
    timed-out file with its reason."""
    groups = results.by_class()
    classes = CLASSES if compared else TEACHING_CLASSES
    total = len(results.rows)
    lines = [f"== {results.title}: {results.considered} .dfy files, {total} run"]
    if results.skipped:
        lines.append(f"-- not run ({sum(results.skipped.values())}):")
        lines += [f"  {count:5}  {reason}" for reason, count in results.skipped.most_common()]
    lines.append("-- outcome:")
    for cls in classes:
        rows = groups.get(cls, [])
        lines.append(f"  {cls:9} {len(rows):5} of {total}{_split(rows, compared)}")
    if compared:
        verdicts = [row.verdict for row in groups.get(DIFFER, []) if row.verdict is not None]
        wrong = sum(1 for verdict in verdicts if verdict.accepts_wrong)
        missing = sum(1 for verdict in verdicts if verdict.missing)
        lines.append(f"  !! {wrong} file(s) that Dafny finds wrong or rejects and MiniDafny verifies")
        lines.append(f"  !! {missing} file(s) with a Dafny error that no MiniDafny error touches")
    lines += _refusals(groups.get(REFUSED, []))
    for cls in (DIFFER, CRASHED, TIMED_OUT) if compared else (ERRORS, CRASHED, TIMED_OUT, VERIFIED):
        rows = groups.get(cls, [])
        if rows:
            lines.append(f"-- {cls} ({len(rows)}):")
            for row in rows:
                flag = "!! " if row.verdict and row.verdict.possibly_unsound else ""
                lines.append(f"  {flag}{row.file}: {row.reason}")
                if row.verdict is not None:
                    lines += [f"      missing {item}" for item in row.verdict.missing]
                    lines += [f"      extra   {item}" for item in row.verdict.extra]
                    lines += [f"      moved   {item}" for item in row.verdict.moved]
    if compared and groups.get(AGREE):
        lines.append(f"-- agree ({len(groups[AGREE])}): " + ", ".join(row.file for row in groups[AGREE]))
    return lines


def _split(rows: list[Row], compared: bool) -> str:
    """How a class's files divide: by Dafny's verdict, and refusals by the phase that refused."""
    if not rows:
        return ""
    if rows[0].cls == REFUSED:
        counts = Counter(row.reason.split(":", 1)[0] for row in rows)
    elif compared:
        counts = Counter(f"Dafny {row.expectation.verdict.value}" for row in rows if row.expectation)
    else:
        return ""
    return "  (" + ", ".join(f"{key} {count}" for key, count in sorted(counts.items())) + ")"


def _refusals(rows: list[Row]) -> list[str]:
    if not rows:
        return []
    by_reason: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_reason[row.reason].append(row.file)
    lines = [f"-- refused ({len(rows)}), by reason:"]
    for reason, files in sorted(by_reason.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(Path(name).name for name in files[:6]) + (", ..." if len(files) > 6 else "")
        lines.append(f"  {len(files):5}  {reason}  [{shown}]")
    return lines
