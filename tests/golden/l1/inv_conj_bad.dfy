// conjunction loop invariant where only the second conjunct is not maintained
method Evens(n: nat) returns (s: int)
  ensures s == 2 * n
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n && s == 2 * i
  {
    i := i + 1;
    s := s + 1;
  }
}
