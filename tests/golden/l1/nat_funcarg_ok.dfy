// nat argument of a function call is non-negative
function Twice(n: nat): nat
{
  2 * n
}

method Test(x: int)
  requires x >= 0
{
  assert Twice(x) == x + x;
}
