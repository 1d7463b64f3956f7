method Count(n: nat) returns (k: nat)
  ensures k == n
{
  k := 0;
  ghost var steps := 0;
  while k < n
    invariant k <= n
    invariant steps == k + 1
  {
    k := k + 1;
    steps := steps + 1;
  }
}
