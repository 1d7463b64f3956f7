// too weak: nothing says which elements are already zero
method Fill(a: array<int>)
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == 0
{
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    a[i] := 0;
    i := i + 1;
  }
}
