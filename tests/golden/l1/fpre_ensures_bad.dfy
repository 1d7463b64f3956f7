// function precondition may fail when the function is called in an ensures
function Pred(n: int): int
  requires n > 0
{
  n - 1
}

method Dec(x: int) returns (y: int)
  requires x >= 0
  ensures y == Pred(x)
{
  y := x - 1;
}
