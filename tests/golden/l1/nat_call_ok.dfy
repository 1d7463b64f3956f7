// nat argument of a method call is non-negative
method Take(n: nat)
{
}

method Caller(x: int)
  requires x > 0
{
  Take(x);
}
