// Dutch national flag that also advances mid after swapping with hi: the new a[mid] is never examined
method DutchFlag(a: array<int>)
  requires forall k :: 0 <= k < a.Length ==> 0 <= a[k] <= 2
  modifies a
  ensures forall i, j :: 0 <= i < j < a.Length ==> a[i] <= a[j]
  ensures multiset(a[..]) == multiset(old(a[..]))
{
  var lo, mid, hi := 0, 0, a.Length;
  while mid < hi
    invariant 0 <= lo <= mid <= hi <= a.Length
    invariant forall k :: 0 <= k < lo ==> a[k] == 0
    invariant forall k :: lo <= k < mid ==> a[k] == 1
    invariant forall k :: hi <= k < a.Length ==> a[k] == 2
    invariant forall k :: 0 <= k < a.Length ==> 0 <= a[k] <= 2
    invariant multiset(a[..]) == multiset(old(a[..]))
  {
    if a[mid] == 0 {
      var t := a[lo];
      a[lo] := a[mid];
      a[mid] := t;
      lo, mid := lo + 1, mid + 1;
    } else if a[mid] == 1 {
      mid := mid + 1;
    } else {
      hi := hi - 1;
      var t := a[mid];
      a[mid] := a[hi];
      a[hi] := t;
      mid := mid + 1;
    }
  }
}
