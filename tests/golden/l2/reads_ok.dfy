// a predicate reading an array declares reads a
predicate IsZeroAt(a: array<int>, i: int)
  requires 0 <= i < a.Length
  reads a
{
  a[i] == 0
}

method ZeroAt(a: array<int>, i: int)
  requires 0 <= i < a.Length
  modifies a
  ensures IsZeroAt(a, i)
{
  a[i] := 0;
}
