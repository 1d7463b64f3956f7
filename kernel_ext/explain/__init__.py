"""The explain stage: a failed obligation's counterexample as a trace (`counterexample`), its
inputs run concretely (`replay`), and each loop's invariants with one run's iterations
(`loopinfo`). Only `pipeline.py` wires it in."""
