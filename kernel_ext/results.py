"""The plain result model every stage fills and the presentation reads: no solver in it."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """Ordered from best to worst."""

    PROVED = "proved"
    UNKNOWN = "unknown"
    FAILED = "failed"
