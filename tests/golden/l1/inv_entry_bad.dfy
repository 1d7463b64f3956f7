// loop invariant does not hold on entry (s starts at 1)
method Count(n: nat) returns (s: int)
  ensures s == n
{
  s := 1;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i
  {
    i := i + 1;
    s := s + 1;
  }
}
