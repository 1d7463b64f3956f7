// postcondition fails after a trailing while loop (invariant too weak)
method CountTo(n: nat) returns (i: nat)
  ensures i == n
{
  i := 0;
  while i < n
    invariant i >= 0
  {
    i := i + 1;
  }
}
