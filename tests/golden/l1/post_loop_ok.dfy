// postcondition holds after a trailing while loop thanks to the invariant
method CountTo(n: nat) returns (i: nat)
  ensures i == n
{
  i := 0;
  while i < n
    invariant i <= n
  {
    i := i + 1;
  }
}
