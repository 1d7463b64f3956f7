// power by a loop, checked against a recursive function Pow
function Pow(b: int, e: nat): int
{
  if e == 0 then 1 else b * Pow(b, e - 1)
}

method ComputePow(b: int, e: nat) returns (r: int)
  ensures r == Pow(b, e)
{
  r := 1;
  var i := 0;
  while i < e
    invariant 0 <= i <= e
    invariant r == Pow(b, i)
  {
    r := r * b;
    i := i + 1;
  }
}
