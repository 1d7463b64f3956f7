// wrong invariant: b receives a reversed, not a itself
method ReverseCopy(a: array<int>) returns (b: array<int>)
  ensures b.Length == a.Length
  ensures forall k :: 0 <= k < a.Length ==> b[k] == a[a.Length - 1 - k]
{
  b := new int[a.Length];
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant forall k :: 0 <= k < i ==> b[k] == a[k]
  {
    b[i] := a[a.Length - 1 - i];
    i := i + 1;
  }
}
