// copying a[j] over a[i] may change the multiset of the array
method Swap(a: array<int>, i: int, j: int)
  requires 0 <= i < a.Length && 0 <= j < a.Length
  modifies a
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  a[i] := a[j];
}
