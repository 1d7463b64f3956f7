// postcondition with forall fails: the loop skips the last element
method AllPositive(a: array<int>) returns (b: bool)
  ensures b == forall k :: 0 <= k < a.Length ==> a[k] > 0
{
  b := true;
  var i := 0;
  while i < a.Length - 1
    invariant 0 <= i <= a.Length
    invariant b == forall k :: 0 <= k < i ==> a[k] > 0
  {
    if a[i] <= 0 {
      b := false;
    }
    i := i + 1;
  }
}
