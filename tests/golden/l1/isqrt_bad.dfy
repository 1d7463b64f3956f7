// integer square root: the loop guard uses r * r, so the result is one too big
method Isqrt(n: nat) returns (r: nat)
  ensures r * r <= n < (r + 1) * (r + 1)
{
  r := 0;
  while r * r <= n
    decreases n - r * r
  {
    r := r + 1;
  }
}
