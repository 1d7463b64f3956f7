// any call in a loop body counts as touching the heap, even a lemma's
lemma AddZero(x: int)
  ensures x + 0 == x
{
}

method Count(a: array<int>) returns (n: int)
  requires a.Length > 0
  modifies a
  ensures a[0] == old(a[0])
{
  n := 0;
  while n < 5
    invariant 0 <= n <= 5
  {
    AddZero(n);
    n := n + 1;
  }
}
