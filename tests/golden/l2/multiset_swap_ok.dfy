// swapping two elements keeps the multiset of the array
method Swap(a: array<int>, i: int, j: int)
  requires 0 <= i < a.Length && 0 <= j < a.Length
  modifies a
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var t := a[i];
  a[i] := a[j];
  a[j] := t;
}
