// too weak: nothing is said about s
method Sum(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
  {
    i := i + 1;
    s := s + i;
  }
}
