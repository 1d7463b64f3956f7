// conjunction loop invariant holds and is maintained
method Evens(n: nat) returns (s: int)
  ensures s == 2 * n
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n && s == 2 * i
  {
    i := i + 1;
    s := s + 2;
  }
}
