"""nbgrader configuration for a MiniDafny course: copy it into the course folder.

`GRADING_MODE` says how submissions are graded (see `autograder.course_config`):
- "text": from the notebook's text, without running it. Nothing a student wrote runs with the
  grader's rights. Use it for notebooks whose graded cells are all MiniDafny checks.
- "sandbox": each notebook also runs, in a bubblewrap sandbox (Debian's `bubblewrap`), for
  notebooks that mix in Python-graded test cells.
Either way, each graded solution cell's text is verified in an isolated process against the
locked specification as the gradebook holds it, and the score is written into its check cell.
"""

from autograder.course_config import configure

GRADING_MODE = "text"

c = get_config()  # noqa: F821 - nbgrader provides it
configure(c, GRADING_MODE)

# Solution regions are MiniDafny comments, so the instructor's notebook verifies as it is,
# and the released stub is MiniDafny too (a body that proves nothing: "not attempted").
c.ClearSolutions.begin_solution_delimeter = "// BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "// END SOLUTION"
c.ClearSolutions.code_stub = {"python": "// YOUR CODE HERE"}

# The static views, not widget state, go into notebooks that are run and into feedback.
c.Execute.store_widget_state = False
c.Execute.timeout = 60
