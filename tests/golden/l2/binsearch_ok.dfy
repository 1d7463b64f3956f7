// binary search in a sorted array over the half-open range [lo, hi)
predicate Sorted(a: array<int>)
  reads a
{
  forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
}

method BinarySearch(a: array<int>, x: int) returns (r: int)
  requires Sorted(a)
  ensures -1 <= r < a.Length
  ensures r >= 0 ==> a[r] == x
  ensures r == -1 ==> forall k :: 0 <= k < a.Length ==> a[k] != x
{
  var lo, hi := 0, a.Length;
  while lo < hi
    invariant 0 <= lo <= hi <= a.Length
    invariant forall k :: 0 <= k < lo ==> a[k] < x
    invariant forall k :: hi <= k < a.Length ==> a[k] > x
    decreases hi - lo
  {
    var mid := (lo + hi) / 2;
    if a[mid] < x {
      lo := mid + 1;
    } else if a[mid] > x {
      hi := mid;
    } else {
      return mid;
    }
  }
  return -1;
}
