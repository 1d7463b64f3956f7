// postcondition a[i] == old(a[i]) + 1 but the body adds 2
method Incr(a: array<int>, i: int)
  requires 0 <= i < a.Length
  modifies a
  ensures a[i] == old(a[i]) + 1
{
  a[i] := a[i] + 2;
}
