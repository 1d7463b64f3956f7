// postcondition relates a[i] to old(a[i]) and keeps the other elements
method Incr(a: array<int>, i: int)
  requires 0 <= i < a.Length
  modifies a
  ensures a[i] == old(a[i]) + 1
  ensures forall k :: 0 <= k < a.Length && k != i ==> a[k] == old(a[k])
{
  a[i] := a[i] + 1;
}
