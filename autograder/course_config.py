"""How a course grades, in one setting: `configure(c, mode)` from the course's nbgrader_config.py.

- `"text"` (the default): notebooks are graded from their text; no kernel runs and no student
  code runs during `nbgrader autograde`. Only MiniDafny check cells are graded.
- `"sandbox"`: for notebooks that also have Python-graded cells. Each notebook runs in a
  bubblewrap sandbox (`autograder.sandbox`) that can write nothing grading later reads;
  then the MiniDafny check cells are graded as in `"text"` mode, over whatever the run printed.

In both, the notebook that is graded is rebuilt from the gradebook (`RebuildFromGradebook`)
instead of nbgrader's own sanitizing steps, which trust the submission's cell metadata.
"""

from __future__ import annotations

from typing import Any

MODES = ("text", "sandbox")
PLUGIN = "autograder.nbgrader_plugin"

_AFTER_GRADING = [
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def configure(c: Any, mode: str = "text") -> None:  # noqa: ANN401 - nbgrader's config object
    """Set nbgrader's autograde steps for a MiniDafny course graded in `mode`."""
    if mode not in MODES:
        raise ValueError(f"the grading mode must be one of {', '.join(MODES)}, not {mode!r}")
    c.Autograde.exporter_class = f"{PLUGIN}.SubmissionExporter"
    c.Autograde.sanitize_preprocessors = [f"{PLUGIN}.RebuildFromGradebook"]
    run = ["autograder.sandbox.SandboxedExecute"] if mode == "sandbox" else []
    c.Autograde.autograde_preprocessors = [*run, f"{PLUGIN}.VerifiedGrades", *_AFTER_GRADING]
    c.VerifiedGrades.notebook_was_run = mode == "sandbox"
