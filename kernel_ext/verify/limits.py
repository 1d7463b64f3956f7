"""How much a proof may cost: set by the user, read by the prover."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """A resource limit makes verdicts machine-independent; the timeout is only a safety net."""

    rlimit: int = 2_000_000
    timeout_ms: int = 10_000
    seed: int = 0
