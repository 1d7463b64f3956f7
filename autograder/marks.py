"""What the grading side writes into a notebook's metadata for itself, under one key: the
problems found in the submission, and that grading finished with it. Kept apart from the
modules that load nbgrader, so that grade-all can read it without them."""

from __future__ import annotations

from typing import Any

METADATA_KEY = "minidafny"


def mark_graded(notebook: Any) -> None:  # noqa: ANN401 - an nbformat NotebookNode
    """Say in a notebook that grading finished with it (grade-all's test of a complete folder)."""
    notebook.metadata.setdefault(METADATA_KEY, {})["graded"] = True


def is_marked_graded(document: dict) -> bool:
    metadata = document.get("metadata")
    mark = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    return isinstance(mark, dict) and mark.get("graded") is True
