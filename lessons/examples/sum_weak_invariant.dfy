// The same loop with an invariant that is too weak: `0 <= i <= n` is missing,
// so after the loop the verifier cannot conclude that i == n.
method SumTo(n: nat) returns (s: int)
  ensures s == n * (n + 1) / 2
{
  s := 0;
  var i := 0;
  while i < n
    invariant s == i * (i + 1) / 2
  {
    i := i + 1;
    s := s + i;
  }
}
