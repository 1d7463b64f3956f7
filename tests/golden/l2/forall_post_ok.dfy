// checks whether all elements are positive: postcondition and invariant with forall
method AllPositive(a: array<int>) returns (b: bool)
  ensures b == forall k :: 0 <= k < a.Length ==> a[k] > 0
{
  b := true;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant b == forall k :: 0 <= k < i ==> a[k] > 0
  {
    if a[i] <= 0 {
      b := false;
    }
    i := i + 1;
  }
}
