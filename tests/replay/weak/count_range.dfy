// too weak: c is counted, but its bound is not carried through the loop
method CountNegative(a: array<int>) returns (c: int)
  ensures 0 <= c <= a.Length
{
  c := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant 0 <= c
  {
    if a[i] < 0 {
      c := c + 1;
    }
    i := i + 1;
  }
}
