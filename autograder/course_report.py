"""`python -m autograder report ASSIGNMENT`: after grading, one HTML page about the whole class.

It reads what grading wrote into each autograded notebook (the record of every MiniDafny check:
score, points, the obligations that failed on the solution's lines, whether the solution was
refused and whether for `assume`) and shows, with plots: the distribution of scores per
exercise, the obligations students failed most often (by kind, and by line of the exercise's
specification), and how many solutions were refused or needed `assume`. The page is
self-contained (the plots are embedded), so it can be mailed or put on the course's site.
"""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

GRADE_MIME = "application/vnd.minidafny.grade+json"
TOP_LINES = 15


@dataclass(frozen=True)
class Failure:
    kind: str
    line: int
    description: str


@dataclass(frozen=True)
class CheckRecord:
    """One graded check of one student's notebook."""

    student: str
    exercise: str
    score: float
    points: float
    failed: tuple[Failure, ...]
    refused: bool
    assume: bool


class NothingGraded(Exception):
    """There is no graded notebook of the assignment in the course folder."""


def read_records(course: Path, assignment: str) -> list[CheckRecord]:
    """Every check record of the assignment's autograded notebooks (unreadable notebooks skipped)."""
    records = []
    for path in sorted((course / "autograded").glob(f"*/{assignment}/*.ipynb")):
        records += _notebook_records(path, student=path.parent.parent.name, exercise=path.stem)
    if not records:
        raise NothingGraded(
            f"nothing of {assignment} is graded in {course / 'autograded'}: run `python -m autograder grade-all "
            f"{assignment}` first"
        )
    return records


def _notebook_records(path: Path, student: str, exercise: str) -> list[CheckRecord]:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(GRADE_MIME)
            if isinstance(record, dict):
                found.append(_record(record, student, exercise))
    return found


def _record(data: dict, student: str, exercise: str) -> CheckRecord:
    failed = tuple(
        Failure(str(item.get("kind", "")), int(item.get("line", 0)), str(item.get("description", "")))
        for item in data.get("failed", [])
        if isinstance(item, dict)
    )
    return CheckRecord(
        student,
        exercise,
        float(data.get("score", 0.0)),
        float(data.get("points", 0.0)),
        failed,
        bool(data.get("refused", False)),
        bool(data.get("assume", False)),
    )


# ------------------------------------------------------------------ the numbers


@dataclass(frozen=True)
class ExerciseSummary:
    exercise: str
    points: float
    scores: tuple[float, ...]
    refused: int
    assume: int

    @property
    def full_marks(self) -> int:
        return sum(1 for score in self.scores if score >= self.points)

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores) if self.scores else 0.0


def summaries(records: list[CheckRecord]) -> list[ExerciseSummary]:
    exercises = sorted({record.exercise for record in records})
    result = []
    for exercise in exercises:
        mine = [record for record in records if record.exercise == exercise]
        result.append(
            ExerciseSummary(
                exercise,
                max(record.points for record in mine),
                tuple(record.score for record in mine),
                sum(record.refused for record in mine),
                sum(record.assume for record in mine),
            )
        )
    return result


def failures_by_kind(records: list[CheckRecord]) -> Counter[str]:
    """How many students' solutions failed an obligation of each kind (a student counted once per kind)."""
    return Counter(kind for record in records for kind in {failure.kind for failure in record.failed})


def failures_by_line(records: list[CheckRecord]) -> Counter[tuple[str, int, str, str]]:
    """How many solutions failed each (exercise, line, kind, conjunct)."""
    return Counter(
        key
        for record in records
        for key in {(record.exercise, f.line, f.kind, f.description) for f in record.failed}
    )


# ------------------------------------------------------------------ the page


def report_html(assignment: str, records: list[CheckRecord]) -> str:
    exercises = summaries(records)
    kinds = failures_by_kind(records)
    lines = failures_by_line(records)
    students = len({record.student for record in records})
    parts = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(assignment)}: grading report</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}td:first-child{text-align:left}</style>",
        f"</head><body><h1>{escape(assignment)}: grading report</h1>",
        f"<p>{students} student(s), {len(exercises)} exercise(s).</p>",
        "<h2>Scores per exercise</h2>",
        _summary_table(exercises),
        _image(plot_scores(exercises)),
        "<h2>Obligations failed most often</h2>",
        "<h3>By kind</h3>",
        _image(plot_counts(kinds, "solutions failing an obligation of this kind"))
        if kinds
        else "<p>None.</p>",
        "<h3>By line of the specification</h3>",
        _lines_table(lines),
        _image(
            plot_counts(Counter({_line_label(k): n for k, n in lines.most_common(TOP_LINES)}), "solutions")
        )
        if lines
        else "",
        "<h2>Refused solutions and <code>assume</code></h2>",
        _image(plot_refusals(exercises)),
        "</body></html>",
    ]
    return "\n".join(parts)


