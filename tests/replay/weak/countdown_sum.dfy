// too weak: r + i == n is missing
method Countdown(n: nat) returns (r: int)
  ensures r == n
{
  r := 0;
  var i := n;
  while i > 0
    invariant i >= 0
  {
    i := i - 1;
    r := r + 1;
  }
}
