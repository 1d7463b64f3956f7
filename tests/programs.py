"""Small programs that several tests share."""

from __future__ import annotations


def many_ifs(count: int) -> str:
    """A method with `count` if statements in a row: its VC must grow linearly, not with paths.

    The guards compare x with constants; guards such as `x % 2 == 0` would measure the
    solver's modular arithmetic (Dafny itself times out on 128 of them), not the VC's size.
    """
    lines = [
        "method Many(x0: int) returns (x: int)",
        "  requires x0 >= 0",
        "  ensures x >= 0",
        "{",
        "  x := x0;",
    ]
    for i in range(count):
        bound, then_step, else_step = 10 + i, 1 + i % 3, 2 + i % 4
        lines.append(f"  if x < {bound} {{ x := x + {then_step}; }} else {{ x := x + {else_step}; }}")
    lines.append("}")
    return "\n".join(lines) + "\n"


SUM_OK = """\
method SumTo(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i * (i + 1) / 2
  {
    i := i + 1;
    s := s + i;
  }
}
"""

FIB = """\
function Fib(n: nat): nat
{
  if n < 2 then n else Fib(n - 2) + Fib(n - 1)
}
"""