def _summary_table(exercises: list[ExerciseSummary]) -> str:
    rows = "".join(
        f"<tr><td>{escape(e.exercise)}</td><td>{len(e.scores)}</td><td>{e.mean:.2f} / {e.points:g}</td>"
        f"<td>{e.full_marks}</td><td>{e.refused}</td><td>{e.assume}</td></tr>"
        for e in exercises
    )
    head = "<tr><th>exercise</th><th>graded</th><th>mean score</th><th>full marks</th><th>refused</th><th>used assume</th></tr>"
    return f"<table class='summary'>{head}{rows}</table>"


def _line_label(key: tuple[str, int, str, str]) -> str:
    exercise, line, kind, description = key
    text = f"{exercise} line {line}: {kind}"
    return f"{text} `{description}`" if description else text


def _lines_table(lines: Counter[tuple[str, int, str, str]]) -> str:
    if not lines:
        return "<p>No obligation failed.</p>"
    rows = "".join(
        f"<tr><td>{escape(exercise)}</td><td>{line}</td><td>{escape(kind)}</td><td><code>{escape(description)}</code></td>"
        f"<td>{count}</td></tr>"
        for (exercise, line, kind, description), count in lines.most_common(TOP_LINES)
    )
    head = "<tr><th>exercise</th><th>line</th><th>kind</th><th>conjunct</th><th>solutions</th></tr>"
    return f"<table class='lines'>{head}{rows}</table>"


def _image(png: bytes) -> str:
    return f"<p><img alt='plot' src='data:image/png;base64,{base64.b64encode(png).decode()}'></p>"


# ------------------------------------------------------------------ the plots


def _figure(rows: int = 1, cols: int = 1, height: float = 3.0):  # noqa: ANN202 - matplotlib's types
    import matplotlib

    matplotlib.use("Agg")  # no display: the plots go into the page
    from matplotlib import pyplot

    return pyplot.subplots(rows, cols, figsize=(3.2 * cols + 1.5, height * rows), squeeze=False)


def _png(figure) -> bytes:  # noqa: ANN001 - a matplotlib figure
    from matplotlib import pyplot

    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    pyplot.close(figure)
    return buffer.getvalue()


def plot_scores(exercises: list[ExerciseSummary]) -> bytes:
    """One histogram of the scores per exercise."""
    cols = min(3, len(exercises))
    rows = -(-len(exercises) // cols)
    figure, axes = _figure(rows, cols, height=2.4)
    for index, axis in enumerate(axes.flat):
        if index >= len(exercises):
            axis.set_visible(False)
            continue
        exercise = exercises[index]
        counts = Counter(exercise.scores)
        values = sorted(counts)
        axis.bar([f"{value:g}" for value in values], [counts[value] for value in values], color="#4c72b0")
        axis.set_title(f"{exercise.exercise} (of {exercise.points:g})", fontsize=9)
        axis.set_xlabel("score", fontsize=8)
        axis.set_ylabel("students", fontsize=8)
    return _png(figure)


def plot_counts(counts: Counter[str], label: str) -> bytes:
    """A horizontal bar per key, the most frequent on top."""
    items = counts.most_common()[::-1]
    figure, axes = _figure(height=0.35 * len(items) + 1.2)
    axis = axes[0][0]
    figure.set_figwidth(10)
    axis.barh([_shortened(key) for key, _ in items], [count for _, count in items], color="#dd8452")
    axis.set_xlabel(label, fontsize=8)
    axis.tick_params(axis="y", labelsize=7)
    return _png(figure)


def _shortened(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def plot_refusals(exercises: list[ExerciseSummary]) -> bytes:
    """Per exercise, the solutions refused and those that used `assume`."""
    figure, axes = _figure(height=3.0)
    axis = axes[0][0]
    figure.set_figwidth(9)
    positions = range(len(exercises))
    axis.bar(
        [p - 0.2 for p in positions], [e.refused for e in exercises], 0.4, label="refused", color="#c44e52"
    )
    axis.bar(
        [p + 0.2 for p in positions], [e.assume for e in exercises], 0.4, label="used assume", color="#8172b3"
    )
    axis.set_xticks(list(positions), [e.exercise for e in exercises], rotation=30, ha="right", fontsize=8)
    axis.set_ylabel("students", fontsize=8)
    axis.legend(fontsize=8)
    return _png(figure)


def write_report(course: Path, assignment: str, output: Path | None = None) -> Path:
    """Write the assignment's report (default: `reports/ASSIGNMENT.html` in the course folder)."""
    page = report_html(assignment, read_records(course, assignment))
    target = output or course / "reports" / f"{assignment}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
