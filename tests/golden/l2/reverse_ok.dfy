// reverse an array in place by swapping a[i] and a[a.Length - 1 - i]
method Reverse(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == old(a[a.Length - 1 - k])
{
  var i := 0;
  while i < a.Length / 2
    invariant 0 <= i <= a.Length / 2
    invariant forall k :: 0 <= k < i ==> a[k] == old(a[a.Length - 1 - k])
    invariant forall k :: 0 <= k < i ==> a[a.Length - 1 - k] == old(a[k])
    invariant forall k :: i <= k < a.Length - i ==> a[k] == old(a[k])
  {
    var t := a[i];
    a[i] := a[a.Length - 1 - i];
    a[a.Length - 1 - i] := t;
    i := i + 1;
  }
}
