// too weak: p is tied to i, but i is not tied to n
function Pow2(n: nat): nat
{
  if n == 0 then 1 else 2 * Pow2(n - 1)
}

method Power(n: nat) returns (p: nat)
  ensures p == Pow2(n)
{
  p := 1;
  var i := 0;
  while i < n
    invariant p == Pow2(i)
  {
    p := p * 2;
    i := i + 1;
  }
}
