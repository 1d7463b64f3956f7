// wrong invariant: off by i
method Sum(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i * (i + 1) / 2 + i
  {
    i := i + 1;
    s := s + i;
  }
}
