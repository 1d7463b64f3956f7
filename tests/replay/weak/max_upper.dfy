// too weak: the loop does not say that m bounds what it has seen
method Max(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= m
{
  m := a[0];
  var i := 1;
  while i < a.Length
    invariant 1 <= i <= a.Length
  {
    if a[i] > m {
      m := a[i];
    }
    i := i + 1;
  }
}
