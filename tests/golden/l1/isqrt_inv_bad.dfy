// integer square root: starting r at 1 breaks the invariant on entry for n == 0
method Isqrt(n: nat) returns (r: nat)
  ensures r * r <= n < (r + 1) * (r + 1)
{
  r := 1;
  while (r + 1) * (r + 1) <= n
    invariant r * r <= n
    decreases n - r * r
  {
    r := r + 1;
  }
}
