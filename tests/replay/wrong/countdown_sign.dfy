// wrong invariant: i starts at n, which may be positive
method Countdown(n: nat) returns (r: int)
  ensures r == n
{
  r := 0;
  var i := n;
  while i > 0
    invariant i <= 0
    invariant r + i == n
  {
    i := i - 1;
    r := r + 1;
  }
}
