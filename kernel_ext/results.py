"""The plain result model every stage fills and the presentation reads: no solver in it."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """Ordered from best to worst."""

    PROVED = "proved"
    UNKNOWN = "unknown"
    FAILED = "failed"


class ReplayVerdict(Enum):
    """What a replay decided (see `replay.py`)."""

    CONFIRMED = "confirmed"
    NOT_REPRODUCED = "not-reproduced"
    NOT_RUN = "not-run"
