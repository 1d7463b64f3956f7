"""MiniDafny: a teaching verifier for a strict subset of Dafny."""

from kernel_ext.pipeline import Options, OutcomeCache, verify
from kernel_ext.report import VerificationReport

__all__ = ["Options", "OutcomeCache", "VerificationReport", "verify"]
