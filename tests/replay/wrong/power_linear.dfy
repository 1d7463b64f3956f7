// wrong invariant: powers of two grow faster than i + 1
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
    invariant 0 <= i <= n
    invariant p == i + 1
  {
    p := p * 2;
    i := i + 1;
  }
}
