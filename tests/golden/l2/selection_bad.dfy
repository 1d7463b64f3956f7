// selection sort whose minimum search stops before the last element
predicate Sorted(a: array<int>, lo: int, hi: int)
  requires 0 <= lo <= hi <= a.Length
  reads a
{
  forall i, j :: lo <= i < j < hi ==> a[i] <= a[j]
}

method SelectionSort(a: array<int>)
  modifies a
  ensures Sorted(a, 0, a.Length)
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant Sorted(a, 0, i)
    invariant forall k, l :: 0 <= k < i <= l < a.Length ==> a[k] <= a[l]
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    var m := i;
    var j := i + 1;
    while j < a.Length - 1
      invariant i <= m < j <= a.Length
      invariant forall k :: i <= k < j ==> a[m] <= a[k]
    {
      if a[j] < a[m] {
        m := j;
      }
      j := j + 1;
    }
    var t := a[i];
    a[i] := a[m];
    a[m] := t;
    i := i + 1;
  }
}
