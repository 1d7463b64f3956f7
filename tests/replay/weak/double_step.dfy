// too weak: y == 2 * x is missing
method Double(n: nat) returns (y: int)
  ensures y == 2 * n
{
  var x := 0;
  y := 0;
  while x < n
    invariant 0 <= x <= n
    invariant y >= 0
  {
    x := x + 1;
    y := y + 2;
  }
}
