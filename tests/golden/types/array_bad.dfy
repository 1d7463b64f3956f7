type Index = i: int | 0 <= i < 10 witness 0

method Store(a: array<Index>, x: int)
  requires a.Length > 0 && x < 10
  modifies a
{
  a[0] := x;
}
