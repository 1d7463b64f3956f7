"""The structure the code keeps: which part may import which, and where types are read.

The allowed imports form a layering without cycles: the language knows nothing of the
verifier or the interpreter; the verifier and the interpreter know the language but not each
other; explanations and views sit on top. Imports needed only by the type checker
(`if TYPE_CHECKING:`) are not dependencies and are not counted.
"""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kernel_ext"

ALLOWED: dict[str, set[str]] = {
    "lang": set(),
    "obligations": {"lang"},
    "results": set(),
    "run": {"lang", "obligations"},
    "verify": {"lang", "obligations", "results"},
    "report": {"lang", "obligations", "results"},
    "explain": {"lang", "obligations", "report", "results", "run", "verify"},
    "pipeline": {"explain", "lang", "obligations", "report", "results", "verify"},
    "present": {"explain", "lang", "pipeline", "report", "results", "run", "verify"},
    "cli": {"lang", "pipeline", "present", "report", "run", "verify"},
    "__init__": {"pipeline", "present", "report"},
}


def _part(module: str) -> str:
    """The top-level part of kernel_ext a module belongs to: a sub-package or a module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imported(tree: ast.AST) -> set[str]:
    """Every kernel_ext module a file imports at run time, lazily inside functions too."""
    found: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if _is_type_checking_block(node):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kernel_ext"):
            if node.module == "kernel_ext":
                found |= {f"kernel_ext.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("kernel_ext.")}
        pending.extend(ast.iter_child_nodes(node))
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = _part(_module_name(path))
        targets = {_part(module) for module in _imported(ast.parse(path.read_text()))}
        graph.setdefault(source, set()).update(targets - {source})
    return graph


def test_the_scanner_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kernel_ext.verify import smt\n"
        "def f():\n    from kernel_ext.run.interp import execute\n"
        "import kernel_ext.lang.syntax\n"
    )
    assert _imported(tree) == {"kernel_ext.run.interp", "kernel_ext.lang.syntax"}


def test_every_part_has_its_allowed_imports_listed() -> None:
    assert set(import_graph()) == set(ALLOWED)


def test_the_allowed_imports_have_no_cycle() -> None:
    try:
        tuple(TopologicalSorter(ALLOWED).static_order())
    except CycleError as error:  # pragma: no cover - fails the test with the cycle
        raise AssertionError(f"the allowed imports have a cycle: {error.args[1]}") from None


def test_each_part_imports_only_what_it_may() -> None:
    breaches = {
        part: sorted(targets - ALLOWED[part])
        for part, targets in import_graph().items()
        if targets - ALLOWED.get(part, set())
    }
    assert breaches == {}, f"imports past the layering: {breaches}"


# a check of a syntax node's type against None outside the language: a stage that skips or
# defaults an untyped node instead of reading its type with `type_of`, which fails loudly
_OPTIONAL_TYPE = re.compile(r"\.ty is (not )?None|\.ty else\b|\bif \w+\.ty\b")


def test_stages_after_the_resolver_read_types_only_through_type_of() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.parent.name != "lang"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _OPTIONAL_TYPE.search(line)
    ]
    assert offenders == [], "\n".join(offenders)
