// linear search without the invariant that x is not among a[..i]
method Find(a: array<int>, x: int) returns (r: int)
  ensures -1 <= r < a.Length
  ensures r >= 0 ==> a[r] == x
  ensures r == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != x
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    if a[i] == x {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
