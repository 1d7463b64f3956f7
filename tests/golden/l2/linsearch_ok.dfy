// linear search: the index of x in a, or -1 if x does not occur
method Find(a: array<int>, x: int) returns (r: int)
  ensures -1 <= r < a.Length
  ensures r >= 0 ==> a[r] == x
  ensures r == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != x
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> a[k] != x
  {
    if a[i] == x {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
