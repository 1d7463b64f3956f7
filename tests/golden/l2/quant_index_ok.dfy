// quantifier over array elements guarded by 0 <= k < a.Length
method FirstPositive(a: array<int>) returns (x: int)
  requires a.Length > 0
  requires forall k :: 0 <= k < a.Length ==> a[k] > 0
  ensures x > 0
{
  x := a[0];
}
