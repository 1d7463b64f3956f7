// nat argument of a method call may be negative
method Take(n: nat)
{
}

method Caller(x: int)
{
  Take(x + 1);
}
