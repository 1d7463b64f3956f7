// writes an array without a modifies clause
method ZeroFirst(a: array<int>)
  requires a.Length > 0
{
  a[0] := 0;
}
