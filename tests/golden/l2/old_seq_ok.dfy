// postcondition on the whole contents: a[..] == old(a[..])[i := v]
method Set(a: array<int>, i: int, v: int)
  requires 0 <= i < a.Length
  modifies a
  ensures a[..] == old(a[..])[i := v]
{
  a[i] := v;
}
