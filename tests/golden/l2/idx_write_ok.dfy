// array write a[i] := v with i in range
method Set(a: array<int>, i: int, v: int)
  requires 0 <= i < a.Length
  modifies a
  ensures a[i] == v
{
  a[i] := v;
}
