// linear search with loop bound i <= a.Length reads a[a.Length]
method Find(a: array<int>, x: int) returns (r: int)
  ensures -1 <= r < a.Length
  ensures r >= 0 ==> a[r] == x
  ensures r == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != x
{
  var i := 0;
  while i <= a.Length
    invariant 0 <= i <= a.Length + 1
    invariant forall k :: 0 <= k < i && k < a.Length ==> a[k] != x
  {
    if a[i] == x {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
