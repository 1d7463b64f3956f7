// Old Dafny (and old textbooks) end specification clauses with `;`. Dafny 2.3 accepts it
// silently; current Dafny warns "deprecated style: a semi-colon is not needed here".
function Fib(n: nat): nat
  decreases n;
{
  if n < 2 then n else Fib(n - 1) + Fib(n - 2)
}

function First(a: array<int>): int
  requires a.Length > 0;
  reads a;
{
  a[0]
}

method ComputeFib(n: nat) returns (b: nat)
  requires n >= 0;
  ensures b == Fib(n);
{
  var i: int := 0;
  var c := 1;
  b := 0;
  while i < n
    invariant 0 <= i <= n;
    invariant b == Fib(i);
    invariant c == Fib(i + 1);
    decreases n - i;
  {
    b, c := c, b + c;
    i := i + 1;
  }
}

method Zero(a: array<int>)
  requires a.Length > 0;
  modifies a;
  ensures a[0] == 0;
{
  a[0] := 0;
}
