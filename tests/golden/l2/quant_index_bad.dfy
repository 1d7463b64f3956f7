// quantifier range 0 <= k <= a.Length lets the body read a[a.Length]
method FirstPositive(a: array<int>) returns (x: int)
  requires a.Length > 0
  requires forall k :: 0 <= k <= a.Length ==> a[k] > 0
{
  x := a[0];
}
