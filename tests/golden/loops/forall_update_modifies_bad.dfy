// The updated array must be in the method's modifies clause.

method Zero(a: array<int>)
{
  forall i | 0 <= i < a.Length {
    a[i] := 0;
  }
}
