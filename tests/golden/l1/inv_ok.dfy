// loop invariants hold on entry and are maintained
method Count(n: nat) returns (s: int)
  ensures s == n
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == i
  {
    i := i + 1;
    s := s + 1;
  }
}
