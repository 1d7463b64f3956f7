// assignment to a nat out-parameter that is non-negative
method Pred(x: int) returns (n: nat)
  requires x >= 1
{
  n := x - 1;
}
