// array write a[i] := v where i may be negative
method Set(a: array<int>, i: int, v: int)
  requires i < a.Length
  modifies a
{
  a[i] := v;
}
