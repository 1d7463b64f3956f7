// bubble sort whose inner loop runs to j < i: a[j + 1] may be out of range
predicate Sorted(a: array<int>, lo: int, hi: int)
  requires 0 <= lo <= hi <= a.Length
  reads a
{
  forall i, j :: lo <= i < j < hi ==> a[i] <= a[j]
}

method BubbleSort(a: array<int>)
  modifies a
  ensures Sorted(a, 0, a.Length)
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var i := a.Length;
  while i > 0
    invariant 0 <= i <= a.Length
    invariant Sorted(a, i, a.Length)
    invariant forall k, l :: 0 <= k < i <= l < a.Length ==> a[k] <= a[l]
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    var j := 0;
    while j < i
      invariant 0 <= j < i
      invariant forall k :: 0 <= k <= j ==> a[k] <= a[j]
      invariant Sorted(a, i, a.Length)
      invariant forall k, l :: 0 <= k < i <= l < a.Length ==> a[k] <= a[l]
      invariant multiset(a[..]) == multiset(old(a[..]))
    {
      if a[j] > a[j + 1] {
        var t := a[j];
        a[j] := a[j + 1];
        a[j + 1] := t;
      }
      j := j + 1;
    }
    i := i - 1;
  }
}
