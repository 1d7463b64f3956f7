// a sortedness predicate over an array without reads a
predicate Sorted(a: array<int>)
{
  forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
}
