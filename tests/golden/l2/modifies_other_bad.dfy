// modifies a, but writes b
method CopyFirst(a: array<int>, b: array<int>)
  requires a.Length > 0 && b.Length > 0
  modifies a
{
  b[0] := a[0];
}
