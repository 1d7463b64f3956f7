// wrong invariant: not every element seen so far is negative
method CountNegative(a: array<int>) returns (c: int)
  ensures 0 <= c <= a.Length
{
  c := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant c == i
  {
    if a[i] < 0 {
      c := c + 1;
    }
    i := i + 1;
  }
}
