// function precondition may fail when the function is called in an assert
function Pred(n: int): int
  requires n > 0
{
  n - 1
}

method Test(x: int)
  requires x >= 0
{
  assert Pred(x) < x;
}
