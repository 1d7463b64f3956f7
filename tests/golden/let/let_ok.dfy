// Let-expressions `var x := e; body`: in function bodies, contracts, assertions, calc
// lines and invariants, with one or several variables, typed or not, nested.

function Double(x: int): int
{
  var y := x + x;
  y
}

function SumOfPair(x: int): int
{
  var a, b := x, x + 1;
  a + b
}

function Distance(x: int, y: int): nat
{
  var d := x - y;
  if d >= 0 then d else -d
}

function Pred(n: nat): nat
  requires n > 0
{
  var m: nat := n - 1;
  m
}

function Nested(x: int): int
{
  var a := x + 1;
  var b := (var c := a * 2; c + 1);
  a + b
}

method Triple(x: int) returns (r: int)
  requires var lower := 0; x >= lower
  ensures r == (var t := x + x; t + x)
  ensures var twice := Double(x); r == twice + x
{
  r := 3 * x;
  assert var y := r; y >= 0;
}

method Count(n: nat) returns (i: nat)
  ensures i == n
{
  i := 0;
  while i < n
    invariant var left := n - i; left >= 0
  {
    i := i + 1;
  }
}

method Steps(x: int)
{
  calc {
    var y := x; y + y;
  ==
    Double(x);
  ==
    var a, b := x, x; a + b;
  }
}

method Elements(s: seq<int>)
  requires forall i :: 0 <= i < |s| ==> s[i] > 0
{
  assert forall i :: 0 <= i < |s| ==> var v := s[i]; v >= 1;
  if |s| > 0 {
    assert var first := s[0]; first > 0;
  }
}
