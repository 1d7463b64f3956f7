"""nbgrader configuration for a MiniDafny course: copy it into the course folder.

Grades of `%%verify` solutions are decided by `VerifiedGrades`, from nbgrader's side: after
nbgrader has executed a submission, it verifies each graded solution cell's text, as it
stands in the submitted notebook, in a fresh process, against the locked specification
that `generate_assignment` recorded, and writes the score into the check cell's output.
Nothing the student's kernel did can change that score.
"""

c = get_config()  # noqa: F821 - nbgrader provides it

# Solution regions are MiniDafny comments, so the instructor's notebook verifies as it is,
# and the released stub is MiniDafny too (a body that proves nothing: "not attempted").
c.ClearSolutions.begin_solution_delimeter = "// BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "// END SOLUTION"
c.ClearSolutions.code_stub = {"python": "// YOUR CODE HERE"}

# The static views, not widget state, go into graded notebooks and feedback.
c.Execute.store_widget_state = False
c.Execute.timeout = 60

c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "autograder.nbgrader_plugin.VerifiedGrades",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
