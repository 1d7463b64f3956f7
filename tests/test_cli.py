from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kernel_ext.cli import main
from tests.support import conformance_dir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_dafny_style_lines_and_exit_code_one(capsys) -> None:
    path = conformance_dir() / "l1_clamp_bad_no_requires.dfy"
    code, out = run(capsys, "verify", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}(8,") and lines[0].endswith(
        "Error: A postcondition might not hold on this return path."
    )
    assert lines[1].startswith(f"{path}(3,") and "Related location" in lines[1] and "y <= hi" in lines[1]
    assert lines[-1] == "MiniDafny verifier finished with 13 proved, 2 errors"


def test_verified_file_exits_zero(capsys) -> None:
    code, out = run(capsys, "verify", str(conformance_dir() / "l1_sum_ok.dfy"))
    assert code == 0
    assert "0 errors" in out


def test_input_errors_exit_two(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.dfy"
    bad.write_text("method M() { var x := ; }")
    code, out = run(capsys, "verify", str(bad))
    assert code == 2
    assert f"{bad}(1,23): Error: unexpected ';': expected an expression" in out
    code, out = run(capsys, "verify", str(tmp_path / "missing.dfy"))
    assert code == 2 and "cannot read the file" in out


def test_json_report(capsys) -> None:
    path = conformance_dir() / "l1_safe_div_bad_call_pre.dfy"
    code, out = run(capsys, "verify", "--json", str(path))
    assert code == 1
    report = json.loads(out)
    assert report["file"] == str(path)
    assert [(e["line"], e["kind"]) for e in report["errors"]] == [
        (11, "division-by-zero"),
        (13, "precondition"),
    ]
    precondition = report["errors"][1]
    assert precondition["message"] == "A precondition for this call might not hold."
    [related] = precondition["related"]  # the callee's `requires`, whole
    assert (related["line"], related["column"], related["end_line"]) == (3, 14, 3)
    assert related["end_column"] > related["column"]
    division = report["errors"][0]  # an editor underlines from the start to the end
    assert division["end_line"] == division["line"] and division["end_column"] > division["column"]
    assert report["diagnostics"] == []
    assert {ob["status"] for ob in report["obligations"]} == {"proved", "failed"}
    assert all({"kind", "line", "status", "time_ms"} <= ob.keys() for ob in report["obligations"])
    assert report["time_s"] > 0


def test_json_diagnostics_have_positions(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "c.dfy"
    bad.write_text("\nclass C { }")
    code, out = run(capsys, "verify", "--json", str(bad))
    report = json.loads(out)
    assert code == 2
    [diagnostic] = report["diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["kind"]) == (2, 1, "unsupported")
    assert (diagnostic["end_line"], diagnostic["end_column"]) == (2, 6)  # `class`
    assert diagnostic["message"] == "`class` is not part of MiniDafny"


def test_several_files_worst_exit_code(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.dfy"
    bad.write_text("method M( {")
    code, out = run(capsys, "verify", "--json", str(conformance_dir() / "l1_sum_ok.dfy"), str(bad))
    assert code == 2
    assert len(out.strip().splitlines()) == 2


def test_limits_are_options(capsys) -> None:
    path = conformance_dir() / "l1_sum_ok.dfy"
    code, out = run(capsys, "verify", "--rlimit", "1", "--timeout", "5", str(path))
    assert code == 1
    assert "Unknown (resource limit reached)" in out


def test_a_real_process(tmp_path: Path) -> None:
    program = tmp_path / "p.dfy"
    program.write_text("method M(x: int) { assert x > 0; }\n")
    result = subprocess.run(
        [sys.executable, "-m", "kernel_ext.cli", "verify", str(program)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert f"{program}(1,29): Error: assertion might not hold" in result.stdout
    assert result.stderr == ""


def test_trace_prints_the_counterexample_and_its_replay(capsys) -> None:
    path = Path(__file__).resolve().parent / "replay" / "weak" / "sum_nothing.dfy"
    code, out = run(capsys, "verify", "--trace", str(path))
    assert code == 1
    assert f"{path}(7,3): counterexample for: A postcondition might not hold" in out
    assert "    inputs: n = " in out
    assert "[loop head: after any number of iterations, the invariants hold]" in out
    assert "replay: not reproduced. Running these inputs succeeds." in out and "the loop at line 7" in out


def test_run_executes_a_method_with_its_contracts(tmp_path: Path, capsys) -> None:
    program = tmp_path / "p.dfy"
    program.write_text(
        "method Double(x: int) returns (y: int)\n  ensures y == 2 * x\n{\n  y := x + x + 1;\n}\n"
    )
    code, out = run(capsys, "run", str(program), "--method", "Double", "--args", "4")
    assert code == 1
    assert f"{program}(3,1): Error: A postcondition might not hold on this return path." in out
    assert "(with x = 4, y = 9)" in out
    program.write_text("method Double(x: int) returns (y: int)\n  ensures y == 2 * x\n{\n  y := x + x;\n}\n")
    code, out = run(capsys, "run", str(program), "--method", "Double", "--args", "4")
    assert code == 0 and "y = 8" in out


def test_run_takes_datatype_arguments(tmp_path: Path, capsys) -> None:
    program = tmp_path / "list.dfy"
    program.write_text(
        "datatype List = Nil | Cons(head: int, tail: List)\n"
        "function Sum(l: List): int\n{\n  match l\n  case Nil => 0\n  case Cons(h, t) => h + Sum(t)\n}\n"
        "method Total(l: List) returns (s: int)\n  ensures s == Sum(l)\n{\n  s := Sum(l);\n}\n"
        "method Head(l: List) returns (h: int)\n{\n  h := l.head;\n}\n"
    )
    code, out = run(capsys, "run", str(program), "--method", "Total", "--args", "Cons(1, Cons(2, Nil))")
    assert code == 0 and "Running Total(l = Cons(1, Cons(2, Nil)))" in out and "s = 3" in out
    code, out = run(capsys, "run", str(program), "--method", "Head", "--args", "Nil")
    assert code == 1
    assert (
        f"{program}(15,10): Error: destructor 'head' can only be applied to datatype values constructed by 'Cons'"
        in out
    )


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path) -> None:
    program = tmp_path / "long.dfy"
    program.write_text("\n".join(f"method M{i}(x: int) {{ assert x + 1 == x; }}" for i in range(300)))
    command = f"{sys.executable} -m kernel_ext.cli verify --explain {program} | head -1"
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=repo, timeout=300)
    assert done.stdout.startswith(str(program))
    assert "Traceback" not in done.stderr, done.stderr


def test_a_proof_that_assumes_says_so_and_still_exits_zero(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.dfy"
    path.write_text("method M(x: int) returns (y: int)\n  ensures y > 0\n{\n  assume x > 0;\n  y := x;\n}\n")
    assert main(["verify", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "MiniDafny verifier finished with 1 proved, 0 errors; verified only assuming line 4 (x > 0)"
    )
