// sortedness with 0 <= i < j <= a.Length reads a[a.Length]
predicate Sorted(a: array<int>)
  reads a
{
  forall i, j :: 0 <= i < j <= a.Length ==> a[i] <= a[j]
}
