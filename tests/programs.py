"""Small programs that several tests share."""

from __future__ import annotations


def many_ifs(count: int) -> str:
    """A method with `count` if statements in a row (the VC must stay linear)."""
    lines = [
        "method Many(x0: int) returns (x: int)",
        "  requires x0 >= 0",
        "  ensures x >= 0",
        "{",
        "  x := x0;",
    ]
    for index in range(count):
        lines.append(f"  if x % {2 + index % 3} == 0 {{ x := x + {index % 5 + 1}; }} else {{ x := x + 1; }}")
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
