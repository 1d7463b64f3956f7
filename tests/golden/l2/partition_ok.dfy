// two-way partition: elements < p first, then elements >= p
method Partition(a: array<int>, p: int) returns (m: int)
  modifies a
  ensures 0 <= m <= a.Length
  ensures forall k :: 0 <= k < m ==> a[k] < p
  ensures forall k :: m <= k < a.Length ==> a[k] >= p
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  m := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= m <= i <= a.Length
    invariant forall k :: 0 <= k < m ==> a[k] < p
    invariant forall k :: m <= k < i ==> a[k] >= p
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    if a[i] < p {
      var t := a[m];
      a[m] := a[i];
      a[i] := t;
      m := m + 1;
    }
    i := i + 1;
  }
}
