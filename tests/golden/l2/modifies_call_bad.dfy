// the caller has no modifies clause but calls a method that modifies a
method ZeroFirst(a: array<int>)
  requires a.Length > 0
  modifies a
  ensures a[0] == 0
{
  a[0] := 0;
}

method Reset(a: array<int>)
  requires a.Length > 0
  ensures a[0] == 0
{
  ZeroFirst(a);
}
