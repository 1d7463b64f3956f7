"""An opt-in comparison of MiniDafny with Dafny on fetched public Dafny repositories.

Run as `python -m tests.compat ...` (see README.md here). No module here is named like a
test, so pytest collects nothing from this folder.
"""
