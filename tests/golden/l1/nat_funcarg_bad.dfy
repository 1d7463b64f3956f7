// nat argument of a function call may be negative
function Twice(n: nat): nat
{
  2 * n
}

method Test(x: int)
{
  assert Twice(x) == x + x;
}
