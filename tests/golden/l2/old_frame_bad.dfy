// promises that elements other than a[i] keep their old values, but also writes a[0]
method Incr(a: array<int>, i: int)
  requires 0 <= i < a.Length
  modifies a
  ensures a[i] == old(a[i]) + 1
  ensures forall k :: 0 <= k < a.Length && k != i ==> a[k] == old(a[k])
{
  a[i] := a[i] + 1;
  if i > 0 {
    a[0] := 0;
  }
}
