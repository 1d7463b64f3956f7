// assignment of a possibly negative value to a nat out-parameter
method Pred(x: int) returns (n: nat)
  requires x >= 0
{
  n := x - 1;
}
