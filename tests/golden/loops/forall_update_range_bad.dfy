// Every i in the range must index the array: a[a.Length] is out of range.

method Zero(a: array<int>)
  modifies a
{
  forall i | 0 <= i <= a.Length {
    a[i] := 0;
  }
}
