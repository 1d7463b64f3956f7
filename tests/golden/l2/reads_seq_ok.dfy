// a function over a sequence needs no reads clause; the method passes a[..]
function Sum(s: seq<int>): int
{
  if |s| == 0 then 0 else Sum(s[..|s| - 1]) + s[|s| - 1]
}

method SumArray(a: array<int>) returns (r: int)
  ensures r == Sum(a[..])
{
  r := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant r == Sum(a[..i])
  {
    assert a[..i + 1][..i] == a[..i];
    r := r + a[i];
    i := i + 1;
  }
  assert a[..a.Length] == a[..];
}
