// writes an array that is listed in the modifies clause
method ZeroFirst(a: array<int>)
  requires a.Length > 0
  modifies a
  ensures a[0] == 0
{
  a[0] := 0;
}
