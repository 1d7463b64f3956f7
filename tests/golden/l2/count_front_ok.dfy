// count occurrences in an array with Count recursing on the first element: the loop runs backwards
function Count(s: seq<int>, x: int): nat
{
  if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + Count(s[1..], x)
}

method CountOcc(a: array<int>, x: int) returns (c: nat)
  ensures c == Count(a[..], x)
{
  c := 0;
  var i := a.Length;
  while i > 0
    invariant 0 <= i <= a.Length
    invariant c == Count(a[i..], x)
  {
    i := i - 1;
    if a[i] == x {
      c := c + 1;
    }
  }
}
