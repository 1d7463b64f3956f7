// Calls whose arguments are literals are computed to the end, as Dafny does.
function Fact(n: nat): nat { if n == 0 then 1 else n * Fact(n - 1) }

function G(n: int): int { if n <= 0 then 0 else 1 + G(n - 2) }

function Fib(n: nat): nat { if n < 2 then n else Fib(n - 1) + Fib(n - 2) }

function Sum(s: seq<int>): int { if |s| == 0 then 0 else s[0] + Sum(s[1..]) }

function Repeat(b: bool, n: nat): nat { if n == 0 then 0 else (if b then 2 else 1) + Repeat(b, n - 1) }

method Literals() {
  assert Fact(5) == 120;
  assert G(10) == 5;
  assert Fib(10) == 55;
  assert Sum([1, 2, 3, 4, 5]) == 15;
  assert Repeat(true, 6) == 12;
}

method ThroughVariables() {
  var x := 5;
  assert Fact(x) == 120;
  var s := [3, 1, 4];
  assert Sum(s) == 8;
}
