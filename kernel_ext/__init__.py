"""MiniDafny: a teaching verifier for a strict subset of Dafny."""

from kernel_ext.pipeline import Options, OutcomeCache, verify
from kernel_ext.report import VerificationReport

__all__ = ["Options", "OutcomeCache", "VerificationReport", "load_ipython_extension", "verify"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the built JupyterLab extension is, for `jupyter labextension develop`."""
    return [{"src": "labextension", "dest": "minidafny-jupyterlab"}]


def load_ipython_extension(ipython) -> None:  # noqa: ANN001 - an IPython shell
    """`%load_ext kernel_ext`: registers `%%verify` (imported here so that the CLI does not
    need IPython)."""
    from kernel_ext.present.magic import load_ipython_extension as register

    register(ipython)
